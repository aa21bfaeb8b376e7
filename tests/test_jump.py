"""The jump statistic at the target, on hand-made examples and on the real Kickstarter counts."""

from __future__ import annotations

import math

import pytest

from analysis.estimation.jump import jump_ratio


def test_hand_made_example():
    # just below: 0.9, 0.95, 0.999 (3); just above: 1.0, 1.05, 1.0999, 1.02, 1.01, 1.09 (6);
    # outside both bins: 0.2, 0.8999, 1.1, 3.0
    ratios = [0.2, 0.8999, 0.9, 0.95, 0.999, 1.0, 1.05, 1.0999, 1.02, 1.01, 1.09, 1.1, 3.0]
    j = jump_ratio(ratios)
    assert (j.above, j.below, j.finished) == (6, 3, 13)
    assert j.ratio == 2.0
    # Clopper-Pearson for 6 of 9: (0.2993, 0.9251) -> odds (0.427, 12.35)
    assert j.low == pytest.approx(0.2993 / 0.7007, rel=2e-3)
    assert j.high == pytest.approx(0.9251 / 0.0749, rel=2e-3)
    assert j.low < j.ratio < j.high


def test_no_campaign_just_below_is_an_infinite_jump_with_a_finite_lower_bound():
    j = jump_ratio([1.0, 1.05, 1.02, 0.5])
    assert j.ratio == math.inf and j.high == math.inf and 0 < j.low < math.inf


def test_nothing_near_the_target_says_nothing():
    j = jump_ratio([0.1, 2.0])
    assert math.isnan(j.ratio) and (j.above, j.below) == (0, 0)


def test_the_real_counts_of_facts_md():
    # Kickstarter 2009-2010: 3 finished at 90-100% of goal, 2,201 at 100-110% (facts.md)
    j = jump_ratio([0.95] * 3 + [1.05] * 2201 + [0.04] * 10)
    assert j.ratio == pytest.approx(2201 / 3)
    assert 150 < j.low < 2201 / 3 < j.high


def test_nan_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        jump_ratio([1.0, float("nan")])
