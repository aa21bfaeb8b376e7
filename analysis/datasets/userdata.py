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


# Counts the kit handles exactly: every count and every sum of counts stays an exact integer
# in a float64 (the estimators' arithmetic). Larger counts are refused, never wrapped around.
MAX_COUNT = 2**53
# Fans files are read in blocks of about this many bytes, so memory stays flat for big files.
BLOCK_BYTES = 8_000_000


def _open_file(path) -> tuple[Path, object]:
    """Open ``path`` for reading bytes, or raise InputError naming it (missing, folder, locked)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, expected a CSV file")
    try:
        return p, open(p, "rb")
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or type(exc).__name__})") from None


def _decode(p: Path, raw: bytes, first_line: int) -> str:
    """UTF-8 text of ``raw`` (lines from ``first_line`` on), or InputError naming the bad line."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + raw[: exc.start].count(b"\n")
        raise InputError(f"{p}, line {line}: byte 0x{raw[exc.start]:02x} is not UTF-8 text "
                         "(save the file as UTF-8 CSV)") from None


def _text_blocks(path, block_bytes: int = BLOCK_BYTES):
    """The file as (number of its first line, text of whole lines) blocks, the header first.

    The header is its own block (line 1); a UTF-8 byte-order mark is dropped. Raises
    InputError for a missing, unreadable or empty file and for bytes that are not UTF-8.
    """
    p, fh = _open_file(path)
    with fh:
        try:
            header = fh.readline()
            if header.startswith(b"\xef\xbb\xbf"):
                header = header[3:]
            if not header.strip() and not fh.peek(1 << 16).strip():
                raise InputError(f"{p}: the file is empty (expected a header row and data rows)")
            yield 1, _decode(p, header, 1)
            line = 2
            while True:
                lines = fh.readlines(block_bytes)
                if not lines:
                    return
                yield line, _decode(p, b"".join(lines), line)
                line += len(lines)
        except OSError as exc:
            raise InputError(f"{p}: cannot be read ({exc.strerror or type(exc).__name__})") \
                from None


def _read_text(path) -> tuple[Path, str]:
    """The whole file as text (small files: the daily likes)."""
    blocks = list(_text_blocks(path))
    return Path(path), "".join(text for _, text in blocks)


def _check_header(p: Path, header: str, columns: tuple[str, ...]) -> None:
    """The header line names every column once, separated by commas (or InputError)."""
    names = [h.strip() for h in next(csv.reader([header.strip("\r\n")]), [])]
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


def _parse(p: Path, header: str, text: str, first_line: int,
           columns: tuple[str, ...]) -> pd.DataFrame:
    """The rows of ``text`` (lines from ``first_line`` on) as text cells, with ``_line``."""
    try:
        table = pd.read_csv(io.StringIO(header + text), dtype=str, keep_default_na=False,
                            skip_blank_lines=False, skipinitialspace=True,
                            usecols=lambda c: str(c).strip() in columns)
    except (pd.errors.ParserError, csv.Error) as exc:
        msg = " ".join(str(exc).split())
        raise InputError(f"{p}: not a readable CSV ({msg})") from None
    table.columns = [str(c).strip() for c in table.columns]
    table = table[list(columns)].fillna("")
    table["_line"] = np.arange(first_line, first_line + len(table))
    return table


