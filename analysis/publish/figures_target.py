"""The charts of notebook 04 (a target people can see) and the tidy tables behind them.

Each ``*_data`` function turns Monte Carlo output (or the Kickstarter table) into the tidy table
a chart shows; each ``*_figure`` function draws it and returns ``(fig, data)`` for
:func:`analysis.publish.charts.save_chart`. Titles are the notebook's to write (they carry the
computed numbers). Nothing here changes global state: call ``charts.use_house_style()`` first.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from analysis.estimation.jump import ABOVE, BELOW, Jump
from analysis.formats import gbp, pct
from analysis.publish.charts import COLOURS, PALETTE

SETTING_COLOURS = {"visible": PALETTE["vermillion"], "hidden": PALETTE["blue"],
                   "Kickstarter": PALETTE["black"]}
BIN_WIDTH = 0.05
RATIO_MAX = 2.0


def _colour(name: str) -> str:
    for key, colour in SETTING_COLOURS.items():
        if key.lower() in name.lower():
            return colour
    return PALETTE["grey"]


# --------------------------------------------------------------------------- the jump
def ratio_histogram_data(panels: dict[str, np.ndarray]) -> pd.DataFrame:
    """Share of campaigns per bin of outcome / target (0.05 wide, 0 to 2; above 2 in the last).

    panels: name -> ratios. Returns rows (panel, bin_low, bin_high, campaigns, share).
    """
    edges = np.round(np.arange(0.0, RATIO_MAX + BIN_WIDTH / 2, BIN_WIDTH), 10)
    rows = []
    for name, ratios in panels.items():
        r = np.clip(np.asarray(ratios, dtype=float), 0.0, RATIO_MAX - 1e-9)
        counts, _ = np.histogram(r, bins=edges)
        rows.append(pd.DataFrame({"panel": name, "bin_low": edges[:-1], "bin_high": edges[1:],
                                  "campaigns": counts, "share": counts / max(len(r), 1)}))
    return pd.concat(rows, ignore_index=True)


def _jump_text(j: Jump) -> str:
    ratio = "infinite" if np.isinf(j.ratio) else f"{j.ratio:,.1f}"
    high = "inf" if np.isinf(j.high) else f"{j.high:,.1f}"
    return (f"jump {ratio} (95% CI {j.low:,.1f}-{high})\n"
            f"{j.above:,} just above, {j.below:,} just below")


def jump_figure(panels: dict[str, np.ndarray], jumps: dict[str, Jump]):
    """One histogram of outcome / target per panel, the two bins around 1.0 highlighted."""
    data = ratio_histogram_data(panels)
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.6), sharey=False)
    axes = np.atleast_1d(axes)
    for ax, (name, part) in zip(axes, data.groupby("panel", sort=False), strict=True):
        lows = part["bin_low"].to_numpy()
        near = (lows >= BELOW[0] - 1e-9) & (lows < ABOVE[1] - 1e-9)
        colours = np.where(near, _colour(name), PALETTE["grey"])
        ax.bar(lows, part["share"] * 100, width=BIN_WIDTH, align="edge", color=colours,
               edgecolor="white", linewidth=0.3)
        ax.axvline(1.0, color=COLOURS["target"], lw=1.0, ls="--")
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("outcome / target (the last bar: 2 or more)")
        ax.set_xlim(0, RATIO_MAX)
        ax.text(0.03, 0.97, _jump_text(jumps[name]), transform=ax.transAxes, va="top",
                fontsize=8.5)
    axes[0].set_ylabel("% of finished campaigns")
    return fig, data


# --------------------------------------------------------------------------- over the days
def daily_counts_data(daily: pd.DataFrame, setting: str) -> pd.DataFrame:
    """Per replicate and day: likes, open-eyed and closed-eyed likes of that day (not cumulative).

    daily: the day-by-day table of :func:`analysis.engine.montecarlo.trajectories`.
    """
    d = daily.sort_values(["replicate", "day"])
    g = d.groupby("replicate")
    out = pd.DataFrame({"setting": setting, "replicate": d["replicate"], "day": d["day"]})
    for col, new in (("cumulative", "likes"), ("cum_open_eyed", "open_eyed"),
                     ("cum_closed_eyed", "closed_eyed")):
        out[new] = g[col].diff().fillna(d[col]).astype(int).to_numpy()
    out["count_before"] = (d["cumulative"] - out["likes"]).to_numpy()
    return out.reset_index(drop=True)


def likes_by_day_data(counts: pd.DataFrame) -> pd.DataFrame:
    """Mean likes per day with the middle 90% of runs, per setting (``daily_counts_data`` rows)."""
    g = counts.groupby(["setting", "day"])["likes"]
    return pd.DataFrame({"mean": g.mean(), "p05": g.quantile(0.05),
                         "p95": g.quantile(0.95)}).reset_index()


def likes_by_day_figure(counts: pd.DataFrame):
    """Mean likes per day, visible against hidden, with the middle 90% of runs as a band."""
    data = likes_by_day_data(counts)
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    for setting, part in data.groupby("setting", sort=False):
        c = _colour(setting)
        ax.fill_between(part["day"], part["p05"], part["p95"], color=c, alpha=0.15)
        ax.plot(part["day"], part["mean"], color=c, marker="o", ms=3.5,
                label=f"progress {setting} (mean; band: 90% of runs)")
    ax.set_xlabel("day of the campaign")
    ax.set_ylabel("new likes that day")
    ax.legend()
    return fig, data


def closed_share_by_stage_data(counts: pd.DataFrame, target: int) -> pd.DataFrame:
    """Closed-eyes share of the likes given before the target, on the day that crossed it, after.

    counts: ``daily_counts_data`` rows (several settings allowed). A day's stage comes from the
    count the page showed that morning: ``before`` (below the target all day), ``crossing``
    (below in the morning, at or over it by night), ``after`` (already over). Returns rows
    (setting, stage, likes, closed_eyed, share) with a 95% Wilson interval (likes pooled over
    runs, so the interval is a guide, not exact: likes of one run are not independent).
    """
    c = counts.copy()
    night = c["count_before"] + c["likes"]
    c["stage"] = np.select([c["count_before"] >= target, night >= target],
                           ["after", "crossing"], "before")
    rows = []
    for (setting, stage), part in c.groupby(["setting", "stage"], sort=False):
        likes, closed = int(part["likes"].sum()), int(part["closed_eyed"].sum())
        lo, hi = proportion_confint(closed, likes, method="wilson") if likes else (np.nan,) * 2
        rows.append({"setting": setting, "stage": stage, "likes": likes, "closed_eyed": closed,
                     "share": closed / likes if likes else np.nan, "low": lo, "high": hi})
    order = {"before": 0, "crossing": 1, "after": 2}
    out = pd.DataFrame(rows)
    return out.sort_values(["setting", "stage"], key=lambda s: s.map(order) if s.name == "stage"
                           else s).reset_index(drop=True)


def closed_share_by_day_data(counts: pd.DataFrame) -> pd.DataFrame:
    """Closed-eyes share of each day's likes (pooled over runs), per setting and day."""
    g = counts.groupby(["setting", "day"])[["likes", "closed_eyed"]].sum().reset_index()
    g["share"] = np.where(g["likes"] > 0, g["closed_eyed"] / g["likes"].where(g["likes"] > 0), np.nan)
    return g


