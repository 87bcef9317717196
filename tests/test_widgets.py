"""The rubric playground, driven in plain pytest by setting values and reading what it shows.

The small cases are computed by hand (weights ``w = r / sum r``, totals ``x @ w``, competition ranks);
the properties are checked with hypothesis on random slider positions.
"""

from __future__ import annotations

import datetime
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from smmrubric import Rubric, SmmrubricError
from smmrubric.widgets import EQUAL, MAX_POINTS, RubricPlayground, default_presets, describe_presets, results_dir

LINES = [
    {"id": "a", "name": "Skill A", "category": "skill", "weight": 1},
    {"id": "b", "name": "Skill B", "category": "skill", "weight": 1},
    {"id": "c", "name": "Trait C", "category": "trait", "weight": 1},
]
VOCAB = pd.DataFrame(
    {"name": ["Skill A", "Skill B", "Trait C"], "category": ["skill", "skill", "trait"]},
    index=pd.Index(["a", "b", "c"], name="competency_id"),
)
#: X = (5, 1, 2), Y = (1, 5, 4), Z = (3, 3, 3). Equal weights: X 8/3, Y 10/3, Z 3 -> Y 1st, Z 2nd, X 3rd.
SCORES = pd.DataFrame(
    [[5, 1, 2], [1, 5, 4], [3, 3, 3]],
    index=pd.Index(["X", "Y", "Z"], name="candidate_id"),
    columns=["a", "b", "c"],
    dtype=float,
)
RUBRIC_YAML = """\
name: Two skills
competencies:
  - {id: a, name: Skill A, category: skill, weight: 3}
  - {id: b, name: Skill B, category: skill, weight: 1}
"""


def small_rubric(**weights: float) -> Rubric:
    lines = [{**line, "weight": weights.get(line["id"], line["weight"])} for line in LINES]
    return Rubric(lines, name="small", vocabulary=VOCAB)


def make_playground(directory, chart: bool = True, robustness: bool = False, **kwargs) -> RubricPlayground:
    presets = {"equal": small_rubric(), "only b": Rubric([LINES[1]], name="only b", vocabulary=VOCAB)}
    return RubricPlayground(
        small_rubric(),
        SCORES,
        **{
            "presets": presets,
            "k": 2,
            "show": 3,
            "directory": directory,
            "chart": chart,
            "robustness": robustness,
            **kwargs,
        },
    )


@pytest.fixture
def playground(tmp_path) -> RubricPlayground:
    """Without the chart and the robustness column (they have their own tests)."""
    return make_playground(tmp_path / "results", chart=False)


def descendants(widget) -> list:
    children = list(getattr(widget, "children", ()))
    return children + [d for c in children for d in descendants(c)]


def ranks(pg: RubricPlayground) -> dict[str, int]:
    return {cid: int(r) for cid, r in pg.table["rank"].items()}


def upload(widget, name: str, content: bytes) -> None:
    """What the browser does when a file is chosen in a FileUpload."""
    widget.value = (
        {
            "name": name,
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime(2026, 1, 1),
        },
    )


def test_start_loaded_as_percent_and_nothing_moved(playground):
    assert playground.points().tolist() == pytest.approx([100 / 3] * 3)
    assert ranks(playground) == {"Y": 1, "Z": 2, "X": 3}
    assert playground.table["total"].tolist() == pytest.approx([10 / 3, 3, 8 / 3])
    assert not playground.table["moved"].any()
    assert playground.agreement["top_k_overlap"] == pytest.approx(1.0)
    assert playground.agreement["rbo"] == pytest.approx(1.0, abs=1e-12)  # RBO^b: 1 when nothing moved
    assert "smmrubric-moved" not in playground.ranking.value
    assert playground.share_slider.value == 67  # skills' share in percent


