"""smmrubric.list_inference: the nulls against exact distributions worked out by enumeration, the bootstraps
against the package's reference Borda count run list by list."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from smmrubric import list_inference as li
from smmrubric.aggregate import borda, rra
from smmrubric.errors import SmmrubricError
from smmrubric.sensitivity import top_k_overlaps


def test_random_sets_sizes_and_inclusion_probabilities():
    rng = np.random.default_rng(1)
    sizes = np.array([1, 3, 5])
    draws = li._random_sets(sizes, 6, 20000, rng)
    assert (draws.sum(axis=2) == sizes).all()
    # uniform: every item in a list of size k with probability k / N
    assert draws.mean(axis=0) == pytest.approx(np.repeat(sizes[:, None] / 6, 6, axis=1), abs=0.015)
    # weighted, one item drawn: probability proportional to the weight (Efraimidis & Spirakis 2006)
    w = np.array([1.0, 2.0, 3.0, 4.0, 0.0])
    one = li._random_sets(np.array([1]), 5, 40000, rng, w)[:, 0, :]
    assert one.mean(axis=0) == pytest.approx(w / w.sum(), abs=0.01)
    assert not one[:, 4].any()


def _enumerated_jaccard(n: int, a: int, b: int) -> tuple[float, dict[int, float]]:
    """E[J] and P(X = x) for two random subsets of sizes a and b of n items, by listing every pair of subsets."""
    items = range(n)
    total, expected, shared = 0, 0.0, {}
    for s in itertools.combinations(items, a):
        for t in itertools.combinations(items, b):
            x = len(set(s) & set(t))
            total += 1
            expected += x / (a + b - x)
            shared[x] = shared.get(x, 0) + 1
    return expected / total, {x: c / total for x, c in shared.items()}


@pytest.mark.parametrize(("n", "a", "b"), [(6, 2, 3), (7, 3, 3), (5, 1, 4), (8, 4, 2)])
def test_uniform_null_pairs_are_exact(n, a, b):
    expected, pmf = _enumerated_jaccard(n, a, b)
    assert li._expected_jaccard(n, a, b) == pytest.approx(expected)
    vocabulary = [f"c{i}" for i in range(n)]
    for shared in range(max(0, a + b - n), min(a, b) + 1):
        lists = {"x": vocabulary[:a], "y": vocabulary[a - shared : a - shared + b]}
        out = li.similarity_null(lists, vocabulary, seed=3, n_draws=10)
        pair = out.pairs.iloc[0]
        assert pair["shared"] == shared
        assert pair["expected"] == pytest.approx(expected)
        assert pair["p_value"] == pytest.approx(sum(p for x, p in pmf.items() if x >= shared))
        assert pair["ratio"] == pytest.approx(pair["jaccard"] / expected)


def test_largest_similarity_p_against_the_exact_distribution():
    # with two lists the largest pairwise similarity is the one pair's: its Monte Carlo p-value approaches the
    # exact hypergeometric one
    vocabulary = [f"c{i}" for i in range(6)]
    lists = {"x": vocabulary[:3], "y": vocabulary[1:4]}  # 2 shared
    _, pmf = _enumerated_jaccard(6, 3, 3)
    exact = sum(p for x, p in pmf.items() if x >= 2)
    out = li.similarity_null(lists, vocabulary, seed=11, n_draws=40000)
    assert out.summary["p_max"] == pytest.approx(exact, abs=0.01)
    assert out.summary["p_mean"] == pytest.approx(exact, abs=0.01)
    assert li.largest_similarity_p(lists, vocabulary, seed=11, n_draws=40000)[3] == out.summary["p_max"]


def test_similarity_null_tables_and_weighted_null():
    vocabulary = list("abcdefgh")
    lists = {"p": list("abc"), "q": list("abd"), "r": list("efg"), "s": [("a", "h")]}
    out = li.similarity_null(lists, vocabulary, seed=5, n_draws=500)
    assert len(out.pairs) == 6 and out.pairs["jaccard"].is_monotonic_decreasing
    assert (out.pairs.iloc[0]["list_a"], out.pairs.iloc[0]["list_b"]) == ("p", "q")
    assert list(out.band["rank"]) == list(range(1, 7)) and (out.band["null_low"] <= out.band["null_high"]).all()
    assert set(out.lists.index) == set(lists) and out.lists["ratio"].is_monotonic_increasing
    weighted = li.similarity_null(lists, vocabulary, seed=5, null="weighted", n_draws=500)
    assert weighted.null == "weighted" and ((weighted.pairs["p_value"] > 0) & (weighted.pairs["p_value"] <= 1)).all()
    # the same seed gives the same draws
    assert li.similarity_null(lists, vocabulary, seed=5, n_draws=500).summary.equals(out.summary)
    with pytest.raises(SmmrubricError, match="not in the vocabulary"):
        li.similarity_null(lists, list("abcdefg"), seed=5)
    with pytest.raises(SmmrubricError):
        li.similarity_null(lists, vocabulary, seed=None)
    with pytest.raises(SmmrubricError):
        li.similarity_null(lists, vocabulary, seed=1, null="popular")


def test_mention_null_against_the_multinomial():
    # 4 lists of one item each from 3 items: the largest count's distribution, enumerated
    vocabulary = ["a", "b", "c"]
    lists = {f"l{i}": ["a"] for i in range(3)} | {"l3": ["b"]}
    outcomes = list(itertools.product(range(3), repeat=4))
    exact = sum(max(o.count(v) for v in range(3)) >= 3 for o in outcomes) / len(outcomes)
    out = li.mention_null(lists, vocabulary, seed=2, n_draws=40000)
    assert out["top"] == "a" and out["observed_max"] == 3
    assert out["p_value"] == pytest.approx(exact, abs=0.01)


def test_category_mentions_against_enumeration():
    counts = pd.Series([5, 3, 1, 1, 2, 1, 1, 4], index=list("abcdefgh"))
    categories = pd.Series(
        ["skill", "skill", "trait", "trait", "skill", "trait", "skill", "trait"], index=list("abcdefgh")
    )
    out = li.category_mentions(counts, categories, seed=4, n_draws=40000)
    x = counts.to_numpy()
    skill = categories.eq("skill").to_numpy()
    observed = x[skill].mean() - x[~skill].mean()
    diffs = [x[list(c)].mean() - np.delete(x, list(c)).mean() for c in itertools.combinations(range(8), 4)]
    exact = np.mean([d >= observed - 1e-12 for d in diffs])
    assert out["difference"] == pytest.approx(observed)
    assert out["p_skills_more"] == pytest.approx(exact, abs=0.01)
    # singletons c, d, f (traits) and g (skill): 3 traits of 4, among 4 traits of 8
    assert (out["n_singletons"], out["singleton_traits"]) == (4, 3)
    exact_h = sum(math.comb(4, t) * math.comb(4, 4 - t) for t in (3, 4)) / math.comb(8, 4)
    assert out["p_singletons_traits"] == pytest.approx(exact_h)


def test_rra_null_scores_and_p_values():
    vocabulary = list("abcdefgh")
    lists = {"1": list("abc"), "2": list("abd"), "3": [("a", "e", "f")]}
    out = li.rra_null(lists, vocabulary, seed=9, n_draws=2000)
    assert list(out.index[:1]) == ["a"] and set(out.index) == set(vocabulary)
    expected = rra(lists, n_total=len(vocabulary))["score"]
    for item, score in expected.items():
        assert out.loc[item, "score"] == pytest.approx(score)
    assert ((out["p_value"] > 0) & (out["p_value"] <= 1)).all()
    assert (out["q_value"] >= out["p_value"] - 1e-12).all() and (out["p_family"] >= out["p_value"] - 1e-12).all()
    assert out.loc[["g", "h"], "score"].eq(1.0).all()


def test_bootstrap_consensus_matches_borda_on_each_resample():
    lists = {"1": list("abc"), "2": [("a", "d")], "3": list("bd"), "4": ["c"]}
    out = li.bootstrap_consensus(lists, seed=21, k=2, n_draws=200, confidence=0.9)
    assert out["rank"].to_dict() == borda(lists)["rank"].to_dict()
    # the same resamples through aggregate.borda with list weights (a list drawn twice counts twice)
    weights = np.random.default_rng(21).multinomial(4, np.full(4, 0.25), size=200)
    ranks = []
    for w in weights:
        table = borda(lists, dict(zip(lists, w.astype(float)))) if w.sum() else None
        ranks.append(table["rank"].reindex(out.index).to_numpy())
    ranks = np.array(ranks)
    assert out["rank_median"].to_numpy() == pytest.approx(np.quantile(ranks, 0.5, axis=0))
    assert out["rank_low"].to_numpy() == pytest.approx(np.quantile(ranks, 0.05, axis=0, method="lower"))
    assert out["rank_high"].to_numpy() == pytest.approx(np.quantile(ranks, 0.95, axis=0, method="higher"))
    assert ((out["p_top_k"] >= 0) & (out["p_top_k"] <= 1)).all()
    assert out["p_top_k"].sum() == pytest.approx(2.0)  # k places are filled in every resample


def test_consensus_stability_curve():
    lists = {"1": list("abc"), "2": [("a", "d")], "3": list("bd"), "4": ["c", "e"]}
    out = li.consensus_stability(lists, seed=8, k=2, n_draws=4000, threshold=0.8)
    assert list(out.index) == [1, 2, 3, 4]
    assert out.loc[4, "mean_overlap"] == pytest.approx(1.0) and out.loc[4, "p_same"] == pytest.approx(1.0)
    # m = 1: the mean over the four single lists of their top-2 overlap with the consensus
    full = borda(lists)["score"]
    points = {"1": [4, 3, 2], "2": [3.5, 3.5], "3": [4, 3], "4": [4, 3]}  # N - position with N = 5 items
    singles = pd.DataFrame(
        {
            k: pd.Series(p, index=[i for g in lists[k] for i in (g if isinstance(g, tuple) else (g,))]).reindex(
                full.index, fill_value=0.0
            )
            for k, p in points.items()
        }
    )
    expected = top_k_overlaps(full, singles, 2).mean()
    assert out.loc[1, "mean_overlap"] == pytest.approx(expected, abs=0.02)
    needed = out.attrs["lists_needed"]
    assert needed is None or (out.loc[needed:, "mean_overlap"] >= 0.8).all()
