"""The like-for-charity campaign on a friendship graph: a vectorised engine on CSR arrays.

The story, day by day (day 0 to ``days - 1``):

* **Exposure.** On day 0 the agency emails ``seeds`` people. Every day the page's own posts
  reach a random ``page_reach_per_day`` share of people. A person who liked the day before
  may share the ask; each of their friends sees the share with probability ``feed_reach``.
* **Decision.** An exposed person who has not liked yet likes if their uniform draw
  ``u`` falls below ``p = logistic(base + affinity_weight * affinity
  + [pledge] * m * warmth_weight * warmth + social_proof_weight * log(1 + friends who liked))``.
  Each new exposure is a new chance (social proof may have grown). ``repeat_exposure`` says
  what a repeat exposure is: ``same_threshold`` (default) keeps one fixed ``u`` per person,
  ``fresh_chance`` draws a new ``u`` per person and day (a hash of person, day and seed, so
  both worlds still share it).
* **Sharing.** A new liker shares the ask the next day if their own uniform draw ``v`` falls
  below ``q = logistic(share_logit + share_affinity_weight * affinity
  + [pledge] * m * share_warmth_weight * warmth)``.

**A target people can see** (``progress="visible"``, the default). ``m`` scales the charity
motive, a number for the whole page each day, from the count people see at the start of the
day (likes up to yesterday, bots included: the page counts them) as a share ``c`` of the target:

* goal gradient (Cryder et al. 2013): ``m`` grows by up to ``goal_gradient`` as ``c`` climbs
  from ``goal_gradient_start`` to 1;
* diffusion of responsibility (Kuppuswamy & Bayus 2018): ``m`` shrinks by ``diffusion * c``
  ("others will get it there"), except in the last ``deadline_days``;
* deadline effect: in the last ``deadline_days`` the page's posts reach ``deadline_attention``
  times as many people, and diffusion of responsibility stops;
* the brand's push (a policy): in its last ``push_days`` a page with ``push_from <= c < 1``
  reaches another ``push_reach_per_day`` of the population with posts and emails;
* after the target (``c >= 1``) the charity motive keeps only ``after_target`` of its pull.

With ``progress="hidden"`` ``m = 1`` and nothing else changes: the engine before issue 10, the
same seed giving the same results bit for bit. Without the pledge there is no target and no
deadline to see, so the no-pledge world is the same whatever ``progress`` says.

**Counterfactual labels (common random numbers).** Every random number is drawn once and used
in both worlds, with and without the pledge: the same ``u`` and ``v`` per person, the same
page-reach draws per day, and the same draw per tie for a share to be seen (a counter-based
hash of the tie and the seed). So each like in the pledge world is labelled
*open-eyed* if the same person, with the same exposure and social proof, would also have liked
without the pledge (``u < p_without``), else *closed-eyed* (liked only because of the pledge).
Without the pledge there are no closed-eyes likes, by construction. The no-pledge world is also
simulated as a whole, so its like count shows the exposure effect of the pledge too (fewer
shares, fewer people reached).

**"The same exposure" when the count people see differs between the worlds.** The label is
taken at the pledge world's exposure: the same person, the same day, the same way in (a
friend's share, the email, the page's posts or the brand's push) and the same friends who had
liked (the pledge world's social proof), with the same draw ``u``; only the pledge is taken
away. The visible count, the target and the deadline belong to the pledge (without it there is
nothing to reach), so they act only through the charity motive ``m`` and drop out of
``p_without = logistic(base + affinity_weight * affinity + social proof)``. Hence ``m >= 0``
keeps ``p_without <= p_with``: a like pulled in by the goal gradient or a deadline plea is
closed-eyed, and a like from someone reached only by the brand's push who would have liked
the brand anyway is open-eyed (an exposure effect of the pledge, not an incentive effect).

Optional fake/bot likes (Poisson ``bot_likes_per_day``) count toward the target, as the page
counts them, but form their own category.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.engine.graphs import Graph, synthetic_graph
from analysis.engine.memory import campaign_bytes, check_memory
from analysis.engine.payout import payout
from analysis.engine.people import People, people_for
from analysis.engine.scenario import Scenario

CHANNELS = ("email", "page", "friend", "bot")
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def hash_uniform(keys: np.ndarray, salt: int) -> np.ndarray:
    """Uniform [0, 1) numbers from integer keys (splitmix64): the same key, the same number.

    Used for per-tie draws so that both worlds see the same randomness for the same tie.
    """
    offset = np.uint64((int(salt) * 0x9E3779B97F4A7C15 + 0x9E3779B97F4A7C15) % 2**64)
    z = keys.astype(np.uint64) + offset
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def tie_positions(indptr: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in the CSR ``indices`` array of all ties of ``nodes``, and each node's count."""
    starts = indptr[nodes]
    lengths = indptr[nodes + 1] - starts
    total = int(np.add.reduce(lengths))  # array methods and ufuncs: the arrays are small, and
    if total == 0:                       # numpy's Python-level wrappers cost more than the work
        return np.zeros(0, dtype=np.int64), lengths
    offsets = lengths.cumsum() - lengths
    return (starts - offsets).repeat(lengths) + np.arange(total), lengths


