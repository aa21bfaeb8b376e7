"""Estimating the closed-eyes share from data a researcher could observe.

Middle room: imports the engine, the data sets and the leaves; never the ROI model or
publishing. Modules: ``estimates`` (the Estimate type: a number, its 95% interval and the
assumption it rests on), one module per estimator (``ab_test``, ``engagement_ratio``,
``zero_inflated``, ``its``), ``estimators`` (one entry point per design), ``fan_counts``
(tabulation), ``observables`` (data generators from a known truth), ``recovery`` (which
estimator to trust when), ``power`` (sample sizes), ``jump`` (the jump of finished campaigns at their target). A new estimator is a module here, returning
an ``Estimate``, with an entry point in ``estimators``.
"""

from analysis.exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "Estimate": "estimates",
    "from_ab_test": "estimators", "from_cohorts": "estimators",
    "from_daily_likes": "estimators", "COHORT_METHODS": "estimators", "DESIGNS": "estimators",
    "ab_estimate": "ab_test", "engagement_ratio": "engagement_ratio",
    "zero_inflated_share": "zero_inflated", "zero_inflated_shares": "zero_inflated",
    "excess_share": "its", "excess_share_many": "its",
    "check_pre_days": "its",
    "FanCounts": "fan_counts", "tabulate": "fan_counts",
    "EngagementSetting": "observables", "DailySetting": "observables",
    "observables_from_campaign": "observables",
    "recovery_study": "recovery", "power_table": "power",
    "jump_ratio": "jump",
})
