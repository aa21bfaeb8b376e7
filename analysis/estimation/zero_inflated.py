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
from scipy import sparse, special

from analysis.errors import InputError
from analysis.estimation.estimates import Estimate, share_from_log_ratio
from analysis.estimation.fan_counts import FanCounts

ASSUMPTION = (
    "closed-eyes fans never engage (structural zeros), open-eyed campaign fans are inactive as "
    "often as organic fans, and an active fan's engagements are {dist} in the posts that reach "
    "them; then s = (pi_campaign - pi_organic) / (1 - pi_organic)"
)


class _Tables:
    """The exposed cells of many fan tables, concatenated table by table (what every stack of
    parameter rows is gathered from)."""

    def __init__(self, tables: list[FanCounts]):
        self.size = np.array([t.weight.size for t in tables], dtype=np.intp)
        self.start = np.cumsum(self.size) - self.size
        self.cohort = np.concatenate([t.cohort for t in tables]).astype(np.intp)
        self.off = np.log(np.concatenate([t.exposures for t in tables]).astype(float))
        self.y = np.concatenate([t.engagements for t in tables]).astype(np.int64)
        self.w = np.concatenate([t.weight for t in tables]).astype(float)
        self.n = np.array([float(t.weight.sum()) for t in tables])


class _Stack:
    """The cells behind m rows of per-cohort parameters (row r belongs to table ``rows[r]``),
    split once into zero and positive cells, with what every evaluation of the likelihood reuses.

    The model is written per cohort, ``(g_o, g_c, b_o, b_c[, log_alpha])``: every cell belongs to
    one group ``2 * row + cohort``, with linear predictors ``g = g_k`` and
    ``eta = b_k + log(exposures)``. Per-cell terms are summed by group with the cells' weights
    (a sparse groups x cells matrix), so no row's sums touch another row's cells.
    """

    def __init__(self, tables: _Tables, rows: np.ndarray):
        m = rows.size
        sizes = tables.size[rows]
        row = np.repeat(np.arange(m), sizes)
        cell = np.repeat(tables.start[rows] - (np.cumsum(sizes) - sizes), sizes) + \
            np.arange(int(sizes.sum()))
        grp = 2 * row + tables.cohort[cell]
        y, w, off = tables.y[cell], tables.w[cell], tables.off[cell]
        zero, pos = y == 0, y > 0
        self.m = m
        self.zero_grp, self.zero_off = grp[zero], off[zero]
        self.zero_sum = _group_sum(grp[zero], w[zero], 2 * m)
        yp = y[pos]
        self.pos_grp, self.pos_off = grp[pos], off[pos]
        self.pos_y = yp.astype(float)
        self.pos_lgy1 = special.gammaln(yp + 1.0)
        self.pos_sum = _group_sum(grp[pos], w[pos], 2 * m)
        self.pos_weight = np.bincount(grp[pos], w[pos], minlength=2 * m)
        # the negative binomial's sum_{j<y} log(1 + j alpha) over a row's fans is
        # sum_j log(1 + j alpha) times the fans with more than j engagements: ``more[j, row]``
        top = int(yp.max()) if yp.size else 0
        fans_at = np.bincount(yp * m + row[pos], w[pos], minlength=(top + 1) * m)
        self.more = np.cumsum(fans_at.reshape(top + 1, m)[::-1], axis=0)[::-1][1:]
        self.j = np.arange(top, dtype=float)[:, None]


def _group_sum(grp: np.ndarray, w: np.ndarray, groups: int) -> sparse.csr_array:
    """The groups x cells matrix of weights: ``matrix @ terms`` sums each term by group."""
    return sparse.csr_array((w, (grp, np.arange(grp.size))), shape=(groups, grp.size))


