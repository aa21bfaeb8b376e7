"""Speed and memory benchmark of the campaign engine: ``make bench`` (``python -m analysis bench``).

For each size (10^4, 10^5 and 10^6 people by default, mean degree 20) a fresh Python process
measures, with ``time.perf_counter`` and the best of a few repeats:

* **graph**: ``synthetic_graph`` (with the people's brand affinity, as the engine builds it);
* **replicate**: one campaign, ``run_campaign(bench_scenario(n), rng=..., graph=g)``, which also
  draws the people (as ``analysis.engine.montecarlo`` does on a fixed graph), and the same replicate on
  the people the graph was built for (``people=...``: no people to draw); both with the target
  visible (the default, issue 10), and the first once more with it hidden (the model before);
* **bare cascade**: a minimal vectorised independent cascade on the same graph
  (:func:`bare_cascade`) from as many seeds, over as many days, with the tie probability ``p``
  set by bisection so that it reaches as many people as the replicate exposed;
* **pure Python** (10^4 and 10^5 only): the same campaign written plainly over networkx
  (:mod:`analysis.bench.reference`), and the conversion of the graph to networkx;
* **peak memory**: the process's peak resident set size (``ru_maxrss``) after generating the
  graph and running the replicate and the cascade once (one process per size, so sizes do not
  pollute each other).
* **peak memory by size** (10^6 and 10^7 people by default): one campaign, graph included, in
  a fresh process per size, against :func:`analysis.engine.memory.campaign_bytes` (the estimate
  the kit refuses runs by) and the goal of at most 4 GB at 10^7 people.

The table is printed as Markdown and written to ``build/bench.md`` and ``build/bench.csv``, with
the issue's targets marked PASS or MISS. Timings depend on the machine and on whatever else runs
on it: the table records the machine and its load average.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.bench.reference import run_campaign_plain
from analysis.bench.sizes import MEMORY_SIZES, PYTHON_MAX
from analysis.engine.campaign import edges_of, run_campaign
from analysis.engine.graphs import Graph, synthetic_graph
from analysis.engine.memory import campaign_bytes
from analysis.engine.people import people_for
from analysis.engine.scenario import Scenario

MEAN_DEGREE = 20.0
TARGET_SIZE = 1_000_000       # the size the targets speak of
# The targets (issue 3, "Speed and memory").
MAX_REPLICATE_OVER_CASCADE = 3.0
MIN_PYTHON_OVER_ENGINE = 30.0
MAX_GRAPH_SECONDS = 1.0
MAX_PEAK_MB = 1500.0
MEMORY_GOAL_SIZE = 10_000_000
MAX_PEAK_MB_AT_GOAL = 4000.0             # issue 12: a 10^7-person campaign in at most 4 GB


# The CSV's leading columns (CPU times follow): times in seconds, memory in MB (10^6 bytes).
COLUMNS = ["people", "mean_degree", "friendships", "seeds", "target", "days", "repeats",
           "graph_s", "graph_first_s", "replicate_s", "replicate_people_given_s",
           "replicate_hidden_s", "draw_people_s", "cascade_s",
           "replicate_over_cascade", "people_given_over_cascade", "hidden_over_cascade", "networkx_s", "python_s",
           "python_over_engine", "peak_memory_mb", "baseline_memory_mb", "likes",
           "python_likes", "campaign_reach", "cascade_reach", "cascade_p"]


def bench_scenario(n: int) -> Scenario:
    """The default campaign scaled to ``n`` people: seeds and target keep their share of people.

    At the defaults (20,000 people, 300 seeds, target 350) that is 1.5% seeds and a target of
    1.75% of people, so every size asks the same of the network.
    """
    d = Scenario()
    return d.replace(population=n, mean_degree=MEAN_DEGREE,
                     seeds=max(1, round(n * d.seeds / d.population)),
                     target=max(1, round(n * d.target / d.population)))


def bare_cascade(graph: Graph, seeds: np.ndarray, p: float, *, rng: np.random.Generator,
                 rounds: int, limit: int | None = None) -> int:
    """A bare independent cascade on CSR arrays; returns the number of people it reached.

    seeds: the people active at the start. Each round, every tie of the people activated in
    the previous round passes with probability ``p`` (one uniform draw per tie); the people it
    reaches who were not active become active. rounds: rounds after the seeds' (days - 1).
    limit: stop early once more than this many are active (used only while calibrating).
    """
    active = np.zeros(graph.n, dtype=bool)
    frontier = _distinct(np.asarray(seeds, dtype=np.int64))
    active[frontier] = True
    reached = len(frontier)
    for _ in range(rounds):
        if len(frontier) == 0 or (limit is not None and reached > limit):
            break
        positions, _ = edges_of(graph.indptr, frontier)
        hit = graph.indices[positions[rng.random(len(positions)) < p]]
        frontier = _distinct(hit[~active[hit]]).astype(np.int64)
        active[frontier] = True
        reached += len(frontier)
    return reached


def _distinct(x: np.ndarray) -> np.ndarray:
    """The distinct values of ``x``, sorted: ``np.unique(x)`` without its overhead.

    (With numpy 2.4, ``np.unique`` takes ~0.8 ms on 10^4 integers; a sort takes ~20 us.)
    """
    x = np.sort(x)
    keep = np.empty(len(x), dtype=bool)
    keep[:1] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def calibrate_cascade(graph: Graph, n_seeds: int, reach: int, rounds: int, *, seed: int,
                      steps: int = 24) -> float:
    """The tie probability p at which :func:`bare_cascade` reaches about ``reach`` people.

    Bisection on log p in [1e-7, 1], each trial with the same random stream (seed), from
    ``n_seeds`` random seeds over ``rounds`` rounds.
    """
    lo, hi = np.log(1e-7), 0.0
    for _ in range(steps):
        mid = (lo + hi) / 2.0
        rng = np.random.default_rng(seed)
        seeds = rng.choice(graph.n, size=n_seeds, replace=False)
        got = bare_cascade(graph, seeds, float(np.exp(mid)), rng=rng, rounds=rounds,
                           limit=2 * reach)
        lo, hi = (mid, hi) if got < reach else (lo, mid)
    return float(np.exp((lo + hi) / 2.0))


class _Clock:
    """Wall-clock (``time.perf_counter``) and CPU seconds of named steps, over repeats."""

    def __init__(self):
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    def run(self, name: str, func, *args, **kwargs):
        """Call ``func(*args, **kwargs)``, record its times under ``name``, return its result."""
        wall, cpu = time.perf_counter(), time.process_time()
        out = func(*args, **kwargs)
        self.cpu.setdefault(name, []).append(time.process_time() - cpu)
        self.wall.setdefault(name, []).append(time.perf_counter() - wall)
        return out

    def best(self) -> dict:
        """``<name>_s`` (best wall time) and ``<name>_cpu_s`` (best CPU time) per step."""
        out = {f"{k}_s": min(v) for k, v in self.wall.items()}
        out.update({f"{k}_cpu_s": min(v) for k, v in self.cpu.items()})
        return out


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (10^6 bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6  # bytes on macOS


def default_repeats(n: int) -> int:
    """Repeats per measurement (the best counts): more for small, quick sizes."""
    return 7 if n <= 20_000 else 5 if n <= 200_000 else 3


def measure_size(n: int, *, repeats: int, python: bool, seed: int = 2010,
                 log=print) -> dict:
    """Every measurement at ``n`` people, in this process. Returns one row (a dict).

    Each repeat does the same work (the same seed), so the best of the repeats measures one
    fixed workload; other jobs on the machine only ever add time.

    repeats: runs per measurement (the best counts). python: also time the pure-Python
    reference and the networkx conversion. log: where progress lines go.
    """
    sc = bench_scenario(n)
    row: dict = {"people": n, "mean_degree": MEAN_DEGREE, "seeds": sc.seeds,
                 "target": sc.target, "days": sc.days, "repeats": repeats,
                 "baseline_memory_mb": _peak_rss_mb()}
    people = people_for(sc, rng=np.random.default_rng(seed))
    clock = _Clock()
    graph = result = None
    for rep in range(repeats):
        log(f"  {n:>9,} people: repeat {rep + 1}/{repeats}")
        graph = result = None  # free the last repeat's graph first
        graph = clock.run("graph", synthetic_graph, n, MEAN_DEGREE,
                          rng=np.random.default_rng(seed), affinity=people.affinity,
                          homophily=sc.homophily, circle_share=sc.circle_share)
        result = clock.run("replicate", run_campaign, sc, rng=np.random.default_rng(seed),
                           graph=graph)
        clock.run("replicate_people_given", run_campaign, sc,
                  rng=np.random.default_rng(seed), graph=graph, people=people)
        clock.run("replicate_hidden", run_campaign, sc.replace(progress="hidden"),
                  rng=np.random.default_rng(seed), graph=graph)
        clock.run("draw_people", people_for, sc, rng=np.random.default_rng(seed))
        if rep == 0:
            summary = result.summary()
            p = calibrate_cascade(graph, sc.seeds, summary["people_exposed"], sc.days - 1,
                                  seed=seed)
            row.update(friendships=graph.n_edges, likes=summary["likes"],
                       campaign_reach=summary["people_exposed"], cascade_p=p)
        rng = np.random.default_rng(seed)  # the stream the calibration used
        seeds = rng.choice(n, size=sc.seeds, replace=False)
        reach = clock.run("cascade", bare_cascade, graph, seeds, p, rng=rng,
                          rounds=sc.days - 1)
        if rep == 0:
            row.update(cascade_reach=reach, peak_memory_mb=_peak_rss_mb())
    row.update(networkx_s=float("nan"), python_s=float("nan"), python_likes=None)
    if python:
        log(f"  {n:>9,} people: converting the graph to networkx")
        g_nx = clock.run("networkx", graph.to_networkx)
        for rep in range(min(repeats, 3)):
            log(f"  {n:>9,} people: pure-Python campaign {rep + 1}/{min(repeats, 3)}")
            plain = clock.run("python", run_campaign_plain, sc, g_nx,
                              rng=np.random.default_rng(seed))
        row["python_likes"] = plain["likes"]
    row.update(clock.best())
    row["graph_first_s"] = clock.wall["graph"][0]  # the first call in a fresh process
    return row


def measure_memory(n: int, *, seed: int = 2010) -> dict:
    """One campaign of ``n`` people (graph included) in this process: its peak memory, the
    kit's estimate of it, and its wall time."""

    sc = bench_scenario(n)
    t = time.perf_counter()
    result = run_campaign(sc, rng=np.random.default_rng(seed))
    return {"people": n, "mean_degree": sc.mean_degree, "seconds": time.perf_counter() - t,
            "peak_memory_mb": _peak_rss_mb(), "likes": int(result.summary()["likes"]),
            "estimate_mb": campaign_bytes(n, sc.mean_degree) / 1e6}


