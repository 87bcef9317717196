"""Figures of notebook 05: your ratings (how raters use the scale, how far they agree, how sure the ranking is)."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..errors import SmmrubricError
from .style import CATEGORY_COLORS, use_style

__all__ = [
    "plot_rank_intervals",
    "plot_rater_severity",
    "plot_rating_distribution",
    "plot_reliability",
    "plot_shortlist_recovery",
]

_FLAG, _PLAIN, _GREY = "#D55E00", CATEGORY_COLORS["skill"], "#999999"


def _level_columns(table: pd.DataFrame) -> list[str]:
    """The score-level share columns of :func:`smmrubric.rating_design.rater_summary` (labels that are numbers)."""
    out = []
    for column in table.columns:
        try:
            float(column)
        except (TypeError, ValueError):
            continue
        out.append(column)
    if not out:
        raise SmmrubricError("has no score-level columns (use rating_design.rater_summary)", field="table")
    return out


def _stacked(ax: Any, table: pd.DataFrame, title: str) -> list[Any]:
    """Stacked horizontal bars of the share of ratings at each score level, one bar per row of ``table``."""
    levels = _level_columns(table)
    shades = colormaps["viridis"](np.linspace(0.15, 0.95, len(levels)))
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    handles = []
    for level, color in zip(levels, shades, strict=True):
        share = table[level].to_numpy(dtype=float)
        handles.append(ax.barh(y, share, left=left, color=color, height=0.75, label=level))
        left += share
    ax.set_yticks(y, [str(i) for i in table.index], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of ratings")
    ax.set_title(title, loc="left")
    return handles


def _placeholder(title: str, note: str) -> Figure:
    """A figure that says why there is nothing to draw (so a notebook saves the same figures on any data)."""
    use_style()
    fig = Figure(figsize=(7, 1.6), layout="constrained")
    ax = fig.subplots()
    ax.set_axis_off()
    ax.set_title(title, loc="left")
    ax.text(0.0, 0.5, textwrap.fill(f"Not computed: {note}", 100), va="center", fontsize=9, transform=ax.transAxes)
    return fig


def plot_rating_distribution(raters: pd.DataFrame) -> Figure:
    """How each rater uses the scale: the share of their ratings at each level, stacked, with their mean.

    Parameters
    ----------
    raters
        :func:`smmrubric.rating_design.rater_summary`.
    """
    if not isinstance(raters, pd.DataFrame) or raters.empty or "mean" not in raters.columns:
        raise SmmrubricError("must be a non-empty rater_summary table", field="raters")
    use_style()
    fig = Figure(figsize=(7, 0.3 * len(raters) + 1.5), layout="constrained")
    ax = fig.subplots()
    handles = _stacked(ax, raters, "Each rater's ratings by score level")
    for y, mean in zip(np.arange(len(raters))[::-1], raters["mean"], strict=True):
        ax.text(1.01, y, f"mean {mean:.2f}", va="center", fontsize=7, transform=ax.get_yaxis_transform())
    fig.legend(handles=handles, title="score", loc="outside right upper", fontsize=8)
    return fig


def plot_reliability(g: Any, d: pd.DataFrame | None = None, *, target: float = 0.80, note: str = "") -> Figure:
    """Left: the G study's variance components as shares (negative estimates, set to 0, marked); right: the
    D study's E rho^2 and Phi by number of raters, the competencies fixed (solid) or random (dashed).

    Parameters
    ----------
    g
        A :class:`smmrubric.reliability.GStudy`, or None (the figure then shows ``note``).
    d
        :attr:`smmrubric.ratings_study.ReliabilityStudy.d` (columns ``(competencies, coefficient)``), or None or
        empty for the left panel only.
    target
        The reliability drawn as a horizontal line.
    note
        Why there is no G study, shown when ``g`` is None.
    """
    if g is None:
        return _placeholder("G and D study", note or "no G study")
    if not hasattr(g, "components"):
        raise SmmrubricError(f"must be a GStudy, got {type(g).__name__}", field="g")
    use_style()
    fig = Figure(figsize=(9, 3.8), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1, 1.2))
    comps = g.components
    y = np.arange(len(comps))[::-1]
    colors = [_GREY if neg else _PLAIN for neg in comps["negative"]]
    left.barh(y, comps["share"].to_numpy(dtype=float), color=colors, height=0.7)
    left.set_yticks(
        y,
        [f"s2({c})" + (" < 0, set to 0" if neg else "") for c, neg in zip(comps.index, comps["negative"], strict=True)],
        fontsize=8,
    )
    for yi, share in zip(y, comps["share"], strict=True):
        left.text(share + 0.01, yi, f"{100 * share:.0f}%", va="center", fontsize=7)
    left.set_xlim(0, max(0.1, float(comps["share"].max()) * 1.25))
    left.set_xlabel("share of the variance of one rating")
    left.set_title(f"G study ({g.design})", loc="left")
    if d is not None and not d.empty:
        raters = d.index.to_numpy()
        for label, style in (("fixed", "-"), ("random", "--")):
            for coef, color, name in (("g", _PLAIN, "E rho^2 (ranking)"), ("phi", _FLAG, "Phi (absolute)")):
                right.plot(
                    raters,
                    d[(label, coef)].to_numpy(dtype=float),
                    style,
                    color=color,
                    marker="o",
                    markersize=3,
                    label=f"{name}, competencies {label}",
                )
        right.axhline(target, color=_GREY, lw=0.8)
        right.axvline(g.sizes["r"], color=_GREY, lw=0.8, ls=":")
        right.set_xticks(raters)
        right.set_ylim(0, 1)
        right.set_xlabel(f"raters per candidate (dotted: yours, {g.sizes['r']})")
        right.set_ylabel("reliability of the mean rating")
        right.legend(fontsize=7, loc="lower right")
    right.set_title("D study", loc="left")
    return fig


def plot_rater_severity(severity: pd.DataFrame, *, note: str = "") -> Figure:
    """Each rater's mean deviation from the other raters of the same candidates, with its interval; flagged
    raters (:func:`smmrubric.reliability.rater_severity`) in a second colour. An empty table shows ``note``
    (why there is none)."""
    if isinstance(severity, pd.DataFrame) and severity.empty:
        return _placeholder("Rater severity", note or "no rater severity")
    if not isinstance(severity, pd.DataFrame) or "deviation" not in severity.columns:
        raise SmmrubricError("must be a rater_severity table", field="severity")
    use_style()
    fig = Figure(figsize=(6.5, 0.35 * len(severity) + 1.6), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(severity))[::-1]
    colors = [_FLAG if f else _PLAIN for f in severity["flagged"]]
    dev = severity["deviation"].to_numpy(dtype=float)
    lo, hi = severity["lower"].to_numpy(dtype=float), severity["upper"].to_numpy(dtype=float)
    ax.hlines(y, np.where(np.isfinite(lo), lo, dev), np.where(np.isfinite(hi), hi, dev), colors=colors, lw=2)
    ax.scatter(dev, y, color=colors, zorder=3, s=25)
    ax.axvline(0, color=_GREY, lw=0.8)
    ax.set_yticks(y, [str(r) for r in severity.index], fontsize=8)
    ax.set_xlabel("mean deviation from the other raters of the same candidates (points)")
    ax.set_title("Rater severity (negative) and leniency (positive)", loc="left")
    ax.margins(y=0.15)
    fig.legend(
        handles=[Patch(color=_FLAG, label="flagged"), Patch(color=_PLAIN, label="not flagged")],
        fontsize=8,
        loc="outside right upper",
    )
    return fig


def plot_rank_intervals(intervals: Any, *, k: int | None = None, smaa: Any = None) -> Figure:
    """Each candidate's rank interval under resampled raters (line), median (tick) and point rank (dot), best
    first; with ``k`` (below the number of candidates) the shortlist cut and, with an SMAA result, each
    candidate's probability of being in the top ``k`` at the right.

    Parameters
    ----------
    intervals
        A :class:`smmrubric.sensitivity.RankIntervals`.
    k
        Shortlist size, drawn as a dashed line between ranks ``k`` and ``k + 1``.
    smaa
        A :class:`smmrubric.sensitivity.SMAAResult` of the same candidates, for the top-``k`` probabilities.
    """
    if not hasattr(intervals, "table"):
        raise SmmrubricError(f"must be a RankIntervals, got {type(intervals).__name__}", field="intervals")
    table = intervals.table
    n = len(table)
    use_style()
    fig = Figure(figsize=(7, 0.28 * n + 1.7), layout="constrained")
    ax = fig.subplots()
    y = np.arange(n)[::-1]
    ax.hlines(y, table["lower"] - 0.3, table["upper"] + 0.3, color=_PLAIN, lw=5, alpha=0.35)
    ax.scatter(table["median"], y, marker="|", color=_PLAIN, s=120, label="median rank")
    ax.scatter(table["rank"], y, color="black", s=14, zorder=3, label="rank on the observed ratings")
    cut = k if k is not None and k < n else None
    if cut is not None:
        ax.axvline(cut + 0.5, color=_FLAG, ls="--", lw=1, label=f"shortlist cut (k = {cut})")
    if cut is not None and smaa is not None:
        top_k = smaa.top_k(cut)
        for yi, cid in zip(y, table.index, strict=True):
            ax.text(
                1.01, yi, f"{100 * float(top_k[cid]):.0f}%", va="center", fontsize=7, transform=ax.get_yaxis_transform()
            )
        ax.set_title(f"Rank intervals; right: chance in the top {k} (SMAA)", loc="left")
    else:
        ax.set_title("Rank intervals", loc="left")
    ax.set_yticks(y, [str(i) for i in table.index], fontsize=8)
    ax.set_xlim(0.3, n + 0.7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"rank ({100 * intervals.confidence:.0f}% interval over {intervals.n_draws:,} rater resamples)")
    ax.legend(fontsize=7, loc="lower left")
    return fig


def plot_shortlist_recovery(recovery: Any) -> Figure:
    """The share of the true top k kept by the simulated shortlists: mean (dot) and 5th-95th percentiles over
    pools (line), one row per reliability (a :class:`smmrubric.sensitivity.ShortlistRecovery`)."""
    if not hasattr(recovery, "summary"):
        raise SmmrubricError(f"must be a ShortlistRecovery, got {type(recovery).__name__}", field="recovery")
    summary = recovery.summary()
    use_style()
    fig = Figure(figsize=(7, 0.5 * len(summary) + 1.6), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(summary))[::-1]
    colors = [_FLAG if label == "your raters" else _PLAIN for label in summary.index]
    ax.hlines(y, summary["low"], summary["high"], colors=colors, lw=2)
    ax.scatter(summary["mean"], y, color=colors, zorder=3, s=30)
    for yi, mean in zip(y, summary["mean"], strict=True):
        ax.text(mean, yi + 0.18, f"{100 * mean:.0f}%", ha="center", fontsize=7)
    ax.set_yticks(y, [f"{label} ({rho:.2f})" for label, rho in summary["reliability"].items()], fontsize=8)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(-0.6, len(summary) - 0.4)
    ax.set_xlabel(
        f"share of the true top {recovery.k} in the rated top {recovery.k} "
        f"(dot: mean; line: 5th-95th percentile of {len(recovery.overlaps)} pools)"
    )
    ax.set_title(f"What-if: pools of {recovery.n} rated by {recovery.raters} raters", loc="left")
    return fig
