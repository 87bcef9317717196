"""Do two weightings hire the same people? Agreement between the rankings two rubrics give.

* :func:`ranking_agreement` -- Kendall's tau-b (Kendall 1945), Spearman's rho (Spearman 1904), the
  top-k overlap and rank-biased overlap (RBO, Webber, Moffat & Zobel 2010, computed by
  :func:`smmrubric.compare.rbo`) between two score vectors of the same candidates;
* :func:`weighting_agreement` -- the same for one score matrix under two weight vectors;
* :func:`rubric_totals`, :func:`top_k_membership`, :func:`agreement_matrix`,
  :func:`top_k_overlaps` -- the same measures across many rubrics or many random weightings.

Ties at the top-k cut (integer rating scales make them common) are broken at random, in expectation:
a candidate tied with others for the last ``q`` places of the shortlist is in it with probability
``q / (size of the tie)``, and the expected overlap of two shortlists is
``sum_i P(i in A) P(i in B) / k`` (the two tie-breaks independent). Candidates strictly above the
cut are in with probability 1. RBO treats tied candidates the same way (Corsi & Urbano 2024).

References
----------
Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika*, 33(3), 239-251.
Spearman, C. (1904). The proof and measurement of association between two things. *American Journal
of Psychology*, 15(1), 72-101.
Webber, W., Moffat, A., & Zobel, J. (2010). A similarity measure for indefinite rankings. *ACM
Transactions on Information Systems*, 28(4), 20.
Corsi, M., & Urbano, J. (2024). How do ties affect evaluation measures? (RBO with ties). *SIGIR 2024*.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..compare import rbo
from ..errors import SmmrubricError
from ..ranking import argsort_ties, snap_ties, tie_groups
from ..validation import check_int, check_probability
from ._inputs import score_and_weights
from .samplers import _score_frame

__all__ = [
    "agreement_matrix",
    "rank_correlations",
    "ranking_agreement",
    "rubric_totals",
    "top_k_membership",
    "top_k_overlaps",
    "weighting_agreement",
]


def _totals_frame(totals: Any, field: str) -> pd.DataFrame:
    if isinstance(totals, pd.Series):
        totals = totals.to_frame()
    if not isinstance(totals, pd.DataFrame):
        raise SmmrubricError(f"must be a DataFrame or Series of totals, got {type(totals).__name__}", field=field)
    names = totals.columns
    out = _score_frame(totals, field)
    out.columns = names
    return out


def top_k_membership(totals: pd.DataFrame | pd.Series, k: int) -> pd.DataFrame:
    """Probability that each candidate is in the top ``k`` of each column, ties at the cut split.

    Parameters
    ----------
    totals
        Candidates x rankings (one column per rubric or per weight draw; higher is better), or one
        Series.
    k
        Shortlist size, 1 <= k <= number of candidates.

    Returns
    -------
    DataFrame
        Same shape: 1 above the cut, ``q / t`` for the ``t`` candidates tied for the last ``q``
        places, 0 below. Each column sums to ``k``.
    """
    frame = _totals_frame(totals, "totals")
    k = check_int(k, "k", low=1, high=len(frame))
    above, at, slots, tied = _cut(frame.to_numpy(), k)
    prob = above + at * (slots / tied)
    return pd.DataFrame(prob, index=frame.index, columns=frame.columns)


def _cut(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The top-k cut of each column of ``x`` (candidates x rankings), ties within the tie tolerance.

    Returns ``above`` (bool, in the top k whatever the tie order), ``at`` (bool, in the tie group that
    straddles the cut), and per column the integer ``slots`` left for that group and its size ``tied``:
    each member of the group is in the top k with probability ``slots / tied``.
    """
    groups = tie_groups(x, descending=True, axis=0)
    order = np.argsort(groups, axis=0, kind="stable")
    kth_group = np.take_along_axis(groups, order[k - 1 : k], axis=0)  # the group holding place k
    above = groups < kth_group
    at = groups == kth_group
    slots = k - above.sum(axis=0)
    return above, at, slots, at.sum(axis=0)


def _ordered_groups(total: pd.Series) -> list[Any]:
    """Candidates best first, tied ones as tuples by id (the form :func:`smmrubric.compare.rbo` takes)."""
    values = total.to_numpy()
    group = tie_groups(values, descending=True)
    order = argsort_ties(values, total.index)
    groups: list[list[Any]] = [[] for _ in range(int(group.max()) + 1)]
    for i in order:
        groups[group[i]].append(total.index[i])
    return [g[0] if len(g) == 1 else tuple(g) for g in groups]


