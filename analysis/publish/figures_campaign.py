"""The charts of notebook 01 (the campaign): each function takes the numbers and returns
``(figure, data, alt)``: the figure, the table behind it (written as the chart's CSV) and alt
text computed from that same table, so the description never claims what is not drawn.

The notebook gives each figure its takeaway title and source line through
:func:`analysis.publish.charts.save_chart`. The ``*_sentence`` functions at the end write the
notebook's computed sentences from the numbers they are given.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from analysis.engine.outcomes import even_target
from analysis.formats import gbp, pct
from analysis.publish.charts import COLOURS, PALETTE, gbp_ticks, pct_ticks, plain_ticks

STATUS_COLOURS = {"did not like": "#dddddd", "open-eyed like": COLOURS["open_eyed"],
                  "closed-eyed like": COLOURS["closed_eyed"]}
FRIENDSHIP_GREY = "#cccccc"


def like_status(result) -> np.ndarray:
    """Each person's status in a campaign: did not like, open-eyed like or closed-eyed like."""
    status = np.full(result.graph.n, "did not like", dtype=object)
    names = {"open_eyed": "open-eyed like", "closed_eyed": "closed-eyed like"}
    for label, person in result.fans[["label", "person"]].itertuples(index=False):
        if person >= 0:
            status[person] = names[label]
    return status


def small_network(result, *, seed: int):
    """A small campaign drawn whole (its largest connected group): people coloured by why they
    liked, friendships in grey, referral arrows (who brought whom) in black when there are any.

    data: person, status, affinity, warmth, drawn (in the largest connected group).
    """
    g = result.graph.to_networkx()
    status = like_status(result)
    g = g.subgraph(max(nx.connected_components(g), key=len)).copy()
    pos = nx.spring_layout(g, seed=seed, k=0.25)
    fig, ax = plt.subplots(figsize=(6.5, 5.2))
    nx.draw_networkx_edges(g, pos, ax=ax, edge_color=FRIENDSHIP_GREY, width=0.6)
    ref = result.referral_edges()
    ref = ref[ref["referrer"].isin(pos) & ref["person"].isin(pos)]
    if len(ref):
        nx.draw_networkx_edges(nx.DiGraph(list(zip(ref["referrer"], ref["person"], strict=True))),
                               pos, ax=ax, edge_color="black", width=1.6, arrows=True, arrowsize=9)
    counts = {}
    for name, c in STATUS_COLOURS.items():
        nodes = [i for i in g.nodes if status[i] == name]
        counts[name] = len(nodes)
        nx.draw_networkx_nodes(g, pos, nodelist=nodes, node_color=c, node_size=55, ax=ax,
                               label=f"{name} ({len(nodes)})")
    handles, _ = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], color=FRIENDSHIP_GREY, lw=1.2, label="friendship"))
    if len(ref):
        handles.append(Line2D([], [], color="black", lw=1.6, marker=">", markersize=5,
                              label=f"referral: who brought whom ({len(ref)})"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.01), ncols=2, fontsize=9)
    ax.set_axis_off()
    data = pd.DataFrame({"person": range(result.graph.n), "status": status,
                         "affinity": result.people.affinity, "warmth": result.people.warmth,
                         "drawn": np.isin(np.arange(result.graph.n), list(g.nodes))})
    alt = (f"Network drawing of the {g.number_of_nodes()} people in the largest connected group "
           f"of a {result.graph.n}-person simulated network, with their "
           f"{g.number_of_edges()} friendships as grey lines: "
           f"{counts['open-eyed like']} open-eyed likes as blue dots, "
           f"{counts['closed-eyed like']} closed-eyed likes as vermillion dots and "
           f"{counts['did not like']} people who did not like as grey dots. "
           + (f"{len(ref)} black arrows show who brought whom through a shared ask."
              if len(ref) else
              "In this run nobody liked through a friend's share, so no referral is drawn."))
    return fig, data, alt


