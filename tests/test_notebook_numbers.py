"""Numbers you can quote: notebooks 01 and 03 quote the same headline figures (one source,
``analysis.engine.headline``), their model charts say they come from the model, and the two
notebooks stay thin (no code cell over 15 lines, plotting cells folded, solutions collapsed)."""

from __future__ import annotations

import json
import re

import pytest

from analysis import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
THIN = [paths.NOTEBOOKS / "01-campaign.ipynb", paths.NOTEBOOKS / "03-audience-vs-connection.ipynb"]


def _cells(nb):
    return json.loads(nb.read_text(encoding="utf-8"))["cells"]


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("nb", THIN, ids=lambda p: p.stem)
def test_thin_notebook(nb):
    number = int(nb.stem[:2])
    code = [c for c in _cells(nb) if c["cell_type"] == "code"]
    for c in code:
        lines = [line for line in "".join(c["source"]).splitlines() if line.strip()]
        assert len(lines) <= 15, f"{nb.name}: a code cell of {len(lines)} lines: {lines[0]}"
        if "charts.save_chart(" in "".join(c["source"]):
            assert "hide-input" in _tags(c), f"{nb.name}: plotting cell not tagged hide-input"
    solutions = [c for c in code if "solution" in _tags(c)]
    assert solutions
    for i, c in enumerate(solutions, 1):
        assert c["metadata"]["jupyter"]["source_hidden"] is True
        assert "".join(c["source"]).startswith(f"# Solution {number}.{i}:")
    text = "".join("".join(c["source"]) for c in _cells(nb) if c["cell_type"] == "markdown")
    assert re.findall(r"\*\*Try it (\d+)\.(\d+)\.\*\*", text) == [
        (str(number), str(i)) for i in range(1, len(solutions) + 1)]


@pytest.mark.notebook
def test_notebooks_quote_the_same_headline_figures(quick_run):
    shown = {}
    for nb in NOTEBOOKS:
        executed = json.loads(quick_run.execute(nb).read_text(encoding="utf-8"))
        for cell in executed["cells"]:
            if "headline" in _tags(cell):
                outs = [o["data"]["text/plain"] for o in cell.get("outputs", [])
                        if "text/plain" in o.get("data", {})]
                shown[nb.stem] = "".join(outs[-1])
    assert {"01-campaign", "03-audience-vs-connection"} <= set(shown)
    first = next(iter(shown.values()))
    assert "P(target reached)" in first
    for stem, text in shown.items():
        assert text == first, f"{stem} quotes other headline figures than {next(iter(shown))}"


@pytest.mark.notebook
def test_model_charts_say_they_come_from_the_model(quick_run):
    for nb in THIN:
        quick_run.execute(nb)
    catalogue = json.loads((quick_run.figures / "catalogue.json").read_text(encoding="utf-8"))
    ours = {k: v for k, v in catalogue.items() if v["notebook"] in {nb.stem for nb in THIN}}
    assert len(ours) == 11
    for name, entry in ours.items():
        if name != "graphs-compared":  # a real data set beside the generator, not a model output
            assert entry["title"].startswith(("In the model", "In the model's")), name
        assert "stall" not in entry["title"]
