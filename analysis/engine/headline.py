"""The default campaign's headline figures, computed in one place for every notebook that quotes
them: P(target reached), the closed-eyes share, what GBP 2.50 a like buys, the charity's receipts.

The default runs are ``REPLICATES`` replicates of :func:`scenario` (the engine's default
scenario) with seed ``SEED`` (quick mode: ``QUICK_REPLICATES`` replicates on
``QUICK_POPULATION`` people, the target and the emailed seeds scaled per head). Notebook 01 runs
them (as trajectories: the same rows) and notebook 03 runs them again; both read the figures
from :func:`headline_of`, so the two quote the same numbers.

:SAMPLE USE:
    >>> h = default_headline(quick=True, n_jobs=1)  # doctest: +SKIP
    >>> f"{h.p_target_reached:.0%}"  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from analysis.engine.montecarlo import replicates, summarise
from analysis.engine.scenario import Scenario
from analysis.formats import gbp, pct

SEED = 2010
REPLICATES = 300
QUICK_REPLICATES = 12
QUICK_POPULATION = 5_000
MIN_SEEDS = 20


def scenario(population: int | None = None) -> Scenario:
    """The default scenario on ``population`` people, the target and the emailed seeds per head.

    At the default population (20,000) this is ``Scenario()``; elsewhere the target and the
    seed list scale with the population (at least 1 like and ``MIN_SEEDS`` seeds).
    """
    base = Scenario()
    if population is None or population == base.population:
        return base
    scale = population / base.population
    return base.replace(population=population, target=max(1, round(base.target * scale)),
                        seeds=min(population, max(MIN_SEEDS, round(base.seeds * scale))))


def small_scenario() -> Scenario:
    """The 150-person campaign notebooks 01 and 03 draw whole (every person on the page)."""
    return Scenario(population=150, mean_degree=6, seeds=20, target=30, days=10,
                    page_reach_per_day=0.03, feed_reach=0.5)


def runs(quick: bool = False) -> tuple[Scenario, int]:
    """The default runs' scenario and number of replicates (quick: small sizes for the tests)."""
    if quick:
        return scenario(QUICK_POPULATION), QUICK_REPLICATES
    return scenario(), REPLICATES


@dataclass(frozen=True)
class Headline:
    """The headline figures of a set of campaign replicates.

    closed_eyes_share: mean over all runs. cost_per_open_eyed_like: what the advertised price
    buys per open-eyed like, price / (1 - closed_eyes_share). paid_*: in the runs that reached
    the target, cheques over likes and over open-eyed likes, pooled (sum / sum), so that
    paid_cost_per_open_eyed_like = paid_cost_per_like / (1 - paid_closed_eyes_share).
    """

    runs: int
    population: int
    target: int
    p_target_reached: float
    p_low: float
    p_high: float
    closed_eyes_share: float
    price_per_like: float
    cost_per_open_eyed_like: float
    runs_paid: int
    paid_closed_eyes_share: float
    paid_cost_per_like: float
    paid_cost_per_open_eyed_like: float
    mean_likes: float
    mean_likes_without_pledge: float
    charity_receives_mean: float

    def table(self) -> pd.DataFrame:
        """The figures as people read them: one row each, with a readable value."""
        rows = [
            ("runs of the default campaign", f"{self.runs:,}"),
            ("people, target", f"{self.population:,} people, {self.target:,} likes"),
            ("P(target reached)", f"{pct(self.p_target_reached)} (95% interval "
                                  f"{pct(self.p_low)}-{pct(self.p_high)})"),
            ("closed-eyes share (mean of runs)", pct(self.closed_eyes_share, 1)),
            ("price per open-eyed like at the advertised price",
             f"{gbp(self.price_per_like)} / (1 - {pct(self.closed_eyes_share, 1)}) = "
             f"{gbp(self.cost_per_open_eyed_like)}"),
            ("paid per like, runs that paid", gbp(self.paid_cost_per_like)),
            ("paid per open-eyed like, runs that paid", gbp(self.paid_cost_per_open_eyed_like)),
            ("charity receives (mean of runs)", gbp(self.charity_receives_mean, 0)),
        ]
        return pd.DataFrame(rows, columns=["headline figure", "value"]).set_index("headline figure")

    def as_dict(self) -> dict:
        return asdict(self)


def headline_of(reps: pd.DataFrame, sc: Scenario) -> Headline:
    """The headline figures of replicate rows ``reps`` (``montecarlo.replicates``) of ``sc``."""
    agg = summarise(reps).iloc[0]
    share = reps["closed_eyes_share"].astype(float).mean()
    paid = reps[reps["target_reached"].astype(bool)]
    nan = float("nan")
    if len(paid):
        cheques, likes = paid["cheque_paid"].sum(), paid["likes"].sum()
        open_eyed = paid["open_eyed_likes"].sum()
        paid_share = paid["closed_eyed_likes"].sum() / likes
        per_like, per_open = cheques / likes, cheques / open_eyed
    else:
        paid_share = per_like = per_open = nan
    return Headline(
        runs=len(reps), population=sc.population, target=sc.target,
        p_target_reached=float(agg["p_target_reached"]), p_low=float(agg["p_low"]),
        p_high=float(agg["p_high"]), closed_eyes_share=float(share),
        price_per_like=sc.price_per_like, cost_per_open_eyed_like=sc.price_per_like / (1 - share),
        runs_paid=len(paid), paid_closed_eyes_share=float(paid_share),
        paid_cost_per_like=float(per_like), paid_cost_per_open_eyed_like=float(per_open),
        mean_likes=float(reps["likes"].mean()),
        mean_likes_without_pledge=float(reps["likes_without_pledge"].mean()),
        charity_receives_mean=float(reps["charity_receives"].mean()))


def default_headline(*, quick: bool = False, seed: int = SEED, n_jobs: int | None = None,
                     progress: bool = False) -> tuple[Headline, pd.DataFrame]:
    """Run the default campaign replicates and return (headline figures, replicate rows)."""
    sc, n = runs(quick)
    reps = replicates(sc, n, seed=seed, n_jobs=n_jobs, progress=progress)
    return headline_of(reps, sc), reps
