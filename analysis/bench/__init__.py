"""Benchmarks (``make bench``) and the plain-Python reference the engine is timed against.

Top room: may import every room below it; nothing imports it. Modules: ``engine`` (graph and
campaign at 10^4-10^6 people, peak memory), ``estimators`` (the closed-eyes estimators at 10^6
fans), ``startup`` (the command line's start-up time), ``reference`` (pure Python over networkx).
"""

from analysis.exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "run_benchmark": "engine", "bench": "estimators", "run_campaign_plain": "reference",
    "startup_table": "startup",
})
