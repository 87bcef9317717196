import pytest

from smmrubric.errors import InputProblems, Problems, SmmrubricError


def test_message_names_file_row_and_field():
    err = SmmrubricError("must be >= 0, got -1", file="data/x.csv", row=7, field="weight")
    assert str(err) == "data/x.csv, row 7, field 'weight': must be >= 0, got -1"
    assert (err.file, err.row, err.field, err.message) == ("data/x.csv", 7, "weight", "must be >= 0, got -1")


def test_row_can_be_an_item_label():
    err = SmmrubricError("bad", file="r.yaml", row="copywriting", field="weight")
    assert str(err) == "r.yaml, copywriting, field 'weight': bad"


def test_no_location_is_just_the_message():
    assert str(SmmrubricError("plain")) == "plain"


def test_is_a_value_error():
    assert isinstance(SmmrubricError("x"), ValueError)


# -- issue 15: a message prints a bounded part of any value, however large -----------------------------


class _Broken:
    def __repr__(self):
        raise RuntimeError("no repr")


def test_shown_bounds_every_kind_of_value():
    import numpy as np

    from smmrubric.errors import VALUE_LIMIT, shown

    nested: list = []
    for _ in range(10_000):
        nested = [nested, nested]  # 2**10000 leaves once expanded: must not be walked
    for value, fragment in (
        ("x" * 10**7, "(10,000,000 characters)"),
        (list(range(10**6)), "..."),
        (nested, "[[[[...], [...]], [[...], [...]]]"),
        (10**5000, "about 5,001 digits"),
        ({i: "v" * 500 for i in range(1000)}, "..."),
        (np.True_, "True"),
        (_Broken(), "<_Broken"),
    ):
        text = shown(value)
        assert len(text) <= VALUE_LIMIT + 40 and fragment in text
    assert shown("abc") == "'abc'" and shown(2.5) == "2.5"


def test_the_error_bounds_message_row_and_field():
    from smmrubric.errors import MESSAGE_LIMIT, VALUE_LIMIT

    err = SmmrubricError("m" * 10**6, file="f.csv", row="r" * 10**6, field="c" * 10**6)
    assert len(err.message) == MESSAGE_LIMIT and "characters cut" in err.message and err.message.endswith("m")
    assert len(err.row) == len(err.field) == VALUE_LIMIT
    assert len(str(err)) < MESSAGE_LIMIT + 3 * VALUE_LIMIT


# -- every problem at once ------------------------------------------------------------------------


def test_one_problem_reads_like_a_single_error():
    problems = Problems(file="r.csv")
    problems.add("empty value", row=4, field="rater_id")
    with pytest.raises(InputProblems) as info:
        problems.raise_if_any()
    assert str(info.value) == "r.csv, row 4, field 'rater_id': empty value"
    assert (info.value.row, info.value.field, info.value.total) == (4, "rater_id", 1)


def test_problems_are_listed_in_row_order_and_capped():
    problems = Problems(file="r.csv")
    problems.add_mask([False, True] * 15, "score", lambda p: f"bad {p}", lambda p: p + 2)
    problems.add("header", row=1)
    problems.add("whole file")
    assert not Problems() and problems
    with pytest.raises(InputProblems) as info:
        problems.raise_if_any()
    error = info.value
    assert error.total == len(error.problems) == 17
    lines = str(error).splitlines()
    assert lines[:4] == ["r.csv: 17 problems:", "  whole file", "  row 1: header", "  row 3, field 'score': bad 1"]
    big = Problems()
    big.add_mask([True] * 50, None, lambda p: "x", lambda p: p)
    with pytest.raises(InputProblems) as info:
        big.raise_if_any()
    assert str(info.value).splitlines()[-1] == "  and 30 more" and info.value.total == 50
    Problems().raise_if_any()  # nothing to report: no error
