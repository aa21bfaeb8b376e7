"""The real ROI of audience versus connection: one budget spent two ways, with uncertainty.

Middle room: imports the engine (synthetic graphs, the default network), the data sets (the
calibration table behind the reach and engagement priors) and the leaves; never the estimators
or publishing. Modules: ``audience`` (broadcast value), ``connection`` and ``contagion``
(many-to-many value measured on graphs), ``priors`` (every uncertain number with its source),
``valuelaws`` (n, n log n, n^2, 2^n as options), ``model`` (settings, validation, Monte Carlo,
sensitivity).
"""

from analysis.exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "RoiSettings": "model", "monte_carlo": "model", "structure": "model",
    "evaluate": "model", "tornado": "model", "break_even_map": "model",
    "audience_wins_when": "model", "law_sensitivity": "model", "value_curve": "model",
    "Prior": "priors", "roi_priors": "priors", "prior_table": "priors",
    "audience_value": "audience", "connection_outcomes": "connection",
    "structure_curve": "connection", "as_csr": "contagion",
    "complex_contagion": "contagion", "strong_ties": "contagion",
    "LAWS": "valuelaws", "fit_exponent": "valuelaws",
})
