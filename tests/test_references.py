"""docs/references.bib holds every published source the kit relies on: each source named in the
parameter tables (scenario, priors, calibration) and in the notebooks' and glossary's text has an
entry, and every {cite} key of the notebooks and the book exists."""

from __future__ import annotations

import csv
import json
import re

import pytest

from analysis import paths
from analysis.publish import book
from analysis.roi.priors import prior_table

BIB = book.bib_keys()
_YEAR = re.compile(r"\b(19|20)\d\d\b")


def _table_sources() -> list[tuple[str, str]]:
    out = []
    for name in ("scenario_parameters.csv", "calibration.csv"):
        with open(paths.DATA / name, encoding="utf-8") as fh:
            out += [(f"data/{name}", row["source"]) for row in csv.DictReader(fh)]
    out += [("analysis/roi/priors.py", s) for s in prior_table()["source"]]
    return out


def _texts() -> list[tuple[str, str]]:
    """The prose of the notebooks (Markdown cells), the glossary and the book's own pages."""
    out = []
    for nb in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        out.append((nb.name, "\n".join("".join(c["source"]) for c in cells
                                       if c["cell_type"] == "markdown")))
    out.append(("notebooks/glossary.md", (paths.NOTEBOOKS / "glossary.md").read_text("utf-8")))
    out += [(f"docs/{p.name}", p.read_text(encoding="utf-8"))
            for p in sorted((paths.ROOT / "docs").glob("*.md"))]
    return out


def test_the_bib_has_the_issue_keys():
    for key in ("moro2016", "ugander2011", "backstrom2012", "goel2016", "mochon2017",
                "cryder2013", "kuppuswamy2018", "mollick2014", "morvinski2022", "briscoe2006",
                "zhang2015", "reed2001", "mcauley2012"):
        assert key in BIB, key


@pytest.mark.parametrize("where,source", _table_sources(), ids=lambda x: x[:40])
def test_every_source_of_the_parameter_tables_has_an_entry(where, source):
    keys = book.source_keys(source)
    assert keys <= BIB, f"{where}: {source!r} names {sorted(keys - BIB)}, not in references.bib"
    if _YEAR.search(source):
        assert keys, f"{where}: {source!r} names a dated source the reader cannot look up"


@pytest.mark.parametrize("where,text", _texts(), ids=lambda x: x[:40] if len(x) < 60 else "")
def test_every_cited_key_and_named_source_of_the_texts_exists(where, text):
    cited = book.cite_keys(text)
    assert cited <= BIB, f"{where}: {{cite}} keys missing from references.bib: {sorted(cited - BIB)}"
    named = book.source_keys(text)
    assert named <= BIB, f"{where}: sources named in the text, missing from references.bib: " \
                         f"{sorted(named - BIB)}"


def test_source_keys_reads_authors_and_years():
    assert book.source_keys("Mochon et al. 2017 paid") == {"mochon2017"}
    assert book.source_keys("(Moro, Rita & Vala 2016)") == {"moro2016"}
    assert book.source_keys("Goel, Watts and Goldstein (2012) found") == {"goel2012"}
    assert book.source_keys("(De Cristofaro et al. 2014)") == {"decristofaro2014"}
    assert book.source_keys("McAuley & Leskovec 2012; Centola 2010") == {"mcauley2012",
                                                                          "centola2010"}
    assert book.source_keys("the column (29 Nov 2010)") == {"marketingweek2010"}
    assert book.source_keys("Social@Ogilvy, 'Facebook Zero', 2014") == {"ogilvy2014"}
    assert book.source_keys("assumption: in 2014 the page posted") == set()


def test_cite_keys_reads_every_role():
    text = "{cite:p}`a2001,b2002` and {cite:t}`c2003` and {cite}`d2004`"
    assert book.cite_keys(text) == {"a2001", "b2002", "c2003", "d2004"}
