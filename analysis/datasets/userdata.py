"""Read and check a researcher's own data files for the closed-eyes estimators.

Two CSV schemas (comma-separated, UTF-8, one header row):

* fans: ``fan_id,cohort,exposures,engagements`` -- one row per fan; cohort ``organic`` (liked
  before the campaign) or ``campaign`` (liked during it); exposures = posts that reached the
  fan; engagements = the fan's engagements with those posts (whole numbers >= 0);
* daily likes: ``date,new_likes`` -- one row per day, dates ``YYYY-MM-DD`` strictly increasing,
  new likes whole numbers >= 0 (a Page Insights export, trimmed to these two columns).

Every problem raises :class:`analysis.errors.InputError` with one line naming the file, the
line of the file (the header is line 1), the column and the value, and what is valid. Extra
columns are ignored.
"""

from __future__ import annotations

import csv
import difflib
import io
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import InputError

FAN_COLUMNS = ("fan_id", "cohort", "exposures", "engagements")
DAILY_COLUMNS = ("date", "new_likes")
COHORT_LABELS = ("organic", "campaign")


def _read_text(path) -> tuple[Path, str]:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, expected a CSV file")
    raw = p.read_bytes()
    if not raw.strip():
        raise InputError(f"{p}: the file is empty (expected a header row and data rows)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{p}, line {line}: byte 0x{raw[exc.start]:02x} is not UTF-8 text "
                         "(save the file as UTF-8 CSV)") from None
    return p, text


def _read_table(path, columns: tuple[str, ...]) -> tuple[Path, pd.DataFrame]:
    """Read a CSV as text cells, check its header, drop blank trailing lines."""
    p, text = _read_text(path)
    lines = text.splitlines()
    header = lines[0]
    names = [h.strip() for h in next(csv.reader([header]))]
    if len(names) == 1 and len(columns) > 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in header:
                raise InputError(f"{p}, line 1: the columns look separated by {label}; expected "
                                 f"commas, e.g. {','.join(columns)}")
    missing = [c for c in columns if c not in names]
    if missing:
        hints = []
        for m in missing:
            close = difflib.get_close_matches(m, names, n=1, cutoff=0.6)
            hints.append(f"{m!r}" + (f" (found {close[0]!r}: misspelled?)" if close else ""))
        raise InputError(f"{p}, line 1: missing column(s) {', '.join(hints)}; the header must "
                         f"name {','.join(columns)} (found: {','.join(names) or 'nothing'})")
    dupes = sorted({n for n in names if names.count(n) > 1 and n in columns})
    if dupes:
        raise InputError(f"{p}, line 1: column {dupes[0]!r} appears more than once")
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skip_blank_lines=False, skipinitialspace=True)
    except (pd.errors.ParserError, csv.Error) as exc:
        msg = " ".join(str(exc).split())
        raise InputError(f"{p}: not a readable CSV ({msg})") from None
    table.columns = [str(c).strip() for c in table.columns]
    table = table[list(columns)].fillna("").copy()
    table["_line"] = np.arange(2, len(table) + 2)
    # blank lines at the end of a file are harmless; elsewhere they are reported below
    blank = (table[list(columns)].apply(lambda col: col.str.strip()) == "").all(axis=1)
    last = len(table)
    while last > 0 and blank.iloc[last - 1]:
        last -= 1
    table = table.iloc[:last]
    if table.empty:
        raise InputError(f"{p}: only a header row, no data (expected at least one row of "
                         f"{','.join(columns)})")
    return p, table


def _whole_numbers(p: Path, table: pd.DataFrame, column: str, what: str) -> np.ndarray:
    """Parse a column of whole numbers >= 0, naming the first bad cell."""
    cells = table[column].str.strip()
    empty = cells == ""
    if empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise InputError(f"{p}, line {table['_line'].iloc[i]}, column {column!r}: value missing "
                         f"({what} must be a whole number >= 0)")
    values = pd.to_numeric(cells, errors="coerce")
    bad = values.isna() | (values % 1 != 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{p}, line {table['_line'].iloc[i]}, column {column!r}: "
                         f"{cells.iloc[i]!r} is not a whole number ({what} must be a whole "
                         "number >= 0)")
    neg = values < 0
    if neg.any():
        i = int(np.flatnonzero(neg.to_numpy())[0])
        raise InputError(f"{p}, line {table['_line'].iloc[i]}, column {column!r}: "
                         f"{cells.iloc[i]} is negative ({what} must be a whole number >= 0)")
    return values.to_numpy(dtype=np.int64)


