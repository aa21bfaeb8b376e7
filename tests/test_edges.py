"""Trust at the edges (issue 12): every reader and command line entry point keeps its contract.

The contract: a correct answer, or exit code 2 with one line on stderr naming the user's own
words, no traceback, nothing written and no temporary file left. Property-based tests
(Hypothesis) generate files and flag values; example-based tests pin each class of the issue:
silent wrong answers, sizes refused before allocating, files and folders, network errors and
messages in flag words. Memory and speed are measured by ``make bench``, never timed here.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.cli import main
from analysis.datasets import download
from analysis.datasets import registry as datasets
from analysis.datasets.userdata import MAX_COUNT, read_fans
from analysis.engine.graphs import read_edge_list
from analysis.errors import InputError
from analysis.estimation.estimators import fan_counts_from_file, from_cohorts
from analysis.estimation.fan_counts import tabulate

FAST = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
MIRROR = paths.SHARED_MIRROR
needs_mirror = pytest.mark.skipif(
    not all((MIRROR / d.relpath).is_file() for d in datasets.REGISTRY.values()),
    reason=f"offline data mirror not found at {MIRROR}")


def run_cli(argv, cwd: Path | None = None) -> tuple[int, str, str]:
    """``python -m analysis ARGV`` in this process: (exit code, stdout, stderr).

    An exception escaping ``main`` (what a user would see as a traceback) fails the test.
    """
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in argv])
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


def assert_contract(code: int, out: str, err: str) -> None:
    """Exit 0, or exit 2 with one line 'error: ...' on stderr and nothing on stdout."""
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err
    if code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert out == ""


@pytest.fixture
def small_budget(monkeypatch):
    """A 1 GB memory budget: big sizes are refused at once instead of run."""
    monkeypatch.setenv("LIKEKIT_MEMORY_GB", "1")


# ================================================================ class 1: silent wrong answers

def _fans_csv(rows, *, bom=False, crlf=False, extra=False) -> bytes:
    head = "fan_id,cohort,exposures,engagements" + (",note" if extra else "")
    lines = [head] + [f"{i},{c},{e},{y}" + (",x" if extra else "")
                      for i, (c, e, y) in enumerate(rows)]
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def _cells(fc) -> list[tuple]:
    return sorted(zip(fc.cohort.tolist(), fc.exposures.tolist(), fc.engagements.tolist(),
                      fc.weight.tolist(), strict=True))


count = st.one_of(st.integers(0, 20), st.integers(0, 2**62))
fan_row = st.tuples(st.sampled_from(["organic", "campaign"]), count, count).map(
    lambda r: (r[0], r[1], 0 if r[1] == 0 else r[2]))


@FAST
@given(rows=st.lists(fan_row, min_size=1, max_size=40), block=st.sampled_from([40, 300, 10**7]),
       bom=st.booleans(), crlf=st.booleans(), extra=st.booleans())
def test_cohorts_file_tabulates_exactly_or_refuses(tmp_path, rows, block, bom, crlf, extra):
    path = tmp_path / "fans.csv"
    path.write_bytes(_fans_csv(rows, bom=bom, crlf=crlf, extra=extra))
    too_big = any(e > MAX_COUNT or y > MAX_COUNT for _, e, y in rows)
    one_cohort = len({c for c, _, _ in rows}) < 2
    if too_big or one_cohort:
        with pytest.raises(InputError) as err:
            fan_counts_from_file(path, block_bytes=block)
        assert "\n" not in str(err.value) and str(path) in str(err.value)
        assert ("larger than" in str(err.value)) if too_big else ("every fan is" in str(err.value))
        return
    fc = fan_counts_from_file(path, block_bytes=block)
    c = np.array([r[0] == "campaign" for r in rows], dtype=np.int8)
    e = np.array([r[1] for r in rows], dtype=np.int64)
    y = np.array([r[2] for r in rows], dtype=np.int64)
    assert _cells(fc) == _cells(tabulate(c, e, y))
    assert fc.n_fans == len(rows)
    # the same answer, whatever the blocks
    assert _cells(fan_counts_from_file(path, block_bytes=10**7)) == _cells(fc)


@FAST
@given(rows=st.lists(fan_row.filter(lambda r: max(r[1], r[2]) < 10**6), min_size=4,
                     max_size=30),
       where=st.integers(0, 10**6), column=st.integers(0, 3),
       junk=st.sampled_from(["", " ", "x", "-1", "1.5", "1e400", "nan", "organic ",
                             "99999999999999999999999", "\u0662", "campaign", "7"]))
def test_cohorts_cli_contract_on_corrupted_files(tmp_path, rows, where, column, junk):
    rows = [("organic", 3, 1), ("campaign", 3, 0)] + rows
    lines = _fans_csv(rows).decode().splitlines()
    k = 1 + where % len(rows)
    cells = lines[k].split(",")
    cells[column] = junk
    lines[k] = ",".join(cells)
    path = tmp_path / "fans.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = sorted(os.listdir(tmp_path))
    code, out, err = run_cli(["estimate", "cohorts", path, "--json"], cwd=tmp_path)
    assert_contract(code, out, err)
    assert sorted(os.listdir(tmp_path)) == before  # nothing written
    if code == 0:
        assert json.loads(out)["n"] == len(rows)


def test_huge_counts_are_exact_not_wrapped(tmp_path):
    """Example file x 3e8 and x 4e8: the ratio estimate is scale-free (it was 0.547 / wrong)."""
    fans = read_fans(paths.DATA / "examples" / "cohorts.csv")
    base = from_cohorts(fans).estimate
    for k in (3 * 10**8, 4 * 10**8, 10**12):
        big = fans.assign(exposures=fans["exposures"] * k, engagements=fans["engagements"] * k)
        path = tmp_path / f"x{k}.csv"
        big.to_csv(path, index=False)
        est = from_cohorts(fan_counts_from_file(path))
        assert est.estimate == pytest.approx(base, rel=1e-12)
        assert est.extra["fans_campaign"] == 200


def test_counts_above_two_to_the_53_are_refused_with_the_line(tmp_path):
    path = tmp_path / "fans.csv"
    path.write_text("fan_id,cohort,exposures,engagements\n1,organic,3,1\n"
                    f"2,campaign,{2**60},0\n")
    code, out, err = run_cli(["estimate", "cohorts", path])
    assert code == 2 and "line 3" in err and "'exposures'" in err and "larger than" in err


ident = st.one_of(st.integers(0, 30).map(str), st.sampled_from(["ann", "bob", "cy", "dee"]))


@FAST
@given(ties=st.lists(st.tuples(ident, ident), min_size=1, max_size=30),
       sep=st.sampled_from([" ", "\t", ",", " , "]), bom=st.booleans(),
       header=st.sampled_from([None, "source,target", "from to", "u v", "# comment"]),
       blank=st.booleans())
def test_edge_list_people_are_exactly_the_ids(tmp_path, ties, sep, bom, header, blank):
    lines = ([header] if header else []) + [f"{a}{sep}{b}" for a, b in ties]
    if blank:
        lines.insert(1, "")
    path = tmp_path / "ties.txt"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\n".join(lines) + "\n").encode())
    g = read_edge_list(path)
    first = ties[0]
    numeric = [x.isdigit() for x in first]
    # a comment line is skipped, so the rule sees the first tie line as the top line
    if header in (None, "# comment") and not any(numeric) and len(ties) > 1 and (
            all(x.isdigit() for t in ties[1:] for x in t)):
        ties = ties[1:]  # the documented rule: two words above ties of numbers are a header
    people = {x for tie in ties for x in tie}
    assert set(g.labels) == people and g.n == len(people)  # no phantom person
    pairs = {frozenset(t) for t in ties if t[0] != t[1]}
    assert g.n_edges == len(pairs)


def test_edge_list_bom_and_header_examples(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf0 1\n1 2\n")
    assert read_edge_list(bom).labels == ("0", "1", "2")
    header = tmp_path / "header.csv"
    header.write_text("source,target\n0,1\n1,2\n")
    assert read_edge_list(header).n == 3
    named = tmp_path / "named.csv"
    named.write_text("alice bob\nbob carol\n")  # names are people, not a header
    assert read_edge_list(named).n == 3


@pytest.fixture
def raw_copy(tmp_path, monkeypatch):
    """A verified raw folder copied from the mirror; LIKEKIT_RAW_DIR points at it."""
    if not all((MIRROR / d.relpath).is_file() for d in datasets.REGISTRY.values()):
        pytest.skip(f"offline data mirror not found at {MIRROR}")
    raw = tmp_path / "raw"
    download.fetch(mirror=MIRROR, dest=raw, progress=False)
    monkeypatch.setenv("LIKEKIT_RAW_DIR", str(raw))
    return raw


def test_real_data_is_verified_on_every_use(raw_copy, tmp_path):
    from analysis.datasets import loaders

    assert loaders.snap_available() and loaders.uci_available()
    snap = raw_copy / datasets.REGISTRY["snap_ego_facebook"].relpath
    with open(snap, "a") as fh:  # a corrupted copy: one tie more
        fh.write("0 99999\n")
    assert not loaders.snap_available()
    code, out, err = run_cli(["campaign", "--snap", "--target", "70"])
    assert code == 2 and "fails its sha256 check" in err and str(snap) in err and out == ""
    uci = raw_copy / datasets.REGISTRY["uci_facebook_metrics"].relpath
    uci.write_text(uci.read_text().replace(";Photo;", ";Status;", 1))
    out_file = tmp_path / "calibration.csv"
    code, out, err = run_cli(["data", "calibrate", "--out", out_file])
    assert code == 2 and "fails its sha256 check" in err and "nothing written" in err
    assert not out_file.exists() and not list(tmp_path.glob(".*.tmp"))
    code, out, _ = run_cli(["data", "status"])
    assert code == 0 and out.count("CHECKSUM MISMATCH") == 2


# ============================================== class 2: sizes refused at once, in flag words

@pytest.mark.parametrize("argv, words", [
    (["campaign", "--population", "10000000", "--mean-degree", "1000"], "--mean-degree"),
    (["campaign", "--bots-per-day", "10000000"], "--bots-per-day"),
    (["campaign", "--population", "10000000"], "--population 10,000,000"),
    (["roi", "--graph-people", "1000000000"], "--graph-people"),
])
def test_absurd_sizes_refused_before_allocating(small_budget, argv, words):
    code, out, err = run_cli(argv)
    assert_contract(code, out, err)
    assert code == 2 and words in err and "GB of memory" in err and "LIKEKIT_MEMORY_GB" in err


def test_memory_estimate_grows_with_ties_and_the_budget_is_stated(monkeypatch):
    from analysis.engine import memory

    small = memory.campaign_bytes(10**6, 20)
    assert memory.campaign_bytes(10**7, 20) > 9 * (small - memory.BYTES_BASE)
    assert memory.campaign_bytes(10**7, 1000) > 100e9  # refused on any ordinary machine
    monkeypatch.setenv("LIKEKIT_MEMORY_GB", "2.5")
    assert memory.budget_bytes() == (2.5e9, "LIKEKIT_MEMORY_GB=2.5")
    monkeypatch.setenv("LIKEKIT_MEMORY_GB", "lots")
    with pytest.raises(InputError, match="LIKEKIT_MEMORY_GB=lots"):
        memory.budget_bytes()


def test_run_campaign_refuses_over_budget(small_budget):
    from analysis.engine.campaign import run_campaign
    from analysis.engine.scenario import Scenario

    with pytest.raises(InputError, match="needs about .* GB of memory"):
        run_campaign(Scenario(population=5_000_000, mean_degree=500, seeds=300),
                     rng=np.random.default_rng(0))


campaign_flags = st.fixed_dictionaries({}, optional={
    "--population": st.one_of(st.integers(-5, 3000), st.sampled_from([10**7, 10**8, 10**12])),
    "--mean-degree": st.one_of(st.floats(-1, 60), st.sampled_from([999.0, 1e6, float("nan")])),
    "--seeds": st.integers(-1, 400),
    "--target": st.integers(-1, 500),
    "--days": st.integers(-1, 30),
    "--homophily": st.floats(-0.5, 1.5),
    "--bots-per-day": st.one_of(st.floats(0, 20), st.sampled_from([-1.0, 1e7])),
    "--cheque": st.floats(-10, 1e4),
    "--seed": st.integers(-3, 2**40),
    "--jobs": st.integers(-1, 1),
    "--replicates": st.integers(-1, 2),
})


@FAST
@given(flags=campaign_flags, no_pledge=st.booleans())
def test_campaign_cli_contract(small_budget, tmp_path, flags, no_pledge):
    argv = ["campaign", "--json"] + [x for k, v in flags.items() for x in (k, v)]
    if "--population" not in flags:
        argv += ["--population", "1500", "--seeds", str(min(flags.get("--seeds", 30), 1500))]
    if no_pledge:
        argv.append("--no-pledge")
    code, out, err = run_cli(argv, cwd=tmp_path)
    assert_contract(code, out, err)
    assert not any(tmp_path.iterdir())
    if code == 0:
        result = json.loads(out)
        assert result["likes"] >= 0 and result["seed"] == flags.get("--seed", 2010)
    else:  # the message names a flag the user typed (or a default, said to be one)
        assert "--" in err or "LIKEKIT" in err


# ======================================================== class 4: files and folders

@pytest.mark.parametrize("make", ["folder", "file_parent", "missing"])
def test_calibrate_out_in_the_wrong_place_is_one_line_and_leaves_no_tmp(tmp_path, make):
    from analysis.datasets import loaders

    if not loaders.uci_available():
        pytest.skip("the UCI table is not fetched (make data)")
    (tmp_path / "a_file").write_text("x")
    (tmp_path / "a_folder").mkdir()
    out = {"folder": tmp_path / "a_folder", "file_parent": tmp_path / "a_file" / "cal.csv",
           "missing": tmp_path / "new" / "cal.csv"}[make]
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, stdout, err = run_cli(["data", "calibrate", "--out", out])
    assert_contract(code, stdout, err)
    if make == "missing":  # a new folder is made, like mkdir -p
        assert code == 0 and out.is_file()
    else:
        assert code == 2 and "--out" in err and str(out) in err
        assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no .tmp left


@needs_mirror
@pytest.mark.parametrize("make", ["file", "under_file"])
def test_fetch_dest_that_is_a_file(tmp_path, make):
    (tmp_path / "a_file").write_text("x")
    dest = tmp_path / "a_file" if make == "file" else tmp_path / "a_file" / "raw"
    code, out, err = run_cli(["data", "fetch", "--mirror", MIRROR, "--dest", dest])
    assert_contract(code, out, err)
    assert code == 2 and "--dest" in err and "nothing was installed" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_environment_folders_that_are_files(tmp_path, monkeypatch):
    (tmp_path / "a_file").write_text("x")
    monkeypatch.setenv("LIKEKIT_RAW_DIR", str(tmp_path / "a_file"))
    code, out, err = run_cli(["data", "status"])
    assert code == 2 and "LIKEKIT_RAW_DIR=" in err and "expected a folder" in err
    monkeypatch.delenv("LIKEKIT_RAW_DIR")
    monkeypatch.setenv("LIKEKIT_FIGURES_DIR", str(tmp_path / "a_file"))
    with pytest.raises(InputError, match="LIKEKIT_FIGURES_DIR"):
        paths.figures_dir()


def test_unreadable_and_folder_inputs(tmp_path, monkeypatch):
    folder = tmp_path / "a_folder.csv"
    folder.mkdir()
    for argv in (["estimate", "cohorts", folder], ["campaign", "--edges", folder],
                 ["estimate", "daily", folder, "--campaign-start", "2010-11-06",
                  "--campaign-end", "2010-11-19"]):
        code, out, err = run_cli(argv)
        assert code == 2 and "is a folder" in err and str(folder) in err, err
    locked = tmp_path / "locked.csv"
    locked.write_text("fan_id,cohort,exposures,engagements\n1,organic,1,0\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(locked))

    monkeypatch.setattr("builtins.open", refuse)  # as for a file without read permission
    code, out, err = run_cli(["estimate", "cohorts", locked])
    monkeypatch.undo()
    assert code == 2 and "cannot be read (Permission denied)" in err and str(locked) in err


def test_stale_staging_folders_are_cleaned(tmp_path):
    root = tmp_path / "raw"
    dead = root / ".fetch-999999999-abc"  # a process id that cannot be running
    mine = root / f".fetch-{os.getpid()}-live"
    old = root / ".fetch-xyz"
    for d in (dead, mine, old):
        d.mkdir(parents=True)
        (d / "download-partial").write_bytes(b"half a file")
    os.utime(old, (0, 0))
    removed = download.clean_stale_staging(root)
    assert sorted(removed) == sorted([dead, old]) and mine.is_dir()


# ========================================================== class 5: network errors

class _CutOff(http.server.BaseHTTPRequestHandler):
    """Promises 10^6 bytes and sends 10: a transfer cut off mid-way."""

    def do_GET(self):  # noqa: N802 - http.server API
        self.send_response(200)
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        self.wfile.write(b"0 1\n1 2\n0 ")
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _server(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_download_failures_are_one_plain_line(tmp_path):
    dest = tmp_path / "raw"
    with _server(_CutOff) as url:
        code, out, err = run_cli(["data", "fetch", "--base-url", url, "--dest", dest,
                                  "--only", "snap_ego_facebook", "--no-progress"])
    assert code == 2 and "cut off before the end" in err, err
    code, out, err = run_cli(["data", "fetch", "--base-url", f"http://127.0.0.1:{_free_port()}",
                              "--dest", dest, "--no-progress"])
    assert code == 2 and "connection was refused" in err, err
    for url in ("ftp://127.0.0.1/x", "file:///etc", "127.0.0.1:80", "gopher://127.0.0.1"):
        code, out, err = run_cli(["data", "fetch", "--base-url", url, "--dest", dest])
        assert code == 2 and "not an http:// or https:// address" in err, err
    with _server(functools.partial(http.server.SimpleHTTPRequestHandler,
                                   directory=str(tmp_path / "empty"))) as url:
        (tmp_path / "empty").mkdir()
        code, out, err = run_cli(["data", "fetch", "--base-url", url, "--dest", dest,
                                  "--no-progress"])
    assert code == 2 and "HTTP 404" in err
    assert not dest.exists() or not any(dest.rglob("*"))  # nothing left, no staging folder


# ===================================================== class 8: messages in the user's words

@pytest.mark.parametrize("argv, words", [
    (["campaign", "--population", "200"], "--seeds (default 300) must be at most --population"),
    (["campaign", "--population", "10", "--seeds", "5"], "--mean-degree (default 20)"),
    (["campaign", "--jobs", "0", "--replicates", "2"], "--jobs must be at least 1"),
    (["campaign", "--seed", "-1"], "--seed must be a non-negative integer"),
    (["estimate", "ab", "--asked-with", "10", "--liked-with", "5", "--asked-without", "10",
      "--liked-without", "2", "--seed", "-1"], "--seed must be a non-negative integer"),
])
def test_messages_name_the_flags(argv, words):
    code, out, err = run_cli(argv)
    assert_contract(code, out, err)
    assert code == 2 and words in err


def test_all_zero_daily_file_gets_the_kits_sentence(tmp_path):
    path = tmp_path / "daily.csv"
    days = np.datetime64("2010-09-01") + np.arange(60)
    path.write_text("date,new_likes\n" + "".join(f"{d},0\n" for d in days))
    code, out, err = run_cli(["estimate", "daily", path, "--campaign-start", "2010-10-10",
                              "--campaign-end", "2010-10-20"])
    assert code == 2 and "no likes at all" in err and "deviance" not in err


def test_help_prints_each_default_once():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit):
        main(["campaign", "--help"])
    text = " ".join(buf.getvalue().split())
    assert ") (default" not in text and "default see help" not in text
    assert "(default 300)" in text and "(default price per like x target)" in text


daily_row = st.tuples(st.integers(0, 400), st.sampled_from(["", " ", "x", "-3", "2.5"]))


@FAST
@given(likes=st.lists(st.one_of(st.integers(0, 50), st.just(0)), min_size=20, max_size=70),
       start=st.integers(0, 80), length=st.integers(-2, 20), junk=st.none() | daily_row)
def test_daily_cli_contract(tmp_path, likes, start, length, junk):
    days = np.datetime64("2010-09-01") + np.arange(len(likes))
    rows = [f"{d},{n}" for d, n in zip(days, likes, strict=True)]
    if junk is not None:
        rows[junk[0] % len(rows)] = f"{days[junk[0] % len(rows)]},{junk[1]}"
    path = tmp_path / "daily.csv"
    path.write_text("date,new_likes\n" + "\n".join(rows) + "\n")
    s = np.datetime64("2010-09-01") + start
    code, out, err = run_cli(["estimate", "daily", path, "--campaign-start", s,
                              "--campaign-end", s + length, "--json"], cwd=tmp_path)
    assert_contract(code, out, err)
    if code == 0:
        assert json.loads(out)["method"] == "its"


@FAST
@given(counts=st.lists(st.one_of(st.integers(-5, 3000), st.sampled_from(
    ["x", "1.5", "1e3", "", "nan", "-0", str(2**70)])), min_size=4, max_size=4),
    seed=st.integers(-2, 5))
def test_ab_cli_contract(tmp_path, counts, seed):
    flags = ["--asked-with", "--liked-with", "--asked-without", "--liked-without"]
    argv = ["estimate", "ab", "--json", "--seed", seed] + [
        x for f, v in zip(flags, counts, strict=True) for x in (f, v)]
    code, out, err = run_cli(argv, cwd=tmp_path)
    assert_contract(code, out, err)
    if code == 0:
        est = json.loads(out)["estimate"]
        assert est is None or est <= 1


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flags=st.fixed_dictionaries({}, optional={
    "--budget": st.one_of(st.floats(-10, 1e6), st.just(float("inf"))),
    "--draws": st.integers(-1, 50),
    "--graph-people": st.one_of(st.integers(100, 400), st.just(10**9)),
    "--horizon-months": st.floats(-1, 700),
    "--seed": st.integers(-2, 9),
    "--closed-eyes-share": st.floats(-0.5, 1.5),
}))
def test_roi_cli_contract(small_budget, tmp_path, flags):
    argv = ["roi", "--json", "--graph-people", "300", "--draws", "20"] + [
        x for k, v in flags.items() for x in (k, v)]
    code, out, err = run_cli(argv, cwd=tmp_path)
    assert_contract(code, out, err)
    assert not any(tmp_path.iterdir())


def test_cli_subprocess_exit_code_and_one_line(tmp_path):
    """The real command line: exit code 2, one line on stderr, no traceback."""
    done = subprocess.run([sys.executable, "-m", "analysis", "campaign", "--population", "200"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not any(tmp_path.iterdir())