def _blank(table: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    return (table[list(columns)].apply(lambda col: col.str.strip()) == "").all(axis=1).to_numpy()


def _table_blocks(path, columns: tuple[str, ...], block_bytes: int = BLOCK_BYTES, fast=None):
    """The file's rows, block by block, header checked: yields (table, checked).

    A block is first offered to ``fast(header, text, first_line)``, which returns a checked
    table, or None when the block needs the careful reading (then the block is parsed as text
    cells with ``_line``, ``checked`` False). Blank lines at the end of a file are harmless and
    dropped; a blank line followed by data is kept (and reported by the column checks as a
    missing value).
    """
    blocks = _text_blocks(path, block_bytes)
    p = Path(path)
    _, header = next(blocks)
    _check_header(p, header, columns)
    if not header.endswith("\n"):
        header += "\n"
    held: list[pd.DataFrame] = []  # trailing blank rows, kept until data follows them
    rows = 0
    for first_line, text in blocks:
        checked = fast(header, text, first_line) if fast is not None else None
        if checked is not None:
            if held:  # blank lines with data after them: the careful checks report them
                yield pd.concat(held), False
                held = []
            rows += len(checked)
            yield checked, True
            continue
        table = _parse(p, header, text, first_line, columns)
        blank = _blank(table, columns)
        data = np.flatnonzero(~blank)
        if len(data) == 0:
            held.append(table)
            continue
        last = data[-1] + 1
        out = pd.concat([*held, table.iloc[:last]]) if held else table.iloc[:last]
        held = [table.iloc[last:]] if last < len(table) else []
        rows += len(out)
        yield out, False
    if rows == 0:
        raise InputError(f"{p}: only a header row, no data (expected at least one row of "
                         f"{','.join(columns)})")


def _read_table(path, columns: tuple[str, ...]) -> tuple[Path, pd.DataFrame]:
    """Read a small CSV whole as text cells (header checked, blank trailing lines dropped)."""
    parts = [table for table, _ in _table_blocks(path, columns, block_bytes=1 << 62)]
    return Path(path), pd.concat(parts, ignore_index=True)


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
    huge = values > MAX_COUNT
    if huge.any():
        i = int(np.flatnonzero(huge.to_numpy())[0])
        raise InputError(f"{p}, line {table['_line'].iloc[i]}, column {column!r}: "
                         f"{cells.iloc[i]} is larger than {MAX_COUNT:,}, the largest count the "
                         "kit handles exactly")
    return values.to_numpy(dtype=np.int64)


def _fan_block(p: Path, t: pd.DataFrame) -> pd.DataFrame:
    """Check one block of a fans file; the fans as ids, labels and counts (with ``_line``)."""
    ids = t["fan_id"].str.strip()
    if (ids == "").any():
        i = int(np.flatnonzero((ids == "").to_numpy())[0])
        raise InputError(f"{p}, line {t['_line'].iloc[i]}, column 'fan_id': value missing")
    cohort = t["cohort"].str.strip().str.lower()
    unknown = ~cohort.isin(COHORT_LABELS)
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(f"{p}, line {t['_line'].iloc[i]}, column 'cohort': "
                         f"{t['cohort'].iloc[i]!r} is not a cohort (use 'organic' or 'campaign')")
    exposures = _whole_numbers(p, t, "exposures", "exposures (posts that reached the fan)")
    engagements = _whole_numbers(p, t, "engagements", "engagements")
    orphan = (exposures == 0) & (engagements > 0)
    if orphan.any():
        i = int(np.flatnonzero(orphan)[0])
        raise InputError(f"{p}, line {t['_line'].iloc[i]}: fan {ids.iloc[i]!r} has "
                         f"{engagements[i]} engagements but 0 exposures (engagements need a post "
                         "that reached the fan)")
    return pd.DataFrame({"fan_id": ids.to_numpy(), "cohort": _labels(cohort),
                         "exposures": exposures, "engagements": engagements,
                         "_line": t["_line"].to_numpy()})


def _labels(cohort) -> pd.Categorical:
    """Cohort labels as a categorical of ``COHORT_LABELS`` (one byte a fan, not a string)."""
    return pd.Categorical(cohort, categories=list(COHORT_LABELS))


def _id_hashes(ids) -> np.ndarray:
    return pd.util.hash_array(np.asarray(ids, dtype=object))


def _fast_fans(header: str, text: str, first_line: int) -> pd.DataFrame | None:
    """A block of a fans file parsed with numeric columns read as integers, when every check
    passes at once; None when anything is off (the careful path then names the problem)."""
    kinds = {"fan_id": object, "cohort": "category", "exposures": "int64",
             "engagements": "int64"}
    raw = next(csv.reader([header.strip("\r\n")]))
    try:
        t = pd.read_csv(io.StringIO(header + text), keep_default_na=False,
                        skip_blank_lines=False, skipinitialspace=True,
                        usecols=lambda c: str(c).strip() in FAN_COLUMNS,
                        dtype={h: kinds[h.strip()] for h in raw if h.strip() in kinds})
    except (ValueError, OverflowError, pd.errors.ParserError, csv.Error):
        return None
    t.columns = [str(c).strip() for c in t.columns]
    ids = t["fan_id"].to_numpy(dtype=object)
    cohort = t["cohort"]
    e = t["exposures"].to_numpy()
    y = t["engagements"].to_numpy()
    if e.dtype.kind != "i" or y.dtype.kind != "i" or cohort.dtype != "category":
        return None
    labels = {str(c).strip().lower() for c in cohort.cat.categories}
    if not labels <= set(COHORT_LABELS) or len(labels) != len(cohort.cat.categories):
        return None
    if (e.min(initial=0) < 0 or y.min(initial=0) < 0 or e.max(initial=0) > MAX_COUNT
            or y.max(initial=0) > MAX_COUNT or np.any((e == 0) & (y > 0)) or np.any(ids == "")):
        return None
    cohort = cohort.cat.rename_categories([str(c).strip().lower() for c in
                                           cohort.cat.categories])
    return pd.DataFrame({"fan_id": ids, "cohort": _labels(cohort),
                         "exposures": e, "engagements": y,
                         "_line": np.arange(first_line, first_line + len(t))})


def _give_back_memory() -> None:
    """Return freed heap memory to the system (glibc's ``malloc_trim``; elsewhere nothing).

    A block's many small tables leave the heap fragmented; without this, a big file's resident
    memory creeps up by a few MB a block instead of staying flat.
    """
    global _TRIM
    if _TRIM is None:
        try:
            import ctypes

            _TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _TRIM = False
    if _TRIM:
        _TRIM(0)


_TRIM = None


def _count_lines(path) -> int:
    _, fh = _open_file(path)
    with fh:
        return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 22), b"")) + 1


