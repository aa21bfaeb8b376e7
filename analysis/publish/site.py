"""A static site of the executed notebooks, readable offline: ``python -m analysis.publish.site``.

``make html`` calls it after ``make all``. It reads the executed notebooks (``build/notebooks/``),
the charts (``figures/``) and the glossary (``notebooks/glossary.md``) and writes ``build/site/``:

- ``index.html``: every notebook in order, with its goals, prerequisites and time; links to the
  glossary and the chart gallery;
- ``NN-name.html``: one page per notebook (nbconvert's ``lab`` template), with the solution
  cells of the "Try it" exercises folded into ``<details>`` boxes, closed until clicked;
- ``glossary.html``, ``gallery.html`` (thumbnails in ``figures/thumbs/``) and ``figures/``.

Offline by design: the pages load no script, style sheet or font from the network. nbconvert's
defaults would fetch require.js and MathJax from a CDN (and fail, with console errors, offline),
so this template drops them and turns TeX math into MathML while converting (``latex2mathml``),
which browsers draw natively. Links between notebooks (``01-campaign.ipynb``), to the glossary
(``glossary.md``) and to charts (``../figures/x.png``) are rewritten to the site's pages.

Options: ``--notebooks DIR`` (executed notebooks), ``--out DIR`` (the site), ``--figures DIR``,
``--glossary FILE``. Bad input gets one line and exit code 2, and nothing is written.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path

from nbconvert.preprocessors import CoalesceStreamsPreprocessor

from analysis import paths
from analysis.errors import InputError
from analysis.publish import htmlpage, outline
from analysis.publish.chartpack import read_catalogue
from analysis.publish.gallery import render_gallery

KIT_TITLE = "The like-for-charity research kit"
MARKER = ".likekit-site"
THUMB_PX = 640
SOLUTION_SUMMARY = "Solution: try the exercise first, then click to show"
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"

# nbconvert template: the lab template, minus everything that would be fetched from the network
# (require.js, MathJax, Mermaid, widget manager), plus the site's navigation and solution boxes.
TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<link rel="icon" href="data:,">
<style type="text/css">
{{ resources.likekit_css }}
</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.likekit_nav }}
{%- endblock body_header -%}
{%- block data_latex -%}
<div class="jp-RenderedLatex jp-OutputArea-output {{ extra_class }}" data-mime-type="text/latex">
{{ output.data['text/latex'] | tex2mathml }}
</div>
{%- endblock data_latex -%}
{%- block any_cell -%}
{%- if 'solution' in cell.metadata.get('tags', []) -%}
<details class="likekit-solution"><summary>{{ resources.likekit_solution_summary }}</summary>
{{ super() }}
</details>
{%- else -%}
{{ super() }}
{%- endif -%}
{%- endblock any_cell -%}
"""


# ---------------------------------------------------------------------------------------------
# Math: TeX to MathML while converting, so that no MathJax is needed
# ---------------------------------------------------------------------------------------------

def tex_to_mathml(tex: str, *, display: str = "inline") -> str:
    """MathML for the TeX formula ``tex`` (no delimiters); ``display`` is "inline" or "block".

    A formula latex2mathml cannot read is shown as its TeX source in ``<code>``, never dropped.
    """
    from latex2mathml.converter import convert

    try:
        mathml = convert(tex.strip(), display=display)
    except Exception:  # noqa: BLE001 - any failure of the converter falls back to the TeX text
        delim = "$$" if display == "block" else "$"
        return f'<code class="likekit-tex">{escape(delim + tex.strip() + delim)}</code>'
    alt = escape(" ".join(tex.split()), quote=True)
    return mathml.replace("<math ", f'<math alttext="{alt}" ', 1)


def latex_output_to_mathml(text: str) -> str:
    """A ``text/latex`` output ("$...$", "$$...$$" or bare TeX) as MathML."""
    t = text.strip()
    for left, right, display in (("$$", "$$", "block"), ("\\[", "\\]", "block"),
                                 ("$", "$", "inline"), ("\\(", "\\)", "inline")):
        if t.startswith(left) and t.endswith(right) and len(t) > len(left) + len(right):
            return tex_to_mathml(t[len(left):-len(right)], display=display)
    return tex_to_mathml(t, display="block")


def _mathml_renderer_class():
    from nbconvert.filters.markdown_mistune import IPythonRenderer

    class MathMLRenderer(IPythonRenderer):
        """nbconvert's Markdown renderer, writing math as MathML instead of TeX for MathJax."""

        def block_math(self, body: str) -> str:
            return tex_to_mathml(body, display="block")

        def inline_math(self, body: str) -> str:
            return tex_to_mathml(body, display="inline")

        def latex_environment(self, name: str, body: str) -> str:
            return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display="block")

    return MathMLRenderer


