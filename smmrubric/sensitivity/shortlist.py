"""How likely is each candidate to stay on the shortlist when the weights are a little different?

:func:`shortlist_chance` is the SMAA-2 k-best acceptability (Lahdelma & Salminen 2001) under local
weight uncertainty around a rubric's weights, with the decision rule's must-have knockouts: the live
robustness column of the rubric playground (:class:`smmrubric.widgets.RubricPlayground`).

References
----------
Lahdelma, R., & Salminen, P. (2001). SMAA-2: Stochastic multicriteria acceptability analysis for group
decision making. *Operations Research*, 49(3), 444-454.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..scoring import RULES
from ..validation import check_choice, check_int, check_number, check_score_matrix
from .samplers import WeightSampler, local_weights
from .smaa import smaa

__all__ = ["shortlist_chance"]


def shortlist_chance(
    scores: pd.DataFrame,
    weights: pd.Series,
    k: int,
    *,
    concentration: float = 100.0,
    n_draws: int = 2000,
    seed: int | np.random.Generator,
    met: pd.Series | None = None,
    rule: str = "compensatory",
) -> pd.Series:
    """Probability that each candidate is in the top ``k`` when the weights vary around ``weights``.

    The weights are drawn from :func:`~.samplers.local_weights` (Dirichlet with parameters
    ``concentration * w``: mean ``w``, ``Var w_j = w_j (1 - w_j) / (concentration + 1)``; a competency
    with weight 0 keeps 0) and the chance is the SMAA-2 k-best acceptability

    ``a_i^k = sum_{r <= k} b_i^r``, ``b_i^r = #{draws in which i has rank r} / N``

    (:func:`~.smaa.smaa`; tied candidates share the ranks they occupy). Must-have knockouts
    (``met`` False) do not depend on the weights, so under ``rule="compensatory"`` the ``q`` candidates
    who meet every must-have hold the first ``q`` places whatever the draw: with ``q >= k`` the
    shortlist is theirs (each one's chance is their ``a^k`` among them, the others' 0); with ``q < k``
    each of them is in for sure (1) and the knocked-out candidates share the ``k - q`` places left
    (their ``a^{k-q}`` among themselves). Under ``"hurdle"`` knocked-out candidates are never ranked
    (0). Under ``"compensatory_ignore_must_haves"``, or without ``met``, everyone competes.

    Parameters
    ----------
    scores
        Candidates x competencies (index ``candidate_id``), finite, the columns those of ``weights``.
    weights
        The current weights by ``competency_id``, one per column of ``scores`` (normalised here).
    k
        Shortlist size, 1 to the number of candidates.
    concentration
        Dirichlet precision ``c > 0`` (10: loose, 1000: tight).
    n_draws
        Monte Carlo draws ``N``; the standard error of a chance ``a`` is ``sqrt(a (1 - a) / N)`` (at most
        0.011 for 2,000 draws).
    seed
        Integer or generator (the same seed gives the same chances).
    met
        Per candidate: meets every must-have (``score(...)["must_haves_met"]``); None for no must-haves.
    rule
        The decision rule of :func:`smmrubric.score`.

    Returns
    -------
    pandas.Series
        ``P(in the top k)`` per candidate, in the order of ``scores``, named ``top_<k>``.
    """
    frame = check_score_matrix(scores, "scores")
    k = check_int(k, "k", low=1, high=len(frame))
    concentration = check_number(concentration, "concentration", low=0.0, low_open=True)
    n_draws = check_int(n_draws, "n_draws", low=1)
    rule = check_choice(rule, "rule", RULES)
    if not isinstance(weights, pd.Series) or set(weights.index) != set(frame.columns):
        raise SmmrubricError("must be a Series of weights over the scores' competencies", field="weights")
    sampler = local_weights(weights.reindex(frame.columns), concentration)
    if met is None or rule == "compensatory_ignore_must_haves":
        passed = np.ones(len(frame), dtype=bool)
    else:
        if not isinstance(met, pd.Series) or set(met.index) != set(frame.index):
            raise SmmrubricError("must be a boolean Series over the same candidates as the scores", field="met")
        passed = met.reindex(frame.index).to_numpy(dtype=bool)
    chance = np.zeros(len(frame))
    q = int(passed.sum())
    groups = [(passed, min(k, q))]
    if rule == "compensatory" and q < k:
        groups.append((~passed, k - q))
    for members, slots in groups:
        chance[members] = _k_best(frame[members], sampler, slots, n_draws, seed)
    return pd.Series(chance, index=frame.index, name=f"top_{k}")


def _k_best(
    scores: pd.DataFrame, sampler: WeightSampler, slots: int, n_draws: int, seed: int | np.random.Generator
) -> np.ndarray:
    """``a^slots`` of every candidate of ``scores`` (1 for all when they fit in the slots)."""
    if slots >= len(scores):
        return np.ones(len(scores))
    if slots == 0:
        return np.zeros(len(scores))
    return smaa(scores, sampler, n_draws, seed=seed, progress=False).top_k(slots).to_numpy()