def test_sliders_are_scaled_to_the_weights(playground):
    # the first slider end at least twice the largest weight loaded: 2 x 33.3 -> 80
    assert {s.max for s in playground.weight_sliders.values()} == {80}
    assert [b.value for b in playground.weight_boxes.values()] == [33.3] * 3  # the number boxes, rounded
    playground.select_start("only b")  # 100 points -> 200
    assert {s.max for s in playground.weight_sliders.values()} == {200}
    # a number typed past the end stretches every slider, and the slider shows the value
    playground.select_start("equal")
    playground.weight_boxes["a"].value = 250
    assert playground.points()["a"] == 250
    assert {s.max for s in playground.weight_sliders.values()} == {300}
    assert playground.weight_sliders["a"].value == 250


def test_moving_a_slider_reranks_and_highlights(playground):
    # all weight on skill A: X 5, Z 3, Y 1
    playground.set_weights({"b": 0, "c": 0})
    playground.weight_sliders["a"].value = 50
    assert ranks(playground) == {"X": 1, "Z": 2, "Y": 3}
    assert playground.table["total"].tolist() == pytest.approx([5.0, 3.0, 1.0])
    assert playground.table["rank_change"].tolist() == [2, 0, -2]  # compare rank - rank
    assert playground.table["moved"].tolist() == [True, False, True]
    assert playground.ranking.value.count("smmrubric-moved") == 2
    assert "▲2" in playground.ranking.value and "▼2" in playground.ranking.value
    # top-2: {X, Z} now, {Y, Z} compared with -> 1 shared of 2
    assert playground.agreement["top_k_overlap"] == pytest.approx(0.5)
    assert "<b>0.50</b>" in playground.agreement_text.value
    assert playground.agreement["kendall_tau"] == pytest.approx(
        -1.0
    )  # X > Z > Y now, Y > Z > X before: every pair flips
    assert playground.share_slider.value == 100
    assert playground.weight_boxes["a"].value == 50  # the box follows its slider


def test_one_slider_change_gives_hand_computed_totals(playground):
    playground.weight_boxes["c"].value = 0  # a and b at 100/3 each: totals (a + b) / 2
    assert playground.table["total"].to_dict() == pytest.approx({"X": 3.0, "Y": 3.0, "Z": 3.0})
    assert ranks(playground) == {"X": 1, "Y": 1, "Z": 1}  # competition ranks of a three-way tie
    assert playground.table.index.tolist() == ["X", "Y", "Z"]  # ties shown by id
    # top-2 of a three-way tie: each candidate in with probability 2/3; the compared top 2 is {Y, Z}
    assert playground.agreement["top_k_overlap"] == pytest.approx((2 / 3 + 2 / 3) / 2)
    assert np.isnan(playground.agreement["kendall_tau"]) and "tau n/a" in playground.agreement_text.value
    assert playground.rubric.weights.tolist() == pytest.approx([0.5, 0.5, 0.0])


def test_share_slider_rescales_within_categories(playground):
    playground.set_weights({"a": 10, "b": 30, "c": 60})
    assert playground.share_slider.value == 40
    playground.share_slider.value = 80
    # r'_a = T s r_a / (r_a + r_b) = 100 * 0.8 * 10 / 40; r'_b = 100 * 0.8 * 30 / 40; r'_c = 100 * 0.2
    assert playground.points().tolist() == pytest.approx([20.0, 60.0, 20.0])
    assert playground.rubric.category_weights["skill"] == pytest.approx(0.8)
    # X = .2*5 + .6*1 + .2*2 = 2.0; Y = .2*1 + .6*5 + .2*4 = 4.0; Z = 3.0
    assert playground.table["total"].to_dict() == pytest.approx({"Y": 4.0, "Z": 3.0, "X": 2.0})