def markdown_to_html(source: str) -> str:
    """Markdown (with TeX math) to HTML, the way the notebook pages render it."""
    from nbconvert.filters.markdown_mistune import MarkdownWithMath

    renderer = _mathml_renderer_class()(escape=False, anchor_link_text="¶")
    return MarkdownWithMath(renderer=renderer).render(source)


def make_exporter():
    """An nbconvert HTMLExporter (lab template) that writes offline pages (see module doc)."""
    from jinja2 import DictLoader, pass_context
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import MarkdownWithMath

    renderer_class = _mathml_renderer_class()

    class SiteExporter(HTMLExporter):
        @pass_context
        def markdown2html(self, context, source):
            cell = context.get("cell", {})
            renderer = renderer_class(
                escape=False, attachments=cell.get("attachments", {}),
                embed_images=self.embed_images,
                path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
            return MarkdownWithMath(renderer=renderer).render(source)

        def default_filters(self):
            yield from super().default_filters()
            yield ("markdown2html", self.markdown2html)
            yield ("tex2mathml", latex_output_to_mathml)

    exporter = SiteExporter(
        template_name="lab",
        template_file="likekit.html.j2",
        extra_loaders=[DictLoader({"likekit.html.j2": TEMPLATE})],
        # no URL of the network in the page, even in a block we forgot to empty
        require_js_url="", mathjax_url="",
    )
    exporter.register_preprocessor(ProgressBarsPreprocessor(), enabled=True)
    return exporter


class ProgressBarsPreprocessor(CoalesceStreamsPreprocessor):
    """Progress bars arrive as many stream chunks with carriage returns: keep their last state
    (nbconvert's coalescing) and drop a stream left blank (a bar that cleared itself)."""

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if o.output_type != "stream" or o.text.strip()]
        return cell, resources


# ---------------------------------------------------------------------------------------------
# Links and checks on the written HTML
# ---------------------------------------------------------------------------------------------

_LINK = re.compile(r'\b(href|src)="([^"]*)"')


def rewrite_links(html: str, pages: set[str]) -> str:
    """Point the kit's relative links at the site's pages.

    pages: stems of the notebooks in the site ("01-campaign"): ``01-campaign.ipynb#x`` becomes
    ``01-campaign.html#x``; ``glossary.md`` becomes ``glossary.html``; ``../figures/x`` becomes
    ``figures/x`` and ``figures/README.md`` the gallery.
    """
    def fix(m: re.Match) -> str:
        attr, url = m.group(1), m.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE) or url.startswith(("#", "/")):
            return m.group(0)
        path, hash_, anchor = url.partition("#")
        path = re.sub(r"^(\./)?(\.\./)?(notebooks/)?", "", path) if not path.startswith(
            ("../figures/", "figures/")) else path
        name = path.rsplit("/", 1)[-1]
        if name.endswith(".ipynb") and name[:-6] in pages:
            path = name[:-6] + ".html"
        elif name == "glossary.md":
            path = "glossary.html"
        elif path in ("../figures/README.md", "figures/README.md", "../figures/gallery.html"):
            path = "gallery.html"
        elif path.startswith("../figures/"):
            path = path[3:]
        else:
            return m.group(0)
        return f'{attr}="{path}{hash_}{anchor}"'

    return _LINK.sub(fix, html)


_EXTERNAL = [
    re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^\"'\s>]+", re.IGNORECASE),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^\"'\s>]+", re.IGNORECASE),
    re.compile(r"<(?:img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^\"'\s>]+",
               re.IGNORECASE),
    re.compile(r"url\(\s*[\"']?(?:https?:)?//[^)]+\)", re.IGNORECASE),
    re.compile(r"@import\s+[\"'](?:https?:)?//[^\"']+", re.IGNORECASE),
    re.compile(r"import\(\s*[\"'](?:https?:)?//[^\"']+", re.IGNORECASE),
]


def external_loads(html: str) -> list[str]:
    """Things in ``html`` a browser would fetch from the network (scripts, styles, images, fonts)."""
    found = []
    for pattern in _EXTERNAL:
        found += [m.group(0)[:160] for m in pattern.finditer(html)]
    return found


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NotebookPage:
    """One notebook of the site: its file stem, page name and student outline."""

    stem: str
    outline: outline.Outline

    @property
    def href(self) -> str:
        return f"{self.stem}.html"

    @property
    def title(self) -> str:
        return self.outline.title or self.stem

    @property
    def short_title(self) -> str:
        """The title without its "NN · " number (the number is shown apart)."""
        return re.sub(r"^\d\d\s*[·:.-]\s*", "", self.title)


