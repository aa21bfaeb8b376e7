"""The book in a real browser: pytest-playwright driving Debian's Chromium, offline, from the files.

Every page of the book built from the quick run is opened from ``file://`` with every request that
is not a file of the book refused. A page passes when it shows no console error, asked for nothing
on the network, loaded every image and links only to pages and anchors that exist. Search finds
"closed-eyes" in the glossary and the notebooks, a folded solution opens on click, and screenshots
land in ``build/screenshots/``.

Chromium is the Debian package ``chromium`` (no ``playwright install`` download); where it is
missing the set-up installs it (``apt-get update && apt-get install -y chromium``, as root) and
skips only if that fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from analysis import paths

pytestmark = pytest.mark.browser
SHOTS = paths.BUILD / "screenshots"


# ---------------------------------------------------------------------------------------------
# Chromium: the system's, installed with apt-get when missing
# ---------------------------------------------------------------------------------------------

def find_chromium() -> str | None:
    """The system Chromium's executable, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


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


@pytest.fixture(scope="session")
def chromium() -> str:
    exe = find_chromium()
    if exe is None:
        why = _install_chromium()
        exe = find_chromium()
        if exe is None:
            pytest.skip(f"headless Chromium is needed and could not be installed: {why}")
    return exe


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium):
    """pytest-playwright's launch options, pointed at the system Chromium."""
    return {**browser_type_launch_args, "executable_path": chromium,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}


# ---------------------------------------------------------------------------------------------
# The checker
# ---------------------------------------------------------------------------------------------

@dataclass
class PageReport:
    """What one page did in the browser."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"network request: {u}" for u in self.network]
                + [f"failed request: {u}" for u in self.failed]
                + [f"image did not load: {u}" for u in self.broken_images]
                + [f"broken link: {u}" for u in self.broken_links])


_ID = re.compile(r'\b(?:id|name)="([^"]+)"')


def _ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        cache[path] = set(_ID.findall(path.read_text(encoding="utf-8", errors="replace")))
    return cache[path]


def broken_links(links: list[str], *, ids_cache: dict | None = None) -> list[str]:
    """The file:// links among ``links`` whose file, or anchor in it, does not exist."""
    ids_cache = {} if ids_cache is None else ids_cache
    broken = []
    for href in links:
        parts = urlsplit(href)
        if parts.scheme != "file":
            continue
        target = Path(unquote(parts.path))
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(href)
        elif parts.fragment and target.suffix == ".html" and \
                unquote(parts.fragment) not in _ids(target, ids_cache):
            broken.append(href)
    return broken


