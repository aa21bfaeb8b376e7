"""The benchmark: it runs end to end, its yardsticks are right, its verdicts follow the targets.

No timed assertions: speed is what ``make bench`` reports, not what the tests check.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.bench import engine as bench
from analysis.bench import startup
from analysis.bench.estimators import bench_batch
from analysis.bench.reference import run_campaign_plain
from analysis.cli import main
from analysis.engine.campaign import run_campaign
from analysis.engine.graphs import Graph, synthetic_graph
from analysis.engine.scenario import Scenario


def test_quick_benchmark_runs_end_to_end(tmp_path, capsys):
    assert main(["bench", "--quick", "--sizes", "400", "900", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    table = pd.read_csv(tmp_path / "bench.csv")
    assert list(table["people"]) == [400, 900]
    for col in ("graph_s", "replicate_s", "replicate_people_given_s", "replicate_hidden_s",
                "cascade_s",
                "networkx_s", "python_s", "peak_memory_mb"):
        assert (table[col] > 0).all(), col
    assert (table["friendships"] > 0).all() and (table["cascade_reach"] > 0).all()
    md = (tmp_path / "bench.md").read_text()
    assert md in printed
    assert "| people | graph (s) | replicate (s)" in md and "| verdict |" in md
    assert "| 900 |" in md and "not run" in md  # the 10^6 targets were not measured


def test_bad_sizes_are_one_line_and_write_nothing(tmp_path, capsys):
    assert main(["bench", "--sizes", "5", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "--sizes" in err and "\n" not in err
    assert not any(tmp_path.iterdir())


def test_startup_benchmark_times_each_invocation(tmp_path):
    """One row per invocation, the exit codes of --help (0) and a bad flag (2), appended to
    bench.md after the engine's table (no timed assertion: the numbers are the report)."""
    (tmp_path / "bench.md").write_text("engine table\n")
    table, text = startup.run_startup_benchmark(["scenario"], runs=1, out=tmp_path)
    assert list(table["invocation"]) == ["python -m analysis --help",
                                         "python -m analysis scenario --help",
                                         "python -m analysis scenario --no-such-flag"]
    assert list(table["exit_code"]) == [0, 0, 2]
    assert set(table["verdict"]) <= {"PASS", "MISS"}
    md = (tmp_path / "bench.md").read_text()
    assert md.startswith("engine table\n") and md.endswith(text)
    assert "## Command-line start-up" in text and (tmp_path / "bench-cli.csv").exists()


def test_bench_scenario_scales_the_defaults():
    d = Scenario()
    assert (bench.bench_scenario(d.population).seeds, bench.bench_scenario(d.population).target) \
        == (d.seeds, d.target)
    sc = bench.bench_scenario(1_000_000)
    assert (sc.population, sc.seeds, sc.target, sc.mean_degree) == (1_000_000, 15_000, 17_500, 20)


def test_bare_cascade_on_a_path():
    path = Graph.from_edges(np.arange(9), np.arange(1, 10), 10)  # 0 - 1 - ... - 9
    rng = np.random.default_rng(0)
    assert bench.bare_cascade(path, np.array([0]), 0.0, rng=rng, rounds=5) == 1
    assert bench.bare_cascade(path, np.array([0]), 1.0, rng=rng, rounds=3) == 4
    assert bench.bare_cascade(path, np.array([4]), 1.0, rng=rng, rounds=20) == 10
    assert bench.bare_cascade(path, np.array([0, 9]), 1.0, rng=rng, rounds=2) == 6


def test_calibrated_cascade_reaches_about_the_asked_number():
    g = synthetic_graph(5_000, 20, rng=np.random.default_rng(1))
    p = bench.calibrate_cascade(g, 50, 1_000, 13, seed=3)
    rng = np.random.default_rng(3)
    seeds = rng.choice(g.n, size=50, replace=False)
    assert 0 < p < 1
    assert 800 <= bench.bare_cascade(g, seeds, p, rng=rng, rounds=13) <= 1_200


