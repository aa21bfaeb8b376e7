"""Per-fan engagement collapsed to its sufficient statistics: counts per (cohort, exposures,
engagements) cell.

Every model of the engagement designs treats fans as independent given their cohort and
exposures, so the frequency table of distinct (cohort, exposures, engagements) rows holds all
the information in the data: a million fans collapse to a few hundred cells, and the
likelihood is a weighted sum over cells. :func:`tabulate` builds that table in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.datasets.userdata import MAX_COUNT  # the readers refuse larger counts too
from analysis.errors import InputError


@dataclass(frozen=True)
class FanCounts:
    """Distinct (cohort, exposures, engagements) cells and how many fans fall in each.

    cohort: 0 organic, 1 campaign; exposures: posts that reached the fan; engagements: count;
    weight: number of fans in the cell. All arrays have one entry per cell.
    """

    cohort: np.ndarray
    exposures: np.ndarray
    engagements: np.ndarray
    weight: np.ndarray

    @property
    def n_fans(self) -> int:
        """Number of fans (sum of the weights)."""
        return int(self.weight.sum())

    def fans_in(self, cohort: int) -> int:
        """Number of fans in ``cohort`` (0 organic, 1 campaign)."""
        return int(self.weight[self.cohort == cohort].sum())

    def exposed(self) -> FanCounts:
        """The cells of fans reached by at least one post (the others carry no information)."""
        keep = self.exposures > 0
        return FanCounts(self.cohort[keep], self.exposures[keep], self.engagements[keep],
                         self.weight[keep])

    def totals(self, cohort: int) -> dict[str, float]:
        """Sums over the fans of ``cohort``: n, exposures, engagements and the second moments
        (``yy`` = sum of engagements^2, ``ye``, ``ee``) that robust standard errors need."""
        m = self.cohort == cohort
        w, e, y = self.weight[m].astype(float), self.exposures[m].astype(float), \
            self.engagements[m].astype(float)
        return {"n": w.sum(), "e": (w * e).sum(), "y": (w * y).sum(), "yy": (w * y * y).sum(),
                "ye": (w * y * e).sum(), "ee": (w * e * e).sum()}


def tabulate(cohort, exposures, engagements, *, weight=None) -> FanCounts:
    """Collapse per-fan arrays into :class:`FanCounts`.

    cohort: 0/1 (organic/campaign) per fan; exposures, engagements: whole numbers >= 0 per fan
    (at most ``MAX_COUNT``). weight: fans per row (default 1 each), e.g. to merge tables.
    Raises InputError for negative or too-large values, unequal lengths, or a fan with
    engagements but no exposure (the models need at least one post to reach a fan before it
    can be engaged with). Exact for any counts up to ``MAX_COUNT``: the cells are found by a
    dense count when the (cohort, exposures, engagements) grid is small, else by sorting.
    """
    c = np.asarray(cohort)
    e = np.asarray(exposures)
    y = np.asarray(engagements)
    if not (c.shape == e.shape == y.shape) or c.ndim != 1:
        raise InputError("cohort, exposures and engagements must be 1-D arrays of equal length")
    if c.size == 0:
        raise InputError("no fans to tabulate")
    for name, a in (("exposures", e), ("engagements", y)):
        if a.dtype.kind not in "iub":
            raise InputError(f"{name} must be whole numbers (got {a.dtype} values)")
        if a.min() < 0:
            raise InputError(f"{name} must be >= 0 (found {a.min()} at fan {int(np.argmin(a))})")
        if int(a.max()) > MAX_COUNT:
            raise InputError(f"{name} of {int(a.max())} at fan {int(np.argmax(a))} is larger "
                             f"than {MAX_COUNT:,}, the largest count the kit handles exactly")
    if not np.isin(c, (0, 1)).all():
        raise InputError("cohort must be 0 (organic) or 1 (campaign)")
    bad = np.flatnonzero((e == 0) & (y > 0))
    if bad.size:
        raise InputError(f"fan {int(bad[0])} has {int(y[bad[0]])} engagements but 0 exposures; "
                         "engagements need at least one exposure")
    c = c.astype(np.int64)
    e = e.astype(np.int64)
    y = y.astype(np.int64)
    ne, ny = int(e.max()) + 1, int(y.max()) + 1  # Python ints: the span cannot overflow
    span = 2 * ne * ny
    if weight is None and span <= 50_000_000:
        key = (c * ne + e) * ny + y
        counts = np.bincount(key, minlength=span)
        cells = np.flatnonzero(counts)
        y_c = cells % ny
        rest = cells // ny
        return FanCounts(cohort=(rest // ne).astype(np.int8), exposures=rest % ne,
                         engagements=y_c, weight=counts[cells].astype(np.int64))
    w = np.ones(c.size, dtype=np.int64) if weight is None else \
        np.asarray(weight, dtype=np.int64)
    if span < 2**63:  # one int64 key per fan, sorted
        order = np.argsort((c * ne + e) * ny + y, kind="stable")
    else:  # counts too large to pack into one int64 key: sort on the three columns
        order = np.lexsort((y, e, c))
    c, e, y, w = c[order], e[order], y[order], w[order]
    starts = np.flatnonzero(np.concatenate(
        [[True], (c[1:] != c[:-1]) | (e[1:] != e[:-1]) | (y[1:] != y[:-1])]))
    return FanCounts(cohort=c[starts].astype(np.int8), exposures=e[starts],
                     engagements=y[starts], weight=np.add.reduceat(w, starts))


def merge(tables: list[FanCounts]) -> FanCounts:
    """One :class:`FanCounts` from several (e.g. the chunks of a big file), cells combined."""
    if not tables:
        raise InputError("no fans to tabulate")
    return tabulate(np.concatenate([t.cohort for t in tables]),
                    np.concatenate([t.exposures for t in tables]),
                    np.concatenate([t.engagements for t in tables]),
                    weight=np.concatenate([t.weight for t in tables]))
