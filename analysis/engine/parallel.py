"""Replicates in parallel, the kit's one way: independent random streams and one runner.

* :func:`stream` -- the random stream of one replicate: ``SeedSequence(seed, spawn_key=key)``.
  It costs O(1) whatever the index, and equals ``SeedSequence(seed).spawn(n)[i]`` for
  ``key=(i,)``, so results depend only on (parameters, seed, index), never on how the work is
  split across processes.
* :func:`run` -- calls a function on every task through joblib processes, with a tqdm bar, in
  task order. The task list is consumed lazily (a generator is never built into a list), the
  number of workers is capped at the number of cores (:func:`cap_workers`), and when the run is
  stopped (Ctrl-C, SIGTERM, SIGHUP, a kernel restart that kills the parent) no worker keeps
  running: the parent turns SIGTERM/SIGHUP into KeyboardInterrupt so joblib terminates its
  workers, and each worker exits on its own as soon as its parent is gone.
* Dask: inside ``joblib.parallel_config(backend="dask")`` the same code sends the tasks to a
  Dask cluster (``pip install -e '.[dask]'``); the core cap and the parent watch then stay off.

Used by the campaign Monte Carlo (:mod:`analysis.engine.montecarlo`), the ROI model's graphs
(:mod:`analysis.roi.model`) and the recovery study (:mod:`analysis.estimation.recovery`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterable

import numpy as np
from joblib import Parallel, delayed
from joblib.parallel import LokyBackend, get_active_backend
from tqdm import tqdm  # text bars: no ipywidgets warning in notebooks, none in the HTML

from analysis.errors import InputError

LOCAL_BACKENDS = ("LokyBackend", "MultiprocessingBackend")
_PARENT_POLL_S = 0.5
_watching: list[int] = []  # the parent pid a worker process already watches (one thread each)


def stream(seed: int, *key: int) -> np.random.Generator:
    """The random stream of replicate ``key`` of ``seed`` (``key``: one or more indices).

    ``stream(seed, i)`` draws the same numbers as ``SeedSequence(seed).spawn(n)[i]`` (any n > i).
    """
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=tuple(int(k) for k in key)))


def cores() -> int:
    """Cores this process may use (its CPU affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def cap_workers(n_jobs: int | None) -> tuple[int | None, bool]:
    """(workers to start, whether ``n_jobs`` was lowered): at most one worker per core.

    None (joblib's default) and negative values (joblib's "all cores", "all but one", ...)
    pass unchanged; 0 is refused.
    """
    if n_jobs is None or n_jobs < 0:
        return n_jobs, False
    if n_jobs == 0:
        raise InputError("n_jobs must be at least 1 (or -1 for every core), got 0")
    limit = cores()
    return (limit, True) if n_jobs > limit else (n_jobs, False)


def _local(n_jobs: int | None) -> bool:
    """True when the tasks would run in local worker processes (not threads, not Dask)."""
    backend, _ = get_active_backend()
    return type(backend).__name__ in LOCAL_BACKENDS and n_jobs not in (None, 1)


def _watch_parent(parent: int) -> None:
    """In a worker process: exit at once when ``parent`` is no longer this process's parent."""
    if parent == os.getpid() or parent in _watching:
        return
    _watching.append(parent)

    def watch():
        while os.getppid() == parent:
            threading.Event().wait(_PARENT_POLL_S)
        os._exit(1)  # the parent died or was killed: stop computing for nobody

    threading.Thread(target=watch, name="likekit-parent-watch", daemon=True).start()


def _call(func: Callable, task: tuple, parent: int | None):
    if parent is not None:
        _watch_parent(parent)
    return func(*task)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def _stop_on_signals():
    """SIGTERM and SIGHUP interrupt the run like Ctrl-C (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    before = {s: signal.getsignal(getattr(signal, s)) for s in names}
    for s in names:
        if before[s] in (signal.SIG_DFL, None):
            signal.signal(getattr(signal, s), _interrupt)
    try:
        yield
    finally:
        for s in names:
            if before[s] in (signal.SIG_DFL, None):
                signal.signal(getattr(signal, s), before[s] or signal.SIG_DFL)


def run(func: Callable, tasks: Iterable[tuple], *, total: int, n_jobs: int | None = None,
        progress: bool = True, desc: str = "replicates") -> list:
    """``[func(*task) for task in tasks]``, in parallel, in task order.

    tasks: any iterable of argument tuples, consumed lazily. total: how many (for the bar).
    n_jobs: joblib workers (None: joblib's default, 1 unless a ``parallel_config`` says
    otherwise; -1: every core); more than the machine's cores are capped at its cores.
    ``func`` must be a module-level function (it is pickled into the workers).
    """
    n_jobs, _ = cap_workers(n_jobs)
    parent = os.getpid() if _local(n_jobs) else None
    backend = None
    if parent is not None and isinstance(get_active_backend()[0], LokyBackend):
        # each worker watches its parent from the moment it starts, not only once busy
        backend = LokyBackend(initializer=_watch_parent, initargs=(parent,))
    with _stop_on_signals():
        parallel = Parallel(n_jobs=n_jobs, backend=backend, return_as="generator")
        out = parallel(delayed(_call)(func, t, parent) for t in tasks)
        return list(tqdm(out, total=total, desc=desc, disable=not progress, leave=False))
