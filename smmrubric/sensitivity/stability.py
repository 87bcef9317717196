"""Deterministic weight sensitivity: stability intervals, critical competencies, smallest winning change.

All three analyses are exact for the additive rubric score ``u_i(w) = sum_j w_j x_ij`` with weights on
the simplex; none uses a grid.

**One weight moves, the others keep their proportions.** Setting competency ``j``'s weight to ``t`` and
rescaling the others by ``(1 - t) / (1 - w_j)`` gives

``u_i(t) = t x_ij + (1 - t) y_ij``,  with ``y_ij = (u_i - w_j x_ij) / (1 - w_j)``,

a straight line in ``t``. Two candidates ``a`` (ahead at ``t = w_j``) and ``b`` swap where their lines
cross, at ``t* = w_j - d / s`` with ``d = u_a - u_b`` and ``s = (x_aj - x_bj) - (y_aj - y_bj)``. The
*weight stability interval* of ``j`` (Mareschal 1988) is the widest interval around ``w_j`` that
contains no such crossing for the pairs that matter: all pairs (the full ranking), the leader against
everyone (the top choice), or the top-k set against the rest (who is shortlisted).

**Critical competencies** (Triantaphyllou & Sanchez 1997, weighted sum model): changing the weight of
competency ``k`` from ``W_k`` to ``W_k - delta'`` (others unchanged; the ranking of a weighted sum does
not change when all weights are rescaled, so renormalising afterwards changes nothing) reverses
candidates ``i`` (ahead) and ``j`` at

``delta'_{k,i,j} = (P_j - P_i) / (a_jk - a_ik)``  (Theorem 1),

feasible when ``delta'_{k,i,j} <= W_k`` (the weight cannot go below 0); the relative change is
``delta_{k,i,j} = 100 delta'_{k,i,j} / W_k`` percent. The *percent-top* (PT) critical competency has
the smallest ``|delta_{k,1,j}|`` over feasible changes that dethrone the leader (``i = 1``); the
*percent-any* (PA) critical competency the smallest ``|delta_{k,i,j}|`` over all pairs ``i`` ahead of
``j``; the absolute-top and absolute-any versions use ``|delta'|`` (their Definitions 1-4). The
proportional-rescaling crossing above is the same event: ``t* = (W_k - delta') / (1 - delta')``.

**Smallest change that makes a candidate first**: the linear program

``min sum_j |v_j - w_j|``  s.t.  ``sum_j v_j = 1``, ``low <= v <= high``,
``(x_k - x_c) . v <= -margin`` for every other candidate ``k``,

solved with :func:`scipy.optimize.linprog` (HiGHS) after the usual split ``|v_j - w_j| <= e_j``. An
infeasible program (the candidate is dominated, or the bounds forbid it) is reported in the result,
not raised.

Ties: utilities equal to within ``1e-12`` of their scale count as tied. A pair tied at the base weights
whose lines diverge changes order at any move, so a tie that matters (in the top set, or at the
top-k cut) gives a zero-width interval ``[w_j, w_j]``; tied pairs are skipped by the criticality
measures (their order is undetermined to begin with).

References
----------
Mareschal, B. (1988). Weight stability intervals in multicriteria decision aid. *European Journal of
Operational Research*, 33(1), 54-64.
Triantaphyllou, E., & Sanchez, A. (1997). A sensitivity analysis approach for some deterministic
multi-criteria decision-making methods. *Decision Sciences*, 28(1), 151-194.
Wolters, W. T. M., & Mareschal, B. (1995). Novel types of sensitivity analysis for additive MCDM
methods. *European Journal of Operational Research*, 81(2), 281-290.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from ..errors import SmmrubricError
from ..ranking import TIE_TOLERANCE, argsort_ties, tie_scale, top_k
from ..validation import check_choice, check_int, check_number
from ._inputs import score_and_weights
from .samplers import _bounds

__all__ = [
    "Criticality",
    "WeightChange",
    "changes_to_first",
    "critical_competencies",
    "min_change_to_first",
    "stability_intervals",
]

#: Pairs handled at once (memory stays ~ a few tens of MB for any pool size).
PAIR_BLOCK = 1 << 20


def _pairs(u: np.ndarray, ids: pd.Index, scope: str, k: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (a, b), a at least as good as b, whose order defines ``scope``.

    Candidates are ordered by :func:`smmrubric.ranking.argsort_ties` (totals within the tie tolerance are
    ties, broken by id), so the pairs and the top-k set do not depend on the CPU's rounding.
    """
    n = len(u)
    order = argsort_ties(u, ids)
    if scope == "ranking":
        a, b = np.triu_indices(n, 1)
        return order[a], order[b]
    if scope == "top":
        inside = u >= u[order[0]] - tie_scale(u)
    else:
        inside = np.zeros(n, dtype=bool)
        inside[order[:k]] = True
    ins, out = np.flatnonzero(inside), np.flatnonzero(~inside)
    a, b = np.repeat(ins, len(out)), np.tile(out, len(ins))
    if scope == "top" and len(ins) > 1:  # a tie for first: the top *set* must also stay tied
        ia, ib = np.triu_indices(len(ins), 1)
        a, b = np.concatenate([a, ins[ia]]), np.concatenate([b, ins[ib]])
    return a, b


