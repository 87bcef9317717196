"""The playground's weight chart: bars are the normalised weights, updated in place."""

from __future__ import annotations

import pandas as pd
import pytest

from smmrubric import Rubric, SmmrubricError
from smmrubric.plots.playground import plot_rubric_weights, update_rubric_weights

VOCAB = pd.DataFrame({"name": ["Skill A", "Skill B", "Trait C"], "category": ["skill", "skill", "trait"]},
                     index=pd.Index(["a", "b", "c"], name="competency_id"))


def small_rubric(a: float = 1, b: float = 1, c: float = 1) -> Rubric:
    return Rubric([{"id": "a", "weight": a}, {"id": "b", "weight": b}, {"id": "c", "weight": c}], name="small",
                  vocabulary=VOCAB)


def test_bars_are_the_weights_skills_first():
    # raw 1, 3, 4 -> 1/8, 3/8, 4/8; the trait comes after the skills whatever the rubric order
    rubric = Rubric([{"id": "c", "weight": 4}, {"id": "a", "weight": 1}, {"id": "b", "weight": 3}],
                    vocabulary=VOCAB)
    fig = plot_rubric_weights(rubric, small_rubric())
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_gid() == "weights"]
    assert [p.get_width() for p in bars] == pytest.approx([0.125, 0.375, 0.5])
    labels = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks())}
    assert sorted(labels, key=labels.get, reverse=True) == ["Skill A", "Skill B", "Trait C"]  # top to bottom
    ticks = [c for c in ax.collections if c.get_gid() == "reference"][0]
    assert ticks.get_offsets()[:, 0].tolist() == pytest.approx([1 / 3] * 3)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["skills 50%", "traits 50%", "preset"]


def test_update_in_place():
    reference = small_rubric()
    fig = plot_rubric_weights(small_rubric(1, 3, 4), reference)
    bars = [p for p in fig.axes[0].patches if p.get_gid() == "weights"]
    assert update_rubric_weights(fig, small_rubric(2, 1, 1), reference, reference_label="now") is fig
    assert [p.get_width() for p in bars] == pytest.approx([0.5, 0.25, 0.25])
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["skills 75%", "traits 25%", "now"]
    assert fig.axes[0].get_xlim()[1] == pytest.approx(0.5 * 1.08)


def test_bad_input():
    rubric = small_rubric(1, 3, 4)
    with pytest.raises(SmmrubricError) as info:
        plot_rubric_weights("x")
    assert info.value.field == "rubric"
    with pytest.raises(SmmrubricError) as info:
        plot_rubric_weights(rubric, pd.Series({"zz": 1.0}))
    assert (info.value.field, info.value.row) == ("reference", "zz")
    with pytest.raises(SmmrubricError):
        plot_rubric_weights(rubric, pd.Series({"a": -1.0}))
    for kwargs, field in (({"reference_label": 5}, "reference_label"), ({"title": ["x"]}, "title")):
        with pytest.raises(SmmrubricError) as info:
            plot_rubric_weights(rubric, **kwargs)
        assert info.value.field == field
    fig = plot_rubric_weights(rubric, small_rubric())
    with pytest.raises(SmmrubricError, match="if and only if"):
        update_rubric_weights(fig, rubric)
    with pytest.raises(SmmrubricError, match="plot_rubric_weights"):
        update_rubric_weights(object(), rubric)
    other = Rubric([{"id": "a", "weight": 1}], vocabulary=VOCAB)
    with pytest.raises(SmmrubricError, match="differ"):
        update_rubric_weights(fig, other, other)
