"""The kit's command line: ``python -m analysis <command> ...``, the one entry point.

Each command lives in a module of this package with ``configure(parser)`` (adds its flags and
``set_defaults(func=run)``) and ``run(args)`` (does the work, returns an exit code). Start-up is
fast because only the chosen command's module is configured, and each imports the heavy rooms
(pandas, scipy, statsmodels, matplotlib) inside ``configure``/``run``: the one place in the kit
where late imports are allowed. Bad input anywhere raises :class:`analysis.errors.InputError`
(or ValueError); ``main`` prints it as one line on stderr and returns exit code 2, with no
traceback and nothing written.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from analysis.errors import InputError

# command -> (module in this package, one line of help); the order of `--help`
COMMANDS: dict[str, tuple[str, str]] = {
    "campaign": ("campaign", "simulate one like-for-charity campaign"),
    "estimate": ("estimate", "estimate the closed-eyes share from your own data"),
    "roi": ("roi", "compare the ROI of audience and connection for one budget"),
    "data": ("data", "fetch and verify the real data sets; status; calibration table"),
    "scenario": ("scenario", "the campaign's parameters with their ranges and sources "
                             "(writes data/scenario_parameters.csv)"),
    "recovery": ("recovery", "the recovery study: which estimator to trust when "
                             "(writes data/recovery.csv)"),
    "notebooks": ("notebooks", "run notebooks in order from a fresh kernel into build/notebooks/"),
    "chartpack": ("chartpack", "check that the chart pack is complete and fit to publish"),
    "bench": ("bench", "speed and memory benchmark of the campaign engine"),
    "bench-estimators": ("bench_estimators", "time the closed-eyes estimators on 10^6 fans"),
    "bench-cli": ("bench_cli", "time the command line's start-up (--help, bad flags)"),
}
EXIT_BAD_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (raised, then printed by ``main``)."""

    def error(self, message: str):  # noqa: D401 - argparse API
        raise InputError(f"{self.prog}: {message} (see --help)")


def _chosen(argv: list[str]) -> str | None:
    """The command named in ``argv`` (the first word that is not a flag), if any."""
    return next((a for a in argv if not a.startswith("-")), None)


def build_parser(argv: list[str] | None = None, *, every: bool = False) -> argparse.ArgumentParser:
    """The parser, with the flags of the command ``argv`` names (of every command if ``every``)."""
    parser = OneLineParser(
        prog="python -m analysis",
        description="The like-for-charity research kit: simulate, estimate, compare.",
    )
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=OneLineParser, required=True
    )
    chosen = _chosen(sys.argv[1:] if argv is None else argv)
    for name, (module, text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=text, description=text)
        if every or name == chosen:
            importlib.import_module(f"analysis.cli.{module}").configure(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser(argv)
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
