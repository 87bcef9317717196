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
    assert isinstance(plot_weights_vs_noise({"weights": pd.Series([0.8, 0.9]), "noise": pd.Series([0.5, 0.6])}),
                      Figure)


def test_bad_input():
    with pytest.raises(SmmrubricError):
        plot_rank_acceptability({})
    with pytest.raises(SmmrubricError):
        plot_tornado(pd.DataFrame())
    with pytest.raises(SmmrubricError):
        plot_weights_vs_noise([])
