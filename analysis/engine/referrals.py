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
    direct = fans[(fans["label"] != "bot") & (fans["referrer"] < 0)]
    return pd.concat([sizes, pd.Series(1, index=direct.index.difference(sizes.index))])


def size_table(sizes: pd.Series) -> pd.DataFrame:
    """Trees by tree size (1, 2, 3-5, 6-10, 11+): columns tree_size, trees."""
    return (pd.cut(sizes, list(SIZE_BINS), labels=list(SIZE_LABELS))
            .value_counts().sort_index().rename_axis("tree_size").reset_index(name="trees"))


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
