"""Benchmark: how fast the command line answers ``--help`` and a bad flag.

The goal (issue 11): ``python -m analysis --help``, any command's ``--help`` and any bad-flag
error within 0.5 s. Each row is the median wall-clock time of several runs, each in a fresh
Python process (``subprocess``, the way a user meets it), so imports are paid every time.
Timings on a shared machine vary with its load: the table records the load average.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import pandas as pd

from analysis import paths

TARGET_S = 0.5
BAD_FLAG = "--no-such-flag"


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def time_command(args: list[str], *, runs: int = 5) -> tuple[float, int]:
    """(median seconds, exit code of the last run) of ``python -m analysis ARGS``."""
    times, code = [], None
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "analysis", *args],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
        code = done.returncode
    return statistics.median(times), code


def startup_table(commands: list[str], *, runs: int = 5) -> pd.DataFrame:
    """One row per invocation: the top-level ``--help``, then each command's ``--help`` and a
    bad flag. Columns: invocation, median_s, runs, exit_code, verdict (PASS/MISS)."""
    cases = [["--help"]] + [[c, flag] for c in commands for flag in ("--help", BAD_FLAG)]
    rows = []
    for args in cases:
        median, code = time_command(args, runs=runs)
        rows.append({"invocation": "python -m analysis " + " ".join(args),
                     "median_s": round(median, 3), "runs": runs, "exit_code": code,
                     "verdict": "PASS" if median <= TARGET_S else "MISS"})
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame, load_before: str, load_after: str) -> str:
    """The table as a Markdown section for ``build/bench.md``."""
    lines = ["", "## Command-line start-up", "",
             f"Median of {int(table['runs'].max())} runs, each in a fresh process; target "
             f"{TARGET_S} s. Load average before {load_before}, after {load_after} "
             f"({os.cpu_count()} cores).", "",
             "| invocation | median (s) | exit code | target |", "|---|---:|---:|---|"]
    lines += [f"| `{r.invocation}` | {r.median_s:.3f} | {r.exit_code} | {r.verdict} |"
              for r in table.itertuples()]
    return "\n".join(lines) + "\n"


def run_startup_benchmark(commands: list[str], *, runs: int = 5, out=None) -> tuple[
        pd.DataFrame, str]:
    """Measure, then append the section to ``out/bench.md`` and write ``out/bench-cli.csv``."""
    before = _load()
    table = startup_table(commands, runs=runs)
    text = markdown(table, before, _load())
    folder = paths.BUILD if out is None else out
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "bench.md", "a", encoding="utf-8") as fh:
        fh.write(text)
    table.to_csv(folder / "bench-cli.csv", index=False, lineterminator="\n")
    return table, text
