"""Figures of notebook 05: what each draws, and a stated reason where there is nothing to draw."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from smmrubric import plots, ratings_study
from smmrubric import sensitivity as sens
from smmrubric.errors import SmmrubricError
from smmrubric.inputs import load_rubric
from smmrubric.paths import data_file
from smmrubric.rating_design import rater_summary
from smmrubric.ratings import read_ratings


@pytest.fixture(scope="module")
def example():
    rubric = load_rubric()
    return rubric, read_ratings(data_file("examples/ratings_example.csv"), rubric).frame


@pytest.fixture(scope="module")
def study(example):
    return ratings_study.reliability_study(example[1])


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_rating_distribution_stacks_each_raters_shares(example):
    table = rater_summary(example[1], [1, 2, 3, 4, 5])
    fig = plots.plot_rating_distribution(table)
    (ax,) = fig.axes
    assert len(ax.patches) == 3 * 5
    right_ends = {}
    for bar in ax.patches:
        y = round(bar.get_y() + bar.get_height() / 2)
        right_ends[y] = max(right_ends.get(y, 0.0), bar.get_x() + bar.get_width())
    assert sorted(right_ends.values()) == pytest.approx([1.0, 1.0, 1.0])
    assert "mean 3.31" in _texts(fig)
    with pytest.raises(SmmrubricError):
        plots.plot_rating_distribution(table.iloc[:0])


def test_reliability_shows_every_component_and_both_coefficients(study):
    fig = plots.plot_reliability(study.g, study.d, target=0.8)
    left, right = fig.axes
    assert len(left.patches) == 7
    assert any("< 0, set to 0" in t.get_text() for t in left.get_yticklabels())  # s2(i) was negative
    assert len(right.get_lines()) == 4 + 2  # g and phi, fixed and random; the target and the panel size
    assert right.get_lines()[0].get_ydata() == pytest.approx(study.d[("fixed", "g")].to_numpy())


def test_reliability_without_a_g_study_says_why():
    fig = plots.plot_reliability(None, None, note="needs at least 2 competencies")
    assert any("needs at least 2 competencies" in t for t in _texts(fig))


def test_rater_severity_marks_the_flagged_rater(study):
    fig = plots.plot_rater_severity(study.severity)
    ax = fig.axes[0]
    offsets = ax.collections[-1].get_offsets()
    assert np.asarray(offsets)[:, 0] == pytest.approx(study.severity["deviation"].to_numpy())
    colors = ax.collections[-1].get_facecolors()
    assert len({tuple(c) for c in colors}) == 2  # R01 flagged, the others not
    empty = plots.plot_rater_severity(study.severity.iloc[:0], note="no candidate was rated by 2 raters")
    assert any("no candidate was rated by 2 raters" in t for t in _texts(empty))


def test_rank_intervals_draw_one_interval_per_candidate_and_the_cut(example, study):
    rubric, ratings = example
    intervals = sens.bootstrap_ranks(ratings, rubric, n_draws=200, seed=1)
    scores = ratings.pivot_table(index="candidate_id", columns="competency_id", values="score", observed=True)
    result = sens.smaa(
        scores[rubric.competency_ids], sens.local_weights(rubric.weights, 100), 200, seed=1, progress=False
    )
    fig = plots.plot_rank_intervals(intervals, k=5, smaa=result)
    ax = fig.axes[0]
    segments = ax.collections[0].get_segments()
    assert len(segments) == 12
    assert [s[0][0] + 0.3 for s in segments] == pytest.approx(intervals.table["lower"].tolist())
    assert len(ax.get_lines()) == 1 and ax.get_lines()[0].get_xdata()[0] == pytest.approx(5.5)
    assert len(_texts(fig)) == 12
    fig_all = plots.plot_rank_intervals(intervals, k=12, smaa=result)  # no cut when k covers everyone
    assert not fig_all.axes[0].get_lines() and not _texts(fig_all)


def test_shortlist_recovery_one_row_per_reliability():
    recovery = sens.shortlist_recovery(
        load_rubric(), {"your raters": 0.6, "separate interviews": 0.44}, n=20, k=3, n_pools=3, seed=1
    )
    fig = plots.plot_shortlist_recovery(recovery)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["your raters (0.60)", "separate interviews (0.44)"]
    assert np.asarray(ax.collections[-1].get_offsets())[:, 0] == pytest.approx(recovery.summary()["mean"].to_numpy())


def test_wrong_inputs_are_refused():
    for plot in (plots.plot_rank_intervals, plots.plot_shortlist_recovery, plots.plot_reliability):
        with pytest.raises(SmmrubricError):
            plot("not a result")
    assert isinstance(plots.plot_reliability(None, None), Figure)
