"""Monte Carlo: replicates and parameter sweeps as pure functions of (parameters, seed).

Each replicate gets its own independent random stream (:func:`analysis.engine.parallel.stream`),
so results depend only on (scenario, seed, replicate index) and not on how the work is split
across processes. Replicates run through the kit's one parallel runner
(:func:`analysis.engine.parallel.run`: joblib processes, a tqdm bar, workers capped at the cores,
none left running when the run is stopped) and return tidy pandas rows.

Bigger sweeps on a cluster: the same code runs on Dask (``pip install -e '.[dask]'``)::

    from dask.distributed import Client
    import joblib
    client = Client()  # or Client("scheduler-address:8786")
    with joblib.parallel_config(backend="dask"):
        table = sweep(Scenario(), {"target": [300, 600]}, replicates=200, seed=1)
"""

from __future__ import annotations

import dataclasses
import itertools

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from analysis.engine import parallel
from analysis.engine.campaign import run_campaign
from analysis.engine.graphs import Graph
from analysis.engine.people import People
from analysis.engine.scenario import PAYOUT_ONLY, Scenario
from analysis.errors import InputError

# The day-by-day columns of a trajectory (``trajectories``' second table, with ``replicate``).
DAILY_COLUMNS = ("day", "cumulative", "cum_open_eyed", "cum_closed_eyed", "cum_bots",
                 "cum_no_pledge")
# Every replicate is a row held in memory (about 1 kB): beyond this, refuse before starting.
MAX_REPLICATES = 1_000_000


def _campaign(scenario: Scenario, seed: int, index: int, graph: Graph | None,
              people: People | None):
    """Replicate ``index`` of ``seed``, on its own stream (the one place it is drawn)."""
    return run_campaign(scenario, rng=parallel.stream(seed, index), graph=graph, people=people)


def one_replicate(scenario: Scenario, seed: int, index: int, graph: Graph | None = None,
                  people: People | None = None) -> dict:
    """One campaign replicate: a pure function of (scenario, seed, index) (and graph, people)."""
    result = _campaign(scenario, seed, index, graph, people)
    return {"replicate": index, "seed": seed, **result.summary()}


def one_trajectory(scenario: Scenario, seed: int, index: int,
                   graph: Graph | None = None, people: People | None = None) -> dict:
    """One replicate's summary plus its day-by-day counts (``daily``: a list of dicts)."""
    result = _campaign(scenario, seed, index, graph, people)
    columns = [result.daily[c].tolist() for c in DAILY_COLUMNS]  # Python numbers, as records
    days = [dict(zip(DAILY_COLUMNS, row, strict=True), replicate=index)
            for row in zip(*columns, strict=True)]
    return {"replicate": index, "seed": seed, **result.summary(), "daily": days}


def check_replicates(n: int, combinations: int = 1) -> None:
    """Refuse, before anything starts, a count of replicates the kit cannot hold in memory."""
    if isinstance(n, bool) or int(n) != n or n < 1:
        raise InputError(f"replicates must be a whole number >= 1, got {n!r}")
    if n * combinations > MAX_REPLICATES:
        raise InputError(f"{n:,} replicates x {combinations:,} grid points is more than the "
                         f"{MAX_REPLICATES:,} rows a run may hold in memory (about 1 kB each)")


def _tasks(scenario: Scenario, n: int, seed: int, graph, people):
    """The replicates' arguments, made one at a time as the runner asks for them."""
    return ((scenario, seed, i, graph, people) for i in range(n))


def replicates(
    scenario: Scenario,
    n: int,
    *,
    seed: int,
    n_jobs: int | None = None,
    progress: bool = True,
    graph: Graph | None = None,
    people: People | None = None,
) -> pd.DataFrame:
    """``n`` independent replicates of a campaign, one tidy row each.

    n_jobs: joblib processes (None: joblib's default, 1 unless a ``parallel_config`` says
    otherwise; -1: all cores). graph: a fixed graph for every replicate (else each replicate
    draws its own synthetic graph and people). people: fixed people for that graph; pass the
    people a synthetic graph was built from, or its homophily is lost (new people are drawn
    independently of the ties).
    """
    check_replicates(n)
    rows = parallel.run(one_replicate, _tasks(scenario, n, seed, graph, people), total=n,
                        n_jobs=n_jobs, progress=progress, desc="replicates")
    return pd.DataFrame(rows)


