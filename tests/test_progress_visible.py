"""The visible target (issue 10): each mechanism switched on alone moves the outcome the way its
source says, the labels stay counterfactual, and the assumptions made explicit behave."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.engine.campaign import charity_motive, extra_reach, run_campaign
from analysis.engine.scenario import Scenario
from analysis.errors import InputError

# every visible-progress mechanism switched off
OFF = {"goal_gradient": 0.0, "diffusion": 0.0, "deadline_attention": 1.0,
       "push_reach_per_day": 0.0, "after_target": 1.0}
BASE = Scenario(population=3000, seeds=60, target=90, days=10, page_reach_per_day=0.01,
                **OFF)
SEEDS = range(6)


def total(sc: Scenario, key: str = "likes") -> int:
    return sum(run_campaign(sc, rng=np.random.default_rng(s)).summary()[key] for s in SEEDS)


def test_visible_with_every_mechanism_off_is_hidden():
    for seed in (1, 2):
        a = run_campaign(BASE, rng=np.random.default_rng(seed))
        b = run_campaign(BASE.replace(progress="hidden"), rng=np.random.default_rng(seed))
        assert a.fans.equals(b.fans)
        assert (a.daily["charity_motive"] == 1.0).all() and (a.daily["extra_reached"] == 0).all()


def test_charity_motive_by_hand():
    sc = Scenario(target=100, days=10, goal_gradient=1.0, goal_gradient_start=0.6,
                  diffusion=0.5, deadline_days=3, after_target=0.2)
    assert charity_motive(sc, 0, 0) == 1.0                     # nothing in, nothing lost
    assert charity_motive(sc, 50, 2) == pytest.approx(0.75)    # diffusion: 1 - 0.5 * 0.5
    assert charity_motive(sc, 80, 2) == pytest.approx(1.5 * 0.6)  # ramp 0.5, diffusion 0.4
    assert charity_motive(sc, 80, 8) == pytest.approx(1.5)     # last days: no diffusion
    assert charity_motive(sc, 100, 8) == 0.2 and charity_motive(sc, 300, 1) == 0.2
    assert charity_motive(sc.replace(progress="hidden"), 80, 2) == 1.0
    # the brand's push: only in its last days, only when behind but within reach
    sc = sc.replace(push_days=2, push_reach_per_day=0.01, push_from=0.5, deadline_attention=1.0)
    assert extra_reach(sc, 70, 8) == 0.01
    assert extra_reach(sc, 70, 7) == 0.0 and extra_reach(sc, 40, 9) == 0.0
    assert extra_reach(sc, 100, 9) == 0.0


def test_goal_gradient_alone_raises_likes_near_the_target():
    on = BASE.replace(goal_gradient=1.5)
    assert total(on, "closed_eyed_likes") > total(BASE, "closed_eyed_likes")
    assert total(on) > total(BASE)
    r = run_campaign(on, rng=np.random.default_rng(0))
    c = r.daily["cumulative"].shift(fill_value=0) / on.target
    motive = r.daily["charity_motive"]
    near = (c > on.goal_gradient_start) & (c < 1)
    assert near.any() and (motive[near] > 1.0).all()
    assert (motive[c <= on.goal_gradient_start] == 1.0).all()


def test_diffusion_alone_lowers_likes_in_mid_campaign():
    on = BASE.replace(diffusion=0.8, deadline_days=0)
    assert total(on, "closed_eyed_likes") < total(BASE, "closed_eyed_likes")
    assert total(on) < total(BASE)


def test_deadline_alone_brings_likes_in_the_last_days():
    on = BASE.replace(deadline_attention=3.0, deadline_days=3)
    last = slice(BASE.days - 3, BASE.days)
    runs = [[run_campaign(sc, rng=np.random.default_rng(s)).daily for s in SEEDS]
            for sc in (BASE, on)]
    late_off, late_on = (sum(int(d["likes"].iloc[last].sum()) for d in days) for days in runs)
    assert late_on > late_off


def test_brand_push_alone_helps_a_page_behind_its_target():
    on = BASE.replace(push_reach_per_day=0.03, push_days=3, push_from=0.0)
    assert total(on) > total(BASE)
    assert total(on, "target_reached") >= total(BASE, "target_reached")
    # a page already over its target does not push: a tiny target, nothing changes
    tiny_off, tiny_on = BASE.replace(target=5), on.replace(target=5)
    assert total(tiny_on) == total(tiny_off)


def test_after_the_target_the_charity_motive_fades():
    on = BASE.replace(after_target=0.0, target=60)
    assert total(on, "closed_eyed_likes") < total(BASE.replace(target=60), "closed_eyed_likes")
    for seed in SEEDS:
        r = run_campaign(on, rng=np.random.default_rng(seed))
        d = r.daily
        seen_over = d["cumulative"].shift(fill_value=0) >= on.target
        assert seen_over.any()
        assert (d.loc[seen_over, "closed_eyed"] == 0).all()  # nobody likes for the charity


def test_labels_stay_counterfactual_with_the_target_visible():
    r = run_campaign(Scenario(population=3000, seeds=60, target=150, days=10,
                              page_reach_per_day=0.01), rng=np.random.default_rng(4))
    s = r.summary()
    assert s["open_eyed_likes"] + s["closed_eyed_likes"] + s["bot_likes"] == s["likes"]
    assert s["likes"] >= s["likes_without_pledge"]
    assert s["progress"] == "visible"


def test_fresh_chance_per_exposure_gives_more_likes_than_one_threshold():
    fresh = BASE.replace(repeat_exposure="fresh_chance")
    assert total(fresh) > total(BASE)
    a = run_campaign(fresh, rng=np.random.default_rng(3))
    b = run_campaign(fresh, rng=np.random.default_rng(3))
    assert a.fans.equals(b.fans)


@pytest.mark.parametrize("field,value", [("progress", "shown"), ("repeat_exposure", "twice"),
                                         ("after_target", 1.5), ("goal_gradient_start", 1.0)])
def test_bad_values_name_the_field(field, value):
    with pytest.raises(InputError, match=field):
        Scenario(**{field: value})
