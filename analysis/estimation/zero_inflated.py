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

The likelihood is written on the tabulated cells (:mod:`analysis.estimation.fan_counts`) with
its analytic gradient and Hessian, and maximised by damped Newton steps (a few milliseconds a
fit, which the recovery study's thousands of fits need); it equals statsmodels' row-level
``ZeroInflatedPoisson`` / ``ZeroInflatedNegativeBinomialP(p=2)`` fit with the same design. The
negative binomial is written so that it stays exact near the Poisson limit (alpha -> 0), where
the textbook form loses its digits and an optimiser wanders on rounding noise. Estimates on a
flat boundary (a share or alpha indistinguishable from 0) are pinned to it (see
:data:`PIN_LOGIT`), so that a rerun on another machine gives the same numbers. The interval
comes from the observed information (the analytic Hessian) and the delta method on
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
from scipy import special

from analysis.errors import InputError
from analysis.estimation.estimates import Estimate, share_from_log_ratio
from analysis.estimation.fan_counts import FanCounts

ASSUMPTION = (
    "closed-eyes fans never engage (structural zeros), open-eyed campaign fans are inactive as "
    "often as organic fans, and an active fan's engagements are {dist} in the posts that reach "
    "them; then s = (pi_campaign - pi_organic) / (1 - pi_organic)"
)


class _Cells:
    """The tabulated fans split once into zero and positive cells, with what every evaluation of
    the likelihood reuses (an optimiser evaluates it a few dozen times on the same cells).

    Internally the model is written per cohort, ``(g_o, g_c, b_o, b_c[, log_alpha])``: every cell
    belongs to one cohort, so its linear predictors are ``g = g_k`` and
    ``eta = b_k + log(exposures)``, and per-cell derivatives are summed by cohort.
    """

    def __init__(self, c: FanCounts):
        x = c.cohort.astype(np.intp)
        off = np.log(c.exposures.astype(float))
        w = c.weight.astype(float)
        zero = c.engagements == 0
        pos = ~zero
        y = c.engagements[pos].astype(np.int64)
        # (cohort of each cell, offset, weights by cohort as a 2 x cells matrix, weights)
        self.zero = (x[zero], off[zero], _by_cohort(x[zero], w[zero]), w[zero])
        self.pos = (x[pos], off[pos], _by_cohort(x[pos], w[pos]), w[pos])
        self.y_int = y
        self.y = y.astype(float)
        self.lgy1 = special.gammaln(y + 1.0)
        self.j = np.arange(int(y.max()) if y.size else 0, dtype=float)


def _by_cohort(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weights split into an organic and a campaign row (a cell's weight sits in its cohort)."""
    out = np.zeros((2, x.size))
    out[x, np.arange(x.size)] = w
    return out


# The negative binomial is written in alpha = exp(a) and L = log(1 + mu alpha), so that it stays
# exact as alpha -> 0 (the Poisson limit, where theta = 1 / alpha is huge and the textbook form
# log Gamma(y + theta) - log Gamma(theta) + theta log(theta / (theta + mu)) loses every digit):
#     log f(y) = sum_{j<y} log(1 + j alpha) - (y + theta) L + y eta - log y!
# with dL/d eta = dL/da = q = mu alpha / (1 + mu alpha).


def _zero_cells(p: np.ndarray, cells: _Cells, negbin: bool, order: int):
    """Log-likelihood of the zero cells, log(pi + (1 - pi) f0), and its derivatives by cell:
    columns d/dg, d/d eta[, d/da] and the second derivatives (gg, g eta, eta eta[, ga, eta a,
    aa])."""
    x, off = cells.zero[:2]
    g = p[0:2][x]
    eta = p[2:4][x] + off
    log_pi = -np.logaddexp(0.0, -g)
    log_1mpi = -np.logaddexp(0.0, g)
    if negbin:
        theta = math.exp(-p[4])
        big_l = np.logaddexp(0.0, eta + p[4])          # log(1 + mu alpha)
        l0 = -theta * big_l                            # log f0, the count part's zero
    else:
        mu = np.exp(eta)
        l0 = -mu
    ll = np.logaddexp(log_pi, log_1mpi + l0)
    if order == 0:
        return ll, None, None
    pi = np.exp(log_pi)
    r_s = np.exp(log_pi - ll)                          # P(structural zero | y = 0)
    r_c = np.exp(log_1mpi + l0 - ll)                   # P(count zero | y = 0)
    if negbin:
        q = special.expit(eta + p[4])
        tq = theta * q
        l0_e = -tq
        l0_a = theta * big_l - tq
    else:
        l0_e = -mu
    d_g = r_s * (1.0 - pi) - r_c * pi
    d_e = r_c * l0_e
    first = [d_g, d_e]
    if negbin:
        d_a = r_c * l0_a
        first.append(d_a)
    if order == 1:
        return ll, first, None
    # second derivatives of P0 over P0, minus the product of the first ones
    l0_ee = -tq * (1.0 - q) if negbin else -mu
    second = [(1.0 - 2.0 * pi) * d_g - d_g * d_g,
              -pi * d_e - d_g * d_e,
              r_c * (l0_e * l0_e + l0_ee) - d_e * d_e]
    if negbin:
        l0_ea = tq * q
        l0_aa = -theta * big_l + 2.0 * tq - tq * (1.0 - q)
        second += [-pi * d_a - d_g * d_a,
                   r_c * (l0_e * l0_a + l0_ea) - d_e * d_a,
                   r_c * (l0_a * l0_a + l0_aa) - d_a * d_a]
    return ll, first, second


def _positive_cells(p: np.ndarray, cells: _Cells, negbin: bool, order: int):
    """Log-likelihood of the cells with engagements, log(1 - pi) + log f(y), and derivatives
    (as :func:`_zero_cells`)."""
    x, off = cells.pos[:2]
    y = cells.y
    g = p[0:2][x]
    eta = p[2:4][x] + off
    log_1mpi = -np.logaddexp(0.0, g)
    if negbin:
        alpha, theta = math.exp(p[4]), math.exp(-p[4])
        big_l = np.logaddexp(0.0, eta + p[4])
        ja = cells.j * alpha                            # sums over j < y, by cumulative sums
        a_sum = np.concatenate(([0.0], np.cumsum(np.log1p(ja))))[cells.y_int]
        log_f = a_sum - (y + theta) * big_l + y * eta - cells.lgy1
    else:
        mu = np.exp(eta)
        log_f = y * eta - mu - cells.lgy1
    ll = log_1mpi + log_f
    if order == 0:
        return ll, None, None
    pi = special.expit(g)
    if negbin:
        q = special.expit(eta + p[4])
        ytq = (y + theta) * q
        a_a = np.concatenate(([0.0], np.cumsum(ja / (1.0 + ja))))[cells.y_int]
        first = [-pi, y - ytq, a_a + theta * (big_l - q) - y * q]
    else:
        first = [-pi, y - mu]
    if order == 1:
        return ll, first, None
    zeros = np.zeros_like(pi)
    if negbin:
        a_aa = np.concatenate(([0.0], np.cumsum(ja / (1.0 + ja) ** 2)))[cells.y_int]
        curv = ytq * (1.0 - q)
        second = [-pi * (1.0 - pi), zeros, -curv,
                  zeros, theta * q - curv, a_aa - theta * big_l + 2.0 * theta * q - curv]
    else:
        second = [-pi * (1.0 - pi), zeros, -mu]
    return ll, first, second


def _evaluate(c: np.ndarray, cells: _Cells, negbin: bool, order: int):
    """(log-likelihood, gradient or None, Hessian or None) in the per-cohort parameters
    ``c = (g_o, g_c, b_o, b_c[, log_alpha])`` on prepared cells."""
    c = np.asarray(c, dtype=float)
    total, grad_parts, hess_parts = 0.0, [], []
    for part, group in ((_zero_cells, cells.zero), (_positive_cells, cells.pos)):
        ll, first, second = part(c, cells, negbin, order)
        weights = group[2]                              # 2 x cells, a row per cohort
        total += float(group[3] @ ll)
        if order >= 1:
            grad_parts.append(weights @ np.array(first).T)   # cohort x (g, eta[, a])
        if order == 2:
            hess_parts.append(weights @ np.array(second).T)
    if order == 0:
        return total, None, None
    s1 = grad_parts[0] + grad_parts[1]
    grad = np.concatenate([s1[:, 0], s1[:, 1]] + ([[s1[:, 2].sum()]] if negbin else []))
    if order == 1:
        return total, grad, None
    s2 = hess_parts[0] + hess_parts[1]                  # cohort x (gg, ge, ee[, ga, ea, aa])
    k = c.size
    hess = np.zeros((k, k))
    for cohort in (0, 1):
        gi, bi = cohort, 2 + cohort
        hess[gi, gi] = s2[cohort, 0]
        hess[gi, bi] = hess[bi, gi] = s2[cohort, 1]
        hess[bi, bi] = s2[cohort, 2]
        if negbin:
            hess[gi, 4] = hess[4, gi] = s2[cohort, 3]
            hess[bi, 4] = hess[4, bi] = s2[cohort, 4]
    if negbin:
        hess[4, 4] = s2[:, 5].sum()
    return total, grad, hess


# The reported parameters (g0, g1, b0, b1[, log_alpha]) are TO_PARAMS @ the per-cohort ones.
TO_PARAMS = np.array([[1.0, 0, 0, 0, 0], [-1, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, -1, 1, 0],
                      [0, 0, 0, 0, 1]])


def loglik(params: np.ndarray, counts: FanCounts, *, negbin: bool = False,
           gradient: bool = False, hessian: bool = False):
    """Log-likelihood (and its gradient and Hessian, all analytic) of the zero-inflated model on
    tabulated fans.

    params: ``[g0, g1, b0, b1]`` (Poisson) or ``[g0, g1, b0, b1, log_alpha]`` (negative
    binomial NB2, variance mean + alpha mean^2). counts: tabulated fans with exposures >= 1.
    Returns the log-likelihood; with ``gradient``, ``(ll, grad)``; with ``hessian``,
    ``(ll, grad, hess)``.
    """
    p = np.asarray(params, dtype=float)
    a = TO_PARAMS[:p.size, :p.size]
    order = 2 if hessian else 1 if gradient else 0
    ll, grad, hess = _evaluate(np.linalg.solve(a, p), _Cells(counts), negbin, order)
    if order == 0:
        return ll
    # chain rule: d/dp = A^-T d/dc, and the same on both sides for the Hessian
    a_inv_t = np.linalg.inv(a).T
    grad = a_inv_t @ grad
    if order == 1:
        return ll, grad
    return ll, grad, a_inv_t @ hess @ a_inv_t.T


def _starts(c: FanCounts, negbin: bool) -> list[np.ndarray]:
    """Starting values of the per-cohort parameters ``(g_o, g_c, b_o, b_c[, log_alpha])``: one from the positive counts (the active fans' rate, then the share of
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
        start = [g0, gc, b0, bc]
        if negbin:
            start.append(math.log(0.5))
        out.append(np.asarray(start))
    return out


# The optimiser, explicit so that a rerun on any machine lands on the same optimum (issue 12):
# Newton steps on the analytic gradient and Hessian of the mean log-likelihood per fan, damped
# (Levenberg-Marquardt) until a step improves it, from each start of _starts; stopped when no
# gradient entry exceeds GTOL, or a full Newton step would gain less than FTOL (the rounding
# level of a mean log-likelihood near 1), or after MAX_ITER steps. The better optimum wins.
GTOL = 1e-9
FTOL = 1e-15
MAX_ITER = 200
# Boundaries. A zero-inflation share below expit(-PIN_LOGIT) = 5e-5 (or above 1 - 5e-5), or a
# dispersion alpha below exp(PIN_LOG_ALPHA) = 5e-5, cannot be told from exactly 0 (or 1) with
# fewer than tens of thousands of fans: the likelihood is flat there, and where an optimiser stops on
# it is rounding noise. Such an estimate is pinned to the boundary (logit +/-BOUND_LOGIT,
# log alpha LOG_ALPHA[0]), the other parameters are refitted, and the pinned one counts as
# known in the interval (zero variance), as it would be at the boundary itself.
BOUND_LOGIT = 30.0
PIN_LOGIT = 10.0
LOG_ALPHA = (-25.0, 12.0)   # alpha beyond e^-25 (the Poisson limit) or e^12 is out of range
PIN_LOG_ALPHA = -10.0
class _Objective:
    """Mean negative log-likelihood per fan in the free per-cohort parameters, with its analytic
    gradient and Hessian, and the damped Newton minimiser that uses them."""

    def __init__(self, cells: _Cells, n: float, negbin: bool, fixed: np.ndarray,
                 free: np.ndarray):
        self.cells, self.n, self.negbin = cells, n, negbin
        self.fixed, self.free, self.all_free = fixed, free, bool(free.all())

    def full(self, z: np.ndarray) -> np.ndarray:
        """All per-cohort parameters: the free ones from z, the pinned ones fixed."""
        out = self.fixed.copy()
        out[self.free] = z
        return out

    def __call__(self, z: np.ndarray):
        """(value, gradient, Hessian) at z; value inf where the model is undefined.
        (Call with numpy's floating-point warnings off: a trial step may overflow.)"""
        c = z if self.all_free else self.full(z)
        if self.negbin and not LOG_ALPHA[0] <= c[4] < LOG_ALPHA[1]:
            return math.inf, None, None
        ll, g, h = _evaluate(c, self.cells, self.negbin, 2)
        if not self.all_free:
            g, h = g[self.free], h[np.ix_(self.free, self.free)]
        if not math.isfinite(ll + g.sum() + h.sum()):
            return math.inf, None, None
        return -ll / self.n, -g / self.n, -h / self.n

    def minimise(self, z0: np.ndarray) -> dict:
        """Damped Newton from z0: returns x, fun, success and nit (steps taken)."""
        z = np.asarray(z0, dtype=float)
        f, g, h = self(z)
        if not math.isfinite(f):
            return {"x": z, "fun": math.inf, "success": False, "nit": 0}
        eye = np.eye(z.size)
        damping = 0.0
        for it in range(MAX_ITER):
            if np.max(np.abs(g)) <= GTOL or _newton_gain(g, h) <= FTOL:
                return {"x": z, "fun": f, "success": True, "nit": it}
            while True:
                try:
                    chol = np.linalg.cholesky(h + damping * eye)
                except np.linalg.LinAlgError:   # not positive definite: damp more
                    damping = max(10.0 * damping, 1e-6)
                    continue
                step = -np.linalg.solve(chol.T, np.linalg.solve(chol, g))
                f_new, g_new, h_new = self(z + step)
                if f_new <= f + 1e-4 * float(g @ step):   # enough decrease: take the step
                    z, f, g, h = z + step, f_new, g_new, h_new
                    damping = 0.0 if damping < 1e-6 else damping / 10.0
                    break
                damping = max(10.0 * damping, 1e-6)
                if damping > 1e12:          # no step improves: as far as it goes
                    return {"x": z, "fun": f, "success": False, "nit": it}
        return {"x": z, "fun": f, "success": False, "nit": MAX_ITER}


def _newton_gain(g: np.ndarray, h: np.ndarray) -> float:
    """What a full Newton step would gain, g H^-1 g / 2 (inf where H is not positive definite)."""
    try:
        chol = np.linalg.cholesky(h)
    except np.linalg.LinAlgError:
        return math.inf
    half = np.linalg.solve(chol, g)
    return 0.5 * float(half @ half)


def _pinned(c: np.ndarray, negbin: bool) -> np.ndarray:
    """Per-cohort parameters with every estimate on a flat boundary set to that boundary."""
    out = c.copy()
    for i in (0, 1):
        if abs(c[i]) > PIN_LOGIT:
            out[i] = math.copysign(BOUND_LOGIT, c[i])
    if negbin and c[4] < PIN_LOG_ALPHA:
        out[4] = LOG_ALPHA[0]
    return out


def fit_zero_inflated(counts: FanCounts, *, negbin: bool = False) -> dict:
    """Maximum-likelihood fit of the zero-inflated model on tabulated fans.

    counts: from :func:`analysis.estimation.fan_counts.tabulate`; fans with no exposure are left out.
    negbin: negative binomial (NB2) counts with one dispersion for both cohorts (default Poisson).
    Returns ``params`` ([g0, g1, b0, b1] or with log_alpha), ``cov`` (inverse observed
    information; zero rows and columns for a parameter pinned to a boundary), ``loglik``,
    ``converged``, ``pinned`` (names of the pinned per-cohort parameters) and ``iterations``.
    """
    c = counts.exposed()
    for k, name in ((0, "organic"), (1, "campaign")):
        if c.fans_in(k) == 0:
            raise InputError(f"no {name} fan reached by any post: the mixture needs both cohorts")
    if c.engagements[c.cohort == 0].max() == 0:
        raise InputError("organic fans have no engagements at all: the mixture is undefined")
    n = float(c.weight.sum())
    cells = _Cells(c)
    k = 5 if negbin else 4
    with np.errstate(all="ignore"):
        objective = _Objective(cells, n, negbin, np.zeros(k), np.ones(k, dtype=bool))
        res = min((objective.minimise(start) for start in _starts(c, negbin)),
                  key=lambda r: r["fun"])
        iterations = res["nit"]
        per_cohort = _pinned(res["x"], negbin)
        free = per_cohort == res["x"]
        if not free.all():
            objective = _Objective(cells, n, negbin, per_cohort, free)
            res = objective.minimise(per_cohort[free])
            iterations += res["nit"]
            per_cohort = objective.full(res["x"])
    a = TO_PARAMS[:k, :k]
    ll, grad, h = _evaluate(per_cohort, cells, negbin, 2)
    h_free = h[np.ix_(free, free)]
    cov = np.zeros((k, k))
    try:
        cov[np.ix_(free, free)] = np.linalg.inv(-h_free)
    except np.linalg.LinAlgError:
        cov[:] = np.nan
    names = ("g_organic", "g_campaign", "b_organic", "b_campaign", "log_alpha")
    return {"params": a @ per_cohort, "cov": a @ cov @ a.T, "loglik": ll,
            "converged": res["success"] or bool(np.max(np.abs(grad[free])) / n < 1e-6),
            "pinned": [names[i] for i in range(k) if not free[i]], "iterations": iterations}


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