def test_share_slider_refuses_a_category_without_weight(playground):
    playground.start_menu.value = "only b"
    assert playground.points().tolist() == pytest.approx([0.0, 100.0, 0.0])
    before = playground.table.copy()
    playground.share_slider.value = 50
    assert "no trait with a positive weight" in playground.status.value
    assert playground.share_slider.value == 100
    assert playground.points().tolist() == pytest.approx([0.0, 100.0, 0.0])
    pd.testing.assert_frame_equal(playground.table, before)


def test_all_weights_zero_keeps_the_last_table(playground):
    before = playground.table.copy()
    playground.set_weights({"a": 0, "b": 0, "c": 0})
    assert "Every weight is 0" in playground.status.value
    pd.testing.assert_frame_equal(playground.table, before)


def test_start_from_and_compare_with_are_separate(playground):
    playground.start_menu.value = "only b"
    # only b: Y 5, Z 3, X 1 -- compared with equal weights (Y, Z, X): nobody moved, but the weights did
    assert ranks(playground) == {"Y": 1, "Z": 2, "X": 3}
    assert playground.compare_menu.value == "equal"
    assert playground.compare_rubric.weights.tolist() == pytest.approx([1 / 3] * 3)
    playground.compare_menu.value = "only b"
    assert playground.points().tolist() == pytest.approx([0.0, 100.0, 0.0])  # comparing changes no weight
    playground.set_weights({"a": 100})  # a and b equal: X 3, Y 3, Z 3; compared with only b (Y, Z, X)
    assert playground.table["moved"].tolist() == [True, False, True]  # all tie at 1: Y stays first
    assert "rank in only b" in playground.ranking.value
    playground.reset_button.click()
    assert playground.points().tolist() == pytest.approx([0.0, 100.0, 0.0])
    assert not playground.table["moved"].any()
    playground.select_start("equal")  # Y, Z, X under both weightings
    assert playground.compare_menu.value == "only b" and not playground.table["moved"].any()


def test_hurdle_rule_leaves_knocked_out_candidates_unranked(tmp_path):
    # must-have: Trait C at least 3; X (C = 2) is screened out under the multiple-hurdle rule
    lines = [LINES[0], LINES[1], {**LINES[2], "must_have": 3}]
    rubric = Rubric(lines, name="hurdle", vocabulary=VOCAB)
    pg = RubricPlayground(
        rubric, SCORES, presets={"equal": rubric}, rule="hurdle", k=2, show=3, directory=tmp_path, chart=False
    )
    assert pg.table["rank"].tolist()[:2] == [1, 2] and pd.isna(pg.table["rank"].iloc[2])
    assert pg.table.index.tolist() == ["Y", "Z", "X"]
    assert not pg.table["moved"].any() and pg.agreement["top_k_overlap"] == pytest.approx(1.0)
    assert "must-haves met" in pg.ranking.value
    assert pg.table["top_k_chance"].tolist() == pytest.approx([1.0, 1.0, 0.0])  # Y and Z are the only ones ranked
    pg.set_weights({"a": 100, "b": 0, "c": 0})  # X would win on A but stays screened out
    assert pg.table.index.tolist() == ["Z", "Y", "X"] and pd.isna(pg.table.loc["X", "rank"])
    assert pg.table["moved"].tolist() == [True, True, False]


def test_robustness_column_is_shortlist_chance(tmp_path):
    from smmrubric.sensitivity import shortlist_chance

    pg = make_playground(tmp_path, chart=False, robustness=True, n_draws=500, concentration=20, seed=3)
    expected = shortlist_chance(SCORES, pg.rubric.weights, 2, concentration=20, n_draws=500, seed=3)
    pd.testing.assert_series_equal(pg.robustness, expected)
    assert pg.table["top_k_chance"].to_dict() == pytest.approx(expected.to_dict())
    assert "stays in top 2" in pg.ranking.value and "500 weightings" in pg.agreement_text.value
    assert pg.robustness.sum() == pytest.approx(2.0)  # two places shared out
    before = pg.robustness.copy()
    pg.set_weights({"a": 90})  # X's weight: X's chance up
    assert pg.robustness["X"] > before["X"]


