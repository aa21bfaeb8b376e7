"""The static site (``make html``): built from tiny synthetic notebooks here, from the quick run of
the real ones at the end; offline pages, solutions folded, links rewritten, bad input refused."""

from __future__ import annotations

import base64
import json
import re

import nbformat
import pytest

from analysis.errors import InputError
from analysis.publish import outline, site

# a 2 x 1 PNG
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000010806000000f478d4fa0000000d49444154"
    "789c63f8cfc0f01f0005fe02fe2c1c1e8c0000000049454e44ae426082")).decode()


def _notebook(number: str, title: str) -> nbformat.NotebookNode:
    intro = (f"# {number} · {title}\n\n**What you will learn**\n- the cost $c = 2.50/(1-s)$;\n"
             "- a second goal.\n\n**Prerequisites:** none. **Time:** about 5 minutes.")
    cells = [
        nbformat.v4.new_markdown_cell(intro),
        nbformat.v4.new_code_cell("SEED = 1\nQUICK = True", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell(
            "## 1. Math and links\n\n$$\\text{cost} = \\frac{2.50}{1 - s}$$\n\n"
            "Next: [the next one](01-next.ipynb#Try-it), the [glossary](glossary.md#Homophily), "
            "[a chart](../figures/chart-one.png), [the catalogue](../figures/README.md) and "
            "[a paper](https://doi.org/10.15195/v1.a1)."),
        nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
            "display_data", data={"image/png": PNG, "text/plain": "<Figure>"})]),
        nbformat.v4.new_markdown_cell("### Try it\n\n1. Do it."),
        nbformat.v4.new_code_cell("answer = 42  # SOLUTION-MARK", metadata={"tags": ["solution"]},
                                  outputs=[nbformat.v4.new_output(
                                      "display_data", data={"text/latex": "$x^2$"})]),
        nbformat.v4.new_markdown_cell("## Summary\n\n- a takeaway.\n\n## What next\n\nRead on."),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


@pytest.fixture
def inputs(tmp_path):
    """Two executed notebooks, a figures folder with one chart and a glossary."""
    nbs = tmp_path / "executed"
    nbs.mkdir()
    nbformat.write(_notebook("00", "Start here"), nbs / "00-start.ipynb")
    nbformat.write(_notebook("01", "Next <one>"), nbs / "01-next.ipynb")
    (nbs / "scratch.ipynb").write_text("not a numbered notebook, left out")
    figs = tmp_path / "figures"
    figs.mkdir()
    from PIL import Image

    Image.new("RGB", (1300, 800), "white").save(figs / "chart-one.png")
    (figs / "chart-one.svg").write_text("<svg/>")
    (figs / "chart-one.csv").write_text("x,y\n1,2\n")
    (figs / "catalogue.json").write_text(json.dumps({"chart-one": {
        "title": "Half the likes cost GBP 5.00 each", "alt": 'A "line" chart <rising> steeply',
        "source": "arithmetic", "notebook": "00-start"}}))
    glossary = tmp_path / "glossary.md"
    glossary.write_text("# Glossary\n\n## Homophily\n\nBirds of a feather; see "
                        "[notebook 01](01-next.ipynb). Math: $a^2$.\n")
    return nbs, figs, glossary


def _build(inputs, out):
    nbs, figs, glossary = inputs
    return site.build_site(nbs, out, figures=figs, glossary=glossary)


def test_builds_every_page_with_links_in_order(inputs, tmp_path):
    out = tmp_path / "site"
    written = _build(inputs, out)
    names = sorted(p.name for p in written)
    assert names == ["00-start.html", "01-next.html", "gallery.html", "glossary.html", "index.html"]
    index = (out / "index.html").read_text()
    hrefs = re.findall(r'href="([^"#]+)"', index)
    assert hrefs.index("00-start.html") < hrefs.index("01-next.html")
    assert {"glossary.html", "gallery.html"} <= set(hrefs)
    assert "about 5 minutes" in index and "a second goal." in index
    assert "Next &lt;one&gt;" in index  # titles are escaped
    assert (out / "figures" / "chart-one.png").exists()
    assert (out / "figures" / "thumbs" / "chart-one.png").exists()
    from PIL import Image

    assert Image.open(out / "figures" / "thumbs" / "chart-one.png").width == site.THUMB_PX


def test_pages_need_no_network(inputs, tmp_path):
    out = tmp_path / "site"
    _build(inputs, out)
    for page in out.glob("*.html"):
        html = page.read_text()
        assert site.external_loads(html) == [], page.name
        assert "cdnjs" not in html and "<script src" not in html, page.name
    nb = (out / "00-start.html").read_text()
    assert "<math" in nb and "mfrac" in nb and "MathJax" not in nb  # math drawn as MathML
    assert 'href="https://doi.org/10.15195/v1.a1"' in nb  # plain links stay


def test_solutions_are_folded_and_closed(inputs, tmp_path):
    out = tmp_path / "site"
    _build(inputs, out)
    html = (out / "00-start.html").read_text()
    boxes = re.findall(r"<details class=\"likekit-solution\"[^>]*>(.*?)</details>", html, re.S)
    assert len(boxes) == 1
    assert "SOLUTION-MARK" in boxes[0] and "<math" in boxes[0]  # text/latex output as MathML
    assert "<details class=\"likekit-solution\" open" not in html
    assert html.count("SOLUTION-MARK") == 1


