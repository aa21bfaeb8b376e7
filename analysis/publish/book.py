"""The book: the executed notebooks as a searchable, cited, offline web site (Sphinx + MyST-NB).

``make html`` runs ``python -m analysis.publish.book`` after ``make all``. It lays out a source
folder (``build/html-src/``) from

- ``docs/`` (``conf.py``, the introduction, how to run and cite, the references page and
  ``references.bib``),
- the executed notebooks (``build/notebooks/``, never re-executed: ``nb_execution_mode = "off"``)
  and the glossary (``notebooks/glossary.md``), in ``notebooks/`` as in the repository, so that
  the notebooks' links (``glossary.md``, ``01-campaign.ipynb``, ``../figures/x.png``) resolve,
- the charts (``figures/``) and a gallery page written from their catalogue,

then runs ``sphinx-build`` into ``build/html/`` (open ``build/html/index.html``; it works from
the files, offline). Warnings are errors: an unknown glossary term, a citation key missing from
``references.bib`` or a broken link stops the build.

This module is also the book's Sphinx extension (``conf.py`` loads it): formulas are written as
MathML (no MathJax from the network), every chart image on a notebook page gets the alt text
``save_chart`` gave it, "Try it" solution cells are folded until clicked, and the
``notebook-list`` directive lists the notebooks with their real number of exercises.

Options: ``--notebooks DIR``, ``--figures DIR``, ``--out DIR``. Bad input gets one line and exit
code 2, and nothing is written.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html import escape
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from latex2mathml.converter import convert
from sphinx.util import logging as sphinx_logging
from sphinx.util.docutils import SphinxDirective

from analysis import paths
from analysis.errors import InputError
from analysis.publish import outline
from analysis.publish.catalogue import PACK_NAMES, read_catalogue
from analysis.publish.credits import KIT, LICENCE, source_line
from analysis.publish.gallery import chart_order

DOCS = paths.ROOT / "docs"
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
SOLUTION_PROMPT = "{label}: try the exercise first, then click to show"
_SOLUTION_LABEL = re.compile(r"^\s*#\s*(Solution(?:\s+[0-9]+(?:\.[0-9]+)?)?)", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Facts printed on every page: version, commit, build date
# ---------------------------------------------------------------------------------------------

def kit_version() -> str:
    """The kit's version, as installed (pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("likekit")
    except PackageNotFoundError:
        import tomllib

        return tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["version"]


