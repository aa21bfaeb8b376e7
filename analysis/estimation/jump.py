"""The jump at the target: how strongly all-or-nothing campaigns bunch just above their goal.

``jump = share of finished campaigns in [1.0, 1.1) of their target
       / share in [0.9, 1.0)``

(both shares have the same denominator, so it is the ratio of the two counts). A campaign
whose backers cannot see how close it is finishes as often just below its target as just
above it (a jump near 1); Kickstarter's first 9,999 projects finished 2,201 times just above
and 3 times just below (facts.md; Mollick 2014: "succeed by small margins or fail by large
ones").

Interval: given the ``a + b`` campaigns in the two bins, the count above is binomial with
chance ``pi = a / (a + b)`` when campaigns are independent, and ``jump = pi / (1 - pi)``; the
exact (Clopper-Pearson) 95% interval of ``pi`` gives the jump's interval. For simulated
campaigns that is the Monte Carlo interval over the replicates; for the real projects the
sampling interval of the same statistic.

:SAMPLE USE: ``jump_ratio([0.95, 1.02, 1.05, 2.0])`` -> ``Jump(above=2, below=1, ratio=2.0, ...)``
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from statsmodels.stats.proportion import proportion_confint

BELOW = (0.9, 1.0)   # just short of the target
ABOVE = (1.0, 1.1)   # just over it


@dataclass(frozen=True)
class Jump:
    """The jump statistic: counts in the two bins, their ratio and its 95% interval.

    ratio, low, high: ``inf`` when no campaign finished just below (and ``nan`` when none
    finished in either bin: nothing to say).
    """

    above: int
    below: int
    finished: int
    ratio: float
    low: float
    high: float

    def as_dict(self) -> dict:
        return asdict(self)


def _odds(p: float) -> float:
    return float("inf") if p >= 1.0 else p / (1.0 - p)


def jump_ratio(ratios, *, level: float = 0.95) -> Jump:
    """The jump statistic of finished campaigns' ``ratios`` (outcome / target; 1.0 = exactly).

    ratios: one number per finished campaign (NaN entries are refused).
    level: the interval's coverage (default 95%).
    """
    r = np.asarray(ratios, dtype=float).ravel()
    if np.isnan(r).any():
        raise ValueError("ratios hold NaN: drop campaigns without an outcome first")
    above = int(((r >= ABOVE[0]) & (r < ABOVE[1])).sum())
    below = int(((r >= BELOW[0]) & (r < BELOW[1])).sum())
    both = above + below
    if both == 0:
        nan = float("nan")
        return Jump(above, below, len(r), nan, nan, nan)
    lo, hi = proportion_confint(above, both, alpha=1.0 - level, method="beta")
    ratio = float("inf") if below == 0 else above / below
    return Jump(above, below, len(r), ratio, _odds(float(lo)), _odds(float(hi)))
