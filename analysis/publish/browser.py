"""Look at the site in a real browser: headless Chromium, driven over its DevTools protocol.

The browser talks over a pipe (``--remote-debugging-pipe``: JSON messages ending in a NUL byte
on file descriptors 3 and 4), so no port is opened and no extra package is needed. It starts
with no network: host names resolve to nothing and every page runs with the network emulated
offline, so a page that needs the network shows it as a failed load and a console error.

``python -m analysis.publish.browser build/site`` opens every page of the site, prints what it found
and saves full-page screenshots in ``build/screenshots/``; it exits 1 when a page has a
console error, an image that did not load, or a request to the network.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage",
    "--hide-scrollbars", "--mute-audio", "--password-store=basic",
    # no network at all: every host name resolves to nothing
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome-error:", "devtools:")
MAX_SHOT_HEIGHT = 30000  # px: longer pages are cut (30,000 px renders fine headless)


def find_chromium() -> str | None:
    """Path of a Chromium (or Chrome) executable on this machine, or None."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageReport:
    """What the browser saw on one page."""

    url: str
    title: str = ""
    console_errors: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    solutions_open: list[bool] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    screenshot: Path | None = None

    @property
    def broken_images(self) -> list[str]:
        """Images that did not load (``naturalWidth`` is 0)."""
        return [i["src"][:120] for i in self.images if not i.get("naturalWidth")]

    def problems(self) -> list[str]:
        """Everything wrong with the page (empty when nothing)."""
        out = [f"console: {e}" for e in self.console_errors]
        out += [f"network request: {u}" for u in self.network]
        out += [f"image did not load: {s}" for s in self.broken_images]
        out += [f"broken link: {u}" for u in self.broken_links]
        return out

    @property
    def broken_links(self) -> list[str]:
        """Links to files of the site (``file:``) that do not exist."""
        from urllib.parse import unquote, urlparse

        return [u for u in self.links if u.startswith("file:")
                and not Path(unquote(urlparse(u).path)).exists()]


class BrowserError(RuntimeError):
    """The browser did not start, answer or load a page in time."""


class Chromium:
    """A headless Chromium driven over a DevTools pipe. Use as a context manager."""

    def __init__(self, executable: str | None = None, *, timeout: float = 60.0):
        self.executable = executable or find_chromium()
        if not self.executable:
            raise BrowserError("no Chromium found (Debian: apt-get install chromium)")
        self.timeout = timeout
        self._next_id = 0
        self._events: list[dict] = []
        self._messages: queue.Queue = queue.Queue()
        self._lock = threading.Lock()

    # -- process and pipe ---------------------------------------------------------------------
    def __enter__(self) -> Chromium:
        self._profile = tempfile.mkdtemp(prefix="likekit-chromium-")
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        # numbers >= 10, so that "3<&x 4>&y" below can never clobber one with the other
        child_in = fcntl.fcntl(to_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_r)
        os.close(from_w)
        args = [*FLAGS, f"--user-data-dir={self._profile}", "--remote-debugging-pipe",
                "about:blank"]
        self._log = open(Path(self._profile).with_suffix(".log"), "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            # bash, not sh: dash reads only one-digit descriptors in a redirection
            [shutil.which("bash") or "/bin/bash", "-c",
             f'exec "$0" "$@" 3<&{child_in} 4>&{child_out}',
             self.executable, *args],
            pass_fds=(child_in, child_out), stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=self._log,
        )
        os.close(child_in)
        os.close(child_out)
        self._write, self._read = to_w, from_r
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()
        self.call("Browser.getVersion")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._send("Browser.close", {})
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._write, self._read):
            try:
                os.close(fd)
            except OSError:
                pass
        self._log.close()
        shutil.rmtree(self._profile, ignore_errors=True)
        Path(self._profile).with_suffix(".log").unlink(missing_ok=True)

    def _read_loop(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._read, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                if raw:
                    self._messages.put(json.loads(raw))
        self._messages.put(None)  # the browser has gone

    def _send(self, method: str, params: dict, session: str | None = None) -> int:
        with self._lock:
            self._next_id += 1
            msg = {"id": self._next_id, "method": method, "params": params}
            if session:
                msg["sessionId"] = session
            os.write(self._write, json.dumps(msg).encode() + b"\0")
            return self._next_id

    def _next_message(self, deadline: float) -> dict:
        left = deadline - time.monotonic()
        if left <= 0:
            raise BrowserError("the browser did not answer in time")
        try:
            msg = self._messages.get(timeout=left)
        except queue.Empty as exc:
            raise BrowserError("the browser did not answer in time") from exc
        if msg is None:
            raise BrowserError(f"the browser exited (code {self.proc.poll()})")
        return msg

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one DevTools command and return its result (events meanwhile are kept)."""
        wanted = self._send(method, params or {}, session)
        deadline = time.monotonic() + self.timeout
        while True:
            msg = self._next_message(deadline)
            if msg.get("id") == wanted:
                if "error" in msg:
                    raise BrowserError(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})
            if "method" in msg:
                self._events.append(msg)

    def wait_for(self, method: str, session: str, timeout: float | None = None) -> dict:
        """Wait for the event ``method`` of ``session`` (one already received counts)."""
        for i, ev in enumerate(self._events):
            if ev["method"] == method and ev.get("sessionId") == session:
                return self._events.pop(i)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            msg = self._next_message(deadline)
            if msg.get("method") == method and msg.get("sessionId") == session:
                return msg
            if "method" in msg:
                self._events.append(msg)

    def events(self, session: str) -> list[dict]:
        """All events received so far for ``session`` (and forget them)."""
        mine = [e for e in self._events if e.get("sessionId") == session]
        self._events = [e for e in self._events if e.get("sessionId") != session]
        return mine

    def evaluate(self, expression: str, session: str):
        """The value of a JavaScript expression in the page (promises are awaited)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session)
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    # -- pages --------------------------------------------------------------------------------
    @contextmanager
    def page(self, url: str, *, width: int = 1280, height: int = 900):
        """Open ``url`` in a new tab, offline, ``width`` x ``height`` CSS pixels; yield the
        DevTools session once the page has loaded; close the tab afterwards."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        try:
            for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
                self.call(method, {}, session)
            self.call("Network.emulateNetworkConditions", {
                "offline": True, "latency": 0, "downloadThroughput": -1,
                "uploadThroughput": -1}, session)
            self.call("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session)
            nav = self.call("Page.navigate", {"url": url}, session)
            if nav.get("errorText"):
                raise BrowserError(f"{url}: {nav['errorText']}")
            self.wait_for("Page.loadEventFired", session)
            yield session
        finally:
            self.call("Target.closeTarget", {"targetId": target})

    def check_page(self, url: str, *, screenshot: Path | None = None, width: int = 1280,
                   height: int = 900) -> PageReport:
        """Open ``url`` offline, wait for it and its images, report errors, save a screenshot."""
        with self.page(url, width=width, height=height) as session:
            images = self.evaluate(_IMAGES_JS, session)
            report = PageReport(
                url=url, title=self.evaluate("document.title", session), images=images,
                solutions_open=self.evaluate(
                    "Array.from(document.querySelectorAll('details.likekit-solution'))"
                    ".map(d => d.open)", session),
                links=self.evaluate("Array.from(document.links).map(a => a.href)", session))
            self.settle(session)
            if screenshot is not None:
                report.screenshot = self.screenshot(session, Path(screenshot), width)
            for ev in self.events(session):
                _collect(report, ev)
            return report

    def settle(self, session: str) -> None:
        """Wait for the next frame to be drawn (after a page change, before a screenshot)."""
        self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 150)))", session)

    def screenshot(self, session: str, path: Path, width: int = 1280) -> Path:
        """Save the whole page (up to MAX_SHOT_HEIGHT px tall) as a PNG at ``path``."""
        metrics = self.call("Page.getLayoutMetrics", {}, session)
        size = metrics.get("cssContentSize") or metrics.get("contentSize")
        h = int(min(max(size["height"], 1), MAX_SHOT_HEIGHT))
        shot = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": h, "scale": 1}}, session)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


# Wait for every image (loaded or failed), then report each one's size.
_IMAGES_JS = """
Promise.all(Array.from(document.images).map(img => img.decode().catch(() => null)))
  .then(() => Array.from(document.images).map(img => ({
      src: img.currentSrc || img.src, complete: img.complete,
      naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, alt: img.alt})))
