"""`python -m analysis data`: placeholder until its issue lands."""

from analysis.errors import InputError


def register(subparsers):
    p = subparsers.add_parser("data", help="(not built yet)")
    p.set_defaults(func=run)


def run(args):
    raise InputError("'data' is not built yet")
