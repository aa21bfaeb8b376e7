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
its analytic gradient and Hessian, and maximised by damped Newton steps; it equals statsmodels' row-level
``ZeroInflatedPoisson`` / ``ZeroInflatedNegativeBinomialP(p=2)`` fit with the same design. The
negative binomial is written so that it stays exact near the Poisson limit (alpha -> 0), where
the textbook form loses its digits and an optimiser wanders on rounding noise. Estimates on a
flat boundary (a share or alpha indistinguishable from 0) are pinned to it (see
:data:`PIN_LOGIT`), so that a rerun on another machine gives the same numbers. The interval
comes from the observed information (the analytic Hessian) and the delta method on
``log(1 - s) = log(1 - pi_c) - log(1 - pi_o)``. (statsmodels 0.15's analytic ZIP Hessian
disagrees with the numerical derivative of its own score and gives standard errors about 40%
too small here; the test compares with the latter, and simulation agrees with it.)

Many tables at once: :func:`fit_zero_inflated_many` and :func:`zero_inflated_shares` evaluate
the likelihoods of all tables in one pass (cells concatenated, summed by table and cohort) and
step every table's optimiser in lock-step, each with its own point, damping and step count: the
recovery study's 200 replicates of a cell in about 0.1-0.3 CPU seconds instead of 1.5-4 (issue
13). A table's numbers do not depend on the others in its batch; :func:`fit_zero_inflated` is
the batch of one.

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


class _Part:
    """One kind of cell (zero or positive) of many tables, sorted by group ``2 table + cohort``,
    with the number of cells and the first cell of every group."""

    def __init__(self, group: np.ndarray, groups: int, **fields: np.ndarray):
        order = np.argsort(group, kind="stable")
        self.count = np.bincount(group, minlength=groups)
        self.first = np.cumsum(self.count) - self.count
        self.fields = {name: v[order] for name, v in fields.items()}

    def take(self, groups: np.ndarray) -> tuple[dict, np.ndarray]:
        """The fields of the cells of ``groups``, group after group, and where each group's
        cells start (a CSR row pointer)."""
        count = self.count[groups]
        ends = np.cumsum(count)
        at = np.repeat(self.first[groups] - (ends - count), count) + np.arange(ends[-1])
        return {name: v[at] for name, v in self.fields.items()}, np.concatenate(([0], ends))


class _Tables:
    """The exposed cells of many fan tables, split once into zero and positive cells, and the
    sums by group (``2 table + cohort``) that every stack of parameter rows gathers from."""

    def __init__(self, tables: list[FanCounts], negbin: bool):
        size = [t.weight.size for t in tables]
        table = np.repeat(np.arange(len(tables)), size)
        groups = 2 * len(tables)
        cohort = np.concatenate([t.cohort for t in tables]).astype(np.intp)
        if cohort.size and not 0 <= cohort.min() <= cohort.max() <= 1:   # else tables would mix
            raise InputError("cohort must be 0 (organic) or 1 (campaign)")
        self.group = 2 * table + cohort
        self.e = np.concatenate([t.exposures for t in tables]).astype(float)
        self.y = np.concatenate([t.engagements for t in tables]).astype(np.int64)
        self.w = np.concatenate([t.weight for t in tables]).astype(float)
        self.n = np.bincount(table, self.w, minlength=len(tables))     # fans by table
        self.fans = np.bincount(self.group, self.w, minlength=groups)   # fans by group
        zero, pos = self.y == 0, self.y > 0
        self.zero = _Part(self.group[zero], groups, e=self.e[zero], w=self.w[zero])
        yp, gp, wp, ep = self.y[pos], self.group[pos], self.w[pos], self.e[pos]
        self.pos = _Part(gp, groups, e=ep, w=wp, y=yp.astype(float))
        # positive cells by group: fans, engagements, exposures and sum(y log(e) - log y!)
        self.pos_sums = np.stack([np.bincount(gp, v, minlength=groups) for v in (
            wp, wp * yp, wp * ep, wp * (yp * np.log(ep) - special.gammaln(yp + 1.0)))], axis=1)
        if negbin:
            # sum_{j<y} log(1 + j alpha) over a table's fans is sum_j log(1 + j alpha) times the
            # fans with more than j engagements: ``more[j, table]``
            top = int(yp.max()) if yp.size else 0
            fans_at = np.bincount(yp * len(tables) + table[pos], wp,
                                  minlength=(top + 1) * len(tables))
            self.more = np.cumsum(fans_at.reshape(top + 1, -1)[::-1], axis=0)[::-1][1:]
            self.j = np.arange(top, dtype=float)[:, None]


