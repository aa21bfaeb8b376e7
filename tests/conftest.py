"""Shared fixtures. Tests never write into figures/ or data/raw/: they get temporary folders."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture
def figures_tmp(tmp_path, monkeypatch):
    """Point the chart helper at a temporary folder for this test."""
    out = tmp_path / "figures"
    monkeypatch.setenv("LIKEKIT_FIGURES_DIR", str(out))
    return out
