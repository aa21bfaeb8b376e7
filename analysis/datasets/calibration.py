"""The calibration table: reach and engagement of a real brand page, with published figures.

``data/calibration.csv`` (committed) is a tidy table, one row per parameter, with columns
``parameter, value, low, high, unit, source, note``. It is computed from the UCI Facebook
metrics table (Moro, Rita & Vala 2016: 500 posts of a cosmetics brand's page in 2014) by
``python -m analysis data calibrate`` (also run by ``make data``), and regenerating it from the
same data gives a byte-identical file. Rows:

- ``organic_reach_per_post``: fans reached by a post / fans of the page (median post; low and
  high are the 10th and 90th percentiles over posts);
- ``engaged_fans_per_reached_fan``: fans who clicked anywhere in the post / fans reached;
- ``engaged_fans_per_fan_per_post``: fans who clicked / fans of the page;
- ``engagement_per_fan_per_post``: interactions (likes + comments + shares) / fans of the page,
  the definition of the RivalIQ benchmark;
- ``paid_reach_multiplier``: median total reach of paid posts / that of unpaid posts (low and
  high from distribution-free 95% intervals of the two medians);
- ``page_total_likes``: fans of the page (median; low/high = min/max over the year);
- the same ratios by group in extra rows named ``<parameter>.<group>``, group one of
  ``unpaid``, ``paid`` (ratios only), ``photo``, ``status``, ``link``, ``video``;
- published figures to compare with: ``organic_reach_2012``, ``organic_reach_2014``,
  ``engagement_per_fan_per_post_rivaliq``.

This module and the committed table are the one owner of these figures: the ROI priors
(:mod:`analysis.roi.priors`) and the observable-data generators
(:mod:`analysis.estimation.observables`) read them here, and nothing else keeps a copy. There is
no fallback: without the UCI table the table is not rebuilt (``data calibrate`` refuses), and
the committed table is read as it is; a missing table is one clear error.

API: :func:`calibration_table`, :func:`calibration_value`, :func:`calibration_range`,
:func:`calibration_entry`.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import binom

from analysis import paths
from analysis.datasets import loaders
from analysis.errors import InputError

COLUMNS = ["parameter", "value", "low", "high", "unit", "source", "note"]
SIGNIFICANT = 4  # digits kept in the CSV (the data do not support more; keeps files stable)

UCI_SOURCE = "Moro, Rita & Vala 2016, UCI data set 368 (computed by analysis.datasets.calibration)"
OGILVY = "Social@Ogilvy, 'Facebook Zero', 2014"
FACEBOOK_2012 = "Facebook 2012, as reported by Social@Ogilvy 2014 and others"
RIVALIQ = "RivalIQ social media industry benchmark reports (2018 and 2022 data), as reported"

GROUPS = ("unpaid", "paid", "photo", "status", "link", "video")

# Per-post ratios: parameter -> (numerator column, denominator column, unit, what it means).
RATIOS = {
    "organic_reach_per_post": (
        "fan_reach", "page_total_likes", "share of the page's fans reached by one post",
        "fans who saw the post / fans of the page",
    ),
    "engaged_fans_per_reached_fan": (
        "engaged_fans", "fan_reach", "share of reached fans who engaged",
        "fans who clicked anywhere in the post / fans who saw it",
    ),
    "engaged_fans_per_fan_per_post": (
        "engaged_fans", "page_total_likes", "share of the page's fans engaging with one post",
        "fans who clicked anywhere in the post / fans of the page",
    ),
    "engagement_per_fan_per_post": (
        "total_interactions", "page_total_likes", "interactions per fan per post",
        "(likes + comments + shares, by anyone) / fans of the page, the RivalIQ definition",
    ),
}

def _round(x: float) -> float:
    """``x`` to SIGNIFICANT significant digits, or to a whole number when larger (NaN stays NaN)."""
    if not np.isfinite(x):
        return float("nan")
    if abs(x) >= 10**SIGNIFICANT:
        return float(round(x))
    return float(f"{x:.{SIGNIFICANT}g}")


def _row(parameter, value, low, high, unit, source, note) -> dict:
    return {
        "parameter": parameter,
        "value": _round(value),
        "low": _round(low),
        "high": _round(high),
        "unit": unit,
        "source": source,
        "note": note,
    }


def _median_interval(x: np.ndarray, *, confidence: float = 0.95) -> tuple[float, float] | None:
    """Distribution-free confidence interval of the median from order statistics.

    Returns (x_(j), x_(n-j+1)) with the largest j such that P(Bin(n, 1/2) <= j-1) <=
    (1 - confidence) / 2, or None when n is too small for any such j.
    """
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    cdf = binom.cdf(np.arange(n + 1), n, 0.5)
    j = int(np.sum(cdf <= (1 - confidence) / 2))
    if j < 1:
        return None
    return float(x[j - 1]), float(x[n - j])


def _groups(uci: pd.DataFrame) -> dict[str, pd.DataFrame]:
    paid = uci["paid"]
    out = {"unpaid": uci[paid.eq(False).fillna(False)], "paid": uci[paid.eq(True).fillna(False)]}
    for t in ("photo", "status", "link", "video"):
        out[t] = uci[uci["post_type"] == t]
    return out


def _ratio_rows(uci: pd.DataFrame) -> list[dict]:
    rows = []
    groups = _groups(uci)
    for parameter, (num, den, unit, what) in RATIOS.items():
        for group in (None, *GROUPS):
            d = uci if group is None else groups[group]
            r = (d[num] / d[den]).astype(float).dropna().to_numpy()
            r = r[np.isfinite(r)]
            scope = "posts (paid ones included)" if group is None else f"{group} posts"
            note = (
                f"{what}; median over {len(r)} {scope}; low/high = 10th/90th percentiles"
            )
            if parameter == "organic_reach_per_post" and group is None:
                note += "; unpaid posts alone: see organic_reach_per_post.unpaid"
            name = parameter if group is None else f"{parameter}.{group}"
            rows.append(
                _row(name, np.median(r), np.quantile(r, 0.1), np.quantile(r, 0.9), unit,
                     UCI_SOURCE, note)
            )
    return rows


def _multiplier_rows(uci: pd.DataFrame) -> list[dict]:
    rows = []
    groups = _groups(uci)
    for group in (None, "photo", "status", "link", "video"):
        d = uci if group is None else groups[group]
        paid = d.loc[d["paid"].eq(True).fillna(False), "reach"].astype(float).to_numpy()
        free = d.loc[d["paid"].eq(False).fillna(False), "reach"].astype(float).to_numpy()
        ci_p, ci_f = _median_interval(paid), _median_interval(free)
        if ci_p is None or ci_f is None:  # too few posts for an interval: no row (video)
            continue
        scope = "" if group is None else f" among {group} posts"
        rows.append(
            _row(
                "paid_reach_multiplier" if group is None else f"paid_reach_multiplier.{group}",
                np.median(paid) / np.median(free),
                ci_p[0] / ci_f[1],
                ci_p[1] / ci_f[0],
                "ratio of people reached (paid / unpaid)",
                UCI_SOURCE,
                f"median total reach of {len(paid)} paid posts / median of {len(free)} unpaid "
                f"posts{scope}; low/high combine the distribution-free 95% intervals of the two "
                "medians (joint coverage >= 90%); paid and unpaid posts also differ in timing "
                "and content, so this is an association, not an effect",
            )
        )
    return rows


def _published_rows() -> list[dict]:
    return [
        _row("organic_reach_2012", 0.16, 0.16, 0.16, "share of the page's fans reached by one post",
             FACEBOOK_2012, "about 16% of a page's fans saw a post organically (no range given)"),
        _row("organic_reach_2014", 0.0615, 0.0211, 0.1205,
             "share of the page's fans reached by one post", OGILVY,
             "all pages, Feb 2014; low = pages with more than 500k likes, Feb 2014; "
             "high = all pages, Oct 2013"),
        _row("engagement_per_fan_per_post_rivaliq", 0.0009, 0.0006, 0.0009,
             "interactions per fan per post", RIVALIQ,
             "median engagement rate per post per follower across brands on Facebook: "
             "0.09% in 2018 data (value, high), 0.06% in 2022 data (low)"),
    ]


def build_calibration(uci: pd.DataFrame) -> pd.DataFrame:
    """The calibration table from the UCI table ``uci`` (see :func:`analysis.datasets.loaders.load_uci_metrics`).

    Columns as in ``COLUMNS``; one row per parameter, then the published figures to compare.
    """
    rows = _ratio_rows(uci)
    rows += _multiplier_rows(uci)
    likes = uci["page_total_likes"].astype(float).dropna()
    rows.append(_row("page_total_likes", likes.median(), likes.min(), likes.max(), "fans",
                     UCI_SOURCE,
                     f"fans of the page when each of {len(likes)} posts was published: "
                     "median; low/high = min/max over 2014"))
    rows += _published_rows()
    return pd.DataFrame(rows, columns=COLUMNS)


def to_csv_text(table: pd.DataFrame) -> str:
    """The table as CSV text with LF line ends and shortest round-trip floats (deterministic)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for rec in table[COLUMNS].itertuples(index=False):
        writer.writerow(
            ["" if isinstance(v, float) and np.isnan(v) else (repr(v) if isinstance(v, float) else v)
             for v in rec]
        )
    return buf.getvalue()


