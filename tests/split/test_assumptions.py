"""Tests of smmrubric.split.assumptions: the global sensitivity analysis of the split study."""

from __future__ import annotations

import pandas as pd
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.split import ASSUMPTIONS, assumption_study, assumption_table

from .rubrics import small_rubric


def test_assumption_table_letters_and_ranges():
    table = assumption_table()
    assert list(table.index) == list("ABCDEFGHI")
    assert (table["low"] < table["high"]).all()
    assert table.loc["D", "assumption"] == "trait_validity" and (
        table.loc["D", "low"],
        table.loc["D", "high"],
    ) == pytest.approx(
        (
            0.05,
            0.35,
        )
    )


def test_study_varies_the_assumptions_and_traits_validity_pushes_towards_traits():
    study = assumption_study(
        small_rubric(),
        seed=2,
        n_points=24,
        n_pools=8,
        n=40,
        k=4,
        ranges={"trait_validity": (0.05, 0.35), "skill_gain": (0.0, 1.0), "category_gap": (0.0, 0.2)},
    )
    assert list(study.design.columns) == ["trait_validity", "skill_gain", "category_gap"]
    for name, (low, high) in study.ranges.items():
        assert study.design[name].between(low, high).all()
    assert list(study.outcomes.columns) == [
        "best_share_at_hire",
        "best_share_later",
        "advantage_at_hire",
        "advantage_later",
    ]
    # a higher trait validity lowers the best share and the skill-leaning advantage (monotone by construction)
    assert study.importance.loc["trait_validity", "advantage_at_hire"] < -0.5
    assert study.letters == {"trait_validity": "D", "skill_gain": "F", "category_gap": "B"}
    assert set(study.flips.columns) == {"ks", "p_value", "holds_low", "holds_high"}
    same = assumption_study(
        small_rubric(),
        seed=2,
        n_points=24,
        n_pools=8,
        n=40,
        k=4,
        n_jobs=2,
        ranges={"trait_validity": (0.05, 0.35), "skill_gain": (0.0, 1.0), "category_gap": (0.0, 0.2)},
    )
    pd.testing.assert_frame_equal(same.outcomes, study.outcomes)


def test_each_design_point_is_the_growth_study_under_its_assumptions():
    """Second route: hire_and_grow on the same pools (the generator the study spawns its pools from) under a
    design point's assumptions gives the same at-hire and later performances, hence the same outcomes."""
    from smmrubric.split import hire_and_grow
    from smmrubric.validation import as_rng

    rubric = small_rubric()
    ranges = {"trait_validity": (0.1, 0.3), "ceiling_tightness": (0.2, 0.5), "reliability": (0.4, 0.7)}
    study = assumption_study(rubric, seed=4, n_points=6, n_pools=6, n=30, k=3, ranges=ranges)
    grid = study.parameters["shares"]
    for point in (0, 3):
        a = study.design.iloc[point]
        grow = hire_and_grow(
            rubric,
            seed=as_rng(4).spawn(2)[1],
            shares=grid,
            months=[0, 24],
            k=3,
            n=30,
            n_pools=6,
            trait_validity=a["trait_validity"],
            ceiling=1 / a["ceiling_tightness"],
            reliability=a["reliability"],
            progress=False,
        )
        curves = grow.curves["mean_performance"]
        for months, column in ((0.0, "advantage_at_hire"), (24.0, "advantage_later")):
            expected = curves.loc[(months, 0.75)] - curves.loc[(months, 0.25)]
            assert study.outcomes.loc[point, column] == pytest.approx(expected, abs=1e-12)
        assert study.outcomes.loc[point, "best_share_later"] == grow.best.loc[24.0, "best_share"]


def test_bad_input():
    rubric = small_rubric()
    with pytest.raises(SmmrubricError, match="unknown assumption"):
        assumption_study(rubric, seed=1, ranges={"validity": (0.1, 0.2)})
    with pytest.raises(SmmrubricError, match="0.25"):
        assumption_study(rubric, seed=1, shares=[0.0, 0.5, 1.0])
    with pytest.raises(SmmrubricError):
        assumption_study(rubric, seed=1, n_points=3)
    assert len(ASSUMPTIONS) == 9
