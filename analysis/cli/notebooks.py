"""``python -m analysis notebooks [--quick] [-p NAME VALUE ...] NOTEBOOK ...``: run notebooks in
order from a fresh kernel with papermill into ``build/notebooks/`` (``make all`` runs them all)."""

from __future__ import annotations

import time
from pathlib import Path

from analysis import paths
from analysis.errors import InputError


def value(text: str):
    """Parse a -p value the way a person means it: int, float, bool, None, else string."""
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"true": True, "false": False, "none": None}.get(text.lower(), text)


def configure(p):
    p.description = ("Execute notebooks in order, each from a fresh kernel, with papermill; the "
                     "executed copies land in build/notebooks/ (git-ignored) and the charts in "
                     "figures/ (or LIKEKIT_FIGURES_DIR).")
    p.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    p.add_argument("--quick", action="store_true", help="small sizes (QUICK=True)")
    p.add_argument("-p", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="set a parameter of every notebook (papermill -p)")
    p.add_argument("--out", type=Path, default=paths.BUILD / "notebooks",
                   help="folder of the executed copies (default build/notebooks/)")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.publish.run_notebooks import execute

    missing = [str(nb) for nb in args.notebooks if not nb.is_file()]
    if missing:
        raise InputError(f"no such notebook: {', '.join(missing)}")
    params = {name: value(v) for name, v in args.p}
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