def closed_share_figure(by_day: pd.DataFrame, by_stage: pd.DataFrame):
    """Left: closed-eyes share by day. Right: before the target, the crossing day, after it."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8), gridspec_kw={"width_ratios": [3, 2]})
    for setting, part in by_day.groupby("setting", sort=False):
        ax1.plot(part["day"], part["share"] * 100, color=_colour(setting), marker="o", ms=3.5,
                 label=f"progress {setting}")
    ax1.set_xlabel("day of the campaign")
    ax1.set_ylabel("closed-eyes share of the day's likes (%)")
    ax1.set_ylim(0, 100)
    ax1.legend()
    stages = ["before", "crossing", "after"]
    settings = list(dict.fromkeys(by_stage["setting"]))
    width = 0.8 / max(len(settings), 1)
    for i, setting in enumerate(settings):
        part = by_stage[by_stage["setting"] == setting].set_index("stage").reindex(stages)
        x = np.arange(len(stages)) + (i - (len(settings) - 1) / 2) * width
        y = part["share"].to_numpy() * 100
        err = np.vstack([y - part["low"].to_numpy() * 100, part["high"].to_numpy() * 100 - y])
        ax2.bar(x, y, width=width, color=_colour(setting), label=f"progress {setting}")
        ax2.errorbar(x, y, yerr=np.clip(np.nan_to_num(err), 0, None), fmt="none", ecolor="black", lw=0.8)
    ax2.set_xticks(np.arange(len(stages)),
                   ["before the target", "the day it is\ncrossed", "after the target"])
    ax2.set_ylim(0, 100)
    ax2.set_ylabel("closed-eyes share (%)")
    return fig, by_stage


# --------------------------------------------------------------------------- the outcomes
def outcome_table(runs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """P(target), closed-eyes share, cost per open-eyed like and the charity's receipt per setting.

    runs: setting -> replicate rows (:func:`analysis.engine.montecarlo.replicates`). Returns
    rows (setting, measure, value, low, high): Wilson 95% interval for P(target), mean +- 1.96
    standard errors for the others (cost per open-eyed like over the runs that paid).
    """
    def mean_ci(x: pd.Series) -> tuple[float, float, float]:
        x = x.astype(float).dropna()
        if len(x) == 0:
            return (np.nan,) * 3
        half = 1.96 * x.std(ddof=1) / np.sqrt(len(x)) if len(x) > 1 else np.nan
        return x.mean(), x.mean() - half, x.mean() + half

    rows = []
    for setting, t in runs.items():
        k, m = int(t["target_reached"].sum()), len(t)
        lo, hi = proportion_confint(k, m, method="wilson")
        rows.append((setting, "P(target reached)", k / m, lo, hi))
        rows.append((setting, "closed-eyes share", *mean_ci(t["closed_eyes_share"])))
        paid = t.loc[t["target_reached"], "cost_per_open_eyed_like"]
        rows.append((setting, "GBP per open-eyed like (runs that paid)", *mean_ci(paid)))
        rows.append((setting, "GBP the charity expects", *mean_ci(t["charity_receives"])))
    return pd.DataFrame(rows, columns=["setting", "measure", "value", "low", "high"])


def outcome_figure(table: pd.DataFrame):
    """One small panel per measure: the settings side by side with their 95% intervals."""
    measures = list(dict.fromkeys(table["measure"]))
    fig, axes = plt.subplots(1, len(measures), figsize=(3.2 * len(measures), 3.4))
    for ax, measure in zip(np.atleast_1d(axes), measures, strict=True):
        part = table[table["measure"] == measure].reset_index(drop=True)
        scale = 100 if measure in ("P(target reached)", "closed-eyes share") else 1
        y = part["value"].to_numpy() * scale
        err = np.vstack([y - part["low"].to_numpy() * scale, part["high"].to_numpy() * scale - y])
        ax.bar(part["setting"], y, color=[_colour(s) for s in part["setting"]])
        ax.errorbar(part["setting"], y, yerr=np.clip(np.nan_to_num(err), 0, None), fmt="none", ecolor="black",
                    lw=0.9, capsize=3)
        ax.set_title(measure + (" (%)" if scale == 100 else ""), fontsize=9.5)
        ax.tick_params(axis="x", labelsize=8.5)
    return fig, table


# --------------------------------------------------------------------------- design
DESIGN_PANELS = (
    ("open_eyed_per_gbp", "brand: open-eyed likes per GBP it expects to pay", "{:.2f}"),
    ("charity_expected_gbp", "charity: GBP it expects to receive", "{:,.0f}"),
    ("risk_nothing", "charity: chance it gets nothing", "{:.0%}"),
)


def design_figure(table: pd.DataFrame, x: str = "target", y: str = "price_per_like"):
    """Three heat maps over the design grid (``x`` across, ``y`` up), one per goal."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.0))
    xs, ys = sorted(table[x].unique()), sorted(table[y].unique())
    for ax, (col, name, fmt) in zip(axes, DESIGN_PANELS, strict=True):
        grid = table.pivot_table(index=y, columns=x, values=col, aggfunc="first").reindex(
            index=ys, columns=xs)
        values = grid.to_numpy(dtype=float)
        shown = np.where(np.isfinite(values), values, np.nan)
        cmap = "Reds" if col == "risk_nothing" else "Blues" if col == "open_eyed_per_gbp" \
            else "Greens"
        image = ax.imshow(shown, origin="lower", aspect="auto", cmap=cmap)
        for (i, j), v in np.ndenumerate(values):
            label = "never paid" if np.isinf(v) else fmt.format(v)
            dark = np.isfinite(v) and image.norm(v) > 0.6  # light text on dark cells
            ax.text(j, i, label, ha="center", va="center", fontsize=7.5,
                    color="white" if dark else "black")
        ax.set_xticks(range(len(xs)), [f"{v:,}" for v in xs])
        ax.set_yticks(range(len(ys)), [f"{v:.2f}" if y == "price_per_like" else f"{v:g}"
                                       for v in ys])
        ax.set_xlabel(x.replace("_", " "))
        ax.set_ylabel("GBP per like at the target" if y == "price_per_like"
                      else y.replace("_", " "))
        ax.set_title(name, fontsize=9.5)
        ax.grid(False)
    return fig, table


