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
