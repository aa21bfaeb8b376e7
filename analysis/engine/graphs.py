"""Friendship graphs as CSR arrays: a fast synthetic generator, conversions, and statistics.

The simulation engine works on ``Graph`` (CSR ``indptr``/``indices`` numpy arrays). networkx
serves for building small graphs, analysing and drawing: ``Graph.from_networkx`` converts once.

The synthetic generator (``synthetic_graph``) writes CSR arrays directly with numpy/scipy and
builds a 10^6-person graph in about a second. It mixes three kinds of tie, calibrated to the
published shape of the Facebook graph (heavy-tailed degrees, clustering, short paths):

* *interest circles*: small dense groups of people ordered by brand affinity (with the
  ``homophily`` knob mixing in noise), so people who care about the brand tend to know each other;
* *local circles*: small dense groups of people regardless of affinity (family, work, place);
* *long ties*: random ties between people drawn in proportion to a heavy-tailed (log-normal)
  sociability, which give the hubs and the short paths (Chung-Lu style).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, shortest_path

from analysis.errors import InputError


@dataclass(frozen=True)
class Graph:
    """An undirected simple graph on people 0..n-1 in CSR form (each tie stored both ways).

    indptr: int64 array of length n + 1; indices: int32 array of neighbour ids.
    labels: optional original node labels (from networkx), position i = person i.
    """

    indptr: np.ndarray
    indices: np.ndarray
    labels: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    @property
    def n_edges(self) -> int:
        return len(self.indices) // 2

    def degrees(self) -> np.ndarray:
        """Number of friends of each person."""
        return np.diff(self.indptr)

    def neighbours(self, person: int) -> np.ndarray:
        return self.indices[self.indptr[person]:self.indptr[person + 1]]

    def to_scipy(self) -> sp.csr_array:
        data = np.ones(len(self.indices), dtype=np.int8)
        return sp.csr_array((data, self.indices, self.indptr), shape=(self.n, self.n))

    def to_networkx(self):
        """The same graph as a networkx.Graph (nodes 0..n-1). Slow beyond ~10^5 people."""
        g = nx.from_scipy_sparse_array(self.to_scipy())
        return g

    @classmethod
    def from_scipy(cls, matrix, labels=None) -> Graph:
        """From any square sparse adjacency matrix: symmetrised, binarised, self-loops dropped."""
        m = sp.csr_array(matrix)
        if m.shape[0] != m.shape[1]:
            raise InputError(f"adjacency matrix must be square, got shape {m.shape}")
        m = m.tocoo()
        keep = m.row != m.col
        return cls.from_edges(m.row[keep], m.col[keep], m.shape[0], labels=labels)

    @classmethod
    def from_networkx(cls, g) -> Graph:
        """From a networkx graph: the kit's one networkx -> CSR conversion.

        Person i is the i-th node of ``g.nodes()``: networkx keeps the order in which nodes were
        added, and so does the kit (the same order networkx's own ``to_scipy_sparse_array`` and
        ``convert_node_labels_to_integers`` use). Labels are never compared, so labels of any
        hashable type, mixed types included, convert; ``labels[i]`` is person i's label. To
        number integer labels 0..n-1 as people 0..n-1, add the nodes in that order first
        (``g.add_nodes_from(range(n))``). Directed graphs are made undirected; self-loops and
        edge weights are dropped.
        """
        nodes = list(g.nodes())
        m = nx.to_scipy_sparse_array(g, nodelist=nodes, format="coo", weight=None)
        return cls.from_scipy(m, labels=tuple(nodes))

    @classmethod
    def from_edges(cls, u, v, n: int, labels=None) -> Graph:
        """From arrays of tie endpoints (either order; duplicates and self-loops dropped)."""
        u = np.asarray(u)
        v = np.asarray(v)
        if len(u) and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n):
            raise InputError(f"tie endpoints must lie in 0..{n - 1}")
        indptr, indices = _symmetric_csr([(u, v)], n)
        return cls(indptr, indices, labels)


def _symmetric_csr(ties: list, n: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR arrays (indptr int64, sorted int32 indices) of the undirected simple graph on n people.

    ties: a list of (u, v) endpoint arrays (valid ids 0..n-1, either order), consumed: the list
    is emptied as its ties are copied, so each pair's memory is freed once used. Duplicate ties
    and self-loops are dropped. Each tie (u, v) becomes two keys ``u << s | v`` and
    ``v << s | u``; one in-place sort of the keys (numpy's SIMD sort) orders them by row then
    column, so duplicates sit side by side and the row boundaries are found by binary search.
    Below 2^16 people the keys are 4-byte words (``s = 16``), which sort twice as fast as
    8-byte ones; from 2^16 people they are 8-byte words (``s = 32``). Either way the keys sort
    in (row, column) order, so the arrays are the same. The columns are the keys' low bits,
    written in place into the keys' own buffer (which is then shrunk): the peak is 16 bytes per
    tie end (8-byte keys) plus the ties not yet copied. This is several times faster than
    scipy's COO -> CSR conversion at 10^7 ties, and allocates less.
    """
    if n >= 2**31:
        raise InputError(f"a graph holds at most {2**31 - 1} people, got {n}")
    small = n < 2**16
    dtype, shift = (np.uint32, 16) if small else (np.int64, 32)
    m = sum(len(u) for u, _ in ties)
    keys = np.empty(2 * m, dtype=dtype)
    start = 0
    while ties:
        u, v = (a if (a := np.asarray(x)).dtype.kind == "i" else a.astype(np.int64)
                for x in ties.pop(0))
        if not np.all(keep := u != v):
            u, v = u[keep], v[keep]
        for a, b, at in ((u, v, start), (v, u, start + len(u))):
            part = keys[at:at + len(a)]
            np.left_shift(a, shift, out=part, dtype=dtype, casting="unsafe")
            np.bitwise_or(part, b, out=part, dtype=dtype, casting="unsafe")
        start += 2 * len(u)
        del u, v, keep
    if start < 2 * m:  # self-loops dropped: fewer keys (no view of keys exists yet)
        keys.resize(start, refcheck=False)
    keys.sort()
    indptr = np.searchsorted(keys, np.arange(n + 1, dtype=dtype) << dtype(shift)).astype(
        np.int64, copy=False)
    repeated = np.flatnonzero(keys[1:] == keys[:-1]) + 1  # few: duplicate ties are rare
    if len(repeated):
        # drop the repeats: no row starts with one, so each row start moves back by the
        # repeats before it
        indptr -= np.searchsorted(repeated, indptr)
    if small:  # ids below 2^16: the low 16 bits of each key, as int32, in place
        np.bitwise_and(keys, dtype(0xFFFF), out=keys)
        columns = keys.view(np.int32)
        return indptr, np.delete(columns, repeated) if len(repeated) else columns
    return indptr, _low_words_in_place(keys, repeated)


