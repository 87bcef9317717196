"""Rubric: the YAML format, weights, builders and every validation error."""

from __future__ import annotations

import math
import os
import re
import textwrap

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from smmrubric import load_competencies, load_expert_lists
from smmrubric.aggregate import borda, rankings_from_expert_lists
from smmrubric.data import competency_counts
from smmrubric.errors import SmmrubricError
from smmrubric.rubric import DEFAULT_LABELS, Rubric, Scale, roc_weights

VOCAB = load_competencies()
LISTS = load_expert_lists()


def write(tmp_path, text, name="rubric.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """\
    name: Test rubric
    scale: {min: 1, max: 5, labels: {1: Poor, 5: Excellent}}
    competencies:
      - id: copywriting
        weight: 4
        must_have: 3
        anchors: {1: "Posts full of errors", 5: "Every post has a hook"}
      - id: curiosity
        weight: 2
      - id: video_editing
        name: Video editing
        category: skill
        weight: 2
    """


def error_for(tmp_path, text):
    with pytest.raises(SmmrubricError) as info:
        Rubric.from_yaml(write(tmp_path, text))
    return info.value


# -- reading and writing ------------------------------------------------------------------------


def test_from_yaml_resolves_names_categories_and_weights(tmp_path):
    rubric = Rubric.from_yaml(write(tmp_path, GOOD))
    assert rubric.name == "Test rubric"
    assert rubric.competency_ids == ["copywriting", "curiosity", "video_editing"]
    assert rubric.weights.tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert rubric.weights.name == "weight" and rubric.weights.index.name == "competency_id"
    assert rubric.raw_weights.tolist() == pytest.approx([4.0, 2.0, 2.0])
    assert rubric.categories.to_dict() == {"copywriting": "skill", "curiosity": "trait", "video_editing": "skill"}
    assert rubric.names["copywriting"] == VOCAB.at["copywriting", "name"]
    assert rubric.names["video_editing"] == "Video editing"
    assert rubric.category_weights.to_dict() == pytest.approx({"skill": 0.75, "trait": 0.25})
    assert list(rubric.category_weights.index) == ["skill", "trait"]
    assert rubric.must_have["copywriting"] == pytest.approx(3.0) and math.isnan(rubric.must_have["curiosity"])
    assert rubric.anchors == {"copywriting": {1: "Posts full of errors", 5: "Every post has a hook"}}
    assert rubric.scale == Scale(1, 5, {1: "Poor", 5: "Excellent"})
    assert rubric.scale.levels == [1, 2, 3, 4, 5]


def test_yaml_round_trip_is_lossless(tmp_path):
    rubric = Rubric.from_yaml(write(tmp_path, GOOD))
    out = rubric.to_yaml(tmp_path / "copy.yaml")
    again = Rubric.from_yaml(out)
    assert again == rubric
    assert again.to_yaml_string() == rubric.to_yaml_string()
    assert again.anchors == rubric.anchors and again.must_have.equals(rubric.must_have)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_yaml_round_trip_property(tmp_path_factory, data):
    ids = data.draw(st.lists(st.sampled_from(list(VOCAB.index)), min_size=1, max_size=8, unique=True))
    weights = data.draw(
        st.lists(st.floats(0, 1e6, allow_nan=False) | st.integers(0, 100), min_size=len(ids), max_size=len(ids)).filter(
            lambda w: sum(w) > 0
        )
    )
    lo = data.draw(st.integers(-3, 3))
    hi = lo + data.draw(st.integers(1, 6))
    items = []
    for cid, w in zip(ids, weights):
        item = {"id": cid, "weight": w}
        if data.draw(st.booleans()):
            item["must_have"] = data.draw(st.floats(lo, hi))
        if data.draw(st.booleans()):
            levels = data.draw(st.lists(st.integers(lo, hi), min_size=1, max_size=3, unique=True))
            item["anchors"] = {
                lv: data.draw(st.text(alphabet="abc :'\"#-é", min_size=1).filter(str.strip)) for lv in levels
            }
        items.append(item)
    rubric = Rubric(items, name="R: 'quoted' #1", scale=Scale(lo, hi, {lo: "low"}))
    path = tmp_path_factory.mktemp("rt") / "r.yaml"
    assert Rubric.from_yaml(rubric.to_yaml(path)) == rubric


def test_to_yaml_is_atomic_and_can_refuse_overwrite(tmp_path, monkeypatch):
    rubric = Rubric.from_yaml(write(tmp_path, GOOD))
    target = tmp_path / "out.yaml"
    target.write_text("old content\n")
    with pytest.raises(SmmrubricError, match="refusing to overwrite"):
        rubric.to_yaml(target, overwrite=False)

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(SmmrubricError, match="out.yaml: cannot write the file: disk full"):
        rubric.to_yaml(target)
    assert target.read_text() == "old content\n"  # the old file is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml", "rubric.yaml"]  # no temporary left


def test_scale_defaults_and_labels():
    rubric = Rubric.equal(["copywriting", "curiosity"])
    assert rubric.scale.min == 1 and rubric.scale.max == 5 and rubric.scale.labels == DEFAULT_LABELS
    labels = rubric.scale.labels
    labels[1] = "changed"
    assert rubric.scale.labels[1] == "Poor"  # immutable from outside


def test_rubric_is_immutable():
    rubric = Rubric.equal(["copywriting", "curiosity"])
    weights = rubric.weights
    weights.iloc[0] = 0.9
    assert rubric.weights.iloc[0] == pytest.approx(0.5)
    with pytest.raises(AttributeError):
        rubric.name = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        rubric.competencies[0].weight = 3  # type: ignore[misc]


# -- validation errors: file, competency and field named ----------------------------------------

BAD_CASES = {
    "negative weight": ("- id: copywriting\n    weight: -1", "copywriting", "weight", "must be >= 0"),
    "nan weight": ("- id: copywriting\n    weight: .nan", "copywriting", "weight", "finite"),
    "infinite weight": ("- id: copywriting\n    weight: .inf", "copywriting", "weight", "finite"),
    "text weight": ("- id: copywriting\n    weight: heavy", "copywriting", "weight", "must be a number"),
    "missing weight": ("- id: copywriting", "copywriting", "weight", "missing"),
    "unknown id without category": (
        "- id: tiktok_dance\n    name: TikTok dance\n    weight: 1",
        "tiktok_dance",
        "category",
        "without a category",
    ),
    "unknown id without name": (
        "- id: tiktok_dance\n    category: skill\n    weight: 1",
        "tiktok_dance",
        "name",
        "without a name",
    ),
    "bad category": (
        "- id: tiktok_dance\n    name: T\n    category: talent\n    weight: 1",
        "tiktok_dance",
        "category",
        "'skill' or 'trait'",
    ),
    "category contradicts vocabulary": (
        "- id: curiosity\n    category: skill\n    weight: 1",
        "curiosity",
        "category",
        "'trait' in the competency vocabulary",
    ),
    "anchor outside scale": (
        "- id: copywriting\n    weight: 1\n    anchors: {0: nothing}",
        "copywriting",
        "anchors",
        "outside the scale 1-5",
    ),
    "anchor level not whole": (
        "- id: copywriting\n    weight: 1\n    anchors: {2.5: half}",
        "copywriting",
        "anchors",
        "whole numbers",
    ),
    "empty anchor text": (
        "- id: copywriting\n    weight: 1\n    anchors: {2: ''}",
        "copywriting",
        "anchors.2",
        "non-empty text",
    ),
    "must-have above scale": (
        "- id: copywriting\n    weight: 1\n    must_have: 6",
        "copywriting",
        "must_have",
        "outside the scale 1-5",
    ),
    "must-have below scale": (
        "- id: copywriting\n    weight: 1\n    must_have: 0",
        "copywriting",
        "must_have",
        "outside the scale 1-5",
    ),
    "must-have not a number": (
        "- id: copywriting\n    weight: 1\n    must_have: high",
        "copywriting",
        "must_have",
        "must be a number",
    ),
    "misspelt key": ("- id: copywriting\n    wieght: 1", "copywriting", "wieght", "unknown key"),
    "missing id": ("- weight: 1", "competency 2", "id", "missing"),
}


@pytest.mark.parametrize("case", list(BAD_CASES), ids=list(BAD_CASES))
def test_bad_competency_names_file_competency_and_field(tmp_path, case):
    body, where, field, message = BAD_CASES[case]
    text = "name: Bad\ncompetencies:\n  - id: analytics\n    weight: 1\n  " + body + "\n"
    error = error_for(tmp_path, text)
    assert error.file == str(tmp_path / "rubric.yaml")
    assert error.row == where and error.field == field
    assert message in error.message
    assert str(tmp_path / "rubric.yaml") in str(error) and where in str(error) and field in str(error)


def test_duplicate_competency(tmp_path):
    error = error_for(tmp_path, "competencies:\n- {id: copywriting, weight: 1}\n- {id: copywriting, weight: 2}\n")
    assert (error.row, error.field) == ("copywriting", "id") and "duplicate" in error.message


def test_weights_whose_sum_overflows(tmp_path):
    error = error_for(
        tmp_path, "competencies:\n- {id: copywriting, weight: 1.0e+308}\n- {id: curiosity, weight: 1.0e+308}\n"
    )
    assert error.field == "weight" and "too large" in error.message
    with pytest.raises(SmmrubricError, match="too large"):
        Rubric.equal(["copywriting", "curiosity"]).with_weights([1e308, 1e308])


def test_all_weights_zero(tmp_path):
    error = error_for(tmp_path, "competencies:\n- {id: copywriting, weight: 0}\n- {id: curiosity, weight: 0.0}\n")
    assert error.field == "weight" and "all zero" in error.message and error.file.endswith("rubric.yaml")


@pytest.mark.parametrize(
    "text, field, fragment",
    [
        ("name: x\ncompetencies: [\n", None, "malformed YAML"),
        ("name: x\n  competencies:\n - id: a\n", None, "malformed YAML"),
        ("- just\n- a list\n", None, "must be a mapping"),
        ("name: x\n", "competencies", "missing"),
        ("name: x\ncompetencies: {id: copywriting}\n", "competencies", "must be a list"),
        ("name: x\nscale: {min: 1}\ncompetencies: [{id: copywriting, weight: 1}]\n", "max", "missing"),
        ("name: x\nscale: {min: 5, max: 1}\ncompetencies: [{id: copywriting, weight: 1}]\n", "max", "greater"),
        ("name: x\nscale: {min: 1, max: 5.5}\ncompetencies: [{id: copywriting, weight: 1}]\n", "max", "whole"),
        (
            "name: x\nscale: {min: 1, max: 5, labels: {7: Wow}}\ncompetencies: [{id: copywriting, weight: 1}]\n",
            "labels",
            "outside the scale",
        ),
        (
            "name: x\nscale: {min: 1, max: 5, colour: red}\ncompetencies: [{id: copywriting, weight: 1}]\n",
            "colour",
            "unknown key",
        ),
        ("name: x\nauthor: me\ncompetencies: [{id: copywriting, weight: 1}]\n", "author", "unknown key"),
        ("name: ''\ncompetencies: [{id: copywriting, weight: 1}]\n", "name", "non-empty"),
        ("competencies: []\n", "competencies", "no competency"),
    ],
)
def test_bad_file_structure(tmp_path, text, field, fragment):
    error = error_for(tmp_path, text)
    assert error.file == str(tmp_path / "rubric.yaml")
    assert error.field == field and fragment in error.message


def test_malformed_yaml_names_the_line(tmp_path):
    error = error_for(tmp_path, "name: x\ncompetencies:\n  - id: copywriting\n    weight: [1\n")
    assert error.row is not None and re.fullmatch(r"line \d+", error.row)


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(SmmrubricError, match="no such file"):
        Rubric.from_yaml(tmp_path / "nope.yaml")
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Comp\xe9tences\ncompetencies: []\n".encode("latin-1"))
    with pytest.raises(SmmrubricError, match="UTF-8"):
        Rubric.from_yaml(path)


def test_custom_vocabulary(tmp_path):
    vocab = VOCAB.copy()
    vocab.loc["tiktok_dance"] = ["TikTok dance", "d", "skill", "b", pd.NA, pd.NA, pd.NA]
    rubric = Rubric.from_yaml(write(tmp_path, "competencies: [{id: tiktok_dance, weight: 1}]\n"), vocabulary=vocab)
    assert rubric.categories["tiktok_dance"] == "skill" and rubric.names["tiktok_dance"] == "TikTok dance"


# -- weights ---------------------------------------------------------------------------------------


def test_with_weights_accepts_mapping_series_and_sequence():
    rubric = Rubric.equal(["copywriting", "curiosity", "analytics"])
    a = rubric.with_weights({"analytics": 2, "copywriting": 1, "curiosity": 1})
    b = rubric.with_weights(pd.Series([1, 1, 2], index=["copywriting", "curiosity", "analytics"]))
    c = rubric.with_weights([1, 1, 2])
    assert a == b == c
    assert a.weights.tolist() == pytest.approx([0.25, 0.25, 0.5])
    assert rubric.weights.tolist() == pytest.approx([1 / 3] * 3)  # the original is unchanged


@pytest.mark.parametrize(
    "weights, row, fragment",
    [
        ({"copywriting": 1, "curiosity": 1}, "analytics", "no weight"),
        ({"copywriting": 1, "curiosity": 1, "analytics": 1, "budgeting": 1}, "budgeting", "not a competency"),
        ({"copywriting": -1, "curiosity": 1, "analytics": 1}, "copywriting", ">= 0"),
        ({"copywriting": float("nan"), "curiosity": 1, "analytics": 1}, "copywriting", "finite"),
        ([0, 0, 0], None, "all zero"),
        ([1, 2], None, "has 2 weights"),
    ],
)
def test_with_weights_errors(weights, row, fragment):
    rubric = Rubric.equal(["copywriting", "curiosity", "analytics"])
    with pytest.raises(SmmrubricError) as info:
        rubric.with_weights(weights)
    assert info.value.field == "weights" and fragment in info.value.message
    if row is not None:
        assert info.value.row == row


def test_with_category_share_keeps_proportions_within_categories():
    rubric = Rubric(
        [
            {"id": "copywriting", "weight": 3},
            {"id": "analytics", "weight": 1},
            {"id": "curiosity", "weight": 2},
            {"id": "passion", "weight": 6},
        ]
    )
    shifted = rubric.with_category_share(0.4)
    assert shifted.category_weights.to_dict() == pytest.approx({"skill": 0.4, "trait": 0.6})
    w = shifted.weights
    assert w["copywriting"] / w["analytics"] == pytest.approx(3.0)
    assert w["passion"] / w["curiosity"] == pytest.approx(3.0)
    assert w.to_dict() == pytest.approx({"copywriting": 0.3, "analytics": 0.1, "curiosity": 0.15, "passion": 0.45})
    only_skills = rubric.with_category_share(1.0)
    assert only_skills.weights[["curiosity", "passion"]].tolist() == pytest.approx([0.0, 0.0])


@settings(max_examples=40, deadline=None)
@given(raw=st.lists(st.floats(0.01, 100), min_size=4, max_size=4), s=st.floats(0, 1))
def test_with_category_share_property(raw, s):
    rubric = Rubric(
        [{"id": cid, "weight": w} for cid, w in zip(["copywriting", "analytics", "curiosity", "passion"], raw)]
    )
    shifted = rubric.with_category_share(s)
    assert shifted.category_weights["skill"] == pytest.approx(s, abs=1e-12)
    assert shifted.weights.sum() == pytest.approx(1.0)
    if s > 1e-9:  # (a subnormal share underflows the skill weights to 0)
        assert shifted.weights["copywriting"] / shifted.weights["analytics"] == pytest.approx(raw[0] / raw[1])


def test_with_category_share_errors():
    skills_only = Rubric.equal(["copywriting", "analytics"])
    with pytest.raises(SmmrubricError, match="no trait") as info:
        skills_only.with_category_share(0.5)
    assert info.value.field == "skill_share"
    assert skills_only.with_category_share(1.0) == skills_only.with_weights([0.5, 0.5])
    zero_traits = Rubric([{"id": "copywriting", "weight": 1}, {"id": "curiosity", "weight": 0}])
    with pytest.raises(SmmrubricError, match="no trait with a positive weight"):
        zero_traits.with_category_share(0.9)
    for bad in (-0.1, 1.1, float("nan"), "half"):
        with pytest.raises(SmmrubricError) as info:
            skills_only.with_category_share(bad)
        assert info.value.field == "skill_share"


# -- builders -------------------------------------------------------------------------------------


def test_roc_weights_barron_barrett():
    # Barron & Barrett (1996): n = 4 -> .5208, .2708, .1458, .0625
    assert roc_weights(4).tolist() == pytest.approx([0.5208, 0.2708, 0.1458, 0.0625], abs=5e-5)
    assert roc_weights(1).tolist() == pytest.approx([1.0])
    for n in (2, 7, 10):
        w = roc_weights(n)
        assert w.sum() == pytest.approx(1.0) and np.all(np.diff(w) < 0)
        assert w[0] == pytest.approx(sum(1 / k for k in range(1, n + 1)) / n)
    with pytest.raises(SmmrubricError, match="field 'n'"):
        roc_weights(0)


def test_from_list_roc_for_a_ranked_list():
    # no bundled list is ranked by importance; a copy of Buffer's list read as ranked (a coding scenario)
    ranked = LISTS.assign(ranked=LISTS["list_id"].eq("buffer_2017"))
    rubric = Rubric.from_list(ranked, "roc", list_id="buffer_2017")
    ids = rubric.competency_ids
    assert ids[:3] == ["copywriting", "visual_content", "public_speaking"]
    assert rubric.weights.to_numpy() == pytest.approx(roc_weights(len(ids)))
    assert rubric.name == "Buffer (2017)"
    # numbered is not ranked: the bundled Buffer list refuses rank-order weights
    with pytest.raises(SmmrubricError, match="not ranked by importance"):
        Rubric.from_list(LISTS, "roc", list_id="buffer_2017")


def test_from_list_equal_and_sequence():
    rubric = Rubric.from_list(LISTS[LISTS["list_id"] == "eyer"])
    assert rubric.weights.tolist() == pytest.approx([0.2] * 5)
    seq = Rubric.from_list(["curiosity", "analytics"], "roc")
    assert seq.weights.tolist() == pytest.approx([0.75, 0.25])


def test_from_list_errors():
    with pytest.raises(SmmrubricError, match="not ranked") as info:
        Rubric.from_list(LISTS, "roc", list_id="eyer")  # an unranked list: roc is an error
    assert info.value.field == "weighting" and info.value.row == "eyer"
    with pytest.raises(SmmrubricError, match="choose one with list_id"):
        Rubric.from_list(LISTS)
    with pytest.raises(SmmrubricError, match="no list 'nobody'"):
        Rubric.from_list(LISTS, list_id="nobody")
    with pytest.raises(SmmrubricError, match="field 'weighting'"):
        Rubric.from_list(["curiosity"], "rank")
    with pytest.raises(SmmrubricError, match="without a category"):
        Rubric.from_list(["not_a_competency"])
    with pytest.raises(SmmrubricError, match="at least one"):
        Rubric.equal([])


def test_consensus_frequency_counts_lists():
    rubric = Rubric.consensus(LISTS)
    counts = competency_counts(LISTS)["n_lists"]
    assert rubric.raw_weights.to_dict() == {k: float(v) for k, v in counts.items()}
    assert rubric.competency_ids == list(counts.index)  # by count, then id
    assert rubric.raw_weights["analytics"] == 8  # named by 8 of the 13 lists
    assert rubric.weights.sum() == pytest.approx(1.0)


def test_consensus_min_experts_and_borda():
    kept = Rubric.consensus(LISTS, min_experts=3)
    counts = competency_counts(LISTS)["n_lists"]
    assert set(kept.competency_ids) == set(counts.index[counts >= 3])
    points = borda(rankings_from_expert_lists(LISTS))["score"]
    by_borda = Rubric.consensus(LISTS, method="borda")
    assert by_borda.raw_weights.to_dict() == pytest.approx(points.to_dict())
    assert list(by_borda.raw_weights) == sorted(by_borda.raw_weights, reverse=True)


def test_consensus_from_mapping_by_hand():
    # three lists over 3 competencies (N = 3): Borda points N - position
    rankings = {"a": ["copywriting", "analytics"], "b": ["analytics"], "c": [("copywriting", "curiosity")]}
    freq = Rubric.consensus(rankings)
    assert freq.raw_weights.to_dict() == pytest.approx({"analytics": 2.0, "copywriting": 2.0, "curiosity": 1.0})
    bord = Rubric.consensus(rankings, method="borda")
    # copywriting: (3-1) + (3-1.5) = 3.5; analytics: (3-2) + (3-1) = 3; curiosity: 3-1.5 = 1.5
    assert bord.raw_weights.to_dict() == pytest.approx({"copywriting": 3.5, "analytics": 3.0, "curiosity": 1.5})


def test_consensus_errors():
    with pytest.raises(SmmrubricError, match="field 'min_experts'"):
        Rubric.consensus(LISTS, min_experts=14)
    with pytest.raises(SmmrubricError, match="field 'min_experts'"):
        Rubric.consensus(LISTS, min_experts=0)
    with pytest.raises(SmmrubricError, match="field 'method'"):
        Rubric.consensus(LISTS, method="vote")
    with pytest.raises(SmmrubricError, match="field 'expert_lists'"):
        Rubric.consensus(["copywriting"])


def test_the_documented_example_parses(tmp_path):
    """The YAML example in the module docstring is a valid rubric."""
    import smmrubric.rubric as module

    doc = module.__doc__
    example = textwrap.dedent(doc[doc.index("::\n\n") + 4 : doc.index("\n\nUnknown keys")])
    rubric = Rubric.from_yaml(write(tmp_path, example))
    assert rubric.competency_ids == ["copywriting", "video_editing"]
    assert rubric.must_have["copywriting"] == 3 and rubric.categories["video_editing"] == "skill"
    assert set(rubric.anchors["copywriting"]) == {1, 5}


# -- review of issue 3: inputs that used to slip through or raise the wrong error ------------------


def test_integer_too_large_for_a_float_is_a_clear_error(tmp_path):
    huge = "1" + "0" * 400
    error = error_for(tmp_path, f"competencies:\n- {{id: copywriting, weight: {huge}}}\n")
    assert (error.row, error.field) == ("copywriting", "weight") and "finite" in error.message
    error = error_for(tmp_path, f"competencies:\n- {{id: copywriting, weight: 1, must_have: {huge}}}\n")
    assert (error.row, error.field) == ("copywriting", "must_have") and "finite" in error.message


def test_a_key_given_twice_is_refused_with_its_line(tmp_path):
    error = error_for(tmp_path, "name: x\ncompetencies:\n  - id: copywriting\n    weight: 4\n    weight: 1\n")
    assert error.row == "line 5" and "'weight' appears twice" in error.message
    error = error_for(tmp_path, "name: x\nname: y\ncompetencies: [{id: copywriting, weight: 1}]\n")
    assert error.row == "line 2" and "'name'" in error.message


def test_exponent_numbers_without_a_dot_are_numbers(tmp_path):
    # YAML 1.2 reads 1e-3 as a number; PyYAML's YAML 1.1 rules would make it the text '1e-3'
    rubric = Rubric.from_yaml(
        write(
            tmp_path,
            "competencies:\n- {id: copywriting, weight: 1e-3, must_have: 2E0}\n- {id: curiosity, weight: 3e-3}\n",
        )
    )
    assert rubric.raw_weights.tolist() == pytest.approx([0.001, 0.003]) and rubric.must_have[
        "copywriting"
    ] == pytest.approx(2.0)
    assert rubric.weights.tolist() == pytest.approx([0.25, 0.75])
    assert Rubric.from_yaml(rubric.to_yaml(tmp_path / "back.yaml")) == rubric
    # text that looks like such a number is written quoted, so the round trip stays lossless
    texts = Rubric(
        [{"id": "copywriting", "weight": 1, "name": "1e5", "anchors": {2: "2E3"}}],
        name="3e2",
        description="-1e1",
        scale=Scale(1, 5, {1: "5e0"}),
    )
    assert Rubric.from_yaml(texts.to_yaml(tmp_path / "texts.yaml")) == texts
    assert "name: '3e2'" in texts.to_yaml_string()
    assert yaml.safe_load("1e3") == "1e3"  # PyYAML's own loader is left unchanged


@pytest.mark.parametrize("value", ["0", "''", "[]", "false"])
def test_anchors_that_are_not_a_mapping_are_refused(tmp_path, value):
    error = error_for(tmp_path, f"competencies:\n- {{id: copywriting, weight: 1, anchors: {value}}}\n")
    assert (error.row, error.field) == ("copywriting", "anchors")
    # an empty "anchors:" line means no anchors
    assert (
        Rubric.from_yaml(write(tmp_path, "competencies:\n- id: copywriting\n  weight: 1\n  anchors:\n")).anchors == {}
    )


def test_from_yaml_needs_a_path():
    with pytest.raises(SmmrubricError, match="field 'path'"):
        Rubric.from_yaml(None)


@pytest.mark.parametrize(
    "weights",
    [
        [True, False],
        {"copywriting": True, "curiosity": 1},
        np.array([True, True]),
        pd.Series({"copywriting": True, "curiosity": False}),
    ],
)
def test_with_weights_refuses_booleans(weights):
    with pytest.raises(SmmrubricError, match="True/False"):
        Rubric.equal(["copywriting", "curiosity"]).with_weights(weights)


# -- issue 15: YAML 1.2 readings, bounded and refused documents, writing errors, a fuzz ------------------


def test_yaml_is_read_as_yaml_1_2_in_a_rubric(tmp_path):
    rubric = Rubric.from_yaml(
        write(
            tmp_path,
            """\
        name: 1:30
        scale: {min: 1, max: 5, labels: {1: No, 5: Yes}}
        competencies:
          - {id: copywriting, weight: 010}
          - {id: curiosity, weight: 2.5e3, anchors: {3: off}}
        """,
        )
    )
    assert rubric.name == "1:30" and rubric.scale.labels == {1: "No", 5: "Yes"}
    assert rubric.raw_weights.tolist() == pytest.approx([10.0, 2500.0]) and rubric.anchors == {"curiosity": {3: "off"}}
    assert Rubric.from_yaml(rubric.to_yaml(tmp_path / "back.yaml")) == rubric
    assert "name: '1:30'" in rubric.to_yaml_string() and "1: 'No'" in rubric.to_yaml_string()


@pytest.mark.parametrize(
    "text, row, field, fragment",
    [
        (
            "scale: {min: 1, max: 5, labels: {3: a, '3': b}}\ncompetencies: [{id: copywriting, weight: 1}]\n",
            "scale",
            "labels",
            "two labels for level 3",
        ),
        ('name: "a\\0b"\ncompetencies: [{id: copywriting, weight: 1}]\n', None, "name", "NUL"),
        ('competencies: [{id: copywriting, weight: 1, anchors: {2: "x\\0"}}]\n', "copywriting", "anchors.2", "NUL"),
        ("competencies: [{id: copywriting, weight: !!float x}]\n", "line 1", None, "cannot be read as a number"),
        ("competencies: [{id: copywriting, weight: True}]\n", "copywriting", "weight", "must be a number, got True"),
        (
            "competencies: [{id: copywriting, weight: 1, must_have: 2024-01-31}]\n",
            "copywriting",
            "must_have",
            "must be a number, got '2024-01-31'",
        ),
    ],
)
def test_values_yaml_1_1_would_misread_or_a_rubric_cannot_hold(tmp_path, text, row, field, fragment):
    error = error_for(tmp_path, text)
    assert (error.row, error.field) == (row, field) and fragment in error.message


@pytest.mark.slow
def test_errors_print_a_bounded_part_of_huge_values(tmp_path):
    bomb = "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
    cases = {
        "huge text weight": f"competencies: [{{id: copywriting, weight: {'x' * 10**6}}}]\n",
        "huge list": "competencies: [{id: copywriting, weight: [" + "1, " * 10**5 + "1]}]\n",
        "alias bomb": "a0: &a0 [lol]\n" + bomb + "competencies: *a9\n",
        "huge key": f"competencies:\n- id: copywriting\n  ? {'k' * 10**6}\n  : 1\n",
        "huge id": f"competencies: [{{id: {'i' * 10**5}, weight: 1}}]\n",
    }
    for case, text in cases.items():
        error = error_for(tmp_path, text)
        assert len(str(error)) < 800, (case, len(str(error)))


def test_files_that_cannot_be_read_or_written_give_one_error(tmp_path, monkeypatch):
    import tempfile

    with pytest.raises(SmmrubricError, match="is a folder, not a file"):
        Rubric.from_yaml(tmp_path)
    rubric = Rubric.equal(["copywriting"])
    with pytest.raises(SmmrubricError, match="is a folder; give a file name"):
        rubric.to_yaml(tmp_path)
    with pytest.raises(SmmrubricError, match="field 'path': must be a file path, got 42"):
        rubric.to_yaml(42)

    def read_only(*args, dir=None, prefix="", **kwargs):  # as a read-only folder refuses (even as root)
        raise PermissionError(13, "Permission denied", os.path.join(dir, prefix + "x.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(SmmrubricError) as info:
        rubric.to_yaml(tmp_path / "r.yaml")
    assert str(info.value) == f"{tmp_path / 'r.yaml'}: cannot write the file: permission denied"


_RUBRIC_SNIPPETS = [
    "&a ",
    "*a",
    "!!int ",
    "!!float ",
    "!!bool ",
    "[",
    "]",
    "{",
    "}",
    ": ",
    ", ",
    "- ",
    "\n",
    "\n  ",
    "'",
    '"',
    "#",
    "010",
    "1:30",
    "No",
    "2.5e3",
    ".inf",
    "-1",
    "0",
    "9" * 400,
    "weight",
    "id",
    "anchors",
    "must_have",
    "category",
    "trait",
    "copywriting",
    "scale",
    "labels",
    "\x00",
    "\t",
]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_fuzz_from_yaml_gives_a_rubric_or_one_project_error(tmp_path_factory, data):
    """A valid rubric file damaged anywhere: Rubric.from_yaml returns a rubric or raises SmmrubricError."""
    text = textwrap.dedent(GOOD)
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text = text[:at] + data.draw(st.sampled_from(_RUBRIC_SNIPPETS) | st.text(max_size=4)) + text[at:]
        else:
            text = text[:at] + text[at + data.draw(st.integers(1, 12)) :]
    path = tmp_path_factory.mktemp("fuzz") / "r.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        rubric = Rubric.from_yaml(path)
    except SmmrubricError as exc:
        assert exc.file == str(path) and len(str(exc)) < 1_000
    else:
        assert isinstance(rubric, Rubric) and len(rubric) >= 1
        assert Rubric.from_yaml(rubric.to_yaml(path)) == rubric