def test_save_rounds_the_weights_into_results_and_asks_before_overwriting(playground, tmp_path):
    playground.set_weights({"a": 10, "b": 30, "c": 60})
    playground.share_slider.value = 55  # points now 100 * .55 * 1/4, 100 * .55 * 3/4, 45
    path = playground.save("mine.yaml")
    assert path == tmp_path / "results" / "mine.yaml"  # results/ made on first use
    saved = Rubric.from_yaml(path, vocabulary=VOCAB)
    assert saved.name == "mine"
    assert saved.raw_weights.tolist() == pytest.approx([13.8, 41.2, 45.0])  # 13.75, 41.25, 45 to 3 significant digits
    assert "13.75" not in path.read_text()
    text = path.read_text()
    playground.set_weights({"a": 50})
    with pytest.raises(SmmrubricError, match="refusing to overwrite"):
        playground.save("mine.yaml")
    assert path.read_text() == text
    # the button asks first: the file is replaced only through the Overwrite button
    playground.filename.value = "mine.yaml"
    playground.save_button.click()
    assert "already exists" in playground.status.value and path.read_text() == text
    assert playground.overwrite_button.layout.display is None  # shown
    playground.overwrite_button.click()
    assert "Saved the rubric" in playground.status.value
    assert Rubric.from_yaml(path, vocabulary=VOCAB).raw_weights.tolist() == pytest.approx([50.0, 41.2, 45.0])
    assert playground.overwrite_button.layout.display == "none"
    playground.filename.value = "other.yaml"
    playground.save_button.click()
    assert "Saved the rubric" in playground.status.value and (tmp_path / "results" / "other.yaml").is_file()
    with pytest.raises(SmmrubricError, match=r"\.yaml"):
        playground.save("mine.txt")


def test_default_save_folder_is_the_ignored_results(tmp_path):
    from smmrubric.paths import project_root

    root = project_root()
    assert results_dir() == (root / "results" if root is not None else results_dir())
    if root is not None:
        ignored = (root / ".gitignore").read_text().splitlines()
        assert "results/" in ignored


def test_export_csv_and_xlsx_with_formulas_neutralised(tmp_path):
    scores = SCORES.rename(index={"X": '=HYPERLINK("http://x")'})
    pg = RubricPlayground(
        small_rubric(),
        scores,
        presets={"equal": small_rubric()},
        k=2,
        directory=tmp_path,
        chart=False,
        robustness=False,
    )
    csv = pg.export_bytes("csv").decode()
    lines = csv.splitlines()
    assert lines[0].startswith("candidate_id,rank,total,skills,traits,must_haves_met,rank_in_equal,rank_change")
    assert lines[-1].startswith('"\'=HYPERLINK(""http'), lines[-1]  # X is last, its id defused (and quoted)
    book = openpyxl.load_workbook(io.BytesIO(pg.export_bytes("xlsx"))).active
    rows = list(book.iter_rows(values_only=True))
    assert rows[0][:3] == ("candidate_id", "rank", "total")
    assert [r[0] for r in rows[1:]] == ["Y", "Z", '=HYPERLINK("http://x")']
    cell = book.cell(row=4, column=1)
    assert cell.data_type == "s" and cell.quotePrefix  # stored as text, shown as typed, never run
    assert rows[1][2] == pytest.approx(10 / 3, abs=1e-4)
    # the buttons give download links of the same bytes
    pg.export_buttons[0].click()
    assert "download='ranked-small.csv'" in pg.download.value and "data:text/csv;base64," in pg.download.value
    pg.set_weights({"a": 5})
    assert pg.download.value == ""  # a link for other weights would export another table
    written = pg.export(tmp_path / "ranked.xlsx")
    assert written.read_bytes()[:2] == b"PK"
    with pytest.raises(SmmrubricError, match="refusing to overwrite"):
        pg.export(tmp_path / "ranked.xlsx")
    with pytest.raises(SmmrubricError, match=r"\.csv or \.xlsx"):
        pg.export(tmp_path / "ranked.ods")


