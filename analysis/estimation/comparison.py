"""One simulated campaign's estimates set against its known truth (notebook 02, sections 2-7).

:func:`forest_table` lines up the designs' estimates and intervals with the true share;
:func:`daily_fit` puts the time series' fitted and projected baseline beside the observed likes;
:func:`truth_table` shows the simulation's hidden truth for reading; the ``*_sentence``
functions write the notebook's sentences on that campaign from the same numbers.

:SAMPLE USE: ``forest_table([est_ab, est_ratio], s_true=0.62)``
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.estimation.estimates import Estimate
from analysis.estimation.estimators import DESIGNS
from analysis.estimation.its import projected_baseline
from analysis.formats import pct

FOREST_COLUMNS = ("method", "estimate", "ci_low", "ci_high", "target", "n", "unit")


def forest_table(estimates: Sequence[Estimate], *, s_true: float) -> pd.DataFrame:
    """One row per estimate: method, estimate, 95% interval, what it targets, n, unit, the design's
    name, the true share ``s_true`` and whether the interval covers it (``covers_truth``)."""
    return pd.DataFrame([{**{k: e.as_dict()[k] for k in FOREST_COLUMNS},
                          "design": DESIGNS[e.method], "true_s": s_true,
                          "covers_truth": e.covers(s_true)} for e in estimates])


def daily_fit(daily: pd.DataFrame, campaign_start) -> pd.DataFrame:
    """The daily series with the baseline the time series estimator fits before the campaign and
    projects over it (``baseline_fit``, expected organic likes a day).

    daily: ``date`` (YYYY-MM-DD), ``new_likes``, ``in_campaign``; campaign_start: its first day.
    Returns columns ``date, new_likes, baseline_fit, in_campaign``.
    """
    out = daily[["date", "new_likes", "in_campaign"]].copy()
    out.insert(2, "baseline_fit", projected_baseline(pd.to_datetime(out["date"]),
                                                     out["new_likes"], campaign_start))
    return out.reset_index(drop=True)


# What each number of ``Observables.truth`` means, for a reader.
TRUTH_LABELS = {
    "s": "true closed-eyes share of the window's likes, s",
    "closed_eyed_likes": "closed-eyed likes the campaign brought",
    "open_eyed_campaign_likes": "open-eyed likes the campaign brought",
    "bot_likes": "bot likes",
    "baseline_likes_in_window": "organic likes in the campaign window",
    "likes_in_window": "all likes in the campaign window",
    "campaign_likes": "likes the campaign brought",
    "excess_share": "the campaign's share of the window's likes",
    "campaign_closed_eyes_share": "closed-eyes share of the campaign's own likes",
    "p_with": "like rate with the pledge (incentive test)",
    "p_without": "like rate without the pledge (incentive test)",
    "n_organic": "organic fans before the campaign",
}


def truth_table(truth: dict) -> pd.DataFrame:
    """The simulation's hidden truth as a table a reader can scan, indexed by the truth's keys:
    ``quantity`` (in words; the key when it has no label) and ``value`` (shares as percentages
    with one decimal, counts with thousands separators)."""
    def shown(key, value):
        share = key in ("s", "p_with", "p_without") or key.endswith("_share")
        return pct(value, 1) if share else f"{value:,.0f}"

    return pd.DataFrame({"quantity": [TRUTH_LABELS.get(k, k) for k in truth],
                         "value": [shown(k, v) for k, v in truth.items()]}, index=list(truth))


# --------------------------------------------------------------------------- the notebook's words
# Notebook 02's sentences on its one campaign, each computed from the numbers it is given.

def truth_sentence(truth: dict, people_exposed: int) -> str:
    """What the simulated campaign did and its true closed-eyes share (``Observables.truth``)."""
    return (
        f"The simulated campaign reached {people_exposed:,} people and gained "
        f"{truth['campaign_likes']:,} likes, {truth['closed_eyed_likes']:,} of them closed-eyed "
        f"({pct(truth['campaign_closed_eyes_share'], 1)} of the campaign's likes). With the "
        f"{truth['baseline_likes_in_window']:,} organic likes of the same days, the page gained "
        f"{truth['likes_in_window']:,} likes in the window: the true closed-eyes share is "
        f"**s = {pct(truth['s'], 1)}**. The campaign brought {pct(truth['excess_share'], 1)} of the "
        "window's likes (the number the time series can at best recover).")


def settings_sentence(eng, day) -> str:
    """The settings behind the fan table (an ``EngagementSetting``) and the daily series (a
    ``DailySetting``), in words."""
    return (
        f"Settings: {eng.posts} posts after the campaign, each reaching {pct(eng.reach, 1)} of the "
        f"fans (median post of the real page), an attentive fan engaging {eng.rate:.3f} times per "
        f"post that reaches them, {pct(eng.dormant_share, 1)} of genuine fans inactive (assumption); "
        f"{day.pre_days} days of organic baseline before the campaign, {day.baseline_per_day:g} "
        f"likes a day at its start, growing {pct(day.trend_per_week, 1)} a week.")


def _inside(est: Estimate, s_true: float) -> str:
    return "inside" if est.covers(s_true) else "outside"


def ab_sentence(est: Estimate, s_true: float) -> str:
    """The A/B test's like rates, its estimate with the delta, Fieller and bootstrap intervals,
    and whether the interval holds the true share ``s_true``."""
    x = est.extra
    return (
        f"Like rate with the pledge {pct(x['p_with'], 1)}, without {pct(x['p_without'], 1)}: "
        f"**s = {pct(est.estimate, 1)}** (95% interval {pct(est.ci_low, 1)} to "
        f"{pct(est.ci_high, 1)}; Fieller {pct(x['fieller_ci_low'], 1)} to "
        f"{pct(x['fieller_ci_high'], 1)}; bootstrap {pct(x['bootstrap_ci_low'], 1)} to "
        f"{pct(x['bootstrap_ci_high'], 1)}). The truth, {pct(s_true, 1)}, is "
        f"{_inside(est, s_true)} the interval.")


def ratio_sentence(est: Estimate, s_true: float) -> str:
    """The engagement ratio's two rates and its estimate beside the true share ``s_true``."""
    x = est.extra
    return (
        f"Organic fans engaged {x['rate_organic']:.3f} times per post that reached them, campaign "
        f"fans {x['rate_campaign']:.3f}: **s = {pct(est.estimate, 1)}** (95% interval "
        f"{pct(est.ci_low, 1)} to {pct(est.ci_high, 1)}; truth {pct(s_true, 1)}).")


