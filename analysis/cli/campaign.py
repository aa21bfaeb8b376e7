"""`python -m analysis campaign`: placeholder until its issue lands."""

from analysis.errors import InputError


def register(subparsers):
    p = subparsers.add_parser("campaign", help="(not built yet)")
    p.set_defaults(func=run)


def run(args):
    raise InputError("'campaign' is not built yet")
