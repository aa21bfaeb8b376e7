"""One simulated campaign's estimates set against its known truth (notebook 02, sections 6-7).

:func:`forest_table` lines up the designs' estimates and intervals with the true share;
:func:`daily_fit` puts the time series' fitted and projected baseline beside the observed likes;
:func:`truth_table` shows the simulation's hidden truth for reading.

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
