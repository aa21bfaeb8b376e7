"""Execute notebooks in order from a fresh kernel with papermill, printing progress.

``python -m analysis.publish.run_notebooks [--quick] [-p NAME VALUE ...] NOTEBOOK ...`` writes the executed
copies to ``build/notebooks/`` (git-ignored). ``make all`` calls it with every numbered notebook.

A run whose parameters differ from a notebook's defaults (its cell tagged ``parameters``) is a
run of its own: the executed notebook, its charts and its tables go to
``build/runs/<notebook>-<NAME>-<value>.../`` (``LIKEKIT_RUN_DIR`` tells the kit's helpers), and
``figures/`` and ``data/`` are left untouched. Only a run with the defaults rewrites them.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
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


def notebook_defaults(notebook: Path) -> dict:
    """The literal values assigned in the notebook's cell tagged ``parameters``."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    defaults = {}
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            for node in ast.parse("".join(cell["source"])).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                        and isinstance(node.targets[0], ast.Name):
                    try:
                        defaults[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        pass
    return defaults


def changed_parameters(notebook: Path, parameters: dict) -> dict:
    """The parameters that differ from the notebook's defaults (or that it does not declare)."""
    defaults = notebook_defaults(notebook)
    return {k: v for k, v in parameters.items() if k not in defaults or defaults[k] != v}


def run_folder(notebook: Path, changed: dict, runs: Path = paths.RUNS) -> Path:
    """``runs/<notebook>-<NAME>-<value>...``: where a run with non-default parameters goes."""
    parts = [Path(notebook).stem] + [f"{k}-{v}" for k, v in sorted(changed.items())]
    return runs / re.sub(r"[^A-Za-z0-9._-]+", "_", "-".join(parts))


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
    parser.add_argument("--out", type=Path, default=paths.BUILD / "notebooks",
                        help="folder of the executed notebooks of runs with the defaults")
    parser.add_argument("--runs", type=Path, default=paths.RUNS,
                        help="folder of the runs with other parameters (default build/runs)")
    args = parser.parse_args(argv)
    missing = [str(nb) for nb in args.notebooks if not nb.exists()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    params = {name: _value(value) for name, value in args.p}
    if args.quick:
        params["QUICK"] = True
    declared = {nb: notebook_defaults(nb) for nb in args.notebooks}
    unknown = [k for k in params if not any(k in d for d in declared.values())]
    if unknown:
        print(f"error: -p {unknown[0]}: no such parameter in {', '.join(nb.name for nb in declared)} "
              f"(they have {', '.join(sorted(set().union(*declared.values())))})", file=sys.stderr)
        return 2
    # each notebook gets the parameters it declares; those that differ make it a run of its own
    plan = {nb: {k: v for k, v in params.items() if k in d} for nb, d in declared.items()}
    changed = {nb: changed_parameters(nb, p) for nb, p in plan.items()}
    complete = args.out / ".complete"
    if not all(changed.values()):
        complete.unlink(missing_ok=True)
    total = len(args.notebooks)
    start_all = time.perf_counter()
    own_runs = []
    for i, nb in enumerate(args.notebooks, 1):
        print(f"[{i}/{total}] {nb.name} ...", flush=True)
        start = time.perf_counter()
        if changed[nb]:
            folder = run_folder(nb, changed[nb], args.runs)
            os.environ["LIKEKIT_RUN_DIR"] = str(folder)  # the kernel inherits it
            try:
                target = execute(nb, folder, plan[nb])
            finally:
                del os.environ["LIKEKIT_RUN_DIR"]
            own_runs.append(folder)
        else:
            target = execute(nb, args.out, plan[nb])
        print(f"[{i}/{total}] {nb.name} done in {time.perf_counter() - start:.0f} s -> {target}",
              flush=True)
    if len(own_runs) < total:
        complete.touch()
    print(f"all {total} notebooks ran in {time.perf_counter() - start_all:.0f} s", flush=True)
    for folder in own_runs:
        print(f"parameters differ from the notebook's defaults: its executed notebook, charts and "
              f"tables are in {folder}/ (figures/ and data/ untouched)", flush=True)
    if len(own_runs) < total:
        print(f"charts in {paths.figures_dir()}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