def memory_by_size(sizes, *, seed: int = 2010) -> pd.DataFrame:
    """:func:`measure_memory` for each size, each in a fresh Python process."""
    rows = []
    for n in sizes:
        print(f"peak memory: one campaign of {n:,} people", file=sys.stderr, flush=True)
        cmd = [sys.executable, "-m", "analysis", "bench", "--memory-worker", str(n),
               "--seed", str(seed)]
        done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"memory benchmark at {n:,} people failed "
                               f"(exit code {done.returncode})")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return pd.DataFrame(rows)


def memory_markdown(table: pd.DataFrame) -> str:
    """The peak-memory-by-size table, with the 10^7 goal marked."""
    lines = ["", "## Peak memory by size", "",
             "| people | mean degree | campaign (s) | peak memory (MB) | kit's estimate (MB) "
             "| goal | verdict |", "|---:|---:|---:|---:|---:|---|:---:|"]
    for _, r in table.iterrows():
        at_goal = int(r["people"]) == MEMORY_GOAL_SIZE
        goal = f"at most {MAX_PEAK_MB_AT_GOAL:,.0f} MB" if at_goal else "-"
        verdict = _verdict(float(r["peak_memory_mb"]) <= MAX_PEAK_MB_AT_GOAL) if at_goal \
            else "n/a"
        lines.append(f"| {int(r['people']):,} | {r['mean_degree']:g} | {r['seconds']:.1f} "
                     f"| {r['peak_memory_mb']:,.0f} | {r['estimate_mb']:,.0f} | {goal} "
                     f"| {verdict} |")
    lines += ["", "One campaign at the default settings scaled to each size (graph generation "
              "included), each in a fresh process; peak resident set size (`ru_maxrss`). The "
              "estimate is `analysis.engine.memory.campaign_bytes`, which the kit uses to "
              "refuse runs above its memory budget before allocating."]
    return "\n".join(lines) + "\n"


