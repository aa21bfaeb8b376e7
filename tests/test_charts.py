"""The chart helper: required text, three files, catalogue, byte-identical reruns, no import side effects."""

from __future__ import annotations

import json
import subprocess
import sys

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis.errors import InputError  # noqa: E402
from analysis.publish import charts  # noqa: E402


def _chart(out, name="cost-per-fan", seed=1, nudge=0.0):
    import numpy as np

    rng = np.random.default_rng(seed)
    charts.use_house_style()
    data = pd.DataFrame({"s": np.linspace(0, 0.9, 10), "cost": 2.5 / (1 - np.linspace(0, 0.9, 10))})
    data["noise"] = rng.normal(size=10)
    data = data * (1.0 + nudge)
    fig, ax = plt.subplots()
    ax.plot(data["s"], data["cost"], label="cost")
    ax.scatter(data["s"], data["noise"] + 5, label="noise")
    ax.legend()
    written = charts.save_chart(
        fig, name, title="A fan with open eyes costs far more than GBP 2.50",
        alt="Line chart: cost per open-eyed fan rises from 2.50 to 25 pounds as s grows.",
        source="the kit's arithmetic", data=data, notebook="00-start-here", out_dir=out)
    plt.close(fig)
    return written


def test_writes_png_svg_csv_and_catalogue(tmp_path):
    written = _chart(tmp_path)
    assert charts.png_width(written["png"]) >= charts.MIN_PNG_WIDTH_PX
    svg = written["svg"].read_text()
    assert "<title id=\"chart-title\">A fan with open eyes" in svg and "<desc" in svg
    assert pd.read_csv(written["csv"]).shape == (10, 3)
    catalogue = json.loads((tmp_path / "catalogue.json").read_text())
    assert catalogue["cost-per-fan"]["notebook"] == "00-start-here"
    readme = (tmp_path / "README.md").read_text()
    assert "cost-per-fan.png" in readme and "Alt text: Line chart" in readme


def test_two_runs_are_byte_identical(tmp_path):
    a = _chart(tmp_path / "a")
    b = _chart(tmp_path / "b")
    for ext in ("svg", "csv"):
        assert a[ext].read_bytes() == b[ext].read_bytes(), ext
    assert (tmp_path / "a" / "README.md").read_bytes() == (tmp_path / "b" / "README.md").read_bytes()


def test_last_digit_noise_cannot_reach_the_bytes(tmp_path):
    """Another machine's optimiser or maths library moves a number in its 9th digit: the SVG
    and CSV stay byte-identical (coordinates to 0.01 pt, data at CSV_SIGNIFICANT digits)."""
    a = _chart(tmp_path / "a")
    b = _chart(tmp_path / "b", nudge=3e-9)
    for ext in ("svg", "csv"):
        assert a[ext].read_bytes() == b[ext].read_bytes(), ext


def test_svg_numbers_rounded_in_attributes_only():
    from analysis.formats import round_svg_numbers

    svg = ('<svg width="432.123456pt"><title>s = 0.123456</title>'
           '<path d="M 204.054687 -0.001 L 3.5 7.125001"/></svg>')
    out = round_svg_numbers(svg)
    assert out == ('<svg width="432.12pt"><title>s = 0.123456</title>'
                   '<path d="M 204.05 0 L 3.5 7.13"/></svg>')
    assert round_svg_numbers(svg.replace("204.054687", "204.054688")) == out


def test_csv_text_states_its_precision():
    from analysis.formats import csv_text

    frame = pd.DataFrame({"x": [1 / 3, -1e-9, 123456.0], "n": [1, 2, 3], "label": ["a", "b", "c"]})
    assert csv_text(frame) == "x,n,label\n0.33333,1,a\n-1e-09,2,b\n1.2346e+05,3,c\n"
    assert csv_text(frame, decimals=4) == "x,n,label\n0.3333,1,a\n0,2,b\n123456,3,c\n"


def test_different_data_gives_different_files(tmp_path):
    a = _chart(tmp_path / "a", seed=1)
    b = _chart(tmp_path / "b", seed=2)
    assert a["svg"].read_bytes() != b["svg"].read_bytes()


@pytest.mark.parametrize("field,value", [("title", "Cost"), ("alt", ""), ("source", "")])
def test_refuses_missing_text(tmp_path, field, value):
    kwargs = dict(title="A takeaway title in a sentence", alt="A chart of six words or more here",
                  source="the kit", data=pd.DataFrame({"x": [1]}), notebook="00")
    kwargs[field] = value
    fig, _ = plt.subplots()
    with pytest.raises(InputError, match=field):
        charts.save_chart(fig, "x", out_dir=tmp_path, **kwargs)
    plt.close(fig)
    assert not any(tmp_path.iterdir())


def test_import_changes_no_global_state():
    code = ("import matplotlib, warnings; before = dict(matplotlib.rcParams); "
            "n = len(warnings.filters); import analysis, analysis.publish.charts, analysis.paths; "
            "assert dict(matplotlib.rcParams) == before; assert len(warnings.filters) == n")
    subprocess.run([sys.executable, "-c", code], check=True)
