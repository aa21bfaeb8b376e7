"""The charts of notebook 00 (start here): each function takes the numbers and returns the figure,
and its ``*_alt`` twin writes the alt text from the same numbers.

The notebook keeps the takeaway title and saves the chart with :func:`analysis.publish.charts.save_chart`.
Call :func:`analysis.publish.charts.use_house_style` first (nothing here changes global state).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter, PercentFormatter

from analysis.formats import gbp, pct
from analysis.publish import charts


def _pounds(v: float) -> str:
    """An amount in pounds as a British column prints it: '£2.50', '£12.50'."""
    return gbp(v, symbol=True)


def _tick(v: float) -> str:
    """A tick label in pounds, pence only where there are any: '£2.50', '£5', '£10'."""
    return gbp(v, 0 if abs(v - round(v)) < 1e-9 else 2, symbol=True)


def cost_per_open_eyed_like(costs: pd.DataFrame, marks: pd.DataFrame, *,
                            price_per_like: float) -> Figure:
    """Line chart of the cost per open-eyed like against the closed-eyes share, log scale.

    costs: ``closed_eyes_share`` and ``cost_per_open_eyed_like_gbp`` (from
    :func:`analysis.engine.arithmetic.cost_curve`); marks: the same columns for the labelled
    points; price_per_like: GBP, drawn as a dashed line. The curve is the open-eyed cost, so it is
    drawn in the open-eyed colour (vermillion means closed-eyed across the kit).
    """
    colour = charts.COLOURS["open_eyed"]
    fig, ax = plt.subplots()
    ax.plot(costs["closed_eyes_share"] * 100, costs["cost_per_open_eyed_like_gbp"], color=colour,
            label="cost per open-eyed like (a fan who listens)")
    ax.axhline(price_per_like, color=charts.COLOURS["target"], lw=1, ls="--",
               label=f"price per like, {_pounds(price_per_like)}")
    for _, row in marks.iterrows():
        point = (row["closed_eyes_share"] * 100, row["cost_per_open_eyed_like_gbp"])
        ax.plot(*point, "o", color=colour)
        ax.annotate(_pounds(row["cost_per_open_eyed_like_gbp"]), point,
                    textcoords="offset points", xytext=(-52, 4))
    top = costs["cost_per_open_eyed_like_gbp"].max()
    ax.set_yscale("log")
    ax.set_yticks([price_per_like * k for k in (1, 2, 4, 10, 20) if price_per_like * k <= top * 1.05])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    ax.set_xlabel("closed-eyes share of likes, s")
    ax.set_ylabel("cost per like (log scale)")
    ax.legend(loc="upper left")
    return fig


def cost_per_open_eyed_like_alt(costs: pd.DataFrame, marks: pd.DataFrame, *,
                                price_per_like: float) -> str:
    """Alt text of :func:`cost_per_open_eyed_like`, from the same numbers."""
    first, last = costs.iloc[0], costs.iloc[-1]
    points = ", ".join(f"{_pounds(r.cost_per_open_eyed_like_gbp)} at {pct(r.closed_eyes_share)}"
                       for r in marks.itertuples())
    return (f"Line chart on a log scale: the cost per open-eyed like, {_pounds(price_per_like)} "
            "divided by one minus the closed-eyes share s, rises slowly at first and then steeply: "
            f"{_pounds(first['cost_per_open_eyed_like_gbp'])} at s = "
            f"{pct(first['closed_eyes_share'])}, {points}, and "
            f"{_pounds(last['cost_per_open_eyed_like_gbp'])} at {pct(last['closed_eyes_share'])}. "
            f"A dashed line marks the price per like, {_pounds(price_per_like)}.")
