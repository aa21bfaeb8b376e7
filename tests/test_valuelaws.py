"""Network value laws: values in logs, the exponent fit and the comparison of laws."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import InputError
from analysis.roi import valuelaws


def test_law_values():
    n = np.array([2.0, 10.0, 100.0])
    assert valuelaws.value(n, "sarnoff") == pytest.approx(n)
    assert valuelaws.value(n, "odlyzko-tilly") == pytest.approx(n * np.log(n))
    assert valuelaws.value(n, "metcalfe") == pytest.approx(n**2)
    assert valuelaws.value(np.array([10.0]), "reed") == pytest.approx([1024.0])
    # Reed in logs does not overflow, and the laws are ordered for n >= 3 (n log n > n from e)
    big = np.array([5000.0])
    assert np.isfinite(valuelaws.log_value(big, "reed")).all()
    logs = [valuelaws.log_value(big, law)[0] for law in valuelaws.LAWS]
    assert logs == sorted(logs)
    with pytest.raises(InputError):
        valuelaws.log_value(n, "zipf")


def test_log_ratio_and_local_exponent():
    assert valuelaws.log_ratio(20.0, 10.0, "metcalfe") == pytest.approx(np.log(4))
    assert valuelaws.local_exponent(100.0, "sarnoff") == 1.0
    assert 1.0 < valuelaws.local_exponent(100.0, "odlyzko-tilly") < 1.3
    assert valuelaws.local_exponent(10.0, "reed") == pytest.approx(10 * np.log(2))


def test_fit_exponent_recovers_a_power_law():
    rng = np.random.default_rng(0)
    n = np.geomspace(10, 10_000, 12)
    v = 3.0 * n**1.5 * np.exp(rng.normal(0, 0.05, n.size))
    fit = valuelaws.fit_exponent(n, v)
    assert fit["exponent_low"] < 1.5 < fit["exponent_high"]
    assert fit["exponent"] == pytest.approx(1.5, abs=0.05)
    exact = valuelaws.fit_exponent(n, n**2)
    assert exact["exponent"] == pytest.approx(2.0)
    with pytest.raises(InputError):
        valuelaws.fit_exponent([1, 2], [1, 2])


def test_compare_laws_picks_the_generating_law():
    n = np.geomspace(10, 5000, 10)
    for law in ("sarnoff", "metcalfe", "odlyzko-tilly"):
        table = valuelaws.compare_laws(n, valuelaws.value(n, law, scale=7.0))
        best = table.sort_values("rmse_log").iloc[0]
        assert best["law"] == law and best["rmse_log"] == pytest.approx(0.0, abs=1e-9)
        assert best["log_scale"] == pytest.approx(np.log(7.0))
