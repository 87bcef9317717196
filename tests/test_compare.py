"""Tests for smmrubric.compare and the list measures of smmrubric.rank_agreement it builds on: published reference
values, definitions checked directly, properties (the tie-averaging claims of RBO^a are in test_rank_agreement.py)."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmrubric.compare import dice, jaccard, overlap_coefficient, similarity_matrix
from smmrubric.errors import SmmrubricError
from smmrubric.rank_agreement import RBO, rbo, topk_footrule, topk_kendall

# ---- reference values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("abcde", "bacde", 0.9),  # Webber, Moffat & Zobel (2010)
        ("12345", "23415", 0.828),
        ("abcdefgh", "abcdxyz", 0.739435),  # uneven lengths, equation (32)
    ],
)
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
    assert jaccard([("a", "b")], ["b", "a"]) == pytest.approx(1.0)


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
        lambda t: (list(perm[: t[0]]), list(t[2][: t[1]]))
    )
)


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
        lambda sizes: _group(items, sizes)
    )
)


def _group(items, sizes):
    out, i = [], 0
    for size in sizes:
        if i >= len(items):
            break
        chunk = items[i : i + size]
        out.append(chunk[0] if len(chunk) == 1 else tuple(chunk))
        i += size
    return out


@settings(max_examples=80, deadline=None)
@given(tied_list, tied_list, st.sampled_from([0.3, 0.9]))
def test_properties_identity_symmetry_bounds(a, b, p):
    assert [jaccard(a, a), dice(a, a), overlap_coefficient(a, a)] == pytest.approx([1.0, 1.0, 1.0])
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


# Thirteen rows of rbo/test.csv in the reference implementation of Corsi & Urbano (2024)
# (github.com/julian-urbano/sigir2024-rbo): x, y (ties in parentheses), p, and RBO^a ext, min, max, res.
CORSI_URBANO_ROWS = [
    (
        "(i5 i9 i13 i15 i16 i19 i20) (i3 i8)",
        "i6 (i4 i18) i2 i7 i8 i17 i14 (i11 i12) i1",
        0.958074765324023,
        (0.0808189832771587, 0.0354671825076603, 0.593396603603558, 0.557929421095898),
    ),
    (
        "i13 (i1 i4 i5 i6)",
        "i3 i14 i11 (i10 i15) i12 (i6 i9) i4 i2",
        0.92238320668128,
        (0.114619469221414, 0.0733545052121218, 0.537945108035391, 0.464590602823269),
    ),
    (
        "i11 (i8 i21) (i2 i18) (i6 i16 i20) (i4 i10)",
        "i8 (i9 i20 i21) (i2 i3) i13 i1 i11 i14 i19",
        0.93912403977192,
        (0.46852753894333, 0.332552469387441, 0.698261683407016, 0.365709214019575),
    ),
    (
        "(i4 i7 i15) (i2 i11) i8 i18",
        "i4 i8 i17 i11 (i2 i3 i5 i7 i9 i13 i14)",
        0.955836875418683,
        (0.584235464666522, 0.295503371358027, 0.805839323150565, 0.510335951792538),
    ),
    (
        "i1 (i15 i16) i10 i12 i2 i14",
        "i16 (i1 i10 i11 i15) i2 (i4 i5 i6)",
        0.988786023528663,
        (0.7056986088397, 0.157852652669937, 0.964075955944718, 0.806223303274782),
    ),
    (
        "i4 (i2 i14) i7 i5 i3",
        "(i9 i13) (i6 i8) i1 i5 i10 i15 i11",
        0.986650551181127,
        (0.155835200392091, 0.02839705430193, 0.89085092447296, 0.86245387017103),
    ),
    (
        "(i1 i3 i6 i11 i15) i17 (i5 i8)",
        "(i1 i2 i3 i4 i5 i6 i7 i8 i9 i10 i11 i12)",
        0.966485585840186,
        (0.56593642947334, 0.250532359019861, 0.795583602856033, 0.545051243836172),
    ),
    (
        "i3 (i1 i5 i7) i9",
        "(i1 i9) i7 i3 i4",
        0.930093081332594,
        (0.678580739450433, 0.333244970824414, 0.817788056927883, 0.484543086103469),
    ),
    (
        "i21 i20 (i1 i16 i19) (i5 i10) i4",
        "(i12 i17) (i2 i3 i8 i11) (i15 i18) (i6 i13) (i7 i14) i9",
        0.930074017489188,
        (0, 0, 0.38977330351866, 0.38977330351866),
    ),
    (
        "i2 i5 i3 (i1 i4)",
        "i5 i8 i2 (i3 i9)",
        0.968922741966306,
        (0.580994268838527, 0.197411643060636, 0.918161527151621, 0.720749884090985),
    ),
    (
        "i6 i5 (i2 i4 i7)",
        "i4 i18 i2 (i1 i5 i6 i7 i9 i14 i15 i17) i13 i11",
        0.984365085297715,
        (0.680057896807246, 0.161475073718017, 0.926540408667145, 0.765065334949129),
    ),
    (
        "i8 i7 i10 i2 i14 (i1 i3)",
        "i11 i6 (i3 i5 i9 i12 i13 i15) i16",
        0.982287878139382,
        (0.124220301580354, 0.0309485342145909, 0.843482476292058, 0.812533942077467),
    ),
    (
        "(i1 i4 i6 i8 i10 i12 i13 i14 i17 i18)",
        "(i1 i4 i10 i13 i17 i19) i18 (i6 i20 i22) i8 i14 i9",
        0.908075936164193,
        (0.557549635735562, 0.426112226948329, 0.603822686677074, 0.177710459728745),
    ),
]


def _from_string(text: str) -> list:
    """The reference implementation's from_string: 'a (b c) d' -> ['a', ('b', 'c'), 'd']."""
    return [
        tuple(m.group(1).split()) if m.group(1) is not None else m.group(2)
        for m in re.finditer(r"\(([^)]*)\)|(\S+)", text)
    ]


