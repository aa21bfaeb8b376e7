"""`python -m analysis roi`: placeholder until its issue lands."""

from analysis.errors import InputError


def register(subparsers):
    p = subparsers.add_parser("roi", help="(not built yet)")
    p.set_defaults(func=run)


def run(args):
    raise InputError("'roi' is not built yet")
