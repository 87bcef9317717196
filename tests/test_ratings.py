"""Ratings: reading and checking the long CSV, and averaging over raters with the missing-ratings policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmrubric import simulate
from smmrubric.errors import SmmrubricError
from smmrubric.ratings import AggregatedRatings, aggregate_ratings, load_ratings, validate_ratings
from smmrubric.rubric import Rubric

RUBRIC = Rubric([{"id": "copywriting", "weight": 2, "must_have": 3}, {"id": "analytics", "weight": 1},
                 {"id": "curiosity", "weight": 1}], name="Three")

HEADER = "candidate_id,rater_id,competency_id,score\n"
GOOD_ROWS = """\
ann,r1,copywriting,4
ann,r1,analytics,3
ann,r1,curiosity,5
ann,r2,copywriting,5
ann,r2,analytics,2
ann,r2,curiosity,4
bob,r1,copywriting,2
bob,r1,analytics,5
bob,r1,curiosity,3
"""


def write(tmp_path, body, header=HEADER, name="ratings.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_load_ratings_reads_and_numbers_rows(tmp_path):
    frame = load_ratings(write(tmp_path, GOOD_ROWS), RUBRIC)
    assert list(frame.columns[:4]) == ["candidate_id", "rater_id", "competency_id", "score"]
    assert frame.index.name == "row" and frame.index[0] == 2 and frame.index[-1] == 10
    assert frame["score"].dtype == float and frame["score"].tolist()[:3] == [4.0, 3.0, 5.0]
    assert frame.at[8, "candidate_id"] == "bob"


def test_load_ratings_keeps_extra_columns_and_stage(tmp_path):
    body = "ann,r1,copywriting,4,screen, ok \nann,r1,copywriting,5,interview,\n"
    frame = load_ratings(write(tmp_path, body, header="candidate_id,rater_id,competency_id,score,stage,note\n"),
                         RUBRIC)
    assert frame["stage"].tolist() == ["screen", "interview"]   # same rater, two stages: allowed
    assert frame.at[2, "note"] == "ok"


def test_load_ratings_without_rubric_checks_structure_only(tmp_path):
    frame = load_ratings(write(tmp_path, "ann,r1,anything,42\n"))
    assert frame["score"].tolist() == [42.0]


@pytest.mark.parametrize("body, row, field, fragment", [
    ("ann,r1,copywriting,4\nann,r1,analytics,6\n", 3, "score", "outside the scale 1-5"),
    ("ann,r1,copywriting,0.5\n", 2, "score", "outside the scale 1-5"),
    ("ann,r1,copywriting,4\nann,r1,copywritng,3\n", 3, "competency_id",
     "unknown competency 'copywritng' (not in the rubric 'Three'); did you mean 'copywriting'?"),
    ("ann,r1,copywriting,4\nann,r2,copywriting,4\nann,r1,copywriting,5\n", 4, "rater_id", "already given at row 2"),
    ("ann,r1,copywriting,four\n", 2, "score", "not a number: 'four'"),
    ("ann,r1,copywriting,\n", 2, "score", "empty score"),
    ("ann,r1,copywriting,inf\n", 2, "score", "finite"),
    (",r1,copywriting,4\n", 2, "candidate_id", "empty value"),
    ("ann,  ,copywriting,4\n", 2, "rater_id", "empty value"),
    ("ann,r1,copywriting,4\nbob,r1,,4\n", 3, "competency_id", "empty value"),
])
def test_load_ratings_errors_name_file_row_and_field(tmp_path, body, row, field, fragment):
    path = write(tmp_path, body)
    with pytest.raises(SmmrubricError) as info:
        load_ratings(path, RUBRIC)
    error = info.value
    assert (error.file, error.row, error.field) == (str(path), row, field)
    assert fragment in error.message
    assert f"row {row}" in str(error) and str(path) in str(error)


def test_duplicate_with_stage_column(tmp_path):
    body = "ann,r1,copywriting,4,screen\nann,r1,copywriting,5,screen\n"
    with pytest.raises(SmmrubricError, match="already given at row 2") as info:
        load_ratings(write(tmp_path, body, header=HEADER.strip() + ",stage\n"), RUBRIC)
    assert info.value.row == 3
    with pytest.raises(SmmrubricError, match="empty value") as info:
        load_ratings(write(tmp_path, "ann,r1,copywriting,4,\n", header=HEADER.strip() + ",stage\n"), RUBRIC)
    assert info.value.field == "stage"


def test_load_ratings_file_errors(tmp_path):
    with pytest.raises(SmmrubricError, match="no such file"):
        load_ratings(tmp_path / "missing.csv", RUBRIC)
    with pytest.raises(SmmrubricError, match="missing required column"):
        load_ratings(write(tmp_path, "ann,r1,4\n", header="candidate_id,rater_id,score\n"), RUBRIC)
    with pytest.raises(SmmrubricError, match="no ratings"):
        load_ratings(write(tmp_path, ""), RUBRIC)


def test_validate_ratings_in_memory_names_index_labels():
    frame = pd.DataFrame({"candidate_id": ["a", "b"], "rater_id": ["r", "r"],
                          "competency_id": ["copywriting", "curiosity"], "score": [3, 9]})
    with pytest.raises(SmmrubricError, match="outside the scale") as info:
        validate_ratings(frame, RUBRIC)
    assert info.value.row == 1 and info.value.field == "score" and info.value.file is None
    with pytest.raises(SmmrubricError, match="must be a DataFrame"):
        validate_ratings([1, 2], RUBRIC)
    with pytest.raises(SmmrubricError, match="must be a smmrubric.Rubric"):
        validate_ratings(frame, "rubric.yaml")
    frame.loc[1, "score"] = np.nan
    with pytest.raises(SmmrubricError, match="empty score"):
        validate_ratings(frame, RUBRIC)


def test_simulated_ratings_validate(rng):
    pool = simulate.candidates(RUBRIC, n=20, seed=rng)
    table = simulate.ratings(pool, RUBRIC, seed=rng)
    checked = validate_ratings(table, RUBRIC)
    assert len(checked) == 20 * 3 * 3
    assert checked["score"].between(1, 5).all()


# -- aggregation ------------------------------------------------------------------------------

def test_aggregate_by_hand(tmp_path):
    result = aggregate_ratings(load_ratings(write(tmp_path, GOOD_ROWS), RUBRIC), RUBRIC)
    assert isinstance(result, AggregatedRatings)
    assert list(result.mean.index) == ["ann", "bob"] and result.mean.index.name == "candidate_id"
    assert list(result.mean.columns) == ["copywriting", "analytics", "curiosity"]
    assert result.mean.loc["ann"].tolist() == [4.5, 2.5, 4.5]
    assert result.mean.loc["bob"].tolist() == [2.0, 5.0, 3.0]
    assert result.n_raters.loc["ann"].tolist() == [2, 2, 2] and result.n_raters.loc["bob"].tolist() == [1, 1, 1]
    assert result.complete.tolist() == [True, True]
    assert not result.missing.to_numpy().any()


def test_aggregate_missing_is_an_error_by_default(tmp_path):
    body = GOOD_ROWS.replace("bob,r1,analytics,5\n", "")
    ratings = load_ratings(write(tmp_path, body), RUBRIC)
    with pytest.raises(SmmrubricError, match="no rating of candidate 'bob'") as info:
        aggregate_ratings(ratings, RUBRIC)
    assert info.value.row == "candidate bob" and info.value.field == "analytics"


def test_aggregate_renormalize_flags_candidates(tmp_path):
    body = GOOD_ROWS.replace("bob,r1,analytics,5\n", "")
    result = aggregate_ratings(load_ratings(write(tmp_path, body), RUBRIC), RUBRIC, missing="renormalize")
    assert np.isnan(result.mean.at["bob", "analytics"]) and result.n_raters.at["bob", "analytics"] == 0
    assert result.complete.to_dict() == {"ann": True, "bob": False}
    assert result.missing.loc["bob"].tolist() == [False, True, False]


def test_zero_weight_competency_is_not_required(tmp_path):
    rubric = RUBRIC.with_weights([1, 1, 0])
    body = GOOD_ROWS.replace("bob,r1,curiosity,3\n", "")
    result = aggregate_ratings(load_ratings(write(tmp_path, body), rubric), rubric)
    assert result.complete.all() and result.required.tolist() == [True, True, False]
    # but a must-have makes a competency required even at weight 0
    must = Rubric([{"id": "copywriting", "weight": 0, "must_have": 2}, {"id": "analytics", "weight": 1}])
    with pytest.raises(SmmrubricError, match="no rating") as info:
        aggregate_ratings(pd.DataFrame({"candidate_id": ["a"], "rater_id": ["r"], "competency_id": ["analytics"],
                                        "score": [3]}), must)
    assert info.value.field == "copywriting"


def test_aggregate_by_stage(tmp_path):
    body = ("ann,r1,copywriting,4,screen\nann,r1,copywriting,2,interview\nann,r1,analytics,3,screen\n"
            "ann,r1,curiosity,5,screen\n")
    ratings = load_ratings(write(tmp_path, body, header=HEADER.strip() + ",stage\n"), RUBRIC)
    pooled = aggregate_ratings(ratings, RUBRIC)
    assert pooled.mean.at["ann", "copywriting"] == 3.0 and pooled.n_raters.at["ann", "copywriting"] == 2
    screen = aggregate_ratings(ratings, RUBRIC, stage="screen")
    assert screen.mean.at["ann", "copywriting"] == 4.0
    with pytest.raises(SmmrubricError, match="no ratings at stage 'offer'"):
        aggregate_ratings(ratings, RUBRIC, stage="offer")
    with pytest.raises(SmmrubricError, match="no stage column"):
        aggregate_ratings(load_ratings(write(tmp_path, GOOD_ROWS), RUBRIC), RUBRIC, stage="screen")


def test_aggregate_argument_errors(tmp_path):
    ratings = load_ratings(write(tmp_path, GOOD_ROWS), RUBRIC)
    with pytest.raises(SmmrubricError, match="field 'missing'"):
        aggregate_ratings(ratings, RUBRIC, missing="ignore")
    with pytest.raises(SmmrubricError, match="field 'rubric'"):
        aggregate_ratings(ratings, None)


def test_aggregation_does_not_depend_on_row_order(rng):
    """The means are the plain per-cell means, and shuffling the rows changes neither means nor counts
    (a seeded pool of 40 candidates x 3 raters, shuffled 5 times)."""
    pool = simulate.candidates(RUBRIC, n=40, seed=rng)
    table = simulate.ratings(pool, RUBRIC, seed=rng)
    reference = aggregate_ratings(table, RUBRIC)
    by_hand = table.groupby(["candidate_id", "competency_id"])["score"].mean().unstack()[RUBRIC.competency_ids]
    pd.testing.assert_frame_equal(reference.mean, by_hand.loc[reference.mean.index], check_names=False)
    for _ in range(5):
        shuffled = table.sample(frac=1.0, random_state=rng.integers(2**31))
        again = aggregate_ratings(shuffled, RUBRIC)
        pd.testing.assert_frame_equal(again.mean.loc[reference.mean.index], reference.mean)
        pd.testing.assert_frame_equal(again.n_raters.loc[reference.mean.index], reference.n_raters)


# -- review of issue 3: errors found after loading still name the file; odd cells in a DataFrame ----

def test_errors_after_loading_name_the_file(tmp_path):
    from smmrubric.scoring import score

    path = write(tmp_path, GOOD_ROWS.replace("bob,r1,analytics,5\n", ""))
    ratings = load_ratings(path, RUBRIC)
    assert ratings.attrs["file"] == str(path)
    for call in (lambda: aggregate_ratings(ratings, RUBRIC), lambda: score(RUBRIC, ratings)):
        with pytest.raises(SmmrubricError) as info:
            call()
        assert info.value.file == str(path) and info.value.row == "candidate bob"
        assert info.value.field == "analytics" and str(path) in str(info.value)
    with pytest.raises(SmmrubricError, match="no stage column") as info:
        aggregate_ratings(ratings, RUBRIC, stage="screen")
    assert info.value.file == str(path)
    # loaded without a rubric, checked later: the row and the file are still named
    unchecked = load_ratings(write(tmp_path, GOOD_ROWS + "bob,r1,charisma,3\n", name="extra.csv"))
    with pytest.raises(SmmrubricError, match="unknown competency 'charisma'") as info:
        score(RUBRIC, unchecked)
    assert info.value.file == str(tmp_path / "extra.csv") and info.value.row == 11


@pytest.mark.parametrize("column, value, fragment", [
    ("score", [1, 2], "not a number"), ("candidate_id", ["a"], "must be text"),
    ("rater_id", {"r": 1}, "must be text"), ("score", 3 + 1j, "not a real number"),
])
def test_cells_that_are_not_scalars_or_real_numbers(column, value, fragment):
    frame = pd.DataFrame({"candidate_id": ["ann", "ann"], "rater_id": ["r1", "r1"],
                          "competency_id": ["copywriting", "analytics"], "score": [3, 4]}, index=[7, 8])
    frame[column] = frame[column].astype(object)
    frame.at[8, column] = value
    with pytest.raises(SmmrubricError, match=fragment) as info:
        validate_ratings(frame, RUBRIC)
    assert info.value.row == 8 and info.value.field == column
