"""Figures of the skills-versus-traits study (notebook 03).

The experts' skill / trait shares are drawn by :func:`smmrubric.plots.plot_category_shares` (data tour);
this module adds the split sweep, the growth curves and the assumption heatmap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..errors import SmmrubricError
from ..ranking import sort_frame
from ..split import AssumptionStudy, GrowthStudy, SplitSweep
from ..validation import check_choice, check_int
from .style import CATEGORY_COLORS, use_style

__all__ = [
    "plot_assumption_importance",
    "plot_decision_map",
    "plot_growth_curves",
    "plot_growth_heatmap",
    "plot_split_turnover",
]


def plot_split_turnover(sweep: SplitSweep, *, max_candidates: int = 25) -> Figure:
    """Top-k turnover against the skill share, with the exact break points of the top choice marked.

    Top panel: the share of the top k kept from the reference share and Kendall's tau of the full
    ranking. Bottom panel: for the candidates who are ever in the top k (at most ``max_candidates``,
    those in it over the widest range of shares first), the exact intervals of s in which they are in
    the top k (from :func:`smmrubric.split.split_break_points`). Dashed lines: the break points where the
    top choice changes.

    Parameters
    ----------
    sweep
        From :func:`smmrubric.split.split_sweep`.
    max_candidates
        How many candidates the bottom panel shows at most (>= 1).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(sweep, SplitSweep):
        raise SmmrubricError(f"must be a SplitSweep from split_sweep, got {type(sweep).__name__}", field="sweep")
    max_candidates = check_int(max_candidates, "max_candidates", low=1)
    use_style()
    fig = Figure(figsize=(7.5, 6.4))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.5])
    s = sweep.summary.index.to_numpy()
    top.plot(
        s,
        sweep.summary["top_k_overlap"],
        marker="o",
        ms=3,
        color=CATEGORY_COLORS["skill"],
        label=f"top-{sweep.k} overlap with s = {sweep.reference_share:g}",
    )
    top.plot(
        s,
        sweep.summary["kendall_tau"],
        marker="s",
        ms=3,
        color="#555555",
        label=f"Kendall tau vs s = {sweep.reference_share:g}",
    )
    top.set_ylim(min(0.0, float(sweep.summary[["top_k_overlap", "kendall_tau"]].min().min())) - 0.02, 1.02)
    top.set_ylabel("agreement with the reference")
    top.set_title("How the shortlist turns over as the skills' share of the weight moves")
    top.legend(loc="lower center", fontsize=8)
    breaks = sweep.top_k_breaks
    spans: dict[str, list[tuple[float, float]]] = {}
    for _, row in breaks.iterrows():
        for cid in row["top"].split(","):
            spans.setdefault(cid, []).append((row["s_from"], row["s_to"]))
    table = pd.DataFrame(
        {
            "width": [sum(b - a for a, b in iv) for iv in spans.values()],
            "first": [min(a for a, _ in iv) for iv in spans.values()],
        },
        index=list(spans),
    )
    widest = sort_frame(table, "width", ascending=False).head(max_candidates)
    shown = list(sort_frame(widest, ["first", "width"], ascending=[True, False]).index)
    for y, cid in enumerate(shown):
        bottom.broken_barh([(a, b - a) for a, b in spans[cid]], (y - 0.35, 0.7), color=CATEGORY_COLORS["trait"])
    bottom.set_yticks(range(len(shown)), shown, fontsize=7)
    bottom.invert_yaxis()
    bottom.set_ylabel(f"in the top {sweep.k} (exact intervals)")
    for ax in (top, bottom):
        for b in sweep.break_points:
            ax.axvline(b, color="#CC3311", lw=0.9, ls="--")
    bottom.set_xlabel("skill share s (traits get 1 - s)")
    bottom.set_xlim(0, 1)
    if len(sweep.break_points):
        top.plot([], [], color="#CC3311", ls="--", lw=0.9, label="top choice changes")
        top.legend(loc="lower center", fontsize=8)
    return fig


