"""Execute notebooks in order from a fresh kernel with papermill, printing progress.

``python -m analysis notebooks [--quick] [-p NAME VALUE ...] NOTEBOOK ...`` writes the executed
copies to ``build/notebooks/`` (git-ignored). ``make all`` calls it with every numbered notebook.
"""

from __future__ import annotations

import sys
from pathlib import Path

import papermill
from jupyter_client.manager import AsyncKernelManager


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