def test_upload_ratings_reranks_and_shows_errors_as_one_message(playground):
    rows = {"P": (5, 5, 5), "Q": (1, 1, 1)}
    long = "candidate_id,rater_id,competency_id,score\n" + "".join(
        f"{c},r1,{k},{v}\n" for c, row in rows.items() for k, v in zip("abc", row, strict=True)
    )
    playground.set_weights({"a": 40})
    upload(playground.ratings_upload, "team.csv", long.encode())
    assert ranks(playground) == {"P": 1, "Q": 2}
    assert "2 candidates from <b>team.csv</b>" in playground.status.value
    assert playground.points()["a"] == 40  # the weights stay
    assert playground.k == 2 and playground.ratings_upload.value == ()
    assert "stays in top 2" not in playground.ranking.value  # (no robustness column in this fixture)
    capped = make_playground(playground.directory, chart=False, k=3)
    upload(capped.ratings_upload, "team.csv", long.encode())
    assert capped.k == 2 and ranks(capped) == {"P": 1, "Q": 2}  # a shortlist of 3 from 2 candidates: both
    bad = long + "R,r1,a,9\n"
    upload(playground.ratings_upload, "bad.csv", bad.encode())
    status = playground.status.value
    assert "bad.csv was not loaded; the panel is unchanged" in status
    assert "bad.csv, row 8, field &#x27;score&#x27;" in status and "outside the scale" in status
    assert "Traceback" not in status and "smmrubric-upload" not in status  # the upload's own name, no temp path
    assert ranks(playground) == {"P": 1, "Q": 2}


def test_upload_rubric_rebuilds_the_panel_and_rereads_the_ratings(playground):
    upload(playground.rubric_upload, "two.yaml", RUBRIC_YAML.encode())
    assert list(playground.weight_sliders) == ["a", "b"]
    assert playground.start_menu.value == "Two skills" and playground.compare_menu.value == "Two skills"
    assert playground.points().tolist() == pytest.approx([75.0, 25.0])
    # X = .75*5 + .25*1 = 4; Y = 2; Z = 3
    assert ranks(playground) == {"X": 1, "Z": 2, "Y": 3}
    assert "Trait C" not in str([d.value for d in descendants(playground.sliders_box) if hasattr(d, "value")])
    upload(playground.rubric_upload, "broken.yaml", b"name: [unclosed\n")
    assert "broken.yaml was not loaded" in playground.status.value and "malformed YAML" in playground.status.value
    assert list(playground.weight_sliders) == ["a", "b"]


def test_chart_is_a_png_that_changes_with_the_weights(tmp_path, playground):
    charted = make_playground(tmp_path, chart=True)
    first = charted.chart.value
    image = Image.open(io.BytesIO(first))
    assert image.format == "PNG" and image.width >= 560  # shown at its own size: 10-point text, 13 px
    assert charted.chart in descendants(charted.widget)
    charted.set_weights({"a": 100, "b": 0})
    assert charted.chart.value != first
    assert charted._chart.full_draws == 2  # a (over the axis end) redrew once; the rest draws only the bars
    # without the chart: no image, and none in the panel
    assert playground.chart.value == b"" and playground.chart not in descendants(playground.widget)


def test_names_are_never_truncated(playground):
    labels = [d for d in descendants(playground.sliders_box) if "smmrubric-name" in str(getattr(d, "value", ""))]
    assert [label.value.split(">")[1].split("<")[0] for label in labels] == ["Skill A", "Skill B", "Trait C"]
    assert all(label.layout.width == "250px" for label in labels)
    assert all(s.description == "" for s in playground.weight_sliders.values())  # no clipped description


