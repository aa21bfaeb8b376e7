"""Who brought whom: referral trees of one campaign.

A like that came through a friend's share has a referrer (``CampaignResult.fans["referrer"]``,
a person id). Following referrers back gives trees; each tree is named by its root, the first
liker in the chain (a like from the email or the page). A like nobody referred and that referred
nobody is a tree of one.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

SIZE_BINS = (0, 1, 2, 5, 10, np.inf)
SIZE_LABELS = ("1", "2", "3-5", "6-10", "11+")


def referral_forest(fans: pd.DataFrame) -> nx.DiGraph:
    """The referral edges of ``fans`` (a campaign's fans table) as a directed forest."""
    ref = fans.loc[fans["referrer"] >= 0]
    tree = nx.DiGraph()
    tree.add_edges_from(zip(ref["referrer"], ref["person"], strict=True))
    return tree


def tree_sizes(fans: pd.DataFrame) -> pd.Series:
    """Likes in each referral tree, indexed by the root's person id (bots excluded).

    Every human like belongs to exactly one tree, so the sizes add up to the human likes.
    """
    tree = referral_forest(fans)
    roots = [v for v in tree.nodes if tree.in_degree(v) == 0]
    sizes = pd.Series({r: len(nx.descendants(tree, r)) + 1 for r in roots}, dtype=int)
    # likes in no tree yet (no referrer, referred no one) are trees of one; compare person ids
    # with person ids (not the fans table's row numbers, which double-counted 39 trees)
    humans = fans.loc[fans["label"] != "bot", "person"]
    alone = pd.Index(humans[~humans.isin(list(tree.nodes))].to_numpy())
    return pd.concat([sizes, pd.Series(1, index=alone, dtype=int)]).sort_index()


def size_table(sizes: pd.Series) -> pd.DataFrame:
    """Trees and their likes by tree size (1, 2, 3-5, 6-10, 11+): tree_size, trees, likes."""
    bins = pd.cut(sizes, list(SIZE_BINS), labels=list(SIZE_LABELS))
    trees = bins.value_counts().sort_index()
    likes = sizes.groupby(bins, observed=False).sum().reindex(trees.index)
    return pd.DataFrame({"tree_size": trees.index.astype(str), "trees": trees.to_numpy(),
                         "likes": likes.to_numpy()})


def shares(sizes: pd.Series) -> dict:
    """What the trees say about spreading (``sizes``: :func:`tree_sizes`).

    trees_alone: share of trees that are a single like (a like that brought no one and came
    from no one); likes_direct: share of likes that came straight from the email or the page
    (each tree has one such root), not through a friend's share.
    """
    if not len(sizes):
        return {"trees": 0, "likes": 0, "trees_alone": float("nan"), "likes_direct": float("nan")}
    return {"trees": len(sizes), "likes": int(sizes.sum()),
            "trees_alone": float((sizes == 1).mean()),
            "likes_direct": float(len(sizes) / sizes.sum())}


def largest_tree(fans: pd.DataFrame) -> tuple[nx.DiGraph | None, dict]:
    """The biggest referral tree and a layered layout (root on top, one row per step)."""
    tree = referral_forest(fans)
    roots = [v for v in tree.nodes if tree.in_degree(v) == 0]
    if not roots:
        return None, {}
    biggest = max(roots, key=lambda r: len(nx.descendants(tree, r)))
    sub = tree.subgraph(nx.descendants(tree, biggest) | {biggest})
    depth = nx.single_source_shortest_path_length(sub, biggest)
    by_depth: dict[int, list] = {}
    for v, d in sorted(depth.items(), key=lambda kv: (kv[1], kv[0])):
        by_depth.setdefault(d, []).append(v)
    layout = {v: (i - (len(vs) - 1) / 2, -d) for d, vs in by_depth.items() for i, v in enumerate(vs)}
    return sub, layout