def site_nav(pages: list[NotebookPage], current: str | None = None) -> str:
    """The navigation bar: index, previous and next notebook (on a notebook page), glossary, gallery."""
    links = [("Index", "index.html")]
    stems = [p.stem for p in pages]
    if current in stems:
        i = stems.index(current)
        if i > 0:
            links.append((f"← {pages[i - 1].stem[:2]} {pages[i - 1].short_title}", pages[i - 1].href))
        if i + 1 < len(pages):
            links.append((f"{pages[i + 1].stem[:2]} {pages[i + 1].short_title} →", pages[i + 1].href))
    links += [("Glossary", "glossary.html"), ("Chart gallery", "gallery.html")]
    return htmlpage.nav(links)


def render_notebook(nb, stem: str, pages: list[NotebookPage], *, exporter=None) -> str:
    """The HTML page of the executed notebook ``nb`` (an nbformat NotebookNode) named ``stem``."""
    exporter = exporter or make_exporter()
    title = next((p.title for p in pages if p.stem == stem), stem)
    resources = {
        "metadata": {"name": title, "path": ""},
        "likekit_nav": site_nav(pages, stem),
        "likekit_css": htmlpage.NAV_CSS,
        "likekit_solution_summary": SOLUTION_SUMMARY,
    }
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return rewrite_links(html, {p.stem for p in pages})


def _md_inline(text: str) -> str:
    """One line of Markdown (goals, prerequisites) as inline HTML."""
    html = markdown_to_html(text).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", html, flags=re.DOTALL)


def render_index(pages: list[NotebookPage], *, n_charts: int) -> str:
    """The site's front page: the notebooks in order, the glossary, the gallery."""
    items = []
    for p in pages:
        o = p.outline
        facts = []
        if o.time:
            facts.append(f"<strong>Time:</strong> {_md_inline(o.time)}")
        if o.prerequisites:
            facts.append(f"<strong>Prerequisites:</strong> {_md_inline(o.prerequisites)}")
        if o.try_its:
            facts.append(f"{o.try_its} “Try it” exercise{'s' if o.try_its != 1 else ''}")
        goals = "".join(f"<li>{_md_inline(g)}</li>" for g in o.goals)
        items.append(
            f'<li><h3><a href="{escape(p.href)}">{escape(p.stem[:2])} · {escape(p.short_title)}</a></h3>'
            f'<div class="small muted">{" · ".join(facts)}</div>'
            + (f"<div>What you will learn:<ul>{goals}</ul></div>" if goals else "")
            + "</li>"
        )
    body = (
        f"<h1>{escape(KIT_TITLE)}</h1>\n"
        "<p>What does a like bought with a charity pledge really buy? These notebooks simulate the "
        "like-for-charity campaign on a social network, estimate the share of “closed-eyes” likes "
        "from data a researcher could really observe, and compare the return of audience with the "
        "return of connection. Every number on these pages was computed by the run that made them.</p>\n"
        "<h2>The notebooks, in order</h2>\n"
        f'<ol class="likekit-notebooks">{"".join(items)}</ol>\n'
        "<h2>For students</h2>\n"
        '<p>Each notebook states what you will learn, what you need first and how long it takes; '
        "its “Try it” exercises have solutions folded away until you click them. Words the kit uses "
        'in a precise sense are explained in <a href="glossary.html">the glossary</a>.</p>\n'
        "<h2>For writers</h2>\n"
        f'<p><a href="gallery.html">The chart gallery</a> shows all {n_charts} charts with a takeaway '
        "title, alt text and the numbers behind each (PNG, SVG, CSV). The charts marked “chart pack” "
        "are made to be lifted into an article. Licence CC BY 4.0: please credit the "
        "“like-for-charity research kit”.</p>\n"
    )
    return htmlpage.page(KIT_TITLE, body, nav_html=site_nav(pages),
                         footer="Built by <code>make html</code> from the executed notebooks.")


def render_glossary(markdown: str, pages: list[NotebookPage]) -> str:
    """The glossary page from the Markdown of ``notebooks/glossary.md``."""
    body = rewrite_links(markdown_to_html(markdown), {p.stem for p in pages})
    return htmlpage.page(f"Glossary · {KIT_TITLE}", body, nav_html=site_nav(pages))


def make_thumbnail(png: Path, out: Path, *, width: int = THUMB_PX) -> None:
    """A ``width``-pixel-wide copy of the chart ``png`` for the gallery (Pillow comes with matplotlib)."""
    from PIL import Image

    with Image.open(png) as im:
        im = im.convert("RGB")
        height = max(1, round(im.height * width / im.width))
        im.resize((width, height), Image.LANCZOS).save(out, optimize=True)


# ---------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------

def executed_notebooks(folder: Path) -> list[Path]:
    """The numbered notebooks (``NN-name.ipynb``) in ``folder``, in order."""
    return sorted(Path(folder).glob(NOTEBOOK_GLOB))


