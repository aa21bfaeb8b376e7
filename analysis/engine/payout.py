"""The all-or-nothing pledge: a fixed cheque C is paid if and only if likes >= target T.

Two points of view, kept apart:
* the brand's: cost per like C / L and cost per open-eyed like C / L_open (when paid);
* the charity's: it receives C if the target is reached, whatever the likers intended.
With C = 2.50 x T, the cost per like at L = T is exactly GBP 2.50.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Payout:
    likes: int
    open_eyed_likes: int
    target: int
    cheque: float
    target_reached: bool
    cheque_paid: float            # GBP paid by the brand (0 if the target was missed)
    charity_receives: float       # GBP the charity receives (the same cheque, or 0)
    cost_per_like: float | None   # brand's GBP per like, None when nothing was paid
    cost_per_open_eyed_like: float | None  # brand's GBP per open-eyed like (None: unpaid or none)

    def as_dict(self) -> dict:
        return asdict(self)


def payout(likes: int, open_eyed_likes: int, target: int, cheque: float) -> Payout:
    """Apply the all-or-nothing rule to a like count.

    likes: all likes by the deadline (bots included: the page counts them).
    open_eyed_likes: likes the person would have given without the pledge.
    target: likes needed for the cheque; cheque: GBP promised.
    """
    if target < 1:
        raise ValueError(f"target must be at least 1, got {target}")
    if not 0 <= open_eyed_likes <= likes:
        raise ValueError(f"open_eyed_likes must be in [0, likes={likes}], got {open_eyed_likes}")
    reached = likes >= target
    paid = float(cheque) if reached else 0.0
    return Payout(
        likes=int(likes),
        open_eyed_likes=int(open_eyed_likes),
        target=int(target),
        cheque=float(cheque),
        target_reached=bool(reached),
        cheque_paid=paid,
        charity_receives=paid,
        cost_per_like=paid / likes if reached else None,
        cost_per_open_eyed_like=(paid / open_eyed_likes) if reached and open_eyed_likes else None,
    )
