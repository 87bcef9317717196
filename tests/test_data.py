"""The bundled data set (data/competencies.csv, data/expert_lists.csv) and its loaders.

Three groups of tests:

* integrity of the bundled files: every list of the five seeds present with its exact item count, ids
  resolve, positions contiguous, list-level columns constant, categories and labels valid;
* one test per loader error: a malformed copy of a bundled file, written to ``tmp_path``, must raise
  :class:`SmmrubricError` naming the file, the row (header = 1) and the column;
* the list helpers (``expert_list_ids``, ``list_summary``, ``competency_counts``) on a small hand-built frame
  whose answers are worked out by hand in the comments.

The item counts below were read off the seeds when the data were transcribed (see data/README.md); the tests
never read the seeds themselves.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmrubric import data, paths
from smmrubric.data import (
    AUTHOR_LABELS,
    CATEGORIES,
    COMPETENCY_COLUMNS,
    EXPERT_LIST_COLUMNS,
    competency_counts,
    expert_list_ids,
    list_summary,
    load_competencies,
    load_expert_lists,
)
from smmrubric.errors import SmmrubricError

# list_id -> (seed file number, number of items, author numbered the items?, year or None). No author says the
# order of a list is importance, so no list is ranked.
EXPECTED_LISTS = {
    "buffer_2017": ("000", 10, True, 2017),
    "hubspot_best_smm": ("000", 7, False, None),
    "bullas_cv_skills": ("000", 10, False, None),
    "hubspot_sprout_dream_team": ("000", 7, False, None),
    "lucyrk78_qualities": ("001", 10, True, None),
    "seed002_skills": ("002", 7, False, None),
    "seed003_six_skills": ("003", 6, False, 2014),
    "kaminski": ("004", 3, False, None),
    "murdock": ("004", 5, False, None),
    "serna": ("004", 1, False, None),
    "eyer": ("004", 5, False, None),
    "guthkelch": ("004", 7, False, None),
    "seed004_author": ("004", 3, True, None),
}

#: Competencies kept in the vocabulary although no list names them, each with its reason. Empty: every
#: competency is named by at least one list. A researcher who adds one must give the reason here.
UNUSED_BUT_EXPLAINED: dict[str, str] = {}


@pytest.fixture(scope="module")
def competencies() -> pd.DataFrame:
    return load_competencies()


@pytest.fixture(scope="module")
def lists(competencies) -> pd.DataFrame:
    return load_expert_lists(competencies=competencies)


# --------------------------------------------------------------------------------------------------------------
# Integrity of the bundled data
# --------------------------------------------------------------------------------------------------------------


def test_bundled_files_load_with_the_contract_columns(competencies, lists):
    assert competencies.index.name == "competency_id"
    assert list(competencies.columns) == list(COMPETENCY_COLUMNS[1:])
    assert list(lists.columns) == [*EXPERT_LIST_COLUMNS, "category"]
    assert str(lists["year"].dtype) == "Int64" and str(lists["position"].dtype) == "Int64"
    assert str(lists["year_by"].dtype) == "Int64"
    assert lists["numbered"].dtype == bool and lists["ranked"].dtype == bool


def test_vocabulary_size_ids_and_categories(competencies):
    assert 20 <= len(competencies) <= 30
    assert competencies.index.is_unique
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", cid) for cid in competencies.index)
    assert set(competencies["category"]) == set(CATEGORIES)
    assert competencies[["name", "definition", "category_basis"]].notna().all().all()


def test_onet_fields_all_or_none_with_plausible_ids(competencies):
    onet = competencies[["onet_id", "onet_name", "onet_release"]]
    filled = onet.notna().all(axis=1)
    assert (filled | onet.isna().all(axis=1)).all()
    assert filled.sum() >= 10
    # Content Model ids: worker characteristics (1.C work styles) or requirements (2.A/2.B skills, 2.C knowledge)
    assert onet.loc[filled, "onet_id"].str.fullmatch(r"(1\.C\.\d(\.[a-z])?|2\.[ABC]\.\d+\.[a-z])").all()
    # one release for every id; the 1.C work-style ids are only valid before O*NET 30.1
    assert set(onet.loc[filled, "onet_release"]) == {"29.0"}
    assert competencies.loc["copywriting", "onet_id"] == "2.A.1.c"
    assert competencies.loc["adaptability", "onet_name"] == "Adaptability/Flexibility"
    # work styles describe personal qualities: every 1.C element is on a trait
    work_styles = competencies["onet_id"].fillna("").str.startswith("1.C")
    assert (competencies.loc[work_styles, "category"] == "trait").all()


def test_every_list_of_the_seeds_is_present_with_every_item(lists):
    sizes = lists.groupby("list_id", sort=False).size()
    assert list(sizes.index) == list(EXPECTED_LISTS)  # file order = order of the seeds
    assert sizes.to_dict() == {k: v[1] for k, v in EXPECTED_LISTS.items()}
    assert len(lists) == 81


def test_list_level_fields_are_constant_and_as_expected(lists):
    level = [
        "list_name",
        "source_doc",
        "source_title",
        "publisher",
        "page_credit",
        "expert",
        "relation",
        "derived_from",
        "original_url",
        "original_author",
        "year",
        "year_by",
        "numbered",
        "ranked",
        "rank_evidence",
    ]
    per_list = lists.groupby("list_id", sort=False)[level].nunique(dropna=False)
    assert (per_list == 1).all().all()
    first = lists.groupby("list_id", sort=False).first()
    for list_id, (seed, _, numbered, year) in EXPECTED_LISTS.items():
        row = first.loc[list_id]
        assert re.fullmatch(rf"{seed}_[0-9a-f]{{16}}\.txt", row["source_doc"]), list_id
        assert bool(row["numbered"]) is numbered, list_id
        assert not bool(row["ranked"]), list_id  # no author says the order is importance
        assert pd.isna(row["year"]) if year is None else row["year"] == year, list_id
    assert lists["list_name"].nunique() == len(EXPECTED_LISTS)


def test_provenance_of_the_lists(lists):
    first = lists.groupby("list_id", sort=False).first()
    # publisher has one meaning: the original publisher named in the seed's text
    assert first.loc["buffer_2017", "publisher"] == "Buffer"
    assert (first.loc[["kaminski", "seed004_author"], "publisher"] == "Social Media Today").all()
    assert first.loc["lucyrk78_qualities", "publisher"] == "not named in the text"
    # the republishing site's credit is kept apart from the publisher and the expert
    assert first.loc["lucyrk78_qualities", "page_credit"] == "Erwan, Coeur sur Paris"
    assert "Erwan" not in first.loc["seed004_author", "expert"]
    # source structure: Buffer's article quotes three lists; seed 004's author interviews five experts
    assert first["relation"].value_counts().to_dict() == {"own": 5, "quoted": 3, "interview": 5}
    # seed 002 follows Buffer point by point
    assert first["derived_from"].dropna().to_dict() == {"seed002_skills": "buffer_2017"}
    # the quoted lists existed by the year of the article quoting them
    assert (first.loc[["hubspot_best_smm", "bullas_cv_skills", "hubspot_sprout_dream_team"], "year_by"] == 2017).all()


def test_buffer_numbers_by_section(lists):
    # seed 000 numbers 1-7 under "7 compétences" and goes on with 8-10 under its three traits: a running
    # count through two sections, not an order of importance
    buffer = lists[lists["list_id"] == "buffer_2017"]
    assert (
        buffer["section"].tolist()
        == ["7 compétences"] * 7 + ["3 traits de personnalité de grands gestionnaires de médias sociaux présentent"] * 3
    )
    assert lists.loc[lists["list_id"] != "buffer_2017", "section"].isna().all()


def test_positions_run_from_one_without_gaps_in_file_order(lists):
    for list_id, items in lists.groupby("list_id", sort=False):
        assert items["position"].tolist() == list(range(1, len(items) + 1)), list_id


def test_every_competency_id_resolves(competencies, lists):
    known = set(competencies.index)
    assert set(lists["competency_id"]) <= known
    assert set(lists["secondary_competency_id"].dropna()) <= known
    assert not (lists["secondary_competency_id"] == lists["competency_id"]).fillna(False).any()
    assert lists["category"].isin(CATEGORIES).all()
    assert (lists["category"] == lists["competency_id"].map(competencies["category"])).all()


def test_every_competency_is_named_by_a_list_or_explained(competencies, lists):
    named = set(lists["competency_id"]) | set(lists["secondary_competency_id"].dropna())
    unused = set(competencies.index) - named
    assert unused == set(UNUSED_BUT_EXPLAINED)
    # and nearly all are someone's primary point, not only a secondary
    assert len(set(competencies.index) - set(lists["competency_id"])) == 0


def test_author_labels(lists):
    assert lists["author_label"].isin(AUTHOR_LABELS).all()
    buffer = lists[lists["list_id"] == "buffer_2017"]
    # seed 000: "7 compétences" (items 1-7) then "3 traits de personnalité" (items 8-10)
    assert buffer["author_label"].tolist() == ["skill"] * 7 + ["trait"] * 3
    labels = lists.groupby("list_id")["author_label"].agg(lambda s: s.value_counts().to_dict())
    assert labels["bullas_cv_skills"] == {"skill": 10}
    assert labels["seed003_six_skills"] == {"skill": 6}
    assert labels["seed002_skills"] == {"skill": 6, "trait": 1}
    seed002_trait = lists[(lists["list_id"] == "seed002_skills") & (lists["author_label"] == "trait")]
    assert seed002_trait["competency_id"].tolist() == ["adaptability"]
    unlabeled = set(EXPECTED_LISTS) - {"buffer_2017", "bullas_cv_skills", "seed003_six_skills", "seed002_skills"}
    for list_id in unlabeled:
        assert labels[list_id] == {"unlabeled": EXPECTED_LISTS[list_id][1]}, list_id


def test_terms_are_short_phrases_and_judgments_are_explained(lists):
    assert lists[["term_fr", "term_en"]].notna().all().all()
    # a label or a short phrase, never a whole sentence
    assert (lists["term_fr"].str.len() <= 80).all()
    assert not lists["term_fr"].str.endswith(".").any()
    # where the author's label contradicts our category, the note says why
    labelled = lists["author_label"] != "unlabeled"
    clash = labelled & (lists["author_label"] != lists["category"])
    assert clash.sum() >= 3
    assert lists.loc[clash, "mapping_note"].notna().all()
    # the garbled machine translations are explained
    for garbled in (
        "Esprit d'abord",
        "Sous stand comment fonctionne le contenu sur un web social",
        "Esprit d'esprit créatif",
    ):
        note = lists.loc[lists["term_fr"] == garbled, "mapping_note"]
        assert len(note) == 1 and "machine translation" in note.iloc[0], garbled


def test_every_secondary_mapping_is_explained(lists):
    # a secondary competency is always a judgment: the note says what each part of the item maps to
    has_secondary = lists["secondary_competency_id"].notna()
    assert has_secondary.sum() >= 15
    assert lists.loc[has_secondary, "mapping_note"].notna().all()


def test_explicit_competencies_argument_forms(tmp_path, competencies):
    by_frame = load_expert_lists(competencies=competencies)
    by_path = load_expert_lists(paths.data_file("expert_lists.csv"), competencies=paths.data_file("competencies.csv"))
    pd.testing.assert_frame_equal(by_frame, by_path)


# --------------------------------------------------------------------------------------------------------------
# Loader errors: a malformed copy of each file
# --------------------------------------------------------------------------------------------------------------


def _rows(name: str) -> list[dict[str, str]]:
    with open(paths.data_file(name), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], columns) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _assert_located(exc: SmmrubricError, path: Path, row: int | None, field: str) -> None:
    """The error names the file, the row (as a spreadsheet numbers it) and the column."""
    message = str(exc)
    assert exc.file == str(path) and str(path) in message
    assert exc.row == row
    if row is not None:
        assert f"row {row}" in message
    assert field in message


def _bad_lists(tmp_path, edit, columns=EXPERT_LIST_COLUMNS) -> Path:
    rows = _rows("expert_lists.csv")
    edit(rows)
    return _write(tmp_path / "expert_lists.csv", rows, columns)


def _bad_competencies(tmp_path, edit, columns=COMPETENCY_COLUMNS) -> Path:
    rows = _rows("competencies.csv")
    edit(rows)
    return _write(tmp_path / "competencies.csv", rows, columns)


def _set(index: int, field: str, value: str):
    """Edit data row ``index`` (0-based); it is CSV row index + 2."""

    def edit(rows):
        rows[index][field] = value

    return edit


# (case, edit, csv row of the error, column)
LIST_ERRORS = [
    ("unknown competency id", _set(3, "competency_id", "telepathy"), 5, "competency_id"),
    ("unknown secondary id", _set(4, "secondary_competency_id", "telepathy"), 6, "secondary_competency_id"),
    ("secondary repeats primary", _set(5, "secondary_competency_id", "analytics"), 7, "secondary_competency_id"),
    ("repeated position", _set(1, "position", "1"), 3, "position"),
    # buffer_2017 has ten items, rows 2-11: position 10 -> 12 leaves 10 missing, reported on its last row
    ("gap in positions", _set(9, "position", "12"), 11, "position"),
    ("position not a whole number", _set(2, "position", "2.5"), 4, "position"),
    ("bad author_label", _set(4, "author_label", "opinion"), 6, "author_label"),
    ("bad year", _set(0, "year", "17"), 2, "year"),
    ("year not a number", _set(12, "year", "recent"), 14, "year"),
    ("bad numbered", _set(6, "numbered", "yes"), 8, "numbered"),
    ("bad ranked", _set(6, "ranked", "maybe"), 8, "ranked"),
    ("ranked without evidence", lambda rows: [r.update(ranked="true") for r in rows[:10]], 2, "rank_evidence"),
    ("bad relation", _set(0, "relation", "copied"), 2, "relation"),
    ("derived from itself", lambda rows: [r.update(derived_from="buffer_2017") for r in rows[:10]], 2, "derived_from"),
    (
        "derived from an unknown list",
        lambda rows: [r.update(derived_from="nobody") for r in rows[:10]],
        2,
        "derived_from",
    ),
    (
        "original_url not a web address",
        lambda rows: [r.update(original_url="buffer.com") for r in rows[:10]],
        2,
        "original_url",
    ),
    ("year_by before year", lambda rows: [r.update(year_by="2016") for r in rows[:10]], 2, "year_by"),
    ("list-level field differs", _set(5, "expert", "Someone else"), 7, "expert"),
    ("list-level year differs", _set(13, "year", "2016"), 15, "year"),
    ("missing required value", _set(6, "term_en", ""), 8, "term_en"),
    ("missing competency id", _set(20, "competency_id", ""), 22, "competency_id"),
    ("malformed list id", _set(0, "list_id", "Buffer 2017"), 2, "list_id"),
    ("required value only spaces", _set(0, "term_fr", "   "), 2, "term_fr"),
    ("position in non-ASCII digits", _set(0, "position", "\u0661"), 2, "position"),
]


@pytest.mark.parametrize(("case", "edit", "row", "field"), LIST_ERRORS, ids=[c[0] for c in LIST_ERRORS])
def test_expert_list_errors_name_file_row_and_column(tmp_path, competencies, case, edit, row, field):
    path = _bad_lists(tmp_path, edit)
    with pytest.raises(SmmrubricError) as info:
        load_expert_lists(path, competencies=competencies)
    _assert_located(info.value, path, row, field)
    assert info.value.field == field


COMPETENCY_ERRORS = [
    ("duplicate competency id", _set(2, "competency_id", "copywriting"), 4, "competency_id"),
    ("bad category", _set(3, "category", "attitude"), 5, "category"),
    ("missing category", _set(7, "category", ""), 9, "category"),
    ("missing required value", _set(4, "definition", ""), 6, "definition"),
    ("partial O*NET fields", _set(0, "onet_release", ""), 2, "onet_release"),
    ("O*NET name without id", _set(1, "onet_name", "Design"), 3, "onet_id"),
    ("malformed competency id", _set(5, "competency_id", "Copy Writing"), 7, "competency_id"),
    ("malformed O*NET id", _set(0, "onet_id", "writing"), 2, "onet_id"),
    ("malformed O*NET release", _set(0, "onet_release", "latest"), 2, "onet_release"),
    ("required value only spaces", _set(2, "name", "  "), 4, "name"),
]


@pytest.mark.parametrize(("case", "edit", "row", "field"), COMPETENCY_ERRORS, ids=[c[0] for c in COMPETENCY_ERRORS])
def test_competency_errors_name_file_row_and_column(tmp_path, case, edit, row, field):
    path = _bad_competencies(tmp_path, edit)
    with pytest.raises(SmmrubricError) as info:
        load_competencies(path)
    _assert_located(info.value, path, row, field)
    assert info.value.field == field


def test_list_ids_must_resolve_in_the_given_vocabulary(tmp_path):
    # a vocabulary without 'budgeting' makes buffer_2017's item 7 (row 8) unresolvable
    path = _bad_competencies(tmp_path, lambda rows: rows.pop(8))
    with pytest.raises(SmmrubricError) as info:
        load_expert_lists(competencies=path)
    assert info.value.row == 8 and info.value.field == "competency_id"
    assert "'budgeting'" in str(info.value) and "expert_lists.csv" in str(info.value)


@pytest.mark.parametrize("column", ["term_en", "competency_id", "position"])
def test_missing_list_column_is_named(tmp_path, competencies, column):
    path = _bad_lists(tmp_path, lambda rows: None, [c for c in EXPERT_LIST_COLUMNS if c != column])
    with pytest.raises(SmmrubricError, match=f"missing required column.*{column}") as info:
        load_expert_lists(path, competencies=competencies)
    _assert_located(info.value, path, None, column)


@pytest.mark.parametrize("column", ["category", "onet_release"])
def test_missing_competency_column_is_named(tmp_path, column):
    path = _bad_competencies(tmp_path, lambda rows: None, [c for c in COMPETENCY_COLUMNS if c != column])
    with pytest.raises(SmmrubricError, match=f"missing required column.*{column}") as info:
        load_competencies(path)
    _assert_located(info.value, path, None, column)


@pytest.mark.parametrize("loader", [load_competencies, load_expert_lists])
def test_unreadable_file(tmp_path, competencies, loader):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"competency_id,name\n\xff\xfe\xfa,broken\n")  # not UTF-8
    kwargs = {"competencies": competencies} if loader is load_expert_lists else {}
    with pytest.raises(SmmrubricError, match="not UTF-8 text: byte 0xFF .*Windows-1252") as info:
        loader(path, **kwargs)
    assert (info.value.file, info.value.row, info.value.field) == (str(path), 2, "competency_id")


def test_blank_optional_value_counts_as_empty(tmp_path, competencies):
    # a secondary id of only spaces is no secondary id (not an unknown id '')
    path = _bad_lists(tmp_path, _set(0, "secondary_competency_id", "  "))
    assert load_expert_lists(path, competencies=competencies)["secondary_competency_id"].isna().iloc[0]


@pytest.mark.parametrize("loader", [load_competencies, load_expert_lists])
def test_header_without_rows(tmp_path, competencies, loader):
    columns = COMPETENCY_COLUMNS if loader is load_competencies else EXPERT_LIST_COLUMNS
    path = _write(tmp_path / "empty.csv", [], columns)
    kwargs = {"competencies": competencies} if loader is load_expert_lists else {}
    with pytest.raises(SmmrubricError, match="no data rows") as info:
        loader(path, **kwargs)
    assert info.value.file == str(path)


@pytest.mark.parametrize("loader", [load_competencies, load_expert_lists])
def test_path_of_wrong_type(loader):
    with pytest.raises(SmmrubricError) as info:
        loader(5)
    assert info.value.field == "path"


@pytest.mark.parametrize("bad", [5, pd.DataFrame({"name": ["x"]})])
def test_competencies_argument_of_wrong_kind(bad):
    with pytest.raises(SmmrubricError) as info:
        load_expert_lists(competencies=bad)
    assert info.value.field == "competencies"


@pytest.mark.parametrize("loader", [load_competencies, load_expert_lists])
def test_missing_file(tmp_path, competencies, loader):
    path = tmp_path / "absent.csv"
    kwargs = {"competencies": competencies} if loader is load_expert_lists else {}
    with pytest.raises(SmmrubricError, match="no such file") as info:
        loader(path, **kwargs)
    assert info.value.file == str(path)


# --------------------------------------------------------------------------------------------------------------
# Finding the data through smmrubric.paths
# --------------------------------------------------------------------------------------------------------------


def test_loaders_read_the_folder_named_by_smmrubric_data(tmp_path, monkeypatch):
    copy = tmp_path / "my_data"
    copy.mkdir()
    comp = _rows("competencies.csv")
    comp[0]["name"] = "Copywriting (edited copy)"
    _write(copy / "competencies.csv", comp, COMPETENCY_COLUMNS)
    items = _rows("expert_lists.csv")[:10]  # only buffer_2017
    _write(copy / "expert_lists.csv", items, EXPERT_LIST_COLUMNS)
    monkeypatch.setenv("SMMRUBRIC_DATA", str(copy))
    assert paths.data_dir() == copy
    assert load_competencies().loc["copywriting", "name"] == "Copywriting (edited copy)"
    assert load_expert_lists()["list_id"].unique().tolist() == ["buffer_2017"]


def test_loaders_fail_clearly_when_no_data_is_found(tmp_path, monkeypatch):
    monkeypatch.setenv("SMMRUBRIC_DATA", str(tmp_path / "nowhere"))
    monkeypatch.setattr(paths, "_PACKAGE", tmp_path / "site-packages" / "smmrubric")
    for loader in (load_competencies, load_expert_lists):
        with pytest.raises(SmmrubricError, match=r"cannot find the smmrubric data set.*SMMRUBRIC_DATA"):
            loader()


def test_folder_without_expert_lists_names_the_missing_file(tmp_path, monkeypatch):
    _write(tmp_path / "competencies.csv", _rows("competencies.csv"), COMPETENCY_COLUMNS)
    monkeypatch.setenv("SMMRUBRIC_DATA", str(tmp_path))
    with pytest.raises(SmmrubricError, match="no file 'expert_lists.csv'"):
        load_expert_lists()


# --------------------------------------------------------------------------------------------------------------
# expert_list_ids, list_summary, competency_counts on a hand-built frame
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture
def small() -> pd.DataFrame:
    """Two lists; rows deliberately not in position order.

    list a: pos 1 x (author: skill), pos 2 y (trait), pos 3 x again (unlabeled)
    list b: pos 1 y (unlabeled), pos 2 z (unlabeled, secondary x)
    our categories: x skill, y trait, z skill
    """
    return pd.DataFrame(
        {
            "list_id": ["a", "a", "a", "b", "b"],
            "list_name": ["A", "A", "A", "B", "B"],
            "expert": ["EA", "EA", "EA", "EB", "EB"],
            "year": pd.array([2020, 2020, 2020, None, None], dtype="Int64"),
            "numbered": [True, True, True, False, False],
            "ranked": [True, True, True, False, False],
            "position": pd.array([2, 1, 3, 1, 2], dtype="Int64"),
            "author_label": ["trait", "skill", "unlabeled", "unlabeled", "unlabeled"],
            "competency_id": ["y", "x", "x", "y", "z"],
            "secondary_competency_id": [None, None, None, None, "x"],
            "category": ["trait", "skill", "skill", "trait", "skill"],
        }
    )


SMALL_VOCABULARY = pd.DataFrame(
    {"category": ["skill", "trait", "skill"]}, index=pd.Index(["x", "y", "z"], name="competency_id")
)


def test_expert_list_ids_by_position_first_mention_only(small):
    # a sorted by position: x (1), y (2), x (3) -> [x, y]; b: y, z
    assert expert_list_ids(small) == {"a": ["x", "y"], "b": ["y", "z"]}
    assert list(expert_list_ids(small)) == ["a", "b"]


def test_list_summary_by_hand(small):
    out = list_summary(small)
    assert out.index.tolist() == ["a", "b"]
    assert out["n_items"].tolist() == [3, 2]
    assert out["author_skill"].tolist() == [1, 0]
    assert out["author_trait"].tolist() == [1, 0]
    assert out["author_unlabeled"].tolist() == [1, 2]
    assert out["our_skill"].tolist() == [2, 1]  # a: x, x; b: z
    assert out["our_trait"].tolist() == [1, 1]
    # a: 1 skill / (1 skill + 1 trait); b labelled nothing -> NaN
    assert out.loc["a", "author_skill_share"] == pytest.approx(0.5) and math.isnan(out.loc["b", "author_skill_share"])
    assert out["our_skill_share"].tolist() == pytest.approx([2 / 3, 1 / 2])
    assert out.loc["a", "list_name"] == "A" and out.loc["b", "expert"] == "EB"
    assert out.loc["a", "year"] == 2020 and pd.isna(out.loc["b", "year"])
    assert out["numbered"].tolist() == [True, False] and out["ranked"].tolist() == [True, False]


def test_competency_counts_by_hand(small):
    out = competency_counts(small)
    # y in a and b (2 of 2 lists); x only in a, z only in b (x twice in a counts once); ties by id
    assert out.index.tolist() == ["y", "x", "z"]
    assert out["n_lists"].tolist() == [2, 1, 1]
    assert out["share"].tolist() == pytest.approx([1.0, 0.5, 0.5])
    assert out["category"].tolist() == ["trait", "skill", "skill"]
    assert out["lists"].tolist() == ["a,b", "a", "b"]


def test_competency_counts_with_secondaries_by_hand(small):
    out = competency_counts(small, include_secondary=True, competencies=SMALL_VOCABULARY)
    # b's secondary x adds x to b: x 2, y 2, z 1
    assert out.index.tolist() == ["x", "y", "z"]
    assert out["n_lists"].tolist() == [2, 2, 1]
    assert out["lists"].tolist() == ["a,b", "a,b", "b"]
    assert out["category"].tolist() == ["skill", "trait", "skill"]


@pytest.mark.parametrize("helper", [expert_list_ids, list_summary, competency_counts])
def test_helpers_refuse_bad_input(small, helper):
    with pytest.raises(SmmrubricError, match="expert_lists"):
        helper(small.drop(columns="list_id"))
    with pytest.raises(SmmrubricError, match="expert_lists"):
        helper(small.to_dict())


def test_competency_counts_with_secondaries_needs_the_column(small):
    with pytest.raises(SmmrubricError, match="secondary_competency_id"):
        competency_counts(
            small.drop(columns="secondary_competency_id"), include_secondary=True, competencies=SMALL_VOCABULARY
        )


def test_helpers_on_the_bundled_lists(lists):
    ids = expert_list_ids(lists)
    assert list(ids) == list(EXPECTED_LISTS)
    assert ids["buffer_2017"] == [
        "copywriting",
        "visual_content",
        "public_speaking",
        "customer_service",
        "audience_psychology",
        "analytics",
        "budgeting",
        "curiosity",
        "adaptability",
        "business_acumen",
    ]
    summary = list_summary(lists)
    assert summary["n_items"].sum() == len(lists)
    assert summary.loc["buffer_2017", "author_skill_share"] == pytest.approx(0.7)
    assert (summary["our_skill"] + summary["our_trait"] == summary["n_items"]).all()
    counts = competency_counts(lists)
    assert counts.index[0] == "analytics"  # named by the most lists
    assert counts["n_lists"].max() <= len(EXPECTED_LISTS)


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_helpers_do_not_depend_on_row_order(lists, random):
    """Shuffling the rows of the file changes nothing the helpers report (positions carry the order)."""
    order = list(range(len(lists)))
    random.shuffle(order)
    shuffled = lists.iloc[order]
    assert expert_list_ids(shuffled) == expert_list_ids(lists)
    a = competency_counts(lists, include_secondary=True)
    b = competency_counts(shuffled, include_secondary=True)
    pd.testing.assert_frame_equal(a.drop(columns="lists"), b.drop(columns="lists"))
    assert all(set(x.split(",")) == set(y.split(",")) for x, y in zip(a["lists"], b["lists"]))
    summary_a = list_summary(lists)
    summary_b = list_summary(shuffled).loc[summary_a.index]
    pd.testing.assert_frame_equal(summary_a, summary_b)
    assert np.isclose(summary_b["n_items"].sum(), len(lists))


# --- the published data set's fingerprint -----------------------------------------------------


def test_bundled_data_is_the_published_data_set():
    assert data.published_data(), (
        "data/ differs from data/published.sha256: the notebooks' prose and checks describe the published "
        "data. If you changed the data on purpose, re-read the notebooks' prose against the new numbers "
        "(make figures), then record the new data with `make fingerprint`."
    )


def test_published_data_detects_any_change(tmp_path):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(paths.data_dir(), folder, ignore=shutil.ignore_patterns("examples", "README.md"))
    assert data.published_data(folder)
    with (folder / "expert_lists.csv").open("a") as handle:
        handle.write("\n")
    assert not data.published_data(folder)
    data.write_published_fingerprint(folder)
    assert data.published_data(folder)
    (folder / "rubrics" / "mine.yaml").write_text("name: x\n")
    assert not data.published_data(folder)
    (folder / "published.sha256").unlink()
    assert not data.published_data(folder)


# Adding a list to the data and running notebook 01 (the README's recipe): tests/test_notebook_parameters.py.


# --------------------------------------------------------------------------------------------------------------
# Issue 15: files that cannot be read as they are, one test per class, and a fuzz of both loaders
# --------------------------------------------------------------------------------------------------------------


def _load(loader, path, competencies):
    return loader(path, **({"competencies": competencies} if loader is load_expert_lists else {}))


def _bundled_text(loader) -> tuple[str, list[str], str]:
    """The bundled file's text, its header and a text column to damage."""
    name, column = (
        ("competencies.csv", "definition") if loader is load_competencies else ("expert_lists.csv", "term_en")
    )
    text = paths.data_file(name).read_text(encoding="utf-8")
    return text, text.splitlines()[0].split(","), column


