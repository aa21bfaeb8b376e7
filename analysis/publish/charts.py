"""One house style and one function that saves every chart the kit makes.

``save_chart`` writes ``<name>.png`` (at least 1200 px wide), ``<name>.svg`` and ``<name>.csv``
(the numbers behind the chart) into :func:`analysis.paths.figures_dir`, and records the chart in
the catalogue (``catalogue.json``, ``README.md`` and ``gallery.html`` in the same folder). Every
chart needs a takeaway title (a sentence, not a label), alt text and a source line. With the same
data, two runs write byte-identical SVG and CSV files, on any machine: the CSV holds floats at
:data:`analysis.formats.CSV_SIGNIFICANT` significant digits and the SVG's coordinates are rounded
to 0.01 pt, below the noise an optimiser or a maths library adds in its last digits.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter, NullFormatter

from analysis import paths
from analysis.errors import InputError
from analysis.formats import csv_text, round_svg_numbers
from analysis.publish import catalogue as cat
from analysis.publish.credits import KIT, source_line
from analysis.publish.gallery import render_gallery

STYLE_FILE = Path(__file__).with_name("house.mplstyle")
MIN_PNG_WIDTH_PX = 1200
PNG_DPI = 220
# Okabe & Ito (2008) colour-blind-safe palette, with the kit's meanings.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}
COLOURS = {
    "open_eyed": PALETTE["blue"],
    "closed_eyed": PALETTE["vermillion"],
    "bot": PALETTE["grey"],
    "audience": PALETTE["orange"],
    "connection": PALETTE["green"],
    "target": PALETTE["black"],
    "truth": PALETTE["black"],
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Deterministic SVG output: fixed hash salt for ids, no creation date.
_SVG_RC = {"svg.hashsalt": "likekit", "svg.fonttype": "none"}


def use_house_style() -> None:
    """Apply the kit's matplotlib style (call it in a notebook; importing changes nothing)."""
    plt.style.use(STYLE_FILE)


def _check_text(field: str, value: str, min_words: int) -> str:
    text = " ".join(str(value or "").split())
    if len(text.split()) < min_words:
        raise InputError(f"save_chart: {field} must be at least {min_words} words, got {value!r}")
    return text


def save_chart(
    fig: matplotlib.figure.Figure,
    name: str,
    *,
    title: str,
    alt: str,
    source: str,
    data: pd.DataFrame,
    notebook: str,
    out_dir: Path | None = None,
) -> dict[str, Path]:
    """Save ``fig`` as PNG, SVG and CSV under ``name`` and record it in the catalogue.

    title: the takeaway, a sentence (at least 4 words), drawn above the chart.
    alt: alt text describing what the chart shows, for screen readers and the catalogue.
    source: where the numbers come from (simulation settings or a data set and its citation).
    data: the tidy table behind the chart, written as ``<name>.csv``.
    notebook: the notebook that makes the chart, e.g. ``"01-campaign"``.
    Returns the paths written.
    """
    if not _NAME.match(name):
        raise InputError(f"save_chart: name must be lower-case letters, digits and dashes, got {name!r}")
    title = _check_text("title", title, 4)
    alt = _check_text("alt", alt, 6)
    source = _check_text("source", source, 2)
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise InputError(f"save_chart: data for {name!r} must be a non-empty DataFrame")
    out = Path(out_dir) if out_dir is not None else paths.figures_dir()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"save_chart: cannot make the figures folder {out} "
                         f"({exc.strerror or type(exc).__name__})") from None

    fig.suptitle("\n".join(textwrap.wrap(title, 62)), x=0.01, ha="left", fontsize=13,
                 fontweight="bold")
    credit = "\n".join(textwrap.wrap(source_line(source, notebook), 105, break_on_hyphens=False))
    fig.text(0.01, -0.01, credit, ha="left", va="top", fontsize=7.5, color="#555555")

    written = {
        "png": out / f"{name}.png",
        "svg": out / f"{name}.svg",
        "csv": out / f"{name}.csv",
    }
    with matplotlib.rc_context(_SVG_RC):
        fig.savefig(written["png"], dpi=PNG_DPI, bbox_inches="tight",
                    metadata={"Title": title, "Description": alt, "Software": None})
        fig.savefig(written["svg"], bbox_inches="tight",
                    metadata={"Title": title, "Description": alt, "Date": None,
                              "Creator": KIT})
    _add_svg_alt(written["svg"], title, alt)
    # the same bytes on any machine: coordinates to 0.01 pt, the data at a stated precision
    svg = written["svg"].read_text(encoding="utf-8")
    written["svg"].write_text(round_svg_numbers(svg), encoding="utf-8", newline="\n")
    written["csv"].write_text(csv_text(data), encoding="utf-8", newline="\n")
    _update_catalogue(out, name, title=title, alt=alt, source=source, notebook=notebook)
    show_alt_text_in_notebook(fig, alt)
    return written