def read_fans(path) -> pd.DataFrame:
    """Read a per-fan engagement file (columns fan_id, cohort, exposures, engagements).

    Returns a table with ``fan_id`` (text), ``cohort`` (``organic``/``campaign``),
    ``exposures`` and ``engagements`` (ints). Raises InputError naming the first problem:
    missing/empty file, header only, missing or misspelled columns, wrong delimiter, missing,
    non-numeric or negative counts, unknown cohort labels, one cohort only, duplicated fan ids,
    engagements on a fan no post reached.
    """
    p, t = _read_table(path, FAN_COLUMNS)
    ids = t["fan_id"].str.strip()
    if (ids == "").any():
        i = int(np.flatnonzero((ids == "").to_numpy())[0])
        raise InputError(f"{p}, line {t['_line'].iloc[i]}, column 'fan_id': value missing")
    dup = ids.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(f"{p}, line {t['_line'].iloc[i]}, column 'fan_id': {ids.iloc[i]!r} "
                         "appears twice (one row per fan)")
    cohort = t["cohort"].str.strip().str.lower()
    unknown = ~cohort.isin(COHORT_LABELS)
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(f"{p}, line {t['_line'].iloc[i]}, column 'cohort': "
                         f"{t['cohort'].iloc[i]!r} is not a cohort (use 'organic' or 'campaign')")
    present = set(cohort)
    if len(present) < 2:
        only = present.pop()
        other = "campaign" if only == "organic" else "organic"
        raise InputError(f"{p}, column 'cohort': every fan is {only!r}; the estimators compare "
                         f"two cohorts, so some fans must be {other!r}")
    exposures = _whole_numbers(p, t, "exposures", "exposures (posts that reached the fan)")
    engagements = _whole_numbers(p, t, "engagements", "engagements")
    orphan = (exposures == 0) & (engagements > 0)
    if orphan.any():
        i = int(np.flatnonzero(orphan)[0])
        raise InputError(f"{p}, line {t['_line'].iloc[i]}: fan {ids.iloc[i]!r} has "
                         f"{engagements[i]} engagements but 0 exposures (engagements need a post "
                         "that reached the fan)")
    return pd.DataFrame({"fan_id": ids.to_numpy(), "cohort": cohort.to_numpy(),
                         "exposures": exposures, "engagements": engagements})


def read_daily(path) -> pd.DataFrame:
    """Read a daily likes file (columns date, new_likes).

    Returns a table with ``date`` (Timestamp) and ``new_likes`` (int). Raises InputError naming
    the first problem: missing/empty file, header only, missing columns, wrong delimiter,
    unparsable, duplicated or unordered dates, missing, non-numeric or negative counts.
    """
    p, t = _read_table(path, DAILY_COLUMNS)
    text = t["date"].str.strip()
    dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    bad = dates.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{p}, line {t['_line'].iloc[i]}, column 'date': {text.iloc[i]!r} is "
                         "not a date (use YYYY-MM-DD, e.g. 2010-11-19)")
    dup = dates.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(f"{p}, line {t['_line'].iloc[i]}, column 'date': {text.iloc[i]} "
                         "appears twice (one row per day)")
    back = dates.diff() < pd.Timedelta(0)
    if back.any():
        i = int(np.flatnonzero(back.to_numpy())[0])
        raise InputError(f"{p}, line {t['_line'].iloc[i]}, column 'date': {text.iloc[i]} comes "
                         f"after {text.iloc[i - 1]} (dates must be in increasing order)")
    likes = _whole_numbers(p, t, "new_likes", "new likes per day")
    return pd.DataFrame({"date": dates.to_numpy(), "new_likes": likes})


def check_window(daily: pd.DataFrame, start: str, end: str, *, source: str = "data") -> tuple[
        pd.Timestamp, pd.Timestamp]:
    """Parse and check a campaign window against the dates of a daily table.

    start, end: ``YYYY-MM-DD`` (inclusive). The window must lie inside the data's dates and end
    on or after its start. (How many days the baseline needs before the start is the estimator's
    rule: :func:`analysis.estimation.its.check_pre_days`.)
    """
    parsed = []
    for flag, value in (("--campaign-start", start), ("--campaign-end", end)):
        try:
            parsed.append(pd.Timestamp(pd.to_datetime(value, format="%Y-%m-%d")))
        except (ValueError, TypeError):
            raise InputError(f"{flag} {value!r} is not a date (use YYYY-MM-DD)") from None
    s, e = parsed
    if e < s:
        raise InputError(f"--campaign-end {e.date()} is before --campaign-start {s.date()}")
    first, last = daily["date"].iloc[0], daily["date"].iloc[-1]
    if s < first or s > last or e > last:
        raise InputError(f"{source}: the campaign window {s.date()} to {e.date()} is outside the "
                         f"data, which run from {first.date()} to {last.date()}")
    return s, e