def kit_commit(root: Path | None = None) -> str:
    """The commit the book was built from (short hash), marked when the tree had changes."""
    root = Path(root) if root is not None else paths.ROOT
    try:
        head = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=root, check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def build_date() -> str:
    """Today in UTC (or the date of ``SOURCE_DATE_EPOCH``, for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
              else dt.datetime.now(dt.UTC))
    return moment.strftime("%Y-%m-%d")


def footer_html() -> str:
    """The line under every page: kit, version, commit and build date."""
    return (f'<p class="likekit-footer">like-for-charity research kit, version '
            f"{escape(kit_version())} · commit <code>{escape(kit_commit())}</code> · "
            f"built {escape(build_date())} · code MIT, charts CC BY 4.0</p>")


# ---------------------------------------------------------------------------------------------
# Math: TeX to MathML while writing HTML, so that no MathJax is needed
# ---------------------------------------------------------------------------------------------

def tex_to_mathml(tex: str, *, display: str = "inline") -> str:
    """MathML for the TeX formula ``tex`` (no delimiters); ``display`` is "inline" or "block".

    A formula latex2mathml cannot read is shown as its TeX source in ``<code>``, never dropped.
    """
    try:
        mathml = convert(tex.strip(), display=display)
    except Exception:  # noqa: BLE001 - any failure of the converter falls back to the TeX text
        delim = "$$" if display == "block" else "$"
        return f'<code class="likekit-tex">{escape(delim + tex.strip() + delim)}</code>'
    alt = escape(" ".join(tex.split()), quote=True)
    return mathml.replace("<math ", f'<math alttext="{alt}" ', 1)


def _visit_math(self, node) -> None:
    self.body.append(f'<span class="math">{tex_to_mathml(node.astext())}</span>')
    raise nodes.SkipNode


def _visit_displaymath(self, node) -> None:
    parts = [p for p in node.astext().split("\n\n") if p.strip()]
    self.body.append(self.starttag(node, "div", CLASS="math"))
    self.body.extend(tex_to_mathml(p, display="block") for p in parts)
    self.body.append("</div>\n")
    raise nodes.SkipNode


# ---------------------------------------------------------------------------------------------
# Chart images: the alt text save_chart put in the output's metadata
# ---------------------------------------------------------------------------------------------

def image_alt_texts(nb: dict) -> dict[str, str]:
    """sha256 of each PNG output of notebook ``nb`` -> its alt text (``{"image/png": {"alt"}}``
    in the output's metadata, written by ``charts.show_alt_text_in_notebook``).

    MyST-NB names an output image by the sha256 of its bytes, so the hash finds the image again.
    """
    found = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            alt = out.get("metadata", {}).get("image/png", {}).get("alt")
            if png and alt:
                data = "".join(png) if isinstance(png, list) else png
                found[hashlib.sha256(base64.b64decode(data)).hexdigest()] = alt
    return found


def _add_alt_texts(app, doctree) -> None:
    """On a notebook page, give every output image the alt text of its chart."""
    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix != ".ipynb":
        return
    alts = image_alt_texts(json.loads(source.read_text(encoding="utf-8")))
    for image in doctree.findall(nodes.image):
        stem = Path(image.get("uri", "")).stem
        if image.get("alt"):
            continue
        if stem in alts:
            image["alt"] = alts[stem]
        elif re.fullmatch(r"[0-9a-f]{64}", stem):  # an output image MyST-NB wrote
            sphinx_logging.getLogger(__name__).warning(
                "an output image has no alt text: draw charts through save_chart, and rerun "
                "`make all` if the executed notebook predates it", location=image)


# ---------------------------------------------------------------------------------------------
# The notebooks as the book shows them
# ---------------------------------------------------------------------------------------------

def solution_label(cell: dict) -> str:
    """"Solution 1.2" from a solution cell's first comment ("# Solution 1.2: ..."), else "Solution"."""
    m = _SOLUTION_LABEL.match(outline.cell_text(cell))
    return " ".join(m.group(1).split()).capitalize() if m else "Solution"


def prepare_notebook(nb: dict) -> dict:
    """The executed notebook ``nb`` as the book shows it: each cell tagged ``solution`` is folded
    whole (MyST-NB's ``hide-cell``) behind "Solution N.M: try the exercise first, then click to
    show". Returns a new dict; ``nb`` is not changed."""
    nb = json.loads(json.dumps(nb))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code" or outline.SOLUTION_TAG not in outline.cell_tags(cell):
            continue
        meta = cell.setdefault("metadata", {})
        tags = meta.setdefault("tags", [])
        if "hide-cell" not in tags:
            tags.append("hide-cell")
        mystnb = meta.setdefault("mystnb", {})
        mystnb["code_prompt_show"] = SOLUTION_PROMPT.format(label=solution_label(cell))
        mystnb["code_prompt_hide"] = f"Hide {solution_label(cell).lower()}"
    return nb


def notebook_list_markdown(folder: Path, *, docname_prefix: str = "notebooks/") -> str:
    """The index's list of notebooks (MyST Markdown): number and title linked, time,
    prerequisites, the number of "Try it" exercises and what you will learn."""
    blocks = []
    for path in sorted(Path(folder).glob(NOTEBOOK_GLOB)):
        o = outline.outline(outline.read_notebook(path))
        title = re.sub(r"^\d\d\s*[·:.-]\s*", "", o.title or path.stem)
        facts = []
        if o.time:
            facts.append(f"**Time:** {o.time}")
        if o.prerequisites:
            facts.append(f"**Prerequisites:** {o.prerequisites}")
        facts.append(f"**{o.try_its}** “Try it” exercise{'s' if o.try_its != 1 else ''}")
        link = f"{{doc}}`{path.stem[:2]} · {_escape_role(title)} <{docname_prefix}{path.stem}>`"
        lines = [f"### {link}", "", " · ".join(facts), ""]
        if o.goals:
            lines += ["What you will learn:", ""] + [f"- {g}" for g in o.goals] + [""]
        blocks.append("\n".join(lines))
    return "\n".join(blocks) if blocks else "No executed notebook yet: run `make all`.\n"


def _escape_role(text: str) -> str:
    return text.replace("<", "\\<").replace("`", "'")


def _notebook_list_directive():
    class NotebookList(SphinxDirective):
        """``{notebook-list}``: the notebooks in the book's ``notebooks/`` folder, in order."""

        def run(self):
            folder = Path(self.env.srcdir) / "notebooks"
            for path in sorted(folder.glob(NOTEBOOK_GLOB)):
                self.env.note_dependency(str(path))
            text = notebook_list_markdown(folder)
            container = nodes.container(classes=["likekit-notebooks"])
            self.state.nested_parse(StringList(text.splitlines(), source="notebook-list"),
                                    self.content_offset, container)
            return container.children

    return NotebookList


# ---------------------------------------------------------------------------------------------
# The gallery page, from the catalogue of charts
# ---------------------------------------------------------------------------------------------

def gallery_markdown(catalogue: dict[str, dict[str, str]], *, notebooks: set[str]) -> str:
    """The chart gallery as a MyST page: every chart with its takeaway title, alt text, source
    line and downloads (PNG, SVG, CSV), grouped by the notebook that made it."""
    lines = ["# Chart gallery", "",
             f"Every chart the {KIT} makes, with the numbers behind it. Charts marked "
             "**chart pack** are the ones made for writers. "
             f"Licence: {LICENCE}; please credit “{KIT}”. Each title is the chart's takeaway, "
             "computed by the run that drew it.", ""]
    current = None
    for name in chart_order(catalogue):
        e = catalogue[name]
        nb = e.get("notebook", "")
        if nb != current:
            current = nb
            made_by = f"{{doc}}`notebooks/{nb}`" if nb in notebooks else f"`{nb}`"
            lines += [f"## Notebook {nb}", "", f"Made by {made_by}.", ""]
        alt = " ".join(e.get("alt", "").split())
        lines += [
            f"({name})=",
            f"### {_md_text(e.get('title', name))}",
            "",
            f"`{name}`" + (" · **chart pack**: made for writers" if name in PACK_NAMES else ""),
            "",
            f"```{{image}} figures/{name}.png",
            f":alt: {alt}",
            ":width: 100%",
            "```",
            "",
            f"**Alt text:** {_md_text(alt)}",
            "",
            f"Download: {{download}}`PNG <figures/{name}.png>` · "
            f"{{download}}`SVG <figures/{name}.svg>` · "
            f"{{download}}`data (CSV) <figures/{name}.csv>`",
            "",
            f"<small>{escape(source_line(e.get('source', ''), nb))}</small>",
            "",
        ]
    if current is None:
        lines += ["No charts yet: run `make figures`.", ""]
    return "\n".join(lines)


def _md_text(text: str) -> str:
    """Plain text safe inside MyST Markdown (no markup, no roles)."""
    return re.sub(r"([\\`*_{}\[\]<>#|$])", r"\\\1", " ".join(str(text).split()))


# ---------------------------------------------------------------------------------------------
# References: the keys of docs/references.bib, and the sources the kit's tables and texts name
# ---------------------------------------------------------------------------------------------

BIBFILE = DOCS / "references.bib"
# Sources named by an organisation rather than an author and year.
ORGANISATION_KEYS = {
    "the column": "marketingweek2010",
    "Marketing Week": "marketingweek2010",
    "BBC": "bbc2010",
    "RivalIQ": "rivaliq2022",
    "Rival IQ": "rivaliq2022",
    "Ogilvy": "ogilvy2014",
    "UCI": "moro2016",
}
_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
           "dec", "january", "february", "march", "april", "june", "july", "august",
           "september", "october", "november", "december"}
