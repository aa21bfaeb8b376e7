"""Numbers as people read them, and values as JSON can hold them: the kit's one copy.

A leaf module (standard library and numpy only): the command line, the notebooks and the chart
titles format money and shares with these, so "GBP 2.50" and "71%" look the same everywhere.
"""

from __future__ import annotations

import math

import numpy as np


def _missing(x) -> bool:
    return x is None or (isinstance(x, float | np.floating) and not math.isfinite(float(x)))


def gbp(x, decimals: int = 2, *, missing: str = "n/a", symbol: bool = False) -> str:
    """Money in pounds with thousands separators: ``gbp(25000, 0)`` -> ``'GBP 25,000'``.

    ``symbol=True`` prints the pound sign as a British column would: ``'£25,000'`` (charts).
    """
    if _missing(x):
        return missing
    return f"{'£' if symbol else 'GBP '}{float(x):,.{decimals}f}"


def pct(x, decimals: int = 0, *, signed: bool = False, missing: str = "n/a") -> str:
    """A share as a percentage: ``pct(0.714)`` -> ``'71%'``; ``signed=True`` -> ``'+71%'``."""
    if _missing(x):
        return missing
    return f"{float(x):{'+' if signed else ''}.{decimals}%}"


def jsonable(value, *, digits: int | None = None):
    """``value`` with numpy scalars as Python ones and NaN/inf as None, recursively.

    ``digits`` rounds floats (the command line's JSON uses 6: an optimiser's 7th digit is noise).
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        v = float(value)
        if not math.isfinite(v):
            return None
        return round(v, digits) if digits is not None else v
    if isinstance(value, dict):
        return {k: jsonable(v, digits=digits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v, digits=digits) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v, digits=digits) for v in value.tolist()]
    return value
