"""Load the real data sets (fetched by ``make data``) as tidy Python objects.

- SNAP ego-Facebook: :func:`load_snap_networkx` (a networkx Graph) or :func:`load_snap_csr`
  (a symmetric ``scipy.sparse.csr_array``; the engine wraps it with
  ``analysis.engine.graphs.Graph.from_scipy``).
- UCI Facebook metrics: :func:`load_uci_metrics` (a pandas DataFrame, one row per post).
- Kickstarter 2009-2010: :func:`load_kickstarter` (a pandas DataFrame, one row per project).

The files are read from :func:`analysis.paths.raw_dir` (or ``dest=``) and verified against
their sha256 on every use (cached while the file is unchanged): when a file is absent or fails
its checksum each loader raises :class:`~analysis.errors.InputError` naming the file and
``make data``; use :func:`snap_available` / :func:`uci_available` (present and verified) to
choose synthetic defaults instead.
"""

from __future__ import annotations

import os

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.datasets import registry as datasets
from analysis.errors import InputError

SNAP = "snap_ego_facebook"
UCI = "uci_facebook_metrics"
KICKSTARTER = "kickstarter_2009_2010"

# UCI header -> tidy snake_case name. "fan_" = among people who like the page.
UCI_COLUMNS = {
    "Page total likes": "page_total_likes",
    "Type": "post_type",
    "Category": "category",
    "Post Month": "post_month",
    "Post Weekday": "post_weekday",
    "Post Hour": "post_hour",
    "Paid": "paid",
    "Lifetime Post Total Reach": "reach",
    "Lifetime Post Total Impressions": "impressions",
    "Lifetime Engaged Users": "engaged_users",
    "Lifetime Post Consumers": "consumers",
    "Lifetime Post Consumptions": "consumptions",
    "Lifetime Post Impressions by people who have liked your Page": "fan_impressions",
    "Lifetime Post reach by people who like your Page": "fan_reach",
    "Lifetime People who have liked your Page and engaged with your post": "engaged_fans",
    "comment": "comments",
    "like": "likes",
    "share": "shares",
    "Total Interactions": "total_interactions",
}
POST_TYPES = ["photo", "status", "link", "video"]


def _path(name: str, dest) -> os.PathLike:
    """The data file, verified against its sha256 now (InputError if absent or failing)."""
    return datasets.verified_path(name, dest)


def snap_available(dest=None) -> bool:
    """True when the SNAP ego-Facebook edge list is present and verified (its sha256 matches)."""
    return datasets.is_verified(SNAP, dest)


def uci_available(dest=None) -> bool:
    """True when the UCI Facebook metrics CSV is present and verified (its sha256 matches)."""
    return datasets.is_verified(UCI, dest)


def kickstarter_available(dest=None) -> bool:
    """True when the Kickstarter 2009-2010 CSV is present and verified (its sha256 matches)."""
    return datasets.is_verified(KICKSTARTER, dest)


def load_snap_edges(dest=None) -> np.ndarray:
    """The SNAP edge list as an (m, 2) int32 array, one undirected friendship a row.

    Rows are as in the file (88,234 of them, u < v); people are numbered 0..4038.
    """
    path = _path(SNAP, dest)
    edges = pd.read_csv(path, sep=" ", header=None, names=["u", "v"], dtype=np.int32)
    if edges.isna().any().any() or (edges.to_numpy() < 0).any():
        raise InputError(f"{path}: expected two non-negative integer ids a line")
    return edges.to_numpy(dtype=np.int32)


def load_snap_csr(dest=None):
    """The SNAP graph as a symmetric ``scipy.sparse.csr_array`` (n x n, n = 4,039).

    Entries are 1 (int8) for each friendship, stored in both directions; no self-loops, no
    duplicates; ``indices`` and ``indptr`` are int32. Wrap it for the engine with
    ``analysis.engine.graphs.Graph.from_scipy(load_snap_csr())``.
    """
    edges = load_snap_edges(dest)
    edges = edges[edges[:, 0] != edges[:, 1]]  # no self-loops (there are none in the file)
    n = int(edges.max()) + 1
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    m = sp.coo_array((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n)).tocsr()
    m.sum_duplicates()
    m.data[:] = 1  # a duplicated line would otherwise count twice
    m.indices = m.indices.astype(np.int32, copy=False)
    m.indptr = m.indptr.astype(np.int32, copy=False)
    return m


def load_snap_networkx(dest=None):
    """The SNAP graph as an undirected ``networkx.Graph`` with nodes 0..4038."""
    edges = load_snap_edges(dest)
    g = nx.Graph(name="SNAP ego-Facebook (McAuley & Leskovec 2012)")
    g.add_nodes_from(range(int(edges.max()) + 1))
    g.add_edges_from(edges.tolist())
    g.remove_edges_from(nx.selfloop_edges(g))
    return g


