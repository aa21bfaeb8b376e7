"""Word of mouth as a complex contagion along strong ties, vectorised on CSR arrays.

Complex contagion (Centola 2010): a person takes up an idea only once at least ``threshold``
friends have (2 by default), unlike a simple contagion that needs a single contact. Each round
is one sparse matrix-vector product (friends who adopted, per person): no Python loop over
people.

Strong ties are approximated by *embeddedness*: a friendship is strong when the two friends
share at least ``min_common`` friends (close friends carry influence: Bond et al. 2012; the
more embedded a tie, the stronger it tends to be).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analysis.engine.graphs import Graph
from analysis.errors import InputError


def as_csr(graph) -> sp.csr_array:
    """A symmetric 0/1 ``scipy.sparse.csr_array`` from a kit Graph, a networkx graph or a matrix.

    Self-loops are dropped; directed input is symmetrised. A networkx graph is converted by
    :meth:`analysis.engine.graphs.Graph.from_networkx` (row i = the i-th node of ``g.nodes()``),
    so both paths number people the same way.
    """
    if isinstance(graph, Graph):
        m = graph.to_scipy()
    elif isinstance(graph, nx.Graph):
        m = Graph.from_networkx(graph).to_scipy()
    elif sp.issparse(graph):
        m = graph
    else:
        raise InputError(f"graph must be a kit Graph, a networkx graph or a sparse matrix, "
                         f"got {type(graph).__name__}")
    m = sp.csr_array(m)
    if m.shape[0] != m.shape[1]:
        raise InputError(f"adjacency matrix must be square, got shape {m.shape}")
    sym = ((m + m.T) > 0).tocoo()
    off = sym.row != sym.col              # self-loops dropped (cheaper than setdiag on CSR)
    out = sp.csr_array((np.ones(int(off.sum()), dtype=np.int32), (sym.row[off], sym.col[off])),
                       shape=m.shape)
    out.sum_duplicates()                  # canonical: sorted indices, no duplicates
    return out


def common_friends(adj: sp.csr_array, *, chunk: int = 4096) -> sp.csr_array:
    """For every tie (u, v), the number of friends u and v share (same sparsity as ``adj``).

    Computed in blocks of ``chunk`` rows so memory stays bounded on large graphs.
    """
    adj = as_csr(adj)
    n = adj.shape[0]
    blocks = []
    for start in range(0, n, chunk):
        rows = adj[start:start + chunk]
        blocks.append(sp.csr_array((rows @ adj).multiply(rows)))
    if not blocks:
        return sp.csr_array((n, n), dtype=np.int32)
    out = sp.csr_array(sp.vstack(blocks, format="csr"))
    return out


def strong_ties(adj, *, min_common: int = 2) -> sp.csr_array:
    """The subgraph of ties whose ends share at least ``min_common`` friends (0/1 CSR)."""
    if min_common < 0:
        raise InputError(f"min_common must be >= 0, got {min_common}")
    adj = as_csr(adj)
    if min_common == 0:
        return adj
    counts = common_friends(adj)
    keep = sp.csr_array((counts >= min_common).astype(np.int32))
    keep.eliminate_zeros()
    return keep


def complex_contagion(adj, seeds, *, threshold: int = 2, susceptible=None,
                      max_rounds: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Spread from ``seeds`` until nobody new adopts; return (adopted, round_adopted).

    adj: the graph (CSR or anything :func:`as_csr` accepts), ties along which it spreads.
    seeds: person ids (or a boolean mask) who hold the idea at round 0.
    threshold: adopting friends a person needs (>= 1; 2 = complex contagion).
    susceptible: boolean mask of people who can adopt at all (default everyone).
    Returns a boolean mask of adopters (seeds included) and the round each adopted (-1: never).
    """
    if int(threshold) != threshold or threshold < 1:
        raise InputError(f"threshold must be a whole number >= 1, got {threshold}")
    adj = as_csr(adj)
    n = adj.shape[0]
    seeds = np.asarray(seeds)
    if seeds.dtype == bool:
        if seeds.shape != (n,):
            raise InputError(f"seed mask must have length {n}, got {seeds.shape}")
        adopted = seeds.copy()
    else:
        if len(seeds) and (seeds.min() < 0 or seeds.max() >= n):
            raise InputError(f"seed ids must lie in 0..{n - 1}")
        adopted = np.zeros(n, dtype=bool)
        adopted[seeds.astype(np.int64)] = True
    can = np.ones(n, dtype=bool) if susceptible is None else np.asarray(susceptible, dtype=bool)
    rounds = np.where(adopted, 0, -1)
    limit = n if max_rounds is None else int(max_rounds)
    for r in range(1, limit + 1):
        exposure = adj @ adopted.astype(np.int32)
        new = (~adopted) & can & (exposure >= threshold)
        if not new.any():
            break
        adopted |= new
        rounds[new] = r
    return adopted, rounds
