"""Every numbered notebook runs top to bottom in quick mode, and is committed clean."""

from __future__ import annotations

import json

import pytest

from analysis import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 1
    assert NOTEBOOKS[0].name.startswith("00-")


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_clean_with_parameters_cell(nb):
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    dirty = [i for i, c in enumerate(code) if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"{nb.name}: code cells {dirty} hold outputs or execution counts"
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{nb.name}: needs exactly one cell tagged 'parameters'"
    params = "".join(tagged[0]["source"])
    assert "SEED" in params and "QUICK" in params
    first = "".join(cells[0]["source"])
    assert cells[0]["cell_type"] == "markdown" and first.startswith("# ")


@pytest.mark.notebook
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_quick_mode(nb, quick_run):
    # executed once per session (tests/conftest.py), shared with the chart-pack and site tests
    out = quick_run.execute(nb)
    assert nb.stem not in quick_run.errors, quick_run.errors.get(nb.stem)
    executed = json.loads(out.read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    # every chart the notebook made has its three files and a catalogue entry, in the temporary
    # folder: a quick run never writes into the committed figures/
    figs = quick_run.figures
    assert paths.FIGURES_DEFAULT.resolve() not in (figs.resolve(), *figs.resolve().parents)
    if (figs / "catalogue.json").exists():
        catalogue = json.loads((figs / "catalogue.json").read_text(encoding="utf-8"))
        for name, entry in catalogue.items():
            if entry["notebook"] == nb.stem:
                for ext in ("png", "svg", "csv"):
                    assert (figs / f"{name}.{ext}").stat().st_size > 0