def default_path() -> Path:
    """``data/calibration.csv`` in the project."""
    return paths.DATA / "calibration.csv"


def calibrate(*, out: str | os.PathLike | None = None, dest=None) -> tuple[pd.DataFrame, Path]:
    """Recompute the calibration table and write it to ``out`` (default data/calibration.csv).

    dest: raw data folder holding the UCI table (default :func:`analysis.paths.raw_dir`).
    Raises InputError (writing nothing) when the UCI table is absent: the committed table is
    never replaced by anything but a table computed from the data.
    """
    path = loaders.datasets.local_path(loaders.UCI, dest)
    if not path.is_file():
        raise InputError(
            f"UCI Facebook metrics table not found at {path}: run `make data` first; nothing "
            "written (the committed data/calibration.csv stays as it is)"
        )
    try:  # verified now: a committed table is never rebuilt from an unverified copy
        uci = loaders.load_uci_metrics(dest)
    except InputError as exc:
        raise InputError(f"{exc}; nothing written") from None
    table = build_calibration(uci)
    target = Path(out) if out is not None else default_path()
    _write_atomic(target, to_csv_text(table), flag="--out")
    _read.cache_clear()
    return table, target


def _write_atomic(target: Path, text: str, *, flag: str) -> None:
    """Write ``text`` to the file ``target`` through a temporary file renamed into place.

    Raises InputError with one line naming ``flag`` and the path when ``target`` is a folder,
    its folder cannot be made or written; the temporary file is removed on every failure.
    """
    if target.is_dir():
        raise InputError(f"{flag} {target}: is a folder, expected a file name; nothing written")
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"{flag} {target}: cannot write there "
                         f"({exc.strerror or type(exc).__name__}); nothing written") from None
    finally:
        try:
            tmp.unlink(missing_ok=True)  # gone after the rename; removed after any failure
        except OSError:
            pass  # it was never made (its folder is missing or not a folder)


