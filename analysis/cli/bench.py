"""``python -m analysis bench [--sizes N ...] [--quick] ...``: the campaign engine's benchmark
(:mod:`analysis.bench.engine`), written to ``build/bench.md`` and ``build/bench.csv``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis import paths
from analysis.errors import InputError

MIN_SIZE, MAX_SIZE = 100, 10_000_000


def configure(p):
    from analysis.bench.sizes import MEMORY_SIZES, PYTHON_MAX, QUICK_SIZES, SIZES

    p.description = "Speed and memory benchmark of the campaign engine."
    p.add_argument("--sizes", type=int, nargs="+", metavar="N",
                   help=f"people per graph (default: {' '.join(map(str, SIZES))})")
    p.add_argument("--quick", action="store_true",
                   help=f"tiny sizes ({' '.join(map(str, QUICK_SIZES))}), one repeat: "
                        "checks that the benchmark runs")
    p.add_argument("--repeats", type=int, help="repeats per measurement (default: 7, 5 "
                   "or 3 by size; 1 with --quick)")
    p.add_argument("--python-max", type=int, default=PYTHON_MAX, metavar="N",
                   help="largest size for the pure-Python reference (default: %(default)s)")
    p.add_argument("--seed", type=int, default=2010, help="random seed")
    p.add_argument("--out", type=Path, help="folder for bench.md and bench.csv "
                   "(default: build/)")
    p.add_argument("--memory-sizes", type=int, nargs="*", metavar="N",
                   help="people per campaign for the peak memory by size (default: "
                        f"{' '.join(map(str, MEMORY_SIZES))}; none to skip)")
    p.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    p.add_argument("--memory-worker", type=int, help=argparse.SUPPRESS)
    p.add_argument("--python", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.bench.engine import measure_memory, measure_size, run_benchmark
    from analysis.bench.sizes import MEMORY_SIZES, QUICK_MEMORY_SIZES, QUICK_SIZES, SIZES

    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    for n in [*sizes, *(args.memory_sizes or [])]:
        if not MIN_SIZE <= n <= MAX_SIZE:
            raise InputError(f"--sizes: each size must be in [{MIN_SIZE}, {MAX_SIZE}] people, "
                             f"got {n}")
    if args.repeats is not None and args.repeats < 1:
        raise InputError(f"--repeats must be at least 1, got {args.repeats}")
    if args.memory_worker:
        print(json.dumps(measure_memory(args.memory_worker, seed=args.seed)))
        return 0
    if args.worker:
        row = measure_size(args.worker, repeats=args.repeats or 1, python=args.python,
                           seed=args.seed,
                           log=lambda msg: print(msg, file=sys.stderr, flush=True))
        print(json.dumps(row))
        return 0
    repeats = args.repeats or (1 if args.quick else None)
    memory_sizes = args.memory_sizes if args.memory_sizes is not None else (
        QUICK_MEMORY_SIZES if args.quick else MEMORY_SIZES)
    _, text = run_benchmark(sizes, repeats=repeats, python_max=args.python_max,
                            seed=args.seed, out=args.out, memory_sizes=memory_sizes)
    print(text)
    print(f"wrote {(args.out or paths.BUILD) / 'bench.md'} and bench.csv", file=sys.stderr)
    return 0
