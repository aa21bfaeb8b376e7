"""The value of connection (many to many): the budget buys ties among people who share a purpose.

The same budget is split three ways (shares are parameters):

1. **Finding** people with high brand affinity on the graph (``cost_per_member`` each). The
   brand sees affinity only through a noisy signal (``targeting_noise``), so it picks the top of
   a noisy ranking. Members are open-eyed fans by construction.
2. **Introducing** members to each other (``cost_per_introduction`` each); an introduction
   becomes a lasting tie with probability ``tie_stick_prob``. Introductions go first to pairs
   who share a friend (triadic closure).
3. **Hosting groups** that make things together (``cost_per_group`` each, ``group_invitees``
   members invited, drawn from the same community of the member graph). A group works once
   ``working_size`` invitees take part (each with ``p_active``); working groups produce
   ``outputs_per_group_month`` co-created outputs worth ``value_per_output`` each, and their
   active members who were strangers become tied.

Value over the horizon: members as fans (the page's posts, as for the audience), word-of-mouth
adopters (a complex contagion from the members along strong ties, threshold 2) as fans,
``value_per_connection`` GBP a year per tie among members (existing friendships among members
count at ``existing_tie_activation``; a tie lasts while both members stay), co-created outputs,
and lower churn for members (``churn_reduction``).

What the graph decides (measured with networkx on the member subgraph: ties, triangles, k-cores,
communities; and the contagion on CSR arrays) is summarised by :func:`structure_curve` as a
function of the member share of the population; :func:`connection_outcomes` then turns a budget
and parameters (numbers or arrays of Monte Carlo draws) into counts and GBP.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from analysis.errors import InputError
from analysis.roi.audience import engagements, fan_months
from analysis.roi.contagion import as_csr, complex_contagion, strong_ties

STRUCTURE_COLUMNS = ("ties_per_member", "triangles_per_member", "two_core_share",
                     "group_tie_density", "wom_adopter_fraction")


def homophilous_affinity(adj, affinity, homophily: float, *, rng: np.random.Generator
                         ) -> np.ndarray:
    """Place given affinity values on a graph so that friends resemble each other.

    Each person's score mixes their own random draw with their friends' mean draw
    (``homophily`` in [0, 1]); the sorted affinity values are then handed out in score order,
    so the distribution of affinity is unchanged. Used for the real (SNAP) graph, which comes
    without affinities.
    """
    if not 0 <= homophily <= 1:
        raise InputError(f"homophily must be in [0, 1], got {homophily}")
    adj = as_csr(adj)
    affinity = np.asarray(affinity, dtype=float)
    if len(affinity) != adj.shape[0]:
        raise InputError(f"affinity has {len(affinity)} values but the graph {adj.shape[0]} people")
    own = rng.random(adj.shape[0])
    deg = np.asarray(adj.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        friends = np.where(deg > 0, (adj @ own) / deg, own)
    score = (1.0 - homophily) * own + homophily * friends
    out = np.empty_like(affinity)
    out[np.argsort(score, kind="stable")] = np.sort(affinity)
    return out


def find_members(affinity, n_members: int, *, rng: np.random.Generator,
                 targeting_noise: float = 0.1) -> np.ndarray:
    """The ``n_members`` people with the highest noisy affinity signal (sorted ids).

    affinity: brand affinity per person (0..1). targeting_noise: standard deviation of the
    normal noise on the signal the brand sees (0 = perfect targeting).
    """
    affinity = np.asarray(affinity, dtype=float)
    n_members = int(min(max(n_members, 0), len(affinity)))
    signal = affinity + targeting_noise * rng.standard_normal(len(affinity))
    return np.sort(np.argsort(-signal, kind="stable")[:n_members])


def member_subgraph(adj, members) -> nx.Graph:
    """The friendships among ``members`` as a networkx graph (nodes: positions 0..m-1)."""
    return _subgraph(as_csr(adj), members)


def _subgraph(adj: sp.csr_array, members) -> nx.Graph:
    """:func:`member_subgraph` on an adjacency already in :func:`as_csr` form."""
    members = np.asarray(members, dtype=np.int64)
    return nx.from_scipy_sparse_array(sp.csr_array(adj[members][:, members]))


def communities(g: nx.Graph, *, seed: int = 0) -> list[set]:
    """Louvain communities of a member graph (seeded); one per member when there are no ties.

    The one Louvain run of a member set: :func:`member_network` counts these communities and
    :func:`form_groups` cuts groups along them (networkx's Louvain is most of the cost of a
    structure curve, so :func:`structure_curve` runs it once for both).
    """
    return nx.community.louvain_communities(g, seed=seed) if g.number_of_edges() else \
        [{v} for v in g]


def member_network(adj, members, *, seed: int = 0) -> dict:
    """Network measures of the members (networkx): ties, triangles, k-cores, communities.

    Returns members, ties (friendships among members), ties_per_member, triangles (among
    members), triangles_per_member, two_core_share (members in the 2-core), max_core,
    communities (Louvain, seeded), largest_community_share, isolated_share.
    """
    g = member_subgraph(adj, members)
    return network_measures(g, communities(g, seed=seed))


def network_measures(g: nx.Graph, comms: list[set]) -> dict:
    """:func:`member_network`'s measures of a member graph and its :func:`communities`."""
    m = g.number_of_nodes()
    if m == 0:
        return {"members": 0, "ties": 0, "ties_per_member": 0.0, "triangles": 0,
                "triangles_per_member": 0.0, "two_core_share": 0.0, "max_core": 0,
                "communities": 0, "largest_community_share": 0.0, "isolated_share": 0.0}
    ties = g.number_of_edges()
    triangles = sum(nx.triangles(g).values()) // 3
    core = np.array(list(nx.core_number(g).values())) if ties else np.zeros(m, dtype=int)
    sizes = sorted((len(c) for c in comms), reverse=True)
    isolated = sum(1 for _, d in g.degree() if d == 0)
    return {"members": m, "ties": ties, "ties_per_member": ties / m, "triangles": triangles,
            "triangles_per_member": triangles / m, "two_core_share": float((core >= 2).mean()),
            "max_core": int(core.max()) if m else 0, "communities": len(comms),
            "largest_community_share": sizes[0] / m, "isolated_share": isolated / m}


