"""One campaign's estimates against the truth, and the recovery study's quoted numbers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import paths
from analysis.estimation import comparison, estimators, observables, recovery
from analysis.estimation.estimates import Estimate
from analysis.estimation.recovery_findings import coverage_cells, findings, study_sentence


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


# --- the notebook's words: every number comes from what the sentence is given ---------------------
TRUTH = {"s": 0.6, "closed_eyed_likes": 300, "campaign_likes": 450, "baseline_likes_in_window": 50,
         "likes_in_window": 500, "excess_share": 0.9, "campaign_closed_eyes_share": 2 / 3}


def test_truth_and_settings_sentences_quote_their_inputs():
    text = comparison.truth_sentence(TRUTH, 12_345)
    assert text.startswith("The simulated campaign reached 12,345 people and gained 450 likes, "
                           "300 of them closed-eyed (66.7% of the campaign's likes)")
    assert "the true closed-eyes share is **s = 60.0%**" in text
    assert "The campaign brought 90.0% of the window's likes" in text
    eng = observables.EngagementSetting(posts=90, reach_per_post=0.05, engagement_per_exposure=0.2,
                                        dormant_share=0.1)
    day = observables.DailySetting(pre_days=28, baseline_per_day=7.5, trend_per_week=0.02)
    text = comparison.settings_sentence(eng, day)
    for part in ("90 posts", "reaching 5.0% of the fans", "engaging 0.200 times",
                 "10.0% of genuine fans", "28 days of organic baseline", "7.5 likes a day",
                 "growing 2.0% a week"):
        assert part in text, part


def test_estimate_sentences_say_whether_the_interval_holds_the_truth():
    ab = Estimate("ab", 0.55, 0.45, 0.65, "a", 10, extra={
        "p_with": 0.2, "p_without": 0.09, "fieller_ci_low": 0.44, "fieller_ci_high": 0.66,
        "bootstrap_ci_low": 0.46, "bootstrap_ci_high": 0.64})
    text = comparison.ab_sentence(ab, 0.6)
    assert text.startswith("Like rate with the pledge 20.0%, without 9.0%: **s = 55.0%** (95% "
                           "interval 45.0% to 65.0%; Fieller 44.0% to 66.0%; bootstrap 46.0% to "
                           "64.0%)")
    assert text.endswith("The truth, 60.0%, is inside the interval.")
    assert comparison.ab_sentence(ab, 0.7).endswith("The truth, 70.0%, is outside the interval.")
    ratio = Estimate("ratio", 0.4, 0.3, 0.5, "a", 10,
                     extra={"rate_organic": 0.125, "rate_campaign": 0.075})
    assert comparison.ratio_sentence(ratio, 0.6) == (
        "Organic fans engaged 0.125 times per post that reached them, campaign fans 0.075: "
        "**s = 40.0%** (95% interval 30.0% to 50.0%; truth 60.0%).")
    mix = Estimate("mixture", 0.58, 0.5, 0.66, "a", 10,
                   extra={"pi_organic": 0.2, "pi_campaign": 0.664})
    nb = Estimate("mixture-nb", 0.57, 0.45, 0.69, "a", 10)
    text = comparison.mixture_sentence(mix, nb, 0.6)
    assert text.startswith("Never-engaging share: organic 20.0%, campaign 66.4%. Zero-inflated "
                           "Poisson: **s = 58.0%** (50.0% to 66.0%); negative binomial: 57.0% "
                           "(45.0% to 69.0%); truth 60.0%.")
    its = Estimate("its", 0.88, 0.8, 0.95, "a", 10, target="upper bound on s")
    text = comparison.its_sentence(its, TRUTH)
    assert text.startswith("Excess share **88.0%** (95% interval 80.0% to 95.0%): the campaign "
                           "really brought 90.0% of the window's likes, while the closed-eyes "
                           "share is 60.0%. The gap, 28.0 percentage points")


def test_recovery_sentences_quote_the_findings():
    text = study_sentence(17)
    assert text.startswith(f"True shares: {', '.join(f'{s:g}' for s in recovery.SHARES)}; 17 "
                           "replicates per cell")
    f = findings(TABLE)
    text = f.holds_sentence()
    assert text.startswith("- **Where each assumption holds** (outlined cells), coverage is 94% in "
                           "the median cell and at least 90% in 3 of 4 cells.\n- **Where it")
    assert "1 cell(s) fall below 90% although the assumption holds: its (none, large, s = 0.9): " \
           "85%." in text
    left = recovery.SIZES["small"]["n_campaign"] * (1 - 0.9)
    assert f"With {left:.0f} open-eyed fans left" in text
    strong = findings(TABLE.assign(coverage_own=TABLE["coverage_own"].clip(lower=0.95)))
    assert strong.holds_sentence().endswith("at least 90% in 4 of 4 cells.")
    text = f.breaks_sentence(TRUTH)
    assert "the Poisson mixture's coverage falls to 0% at the highest shares" in text
    assert "bias the ratio upwards by 2 to 13 pp" in text
    assert "as an estimate of *s* it sits 4 pp too high on average" in text  # 3.5 pp, TABLE
    assert "(30.0% in the campaign of section 2" in text  # 90% excess, s = 60%
    assert text.count("\n- ") == 2
