"""Tests for smmrubric.aggregate: reference values from the papers and textbook examples, properties."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmrubric.aggregate import (
    METHODS,
    borda,
    consensus_table,
    kemeny,
    leave_one_out,
    list_influence,
    mc4,
    method_agreement,
    pairwise_preferences,
    rankings_from_expert_lists,
    rra,
    schulze,
)
from smmrubric.errors import SmmrubricError

# Tennessee capital (Wikipedia, "Borda count", "Kemeny method", "Schulze method"): voters' share in %.
TENNESSEE = {"memphis": list("MNCK"), "nashville": list("NCKM"), "chattanooga": list("CKNM"), "knoxville": list("KCNM")}
TENNESSEE_W = {"memphis": 42, "nashville": 26, "chattanooga": 15, "knoxville": 17}


def test_borda_tennessee():
    out = borda(TENNESSEE, TENNESSEE_W)
    assert out["score"].to_dict() == {"N": 194, "C": 173, "M": 126, "K": 107}
    assert list(out.index) == list("NCMK")
    assert list(out["rank"]) == [1, 2, 3, 4]


def test_borda_unranked_get_no_points_and_ties_share_average():
    # N = 4 items: list a ties x, y, z over positions 1..3 -> (3 + 2 + 1) / 3 = 2 points each;
    # list b: y first (3 points), w second (2 points); x, z unranked there -> 0.
    out = borda({"a": [("x", "y", "z")], "b": ["y", "w"]})
    assert out["score"].to_dict() == pytest.approx({"y": 5.0, "x": 2.0, "z": 2.0, "w": 2.0})
    assert out["rank"].to_dict() == {"y": 1, "x": 2, "z": 2, "w": 2}
    assert out["n_lists"].to_dict() == pytest.approx({"y": 2.0, "x": 1.0, "z": 1.0, "w": 1.0})


def test_borda_weights_equal_repeated_lists():
    repeated = {f"{k}{i}": v for k, v in TENNESSEE.items() for i in range(TENNESSEE_W[k])}
    pd.testing.assert_frame_equal(borda(repeated), borda(TENNESSEE, TENNESSEE_W))


def test_pairwise_preferences_tennessee():
    p = pairwise_preferences(TENNESSEE, TENNESSEE_W)
    assert p.loc["N", "C"] == 68 and p.loc["C", "N"] == 32
    assert p.loc["C", "K"] == 83 and p.loc["M", "N"] == 42
    assert np.all(np.diag(p) == 0)


def test_pairwise_preferences_partial_and_ties():
    p = pairwise_preferences({"a": ["x", ("y", "z")], "b": ["w"]})
    # a: x > y, x > z, {x, y, z} > w; y ~ z says nothing; b: w > x, y, z
    assert p.loc["x", "y"] == 1 and p.loc["y", "z"] == 0 and p.loc["z", "y"] == 0
    assert p.loc["y", "w"] == 1 and p.loc["w", "y"] == 1


@pytest.mark.parametrize(
    "bad, field",
    [
        ({}, "rankings"),
        ({"a": "xyz"}, "rankings"),
        ({"a": []}, "rankings"),
        ({"a": ["x", "x"]}, "rankings"),
        ({"a": ["x", ()]}, "rankings"),
        ({"a": ["x", ("y", ("z",))]}, "rankings"),
        ({"a": ["x", None]}, "rankings"),
        ({"a": [["x"]]}, "rankings"),
    ],
)
def test_bad_rankings_raise(bad, field):
    with pytest.raises(SmmrubricError) as err:
        borda(bad)
    assert err.value.field == field


@pytest.mark.parametrize(
    "weights", [{"a": -1, "b": 1}, {"a": 1}, {"a": 1, "b": 1, "c": 1}, {"a": 0, "b": 0}, {"a": "x", "b": 1}, [1, 2]]
)
def test_bad_weights_raise(weights):
    with pytest.raises(SmmrubricError) as err:
        borda({"a": ["x"], "b": ["y"]}, weights)
    assert err.value.field == "weights"


def test_rankings_from_expert_lists():
    frame = pd.DataFrame(
        {
            "list_id": ["l1", "l1", "l1", "l2", "l2"],
            "position": [2, 1, 3, 1, 2],
            "competency_id": ["b", "a", "a", "c", "a"],
            "ranked": [True, True, True, False, False],
        }
    )
    assert rankings_from_expert_lists(frame) == {"l1": ["a", "b"], "l2": [("c", "a")]}
    # order is used only where it is importance: a numbered but unranked list is one tie group
    numbered = frame.assign(ranked=False, numbered=True)
    assert rankings_from_expert_lists(numbered) == {"l1": [("a", "b")], "l2": [("c", "a")]}
    with pytest.raises(SmmrubricError):
        rankings_from_expert_lists(frame.drop(columns="ranked"))


ITEMS = list("abcdefgh")
rankings_strategy = st.dictionaries(
    st.sampled_from(["l1", "l2", "l3", "l4"]),
    st.permutations(ITEMS).flatmap(lambda p: st.integers(1, len(p)).map(lambda k: p[:k])),
    min_size=1,
)


@settings(max_examples=40, deadline=None)
@given(rankings_strategy)
def test_borda_properties(rankings):
    out = borda(rankings)
    n = len(out)
    # total points: each list of length m gives sum_{pos=1..m} (N - pos)
    expected = sum(n * len(r) - len(r) * (len(r) + 1) / 2 for r in rankings.values())
    assert out["score"].sum() == pytest.approx(expected)
    assert out["rank"].min() == 1 and out["rank"].max() <= n
    assert out["score"].is_monotonic_decreasing


# ---- Kemeny-Young -----------------------------------------------------------------------------------


def test_kemeny_tennessee():
    out = kemeny(TENNESSEE, TENNESSEE_W)
    assert list(out.index) == list("NCKM")
    assert out.attrs["kemeny_score"] == 393
    assert out["score"].sum() == 393


def _brute_force_kemeny(pref: np.ndarray) -> float:
    n = pref.shape[0]
    best = -np.inf
    for order in itertools.permutations(range(n)):
        agree = sum(pref[order[a], order[b]] for a in range(n) for b in range(a + 1, n))
        best = max(best, agree)
    return best


small_rankings = st.dictionaries(
    st.sampled_from(["l1", "l2", "l3", "l4", "l5"]),
    st.permutations(list("abcdef")).flatmap(lambda p: st.integers(1, 6).map(lambda k: p[:k])),
    min_size=1,
)


@settings(max_examples=25, deadline=None)
@given(small_rankings)
def test_kemeny_is_optimal_against_brute_force(rankings):
    out = kemeny(rankings)
    pref = pairwise_preferences(rankings).to_numpy()
    assert out.attrs["kemeny_score"] == pytest.approx(_brute_force_kemeny(pref))
    assert sorted(out["rank"]) == list(range(1, len(out) + 1))


def test_kemeny_exact_for_thirty_items(rng):
    items = [f"c{i:02d}" for i in range(30)]
    base = np.arange(30)
    lists = {}
    for lst in range(7):
        noisy = base + rng.normal(0, 6, 30)
        order = np.argsort(noisy)[: 30 if lst == 0 else rng.integers(8, 16)]
        lists[f"l{lst}"] = [items[i] for i in order]
    out = kemeny(lists)
    assert len(out) == 30 and sorted(out["rank"]) == list(range(1, 31))
    # the optimum is never worse than Borda's order or any input-derived order
    pref = pairwise_preferences(lists)

    def agreement(order):
        p = pref.loc[order, order].to_numpy()
        return np.triu(p, 1).sum()

    assert out.attrs["kemeny_score"] >= agreement(list(borda(lists).index)) - 1e-9
    assert out.attrs["kemeny_score"] == pytest.approx(agreement(list(out.index)))
    # no single swap of neighbours improves the optimum (local Kemeny optimality)
    order = list(out.index)
    for a in range(29):
        assert pref.loc[order[a], order[a + 1]] >= pref.loc[order[a + 1], order[a]]


# ---- Schulze -------------------------------------------------------------------------------------------

# Wikipedia, "Schulze method", example with 45 voters: winner E, order E > A > C > B > D.
SCHULZE_WIKI = {"acbed": 5, "adecb": 5, "bedac": 8, "cabed": 3, "caebd": 7, "cbade": 2, "dceba": 7, "ebadc": 8}


def test_schulze_tennessee():
    assert list(schulze(TENNESSEE, TENNESSEE_W).index) == list("NCKM")


def test_schulze_wikipedia_45_voters():
    rankings = {k: list(k.upper()) for k in SCHULZE_WIKI}
    out = schulze(rankings, SCHULZE_WIKI)
    assert list(out.index) == list("EACBD")
    assert list(out["score"]) == [4, 3, 2, 1, 0]
    # the pairwise matrix of the article: d[A, B] = 20, d[B, A] = 25, d[C, E] = 24, d[E, D] = 31
    d = pairwise_preferences(rankings, SCHULZE_WIKI)
    assert (d.loc["A", "B"], d.loc["B", "A"], d.loc["C", "E"], d.loc["E", "D"]) == (20, 25, 24, 31)


def test_schulze_condorcet_cycle_ties():
    out = schulze({"1": list("abc"), "2": list("bca"), "3": list("cab")})
    assert set(out["rank"]) == {1}


# ---- RRA -----------------------------------------------------------------------------------------------


def test_rra_reference():
    out = rra({"1": list("abcde"), "2": list("bacdf"), "3": list("acbeg")})
    assert out.loc["a", "score"] == pytest.approx(0.0700, abs=5e-5)
    # exact: a = 3 * (2/7)^3, b = c = 3 * (3/7)^3
    assert out.loc["a", "score"] == pytest.approx(3 * 8 / 343)
    assert out.loc["b", "score"] == pytest.approx(0.2362, abs=5e-5)
    assert out.loc["c", "score"] == pytest.approx(out.loc["b", "score"])
    assert out.loc["a", "rank"] == 1 and out.loc["b", "rank"] == out.loc["c", "rank"] == 2
    # d: ranks 4/7, 4/7, 1 -> min beta = pbeta(4/7, 2, 2) = 208/343, * 3 > 1 -> capped at 1
    assert out.loc["d", "score"] == pytest.approx(1.0)


def test_rra_n_total_and_single_list():
    out = rra({"1": list("ab")}, n_total=10)
    # one list: rho = r = position / N
    assert out["score"].tolist() == pytest.approx([0.1, 0.2])
    with pytest.raises(SmmrubricError):
        rra({"1": list("ab")}, n_total=1)
    with pytest.raises(SmmrubricError):
        rra({"1": list("ab")}, {"1": 2})


# ---- MC4 -----------------------------------------------------------------------------------------------


def test_mc4_tennessee_by_hand():
    # Majorities: N beats all, C beats K and M, K beats M. With delta = 1/7 and T = 6/7 M + 1/28:
    # x_M = 1/28 + (6/7)(1/4) x_M -> x_M = 1/22; x_K = 1/28 + (6/7)(x_M/4 + x_K/2) -> x_K = 7/88;
    # x_C = 1/28 + (6/7)(x_M/4 + x_K/4 + 3 x_C/4) -> x_C = 7/40; x_N = 1 - the rest = 7/10.
    out = mc4(TENNESSEE, TENNESSEE_W)
    assert list(out.index) == list("NCKM")
    assert out["score"].to_dict() == pytest.approx({"N": 0.7, "C": 7 / 40, "K": 7 / 88, "M": 1 / 22})


def test_mc4_matches_power_iteration(rng):
    rankings = {f"l{i}": list(rng.permutation(list("abcdefg"))[: rng.integers(2, 8)]) for i in range(5)}
    out = mc4(rankings, jump=0.2)
    items = list(pairwise_preferences(rankings).index)
    # rebuild the chain directly from the definition and iterate
    n = len(items)
    pos = {k: {it: p for p, it in enumerate(v)} for k, v in rankings.items()}
    t = np.zeros((n, n))
    for i, a in enumerate(items):
        for j, b in enumerate(items):
            if i == j:
                continue
            both = [k for k in rankings if a in pos[k] and b in pos[k]]
            prefer_b = sum(pos[k][b] < pos[k][a] for k in both)
            if both and prefer_b > len(both) / 2:
                t[i, j] = 1 / n
        t[i, i] = 1 - t[i].sum()
    t = 0.8 * t + 0.2 / n
    x = np.full(n, 1 / n)
    for _ in range(2000):
        x = x @ t
    assert out["score"].reindex(items).to_numpy() == pytest.approx(x, abs=1e-10)


@pytest.mark.parametrize("jump", [0, 1, -0.1, 2, "x"])
def test_mc4_bad_jump(jump):
    with pytest.raises(SmmrubricError) as err:
        mc4(TENNESSEE, jump=jump)
    assert err.value.field == "jump"


# ---- side by side, leave one out -----------------------------------------------------------------------


def test_consensus_table_tennessee():
    out = consensus_table(TENNESSEE, TENNESSEE_W, methods=["borda", "kemeny", "schulze", "mc4"])
    assert out.loc["N"].tolist()[:4] == [1, 1, 1, 1]
    assert out.loc["M", "borda"] == 3 and out.loc["M", "kemeny"] == 4
    assert out.loc["M", "rank_spread"] == 1 and out.loc["N", "rank_spread"] == 0
    with pytest.raises(SmmrubricError):
        consensus_table(TENNESSEE, methods=["borda", "nope"])
    with pytest.raises(SmmrubricError):
        consensus_table(TENNESSEE, methods="borda")


def test_leave_one_out():
    rankings = {"1": list("abc"), "2": list("abd"), "3": list("bae")}
    out = leave_one_out(rankings, "borda")
    # without list 3, e is named by no list
    assert pd.isna(out.loc["e", "without_3"]) and out.loc["e", "n_dropped"] == 1
    # a: Borda with all lists: 4+4+3 = 11 (N = 5), b: 3+3+4 = 10 -> a first
    assert out.loc["a", "rank"] == 1
    # without list 1: a 4+3 = 7, b 3+4 = 7 -> tie at 1; without list 3: a first
    assert out.loc["a", "without_1"] == 1 and out.loc["b", "without_1"] == 1
    assert out.loc["a", "loo_range"] == 0
    with pytest.raises(SmmrubricError):
        leave_one_out({"1": list("ab")})
    with pytest.raises(SmmrubricError):
        leave_one_out(rankings, "copeland")


@settings(max_examples=30, deadline=None)
@given(small_rankings)
def test_all_methods_unanimous_lists_give_that_order(rankings):
    first = next(iter(rankings.values()))
    same = {k: list(first) for k in rankings}
    for name, method in METHODS.items():
        out = method(same)
        ranks = out["rank"].reindex(first).to_numpy()
        if name == "rra" and len(same) == 1:
            assert np.all(np.diff(ranks) > 0)
        assert np.all(np.diff(ranks) >= 0), name
        if name in ("borda", "kemeny", "schulze"):
            assert list(ranks) == list(range(1, len(first) + 1)), name


def test_kemeny_margin_marks_alternative_optima():
    out = kemeny({"1": list("ab"), "2": list("ba")})  # a and b tie: either order is optimal
    assert out["margin_next"].iloc[0] == 0 and np.isnan(out["margin_next"].iloc[-1])
    # the tie is broken towards Borda, then by id: a first
    assert list(out.index) == ["a", "b"] and out.attrs["n_optimal"] == 2
    # a cycle a > b > c > a (3 voters) has three optimal orders; Borda ties all -> by id, whatever the
    # order in which the lists come
    cycle = {"1": list("abc"), "2": list("bca"), "3": list("cab")}
    assert list(kemeny(cycle).index) == list("abc") and kemeny(cycle).attrs["n_optimal"] == 3
    assert list(kemeny({"1": list("cab"), "2": list("abc"), "3": list("bca")}).index) == list("abc")
    # a~b and b~c tie pairwise; a,b,c / b,a,c / a,c,b all score 4. Borda: a 3, b 2, c 1 -> a, b, c,
    # although b appears first
    lists = {"2": list("bac"), "1": list("acb")}
    out = kemeny(lists)
    assert out.attrs["kemeny_score"] == 4 == _brute_force_kemeny(pairwise_preferences(lists).to_numpy())
    assert list(out.index) == list("abc")
    out = kemeny(TENNESSEE, TENNESSEE_W)
    assert out["margin_next"].tolist()[:3] == [68 - 32, 83 - 17, 58 - 42]


def test_mc4_partial_rules():
    # a named by list 1 only, b by lists 1 and 2, c by list 2 only.
    lists = {"1": ["a", "b"], "2": ["b", "c"]}
    both = mc4(lists, partial="both", jump=0.5)
    topk = mc4(lists, partial="topk", jump=0.5)
    # "both": only lists naming both vote. a-b: list 1 prefers a; b-c: list 2 prefers b; a-c: no list
    # names both. Chain: from a stay; from b -> a w.p. 1/3; from c -> b w.p. 1/3.
    # "topk": every list naming either votes, named beats left out. a-b: list 1 a, list 2 b -> no
    # majority; a-c: list 1 a, list 2 c -> none; b-c: both lists b -> from c -> b w.p. 1/3.
    n = 3
    chains = {
        "both": np.array([[1, 0, 0], [1 / n, 1 - 1 / n, 0], [0, 1 / n, 1 - 1 / n]]),
        "topk": np.array([[1, 0, 0], [0, 1, 0], [0, 1 / n, 1 - 1 / n]]),
    }
    for rule, m in chains.items():
        t = 0.5 * m + 0.5 / n
        w, v = np.linalg.eig(t.T)
        x = np.real(v[:, np.argmin(np.abs(w - 1))])
        x = x / x.sum()
        out = mc4(lists, partial=rule, jump=0.5)
        assert out["score"].reindex(list("abc")).to_numpy() == pytest.approx(x), rule
    assert both.index[0] == "a" and topk.index[0] == "b"
    with pytest.raises(SmmrubricError):
        mc4(lists, partial="all")


def test_consensus_table_options_and_agreement():
    rankings = {"1": list("abcd"), "2": list("abdc"), "3": list("bacd")}
    table = consensus_table(rankings, options={"mc4": {"partial": "topk"}})
    agree = method_agreement(table)
    assert list(agree.index) == list(METHODS)
    assert np.allclose(np.diag(agree), 1)
    assert agree.loc["borda", "kemeny"] == pytest.approx(1.0)  # both a > b > c > d
    np.testing.assert_allclose(agree.to_numpy(), agree.to_numpy().T)
    with pytest.raises(SmmrubricError):
        consensus_table(rankings, options={"copeland": {}})
    with pytest.raises(SmmrubricError):
        method_agreement(table, ["borda"])


def test_list_influence():
    rankings = {"1": list("abc"), "2": list("abd"), "3": list("bae")}
    loo = leave_one_out(rankings, "borda")
    influence = list_influence(loo)
    # by hand from the leave-one-out ranks
    for list_id in rankings:
        col = loo[f"without_{list_id}"]
        keep = col.notna()
        expected = (col[keep].astype(float) - loo.loc[keep, "rank"]).abs().mean()
        assert influence[list_id] == pytest.approx(expected)
    assert influence.is_monotonic_decreasing
    with pytest.raises(SmmrubricError):
        list_influence(loo[["rank"]])


def test_other_list_containers():
    as_arrays = {k: np.array(v) for k, v in TENNESSEE.items()}
    pd.testing.assert_frame_equal(borda(as_arrays, TENNESSEE_W), borda(TENNESSEE, TENNESSEE_W))
    as_series = {k: pd.Series(v) for k, v in TENNESSEE.items()}
    pd.testing.assert_frame_equal(kemeny(as_series, TENNESSEE_W), kemeny(TENNESSEE, TENNESSEE_W))
    # a set is a tie group, like a tuple
    assert borda({"a": [{"y", "x"}, "z"]})["score"].to_dict() == borda({"a": [("x", "y"), "z"]})["score"].to_dict()
    with pytest.raises(SmmrubricError, match="list\\('abc'\\)"):
        borda({"a": "abc"})
    with pytest.raises(SmmrubricError):
        borda({"a": ["x", pd.NA]})


def test_leave_one_out_passes_options():
    rankings = {"1": list("abc"), "2": list("abd"), "3": list("bae")}
    loo = leave_one_out(rankings, "mc4", partial="topk", jump=0.3)
    assert loo["rank"].to_dict() == mc4(rankings, partial="topk", jump=0.3)["rank"].to_dict()


@settings(max_examples=30, deadline=None)
@given(small_rankings)
def test_condorcet_winner_and_score_bounds(rankings):
    pref = pairwise_preferences(rankings)
    p = pref.to_numpy()
    beats_all = [item for i, item in enumerate(pref.index) if all(p[i, j] > p[j, i] for j in range(len(p)) if j != i)]
    if beats_all:  # a Condorcet winner is first under Kemeny and Schulze
        assert kemeny(rankings).index[0] == beats_all[0]
        assert schulze(rankings)["rank"][beats_all[0]] == 1
        assert (schulze(rankings)["rank"] == 1).sum() == 1
    rho = rra(rankings)["score"]
    assert ((rho > 0) & (rho <= 1)).all()
    x = mc4(rankings)["score"]
    assert x.sum() == pytest.approx(1.0) and (x > 0).all()
    # Schulze's strongest-path relation is transitive: ranks are consistent with score counts
    s = schulze(rankings)
    assert s["score"].max() <= len(s) - 1


# ---- further published cases and bad inputs (review of issue 5) -----------------------------------------

# Electowiki, "Kemeny-Young method": a Condorcet cycle, 25 A>B>C, 40 B>C>A, 35 C>A>B. The article lists the
# distance (disagreements) of each of the six rankings: ABC 150, ACB 180, BAC 170, BCA 120, CAB 130, CBA 150.
CYCLE = {"abc": list("ABC"), "bca": list("BCA"), "cab": list("CAB")}
CYCLE_W = {"abc": 25, "bca": 40, "cab": 35}
CYCLE_DISTANCE = {"ABC": 150, "ACB": 180, "BAC": 170, "BCA": 120, "CAB": 130, "CBA": 150}


def test_kemeny_electowiki_condorcet_cycle():
    out = kemeny(CYCLE, CYCLE_W)
    assert list(out.index) == list("BCA")
    # 3 pairs x 100 voters: agreements = 300 - distance
    assert out.attrs["kemeny_score"] == 300 - 120
    pref = pairwise_preferences(CYCLE, CYCLE_W)
    for order, distance in CYCLE_DISTANCE.items():
        disagree = sum(pref.loc[order[b], order[a]] for a in range(3) for b in range(a + 1, 3))
        assert disagree == distance, order


def test_kemeny_tennessee_distance_207():
    # Electowiki/Wikipedia: the winning ranking's distance score is 32+32+42+17+42+42 = 207 (of 6 x 100)
    out = kemeny(TENNESSEE, TENNESSEE_W)
    assert 6 * 100 - out.attrs["kemeny_score"] == 207


def test_schulze_and_borda_condorcet_cycle_by_hand():
    # strongest paths: p[A,B]=60, p[B,A]=min(65,75)=65; p[A,C]=min(60,65)=60, p[C,A]=75;
    # p[B,C]=65, p[C,B]=min(75,60)=60  ->  B > C > A
    assert list(schulze(CYCLE, CYCLE_W).index) == list("BCA")
    # Borda (N = 3): A 25*2 + 35*1 = 85, B 25*1 + 40*2 = 105, C 40*1 + 35*2 = 110
    assert borda(CYCLE, CYCLE_W)["score"].to_dict() == {"C": 110, "B": 105, "A": 85}


def test_list_ids_must_stay_distinct_as_text():
    with pytest.raises(SmmrubricError, match="duplicate"):
        borda({1: ["a"], "1": ["b"]})


def test_unknown_options_raise_not_typeerror():
    with pytest.raises(SmmrubricError) as err:
        leave_one_out(TENNESSEE, "borda", TENNESSEE_W, bogus=1)
    assert err.value.field == "options" and "bogus" in err.value.message
    with pytest.raises(SmmrubricError) as err:
        consensus_table(TENNESSEE, methods=["mc4"], options={"mc4": {"jump_prob": 0.1}})
    assert err.value.field == "options" and err.value.row == "mc4"
    with pytest.raises(SmmrubricError):
        consensus_table(TENNESSEE, methods=["mc4"], options={"mc4": 0.1})


@pytest.mark.parametrize(
    "table",
    [
        pd.DataFrame({"borda": ["a", "b"], "kemeny": [1, 2]}),
        pd.DataFrame({"borda": [1, np.nan], "kemeny": [1, 2]}),
        pd.DataFrame({"borda": [0, 1], "kemeny": [1, 2]}),
        pd.DataFrame({"borda": [1.5, 1], "kemeny": [1, 2]}),
    ],
)
def test_method_agreement_bad_ranks(table):
    with pytest.raises(SmmrubricError) as err:
        method_agreement(table)
    assert err.value.field.startswith("table")


@pytest.mark.parametrize(
    "loo",
    [
        pd.DataFrame({"rank": [1], "without_x": ["a"]}),
        pd.DataFrame({"rank": [1], 3: [1]}),
        pd.DataFrame({"rank": [0], "without_x": [1]}),
    ],
)
def test_list_influence_bad_table(loo):
    with pytest.raises(SmmrubricError) as err:
        list_influence(loo)
    assert err.value.field.startswith("loo")


def test_schulze_uses_winning_votes_not_margins():
    # partial ballots: 3 x C>B>A, 4 name only A, 2 name only B. d[C,B] = 3, d[B,C] = 2; d[A,C] = 4,
    # d[C,A] = 3; d[B,A] = 5, d[A,B] = 4. Links by winning votes: C->B 3, B->A 5, A->C 4.
    # Strongest paths: p[B,A] = 5 > p[A,B] = min(4, 3) = 3; p[B,C] = min(5, 4) = 4 > p[C,B] = 3;
    # p[A,C] = 4 > p[C,A] = min(3, 5) = 3  ->  B > A > C. (By margins every link is 1: a three-way tie.)
    rankings = {"cba": list("CBA"), "a": ["A"], "b": ["B"]}
    out = schulze(rankings, {"cba": 3, "a": 4, "b": 2})
    assert list(out.index) == list("BAC") and list(out["score"]) == [2, 1, 0]


# ---- Schulze and Kemeny against brute-force implementations of their definitions (issue 13) -------------


def _random_profile(rng, n_items: int, n_lists: int, partial: bool) -> dict:
    """Random lists over items a, b, ...: complete strict orders, or partial lists with tie groups."""
    items = [chr(ord("a") + i) for i in range(n_items)]
    out = {}
    for index in range(n_lists):
        order = list(rng.permutation(items))
        if partial:
            order = order[: rng.integers(1, n_items + 1)]
            cuts = sorted(set(rng.integers(1, len(order) + 1, size=rng.integers(0, 3)).tolist()) | {len(order)})
            groups, start = [], 0
            for cut in cuts:
                group = tuple(order[start:cut])
                groups.append(group[0] if len(group) == 1 else group)
                start = cut
            order = groups
        out[f"l{index}"] = order
    return out


def _strongest_paths_by_enumeration(d: np.ndarray) -> np.ndarray:
    """Schulze 2011 sec. 4.1 by definition: the best, over every simple path, of its weakest link."""
    n = d.shape[0]
    link = np.where(d > d.T, d, 0.0)
    p = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            others = [k for k in range(n) if k not in (i, j)]
            for length in range(len(others) + 1):
                for middle in itertools.permutations(others, length):
                    path = (i, *middle, j)
                    p[i, j] = max(p[i, j], min(link[a, b] for a, b in zip(path, path[1:])))
    return p


def _schulze_ranks_by_definition(d: np.ndarray) -> np.ndarray:
    p = _strongest_paths_by_enumeration(d)
    n = d.shape[0]
    rank = np.zeros(n, dtype=int)
    left = set(range(n))
    while left:
        winners = {i for i in left if all(p[i, j] >= p[j, i] for j in left if j != i)}
        for i in winners:
            rank[i] = n - len(left) + 1
        left -= winners
    return rank


def _random_profiles(seed: int, count: int, max_items: int, max_lists: int, partial: bool):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        yield _random_profile(rng, int(rng.integers(2, max_items + 1)), int(rng.integers(1, max_lists + 1)), partial)


@pytest.mark.parametrize("partial", [False, True])
def test_schulze_winners_and_ranks_against_the_definition(partial):
    for rankings in _random_profiles(2011 + partial, 60, 5, 7, partial):
        d = pairwise_preferences(rankings)
        expected = pd.Series(_schulze_ranks_by_definition(d.to_numpy()), index=d.index)
        out = schulze(rankings)
        pd.testing.assert_series_equal(out["rank"].sort_index(), expected.sort_index(), check_names=False)
        # rank 1 is exactly the set of Schulze winners (undefeated in the strongest-path relation)
        p = _strongest_paths_by_enumeration(d.to_numpy())
        winners = {d.index[i] for i in range(len(d)) if all(p[i, j] >= p[j, i] for j in range(len(d)))}
        assert set(out.index[out["rank"] == 1]) == winners


def test_schulze_undefeated_partial_item_is_first():
    # b is named by one list only and is never beaten; it used to rank below items that beat more others
    rankings = {"1": ["a", "c", "d"], "2": ["a", "c", "d"], "3": [("b", "a")]}
    out = schulze(rankings)
    p = _strongest_paths_by_enumeration(pairwise_preferences(rankings).to_numpy())
    items = list(pairwise_preferences(rankings).index)
    undefeated = {items[i] for i in range(len(items)) if all(p[i, j] >= p[j, i] for j in range(len(items)))}
    assert set(out.index[out["rank"] == 1]) == undefeated


def _kemeny_optima_by_enumeration(pref: np.ndarray) -> tuple[float, list[tuple[int, ...]]]:
    n = pref.shape[0]
    scores = {
        order: sum(pref[order[a], order[b]] for a in range(n) for b in range(a + 1, n))
        for order in itertools.permutations(range(n))
    }
    best = max(scores.values())
    return best, sorted(o for o, v in scores.items() if v >= best - 1e-9)


@pytest.mark.parametrize("partial", [False, True])
def test_kemeny_count_and_choice_against_enumeration(partial):
    for rankings in _random_profiles(1959 + partial, 40, 6, 5, partial):
        pref = pairwise_preferences(rankings)
        best, optima = _kemeny_optima_by_enumeration(pref.to_numpy())
        out = kemeny(rankings)
        assert out.attrs["kemeny_score"] == pytest.approx(best)
        assert out.attrs["n_optimal"] == len(optima)
        # the documented rule: the lexicographically first optimum in the Borda order (ties by id)
        b = borda(rankings)["score"].reindex(pref.index)
        reference = sorted(range(len(pref)), key=lambda i: (-round(b.iloc[i], 9), str(pref.index[i])))
        position = {item: k for k, item in enumerate(reference)}
        chosen = min(optima, key=lambda o: [position[i] for i in o])
        assert list(out.index) == [pref.index[i] for i in chosen]


def test_kemeny_counts_optima_of_unordered_lists():
    # all lists unordered: the margin of i over j is the difference of the numbers of lists naming them,
    # so every order by that number is optimal: 2! * 3! orders here (a named twice; b, c, d once; e, f
    # once in another list)
    out = kemeny({"1": [("a", "b", "c")], "2": [("a", "d")]})
    assert out.index[0] == "a" and out.attrs["n_optimal"] == math.factorial(3)
    assert out.attrs["block_sizes"] == [1, 3]


def test_rra_q_values_are_benjamini_hochberg():
    rankings = {"1": list("abcde"), "2": list("bacdf"), "3": list("acbeg")}
    out = rra(rankings, n_total=10)
    rho = out["score"].to_numpy()
    m = 10
    padded = np.sort(np.concatenate([rho, np.ones(m - len(rho))]))
    # by hand: q_(i) = min_{j >= i} m p_(j) / j, capped at 1
    q_sorted = np.minimum.accumulate((m * padded / np.arange(1, m + 1))[::-1])[::-1].clip(max=1)
    expected = {item: q_sorted[np.searchsorted(padded, r)] for item, r in zip(out.index, rho)}
    for item, q in expected.items():
        assert out.loc[item, "q_value"] == pytest.approx(q)
