"""The charts of notebook 03 (audience against connection): each function takes the numbers and
returns ``(figure, data, alt)``: the figure, the table behind it (the chart's CSV) and alt text
computed from that same table.

The notebook gives each figure its takeaway title and source line through
:func:`analysis.publish.charts.save_chart`. ``PARAMETER_LABELS`` names the ROI model's
parameters for readers (the tornado's rows, the source lines). The ``*_sentence`` functions at
the end write the notebook's computed sentences from the numbers they are given.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from analysis.formats import count_words, gbp, pct
from analysis.publish.charts import COLOURS, PALETTE, gbp_ticks, pct_ticks, plain_ticks
from analysis.roi import valuelaws
from analysis.roi.report import AS_ABOVE, NO_CLOSED_EYES

AUD, CON = COLOURS["audience"], COLOURS["connection"]
COMPONENT_COLOURS = {"open-eyed fans' engagements": AUD,
                     "members and word-of-mouth adopters as fans": CON,
                     "ties among members": PALETTE["sky"], "co-created outputs": PALETTE["purple"]}
# vermillion means closed-eyed across the kit, so no law is drawn in it
LAW_COLOURS = {"sarnoff": AUD, "odlyzko-tilly": PALETTE["sky"], "metcalfe": PALETTE["purple"],
               "reed": PALETTE["black"]}
LAW_NAMES = {"kit": "the kit's model",
             **{law: f"{law.title()} ({formula})" for law, formula in valuelaws.LAWS.items()}}
PARAMETER_LABELS = {
    "closed_eyes_share": "closed-eyes share of likes",
    "price_per_like": "price per like",
    "organic_reach_per_post": "organic reach per post",
    "engagement_given_reach": "chance a reached fan engages",
    "posts_per_week": "posts per week",
    "value_per_engagement": "value per engagement",
    "monthly_churn": "fans lost a month",
    "dilution_elasticity": "reach lost to closed-eyes fans",
    "closed_engagement_ratio": "closed-eyes fans' engagement",
    "paid_reach_multiplier": "paid reach multiplier",
    "boosted_posts_per_week": "boosted posts per week",
    "paid_cpm": "price per 1,000 paid impressions",
    "share_find": "budget share for finding members",
    "share_introduce": "budget share for introductions",
    "share_groups": "budget share for groups",
    "cost_per_member": "cost per member found",
    "cost_per_introduction": "cost per introduction",
    "cost_per_group": "cost per group",
    "tie_stick_prob": "chance an introduction sticks",
    "existing_tie_activation": "friendships that take up the purpose",
    "value_per_connection": "value per connection",
    "group_invitees": "members invited per group",
    "working_size": "members a group needs to work",
    "p_active": "chance an invited member takes part",
    "outputs_per_group_month": "outputs per group a month",
    "value_per_output": "value per co-created output",
    "churn_reduction": "lower churn for members",
}


def label(parameter: str) -> str:
    """A reader's name for an ROI model parameter (its own name, spaced, if none is given)."""
    return PARAMETER_LABELS.get(parameter, parameter.replace("_", " "))


def broadcast_vs_network(n_open: int, n_closed: int, picture, *, seed: int):
    """Left: a star of ``n_open`` + ``n_closed`` fans around the brand. Right: the members of
    ``picture`` (``roi.pictures.member_picture``) with friendships and introductions.

    data: one row per picture with people and ties.
    """
    star = nx.star_graph(n_open + n_closed)  # node 0 is the brand
    star_colours = ["black"] + [COLOURS["open_eyed"]] * n_open + [COLOURS["closed_eyed"]] * n_closed
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.5, 4.4))
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
    dot = dict(ls="", marker="o", markersize=6)
    ax1.legend(handles=[
        Line2D([], [], color="black", label="the brand", **dot),
        Line2D([], [], color=COLOURS["open_eyed"], label="open-eyed fan, member", **dot),
        Line2D([], [], color=COLOURS["closed_eyed"], label="closed-eyed fan", **dot),
        Line2D([], [], color="#bbbbbb", label="tie to the brand"),
        Line2D([], [], color="#999999", label="existing friendship"),
        Line2D([], [], color=CON, ls="--", label="introduction (bought)")],
        loc="upper left", bbox_to_anchor=(0.0, 0.0), ncols=2, fontsize=7.5)
    data = pd.DataFrame({
        "picture": ["audience (star)", "connection (members)"],
        "people": [len(star) - 1, len(picture.members)],
        "ties_among_people": [0, ties + len(intros)],
        "ties_to_brand": [star.number_of_edges(), 0],
        "open_eyed": [n_open, len(picture.members)], "closed_eyed": [n_closed, 0]})
    alt = (f"Two network drawings. Left: a star, the brand (black) at the centre tied to {n_open} "
           f"open-eyed fans (blue) and {n_closed} closed-eyed fans (vermillion), no ties between "
           f"fans. Right: {len(picture.members)} high-affinity members (blue) with {ties} existing "
           f"friendships in grey and {len(intros)} introductions as green dashed lines, "
           f"{ties + len(intros)} ties among them.")
    return fig, data, alt


