"""The campaign engine: labels, payout rule, arithmetic, determinism, validation, graphs."""

from __future__ import annotations

import dataclasses

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.engine import campaign
from analysis.engine.campaign import edges_of, hash_uniform, run_campaign
from analysis.engine.graphs import Graph, _symmetric_csr, clustering, graph_stats, synthetic_graph
from analysis.engine.parameters import PARAMETER_TABLE, parameter_table
from analysis.engine.payout import payout
from analysis.engine.scenario import Scenario
from analysis.errors import InputError

SMALL = Scenario(population=3000, seeds=100, target=60, days=10)


def run(sc=SMALL, seed=1, **kw):
    return run_campaign(sc, rng=np.random.default_rng(seed), **kw)


# --- counterfactual labels -------------------------------------------------------------------
def test_no_pledge_means_no_closed_eyes_likes():
    r = run(SMALL.replace(pledge=False))
    s = r.summary()
    assert s["closed_eyed_likes"] == 0 and s["likes"] > 0
    assert set(r.fans["label"].unique()) == {"open_eyed"}
    assert s["likes_without_pledge"] == s["likes"]


def test_labels_are_counterfactual_at_the_same_exposure():
    r = run()
    sc = r.scenario
    people = r.people
    fans = r.fans[r.fans["label"] != "bot"]
    assert (fans["label"] == "closed_eyed").any() and (fans["label"] == "open_eyed").any()
    # a closed-eyed fan had lower odds without the pledge: with zero warmth nobody is closed-eyed
    no_warmth = dataclasses.replace(people, warmth=np.zeros(people.n))
    r0 = run_campaign(sc, rng=np.random.default_rng(1), people=no_warmth, graph=r.graph)
    assert r0.summary()["closed_eyed_likes"] == 0


def test_pledge_adds_likes_with_common_random_numbers():
    # with the same draws, the pledge world has at least as many open-eyed likers as days go by
    for seed in range(5):
        s = run(seed=seed).summary()
        assert s["likes"] >= s["likes_without_pledge"]
        assert s["open_eyed_likes"] + s["closed_eyed_likes"] + s["bot_likes"] == s["likes"]


def test_warmth_weight_zero_gives_no_closed_eyes():
    s = run(SMALL.replace(warmth_weight=0.0, share_warmth_weight=0.0,
                          progress="hidden")).summary()
    assert s["closed_eyed_likes"] == 0
    assert s["likes"] == s["likes_without_pledge"]
    # a visible target still moves the brand to push near the deadline: more people see the
    # page (an exposure effect of the pledge), yet nobody likes only for the charity
    s = run(SMALL.replace(warmth_weight=0.0, share_warmth_weight=0.0, target=400)).summary()
    assert s["closed_eyed_likes"] == 0
    assert s["likes"] >= s["likes_without_pledge"]


def test_bots_are_their_own_category_and_count_toward_target():
    s = run(SMALL.replace(bot_likes_per_day=20.0)).summary()
    assert s["bot_likes"] > 100
    assert s["likes"] == s["open_eyed_likes"] + s["closed_eyed_likes"] + s["bot_likes"]
    assert s["closed_eyes_share"] == pytest.approx(s["closed_eyed_likes"] / s["likes"])


def test_referral_tree_points_to_earlier_likers_who_are_friends():
    r = run(SMALL.replace(feed_reach=0.5))
    edges = r.referral_edges()
    assert len(edges) > 0
    day_of = r.fans.set_index("person")["day"]
    assert (day_of.loc[edges["referrer"]].to_numpy() < edges["day"].to_numpy()).all()
    for ref, person in edges[["referrer", "person"]].head(50).itertuples(index=False):
        assert person in set(r.graph.neighbours(ref))


# --- payout rule and arithmetic ----------------------------------------------------------------
def test_payout_all_or_nothing():
    assert payout(99, 50, 100, 250.0).cheque_paid == 0.0
    assert payout(99, 50, 100, 250.0).cost_per_like is None
    p = payout(100, 40, 100, 250.0)
    assert p.target_reached and p.cheque_paid == 250.0 and p.charity_receives == 250.0


def test_cost_per_like_is_exactly_2_50_at_the_target():
    sc = Scenario(target=1000)
    assert sc.cheque_gbp == pytest.approx(2500.0)
    p = payout(1000, 250, sc.target, sc.cheque_gbp)
    assert p.cost_per_like == 2.50
    assert p.cost_per_open_eyed_like == pytest.approx(2.50 / (1 - 0.75))
    assert payout(2000, 0, 1000, 2500.0).cost_per_like == 1.25


