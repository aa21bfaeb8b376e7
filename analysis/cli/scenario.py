"""``python -m analysis scenario``: write the campaign's parameter table (defaults, valid and
plausible ranges, units, sources) from :class:`analysis.engine.scenario.Scenario`."""

from __future__ import annotations


def configure(p):
    p.description = ("Write every campaign parameter with its default, valid and plausible "
                     "ranges, unit and source (from analysis/engine/scenario.py) to "
                     "data/scenario_parameters.csv, or to --out.")
    p.add_argument("--out", metavar="FILE", help="write here instead of "
                   "data/scenario_parameters.csv")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.engine.parameters import PARAMETER_TABLE, write_parameter_table

    target = args.out or PARAMETER_TABLE
    write_parameter_table(target)
    print(f"wrote {target}")
    return 0
