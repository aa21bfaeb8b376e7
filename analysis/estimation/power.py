"""Power analysis of the A/B incentive test: how many people to ask per arm.

With ``n`` people asked in each arm, like rates ``p1`` (with the pledge) and
``p0 = p1 (1 - s)`` (without), the delta method gives the standard error of
``s = 1 - p0 / p1`` as ``(1 - s) sqrt((1 - p0) / (n p0) + (1 - p1) / (n p1))``. Solving
``z * se = h`` for ``n`` gives the asks per arm for a +/- h interval. Simulation checks the
answer with the estimator's own (delta-method, log-scale) interval.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.estimation.ab_test import log_ratio_interval
from analysis.estimation.estimates import Z95
from analysis.formats import pct


def _check(s: float, p_with: float) -> None:
    if not 0 <= s < 1:
        raise InputError(f"true share s = {s!r} must be in [0, 1)")
    if not 0 < p_with <= 1:
        raise InputError(f"p_with = {p_with!r} must be in (0, 1]")


def halfwidth(n: float, s: float, p_with: float, *, z: float = Z95) -> float:
    """Expected half-width of the 95% interval of s with ``n`` asks per arm (delta method).

    n: people asked in each arm; s: true closed-eyes share; p_with: like rate with the pledge.
    """
    _check(s, p_with)
    p1, p0 = p_with, p_with * (1 - s)
    return z * (1 - s) * math.sqrt((1 - p0) / (n * p0) + (1 - p1) / (n * p1))


def asks_per_arm(s: float, p_with: float, *, half: float = 0.05, z: float = Z95) -> int:
    """People to ask in each arm for a 95% interval of +/- ``half`` (share, 0.05 = 5 pp).

    s: true closed-eyes share; p_with: like rate when asked with the pledge.
    """
    _check(s, p_with)
    if not 0 < half < 1:
        raise InputError(f"half-width {half!r} must be in (0, 1)")
    p1, p0 = p_with, p_with * (1 - s)
    n = (z / half) ** 2 * (1 - s) ** 2 * ((1 - p0) / p0 + (1 - p1) / p1)
    return int(math.ceil(n))


def simulate_halfwidth(n: int, s: float, p_with: float, *, rng: np.random.Generator,
                       reps: int = 2000) -> dict[str, float]:
    """Simulated half-width and coverage of the A/B interval with ``n`` asks per arm.

    Returns ``mean_halfwidth``, ``median_halfwidth`` and ``coverage`` (share of intervals
    covering the true s) over ``reps`` simulated tests.
    """
    _check(s, p_with)
    k1 = rng.binomial(n, p_with, size=reps)
    k0 = rng.binomial(n, p_with * (1 - s), size=reps)
    widths, covered = [], 0
    for a, b in zip(k0, k1, strict=True):
        if b == 0:
            widths.append(math.inf)
            continue
        _, r_lo, r_hi = log_ratio_interval(int(a), n, int(b), n)
        lo, hi = 1 - r_hi, 1 - r_lo
        widths.append((hi - lo) / 2)
        covered += lo <= s <= hi
    w = np.asarray(widths)
    return {"mean_halfwidth": float(np.mean(w)), "median_halfwidth": float(np.median(w)),
            "coverage": covered / reps}


def power_table(shares, p_withs, *, rng: np.random.Generator, half: float = 0.05,
                reps: int = 2000) -> pd.DataFrame:
    """Asks per arm for a +/- ``half`` interval at each true share and like rate, with a check.

    shares: true closed-eyes shares; p_withs: like rates with the pledge. One row per pair:
    ``s, p_with, asks_per_arm`` (analytic) and the simulated ``mean_halfwidth``,
    ``median_halfwidth`` and ``coverage`` of the A/B interval at that many asks.
    """
    rows = []
    for p in p_withs:
        for s in shares:
            n = asks_per_arm(s, p, half=half)
            rows.append({"s": s, "p_with": p, "asks_per_arm": n, "target_halfwidth": half,
                         **simulate_halfwidth(n, s, p, rng=rng, reps=reps)})
    return pd.DataFrame(rows)


def power_sentence(ptab: pd.DataFrame, *, asks: int, p_with: float, s_true: float) -> str:
    """What the simulation check of :func:`power_table` found (half-widths and coverage at the
    computed sizes), and what a test that asked ``asks`` people per arm at like rate ``p_with``
    would need for the table's half-width at the true share ``s_true``."""
    half = float(ptab["target_halfwidth"].iloc[0])
    need = asks_per_arm(min(s_true, 0.99), p_with, half=half)
    return (
        f"Simulated half-widths at the computed sample sizes range from "
        f"{100 * ptab['median_halfwidth'].min():.1f} to {100 * ptab['median_halfwidth'].max():.1f} "
        f"pp (target {100 * half:g}), and the intervals covered the truth in "
        f"{ptab['coverage'].min():.0%} to {ptab['coverage'].max():.0%} of simulated tests. The "
        f"test in section 3 asked {asks:,} per arm at a like rate of {pct(p_with, 1)}; for +/- "
        f"{100 * half:g} pp at its true share it would need {need:,}.")
