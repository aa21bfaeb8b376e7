"""The book (``make html``, analysis/publish/book.py): staging, folded solutions, chart alt text,
the notebook list, the gallery page, MathML, bad input refused; and the book built from the quick
run: every page there, offline, with its footer."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import matplotlib
import nbformat
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.errors import InputError  # noqa: E402
from analysis.publish import book, charts  # noqa: E402

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000010806000000f478d4fa0000000d49444154"
    "789c63f8cfc0f01f0005fe02fe2c1c1e8c0000000049454e44ae426082")


def _notebook(number: str = "07") -> nbformat.NotebookNode:
    intro = (f"# {number} · A test notebook\n\n**What you will learn**\n- one thing;\n- another.\n\n"
             "**Prerequisites:** none. **Time:** about 5 minutes.")
    image = nbformat.v4.new_output("display_data", data={
        "image/png": base64.b64encode(PNG).decode(), "text/plain": "<Figure>"},
        metadata={"image/png": {"alt": "A tiny test chart of two pixels, one per column."}})
    cells = [
        nbformat.v4.new_markdown_cell(intro),
        nbformat.v4.new_code_cell("SEED = 1\nQUICK = True", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("plot()", outputs=[image]),
        nbformat.v4.new_markdown_cell("### Try it\n\n1. Do it.\n2. And this.\n"),
        nbformat.v4.new_code_cell("# Solution 1.1: the answer\nanswer = 42",
                                  metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell("answer = 43", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("## Summary\n\n- a takeaway.\n\n## What next\n\nRead on."),
    ]
    return nbformat.v4.new_notebook(cells=cells)


def test_solutions_are_folded_with_their_number_and_the_input_is_left_alone():
    nb = json.loads(nbformat.writes(_notebook()))
    shown = book.prepare_notebook(nb)
    first, second = shown["cells"][4], shown["cells"][5]
    assert "hide-cell" in first["metadata"]["tags"] and "solution" in first["metadata"]["tags"]
    assert first["metadata"]["mystnb"]["code_prompt_show"] == \
        "Solution 1.1: try the exercise first, then click to show"
    assert second["metadata"]["mystnb"]["code_prompt_show"].startswith("Solution: try")
    assert "hide-cell" not in shown["cells"][2]["metadata"].get("tags", [])
    assert "hide-cell" not in nb["cells"][4]["metadata"]["tags"]  # the input is not changed


def test_alt_texts_are_found_by_the_hash_of_the_image():
    nb = json.loads(nbformat.writes(_notebook()))
    assert book.image_alt_texts(nb) == {
        hashlib.sha256(PNG).hexdigest(): "A tiny test chart of two pixels, one per column."}


def test_save_chart_puts_the_alt_text_in_the_notebook_output(tmp_path):
    """In a kernel, the PNG that shows a saved chart carries its alt text in the metadata."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        png = shell.display_formatter.formatters["image/png"]
        png.for_type(matplotlib.figure.Figure, lambda fig: b"PNG-BYTES")
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        plain, _ = shell.display_formatter.format(fig)
        charts.save_chart(fig, "a-line", title="A line that rises from 0 to 1",
                          alt="A straight line rising from zero to one.", source="made up",
                          data=pd.DataFrame({"x": [0, 1]}), notebook="00-start-here",
                          out_dir=tmp_path)
        data, md = shell.display_formatter.format(fig)
        other, _ = plt.subplots()
        _, other_md = shell.display_formatter.format(other)
        charts.show_alt_text_in_notebook(fig, "Said twice, wrapped once.")  # idempotent
        _, md_again = shell.display_formatter.format(fig)
        plt.close("all")
    finally:
        InteractiveShell.clear_instance()
    assert data["image/png"] == b"PNG-BYTES" == plain["image/png"]
    assert md["image/png"] == {"alt": "A straight line rising from zero to one."}
    assert "image/png" not in other_md  # a figure that was not saved gets no alt text
    assert md_again["image/png"] == {"alt": "Said twice, wrapped once."}


def test_the_notebook_list_counts_exercises_and_links_each_notebook(tmp_path):
    nbformat.write(_notebook("07"), tmp_path / "07-test.ipynb")
    nbformat.write(_notebook("08"), tmp_path / "08-more.ipynb")
    text = book.notebook_list_markdown(tmp_path)
    assert text.index("notebooks/07-test") < text.index("notebooks/08-more")
    assert text.count("**2** “Try it” exercises") == 2
    assert "**Time:** about 5 minutes" in text and "- one thing;" in text


def test_the_gallery_page_has_every_chart_with_alt_text_and_downloads():
    catalogue = {
        "zeta-chart": {"title": "Zeta *and* co: 3 in 4 likes are `closed`", "alt": "A bar chart.",
                       "source": "simulation", "notebook": "01-campaign"},
        "cost-per-open-eyed-like": {"title": "Each listening fan costs GBP 5.00",
                                    "alt": "A curve rising.", "source": "arithmetic",
                                    "notebook": "00-start-here"},
    }
    text = book.gallery_markdown(catalogue, notebooks={"00-start-here"})
    assert text.index("Notebook 00-start-here") < text.index("Notebook 01-campaign")
    assert ":alt: A bar chart." in text and "{download}`data (CSV) <figures/zeta-chart.csv>`" in text
    assert r"Zeta \*and\* co" in text and r"\`closed\`" in text
    assert "{doc}`notebooks/00-start-here`" in text and "`01-campaign`" in text
    assert "chart pack" in text  # cost-per-open-eyed-like is in the pack
    assert "make figures" in book.gallery_markdown({}, notebooks=set())


