"""Which candidates can be hired first under *some* weights? Potential optimality, exactly.

SMAA (:func:`smmrubric.sensitivity.smaa`) estimates how *often* each candidate wins under random weights; a
candidate that wins only in a thin corner of the weight simplex can be missed by thousands of draws. Whether a
candidate can win at all is a linear program (the machinery of
:func:`smmrubric.sensitivity.min_change_to_first`). For candidate ``i`` with scores ``x_i`` the largest lead it
can take over everyone else is

``t*_i = max_{w in simplex} min_{k != i} (x_i - x_k) . w``

(``max t`` s.t. ``(x_k - x_i) . w + t <= 0`` for every other ``k``, ``sum w = 1``, ``w >= 0``). ``i`` can be first
alone when ``t*_i > 0`` and can share first place when ``t*_i >= 0`` (potential optimality; Hazen 1986, for
additive value functions). By Ville's theorem of the alternative, ``t*_i <= 0`` exactly when some convex
combination of the other candidates scores at least as high as ``i`` on every competency.

Most candidates are decided without a linear program, by two exact bounds:

* a witness: any weights ``w`` give ``t*_i >= u_i(w) - max_{k != i} u_k(w)``; the vertices of the simplex (all
  weight on one competency) and the midpoints of its edges (half on each of two) are tried;
* a single opponent: ``t*_i <= min_k max_j (x_ij - x_kj)`` (against one opponent ``k`` the best weights put
  everything on ``i``'s largest advantage), so a candidate matched or beaten on every competency by one other
  cannot lead.

The rest are solved with :func:`scipy.optimize.linprog` (HiGHS dual simplex). Comparisons use the tie tolerance of
:mod:`smmrubric.ranking` (a lead within it counts as a tie).

References
----------
Hazen, G. B. (1986). Partial information, dominance, and potential optimality in multiattribute utility
theory. *Operations Research*, 34(2), 296-310.
Lahdelma, R., & Salminen, P. (2001). SMAA-2: Stochastic multicriteria acceptability analysis for group decision
making. *Operations Research*, 49(3), 444-454.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from ..errors import SmmrubricError
from ..ranking import tie_scale
from ..validation import check_score_matrix

__all__ = ["potentially_optimal"]


def _lead(x: np.ndarray, i: int) -> float:
    """``t*_i`` by linear programming."""
    n, m = x.shape
    others = np.delete(np.arange(n), i)
    a_ub = np.hstack([x[others] - x[i], np.ones((n - 1, 1))])
    res = linprog(
        np.r_[np.zeros(m), -1.0],
        A_ub=a_ub,
        b_ub=np.zeros(n - 1),
        A_eq=np.r_[np.ones(m), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0.0, None)] * m + [(None, None)],
        method="highs-ds",
        options={"presolve": False},
    )
    if res.status != 0:
        raise SmmrubricError(f"the linear program failed: {res.message}", field="scores")
    return float(-res.fun)


def potentially_optimal(scores: pd.DataFrame) -> pd.DataFrame:
    """For every candidate, whether some weights make it first: exactly, not counted from random draws.

    Parameters
    ----------
    scores
        Candidates x competencies (weights range over the whole simplex of these competencies).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``candidate_id`` in the input order: ``can_be_first`` (``t* > tol``: first alone under some
        weights), ``can_share_first`` (``t* >= -tol``), ``lead_low`` and ``lead_high`` (exact bounds on ``t*``,
        equal when a linear program was solved) and ``method`` (``"vertex"``, ``"opponent"`` or ``"lp"``: what
        decided it).

    Examples
    --------
    >>> x = pd.DataFrame([[3, 1], [1, 3], [1.9, 1.9], [1, 1]], index=list("abcd"), columns=["s", "t"])
    >>> potentially_optimal(x)["can_be_first"].tolist()   # c loses to the a-b mix (2, 2) whatever the weights
    [True, True, False, False]
    """
    frame = check_score_matrix(scores)
    x = frame.to_numpy(dtype=float)
    n = x.shape[0]
    tol = float(tie_scale(x))
    if n == 1:
        return pd.DataFrame(
            {
                "can_be_first": [True],
                "can_share_first": [True],
                "lead_low": [np.inf],
                "lead_high": [np.inf],
                "method": ["vertex"],
            },
            index=frame.index,
        )
    m = x.shape[1]
    j, k = np.triu_indices(m, 1)
    witnesses = np.vstack([np.eye(m), (np.eye(m)[j] + np.eye(m)[k]) / 2])
    u = x @ witnesses.T
    order = np.sort(u, axis=0)
    best, second = order[-1], order[-2]
    # lead under each witness: the candidate's total minus the best of the others'
    vertex = np.where(u >= best, u - second, u - best).max(axis=1)
    # against one opponent the lead is at most i's largest advantage over it
    diff_max = (x[:, None, :] - x[None, :, :]).max(axis=2)
    np.fill_diagonal(diff_max, np.inf)
    opponent = diff_max.min(axis=1)
    low, high = vertex.copy(), opponent.copy()
    # t* in [low, high]: "first alone" (t* > tol) and "shares first" (t* >= -tol) are decided by the bounds
    # unless a threshold falls between them; then the linear program gives t* itself
    need = ((low <= tol) & (high > tol)) | ((low < -tol) & (high >= -tol))
    method = np.where(low >= -tol, "vertex", "opponent").astype(object)
    for i in np.flatnonzero(need):
        low[i] = high[i] = _lead(x, int(i))
        method[i] = "lp"
    return pd.DataFrame(
        {
            "can_be_first": low > tol,
            "can_share_first": low >= -tol,
            "lead_low": low,
            "lead_high": high,
            "method": method,
        },
        index=frame.index,
    )