def trajectories(
    scenario: Scenario,
    n: int,
    *,
    seed: int,
    n_jobs: int | None = None,
    progress: bool = True,
    graph: Graph | None = None,
    people: People | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Like :func:`replicates` (same seeds, same rows), plus a tidy day-by-day table.

    Returns (summary rows, daily rows with replicate, day and cumulative counts).
    """
    check_replicates(n)
    rows = parallel.run(one_trajectory, _tasks(scenario, n, seed, graph, people), total=n,
                        n_jobs=n_jobs, progress=progress, desc="replicates")
    daily = pd.DataFrame([d for r in rows for d in r.pop("daily")])
    return pd.DataFrame(rows), daily


def priced_replicates(scenarios: list[Scenario], seed: int, index: int,
                      graph: Graph | None = None, people: People | None = None) -> list[dict]:
    """Replicate ``index`` of campaigns that differ only in their payout fields
    (:data:`analysis.engine.scenario.PAYOUT_ONLY`): the campaign runs once, and each scenario's
    row is its summary under that scenario's price and cheque (the same row
    :func:`one_replicate` gives for it)."""
    result = _campaign(scenarios[0], seed, index, graph, people)
    return [{"replicate": index, "seed": seed,
             **dataclasses.replace(result, scenario=sc).summary()} for sc in scenarios]


def sweep(
    scenario: Scenario,
    grid: dict[str, list],
    replicates: int,
    *,
    seed: int,
    n_jobs: int | None = None,
    progress: bool = True,
    graph: Graph | None = None,
    people: People | None = None,
) -> pd.DataFrame:
    """Replicates over every combination of ``grid`` values (field name -> values).

    Returns one row per (combination, replicate) with the swept fields as columns. The same
    seed gives the same streams at every grid point (common random numbers across the sweep),
    so grid points that differ only in the payout (price per like, cheque) share their
    campaigns: each is run once and priced per grid point, the rows as if run one by one.
    """
    names = list(grid)
    combos = list(itertools.product(*(grid[k] for k in names)))
    check_replicates(replicates, len(combos))
    scenarios = [scenario.replace(**dict(zip(names, c, strict=True))) for c in combos]
    # grid points with the same campaign: the same values of every field but the payout's
    families: dict[tuple, list[int]] = {}
    for j, c in enumerate(combos):
        key = tuple(v for k, v in zip(names, c, strict=True) if k not in PAYOUT_ONLY)
        families.setdefault(key, []).append(j)
    members = list(families.values())
    tasks = (([scenarios[j] for j in js], seed, i, graph, people)
             for js in members for i in range(replicates))
    priced = parallel.run(priced_replicates, tasks, total=len(members) * replicates,
                          n_jobs=n_jobs, progress=progress, desc="sweep")
    by_point: dict[tuple[int, int], dict] = {}
    for (js, i), rows in zip(((js, i) for js in members for i in range(replicates)), priced,
                             strict=True):
        for j, row in zip(js, rows, strict=True):
            by_point[j, i] = row
    table = pd.DataFrame([by_point[j, i] for j in range(len(combos)) for i in range(replicates)])
    swept = pd.DataFrame([dict(zip(names, c, strict=True)) for c in combos
                          for _ in range(replicates)])
    swept.columns = [f"param_{c}" for c in swept.columns]
    return pd.concat([swept, table], axis=1)


def summarise(table: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """P(target reached) with a 95% Wilson interval and mean outcomes, per group."""
    def agg(g: pd.DataFrame) -> pd.Series:
        k, m = int(g["target_reached"].sum()), len(g)
        lo, hi = proportion_confint(k, m, alpha=0.05, method="wilson")
        return pd.Series({
            "replicates": m,
            "p_target_reached": k / m, "p_low": lo, "p_high": hi,
            "mean_likes": g["likes"].mean(),
            "mean_closed_eyes_share": g["closed_eyes_share"].astype(float).mean(),
            "mean_likes_without_pledge": g["likes_without_pledge"].mean(),
            "mean_charity_receives": g["charity_receives"].mean(),
        })

    if not by:
        return agg(table).to_frame().T
    return table.groupby(by, sort=True).apply(agg, include_groups=False).reset_index()
