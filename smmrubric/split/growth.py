"""Hire now, grow later: expected true performance of those hired under each skill share, over time.

Simulated applicant pools are rated, the top k at each skill share hired, and their performance followed as
their skills grow after hire (:mod:`smmrubric.split.pools`); :func:`growth_grid` repeats the study over a grid
of assumptions. Pools run in chunks through :mod:`smmrubric.replicate` (joblib; any backend, same result).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from .. import simulate
from ..progress import progress_enabled
from ..ranking import argsort_ties
from ..replicate import DEFAULT_LEVEL, chunks, parallel_map, spawn
from ..rubric import Rubric
from ..simulate._spec import spec_of
from ..validation import check_int, check_number
from ._checks import check_split_rubric, months_list, number_list, shares_grid
from .pools import (
    DEFAULT_GAIN_CV,
    DEFAULT_LEARNING_TRAIT_CORRELATION,
    Assumptions,
    Model,
    draw_pools,
    hired_performance,
    hires,
    model,
    standings,
    subscores,
)

__all__ = [
    "DEFAULT_GAIN_CV",
    "DEFAULT_LEARNING_TRAIT_CORRELATION",
    "DEFAULT_MONTHS",
    "GrowthStudy",
    "growth_grid",
    "hire_and_grow",
]

#: The horizons of the study, in months after hire (issue 7).
DEFAULT_MONTHS = (0, 6, 12, 24)


def _chunk(
    generators: list[np.random.Generator],
    models: list[Model],
    shares: np.ndarray,
    k: int,
    n: int,
    raters: int,
    months: np.ndarray,
    reference: int | None,
) -> tuple[list[np.ndarray], np.ndarray | None]:
    """One chunk of pools: mean performance of the hired per model ``(P, horizons, shares)`` and the top-k
    overlap of each share's hires with the reference share's ``(P, shares)``.

    Every model shares the factor structure and the panel of the first (the hires are the same); they may
    differ in the criterion and the growth.
    """
    draws = draw_pools(generators, n, models[0].spec.k, raters)
    true = standings(draws, models[0])
    hired = hires(*subscores(draws, models[0], true), shares, k)
    values = [hired_performance(draws, mdl, true, hired, months) for mdl in models]
    overlap = None
    if reference is not None:
        member = np.zeros((hired.shape[0], hired.shape[1], n), dtype=bool)
        np.put_along_axis(member, hired, True, axis=-1)
        overlap = (member & member[:, [reference], :]).sum(axis=-1) / k
    return values, overlap


def _run(
    models: list[Model],
    *,
    seed: Any,
    n_pools: int,
    shares: np.ndarray,
    k: int,
    n: int,
    raters: int,
    months: np.ndarray,
    reference: int | None,
    n_jobs: int | None,
) -> tuple[list[np.ndarray], np.ndarray | None]:
    generators = spawn(seed, n_pools)
    task = partial(_chunk, models=models, shares=shares, k=k, n=n, raters=raters, months=months, reference=reference)
    parts = parallel_map(task, [[generators[i] for i in block] for block in chunks(n_pools)], n_jobs=n_jobs)
    values = [np.concatenate([p[0][j] for p in parts]) for j in range(len(models))]
    overlap = np.concatenate([p[1] for p in parts]) if reference is not None else None
    return values, overlap


def _summarise(values: np.ndarray, level: float = DEFAULT_LEVEL) -> dict[str, np.ndarray]:
    """Mean, Monte Carlo SE and central interval over pools (axis 0)."""
    low, high = np.quantile(values, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return {
        "mean": values.mean(axis=0),
        "se": values.std(axis=0, ddof=1) / np.sqrt(values.shape[0]),
        "low": low,
        "high": high,
    }


def _best(means: np.ndarray) -> int:
    """Position of the largest mean; means equal within the tie tolerance go to the first (lowest share)."""
    return int(argsort_ties(means)[0])


def _near_best(values: np.ndarray, grid: np.ndarray) -> tuple[int, float, float]:
    """The best share of a (pools, shares) array and the range of shares not distinguishable from it.

    A share is indistinguishable from the best when its mean is within two Monte Carlo standard errors
    of the paired difference (same pools) of the best one's. This is a screening rule applied share by share,
    with no correction for multiplicity (validity review, MINOR 6): read it as the shares the pools cannot
    tell apart, not as a confidence set.
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
        hired, averaged over pools), ``se`` (its Monte Carlo standard error over pools), and ``low``, ``high``
        (the central 90% of the pools: where one pool's value falls).
    best : pandas.DataFrame
        Indexed by ``months``: ``best_share`` (the share with the highest mean), ``near_best_from``
        and ``near_best_to`` (the range of shares whose mean is within two Monte Carlo standard errors of
        the paired difference from the best's), its ``mean_performance`` and ``se``, and
        ``gain_over_hire_best`` with ``gain_se``: how much better the horizon's best share does than the share
        that is best at hire, at that horizon (paired over pools, so its standard error is that of the
        difference).
    turnover : pandas.DataFrame
        Indexed by ``skill_share``: the share of each share's hires also hired at ``reference_share`` (ties at
        the cut broken by id), over pools: ``mean``, ``low``, ``high``. Empty when the reference share is not
        on the grid.
    values : numpy.ndarray
        The per-pool means behind ``curves``: (pools, horizons, shares).
    parameters : dict
        The assumptions used.
    """

    curves: pd.DataFrame
    best: pd.DataFrame
    turnover: pd.DataFrame
    values: np.ndarray
    parameters: dict


def _assumptions(**values: Any) -> Assumptions:
    out = Assumptions()
    return out.with_values(**{k: v for k, v in values.items() if v is not None or k in ("reliability", "ceiling")})


def _check_study(
    rubric: Rubric, shares: Any, k: int, n: int, n_pools: int, raters: int, progress: Any
) -> tuple[Rubric, np.ndarray, int, int, int, int]:
    rubric = check_split_rubric(rubric)
    grid = shares_grid(np.linspace(0.0, 1.0, 21) if shares is None else shares)
    n = check_int(n, "n", low=2)
    k = check_int(k, "k", low=1, high=n)
    n_pools = check_int(n_pools, "n_pools", low=2)
    raters = check_int(raters, "raters", low=1)
    progress_enabled(progress)  # checked; the study runs in seconds, so no bar is shown
    return rubric, grid, k, n, n_pools, raters


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
    ceiling: float | None = None,
    skill_validity: float | None = None,
    trait_validity: float | None = None,
    mean_intercorrelation: float = simulate.DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = simulate.DEFAULT_CATEGORY_GAP,
    reference_share: float = 0.5,
    n_jobs: int | None = None,
    progress: bool | str = "auto",
) -> GrowthStudy:
    """Hire now, grow later: expected true performance of the hired under each skill share, over time.

    For each of ``n_pools`` simulated pools of ``n`` applicants (true standings from the factor model with
    ``mean_intercorrelation`` and ``category_gap``, :func:`smmrubric.simulate.candidates`; rated by a panel of
    ``raters`` interviewers with single-rating reliability ``reliability``, :func:`smmrubric.simulate.ratings`),
    the top ``k`` on the rubric total at skill share ``s``, ``s S_i + (1 - s) T_i`` (see
    :func:`category_subscores`), are hired (ties broken by candidate id). Their performance is

    ``P_i(t) = beta' z_i(t)``,

    the criterion of :func:`smmrubric.simulate.performance_weights` (model correlation matrix, skill
    and trait validities) *recomputed from the developed standings* ``z_i(t)`` of
    :func:`smmrubric.simulate.develop` after ``t`` months, with the *same* weights ``beta``: what the
    job rewards does not change, the people do. ``P_i`` is the expected criterion given the standings
    (the criterion's residual has mean 0 and is independent of who is hired), in SD units of the
    applicants' performance at hire. Skills grow by ``skill_gain`` SD a year on average (linearly, or towards
    ``ceiling``), with a spread ``gain_cv * skill_gain`` across people whose learning rate correlates
    ``learning_trait_correlation`` with their traits; traits do not change.

    Why the spread matters: if everyone's skills grew alike and linearly (``gain_cv = 0``, no ceiling), every
    hire would gain the same ``t * skill_gain * sum_{j skill} beta_j`` and the best share could not move with
    the horizon. Hiring on traits pays off later only if people with stronger traits learn faster, or if a
    ceiling slows those who start high.

    Every number is conditional on these assumptions, each a parameter. The mean over pools, its Monte Carlo
    standard error (SD over pools / sqrt(n_pools)) and the central 90% of the pools are reported; the same pools
    serve every share and horizon (common random numbers), and each pool's learning rates are the same at
    every horizon. Pool ``i`` draws from the ``i``-th generator spawned from ``seed``
    (:func:`smmrubric.replicate.spawn`), so the result does not depend on ``n_jobs`` or the joblib backend.

    Parameters
    ----------
    rubric
        The rubric whose split is varied (it defines the competencies and the criterion composites).
    seed
        An int or a numpy Generator.
    shares
        Skill shares in [0, 1]; default 0, 0.05, ..., 1.
    months
        Horizons in months after hire, >= 0, the first 0; default 0, 6, 12, 24.
    k, n, n_pools
        Hires per pool, applicants per pool, pools.
    raters, reliability
        Interview panel size and single-rating reliability (default .44, Huffcutt et al. 2013);
        ``reliability=None`` hires on the true standings (a perfectly measured rubric).
    skill_gain
        Mean skill growth in SD per year (default .6, an assumption after Arthur et al. 2003).
    gain_cv
        Spread of the yearly gain across people as a multiple of ``|skill_gain|`` (default .5, an
        assumption, :data:`DEFAULT_GAIN_CV`).
    learning_trait_correlation
        Correlation of the learning rate with the traits composite (default .3, an assumption,
        :data:`DEFAULT_LEARNING_TRAIT_CORRELATION`).
    ceiling
        None (linear growth) or the ceiling of growth in SD units (see :func:`smmrubric.simulate.develop`).
    skill_validity, trait_validity
        The criterion's correlations with the true skills and traits composites (defaults .40 and .19:
        placeholders inside :data:`smmrubric.simulate.SKILL_VALIDITY_RANGE` and
        :data:`smmrubric.simulate.TRAIT_VALIDITY_RANGE`, see :mod:`smmrubric.simulate.defaults`).
    mean_intercorrelation, category_gap
        The factor model (defaults .3 and .15, :func:`smmrubric.simulate.factor_loadings`).
    reference_share
        The share whose hires the others are compared with in ``turnover`` (default .5, an even split).
    n_jobs
        Workers for :func:`smmrubric.replicate.parallel_map` (None: the active joblib configuration).
    progress
        Checked for compatibility; no progress bar is shown.

    Returns
    -------
    GrowthStudy
    """
    rubric, grid, k, n, n_pools, raters = _check_study(rubric, shares, k, n, n_pools, raters, progress)
    horizons = months_list(months)
    assumptions = _assumptions(
        mean_intercorrelation=mean_intercorrelation,
        category_gap=category_gap,
        skill_validity=skill_validity,
        trait_validity=trait_validity,
        reliability=reliability,
        skill_gain=skill_gain,
        gain_cv=gain_cv,
        learning_trait_correlation=learning_trait_correlation,
        ceiling=ceiling,
    )
    mdl = model(spec_of(rubric), assumptions)
    reference = check_number(reference_share, "reference_share", low=0.0, high=1.0)
    at = np.flatnonzero(np.isclose(grid, reference, rtol=0, atol=1e-12))
    (values,), overlap = _run(
        [mdl],
        seed=seed,
        n_pools=n_pools,
        shares=grid,
        k=k,
        n=n,
        raters=raters,
        months=horizons,
        reference=int(at[0]) if at.size else None,
        n_jobs=n_jobs,
    )
    summary = _summarise(values)
    index = pd.MultiIndex.from_product([horizons, grid], names=["months", "skill_share"])
    curves = pd.DataFrame(
        {
            "mean_performance": summary["mean"].ravel(),
            "se": summary["se"].ravel(),
            "low": summary["low"].ravel(),
            "high": summary["high"].ravel(),
        },
        index=index,
    )
    near = [_near_best(values[:, h], grid) for h in range(len(horizons))]
    best_at = np.array([b for b, _, _ in near])
    diff = values[:, np.arange(len(horizons)), best_at] - values[:, :, best_at[0]]
    rows = np.arange(len(horizons))
    best = pd.DataFrame(
        {
            "best_share": grid[best_at],
            "near_best_from": [lo for _, lo, _ in near],
            "near_best_to": [hi for _, _, hi in near],
            "mean_performance": summary["mean"][rows, best_at],
            "se": summary["se"][rows, best_at],
            "gain_over_hire_best": diff.mean(axis=0),
            "gain_se": diff.std(axis=0, ddof=1) / np.sqrt(n_pools),
        },
        index=pd.Index(horizons, name="months"),
    )
    turnover = pd.DataFrame(columns=["mean", "low", "high"], index=pd.Index([], name="skill_share"), dtype=float)
    if overlap is not None:
        o = _summarise(overlap)
        turnover = pd.DataFrame(
            {"mean": o["mean"], "low": o["low"], "high": o["high"]}, index=pd.Index(grid, name="skill_share")
        )
    parameters = {
        "k": k,
        "n": n,
        "n_pools": n_pools,
        "raters": raters,
        **mdl.assumptions.as_dict(),
        "reference_share": reference,
    }
    return GrowthStudy(curves=curves, best=best, turnover=turnover, values=values, parameters=parameters)


def growth_grid(
    rubric: Rubric,
    *,
    seed: int | np.random.Generator,
    skill_gains: Any = (0.0, 0.3, 0.6, 0.9, 1.2),
    trait_validities: Any = (0.05, 0.12, 0.19, 0.27, 0.35),
    months: float = 24,
    shares: Any = None,
    k: int = 10,
    n: int = 200,
    n_pools: int = 200,
    raters: int = 3,
    reliability: float | None = simulate.DEFAULT_RELIABILITY,
    gain_cv: float = DEFAULT_GAIN_CV,
    learning_trait_correlation: float = DEFAULT_LEARNING_TRAIT_CORRELATION,
    ceiling: float | None = None,
    skill_validity: float | None = None,
    mean_intercorrelation: float = simulate.DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = simulate.DEFAULT_CATEGORY_GAP,
    n_jobs: int | None = None,
    progress: bool | str = "auto",
) -> pd.DataFrame:
    """The best skill share at a horizon for each combination of skill growth and trait validity.

    The study of :func:`hire_and_grow` at one horizon, repeated over a grid of two assumptions; the same
    simulated pools (and learning rates) serve every cell, so cells differ only by the assumptions. The other
    assumptions are fixed at the values given; :func:`smmrubric.split.assumption_study` varies all of them at
    once.

    Parameters
    ----------
    rubric, seed, shares, k, n, n_pools, raters, reliability, gain_cv, learning_trait_correlation, ceiling
        As in :func:`hire_and_grow`.
    skill_validity, mean_intercorrelation, category_gap, n_jobs, progress
        As in :func:`hire_and_grow`.
    skill_gains
        Mean yearly skill growth values (SD per year); the spread across people is
        ``gain_cv * |skill_gain|``.
    trait_validities
        Correlations of the criterion with the traits composite (each must be jointly possible with
        ``skill_validity``, see :func:`smmrubric.simulate.performance_weights`); default five points over
        :data:`smmrubric.simulate.TRAIT_VALIDITY_RANGE`.
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
    rubric, grid, k, n, n_pools, raters = _check_study(rubric, shares, k, n, n_pools, raters, progress)
    horizon = check_number(months, "months", low=0.0, low_open=True)
    gains = number_list(skill_gains, "skill_gains")
    validities = number_list(trait_validities, "trait_validities", low=-1.0, high=1.0)
    spec = spec_of(rubric)
    base = _assumptions(
        mean_intercorrelation=mean_intercorrelation,
        category_gap=category_gap,
        skill_validity=skill_validity,
        reliability=reliability,
        gain_cv=gain_cv,
        learning_trait_correlation=learning_trait_correlation,
        ceiling=ceiling,
    )
    cells = [(g, v) for g in gains for v in validities]
    models = [model(spec, base.with_values(skill_gain=g, trait_validity=v)) for g, v in cells]
    values, _ = _run(
        models,
        seed=seed,
        n_pools=n_pools,
        shares=grid,
        k=k,
        n=n,
        raters=raters,
        months=np.array([0.0, horizon]),
        reference=None,
        n_jobs=n_jobs,
    )
    rows = []
    for (gain, validity), cell in zip(cells, values, strict=True):
        at_hire, later = cell[:, 0], cell[:, 1]
        best, low, high = _near_best(later, grid)
        summary = _summarise(later)
        rows.append(
            {
                "skill_gain": gain,
                "trait_validity": validity,
                "months": horizon,
                "best_share_at_hire": grid[_best(at_hire.mean(axis=0))],
                "best_share": grid[best],
                "near_best_from": low,
                "near_best_to": high,
                "mean_performance": summary["mean"][best],
                "se": summary["se"][best],
            }
        )
    return pd.DataFrame(rows)
