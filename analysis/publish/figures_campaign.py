"""The charts of notebook 01 (the campaign): each function takes the numbers and returns the
figure (and, where the chart draws more than its input table, the data frame behind it).

The notebook gives each figure its takeaway title, alt text and source line through
:func:`analysis.publish.charts.save_chart`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from analysis.publish.charts import COLOURS, PALETTE

STATUS_COLOURS = {"did not like": "#dddddd", "open-eyed like": COLOURS["open_eyed"],
                  "closed-eyed like": COLOURS["closed_eyed"]}


def like_status(result) -> np.ndarray:
    """Each person's status in a campaign: did not like, open-eyed like or closed-eyed like."""
    status = np.full(result.graph.n, "did not like", dtype=object)
    for label, person in result.fans[["label", "person"]].itertuples(index=False):
        if person >= 0:
            status[person] = {"open_eyed": "open-eyed like", "closed_eyed": "closed-eyed like"}[label]
    return status


def small_network(result, *, seed: int):
    """A small campaign drawn whole: people coloured by why they liked, referral arrows.

    Returns (figure, data: person, status, affinity, warmth).
    """
    g = result.graph.to_networkx()
    status = like_status(result)
    g = g.subgraph(max(nx.connected_components(g), key=len)).copy()
    pos = nx.spring_layout(g, seed=seed, k=0.25)
    fig, ax = plt.subplots(figsize=(6.5, 5.2))
    nx.draw_networkx_edges(g, pos, ax=ax, edge_color="#cccccc", width=0.6)
    ref = result.referral_edges()
    ref = ref[ref["referrer"].isin(pos) & ref["person"].isin(pos)]
    nx.draw_networkx_edges(nx.DiGraph(list(zip(ref["referrer"], ref["person"], strict=True))), pos,
                           ax=ax, edge_color="black", width=1.6, arrows=True, arrowsize=9)
    for name, c in STATUS_COLOURS.items():
        nodes = [i for i in g.nodes if status[i] == name]
        nx.draw_networkx_nodes(g, pos, nodelist=nodes, node_color=c, node_size=55, ax=ax,
                               label=f"{name} ({len(nodes)})")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.01), ncols=3, fontsize=9)
    ax.set_axis_off()
    data = pd.DataFrame({"person": range(result.graph.n), "status": status,
                         "affinity": result.people.affinity, "warmth": result.people.warmth})
    return fig, data


def likes_over_days(bands: pd.DataFrame, target: int):
    """Fan chart of cumulative likes (``outcomes.likes_bands``) against the target."""
    fig, ax = plt.subplots()
    blue = COLOURS["open_eyed"]
    ax.fill_between(bands["day"], bands["p05"], bands["p95"], color=blue, alpha=0.18,
                    label="90% of runs")
    ax.fill_between(bands["day"], bands["p25"], bands["p75"], color=blue, alpha=0.35,
                    label="50% of runs")
    ax.plot(bands["day"], bands["median"], color=blue, label="median, with the pledge")
    ax.plot(bands["day"], bands["median_no_pledge"], color=PALETTE["grey"], ls="-.",
            label="median, same people without the pledge")
    ax.axhline(target, color=COLOURS["target"], ls="--", lw=1.2, label=f"target, {target:,} likes")
    ax.set_xlabel("day of the campaign")
    ax.set_ylabel("likes so far")
    ax.set_ylim(0, max(bands["p95"].max(), target) * 1.32)
    ax.legend(loc="upper left", ncols=2, fontsize=8.5)
    return fig


def p_target_reached(curve: pd.DataFrame, target: int):
    """P(target reached) against the target (``outcomes.target_curve``), the scenario's marked."""
    blue = COLOURS["open_eyed"]
    fig, ax = plt.subplots()
    ax.fill_between(curve["target"], curve["ci_low"] * 100, curve["ci_high"] * 100,
                    color=blue, alpha=0.25, label="95% interval")
    ax.plot(curve["target"], curve["p_reached"] * 100, color=blue, label="P(target reached)")
    ax.axvline(target, color=COLOURS["target"], ls="--", lw=1,
               label=f"the scenario's target, {target:,}")
    ax.set_xlabel("target (likes)")
    ax.set_ylabel("chance the cheque is paid (%)")
    ax.legend(loc="lower left", fontsize=9)
    return fig


def what_it_buys(money: pd.DataFrame):
    """Bars of the advertised price, paid per like and per open-eyed like (``outcomes.money_table``)."""
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    bar_colours = [PALETTE["grey"], COLOURS["open_eyed"], COLOURS["closed_eyed"]]
    ax.barh(money["measure"], money["gbp"].fillna(0), color=bar_colours)
    for y, v in enumerate(money["gbp"]):
        ax.text((0 if np.isnan(v) else v) + 0.1, y, "not paid" if np.isnan(v) else f"GBP {v:.2f}",
                va="center")
    ax.invert_yaxis()
    ax.set_xlabel("GBP")
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, np.nanmax(money["gbp"]) * 1.25)
    return fig


def referral_trees(table: pd.DataFrame, tree, layout: dict, labels: pd.Series):
    """Left: trees by size (``referrals.size_table``). Right: the largest tree, coloured by label.

    tree, layout: ``referrals.largest_tree``; labels: person id -> like label.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.5, 3.6), width_ratios=[1, 1.2])
    ax1.bar(table["tree_size"].astype(str), table["trees"], color=COLOURS["open_eyed"])
    ax1.set_xlabel("likes in the tree")
    ax1.set_ylabel("trees")
    if tree is not None:
        cols = [COLOURS["open_eyed"] if labels.get(v) == "open_eyed" else COLOURS["closed_eyed"]
                for v in tree.nodes]
        nx.draw(tree, layout, ax=ax2, node_size=40, node_color=cols, edge_color="#888888",
                arrows=False)
        ax2.set_title(f"largest tree: {tree.number_of_nodes()} likes", fontsize=10)
    return fig


def graphs_compared(ccdf: pd.DataFrame):
    """Log-log share of people with at least each degree, one line per graph (``degree_ccdf``)."""
    fig, ax = plt.subplots()
    names = list(dict.fromkeys(ccdf["graph"]))
    for name, colour in zip(names, [PALETTE["black"], COLOURS["open_eyed"]][-len(names):],
                            strict=True):
        part = ccdf[ccdf["graph"] == name]
        ax.loglog(part["degree"], part["share_at_least"], color=colour, label=name)
    ax.set_xlabel("friends (degree)")
    ax.set_ylabel("share of people with at least that many")
    ax.legend()
    return fig
