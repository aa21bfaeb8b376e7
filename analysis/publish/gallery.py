"""The chart gallery: one HTML page of every chart in a catalogue, with thumbnail, takeaway title,
alt text, source line and links to the PNG, SVG and CSV.

:func:`render_gallery` is pure (catalogue in, HTML out). ``analysis.publish.charts`` writes
``figures/gallery.html`` with it next to ``figures/README.md`` each time a chart is saved; the
book (``make html``) has its own gallery page, in the same order (:func:`chart_order`).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from analysis.publish import htmlpage
from analysis.publish.catalogue import PACK_NAMES
from analysis.publish.credits import KIT, LICENCE, source_line


def chart_order(catalogue: dict[str, dict[str, str]]) -> list[str]:
    """Charts grouped by notebook; within a notebook, chart-pack charts first, then by name."""
    pack = {name: i for i, name in enumerate(PACK_NAMES)}
    return sorted(catalogue, key=lambda n: (catalogue[n].get("notebook", ""),
                                            pack.get(n, len(pack)), n))


def render_gallery(
    catalogue: dict[str, dict[str, str]],
    *,
    files_url: str = "",
    thumb_url: Callable[[str], str] | None = None,
    notebook_url: Callable[[str], str | None] | None = None,
) -> str:
    """The gallery page for ``catalogue`` (name -> title, alt, source, notebook).

    files_url: prefix of the chart files' links ("" when the page sits beside them).
    thumb_url: name -> address of the thumbnail (default: the PNG itself).
    notebook_url: notebook stem -> link to that notebook, or None for no link.
    """
    def thumb(name: str) -> str:
        return thumb_url(name) if thumb_url else f"{files_url}{name}.png"

    cards_by_notebook: dict[str, list[str]] = {}
    for name in chart_order(catalogue):
        e = catalogue[name]
        nb = e.get("notebook", "")
        href = f"{files_url}{name}"
        nb_link = notebook_url(nb) if notebook_url else None
        made_by = (f'<a href="{escape(nb_link)}">{escape(nb)}</a>' if nb_link else escape(nb))
        badge = '<span class="badge">chart pack</span>' if name in PACK_NAMES else ""
        cards_by_notebook.setdefault(nb, []).append(
            f'<figure id="{escape(name)}">\n'
            f'<a href="{escape(href)}.png"><img src="{escape(thumb(name))}" '
            f'alt="{escape(e.get("alt", ""))}"></a>\n'
            f"<figcaption>{badge}{escape(e.get('title', name))}</figcaption>\n"
            f'<div class="alt"><strong>Alt text:</strong> {escape(e.get("alt", ""))}</div>\n'
            f'<div class="files">Download: <a href="{escape(href)}.png">PNG</a> · '
            f'<a href="{escape(href)}.svg">SVG</a> · <a href="{escape(href)}.csv">data (CSV)</a>'
            f" · made by notebook {made_by}</div>\n"
            f'<div class="small muted">{escape(source_line(e.get("source", ""), nb))}</div>\n'
            "</figure>"
        )
    sections = []
    for nb, cards in cards_by_notebook.items():
        sections.append(f'<h2>Notebook {escape(nb)}</h2>\n<div class="gallery">\n'
                        + "\n".join(cards) + "\n</div>")
    if not sections:
        sections.append('<p class="muted">No charts yet: run <code>make figures</code>.</p>')
    body = (
        "<h1>Chart gallery</h1>\n"
        f'<p>Every chart the {escape(KIT)} makes, with the numbers behind it. Charts marked '
        '<span class="badge">chart pack</span> are the ones made for writers. '
        f"Licence: {escape(LICENCE)}; please credit &ldquo;{escape(KIT)}&rdquo;. "
        "Each title is the chart's takeaway, computed from the run that drew it.</p>\n"
        + "\n".join(sections)
    )
    return htmlpage.page(f"Chart gallery · {KIT}", body,
                         footer=f"Charts: {escape(LICENCE)}, {escape(KIT)}.")
