"""One simulated campaign's estimates set against its known truth (notebook 02, sections 6-7).

:func:`forest_table` lines up the designs' estimates and intervals with the true share;
:func:`daily_fit` puts the time series' fitted and projected baseline beside the observed likes.

:SAMPLE USE: ``forest_table([est_ab, est_ratio], s_true=0.62)``
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.estimation.estimates import Estimate
from analysis.estimation.estimators import DESIGNS
from analysis.estimation.its import projected_baseline

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
