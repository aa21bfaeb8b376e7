"""Campaign design: which target, cheque per like, length and seed list serve the brand and the charity.

For every combination of a grid (scenario fields -> values) :func:`design_map` runs Monte Carlo
replicates through :func:`analysis.engine.montecarlo.sweep` (joblib or Dask, with its progress
bar) and reports, per design, three goals that pull apart:

* the brand's: **open-eyed likes per GBP it expects to pay**, ``E[open-eyed likes] /
  E[cheque paid]`` (the cheque is paid only if the target is reached, so a target nobody
  reaches buys likes for nothing: the brand's goal alone rewards unreachable targets);
* the charity's: **the money it expects to receive**, ``E[cheque paid] = P(target) x cheque``;
* the charity's risk: **the chance it gets nothing**, ``1 - P(target)``.

:func:`pareto_front` marks the designs no other design beats on both the brand's and the
charity's goal. Note an assumption of the model: the pull of the pledge does not depend on the
cheque per like (the charity motive is the same for GBP 1 or GBP 5 a like), so the cheque moves
money, not likes.

:SAMPLE USE: ``design_map(Scenario(), {"target": [300, 400], "price_per_like": [1.0, 2.5]},
replicates=50, seed=1)``
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.engine.montecarlo import summarise, sweep
from analysis.engine.scenario import Scenario

GOALS = {
    "open_eyed_per_gbp": "open-eyed likes per GBP the brand expects to pay",
    "charity_expected_gbp": "GBP the charity expects to receive",
    "risk_nothing": "chance the charity gets nothing",
}


def design_map(scenario: Scenario, grid: dict[str, list], replicates: int, *, seed: int,
               n_jobs: int | None = None, progress: bool = True) -> pd.DataFrame:
    """One row per design (grid combination): the three goals with 95% intervals.

    grid: scenario field -> values, e.g. ``{"target": [...], "price_per_like": [...]}``.
    replicates: Monte Carlo runs per design (the same seeds at every design: common random
    numbers). Columns: the grid's fields, ``replicates``, ``p_target_reached`` (+ ``p_low``,
    ``p_high``, Wilson), ``risk_nothing`` (+ ``risk_low``, ``risk_high``), ``cheque``,
    ``charity_expected_gbp`` (+ ``charity_low``, ``charity_high``), ``mean_open_eyed_likes``,
    ``open_eyed_per_gbp`` (``inf`` when the brand never pays), ``mean_likes``.
    """
    runs = sweep(scenario, grid, replicates, seed=seed, n_jobs=n_jobs, progress=progress)
    by = [f"param_{k}" for k in grid]
    table = summarise(runs, by=by).rename(columns=dict(zip(by, grid, strict=True)))
    extra = runs.groupby(by, sort=True).agg(
        cheque=("cheque", "first"),
        mean_open_eyed_likes=("open_eyed_likes", "mean"),
        mean_paid=("cheque_paid", "mean"),
        sd_paid=("cheque_paid", "std"),
    ).reset_index(drop=True)
    table = pd.concat([table, extra], axis=1)
    half = 1.96 * table["sd_paid"].fillna(0.0) / np.sqrt(table["replicates"])
    table["charity_expected_gbp"] = table["mean_paid"]
    table["charity_low"] = (table["mean_paid"] - half).clip(lower=0.0)
    table["charity_high"] = table["mean_paid"] + half
    table["risk_nothing"] = 1.0 - table["p_target_reached"]
    table["risk_low"], table["risk_high"] = 1.0 - table["p_high"], 1.0 - table["p_low"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["open_eyed_per_gbp"] = np.where(
            table["mean_paid"] > 0, table["mean_open_eyed_likes"] / table["mean_paid"], np.inf)
    table["front"] = pareto_front(table)
    keep = list(grid) + ["replicates", "cheque", "p_target_reached", "p_low", "p_high",
                         "risk_nothing", "risk_low", "risk_high", "charity_expected_gbp",
                         "charity_low", "charity_high", "mean_open_eyed_likes",
                         "open_eyed_per_gbp", "mean_likes", "front"]
    return table[keep]


def pareto_front(table: pd.DataFrame, brand: str = "open_eyed_per_gbp",
                 charity: str = "charity_expected_gbp") -> np.ndarray:
    """True for the designs that no other design beats on both goals (higher is better).

    A design is dominated when another is at least as good on both and better on one. Designs
    the brand never pays for (``inf`` likes per GBP, the charity expects nothing) are left out.
    """
    b = table[brand].to_numpy(dtype=float)
    c = table[charity].to_numpy(dtype=float)
    ok = np.isfinite(b) & (c > 0)
    front = np.zeros(len(table), dtype=bool)
    for i in np.flatnonzero(ok):
        others = ok & (b >= b[i]) & (c >= c[i]) & ((b > b[i]) | (c > c[i]))
        front[i] = not others.any()
    return front


def scaled_scenario(population: int, defaults: Scenario | None = None) -> Scenario:
    """The default campaign at another population: the seed list and the target scale with it.

    Each stays at least 1 (rounded to the nearest whole person or like).
    """
    defaults = Scenario() if defaults is None else defaults
    scale = population / defaults.population
    return defaults.replace(population=population, seeds=max(1, round(defaults.seeds * scale)),
                            target=max(1, round(defaults.target * scale)))


def best_designs(table: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The rows of a :func:`design_map` table best for each goal: (brand, charity, safest).

    The brand's best buy is the most open-eyed likes per GBP among the designs it pays for (a
    finite ratio); the charity's is the most expected money; the safest the least chance that
    the charity gets nothing.
    """
    paid = table[np.isfinite(table["open_eyed_per_gbp"])]
    return (paid.loc[paid["open_eyed_per_gbp"].idxmax()],
            table.loc[table["charity_expected_gbp"].idxmax()],
            table.loc[table["risk_nothing"].idxmin()])
