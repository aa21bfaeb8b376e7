"""Benchmark: the engagement estimators on a million fans, fitted from sufficient statistics.

``python -m analysis.bench.estimators [--fans N] [--repeat R] [--compare]`` prints one line per
estimator with the best of R wall-clock times (tabulating the fans included; generating them
not). ``--compare`` also times statsmodels' row-level zero-inflated Poisson on the same fans
(several seconds at a million).

Then the big-file row: a cohorts file of ``--file-mb`` MB (1,000 by default, about 45 million
fans) is written into a temporary folder (deleted afterwards, never committed) and tabulated
block by block (:func:`analysis.estimation.estimators.fan_counts_from_file`) in a fresh process,
whose peak resident memory is reported against the goal (at most 1 GB for a 1 GB file).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

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
        import statsmodels.api as sm
        from statsmodels.discrete.count_model import ZeroInflatedPoisson

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
    import resource

    from analysis.estimation.estimators import fan_counts_from_file

    t = time.perf_counter()
    fc = fan_counts_from_file(path)
    sec = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # Linux: KiB
    return {"fans": fc.n_fans, "cells": len(fc.weight), "seconds": sec, "peak_memory_mb": peak}


def bench_file(megabytes: float, *, seed: int = 1) -> dict:
    """Write a cohorts file of ``megabytes`` MB in a temporary folder, tabulate it in a fresh
    process; returns its size, fans, seconds and peak memory. The folder is always removed."""
    import json
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="likekit-bench-") as tmp:
        path = Path(tmp) / "cohorts.csv"
        write_cohorts_file(path, megabytes, seed=seed)
        size_mb = path.stat().st_size / 1e6
        done = subprocess.run([sys.executable, "-m", "analysis.bench.estimators",
                               "--file-worker", str(path)], stdout=subprocess.PIPE, text=True,
                              check=True)
    row = json.loads(done.stdout.strip().splitlines()[-1])
    row["file_mb"] = size_mb
    return row


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m analysis.bench.estimators",
                                description=__doc__.split("\n")[0])
    p.add_argument("--fans", type=int, default=1_000_000, help="fans (default 1,000,000)")
    p.add_argument("--repeat", type=int, default=3, help="best of R runs (default 3)")
    p.add_argument("--compare", action="store_true", help="also time statsmodels' row-level ZIP")
    p.add_argument("--file-mb", type=float, default=1000.0,
                   help="size of the generated cohorts file, MB (default 1000; 0: skip)")
    p.add_argument("--file-worker", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.file_worker:
        import json

        print(json.dumps(file_peak(a.file_worker)))
        return 0
    print(f"{a.fans:,} fans; best of {a.repeat} wall-clock runs, tabulation included")
    print(f"{'estimator':<30}{'seconds':>9}{'cells/rows':>12}{'estimate':>10}")
    for r in bench(a.fans, repeat=a.repeat, compare=a.compare):
        print(f"{r['estimator']:<30}{r['seconds']:>9.3f}{r['cells']:>12,}{r['estimate']:>10.4f}")
    if a.file_mb > 0:
        r = bench_file(a.file_mb)
        goal = MAX_FILE_PEAK_MB * r["file_mb"] / 1000.0
        verdict = "PASS" if r["peak_memory_mb"] <= max(goal, 300.0) else "MISS"
        print(f"cohorts file of {r['file_mb']:,.0f} MB ({r['fans']:,} fans, {r['cells']:,} "
              f"cells): tabulated block by block in {r['seconds']:.1f} s, peak memory "
              f"{r['peak_memory_mb']:,.0f} MB (goal: at most {MAX_FILE_PEAK_MB:,.0f} MB per "
              f"1,000 MB of file) {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