@pytest.mark.parametrize(("x", "y", "p", "expected"), CORSI_URBANO_ROWS)
def test_rbo_matches_corsi_urbano_test_table(x, y, p, expected):
    r = rbo(_from_string(x), _from_string(y), p)
    assert (r.ext, r.min, r.max, r.res) == pytest.approx(expected, abs=1e-12)


def _rbo_ext_eq32(s: list, lst: list, p: float) -> float:
    """Webber, Moffat & Zobel (2010) eq. (32), written term by term with sets (s the shorter list)."""
    if len(s) > len(lst):
        s, lst = lst, s

    def x(d):
        return len(set(s[:d]) & set(lst[:d]))

    ns, nl = len(s), len(lst)
    first = sum(x(d) / d * p**d for d in range(1, nl + 1))
    second = sum(x(ns) * (d - ns) / (ns * d) * p**d for d in range(ns + 1, nl + 1))
    return (1 - p) / p * (first + second) + ((x(nl) - x(ns)) / nl + x(ns) / ns) * p**nl


@settings(max_examples=60, deadline=None)
@given(lists_strategy, st.sampled_from([0.5, 0.8, 0.9, 0.98]))
def test_rbo_ext_is_equation_32_for_uneven_untied_lists(pair, p):
    s, t = pair
    assert rbo(s, t, p).ext == pytest.approx(_rbo_ext_eq32(s, t, p), abs=1e-12)


def _kendall_full(a: list, b: list) -> int:
    pa, pb = {x: i for i, x in enumerate(a)}, {x: i for i, x in enumerate(b)}
    return sum((pa[i] - pa[j]) * (pb[i] - pb[j]) < 0 for i, j in itertools.combinations(a, 2))


small_topk = st.tuples(
    st.lists(st.sampled_from("abcdef"), min_size=1, max_size=4, unique=True),
    st.lists(st.sampled_from("abcdef"), min_size=1, max_size=4, unique=True),
)


@settings(max_examples=40, deadline=None)
@given(small_topk)
def test_topk_kendall_average_and_minimum_over_extensions(pair):
    # Fagin, Kumar & Sivakumar (2003): over all full rankings of the union D that extend each top-k list
    # (its missing items below it, in any order), the average Kendall distance is K^(1/2) and the
    # minimum is K^(0).
    a, b = pair
    domain = list(dict.fromkeys(a + b))

    def extensions(t):
        rest = [x for x in domain if x not in t]
        return [t + list(perm) for perm in itertools.permutations(rest)]

    values = [_kendall_full(x, y) for x in extensions(a) for y in extensions(b)]
    assert topk_kendall(a, b, 0.5) == pytest.approx(np.mean(values))
    assert topk_kendall(a, b, 0.0) == pytest.approx(min(values))