def pareto_figure(table: pd.DataFrame, x: str = "target", y: str = "price_per_like"):
    """The brand's goal against the charity's, every design a dot, the Pareto front a line."""
    t = table[np.isfinite(table["open_eyed_per_gbp"]) & (table["charity_expected_gbp"] > 0)]
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    sc = ax.scatter(t["open_eyed_per_gbp"], t["charity_expected_gbp"], c=t["risk_nothing"] * 100,
                    cmap="Reds", vmin=0, vmax=100, edgecolor="black", linewidth=0.4, s=45)
    front = t[t["front"]].sort_values("open_eyed_per_gbp")
    ax.plot(front["open_eyed_per_gbp"], front["charity_expected_gbp"], color="black", lw=1.2,
            label="Pareto front: no design beats these on both goals")
    span = np.array([np.ptp(t["open_eyed_per_gbp"]) or 1.0, np.ptp(t["charity_expected_gbp"]) or 1.0])
    placed: list[np.ndarray] = []
    for _, r in front.iterrows():
        at = np.array([r["open_eyed_per_gbp"], r["charity_expected_gbp"]])
        if any(np.hypot(*((at - p) / span)) < 0.05 for p in placed):
            continue  # too close to a label already drawn: the CSV has every design
        placed.append(at)
        ax.annotate(f"{r[x]:,} likes, GBP {r[y]:.2f}", tuple(at), textcoords="offset points",
                    xytext=(5, 4), fontsize=7.5)
    ax.set_xlabel("brand: open-eyed likes per GBP it expects to pay")
    ax.set_ylabel("charity: GBP it expects to receive")
    fig.colorbar(sc, ax=ax, label="chance the charity gets nothing (%)")
    ax.legend(loc="upper right", fontsize=8)
    return fig, t


