"""The job-performance criterion: weights that give chosen validities, and simulated performance.

See :mod:`smmrubric.simulate.defaults` for what the validities are (true-score correlations, placeholders
inside plausible ranges) and what they are not (operational validities of these competencies).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..validation import as_rng, check_number
from ._spec import Spec, spec_of, true_matrix
from .defaults import DEFAULT_SKILL_VALIDITY, DEFAULT_TRAIT_VALIDITY

__all__ = ["criterion_weights", "performance", "performance_weights"]


def _covariance(true: np.ndarray, spec: Spec, covariance: Any) -> np.ndarray:
    if covariance is None:
        if true.shape[0] < 3:
            raise SmmrubricError(
                "needs at least 3 candidates to estimate the covariance of the true "
                "standings; pass covariance=implied_correlation(...)",
                field="true_scores",
            )
        return np.cov(true, rowvar=False).reshape(spec.k, spec.k)
    return _covariance_frame(covariance, spec)


def _covariance_frame(covariance: Any, spec: Spec) -> np.ndarray:
    if not isinstance(covariance, pd.DataFrame):
        raise SmmrubricError(
            f"must be a DataFrame labelled by competency_id, got {type(covariance).__name__}", field="covariance"
        )
    for cid in spec.ids:
        if cid not in covariance.index or cid not in covariance.columns:
            raise SmmrubricError(f"has no row and column for competency {cid!r}", field="covariance")
    cov = covariance.loc[list(spec.ids), list(spec.ids)].to_numpy(dtype=float)
    if not np.all(np.isfinite(cov)) or not np.allclose(cov, cov.T):
        raise SmmrubricError("must be finite and symmetric", field="covariance")
    if np.linalg.eigvalsh(cov)[0] < -1e-10:
        raise SmmrubricError("must be positive semi-definite", field="covariance")
    return cov


def criterion_weights(
    spec: Spec, cov: np.ndarray, validity: Any, skill_validity: Any, trait_validity: Any
) -> tuple[np.ndarray, float]:
    """Per-competency weights ``beta`` and residual weight ``s`` with ``Var(beta'z + s e) = 1`` under ``cov``.

    The formulas are those of :func:`performance_weights`; the validities are checked here (``None`` means
    the default).
    """
    if validity is not None:
        if skill_validity is not None or trait_validity is not None:
            raise SmmrubricError(
                "give either validity (composite form) or skill_validity and "
                "trait_validity (per-category form), not both",
                field="validity",
            )
        targets = [check_number(validity, "validity", low=-1.0, high=1.0)]
        composites = [spec.weights]
    else:
        targets, composites = [], []
        for category, value, default in (
            ("skill", skill_validity, DEFAULT_SKILL_VALIDITY),
            ("trait", trait_validity, DEFAULT_TRAIT_VALIDITY),
        ):
            field = f"{category}_validity"
            target = check_number(default if value is None else value, field, low=-1.0, high=1.0)
            present = (spec.is_skill if category == "skill" else ~spec.is_skill).any()
            if not present:  # no composite of that category: its validity has nothing to apply to
                continue
            targets.append(target)
            composites.append(spec.category_weights(category))
    a = np.column_stack(composites)  # k x m composite weights
    v = np.array(targets)
    ccov = a.T @ cov @ a
    sd = np.sqrt(np.diag(ccov))
    if np.any(sd <= 1e-12):
        raise SmmrubricError("a composite of the true standings has zero variance", field="true_scores")
    r = ccov / np.outer(sd, sd)
    if v.size == 2 and 1.0 - r[0, 1] ** 2 < 1e-10:
        raise SmmrubricError(
            "the skills and traits composites are perfectly correlated, so their validities cannot be set separately",
            field="skill_validity",
        )
    b = np.linalg.solve(r, v)
    explained = float(v @ b)
    if explained > 1.0 + 1e-12:
        raise SmmrubricError(
            f"skill_validity {v[0]} and trait_validity {v[-1]} are impossible together when the two "
            f"composites correlate {r[0, 1]:.4f}: they would explain {explained:.4f} > 1 of the variance",
            field="trait_validity",
        )
    beta = a @ (b / sd)
    return beta, float(np.sqrt(max(0.0, 1.0 - explained)))


def performance_weights(
    rubric_or_competencies: Any,
    covariance: pd.DataFrame,
    *,
    validity: float | None = None,
    skill_validity: float | None = None,
    trait_validity: float | None = None,
) -> pd.Series:
    """Weights of the job-performance criterion built by :func:`performance`.

    Composite form (``validity`` given): with the true rubric composite ``T = w'z`` (rubric
    weights ``w``) and ``sigma_T^2 = w' S w`` under the covariance ``S`` of the true standings,

    ``Y = rho * T / sigma_T + sqrt(1 - rho^2) * e``,   ``corr(Y, T) = rho``.

    Per-category form (default): with the skills composite ``S = w_s'z / sigma_s`` and the traits
    composite ``K = w_t'z / sigma_t`` (rubric weights inside each category, normalised; equal if a
    category's weights are all 0), correlating ``r = w_s' S w_t / (sigma_s sigma_t)``,

    ``Y = b_s S + b_t K + sigma_e e``,  ``b = R^-1 v``,  ``R = [[1, r], [r, 1]]``,  ``v = (v_s, v_t)``,

    i.e. ``b_s = (v_s - r v_t) / (1 - r^2)``, ``b_t = (v_t - r v_s) / (1 - r^2)``, which gives
    ``Cov(Y, S) = b_s + r b_t = v_s`` and ``Cov(Y, K) = v_t``; the residual variance
    ``sigma_e^2 = 1 - v'R^-1 v = 1 - (v_s^2 + v_t^2 - 2 r v_s v_t) / (1 - r^2)`` makes
    ``Var(Y) = 1``, so the correlations equal ``v_s`` and ``v_t``. It must be >= 0: the two
    validities must be jointly possible.

    The validities are zero-order correlations, so a category's own (incremental) weight can be
    small or negative: with the bundled 30 competencies (18 skills, 12 traits), the consensus rubric
    and the default factor model, ``r`` is about .51, so ``v_t = .19 < r v_s = .205`` and the traits'
    weight ``b_t`` is slightly negative - traits then predict performance only through their overlap
    with skills, and more weight on skills is better at hire *by construction* (validity review,
    MAJOR 1). Raise ``trait_validity`` or the factor model's ``category_gap`` (which lowers ``r``) to
    give traits incremental validity; the studies vary both.

    Parameters
    ----------
    rubric_or_competencies
        A Rubric, a Series of categories or a competency table. To keep the criterion fixed while a
        study varies a selection rubric's weights, pass a fixed rubric (or ``rubric.categories`` for
        equal weights within each category).
    covariance
        Covariance (or correlation) matrix of the true standings, labelled by competency_id, e.g.
        :func:`implied_correlation` or ``true_scores.cov()``.
    validity
        Correlation with the true rubric composite, in [-1, 1]; for a structured interview's
        operational validity use .42 (Sackett et al. 2022). If given, the per-category
        validities must not be.
    skill_validity, trait_validity
        Correlations with the standardised skills and traits composites, in [-1, 1]; defaults .40
        (job knowledge tests) and .19 (conscientiousness), Sackett et al. (2022), Table 1. For a
        rubric with no traits there is no traits composite, and ``trait_validity`` is not used (likewise
        for skills): the criterion is then the skills composite's, with validity ``skill_validity``.

    Returns
    -------
    pandas.Series
        Named ``weight``: one weight per competency_id (``beta_j``, so ``Y = sum beta_j z_j + ...``)
        and a last entry ``residual`` (``sigma_e``, the weight on a standard normal residual).
    """
    spec = spec_of(rubric_or_competencies, "rubric_or_competencies")
    cov = _covariance_frame(covariance, spec)
    beta, residual = criterion_weights(spec, cov, validity, skill_validity, trait_validity)
    return pd.Series(
        np.append(beta, residual), index=pd.Index([*spec.ids, "residual"], name="competency_id"), name="weight"
    )


def performance(
    true_scores: pd.DataFrame,
    rubric_or_competencies: Any,
    *,
    seed: int | np.random.Generator,
    validity: float | None = None,
    skill_validity: float | None = None,
    trait_validity: float | None = None,
    covariance: pd.DataFrame | None = None,
) -> pd.Series:
    """Simulate a job-performance criterion from the true standings.

    ``Y_i = sum_j beta_j z_ij + sigma_e e_i``, ``e_i`` ~ N(0, 1), with the weights of
    :func:`performance_weights`: either ``corr(Y, true rubric composite) = validity`` (composite
    form) or ``corr(Y, skills composite) = skill_validity`` and ``corr(Y, traits composite) =
    trait_validity`` (per-category form, the default: .40 and .19 from Sackett et al. 2022), with
    ``Var(Y) = 1``.

    These are true-score validities. The validity of *observed* rubric scores is lower by the square
    root of their reliability (``corr(Y, observed) = corr(Y, true) * sqrt(rel)``).

    Parameters
    ----------
    true_scores
        Candidates x competencies (from :func:`candidates` or :func:`develop`); columns not in the
        rubric are ignored.
    rubric_or_competencies
        The rubric defining the composites (see :func:`performance_weights`).
    seed
        An int or a numpy Generator.
    validity, skill_validity, trait_validity
        See :func:`performance_weights`.
    covariance
        The covariance of the true standings the weights are computed under. ``None`` (default):
        the pool's own sample covariance, so the requested validities hold in this pool whatever
        produced it (a :func:`develop`-ed pool too). Pass :func:`implied_correlation` for weights
        fixed by the model (the requested values are then population correlations).

    Returns
    -------
    pandas.Series
        Named ``performance``, indexed by candidate_id.

    Raises
    ------
    SmmrubricError
        Bad true scores, validities out of range or jointly impossible, both forms given, a bad
        covariance or seed.
    """
    spec = spec_of(rubric_or_competencies, "rubric_or_competencies")
    true = true_matrix(true_scores, spec)
    cov = _covariance(true, spec, covariance)
    beta, residual = criterion_weights(spec, cov, validity, skill_validity, trait_validity)
    rng = as_rng(seed)
    y = true @ beta + residual * rng.standard_normal(true.shape[0])
    return pd.Series(y, index=true_scores.index.rename("candidate_id"), name="performance")
