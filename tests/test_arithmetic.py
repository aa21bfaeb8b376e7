"""The first arithmetic of notebook 00: the cost per open-eyed like and the all-or-nothing table."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.engine import arithmetic


def test_cost_per_open_eyed_like_by_hand():
    # 2.50 / (1 - 0.8) = 12.50; 2.50 / (1 - 0.5) = 5.00; nothing closed-eyed: the price itself
    assert arithmetic.cost_per_open_eyed_like(2.50, 0.8) == pytest.approx(12.5)
    assert arithmetic.cost_per_open_eyed_like(2.50, 0.5) == pytest.approx(5.0)
    assert arithmetic.cost_per_open_eyed_like(2.50, 0.0) == pytest.approx(2.5)
    with pytest.raises(ValueError):
        arithmetic.cost_per_open_eyed_like(2.50, 1.0)


def test_share_for_cost_inverts_the_cost():
    s = arithmetic.share_for_cost(2.50, 10.0)
    assert s == pytest.approx(0.75)
    assert arithmetic.cost_per_open_eyed_like(2.50, s) == pytest.approx(10.0)


def test_cost_curve_and_marks():
    curve = arithmetic.cost_curve(2.50, points=20)
    assert list(curve.columns) == ["closed_eyes_share", "cost_per_like_gbp",
                                   "cost_per_open_eyed_like_gbp"]
    assert len(curve) == 20 and curve["closed_eyes_share"].iloc[-1] == pytest.approx(0.95)
    assert np.all(np.diff(curve["cost_per_open_eyed_like_gbp"]) > 0)
    assert (curve["cost_per_like_gbp"] == 2.50).all()
    marks = arithmetic.cost_marks(2.50, [0.5, 0.9])
    assert marks["cost_per_open_eyed_like_gbp"].tolist() == pytest.approx([5.0, 25.0])


def test_all_or_nothing_outcomes_by_hand():
    # target 100,000 at GBP 2.50: a GBP 250,000 cheque, paid only from 100,000 likes on
    out = arithmetic.all_or_nothing_outcomes([80_000, 100_000, 125_000], target=100_000,
                                             price_per_like=2.50)
    assert out["target_reached"].tolist() == [False, True, True]
    assert out["charity_receives_gbp"].tolist() == [0.0, 250_000.0, 250_000.0]
    assert math.isnan(out["cost_per_like_gbp"].iloc[0])
    assert out["cost_per_like_gbp"].iloc[1:].tolist() == pytest.approx([2.50, 2.00])
