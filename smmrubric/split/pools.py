"""Simulated applicant pools for the skills-versus-traits studies: draws, hires, growth, as arrays.

The growth study (:func:`smmrubric.split.hire_and_grow`, :func:`smmrubric.split.growth_grid`) and the global
sensitivity analysis (:mod:`smmrubric.split.assumptions`) evaluate many pools under many assumptions. They
share this engine:

* :func:`draw_pools` draws each pool's standard normals from its own generator (spawned by
  :func:`smmrubric.replicate.spawn`), in the order the DataFrame functions consume them - the factor draws of
  :func:`smmrubric.simulate.candidates`, the leniency, halo and error of :func:`smmrubric.simulate.ratings`
  (a fixed panel), the learning rates of :func:`smmrubric.simulate.develop` - so a pool here is exactly the
  pool those functions draw from the same generator;
* :class:`Assumptions` holds every assumption of the model, and :func:`model` checks it once against a rubric
  (:class:`Model`: the derived loadings, criterion weights and rating variances);
* :func:`hires` and :func:`hired_performance` turn the same draws into the observed subscores, the top ``k``
  at each skill share (tie-aware, :func:`smmrubric.ranking.top_k_indices`) and their expected performance as
  their skills grow, with the array kernels of :mod:`smmrubric.simulate.kernels`.

Common random numbers: the same draws serve every share, horizon and assumption, so differences between them
are not blurred by pool-to-pool noise. Every step works pool by pool along the last axes, so a pool's result
does not depend on how many pools are computed together (or on which worker).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from .. import simulate
from ..errors import SmmrubricError
from ..ranking import top_k_indices
from ..rubric import Rubric
from ..simulate import kernels
from ..simulate._spec import Spec, spec_of
from ..simulate.criterion import criterion_weights
from ..simulate.factors import loadings
from ..simulate.growth import check_ceiling
from ..simulate.raters import components, default_thresholds
from ..validation import check_int, check_number

__all__ = [
    "DEFAULT_GAIN_CV",
    "DEFAULT_LEARNING_TRAIT_CORRELATION",
    "Assumptions",
    "Model",
    "PoolDraws",
    "draw_pools",
    "hired_performance",
    "hires",
    "model",
    "subscores",
]

#: Spread of the yearly skill gain across people, as a multiple of the mean gain (``gain_sd =
#: gain_cv * skill_gain``, so no growth means no spread). An assumption: no meta-analytic estimate of
#: individual differences in training gains is used.
DEFAULT_GAIN_CV = 0.5
#: Correlation of a person's learning rate with their traits composite. An assumption, in the
#: direction of Colquitt, LePine & Noe (2000), who find conscientiousness and motivation to learn
#: predict skill acquisition in training; the value .3 is not a meta-analytic estimate.
DEFAULT_LEARNING_TRAIT_CORRELATION = 0.3


@dataclass(frozen=True)
class Assumptions:
    """Every assumption of the hire-and-grow model (defaults: :mod:`smmrubric.simulate.defaults`).

    Attributes
    ----------
    mean_intercorrelation, category_gap
        The factor model of the true standings (:func:`smmrubric.simulate.factor_loadings`).
    skill_validity, trait_validity
        Correlations of performance with the true skills and traits composites (true-score placeholders,
        :data:`smmrubric.simulate.SKILL_VALIDITY_RANGE`, :data:`smmrubric.simulate.TRAIT_VALIDITY_RANGE`).
    reliability
        Single-rating reliability of the interview panel; None hires on the true standings.
    skill_gain, gain_cv, learning_trait_correlation, ceiling
        Growth after hire (:func:`smmrubric.simulate.develop`): mean yearly gain, its spread across people as
        a multiple of the gain, the learning rate's correlation with the traits composite, and the ceiling
        (None: linear growth).
    """

    mean_intercorrelation: float = simulate.DEFAULT_MEAN_INTERCORRELATION
    category_gap: float = simulate.DEFAULT_CATEGORY_GAP
    skill_validity: float = simulate.DEFAULT_SKILL_VALIDITY
    trait_validity: float = simulate.DEFAULT_TRAIT_VALIDITY
    reliability: float | None = simulate.DEFAULT_RELIABILITY
    skill_gain: float = simulate.DEFAULT_SKILL_GAIN
    gain_cv: float = DEFAULT_GAIN_CV
    learning_trait_correlation: float = DEFAULT_LEARNING_TRAIT_CORRELATION
    ceiling: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def with_values(self, **values: Any) -> Assumptions:
        """A copy with some assumptions changed."""
        unknown = sorted(set(values) - {f.name for f in fields(self)})
        if unknown:
            raise SmmrubricError(f"unknown assumption {unknown[0]!r}", field="assumptions")
        return replace(self, **values)


@dataclass(frozen=True)
class Model:
    """:class:`Assumptions` checked against a rubric, with what they imply (see :func:`model`)."""

    spec: Spec
    assumptions: Assumptions
    w_skill: np.ndarray  # the rubric's weights within the skills (sum 1), 0 on traits
    w_trait: np.ndarray  # within the traits
    r_between: float
    gap: float
    beta: np.ndarray  # criterion weights: expected performance = beta'z
    rating_sd: tuple[float, float, float] | None  # SDs of leniency, halo, error (None: no ratings)
    cuts: np.ndarray
    gain_sd: float


def model(rubric: Rubric | Spec, assumptions: Assumptions) -> Model:
    """Check ``assumptions`` against ``rubric`` once and derive the model's numbers.

    The criterion weights ``beta`` come from :func:`smmrubric.simulate.performance_weights`' formulas under the
    model correlation matrix (:func:`smmrubric.simulate.implied_correlation`), with the rubric's weights
    within each category defining the skills and traits composites.
    """
    spec = rubric if isinstance(rubric, Spec) else spec_of(rubric)
    a = assumptions
    if not isinstance(a, Assumptions):
        raise SmmrubricError(f"must be an Assumptions, got {type(a).__name__}", field="assumptions")
    r_between, gap = loadings(spec, a.mean_intercorrelation, a.category_gap)
    corr = kernels.correlation(spec.is_skill, r_between, gap)
    beta, _ = criterion_weights(spec, corr, None, a.skill_validity, a.trait_validity)
    rating_sd = None
    if a.reliability is not None:
        _, var_l, var_h, var_e = components(a.reliability, None, None)
        rating_sd = (float(np.sqrt(var_l)), float(np.sqrt(var_h)), float(np.sqrt(var_e)))
    gain = check_number(a.skill_gain, "skill_gain")
    cv = check_number(a.gain_cv, "gain_cv", low=0.0)
    check_number(a.learning_trait_correlation, "learning_trait_correlation", low=-1.0, high=1.0)
    check_ceiling(a.ceiling)
    return Model(
        spec=spec,
        assumptions=a,
        w_skill=spec.category_weights("skill"),
        w_trait=spec.category_weights("trait"),
        r_between=r_between,
        gap=gap,
        beta=beta,
        rating_sd=rating_sd,
        cuts=default_thresholds(spec.levels.size),
        gain_sd=cv * abs(gain),
    )


@dataclass(frozen=True)
class PoolDraws:
    """The standard normals of ``P`` pools of ``n`` applicants (leading axis: pool)."""

    factors: np.ndarray  # (P, n, m + 3): general, skills, traits factors, unique parts
    leniency: np.ndarray  # (P, raters)
    halo: np.ndarray  # (P, n, raters)
    error: np.ndarray  # (P, n, raters, m)
    learning: np.ndarray  # (P, n)

    @property
    def n_pools(self) -> int:
        return self.factors.shape[0]

    def take(self, pools: Any) -> PoolDraws:
        """The draws of some pools (an index or a slice along the pool axis)."""
        return PoolDraws(*(getattr(self, f.name)[pools] for f in fields(self)))


def draw_pools(generators: list[np.random.Generator], n: int, m: int, raters: int) -> PoolDraws:
    """Each pool's standard normals from its own generator, in the order the DataFrame functions draw them.

    Pool ``i`` consumes ``generators[i]`` exactly as ``simulate.candidates(rubric, n, seed=g)``, then
    ``simulate.ratings(z, rubric, seed=g, raters=raters)`` (a fixed panel), then ``simulate.develop(...,
    seed=g)`` would.
    """
    n, m, raters = check_int(n, "n", low=2), check_int(m, "m", low=1), check_int(raters, "raters", low=1)
    p = len(generators)
    draws = PoolDraws(
        factors=np.empty((p, n, m + 3)),
        leniency=np.empty((p, raters)),
        halo=np.empty((p, n, raters)),
        error=np.empty((p, n, raters, m)),
        learning=np.empty((p, n)),
    )
    for i, g in enumerate(generators):
        for f in fields(PoolDraws):  # in declaration order: factors, leniency, halo, error, learning
            g.standard_normal(out=getattr(draws, f.name)[i])
    return draws


def standings(draws: PoolDraws, mdl: Model) -> np.ndarray:
    """True standings ``(P, n, m)`` under the model's factor structure."""
    return kernels.standings(draws.factors, mdl.spec.is_skill, mdl.r_between, mdl.gap)


