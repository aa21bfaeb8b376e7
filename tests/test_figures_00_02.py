"""The chart functions of notebooks 00 and 02 draw from the numbers they are given."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.engine import arithmetic  # noqa: E402
from analysis.estimation import comparison, power, recovery  # noqa: E402
from analysis.estimation.estimates import Estimate  # noqa: E402
from analysis.estimation.recovery_findings import coverage_cells  # noqa: E402
from analysis.publish import figures_estimation, figures_intro  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_cost_per_open_eyed_like_draws_the_curve_and_marks():
    costs = arithmetic.cost_curve(2.50, points=20)
    marks = arithmetic.cost_marks(2.50, [0.5, 0.8, 0.9])
    fig = figures_intro.cost_per_open_eyed_like(costs, marks, price_per_like=2.50)
    ax = fig.axes[0]
    curve = ax.get_lines()[0]
    assert np.allclose(curve.get_ydata(), costs["cost_per_open_eyed_like_gbp"])
    assert len(ax.texts) == len(marks)
    assert ax.get_yscale() == "log"


def _forest():
    ests = [Estimate("ab", 0.6, 0.5, 0.7, "a", 10), Estimate("ratio", 0.8, 0.75, 0.85, "a", 10),
            Estimate("its", 0.9, 0.85, 0.95, "a", 10, target="upper bound on s")]
    return comparison.forest_table(ests, s_true=0.62)


def test_closed_eyes_estimates_draws_one_row_per_design():
    forest = _forest()
    fig = figures_estimation.closed_eyes_estimates(forest, s_true=0.62, excess_share=0.88)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["A/B incentive test", "engagement ratio",
                      "interrupted time series (upper bound)"]
    assert ax.get_legend() is not None


def test_daily_likes_its_draws_bars_baseline_and_window():
    daily = pd.read_csv(paths.DATA / "examples" / "daily.csv")
    daily["in_campaign"] = daily["date"] >= daily["date"].iloc[-14]
    series = comparison.daily_fit(daily, daily["date"].iloc[-14])
    fig = figures_estimation.daily_likes_its(series)
    ax = fig.axes[0]
    assert len(ax.patches) >= len(series)  # one bar a day, plus the shaded window
    assert np.allclose(ax.get_lines()[0].get_ydata(), series["baseline_fit"])


def test_which_method_when_draws_two_heat_maps():
    cells = coverage_cells(pd.read_csv(paths.DATA / "recovery.csv"))
    fig = figures_estimation.which_method_when(cells, estimators=recovery.ESTIMATORS,
                                               conditions=list(recovery.CONDITIONS))
    heat = [ax for ax in fig.axes if ax.images]
    assert len(heat) == 2
    grid = heat[0].images[0].get_array()
    assert grid.shape == (len(recovery.ESTIMATORS), len(recovery.CONDITIONS))


def test_power_analysis_draws_a_line_per_like_rate():
    ptab = power.power_table([0.3, 0.6], [0.1, 0.4], rng=np.random.default_rng(1), reps=20)
    assert {"s", "p_with", "asks_per_arm", "median_halfwidth", "coverage"} <= set(ptab.columns)
    fig = figures_estimation.power_analysis(ptab)
    left = fig.axes[0]
    assert len(left.get_lines()) == 2
    assert [t.get_text() for t in left.get_legend().get_texts()] == [
        "like rate with pledge 10%", "like rate with pledge 40%"]
