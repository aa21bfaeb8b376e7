"""The real ROI of audience versus connection: the same budget spent two ways, with uncertainty.

* **Audience** (:mod:`analysis.roi.audience`): the budget is the cheque; at ``price_per_like`` GBP
  a like it buys ``budget / price_per_like`` fans, a share ``closed_eyes_share`` of them with
  closed eyes. Conditional on the target being reached (otherwise no cheque is paid and there
  is no spend to return on). Organic reach, or the paid-reach variant.
* **Connection** (:mod:`analysis.roi.connection`): the budget finds, introduces and groups people
  who share the purpose; the graph decides how many ties, groups and word-of-mouth adopters it
  yields (:func:`structure`).

ROI = (value - cost) / cost, value in GBP over ``horizon_months``. The charity's return is
reported apart: the audience strategy hands the charity the cheque; the connection strategy
hands it nothing. Every Monte Carlo here is a pure function of (settings, seed): the same
``rng`` seed gives the same table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis.engine import parallel
from analysis.engine.graphs import synthetic_graph
from analysis.engine.people import draw_people
from analysis.engine.scenario import Scenario
from analysis.errors import InputError
from analysis.roi import priors as pri
from analysis.roi import valuelaws
from analysis.roi.audience import audience_value, fans_bought, paid_reach
from analysis.roi.connection import connection_outcomes, structure_curve
from analysis.roi.settings import (
    DEFAULT_BUDGET,
    DEFAULT_DRAWS,
    DEFAULT_GRAPH_PEOPLE,
    DEFAULT_HORIZON_MONTHS,
    DEFAULT_POPULATION,
    LAW_CHOICES,
    MAX_DRAWS,
)

MEMBER_FRACTIONS = tuple(np.geomspace(5e-4, 0.2, 8))


# The synthetic graphs that measure connection use the campaign engine's default network.
_DEGREE, _HOMOPHILY = float(Scenario().mean_degree), float(Scenario().homophily)


@dataclass(frozen=True)
class RoiSettings:
    """Settings of one comparison (validated on creation; bad values raise InputError).

    budget: GBP spent either way (the cheque). population: people the brand can reach (the
    default makes a 10,000-like target a near-median outcome at the engine's like rate).
    horizon_months: months over which value is counted. paid_reach: audience uses paid reach
    (Mochon et al. 2017). law: "kit" (the bottom-up model) or a value law extrapolating a
    pilot of ``pilot_members`` members. graph_people, graph_replicates, mean_degree, homophily:
    the synthetic graphs that measure the connection structure. threshold: friends needed to
    adopt by word of mouth. min_common: shared friends that make a tie strong.
    targeting_noise: noise on the affinity signal used to find members. fixed: parameters held
    at a value instead of drawn from their prior (name -> value).
    """

    budget: float = DEFAULT_BUDGET
    population: int = DEFAULT_POPULATION
    horizon_months: float = DEFAULT_HORIZON_MONTHS
    paid_reach: bool = False
    law: str = "kit"
    pilot_members: int = 500
    graph_people: int = DEFAULT_GRAPH_PEOPLE
    graph_replicates: int = 1
    mean_degree: float = _DEGREE
    homophily: float = _HOMOPHILY
    threshold: int = 2
    min_common: int = 2
    targeting_noise: float = 0.1
    fixed: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self):
        def bad(name, value, valid):
            raise InputError(f"{name} must be {valid}, got {value!r}")

        for name in ("budget", "horizon_months", "mean_degree", "targeting_noise"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                bad(name, v, "a finite number")
        if self.budget <= 0:
            bad("budget", self.budget, "> 0 GBP")
        if self.horizon_months <= 0 or self.horizon_months > 600:
            bad("horizon_months", self.horizon_months, "in (0, 600] months")
        for name, low in (("population", 2), ("pilot_members", 2), ("graph_people", 200),
                          ("graph_replicates", 1), ("threshold", 1), ("min_common", 0)):
            v = getattr(self, name)
            if isinstance(v, bool) or int(v) != v or v < low:
                bad(name, v, f"a whole number >= {low}")
        if not 0 <= self.homophily <= 1:
            bad("homophily", self.homophily, "in [0, 1]")
        if self.targeting_noise < 0:
            bad("targeting_noise", self.targeting_noise, ">= 0")
        if not 0 < self.mean_degree < self.graph_people:
            bad("mean_degree", self.mean_degree, f"in (0, graph_people={self.graph_people})")
        if self.law not in LAW_CHOICES:
            bad("law", self.law, f"one of {', '.join(LAW_CHOICES)}")
        known = pri.roi_priors()
        for name, value in dict(self.fixed).items():
            if name not in known:
                raise InputError(f"unknown ROI parameter {name!r}; known: "
                                 f"{', '.join(sorted(known))}")
            check_parameter(name, value)
        object.__setattr__(self, "fixed", dict(self.fixed))

    def replace(self, **changes) -> RoiSettings:
        """A copy with some settings changed (``fixed`` entries are merged, not replaced)."""
        if "fixed" in changes:
            changes["fixed"] = {**self.fixed, **dict(changes["fixed"])}
        return replace(self, **changes)

    def priors(self) -> dict[str, pri.Prior]:
        """The ROI priors with this comparison's fixed parameters held."""
        return pri.with_fixed(pri.roi_priors(), self.fixed)


_SHARES = {"closed_eyes_share", "engagement_given_reach", "monthly_churn", "tie_stick_prob",
           "existing_tie_activation", "p_active", "churn_reduction", "share_find",
           "share_introduce", "share_groups", "organic_reach_per_post",
           "closed_engagement_ratio"}


def check_parameter(name: str, value) -> float:
    """Validate one ROI parameter value: shares in [0, 1], everything else finite and >= 0."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise InputError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise InputError(f"{name} must be finite, got {value!r}")
    if name in _SHARES and not 0 <= value <= 1:
        raise InputError(f"{name} must be a share in [0, 1], got {value!r}")
    if value < 0:
        raise InputError(f"{name} must be >= 0, got {value!r}")
    if name in ("cost_per_member", "cost_per_introduction", "cost_per_group",
                "price_per_like") and value <= 0:
        raise InputError(f"{name} must be > 0 GBP, got {value!r}")
    if name in ("group_invitees", "working_size") and (value < 1 or int(value) != value):
        raise InputError(f"{name} must be a whole number >= 1, got {value!r}")
    return value


# --- the graph's side --------------------------------------------------------------------
def one_structure(settings: RoiSettings, seed: int, index: int) -> pd.DataFrame:
    """Structure curve on one synthetic graph: a pure function of (settings, seed, index)."""
    rng = parallel.stream(seed, index)
    people = draw_people(settings.graph_people, rng=rng)
    graph = synthetic_graph(settings.graph_people, settings.mean_degree, rng=rng,
                            affinity=people.affinity, homophily=settings.homophily)
    table = structure_curve(graph, people.affinity, MEMBER_FRACTIONS, rng=rng,
                            threshold=settings.threshold, min_common=settings.min_common,
                            group_invitees=int(settings.priors()["group_invitees"].default),
                            targeting_noise=settings.targeting_noise,
                            graph_name=f"synthetic {index}")
    table.insert(0, "replicate", index)
    return table


def structure(settings: RoiSettings, *, rng: np.random.Generator, n_jobs: int | None = 1,
              progress: bool = False) -> pd.DataFrame:
    """Structure curves on ``settings.graph_replicates`` synthetic graphs (joblib, tqdm).

    Each graph is a pure function of (settings, seed, index), the seed drawn from ``rng``.
    """
    seed = int(rng.integers(2**31 - 1))
    n = settings.graph_replicates
    parts = parallel.run(one_structure, ((settings, seed, i) for i in range(n)), total=n,
                         n_jobs=1 if n == 1 else n_jobs, progress=progress, desc="graphs")
    return pd.concat(parts, ignore_index=True)


# --- the arithmetic ------------------------------------------------------------------------
def _columns(params) -> dict[str, np.ndarray]:
    if isinstance(params, pd.DataFrame):
        return {c: params[c].to_numpy(dtype=float) for c in params.columns}
    return {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in dict(params).items()}


def evaluate(params, structure_table: pd.DataFrame, settings: RoiSettings) -> pd.DataFrame:
    """Value, cost and ROI of both strategies for each row of ``params`` (vectorised).

    params: DataFrame of draws (or mapping name -> number/array) covering roi_priors().
    Returns one row per draw: audience_value, audience_cost, audience_roi, connection_value,
    connection_cost, connection_roi, connection_beats_audience, the connection components, and
    charity_receives_audience / charity_receives_connection (GBP, apart from the brand's ROI).
    """
    p = _columns(params)
    budget = settings.budget
    horizon = settings.horizon_months
    open_f, closed_f = fans_bought(budget, p["price_per_like"], p["closed_eyes_share"])
    aud_value = audience_value(
        open_f, closed_f, organic_reach_per_post=p["organic_reach_per_post"],
        engagement_given_reach=p["engagement_given_reach"], posts_per_week=p["posts_per_week"],
        value_per_engagement=p["value_per_engagement"], horizon_months=horizon,
        monthly_churn=p["monthly_churn"], dilution_elasticity=p["dilution_elasticity"],
        closed_engagement_ratio=p["closed_engagement_ratio"])
    aud_cost = np.full(np.shape(aud_value), budget, dtype=float)
    if settings.paid_reach:
        extra_v, extra_c = paid_reach(
            open_f, closed_f, organic_reach_per_post=p["organic_reach_per_post"],
            engagement_given_reach=p["engagement_given_reach"],
            value_per_engagement=p["value_per_engagement"], horizon_months=horizon,
            monthly_churn=p["monthly_churn"], paid_reach_multiplier=p["paid_reach_multiplier"],
            boosted_posts_per_week=p["boosted_posts_per_week"], paid_cpm=p["paid_cpm"],
            closed_engagement_ratio=p["closed_engagement_ratio"])
        aud_value = aud_value + extra_v
        aud_cost = aud_cost + extra_c
    conn = connection_outcomes(p, structure_table, budget=budget,
                               population=settings.population, horizon_months=horizon)
    conn_value = conn["value"]
    log_conn = np.log(np.maximum(conn_value, 1e-300))
    if settings.law != "kit":
        log_conn = _law_log_value(p, structure_table, settings, conn["members"])
        conn_value = np.exp(np.minimum(log_conn, 700.0))
    shape = np.broadcast_shapes(np.shape(aud_value), np.shape(conn_value))
    out = pd.DataFrame({
        "audience_open_fans": np.broadcast_to(open_f, shape),
        "audience_closed_fans": np.broadcast_to(closed_f, shape),
        "audience_value": np.broadcast_to(aud_value, shape),
        "audience_cost": np.broadcast_to(aud_cost, shape),
        "connection_value": np.broadcast_to(conn_value, shape),
        "connection_cost": budget,
    })
    out["audience_roi"] = out["audience_value"] / out["audience_cost"] - 1.0
    out["connection_roi"] = out["connection_value"] / budget - 1.0
    ratio_a = out["audience_value"].to_numpy() / out["audience_cost"].to_numpy()
    log_ratio_c = np.broadcast_to(log_conn, shape) - math.log(budget)
    with np.errstate(divide="ignore"):
        log_ratio_a = np.where(ratio_a > 0, np.log(np.maximum(ratio_a, 1e-300)), -np.inf)
    out["connection_beats_audience"] = log_ratio_c > log_ratio_a
    out["log10_roi_multiple_gap"] = (log_ratio_c - log_ratio_a) / math.log(10)
    for key in ("members", "introductions", "new_ties", "activated_ties", "groups",
                "working_groups", "outputs", "wom_adopters", "value_fans", "value_ties",
                "value_outputs"):
        out[f"connection_{key}"] = np.broadcast_to(conn[key], shape)
    out["charity_receives_audience"] = budget
    out["charity_receives_connection"] = 0.0
    return out


def _law_log_value(p, structure_table, settings, members) -> np.ndarray:
    """log GBP value of connection when a value law extrapolates a pilot community.

    The kit's own model values a pilot of ``pilot_members`` members (same costs per member);
    the law then scales that value to the members the budget buys: V = V_pilot f(n)/f(n_pilot).
    """
    pilot = float(settings.pilot_members)
    pilot_budget = pilot * p["cost_per_member"] / p["share_find"]
    pilot_conn = connection_outcomes(p, structure_table, budget=pilot_budget,
                                     population=settings.population,
                                     horizon_months=settings.horizon_months)
    n = np.maximum(members, 1.0)
    return (np.log(np.maximum(pilot_conn["value"], 1e-300))
            + valuelaws.log_ratio(n, pilot, settings.law))


def check_draws(draws) -> int:
    """``draws`` as an int, or InputError unless a whole number in [1, MAX_DRAWS]."""
    if isinstance(draws, bool) or int(draws) != draws or not 1 <= draws <= MAX_DRAWS:
        raise InputError(f"draws must be a whole number in [1, {MAX_DRAWS}], got {draws!r}")
    return int(draws)


def roi_draws(settings: RoiSettings, draws: int, *, rng: np.random.Generator) -> pd.DataFrame:
    """``draws`` joint parameter draws from the priors (fixed parameters held)."""
    return pri.draw_parameters(settings.priors(), draws, rng=rng)


def monte_carlo(settings: RoiSettings, *, rng: np.random.Generator, draws: int = DEFAULT_DRAWS,
                structure_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """ROI of both strategies over ``draws`` parameter draws: parameters and results per row.

    structure_table: a :func:`structure` table (measured from ``rng`` if None).
    """
    check_draws(draws)
    if structure_table is None:
        structure_table = structure(settings, rng=rng)
    params = roi_draws(settings, int(draws), rng=rng)
    results = evaluate(params, structure_table, settings)
    table = pd.concat([params.add_prefix("param_"), results], axis=1)
    table.insert(0, "draw", np.arange(len(table)))
    return table


def params_of(table: pd.DataFrame) -> pd.DataFrame:
    """The parameter draws behind a :func:`monte_carlo` table (``param_`` prefix removed)."""
    cols = [c for c in table.columns if c.startswith("param_")]
    return table[cols].rename(columns=lambda c: c[len("param_"):])


def interval(x, level: float = 0.90) -> tuple[float, float, float]:
    """(median, low, high) of ``x`` with a central ``level`` interval."""
    x = np.asarray(x, dtype=float)
    a = (1.0 - level) / 2.0
    q = np.quantile(x, [0.5, a, 1.0 - a])
    return float(q[0]), float(q[1]), float(q[2])


def summarise(table: pd.DataFrame, settings: RoiSettings) -> dict:
    """Median ROI with 90% intervals for both strategies, P(connection beats audience), charity.

    The charity's return (the cheque, conditional on the target being reached) is reported
    apart from the brand's ROI.
    """
    out = {"budget_gbp": settings.budget, "horizon_months": settings.horizon_months,
           "population": settings.population,
           "variant": "paid reach" if settings.paid_reach else "organic reach",
           "law": settings.law, "draws": len(table)}
    for who in ("audience", "connection"):
        med, lo, hi = interval(table[f"{who}_roi"])
        vmed, vlo, vhi = interval(table[f"{who}_value"])
        out[who] = {"roi_median": med, "roi_90_low": lo, "roi_90_high": hi,
                    "value_median_gbp": vmed, "value_90_low_gbp": vlo,
                    "value_90_high_gbp": vhi,
                    "cost_median_gbp": float(table[f"{who}_cost"].median())}
    out["p_connection_beats_audience"] = float(table["connection_beats_audience"].mean())
    if settings.law == "reed":
        out["note"] = ("Reed's 2^n overflows: connection values are capped at exp(700) GBP; "
                       "P(connection beats audience) is computed in logs")
    out["charity"] = {"audience_gbp_if_target_reached": settings.budget,
                      "connection_gbp": 0.0}
    return out


# --- what would change the answer ------------------------------------------------------
METRICS = ("roi", "log")


def median_point(settings: RoiSettings, overrides: Mapping[str, float] | None = None) -> dict:
    """Every parameter at its prior median (fixed ones at their value), with ``overrides``."""
    values = pri.medians(settings.priors())
    values.update(overrides or {})
    return values


def gaps(settings: RoiSettings, structure_table: pd.DataFrame, rows: pd.DataFrame, *,
         metric: str = "roi") -> np.ndarray:
    """How far connection is ahead, for each row of (partial) parameter values.

    rows: one column per parameter to set; the others stay at their medians.
    metric "roi": connection ROI - audience ROI (GBP per GBP spent); "log": log10 of
    (connection value per GBP) / (audience value per GBP). Both are > 0 exactly when
    connection wins.
    """
    if metric not in METRICS:
        raise InputError(f"metric must be one of {METRICS}, got {metric!r}")
    base = pd.DataFrame([median_point(settings)] * len(rows)).reset_index(drop=True)
    for col in rows.columns:
        given = rows[col].to_numpy(dtype=float)
        base[col] = np.where(np.isnan(given), base[col].to_numpy(dtype=float), given)
    res = evaluate(base, structure_table, settings)
    if metric == "roi":
        return (res["connection_roi"] - res["audience_roi"]).to_numpy()
    return res["log10_roi_multiple_gap"].to_numpy()


def roi_gap(settings: RoiSettings, structure_table: pd.DataFrame,
            overrides: Mapping[str, float] | None = None, *, metric: str = "roi") -> float:
    """Connection ROI minus audience ROI with every parameter at its median (or overridden)."""
    rows = pd.DataFrame([dict(overrides or {})]) if overrides else pd.DataFrame(index=[0])
    return float(gaps(settings, structure_table, rows, metric=metric)[0])


def uncertain_parameters(settings: RoiSettings) -> list[str]:
    """Names of the parameters that are drawn (not fixed) in this comparison."""
    return [n for n, p in settings.priors().items() if p.kind != "fixed" and p.low < p.high
            and (settings.paid_reach or p.group != "paid")]


def tornado(settings: RoiSettings, structure_table: pd.DataFrame, *,
            low_q: float = 0.05, high_q: float = 0.95, metric: str = "roi") -> pd.DataFrame:
    """One-at-a-time sensitivity of how far connection is ahead (see :func:`gaps`).

    Each uncertain parameter moves to its ``low_q`` and ``high_q`` prior quantiles, the rest
    stay at their medians. Returns parameter, unit, low/high values, the gap at each, the
    swing (|difference|) and the base gap, sorted by swing (largest first).
    """
    priors = settings.priors()
    names = uncertain_parameters(settings)
    records = []
    for name in names:
        lo, hi = (float(v) for v in priors[name].ppf([low_q, high_q]))
        records += [{name: lo}, {name: hi}]
    rows = pd.DataFrame(records)
    values = gaps(settings, structure_table, rows, metric=metric) if records else np.zeros(0)
    base = roi_gap(settings, structure_table, metric=metric)
    out = []
    for i, name in enumerate(names):
        g_lo, g_hi = values[2 * i], values[2 * i + 1]
        out.append({"parameter": name, "unit": priors[name].unit,
                    "low_value": rows[name].iloc[2 * i], "high_value": rows[name].iloc[2 * i + 1],
                    "gap_at_low": g_lo, "gap_at_high": g_hi, "swing": abs(g_hi - g_lo),
                    "base_gap": base})
    table = pd.DataFrame(out, columns=["parameter", "unit", "low_value", "high_value",
                                       "gap_at_low", "gap_at_high", "swing", "base_gap"])
    return table.sort_values("swing", ascending=False, ignore_index=True)


def break_even_value(settings: RoiSettings, structure_table: pd.DataFrame, name: str, *,
                     q_range=(0.001, 0.999), points: int = 400) -> dict:
    """Where (if anywhere in its prior range) one parameter alone makes the two ROIs equal.

    The others stay at their medians. Scans ``points`` prior quantiles in ``q_range`` and
    interpolates the first sign change away from the median. Returns parameter, break_even
    (value, NaN if none), prior_quantile of that value, and audience_side ("low"/"high": the
    side of the parameter that favours audience).
    """
    prior = settings.priors()[name]
    qs = np.linspace(*q_range, points)
    xs = prior.ppf(qs)
    g = gaps(settings, structure_table, pd.DataFrame({name: xs}), metric="log")
    side = "high" if g[-1] < g[0] else "low"
    order = np.arange(points) if side == "high" else np.arange(points)[::-1]
    order = order[(qs[order] >= 0.5) if side == "high" else (qs[order] <= 0.5)]
    result = {"parameter": name, "break_even": float("nan"), "prior_quantile": float("nan"),
              "audience_side": side}
    for i, j in zip(order[:-1], order[1:], strict=False):
        if g[i] > 0 >= g[j]:
            w = g[i] / (g[i] - g[j])
            result["prior_quantile"] = float(qs[i] + w * (qs[j] - qs[i]))
            result["break_even"] = float(prior.ppf(result["prior_quantile"]))
            break
    if g[order[0]] <= 0:  # audience already wins at the median
        result["prior_quantile"], result["break_even"] = 0.5, float(prior.default)
    return result


def audience_wins_when(settings: RoiSettings, structure_table: pd.DataFrame,
                       table: pd.DataFrame | None = None) -> pd.DataFrame:
    """What would have to be true for audience to win, computed.

    For each uncertain parameter: the value (alone, the others at their medians) at which
    audience catches up, and where that value sits in its prior (NaN: nowhere in its 99.8%
    range). With a Monte Carlo table, also the parameter's median among the draws where
    audience wins, beside its median over all draws.
    """
    rows = [break_even_value(settings, structure_table, name)
            for name in uncertain_parameters(settings)]
    out = pd.DataFrame(rows, columns=["parameter", "break_even", "prior_quantile",
                                      "audience_side"])
    priors = settings.priors()
    out["median"] = [priors[n].default for n in out["parameter"]]
    out["unit"] = [priors[n].unit for n in out["parameter"]]
    if table is not None:
        wins = table.loc[~table["connection_beats_audience"].astype(bool)]
        out["median_all_draws"] = [float(table[f"param_{n}"].median()) for n in out["parameter"]]
        out["median_when_audience_wins"] = [
            float(wins[f"param_{n}"].median()) if len(wins) else float("nan")
            for n in out["parameter"]]
        out["share_of_draws_audience_wins"] = len(wins) / len(table)
    return out


def all_at_once_quantile(settings: RoiSettings, structure_table: pd.DataFrame, *,
                         points: int = 200) -> float:
    """How far every assumption must lean towards audience, at once, for the two to tie.

    Each uncertain parameter moves to prior quantile q on the side that favours audience (from
    a tornado of the log metric). Returns the smallest q in [0.5, 0.999] at which audience
    catches up (0.5 if it already wins at the medians, NaN if it never does).
    """
    torn = tornado(settings, structure_table, metric="log")
    priors = settings.priors()
    qs = np.linspace(0.5, 0.999, points)
    rows = pd.DataFrame({
        r.parameter: priors[r.parameter].ppf(1.0 - qs if r.gap_at_low < r.gap_at_high else qs)
        for r in torn.itertuples()})
    g = gaps(settings, structure_table, rows, metric="log")
    if g[0] <= 0:
        return 0.5
    hit = np.flatnonzero(g <= 0)
    if not len(hit):
        return float("nan")
    j = hit[0]
    w = g[j - 1] / (g[j - 1] - g[j])
    return float(qs[j - 1] + w * (qs[j] - qs[j - 1]))


def break_even_map(settings: RoiSettings, structure_table: pd.DataFrame, params: pd.DataFrame,
                   *, shares, values) -> pd.DataFrame:
    """P(connection beats audience) over a grid of closed-eyes share x value per connection.

    params: parameter draws (e.g. :func:`roi_draws`), reused at every cell with the two grid
    parameters overridden; also the gap at the medians (its zero is the break-even line).
    """
    shares = np.asarray(shares, dtype=float)
    values = np.asarray(values, dtype=float)
    for s in shares:
        check_parameter("closed_eyes_share", float(s))
    for v in values:
        check_parameter("value_per_connection", float(v))
    grid_s, grid_v = (a.ravel() for a in np.meshgrid(shares, values, indexing="ij"))
    d = len(params)
    p_win = []
    for s in shares:  # one block of rows per share keeps memory bounded
        block = pd.concat([params] * len(values), ignore_index=True)
        block["closed_eyes_share"] = s
        block["value_per_connection"] = np.repeat(values, d)
        wins = evaluate(block, structure_table, settings)["connection_beats_audience"]
        p_win.append(wins.to_numpy().reshape(len(values), d).mean(axis=1))
    at_median = gaps(settings, structure_table,
                     pd.DataFrame({"closed_eyes_share": grid_s, "value_per_connection": grid_v}))
    return pd.DataFrame({"closed_eyes_share": grid_s, "value_per_connection": grid_v,
                         "p_connection_beats_audience": np.concatenate(p_win),
                         "gap_at_medians": at_median})


def law_sensitivity(settings: RoiSettings, structure_table: pd.DataFrame,
                    params: pd.DataFrame) -> pd.DataFrame:
    """The answer under each value law: P(connection beats audience) and median log10 ROI gap.

    The kit's bottom-up model first, then each law extrapolating a pilot community of
    ``settings.pilot_members`` members to the members the budget buys.
    """
    rows = []
    for law in LAW_CHOICES:
        res = evaluate(params, structure_table, settings.replace(law=law))
        med, lo, hi = interval(res["connection_roi"])
        rows.append({"law": law, "formula": valuelaws.LAWS.get(law, "bottom-up model"),
                     "p_connection_beats_audience":
                         float(res["connection_beats_audience"].mean()),
                     "connection_roi_median": med, "connection_roi_90_low": lo,
                     "connection_roi_90_high": hi,
                     "median_log10_gap": float(res["log10_roi_multiple_gap"].median())})
    return pd.DataFrame(rows)


def value_curve(settings: RoiSettings, structure_table: pd.DataFrame, member_counts,
                overrides: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The kit's own V(n): connection value (GBP, at the medians) for n members.

    The budget grows with n (the same cost per member and the same split), so V(n) shows how
    value scales with the size of the community. Components are returned too.
    """
    point = median_point(settings, overrides)
    n = np.asarray(member_counts, dtype=float)
    budget = n * point["cost_per_member"] / point["share_find"]
    conn = connection_outcomes(point, structure_table, budget=budget,
                               population=settings.population,
                               horizon_months=settings.horizon_months)
    out = pd.DataFrame({"members": n, "budget_gbp": budget})
    for key in ("value", "value_fans", "value_ties", "value_outputs", "activated_ties",
                "new_ties", "wom_adopters", "working_groups"):
        out[key] = np.broadcast_to(conn[key], n.shape)
    return out