def ranking_agreement(a: pd.Series, b: pd.Series, *, k: int = 10, p: float = 0.9, ties: str = "a") -> pd.Series:
    """Agreement of two rankings of the same candidates (scores, higher is better).

    Parameters
    ----------
    a, b
        Totals indexed by ``candidate_id``; the same candidates (order may differ).
    k
        Shortlist size for the top-k overlap.
    p
        RBO persistence (the top ``1 / (1 - p)`` places carry most of the weight).
    ties
        RBO of rankings with ties (:func:`smmrubric.compare.rbo`): ``"a"``, the expected RBO over
        random tie breakings (below 1 for a ranking with ties compared with itself), or ``"b"``, Corsi
        & Urbano's RBO^b, which is 1 for identical rankings; the same without ties.

    Returns
    -------
    Series
        ``kendall_tau`` (tau-b), ``spearman_rho``, ``top_k_overlap`` (expected share of A's top k
        also in B's, ties at the cut split) and ``rbo`` (extrapolated RBO). Tau and rho are NaN
        when every candidate ties in ``a`` or in ``b`` (a correlation with a constant is undefined).

    Examples
    --------
    >>> a = pd.Series([4.0, 3, 2, 1], index=list("wxyz"))
    >>> ranking_agreement(a, a, k=2).round(12).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    for name, s in (("a", a), ("b", b)):
        if not isinstance(s, pd.Series):
            raise SmmrubricError(
                f"must be a Series of totals indexed by candidate_id, got {type(s).__name__}", field=name
            )
    if set(a.index) != set(b.index) or len(a) != len(b):
        raise SmmrubricError("a and b must rank the same candidates", field="b")
    frame = _totals_frame(pd.DataFrame({"a": a, "b": b.reindex(a.index)}), "totals")
    if len(frame) < 2:
        raise SmmrubricError("needs at least two candidates", field="a")
    k = check_int(k, "k", low=1, high=len(frame))
    p = check_probability(p, "p", open_ends=True)
    # totals equal up to floating-point noise are made equal, so that tau-b and rho count them as ties
    # on every CPU
    x, y = snap_ties(frame["a"].to_numpy()), snap_ties(frame["b"].to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        # all candidates tied in one ranking: tau and rho are undefined (NaN, as documented)
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        tau = stats.kendalltau(x, y).statistic
        rho = stats.spearmanr(x, y).statistic
    overlap = float(top_k_overlaps(frame["a"], frame[["b"]], k).iloc[0])
    r = rbo(_ordered_groups(frame["a"]), _ordered_groups(frame["b"]), p=p, ties=ties).ext
    return pd.Series(
        {"kendall_tau": float(tau), "spearman_rho": float(rho), "top_k_overlap": overlap, "rbo": float(r)},
        name="agreement",
    )


def weighting_agreement(
    scores: pd.DataFrame, w1: Any, w2: Any, *, k: int = 10, p: float = 0.9, ties: str = "a"
) -> pd.Series:
    """:func:`ranking_agreement` of the totals ``X w1`` and ``X w2`` (weights: Series or Rubric)."""
    frame, v1 = score_and_weights(scores, w1, field="w1")
    _, v2 = score_and_weights(scores, w2, field="w2")
    x = frame.to_numpy()
    return ranking_agreement(
        pd.Series(x @ v1, index=frame.index), pd.Series(x @ v2, index=frame.index), k=k, p=p, ties=ties
    )


def rubric_totals(scores: pd.DataFrame, rubrics: Mapping[str, Any]) -> pd.DataFrame:
    """Weighted totals of every candidate under several rubrics: candidates x rubrics.

    A rubric that leaves out some of the score columns gives them weight 0 (it does not assess them);
    a rubric weighting a competency the scores lack is an error. Weights are normalised to sum 1 over
    each rubric's own competencies, so totals stay on the rating scale.

    Parameters
    ----------
    scores
        Candidates x competencies.
    rubrics
        ``{name: Rubric or weight Series}``.
    """
    frame = _score_frame(scores)
    if not isinstance(rubrics, Mapping) or not rubrics:
        raise SmmrubricError("must be a non-empty mapping name -> Rubric or weights", field="rubrics")
    out = {}
    for name, rubric in rubrics.items():
        w = rubric.weights if hasattr(rubric, "weights") and isinstance(rubric.weights, pd.Series) else rubric
        if not isinstance(w, pd.Series):
            raise SmmrubricError(
                f"must be a Rubric or a weight Series, got {type(w).__name__}", row=str(name), field="rubrics"
            )
        unknown = [c for c in map(str, w.index) if c not in frame.columns]
        if unknown:
            raise SmmrubricError(
                f"weights competency {unknown[0]!r}, which the scores do not have", row=str(name), field="rubrics"
            )
        full = w.rename(index=str).reindex(frame.columns, fill_value=0.0)
        _, v = score_and_weights(frame, full, field=f"rubrics[{name}]")
        out[name] = frame.to_numpy() @ v
    return pd.DataFrame(out, index=frame.index)


def agreement_matrix(
    totals: pd.DataFrame, *, k: int = 10, measure: str = "top_k_overlap", p: float = 0.9
) -> pd.DataFrame:
    """Pairwise agreement between the columns of ``totals`` (candidates x rankings).

    ``measure`` is one of the fields of :func:`ranking_agreement`. The top-k overlap matrix is computed
    at once from :func:`top_k_membership` (``M' M / k``); the others pair by pair.
    """
    frame = _totals_frame(totals, "totals")
    fields = ("kendall_tau", "spearman_rho", "top_k_overlap", "rbo")
    if measure not in fields:
        raise SmmrubricError(f"must be one of {', '.join(fields)}, got {measure!r}", field="measure")
    names = frame.columns
    if measure == "top_k_overlap":
        k = check_int(k, "k", low=1, high=len(frame))
        cut = _cut(frame.to_numpy(), k)
        values = _overlaps(cut, cut, k)
    else:
        values = np.eye(len(names))
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                values[i, j] = values[j, i] = ranking_agreement(frame.iloc[:, i], frame.iloc[:, j], k=k, p=p)[measure]
    return pd.DataFrame(values, index=pd.Index(names, name="rubric"), columns=pd.Index(names, name="versus"))


def top_k_overlaps(reference: pd.Series, totals: pd.DataFrame, k: int) -> pd.Series:
    """Expected top-k overlap of each column of ``totals`` with ``reference`` (same candidates).

    Used to compare many alternative rankings (weight draws, rater-noise replications) with one
    reference ranking: ``overlap_c = sum_i P(i in top_k(ref)) P(i in top_k(c)) / k``, with ties at a cut
    split (:func:`top_k_membership`). Computed from integer counts: with ``A`` candidates above both cuts,
    ``B`` above the reference's cut and in column c's cut group (``q_c`` slots for ``t_c`` members), ``C``
    the converse and ``D`` in both cut groups,
    ``overlap_c = (A + B q_c / t_c + C q_r / t_r + D q_r q_c / (t_r t_c)) / k``, so the result does not
    depend on the order of a floating-point sum.
    """
    if not isinstance(reference, pd.Series):
        raise SmmrubricError(f"must be a Series, got {type(reference).__name__}", field="reference")
    frame = _totals_frame(totals, "totals")
    if set(reference.index) != set(frame.index) or len(reference) != len(frame):
        raise SmmrubricError("must rank the same candidates as the reference", field="totals")
    k = check_int(k, "k", low=1, high=len(frame))
    overlap = _overlaps(_cut(reference.reindex(frame.index).to_numpy()[:, None], k), _cut(frame.to_numpy(), k), k)
    return pd.Series(overlap[0], index=frame.columns, name="top_k_overlap")


def _overlaps(left: tuple, right: tuple, k: int) -> np.ndarray:
    """Top-k overlaps of every column of one :func:`_cut` with every column of another, from integer counts.

    ``(A + B q_c / t_c + C q_r / t_r + D q_r q_c / (t_r t_c)) / k`` (see :func:`top_k_overlaps`): the four counts
    are integer matrix products (exact, no BLAS), and the formula is the same element by element on every CPU.
    """
    r_above, r_at, r_slots, r_tied = left
    c_above, c_at, c_slots, c_tied = right
    ints = [x.astype(np.int64) for x in (r_above, r_at, c_above, c_at)]
    a, b, c, d = (
        x.astype(float) for x in (ints[0].T @ ints[2], ints[0].T @ ints[3], ints[1].T @ ints[2], ints[1].T @ ints[3])
    )
    q_r, t_r = r_slots[:, None].astype(float), r_tied[:, None].astype(float)
    q_c, t_c = c_slots[None, :].astype(float), c_tied[None, :].astype(float)
    return (a + b * q_c / t_c + c * q_r / t_r + d * (q_r * q_c) / (t_r * t_c)) / k


def rank_correlations(totals: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Kendall's tau-b and Spearman's rho of every column of ``totals`` with the ``reference`` column.

    The two measures of :func:`ranking_agreement` (totals snapped to their tie groups first, so ties within the
    tie tolerance count as ties on every CPU), without the top-k overlap and RBO, for one reference only.

    Returns
    -------
    DataFrame
        Indexed by the other columns: ``kendall_tau``, ``spearman_rho`` (NaN when a column is constant).
    """
    frame = _totals_frame(totals, "totals")
    if reference not in frame.columns:
        raise SmmrubricError(f"no column {reference!r}", field="reference")
    if len(frame) < 2:
        raise SmmrubricError("needs at least two candidates", field="totals")
    x = snap_ties(frame[reference].to_numpy())
    rows = {}
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        for column in frame.columns.drop(reference):
            y = snap_ties(frame[column].to_numpy())
            rows[column] = {
                "kendall_tau": float(stats.kendalltau(x, y).statistic),
                "spearman_rho": float(stats.spearmanr(x, y).statistic),
            }
    return pd.DataFrame.from_dict(rows, orient="index")
