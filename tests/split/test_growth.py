"""Tests of smmrubric.split.quality and .growth: quality of hire, and hire now, grow later."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

# -- quality of hire and hire now, grow later ----------------------------------------------------------
from smmrubric import simulate  # noqa: E402
from smmrubric.errors import SmmrubricError
from smmrubric.selection import taylor_russell  # noqa: E402
from smmrubric.split import growth_grid, hire_and_grow, quality_of_hire  # noqa: E402

from .rubrics import small_rubric as _small_rubric  # noqa: E402


def test_quality_of_hire_ends_are_the_category_validities():
    rubric = _small_rubric()
    table = quality_of_hire(rubric, [0.0, 0.5, 1.0], selection_ratio=0.1, skill_validity=0.4, trait_validity=0.25)
    # by construction of the criterion, the traits-only composite correlates trait_validity with it, the
    # skills-only composite skill_validity
    assert table.loc[0.0, "validity"] == pytest.approx(0.25)
    assert table.loc[1.0, "validity"] == pytest.approx(0.40)
    # Naylor-Shine: mean z of the top 10% is 1.755 (Naylor & Shine 1965 table), times the validity
    assert table["mean_z_hired"].to_numpy() == pytest.approx(table["validity"].to_numpy() * 1.7550, abs=2e-4)
    # the success ratio is Taylor-Russell's at the composite's validity
    assert table.loc[1.0, "success_ratio"] == pytest.approx(taylor_russell(0.5, 0.1, 0.4))
    # Taylor & Russell (1939) table, base rate .50, validity .50: selection ratio .10 -> .84, .30 -> .74
    for ratio, published in ((0.10, 0.84), (0.30, 0.74)):
        skills_only = quality_of_hire(rubric, [1.0], selection_ratio=ratio, skill_validity=0.5, trait_validity=0.25)
        assert skills_only.loc[1.0, "validity"] == pytest.approx(0.5)
        assert skills_only.loc[1.0, "success_ratio"] == pytest.approx(published, abs=5e-3)
    # attenuation: sqrt(reliability)
    half = quality_of_hire(rubric, [0.5], skill_validity=0.4, trait_validity=0.25, reliability=0.49)
    assert half.loc[0.5, "validity"] == pytest.approx(0.7 * table.loc[0.5, "validity"])


def test_quality_of_hire_validity_is_the_composite_of_the_two_subscores():
    """Independent path: the total s S + (1 - s) T is a two-part composite of the skill-only composite S
    (validity .40) and the trait-only composite T (validity .25), so its validity is
    (s sd_S r_S + (1 - s) sd_T r_T) / sd(s S + (1 - s) T) (Ghiselli, Campbell & Zedeck 1981)."""
    rubric = _small_rubric()
    shares = np.array([0.0, 0.2, 0.5, 0.8, 1.0])
    table = quality_of_hire(rubric, shares, skill_validity=0.4, trait_validity=0.25)
    corr = simulate.implied_correlation(rubric).to_numpy()
    w_s = rubric.with_category_share(1.0).weights.to_numpy()
    w_t = rubric.with_category_share(0.0).weights.to_numpy()
    var_s, var_t, cov = w_s @ corr @ w_s, w_t @ corr @ w_t, w_s @ corr @ w_t
    sd_total = np.sqrt(shares**2 * var_s + (1 - shares) ** 2 * var_t + 2 * shares * (1 - shares) * cov)
    expected = (shares * np.sqrt(var_s) * 0.4 + (1 - shares) * np.sqrt(var_t) * 0.25) / sd_total
    assert table["validity"].to_numpy() == pytest.approx(expected, abs=1e-12)


def test_quality_of_hire_matches_simulated_hires():
    """The analytic mean z of the hired agrees with the simulated one when hiring on true standings."""
    rubric = _small_rubric()
    analytic = quality_of_hire(rubric, [0.0, 0.5, 1.0], selection_ratio=0.1)
    study = hire_and_grow(
        rubric, seed=7, shares=[0.0, 0.5, 1.0], months=[0], k=100, n=1000, n_pools=30, reliability=None, progress=False
    )
    simulated = study.curves.loc[0.0]
    # top 100 of 1000 is a selection ratio of .1; the finite-pool mean of the top k is a little below
    # the infinite-pool value (order statistics), well inside the tolerance
    bound = 4 * simulated["se"].to_numpy() + 0.01
    assert np.all(np.abs(simulated["mean_performance"].to_numpy() - analytic["mean_z_hired"].to_numpy()) < bound)


def test_zero_skill_growth_keeps_the_best_share():
    rubric = _small_rubric()
    study = hire_and_grow(
        rubric,
        seed=3,
        shares=np.linspace(0, 1, 11),
        k=5,
        n=60,
        n_pools=20,
        skill_gain=0.0,
        trait_validity=0.3,
        progress=False,
    )
    assert study.best.loc[24.0, "best_share"] == study.best.loc[0.0, "best_share"]
    for months in (6.0, 12.0, 24.0):
        assert np.allclose(study.curves.loc[months].to_numpy(), study.curves.loc[0.0].to_numpy())


def test_uniform_growth_shifts_every_share_alike():
    """With no spread in gains every hire gains t * skill_gain * sum of the skills' criterion weights."""
    rubric = _small_rubric()
    study = hire_and_grow(
        rubric, seed=3, shares=np.linspace(0, 1, 11), k=5, n=60, n_pools=10, skill_gain=0.6, gain_cv=0.0, progress=False
    )
    beta = simulate.performance_weights(rubric, simulate.implied_correlation(rubric)).drop("residual")
    shift = 2.0 * 0.6 * beta[rubric.categories == "skill"].sum()
    curves = study.curves["mean_performance"]
    assert np.allclose(curves.loc[24.0].to_numpy() - curves.loc[0.0].to_numpy(), shift)
    assert study.best.loc[24.0, "best_share"] == study.best.loc[0.0, "best_share"]


