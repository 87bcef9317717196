"""Do two weightings hire the same people? The rank-agreement measures of :mod:`smmrubric.rank_agreement` applied
to the rankings that rubrics and weightings give.

* :func:`weighting_agreement` -- :func:`smmrubric.rank_agreement.ranking_agreement` for one score matrix under two
  weight vectors;
* :func:`rubric_totals`, :func:`agreement_matrix` -- the totals under many rubrics and their pairwise agreement.

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

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..rank_agreement import _cut, _overlaps, _totals_frame, ranking_agreement
from ..validation import check_int, check_score_matrix
from ._inputs import score_and_weights

__all__ = ["agreement_matrix", "rubric_totals", "weighting_agreement"]


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
    frame = check_score_matrix(scores)
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