def form_groups(adj, members, group_size: int, *, seed: int = 0) -> list[np.ndarray]:
    """Split members into groups of ``group_size`` who tend to know each other.

    Members are ordered by their Louvain community on the member subgraph (largest first) and
    cut into consecutive groups; a last incomplete group is dropped. Returns arrays of ids.
    """
    _check_group_size(group_size)
    g = member_subgraph(adj, members)
    return groups_from_communities(members, communities(g, seed=seed), group_size)


def _check_group_size(group_size: int) -> None:
    if group_size < 2:
        raise InputError(f"group size must be at least 2, got {group_size}")


def groups_from_communities(members, comms: list[set], group_size: int) -> list[np.ndarray]:
    """:func:`form_groups` from the :func:`communities` of the member graph."""
    _check_group_size(group_size)
    members = np.asarray(members, dtype=np.int64)
    comms = sorted(comms, key=lambda c: (-len(c), min(c)))
    order = np.array([v for c in comms for v in sorted(c)], dtype=np.int64)
    k = len(order) // group_size
    return [members[order[i * group_size:(i + 1) * group_size]] for i in range(k)]


def group_tie_density(adj, groups) -> float:
    """Share of pairs inside the groups who are already friends (0 when there are no groups)."""
    return _tie_density(as_csr(adj), groups)


def _tie_density(adj: sp.csr_array, groups) -> float:
    """:func:`group_tie_density` on an adjacency in :func:`as_csr` form, in one pass over the
    groups' rows (a person is in at most one group)."""
    if not len(groups):
        return 0.0
    label = np.full(adj.shape[0], -1, dtype=np.int64)
    for i, grp in enumerate(groups):
        label[grp] = i
    people = np.concatenate(groups)
    rows = adj[people]                                  # the groups' people, their friends
    owner = np.repeat(label[people], np.diff(rows.indptr))
    ties = int(np.count_nonzero(label[rows.indices] == owner)) / 2
    pairs = sum(len(grp) * (len(grp) - 1) / 2 for grp in groups)
    return float(ties / pairs) if pairs else 0.0


def introduce(adj, members, n_introductions: int, *, rng: np.random.Generator) -> np.ndarray:
    """Pairs of members to introduce: not yet friends, most shared friends first.

    Returns an (k, 2) array of person ids, k <= n_introductions (ties broken at random).
    """
    adj = as_csr(adj)
    members = np.asarray(members, dtype=np.int64)
    m = len(members)
    if m < 2 or n_introductions < 1:
        return np.zeros((0, 2), dtype=np.int64)
    rows = adj[members]
    shared = (rows @ rows.T).toarray()
    linked = rows[:, members].toarray() > 0
    iu, ju = np.triu_indices(m, 1)
    free = ~linked[iu, ju]
    iu, ju = iu[free], ju[free]
    score = shared[iu, ju] + rng.random(len(iu))
    pick = np.argsort(-score, kind="stable")[: int(n_introductions)]
    return np.column_stack([members[iu[pick]], members[ju[pick]]])


