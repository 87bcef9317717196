"""Hire now, grow later: expected true performance of those hired under each skill share, over time.

Simulated applicant pools are rated, the top k at each skill share hired, and their performance followed as
their skills grow after hire (:func:`smmrubric.simulate.develop`); :func:`growth_grid` repeats the study over
a grid of assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import simulate
from ..errors import SmmrubricError
from ..progress import progress_enabled, progress_iter
from ..ranking import argsort_ties
from ..rubric import Rubric
from ..scoring import weighted_sum
from ..validation import as_rng, check_int, check_number
from ._checks import check_split_rubric, months_list, number_list, shares_grid
from .quality import _criterion_weights

__all__ = ["DEFAULT_GAIN_CV", "DEFAULT_LEARNING_TRAIT_CORRELATION", "DEFAULT_MONTHS", "GrowthStudy", "growth_grid",
           "hire_and_grow"]

#: Spread of the yearly skill gain across people, as a multiple of the mean gain (``gain_sd =
#: gain_cv * skill_gain``, so no growth means no spread). An assumption: no meta-analytic estimate of
#: individual differences in training gains is used.
DEFAULT_GAIN_CV = 0.5
#: Correlation of a person's learning rate with their traits composite. An assumption, in the
#: direction of Colquitt, LePine & Noe (2000), who find conscientiousness and motivation to learn
#: predict skill acquisition in training; the value .3 is not a meta-analytic estimate.
DEFAULT_LEARNING_TRAIT_CORRELATION = 0.3
#: The horizons of the study, in months after hire (issue 7).
DEFAULT_MONTHS = (0, 6, 12, 24)


@dataclass(frozen=True)
class _Pools:
    """Simulated applicant pools: true standings and the observed skill / trait subscores."""

    true: list[pd.DataFrame]
    skills: np.ndarray       # (pools, n)
    traits: np.ndarray       # (pools, n)
    develop_seeds: np.ndarray


def _simulate_pools(rubric: Rubric, n: int, n_pools: int, raters: int, reliability: float | None,
                    seed: Any, progress: bool | str) -> _Pools:
    rng = as_rng(seed)
    m = len(rubric)
    skill_w = rubric.with_category_share(1.0).weights.to_numpy()
    trait_w = rubric.with_category_share(0.0).weights.to_numpy()
    true, skills, traits, seeds = [], np.empty((n_pools, n)), np.empty((n_pools, n)), np.empty(n_pools, dtype=np.int64)
    for r in progress_iter(range(n_pools), total=n_pools, progress=progress, desc="pools"):
        z = simulate.candidates(rubric, n, seed=rng)
        if reliability is None:
            x = z.to_numpy()
        else:
            long = simulate.ratings(z, rubric, seed=rng, raters=raters, reliability=reliability)
            # simulate.ratings returns candidates in pool order, then raters, then competencies in
            # rubric order, so the mean over raters is a reshape (the layout is checked, not assumed).
            if (list(long["competency_id"].iloc[:m]) != rubric.competency_ids
                    or long["candidate_id"].iloc[::raters * m].tolist() != z.index.astype(str).tolist()):
                raise SmmrubricError("simulate.ratings no longer returns candidates x raters x competencies "
                                     "in order; the mean over raters cannot be a reshape", field="ratings")
            x = long["score"].to_numpy(dtype=float).reshape(n, raters, m).mean(axis=1)
        true.append(z)
        skills[r], traits[r] = weighted_sum(x, skill_w), weighted_sum(x, trait_w)
        seeds[r] = rng.integers(2**62)
    return _Pools(true=true, skills=skills, traits=traits, develop_seeds=seeds)


def _hired(pools: _Pools, grid: np.ndarray, k: int) -> np.ndarray:
    """Positions of the top k in each pool at each share: (pools, shares, k).

    Ties (frequent: the totals are weighted means of discrete ratings) are broken by candidate id through
    :func:`smmrubric.ranking.argsort_ties`, so who is hired does not depend on the CPU's rounding.
    """
    totals = grid[None, :, None] * pools.skills[:, None, :] + (1.0 - grid[None, :, None]) * pools.traits[:, None, :]
    return argsort_ties(totals, pools.true[0].index, axis=2)[:, :, :k]


def _performance_of_hired(pools: _Pools, hired: np.ndarray, rubric: Rubric, months: float, betas: np.ndarray,
                          skill_gain: float, gain_cv: float, learning_trait_correlation: float) -> np.ndarray:
    """Mean expected criterion of the hired: (pools, criteria, shares) for criterion weights ``betas`` (c, m)."""
    out = np.empty((len(pools.true), betas.shape[0], hired.shape[1]))
    for r, z in enumerate(pools.true):
        grown = simulate.develop(z, rubric, months, seed=int(pools.develop_seeds[r]), skill_gain=skill_gain,
                                 gain_sd=gain_cv * abs(skill_gain),
                                 learning_trait_correlation=learning_trait_correlation).to_numpy()
        expected = grown @ betas.T                       # (n, criteria)
        out[r] = expected[hired[r]].mean(axis=1).T       # (criteria, shares)
    return out


def _check_study(rubric: Rubric, shares: Any, k: int, n: int, n_pools: int, raters: int, reliability: Any,
                 gain_cv: Any, learning_trait_correlation: Any, progress: Any) -> tuple:
    rubric = check_split_rubric(rubric)
    grid = shares_grid(np.linspace(0.0, 1.0, 21) if shares is None else shares)
    n = check_int(n, "n", low=2)
    k = check_int(k, "k", low=1, high=n)
    n_pools = check_int(n_pools, "n_pools", low=2)
    raters = check_int(raters, "raters", low=1)
    if reliability is not None:
        reliability = check_number(reliability, "reliability", low=0.0, high=1.0, low_open=True)
    cv = check_number(gain_cv, "gain_cv", low=0.0)
    c = check_number(learning_trait_correlation, "learning_trait_correlation", low=-1.0, high=1.0)
    progress_enabled(progress)  # refuses anything but True, False, 'auto' before the long run
    return rubric, grid, k, n, n_pools, raters, reliability, cv, c


def _summarise(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo mean and standard error over pools (axis 0)."""
    return values.mean(axis=0), values.std(axis=0, ddof=1) / np.sqrt(values.shape[0])


