"""Agreement between rankings: tau, rho, top-k overlap with ties, RBO, matrices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from smmrubric.compare import rbo
from smmrubric.errors import SmmrubricError
from smmrubric.sensitivity import (
    agreement_matrix,
    ranking_agreement,
    rubric_totals,
    top_k_membership,
    top_k_overlaps,
    weighting_agreement,
)

A = pd.Series([5.0, 4, 3, 2, 1], index=list("abcde"))


def test_identical_and_reversed():
    same = ranking_agreement(A, A, k=2)
    assert np.allclose(same, 1)
    rev = ranking_agreement(A, -A, k=2)
    assert np.isclose(rev["kendall_tau"], -1) and np.isclose(rev["spearman_rho"], -1) and rev["top_k_overlap"] == 0


def test_constant_ranking_gives_nan_correlations_without_warning():
    import warnings

    flat = pd.Series(1.0, index=A.index)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = ranking_agreement(A, flat, k=2)
    assert np.isnan(out["kendall_tau"]) and np.isnan(out["spearman_rho"])
    assert np.isclose(out["top_k_overlap"], 0.4)  # all five tied: each is in B's top 2 w.p. 2/5


def test_against_scipy_and_compare_rbo(rng):
    a = pd.Series(rng.random(30), index=[f"k{i}" for i in range(30)])
    b = a + rng.normal(0, 0.3, 30)
    r = ranking_agreement(a, b.sample(frac=1, random_state=1), k=5, p=0.8)  # order of b's index irrelevant
    assert np.isclose(r["kendall_tau"], stats.kendalltau(a, b).statistic)
    assert np.isclose(r["spearman_rho"], stats.spearmanr(a, b).statistic)
    expected = rbo(list(a.sort_values(ascending=False).index), list(b.sort_values(ascending=False).index), p=0.8)
    assert np.isclose(r["rbo"], expected.ext)
    top_a, top_b = set(a.nlargest(5).index), set(b.nlargest(5).index)
    assert np.isclose(r["top_k_overlap"], len(top_a & top_b) / 5)


def test_ties_at_the_cut_are_split():
    t = pd.Series([3.0, 2, 2, 2, 1], index=list("abcde"))
    m = top_k_membership(t, 2).iloc[:, 0]
    assert m.tolist() == [1, 1 / 3, 1 / 3, 1 / 3, 0] and np.isclose(m.sum(), 2)
    # A's top 2 = {a, b}; t's = a plus one of b, c, d at random: expected overlap (1 + 1/3) / 2
    assert np.isclose(ranking_agreement(A, t, k=2)["top_k_overlap"], (1 + 1 / 3) / 2)


def test_weighting_agreement_and_rubric_totals():
    x = pd.DataFrame([[5, 1], [1, 5], [3, 3]], index=["p", "q", "r"], columns=["s", "t"], dtype=float)
    w1, w2 = pd.Series([1.0, 0], index=["s", "t"]), pd.Series([0, 1.0], index=["s", "t"])
    r = weighting_agreement(x, w1, w2, k=1)
    assert r["top_k_overlap"] == 0 and np.isclose(r["kendall_tau"], -1)
    tot = rubric_totals(x, {"only_s": pd.Series([2.0], index=["s"]), "even": pd.Series([1.0, 1.0], index=["s", "t"])})
    assert tot["only_s"].tolist() == [5, 1, 3] and tot["even"].tolist() == [3, 3, 3]
    with pytest.raises(SmmrubricError, match="does not have|do not have"):
        rubric_totals(x, {"bad": pd.Series([1.0], index=["zz"])})


def test_matrices(rng):
    tot = pd.DataFrame(rng.random((40, 3)), columns=["u", "v", "w"])
    mat = agreement_matrix(tot, k=10)
    assert np.allclose(np.diag(mat), 1) and np.allclose(mat, mat.T)
    assert np.isclose(mat.loc["u", "v"], ranking_agreement(tot["u"], tot["v"], k=10)["top_k_overlap"])
    tau = agreement_matrix(tot, measure="kendall_tau")
    assert np.isclose(tau.loc["u", "w"], stats.kendalltau(tot["u"], tot["w"]).statistic)
    ov = top_k_overlaps(tot["u"], tot, 10)
    assert np.isclose(ov["u"], 1) and np.isclose(ov["v"], mat.loc["u", "v"])


def test_errors():
    with pytest.raises(SmmrubricError, match="same candidates"):
        ranking_agreement(A, A.iloc[:3])
    with pytest.raises(SmmrubricError, match="k"):
        ranking_agreement(A, A, k=9)
    with pytest.raises(SmmrubricError, match="measure"):
        agreement_matrix(pd.DataFrame({"a": A, "b": A}), measure="cosine")
    with pytest.raises(SmmrubricError, match="Series"):
        ranking_agreement(A.to_numpy(), A)


def test_rbo_b_is_one_for_an_unchanged_ranking_with_ties():
    # ties (1224 ranks): RBO^a averages over tie breakings and stays below 1; RBO^b is 1 (Corsi & Urbano 2024)
    a = pd.Series([5.0, 4.0, 4.0, 3.0, 2.0, 2.0, 2.0, 1.0], index=list("abcdefgh"))
    assert ranking_agreement(a, a, k=3)["rbo"] < 0.99
    assert ranking_agreement(a, a, k=3, ties="b")["rbo"] == pytest.approx(1.0, abs=1e-12)
    b = a.copy()
    b["a"], b["h"] = b["h"], b["a"]
    expected = rbo(
        ["h", ("b", "c"), "d", ("e", "f", "g"), "a"], ["a", ("b", "c"), "d", ("e", "f", "g"), "h"], ties="b"
    ).ext
    assert ranking_agreement(b, a, k=3, ties="b")["rbo"] == pytest.approx(expected, abs=1e-12)
    with pytest.raises(SmmrubricError):
        ranking_agreement(a, a, ties="c")


def test_rank_correlations_equal_ranking_agreement(rng):
    from smmrubric.sensitivity import rank_correlations, ranking_agreement

    totals = pd.DataFrame(
        np.round(rng.random((25, 3)), 1), columns=["ref", "x", "y"], index=[f"k{i}" for i in range(25)]
    )
    table = rank_correlations(totals, "ref")
    for column in ("x", "y"):
        expected = ranking_agreement(totals["ref"], totals[column])
        assert table.loc[column, "kendall_tau"] == pytest.approx(expected["kendall_tau"])
        assert table.loc[column, "spearman_rho"] == pytest.approx(expected["spearman_rho"])


def test_agreement_matrix_overlaps_are_the_membership_products(rng):
    # ties at the cut (integer-valued totals) make fractional memberships; the matrix is exact M'M / k
    totals = pd.DataFrame(rng.integers(0, 6, size=(40, 5)).astype(float), columns=list("abcde"))
    m = top_k_membership(totals, 7).to_numpy()
    assert agreement_matrix(totals, k=7).to_numpy() == pytest.approx(m.T @ m / 7, abs=1e-12)
