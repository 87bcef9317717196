"""Why weights often matter less than expected: correlated competencies make composites agree.

Two weighted composites ``S_w = w'x`` and ``S_v = v'x`` of the same competencies, with correlation
(or covariance) matrix ``R``, correlate

``r(S_w, S_v) = w'Rv / sqrt(w'Rw * v'Rv)``

(Wilks 1938; Ree, Carretta & Earles 1998). With ``m`` competencies that all intercorrelate ``rho``
(``R = (1 - rho) I + rho 11'``) the correlation tends to 1 as ``m`` or ``rho`` grows, whatever the
weights -- Wilks's theorem: "it don't make no nevermind". How much of a top-p shortlist two composites
share under a bivariate normal model is :func:`smmrubric.selection.top_overlap` (a correlation of .95
keeps .779 of the top 10%).

:func:`composite_correlation_curve` gives the analytic curve over ``rho``;
:func:`simulated_composite_correlations` draws pools with :func:`smmrubric.simulate.candidates` at
several mean intercorrelations and sets the observed composite correlations beside the analytic ones;
:func:`weight_draw_totals` and :func:`rater_noise_totals` produce the alternative rankings (random
weights; re-rated pools at a given rating reliability) whose top-k overlap with a reference
(:func:`smmrubric.sensitivity.top_k_overlaps`) tells whether weights or rater noise matter more.

References
----------
Wilks, S. S. (1938). Weighting systems for linear functions of correlated variables when there is no
dependent variable. *Psychometrika*, 3(1), 23-40.
Ree, M. J., Carretta, T. R., & Earles, J. A. (1998). In top-down decisions, weighting variables does
not matter: a consequence of Wilks' theorem. *Organizational Research Methods*, 1(4), 407-420.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import simulate
from ..errors import SmmrubricError
from ..ratings import aggregate_ratings
from ..rubric import check_rubric
from ..validation import as_rng, check_int, check_number, check_weights
from ._inputs import score_and_weights
from .samplers import WeightSampler

if TYPE_CHECKING:
    from ..rubric import Rubric

__all__ = [
    "composite_correlation",
    "composite_correlation_curve",
    "composite_curves",
    "equicorrelation",
    "rater_noise_totals",
    "simulated_composite_correlations",
    "weight_draw_totals",
]


def _matrix(r: Any) -> tuple[np.ndarray, list[str] | None]:
    labels = None
    if isinstance(r, pd.DataFrame):
        labels = [str(c) for c in r.columns]
        if [str(i) for i in r.index] != labels:
            raise SmmrubricError("rows and columns must name the same competencies in the same order", field="R")
    try:
        mat = np.asarray(r, dtype=float)
    except (TypeError, ValueError):
        raise SmmrubricError("must be a numeric matrix", field="R") from None
    if mat.ndim != 2 or mat.shape[0] != mat.shape[1] or mat.shape[0] == 0:
        raise SmmrubricError(f"must be a square matrix, got shape {mat.shape}", field="R")
    if not np.isfinite(mat).all():
        raise SmmrubricError("must be finite", field="R")
    if not np.allclose(mat, mat.T, atol=1e-10):
        raise SmmrubricError("must be symmetric", field="R")
    if np.linalg.eigvalsh(mat)[0] < -1e-10:
        raise SmmrubricError("must be positive semi-definite (a correlation or covariance matrix)", field="R")
    return mat, labels


def _vector(w: Any, labels: list[str] | None, m: int, field: str) -> np.ndarray:
    if hasattr(w, "weights") and isinstance(w.weights, pd.Series):  # a Rubric: what it leaves out weighs 0
        w = w.weights if labels is None else w.weights.rename(index=str).reindex(labels, fill_value=0.0)
    if isinstance(w, pd.Series) and labels is not None:
        missing = [c for c in labels if c not in set(map(str, w.index))]
        if missing:
            raise SmmrubricError("no weight for this competency", row=missing[0], field=field)
        w = w.rename(index=str)[labels]
    v = np.asarray(check_weights(w, field), dtype=float)
    if v.size != m:
        raise SmmrubricError(f"must have {m} weights (one per row of R), got {v.size}", field=field)
    return v


def composite_correlation(w: Any, v: Any, R: Any) -> float:
    """Correlation of two weighted composites, ``w'Rv / sqrt(w'Rw v'Rv)`` (Wilks 1938).

    Parameters
    ----------
    w, v
        Non-negative weights (Series labelled like ``R``, or arrays in ``R``'s order).
    R
        Correlation (or covariance) matrix of the competencies: symmetric, positive semi-definite.

    Examples
    --------
    >>> round(composite_correlation([1, 0], [0, 1], [[1, .5], [.5, 1]]), 3)
    0.5
    >>> round(composite_correlation([.7, .3], [.3, .7], equicorrelation(2, .5)), 4)  # .71 / .79
    0.8987
    """
    mat, labels = _matrix(R)
    a = _vector(w, labels, len(mat), "w")
    b = _vector(v, labels, len(mat), "v")
    ww, vv = a @ mat @ a, b @ mat @ b
    if ww <= 0 or vv <= 0:
        raise SmmrubricError("a composite has zero variance under R", field="R")
    return float(a @ mat @ b / np.sqrt(ww * vv))


def equicorrelation(m: int, rho: float) -> np.ndarray:
    """``R = (1 - rho) I + rho 11'``: ``m`` competencies that all intercorrelate ``rho``.

    ``rho`` must be in ``[-1/(m-1), 1]`` for ``R`` to be a correlation matrix.
    """
    m = check_int(m, "m", low=1)
    rho = check_number(rho, "rho", low=-1.0 / (m - 1) if m > 1 else -1.0, high=1.0)
    return (1 - rho) * np.eye(m) + rho * np.ones((m, m))


def composite_correlation_curve(w: Any, v: Any, rhos: Sequence[float] | np.ndarray) -> pd.Series:
    """:func:`composite_correlation` of ``w`` and ``v`` under :func:`equicorrelation` for each ``rho``.

    Returns a Series indexed by ``rho`` (named ``mean_intercorrelation``).
    """
    a = np.asarray(check_weights(w, "w"), dtype=float)
    b = np.asarray(check_weights(v, "v"), dtype=float)
    if a.size != b.size:
        raise SmmrubricError(f"w has {a.size} weights and v {b.size}", field="v")
    try:
        grid = np.asarray(rhos, dtype=float)
    except (TypeError, ValueError):
        raise SmmrubricError(f"must be numbers, got {rhos!r}", field="rhos") from None
    if grid.ndim != 1 or grid.size == 0:
        raise SmmrubricError(f"must be a non-empty list of correlations, got {rhos!r}", field="rhos")
    values = [composite_correlation(a, b, equicorrelation(a.size, r)) for r in grid]
    return pd.Series(values, index=pd.Index(grid, name="mean_intercorrelation"), name="composite_correlation")


def composite_curves(rubric: Rubric, others: Mapping[str, Any], rhos: Sequence[float] | np.ndarray) -> pd.DataFrame:
    """Composite-correlation curves of a rubric against equal weights, other weightings, and of its skills
    against its traits.

    Every weighting is put on the rubric's competencies (a competency a weighting leaves out weighs 0) and
    compared with the rubric by :func:`composite_correlation_curve`; the last column compares the rubric's
    skills part with its traits part (``rubric.with_category_share(1)`` against ``with_category_share(0)``).

    Parameters
    ----------
    rubric
        The reference Rubric.
    others
        ``{label: Rubric or weight Series}``.
    rhos
        Mean intercorrelations.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``mean_intercorrelation``: ``"equal weights"``, one column per weighting (its label: the
        rubric against it), then ``"skills only vs traits only"`` (when the rubric weighs both categories).
    """
    check_rubric(rubric)
    ids = rubric.competency_ids
    if not isinstance(others, Mapping):
        raise SmmrubricError("must map a label to a Rubric or a weight Series", field="others")
    columns = {"equal weights": composite_correlation_curve(rubric.weights, pd.Series(1.0, index=ids), rhos)}
    for label, other in others.items():
        w = other.weights if hasattr(other, "weights") and isinstance(other.weights, pd.Series) else other
        if not isinstance(w, pd.Series):
            raise SmmrubricError(
                f"must be a Rubric or a weight Series, got {type(w).__name__}", row=str(label), field="others"
            )
        columns[str(label)] = composite_correlation_curve(
            rubric.weights, w.rename(index=str).reindex(ids, fill_value=0.0), rhos
        )
    if (rubric.category_weights > 0).all():  # a rubric of one category has no skills part to set against traits
        columns["skills only vs traits only"] = composite_correlation_curve(
            rubric.with_category_share(1.0).weights, rubric.with_category_share(0.0).weights, rhos
        )
    return pd.DataFrame(columns)


def simulated_composite_correlations(
    rubric: Rubric,
    w: Any,
    v: Any,
    mean_intercorrelations: Sequence[float],
    *,
    n: int = 200,
    replications: int = 20,
    seed: int | np.random.Generator,
) -> pd.DataFrame:
    """Observed correlation of two composites in simulated pools, beside the analytic value.

    For each target mean intercorrelation ``r`` and replication: ``n`` candidates are drawn with
    :func:`smmrubric.simulate.candidates` (``mean_intercorrelation=r``, other defaults), and the
    sample correlation of ``X w`` and ``X v`` is computed along with the pool's realised mean
    intercorrelation (mean off-diagonal sample correlation). ``analytic`` is
    :func:`composite_correlation` under the model's population matrix
    (:func:`smmrubric.simulate.implied_correlation`).

    Returns
    -------
    DataFrame
        One row per (target, replication): ``target, replication, realised_mean_intercorrelation,
        observed, analytic``.
    """
    n = check_int(n, "n", low=3)
    replications = check_int(replications, "replications", low=1)
    rng = as_rng(seed)
    rows = []
    for r in mean_intercorrelations:
        r = check_number(r, "mean_intercorrelations", low=0.0, high=1.0)
        pop = simulate.implied_correlation(rubric, mean_intercorrelation=r)
        analytic = composite_correlation(w, v, pop)
        ids = list(pop.columns)
        a = _vector(w, ids, len(ids), "w")
        b = _vector(v, ids, len(ids), "v")
        for rep in range(replications):
            x = simulate.candidates(rubric, n, seed=rng, mean_intercorrelation=r)[ids].to_numpy()
            c = np.corrcoef(x, rowvar=False)
            realised = c[~np.eye(len(ids), dtype=bool)].mean()
            observed = np.corrcoef(x @ a, x @ b)[0, 1]
            rows.append((r, rep, realised, observed, analytic))
    return pd.DataFrame(
        rows, columns=["target", "replication", "realised_mean_intercorrelation", "observed", "analytic"]
    )


def weight_draw_totals(
    scores: pd.DataFrame, sampler: WeightSampler, n: int, *, seed: int | np.random.Generator
) -> pd.DataFrame:
    """Totals ``X w_d`` for ``n`` weight draws: candidates x draws (columns ``0..n-1``)."""
    if not isinstance(sampler, WeightSampler):
        raise SmmrubricError(f"must be a weight sampler, got {type(sampler).__name__}", field="sampler")
    ones = pd.Series(1.0, index=sampler.competency_ids)
    frame, _ = score_and_weights(scores, ones, field="sampler")
    w = sampler.sample(check_int(n, "n", low=1), seed)
    return pd.DataFrame(
        frame[sampler.competency_ids].to_numpy() @ w.T,
        index=frame.index,
        columns=pd.RangeIndex(w.shape[0], name="draw"),
    )


def rater_noise_totals(
    true_scores: pd.DataFrame,
    rubric: Rubric,
    *,
    reliability: float,
    replications: int,
    raters: int = 3,
    seed: int | np.random.Generator,
) -> pd.DataFrame:
    """Rubric totals of the same candidates re-rated ``replications`` times at a given reliability.

    Each replication simulates a fresh panel (:func:`smmrubric.simulate.ratings` with ``raters``
    raters and single-rating ``reliability``), averages it (:func:`smmrubric.ratings.aggregate_ratings`)
    and scores it with the rubric's weights. Returns candidates x replications.
    """
    check_rubric(rubric)
    replications = check_int(replications, "replications", low=1)
    rng = as_rng(seed)
    w = rubric.weights
    out = {}
    for rep in range(replications):
        long = simulate.ratings(true_scores, rubric, seed=rng, raters=raters, reliability=reliability)
        mean = aggregate_ratings(long, rubric).mean
        out[rep] = mean[list(w.index)].to_numpy() @ w.to_numpy()
    return pd.DataFrame(out, index=mean.index, columns=pd.RangeIndex(replications, name="replication"))