def load_uci_metrics(dest=None) -> pd.DataFrame:
    """The UCI Facebook metrics table: 500 posts of one brand page in 2014, one row a post.

    Columns (snake_case, see ``UCI_COLUMNS`` for the original headers): page_total_likes
    (fans of the page when posted), post_type (category: photo, status, link, video),
    category (the authors' content code 1-3, kept as given), post_month, post_weekday,
    post_hour, paid (nullable boolean: True for a paid/boosted post), then lifetime counts:
    reach and impressions (everyone), engaged_users and consumers (people who clicked
    anywhere), consumptions (clicks), fan_impressions, fan_reach and engaged_fans (among the
    page's fans), comments, likes, shares, total_interactions (= comments + likes + shares).
    Counts are nullable integers (``Int64``): the few empty cells are ``<NA>``, never 0.
    """
    return parse_uci_metrics(_path(UCI, dest))


def parse_uci_metrics(path) -> pd.DataFrame:
    """The table of :func:`load_uci_metrics` parsed from ``path`` (no checksum: any copy)."""
    raw = pd.read_csv(path, sep=";")
    missing = [c for c in UCI_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    df = raw[list(UCI_COLUMNS)].rename(columns=UCI_COLUMNS)
    for col in df.columns:
        if col in ("post_type", "paid"):
            continue
        df[col] = pd.to_numeric(df[col], errors="raise").round().astype("Int64")
    kind = df["post_type"].astype(str).str.strip().str.lower()
    unknown = ~kind.isin(POST_TYPES)
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(
            f"{path}: row {row + 2} column Type is {raw['Type'].iloc[row]!r}; "
            f"expected one of {', '.join(t.title() for t in POST_TYPES)}"
        )
    df["post_type"] = pd.Categorical(kind, categories=POST_TYPES)
    paid = pd.to_numeric(df["paid"], errors="raise")
    bad = paid.notna() & ~paid.isin([0, 1])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{path}: row {row + 2} column Paid is {paid.iloc[row]!r}; expected 0 or 1")
    df["paid"] = paid.astype("boolean")
    return df


# Kickstarter header -> tidy snake_case name (the sample's added %funded and launchedNumeric
# are left out: ``ratio`` is pledged / goal, computed here).
KICKSTARTER_COLUMNS = {
    "ID": "id",
    "name": "name",
    "category": "category",
    "main_category": "main_category",
    "currency": "currency",
    "deadline": "deadline",
    "goal": "goal",
    "launched": "launched",
    "pledged": "pledged",
    "state": "state",
    "backers": "backers",
    "country": "country",
    "usd_pledged_real": "usd_pledged",
    "usd_goal_real": "usd_goal",
    "duration(Days)": "duration_days",
}
KICKSTARTER_STATES = ["successful", "failed", "canceled", "live", "suspended", "undefined"]


def load_kickstarter(dest=None) -> pd.DataFrame:
    """The first 9,999 Kickstarter projects (21 Apr 2009 - 16 Nov 2010), one row a project.

    Columns: id, name, category, main_category, currency, deadline (date; the file's dd-mm-yy),
    goal and pledged (in the project's currency: all USD here), launched (timestamp; the file's
    dd-mm-yy HH:MM), state (category: successful, failed, canceled, ...), backers, country,
    usd_pledged and usd_goal (the data set's USD conversions), duration_days, and
    ``ratio = pledged / goal`` (1.0 = exactly the goal). Kickstarter is all or nothing: a
    project is paid only if ``ratio >= 1`` by the deadline. Licence CC BY-NC-SA 4.0.
    """
    return parse_kickstarter(_path(KICKSTARTER, dest))


def parse_kickstarter(path) -> pd.DataFrame:
    """The Kickstarter table from a CSV at ``path`` (no checksum check: see
    :func:`load_kickstarter`); a bad cell is one line naming its row and column."""
    raw = pd.read_csv(path, sep=",", dtype={"ID": "int64", "name": "string"})
    missing = [c for c in KICKSTARTER_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    df = raw[list(KICKSTARTER_COLUMNS)].rename(columns=KICKSTARTER_COLUMNS)
    for col, fmt in (("deadline", "%d-%m-%y"), ("launched", "%d-%m-%y %H:%M")):
        parsed = pd.to_datetime(df[col], format=fmt, errors="coerce")
        if parsed.isna().any():
            row = int(np.flatnonzero(parsed.isna().to_numpy())[0])
            raise InputError(f"{path}: row {row + 2} column {col} is {df[col].iloc[row]!r}; "
                             f"expected a date like {'31-05-09' if col == 'deadline' else '21-04-09 21:02'}")
        df[col] = parsed
    for col in ("goal", "pledged", "usd_pledged", "usd_goal", "duration_days"):
        df[col] = pd.to_numeric(df[col], errors="raise").astype(float)
    df["backers"] = pd.to_numeric(df["backers"], errors="raise").astype("int64")
    bad = ~(df["goal"] > 0)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{path}: row {row + 2} column goal is {raw['goal'].iloc[row]!r}; "
                         "expected a positive amount")
    state = df["state"].astype(str).str.strip().str.lower()
    unknown = ~state.isin(KICKSTARTER_STATES)
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(f"{path}: row {row + 2} column state is {raw['state'].iloc[row]!r}; "
                         f"expected one of {', '.join(KICKSTARTER_STATES)}")
    df["state"] = pd.Categorical(state, categories=KICKSTARTER_STATES)
    for col in ("category", "main_category", "currency", "country"):
        df[col] = df[col].astype("category")
    df["ratio"] = df["pledged"] / df["goal"]
    return df
