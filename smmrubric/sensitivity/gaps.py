"""Is a shortlist's cut inside rating error? Score gaps at the top-k cut against their standard errors.

A weight change that swaps two candidates across the cut of a shortlist matters only if the raters could tell
them apart. :func:`cut_gaps` puts each candidate's distance to the cut beside the standard error of that
distance from a bootstrap over raters (:func:`smmrubric.sensitivity.rater_bootstrap`; Efron 1979), so a
researcher sees how many candidates sit within rating error of the cut (validity review, MINOR 11).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..ranking import argsort_ties
from ..validation import check_int
from ._inputs import score_and_weights
from .samplers import rater_bootstrap

__all__ = ["cut_gaps"]


def cut_gaps(
    ratings: pd.DataFrame, weights: Any, k: int, *, n_boot: int = 1000, seed: int | np.random.Generator
) -> pd.DataFrame:
    """Each candidate's gap to the top-``k`` cut, with its bootstrap standard error over raters.

    With totals ``u_i = w' x_i`` of the mean ratings, ordered by :func:`smmrubric.ranking.argsort_ties` (ties by
    id), the candidates inside the shortlist are compared with the first one outside (place ``k + 1``) and
    those outside with the last one inside (place ``k``):

    ``gap_i = u_i - u_(k+1)`` inside,  ``gap_i = u_i - u_(k)`` outside,

    so a positive gap means "ahead of the other side of the cut". Its standard error is the standard deviation
    of the same difference over ``n_boot`` bootstrap resamples of each candidate's raters
    (:func:`smmrubric.sensitivity.rater_bootstrap`): with few raters per candidate (three in the simulation)
    the bootstrap understates the sampling SD by about ``sqrt((r - 1) / r)`` (Efron 1979), so the ratios are
    if anything too large. ``z = gap / se``; ``|z| < 2`` marks a candidate whose side of the cut rating error
    could reverse.

    Parameters
    ----------
    ratings
        The long ratings table (``candidate_id, rater_id, competency_id, score``).
    weights
        The rubric (or a weight Series indexed by ``competency_id``).
    k
        Shortlist size, 1 <= k < number of candidates.
    n_boot
        Bootstrap resamples, >= 2.
    seed
        An int or a numpy Generator.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``candidate_id``, best first: ``place``, ``total``, ``shortlisted``, ``gap``, ``se``, ``z``.
    """
    sampler = rater_bootstrap(ratings)
    scores = sampler.mean_scores  # type: ignore[attr-defined]  # the bootstrap's point estimates
    frame, w = score_and_weights(scores, weights)
    n = len(frame)
    k = check_int(k, "k", low=1, high=n - 1)
    n_boot = check_int(n_boot, "n_boot", low=2)
    columns = [sampler.competency_ids.index(c) for c in frame.columns]
    total = frame.to_numpy() @ w
    order = argsort_ties(total, frame.index)
    boot = sampler.sample(n_boot, seed)[:, :, columns] @ w  # (n_boot, n)
    inside = np.zeros(n, dtype=bool)
    inside[order[:k]] = True
    other = np.where(inside, order[k], order[k - 1])  # the candidate across the cut
    gap = total - total[other]
    se = (boot - boot[:, other]).std(axis=0, ddof=1)
    if not np.all(np.isfinite(se)):
        raise SmmrubricError("the bootstrap standard errors are not finite", field="ratings")
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, gap / np.where(se > 0, se, 1.0), np.sign(gap) * np.inf)
    table = pd.DataFrame(
        {"place": np.empty(n, dtype=np.int64), "total": total, "shortlisted": inside, "gap": gap, "se": se, "z": z},
        index=frame.index.rename("candidate_id"),
    )
    table["place"] = np.argsort(order) + 1
    return table.iloc[order]
