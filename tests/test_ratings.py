"""Ratings: reading and checking the long CSV, and averaging over raters with the missing-ratings policy."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmrubric import simulate
from smmrubric.errors import InputProblems, SmmrubricError
from smmrubric.paths import data_dir
from smmrubric.ratings import (
    AggregatedRatings,
    RatingsTable,
    aggregate_ratings,
    load_ratings,
    read_ratings,
    validate_ratings,
)
from smmrubric.rubric import Rubric

RUBRIC = Rubric(
    [
        {"id": "copywriting", "weight": 2, "must_have": 3},
        {"id": "analytics", "weight": 1},
        {"id": "curiosity", "weight": 1},
    ],
    name="Three",
)

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
    assert frame["score"].dtype == float and frame["score"].tolist()[:3] == pytest.approx([4.0, 3.0, 5.0])
    assert frame.at[8, "candidate_id"] == "bob"


def test_load_ratings_keeps_extra_columns_and_stage(tmp_path):
    body = "ann,r1,copywriting,4,screen, ok \nann,r1,copywriting,5,interview,\n"
    frame = load_ratings(write(tmp_path, body, header="candidate_id,rater_id,competency_id,score,stage,note\n"), RUBRIC)
    assert frame["stage"].tolist() == ["screen", "interview"]  # same rater, two stages: allowed
    assert frame.at[2, "note"] == "ok"


def test_load_ratings_without_rubric_checks_structure_only(tmp_path):
    frame = load_ratings(write(tmp_path, "ann,r1,anything,42\n"))
    assert frame["score"].tolist() == pytest.approx([42.0])


@pytest.mark.parametrize(
    "body, row, field, fragment",
    [
        ("ann,r1,copywriting,4\nann,r1,analytics,6\n", 3, "score", "outside the scale 1-5"),
        ("ann,r1,copywriting,0.5\n", 2, "score", "outside the scale 1-5"),
        (
            "ann,r1,copywriting,4\nann,r1,copywritng,3\n",
            3,
            "competency_id",
            "unknown competency 'copywritng' (not in the rubric 'Three'); did you mean 'copywriting'?",
        ),
        ("ann,r1,copywriting,4\nann,r2,copywriting,4\nann,r1,copywriting,5\n", 4, "rater_id", "already given at row 2"),
        ("ann,r1,copywriting,four\n", 2, "score", "not a number: 'four'"),
        ("ann,r1,copywriting,\n", 2, "score", "empty score"),
        ("ann,r1,copywriting,inf\n", 2, "score", "finite"),
        (",r1,copywriting,4\n", 2, "candidate_id", "empty value"),
        ("ann,  ,copywriting,4\n", 2, "rater_id", "empty value"),
        ("ann,r1,copywriting,4\nbob,r1,,4\n", 3, "competency_id", "empty value"),
    ],
)
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
    frame = pd.DataFrame(
        {
            "candidate_id": ["a", "b"],
            "rater_id": ["r", "r"],
            "competency_id": ["copywriting", "curiosity"],
            "score": [3, 9],
        }
    )
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
    assert result.mean.loc["ann"].tolist() == pytest.approx([4.5, 2.5, 4.5])
    assert result.mean.loc["bob"].tolist() == pytest.approx([2.0, 5.0, 3.0])
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
        aggregate_ratings(
            pd.DataFrame({"candidate_id": ["a"], "rater_id": ["r"], "competency_id": ["analytics"], "score": [3]}), must
        )
    assert info.value.field == "copywriting"


def test_aggregate_by_stage(tmp_path):
    body = (
        "ann,r1,copywriting,4,screen\nann,r1,copywriting,2,interview\nann,r1,analytics,3,screen\n"
        "ann,r1,curiosity,5,screen\n"
    )
    ratings = load_ratings(write(tmp_path, body, header=HEADER.strip() + ",stage\n"), RUBRIC)
    pooled = aggregate_ratings(ratings, RUBRIC)
    assert pooled.mean.at["ann", "copywriting"] == pytest.approx(3.0) and pooled.n_raters.at["ann", "copywriting"] == 2
    screen = aggregate_ratings(ratings, RUBRIC, stage="screen")
    assert screen.mean.at["ann", "copywriting"] == pytest.approx(4.0)
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


@pytest.mark.parametrize(
    "column, value, fragment",
    [
        ("score", [1, 2], "not a number"),
        ("candidate_id", ["a"], "must be text"),
        ("rater_id", {"r": 1}, "must be text"),
        ("score", 3 + 1j, "not a real number"),
    ],
)
def test_cells_that_are_not_scalars_or_real_numbers(column, value, fragment):
    frame = pd.DataFrame(
        {
            "candidate_id": ["ann", "ann"],
            "rater_id": ["r1", "r1"],
            "competency_id": ["copywriting", "analytics"],
            "score": [3, 4],
        },
        index=[7, 8],
    )
    frame[column] = frame[column].astype(object)
    frame.at[8, column] = value
    with pytest.raises(SmmrubricError, match=fragment) as info:
        validate_ratings(frame, RUBRIC)
    assert info.value.row == 8 and info.value.field == column


# -- issue 12: one reader for every format and layout -----------------------------------------------


EXAMPLES = data_dir() / "examples"


def _ratings(table: RatingsTable) -> list[tuple]:
    frame = table.frame
    return sorted(
        zip(
            frame["candidate_id"].astype(str),
            frame["rater_id"].astype(str),
            frame["competency_id"].astype(str),
            frame["score"],
            strict=True,
        )
    )


@pytest.mark.parametrize(
    "name, layout, fmt, note",
    [
        ("ratings_example.csv", "long", "csv", None),
        ("ratings_example_wide.csv", "wide", "csv", "wide layout"),
        ("ratings_example_excel_bom.csv", "long", "csv", None),
        ("ratings_example_fr.csv", "long", "csv", "decimal comma read as a decimal point in 1080 score(s)"),
        ("ratings_example_cp1252.csv", "long", "csv", "decoded as Windows-1252"),
        ("ratings_example_long.xlsx", "long", "xlsx", None),
        ("ratings_example_wide.xlsx", "wide", "xlsx", "wide layout"),
    ],
)
def test_every_example_file_holds_the_same_ratings(name, layout, fmt, note):
    from smmrubric.inputs import load_rubric

    rubric = load_rubric()
    reference = read_ratings(EXAMPLES / "ratings_example.csv", rubric)
    table = read_ratings(EXAMPLES / name, rubric)
    assert (table.layout, table.format) == (layout, fmt)
    assert _ratings(table) == _ratings(reference)
    assert note is None and table.notes == () or any(note in n for n in table.notes)
    assert table.frame["score"].dtype == float and table.frame.index.name == "row"
    assert isinstance(table.frame["candidate_id"].dtype, pd.CategoricalDtype)
    if name == "ratings_example_cp1252.csv":
        assert set(table.frame["rater_name"]) == {"Zoé Lefèvre", "Maël Dubœuf", "Inès Müller"}


def test_wide_layout(tmp_path):
    path = write(
        tmp_path, "ann,r1,4,3,\nbob,r1,2,,3\n", header="candidate_id,rater_id,copywriting,analytics,curiosity\n"
    )
    table = read_ratings(path, RUBRIC)
    assert table.layout == "wide" and "2 empty competency cell(s) read as 'not rated'" in table.notes
    assert table.frame.index.tolist() == [2, 2, 3, 3]  # each rating keeps its row
    assert table.frame["competency_id"].tolist() == ["copywriting", "analytics", "copywriting", "curiosity"]
    # a bad cell is named by its row and its competency column; a misspelt column by the header row
    path = write(tmp_path, "ann,r1,4,x\nbob,r1,9,3\n", header="candidate_id,rater_id,copywriting,analytcs\n")
    with pytest.raises(InputProblems) as info:
        read_ratings(path, RUBRIC)
    assert [(p.row, p.field) for p in info.value.problems] == [(1, "analytcs"), (2, "analytcs"), (3, "copywriting")]
    assert "did you mean 'analytics'" in info.value.problems[0].message
    with pytest.raises(SmmrubricError, match="missing required column.*competency_id, score"):
        read_ratings(path, RUBRIC, layout="long")
    with pytest.raises(SmmrubricError, match="a wide file has no competency_id or score column"):
        read_ratings(write(tmp_path, GOOD_ROWS), RUBRIC, layout="wide")


def test_header_problems_say_what_was_meant(tmp_path):
    path = write(tmp_path, "ann,r1,copywriting,4\n", header="Candidate ID,rater_id,competency,score\n")
    with pytest.raises(SmmrubricError) as info:
        read_ratings(path, RUBRIC)
    message = str(info.value)
    assert "missing required column(s) candidate_id, competency_id" in message and info.value.row == 1
    assert "did you mean 'Candidate ID'" in message and "did you mean 'competency'" in message


def test_every_problem_of_a_file_at_once(tmp_path):
    body = (
        "ann,r1,copywriting,4,ok\n"
        "ann,R1,analytics,x,\n"  # 3: R1 is r1 typed twice; a score that is no number
        "ann,r1,copywritng,3,\n"  # 4: a misspelt competency
        ",r2,curiosity,9,\n"  # 5: empty candidate; off the scale
        "bob,r2,curiosity,3,a\x00b\n"  # 6: NUL in a note
        "bob,r2,curiosity,3,\n"  # 7: duplicate of row 6
        "bob,r2,curiosity,3,1,2\n"  # 8: too many fields
        "bob,r3,analytics,inf,\n"
    )  # 9: not finite
    path = write(tmp_path, body, header=HEADER.strip() + ",note\n")
    with pytest.raises(InputProblems) as info:
        read_ratings(path, RUBRIC)
    error = info.value
    assert [(p.row, p.field) for p in error.problems] == [
        (3, "rater_id"),
        (3, "score"),
        (4, "competency_id"),
        (5, "candidate_id"),
        (5, "score"),
        (6, "note"),
        (7, "rater_id"),
        (8, None),
        (9, "score"),
    ]
    text = str(error).splitlines()
    assert text[0] == f"{path}: 9 problems:" and len(text) == 10
    assert text[1] == (
        "  row 3, field 'rater_id': 'R1' and 'r1' (row 2) differ only by case: one rater typed two "
        "ways? Spell them the same"
    )
    assert (
        "row 7, field 'rater_id': duplicate rating (candidate_id='bob', rater_id='r2', "
        "competency_id='curiosity') already given at row 6" in text[7]
    )
    assert isinstance(error, SmmrubricError) and (error.file, error.row, error.field) == (str(path), 3, "rater_id")


def test_the_report_lists_twenty_problems_then_counts(tmp_path):
    path = write(tmp_path, "".join(f"c{i},r1,copywriting,{i + 10}\n" for i in range(30)))
    with pytest.raises(InputProblems) as info:
        read_ratings(path, RUBRIC)
    assert info.value.total == 30 and len(info.value.problems) == InputProblems.LIMIT == 20
    lines = str(info.value).splitlines()
    assert lines[0].endswith("30 problems:") and lines[-1] == "  and 10 more" and len(lines) == 22
    assert [p.row for p in info.value.problems] == list(range(2, 22))


COLLISIONS = [
    ("case", "r2", "R2"),
    ("surrounding spaces", "r2", " r2"),
    ("a zero-width character", "r2", "r\u200b2"),
    ("Unicode normalisation (NFC/NFD)", unicodedata.normalize("NFC", "Zoé"), unicodedata.normalize("NFD", "Zoé")),
]


@pytest.mark.parametrize("column", ["candidate_id", "rater_id", "competency_id", "stage"])
@pytest.mark.parametrize("how, first, second", COLLISIONS, ids=[c[0] for c in COLLISIONS])
def test_ids_that_differ_only_in_how_they_are_typed_are_refused(column, how, first, second):
    """One class of bug, every column: two spellings of one id are never two raters, candidates or competencies."""
    frame = pd.DataFrame(
        {
            "candidate_id": ["ann", "ann"],
            "rater_id": ["r1", "r9"],
            "competency_id": ["copywriting"] * 2,
            "score": [4, 5],
            "stage": ["s", "s"],
        },
        index=pd.Index([2, 3], name="row"),
    )
    frame.loc[2, column], frame.loc[3, column] = first, second
    with pytest.raises(SmmrubricError) as info:
        validate_ratings(frame, RUBRIC if column != "competency_id" else None)
    error = info.value
    assert (error.row, error.field) == (3, column)
    assert error.message.startswith(f"{second!r} and {first!r} (row 2) differ only by {how}")


def test_a_number_and_its_text_are_one_id_typed_two_ways():
    frame = pd.DataFrame(
        {"candidate_id": [1, "1"], "rater_id": ["r1", "r2"], "competency_id": ["copywriting"] * 2, "score": [4, 5]}
    )
    with pytest.raises(SmmrubricError, match=r"differ only by type \(the number 1 and the text '1'\)") as info:
        validate_ratings(frame, RUBRIC)
    assert info.value.row == 1 and info.value.field == "candidate_id"


def test_ids_are_stored_stripped_and_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Zoé")
    frame = read_ratings(write(tmp_path, f"{nfd},  r1 ,copywriting,4\n"), RUBRIC).frame
    assert frame["candidate_id"].tolist() == [unicodedata.normalize("NFC", "Zoé")]
    assert frame["rater_id"].tolist() == ["r1"]


@pytest.mark.parametrize(
    "score, fragment",
    [
        ([True, False], "not a number: True"),
        ([3, True], "not a number: True"),
        ([3 + 0j, 4], "not a real number: (3+0j)"),
        ([np.complex128(4), 4], "not a real number"),
    ],
)
def test_booleans_and_complex_numbers_are_not_scores(score, fragment):
    frame = pd.DataFrame(
        {
            "candidate_id": ["a", "b"],
            "rater_id": ["r", "r"],
            "competency_id": ["copywriting"] * 2,
            "score": pd.Series(score, dtype=object if len({type(s) for s in score}) > 1 else None),
        }
    )
    with pytest.raises(SmmrubricError, match=re.escape(fragment)) as info:
        validate_ratings(frame, RUBRIC)
    assert info.value.field == "score"


def test_nul_characters_are_refused_in_any_text_cell(tmp_path):
    path = write(
        tmp_path, "ann,r\x001,copywriting,4,fine\nbob,r1,copywriting,4,not\x00fine\n", header=HEADER.strip() + ",note\n"
    )
    with pytest.raises(InputProblems) as info:
        read_ratings(path)
    assert [(p.row, p.field) for p in info.value.problems] == [(2, "rater_id"), (3, "note")]
    assert all("NUL character" in p.message for p in info.value.problems)


def test_competencies_the_rubric_lacks_are_ignored_with_a_note(tmp_path):
    path = write(tmp_path, GOOD_ROWS + "ann,r1,tiktok,5\nbob,r1,charisma,2\nbob,r1,tiktok,1\n")
    table = read_ratings(path, RUBRIC)
    assert len(table) == 9 and "tiktok" not in set(table.frame["competency_id"])
    assert "ignored 3 rating(s) of 2 competencies not in the rubric 'Three': charisma, tiktok" in table.notes
    # a vocabulary id is never taken for a misspelling, even when close to a rubric id
    own = Rubric(
        [
            {"id": "copywritings", "name": "Copywritings", "category": "skill", "weight": 1},
            {"id": "analytics", "weight": 1},
        ],
        name="Own",
    )
    notes = read_ratings(write(tmp_path, GOOD_ROWS, name="g.csv"), own).notes
    assert "competencies not in the rubric 'Own': copywriting, curiosity" in notes[0]
    # given as a table, an unknown competency is refused, with the way to ignore it
    with pytest.raises(SmmrubricError, match="unknown competency 'charisma'.*read_ratings"):
        validate_ratings(load_ratings(path), RUBRIC)


def test_rubric_competencies_nobody_rated_follow_the_missing_policy(tmp_path):
    rubric = Rubric(
        [
            {"id": "copywriting", "weight": 2},
            {"id": "analytics", "weight": 1},
            {"id": "curiosity", "weight": 1},
            {"id": "humility", "weight": 1},
        ],
        name="Four",
    )
    table = read_ratings(write(tmp_path, GOOD_ROWS), rubric)
    assert any("no ratings in the file for 1 competency of the rubric: humility" in n for n in table.notes)
    with pytest.raises(SmmrubricError, match="no rating of candidate 'ann'") as info:
        aggregate_ratings(table, rubric)
    assert info.value.field == "humility" and info.value.file == str(tmp_path / "ratings.csv")
    assert aggregate_ratings(table, rubric, missing="renormalize").complete.tolist() == [False, False]


def test_a_rare_rater_id_close_to_a_frequent_one_is_noted(tmp_path):
    body = "".join(f"c{i},R01,copywriting,3\nc{i},R02,copywriting,4\n" for i in range(30)) + "c0,R0l,analytics,3\n"
    notes = read_ratings(write(tmp_path, body), RUBRIC).notes
    assert (
        "rater 'R0l' gave 1 rating(s), far fewer than the others, and is one letter away from 'R01' (30), "
        "'R02' (30): a misspelling?" in notes
    )


def test_load_ratings_is_the_frame_of_read_ratings(tmp_path):
    path = write(tmp_path, GOOD_ROWS)
    pd.testing.assert_frame_equal(load_ratings(path, RUBRIC), read_ratings(path, RUBRIC).frame)
    with pytest.raises(SmmrubricError, match="field 'layout'"):
        read_ratings(path, RUBRIC, layout="diagonal")


# -- fuzz: the reader gives a checked table or a SmmrubricError, never another exception ----------

_CELLS = st.sampled_from(
    [
        "ann",
        "R1",
        "r1",
        " r1",
        "copywriting",
        "analytics",
        "curiosity",
        "4",
        "3,5",
        "9",
        "x",
        "",
        "é",
        "e\u0301",
        "\u200b",
        "\x00",
        '"',
        '""',
        "inf",
        "True",
        "=1+1",
        "-1",
    ]
)
_SEPARATORS = st.sampled_from([",", ";", "\t"])
_HEADERS = st.sampled_from(
    [
        HEADER.strip(),
        "candidate_id,rater_id,copywriting,analytics",
        "candidate_id,score",
        "",
        "a,,b",
        "candidate_id,rater_id,competency_id,score,stage",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=_HEADERS,
    rows=st.lists(st.lists(_CELLS, min_size=0, max_size=6), max_size=8),
    sep=_SEPARATORS,
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_fuzz_text_files(tmp_path, header, rows, sep, newline, encoding):
    text = newline.join([header.replace(",", sep)] + [sep.join(r) for r in rows]) + newline
    path = tmp_path / "fuzz.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _read_or_refuse(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), prefix=st.sampled_from([b"", HEADER.encode(), b"PK\x03\x04", b"\xff\xfe"]))
def test_fuzz_bytes(tmp_path, data, prefix):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(prefix + data)
    _read_or_refuse(path)


def _read_or_refuse(path):
    for rubric in (None, RUBRIC):
        try:
            table = read_ratings(path, rubric)
        except SmmrubricError:
            continue
        assert list(table.frame.columns[:4]) == list(HEADER.strip().split(","))
        assert table.frame["score"].map(np.isfinite).all()


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 9),
    st.floats(),
    st.complex_numbers(max_magnitude=9),
    st.text(max_size=4),
    st.sampled_from(["copywriting", "analytics", "R1", "r1", "4", "3,5"]),
    st.just([1, 2]),
    st.just({"a": 1}),
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(_VALUES, _VALUES, _VALUES, _VALUES), max_size=6))
def test_fuzz_tables(rows):
    frame = pd.DataFrame(rows, columns=["candidate_id", "rater_id", "competency_id", "score"], dtype=object)
    for rubric in (None, RUBRIC):
        try:
            checked = validate_ratings(frame, rubric)
        except SmmrubricError:
            continue
        assert checked["score"].dtype == float and np.isfinite(checked["score"]).all()
