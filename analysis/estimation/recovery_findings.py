"""What the recovery study's table says (notebook 02, section 8), computed from the table.

The table is the tidy output of :func:`analysis.estimation.recovery.recovery_study` (one row per
estimator, condition, size and true share). :func:`coverage_cells` summarises each
estimator x condition x size cell over the true shares (the heat map); :func:`findings` picks out
the numbers the notebook's sentences quote; :func:`study_sentence` and the findings' own
``holds_sentence`` and ``breaks_sentence`` write those sentences.

:SAMPLE USE: ``findings(pd.read_csv(recovery.TABLE)).ab_min_coverage``
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.estimation import recovery
from analysis.formats import pct

# A 95% interval that covers its target in fewer than 90% of the replicates is not trusted
# (with 200 replicates, 95% coverage reads 92-98% by chance alone).
COVERAGE_FLOOR = 0.90
# the condition whose closed-eyes fans engage a little, and how little (of the organic rate)
CLOSED_A_LITTLE = "closed engage 20%"

def coverage_cells(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (size, estimator, condition): the lowest and mean coverage of the estimator's
    own 95% interval over the true shares, the mean bias, and whether its assumption holds."""
    return (table.groupby(["size", "estimator", "condition"])
            .agg(worst_coverage=("coverage_own", "min"), mean_coverage=("coverage_own", "mean"),
                 mean_bias=("bias", "mean"), holds=("assumption_holds", "first"))
            .reset_index())


def _rows(table: pd.DataFrame, estimator: str, condition: str, size: str = "large") -> pd.DataFrame:
    return table[(table["estimator"] == estimator) & (table["condition"] == condition)
                 & (table["size"] == size)]


@dataclass(frozen=True)
class Findings:
    """The numbers the notebook quotes from the recovery table (shares as 0..1, bias in shares).

    ab_min_coverage: the A/B test's lowest coverage (it runs under ``ab_conditions`` only);
    holds_*: coverage in the rows where each estimator's own assumption holds;
    weak_holds: those rows below :data:`COVERAGE_FLOOR` coverage, lowest first;
    mixture_closed20_min_coverage: the Poisson mixture, closed-eyes fans engaging at 20%, large;
    ratio_open_bias_*: the ratio when open-eyed campaign fans engage at 0.7x, large;
    its_bias_mean: the time series as an estimate of s, every assumption holding, large.
    """

    ab_min_coverage: float
    ab_conditions: tuple[str, ...]
    holds_median_coverage: float
    holds_at_least_90: int
    holds_rows: int
    weak_holds: pd.DataFrame
    mixture_closed20_min_coverage: float
    ratio_open_bias_min: float
    ratio_open_bias_max: float
    its_bias_mean: float

    def holds_sentence(self) -> str:
        """Coverage where each assumption holds, and (a second bullet) the cells that still fall
        below :data:`COVERAGE_FLOOR`, with what a small campaign cohort leaves the mixture to work with."""
        weak = self.weak_holds
        text = (f"- **Where each assumption holds** (outlined cells), coverage is "
                f"{self.holds_median_coverage:.0%} in the median cell and at least "
                f"{COVERAGE_FLOOR:.0%} in {self.holds_at_least_90} of {self.holds_rows} cells.")
        if weak.empty:
            return text
        fails = "; ".join(f"{r.estimator} ({r.condition}, {r.size}, s = {r.true_s:g}): "
                          f"{r.coverage_own:.0%}" for r in weak.itertuples())
        open_left = recovery.SIZES["small"]["n_campaign"] * (1 - weak["true_s"].iloc[0])
        return text + (
            f"\n- **Where it still fails:** {len(weak)} cell(s) fall below "
            f"{COVERAGE_FLOOR:.0%} although the "
            f"assumption holds: {fails}. With {open_left:.0f} open-eyed fans left in a small "
            "campaign cohort, a few runs cannot tell 'a few active fans' from 'everyone engages "
            "rarely', and the mixture's interval is then too narrow. Do not trust a mixture on a "
            "small cohort when *s* is high.")

    def breaks_sentence(self, truth: dict) -> str:
        """What each broken assumption does (three bullets), the time series' bias beside the gap
        between the excess share and *s* in the campaign of ``truth`` (``Observables.truth``)."""
        little = recovery.CONDITIONS[CLOSED_A_LITTLE][1]["closed_engagement"]
        return (
            f"- **Closed-eyes fans who engage a little** bias every engagement design downwards: "
            f"at {little:.0%} of the organic rate the ratio reads about *s* x {1 - little:g} and "
            "the Poisson "
            f"mixture's coverage falls to {self.mixture_closed20_min_coverage:.0%} at the highest "
            "shares.\n"
            f"- **Open-eyed campaign fans who engage less** bias the ratio upwards by "
            f"{100 * self.ratio_open_bias_min:.0f} to {100 * self.ratio_open_bias_max:.0f} pp; "
            "the mixtures are unaffected, because their count part has its own cohort term.\n"
            f"- **The time series** covers the share of likes the campaign brought, but as an "
            f"estimate of *s* it sits {100 * self.its_bias_mean:.0f} pp too high on average: "
            f"exactly the genuine fans the campaign brought, {recovery.DISCOVERY_SHARE:.0%} of "
            f"the window's likes in the study ({pct(truth['excess_share'] - truth['s'], 1)} in "
            "the campaign of section 2, which is why its bound there is so loose). A seasonal "
            "bump the pre-period cannot show breaks it outright.")

def findings(table: pd.DataFrame) -> Findings:
    """The quoted numbers of the recovery ``table`` (see :class:`Findings`)."""
    ab = table[table["estimator"] == "ab"]
    holds = table[table["assumption_holds"]]
    ratio_open = _rows(table, "ratio", "open fans engage 0.7x")
    return Findings(
        ab_min_coverage=float(ab["coverage_own"].min()),
        ab_conditions=tuple(sorted(ab["condition"].unique())),
        holds_median_coverage=float(holds["coverage_own"].median()),
        holds_at_least_90=int((holds["coverage_own"] >= COVERAGE_FLOOR).sum()),
        holds_rows=len(holds),
        weak_holds=holds[holds["coverage_own"] < COVERAGE_FLOOR].sort_values("coverage_own"),
        mixture_closed20_min_coverage=float(
            _rows(table, "mixture", CLOSED_A_LITTLE)["coverage_own"].min()),
        ratio_open_bias_min=float(ratio_open["bias"].min()),
        ratio_open_bias_max=float(ratio_open["bias"].max()),
        its_bias_mean=float(_rows(table, "its", "none")["bias"].mean()),
    )


# --------------------------------------------------------------------------- the notebook's words
def study_sentence(reps: int) -> str:
    """The recovery study's design in words: its true shares, ``reps`` replicates per cell, the
    like rate with the pledge and the daily series' settings (``recovery``'s constants)."""
    return (
        f"True shares: {', '.join(f'{s:g}' for s in recovery.SHARES)}; {reps} replicates per "
        f"cell in the full study; like rate with the pledge {recovery.P_WITH:.0%}; in the daily "
        f"series, {recovery.BASELINE_PER_DAY:g} organic likes a day and genuine fans the campaign "
        f"brought worth {recovery.DISCOVERY_SHARE:.0%} of the window's likes. The full study "
        "writes the tidy table `data/recovery.csv` (committed); quick mode runs a tiny grid to "
        "check the code and reads the committed table for the findings.")

