"""The rubric playground, driven in plain pytest by setting slider values and reading what it shows.

The small cases are computed by hand (weights ``w = r / sum r``, totals ``x @ w``, competition ranks);
the properties are checked with hypothesis on random slider positions.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from smmrubric import Rubric, SmmrubricError
from smmrubric.widgets import EQUAL, RubricPlayground, default_presets

LINES = [
    {"id": "a", "name": "Skill A", "category": "skill", "weight": 1},
    {"id": "b", "name": "Skill B", "category": "skill", "weight": 1},
    {"id": "c", "name": "Trait C", "category": "trait", "weight": 1},
]
VOCAB = pd.DataFrame({"name": ["Skill A", "Skill B", "Trait C"], "category": ["skill", "skill", "trait"]},
                     index=pd.Index(["a", "b", "c"], name="competency_id"))
#: X = (5, 1, 2), Y = (1, 5, 4), Z = (3, 3, 3). Equal weights: X 8/3, Y 10/3, Z 3 -> Y 1st, Z 2nd, X 3rd.
SCORES = pd.DataFrame([[5, 1, 2], [1, 5, 4], [3, 3, 3]], index=pd.Index(["X", "Y", "Z"], name="candidate_id"),
                      columns=["a", "b", "c"], dtype=float)


def small_rubric(**weights: float) -> Rubric:
    lines = [{**line, "weight": weights.get(line["id"], line["weight"])} for line in LINES]
    return Rubric(lines, name="small", vocabulary=VOCAB)


def make_playground(directory, chart: bool = True) -> RubricPlayground:
    presets = {"equal": small_rubric(), "only b": Rubric([LINES[1]], name="only b", vocabulary=VOCAB)}
    return RubricPlayground(small_rubric(), SCORES, presets=presets, k=2, show=3, directory=directory,
                            chart=chart)


@pytest.fixture
def playground(tmp_path) -> RubricPlayground:
    """Without the chart (drawing it is most of the cost of an update); the chart has its own test."""
    return make_playground(tmp_path, chart=False)


def descendants(widget) -> list:
    children = list(getattr(widget, "children", ()))
    return children + [d for c in children for d in descendants(c)]


def ranks(pg: RubricPlayground) -> dict[str, int]:
    return {cid: int(r) for cid, r in pg.table["rank"].items()}


def test_preset_loaded_in_points_and_nothing_moved(playground):
    assert playground.points().tolist() == pytest.approx([100 / 3] * 3)
    assert ranks(playground) == {"Y": 1, "Z": 2, "X": 3}
    assert playground.table["total"].tolist() == pytest.approx([10 / 3, 3, 8 / 3])
    assert not playground.table["moved"].any()
    assert playground.overlap == 1.0
    assert "smmrubric-moved" not in playground.ranking.value
    assert playground.share_slider.value == pytest.approx(2 / 3)


def test_moving_a_slider_reranks_and_highlights(playground):
    # all weight on skill A: X 5, Z 3, Y 1
    playground.set_weights({"b": 0, "c": 0})
    playground.weight_sliders["a"].value = 100
    assert ranks(playground) == {"X": 1, "Z": 2, "Y": 3}
    assert playground.table["total"].tolist() == [5.0, 3.0, 1.0]
    assert playground.table["rank_change"].tolist() == [2, 0, -2]  # preset rank - rank
    assert playground.table["moved"].tolist() == [True, False, True]
    assert playground.ranking.value.count("smmrubric-moved") == 2
    assert "▲2" in playground.ranking.value and "▼2" in playground.ranking.value
    # top-2: {X, Z} now, {Y, Z} under the preset -> 1 shared of 2
    assert playground.overlap == 0.5
    assert "<b>0.50</b>" in playground.overlap_text.value
    assert playground.agreement["kendall_tau"] == -1.0  # X > Z > Y now, Y > Z > X before: every pair flips
    assert playground.share_slider.value == 1.0


def test_one_slider_change_gives_hand_computed_totals(playground):
    playground.weight_sliders["c"].value = 0  # a and b at 100/3 each: totals (a + b) / 2
    assert playground.table["total"].to_dict() == pytest.approx({"X": 3.0, "Y": 3.0, "Z": 3.0})
    assert ranks(playground) == {"X": 1, "Y": 1, "Z": 1}  # competition ranks of a three-way tie
    # top-2 of a three-way tie: each candidate in with probability 2/3; the preset's top 2 is {Y, Z}
    assert playground.overlap == pytest.approx((2 / 3 + 2 / 3) / 2)
    assert np.isnan(playground.agreement["kendall_tau"]) and "tau n/a" in playground.overlap_text.value
    assert playground.rubric.weights.tolist() == pytest.approx([0.5, 0.5, 0.0])


def test_share_slider_rescales_within_categories(playground):
    playground.set_weights({"a": 10, "b": 30, "c": 60})
    assert playground.share_slider.value == pytest.approx(0.4)
    playground.share_slider.value = 0.8
    # r'_a = T s r_a / (r_a + r_b) = 100 * 0.8 * 10 / 40; r'_b = 100 * 0.8 * 30 / 40; r'_c = 100 * 0.2
    assert playground.points().tolist() == pytest.approx([20.0, 60.0, 20.0])
    assert playground.rubric.category_weights["skill"] == pytest.approx(0.8)
    # X = .2*5 + .6*1 + .2*2 = 2.0; Y = .2*1 + .6*5 + .2*4 = 4.0; Z = 3.0
    assert playground.table["total"].to_dict() == pytest.approx({"Y": 4.0, "Z": 3.0, "X": 2.0})


def test_share_slider_refuses_a_category_without_weight(playground):
    playground.preset_menu.value = "only b"
    assert playground.points().tolist() == [0.0, 100.0, 0.0]
    before = playground.table.copy()
    playground.share_slider.value = 0.5
    assert "no trait with a positive weight" in playground.status.value
    assert playground.share_slider.value == 1.0
    assert playground.points().tolist() == [0.0, 100.0, 0.0]
    pd.testing.assert_frame_equal(playground.table, before)


def test_all_weights_zero_keeps_the_last_table(playground):
    before = playground.table.copy()
    playground.set_weights({"a": 0, "b": 0, "c": 0})
    assert "Every weight is 0" in playground.status.value
    pd.testing.assert_frame_equal(playground.table, before)


def test_preset_change_resets_the_reference(playground):
    playground.preset_menu.value = "only b"
    # only b: Y 5, Z 3, X 1
    assert ranks(playground) == {"Y": 1, "Z": 2, "X": 3}
    assert not playground.table["moved"].any()
    playground.set_weights({"a": 100})  # a and b equal: X 3, Y 3, Z 3
    assert playground.table["moved"].tolist() == [True, False, True]  # X, Y, Z all tie at 1: Y stays
    playground.reset_button.click()
    assert playground.points().tolist() == [0.0, 100.0, 0.0]
    assert not playground.table["moved"].any()


def test_hurdle_rule_leaves_knocked_out_candidates_unranked(tmp_path):
    # must-have: Trait C at least 3; X (C = 2) is screened out under the multiple-hurdle rule
    lines = [LINES[0], LINES[1], {**LINES[2], "must_have": 3}]
    rubric = Rubric(lines, name="hurdle", vocabulary=VOCAB)
    pg = RubricPlayground(rubric, SCORES, presets={"equal": rubric}, rule="hurdle", k=2, show=3, directory=tmp_path,
                          chart=False)
    assert pg.table["rank"].tolist()[:2] == [1, 2] and pd.isna(pg.table["rank"].iloc[2])
    assert pg.table.index.tolist() == ["Y", "Z", "X"]
    assert not pg.table["moved"].any() and pg.overlap == 1.0
    assert "<td style='padding:1px 8px;text-align:right'>-</td>" in pg.ranking.value  # X shows no rank
    pg.set_weights({"a": 100, "b": 0, "c": 0})  # X would win on A but stays screened out
    assert pg.table.index.tolist() == ["Z", "Y", "X"] and pd.isna(pg.table.loc["X", "rank"])
    assert pg.table["moved"].tolist() == [True, True, False]


def test_save_writes_the_weights_and_never_overwrites(playground, tmp_path):
    playground.set_weights({"a": 10, "b": 30, "c": 60})
    path = playground.save("mine.yaml")
    assert path == tmp_path / "mine.yaml"
    saved = Rubric.from_yaml(path, vocabulary=VOCAB)
    assert saved.name == "mine"
    assert saved.raw_weights.tolist() == [10.0, 30.0, 60.0]
    pd.testing.assert_series_equal(saved.weights, playground.rubric.weights)
    text = path.read_text()
    playground.set_weights({"a": 50})
    with pytest.raises(SmmrubricError, match="refusing to overwrite"):
        playground.save("mine.yaml")
    assert path.read_text() == text
    # the button reports instead of raising
    playground.filename.value = "mine.yaml"
    playground.save_button.click()
    assert "Not saved" in playground.status.value and "refusing to overwrite" in playground.status.value
    playground.filename.value = "other.yaml"
    playground.save_button.click()
    assert "Saved the rubric" in playground.status.value
    assert Rubric.from_yaml(tmp_path / "other.yaml", vocabulary=VOCAB).raw_weights.tolist() == [50.0, 30.0, 60.0]
    with pytest.raises(SmmrubricError, match=r"\.yaml"):
        playground.save("mine.txt")


def test_chart_is_a_png_that_changes_with_the_weights(tmp_path, playground):
    charted = make_playground(tmp_path, chart=True)
    first = charted.chart.value
    assert Image.open(io.BytesIO(first)).format == "PNG"
    assert charted.chart in descendants(charted.widget)
    charted.set_weights({"a": 100, "b": 0})
    assert charted.chart.value != first
    # without the chart: no image, and none in the panel
    assert playground.chart.value == b"" and playground.chart not in descendants(playground.widget)


def test_display_is_the_panel_with_stable_text(playground):
    bundle = playground._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "RubricPlayground('small': 3 weight sliders, 3 candidates, 2 presets)"
    assert "smmrubric-playground" in playground.widget._dom_classes


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"rubric": "not a rubric"}, "rubric"),
    ({"scores": SCORES.drop(columns="c")}, "scores"),
    ({"scores": [[1, 2, 3]]}, "scores"),
    ({"k": 4}, "k"),
    ({"k": 0}, "k"),
    ({"preset": "nope"}, "preset"),
    ({"rule": "lottery"}, "rule"),
    ({"presets": {"odd": "x"}}, "presets"),
    ({"presets": {}}, "presets"),
    ({"scores": SCORES.assign(a=[5, 1, 9])}, "a"),
    ({"presets": [small_rubric()]}, "presets"),
    ({"presets": "equal"}, "presets"),
    ({"directory": 5}, "directory"),
    ({"chart": "no"}, "chart"),
    ({"show": 0}, "show"),
])
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
    """The controls column: preset menu, skill-share slider, reset, then a 'Skills' and a 'Traits' group."""
    controls = playground.widget.children[1].children[0]
    groups = [box for box in controls.children if getattr(box, "children", None)
              and getattr(box.children[0], "value", "").startswith("<b>")]
    assert [g.children[0].value for g in groups] == ["<b>Skills</b>", "<b>Traits</b>"]
    assert [s.description for s in groups[0].children[1:]] == ["Skill A", "Skill B"]
    assert [s.description for s in groups[1].children[1:]] == ["Trait C"]
    assert controls.children[0] is playground.preset_menu and controls.children[1] is playground.share_slider


def test_preset_with_a_foreign_competency_is_refused():
    other = Rubric([{"id": "d", "name": "D", "category": "trait", "weight": 1}], name="other")
    with pytest.raises(SmmrubricError) as info:
        RubricPlayground(small_rubric(), SCORES, presets={"other": other})
    assert (info.value.field, info.value.row) == ("presets", "d")


def test_set_weights_checks_its_input(playground):
    with pytest.raises(SmmrubricError) as info:
        playground.set_weights({"zz": 1})
    assert info.value.row == "zz"
    with pytest.raises(SmmrubricError, match="from 0 to 100"):
        playground.set_weights({"a": 101})
    with pytest.raises(SmmrubricError):
        playground.set_weights({"a": "high"})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.lists(st.floats(0, 100).map(lambda x: round(x * 2) / 2), min_size=3, max_size=3)
       .filter(lambda p: sum(p) > 0))
def test_table_is_the_weighted_sum_of_the_sliders(playground, points):
    playground.set_weights(dict(zip("abc", points)))
    w = np.asarray(points) / sum(points)
    expected = SCORES.to_numpy() @ w
    got = playground.table["total"].reindex(SCORES.index).to_numpy()
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    # competition ranks: 1 + number of strictly better totals (ties within 1e-9)
    better = (expected[None, :] > expected[:, None] + 1e-9).sum(axis=1) + 1
    assert playground.table["rank"].reindex(SCORES.index).tolist() == better.tolist()
    assert playground.share_slider.value == pytest.approx(w[:2].sum())
    change = playground.table["preset_rank"] - playground.table["rank"]
    assert playground.table["rank_change"].tolist() == change.tolist()
    assert playground.table["moved"].tolist() == (change != 0).tolist()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.lists(st.floats(0.5, 100), min_size=3, max_size=3), share=st.integers(0, 100).map(lambda i: i / 100))
def test_share_slider_sets_the_share_and_keeps_proportions(playground, points, share):
    playground.set_weights(dict(zip("abc", points)))
    before = playground.points()
    playground.share_slider.value = share
    after = playground.points()
    if abs(share - before[["a", "b"]].sum() / before.sum()) < 0.005:
        return  # within half a slider step: the slider only snapped, nothing rescales
    assert playground.rubric.category_weights["skill"] == pytest.approx(share, abs=1e-12)
    if share > 0:
        assert after["a"] / after["b"] == pytest.approx(before["a"] / before["b"], rel=1e-12)
    assert after.max() <= 100 + 1e-9
    assert after.sum() == pytest.approx(min(before.sum(), 100 / playground.rubric.weights.max()), rel=1e-12)


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


def test_on_the_bundled_consensus_and_a_simulated_pool(tmp_path):
    from smmrubric.inputs import candidate_pool, load_rubric

    consensus = load_rubric()
    pool = candidate_pool(consensus, seed=20261121, n=60)
    pg = RubricPlayground(consensus, pool, preset=consensus.name, directory=tmp_path, chart=False)
    assert len(pg.table) == 60 and not pg.table["moved"].any()
    top = pg.rubric.weights.idxmax()
    pg.weight_sliders[top].value = 100
    w = pg.points() / pg.points().sum()
    expected = pool.scores[consensus.competency_ids].to_numpy() @ w.to_numpy()
    np.testing.assert_allclose(pg.table["total"].reindex(pool.scores.index), expected, atol=1e-12)
    assert pg.table["moved"].any()
    pg.preset_menu.value = "Kaminski (Zebra)"
    assert (pg.points() > 0).sum() == 3
