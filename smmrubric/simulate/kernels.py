"""Array kernels of the simulation: numpy in, numpy out, no checks (the public functions check once).

The DataFrame functions of :mod:`smmrubric.simulate` and the many-pool studies (:mod:`smmrubric.split`,
:mod:`smmrubric.sensitivity.pools`) run on these, so a pool simulated either way is the same pool. Every kernel
works on a leading batch of pools (``...``), element by element or along the last axes only, so a pool's result
does not depend on how many pools are computed at once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["continuous_ratings", "correlation", "discretise", "grow", "learning_rates", "standings"]


def correlation(is_skill: np.ndarray, r_between: float, gap: float) -> np.ndarray:
    """``R_jk = 1`` on the diagonal, ``r_b + gap`` within a category, ``r_b`` between (see ``factor_loadings``)."""
    same = is_skill[:, None] == is_skill[None, :]
    corr = r_between + gap * same
    np.fill_diagonal(corr, 1.0)
    return corr


def standings(draws: np.ndarray, is_skill: np.ndarray, r_between: float, gap: float) -> np.ndarray:
    """True standings ``z_j = sqrt(r_b) G + sqrt(gap) F_c(j) + sqrt(1 - r_b - gap) E_j`` from standard normals.

    ``draws[..., 0]`` is the general factor ``G``, ``draws[..., 1:3]`` the skills and traits factors and
    ``draws[..., 3:]`` the unique parts ``E_j`` (one per competency, in rubric order).
    """
    general, factors, unique = draws[..., 0], draws[..., 1:3], draws[..., 3:]
    group = factors[..., np.where(is_skill, 0, 1)]
    return (
        np.sqrt(r_between) * general[..., None]
        + np.sqrt(gap) * group
        + np.sqrt(max(0.0, 1.0 - r_between - gap)) * unique
    )


def continuous_ratings(true: np.ndarray, leniency: np.ndarray, halo: np.ndarray, error: np.ndarray) -> np.ndarray:
    """``X_ijr = z_ij + L_r + H_ir + E_ijr``: true ``(..., n, k)``, leniency and halo ``(..., n, raters)`` (the
    leniency of the rater each candidate met), error ``(..., n, raters, k)``; returns ``(..., n, raters, k)``."""
    out = np.add(true[..., :, None, :], (leniency + halo)[..., None])
    out += error
    return out


def discretise(x: np.ndarray, reliability: float, cuts: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """The scale level of each continuous rating: the standardised rating ``x sqrt(rho)`` cut at ``cuts``.

    Below the first cut point gives the lowest level, at or above the last the highest: the level index is the
    number of cut points at or below the value (``searchsorted(cuts, v, side="right")``, counted here by one
    comparison per cut point, which is faster for the few cut points of a rating scale).
    """
    v = np.multiply(x, np.sqrt(reliability))
    index = np.zeros(v.shape, dtype=np.uint8 if cuts.size < 255 else np.intp)
    above = np.empty(v.shape, dtype=bool)
    for cut in cuts:
        index += np.greater_equal(v, cut, out=above)
    return levels[index]


def learning_rates(normals: np.ndarray, traits: np.ndarray, correlation: float) -> np.ndarray:
    """``l_i = c K_i + sqrt(1 - c^2) n_i``: the learning rate, correlating ``c`` with the standardised traits
    composite ``K`` of the pool (mean 0, SD 1 with ddof 1 along the last axis); ``c = 0`` returns the normals."""
    if correlation == 0.0:
        return normals
    centred = traits - traits.mean(axis=-1, keepdims=True)
    sd = traits.std(axis=-1, ddof=1, keepdims=True)
    return correlation * centred / sd + np.sqrt(1.0 - correlation * correlation) * normals


def grow(
    true: np.ndarray,
    is_skill: np.ndarray,
    years: float,
    skill_rate: np.ndarray,
    trait_gain: float,
    ceiling: float | None,
) -> np.ndarray:
    """Standings after ``years``: linear growth, or growth towards a ceiling.

    Each competency's yearly rate is ``g_ij = skill_rate_i`` for a skill and ``trait_gain`` for a trait. Without
    a ceiling ``z(t) = z + t g``. With a ceiling ``c`` the standing approaches ``c`` exponentially,

    ``z(t) = c - (c - z) exp(-g t / c)``  for ``z < c`` (unchanged at or above ``c``),

    the solution of ``dz/dt = g (c - z) / c``: a person at the population mean starts at rate ``g``, one higher
    up grows more slowly (the rate falls linearly with the starting level and vanishes at the ceiling), and as
    ``c`` grows the curve tends to the linear one.
    """
    rate = np.where(is_skill, skill_rate[..., None], trait_gain)
    if ceiling is None:
        return true + years * rate
    room = ceiling - true
    return np.where(room > 0, ceiling - room * np.exp(-rate * years / ceiling), true)