def subscores(draws: PoolDraws, mdl: Model, true: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Observed skill-only and trait-only subscores ``(P, n)``: within-category weighted means of the mean
    rating over the panel (or of the true standings when the model has no ratings)."""
    if mdl.rating_sd is None:
        observed = true
    else:
        sd_l, sd_h, sd_e = mdl.rating_sd
        leniency = np.broadcast_to((sd_l * draws.leniency)[:, None, :], draws.halo.shape)
        x = kernels.continuous_ratings(true, leniency, sd_h * draws.halo, sd_e * draws.error)
        levels = kernels.discretise(x, mdl.assumptions.reliability or 1.0, mdl.cuts, mdl.spec.levels)
        observed = levels.mean(axis=-2)
    return (observed * mdl.w_skill).sum(axis=-1), (observed * mdl.w_trait).sum(axis=-1)


def hires(skills: np.ndarray, traits: np.ndarray, shares: np.ndarray, k: int) -> np.ndarray:
    """Positions of the top ``k`` at each skill share: ``(P, shares, k)``.

    The total at share ``s`` is ``s S_i + (1 - s) T_i``; ties (frequent: totals are weighted means of discrete
    ratings) are broken by candidate id (= position, ids being numbered in order), through
    :func:`smmrubric.ranking.top_k_indices`, so who is hired does not depend on the CPU's rounding.
    """
    s = shares[None, :, None]
    totals = s * skills[:, None, :] + (1.0 - s) * traits[:, None, :]
    return top_k_indices(totals, k)


def expected_performance(draws: PoolDraws, mdl: Model, true: np.ndarray, months: float) -> np.ndarray:
    """Expected performance ``beta' z(t)`` of every applicant ``(P, n)`` after ``months`` of growth."""
    a = mdl.assumptions
    if months == 0:
        return (true * mdl.beta).sum(axis=-1)
    learning = draws.learning
    if a.learning_trait_correlation != 0:
        learning = kernels.learning_rates(learning, (true * mdl.w_trait).sum(axis=-1), a.learning_trait_correlation)
    grown = kernels.grow(
        true,
        mdl.spec.is_skill,
        months / 12.0,
        a.skill_gain + mdl.gain_sd * learning,
        simulate.DEFAULT_TRAIT_GAIN,
        a.ceiling,
    )
    return (grown * mdl.beta).sum(axis=-1)


def hired_performance(
    draws: PoolDraws, mdl: Model, true: np.ndarray, hired: np.ndarray, months: np.ndarray
) -> np.ndarray:
    """Mean expected performance of the hired: ``(P, horizons, shares)``."""
    out = np.empty((hired.shape[0], len(months), hired.shape[1]))
    for h, t in enumerate(months):
        perf = expected_performance(draws, mdl, true, float(t))
        out[:, h] = np.take_along_axis(perf[:, None, :], hired, axis=-1).mean(axis=-1)
    return out