def edges_of(indptr: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in the CSR ``indices`` array of all ties of ``nodes``, and their source node."""
    positions, lengths = tie_positions(indptr, nodes)
    return positions, np.repeat(nodes, lengths)


def _logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """``np.unique(x)`` for small integer arrays, without its per-call overhead.

    x is sorted in place: pass an array of your own (a fresh one from indexing or concatenate).
    """
    x.sort()
    keep = np.empty(len(x), dtype=bool)
    keep[:1] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def _sorted_first(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(x, return_index=True)`` (the distinct values, sorted, and where each first
    occurs) for small arrays, without its per-call overhead: the same stable sort."""
    order = x.argsort(kind="stable")
    x = x[order]
    keep = np.empty(len(x), dtype=bool)
    keep[:1] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep], order[keep]


@dataclass
class _Draws:
    """The random numbers shared by both worlds."""

    u: np.ndarray              # per person: decision draw
    v: np.ndarray              # per person: sharing draw
    seeds: np.ndarray          # people emailed on day 0
    page: list[np.ndarray]     # per day: people the page's posts reached
    bots: np.ndarray           # per day: bot likes
    tie_salt: int              # salt of the per-tie hash
    # visible progress only: per late day, the people extra posts could reach and their rank
    extra: dict[int, tuple[np.ndarray, np.ndarray]] = dataclasses.field(default_factory=dict)
    extra_max: float = 0.0     # the largest extra reach (share of population per day)


def _extra_reach_max(sc: Scenario) -> float:
    """The most the deadline's attention and the brand's push add to a day's reach."""
    attention = sc.page_reach_per_day * (sc.deadline_attention - 1.0) if sc.deadline_days else 0.0
    push = sc.push_reach_per_day if sc.push_days else 0.0
    return min(1.0, attention + push)


def _draw(scenario: Scenario, n: int, *, rng: np.random.Generator) -> _Draws:
    u = rng.random(n)
    v = rng.random(n)
    seeds = rng.choice(n, size=min(scenario.seeds, n), replace=False)
    page = []
    for _ in range(scenario.days):
        k = rng.binomial(n, scenario.page_reach_per_day)
        page.append(rng.choice(n, size=k, replace=False) if k else np.zeros(0, dtype=np.int64))
    bots = rng.poisson(scenario.bot_likes_per_day, size=scenario.days)
    draws = _Draws(u, v, seeds, page, bots, int(rng.integers(0, 2**62)))
    if scenario.visible and scenario.pledge:  # drawn after the rest: hidden runs stay as they were
        draws.extra_max = _extra_reach_max(scenario)
        late = max(min(scenario.deadline_days, scenario.days), min(scenario.push_days, scenario.days))
        for day in range(scenario.days - late, scenario.days) if draws.extra_max > 0 else ():
            k = rng.binomial(n, draws.extra_max)
            who = rng.choice(n, size=k, replace=False) if k else np.zeros(0, dtype=np.int64)
            draws.extra[day] = (who, rng.random(k))
    return draws


def charity_motive(sc: Scenario, count: int, day: int) -> float:
    """``m``: the share of the charity motive at work on ``day`` when the page shows ``count``.

    1 with hidden progress. With visible progress, from ``c = count / target``: after the
    target ``after_target``; before it ``1 + goal_gradient * ramp(c)``, times
    ``1 - diffusion * c`` outside the last ``deadline_days`` (never below 0).
    """
    if not sc.visible:
        return 1.0
    c = count / sc.target
    if c >= 1.0:
        return sc.after_target
    ramp = min(max((c - sc.goal_gradient_start) / (1.0 - sc.goal_gradient_start), 0.0), 1.0)
    m = 1.0 + sc.goal_gradient * ramp
    if day < sc.days - sc.deadline_days:
        m *= max(0.0, 1.0 - sc.diffusion * c)
    return m