def _damaged(tmp_path, loader, what: str) -> tuple[Path, int | None, str | None]:
    """A copy of the bundled file damaged one way; the row and field the error must name."""
    text, header, column = _bundled_text(loader)
    rows = list(csv.reader(text.splitlines(keepends=True)))
    path = tmp_path / "file.csv"
    if what == "semicolons":
        path.write_text(text.replace(",", ";"), encoding="utf-8")
        return path, None, None
    at = header.index(column)
    if what == "cp1252":  # Excel's "CSV" on Windows: the first non-ASCII character is where it fails
        rows[1][at] = "café"
        first = next((r, rows[r - 1].index(v)) for r in range(2, len(rows) + 1) for v in rows[r - 1] if not v.isascii())
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_bytes(buffer.getvalue().encode("cp1252", errors="replace"))
        return path, first[0], header[first[1]]
    value = {"nul": "a\x00b", "unclosed": '"never closed', "long": "x" * 140_000}[what]
    rows[1][at] = "DAMAGED"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue().replace("DAMAGED", value, 1), encoding="utf-8")
    return path, 2, column


@pytest.mark.parametrize("loader", [load_competencies, load_expert_lists])
@pytest.mark.parametrize(
    ("what", "message"),
    [
        ("cp1252", r"not UTF-8 text: byte 0x.. \('.' in Windows-1252\).*save it as 'CSV UTF-8'"),
        ("semicolons", r"separated by semicolons \(;\), not commas"),
        ("nul", "NUL character"),
        ("unclosed", "quote .* never closed"),
        ("long", "longer than 131,072 characters"),
    ],
)
def test_damaged_files_name_the_cause_file_row_and_field(tmp_path, competencies, loader, what, message):
    path, row, field = _damaged(tmp_path, loader, what)
    with pytest.raises(SmmrubricError, match=message) as info:
        _load(loader, path, competencies)
    assert (info.value.file, info.value.row, info.value.field) == (str(path), row, field)
    assert len(str(info.value)) < 600


