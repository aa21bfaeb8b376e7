"""Connection on graphs: complex contagion, strong ties, members' network, degenerate graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from analysis.errors import InputError
from analysis.roi.connection import (
    communities,
    find_members,
    form_groups,
    group_tie_density,
    groups_from_communities,
    homophilous_affinity,
    interpolate_structure,
    introduce,
    member_network,
    member_subgraph,
    network_measures,
    structure_curve,
)
from analysis.roi.contagion import as_csr, common_friends, complex_contagion, strong_ties


def test_complex_contagion_needs_two_friends():
    # 0 and 1 hold the idea; 2 knows both, 3 knows only 2, 4 knows 2 and 3 (nodes added in
    # label order, so label i is person i: the conversion keeps the graph's node order)
    g = nx.Graph()
    g.add_nodes_from(range(5))
    g.add_edges_from([(0, 2), (1, 2), (2, 3), (2, 4), (3, 4)])
    adopted, rounds = complex_contagion(g, [0, 1], threshold=2)
    assert adopted.tolist() == [True, True, True, False, False]
    assert rounds.tolist() == [0, 0, 1, -1, -1]
    simple, _ = complex_contagion(g, [0, 1], threshold=1)
    assert simple.all()
    blocked, _ = complex_contagion(g, [0, 1], threshold=2,
                                   susceptible=np.array([1, 1, 0, 1, 1], dtype=bool))
    assert blocked.sum() == 2


def test_contagion_validates_input():
    g = nx.path_graph(3)
    with pytest.raises(InputError):
        complex_contagion(g, [0], threshold=0)
    with pytest.raises(InputError):
        complex_contagion(g, [5])


def test_strong_ties_keep_embedded_ties_only():
    g = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3)])  # a triangle with a pendant
    counts = common_friends(as_csr(g)).toarray()
    assert counts[0, 1] == 1 and counts[2, 3] == 0
    strong = strong_ties(g, min_common=1).toarray()
    assert strong[0, 1] == 1 and strong[2, 3] == 0 and strong[3].sum() == 0
    assert strong_ties(g, min_common=0).nnz == as_csr(g).nnz


def test_member_network_measures():
    g = nx.complete_graph(6)
    net = member_network(as_csr(g), np.arange(6), seed=1)
    assert net["ties"] == 15 and net["triangles"] == 20 and net["communities"] == 1
    assert net["two_core_share"] == 1.0 and net["max_core"] == 5
    empty = member_network(as_csr(nx.empty_graph(5)), np.arange(5))
    assert empty["ties"] == 0 and empty["communities"] == 5 and empty["isolated_share"] == 1.0
    none = member_network(as_csr(g), np.array([], dtype=int))
    assert none["members"] == 0


def test_groups_and_introductions():
    g = nx.Graph()
    g.add_edges_from(nx.complete_graph(5).edges())
    g.add_edges_from((a + 5, b + 5) for a, b in nx.complete_graph(5).edges())
    g.add_edge(0, 5)
    groups = form_groups(as_csr(g), np.arange(10), 5, seed=0)
    assert len(groups) == 2
    assert group_tie_density(as_csr(g), groups) == pytest.approx(1.0)
    pairs = introduce(as_csr(g), np.arange(10), 3, rng=np.random.default_rng(0))
    assert len(pairs) == 3
    adj = as_csr(g).toarray()
    assert all(adj[u, v] == 0 for u, v in pairs)  # only strangers are introduced
    # friends of a friend (sharing 0 or 5) first
    assert all({u, v} & {0, 5} or adj[u, 0] + adj[v, 0] or adj[u, 5] + adj[v, 5]
               for u, v in pairs)
    with pytest.raises(InputError):
        form_groups(as_csr(g), np.arange(10), 1)


def test_find_members_picks_high_affinity():
    aff = np.linspace(0, 1, 100)
    m = find_members(aff, 10, rng=np.random.default_rng(0), targeting_noise=0.0)
    assert m.tolist() == list(range(90, 100))
    assert len(find_members(aff, 1000, rng=np.random.default_rng(0))) == 100


def test_homophilous_affinity_keeps_the_distribution():
    g = nx.connected_caveman_graph(10, 8)
    aff = np.random.default_rng(1).beta(0.5, 3, g.number_of_nodes())
    placed = homophilous_affinity(g, aff, 0.9, rng=np.random.default_rng(2))
    assert np.allclose(np.sort(placed), np.sort(aff))
    src, dst = np.nonzero(as_csr(g).toarray())
    assert np.corrcoef(placed[src], placed[dst])[0, 1] > 0.2
    with pytest.raises(InputError):
        homophilous_affinity(g, aff, 1.5, rng=np.random.default_rng(0))


@pytest.mark.parametrize("graph,name", [
    (nx.empty_graph(200), "no edges"),
    (nx.complete_graph(40), "one community"),
    (nx.empty_graph(1), "a single person"),
])
def test_structure_curve_on_degenerate_graphs(graph, name):
    n = graph.number_of_nodes()
    aff = np.full(n, 0.5)
    fractions = [0.05, 0.5, 1.0] if n > 1 else [1.0]
    table = structure_curve(graph, aff, fractions, rng=np.random.default_rng(0), group_invitees=5,
                            graph_name=name)
    assert len(table) == len(fractions)
    assert (table["wom_adopters"] >= 0).all() and (table["members"] >= 1).all()
    if name == "no edges" or n == 1:
        assert (table["ties_among_members"] == 0).all()
        assert (table["wom_adopters"] == 0).all()
        assert (table["group_tie_density"] == 0).all()
    else:
        full = table.iloc[-1]
        assert full["communities"] == 1 and full["group_tie_density"] == pytest.approx(1.0)
        assert full["ties_per_member"] == pytest.approx((n - 1) / 2)


def test_structure_curve_grows_with_members_and_interpolates():
    g = nx.powerlaw_cluster_graph(1500, 6, 0.5, seed=1)
    aff = homophilous_affinity(g, np.random.default_rng(2).beta(0.3, 2, 1500), 0.7,
                               rng=np.random.default_rng(3))
    fr = [0.01, 0.05, 0.2]
    table = structure_curve(g, aff, fr, rng=np.random.default_rng(4))
    assert np.all(np.diff(table["ties_per_member"]) > 0)
    s = interpolate_structure(table, np.array([0.0, 0.005, 0.01, 0.05, 0.9]))
    assert s["ties_per_member"][0] == 0.0 and s["wom_adopter_fraction"][0] == 0.0
    assert s["ties_per_member"][2] == pytest.approx(table["ties_per_member"].iloc[0])
    assert s["ties_per_member"][-1] == pytest.approx(table["ties_per_member"].iloc[-1])
    with pytest.raises(InputError):
        structure_curve(g, aff, [0.0], rng=np.random.default_rng(0))
    with pytest.raises(InputError):
        structure_curve(g, aff[:10], fr, rng=np.random.default_rng(0))


def test_one_networkx_conversion_for_every_path():
    """as_csr and Graph.from_networkx number people the same way (the order of g.nodes()), so
    the same graph and seeds give the same result by either path; mixed labels convert."""
    from analysis.engine.graphs import Graph

    g = nx.Graph()
    g.add_edges_from([("zoe", 3), (3, "amy"), ("amy", (1, 2)), ((1, 2), "zoe"), (3, 0.5),
                      (0.5, "amy")])
    kit = Graph.from_networkx(g)
    assert kit.labels == tuple(g.nodes())  # insertion order; labels are never compared
    a = as_csr(g)
    b = as_csr(kit)
    assert (a != b).nnz == 0
    seeds = [0, 1]
    via_nx, _ = complex_contagion(g, seeds, threshold=2)
    via_kit, _ = complex_contagion(kit, seeds, threshold=2)
    assert np.array_equal(via_nx, via_kit)
    # nodes added out of order keep that order on both paths (label 5 is person 0, ...)
    h = nx.Graph([(5, 1), (1, 9), (9, 5), (9, 2)])
    assert Graph.from_networkx(h).labels == (5, 1, 9, 2)
    assert np.array_equal(as_csr(h).toarray(), Graph.from_networkx(h).to_scipy().toarray())
    assert as_csr(h).toarray()[3].tolist() == [0, 0, 1, 0]  # label 2 knows only label 9


def test_group_tie_density_counts_each_groups_inner_ties():
    """The one-pass count equals the pair-by-pair count, group by group, on a random graph."""
    g = nx.gnp_random_graph(120, 0.08, seed=4)
    adj = as_csr(g)
    dense = adj.toarray()
    members = np.random.default_rng(5).permutation(120)[:90]
    groups = [members[i:i + 9] for i in range(0, 90, 9)]
    pairs = ties = 0
    for grp in groups:
        ties += sum(dense[u, v] for i, u in enumerate(grp) for v in grp[i + 1:])
        pairs += len(grp) * (len(grp) - 1) / 2
    assert group_tie_density(adj, groups) == ties / pairs
    assert group_tie_density(adj, []) == 0.0


def test_one_louvain_run_serves_measures_and_groups():
    """structure_curve runs Louvain once per member set; it must give what the two public
    functions give when each runs its own."""
    g = nx.powerlaw_cluster_graph(400, 4, 0.4, seed=2)
    adj, members = as_csr(g), np.arange(0, 400, 2)
    sub = member_subgraph(adj, members)
    comms = communities(sub, seed=9)
    assert network_measures(sub, comms) == member_network(adj, members, seed=9)
    shared = groups_from_communities(members, comms, 7)
    alone = form_groups(adj, members, 7, seed=9)
    assert len(shared) == len(alone) and all((a == b).all() for a, b in zip(shared, alone, strict=True))


def test_as_csr_is_canonical():
    """Symmetric, 0/1, no self-loops, sorted indices, from a matrix with all of those wrong."""
    m = sp.csr_array((np.array([3, 1, 1, 2]), (np.array([0, 0, 2, 1]), np.array([0, 2, 1, 1]))),
                     shape=(3, 3))
    out = as_csr(m)
    assert out.has_sorted_indices and out.dtype == np.int32
    assert out.toarray().tolist() == [[0, 0, 1], [0, 0, 1], [1, 1, 0]]
