"""The site in a real browser: headless Chromium, offline, opens the index and every page, checks
that every image loaded and the console shows no error, and saves screenshots in build/screenshots/.

Chromium is the Debian package ``chromium``; where it is missing the set-up installs it
(``apt-get update && apt-get install -y chromium``, as root) and skips only if that fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis import paths
from analysis.publish import browser

pytestmark = pytest.mark.browser
SHOTS = paths.BUILD / "screenshots"


def _install_chromium() -> str:
    """Install Debian's chromium; return "" when done, else why it could not be installed."""
    if not shutil.which("apt-get"):
        return "no apt-get on this machine"
    if os.geteuid() != 0:
        return "not root, cannot apt-get install chromium"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        try:
            subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=900, env=env)
        except subprocess.CalledProcessError as exc:
            last = (exc.stderr or exc.stdout or "").strip().splitlines()[-1:] or ["?"]
            return f"`{' '.join(cmd)}` failed: {last[0]}"
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"`{' '.join(cmd)}` failed: {exc}"
    return ""


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = browser.find_chromium()
    if exe is None:
        why = _install_chromium()
        exe = browser.find_chromium()
        if exe is None:
            pytest.skip(f"headless Chromium is needed and could not be installed: {why}")
    return exe


def test_the_checker_sees_what_is_broken(chromium, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><title>bad</title>'
        '<script src="https://cdn.example.org/lib.js"></script></head><body>'
        '<img src="missing.png" alt="gone"><a href="nowhere.html">x</a>'
        '<script>console.error("boom")</script></body></html>')
    with browser.Chromium(chromium) as b:
        report = b.check_page(page.as_uri(), screenshot=tmp_path / "bad.png")
    problems = " | ".join(report.problems())
    assert "boom" in problems
    assert "network request: https://cdn.example.org/lib.js" in problems
    assert "image did not load" in problems and "missing.png" in problems
    assert "broken link" in problems and "nowhere.html" in problems
    assert (tmp_path / "bad.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.notebook
def test_every_page_of_the_site_in_chromium(chromium, quick_site):
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    reports = browser.check_site(quick_site, SHOTS, executable=chromium)
    names = [Path(r.url).name for r in reports]
    notebooks = sorted(p.name for p in quick_site.glob("[0-9][0-9]-*.html"))
    assert names == ["index.html", *notebooks, "glossary.html", "gallery.html"]
    for r in reports:
        assert r.problems() == [], f"{Path(r.url).name}: {r.problems()}"
        assert r.screenshot.exists() and r.screenshot.stat().st_size > 1000
        assert not any(r.solutions_open), f"{r.url}: a solution is open by default"
    by_name = dict(zip(names, reports, strict=True))
    index_links = [Path(u).name for u in by_name["index.html"].links]
    assert set(notebooks) <= set(index_links)
    assert {"glossary.html", "gallery.html"} <= set(index_links)
    # every notebook page drew its charts, and the gallery shows a thumbnail per chart
    for name in notebooks:
        assert by_name[name].solutions_open, f"{name}: no folded solution"
    catalogue = (quick_site / "figures" / "catalogue.json")
    if catalogue.exists():
        import json

        n = len(json.loads(catalogue.read_text()))
        assert len(by_name["gallery.html"].images) == n


@pytest.mark.notebook
def test_a_solution_opens_when_clicked(chromium, quick_site):
    page = quick_site / "00-start-here.html"
    first = "document.querySelector('details.likekit-solution')"
    height = f"{first}.getBoundingClientRect().height"
    visible = f"{first}.querySelector('.jp-Cell').checkVisibility()"
    with browser.Chromium(chromium) as b, b.page(page.as_uri()) as session:
        folded = b.evaluate(height, session)
        assert not b.evaluate(visible, session)  # folded: only the summary line shows
        b.evaluate(f"{first}.querySelector('summary').click()", session)
        b.settle(session)
        assert b.evaluate(visible, session)
        assert b.evaluate(height, session) > folded + 40
        assert b.evaluate("document.querySelector('details.likekit-solution').open", session)
        b.evaluate("document.querySelector('details.likekit-solution')"
                   ".scrollIntoView({block: 'center'})", session)
        b.screenshot(session, SHOTS / "00-start-here-solution-open.png")
