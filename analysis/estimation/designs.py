"""The study designs the estimators serve, by name: the one copy, light enough for ``--help``.

Standard library only, so the command line lists them without loading statsmodels.
"""

from __future__ import annotations

COHORT_METHODS = ("ratio", "mixture", "mixture-nb")
DEFAULT_COHORT_METHOD = "ratio"
DESIGNS = {
    "ab": "A/B incentive test",
    "ratio": "engagement ratio",
    "mixture": "zero-inflated mixture",
    "mixture-nb": "zero-inflated mixture (neg. binomial)",
    "its": "interrupted time series",
}

# The recovery study behind data/recovery.csv (analysis.estimation.recovery reads these).
RECOVERY_SEED = 2010    # the seed of the committed table (notebook 02's SEED)
RECOVERY_REPS = 200     # replicates per cell in the committed table