def extra_reach(sc: Scenario, count: int, day: int) -> float:
    """Share of the population the deadline's attention and the brand's push add on ``day``."""
    if not sc.visible:
        return 0.0
    extra = 0.0
    if day >= sc.days - sc.deadline_days and sc.deadline_days:
        extra += sc.page_reach_per_day * (sc.deadline_attention - 1.0)
    if (day >= sc.days - sc.push_days and sc.push_days
            and sc.push_from * sc.target <= count < sc.target):
        extra += sc.push_reach_per_day
    return extra


@dataclass
class _World:
    liked_day: np.ndarray      # day of the like, -1 = none
    label_open: np.ndarray     # open-eyed (only meaningful where liked)
    referrer: np.ndarray       # who brought them (-1: not a friend's share)
    channel: np.ndarray        # index into CHANNELS
    daily_exposed: np.ndarray
    daily_shares: np.ndarray
    daily_extra: np.ndarray    # people reached by the deadline's attention and the brand's push
    daily_motive: np.ndarray   # the charity motive m of each day


def _simulate(scenario: Scenario, graph: Graph, people: People, draws: _Draws,
              pledge: bool, labelled: bool = True) -> _World:
    """One world, day by day. labelled: also label the likes and record who brought each liker
    (False: only the likes and the daily counts, which is all the no-pledge world beside the
    pledge world is read for; its labels, referrers and channels are then left unset)."""
    n = graph.n
    indptr, indices = graph.indptr, graph.indices
    sc = scenario
    affinity, warmth = people.affinity, people.warmth
    # logits are computed only for the few people concerned each day, not for all n

    liked_day = np.full(n, -1, dtype=np.int32)
    label_open = np.zeros(n, dtype=bool)
    referrer = np.full(n, -1, dtype=np.int32)
    channel = np.full(n, -1, dtype=np.int8)
    friends_liked = np.zeros(n, dtype=np.int32)
    daily_exposed = np.zeros(sc.days, dtype=np.int64)
    daily_shares = np.zeros(sc.days, dtype=np.int64)
    daily_extra = np.zeros(sc.days, dtype=np.int64)
    daily_motive = np.ones(sc.days)
    new_likers = np.zeros(0, dtype=np.int64)
    liker_ties = np.zeros(0, dtype=np.int64)       # positions of yesterday's likers' ties
    liker_degree = np.zeros(0, dtype=np.int64)     # and how many ties each of them has
    count = 0                  # the page's count at the start of the day (bots included)
    fresh = sc.repeat_exposure == "fresh_chance"

    for day in range(sc.days):
        # 0. what the page shows this morning (pledge world; without the pledge, no target)
        m = charity_motive(sc, count, day) if pledge else 1.0
        daily_motive[day] = m
        warmth_w, share_warmth_w = sc.warmth_weight * m, sc.share_warmth_weight * m
        # 1. who sees the ask today: friends' shares, the agency's email, the page's posts
        share_p = _logistic(sc.share_logit + sc.share_affinity_weight * affinity[new_likers]
                            + (share_warmth_w * warmth[new_likers] if pledge else 0.0))
        shares = draws.v[new_likers] < share_p
        sharers = new_likers[shares]
        daily_shares[day] = len(sharers)
        # the sharers' ties, picked from their ties as yesterday's likers (the same positions
        # in the same order as tie_positions(indptr, sharers))
        pos, ties = liker_ties[shares.repeat(liker_degree)], liker_degree[shares]
        seen = hash_uniform(pos, draws.tie_salt) < sc.feed_reach
        friend_dst = indices[pos[seen]]
        if labelled:  # one referrer per person: the first share they saw
            friend_dst, first = _sorted_first(friend_dst)
            friend_src = np.repeat(sharers, ties)[seen][first]
        else:
            friend_dst = _sorted_unique(friend_dst)
        parts = [friend_dst, draws.page[day]]
        if day == 0:
            parts.append(draws.seeds)
        if pledge and draws.extra_max > 0 and day in draws.extra:  # deadline attention, push
            share = extra_reach(sc, count, day) / draws.extra_max
            who, rank = draws.extra[day]
            parts.append(who[rank < share])
            daily_extra[day] = int((rank < share).sum())
        exposed = _sorted_unique(np.concatenate(parts).astype(np.int64, copy=False))
        daily_exposed[day] = len(exposed)
        # 2. decisions of those who have not liked yet
        cand = exposed[liked_day[exposed] < 0]
        proof = sc.social_proof_weight * np.log1p(friends_liked[cand])
        base = sc.base_logit + sc.affinity_weight * affinity[cand]
        with_pledge = base + warmth_w * warmth[cand] if pledge else base
        p_with = _logistic(with_pledge + proof)
        u = hash_uniform(cand * sc.days + day, draws.tie_salt + 1) if fresh else draws.u[cand]
        likes = u < p_with
        new_likers = cand[likes]
        liked_day[new_likers] = day
        count += len(new_likers) + int(draws.bots[day])
        if labelled:
            label_open[new_likers] = u[likes] < _logistic(base[likes] + proof[likes])
            # 3. who brought them: a friend's share first, then the email, then the page
            channel[new_likers] = 1
            if day == 0:
                emailed = np.isin(new_likers, draws.seeds, assume_unique=True, kind="sort")
                channel[new_likers[emailed]] = 0
            via_friend = friend_dst.searchsorted(new_likers)
            via_friend = np.minimum(via_friend, max(len(friend_dst) - 1, 0))
            hit = (len(friend_dst) > 0) & (friend_dst[via_friend] == new_likers) \
                if len(friend_dst) else np.zeros(len(new_likers), dtype=bool)
            channel[new_likers[hit]] = 2
            referrer[new_likers[hit]] = friend_src[via_friend[hit]]
        # 4. social proof for tomorrow: friends of today's likers see one more friend who liked
        liker_ties, liker_degree = tie_positions(indptr, new_likers)
        if len(liker_ties):  # O(ties of likers), not O(n)
            np.add.at(friends_liked, indices[liker_ties], np.int32(1))
    return _World(liked_day, label_open, referrer, channel, daily_exposed, daily_shares,
                  daily_extra, daily_motive)


