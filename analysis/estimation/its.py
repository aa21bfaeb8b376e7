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

Many series on the same dates (a simulation study's replicates) are fitted at once by
:func:`excess_share_many`: the dates fix the design, so iteratively reweighted least squares
runs on every series together, one small batched solve per step; :func:`excess_share` is the
batch of one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.estimation.estimates import Z95, Estimate

MIN_PRE_DAYS = 14
# the fit's convergence: a series has converged when its IRLS step's predicted deviance gain is
# below TOL * (deviance + 1) (statsmodels stops at a deviance change of 1e-8); a series not
# converged after MAX_ITER steps cannot be fitted
TOL = 1e-12
MAX_ITER = 100
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


def design(dates: pd.DatetimeIndex, origin: pd.Timestamp) -> np.ndarray:
    """Columns: constant, trend (weeks since the campaign start), weekday dummies Tue..Sun."""
    t = (dates - origin).days.to_numpy() / 7.0
    wd = dates.day_of_week.to_numpy()
    dummies = (wd[:, None] == np.arange(1, 7)[None, :]).astype(float)
    return np.column_stack([np.ones(len(dates)), t, dummies])


def _by_row(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a[r] @ b`` (or ``a[r] @ b[r]`` when ``b`` is a stack) for every row ``r`` of ``a``.

    A stacked matmul: each row's arithmetic is the same whatever the other rows, where one
    (rows x days) @ (days x k) product could block its sums by the number of rows.
    """
    return np.matmul(a[:, None, :], b)[:, 0, :]


def poisson_irls(X: np.ndarray, Y: np.ndarray, *, tol: float = TOL, max_iter: int = MAX_ITER):
    """Poisson regression (log link) of every row of ``Y`` on the shared design ``X``.

    X: (days, k) design; Y: (series, days) counts >= 0, each row with some count > 0.
    Iteratively reweighted least squares from statsmodels' start (mu = (y + mean y) / 2), all
    rows at once: each step solves one small k x k system per row. A row has converged when
    its step's predicted deviance gain (the Newton decrement g' H^-1 g) is below
    ``tol * (deviance + 1)``; the step is taken, so the coefficients end at full precision.
    A rank-deficient design (e.g. only Tuesdays) gets the minimum-norm coefficients, like
    statsmodels' pseudo-inverse.
    Returns ``beta`` (series, k), ``cov`` (series, k, k: the inverse Fisher information at
    ``beta``, not yet scaled by the dispersion), ``scale`` (Pearson X2 / (days - rank)) and
    ``ok``: False for a row with no count > 0 or a non-finite one, that went non-finite or had
    not converged after ``max_iter`` steps (its other outputs are nan).
    """
    Y = np.asarray(Y, dtype=float)
    n, k = X.shape
    # fit in an orthonormal basis of the design's row space: a full-rank system, whose
    # coefficients map back to the minimum-norm ones
    _, sv, vt = np.linalg.svd(X, full_matrices=False)
    rank = int(np.sum(sv > sv.max() * max(n, k) * np.finfo(float).eps))
    Q = vt[:rank].T
    Z = X @ Q

    def newton(mu, g):  # solve (Z' diag(mu) Z) step = g, row by row
        return _by_row(g, np.linalg.pinv(np.matmul(Z.T, Z[None] * mu[:, :, None]),
                                          hermitian=True))

    rows = Y.shape[0]
    gamma = np.full((rows, rank), np.nan)
    ok = np.zeros(rows, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        active = np.flatnonzero(np.all(np.isfinite(Y), axis=1) & np.any(Y > 0, axis=1))
        y = Y[active]
        mu = (y + y.mean(axis=1, keepdims=True)) / 2.0
        # the first step is the weighted least squares of the working response on Z
        gam = newton(mu, _by_row(mu * np.log(mu) + (y - mu), Z))
        for _ in range(max_iter):
            if active.size == 0:
                break
            mu = np.exp(_by_row(gam, Z.T))
            resid = y - mu
            g = _by_row(resid, Z)
            step = newton(mu, g)
            gain = np.sum(step * g, axis=1)
            dev = 2.0 * np.sum(np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0)
                               - resid, axis=1)
            gam = gam + step
            finite = np.isfinite(gain) & np.isfinite(dev) & np.all(np.isfinite(gam), axis=1)
            done = finite & (gain <= tol * (np.abs(dev) + 1.0))
            gamma[active[done]] = gam[done]
            ok[active[done]] = True
            going = finite & ~done
            active, gam, y = active[going], gam[going], y[going]
        mu = np.exp(_by_row(np.where(ok[:, None], gamma, 0.0), Z.T))
        cov_g = np.linalg.pinv(np.matmul(Z.T, Z[None] * mu[:, :, None]), hermitian=True)
        scale = np.sum((Y - mu) ** 2 / mu, axis=1) / (n - rank)
    ok &= np.isfinite(scale) & np.all(np.isfinite(cov_g), axis=(1, 2))
    beta = _by_row(gamma, Q.T)
    cov = np.matmul(np.matmul(Q, cov_g), Q.T)
    beta[~ok], cov[~ok], scale[~ok] = np.nan, np.nan, np.nan
    return beta, cov, scale, ok


def _no_baseline(days: int, origin: pd.Timestamp) -> InputError:
    return InputError(f"the {days} days before the campaign start {origin.date()} have no "
                      "likes at all: with no organic likes there is no baseline to project "
                      "(the time series needs some likes before the campaign)")


def _not_fitted(days: int, likes: float, origin: pd.Timestamp) -> InputError:
    return InputError(f"the baseline could not be fitted to the {days} days before the "
                      f"campaign start {origin.date()} ({likes:.0f} likes in all): too "
                      "few likes or too erratic a series to project")


def _series(dates, new_likes) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The dates as a DatetimeIndex and the counts as a (series, days) float array."""
    d = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates)))
    Y = np.asarray(new_likes, dtype=float)
    if Y.ndim != 2 or Y.shape[1] != len(d):
        raise InputError(f"new_likes must hold one row of {len(d)} daily counts per series "
                         f"(one per date), got an array of shape {Y.shape}")
    if not np.all(np.isfinite(Y)) or np.any(Y < 0):
        raise InputError("new_likes must be counts >= 0 (no missing, negative or infinite values)")
    return d, Y