"""


def _collect(report: PageReport, ev: dict) -> None:
    """File one DevTools event into ``report`` when it is an error or a network request.

    A file or image that fails to load shows up as a Log entry of level "error".
    """
    method, p = ev["method"], ev.get("params", {})
    if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
        text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
        report.console_errors.append(text)
    elif method == "Runtime.exceptionThrown":
        details = p.get("exceptionDetails", {})
        report.console_errors.append(
            details.get("exception", {}).get("description") or details.get("text", "exception"))
    elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
        entry = p["entry"]
        report.console_errors.append(f"{entry.get('text')} {entry.get('url', '')}".strip())
    elif method == "Network.requestWillBeSent":
        url = p.get("request", {}).get("url", "")
        if not url.startswith(LOCAL_SCHEMES):
            report.network.append(url)


def site_pages(site: Path) -> list[Path]:
    """The pages of a built site: index first, then notebooks in order, glossary, gallery."""
    site = Path(site)
    notebooks = sorted(site.glob("[0-9][0-9]-*.html"))
    return [site / "index.html", *notebooks, site / "glossary.html", site / "gallery.html"]


def check_site(site: Path, shots: Path, *, executable: str | None = None) -> list[PageReport]:
    """Open every page of ``site`` in headless Chromium, screenshots into ``shots``."""
    reports = []
    with Chromium(executable) as browser:
        for page in site_pages(site):
            reports.append(browser.check_page(page.resolve().as_uri(),
                                              screenshot=Path(shots) / f"{page.stem}.png"))
    return reports


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    site = Path(argv[0]) if argv else paths.BUILD / "site"
    if not (site / "index.html").exists():
        print(f"error: {site}: no index.html (run `make html` first)", file=sys.stderr)
        return 2
    try:
        reports = check_site(site, paths.BUILD / "screenshots")
    except BrowserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    bad = 0
    for r in reports:
        problems = r.problems()
        bad += bool(problems)
        print(f"{'ok' if not problems else 'FAIL':5s} {Path(r.url).name:36s} "
              f"{len(r.images)} images, screenshot {r.screenshot}")
        for p in problems:
            print(f"      - {p}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
