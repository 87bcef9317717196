"""smmrubric.codings: the bundled codings change what they say they change; bad files are named by file, row and
column; the headline statistics equal the package's own functions run on the recoded data."""

from __future__ import annotations

import pandas as pd
import pytest

from smmrubric import Rubric, load_competencies, load_expert_lists
from smmrubric.aggregate import rankings_from_expert_lists
from smmrubric.codings import (
    CODING_COLUMNS,
    apply_coding,
    coding_sensitivity,
    headline_statistics,
    load_coding,
    load_codings,
)
from smmrubric.data import competency_counts
from smmrubric.errors import SmmrubricError
from smmrubric.split import label_agreement


@pytest.fixture(scope="module")
def data():
    competencies = load_competencies()
    return load_expert_lists(competencies=competencies), competencies


@pytest.fixture(scope="module")
def codings(data):
    return load_codings(*data)


def _apply(codings, data, name):
    return apply_coding(codings[name], *data)


def test_every_bundled_coding_loads_with_a_description(codings):
    assert len(codings) >= 15
    for name, coding in codings.items():
        assert coding.name == name and coding.description, name
        assert coding.overrides["rationale"].notna().all(), name


def test_published_coding_unchanged(data):
    lists, competencies = apply_coding(None, *data)
    pd.testing.assert_frame_equal(lists, data[0])


def test_merge_and_categories(codings, data):
    lists, vocabulary = _apply(codings, data, "learning_merged")
    assert "curiosity" not in vocabulary.index and "curiosity" not in set(lists["competency_id"])
    assert competency_counts(lists).loc["continuous_learning", "n_lists"] == 7
    lists, vocabulary = _apply(codings, data, "author_categories")
    assert vocabulary.loc[["business_acumen", "creativity", "continuous_learning"], "category"].tolist() == [
        "trait",
        "skill",
        "skill",
    ]
    assert (lists["category"] == lists["competency_id"].map(vocabulary["category"])).all()
    # the authors' own categories: every labelled item agrees
    assert label_agreement(lists).loc["all", "n_agree"] == 33


def test_items_lists_and_order(codings, data):
    lists, _ = _apply(codings, data, "disputed_items")
    by_item = lists.set_index(["list_id", "position"])
    assert by_item.loc[("bullas_cv_skills", 2), "competency_id"] == "strategic_planning"
    assert by_item.loc[("lucyrk78_qualities", 7), "secondary_competency_id"] == "analytics"
    lists, _ = _apply(codings, data, "without_esprit_and_derived")
    assert lists["list_id"].nunique() == 12 and len(lists) == 73
    assert (lists.groupby("list_id")["position"].apply(lambda p: list(p) == list(range(1, len(p) + 1)))).all()
    lists, vocabulary = _apply(codings, data, "experience_not_a_skill")
    assert "digital_experience" not in vocabulary.index and len(lists) == 79
    ranked = rankings_from_expert_lists(_apply(codings, data, "numbered_as_ranked")[0])
    assert [k for k, v in ranked.items() if len(v) > 1] == ["buffer_2017", "lucyrk78_qualities", "seed004_author"]
    assert all(len(v) == 1 for v in rankings_from_expert_lists(data[0]).values())  # published: none ranked


def test_secondaries_named(codings, data):
    lists, _ = _apply(codings, data, "secondaries_named")
    n_secondary = data[0]["secondary_competency_id"].notna().sum()
    assert len(lists) == 81 + n_secondary
    assert lists["secondary_competency_id"].isna().all()
    with_secondaries = competency_counts(data[0], include_secondary=True, competencies=data[1])["n_lists"]
    assert competency_counts(lists)["n_lists"].to_dict() == with_secondaries.to_dict()
    # added items are unlabelled: the kappa of the authors' labels is unchanged
    assert label_agreement(lists).loc["all", "kappa"] == pytest.approx(label_agreement(data[0]).loc["all", "kappa"])


def _coding_file(tmp_path, rows):
    path = tmp_path / "my_coding.csv"
    lines = [",".join(CODING_COLUMNS), "coding,,,,description,Test,why"] + rows
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("person,,,,exclude,true,x", "target"),
        ("item,eyer,2,,category,trait,x", "field"),
        ("item,eyer,,,exclude,true,x", "position"),
        ("item,nobody,1,,exclude,true,x", "list_id"),
        ("item,eyer,9,,exclude,true,x", "position"),
        ("competency,,,telepathy,category,trait,x", "competency_id"),
        ("competency,,,analytics,category,attitude,x", "value"),
        ("competency,,,analytics,merge_into,analytics,x", "value"),
        ("list,eyer,,,exclude,maybe,x", "value"),
        ("item,eyer,1,,competency_id,telepathy,x", "value"),
        ("list,eyer,,analytics,exclude,true,x", "competency_id"),
    ],
)
def test_bad_coding_rows_name_file_row_and_column(tmp_path, data, row, field):
    path = _coding_file(tmp_path, [row])
    with pytest.raises(SmmrubricError) as info:
        load_coding(path, *data)
    assert info.value.file == str(path) and info.value.row == 3 and info.value.field == field


def test_duplicate_and_missing_description(tmp_path, data):
    path = _coding_file(tmp_path, ["list,eyer,,,exclude,true,x", "list,eyer,,,exclude,true,y"])
    with pytest.raises(SmmrubricError, match="twice") as info:
        load_coding(path, *data)
    assert info.value.row == 4
    path.write_text(",".join(CODING_COLUMNS) + "\nlist,eyer,,,exclude,true,x\n", encoding="utf-8")
    with pytest.raises(SmmrubricError, match="description"):
        load_coding(path, *data)


def test_headline_statistics_equal_the_package_functions(codings, data):
    for name in ("published", "project_management_trait", "without_derived"):
        lists, vocabulary = apply_coding(codings.get(name), *data)
        stats = headline_statistics(lists, vocabulary, seed=3, k=5, n_draws=200)
        consensus = Rubric.consensus(lists, vocabulary=vocabulary)
        assert stats["consensus_skill_share"] == pytest.approx(consensus.category_weights["skill"])
        assert stats["kappa"] == pytest.approx(label_agreement(lists).loc["all", "kappa"])
        assert stats["n_lists"] == lists["list_id"].nunique()


def test_coding_sensitivity_table(codings, data):
    chosen = {k: codings[k] for k in ("learning_merged", "author_categories")}
    table = coding_sensitivity(*data, chosen, seed=3, k=5, n_draws=200)
    assert list(table.index) == ["published", "learning_merged", "author_categories"]
    assert table.loc["learning_merged", "majority"] == "analytics, continuous_learning"
    assert table.loc["author_categories", "kappa"] == pytest.approx(1.0)
    low, high = table.attrs["ranges"]["kappa"]
    assert low == pytest.approx(table["kappa"].min()) and high == pytest.approx(1.0)
    with pytest.raises(SmmrubricError):
        coding_sensitivity(*data, {"x": "not a coding"}, seed=3)
