"""Stability intervals, critical competencies and the smallest winning weight change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.sensitivity import critical_competencies, min_change_to_first, stability_intervals

TWO = pd.DataFrame([[0.8, 0.2], [0.3, 0.6]], index=["a", "b"], columns=["c1", "c2"])
HALF = pd.Series([0.5, 0.5], index=["c1", "c2"])


def _rescaled(w: np.ndarray, j: int, t: float) -> np.ndarray:
    v = w * (1 - t) / (1 - w[j])
    v[j] = t
    return v


def _order(x: np.ndarray, w: np.ndarray) -> list[int]:
    return list(np.argsort(-(x @ w), kind="stable"))


def test_two_candidates_by_hand():
    # a = (.8, .2), b = (.3, .6): with w1 = t, a ahead iff .9 t > .4, so the ranking holds for t in [4/9, 1]
    out = stability_intervals(TWO, HALF)
    assert np.allclose(out.loc["c1", ["lower", "upper"]].astype(float), [4 / 9, 1])
    assert np.allclose(out.loc["c2", ["lower", "upper"]].astype(float), [0, 5 / 9])
    assert out.loc["c1", "lower_swap"] == "a > b" and out.loc["c1", "upper_swap"] == ""
    assert np.isclose(out.loc["c1", "width"], 5 / 9)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("scope,k", [("ranking", None), ("top", None), ("top_k", 3)])
def test_intervals_are_exact(seed, scope, k):
    rng = np.random.default_rng(seed)
    x = rng.random((9, 4))
    w = rng.dirichlet(np.ones(4))
    frame = pd.DataFrame(x, columns=list("pqrs"))
    out = stability_intervals(frame, pd.Series(w, index=list("pqrs")), scope=scope, k=k)

    def key(v):
        order = _order(x, v)
        return tuple(order) if scope == "ranking" else (order[0] if scope == "top" else frozenset(order[:k]))

    base = key(w)
    for j, (lo, hi) in enumerate(out[["lower", "upper"]].to_numpy()):
        eps = 1e-7
        for t in np.linspace(lo + eps, hi - eps, 7):
            assert key(_rescaled(w, j, t)) == base  # nothing changes inside
        if lo > eps:
            assert key(_rescaled(w, j, lo - eps)) != base  # and something does just outside
        if hi < 1 - eps:
            assert key(_rescaled(w, j, hi + eps)) != base


def test_top_interval_contains_ranking_interval(rng):
    frame = pd.DataFrame(rng.random((15, 5)), columns=list("vwxyz"))
    w = pd.Series(rng.dirichlet(np.ones(5)), index=list("vwxyz"))
    full = stability_intervals(frame, w)
    top = stability_intervals(frame, w, scope="top")
    assert (top["lower"] <= full["lower"] + 1e-12).all() and (top["upper"] >= full["upper"] - 1e-12).all()


def test_ties():
    # identical profiles stay tied whatever the weights: they constrain nothing
    x = pd.DataFrame([[3, 1], [3, 1], [1, 2]], index=["a", "b", "c"], columns=["p", "q"])
    out = stability_intervals(x, pd.Series([0.5, 0.5], index=["p", "q"]))
    assert np.allclose(out.loc["p", ["lower", "upper"]].astype(float), [1 / 3, 1])
    # a tie for first between different profiles breaks at any move: zero width
    y = pd.DataFrame([[3, 1], [1, 3], [0, 0]], index=["a", "b", "c"], columns=["p", "q"])
    top = stability_intervals(y, pd.Series([0.5, 0.5], index=["p", "q"]), scope="top")
    assert (top["width"] == 0).all()


def test_critical_by_hand_and_against_intervals():
    # P = (.5, .45). delta'_{c1} = (.45 - .5) / (.3 - .8) = .1 (20% of .5); delta'_{c2} = -.05 / .4 = -.125 (25%)
    crit = critical_competencies(TWO, HALF)
    assert np.allclose(crit.table["top_abs"], [0.1, 0.125]) and np.allclose(crit.table["top_pct"], [20, 25])
    assert crit.percent_top == "c1" and crit.percent_any == "c1" and crit.absolute_any == "c1"
    # the same event as the proportional-rescaling crossing: t* = (W - delta') / (1 - delta')
    assert np.isclose((0.5 - 0.1) / (1 - 0.1), 4 / 9) and np.isclose((0.5 + 0.125) / (1 + 0.125), 5 / 9)


def test_critical_matches_brute_force(rng):
    x = rng.random((7, 3))
    w = rng.dirichlet(np.ones(3))
    frame = pd.DataFrame(x, columns=["a", "b", "c"])
    crit = critical_competencies(frame, pd.Series(w, index=["a", "b", "c"]))
    u = x @ w
    for k in range(3):
        best = np.inf
        for i in range(7):
            for j in range(7):
                if u[i] > u[j] and x[j, k] != x[i, k]:
                    d = (u[j] - u[i]) / (x[j, k] - x[i, k])
                    if d <= w[k]:
                        best = min(best, abs(d))
        assert np.isclose(crit.table["any_abs"].iloc[k], best)


def test_min_change_by_hand():
    r = min_change_to_first(TWO, HALF, "b")
    # b wins once w1 <= 4/9: move 1/18 from c1 to c2, L1 distance 1/9
    assert r.feasible and np.isclose(r.distance, 1 / 9)
    assert np.allclose(r.weights, [4 / 9, 5 / 9]) and np.isclose(r.change.sum(), 0)
    assert min_change_to_first(TWO, HALF, "a").distance == 0


def test_min_change_is_the_minimum(rng):
    x = rng.random((6, 3))
    w = np.array([0.5, 0.3, 0.2])
    frame = pd.DataFrame(x, columns=["p", "q", "r"])
    target = int(np.argmin(x @ w))  # the current last
    r = min_change_to_first(frame, pd.Series(w, index=["p", "q", "r"]), target)
    v = rng.dirichlet(np.ones(3), 200_000)
    wins = (x[target] @ v.T) >= (x @ v.T).max(axis=0) - 1e-12
    if not r.feasible:
        assert not wins.any()
        return
    assert np.abs(v[wins] - w).sum(axis=1).min() >= r.distance - 1e-9
    u = x @ r.weights.to_numpy()
    assert u[target] >= u.max() - 1e-9


def test_infeasible_is_reported_not_raised():
    x = pd.DataFrame([[1, 1], [0, 0.5]], index=["p", "q"], columns=["c1", "c2"])
    r = min_change_to_first(x, HALF, "q")
    assert not r.feasible and np.isnan(r.distance) and "dominated" in r.message
    r2 = min_change_to_first(TWO, HALF, "b", bounds={"c1": (0.45, 1.0)})
    assert not r2.feasible and "bounds" in r2.message
    r3 = min_change_to_first(TWO, HALF, "b", margin=0.05)
    assert (
        r3.feasible
        and (TWO.to_numpy() @ r3.weights.to_numpy())[1] >= 0.05 + (TWO.to_numpy() @ r3.weights.to_numpy())[0] - 1e-9
    )


def test_errors():
    with pytest.raises(SmmrubricError, match="no weight"):
        stability_intervals(TWO, pd.Series([1.0], index=["c1"]))
    with pytest.raises(SmmrubricError, match="needs k"):
        stability_intervals(TWO, HALF, scope="top_k")
    with pytest.raises(SmmrubricError, match="scope"):
        stability_intervals(TWO, HALF, scope="best")
    with pytest.raises(SmmrubricError, match="unknown candidate"):
        min_change_to_first(TWO, HALF, "zz")
    with pytest.raises(SmmrubricError, match="field 'candidate': unknown candidate"):
        min_change_to_first(TWO, HALF, ["a"])  # unhashable: was a raw TypeError
    with pytest.raises(SmmrubricError, match="weight must be >= 0"):
        critical_competencies(TWO, pd.Series([1.0, -1], index=["c1", "c2"]))


# -- issue 15: booleans, complex numbers and ids that collide as text ----------------------------------


@pytest.mark.parametrize(
    "scores, weights, row, field, fragment",
    [
        (TWO.astype(object).where(TWO > 0.5, True), HALF, "b", "c1", "real number"),
        (TWO.astype(complex), HALF, "a", "c1", "real number"),
        (TWO, pd.Series([True, True], index=["c1", "c2"]), "c1", "weights", "True/False"),
        (TWO, pd.Series([0.5 + 0j, 0.5], index=["c1", "c2"]), "c1", "weights", "complex"),
        (
            TWO.set_axis([1, "1"], axis=1),
            pd.Series([0.5, 0.5], index=[1, "1"]),
            "1",
            "scores columns (competency_id)",
            "1 and '1' are the same id once written as text",
        ),
        (TWO.set_axis([1, "1"], axis=0), HALF, "1", "scores index (candidate_id)", "same id once written as text"),
        (
            TWO,
            pd.Series([0.5, 0.5, 0.1], index=["c1", "c2", "x"]).set_axis(["c1", 1, "1"]),
            "1",
            "weights index (competency_id)",
            "same id once written as text",
        ),
    ],
)
def test_stability_intervals_refuse_non_real_values_and_colliding_ids(scores, weights, row, field, fragment):
    with pytest.raises(SmmrubricError, match=fragment) as info:
        stability_intervals(scores, weights)
    assert (info.value.row, info.value.field) == (row, field)


def test_changes_to_first_is_min_change_to_first_by_place(rng):
    from smmrubric.ranking import top_k
    from smmrubric.sensitivity import changes_to_first

    x = pd.DataFrame(rng.random((12, 4)), index=[f"k{i:02d}" for i in range(12)], columns=list("pqrs"))
    w = pd.Series([0.4, 0.3, 0.2, 0.1], index=list("pqrs"))
    table = changes_to_first(x, w, places=[1, 2, 5])
    order = top_k(pd.Series(x.to_numpy() @ w.to_numpy(), index=x.index), 5)
    for place in (1, 2, 5):
        expected = min_change_to_first(x, w, order[place - 1])
        assert table.loc[place, "candidate_id"] == order[place - 1]
        assert table.loc[place, "moved"] == pytest.approx(expected.distance / 2, nan_ok=True)
        assert table.loc[place, "feasible"] == expected.feasible
    assert table.loc[1, "moved"] == pytest.approx(0.0) and table.loc[1, "largest_changes"] == ""
