"""Simulated interviewers: variance components of a rating, the rating scale's cut points, the ratings.

A continuous rating is ``X = z + L + H + E`` (true standing, rater leniency, halo, error), cut into the
rubric's scale levels; the output is the long ratings table that ``smmrubric.load_ratings`` reads.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr

from ..errors import SmmrubricError
from ..validation import as_rng, check_int, check_number, check_probability
from . import kernels
from ._spec import spec_of, true_matrix
from .defaults import DEFAULT_HALO_SHARE, DEFAULT_LENIENCY_SHARE, DEFAULT_RELIABILITY, MAX_RATER_POOL

__all__ = ["check_thresholds", "components", "default_thresholds", "rating_distribution", "rating_variance", "ratings"]


def components(
    reliability: Any, leniency_share: Any, halo_share: Any, leniency_sd: Any = None, halo: Any = None
) -> tuple[float, float, float, float]:
    """(rho, s_L^2, s_H^2, s_E^2) from the reliability and either the shares or the SDs of leniency and halo."""
    rho = check_number(reliability, "reliability", low=0.0, high=1.0, low_open=True)
    noise = (1.0 - rho) / rho
    variances, shares = {}, {}
    for share_name, share, sd_name, sd, default in (
        ("leniency_share", leniency_share, "leniency_sd", leniency_sd, DEFAULT_LENIENCY_SHARE),
        ("halo_share", halo_share, "halo", halo, DEFAULT_HALO_SHARE),
    ):
        if sd is not None:
            if share is not None:
                raise SmmrubricError(f"give {share_name} or {sd_name}, not both", field=sd_name)
            variances[sd_name] = check_number(sd, sd_name, low=0.0) ** 2
        else:
            shares[sd_name] = check_probability(default if share is None else share, share_name)
            variances[sd_name] = shares[sd_name] * noise
    var_l, var_h = variances["leniency_sd"], variances["halo"]
    if var_l + var_h > noise * (1.0 + 1e-12) + 1e-300:
        if leniency_sd is None and halo is None:
            raise SmmrubricError(
                f"leniency_share + halo_share must be <= 1, got {var_l / noise:g} + {var_h / noise:g}",
                field="halo_share",
            )
        raise SmmrubricError(
            f"leniency and halo variances {var_l:.4g} + {var_h:.4g} exceed the non-true variance "
            f"(1 - rho) / rho = {noise:.4g} of a rating with reliability {rho:g}; lower them or the reliability",
            field="halo" if halo is not None else "leniency_sd",
        )
    if len(shares) == 2:  # both as shares: the error's share is the rest (as computed before the SD form)
        return rho, var_l, var_h, max(0.0, 1.0 - shares["leniency_sd"] - shares["halo"]) * noise
    return rho, var_l, var_h, max(0.0, noise - var_l - var_h)


def rating_variance(
    reliability: float = DEFAULT_RELIABILITY,
    *,
    leniency_share: float | None = None,
    halo_share: float | None = None,
    raters: int = 3,
    leniency_sd: float | None = None,
    halo: float | None = None,
) -> pd.Series:
    """Variance components of one simulated rating, and the reliabilities they imply.

    A continuous rating is ``X = z + L + H + E`` (true standing, rater leniency, halo, error),
    independent, with ``Var(z) = 1`` in the reference population. The reliability of a single
    rating is defined as the true share of its variance when the rater is drawn at random:

    ``rho = 1 / (1 + s_L^2 + s_H^2 + s_E^2)``,  so  ``s_L^2 + s_H^2 + s_E^2 = (1 - rho) / rho``,

    split as ``s_L^2 = leniency_share * (1 - rho) / rho``, ``s_H^2 = halo_share * (1 - rho) / rho``
    and ``s_E^2`` the rest. Equivalently ``rho`` is the correlation between two ratings of the same
    candidate and competency by two different randomly drawn raters, and ``corr(X, z) = sqrt(rho)``.

    When the same raters rate every candidate (a panel; ``rater_pool=None`` in :func:`ratings`),
    each rater's leniency is a constant and drops out of comparisons between candidates, so the
    reliability across candidates of one rater is higher:

    ``rho_within = 1 / (1 + s_H^2 + s_E^2)``.

    The mean of ``m`` raters has reliability ``m rho / (1 + (m - 1) rho)`` with raters drawn at
    random (Spearman-Brown) and ``1 / (1 + (s_H^2 + s_E^2) / m)`` with a fixed panel.

    Parameters
    ----------
    reliability
        ``rho`` in (0, 1]; default .44, separate interviews (Huffcutt et al. 2013).
    leniency_share, halo_share
        Shares of the non-true variance ``(1 - rho) / rho`` that are leniency and halo, each in
        [0, 1], summing to <= 1; defaults .330 each, so that at reliability .44 rater bias is
        37% of a rating's variance (Hoyt & Kerns 1999; see :data:`DEFAULT_LENIENCY_SHARE`).
        ``None`` means the default.
    raters
        ``m``, for the reliabilities of a mean rating.
    leniency_sd, halo
        Alternatively the SDs ``s_L`` and ``s_H`` themselves, in true-standing SD units (the names
        of issue 4): ``s_L^2 + s_H^2`` must not exceed ``(1 - rho) / rho``, and the error takes the
        rest. Give a share or an SD for each, not both. At the defaults ``s_L = s_H = .648``.

    Returns
    -------
    pandas.Series
        ``true``, ``leniency``, ``halo``, ``error``, ``total`` (variances), ``total_sd``,
        ``reliability``, ``reliability_within_rater``, ``reliability_mean_random_raters``,
        ``reliability_mean_panel``.

    Raises
    ------
    SmmrubricError
        ``reliability`` outside (0, 1], a share outside [0, 1], shares summing to more than 1,
        ``raters < 1``.
    """
    rho, var_l, var_h, var_e = components(reliability, leniency_share, halo_share, leniency_sd, halo)
    m = check_int(raters, "raters", low=1)
    return pd.Series(
        {
            "true": 1.0,
            "leniency": var_l,
            "halo": var_h,
            "error": var_e,
            "total": 1.0 / rho,
            "total_sd": float(np.sqrt(1.0 / rho)),
            "reliability": rho,
            "reliability_within_rater": 1.0 / (1.0 + var_h + var_e),
            "reliability_mean_random_raters": m * rho / (1.0 + (m - 1) * rho),
            "reliability_mean_panel": 1.0 / (1.0 + (var_h + var_e) / m),
        },
        name="value",
    )


def _distinct_draws(rng: np.random.Generator, n: int, m: int, pool: int) -> np.ndarray:
    """``n`` rows of ``m`` distinct integers drawn uniformly from ``0 .. pool - 1``, each row sorted.

    Sequential sampling without replacement: the ``r``-th draw is uniform on the ``pool - r``
    values not yet chosen, found by stepping a uniform draw on ``0 .. pool - r - 1`` past the
    already chosen values in ascending order. O(n m^2), independent of the pool size.
    """
    chosen = np.empty((n, 0), dtype=np.int64)
    for r in range(m):
        x = rng.integers(0, pool - r, size=n)
        for column in chosen.T:  # chosen is kept sorted row-wise, so columns ascend
            x = x + (x >= column)
        chosen = np.sort(np.column_stack([chosen, x]), axis=1)
    return chosen


def default_thresholds(levels: int) -> np.ndarray:
    """Default cut points for a rating scale of ``levels`` levels, in SD units of a rating.

    Equally spaced, centred on 0, ``d = min(1, 6 / levels)`` apart:
    ``t_l = (l - levels / 2) * d`` for ``l = 1 .. levels - 1``. For a 1-5 scale that is -1.5, -0.5,
    0.5, 1.5, so a standard normal rating falls in the five levels with probabilities .0668, .2417,
    .3829, .2417, .0668; for longer scales the spacing shrinks so the outer cut points stay within
    3 SD.

    Parameters
    ----------
    levels
        Number of levels of the scale, >= 1.

    Returns
    -------
    numpy.ndarray
        ``levels - 1`` increasing cut points.

    Raises
    ------
    SmmrubricError
        ``levels`` not an integer >= 1.
    """
    levels = check_int(levels, "levels", low=1)
    d = min(1.0, 6.0 / levels)
    return (np.arange(1, levels) - levels / 2) * d


def check_thresholds(thresholds: Any, n_levels: int) -> np.ndarray:
    if thresholds is None:
        return default_thresholds(n_levels)
    try:
        t = np.asarray(thresholds, dtype=float)
    except (TypeError, ValueError):
        raise SmmrubricError(f"must be numbers, got {thresholds!r}", field="thresholds") from None
    if t.ndim != 1 or t.size != n_levels - 1:
        raise SmmrubricError(
            f"needs {n_levels - 1} cut points for a scale of {n_levels} levels, got "
            f"{t.size if t.ndim == 1 else t.shape}",
            field="thresholds",
        )
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise SmmrubricError(f"must be finite and strictly increasing, got {t.tolist()}", field="thresholds")
    return t


def ratings(
    true_scores: pd.DataFrame,
    rubric_or_competencies: Any,
    *,
    seed: int | np.random.Generator,
    raters: int = 3,
    reliability: float = DEFAULT_RELIABILITY,
    leniency_share: float | None = None,
    halo_share: float | None = None,
    rater_pool: int | None = None,
    thresholds: Any = None,
    continuous: bool = False,
    leniency_sd: float | None = None,
    halo: float | None = None,
) -> pd.DataFrame:
    """Simulate interviewers rating every candidate on every competency of the rubric.

    The continuous rating of candidate ``i`` on competency ``j`` by rater ``r`` is

    ``X_ijr = z_ij + L_r + H_ir + E_ijr``

    with leniency ``L_r`` ~ N(0, s_L^2) per rater, halo ``H_ir`` ~ N(0, s_H^2) per rater and
    candidate (shared across the competencies), and error ``E_ijr`` ~ N(0, s_E^2), the variances set
    by :func:`rating_variance` so that one rating by a randomly drawn rater has reliability
    ``reliability`` (``Var(X) = 1 / rho`` when ``Var(z) = 1``).

    It is discretised on the rubric's scale by cutting the standardised rating ``X * sqrt(rho)`` -
    ``X`` divided by its population SD ``sqrt(1 / rho)`` in the reference population of true
    standings (mean 0, SD 1), *not* the SD of the pool at hand, so that a pool that has grown
    (:func:`develop`) is rated higher on the same anchors - at ``thresholds``: below the first cut
    point gives the lowest level, above the last the highest.

    Parameters
    ----------
    true_scores
        Candidates x competencies (from :func:`candidates` or :func:`develop`), in SD units of the
        reference population; columns not in the rubric are ignored.
    rubric_or_competencies
        A Rubric (its competencies and rating scale) or a Series/table of categories (scale 1-5).
    seed
        An int or a numpy Generator.
    raters
        Raters per candidate, >= 1; default 3 (a three-person panel).
    reliability, leniency_share, halo_share
        See :func:`rating_variance`; defaults .44 (Huffcutt et al. 2013) and .330 / .330 (Hoyt &
        Kerns 1999); ``None`` means the default.
    rater_pool
        ``None`` (default): the same ``raters`` raters (``R01``, ``R02``, ...) rate every candidate, as
        a hiring panel does, so leniency shifts every candidate alike. An integer ``>= raters``: each
        candidate gets ``raters`` different raters drawn at random from a pool of that size (at most
        :data:`MAX_RATER_POOL`), so leniency differs between candidates (the design in which
        ``reliability`` is the realised reliability).
    thresholds
        ``levels - 1`` increasing cut points in SD units of the rating; default
        :func:`default_thresholds` (-1.5, -0.5, 0.5, 1.5 for a 1-5 scale).
    continuous
        Return the continuous rating ``X`` (float, true-standing units) instead of the scale level.
    leniency_sd, halo
        The SDs of leniency and halo instead of their shares (see :func:`rating_variance`).

    Returns
    -------
    pandas.DataFrame
        Long table ``candidate_id, rater_id, competency_id, score``, one row per candidate, rater
        and competency (candidates in pool order, raters by id, competencies in rubric order);
        ``score`` an integer scale level (or a float if ``continuous``).

    Raises
    ------
    SmmrubricError
        Bad true scores, parameters out of range, a rater pool smaller than ``raters``, cut points
        of the wrong number or not increasing, a bad seed.
    """
    spec = spec_of(rubric_or_competencies, "rubric_or_competencies")
    true = true_matrix(true_scores, spec)
    m = check_int(raters, "raters", low=1)
    rho, var_l, var_h, var_e = components(reliability, leniency_share, halo_share, leniency_sd, halo)
    pool = m if rater_pool is None else check_int(rater_pool, "rater_pool", low=m, high=MAX_RATER_POOL)
    if not isinstance(continuous, bool):
        raise SmmrubricError(f"must be True or False, got {continuous!r}", field="continuous")
    cuts = None if continuous else check_thresholds(thresholds, spec.levels.size)
    rng = as_rng(seed)
    n, k = true.shape
    if rater_pool is None:
        assigned = np.broadcast_to(np.arange(m), (n, m))
    else:
        assigned = _distinct_draws(rng, n, m, pool)
    leniency = np.sqrt(var_l) * rng.standard_normal(pool)  # (the same draws whichever raters are used)
    halos = np.sqrt(var_h) * rng.standard_normal((n, m))
    error = np.sqrt(var_e) * rng.standard_normal((n, m, k))
    x = kernels.continuous_ratings(true, leniency[assigned], halos, error)
    score = x.ravel() if cuts is None else kernels.discretise(x, rho, cuts, spec.levels).ravel()
    # Index.take builds the repeated id columns without a per-row Python string round trip
    who = pd.Index(true_scores.index.astype(str))
    # ids only for the raters used (a pool of 10^5 raters need not be spelled out for every call)
    used, slot = np.unique(assigned.ravel(), return_inverse=True)
    width = max(2, len(str(pool)))
    rater_ids = pd.Index([f"R{i + 1:0{width}d}" for i in used])
    return pd.DataFrame(
        {
            "candidate_id": who.take(np.repeat(np.arange(n), m * k)),
            "rater_id": rater_ids.take(np.repeat(slot, k)),
            "competency_id": pd.Index(spec.ids).take(np.tile(np.arange(k), n * m)),
            "score": score,
        },
        copy=False,
    )


def rating_distribution(
    ratings_table: pd.DataFrame,
    rubric_or_competencies: Any,
    *,
    thresholds: Any = None,
) -> pd.DataFrame:
    """Share of ratings at each level of the scale, against the share the model expects.

    Under the model the standardised rating ``X * sqrt(rho)`` is N(0, 1) when the true standings
    are (a pool from :func:`candidates`), whatever the reliability, so the expected share of level
    ``l`` is ``Phi(t_l) - Phi(t_{l-1})`` (``t_0 = -inf``, ``t_L = inf``). With a fixed panel
    (``rater_pool=None``) the few raters' leniencies shift the realised shares away from it.

    Parameters
    ----------
    ratings_table
        A long ratings table (from :func:`ratings` or ``load_ratings``) with a ``score`` column.
    rubric_or_competencies
        Gives the scale's levels (1-5 for a Series or a competency table).
    thresholds
        The cut points the ratings were made with; default :func:`default_thresholds`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``level``: ``count``, ``share``, ``expected``.

    Raises
    ------
    SmmrubricError
        No ``score`` column, a score that is not a level of the scale, bad thresholds.
    """
    spec = spec_of(rubric_or_competencies, "rubric_or_competencies")
    cuts = check_thresholds(thresholds, spec.levels.size)
    if not isinstance(ratings_table, pd.DataFrame) or "score" not in ratings_table.columns:
        raise SmmrubricError("must be a long ratings table with a 'score' column", field="ratings")
    scores = pd.to_numeric(ratings_table["score"], errors="coerce")
    off_scale = ~scores.isin(spec.levels)
    if off_scale.any():
        pos = off_scale.to_numpy().nonzero()[0][0]
        label = ratings_table.index[pos]
        raise SmmrubricError(
            f"score {ratings_table['score'].iloc[pos]!r} is not a level of the scale {spec.levels.tolist()}",
            row=label if isinstance(label, int) else str(label),
            field="score",
        )
    counts = scores.value_counts().reindex(spec.levels, fill_value=0).to_numpy()
    expected = np.diff(ndtr(np.concatenate([[-np.inf], cuts, [np.inf]])))
    return pd.DataFrame(
        {"count": counts, "share": counts / max(1, counts.sum()), "expected": expected},
        index=pd.Index(spec.levels, name="level"),
    )