def check_page(context, url: str, *, screenshot: Path | None = None, ids_cache=None) -> PageReport:
    """Open ``url`` in a new page of ``context`` and report what went wrong (see PageReport)."""
    report = PageReport(url)
    page = context.new_page()
    page.on("console", lambda m: report.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: report.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: report.failed.append(r.url)
            if not r.url.startswith(("data:", "blob:")) and r.url not in report.network else None)

    def route(r):
        if r.request.url.startswith(("file://", "data:", "blob:")):
            r.continue_()
        else:
            report.network.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(150)  # let scripts run and report
    report.images = page.evaluate(
        "Array.from(document.images).map(i => ({src: i.src, alt: i.getAttribute('alt'),"
        " ok: i.complete && i.naturalWidth > 0, inOutput: !!i.closest('.cell_output')}))")
    report.broken_images = [i["src"] for i in report.images if not i["ok"]]
    report.links = page.evaluate(
        "Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    report.broken_links = broken_links(report.links, ids_cache=ids_cache)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot))
    page.close()
    return report


def book_pages(book: Path) -> list[Path]:
    """Every HTML page of the book (not the theme's own fragments in _static/)."""
    return sorted(p for p in book.rglob("*.html")
                  if not any(part.startswith("_") for part in p.relative_to(book).parts))


def _shot_name(book: Path, page: Path) -> str:
    return str(page.relative_to(book)).replace("/", "-").removesuffix(".html") + ".png"


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------

def test_the_checker_sees_what_is_broken(browser, tmp_path):
    (tmp_path / "ok.html").write_text('<html><body><p id="here">here</p></body></html>')
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><title>bad</title>'
        '<script src="https://cdn.example.org/lib.js"></script></head><body>'
        '<img src="missing.png" alt="gone"><a href="nowhere.html">x</a>'
        '<a href="ok.html#here">fine</a><a href="ok.html#gone">no anchor</a>'
        '<script>console.error("boom")</script></body></html>')
    context = browser.new_context()
    report = check_page(context, page.as_uri(), screenshot=tmp_path / "bad.png")
    context.close()
    problems = " | ".join(report.problems())
    assert "boom" in problems
    assert "network request: https://cdn.example.org/lib.js" in problems
    assert "image did not load" in problems and "missing.png" in problems
    assert "broken link" in problems and "nowhere.html" in problems
    assert "ok.html#gone" in problems and "ok.html#here" not in problems
    assert (tmp_path / "bad.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.notebook
def test_every_page_of_the_book_in_chromium(quick_book, browser):
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    pages = book_pages(quick_book)
    names = {str(p.relative_to(quick_book)) for p in pages}
    notebooks = sorted(p.name for p in paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    expected = {"index.html", "running.html", "references.html", "gallery.html", "search.html",
                "genindex.html", "notebooks/glossary.html"}
    expected |= {f"notebooks/{n.removesuffix('.ipynb')}.html" for n in notebooks}
    assert expected <= names, f"missing pages: {expected - names}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    ids_cache: dict = {}
    reports = {str(p.relative_to(quick_book)): check_page(
        context, p.as_uri(), screenshot=SHOTS / _shot_name(quick_book, p), ids_cache=ids_cache)
        for p in pages}
    context.close()
    for name, r in reports.items():
        assert r.problems() == [], f"{name}: {r.problems()}"
    # every chart on a notebook page carries the alt text save_chart gave it
    for n in notebooks:
        r = reports[f"notebooks/{n.removesuffix('.ipynb')}.html"]
        outputs = [i for i in r.images if i["inOutput"]]
        assert outputs, f"{n}: no chart on the page"
        for image in outputs:
            alt = image["alt"] or ""
            assert len(alt.split()) >= 6 and not re.fullmatch(r"[0-9a-f]{64}\.png", alt), \
                f"{n}: an image without the kit's alt text: {alt!r}"
    # the index links every notebook, the glossary, the references and the gallery
    index_links = {Path(unquote(urlsplit(u).path)).name for u in reports["index.html"].links}
    assert {n.replace(".ipynb", ".html") for n in notebooks} <= index_links
    assert {"glossary.html", "references.html", "gallery.html", "running.html"} <= index_links
    # each notebook page offers its .ipynb for download
    for n in notebooks:
        links = reports[f"notebooks/{n.removesuffix('.ipynb')}.html"].links
        assert any(u.endswith(f"/_sources/notebooks/{n}") for u in links), f"{n}: no download"


@pytest.mark.notebook
def test_search_finds_closed_eyes_in_the_glossary_and_the_notebooks(quick_book, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
               else (errors.append(f"network request: {r.request.url}"), r.abort()))
    page.goto((quick_book / "search.html").as_uri() + "?q=closed-eyes")
    page.wait_for_function(
        "document.querySelector('#search-results p.search-summary, #search-results p')"
        " && /Search finished|did not match/.test(document.querySelector('#search-results').innerText)",
        timeout=30_000)
    hits = page.evaluate("Array.from(document.querySelectorAll('#search-results li a'))"
                         ".map(a => a.getAttribute('href'))")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "search-closed-eyes.png"))
    context.close()
    pages = {h.split("#")[0] for h in hits}
    assert "notebooks/glossary.html" in pages, hits
    assert any(re.match(r"notebooks/\d\d-.*\.html$", p) for p in pages), hits
    assert errors == []


@pytest.mark.notebook
def test_a_solution_is_folded_until_clicked(quick_book, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((quick_book / "notebooks" / "00-start-here.html").as_uri())
    solution = page.locator("div.tag_solution details").first
    code = solution.locator(".cell_input")
    assert solution.count() == 1
    assert not solution.evaluate("d => d.open") and not code.is_visible()
    summary = solution.locator("summary")
    assert "try the exercise first" in summary.inner_text().lower()
    folded = solution.bounding_box()["height"]
    summary.click()
    page.wait_for_timeout(200)
    assert solution.evaluate("d => d.open") and code.is_visible()
    assert solution.bounding_box()["height"] > folded + 40
    solution.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "00-start-here-solution-open.png"))
    # every solution cell of every notebook is folded when the page opens
    for nb in sorted((quick_book / "notebooks").glob("[0-9][0-9]-*.html")):
        page.goto(nb.as_uri())
        n = page.locator("div.tag_solution").count()
        assert n >= 1, f"{nb.name}: no solution cell"
        assert page.locator("div.tag_solution details[open]").count() == 0, nb.name
    context.close()