# --------------------------------------------------------------------------- the notebook's words
KICKSTARTER_SOURCE = "Kickstarter projects 2009-2010 (M. Mouillé, Kaggle, CC BY-NC-SA 4.0)"


def ratio_text(j: Jump) -> str:
    """A jump ratio in words: "infinite" when no run finished just below, else one decimal."""
    return "infinite" if np.isinf(j.ratio) else f"{j.ratio:,.1f}"


def interval_text(j: Jump) -> str:
    """A jump ratio with its 95% interval, the open upper end written "infinity"."""
    high = "infinity" if np.isinf(j.high) else f"{j.high:,.1f}"
    return f"{ratio_text(j)} (95% interval {j.low:,.1f} to {high})"


def kickstarter_sentence(ks: pd.DataFrame, done: pd.DataFrame, real: Jump) -> str:
    """What the Kickstarter sample is and the jump its finished projects show at their goal."""
    medians = done.groupby("state", observed=True)["ratio"].median()
    return (f"**Real data used:** {len(ks):,} projects launched {ks['launched'].min():%d %b %Y} to "
            f"{ks['launched'].max():%d %b %Y}; {len(done):,} ended successful or failed. "
            f"**{real.above:,}** finished in [1.0, 1.1) of their goal and **{real.below:,}** in "
            f"[0.9, 1.0): a jump of **{real.ratio:,.0f}** (95% interval {real.low:,.0f} to "
            f"{real.high:,.0f}). The median successful project raised "
            f"{medians['successful']:.2f}x its goal, the median failed one "
            f"{medians['failed']:.2f}x: projects succeed narrowly or fail by far (Mollick 2014).")


