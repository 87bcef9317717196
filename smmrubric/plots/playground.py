"""Figures of the rubric playground (notebook 04): a rubric's weights against a reference weighting."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..data import CATEGORIES
from ..errors import SmmrubricError
from .style import CATEGORY_COLORS, use_style
from ..rubric import Rubric, check_rubric

__all__ = ["plot_rubric_weights", "update_rubric_weights"]


def plot_rubric_weights(rubric, reference=None, *, reference_label: str = "preset",
                        title: str | None = None) -> Figure:
    """Horizontal bars of a rubric's normalised weights, skills then traits, with a reference as ticks.

    Each bar is the weight ``w_i = r_i / sum_j r_j`` of competency ``i`` (``rubric.weights``), coloured
    by category (:data:`smmrubric.figures.CATEGORY_COLORS`); within a category the competencies keep the
    rubric's order. The legend gives each category's share ``sum_{i in c} w_i``
    (``rubric.category_weights``). With ``reference`` (another rubric on the same competencies, or a
    Series of normalised weights by ``competency_id``; missing competencies count as 0), a black tick
    marks each reference weight so that moves away from it show.

    Parameters
    ----------
    rubric
        A :class:`smmrubric.Rubric`.
    reference
        Optional reference weights (a Rubric or a Series indexed by ``competency_id``).
    reference_label
        Legend label of the reference ticks.
    title
        Figure title; the rubric's name by default.

    Returns
    -------
    matplotlib.figure.Figure
    """
    weights, ref = _checked(rubric, reference)
    if not isinstance(reference_label, str):
        raise SmmrubricError(f"must be text, got {reference_label!r}", field="reference_label")
    if title is not None and not isinstance(title, str):
        raise SmmrubricError(f"must be text or None, got {title!r}", field="title")
    categories = rubric.categories
    order = np.argsort(pd.Categorical(categories, categories=list(CATEGORIES)).codes, kind="stable")
    ids = weights.index[order]
    y = np.arange(len(ids))[::-1]
    use_style()
    fig = Figure(figsize=(6.4, 0.2 * len(ids) + 1.3))
    ax = fig.subplots()
    ax.barh(y, weights[ids].to_numpy(), color=categories[ids].map(CATEGORY_COLORS).to_numpy(), height=0.72,
            gid="weights")
    if ref is not None:
        ax.scatter(ref[ids].to_numpy(), y, marker="|", s=110, color="black", linewidths=1.6, zorder=3,
                   gid="reference")
    ax.set_yticks(y, rubric.names[ids].to_numpy(), fontsize=7)
    ax.set_xlim(0, max(float(weights.max()), float(ref.max()) if ref is not None else 0.0) * 1.08)
    ax.set_xlabel("normalised weight (sums to 1)")
    ax.set_title(title if title is not None else rubric.name)
    share = rubric.category_weights
    handles = [Patch(color=CATEGORY_COLORS[c], label=f"{c}s {share[c]:.0%}") for c in CATEGORIES]
    if ref is not None:
        handles.append(Line2D([], [], marker="|", linestyle="none", color="black", markersize=10,
                              label=reference_label))
    ax.legend(handles=handles, loc="lower right", fontsize=7)
    fig.smmrubric_order = list(ids)  # the bar order, for update_rubric_weights
    return fig


def update_rubric_weights(fig: Figure, rubric, reference=None, *, reference_label: str | None = None) -> Figure:
    """Redraw the bars (and reference ticks) of a :func:`plot_rubric_weights` figure with new weights.

    Much faster than a new figure (no new axes, ticks or labels): the playground calls it on every
    slider move. ``rubric`` must have the competencies the figure was made with, and ``reference`` is
    given if and only if the figure has reference ticks; ``reference_label``, if given, renames them in
    the legend.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig``, updated in place.
    """
    if not isinstance(fig, Figure) or not hasattr(fig, "smmrubric_order"):
        raise SmmrubricError("must be a figure made by plot_rubric_weights", field="fig")
    weights, ref = _checked(rubric, reference)
    ids = fig.smmrubric_order
    if sorted(ids) != sorted(weights.index):
        raise SmmrubricError("the rubric's competencies differ from the figure's", field="rubric")
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_gid() == "weights"]
    for patch, value in zip(bars, weights[ids].to_numpy()):
        patch.set_width(value)
    ticks = [c for c in ax.collections if c.get_gid() == "reference"]
    if (ref is None) != (not ticks):
        raise SmmrubricError("give a reference if and only if the figure was made with one", field="reference")
    if ticks:
        offsets = ticks[0].get_offsets()
        offsets[:, 0] = ref[ids].to_numpy()
        ticks[0].set_offsets(offsets)
    ax.set_xlim(0, max(float(weights.max()), float(ref.max()) if ref is not None else 0.0) * 1.08)
    share = rubric.category_weights
    texts = ax.get_legend().get_texts()
    for text, category in zip(texts, CATEGORIES):
        text.set_text(f"{category}s {share[category]:.0%}")
    if reference_label is not None and ticks:
        texts[len(CATEGORIES)].set_text(reference_label)
    return fig


def _checked(rubric, reference) -> tuple[pd.Series, pd.Series | None]:
    """The rubric's normalised weights and the reference weights on its competencies (0 where absent)."""
    check_rubric(rubric)
    weights = rubric.weights
    if reference is None:
        return weights, None
    if isinstance(reference, Rubric):
        reference = reference.weights
    if not isinstance(reference, pd.Series):
        raise SmmrubricError("must be a Rubric or a Series of weights by competency_id", field="reference")
    unknown = [c for c in reference.index if c not in set(weights.index)]
    if unknown:
        raise SmmrubricError("not a competency of the rubric", row=str(unknown[0]), field="reference")
    ref = pd.to_numeric(reference, errors="coerce").reindex(weights.index, fill_value=0.0)
    if ref.isna().any() or (ref < 0).any():
        raise SmmrubricError("reference weights must be non-negative numbers", field="reference")
    return weights, ref