_NAME = r"[A-Z][A-Za-z'\-]*[A-Za-z]"
# "Centola 2010", "Mochon et al. 2017", "McAuley & Leskovec 2012", "Moro, Rita & Vala 2016",
# "De Cristofaro et al. 2014", "Backstrom et al. (2012)", "Goel, Watts and Goldstein (2012)"
_AUTHOR_YEAR = re.compile(
    rf"(?<![\w@])(?P<surname>(?:(?:De|Van|Von|van|von|de) )?{_NAME})"
    rf"(?: et al\.|,? (?:&|and) {_NAME}|(?:, {_NAME})+,? (?:&|and) {_NAME})?"
    r",? \(?(?P<year>(?:19|20)\d\d)\b")
_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
_BIB_KEY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def bib_keys(path: Path | None = None) -> set[str]:
    """The citation keys of a BibTeX file (default ``docs/references.bib``)."""
    return set(_BIB_KEY.findall(Path(path or BIBFILE).read_text(encoding="utf-8")))


def source_keys(text: str) -> set[str]:
    """The bibliography keys of the sources a piece of text names: "Mochon et al. 2017" gives
    ``mochon2017`` (first author's surname, lower case, + year); organisations give theirs
    (:data:`ORGANISATION_KEYS`)."""
    keys = {key for name, key in ORGANISATION_KEYS.items() if name in text}
    for m in _AUTHOR_YEAR.finditer(text):
        surname = m.group("surname")
        if surname.lower() in _MONTHS:
            continue
        keys.add(re.sub(r"[^a-z]", "", surname.lower()) + m.group("year"))
    return keys


