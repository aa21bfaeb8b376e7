"""The charts of notebook 00 (start here): each function takes the numbers and returns the figure.

The notebook keeps the takeaway title and saves the chart with :func:`analysis.publish.charts.save_chart`.
Call :func:`analysis.publish.charts.use_house_style` first (nothing here changes global state).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.publish import charts


def cost_per_open_eyed_like(arithmetic: pd.DataFrame, marks: pd.DataFrame, *,
                            price_per_like: float) -> Figure:
    """Line chart of the cost per open-eyed like against the closed-eyes share, log scale.

    arithmetic: ``closed_eyes_share`` and ``cost_per_open_eyed_like_gbp`` (from
    :func:`analysis.engine.arithmetic.cost_curve`); marks: the same columns for the marked points;
    price_per_like: GBP, drawn as a dashed line.
    """
    fig, ax = plt.subplots()
    ax.plot(arithmetic["closed_eyes_share"] * 100, arithmetic["cost_per_open_eyed_like_gbp"],
            color=charts.COLOURS["closed_eyed"], label="cost per open-eyed like")
    ax.axhline(price_per_like, color=charts.COLOURS["target"], lw=1, ls="--",
               label=f"price per like, GBP {price_per_like:.2f}")
    for _, row in marks.iterrows():
        ax.plot(row["closed_eyes_share"] * 100, row["cost_per_open_eyed_like_gbp"], "o",
                color=charts.COLOURS["closed_eyed"])
        ax.annotate(f"GBP {row['cost_per_open_eyed_like_gbp']:.2f}",
                    (row["closed_eyes_share"] * 100, row["cost_per_open_eyed_like_gbp"]),
                    textcoords="offset points", xytext=(-62, 4))
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(plt.NullFormatter())
    ax.set_yticks([2.5, 5, 10, 25, 50])
    ax.set_xlabel("closed-eyes share of likes, s (%)")
    ax.set_ylabel("GBP per like (log scale)")
    ax.legend(loc="upper left")
    return fig


def cost_per_open_eyed_like_alt(marks: pd.DataFrame, *, price_per_like: float) -> str:
    """Alt text of :func:`cost_per_open_eyed_like`, from the same numbers (the last mark)."""
    last = marks.iloc[-1]
    return (f"Line chart on a log scale: the cost per open-eyed like, {price_per_like:.2f} pounds "
            "divided by one minus the closed-eyes share, rises slowly at first and then steeply, "
            f"reaching {last['cost_per_open_eyed_like_gbp']:.0f} pounds when "
            f"{last['closed_eyes_share']:.0%} of likes are closed-eyed.")