def test_display_is_the_panel_with_stable_text(playground):
    bundle = playground._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "RubricPlayground('small': 3 weight sliders, 3 candidates, 2 presets)"
    assert "smmrubric-playground" in playground.widget._dom_classes


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rubric": "not a rubric"}, "rubric"),
        ({"scores": SCORES.drop(columns="c")}, "scores"),
        ({"scores": [[1, 2, 3]]}, "scores"),
        ({"k": 4}, "k"),
        ({"k": 0}, "k"),
        ({"start": "nope"}, "start"),
        ({"compare": "nope"}, "compare"),
        ({"rule": "lottery"}, "rule"),
        ({"presets": {"odd": "x"}}, "presets"),
        ({"presets": {}}, "presets"),
        ({"scores": SCORES.assign(a=[5, 1, 9])}, "a"),
        ({"presets": [small_rubric()]}, "presets"),
        ({"presets": "equal"}, "presets"),
        ({"directory": 5}, "directory"),
        ({"chart": "no"}, "chart"),
        ({"robustness": 1}, "robustness"),
        ({"show": 0}, "show"),
        ({"concentration": 0}, "concentration"),
        ({"n_draws": 0}, "n_draws"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    args = {"rubric": small_rubric(), "scores": SCORES, "presets": {"equal": small_rubric()}, **kwargs}
    with pytest.raises(SmmrubricError) as info:
        RubricPlayground(args.pop("rubric"), args.pop("scores"), **args)
    assert info.value.field == field


def test_save_and_default_presets_refuse_a_non_path(playground):
    with pytest.raises(SmmrubricError) as info:
        playground.save(5)
    assert info.value.field == "path"
    with pytest.raises(SmmrubricError) as info:
        default_presets(small_rubric(), 5)
    assert info.value.field == "directory"


def test_sliders_are_grouped_under_skills_then_traits(playground):
    groups = [box for box in playground.sliders_box.children if getattr(box, "children", None)]
    assert [g.children[0].value for g in groups] == ["<b>Skills</b>", "<b>Traits</b>"]
    assert [row.children[1] for row in groups[0].children[1:]] == [playground.weight_sliders[c] for c in "ab"]
    assert [row.children[2] for row in groups[1].children[1:]] == [playground.weight_boxes["c"]]


def test_preset_with_a_foreign_competency_is_refused():
    other = Rubric([{"id": "d", "name": "D", "category": "trait", "weight": 1}], name="other")
    with pytest.raises(SmmrubricError) as info:
        RubricPlayground(small_rubric(), SCORES, presets={"other": other})
    assert (info.value.field, info.value.row) == ("presets", "d")


def test_set_weights_checks_its_input(playground):
    with pytest.raises(SmmrubricError) as info:
        playground.set_weights({"zz": 1})
    assert info.value.row == "zz"
    with pytest.raises(SmmrubricError, match=f"from 0 to {MAX_POINTS:g}"):
        playground.set_weights({"a": MAX_POINTS + 1})
    with pytest.raises(SmmrubricError):
        playground.set_weights({"a": "high"})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    points=st.lists(st.floats(0, 100).map(lambda x: round(x * 2) / 2), min_size=3, max_size=3).filter(
        lambda p: sum(p) > 0
    )
)
def test_table_is_the_weighted_sum_of_the_sliders(playground, points):
    playground.set_weights(dict(zip("abc", points, strict=True)))
    w = np.asarray(points) / sum(points)
    expected = SCORES.to_numpy() @ w
    got = playground.table["total"].reindex(SCORES.index).to_numpy()
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    # competition ranks: 1 + number of strictly better totals (ties within 1e-9)
    better = (expected[None, :] > expected[:, None] + 1e-9).sum(axis=1) + 1
    assert playground.table["rank"].reindex(SCORES.index).tolist() == better.tolist()
    assert 100 * w[:2].sum() == pytest.approx(playground.share_slider.value, abs=5e-1)
    change = playground.table["compare_rank"] - playground.table["rank"]
    assert playground.table["rank_change"].tolist() == change.tolist()
    assert playground.table["moved"].tolist() == (change != 0).tolist()
    assert playground.agreement["rbo"] <= 1 + 1e-12
    if (change == 0).all():
        assert playground.agreement["rbo"] == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.lists(st.floats(0.5, 100), min_size=3, max_size=3), share=st.integers(0, 100))