def _interval(
    x: np.ndarray, u: np.ndarray, w: np.ndarray, j: int, a: np.ndarray, b: np.ndarray, tol: float
) -> tuple[float, float, int, int]:
    """Stability interval of weight j for pairs (a ahead of b); returns (lower, upper, lower pair, upper pair)."""
    wj = w[j]
    y = (u - wj * x[:, j]) / (1.0 - wj)
    lower, upper, lo_at, hi_at = 0.0, 1.0, -1, -1
    for s0 in range(0, len(a), PAIR_BLOCK):
        pa, pb = a[s0 : s0 + PAIR_BLOCK], b[s0 : s0 + PAIR_BLOCK]
        d = u[pa] - u[pb]
        s = (x[pa, j] - x[pb, j]) - (y[pa] - y[pb])
        moving = np.abs(s) > tol
        tied = (np.abs(d) <= tol) & moving
        if tied.any():
            return wj, wj, s0 + int(np.flatnonzero(tied)[0]), s0 + int(np.flatnonzero(tied)[0])
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(moving, wj - d / np.where(moving, s, 1.0), np.nan)
        below = moving & (s > 0) & (t >= 0)
        above = moving & (s < 0) & (t <= 1)
        if below.any():
            i = _first_extreme(t, below, largest=True)
            if t[i] > lower + TIE_TOLERANCE or lo_at < 0:
                lower, lo_at = max(lower, float(t[i])), s0 + i
        if above.any():
            i = _first_extreme(t, above, largest=False)
            if t[i] < upper - TIE_TOLERANCE or hi_at < 0:
                upper, hi_at = min(upper, float(t[i])), s0 + i
    return lower, upper, lo_at, hi_at


def _first_extreme(t: np.ndarray, mask: np.ndarray, *, largest: bool) -> int:
    """The first pair (in pair order) whose crossing ``t`` is within the tie tolerance of the extreme.

    Several pairs often cross at the same weight (candidates with identical profiles): the one reported is
    then the first in the tie-aware pair order, not whichever floating-point noise makes extreme.
    """
    where = np.flatnonzero(mask)
    values = t[where]
    extreme = values.max() if largest else values.min()
    close = np.abs(values - extreme) <= TIE_TOLERANCE
    return int(where[np.flatnonzero(close)[0]])