def structure_curve(graph, affinity, member_fractions, *, rng: np.random.Generator,
                    threshold: int = 2, min_common: int = 2, group_invitees: int = 10,
                    targeting_noise: float = 0.1, graph_name: str = "graph") -> pd.DataFrame:
    """What the graph gives the connection strategy, at each member share of the population.

    graph: kit Graph, networkx graph or sparse matrix; affinity: per person (0..1).
    member_fractions: shares of the population found as members (each in (0, 1]).
    threshold: friends needed to adopt by word of mouth (complex contagion); min_common:
    shared friends that make a tie strong; group_invitees: group size; targeting_noise: see
    find_members. Susceptible to word of mouth: each person with probability = affinity.
    One row per fraction: members, ties and triangles per member, 2-core share, communities,
    tie density inside groups, and word-of-mouth adopters (not members) per person.
    """
    adj = as_csr(graph)
    n = adj.shape[0]
    affinity = np.asarray(affinity, dtype=float)
    if len(affinity) != n:
        raise InputError(f"affinity has {len(affinity)} values but the graph {n} people")
    fractions = np.asarray(member_fractions, dtype=float)
    if fractions.size == 0 or (fractions <= 0).any() or (fractions > 1).any():
        raise InputError(f"member fractions must lie in (0, 1], got {member_fractions!r}")
    strong = strong_ties(adj, min_common=min_common)
    susceptible = rng.random(n) < affinity
    signal = affinity + targeting_noise * rng.standard_normal(n)
    ranking = np.argsort(-signal, kind="stable")
    seed = int(rng.integers(2**31 - 1))
    rows = []
    for f in fractions:
        m = max(1, int(round(f * n)))
        members = np.sort(ranking[:m])
        g = _subgraph(adj, members)
        comms = communities(g, seed=seed)           # one Louvain run serves both uses
        net = network_measures(g, comms)
        groups = groups_from_communities(members, comms, group_invitees) \
            if m >= group_invitees else []
        adopted, rounds = complex_contagion(strong, members, threshold=threshold,
                                            susceptible=susceptible)
        adopters = int(adopted.sum()) - m
        rows.append({
            "graph": graph_name, "population": n, "member_fraction": m / n,
            "members": m, "ties_among_members": net["ties"],
            "ties_per_member": net["ties_per_member"],
            "triangles_per_member": net["triangles_per_member"],
            "two_core_share": net["two_core_share"], "max_core": net["max_core"],
            "communities": net["communities"],
            "largest_community_share": net["largest_community_share"],
            "groups": len(groups), "group_tie_density": _tie_density(adj, groups),
            "wom_adopters": adopters, "wom_adopter_fraction": adopters / n,
            "wom_rounds": int(rounds.max()) if adopted.any() else 0,
            "strong_tie_share": strong.nnz / adj.nnz if adj.nnz else 0.0,
        })
    return pd.DataFrame(rows)


def interpolate_structure(structure: pd.DataFrame, member_fraction) -> dict[str, np.ndarray]:
    """Structure measures at any member share (linear in log share).

    structure: a structure_curve table (rows at equal fractions, e.g. from several graphs,
    are averaged first); member_fraction: number or array in [0, 1]. Above the largest
    measured share the last row holds; below the smallest, ties and word of mouth shrink in
    proportion to the share (triangles with its square), reaching 0 with no members.
    Returns a dict of arrays for STRUCTURE_COLUMNS.
    """
    table = structure.groupby("member_fraction", as_index=False)[list(STRUCTURE_COLUMNS)].mean()
    fmin = float(table["member_fraction"].iloc[0])
    x = np.log(table["member_fraction"].to_numpy())
    f = np.clip(np.asarray(member_fraction, dtype=float), 0.0, 1.0)
    logf = np.log(np.maximum(f, fmin))
    below = np.minimum(f / fmin, 1.0)
    power = {"ties_per_member": 1, "triangles_per_member": 2, "wom_adopter_fraction": 1}
    out = {}
    for c in STRUCTURE_COLUMNS:
        values = np.interp(logf, x, table[c].to_numpy())
        out[c] = values * below ** power.get(c, 0)
    return out