# The negative binomial is written in alpha = exp(a) and L = log(1 + mu alpha), so that it stays
# exact as alpha -> 0 (the Poisson limit, where theta = 1 / alpha is huge and the textbook form
# log Gamma(y + theta) - log Gamma(theta) + theta log(theta / (theta + mu)) loses every digit):
#     log f(y) = sum_{j<y} log(1 + j alpha) - (y + theta) L + y eta - log y!
# with dL/d eta = dL/da = q = mu alpha / (1 + mu alpha).
#
# Columns of the per-group sums: log-likelihood, first derivatives in g, eta[, a], second ones.
_LL, _G, _E, _GG, _GE, _EE, _A, _GA, _EA, _AA = range(10)
_POS_COLUMNS = {False: [_LL, _E, _EE], True: [_LL, _E, _EE, _A, _EA, _AA]}
# (Hessian entry, column, cohort) of the per-cohort parameters (g_o, g_c, b_o, b_c[, a])
_HESS = [((k, k), _GG, k) for k in (0, 1)] + [((k, 2 + k), _GE, k) for k in (0, 1)] + \
    [((2 + k, 2 + k), _EE, k) for k in (0, 1)]
_HESS_NB = [((k, 4), _GA, k) for k in (0, 1)] + [((2 + k, 4), _EA, k) for k in (0, 1)]


def _zero_cells(c: np.ndarray, st: _Stack, group: dict, negbin: bool) -> np.ndarray:
    """Log-likelihood of every zero cell, log(pi + (1 - pi) f0), and its derivatives, as a
    cells x columns array (see ``_LL`` ...)."""
    x = st.zero_grp
    eta = group["b"][x] + st.zero_off
    log_pi, pi = group["log_pi"][x], group["pi"][x]
    if negbin:
        theta = group["theta"][x]
        u = eta + group["a"][x]
        big_l = np.logaddexp(0.0, u)                  # log(1 + mu alpha)
        l0 = -theta * big_l                           # log f0, the count part's zero
        q = special.expit(u)
        tq = theta * q
        l0_e, l0_a, l0_ee = -tq, theta * big_l - tq, -tq * (1.0 - q)
    else:
        mu = np.exp(eta)
        l0 = l0_e = l0_ee = -mu
    log_c = group["log_1mpi"][x] + l0
    ll = np.logaddexp(log_pi, log_c)
    r_s = np.exp(log_pi - ll)                         # P(structural zero | y = 0)
    r_c = np.exp(log_c - ll)                          # P(count zero | y = 0)
    d_g = r_s * (1.0 - pi) - r_c * pi
    d_e = r_c * l0_e
    # second derivatives of P0 over P0, minus the product of the first ones
    cols = [ll, d_g, d_e, (1.0 - 2.0 * pi) * d_g - d_g * d_g, -pi * d_e - d_g * d_e,
            r_c * (l0_e * l0_e + l0_ee) - d_e * d_e]
    if negbin:
        d_a = r_c * l0_a
        l0_aa = -theta * big_l + 2.0 * tq - tq * (1.0 - q)
        cols += [d_a, -pi * d_a - d_g * d_a, r_c * (l0_e * l0_a + tq * q) - d_e * d_a,
                 r_c * (l0_a * l0_a + l0_aa) - d_a * d_a]
    return np.stack(cols, axis=1)


def _positive_cells(c: np.ndarray, st: _Stack, group: dict, negbin: bool) -> np.ndarray:
    """The count part, log f(y), of every cell with engagements and its derivatives in eta[, a],
    as cells x ``_POS_COLUMNS`` (the inflation part, log(1 - pi), is the same for a whole group;
    so is sum_{j<y} log(1 + j alpha) per row: both are added by :func:`_evaluate`)."""
    x, y = st.pos_grp, st.pos_y
    eta = group["b"][x] + st.pos_off
    if negbin:
        theta = group["theta"][x]
        u = eta + group["a"][x]
        big_l = np.logaddexp(0.0, u)
        q = special.expit(u)
        ytq = (y + theta) * q
        curv = ytq * (1.0 - q)
        cols = [y * eta - (y + theta) * big_l - st.pos_lgy1, y - ytq, -curv,
                theta * (big_l - q) - y * q, theta * q - curv,
                2.0 * theta * q - theta * big_l - curv]
    else:
        mu = np.exp(eta)
        cols = [y * eta - mu - st.pos_lgy1, y - mu, -mu]
    return np.stack(cols, axis=1)


