"""The interview scorecard and its blank ratings sheet: every anchor shown, and the filled sheet ranks."""

from __future__ import annotations

import html
import io

import openpyxl
import pandas as pd
import pytest
import yaml

from smmrubric import Rubric, SmmrubricError
from smmrubric.cli import main
from smmrubric.paths import data_dir
from smmrubric.scorecard import (
    ratings_template,
    scorecard_html,
    scorecard_markdown,
    write_ratings_template,
    write_scorecard,
)

EXAMPLE = data_dir() / "examples" / "interview_rubric.yaml"
ODD = """\
name: "Odd <script>alert(1)</script> | rubric"
scale: {min: 0, max: 2, labels: {0: None yet, 2: Fully}}
competencies:
  - {id: "=cmd", name: "Pipes | and <tags>", category: skill, weight: 1, must_have: 1,
     anchors: {0: "Says \\"no\\" & leaves", 2: "Uses | pipes"}}
  - {id: curiosity, weight: 3}
"""


@pytest.fixture(scope="module")
def example() -> Rubric:
    return Rubric.from_yaml(EXAMPLE)


def test_the_example_rubric_anchors_every_level(example):
    assert len(example) == 8 and example.must_have.notna().sum() == 2
    assert all(sorted(levels) == example.scale.levels for levels in example.anchors.values())
    assert set(example.anchors) == set(example.competency_ids)


def test_html_scorecard_shows_every_anchor_grouped_by_category(example):
    page = scorecard_html(example)
    for cid, levels in example.anchors.items():
        for text in levels.values():
            assert html.escape(text) in page, (cid, text)
    skills, traits = page.index("<h2>Skills (65% of the weight)"), page.index("<h2>Traits (35% of the weight)")
    assert skills < traits
    for cid, category in example.categories.items():
        assert (page.index(f"id='{cid}'") < traits) == (category == "skill"), cid
    # weights as shares of the total (analytics 8 of 40), must-haves with the level's label
    assert "weight 20.0% · must have: at least 3 (Adequate)" in page
    assert "weight 10.0% · no must-have level" in page
    assert page.count("<td>Interviewer 3</td>") == 8 and "Interviewer 4" not in page
    assert page.count("○ 1 ○ 2 ○ 3 ○ 4 ○ 5") == 24
    assert "Evidence: what the candidate said or did" in page
    assert "Reading, interpreting and acting on social and business metrics" in page  # the vocabulary's definition
    named = scorecard_html(example, interviewers=["ana", "ben"])
    assert named.count("<td>ana</td>") == 8 and "Interviewer 1" not in named


def test_markdown_scorecard_shows_every_anchor(example):
    text = scorecard_markdown(example, interviewers=2)
    for levels in example.anchors.values():
        for anchor in levels.values():
            assert anchor in text
    assert text.index("## Skills") < text.index("## Traits")
    assert "| Analytics | skill | 20.0% | at least 3 (Adequate) |" in text
    assert text.count("| Interviewer 2 | ○ 1 ○ 2 ○ 3 ○ 4 ○ 5 | |") == 8


def test_rubric_text_is_escaped_and_levels_without_anchor_show_their_label():
    odd = Rubric.from_dict(yaml.safe_load(ODD))
    page = scorecard_html(odd)
    assert "<script>" not in page and "&lt;script&gt;" in page and "Pipes | and &lt;tags&gt;" in page
    assert html.escape('Says "no" & leaves') in page
    assert "<td class='level'>1</td><td class='label'></td><td><i>no anchor</i></td>" in page
    assert "<td class='level'>0</td><td class='label'>None yet</td>" in page
    assert "must have: at least 1" in page
    text = scorecard_markdown(odd)
    assert "| Pipes \\| and <tags> | skill | 25.0% | at least 1 |" in text
    assert "| 2 | Fully | Uses \\| pipes |" in text and "| 1 |  | *no anchor* |" in text


