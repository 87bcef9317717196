from smmrubric.errors import SmmrubricError


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
    for value, fragment in (("x" * 10**7, "(10,000,000 characters)"), (list(range(10**6)), "..."),
                            (nested, "[[[[...], [...]], [[...], [...]]]"), (10**5000, "about 5,001 digits"),
                            ({i: "v" * 500 for i in range(1000)}, "..."), (np.True_, "True"),
                            (_Broken(), "<_Broken")):
        text = shown(value)
        assert len(text) <= VALUE_LIMIT + 40 and fragment in text
    assert shown("abc") == "'abc'" and shown(2.5) == "2.5"


def test_the_error_bounds_message_row_and_field():
    from smmrubric.errors import MESSAGE_LIMIT, VALUE_LIMIT

    err = SmmrubricError("m" * 10**6, file="f.csv", row="r" * 10**6, field="c" * 10**6)
    assert len(err.message) == MESSAGE_LIMIT and "characters cut" in err.message and err.message.endswith("m")
    assert len(err.row) == len(err.field) == VALUE_LIMIT
    assert len(str(err)) < MESSAGE_LIMIT + 3 * VALUE_LIMIT
