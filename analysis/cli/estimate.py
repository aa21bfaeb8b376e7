"""``python -m analysis estimate``: estimate the closed-eyes share from your own data.

Three designs, one sub-command each::

    python -m analysis estimate ab --asked-with N1 --liked-with K1 --asked-without N0 --liked-without K0
    python -m analysis estimate cohorts FILE.csv --method ratio|mixture|mixture-nb
    python -m analysis estimate daily FILE.csv --campaign-start YYYY-MM-DD --campaign-end YYYY-MM-DD

Each prints a readable result, or with ``--json`` one JSON object with at least ``method``,
``estimate``, ``ci_low``, ``ci_high``, ``assumption`` and ``n``. Nothing is written to disk.
File schemas: see :mod:`analysis.datasets.userdata` and the README ("Bring your own data").
"""

from __future__ import annotations

import json
import textwrap

from analysis.errors import InputError


def configure(p):
    from analysis.estimation.designs import COHORT_METHODS, DEFAULT_COHORT_METHOD

    p.description = ("Estimate the share of likes given only because of the charity pledge "
                     "(closed-eyes likes), with a 95% interval and the assumption it rests on.")
    sub = p.add_subparsers(dest="design", metavar="DESIGN", required=True)

    ab = sub.add_parser("ab", help="a randomised incentive test (four counts)",
                        description="People asked at random with or without the pledge: "
                                    "s = 1 - p_without / p_with.")
    ab.add_argument("--asked-with", required=True, metavar="N1",
                    help="people asked with the pledge")
    ab.add_argument("--liked-with", required=True, metavar="K1",
                    help="of them, how many liked the page")
    ab.add_argument("--asked-without", required=True, metavar="N0",
                    help="people asked without the pledge")
    ab.add_argument("--liked-without", required=True, metavar="K0",
                    help="of them, how many liked the page")
    ab.add_argument("--seed", type=int, default=2010,
                    help="seed of the bootstrap cross-check (default 2010)")

    co = sub.add_parser("cohorts", help="per-fan engagement of organic and campaign fans",
                        description="CSV columns fan_id,cohort,exposures,engagements; cohort is "
                                    "'organic' or 'campaign'.")
    co.add_argument("file", metavar="FILE.csv", help="one row per fan")
    co.add_argument("--method", choices=COHORT_METHODS, default=DEFAULT_COHORT_METHOD,
                    help="ratio: Poisson engagement ratio (robust errors); mixture: "
                         "zero-inflated Poisson; mixture-nb: zero-inflated negative binomial "
                         f"(default {DEFAULT_COHORT_METHOD})")

    da = sub.add_parser("daily", help="the page's daily new likes (interrupted time series)",
                        description="CSV columns date,new_likes; the result is an upper bound "
                                    "on the closed-eyes share.")
    da.add_argument("file", metavar="FILE.csv", help="one row per day")
    da.add_argument("--campaign-start", required=True, metavar="YYYY-MM-DD",
                    help="first day of the campaign")
    da.add_argument("--campaign-end", required=True, metavar="YYYY-MM-DD",
                    help="last day of the campaign (inclusive)")

    for q in (ab, co, da):
        q.add_argument("--json", action="store_true", help="print one JSON object")
        q.set_defaults(func=run)


def _pct(x) -> str:
    from analysis.formats import pct

    return pct(x, 1)


def render(est) -> str:
    """The readable report of one :class:`~analysis.estimation.estimates.Estimate`."""
    from analysis.estimation.designs import DESIGNS

    what = ("Excess share of likes in the campaign window, an UPPER BOUND on the closed-eyes "
            "share" if est.target != "s" else "Closed-eyes share")
    lines = [f"{what} ({DESIGNS.get(est.method, est.method)}): {_pct(est.estimate)}",
             f"  95% interval: {_pct(est.ci_low)} to {_pct(est.ci_high)}",
             f"  n = {est.n:,} {est.unit}"]
    x = est.extra
    if est.method == "ab":
        lines.append(f"  like rate with the pledge {_pct(x['p_with'])}, without {_pct(x['p_without'])}")
        checks = f"Fieller {_pct(x['fieller_ci_low'])} to {_pct(x['fieller_ci_high'])}"
        if "bootstrap_ci_low" in x:
            checks += f"; bootstrap {_pct(x['bootstrap_ci_low'])} to {_pct(x['bootstrap_ci_high'])}"
        lines.append(f"  cross-checks: {checks}")
    elif est.method == "ratio":
        lines.append(f"  engagements per exposure: organic {x['rate_organic']:.4g}, campaign "
                     f"{x['rate_campaign']:.4g} ({x['fans_organic']:,} organic and "
                     f"{x['fans_campaign']:,} campaign fans)")
    elif est.method.startswith("mixture"):
        lines.append(f"  never-engaging share: organic {_pct(x['pi_organic'])}, campaign "
                     f"{_pct(x['pi_campaign'])} ({x['fans_organic']:,} organic and "
                     f"{x['fans_campaign']:,} campaign fans)")
    elif est.method == "its":
        lines.append(f"  likes in the window {x['likes_in_window']:,.0f}, projected baseline "
                     f"{x['baseline_in_window']:,.1f} (from {x['pre_days']} days before it)")
    lines.append("\n".join(textwrap.wrap(f"Assumption: {est.assumption}.", 92,
                                         initial_indent="  ", subsequent_indent="    ")))
    return "\n".join(lines)


def run(args) -> int:
    import numpy as np

    from analysis.datasets.userdata import check_window, read_daily
    from analysis.estimation.estimators import (
        fan_counts_from_file,
        from_ab_test,
        from_cohorts,
        from_daily_likes,
    )
    from analysis.estimation.its import check_pre_days

    if args.design == "ab":
        if args.seed < 0:
            raise InputError(f"--seed must be a non-negative integer, got {args.seed}")
        est = from_ab_test(args.asked_with, args.liked_with, args.asked_without,
                           args.liked_without, rng=np.random.default_rng(args.seed))
    elif args.design == "cohorts":
        est = from_cohorts(fan_counts_from_file(args.file), method=args.method)
    else:
        daily = read_daily(args.file)
        start, end = check_window(daily, args.campaign_start, args.campaign_end,
                                  source=str(args.file))
        check_pre_days(daily["date"], start, source=str(args.file))
        est = from_daily_likes(daily, start, end)
    if args.json:
        print(json.dumps(est.as_dict(), ensure_ascii=False))
    else:
        print(render(est))
    return 0