def iter_fans(path, *, block_bytes: int = BLOCK_BYTES):
    """A fans file (columns fan_id, cohort, exposures, engagements), block by block.

    Yields checked tables with ``fan_id`` (text), ``cohort`` (categorical ``organic``/``campaign``),
    ``exposures`` and ``engagements`` (ints) and ``_line`` (the file's line), about
    ``block_bytes`` of the file each, so a file of any size is read in flat memory (plus 8
    bytes per fan for the duplicate-id check). The checks across blocks (both cohorts present,
    no fan id twice) run once the last block is read: consume the whole iterator. Raises
    InputError naming the first problem: missing/empty/unreadable file, header only, missing
    or misspelled columns, wrong delimiter, missing, non-numeric, negative or too-large counts,
    unknown cohort labels, one cohort only, duplicated fan ids, engagements on a fan no post
    reached.
    """
    p = Path(path)
    hashes = np.empty(_count_lines(p), dtype=np.uint64)  # at most one fan a line
    n = 0
    present: set[str] = set()
    for block, checked in _table_blocks(p, FAN_COLUMNS, block_bytes, fast=_fast_fans):
        fans = block if checked else _fan_block(p, block)
        hashes[n:n + len(fans)] = _id_hashes(fans["fan_id"])
        n += len(fans)
        present.update(str(c) for c in fans["cohort"].unique())
        yield fans
        del fans, block
        _give_back_memory()
    if len(present) < 2:
        only = present.pop()
        other = "campaign" if only == "organic" else "organic"
        raise InputError(f"{p}, column 'cohort': every fan is {only!r}; the estimators compare "
                         f"two cohorts, so some fans must be {other!r}")
    hashes = hashes[:n]
    hashes.sort()
    same = np.flatnonzero(hashes[1:] == hashes[:-1])
    if len(same):
        _report_duplicate(p, set(hashes[same].tolist()), block_bytes)


def _report_duplicate(p: Path, suspects: set, block_bytes: int) -> None:
    """Find the first fan id seen twice among ids hashing to ``suspects``; raise InputError."""
    seen: set[str] = set()
    for block, _ in _table_blocks(p, FAN_COLUMNS, block_bytes):
        ids = block["fan_id"].str.strip()
        hit = np.isin(_id_hashes(ids), np.fromiter(suspects, dtype=np.uint64))
        for fan, line in zip(ids[hit], block["_line"][hit], strict=True):
            if fan in seen:
                raise InputError(f"{p}, line {line}, column 'fan_id': {fan!r} appears twice "
                                 "(one row per fan)")
            seen.add(fan)


def read_fans(path) -> pd.DataFrame:
    """Read a per-fan engagement file (columns fan_id, cohort, exposures, engagements) whole.

    Returns a table with ``fan_id`` (text), ``cohort`` (categorical ``organic``/``campaign``),
    ``exposures`` and ``engagements`` (ints); the checks of :func:`iter_fans`. For big files,
    tabulate block by block instead
    (:func:`analysis.estimation.estimators.fan_counts_from_file`).
    """
    table = pd.concat(list(iter_fans(path)), ignore_index=True)
    return table.drop(columns="_line")


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
