"""Random rubric weights (and random scores) for the Monte Carlo sensitivity analyses.

A weight sampler draws weight vectors ``w`` on the unit simplex ``{w : w_j >= 0, sum_j w_j = 1}``,
as an ``(n, m)`` array whose columns follow :attr:`WeightSampler.competency_ids`. Three distributions:

* :func:`uniform_weights` -- uniform on the simplex, i.e. Dirichlet(1, ..., 1): the SMAA model of
  "no weight information at all" (Lahdelma, Hokkanen & Salminen 1998). Drawn as normalised standard
  exponentials ``E_j / sum_k E_k``, which *is* Dirichlet(1) (a Gamma(1) variable is exponential);
  normalised uniforms ``U_j / sum_k U_k`` are **not** uniform on the simplex and are never used.
* :func:`local_weights` -- Dirichlet(``c * w0``), centred on a base rubric's weights ``w0``
  (``E[w] = w0``, ``Var[w_j] = w0_j (1 - w0_j) / (c + 1)``); the concentration ``c`` sets how far
  researchers' weights stray from the rubric.
* :func:`ordinal_weights` -- only the *order* of importance is known: ``w_(1) >= w_(2) >= ... >=
  w_(m)``. Sorting a Dirichlet(1) draw in decreasing order gives the uniform distribution on that
  ordered region (the m! orderings cut the simplex into congruent regions, and sorting folds them onto
  one; Butler, Jia & Dyer 1997; Lahdelma, Miettinen & Salminen 2003). The region is itself a simplex with
  vertices ``(1, 0, ..., 0), (1/2, 1/2, 0, ...), ..., (1/m, ..., 1/m)``, so its mean is the average of
  the vertices: the rank-order-centroid (ROC) weights ``w_i = (1/m) sum_{k=i}^m 1/k``
  (Barron & Barrett 1996), see :func:`smmrubric.rubric.roc_weights`.

Each sampler accepts optional per-weight ``bounds`` ``{competency_id: (low, high)}``. Lower bounds of
the uniform sampler are exact (``w = l + (1 - sum l) * Dirichlet(1)`` is uniform on ``{w >= l}``, an
affine copy of the simplex); every other bound is enforced by rejection: draws outside the box are
discarded, which leaves the distribution *conditioned on the box* (uniform stays uniform on the
truncated region). If fewer than 1 draw in 1,000 is accepted the sampler raises instead of looping.

Score samplers (:func:`normal_score_noise`, :func:`rater_bootstrap`) draw whole candidate x competency
score matrices, so that :func:`smmrubric.sensitivity.smaa` covers rating uncertainty as well.

References
----------
Barron, F. H., & Barrett, B. E. (1996). Decision quality using ranked attribute weights. *Management
Science*, 42(11), 1515-1523.
Butler, J., Jia, J., & Dyer, J. (1997). Simulation techniques for the sensitivity analysis of
multi-criteria decision models. *European Journal of Operational Research*, 103(3), 531-546.
Lahdelma, R., Hokkanen, J., & Salminen, P. (1998). SMAA -- Stochastic multiobjective acceptability
analysis. *European Journal of Operational Research*, 106(1), 137-143.
Lahdelma, R., Miettinen, K., & Salminen, P. (2003). Ordinal criteria in stochastic multicriteria
acceptability analysis (SMAA). *European Journal of Operational Research*, 147(1), 117-127.
Efron, B. (1979). Bootstrap methods: another look at the jackknife. *Annals of Statistics*, 7(1), 1-26.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..rubric import roc_weights
from ..validation import as_rng, check_int, check_number, check_score_matrix, check_unique, check_weights

__all__ = [
    "ScoreSampler",
    "WeightSampler",
    "balanced_weights",
    "local_weights",
    "normal_score_noise",
    "ordinal_weights",
    "rater_bootstrap",
    "uniform_weights",
]

#: Rejection sampling gives up when fewer than this share of draws falls inside the bounds.
MIN_ACCEPTANCE = 1e-3
#: Resampled ratings built at a time by :func:`rater_bootstrap` (8 MB per work array).
BOOTSTRAP_BLOCK_ELEMENTS = 1 << 20


def _ids(ids: Any, field: str) -> list[str]:
    if isinstance(ids, str) or not isinstance(ids, Sequence | pd.Index | np.ndarray):
        raise SmmrubricError(f"must be a sequence of competency ids, got {ids!r}", field=field)
    out = [str(i) for i in ids]
    if not out:
        raise SmmrubricError("must name at least one competency", field=field)
    check_unique(out, field)
    return out


def _bounds(bounds: Mapping[str, Any] | None, ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    low, high = np.zeros(len(ids)), np.ones(len(ids))
    if bounds is None:
        return low, high
    if not isinstance(bounds, Mapping):
        raise SmmrubricError(f"must map competency_id -> (low, high), got {type(bounds).__name__}", field="bounds")
    position = {c: j for j, c in enumerate(ids)}
    for cid, pair in bounds.items():
        if cid not in position:
            raise SmmrubricError("unknown competency", row=str(cid), field="bounds")
        if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
            raise SmmrubricError(f"must be a (low, high) pair, got {pair!r}", row=str(cid), field="bounds")
        lo = check_number(pair[0], "bounds", low=0.0, high=1.0)
        hi = check_number(pair[1], "bounds", low=0.0, high=1.0)
        if lo > hi:
            raise SmmrubricError(f"low {lo} is above high {hi}", row=str(cid), field="bounds")
        low[position[cid]], high[position[cid]] = lo, hi
    if low.sum() > 1 + 1e-12:
        raise SmmrubricError(f"lower bounds sum to {low.sum():.6g} > 1: no weights satisfy them", field="bounds")
    if high.sum() < 1 - 1e-12:
        raise SmmrubricError(f"upper bounds sum to {high.sum():.6g} < 1: no weights satisfy them", field="bounds")
    return low, high


class WeightSampler:
    """Draws random weight vectors on the simplex (base class; build one with the functions below).

    Attributes
    ----------
    competency_ids : list of str
        Column order of every draw.
    kind : str
        ``"uniform"``, ``"local"`` or ``"ordinal"``.
    lower, upper : numpy.ndarray
        Per-weight bounds (0 and 1 when unbounded).
    """

    kind = "base"

    def __init__(
        self, competency_ids: Sequence[str], bounds: Mapping[str, Any] | None = None, *, field: str = "competency_ids"
    ) -> None:
        self.competency_ids = _ids(competency_ids, field)
        self.lower, self.upper = _bounds(bounds, self.competency_ids)

    @property
    def m(self) -> int:
        """Number of competencies (weights per draw)."""
        return len(self.competency_ids)

    @property
    def active(self) -> np.ndarray:
        """Boolean mask of the competencies whose weight can be positive (upper bound > 0)."""
        return self.upper > 0

    @property
    def bounded(self) -> bool:
        """True if any bound is tighter than [0, 1]."""
        return bool((self.lower > 0).any() or (self.upper < 1).any())

    def _raw(self, n: int, rng: np.random.Generator) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _inside(self, w: np.ndarray) -> np.ndarray:
        return np.asarray(((w >= self.lower) & (w <= self.upper)).all(axis=1))

    def sample(self, n: int, seed: int | np.random.Generator) -> np.ndarray:
        """Draw ``n`` weight vectors: an ``(n, m)`` float array whose rows sum to 1.

        Parameters
        ----------
        n
            Number of draws (>= 1).
        seed
            Integer seed or :class:`numpy.random.Generator`.
        """
        n = check_int(n, "n", low=1)
        rng = as_rng(seed)
        if not self.bounded:
            return self._raw(n, rng)
        out = np.empty((n, self.m))
        filled, drawn = 0, 0
        batch = max(n, 1000)
        while filled < n:
            w = self._raw(batch, rng)
            keep = w[self._inside(w)]
            drawn += batch
            take = min(len(keep), n - filled)
            out[filled : filled + take] = keep[:take]
            filled += take
            if filled < n and drawn >= 10_000 and filled / drawn < MIN_ACCEPTANCE:
                raise SmmrubricError(
                    f"the bounds accept only {filled}/{drawn} draws of the {self.kind} sampler; widen them",
                    field="bounds",
                )
            batch = min(max(batch, int(1.2 * (n - filled) * drawn / max(filled, 1))), 10 * max(n, 1000))
        return out

    def chunks(self, n: int, seed: int | np.random.Generator, chunk_size: int) -> Iterator[np.ndarray]:
        """Yield ``n`` draws in ``(<= chunk_size, m)`` arrays, from one generator seeded by ``seed``."""
        n = check_int(n, "n", low=1)
        chunk_size = check_int(chunk_size, "chunk_size", low=1)
        rng = as_rng(seed)
        for start in range(0, n, chunk_size):
            yield self.sample(min(chunk_size, n - start), rng)

    def draw(self, n: int, seed: int | np.random.Generator) -> pd.DataFrame:
        """:meth:`sample` as a DataFrame (one row per draw, columns ``competency_id``)."""
        return pd.DataFrame(self.sample(n, seed), columns=pd.Index(self.competency_ids, name="competency_id"))

    @property
    def mean(self) -> pd.Series:
        """Expected weights of the *unbounded* distribution (Series indexed by ``competency_id``)."""
        raise NotImplementedError  # pragma: no cover

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r}, m={self.m}, bounded={self.bounded})"


class _Uniform(WeightSampler):
    kind = "uniform"

    def __init__(self, competency_ids: Sequence[str], bounds: Mapping[str, Any] | None) -> None:
        super().__init__(competency_ids, bounds)
        self._slack = 1.0 - self.lower.sum()

    def _raw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        e = rng.standard_exponential((n, self.m))
        e /= e.sum(axis=1, keepdims=True)
        if self.lower.any():
            e *= self._slack
            e += self.lower
        return e

    @property
    def bounded(self) -> bool:
        # lower bounds are exact (affine map); only upper bounds need rejection
        return bool((self.upper < 1).any())

    @property
    def mean(self) -> pd.Series:
        return pd.Series(self.lower + self._slack / self.m, index=self.competency_ids, name="weight")


class _Local(WeightSampler):
    kind = "local"

    def __init__(self, base: pd.Series, concentration: float, bounds: Mapping[str, Any] | None) -> None:
        super().__init__(list(base.index), bounds)
        w0 = base.to_numpy(dtype=float)
        self.base = pd.Series(w0 / w0.sum(), index=self.competency_ids, name="weight")
        self.concentration = concentration
        self._alpha = concentration * self.base.to_numpy()
        self._pos = self._alpha > 0
        # a zero base weight stays zero: Dirichlet(0) is a point mass at 0
        self.upper = np.where(self._pos, self.upper, 0.0)
        if self.lower[~self._pos].any():
            raise SmmrubricError(
                "a competency with base weight 0 cannot have a positive lower bound",
                row=self.competency_ids[int(np.flatnonzero(~self._pos & (self.lower > 0))[0])],
                field="bounds",
            )
        if self.upper.sum() < 1 - 1e-12:
            raise SmmrubricError(
                f"upper bounds of the competencies with a positive base weight sum to "
                f"{self.upper.sum():.6g} < 1: no weights satisfy them",
                field="bounds",
            )

    def _raw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        out = np.zeros((n, self.m))
        out[:, self._pos] = rng.dirichlet(self._alpha[self._pos], size=n)
        return out

    @property
    def bounded(self) -> bool:
        return bool((self.lower > 0).any() or (self.upper[self._pos] < 1).any())

    @property
    def mean(self) -> pd.Series:
        return self.base.copy()


class _Ordinal(WeightSampler):
    kind = "ordinal"

    def _raw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        e = rng.standard_exponential((n, self.m))
        e /= e.sum(axis=1, keepdims=True)
        e.sort(axis=1)
        return e[:, ::-1].copy()  # column 0 = most important = largest

    @property
    def mean(self) -> pd.Series:
        return pd.Series(roc_weights(self.m), index=pd.Index(self.competency_ids, name="competency_id"), name="weight")


def uniform_weights(competency_ids: Sequence[str], *, bounds: Mapping[str, Any] | None = None) -> WeightSampler:
    """Weights uniform on the simplex, Dirichlet(1, ..., 1): no information about any single weight.

    Not neutral about aggregates: the total weight of a group of ``g`` of the ``m`` competencies is
    Beta(g, m - g), so with 18 skills and 12 traits the skill share is .60 +- .09; see
    :func:`balanced_weights` for a uniform skill share.

    Parameters
    ----------
    competency_ids
        The competencies, in the column order of the draws.
    bounds
        Optional ``{competency_id: (low, high)}``. Lower bounds are exact (uniform on
        ``{w >= low}``: ``w = low + (1 - sum low) * Dirichlet(1)``); upper bounds by rejection.

    Examples
    --------
    >>> s = uniform_weights(["a", "b", "c"])
    >>> s.sample(2, seed=1).sum(axis=1).round(12).tolist()
    [1.0, 1.0]
    """
    return _Uniform(competency_ids, bounds)


def local_weights(
    base: pd.Series | Any, concentration: float, *, bounds: Mapping[str, Any] | None = None
) -> WeightSampler:
    """Weights scattered around a rubric's: Dirichlet(``concentration * base``).

    ``E[w_j] = base_j`` and ``Var[w_j] = base_j (1 - base_j) / (concentration + 1)``, so
    ``concentration`` is a prior sample size: 10 is a loose perturbation, 1000 a tight one.
    A competency with base weight 0 keeps weight 0.

    Parameters
    ----------
    base
        Base weights: a Series indexed by ``competency_id`` (e.g. ``rubric.weights``) or a Rubric
        (its ``weights`` are used); normalised to sum 1.
    concentration
        Dirichlet precision ``c > 0``.
    bounds
        Optional ``{competency_id: (low, high)}``, enforced by rejection.
    """
    if hasattr(base, "weights") and isinstance(base.weights, pd.Series):
        base = base.weights
    if not isinstance(base, pd.Series):
        raise SmmrubricError(
            f"must be a Series of weights indexed by competency_id, got {type(base).__name__}", field="base"
        )
    base = check_weights(base, "base")
    c = check_number(concentration, "concentration", low=0.0, low_open=True)
    return _Local(base, c, bounds)


def ordinal_weights(order: Sequence[str], *, bounds: Mapping[str, Any] | None = None) -> WeightSampler:
    """Weights that respect an importance order ``w_order[0] >= w_order[1] >= ...``, uniformly.

    A Dirichlet(1) draw sorted in decreasing order (uniform on the ordered region; Butler, Jia & Dyer
    1997). The mean is the rank-order-centroid vector (:func:`smmrubric.rubric.roc_weights`).

    Parameters
    ----------
    order
        Competency ids from most to least important (these are also the draw's columns).
    bounds
        Optional ``{competency_id: (low, high)}``, enforced by rejection.
    """
    return _Ordinal(order, bounds, field="order")


class _Balanced(WeightSampler):
    kind = "balanced"

    def __init__(self, categories: pd.Series, bounds: Mapping[str, Any] | None) -> None:
        super().__init__(list(categories.index), bounds, field="categories")
        self.is_skill = categories.to_numpy() == "skill"

    def _raw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        share = rng.random(n)
        e = rng.standard_exponential((n, self.m))
        if self.is_skill.all() or not self.is_skill.any():  # one category: its share is 1, Dirichlet(1) within
            return e / e.sum(axis=1, keepdims=True)
        skills = e * self.is_skill
        traits = e - skills
        skills /= skills.sum(axis=1, keepdims=True)
        traits /= traits.sum(axis=1, keepdims=True)
        return share[:, None] * skills + (1.0 - share[:, None]) * traits

    @property
    def mean(self) -> pd.Series:
        n_skill = int(self.is_skill.sum())
        if n_skill in (0, self.m):
            return pd.Series(np.full(self.m, 1.0 / self.m), index=self.competency_ids, name="weight")
        w = np.where(self.is_skill, 0.5 / n_skill, 0.5 / (self.m - n_skill))
        return pd.Series(w, index=self.competency_ids, name="weight")


def balanced_weights(categories: pd.Series | Any, *, bounds: Mapping[str, Any] | None = None) -> WeightSampler:
    """Weights with a uniform skill share, then uniform within each category.

    Why: :func:`uniform_weights`, Dirichlet(1, ..., 1) over ``m_s`` skills and ``m_t`` traits, is not neutral
    about the split. By the aggregation property of the Dirichlet distribution the skills' total weight is
    ``S ~ Beta(m_s, m_t)``: for the bundled 18 skills and 12 traits mean .60 and SD
    ``sqrt(m_s m_t / (m^2 (m + 1))) = .088``, so "uniform" weights put the skill share between about .45 and
    .74 in 90% of draws - a strong prior on the very quantity notebook 03 studies, and one that moves when the
    vocabulary is cut more finely (validity review, MINOR 1). This sampler draws

    ``S ~ U(0, 1)``, then independently ``(w_j / S)`` over the skills and ``(w_j / (1 - S))`` over the traits,
    each ``~ Dirichlet(1, ..., 1)`` (drawn as normalised standard exponentials), so every split is equally
    likely and, given the split, the weights inside each category are uniform. ``E[w_j] = 1 / (2 m_s)`` for a
    skill and ``1 / (2 m_t)`` for a trait.

    Parameters
    ----------
    categories
        ``'skill'`` or ``'trait'`` by ``competency_id`` (the draws' columns, in this order), or a Rubric (its
        ``categories``). With one category only there is no split to balance: its share is 1 and the weights are
        Dirichlet(1) within it, as :func:`uniform_weights`.
    bounds
        Optional ``{competency_id: (low, high)}``, enforced by rejection.

    Examples
    --------
    >>> s = balanced_weights(pd.Series(["skill", "skill", "trait"], index=["a", "b", "c"]))
    >>> s.sample(3, seed=1).sum(axis=1).round(12).tolist()
    [1.0, 1.0, 1.0]
    """
    if hasattr(categories, "categories") and isinstance(categories.categories, pd.Series):
        categories = categories.categories
    if not isinstance(categories, pd.Series):
        raise SmmrubricError(
            f"must be a Series of 'skill' / 'trait' indexed by competency_id, got {type(categories).__name__}",
            field="categories",
        )
    bad = categories[~categories.isin(["skill", "trait"])]
    if len(bad):
        raise SmmrubricError(
            f"must be 'skill' or 'trait', got {bad.iloc[0]!r}", row=str(bad.index[0]), field="categories"
        )
    return _Balanced(categories, bounds)


# --------------------------------------------------------------------------- score samplers


class ScoreSampler:
    """Draws candidate x competency score matrices (rating uncertainty for SMAA).

    ``sample(size, rng)`` returns a ``(size, n_candidates, n_competencies)`` float array whose axes
    follow :attr:`candidate_ids` and :attr:`competency_ids`.
    """

    kind = "base"

    def __init__(self, candidate_ids: Sequence[Any], competency_ids: Sequence[str]) -> None:
        self.candidate_ids = list(candidate_ids)
        self.competency_ids = [str(c) for c in competency_ids]

    def sample(self, size: int, seed: int | np.random.Generator) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r}, candidates={len(self.candidate_ids)})"


class _Noise(ScoreSampler):
    kind = "normal"

    def __init__(self, scores: pd.DataFrame, sd: np.ndarray) -> None:
        super().__init__(scores.index, scores.columns)
        self._x = scores.to_numpy(dtype=float)
        self._sd = sd

    def sample(self, size: int, seed: int | np.random.Generator) -> np.ndarray:
        size = check_int(size, "size", low=1)
        rng = as_rng(seed)
        return self._x + rng.standard_normal((size, *self._x.shape)) * self._sd


def normal_score_noise(scores: pd.DataFrame, sd: float | pd.Series) -> ScoreSampler:
    """Scores plus independent normal error: ``x*_ij = x_ij + sd_j * Z``, ``Z ~ N(0, 1)``.

    The classical-test-theory error model: with observed-score variance ``s_j^2`` and reliability
    ``rho``, the error standard deviation is ``sd_j = s_j sqrt(1 - rho)`` (Lord & Novick 1968).

    Parameters
    ----------
    scores
        Candidates x competencies mean scores.
    sd
        One error standard deviation, or one per competency (Series indexed by ``competency_id``).
    """
    frame = check_score_matrix(scores)
    if isinstance(sd, pd.Series):
        missing = [c for c in frame.columns if c not in sd.index]
        if missing:
            raise SmmrubricError(f"no standard deviation for {missing[0]!r}", field="sd")
        sds = np.array([check_number(sd[c], "sd", low=0.0) for c in frame.columns])
    else:
        sds = np.full(frame.shape[1], check_number(sd, "sd", low=0.0))
    return _Noise(frame, sds)


class _Bootstrap(ScoreSampler):
    kind = "rater_bootstrap"

    def __init__(
        self,
        cube: np.ndarray,
        counts: np.ndarray,
        fallback: np.ndarray,
        candidate_ids: list[Any],
        competency_ids: list[str],
    ) -> None:
        super().__init__(candidate_ids, competency_ids)
        self._cube = cube  # (n, r_max, m), NaN where a rater did not rate
        self._counts = counts  # raters per candidate
        self._fallback = fallback  # full-sample means (n, m)
        #: the candidates' full-sample mean scores (the point estimate the bootstrap varies around)
        self.mean_scores = pd.DataFrame(
            fallback,
            index=pd.Index(candidate_ids, name="candidate_id"),
            columns=pd.Index(competency_ids, name="competency_id"),
        )

    def sample(self, size: int, seed: int | np.random.Generator) -> np.ndarray:
        size = check_int(size, "size", low=1)
        rng = as_rng(seed)
        n, r_max, m = self._cube.shape
        out = np.empty((size, n, m))
        # the resampled ratings take r_max times the output's memory: build them a few draws at a time
        step = max(1, BOOTSTRAP_BLOCK_ELEMENTS // (n * r_max * m))
        rows = np.arange(n)[None, :, None]
        valid = (np.arange(r_max)[None, None, :] < self._counts[None, :, None])[..., None]
        for s in range(0, size, step):
            k = min(step, size - s)
            pick = (rng.random((k, n, r_max)) * self._counts[None, :, None]).astype(np.intp)
            drawn = np.where(valid, self._cube[rows, pick], np.nan)  # (k, n, r_max, m)
            with np.errstate(invalid="ignore"):
                total = np.nansum(drawn, axis=2)
                count = np.sum(~np.isnan(drawn), axis=2)
            # a bootstrap sample with no rating of a competency falls back to the candidate's mean
            out[s : s + k] = np.where(count > 0, total / np.where(count > 0, count, 1), self._fallback[None])
        return out


def rater_bootstrap(ratings: pd.DataFrame) -> ScoreSampler:
    """Bootstrap over raters: each draw resamples every candidate's raters with replacement (Efron 1979).

    A draw's score matrix is, for each candidate, the mean over a resample (with replacement, same
    size) of the raters who rated that candidate, competency by competency. Competencies a rater left
    unrated are skipped; if a resample holds no rating of a competency, the candidate's full-sample
    mean is used.

    Parameters
    ----------
    ratings
        Long table with columns ``candidate_id, rater_id, competency_id, score`` (one row per
        rating; duplicates refused).
    """
    if not isinstance(ratings, pd.DataFrame):
        raise SmmrubricError(f"must be a DataFrame, got {type(ratings).__name__}", field="ratings")
    required = ("candidate_id", "rater_id", "competency_id", "score")
    missing = [c for c in required if c not in ratings.columns]
    if missing:
        raise SmmrubricError(f"missing column(s) {', '.join(missing)}", field="ratings")
    if ratings.empty:
        raise SmmrubricError("has no rows", field="ratings")
    score = pd.to_numeric(ratings["score"], errors="coerce")
    bad = score.isna() | ~np.isfinite(score.astype(float))
    if bad.any():
        row = ratings.index[bad.to_numpy()][0]
        raise SmmrubricError(
            f"score must be a finite number, got {ratings.loc[row, 'score']!r}",
            row=row if isinstance(row, int) else str(row),
            field="score",
        )
    frame = ratings.assign(score=score.astype(float))
    dup = frame.duplicated(["candidate_id", "rater_id", "competency_id"])
    if dup.any():
        row = frame.index[dup.to_numpy()][0]
        raise SmmrubricError(
            "duplicate rating of the same candidate, rater and competency",
            row=row if isinstance(row, int) else str(row),
            field="rater_id",
        )
    wide = frame.pivot_table(
        index=["candidate_id", "rater_id"], columns="competency_id", values="score", aggfunc="first", observed=True
    )
    cands = list(pd.unique(wide.index.get_level_values(0)))
    comps = [str(c) for c in wide.columns]
    counts = wide.groupby(level=0, sort=False).size().reindex(cands).to_numpy()
    r_max = int(counts.max())
    cube = np.full((len(cands), r_max, len(comps)), np.nan)
    slot = wide.groupby(level=0, sort=False).cumcount().to_numpy()
    cand_pos = pd.Index(cands).get_indexer(wide.index.get_level_values(0))
    cube[cand_pos, slot] = wide.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        fallback = np.nanmean(cube, axis=1)
    if np.isnan(fallback).any():
        i, j = map(int, np.argwhere(np.isnan(fallback))[0])
        raise SmmrubricError("candidate has no rating of this competency", row=str(cands[i]), field=comps[j])
    return _Bootstrap(cube, counts, fallback, cands, comps)
