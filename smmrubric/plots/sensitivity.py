"""Figures of the weight-sensitivity study (notebook 02)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..errors import SmmrubricError
from ..ranking import sort_frame
from ..sensitivity.replicated import SAMPLERS, ReplicatedStudy
from ..sensitivity.smaa import SMAAResult
from .style import CATEGORY_COLORS, use_style

__all__ = [
    "plot_agreement_matrix",
    "plot_composite_correlation",
    "plot_composite_curves",
    "plot_hiring_accuracy",
    "plot_pool_distributions",
    "plot_rank_acceptability",
    "plot_tornado",
    "plot_weight_uncertainty",
    "plot_weights_vs_noise",
]


def _frame(value: object, field: str) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame) or value.empty:
        raise SmmrubricError(f"must be a non-empty DataFrame, got {type(value).__name__}", field=field)
    return value


def plot_rank_acceptability(results: Mapping[str, SMAAResult], *, top: int = 12, ranks: int = 15) -> Figure:
    """Heatmaps of rank acceptability ``b_i^r`` for the leading candidates, one panel per result.

    Candidates are the ``top`` best by holistic acceptability in the first result, in that order, in
    every panel; columns are ranks 1..``ranks``; the last column gathers the ranks beyond.
    """
    if not isinstance(results, Mapping) or not results or not all(isinstance(r, SMAAResult) for r in results.values()):
        raise SmmrubricError("must map a label to an SMAAResult", field="results")
    first = next(iter(results.values()))
    leaders = first.summary(top=top).index
    use_style()
    fig = Figure(figsize=(4.2 * len(results) + 1, 0.3 * len(leaders) + 1.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(results), sharey=True))
    for ax, (label, res) in zip(axes, results.items()):
        b = res.rank_acceptability.loc[leaders]
        shown = b.iloc[:, :ranks].copy()
        if b.shape[1] > ranks:
            shown[f">{ranks}"] = b.iloc[:, ranks:].sum(axis=1)
        im = ax.imshow(shown.to_numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=1)
        ax.set_xticks(range(shown.shape[1]), [str(c) for c in shown.columns], fontsize=7)
        ax.set_yticks(range(len(leaders)), [str(i) for i in leaders], fontsize=7)
        ax.set_xlabel("rank")
        ax.set_title(label, fontsize=9)
    axes[0].set_ylabel("candidate (best holistic acceptability first)")
    fig.colorbar(im, ax=list(axes), label="rank acceptability b(rank)", shrink=0.8)
    fig.suptitle("How spread are the leading candidates' ranks?")
    return fig


def plot_tornado(
    intervals: pd.DataFrame,
    *,
    names: pd.Series | None = None,
    categories: pd.Series | None = None,
    top: int | None = 15,
) -> Figure:
    """Tornado chart of weight stability intervals (narrowest, i.e. most critical, at the top).

    Each bar spans ``[lower, upper]`` of :func:`smmrubric.sensitivity.stability_intervals`; the black
    tick is the current weight; bars are coloured by category when ``categories`` is given.
    """
    data = sort_frame(_frame(intervals, "intervals").dropna(subset=["lower", "upper"]), "width")
    if top is not None:
        data = data.head(top)
    data = data.iloc[::-1]
    labels = [str(names.get(i, i)) if names is not None else str(i) for i in data.index]
    colours = [
        CATEGORY_COLORS.get(categories.get(i), "#777777") if categories is not None else "#777777" for i in data.index
    ]
    use_style()
    fig = Figure(figsize=(7, 0.3 * len(data) + 1.6), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(data))
    ax.barh(y, data["upper"] - data["lower"], left=data["lower"], color=colours, height=0.6)
    ax.scatter(data["weight"], y, marker="|", color="black", s=120, zorder=3, label="current weight")
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, max(0.05, float(data["upper"].max()) * 1.05))
    ax.set_xlabel("weight (the others rescaled proportionally)")
    scope = intervals.attrs.get("scope", "ranking")
    ax.set_title(f"How far can each weight move before the {scope.replace('_', '-')} changes?", fontsize=10)
    handles: list[Any] = [ax.collections[0]]
    if categories is not None:
        handles += [Patch(color=c, label=f"{k} weight's interval") for k, c in CATEGORY_COLORS.items()]
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    return fig


def plot_agreement_matrix(matrix: pd.DataFrame, *, title: str = "Top-10 overlap between rubrics") -> Figure:
    """Heatmap of a square agreement matrix (e.g. :func:`smmrubric.sensitivity.agreement_matrix`)."""
    mat = _frame(matrix, "matrix")
    use_style()
    n = len(mat)
    fig = Figure(figsize=(0.45 * n + 3, 0.42 * n + 2), layout="constrained")
    ax = fig.subplots()
    im = ax.imshow(mat.to_numpy(dtype=float), cmap="viridis", vmin=0, vmax=1)
    ax.set_xticks(range(n), [str(c) for c in mat.columns], rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(n), [str(i) for i in mat.index], fontsize=7)
    for i in range(n):
        for j in range(n):
            v = mat.iat[i, j]
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=6, color="white" if v < 0.6 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.set_title(title)
    return fig


def _composite_axes(
    ax, simulated: pd.DataFrame | None, *, label: str, size: float, alpha: float, xlabel: str, ylabel: str
) -> None:
    """Simulated pools as points, the .95 line, axis labels and limits, the legend."""
    if simulated is not None:
        sim = _frame(simulated, "simulated")
        ax.scatter(
            sim["realised_mean_intercorrelation"],
            sim["observed"],
            s=size,
            color="black",
            alpha=alpha,
            label=label,
            zorder=3,
        )
    ax.axhline(0.95, color="#999999", lw=0.8, ls="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8, loc="lower right")


def plot_composite_correlation(curves: Mapping[str, pd.Series], simulated: pd.DataFrame | None = None) -> Figure:
    """Composite correlation against mean intercorrelation: analytic curves, simulated points.

    ``curves`` maps a label to :func:`smmrubric.sensitivity.composite_correlation_curve` output;
    ``simulated`` is :func:`smmrubric.sensitivity.simulated_composite_correlations` output (observed
    correlation at each pool's realised mean intercorrelation).
    """
    if not isinstance(curves, Mapping) or not curves:
        raise SmmrubricError("must map a label to a curve (Series indexed by rho)", field="curves")
    use_style()
    fig = Figure(figsize=(6.5, 4.2), layout="constrained")
    ax = fig.subplots()
    for label, curve in curves.items():
        ax.plot(curve.index, curve.to_numpy(), label=label)
    _composite_axes(
        ax,
        simulated,
        label="simulated pools (observed)",
        size=12,
        alpha=0.6,
        xlabel="mean intercorrelation of the competencies",
        ylabel="correlation of the two rubric totals",
    )
    ax.set_title("When do the weights matter? (Wilks 1938)")
    return fig


def plot_weights_vs_noise(overlaps: Mapping[str, pd.Series], *, k: int = 10) -> Figure:
    """Distributions of top-k overlap with the reference ranking, one box per source of change."""
    if not isinstance(overlaps, Mapping) or not overlaps:
        raise SmmrubricError("must map a label to a Series of overlaps", field="overlaps")
    use_style()
    fig = Figure(figsize=(7, 0.55 * len(overlaps) + 1.8), layout="constrained")
    ax = fig.subplots()
    labels = list(overlaps)[::-1]
    data = [np.asarray(overlaps[lab], dtype=float) for lab in labels]
    ax.boxplot(data, orientation="horizontal", tick_labels=labels, widths=0.5)
    for i, d in enumerate(data, start=1):
        ax.scatter([d.mean()], [i], marker="D", color=CATEGORY_COLORS["skill"], zorder=3, s=20)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel(f"share of the reference top {k} still in the top {k} (diamond = mean)")
    ax.set_title("Who gets hired: weights or rater noise?")
    return fig


def plot_pool_distributions(
    per_pool: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    xlabel: str,
    title: str,
    xlim: tuple[float, float] | None = None,
) -> Figure:
    """One box per statistic: its distribution over simulated pools (box: quartiles; whiskers: the central
    90% of the pools; diamond: the mean).

    Parameters
    ----------
    per_pool
        Pools x statistics (e.g. :attr:`smmrubric.sensitivity.ReplicatedStudy.per_pool`).
    columns
        ``{column: label}``: the statistics shown, top to bottom.
    xlabel, title
        Axis label and title.
    xlim
        Optional x range.
    """
    data = _frame(per_pool, "per_pool")
    if not isinstance(columns, Mapping) or not columns:
        raise SmmrubricError("must map a column of per_pool to its label", field="columns")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise SmmrubricError(f"no column {missing[0]!r}", field="columns")
    use_style()
    fig = Figure(figsize=(7, 0.5 * len(columns) + 1.8), layout="constrained")
    ax = fig.subplots()
    names = list(columns)[::-1]
    values = [data[c].to_numpy(dtype=float) for c in names]
    ax.boxplot(
        values,
        orientation="horizontal",
        tick_labels=[columns[c] for c in names],
        widths=0.5,
        whis=(5, 95),
        showfliers=False,
    )
    for i, v in enumerate(values, start=1):
        ax.scatter([v.mean()], [i], marker="D", color=CATEGORY_COLORS["skill"], zorder=3, s=20)
    if xlim is not None:
        ax.set_xlim(*xlim)
    ax.set_xlabel(f"{xlabel} (box: quartiles over {len(data)} pools; whiskers: 90%; diamond: mean)", fontsize=8)
    ax.set_title(title, fontsize=10)
    return fig


def plot_hiring_accuracy(hiring: pd.DataFrame) -> Figure:
    """How much better or worse each hiring choice does than the consensus weights, over simulated pools.

    One row per arm of :attr:`smmrubric.sensitivity.ReplicatedStudy.hiring` but the reference: the mean paired
    difference in the hires' performance (criterion SD) and the central 90% of the pools.
    """
    table = _frame(hiring, "hiring")
    required = {"label", "difference", "difference_low", "difference_high"}
    if not required <= set(table.columns):
        raise SmmrubricError(f"must have the columns {sorted(required)}", field="hiring")
    rows = table.iloc[1:].iloc[::-1]
    use_style()
    fig = Figure(figsize=(7, 0.45 * len(rows) + 1.8), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))
    ax.hlines(y, rows["difference_low"], rows["difference_high"], color="#777777", lw=2)
    ax.scatter(rows["difference"], y, color=CATEGORY_COLORS["skill"], zorder=3, s=30)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, rows["label"].tolist(), fontsize=8)
    ax.set_xlabel(
        f"performance of the hired minus with {table['label'].iloc[0]} (criterion SD; line: 90% of pools)", fontsize=8
    )
    ax.set_title("Hiring accuracy: weights or rating reliability?", fontsize=10)
    return fig


def plot_composite_curves(curves: pd.DataFrame, simulated: pd.DataFrame | None = None) -> Figure:
    """The curves of :func:`smmrubric.sensitivity.composite_curves`: the rubric against equal weights and its
    skills part against its traits part in colour, against each expert's rubric in grey; simulated pools
    (:func:`smmrubric.sensitivity.simulated_composite_correlations`) as points at their realised mean
    intercorrelation."""
    table = _frame(curves, "curves")
    use_style()
    fig = Figure(figsize=(6.8, 4.4), layout="constrained")
    ax = fig.subplots()
    bold = {"equal weights": CATEGORY_COLORS["skill"], "skills only vs traits only": CATEGORY_COLORS["trait"]}
    experts = [c for c in table.columns if c not in bold]
    for i, column in enumerate(experts):
        ax.plot(table.index, table[column], color="#AAAAAA", lw=0.8, label="vs an expert's rubric" if i == 0 else None)
    for column, colour in bold.items():
        if column in table:
            label = "vs equal weights" if column == "equal weights" else "skills part vs traits part"
            ax.plot(table.index, table[column], color=colour, lw=2, label=label)
    _composite_axes(
        ax,
        simulated,
        label="skills vs traits, simulated pools",
        size=10,
        alpha=0.5,
        xlabel="mean intercorrelation of the competencies (all equal)",
        ylabel="correlation with the rubric's total",
    )
    ax.set_title("When do the weights matter? (Wilks 1938)", fontsize=10)
    return fig


def plot_weight_uncertainty(study: ReplicatedStudy) -> Figure:
    """The weight-uncertainty statistics of :func:`smmrubric.sensitivity.replicated_study` over its pools: per
    sampler, the most frequent winner's first-rank acceptability and the share of the consensus shortlist kept."""
    if not isinstance(study, ReplicatedStudy):
        raise SmmrubricError(f"must be a ReplicatedStudy, got {type(study).__name__}", field="study")
    k = study.parameters["k"]
    columns = {f"{name}_leader_first": f"{name}: winner's first-rank acceptability" for name in SAMPLERS}
    columns.update({f"{name}_top_k_kept": f"{name}: share of the consensus top {k} kept" for name in SAMPLERS})
    return plot_pool_distributions(
        study.per_pool, columns, xlabel="share", title="Weight uncertainty over the replicated pools", xlim=(0, 1.02)
    )
