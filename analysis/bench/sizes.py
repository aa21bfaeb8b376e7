"""The engine benchmark's sizes: the one copy, light enough for ``bench --help``."""

from __future__ import annotations

SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 3_000)
PYTHON_MAX = 100_000          # the pure-Python reference runs up to this many people
MEMORY_SIZES = (1_000_000, 10_000_000)   # peak memory by size: one campaign per process
QUICK_MEMORY_SIZES = (1_000,)