def test_trait_linked_learning_favours_trait_hires_later():
    rubric = _small_rubric()
    study = hire_and_grow(
        rubric,
        seed=5,
        shares=[0.0, 1.0],
        months=[0, 24],
        k=10,
        n=100,
        n_pools=40,
        skill_gain=1.0,
        gain_cv=1.0,
        learning_trait_correlation=0.9,
        progress=False,
    )
    curves = study.curves["mean_performance"]
    growth = curves.loc[24.0] - curves.loc[0.0]
    assert growth.loc[0.0] > growth.loc[1.0] + 0.2  # trait-only hires grow much more
    same = hire_and_grow(
        rubric,
        seed=5,
        shares=[0.0, 1.0],
        months=[0, 24],
        k=10,
        n=100,
        n_pools=40,
        skill_gain=1.0,
        gain_cv=1.0,
        learning_trait_correlation=0.9,
        progress=False,
    )
    pd.testing.assert_frame_equal(same.curves, study.curves)


def test_growth_grid_shape_and_zero_growth_row():
    rubric = _small_rubric()
    grid = growth_grid(
        rubric,
        seed=2,
        skill_gains=[0.0, 1.0],
        trait_validities=[0.1, 0.4],
        k=5,
        n=60,
        n_pools=10,
        shares=np.linspace(0, 1, 11),
        progress=False,
    )
    assert len(grid) == 4
    zero = grid[np.isclose(grid["skill_gain"], 0.0)]
    assert (zero["best_share"] == zero["best_share_at_hire"]).all()
    # a higher trait validity never pushes the best share at hire towards skills
    at_hire = grid.drop_duplicates("trait_validity").set_index("trait_validity")["best_share_at_hire"]
    assert at_hire.loc[0.4] <= at_hire.loc[0.1]


def test_growth_bad_input():
    rubric = _small_rubric()
    with pytest.raises(SmmrubricError, match="months"):
        hire_and_grow(rubric, seed=1, months=[6, 12], n_pools=2, n=10, k=2, progress=False)
    with pytest.raises(SmmrubricError, match="repeat"):
        hire_and_grow(rubric, seed=1, months=[0, 6, 6], n_pools=2, n=10, k=2, progress=False)
    with pytest.raises(SmmrubricError, match="k"):
        hire_and_grow(rubric, seed=1, k=50, n=10, progress=False)
    with pytest.raises(SmmrubricError, match="gain_cv"):
        hire_and_grow(rubric, seed=1, gain_cv=-1, progress=False)
    with pytest.raises(SmmrubricError, match="seed"):
        hire_and_grow(rubric, seed=None, n_pools=2, n=10, k=2, progress=False)
    with pytest.raises(SmmrubricError, match="trait_validities"):
        growth_grid(rubric, seed=1, trait_validities=[2.0], progress=False)
    with pytest.raises(SmmrubricError, match="reliability"):
        quality_of_hire(rubric, reliability=0)
    small = {"n_pools": 2, "n": 10, "k": 2, "progress": False}
    for kwargs, field in (
        ({"months": "06"}, "months"),
        ({"months": [0, "6"]}, "months[1]"),
        ({"progress": "yes"}, "progress"),
    ):
        with pytest.raises(SmmrubricError) as info:
            hire_and_grow(rubric, seed=1, **{**small, **kwargs})
        assert info.value.field == field
    for kwargs, field in (
        ({"skill_gains": "x"}, "skill_gains"),
        ({"skill_gains": []}, "skill_gains"),
        ({"trait_validities": [[0.1, 0.2]]}, "trait_validities[0]"),
        ({"progress": 1}, "progress"),
    ):
        with pytest.raises(SmmrubricError) as info:
            growth_grid(rubric, seed=1, **{**small, **kwargs})
        assert info.value.field == field


