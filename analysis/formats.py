"""Numbers as people read them, and values as JSON can hold them: the kit's one copy.

A leaf module (standard library and numpy only): the command line, the notebooks and the chart
titles format money and shares with these, so "GBP 2.50" and "71%" look the same everywhere.
"""

from __future__ import annotations

import math
import re

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


# Published tables and the data behind charts are written at a stated precision, so that an
# optimiser's last digits (which differ from machine to machine) cannot reach the bytes.
CSV_SIGNIFICANT = 5   # significant digits of every float in a chart's CSV


def round_published(values, *, decimals: int, significant: int):
    """``values`` (a float array) rounded to ``decimals`` places and at most ``significant``
    significant digits: a share keeps its 4th decimal, a huge interval width only its first
    digits (its later ones are an ill-conditioned fit's noise); -0 becomes 0."""
    x = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(x)))
    places = np.where(np.isfinite(magnitude),
                      np.minimum(decimals, significant - 1 - np.nan_to_num(magnitude)), decimals)
    out = np.array([round(v, int(p)) if math.isfinite(v) else v for v, p in zip(x, places, strict=True)])
    return out + 0.0


def csv_text(frame, *, significant: int = CSV_SIGNIFICANT, decimals: int | None = None) -> str:
    """``frame`` as CSV text (no index, ``\\n`` line ends) with every float at a stated precision:
    ``significant`` digits, or ``decimals`` places when given (for shares and rates, whose
    precision is absolute). Integers and text are written as they are; -0 is written as 0."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype.kind == "f":
            values = out[col].to_numpy()
            if decimals is not None:
                values = np.round(values, decimals)
            out[col] = values + 0.0   # -0.0 + 0.0 is 0.0
    fmt = f"%.{significant}g" if decimals is None else "%.15g"
    return out.to_csv(index=False, float_format=fmt, lineterminator="\n")


_SVG_ATTRIBUTE = re.compile(r'(\s[A-Za-z_:][\w:.-]*=")([^"]*)(")')
_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")


_HASHED_ID = re.compile(r"\b([a-z])([0-9a-f]{10})\b")


def round_svg_numbers(svg: str, decimals: int = 2) -> str:
    """Round the coordinates in an SVG's attributes (paths, positions, sizes) to ``decimals``
    places (0.01 pt by default, far below what a screen or printer shows), so that a value a
    millionth apart on another machine draws the same bytes. Text and metadata are untouched.

    matplotlib names clip paths and markers by a hash of their unrounded coordinates
    (``p1a2b3c4d5e``); those names are replaced by their order of first use (``p1``, ``m2``)."""

    def number(m: re.Match) -> str:
        text = f"{float(m.group(0)):.{decimals}f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text

    out = _SVG_ATTRIBUTE.sub(lambda m: m.group(1) + _LONG_NUMBER.sub(number, m.group(2))
                             + m.group(3), svg)
    defined = set(re.findall(r'\sid="([a-z][0-9a-f]{10})"', out))
    names: dict[str, str] = {}

    def rename(m: re.Match) -> str:
        if m.group(0) not in defined:
            return m.group(0)
        return names.setdefault(m.group(0), f"{m.group(1)}{len(names) + 1}")

    return _HASHED_ID.sub(rename, out) if defined else out


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count_words(n: int) -> str:
    """A count as prose writes it: words up to ten (``4`` -> ``'four'``), digits with
    thousands separators above (``12`` -> ``'12'``)."""
    n = int(n)
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def number(x, *, missing: str = "n/a") -> str:
    """A number as a table reader wants it: whole numbers with thousands separators
    (``4039.0`` -> ``'4,039'``), others to three significant digits (``0.6196`` -> ``'0.62'``),
    tiny ones in scientific form (``1e-07``), overflowing ones in words (Reed's 2^n law)."""
    if x is None or _missing(x):
        return missing
    if isinstance(x, bool | np.bool_) or not isinstance(x, int | float | np.integer | np.floating):
        return str(x)
    v = float(x)
    if abs(v) >= 1e15:
        return "over a quadrillion" if v > 0 else "below minus a quadrillion"
    if v != 0 and abs(v) < 1e-4:
        return f"{v:.3g}"
    if v.is_integer() or abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def readable(df):
    """``df`` (a pandas DataFrame or Series) with every number formatted by :func:`number` and
    the all-missing columns dropped: for reading, not for computing."""
    if hasattr(df, "columns"):
        df = df.dropna(axis=1, how="all")
    return df.map(number)
