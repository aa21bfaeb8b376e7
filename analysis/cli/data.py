"""`python -m analysis data ...`: fetch and verify the real data sets, show their status,
recompute the calibration table.

    python -m analysis data fetch [--mirror DIR | --base-url URL] [--only NAME] [--dest DIR]
    python -m analysis data status [--dest DIR]
    python -m analysis data calibrate [--out FILE] [--dest DIR]

A checksum mismatch or a missing source is one line on stderr and exit code 2, with nothing
left behind (see analysis.datasets.registry).
"""

from __future__ import annotations

import sys

from analysis import paths


def configure(p):
    from analysis.datasets import registry as datasets

    p.description = (
        "The real data sets (SNAP ego-Facebook, UCI Facebook metrics): fetch them "
        "into data/raw/ (or LIKEKIT_RAW_DIR) with their sha256 verified, show what is present, "
        "and recompute data/calibration.csv from them."
    )
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True,
                           parser_class=type(p))
    f = sub.add_parser("fetch", help="download (or copy from a mirror), verify, install")
    src = f.add_mutually_exclusive_group()
    src.add_argument("--mirror", metavar="DIR",
                     help="copy from a local folder laid out like ../shared/data")
    src.add_argument("--base-url", metavar="URL",
                     help="download from a server laid out like the mirror")
    f.add_argument("--only", metavar="NAME", choices=list(datasets.REGISTRY),
                   help=f"fetch one data set ({', '.join(datasets.REGISTRY)})")
    f.add_argument("--dest", metavar="DIR",
                   help="install into DIR (default data/raw/ or LIKEKIT_RAW_DIR)")
    f.add_argument("--no-progress", action="store_true", help="no download progress bar")
    s = sub.add_parser("status", help="what is present and verified, with citations")
    s.add_argument("--dest", metavar="DIR", help="raw data folder to inspect")
    c = sub.add_parser("calibrate", help="recompute data/calibration.csv from the UCI table")
    c.add_argument("--out", metavar="FILE", help="write here instead of data/calibration.csv")
    c.add_argument("--dest", metavar="DIR", help="raw data folder holding the UCI table")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.datasets import calibration, download
    from analysis.datasets import registry as datasets

    if args.action == "fetch":
        download.fetch(
            args.only,
            mirror=args.mirror,
            base_url=args.base_url,
            dest=args.dest,
            progress=not args.no_progress and sys.stderr.isatty(),
            log=print,
        )
        return 0
    if args.action == "status":
        root = args.dest or paths.raw_dir()
        print(f"raw data folder: {root}")
        for row in datasets.status(args.dest):
            state = (
                "verified" if row["verified"]
                else "PRESENT BUT CHECKSUM MISMATCH (refetch with `make data`)" if row["present"]
                else "absent (run `make data`)"
            )
            print(f"{row['name']}: {state}")
            print(f"  file: {row['path']}")
            print(f"  cite: {row['citation']}")
            print(f"  licence: {row['licence']}; home: {row['page']}")
        return 0
    table, target = calibration.calibrate(out=args.out, dest=args.dest)
    print(f"wrote {len(table)} calibration rows to {target}")
    return 0