def _evaluate(c: np.ndarray, st: _Stack, negbin: bool):
    """Log-likelihood (m,), gradient (m, k) and Hessian (m, k, k) of every row of per-cohort
    parameters ``c`` (m x k, ``(g_o, g_c, b_o, b_c[, log_alpha])``) on the stack's cells."""
    c = np.asarray(c, dtype=float)
    m, k = c.shape
    g = c[:, :2].ravel()                              # per group, 2 * row + cohort
    group = {"b": c[:, 2:4].ravel(), "log_pi": -np.logaddexp(0.0, -g),
             "log_1mpi": -np.logaddexp(0.0, g)}
    group["pi"] = np.exp(group["log_pi"])
    if negbin:
        group["a"] = np.repeat(c[:, 4], 2)
        group["theta"] = np.exp(-group["a"])
    s = st.zero_sum @ _zero_cells(c, st, group, negbin)
    s[:, _POS_COLUMNS[negbin]] += st.pos_sum @ _positive_cells(c, st, group, negbin)
    pi, wp = group["pi"], st.pos_weight                # the inflation part of positive cells
    s[:, _LL] += group["log_1mpi"] * wp
    s[:, _G] -= pi * wp
    s[:, _GG] -= pi * (1.0 - pi) * wp
    s = s.reshape(m, 2, -1)                            # row x cohort x column
    ll = s[:, 0, _LL] + s[:, 1, _LL]
    grad = np.empty((m, k))
    grad[:, :2], grad[:, 2:4] = s[:, :, _G], s[:, :, _E]
    hess = np.zeros((m, k, k))
    for (i, j), col, cohort in _HESS + (_HESS_NB if negbin else []):
        hess[:, i, j] = hess[:, j, i] = s[:, cohort, col]
    if negbin:                                         # the sums over j < y, by row
        ja = st.j * np.exp(c[:, 4])
        ll += (np.log1p(ja) * st.more).sum(axis=0)
        grad[:, 4] = s[:, 0, _A] + s[:, 1, _A] + (ja / (1.0 + ja) * st.more).sum(axis=0)
        hess[:, 4, 4] = s[:, 0, _AA] + s[:, 1, _AA] + \
            (ja / (1.0 + ja) ** 2 * st.more).sum(axis=0)
    return ll, grad, hess


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
    stack = _Stack(_Tables([counts]), np.zeros(1, dtype=np.intp))
    ll, grad, hess = _evaluate(np.linalg.solve(a, p)[None, :], stack, negbin)
    ll, grad, hess = float(ll[0]), grad[0], hess[0]
    if not (gradient or hessian):
        return ll
    # chain rule: d/dp = A^-T d/dc, and the same on both sides for the Hessian
    a_inv_t = np.linalg.inv(a).T
    grad = a_inv_t @ grad
    if not hessian:
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
# Many tables are fitted in lock-step (issue 13): one evaluation of the likelihood per round
# for every table still moving, each with its own point, damping and step count.
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
# POLISH: a fit that stops takes the full Newton step it stands before (when the Hessian is
# positive definite), unchecked: its gain is below rounding, so the value cannot judge it, but
# it moves the point from within sqrt(2 FTOL / smallest curvature) of the optimum (up to 1e-6 on
# a flat likelihood: small cohorts at high s) to within rounding of it. Without it, which of the
# two starts won was decided by the last bit of their values, and the share moved by up to 1e-6
# with the order of a sum (issue 13).
# A stack of rows is rebuilt for the rows still moving once they are fewer than this share of it.
COMPACT = 0.6