def roi_audience_vs_connection(components: pd.DataFrame, mc: pd.DataFrame, summary: dict,
                               budget: float):
    """Left: value with every assumption at its median, by component
    (``roi.report.value_components``), against the budget. Right: histograms of GBP returned
    per GBP over the Monte Carlo draws ``mc``, with each strategy's median over the draws.

    The left bars are one point (all medians); the right medians are medians of the draws'
    sums: the two need not agree, and the labels say which is which.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.5, 4.0), width_ratios=[1, 1.3])
    bottom = {"audience": 0.0, "connection": 0.0}
    for r in components.itertuples():
        ax1.bar(r.strategy, r.value_gbp, bottom=bottom[r.strategy],
                color=COMPONENT_COLOURS[r.component], label=r.component)
        bottom[r.strategy] += r.value_gbp
    ax1.axhline(budget, color=COLOURS["target"], ls="--", lw=1,
                label=f"the budget, {gbp(budget, 0)}")
    ax1.set_title("every assumption at its median", fontsize=9.5)
    ax1.set_ylabel("value over the horizon")
    gbp_ticks(ax1.yaxis)
    ax1.set_ylim(0, budget * 1.1)
    ax1.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.1))
    multiple = {who: mc[f"{who}_value"] / mc[f"{who}_cost"] for who in ("audience", "connection")}
    logs = {who: np.log10(m.clip(lower=1e-12)) for who, m in multiple.items()}
    low = np.floor(min(v.min() for v in logs.values()) * 4) / 4
    high = np.ceil(max(v.max() for v in logs.values()) * 4) / 4
    bins = np.linspace(low, high, int(round((high - low) * 12)) + 1)  # every draw in a bin
    for who, colour in (("audience", AUD), ("connection", CON)):
        ax2.hist(logs[who], bins=bins, color=colour, alpha=0.55,
                 label=f"{who}: median ROI over the draws "
                       f"{pct(summary[who]['roi_median'], signed=True)}")
    ax2.axvline(0, color="black", lw=0.8, label="break-even (£1 back per £1)")
    ax2.set_title(f"across {len(mc):,} draws of the assumptions", fontsize=9.5)
    ticks = np.arange(np.ceil(low), np.floor(high) + 1)
    ax2.set_xticks(ticks, [f"{10.0**t:,.10g}" for t in ticks], fontsize=8.5)
    ax2.set_xlabel("£ returned per £1 spent (log scale)")
    ax2.set_ylabel("draws")
    ax2.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.2))
    data = mc[["draw", "audience_roi", "connection_roi", "audience_value", "connection_value",
               "connection_beats_audience"]]
    point = components.groupby("strategy", sort=False)["value_gbp"].sum()
    alt = (f"Left: stacked bars of value with every assumption at its median: audience "
           f"{gbp(point['audience'], 0)}, connection {gbp(point['connection'], 0)} "
           f"(ROI {pct(point['audience'] / budget - 1, signed=True)} and "
           f"{pct(point['connection'] / budget - 1, signed=True)}), both under the "
           f"{gbp(budget, 0)} budget line. Right: histograms of the value returned per pound over "
           f"{len(mc):,} draws, on a log scale from under £{10.0**np.ceil(low):,.10g} to over "
           f"£{10.0**np.floor(high):,.10g}; the "
           f"median ROI over the draws is {pct(summary['audience']['roi_median'], signed=True)} "
           f"for the audience and {pct(summary['connection']['roi_median'], signed=True)} for "
           f"connection, which beats the audience in "
           f"{pct(summary['p_connection_beats_audience'])} of draws.")
    return fig, data, alt


def break_even_map(grid: pd.DataFrame):
    """P(connection beats audience) over closed-eyes share x value per connection
    (``roi.model.break_even_map``), with the 50% and 90% contours where the data reach them
    and the line where the two ROIs tie at the medians (where it exists)."""
    P = grid.pivot(index="value_per_connection", columns="closed_eyes_share",
                   values="p_connection_beats_audience")
    G = grid.pivot(index="value_per_connection", columns="closed_eyes_share",
                   values="gap_at_medians")
    p_min, p_max = float(np.nanmin(P.values)), float(np.nanmax(P.values))
    fig, ax = plt.subplots(figsize=(6.5, 4.6))
    mesh = ax.pcolormesh(P.columns, P.index, P.values, cmap="cividis",
                         vmin=np.floor(p_min * 20) / 20, vmax=np.ceil(p_max * 20) / 20,
                         shading="nearest")
    cbar = fig.colorbar(mesh, ax=ax)
    cbar.set_label("P(connection beats audience)")
    pct_ticks(cbar.ax.yaxis)
    levels = [lv for lv in (0.5, 0.9) if p_min < lv < p_max]
    handles = []
    if levels:
        cs = ax.contour(P.columns, P.index, P.values, levels=levels, colors="white",
                        linewidths=1, linestyles=["dotted", "solid"][-len(levels):])
        handles += [Line2D([], [], color="white", ls=ls, label=f"P = {pct(lv)}")
                    for lv, ls in zip(levels, ["dotted", "solid"][-len(levels):], strict=True)]
        del cs
    tie = bool((G.values < 0).any() and (G.values > 0).any())
    if tie:
        ax.contour(G.columns, G.index, G.values, levels=[0], colors="black", linestyles="--")
        handles.append(Line2D([], [], color="black", ls="--",
                              label="the ROIs tie, every other assumption at its median"))
    if handles:
        leg = ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=True, facecolor="#555555",
                        labelcolor="white", framealpha=0.8)
        leg.get_frame().set_edgecolor("none")
    ax.set_yscale("log")
    gbp_ticks(ax.yaxis, 2)
    ax.set_xlabel("closed-eyes share of likes, s")
    pct_ticks(ax.xaxis)
    ax.set_ylabel("value per connection (per tie a year)")
    corner = P.iloc[0, 0]
    alt = (f"Heat map of the probability that connection beats audience over the closed-eyes "
           f"share ({pct(P.columns.min())} to {pct(P.columns.max())}, horizontal) and the value "
           f"per connection ({gbp(P.index.min())} to {gbp(P.index.max())} a tie a year, vertical, "
           f"log scale). It ranges from {pct(p_min)} to {pct(p_max)}; at no closed-eyes likes "
           f"and the lowest value per tie it is {pct(corner)}. "
           + (f"White lines mark {' and '.join(pct(lv) for lv in levels)}. " if levels else
              "No 50% or 90% contour falls inside the map. ")
           + ("A black dashed line marks where the two ROIs tie with every other assumption at "
              "its median." if tie else "The two ROIs do not tie anywhere on the map at the "
              "medians."))
    return fig, grid, alt


def tornado(torn: pd.DataFrame):
    """One bar per parameter (``roi.model.tornado``): how far connection's ROI is ahead of the
    audience's when the parameter sits at its 5th and at its 95th prior percentile."""
    fig, ax = plt.subplots(figsize=(6.5, 5.0))
    base = torn["base_gap"].iloc[0]
    labels = [label(p) for p in torn["parameter"]]
    y = np.arange(len(torn))[::-1]
    lo_gap, hi_gap = torn["gap_at_low"], torn["gap_at_high"]
    ax.barh(y, lo_gap - base, left=base, color=PALETTE["sky"], label="at its 5th percentile")
    ax.barh(y, hi_gap - base, left=base, color=PALETTE["blue"], label="at its 95th percentile")
    ax.axvline(base, color="black", lw=1, label=f"every assumption at its median ({base:+.2f})")
    ax.axvline(0, color=PALETTE["grey"], lw=1, ls="--", label="the two ROIs tie")
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("connection's ROI minus the audience's (£ per £ spent)")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="y", visible=False)
    data = torn.assign(label=labels)
    top = ", ".join(labels[:3])
    crossers = int((torn[["gap_at_low", "gap_at_high"]].min(axis=1) < 0).sum())
    alt = (f"Tornado chart of {len(torn)} assumptions. With every assumption at its median "
           f"connection's ROI is {base:+.2f} ahead of the audience's; the widest bars are {top} "
           f"(swings of {', '.join(f'{w:.2f}' for w in torn['swing'].head(3))}). "
           + ("No bar crosses the tie line." if crossers == 0 else
              f"{crossers} bar(s) cross the tie line."))
    return fig, data, alt


