"""Benchmark: the engagement estimators on a million fans, fitted from sufficient statistics.

``python -m analysis bench-estimators [--fans N] [--repeat R] [--compare]`` prints one line per
estimator with the best of R wall-clock times (tabulating the fans included; generating them
not). ``--compare`` also times statsmodels' row-level zero-inflated Poisson on the same fans
(several seconds at a million).

The time series gets its own row: 200 daily series on the same dates (one daily cell of the
recovery study) fitted at once by :func:`analysis.estimation.its.excess_share_many`;
``--compare`` adds the same series one call at a time and statsmodels' GLM fits alone, one a
series (what the study ran before the batch).

Then the batched zero-inflated fits (issue 13): ``--tables`` (200 by default) tables the size of
the recovery study's large overdispersed cell at s = 0.5, fitted one at a time and all at once
(:func:`analysis.estimation.zero_inflated.zero_inflated_shares`), in CPU seconds (the work of a
recovery cell, however loaded the machine), with the largest difference between the two.

Then the big-file row: a cohorts file of ``--file-mb`` MB (1,000 by default, about 45 million
fans) is written into a temporary folder (deleted afterwards, never committed) and tabulated
block by block (:func:`analysis.estimation.estimators.fan_counts_from_file`) in a fresh process,
whose peak resident memory is reported against the goal (at most 1 GB for a 1 GB file).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.discrete.count_model import ZeroInflatedPoisson

from analysis.estimation.engagement_ratio import engagement_ratio
from analysis.estimation.estimators import fan_counts_from_file
from analysis.estimation.fan_counts import tabulate
from analysis.estimation.its import design, excess_share, excess_share_many
from analysis.estimation.observables import (
    DailySetting,
    EngagementSetting,
    daily_arrays,
    fan_arrays,
)
from analysis.estimation.recovery import CONDITIONS, SIZES
from analysis.estimation.zero_inflated import zero_inflated_share, zero_inflated_shares


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
    return rows + bench_its(repeat=repeat, seed=seed, compare=compare)


ITS_SERIES = 200  # the replicates of one daily cell of the recovery study


def daily_batch(series: int = ITS_SERIES, *, seed: int = 1):
    """``series`` daily series on the same dates, like one daily cell of the recovery study
    (112 days before a 14-day campaign, 5 organic likes a day, overdispersed): returns
    (dates, counts of shape (series, days), campaign start, campaign end)."""
    rng = np.random.default_rng(seed)
    setting = DailySetting(pre_days=112, baseline_per_day=5.0, overdispersion_shape=5.0)
    drawn = [daily_arrays(rng.poisson(10.0, 14), rng=rng, setting=setting) for _ in range(series)]
    window = drawn[0]["date"][drawn[0]["in_campaign"]]
    return drawn[0]["date"], np.vstack([a["new_likes"] for a in drawn]), window[0], window[-1]


def bench_its(series: int = ITS_SERIES, *, repeat: int = 3, seed: int = 1,
              compare: bool = False) -> list[dict]:
    """Time the time series on ``series`` daily series: all at once, and with ``compare`` one
    call at a time and statsmodels' GLM fits alone (one a series, best of 1)."""
    dates, Y, start, end = daily_batch(series, seed=seed)

    def mean_estimate(out):
        return float(np.mean([e.estimate for e in out]))

    sec, out = _best(lambda: excess_share_many(dates, Y, start, end), repeat)
    rows = [{"estimator": f"its ({series} series at once)", "seconds": sec, "cells": series,
             "estimate": mean_estimate(out)}]
    if compare:
        sec, out = _best(lambda: [excess_share(dates, y, start, end) for y in Y], 1)
        rows.append({"estimator": "its (one series a call)", "seconds": sec, "cells": series,
                     "estimate": mean_estimate(out)})
        pre = pd.DatetimeIndex(dates) < pd.Timestamp(start)
        X = design(pd.DatetimeIndex(dates[pre]), pd.Timestamp(start))
        X = X[:, X.any(axis=0)]

        def glm_fits():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return [sm.GLM(y, X, family=sm.families.Poisson()).fit(scale="X2")
                        for y in Y[:, pre].astype(float)]

        sec, _ = _best(glm_fits, 1)
        rows.append({"estimator": "statsmodels GLM fits alone", "seconds": sec, "cells": series,
                     "estimate": float("nan")})
    return rows


