"""Which assumptions decide "hire for skills or for traits"? A global sensitivity analysis of the split study.

The growth study (:func:`smmrubric.split.hire_and_grow`) answers under one set of assumptions, several of them
without a meta-analytic value (validity review, MAJOR 1). :func:`assumption_study` varies all of them at once
over plausible ranges (:data:`ASSUMPTIONS`, lettered A-I): a Latin hypercube design of ``n_points`` sets of
assumptions (:func:`smmrubric.global_sensitivity.latin_hypercube`), each evaluated on the same ``n_pools``
simulated pools (common random numbers, :mod:`smmrubric.split.pools`). For each set it records the decision:

* ``best_share_at_hire`` and ``best_share_later``: the skill share whose hires perform best, on average over
  the pools, at hire and after ``months`` (tie-aware: equal means go to the lower share);
* ``advantage_at_hire`` and ``advantage_later``: how much better the hires of a skill-leaning rubric
  (``s = .75``) perform than those of a trait-leaning one (``s = .25``), in criterion SD units; its sign says
  which way the decision goes.

:func:`smmrubric.global_sensitivity.prcc` then says which assumptions move each outcome, and
:func:`smmrubric.global_sensitivity.monte_carlo_filtering` which ones flip the sign of the advantage.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from .. import simulate
from ..errors import SmmrubricError
from ..global_sensitivity import check_ranges, latin_hypercube, monte_carlo_filtering, prcc
from ..ranking import argsort_ties
from ..replicate import chunks, parallel_map, spawn
from ..rubric import Rubric
from ..simulate._spec import spec_of
from ..validation import as_rng, check_int, check_number
from ._checks import check_split_rubric, shares_grid
from .pools import Assumptions, Model, PoolDraws, draw_pools, hired_performance, hires, model, standings, subscores

__all__ = ["ASSUMPTIONS", "AssumptionStudy", "assumption_study", "assumption_table"]

#: The assumptions varied, lettered, with their ranges and why: (letter, name, low, high, basis).
ASSUMPTIONS: tuple[tuple[str, str, float, float, str], ...] = (
    (
        "A",
        "mean_intercorrelation",
        *simulate.MEAN_INTERCORRELATION_RANGE,
        "mean correlation between competencies; issue 4's .3 in the middle",
    ),
    (
        "B",
        "category_gap",
        *simulate.CATEGORY_GAP_RANGE,
        "how much more skills correlate with skills (traits with traits) than with each other; no estimate",
    ),
    (
        "C",
        "skill_validity",
        *simulate.SKILL_VALIDITY_RANGE,
        "true-score validity of the skills composite; around job knowledge's .40 (Sackett et al. 2022)",
    ),
    (
        "D",
        "trait_validity",
        *simulate.TRAIT_VALIDITY_RANGE,
        "true-score validity of the traits composite; openness-like traits near 0, conscientiousness .19",
    ),
    (
        "E",
        "reliability",
        0.30,
        0.75,
        "single-rating reliability; separate interviews .44, panels .74 (Huffcutt et al. 2013)",
    ),
    ("F", "skill_gain", 0.0, 1.2, "mean skill growth, SD per year; one training programme d = .6 (Arthur et al. 2003)"),
    ("G", "gain_cv", 0.0, 1.0, "spread of the yearly gain across people, as a multiple of the mean; no estimate"),
    (
        "H",
        "learning_trait_correlation",
        0.0,
        0.5,
        "correlation of the learning rate with traits; direction from Colquitt et al. 2000, size assumed",
    ),
    (
        "I",
        "ceiling_tightness",
        0.0,
        0.5,
        "1 / ceiling of growth in SD units: 0 = linear growth, .5 = a ceiling 2 SD above the mean",
    ),
)
#: The skill shares compared by the advantage: skill-leaning against trait-leaning.
LEANING = (0.75, 0.25)


def assumption_table() -> pd.DataFrame:
    """The varied assumptions (:data:`ASSUMPTIONS`) as a table indexed by letter: ``assumption``, ``low``,
    ``high``, ``basis``."""
    return pd.DataFrame(
        [{"letter": a, "assumption": n, "low": lo, "high": hi, "basis": b} for a, n, lo, hi, b in ASSUMPTIONS]
    ).set_index("letter")


@dataclass(frozen=True)
class AssumptionStudy:
    """Result of :func:`assumption_study`.

    Attributes
    ----------
    design : pandas.DataFrame
        Points x assumptions: the sets of assumptions evaluated.
    outcomes : pandas.DataFrame
        Points x ``best_share_at_hire``, ``best_share_later``, ``advantage_at_hire``, ``advantage_later``.
    importance : pandas.DataFrame
        Assumptions x outcomes: partial rank correlation coefficients (:func:`smmrubric.global_sensitivity.prcc`).
    p_values : pandas.DataFrame
        Assumptions x outcomes: their two-sided p-values.
    flips : pandas.DataFrame
        Monte Carlo filtering of "the skill-leaning rubric does better after ``months``" (``advantage_later >
        0``), indexed by assumption (:func:`smmrubric.global_sensitivity.monte_carlo_filtering`).
    flips_at_hire : pandas.DataFrame
        The same for the advantage at hire.
    ranges : dict
        The ranges varied.
    parameters : dict
        The fixed settings (pools, applicants, hires, raters, horizon, shares, seed).
    """

    design: pd.DataFrame
    outcomes: pd.DataFrame
    importance: pd.DataFrame
    p_values: pd.DataFrame
    flips: pd.DataFrame
    flips_at_hire: pd.DataFrame
    ranges: dict
    parameters: dict

    @property
    def letters(self) -> dict[str, str]:
        """Assumption name -> letter."""
        return {n: a for a, n, *_ in ASSUMPTIONS if n in self.ranges}


def _assumptions(point: pd.Series) -> Assumptions:
    values = {k: float(v) for k, v in point.items() if k != "ceiling_tightness"}
    tight = float(point.get("ceiling_tightness", 0.0))
    return Assumptions().with_values(**values, ceiling=None if tight <= 0 else 1.0 / tight)


def _evaluate(
    models: list[Model], draws: PoolDraws, shares: np.ndarray, k: int, months: np.ndarray
) -> list[np.ndarray]:
    """Mean performance of the hired over the pools, (horizons, shares), for each model."""
    out = []
    for mdl in models:
        true = standings(draws, mdl)
        hired = hires(*subscores(draws, mdl, true), shares, k)
        out.append(hired_performance(draws, mdl, true, hired, months).mean(axis=0))
    return out


def _check_shares(shares: Any) -> np.ndarray:
    grid = shares_grid(np.union1d(np.linspace(0.0, 1.0, 11), LEANING) if shares is None else shares)
    missing = [s for s in LEANING if not np.isclose(grid, s, rtol=0, atol=1e-12).any()]
    if missing:
        raise SmmrubricError(
            f"must include the shares {LEANING[1]} and {LEANING[0]} (the advantage compares them)", field="shares"
        )
    return grid


def assumption_study(
    rubric: Rubric,
    *,
    seed: int | np.random.Generator,
    n_points: int = 128,
    n_pools: int = 50,
    n: int = 200,
    k: int = 10,
    raters: int = 3,
    months: float = 24,
    ranges: dict[str, tuple[float, float]] | None = None,
    shares: Any = None,
    n_jobs: int | None = None,
) -> AssumptionStudy:
    """Vary every assumption of the growth study at once and find which ones flip the skills-or-traits decision.

    ``n_points`` sets of assumptions are drawn by Latin hypercube over ``ranges`` (default: the ranges of
    :data:`ASSUMPTIONS`, A-I); assumptions not in ``ranges`` keep their defaults. Each set is evaluated as in
    :func:`smmrubric.split.hire_and_grow` (top ``k`` of ``n`` applicants rated by ``raters`` interviewers, at
    each skill share, performance at hire and after ``months``) on the same ``n_pools`` pools, and summarised by
    the outcomes listed in the module docstring. Every result is conditional on the ranges: a range that is too
    narrow hides an assumption's effect, one that is too wide exaggerates it.

    Parameters
    ----------
    rubric
        The rubric whose split is varied.
    seed
        An int or a numpy Generator: the design and the pools come from two generators spawned from it.
    n_points
        Sets of assumptions (design points), >= the number of assumptions + 3.
    n_pools, n, k, raters
        Pools per set, applicants per pool, hires, interviewers.
    months
        The later horizon, > 0.
    ranges
        ``{assumption: (low, high)}``; names as in :data:`ASSUMPTIONS` (``ceiling_tightness`` is 1 / ceiling).
    shares
        Skill shares; default 0, .1, ..., 1 with .25 and .75 (which must be included).
    n_jobs
        Workers for :func:`smmrubric.replicate.parallel_map` (None: the active joblib configuration).

    Returns
    -------
    AssumptionStudy
    """
    rubric = check_split_rubric(rubric)
    spec = spec_of(rubric)
    grid = _check_shares(shares)
    n = check_int(n, "n", low=2)
    k = check_int(k, "k", low=1, high=n)
    n_pools = check_int(n_pools, "n_pools", low=2)
    raters = check_int(raters, "raters", low=1)
    horizon = check_number(months, "months", low=0.0, low_open=True)
    bounds = check_ranges({a[1]: (a[2], a[3]) for a in ASSUMPTIONS} if ranges is None else ranges)
    known = {a[1] for a in ASSUMPTIONS}
    unknown = sorted(set(bounds) - known)
    if unknown:
        raise SmmrubricError(f"unknown assumption {unknown[0]!r}; known: {', '.join(sorted(known))}", field="ranges")
    n_points = check_int(n_points, "n_points", low=len(bounds) + 3)
    design_rng, pools_rng = as_rng(seed).spawn(2)
    design = latin_hypercube(bounds, n_points, seed=design_rng)
    models = [model(spec, _assumptions(point)) for _, point in design.iterrows()]  # every point checked first
    draws = draw_pools(spawn(pools_rng, n_pools), n, spec.k, raters)
    task = partial(_evaluate, draws=draws, shares=grid, k=k, months=np.array([0.0, horizon]))
    curves = [
        c
        for block in parallel_map(task, [[models[i] for i in b] for b in chunks(n_points, 8)], n_jobs=n_jobs)
        for c in block
    ]
    lean = [int(np.flatnonzero(np.isclose(grid, s, rtol=0, atol=1e-12))[0]) for s in LEANING]
    outcomes = pd.DataFrame(
        {
            "best_share_at_hire": [grid[int(argsort_ties(c[0])[0])] for c in curves],
            "best_share_later": [grid[int(argsort_ties(c[1])[0])] for c in curves],
            "advantage_at_hire": [c[0, lean[0]] - c[0, lean[1]] for c in curves],
            "advantage_later": [c[1, lean[0]] - c[1, lean[1]] for c in curves],
        },
        index=design.index,
    )
    table = prcc(design, outcomes)
    importance = table["prcc"].unstack("outcome").reindex(index=list(design.columns), columns=list(outcomes.columns))
    p_values = table["p_value"].unstack("outcome").reindex(index=list(design.columns), columns=list(outcomes.columns))
    return AssumptionStudy(
        design=design,
        outcomes=outcomes,
        importance=importance,
        p_values=p_values,
        flips=monte_carlo_filtering(design, outcomes["advantage_later"] > 0, ranges=bounds),
        flips_at_hire=monte_carlo_filtering(design, outcomes["advantage_at_hire"] > 0, ranges=bounds),
        ranges=bounds,
        parameters={
            "n_points": n_points,
            "n_pools": n_pools,
            "n": n,
            "k": k,
            "raters": raters,
            "months": horizon,
            "shares": grid.tolist(),
        },
    )
