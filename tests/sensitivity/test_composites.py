"""Composite correlation (Wilks 1938; Ree, Carretta & Earles 1998) and the alternative-ranking helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.selection import top_overlap
from smmrubric.sensitivity import (
    composite_correlation,
    composite_correlation_curve,
    equicorrelation,
    rater_noise_totals,
    simulated_composite_correlations,
    uniform_weights,
    weight_draw_totals,
)


def test_by_hand():
    # w'Rv = .71, w'Rw = v'Rv = .79 for w = (.7, .3), v = (.3, .7), r = .5
    assert np.isclose(composite_correlation([0.7, 0.3], [0.3, 0.7], equicorrelation(2, 0.5)), 0.71 / 0.79)
    assert np.isclose(composite_correlation([1, 0], [0, 1], [[1, 0.3], [0.3, 1]]), 0.3)
    assert np.isclose(composite_correlation([1, 2, 3], [2, 4, 6], np.eye(3)), 1)


def test_matches_simulated_data(rng):
    r = equicorrelation(4, 0.4)
    w, v = np.array([0.4, 0.3, 0.2, 0.1]), np.array([0.1, 0.2, 0.3, 0.4])
    x = rng.multivariate_normal(np.zeros(4), r, size=200_000)
    assert abs(np.corrcoef(x @ w, x @ v)[0, 1] - composite_correlation(w, v, r)) < 0.005


def test_wilks_curve_rises_to_one():
    w = np.r_[np.ones(5), np.zeros(5)]
    v = np.r_[np.zeros(5), np.ones(5)]
    curve = composite_correlation_curve(w, v, [0, 0.2, 0.5, 1])
    assert curve.iloc[0] == 0 and np.isclose(curve.iloc[-1], 1) and curve.is_monotonic_increasing
    # equicorrelated halves: r = 5 rho / (1 + 4 rho)
    assert np.isclose(curve.loc[0.2], 1 / 1.8)


def test_reference_top_share():
    # Ree, Carretta & Earles's point: composites correlating .95 still keep only ~78% of the top 10%
    assert float(top_overlap(0.95, 0.10)) == pytest.approx(0.779, abs=5e-4)


def test_labels_align():
    r = pd.DataFrame(equicorrelation(2, 0.5), index=["a", "b"], columns=["a", "b"])
    w = pd.Series([0.3, 0.7], index=["b", "a"])
    assert np.isclose(composite_correlation(w, pd.Series([0.7, 0.3], index=["a", "b"]), r), 1)


def test_simulated_points():
    cats = pd.Series(["skill", "skill", "trait", "trait"], index=["p", "q", "r", "s"])
    w = pd.Series([0.7, 0.1, 0.1, 0.1], index=cats.index)
    v = pd.Series([0.1, 0.1, 0.1, 0.7], index=cats.index)
    sim = simulated_composite_correlations(cats, w, v, [0.1, 0.5], n=4000, replications=2, seed=3)
    assert len(sim) == 4
    assert (abs(sim["observed"] - sim["analytic"]) < 0.05).all()
    assert sim.groupby("target")["analytic"].first().is_monotonic_increasing


def test_alternative_rankings(rng):
    x = pd.DataFrame(rng.random((8, 3)), columns=["p", "q", "r"])
    t = weight_draw_totals(x, uniform_weights(["p", "q", "r"]), 5, seed=1)
    w = uniform_weights(["p", "q", "r"]).sample(5, seed=1)
    assert t.shape == (8, 5) and np.allclose(t.to_numpy(), x.to_numpy() @ w.T)
    from smmrubric.rubric import Rubric

    rub = Rubric.equal(["analytics", "copywriting", "adaptability"])
    x.columns = ["analytics", "copywriting", "adaptability"]
    noise = rater_noise_totals(x, rub, reliability=0.74, replications=3, seed=2)
    assert noise.shape == (8, 3) and noise.notna().all().all()


def test_errors():
    with pytest.raises(SmmrubricError, match="symmetric"):
        composite_correlation([1, 1], [1, 1], [[1, 0.2], [0.3, 1]])
    with pytest.raises(SmmrubricError, match="semi-definite"):
        composite_correlation([1, 1], [1, 1], [[1, 2], [2, 1]])
    with pytest.raises(SmmrubricError, match="rho"):
        equicorrelation(3, -0.9)
    with pytest.raises(SmmrubricError, match="weights"):
        composite_correlation([1, 1, 1], [1, 1], np.eye(2))
    with pytest.raises(SmmrubricError, match="field 'rhos'"):
        composite_correlation_curve([1, 1], [1, 0], ["a"])
    with pytest.raises(SmmrubricError, match="field 'rhos'"):
        composite_correlation_curve([1, 1], [1, 0], [])
    with pytest.raises(SmmrubricError, match="field 'rubric': must be a smmrubric.Rubric"):
        rater_noise_totals(pd.DataFrame([[1.0]], columns=["c"]), "consensus", reliability=0.5, replications=2, seed=1)


def test_composite_curves_columns_and_values():
    from smmrubric.inputs import load_rubric
    from smmrubric.sensitivity import composite_correlation_curve, composite_curves

    rubric = load_rubric(None)
    expert = rubric.with_weights(np.r_[np.ones(5), np.zeros(len(rubric) - 5)])
    curves = composite_curves(rubric, {"five": expert.weights[expert.weights > 0]}, [0.0, 0.3])
    assert list(curves.columns) == ["equal weights", "five", "skills only vs traits only"]
    expected = composite_correlation_curve(rubric.weights, expert.weights, [0.0, 0.3])
    assert curves["five"].to_numpy() == pytest.approx(expected.to_numpy())
    assert curves.loc[0.0, "skills only vs traits only"] == pytest.approx(0.0)
