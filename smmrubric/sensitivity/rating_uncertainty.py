"""How far a ranking moves with the raters: rank intervals from a bootstrap over raters, and rating noise drawn
from a G study's variance components (for :func:`smmrubric.sensitivity.smaa`).

Two views of the same question, "would other raters have ranked these candidates the same?":

* **non-parametric**, :func:`bootstrap_ranks`: the raters are resampled with replacement (Efron 1979), the
  candidates re-scored on the rubric and re-ranked in every resample, and each candidate's rank interval is read
  from the resamples' ranks. How the raters are resampled follows the design (:func:`rater_resampler`): a
  **panel** (every candidate rated by the same raters) is resampled as a whole, the same resampled raters for
  every candidate, since candidates are compared under one panel and a rater's leniency shifts them all alike
  (Brennan 2001, sec. 6.2, "boot-r"); in a **nested** design (each candidate with their own raters) each
  candidate's raters are resampled separately (:func:`~.samplers.rater_bootstrap`). With few raters the panel
  bootstrap has few distinct resamples (``C(2R - 1, R)``: 10 for 3 raters), so its intervals are coarse;
* **parametric**, :func:`g_study_noise`: normal rating error with the variances the G study estimated
  (:func:`smmrubric.reliability.g_study`), for :func:`~.smaa.smaa`'s ``score_sampler``.

Ranks are competition ranks with ties within the tolerance of :mod:`smmrubric.ranking` (``1 +`` the number of
candidates clearly ahead), and every share of resamples is an integer count with one final division, so the
results are the same on every CPU.

References
----------
Brennan, R. L. (2001). *Generalizability Theory*. New York: Springer (ch. 4: error variances of a D study;
sec. 6.2: bootstrap procedures for G studies).
Efron, B. (1979). Bootstrap methods: another look at the jackknife. *Annals of Statistics*, 7(1), 1-26.
Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. *The American Statistician*, 50(4),
361-365 (definition 1, the inverse of the empirical distribution function).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..ranking import rank_scores, sort_frame, tie_groups
from ..ratings import validate_ratings
from ..reliability import GStudy
from ..validation import as_rng, check_choice, check_int, check_probability, check_score_matrix
from ._inputs import score_and_weights
from .samplers import ScoreSampler, rater_bootstrap

__all__ = [
    "RESAMPLING",
    "RankIntervals",
    "bootstrap_ranks",
    "competition_rank_rows",
    "g_study_noise",
    "rater_resampler",
]

#: How :func:`rater_resampler` resamples raters (``auto``: ``panel`` when every candidate has the same raters).
RESAMPLING = ("auto", "panel", "candidate")
#: Sampled scores held at a time by :func:`bootstrap_ranks` (32 MB).
CHUNK_ELEMENTS = 1 << 22


# --------------------------------------------------------------------------- resampling raters


class _PanelBootstrap(ScoreSampler):
    """Resamples the panel: the same raters, drawn with replacement, for every candidate in a draw."""

    kind = "panel_bootstrap"

    def __init__(
        self,
        cube: np.ndarray,
        fallback: np.ndarray,
        candidate_ids: list[str],
        competency_ids: list[str],
        rater_ids: list[str],
    ) -> None:
        super().__init__(candidate_ids, competency_ids)
        self.rater_ids = rater_ids
        n, r, m = cube.shape
        present = ~np.isnan(cube)
        # raters first, candidates x competencies flattened: a draw's sums are one product with the multiplicities
        self._filled = np.where(present, cube, 0.0).transpose(1, 0, 2).reshape(r, n * m)
        self._present = present.transpose(1, 0, 2).reshape(r, n * m).astype(float)
        self._fallback = fallback  # (n, m) full-sample means
        #: the candidates' full-sample mean scores (the point estimate the bootstrap varies around)
        self.mean_scores = pd.DataFrame(
            fallback,
            index=pd.Index(candidate_ids, name="candidate_id"),
            columns=pd.Index(competency_ids, name="competency_id"),
        )

    @property
    def distinct_resamples(self) -> int:
        """Distinct multisets of ``R`` raters drawn with replacement from ``R``: ``C(2R - 1, R)``."""
        r = len(self.rater_ids)
        return math.comb(2 * r - 1, r)

    def sample(self, size: int, seed: int | np.random.Generator) -> np.ndarray:
        size = check_int(size, "size", low=1)
        rng = as_rng(seed)
        r = len(self.rater_ids)
        picks = rng.integers(0, r, size=(size, r))
        times = (picks[:, :, None] == np.arange(r)[None, None, :]).sum(axis=1).astype(float)  # (size, R)
        shape = (size, *self._fallback.shape)
        total, count = (times @ self._filled).reshape(shape), (times @ self._present).reshape(shape)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / count
        # a resample holding no rating of a candidate's competency keeps the candidate's full-sample mean
        return np.where(count > 0, mean, self._fallback[None])


def _cube(frame: pd.DataFrame) -> tuple[np.ndarray, list[str], list[str], list[str]]:
    """Scores as candidates x raters x competencies (NaN = not rated), ids sorted as text."""
    cands, raters, comps = (sorted(pd.unique(frame[c])) for c in ("candidate_id", "rater_id", "competency_id"))
    cube = np.full((len(cands), len(raters), len(comps)), np.nan)
    cube[
        pd.Index(cands).get_indexer(frame["candidate_id"]),
        pd.Index(raters).get_indexer(frame["rater_id"]),
        pd.Index(comps).get_indexer(frame["competency_id"]),
    ] = frame["score"].to_numpy(dtype=float)
    return cube, cands, raters, comps


def _plain(ratings: Any, competencies: Any = None) -> pd.DataFrame:
    """The checked long table, ids as text, restricted to ``competencies`` (when given)."""
    frame = validate_ratings(ratings)
    frame = frame.assign(
        **{c: frame[c].astype(str).astype(object) for c in ("candidate_id", "rater_id", "competency_id")}
    )
    if "stage" in frame.columns and frame["stage"].nunique() > 1:
        raise SmmrubricError("holds ratings from several stages; select one first", field="stage")
    if competencies is not None:
        frame = frame[frame["competency_id"].isin(list(competencies))]
        if frame.empty:
            raise SmmrubricError("holds no rating of the weighted competencies", field="ratings")
    return frame


def _same_raters(frame: pd.DataFrame) -> bool:
    sets = frame.groupby("candidate_id", sort=False)["rater_id"].agg(lambda r: tuple(sorted(set(r))))
    return sets.nunique() == 1


def rater_resampler(ratings: Any, *, design: str = "auto", competencies: Any = None) -> ScoreSampler:
    """A score sampler that resamples the raters (see the module notes).

    ``design="panel"``: in each draw ``R`` raters are drawn with replacement from the ``R`` raters of the table,
    the same draw for every candidate, and each candidate's score on a competency is the mean of the drawn
    raters' ratings (a rater drawn twice counts twice; raters who did not rate it are skipped, and if none of
    the drawn raters did, the candidate's full-sample mean is kept). ``design="candidate"``: each candidate's
    own raters are resampled separately (:func:`~.samplers.rater_bootstrap`). ``"auto"`` (default): ``panel``
    when every candidate was rated by the same raters, else ``candidate``.

    Parameters
    ----------
    ratings
        Long ratings table (one stage).
    design
        One of :data:`RESAMPLING`.
    competencies
        Keep only these competencies' ratings (e.g. a rubric's ids); default all.

    Returns
    -------
    ScoreSampler
        Draws ``(size, candidates, competencies)``, candidates and competencies sorted by id; its
        ``mean_scores`` is the full-sample mean matrix and ``kind`` says which resampling it does.

    Raises
    ------
    SmmrubricError
        A bad ratings table, several stages, a bad ``design``, a candidate with no rating of a competency.
    """
    return _resampler(ratings, design, competencies)[0]


def _resampler(ratings: Any, design: str, competencies: Any) -> tuple[ScoreSampler, pd.DataFrame]:
    """:func:`rater_resampler` and the full-sample mean scores it varies around (candidates x competencies)."""
    check_choice(design, "design", RESAMPLING)
    frame = _plain(ratings, competencies)
    if design == "auto":
        design = "panel" if _same_raters(frame) else "candidate"
    cube, cands, raters, comps = _cube(frame)
    with np.errstate(invalid="ignore"):
        fallback = np.nanmean(cube, axis=1) if cube.size else np.zeros((0, 0))
    if np.isnan(fallback).any():
        i, j = map(int, np.argwhere(np.isnan(fallback))[0])
        raise SmmrubricError("candidate has no rating of this competency", row=cands[i], field=comps[j])
    mean = pd.DataFrame(
        fallback, index=pd.Index(cands, name="candidate_id"), columns=pd.Index(comps, name="competency_id")
    )
    if design == "panel":
        return _PanelBootstrap(cube, fallback, cands, comps, raters), mean
    order = frame.sort_values(["candidate_id", "rater_id", "competency_id"], kind="stable")  # ids as text
    return rater_bootstrap(order[["candidate_id", "rater_id", "competency_id", "score"]]), mean


# --------------------------------------------------------------------------- rating noise from a G study


class _GNoise(ScoreSampler):
    kind = "g_study_noise"

    def __init__(self, scores: pd.DataFrame, shared_sd: np.ndarray, own_sd: np.ndarray) -> None:
        super().__init__(scores.index, scores.columns)
        self._x = scores.to_numpy(dtype=float)
        self.shared_sd = shared_sd  # (n,)
        self.own_sd = own_sd  # (n, m)

    def sample(self, size: int, seed: int | np.random.Generator) -> np.ndarray:
        size = check_int(size, "size", low=1)
        rng = as_rng(seed)
        n, m = self._x.shape
        shared = rng.standard_normal((size, n, 1)) * self.shared_sd[None, :, None]
        own = rng.standard_normal((size, n, m)) * self.own_sd[None]
        return self._x[None] + shared + own


def _rater_counts(raters: Any, g: GStudy, frame: pd.DataFrame) -> np.ndarray:
    """Raters behind each mean score, candidates x competencies, from an int or a table of counts."""
    if raters is None:
        raters = g.sizes["r"]
    if isinstance(raters, pd.DataFrame):
        counts = raters.reindex(index=frame.index, columns=frame.columns)
        if counts.isna().to_numpy().any():
            raise SmmrubricError(
                "must give a number of raters for every candidate and competency of scores", field="raters"
            )
        values = counts.to_numpy(dtype=float)
        if (values < 1).any() or (values != np.round(values)).any():
            raise SmmrubricError("numbers of raters must be whole numbers >= 1", field="raters")
        return values
    return np.full(frame.shape, float(check_int(raters, "raters", low=1)))


def g_study_noise(scores: pd.DataFrame, g: GStudy, *, raters: Any = None) -> ScoreSampler:
    """Normal rating error with a G study's relative error variances, around the observed mean scores.

    A candidate's mean score on competency ``i`` over ``n_pi`` raters has relative error (Brennan 2001, ch. 4)
    ``e_pi = a_p + b_pi`` with a part shared by all the candidate's competencies (the raters' impression of the
    candidate: halo) and a part of its own:

    - crossed ``p x r x i``: ``Var a_p = s2(pr) / n_p``, ``Var b_pi = s2(pri,e) / n_pi``;
    - nested ``(r:p) x i``: ``Var a_p = s2(r:p) / n_p``, ``Var b_pi = s2(ri:p,e) / n_pi``

    (``n_p`` the candidate's number of raters, the largest ``n_pi``). Each draw is
    ``x*_pi = x_pi + a_p + b_pi`` with ``a_p ~ N(0, Var a_p)`` and ``b_pi ~ N(0, Var b_pi)`` independent: a
    parametric bootstrap of the observed scores. Rater main effects (``s2(r)``, ``s2(ri)``) shift every
    candidate of a panel alike and do not change a ranking, so they are left out (relative error); in the nested
    design ``s2(r:p)`` holds each candidate's own raters' leniency and is included. The composite of ``n_i``
    equally weighted competencies then has error variance ``s2(pr) / n_r + s2(pri,e) / (n_r n_i)``, the relative
    error of :func:`smmrubric.reliability.d_study` with the competencies fixed.

    Parameters
    ----------
    scores
        Candidates x competencies mean scores (e.g. ``pool.scores``).
    g
        A :class:`smmrubric.reliability.GStudy` of the same ratings (negative components as 0).
    raters
        The number of raters behind each mean: an int for all, or a candidates x competencies table of counts
        (e.g. ``pool.n_raters``); default the G study's raters per candidate.

    Returns
    -------
    ScoreSampler
        Draws ``(size, candidates, competencies)`` in the order of ``scores``.

    Raises
    ------
    SmmrubricError
        ``scores`` not a finite score table, ``g`` not a GStudy, a bad ``raters``.
    """
    frame = check_score_matrix(scores)
    if not isinstance(g, GStudy):
        raise SmmrubricError(f"must be a GStudy from smmrubric.reliability.g_study, got {type(g).__name__}", field="g")
    v = g.variance
    shared, own = (v["pr"], v["pri,e"]) if g.design == "crossed" else (v["r:p"], v["ri:p,e"])
    counts = _rater_counts(raters, g, frame)
    shared_sd = np.sqrt(float(shared) / counts.max(axis=1))
    own_sd = np.sqrt(float(own) / counts)
    return _GNoise(frame, shared_sd, own_sd)


# --------------------------------------------------------------------------- rank intervals


def competition_rank_rows(values: np.ndarray) -> np.ndarray:
    """Competition ranks ("1224", higher value = better rank) of each row, ties within the tie tolerance.

    ``rank = 1 +`` the number of values of the row in a better tie group (:func:`smmrubric.ranking.tie_groups`,
    tolerance :data:`smmrubric.ranking.TIE_TOLERANCE` relative to the row's largest absolute value): the
    row-wise :func:`smmrubric.ranking.competition_ranks`.

    Parameters
    ----------
    values
        ``(draws, candidates)`` finite numbers.

    Returns
    -------
    numpy.ndarray
        int64 ranks of the same shape.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 2:
        raise SmmrubricError(f"must be 2-D (draws x candidates), got shape {x.shape}", field="values")
    k, n = x.shape
    groups = tie_groups(x, descending=True, axis=1).astype(np.int64)
    offset = np.arange(k, dtype=np.int64)[:, None] * n
    ordered = (np.sort(groups, axis=1) + offset).ravel()
    ahead = np.searchsorted(ordered, (groups + offset).ravel(), side="left").reshape(k, n) - offset
    return ahead + 1


def _quantile_ranks(cumulative: np.ndarray, n_draws: int, q: Fraction) -> np.ndarray:
    """Smallest rank ``r`` with ``#{rank <= r} >= q N`` per candidate (Hyndman & Fan's definition 1), exactly."""
    reached = cumulative * q.denominator >= q.numerator * n_draws
    return np.argmax(reached, axis=1) + 1


def _fraction(value: float) -> Fraction:
    """A probability as the exact decimal it was written as (0.95 -> 19/20)."""
    return Fraction(repr(value)).limit_denominator(10**12)


@dataclass(frozen=True)
class RankIntervals:
    """Each candidate's rank over resamples of the raters (from :func:`bootstrap_ranks`).

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by ``candidate_id``, best point rank first (ties by id): ``total`` (the rubric total of the
        observed mean scores), ``rank`` (its competition rank), ``lower``, ``median``, ``upper`` (quantiles of
        the resampled ranks: ``lower`` and ``upper`` at ``(1 - confidence) / 2`` and ``(1 + confidence) / 2``),
        ``mean_rank``.
    rank_counts : pandas.DataFrame
        Integers, candidate_id x rank (1 = best): in how many resamples the candidate had the rank.
    n_draws : int
        Resamples.
    confidence : float
        Level of the intervals.
    resampling : str
        ``"panel"`` or ``"candidate"`` (see :func:`rater_resampler`).
    distinct_resamples : int or None
        For the panel bootstrap, the number of different resampled panels there can be (``C(2R - 1, R)``).
    """

    table: pd.DataFrame
    rank_counts: pd.DataFrame
    n_draws: int
    confidence: float
    resampling: str
    distinct_resamples: int | None

    def top_k(self, k: int) -> pd.Series:
        """Share of resamples in which each candidate's competition rank is ``k`` or better (fewer than ``k``
        candidates clearly ahead), from the integer counts."""
        k = check_int(k, "k", low=1, high=self.rank_counts.shape[1])
        counts = self.rank_counts.to_numpy()[:, :k].sum(axis=1)
        return pd.Series(counts / self.n_draws, index=self.rank_counts.index, name=f"top_{k}")


def bootstrap_ranks(
    ratings: Any,
    weights: Any,
    *,
    n_draws: int = 10_000,
    seed: int | np.random.Generator,
    confidence: float = 0.95,
    design: str = "auto",
) -> RankIntervals:
    """Rank intervals from a bootstrap over raters (Efron 1979; Brennan 2001, sec. 6.2).

    In each of ``N = n_draws`` resamples of the raters (:func:`rater_resampler`), every candidate's rubric total
    ``T_p = sum_i w_i x*_pi`` (``w`` normalised to sum 1) is computed from the resampled mean scores and the
    candidates are given competition ranks (:func:`competition_rank_rows`). With ``c_pr`` the number of
    resamples in which candidate ``p`` has rank ``r`` and ``C_pr = sum_{s <= r} c_ps``, the ``q`` quantile of
    ``p``'s rank is the smallest ``r`` with ``C_pr >= q N`` (Hyndman & Fan 1996, definition 1), computed in
    integers with ``q`` taken as the exact decimal given; the interval is ``[q_lo, q_hi]`` with
    ``q_lo = (1 - confidence) / 2``, ``q_hi = (1 + confidence) / 2``, and ``mean_rank = sum_r r c_pr / N``.

    Parameters
    ----------
    ratings
        Long ratings table (one stage); ratings of competencies without a weight are ignored.
    weights
        A Rubric or a Series of weights indexed by ``competency_id``; every weighted competency must be rated.
    n_draws
        Resamples, >= 1.
    seed
        Integer or numpy Generator.
    confidence
        Level of the rank intervals, in (0, 1); default .95.
    design
        How raters are resampled, one of :data:`RESAMPLING` (default ``"auto"``).

    Returns
    -------
    RankIntervals

    Raises
    ------
    SmmrubricError
        A bad ratings table or weights, a weighted competency without ratings, bad options.
    """
    n_draws = check_int(n_draws, "n_draws", low=1)
    level = check_probability(confidence, "confidence", open_ends=True)
    rng = as_rng(seed)
    ids = weights.weights.index if hasattr(weights, "weights") else getattr(weights, "index", None)
    sampler, mean = _resampler(ratings, design, None if ids is None else [str(i) for i in ids])
    frame, w = score_and_weights(mean, weights)
    n = len(frame)
    counts = np.zeros((n, n), dtype=np.int64)
    cell = np.arange(n, dtype=np.int64)[None, :] * n
    step = max(1, CHUNK_ELEMENTS // max(1, frame.size))
    for start in range(0, n_draws, step):
        draws = sampler.sample(min(step, n_draws - start), rng)
        ranks = competition_rank_rows(draws @ w)
        counts += np.bincount((cell + ranks - 1).ravel(), minlength=n * n).reshape(n, n)
    cumulative = np.cumsum(counts, axis=1)
    exact = _fraction(level)
    low, high = (1 - exact) / 2, (1 + exact) / 2
    point = pd.Series(frame.to_numpy() @ w, index=frame.index)
    table = pd.DataFrame(
        {
            "total": point,
            "rank": rank_scores(point).astype(np.int64),
            "lower": _quantile_ranks(cumulative, n_draws, low),
            "median": _quantile_ranks(cumulative, n_draws, Fraction(1, 2)),
            "upper": _quantile_ranks(cumulative, n_draws, high),
            "mean_rank": (counts @ np.arange(1, n + 1, dtype=np.int64)) / n_draws,
        },
        index=frame.index,
    )
    table.index.name = "candidate_id"
    rank_counts = pd.DataFrame(counts, index=table.index, columns=pd.RangeIndex(1, n + 1, name="rank"))
    order = sort_frame(table, "total", ascending=False).index
    return RankIntervals(
        table=table.loc[order],
        rank_counts=rank_counts.loc[order],
        n_draws=n_draws,
        confidence=level,
        resampling="panel" if sampler.kind == "panel_bootstrap" else "candidate",
        distinct_resamples=getattr(sampler, "distinct_resamples", None),
    )
