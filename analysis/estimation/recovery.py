"""The recovery study: which closed-eyes estimator to trust when.

For a grid of true shares, conditions (each breaking some estimator's assumption) and sample
sizes, simulate the observable data many times, estimate, and score each estimator by bias,
RMSE and 95%-interval coverage against the truth.

Every replicate is a pure function of (cell parameters, seed, replicate index): its random
stream is :func:`analysis.engine.parallel.stream` of (seed, cell, replicate), so the table does
not depend on how the work is split. ``python -m analysis recovery`` regenerates
``data/recovery.csv``.

Conditions (see :data:`CONDITIONS`):

* ``none`` -- every assumption holds;
* ``closed engage 5%`` / ``closed engage 20%`` -- closed-eyes fans engage at 5% / 20% of the
  organic rate (breaks the ratio and both mixtures);
* ``open fans engage 0.7x`` -- open-eyed campaign fans engage at 0.7 times the organic rate
  (breaks the ratio; the mixtures allow it);
* ``overdispersion`` -- gamma-Poisson engagement (shape 1) and daily likes (shape 5) (breaks the
  Poisson mixture; the ratio's robust errors, the negative binomial mixture and the
  quasi-Poisson time series allow it);
* ``seasonal bump`` -- organic likes rise 30% during the campaign window, which the pre-period
  cannot show (breaks the time series).

The A/B test uses none of these data, so it runs under ``none`` only.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from analysis import paths
from analysis.engine import parallel
from analysis.estimation.ab_test import ab_estimate
from analysis.estimation.designs import RECOVERY_REPS, RECOVERY_SEED
from analysis.estimation.engagement_ratio import engagement_ratio
from analysis.estimation.fan_counts import tabulate
from analysis.estimation.its import excess_share_many
from analysis.estimation.observables import (
    DailySetting,
    EngagementSetting,
    ab_counts,
    daily_arrays,
    fan_arrays,
)
from analysis.estimation.zero_inflated import zero_inflated_shares
from analysis.formats import csv_text, round_published

TABLE = paths.DATA / "recovery.csv"
SEED = RECOVERY_SEED     # the seed of the committed table (notebook 02's SEED)
REPS = RECOVERY_REPS     # replicates per cell in the committed table
SHARES = (0.1, 0.3, 0.5, 0.7, 0.9, 0.95)
ESTIMATORS = ("ab", "ratio", "mixture", "mixture-nb", "its")
FAMILY = {"ab": "ab", "ratio": "cohorts", "mixture": "cohorts", "mixture-nb": "cohorts",
          "its": "daily"}

# condition -> (families it applies to, engagement changes, daily changes)
CONDITIONS = {
    "none": (("ab", "cohorts", "daily"), {}, {}),
    "closed engage 5%": (("cohorts",), {"closed_engagement": 0.05}, {}),
    "closed engage 20%": (("cohorts",), {"closed_engagement": 0.20}, {}),
    "open fans engage 0.7x": (("cohorts",), {"open_campaign_engagement": 0.7}, {}),
    "overdispersion": (("cohorts", "daily"), {"overdispersion_shape": 1.0},
                       {"overdispersion_shape": 5.0}),
    "seasonal bump": (("daily",), {}, {"window_bump": 1.3}),
}
# where each estimator's own identifying assumption holds
HOLDS = {
    "ab": {"none"},
    "ratio": {"none", "overdispersion"},
    "mixture": {"none", "open fans engage 0.7x"},
    "mixture-nb": {"none", "open fans engage 0.7x", "overdispersion"},
    "its": {"none", "overdispersion"},
}
# sample sizes: asks per arm (A/B); organic and campaign fans (cohorts); pre-campaign days (daily)
SIZES = {
    "small": {"asks_per_arm": 400, "n_organic": 2_000, "n_campaign": 500, "pre_days": 28},
    "large": {"asks_per_arm": 4_000, "n_organic": 10_000, "n_campaign": 5_000, "pre_days": 112},
}
P_WITH = 0.2            # like rate when asked with the pledge (the default campaign: ~0.2)
DISCOVERY_SHARE = 0.03  # genuine fans the campaign brought, as a share of the window's likes
BASELINE_PER_DAY = 5.0  # organic likes per day before the campaign
WINDOW_DAYS = 14
# The table's precision: 4 decimal places. With 200 replicates a bias or coverage is known to
# about +/-0.003, so the 4th place is the last that carries information; the fits behind it
# agree to about 1e-9 from machine to machine, so rounding keeps their noise out of the bytes.
DECIMALS = 4
# ... and at most 4 significant digits: a mean interval width in the thousands (a few fits on a
# nearly flat ridge, small cohorts at s = 0.95) is known to its first digits only.
SIGNIFICANT = 4


def describe(condition: str) -> str:
    """What a condition changes, in words, with the numbers from :data:`CONDITIONS`."""
    _, eng, day = CONDITIONS[condition]
    parts = []
    if "closed_engagement" in eng:
        parts.append(f"closed-eyes fans engage at {eng['closed_engagement']:.0%} of the organic rate")
    if "open_campaign_engagement" in eng:
        parts.append(f"open-eyed campaign fans engage at {eng['open_campaign_engagement']:g} times "
                     "the organic rate")
    if "overdispersion_shape" in eng:
        parts.append(f"fans differ in how much they engage (gamma-Poisson, shape "
                     f"{eng['overdispersion_shape']:g})")
    if "overdispersion_shape" in day:
        parts.append(f"daily likes are overdispersed too (shape {day['overdispersion_shape']:g})")
    if "window_bump" in day:
        parts.append(f"organic likes rise {day['window_bump'] - 1:.0%} during the campaign window, "
                     "which the pre-period cannot show")
    return "; ".join(parts) or "every assumption holds"


def conditions_table() -> pd.DataFrame:
    """One row per condition: what it changes, the data it applies to, the estimators it breaks."""
    rows = []
    for cond, (fams, _, _) in CONDITIONS.items():
        used = [e for e in ESTIMATORS if FAMILY[e] in fams]
        rows.append({"condition": cond, "what changes": describe(cond),
                     "estimators run": ", ".join(used),
                     "breaks": ", ".join(e for e in used if cond not in HOLDS[e]) or "nothing"})
    return pd.DataFrame(rows)


def sizes_table() -> pd.DataFrame:
    """The two sample sizes of the study, one row each."""
    return pd.DataFrame([{"size": k, "asks per arm (A/B)": v["asks_per_arm"],
                          "organic fans": v["n_organic"], "campaign fans": v["n_campaign"],
                          "days before the campaign": v["pre_days"]} for k, v in SIZES.items()])


def cells(shares=SHARES, conditions=None, sizes=None) -> list[dict]:
    """The grid: one dict per (family, condition, size, true share)."""
    conditions = list(CONDITIONS) if conditions is None else list(conditions)
    sizes = list(SIZES) if sizes is None else list(sizes)
    out = []
    for cond in conditions:
        for fam in CONDITIONS[cond][0]:
            for size in sizes:
                for s in shares:
                    out.append({"family": fam, "condition": cond, "size": size, "true_s": s})
    return out


def _campaign_profile(days: int) -> np.ndarray:
    """Share of the campaign's likes on each day: front-loaded, like the simulated campaigns."""
    w = np.exp(-np.arange(days) / 5.0) + 0.3
    return w / w.sum()