def kickstarter_summary(real: Jump | None) -> str:
    """The summary's clause on Kickstarter's jump (or on fetching the data when it is absent)."""
    if real is not None:
        return (f"Kickstarter's projects of 2009-2010 finished just above their goal "
                f"**{real.ratio:,.0f}** times as often as just below;")
    return ("Kickstarter's projects of 2009-2010 (fetch them with `make data`) finish far more "
            "often just above their goal than just below;")


def jump_panels(done: pd.DataFrame | None, real: Jump | None, runs: dict[str, pd.DataFrame],
                sim: dict[str, Jump], target: int) -> tuple[dict, dict]:
    """The panels of :func:`jump_figure` (Kickstarter first, when present) and their jumps."""
    panels, jumps = {}, {}
    if done is not None:
        panels["Kickstarter 2009-10, successful + failed"] = done["ratio"].to_numpy()
        jumps["Kickstarter 2009-10, successful + failed"] = real
    for s, t in runs.items():
        name = f"the kit, progress {s}"
        panels[name], jumps[name] = (t["likes"] / target).to_numpy(), sim[s]
    return panels, jumps


def jump_labels(vis: Jump, hid: Jump, real: Jump | None, replicates: int, seed: int) -> dict:
    """Title, alt text and source of the jump chart, for ``save_chart(**labels)``."""
    title = (f"In the model, campaigns people can see finish just above their target "
             f"{ratio_text(vis)} times as often as just below (hidden: {ratio_text(hid)})"
             + (f"; Kickstarter 2009-10: {real.ratio:,.0f}" if real is not None else ""))
    alt = ("Histograms of final outcome divided by target, in bins of 0.05: "
           + ("Kickstarter projects of 2009-2010 pile up just above 1.0 with almost none just "
              "below; " if real is not None else "")
           + f"{replicates} simulated campaigns with the target visible have {vis.above} runs "
             f"just above and {vis.below} just below the target, and with it hidden {hid.above} "
             f"and {hid.below}.")
    source = (f"simulation, {replicates} runs per setting, seed {seed}"
              + (f"; {KICKSTARTER_SOURCE}" if real is not None else ""))
    return {"title": title, "alt": alt, "source": source}


def jump_sentence(vis: Jump, hid: Jump, real: Jump | None, replicates: int,
                  p_target_hidden: float) -> str:
    """The jump with the target visible and hidden, and how far Kickstarter's is from the kit's."""
    text = (f"With the target visible, {vis.above} of {replicates} runs finished in [1.0, 1.1) of "
            f"the target and {vis.below} in [0.9, 1.0): a jump of **{interval_text(vis)}**. With "
            f"it hidden: {hid.above} and {hid.below}, a jump of **{interval_text(hid)}**. Without "
            "a visible target nothing happens at 1.0: the hidden ratio only reflects where the "
            "target sits in a smooth distribution of outcomes (below 1 when the target is above "
            f"the median run, as here: P(target) {pct(p_target_hidden)}). ")
    if real is None:
        return text
    gap = real.ratio / vis.ratio if np.isfinite(vis.ratio) and vis.ratio > 0 else np.nan
    return text + (f"Kickstarter's jump, **{real.ratio:,.0f}**, is "
                   + (f"about **{gap:,.0f} times** the kit's" if np.isfinite(gap) else
                      "not comparable with the kit's (no run finished just below)")
                   + (": the visible-progress defaults make the kit's campaigns bunch above the "
                      "target as real ones do, but far less sharply" if vis.ratio > hid.ratio
                      else ": in these runs the kit shows no clear jump at all")
                   + ". The gap is stated, not tuned away: a page needs many more people to "
                     "close its last 10% than a project needs dollars.")


