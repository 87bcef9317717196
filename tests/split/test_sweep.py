"""Tests of smmrubric.split.sweep: the split sweep and its exact break points."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

# -- the split sweep -----------------------------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from smmrubric import Rubric, rank_scores, score  # noqa: E402
from smmrubric.errors import SmmrubricError
from smmrubric.split import category_subscores, split_break_points, split_sweep  # noqa: E402

from .rubrics import EMPTY_VOCABULARY as _EMPTY_VOCABULARY  # noqa: E402
from .rubrics import small_rubric as _small_rubric  # noqa: E402


def _brute_top(skills: np.ndarray, traits: np.ndarray, at: np.ndarray, k: int) -> list[frozenset]:
    totals = at[:, None] * skills[None, :] + (1 - at[:, None]) * traits[None, :]
    order = np.argsort(-totals, axis=1, kind="stable")[:, :k]
    return [frozenset(row) for row in order]


_subscores = st.integers(2, 9).flatmap(
    lambda m: st.tuples(
        st.lists(st.integers(0, 12), min_size=m, max_size=m),
        st.lists(st.integers(0, 12), min_size=m, max_size=m),
        st.integers(1, 3),
    )
)


@settings(max_examples=60, deadline=None)
@given(_subscores)
def test_break_points_match_brute_force_grid(case):
    """Small cases on a coarse lattice (many ties and coincident crossings): the exact intervals agree
    with the top-k set found by brute force on a fine grid, and the two sides of each break tie."""
    s_raw, t_raw, k = case
    skills, traits = np.array(s_raw) / 4.0, np.array(t_raw) / 4.0
    ids = [f"c{i}" for i in range(skills.size)]
    table = split_break_points(pd.DataFrame({"skills": skills, "traits": traits}, index=ids), k)
    assert table["s_from"].iloc[0] == pytest.approx(0.0) and table["s_to"].iloc[-1] == pytest.approx(1.0)
    assert np.allclose(table["s_from"].to_numpy()[1:], table["s_to"].to_numpy()[:-1])
    grid = np.linspace(0, 1, 2401)[1:-1]
    brute = _brute_top(skills, traits, grid, k)
    bounds = table["s_from"].to_numpy()
    exact = [frozenset(ids.index(c) for c in top.split(",")) for top in table["top"]]
    interval = np.searchsorted(bounds, grid, side="right") - 1
    away = np.min(np.abs(bounds[None, :] - grid[:, None]), axis=1) > 1e-9
    assert all(exact[i] == b for i, b, ok in zip(interval, brute, away) if ok)
    # every grid change of the brute-force top set lies in a grid cell holding an exact break point
    for left in np.flatnonzero([a != b for a, b in zip(brute[:-1], brute[1:])]):
        assert ((bounds > grid[left] - 1e-12) & (bounds < grid[left + 1] + 1e-12)).any()
    # at each break point the entering and leaving candidates tie
    for _, row in table.iloc[1:].iterrows():
        s = row["s_from"]
        totals = s * skills + (1 - s) * traits
        for a, b in zip(row["entering"].split(","), row["leaving"].split(",")):
            assert totals[ids.index(a)] == pytest.approx(totals[ids.index(b)], abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(_subscores)
def test_break_points_equal_an_exact_rational_brute_force(case):
    """Every pairwise crossing in exact fractions, the top-k set (ties by input order) on each open interval
    between them, consecutive equal sets merged: the same break points (to 1e-12) and the same sets."""
    from fractions import Fraction
    from itertools import combinations

    s_raw, t_raw, k = case
    skills, traits = [Fraction(x, 4) for x in s_raw], [Fraction(x, 4) for x in t_raw]
    m = len(skills)
    cuts = {Fraction(0), Fraction(1)}
    for i, j in combinations(range(m), 2):
        slope = (skills[i] - traits[i]) - (skills[j] - traits[j])
        if slope != 0 and 0 < (cross := (traits[j] - traits[i]) / slope) < 1:
            cuts.add(cross)
    cuts = sorted(cuts)

    def top(s):
        total = [s * skills[i] + (1 - s) * traits[i] for i in range(m)]
        return frozenset(sorted(range(m), key=lambda i: (-total[i], i))[:k])

    expected = [(cuts[0], top((cuts[0] + cuts[1]) / 2))]
    for left, right in zip(cuts[1:-1], cuts[2:]):
        if (current := top((left + right) / 2)) != expected[-1][1]:
            expected.append((left, current))
    table = split_break_points(
        pd.DataFrame(
            {"skills": np.array(s_raw) / 4.0, "traits": np.array(t_raw) / 4.0}, index=[f"c{i}" for i in range(m)]
        ),
        k,
    )
    assert table["s_from"].to_numpy() == pytest.approx([float(c) for c, _ in expected], abs=1e-12)
    assert [frozenset(int(c[1:]) for c in t.split(",")) for t in table["top"]] == [st for _, st in expected]


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_break_points_continuous_random(m, k, seed):
    rng = np.random.default_rng(seed)
    skills, traits = rng.normal(size=m), rng.normal(size=m)
    table = split_break_points(pd.DataFrame({"skills": skills, "traits": traits}), k)
    edges = np.r_[table["s_from"].to_numpy(), 1.0]
    middles = (edges[:-1] + edges[1:]) / 2
    brute = _brute_top(skills, traits, middles, k)
    got = [frozenset(int(c) for c in top.split(",")) for top in table["top"]]
    assert got == brute
    assert all(a != b for a, b in zip(brute[:-1], brute[1:]))  # consecutive intervals really differ


def test_break_points_hand_case():
    # A: S=1, T=0; B: S=0, T=1; C: S=T=0.6 -> C wins on (0.4, 0.6), B below, A above
    sub = pd.DataFrame({"skills": [1.0, 0.0, 0.6], "traits": [0.0, 1.0, 0.6]}, index=["A", "B", "C"])
    table = split_break_points(sub)
    assert table["top"].tolist() == ["B", "C", "A"]
    assert table["s_from"].tolist() == pytest.approx([0.0, 0.4, 0.6])
    assert table.loc[1, "entering"] == "C" and table.loc[1, "leaving"] == "B"
    # identical candidates tie everywhere: the earlier stays ahead, no break
    same = pd.DataFrame({"skills": [0.5, 0.5], "traits": [0.2, 0.2]}, index=["x", "y"])
    assert split_break_points(same)["top"].tolist() == ["x"]
    # k larger than the pool: everyone, one interval
    assert len(split_break_points(sub, k=5)) == 1


def test_break_points_large_pool_prefilter(rng):
    """The O(m log k) pre-filter keeps every candidate that can reach the top k."""
    m, k = 3000, 5
    sub = pd.DataFrame({"skills": rng.normal(size=m), "traits": rng.normal(size=m)})
    table = split_break_points(sub, k)
    edges = np.r_[table["s_from"].to_numpy(), 1.0]
    brute = _brute_top(sub["skills"].to_numpy(), sub["traits"].to_numpy(), (edges[:-1] + edges[1:]) / 2, k)
    assert [frozenset(int(c) for c in t.split(",")) for t in table["top"]] == brute


def test_break_points_bad_input():
    with pytest.raises(SmmrubricError, match="subscores"):
        split_break_points(pd.DataFrame({"skills": [1.0]}))
    with pytest.raises(SmmrubricError, match="finite"):
        split_break_points(pd.DataFrame({"skills": [1.0, np.nan], "traits": [0.0, 1.0]}, index=["a", "b"]))
    with pytest.raises(SmmrubricError, match="appears twice"):
        split_break_points(pd.DataFrame({"skills": [1.0, 2.0], "traits": [0.0, 1.0]}, index=["a", "a"]))
    with pytest.raises(SmmrubricError, match="k"):
        split_break_points(pd.DataFrame({"skills": [1.0], "traits": [0.0]}), k=0)


def _pool(rng, rubric, n=40):
    return pd.DataFrame(
        rng.integers(1, 6, size=(n, len(rubric))).astype(float),
        index=pd.Index([f"c{i:02d}" for i in range(n)], name="candidate_id"),
        columns=rubric.competency_ids,
    )


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 25))
def test_sweep_ends_are_trait_only_and_skill_only_rankings(seed, n):
    rubric = _small_rubric()
    scores = _pool(np.random.default_rng(seed), rubric, n=n)
    sweep = split_sweep(scores, rubric, shares=[0.0, 0.3, 1.0], k=2)
    cats = rubric.categories
    for share, category in ((0.0, "trait"), (1.0, "skill")):
        only = Rubric(
            [
                {"id": c, "name": c, "category": category, "weight": float(rubric.raw_weights[c])}
                for c in rubric.competency_ids
                if cats[c] == category
            ],
            name=category,
            vocabulary=_EMPTY_VOCABULARY,
        )
        expected = score(only, scores[only.competency_ids])["rank"].reindex(scores.index)
        got = rank_scores(sweep.totals[share])
        assert got.tolist() == expected.tolist()
    # linear in s: the total at every share is s * S + (1 - s) * T
    s = sweep.totals.columns.to_numpy()
    sub = sweep.subscores.to_numpy()
    assert np.allclose(sweep.totals.to_numpy(), np.outer(sub[:, 0], s) + np.outer(sub[:, 1], 1 - s))


def test_sweep_summary_and_breaks_consistent(rng):
    rubric = _small_rubric()
    scores = _pool(rng, rubric, n=60)
    sweep = split_sweep(scores, rubric, shares=np.linspace(0, 1, 101), k=5)
    assert sweep.membership.sum(axis=1).to_numpy() == pytest.approx(5.0)
    # against itself the overlap is 1 unless candidates tie at the cut (then the expected share, sum p_i^2 / k)
    own = sweep.membership.loc[0.5]
    assert sweep.summary.loc[0.5, "top_k_overlap"] == pytest.approx((own**2).sum() / 5)
    assert sweep.summary.loc[0.5, "kendall_tau"] == pytest.approx(1.0)  # scipy sums in floating point
    breaks = sweep.top_choice_breaks
    bounds = breaks["s_from"].to_numpy()
    checked = 0
    for share, top in sweep.summary["top_choice"].items():
        # away from a break and the ends (where candidates may tie), the grid agrees with the exact top
        if np.min(np.abs(np.r_[bounds, 1.0] - share)) > 1e-9:
            checked += 1
            assert top == breaks["top"].iloc[np.searchsorted(bounds, share, side="right") - 1]
    assert checked > 90


def test_sweep_bad_input(rng):
    rubric = _small_rubric()
    scores = _pool(rng, rubric)
    skills_only = rubric.with_weights({"s1": 1, "s2": 1, "s3": 1, "t1": 0, "t2": 0})
    with pytest.raises(SmmrubricError, match="no trait"):
        split_sweep(scores, skills_only)
    with pytest.raises(SmmrubricError, match="shares"):
        split_sweep(scores, rubric, shares=[0.2, 1.5])
    with pytest.raises(SmmrubricError, match="k"):
        split_sweep(scores, rubric, k=0)
    with pytest.raises(SmmrubricError, match="rubric"):
        category_subscores(scores, "rubric.yaml")
    with pytest.raises(SmmrubricError, match="no candidates") as info:
        split_sweep(scores.iloc[:0], rubric)
    assert info.value.field == "scores"
    for bad, field in (("0.5", "shares"), ([0.2, "0.5"], "shares[1]"), ([[0.2]], "shares[0]"), ([], "shares")):
        with pytest.raises(SmmrubricError) as info:
            split_sweep(scores, rubric, shares=bad)
        assert info.value.field == field
