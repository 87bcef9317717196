"""Tests for the figures of notebook 01: each returns a Figure drawing the numbers it is given."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from smmrubric import load_competencies, load_expert_lists, save_figure
from smmrubric.aggregate import consensus_table, rankings_from_expert_lists
from smmrubric.compare import similarity_matrix
from smmrubric.errors import SmmrubricError
from smmrubric.plots import (
    CATEGORY_COLORS,
    plot_consensus_ranks,
    plot_emphasis_by_year,
    plot_expert_upset,
    plot_similarity_heatmap,
)


@pytest.fixture(scope="module")
def data():
    lists = load_expert_lists()
    competencies = load_competencies()
    return lists, competencies, rankings_from_expert_lists(lists)


def _bar_heights(ax) -> list[float]:
    return [p.get_height() for p in ax.patches]


def test_upset_counts_each_competency_once(data):
    lists, competencies, rankings = data
    fig = plot_expert_upset(rankings, competencies["category"])
    assert isinstance(fig, Figure)
    ax_bar = fig.axes[0]
    # stacked skill + trait bars over all exclusive intersections add up to the competencies named
    assert sum(_bar_heights(ax_bar)) == lists["competency_id"].nunique()
    colours = {tuple(np.round(p.get_facecolor()[:3], 3)) for p in ax_bar.patches if p.get_height() > 0}
    from matplotlib.colors import to_rgb

    assert colours <= {tuple(np.round(to_rgb(c), 3)) for c in CATEGORY_COLORS.values()}
    save_figure(fig, "01-test-upset")
    with pytest.raises(SmmrubricError):
        plot_expert_upset(rankings, competencies["category"].iloc[:3])
    with pytest.raises(SmmrubricError):
        plot_expert_upset(rankings, competencies["category"], min_degree=99)


def test_similarity_heatmap_follows_dendrogram(data):
    _, _, rankings = data
    sim = similarity_matrix(rankings, "jaccard")
    fig = plot_similarity_heatmap(sim)
    heat = fig.axes[1]
    image = heat.get_images()[0].get_array()
    # the image is the similarity table reordered by the same permutation on rows and columns
    labels = [t.get_text() for t in heat.get_yticklabels()]
    np.testing.assert_allclose(np.asarray(image), sim.loc[labels, labels].to_numpy())
    with pytest.raises(SmmrubricError):
        plot_similarity_heatmap(sim.iloc[:, :3])
    with pytest.raises(SmmrubricError):
        plot_similarity_heatmap(sim * 2)


def test_consensus_ranks_figure(data):
    lists, competencies, rankings = data
    table = consensus_table(rankings, methods=["borda", "schulze"])
    fig = plot_consensus_ranks(lists, table, competencies)
    ax_bar, ax_rank = fig.axes[:2]
    widths = [p.get_width() for p in ax_bar.patches]
    counts = lists.groupby("competency_id")["list_id"].nunique()
    assert widths == sorted(counts, reverse=True)  # one bar per competency, most named first
    assert np.asarray(ax_rank.get_images()[0].get_array()).shape == (lists["competency_id"].nunique(), 2)
    with pytest.raises(SmmrubricError):
        plot_consensus_ranks(lists, table.drop(columns=["borda", "schulze"]), competencies)
    with pytest.raises(SmmrubricError):
        plot_consensus_ranks(lists, table.iloc[:5], competencies)


def test_emphasis_by_year(data):
    lists, competencies, _ = data
    fig = plot_emphasis_by_year(lists, competencies)
    ax_share = fig.axes[0]
    dated = lists.dropna(subset=["year"])
    n_dated = dated["list_id"].nunique()
    assert len(ax_share.patches) == 2 * n_dated  # a skill and a trait bar per dated list
    skill_bars = sorted(p.get_height() for p in ax_share.patches[:n_dated])
    expected = sorted(dated.groupby("list_id")["category"].apply(lambda c: (c == "skill").mean()))
    assert skill_bars == pytest.approx(expected)
    undated = lists.assign(year=pd.array([pd.NA] * len(lists), dtype="Int64"))
    with pytest.raises(SmmrubricError):
        plot_emphasis_by_year(undated, competencies)


BAD_CALLS = [
    ("categories not a Series", lambda lst, c, r, t, s: plot_expert_upset(r, None), "categories"),
    (
        "category not skill/trait",
        lambda lst, c, r, t, s: plot_expert_upset(r, c["category"].replace("skill", "x")),
        "categories",
    ),
    (
        "list_names not a mapping",
        lambda lst, c, r, t, s: plot_expert_upset(r, c["category"], list_names=5),
        "list_names",
    ),
    ("heatmap labels not a mapping", lambda lst, c, r, t, s: plot_similarity_heatmap(s, labels=5), "labels"),
    ("table not a frame", lambda lst, c, r, t, s: plot_consensus_ranks(lst, None, c), "table"),
    ("ranks not numbers", lambda lst, c, r, t, s: plot_consensus_ranks(lst, t.assign(borda="x"), c), "table"),
    (
        "competencies without name",
        lambda lst, c, r, t, s: plot_consensus_ranks(lst, t, c[["category"]]),
        "competencies",
    ),
    (
        "year plot competencies",
        lambda lst, c, r, t, s: plot_emphasis_by_year(lst, pd.DataFrame({"x": [1]})),
        "competencies",
    ),
    ("no lists", lambda lst, c, r, t, s: plot_emphasis_by_year(lst.iloc[:0]), "expert_lists"),
]


@pytest.mark.parametrize(("case", "call", "field"), BAD_CALLS, ids=[b[0] for b in BAD_CALLS])
def test_bad_inputs_raise_smmrubric_error(data, case, call, field):
    lists, competencies, rankings = data
    table = consensus_table(rankings, methods=["borda", "schulze"])
    similarity = similarity_matrix(rankings)
    with pytest.raises(SmmrubricError) as err:
        call(lists, competencies, rankings, table, similarity)
    assert err.value.field.startswith(field)
