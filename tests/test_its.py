"""The interrupted time series fitted in batches: statsmodels' quasi-Poisson GLM is the reference
for every series, failures come back in their row, and a row's answer ignores its batch."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.errors import InputError
from analysis.estimation import its
from analysis.estimation.estimates import Z95
from analysis.estimation.its import excess_share, excess_share_many, poisson_irls
from analysis.estimation.observables import DailySetting, daily_arrays, daily_likes


def reference(dates, y, start, end):
    """The estimate, its interval, the fit's params and scale from statsmodels' GLM (tight
    tolerance), projected as the time series does: baseline over the window, delta-method
    variance of the fit plus quasi-Poisson noise."""
    d = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates)))
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    pre, win = d < start, (d >= start) & (d <= end)
    X = its.design(d[pre], start)
    keep = X.any(axis=0)
    keep[:2] = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.GLM(np.asarray(y, float)[pre], X[:, keep], family=sm.families.Poisson()).fit(
            scale="X2", tol=1e-13)
    X_win = its.design(d[win], start)[:, keep]
    mu = np.exp(X_win @ fit.params)
    b, grad = mu.sum(), mu @ X_win
    se = math.sqrt(grad @ fit.cov_params() @ grad + max(fit.scale, 1.0) * b)
    w = float(np.sum(np.asarray(y)[win]))
    return {"estimate": 1 - b / w, "ci_low": 1 - (b + Z95 * se) / w,
            "ci_high": min(1.0, 1 - max(b - Z95 * se, 0.0) / w),
            "params": np.asarray(fit.params), "scale": fit.scale}


def random_batch(seed, *, rows=12, pre_days=None, level=None, gaps=False):
    """Daily series on shared dates: random length, level, trend, weekday pattern,
    overdispersion and campaign; every weekday has likes before the start (the fit exists)."""
    rng = np.random.default_rng(seed)
    pre_days = pre_days or int(rng.integers(14, 160))
    start = pd.Timestamp("2010-11-06") + pd.Timedelta(days=int(rng.integers(0, 7)))
    dates = pd.date_range(start - pd.Timedelta(days=pre_days), periods=pre_days + 14, freq="D")
    if gaps:
        dates = dates[np.sort(rng.choice(len(dates), size=len(dates) - 6, replace=False))]
    t = (dates - start).days.to_numpy() / 7.0
    Y = []
    while len(Y) < rows:
        base = level or float(np.exp(rng.uniform(np.log(2.0), np.log(300.0))))
        mean = base * np.exp(rng.normal(0, 0.05) * t) * rng.uniform(0.7, 1.4, 7)[dates.day_of_week]
        mean = mean * rng.gamma(4.0, 1 / 4.0, len(dates)) if rng.random() < 0.5 else mean
        y = rng.poisson(mean) + np.where(t >= 0, rng.poisson(base * rng.uniform(0, 3)), 0)
        pre = t < 0
        if all(y[pre & (dates.day_of_week == k)].sum() > 0 for k in set(dates[pre].day_of_week)):
            Y.append(y)
    return dates, np.array(Y), start, start + pd.Timedelta(days=13)


@pytest.mark.parametrize("seed", range(8))
def test_batch_matches_statsmodels_on_random_series(seed):
    dates, Y, start, end = random_batch(seed, gaps=seed % 2 == 1)
    out = excess_share_many(dates, Y, start, end)
    beta, _, scale, _, errors = its._fit_pre(pd.DatetimeIndex(dates), Y.astype(float), start)
    assert errors == [None] * len(Y)
    for r, (y, est) in enumerate(zip(Y, out, strict=True)):
        ref = reference(dates, y, start, end)
        np.testing.assert_allclose(beta[r], ref["params"], rtol=1e-8, atol=1e-8)
        assert scale[r] == pytest.approx(ref["scale"], rel=1e-8)
        for k in ("estimate", "ci_low", "ci_high"):
            assert getattr(est, k) == pytest.approx(ref[k], rel=1e-8, abs=1e-8), (r, k)


def test_large_counts_converge_to_statsmodels():
    # 100,000 likes a day: a deviance criterion in absolute terms would never see convergence
    dates, Y, start, end = random_batch(21, rows=4, level=1e5)
    for y, est in zip(Y, excess_share_many(dates, Y, start, end), strict=True):
        assert est.estimate == pytest.approx(reference(dates, y, start, end)["estimate"],
                                             rel=1e-8, abs=1e-10)


def test_rank_deficient_design_matches_statsmodels_minimum_norm():
    # one like count a week, all on Tuesdays: the constant and the Tuesday dummy are one column
    dates = pd.date_range("2010-06-01", periods=30, freq="7D")
    Y = np.random.default_rng(3).poisson(5.0, size=(3, 30))
    start, end = dates[22], dates[26]
    beta, _, _, _, _ = its._fit_pre(dates, Y.astype(float), start)
    for r, (y, est) in enumerate(zip(Y, excess_share_many(dates, Y, start, end), strict=True)):
        ref = reference(dates, y, start, end)
        np.testing.assert_allclose(beta[r], ref["params"], rtol=1e-8, atol=1e-10)
        assert est.estimate == pytest.approx(ref["estimate"], rel=1e-8)
        assert est.ci_low == pytest.approx(ref["ci_low"], rel=1e-8)


def test_a_weekday_without_likes_is_fitted_and_projects_none():
    # no likes on any Wednesday before the start: its coefficient runs off to minus infinity
    # (no maximum likelihood), the fit still converges and projects about 0 for Wednesdays
    dates, Y, start, end = random_batch(5, rows=3, pre_days=84, level=6.0)
    Y[:, (dates.day_of_week == 2) & (dates < start)] = 0
    for y, est in zip(Y, excess_share_many(dates, Y, start, end), strict=True):
        assert est.estimate == pytest.approx(reference(dates, y, start, end)["estimate"], rel=1e-6)
        base = its.projected_baseline(dates, y, start)
        assert base[(dates.day_of_week == 2) & (dates >= start)].max() < 1e-8


def test_failing_rows_come_back_in_place_and_the_others_are_estimated():
    dates, Y, start, end = random_batch(8, rows=6, pre_days=56)
    Y = Y.astype(float)
    pre, win = dates < start, (dates >= start) & (dates <= end)
    Y[1, pre] = 0          # no likes before the start
    Y[3, win] = 0          # no likes in the window
    Y[4, pre] = 0
    Y[4, 0] = 1e300        # a fit that overflows
    out = excess_share_many(dates, Y, start, end)
    assert [type(o).__name__ for o in out] == ["Estimate", "InputError", "Estimate",
                                               "InputError", "InputError", "Estimate"]
    assert "no likes at all" in str(out[1]) and "no likes at all between" in str(out[3])
    assert "could not be fitted" in str(out[4])
    for y, o in zip(Y, out, strict=True):  # each row as excess_share sees it alone
        if isinstance(o, InputError):
            with pytest.raises(InputError) as raised:
                excess_share(dates, y, start, end)
            assert str(raised.value) == str(o)
        else:
            assert excess_share(dates, y, start, end) == o


def test_a_fit_that_does_not_converge_cannot_be_made(monkeypatch):
    dates, Y, start, end = random_batch(9, rows=3)
    assert all(not isinstance(o, InputError) for o in excess_share_many(dates, Y, start, end))
    monkeypatch.setattr(its, "MAX_ITER", 2)
    assert all("could not be fitted" in str(o) for o in excess_share_many(dates, Y, start, end))
    with pytest.raises(InputError, match="could not be fitted"):
        excess_share(dates, Y[0], start, end)
    _, _, _, ok = poisson_irls(its.design(dates[dates < start], start), Y[:, dates < start],
                               max_iter=2)
    assert not ok.any()


def test_a_rows_answer_does_not_depend_on_the_batch():
    dates, Y, start, end = random_batch(11, rows=40, pre_days=112)
    Y[7, dates < start] = 0  # a failing row in the batch changes nothing for the others
    out = excess_share_many(dates, Y, start, end)
    order = np.random.default_rng(0).permutation(len(Y))
    shuffled = excess_share_many(dates, Y[order], start, end)
    for i, j in enumerate(order):
        if isinstance(out[j], InputError):
            assert str(shuffled[i]) == str(out[j])
        else:  # exactly the same numbers, not merely close
            assert shuffled[i] == out[j] and shuffled[i].extra == out[j].extra
    alone = excess_share_many(dates, Y[12:13], start, end)[0]
    assert alone == out[12] and alone.extra == out[12].extra


def test_problems_shared_by_every_row_raise():
    dates, Y, start, end = random_batch(12, rows=2, pre_days=28)
    with pytest.raises(InputError, match="before its start"):
        excess_share_many(dates, Y, end, start)
    with pytest.raises(InputError, match="at least 14"):
        excess_share_many(dates, Y, dates[10], end)
    with pytest.raises(InputError, match="one row of 42 daily counts"):
        excess_share_many(dates, Y[:, :-1], start, end)
    with pytest.raises(InputError, match="counts >= 0"):
        excess_share_many(dates, Y - 100, start, end)


def test_daily_arrays_draw_what_daily_likes_shows():
    setting = DailySetting(pre_days=14, overdispersion_shape=5.0, baseline_per_day=4.0)
    a = daily_arrays([3, 1, 4], rng=np.random.default_rng(2010), setting=setting)
    d = daily_likes([3, 1, 4], rng=np.random.default_rng(2010), setting=setting)
    assert list(d["date"]) == list(np.datetime_as_string(a["date"], unit="D"))
    for k in ("new_likes", "baseline_likes", "campaign_likes", "in_campaign"):
        assert np.array_equal(d[k].to_numpy(), a[k])
    # the draws of the pandas version before the array path (gamma, then Poisson, in one order)
    assert a["new_likes"].tolist() == [4, 5, 10, 5, 9, 4, 6, 5, 5, 1, 5, 3, 6, 5, 7, 9, 7]
    plain = daily_arrays([3, 1, 4], rng=np.random.default_rng(2010),
                         setting=DailySetting(pre_days=14, baseline_per_day=4.0))
    assert plain["new_likes"].tolist() == [3, 6, 3, 3, 5, 5, 1, 5, 1, 7, 6, 5, 6, 4, 5, 7, 8]
    assert str(a["date"][14]) == "2010-11-06" and a["in_campaign"].sum() == 3
