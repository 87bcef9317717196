"""Figures of the data tour (notebook 00): the experts' lists at a glance."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..data import _check_competencies_frame, competency_counts, list_summary
from .style import CATEGORY_COLORS, use_style

__all__ = ["plot_category_shares", "plot_competency_counts", "plot_list_sizes"]


def plot_list_sizes(expert_lists: pd.DataFrame) -> Figure:
    """Horizontal bars: number of items in each expert list, split by our category (skill / trait)."""
    summary = list_summary(expert_lists).iloc[::-1]
    use_style()
    fig = Figure(figsize=(7, 0.32 * len(summary) + 1.2))
    ax = fig.subplots()
    labels = summary["list_name"]
    ax.barh(labels, summary["our_skill"], color=CATEGORY_COLORS["skill"], label="skill (our category)")
    ax.barh(
        labels,
        summary["our_trait"],
        left=summary["our_skill"],
        color=CATEGORY_COLORS["trait"],
        label="trait (our category)",
    )
    ax.set_xlabel("items in the list")
    ax.set_title("How long is each expert's list?")
    ax.legend(loc="lower right")
    return fig


def plot_category_shares(expert_lists: pd.DataFrame) -> Figure:
    """Share of skills per list: by the author's own label and by our category, side by side.

    Lists whose author labelled nothing have no author bar (hatched "unlabeled" marker instead).
    """
    summary = list_summary(expert_lists).iloc[::-1]
    use_style()
    fig = Figure(figsize=(7, 0.36 * len(summary) + 1.4))
    ax = fig.subplots()
    y = np.arange(len(summary))
    author = summary["author_skill_share"].to_numpy(dtype=float)
    ours = summary["our_skill_share"].to_numpy(dtype=float)
    ax.barh(y + 0.2, np.nan_to_num(author), height=0.38, color="#555555", label="author's label")
    ax.barh(y - 0.2, ours, height=0.38, color=CATEGORY_COLORS["skill"], label="our category")
    for yi in y[np.isnan(author)]:
        ax.text(0.01, yi + 0.2, "unlabeled by author", va="center", fontsize=7, color="#555555")
    ax.set_yticks(y, summary["list_name"])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of items that are skills (the rest are traits)")
    ax.set_title("Skills vs traits: the author's label and our category")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2)
    return fig


def plot_competency_counts(expert_lists: pd.DataFrame, competencies: pd.DataFrame) -> Figure:
    """Bars: how many lists name each competency, coloured by category (all competencies shown)."""
    _check_competencies_frame(competencies, {"name", "category"})
    counts = competency_counts(expert_lists).reindex(competencies.index)
    counts["n_lists"] = counts["n_lists"].fillna(0).astype(int)
    counts["category"] = competencies["category"]
    counts = counts.sort_values(["n_lists"], ascending=True, kind="stable")
    use_style()
    fig = Figure(figsize=(7, 0.24 * len(counts) + 1.2))
    ax = fig.subplots()
    names = competencies.loc[counts.index, "name"]
    ax.barh(names, counts["n_lists"], color=counts["category"].map(CATEGORY_COLORS))
    ax.set_xlabel(f"number of lists naming it (of {expert_lists['list_id'].nunique()})")
    ax.set_title("How many experts name each competency?")
    ax.legend(handles=[Patch(color=c, label=k) for k, c in CATEGORY_COLORS.items()], loc="lower right")
    return fig
