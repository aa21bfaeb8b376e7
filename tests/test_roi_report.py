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
    assert len(table) == 6 and table.index[0] == "as above"
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
