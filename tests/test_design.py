"""The campaign design map: its goals follow from the runs, and the Pareto front is right."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.engine.design import best_designs, design_map, pareto_front, scaled_scenario
from analysis.engine.montecarlo import sweep
from analysis.engine.scenario import Scenario

SMALL = Scenario(population=2000, seeds=50, days=8, target=40)


def test_design_map_goals_follow_from_the_runs():
    grid = {"target": [10, 40, 10_000], "price_per_like": [1.0, 4.0]}
    table = design_map(SMALL, grid, 4, seed=2, progress=False)
    assert len(table) == 6 and list(table.columns[:2]) == ["target", "price_per_like"]
    runs = sweep(SMALL, grid, 4, seed=2, progress=False)
    for _, row in table.iterrows():
        mine = runs[(runs["param_target"] == row["target"])
                    & (runs["param_price_per_like"] == row["price_per_like"])]
        p = mine["target_reached"].mean()
        assert row["p_target_reached"] == p and row["risk_nothing"] == pytest.approx(1 - p)
        assert row["cheque"] == row["target"] * row["price_per_like"]
        assert row["charity_expected_gbp"] == pytest.approx(p * row["cheque"])
        assert row["charity_low"] <= row["charity_expected_gbp"] <= row["charity_high"]
        if p > 0:
            assert row["open_eyed_per_gbp"] == pytest.approx(
                mine["open_eyed_likes"].mean() / mine["cheque_paid"].mean())
        else:
            assert row["open_eyed_per_gbp"] == np.inf and not row["front"]
    # the cheque moves money, not likes (the model's stated assumption)
    t10 = table[table["target"] == 10].set_index("price_per_like")
    assert t10.loc[1.0, "mean_open_eyed_likes"] == t10.loc[4.0, "mean_open_eyed_likes"]
    assert t10.loc[4.0, "charity_expected_gbp"] == pytest.approx(4 * t10.loc[1.0, "charity_expected_gbp"])


def test_pareto_front_by_hand():
    t = pd.DataFrame({"open_eyed_per_gbp": [1.0, 2.0, 3.0, 2.0, np.inf, 1.0],
                      "charity_expected_gbp": [10.0, 8.0, 2.0, 5.0, 0.0, 10.0]})
    # 0 and 5 tie (neither beats the other), 3 is beaten by 1, 4 is never paid
    assert pareto_front(t).tolist() == [True, True, True, False, False, True]


def test_scaled_scenario_scales_seeds_and_target_with_the_population():
    d = Scenario()
    s = scaled_scenario(d.population // 2)
    assert s.population == d.population // 2
    assert s.seeds == max(1, round(d.seeds / 2)) and s.target == max(1, round(d.target / 2))
    tiny = scaled_scenario(500)
    assert tiny.seeds >= 1 and tiny.target >= 1 and tiny.days == d.days


def test_best_designs_pick_each_goal_and_skip_unpaid_brand_ratios():
    t = pd.DataFrame({"target": [10, 20, 30], "open_eyed_per_gbp": [2.0, np.inf, 1.0],
                      "charity_expected_gbp": [5.0, 0.0, 9.0], "risk_nothing": [0.3, 1.0, 0.1]})
    brand, charity, safest = best_designs(t)
    assert (brand["target"], charity["target"], safest["target"]) == (10, 30, 30)
