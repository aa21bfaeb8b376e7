"""The value of an audience (broadcast, one to many): what the campaign's fans are worth.

A fan is worth the engagements the page's posts get from them over a horizon:

    value (GBP) = open-eyed fans x fan-months x posts a month x organic reach per post
                  x P(engage | reached) x value per engagement,

where fan-months sums the expected survivors of monthly churn over the horizon. Closed-eyes
fans add nothing (the column's claim; ``closed_engagement_ratio`` lets them engage at a
fraction of the open-eyed rate). As an option, they *dilute* the page: a feed shows a page's
posts less when its fans engage less, so reach per post is multiplied by
``(page engagement rate / open-eyed engagement rate) ** dilution_elasticity``; the dilution also
costs the page's existing fans some reach, and that loss is subtracted.

Paid-reach variant (Mochon et al. 2017: likes paid off only once the firm paid to reach them):
``boosted_posts_per_week`` posts a week are shown to ``paid_reach_multiplier`` times the organic
share of fans (at most all of them), at ``paid_cpm`` GBP per 1,000 extra impressions. The
brand cannot tell open-eyed from closed-eyes fans, so it pays to reach both.

Every function takes numbers or numpy arrays (broadcast together), so a Monte Carlo evaluates
thousands of draws at once.
"""

from __future__ import annotations

import numpy as np

WEEKS_PER_MONTH = 52.0 / 12.0


def fan_months(monthly_churn, horizon_months):
    """Expected months a fan stays over the horizon: sum over t < H of (1 - churn) ** t.

    monthly_churn: share lost a month, in [0, 1]; horizon_months: months (>= 0).
    A fan acquired at the start counts a full first month. Units: fan-months per fan.
    """
    c = np.asarray(monthly_churn, dtype=float)
    h = np.asarray(horizon_months, dtype=float)
    keep = 1.0 - c
    with np.errstate(divide="ignore", invalid="ignore"):
        geometric = (1.0 - keep ** h) / c
    return np.where(c > 0, geometric, h)


def reach_dilution(open_fans, closed_fans, *, existing_fans=0.0, closed_engagement_ratio=0.0,
                   dilution_elasticity=0.0):
    """Multiplier (0..1] on reach per post when closed-eyes fans lower the engagement rate.

    open_fans, closed_fans, existing_fans: counts of fans (existing fans engage like open-eyed
    ones). closed_engagement_ratio: closed-eyes engagement as a share of the open-eyed rate.
    dilution_elasticity: 0 = no dilution; 1 = reach proportional to the engagement rate.
    """
    o = np.asarray(open_fans, dtype=float) + np.asarray(existing_fans, dtype=float)
    k = np.asarray(closed_fans, dtype=float)
    total = o + k
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(total > 0, (o + closed_engagement_ratio * k) / total, 1.0)
    return np.clip(rate, 0.0, 1.0) ** np.asarray(dilution_elasticity, dtype=float)


def engagements(fans, *, reach_per_post, engagement_given_reach, posts_per_week,
                horizon_months, monthly_churn):
    """Expected engagements from ``fans`` fans over the horizon (a count).

    reach_per_post: share of fans a post reaches; engagement_given_reach: P(engage | reached);
    posts_per_week: posts; horizon_months: months; monthly_churn: share of fans lost a month.
    """
    posts_a_month = np.asarray(posts_per_week, dtype=float) * WEEKS_PER_MONTH
    return (np.asarray(fans, dtype=float) * fan_months(monthly_churn, horizon_months)
            * posts_a_month * reach_per_post * engagement_given_reach)


def audience_value(open_fans, closed_fans, *, organic_reach_per_post, engagement_given_reach,
                   posts_per_week, value_per_engagement, horizon_months, monthly_churn,
                   dilution_elasticity=0.0, closed_engagement_ratio=0.0, existing_fans=0.0):
    """GBP value of the campaign's fans over the horizon (organic reach only).

    open_fans / closed_fans: fans who liked with eyes open / only for the charity.
    organic_reach_per_post: share of fans a post reaches organically (e.g. 0.031).
    engagement_given_reach: P(engage | reached). posts_per_week: page posts a week.
    value_per_engagement: GBP per engagement. horizon_months, monthly_churn: see fan_months.
    dilution_elasticity, closed_engagement_ratio, existing_fans: see reach_dilution; the reach
    the existing fans lose to dilution is subtracted (so the value can be negative).
    """
    mult = reach_dilution(open_fans, closed_fans, existing_fans=existing_fans,
                          closed_engagement_ratio=closed_engagement_ratio,
                          dilution_elasticity=dilution_elasticity)
    engaging = (np.asarray(open_fans, dtype=float)
                + closed_engagement_ratio * np.asarray(closed_fans, dtype=float))
    common = dict(engagement_given_reach=engagement_given_reach, posts_per_week=posts_per_week,
                  horizon_months=horizon_months, monthly_churn=monthly_churn)
    gained = engagements(engaging, reach_per_post=organic_reach_per_post * mult, **common)
    lost = engagements(existing_fans, reach_per_post=organic_reach_per_post * (1.0 - mult),
                       **common)
    return (gained - lost) * value_per_engagement


def paid_reach(open_fans, closed_fans, *, organic_reach_per_post, engagement_given_reach,
               value_per_engagement, horizon_months, monthly_churn, paid_reach_multiplier,
               boosted_posts_per_week, paid_cpm, closed_engagement_ratio=0.0):
    """Extra (value, cost) in GBP of paying to show ``boosted_posts_per_week`` posts to the fans.

    Each boosted post reaches min(1, organic reach x paid_reach_multiplier) of all fans
    instead of the organic share; the brand pays ``paid_cpm`` GBP per 1,000 extra impressions
    for every fan reached, open-eyed or not. Returns a tuple (extra_value, extra_cost).
    """
    organic = np.asarray(organic_reach_per_post, dtype=float)
    boosted = np.minimum(1.0, organic * paid_reach_multiplier)
    extra_share = np.maximum(boosted - organic, 0.0)
    months = fan_months(monthly_churn, horizon_months)
    boosts = np.asarray(boosted_posts_per_week, dtype=float) * WEEKS_PER_MONTH
    open_f = np.asarray(open_fans, dtype=float)
    closed_f = np.asarray(closed_fans, dtype=float)
    engaging = open_f + closed_engagement_ratio * closed_f
    extra_value = (engaging * months * boosts * extra_share * engagement_given_reach
                   * value_per_engagement)
    extra_cost = (open_f + closed_f) * months * boosts * extra_share * paid_cpm / 1000.0
    return extra_value, extra_cost


def fans_bought(budget, price_per_like, closed_eyes_share):
    """(open_fans, closed_fans) a budget buys at ``price_per_like`` GBP when the cheque is paid.

    budget: GBP (the cheque); price_per_like: GBP a like at the target; closed_eyes_share: s.
    """
    price = np.asarray(price_per_like, dtype=float)
    likes = np.where(price > 0, np.asarray(budget, dtype=float) / np.where(price > 0, price, 1),
                     0.0)
    s = np.asarray(closed_eyes_share, dtype=float)
    return likes * (1.0 - s), likes * s