def stability_intervals(
    scores: pd.DataFrame, weights: Any, *, scope: str = "ranking", k: int | None = None
) -> pd.DataFrame:
    """Weight stability intervals (Mareschal 1988), exact from the pairwise crossings.

    For each competency ``j``: the interval ``[lower, upper]`` that its weight can move through, the
    other weights keeping their proportions, without changing the full ranking (``scope="ranking"``),
    the top choice (``"top"``) or the top-``k`` set (``"top_k"``). See the module docstring for the
    crossing formula ``t* = w_j - d / s``.

    Parameters
    ----------
    scores
        Candidates x competencies (index ``candidate_id``).
    weights
        Series indexed by ``competency_id`` (normalised to sum 1) or a Rubric.
    scope
        ``"ranking"``, ``"top"`` or ``"top_k"``.
    k
        Size of the shortlist for ``scope="top_k"`` (1 <= k < number of candidates).

    Returns
    -------
    DataFrame
        Index ``competency_id``; columns ``weight, lower, upper, width`` and ``lower_swap``,
        ``upper_swap`` (the pair ``"a > b"`` whose order flips at that end; empty if the interval
        reaches 0 or 1 without a flip). A competency whose weight is 1 has no "other weights" to
        rescale: its row is NaN.

    Examples
    --------
    >>> x = pd.DataFrame([[.8, .2], [.3, .6]], index=["a", "b"], columns=["c1", "c2"])
    >>> out = stability_intervals(x, pd.Series([.5, .5], index=["c1", "c2"]))
    >>> out[["lower", "upper"]].round(4).to_numpy().tolist()  # exact: [4/9, 1] and [0, 5/9]
    [[0.4444, 1.0], [0.0, 0.5556]]
    """
    frame, w = score_and_weights(scores, weights)
    scope = check_choice(scope, "scope", ("ranking", "top", "top_k"))
    n = len(frame)
    if scope == "top_k":
        if k is None:
            raise SmmrubricError("needs k for scope='top_k'", field="k")
        k = check_int(k, "k", low=1, high=max(1, n - 1))
    if n < 2:
        raise SmmrubricError("needs at least two candidates", field="scores")
    x = frame.to_numpy()
    u = x @ w
    tol = TIE_TOLERANCE * max(1.0, float(np.abs(x).max()))
    ids = frame.index
    a, b = _pairs(u, ids, scope, k)
    rows = []
    for j in range(len(frame.columns)):
        if w[j] >= 1.0 - 1e-15:
            rows.append((w[j], np.nan, np.nan, "", ""))
            continue
        lo, hi, lo_at, hi_at = _interval(x, u, w, j, a, b, tol)
        lo_pair = f"{ids[a[lo_at]]} > {ids[b[lo_at]]}" if lo_at >= 0 else ""
        hi_pair = f"{ids[a[hi_at]]} > {ids[b[hi_at]]}" if hi_at >= 0 else ""
        rows.append((w[j], lo, hi, lo_pair, hi_pair))
    out = pd.DataFrame(
        rows,
        index=pd.Index(frame.columns, name="competency_id"),
        columns=["weight", "lower", "upper", "lower_swap", "upper_swap"],
    )
    out.insert(3, "width", out["upper"] - out["lower"])
    out.attrs["scope"] = scope if scope != "top_k" else f"top_{k}"
    return out


@dataclass(frozen=True)
class Criticality:
    """Result of :func:`critical_competencies`.

    Attributes
    ----------
    table : DataFrame
        Per competency: ``weight``; ``top_abs``, ``top_pct`` (smallest feasible ``|delta'|`` and
        ``|delta|`` in percent that dethrones the leader) with ``top_pair``; ``any_abs``,
        ``any_pct``, ``any_pair`` (the same over every pair). NaN where no feasible change exists.
    percent_top, percent_any, absolute_top, absolute_any : str or None
        The critical competency under each definition (None if no weight change alters that order).
    """

    table: pd.DataFrame
    percent_top: str | None
    percent_any: str | None
    absolute_top: str | None
    absolute_any: str | None


def _smallest(
    x: np.ndarray, u: np.ndarray, w: np.ndarray, k: int, a: np.ndarray, b: np.ndarray, tol: float
) -> tuple[float, int]:
    """Smallest feasible |delta'_{k,a,b}| over pairs (a ahead of b), and the pair's position."""
    best, at = np.inf, -1
    for s0 in range(0, len(a), PAIR_BLOCK):
        pa, pb = a[s0 : s0 + PAIR_BLOCK], b[s0 : s0 + PAIR_BLOCK]
        gap = u[pb] - u[pa]  # P_j - P_i <= 0
        diff = x[pb, k] - x[pa, k]  # a_jk - a_ik
        ok = (np.abs(diff) > tol) & (gap < -tol)
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = np.where(ok, gap / np.where(ok, diff, 1.0), np.nan)
        ok &= delta <= w[k] + tol
        if ok.any():
            cand = np.abs(delta)
            i = _first_extreme(cand, ok, largest=False)
            if cand[i] < best - TIE_TOLERANCE:
                best, at = float(cand[i]), s0 + i
    return best, at


