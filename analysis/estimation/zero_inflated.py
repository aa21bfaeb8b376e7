"""Estimator 3: a zero-inflated mixture, closed-eyes fans as structural zeros.

Each fan is either a structural zero (never engages, probability ``pi``) or engages with the
posts that reach them as a Poisson (or negative binomial) count with mean
``exposures * rate``. Both the zero-inflation probability and the rate depend on the cohort:

    logit(pi)  = g0 + g1 * campaign          (inflation part)
    log(mean)  = b0 + b1 * campaign + log(exposures)   (count part)

Organic fans have structural zeros too (inactive accounts, share ``pi_o``). If closed-eyes
fans never engage and open-eyed campaign fans are as often inactive as organic fans, then
``pi_c = s + (1 - s) pi_o``, so ``s = (pi_c - pi_o) / (1 - pi_o)``. Unlike the engagement
ratio, the campaign's open-eyed fans may engage at a different rate (``b1`` is free): the
mixture reads *s* from the shape of the zeros across exposures, not from the mean.

The likelihood is written on the tabulated cells (:mod:`analysis.estimation.fan_counts`) and maximised
with scipy (analytic gradient); it equals statsmodels' row-level ``ZeroInflatedPoisson`` /
``ZeroInflatedNegativeBinomialP(p=2)`` fit with the same design. The interval comes from the
observed information (numerical Hessian of the log-likelihood) and the delta method on
``log(1 - s) = log(1 - pi_c) - log(1 - pi_o)``. (statsmodels 0.15's analytic ZIP Hessian
disagrees with the numerical derivative of its own score and gives standard errors about 40%
too small here; the test compares with the latter, and simulation agrees with it.)

Small cohorts at high *s*: with only a few dozen open-eyed fans left in the campaign cohort,
the likelihood can peak at "every campaign fan engages rarely" (pi_c near 0) and the interval
is then too narrow; the recovery study (notebook 02) shows where.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special

from analysis.errors import InputError
from analysis.estimation.estimates import Estimate, share_from_log_ratio
from analysis.estimation.fan_counts import FanCounts

ASSUMPTION = (
    "closed-eyes fans never engage (structural zeros), open-eyed campaign fans are inactive as "
    "often as organic fans, and an active fan's engagements are {dist} in the posts that reach "
    "them; then s = (pi_campaign - pi_organic) / (1 - pi_organic)"
)
_BOUND = 30.0  # |logit| bound keeps a zero-inflation share of exactly 0 or 1 finite


def _design(c: FanCounts):
    x = c.cohort.astype(float)
    return x, np.log(c.exposures.astype(float)), c.engagements.astype(float), c.weight.astype(float)


def loglik(params: np.ndarray, counts: FanCounts, *, negbin: bool = False,
           gradient: bool = False):
    """Log-likelihood (and its gradient) of the zero-inflated model on tabulated fans.

    params: ``[g0, g1, b0, b1]`` (Poisson) or ``[g0, g1, b0, b1, log_alpha]`` (negative
    binomial NB2, variance mean + alpha mean^2). counts: tabulated fans with exposures >= 1.
    """
    x, off, y, w = _design(counts)
    g = params[0] + params[1] * x
    eta = params[2] + params[3] * x + off
    mu = np.exp(eta)
    log_pi = -np.logaddexp(0.0, -g)          # log(pi)
    log_1mpi = -np.logaddexp(0.0, g)         # log(1 - pi)
    pi = np.exp(log_pi)
    zero = y == 0
    if negbin:
        alpha = math.exp(params[4])
        theta = 1.0 / alpha
        log_ratio = np.log(theta) - np.logaddexp(np.log(theta), eta)   # log(theta / (theta + mu))
        log_f0 = theta * log_ratio
        log_pos = (special.gammaln(y + theta) - special.gammaln(theta) - special.gammaln(y + 1)
                   + theta * log_ratio + y * (eta - np.logaddexp(np.log(theta), eta)))
    else:
        log_f0 = -mu
        log_pos = y * eta - mu - special.gammaln(y + 1)
    log_p0 = np.logaddexp(log_pi, log_1mpi + log_f0)
    ll = np.where(zero, log_p0, log_1mpi + log_pos)
    total = float(np.sum(w * ll))
    if not gradient:
        return total
    # gradient pieces per cell: d ll / d g, d ll / d eta, d ll / d log_alpha
    f0 = np.exp(log_f0)
    share_struct = np.exp(log_pi - log_p0)           # P(structural | y = 0)
    share_count = 1.0 - share_struct                 # P(count zero | y = 0)
    d_g = np.where(zero, share_struct * (1 - pi) - share_count * pi, -pi)
    if negbin:
        tpm = theta + mu
        dlogf0_deta = -theta * mu / tpm
        dpos_deta = theta * (y - mu) / tpm
        dlogf0_dtheta = log_ratio + 1 - theta / tpm
        dpos_dtheta = (special.digamma(y + theta) - special.digamma(theta) + log_ratio + 1
                       - (theta + y) / tpm)
        d_eta = np.where(zero, share_count * dlogf0_deta, dpos_deta)
        d_la = -theta * np.where(zero, share_count * dlogf0_dtheta, dpos_dtheta)
    else:
        d_eta = np.where(zero, share_count * (-mu), y - mu)
    del f0
    grad = [np.sum(w * d_g), np.sum(w * d_g * x), np.sum(w * d_eta), np.sum(w * d_eta * x)]
    if negbin:
        grad.append(np.sum(w * d_la))
    return total, np.asarray(grad)


def _starts(c: FanCounts, negbin: bool) -> list[np.ndarray]:
    """Starting values: one from the positive counts (the active fans' rate, then the share of
    fans that rate cannot explain as zeros) and one with little inflation; the fit keeps the
    better optimum, so a mode where a cohort is all active fans engaging rarely is not taken
    for the mixture's."""
    per_cohort = []
    for k in (0, 1):
        m = c.cohort == k
        w, e, y = c.weight[m], c.exposures[m], c.engagements[m]
        n = max(w.sum(), 1)
        pos = y > 0
        rate_pos = max((w * y)[pos].sum(), 0.5) / max((w * e)[pos].sum(), 1)
        p_pos = np.sum(w * (1 - np.exp(-rate_pos * e))) / n
        active = float(np.clip(w[pos].sum() / n / max(p_pos, 1e-9), 0.01, 0.99))
        rate_all = max((w * y).sum(), 0.5) / max((w * e).sum(), 1)
        per_cohort.append([(special.logit(1 - active), math.log(rate_pos)),
                           (special.logit(0.05), math.log(rate_all / 0.95))])
    out = []
    for i in range(2):
        (g0, b0), (gc, bc) = per_cohort[0][i], per_cohort[1][i]
        start = [g0, gc - g0, b0, bc - b0]
        if negbin:
            start.append(math.log(0.5))
        out.append(np.asarray(start))
    return out


