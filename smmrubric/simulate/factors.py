"""The factor model of the true standings: loadings, implied correlations, candidates, and a pool's summary.

A candidate's true standing on competency ``j`` of category ``c(j)`` is ``z_j = a G + b F_c(j) + u E_j`` (a
general factor, a skills factor, a traits factor and a unique part), in SD units of the applicant population.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..validation import as_rng, check_int, check_number
from . import kernels
from ._spec import Spec, numbered_ids, spec_of, true_matrix
from .defaults import DEFAULT_CATEGORY_GAP, DEFAULT_MEAN_INTERCORRELATION

__all__ = ["candidates", "correlation_summary", "factor_loadings", "implied_correlation", "loadings"]


def _pair_counts(is_skill: np.ndarray) -> tuple[int, int]:
    """(within-category pairs, between-category pairs) of distinct competencies."""
    n_s = int(is_skill.sum())
    n_t = is_skill.size - n_s
    return n_s * (n_s - 1) // 2 + n_t * (n_t - 1) // 2, n_s * n_t


def loadings(spec: Spec, mean_intercorrelation: Any, category_gap: Any) -> tuple[float, float]:
    """Squared general and group loadings ``(r_b, gap)`` for the requested mean and gap, checked.

    ``r_b = r_bar - gap * P_w / P`` (see :func:`factor_loadings`).
    """
    rbar = check_number(mean_intercorrelation, "mean_intercorrelation", low=0.0, high=1.0)
    gap = check_number(category_gap, "category_gap", low=0.0, high=1.0)
    within, between = _pair_counts(spec.is_skill)
    if between == 0:
        # one category only: the group factor cannot be told from the general one
        return rbar, 0.0
    r_between = rbar - gap * within / (within + between)
    if r_between < 0:
        raise SmmrubricError(
            f"category_gap {gap} is too large for mean_intercorrelation {rbar} with {within} within-category "
            f"and {between} between-category pairs: skills-with-traits correlation would be {r_between:.4f} < 0",
            field="category_gap",
        )
    if r_between + gap > 1:
        raise SmmrubricError(
            f"within-category correlation would be {r_between + gap:.4f} > 1; lower mean_intercorrelation "
            "or category_gap",
            field="category_gap",
        )
    return r_between, gap


def factor_loadings(
    rubric_or_competencies: Any,
    *,
    mean_intercorrelation: float = DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = DEFAULT_CATEGORY_GAP,
) -> pd.DataFrame:
    """Loadings of the factor model behind :func:`candidates`.

    The true standing of a candidate on competency ``j`` of category ``c(j)`` is

    ``z_j = a * G + b * F_c(j) + u * E_j``,   ``G, F_skill, F_trait, E_j`` independent N(0, 1),

    with ``a = sqrt(r_b)``, ``b = sqrt(gap)``, ``u = sqrt(1 - r_b - gap)``, so every ``z_j`` has
    variance 1, two competencies of the same category correlate ``r_w = r_b + gap`` and a skill and
    a trait correlate ``r_b``. With ``P_w`` within-category and ``P_b`` between-category pairs, the
    mean intercorrelation over all ``P = P_w + P_b`` pairs is ``r_bar = r_b + gap * P_w / P``, so

    ``r_b = r_bar - gap * P_w / P``.

    The parameters are valid when ``r_b >= 0`` and ``r_w <= 1``. If the rubric has only one
    category the gap is not identified: ``r_b = r_bar`` and the group loading is 0.

    Parameters
    ----------
    rubric_or_competencies
        A Rubric, a Series of categories indexed by competency_id, or a competency table.
    mean_intercorrelation
        ``r_bar`` in [0, 1]; default .3 (issue 4).
    category_gap
        ``gap = r_w - r_b`` in [0, 1]; default .15, an assumption (see
        :data:`DEFAULT_CATEGORY_GAP`).

    Returns
    -------
    pandas.DataFrame
        Indexed by competency_id: ``category``, ``general`` (a), ``group`` (b), ``unique`` (u).

    Raises
    ------
    SmmrubricError
        A parameter outside its range, or a combination giving a negative between-category or a
        within-category correlation above 1.
    """
    spec = spec_of(rubric_or_competencies, "rubric_or_competencies")
    r_between, gap = loadings(spec, mean_intercorrelation, category_gap)
    out = pd.DataFrame(
        {
            "category": np.where(spec.is_skill, "skill", "trait"),
            "general": np.sqrt(r_between),
            "group": np.sqrt(gap),
            "unique": np.sqrt(max(0.0, 1.0 - r_between - gap)),
        },
        index=pd.Index(spec.ids, name="competency_id"),
    )
    return out


def implied_correlation(
    rubric_or_competencies: Any,
    *,
    mean_intercorrelation: float = DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = DEFAULT_CATEGORY_GAP,
) -> pd.DataFrame:
    """Population correlation matrix of the true standings drawn by :func:`candidates`.

    ``R_jk = 1`` if ``j = k``; ``r_b + gap`` if ``j`` and ``k`` share a category; ``r_b``
    otherwise (``r_b`` as in :func:`factor_loadings`). The matrix is checked to be positive
    semi-definite with a unit diagonal.

    Returns
    -------
    pandas.DataFrame
        Competencies x competencies, labelled by competency_id, in rubric order.

    Raises
    ------
    SmmrubricError
        Parameters out of range or giving an invalid matrix (see :func:`factor_loadings`).
    """
    spec = spec_of(rubric_or_competencies, "rubric_or_competencies")
    corr = kernels.correlation(spec.is_skill, *loadings(spec, mean_intercorrelation, category_gap))
    smallest = float(np.linalg.eigvalsh(corr)[0]) if spec.k > 1 else 1.0
    if smallest < -1e-10 or not np.allclose(np.diag(corr), 1.0):
        raise SmmrubricError(
            f"is not a correlation matrix (smallest eigenvalue {smallest:.3g})", field="mean_intercorrelation"
        )
    index = pd.Index(spec.ids, name="competency_id")
    return pd.DataFrame(corr, index=index, columns=index.rename(None))


def candidates(
    rubric_or_competencies: Any,
    n: int,
    *,
    seed: int | np.random.Generator,
    mean_intercorrelation: float = DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = DEFAULT_CATEGORY_GAP,
) -> pd.DataFrame:
    """Draw ``n`` candidates' true standings on every competency.

    ``z_ij = a * G_i + b * F_i,c(j) + u * E_ij`` (see :func:`factor_loadings`): standard normal
    standings in SD units of the applicant population, with correlation matrix
    :func:`implied_correlation` - by default a mean intercorrelation of .3, skills correlating .15
    more with skills (and traits with traits) than skills with traits.

    Parameters
    ----------
    rubric_or_competencies
        A Rubric, a Series of categories indexed by competency_id, or a competency table (to draw
        standings on the whole vocabulary and rate them later on several rubrics).
    n
        Number of candidates, >= 1.
    seed
        An int or a numpy Generator.
    mean_intercorrelation, category_gap
        The factor model's parameters; defaults .3 (issue 4) and .15 (an assumption, see
        :data:`DEFAULT_CATEGORY_GAP`).

    Returns
    -------
    pandas.DataFrame
        Index ``candidate_id`` (``C0001``, ``C0002``, ...), one float column per competency.

    Raises
    ------
    SmmrubricError
        ``n`` not a positive integer, a bad seed, parameters out of range (see
        :func:`factor_loadings`).
    """
    spec = spec_of(rubric_or_competencies, "rubric_or_competencies")
    n = check_int(n, "n", low=1)
    r_between, gap = loadings(spec, mean_intercorrelation, category_gap)
    rng = as_rng(seed)
    z = kernels.standings(rng.standard_normal((n, spec.k + 3)), spec.is_skill, r_between, gap)
    return pd.DataFrame(
        z,
        index=pd.Index(numbered_ids("C", n, 4), name="candidate_id"),
        columns=pd.Index(spec.ids, name="competency_id"),
    )


def correlation_summary(
    true_scores: pd.DataFrame,
    rubric_or_competencies: Any,
    *,
    mean_intercorrelation: float = DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = DEFAULT_CATEGORY_GAP,
) -> pd.DataFrame:
    """Realised against implied correlations of a pool's true standings, by category pair.

    Parameters
    ----------
    true_scores
        Candidates x competencies, e.g. from :func:`candidates`; columns not in the rubric are ignored.
    rubric_or_competencies
        A Rubric, a Series of categories or a competency table.
    mean_intercorrelation, category_gap
        The factor model's parameters the pool was drawn with (for the ``implied`` column).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``pair`` (``skill-skill``, ``skill-trait``, ``trait-trait``, ``all``; pairs that
        do not occur are left out): ``n_pairs``, ``implied`` (mean of :func:`implied_correlation`
        with the given parameters over those pairs) and ``realised`` (mean of the pool's Pearson
        correlations over the same pairs).

    Raises
    ------
    SmmrubricError
        Bad true scores, fewer than 3 candidates or 2 competencies, bad factor-model parameters.
    """
    spec = spec_of(rubric_or_competencies, "rubric_or_competencies")
    true = true_matrix(true_scores, spec)
    if true.shape[0] < 3 or spec.k < 2:
        raise SmmrubricError("needs at least 3 candidates and 2 competencies", field="true_scores")
    implied = implied_correlation(
        rubric_or_competencies, mean_intercorrelation=mean_intercorrelation, category_gap=category_gap
    ).to_numpy()
    realised = np.corrcoef(true, rowvar=False)
    upper = np.triu(np.ones((spec.k, spec.k), dtype=bool), 1)
    s = spec.is_skill
    masks = {
        "skill-skill": np.outer(s, s),
        "skill-trait": np.outer(s, ~s) | np.outer(~s, s),
        "trait-trait": np.outer(~s, ~s),
        "all": np.ones_like(upper),
    }
    rows = {}
    for pair, mask in masks.items():
        mask = mask & upper
        if mask.any():
            rows[pair] = {
                "n_pairs": int(mask.sum()),
                "implied": float(implied[mask].mean()),
                "realised": float(realised[mask].mean()),
            }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "pair"
    return out