def show_alt_text_in_notebook(fig: matplotlib.figure.Figure, alt: str) -> None:
    """In a Jupyter kernel, make the PNG that shows ``fig`` in the notebook carry ``alt`` in its
    output metadata (``{"image/png": {"alt": ...}}``), so that the book (``make html``) gives the
    image on the page the chart's alt text rather than none.

    The figure keeps its alt text as an attribute; IPython's PNG formatter for figures is wrapped
    once per kernel to add it. Outside IPython (scripts, tests) this only sets the attribute.
    """
    import sys

    fig._likekit_alt = alt
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    png = shell.display_formatter.formatters["image/png"]
    try:
        inner = png.lookup_by_type(matplotlib.figure.Figure)
    except KeyError:
        return
    if getattr(inner, "_likekit_alt", False):
        return

    def png_with_alt(figure, _inner=inner):
        data = _inner(figure)
        text = getattr(figure, "_likekit_alt", None)
        if data is None or text is None:
            return data
        data, md = data if isinstance(data, tuple) else (data, None)
        return data, {**(md or {}), "alt": text}

    png_with_alt._likekit_alt = True
    png.for_type(matplotlib.figure.Figure, png_with_alt)


def _add_svg_alt(svg_path: Path, title: str, alt: str) -> None:
    """Make the SVG accessible: role="img", a <title> and a <desc> right after the root tag."""
    text = svg_path.read_text(encoding="utf-8")
    start = text.index("<svg")
    end = text.index(">", start)
    head = text[start:end]
    if "role=" not in head:
        head += ' role="img" aria-labelledby="chart-title chart-desc"'
    inner = (f'\n <title id="chart-title">{escape(title)}</title>'
             f'\n <desc id="chart-desc">{escape(alt)}</desc>')
    text = text[:start] + head + ">" + inner + text[end + 1:]
    svg_path.write_text(text, encoding="utf-8")


def png_width(path: Path) -> int:
    """Width in pixels of a PNG file (read from its header)."""
    with open(path, "rb") as fh:
        header = fh.read(24)
    return int.from_bytes(header[16:20], "big")


def _update_catalogue(out: Path, name: str, **entry: str) -> None:
    """Record the chart in ``catalogue.json`` and rewrite its two views, README.md and gallery.html."""
    catalogue = cat.record(out, name, **entry)
    (out / "README.md").write_text(cat.render_catalogue(catalogue), encoding="utf-8")
    gallery = render_gallery(catalogue, notebook_url=lambda nb: f"../notebooks/{nb}.ipynb")
    (out / "gallery.html").write_text(gallery, encoding="utf-8")


# --- tick labels a reader expects (plain numbers, not 10^x; "£" and "%") ---------------------
def plain_ticks(axis, fmt="{:,.0f}") -> None:
    """Label ``axis`` (e.g. ``ax.xaxis``) with plain numbers, also on a log scale (no 10^x).

    fmt: a format string, or a function of the tick value returning its label.
    """
    label = fmt if callable(fmt) else fmt.format
    axis.set_major_formatter(FuncFormatter(lambda x, _: label(x)))
    axis.set_minor_formatter(NullFormatter())


def gbp_ticks(axis, decimals: int = 0) -> None:
    """Label ``axis`` in pounds with thousands separators: £25,000 (or £2.50)."""
    plain_ticks(axis, "£{:,." + str(decimals) + "f}")


def pct_ticks(axis, scale: float = 1.0) -> None:
    """Label ``axis`` as percentages (``scale``: the value that means 100%, 1 or 100), with as
    many decimals as each tick needs: 100%, 10%, 0.1% (also on a log scale)."""
    plain_ticks(axis, lambda x: f"{100 * x / scale:,.10g}%")