def _hessian(f, p: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """Central-difference Hessian from an analytic gradient ``f(p) -> grad``."""
    k = p.size
    h = np.empty((k, k))
    for i in range(k):
        d = np.zeros(k)
        d[i] = step * max(1.0, abs(p[i]))
        h[:, i] = (f(p + d) - f(p - d)) / (2 * d[i])
    return 0.5 * (h + h.T)


def fit_zero_inflated(counts: FanCounts, *, negbin: bool = False) -> dict:
    """Maximum-likelihood fit of the zero-inflated model on tabulated fans.

    counts: from :func:`analysis.estimation.fan_counts.tabulate`; fans with no exposure are left out.
    negbin: negative binomial (NB2) counts with one dispersion for both cohorts (default Poisson).
    Returns ``params``, ``cov`` (inverse observed information), ``loglik`` and ``converged``.
    """
    c = counts.exposed()
    for k, name in ((0, "organic"), (1, "campaign")):
        if c.fans_in(k) == 0:
            raise InputError(f"no {name} fan reached by any post: the mixture needs both cohorts")
    if c.engagements[c.cohort == 0].max() == 0:
        raise InputError("organic fans have no engagements at all: the mixture is undefined")
    n = float(c.weight.sum())

    def objective(p):
        if negbin and not -25.0 < p[4] < 12.0:   # alpha beyond e^-25 or e^12: out of range
            return math.inf, np.zeros_like(p)
        with np.errstate(all="ignore"):
            ll, g = loglik(p, c, negbin=negbin, gradient=True)
        if not (math.isfinite(ll) and np.all(np.isfinite(g))):
            return math.inf, np.zeros_like(p)
        return -ll / n, -g / n

    # BFGS (scipy's L-BFGS-B costs milliseconds per step here); logits past +/-_BOUND are a
    # share of exactly 0 or 1 and are clipped back after the fit
    res = min((optimize.minimize(objective, start, jac=True, method="BFGS",
                                 options={"maxiter": 2000, "gtol": 1e-10})
               for start in _starts(c, negbin)), key=lambda r: r.fun)
    p = res.x.copy()
    p[0] = np.clip(p[0], -_BOUND, _BOUND)
    p[1] = np.clip(p[0] + p[1], -_BOUND, _BOUND) - p[0]
    if negbin:
        p[4] = np.clip(p[4], -25.0, 12.0)
    # polish with Newton steps on the exact gradient (interior solutions only)
    grad = lambda q: loglik(q, c, negbin=negbin, gradient=True)[1]  # noqa: E731
    for _ in range(20):
        h = _hessian(grad, p)
        g = grad(p)
        try:
            step = np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            break
        q = p - step
        if np.any(np.abs(q[:2]) > 2 * _BOUND) or not np.all(np.isfinite(q)):
            break
        if loglik(q, c, negbin=negbin) < loglik(p, c, negbin=negbin) - 1e-9:
            break
        p = q
        if np.max(np.abs(step)) < 1e-10:
            break
    h = _hessian(grad, p)
    try:
        cov = np.linalg.inv(-h)
    except np.linalg.LinAlgError:
        cov = np.full((p.size, p.size), np.nan)
    return {"params": p, "cov": cov, "loglik": loglik(p, c, negbin=negbin),
            "converged": bool(res.success) or bool(np.max(np.abs(grad(p))) / n < 1e-6)}


def share_from_params(params: np.ndarray, cov: np.ndarray) -> tuple[float, float, float, float]:
    """s and its 95% interval from fitted inflation parameters (g0, g1) and their covariance.

    Returns (s, ci_low, ci_high, se of log(1 - s)).
    """
    g0, g1 = float(params[0]), float(params[1])
    pi_o, pi_c = special.expit(g0), special.expit(g0 + g1)
    log_1ms = -np.logaddexp(0.0, g0 + g1) + np.logaddexp(0.0, g0)   # log(1-pi_c) - log(1-pi_o)
    grad = np.array([pi_o - pi_c, -pi_c])
    var = float(grad @ cov[:2, :2] @ grad)
    se = math.sqrt(var) if var >= 0 and math.isfinite(var) else float("nan")
    est, lo, hi = share_from_log_ratio(float(log_1ms), se)
    return est, lo, hi, se


def zero_inflated_share(counts: FanCounts, *, negbin: bool = False) -> Estimate:
    """s = (pi_campaign - pi_organic) / (1 - pi_organic) from a zero-inflated fit.

    counts: tabulated fans; negbin: negative binomial counts (method ``"mixture-nb"``) instead of
    Poisson (``"mixture"``). ``extra`` holds both inflation shares, both rates per exposure
    (among active fans) and, for the negative binomial, the dispersion alpha.
    """
    fit = fit_zero_inflated(counts, negbin=negbin)
    p = fit["params"]
    est, lo, hi, se = share_from_params(p, fit["cov"])
    extra = {
        "pi_organic": float(special.expit(p[0])),
        "pi_campaign": float(special.expit(p[0] + p[1])),
        "rate_organic": math.exp(p[2]),
        "rate_campaign": math.exp(p[2] + p[3]),
        "se_log_1_minus_s": se,
        "converged": fit["converged"],
        "fans_organic": counts.fans_in(0), "fans_campaign": counts.fans_in(1),
    }
    if negbin:
        extra["alpha"] = math.exp(p[4])
    dist = "negative binomial" if negbin else "Poisson"
    return Estimate(method="mixture-nb" if negbin else "mixture", estimate=est, ci_low=lo,
                    ci_high=hi, assumption=ASSUMPTION.format(dist=dist), n=counts.n_fans,
                    unit="fans", extra=extra)
