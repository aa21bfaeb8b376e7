"""Shared fixtures. Tests never write into figures/ or data/raw/: they get temporary folders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis import paths


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture
def figures_tmp(tmp_path, monkeypatch):
    """Point the chart helper at a temporary folder for this test."""
    out = tmp_path / "figures"
    monkeypatch.setenv("LIKEKIT_FIGURES_DIR", str(out))
    return out


# ---------------------------------------------------------------------------------------------
# The notebooks, executed ONCE per session in quick mode (charts into a temporary folder), shared
# by the per-notebook test, the chart-pack check and the book's tests (Sphinx, Playwright).
# ---------------------------------------------------------------------------------------------

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


class QuickRun:
    """Numbered notebooks executed with QUICK=True into ``root``, each at most once, on demand.

    notebooks: folder of the executed copies; figures: folder of the charts they made
    (LIKEKIT_FIGURES_DIR while they ran); errors: notebook stem -> why its run failed.
    """

    def __init__(self, root: Path):
        self.notebooks = root / "notebooks"
        self.figures = root / "figures"
        self.errors: dict[str, str] = {}
        self._done: set[str] = set()

    def execute(self, nb: Path) -> Path:
        """Run notebook ``nb`` (once per session) and return its executed copy."""
        from analysis.publish.run_notebooks import execute

        if nb.stem not in self._done:
            self._done.add(nb.stem)
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("LIKEKIT_FIGURES_DIR", str(self.figures))
                try:
                    execute(nb, self.notebooks, {"QUICK": True}, progress=False)
                except Exception as exc:  # papermill's error names the failing cell
                    self.errors[nb.stem] = " ".join(str(exc).split())[:3000]
        return self.notebooks / nb.name

    def execute_all(self) -> Path:
        """Run every numbered notebook in order; return the folder of executed copies."""
        for nb in NOTEBOOKS:
            self.execute(nb)
        return self.notebooks


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory):
    """The session's quick run of the notebooks (see QuickRun)."""
    return QuickRun(tmp_path_factory.mktemp("quick-run"))


@pytest.fixture(scope="session")
def quick_book(quick_run, tmp_path_factory):
    """The book (``analysis.publish.book``, Sphinx) built from the quick run of every notebook."""
    from analysis.publish.book import build_book

    folder = quick_run.execute_all()
    return build_book(folder, tmp_path_factory.mktemp("book") / "html", figures=quick_run.figures)
