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
        "like rate with the pledge 10%", "like rate with the pledge 40%"]


# -- alt texts say what is drawn, with the numbers of the same data ------------------------------

def test_cost_alt_quotes_the_drawn_numbers():
    costs = arithmetic.cost_curve(2.50, points=20)
    marks = arithmetic.cost_marks(2.50, [0.5, 0.8, 0.9])
    alt = figures_intro.cost_per_open_eyed_like_alt(costs, marks, price_per_like=2.50)
    # 2.50 / (1 - 0.5) = 5; / 0.2 = 12.50; / 0.1 = 25; the curve ends at s = 0.95: 2.50 / 0.05 = 50
    for piece in ("£2.50 at s = 0%", "£5.00 at 50%", "£12.50 at 80%", "£25.00 at 90%",
                  "£50.00 at 95%"):
        assert piece in alt, piece
    other = figures_intro.cost_per_open_eyed_like_alt(arithmetic.cost_curve(1.0, max_share=0.5),
                                                      arithmetic.cost_marks(1.0, [0.25]),
                                                      price_per_like=1.0)
    assert "£1.33 at 25%" in other and "£2.00 at 50%" in other and "£25" not in other


def test_daily_alt_counts_the_days_the_peak_and_the_totals():
    pre = pd.DataFrame({"date": pd.date_range("2010-08-01", periods=28).strftime("%Y-%m-%d"),
                        "new_likes": 10, "baseline_fit": 10.0, "in_campaign": False})
    likes = [20, 30, 50, 40] + [25] * 10  # peak 50 on campaign day 3; 140 + 250 = 390 in all
    win = pd.DataFrame({"date": pd.date_range("2010-08-29", periods=14).strftime("%Y-%m-%d"),
                        "new_likes": likes, "baseline_fit": 11.0, "in_campaign": True})
    alt = figures_estimation.daily_likes_its_alt(pd.concat([pre, win], ignore_index=True))
    for piece in ("28 days of organic baseline, 10 a day", "window of 14 days",
                  "peaking at 50 likes on campaign day 3", "390 likes in all",
                  "projected baseline of 154"):
        assert piece in alt, piece
    fig = figures_estimation.daily_likes_its(pd.concat([pre, win], ignore_index=True))
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert "campaign window, days 1-14" in labels
    assert "simulated" in fig.axes[0].get_xlabel()


def test_forest_alt_lists_every_estimate():
    alt = figures_estimation.closed_eyes_estimates_alt(_forest(), excess_share=0.88)
    for piece in ("A/B incentive test 60.0% (50.0% to 70.0%, covers the truth)",
                  "engagement ratio 80.0% (75.0% to 85.0%, misses the truth)",
                  "interrupted time series 90.0% (85.0% to 95.0%, an upper bound)",
                  "true share, 62.0%", "window's likes, 88.0%"):
        assert piece in alt, piece


def test_which_method_alt_says_what_was_run():
    table = pd.DataFrame([
        ("ab", "none", "large", True, 0.93), ("ab", "none", "small", True, 0.95),
        ("mixture", "closed engage 20%", "large", False, 0.0),
        ("ratio", "none", "large", True, 0.91), ("ratio", "none", "small", True, 0.97)],
        columns=["estimator", "condition", "size", "assumption_holds", "coverage_own"])
    table["bias"] = 0.0
    alt = figures_estimation.which_method_when_alt(coverage_cells(table))
    assert "run only under 'none', where its lowest coverage is 93%" in alt
    assert "(outlined, 4 cells) the lowest coverage ranges from 91% to 97%" in alt
    assert "falls as low as 0%, for the mixture (Poisson) under 'closed engage 20%'" in alt


def test_power_alt_quotes_the_extremes():
    ptab = pd.DataFrame({"s": [0.1, 0.9, 0.1, 0.9], "p_with": [0.05, 0.05, 0.4, 0.4],
                         "asks_per_arm": [50_000, 3_000, 4_000, 400], "target_halfwidth": 0.05,
                         "median_halfwidth": [0.05, 0.052, 0.049, 0.051]})
    alt = figures_estimation.power_analysis_alt(ptab)
    for piece in ("(5%, 40%)", "from 50,000 at a like rate of 5% and s = 10%",
                  "down to 400 at 40% and s = 90%", "from 4.9 to 5.2 points", "dashed line at 5"):
        assert piece in alt, piece
    fig = figures_estimation.power_analysis(ptab)
    right = fig.axes[1]
    assert len(right.get_legend().get_texts()) == 3  # both like rates and the target line
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][:2] == ["500", "1,000"]


def test_gbp_prints_the_pound_sign_for_charts():
    from analysis.formats import gbp

    assert gbp(25_000, 0) == "GBP 25,000"
    assert gbp(25_000, 0, symbol=True) == "£25,000" and gbp(2.5, symbol=True) == "£2.50"
    assert gbp(float("nan"), symbol=True) == "n/a"