@pytest.mark.parametrize("likes,open_", [(5, 6), (5, -1)])
def test_payout_refuses_impossible_counts(likes, open_):
    with pytest.raises(ValueError):
        payout(likes, open_, 10, 25.0)


def test_summary_money_is_consistent():
    for target in (10, 10_000):
        s = run(SMALL.replace(target=target)).summary()
        assert s["target_reached"] == (s["likes"] >= target)
        if s["target_reached"]:
            assert s["cost_per_like"] == pytest.approx(s["cheque"] / s["likes"])
            assert s["charity_receives"] == s["cheque"]
        else:
            assert s["cheque_paid"] == 0 and s["cost_per_like"] is None


# --- determinism ----------------------------------------------------------------------------
def test_same_seed_same_campaign_other_seed_other_campaign():
    a, b, c = run(seed=7), run(seed=7), run(seed=8)
    assert a.summary() == b.summary()
    assert a.fans.equals(b.fans)
    assert a.fans.shape != c.fans.shape or not a.fans.equals(c.fans)


def test_cli_json_is_deterministic(capsys):
    import json

    from analysis.cli import main

    args = ["campaign", "--population", "2000", "--seeds", "50", "--target", "40", "--json",
            "--seed", "5"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    out = json.loads(first)
    for key in ("likes", "target", "target_reached", "cheque_paid", "cost_per_like",
                "closed_eyes_share", "cost_per_open_eyed_like", "charity_receives", "days",
                "population"):
        assert key in out
    assert main(args[:-2] + ["--seed", "5", "--replicates", "4"]) == 0
    many = json.loads(capsys.readouterr().out)
    assert 0 <= many["p_target_reached"] <= 1 and many["replicates"] == 4


@pytest.mark.parametrize("argv,needle", [
    (["campaign", "--population", "-5"], "population"),
    (["campaign", "--target", "0"], "target"),
    (["campaign", "--days", "abc"], "--days"),
    (["campaign", "--replicates", "0"], "replicates"),
    (["campaign", "--seeds", "500", "--population", "200"], "seeds"),
    (["campaign", "--nonsense"], "unrecognized"),
])
def test_cli_bad_input_one_line_exit_2(capsys, argv, needle):
    from analysis.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err


# --- parameters -----------------------------------------------------------------------------
@pytest.mark.parametrize("field,value", [("population", -5), ("target", 0), ("days", 0),
                                         ("homophily", 1.5), ("feed_reach", float("nan")),
                                         ("population", 10.5), ("pledge", "yes")])
def test_invalid_parameter_names_field_value_and_range(field, value):
    with pytest.raises(ValueError) as info:
        Scenario(**{field: value})
    assert field in str(info.value) and str(value) in str(info.value)


def test_parameter_table_is_committed_and_current():
    committed = pd.read_csv(PARAMETER_TABLE)
    assert list(committed["parameter"]) == list(parameter_table()["parameter"])
    assert committed["source"].notna().all()


# --- graphs ---------------------------------------------------------------------------------
def test_synthetic_graph_shape_and_calibration(rng):
    aff = rng.beta(0.2, 1.8, 20_000)
    g = synthetic_graph(20_000, 20, rng=rng, affinity=aff, homophily=0.6)
    deg = g.degrees()
    assert abs(deg.mean() - 20) < 1
    assert np.percentile(deg, 99) > 2 * np.median(deg)  # heavy-ish tail
    stats = graph_stats(g, rng=rng, affinity=aff).set_index("statistic")["value"]
    assert 0.1 < stats["average clustering"] < 0.5
    assert stats["mean path length"] < 6
    assert stats["affinity assortativity"] > 0.05
    # no self-loops, symmetric, no duplicates
    a = g.to_scipy()
    assert (a != a.T).nnz == 0 and a.diagonal().sum() == 0 and a.max() == 1


def _plain_csr(ties, n):
    """The reference: every distinct (person, friend) pair of a tie, both ways, no self-ties,
    in sorted order; row starts from counting each person's pairs."""
    pairs = sorted({(a, b) for u, v in ties if u != v for a, b in ((u, v), (v, u))})
    counts = np.bincount(np.array([a for a, _ in pairs], dtype=int), minlength=n)
    return np.concatenate([[0], np.cumsum(counts)]), [b for _, b in pairs]


# people on both sides of 2^16, where the CSR builder switches from 4-byte to 8-byte keys
_sizes = st.one_of(st.integers(1, 40), st.integers(2**16 - 2, 2**16 + 1))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), n=_sizes, parts=st.integers(1, 3))
def test_csr_builder_equals_a_plain_reference(data, n, parts):
    # ties in several arrays (as synthetic_graph passes them), with duplicates (in either
    # order, across arrays) and self-loops, ids as int32 or int64
    person = st.integers(0, n - 1) | st.sampled_from([0, n - 1])
    lists = [data.draw(st.lists(st.tuples(person, person), max_size=40)) for _ in range(parts)]
    lists[-1] += [(v, u) for u, v in data.draw(st.lists(st.sampled_from(lists[0]), max_size=5)
                                                 if lists[0] else st.just([]))]
    dtype = data.draw(st.sampled_from([np.int32, np.int64]))
    ties = [(np.array([u for u, _ in t], dtype=dtype), np.array([v for _, v in t], dtype=dtype))
            for t in lists]
    indptr, indices = _symmetric_csr(ties, n)
    want_indptr, want_indices = _plain_csr([tie for t in lists for tie in t], n)
    assert not ties  # consumed
    assert indptr.dtype == np.int64 and indices.dtype == np.int32
    assert indptr.tolist() == want_indptr.tolist() and indices.tolist() == want_indices
    g = Graph.from_edges(*(np.array([tie[i] for t in lists for tie in t], dtype=int)
                           .reshape(-1) for i in (0, 1)), n)
    assert g.indptr.tolist() == indptr.tolist() and g.indices.tolist() == indices.tolist()