class _Stack:
    """The cells behind m rows of per-cohort parameters (row r belongs to table ``rows[r]``),
    with what every evaluation of the likelihood reuses.

    The model is written per cohort, ``(g_o, g_c, b_o, b_c[, log_alpha])``: every cell belongs to
    one group ``2 * row + cohort``, with linear predictors ``g = g_k`` and
    ``eta = b_k + log(exposures)``. Per-cell terms are summed by group with the cells' weights
    (:class:`_GroupSum`), so no row's sums touch another row's cells; terms that are the same
    for a whole group are multiplied by its sums of weights instead.
    """

    def __init__(self, tables: _Tables, rows: np.ndarray, negbin: bool):
        m = rows.size
        groups = (2 * rows[:, None] + np.arange(2)).ravel()    # the tables' groups, in order
        self.m = m
        cells, ptr = tables.zero.take(groups)
        self.zero_grp = np.repeat(np.arange(2 * m), np.diff(ptr))
        self.zero_e = cells["e"]
        self.zero_sum = _GroupSum(cells["w"], ptr)
        cells, ptr = tables.pos.take(groups)
        self.pos_grp = np.repeat(np.arange(2 * m), np.diff(ptr))
        self.pos_e, self.pos_y = cells["e"], cells["y"]
        self.pos_sum = _GroupSum(cells["w"], ptr)
        self.pos_n, self.pos_y_sum, self.pos_e_sum, self.pos_const = tables.pos_sums[groups].T
        if negbin:
            self.more, self.j = tables.more[:, rows], tables.j


class _GroupSum:
    """Weighted sums of per-cell terms by group, for cells sorted by group (group i holds cells
    ``ptr[i]:ptr[i + 1]``); each group's sum runs over its own cells only."""

    def __init__(self, w: np.ndarray, ptr: np.ndarray):
        self.w, self.groups = w, ptr.size - 1
        self.full = ptr[1:] > ptr[:-1]
        self.starts = ptr[:-1][self.full]

    def __call__(self, term: np.ndarray) -> np.ndarray:
        out = np.zeros(self.groups)
        if self.starts.size:
            out[self.full] = np.add.reduceat(self.w * term, self.starts)
        return out


# The negative binomial is written in alpha = exp(a) and L = log(1 + mu alpha), so that it stays
# exact as alpha -> 0 (the Poisson limit, where theta = 1 / alpha is huge and the textbook form
# log Gamma(y + theta) - log Gamma(theta) + theta log(theta / (theta + mu)) loses every digit):
#     log f(y) = sum_{j<y} log(1 + j alpha) - (y + theta) L + y eta - log y!
# with dL/d eta = dL/da = q = mu alpha / (1 + mu alpha).
#
# Columns of the per-group sums: log-likelihood, first derivatives in g, eta[, a], second ones.
_LL, _G, _E, _GG, _GE, _EE, _A, _GA, _EA, _AA = range(10)
# (Hessian entry, column, cohort) of the per-cohort parameters (g_o, g_c, b_o, b_c[, a])
_HESS = [((k, k), _GG, k) for k in (0, 1)] + [((k, 2 + k), _GE, k) for k in (0, 1)] + \
    [((2 + k, 2 + k), _EE, k) for k in (0, 1)]
_HESS_NB = [((k, 4), _GA, k) for k in (0, 1)] + [((2 + k, 4), _EA, k) for k in (0, 1)]


def _zero_cells(st: _Stack, group: dict, negbin: bool) -> np.ndarray:
    """Log-likelihood of the zero cells, log(pi + (1 - pi) f0), and its derivatives, summed by
    group: groups x columns (``_LL`` ...)."""
    x = st.zero_grp
    log_pi, pi = group["log_pi"][x], group["pi"][x]
    if negbin:
        theta = group["theta"][x]
        mu_alpha = group["mu_alpha"][x] * st.zero_e
        big_l = np.log1p(mu_alpha)                    # log(1 + mu alpha)
        l0 = -theta * big_l                           # log f0, the count part's zero
        q = mu_alpha / (1.0 + mu_alpha)
        tq = theta * q
        l0_e, l0_a, l0_ee = -tq, theta * big_l - tq, -tq * (1.0 - q)
    else:
        l0 = l0_e = l0_ee = -group["mu"][x] * st.zero_e
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
    return np.stack([st.zero_sum(col) for col in cols], axis=1)


