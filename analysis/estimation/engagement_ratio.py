"""Estimator 2: the engagement ratio of campaign fans to organic fans.

Poisson regression of each fan's engagements with log(exposures) as offset and a cohort
indicator: ``log E[y] = b0 + beta * campaign + log(exposures)``. If closed-eyes fans never
engage and open-eyed campaign fans engage like organic fans, campaign fans engage at
``(1 - s)`` times the organic rate per exposure, so ``s = 1 - exp(beta)``.

With only a cohort indicator the maximum-likelihood fit has a closed form (each cohort's
engagements per exposure), and the robust (sandwich, HC0) standard error needs only six sums
per cohort, so the fit runs on sufficient statistics and equals statsmodels'
``GLM(..., family=Poisson(), offset=log(exposures)).fit(cov_type="HC0")`` row-level fit.
Robust errors keep the interval honest when engagement is overdispersed (gamma-Poisson).
"""

from __future__ import annotations

import math

from analysis.errors import InputError
from analysis.estimation.estimates import Estimate, share_from_log_ratio
from analysis.estimation.fan_counts import FanCounts

ASSUMPTION = (
    "closed-eyes fans never engage, and open-eyed campaign fans engage with the posts that reach "
    "them at the same rate as organic fans; then campaign fans engage at (1 - s) times the "
    "organic rate per exposure"
)


def _robust_meat(t: dict[str, float], rate: float) -> float:
    """Sum over a cohort's fans of (y - rate * e)^2, from the cohort's sums."""
    return t["yy"] - 2 * rate * t["ye"] + rate * rate * t["ee"]


def engagement_ratio(counts: FanCounts) -> Estimate:
    """s = 1 - (campaign engagements per exposure) / (organic engagements per exposure).

    counts: the tabulated fans (:func:`analysis.estimation.fan_counts.tabulate`); fans with no exposure
    carry no information and are left out. Returns an :class:`Estimate` (method ``"ratio"``)
    with a 95% interval from the robust standard error of beta (delta method on log(1 - s));
    ``extra`` holds both rates, beta and its standard error.
    """
    c = counts.exposed()
    t_o, t_c = c.totals(0), c.totals(1)
    for name, t in (("organic", t_o), ("campaign", t_c)):
        if t["n"] == 0:
            raise InputError(f"no {name} fan reached by any post: the ratio needs both cohorts")
    if t_o["y"] == 0:
        raise InputError("organic fans have no engagements at all: the ratio is undefined")
    rate_o = t_o["y"] / t_o["e"]
    rate_c = t_c["y"] / t_c["e"]
    if t_c["y"] == 0:
        beta, se = -math.inf, math.inf
        est, lo, hi = 1.0, float("nan"), 1.0
    else:
        beta = math.log(rate_c / rate_o)
        # sandwich: the bread of each cohort's intercept is its total engagements (sum of mu)
        var = _robust_meat(t_c, rate_c) / t_c["y"] ** 2 + _robust_meat(t_o, rate_o) / t_o["y"] ** 2
        se = math.sqrt(var)
        est, lo, hi = share_from_log_ratio(beta, se)
    return Estimate(
        method="ratio", estimate=est, ci_low=lo, ci_high=hi, assumption=ASSUMPTION,
        n=counts.n_fans, unit="fans",
        extra={"rate_organic": rate_o, "rate_campaign": rate_c, "beta": beta, "se_beta": se,
               "fans_organic": counts.fans_in(0), "fans_campaign": counts.fans_in(1)},
    )