def out_of_date(executed: Path, sources: Path | None = None) -> list[str]:
    """Notebooks of ``sources`` (default ``notebooks/``) whose executed copy in ``executed`` is
    missing or older than the notebook: the site would show an old run of them."""
    sources = Path(sources) if sources is not None else paths.NOTEBOOKS
    notes = []
    for nb in sorted(sources.glob(NOTEBOOK_GLOB)):
        copy = Path(executed) / nb.name
        if not copy.exists():
            notes.append(f"{nb.name} has no executed copy in {executed}")
        elif copy.stat().st_mtime < nb.stat().st_mtime:
            notes.append(f"{nb.name} changed after its executed copy in {executed} was made")
    return notes


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise InputError(f"--out {out}: exists and is not a site this tool built (no {MARKER}); "
                         "give an empty or new folder")


def build_site(notebooks: Path, out: Path, *, figures: Path | None = None,
               glossary: Path | None = None) -> list[Path]:
    """Build the site from the executed notebooks in ``notebooks`` into ``out``; return the pages.

    figures: folder of the charts (default :func:`analysis.paths.figures_dir`); may be absent.
    glossary: the glossary's Markdown (default ``notebooks/glossary.md``).
    The site is built beside ``out`` and moved into place at the end: bad input writes nothing.
    """
    import nbformat

    notebooks, out = Path(notebooks), Path(out)
    figures = Path(figures) if figures is not None else paths.figures_dir()
    glossary = Path(glossary) if glossary is not None else paths.NOTEBOOKS / "glossary.md"
    if not notebooks.is_dir():
        raise InputError(f"--notebooks {notebooks}: no such folder (run `make all` first)")
    sources = executed_notebooks(notebooks)
    if not sources:
        raise InputError(f"--notebooks {notebooks}: holds no executed notebook named "
                         "NN-name.ipynb (run `make all` first)")
    if not glossary.is_file():
        raise InputError(f"--glossary {glossary}: no such file")
    _check_out(out)

    nbs = {p.stem: nbformat.read(p, as_version=4) for p in sources}
    pages = [NotebookPage(stem, outline.outline(nb)) for stem, nb in nbs.items()]

    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "figures" / "thumbs").mkdir(parents=True)
    written = []

    def write(name: str, html: str) -> None:
        loads = external_loads(html)
        if loads:
            print(f"warning: {name} would load from the network: {loads[0]}", file=sys.stderr)
        (tmp / name).write_text(html, encoding="utf-8")
        written.append(out / name)

    exporter = make_exporter()
    for page in pages:
        write(page.href, render_notebook(nbs[page.stem], page.stem, pages, exporter=exporter))

    catalogue = read_catalogue(figures) if figures.is_dir() else {}
    for name in catalogue:
        for ext in ("png", "svg", "csv"):
            src = figures / f"{name}.{ext}"
            if src.exists():
                shutil.copy2(src, tmp / "figures" / src.name)
        if (figures / f"{name}.png").exists():
            make_thumbnail(figures / f"{name}.png", tmp / "figures" / "thumbs" / f"{name}.png")
    for extra in ("catalogue.json", "README.md"):
        if (figures / extra).exists():
            shutil.copy2(figures / extra, tmp / "figures" / extra)
    stems = {p.stem for p in pages}
    write("gallery.html", render_gallery(
        {k: v for k, v in catalogue.items() if (figures / f"{k}.png").exists()},
        files_url="figures/", thumb_url=lambda n: f"figures/thumbs/{n}.png",
        notebook_url=lambda nb: f"{nb}.html" if nb in stems else None,
        nav_html=site_nav(pages)))
    write("glossary.html", render_glossary(glossary.read_text(encoding="utf-8"), pages))
    write("index.html", render_index(pages, n_charts=len(catalogue)))
    (tmp / MARKER).write_text("built by python -m analysis.publish.site; rebuilt whole each time\n",
                              encoding="utf-8")

    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.publish.site",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=paths.BUILD / "notebooks",
                        help="folder of executed notebooks (default build/notebooks)")
    parser.add_argument("--out", type=Path, default=paths.BUILD / "site",
                        help="folder of the site (default build/site)")
    parser.add_argument("--figures", type=Path, default=None,
                        help="folder of the charts (default figures/, or LIKEKIT_FIGURES_DIR)")
    parser.add_argument("--glossary", type=Path, default=None,
                        help="the glossary's Markdown (default notebooks/glossary.md)")
    args = parser.parse_args(argv)
    if args.notebooks.is_dir():
        for note in out_of_date(args.notebooks):
            print(f"warning: {note} (run `make all`)", file=sys.stderr)
    try:
        written = build_site(args.notebooks, args.out, figures=args.figures,
                             glossary=args.glossary)
    except InputError as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    print(f"site: {len(written)} pages in {args.out} (open {args.out / 'index.html'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
