"""What every closed-eyes estimator returns: an :class:`Estimate`, plus shared interval helpers.

An estimate of the closed-eyes share *s* (the share of likes given only because of the pledge)
is a point value, a 95% interval and, in words, the assumption under which it means *s*.
The ratio-type estimators (A/B test, engagement ratio, zero-inflated mixture) all estimate
``1 - s`` as a ratio, so their intervals are built on the log scale of ``1 - s`` (delta method)
and never go above 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from scipy import stats

from analysis.formats import jsonable

Z95 = float(stats.norm.ppf(0.975))  # 1.959964: two-sided 95% normal quantile


@dataclass(frozen=True)
class Estimate:
    """One estimate of the closed-eyes share.

    method: short name (``"ab"``, ``"ratio"``, ``"mixture"``, ``"mixture-nb"``, ``"its"``).
    estimate: point estimate (a share, 0..1; may fall outside when the data say so).
    ci_low, ci_high: 95% interval (``nan`` when the data cannot bound it).
    assumption: the identifying assumption, in words.
    n: the sample size behind it (people asked, fans, or days, see ``unit``).
    target: what the number estimates (``"s"``, or ``"upper bound on s"`` for the time series).
    unit: what ``n`` counts.
    extra: further numbers (rates, cross-check intervals, fitted parameters), JSON-friendly.
    """

    method: str
    estimate: float
    ci_low: float
    ci_high: float
    assumption: str
    n: int
    target: str = "s"
    unit: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def covers(self, value: float) -> bool:
        """True when ``value`` lies inside the 95% interval."""
        return bool(self.ci_low <= value <= self.ci_high)

    def as_dict(self) -> dict[str, Any]:
        """A flat JSON-friendly dict (numbers as Python floats/ints, ``nan`` as None)."""
        out = {
            "method": self.method,
            "estimate": jsonable(self.estimate),
            "ci_low": jsonable(self.ci_low),
            "ci_high": jsonable(self.ci_high),
            "assumption": self.assumption,
            "n": int(self.n),
            "unit": self.unit,
            "target": self.target,
        }
        out.update({k: jsonable(v) for k, v in self.extra.items()})
        return out


def share_from_log_ratio(log_ratio: float, se: float, *, z: float = Z95) -> tuple[float, float, float]:
    """s = 1 - exp(log_ratio) with a delta-method interval built on the log scale.

    log_ratio: estimate of log(1 - s) (e.g. a cohort coefficient); se: its standard error.
    Returns (estimate, ci_low, ci_high); the interval is [1 - exp(lr + z se), 1 - exp(lr - z se)].
    """
    est = 1.0 - math.exp(log_ratio)
    if not math.isfinite(se):
        return est, float("nan"), float("nan")
    return est, 1.0 - math.exp(log_ratio + z * se), 1.0 - math.exp(log_ratio - z * se)