def test_a_rubric_without_anchors_still_gives_a_card():
    consensus = Rubric.from_yaml(data_dir() / "rubrics" / "consensus.yaml")
    page = scorecard_html(consensus)
    assert page.count("<i>no anchor</i>") == 30 * 5 and page.count("<section class='competency'") == 30


def test_write_scorecard_by_suffix_never_overwriting(example, tmp_path):
    card = write_scorecard(example, tmp_path / "card.html")
    assert card.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert write_scorecard(example, tmp_path / "card.md").read_text(encoding="utf-8").startswith("# Interview")
    with pytest.raises(SmmrubricError, match="refusing to overwrite"):
        write_scorecard(example, card)
    with pytest.raises(SmmrubricError, match=r"\.html or \.md"):
        write_scorecard(example, tmp_path / "card.pdf")


def test_templates_in_both_layouts(example):
    wide = ratings_template(example, candidates=["ann", "bob"], raters=["r1", "r2"])
    assert list(wide.columns) == ["candidate_id", "rater_id", *example.competency_ids]
    assert wide[["candidate_id", "rater_id"]].values.tolist() == [
        ["ann", "r1"],
        ["ann", "r2"],
        ["bob", "r1"],
        ["bob", "r2"],
    ]
    assert wide[example.competency_ids].isna().all().all()
    assert ratings_template(example).shape == (0, 10)  # the team adds the rows
    long = ratings_template(example, layout="long", candidates=["ann"], raters=["r1", "r2"])
    assert list(long.columns) == ["candidate_id", "rater_id", "competency_id", "score"] and len(long) == 16
    assert long["competency_id"].tolist()[:8] == example.competency_ids
    for kwargs, field in (
        ({"layout": "long"}, "candidates"),
        ({"candidates": ["a", "a"], "raters": ["r"]}, "candidates"),
        ({"candidates": ["a"]}, "raters"),
        ({"candidates": [""], "raters": ["r"]}, "candidates"),
        ({"layout": "tall"}, "layout"),
    ):
        with pytest.raises(SmmrubricError) as info:
            ratings_template(example, **kwargs)
        assert info.value.field == field


def test_xlsx_template_checks_the_scale_and_carries_the_anchors(example, tmp_path):
    path = write_ratings_template(example, tmp_path / "ratings.xlsx", candidates=["=ann"], raters=["r1"])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["ratings", "rubric"]  # the reader reads the first sheet
    sheet = book["ratings"]
    header = [c.value for c in sheet[1]]
    assert header == ["candidate_id", "rater_id", *example.competency_ids]
    assert sheet["A2"].value == "=ann" and sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    (check,) = sheet.data_validations.dataValidation
    assert (check.type, check.operator, check.formula1, check.formula2) == ("decimal", "between", "1", "5")
    assert str(check.sqref).split()[0] == "C2:C201"
    assert "Analytics (skill, weight 20.0%)" in sheet["C1"].comment.text
    assert example.anchors["analytics"][5] in sheet["C1"].comment.text
    rubric_sheet = list(book["rubric"].iter_rows(values_only=True))
    assert rubric_sheet[0][:5] == ("competency_id", "name", "category", "weight_percent", "must_have")
    assert rubric_sheet[1][:5] == pytest.approx(("analytics", "Analytics", "skill", 20.0, 3))
    with pytest.raises(SmmrubricError, match="refusing to overwrite"):
        write_ratings_template(example, path)
    with pytest.raises(SmmrubricError, match=r"\.xlsx or \.csv"):
        write_ratings_template(example, tmp_path / "ratings.ods")


# -- the round trip: template -> filled by the team -> smmrubric rank ---------------------------------------

#: Mean ratings per candidate (both raters): cat 4.5 everywhere; ann 4; bob 3 except analytics 2, below its
#: must-have (3), so bob ranks after everyone who meets them whatever the total (compensatory rule).
FILL = {("ann", "r1"): 4, ("ann", "r2"): 4, ("bob", "r1"): 3, ("bob", "r2"): 3, ("cat", "r1"): 5, ("cat", "r2"): 4}


def _score(candidate: str, rater: str, competency: str) -> int:
    return 2 if (candidate, competency) == ("bob", "analytics") else FILL[(candidate, rater)]