def mixture_sentence(poisson: Estimate, negbin: Estimate, s_true: float) -> str:
    """The never-engaging shares of the Poisson mixture, its estimate and the negative binomial
    one, beside the true share ``s_true``."""
    x = poisson.extra
    return (
        f"Never-engaging share: organic {pct(x['pi_organic'], 1)}, campaign "
        f"{pct(x['pi_campaign'], 1)}. Zero-inflated Poisson: **s = {pct(poisson.estimate, 1)}** "
        f"({pct(poisson.ci_low, 1)} to {pct(poisson.ci_high, 1)}); negative binomial: "
        f"{pct(negbin.estimate, 1)} ({pct(negbin.ci_low, 1)} to {pct(negbin.ci_high, 1)}); truth "
        f"{pct(s_true, 1)}.")


def its_sentence(est: Estimate, truth: dict) -> str:
    """The time series' excess share against the share the campaign really brought and the true
    closed-eyes share (``Observables.truth``), and the gap between them in percentage points."""
    return (
        f"Excess share **{pct(est.estimate, 1)}** (95% interval {pct(est.ci_low, 1)} to "
        f"{pct(est.ci_high, 1)}): the campaign really brought {pct(truth['excess_share'], 1)} of "
        f"the window's likes, while the closed-eyes share is {pct(truth['s'], 1)}. The gap, "
        f"{100 * (est.estimate - truth['s']):.1f} percentage points, is the genuine fans the "
        "campaign brought plus noise; the time series cannot tell them apart.")
