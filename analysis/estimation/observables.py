"""What a researcher could really observe, generated from a known truth.

A closed-eyes like cannot be seen: the page shows a like, not the reason behind it. These
generators turn a known truth (the closed-eyes share *s*, or a whole simulated campaign) into
the three kinds of data a researcher could collect:

* :func:`ab_counts` -- a randomised incentive test: people asked with and without the pledge,
  and how many liked in each arm;
* :func:`fan_table` -- per-fan engagement after the campaign: fan id, cohort (``organic`` fans
  from before the campaign, ``campaign`` fans who liked during it), posts that reached the fan
  (exposures) and engagements; with knobs that break each estimator's assumption;
* :func:`daily_likes` -- the page's daily new likes (a Page Insights export): a pre-campaign
  baseline with a weekday pattern and a trend, then the campaign window.
  (:func:`daily_arrays` draws the same as plain arrays, for simulation studies.)

:func:`observables_from_campaign` feeds one :class:`analysis.engine.campaign.CampaignResult` through all
three, so the simulated campaign is the ground truth the estimators are scored against.

The truth scored against is **s = closed-eyes likes / all likes the page gained during the
campaign window** (the campaign's own likes plus the organic baseline likes that would have come
anyway). That is the share a researcher labelling fans by the date they liked can hope to
recover. With no organic baseline it equals the campaign's ``closed_eyes_share``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis.datasets.calibration import calibration_value
from analysis.errors import InputError

COHORTS = ("organic", "campaign")
KINDS = ("organic", "open_eyed", "closed_eyed")

@dataclass(frozen=True)
class EngagementSetting:
    """How fans meet the page's posts and engage after the campaign, with violation knobs.

    posts: posts the page publishes over the follow-up (default 180, about four months at the
        UCI page's 500 posts a year).
    reach_per_post: share of fans a post reaches (None: calibrated, median 3.1%).
    engagement_per_exposure: engagements per post that reaches an attentive fan (None:
        calibrated, 12.4% of reached fans engage).
    dormant_share: share of genuine fans who never engage (inactive accounts), the same among
        organic and open-eyed campaign fans. Assumption: 0.2.
    closed_engagement: closed-eyes fans engage at this fraction of the organic fans' rate
        (0 = never, the assumption of the engagement designs; 0.05 and 0.2 violate it).
    open_campaign_engagement: open-eyed campaign fans engage at this multiple of the organic
        rate (1 = the same, the engagement-ratio assumption; 0.7 violates it).
    overdispersion_shape: None for Poisson engagement; a gamma shape k gives each fan a
        gamma(k, 1/k) multiplier of their rate (gamma-Poisson; smaller k, more dispersion).
    """

    posts: int = 180
    reach_per_post: float | None = None
    engagement_per_exposure: float | None = None
    dormant_share: float = 0.2
    closed_engagement: float = 0.0
    open_campaign_engagement: float = 1.0
    overdispersion_shape: float | None = None

    def __post_init__(self):
        _check_range("posts", self.posts, 1, 100_000)
        for name in ("reach_per_post", "engagement_per_exposure"):
            v = getattr(self, name)
            if v is not None:
                _check_range(name, v, 0.0, 1.0 if name == "reach_per_post" else 100.0)
        _check_range("dormant_share", self.dormant_share, 0.0, 0.99)
        _check_range("closed_engagement", self.closed_engagement, 0.0, 10.0)
        _check_range("open_campaign_engagement", self.open_campaign_engagement, 0.0, 10.0)
        if self.overdispersion_shape is not None:
            _check_range("overdispersion_shape", self.overdispersion_shape, 1e-3, 1e6)

    def calibrated(self) -> EngagementSetting:
        """This setting with the calibrated reach and rate filled in (the same floats the
        properties return): a loop that simulates many times looks them up once, not per call."""
        return replace(self, reach_per_post=self.reach, engagement_per_exposure=self.rate)

    @property
    def reach(self) -> float:
        """Share of fans one post reaches (calibrated unless set)."""
        return self.reach_per_post if self.reach_per_post is not None else calibration_value(
            "organic_reach_per_post")

    @property
    def rate(self) -> float:
        """Engagements per exposure of an attentive fan (calibrated unless set)."""
        return (self.engagement_per_exposure if self.engagement_per_exposure is not None
                else calibration_value("engaged_fans_per_reached_fan"))


def _check_range(name, value, low, high):
    if not isinstance(value, (int, float, np.integer, np.floating)) or not (low <= value <= high):
        raise InputError(f"{name} = {value!r} is outside [{low}, {high}]")


def _counts(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise InputError(f"{name} = {value!r} must be a whole number >= 0")
    return int(value)


def fan_arrays(n_organic: int, n_open_campaign: int, n_closed_campaign: int, *,
               rng: np.random.Generator, setting: EngagementSetting = EngagementSetting(),
               ) -> dict[str, np.ndarray]:
    """Per-fan engagement as arrays (fast path for simulation studies).

    n_organic: fans from before the campaign (all genuine); n_open_campaign and
    n_closed_campaign: campaign fans who liked open-eyed and closed-eyed.
    Returns ``cohort`` (0 organic, 1 campaign), ``exposures`` (posts that reached the fan),
    ``engagements`` (count) and the hidden truth ``kind`` (0 organic, 1 open-eyed, 2 closed-eyed).
    Rows: organic fans first, then campaign fans in random order.
    """
    n_o = _counts("n_organic", n_organic)
    n_op = _counts("n_open_campaign", n_open_campaign)
    n_cl = _counts("n_closed_campaign", n_closed_campaign)
    kind = np.concatenate([np.zeros(n_o, np.int8), rng.permutation(
        np.concatenate([np.ones(n_op, np.int8), np.full(n_cl, 2, np.int8)]))])
    n = kind.size
    exposures = rng.binomial(setting.posts, setting.reach, size=n)
    # rate multipliers: organic 1, open-eyed campaign fans, closed-eyes fans (of the organic rate)
    multiplier = np.array([1.0, setting.open_campaign_engagement, setting.closed_engagement])[kind]
    active = rng.random(n) >= setting.dormant_share  # dormancy hits every kind of fan alike
    rate = setting.rate * multiplier * active
    if setting.overdispersion_shape is not None:
        k = setting.overdispersion_shape
        rate = rate * rng.gamma(k, 1.0 / k, size=n)
    engagements = rng.poisson(rate * exposures)
    return {"cohort": (kind > 0).astype(np.int8), "exposures": exposures.astype(np.int64),
            "engagements": engagements.astype(np.int64), "kind": kind}


def fan_table(n_organic: int, n_open_campaign: int, n_closed_campaign: int, *,
              rng: np.random.Generator, setting: EngagementSetting = EngagementSetting(),
              with_truth: bool = False) -> pd.DataFrame:
    """Per-fan engagement table with columns ``fan_id, cohort, exposures, engagements``.

    The schema of ``python -m analysis estimate cohorts``: cohort is ``organic`` or ``campaign``,
    exposures = posts that reached the fan, engagements = the fan's engagements with them.
    with_truth: also return the hidden column ``kind`` (organic / open_eyed / closed_eyed).
    """
    a = fan_arrays(n_organic, n_open_campaign, n_closed_campaign, rng=rng, setting=setting)
    table = pd.DataFrame({
        "fan_id": np.arange(1, a["cohort"].size + 1),
        "cohort": np.asarray(COHORTS)[a["cohort"]],
        "exposures": a["exposures"],
        "engagements": a["engagements"],
    })
    if with_truth:
        table["kind"] = np.asarray(KINDS)[a["kind"]]
    return table


def ab_counts(p_with: float, s: float, asks_per_arm: int, *, rng: np.random.Generator,
              asks_without: int | None = None) -> dict[str, int]:
    """A randomised incentive test: counts of people asked and liking, with and without pledge.

    p_with: probability that a person asked with the pledge likes. s: true closed-eyes share,
    so a person asked without the pledge likes with probability ``p_with * (1 - s)`` (the pledge
    only adds likes). asks_per_arm: people asked with the pledge (and without, unless
    ``asks_without`` is given).
    """
    _check_range("p_with", p_with, 0.0, 1.0)
    _check_range("s", s, 0.0, 1.0)
    n1 = _counts("asks_per_arm", asks_per_arm)
    n0 = n1 if asks_without is None else _counts("asks_without", asks_without)
    return {
        "asked_with": n1,
        "liked_with": int(rng.binomial(n1, p_with)),
        "asked_without": n0,
        "liked_without": int(rng.binomial(n0, p_with * (1.0 - s))),
    }


@dataclass(frozen=True)
class DailySetting:
    """The page's organic new likes per day, before and during the campaign.

    pre_days: days of data before the campaign starts (default 84, twelve weeks).
    baseline_per_day: organic new likes per day at the campaign start (assumption: 3 a day,
        about 0.06% of a 5,000-fan page).
    trend_per_week: relative growth of the baseline per week (log scale; assumption 1%).
    weekday: multipliers Monday..Sunday (assumption: a little more liking at weekends).
    overdispersion_shape: None for Poisson days; else gamma-Poisson with this shape per day.
    campaign_start: first day of the campaign, ``YYYY-MM-DD`` (default 6 Nov 2010, two weeks
        before the 2010 Children in Need appeal night, 19 Nov).
    window_bump: the organic baseline is multiplied by this during the campaign window (1 = the
        pre-campaign pattern simply continues, the time series' assumption; >1 violates it, e.g.
        a seasonal rise the pre-period cannot show).
    """

    pre_days: int = 84
    baseline_per_day: float = 3.0
    trend_per_week: float = 0.01
    weekday: tuple[float, ...] = (0.95, 0.95, 0.95, 0.95, 1.0, 1.1, 1.1)
    overdispersion_shape: float | None = None
    campaign_start: str = "2010-11-06"
    window_bump: float = 1.0

    def __post_init__(self):
        _check_range("pre_days", self.pre_days, 1, 100_000)
        _check_range("baseline_per_day", self.baseline_per_day, 0.0, 1e9)
        _check_range("trend_per_week", self.trend_per_week, -1.0, 1.0)
        _check_range("window_bump", self.window_bump, 0.0, 100.0)
        if len(self.weekday) != 7 or min(self.weekday) <= 0:
            raise InputError(f"weekday needs 7 positive multipliers (Mon..Sun), got {self.weekday}")
        if self.overdispersion_shape is not None:
            _check_range("overdispersion_shape", self.overdispersion_shape, 1e-3, 1e6)
        try:
            pd.Timestamp(self.campaign_start)
        except ValueError as exc:
            raise InputError(f"campaign_start {self.campaign_start!r} is not a date "
                             "(YYYY-MM-DD)") from exc


def _baseline(setting: DailySetting, days: int):
    """The one formula of the expected organic likes: (start, day offsets from the campaign
    start, in_campaign, mean) over ``pre_days + days`` days."""
    start = pd.Timestamp(setting.campaign_start)
    t = np.arange(-setting.pre_days, days)
    w = np.asarray(setting.weekday, float)
    w = w / w.mean()
    mean = setting.baseline_per_day * np.exp(setting.trend_per_week * t / 7.0) * w[
        (start.day_of_week + t) % 7]
    in_campaign = t >= 0
    mean = np.where(in_campaign, mean * setting.window_bump, mean)
    return start, t, in_campaign, mean


def daily_arrays(campaign_likes, *, rng: np.random.Generator,
                 setting: DailySetting = DailySetting()) -> dict[str, np.ndarray]:
    """:func:`daily_likes` as arrays (the fast path for simulation studies; the same draws).

    Returns ``date`` (``datetime64[D]``), ``new_likes``, ``baseline_likes``, ``campaign_likes``
    (int64) and ``in_campaign`` (bool), one entry per day.
    """
    extra = np.asarray(campaign_likes, dtype=float)
    if extra.ndim != 1 or extra.size == 0 or np.any(extra < 0) or not np.all(np.isfinite(extra)):
        raise InputError("campaign_likes must be a non-empty list of counts >= 0, one per day")
    start, t, in_campaign, mean = _baseline(setting, extra.size)
    if setting.overdispersion_shape is not None:
        k = setting.overdispersion_shape
        mean = mean * rng.gamma(k, 1.0 / k, size=mean.size)
    base = rng.poisson(mean)
    camp = np.zeros(mean.size, dtype=np.int64)
    camp[in_campaign] = np.rint(extra).astype(np.int64)
    return {"date": np.datetime64(start.date(), "D") + t, "new_likes": base + camp,
            "baseline_likes": base, "campaign_likes": camp, "in_campaign": in_campaign}


def daily_likes(campaign_likes, *, rng: np.random.Generator,
                setting: DailySetting = DailySetting()) -> pd.DataFrame:
    """The page's daily new likes: organic baseline plus the campaign's likes in its window.

    campaign_likes: likes the campaign brought on each campaign day (its length sets the window).
    Returns columns ``date, new_likes`` (the observable, as in a Page Insights export) and the
    hidden truth ``baseline_likes, campaign_likes, in_campaign``; built on
    :func:`daily_arrays` (the same draws).
    """
    a = daily_arrays(campaign_likes, rng=rng, setting=setting)
    return pd.DataFrame({"date": np.datetime_as_string(a["date"], unit="D"), **{
        k: a[k] for k in ("new_likes", "baseline_likes", "campaign_likes", "in_campaign")}})


@dataclass(frozen=True)
class Observables:
    """The three observable data sets built from one campaign, and the truth behind them.

    ab: counts of the incentive test (asked_with, liked_with, asked_without, liked_without).
    fans: per-fan engagement table (fan_id, cohort, exposures, engagements; hidden ``kind``).
    daily: daily new likes (date, new_likes; hidden baseline_likes, campaign_likes, in_campaign).
    truth: s and the counts behind it (see :func:`observables_from_campaign`).
    """

    ab: dict
    fans: pd.DataFrame
    daily: pd.DataFrame
    truth: dict = field(default_factory=dict)

    @property
    def campaign_start(self) -> str:
        return str(self.daily.loc[self.daily["in_campaign"], "date"].iloc[0])

    @property
    def campaign_end(self) -> str:
        return str(self.daily.loc[self.daily["in_campaign"], "date"].iloc[-1])


def observables_from_campaign(result, *, rng: np.random.Generator, n_organic: int = 5_000,
                              asks_per_arm: int = 2_000, p_with: float | None = None,
                              engagement: EngagementSetting = EngagementSetting(),
                              daily: DailySetting = DailySetting()) -> Observables:
    """Turn a simulated campaign (a ``CampaignResult``) into the data a researcher could see.

    result: from ``analysis.engine.campaign.run_campaign``; its ``daily`` table gives the campaign's
        likes per day (open-eyed, closed-eyed, bots) and ``summary()`` the totals.
    n_organic: fans the page had before the campaign (assumption: 5,000).
    asks_per_arm: people asked in each arm of the incentive test.
    p_with: like probability when asked with the pledge (None: the campaign's likes per person
        it reached, ``likes / people_exposed``).
    engagement, daily: settings of the engagement table and the daily series.

    The truth ``s`` = closed-eyes likes / all likes gained in the campaign window (campaign likes
    plus the organic baseline likes drawn for the window). Bots, when the scenario has any,
    never engage, so they join the campaign cohort as non-attending fans (counted in
    ``truth["bot_likes"]``, not in ``s``).
    """
    d = result.daily
    summary = result.summary()
    campaign_per_day = d["likes"].to_numpy()
    series = daily_likes(campaign_per_day, rng=rng, setting=daily)
    window = series[series["in_campaign"]]
    baseline_window = int(window["baseline_likes"].sum())
    closed = int(d["closed_eyed"].sum())
    bots = int(d["bots"].sum()) if "bots" in d else 0
    open_campaign = int(d["open_eyed"].sum())
    likes_window = int(window["new_likes"].sum())
    s = closed / likes_window if likes_window else float("nan")
    if p_with is None:
        exposed = max(int(summary.get("people_exposed") or 0), 1)
        p_with = min(1.0, (open_campaign + closed) / exposed)
    ab = ab_counts(p_with, s, asks_per_arm, rng=rng)
    fans = fan_table(n_organic, open_campaign + baseline_window, closed + bots, rng=rng,
                     setting=engagement, with_truth=True)
    if bots:
        # bots sit in the closed-eyed rows of the table for engagement purposes; label them
        closed_rows = np.flatnonzero(fans["kind"].to_numpy() == "closed_eyed")
        fans.loc[closed_rows[:bots], "kind"] = "bot"
    truth = {
        "s": s,
        "closed_eyed_likes": closed,
        "open_eyed_campaign_likes": open_campaign,
        "bot_likes": bots,
        "baseline_likes_in_window": baseline_window,
        "likes_in_window": likes_window,
        "campaign_likes": int(campaign_per_day.sum()),
        "excess_share": int(campaign_per_day.sum()) / likes_window if likes_window else math.nan,
        "campaign_closed_eyes_share": summary.get("closed_eyes_share"),
        "p_with": p_with,
        "p_without": p_with * (1.0 - s),
        "n_organic": n_organic,
    }
    return Observables(ab=ab, fans=fans, daily=series, truth=truth)
