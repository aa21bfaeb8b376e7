"""Zero-inflated fits of many tables at once (issue 13): the same numbers as one table alone."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from analysis.errors import InputError
from analysis.estimation import recovery
from analysis.estimation.fan_counts import FanCounts, tabulate
from analysis.estimation.observables import EngagementSetting, fan_arrays
from analysis.estimation.zero_inflated import (
    fit_zero_inflated,
    fit_zero_inflated_many,
    loglik,
    zero_inflated_share,
    zero_inflated_shares,
)

ATOL = 1e-8     # the published table has 4 decimals of means over 200 replicates


def _table(n_o, n_open, n_closed, seed, **changes):
    a = fan_arrays(n_o, n_open, n_closed, rng=np.random.default_rng(seed),
                   setting=replace(EngagementSetting(), **changes))
    return tabulate(a["cohort"], a["exposures"], a["engagements"])


def _study_tables(every_share: bool):
    """Tables like the recovery study's cohort cells: every condition and size, with every true
    share (``every_share``) or one share per (condition, size), turn by turn, 0.95 at the small
    size among them. Then a table whose organic inflation is pinned at 0."""
    tables, turn = [], 0
    for families, changes, _ in recovery.CONDITIONS.values():
        if "cohorts" not in families:
            continue
        for name, size in recovery.SIZES.items():
            shares = recovery.SHARES if every_share else \
                [0.95] if name == "small" and turn == 0 else \
                [recovery.SHARES[turn % len(recovery.SHARES)]]
            turn += 1
            for s in shares:
                n_closed = int(round(s * size["n_campaign"]))
                tables.append(_table(size["n_organic"], size["n_campaign"] - n_closed, n_closed,
                                     seed=len(tables), **changes))
    return tables + [_table(3000, 1000, 0, seed=3, dormant_share=0.0)]


def _unfittable():
    """Tables that fail the mixture's input checks, each with the start of its message."""
    organic_only = tabulate(np.zeros(50, dtype=int), np.full(50, 3), np.ones(50, dtype=int))
    campaign_only = tabulate(np.ones(50, dtype=int), np.full(50, 3), np.ones(50, dtype=int))
    silent = tabulate(np.repeat([0, 1], 50), np.full(100, 3), np.repeat([0, 2], 50))
    unexposed = tabulate(np.repeat([0, 1], 50), np.repeat([3, 0], 50), np.repeat([1, 0], 50))
    return [(organic_only, "no campaign fan"), (campaign_only, "no organic fan"),
            (silent, "organic fans have no engagements"), (unexposed, "no campaign fan")]


def _with_failures(study):
    """The study's tables with the unfittable ones between them, so a shifted result shows."""
    bad = _unfittable()
    third = len(study) // 3
    return study[:third] + [bad[0][0]] + study[third:2 * third] + [bad[1][0], bad[2][0]] + \
        study[2 * third:] + [bad[3][0]], bad


@pytest.fixture(scope="module")
def tables():
    return _with_failures(_study_tables(every_share=False))


def _check_batch_against_single(mixed, bad, negbin):
    batch = zero_inflated_shares(mixed, negbin=negbin)
    fits = fit_zero_inflated_many(mixed, negbin=negbin)
    assert len(batch) == len(fits) == len(mixed)
    pinned = 0
    for counts, est, fit in zip(mixed, batch, fits, strict=True):
        try:
            alone = zero_inflated_share(counts, negbin=negbin)
            fit_alone = fit_zero_inflated(counts, negbin=negbin)
        except InputError as err:
            assert isinstance(est, InputError) and isinstance(fit, InputError)
            assert str(est) == str(fit) == str(err)
            continue
        assert est.method == alone.method and est.n == alone.n
        np.testing.assert_allclose([est.estimate, est.ci_low, est.ci_high],
                                   [alone.estimate, alone.ci_low, alone.ci_high], rtol=0, atol=ATOL)
        np.testing.assert_allclose(fit["params"], fit_alone["params"], rtol=0, atol=ATOL)
        np.testing.assert_allclose(fit["cov"], fit_alone["cov"], rtol=1e-7, atol=1e-12)
        assert fit["pinned"] == fit_alone["pinned"] and fit["converged"]
        assert est.extra.keys() == alone.extra.keys()
        pinned += bool(fit["pinned"])
    assert pinned >= 1                          # tables on a boundary are among them
    errors = [e for e in batch if isinstance(e, InputError)]
    assert len(errors) == len(bad)
    for err, (_, message) in zip(errors, bad, strict=True):
        assert str(err).startswith(message)