def _low_words_in_place(keys: np.ndarray, skip: np.ndarray, chunk: int = 1 << 22) -> np.ndarray:
    """The low 32 bits of ``keys`` (except positions ``skip``), as int32, in keys' own memory.

    Packs the words to the front of the buffer chunk by chunk (a chunk's words are read before
    any write can reach them: the write position never passes 4 bytes per key read), then
    shrinks the buffer in place, so no second array of the graph's size is ever allocated.
    """
    total = len(keys)
    words = keys.view(np.int32)
    low = 0 if sys.byteorder == "little" else 1
    out = 0
    part = None
    for at in range(0, total, chunk):
        part = words[2 * at + low:2 * min(at + chunk, total):2]
        drop = skip[(skip >= at) & (skip < at + chunk)] - at
        if len(drop):
            part = np.delete(part, drop)
        else:
            part = part.copy()
        words[out:out + len(part)] = part
        out += len(part)
    del words, part
    keys.resize((out + 1) // 2, refcheck=False)  # realloc: the tail goes back to the system
    return keys.view(np.int32)[:out]


def _stable_argsort(x: np.ndarray) -> np.ndarray:
    """``np.argsort(x, kind="stable")``, faster: numpy's SIMD sort when ``x`` has no ties."""
    x = np.asarray(x)
    order = np.argsort(x)
    ranked = x[order]
    if not np.all(ranked[1:] > ranked[:-1]):  # ties (or NaN): keep the stable order
        return np.argsort(x, kind="stable")
    return order


def _circle_ties(order: np.ndarray, size: int, p_in: float, *, rng: np.random.Generator):
    """Ties inside consecutive blocks of ``size`` people of ``order``, each pair with prob p_in.

    Returns a list of (u, v) endpoint arrays: the full blocks, then the last, smaller block.
    """
    n = len(order)
    full, rest = divmod(n, size)
    iu, ju = np.triu_indices(size, 1)
    keep = rng.random((full + (rest > 0), len(iu)), dtype=np.float32) < p_in
    blocks = order[:full * size].reshape(full, size)
    k = keep[:full]
    ties = [(np.take(blocks, iu, axis=1)[k], np.take(blocks, ju, axis=1)[k])]
    if rest:  # the last, smaller block: only pairs of people who exist
        tail = order[full * size:]
        pair = keep[full] & (ju < rest)
        ties.append((tail[iu[pair]], tail[ju[pair]]))
    return ties


def synthetic_graph(
    n: int,
    mean_degree: float = 20.0,
    *,
    rng: np.random.Generator,
    affinity: np.ndarray | None = None,
    homophily: float = 0.6,
    circle_share: float = 0.7,
    circle_size: int = 9,
    degree_spread: float = 1.0,
) -> Graph:
    """A Facebook-like friendship graph on ``n`` people, built directly as CSR arrays.

    n: people (10^3 to 10^6 and beyond). mean_degree: friends per person on average.
    affinity: brand affinity per person (0..1); with ``homophily`` h in [0, 1] the interest
      circles group people by affinity (h = 1: by affinity alone; h = 0: at random).
    circle_share: share of ties inside small dense circles (drives clustering).
    circle_size: people per circle (grown automatically if the circle cannot hold the ties).
    degree_spread: log-normal sigma of sociability for long ties (drives the degree tail).
    """
    n = int(n)
    if n < 2:
        raise InputError(f"synthetic_graph: n must be at least 2, got {n}")
    if not 0 < mean_degree < n:
        raise InputError(f"synthetic_graph: mean_degree must be in (0, {n}), got {mean_degree}")
    people = np.arange(n, dtype=np.int32)
    # interest order: affinity rank mixed with noise by the homophily knob
    if affinity is None:
        interest_order = rng.permutation(n).astype(np.int32)
    else:
        rank = np.empty(n)
        rank[_stable_argsort(affinity)] = np.arange(n) / n
        key = homophily * rank + (1.0 - homophily) * rng.random(n)
        interest_order = _stable_argsort(key).astype(np.int32)
    local_order = people  # ids carry no meaning, so consecutive ids make random local circles

    per_layer = circle_share * mean_degree / 2.0
    size = int(max(circle_size, np.ceil(per_layer / 0.9) + 1))
    size = min(size, n)
    p_in = min(1.0, per_layer / max(size - 1, 1))
    ties = []
    if per_layer > 0:
        for order in (interest_order, local_order):
            ties.extend(_circle_ties(order, size, p_in, rng=rng))
    # long ties, Chung-Lu style: endpoints drawn in proportion to log-normal sociability
    m_long = rng.poisson(n * mean_degree * (1.0 - circle_share) / 2.0)
    if m_long > 0:
        weight = rng.lognormal(0.0, degree_spread, n)
        stubs_per_person = rng.poisson(weight * (2.0 * m_long / weight.sum()))
        stubs = np.repeat(people, stubs_per_person)
        del weight, stubs_per_person
        if len(stubs) > 1:
            ties.append((stubs[rng.integers(0, len(stubs), m_long)],
                         stubs[rng.integers(0, len(stubs), m_long)]))
        del stubs
    del people, interest_order, local_order
    return Graph(*_symmetric_csr(ties, n))


def _sample(n: int, k: int, *, rng: np.random.Generator) -> np.ndarray:
    return np.arange(n) if n <= k else np.sort(rng.choice(n, size=k, replace=False))


def clustering(graph: Graph, nodes: np.ndarray) -> np.ndarray:
    """Local clustering coefficient of each of ``nodes`` (0 for people with < 2 friends)."""
    a = graph.to_scipy().astype(np.int32)
    rows = a[nodes]
    closed = (rows @ a).multiply(rows).sum(axis=1)  # = 2 x triangles through each node
    d = graph.degrees()[nodes].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(d > 1, closed / (d * (d - 1)), 0.0)
    return np.asarray(c, dtype=float)


def mean_path_length(graph: Graph, sources: np.ndarray) -> float:
    """Mean shortest-path length from ``sources`` to everyone they can reach (BFS)."""
    total, count = 0.0, 0
    a = graph.to_scipy()
    for chunk in np.array_split(sources, max(1, len(sources) // 4)):
        dist = shortest_path(a, method="D", unweighted=True, directed=False, indices=chunk)
        ok = np.isfinite(dist) & (dist > 0)
        total += dist[ok].sum()
        count += ok.sum()
    return total / count if count else float("nan")


def giant_component_share(graph: Graph) -> float:
    _, labels = connected_components(graph.to_scipy(), directed=False)
    return np.bincount(labels).max() / graph.n


def affinity_assortativity(graph: Graph, affinity: np.ndarray) -> float:
    """Pearson correlation of brand affinity across ties (homophily: > 0)."""
    src = np.repeat(np.arange(graph.n), graph.degrees())
    if len(src) < 2:
        return float("nan")
    return float(np.corrcoef(affinity[src], affinity[graph.indices])[0, 1])


def graph_stats(
    graph: Graph,
    *,
    rng: np.random.Generator,
    affinity: np.ndarray | None = None,
    clustering_sample: int = 2000,
    path_sources: int = 16,
    name: str = "graph",
) -> pd.DataFrame:
    """A table of the graph's statistics (one row per statistic; sampled where marked)."""
    deg = graph.degrees()
    n = graph.n
    cl_nodes = _sample(n, clustering_sample, rng=rng)
    src = _sample(n, path_sources, rng=rng)
    rows = [
        ("people", n, "count"),
        ("friendships", graph.n_edges, "count"),
        ("mean degree", deg.mean() if n else 0.0, "friends per person"),
        ("median degree", float(np.median(deg)) if n else 0.0, "friends per person"),
        ("99th percentile degree", float(np.percentile(deg, 99)) if n else 0.0, "friends"),
        ("max degree", int(deg.max()) if n else 0, "friends"),
        ("average clustering", float(clustering(graph, cl_nodes).mean()) if n else 0.0,
         f"mean over {len(cl_nodes)} people" + (" (all)" if len(cl_nodes) == n else " (sample)")),
        ("mean path length", mean_path_length(graph, src) if graph.n_edges else float("nan"),
         f"BFS from {len(src)} people (sample)"),
        ("giant component share", giant_component_share(graph) if n else 0.0, "share of people"),
    ]
    if affinity is not None:
        rows.append(("affinity assortativity", affinity_assortativity(graph, affinity),
                     "correlation across ties"))
    table = pd.DataFrame(rows, columns=["statistic", "value", "note"])
    table.insert(0, "graph", name)
    return table


# Words that name the two columns of an edge list's header line (compared in lower case).
EDGE_HEADER_WORDS = frozenset({
    "source", "target", "from", "to", "u", "v", "src", "dst", "node1", "node2", "id1", "id2",
    "person1", "person2", "node_1", "node_2", "a", "b", "i", "j", "friend1", "friend2"})


def _is_number(x: str) -> bool:
    try:
        float(x)
    except ValueError:
        return False
    return True


def read_edge_list(path) -> Graph:
    """A friendship graph from a text file of ties, one ``u v`` pair a line.

    Ids may be any labels without spaces (numbers or names); pairs may be separated by spaces,
    tabs or a comma; blank lines and lines starting with ``#`` are skipped, and so is a header
    line (its first line, when it names the columns, e.g. ``source,target``, or holds two words
    above ties that are all numbers). A UTF-8 byte-order mark is ignored. Ties are undirected;
    duplicates and self-loops are dropped. Bad input raises InputError naming the file and line.
    """
    from pathlib import Path

    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a folder, expected a text file of ties 'u v'")
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.replace(",", " ").split()
        if len(parts) != 2:
            raise InputError(f"{p}, line {number}: expected two ids (a tie 'u v'), got {line[:60]!r}")
        pairs.append(parts)
    if pairs and not any(_is_number(x) for x in pairs[0]) and (
            all(x.lower() in EDGE_HEADER_WORDS for x in pairs[0])
            or (len(pairs) > 1 and all(_is_number(x) for pair in pairs[1:] for x in pair))):
        pairs = pairs[1:]  # a header line names the columns; it is not a tie
    if not pairs:
        raise InputError(f"{p}: no ties found (expected lines 'u v')")
    ids: dict[str, int] = {}
    u = np.empty(len(pairs), dtype=np.int64)
    v = np.empty(len(pairs), dtype=np.int64)
    for k, (a, b) in enumerate(pairs):
        u[k] = ids.setdefault(a, len(ids))
        v[k] = ids.setdefault(b, len(ids))
    return Graph.from_edges(u, v, len(ids), labels=tuple(ids))
