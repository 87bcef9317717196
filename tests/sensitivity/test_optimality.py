"""Tests of smmrubric.sensitivity.optimality: potential optimality against a linear program per candidate and
against a fine search of the weight simplex."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from smmrubric.sensitivity import potentially_optimal


def _lead_by_lp(x: np.ndarray, i: int) -> float:
    """t*_i = max_w min_k (x_i - x_k) . w, every candidate's LP (no bounds, no shortcuts)."""
    n, m = x.shape
    others = [k for k in range(n) if k != i]
    res = linprog(
        np.r_[np.zeros(m), -1.0],
        A_ub=np.hstack([x[others] - x[i], np.ones((n - 1, 1))]),
        b_ub=np.zeros(n - 1),
        A_eq=np.r_[np.ones(m), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
    )
    return -res.fun


@pytest.mark.parametrize("seed", range(6))
def test_matches_a_linear_program_for_every_candidate(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 25)), int(rng.integers(2, 6))
    x = np.round(rng.uniform(1, 5, (n, m)) * 3) / 3  # thirds: ties, duplicates, vertex ties
    if seed % 2:
        x[1] = x[0]  # identical profiles never lead alone
    frame = pd.DataFrame(x, index=[f"c{i}" for i in range(n)], columns=[f"q{j}" for j in range(m)])
    got = potentially_optimal(frame)
    leads = np.array([_lead_by_lp(x, i) for i in range(n)])
    assert got["can_be_first"].tolist() == (leads > 1e-9).tolist()
    assert got["can_share_first"].tolist() == (leads >= -1e-9).tolist()
    assert (got["lead_low"] <= leads + 1e-9).all() and (got["lead_high"] >= leads - 1e-9).all()
    if seed % 2:
        assert not got.loc["c0", "can_be_first"] and not got.loc["c1", "can_be_first"]


def test_agrees_with_a_fine_grid_of_weights_in_three_dimensions():
    rng = np.random.default_rng(11)
    x = rng.random((30, 3))
    steps = 200
    grid = (
        np.array(
            [(a, b, steps - a - b) for a, b in itertools.product(range(steps + 1), repeat=2) if a + b <= steps],
            dtype=float,
        )
        / steps
    )
    u = x @ grid.T
    winners = set(np.argmax(u, axis=0))
    got = potentially_optimal(pd.DataFrame(x))
    assert winners <= set(np.flatnonzero(got["can_be_first"].to_numpy()))  # every grid winner is found
    # and every candidate found wins somewhere: at its LP optimum (checked via the lead bound)
    assert (got.loc[got["can_be_first"], "lead_low"] > 0).all()


def test_single_candidate_and_dominated():
    assert potentially_optimal(pd.DataFrame([[1.0, 2.0]], index=["a"]))["can_be_first"].tolist() == [True]
    x = pd.DataFrame([[3.0, 3.0], [2.0, 2.0], [3.0, 1.0]], index=list("abc"))
    got = potentially_optimal(x)
    assert got["can_be_first"].tolist() == [True, False, False]
    assert got["can_share_first"].tolist() == [True, False, True]  # c ties a at all weight on the first
