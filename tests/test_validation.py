import math

import numpy as np
import pandas as pd
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.rubric import check_rubric
from smmrubric.validation import (
    as_rng,
    check_choice,
    check_int,
    check_number,
    check_probability,
    check_text,
    check_unique,
    check_weights,
    real_matrix,
    text_ids,
)


def test_as_rng_is_reproducible_and_refuses_none():
    assert as_rng(3).random() == as_rng(3).random()
    g = np.random.default_rng(1)
    assert as_rng(g) is g
    for bad in (None, -1, 1.5, True, "1"):
        with pytest.raises(SmmrubricError, match="seed"):
            as_rng(bad)


@pytest.mark.parametrize("value", [math.nan, math.inf, "x", None, True])
def test_check_number_rejects_non_finite_and_non_numbers(value):
    with pytest.raises(SmmrubricError, match="field 'x'"):
        check_number(value, "x")


def test_check_number_bounds():
    assert check_number(0.5, "x", low=0, high=1) == pytest.approx(0.5)
    assert check_number(np.float64(1), "x", low=0, high=1) == pytest.approx(1.0)
    with pytest.raises(SmmrubricError, match="must be > 0"):
        check_number(0, "x", low=0, low_open=True)
    with pytest.raises(SmmrubricError, match="must be <= 1"):
        check_number(2, "x", high=1)
    with pytest.raises(SmmrubricError, match="must be < 1"):
        check_probability(1, "p", open_ends=True)


def test_check_int_and_choice():
    assert check_int(np.int64(3), "n", low=1) == 3
    for bad in (0, 2.0, True):
        with pytest.raises(SmmrubricError, match="field 'n'"):
            check_int(bad, "n", low=1)
    assert check_choice("a", "rule", ["a", "b"]) == "a"
    with pytest.raises(SmmrubricError, match="must be one of 'a', 'b'"):
        check_choice("c", "rule", ["a", "b"])


def test_check_rubric_returns_a_rubric_and_names_field_and_row():
    from smmrubric import Rubric

    rubric = Rubric.equal(["analytics", "copywriting"])
    assert check_rubric(rubric) is rubric
    with pytest.raises(SmmrubricError, match="must be a smmrubric.Rubric, got dict") as info:
        check_rubric({"analytics": 1.0}, "presets", row="Mine")
    assert (info.value.field, info.value.row) == ("presets", "Mine")
    with pytest.raises(SmmrubricError, match="got Series") as info:
        check_rubric(rubric.weights)
    assert info.value.field == "rubric" and info.value.row is None


def test_check_unique_names_the_duplicate():
    check_unique([1, 2], "id")
    with pytest.raises(SmmrubricError, match="duplicate value 'a'"):
        check_unique(["a", "b", "a"], "id", file="f.csv")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1, -1], "weight must be >= 0"),
        ([1, math.nan], "weight must be finite"),
        ([1, math.inf], "weight must be finite"),
        ([0, 0], "all zero"),
        ([], "non-empty"),
        ([[1, 2]], "1-D"),
        (["a", 1], "must be numbers"),
    ],
)
def test_check_weights_rejects(weights, message):
    with pytest.raises(SmmrubricError, match=message):
        check_weights(weights)


def test_check_weights_names_the_label_of_a_series():
    with pytest.raises(SmmrubricError, match="r.yaml, copywriting, field 'weight'"):
        check_weights(pd.Series({"analytics": 1.0, "copywriting": -2.0}), "weight", file="r.yaml")
    with pytest.raises(SmmrubricError, match="duplicate value 'a'"):
        check_weights(pd.Series([1.0, 2.0], index=["a", "a"]))
    with pytest.raises(SmmrubricError, match="must be a number"):
        check_weights(pd.Series({"a": "heavy"}))


def test_check_weights_returns_floats():
    out = check_weights(pd.Series({"a": 1, "b": 3}))
    assert out.dtype == float and list(out.index) == ["a", "b"]
    assert check_weights([0, 0], allow_all_zero=True).tolist() == pytest.approx([0.0, 0.0])


# -- issue 15: booleans and complex numbers, NUL characters, ids that collide as text -------------------

NOT_REAL = [
    pd.Series([1.0, True], dtype=object),
    pd.Series([True, False]),
    pd.Series([True, pd.NA], dtype="boolean"),
    pd.Series([1 + 2j, 3]),
    pd.Series([1.0, np.complex128(1)], dtype=object),
    pd.Series([np.True_, 2.0], dtype=object),
]


@pytest.mark.parametrize("values", NOT_REAL)
def test_booleans_and_complex_numbers_are_refused_as_weights_and_scores(values):
    values.index = ["a", "b"]
    with pytest.raises(SmmrubricError, match="True/False and complex numbers are refused") as info:
        check_weights(values, "weights")
    assert info.value.field == "weights" and info.value.row in ("a", "b")
    with pytest.raises(SmmrubricError, match="refused"):
        check_weights(values.tolist(), "weights")
    frame = pd.DataFrame({"ok": [1.0, 2.0], "bad": values.to_numpy()}, index=["ann", "bob"])
    with pytest.raises(SmmrubricError, match="must be a real number") as info:
        real_matrix(frame, "scores")
    assert info.value.field == "bad" and info.value.row in ("ann", "bob")


def test_real_matrix_reads_numbers_and_text_numbers_and_keeps_missing():
    frame = pd.DataFrame({"x": [1, None], "y": ["2.5", pd.NA], "z": pd.array([3, pd.NA], dtype="Int64")})
    out = real_matrix(frame, "scores")
    assert out[0].tolist() == pytest.approx([1.0, 2.5, 3.0]) and np.isnan(out[1]).all()
    with pytest.raises(SmmrubricError, match="not a number: 'good'") as info:
        real_matrix(pd.DataFrame({"x": ["good"]}, index=["ann"]), "scores", rows=["candidate ann"])
    assert (info.value.row, info.value.field) == ("candidate ann", "x")


def test_text_ids_refuse_ids_that_collide_once_written_as_text():
    assert text_ids([1, "a"], "id") == ["1", "a"]
    with pytest.raises(SmmrubricError, match="1 and '1' are the same id once written as text") as info:
        text_ids(["x", 1, "1"], "candidate_id")
    assert (info.value.row, info.value.field) == ("1", "candidate_id")


def test_check_text_refuses_empty_text_and_nul():
    assert check_text("  a b ", "name") == "a b"
    for bad in ("", "  ", None, 3, "a\x00b"):
        with pytest.raises(SmmrubricError, match="field 'name'"):
            check_text(bad, "name", file="r.yaml", row="x")
