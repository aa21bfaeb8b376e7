"""The chart pack: each columnist's chart exists after the quick run with PNG, SVG, CSV, a
takeaway title with a number, alt text, a catalogue entry and the licence line; and the check
itself notices what is missing."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.cli import main  # noqa: E402
from analysis.publish import catalogue, chartpack, charts  # noqa: E402
from analysis.publish.catalogue import CHART_PACK, PackChart  # noqa: E402
from analysis.publish.credits import LICENCE  # noqa: E402

PRESENT = chartpack.present_numbers()
WRITTEN = [c for c in CHART_PACK if c.number in PRESENT]
NOTEBOOK = {p.stem[:2]: p for p in paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")}


def test_the_pack_names_the_columnists_charts():
    assert [c.name for c in CHART_PACK] == [
        "cost-per-open-eyed-like", "likes-over-days", "p-target-reached", "closed-eyes-estimates",
        "roi-audience-vs-connection", "break-even-map", "broadcast-vs-network",
        "jump-at-the-target", "design-map", "design-pareto-front"]
    assert len(set(catalogue.PACK_NAMES)) == len(CHART_PACK)


@pytest.mark.notebook
@pytest.mark.parametrize("chart", WRITTEN, ids=lambda c: c.name)
def test_pack_chart_after_the_quick_run(chart, quick_run):
    quick_run.execute(NOTEBOOK[chart.number])
    assert NOTEBOOK[chart.number].stem not in quick_run.errors, "the notebook failed to run"
    assert chartpack.check_chart(quick_run.figures, chart) == []


def _save(out, name="good-chart", title="Half the likes cost GBP 5.00 each, twice the price",
          alt="A line chart rising from 2.50 pounds to 25 pounds as the share grows.",
          notebook="00-start-here"):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 2])
    charts.save_chart(fig, name, title=title, alt=alt, source="the kit's arithmetic",
                      data=pd.DataFrame({"x": [0, 1]}), notebook=notebook, out_dir=out)
    plt.close(fig)


GOOD = PackChart("good-chart", "00-start-here", "a test")


def test_a_complete_chart_passes(tmp_path):
    _save(tmp_path)
    assert chartpack.check_chart(tmp_path, GOOD) == []
    assert chartpack.check_pack(tmp_path, ["00-start-here"]).keys() == {"cost-per-open-eyed-like"}
    assert chartpack.check_pack(tmp_path, []) == {}


def test_missing_files_and_entry(tmp_path):
    _save(tmp_path)
    (tmp_path / "good-chart.csv").unlink()
    problems = chartpack.check_chart(tmp_path, GOOD)
    assert len(problems) == 1 and "good-chart.csv" in problems[0]
    problems = chartpack.check_chart(tmp_path, PackChart("absent", "00-x", "none"))
    assert any("missing" in p for p in problems) and any("catalogue" in p for p in problems)


def test_label_titles_short_alt_wrong_notebook_and_no_licence(tmp_path):
    _save(tmp_path, title="Cost per like by share", alt="A line chart of the cost.",
          notebook="01-campaign")
    svg = tmp_path / "good-chart.svg"
    svg.write_text(svg.read_text().replace(LICENCE, "all rights reserved"))
    problems = " | ".join(chartpack.check_chart(tmp_path, GOOD))
    for expected in ("states no number", "alt text too short", "expected '00-start-here'",
                     "licence"):
        assert expected in problems


def test_svg_text_joins_the_lines_of_the_source():
    svg = ('<svg><text x="1">Source: x. Chart: kit, notebook</text>'
           '<text>00-a. CC BY 4.0.</text><g><text>A &amp; B</text></g></svg>')
    assert chartpack.svg_text(svg) == "Source: x. Chart: kit, notebook 00-a. CC BY 4.0. A & B"


def test_catalogue_readme_lists_the_pack_first(tmp_path):
    _save(tmp_path, name="likes-over-days", notebook="01-campaign")
    _save(tmp_path, name="cost-per-open-eyed-like")
    _save(tmp_path, name="another-chart")
    readme = (tmp_path / "README.md").read_text()
    pack = readme[readme.index("## The chart pack"):readme.index("## another-chart")]
    assert pack.index("[cost-per-open-eyed-like]") < pack.index("[likes-over-days]")
    assert "another-chart" not in pack


def test_command_line_reports_the_pack(tmp_path, capsys):
    _save(tmp_path, name="cost-per-open-eyed-like")
    code = main(["chartpack", str(tmp_path)])
    out = capsys.readouterr().out
    assert "ok       cost-per-open-eyed-like" in out
    assert code == (1 if len(WRITTEN) > 1 else 0)  # charts of other written notebooks are missing