def test_links_point_at_the_site(inputs, tmp_path):
    out = tmp_path / "site"
    _build(inputs, out)
    html = (out / "00-start.html").read_text()
    assert 'href="01-next.html#Try-it"' in html
    assert 'href="glossary.html#Homophily"' in html
    assert 'href="figures/chart-one.png"' in html
    assert 'href="gallery.html"' in html
    assert 'href="01-next.html"' in (out / "glossary.html").read_text()
    # navigation: previous/next notebook
    assert "01 Next &lt;one&gt; →" in html
    assert "← 00 Start here" in (out / "01-next.html").read_text()


def test_gallery_page(inputs, tmp_path):
    out = tmp_path / "site"
    _build(inputs, out)
    html = (out / "gallery.html").read_text()
    assert 'src="figures/thumbs/chart-one.png"' in html
    assert 'alt="A &quot;line&quot; chart &lt;rising&gt; steeply"' in html
    for ext in ("png", "svg", "csv"):
        assert f'href="figures/chart-one.{ext}"' in html
    assert 'href="00-start.html"' in html and "CC BY 4.0" in html


def test_rebuild_replaces_the_old_site(inputs, tmp_path):
    out = tmp_path / "site"
    _build(inputs, out)
    (inputs[0] / "01-next.ipynb").unlink()
    _build(inputs, out)
    assert not (out / "01-next.html").exists()
    assert not (tmp_path / "site.partial").exists()


def test_bad_input_writes_nothing(inputs, tmp_path, capsys):
    nbs, figs, glossary = inputs
    with pytest.raises(InputError, match="--notebooks"):
        site.build_site(tmp_path / "nowhere", tmp_path / "a", figures=figs, glossary=glossary)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="NN-name.ipynb"):
        site.build_site(empty, tmp_path / "b", figures=figs, glossary=glossary)
    with pytest.raises(InputError, match="--glossary"):
        site.build_site(nbs, tmp_path / "c", figures=figs, glossary=tmp_path / "no.md")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="--out"):
        site.build_site(nbs, precious, figures=figs, glossary=glossary)
    assert [p.name for p in precious.iterdir()] == ["keep.txt"]
    assert not any((tmp_path / n).exists() for n in ("a", "b", "c", "a.partial"))
    # the command line: one line, exit code 2
    code = site.main(["--notebooks", str(tmp_path / "nowhere"), "--out", str(tmp_path / "d")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: --notebooks") and err.count("\n") == 1


def test_out_of_date_names_missing_and_stale_copies(tmp_path):
    import os

    src, run = tmp_path / "src", tmp_path / "run"
    src.mkdir()
    run.mkdir()
    for name in ("00-a.ipynb", "01-b.ipynb", "02-c.ipynb"):
        (src / name).write_text("{}")
    (run / "00-a.ipynb").write_text("{}")
    (run / "01-b.ipynb").write_text("{}")
    os.utime(run / "01-b.ipynb", (1, 1))  # executed long before the notebook changed
    notes = site.out_of_date(run, src)
    assert len(notes) == 2 and "01-b.ipynb changed" in notes[0] and "02-c.ipynb has no" in notes[1]


def test_tex_that_cannot_be_read_is_shown_as_tex():
    assert site.tex_to_mathml("\\frac{1}{2}").startswith("<math")
    shown = site.tex_to_mathml("\\frac{1}{", display="block")
    assert shown.startswith('<code class="likekit-tex">$$') and "<math" not in shown


def test_external_loads_finds_scripts_styles_and_images():
    html = ('<script src="https://cdn.x/a.js"></script><link rel="stylesheet" href="//cdn.x/a.css">'
            '<img src="http://x/y.png"><style>@font-face{src:url(https://f/x.woff)}</style>'
            '<a href="https://doi.org/1">fine</a><img src="data:image/png;base64,xx">')
    assert len(site.external_loads(html)) == 4


def test_rewrite_links_leaves_other_links_alone():
    html = '<a href="https://x.org/a.ipynb">w</a><a href="#top">t</a><a href="99-nope.ipynb">n</a>'
    assert site.rewrite_links(html, {"01-x"}) == html


# -- the real notebooks, from the session's quick run ------------------------------------------

@pytest.mark.notebook
def test_site_of_the_quick_run(quick_site, quick_run):
    pages = sorted(p.name for p in quick_site.glob("[0-9][0-9]-*.html"))
    executed = sorted(p.stem + ".html" for p in quick_run.notebooks.glob("[0-9][0-9]-*.ipynb"))
    assert pages == executed and pages
    index = (quick_site / "index.html").read_text()
    assert re.findall(r'href="(\d\d-[^"#]+\.html)"', index) == pages  # every notebook, in order
    for page in quick_site.glob("*.html"):
        assert site.external_loads(page.read_text()) == [], page.name
    for stem in (p[:-5] for p in pages):
        nb = outline.read_notebook(quick_run.notebooks / f"{stem}.ipynb")
        html = (quick_site / f"{stem}.html").read_text()
        assert html.count('<details class="likekit-solution">') == outline.outline(nb).solutions
