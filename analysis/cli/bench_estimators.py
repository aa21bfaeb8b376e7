"""``python -m analysis bench-estimators [--fans N] [--repeat R] [--compare] [--tables T]
[--file-mb MB]``."""

from __future__ import annotations

import argparse
import json
import math

from analysis.errors import InputError


def configure(p):
    p.description = ("Time the closed-eyes estimators on a million fans, fitted from sufficient "
                     "statistics (best of R wall-clock runs, tabulation included), and the time "
                     "series on 200 daily series fitted at once.")
    p.add_argument("--fans", type=int, default=1_000_000, help="fans (default 1,000,000)")
    p.add_argument("--repeat", type=int, default=3, help="best of R runs (default 3)")
    p.add_argument("--compare", action="store_true",
                   help="also time statsmodels' row-level zero-inflated Poisson (about 10 s) and "
                        "the time series one series at a time")
    p.add_argument("--tables", type=int, default=200,
                   help="recovery-sized tables fitted one at a time and batched (default 200; "
                        "0 skips it)")
    p.add_argument("--file-mb", type=float, default=1000.0,
                   help="size of the generated cohorts file whose peak memory is measured, MB "
                        "(default 1000; 0 skips it)")
    p.add_argument("--file-worker", help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.bench.estimators import (
        MAX_FILE_PEAK_MB,
        bench,
        bench_batch,
        bench_file,
        file_peak,
    )

    if args.file_worker:  # the fresh process whose peak memory bench_file measures
        print(json.dumps(file_peak(args.file_worker)))
        return 0
    if not math.isfinite(args.file_mb) or args.file_mb < 0:
        raise InputError(f"--file-mb must be a size in MB (0 skips it), got {args.file_mb:g}")
    if args.fans < 100:
        raise InputError(f"--fans must be at least 100, got {args.fans}")
    if args.repeat < 1:
        raise InputError(f"--repeat must be at least 1, got {args.repeat}")
    if args.tables < 0:
        raise InputError(f"--tables must be a number of tables (0 skips it), got {args.tables}")
    print(f"{args.fans:,} fans; best of {args.repeat} wall-clock runs, tabulation included")
    print(f"{'estimator':<30}{'seconds':>9}{'cells/rows':>12}{'estimate':>10}")
    for r in bench(args.fans, repeat=args.repeat, compare=args.compare):
        print(f"{r['estimator']:<30}{r['seconds']:>9.3f}{r['cells']:>12,}{r['estimate']:>10.4f}")
    if args.tables > 0:
        print(f"{args.tables} recovery-sized tables (large cohorts, overdispersion, s = 0.5), "
              "CPU seconds")
        print(f"{'estimator':<30}{'one by one':>12}{'batched':>9}{'speed-up':>10}{'max diff':>10}")
        for r in bench_batch(args.tables):
            print(f"{r['estimator']:<30}{r['cpu_single']:>12.2f}{r['cpu_batch']:>9.2f}"
                  f"{r['cpu_single'] / r['cpu_batch']:>9.1f}x{r['max_difference']:>10.1e}")
    if args.file_mb > 0:
        r = bench_file(args.file_mb)
        goal = MAX_FILE_PEAK_MB * r["file_mb"] / 1000.0
        verdict = "PASS" if r["peak_memory_mb"] <= max(goal, 300.0) else "MISS"
        print(f"cohorts file of {r['file_mb']:,.0f} MB ({r['fans']:,} fans, {r['cells']:,} "
              f"cells): tabulated block by block in {r['seconds']:.1f} s, peak memory "
              f"{r['peak_memory_mb']:,.0f} MB (goal: at most {MAX_FILE_PEAK_MB:,.0f} MB per "
              f"1,000 MB of file) {verdict}")
    return 0