def simulate(cell: dict, seed: int, index: int, rep: int, *,
             engagement: EngagementSetting | None = None) -> dict:
    """The observable data of one replicate of one cell, and its truth.

    cell: from :func:`cells`; seed: the study's seed; index: the cell's position in the grid;
    rep: the replicate number. A pure function of these: the random stream is
    ``parallel.stream(seed, index, rep)``. Returns, by family: ``ab`` the A/B counts;
    ``cohorts`` the tabulated fans and the true s (``truth``); ``daily`` the series (arrays
    from ``observables.daily_arrays``), the truth (the closed-eyes share of the window's likes)
    and the time series' own target (the excess share). engagement: the base engagement setting (default ``EngagementSetting()``;
    pass ``EngagementSetting().calibrated()`` to look the calibration up once for many
    replicates).
    """
    rng = parallel.stream(seed, index, rep)
    fam, cond, size, s = cell["family"], cell["condition"], cell["size"], cell["true_s"]
    sz = SIZES[size]
    _, eng_changes, daily_changes = CONDITIONS[cond]
    if fam == "ab":
        return {"counts": ab_counts(P_WITH, s, sz["asks_per_arm"], rng=rng), "truth": s}
    if fam == "cohorts":
        n_closed = int(round(s * sz["n_campaign"]))
        a = fan_arrays(sz["n_organic"], sz["n_campaign"] - n_closed, n_closed, rng=rng,
                       setting=replace(engagement or EngagementSetting(), **eng_changes))
        return {"fans": tabulate(a["cohort"], a["exposures"], a["engagements"]),
                "truth": n_closed / sz["n_campaign"]}
    setting = replace(DailySetting(pre_days=sz["pre_days"], baseline_per_day=BASELINE_PER_DAY,
                                   trend_per_week=0.01), **daily_changes)
    open_share = 1.0 - s - DISCOVERY_SHARE
    expected_campaign = BASELINE_PER_DAY * WINDOW_DAYS * (s + DISCOVERY_SHARE) / open_share
    per_day = rng.poisson(expected_campaign * _campaign_profile(WINDOW_DAYS))
    closed = rng.binomial(per_day, s / (s + DISCOVERY_SHARE))
    series = daily_arrays(per_day, rng=rng, setting=setting)
    total = series["new_likes"][series["in_campaign"]].sum()
    return {"series": series, "truth": closed.sum() / total, "own": per_day.sum() / total}


