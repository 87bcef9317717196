"""Tests of smmrubric.sensitivity.gaps: gaps to the cut and their bootstrap standard errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.sensitivity import cut_gaps


def _ratings(scores: dict[str, list[list[float]]]) -> pd.DataFrame:
    rows = [
        (c, f"r{r}", f"q{j}", v)
        for c, by_rater in scores.items()
        for r, values in enumerate(by_rater)
        for j, v in enumerate(values)
    ]
    return pd.DataFrame(rows, columns=["candidate_id", "rater_id", "competency_id", "score"])


def test_gaps_and_standard_errors_by_hand():
    ratings = _ratings(
        {
            "a": [[5, 5], [4, 4], [3, 3]],
            "b": [[4, 4], [4, 4], [4, 4]],
            "c": [[2, 3], [3, 2], [1, 1]],
            "d": [[1, 1], [1, 1], [1, 1]],
        }
    )
    w = pd.Series([0.5, 0.5], index=["q0", "q1"])
    table = cut_gaps(ratings, w, 2, n_boot=40_000, seed=1)
    assert table.index.tolist() == ["a", "b", "c", "d"]  # a and b tie at 4.0: by id
    assert table["place"].tolist() == [1, 2, 3, 4] and table["shortlisted"].tolist() == [True, True, False, False]
    # inside vs place 3 (c, total 2), outside vs place 2 (b, total 4)
    assert table["gap"].tolist() == pytest.approx([2.0, 2.0, -2.0, -3.0])
    # bootstrap SE of a mean of r = 3 raters: sqrt(plug-in variance / r); a: totals 5, 4, 3 -> var 2/3;
    # b and d constant; c: totals 2.5, 2.5, 1 -> var 0.5; independent resampling: variances add
    assert table.loc["a", "se"] == pytest.approx(np.sqrt((2 / 3) / 3 + 0.5 / 3), rel=0.02)
    assert table.loc["b", "se"] == pytest.approx(np.sqrt(0.5 / 3), rel=0.02)
    assert table.loc["d", "se"] == pytest.approx(0.0, abs=1e-12) and table.loc["d", "z"] == -np.inf


def test_cut_gaps_refuses_a_cut_past_the_pool():
    ratings = _ratings({"a": [[1, 2]], "b": [[2, 1]]})
    with pytest.raises(SmmrubricError):
        cut_gaps(ratings, pd.Series([0.5, 0.5], index=["q0", "q1"]), 2, seed=1)