@functools.lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> pd.DataFrame:
    """The table at ``path`` as of ``mtime_ns`` (cached: read once per version of the file)."""
    table = pd.read_csv(path, dtype={"parameter": str, "unit": str, "source": str, "note": str})
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}; expected {COLUMNS}")
    return table[COLUMNS]


def calibration_table(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The calibration table read from ``path`` (default: the committed data/calibration.csv).

    A missing file raises InputError (there is no fallback copy of its numbers).
    """
    return _current(path).copy()


def _current(path=None) -> pd.DataFrame:
    p = Path(path) if path is not None else default_path()
    if not p.is_file():
        raise InputError(f"calibration table {p} not found: it is committed with the kit "
                         "(restore it with git, or rebuild it with `make data`)")
    return _read(p, p.stat().st_mtime_ns)


def _lookup(parameter: str, table: pd.DataFrame | None) -> pd.Series:
    t = _current() if table is None else table
    hit = t[t["parameter"] == parameter]
    if hit.empty:
        known = ", ".join(t["parameter"].head(8))
        raise InputError(
            f"unknown calibration parameter {parameter!r}; known ones include {known}, ... "
            "(see calibration_table())"
        )
    return hit.iloc[0]


def calibration_value(parameter: str, *, table: pd.DataFrame | None = None) -> float:
    """The value of ``parameter`` in the calibration table (unit in the table's ``unit``)."""
    return float(_lookup(parameter, table)["value"])


def calibration_range(parameter: str, *, table: pd.DataFrame | None = None) -> tuple[float, float]:
    """(low, high) of ``parameter`` in the calibration table (the value itself if no range)."""
    row = _lookup(parameter, table)
    low, high = float(row["low"]), float(row["high"])
    value = float(row["value"])
    return (value if np.isnan(low) else low, value if np.isnan(high) else high)


def calibration_entry(parameter: str, *, table: pd.DataFrame | None = None
                      ) -> tuple[float, float, float, str]:
    """(value, low, high, source) of ``parameter``; low/high widened to include the value."""
    row = _lookup(parameter, table)
    value = float(row["value"])
    low, high = calibration_range(parameter, table=table)
    return value, min(low, value), max(high, value), str(row["source"])
