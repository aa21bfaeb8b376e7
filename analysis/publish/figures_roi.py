"""The charts of notebook 03 (audience against connection): each function takes the numbers and
returns the figure (and, where the chart draws more than its input table, the data behind it).

The notebook gives each figure its takeaway title, alt text and source line through
:func:`analysis.publish.charts.save_chart`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from analysis.formats import gbp, pct
from analysis.publish.charts import COLOURS, PALETTE
from analysis.roi import valuelaws

AUD, CON = COLOURS["audience"], COLOURS["connection"]
COMPONENT_COLOURS = {"open-eyed fans' engagements": AUD,
                     "members and word-of-mouth adopters as fans": CON,
                     "ties among members": PALETTE["sky"], "co-created outputs": PALETTE["purple"]}
LAW_COLOURS = {"sarnoff": AUD, "odlyzko-tilly": PALETTE["sky"], "metcalfe": PALETTE["purple"],
               "reed": PALETTE["vermillion"]}


def broadcast_vs_network(n_open: int, n_closed: int, picture, *, seed: int):
    """Left: a star of ``n_open`` + ``n_closed`` fans around the brand. Right: the members of
    ``picture`` (``roi.pictures.member_picture``) with friendships and introductions.

    Returns (figure, data: one row per picture with people and ties).
    """
    star = nx.star_graph(n_open + n_closed)  # node 0 is the brand
    star_colours = ["black"] + [COLOURS["open_eyed"]] * n_open + [COLOURS["closed_eyed"]] * n_closed
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.5, 4.0))
    nx.draw(star, nx.spring_layout(star, seed=seed), ax=ax1,
            node_size=[160] + [28] * (len(star) - 1), node_color=star_colours,
            edge_color="#bbbbbb", width=0.7)
    ax1.set_title(f"audience: {len(star) - 1} fans, {star.number_of_edges()} ties, all to the brand",
                  fontsize=9.5)
    g_members, intros = picture.friendships, picture.introductions
    both = g_members.copy()
    both.add_edges_from(map(tuple, intros))
    pos = nx.spring_layout(both, seed=seed, k=0.6)
    nx.draw_networkx_edges(g_members, pos, ax=ax2, edge_color="#999999", width=0.9)
    nx.draw_networkx_edges(nx.Graph(list(map(tuple, intros))), pos, ax=ax2, edge_color=CON,
                           style="dashed", width=1.1)
    nx.draw_networkx_nodes(both, pos, ax=ax2, node_size=28, node_color=COLOURS["open_eyed"])
    ties = picture.measures["ties"]
    ax2.set_title(f"connection: {len(picture.members)} members, {ties} friendships "
                  f"+ {len(intros)} introductions", fontsize=9.5)
    ax2.set_axis_off()
    data = pd.DataFrame({
        "picture": ["audience (star)", "connection (members)"],
        "people": [len(star) - 1, len(picture.members)],
        "ties_among_people": [0, ties + len(intros)],
        "ties_to_brand": [star.number_of_edges(), 0],
        "open_eyed": [n_open, len(picture.members)], "closed_eyed": [n_closed, 0]})
    return fig, data


def roi_audience_vs_connection(components: pd.DataFrame, mc: pd.DataFrame, summary: dict,
                               budget: float):
    """Left: value at the medians by component (``roi.report.value_components``) against the
    budget. Right: histograms of GBP returned per GBP over the Monte Carlo draws ``mc``."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.5, 3.8), width_ratios=[1, 1.3])
    bottom = {"audience": 0.0, "connection": 0.0}
    for r in components.itertuples():
        ax1.bar(r.strategy, r.value_gbp, bottom=bottom[r.strategy],
                color=COMPONENT_COLOURS[r.component], label=r.component)
        bottom[r.strategy] += r.value_gbp
    ax1.axhline(budget, color=COLOURS["target"], ls="--", lw=1)
    ax1.text(-0.4, budget * 1.02, f"budget {gbp(budget, 0)}", fontsize=8, va="bottom")
    ax1.set_ylabel("value at the medians (GBP)")
    ax1.set_ylim(0, budget * 1.15)
    ax1.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.1))
    bins = np.linspace(-3.5, 1.5, 61)  # log10 of value returned per GBP spent
    for who, colour in (("audience", AUD), ("connection", CON)):
        multiple = (mc[f"{who}_value"] / mc[f"{who}_cost"]).clip(lower=10**-3.5, upper=10**1.5)
        ax2.hist(np.log10(multiple), bins=bins, color=colour, alpha=0.55,
                 label=f"{who}, median ROI {pct(summary[who]['roi_median'], signed=True)}")
    ax2.axvline(0, color="black", lw=0.8)
    ax2.text(0.05, ax2.get_ylim()[1] * 0.95, "break-even", fontsize=8, va="top")
    ticks = np.arange(-3, 2)
    ax2.set_xticks(ticks, [f"{10.0**t:g}" for t in ticks])
    ax2.set_xlabel("GBP returned per GBP spent (log scale)")
    ax2.set_ylabel("draws")
    ax2.legend(fontsize=8, loc="upper left")
    return fig