def cite_keys(text: str) -> set[str]:
    """The keys of every MyST citation (``{cite}`a,b```, ``{cite:p}``, ``{cite:t}``) in ``text``."""
    return {k.strip() for m in _CITE.finditer(text) for k in m.group(1).split(",") if k.strip()}


# ---------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------

def out_of_date(executed: Path, sources: Path | None = None) -> list[str]:
    """Notebooks of ``sources`` (default ``notebooks/``) whose executed copy in ``executed`` is
    missing or older than the notebook: the book would show an old run of them."""
    sources = Path(sources) if sources is not None else paths.NOTEBOOKS
    notes = []
    for nb in sorted(sources.glob(NOTEBOOK_GLOB)):
        copy = Path(executed) / nb.name
        if not copy.exists():
            notes.append(f"{nb.name} has no executed copy in {executed}")
        elif copy.stat().st_mtime < nb.stat().st_mtime:
            notes.append(f"{nb.name} changed after its executed copy in {executed} was made")
    return notes


def stage(notebooks: Path, src: Path, *, figures: Path | None = None,
          glossary: Path | None = None, docs: Path | None = None) -> list[str]:
    """Lay out the book's Sphinx source folder ``src`` (emptied first); return the notebook stems.

    notebooks: folder of executed notebooks (``NN-name.ipynb``); figures: the charts (default
    :func:`analysis.paths.figures_dir`, may be absent); glossary: ``notebooks/glossary.md``;
    docs: ``docs/`` (conf.py and the pages that are not notebooks).
    """
    notebooks, src = Path(notebooks), Path(src)
    figures = Path(figures) if figures is not None else paths.figures_dir()
    glossary = Path(glossary) if glossary is not None else paths.NOTEBOOKS / "glossary.md"
    docs = Path(docs) if docs is not None else DOCS
    if not notebooks.is_dir():
        raise InputError(f"--notebooks {notebooks}: no such folder (run `make all` first)")
    executed = sorted(notebooks.glob(NOTEBOOK_GLOB))
    if not executed:
        raise InputError(f"--notebooks {notebooks}: holds no executed notebook named "
                         "NN-name.ipynb (run `make all` first)")
    if not glossary.is_file():
        raise InputError(f"glossary {glossary}: no such file")
    if not (docs / "conf.py").is_file():
        raise InputError(f"docs {docs}: no conf.py")

    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(docs, src, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    (src / "notebooks").mkdir()
    for path in executed:
        nb = prepare_notebook(json.loads(path.read_text(encoding="utf-8")))
        (src / "notebooks" / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False),
                                                   encoding="utf-8")
    shutil.copy2(glossary, src / "notebooks" / "glossary.md")
    # README and CITATION.cff: the "how to run and cite" page quotes them (one owner of the text)
    (src / "_kit").mkdir()
    for name in ("README.md", "CITATION.cff"):
        shutil.copy2(paths.ROOT / name, src / "_kit" / name)

    catalogue = read_catalogue(figures) if figures.is_dir() else {}
    catalogue = {k: v for k, v in catalogue.items() if (figures / f"{k}.png").exists()}
    (src / "figures").mkdir()
    for name in catalogue:
        for ext in ("png", "svg", "csv"):
            if (figures / f"{name}.{ext}").exists():
                shutil.copy2(figures / f"{name}.{ext}", src / "figures" / f"{name}.{ext}")
    stems = [p.stem for p in executed]
    (src / "gallery.md").write_text(gallery_markdown(catalogue, notebooks=set(stems)),
                                    encoding="utf-8")
    return stems