def bench_batch(n_tables: int = 200, *, seed: int = 1) -> list[dict]:
    """CPU seconds to fit ``n_tables`` recovery-sized tables (large cohorts, overdispersion,
    s = 0.5) one at a time and batched, Poisson and negative binomial. Returns rows: estimator,
    tables, cells (mean per table), cpu_single, cpu_batch and max_difference (of the estimates
    and interval bounds, batched vs one at a time)."""
    rng = np.random.default_rng(seed)
    size = SIZES["large"]
    setting = replace(EngagementSetting().calibrated(), **CONDITIONS["overdispersion"][1])
    n_closed = size["n_campaign"] // 2
    tables = []
    for _ in range(n_tables):
        a = fan_arrays(size["n_organic"], size["n_campaign"] - n_closed, n_closed, rng=rng,
                       setting=setting)
        tables.append(tabulate(a["cohort"], a["exposures"], a["engagements"]))
    rows = []
    for name, negbin in (("mixture (ZIP)", False), ("mixture-nb (ZINB)", True)):
        t = time.process_time()
        one = [zero_inflated_share(fc, negbin=negbin) for fc in tables]
        cpu_single = time.process_time() - t
        t = time.process_time()
        many = zero_inflated_shares(tables, negbin=negbin)
        cpu_batch = time.process_time() - t
        diff = max(abs(getattr(x, k) - getattr(y, k)) for x, y in zip(one, many, strict=True)
                   for k in ("estimate", "ci_low", "ci_high"))
        rows.append({"estimator": name, "tables": n_tables,
                     "cells": float(np.mean([fc.weight.size for fc in tables])),
                     "cpu_single": cpu_single, "cpu_batch": cpu_batch, "max_difference": diff})
    return rows


MAX_FILE_PEAK_MB = 1000.0  # goal: a 1 GB cohorts file in at most 1 GB of peak memory


def write_cohorts_file(path, megabytes: float, *, seed: int = 1) -> int:
    """Write a cohorts file of about ``megabytes`` MB (simulated fans); return its fans."""
    rng = np.random.default_rng(seed)
    fans, block = 0, 1_000_000
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("fan_id,cohort,exposures,engagements\n")
        while fh.tell() < megabytes * 1e6:
            n_o = block // 2
            n_closed = int(0.6 * (block - n_o))
            a = fan_arrays(n_o, block - n_o - n_closed, n_closed, rng=rng)
            ids = np.arange(fans, fans + block).astype(str)
            cohort = np.where(a["cohort"] == 1, "campaign", "organic")
            lines = [",".join(row) for row in zip(
                ids, cohort, a["exposures"].astype(str), a["engagements"].astype(str),
                strict=True)]
            fh.write("\n".join(lines) + "\n")
            fans += block
    return fans


def file_peak(path) -> dict:
    """Tabulate ``path`` block by block in this process: fans, cells, seconds, peak MB."""
    t = time.perf_counter()
    fc = fan_counts_from_file(path)
    sec = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # Linux: KiB
    return {"fans": fc.n_fans, "cells": len(fc.weight), "seconds": sec, "peak_memory_mb": peak}


def bench_file(megabytes: float, *, seed: int = 1) -> dict:
    """Write a cohorts file of ``megabytes`` MB in a temporary folder, tabulate it in a fresh
    process; returns its size, fans, seconds and peak memory. The folder is always removed."""
    with tempfile.TemporaryDirectory(prefix="likekit-bench-") as tmp:
        path = Path(tmp) / "cohorts.csv"
        write_cohorts_file(path, megabytes, seed=seed)
        size_mb = path.stat().st_size / 1e6
        done = subprocess.run([sys.executable, "-m", "analysis", "bench-estimators",
                               "--file-worker", str(path)], stdout=subprocess.PIPE, text=True,
                              check=True)
    row = json.loads(done.stdout.strip().splitlines()[-1])
    row["file_mb"] = size_mb
    return row

