"""The simulation engine: people, their friendships, the campaign day by day, who pays what.

Bottom room: imports only the leaves (``analysis.paths``, ``analysis.errors``,
``analysis.formats``); never the data sets, the estimators, the ROI model or publishing.
Modules: ``people`` (attributes), ``graphs`` (CSR friendship graphs, the one networkx -> CSR
conversion), ``scenario`` (the validated parameters, with sources), ``campaign`` (one run,
both worlds), ``payout`` (the all-or-nothing cheque), ``parallel`` (random streams and the one
parallel runner every Monte Carlo of the kit uses), ``montecarlo`` (many campaign runs), ``design`` (campaign designs compared by Monte Carlo,
with their Pareto front).
"""

from analysis.exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "People": "people", "draw_people": "people", "people_for": "people",
    "Graph": "graphs", "synthetic_graph": "graphs", "read_edge_list": "graphs",
    "graph_stats": "graphs", "clustering": "graphs",
    "Scenario": "scenario", "parameter_table": "parameters",
    "CampaignResult": "campaign", "run_campaign": "campaign",
    "Payout": "payout", "payout": "payout",
    "stream": "parallel", "run": "parallel", "cap_workers": "parallel",
    "replicates": "montecarlo", "trajectories": "montecarlo", "sweep": "montecarlo",
    "design_map": "design", "pareto_front": "design",
})
