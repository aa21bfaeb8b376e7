"""The one parallel runner: the same streams as before, workers capped at the cores, sizes
refused up front, and no worker left running when a run is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from analysis.cli import main
from analysis.engine import parallel
from analysis.errors import InputError


def test_stream_is_the_spawned_child_without_spawning_them_all():
    for seed, i in ((2010, 0), (7, 5), (1, 999)):
        spawned = np.random.default_rng(np.random.SeedSequence(seed).spawn(i + 1)[i])
        assert np.array_equal(parallel.stream(seed, i).random(8), spawned.random(8))
    # two-level keys (cell, replicate), as the recovery study uses
    assert np.array_equal(parallel.stream(3, 1, 2).random(4), np.random.default_rng(
        np.random.SeedSequence(3, spawn_key=(1, 2))).random(4))


def test_workers_are_capped_at_the_cores():
    cores = parallel.cores()
    assert parallel.cap_workers(1000) == (cores, True)
    assert parallel.cap_workers(1) == (1, False)
    assert parallel.cap_workers(None) == (None, False)
    assert parallel.cap_workers(-1) == (-1, False)
    with pytest.raises(InputError):
        parallel.cap_workers(0)


def _square(x):
    return x * x


def test_run_keeps_task_order_and_reads_tasks_lazily():
    pulled = []

    def tasks():
        for i in range(6):
            pulled.append(i)
            yield (i,)

    assert parallel.run(_square, tasks(), total=6, n_jobs=2, progress=False) == [
        i * i for i in range(6)]
    assert pulled == list(range(6))


def test_jobs_beyond_the_cores_are_clamped_with_one_line(capsys):
    code = main(["campaign", "--population", "400", "--seeds", "20", "--target", "30",
                 "--days", "5", "--replicates", "2", "--jobs", "1000", "--json"])
    err = capsys.readouterr().err.strip()
    assert code == 0
    assert err.startswith("note: --jobs 1000") and "\n" not in err


@pytest.mark.parametrize("argv, flag", [
    (["campaign", "--replicates", str(10**9)], "--replicates"),
    (["campaign", "--jobs", "0"], "--jobs"),
    (["roi", "--draws", str(10**9)], "--draws"),
])
def test_absurd_sizes_are_refused_at_once(argv, flag, capsys):
    start = time.perf_counter()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {flag}") and "\n" not in err
    assert time.perf_counter() - start < 30  # refused before any work (generous: shared CI)


def _descendants(pid: int) -> set[int]:
    """Processes below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.add(c)
            todo.append(c)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_no_worker_outlives_a_stopped_run(sig):
    """SIGTERM/SIGHUP (a closed terminal, a stopped `make`) and SIGKILL (a kernel restart) of
    a run with two workers leave no process of it running a few seconds later."""
    cmd = [sys.executable, "-m", "analysis", "campaign", "--population", "3000",
           "--replicates", "100000", "--jobs", "2", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    below: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(below) < 2:
            time.sleep(0.5)
            below = _descendants(proc.pid)
        assert len(below) >= 2, "the workers never started"
        time.sleep(2)  # let them get busy
        below = _descendants(proc.pid)
        proc.send_signal(sig)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(p) for p in below):
            time.sleep(0.25)
        survivors = [p for p in below if _alive(p)]
        assert survivors == [], f"still running after {sig.name}: {survivors}"
    finally:  # never leave this test's own processes behind, whatever happened
        if proc.poll() is None:
            below |= _descendants(proc.pid)
            proc.kill()
            proc.wait(timeout=30)
        for p in below:
            if _alive(p):
                os.kill(p, signal.SIGKILL)