def _fill_xlsx(path, layout: str) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["ratings"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        values = {h: c.value for h, c in zip(header, row, strict=True)}
        if layout == "wide":
            for cell, competency in zip(row[2:], header[2:], strict=True):
                cell.value = _score(values["candidate_id"], values["rater_id"], competency)
        else:
            row[3].value = _score(values["candidate_id"], values["rater_id"], values["competency_id"])
    book.save(path)


def _fill_csv(path, layout: str) -> None:
    table = pd.read_csv(path, dtype=str)
    if layout == "wide":
        for competency in table.columns[2:]:
            table[competency] = [
                _score(c, r, competency) for c, r in zip(table["candidate_id"], table["rater_id"], strict=True)
            ]
    else:
        table["score"] = [_score(*key) for key in table[["candidate_id", "rater_id", "competency_id"]].values]
    table.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("suffix", "layout"),
    [
        (".csv", "long"),
        pytest.param(".csv", "wide"),
        pytest.param(".xlsx", "wide"),
        pytest.param(".xlsx", "long"),
    ],
)
def test_filled_template_ranks_with_smmrubric_rank(tmp_path, capsys, suffix, layout):
    sheet = tmp_path / f"ratings{suffix}"
    assert (
        main(
            [
                "scorecard",
                str(EXAMPLE),
                "--template",
                str(sheet),
                "--layout",
                layout,
                "--candidates",
                "ann",
                "bob",
                "cat",
                "--raters",
                "r1",
                "r2",
            ]
        )
        == 0
    )
    capsys.readouterr()
    (_fill_xlsx if suffix == ".xlsx" else _fill_csv)(sheet, layout)
    ranked = tmp_path / "ranked.csv"
    assert main(["rank", str(EXAMPLE), str(sheet), "--out", str(ranked)]) == 0
    table = pd.read_csv(ranked, index_col="candidate_id")
    assert table.index.tolist() == ["cat", "ann", "bob"]
    assert table["rank"].tolist() == [1, 2, 3]
    assert table["must_haves_met"].tolist() == [True, True, False]
    # bob: analytics (weight 8 of 40) at 2, the rest at 3
    assert table["total"].tolist() == pytest.approx([4.5, 4.0, 3 - 8 / 40])


def test_scorecard_command(tmp_path, capsys):
    card, sheet = tmp_path / "card.md", tmp_path / "ratings.xlsx"
    assert (
        main(["scorecard", str(EXAMPLE), "--out", str(card), "--template", str(sheet), "--raters", "ana", "ben"]) == 0
    )
    out = capsys.readouterr().out
    assert f"scorecard: {card}" in out and f"smmrubric rank {EXAMPLE} {sheet}" in out
    assert card.read_text(encoding="utf-8").count("| ana | ○ 1") == 8
    before = card.read_bytes()
    for argv, fragment in (
        ([], "give --out"),
        (["--out", str(card)], "the file exists; give another name, or --force"),
        (["--template", str(sheet)], "field '--template': the file exists"),
        (["--out", str(EXAMPLE)], "is one of the input files"),
        (["--template", str(tmp_path / "x.csv"), "--layout", "long"], "a long template needs"),
        (["--out", str(tmp_path / "c.pdf")], "end the file name with .html or .md"),
    ):
        assert main(["scorecard", str(EXAMPLE), *argv]) == 1
        err = capsys.readouterr().err
        assert err.startswith("smmrubric: error:") and fragment in err and "Traceback" not in err
    assert card.read_bytes() == before and not (tmp_path / "x.csv").exists()
    assert main(["scorecard", str(EXAMPLE), "--out", str(card), "--force", "--interviewers", "1"]) == 0
    assert "Interviewer 1" in card.read_text(encoding="utf-8") and "Interviewer 2" not in card.read_text()
    book = openpyxl.load_workbook(io.BytesIO(sheet.read_bytes()))
    assert [c.value for c in book["ratings"]["B"]][1:] == []  # no candidates given: rows left to the team
