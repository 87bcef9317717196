"""Figures of the weight-sensitivity study: each returns a Figure and refuses bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from smmrubric.errors import SmmrubricError
from smmrubric.plots import (
    plot_agreement_matrix,
    plot_composite_correlation,
    plot_rank_acceptability,
    plot_tornado,
    plot_weights_vs_noise,
)
from smmrubric.sensitivity import composite_correlation_curve, smaa, stability_intervals


def test_figures(rng):
    x = pd.DataFrame(rng.random((20, 4)), index=[f"k{i}" for i in range(20)], columns=list("pqrs"))
    res = smaa(x, "uniform", 500, seed=1, progress=False)
    fig = plot_rank_acceptability({"uniform": res, "again": res}, top=5, ranks=6)
    assert isinstance(fig, Figure) and len(fig.axes) == 3  # two panels and the colour bar
    intervals = stability_intervals(x, pd.Series(0.25, index=list("pqrs")))
    cats = pd.Series(["skill", "trait", "skill", "trait"], index=list("pqrs"))
    assert isinstance(plot_tornado(intervals, categories=cats), Figure)
    mat = pd.DataFrame(np.eye(3), index=list("abc"), columns=list("abc"))
    assert isinstance(plot_agreement_matrix(mat), Figure)
    curve = composite_correlation_curve([1, 0, 0], [0, 0, 1], np.linspace(0, 1, 11))
    sim = pd.DataFrame({"realised_mean_intercorrelation": [0.3], "observed": [0.4]})
    assert isinstance(plot_composite_correlation({"a vs b": curve}, sim), Figure)
    assert isinstance(plot_weights_vs_noise({"weights": pd.Series([0.8, 0.9]), "noise": pd.Series([0.5, 0.6])}), Figure)


def test_bad_input():
    with pytest.raises(SmmrubricError):
        plot_rank_acceptability({})
    with pytest.raises(SmmrubricError):
        plot_tornado(pd.DataFrame())
    with pytest.raises(SmmrubricError):
        plot_weights_vs_noise([])


def test_figures_draw_the_numbers(rng):
    # the tornado bars span [lower, upper] (narrowest at the top) and the heatmap shows b_i^r
    x = pd.DataFrame(rng.random((8, 4)), index=[f"k{i}" for i in range(8)], columns=list("pqrs"))
    w = pd.Series([0.4, 0.3, 0.2, 0.1], index=list("pqrs"))
    intervals = stability_intervals(x, w, scope="top")
    ax = plot_tornado(intervals).axes[0]
    bars = sorted(ax.patches, key=lambda p: p.get_y(), reverse=True)  # top of the chart first
    expected = intervals.sort_values("width")
    assert np.allclose([b.get_x() for b in bars], expected["lower"])
    assert np.allclose([b.get_x() + b.get_width() for b in bars], expected["upper"])
    res = smaa(x, "uniform", 400, seed=2, progress=False)
    image = plot_rank_acceptability({"u": res}, top=5, ranks=3).axes[0].images[0].get_array()
    b = res.rank_acceptability.loc[res.summary(top=5).index]
    assert np.allclose(image[:, :3], b.iloc[:, :3]) and np.allclose(image[:, 3], b.iloc[:, 3:].sum(axis=1))


def test_replicated_figures_draw_the_numbers():
    from smmrubric.plots import plot_hiring_accuracy, plot_pool_distributions, plot_weight_uncertainty
    from smmrubric.sensitivity import replicated_study

    from ..sensitivity.test_replicated import EXPERTS, RUBRIC

    study = replicated_study(RUBRIC, EXPERTS, seed=1, n_pools=6, n=30, k=3, draws=20)
    fig = plot_hiring_accuracy(study.hiring)
    ax = fig.axes[0]
    points = ax.collections[-1].get_offsets()[:, 0]
    assert np.allclose(sorted(points), sorted(study.hiring["difference"].iloc[1:]))
    assert isinstance(plot_weight_uncertainty(study), Figure)
    assert isinstance(
        plot_pool_distributions(study.per_pool, {"uniform_leader_first": "u"}, xlabel="x", title="t"), Figure
    )
    with pytest.raises(SmmrubricError):
        plot_pool_distributions(study.per_pool, {"nope": "n"}, xlabel="x", title="t")
    with pytest.raises(SmmrubricError):
        plot_hiring_accuracy(study.hiring.drop(columns="difference"))
    with pytest.raises(SmmrubricError):
        plot_weight_uncertainty(study.per_pool)


def test_composite_curves_figure():
    from smmrubric.plots import plot_composite_curves

    curves = pd.DataFrame(
        {"equal weights": [0.8, 0.9], "an expert": [0.5, 0.7], "skills only vs traits only": [0, 0.6]}, index=[0.0, 0.5]
    )
    fig = plot_composite_curves(curves, pd.DataFrame({"realised_mean_intercorrelation": [0.3], "observed": [0.5]}))
    assert len(fig.axes[0].lines) == 4  # three curves and the .95 line