def _best(means: np.ndarray) -> int:
    """Position of the largest mean; means equal within the tie tolerance go to the first (lowest share)."""
    return int(argsort_ties(means)[0])


def _near_best(values: np.ndarray, grid: np.ndarray) -> tuple[int, float, float]:
    """The best share of a (pools, shares) array and the range of shares not distinguishable from it.

    A share is indistinguishable from the best when its mean is within two Monte Carlo standard errors
    of the paired difference (same pools) of the best one's.
    """
    mean = values.mean(axis=0)
    best = _best(mean)
    diff = values[:, [best]] - values
    se = diff.std(axis=0, ddof=1) / np.sqrt(values.shape[0])
    close = grid[diff.mean(axis=0) <= 2 * se]
    return best, float(close.min()), float(close.max())


@dataclass(frozen=True)
class GrowthStudy:
    """Hire now, grow later (see :func:`hire_and_grow`).

    Attributes
    ----------
    curves : pandas.DataFrame
        Indexed by (``months``, ``skill_share``): ``mean_performance`` (expected criterion z of the
        hired, averaged over pools) and ``se`` (its Monte Carlo standard error over pools).
    best : pandas.DataFrame
        Indexed by ``months``: ``best_share`` (the share with the highest mean), ``near_best_from``
        and ``near_best_to`` (the range of shares whose mean is within two Monte Carlo standard errors of
        the paired difference from the best's), its ``mean_performance`` and ``se``, and ``gain_over_hire_best`` with ``gain_se``: how much better
        the horizon's best share does than the share that is best at hire, at that horizon (paired over
        pools, so its standard error is that of the difference).
    parameters : dict
        The assumptions used.
    """

    curves: pd.DataFrame
    best: pd.DataFrame
    parameters: dict


