"""The ROI comparison's defaults and choices: the one copy, light enough for ``--help``.

Standard library only, so ``python -m analysis roi --help`` shows them without loading the
model (numpy, pandas, scipy, statsmodels, networkx). :class:`analysis.roi.model.RoiSettings`
uses these defaults and validates every value; the command line reads them for its help.
"""

from __future__ import annotations

DEFAULT_BUDGET = 25_000.0          # GBP: the column's cheque (10,000 likes at GBP 2.50)
DEFAULT_POPULATION = 650_000       # people the brand can reach (see RoiSettings)
DEFAULT_HORIZON_MONTHS = 12.0      # months over which value is counted
DEFAULT_GRAPH_PEOPLE = 20_000      # people in the synthetic graph that measures connection
DEFAULT_DRAWS = 2000               # Monte Carlo parameter draws
MAX_DRAWS = 1_000_000              # draws of one Monte Carlo (a row each, held in memory)

# The network value laws (value of n members up to a scale factor); see analysis.roi.valuelaws.
LAWS = {
    "sarnoff": "n",
    "odlyzko-tilly": "n log n",
    "metcalfe": "n^2",
    "reed": "2^n",
}
LAW_CHOICES = ("kit",) + tuple(LAWS)  # "kit": the bottom-up model, no law assumed
