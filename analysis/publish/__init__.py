"""Publishing: house style, charts and their catalogue, the chart pack, gallery, notebook runner, the book.

Top room: may import every room below it; nothing below imports it. Inside it the arrows run
one way: ``credits`` (kit, licence, source line) <- ``catalogue`` (catalogue.json, the chart
pack) <- ``gallery`` (HTML) <- ``charts`` (``save_chart``) <- ``chartpack`` (the publish check).
A new chart is drawn by a function here (or in a notebook) and saved with ``save_chart``.
"""

from analysis.exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "KIT": "credits", "LICENCE": "credits", "source_line": "credits",
    "CHART_PACK": "catalogue", "PACK_NAMES": "catalogue", "read_catalogue": "catalogue",
    "save_chart": "charts", "use_house_style": "charts", "COLOURS": "charts",
    "PALETTE": "charts",
    "check_pack": "chartpack", "render_gallery": "gallery", "execute": "run_notebooks",
})