@pytest.mark.parametrize("loader", [load_competencies, load_expert_lists])
def test_folders_unreadable_files_and_a_byte_order_mark(tmp_path, monkeypatch, competencies, loader):
    from smmrubric import io as sio

    with pytest.raises(SmmrubricError, match="is a folder, not a file"):
        _load(loader, tmp_path, competencies)
    text, _, _ = _bundled_text(loader)
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeff".encode() + text.encode())  # Excel's "CSV UTF-8": read right
    pd.testing.assert_frame_equal(_load(loader, bom, competencies), _load(loader, None, competencies))
    real_open = open
    monkeypatch.setattr(
        sio,
        "open",
        lambda f, *a, **k: (
            (_ for _ in ()).throw(PermissionError(13, "Permission denied")) if Path(f) == bom else real_open(f, *a, **k)
        ),
        raising=False,
    )
    with pytest.raises(SmmrubricError, match="cannot read the file: permission denied") as info:
        _load(loader, bom, competencies)
    assert info.value.file == str(bom)


_SNIPPETS = [
    b'"',
    b",",
    b"\n",
    b"\r",
    b"\x00",
    b"\xff",
    b"\xe9",
    b";",
    b"\t",
    "\ufeff".encode(),
    b"=1",
    b"true",
    b"-",
    b" ",
    b"\xc3",
    b"x" * 131_073,
    b"list_id",
    b"competency_id",
    b"99",
]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_fuzz_csv_loaders_give_a_frame_or_one_project_error(tmp_path_factory, competencies, data):
    """Damaged bytes anywhere: the loaders return a valid frame or raise SmmrubricError, nothing else."""
    loader = data.draw(st.sampled_from([load_competencies, load_expert_lists]))
    text, _, _ = _bundled_text(loader)
    lines = text.splitlines(keepends=True)
    if loader is load_expert_lists:  # whole lists only: kaminski (3 items) and serna (1 item)
        lines = [lines[0]] + [ln for ln in lines[1:] if ln.startswith(("kaminski,", "serna,"))]
    raw = bytearray("".join(lines[:6]).encode())
    for _ in range(data.draw(st.integers(0, 8))):
        at = data.draw(st.integers(0, len(raw)))
        if data.draw(st.booleans()):
            raw[at:at] = data.draw(st.sampled_from(_SNIPPETS))
        else:
            del raw[at : at + data.draw(st.integers(1, 20))]
    path = tmp_path_factory.mktemp("fuzz") / "file.csv"
    path.write_bytes(bytes(raw))
    try:
        frame = _load(loader, path, competencies)
    except SmmrubricError as exc:
        assert exc.file == str(path) and len(str(exc)) < 2_500
    else:
        assert isinstance(frame, pd.DataFrame) and len(frame) > 0


