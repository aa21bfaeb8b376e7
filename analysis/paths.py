"""Project folders, computed from this file's location (works from any working directory).

``LIKEKIT_FIGURES_DIR`` and ``LIKEKIT_RAW_DIR`` may point figures or raw data elsewhere (the
tests use them so that a quick run never overwrites the committed charts).

``LIKEKIT_RUN_DIR`` marks a run with non-default parameters (set by ``run_notebooks``): its
charts go to ``<run>/figures`` and its derived tables to ``<run>/data``, never into the
committed ``figures/`` and ``data/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
FIGURES_DEFAULT = ROOT / "figures"
RAW_DEFAULT = DATA / "raw"
# Offline copies of the real data sets, laid beside the project on the team's machines.
SHARED_MIRROR = ROOT.parent / "shared" / "data"


def _folder_from_env(variable: str, default: Path) -> Path:
    """The folder named by environment ``variable`` (else ``default``); InputError when it
    names something that exists but is not a folder."""
    value = os.environ.get(variable)
    if not value:
        return default
    folder = Path(value)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{variable}={value}: is a file, expected a folder (or unset it)")
    return folder


RUNS = BUILD / "runs"


def run_dir() -> Path | None:
    """The folder of a run with non-default parameters (``LIKEKIT_RUN_DIR``), else None."""
    if not os.environ.get("LIKEKIT_RUN_DIR"):
        return None
    return _folder_from_env("LIKEKIT_RUN_DIR", RUNS)


def figures_dir() -> Path:
    """Folder the chart helper writes to: ``LIKEKIT_FIGURES_DIR`` if set, else the run's
    ``figures/`` in a run with non-default parameters, else the committed ``figures/``."""
    run = run_dir()
    return _folder_from_env("LIKEKIT_FIGURES_DIR", run / "figures" if run else FIGURES_DEFAULT)


def outputs_dir() -> Path:
    """Folder a notebook writes derived tables to (e.g. ``recovery.csv``): the committed
    ``data/``, or the run's ``data/`` in a run with non-default parameters."""
    run = run_dir()
    return run / "data" if run else DATA


def raw_dir() -> Path:
    """Folder holding the downloaded data sets (``data/raw/`` unless ``LIKEKIT_RAW_DIR`` is set)."""
    return _folder_from_env("LIKEKIT_RAW_DIR", RAW_DEFAULT)
