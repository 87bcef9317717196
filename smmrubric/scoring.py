"""Scoring and ranking candidates on a rubric.

The score of candidate ``i`` is the weighted sum of their mean ratings with the rubric's normalised
weights, on the rubric's own scale:

``total_i = sum_j w_j x_ij``,  ``sum_j w_j = 1``  (the simple additive weighting, or weighted sum
model, of multi-criteria decision analysis; Fishburn, 1967).

Because each candidate's total depends only on their own ratings and the fixed weights and scale,
adding or removing a candidate never changes the order of the others (no rank reversal, unlike
methods that normalise by the pool, e.g. AHP or TOPSIS; Belton & Gear, 1983).

Decision rules (``rule=``), for rubrics with must-have levels (knockouts):

``"compensatory"`` (default)
    Everyone is ranked by ``total``, but the must-haves are knockouts: a candidate below a must-have
    level ranks after every candidate who meets them all, however high their total (a high score
    elsewhere cannot buy back a knockout). Within each group, by ``total``.
``"hurdle"`` (multiple hurdle)
    The must-haves are a first stage: only candidates who meet all of them are ranked, by ``total``;
    the others get no rank (``<NA>``). Screened-out candidates need only be rated on the must-have
    competencies; their total, if any, is computed over what was rated.
``"compensatory_ignore_must_haves"``
    A pure weighted sum: must-haves are reported in ``must_haves_met`` but do not affect the rank.

Without must-haves the three rules give the same ranking.

References
----------
Fishburn, P. C. (1967). Additive utilities with incomplete product sets: application to priorities
and assignments. *Operations Research*, 15(3), 537-542.
Belton, V., & Gear, T. (1983). On a short-coming of Saaty's method of analytic hierarchies. *Omega*,
11(3), 228-230.
Cascio, W. F., & Aguinis, H. (2019). *Applied psychology in talent management* (8th ed.), ch. 14
(compensatory, multiple-cutoff and multiple-hurdle selection strategies). Sage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import SmmrubricError, shown
from .ranking import rank_scores
from .ratings import (
    AggregatedRatings,
    RatingsTable,
    aggregate_ratings,
    raise_missing,
    required_competencies,
    source_file,
)
from .rubric import check_rubric
from .validation import check_choice, check_real, real_matrix, text_ids

if TYPE_CHECKING:
    from .rubric import Rubric

__all__ = ["RULES", "score", "weighted_sum"]

RULES = ("compensatory", "hurdle", "compensatory_ignore_must_haves")


def weighted_sum(matrix: Any, weights: Any) -> np.ndarray:
    """Weighted sum of criteria scores, vectorised (the WSM of multi-criteria decision analysis).

    ``S_i = sum_j w_j x_ij`` for every row ``i``; with a 2-D ``weights`` (one weight vector per row
    of it) ``S_ik = sum_j w_kj x_ij``. The weights are used as given (normalise them first to stay on
    the rating scale).

    Parameters
    ----------
    matrix
        ``(n, m)`` array of finite scores (alternatives x criteria).
    weights
        ``(m,)`` or ``(k, m)`` finite weights.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` or ``(n, k)``.

    Examples
    --------
    >>> weighted_sum([[1, 5], [3, 3]], [0.25, 0.75]).tolist()
    [4.0, 3.0]
    """
    check_real(matrix, "matrix")
    check_real(weights, "weights")
    try:
        x = np.asarray(matrix, dtype=float)
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise SmmrubricError("matrix and weights must be numbers", field="matrix") from None
    if x.ndim != 2:
        raise SmmrubricError(f"must be 2-D (alternatives x criteria), got shape {x.shape}", field="matrix")
    if w.ndim not in (1, 2) or w.shape[-1] != x.shape[1]:
        raise SmmrubricError(
            f"must have {x.shape[1]} weights per vector (one per criterion), got shape {w.shape}", field="weights"
        )
    if not np.all(np.isfinite(x)):
        raise SmmrubricError("scores must be finite (no NaN or infinity)", field="matrix")
    if not np.all(np.isfinite(w)):
        raise SmmrubricError("weights must be finite", field="weights")
    return x @ w.T


def _wide(matrix: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Check a candidates x competencies score matrix against the rubric; return it in rubric order."""
    for axis, what in ((matrix.index, "index (candidate ids)"), (matrix.columns, "columns (competency ids)")):
        if isinstance(axis, pd.MultiIndex):
            raise SmmrubricError(
                f"the score matrix's {what} must be one level, not a MultiIndex",
                field="candidate_id" if axis is matrix.index else "competency_id",
            )
    if not matrix.index.is_unique:
        dup = matrix.index[matrix.index.duplicated()][0]
        raise SmmrubricError(
            "candidate appears twice in the score matrix", row=f"candidate {dup}", field="candidate_id"
        )
    if len(matrix) == 0:
        raise SmmrubricError("the score matrix has no candidates", field="ratings")
    if matrix.index.hasnans or (matrix.index.astype(str).str.strip() == "").any():
        raise SmmrubricError("empty candidate id in the score matrix index", field="candidate_id")
    ids = rubric.competency_ids
    unknown = [c for c in matrix.columns if c not in set(ids)]
    if unknown:
        raise SmmrubricError(
            f"unknown competency {shown(unknown[0])} (not in the rubric {shown(rubric.name)})", field=str(unknown[0])
        )
    if not matrix.columns.is_unique:
        raise SmmrubricError("a competency column appears twice", field="ratings")
    values = real_matrix(matrix, "ratings", rows=[f"candidate {c}" for c in matrix.index])
    lo, hi = rubric.scale.min, rubric.scale.max
    with np.errstate(invalid="ignore"):
        outside = np.argwhere(np.isinf(values) | (values < lo) | (values > hi))
    if outside.size:
        i, j = outside[0]
        raise SmmrubricError(
            f"score {values[i, j]:g} is outside the scale {lo}-{hi}",
            row=f"candidate {matrix.index[i]}",
            field=str(matrix.columns[j]),
        )
    ids_as_text = pd.Index(text_ids(matrix.index, "candidate_id"), name="candidate_id")  # 1 and "1" collide
    out = pd.DataFrame(values, index=ids_as_text, columns=matrix.columns)
    return out.reindex(columns=pd.Index(ids, name="competency_id"))


def _mean_matrix(rubric: Rubric, ratings: Any, stage: str | None) -> pd.DataFrame:
    """Candidates x competencies mean scores (NaN = not rated) from any accepted ratings input."""
    if isinstance(ratings, AggregatedRatings):
        if list(ratings.mean.columns) != rubric.competency_ids:
            raise SmmrubricError("these aggregated ratings were made with another rubric", field="ratings")
        return ratings.mean
    if isinstance(ratings, RatingsTable):
        return aggregate_ratings(ratings, rubric, "renormalize", stage=stage).mean
    if not isinstance(ratings, pd.DataFrame):
        raise SmmrubricError(
            "must be a long ratings table (or RatingsTable), a candidates x competencies score "
            f"matrix or AggregatedRatings, got {type(ratings).__name__}",
            field="ratings",
        )
    if {"candidate_id", "competency_id", "score"} <= set(ratings.columns):
        return aggregate_ratings(ratings, rubric, "renormalize", stage=stage).mean
    if stage is not None:
        raise SmmrubricError("a score matrix has no stages; give the long ratings table", field="stage")
    return _wide(ratings, rubric)


def score(
    rubric: Rubric, ratings: Any, *, rule: str = "compensatory", missing: str = "error", stage: str | None = None
) -> pd.DataFrame:
    """Score and rank candidates on a rubric.

    For candidate ``i`` with mean ratings ``x_ij`` (averaged over raters) and the rubric's
    normalised weights ``w_j``:

    * ``total = sum_j w_j x_ij`` (on the rubric's scale);
    * ``skills = sum_{j skill} w_j x_ij / sum_{j skill} w_j``, the weighted mean over the skills, and
      ``traits`` likewise over the traits (NaN when the category has no weight), so that
      ``total = s * skills + (1 - s) * traits`` with ``s`` the skills' share of the weight;
    * ``must_haves_met``: ``x_ij >= must_have_j`` for every competency with a must-have (True when the
      rubric has none; an unrated must-have counts as not met);
    * ``rank``: competition ranking ("1224", see :func:`rank_scores`) under ``rule`` (see the module
      docstring).

    Parameters
    ----------
    rubric
        A :class:`smmrubric.Rubric`.
    ratings
        The long ratings table (``candidate_id, rater_id, competency_id, score[, stage]``) or a
        :class:`smmrubric.ratings.RatingsTable` read from a file, a wide
        candidates x competencies matrix of (mean) scores indexed by ``candidate_id`` (NaN = not
        rated), or :class:`smmrubric.ratings.AggregatedRatings`.
    rule
        ``"compensatory"`` (default), ``"hurdle"`` or ``"compensatory_ignore_must_haves"``.
    missing
        ``"error"`` (default): a candidate not rated on a required competency (positive weight or a
        must-have) is an error naming candidate and competency. ``"renormalize"``: the weights are
        renormalised over what the candidate was rated on, ``total = sum_{j rated} w_j x_ij /
        sum_{j rated} w_j`` (likewise within each category), and a ``renormalized`` column flags
        those candidates. Under ``"hurdle"`` the policy applies to the must-have competencies of
        everyone and to all required competencies of the candidates who pass.
    stage
        With long ratings: use only the ratings of that stage.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``candidate_id`` (as text), one row per candidate, sorted by rank (unranked last; ties and
        equal ranks in input order): ``total``, ``skills``, ``traits`` (float), ``must_haves_met``
        (bool), ``rank`` (Int64), and ``renormalized`` (bool) with ``missing="renormalize"``.

    Raises
    ------
    SmmrubricError
        Bad ratings (see :func:`smmrubric.ratings.validate_ratings`), an unknown rule or policy, a
        missing rating under ``missing="error"``, or a candidate to rank who was rated on no
        competency with a positive weight.
    """
    check_rubric(rubric)
    check_choice(rule, "rule", RULES)
    check_choice(missing, "missing", ("error", "renormalize"))
    mean = _mean_matrix(rubric, ratings, stage)
    file = source_file(ratings)
    x = mean.to_numpy(dtype=float)
    rated = ~np.isnan(x)
    x0 = np.where(rated, x, 0.0)
    w = rubric.weights.to_numpy(dtype=float)
    must = rubric.must_have.to_numpy(dtype=float)
    has_must = ~np.isnan(must)
    with np.errstate(invalid="ignore"):
        met = np.all(~has_must[None, :] | (x >= must[None, :]), axis=1)  # NaN (unrated) compares False
    required = required_competencies(rubric)
    gaps = ~rated & required[None, :]
    needs_rank = met if rule == "hurdle" else np.ones(len(mean), dtype=bool)
    if missing == "error":
        checked = gaps & (needs_rank[:, None] | has_must[None, :])
        raise_missing(pd.DataFrame(checked, index=mean.index, columns=mean.columns), file=file)
    is_skill = rubric.categories.to_numpy() == "skill"
    complete = ~gaps.any(axis=1)
    total = _renormalised(x0, rated, w, complete)
    no_weight = np.isnan(total) & needs_rank
    if no_weight.any():
        cid = mean.index[np.flatnonzero(no_weight)[0]]
        raise SmmrubricError(
            "rated on no competency with a positive weight, so there is nothing to score",
            file=file,
            row=f"candidate {cid}",
            field="score",
        )
    out = pd.DataFrame(
        {
            "total": total,
            "skills": _renormalised(x0, rated, np.where(is_skill, w, 0.0), complete),
            "traits": _renormalised(x0, rated, np.where(is_skill, 0.0, w), complete),
            "must_haves_met": met,
        },
        index=pd.Index(mean.index, name="candidate_id"),
    )
    out["rank"] = _rank(total, met, rule)
    if missing == "renormalize":
        out["renormalized"] = ~complete
    position = np.arange(len(out))
    rank_key = out["rank"].to_numpy(dtype=float, na_value=np.inf)
    return out.iloc[np.lexsort((position, rank_key))]


def _renormalised(x0: np.ndarray, rated: np.ndarray, w: np.ndarray, complete: np.ndarray) -> np.ndarray:
    """Weighted mean ``sum_j w_j x_j / sum_{j rated} w_j``; the plain sum for complete rows when sum w = 1.

    NaN where the rated weight is zero (nothing of that weight was rated, or the weights are all zero).
    """
    numerator = weighted_sum(x0, w)
    total_weight = w.sum()
    if total_weight <= 0:
        return np.full(x0.shape[0], np.nan)
    denominator = np.where(complete, total_weight, rated.astype(float) @ w)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = numerator / denominator
    return np.where(denominator > 0, result, np.nan)


def _rank(total: np.ndarray, met: np.ndarray, rule: str) -> pd.arrays.IntegerArray:
    """Ranks under a decision rule (see the module docstring), as Int64 in input order."""
    if rule == "compensatory_ignore_must_haves":
        return rank_scores(total).array
    passed = rank_scores(np.where(met, total, np.nan))
    if rule == "hurdle":
        return passed.array
    failed = rank_scores(np.where(met, np.nan, total)) + int(met.sum())
    return passed.where(pd.Series(met), failed).array