def test_homophily_knob_moves_assortativity(rng):
    aff = rng.beta(0.2, 1.8, 10_000)
    from analysis.engine.graphs import affinity_assortativity

    low = affinity_assortativity(synthetic_graph(10_000, 20, rng=rng, affinity=aff, homophily=0.0), aff)
    high = affinity_assortativity(synthetic_graph(10_000, 20, rng=rng, affinity=aff, homophily=1.0), aff)
    assert abs(low) < 0.05 < high


def test_networkx_graph_round_trip_and_campaign_on_it(rng):
    g_nx = nx.relabel_nodes(nx.karate_club_graph(), lambda v: f"p{v}")
    g = Graph.from_networkx(g_nx)
    assert g.n == 34 and g.n_edges == g_nx.number_of_edges() and g.labels[0] == "p0"
    cl = clustering(g, np.arange(g.n))
    assert cl == pytest.approx([nx.clustering(g_nx, f"p{i}") for i in range(34)])
    r = run_campaign(Scenario(population=100, seeds=5, target=3), rng=rng, graph=g)
    assert r.summary()["population"] == 34


def test_edges_of_and_hash_uniform():
    g = Graph.from_edges([0, 0, 1], [1, 2, 2], 4)
    pos, src = edges_of(g.indptr, np.array([0, 3, 2]))
    assert sorted(g.indices[pos].tolist()) == [0, 1, 1, 2] and src.tolist() == [0, 0, 2, 2]
    u = hash_uniform(np.arange(100_000), 3)
    assert 0 <= u.min() and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    assert (hash_uniform(np.arange(10), 3) == u[:10]).all()
    assert not (hash_uniform(np.arange(10), 4) == u[:10]).all()


@settings(max_examples=50, deadline=None)
@given(x=st.lists(st.integers(-3, 20), max_size=40), dtype=st.sampled_from([np.int32, np.int64]))
def test_sorted_first_is_numpys_unique_with_first_index(x, dtype):
    x = np.array(x, dtype=dtype)
    values, first = campaign._sorted_first(x)
    want_values, want_first = np.unique(x, return_index=True)
    assert values.dtype == want_values.dtype and first.dtype == want_first.dtype
    assert values.tolist() == want_values.tolist() and first.tolist() == want_first.tolist()
    assert campaign._sorted_unique(x).tolist() == want_values.tolist()


@pytest.mark.parametrize("changes", [{}, {"repeat_exposure": "fresh_chance"},
                                     {"bot_likes_per_day": 2.0, "progress": "hidden"}])
def test_unlabelled_world_has_the_same_likes_and_days(changes):
    # the no-pledge world beside the pledge world skips labels and referrers; its likes,
    # exposures and shares must be those of the full simulation
    sc = SMALL.replace(feed_reach=0.5, base_logit=-2.5, **changes)  # spreads without the pledge
    rng = np.random.default_rng(4)
    people = campaign.people_for(sc, rng=rng)
    g = synthetic_graph(sc.population, sc.mean_degree, rng=rng, affinity=people.affinity)
    draws = campaign._draw(sc, g.n, rng=rng)
    full = campaign._simulate(sc, g, people, draws, pledge=False)
    bare = campaign._simulate(sc, g, people, draws, pledge=False, labelled=False)
    assert (full.liked_day >= 0).sum() > 50
    for name in ("liked_day", "daily_exposed", "daily_shares", "daily_extra", "daily_motive"):
        assert np.array_equal(getattr(full, name), getattr(bare, name)), name
    assert (full.referrer >= 0).any() and (bare.referrer == -1).all()


