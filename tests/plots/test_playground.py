"""The playground's weight chart: bars are the normalised weights, updated in place."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from smmrubric import Rubric, SmmrubricError
from smmrubric.plots.playground import LABEL_SIZE, WeightChart, plot_rubric_weights, update_rubric_weights

VOCAB = pd.DataFrame(
    {"name": ["Skill A", "Skill B", "Trait C"], "category": ["skill", "skill", "trait"]},
    index=pd.Index(["a", "b", "c"], name="competency_id"),
)


def small_rubric(a: float = 1, b: float = 1, c: float = 1) -> Rubric:
    return Rubric(
        [{"id": "a", "weight": a}, {"id": "b", "weight": b}, {"id": "c", "weight": c}], name="small", vocabulary=VOCAB
    )


def test_bars_are_the_weights_skills_first():
    # raw 1, 3, 4 -> 1/8, 3/8, 4/8; the trait comes after the skills whatever the rubric order
    rubric = Rubric([{"id": "c", "weight": 4}, {"id": "a", "weight": 1}, {"id": "b", "weight": 3}], vocabulary=VOCAB)
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


def test_text_is_readable_and_never_cut_off():
    fig = plot_rubric_weights(
        small_rubric(1, 3, 4),
        small_rubric(),
        reference_label="compared with: a long name",
        title="A title long enough to run past the axes of a narrow chart",
    )
    ax = fig.axes[0]
    assert {t.get_fontsize() for t in ax.get_yticklabels()} == {LABEL_SIZE} >= {10}
    assert {t.get_fontsize() for t in ax.get_legend().get_texts()} == {LABEL_SIZE}
    fig.set_dpi(96)
    fig.tight_layout()
    renderer = FigureCanvasAgg(fig).get_renderer()
    inside = fig.bbox
    for text in [fig._suptitle, *ax.get_yticklabels(), *ax.get_legend().get_texts()]:
        box = text.get_window_extent(renderer)
        assert inside.x0 - 0.5 <= box.x0 and box.x1 <= inside.x1 + 0.5, text.get_text()
    # the legend sits above the bars, never over them
    assert ax.get_legend().get_window_extent(renderer).y0 >= ax.get_window_extent(renderer).y1 - 1


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_weight_chart_frames_equal_a_whole_redraw():
    reference = small_rubric()
    chart = WeightChart()
    first = chart.png(small_rubric(1, 3, 4), reference)
    second = chart.png(small_rubric(2, 3, 2), reference)  # bars over the cached background
    assert chart.full_draws == 1
    fresh = WeightChart()
    fresh._xmax = chart._xmax  # the same axis end, so the same background
    assert np.array_equal(_pixels(second), _pixels(fresh.png(small_rubric(2, 3, 2), reference)))
    assert not np.array_equal(_pixels(first), _pixels(second))
    assert fresh.full_draws == 1
    # a weight past the end of the axis, or a refit, draws the background again
    chart.png(small_rubric(10, 1, 1), reference)
    assert chart.full_draws == 2 and chart._xmax == pytest.approx(1.0)
    chart.png(small_rubric(1, 1, 1), reference, refit=True)
    assert chart.full_draws == 3 and chart._xmax == pytest.approx(0.5)  # 1.25 x 1/3 -> 0.5
    image = Image.open(io.BytesIO(first))
    assert image.format == "PNG" and image.mode == "RGB"


def test_weight_chart_png_is_a_valid_png_of_the_canvas():
    chart = WeightChart()
    png = chart.png(small_rubric(1, 3, 4), small_rubric())
    canvas = np.asarray(chart._canvas.get_renderer().buffer_rgba())[..., :3]
    assert np.array_equal(_pixels(png), canvas)
