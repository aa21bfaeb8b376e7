"""The chart pack: the charts a columnist would lift from the kit, and a check that each is fit
to publish (PNG + SVG + CSV, a takeaway title with numbers, alt text, a source line naming the
kit and the notebook, and the licence).

``python -m analysis chartpack [FIGURES_DIR]`` prints the state of the pack (:func:`report`) and
exits 1 when a chart whose notebook exists is missing or incomplete.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from analysis import paths
from analysis.publish import charts
from analysis.publish.catalogue import CHART_PACK, PackChart, read_catalogue
from analysis.publish.credits import KIT, LICENCE


def svg_text(svg: str) -> str:
    """All the visible text of a matplotlib SVG (saved with ``svg.fonttype: none``), one string."""
    parts = re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    return " ".join(" ".join(unescape(re.sub(r"<[^>]+>", "", p)).split()) for p in parts)


def check_chart(figures: Path, chart: PackChart, catalogue: dict | None = None) -> list[str]:
    """What keeps ``chart`` in folder ``figures`` from being published (empty when nothing)."""
    figures = Path(figures)
    catalogue = read_catalogue(figures) if catalogue is None else catalogue
    problems = []
    files = {ext: figures / f"{chart.name}.{ext}" for ext in ("png", "svg", "csv")}
    missing = [ext for ext, p in files.items() if not p.exists() or p.stat().st_size == 0]
    if missing:
        problems.append(f"missing or empty file(s): {', '.join(chart.name + '.' + e for e in missing)}")
    entry = catalogue.get(chart.name)
    if entry is None:
        problems.append("no entry in catalogue.json")
    else:
        title = entry.get("title", "")
        if len(title.split()) < 5:
            problems.append(f"title is a label, not a takeaway sentence: {title!r}")
        if not re.search(r"\d", title):
            problems.append(f"title states no number: {title!r}")
        if len(entry.get("alt", "").split()) < 10:
            problems.append(f"alt text too short to describe the chart: {entry.get('alt', '')!r}")
        if not str(entry.get("notebook", "")).startswith(chart.number + "-"):
            problems.append(f"made by notebook {entry.get('notebook')!r}, expected {chart.notebook!r}")
        if not entry.get("source"):
            problems.append("no source")
    if "png" not in missing and charts.png_width(files["png"]) < charts.MIN_PNG_WIDTH_PX:
        problems.append(f"PNG narrower than {charts.MIN_PNG_WIDTH_PX} px")
    if "svg" not in missing:
        svg = files["svg"].read_text(encoding="utf-8")
        if "<title" not in svg or "<desc" not in svg:
            problems.append("SVG has no <title>/<desc> for screen readers")
        text = svg_text(svg)
        if LICENCE not in text:
            problems.append(f"no licence line ({LICENCE}) drawn on the chart")
        made_by = entry.get("notebook", chart.notebook) if entry else chart.notebook
        if KIT not in text or f"notebook {made_by}" not in text:
            problems.append("source line does not name the kit and the notebook")
    if "csv" not in missing:
        lines = files["csv"].read_text(encoding="utf-8").splitlines()
        if len(lines) < 2:
            problems.append("CSV holds no data rows")
    return problems


def present_numbers(notebooks: list[str] | None = None) -> set[str]:
    """Two-digit numbers of the notebooks that exist (``notebooks``: stems; default: ``notebooks/``)."""
    if notebooks is None:
        notebooks = [p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")]
    return {n[:2] for n in notebooks}


def check_pack(figures: Path, notebooks: list[str] | None = None) -> dict[str, list[str]]:
    """Problems of each pack chart in ``figures`` whose notebook exists (``notebooks``: stems; by
    default the numbered notebooks in ``notebooks/``). Charts of notebooks not yet written are left out.
    """
    numbers = present_numbers(notebooks)
    catalogue = read_catalogue(figures)
    return {c.name: check_chart(figures, c, catalogue) for c in CHART_PACK if c.number in numbers}


def report(figures: Path | None = None, *, out=print) -> int:
    """Print one line per pack chart (and its problems) for ``figures``; 1 if any fails, else 0."""
    figures = Path(figures) if figures is not None else paths.figures_dir()
    result = check_pack(figures)
    bad = 0
    for chart in CHART_PACK:
        if chart.name not in result:
            out(f"  waiting  {chart.name:28s} (notebook {chart.notebook} not written yet)")
            continue
        problems = result[chart.name]
        bad += bool(problems)
        out(f"  {'ok' if not problems else 'FAIL':7s}  {chart.name:28s} {chart.shows}")
        for p in problems:
            out(f"           - {p}")
    return 1 if bad else 0