def likes_over_days(bands: pd.DataFrame, target: int, runs: int):
    """Fan chart of cumulative likes (``outcomes.likes_bands``) against the target, days
    numbered 1 to the campaign's last day. data: the bands with ``campaign_day``."""
    data = bands.assign(campaign_day=bands["day"] + 1)
    x = data["campaign_day"]
    fig, ax = plt.subplots()
    blue = COLOURS["open_eyed"]
    ax.fill_between(x, data["p05"], data["p95"], color=blue, alpha=0.18, label="90% of runs")
    ax.fill_between(x, data["p25"], data["p75"], color=blue, alpha=0.35, label="50% of runs")
    ax.plot(x, data["median"], color=blue, label="median run, with the pledge")
    ax.plot(x, data["median_no_pledge"], color=PALETTE["grey"], ls="-.",
            label="median run, same people without the pledge")
    ax.axhline(target, color=COLOURS["target"], ls="--", lw=1.2, label=f"target, {target:,} likes")
    ax.set_xlabel("day of the campaign")
    ax.set_xticks(x)
    ax.set_xlim(x.min(), x.max())
    ax.set_ylabel("likes so far")
    plain_ticks(ax.yaxis)
    ax.set_ylim(0, max(data["p95"].max(), target) * 1.32)
    ax.legend(loc="upper left", ncols=2, fontsize=8.5)
    end = data.iloc[-1]
    alt = (f"Fan chart of cumulative likes over the {int(x.max())} days of {runs:,} simulated "
           f"campaigns. With the pledge the median run ends at {end['median']:,.0f} likes "
           f"(90% of runs between {end['p05']:,.0f} and {end['p95']:,.0f}) against a target of "
           f"{target:,}. The same people without the pledge rise steadily, from "
           f"{data['median_no_pledge'].iloc[0]:,.0f} likes on day 1 to a median of "
           f"{end['median_no_pledge']:,.0f} on day {int(x.max())}.")
    return fig, data, alt


def p_target_reached(curve: pd.DataFrame, target: int, p_at_target: float):
    """P(target reached) against the target (``outcomes.target_curve``), the scenario's target
    marked (``p_at_target``: its probability, from the same runs)."""
    blue = COLOURS["open_eyed"]
    fig, ax = plt.subplots()
    ax.fill_between(curve["target"], curve["ci_low"], curve["ci_high"],
                    color=blue, alpha=0.25, label="95% interval (Monte Carlo error)")
    ax.plot(curve["target"], curve["p_reached"], color=blue, label="P(target reached)")
    ax.axvline(target, color=COLOURS["target"], ls="--", lw=1,
               label=f"the scenario's target, {target:,} likes")
    ax.set_xlabel("target (likes)")
    plain_ticks(ax.xaxis)
    ax.set_ylabel("chance the cheque is paid")
    pct_ticks(ax.yaxis)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left", fontsize=9)
    even = even_target(curve)
    first, last = curve.iloc[0], curve.iloc[-1]
    alt = (f"Line chart: the chance that the target is reached falls from "
           f"{pct(first['p_reached'])} at a target of {first['target']:,.0f} likes to "
           f"{pct(last['p_reached'])} at {last['target']:,.0f} likes"
           + (f"; it is still at least 50% up to about {even:,.0f} likes" if np.isfinite(even)
              else "; it is below 50% everywhere")
           + f". At the scenario's target of {target:,} likes it is {pct(p_at_target)}.")
    return fig, curve, alt