def critical_competencies(scores: pd.DataFrame, weights: Any) -> Criticality:
    """Most critical competencies of a weighted-sum rubric (Triantaphyllou & Sanchez 1997).

    For every competency ``k`` and pair of candidates ``i`` (ahead) and ``j``, the change of ``W_k``
    that reverses them is ``delta'_{k,i,j} = (P_j - P_i) / (a_jk - a_ik)`` (feasible if
    ``delta' <= W_k``); in percent ``delta = 100 delta' / W_k``. The percent-top critical competency
    minimises ``|delta_{k,1,j}|`` (changes who is first), percent-any ``|delta_{k,i,j}|`` over all
    pairs (changes any order). See the module docstring.

    Parameters
    ----------
    scores
        Candidates x competencies.
    weights
        Series indexed by ``competency_id`` or a Rubric.

    Returns
    -------
    Criticality
    """
    frame, w = score_and_weights(scores, weights)
    if len(frame) < 2:
        raise SmmrubricError("needs at least two candidates", field="scores")
    x = frame.to_numpy()
    u = x @ w
    tol = TIE_TOLERANCE * max(1.0, float(np.abs(x).max()))
    ids = frame.index
    top_a, top_b = _pairs(u, ids, "top", None)
    all_a, all_b = _pairs(u, ids, "ranking", None)
    rows = []
    for k in range(len(w)):
        t_abs, t_at = _smallest(x, u, w, k, top_a, top_b, tol)
        a_abs, a_at = _smallest(x, u, w, k, all_a, all_b, tol)

        def pct(v: float, weight: float = w[k]) -> float:
            return 100 * v / weight if weight > 0 else np.inf

        rows.append(
            (
                w[k],
                t_abs if t_at >= 0 else np.nan,
                pct(t_abs) if t_at >= 0 else np.nan,
                f"{ids[top_a[t_at]]} > {ids[top_b[t_at]]}" if t_at >= 0 else "",
                a_abs if a_at >= 0 else np.nan,
                pct(a_abs) if a_at >= 0 else np.nan,
                f"{ids[all_a[a_at]]} > {ids[all_b[a_at]]}" if a_at >= 0 else "",
            )
        )
    table = pd.DataFrame(
        rows,
        index=pd.Index(frame.columns, name="competency_id"),
        columns=["weight", "top_abs", "top_pct", "top_pair", "any_abs", "any_pct", "any_pair"],
    )

    def arg(col: str) -> str | None:  # the smallest value; ties within the tolerance go to the first id
        v = table[col].replace(np.inf, np.nan)
        return None if v.isna().all() else str(top_k(v, 1, descending=False)[0])

    return Criticality(table, arg("top_pct"), arg("any_pct"), arg("top_abs"), arg("any_abs"))


@dataclass(frozen=True)
class WeightChange:
    """Result of :func:`min_change_to_first`.

    Attributes
    ----------
    candidate_id
        The candidate to make first.
    feasible : bool
        Whether any admissible weights make it first.
    distance : float
        ``sum_j |v_j - w_j|`` (0 if it is already first; NaN if infeasible). Between two weight
        vectors on the simplex it is at most 2.
    weights : Series
        The closest winning weights ``v`` (NaN if infeasible).
    change : Series
        ``v - w``.
    message : str
        Plain-language outcome (why it is infeasible, when it is).
    """

    candidate_id: Any
    feasible: bool
    distance: float
    weights: pd.Series
    change: pd.Series
    message: str


