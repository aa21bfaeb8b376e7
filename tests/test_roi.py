"""ROI of audience versus connection: value functions, arithmetic, Monte Carlo, command line."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import InputError
from analysis.roi import model as roi
from analysis.roi import priors as pri
from analysis.roi.audience import (
    audience_value,
    engagements,
    fan_months,
    fans_bought,
    paid_reach,
    reach_dilution,
)
from analysis.roi.connection import connection_outcomes

SMALL = roi.RoiSettings(graph_people=600, mean_degree=12.0)


@pytest.fixture(scope="module")
def small_structure():
    return roi.structure(SMALL, rng=np.random.default_rng(7))


def flat_structure(ties_per_member=0.5, wom=0.0, density=0.0):
    """A hand-made structure table: the same measures at every member share."""
    return pd.DataFrame({"member_fraction": [0.01, 0.1], "ties_per_member": ties_per_member,
                         "triangles_per_member": 0.0, "two_core_share": 0.0,
                         "group_tie_density": density, "wom_adopter_fraction": wom})


HAND = {  # posts_per_week = 12/52 makes exactly one post a month
    "price_per_like": 2.5, "closed_eyes_share": 0.5, "organic_reach_per_post": 0.1,
    "engagement_given_reach": 0.5, "posts_per_week": 12 / 52, "value_per_engagement": 1.0,
    "monthly_churn": 0.0, "dilution_elasticity": 0.0, "closed_engagement_ratio": 0.0,
    "share_find": 0.2, "share_introduce": 0.3, "share_groups": 0.5, "cost_per_member": 1.0,
    "cost_per_introduction": 3.0, "cost_per_group": 50.0, "tie_stick_prob": 0.5,
    "existing_tie_activation": 0.5, "value_per_connection": 1.0, "group_invitees": 10,
    "working_size": 1, "p_active": 1.0, "outputs_per_group_month": 1.0, "value_per_output": 2.0,
    "churn_reduction": 0.5,
}


# --- audience value ------------------------------------------------------------------------
def test_fan_months_units_and_limits():
    assert fan_months(0.0, 12) == pytest.approx(12.0)
    assert fan_months(1.0, 12) == pytest.approx(1.0)  # everybody gone after month one
    assert fan_months(0.5, 3) == pytest.approx(1 + 0.5 + 0.25)
    assert fan_months(0.02, 0) == pytest.approx(0.0)
    churn = np.linspace(0, 1, 11)
    assert np.all(np.diff(fan_months(churn, 12)) < 0)


def test_audience_value_hand_computed_and_linear():
    kw = dict(organic_reach_per_post=0.1, engagement_given_reach=0.5, posts_per_week=12 / 52,
              value_per_engagement=1.0, horizon_months=12, monthly_churn=0.0)
    # 20 open fans x 12 months x 1 post x 0.1 reached x 0.5 engage x GBP 1 = GBP 12
    assert audience_value(20, 20, **kw) == pytest.approx(12.0)
    assert audience_value(20, 20, **{**kw, "value_per_engagement": 2.0}) == pytest.approx(24.0)
    assert audience_value(0, 1000, **kw) == pytest.approx(0.0)  # closed eyes add nothing
    assert audience_value(0, 0, **kw) == 0.0  # zero budget, zero fans


def test_audience_value_monotone():
    kw = dict(engagement_given_reach=0.1, posts_per_week=5, value_per_engagement=0.3,
              horizon_months=12, monthly_churn=0.02)
    fans = np.array([0, 10, 100, 1000])
    assert np.all(np.diff(audience_value(fans, 0, organic_reach_per_post=0.03, **kw)) > 0)
    reach = np.array([0.01, 0.03, 0.1])
    assert np.all(np.diff(audience_value(100, 0, organic_reach_per_post=reach, **kw)) > 0)


def test_dilution_lowers_value_and_hurts_existing_fans():
    kw = dict(organic_reach_per_post=0.05, engagement_given_reach=0.1, posts_per_week=5,
              value_per_engagement=1.0, horizon_months=12, monthly_churn=0.02)
    plain = audience_value(100, 300, **kw)
    diluted = audience_value(100, 300, dilution_elasticity=1.0, **kw)
    assert diluted == pytest.approx(plain * 0.25)  # engagement rate 100/400
    assert audience_value(0, 300, existing_fans=1000, dilution_elasticity=1.0, **kw) < 0
    assert reach_dilution(100, 0, dilution_elasticity=1.0) == pytest.approx(1.0)
    assert reach_dilution(0, 0, dilution_elasticity=1.0) == pytest.approx(1.0)


def test_paid_reach_charges_for_closed_eyes_fans_too():
    kw = dict(organic_reach_per_post=0.05, engagement_given_reach=0.1, value_per_engagement=1.0,
              horizon_months=12, monthly_churn=0.0, paid_reach_multiplier=4.0,
              boosted_posts_per_week=12 / 52, paid_cpm=10.0)
    v_open, c_open = paid_reach(100, 0, **kw)
    v_mix, c_mix = paid_reach(100, 300, **kw)
    assert v_open == pytest.approx(v_mix)  # closed eyes add no value ...
    assert c_mix == pytest.approx(4 * c_open)  # ... but are paid for
    # 100 fans x 12 months x 1 boost x 0.15 extra reach x GBP 10 / 1000 = GBP 1.80
    assert c_open == pytest.approx(1.8)
    assert paid_reach(100, 0, **{**kw, "paid_reach_multiplier": 1.0}) == (0.0, 0.0)


def test_fans_bought_and_engagements():
    open_f, closed_f = fans_bought(250.0, 2.5, 0.7)
    assert (open_f, closed_f) == (pytest.approx(30.0), pytest.approx(70.0))
    assert fans_bought(0.0, 2.5, 0.7) == (0.0, 0.0)
    e = engagements(10, reach_per_post=0.5, engagement_given_reach=0.2, posts_per_week=12 / 52,
                    horizon_months=1, monthly_churn=0.0)
    assert e == pytest.approx(1.0)


# --- ROI arithmetic ------------------------------------------------------------------------
def test_roi_arithmetic_hand_computed_case():
    settings = roi.RoiSettings(budget=100.0, population=1000, horizon_months=12,
                               graph_people=600, mean_degree=12.0)
    row = roi.evaluate(HAND, flat_structure(), settings).iloc[0]
    # audience: 40 likes, 20 open; 20 x 12 months x 1 post x 0.1 x 0.5 x GBP 1 = GBP 12
    assert row["audience_value"] == pytest.approx(12.0)
    assert row["audience_roi"] == pytest.approx(12 / 100 - 1)
    # connection: 20 members (GBP 20 / GBP 1). Ties: 10 existing x 0.5 activated = 5;
    # 10 introductions x 0.5 = 5; one group of 10, all active: 45 new pairs. 55 tie-years x GBP 1.
    # Outputs: 12 x GBP 2 = 24. Members as fans: 20 x 12 x 1 x 0.1 x 0.5 x GBP 1 = 12.
    assert row["connection_members"] == 20
    assert row["connection_value_ties"] == pytest.approx(55.0)
    assert row["connection_value_outputs"] == pytest.approx(24.0)
    assert row["connection_value_fans"] == pytest.approx(12.0)
    assert row["connection_roi"] == pytest.approx(91 / 100 - 1)
    assert bool(row["connection_beats_audience"])
    assert row["charity_receives_audience"] == 100.0
    assert row["charity_receives_connection"] == 0.0


def test_connection_value_zero_budget_and_monotone_in_budget():
    p = dict(HAND, working_size=5, p_active=0.5)
    zero = connection_outcomes(p, flat_structure(wom=0.01), budget=0.0, population=1000,
                               horizon_months=12)
    assert float(zero["value"]) == 0.0 and float(zero["wom_adopters"]) == 0.0
    budgets = np.array([0.0, 50.0, 100.0, 500.0, 2000.0])
    out = connection_outcomes(p, flat_structure(wom=0.01), budget=budgets, population=1000,
                              horizon_months=12)
    assert np.all(np.diff(out["value"]) >= 0) and out["value"][-1] > out["value"][1]
    with pytest.raises(InputError):
        connection_outcomes(p, flat_structure(), budget=-1.0, population=1000, horizon_months=12)


def test_groups_are_whole_and_existing_ties_inside_groups_are_not_new():
    p = dict(HAND)
    loose = connection_outcomes(p, flat_structure(density=0.0), budget=100.0, population=1000,
                                horizon_months=12)
    tight = connection_outcomes(p, flat_structure(density=1.0), budget=100.0, population=1000,
                                horizon_months=12)
    assert float(loose["groups"]) == 1.0
    assert float(tight["group_ties"]) == 0.0 < float(loose["group_ties"])
    poor = connection_outcomes(p, flat_structure(), budget=90.0, population=1000,
                               horizon_months=12)
    assert float(poor["groups"]) == 0.0  # GBP 45 cannot host a GBP 50 group


def test_settings_validation():
    for bad in (dict(budget=-1.0), dict(budget=0.0), dict(horizon_months=0), dict(law="x"),
                dict(homophily=1.5), dict(fixed={"closed_eyes_share": 1.2}),
                dict(fixed={"nonsense": 1.0}), dict(population=1)):
        with pytest.raises(InputError):
            roi.RoiSettings(**bad)


# --- Monte Carlo -------------------------------------------------------------------------
def test_monte_carlo_probability_and_determinism(small_structure):
    a = roi.monte_carlo(SMALL, rng=np.random.default_rng(3), draws=300,
                        structure_table=small_structure)
    b = roi.monte_carlo(SMALL, rng=np.random.default_rng(3), draws=300,
                        structure_table=small_structure)
    c = roi.monte_carlo(SMALL, rng=np.random.default_rng(4), draws=300,
                        structure_table=small_structure)
    pd.testing.assert_frame_equal(a, b)
    assert not a["audience_roi"].equals(c["audience_roi"])
    s = roi.summarise(a, SMALL)
    assert 0.0 <= s["p_connection_beats_audience"] <= 1.0
    for who in ("audience", "connection"):
        assert s[who]["roi_90_low"] <= s[who]["roi_median"] <= s[who]["roi_90_high"]
    assert s["charity"]["connection_gbp"] == 0.0


def test_structure_is_deterministic_by_seed():
    a = roi.structure(SMALL, rng=np.random.default_rng(11))
    b = roi.structure(SMALL, rng=np.random.default_rng(11))
    pd.testing.assert_frame_equal(a, b)


def test_fixing_closed_eyes_share_moves_p_the_right_way(small_structure):
    def p(share):
        st = SMALL.replace(fixed={"closed_eyes_share": share})
        t = roi.monte_carlo(st, rng=np.random.default_rng(5), draws=400,
                            structure_table=small_structure)
        return roi.summarise(t, st)["p_connection_beats_audience"]

    assert p(0.0) <= p(0.5) <= p(0.95)


def test_tornado_break_even_and_map(small_structure):
    torn = roi.tornado(SMALL, small_structure)
    assert list(torn["swing"]) == sorted(torn["swing"], reverse=True)
    assert set(torn["parameter"]) == set(roi.uncertain_parameters(SMALL))
    be = roi.break_even_value(SMALL, small_structure, "closed_eyes_share")
    assert be["audience_side"] == "low"
    if np.isfinite(be["break_even"]):
        gap = roi.roi_gap(SMALL, small_structure, {"closed_eyes_share": be["break_even"]})
        assert abs(gap) < 0.05
    draws = roi.roi_draws(SMALL, 50, rng=np.random.default_rng(1))
    grid = roi.break_even_map(SMALL, small_structure, draws, shares=[0.0, 0.5, 0.9],
                              values=[0.1, 10.0])
    assert len(grid) == 6
    assert grid["p_connection_beats_audience"].between(0, 1).all()
    q = roi.all_at_once_quantile(SMALL, small_structure)
    assert np.isnan(q) or 0.5 <= q <= 1.0


def test_law_sensitivity_orders_the_laws(small_structure):
    draws = roi.roi_draws(SMALL, 200, rng=np.random.default_rng(2))
    table = roi.law_sensitivity(SMALL, small_structure, draws).set_index("law")
    assert table["p_connection_beats_audience"].between(0, 1).all()
    gap = table["median_log10_gap"]
    assert gap["sarnoff"] <= gap["odlyzko-tilly"] <= gap["metcalfe"] <= gap["reed"]


def test_priors_draws_and_fixing():
    priors = pri.roi_priors()
    table = pri.prior_table(priors)
    assert {"parameter", "default", "low_5pct", "high_95pct", "source"} <= set(table.columns)
    assert table["source"].str.len().min() > 3
    draws = pri.draw_parameters(priors, 4000, rng=np.random.default_rng(0))
    assert draws["closed_eyes_share"].between(0, 1).all()
    assert draws["value_per_engagement"].median() == pytest.approx(
        priors["value_per_engagement"].default, rel=0.1)
    fixed = pri.with_fixed(priors, {"closed_eyes_share": 0.3})
    assert (pri.draw_parameters(fixed, 5, rng=np.random.default_rng(0))["closed_eyes_share"]
            == 0.3).all()
    with pytest.raises(InputError):
        pri.draw_parameters(priors, 0, rng=np.random.default_rng(0))


# --- command line ------------------------------------------------------------------------
FAST = ["--draws", "200", "--graph-people", "500", "--seed", "3"]


def test_cli_json_keys(capsys):
    assert main(["roi", "--json", *FAST]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"audience", "connection", "p_connection_beats_audience", "charity", "budget_gbp",
            "seed"} <= set(out)
    for who in ("audience", "connection"):
        assert {"roi_median", "roi_90_low", "roi_90_high"} <= set(out[who])
    assert 0 <= out["p_connection_beats_audience"] <= 1


def test_cli_same_seed_same_answer_and_fixed_share(capsys):
    main(["roi", "--json", *FAST, "--closed-eyes-share", "0.4"])
    first = json.loads(capsys.readouterr().out)
    main(["roi", "--json", *FAST, "--closed-eyes-share", "0.4"])
    assert json.loads(capsys.readouterr().out) == first
    assert first["fixed"] == {"closed_eyes_share": 0.4}


def test_cli_text_output(capsys):
    assert main(["roi", *FAST]) == 0
    out = capsys.readouterr().out
    assert "P(connection beats audience)" in out and "charity" in out


@pytest.mark.parametrize("args", [
    ["--budget", "-5"], ["--budget", "0"], ["--closed-eyes-share", "1.5"],
    ["--closed-eyes-share", "-0.1"], ["--draws", "0"], ["--law", "zipf"],
    ["--value-per-connection", "-1"], ["--horizon-months", "0"], ["--seed", "-1"],
    ["--cost-per-group", "0"], ["--budget", "lots"],
])
def test_cli_bad_values_exit_2_with_one_line(args, capsys):
    assert main(["roi", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")


def test_params_of_round_trips_the_draws(small_structure):
    table = roi.monte_carlo(SMALL, rng=np.random.default_rng(8), draws=50,
                            structure_table=small_structure)
    again = roi.evaluate(roi.params_of(table), small_structure, SMALL)
    np.testing.assert_allclose(again["connection_roi"], table["connection_roi"])
    np.testing.assert_allclose(again["audience_roi"], table["audience_roi"])