def test_formulas_become_mathml_and_unreadable_ones_stay_as_tex():
    html = book.tex_to_mathml(r"\frac{2.50}{1 - s}", display="block")
    assert html.startswith("<math") and 'alttext="\\frac{2.50}{1 - s}"' in html
    assert "<code" in book.tex_to_mathml(r"\frac{", display="inline")


def test_bad_input_is_refused_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "html"
    code = book.main(["--notebooks", str(tmp_path / "nowhere"), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0 and "--notebooks" in err and "nowhere" in err
    assert not out.exists() and not (tmp_path / "html-src").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no executed notebook"):
        book.stage(tmp_path / "empty", tmp_path / "src")
    assert not (tmp_path / "src").exists()


def test_stage_lays_out_the_notebooks_the_glossary_and_the_charts(tmp_path):
    executed = tmp_path / "executed"
    executed.mkdir()
    nbformat.write(_notebook("07"), executed / "07-test.ipynb")
    (executed / "scratch.ipynb").write_text("{}")  # not a numbered notebook: left out
    figs = tmp_path / "figures"
    figs.mkdir()
    (figs / "one.png").write_bytes(PNG)
    (figs / "one.csv").write_text("x\n1\n")
    (figs / "catalogue.json").write_text(json.dumps({"one": {
        "title": "One chart for the test", "alt": "A chart.", "source": "s",
        "notebook": "07-test"}}))
    src = tmp_path / "src"
    assert book.stage(executed, src, figures=figs) == ["07-test"]
    assert (src / "conf.py").is_file() and (src / "references.bib").is_file()
    assert (src / "notebooks" / "glossary.md").is_file()
    assert sorted(p.name for p in (src / "notebooks").glob("*.ipynb")) == ["07-test.ipynb"]
    staged = json.loads((src / "notebooks" / "07-test.ipynb").read_text())
    assert "hide-cell" in staged["cells"][4]["metadata"]["tags"]
    assert (src / "figures" / "one.png").exists() and "figures/one.png" in \
        (src / "gallery.md").read_text()


# -- the book built from the quick run of every notebook -------------------------------------

@pytest.mark.notebook
def test_the_quick_book_has_every_page_offline_with_its_footer(quick_book):
    pages = book.built_pages(quick_book)
    names = {str(p.relative_to(quick_book)) for p in pages}
    stems = [p.stem for p in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))]
    assert {"index.html", "running.html", "references.html", "gallery.html",
            "notebooks/glossary.html", *(f"notebooks/{s}.html" for s in stems)} <= names
    external = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.I)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not external.search(html), f"{page.name} loads from the network"
        assert not re.search(r"<script[^>]*mathjax|MathJax\s*=", html, re.I), \
            f"{page.name} asks for MathJax"
        assert f"version {book.kit_version()}" in html and "commit <code>" in html, page.name
        assert re.search(r"built \d{4}-\d\d-\d\d", html), page.name
    index = (quick_book / "index.html").read_text(encoding="utf-8")
    for stem in stems:
        o = book.outline.outline(book.outline.read_notebook(paths.NOTEBOOKS / f"{stem}.ipynb"))
        assert f"<strong>{o.try_its}</strong> “Try it” exercise" in index
    page00 = (quick_book / "notebooks" / f"{stems[0]}.html").read_text(encoding="utf-8")
    assert "<math" in page00
    assert "No description has been provided" not in page00


# -- a small book, built for real from one synthetic notebook -------------------------------

def _small_book_inputs(tmp_path, extra_markdown: str = ""):
    executed = tmp_path / "executed"
    executed.mkdir()
    nb = _notebook("07")
    nb.cells.insert(2, nbformat.v4.new_markdown_cell(
        "## 1. A section\n\nA {term}`closed-eyes like` costs $\\frac{2.50}{1 - s}$ "
        "{cite:p}`mochon2017`." + extra_markdown))
    nb.cells[3].metadata["tags"] = ["hide-input"]  # the plotting cell
    nb.cells[3].source = "plot()  # PLOTTING-CODE"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, executed / "07-test.ipynb")
    return executed


@pytest.mark.slow
def test_a_small_book_builds_with_hidden_plotting_code_alt_text_and_citations(tmp_path):
    out = book.build_book(_small_book_inputs(tmp_path), tmp_path / "html",
                          figures=tmp_path / "no-figures")
    html = (out / "notebooks" / "07-test.html").read_text(encoding="utf-8")
    # the plotting cell's code is folded, its chart shown with the kit's alt text
    hidden = re.search(r'<details class="[^"]*hide[^"]*above-input">(.*?)</details>', html, re.S)
    assert hidden and "PLOTTING-CODE" in hidden.group(1)
    assert 'alt="A tiny test chart of two pixels, one per column."' in html
    assert 'href="glossary.html#term-Closed-eyes-like"' in html
    assert "Mochon" in html and "<math" in html
    assert "Solution 1.1: try the exercise first" in html
    assert (out / "_sources" / "notebooks" / "07-test.ipynb").is_file()  # the download
    assert (out / "searchindex.js").is_file()


@pytest.mark.slow
def test_an_unknown_term_or_an_image_without_alt_text_stops_the_build(tmp_path):
    executed = _small_book_inputs(tmp_path, " A {term}`no such term` here.")
    nb = nbformat.read(executed / "07-test.ipynb", as_version=4)
    del nb.cells[3].outputs[0].metadata["image/png"]  # a chart not drawn through save_chart
    nbformat.write(nb, executed / "07-test.ipynb")
    with pytest.raises(book.BookError) as failed:
        book.build_book(executed, tmp_path / "html", figures=tmp_path / "no-figures")
    assert "no such term" in str(failed.value) and "no alt text" in str(failed.value)
    assert not (tmp_path / "html").exists()