def _expected_pairs_if_working(invitees, p_active, working_size):
    """(P(a group works), E[active pairs | it works]) for Binomial(invitees, p_active) turnout."""
    invitees = int(invitees)
    working_size = int(working_size)
    k = np.arange(invitees + 1)
    p = np.atleast_1d(np.asarray(p_active, dtype=float))
    pmf = stats.binom.pmf(k[None, :], invitees, p[:, None])
    works = k >= working_size
    p_work = (pmf * works).sum(axis=1)
    pairs = (pmf * works * (k * (k - 1) / 2)).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        pairs_given = np.where(p_work > 0, pairs / p_work, 0.0)
    shape = np.shape(p_active)
    return p_work.reshape(shape), pairs_given.reshape(shape)


def connection_outcomes(params, structure: pd.DataFrame, *, budget, population,
                        horizon_months) -> dict[str, np.ndarray]:
    """Counts and GBP values of the connection strategy (arrays broadcast over draws).

    params: mapping of parameter name -> number or array (see analysis.roi.priors.roi_priors,
    group "connection", plus the audience's reach, engagement, posts, value per engagement and
    churn, which value members and word-of-mouth adopters as fans).
    structure: a structure_curve table. budget: GBP; population: people the brand can reach;
    horizon_months: months. Returns members, introductions, new_ties, activated_ties,
    groups, working_groups, group_ties, outputs, wom_adopters, value_fans, value_ties,
    value_outputs, value (all GBP values over the horizon).
    """
    p = {k: np.asarray(v, dtype=float) for k, v in dict(params).items()}
    budget = np.asarray(budget, dtype=float)
    if (budget < 0).any():
        raise InputError(f"budget must be >= 0 GBP, got {budget.min()}")
    if population < 1:
        raise InputError(f"population must be at least 1, got {population}")
    members = np.minimum(budget * p["share_find"] / p["cost_per_member"], float(population))
    members = np.floor(members)
    frac = members / population
    s = interpolate_structure(structure, frac)
    existing = s["ties_per_member"] * members
    # introductions: at most the pairs of members who are not yet friends
    free_pairs = np.maximum(members * (members - 1) / 2 - existing, 0.0)
    intros = np.minimum(budget * p["share_introduce"] / p["cost_per_introduction"], free_pairs)
    intro_ties = intros * p["tie_stick_prob"]
    # groups: whole groups only, and no more than the members can fill
    groups = np.minimum(np.floor(budget * p["share_groups"] / p["cost_per_group"]),
                        np.floor(members / p["group_invitees"]))
    invitees = int(np.ravel(p["group_invitees"])[0])
    working_size = int(np.ravel(p["working_size"])[0])
    p_work, pairs_given = _expected_pairs_if_working(invitees, p["p_active"], working_size)
    working = groups * p_work
    group_ties = working * pairs_given * (1.0 - s["group_tie_density"])
    activated = existing * p["existing_tie_activation"]
    new_ties = intro_ties + group_ties
    # word of mouth: adopters beyond the members, as a share of the population
    adopters = s["wom_adopter_fraction"] * population
    # churn: members leave less often; a tie lasts while both ends stay
    member_churn = p["monthly_churn"] * (1.0 - p["churn_reduction"])
    tie_churn = 1.0 - (1.0 - member_churn) ** 2
    tie_years = fan_months(tie_churn, horizon_months) / 12.0
    fan_kw = dict(reach_per_post=p["organic_reach_per_post"],
                  engagement_given_reach=p["engagement_given_reach"],
                  posts_per_week=p["posts_per_week"], horizon_months=horizon_months)
    value_fans = (engagements(members, monthly_churn=member_churn, **fan_kw)
                  + engagements(adopters, monthly_churn=p["monthly_churn"], **fan_kw)
                  ) * p["value_per_engagement"]
    value_ties = (activated + new_ties) * tie_years * p["value_per_connection"]
    outputs = working * fan_months(member_churn, horizon_months) * p["outputs_per_group_month"]
    value_outputs = outputs * p["value_per_output"]
    return {
        "members": members, "introductions": intros, "new_ties": new_ties,
        "activated_ties": activated, "groups": groups, "working_groups": working,
        "group_ties": group_ties, "outputs": outputs, "wom_adopters": adopters,
        "value_fans": value_fans, "value_ties": value_ties, "value_outputs": value_outputs,
        "value": value_fans + value_ties + value_outputs,
    }
