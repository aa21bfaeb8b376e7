"""`python -m analysis estimate`: placeholder until its issue lands."""

from analysis.errors import InputError


def register(subparsers):
    p = subparsers.add_parser("estimate", help="(not built yet)")
    p.set_defaults(func=run)


def run(args):
    raise InputError("'estimate' is not built yet")