def _positive_cells(st: _Stack, group: dict, negbin: bool) -> np.ndarray:
    """Log-likelihood of the cells with engagements, log(1 - pi) + log f(y), and its
    derivatives, summed by group: groups x columns (without sum_{j<y} log(1 + j alpha), a sum
    per row: see :func:`_evaluate`)."""
    pi, n = group["pi"], st.pos_n
    b, y_sum = group["b"], st.pos_y_sum
    s = np.zeros((pi.size, 10 if negbin else 6))
    s[:, _LL] = group["log_1mpi"] * n + b * y_sum + st.pos_const
    s[:, _G] = -pi * n
    s[:, _GG] = -pi * (1.0 - pi) * n
    if not negbin:                                    # sum mu = exp(b) sum exposures
        mu_sum = group["mu"] * st.pos_e_sum
        s[:, _LL] -= mu_sum
        s[:, _E] = y_sum - mu_sum
        s[:, _EE] = -mu_sum
        return s
    # sums of L, q, y L, y q, q (1 - q), y q (1 - q), by group; theta is the same for a group
    mu_alpha = group["mu_alpha"][st.pos_grp] * st.pos_e
    big_l = np.log1p(mu_alpha)
    q = mu_alpha / (1.0 + mu_alpha)
    q1q = q * (1.0 - q)
    y = st.pos_y
    sl, sq, syl, syq, sc, syc = (st.pos_sum(col)
                                 for col in (big_l, q, y * big_l, y * q, q1q, y * q1q))
    theta = group["theta"]
    curv = syc + theta * sc                           # sum (y + theta) q (1 - q)
    s[:, _LL] -= syl + theta * sl
    s[:, _E] = y_sum - syq - theta * sq
    s[:, _EE] = -curv
    s[:, _A] = theta * (sl - sq) - syq
    s[:, _EA] = theta * sq - curv
    s[:, _AA] = 2.0 * theta * sq - theta * sl - curv
    return s


def _evaluate(c: np.ndarray, st: _Stack, negbin: bool):
    """Log-likelihood (m,), gradient (m, k) and Hessian (m, k, k) of every row of per-cohort
    parameters ``c`` (m x k, ``(g_o, g_c, b_o, b_c[, log_alpha])``) on the stack's cells."""
    c = np.asarray(c, dtype=float)
    m, k = c.shape
    g = c[:, :2].ravel()                              # per group, 2 * row + cohort
    group = {"b": c[:, 2:4].ravel(), "log_pi": -np.logaddexp(0.0, -g),
             "log_1mpi": -np.logaddexp(0.0, g)}
    group["pi"] = np.exp(group["log_pi"])
    if negbin:                                        # mu alpha = exp(b + a) exposures
        a = np.repeat(c[:, 4], 2)
        group["theta"], group["mu_alpha"] = np.exp(-a), np.exp(group["b"] + a)
    else:
        group["mu"] = np.exp(group["b"])              # mu = exp(b) exposures
    s = _zero_cells(st, group, negbin) + _positive_cells(st, group, negbin)
    s = s.reshape(m, 2, -1)                           # row x cohort x column
    ll = s[:, 0, _LL] + s[:, 1, _LL]
    grad = np.empty((m, k))
    grad[:, :2], grad[:, 2:4] = s[:, :, _G], s[:, :, _E]
    hess = np.zeros((m, k, k))
    for (i, j), col, cohort in _HESS + (_HESS_NB if negbin else []):
        hess[:, i, j] = hess[:, j, i] = s[:, cohort, col]
    if negbin:                                        # the sums over j < y, by row
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
    stack = _Stack(_Tables([counts], negbin), np.zeros(1, dtype=np.intp), negbin)
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


