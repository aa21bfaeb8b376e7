"""``python -m analysis chartpack [FIGURES_DIR]``: is every chart of the pack fit to publish?"""

from __future__ import annotations

from pathlib import Path


def configure(p):
    p.description = ("Check every chart of the chart pack whose notebook exists: PNG + SVG + "
                     "CSV, a takeaway title with a number, alt text, the source line and the "
                     "licence. Exit code 1 when one is missing or incomplete.")
    p.add_argument("figures", nargs="?", type=Path, metavar="FIGURES_DIR",
                   help="folder of the charts (default figures/ or LIKEKIT_FIGURES_DIR)")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.publish.chartpack import report

    return report(args.figures)