def estimate(cell: dict, data: list[dict]) -> list[list[tuple]]:
    """Every estimator of the cell's family on each replicate's data (from :func:`simulate`).

    Returns, per replicate, one ``(method, estimate, ci_low, ci_high, truth, own_target)`` per
    estimator. The zero-inflated mixtures and the time series are fitted for all replicates at
    once (their fits vectorised over replicates: the same optimum as one fit at a time, at a
    fraction of the cost); a fit that fails counts as a replicate with no estimate (nan).
    """
    fam = cell["family"]
    if fam == "ab":
        return [[_row("ab", _safe(ab_estimate, **d["counts"]), d["truth"])] for d in data]
    if fam == "cohorts":
        fans = [d["fans"] for d in data]
        ratio = [_safe(engagement_ratio, f) for f in fans]
        mixture = zero_inflated_shares(fans)
        mixture_nb = zero_inflated_shares(fans, negbin=True)
        return [[_row("ratio", r, d["truth"]), _row("mixture", m, d["truth"]),
                 _row("mixture-nb", nb, d["truth"])]
                for d, r, m, nb in zip(data, ratio, mixture, mixture_nb, strict=True)]
    first = data[0]["series"]       # every replicate of a cell has the same dates
    window = first["date"][first["in_campaign"]]
    likes = np.stack([d["series"]["new_likes"] for d in data])
    fits = excess_share_many(first["date"], likes, window[0], window[-1])
    return [[_row("its", e, d["truth"], d["own"])] for d, e in zip(data, fits, strict=True)]


def _row(method: str, est, truth: float, own: float | None = None) -> tuple:
    """(method, estimate, ci_low, ci_high, truth, own target); nan for a failed fit. The own
    target is the truth unless the estimator aims elsewhere (the time series)."""
    own = truth if own is None else own
    if isinstance(est, Exception):
        return (method, math.nan, math.nan, math.nan, truth, own)
    return (est.method, est.estimate, est.ci_low, est.ci_high, truth, own)


def _safe(func, *args, **kwargs):
    """Run an estimator; a fit that fails comes back as its exception (a failed replicate)."""
    try:
        return func(*args, **kwargs)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as exc:
        return exc


def replicates(cell: dict, seed: int, index: int, reps, *,
               engagement: EngagementSetting | None = None) -> list[dict]:
    """Replicates ``reps`` (an iterable of replicate numbers) of one cell: simulate each, run
    the estimators, one row per (replicate, estimator) with estimate, interval, the true s and
    the estimator's own target (the excess share for the time series)."""
    reps = list(reps)
    data = [simulate(cell, seed, index, r, engagement=engagement) for r in reps]
    rows = []
    for rep, results in zip(reps, estimate(cell, data), strict=True):
        for method, value, lo, hi, truth, own in results:
            rows.append({**cell, "replicate": rep, "estimator": method, "estimate": value,
                         "ci_low": lo, "ci_high": hi, "truth": truth, "own_target": own})
    return rows


def replicate(cell: dict, seed: int, index: int, rep: int, *,
              engagement: EngagementSetting | None = None) -> list[dict]:
    """One replicate of one cell (:func:`replicates` of one): the same rows as in the study."""
    return replicates(cell, seed, index, [rep], engagement=engagement)


def _cell_task(cell: dict, seed: int, index: int, reps: int) -> list[dict]:
    # one BLAS/OpenMP thread, in whichever process runs the task: a thread count can change the
    # order of a sum and so the last bits of a fit (pinned here, never on import)
    # the calibrated reach and rate, looked up once per cell: a pandas lookup per replicate was
    # about 6% of the study's CPU time (same floats, so the same table)
    engagement = EngagementSetting().calibrated()
    with threadpool_limits(limits=1):
        return replicates(cell, seed, index, range(reps), engagement=engagement)