def what_it_buys(headline):
    """What GBP 2.50 a like buys (``engine.headline.Headline``): the advertised price, the price
    of an open-eyed like at that price, and what the runs that paid actually paid for each."""
    h = headline
    data = pd.DataFrame({
        "measure": ["advertised price per like",
                    "per open-eyed like, at the advertised price",
                    "paid per like, runs that reached the target",
                    "paid per open-eyed like, runs that reached the target"],
        "gbp": [h.price_per_like, h.cost_per_open_eyed_like, h.paid_cost_per_like,
                h.paid_cost_per_open_eyed_like],
        "closed_eyes_share": [np.nan, h.closed_eyes_share, np.nan, h.paid_closed_eyes_share],
        "runs": [np.nan, h.runs, h.runs_paid, h.runs_paid]})
    colours = [PALETTE["grey"], COLOURS["open_eyed"], "#cccccc", PALETTE["sky"]]
    labels = [m.replace(", ", ",\n") + ": " + (gbp(v) if np.isfinite(v) else "no run paid")
              for m, v in zip(data["measure"], data["gbp"], strict=True)]
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    ax.barh(labels, data["gbp"].fillna(0), color=colours)
    ax.tick_params(axis="y", labelsize=9.5)
    ax.invert_yaxis()
    ax.set_xlabel("price")
    gbp_ticks(ax.xaxis)
    ax.grid(axis="y", visible=False)
    alt = (f"Bar chart of four prices. At the advertised {gbp(h.price_per_like)} per like, "
           f"with {pct(h.closed_eyes_share, 1)} of likes closed-eyed, an open-eyed like costs "
           f"{gbp(h.cost_per_open_eyed_like)}. In the {h.runs_paid} of {h.runs} runs that "
           f"reached the target the cheque was spread over more likes: "
           f"{gbp(h.paid_cost_per_like)} per like and {gbp(h.paid_cost_per_open_eyed_like)} "
           f"per open-eyed like.")
    return fig, data, alt


