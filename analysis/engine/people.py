"""People: a brand affinity and a charity warmth each, in [0, 1].

Both are Beta-distributed with a mean and a concentration (a + b) from the scenario: at the
defaults most people care little about the brand (Beta(0.2, 1.8), mean 0.10) and many care
about the charity (Beta(2, 2), mean 0.5). These are stated assumptions, not measurements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class People:
    """affinity: genuine shared purpose with the brand; warmth: wish to help the charity."""

    affinity: np.ndarray
    warmth: np.ndarray

    @property
    def n(self) -> int:
        return len(self.affinity)


def beta_from_mean(mean: float, concentration: float) -> tuple[float, float]:
    """Beta(a, b) parameters with mean ``mean`` and a + b = ``concentration``."""
    return mean * concentration, (1.0 - mean) * concentration


def draw_people(
    n: int,
    *,
    rng: np.random.Generator,
    affinity_mean: float = 0.10,
    affinity_concentration: float = 2.0,
    warmth_mean: float = 0.5,
    warmth_concentration: float = 4.0,
) -> People:
    """Draw ``n`` people's brand affinity and charity warmth (independent Beta draws)."""
    a = rng.beta(*beta_from_mean(affinity_mean, affinity_concentration), size=n)
    w = rng.beta(*beta_from_mean(warmth_mean, warmth_concentration), size=n)
    return People(affinity=a, warmth=w)


def people_for(scenario, *, rng: np.random.Generator) -> People:
    """Draw the people of a :class:`analysis.engine.scenario.Scenario`."""
    return draw_people(
        scenario.population, rng=rng,
        affinity_mean=scenario.affinity_mean,
        affinity_concentration=scenario.affinity_concentration,
        warmth_mean=scenario.warmth_mean,
        warmth_concentration=scenario.warmth_concentration,
    )
