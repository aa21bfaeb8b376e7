"""What the recovery study's table says (notebook 02, section 8), computed from the table.

The table is the tidy output of :func:`analysis.estimation.recovery.recovery_study` (one row per
estimator, condition, size and true share). :func:`coverage_cells` summarises each
estimator x condition x size cell over the true shares (the heat map); :func:`findings` picks out
the numbers the notebook's sentences quote.

:SAMPLE USE: ``findings(pd.read_csv(recovery.TABLE)).ab_min_coverage``
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


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
    weak_holds: those rows below 90% coverage, lowest first;
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


def findings(table: pd.DataFrame) -> Findings:
    """The quoted numbers of the recovery ``table`` (see :class:`Findings`)."""
    ab = table[table["estimator"] == "ab"]
    holds = table[table["assumption_holds"]]
    ratio_open = _rows(table, "ratio", "open fans engage 0.7x")
    return Findings(
        ab_min_coverage=float(ab["coverage_own"].min()),
        ab_conditions=tuple(sorted(ab["condition"].unique())),
        holds_median_coverage=float(holds["coverage_own"].median()),
        holds_at_least_90=int((holds["coverage_own"] >= 0.9).sum()),
        holds_rows=len(holds),
        weak_holds=holds[holds["coverage_own"] < 0.9].sort_values("coverage_own"),
        mixture_closed20_min_coverage=float(
            _rows(table, "mixture", "closed engage 20%")["coverage_own"].min()),
        ratio_open_bias_min=float(ratio_open["bias"].min()),
        ratio_open_bias_max=float(ratio_open["bias"].max()),
        its_bias_mean=float(_rows(table, "its", "none")["bias"].mean()),
    )
