"""The first arithmetic of the pledge (notebook 00): what a like bought at a fixed price buys.

If a share ``s`` of the likes are closed-eyed (given only for the charity), the brand paid for
``1 - s`` as many listening fans, so each open-eyed like costs ``price / (1 - s)``. The
all-or-nothing rule itself (cheque paid only at the target) is :func:`analysis.engine.payout.payout`.

:SAMPLE USE: ``cost_per_open_eyed_like(2.50, 0.8)`` -> ``12.5``
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.engine.payout import payout


def cost_per_open_eyed_like(price_per_like, closed_eyes_share):
    """GBP per open-eyed like: ``price_per_like / (1 - closed_eyes_share)``.

    price_per_like: GBP paid per like; closed_eyes_share: s in [0, 1) (a number or an array).
    """
    share = np.asarray(closed_eyes_share, dtype=float)
    if np.any((share < 0) | (share >= 1)):
        raise ValueError(f"closed_eyes_share must be in [0, 1), got {closed_eyes_share}")
    return price_per_like / (1.0 - closed_eyes_share)


def share_for_cost(price_per_like: float, cost: float) -> float:
    """The closed-eyes share at which an open-eyed like costs ``cost`` GBP: ``1 - price / cost``."""
    if cost < price_per_like:
        raise ValueError(f"cost must be at least the price per like {price_per_like}, got {cost}")
    return 1 - price_per_like / cost


def cost_curve(price_per_like: float, *, points: int = 96, max_share: float = 0.95) -> pd.DataFrame:
    """The cost per like and per open-eyed like over ``points`` shares from 0 to ``max_share``.

    Columns: ``closed_eyes_share``, ``cost_per_like_gbp``, ``cost_per_open_eyed_like_gbp``.
    """
    shares = np.linspace(0.0, max_share, points)
    return pd.DataFrame({
        "closed_eyes_share": shares,
        "cost_per_like_gbp": price_per_like,
        "cost_per_open_eyed_like_gbp": cost_per_open_eyed_like(price_per_like, shares),
    })


def cost_marks(price_per_like: float, shares=(0.5, 0.8, 0.9)) -> pd.DataFrame:
    """The cost per open-eyed like at a few shares (the points marked on the chart)."""
    marks = pd.DataFrame({"closed_eyes_share": list(shares)})
    marks["cost_per_open_eyed_like_gbp"] = cost_per_open_eyed_like(
        price_per_like, marks["closed_eyes_share"])
    return marks


def all_or_nothing_outcomes(likes, *, target: int, price_per_like: float) -> pd.DataFrame:
    """What the charity receives and what a like costs the brand, for each final like count.

    The cheque is ``price_per_like * target``, paid only when ``likes >= target``.
    Columns: ``likes``, ``target_reached``, ``charity_receives_gbp``, ``cost_per_like_gbp``
    (NaN when nothing is paid).
    """
    cheque = price_per_like * target
    rows = [payout(n, n, target, cheque) for n in likes]
    return pd.DataFrame({
        "likes": [p.likes for p in rows],
        "target_reached": [p.target_reached for p in rows],
        "charity_receives_gbp": [p.charity_receives for p in rows],
        "cost_per_like_gbp": [np.nan if p.cost_per_like is None else p.cost_per_like for p in rows],
    })