# --------------------------------------------------------------------------------------------------------------
# The O*NET crosswalk: every candidate element, not only the agreeing one
# --------------------------------------------------------------------------------------------------------------


def test_onet_crosswalk_records_the_competencies_element_and_the_contradicting_ones(competencies):
    crosswalk = data.load_onet_crosswalk(competencies=competencies)
    recorded = crosswalk[crosswalk["recorded"]].set_index("competency_id")
    filled = competencies[competencies["onet_id"].notna()]
    assert recorded["onet_id"].to_dict() == filled["onet_id"].to_dict()
    candidates = set(zip(crosswalk["competency_id"], crosswalk["onet_id"]))
    # the elements that would contradict our categories (methods review MAJOR 5) are recorded
    for pair in [
        ("continuous_learning", "2.A.2.b"),
        ("continuous_learning", "2.A.2.c"),
        ("analytics", "1.C.7.b"),
        ("leadership", "1.C.2.b"),
        ("copywriting", "1.C.5.b"),
        ("audience_psychology", "2.C.4.e"),
    ]:
        assert pair in candidates, pair
    assert set(crosswalk["onet_release"]) == {"29.0"}


ONET_ERRORS = [
    ("unknown competency", _set(0, "competency_id", "telepathy"), 2, "competency_id"),
    ("malformed id", _set(1, "onet_id", "English"), 3, "onet_id"),
    ("bad recorded flag", _set(1, "recorded", "yes"), 3, "recorded"),
    ("recorded element not the competencies'", _set(0, "onet_id", "2.A.1.d"), 2, "onet_id"),
    ("pair given twice", _set(1, "onet_id", "2.A.1.c"), 3, "onet_id"),
]


@pytest.mark.parametrize(("case", "edit", "row", "field"), ONET_ERRORS, ids=[c[0] for c in ONET_ERRORS])
def test_onet_crosswalk_errors_name_file_row_and_column(tmp_path, competencies, case, edit, row, field):
    rows = _rows("onet_crosswalk.csv")
    edit(rows)
    path = _write(tmp_path / "onet_crosswalk.csv", rows, data.ONET_CROSSWALK_COLUMNS)
    with pytest.raises(SmmrubricError) as info:
        data.load_onet_crosswalk(path, competencies=competencies)
    _assert_located(info.value, path, row, field)
