"""Every target that `make help` lists exists and its recipe expands (a dry run, nothing runs)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from analysis import paths

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _targets() -> list[str]:
    out = subprocess.run(["make", "--no-print-directory", "help"], cwd=paths.ROOT, check=True,
                         capture_output=True, text=True).stdout
    return re.findall(r"^\s+make (\S+)", out, flags=re.M)


def test_help_lists_the_two_commands_and_every_target_the_readme_names():
    targets = _targets()
    assert {"all", "test", "setup", "lab", "figures", "lint", "clean", "data", "bench",
            "html"} <= set(targets)
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`make ([a-z]+)`", readme))
    assert named <= set(targets), f"README names targets make help does not list: {named - set(targets)}"


@pytest.mark.parametrize("target", ["all", "test", "setup", "lock", "lab", "figures", "lint", "clean",
                                    "data", "bench", "html", "notebooks", "help"])
def test_target_dry_run(target):
    result = subprocess.run(["make", "--no-print-directory", "-n", target], cwd=paths.ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_kit_command_the_makefile_and_readme_run_exists():
    """`python -m analysis X` in the Makefile and README names a command of the one CLI, and no
    recipe calls a module's own entry point (`python -m analysis.something`) except the book's
    builder (issue 13)."""
    from analysis.cli import COMMANDS

    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"-m analysis ([a-z][a-z-]*)", makefile + readme))
    assert used and used <= set(COMMANDS), used - set(COMMANDS)
    modules = set(re.findall(r"-m (analysis\.[a-z_.]+)", makefile))
    assert modules <= {"analysis.publish.book"}, modules
