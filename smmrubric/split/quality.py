"""The expected quality of hire of a skill / trait split in selection-science terms.

Validity of the rubric total under the simulation's criterion and factor model, the mean criterion z of the
hired (Naylor & Shine 1965) and the Taylor-Russell (1939) success ratio, for each skill share.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import simulate
from ..rubric import Rubric
from ..selection import composite_validity, mean_z_selected, taylor_russell
from ..validation import check_number
from ._checks import check_split_rubric, shares_grid

__all__ = ["quality_of_hire", "quality_scenarios"]


def _criterion_weights(
    rubric: Rubric, skill_validity: Any, trait_validity: Any, mean_intercorrelation: Any, category_gap: Any
) -> tuple[np.ndarray, pd.DataFrame]:
    """The criterion's competency weights beta (model correlation matrix) and that matrix."""
    corr = simulate.implied_correlation(rubric, mean_intercorrelation=mean_intercorrelation, category_gap=category_gap)
    beta = simulate.performance_weights(rubric, corr, skill_validity=skill_validity, trait_validity=trait_validity)
    return beta.drop("residual").to_numpy(dtype=float), corr


def quality_of_hire(
    rubric: Rubric,
    shares: Any = None,
    *,
    selection_ratio: float = 0.1,
    base_rate: float = 0.5,
    skill_validity: float | None = None,
    trait_validity: float | None = None,
    reliability: float = 1.0,
    mean_intercorrelation: float = simulate.DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = simulate.DEFAULT_CATEGORY_GAP,
) -> pd.DataFrame:
    """Expected quality of hire for each skill share, in selection-science terms.

    The criterion is the simulation's (:func:`smmrubric.simulate.performance_weights`,
    ``Y = beta'z + e``, Var(Y) = 1) under the model correlation matrix ``R`` of the true standings
    (:func:`smmrubric.simulate.implied_correlation`). Each competency's validity is
    ``v = R beta`` and the rubric total at skill share ``s`` (weights ``w(s)`` from
    :meth:`smmrubric.Rubric.with_category_share`) has validity

    ``r(s) = sqrt(rel) * w(s)'v / sqrt(w(s)'R w(s))``,  ``w(s) = s w_skills + (1 - s) w_traits``

    (:func:`smmrubric.selection.composite_validity`, Ghiselli, Campbell & Zedeck 1981, attenuated by the
    square root of the total's reliability ``rel``, Spearman 1904). Hiring the top ``selection_ratio``
    then gives

    * mean criterion z of the hired ``= r(s) * phi(z_p) / p`` (Naylor & Shine 1965,
      :func:`smmrubric.selection.mean_z_selected`);
    * success ratio ``= P(X > z_p, Y > z_b) / p`` (Taylor & Russell 1939,
      :func:`smmrubric.selection.taylor_russell`), the share of hires who would be successful when a
      share ``base_rate`` of applicants would be.

    Parameters
    ----------
    rubric
        The rubric whose split is varied.
    shares
        Skill shares in [0, 1]; default 0, 0.05, ..., 1.
    selection_ratio
        Share of applicants hired, in (0, 1].
    base_rate
        Share of applicants who would succeed, in (0, 1).
    skill_validity, trait_validity
        Correlations of the criterion with the true skills and traits composites (defaults .40 and .19:
        placeholders inside :data:`smmrubric.simulate.SKILL_VALIDITY_RANGE` and
        :data:`smmrubric.simulate.TRAIT_VALIDITY_RANGE`; see :mod:`smmrubric.simulate.defaults` and
        :func:`smmrubric.simulate.performance_weights`).
    reliability
        Reliability of the rubric total, in (0, 1]; 1 = the true standings themselves.
    mean_intercorrelation, category_gap
        The factor model of the true standings (defaults .3 and .15,
        :func:`smmrubric.simulate.factor_loadings`). They set how strongly the skills and traits composites
        correlate, and so whether traits add anything beyond skills: with the defaults the traits' own
        criterion weights are negative and validity rises with the skill share by construction (validity
        review, MAJOR 1).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``skill_share``: ``validity``, ``mean_z_hired``, ``success_ratio``.
    """
    rubric = check_split_rubric(rubric)
    grid = shares_grid(np.linspace(0.0, 1.0, 21) if shares is None else shares)
    rel = check_number(reliability, "reliability", low=0.0, high=1.0, low_open=True)
    beta, corr = _criterion_weights(rubric, skill_validity, trait_validity, mean_intercorrelation, category_gap)
    r = corr.to_numpy()
    item_validity = r @ beta
    # w(s) = s w_skills + (1 - s) w_traits is rubric.with_category_share(s).weights (proportions within each
    # category kept); composite_validity checks the matrix and the formula once, at the rubric's own split
    w_s = rubric.with_category_share(1.0).weights.to_numpy()
    w_t = rubric.with_category_share(0.0).weights.to_numpy()
    composite_validity(rubric.weights, pd.Series(item_validity, index=corr.index), corr)
    w = grid[:, None] * w_s + (1.0 - grid[:, None]) * w_t
    validity = (w @ item_validity) / np.sqrt(np.einsum("sm,mn,sn->s", w, r, w)) * np.sqrt(rel)
    return pd.DataFrame(
        {
            "validity": validity,
            "mean_z_hired": validity * mean_z_selected(selection_ratio),
            "success_ratio": taylor_russell(base_rate, selection_ratio, validity),
        },
        index=pd.Index(grid, name="skill_share"),
    )