@dataclass
class CampaignResult:
    """One simulated campaign: both worlds, labelled likes, daily counts and the payout."""

    scenario: Scenario
    graph: Graph
    people: People
    daily: pd.DataFrame
    fans: pd.DataFrame
    likes_without_pledge: int

    def summary(self) -> dict:
        """The campaign in numbers: the brand's view and the charity's view apart."""
        sc = self.scenario
        col = {k: self.daily[k].to_numpy() for k in ("day", "cumulative", "cum_open_eyed",
                                                     "cum_closed_eyed", "cum_bots", "exposed")}
        likes = int(col["cumulative"][-1])
        open_eyed = int(col["cum_open_eyed"][-1])
        closed = int(col["cum_closed_eyed"][-1])
        bots = int(col["cum_bots"][-1])
        pay = payout(likes, open_eyed, sc.target, sc.cheque_gbp)
        reached_days = col["day"][col["cumulative"] >= sc.target]
        return {
            "population": sc.population,
            "days": sc.days,
            "pledge": sc.pledge,
            "progress": sc.progress,
            "target": sc.target,
            "cheque": sc.cheque_gbp,
            "likes": likes,
            "open_eyed_likes": open_eyed,
            "closed_eyed_likes": closed,
            "bot_likes": bots,
            "closed_eyes_share": closed / likes if likes else None,
            "bot_share": bots / likes if likes else None,
            "likes_without_pledge": self.likes_without_pledge,
            "target_reached": pay.target_reached,
            "day_target_reached": int(reached_days[0]) if len(reached_days) else None,
            "cheque_paid": pay.cheque_paid,
            "cost_per_like": pay.cost_per_like,
            "cost_per_open_eyed_like": pay.cost_per_open_eyed_like,
            "charity_receives": pay.charity_receives,
            "people_exposed": int(col["exposed"].sum()),
        }

    def referral_edges(self) -> pd.DataFrame:
        """Who brought whom: one row per like that came through a friend's share."""
        f = self.fans
        return f.loc[f["referrer"] >= 0, ["referrer", "person", "day", "label"]].reset_index(
            drop=True)