def hire_and_grow(
    rubric: Rubric,
    *,
    seed: int | np.random.Generator,
    shares: Any = None,
    months: Any = DEFAULT_MONTHS,
    k: int = 10,
    n: int = 200,
    n_pools: int = 200,
    raters: int = 3,
    reliability: float | None = simulate.DEFAULT_RELIABILITY,
    skill_gain: float = simulate.DEFAULT_SKILL_GAIN,
    gain_cv: float = DEFAULT_GAIN_CV,
    learning_trait_correlation: float = DEFAULT_LEARNING_TRAIT_CORRELATION,
    skill_validity: float | None = None,
    trait_validity: float | None = None,
    progress: bool | str = "auto",
) -> GrowthStudy:
    """Hire now, grow later: expected true performance of the hired under each skill share, over time.

    For each of ``n_pools`` simulated pools of ``n`` applicants (:func:`smmrubric.simulate.candidates`,
    rated by ``raters`` interviewers with single-rating reliability ``reliability``,
    :func:`smmrubric.simulate.ratings`), the top ``k`` on the rubric total at skill share ``s``,
    ``s S_i + (1 - s) T_i`` (see :func:`category_subscores`), are hired. Their performance is

    ``P_i(t) = beta' z_i(t)``,

    the criterion of :func:`smmrubric.simulate.performance_weights` (model correlation matrix, skill
    and trait validities) *recomputed from the developed standings* ``z_i(t)`` of
    :func:`smmrubric.simulate.develop` after ``t`` months, with the *same* weights ``beta``: what the
    job rewards does not change, the people do. ``P_i`` is the expected criterion given the standings
    (the criterion's residual has mean 0 and is independent of who is hired), in SD units of the
    applicants' performance at hire. Skills grow by ``skill_gain`` SD a year on average, with a spread
    ``gain_cv * skill_gain`` across people whose learning rate correlates
    ``learning_trait_correlation`` with their traits; traits do not change.

    Why the spread matters: if everyone's skills grew alike (``gain_cv = 0``), every hire would gain
    the same ``t * skill_gain * sum_{j skill} beta_j`` and the best share could not move with the
    horizon. Hiring on traits pays off later only if people with stronger traits learn faster.

    The mean over pools and its Monte Carlo standard error (SD over pools / sqrt(n_pools)) are
    reported; the same pools serve every share and horizon (common random numbers), and each pool's
    learning rates are the same at every horizon.

    Parameters
    ----------
    rubric
        The rubric whose split is varied (it defines the competencies and the criterion composites).
    seed
        An int or a numpy Generator.
    shares
        Skill shares in [0, 1]; default 0, 0.05, ..., 1.
    months
        Horizons in months after hire, >= 0; default 0, 6, 12, 24.
    k, n, n_pools
        Hires per pool, applicants per pool, pools.
    raters, reliability
        Interview panel size and single-rating reliability (default .44, Huffcutt et al. 2013);
        ``reliability=None`` hires on the true standings (a perfectly measured rubric).
    skill_gain
        Mean skill growth in SD per year (default .6, Arthur et al. 2003).
    gain_cv
        Spread of the yearly gain across people as a multiple of ``|skill_gain|`` (default .5, an
        assumption, :data:`DEFAULT_GAIN_CV`).
    learning_trait_correlation
        Correlation of the learning rate with the traits composite (default .3, an assumption,
        :data:`DEFAULT_LEARNING_TRAIT_CORRELATION`).
    skill_validity, trait_validity
        The criterion's correlations with the skills and traits composites (defaults .40 and .19,
        Sackett et al. 2022).
    progress
        Progress bar over pools (``"auto"``: off under ``make``).

    Returns
    -------
    GrowthStudy
    """
    rubric, grid, k, n, n_pools, raters, reliability, cv, c = _check_study(
        rubric, shares, k, n, n_pools, raters, reliability, gain_cv, learning_trait_correlation, progress)
    horizons = months_list(months)
    gain = check_number(skill_gain, "skill_gain")
    beta, _ = _criterion_weights(rubric, skill_validity, trait_validity)
    pools = _simulate_pools(rubric, n, n_pools, raters, reliability, seed, progress)
    hired = _hired(pools, grid, k)
    values = np.stack([_performance_of_hired(pools, hired, rubric, h, beta[None, :], gain, cv, c)[:, 0]
                       for h in horizons], axis=1)          # (pools, horizons, shares)
    mean, se = _summarise(values)
    index = pd.MultiIndex.from_product([horizons, grid], names=["months", "skill_share"])
    curves = pd.DataFrame({"mean_performance": mean.ravel(), "se": se.ravel()}, index=index)
    near = [_near_best(values[:, h], grid) for h in range(len(horizons))]
    best_at = np.array([b for b, _, _ in near])
    diff = values[:, np.arange(len(horizons)), best_at] - values[:, :, best_at[0]]
    best = pd.DataFrame({
        "best_share": grid[best_at],
        "near_best_from": [lo for _, lo, _ in near],
        "near_best_to": [hi for _, _, hi in near],
        "mean_performance": mean[np.arange(len(horizons)), best_at],
        "se": se[np.arange(len(horizons)), best_at],
        "gain_over_hire_best": diff.mean(axis=0),
        "gain_se": diff.std(axis=0, ddof=1) / np.sqrt(n_pools),
    }, index=pd.Index(horizons, name="months"))
    parameters = {"k": k, "n": n, "n_pools": n_pools, "raters": raters, "reliability": reliability,
                  "skill_gain": gain, "gain_cv": cv, "learning_trait_correlation": c,
                  "skill_validity": simulate.DEFAULT_SKILL_VALIDITY if skill_validity is None else skill_validity,
                  "trait_validity": simulate.DEFAULT_TRAIT_VALIDITY if trait_validity is None else trait_validity}
    return GrowthStudy(curves=curves, best=best, parameters=parameters)


