"""Figures of the weight-sensitivity study (notebook 02)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..errors import SmmrubricError
from ..ranking import sort_frame
from .style import CATEGORY_COLORS, use_style
from ..sensitivity.smaa import SMAAResult

__all__ = [
    "plot_agreement_matrix",
    "plot_composite_correlation",
    "plot_rank_acceptability",
    "plot_tornado",
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


def plot_tornado(intervals: pd.DataFrame, *, names: pd.Series | None = None,
                 categories: pd.Series | None = None, top: int | None = 15) -> Figure:
    """Tornado chart of weight stability intervals (narrowest, i.e. most critical, at the top).

    Each bar spans ``[lower, upper]`` of :func:`smmrubric.sensitivity.stability_intervals`; the black
    tick is the current weight; bars are coloured by category when ``categories`` is given.
    """
    data = sort_frame(_frame(intervals, "intervals").dropna(subset=["lower", "upper"]), "width")
    if top is not None:
        data = data.head(top)
    data = data.iloc[::-1]
    labels = [str(names.get(i, i)) if names is not None else str(i) for i in data.index]
    colours = [CATEGORY_COLORS.get(categories.get(i), "#777777") if categories is not None else "#777777"
               for i in data.index]
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
    handles = [ax.collections[0]]
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
    if simulated is not None:
        sim = _frame(simulated, "simulated")
        ax.scatter(sim["realised_mean_intercorrelation"], sim["observed"], s=12, color="black", alpha=0.6,
                   label="simulated pools (observed)", zorder=3)
    ax.axhline(0.95, color="#999999", lw=0.8, ls="--")
    ax.set_xlabel("mean intercorrelation of the competencies")
    ax.set_ylabel("correlation of the two rubric totals")
    ax.set_ylim(0, 1.02)
    ax.set_title("When do the weights matter? (Wilks 1938)")
    ax.legend(fontsize=8, loc="lower right")
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
