"""Tests of smmrubric.split.pools: the many-pool engine is the DataFrame simulation, pool by pool."""

from __future__ import annotations

import numpy as np
import pytest

from smmrubric import simulate
from smmrubric.errors import SmmrubricError
from smmrubric.replicate import spawn
from smmrubric.split import category_subscores
from smmrubric.split.pools import (
    Assumptions,
    draw_pools,
    expected_performance,
    hired_performance,
    hires,
    model,
    standings,
    subscores,
)

from .rubrics import small_rubric

ASSUMED = Assumptions(
    mean_intercorrelation=0.25,
    category_gap=0.1,
    skill_validity=0.35,
    trait_validity=0.25,
    reliability=0.5,
    skill_gain=0.7,
    gain_cv=0.6,
    learning_trait_correlation=0.4,
    ceiling=3.0,
)


def test_engine_draws_the_pool_the_dataframe_functions_draw():
    """Same generator, same pool: standings, panel ratings, subscores and grown performance agree with
    simulate.candidates / ratings / develop / performance_weights and split.category_subscores."""
    rubric = small_rubric()
    n = 40
    (g_engine,), (g_frame,) = spawn(11, 1), spawn(11, 1)
    draws = draw_pools([g_engine], n, len(rubric), 3)
    mdl = model(rubric, ASSUMED)
    true = standings(draws, mdl)
    z = simulate.candidates(rubric, n, seed=g_frame, mean_intercorrelation=0.25, category_gap=0.1)
    np.testing.assert_array_equal(true[0], z.to_numpy())
    long = simulate.ratings(z, rubric, seed=g_frame, raters=3, reliability=0.5)
    mean = long.pivot_table(index="candidate_id", columns="competency_id", values="score", aggfunc="mean")
    expected = category_subscores(mean[rubric.competency_ids], rubric)
    skills, traits = subscores(draws, mdl, true)
    np.testing.assert_allclose(skills[0], expected["skills"].to_numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(traits[0], expected["traits"].to_numpy(), rtol=0, atol=1e-12)
    grown = simulate.develop(
        z, rubric, 18, seed=g_frame, skill_gain=0.7, gain_sd=0.6 * 0.7, learning_trait_correlation=0.4, ceiling=3.0
    )
    beta = simulate.performance_weights(
        rubric,
        simulate.implied_correlation(rubric, mean_intercorrelation=0.25, category_gap=0.1),
        skill_validity=0.35,
        trait_validity=0.25,
    ).drop("residual")
    np.testing.assert_allclose(
        expected_performance(draws, mdl, true, 18.0)[0], grown.to_numpy() @ beta.to_numpy(), rtol=0, atol=1e-12
    )


def test_hires_are_the_tie_aware_top_k_by_brute_force():
    rng = np.random.default_rng(3)
    skills = np.round(rng.uniform(1, 5, (4, 30)) * 3) / 3  # thirds, as means of three ratings: many ties
    traits = np.round(rng.uniform(1, 5, (4, 30)) * 3) / 3
    shares = np.array([0.0, 0.3, 0.5, 1.0])
    got = hires(skills, traits, shares, 5)
    for p in range(4):
        for j, s in enumerate(shares):
            total = s * skills[p] + (1 - s) * traits[p]
            # brute force: sort by (total rounded to 1e-9, id): the same candidates in the same order
            order = sorted(range(30), key=lambda i: (-round(total[i], 9), i))
            assert got[p, j].tolist() == order[:5]


def test_hired_performance_is_the_mean_over_the_hired():
    rubric = small_rubric()
    draws = draw_pools(spawn(2, 3), 25, len(rubric), 3)
    mdl = model(rubric, ASSUMED)
    true = standings(draws, mdl)
    hired = hires(*subscores(draws, mdl, true), np.array([0.0, 1.0]), 4)
    values = hired_performance(draws, mdl, true, hired, np.array([0.0, 12.0]))
    perf = expected_performance(draws, mdl, true, 12.0)
    assert values.shape == (3, 2, 2)
    assert values[1, 1, 0] == pytest.approx(perf[1, hired[1, 0]].mean())


def test_results_do_not_depend_on_how_pools_are_batched():
    rubric = small_rubric()
    draws = draw_pools(spawn(4, 6), 30, len(rubric), 3)
    mdl = model(rubric, ASSUMED)
    together = subscores(draws, mdl, standings(draws, mdl))[0]
    alone = np.concatenate([subscores(draws.take([i]), mdl, standings(draws.take([i]), mdl))[0] for i in range(6)])
    np.testing.assert_array_equal(together, alone)


def test_model_checks_assumptions():
    rubric = small_rubric()
    for values, field in (
        ({"category_gap": 0.9}, "category_gap"),
        ({"gain_cv": -1.0}, "gain_cv"),
        ({"ceiling": 0.0}, "ceiling"),
        ({"reliability": 0.0}, "reliability"),
        ({"learning_trait_correlation": 2.0}, "learning_trait_correlation"),
        ({"skill_validity": 0.95, "trait_validity": 0.95}, "trait_validity"),
    ):
        with pytest.raises(SmmrubricError) as info:
            model(rubric, ASSUMED.with_values(**values))
        assert info.value.field == field
    with pytest.raises(SmmrubricError, match="unknown assumption"):
        ASSUMED.with_values(validity=0.3)