def _fit_pre(d: pd.DatetimeIndex, Y: np.ndarray, start: pd.Timestamp):
    """Quasi-Poisson fits of the days before ``start``, every row of ``Y`` at once.

    Returns (beta, cov scaled by the Pearson dispersion, dispersion, columns kept, errors):
    ``errors[r]`` is the InputError of a row with no likes before the start or whose fit
    failed (None otherwise; its numbers are nan).
    """
    pre = d < start
    X = design(d[pre], start)
    keep = X.any(axis=0)  # a weekday never seen before the campaign cannot be projected
    keep[:2] = True
    y = Y[:, pre]
    has_likes = np.any(y > 0, axis=1)
    beta = np.full((len(Y), int(keep.sum())), np.nan)
    cov = np.full((len(Y),) + beta.shape[1:] * 2, np.nan)
    scale = np.full(len(Y), np.nan)
    ok = np.zeros(len(Y), dtype=bool)
    beta[has_likes], cov[has_likes], scale[has_likes], ok[has_likes] = poisson_irls(
        X[:, keep], y[has_likes], tol=TOL, max_iter=MAX_ITER)
    errors = [None if good else _not_fitted(len(row), row.sum(), start) if any_ else
              _no_baseline(len(row), start)
              for row, any_, good in zip(y, has_likes, ok, strict=True)]
    return beta, cov * scale[:, None, None], scale, keep, errors