def run_campaign(
    scenario: Scenario | None = None,
    *,
    rng: np.random.Generator,
    graph: Graph | None = None,
    people: People | None = None,
) -> CampaignResult:
    """Simulate one campaign in both worlds (with and without the pledge).

    scenario: the parameters (defaults if None). graph: a Graph (e.g. from
    ``Graph.from_networkx`` or the SNAP loader); if None a synthetic graph is generated.
    people: affinities and warmths (drawn if None). With a synthetic graph of your own, pass
    the people it was built from: freshly drawn people know nothing of the graph's homophily. With ``scenario.pledge = False`` the
    campaign runs without the pledge: every like is open-eyed.
    """
    sc = scenario or Scenario()
    if graph is not None and graph.n != sc.population:
        sc = sc.replace(population=graph.n, seeds=min(sc.seeds, graph.n),
                        mean_degree=min(sc.mean_degree, max(graph.n - 1, 1)))
    check_memory(
        campaign_bytes(sc.population, sc.mean_degree if graph is None else 0.0,
                       bot_likes=sc.bot_likes_per_day * sc.days),
        f"a campaign of {sc.population:,} people at mean degree {sc.mean_degree:g}"
        + (f" with {sc.bot_likes_per_day:g} bot likes a day" if sc.bot_likes_per_day else ""),
        "lower population, mean_degree or bot_likes_per_day")
    if people is None:
        people = people_for(sc, rng=rng)
    elif people.n != sc.population:
        raise ValueError(f"people has {people.n} persons but the scenario {sc.population}")
    if graph is None:
        graph = synthetic_graph(sc.population, sc.mean_degree, rng=rng,
                                affinity=people.affinity, homophily=sc.homophily,
                                circle_share=sc.circle_share)
    draws = _draw(sc, graph.n, rng=rng)
    world = _simulate(sc, graph, people, draws, pledge=sc.pledge)
    baseline = _simulate(sc, graph, people, draws, pledge=False, labelled=False) if sc.pledge \
        else world

    # one row per like, bots included, in (day, person) order; built from arrays at once
    liked = np.flatnonzero(world.liked_day >= 0)
    n_bots = int(draws.bots.sum())
    day = np.concatenate([world.liked_day[liked], np.repeat(np.arange(sc.days), draws.bots)])
    person = np.concatenate([liked, -1 - np.arange(n_bots)])
    order = np.lexsort((person, day))
    label = np.concatenate([np.where(world.label_open[liked], 0, 1), np.full(n_bots, 2)])
    channel = np.concatenate([world.channel[liked], np.full(n_bots, CHANNELS.index("bot"))])
    referrer = np.concatenate([world.referrer[liked], np.full(n_bots, -1)])
    fans = pd.DataFrame({
        "person": person[order],
        "day": day[order].astype(np.int64),
        "label": pd.Categorical.from_codes(label[order], ["open_eyed", "closed_eyed", "bot"]),
        "channel": np.asarray(CHANNELS)[channel[order]],
        "referrer": referrer[order].astype(np.int64),
    })

    liked_day = world.liked_day[liked]
    is_open = world.label_open[liked]
    open_d = np.bincount(liked_day[is_open], minlength=sc.days)
    closed_d = np.bincount(liked_day[~is_open], minlength=sc.days)
    no_pledge = np.bincount(baseline.liked_day[baseline.liked_day >= 0], minlength=sc.days) \
        + draws.bots
    likes = open_d + closed_d + draws.bots
    # one frame from int64 arrays at once (adding its columns one by one cost ~2 ms a run)
    daily = pd.DataFrame({
        "day": np.arange(sc.days),
        "open_eyed": open_d,
        "closed_eyed": closed_d,
        "bots": draws.bots,
        "exposed": world.daily_exposed,
        "shares": world.daily_shares,
        "likes_no_pledge": no_pledge,
        "extra_reached": world.daily_extra,
        "charity_motive": world.daily_motive,
        "likes": likes,
        "cumulative": likes.cumsum(),
        "cum_open_eyed": open_d.cumsum(),
        "cum_closed_eyed": closed_d.cumsum(),
        "cum_bots": draws.bots.cumsum(),
        "cum_no_pledge": no_pledge.cumsum(),
    })
    return CampaignResult(sc, graph, people, daily, fans,
                          likes_without_pledge=int(no_pledge.sum()))
