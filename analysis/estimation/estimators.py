"""The four designs for estimating the closed-eyes share, from gold standard to weakest.

One entry point per kind of data; each returns an :class:`analysis.estimation.estimates.Estimate`
(point estimate, 95% interval, identifying assumption in words, sample size):

1. :func:`from_ab_test` -- a randomised incentive test (four counts);
2. :func:`from_cohorts` with ``method="ratio"`` -- engagement of campaign vs organic fans;
3. :func:`from_cohorts` with ``method="mixture"`` (or ``"mixture-nb"``) -- a zero-inflated
   mixture with closed-eyes fans as structural zeros;
4. :func:`from_daily_likes` -- an interrupted time series of daily likes (an upper bound).

The engagement estimators accept per-fan arrays or a table and fit on sufficient statistics
(:mod:`analysis.estimation.fan_counts`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.datasets.userdata import BLOCK_BYTES, iter_fans
from analysis.errors import InputError
from analysis.estimation.ab_test import ab_estimate
from analysis.estimation.designs import COHORT_METHODS, DEFAULT_COHORT_METHOD, DESIGNS  # noqa: F401
from analysis.estimation.engagement_ratio import engagement_ratio
from analysis.estimation.estimates import Estimate
from analysis.estimation.fan_counts import FanCounts, merge, tabulate
from analysis.estimation.its import excess_share
from analysis.estimation.zero_inflated import zero_inflated_share


def from_ab_test(asked_with, liked_with, asked_without, liked_without, *,
                 rng: np.random.Generator | None = None) -> Estimate:
    """Estimator 1 (see :func:`analysis.estimation.ab_test.ab_estimate`)."""
    return ab_estimate(asked_with, liked_with, asked_without, liked_without, rng=rng)


def fan_counts(fans) -> FanCounts:
    """Tabulate fans given as a table (columns cohort, exposures, engagements; cohort labels
    ``organic``/``campaign`` or 0/1), a dict of arrays, or an existing :class:`FanCounts`."""
    if isinstance(fans, FanCounts):
        return fans
    column = fans["cohort"]
    if isinstance(getattr(column, "dtype", None), pd.CategoricalDtype):
        labels = [str(c) for c in column.cat.categories]
        codes = column.cat.codes.to_numpy() if hasattr(column, "cat") else column.codes
        if not set(labels) <= {"organic", "campaign"} or (codes < 0).any():
            raise InputError("cohort labels must be 'organic' or 'campaign'")
        column = np.asarray([c == "campaign" for c in labels], dtype=np.int8)[codes]
    cohort = np.asarray(column)
    if cohort.dtype.kind in "OUS":
        labels = pd.Series(cohort).astype(str)
        if not labels.isin(["organic", "campaign"]).all():
            raise InputError("cohort labels must be 'organic' or 'campaign'")
        cohort = (labels == "campaign").to_numpy().astype(np.int8)
    return tabulate(cohort, np.asarray(fans["exposures"]), np.asarray(fans["engagements"]))


def fan_counts_from_file(path, *, block_bytes: int | None = None) -> FanCounts:
    """Tabulate a fans file (see :func:`analysis.datasets.userdata.iter_fans`) block by block,
    so memory stays flat however many fans it holds; every check of the reader applies."""
    table = None
    for block in iter_fans(path, block_bytes=block_bytes or BLOCK_BYTES):
        part = fan_counts(block)
        table = part if table is None else merge([table, part])
    return table


def from_cohorts(fans, *, method: str = DEFAULT_COHORT_METHOD) -> Estimate:
    """Estimators 2 and 3 from per-fan engagement.

    fans: table or arrays with cohort, exposures, engagements (see :func:`fan_counts`).
    method: ``"ratio"`` (Poisson GLM, robust errors), ``"mixture"`` (zero-inflated Poisson) or
    ``"mixture-nb"`` (zero-inflated negative binomial).
    """
    counts = fan_counts(fans)
    if method == "ratio":
        return engagement_ratio(counts)
    if method in ("mixture", "mixture-nb"):
        return zero_inflated_share(counts, negbin=method == "mixture-nb")
    raise InputError(f"method {method!r} is not one of {', '.join(COHORT_METHODS)}")


def from_daily_likes(daily: pd.DataFrame, campaign_start, campaign_end) -> Estimate:
    """Estimator 4 from a table with columns ``date, new_likes`` (see :mod:`analysis.estimation.its`)."""
    return excess_share(daily["date"], daily["new_likes"], campaign_start, campaign_end)
