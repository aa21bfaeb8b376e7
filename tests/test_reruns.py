"""A run with parameters other than a notebook's defaults goes to a folder of its own and never
touches the committed figures/ and data/; a run with the defaults writes the committed outputs."""

from __future__ import annotations

import json

import nbformat
import pytest

from analysis import paths
from analysis.cli import main as cli_main
from analysis.publish import run_notebooks as rn

WRITES = """
from analysis import paths
paths.figures_dir().mkdir(parents=True, exist_ok=True)
paths.outputs_dir().mkdir(parents=True, exist_ok=True)
(paths.figures_dir() / f"rerun-probe-{SEED}.csv").write_text("x\\n")
(paths.outputs_dir() / f"rerun-probe-{SEED}.csv").write_text("x\\n")
"""


def _notebook(folder):
    params = nbformat.v4.new_code_cell("SEED = 1\nQUICK = False\nPOPULATION = 20_000")
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 99 · probe"), params,
                                         nbformat.v4.new_code_cell(WRITES)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "99-probe.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_defaults_and_changed_parameters(tmp_path):
    nb = _notebook(tmp_path)
    assert rn.notebook_defaults(nb) == {"SEED": 1, "QUICK": False, "POPULATION": 20_000}
    assert rn.changed_parameters(nb, {"SEED": 1, "POPULATION": 20000}) == {}
    assert rn.changed_parameters(nb, {"SEED": 7, "QUICK": True}) == {"SEED": 7, "QUICK": True}
    folder = rn.run_folder(nb, {"SEED": 7, "POPULATION": 50_000}, tmp_path / "runs")
    assert folder == tmp_path / "runs" / "99-probe-POPULATION-50000-SEED-7"


def test_paths_follow_the_run_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("LIKEKIT_FIGURES_DIR", raising=False)
    monkeypatch.delenv("LIKEKIT_RUN_DIR", raising=False)
    assert paths.figures_dir() == paths.FIGURES_DEFAULT and paths.outputs_dir() == paths.DATA
    monkeypatch.setenv("LIKEKIT_RUN_DIR", str(tmp_path))
    assert paths.figures_dir() == tmp_path / "figures"
    assert paths.outputs_dir() == tmp_path / "data"


def test_an_unknown_parameter_is_refused_in_one_line(tmp_path, capsys):
    nb = _notebook(tmp_path)
    assert cli_main(["notebooks", str(nb), "-p", "SEEDS", "7", "--runs", str(tmp_path / "runs")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: -p SEEDS:") and "\n" not in err
    assert not (tmp_path / "runs").exists()


@pytest.mark.notebook
def test_a_rerun_with_other_parameters_leaves_figures_and_data_alone(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("LIKEKIT_FIGURES_DIR", raising=False)
    nb = _notebook(tmp_path)
    runs = tmp_path / "runs"
    assert cli_main(["notebooks", str(nb), "-p", "SEED", "7", "-p", "POPULATION", "50000",
                    "--runs", str(runs), "--out", str(tmp_path / "default")]) == 0
    folder = runs / "99-probe-POPULATION-50000-SEED-7"
    assert (folder / "99-probe.ipynb").exists()
    assert (folder / "figures" / "rerun-probe-7.csv").exists()
    assert (folder / "data" / "rerun-probe-7.csv").exists()
    assert not (paths.FIGURES_DEFAULT / "rerun-probe-7.csv").exists()
    assert not (paths.DATA / "rerun-probe-7.csv").exists()
    assert not (tmp_path / "default").exists()
    assert str(folder) in capsys.readouterr().out