def _starts(data: _Tables, negbin: bool) -> np.ndarray:
    """Two starts of the per-cohort parameters ``(g_o, g_c, b_o, b_c[, log_alpha])`` for every
    table, as rows 2 t and 2 t + 1: one from the positive counts (the active fans' rate, then the
    share of fans that rate cannot explain as zeros) and one with little inflation; the fit keeps
    the better optimum, so a mode where a cohort is all active fans engaging rarely is not taken
    for the mixture's."""
    grp, w, e, y = data.group, data.w, data.e, data.y
    pos = y > 0
    groups = 2 * data.n.size

    def by_group(v):
        return np.bincount(grp, v, minlength=groups)

    n = np.maximum(by_group(w), 1.0)
    rate_pos = np.maximum(by_group(w * y * pos), 0.5) / np.maximum(by_group(w * e * pos), 1.0)
    p_pos = by_group(w * (1.0 - np.exp(-rate_pos[grp] * e))) / n
    active = np.clip(by_group(w * pos) / n / np.maximum(p_pos, 1e-9), 0.01, 0.99)
    rate_all = np.maximum(by_group(w * y), 0.5) / np.maximum(by_group(w * e), 1.0)
    out = np.empty((groups, 5 if negbin else 4))      # row 2 t + i: start i of table t
    out[0::2, :2] = special.logit(1.0 - active).reshape(-1, 2)
    out[0::2, 2:4] = np.log(rate_pos).reshape(-1, 2)
    out[1::2, :2] = special.logit(0.05)
    out[1::2, 2:4] = np.log(rate_all / 0.95).reshape(-1, 2)
    if negbin:
        out[:, 4] = math.log(0.5)
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
# The last step: a fit stopped by FTOL takes the full Newton step it stands before, unchecked:
# its gain is below rounding, so the value cannot judge it, but it moves the point from within
# sqrt(2 FTOL / smallest curvature) of the optimum (up to 6e-6 on a flat likelihood: small
# cohorts at high s) to within rounding of it. Without it, which of the two starts won was
# decided by the last bit of their values, and the share moved by up to 1e-6 with the order of
# a sum (issue 13). A fit stopped by GTOL alone is left where it is: there the step would gain
# something (an estimate running off to a boundary, in steps of 1 on the logit scale).
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
        self.stack = _Stack(tables, rows, negbin)
        self.points = np.zeros(free.shape)

    def __call__(self, ids: np.ndarray, z: np.ndarray):
        """(value, gradient, Hessian) of rows ``ids`` (sorted) at points z; value inf where the
        model is undefined. (Call with numpy's floating-point warnings off: a trial step may
        overflow.)"""
        if ids.size < COMPACT * self.ids.size:      # most rows are done: drop their cells
            self.ids, self.stack = ids, _Stack(self.tables, self.rows[ids], self.negbin)
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
    positive definite (the factor of one that is not is garbage); numpy's raises if any is not.
    Written out entry by entry: k is 4 or 5, and every row's arithmetic is its own."""
    m, k, _ = a.shape
    low = np.zeros_like(a)
    ok = np.ones(m, dtype=bool)
    for j in range(k):
        d = a[:, j, j].copy()
        for p in range(j):
            d -= low[:, j, p] * low[:, j, p]
        ok &= d > 0.0                                  # False for nan too, as LAPACK's test
        root = np.sqrt(d)
        low[:, j, j] = root
        for i in range(j + 1, k):
            v = a[:, i, j].copy()
            for p in range(j):
                v -= low[:, i, p] * low[:, j, p]
            low[:, i, j] = v / root
    return low, ok


