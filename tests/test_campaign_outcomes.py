"""Tables notebook 01 reports from many campaign runs, and its charts (they draw; their data
frames have the expected columns)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import re  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.engine import graph_calibration, headline, outcomes, referrals  # noqa: E402
from analysis.engine.campaign import run_campaign  # noqa: E402
from analysis.engine.graphs import synthetic_graph  # noqa: E402
from analysis.engine.montecarlo import trajectories  # noqa: E402
from analysis.engine.scenario import Scenario  # noqa: E402
from analysis.publish import figures_campaign as figs  # noqa: E402
from analysis.publish.charts import COLOURS  # noqa: E402

SMALL = Scenario(population=2000, seeds=60, target=40, days=8)


@pytest.fixture(scope="module")
def runs():
    return trajectories(SMALL, 6, seed=3, n_jobs=1, progress=False)


@pytest.fixture(scope="module")
def one_run():
    return run_campaign(SMALL, rng=np.random.default_rng(4))


def test_likes_bands_are_ordered_percentiles(runs):
    reps, days = runs
    bands = outcomes.likes_bands(days)
    assert list(bands.columns) == ["day", "p05", "p25", "median", "p75", "p95", "median_no_pledge"]
    assert len(bands) == SMALL.days
    assert (bands["p05"] <= bands["median"]).all() and (bands["median"] <= bands["p95"]).all()
    assert bands["median"].iloc[-1] == np.median(reps["likes"])


def test_target_curve_counts_runs_at_or_above_each_target():
    likes = np.array([10, 20, 30, 40])
    curve = outcomes.target_curve(likes, 2.5, points=10)
    row = curve.set_index("target").loc[20]
    assert row["p_reached"] == 0.75  # 20, 30 and 40 reach a target of 20
    assert row["ci_low"] < 0.75 < row["ci_high"]
    assert (curve["cheque_gbp"] == curve["target"] * 2.5).all()
    assert outcomes.even_target(curve) == curve.loc[curve["p_reached"] >= 0.5, "target"].max()


def test_money_table_without_a_paid_run_says_not_paid():
    reps = pd.DataFrame({"target_reached": [False, False], "cost_per_like": [None, None],
                         "cost_per_open_eyed_like": [None, None], "closed_eyes_share": [0.5, 0.7],
                         "charity_receives": [0.0, 0.0]})
    money = outcomes.money_table(reps, 2.5)
    assert money["gbp"].iloc[0] == 2.5 and money["gbp"].iloc[1:].isna().all()
    assert money["closed_eyes_share_mean"].iloc[0] == pytest.approx(0.6)


def test_calibration_table_sets_published_beside_generated():
    g = synthetic_graph(3000, 20, rng=np.random.default_rng(1))
    stats = pd.Series({"median degree": 18.0, "average clustering": 0.2, "mean path length": 3.5,
                       "mean degree": 20.0})
    table = graph_calibration.calibration_table(stats, 3000)
    assert table.loc["median degree", "published (Facebook 2011)"] == 99
    assert table.loc["ln(N) / ln(mean degree)", "generator, 3,000 people"] == pytest.approx(
        np.log(3000) / np.log(20))
    ccdf = graph_calibration.degree_ccdf({"g": g})
    assert list(ccdf.columns) == ["graph", "degree", "share_at_least"]
    assert ccdf["share_at_least"].iloc[0] == 1.0 and ccdf["degree"].is_monotonic_increasing


def test_referral_trees_compare_person_ids_not_row_numbers():
    # rows 0..4; person ids chosen so that row numbers and person ids collide (the old bug
    # counted persons 0 and 3 through row numbers: 5 likes in 4 trees instead of 4 in 3)
    fans = pd.DataFrame({"person": [5, 0, 7, 3, -1], "referrer": [-1, -1, 5, -1, -1],
                         "label": ["open_eyed", "closed_eyed", "closed_eyed", "open_eyed", "bot"]})
    sizes = referrals.tree_sizes(fans)
    assert sizes.to_dict() == {0: 1, 3: 1, 5: 2}
    table = referrals.size_table(sizes)
    assert table["trees"].sum() == 3 and table["likes"].sum() == 4  # the human likes
    spread = referrals.shares(sizes)
    assert spread["trees_alone"] == pytest.approx(2 / 3)
    assert spread["likes_direct"] == pytest.approx(3 / 4)  # one root per tree


def test_every_human_like_is_in_exactly_one_tree(one_run):
    sizes = referrals.tree_sizes(one_run.fans)
    humans = (one_run.fans["label"] != "bot").sum()
    assert sizes.sum() == humans and sizes.index.is_unique
    assert len(sizes) == (one_run.fans.loc[one_run.fans["label"] != "bot", "referrer"] < 0).sum()


def test_headline_arithmetic_composes():
    sc = headline.scenario()
    reps = pd.DataFrame({
        "target_reached": [True, True, False, False], "likes": [400, 500, 200, 300],
        "open_eyed_likes": [100, 150, 60, 90], "closed_eyed_likes": [300, 350, 140, 210],
        "closed_eyes_share": [0.75, 0.7, 0.7, 0.7], "cheque_paid": [875.0, 875.0, 0.0, 0.0],
        "charity_receives": [875.0, 875.0, 0.0, 0.0], "likes_without_pledge": [100] * 4})
    h = headline.headline_of(reps, sc)
    assert h.p_target_reached == 0.5 and h.runs == 4 and h.runs_paid == 2
    assert h.closed_eyes_share == pytest.approx(0.7125)
    assert h.cost_per_open_eyed_like == pytest.approx(2.5 / (1 - 0.7125))
    assert h.paid_cost_per_like == pytest.approx(1750 / 900)
    assert h.paid_cost_per_open_eyed_like == pytest.approx(1750 / 250)
    # pooled figures compose exactly: per open-eyed like = per like / (1 - share)
    assert h.paid_cost_per_open_eyed_like == pytest.approx(
        h.paid_cost_per_like / (1 - h.paid_closed_eyes_share))
    assert "GBP 8.70" in h.table()["value"].str.cat()


def test_the_target_follows_the_population():
    assert headline.scenario() == Scenario()
    half = headline.scenario(10_000)
    assert (half.target, half.seeds) == (Scenario().target // 2, Scenario().seeds // 2)
    sc, n = headline.runs(quick=True)
    assert sc.population == headline.QUICK_POPULATION and n == headline.QUICK_REPLICATES
    assert sc.target / sc.population == pytest.approx(Scenario().target / Scenario().population,
                                                      rel=0.01)


def _numbers(text):
    return {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*\.?\d*", text)}


def test_charts_of_notebook_01_draw_and_their_alt_text_tells_their_data(runs, one_run):
    reps, days = runs
    fig, data, alt = figs.small_network(one_run, seed=1)
    assert {"person", "status", "affinity", "warmth", "drawn"} <= set(data.columns)
    drawn = data[data["drawn"]]
    for status in ("open-eyed like", "closed-eyed like", "did not like"):
        assert (drawn["status"] == status).sum() in _numbers(alt)
    referred = (one_run.fans["referrer"] >= 0).any()
    assert ("black arrows" in alt) == referred and ("no referral is drawn" in alt) != referred

    bands = outcomes.likes_bands(days)
    fig, data, alt = figs.likes_over_days(bands, SMALL.target, len(reps))
    assert data["campaign_day"].tolist() == list(range(1, SMALL.days + 1))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][0] == "1"
    shown = {float(f"{data[c].iloc[-1]:.0f}") for c in ("median", "median_no_pledge", "p95")}
    assert shown | {SMALL.days} <= _numbers(alt)
    assert "stall" not in alt

    h = headline.headline_of(reps, SMALL)
    curve = outcomes.target_curve(reps["likes"], 2.5)
    fig, data, alt = figs.p_target_reached(curve, SMALL.target, h.p_target_reached)
    assert list(data.columns) == ["target", "p_reached", "ci_low", "ci_high", "cheque_gbp"]
    assert round(100 * h.p_target_reached) in _numbers(alt)

    fig, data, alt = figs.what_it_buys(h)
    assert list(data.columns) == ["measure", "gbp", "closed_eyes_share", "runs"]
    assert round(h.cost_per_open_eyed_like, 2) in _numbers(alt)
    colours = [b.get_facecolor() for b in fig.axes[0].patches]
    vermillion = matplotlib.colors.to_rgba(COLOURS["closed_eyed"])
    assert vermillion not in colours  # vermillion means closed-eyed, never a price

    tree, layout = referrals.largest_tree(one_run.fans)
    table = referrals.size_table(referrals.tree_sizes(one_run.fans))
    fig, data, alt = figs.referral_trees(table, tree, layout,
                                         one_run.fans.set_index("person")["label"])
    assert list(data.columns) == ["tree_size", "trees", "likes"]
    assert {table["likes"].sum(), table["trees"].sum()} <= _numbers(alt)

    g = synthetic_graph(500, 10, rng=np.random.default_rng(2))
    fig, data, alt = figs.graphs_compared(graph_calibration.degree_ccdf({"synthetic, same size": g}))
    assert len(fig.axes[0].get_lines()) == 1
    assert np.median(g.degrees()) in _numbers(alt) and g.degrees().max() in _numbers(alt)
    assert "10^" not in " ".join(t.get_text() for t in fig.axes[0].get_xticklabels())
    plt.close("all")


# --- notebook 01's words: every number comes from what the sentence is given ---------------------
def test_run_sentence_reads_the_summary_and_says_whether_the_cheque_was_paid(one_run):
    s = one_run.summary()
    text = figs.run_sentence(s)
    assert text.startswith(f"With 2,000 people and a target of 40 likes, this run gathered "
                           f"**{s['likes']:,} likes** in 8 days: {s['open_eyed_likes']:,} "
                           f"open-eyed and {s['closed_eyed_likes']:,} closed-eyed")
    paid = {**s, "target_reached": True, "cheque_paid": 100.0, "cost_per_like": 2.0,
            "cost_per_open_eyed_like": 8.0}
    assert figs.run_sentence(paid).endswith(
        "The target was reached, so the cheque of GBP 100 was paid: GBP 2.00 per like but "
        "GBP 8.00 per open-eyed like.")
    missed = {**s, "target_reached": False}
    assert figs.run_sentence(missed).endswith("nothing was paid and the charity received nothing.")


def test_runs_sentence_quotes_the_headline_and_the_spread_of_shares():
    reps = pd.DataFrame({
        "target_reached": [True, True, False, False], "likes": [400, 500, 200, 300],
        "open_eyed_likes": [100, 150, 60, 90], "closed_eyed_likes": [300, 350, 140, 210],
        "closed_eyes_share": [0.75, 0.7, 0.7, 0.7], "cheque_paid": [875.0, 875.0, 0.0, 0.0],
        "charity_receives": [875.0, 875.0, 0.0, 0.0], "likes_without_pledge": [100] * 4})
    h = headline.headline_of(reps, headline.scenario())
    shares = pd.Series([0.1, 0.5, 0.5, 0.9] * 5, dtype=object)  # as replicates store it
    text = figs.runs_sentence(h, shares)
    assert text.startswith("Across 4 runs the closed-eyes share averaged **71%** (90% of runs "
                           "between 10% and 90%), so at the advertised GBP 2.50 an open-eyed like "
                           "costs **GBP 8.70**. 2 runs reached the target")
    assert "likes at GBP 1.94 and open-eyed likes at GBP 7.00" in text  # 1,750 / 900 and / 250
    assert "The charity received GBP 438 on average" in text


def test_graphs_sentence_compares_clustering_shares_and_ranges():
    stats = pd.DataFrame({"real": [0.6, 40.0], "synthetic": [0.25, 40.0]},
                         index=["average clustering", "mean degree"])
    campaigns = pd.DataFrame({"closed_eyes_share": [0.7, 0.65], "likes_p05": [100.0, 1200.0],
                              "likes_p95": [2500.0, 1900.0]}, index=["real", "synthetic"])
    text = figs.graphs_sentence(stats, campaigns, runs=60, target=808, real=True)
    assert text == ("Average clustering: real 0.60, synthetic 0.25. Over 60 campaigns on each "
                    "graph (target 808 likes), the mean closed-eyes share was real 70%, "
                    "synthetic 65% and likes ranged (90% of runs) real 100-2,500, synthetic "
                    "1,200-1,900. The real graph is 2.4 times as clustered as the synthetic one "
                    "of the same size.")
    assert figs.graphs_sentence(stats, campaigns, runs=60, target=808, real=False).endswith(
        "synthetic 1,200-1,900. ")
