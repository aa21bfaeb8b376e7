"""``python -m analysis roi``: the same budget spent on audience or on connection, with uncertainty.

Prints both strategies' median ROI with 90% intervals, P(connection beats audience), and the
charity's return apart from the brand's. Bad values get one line and exit code 2.
"""

from __future__ import annotations

import json

from analysis.errors import InputError

PARAM_FLAGS = {  # flag -> (ROI parameter, help)
    "--closed-eyes-share": ("closed_eyes_share", "share of likes given only for the charity, "
                                                 "0..1 (default: drawn from its prior)"),
    "--value-per-engagement": ("value_per_engagement", "GBP per engaged fan (default: prior)"),
    "--value-per-connection": ("value_per_connection", "GBP per tie per year (default: prior)"),
    "--price-per-like": ("price_per_like", "GBP per like at the target (default 2.50)"),
    "--cost-per-member": ("cost_per_member", "GBP to find and sign up one member (default: prior)"),
    "--cost-per-introduction": ("cost_per_introduction", "GBP per introduction (default: prior)"),
    "--cost-per-group": ("cost_per_group", "GBP per group over the horizon (default: prior)"),
}


# flag -> the RoiSettings field it sets (RoiSettings validates; errors name the flag)
SETTING_FLAGS = {"--budget": "budget", "--population": "population",
                 "--horizon-months": "horizon_months", "--law": "law",
                 "--graph-people": "graph_people", "--draws": "draws"}


def configure(p):
    from analysis.roi.settings import (
        DEFAULT_BUDGET,
        DEFAULT_DRAWS,
        DEFAULT_GRAPH_PEOPLE,
        DEFAULT_HORIZON_MONTHS,
        DEFAULT_POPULATION,
        LAW_CHOICES,
    )

    p.description = ("Spend the same budget on the like-for-charity audience or on connection "
                     "among people who share the purpose; Monte Carlo over the uncertain "
                     "parameters. Prints median ROI with 90%% intervals and "
                     "P(connection beats audience).")
    p.add_argument("--budget", type=float, default=DEFAULT_BUDGET,
                   help=f"GBP spent either way, the cheque (default {DEFAULT_BUDGET:,.0f})")
    p.add_argument("--population", type=int, default=DEFAULT_POPULATION,
                   help=f"people the brand can reach (default {DEFAULT_POPULATION:,})")
    p.add_argument("--horizon-months", type=float, default=DEFAULT_HORIZON_MONTHS,
                   help=f"months over which value is counted (default {DEFAULT_HORIZON_MONTHS:g})")
    for flag, (_, text) in PARAM_FLAGS.items():
        p.add_argument(flag, type=float, default=None, help=text)
    p.add_argument("--paid-reach", action="store_true",
                   help="audience pays to reach its fans (Mochon et al. 2017)")
    laws = ", ".join(repr(law) for law in LAW_CHOICES[1:])
    p.add_argument("--law", default=LAW_CHOICES[0],
                   help=f"connection value: {LAW_CHOICES[0]!r} (bottom-up model, default) or a "
                        f"value law extrapolating a pilot: {laws}")
    p.add_argument("--draws", type=int, default=DEFAULT_DRAWS,
                   help=f"Monte Carlo draws (default {DEFAULT_DRAWS})")
    p.add_argument("--graph-people", type=int, default=DEFAULT_GRAPH_PEOPLE,
                   help="people in the synthetic graph that measures connection "
                        f"(default {DEFAULT_GRAPH_PEOPLE})")
    p.add_argument("--seed", type=int, default=2010, help="random seed (default 2010)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def _flag_error(exc: InputError, flags: dict[str, str]) -> InputError:
    """The model's message, with the field it names replaced by the flag the user typed."""
    message = str(exc)
    for flag, name in flags.items():
        if message.startswith(f"{name} "):
            return InputError(flag + message[len(name):])
    return exc


def settings_from_args(args):
    """Validated RoiSettings from parsed flags (the model validates; errors name the flag)."""
    from analysis.engine.memory import check_memory, structure_bytes
    from analysis.roi.model import RoiSettings, check_draws, check_parameter

    if args.seed < 0:
        raise InputError(f"--seed must be a non-negative integer, got {args.seed}")
    try:
        check_draws(args.draws)
    except InputError as exc:
        raise _flag_error(exc, SETTING_FLAGS) from None
    fixed = {}
    for flag, (name, _) in PARAM_FLAGS.items():
        value = getattr(args, flag[2:].replace("-", "_"))
        if value is None:
            continue
        try:
            fixed[name] = check_parameter(name, value)
        except InputError as exc:
            raise _flag_error(exc, {flag: name}) from None
    try:
        settings = RoiSettings(budget=args.budget, population=args.population,
                               horizon_months=args.horizon_months, paid_reach=args.paid_reach,
                               law=args.law, graph_people=args.graph_people,
                               mean_degree=min(RoiSettings.mean_degree, args.graph_people - 1),
                               fixed=fixed)
    except InputError as exc:
        raise _flag_error(exc, SETTING_FLAGS) from None
    # Refused before any graph is drawn: the connection measures must fit the memory budget.
    check_memory(structure_bytes(settings.graph_people, settings.mean_degree),
                 f"--graph-people {settings.graph_people:,} (a graph at mean degree "
                 f"{settings.mean_degree:g} and its connection measures)", "lower --graph-people")
    return settings


def run(args) -> int:
    import numpy as np

    from analysis.formats import jsonable, pct
    from analysis.roi.model import monte_carlo, summarise

    settings = settings_from_args(args)
    rng = np.random.default_rng(args.seed)
    table = monte_carlo(settings, rng=rng, draws=args.draws)
    out = summarise(table, settings)
    out["seed"] = args.seed
    out["fixed"] = dict(settings.fixed)
    out = jsonable(out, digits=6)
    if args.json:
        print(json.dumps(out, indent=1, sort_keys=False))
        return 0
    a, c = out["audience"], out["connection"]

    def fmt(x):
        return pct(x, signed=True)

    print(f"Budget GBP {settings.budget:,.0f}, {out['draws']} draws, horizon "
          f"{settings.horizon_months:g} months, {out['variant']}, value law: {settings.law}")
    print(f"  audience   ROI median {fmt(a['roi_median'])}  "
          f"(90% interval {fmt(a['roi_90_low'])} to {fmt(a['roi_90_high'])})")
    print(f"  connection ROI median {fmt(c['roi_median'])}  "
          f"(90% interval {fmt(c['roi_90_low'])} to {fmt(c['roi_90_high'])})")
    print(f"  P(connection beats audience) = {out['p_connection_beats_audience']:.2f}")
    print(f"  charity receives GBP {out['charity']['audience_gbp_if_target_reached']:,.0f} with "
          f"the audience campaign (if the target is reached), GBP 0 with connection")
    return 0
