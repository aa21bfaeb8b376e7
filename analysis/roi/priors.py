"""The uncertain numbers behind the ROI comparison: one prior per parameter, with its source.

Each :class:`Prior` has a default (the median of its distribution), a plausible 90% range
(the 5th and 95th percentiles), a unit and a source or stated assumption. Reach, engagement and
the paid-reach multiplier come from the kit's calibration table
(:mod:`analysis.datasets.calibration`, the one owner of those figures; no copy here). Everything
else is a stated assumption: change it, and the notebook shows how much the answer moves.

Distribution kinds:

* ``"log"``: log-normal, median = default, 90% of draws within about [low, high];
* ``"share"``: logit-normal on (0, 1), median = default, 90% within about [low, high];
* ``"uniform"``: uniform on [low, high];
* ``"fixed"``: always the default (a choice, not an uncertainty).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import special, stats

from analysis.datasets.calibration import calibration_entry
from analysis.errors import InputError

Z90 = stats.norm.ppf(0.95)  # 1.645: half-width of a central 90% interval in standard deviations
KINDS = ("log", "share", "uniform", "fixed")


@dataclass(frozen=True)
class Prior:
    """One uncertain parameter: default (median), 90% range [low, high], unit, source."""

    name: str
    default: float
    low: float
    high: float
    kind: str
    unit: str
    source: str
    group: str = "audience"

    def __post_init__(self):
        if self.kind not in KINDS:
            raise InputError(f"prior {self.name}: kind must be one of {KINDS}, got {self.kind!r}")
        if not self.low <= self.default <= self.high:
            raise InputError(f"prior {self.name}: default {self.default} outside [{self.low}, "
                             f"{self.high}]")
        if self.kind == "log" and self.low <= 0:
            raise InputError(f"prior {self.name}: a log prior needs low > 0, got {self.low}")
        if self.kind == "share" and not 0 < self.low <= self.high < 1:
            raise InputError(f"prior {self.name}: a share prior needs 0 < low <= high < 1")

    def _loc_scale(self, transform):
        loc = transform(self.default)
        scale = max(transform(self.high) - loc, loc - transform(self.low)) / Z90
        return loc, scale

    def ppf(self, q) -> np.ndarray:
        """The value at probability ``q`` (array-like in [0, 1]) of this prior."""
        q = np.asarray(q, dtype=float)
        if self.kind == "fixed" or self.low == self.high:
            return np.full(q.shape, float(self.default))
        if self.kind == "uniform":
            return self.low + q * (self.high - self.low)
        if self.kind == "log":
            loc, scale = self._loc_scale(np.log)
            return np.exp(loc + scale * stats.norm.ppf(q))
        loc, scale = self._loc_scale(special.logit)
        return special.expit(loc + scale * stats.norm.ppf(q))

    def draw(self, n: int, *, rng: np.random.Generator) -> np.ndarray:
        """``n`` independent draws (inverse-CDF of uniform draws from ``rng``)."""
        u = rng.random(n)
        return self.ppf(u)


def _cal_prior(name, kind, unit, group, *, row=None) -> Prior:
    """A prior centred on a calibration-table row (``row``, default ``name``): its value is the
    median, its low/high (10th/90th percentiles over a page's posts) the 90% range."""
    value, low, high, source = calibration_entry(row or name)
    return Prior(name, value, low, high, kind, unit, source, group)


def roi_priors() -> dict[str, Prior]:
    """Every parameter of the ROI comparison with its prior (see the module docstring)."""
    priors = [
        # --- audience (broadcast) ---------------------------------------------------------
        Prior("closed_eyes_share", 0.65, 0.35, 0.85, "share", "share of likes",
              "assumption centred on the campaign engine's default (about 0.7); notebook 02 "
              "estimates it from observable data", "audience"),
        Prior("price_per_like", 2.50, 2.50, 2.50, "fixed", "GBP per like",
              "the column: cheque / target = GBP 2.50", "audience"),
        _cal_prior("organic_reach_per_post", "log", "share of fans reached per post", "audience"),
        _cal_prior("engagement_given_reach", "share", "P(engage | reached)", "audience",
                   row="engaged_fans_per_reached_fan"),
        Prior("posts_per_week", 7.0, 3.0, 14.0, "log", "posts per week",
              "assumption; the UCI page posted about 500 times in 2014 (9.6 a week)", "audience"),
        Prior("value_per_engagement", 0.25, 0.03, 2.5, "log", "GBP per engaged fan",
              "assumption: from what an engaged user costs to buy through ads (pennies) to a "
              "guess at the margin it leads to (pounds)", "audience"),
        Prior("monthly_churn", 0.02, 0.005, 0.06, "share", "share of fans lost a month",
              "assumption: fans unlike, go quiet or leave", "audience"),
        Prior("dilution_elasticity", 0.5, 0.0, 1.0, "uniform",
              "reach elasticity to the page's engagement rate",
              "assumption: a feed shows a page less when its fans engage less (0 = no "
              "dilution, 1 = reach proportional to the engagement rate)", "audience"),
        Prior("closed_engagement_ratio", 0.0, 0.0, 0.0, "fixed",
              "closed-eyes engagement / open-eyed engagement",
              "the column's claim: closed-eyes fans add nothing (notebook 02 tries 0-20%)",
              "audience"),
        # --- paid reach (Mochon et al. 2017) ----------------------------------------------
        _cal_prior("paid_reach_multiplier", "log", "paid reach / organic reach per post", "paid"),
        Prior("boosted_posts_per_week", 2.0, 2.0, 2.0, "fixed", "posts per week",
              "Mochon et al. 2017 paid to show likers 2 posts a week", "paid"),
        Prior("paid_cpm", 5.0, 2.0, 12.0, "log", "GBP per 1,000 paid impressions",
              "assumption: typical Facebook CPMs, a few pounds", "paid"),
        # --- connection (many to many) ------------------------------------------------------
        Prior("share_find", 0.2, 0.2, 0.2, "fixed", "share of budget",
              "the plan: finding people who share the purpose", "connection"),
        Prior("share_introduce", 0.3, 0.3, 0.3, "fixed", "share of budget",
              "the plan: introducing them to each other", "connection"),
        Prior("share_groups", 0.5, 0.5, 0.5, "fixed", "share of budget",
              "the plan: hosting groups that make things together", "connection"),
        Prior("cost_per_member", 2.0, 0.5, 8.0, "log", "GBP per person found and signed up",
              "assumption: an ad click-through and a sign-up; Webtrends 2011 put a fan "
              "bought through ads at USD 1.07, and people picked for affinity cost more",
              "connection"),
        Prior("cost_per_introduction", 8.0, 2.0, 25.0, "log", "GBP per introduction",
              "assumption: about 15 minutes of a community manager's time at GBP 30 an hour",
              "connection"),
        Prior("cost_per_group", 600.0, 200.0, 2000.0, "log", "GBP per group over the horizon",
              "assumption: a host, a place (or tools) and materials for a year of sessions",
              "connection"),
        Prior("tie_stick_prob", 0.4, 0.15, 0.7, "share", "P(introduction becomes a tie)",
              "assumption: introductions to a friend of a friend often stick", "connection"),
        Prior("existing_tie_activation", 0.5, 0.1, 0.9, "uniform",
              "share of friendships among members that start carrying the purpose",
              "assumption: members who were already friends now share the brand's purpose",
              "connection"),
        Prior("value_per_connection", 1.5, 0.15, 15.0, "log", "GBP per tie per year",
              "assumption: about 6 conversations a year about the purpose at the value of "
              "an engagement (6 x GBP 0.25)", "connection"),
        Prior("group_invitees", 10.0, 10.0, 10.0, "fixed", "members invited per group",
              "the plan", "connection"),
        Prior("working_size", 5.0, 5.0, 5.0, "fixed", "active members a group needs",
              "assumption: a group makes things once about 5 people turn up", "connection"),
        Prior("p_active", 0.5, 0.25, 0.75, "share", "P(invited member takes part)",
              "assumption", "connection"),
        Prior("outputs_per_group_month", 1.0, 0.3, 3.0, "log", "co-created outputs a month",
              "assumption: a post, an event, an idea a month", "connection"),
        Prior("value_per_output", 20.0, 2.0, 200.0, "log", "GBP per co-created output",
              "assumption: the paid media it replaces, up to a product idea", "connection"),
        Prior("churn_reduction", 0.5, 0.2, 0.8, "share", "cut in monthly churn for members",
              "assumption: members with friends in the community leave less often",
              "connection"),
    ]
    return {p.name: p for p in priors}


def prior_table(priors: Mapping[str, Prior] | None = None) -> pd.DataFrame:
    """The priors as a table: parameter, group, default, 90% range, kind, unit, source."""
    priors = roi_priors() if priors is None else priors
    return pd.DataFrame([{
        "parameter": p.name, "group": p.group, "default": p.default, "low_5pct": p.low,
        "high_95pct": p.high, "kind": p.kind, "unit": p.unit, "source": p.source,
    } for p in priors.values()])


def with_fixed(priors: Mapping[str, Prior], fixed: Mapping[str, float]) -> dict[str, Prior]:
    """A copy of ``priors`` where each name in ``fixed`` is held at the given value."""
    out = dict(priors)
    for name, value in fixed.items():
        if name not in out:
            raise InputError(f"unknown ROI parameter {name!r}; known: {', '.join(sorted(out))}")
        value = float(value)
        out[name] = replace(out[name], default=value, low=value, high=value, kind="fixed")
    return out


def draw_parameters(priors: Mapping[str, Prior], n: int, *, rng: np.random.Generator
                    ) -> pd.DataFrame:
    """``n`` joint draws (independent across parameters), one row a draw, one column a name."""
    if n < 1:
        raise InputError(f"draws must be at least 1, got {n}")
    return pd.DataFrame({name: p.draw(n, rng=rng) for name, p in priors.items()})


def medians(priors: Mapping[str, Prior]) -> dict[str, float]:
    """The default (median) of every prior, as a dict."""
    return {name: float(p.default) for name, p in priors.items()}
