"""The credit every chart carries: the kit's name, the charts' licence and the source line.

A leaf of :mod:`analysis.publish` (standard library only): the chart helper, the catalogue, the
chart-pack check and the gallery all read these, so the credit is written once.
"""

from __future__ import annotations

KIT = "like-for-charity research kit"
LICENCE = "CC BY 4.0"


def source_line(source: str, notebook: str) -> str:
    """The line printed under every chart: data source, kit, notebook and licence."""
    return f"Source: {source}. Chart: {KIT}, notebook {notebook}. {LICENCE}."
