"""Tests for smmrubric.compare: published reference values, definitions checked directly, properties."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmrubric.compare import (
    RBO,
    dice,
    jaccard,
    overlap_coefficient,
    rbo,
    similarity_matrix,
    topk_footrule,
    topk_kendall,
)
from smmrubric.errors import SmmrubricError

# ---- reference values ------------------------------------------------------------------------------------


@pytest.mark.parametrize("a, b, expected", [
    ("abcde", "bacde", 0.9),  # Webber, Moffat & Zobel (2010)
    ("12345", "23415", 0.828),
    ("abcdefgh", "abcdxyz", 0.739435),  # uneven lengths, equation (32)
])
def test_rbo_ext_reference(a, b, expected):
    assert rbo(list(a), list(b), 0.9).ext == pytest.approx(expected, abs=5e-7)
    assert rbo(list(b), list(a), 0.9).ext == pytest.approx(expected, abs=5e-7)


@pytest.mark.parametrize("p, expected", [(0, 6), (0.5, 7), (1, 8)])
def test_topk_kendall_reference(p, expected):
    # Fagin, Kumar & Sivakumar (2003): K^(p) of [a, b, c] and [d, e, a]
    assert topk_kendall(list("abc"), list("dea"), p) == expected


def test_topk_footrule_by_definition():
    # k = 3, missing at rank 4: a 1 vs 3, b 2 vs 4, c 3 vs 4, d 4 vs 1, e 4 vs 2 -> 2+2+1+3+2 = 10
    assert topk_footrule(list("abc"), list("dea")) == 10
    # uneven: each list its own k + 1
    # a 1 vs 2, b 2 vs 1, c 3 (k = 2 -> missing at 3) vs 3 -> 2
    assert topk_footrule(list("ab"), list("bac")) == 2


def test_set_measures_by_hand():
    a, b = list("abcd"), ["c", "d", "e"]
    assert jaccard(a, b) == pytest.approx(2 / 5)
    assert dice(a, b) == pytest.approx(4 / 7)
    assert overlap_coefficient(a, b) == pytest.approx(2 / 3)
    # tie groups are flattened for sets
    assert jaccard([("a", "b")], ["b", "a"]) == 1.0


# ---- RBO bounds from their definitions -------------------------------------------------------------------


def _rbo_series(s: list, t: list, p: float, depth: int) -> float:
    """(1 - p) sum_{d=1}^{depth} p^(d-1) |S_:d & T_:d| / d, straight from the definition."""
    seen_s, seen_t, overlap, total = set(), set(), 0, 0.0
    for d in range(1, depth + 1):
        a, b = s[d - 1], t[d - 1]
        overlap += (a in seen_t) + (b in seen_s) + (a == b)  # items of depth d now in both prefixes
        seen_s.add(a)
        seen_t.add(b)
        total += p ** (d - 1) * overlap / d
    return (1 - p) * total


def _definition_bounds(s: list, t: list, p: float) -> tuple[float, float]:
    """RBO_min and RBO_max by building the worst and the best continuations explicitly."""
    depth = 400  # p^400 is negligible for p <= 0.9 (below 1e-18)
    new_s = [("s", i) for i in range(depth)]
    new_t = [("t", i) for i in range(depth)]
    low = _rbo_series(s + new_s, t + new_t, p, depth)
    common = [("z", i) for i in range(depth)]
    best_s = s + [x for x in t if x not in s] + common
    best_t = t + [x for x in s if x not in t] + common
    high = _rbo_series(best_s, best_t, p, depth)
    return low, high


lists_strategy = st.permutations(list("abcdefghij")).flatmap(
    lambda perm: st.tuples(st.integers(1, 10), st.integers(1, 10), st.permutations(perm)).map(
        lambda t: (list(perm[: t[0]]), list(t[2][: t[1]]))))


@settings(max_examples=60, deadline=None)
@given(lists_strategy, st.sampled_from([0.5, 0.8, 0.9]))
def test_rbo_min_max_match_definition(pair, p):
    s, t = pair
    result = rbo(s, t, p)
    low, high = _definition_bounds(s, t, p)
    assert result.min == pytest.approx(low, abs=1e-9)
    assert result.max == pytest.approx(high, abs=1e-9)
    assert result.res == pytest.approx(high - low, abs=1e-9)
    assert result.min - 1e-12 <= result.ext <= result.max + 1e-12


@settings(max_examples=40, deadline=None)
@given(lists_strategy, st.sampled_from([0.5, 0.9]))
def test_rbo_bounds_tighten_with_depth(pair, p):
    s, t = pair
    k = min(len(s), len(t))
    previous = None
    for depth in range(1, k + 1):
        r = rbo(s[:depth], t[:depth], p)
        if previous is not None:
            assert r.min >= previous.min - 1e-12 and r.max <= previous.max + 1e-12
        previous = r


def test_rbo_ties_corsi_urbano_reference():
    # README of the reference implementation of Corsi & Urbano (2024), RBO^a at p = 0.95
    x = ["red", ("blue", "green"), "yellow", "pink"]
    y = [("blue", "red"), "white", ("yellow", "black", "purple"), "green"]
    r = rbo(x, y, 0.95)
    assert (r.ext, r.min, r.max, r.res) == pytest.approx((0.6922853, 0.3310519, 0.8930692, 0.5620173), abs=5e-8)


def test_rbo_ties_average_over_orders():
    # Corsi & Urbano (2024) RBO^a: for equal lengths it is the mean RBO over all tie breakings
    a = ["x", ("b", "c", "d"), "e"]
    b = list("bxcef")[:5]
    orders = [["x", *perm, "e"] for perm in itertools.permutations("bcd")]
    for field in ("ext", "min"):
        mean = np.mean([getattr(rbo(o, b, 0.9), field) for o in orders])
        assert getattr(rbo(a, b, 0.9), field) == pytest.approx(mean)


def test_rbo_result_and_validation():
    r = rbo(list("abc"), list("abc"))
    assert isinstance(r, RBO) and r.ext == pytest.approx(1.0) and r.max == pytest.approx(1.0)
    for bad in (0, 1, 1.5, "x"):
        with pytest.raises(SmmrubricError) as err:
            rbo(list("ab"), list("ab"), bad)
        assert err.value.field == "p"
    with pytest.raises(SmmrubricError) as err:
        rbo(list("aa"), list("ab"))
    assert err.value.field == "lists" and err.value.row == "a"
    with pytest.raises(SmmrubricError):
        rbo("abc", list("abc"))
    with pytest.raises(SmmrubricError):
        jaccard([], ["a"])


# ---- properties ------------------------------------------------------------------------------------------

tied_list = st.lists(st.sampled_from(list("abcdefgh")), min_size=1, max_size=8, unique=True).flatmap(
    lambda items: st.lists(st.integers(1, 3), min_size=len(items), max_size=len(items)).map(
        lambda sizes: _group(items, sizes)))


def _group(items, sizes):
    out, i = [], 0
    for size in sizes:
        if i >= len(items):
            break
        chunk = items[i:i + size]
        out.append(chunk[0] if len(chunk) == 1 else tuple(chunk))
        i += size
    return out


@settings(max_examples=80, deadline=None)
@given(tied_list, tied_list, st.sampled_from([0.3, 0.9]))
def test_properties_identity_symmetry_bounds(a, b, p):
    assert jaccard(a, a) == dice(a, a) == overlap_coefficient(a, a) == 1.0
    assert rbo(a, a, p).ext == pytest.approx(1.0) if not any(isinstance(x, tuple) for x in a) else True
    assert topk_kendall(a, a, 0.5) == 0 and topk_footrule(a, a) == 0
    for f in (jaccard, dice, overlap_coefficient, topk_footrule):
        assert f(a, b) == pytest.approx(f(b, a))
        assert f(a, b) >= 0
    for f in (jaccard, dice, overlap_coefficient):
        assert 0 <= f(a, b) <= 1
    assert topk_kendall(a, b, p) == pytest.approx(topk_kendall(b, a, p))
    r, r2 = rbo(a, b, p), rbo(b, a, p)
    assert r.ext == pytest.approx(r2.ext) and r.min == pytest.approx(r2.min)
    assert 0 <= r.min <= r.ext + 1e-12 and r.ext <= r.max + 1e-12 and r.max <= 1
    n = len(set(_flat(a)) | set(_flat(b)))
    assert topk_kendall(a, b, 1) <= n * (n - 1) / 2


def _flat(x):
    return [i for e in x for i in (e if isinstance(e, tuple) else (e,))]


@settings(max_examples=40, deadline=None)
@given(st.permutations(list("abcdefg")), st.permutations(list("abcdefg")))
def test_full_rankings_kendall_is_discordant_pairs(a, b):
    # on the same full domain K^(p) is Kendall's tau distance, whatever p
    pos = {x: i for i, x in enumerate(b)}
    discordant = sum(pos[x] > pos[y] for x, y in itertools.combinations(a, 2))
    assert topk_kendall(list(a), list(b), 0.3) == discordant
    assert topk_footrule(list(a), list(b)) == sum(abs(i - pos[x]) for i, x in enumerate(a))


# ---- similarity matrix -----------------------------------------------------------------------------------


def test_similarity_matrix():
    lists = {"x": list("abc"), "y": list("dea"), "z": [("a", "b")]}
    for method, f in (("jaccard", jaccard), ("dice", dice), ("overlap", overlap_coefficient)):
        m = similarity_matrix(lists, method)
        assert list(m.index) == ["x", "y", "z"] and list(m.columns) == ["x", "y", "z"]
        np.testing.assert_allclose(m.to_numpy(), m.to_numpy().T)
        for i, j in itertools.product(lists, lists):
            assert m.loc[i, j] == pytest.approx(f(lists[i], lists[j]))
    m = similarity_matrix(lists, "rbo", p=0.8)
    assert m.loc["x", "y"] == pytest.approx(rbo(lists["x"], lists["y"], 0.8).ext)
    assert np.allclose(np.diag(m), 1)
    with pytest.raises(SmmrubricError) as err:
        similarity_matrix(lists, "cosine")
    assert err.value.field == "method"
    with pytest.raises(SmmrubricError):
        similarity_matrix({}, "jaccard")
    assert isinstance(m, pd.DataFrame)


# ---- membership, intersections, pairs, clustering --------------------------------------------------------

from smmrubric.compare import (  # noqa: E402
    exclusive_intersections,
    membership,
    similarity_linkage,
    similarity_pairs,
    typicality,
)

SMALL = {"x": list("abc"), "y": ["c", "d"], "z": [("a", "c")]}


def test_membership_and_exclusive_intersections():
    m = membership(SMALL)
    assert list(m.index) == list("abcd") and list(m.columns) == ["x", "y", "z"]
    assert m.loc["c"].all() and m.loc["b"].tolist() == [True, False, False]
    groups = exclusive_intersections(SMALL)
    # a: {x, z}; b: {x}; c: {x, y, z}; d: {y} -> every item in exactly one group
    as_dict = {g: set(items) for g, items in zip(groups["lists"], groups["items"])}
    assert as_dict == {("x", "z"): {"a"}, ("x",): {"b"}, ("x", "y", "z"): {"c"}, ("y",): {"d"}}
    assert groups["n_items"].sum() == 4
    assert groups["degree"].tolist() == [3, 2, 1, 1]  # equal sizes: higher degree first


def test_pairs_typicality_linkage():
    sim = similarity_matrix(SMALL, "jaccard")
    pairs = similarity_pairs(sim)
    assert len(pairs) == 3 and pairs["similarity"].is_monotonic_decreasing
    assert (pairs.iloc[0]["list_a"], pairs.iloc[0]["list_b"]) == ("x", "z")  # 2/3
    t = typicality(sim)
    # y: (J(x,y) + J(y,z)) / 2 = (1/4 + 1/3) / 2
    assert t["y"] == pytest.approx((1 / 4 + 1 / 3) / 2) and t.index[0] == "y"
    z = similarity_linkage(sim)
    assert z.shape == (2, 4)
    assert z[0, 2] == pytest.approx(1 - 2 / 3)  # x and z merge first, at distance 1 - J
    assert {int(z[0, 0]), int(z[0, 1])} == {0, 2}
    with pytest.raises(SmmrubricError):
        similarity_linkage(sim, "ward")
    with pytest.raises(SmmrubricError):
        typicality(sim.iloc[:2])
    bad = sim.copy()
    bad.iloc[0, 1] = 0.9
    with pytest.raises(SmmrubricError):
        similarity_pairs(bad)


@pytest.mark.parametrize("fn", [similarity_pairs, typicality, similarity_linkage])
def test_similarity_table_must_hold_numbers(fn):
    table = pd.DataFrame([[1, "x"], ["x", 1]], index=list("ab"), columns=list("ab"))
    with pytest.raises(SmmrubricError) as err:
        fn(table)
    assert err.value.field == "similarity"