def run_replicates(grid: list[dict], reps: int, *, seed: int, n_jobs: int = -1,
                   progress: bool = True) -> pd.DataFrame:
    """All replicates of all cells, one row per (cell, replicate, estimator), in grid order."""
    tasks = ((cell, seed, i, reps) for i, cell in enumerate(grid))
    chunks = parallel.run(_cell_task, tasks, total=len(grid), n_jobs=n_jobs, progress=progress,
                          desc="recovery cells")
    return pd.DataFrame([row for chunk in chunks for row in chunk])


def summarise(raw: pd.DataFrame) -> pd.DataFrame:
    """Bias, RMSE and coverage per (estimator, condition, size, true share).

    Columns: estimator, target, condition, size, true_s, assumption_holds, replicates, failed,
    mean_estimate, bias, rmse, coverage (of the true s), coverage_own (of the estimator's own
    target: s, or the excess share for the time series), mean_ci_width; rounded to
    :data:`DECIMALS` places and :data:`SIGNIFICANT` significant digits, the precision the table
    is published at.
    """
    d = raw.copy()
    ok = np.isfinite(d["estimate"]) & np.isfinite(d["ci_low"]) & np.isfinite(d["ci_high"])
    d["ok"] = ok
    d["err"] = d["estimate"] - d["truth"]
    d["cover"] = (d["ci_low"] <= d["truth"]) & (d["truth"] <= d["ci_high"])
    d["cover_own"] = (d["ci_low"] <= d["own_target"]) & (d["own_target"] <= d["ci_high"])
    d["width"] = d["ci_high"] - d["ci_low"]
    keys = ["estimator", "condition", "size", "true_s"]
    rows = []
    for key, g in d.groupby(keys, sort=False):
        good = g[g["ok"]]
        est, cond = key[0], key[1]
        rows.append({
            "estimator": est,
            "target": "upper bound on s" if est == "its" else "s",
            "condition": cond, "size": key[2], "true_s": key[3],
            "assumption_holds": cond in HOLDS[est],
            "replicates": len(g), "failed": int((~g["ok"]).sum()),
            "mean_estimate": good["estimate"].mean(),
            "bias": good["err"].mean(),
            "rmse": math.sqrt((good["err"] ** 2).mean()) if len(good) else math.nan,
            # a failed fit gives no interval, so it counts as not covering
            "coverage": g["cover"].where(g["ok"], False).mean(),
            "coverage_own": g["cover_own"].where(g["ok"], False).mean(),
            "mean_ci_width": good["width"].mean(),
        })
    out = pd.DataFrame(rows)
    order = {e: i for i, e in enumerate(ESTIMATORS)}
    corder = {c: i for i, c in enumerate(CONDITIONS)}
    out = out.sort_values(["estimator", "condition", "size", "true_s"],
                          key=lambda col: col.map(order) if col.name == "estimator" else
                          col.map(corder) if col.name == "condition" else col,
                          kind="stable", ignore_index=True)
    for col in out.select_dtypes("float").columns.drop("true_s"):   # the published precision
        out[col] = round_published(out[col], decimals=DECIMALS, significant=SIGNIFICANT)
    return out


def recovery_study(*, seed: int, reps: int = REPS, shares=SHARES, conditions=None, sizes=None,
                   n_jobs: int = -1, progress: bool = True) -> pd.DataFrame:
    """Run the study and return the summary table (see :func:`summarise`)."""
    grid = cells(shares, conditions, sizes)
    return summarise(run_replicates(grid, reps, seed=seed, n_jobs=n_jobs, progress=progress))


def write_table(table: pd.DataFrame, path=TABLE) -> None:
    """Write the summary as a tidy CSV at its published precision (:data:`DECIMALS` places)."""
    Path(path).write_text(csv_text(table, decimals=DECIMALS), encoding="utf-8", newline="\n")


def quick_study(*, seed: int, n_jobs: int = 1, progress: bool = False) -> pd.DataFrame:
    """A tiny version of the study (two shares, two conditions, small samples, 8 replicates)
    for tests and quick runs; never written to ``data/``."""
    return recovery_study(seed=seed, reps=8, shares=(0.3, 0.9),
                          conditions=("none", "closed engage 20%"), sizes=("small",),
                          n_jobs=n_jobs, progress=progress)
