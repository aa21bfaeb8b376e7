"""A non-editable install gets every room: the wheel holds each subpackage's ``__init__.py``,
every module, and the house style (package data of ``analysis.publish``)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import zipfile

import pytest

from analysis import paths


def _can_build_here() -> bool:
    """True when this environment has what pyproject.toml's build-system asks for (then the
    wheel builds offline); else pip fetches it into an isolated build environment."""
    try:
        major, minor = (int(x) for x in importlib.metadata.version("setuptools").split(".")[:2])
    except importlib.metadata.PackageNotFoundError:
        return False
    has_wheel = importlib.util.find_spec("wheel") is not None
    return (major, minor) >= (70, 1) or ((major, minor) >= (68, 0) and has_wheel)


@pytest.mark.slow
def test_wheel_ships_every_subpackage_and_the_style(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (paths.ROOT / name).exists():
            shutil.copy(paths.ROOT / name, src / name)
    shutil.copytree(paths.ROOT / "analysis", src / "analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    offline = _can_build_here()
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
           str(tmp_path / "dist"), str(src)] + (["--no-build-isolation"] if offline else [])
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 and not offline and "setuptools" in done.stderr \
            and "No matching distribution" in done.stderr:
        pytest.skip("building needs setuptools>=68 and wheel: installed, or from PyPI")
    assert done.returncode == 0, done.stderr
    wheel = next((tmp_path / "dist").glob("likekit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {str(p.relative_to(src)) for p in (src / "analysis").rglob("*.py")}
    assert expected <= names, f"missing from the wheel: {sorted(expected - names)}"
    for room in ("engine", "datasets", "estimation", "roi", "publish", "bench", "cli"):
        assert f"analysis/{room}/__init__.py" in names
    assert "analysis/publish/house.mplstyle" in names
    assert not any(n.startswith(("tests/", "notebooks/", "data/")) for n in names)
