"""``python -m analysis campaign``: run one like-for-charity scenario and summarise it."""

from __future__ import annotations

import json
import sys

from analysis.errors import InputError

FLAGS = {  # flag -> (scenario field, type, help)
    "--population": ("population", int, "people in the network"),
    "--mean-degree": ("mean_degree", float, "friends per person on average"),
    "--homophily": ("homophily", float, "0 = random circles, 1 = circles by brand affinity"),
    "--seeds": ("seeds", int, "people the agency emails on day 0"),
    "--target": ("target", int, "likes needed for the cheque"),
    "--cheque": ("cheque", float, "GBP promised to the charity"),
    "--days": ("days", int, "days until the deadline"),
    "--bots-per-day": ("bot_likes_per_day", float, "fake likes bought per day"),
}


def configure(p):
    from analysis.engine.scenario import PROGRESS, Scenario

    p.description = ("Simulate the like-for-charity campaign (both worlds, with and without the "
                     "pledge) and print the brand's and the charity's view.")
    for flag, (name, kind, text) in FLAGS.items():
        default = Scenario.__dataclass_fields__[name].default
        shown = "price per like x target" if default is None else f"{default:g}"
        p.add_argument(flag, type=kind, default=None, help=f"{text} (default {shown})")
    graph = p.add_mutually_exclusive_group()
    graph.add_argument("--edges", metavar="FILE", default=None,
                       help="your own friendship graph: a text file of ties 'u v', one a line "
                            "(population = its people)")
    graph.add_argument("--snap", action="store_true",
                       help="the real SNAP ego-Facebook graph (fetch it first: make data)")
    p.add_argument("--no-pledge", action="store_true", help="run without the charity pledge")
    p.add_argument("--progress", choices=PROGRESS, default=None,
                   help="visible: people see the count, the target and the deadline (default); "
                        "hidden: nobody sees how close the page is (the model before issue 10)")
    p.add_argument("--seed", type=int, default=2010, help="random seed (default 2010)")
    p.add_argument("--replicates", type=int, default=1, help="independent replicates (default 1)")
    p.add_argument("--jobs", type=int, default=1,
                   help="processes for replicates (default 1; at most one per core)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def scenario_from_args(args):
    from analysis.engine.scenario import Scenario

    changes = {name: getattr(args, flag[2:].replace("-", "_"))
               for flag, (name, _, _) in FLAGS.items()}
    changes = {k: v for k, v in changes.items() if v is not None}
    if args.no_pledge:
        changes["pledge"] = False
    if args.progress is not None:
        changes["progress"] = args.progress
    try:
        return Scenario(**changes)
    except InputError as exc:
        raise InputError(in_flag_words(str(exc), changes)) from None


def _flag_of(field: str) -> str | None:
    return next((flag for flag, (name, _, _) in FLAGS.items() if name == field), None)


def in_flag_words(message: str, given: dict) -> str:
    """A scenario's message in the words the user typed: flags, not field names, and a value
    the user did not give named as the flag's default (e.g. ``--seeds`` (default 300))."""
    import re

    from analysis.engine.scenario import Scenario

    def word(match):
        field = match.group(0)
        flag = _flag_of(field)
        if flag is None:
            return field
        if field in given:
            return flag
        return f"{flag} (default {Scenario.__dataclass_fields__[field].default:g})"

    fields = sorted((name for name, _, _ in FLAGS.values()), key=len, reverse=True)
    return re.sub(r"\b(" + "|".join(fields) + r")\b", word, message, count=2)


def _graph_from_args(args):
    """The graph the user asked for (None: a synthetic graph per run)."""
    if args.edges is None and not args.snap:
        return None
    if args.population is not None:
        raise InputError("--population comes from the graph with --edges or --snap; drop it")
    if args.snap:
        from analysis.datasets import loaders
        from analysis.engine.graphs import Graph

        return Graph.from_scipy(loaders.load_snap_csr())  # verified now, or one line
    from analysis.engine.graphs import read_edge_list

    return read_edge_list(args.edges)


def _check_memory(scenario, graph, *, processes: int) -> None:
    """Refuse at once, in flag words, a run that would not fit the memory budget."""
    from analysis.engine.memory import campaign_bytes, check_memory

    bots = scenario.bot_likes_per_day * scenario.days
    if graph is None:
        need = campaign_bytes(scenario.population, scenario.mean_degree, bot_likes=bots)
        what = (f"--population {scenario.population:,} at --mean-degree "
                f"{scenario.mean_degree:g}")
        advice = "lower --population or --mean-degree"
    else:
        need = campaign_bytes(scenario.population, 0.0, bot_likes=bots)
        what, advice = f"a campaign on a graph of {scenario.population:,} people", "use fewer"
    if bots:
        what += f" with --bots-per-day {scenario.bot_likes_per_day:g} over {scenario.days} days"
        advice += " or --bots-per-day (each bot like is a row of the fans table)"
    if processes > 1:
        need *= processes
        what += f" in {processes} processes (--jobs)"
        advice += " or --jobs"
    check_memory(need, what, advice)


def _clean(value):
    """A value as the campaign's JSON holds it: floats rounded to 6 digits, NaN as null."""
    from analysis.formats import jsonable

    return jsonable(value, digits=6)


def jobs_from_args(jobs: int) -> int:
    """``--jobs`` checked and capped at the machine's cores (saying so in one line)."""
    from analysis.engine.parallel import cap_workers

    if jobs == 0 or jobs < -1:
        raise InputError(f"--jobs must be at least 1 (or -1 for every core), got {jobs}")
    n, capped = cap_workers(jobs)
    if capped:
        print(f"note: --jobs {jobs} is more than the {n} core(s) here; using {n}",
              file=sys.stderr)
    return n


def run(args) -> int:
    if args.seed < 0:
        raise InputError(f"--seed must be a non-negative integer, got {args.seed}")
    from analysis.engine.montecarlo import MAX_REPLICATES

    if not 1 <= args.replicates <= MAX_REPLICATES:
        raise InputError(f"--replicates must be in [1, {MAX_REPLICATES:,}] (each replicate is a "
                         f"row held in memory), got {args.replicates:,}")
    jobs = jobs_from_args(args.jobs)
    graph = _graph_from_args(args)
    scenario = scenario_from_args(args)
    if graph is not None:
        scenario = scenario.replace(population=graph.n, seeds=min(scenario.seeds, graph.n),
                                    mean_degree=min(scenario.mean_degree, max(graph.n - 1, 1)))
    _check_memory(scenario, graph, processes=min(jobs, args.replicates))
    if args.replicates == 1:
        import numpy as np

        from analysis.engine.campaign import run_campaign

        result = run_campaign(scenario, rng=np.random.default_rng(args.seed), graph=graph)
        out = {k: _clean(v) for k, v in result.summary().items()}
        out["seed"] = args.seed
    else:
        from analysis.engine.montecarlo import replicates, summarise

        table = replicates(scenario, args.replicates, seed=args.seed, n_jobs=jobs,
                           progress=not args.json, graph=graph)
        first = table.iloc[0].to_dict()
        agg = summarise(table).iloc[0].to_dict()
        out = {k: _clean(first[k])
               for k in ("population", "days", "pledge", "progress", "target", "cheque")}
        paid = table.loc[table["target_reached"], "cost_per_like"].astype(float)
        open_paid = table.loc[table["target_reached"], "cost_per_open_eyed_like"].astype(float)
        out.update({
            "seed": args.seed,
            "replicates": args.replicates,
            "p_target_reached": _clean(agg["p_target_reached"]),
            "p_target_reached_ci95": [_clean(agg["p_low"]), _clean(agg["p_high"])],
            "likes": _clean(table["likes"].mean()),
            "likes_p05_p95": [_clean(table["likes"].quantile(0.05)),
                              _clean(table["likes"].quantile(0.95))],
            "target_reached": _clean(agg["p_target_reached"] >= 0.5),
            "cheque_paid": _clean(table["cheque_paid"].mean()),
            "cost_per_like": _clean(paid.mean()) if len(paid) else None,
            "closed_eyes_share": _clean(table["closed_eyes_share"].astype(float).mean()),
            "cost_per_open_eyed_like": _clean(open_paid.mean()) if len(open_paid) else None,
            "charity_receives": _clean(table["charity_receives"].mean()),
            "likes_without_pledge": _clean(table["likes_without_pledge"].mean()),
            "likes_per_run": [int(x) for x in table["likes"]],
            "jump_ratio": _jump(table["likes"] / scenario.target),
            "note": "likes, shares and money are means over replicates; "
                    "costs are means over replicates that reached the target; likes_per_run "
                    "in replicate order; jump_ratio = runs finishing in [1.0, 1.1) of the "
                    "target / runs in [0.9, 1.0), with its exact 95% interval (null: infinite "
                    "or undefined)",
        })
    if args.json:
        print(json.dumps(out, sort_keys=False))
    else:
        print(_readable(out))
    return 0


def _jump(ratios) -> dict:
    """The jump statistic over the runs, as JSON can hold it."""
    from analysis.estimation.jump import jump_ratio

    j = jump_ratio(ratios)
    return {"ratio": _clean(j.ratio), "ci95": [_clean(j.low), _clean(j.high)],
            "runs_above": j.above, "runs_below": j.below}


def _readable(o: dict) -> str:
    from analysis.formats import gbp, pct

    share = o.get("closed_eyes_share")
    lines = [
        f"Like-for-charity campaign: {o['population']:,} people, {o['days']} days, "
        f"target {o['target']:,} likes, cheque {gbp(o['cheque'], missing='-')}"
        + ("" if o["pledge"] else " (no pledge)") + f", progress {o['progress']}",
    ]
    if "replicates" in o:
        lo, hi = o["p_target_reached_ci95"]
        lines.append(f"  replicates            {o['replicates']} (seed {o['seed']})")
        lines.append(f"  P(target reached)     {pct(o['p_target_reached'])} (95% CI {pct(lo)}-{pct(hi)})")
        lines.append(f"  likes (mean)          {o['likes']:,.0f} "
                     f"(90% of runs {o['likes_p05_p95'][0]:,.0f}-{o['likes_p05_p95'][1]:,.0f})")
        j = o["jump_ratio"]
        lines.append(f"  jump at the target    {j['runs_above']} runs in [1.0, 1.1) of it, "
                     f"{j['runs_below']} in [0.9, 1.0)"
                     + (f": ratio {j['ratio']:.2f}" if j["ratio"] is not None else ""))
    else:
        lines.append(f"  likes                 {o['likes']:,} "
                     f"({o['open_eyed_likes']:,} open-eyed, {o['closed_eyed_likes']:,} closed-eyed, "
                     f"{o['bot_likes']:,} bots)")
        lines.append(f"  target reached        {'yes' if o['target_reached'] else 'no'}")
    lines += [
        f"  closed-eyes share     {pct(share, missing='-')}",
        f"  without the pledge    {o['likes_without_pledge']:,.0f} likes",
        "Brand's view",
        f"  cheque paid           {gbp(o['cheque_paid'], missing='-')}",
        f"  cost per like         {gbp(o['cost_per_like'], missing='-')}",
        f"  cost per open-eyed    {gbp(o['cost_per_open_eyed_like'], missing='-')}",
        "Charity's view",
        f"  receives              {gbp(o['charity_receives'], missing='-')}",
    ]
    return "\n".join(lines)
