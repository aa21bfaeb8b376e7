"""The campaign's parameter table: :func:`analysis.engine.scenario.parameter_rows` as a data
frame, and its committed copy ``data/scenario_parameters.csv`` (``python -m analysis scenario``)."""

from __future__ import annotations

import pandas as pd

from analysis import paths
from analysis.engine.scenario import parameter_rows

PARAMETER_TABLE = paths.DATA / "scenario_parameters.csv"


def parameter_table() -> pd.DataFrame:
    """Every scenario parameter with its default, valid range, plausible range, unit and source."""
    return pd.DataFrame(parameter_rows())


def write_parameter_table(path=PARAMETER_TABLE) -> None:
    parameter_table().to_csv(path, index=False, lineterminator="\n")
