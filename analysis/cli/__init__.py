"""The kit's command line: ``python -m analysis <command> ...``.

Each sub-command lives in its own module in this package with two functions:
``register(subparsers)`` adds its parser (and ``set_defaults(func=run)``) and ``run(args)``
does the work and returns an exit code. Bad input anywhere raises
:class:`analysis.errors.InputError` (or ValueError); ``main`` prints it as one line on stderr
and returns exit code 2, with no traceback and nothing written.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from analysis.errors import InputError

SUBCOMMANDS = ("campaign", "data", "estimate", "roi")
EXIT_BAD_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (raised, then printed by ``main``)."""

    def error(self, message: str):  # noqa: D401 - argparse API
        raise InputError(f"{self.prog}: {message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m analysis",
        description="The like-for-charity research kit: simulate, estimate, compare.",
    )
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=OneLineParser, required=True
    )
    for name in SUBCOMMANDS:
        importlib.import_module(f"analysis.cli.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except (InputError, ValueError) as exc:
        message = " ".join(str(exc).split())  # one line, whatever the message held
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # a file or folder the system refused: still one line, exit 2
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or type(exc).__name__}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
