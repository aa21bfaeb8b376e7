"""The charts of notebook 02 (estimating the closed-eyes share): each function takes the numbers
and returns the figure, and its ``*_alt`` twin writes the alt text from the same numbers; the
notebook keeps the takeaway title and saves the chart with
:func:`analysis.publish.charts.save_chart`.

Colours keep the kit's meanings: vermillion is closed-eyed only, so an interval that misses the
truth is reddish purple, and the like rates of the power chart avoid vermillion.
Call :func:`analysis.publish.charts.use_house_style` first (nothing here changes global state).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, PercentFormatter

from analysis.formats import pct
from analysis.publish import charts

# Estimator and condition labels for readers (the recovery table's codes on the left).
ESTIMATOR_LABELS = {"ab": "A/B test", "ratio": "engagement ratio", "mixture": "mixture (Poisson)",
                    "mixture-nb": "mixture (neg. binomial)", "its": "time series (excess share)"}
CONDITION_LABELS = {"none": "none", "closed engage 5%": "closed\n5%",
                    "closed engage 20%": "closed\n20%", "open fans engage 0.7x": "open\n0.7x",
                    "overdispersion": "over-\ndispersion", "seasonal bump": "seasonal\nbump"}
COVERS, MISSES, BOUND = charts.PALETTE["blue"], charts.PALETTE["purple"], charts.PALETTE["grey"]
# like rate with the pledge -> colour and marker (power chart); never vermillion
RATE_STYLES = ((charts.PALETTE["purple"], "D"), (charts.PALETTE["orange"], "s"),
               (charts.PALETTE["blue"], "o"), (charts.PALETTE["green"], "^"))
_PERCENT = PercentFormatter(xmax=100, decimals=0)


def _window(series: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    dates = pd.to_datetime(series["date"])
    return dates, dates[series["in_campaign"].to_numpy()]


def daily_likes_its(series: pd.DataFrame) -> Figure:
    """Bars of the page's new likes a day, the fitted and projected baseline, the campaign window.

    series: ``date``, ``new_likes``, ``baseline_fit``, ``in_campaign`` of a simulated page
    (from :func:`analysis.estimation.comparison.daily_fit`); the dates are simulated, and the
    axis says so; the window is labelled with the campaign's own day numbers.
    """
    dates, window = _window(series)
    pre_days = int((~series["in_campaign"]).sum())
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    ax.bar(dates, series["new_likes"], color=charts.PALETTE["sky"], width=0.9,
           label="new likes per day (simulated)", zorder=2)
    ax.plot(dates, series["baseline_fit"], color=charts.COLOURS["truth"], lw=1.6,
            label=f"baseline fitted to the {pre_days} days before, projected")
    ax.axvspan(window.iloc[0] - pd.Timedelta(hours=12), window.iloc[-1] + pd.Timedelta(hours=12),
               color=charts.PALETTE["orange"], alpha=0.2, lw=0, zorder=0,
               label=f"campaign window, days 1-{len(window)}")
    for day in (1, len(window)):
        ax.annotate(f"day {day}", (window.iloc[day - 1], 0), xytext=(0, -22),
                    textcoords="offset points", ha="center", va="top", fontsize=7.5,
                    color="#555555")
    ax.set_ylabel("new likes per day")
    ax.set_xlabel("simulated calendar (dates illustrative)", labelpad=16)
    ax.legend(loc="upper left")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    return fig


def daily_likes_its_alt(series: pd.DataFrame) -> str:
    """Alt text of :func:`daily_likes_its`, from the same numbers."""
    pre = series[~series["in_campaign"]]
    win = series[series["in_campaign"]].reset_index(drop=True)
    peak = int(win["new_likes"].idxmax())
    return (f"Bar chart of a simulated page's new likes per day: {len(pre)} days of organic "
            f"baseline, {pre['new_likes'].mean():.0f} a day on average, with a baseline line "
            "fitted to them and projected forward; then the shaded campaign window of "
            f"{len(win)} days, peaking at {int(win['new_likes'].iloc[peak]):,} likes on campaign "
            f"day {peak + 1}, {int(win['new_likes'].sum()):,} likes in all against a projected "
            f"baseline of {win['baseline_fit'].sum():,.0f}.")


def closed_eyes_estimates(forest: pd.DataFrame, *, s_true: float, excess_share: float) -> Figure:
    """Forest plot: each design's estimate and 95% interval against the true share.

    forest: from :func:`analysis.estimation.comparison.forest_table`; s_true: the true share
    (dashed line); excess_share: the campaign's true share of the window's likes (the time
    series' target, a tick on its row).
    """
    fig, ax = plt.subplots(figsize=(7.5, 4.3), layout="constrained")
    ypos = np.arange(len(forest))[::-1]
    for y, row in zip(ypos, forest.itertuples(), strict=True):
        colour = BOUND if row.method == "its" else COVERS if row.covers_truth else MISSES
        face = colour if row.method == "its" or row.covers_truth else "white"
        ax.plot([100 * row.ci_low, 100 * row.ci_high], [y, y], color=colour, lw=2.5)
        ax.plot(100 * row.estimate, y, "o", color=colour, mfc=face, mew=2, ms=7)
    ax.axvline(100 * s_true, color=charts.COLOURS["truth"], lw=1.2, ls="--")
    ax.text(100 * s_true, ypos[0] + 0.55, f" true s = {pct(s_true, 1)}", va="bottom", fontsize=9)
    ax.plot(100 * excess_share, ypos[-1], marker="|", color=charts.COLOURS["truth"], ms=16, mew=2)
    labels = [d + (" (upper bound)" if m == "its" else "")
              for d, m in zip(forest["design"], forest["method"], strict=True)]
    ax.set_yticks(ypos, labels)
    ax.set_ylim(ypos[-1] - 0.9, ypos[0] + 1.0)
    ax.xaxis.set_major_formatter(_PERCENT)
    ax.set_xlabel("closed-eyes share of the window's likes: point estimate and 95% interval")
    handles = [plt.Line2D([], [], color=c, lw=2.5, marker="o", mfc=f, mew=2, label=lab)
               for c, f, lab in ((COVERS, COVERS, "interval covers the truth"),
                                 (MISSES, "white", "interval misses the truth"),
                                 (BOUND, BOUND, "upper bound on s (time series)"))]
    handles += [plt.Line2D([], [], color=charts.COLOURS["truth"], lw=1.2, ls="--",
                           label="true closed-eyes share s"),
                plt.Line2D([], [], color=charts.COLOURS["truth"], lw=0, marker="|", ms=12, mew=2,
                           label="campaign's true share of likes")]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=8.5)
    ax.grid(axis="y", visible=False)
    return fig


def closed_eyes_estimates_alt(forest: pd.DataFrame, *, excess_share: float) -> str:
    """Alt text of :func:`closed_eyes_estimates`, from the same numbers."""
    s_true = float(forest["true_s"].iloc[0])
    rows = "; ".join(f"{r.design} {pct(r.estimate, 1)} ({pct(r.ci_low, 1)} to {pct(r.ci_high, 1)}"
                     + (", an upper bound" if r.method == "its" else
                        ", covers the truth" if r.covers_truth else ", misses the truth") + ")"
                     for r in forest.itertuples())
    return (f"Forest plot of the closed-eyes share in one simulated campaign, point estimate and "
            f"95% interval per design: {rows}. A dashed line marks the true share, "
            f"{pct(s_true, 1)}; a tick on the time series' row marks the campaign's true share of "
            f"the window's likes, {pct(excess_share, 1)}.")


def which_method_when(cells: pd.DataFrame, *, estimators: Sequence[str],
                      conditions: Sequence[str]) -> Figure:
    """Two heat maps (large and small samples) of each estimator's lowest coverage per condition.

    cells: from :func:`analysis.estimation.recovery_findings.coverage_cells`; estimators,
    conditions: the row and column order (codes of the recovery table). Cells the study did not
    run are marked "not run".
    """
    order, conds = list(estimators), list(conditions)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
    cmap = plt.get_cmap("cividis")
    for ax, size in zip(axes, ["large", "small"], strict=True):
        grid = np.full((len(order), len(conds)), np.nan)
        for r in cells[cells["size"] == size].itertuples():
            i, j = order.index(r.estimator), conds.index(r.condition)
            grid[i, j] = r.worst_coverage
            txt = f"{r.worst_coverage:.0%}\n{int(round(100 * r.mean_bias)):+d} pp"  # never "-0 pp"
            ax.text(j, i, txt, ha="center", va="center", fontsize=8,
                    color="white" if r.worst_coverage < 0.6 else "black",
                    fontweight="bold" if r.holds else "normal")
            if r.holds:
                ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False,
                                           ec=charts.PALETTE["black"], lw=1.6))
        im = ax.imshow(grid, cmap=cmap, vmin=0, vmax=1, aspect="auto")
        for i, j in zip(*np.where(np.isnan(grid)), strict=True):
            ax.text(j, i, "not\nrun", ha="center", va="center", fontsize=7.5, color="#777777")
        ax.set_xticks(range(len(conds)), [CONDITION_LABELS[c] for c in conds], fontsize=8.5)
        ax.set_title(f"{size} samples")
        ax.grid(False)
    axes[0].set_yticks(range(len(order)), [ESTIMATOR_LABELS[e] for e in order])
    fig.supxlabel("condition: closed = closed-eyes fans engage at 5% or 20% of the organic rate; "
                  "open = open-eyed campaign fans engage at 0.7x\noutlined: the estimator's own "
                  "assumption holds; in each cell: lowest coverage, mean bias in percentage points",
                  fontsize=8.5)
    cbar = fig.colorbar(im, ax=axes, shrink=0.85, format=PercentFormatter(xmax=1, decimals=0),
                        label="lowest coverage of the 95% interval\nover true shares 10% to 95% "
                              "(line: 90%)")
    cbar.ax.axhline(0.9, color=charts.PALETTE["black"], lw=2)
    return fig


def which_method_when_alt(cells: pd.DataFrame) -> str:
    """Alt text of :func:`which_method_when`, from the same numbers."""
    held, broken = cells[cells["holds"]], cells[~cells["holds"]]
    ab = cells[cells["estimator"] == "ab"]
    worst = broken.loc[broken["worst_coverage"].idxmin()] if len(broken) else None
    text = (f"Two heat maps, large and small samples: rows are the {cells['estimator'].nunique()} "
            f"estimators, columns the {cells['condition'].nunique()} conditions of the simulation "
            "study; each cell shows the lowest coverage of the 95% interval over the true shares "
            "and the mean bias in percentage points. The A/B test was run only under "
            f"{', '.join(repr(c) for c in sorted(ab['condition'].unique()))}, where its lowest coverage is "
            f"{pct(ab['worst_coverage'].min())}. Where an estimator's own assumption holds "
            f"(outlined, {len(held)} cells) the lowest coverage ranges from "
            f"{pct(held['worst_coverage'].min())} to {pct(held['worst_coverage'].max())}")
    if worst is not None:
        text += (f"; where it is broken ({len(broken)} cells) it falls as low as "
                 f"{pct(worst['worst_coverage'])}, for the {ESTIMATOR_LABELS[worst['estimator']]} "
                 f"under '{worst['condition']}'")
    return text + ". Cells the study did not run are marked not run."


def power_analysis(ptab: pd.DataFrame) -> Figure:
    """Left: people to ask per arm for a +/- 5-point interval, one line per like rate with the
    pledge; right: the simulated half-width at those sizes, the like rates side by side.

    ptab: from :func:`analysis.estimation.power.power_table` (``s``, ``p_with``,
    ``asks_per_arm``, ``median_halfwidth``, ``target_halfwidth``); at most four like rates.
    """
    p_withs = list(dict.fromkeys(ptab["p_with"]))
    if len(p_withs) > len(RATE_STYLES):
        raise ValueError(f"at most {len(RATE_STYLES)} like rates, got {len(p_withs)}")
    half = 100 * float(ptab["target_halfwidth"].iloc[0])
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4.2), gridspec_kw={"width_ratios": [1.6, 1]})
    # the half-widths nearly coincide: side by side around each share, so none hides another
    dodge = np.linspace(-4.5, 4.5, len(p_withs)) if len(p_withs) > 1 else [0.0]
    for p, (colour, marker), dx in zip(p_withs, RATE_STYLES, dodge, strict=False):
        sub = ptab[ptab["p_with"] == p]
        label = f"like rate with the pledge {p:.0%}"
        ax.plot(100 * sub["s"], sub["asks_per_arm"], "-", marker=marker, color=colour, label=label)
        ax2.plot(100 * sub["s"] + dx, 100 * sub["median_halfwidth"], marker, color=colour, ms=5,
                 label=label)
    ax.set_yscale("log")
    low, high = ptab["asks_per_arm"].min(), ptab["asks_per_arm"].max()
    ax.yaxis.set_major_locator(FixedLocator([t for t in (100, 200, 500, 1_000, 2_000, 5_000, 10_000,
                                                         20_000, 50_000, 100_000, 200_000)
                                             if low / 1.5 <= t <= high * 1.5]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("true closed-eyes share s")
    ax.set_ylabel("people to ask per arm (log scale)")
    ax.legend(loc="lower left", fontsize=8.5)
    ax.set_title(f"asks per arm for a ±{half:g}-point interval", fontsize=10.5)
    ax2.axhline(half, color=charts.COLOURS["truth"], ls="--", lw=1,
                label=f"target: ±{half:g} points")
    ax2.set_ylim(0, half + 2)
    ax2.set_xlabel("true closed-eyes share s")
    ax2.set_ylabel("simulated half-width (percentage points)")
    ax2.set_title("simulation check at those sizes", fontsize=10.5)
    ax2.legend(loc="lower right", fontsize=7.5)
    for a in (ax, ax2):
        a.xaxis.set_major_formatter(_PERCENT)
    return fig


def power_analysis_alt(ptab: pd.DataFrame) -> str:
    """Alt text of :func:`power_analysis`, from the same numbers."""
    most = ptab.loc[ptab["asks_per_arm"].idxmax()]
    least = ptab.loc[ptab["asks_per_arm"].idxmin()]
    half = 100 * float(ptab["target_halfwidth"].iloc[0])
    return (f"Left: lines of people to ask per arm for a plus or minus {half:g}-point interval, on "
            f"a log scale, against the true closed-eyes share, one line per like rate with the "
            f"pledge ({', '.join(pct(p) for p in dict.fromkeys(ptab['p_with']))}): from "
            f"{int(most['asks_per_arm']):,} at a like rate of {pct(most['p_with'])} and s = "
            f"{pct(most['s'])} down to {int(least['asks_per_arm']):,} at {pct(least['p_with'])} "
            f"and s = {pct(least['s'])}. Right: the median simulated half-widths at those sizes, "
            f"from {100 * ptab['median_halfwidth'].min():.1f} to "
            f"{100 * ptab['median_halfwidth'].max():.1f} points, against a dashed line at "
            f"{half:g}.")
