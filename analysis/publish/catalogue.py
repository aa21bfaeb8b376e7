"""The catalogue of charts: ``figures/catalogue.json``, its Markdown view, and the chart pack.

``catalogue.json`` maps each chart's name to its takeaway title, alt text, source and notebook;
:func:`record` adds or replaces one entry (the chart helper calls it on every save) and
:func:`read_catalogue` reads it back. :func:`render_catalogue` is the Markdown view
(``figures/README.md``). :data:`CHART_PACK` names the charts made for writers, in the order of
the story. Standard library only: reading the catalogue pulls in neither matplotlib nor HTML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from analysis.publish.credits import KIT, LICENCE, source_line

FILE_NAME = "catalogue.json"


@dataclass(frozen=True)
class PackChart:
    """One chart of the pack: its file name, the notebook that makes it, what it must show."""

    name: str
    notebook: str
    shows: str

    @property
    def number(self) -> str:
        """The notebook's two-digit number: charts are matched to notebooks by it."""
        return self.notebook[:2]


CHART_PACK: tuple[PackChart, ...] = (
    PackChart("cost-per-open-eyed-like", "00-start-here",
              "what GBP 2.50 a like really buys once closed-eyes likes are taken out"),
    PackChart("likes-over-days", "01-campaign", "likes against the target over the days"),
    PackChart("p-target-reached", "01-campaign", "the chance that the page reaches its target"),
    PackChart("closed-eyes-estimates", "02-estimating-closed-eyes",
              "the four estimates of the closed-eyes share against the truth"),
    PackChart("roi-audience-vs-connection", "03-audience-vs-connection",
              "the return of audience against the return of connection"),
    PackChart("break-even-map", "03-audience-vs-connection",
              "where connection starts to pay better than audience"),
    PackChart("broadcast-vs-network", "03-audience-vs-connection",
              "the broadcast picture against the network picture"),
    PackChart("jump-at-the-target", "04-the-target-people-can-see",
              "real and simulated campaigns finishing just above against just below the target"),
    PackChart("design-map", "04-the-target-people-can-see",
              "which target and cheque per like serve the brand and the charity"),
    PackChart("design-pareto-front", "04-the-target-people-can-see",
              "the trade-off between the brand's and the charity's goals"),
)
PACK_NAMES = tuple(c.name for c in CHART_PACK)


def read_catalogue(figures: Path) -> dict[str, dict[str, str]]:
    """The catalogue (``catalogue.json``) of the charts in ``figures``; empty when there is none."""
    path = Path(figures) / FILE_NAME
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def record(figures: Path, name: str, **entry: str) -> dict[str, dict[str, str]]:
    """Add (or replace) chart ``name`` in ``figures/catalogue.json``; return the whole catalogue.

    The entries are kept sorted by name, so the file does not depend on the order of saves.
    """
    catalogue = read_catalogue(figures)
    catalogue[name] = entry
    catalogue = dict(sorted(catalogue.items()))
    (Path(figures) / FILE_NAME).write_text(json.dumps(catalogue, indent=1, ensure_ascii=False)
                                           + "\n", encoding="utf-8")
    return catalogue


def render_catalogue(catalogue: dict[str, dict[str, str]]) -> str:
    """The Markdown catalogue of charts: thumbnail, takeaway title, alt text, data and source."""
    lines = [
        "# Chart catalogue",
        "",
        "Every chart the kit makes, written by `analysis.publish.charts.save_chart` (do not edit by hand:",
        "`make figures` rewrites this file). Each chart comes as PNG, SVG and the CSV of the",
        f"numbers behind it. Licence: {LICENCE}; please credit \"{KIT}\".",
        "The same catalogue as a web page: [gallery.html](gallery.html) (and a page of the book that",
        "`make html` builds).",
        "",
    ]
    pack = [c for c in CHART_PACK if c.name in catalogue]
    if pack:
        lines += ["## The chart pack", "",
                  "The charts made for writers, in the order of the story:", ""]
        lines += [f"- [{c.name}](#{c.name}) ({c.shows}): {catalogue[c.name]['title']}"
                  for c in pack]
        lines.append("")
    for name, e in catalogue.items():
        lines += [
            f"## {name}",
            "",
            f"[![{e['alt']}]({name}.png)]({name}.png)",
            "",
            f"**{e['title']}**",
            "",
            f"- Alt text: {e['alt']}",
            f"- Files: [PNG]({name}.png) · [SVG]({name}.svg) · [data (CSV)]({name}.csv)",
            f"- Made by: notebook `{e['notebook']}`",
            f"- {source_line(e['source'], e['notebook'])}",
            "",
        ]
    return "\n".join(lines)