def projected_baseline(dates, new_likes, campaign_start) -> np.ndarray:
    """Expected organic likes on every date, from the fit of the days before ``campaign_start``.

    dates, new_likes: the daily series; returns one expected count per date (the fitted values
    before the start, the projection from it on).
    """
    d, Y = _series(dates, np.asarray(new_likes, dtype=float)[None, :])
    start = pd.Timestamp(campaign_start)
    check_pre_days(d, start)
    beta, _, _, keep, errors = _fit_pre(d, Y, start)
    if errors[0] is not None:
        raise errors[0]
    return np.exp(design(d, start)[:, keep] @ beta[0])


def excess_share_many(dates, new_likes, campaign_start, campaign_end) -> list[Estimate | InputError]:
    """:func:`excess_share` of many series on the same dates, fitted all at once.

    dates: daily dates shared by every series (strictly increasing; gaps allowed);
    new_likes: a (series, days) array of likes per day, one row per series.
    campaign_start, campaign_end: as in :func:`excess_share`.
    Returns one entry per row: its :class:`Estimate`, or the :class:`InputError` that
    :func:`excess_share` would raise for that row alone (no likes before the start, none in the
    window, or a baseline that cannot be fitted). Problems shared by every row (too few days
    before the start, no days in the window, a window that ends before it starts) raise.

    :SAMPLE USE: ``excess_share_many(dates, np.vstack([likes_a, likes_b]), "2010-11-06",
    "2010-11-19")``
    """
    d, Y = _series(dates, new_likes)
    start, end = pd.Timestamp(campaign_start), pd.Timestamp(campaign_end)
    if end < start:
        raise InputError(f"campaign end {end.date()} is before its start {start.date()}")
    pre = d < start
    win = (d >= start) & (d <= end)
    check_pre_days(d, start)
    if win.sum() == 0:
        raise InputError(f"no data between {start.date()} and {end.date()}")
    beta, cov, scale, keep, errors = _fit_pre(d, Y, start)
    X_win = design(d[win], start)[:, keep]
    with np.errstate(invalid="ignore"):
        mu = np.exp(_by_row(beta, X_win.T))
        baseline = mu.sum(axis=1)
        grad = _by_row(mu, X_win)
        var_fit = np.sum(_by_row(grad, cov) * grad, axis=1)
    phi = np.maximum(scale, 1.0)
    se_b = np.sqrt(var_fit + phi * baseline)
    window = Y[:, win].sum(axis=1)
    out: list[Estimate | InputError] = []
    for r, error in enumerate(errors):
        if error is None and window[r] <= 0:
            error = InputError(f"no likes at all between {start.date()} and {end.date()}")
        if error is not None:
            out.append(error)
            continue
        b, se, w = float(baseline[r]), float(se_b[r]), float(window[r])
        out.append(Estimate(
            method="its", estimate=1.0 - b / w, ci_low=1.0 - (b + Z95 * se) / w,
            ci_high=min(1.0, 1.0 - max(b - Z95 * se, 0.0) / w), assumption=ASSUMPTION,
            n=int(pre.sum() + win.sum()), target="upper bound on s", unit="days",
            extra={"likes_in_window": w, "baseline_in_window": b, "se_baseline": se,
                   "excess_likes": w - b, "dispersion": float(phi[r]),
                   "pre_days": int(pre.sum()), "window_days": int(win.sum())},
        ))
    return out


def excess_share(dates, new_likes, campaign_start, campaign_end) -> Estimate:
    """Excess share of likes in the campaign window over a projected pre-campaign baseline.

    dates: daily dates (strictly increasing; gaps allowed); new_likes: likes per day (>= 0).
    campaign_start, campaign_end: first and last day of the campaign (inclusive); days after
    the end are not used. Needs at least 14 days before the start.
    Returns an :class:`Estimate` (method ``"its"``, target ``"upper bound on s"``); ``extra``
    holds the window's likes, the projected baseline and its standard error, and the
    quasi-Poisson dispersion of the pre-period. The batch of one of :func:`excess_share_many`.
    """
    (result,) = excess_share_many(dates, np.asarray(new_likes, dtype=float)[None, :],
                                  campaign_start, campaign_end)
    if isinstance(result, InputError):
        raise result
    return result
