"""``python -m analysis recovery [--reps N] [--seed S] [--out FILE] [--jobs J]``: the full
recovery study (:mod:`analysis.estimation.recovery`), written to ``data/recovery.csv``."""

from __future__ import annotations

from analysis.errors import InputError
from analysis.estimation.designs import RECOVERY_REPS, RECOVERY_SEED


def configure(p):
    p.description = ("The recovery study behind notebook 02's 'which method to trust when': "
                     "simulate observable data for a grid of true shares and broken "
                     "assumptions, estimate, and score bias, RMSE and coverage "
                     "(under a minute on two cores).")
    p.add_argument("--reps", type=int, default=RECOVERY_REPS,
                   help=f"replicates per cell (default {RECOVERY_REPS})")
    p.add_argument("--seed", type=int, default=RECOVERY_SEED,
                   help=f"seed of the study (default {RECOVERY_SEED})")
    p.add_argument("--out", metavar="FILE", help="output CSV (default data/recovery.csv)")
    p.add_argument("--jobs", type=int, default=-1,
                   help="processes (default -1: every core; at most one per core)")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.cli.campaign import jobs_from_args
    from analysis.estimation.recovery import TABLE, recovery_study, write_table

    if args.reps < 1:
        raise InputError(f"--reps must be at least 1, got {args.reps}")
    if args.seed < 0:
        raise InputError(f"--seed must be a non-negative integer, got {args.seed}")
    out = args.out or TABLE
    table = recovery_study(seed=args.seed, reps=args.reps, n_jobs=jobs_from_args(args.jobs))
    write_table(table, out)
    print(f"wrote {out} ({len(table)} rows)")
    return 0