def min_change_to_first(
    scores: pd.DataFrame, weights: Any, candidate: Any, *, margin: float = 0.0, bounds: Mapping[str, Any] | None = None
) -> WeightChange:
    """Smallest L1 change of the weights that puts ``candidate`` first (a linear program).

    Solves ``min sum_j e_j`` over ``(v, e)`` with ``-e <= v - w <= e``, ``sum v = 1``,
    ``low <= v <= high`` and ``(x_k - x_c) . v <= -margin`` for every other candidate ``k``, with
    :func:`scipy.optimize.linprog` (HiGHS). With ``margin = 0`` the candidate may share first place;
    a positive margin (in score points) asks for a strict lead.

    Parameters
    ----------
    scores
        Candidates x competencies.
    weights
        Current weights (Series indexed by ``competency_id``, or a Rubric).
    candidate
        A ``candidate_id`` of ``scores``.
    margin
        Required lead over every other candidate (>= 0).
    bounds
        Optional ``{competency_id: (low, high)}`` limits on the new weights (default [0, 1]).

    Returns
    -------
    WeightChange
        ``feasible=False`` with a message if no admissible weights make the candidate first.
    """
    frame, w = score_and_weights(scores, weights)
    try:
        known = candidate in frame.index
    except TypeError:  # unhashable (a list, a dict, ...)
        known = False
    if not known:
        raise SmmrubricError("unknown candidate", row=str(candidate), field="candidate")
    margin = check_number(margin, "margin", low=0.0)
    low, high = _bounds(bounds, list(frame.columns))
    x = frame.to_numpy()
    m = x.shape[1]
    c = int(frame.index.get_loc(candidate))
    others = np.delete(np.arange(len(x)), c)
    eye = np.eye(m)
    a_ub = np.vstack(
        [
            np.hstack([eye, -eye]),
            np.hstack([-eye, -eye]),
            np.hstack([x[others] - x[c], np.zeros((len(others), m))]),
        ]
    )
    b_ub = np.concatenate([w, -w, np.full(len(others), -margin)])
    a_eq = np.hstack([np.ones(m), np.zeros(m)])[None, :]
    res = linprog(
        np.concatenate([np.zeros(m), np.ones(m)]),
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=list(zip(low, high)) + [(0, None)] * m,
        method="highs",
    )
    ids = pd.Index(frame.columns, name="competency_id")
    base = pd.Series(w, index=ids, name="weight")
    if res.status == 2:
        nan = pd.Series(np.nan, index=ids, name="weight")
        dominated = ((x[others] >= x[c]).all(axis=1) & (x[others] > x[c]).any(axis=1)).any()
        why = (
            "it is dominated: another candidate scores at least as high on every competency and higher on one"
            if dominated
            else "no admissible weights (within the bounds, with the margin) put it first"
        )
        return WeightChange(
            candidate, False, np.nan, nan, nan.rename("change"), f"No weights make {candidate} first: {why}."
        )
    if res.status != 0:
        raise SmmrubricError(f"the linear program failed: {res.message}", field="scores")
    v = np.clip(res.x[:m], 0, None)
    v /= v.sum()
    new = pd.Series(v, index=ids, name="weight")
    distance = float(np.abs(v - w).sum())
    msg = (
        f"{candidate} is already first."
        if distance < 1e-12
        else f"Moving {distance / 2:.1%} of the total weight (L1 distance {distance:.4f}) makes {candidate} first."
    )
    return WeightChange(candidate, True, distance, new, (new - base).rename("change"), msg)


def changes_to_first(scores: pd.DataFrame, weights: Any, places: Any = (2,)) -> pd.DataFrame:
    """:func:`min_change_to_first` for the candidates at some places of the current ranking.

    Places are counted in the tie-aware order of :func:`smmrubric.ranking.top_k` (ties by id). The largest
    changes listed are at most four, above .005 each.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``place``: ``candidate_id``, ``feasible``, ``moved`` (the share of the total weight moved,
        half the L1 distance), ``largest_changes`` (the largest changes, as text).
    """
    frame, w = score_and_weights(scores, weights)
    places = [check_int(p, "places", low=1, high=len(frame)) for p in np.atleast_1d(places).tolist()]
    order = top_k(pd.Series(frame.to_numpy() @ w, index=frame.index), max(places))
    base = pd.Series(w, index=frame.columns)
    rows = []
    for place in places:
        change = min_change_to_first(frame, base, order[place - 1])
        moved = change.change[change.change.abs() > 0.005]
        big = moved.iloc[argsort_ties(moved.abs().to_numpy(), moved.index)[:4]] if len(moved) else moved
        rows.append(
            {
                "place": place,
                "candidate_id": order[place - 1],
                "feasible": change.feasible,
                "moved": change.distance / 2,
                "largest_changes": ", ".join(f"{c} {v:+.3f}" for c, v in big.items()),
            }
        )
    return pd.DataFrame(rows).set_index("place")