def growth_grid(
    rubric: Rubric,
    *,
    seed: int | np.random.Generator,
    skill_gains: Any = (0.0, 0.3, 0.6, 0.9, 1.2),
    trait_validities: Any = (0.1, 0.19, 0.3, 0.4, 0.5),
    months: float = 24,
    shares: Any = None,
    k: int = 10,
    n: int = 200,
    n_pools: int = 200,
    raters: int = 3,
    reliability: float | None = simulate.DEFAULT_RELIABILITY,
    gain_cv: float = DEFAULT_GAIN_CV,
    learning_trait_correlation: float = DEFAULT_LEARNING_TRAIT_CORRELATION,
    skill_validity: float | None = None,
    progress: bool | str = "auto",
) -> pd.DataFrame:
    """The best skill share at a horizon for each combination of skill growth and trait validity.

    The study of :func:`hire_and_grow` at one horizon, repeated over a grid of assumptions; the same
    simulated pools (and learning rates) serve every cell, so cells differ only by the assumptions.

    Parameters
    ----------
    rubric, seed, shares, k, n, n_pools, raters, reliability, gain_cv, learning_trait_correlation, skill_validity
        As in :func:`hire_and_grow`.
    skill_gains
        Mean yearly skill growth values (SD per year); the spread across people is
        ``gain_cv * |skill_gain|``.
    trait_validities
        Correlations of the criterion with the traits composite (each must be jointly possible with
        ``skill_validity``, see :func:`smmrubric.simulate.performance_weights`).
    months
        The horizon, > 0.

    Returns
    -------
    pandas.DataFrame
        One row per (``skill_gain``, ``trait_validity``): ``months``, ``best_share_at_hire``,
        ``best_share`` (at ``months``), ``near_best_from`` and ``near_best_to`` (the range of shares
        whose mean is within two Monte Carlo standard errors of the paired difference from the best:
        the best share is only known to lie in it), ``mean_performance`` and ``se`` of the best share at
        ``months``.
    """
    rubric, grid, k, n, n_pools, raters, reliability, cv, c = _check_study(
        rubric, shares, k, n, n_pools, raters, reliability, gain_cv, learning_trait_correlation, progress)
    horizon = check_number(months, "months", low=0.0, low_open=True)
    gains = number_list(skill_gains, "skill_gains")
    validities = number_list(trait_validities, "trait_validities", low=-1.0, high=1.0)
    betas = np.stack([_criterion_weights(rubric, skill_validity, v)[0] for v in validities])
    pools = _simulate_pools(rubric, n, n_pools, raters, reliability, seed, progress)
    hired = _hired(pools, grid, k)
    at_hire = _performance_of_hired(pools, hired, rubric, 0.0, betas, 0.0, 0.0, 0.0).mean(axis=0)
    rows = []
    for gain in gains:
        later = _performance_of_hired(pools, hired, rubric, horizon, betas, gain, cv, c)
        mean, se = _summarise(later)
        for j, validity in enumerate(validities):
            best, low, high = _near_best(later[:, j], grid)
            rows.append({"skill_gain": gain, "trait_validity": validity, "months": horizon,
                         "best_share_at_hire": grid[_best(at_hire[j])], "best_share": grid[best],
                         "near_best_from": low, "near_best_to": high,
                         "mean_performance": mean[j, best], "se": se[j, best]})
    return pd.DataFrame(rows)