class _Objective:
    """Mean negative log-likelihood per fan of many rows of per-cohort parameters (row r of
    table ``rows[r]``), with its analytic gradient and Hessian. A parameter pinned to a boundary
    (``free`` False) has a zero gradient and an identity row and column in the Hessian, so a
    Newton step leaves it where it is."""

    def __init__(self, tables: _Tables, rows: np.ndarray, free: np.ndarray, negbin: bool):
        self.tables, self.rows, self.negbin = tables, rows, negbin
        self.free, self.n = free, tables.n[rows]
        self.pair = free[:, :, None] & free[:, None, :]
        self.eye = np.eye(free.shape[1], dtype=bool)
        self.ids = np.arange(rows.size)              # the rows the stack holds
        self.stack = _Stack(tables, rows)
        self.points = np.zeros(free.shape)

    def __call__(self, ids: np.ndarray, z: np.ndarray):
        """(value, gradient, Hessian) of rows ``ids`` (sorted) at points z; value inf where the
        model is undefined. (Call with numpy's floating-point warnings off: a trial step may
        overflow.)"""
        if ids.size < COMPACT * self.ids.size:      # most rows are done: drop their cells
            self.ids, self.stack = ids, _Stack(self.tables, self.rows[ids])
            self.points = np.zeros(z.shape)
        at = np.searchsorted(self.ids, ids)
        self.points[at] = z
        ll, g, h = (part[at] for part in _evaluate(self.points, self.stack, self.negbin))
        free, pair, n = self.free[ids], self.pair[ids], self.n[ids]
        f = -ll / n
        g = np.where(free, -g / n[:, None], 0.0)
        h = np.where(pair, -h / n[:, None, None], self.eye)
        bad = ~np.isfinite(ll + g.sum(axis=1) + np.where(pair, h, 0.0).sum(axis=(1, 2)))
        if self.negbin:
            bad |= ~((LOG_ALPHA[0] <= z[:, 4]) & (z[:, 4] < LOG_ALPHA[1]))
        f[bad] = math.inf
        return f, g, h