class BookError(RuntimeError):
    """Sphinx could not build the book (its warnings and errors are in the message)."""


def build_book(notebooks: Path, out: Path, *, figures: Path | None = None,
               src: Path | None = None, quiet: bool = True) -> Path:
    """Stage the sources (default ``build/html-src/`` beside ``out``) and run sphinx-build into ``out``.

    The book is built beside ``out`` and moved into place only when Sphinx succeeded with no
    warning: a failed build leaves the previous one alone. Returns ``out``.
    """
    out = Path(out)
    src = Path(src) if src is not None else out.with_name(out.name + "-src")
    stage(notebooks, src, figures=figures)
    tmp = out.with_name(out.name + ".partial")
    doctrees = out.with_name(out.name + "-doctrees")
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n",
           "-d", str(doctrees), str(src), str(tmp)]
    if quiet:
        cmd.insert(3, "-q")
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        detail = (result.stderr or result.stdout).strip()
        raise BookError(f"sphinx-build failed (exit {result.returncode}):\n{detail}")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out


def built_pages(out: Path) -> list[Path]:
    """The content pages of a built book (not Sphinx's own genindex and search)."""
    skip = {"genindex.html", "search.html", "py-modindex.html"}
    return sorted(p for p in Path(out).rglob("*.html")
                  if p.name not in skip and not any(part.startswith("_") for part in
                                                    p.relative_to(out).parts))


# ---------------------------------------------------------------------------------------------
# Sphinx extension
# ---------------------------------------------------------------------------------------------

def setup(app):
    """The book's Sphinx extension (listed in ``docs/conf.py``)."""
    app.add_html_math_renderer("mathml", (_visit_math, None), (_visit_displaymath, None))
    app.connect("doctree-read", _add_alt_texts)
    app.add_directive("notebook-list", _notebook_list_directive())
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.publish.book",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=paths.BUILD / "notebooks",
                        help="folder of executed notebooks (default build/notebooks)")
    parser.add_argument("--out", type=Path, default=paths.BUILD / "html",
                        help="folder of the book (default build/html)")
    parser.add_argument("--figures", type=Path, default=None,
                        help="folder of the charts (default figures/, or LIKEKIT_FIGURES_DIR)")
    args = parser.parse_args(argv)
    if args.notebooks.is_dir():
        for note in out_of_date(args.notebooks):
            print(f"warning: {note} (run `make all`)", file=sys.stderr)
    start = time.perf_counter()
    try:
        out = build_book(args.notebooks, args.out, figures=args.figures)
    except InputError as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except BookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    pages = built_pages(out)
    print(f"book: {len(pages)} pages in {out} in {time.perf_counter() - start:.0f} s "
          f"(open {out / 'index.html'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
