"""The chart gallery page: pure rendering, escaping, chart-pack badges, and the copy that
``save_chart`` writes beside the charts."""

from __future__ import annotations

import matplotlib
import pandas as pd

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis.publish import charts  # noqa: E402
from analysis.publish.gallery import render_gallery  # noqa: E402

CATALOGUE = {
    "zeta-chart": {"title": "Zeta & co: 3 in 4 likes are closed-eyed", "alt": "A <bar> chart",
                   "source": "simulation", "notebook": "01-campaign"},
    "likes-over-days": {"title": "The target is reached on day 9 of 14", "alt": "Lines",
                        "source": "simulation", "notebook": "01-campaign"},
    "cost-per-open-eyed-like": {"title": "Each listening fan costs GBP 5.00", "alt": "A curve",
                                "source": "arithmetic", "notebook": "00-start-here"},
}


def test_every_chart_with_its_files_escaped_and_grouped():
    html = render_gallery(CATALOGUE)
    for name in CATALOGUE:
        for ext in ("png", "svg", "csv"):
            assert f'href="{name}.{ext}"' in html
    assert "Zeta &amp; co" in html and 'alt="A &lt;bar&gt; chart"' in html
    assert html.index("Notebook 00-start-here") < html.index("Notebook 01-campaign")
    # pack charts first within a notebook, each with a badge
    assert html.index('id="likes-over-days"') < html.index('id="zeta-chart"')
    assert html.count('<figcaption><span class="badge">chart pack') == 2
    assert "<script" not in html and "CC BY 4.0" in html


def test_links_and_thumbnails_can_point_elsewhere():
    html = render_gallery(CATALOGUE, files_url="figures/", thumb_url=lambda n: f"t/{n}.png",
                          notebook_url=lambda nb: f"{nb}.html" if nb.startswith("00") else None)
    assert 'src="t/zeta-chart.png"' in html and 'href="figures/zeta-chart.csv"' in html
    assert 'href="00-start-here.html"' in html and 'href="01-campaign.html"' not in html


def test_empty_catalogue_says_how_to_make_charts():
    assert "make figures" in render_gallery({})


def test_save_chart_writes_the_gallery_beside_the_readme(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    charts.save_chart(fig, "a-line", title="A line that rises from 0 to 1",
                      alt="A straight line rising from zero to one.", source="made up",
                      data=pd.DataFrame({"x": [0, 1]}), notebook="00-start-here", out_dir=tmp_path)
    plt.close(fig)
    html = (tmp_path / "gallery.html").read_text()
    assert 'src="a-line.png"' in html and 'href="../notebooks/00-start-here.ipynb"' in html
    assert "gallery.html" in (tmp_path / "README.md").read_text()