def test_share_slider_sets_the_share_and_keeps_proportions(playground, points, share):
    playground.set_weights(dict(zip("abc", points, strict=True)))
    before = playground.points()
    playground.share_slider.value = share
    after = playground.points()
    if abs(share / 100 - before[["a", "b"]].sum() / before.sum()) < 0.005:
        return  # within half a slider step: the slider only snapped, nothing rescales
    assert playground.rubric.category_weights["skill"] == pytest.approx(share / 100, abs=1e-12)
    if share > 0:
        assert after["a"] / after["b"] == pytest.approx(before["a"] / before["b"], rel=1e-12)
    assert after.sum() == pytest.approx(before.sum(), rel=1e-12)


def test_bundled_presets_on_the_consensus_rubric():
    from smmrubric.inputs import load_rubric

    consensus = load_rubric()
    presets = default_presets(consensus)
    labels = list(presets)
    assert labels[:2] == [EQUAL, consensus.name]
    # every expert's rubric (13 lists) is on the consensus competencies; consensus.yaml itself is not repeated
    assert len(labels) == 2 + 13
    assert presets[EQUAL].weights.tolist() == pytest.approx([1 / 30] * 30)
    for label, preset in presets.items():
        assert set(preset.competency_ids) <= set(consensus.competency_ids), label
    with pytest.raises(SmmrubricError, match="no such folder"):
        default_presets(consensus, "/nonexistent/rubrics")
    table = describe_presets(presets)
    assert table.loc[EQUAL].tolist() == [30, pytest.approx(18 / 30)]
    assert table.index.name == "preset" and list(table.index) == labels


def test_on_the_bundled_consensus_and_a_simulated_pool(tmp_path):
    from smmrubric.inputs import candidate_pool, load_rubric

    consensus = load_rubric()
    pool = candidate_pool(consensus, seed=20261121, n=60)
    pg = RubricPlayground(consensus, pool, directory=tmp_path, chart=False, n_draws=200)
    assert pg.start_menu.value == pg.compare_menu.value == consensus.name
    assert len(pg.table) == 60 and not pg.table["moved"].any() and pg.agreement["rbo"] == pytest.approx(1.0)
    assert "60 candidates from <b>a simulated pool</b>" in pg.status.value
    top = pg.rubric.weights.idxmax()
    pg.weight_boxes[top].value = 40
    w = pg.points() / pg.points().sum()
    expected = pool.scores[consensus.competency_ids].to_numpy() @ w.to_numpy()
    np.testing.assert_allclose(pg.table["total"].reindex(pool.scores.index), expected, atol=1e-12)
    assert pg.table["moved"].any()
    pg.start_menu.value = "Buffer (2017)"  # Buffer against the consensus: comparable, many candidates move
    assert pg.compare_menu.value == consensus.name and pg.table["moved"].sum() > 10
    pg.start_menu.value = "Kaminski (Zebra)"
    assert (pg.points() > 0).sum() == 3


def test_a_ratings_file_in_any_format_shows_the_readers_notes(playground):
    wide = "candidate_id;rater_id;a;b;c\nP;r1;5,0;5;5\nQ;r1;1,5;1;1\n"  # French Excel: semicolons, decimal commas
    upload(playground.ratings_upload, "team.csv", wide.encode("cp1252"))
    assert ranks(playground) == {"P": 1, "Q": 2}
    status = playground.status.value
    assert "Note: " in status and "decimal comma" in status and "wide layout" in status
