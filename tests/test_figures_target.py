"""The charts of notebook 04: their tables on hand-made input, and that each draws."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from analysis.engine.montecarlo import replicates, trajectories  # noqa: E402
from analysis.engine.scenario import Scenario  # noqa: E402
from analysis.estimation.jump import jump_ratio  # noqa: E402
from analysis.publish import figures_target as ft  # noqa: E402


def _daily(rows):
    """Trajectory rows (replicate, day, cumulative, open, closed) as trajectories() gives them."""
    return pd.DataFrame(rows, columns=["replicate", "day", "cumulative", "cum_open_eyed",
                                       "cum_closed_eyed"])


HAND = _daily([(0, 0, 5, 1, 4), (0, 1, 9, 2, 7), (0, 2, 10, 3, 7),
               (1, 0, 2, 0, 2), (1, 1, 4, 1, 3), (1, 2, 6, 2, 4)])


def test_daily_counts_and_stages_by_hand():
    c = ft.daily_counts_data(HAND, "visible")
    assert c["likes"].tolist() == [5, 4, 1, 2, 2, 2]
    assert c["closed_eyed"].tolist() == [4, 3, 0, 2, 1, 1]
    assert c["count_before"].tolist() == [0, 5, 9, 0, 2, 4]
    # target 8: run 0 crosses on day 1 (5 -> 9) and is over on day 2; run 1 never gets there
    s = ft.closed_share_by_stage_data(c, target=8).set_index("stage")
    assert s.loc["before", ["likes", "closed_eyed"]].tolist() == [5 + 2 + 2 + 2, 4 + 2 + 1 + 1]
    assert s.loc["crossing", ["likes", "closed_eyed"]].tolist() == [4, 3]
    assert s.loc["after", ["likes", "closed_eyed"]].tolist() == [1, 0]
    assert list(s.index) == ["before", "crossing", "after"]
    d = ft.closed_share_by_day_data(c).set_index("day")
    assert d.loc[0, "share"] == pytest.approx(6 / 7)
    m = ft.likes_by_day_data(c).set_index("day")
    assert m.loc[1, "mean"] == 3.0


def test_ratio_histogram_counts_the_bins():
    h = ft.ratio_histogram_data({"a": np.array([0.93, 0.97, 1.02, 5.0])})
    assert h["campaigns"].sum() == 4 and h["share"].sum() == pytest.approx(1.0)
    at = h.set_index("bin_low")["campaigns"]
    assert at.loc[0.9] == 1 and at.loc[0.95] == 1 and at.loc[1.0] == 1 and at.iloc[-1] == 1


def test_every_chart_draws_from_real_engine_output():
    import matplotlib.pyplot as plt

    sc = Scenario(population=1500, seeds=40, target=40, days=8)
    runs, counts = {}, []
    for setting in ("visible", "hidden"):
        s = sc.replace(progress=setting)
        summary, daily = trajectories(s, 4, seed=1, progress=False)
        runs[setting] = summary
        counts.append(ft.daily_counts_data(daily, setting))
        assert summary["likes"].tolist() == replicates(s, 4, seed=1, progress=False)["likes"].tolist()
    counts = pd.concat(counts)
    panels = {name: t["likes"] / sc.target for name, t in runs.items()}
    figs = [ft.jump_figure(panels, {k: jump_ratio(v) for k, v in panels.items()}),
            ft.likes_by_day_figure(counts),
            ft.closed_share_figure(ft.closed_share_by_day_data(counts),
                                   ft.closed_share_by_stage_data(counts, sc.target)),
            ft.outcome_figure(ft.outcome_table(runs))]
    table = pd.DataFrame({"target": [10, 10, 20, 20], "price_per_like": [1.0, 2.0, 1.0, 2.0],
                          "open_eyed_per_gbp": [2.0, 1.0, np.inf, 3.0],
                          "charity_expected_gbp": [10.0, 20.0, 0.0, 5.0],
                          "risk_nothing": [0.0, 0.0, 1.0, 0.5],
                          "front": [True, True, False, True]})
    figs += [ft.design_figure(table), ft.pareto_figure(table)]
    for fig, data in figs:
        assert len(fig.axes) >= 1 and isinstance(data, pd.DataFrame) and not data.empty
        plt.close(fig)
    out = ft.outcome_table(runs)
    assert set(out["setting"]) == {"visible", "hidden"} and len(out) == 8
    known = out.dropna(subset=["value", "low"])
    assert len(known) >= 4 and (known["low"] <= known["value"] + 1e-12).all()


def _jump(above, below, ratio, low, high):
    return ft.Jump(above=above, below=below, finished=above + below, ratio=ratio, low=low,
                   high=high)


def test_notebook_words_for_jumps():
    vis, hid = _jump(12, 4, 3.0, 1.0, 9.5), _jump(3, 0, np.inf, 0.5, np.inf)
    assert ft.ratio_text(vis) == "3.0" and ft.ratio_text(hid) == "infinite"
    assert ft.interval_text(hid) == "infinite (95% interval 0.5 to infinity)"
    labels = ft.jump_labels(vis, hid, None, 16, 7)
    assert labels["title"].endswith("3.0 times as often as just below (hidden: infinite)")
    assert "Kickstarter" not in labels["alt"] + labels["source"]
    assert labels["source"] == "simulation, 16 runs per setting, seed 7"
    real = _jump(300, 10, 30.0, 20.0, 50.0)
    with_real = ft.jump_labels(vis, hid, real, 16, 7)
    assert with_real["title"].endswith("; Kickstarter 2009-10: 30")
    assert with_real["source"].endswith(ft.KICKSTARTER_SOURCE)
    text = ft.jump_sentence(vis, hid, real, 16, 0.25)
    assert "P(target) 25%" in text and "about **10 times** the kit's" in text
    assert ft.jump_sentence(vis, hid, None, 16, 0.25).endswith("P(target) 25%). ")
    assert "**30**" in ft.kickstarter_summary(real) and "make data" in ft.kickstarter_summary(None)


def test_jump_panels_put_kickstarter_first_and_scale_by_the_target():
    runs = {"visible": pd.DataFrame({"likes": [50, 100]})}
    sim = {"visible": jump_ratio(np.array([0.5, 1.0]))}
    panels, jumps = ft.jump_panels(None, None, runs, sim, 100)
    assert list(panels) == ["the kit, progress visible"]
    assert panels["the kit, progress visible"].tolist() == [0.5, 1.0]
    done = pd.DataFrame({"ratio": [1.05, 0.2]})
    panels, jumps = ft.jump_panels(done, sim["visible"], runs, sim, 100)
    assert list(panels)[0].startswith("Kickstarter") and list(jumps) == list(panels)


def test_kickstarter_sentence_and_stage_share_lookup():
    ks = pd.DataFrame({"launched": pd.to_datetime(["2009-04-21", "2010-11-30", "2010-01-01"]),
                       "state": ["successful", "failed", "live"], "ratio": [1.2, 0.1, 0.5]})
    done = ks[ks["state"] != "live"]
    text = ft.kickstarter_sentence(ks, done, jump_ratio(done["ratio"]))
    assert text.startswith("**Real data used:** 3 projects launched 21 Apr 2009 to 30 Nov 2010")
    assert "raised 1.20x its goal, the median failed one 0.10x" in text
    share = ft.stage_share_lookup(ft.closed_share_by_stage_data(ft.daily_counts_data(HAND, "v"), 8))
    assert 0 <= share("v", "before") <= 1 and np.isnan(share("hidden", "after"))


def test_stage_outcomes_and_designs_sentences_quote_their_tables():
    counts = pd.concat([ft.daily_counts_data(HAND, "visible"), ft.daily_counts_data(HAND, "hidden")])
    stage = ft.closed_share_by_stage_data(counts, target=8)
    text = ft.stage_sentence(stage, 0.3)
    # by hand (HAND above): before 8 of 11 closed-eyed, crossing 3 of 4, after 0 of 1
    assert text.startswith("With the target visible, **73%** of the likes before the target are "
                           "closed-eyed, **75%** on the day it is crossed and **0%** after it "
                           "(with it hidden: 73%, 75% and 0%). The likes that carry the page over "
                           "are mostly closed-eyed")
    assert "`after_target = 0.3` of its pull" in text
    rows = [(s, m, v, v - 0.1, v + 0.1) for s, v in (("visible", 0.5), ("hidden", 0.25))
            for m in ("P(target reached)", "closed-eyes share",
                      "GBP per open-eyed like (runs that paid)", "GBP the charity expects")]
    text = ft.outcomes_sentence(pd.DataFrame(rows, columns=["setting", "measure", "value", "low",
                                                            "high"]))
    assert text.split("\n") == [
        "- P(target reached): **50% (40% to 60%)** visible, 25% (15% to 35%) hidden.",
        "- Closed-eyes share: **50% (40% to 60%)** visible, 25% (15% to 35%) hidden.",
        "- Cost per open-eyed like (runs that paid): **GBP 0.50 (GBP 0.40 to GBP 0.60)** "
        "visible, GBP 0.25 (GBP 0.15 to GBP 0.35) hidden.",
        "- The charity expects **GBP 0.50 (GBP 0.40 to GBP 0.60)** visible, GBP 0.25 (GBP 0.15 "
        "to GBP 0.35) hidden."]
    brand = pd.Series({"target": 300, "price_per_like": 1.0, "open_eyed_per_gbp": 0.456,
                       "risk_nothing": 0.8}, dtype=object)  # a design_map row keeps int targets
    charity = pd.Series({"target": 400, "price_per_like": 2.5, "charity_expected_gbp": 900.4,
                         "charity_low": 800.0, "charity_high": 1000.0}, dtype=object)
    safest = pd.Series({"target": 200, "risk_nothing": 0.05}, dtype=object)
    lines = ft.designs_sentence(brand, charity, safest, 3).split("\n")
    assert lines[0].endswith("target 300 at GBP 1.00 a like, 0.46 open-eyed likes per GBP, but "
                             "the charity then gets nothing in 80% of runs.")
    assert lines[1].endswith("target 400 at GBP 2.50, GBP 900 (GBP 800 to GBP 1,000).")
    assert lines[2].endswith("target 200 (5% of runs pay nothing).")
    assert lines[3].startswith("- 3 designs form the Pareto front")
