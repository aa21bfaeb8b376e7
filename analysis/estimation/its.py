"""Estimator 4, the weakest: an interrupted time series of the page's daily new likes.

Fit the pre-campaign days with a Poisson regression (log-linear trend plus day of week,
quasi-Poisson scale for overdispersion), project it over the campaign window as the
counterfactual baseline B, and read the **excess share** ``(W - B) / W`` of the W likes
gained in the window.

Why only an upper bound on *s*: every closed-eyes like is an excess like (without the
pledge it would not exist), but so is every genuine fan who merely discovered the page
through the campaign. Excess likes = closed-eyes likes + open-eyed likes the campaign brought,
so the excess share is at least the closed-eyes share of the window's likes.

The 95% interval adds the uncertainty of the fitted baseline (delta method) to the day-to-day
noise of the baseline likes themselves (quasi-Poisson), so it covers the realised excess share.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm

from analysis.errors import InputError
from analysis.estimation.estimates import Z95, Estimate

MIN_PRE_DAYS = 14
ASSUMPTION = (
    "the pre-campaign trend and weekday pattern of organic likes would have continued through "
    "the campaign window; the excess over that baseline counts closed-eyes likes AND genuine fans "
    "who discovered the page through the campaign, so it is an upper bound on s"
)


def check_pre_days(dates, campaign_start, *, source: str | None = None) -> int:
    """The days of data before ``campaign_start``; InputError when fewer than MIN_PRE_DAYS.

    The one home of the rule (the readers and the command line call it too); ``source``
    (a file name) opens the message when given.
    """
    start = pd.Timestamp(campaign_start)
    pre = int((pd.DatetimeIndex(pd.to_datetime(pd.Series(dates))) < start).sum())
    if pre < MIN_PRE_DAYS:
        where = f"{source}: only" if source else "only"
        raise InputError(f"{where} {pre} day(s) of data before the campaign start "
                         f"{start.date()}; the baseline needs at least {MIN_PRE_DAYS}")
    return pre


def _design(dates: pd.DatetimeIndex, origin: pd.Timestamp) -> np.ndarray:
    """Columns: constant, trend (weeks since the campaign start), weekday dummies Tue..Sun."""
    t = (dates - origin).days.to_numpy() / 7.0
    wd = dates.day_of_week.to_numpy()
    dummies = (wd[:, None] == np.arange(1, 7)[None, :]).astype(float)
    return np.column_stack([np.ones(len(dates)), t, dummies])


def _fit_pre(dates: pd.DatetimeIndex, y: np.ndarray, origin: pd.Timestamp):
    """Quasi-Poisson fit of the pre-campaign days; returns (fit, columns kept)."""
    if not np.any(np.asarray(y) > 0):
        raise InputError(f"the {len(y)} days before the campaign start {origin.date()} have no "
                         "likes at all: with no organic likes there is no baseline to project "
                         "(the time series needs some likes before the campaign)")
    X = _design(dates, origin)
    keep = X.any(axis=0)  # a weekday never seen before the campaign cannot be projected
    keep[:2] = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = sm.GLM(y, X[:, keep], family=sm.families.Poisson()).fit(scale="X2")
        except (ValueError, np.linalg.LinAlgError):
            fit = None
    if fit is None or not np.all(np.isfinite(fit.params)) or not np.isfinite(fit.scale):
        raise InputError(f"the baseline could not be fitted to the {len(y)} days before the "
                         f"campaign start {origin.date()} ({int(np.sum(y))} likes in all): too "
                         "few likes or too erratic a series to project")
    return fit, keep


def projected_baseline(dates, new_likes, campaign_start) -> np.ndarray:
    """Expected organic likes on every date, from the fit of the days before ``campaign_start``.

    dates, new_likes: the daily series; returns one expected count per date (the fitted values
    before the start, the projection from it on).
    """
    d = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates)))
    y = np.asarray(new_likes, dtype=float)
    start = pd.Timestamp(campaign_start)
    pre = d < start
    check_pre_days(d, start)
    fit, keep = _fit_pre(d[pre], y[pre], start)
    return np.exp(_design(d, start)[:, keep] @ np.asarray(fit.params))


def excess_share(dates, new_likes, campaign_start, campaign_end) -> Estimate:
    """Excess share of likes in the campaign window over a projected pre-campaign baseline.

    dates: daily dates (strictly increasing; gaps allowed); new_likes: likes per day (>= 0).
    campaign_start, campaign_end: first and last day of the campaign (inclusive); days after
    the end are not used. Needs at least 14 days before the start.
    Returns an :class:`Estimate` (method ``"its"``, target ``"upper bound on s"``); ``extra``
    holds the window's likes, the projected baseline and its standard error, and the
    quasi-Poisson dispersion of the pre-period.
    """
    d = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates)))
    y = np.asarray(new_likes, dtype=float)
    start, end = pd.Timestamp(campaign_start), pd.Timestamp(campaign_end)
    if end < start:
        raise InputError(f"campaign end {end.date()} is before its start {start.date()}")
    pre = d < start
    win = (d >= start) & (d <= end)
    check_pre_days(d, start)
    if win.sum() == 0:
        raise InputError(f"no data between {start.date()} and {end.date()}")
    fit, keep = _fit_pre(d[pre], y[pre], start)
    X_win = _design(d[win], start)[:, keep]
    beta = np.asarray(fit.params)
    cov = np.asarray(fit.cov_params())          # already scaled by the dispersion
    phi = max(float(fit.scale), 1.0)
    mu = np.exp(X_win @ beta)
    baseline = float(mu.sum())
    grad = (mu[:, None] * X_win).sum(axis=0)
    var_fit = float(grad @ cov @ grad)
    var_noise = phi * baseline
    se_b = math.sqrt(var_fit + var_noise)
    window = float(y[win].sum())
    if window <= 0:
        raise InputError(f"no likes at all between {start.date()} and {end.date()}")
    est = 1.0 - baseline / window
    lo = 1.0 - (baseline + Z95 * se_b) / window
    hi = min(1.0, 1.0 - max(baseline - Z95 * se_b, 0.0) / window)
    return Estimate(
        method="its", estimate=est, ci_low=lo, ci_high=hi, assumption=ASSUMPTION,
        n=int(pre.sum() + win.sum()), target="upper bound on s", unit="days",
        extra={"likes_in_window": window, "baseline_in_window": baseline,
               "se_baseline": se_b, "excess_likes": window - baseline, "dispersion": phi,
               "pre_days": int(pre.sum()), "window_days": int(win.sum())},
    )
