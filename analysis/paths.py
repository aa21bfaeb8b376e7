"""Project folders, computed from this file's location (works from any working directory).

``LIKEKIT_FIGURES_DIR`` and ``LIKEKIT_RAW_DIR`` may point figures or raw data elsewhere (the
tests use them so that a quick run never overwrites the committed charts).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
FIGURES_DEFAULT = ROOT / "figures"
RAW_DEFAULT = DATA / "raw"
# Offline copies of the real data sets, laid beside the project on the team's machines.
SHARED_MIRROR = ROOT.parent / "shared" / "data"


def figures_dir() -> Path:
    """Folder the chart helper writes to (``figures/`` unless ``LIKEKIT_FIGURES_DIR`` is set)."""
    return Path(os.environ.get("LIKEKIT_FIGURES_DIR", FIGURES_DEFAULT))


def raw_dir() -> Path:
    """Folder holding the downloaded data sets (``data/raw/`` unless ``LIKEKIT_RAW_DIR`` is set)."""
    return Path(os.environ.get("LIKEKIT_RAW_DIR", RAW_DEFAULT))
