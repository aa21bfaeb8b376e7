"""The charts of notebook 02 (estimating the closed-eyes share): each function takes the numbers
and returns the figure; the notebook keeps the takeaway title and saves the chart with
:func:`analysis.publish.charts.save_chart`.

Call :func:`analysis.publish.charts.use_house_style` first (nothing here changes global state).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.formats import pct
from analysis.publish import charts

# Estimator and condition labels for readers (the recovery table's codes on the left).
ESTIMATOR_LABELS = {"ab": "A/B test", "ratio": "engagement ratio", "mixture": "mixture (Poisson)",
                    "mixture-nb": "mixture (neg. binomial)", "its": "time series (excess share)"}
CONDITION_LABELS = {"none": "none", "closed engage 5%": "closed\n5%",
                    "closed engage 20%": "closed\n20%", "open fans engage 0.7x": "open\n0.7x",
                    "overdispersion": "over-\ndispersion", "seasonal bump": "seasonal\nbump"}


def daily_likes_its(series: pd.DataFrame) -> Figure:
    """Bars of the page's new likes a day, the fitted and projected baseline, the campaign window.

    series: ``date``, ``new_likes``, ``baseline_fit``, ``in_campaign``
    (from :func:`analysis.estimation.comparison.daily_fit`).
    """
    dates = pd.to_datetime(series["date"])
    window = dates[series["in_campaign"].to_numpy()]
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    ax.bar(dates, series["new_likes"], color=charts.PALETTE["sky"], width=0.9,
           label="new likes per day (observed)", zorder=2)
    ax.plot(dates, series["baseline_fit"], color=charts.COLOURS["truth"], lw=1.6,
            label="baseline fitted before the campaign, projected")
    ax.axvspan(window.iloc[0] - pd.Timedelta(hours=12), window.iloc[-1] + pd.Timedelta(hours=12),
               color=charts.PALETTE["orange"], alpha=0.2, lw=0, label="campaign window", zorder=0)
    ax.set_ylabel("new likes per day")
    ax.legend(loc="upper left")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    return fig


def closed_eyes_estimates(forest: pd.DataFrame, *, s_true: float, excess_share: float) -> Figure:
    """Forest plot: each design's estimate and 95% interval against the true share.

    forest: from :func:`analysis.estimation.comparison.forest_table`; s_true: the true share
    (dashed line); excess_share: the campaign's true share of the window's likes (the time
    series' target, a tick on its row).
    """
    fig, ax = plt.subplots(figsize=(7.5, 4.3), layout="constrained")
    ypos = np.arange(len(forest))[::-1]
    for y, row in zip(ypos, forest.itertuples(), strict=True):
        colour = (charts.PALETTE["grey"] if row.method == "its" else charts.PALETTE["blue"]
                  if row.covers_truth else charts.PALETTE["vermillion"])
        ax.plot([100 * row.ci_low, 100 * row.ci_high], [y, y], color=colour, lw=2.5)
        ax.plot(100 * row.estimate, y, "o", color=colour, ms=7)
    ax.axvline(100 * s_true, color=charts.COLOURS["truth"], lw=1.2, ls="--")
    ax.text(100 * s_true, ypos[0] + 0.55, f" true s = {pct(s_true, 1)}", va="bottom", fontsize=9)
    ax.plot(100 * excess_share, ypos[-1], marker="|", color=charts.COLOURS["truth"], ms=16, mew=2)
    labels = [d + (" (upper bound)" if m == "its" else "")
              for d, m in zip(forest["design"], forest["method"], strict=True)]
    ax.set_yticks(ypos, labels)
    ax.set_ylim(ypos[-1] - 0.9, ypos[0] + 1.0)
    ax.set_xlabel("closed-eyes share of the window's likes (%), point estimate and 95% interval")
    handles = [plt.Line2D([], [], color=charts.PALETTE[c], lw=2.5, marker="o", label=lab)
               for c, lab in (("blue", "covers the truth"), ("vermillion", "misses the truth"),
                              ("grey", "upper bound on s"))]
    handles.append(plt.Line2D([], [], color=charts.COLOURS["truth"], lw=0, marker="|", ms=12,
                              mew=2, label="campaign's share of likes"))
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=8.5)
    ax.grid(axis="y", visible=False)
    return fig


def which_method_when(cells: pd.DataFrame, *, estimators: Sequence[str],
                      conditions: Sequence[str]) -> Figure:
    """Two heat maps (large and small samples) of each estimator's lowest coverage per condition.

    cells: from :func:`analysis.estimation.recovery_findings.coverage_cells`; estimators,
    conditions: the row and column order (codes of the recovery table).
    """
    order, conds = list(estimators), list(conditions)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
    cmap = plt.get_cmap("cividis")
    for ax, size in zip(axes, ["large", "small"], strict=True):
        grid = np.full((len(order), len(conds)), np.nan)
        for r in cells[cells["size"] == size].itertuples():
            i, j = order.index(r.estimator), conds.index(r.condition)
            grid[i, j] = r.worst_coverage
            txt = f"{r.worst_coverage:.0%}\n{100 * r.mean_bias:+.0f} pp"
            ax.text(j, i, txt, ha="center", va="center", fontsize=8,
                    color="white" if r.worst_coverage < 0.6 else "black",
                    fontweight="bold" if r.holds else "normal")
            if r.holds:
                ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False,
                                           ec=charts.PALETTE["black"], lw=1.6))
        im = ax.imshow(grid, cmap=cmap, vmin=0, vmax=1, aspect="auto")
        for i, j in zip(*np.where(np.isnan(grid)), strict=True):
            ax.text(j, i, "not\nused", ha="center", va="center", fontsize=7.5, color="#777777")
        ax.set_xticks(range(len(conds)), [CONDITION_LABELS[c] for c in conds], fontsize=8.5)
        ax.set_title(f"{size} samples")
        ax.grid(False)
    axes[0].set_yticks(range(len(order)), [ESTIMATOR_LABELS[e] for e in order])
    fig.supxlabel("condition: closed = closed-eyes fans engage at 5% or 20% of the organic rate; "
                  "open = open-eyed campaign fans engage at 0.7x", fontsize=9)
    cbar = fig.colorbar(im, ax=axes, shrink=0.85,
                        label="lowest coverage of the 95% interval\nover true shares 0.1 to 0.95")
    cbar.ax.axhline(0.9, color=charts.PALETTE["vermillion"], lw=2)
    return fig


def power_analysis(ptab: pd.DataFrame) -> Figure:
    """Left: people to ask per arm for a +/- 5 pp interval, one line per like rate with the
    pledge; right: the simulated half-width at those sizes.

    ptab: from :func:`analysis.estimation.power.power_table` (``s``, ``p_with``,
    ``asks_per_arm``, ``median_halfwidth``).
    """
    p_withs = list(dict.fromkeys(ptab["p_with"]))
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4.0), gridspec_kw={"width_ratios": [1.6, 1]})
    colours = [charts.PALETTE[c] for c in ("vermillion", "orange", "blue", "green")]
    for p, colour in zip(p_withs, colours[:len(p_withs)], strict=True):
        sub = ptab[ptab["p_with"] == p]
        ax.plot(100 * sub["s"], sub["asks_per_arm"], "o-", color=colour,
                label=f"like rate with pledge {p:.0%}")
        ax2.plot(100 * sub["s"], 100 * sub["median_halfwidth"], "o", color=colour)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("true closed-eyes share s (%)")
    ax.set_ylabel("people to ask per arm (log scale)")
    ax.legend(loc="lower left", fontsize=9)
    ax.set_title("asks per arm for a +/- 5 pp interval")
    ax2.axhline(5, color=charts.COLOURS["truth"], ls="--", lw=1)
    ax2.set_ylim(0, 7)
    ax2.set_xlabel("true closed-eyes share s (%)")
    ax2.set_ylabel("simulated half-width (pp)")
    ax2.set_title("simulation check")
    return fig


def daily_likes_its_alt(series: pd.DataFrame) -> str:
    """Alt text of :func:`daily_likes_its`."""
    return ("Bar chart of the page's new likes per day: a low organic baseline with a weekday pattern "
            "for twelve weeks, a fitted baseline line projected forward, then a tall burst of likes "
            "during the shaded two-week campaign window.")


def closed_eyes_estimates_alt(forest: pd.DataFrame) -> str:
    """Alt text of :func:`closed_eyes_estimates`."""
    return ("Forest plot: point estimates and 95% intervals of the closed-eyes share from the A/B "
            "test, the engagement ratio, the zero-inflated Poisson and negative binomial mixtures, "
            "and the interrupted time series, against a dashed line at the true share of the "
            "simulated campaign; intervals that miss the truth are drawn in vermillion, the time "
            "series in grey.")


def which_method_when_alt(cells: pd.DataFrame) -> str:
    """Alt text of :func:`which_method_when`."""
    return ("Two heat maps, large and small samples: rows are the five estimators, columns the six "
            "conditions; each cell shows the lowest 95% interval coverage over true shares from 0.1 "
            "to 0.95 and the mean bias in percentage points; cells where the estimator's own "
            "assumption holds are outlined and mostly reach 90 to 97%, while leakage of closed-eyes "
            "engagement drives the engagement designs towards zero coverage.")


def power_analysis_alt(ptab: pd.DataFrame) -> str:
    """Alt text of :func:`power_analysis`."""
    return ("Left: lines of people to ask per arm, on a log scale, against the true closed-eyes "
            "share, one line per like rate with the pledge; fewer asks are needed at higher shares "
            "and higher like rates. Right: simulated interval half-widths at those sample sizes, "
            "all close to 5 points.")