def plot_growth_curves(study: GrowthStudy) -> Figure:
    """Expected performance of the hired against the skill share, one curve per horizon (band: ±2 SE).

    The best share of each horizon is marked with a dot.
    """
    if not isinstance(study, GrowthStudy):
        raise SmmrubricError(f"must be a GrowthStudy from hire_and_grow, got {type(study).__name__}", field="study")
    use_style()
    fig = Figure(figsize=(7, 4.6))
    ax = fig.subplots()
    horizons = study.curves.index.get_level_values("months").unique()
    shades = np.linspace(0.35, 1.0, len(horizons))
    for months, shade in zip(horizons, shades):
        curve = study.curves.loc[months]
        s = curve.index.to_numpy()
        mean, se = curve["mean_performance"].to_numpy(), curve["se"].to_numpy()
        color = (0.0, 0.447 * shade, 0.698 * shade)
        ax.plot(s, mean, color=color, label=f"{months:g} months")
        ax.fill_between(s, mean - 2 * se, mean + 2 * se, color=color, alpha=0.18, lw=0)
        best = study.best.loc[months]
        ax.plot([best["best_share"]], [best["mean_performance"]], "o", color=color, ms=5)
    ax.set_xlabel("skill share s of the rubric weight (traits get 1 - s)")
    ax.set_ylabel("expected performance of the hired (criterion z)")
    p = study.parameters
    ax.set_title(f"Hire now, grow later: performance of the top {p['k']} of {p['n']} by skill share", fontsize=10)
    ax.legend(title="after hire", fontsize=8, loc="upper left")
    ax.set_xlim(0, 1)
    return fig