def referral_trees(table: pd.DataFrame, tree, layout: dict, labels: pd.Series):
    """Left: likes by the size of their referral tree (``referrals.size_table``). Right: the
    largest tree, coloured by why each person liked.

    tree, layout: ``referrals.largest_tree``; labels: person id -> like label.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.5, 3.8), width_ratios=[1, 1.2])
    ax1.bar(table["tree_size"].astype(str), table["likes"], color=PALETTE["grey"])
    ax1.set_xlabel("likes in the tree")
    ax1.set_ylabel("likes")
    plain_ticks(ax1.yaxis)
    likes, trees = int(table["likes"].sum()), int(table["trees"].sum())
    alone = int(table.loc[table["tree_size"] == "1", "likes"].sum())
    alt = (f"Left: bar chart of {likes:,} likes by the size of their referral tree; "
           f"{alone:,} likes ({pct(alone / likes if likes else 0)}) are trees of one, a like "
           f"that brought no one, and {trees:,} trees in all. ")
    ax2.set_axis_off()
    if tree is not None:
        kinds = [labels.get(v) for v in tree.nodes]
        cols = [COLOURS["open_eyed"] if k == "open_eyed" else COLOURS["closed_eyed"]
                for k in kinds]
        nx.draw(tree, layout, ax=ax2, node_size=40, node_color=cols, edge_color="#888888",
                arrows=False)
        ax2.set_title(f"largest tree: {tree.number_of_nodes()} likes", fontsize=10)
        n_open = sum(k == "open_eyed" for k in kinds)
        ax2.legend(handles=[
            Line2D([], [], ls="", marker="o", color=COLOURS["open_eyed"], label="open-eyed like"),
            Line2D([], [], ls="", marker="o", color=COLOURS["closed_eyed"],
                   label="closed-eyed like"),
            Line2D([], [], color="#888888", label="brought (top to bottom)")],
            loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=8, ncols=1)
        alt += (f"Right: the largest tree, {tree.number_of_nodes()} likes drawn from its first "
                f"liker down, {n_open} open-eyed (blue) and {tree.number_of_nodes() - n_open} "
                f"closed-eyed (vermillion).")
    else:
        alt += "Right: empty, as no like came through a friend's share."
    return fig, table, alt


def graphs_compared(ccdf: pd.DataFrame):
    """Log-log share of people with at least each degree, one line per graph (``degree_ccdf``)."""
    fig, ax = plt.subplots()
    names = list(dict.fromkeys(ccdf["graph"]))
    facts = []
    for name, colour in zip(names, [PALETTE["black"], COLOURS["open_eyed"]][-len(names):],
                            strict=True):
        part = ccdf[ccdf["graph"] == name]
        ax.loglog(part["degree"], part["share_at_least"], color=colour, label=name)
        d = part["degree"]
        facts.append(f"{name}, {len(d):,} people: median {np.median(d):,.0f} friends, top 1% "
                     f"above {np.percentile(d, 99):,.0f}, most {d.max():,.0f}")
    ax.set_xlabel("friends (degree, log scale)")
    plain_ticks(ax.xaxis)
    ax.set_ylabel("people with at least that many")
    pct_ticks(ax.yaxis)
    ax.legend()
    alt = ("Log-log chart of the share of people with at least a given number of friends: "
           + "; ".join(facts) + ".")
    return fig, ccdf, alt


# --------------------------------------------------------------------------- the notebook's words
def run_sentence(s: dict) -> str:
    """One campaign's outcome in words, from ``CampaignResult.summary()``: likes open- and
    closed-eyed, likes without the pledge, and what the cheque bought (or that it was not paid)."""
    paid = (f"The target was reached, so the cheque of {gbp(s['cheque_paid'], 0)} was paid: "
            f"{gbp(s['cost_per_like'])} per like but {gbp(s['cost_per_open_eyed_like'])} per "
            "open-eyed like." if s["target_reached"] else
            "The target was missed, so nothing was paid and the charity received nothing.")
    return (f"With {s['population']:,} people and a target of {s['target']:,} likes, this run "
            f"gathered **{s['likes']:,} likes** in {s['days']} days: {s['open_eyed_likes']:,} "
            f"open-eyed and {s['closed_eyed_likes']:,} closed-eyed, a closed-eyes share of "
            f"**{pct(s['closed_eyes_share'])}**. Without the pledge the same people would have "
            f"given {s['likes_without_pledge']:,} likes. " + paid)


def runs_sentence(h, shares: pd.Series) -> str:
    """The Monte Carlo's closed-eyes share (mean and 90% range of the runs' ``shares``) and what
    the cheque bought, from a ``Headline`` ``h`` of the same runs."""
    share = shares.astype(float)
    return (f"Across {h.runs} runs the closed-eyes share averaged **{pct(h.closed_eyes_share)}** "
            f"(90% of runs between {pct(share.quantile(0.05))} and {pct(share.quantile(0.95))}), "
            f"so at the advertised {gbp(h.price_per_like)} an open-eyed like costs "
            f"**{gbp(h.cost_per_open_eyed_like)}**. {h.runs_paid} runs reached the target; they "
            f"gathered more likes than the target, so their cheques bought likes at "
            f"{gbp(h.paid_cost_per_like)} and open-eyed likes at "
            f"{gbp(h.paid_cost_per_open_eyed_like)} (all cheques over all likes). The charity "
            f"received {gbp(h.charity_receives_mean, 0)} on average: its return does not depend "
            "on why people liked.")


def graphs_sentence(stats: pd.DataFrame, campaigns: pd.DataFrame, *, runs: int, target: int,
                    real: bool) -> str:
    """Clustering of each graph (``graph_calibration.stats_table``), the closed-eyes share and
    the 90% range of likes of ``runs`` campaigns on each (``outcomes.campaigns_on_graphs``, with
    ``target``), and, when the first graph is a ``real`` one, how much more clustered it is than
    the last."""
    cl = stats.loc["average clustering"]
    return ("Average clustering: " + ", ".join(f"{k} {v:.2f}" for k, v in cl.items()) + ". "
            f"Over {runs} campaigns on each graph (target {target:,} likes), the mean "
            "closed-eyes share was "
            + ", ".join(f"{k} {pct(v)}" for k, v in campaigns["closed_eyes_share"].items())
            + " and likes ranged (90% of runs) "
            + ", ".join(f"{k} {r['likes_p05']:,.0f}-{r['likes_p95']:,.0f}"
                        for k, r in campaigns.iterrows())
            + ". " + (f"The real graph is {cl.iloc[0] / cl.iloc[-1]:.1f} times as clustered as "
                      "the synthetic one of the same size." if real else ""))
