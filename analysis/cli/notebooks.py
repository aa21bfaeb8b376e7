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
                   help="folder of the executed copies of runs with the defaults "
                        "(default build/notebooks/)")
    p.add_argument("--runs", type=Path, default=paths.RUNS,
                   help="folder of the runs with other parameters (default build/runs/): "
                        "they never touch figures/ or data/")
    p.set_defaults(func=run)


def run(args) -> int:
    import os

    from analysis.publish.run_notebooks import (
        changed_parameters,
        execute,
        notebook_defaults,
        run_folder,
    )

    missing = [str(nb) for nb in args.notebooks if not nb.is_file()]
    if missing:
        raise InputError(f"no such notebook: {', '.join(missing)}")
    params = {name: value(v) for name, v in args.p}
    if args.quick:
        params["QUICK"] = True
    declared = {nb: notebook_defaults(nb) for nb in args.notebooks}
    unknown = [k for k in params if not any(k in d for d in declared.values())]
    if unknown:
        raise InputError(f"-p {unknown[0]}: no such parameter in "
                         f"{', '.join(nb.name for nb in declared)} (they have "
                         f"{', '.join(sorted(set().union(*declared.values())))})")
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