def plot_growth_heatmap(grid: pd.DataFrame, *, value: str = "best_share") -> Figure:
    """Heatmap of the best skill share over the assumptions (skill growth x trait validity), annotated.

    Each cell shows the best share and, below it in brackets, the range of shares not distinguishable
    from it within Monte Carlo error (``near_best_from``, ``near_best_to`` of
    :func:`smmrubric.split.growth_grid`).

    Parameters
    ----------
    grid
        From :func:`smmrubric.split.growth_grid`: one row per (``skill_gain``, ``trait_validity``).
    value
        ``"best_share"`` (at the grid's horizon, with the near-best ranges) or ``"best_share_at_hire"``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    value = check_choice(value, "value", ["best_share", "best_share_at_hire"])
    required = {"skill_gain", "trait_validity", value}
    if not isinstance(grid, pd.DataFrame) or not required <= set(grid.columns):
        raise SmmrubricError(f"must be a DataFrame from growth_grid with columns {sorted(required)}", field="grid")
    if grid.empty:
        raise SmmrubricError("has no rows", field="grid")
    repeated = grid.duplicated(["skill_gain", "trait_validity"])
    if repeated.any():
        first = grid.loc[repeated].iloc[0]
        raise SmmrubricError(
            "two rows for the same assumptions",
            row=f"skill_gain {first['skill_gain']}, trait_validity {first['trait_validity']}",
            field="grid",
        )
    for column in [c for c in grid.columns if c in {*required, "near_best_from", "near_best_to"}]:
        numbers = pd.to_numeric(grid[column], errors="coerce")
        if numbers.isna().any():
            raise SmmrubricError(
                f"must be numbers, got {grid[column][numbers.isna()].iloc[0]!r}",
                row=str(grid.index[numbers.isna()][0]),
                field=column,
            )
    table = grid.pivot(index="skill_gain", columns="trait_validity", values=value).sort_index(ascending=False)
    use_style()
    fig = Figure(figsize=(6.4, 4.6))
    ax = fig.subplots()
    image = ax.imshow(table.to_numpy(dtype=float), cmap="cividis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(table.shape[1]), [f"{v:g}" for v in table.columns])
    ax.set_yticks(range(table.shape[0]), [f"{v:g}" for v in table.index])
    ranges = None
    if value == "best_share" and {"near_best_from", "near_best_to"} <= set(grid.columns):
        ranges = [
            grid.pivot(index="skill_gain", columns="trait_validity", values=c).reindex_like(table)
            for c in ("near_best_from", "near_best_to")
        ]
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            v = table.iat[i, j]
            label = f"{v:.2f}" if ranges is None else f"{v:.2f}\n[{ranges[0].iat[i, j]:.2f}, {ranges[1].iat[i, j]:.2f}]"
            ax.text(j, i, label, ha="center", va="center", fontsize=8, color="white" if v < 0.55 else "black")
    ax.set_xlabel("trait validity (correlation of the traits composite with performance)")
    ax.set_ylabel("mean skill growth (SD per year)")
    when = (
        f"after {grid['months'].iloc[0]:g} months" if "months" in grid.columns and value == "best_share" else "at hire"
    )
    ax.set_title(f"Best skill share of the rubric weight {when}", fontsize=10)
    ax.grid(False)
    fig.colorbar(image, ax=ax, label="best skill share s")
    return fig


_OUTCOMES = {
    "best_share_at_hire": "best share\nat hire",
    "best_share_later": "best share\nlater",
    "advantage_at_hire": "advantage of\ns = .75 at hire",
    "advantage_later": "advantage of\ns = .75 later",
}


def plot_assumption_importance(study: AssumptionStudy) -> Figure:
    """Heatmap of the partial rank correlations of each assumption (rows, lettered) with each outcome (columns).

    Red: raising the assumption pushes the outcome down (towards traits); blue: up (towards skills). Cells are
    annotated with the coefficient, and a dot marks p >= .05.
    """
    if not isinstance(study, AssumptionStudy):
        raise SmmrubricError(
            f"must be an AssumptionStudy from assumption_study, got {type(study).__name__}", field="study"
        )
    table = study.importance
    letters = study.letters
    use_style()
    fig = Figure(figsize=(7.2, 0.42 * len(table) + 1.9), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(table.to_numpy(dtype=float), cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(range(table.shape[1]), [_OUTCOMES.get(c, c) for c in table.columns], fontsize=8)
    ax.set_yticks(range(table.shape[0]), [f"{letters.get(a, '?')}  {a}" for a in table.index], fontsize=8)
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            v = table.iat[i, j]
            mark = "" if study.p_values.iat[i, j] < 0.05 else " ·"
            ax.text(
                j,
                i,
                "" if np.isnan(v) else f"{v:.2f}{mark}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if abs(v) > 0.6 else "black",
            )
    ax.grid(False)
    months = study.parameters["months"]
    ax.set_title(
        f"Which assumptions move the skills-or-traits decision? (PRCC; later = {months:g} months)", fontsize=10
    )
    fig.colorbar(image, ax=ax, label="partial rank correlation", shrink=0.8)
    return fig


def plot_decision_map(
    study: AssumptionStudy, x: str = "trait_validity", y: str = "skill_validity", *, outcome: str = "advantage_later"
) -> Figure:
    """The design points over two assumptions, coloured by the sign of the skill-leaning advantage.

    Filled blue: the skill-leaning rubric (s = .75) hires better performers than the trait-leaning one (s = .25);
    open red: the trait-leaning one does.
    """
    if not isinstance(study, AssumptionStudy):
        raise SmmrubricError(
            f"must be an AssumptionStudy from assumption_study, got {type(study).__name__}", field="study"
        )
    for name, field in ((x, "x"), (y, "y")):
        if name not in study.design.columns:
            raise SmmrubricError(f"not a varied assumption: {name!r}", field=field)
    if outcome not in ("advantage_at_hire", "advantage_later"):
        raise SmmrubricError(f"must be advantage_at_hire or advantage_later, got {outcome!r}", field="outcome")
    skills = study.outcomes[outcome].to_numpy() > 0
    letters = study.letters
    use_style()
    fig = Figure(figsize=(6.2, 4.6), layout="constrained")
    ax = fig.subplots()
    ax.scatter(
        study.design.loc[skills, x],
        study.design.loc[skills, y],
        color=CATEGORY_COLORS["skill"],
        s=22,
        label="skill-leaning does better",
    )
    ax.scatter(
        study.design.loc[~skills, x],
        study.design.loc[~skills, y],
        facecolors="none",
        edgecolors="#CC3311",
        s=26,
        label="trait-leaning does better",
    )
    ax.set_xlabel(f"{letters.get(x, '?')}: {x}")
    ax.set_ylabel(f"{letters.get(y, '?')}: {y}")
    when = "at hire" if outcome == "advantage_at_hire" else f"after {study.parameters['months']:g} months"
    ax.set_title(f"The decision {when} over {len(study.design)} sets of assumptions", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    return fig
