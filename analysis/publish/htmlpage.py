"""The kit's plain HTML page: one self-contained shell (inline CSS, no script, no web fonts).

Used by the chart gallery (``figures/gallery.html``) and by the static site (``make html``) for
the pages that are not notebooks (index, glossary, gallery). Nothing is fetched from the network,
so the pages open offline and from ``file://``.
"""

from __future__ import annotations

from html import escape

# The navigation bar and the solution boxes: also injected into the notebook pages of the site.
NAV_CSS = """
nav.likekit-nav { border-bottom: 1px solid #ddd; background: #f7f7f8;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
nav.likekit-nav ul { max-width: 1100px; margin: 0 auto; padding: .6rem 1.25rem; list-style: none;
  display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
nav.likekit-nav a { color: #0072B2; text-decoration: none; font-weight: 600; }
nav.likekit-nav a:hover, nav.likekit-nav a:focus { text-decoration: underline; }
details.likekit-solution { border: 1px solid #E69F00; border-left-width: 5px; border-radius: 4px;
  margin: .5rem 4px; padding: 0 .5rem; }
details.likekit-solution > summary { cursor: pointer; font-weight: 600; padding: .4rem 0;
  color: #7a4f00; font-family: var(--jp-ui-font-family, system-ui, sans-serif); font-size: 14px; }
details.likekit-solution[open] > summary { border-bottom: 1px dashed #E69F00; margin-bottom: .4rem; }
code.likekit-tex { white-space: pre-wrap; }
""".strip()

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
ol.likekit-notebooks { padding-left: 0; list-style: none; }
ol.likekit-notebooks > li { border: 1px solid var(--rule); border-radius: 6px; padding: .8rem 1rem;
  margin: 0 0 1rem; }
ol.likekit-notebooks h3 { margin: 0 0 .25rem; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1.25rem; }
.gallery figure { margin: 0; border: 1px solid var(--rule); border-radius: 6px; padding: .75rem;
  display: flex; flex-direction: column; gap: .4rem; }
.gallery img { width: 100%; height: auto; display: block; background: #fff; }
.gallery figcaption { font-weight: 700; line-height: 1.3; }
.gallery .alt { color: var(--muted); font-size: .9rem; }
.gallery .files { font-size: .9rem; }
.badge { display: inline-block; font-size: .75rem; font-weight: 700; color: #fff; background: var(--accent);
  border-radius: 3px; padding: 0 .35rem; margin-right: .35rem; vertical-align: middle; }
a.anchor-link { margin-left: .3rem; text-decoration: none; color: #999; visibility: hidden; }
h1:hover > a.anchor-link, h2:hover > a.anchor-link, h3:hover > a.anchor-link { visibility: visible; }
footer { border-top: 1px solid var(--rule); margin-top: 3rem; padding-top: 1rem; color: var(--muted);
  font-size: .88rem; }
""".strip() + "\n" + NAV_CSS


def nav(links: list[tuple[str, str]]) -> str:
    """A navigation bar from ``(label, href)`` pairs (labels and hrefs are escaped)."""
    items = "".join(f'<li><a href="{escape(href)}">{escape(label)}</a></li>'
                    for label, href in links)
    return f'<nav class="likekit-nav" aria-label="Site"><ul>{items}</ul></nav>'


def page(title: str, body: str, *, nav_html: str = "", footer: str = "") -> str:
    """A complete HTML document: ``title`` (plain text), ``body`` and ``nav_html`` (HTML)."""
    foot = f"<footer>{footer}</footer>" if footer else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        # an empty icon: the browser asks for no favicon.ico (which would be a failed load)
        '<link rel="icon" href="data:,">\n'
        f"<style>\n{CSS}\n</style>\n</head>\n<body>\n{nav_html}\n<main>\n{body}\n{foot}\n</main>\n"
        "</body>\n</html>\n"
    )
