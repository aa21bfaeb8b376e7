"""One campaign's estimates against the truth, and the recovery study's quoted numbers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import paths
from analysis.estimation import comparison, estimators
from analysis.estimation.estimates import Estimate
from analysis.estimation.recovery_findings import coverage_cells, findings


def _est(method, estimate, lo, hi, target="s"):
    return Estimate(method=method, estimate=estimate, ci_low=lo, ci_high=hi, assumption="a test",
                    n=100, target=target, unit="people")


def test_forest_table_marks_which_intervals_cover_the_truth():
    forest = comparison.forest_table(
        [_est("ab", 0.6, 0.5, 0.7), _est("ratio", 0.8, 0.75, 0.85),
         _est("its", 0.9, 0.85, 0.95, target="upper bound on s")], s_true=0.62)
    assert list(forest.columns) == ["method", "estimate", "ci_low", "ci_high", "target", "n",
                                    "unit", "design", "true_s", "covers_truth"]
    assert forest["covers_truth"].tolist() == [True, False, False]
    assert forest["design"].iloc[0] == estimators.DESIGNS["ab"]
    assert (forest["true_s"] == 0.62).all()


def test_daily_fit_projects_the_pre_campaign_baseline():
    daily = pd.read_csv(paths.DATA / "examples" / "daily.csv")
    start = daily["date"].iloc[-14]
    daily["in_campaign"] = daily["date"] >= start
    fit = comparison.daily_fit(daily, start)
    assert list(fit.columns) == ["date", "new_likes", "baseline_fit", "in_campaign"]
    assert fit["date"].tolist() == daily["date"].tolist()
    pre = fit[~fit["in_campaign"]]
    # a Poisson fit with an intercept reproduces the pre-period's total
    assert pre["baseline_fit"].sum() == pytest.approx(pre["new_likes"].sum(), rel=1e-6)
    assert (fit["baseline_fit"] > 0).all()


TABLE = pd.DataFrame([
    # estimator, condition, size, true_s, holds, coverage_own, bias
    ("ab", "none", "large", 0.1, True, 0.95, 0.00),
    ("ab", "none", "large", 0.9, True, 0.93, 0.01),
    ("mixture", "closed engage 20%", "large", 0.1, False, 0.60, -0.05),
    ("mixture", "closed engage 20%", "large", 0.9, False, 0.00, -0.30),
    ("ratio", "open fans engage 0.7x", "large", 0.1, False, 0.50, 0.02),
    ("ratio", "open fans engage 0.7x", "large", 0.9, False, 0.10, 0.13),
    ("its", "none", "large", 0.1, True, 0.94, 0.03),
    ("its", "none", "large", 0.9, True, 0.85, 0.04),
], columns=["estimator", "condition", "size", "true_s", "assumption_holds", "coverage_own", "bias"])


def test_coverage_cells_summarise_over_true_shares():
    cells = coverage_cells(TABLE)
    assert list(cells.columns) == ["size", "estimator", "condition", "worst_coverage",
                                   "mean_coverage", "mean_bias", "holds"]
    mix = cells[cells["estimator"] == "mixture"].iloc[0]
    assert (mix["worst_coverage"], mix["mean_coverage"]) == pytest.approx((0.0, 0.30))
    assert mix["mean_bias"] == pytest.approx(-0.175) and not mix["holds"]


def test_findings_pick_the_quoted_numbers():
    f = findings(TABLE)
    assert f.ab_min_coverage == pytest.approx(0.93) and f.ab_conditions == ("none",)
    assert f.holds_rows == 4 and f.holds_at_least_90 == 3
    assert f.holds_median_coverage == pytest.approx(0.935)
    assert f.weak_holds["coverage_own"].tolist() == [0.85]
    assert f.mixture_closed20_min_coverage == 0.0
    assert (f.ratio_open_bias_min, f.ratio_open_bias_max) == pytest.approx((0.02, 0.13))
    assert f.its_bias_mean == pytest.approx(0.035)


def test_findings_of_the_committed_study():
    f = findings(pd.read_csv(paths.DATA / "recovery.csv"))
    assert f.ab_conditions == ("none",)  # the A/B design ran under one condition only
    assert 0 <= f.ab_min_coverage <= 1 and not math.isnan(f.its_bias_mean)


def test_truth_table_reads_as_words_and_readable_numbers():
    table = comparison.truth_table({"s": 0.617021, "likes_in_window": 4039.0, "p_with": 0.19788,
                                    "something_new": 12})
    assert table.loc["s", "value"] == "61.7%" and table.loc["p_with", "value"] == "19.8%"
    assert table.loc["likes_in_window", "value"] == "4,039"
    assert table.loc["likes_in_window", "quantity"] == "all likes in the campaign window"
    assert table.loc["something_new", "quantity"] == "something_new"
