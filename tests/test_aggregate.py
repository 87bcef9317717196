"""Tests for smmrubric.aggregate: reference values from the papers and textbook examples, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmrubric.aggregate import borda, pairwise_preferences, rankings_from_expert_lists
from smmrubric.errors import SmmrubricError

# Tennessee capital (Wikipedia, "Borda count", "Kemeny method", "Schulze method"): voters' share in %.
TENNESSEE = {"memphis": list("MNCK"), "nashville": list("NCKM"), "chattanooga": list("CKNM"),
             "knoxville": list("KCNM")}
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
    assert out["score"].to_dict() == {"y": 5.0, "x": 2.0, "z": 2.0, "w": 2.0}
    assert out["rank"].to_dict() == {"y": 1, "x": 2, "z": 2, "w": 2}
    assert out["n_lists"].to_dict() == {"y": 2.0, "x": 1.0, "z": 1.0, "w": 1.0}


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


@pytest.mark.parametrize("bad, field", [
    ({}, "rankings"),
    ({"a": "xyz"}, "rankings"),
    ({"a": []}, "rankings"),
    ({"a": ["x", "x"]}, "rankings"),
    ({"a": ["x", ()]}, "rankings"),
    ({"a": ["x", ("y", ("z",))]}, "rankings"),
    ({"a": ["x", None]}, "rankings"),
    ({"a": [["x"]]}, "rankings"),
])
def test_bad_rankings_raise(bad, field):
    with pytest.raises(SmmrubricError) as err:
        borda(bad)
    assert err.value.field == field


@pytest.mark.parametrize("weights", [{"a": -1, "b": 1}, {"a": 1}, {"a": 1, "b": 1, "c": 1},
                                     {"a": 0, "b": 0}, {"a": "x", "b": 1}, [1, 2]])
def test_bad_weights_raise(weights):
    with pytest.raises(SmmrubricError) as err:
        borda({"a": ["x"], "b": ["y"]}, weights)
    assert err.value.field == "weights"


def test_rankings_from_expert_lists():
    frame = pd.DataFrame({
        "list_id": ["l1", "l1", "l1", "l2", "l2"],
        "position": [2, 1, 3, 1, 2],
        "competency_id": ["b", "a", "a", "c", "a"],
        "ordered": [True, True, True, False, False],
    })
    assert rankings_from_expert_lists(frame) == {"l1": ["a", "b"], "l2": [("c", "a")]}
    with pytest.raises(SmmrubricError):
        rankings_from_expert_lists(frame.drop(columns="ordered"))


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