def value_laws(curve: pd.DataFrame, fit: dict, laws: pd.DataFrame, law_sens: pd.DataFrame):
    """Left: the kit's V(n), its fitted power law and the four laws through the pilot
    (``laws``: ``roi.report.law_curves``). Right: connection's median GBP back per GBP under
    each law (``roi.model.law_sensitivity``), with P(connection beats audience) in the labels."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8.5, 4.6), width_ratios=[1.3, 1])
    ax1.loglog(curve["members"], curve["value"], "o", color=CON, label="the kit's model V(n)")
    ax1.loglog(curve["members"], np.exp(fit["intercept"]) * curve["members"] ** fit["exponent"],
               color=CON, lw=1, label=f"fitted: n^{fit['exponent']:.2f}")
    top, bottom = curve["value"].max() * 1e3, curve["value"].min() / 3
    for law, colour in LAW_COLOURS.items():
        vals = laws.loc[laws["law"] == law, "value_through_pilot"].to_numpy()
        keep = (vals < top) & (vals > bottom)  # a law that leaves the chart is not drawn there
        gone = keep.sum() < 2
        ax1.loglog(curve["members"][keep] if not gone else [], vals[keep] if not gone else [],
                   ls="--", color=colour, lw=1,
                   label=LAW_NAMES[law] + (": off the chart either side of the pilot" if gone else ""))
    ax1.set_xlabel("members, n")
    plain_ticks(ax1.xaxis)
    ax1.set_ylabel("value over the horizon")
    gbp_ticks(ax1.yaxis)
    ax1.set_ylim(bottom, top)
    ax1.legend(loc="upper left", bbox_to_anchor=(0, -0.2), ncols=2, fontsize=7.5)
    bar_colours = [CON if law == "kit" else LAW_COLOURS[law] for law in law_sens["law"]]
    multiple = law_sens["connection_roi_median"] + 1.0
    cap = 1e4
    names = [f"{LAW_NAMES[law]}\n{'over £' + f'{cap:,.0f}' if m >= cap else f'£{m:,.2f}'}, "
             f"P = {pct(p_)}"
             for law, m, p_ in zip(law_sens["law"], multiple, law_sens["p_connection_beats_audience"],
                                   strict=True)]
    ax2.barh(names[::-1], multiple.clip(upper=cap)[::-1], color=bar_colours[::-1])
    ax2.tick_params(axis="y", labelsize=7.5)
    ax2.set_xscale("log")
    ax2.set_xlim(min(multiple.min() / 3, 0.1), cap * 10)
    ax2.set_xticks([0.1, 1, 10, 100, 1_000, 10_000], ["0.1", "1", "10", "100", "1k", "10k"],
                   fontsize=8)
    ax2.axvline(1, color=PALETTE["grey"], lw=1, ls="--")
    ax2.set_xlabel("connection: median £ back per £1\n(dashed: break-even; log scale)")
    ax2.grid(axis="y", visible=False)
    data = pd.concat([curve.assign(law="kit"), laws], ignore_index=True)
    alt = (f"Left: log-log chart of the kit's simulated connection value against members, from "
           f"{curve['members'].min():,.0f} to {curve['members'].max():,.0f}, with a fitted power "
           f"law of exponent {fit['exponent']:.2f} ({fit['confidence']:.0%} interval "
           f"{fit['exponent_low']:.2f} to {fit['exponent_high']:.2f}) and the "
           f"{count_words(laws['law'].nunique())} laws drawn through a pilot community. "
           f"Right: connection's median return per pound and P(connection beats audience) under "
           "each: " + "; ".join(n.replace("\n", " ") for n in names) + ".")
    return fig, data, alt


# --------------------------------------------------------------------------- the notebook's words
def _signed(x) -> str:
    return pct(x, signed=True)  # ROIs carry their sign


def roi_sentence(summary: dict, at_median: pd.Series, budget: float) -> str:
    """Both strategies' median ROI over the draws with 90% intervals and P(connection beats
    audience) (``roi.summarise``), and what ``budget`` buys with every assumption at its median
    (a ``roi.evaluate`` row)."""
    a, c = summary["audience"], summary["connection"]
    m = at_median
    return (
        f"Spending {gbp(budget, 0)} on the like-for-charity audience returns a median ROI over the "
        f"draws of **{_signed(a['roi_median'])}** (90% interval {_signed(a['roi_90_low'])} to "
        f"{_signed(a['roi_90_high'])}); spending it on connection returns "
        f"**{_signed(c['roi_median'])}** ({_signed(c['roi_90_low'])} to "
        f"{_signed(c['roi_90_high'])}). Connection beats the audience in "
        f"**{pct(summary['p_connection_beats_audience'])}** of draws. With every assumption at its "
        f"median the budget buys {m['audience_open_fans']:,.0f} open-eyed fans against "
        f"{m['connection_members']:,.0f} members, {m['connection_wom_adopters']:,.0f} "
        f"word-of-mouth adopters, "
        f"{m['connection_new_ties'] + m['connection_activated_ties']:,.0f} ties and "
        f"{m['connection_working_groups']:.1f} working groups.")


def variants_sentence(variants: pd.DataFrame) -> str:
    """The range of P(connection beats audience) over ``report.variants_table``'s rows, and what
    removing every closed-eyes like does to it."""
    v = variants["p_connection_beats_audience"]
    no_closed = v[NO_CLOSED_EYES]
    return (
        f"P(connection beats audience) ranges from **{pct(v.min())}** ({v.idxmin()}) to "
        f"**{pct(v.max())}** ({v.idxmax()}) across these variants. Removing every closed-eyes like "
        f"moves it from {pct(v[AS_ABOVE])} to {pct(no_closed)}: "
        + ("even an audience with open eyes loses to connection more often than not here, "
           "because a fan reached by a few percent of posts is worth little."
           if no_closed > 0.5 else
           "with open eyes the audience would win more often than not; the closed eyes decide "
           "it."))


def laws_sentence(fit: dict, laws_fit: pd.DataFrame, roi_by_law: pd.Series) -> str:
    """The value curve's exponent with its interval (``valuelaws.fit_exponent``), the law of
    closest shape (``valuelaws.compare_laws``) and connection's median ROI under Metcalfe
    (``roi_by_law``, law -> median ROI)."""
    best = laws_fit.sort_values("rmse_log").iloc[0]
    return (
        f"The kit's own value curve has exponent **{fit['exponent']:.2f}** "
        f"({fit['confidence']:.0%} interval {fit['exponent_low']:.2f}-{fit['exponent_high']:.2f}, "
        f"R² {fit['r_squared']:.3f}); of the {count_words(len(laws_fit))} laws, **{best['law']}** ({best['formula']}) has "
        "the closest shape. Ties among members grow faster than the community (more members, more "
        "friends among them), but fans, groups and introductions grow in proportion to the budget. "
        f"Under Metcalfe, connection's median ROI would be {_signed(roi_by_law['metcalfe'])}; "
        "Reed's law makes any community priceless, which says more about the law (it counts "
        "subgroups that could form, not ones that do) than about communities.")


def alone_sentence(alone: pd.DataFrame) -> str:
    """The assumptions that alone let the audience catch up (rows of ``roi.audience_wins_when``
    with a break-even value), where, and at which prior percentile; or that none does."""
    if alone.empty:
        return ("No single assumption, moved alone anywhere within the central 99.8% of its "
                "prior, lets the audience catch up.")
    return "Alone, the audience catches up only if " + "; ".join(
        f"{label(r.parameter)} is {'below' if r.audience_side == 'low' else 'above'} "
        f"{r.break_even:.3g} (its {pct(r.prior_quantile)} prior percentile)"
        for r in alone.itertuples()) + "."


def audience_wins_sentence(needs: pd.DataFrame, q_all: float) -> str:
    """How the draws the audience won differ from all draws (``roi.audience_wins_when`` with a
    Monte Carlo table), and the percentile ``q_all`` (``roi.all_at_once_quantile``) at which
    every assumption leaning the audience's way at once makes them tie (NaN: never)."""
    wins = needs.set_index("parameter")
    shift = (wins["median_when_audience_wins"] / wins["median_all_draws"]).sort_values()
    return (
        f"In the {pct(wins['share_of_draws_audience_wins'].iloc[0], 1)} of draws the audience "
        f"won, the value per engagement was {shift['value_per_engagement']:.1f} times its usual "
        f"median, the cost of finding a member {shift['cost_per_member']:.1f} times, the value of "
        f"a co-created output {shift['value_per_output']:.2f} times, and the closed-eyes share "
        f"{pct(wins.loc['closed_eyes_share', 'median_when_audience_wins'])} instead of "
        f"{pct(wins.loc['closed_eyes_share', 'median_all_draws'])}. "
        + (f"With every assumption leaning the audience's way at once, they tie when each sits at "
           f"its **{pct(q_all)}** most audience-friendly percentile." if np.isfinite(q_all) else
           "Even with every assumption at its 99.9% most audience-friendly percentile at once, "
           "the audience does not catch up."))