def _forward(low: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solves low @ x = b for each row (low lower triangular, m x k x k; b m x k)."""
    x = np.empty_like(b)
    for i in range(b.shape[1]):
        v = b[:, i].copy()
        for p in range(i):
            v -= low[:, i, p] * x[:, p]
        x[:, i] = v / low[:, i, i]
    return x


def _backward(low: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solves low.T @ x = b for each row."""
    k = b.shape[1]
    x = np.empty_like(b)
    for i in reversed(range(k)):
        v = b[:, i].copy()
        for p in range(i + 1, k):
            v -= low[:, p, i] * x[:, p]
        x[:, i] = v / low[:, i, i]
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
    # the Cholesky factor of each row's Hessian at its point, and L^-1 g, from its test
    fac_low, fac_half, fac_ok = np.zeros((m, k, k)), np.zeros((m, k)), np.zeros(m, dtype=bool)
    while True:
        rows = np.flatnonzero(moved)
        if rows.size:
            gain, low, half, ok = _newton_gain(g[rows], h[rows])
            fac_low[rows], fac_half[rows], fac_ok[rows] = low, half, ok
            flat = gain <= FTOL                        # (False where H is not positive definite)
            stop = (np.max(np.abs(g[rows]), axis=1) <= GTOL) | flat
            hit = rows[stop]
            done[hit], success[hit], nit[hit] = True, True, steps[hit]
            # the last Newton step, too small to show in the value, still moves the point to
            # the optimum (see "The last step" above)
            z[rows[flat]] -= _backward(low[flat], half[flat])
        live = np.flatnonzero(~done)
        if not live.size:
            return z, f, success, nit
        gl, dl = g[live], damping[live]
        low, half = fac_low[live], fac_half[live]      # undamped and positive definite: as tested
        again = np.flatnonzero((dl > 0.0) | ~fac_ok[live])
        if again.size:
            ha, da = h[live[again]], dl[again]
            la, ok = _cholesky(ha + da[:, None, None] * eye)
            while not ok.all():                        # not positive definite: damp more
                bad = np.flatnonzero(~ok)
                da[bad] = np.maximum(10.0 * da[bad], 1e-6)
                la[bad], ok[bad] = _cholesky(ha[bad] + da[bad, None, None] * eye)
            low[again], half[again], dl[again] = la, _forward(la, gl[again]), da
        step = -_backward(low, half)
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


def _problem(data: _Tables, table: int) -> str | None:
    """Why the mixture cannot be fitted to a table's exposed fans (None if it can)."""
    for k, name in ((0, "organic"), (1, "campaign")):
        if data.fans[2 * table + k] == 0:
            return f"no {name} fan reached by any post: the mixture needs both cohorts"
    if data.pos.count[2 * table] == 0:
        return "organic fans have no engagements at all: the mixture is undefined"
    return None


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
    if not out:
        return out
    data = _Tables([counts.exposed() for counts in counts_list], negbin)
    kept = []
    for t in range(len(out)):
        problem = _problem(data, t)
        if problem:
            out[t] = InputError(problem)
        else:
            kept.append(t)
    if not kept:
        return out
    kept = np.array(kept)
    k, t = (5 if negbin else 4), kept.size
    with np.errstate(all="ignore"):
        # both starts of every table as rows 2 i and 2 i + 1
        z0 = _starts(data, negbin).reshape(-1, 2, k)[kept].reshape(-1, k)
        free = np.ones((2 * t, k), dtype=bool)
        x, fun, success, nit = _minimise(_Objective(data, np.repeat(kept, 2), free, negbin), z0)
        best = 2 * np.arange(t) + (fun[1::2] < fun[0::2])   # the better start; the first on a tie
        x, success, iterations = x[best], success[best], nit[best]
        per_cohort = _pinned(x, negbin)
        free = per_cohort == x
        redo = np.flatnonzero(~free.all(axis=1))
        if redo.size:
            z, _, ok, more = _minimise(_Objective(data, kept[redo], free[redo], negbin),
                                       per_cohort[redo])
            per_cohort[redo], success[redo] = z, ok
            iterations[redo] += more
    ll, grad, h = _evaluate(per_cohort, _Stack(data, kept, negbin), negbin)
    # the covariance of the free parameters: inverse observed information (zero for a pinned one)
    pair = free[:, :, None] & free[:, None, :]
    info = np.where(pair, -h, np.eye(k))
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:                     # some are singular: find which
        cov = np.stack([_inverse(one) for one in info])
    a = TO_PARAMS[:k, :k]
    params = per_cohort @ a.T
    cov = a @ np.where(pair, cov, 0.0) @ a.T
    converged = success | (np.max(np.abs(np.where(free, grad, 0.0)), axis=1) / data.n[kept] < 1e-6)
    names = ("g_organic", "g_campaign", "b_organic", "b_campaign", "log_alpha")
    for r, i in enumerate(kept.tolist()):
        out[i] = {"params": params[r], "cov": cov[r], "loglik": float(ll[r]),
                  "converged": bool(converged[r]),
                  "pinned": [names[j] for j in range(k) if not free[r, j]],
                  "iterations": int(iterations[r])}
    return out


def _inverse(m: np.ndarray) -> np.ndarray:
    """The inverse of one matrix, all nan if it is singular."""
    try:
        return np.linalg.inv(m)
    except np.linalg.LinAlgError:
        return np.full(m.shape, np.nan)


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
