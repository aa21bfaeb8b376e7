"""The campaign written plainly in pure Python over a networkx graph: the benchmark's yardstick.

This is the model of :mod:`analysis.engine.campaign` with the target hidden
(``progress="hidden"``; same parameters, same story, both worlds with common random numbers) as a reader would first write it: loops over people and over their
friends with ``G[person]``, Python's ``random`` module for the draws, dicts and sets for the
state. It is slow on purpose; ``make bench`` times it against the vectorised engine, and a test
checks that the two give statistically the same like counts.

Per day: friends of yesterday's sharers see the share (each tie once, with probability
``feed_reach``), the page's posts reach a random ``page_reach_per_day`` share of people, and on
day 0 the agency emails the seeds. Each exposed person who has not liked yet likes if their
fixed draw ``u`` is below ``logistic(base + affinity + [pledge] warmth + social proof)``; a new
liker shares the next day if their fixed draw ``v`` is below the sharing probability.
"""

from __future__ import annotations

import math
import random

import numpy as np

from analysis.engine.scenario import Scenario


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _simulate_plain(sc: Scenario, G, affinity, warmth, u, v, seeds, page, tie_draw,
                    pledge: bool) -> dict:
    """One world, day by day. Returns {person: (day, open_eyed)} of everyone who liked."""
    liked = {}
    friends_liked = dict.fromkeys(G, 0)
    new_likers = []
    for day in range(sc.days):
        # who sees the ask today
        exposed = set()
        for s in new_likers:
            share_x = sc.share_logit + sc.share_affinity_weight * affinity[s]
            if pledge:
                share_x += sc.share_warmth_weight * warmth[s]
            if v[s] < _logistic(share_x):
                for friend in G[s]:
                    if tie_draw(s, friend) < sc.feed_reach:
                        exposed.add(friend)
        exposed.update(page[day])
        if day == 0:
            exposed.update(seeds)
        # decisions of those who have not liked yet
        new_likers = []
        for person in exposed:
            if person in liked:
                continue
            proof = sc.social_proof_weight * math.log1p(friends_liked[person])
            without = sc.base_logit + sc.affinity_weight * affinity[person] + proof
            with_pledge = without + sc.warmth_weight * warmth[person] if pledge else without
            if u[person] < _logistic(with_pledge):
                liked[person] = (day, u[person] < _logistic(without))
                new_likers.append(person)
        # social proof for tomorrow
        for person in new_likers:
            for friend in G[person]:
                friends_liked[friend] += 1
    return liked


def run_campaign_plain(scenario: Scenario, G, *, rng: np.random.Generator) -> dict:
    """One campaign on the networkx graph ``G`` (nodes 0..n-1), both worlds, in pure Python.

    scenario: the parameters (``population`` is taken from ``G``). rng: seeds Python's
    ``random.Random`` (and draws the few binomial and Poisson counts). Returns the like counts:
    likes, open_eyed_likes, closed_eyed_likes, bot_likes, likes_without_pledge, target_reached.
    """
    sc = scenario
    n = G.number_of_nodes()
    rand = random.Random(int(rng.integers(2**63)))
    a_aff, b_aff = sc.affinity_mean * sc.affinity_concentration, \
        (1 - sc.affinity_mean) * sc.affinity_concentration
    a_w, b_w = sc.warmth_mean * sc.warmth_concentration, \
        (1 - sc.warmth_mean) * sc.warmth_concentration
    affinity = [rand.betavariate(a_aff, b_aff) for _ in range(n)]
    warmth = [rand.betavariate(a_w, b_w) for _ in range(n)]
    u = [rand.random() for _ in range(n)]
    v = [rand.random() for _ in range(n)]
    seeds = rand.sample(range(n), min(sc.seeds, n))
    page = [rand.sample(range(n), int(rng.binomial(n, sc.page_reach_per_day)))
            for _ in range(sc.days)]
    bots = [int(rng.poisson(sc.bot_likes_per_day)) for _ in range(sc.days)]
    ties = {}

    def tie_draw(s, friend):
        """The same draw for the same tie in both worlds (common random numbers)."""
        if (s, friend) not in ties:
            ties[(s, friend)] = rand.random()
        return ties[(s, friend)]

    args = (sc, G, affinity, warmth, u, v, seeds, page, tie_draw)
    world = _simulate_plain(*args, pledge=sc.pledge)
    baseline = _simulate_plain(*args, pledge=False) if sc.pledge else world
    open_eyed = sum(1 for _, is_open in world.values() if is_open)
    likes = len(world) + sum(bots)
    return {
        "likes": likes,
        "open_eyed_likes": open_eyed,
        "closed_eyed_likes": len(world) - open_eyed,
        "bot_likes": sum(bots),
        "likes_without_pledge": len(baseline) + sum(bots),
        "target_reached": likes >= sc.target,
    }
