"""Figures of the skills-versus-traits study: they draw what the results hold and refuse other input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from smmrubric import Rubric, save_figure
from smmrubric.errors import SmmrubricError
from smmrubric.plots import plot_growth_curves, plot_growth_heatmap, plot_split_turnover
from smmrubric.split import growth_grid, hire_and_grow, split_sweep

_VOCABULARY = pd.DataFrame({"name": [], "category": []}, index=pd.Index([], name="competency_id"))


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    lines = [("s1", "skill", 2), ("s2", "skill", 1), ("t1", "trait", 1), ("t2", "trait", 1)]
    return Rubric([{"id": i, "name": i, "category": c, "weight": w} for i, c, w in lines], vocabulary=_VOCABULARY)


def test_turnover_marks_every_break_point(rubric, rng, tmp_path):
    scores = pd.DataFrame(
        rng.integers(1, 6, size=(30, 4)).astype(float),
        columns=rubric.competency_ids,
        index=[f"c{i}" for i in range(30)],
    )
    sweep = split_sweep(scores, rubric, k=4)
    fig = plot_split_turnover(sweep)
    assert isinstance(fig, Figure)
    top, bottom = fig.axes
    dashed = [line.get_xdata()[0] for line in bottom.get_lines() if line.get_linestyle() == "--"]
    assert dashed == pytest.approx(list(sweep.break_points))
    ever = {c for top_ids in sweep.top_k_breaks["top"] for c in top_ids.split(",")}
    assert len(bottom.get_yticks()) == min(len(ever), 25)
    assert save_figure(fig, "03-test-turnover", directory=tmp_path)[0].is_file()


def test_growth_curves_and_heatmap(rubric):
    study = hire_and_grow(rubric, seed=1, shares=np.linspace(0, 1, 5), k=3, n=30, n_pools=4, progress=False)
    fig = plot_growth_curves(study)
    ax = fig.axes[0]
    curves = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
    assert len(curves) == 4  # one per horizon
    assert curves[-1].get_ydata() == pytest.approx(study.curves.loc[24.0, "mean_performance"].to_numpy())
    grid = growth_grid(
        rubric,
        seed=1,
        skill_gains=[0.0, 0.6],
        trait_validities=[0.1, 0.3],
        k=3,
        n=30,
        n_pools=4,
        shares=np.linspace(0, 1, 5),
        progress=False,
    )
    heat = plot_growth_heatmap(grid)
    shown = heat.axes[0].images[0].get_array()
    expected = grid.pivot(index="skill_gain", columns="trait_validity", values="best_share").sort_index(ascending=False)
    assert np.asarray(shown) == pytest.approx(expected.to_numpy())
    assert "24 months" in heat.axes[0].get_title()


def test_plots_refuse_other_input():
    with pytest.raises(SmmrubricError, match="SplitSweep"):
        plot_split_turnover(pd.DataFrame())
    with pytest.raises(SmmrubricError, match="GrowthStudy"):
        plot_growth_curves({})
    with pytest.raises(SmmrubricError, match="growth_grid"):
        plot_growth_heatmap(pd.DataFrame({"x": [1]}))
    grid = pd.DataFrame(
        {
            "skill_gain": [0.0, 0.0],
            "trait_validity": [0.1, 0.1],
            "best_share": [1.0, 0.5],
            "best_share_at_hire": [1.0, 1.0],
            "months": [24.0, 24.0],
        }
    )
    for bad, kwargs, field in (
        (grid, {}, "grid"),
        (grid.iloc[:0], {}, "grid"),
        (grid.iloc[:1], {"value": "se"}, "value"),
        (grid.iloc[:1].assign(best_share="x"), {}, "best_share"),
    ):
        with pytest.raises(SmmrubricError) as info:
            plot_growth_heatmap(bad, **kwargs)
        assert info.value.field == field
    assert "at hire" in plot_growth_heatmap(grid.iloc[:1], value="best_share_at_hire").axes[0].get_title()


def test_turnover_refuses_a_bad_max_candidates(rubric, rng):
    scores = pd.DataFrame(
        rng.integers(1, 6, size=(8, len(rubric))).astype(float),
        index=pd.Index([f"c{i}" for i in range(8)], name="candidate_id"),
        columns=rubric.competency_ids,
    )
    sweep = split_sweep(scores, rubric, k=2)
    for bad in (0, "5", 2.5):
        with pytest.raises(SmmrubricError) as info:
            plot_split_turnover(sweep, max_candidates=bad)
        assert info.value.field == "max_candidates"


def test_assumption_figures():
    from smmrubric.plots import plot_assumption_importance, plot_decision_map
    from smmrubric.split import assumption_study

    from ..split.rubrics import small_rubric

    study = assumption_study(
        small_rubric(),
        seed=1,
        n_points=12,
        n_pools=4,
        n=30,
        k=3,
        ranges={"trait_validity": (0.05, 0.35), "skill_validity": (0.25, 0.5)},
    )
    fig = plot_assumption_importance(study)
    image = fig.axes[0].images[0].get_array()
    assert np.allclose(image, study.importance.to_numpy(), equal_nan=True)
    fig = plot_decision_map(study, "trait_validity", "skill_validity")
    filled, empty = fig.axes[0].collections
    assert len(filled.get_offsets()) + len(empty.get_offsets()) == 12
    with pytest.raises(SmmrubricError):
        plot_decision_map(study, "ceiling_tightness", "skill_validity")
    with pytest.raises(SmmrubricError):
        plot_assumption_importance(study.design)
