"""Execute notebooks in order from a fresh kernel with papermill, printing progress.

``python -m analysis notebooks [--quick] [-p NAME VALUE ...] NOTEBOOK ...`` writes the executed
copies to ``build/notebooks/`` (git-ignored). ``make all`` calls it with every numbered notebook.

A run whose parameters differ from a notebook's defaults (its cell tagged ``parameters``) is a
run of its own: the executed notebook, its charts and its tables go to
``build/runs/<notebook>-<NAME>-<value>.../`` (``LIKEKIT_RUN_DIR`` tells the kit's helpers), and
``figures/`` and ``data/`` are left untouched. Only a run with the defaults rewrites them.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import papermill
from jupyter_client.manager import AsyncKernelManager

from analysis import paths


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


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager talking to the kernel over local IPC sockets instead of TCP ports:
    nothing is exposed on the network, and the kernel has no reason to warn about it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)


def execute(notebook: Path, out_dir: Path, parameters: dict, *, progress: bool = True) -> Path:
    """Run one notebook with papermill into ``out_dir``; return the executed copy's path."""
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
        kernel_manager_class=IPCKernelManager,
    )
    return target
