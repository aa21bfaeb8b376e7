"""Tables notebook 03 reports from the ROI model, and its charts (they draw; their data frames
have the expected columns; their alt text tells the numbers they draw)."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.formats import number, readable  # noqa: E402
from analysis.publish import figures_roi as figs  # noqa: E402
from analysis.roi import model as roi  # noqa: E402
from analysis.roi import report, valuelaws  # noqa: E402
from analysis.roi.pictures import member_picture  # noqa: E402

SMALL = roi.RoiSettings(graph_people=600, mean_degree=12.0)


@pytest.fixture(scope="module")
def structure():
    return roi.structure(SMALL, rng=np.random.default_rng(7))


@pytest.fixture(scope="module")
def mc(structure):
    return roi.monte_carlo(SMALL, rng=np.random.default_rng(1), draws=200, structure_table=structure)


def _numbers(text):
    return {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*\.?\d*", text)}


def test_value_components_add_up_to_each_strategy(structure):
    point = roi.evaluate(pd.DataFrame([roi.median_point(SMALL)]), structure, SMALL).iloc[0]
    comp = report.value_components(point)
    total = comp.groupby("strategy")["value_gbp"].sum()
    assert total["audience"] == pytest.approx(point["audience_value"])
    assert total["connection"] == pytest.approx(point["connection_value"])


def test_variants_table_rows_and_seeds(structure, mc):
    table = report.variants_table(SMALL, structure, mc, engine_shares=[0.7, 0.72], draws=100,
                                  seed=3)
    assert len(table) == 6 and table.index[0] == report.AS_ABOVE == "as above"
    assert report.NO_CLOSED_EYES in table.index  # the rows notebook 03's sentences quote
    assert figs.variants_sentence(table).startswith("P(connection beats audience) ranges from")
    assert table.loc["as above", "p_connection_beats_audience"] == mc[
        "connection_beats_audience"].mean()
    again = report.variant("paid reach (Mochon et al. 2017)", SMALL.replace(paid_reach=True),
                           structure, draws=100, seed=3)
    assert table.loc["paid reach (Mochon et al. 2017)", "p_connection_beats_audience"] == again[
        "p_connection_beats_audience"]
    engine = report.engine_share_table(SMALL, structure, [0.7, 0.72], draws=100, seed=4)
    assert len(engine) == 100 and "connection_beats_audience" in engine


def test_law_curves_go_through_the_pilot():
    laws = report.law_curves([100, 500, 1000], 500, 42.0)
    assert set(laws["law"]) == set(valuelaws.LAWS)
    assert laws.loc[laws["members"] == 500, "value_through_pilot"].to_numpy() == pytest.approx(42.0)


def test_readable_tables_have_no_six_decimals_nor_empty_columns():
    table = pd.DataFrame({"people": [4039.0], "share": [0.61962], "empty": [np.nan],
                          "reed": [4.056928e299]})
    shown = readable(table)
    assert list(shown.columns) == ["people", "share", "reed"]
    assert shown.iloc[0].tolist() == ["4,039", "0.62", "over a quadrillion"]
    assert number(None) == "n/a"


def test_charts_of_notebook_03_draw_and_tell_their_numbers(structure, mc):
    summary = roi.summarise(mc, SMALL)
    point = roi.evaluate(pd.DataFrame([roi.median_point(SMALL)]), structure, SMALL).iloc[0]
    fig, data, alt = figs.roi_audience_vs_connection(report.value_components(point), mc, summary,
                                                     SMALL.budget)
    assert list(data.columns) == ["draw", "audience_roi", "connection_roi", "audience_value",
                                  "connection_value", "connection_beats_audience"]
    assert round(point["connection_value"]) in _numbers(alt)
    assert round(100 * abs(summary["connection"]["roi_median"])) in _numbers(alt)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts == []  # no text on bars or lines: the legends say it
    counts = sum(p.get_height() for p in fig.axes[1].patches)
    assert counts == 2 * len(mc)  # every draw of both strategies is in a bin (nothing clipped)

    grid = roi.break_even_map(SMALL, structure, roi.roi_draws(SMALL, 50, rng=np.random.default_rng(2)),
                              shares=[0.0, 0.5, 0.9], values=[0.1, 1.0, 10.0])
    fig, data, alt = figs.break_even_map(grid)
    p = grid["p_connection_beats_audience"]
    assert {round(100 * p.min()), round(100 * p.max())} <= _numbers(alt)
    drawn = [lv for lv in (0.5, 0.9) if p.min() < lv < p.max()]
    assert all(f"{lv:.0%}" in alt.split("White lines mark")[1] for lv in drawn)
    if 0.5 not in drawn:
        assert "mark 50%" not in alt  # no contour claimed that is not drawn
    mesh = fig.axes[0].collections[0]
    assert mesh.norm.vmin == np.floor(p.min() * 20) / 20  # the colour bar spans the data

    torn = roi.tornado(SMALL, structure)
    fig, data, alt = figs.tornado(torn)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert all("_" not in label for label in labels)
    assert figs.label(torn["parameter"].iloc[0]) in alt

    curve = roi.value_curve(SMALL, structure, np.geomspace(50, 5000, 6))
    fit = valuelaws.fit_exponent(curve["members"], curve["value"], alpha=0.10)
    laws = report.law_curves(curve["members"], 500, float(curve["value"].iloc[3]))
    fig, data, alt = figs.value_laws(curve, fit, laws, roi.law_sensitivity(SMALL, structure,
                                                                            roi.params_of(mc)))
    assert f"{fit['exponent']:.2f}" in alt
    assert not any("10^" in t.get_text() or "$" in t.get_text()
                   for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels())

    pic = member_picture(12, rng=np.random.default_rng(3), seed=1)
    fig, data, alt = figs.broadcast_vs_network(5, 7, pic, seed=1)
    assert data["people"].tolist() == [12, len(pic.members)]
    assert {5, 7, len(pic.introductions)} <= _numbers(alt)
    assert len(fig.axes[0].get_legend().get_texts()) == 6
    plt.close("all")


# --- notebook 03's words: every number comes from what the sentence is given ---------------------
def test_roi_sentence_quotes_both_strategies_and_the_medians():
    summary = {"audience": {"roi_median": -0.5, "roi_90_low": -0.8, "roi_90_high": 0.1},
               "connection": {"roi_median": 0.25, "roi_90_low": 0.05, "roi_90_high": 1.2},
               "p_connection_beats_audience": 0.87}
    at_median = pd.Series({"audience_open_fans": 3000.4, "connection_members": 1234.0,
                           "connection_wom_adopters": 56.0, "connection_new_ties": 100.0,
                           "connection_activated_ties": 23.0, "connection_working_groups": 4.26})
    assert figs.roi_sentence(summary, at_median, 25_000.0) == (
        "Spending GBP 25,000 on the like-for-charity audience returns a median ROI over the draws "
        "of **-50%** (90% interval -80% to +10%); spending it on connection returns **+25%** (+5% "
        "to +120%). Connection beats the audience in **87%** of draws. With every assumption at "
        "its median the budget buys 3,000 open-eyed fans against 1,234 members, 56 word-of-mouth "
        "adopters, 123 ties and 4.3 working groups.")


def test_variants_sentence_names_the_extremes_and_the_open_eyed_audience():
    variants = pd.DataFrame({"p_connection_beats_audience": [0.8, 0.4, 0.6]},
                            index=[report.AS_ABOVE, "paid reach", report.NO_CLOSED_EYES])
    text = figs.variants_sentence(variants)
    assert text.startswith("P(connection beats audience) ranges from **40%** (paid reach) to "
                           "**80%** (as above) across these variants. Removing every closed-eyes "
                           "like moves it from 80% to 60%: even an audience with open eyes loses")
    variants.loc[report.NO_CLOSED_EYES] = 0.3
    assert figs.variants_sentence(variants).endswith(
        "from 80% to 30%: with open eyes the audience would win more often than not; the closed "
        "eyes decide it.")


def test_laws_sentence_picks_the_closest_law():
    fit = {"exponent": 1.234, "exponent_low": 1.1, "exponent_high": 1.35, "r_squared": 0.9876,
           "confidence": 0.8}
    laws_fit = pd.DataFrame({"law": ["metcalfe", "sarnoff"], "formula": ["n^2", "n"],
                             "rmse_log": [0.5, 0.1]})
    text = figs.laws_sentence(fit, laws_fit, pd.Series({"metcalfe": 3.5, "kit": 0.2}))
    assert text.startswith("The kit's own value curve has exponent **1.23** (80% interval "
                           "1.10-1.35, R² 0.988); of the two laws, **sarnoff** (n) has the "
                           "closest shape.")
    assert "Under Metcalfe, connection's median ROI would be +350%;" in text


def test_alone_and_audience_wins_sentences():
    assert figs.alone_sentence(pd.DataFrame(columns=["parameter", "break_even"])).startswith(
        "No single assumption, moved alone")
    alone = pd.DataFrame({"parameter": ["value_per_engagement", "cost_per_member"],
                          "break_even": [1.23456, 250.0], "prior_quantile": [0.97, 0.991],
                          "audience_side": ["high", "low"]})
    assert figs.alone_sentence(alone) == (
        "Alone, the audience catches up only if value per engagement is above 1.23 (its 97% prior "
        "percentile); cost per member found is below 250 (its 99% prior percentile).")
    needs = pd.DataFrame({
        "parameter": ["value_per_engagement", "cost_per_member", "value_per_output",
                      "closed_eyes_share"],
        "median_when_audience_wins": [0.3, 40.0, 1.0, 0.35],
        "median_all_draws": [0.1, 20.0, 4.0, 0.7], "share_of_draws_audience_wins": 0.025})
    text = figs.audience_wins_sentence(needs, 0.8)
    assert text.startswith("In the 2.5% of draws the audience won, the value per engagement was "
                           "3.0 times its usual median, the cost of finding a member 2.0 times, "
                           "the value of a co-created output 0.25 times, and the closed-eyes "
                           "share 35% instead of 70%.")
    assert text.endswith("they tie when each sits at its **80%** most audience-friendly percentile.")
    assert figs.audience_wins_sentence(needs, float("nan")).endswith(
        "the audience does not catch up.")