def _cholesky(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower Cholesky factors of a stack of symmetric matrices (m x k x k) and which of them are
    positive definite (the factor of one that is not is garbage). numpy's raises if any is not."""
    m, k, _ = a.shape
    low = np.zeros_like(a)
    ok = np.ones(m, dtype=bool)
    for j in range(k):
        left = low[:, j, :j]
        d = a[:, j, j] - np.einsum("ij,ij->i", left, left)
        ok &= d > 0.0                                  # False for nan too, as LAPACK's test
        root = np.sqrt(d)
        low[:, j, j] = root
        low[:, j + 1:, j] = (a[:, j + 1:, j] - np.einsum("irc,ic->ir", low[:, j + 1:, :j], left)) \
            / root[:, None]
    return low, ok


def _forward(low: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solves low @ x = b for each row (low lower triangular, m x k x k; b m x k)."""
    x = np.empty_like(b)
    for i in range(b.shape[1]):
        x[:, i] = (b[:, i] - np.einsum("ij,ij->i", low[:, i, :i], x[:, :i])) / low[:, i, i]
    return x


def _backward(low: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solves low.T @ x = b for each row."""
    x = np.empty_like(b)
    for i in reversed(range(b.shape[1])):
        x[:, i] = (b[:, i] - np.einsum("ij,ij->i", low[:, i + 1:, i], x[:, i + 1:])) \
            / low[:, i, i]
    return x


def _newton_gain(g: np.ndarray, h: np.ndarray):
    """What a full Newton step would gain, g H^-1 g / 2, per row (inf where H is not positive
    definite), and the Cholesky factors behind it."""
    low, ok = _cholesky(h)
    half = _forward(low, g)
    return np.where(ok, 0.5 * np.einsum("ij,ij->i", half, half), math.inf), low, half, ok


def _minimise(objective: _Objective, z0: np.ndarray):
    """Damped Newton from every row of z0 at once (the same steps, tests and stops as one row
    alone). Returns the points, values, success flags and steps taken, by row."""
    z = np.array(z0, dtype=float)
    m, k = z.shape
    eye = np.eye(k)
    f, g, h = objective(np.arange(m), z)
    done = ~np.isfinite(f)                             # an undefined start fails at once
    success = np.zeros(m, dtype=bool)
    nit, steps = np.zeros(m, dtype=np.intp), np.zeros(m, dtype=np.intp)
    damping = np.zeros(m)
    moved = ~done                                      # rows at a point not tested yet
    while True:
        rows = np.flatnonzero(moved)
        if rows.size:
            gain, low, half, ok = _newton_gain(g[rows], h[rows])
            stop = (np.max(np.abs(g[rows]), axis=1) <= GTOL) | (gain <= FTOL)
            hit = rows[stop]
            done[hit], success[hit], nit[hit] = True, True, steps[hit]
            # the last Newton step, too small to show in the value, still moves the point to
            # the optimum: see POLISH
            polish = stop & ok
            z[rows[polish]] -= _backward(low[polish], half[polish])
        live = np.flatnonzero(~done)
        if not live.size:
            return z, f, success, nit
        gl, hl, dl = g[live], h[live], damping[live]
        low, ok = _cholesky(hl + dl[:, None, None] * eye)
        while not ok.all():                            # not positive definite: damp more
            bad = np.flatnonzero(~ok)
            dl[bad] = np.maximum(10.0 * dl[bad], 1e-6)
            low[bad], ok[bad] = _cholesky(hl[bad] + dl[bad, None, None] * eye)
        step = -_backward(low, _forward(low, gl))
        trial = z[live] + step
        f_new, g_new, h_new = objective(live, trial)
        take = f_new <= f[live] + 1e-4 * np.einsum("ij,ij->i", gl, step)   # enough decrease
        up = live[take]
        z[up], f[up], g[up], h[up] = trial[take], f_new[take], g_new[take], h_new[take]
        damping[up] = np.where(dl[take] < 1e-6, 0.0, dl[take] / 10.0)
        steps[up] += 1
        last = up[steps[up] >= MAX_ITER]
        done[last], nit[last] = True, MAX_ITER
        moved[:] = False
        moved[up] = True
        moved[last] = False
        back = live[~take]
        damping[back] = np.maximum(10.0 * dl[~take], 1e-6)
        stuck = back[damping[back] > 1e12]             # no step improves: as far as it goes
        done[stuck], nit[stuck] = True, steps[stuck]


def _pinned(c: np.ndarray, negbin: bool) -> np.ndarray:
    """Per-cohort parameters (rows) with every estimate on a flat boundary set to that
    boundary."""
    out = c.copy()
    out[:, :2] = np.where(np.abs(c[:, :2]) > PIN_LOGIT, np.copysign(BOUND_LOGIT, c[:, :2]),
                          c[:, :2])
    if negbin:
        out[:, 4] = np.where(c[:, 4] < PIN_LOG_ALPHA, LOG_ALPHA[0], c[:, 4])
    return out


def _check(c: FanCounts) -> None:
    """Raise InputError when the mixture cannot be fitted to the exposed fans ``c``."""
    for k, name in ((0, "organic"), (1, "campaign")):
        if c.fans_in(k) == 0:
            raise InputError(f"no {name} fan reached by any post: the mixture needs both cohorts")
    if c.engagements[c.cohort == 0].max() == 0:
        raise InputError("organic fans have no engagements at all: the mixture is undefined")


def fit_zero_inflated_many(counts_list, *, negbin: bool = False) -> list[dict | InputError]:
    """:func:`fit_zero_inflated` of many tables at once (the recovery study's replicates), with
    the same result for each as alone: the likelihoods of all tables are evaluated together and
    the optimiser steps them in lock-step.

    counts_list: FanCounts tables; negbin: as for :func:`fit_zero_inflated`. Returns one fit
    dict per table, in order, or the InputError a table that cannot be fitted would raise alone
    (the others are still fitted).

    :SAMPLE USE: ``fits = fit_zero_inflated_many([fc1, fc2], negbin=True)``
    """
    out: list = [None] * len(counts_list)
    kept, tables = [], []
    for i, counts in enumerate(counts_list):
        c = counts.exposed()
        try:
            _check(c)
        except InputError as err:
            out[i] = err
            continue
        kept.append(i)
        tables.append(c)
    if not tables:
        return out
    k, t = (5 if negbin else 4), len(tables)
    data = _Tables(tables)
    every = np.arange(t)
    with np.errstate(all="ignore"):
        # both starts of every table as rows 2 i and 2 i + 1
        z0 = np.array([start for c in tables for start in _starts(c, negbin)], dtype=float)
        free = np.ones((2 * t, k), dtype=bool)
        x, fun, success, nit = _minimise(_Objective(data, np.repeat(every, 2), free, negbin), z0)
        best = 2 * every + (fun[1::2] < fun[0::2])     # the better start; the first on a tie
        x, success, iterations = x[best], success[best], nit[best]
        per_cohort = _pinned(x, negbin)
        free = per_cohort == x
        redo = np.flatnonzero(~free.all(axis=1))
        if redo.size:
            z, _, ok, more = _minimise(_Objective(data, redo, free[redo], negbin),
                                       per_cohort[redo])
            per_cohort[redo], success[redo] = z, ok
            iterations[redo] += more
    ll, grad, h = _evaluate(per_cohort, _Stack(data, every), negbin)
    a = TO_PARAMS[:k, :k]
    names = ("g_organic", "g_campaign", "b_organic", "b_campaign", "log_alpha")
    for r, i in enumerate(kept):
        f = free[r]
        cov = np.zeros((k, k))
        try:
            cov[np.ix_(f, f)] = np.linalg.inv(-h[r][np.ix_(f, f)])
        except np.linalg.LinAlgError:
            cov[:] = np.nan
        out[i] = {"params": a @ per_cohort[r], "cov": a @ cov @ a.T, "loglik": float(ll[r]),
                  "converged": bool(success[r]) or
                  bool(np.max(np.abs(grad[r][f])) / data.n[r] < 1e-6),
                  "pinned": [names[j] for j in range(k) if not f[j]],
                  "iterations": int(iterations[r])}
    return out


def fit_zero_inflated(counts: FanCounts, *, negbin: bool = False) -> dict:
    """Maximum-likelihood fit of the zero-inflated model on tabulated fans.

    counts: from :func:`analysis.estimation.fan_counts.tabulate`; fans with no exposure are left out.
    negbin: negative binomial (NB2) counts with one dispersion for both cohorts (default Poisson).
    Returns ``params`` ([g0, g1, b0, b1] or with log_alpha), ``cov`` (inverse observed
    information; zero rows and columns for a parameter pinned to a boundary), ``loglik``,
    ``converged``, ``pinned`` (names of the pinned per-cohort parameters) and ``iterations``.
    A batch of one: :func:`fit_zero_inflated_many`.
    """
    fit = fit_zero_inflated_many([counts], negbin=negbin)[0]
    if isinstance(fit, InputError):
        raise fit
    return fit


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


def _share(counts: FanCounts, fit: dict, negbin: bool) -> Estimate:
    """The Estimate of s from one table's fit."""
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


def zero_inflated_shares(counts_list, *, negbin: bool = False) -> list[Estimate | Exception]:
    """:func:`zero_inflated_share` of many tables at once (fitted by
    :func:`fit_zero_inflated_many`). Returns one Estimate per table, in order, or the exception
    the table raises alone (an InputError for data the mixture cannot fit, an ArithmeticError
    for an interval beyond floating point).

    :SAMPLE USE: ``estimates = zero_inflated_shares(tables, negbin=True)``
    """
    out: list = []
    for counts, fit in zip(counts_list, fit_zero_inflated_many(counts_list, negbin=negbin),
                           strict=True):
        if isinstance(fit, InputError):
            out.append(fit)
            continue
        try:
            out.append(_share(counts, fit, negbin))
        except (ArithmeticError, ValueError) as err:
            out.append(err)
    return out


def zero_inflated_share(counts: FanCounts, *, negbin: bool = False) -> Estimate:
    """s = (pi_campaign - pi_organic) / (1 - pi_organic) from a zero-inflated fit.

    counts: tabulated fans; negbin: negative binomial counts (method ``"mixture-nb"``) instead of
    Poisson (``"mixture"``). ``extra`` holds both inflation shares, both rates per exposure
    (among active fans) and, for the negative binomial, the dispersion alpha.
    A batch of one: :func:`zero_inflated_shares`.
    """
    est = zero_inflated_shares([counts], negbin=negbin)[0]
    if isinstance(est, Exception):
        raise est
    return est
