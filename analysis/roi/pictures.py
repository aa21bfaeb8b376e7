"""The two pictures of the column, as data: a star of fans around the brand (audience) and a
small network of like-minded members with the introductions a budget buys (connection).

:func:`member_picture` builds the connection picture on a small synthetic graph; the drawing
is :func:`analysis.publish.figures_roi.broadcast_vs_network`.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from analysis.engine.graphs import synthetic_graph
from analysis.engine.people import draw_people
from analysis.roi.connection import find_members, introduce, member_network
from analysis.roi.contagion import as_csr


@dataclass(frozen=True)
class MemberPicture:
    """Members (person ids), their friendships (a networkx graph), the introductions (k x 2
    person ids) and the member network's measures (``connection.member_network``)."""

    members: np.ndarray
    friendships: nx.Graph
    introductions: np.ndarray
    measures: dict


def member_picture(n_members: int, *, rng: np.random.Generator, seed: int,
                   people: int = 300, mean_degree: int = 8) -> MemberPicture:
    """The ``n_members`` highest-affinity people of a small homophilous graph, half as many
    introductions among them as members. seed: for the community detection."""
    pic_people = draw_people(people, rng=rng)
    graph = synthetic_graph(people, mean_degree, rng=rng, affinity=pic_people.affinity,
                            homophily=0.8)
    members = find_members(pic_people.affinity, n_members, rng=rng, targeting_noise=0.05)
    adj = as_csr(graph)
    intros = introduce(adj, members, len(members) // 2, rng=rng)
    g_members = nx.relabel_nodes(nx.from_scipy_sparse_array(adj[members][:, members]),
                                 dict(enumerate(members)))
    g_members.add_nodes_from(members)
    return MemberPicture(members, g_members, intros, member_network(adj, members, seed=seed))
