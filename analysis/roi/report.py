"""Tables notebook 03 reports from the ROI model: value by component at the medians, the answer
under variants that argue back, and the value laws drawn through a pilot community.

Thin layers over :mod:`analysis.roi.model`; each returns a tidy pandas frame or a dict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.engine.people import draw_people
from analysis.roi import model as roi
from analysis.roi import valuelaws
from analysis.roi.connection import homophilous_affinity, interpolate_structure, structure_curve


def value_components(point: pd.Series) -> pd.DataFrame:
    """Value of each strategy by component, from one ``roi.evaluate`` row (e.g. at the medians).

    Columns: strategy, component, value_gbp.
    """
    return pd.DataFrame({
        "strategy": ["audience", "connection", "connection", "connection"],
        "component": ["open-eyed fans' engagements", "members and word-of-mouth adopters as fans",
                      "ties among members", "co-created outputs"],
        "value_gbp": [point["audience_value"], point["connection_value_fans"],
                      point["connection_value_ties"], point["connection_value_outputs"]]})


def variant_row(label: str, table: pd.DataFrame, settings: roi.RoiSettings) -> dict:
    """One line of the variants table: both median ROIs and P(connection beats audience) of a
    Monte Carlo ``table`` run under ``settings``."""
    s = roi.summarise(table, settings)
    return {"variant": label, "audience_roi_median": s["audience"]["roi_median"],
            "connection_roi_median": s["connection"]["roi_median"],
            "p_connection_beats_audience": s["p_connection_beats_audience"]}


def variant(label: str, settings: roi.RoiSettings, structure_table: pd.DataFrame, *,
            draws: int, seed: int) -> dict:
    """:func:`variant_row` of a fresh Monte Carlo of ``draws`` draws under ``settings``."""
    table = roi.monte_carlo(settings, rng=np.random.default_rng(seed), draws=draws,
                            structure_table=structure_table)
    return variant_row(label, table, settings)


def engine_share_table(settings: roi.RoiSettings, structure_table: pd.DataFrame, shares,
                       *, draws: int, seed: int) -> pd.DataFrame:
    """A Monte Carlo table whose closed-eyes share is resampled from ``shares`` (e.g. the
    campaign engine's replicates) instead of drawn from its prior.

    Parameters come from ``default_rng(seed)``, the shares from ``default_rng(seed + 1)``.
    """
    params = roi.roi_draws(settings, draws, rng=np.random.default_rng(seed))
    params["closed_eyes_share"] = np.random.default_rng(seed + 1).choice(
        np.asarray(shares, dtype=float), size=draws)
    return roi.evaluate(params, structure_table, settings)


def law_curves(members, pilot: int, v_pilot: float) -> pd.DataFrame:
    """Each value law drawn through a pilot community of ``pilot`` members worth ``v_pilot``.

    Columns: law, members, value_through_pilot (inf where the law overflows).
    """
    members = pd.Series(members)
    rows = []
    for law in valuelaws.LAWS:
        with np.errstate(over="ignore"):
            vals = v_pilot * np.exp(valuelaws.log_ratio(members, pilot, law))
        rows.append(pd.DataFrame({"law": law, "members": members, "value_through_pilot": vals}))
    return pd.concat(rows, ignore_index=True)


STRUCTURE_VIEW = ("member_fraction", "members", "ties_per_member", "triangles_per_member",
                  "two_core_share", "communities", "group_tie_density", "wom_adopter_fraction")


def snap_structure(settings: roi.RoiSettings, adj, *, seed: int) -> pd.DataFrame:
    """The structure curve (``connection.structure_curve``) measured on a real graph ``adj``
    (e.g. SNAP), with affinities drawn and placed homophilously (a real graph has none)."""
    rng = np.random.default_rng(seed)
    affinity = homophilous_affinity(adj, draw_people(adj.shape[0], rng=rng).affinity,
                                    settings.homophily, rng=rng)
    return structure_curve(adj, affinity, roi.MEMBER_FRACTIONS, rng=rng,
                           graph_name="SNAP ego-Facebook")


def structure_view(structure_table: pd.DataFrame, graph_people: int,
                   real: pd.DataFrame | None = None) -> pd.DataFrame:
    """The synthetic graphs' structure averaged per member share, beside a real graph's."""
    cols = list(STRUCTURE_VIEW)
    view = structure_table.groupby("member_fraction", as_index=False)[cols[1:]].mean()
    view.insert(0, "graph", f"synthetic ({graph_people:,} people)")
    views = [view] + ([real[["graph"] + cols]] if real is not None else [])
    return pd.concat(views, ignore_index=True)


# The names of two rows of :func:`variants_table` that notebook 03 quotes.
AS_ABOVE = "as above"
NO_CLOSED_EYES = "no closed-eyes likes, no dilution"


def variants_table(settings: roi.RoiSettings, structure_table: pd.DataFrame, mc: pd.DataFrame, *,
                   engine_shares, draws: int, seed: int,
                   real_structure: pd.DataFrame | None = None) -> pd.DataFrame:
    """The answer under the variants that argue back (one row each, indexed by variant):
    as above (``mc``), paid reach (Mochon et al. 2017), paid reach at 10x, no closed-eyes likes,
    closed-eyes fans who engage a little, the closed-eyes share resampled from the engine's runs
    (``engine_shares``), and the structure of a real graph (``real_structure``) when given.

    Fresh Monte Carlos use ``default_rng(seed)``; the engine-share table ``seed + 1``.
    """
    def fresh(label, st, struct=structure_table):
        return variant(label, st, struct, draws=draws, seed=seed)

    engine = engine_share_table(settings, structure_table, engine_shares, draws=draws,
                                seed=seed + 1)
    rows = [variant_row(AS_ABOVE, mc, settings),
            fresh("paid reach (Mochon et al. 2017)", settings.replace(paid_reach=True)),
            fresh("paid reach reaching 10x as many fans",
                  settings.replace(paid_reach=True, fixed={"paid_reach_multiplier": 10.0})),
            fresh(NO_CLOSED_EYES,
                  settings.replace(fixed={"closed_eyes_share": 0.0, "dilution_elasticity": 0.0})),
            fresh("closed-eyes fans engage at 20% of the open rate",
                  settings.replace(fixed={"closed_engagement_ratio": 0.2})),
            variant_row("closed-eyes share from the engine's runs", engine, settings)]
    if real_structure is not None:
        rows.append(fresh("structure measured on the SNAP graph", settings, real_structure))
    return pd.DataFrame(rows).set_index("variant")


def break_even_grid(settings: roi.RoiSettings, structure_table: pd.DataFrame, *, points: int,
                    draws: int, seed: int) -> pd.DataFrame:
    """``roi.model.break_even_map`` over ``points`` closed-eyes shares (0 to 95%) x ``points``
    values per connection (GBP 0.05 to 50 a tie a year, log-spaced), ``draws`` parameter draws
    from ``default_rng(seed)``. The first row is the corner: no closed-eyes likes, cheapest ties."""
    shares = np.linspace(0.0, 0.95, points)
    values = np.geomspace(0.05, 50, points)
    params = roi.roi_draws(settings, draws, rng=np.random.default_rng(seed))
    return roi.break_even_map(settings, structure_table, params, shares=shares, values=values)


def structure_at(structure_table: pd.DataFrame, member_fraction: float) -> dict[str, float]:
    """The structure measures (``connection.interpolate_structure``) at one member share."""
    return {k: float(v) for k, v in interpolate_structure(structure_table, member_fraction).items()}