def test_near_best_range_contains_the_best_and_flags_noise():
    from smmrubric.split.growth import _near_best

    grid = np.array([0.0, 0.5, 1.0])
    rng = np.random.default_rng(0)
    clear = np.column_stack([np.zeros(50), np.ones(50), 2 * np.ones(50)]) + rng.normal(0, 0.01, (50, 3))
    assert _near_best(clear, grid) == pytest.approx((2, 1.0, 1.0))
    flat = np.ones((50, 3)) + rng.normal(0, 1.0, (50, 3))
    best, low, high = _near_best(flat, grid)
    assert low <= grid[best] <= high and (low, high) == pytest.approx((0.0, 1.0))


def test_quality_of_hire_factor_structure_reproduces_the_validity_review():
    """The methods review (validity-review.md, MAJOR 1) recomputed the best share at hire on the consensus rubric
    under four factor structures: 1.00, 0.85, 0.90 and 0.70, composite correlations .51, .29, .36 and .07."""
    from smmrubric.inputs import load_rubric
    from smmrubric.ranking import argsort_ties

    rubric = load_rubric(None)
    for (rbar, gap), best, top in (
        ((0.30, 0.15), 1.00, 0.400),
        ((0.30, 0.30), 0.85, 0.407),
        ((0.20, 0.15), 0.90, None),
        ((0.15, 0.25), 0.70, 0.432),
    ):
        table = quality_of_hire(rubric, mean_intercorrelation=rbar, category_gap=gap)
        assert table.index[argsort_ties(table["validity"].to_numpy())[0]] == best
        if top is not None:
            assert table["validity"].max() == pytest.approx(top, abs=5e-4)


def test_ceiling_compresses_the_growth_of_skill_hires():
    """A ceiling slows those who start high, so the hires of a skills-only rubric gain less than without it,
    and the gap to trait hires' growth narrows."""
    rubric = _small_rubric()
    common = {
        "seed": 8,
        "shares": [0.0, 1.0],
        "months": [0, 24],
        "k": 10,
        "n": 100,
        "n_pools": 30,
        "skill_gain": 0.8,
        "progress": False,
    }
    linear = hire_and_grow(rubric, **common).curves["mean_performance"]
    capped = hire_and_grow(rubric, ceiling=2.0, **common).curves["mean_performance"]
    assert capped.loc[0.0].tolist() == linear.loc[0.0].tolist()  # at hire nothing has grown yet
    assert (capped.loc[24.0] < linear.loc[24.0]).all()
    gain_linear = linear.loc[24.0] - linear.loc[0.0]
    gain_capped = capped.loc[24.0] - capped.loc[0.0]
    assert gain_capped.loc[1.0] / gain_linear.loc[1.0] < gain_capped.loc[0.0] / gain_linear.loc[0.0]


def test_growth_study_reports_intervals_and_turnover():
    rubric = _small_rubric()
    study = hire_and_grow(
        rubric,
        seed=1,
        shares=[0.0, 0.5, 1.0],
        months=[0, 12],
        k=5,
        n=50,
        n_pools=12,
        mean_intercorrelation=0.2,
        category_gap=0.1,
        progress=False,
    )
    curves = study.curves
    assert ((curves["low"] <= curves["mean_performance"]) & (curves["mean_performance"] <= curves["high"])).all()
    assert study.values.shape == (12, 2, 3)
    assert study.turnover.loc[0.5, "mean"] == pytest.approx(1.0) and study.turnover.loc[0.0, "mean"] <= 1.0
    assert study.parameters["mean_intercorrelation"] == pytest.approx(0.2) and study.parameters[
        "category_gap"
    ] == pytest.approx(0.1)


def test_growth_is_the_same_with_two_workers():
    rubric = _small_rubric()
    common = {"seed": 4, "shares": [0.0, 1.0], "months": [0, 24], "k": 5, "n": 40, "n_pools": 30, "progress": False}
    pd.testing.assert_frame_equal(
        hire_and_grow(rubric, n_jobs=2, **common).curves, hire_and_grow(rubric, **common).curves
    )
