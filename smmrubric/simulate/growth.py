"""On-the-job growth: skills grow after hire (linearly or towards a ceiling), traits stay put by default."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..validation import as_rng, check_number
from . import kernels
from ._spec import spec_of, true_matrix
from .defaults import DEFAULT_SKILL_GAIN, DEFAULT_TRAIT_GAIN

__all__ = ["check_ceiling", "develop"]


def check_ceiling(ceiling: Any) -> float | None:
    """``None`` (linear growth) or a ceiling > 0 in SD units of the applicant population."""
    return None if ceiling is None else check_number(ceiling, "ceiling", low=0.0, low_open=True)


def develop(
    true_scores: pd.DataFrame,
    rubric_or_competencies: Any,
    months: float,
    *,
    seed: int | np.random.Generator,
    skill_gain: float = DEFAULT_SKILL_GAIN,
    trait_gain: float = DEFAULT_TRAIT_GAIN,
    gain_sd: float = 0.0,
    learning_trait_correlation: float = 0.0,
    ceiling: float | None = None,
) -> pd.DataFrame:
    """Move true standings ``months`` forward: skills grow with training, traits stay put.

    With ``t = months / 12`` (years) and competency ``j``'s yearly rate ``g_ij = skill_gain + gain_sd * l_i``
    for a skill and ``g_ij = trait_gain`` for a trait, where ``l_i`` ~ N(0, 1) is candidate ``i``'s learning
    rate, shared by all their skills:

    * linear growth (``ceiling=None``, the default): ``z_ij(t) = z_ij + t * g_ij``;
    * growth towards a ceiling ``c`` (diminishing returns): ``z_ij(t) = c - (c - z_ij) exp(-g_ij t / c)`` for
      ``z_ij < c``, unchanged at or above ``c``. This solves ``dz/dt = g (c - z) / c``: someone at the
      population mean starts at rate ``g``, someone higher up more slowly (the rate falls linearly with the
      starting level, reaching 0 at ``c``), so the rate depends on the initial level. Experience-performance
      relations flatten with experience (McDaniel, Schmidt & Hunter 1988, *Journal of Applied Psychology*
      73(2); Quinones, Ford & Teachout 1995, *Personnel Psychology* 48(4)); the functional form and ``c``
      are assumptions (validity review, MINOR 5).

    With ``learning_trait_correlation = c_l``, ``l_i = c_l * K_i + sqrt(1 - c_l^2) * n_i``: ``K_i`` the pool's
    standardised traits composite (the rubric's trait weights; equal if they are all 0), ``n_i`` independent
    N(0, 1) - people with stronger traits learn faster (e.g. conscientiousness and motivation to learn,
    Colquitt, LePine & Noe 2000, *Journal of Applied Psychology* 85(5)).

    Parameters
    ----------
    true_scores
        Candidates x competencies; every column must be a competency of ``rubric_or_competencies``
        (pass the competency table to develop a pool drawn on the whole vocabulary).
    rubric_or_competencies
        A Rubric, a Series of categories or a competency table.
    months
        Time on the job, >= 0; 0 returns the standings unchanged.
    seed
        An int or a numpy Generator.
    skill_gain
        Mean skill growth in SD per year (at the population mean, with a ceiling); default .6, an assumption
        after one training programme's effect (Arthur et al. 2003, d about .6; see
        :data:`smmrubric.simulate.DEFAULT_SKILL_GAIN`). Negative values model decay.
    trait_gain
        Mean trait change in SD per year; default 0, no intervention (Roberts et al. 2006). Under an
        intervention Roberts et al. (2017) report d = .37 over about 24 weeks (.8 per year if it
        continued linearly).
    gain_sd
        SD across candidates of the yearly skill gain, >= 0. Default 0: everyone gains the same, so
        linear growth lifts levels and leaves rankings within skills unchanged (no meta-analytic estimate
        of this spread is assumed).
    learning_trait_correlation
        ``c_l`` in [-1, 1]; default 0. Needs ``gain_sd > 0`` to matter, and traits in the rubric if not 0.
    ceiling
        ``None`` (linear growth) or the ceiling ``c`` > 0, in SD units of the applicant population.

    Returns
    -------
    pandas.DataFrame
        Same index and columns as ``true_scores``.

    Raises
    ------
    SmmrubricError
        Bad true scores or a column without a category, ``months < 0``, a gain not finite,
        ``gain_sd < 0``, ``c_l`` outside [-1, 1] or not 0 without traits, a ceiling <= 0, a bad seed.
    """
    spec = spec_of(rubric_or_competencies, "rubric_or_competencies")
    if isinstance(true_scores, pd.DataFrame):
        extra = [c for c in true_scores.columns if c not in spec.ids]
        if extra:
            raise SmmrubricError(
                f"column {extra[0]!r} has no category in rubric_or_competencies; pass a "
                "rubric or competency table covering every column",
                field="true_scores",
            )
    true = true_matrix(true_scores, spec)
    years = check_number(months, "months", low=0.0) / 12.0
    skill = check_number(skill_gain, "skill_gain")
    trait = check_number(trait_gain, "trait_gain")
    spread = check_number(gain_sd, "gain_sd", low=0.0)
    c = check_number(learning_trait_correlation, "learning_trait_correlation", low=-1.0, high=1.0)
    top = check_ceiling(ceiling)
    rng = as_rng(seed)
    n = true.shape[0]
    learning: np.ndarray = rng.standard_normal((n,))
    if c != 0.0:
        if spec.is_skill.all():
            raise SmmrubricError(
                "the rubric has no traits, so learning_trait_correlation must be 0", field="learning_trait_correlation"
            )
        composite = true @ spec.category_weights("trait")
        sd = composite.std(ddof=1) if n > 1 else 0.0
        if not sd > 0:
            raise SmmrubricError(
                "the traits composite does not vary in this pool, so learning cannot correlate with it",
                field="learning_trait_correlation",
            )
        learning = kernels.learning_rates(learning, composite, c)
    grown = kernels.grow(true, spec.is_skill, years, skill + spread * learning, trait, top)
    frame = pd.DataFrame(grown, index=true_scores.index, columns=pd.Index(spec.ids, name="competency_id"))
    return frame[list(true_scores.columns)]
