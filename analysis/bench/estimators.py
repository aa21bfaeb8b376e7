"""Benchmark: the engagement estimators on a million fans, fitted from sufficient statistics.

``python -m analysis bench-estimators [--fans N] [--repeat R] [--compare]`` prints one line per
estimator with the best of R wall-clock times (tabulating the fans included; generating them
not). ``--compare`` also times statsmodels' row-level zero-inflated Poisson on the same fans
(several seconds at a million).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import statsmodels.api as sm
from statsmodels.discrete.count_model import ZeroInflatedPoisson

from analysis.estimation.engagement_ratio import engagement_ratio
from analysis.estimation.fan_counts import tabulate
from analysis.estimation.observables import fan_arrays
from analysis.estimation.zero_inflated import zero_inflated_share


def _best(func, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t)
    return best, out


def bench(n_fans: int = 1_000_000, *, repeat: int = 3, seed: int = 1,
          compare: bool = False) -> list[dict]:
    """Time each engagement estimator on ``n_fans`` simulated fans (half organic, s = 0.6 among
    campaign fans). Returns rows: estimator, seconds, cells, estimate."""
    n_o = n_fans // 2
    n_closed = int(0.6 * (n_fans - n_o))
    a = fan_arrays(n_o, n_fans - n_o - n_closed, n_closed, rng=np.random.default_rng(seed))
    c, e, y = a["cohort"], a["exposures"], a["engagements"]
    rows = []
    sec, fc = _best(lambda: tabulate(c, e, y), repeat)
    rows.append({"estimator": "tabulate only", "seconds": sec, "cells": len(fc.weight),
                 "estimate": float("nan")})
    for name, fit in (("ratio", lambda: engagement_ratio(tabulate(c, e, y))),
                      ("mixture (ZIP)", lambda: zero_inflated_share(tabulate(c, e, y))),
                      ("mixture-nb (ZINB)",
                       lambda: zero_inflated_share(tabulate(c, e, y), negbin=True))):
        sec, est = _best(fit, repeat)
        rows.append({"estimator": name, "seconds": sec, "cells": len(fc.weight),
                     "estimate": est.estimate})
    if compare:
        m = e > 0
        X = sm.add_constant(c[m].astype(float))

        def row_level():
            model = ZeroInflatedPoisson(y[m], X, exog_infl=X, exposure=e[m].astype(float))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return model.fit(method="bfgs", maxiter=1000, disp=0)

        sec, r = _best(row_level, 1)
        p = np.asarray(r.params)
        pi_o, pi_c = 1 / (1 + np.exp(-p[0])), 1 / (1 + np.exp(-(p[0] + p[1])))
        rows.append({"estimator": "statsmodels ZIP, row level", "seconds": sec,
                     "cells": int(m.sum()), "estimate": float((pi_c - pi_o) / (1 - pi_o))})
    return rows