def break_even_map(grid: pd.DataFrame):
    """P(connection beats audience) over closed-eyes share x value per connection
    (``roi.model.break_even_map``), with the 50% and 90% contours and the tie line."""
    P = grid.pivot(index="value_per_connection", columns="closed_eyes_share",
                   values="p_connection_beats_audience")
    G = grid.pivot(index="value_per_connection", columns="closed_eyes_share",
                   values="gap_at_medians")
    fig, ax = plt.subplots(figsize=(6.5, 4.6))
    mesh = ax.pcolormesh(P.columns * 100, P.index, P.values, cmap="cividis", vmin=0, vmax=1,
                         shading="nearest")
    cbar = fig.colorbar(mesh, ax=ax)
    cbar.set_label("P(connection beats audience)")
    cs = ax.contour(P.columns * 100, P.index, P.values, levels=[0.5, 0.9], colors="white",
                    linewidths=1)
    ax.clabel(cs, fmt=lambda x: f"P = {x:.1f}", fontsize=8)
    if (G.values < 0).any() and (G.values > 0).any():
        ax.contour(G.columns * 100, G.index, G.values, levels=[0], colors="black",
                   linestyles="--")
    ax.set_yscale("log")
    ax.set_xlabel("closed-eyes share of likes, s (%)")
    ax.set_ylabel("value per connection (GBP per tie per year)")
    return fig


def tornado(torn: pd.DataFrame):
    """One bar per parameter (``roi.model.tornado``): the ROI gap at its 5th and 95th percentile."""
    fig, ax = plt.subplots(figsize=(6.5, 5.0))
    base = torn["base_gap"].iloc[0]
    labels = torn["parameter"].str.replace("_", " ")
    y = np.arange(len(torn))[::-1]
    lo_gap, hi_gap = torn["gap_at_low"], torn["gap_at_high"]
    ax.barh(y, lo_gap - base, left=base, color=PALETTE["sky"], label="at the 5th percentile")
    ax.barh(y, hi_gap - base, left=base, color=PALETTE["blue"], label="at the 95th percentile")
    ax.axvline(base, color="black", lw=1)
    ax.axvline(0, color=COLOURS["closed_eyed"], lw=1, ls="--")
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("connection ROI minus audience ROI")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="y", visible=False)
    return fig


def value_laws(curve: pd.DataFrame, fit: dict, laws: pd.DataFrame, law_sens: pd.DataFrame):
    """Left: the kit's V(n), its fitted power law and the four laws through the pilot
    (``laws``: ``roi.report.law_curves``). Right: connection's median GBP back per GBP under
    each law (``roi.model.law_sensitivity``)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.5, 3.8), width_ratios=[1.4, 1])
    ax1.loglog(curve["members"], curve["value"], "o", color=CON, label="kit's model V(n)")
    ax1.loglog(curve["members"], np.exp(fit["intercept"]) * curve["members"] ** fit["exponent"],
               color=CON, lw=1, label=f"fit: n^{fit['exponent']:.2f}")
    for law, colour in LAW_COLOURS.items():
        vals = laws.loc[laws["law"] == law, "value_through_pilot"].to_numpy()
        shown = np.where(vals < curve["value"].max() * 1e3, vals, np.nan)
        ax1.loglog(curve["members"], shown, ls="--", color=colour, lw=1,
                   label=f"{law} ({valuelaws.LAWS[law]})")
    ax1.set_xlabel("members, n")
    ax1.set_ylabel("value over the horizon (GBP)")
    ax1.set_ylim(curve["value"].min() / 3, curve["value"].max() * 1e3)
    ax1.legend(fontsize=7, loc="upper left")
    bar_colours = [CON if law == "kit" else LAW_COLOURS[law] for law in law_sens["law"]]
    multiple = law_sens["connection_roi_median"] + 1.0
    cap = 1e4
    ax2.barh(law_sens["law"][::-1], multiple.clip(upper=cap)[::-1], color=bar_colours[::-1])
    for y, (m, p_) in enumerate(zip(multiple[::-1], law_sens["p_connection_beats_audience"][::-1],
                                    strict=True)):
        label = f"{m:.2f}" if m < cap else f"> {cap:g}"
        ax2.text(max(min(m, cap) * 1.15, 1.4), y, f"{label}  (P = {p_:.2f})", va="center",
                 fontsize=7.5)
    ax2.set_xscale("log")
    ax2.set_xlim(multiple.min() / 3, cap * 1e3)
    ax2.axvline(1, color="black", lw=0.8)
    ax2.set_xlabel("connection: median GBP back per GBP")
    ax2.grid(axis="y", visible=False)
    return fig
