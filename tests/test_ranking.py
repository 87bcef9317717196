"""Tests of smmrubric.ranking: tie-aware orderings that do not depend on floating-point noise."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmrubric.errors import SmmrubricError
from smmrubric.ranking import (
    TIE_TOLERANCE,
    argsort_ties,
    competition_ranks,
    rank_scores,
    snap_ties,
    sort_frame,
    sort_series,
    tie_groups,
    top_k,
)

# values on a coarse lattice, each perturbed by noise far below the tie tolerance (what different CPUs do)
_lattice = st.lists(st.integers(0, 6), min_size=1, max_size=12)


def _noisy(levels: list[int], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.array(levels, dtype=float) / 4 + rng.uniform(-1e-13, 1e-13, len(levels))


def _brute_force_order(levels: list[int], ids: list[str]) -> list[int]:
    """Definition: higher level first, then id as text, on the exact (integer) values."""
    return sorted(range(len(levels)), key=lambda i: (-levels[i], ids[i]))


@settings(max_examples=200, deadline=None)
@given(_lattice, st.integers(0, 2**32 - 1))
def test_argsort_ties_is_the_exact_order_whatever_the_noise(levels, seed):
    ids = [f"c{i:02d}" for i in np.random.default_rng(seed).permutation(len(levels))]
    for noise_seed in (seed, seed + 1):  # two "CPUs": two different noises, one order
        order = argsort_ties(_noisy(levels, noise_seed), ids)
        assert order.tolist() == _brute_force_order(levels, ids)


@settings(max_examples=200, deadline=None)
@given(_lattice, st.integers(0, 2**32 - 1))
def test_competition_ranks_match_the_definition(levels, seed):
    # rank = 1 + number of strictly greater values (exact integers)
    expected = [1 + sum(other > level for other in levels) for level in levels]
    assert competition_ranks(_noisy(levels, seed)).tolist() == expected
    assert rank_scores(pd.Series(_noisy(levels, seed))).tolist() == expected


@settings(max_examples=100, deadline=None)
@given(_lattice, st.integers(0, 2**32 - 1))
def test_tie_groups_and_snap_ties_depend_only_on_the_exact_values(levels, seed):
    distinct = sorted(set(levels))
    groups = tie_groups(_noisy(levels, seed))
    assert groups.tolist() == [distinct.index(level) for level in levels]
    snapped = snap_ties(_noisy(levels, seed))
    for i, j in itertools.combinations(range(len(levels)), 2):
        assert (snapped[i] == snapped[j]) == (levels[i] == levels[j])


def test_tolerance_is_relative_to_the_largest_value():
    big = np.array([1e6, 1e6 + 1e-4, 1e6 + 1.0])  # the tolerance is 1e-9 * 1e6 = 1e-3 here
    assert tie_groups(big).tolist() == [0, 0, 1]
    small = np.array([0.5, 0.5 + 2 * TIE_TOLERANCE])  # scale is at least 1: a gap of 2e-9 is not a tie
    assert tie_groups(small).tolist() == [0, 1]


def test_chains_of_close_values_are_one_group():
    x = np.array([0.0, 0.6e-9, 1.2e-9])  # each within the tolerance of its neighbour (single linkage)
    assert tie_groups(x).tolist() == [0, 0, 0]


def test_nan_sorts_last_and_ties_with_nan():
    order = argsort_ties([np.nan, 1.0, np.nan, 2.0], ids=["d", "c", "b", "a"])
    assert order.tolist() == [3, 1, 2, 0]


def test_argsort_ties_along_an_axis_of_a_3d_array():
    # pools x shares x candidates, as in the hire-and-grow study
    x = np.array([[[1.0, 2.0, 2.0 + 1e-15]], [[3.0, 3.0, 1.0]]])
    order = argsort_ties(x, axis=2)
    assert order[0, 0].tolist() == [1, 2, 0] and order[1, 0].tolist() == [0, 1, 2]


def test_top_k_and_sorts_break_ties_by_label():
    s = pd.Series([1.0, 2.0, 2.0 + 1e-14, 0.5], index=["z", "y", "x", "w"])
    assert top_k(s, 2).tolist() == ["x", "y"]
    assert top_k(s, 1, descending=False).tolist() == ["w"]
    assert sort_series(s).index.tolist() == ["w", "z", "x", "y"]
    frame = pd.DataFrame({"width": [0.1, 0.3, 0.1 + 1e-17, 0.2], "n": [2, 1, 1, 1]}, index=["d", "c", "b", "a"])
    assert sort_frame(frame, "width").index.tolist() == ["b", "d", "a", "c"]
    assert sort_frame(frame, ["n", "width"], ascending=[False, True]).index.tolist() == ["d", "b", "a", "c"]
    labelled = frame.reset_index(names="id")
    assert sort_frame(labelled, "width", ascending=False, ids="id")["id"].tolist() == ["c", "a", "b", "d"]


def test_bad_input():
    with pytest.raises(SmmrubricError, match="real numbers"):
        argsort_ties([True, False])
    with pytest.raises(SmmrubricError, match="single number"):
        tie_groups(3.0)
    with pytest.raises(SmmrubricError, match="one id per value"):
        argsort_ties([1.0, 2.0], ids=["a"])
    with pytest.raises(SmmrubricError, match="Series"):
        top_k([1.0], 1)
    with pytest.raises(SmmrubricError, match="no column"):
        sort_frame(pd.DataFrame({"a": [1]}), "b")
    with pytest.raises(SmmrubricError, match="finite"):
        rank_scores([1.0, np.inf])


@given(
    values=st.lists(
        st.sampled_from([0.0, 0.1, 0.3, 1 / 3, 0.1 + 0.2, 2.0, 2.0 + 1e-15, -1.0]), min_size=1, max_size=60
    ),
    k=st.integers(1, 60),
    descending=st.booleans(),
    data=st.data(),
)
def test_top_k_indices_is_the_head_of_argsort_ties(values, k, descending, data):
    from smmrubric.ranking import top_k_indices

    k = min(k, len(values))
    ids = data.draw(st.permutations([f"c{i:02d}" for i in range(len(values))]))
    x = np.array([values, values[::-1]])
    expected = argsort_ties(x, ids, descending=descending)[:, :k]
    assert np.array_equal(top_k_indices(x, k, ids, descending=descending), expected)
