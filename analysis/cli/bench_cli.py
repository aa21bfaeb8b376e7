"""``python -m analysis bench-cli [--runs N] [--out DIR]``: the command line's start-up times."""

from __future__ import annotations

from pathlib import Path

from analysis.errors import InputError


def configure(p):
    p.description = ("Time `python -m analysis --help`, every command's --help and a bad flag, "
                     "each the median of N runs in fresh processes (target 0.5 s); appends a "
                     "section to build/bench.md and writes build/bench-cli.csv.")
    p.add_argument("--runs", type=int, default=5, help="runs per invocation (default 5)")
    p.add_argument("--out", type=Path, help="folder for bench.md (default build/)")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.bench.startup import run_startup_benchmark
    from analysis.cli import COMMANDS

    if args.runs < 1:
        raise InputError(f"--runs must be at least 1, got {args.runs}")
    _, text = run_startup_benchmark(list(COMMANDS), runs=args.runs, out=args.out)
    print(text)
    return 0
