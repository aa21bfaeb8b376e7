"""The kit's environment in three files that must agree, and the one script that keeps them so.

* ``pyproject.toml``: the dependencies with lower bounds (for people who ``pip install`` the kit
  into their own environment);
* ``requirements.lock``: every package of the environment, exact versions and sha256 hashes,
  resolved from ``pyproject.toml`` by ``make lock`` (uv); ``make setup`` installs exactly it;
* ``environment.yml``: for conda users, the direct dependencies pinned to the lock's versions.

``python tools/lockfile.py`` (run by ``make lock`` after uv) rewrites ``environment.yml`` from
the other two; ``tests/test_dependencies.py`` checks that the three name the same packages.
Standard library only: it runs before the kit's environment exists.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"
PYTHON = "3.11"   # the version the lock is resolved and tested for (make lock, CI)


def normalise(name: str) -> str:
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement(spec: str) -> tuple[str, str]:
    """(name, lower bound) of a dependency such as ``"numpy>=1.26"`` or ``"dask[distributed]>=2024.1"``."""
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(?:>=\s*([0-9][^,;\s]*))?", spec)
    if m is None:
        raise ValueError(f"cannot read the dependency {spec!r}")
    return normalise(m.group(1)), m.group(3) or ""


def direct_dependencies() -> dict[str, str]:
    """Name -> lower bound of every dependency in pyproject.toml, the dask extra included."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"]) + list(project["optional-dependencies"]["dask"])
    return dict(requirement(s) for s in specs)


def locked() -> dict[str, str]:
    """Name -> exact version of every package in requirements.lock (one version each: the lock
    is resolved with ``--fork-strategy fewest``, so every Python gets the same numbers)."""
    out: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line)
        if m:
            name = normalise(m.group(1))
            if name in out and out[name] != m.group(2):
                raise ValueError(f"requirements.lock has two versions of {name}: re-run make lock")
            out[name] = m.group(2)
    return out


def version_tuple(version: str) -> tuple[int, ...]:
    """The leading numbers of a version, for comparing with a lower bound."""
    return tuple(int(x) for x in re.findall(r"\d+", version.split("+")[0])[:4])


def environment_yml() -> str:
    """environment.yml: conda-forge packages pinned to the lock's versions, then the kit."""
    pins = locked()
    lines = [
        "# Conda users: `conda env create -f environment.yml && conda activate likekit`, then `make all`.",
        "# Written by `make lock` (tools/lockfile.py): the direct dependencies of pyproject.toml,",
        "# pinned to the versions of requirements.lock. For a byte-identical rerun, install the lock",
        "# itself (`make setup` does: pip install --require-hashes -r requirements.lock).",
        "name: likekit",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON}",
    ]
    for name in direct_dependencies():
        if name not in pins:
            raise ValueError(f"{name} is in pyproject.toml but not in requirements.lock: "
                             "run make lock")
        lines.append(f"  - {name}=={pins[name]}")
    lines += ["  - pip", "  - pip:", "      - -e .", ""]
    return "\n".join(lines)


def main() -> int:
    ENVIRONMENT.write_text(environment_yml(), encoding="utf-8")
    print(f"wrote {ENVIRONMENT.name} ({len(direct_dependencies())} packages pinned to "
          f"{LOCK.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
