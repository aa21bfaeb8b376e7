"""The kit's plain HTML page: one self-contained shell (inline CSS, no script, no web fonts).

Used by the chart gallery (``figures/gallery.html``, written beside the charts by ``save_chart``;
the book of ``make html`` has its own gallery page). Nothing is fetched from the network, so the
page opens offline and from ``file://``.
"""

from __future__ import annotations

from html import escape

CSS = """
:root { --ink: #1d1d1f; --muted: #555; --rule: #ddd; --accent: #0072B2; --paper: #fff; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--paper);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
a { color: var(--accent); }
h1 { font-size: 1.8rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--rule); padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.muted { color: var(--muted); }
.small { font-size: .88rem; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1.25rem; }
.gallery figure { margin: 0; border: 1px solid var(--rule); border-radius: 6px; padding: .75rem;
  display: flex; flex-direction: column; gap: .4rem; }
.gallery img { width: 100%; height: auto; display: block; background: #fff; }
.gallery figcaption { font-weight: 700; line-height: 1.3; }
.gallery .alt { color: var(--muted); font-size: .9rem; }
.gallery .files { font-size: .9rem; }
.badge { display: inline-block; font-size: .75rem; font-weight: 700; color: #fff; background: var(--accent);
  border-radius: 3px; padding: 0 .35rem; margin-right: .35rem; vertical-align: middle; }
footer { border-top: 1px solid var(--rule); margin-top: 3rem; padding-top: 1rem; color: var(--muted);
  font-size: .88rem; }
""".strip()


def page(title: str, body: str, *, footer: str = "") -> str:
    """A complete HTML document: ``title`` (plain text), ``body`` and ``footer`` (HTML)."""
    foot = f"<footer>{footer}</footer>" if footer else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        # an empty icon: the browser asks for no favicon.ico (which would be a failed load)
        '<link rel="icon" href="data:,">\n'
        f"<style>\n{CSS}\n</style>\n</head>\n<body>\n<main>\n{body}\n{foot}\n</main>\n"
        "</body>\n</html>\n"
    )
