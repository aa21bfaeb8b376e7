"""``python -m analysis bench-estimators [--fans N] [--repeat R] [--compare]``."""

from __future__ import annotations

from analysis.errors import InputError


def configure(p):
    p.description = ("Time the closed-eyes estimators on a million fans, fitted from sufficient "
                     "statistics (best of R wall-clock runs, tabulation included).")
    p.add_argument("--fans", type=int, default=1_000_000, help="fans (default 1,000,000)")
    p.add_argument("--repeat", type=int, default=3, help="best of R runs (default 3)")
    p.add_argument("--compare", action="store_true",
                   help="also time statsmodels' row-level zero-inflated Poisson (about 10 s)")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.bench.estimators import bench

    if args.fans < 100:
        raise InputError(f"--fans must be at least 100, got {args.fans}")
    if args.repeat < 1:
        raise InputError(f"--repeat must be at least 1, got {args.repeat}")
    print(f"{args.fans:,} fans; best of {args.repeat} wall-clock runs, tabulation included")
    print(f"{'estimator':<30}{'seconds':>9}{'cells/rows':>12}{'estimate':>10}")
    for r in bench(args.fans, repeat=args.repeat, compare=args.compare):
        print(f"{r['estimator']:<30}{r['seconds']:>9.3f}{r['cells']:>12,}{r['estimate']:>10.4f}")
    return 0
