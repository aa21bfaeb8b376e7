"""How much memory a simulation needs, and the budget it must fit: refuse before allocating.

A campaign's memory grows with its people and with its ties (people x mean degree): the
graph's CSR arrays are built through one sorted array of 8-byte keys, one per tie end, beside
the ties themselves (:func:`analysis.engine.graphs._symmetric_csr`), then the simulation keeps
a few arrays per person. Bot likes are one row each in the fans table. The coefficients below
are measured peaks (``make bench``, peak memory by size: a 10^7-person campaign at the default
degree peaks at about 2.5 GB) rounded up, so the estimate errs on the safe side.

The budget is ``LIKEKIT_MEMORY_GB`` gigabytes when set, else 80% of the machine's physical
memory. A run whose estimate exceeds it is refused at once with one line naming what it would
need (:func:`check_memory`), instead of ending in a MemoryError after minutes.
"""

from __future__ import annotations

import os

from analysis.errors import InputError

GB = 1e9
BYTES_BASE = 250e6           # Python with numpy, pandas and scipy loaded, and the run's tables
BYTES_PER_PERSON = 150.0     # affinity, warmth, draws, per-person state of both worlds
BYTES_PER_TIE_END = 14.0     # CSR build: 8-byte key + 4-byte tie endpoint, then int32 indices
BYTES_PER_BOT_LIKE = 200.0   # one row of the fans table per bot like, with its sort
# The ROI model measures connection on its graph (cores, triangles, communities): about 130
# bytes per tie end measured at 2 x 10^5 people, rounded up.
BYTES_PER_TIE_END_STRUCTURE = 160.0
BUDGET_SHARE = 0.8           # of physical memory, when LIKEKIT_MEMORY_GB is not set


def campaign_bytes(population: int, mean_degree: float, *, bot_likes: float = 0.0) -> float:
    """Estimated peak memory (bytes) of one campaign: population people, mean_degree friends
    each on average, ``bot_likes`` bot likes in all (bots per day x days)."""
    ties = float(population) * float(mean_degree)
    return (BYTES_BASE + BYTES_PER_PERSON * float(population) + BYTES_PER_TIE_END * ties
            + BYTES_PER_BOT_LIKE * float(bot_likes))


def structure_bytes(people: int, mean_degree: float) -> float:
    """Estimated peak memory (bytes) of the ROI model's graph and its connection measures."""
    return campaign_bytes(people, mean_degree) + BYTES_PER_TIE_END_STRUCTURE * people * mean_degree


def physical_memory_bytes() -> float | None:
    """The machine's physical memory in bytes (None where the system does not say)."""
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return None


def budget_bytes() -> tuple[float, str]:
    """The memory budget in bytes and where it comes from, in words."""
    value = os.environ.get("LIKEKIT_MEMORY_GB")
    if value:
        try:
            gb = float(value)
        except ValueError:
            gb = float("nan")
        if not gb > 0:
            raise InputError(f"LIKEKIT_MEMORY_GB={value}: expected a positive number of GB")
        return gb * GB, f"LIKEKIT_MEMORY_GB={value}"
    phys = physical_memory_bytes()
    if phys is None:
        return float("inf"), "no limit known"
    return BUDGET_SHARE * phys, (f"{BUDGET_SHARE:.0%} of this machine's {phys / GB:.0f} GB; "
                                 "set LIKEKIT_MEMORY_GB to change it")


def check_memory(need: float, what: str, advice: str) -> None:
    """Raise InputError (one line) when ``need`` bytes exceed the budget; nothing allocated.

    what: the run in the user's words; advice: how to make it smaller (the flags to lower).
    """
    budget, source = budget_bytes()
    if need > budget:
        raise InputError(f"{what} needs about {need / GB:,.1f} GB of memory, above the budget "
                         f"of {budget / GB:,.1f} GB ({source}); {advice}")
