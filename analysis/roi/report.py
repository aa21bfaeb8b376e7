"""Tables notebook 03 reports from the ROI model: value by component at the medians, the answer
under variants that argue back, and the value laws drawn through a pilot community.

Thin layers over :mod:`analysis.roi.model`; each returns a tidy pandas frame or a dict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.roi import model as roi
from analysis.roi import valuelaws


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
