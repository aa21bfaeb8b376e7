"""Tables of what many campaign replicates produce: likes over the days, the chance of reaching
a target, what the cheque buys, and runs on different graphs side by side.

Each takes the tidy tables of :mod:`analysis.engine.montecarlo` (``replicates`` rows, the
``trajectories`` day-by-day rows) and returns a tidy frame; notebooks and charts read these.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from analysis.engine.montecarlo import replicates

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def likes_bands(days: pd.DataFrame) -> pd.DataFrame:
    """Percentiles of cumulative likes per day across replicates, and the no-pledge median.

    days: ``trajectories(...)[1]``. Columns: day, p05, p25, median, p75, p95, median_no_pledge.
    """
    bands = (days.groupby("day")["cumulative"]
             .quantile(list(QUANTILES)).unstack().reset_index())
    bands.columns = ["day", "p05", "p25", "median", "p75", "p95"]
    no_pledge = days.groupby("day")["cum_no_pledge"].median().rename("median_no_pledge")
    return bands.merge(no_pledge, on="day")


def target_curve(likes, price_per_like: float, points: int = 60) -> pd.DataFrame:
    """P(likes >= target) over a range of targets, with a 95% Wilson interval.

    likes: final likes of independent replicates (the target changes no decision in the model,
    so the same runs answer every target). Columns: target, p_reached, ci_low, ci_high,
    cheque_gbp (target x price).
    """
    likes = np.asarray(likes)
    targets = np.unique(np.linspace(max(1, likes.min() * 0.7), likes.max() * 1.15, points).round())
    hits = np.array([(likes >= t).sum() for t in targets])
    lo, hi = proportion_confint(hits, len(likes), alpha=0.05, method="wilson")
    return pd.DataFrame({"target": targets, "p_reached": hits / len(likes), "ci_low": lo,
                         "ci_high": hi, "cheque_gbp": targets * price_per_like})


def even_target(curve: pd.DataFrame) -> float:
    """The largest target still reached in at least half of the runs (NaN if none)."""
    return curve.loc[curve["p_reached"] >= 0.5, "target"].max()


def money_table(reps: pd.DataFrame, price_per_like: float) -> pd.DataFrame:
    """What the cheque buys: advertised price, paid per like and per open-eyed like (mean over
    runs that reached the target; NaN if none did), with the mean closed-eyes share and the
    charity's mean receipt over all runs."""
    paid = reps[reps["target_reached"]]
    money = pd.DataFrame({
        "measure": ["advertised price per like", "paid per like (runs that paid)",
                    "paid per open-eyed like (runs that paid)"],
        "gbp": [price_per_like,
                paid["cost_per_like"].astype(float).mean() if len(paid) else np.nan,
                paid["cost_per_open_eyed_like"].astype(float).mean() if len(paid) else np.nan],
    })
    money["closed_eyes_share_mean"] = reps["closed_eyes_share"].astype(float).mean()
    money["charity_receives_mean_gbp"] = reps["charity_receives"].mean()
    return money


def campaigns_on_graphs(scenario, graphs: dict, n: int, *, seed: int, people: dict | None = None,
                        n_jobs: int | None = None) -> pd.DataFrame:
    """``n`` replicates of ``scenario`` on each fixed graph (name -> Graph), summarised by
    :func:`runs_on_graphs`. people: graph name -> the People a synthetic graph was built from
    (graphs without people get fresh people in each run)."""
    people = people or {}
    runs = {name: replicates(scenario, n, seed=seed, graph=g, people=people.get(name),
                             n_jobs=n_jobs, progress=False) for name, g in graphs.items()}
    return runs_on_graphs(runs, scenario.target)


def runs_on_graphs(runs: dict[str, pd.DataFrame], target: int) -> pd.DataFrame:
    """One row per graph: replicates, mean and 90% range of likes, closed-eyes share,
    likes without the pledge, and P(target reached). runs: graph name -> replicate rows."""
    return pd.DataFrame({
        name: {"population": r["population"].iloc[0], "runs": len(r),
               "mean_likes": r["likes"].mean(),
               "likes_p05": r["likes"].quantile(0.05), "likes_p95": r["likes"].quantile(0.95),
               "closed_eyes_share": r["closed_eyes_share"].astype(float).mean(),
               "mean_likes_without_pledge": r["likes_without_pledge"].mean(),
               "target": target, "p_target_reached": r["target_reached"].mean()}
        for name, r in runs.items()}).T