@pytest.mark.parametrize("negbin", [False, True], ids=["zip", "zinb"])
def test_batch_equals_one_table_at_a_time_in_every_condition_of_the_study(tables, negbin):
    _check_batch_against_single(*tables, negbin)


@pytest.mark.slow
@pytest.mark.parametrize("negbin", [False, True], ids=["zip", "zinb"])
def test_batch_equals_one_table_at_a_time_in_every_cell_of_the_study(negbin):
    _check_batch_against_single(*_with_failures(_study_tables(every_share=True)), negbin)


def test_a_table_fails_alone_as_in_the_batch():
    for counts, message in _unfittable():
        with pytest.raises(InputError, match=message):
            fit_zero_inflated(counts)
        with pytest.raises(InputError, match=message):
            zero_inflated_share(counts, negbin=True)
    assert fit_zero_inflated_many([]) == [] and zero_inflated_shares([]) == []


@pytest.mark.parametrize("negbin", [False, True], ids=["zip", "zinb"])
def test_a_tables_fit_does_not_depend_on_the_rest_of_the_batch(tables, negbin):
    mixed, _ = tables
    full = fit_zero_inflated_many(mixed, negbin=negbin)
    # another batch: every other table, backwards from the pinned one, the last (unfittable)
    # table, and one of them twice
    pick = list(range(len(mixed) - 2, -1, -2)) + [len(mixed) - 1]
    pick.append(pick[1])
    part = fit_zero_inflated_many([mixed[i] for i in pick], negbin=negbin)
    assert any(fit["pinned"] for fit in part if isinstance(fit, dict))
    for i, fit in zip(pick, part, strict=True):
        if isinstance(fit, InputError):
            assert str(fit) == str(full[i])
            continue
        for key in ("params", "cov", "loglik"):
            np.testing.assert_allclose(fit[key], full[i][key], rtol=0, atol=1e-10)


@pytest.mark.parametrize(("seed", "negbin"), [(1, False), (3, False), (4, False), (2, True),
                                              (4, True)])
def test_fit_lands_on_the_optimum_where_the_likelihood_is_flat(seed, negbin):
    """Small cohorts at s = 0.95: the value test stopped the old fit up to 2e-6 (a Newton step)
    from the optimum, so the share moved with the order of a sum. The last Newton step lands
    it there."""
    fc = _table(2000, 25, 475, seed=seed)
    fit = fit_zero_inflated(fc, negbin=negbin)
    assert not fit["pinned"] and fit["converged"]
    _, grad, hess = loglik(fit["params"], fc.exposed(), negbin=negbin, hessian=True)
    assert np.max(np.abs(np.linalg.solve(hess, grad))) < 1e-9


def test_batch_keeps_the_input_order_of_estimates():
    a, b = _table(2000, 800, 700, seed=3), _table(2000, 1500, 0, seed=4)
    ests = zero_inflated_shares([a, b, a])
    assert ests[0].covers(700 / 1500) and not ests[0].covers(0.0)
    assert ests[1].covers(0.0)
    assert ests[0].estimate == ests[2].estimate


def test_a_cohort_other_than_0_or_1_is_refused_not_mixed_into_the_next_table():
    good = _table(2000, 800, 700, seed=3)
    odd = FanCounts(good.cohort * 2, good.exposures, good.engagements, good.weight)
    with pytest.raises(InputError, match="cohort must be 0"):
        fit_zero_inflated_many([odd, good])
