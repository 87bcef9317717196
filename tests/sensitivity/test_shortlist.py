"""shortlist_chance: the chance to stay in the top k under local weight uncertainty, checked analytically."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from smmrubric.errors import SmmrubricError
from smmrubric.sensitivity import local_weights, shortlist_chance, smaa

#: Two competencies: u_A = w1, u_B = w2 = 1 - w1, u_C = 1/2, so C is always second and A is first iff w1 > 1/2.
SCORES = pd.DataFrame(
    [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], index=pd.Index(list("ABC"), name="candidate_id"), columns=["x", "y"]
)
WEIGHTS = pd.Series({"x": 0.7, "y": 0.3})


def test_matches_the_beta_probability():
    # w1 ~ Beta(c * 0.7, c * 0.3) (a two-part Dirichlet); P(A in the top 1) = P(w1 > 1/2)
    n = 20_000
    chance = shortlist_chance(SCORES, WEIGHTS, 1, concentration=10, n_draws=n, seed=5)
    p = stats.beta.sf(0.5, 7, 3)
    se = np.sqrt(p * (1 - p) / n)
    assert chance["A"] == pytest.approx(p, abs=4 * se)
    assert chance["B"] == pytest.approx(1 - p, abs=4 * se)
    assert chance["C"] == pytest.approx(0.0)
    top2 = shortlist_chance(SCORES, WEIGHTS, 2, concentration=10, n_draws=n, seed=5)
    assert top2["C"] == pytest.approx(1.0) and top2["A"] == pytest.approx(p, abs=4 * se)
    assert top2.name == "top_2" and top2.sum() == pytest.approx(2.0)


def test_is_smaa_k_best_acceptability_and_seeded():
    rng = np.random.default_rng(1)
    scores = pd.DataFrame(
        rng.integers(1, 6, (12, 4)).astype(float), index=[f"c{i}" for i in range(12)], columns=list("abcd")
    )
    weights = pd.Series([4.0, 3, 2, 1], index=list("abcd"))
    got = shortlist_chance(scores, weights, 3, concentration=50, n_draws=800, seed=9)
    expected = smaa(scores, local_weights(weights, 50), 800, seed=9, progress=False).top_k(3)
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())
    pd.testing.assert_series_equal(got, shortlist_chance(scores, weights, 3, concentration=50, n_draws=800, seed=9))


@pytest.mark.parametrize(
    ("rule", "met", "k", "expected"),
    [
        # A and B meet the must-haves, C does not: under the compensatory rule C ranks after both whatever its total
        ("compensatory", [True, True, False], 1, {"C": 0.0}),
        ("compensatory", [True, True, False], 2, {"A": 1.0, "B": 1.0, "C": 0.0}),
        ("compensatory", [True, False, False], 2, {"A": 1.0, "C": 1.0, "B": 0.0}),  # C beats B: u_C = 1/2 > w2
        ("hurdle", [True, False, False], 2, {"A": 1.0, "B": 0.0, "C": 0.0}),
        ("compensatory_ignore_must_haves", [False, False, False], 2, {"C": 1.0}),
    ],
)
def test_must_have_knockouts(rule, met, k, expected):
    chance = shortlist_chance(
        SCORES, WEIGHTS, k, concentration=1000, n_draws=400, seed=1, rule=rule, met=pd.Series(met, index=SCORES.index)
    )
    for cid, value in expected.items():
        assert chance[cid] == value, cid


def test_bad_input():
    for kwargs, field in (
        ({"k": 0}, "k"),
        ({"k": 4}, "k"),
        ({"concentration": 0}, "concentration"),
        ({"n_draws": 0}, "n_draws"),
        ({"rule": "x"}, "rule"),
        ({"met": [True] * 3}, "met"),
    ):
        with pytest.raises(SmmrubricError) as info:
            shortlist_chance(SCORES, WEIGHTS, **{"k": 1, "seed": 1, **kwargs})
        assert info.value.field == field
    with pytest.raises(SmmrubricError) as info:
        shortlist_chance(SCORES, pd.Series({"x": 1.0, "z": 1.0}), 1, seed=1)
    assert info.value.field == "weights"
    # the weights' order does not matter
    pd.testing.assert_series_equal(
        shortlist_chance(SCORES, WEIGHTS[["y", "x"]], 1, n_draws=50, seed=1),
        shortlist_chance(SCORES, WEIGHTS, 1, n_draws=50, seed=1),
    )