def _table(**over):
    row = {"people": 1_000_000, "graph_s": 0.8, "graph_first_s": 0.9, "graph_cpu_s": 0.7,
           "replicate_s": 0.2, "replicate_hidden_s": 0.1,
           "replicate_people_given_s": 0.05, "cascade_s": 0.04, "python_s": float("nan"),
           "peak_memory_mb": 900.0}
    row.update(over)
    small = {"people": 100_000, "graph_s": 0.1, "graph_first_s": 0.1, "graph_cpu_s": 0.1,
             "replicate_s": 0.01, "replicate_hidden_s": 0.01,
             "replicate_people_given_s": 0.01, "cascade_s": 0.002, "python_s": 0.5,
             "peak_memory_mb": 200.0}
    return bench.add_ratios(pd.DataFrame([small, row]))


def test_verdicts_follow_the_targets():
    v = bench.targets(_table()).set_index("target")["verdict"]
    assert v["replicate (progress visible) within 3x of the bare cascade"] == "MISS"  # 5x
    assert v["replicate (progress hidden) within 3x of the bare cascade"] == "PASS"  # 2.5x
    assert v["replicate, people given within 3x of the bare cascade"] == "PASS"  # 1.25x
    assert v["at least 30x faster than pure Python"] == "PASS"               # 50x at 10^5
    assert v["graph generation at most 1 s"] == "PASS"
    assert v["peak memory at most 1.5 GB"] == "PASS"
    v = bench.targets(_table(graph_s=1.2, peak_memory_mb=1600.0)).set_index("target")["verdict"]
    assert v["graph generation at most 1 s"] == "MISS"
    assert v["peak memory at most 1.5 GB"] == "MISS"


# --- the pure-Python reference against the engine --------------------------------------------
SCENARIOS = {
    "defaults, scaled": dict(seeds=30, target=35),
    "strong sharing, bots": dict(seeds=30, target=35, feed_reach=0.3, share_logit=-0.5,
                                 social_proof_weight=1.0, bot_likes_per_day=2.0),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_reference_gives_the_engines_like_counts(name):
    n, reps = 2_000, 30
    sc = Scenario(population=n, progress="hidden", **SCENARIOS[name])  # the reference's model
    g = synthetic_graph(n, 20, rng=np.random.default_rng(0))
    g_nx = g.to_networkx()
    engine = pd.DataFrame([run_campaign(sc, rng=np.random.default_rng(i), graph=g).summary()
                           for i in range(reps)])
    plain = pd.DataFrame([run_campaign_plain(sc, g_nx, rng=np.random.default_rng(1_000 + i))
                          for i in range(reps)])
    for col in ("likes", "open_eyed_likes", "closed_eyed_likes", "likes_without_pledge"):
        e, p = engine[col].astype(float), plain[col].astype(float)
        se = np.sqrt(e.var() / reps + p.var() / reps)
        assert abs(e.mean() - p.mean()) <= 4 * se, (col, e.mean(), p.mean(), se)
    assert plain["likes"].mean() > 0.5 * sc.seeds * 0.1  # the campaign did something


def test_reference_without_pledge_has_no_closed_eyes_likes():
    n = 1_000
    g_nx = synthetic_graph(n, 20, rng=np.random.default_rng(2)).to_networkx()
    out = run_campaign_plain(Scenario(population=n, seeds=50, target=20, pledge=False), g_nx,
                             rng=np.random.default_rng(5))
    assert out["closed_eyed_likes"] == 0
    assert out["likes"] == out["likes_without_pledge"] == out["open_eyed_likes"]
    assert out["likes"] > 0


def test_distinct_is_np_unique():
    rng = np.random.default_rng(4)
    for size in (0, 1, 2, 50, 5_000):
        x = rng.integers(0, 100, size)
        assert np.array_equal(bench._distinct(x), np.unique(x))


def test_batched_mixture_bench_fits_both_ways_and_they_agree():
    rows = bench_batch(3)
    assert [r["estimator"] for r in rows] == ["mixture (ZIP)", "mixture-nb (ZINB)"]
    for r in rows:
        assert r["tables"] == 3 and r["cells"] > 50
        assert r["cpu_single"] > 0 and r["cpu_batch"] > 0
        assert r["max_difference"] < 1e-8
