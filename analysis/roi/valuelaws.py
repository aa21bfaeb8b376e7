"""Network value laws, and fitting the growth exponent of a simulated value curve V(n).

The four laws (value of a network of n members, up to a scale factor):

* Sarnoff: n (a broadcast audience: each member counts once);
* Odlyzko-Tilly: n log n (Briscoe, Odlyzko & Tilly 2006: most ties are worth little);
* Metcalfe: n^2 (every pair can connect);
* Reed: 2^n (every subgroup can form: it counts potential, not realised, value).

None is settled: the kit treats the law as an assumption. :func:`fit_exponent` fits
log V = a + b log n by ordinary least squares (statsmodels) and reports b with its interval;
:func:`compare_laws` says how far each law's shape is from a simulated curve.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from analysis.errors import InputError
from analysis.roi.settings import LAWS

LAW_SOURCES = {
    "sarnoff": "broadcast (as discussed by Odlyzko & Tilly 2005)",
    "odlyzko-tilly": "Briscoe, Odlyzko & Tilly 2006, IEEE Spectrum",
    "metcalfe": "Metcalfe c.1980; Zhang, Liu & Xu 2015 fit Facebook and Tencent",
    "reed": "Reed 2001, Harvard Business Review (potential subgroups)",
}


def _check_law(law: str) -> str:
    if law not in LAWS:
        raise InputError(f"law must be one of {', '.join(LAWS)}, got {law!r}")
    return law


def log_value(n, law: str) -> np.ndarray:
    """Natural log of the law's value f(n) for n >= 1 members (-inf where f(n) = 0).

    Works in logs so that Reed's 2^n does not overflow.
    """
    _check_law(law)
    n = np.asarray(n, dtype=float)
    if (n < 0).any():
        raise InputError("network size n must be >= 0")
    with np.errstate(divide="ignore"):
        if law == "sarnoff":
            return np.log(n)
        if law == "odlyzko-tilly":
            return np.log(n) + np.log(np.log(np.maximum(n, 1.0)))
        if law == "metcalfe":
            return 2.0 * np.log(n)
        return n * np.log(2.0)


def value(n, law: str, *, scale: float = 1.0) -> np.ndarray:
    """scale x f(n) (inf where it overflows a float, as Reed's law does past n of about 1,000)."""
    with np.errstate(over="ignore"):
        return scale * np.exp(log_value(n, law))


def log_ratio(n, n_ref, law: str) -> np.ndarray:
    """log(f(n) / f(n_ref)): how much the law multiplies value going from n_ref to n members."""
    return log_value(n, law) - log_value(n_ref, law)


def local_exponent(n, law: str) -> np.ndarray:
    """d log f / d log n at n: the exponent a power law would need to match the law locally."""
    _check_law(law)
    n = np.asarray(n, dtype=float)
    if law == "sarnoff":
        return np.ones_like(n)
    if law == "odlyzko-tilly":
        return 1.0 + 1.0 / np.log(np.maximum(n, np.e))
    if law == "metcalfe":
        return np.full_like(n, 2.0)
    return n * np.log(2.0)


def fit_exponent(n, v, *, alpha: float = 0.10) -> dict:
    """Fit log V = a + b log n by OLS (statsmodels); return b with its (1 - alpha) interval.

    n: network sizes (> 0); v: values (> 0; other points are dropped).
    Returns exponent, exponent_low, exponent_high, intercept, r_squared, points.
    """
    n = np.asarray(n, dtype=float)
    v = np.asarray(v, dtype=float)
    ok = (n > 0) & (v > 0) & np.isfinite(v)
    if ok.sum() < 3:
        raise InputError(f"fit_exponent needs at least 3 points with n > 0 and V > 0, "
                         f"got {int(ok.sum())}")
    x = sm.add_constant(np.log(n[ok]))
    fit = sm.OLS(np.log(v[ok]), x).fit()
    lo, hi = fit.conf_int(alpha=alpha)[1]
    return {"exponent": float(fit.params[1]), "exponent_low": float(lo),
            "exponent_high": float(hi), "intercept": float(fit.params[0]),
            "r_squared": float(fit.rsquared), "points": int(ok.sum()),
            "confidence": 1.0 - alpha}


def compare_laws(n, v) -> pd.DataFrame:
    """How well each law's shape fits a value curve: one free scale each, fitted in logs.

    Returns one row a law: law, formula, log_scale (fitted), rmse_log (root mean squared
    error of log V; smaller is closer), local_exponent at the largest n, source.
    """
    n = np.asarray(n, dtype=float)
    v = np.asarray(v, dtype=float)
    ok = (n > 1) & (v > 0) & np.isfinite(v)
    if ok.sum() < 2:
        raise InputError("compare_laws needs at least 2 points with n > 1 and V > 0")
    rows = []
    for law, formula in LAWS.items():
        resid = np.log(v[ok]) - log_value(n[ok], law)
        scale = resid.mean()
        rows.append({"law": law, "formula": formula, "log_scale": float(scale),
                     "rmse_log": float(np.sqrt(np.mean((resid - scale) ** 2))),
                     "local_exponent": float(local_exponent(n[ok].max(), law)),
                     "source": LAW_SOURCES[law]})
    return pd.DataFrame(rows)
