"""One validated scenario object: every parameter of the like-for-charity campaign.

Each field carries its default, its valid range, its unit and its source (or the stated
assumption behind it). ``Scenario(...)`` validates on creation: an invalid value raises
:class:`analysis.errors.InputError` (a ValueError) naming the field, the value and the valid
range. :func:`parameter_rows` is the same information, one dict per parameter;
:mod:`analysis.engine.parameters` makes it a table, kept in ``data/scenario_parameters.csv``
(regenerate with ``python -m analysis scenario``). Standard library only, so the command line
shows the defaults in ``campaign --help`` without loading pandas.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from analysis.errors import InputError


def _p(default, low, high, unit, source, *, integer=False, plausible=None):
    """A scenario field with its valid range [low, high], unit, source and plausible range."""
    return field(default=default, metadata={
        "low": low, "high": high, "unit": unit, "source": source, "integer": integer,
        "plausible": plausible if plausible is not None else (low, high)})


def _choice(default, choices, unit, source):
    """A scenario field that takes one of a few named values (the first two are listed as its
    range in the parameter table)."""
    return field(default=default, metadata={
        "low": choices[0], "high": choices[-1], "unit": unit, "source": source,
        "integer": False, "plausible": (choices[0], choices[-1]), "choices": tuple(choices)})


PROGRESS = ("visible", "hidden")
REPEAT_EXPOSURE = ("same_threshold", "fresh_chance")


# Fields that set only what the brand pays (the cheque), never how a campaign unfolds: nobody in
# the model sees the price of a like (the pledge's pull does not depend on it), so runs that
# differ only in these share their campaigns (``montecarlo.sweep`` runs them once and prices
# them per design). tests/test_campaign.py checks that changing them changes no like.
PAYOUT_ONLY = ("price_per_like", "cheque")


@dataclass(frozen=True)
class Scenario:
    """Parameters of one like-for-charity campaign (defaults: see ``parameter_table()``)."""

    # --- people and network -------------------------------------------------------------
    population: int = _p(
        20_000, 2, 10_000_000, "people",
        "assumption: the slice of the network the ask can reach; the kit scales 10^3 to 10^6",
        integer=True, plausible=(10_000, 1_000_000))
    mean_degree: float = _p(
        20.0, 1.0, 1000.0, "friends per person",
        "assumption, scaled down: Facebook median 99 (Ugander et al. 2011); SNAP ego-Facebook mean 43.7",
        plausible=(10.0, 100.0))
    homophily: float = _p(
        0.6, 0.0, 1.0, "0 = random circles, 1 = circles by brand affinity",
        "assumption: like-minded people cluster (the knob the column's argument turns on)",
        plausible=(0.2, 0.9))
    circle_share: float = _p(
        0.7, 0.0, 1.0, "share of ties inside small dense circles",
        "calibrated: gives clustering about 0.25 at degree 20 (Ugander et al. 2011: 0.14 at degree 100)",
        plausible=(0.5, 0.85))
    affinity_mean: float = _p(
        0.10, 0.001, 0.999, "0..1",
        "assumption: most people care little about a given brand (Beta distribution)",
        plausible=(0.03, 0.25))
    affinity_concentration: float = _p(
        2.0, 0.1, 100.0, "Beta a + b", "assumption: skewed (Beta(0.2, 1.8) at the defaults)",
        plausible=(1.0, 5.0))
    warmth_mean: float = _p(
        0.5, 0.001, 0.999, "0..1",
        "assumption: many care about Children in Need (GBP 18.1m raised on the 2010 appeal night, BBC)",
        plausible=(0.3, 0.7))
    warmth_concentration: float = _p(
        4.0, 0.1, 100.0, "Beta a + b", "assumption: Beta(2, 2) at the defaults",
        plausible=(2.0, 10.0))
    # --- the ask ------------------------------------------------------------------------
    seeds: int = _p(
        300, 1, 10_000_000, "people",
        "assumption: the agency's email list ('begging me to like')", integer=True,
        plausible=(50, 2_000))
    page_reach_per_day: float = _p(
        0.004, 0.0, 1.0, "share of population per day",
        "assumption: the page's and charity's own posts; organic reach 2-16% of fans (Ogilvy 2014)",
        plausible=(0.0, 0.02))
    feed_reach: float = _p(
        0.12, 0.0, 1.0, "probability that a friend sees one share (once, the day after the like)",
        "assumption: the chance a friend's feed shows a share; not the organic reach of a page's "
        "posts among its fans (6-16%: Ogilvy 2014; Facebook 2012), which measures another thing "
        "and only bounds the order of magnitude; no published figure for shares of a cause ask",
        plausible=(0.05, 0.3))
    days: int = _p(14, 1, 365, "days", "assumption: a two-week push before the appeal night",
                   integer=True, plausible=(7, 30))
    # --- decisions (logit scale) --------------------------------------------------------
    base_logit: float = _p(
        -4.2, -20.0, 20.0, "log-odds", "assumption: a stranger to the brand rarely likes its page",
        plausible=(-5.0, -3.0))
    affinity_weight: float = _p(
        6.0, 0.0, 50.0, "log-odds per unit affinity",
        "assumption: genuine fans like when asked", plausible=(3.0, 9.0))
    warmth_weight: float = _p(
        3.5, 0.0, 50.0, "log-odds per unit warmth, pledge only",
        "assumption: the pledge moves the warm; 39% like brands 'to show support' (ExactTarget 2010)",
        plausible=(1.5, 5.0))
    social_proof_weight: float = _p(
        0.6, 0.0, 10.0, "log-odds per log(1 + friends who liked)",
        "assumption: social proof; close friends carry influence (Bond et al. 2012)",
        plausible=(0.0, 1.2))
    share_logit: float = _p(
        -2.2, -20.0, 20.0, "log-odds", "assumption: 72% of Save Darfur members recruited no one (Lewis et al. 2014)",
        plausible=(-3.0, -1.5))
    share_affinity_weight: float = _p(
        2.0, 0.0, 50.0, "log-odds per unit affinity", "assumption", plausible=(0.0, 4.0))
    share_warmth_weight: float = _p(
        1.5, 0.0, 50.0, "log-odds per unit warmth, pledge only",
        "assumption: 'help us reach the target!'", plausible=(0.0, 3.0))
    # --- money and target ---------------------------------------------------------------
    target: int = _p(350, 1, 100_000_000, "likes", "assumption: a 'big' target, near the median outcome with the target hidden "
                     "(most runs reach it with the target visible: notebook 04)",
                     integer=True, plausible=(150, 1_000))
    price_per_like: float = _p(
        2.50, 0.0, 1_000.0, "GBP per like at the target", "the column (29 Nov 2010)",
        plausible=(1.0, 5.0))
    cheque: float | None = _p(
        None, 0.0, 1e12, "GBP", "default: price_per_like x target (all or nothing)")
    pledge: bool = _p(True, False, True, "yes/no", "True: the like-for-charity pledge is on")
    bot_likes_per_day: float = _p(
        0.0, 0.0, 1e7, "likes per day",
        "off by default; like farms sold 100 likes for USD 10-100 (De Cristofaro et al. 2014)",
        plausible=(0.0, 50.0))
    # --- repeat exposures ---------------------------------------------------------------
    repeat_exposure: str = _choice(
        "same_threshold", REPEAT_EXPOSURE, "same_threshold | fresh_chance",
        "assumption: same_threshold = one personal draw u per person, tested again at each "
        "exposure as social proof grows (a threshold model; the kit before issue 10); "
        "fresh_chance = every exposure a new independent draw (an independent cascade). "
        "Centola 2010 saw repeated signals raise adoption, which either reading allows")
    # --- a target people can see (issue 10; facts.md "Targets, progress bars and deadlines") -
    progress: str = _choice(
        "visible", PROGRESS, "visible | hidden",
        "visible: the page shows its count, the target and the deadline, and the mechanisms "
        "below act on the charity motive; hidden: nobody sees how close the page is (the "
        "engine before issue 10, same seed same results)")
    goal_gradient: float = _p(
        1.0, 0.0, 20.0, "extra share of the charity motive at the target",
        "Cryder, Loewenstein & Seltman 2013: giving is more likely near the goal (an appeal at 85% "
        "raised drew more donors than at 66% or 10%); the size is an assumption; 0 = off",
        plausible=(0.0, 2.0))
    goal_gradient_start: float = _p(
        0.66, 0.0, 0.99, "share of the target where the gradient starts",
        "Cryder et al. 2013: no difference between 10% and 66% raised, more at 85%",
        plausible=(0.5, 0.85))
    diffusion: float = _p(
        0.5, 0.0, 1.0, "share of the charity motive lost at full progress, before the last days",
        "Kuppuswamy & Bayus 2018: support falls after much past support ('others will fund it'); "
        "the size is an assumption; 0 = off", plausible=(0.0, 0.8))
    deadline_days: int = _p(
        3, 0, 365, "days",
        "Kuppuswamy & Bayus 2018: support rises in the last days (U shape over the cycle) and "
        "diffusion of responsibility stops; the window is an assumption; 0 = no deadline effect",
        integer=True, plausible=(1, 7))
    deadline_attention: float = _p(
        1.5, 1.0, 100.0, "multiplier of the page's daily reach in the last deadline_days",
        "assumption: the deadline draws attention (Kuppuswamy & Bayus 2018: support rises "
        "near the deadline); 1 = off", plausible=(1.0, 4.0))
    push_days: int = _p(
        3, 0, 365, "days",
        "the brand's policy (set it): in its last push_days a page behind its target posts and "
        "emails more (Kuppuswamy & Bayus 2018: creators post more updates near the deadline, a "
        "final plea); 0 = no push", integer=True, plausible=(0, 7))
    push_reach_per_day: float = _p(
        0.003, 0.0, 1.0, "share of population per day",
        "the brand's policy (set it): people its extra posts and emails reach each push day; "
        "assumption: about the page's own daily reach again; calibrated with the other visible "
        "defaults so the kit's campaigns bunch above the target (notebook 04); 0 = no push",
        plausible=(0.0, 0.02))
    push_from: float = _p(
        0.5, 0.0, 1.0, "share of the target",
        "the brand's policy (set it): it pushes only when at least this share of the target is "
        "in (a page far behind gives up; Mollick 2014: projects fail by large margins)",
        plausible=(0.0, 0.9))
    after_target: float = _p(
        0.0, 0.0, 1.0, "share of the charity motive left once the target is reached",
        "assumption from the all-or-nothing rule: once the target is in, a like changes nothing "
        "for the charity; 1 = no fade", plausible=(0.0, 0.5))

    def __post_init__(self):
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            meta = f.metadata
            if f.name == "cheque" and value is None:
                continue
            if f.name == "pledge":
                if not isinstance(value, bool):
                    raise InputError(f"pledge must be True or False, got {value!r}")
                continue
            if "choices" in meta:
                if value not in meta["choices"]:
                    raise InputError(f"{f.name} must be one of {', '.join(meta['choices'])}, "
                                     f"got {value!r}")
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(f"{f.name} must be a number in [{meta['low']}, {meta['high']}], "
                                 f"got {value!r}")
            if meta["integer"] and float(value) != int(value):
                raise InputError(f"{f.name} must be a whole number, got {value!r}")
            if not (math.isfinite(value) and meta["low"] <= value <= meta["high"]):
                raise InputError(f"{f.name} must be in [{meta['low']:g}, {meta['high']:g}] "
                                 f"({meta['unit']}), got {value!r}")
        if self.seeds > self.population:
            raise InputError(f"seeds must be at most population ({self.population}), got {self.seeds}")
        if self.mean_degree >= self.population:
            raise InputError(f"mean_degree must be below population ({self.population}), "
                             f"got {self.mean_degree}")

    @property
    def visible(self) -> bool:
        """True when people see the page's count, its target and its deadline."""
        return self.progress == "visible"

    @property
    def cheque_gbp(self) -> float:
        """The cheque promised to the charity: ``cheque`` if set, else price_per_like x target."""
        return float(self.cheque) if self.cheque is not None else self.price_per_like * self.target

    def replace(self, **changes) -> Scenario:
        """A copy with some fields changed (validated)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise InputError(f"unknown scenario field(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def parameter_rows() -> list[dict]:
    """Every scenario parameter with its default, valid range, plausible range, unit and source."""
    rows = []
    for f in dataclasses.fields(Scenario):
        m = f.metadata
        lo, hi = m["plausible"]
        rows.append({"parameter": f.name, "default": f.default, "valid_low": m["low"],
                     "valid_high": m["high"], "plausible_low": lo, "plausible_high": hi,
                     "unit": m["unit"], "source": m["source"]})
    return rows
