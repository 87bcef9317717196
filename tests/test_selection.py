"""Selection science: reference values from the published tables and papers, and bad inputs."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from smmrubric.errors import SmmrubricError
from smmrubric.selection import (
    adverse_impact_ratio,
    bcg_utility,
    bivariate_normal_upper,
    composite_validity,
    mean_z_selected,
    taylor_russell,
    top_overlap,
)


def _upper_by_quadrature(h: float, k: float, r: float) -> float:
    """P(X > h, Y > k) by one-dimensional integration: int_h^inf phi(x) Q((k - r x)/sqrt(1 - r^2)) dx."""
    s = math.sqrt(1 - r * r)
    return integrate.quad(
        lambda x: stats.norm.pdf(x) * stats.norm.sf((k - r * x) / s), h, np.inf, epsabs=1e-13, epsrel=1e-12
    )[0]


# -- the bivariate normal helper ---------------------------------------------------------------


@pytest.mark.parametrize(
    "h, k, r",
    [
        (0.0, 1.0, 0.3),
        (0.0, -1.0, 0.3),
        (1.0, 0.0, -0.7),
        (-1.0, 0.0, 0.5),
        (-1.5, 2.0, 0.9),
        (2.0, -0.3, -0.2),
        (0.0, 0.0, 0.2),
        (-0.5, -0.7, 0.6),
        (1.2816, 1.2816, 0.95),
        (3.0, 3.0, -0.5),
    ],
)
def test_bivariate_upper_matches_quadrature(h, k, r):
    assert bivariate_normal_upper(h, k, r) == pytest.approx(_upper_by_quadrature(h, k, r), abs=1e-12)


def test_bivariate_upper_closed_forms():
    # Sheppard (1899): P(X > 0, Y > 0) = 1/4 + arcsin(r) / (2 pi)
    for r in (-0.9, -0.3, 0.0, 0.5, 0.99):
        assert bivariate_normal_upper(0.0, 0.0, r) == pytest.approx(0.25 + math.asin(r) / (2 * math.pi), abs=1e-15)
    # independence: the product of the tails; perfect correlations: the univariate tails
    assert bivariate_normal_upper(0.7, -0.4, 0.0) == pytest.approx(stats.norm.sf(0.7) * stats.norm.sf(-0.4))
    assert bivariate_normal_upper(0.7, -0.4, 1.0) == pytest.approx(stats.norm.sf(0.7))
    assert bivariate_normal_upper(-0.7, -0.4, -1.0) == pytest.approx(stats.norm.cdf(0.4) - stats.norm.cdf(-0.7))
    assert bivariate_normal_upper(0.7, 0.4, -1.0) == pytest.approx(0.0)


@settings(max_examples=60, deadline=None)
@given(h=st.floats(-3, 3), k=st.floats(-3, 3), r=st.floats(-0.99, 0.99))
def test_bivariate_upper_property(h, k, r):
    """Matches quadrature anywhere, and is symmetric in (h, k)."""
    value = bivariate_normal_upper(h, k, r)
    assert value == pytest.approx(_upper_by_quadrature(h, k, r), abs=1e-10)
    assert value == pytest.approx(bivariate_normal_upper(k, h, r), abs=1e-14)


def test_bivariate_upper_shapes_and_errors():
    out = bivariate_normal_upper(np.array([0.0, 1.0]), 0.0, 0.5)
    assert isinstance(out, np.ndarray) and out.shape == (2,)
    series = bivariate_normal_upper(0.0, 0.0, pd.Series([0.1, 0.2], index=["a", "b"]))
    assert list(series.index) == ["a", "b"]
    with pytest.raises(SmmrubricError, match="correlation"):
        bivariate_normal_upper(0.0, 0.0, 1.5)
    with pytest.raises(SmmrubricError, match="'h'"):
        bivariate_normal_upper(float("nan"), 0.0, 0.5)
    with pytest.raises(SmmrubricError, match="broadcast"):
        bivariate_normal_upper(np.zeros(2), np.zeros(3), 0.5)


# -- top overlap ---------------------------------------------------------------------------------


def test_top_overlap_reference_values():
    assert top_overlap(0.95, 0.10) == pytest.approx(0.779, abs=5e-4)
    assert top_overlap(math.sqrt(0.44), 0.10) == pytest.approx(0.438, abs=5e-4)


def test_top_overlap_limits_and_vectors():
    assert top_overlap(0.0, 0.1) == pytest.approx(0.1)  # independent: chance overlap = p
    assert top_overlap(1.0, 0.1) == pytest.approx(1.0)
    assert top_overlap(-1.0, 0.1) == pytest.approx(0.0)
    assert top_overlap(0.3, 1.0) == pytest.approx(1.0)  # everyone selected on both
    assert isinstance(top_overlap(np.float64(0.5), np.array(0.1)), float)
    values = top_overlap(np.array([0.0, 0.5, 0.95]), 0.1)
    assert np.all(np.diff(values) > 0)
    series = top_overlap(pd.Series([0.5, 0.9], index=["x", "y"], name="r"), 0.2)
    assert isinstance(series, pd.Series) and list(series.index) == ["x", "y"]
    # the overlap is the Taylor-Russell success ratio with base rate = selection ratio
    assert top_overlap(0.6, 0.25) == pytest.approx(taylor_russell(0.25, 0.25, 0.6))


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"correlation": 1.2, "selection_ratio": 0.1}, "correlation"),
        ({"correlation": 0.5, "selection_ratio": 0.0}, "selection_ratio"),
        ({"correlation": 0.5, "selection_ratio": 1.1}, "selection_ratio"),
        ({"correlation": "high", "selection_ratio": 0.1}, "correlation"),
        ({"correlation": [0.2, float("inf")], "selection_ratio": 0.1}, "correlation[1]"),
    ],
)
def test_top_overlap_bad_input(kwargs, field):
    with pytest.raises(SmmrubricError, match=re.escape(f"field '{field}")):
        top_overlap(**kwargs)


# -- Taylor-Russell ------------------------------------------------------------------------------


def test_taylor_russell_reference_value():
    assert taylor_russell(0.50, 0.10, 0.50) == pytest.approx(0.838, abs=5e-4)


# Taylor & Russell (1939), table for base rate .50, validity .50, to two decimals
@pytest.mark.parametrize(
    "sr, expected",
    [
        (0.05, 0.88),
        (0.10, 0.84),
        (0.20, 0.78),
        (0.30, 0.74),
        (0.40, 0.70),
        (0.50, 0.67),
        (0.60, 0.63),
        (0.70, 0.60),
        (0.80, 0.57),
        (0.90, 0.54),
        (0.95, 0.52),
    ],
)
def test_taylor_russell_table_base_rate_50(sr, expected):
    assert taylor_russell(0.50, sr, 0.50) == pytest.approx(expected, abs=5e-3)


def test_taylor_russell_other_published_cases():
    # Waller's TaylorRussell / personnelSelectionUtility::tr_solve example: BR .5, SR .2, r .356075 -> PPV .70
    assert taylor_russell(0.5, 0.2, 0.356075) == pytest.approx(0.70, abs=1e-6)
    # Waller's TaylorRussell::TR() examples 1-2: BR .3, CV .3, PPV .5 <-> SR .1012 (SR given to 4 decimals)
    assert taylor_russell(0.3, 0.1012, 0.3) == pytest.approx(0.50, abs=1e-4)
    # no validity: success ratio = base rate; no selection: success ratio = base rate
    assert taylor_russell(0.3, 0.2, 0.0) == pytest.approx(0.3)
    assert taylor_russell(0.3, 1.0, 0.8) == pytest.approx(0.3)
    # perfect validity and SR <= BR: everyone hired succeeds; SR > BR: BR / SR
    assert taylor_russell(0.5, 0.4, 1.0) == pytest.approx(1.0)
    assert taylor_russell(0.5, 0.8, 1.0) == pytest.approx(0.625)
    # Sheppard: BR = SR = .5 -> (1/4 + arcsin(r)/(2 pi)) / .5
    assert taylor_russell(0.5, 0.5, 0.5) == pytest.approx(2 / 3)


@settings(max_examples=40, deadline=None)
@given(b=st.floats(0.05, 0.95), p=st.floats(0.05, 0.95), r1=st.floats(0.0, 0.9), dr=st.floats(0.01, 0.09))
def test_taylor_russell_increases_with_validity(b, p, r1, dr):
    assert taylor_russell(b, p, r1 + dr) > taylor_russell(b, p, r1)


def test_taylor_russell_bad_input():
    with pytest.raises(SmmrubricError, match="field 'base_rate'"):
        taylor_russell(1.0, 0.1, 0.5)
    with pytest.raises(SmmrubricError, match="field 'validity'"):
        taylor_russell(0.5, 0.1, -1.01)
    with pytest.raises(SmmrubricError, match="field 'selection_ratio'"):
        taylor_russell(0.5, True, 0.5)


# -- Naylor-Shine ----------------------------------------------------------------------------------


def test_mean_z_selected_reference_values():
    assert mean_z_selected(0.10) == pytest.approx(1.755, abs=5e-4)
    assert mean_z_selected(0.50) == pytest.approx(0.798, abs=5e-4)
    # Naylor & Shine (1965) table, two decimals
    assert mean_z_selected(0.05) == pytest.approx(2.06, abs=5e-3)
    assert mean_z_selected(0.20) == pytest.approx(1.40, abs=5e-3)
    assert mean_z_selected(0.30) == pytest.approx(1.16, abs=5e-3)
    assert mean_z_selected(1.0) == pytest.approx(0.0)


def test_mean_z_selected_matches_truncated_normal():
    for p in (0.01, 0.1, 0.37, 0.8):
        assert mean_z_selected(p) == pytest.approx(stats.truncnorm.mean(stats.norm.isf(p), np.inf), rel=1e-10)
    with pytest.raises(SmmrubricError, match="field 'selection_ratio'"):
        mean_z_selected(0.0)


# -- Brogden-Cronbach-Gleser -------------------------------------------------------------------


def test_bcg_reference_value_total_cost():
    net = bcg_utility(0.35, 0.20, 50_000, 100, tenure=3, cost=75_000)
    assert net == pytest.approx(7_274_000, abs=5e-1)
    gross = 100 * 3 * 0.35 * 50_000 * stats.norm.pdf(stats.norm.isf(0.2)) / 0.2
    assert net == pytest.approx(gross - 75_000)


def test_bcg_cost_per_applicant():
    # 100 hired at SR .2 = 500 applicants at 150 each = 75,000 in total
    assert bcg_utility(0.35, 0.20, 50_000, 100, tenure=3, cost_per_applicant=150) == pytest.approx(
        bcg_utility(0.35, 0.20, 50_000, 100, tenure=3, cost=75_000)
    )


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"sd_y": 0}, "sd_y"),
        ({"n_selected": 2.5}, "n_selected"),
        ({"n_selected": 0}, "n_selected"),
        ({"tenure": -1}, "tenure"),
        ({"cost": -5}, "cost"),
        ({"validity": 2}, "validity"),
        ({"cost": 10, "cost_per_applicant": 1}, "cost_per_applicant"),
    ],
)
def test_bcg_bad_input(kwargs, field):
    args = {"validity": 0.35, "selection_ratio": 0.2, "sd_y": 50_000, "n_selected": 100} | kwargs
    with pytest.raises(SmmrubricError, match=re.escape(f"field '{field}'")):
        bcg_utility(**args)


# -- composite validity ------------------------------------------------------------------------


def test_composite_validity_reference_value():
    assert composite_validity([1, 1], [0.42, 0.31], 0.31) == pytest.approx(0.451, abs=5e-4)
    # same with a full matrix and with labelled, shuffled inputs
    matrix = [[1, 0.31], [0.31, 1]]
    assert composite_validity([1, 1], [0.42, 0.31], matrix) == pytest.approx(0.73 / math.sqrt(2.62))
    w = pd.Series({"gma": 1.0, "consc": 1.0})
    v = pd.Series({"consc": 0.31, "gma": 0.42})
    r = pd.DataFrame(matrix, index=["consc", "gma"], columns=["consc", "gma"])
    assert composite_validity(w, v, r) == pytest.approx(0.73 / math.sqrt(2.62))


def test_composite_validity_single_predictor_and_scale():
    assert composite_validity([3.0], [0.4], 0.0) == pytest.approx(0.4)
    assert composite_validity([2, 2], [0.42, 0.31], 0.31) == pytest.approx(
        composite_validity([1, 1], [0.42, 0.31], 0.31)
    )


@pytest.mark.parametrize(
    "args, field",
    [
        (([0, 0], [0.4, 0.3], 0.2), "weights"),
        (([1, 1], [0.4, 1.3], 0.2), "validities[1]"),
        (([1, 1], [0.4], 0.2), "validities"),
        (([1, 1], [0.4, 0.3], [[1, 0.2], [0.3, 1]]), "intercorrelations"),
        (([1, 1, 1], [0.4, 0.3, 0.2], [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]), "intercorrelations"),
        (([1, 1], [0.4, 0.3], [[1, 0.2]]), "intercorrelations"),
        (([1, -1], [0.4, 0.3], 1.0), "weights"),
    ],
)
def test_composite_validity_bad_input(args, field):
    with pytest.raises(SmmrubricError, match=re.escape(f"field '{field}")):
        composite_validity(*args)


# -- adverse impact ------------------------------------------------------------------------------


def test_adverse_impact_reference_value():
    result = adverse_impact_ratio(48, 80, 12, 40)
    assert result.impact_ratio == pytest.approx(0.50)
    assert result.flagged and result.lower_group == "b"
    assert result.fisher_p == pytest.approx(stats.fisher_exact([[48, 32], [12, 28]]).pvalue)
    assert result.fisher_p < 0.01
    assert result.odds_ratio == pytest.approx(48 * 28 / (32 * 12))
    assert result.ratio == result.impact_ratio and result.p_value == result.fisher_p


def test_adverse_impact_four_fifths_is_strict():
    at_boundary = adverse_impact_ratio(50, 100, 40, 100)  # .40 / .50 = .80 exactly: not flagged
    assert at_boundary.impact_ratio == pytest.approx(0.8) and not at_boundary.flagged
    assert adverse_impact_ratio(50, 100, 39, 100).flagged
    swapped = adverse_impact_ratio(12, 40, 48, 80)
    assert swapped.impact_ratio == pytest.approx(0.5) and swapped.lower_group == "a"
    none = adverse_impact_ratio(0, 10, 0, 20)
    assert math.isnan(none.impact_ratio) and not none.flagged and none.lower_group is None


@pytest.mark.parametrize(
    "args, field",
    [
        ((81, 80, 12, 40), "selected_a"),
        ((48, 0, 12, 40), "applicants_a"),
        ((48, 80, -1, 40), "selected_b"),
        ((48, 80, 12, 40.5), "applicants_b"),
    ],
)
def test_adverse_impact_bad_input(args, field):
    with pytest.raises(SmmrubricError, match=re.escape(f"field '{field}'")):
        adverse_impact_ratio(*args)
    with pytest.raises(SmmrubricError, match="field 'alternative'"):
        adverse_impact_ratio(48, 80, 12, 40, alternative="bigger")


# -- review of issue 3: further published cases ----------------------------------------------------

# Taylor & Russell (1939), table for base rate .05 (reprinted in Cascio & Boudreau, 2011, *Investing in
# people*, appendix A), rows r = .05 and r = .10, selection ratios .05 ... .95, two decimals
_TR_SR = (0.05, 0.10, 0.20, 0.30, 0.40, 0.50, 0.60, 0.70, 0.80, 0.90, 0.95)


@pytest.mark.parametrize(
    "validity, row",
    [
        (0.05, [0.06, 0.06, 0.06, 0.06, 0.06, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]),
        (0.10, [0.07, 0.07, 0.07, 0.06, 0.06, 0.06, 0.06, 0.05, 0.05, 0.05, 0.05]),
    ],
)
def test_taylor_russell_table_base_rate_05(validity, row):
    assert [round(taylor_russell(0.05, sr, validity), 2) for sr in _TR_SR] == row
    # vectorised over the selection ratios, the same row
    assert np.round(taylor_russell(0.05, np.array(_TR_SR), validity), 2).tolist() == row


def test_taylor_russell_matches_gempp_tr_classic():
    # personnelSelectionUtility::tr_classic(.50, .20, .35) (bivariate normal via mvtnorm):
    # PPV .696552, true positives .13931 (= PPV x SR)
    assert taylor_russell(0.50, 0.20, 0.35) == pytest.approx(0.696552, abs=5e-7)
    assert bivariate_normal_upper(stats.norm.isf(0.20), 0.0, 0.35) == pytest.approx(0.13931, abs=5e-6)


def test_naylor_shine_index_matches_gempp():
    # personnelSelectionUtility::naylor_shine(validity = .35, selection_ratio = .20):
    # selected mean z 1.39981, expected criterion z .489933 (= r x mean z)
    assert mean_z_selected(0.20) == pytest.approx(1.39981, abs=5e-6)
    assert 0.35 * mean_z_selected(0.20) == pytest.approx(0.489933, abs=5e-7)
    # the rest of the Naylor-Shine column of mean predictor z by selection ratio, three decimals
    assert [round(mean_z_selected(p), 3) for p in (0.05, 0.30, 0.40, 0.60, 0.70, 0.80)] == pytest.approx(
        [
            2.063,
            1.159,
            0.966,
            0.644,
            0.497,
            0.350,
        ]
    )


def test_bcg_with_cost_per_applicant_matches_gempp():
    # personnelSelectionUtility::selection_utility_from_z(1.25, sdy = 50000, n_selected = 20,
    # n_applicants = 100, cost_per_applicant = 200): gross 1,250,000, cost 20,000, net 1,230,000.
    # Same case in BCG terms: SR = 20/100, validity chosen so that r x mean z = 1.25.
    r = 1.25 / mean_z_selected(0.20)
    assert bcg_utility(r, 0.20, 50_000, 20, cost_per_applicant=200) == pytest.approx(1_230_000)


def test_composite_validity_schmidt_hunter_1998():
    # Schmidt & Hunter (1998), Table 1: GMA (.51) plus an integrity test (.41), uncorrelated, with
    # regression weights b = R^-1 v: multiple R .65; GMA plus conscientiousness (.31): .60
    for v2, published in ((0.41, 0.65), (0.31, 0.60)):
        v = np.array([0.51, v2])
        assert composite_validity(v, v, 0.0) == pytest.approx(published, abs=5e-3)  # R^-1 = I: b = v
    # with correlated predictors the regression weights give sqrt(v' R^-1 v), the multiple correlation
    matrix = np.array([[1.0, 0.3], [0.3, 1.0]])
    v = np.array([0.51, 0.51])
    b = np.linalg.solve(matrix, v)
    assert composite_validity(b, v, matrix) == pytest.approx(math.sqrt(v @ b))


def test_four_fifths_exactly_is_not_flagged_despite_rounding():
    # in floating point .24 / .30 = 0.7999999999999999 < .8; the rule compares exact fractions
    result = adverse_impact_ratio(12, 50, 15, 50)
    assert result.impact_ratio == pytest.approx(0.8) and not result.flagged and result.lower_group == "a"
    assert not adverse_impact_ratio(2, 3, 5, 6).flagged  # (2/3) / (5/6) = 4/5 exactly
    assert adverse_impact_ratio(11, 50, 15, 50).flagged


@settings(max_examples=200, deadline=None)
@given(n_a=st.integers(1, 400), n_b=st.integers(1, 400), u=st.floats(0, 1), v=st.floats(0, 1))
def test_four_fifths_flag_in_integers(n_a, n_b, u, v):
    """Flagged exactly when 5 x (lower rate) < 4 x (higher rate), checked in integer arithmetic."""
    s_a, s_b = round(u * n_a), round(v * n_b)
    result = adverse_impact_ratio(s_a, n_a, s_b, n_b)
    low_num, high_num = sorted([s_a * n_b, s_b * n_a])  # rates over the common denominator n_a n_b
    assert result.flagged == (high_num > 0 and 5 * low_num < 4 * high_num)
    if high_num > 0:
        assert result.impact_ratio == pytest.approx(low_num / high_num, rel=1e-15)


@pytest.mark.parametrize("h, k", [(0.0, 5e-324), (5e-324, 0.0), (-5e-324, 0.0), (1e-300, -1e-300)])
def test_bivariate_upper_at_subnormal_thresholds_is_sheppards_value(h, k):
    """Thresholds that underflow in rho * h still give P(X > 0, Y > 0) = 1/4 + arcsin(r) / (2 pi)."""
    assert bivariate_normal_upper(h, k, 0.5) == pytest.approx(1 / 3, abs=1e-15)
