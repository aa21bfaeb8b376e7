"""Generators of observable data: schemas, the truth they encode, the violation knobs, seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.datasets.calibration import calibration_value
from analysis.errors import InputError
from analysis.estimation.observables import (
    DailySetting,
    EngagementSetting,
    ab_counts,
    daily_likes,
    fan_arrays,
    fan_table,
    observables_from_campaign,
)


def test_fan_table_schema_and_sizes():
    t = fan_table(300, 100, 50, rng=np.random.default_rng(1))
    assert list(t.columns) == ["fan_id", "cohort", "exposures", "engagements"]
    assert t["fan_id"].is_unique and len(t) == 450
    assert (t["cohort"] == "campaign").sum() == 150
    assert set(t["cohort"]) == {"organic", "campaign"}
    assert (t[["exposures", "engagements"]] >= 0).all().all()


def test_fan_table_is_deterministic_by_seed():
    a = fan_table(200, 50, 50, rng=np.random.default_rng(7))
    b = fan_table(200, 50, 50, rng=np.random.default_rng(7))
    c = fan_table(200, 50, 50, rng=np.random.default_rng(8))
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_rates_follow_the_calibration():
    setting = EngagementSetting()
    assert setting.reach == pytest.approx(calibration_value("organic_reach_per_post"))
    a = fan_arrays(200_000, 0, 0, rng=np.random.default_rng(2), setting=setting)
    assert a["exposures"].mean() == pytest.approx(setting.posts * setting.reach, rel=0.01)
    per_exposure = a["engagements"].sum() / a["exposures"].sum()
    assert per_exposure == pytest.approx(setting.rate * (1 - setting.dormant_share), rel=0.02)


def test_closed_eyes_fans_never_engage_unless_told():
    t = fan_table(0, 0, 5000, rng=np.random.default_rng(3), with_truth=True)
    assert t["engagements"].sum() == 0 and set(t["kind"]) == {"closed_eyed"}
    leaky = fan_arrays(0, 5000, 5000, rng=np.random.default_rng(3),
                       setting=EngagementSetting(closed_engagement=0.2))
    closed = leaky["kind"] == 2
    ratio = leaky["engagements"][closed].sum() / leaky["engagements"][~closed].sum()
    assert ratio == pytest.approx(0.2, rel=0.15)


def test_overdispersion_widens_the_counts():
    kw = dict(rng=np.random.default_rng(4))
    plain = fan_arrays(50_000, 0, 0, setting=EngagementSetting(dormant_share=0), **kw)["engagements"]
    kw = dict(rng=np.random.default_rng(4))
    wide = fan_arrays(50_000, 0, 0, setting=EngagementSetting(dormant_share=0,
                                                              overdispersion_shape=1.0),
                      **kw)["engagements"]
    assert wide.var() / wide.mean() > 1.3 * plain.var() / plain.mean()


def test_ab_counts_encode_the_share():
    c = ab_counts(0.2, 0.75, 200_000, rng=np.random.default_rng(5))
    assert c["asked_with"] == c["asked_without"] == 200_000
    assert 1 - (c["liked_without"] / c["liked_with"]) == pytest.approx(0.75, abs=0.01)
    with pytest.raises(InputError):
        ab_counts(1.5, 0.5, 100, rng=np.random.default_rng(5))


def test_daily_likes_add_the_campaign_only_in_its_window():
    setting = DailySetting(pre_days=28, campaign_start="2010-11-06")
    d = daily_likes([10] * 7, rng=np.random.default_rng(6), setting=setting)
    assert len(d) == 35 and d["date"].iloc[28] == "2010-11-06"
    assert (d["new_likes"] == d["baseline_likes"] + d["campaign_likes"]).all()
    assert d.loc[~d["in_campaign"], "campaign_likes"].eq(0).all()
    assert d.loc[d["in_campaign"], "campaign_likes"].eq(10).all()
    assert pd.to_datetime(d["date"]).diff().dropna().eq(pd.Timedelta(days=1)).all()


def test_weekday_pattern_shows_in_a_long_series():
    setting = DailySetting(pre_days=7 * 400, baseline_per_day=50, trend_per_week=0.0,
                           weekday=(1, 1, 1, 1, 1, 2, 2))
    d = daily_likes([0], rng=np.random.default_rng(7), setting=setting)
    wd = pd.to_datetime(d["date"]).dt.day_of_week
    means = d.groupby(wd)["new_likes"].mean()
    assert means[5] / means[0] == pytest.approx(2.0, rel=0.05)


def test_observables_from_a_campaign_are_consistent():
    from analysis.engine.campaign import run_campaign
    from analysis.engine.scenario import Scenario

    rng = np.random.default_rng(8)
    result = run_campaign(Scenario(population=3000, seeds=100, target=60, days=10), rng=rng)
    ob = observables_from_campaign(result, rng=rng, n_organic=1000, asks_per_arm=500)
    t, s = ob.truth, result.summary()
    assert t["closed_eyed_likes"] == s["closed_eyed_likes"]
    assert t["likes_in_window"] == t["campaign_likes"] + t["baseline_likes_in_window"]
    assert 0 <= t["s"] <= t["excess_share"] <= 1
    camp = ob.fans[ob.fans["cohort"] == "campaign"]
    assert len(camp) == t["likes_in_window"]
    assert (camp["kind"] == "closed_eyed").sum() == t["closed_eyed_likes"]
    window = ob.daily[ob.daily["in_campaign"]]
    assert len(window) == s["days"] and window["new_likes"].sum() == t["likes_in_window"]
    assert ob.campaign_start == "2010-11-06"
    assert ob.ab["asked_with"] == 500