def test_graph_without_edges_gives_no_shares(rng):
    g = Graph.from_edges([], [], 500)
    s = run_campaign(Scenario(population=500, seeds=50, target=10), rng=rng, graph=g).summary()
    assert s["likes"] >= 0
    assert graph_stats(g, rng=rng).set_index("statistic").loc["friendships", "value"] == 0


# --- Monte Carlo ----------------------------------------------------------------------------
def test_replicates_are_pure_functions_of_seed_and_jobs_do_not_matter():
    from analysis.engine import parallel
    from analysis.engine.montecarlo import DAILY_COLUMNS, replicates, sweep, trajectories

    a = replicates(SMALL, 4, seed=3, n_jobs=1, progress=False)
    b = replicates(SMALL, 4, seed=3, n_jobs=2, progress=False)
    assert a.equals(b)
    assert a["likes"].nunique() > 1  # independent replicates differ
    summary, daily = trajectories(SMALL, 4, seed=3, progress=False)
    assert summary["likes"].tolist() == a["likes"].tolist()
    last = daily[daily["day"] == SMALL.days - 1].sort_values("replicate")
    assert last["cumulative"].tolist() == a["likes"].tolist()
    # the day-by-day rows are replicate 2's daily table, column for column
    one = run_campaign(SMALL, rng=parallel.stream(3, 2)).daily
    want = one[list(DAILY_COLUMNS)].assign(replicate=2)
    pd.testing.assert_frame_equal(daily[daily["replicate"] == 2].reset_index(drop=True), want,
                                  check_exact=True)
    s = sweep(SMALL, {"target": [10, 10_000]}, 3, seed=3, progress=False)
    assert len(s) == 6 and set(s["param_target"]) == {10, 10_000}
    assert s.loc[s["param_target"] == 10, "target_reached"].all()
    assert not s.loc[s["param_target"] == 10_000, "target_reached"].any()


@pytest.mark.parametrize("progress", ["visible", "hidden"])
def test_payout_fields_change_no_like(progress):
    """PAYOUT_ONLY (price per like, cheque) set what is paid, never who likes: the campaign,
    day by day and fan by fan, is the same at any price, which is what lets a sweep share one
    campaign across prices."""
    from analysis.engine.scenario import PAYOUT_ONLY

    base = SMALL.replace(progress=progress)
    a = run(base, seed=5)
    for changes in ({"price_per_like": 0.5}, {"price_per_like": 40.0}, {"cheque": 1.0},
                    {"cheque": 1e9}):
        assert set(changes) <= set(PAYOUT_ONLY)
        b = run(base.replace(**changes), seed=5)
        assert a.daily.equals(b.daily) and a.fans.equals(b.fans)
        assert a.likes_without_pledge == b.likes_without_pledge


def test_sweep_prices_shared_campaigns_as_if_run_one_by_one():
    """A sweep over target x price x cheque gives, row for row, what one_replicate gives for
    each grid point on its own (the campaign shared across prices, priced per point)."""
    import pandas as pd

    from analysis.engine.montecarlo import one_replicate, sweep

    grid = {"target": [40, 90], "price_per_like": [1.0, 4.0], "cheque": [None, 500.0]}
    s = sweep(SMALL, grid, 2, seed=11, progress=False)
    alone = pd.DataFrame([one_replicate(SMALL.replace(target=t, price_per_like=p, cheque=c), 11, i)
                          for t in grid["target"] for p in grid["price_per_like"]
                          for c in grid["cheque"] for i in range(2)])
    pd.testing.assert_frame_equal(s[list(alone.columns)], alone, check_exact=True)
    paid = s.groupby(["param_price_per_like", "param_cheque"], dropna=False)["cheque"].first()
    assert paid.nunique() > 1   # the prices really differ in the rows


def test_sweep_runs_on_a_local_dask_cluster():
    pytest.importorskip("dask.distributed")
    import joblib
    from dask.distributed import Client, LocalCluster

    from analysis.engine.montecarlo import replicates

    local = replicates(SMALL, 3, seed=4, progress=False)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster):
        with joblib.parallel_config(backend="dask"):
            remote = replicates(SMALL, 3, seed=4, progress=False)
    assert remote.equals(local)


