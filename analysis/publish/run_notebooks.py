"""Execute notebooks in order from a fresh kernel with papermill, printing progress.

``python -m analysis.publish.run_notebooks [--quick] [-p NAME VALUE ...] NOTEBOOK ...`` writes the executed
copies to ``build/notebooks/`` (git-ignored). ``make all`` calls it with every numbered notebook.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis import paths


def _value(text: str):
    """Parse a -p value the way a person means it: int, float, bool, None, else string."""
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"true": True, "false": False, "none": None}.get(text.lower(), text)


def _ipc_kernel_manager():
    """A kernel manager talking to the kernel over local IPC sockets instead of TCP ports:
    nothing is exposed on the network, and the kernel has no reason to warn about it."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)

    return IPCKernelManager


def execute(notebook: Path, out_dir: Path, parameters: dict, *, progress: bool = True) -> Path:
    """Run one notebook with papermill into ``out_dir``; return the executed copy's path."""
    import papermill

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / notebook.name
    papermill.execute_notebook(
        str(notebook),
        str(target),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(notebook.parent),
        # show the notebook's own progress bars (its stderr) live, rather than papermill's
        # per-cell bar, which stands still for minutes on a long cell
        progress_bar=False,
        stderr_file=sys.stderr if progress else None,
        kernel_manager_class=_ipc_kernel_manager(),
    )
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.publish.run_notebooks", description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--quick", action="store_true", help="small sizes (QUICK=True)")
    parser.add_argument("-p", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="set a parameter of every notebook (papermill -p)")
    parser.add_argument("--out", type=Path, default=paths.BUILD / "notebooks")
    args = parser.parse_args(argv)
    missing = [str(nb) for nb in args.notebooks if not nb.exists()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    params = {name: _value(value) for name, value in args.p}
    if args.quick:
        params["QUICK"] = True
    complete = args.out / ".complete"
    complete.unlink(missing_ok=True)
    total = len(args.notebooks)
    start_all = time.perf_counter()
    for i, nb in enumerate(args.notebooks, 1):
        print(f"[{i}/{total}] {nb.name} ...", flush=True)
        start = time.perf_counter()
        target = execute(nb, args.out, params)
        print(f"[{i}/{total}] {nb.name} done in {time.perf_counter() - start:.0f} s -> {target}",
              flush=True)
    complete.touch()
    print(f"all {total} notebooks ran in {time.perf_counter() - start_all:.0f} s; "
          f"charts in {paths.figures_dir()}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