def _run_in_subprocess(n: int, *, repeats: int, python: bool, seed: int) -> dict:
    """:func:`measure_size` in a fresh Python process (its peak memory is its own)."""
    cmd = [sys.executable, "-m", "analysis", "bench", "--worker", str(n), "--repeats",
           str(repeats), "--seed", str(seed)] + (["--python"] if python else [])
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark at {n:,} people failed (exit code {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def add_ratios(table: pd.DataFrame) -> pd.DataFrame:
    """The ratios the targets speak of, as new columns."""
    table = table.copy()
    table["replicate_over_cascade"] = table["replicate_s"] / table["cascade_s"]
    table["people_given_over_cascade"] = table["replicate_people_given_s"] / table["cascade_s"]
    table["hidden_over_cascade"] = table["replicate_hidden_s"] / table["cascade_s"]
    # the pure-Python reference writes the model with the target hidden: compare like with like
    table["python_over_engine"] = table["python_s"] / table["replicate_hidden_s"]
    return table


def _verdict(ok) -> str:
    return "n/a" if ok is None else "PASS" if ok else "MISS"


def targets(table: pd.DataFrame) -> pd.DataFrame:
    """The issue's targets against the measurements: one row per target and size."""
    rows = []
    at = table.set_index("people")
    big = at.loc[TARGET_SIZE] if TARGET_SIZE in at.index else None

    def add(target, size, value, text, ok):
        rows.append({"target": target, "people": size, "measured": text.format(value)
                     if value is not None else "not run", "verdict": _verdict(ok)})

    goal = MAX_REPLICATE_OVER_CASCADE
    for col, what in (("replicate_over_cascade", "replicate (progress visible)"),
                      ("people_given_over_cascade", "replicate, people given"),
                      ("hidden_over_cascade", "replicate (progress hidden)")):
        v = None if big is None else float(big[col])
        add(f"{what} within {goal:g}x of the bare cascade", TARGET_SIZE, v, "{:.1f}x",
            None if v is None else v <= goal)
    for size, r in at.iterrows():
        if np.isfinite(r["python_over_engine"]):
            v = float(r["python_over_engine"])
            add(f"at least {MIN_PYTHON_OVER_ENGINE:g}x faster than pure Python", size, v,
                "{:.1f}x", v >= MIN_PYTHON_OVER_ENGINE)
    v = None if big is None else float(big["graph_s"])
    cpu = "" if big is None else (f" (first call {float(big['graph_first_s']):.2f} s, "
                                  f"CPU {float(big['graph_cpu_s']):.2f} s)")
    add(f"graph generation at most {MAX_GRAPH_SECONDS:g} s", TARGET_SIZE, v,
        "{:.2f} s" + cpu, None if v is None else v <= MAX_GRAPH_SECONDS)
    v = None if big is None else float(big["peak_memory_mb"])
    add(f"peak memory at most {MAX_PEAK_MB / 1000:g} GB", TARGET_SIZE, v, "{:,.0f} MB",
        None if v is None else v <= MAX_PEAK_MB)
    return pd.DataFrame(rows)


def _num(x, fmt="{:.3g}") -> str:
    return "–" if x is None or not np.isfinite(x) else fmt.format(x)


def markdown(table: pd.DataFrame, verdicts: pd.DataFrame, machine: dict) -> str:
    """The benchmark as a Markdown document: the table, the targets, how it was measured."""
    lines = ["# Benchmark: the campaign engine", "",
             f"{machine['date']} · {machine['cpu']} · {machine['cores']} cores · Python "
             f"{machine['python']} · numpy {machine['numpy']} · load average "
             f"{machine['load_before']} before, {machine['load_after']} after", "",
             "| people | graph (s) | replicate (s) | replicate, people given (s) "
             "| replicate, progress hidden (s) "
             "| bare cascade (s) | replicate / cascade | hidden / cascade "
             "| networkx conversion (s) "
             "| pure Python (s) | pure Python / engine | peak memory (MB) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for _, r in table.iterrows():
        lines.append(
            f"| {int(r['people']):,} | {_num(r['graph_s'])} | {_num(r['replicate_s'])} "
            f"| {_num(r['replicate_people_given_s'])} | {_num(r['replicate_hidden_s'])} "
            f"| {_num(r['cascade_s'])} "
            f"| {_num(r['replicate_over_cascade'], '{:.1f}x')} "
            f"| {_num(r['hidden_over_cascade'], '{:.1f}x')} | {_num(r['networkx_s'])} "
            f"| {_num(r['python_s'])} | {_num(r['python_over_engine'], '{:.1f}x')} "
            f"| {_num(r['peak_memory_mb'], '{:,.0f}')} |")
    lines += ["", "| target | people | measured | verdict |", "|---|---:|---:|:---:|"]
    for _, r in verdicts.iterrows():
        lines.append(f"| {r['target']} | {int(r['people']):,} | {r['measured']} "
                     f"| {r['verdict']} |")
    reach = "; ".join(
        f"{int(r['people']):,}: p = {r['cascade_p']:.3g}, cascade reached "
        f"{int(r['cascade_reach']):,}, campaign exposed {int(r['campaign_reach']):,}"
        for _, r in table.iterrows())
    lines += [
        "", "How it was measured:", "",
        f"- Mean degree {MEAN_DEGREE:g}; the default campaign scaled to each size (seeds 1.5% "
        "of people, target 1.75%, 14 days, both worlds with and without the pledge), with the "
        "target visible (the default) and, in its own column, hidden.",
        "- Times: `time.perf_counter` (wall clock), best of "
        + ", ".join(f"{int(r['repeats'])} ({int(r['people']):,})" for _, r in table.iterrows())
        + " repeats; the pure-Python campaign best of up to 3; the networkx conversion once. "
        "Other jobs sharing the machine slow single runs, hence the best of several; the "
        "CSV also holds CPU times (`time.process_time`) and the first graph generation in "
        "each fresh process, which can be much slower: numpy asks Linux for transparent huge "
        "pages, and the first time the kernel may have to assemble them "
        "(`NUMPY_MADVISE_HUGEPAGE=0` trades that for slightly slower later calls).",
        "- replicate: `run_campaign(scenario, rng=..., graph=g)`, which draws the people's "
        "affinity and warmth too (as `analysis.engine.montecarlo` does on a fixed graph). "
        "replicate, people given: the same with `people=` the population the graph was built "
        "for (no people to draw).",
        "- bare cascade: `analysis.bench.engine.bare_cascade`, frontier by frontier on the CSR arrays "
        "(one uniform draw per tie of the newly active, `< p`), from as many seeds, over as "
        "many days; p set by bisection so that it reaches as many people as the replicate "
        f"exposed (people-days, the sum of daily exposures). {reach}.",
        "- pure Python / engine: `analysis.bench.reference.run_campaign_plain` (loops over people "
        "and their friends `G[u]` in networkx, Python's `random`; the model with the target "
        "hidden) against the replicate with progress hidden; both draw the people. The networkx conversion (`g.to_networkx()`) is not in the ratio.",
        "- peak memory: peak resident set size (`ru_maxrss`) of a fresh process per size after "
        "generating the graph and running one replicate and one cascade (before any networkx "
        "graph); it includes the "
        "interpreter and libraries (" + ", ".join(
            f"{_num(r['baseline_memory_mb'], '{:,.0f}')} MB after imports at "
            f"{int(r['people']):,}" for _, r in table.iterrows()) + ").",
    ]
    return "\n".join(lines) + "\n"


def machine_info() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "cpu": cpu,
            "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "load_before": _load()}


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def run_benchmark(sizes, *, repeats: int | None = None, python_max: int = PYTHON_MAX,
                  seed: int = 2010, out: Path | None = None,
                  memory_sizes=MEMORY_SIZES) -> tuple[pd.DataFrame, str]:
    """Measure every size in its own process; write bench.md and bench.csv (and the peak
    memory by size, bench-memory.csv) into ``out``.

    Returns (the table, its Markdown).
    """
    machine = machine_info()
    rows = []
    for i, n in enumerate(sizes, start=1):
        reps = repeats or default_repeats(n)
        print(f"[{i}/{len(sizes)}] {n:,} people, best of {reps}"
              + (", with the pure-Python reference" if n <= python_max else ""),
              file=sys.stderr, flush=True)
        rows.append(_run_in_subprocess(n, repeats=reps, python=n <= python_max, seed=seed))
    machine["load_after"] = _load()
    table = add_ratios(pd.DataFrame(rows))
    first = [c for c in COLUMNS if c in table.columns]
    table = table[first + [c for c in table.columns if c not in first]]
    verdicts = targets(table)
    text = markdown(table, verdicts, machine)
    memory = memory_by_size(memory_sizes, seed=seed) if memory_sizes else None
    if memory is not None:
        text += memory_markdown(memory)
    out = Path(out) if out is not None else paths.BUILD
    out.mkdir(parents=True, exist_ok=True)
    if memory is not None:
        memory.to_csv(out / "bench-memory.csv", index=False, lineterminator="\n",
                      float_format="%.6g")
    (out / "bench.md").write_text(text)
    table.to_csv(out / "bench.csv", index=False, lineterminator="\n", float_format="%.6g")
    return table, text