# The same test table's RBO^b columns (b.ext, b.min, b.max, b.res) for eight of its rows.
CORSI_URBANO_B_ROWS = [
    (
        "(i5 i9 i13 i15 i16 i19 i20) (i3 i8)",
        "i6 (i4 i18) i2 i7 i8 i17 i14 (i11 i12) i1",
        0.958074765324023,
        (0.0813693619867344, 0.0356267307324464, 0.593556151828344, 0.557929421095898),
    ),
    (
        "i13 (i1 i4 i5 i6)",
        "i3 i14 i11 (i10 i15) i12 (i6 i9) i4 i2",
        0.92238320668128,
        (0.11474835409049, 0.0734833900811979, 0.538589532380772, 0.465106142299574),
    ),
    (
        "i11 (i8 i21) (i2 i18) (i6 i16 i20) (i4 i10)",
        "i8 (i9 i20 i21) (i2 i3) i13 i1 i11 i14 i19",
        0.93912403977192,
        (0.486650566878314, 0.350675497322425, 0.716384711341999, 0.365709214019575),
    ),
    (
        "(i4 i7 i15) (i2 i11) i8 i18",
        "i4 i8 i17 i11 (i2 i3 i5 i7 i9 i13 i14)",
        0.955836875418683,
        (0.632087129618464, 0.322093781902212, 0.833840285843908, 0.511746503941696),
    ),
    (
        "(i1 i3 i6 i11 i15) i17 (i5 i8)",
        "(i1 i2 i3 i4 i5 i6 i7 i8 i9 i10 i11 i12)",
        0.966485585840186,
        (0.658581961799868, 0.315458973083789, 0.861496368240528, 0.546037395156739),
    ),
    (
        "(i1 i4 i6 i8 i10 i12 i13 i14 i17 i18)",
        "(i1 i4 i10 i13 i17 i19) i18 (i6 i20 i22) i8 i14 i9",
        0.908075936164193,
        (0.736937983877011, 0.605500575089777, 0.783211034818522, 0.177710459728745),
    ),
    (
        "i3 (i1 i5 i7) i9",
        "(i1 i9) i7 i3 i4",
        0.930093081332594,
        (0.684614956129899, 0.339279187503881, 0.82382227360735, 0.484543086103469),
    ),
    (
        "i5 (i1 i2 i3 i4 i6)",
        "i14 i11 (i1 i2 i3 i6 i8 i9 i10 i13)",
        0.989677000181474,
        (0.538239342563821, 0.0990949395707414, 0.938103744890412, 0.839008805319671),
    ),
]


@pytest.mark.parametrize(("x", "y", "p", "expected"), CORSI_URBANO_B_ROWS)
def test_rbo_b_matches_corsi_urbano_test_table(x, y, p, expected):
    r = rbo(_from_string(x), _from_string(y), p, ties="b")
    assert (r.ext, r.min, r.max, r.res) == pytest.approx(expected, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(tied_list, tied_list, st.sampled_from([0.3, 0.9]))
def test_rbo_b_identity_and_agreement_with_a_without_ties(a, b, p):
    assert rbo(a, a, p, ties="b").ext == pytest.approx(1.0)
    if not any(isinstance(e, tuple) for e in a + b):
        assert rbo(a, b, p, ties="b") == pytest.approx(rbo(a, b, p, ties="a"))
    r = rbo(a, b, p, ties="b")
    assert 0 <= r.min <= r.ext + 1e-12 <= r.max + 2e-12 <= 1 + 2e-12


def test_rbo_ties_option_and_matrix():
    unordered = {"x": [tuple("abc")], "y": [tuple("abc")], "z": list("abd")}
    assert rbo(unordered["x"], unordered["y"]).ext < 1  # RBO^a of identical tied lists
    m = similarity_matrix(unordered, "rbo", ties="b")
    assert m.loc["x", "y"] == pytest.approx(1.0)
    assert m.loc["x", "z"] == pytest.approx(rbo(unordered["x"], unordered["z"], ties="b").ext)
    for bad in ("c", None):
        with pytest.raises(SmmrubricError):
            rbo(list("ab"), list("ba"), ties=bad)
        with pytest.raises(SmmrubricError):
            similarity_matrix(unordered, "rbo", ties=bad)


def test_rbo_pairs_only_for_ranked_lists_at_each_persistence():
    from smmrubric.compare import rbo_pairs

    lists = {"x": list("abcd"), "y": ["b", "a", "e"], "z": [("a", "b", "c")], "w": ["c"]}
    out = rbo_pairs(lists, ps=[0.5, 0.9])
    # z is one tie group, w has one place: neither is ranked; only x and y are compared
    assert set(zip(out["list_a"], out["list_b"])) == {("x", "y")} and list(out["p"]) == pytest.approx([0.5, 0.9])
    for _, row in out.iterrows():
        expected = rbo(lists["x"], lists["y"], row["p"])
        assert (row["ext"], row["min"], row["max"], row["res"]) == pytest.approx(tuple(expected))
    assert rbo_pairs({"z": [("a", "b")], "w": ["a"]}).empty
    with pytest.raises(SmmrubricError):
        rbo_pairs(lists, ps=[1.0])