def quality_scenarios(
    rubric: Rubric,
    *,
    mean_intercorrelations: Any = (simulate.DEFAULT_MEAN_INTERCORRELATION,),
    category_gaps: Any = (simulate.DEFAULT_CATEGORY_GAP,),
    skill_validities: Any = (simulate.DEFAULT_SKILL_VALIDITY,),
    trait_validities: Any = (simulate.DEFAULT_TRAIT_VALIDITY,),
    shares: Any = None,
    reliability: float = 1.0,
) -> pd.DataFrame:
    """The best skill share at hire under each combination of factor structure and validities (analytic).

    For every combination, :func:`quality_of_hire`'s validity curve ``r(s)``: its maximum and where it is
    (tie-aware: equal validities go to the lower share), the validities at ``s = 0`` and ``s = 1`` (the two
    inputs ``v_t`` and ``v_s`` when ``reliability = 1``), the correlation of the true skills and traits
    composites ``r_st`` and the traits' own criterion weight ``b_t = (v_t - r_st v_s) / (1 - r_st^2)``
    (:func:`smmrubric.simulate.performance_weights`): when ``b_t <= 0`` traits add nothing beyond their overlap
    with skills and the best share is 1 by construction (validity review, MAJOR 1). Combinations that are
    impossible (validities jointly impossible, a factor structure that is not a correlation matrix) are left out.

    Returns
    -------
    pandas.DataFrame
        One row per combination: ``mean_intercorrelation``, ``category_gap``, ``skill_validity``,
        ``trait_validity``, ``composite_r``, ``trait_weight``, ``best_share``, ``best_validity``,
        ``validity_traits_only``, ``validity_skills_only``.
    """
    from ..errors import SmmrubricError
    from ..ranking import argsort_ties
    from ._checks import number_list

    rubric = check_split_rubric(rubric)
    grid = shares_grid(np.linspace(0.0, 1.0, 21) if shares is None else shares)
    w_s = rubric.with_category_share(1.0).weights.to_numpy()
    w_t = rubric.with_category_share(0.0).weights.to_numpy()
    rows = []
    for rbar in number_list(mean_intercorrelations, "mean_intercorrelations", low=0.0, high=1.0):
        for gap in number_list(category_gaps, "category_gaps", low=0.0, high=1.0):
            for v_s in number_list(skill_validities, "skill_validities", low=-1.0, high=1.0):
                for v_t in number_list(trait_validities, "trait_validities", low=-1.0, high=1.0):
                    try:
                        table = quality_of_hire(
                            rubric,
                            grid,
                            skill_validity=v_s,
                            trait_validity=v_t,
                            reliability=reliability,
                            mean_intercorrelation=rbar,
                            category_gap=gap,
                        )
                    except SmmrubricError:
                        continue
                    corr = simulate.implied_correlation(rubric, mean_intercorrelation=rbar, category_gap=gap).to_numpy()
                    r = w_s @ corr @ w_t / np.sqrt((w_s @ corr @ w_s) * (w_t @ corr @ w_t))
                    validity = table["validity"].to_numpy()
                    best = int(argsort_ties(validity)[0])
                    rows.append(
                        {
                            "mean_intercorrelation": rbar,
                            "category_gap": gap,
                            "skill_validity": v_s,
                            "trait_validity": v_t,
                            "composite_r": r,
                            "trait_weight": (v_t - r * v_s) / (1 - r * r),
                            "best_share": grid[best],
                            "best_validity": validity[best],
                            "validity_traits_only": validity[0],
                            "validity_skills_only": validity[-1],
                        }
                    )
    return pd.DataFrame(rows)