def stage_share_lookup(stage: pd.DataFrame):
    """``share(setting, stage)`` from :func:`closed_share_by_stage_data` (NaN when absent)."""
    st = stage.set_index(["setting", "stage"])

    def stage_share(setting: str, name: str) -> float:
        return st["share"].get((setting, name), np.nan)

    return stage_share


def stage_sentence(stage: pd.DataFrame, after_target: float) -> str:
    """The closed-eyes share before, on and after the day the target is crossed, visible and
    hidden (:func:`closed_share_by_stage_data`), and the motive ``after_target`` leaves."""
    share = stage_share_lookup(stage)
    return (
        f"With the target visible, **{pct(share('visible', 'before'))}** of the likes before "
        f"the target are closed-eyed, **{pct(share('visible', 'crossing'))}** on the day it is "
        f"crossed and **{pct(share('visible', 'after'))}** after it (with it hidden: "
        f"{pct(share('hidden', 'before'))}, {pct(share('hidden', 'crossing'))} and "
        f"{pct(share('hidden', 'after'))}). The likes that carry the page over are "
        + ("mostly" if share("visible", "crossing") > 0.5 else "not mostly")
        + " closed-eyed; once the target is in, the charity motive keeps "
        f"`after_target = {after_target}` of its pull, so the likes that still come are "
        "mostly the open-eyed ones that would have come anyway.")


def outcomes_sentence(outcomes: pd.DataFrame) -> str:
    """Four bullets, each measure of :func:`outcome_table` with its 95% interval, visible then
    hidden (shares as percentages, money in GBP with pence)."""
    o = outcomes.set_index(["setting", "measure"])

    def fmt(setting, measure, money=False):
        r = o.loc[(setting, measure)]
        f = (lambda x: gbp(x, 2)) if money else pct
        return f"{f(r['value'])} ({f(r['low'])} to {f(r['high'])})"

    cost, charity = "GBP per open-eyed like (runs that paid)", "GBP the charity expects"
    return (
        f"- P(target reached): **{fmt('visible', 'P(target reached)')}** visible, "
        f"{fmt('hidden', 'P(target reached)')} hidden.\n"
        f"- Closed-eyes share: **{fmt('visible', 'closed-eyes share')}** visible, "
        f"{fmt('hidden', 'closed-eyes share')} hidden.\n"
        f"- Cost per open-eyed like (runs that paid): **{fmt('visible', cost, True)}** visible, "
        f"{fmt('hidden', cost, True)} hidden.\n"
        f"- The charity expects **{fmt('visible', charity, True)}** visible, "
        f"{fmt('hidden', charity, True)} hidden.")


def designs_sentence(best_brand: pd.Series, best_charity: pd.Series, safest: pd.Series,
                     n_front: int) -> str:
    """The best design for each goal (``engine.design.best_designs``) and the size of the Pareto
    front (``n_front`` designs), as four bullets."""
    b, c, s = best_brand, best_charity, safest
    return (
        f"- For the **brand** (open-eyed likes per GBP it expects to pay): target "
        f"{b['target']:,} at {gbp(b['price_per_like'])} a like, "
        f"{b['open_eyed_per_gbp']:.2f} open-eyed likes per GBP, but the charity then gets "
        f"nothing in {pct(b['risk_nothing'])} of runs.\n"
        f"- For the **charity's expected receipt**: target {c['target']:,} at "
        f"{gbp(c['price_per_like'])}, {gbp(c['charity_expected_gbp'], 0)} "
        f"({gbp(c['charity_low'], 0)} to {gbp(c['charity_high'], 0)}).\n"
        f"- For the **least risk** that the charity gets nothing: target {s['target']:,} "
        f"({pct(s['risk_nothing'])} of runs pay nothing).\n"
        f"- {n_front} designs form the Pareto front; a design off the front can be bettered for "
        "both the brand and the charity. Every design counts a target nobody reaches as free "
        "likes for the brand: a brand that wants likes and no cheque sets the target out of "
        "reach.")