def test_fixed_graph_keeps_its_people_and_homophily(rng):
    from analysis.engine.graphs import affinity_assortativity
    from analysis.engine.montecarlo import replicates
    from analysis.engine.people import people_for

    people = people_for(SMALL, rng=rng)
    g = synthetic_graph(SMALL.population, 20, rng=rng, affinity=people.affinity, homophily=1.0)
    assert affinity_assortativity(g, people.affinity) > 0.1
    a = replicates(SMALL, 2, seed=9, graph=g, people=people, progress=False)
    child = np.random.SeedSequence(9).spawn(1)[0]
    direct = run_campaign(SMALL, rng=np.random.default_rng(child), graph=g, people=people)
    assert a.iloc[0]["likes"] == direct.summary()["likes"]


# --- bring your own graph -------------------------------------------------------------------
def test_read_edge_list_labels_duplicates_comments(tmp_path):
    from analysis.engine.graphs import read_edge_list

    f = tmp_path / "ties.txt"
    f.write_text("# friends\nann bob\nbob,cat\n\ncat ann\nann bob\ndan dan\n", encoding="utf-8")
    g = read_edge_list(f)
    assert g.n == 4 and g.n_edges == 3 and g.labels == ("ann", "bob", "cat", "dan")
    assert g.degrees().tolist() == [2, 2, 2, 0]


@pytest.mark.parametrize("content,needle", [
    (b"a b c\n", "line 1"), (b"", "no ties"), (b"\xff\xfe a b\n", "UTF-8"), (b"# only\n", "no ties")])
def test_read_edge_list_refuses_bad_files(tmp_path, content, needle):
    from analysis.engine.graphs import read_edge_list

    f = tmp_path / "ties.txt"
    f.write_bytes(content)
    with pytest.raises(InputError, match=needle):
        read_edge_list(f)


def test_cli_campaign_on_your_own_graph(tmp_path, capsys):
    import json

    from analysis.cli import main

    f = tmp_path / "ties.txt"
    f.write_text("\n".join(f"{i} {(i * 7 + 3) % 60}" for i in range(60)), encoding="utf-8")
    assert main(["campaign", "--edges", str(f), "--seeds", "10", "--target", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["population"] == 60
    assert main(["campaign", "--edges", str(f), "--population", "500"]) == 2
    assert "--population" in capsys.readouterr().err
    assert main(["campaign", "--edges", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_generator_reaches_published_facebook_clustering_at_degree_99():
    # Ugander et al. 2011: about 0.14 of a median user's friend pairs are friends (degree ~100)
    rng = np.random.default_rng(7)
    g = synthetic_graph(20_000, 99, rng=rng, circle_share=0.4)
    c = clustering(g, rng.choice(g.n, 500, replace=False)).mean()
    assert 0.11 < c < 0.18


# --- the visible target on the command line (issue 10) ----------------------------------------
def test_cli_progress_and_replicate_keys(capsys):
    import json

    from analysis.cli import main
    from analysis.engine.montecarlo import replicates
    from analysis.estimation.jump import jump_ratio

    args = ["campaign", "--population", "2000", "--seeds", "50", "--target", "40", "--json",
            "--seed", "5", "--replicates", "6"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["progress"] == "visible"
    sc = Scenario(population=2000, seeds=50, target=40)
    table = replicates(sc, 6, seed=5, progress=False)
    assert out["likes_per_run"] == table["likes"].tolist()  # every run, in replicate order
    j = jump_ratio(table["likes"] / 40)
    assert out["jump_ratio"]["runs_above"] == j.above and out["jump_ratio"]["runs_below"] == j.below
    assert set(out["jump_ratio"]) == {"ratio", "ci95", "runs_above", "runs_below"}
    assert len(out["jump_ratio"]["ci95"]) == 2
    assert main(args + ["--progress", "hidden"]) == 0
    hidden = json.loads(capsys.readouterr().out)
    assert hidden["progress"] == "hidden"
    assert hidden["likes_per_run"] == replicates(sc.replace(progress="hidden"), 6, seed=5,
                                                 progress=False)["likes"].tolist()
    assert main(args[:-2]) == 0  # one run: no per-run list, no jump
    one = json.loads(capsys.readouterr().out)
    assert "likes_per_run" not in one and "jump_ratio" not in one and one["progress"] == "visible"


@pytest.mark.parametrize("value", ["shown", "", "VISIBLE"])
def test_cli_bad_progress_is_one_line_exit_2(capsys, value):
    from analysis.cli import main

    assert main(["campaign", "--progress", value, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "--progress" in captured.err
