"""Tests of smmrubric.global_sensitivity: Latin hypercube strata, PRCC against a second route, filtering."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from smmrubric.errors import SmmrubricError
from smmrubric.global_sensitivity import latin_hypercube, monte_carlo_filtering, prcc


def test_latin_hypercube_puts_one_point_in_each_stratum():
    design = latin_hypercube({"a": (0.0, 1.0), "b": (-2.0, 4.0)}, 40, seed=3)
    assert list(design.columns) == ["a", "b"] and len(design) == 40
    for column, (low, high) in (("a", (0.0, 1.0)), ("b", (-2.0, 4.0))):
        strata = np.floor((design[column] - low) / (high - low) * 40).astype(int)
        assert sorted(strata) == list(range(40))  # McKay et al. (1979): exactly one point per stratum
    pd.testing.assert_frame_equal(design, latin_hypercube({"a": (0.0, 1.0), "b": (-2.0, 4.0)}, 40, seed=3))


def test_prcc_is_the_partial_correlation_of_the_ranks():
    """Second route: the partial correlation from the inverse of the rank correlation matrix,
    pcor_xy = -P_xy / sqrt(P_xx P_yy) (e.g. Whittaker 1990), equals the residual-correlation definition."""
    rng = np.random.default_rng(5)
    x = pd.DataFrame(rng.random((60, 3)), columns=["a", "b", "c"])
    y = pd.DataFrame({"y": np.exp(2 * x["a"]) - x["b"] + 0.3 * rng.standard_normal(60)})
    table = prcc(x, y).loc["y"]
    ranks = np.column_stack([stats.rankdata(x[c]) for c in x.columns] + [stats.rankdata(y["y"])])
    precision = np.linalg.inv(np.corrcoef(ranks, rowvar=False))
    for j, name in enumerate(x.columns):
        expected = -precision[j, 3] / np.sqrt(precision[j, j] * precision[3, 3])
        assert table.loc[name, "prcc"] == pytest.approx(expected, abs=1e-10)
    assert table.loc["a", "prcc"] > 0.9 and table.loc["b", "prcc"] < -0.5 and abs(table.loc["c", "prcc"]) < 0.3
    # the t test of Marino et al. (2008): N - 2 - p degrees of freedom, p = 2 other inputs
    r = table.loc["c", "prcc"]
    t = r * np.sqrt((60 - 2 - 2) / (1 - r * r))
    assert table.loc["c", "p_value"] == pytest.approx(2 * stats.t.sf(abs(t), 56))


def test_prcc_of_a_constant_outcome_is_nan_and_bad_input_is_refused():
    x = pd.DataFrame({"a": np.arange(10.0), "b": np.arange(10.0)[::-1] ** 2})
    table = prcc(x, pd.DataFrame({"y": np.ones(10)}))
    assert table["prcc"].isna().all()
    with pytest.raises(SmmrubricError, match="points"):
        prcc(x.iloc[:3], pd.DataFrame({"y": np.arange(3.0)}))
    with pytest.raises(SmmrubricError, match="same points"):
        prcc(x, pd.DataFrame({"y": np.arange(10.0)}, index=range(5, 15)))


def test_monte_carlo_filtering_finds_the_input_that_decides():
    design = latin_hypercube({"decides": (0.0, 1.0), "noise": (0.0, 1.0)}, 200, seed=1)
    holds = design["decides"] < 0.5
    table = monte_carlo_filtering(design, holds)
    assert table.loc["decides", "ks"] == pytest.approx(1.0) and table.loc["decides", "p_value"] < 1e-10
    assert table.loc["noise", "ks"] < 0.35 and table.loc["noise", "p_value"] > 1e-4
    assert table.loc["decides", "holds_low"] == pytest.approx(1.0) and table.loc[
        "decides", "holds_high"
    ] == pytest.approx(0.0)
    assert np.isnan(monte_carlo_filtering(design, holds | True).loc["decides", "ks"])
    with pytest.raises(SmmrubricError):
        monte_carlo_filtering(design, holds.astype(int))


def test_ranges_are_checked():
    for ranges in ({}, {"a": (1.0, 0.0)}, {"a": (0.0,)}, {"a": "01"}, [("a", (0, 1))]):
        with pytest.raises(SmmrubricError):
            latin_hypercube(ranges, 5, seed=1)
