"""Figures of notebook 01: do the experts agree? (who names what, who is alike, the consensus, by year)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..aggregate import METHODS, _check_rank_columns
from ..compare import _check_similarity, exclusive_intersections, membership, similarity_linkage
from ..data import CATEGORIES, _check_competencies_frame, competency_counts, list_summary
from ..errors import SmmrubricError
from ..ranking import sort_frame
from .style import CATEGORY_COLORS, use_style

__all__ = [
    "plot_coding_sensitivity",
    "plot_consensus_ranks",
    "plot_consensus_uncertainty",
    "plot_emphasis_by_year",
    "plot_expert_upset",
    "plot_similarity_heatmap",
    "plot_similarity_null",
]


def _names(ids: Sequence[str], competencies: pd.DataFrame | None) -> list[str]:
    if competencies is None:
        return [str(i) for i in ids]
    return [str(competencies["name"].get(i, i)) for i in ids]


def _check_labels(labels: Any, field: str) -> Mapping[str, str]:
    if labels is None:
        return {}
    if not isinstance(labels, Mapping):
        raise SmmrubricError(f"must be a mapping {{list_id: label}} or None, got {labels!r}", field=field)
    return labels


def _check_optional_competencies(competencies: Any) -> None:
    if competencies is not None:
        _check_competencies_frame(competencies, {"name", "category"})


def _category_legend(ax, **kwargs) -> None:
    ax.legend(handles=[Patch(color=CATEGORY_COLORS[c], label=c) for c in CATEGORIES], **kwargs)


def plot_expert_upset(
    lists: Mapping[str, Sequence[Any]],
    categories: pd.Series,
    *,
    list_names: Mapping[str, str] | None = None,
    min_degree: int = 1,
) -> Figure:
    """UpSet-style plot (Lex et al. 2014) of which competencies each expert names.

    Columns are the exclusive intersections (:func:`smmrubric.compare.exclusive_intersections`):
    every competency is counted once, in the column of exactly the lists that name it. Top: number
    of competencies per column, split skill/trait; middle: the dot matrix (a filled dot = the list
    is in the combination); left: how many competencies each list names.

    Parameters
    ----------
    lists
        ``{list_id: [competency_id or tuple, ...]}``.
    categories
        ``competency_id -> 'skill' | 'trait'``.
    list_names
        Labels for the rows (default: the list ids).
    min_degree
        Show only combinations of at least this many lists.
    """
    groups = exclusive_intersections(lists)
    groups = groups[groups["degree"] >= min_degree].reset_index(drop=True)
    if groups.empty:
        raise SmmrubricError(f"no combination of {min_degree} or more lists", field="min_degree")
    m = membership(lists)
    if not isinstance(categories, pd.Series):
        raise SmmrubricError(
            "must be a Series competency_id -> 'skill' | 'trait' (competencies['category'])", field="categories"
        )
    missing = [i for i in m.index if i not in categories.index]
    if missing:
        raise SmmrubricError(f"no category for {missing[0]!r}", field="categories")
    bad = [i for i in m.index if categories[i] not in CATEGORIES]
    if bad:
        raise SmmrubricError(
            f"category of {bad[0]!r} must be 'skill' or 'trait', got {categories[bad[0]]!r}",
            row=str(bad[0]),
            field="categories",
        )
    list_ids = list(m.columns)
    sizes = m.sum(axis=0)
    n_cols, n_rows = len(groups), len(list_ids)
    list_names = _check_labels(list_names, "list_names")
    labels = [list_names.get(k, k) for k in list_ids]
    label_width = 0.085 * max(len(label) for label in labels) + 0.3  # inches, at 8 pt
    use_style()
    fig = Figure(figsize=(1.3 + label_width + 0.3 * n_cols, 0.3 * n_rows + 3.4))
    grid = fig.add_gridspec(
        2, 3, width_ratios=(1.3, label_width, 0.3 * n_cols), height_ratios=(2.0, 0.3 * n_rows), wspace=0.0, hspace=0.04
    )
    ax_bar = fig.add_subplot(grid[0, 2])
    ax_dot = fig.add_subplot(grid[1, 2], sharex=ax_bar)
    ax_set = fig.add_subplot(grid[1, 0], sharey=ax_dot)
    x = np.arange(n_cols)
    bottom = np.zeros(n_cols)
    for category in CATEGORIES:
        counts = np.array([sum(categories[i] == category for i in items) for items in groups["items"]])
        ax_bar.bar(x, counts, bottom=bottom, color=CATEGORY_COLORS[category], width=0.7, label=category)
        bottom += counts
    for xi, total in zip(x, bottom):
        ax_bar.text(float(xi), float(total) + 0.05, str(int(total)), ha="center", va="bottom", fontsize=7)
    ax_bar.set_ylabel("competencies")
    ax_bar.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax_bar.set_title("Which competencies does each expert name? (exclusive intersections)", loc="right")
    ax_bar.tick_params(axis="x", bottom=False, labelbottom=False)
    ax_bar.legend(loc="upper right")
    y = np.arange(n_rows)[::-1]  # first list at the top
    row_of = dict(zip(list_ids, y))
    ax_dot.scatter(np.repeat(x, n_rows), np.tile(y, n_cols), s=28, color="#e6e6e6", zorder=1)
    for xi, combo in zip(x, groups["lists"]):
        ys = sorted(row_of[k] for k in combo)
        ax_dot.plot([xi, xi], [ys[0], ys[-1]], color="#333333", lw=1.5, zorder=2)
        ax_dot.scatter([xi] * len(ys), ys, s=28, color="#333333", zorder=3)
    ax_dot.set_yticks(y, labels, fontsize=8)
    ax_dot.tick_params(axis="y", left=False, pad=6)
    ax_dot.tick_params(axis="x", bottom=False, labelbottom=False)
    ax_dot.set_xlim(-0.6, n_cols - 0.4)
    ax_dot.set_xlabel("combinations of lists (each competency counted once)")
    ax_dot.spines[["left", "bottom"]].set_visible(False)
    ax_set.barh(y, sizes.to_numpy(), color="#555555", height=0.6)
    ax_set.invert_xaxis()
    ax_set.tick_params(axis="y", left=False, labelleft=False)
    ax_set.set_xlabel("competencies named")
    ax_set.spines[["left", "top"]].set_visible(False)
    return fig


def plot_similarity_heatmap(
    similarity: pd.DataFrame,
    *,
    method: str = "average",
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """Clustered heatmap of pairwise list similarity, with the dendrogram of the lists.

    The clustering is :func:`smmrubric.compare.similarity_linkage` (linkage of the distances
    :math:`1 - s`, via ``squareform``, not of the rows as features); rows and columns follow the
    dendrogram's leaf order and each cell shows the similarity to two decimals.
    """
    from scipy.cluster.hierarchy import dendrogram

    _check_similarity(similarity)
    labels = _check_labels(labels, "labels")
    z = similarity_linkage(similarity, method)
    n = similarity.shape[0]
    use_style()
    fig = Figure(figsize=(0.45 * n + 3.4, 0.45 * n + 2.6))
    ax_tree, ax_heat = fig.subplots(1, 2, sharey=True, width_ratios=(1.4, 0.45 * n))
    # dendrogram leaf k sits at y = 10 k + 5; the heatmap is drawn on the same coordinates
    tree = dendrogram(
        z, orientation="left", ax=ax_tree, no_labels=True, color_threshold=0, above_threshold_color="#555555"
    )
    order = tree["leaves"]
    ax_tree.axis("off")
    values = similarity.to_numpy(dtype=float)[np.ix_(order, order)]
    names = [labels.get(k, k) for k in similarity.index[order]]
    image = ax_heat.imshow(
        values, cmap="viridis", vmin=0, vmax=1, aspect="auto", origin="lower", extent=(0, 10 * n, 0, 10 * n)
    )
    centres = 10 * np.arange(n) + 5
    for (i, j), v in np.ndenumerate(values):
        ax_heat.text(
            centres[j],
            centres[i],
            f"{v:.2f}",
            ha="center",
            va="center",
            fontsize=6.5,
            color="white" if v < 0.6 else "black",
        )
    ax_heat.set_xticks(centres, names, rotation=90, fontsize=8)
    ax_heat.set_yticks(centres, names, fontsize=8)
    ax_heat.yaxis.tick_right()
    ax_heat.tick_params(length=0, labelleft=False, labelright=True)
    ax_heat.set_ylim(10 * n, 0)  # first leaf at the top (shared with the dendrogram)
    ax_heat.spines[["left", "bottom"]].set_visible(False)
    cax = ax_heat.inset_axes((0.25, 1.03, 0.5, 0.025))  # outside the plot, so both panels keep one height
    fig.colorbar(image, cax=cax, orientation="horizontal", label="similarity")
    cax.xaxis.set_ticks_position("top")
    cax.xaxis.set_label_position("top")
    fig.suptitle(title or "How alike are the experts' lists?", fontweight="bold", y=1.04)
    fig.subplots_adjust(wspace=0.01)
    return fig


def plot_consensus_ranks(
    expert_lists: pd.DataFrame, table: pd.DataFrame, competencies: pd.DataFrame | None = None
) -> Figure:
    """Competencies by how many experts name them, beside their consensus rank under each method.

    Left: bars of the number of lists naming each competency
    (:func:`smmrubric.data.competency_counts`), coloured skill/trait. Right: one column per
    aggregation method (the columns of ``table`` from :func:`smmrubric.aggregate.consensus_table`
    that name a method) with the competency's consensus rank, shaded from first (dark) to last.
    Rows are sorted by number of lists, then by the first method's rank.
    """
    counts = competency_counts(expert_lists)
    _check_optional_competencies(competencies)
    if not isinstance(table, pd.DataFrame):
        raise SmmrubricError("must be the DataFrame from consensus_table", field="table")
    methods = [c for c in table.columns if c in METHODS]
    if not methods:
        raise SmmrubricError("has no method column (borda, kemeny, schulze, rra, mc4)", field="table")
    missing = [i for i in counts.index if i not in table.index]
    if missing:
        raise SmmrubricError(f"has no row for {missing[0]!r}", field="table")
    _check_rank_columns(table.loc[counts.index], methods, "table")
    if table.loc[counts.index, methods].isna().any().any():
        raise SmmrubricError("has missing ranks", field="table")
    rows = counts.assign(first=table.loc[counts.index, methods[0]].to_numpy(dtype=float))
    rows = sort_frame(rows, ["n_lists", "first"], ascending=[False, True])
    ranks = table.loc[rows.index, methods].to_numpy(dtype=float)
    n = len(rows)
    use_style()
    fig = Figure(figsize=(8.5, 0.25 * n + 1.6))
    ax_bar, ax_rank = fig.subplots(1, 2, sharey=True, width_ratios=(2.0, 0.32 * len(methods)))
    y = np.arange(n)
    ax_bar.barh(y, rows["n_lists"], color=rows["category"].map(CATEGORY_COLORS), height=0.7)
    ax_bar.set_yticks(y, _names(rows.index, competencies), fontsize=8)
    ax_bar.invert_yaxis()
    ax_bar.set_xlabel(f"lists naming it (of {expert_lists['list_id'].nunique()})")
    ax_bar.set_title("Named by how many experts")
    _category_legend(ax_bar, loc="lower right")
    ax_rank.imshow(ranks, cmap="viridis_r", aspect="auto", vmin=1, vmax=max(n, 2))
    for (i, j), v in np.ndenumerate(ranks):
        ax_rank.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=7, color="black" if v <= n / 2 else "white")
    ax_rank.set_xticks(
        np.arange(len(methods)), [m.upper() if m in ("rra", "mc4") else m.capitalize() for m in methods], fontsize=8
    )
    ax_rank.xaxis.tick_top()
    ax_rank.tick_params(length=0, labelleft=False)
    ax_rank.set_title("Consensus rank by method (1 = first)")
    ax_rank.spines[["left", "bottom"]].set_visible(False)
    fig.subplots_adjust(wspace=0.05)
    return fig


def plot_emphasis_by_year(expert_lists: pd.DataFrame, competencies: pd.DataFrame | None = None) -> Figure:
    """What the dated lists emphasise, by year: skill share and the competencies each one names.

    Only lists whose ``year`` is known are drawn (the title says how many of all lists that is).
    Top: the share of the list's items that are skills (our category), at the list's year. Bottom:
    a dot matrix of the competencies the dated lists name (rows) by list (columns, in year order),
    coloured by category; for a list ranked by importance, the dot is larger the higher the item ranks.
    """
    summary = list_summary(expert_lists)
    _check_optional_competencies(competencies)
    dated = summary[summary["year"].notna()].sort_values(["year"], kind="stable")
    if dated.empty:
        raise SmmrubricError("no list has a known year", field="expert_lists")
    items = expert_lists[expert_lists["list_id"].isin(dated.index)]
    first = items.sort_values("position", kind="stable").drop_duplicates(["list_id", "competency_id"])
    comp_order = (
        competency_counts(items)
        .reset_index()
        .sort_values(["category", "n_lists", "competency_id"], ascending=[True, False, True], kind="stable")
    )
    comp_ids = list(comp_order["competency_id"])
    use_style()
    fig = Figure(figsize=(max(5.5, 1.6 * len(dated) + 3.5), 0.24 * len(comp_ids) + 3.4))
    ax_share, ax_dot = fig.subplots(2, 1, height_ratios=(1.2, 0.24 * len(comp_ids)))
    x = np.arange(len(dated))
    ax_share.bar(x, dated["our_skill_share"], color=CATEGORY_COLORS["skill"], width=0.5, label="skill")
    ax_share.bar(
        x,
        1 - dated["our_skill_share"],
        bottom=dated["our_skill_share"],
        color=CATEGORY_COLORS["trait"],
        width=0.5,
        label="trait",
    )
    ax_share.set_xticks(x, [f"{int(yr)}\n{name}" for yr, name in zip(dated["year"], dated["list_name"])], fontsize=8)
    ax_share.set_ylim(0, 1)
    ax_share.set_ylabel("share of items")
    ax_share.set_title(f"What the dated lists emphasise ({len(dated)} of {len(summary)} lists have a year)")
    ax_share.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    row = {c: i for i, c in enumerate(comp_ids)}
    for xi, list_id in zip(x, dated.index):
        rows = first[first["list_id"] == list_id]
        length = int(summary.loc[list_id, "n_items"])
        ranked = bool(summary.loc[list_id, "ranked"]) if "ranked" in summary.columns else False
        size = (
            (40 + 120 * (length - rows["position"].to_numpy(dtype=float) + 1) / length)
            if ranked
            else np.full(len(rows), 80.0)
        )
        ax_dot.scatter(
            np.full(len(rows), xi),
            [row[c] for c in rows["competency_id"]],
            s=size,
            c=rows["category"].map(CATEGORY_COLORS).to_list(),
            zorder=3,
        )
    ax_dot.set_yticks(np.arange(len(comp_ids)), _names(comp_ids, competencies), fontsize=8)
    ax_dot.invert_yaxis()
    ax_dot.set_xticks(x, [str(int(yr)) for yr in dated["year"]])
    ax_dot.set_xlim(-0.6, len(dated) - 0.4)
    ax_dot.grid(axis="y", color="#eeeeee", zorder=0)
    ax_dot.set_xlabel("year of the list (dot size: higher in a list ranked by importance = larger)")
    fig.subplots_adjust(hspace=0.45)
    return fig


def plot_similarity_null(null: Any, *, labels: Mapping[str, str] | None = None, n_labelled: int = 3) -> Figure:
    """Every pairwise similarity of the lists, most alike first, against the band of random lists of the same sizes.

    ``null`` is a :class:`smmrubric.list_inference.SimilarityNull`. The dots are the observed pairwise Jaccard
    similarities sorted in decreasing order; the shaded band is the 2.5%-97.5% range of the k-th largest
    similarity among random lists (its line the median): a pair above the band at its rank is more alike than
    the k-th most alike pair of random lists usually is. The ``n_labelled`` most alike pairs are named.
    """
    from ..list_inference import SimilarityNull

    if not isinstance(null, SimilarityNull):
        raise SmmrubricError("must be the result of smmrubric.list_inference.similarity_null", field="null")
    labels = _check_labels(labels, "labels")
    band, pairs = null.band, null.pairs
    use_style()
    fig = Figure(figsize=(7.5, 4.2))
    ax = fig.subplots()
    x = band["rank"].to_numpy()
    ax.fill_between(
        x,
        band["null_low"],
        band["null_high"],
        color="#cccccc",
        step="mid",
        label="random lists of the same sizes (95% band)",
    )
    ax.step(x, band["null_median"], where="mid", color="#888888", lw=1, label="random lists (median)")
    ax.scatter(x, band["observed"], s=14, color=CATEGORY_COLORS["skill"], zorder=3, label="the experts' lists")
    for r in range(min(n_labelled, len(pairs))):
        pair = pairs.iloc[r]
        text = f"{labels.get(pair['list_a'], pair['list_a'])} / {labels.get(pair['list_b'], pair['list_b'])}"
        ax.annotate(
            text,
            (x[r], band["observed"].iloc[r]),
            xytext=(8, -2 - 9 * r),
            textcoords="offset points",
            fontsize=7,
            va="top",
        )
    ax.set_xlabel("pairs of lists, most alike first")
    ax.set_ylabel("Jaccard similarity")
    null_name = "uniform from the vocabulary" if null.null == "uniform" else "weighted by how often each is named"
    ax.set_title(f"How alike are the lists, beside chance? (null: {null_name})")
    ax.set_xlim(0.5, len(x) + 0.5)
    ax.set_ylim(0, max(1.0, float(band["observed"].max()) + 0.05))
    ax.legend(loc="upper right", fontsize=8)
    return fig


def plot_consensus_uncertainty(
    bootstrap: pd.DataFrame,
    stability: pd.DataFrame,
    *,
    competencies: pd.DataFrame | None = None,
    k: int = 5,
    n_shown: int = 15,
) -> Figure:
    """How sure is the consensus? Bootstrap rank intervals, and the top-k overlap as lists are added.

    Left: for the ``n_shown`` first competencies of the consensus, the rank from all lists (dot) and the
    bootstrap interval over lists (bar), from :func:`smmrubric.list_inference.bootstrap_consensus`. Right: the
    expected overlap of the consensus top ``k`` of ``m`` lists with that of all lists (line, 5%-95% band),
    from :func:`smmrubric.list_inference.consensus_stability`.
    """
    needed = {"rank", "rank_low", "rank_high"}
    if not isinstance(bootstrap, pd.DataFrame) or not needed <= set(bootstrap.columns):
        raise SmmrubricError("must be the DataFrame from bootstrap_consensus", field="bootstrap")
    if not isinstance(stability, pd.DataFrame) or not {"mean_overlap", "low", "high"} <= set(stability.columns):
        raise SmmrubricError("must be the DataFrame from consensus_stability", field="stability")
    _check_optional_competencies(competencies)
    shown = bootstrap.iloc[:n_shown]
    use_style()
    fig = Figure(figsize=(10, 0.26 * len(shown) + 1.8))
    ax_rank, ax_curve = fig.subplots(1, 2, width_ratios=(1.2, 1.0))
    y = np.arange(len(shown))
    colors = (
        [CATEGORY_COLORS[c] for c in competencies["category"].reindex(shown.index).fillna("skill")]
        if competencies is not None
        else [CATEGORY_COLORS["skill"]] * len(shown)
    )
    ax_rank.hlines(y, shown["rank_low"], shown["rank_high"], color=colors, lw=3, alpha=0.45)
    ax_rank.scatter(shown["rank"], y, color=colors, s=22, zorder=3)
    ax_rank.set_yticks(y, _names(list(shown.index), competencies), fontsize=8)
    ax_rank.invert_yaxis()
    ax_rank.set_xlabel("consensus rank (Borda): all lists (dot) and bootstrap interval over lists")
    ax_rank.set_title("Consensus ranks, resampling the lists")
    ax_rank.axvline(k + 0.5, color="#999999", lw=0.8, ls="--")
    m = stability.index.to_numpy()
    ax_curve.fill_between(m, stability["low"], stability["high"], color="#cccccc", label="5%-95% of draws")
    ax_curve.plot(m, stability["mean_overlap"], color=CATEGORY_COLORS["skill"], marker="o", ms=3, label="mean")
    ax_curve.set_xlabel("number of lists in the consensus")
    ax_curve.set_ylabel(f"top-{k} overlap with all lists' consensus")
    ax_curve.set_ylim(0, 1.02)
    ax_curve.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_curve.set_title(f"When does the top {k} stop moving?")
    ax_curve.legend(loc="lower right", fontsize=8)
    fig.subplots_adjust(wspace=0.45)
    return fig


def plot_coding_sensitivity(table: pd.DataFrame) -> Figure:
    """The headline numbers under each coding of the lists, beside the published coding.

    ``table`` is :func:`smmrubric.codings.coding_sensitivity`. Three panels share the codings as rows:
    Cohen's kappa of the authors' labels against our categories (with its Wald 95% interval), the skills'
    share of the items and of the consensus weights; the published coding's values are the dashed lines.
    """
    needed = {"kappa", "kappa_low", "kappa_high", "skill_share_items", "consensus_skill_share"}
    if not isinstance(table, pd.DataFrame) or not needed <= set(table.columns) or "published" not in table.index:
        raise SmmrubricError("must be the DataFrame from coding_sensitivity", field="table")
    use_style()
    fig = Figure(figsize=(10, 0.3 * len(table) + 1.6))
    axes = fig.subplots(1, 3, sharey=True)
    y = np.arange(len(table))
    published = table.loc["published"]
    panels = [
        ("kappa", "Cohen's kappa, labels vs ours"),
        ("skill_share_items", "skill share of the items"),
        ("consensus_skill_share", "skill share of the consensus"),
    ]
    for ax, (column, title) in zip(axes, panels):
        values = table[column].to_numpy(dtype=float)
        if column == "kappa":
            ax.hlines(
                y,
                table["kappa_low"].to_numpy(dtype=float),
                table["kappa_high"].to_numpy(dtype=float),
                color="#bbbbbb",
                lw=3,
            )
        ax.scatter(values, y, color=CATEGORY_COLORS["skill"], s=20, zorder=3)
        ax.axvline(float(published[column]), color="#555555", lw=0.8, ls="--")
        ax.set_title(title, fontsize=9)
        ax.set_xlim(0, 1.02)
    axes[0].set_yticks(y, list(table.index), fontsize=8)
    axes[0].invert_yaxis()
    fig.suptitle("How much do our coding choices matter?", fontweight="bold")
    fig.subplots_adjust(wspace=0.08)
    return fig
