"""SMAA-2: how often each candidate takes each rank when the weights (and scores) are uncertain.

Stochastic multicriteria acceptability analysis (Lahdelma & Salminen 2001) for the additive rubric
score ``u(x_i, w) = sum_j w_j x_ij``. With weights ``w ~ f_W`` (a :mod:`~.samplers` sampler) and,
optionally, scores ``x ~ f_X``, it estimates by Monte Carlo over ``N`` draws:

* rank acceptability ``b_i^r = P[rank(i) = r]`` (rank 1 = best);
* k-best acceptability ``a_i^k = sum_{r <= k} b_i^r``;
* holistic acceptability ``a_i^h = sum_r alpha_r b_i^r`` with the centroid meta-weights
  ``alpha_r = sum_{k=r}^n (1/k) / sum_{k=1}^n (1/k)`` (so ``alpha_1 = 1``; Lahdelma & Salminen 2001);
* central weight vectors ``w_i^c = E[w | rank(i) = 1]`` (NaN where ``b_i^1 = 0``);
* confidence factors ``p_i^c = P_X[i is ranked first with w_i^c]``;
* pairwise winning indices ``c_ik = P[u_i > u_k]`` (Leskinen et al. 2006), on request;
* the rank entropy ``H_i = -sum_r b_i^r log2 b_i^r`` (bits; 0 = always the same rank);
* Monte Carlo standard errors ``sqrt(b (1 - b) / N)``.

Exact counts, the same numbers on every CPU
-------------------------------------------
numpy and OpenBLAS run different code on different CPUs, so the last bits of a utility differ from
one machine to the next. Nothing here depends on those bits: every statistic above that is a share
of draws (rank, k-best and first-rank acceptabilities, expected ranks, confidence factors, pairwise
winning indices) is computed from **integer counts** with one final division, and the counts are
exposed (:attr:`SMAAResult.rank_counts`, :attr:`SMAAResult.count_denominator`,
:attr:`SMAAResult.pairwise_counts`). Holistic acceptability and rank entropy are fixed sequences of
IEEE operations on those counts, and central weights on the counts and the weight draws (sums in draw
order; no BLAS, no CPU-dispatched ``log``), so they too are the same bits on every CPU.

Ties
----
Integer rating scales make identical score profiles common, so ties follow one explicit rule:
**tied candidates share the ranks they jointly occupy equally**. If ``G`` candidates tie for ranks
``r .. r+G-1`` in a draw, each receives ``1/G`` of each of those ranks (so every candidate's and
every rank's acceptabilities still sum to 1); a tie for first place splits the win, the central
weights and the confidence factor the same way; a tied pair counts 1/2 in the pairwise winning index.

The tie tolerance is ``tau = TIE_TOLERANCE * max(1, max_ij |x_ij|)`` (``TIE_TOLERANCE = 1e-9``, relative
to the largest point score on the competencies that can get weight; ``SMAAResult.meta["tie_tolerance"]``).
It is about a million times the rounding noise of a weighted sum of a few dozen scores and far below any
difference a rating scale expresses, so utilities equal up to BLAS noise are ties on every CPU:

* **fixed scores**: score values within ``tau`` of each other in a column are equal, and candidates with
  equal profiles (on the competencies that can get weight) are tied in every draw -- their utilities are
  equal up to rounding for every weight vector. They are found once, up front: the distinct profiles are
  ranked, and a group of ``g`` identical candidates that occupies ranks ``s .. s+g-1`` adds one count per
  draw, so each member's acceptability of those ranks is that count over ``g N``. Two *different*
  profiles have equal utilities only on a hyperplane of weights, which the package's weight samplers hit
  with probability zero, so they are ranked by their utilities. When the weights can sit on such a
  hyperplane (lower bounds summing to 1 fix them; any sampler class from outside the package), utilities
  within ``tau`` are tied as well, checked draw by draw as for sampled scores;
* **sampled scores** (``score_sampler``): two candidates are tied in a draw when their utilities differ by
  at most ``tau``, and ties chain: a run of candidates each within ``tau`` of the next is one tie group
  (single linkage). Draws of discrete ratings (``rater_bootstrap``) tie often.

Counts of ties between different profiles are kept per tie-group size ``G`` and put over the common
denominator ``L = lcm`` of the group sizes met, so that ``b_i^r = rank_counts[i, r] / (L N)`` exactly.
What remains CPU-dependent is a comparison whose two sides differ by no more than rounding noise (~1e-15
relative): two different profiles' utilities, or a gap and ``tau`` where ``tau`` applies -- probability of
order 1e-15 per pair of candidates and draw.

Speed
-----
Per cache-sized block of weight draws, the utilities of the distinct profiles are one matmul into a
small buffer (shifted so that all utilities share one binary exponent; a common shift leaves every
ranking unchanged because the weights sum to 1). First ranks need one ``argmax`` per row. Full ranks
need one in-place ``np.sort`` per row and no ``argsort``: each utility's lowest 16 bits are replaced by
its profile's number (an identical candidate adds one more copy of its profile's utility) and the rows
are sorted *as floats* -- positive doubles order like their bit patterns, so the sort keeps the
utilities' order (down to about 1e-10 of the score range; closer profiles are ordered by their number, a
deterministic tie-break) and afterwards the low bits say which profile holds each rank. The profile numbers are
copied, transposed, into a ranks x draws buffer and counted rank by rank with ``np.bincount``, in a worker
thread that counts while the main thread sorts the next draws (the counts are integers, so the result does not
depend on the threading).
There is no Python loop over draws. Everything is float64: with float32 utilities, distinct candidates
closer than ~1e-7 relative would be ordered arbitrarily, which happens in a sizeable share of draws for
1,000 candidates.

References
----------
Lahdelma, R., & Salminen, P. (2001). SMAA-2: Stochastic multicriteria acceptability analysis for group
decision making. *Operations Research*, 49(3), 444-454.
Lahdelma, R., Hokkanen, J., & Salminen, P. (1998). SMAA -- Stochastic multiobjective acceptability
analysis. *European Journal of Operational Research*, 106(1), 137-143.
Leskinen, P., Viitanen, J., Kangas, A., & Kangas, J. (2006). Alternatives to incorporate uncertainty and
risk attitude in multicriteria evaluation of forest plans. *Forest Science*, 52(3), 304-312.
Tervonen, T., & Figueira, J. R. (2008). A survey on stochastic multicriteria acceptability analysis
methods. *Journal of Multi-Criteria Decision Analysis*, 15(1-2), 1-14.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..progress import progress_iter
from ..ranking import TIE_TOLERANCE, sort_frame
from ..rubric import roc_weights
from ..validation import as_rng, check_choice, check_int, check_score_matrix
from ._smaa_kernels import (
    SORT_BLOCK_ELEMENTS,
    TIE_BLOCK_ELEMENTS,
    Profiles,
    RankCounter,
    Tally,
    binade_shift,
    exact_ratio,
    first_counts,
    sampled_counts,
    top_group,
)
from .samplers import ScoreSampler, WeightSampler, uniform_weights

__all__ = ["TIE_TOLERANCE", "SMAAResult", "centroid_meta_weights", "smaa"]

#: Target number of float64 utilities (or sampled scores) held per chunk (32 MB), which keeps peak
#: memory small whatever the number of draws.
CHUNK_ELEMENTS = 1 << 22


def centroid_meta_weights(n: int) -> np.ndarray:
    """SMAA-2 centroid meta-weights ``alpha_r = sum_{k=r}^n (1/k) / sum_{k=1}^n (1/k)``, r = 1..n.

    The rank-order-centroid weights (:func:`smmrubric.rubric.roc_weights`) rescaled so that ``alpha_1 = 1``
    (Lahdelma & Salminen 2001).
    """
    roc = roc_weights(check_int(n, "n", low=1))
    return roc / roc[0]


def _row_sums(a: np.ndarray) -> np.ndarray:
    """Row sums added left to right (a fixed order of IEEE additions: the same bits on every CPU)."""
    return np.cumsum(a, axis=1)[:, -1] if a.shape[1] else np.zeros(len(a))


@dataclass(frozen=True)
class SMAAResult:
    """Output of :func:`smaa`; every table is labelled by ``candidate_id``.

    Attributes
    ----------
    rank_acceptability : DataFrame
        ``b_i^r``: candidate_id x rank (1 = best). Only rank 1 when ``ranks="first"``.
        Equal to ``rank_counts / (count_denominator * n_samples)``, correctly rounded.
    central_weights : DataFrame
        ``w_i^c``: candidate_id x competency_id; NaN rows where ``b_i^1 = 0``.
    confidence : Series
        ``p_i^c``; NaN where there is no central weight vector.
    pairwise : DataFrame or None
        ``c_ik = P[u_i > u_k]`` (ties 1/2), rows i, columns k, for the requested candidates.
    n_samples : int
        Monte Carlo draws ``N``.
    sampler : str
        Description of the weight distribution.
    score_uncertainty : bool
        Whether scores were sampled too.
    ties : bool
        Whether any draw had tied candidates (identical profiles, or utilities within the tolerance).
    meta : dict
        ``chunk_size``; ``tie_tolerance`` (the absolute ``tau``); ``profiles`` (distinct score profiles;
        None with sampled scores); ``exact_draws`` (draws whose ties were grouped draw by draw).
    rank_counts : DataFrame
        Integers, candidate_id x rank: the number of draws in which the candidate held the rank, in units
        of ``1 / count_denominator`` draw (a member of a tie group of ``G`` counts ``1/G`` for each rank
        the group occupies).
    count_denominator : int
        ``L``, the least common multiple of the tie-group sizes met (1 without ties).
    pairwise_counts : DataFrame or None
        Integers: the number of draws in which ``u_i - u_k`` exceeded the tie tolerance, so
        ``c_ik = (N + wins_ik - wins_ki) / (2N)``.
    """

    rank_acceptability: pd.DataFrame
    central_weights: pd.DataFrame
    confidence: pd.Series
    pairwise: pd.DataFrame | None
    n_samples: int
    sampler: str = ""
    score_uncertainty: bool = False
    ties: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    rank_counts: pd.DataFrame | None = None
    count_denominator: int = 1
    pairwise_counts: pd.DataFrame | None = None

    @property
    def full(self) -> bool:
        """True when all ranks were computed (``ranks="all"``)."""
        return self.rank_acceptability.shape[1] == self.rank_acceptability.shape[0]

    def _need_full(self, what: str) -> None:
        if not self.full:
            raise SmmrubricError(f"{what} needs all ranks; rerun smaa with ranks='all'", field="ranks")

    def _counts(self) -> tuple[np.ndarray, int]:
        """The integer rank counts and their denominator ``L N``."""
        if self.rank_counts is None:
            raise SmmrubricError("this result holds no rank counts; build it with smaa()", field="rank_counts")
        return self.rank_counts.to_numpy(), self.count_denominator * self.n_samples

    def _frame(self, values: np.ndarray, name: str) -> pd.Series:
        return pd.Series(values, index=self.rank_acceptability.index, name=name)

    @property
    def first_rank(self) -> pd.Series:
        """``b_i^1``, the first-rank acceptability (probability of being hired first)."""
        return self.rank_acceptability[1].rename("first_rank")

    @property
    def k_best(self) -> pd.DataFrame:
        """``a_i^k = sum_{r<=k} b_i^r``: candidate_id x k (probability of finishing in the top k)."""
        counts, den = self._counts()
        return pd.DataFrame(
            exact_ratio(np.cumsum(counts, axis=1), den),
            index=self.rank_acceptability.index,
            columns=pd.Index(self.rank_acceptability.columns, name="k"),
        )

    def top_k(self, k: int) -> pd.Series:
        """``a_i^k`` for one ``k``: the probability that each candidate is among the top ``k``."""
        k = check_int(k, "k", low=1, high=self.rank_acceptability.shape[1])
        counts, den = self._counts()
        return self._frame(exact_ratio(counts[:, :k].sum(axis=1), den), f"top_{k}")

    @property
    def meta_weights(self) -> pd.Series:
        """Centroid meta-weights ``alpha_r`` (see :func:`centroid_meta_weights`)."""
        self._need_full("holistic acceptability")
        n = self.rank_acceptability.shape[1]
        return pd.Series(centroid_meta_weights(n), index=self.rank_acceptability.columns, name="alpha")

    @property
    def holistic(self) -> pd.Series:
        """Holistic acceptability ``a_i^h = sum_r alpha_r b_i^r`` with centroid meta-weights.

        Computed as ``sum_k (1/k) a_i^k / sum_k (1/k)`` (summation by parts), from the integer k-best counts.
        """
        self._need_full("holistic acceptability")
        counts, den = self._counts()
        n = counts.shape[1]
        harmonic = float(np.cumsum(1.0 / np.arange(n, 0, -1))[-1])
        k_best = np.cumsum(counts, axis=1).astype(float)
        return self._frame(_row_sums(k_best / np.arange(1, n + 1)) / (harmonic * den), "holistic")

    @property
    def rank_entropy(self) -> pd.Series:
        """``H_i = -sum_r b_i^r log2 b_i^r`` in bits: 0 if a candidate always takes the same rank,
        ``log2 n`` if every rank is equally likely."""
        self._need_full("rank entropy")
        counts, den = self._counts()
        values, where = np.unique(counts, return_inverse=True)
        # -p log2 p for each distinct count, with the platform's scalar log2 (numpy's vector log2 differs by CPU)
        terms = np.array([0.0 if c == 0 else -(int(c) / den) * math.log2(int(c) / den) for c in values])
        return self._frame(_row_sums(terms[where.reshape(counts.shape)]), "rank_entropy")

    @property
    def expected_rank(self) -> pd.Series:
        """``E[rank] = sum_r r b_i^r``, from the integer rank counts."""
        self._need_full("expected rank")
        counts, den = self._counts()
        ranks = np.arange(1, counts.shape[1] + 1, dtype=counts.dtype)
        return self._frame(exact_ratio(counts @ ranks, den), "expected_rank")

    @property
    def standard_error(self) -> pd.DataFrame:
        """Monte Carlo standard errors of the rank acceptabilities, ``sqrt(b (1 - b) / N)``."""
        b = self.rank_acceptability
        return np.sqrt(b * (1 - b) / self.n_samples)

    # the names for the same quantities
    @property
    def k_best_acceptability(self) -> pd.DataFrame:
        """Alias of :attr:`k_best`."""
        return self.k_best

    @property
    def holistic_acceptability(self) -> pd.Series:
        """Alias of :attr:`holistic`."""
        return self.holistic

    @property
    def confidence_factors(self) -> pd.Series:
        """Alias of :attr:`confidence`."""
        return self.confidence

    @property
    def pairwise_winning(self) -> pd.DataFrame | None:
        """Alias of :attr:`pairwise` (pairwise winning indices ``P[u_i > u_k]``)."""
        return self.pairwise

    @property
    def ranking_entropy(self) -> pd.Series:
        """Alias of :attr:`rank_entropy`."""
        return self.rank_entropy

    def summary(self, top: int | None = None) -> pd.DataFrame:
        """One row per candidate, best holistic acceptability first (first rank when ``ranks="first"``).

        Columns: ``first_rank, first_rank_se, confidence`` and, with all ranks, ``holistic,
        expected_rank, rank_entropy``. Order: holistic acceptability (values within ``TIE_TOLERANCE``
        relative are equal), then the first-rank count, then ``candidate_id`` as text, so that the order
        does not depend on rounding noise or on the input's row order.
        """
        b1 = self.first_rank
        out = pd.DataFrame(
            {"first_rank": b1, "first_rank_se": np.sqrt(b1 * (1 - b1) / self.n_samples), "confidence": self.confidence}
        )
        counts, _ = self._counts()
        out["_first_count"] = counts[:, 0]
        by = ["_first_count"]
        if self.full:
            out["holistic"] = self.holistic
            out["expected_rank"] = self.expected_rank
            out["rank_entropy"] = self.rank_entropy
            by.insert(0, "holistic")
        out = sort_frame(out, by, ascending=False).drop(columns="_first_count")
        if top is not None:
            out = out.head(check_int(top, "top", low=1))
        return out


# --------------------------------------------------------------------------- inputs


def _pair_index(pairwise: Any, ids: pd.Index) -> np.ndarray | None:
    if pairwise is None or pairwise is False:
        return None
    if pairwise is True:
        return np.arange(len(ids))
    if isinstance(pairwise, str) or not isinstance(pairwise, Sequence | pd.Index | np.ndarray):
        raise SmmrubricError(f"must be None, True or a list of candidate ids, got {pairwise!r}", field="pairwise")
    pos = ids.get_indexer(list(pairwise))
    if (pos < 0).any():
        raise SmmrubricError(
            "unknown candidate", row=str(list(pairwise)[int(np.flatnonzero(pos < 0)[0])]), field="pairwise"
        )
    if len(set(pos.tolist())) != len(pos) or len(pos) < 2:
        raise SmmrubricError("needs at least two distinct candidates", field="pairwise")
    return pos


def _sampler(weights: WeightSampler | str, columns: pd.Index) -> WeightSampler:
    """The weight sampler; ``"uniform"`` draws over the competencies sorted by id (so the result does not
    depend on the score table's column order)."""
    if isinstance(weights, str):
        check_choice(weights, "weights", ("uniform",))
        weights = uniform_weights(sorted(columns))
    if not isinstance(weights, WeightSampler):
        raise SmmrubricError(f"must be a weight sampler or 'uniform', got {type(weights).__name__}", field="weights")
    if sorted(weights.competency_ids) != sorted(columns):
        extra = sorted(set(weights.competency_ids) ^ set(columns))
        raise SmmrubricError(
            f"the sampler's competencies differ from the score columns (e.g. {extra[0]!r})", field="weights"
        )
    return weights


def _score_columns(score_sampler: ScoreSampler | None, x: pd.DataFrame) -> list[int] | None:
    """Positions of ``x``'s columns in the score sampler's draws (None without a sampler)."""
    if score_sampler is None:
        return None
    if not isinstance(score_sampler, ScoreSampler):
        raise SmmrubricError(f"must be a ScoreSampler, got {type(score_sampler).__name__}", field="score_sampler")
    if list(map(str, score_sampler.candidate_ids)) != list(map(str, x.index)) or sorted(
        score_sampler.competency_ids
    ) != sorted(x.columns):
        raise SmmrubricError(
            "must draw the same candidates (in the same order) and competencies as scores", field="score_sampler"
        )
    return [score_sampler.competency_ids.index(c) for c in x.columns]


# --------------------------------------------------------------------------- smaa


def smaa(
    scores: pd.DataFrame,
    weights: WeightSampler | str = "uniform",
    n_samples: int = 10_000,
    *,
    seed: int | np.random.Generator,
    chunk_size: int | None = None,
    progress: bool | str = "auto",
    pairwise: bool | Sequence[Any] | None = None,
    score_sampler: ScoreSampler | None = None,
    ranks: str = "all",
) -> SMAAResult:
    """SMAA-2 of an additive rubric score (Lahdelma & Salminen 2001).

    For ``N = n_samples`` draws of weights ``w`` (and, with ``score_sampler``, of scores ``x``), ranks
    the candidates by ``u_i = sum_j w_j x_ij`` and estimates

    ``b_i^r = #{draws where i has rank r} / N``, ``w_i^c = sum_{draws i first} w / (N b_i^1)``,

    and the confidence factors ``p_i^c``: the share of score draws (a fresh set of ``N``) in which
    candidate ``i`` ranks first under its own central weights ``w_i^c``. Without score uncertainty
    there is only one score matrix, so ``p_i^c`` is 1 if ``i`` wins with ``w_i^c``, 0 if it does not
    (``1/G`` if it ties with ``G - 1`` others). For the additive score a candidate's winning weights
    form a convex set (the simplex cut by the half-spaces ``u_i >= u_k``), so its centroid wins and
    ``p_i^c = 1`` for every candidate with ``b_i^1 > 0`` -- short of ties, or of a Monte Carlo
    centroid that lands just outside a sliver-thin winning set. Ties share ranks equally, within the
    tolerance stated in the module docstring; every share of draws is an integer count over ``L N``
    (:attr:`SMAAResult.rank_counts`), so the result is the same on every CPU.

    Parameters
    ----------
    scores
        Candidates x competencies (index ``candidate_id``, columns ``competency_id``); with a
        ``score_sampler``, the point scores used to label the result (same candidates and competencies).
    weights
        A weight sampler (:func:`~.samplers.uniform_weights`, :func:`~.samplers.local_weights`,
        :func:`~.samplers.ordinal_weights`) over the same competencies, or ``"uniform"`` (uniform weights
        over the competencies sorted by id, so the column order of ``scores`` does not matter).
    n_samples
        Monte Carlo draws ``N``; standard errors are ``sqrt(b (1 - b) / N)`` (<= 0.005 at N = 10,000).
    seed
        Integer or generator; weight draws, score draws and confidence draws use independent streams.
    chunk_size
        Draws per chunk (default: about 2**22 utilities per chunk, i.e. 32 MB buffers).
    progress
        Progress bar over chunks (``"auto"``: on unless ``SMMRUBRIC_NO_PROGRESS`` is set).
    pairwise
        ``True`` for winning indices over all pairs (costs ``n^2`` per draw), or a list of candidate ids.
    score_sampler
        Optional :class:`~.samplers.ScoreSampler` (``normal_score_noise``, ``rater_bootstrap``).
    ranks
        ``"all"`` (rank acceptability for every rank) or ``"first"`` (only ``b^1``, central weights
        and confidence: faster, no sort).

    Returns
    -------
    SMAAResult

    Examples
    --------
    >>> x = pd.DataFrame([[.8, .2], [.3, .6]], index=["a", "b"], columns=["c1", "c2"])
    >>> r = smaa(x, "uniform", 200_000, seed=1, progress=False)
    >>> bool(abs(r.first_rank["a"] - 5 / 9) < 4 * r.summary().loc["a", "first_rank_se"])  # exact: 5/9
    True
    >>> int(r.rank_counts.loc["a"].sum()) == r.count_denominator * r.n_samples
    True
    """
    x = check_score_matrix(scores)
    ranks = check_choice(ranks, "ranks", ("all", "first"))
    weights = _sampler(weights, x.columns)
    x = x[weights.competency_ids]
    n_samples = check_int(n_samples, "n_samples", low=1)
    n, m = x.shape
    col_order = _score_columns(score_sampler, x)
    if chunk_size is None:
        per = n * (m if score_sampler is not None else 1)
        chunk_size = max(1, min(n_samples, CHUNK_ELEMENTS // max(1, per)))
    chunk_size = check_int(chunk_size, "chunk_size", low=1)
    pair_idx = _pair_index(pairwise, x.index)

    w_rng, x_rng, c_rng = as_rng(seed).spawn(3)
    full = ranks == "all"
    xv = x.to_numpy()
    active = weights.active
    tol = TIE_TOLERANCE * max(1.0, float(np.abs(xv[:, active]).max()))
    chunks = progress_iter(
        weights.chunks(n_samples, w_rng, chunk_size), total=-(-n_samples // chunk_size), progress=progress, desc="SMAA"
    )
    n_pairs = 0 if pair_idx is None else len(pair_idx)
    profiles = None
    if score_sampler is None:
        profiles = Profiles.build(xv[:, active], tol)
        tally = _count_fixed(
            profiles, chunks, active, tol, full, m, pair_idx, n_pairs, _fixed_weights(weights), n_samples
        )
        of = profiles.of
    else:
        tally = Tally(np.ones(n, dtype=np.int64), n if full else 1, m, n_pairs)
        for w in chunks:
            u = np.matmul(score_sampler.sample(len(w), x_rng)[:, :, col_order], w[:, :, None])[:, :, 0]
            if pair_idx is not None:
                tally.add_pairs(u[:, pair_idx], tol)
            sampled_counts(u, w, tol, tally, full)
        of = np.arange(n)
    ties = tally.ties
    num, L, central = _shares(tally, of, n_samples)
    if profiles is not None:
        confidence = _confidence_fixed(profiles, central, active, tol)
    else:
        confidence = _confidence_sampled(score_sampler, col_order, central, n_samples, chunk_size, c_rng, tol, progress)
    cid = x.index.rename("candidate_id")
    rank_cols = pd.Index(np.arange(1, num.shape[1] + 1), name="rank")
    pair, wins = _pairwise_tables(tally.wins, cid, pair_idx, n_samples)
    return SMAAResult(
        rank_acceptability=pd.DataFrame(
            exact_ratio(num, L * n_samples, L * n_samples), index=cid, columns=rank_cols, copy=False
        ),
        central_weights=pd.DataFrame(
            central, index=cid, columns=pd.Index(weights.competency_ids, name="competency_id")
        ),
        confidence=pd.Series(confidence, index=cid, name="confidence"),
        pairwise=pair,
        n_samples=n_samples,
        sampler=repr(weights),
        score_uncertainty=score_sampler is not None,
        ties=ties,
        meta={
            "chunk_size": chunk_size,
            "tie_tolerance": tol,
            "profiles": None if profiles is None else profiles.n,
            "exact_draws": tally.exact_rows,
        },
        rank_counts=pd.DataFrame(num, index=cid, columns=rank_cols, copy=False),
        count_denominator=L,
        pairwise_counts=wins,
    )


def _shares(tally: Tally, of: np.ndarray, n_samples: int) -> tuple[np.ndarray, int, np.ndarray]:
    """Per candidate: the rank counts (units of ``1/L`` draw; candidates x ranks), ``L`` and the central
    weights."""
    num, L = tally.numerators(n_samples)  # ranks x profiles
    identity = num.shape[1] == len(of) and bool((of == np.arange(len(of))).all())
    num = num if identity else num[:, of]
    first = exact_ratio(num[0], L, L * n_samples)  # each candidate's (share-weighted) number of first places
    sums = tally.weight_sums()
    with np.errstate(invalid="ignore", divide="ignore"):
        central = (sums if identity else sums[of]) / first[:, None]
    central[first <= 0] = np.nan
    return num.T, L, central


def _pairwise_tables(
    wins: np.ndarray | None, cid: pd.Index, pair_idx: np.ndarray | None, n_samples: int
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """``c_ik = (N + wins_ik - wins_ki) / (2N)`` (ties count 1/2) and the integer wins, labelled."""
    if wins is None or pair_idx is None:
        return None, None
    labels = cid[pair_idx]
    c = exact_ratio(n_samples + wins - wins.T, 2 * n_samples, 2 * n_samples)
    np.fill_diagonal(c, np.nan)  # c_ii is not defined
    return (
        pd.DataFrame(c, index=labels, columns=labels.rename("versus")),
        pd.DataFrame(wins, index=labels, columns=labels.rename("versus")),
    )


def _fixed_weights(weights: WeightSampler) -> bool:
    """Whether the weights can make two *different* score profiles tie with positive probability (then ties
    within the tolerance are checked draw by draw; see the module docstring).

    Under the package's samplers a utility difference ``w . (x_P - x_Q)`` is a continuous random variable,
    zero with probability 0, except when the lower bounds sum to 1 (they then fix the weights). Any other
    sampler class is not assumed continuous.
    """
    own = weights.kind in ("uniform", "local", "ordinal") and type(weights).__module__ == WeightSampler.__module__
    return not own or bool(weights.lower.sum() >= 1 - TIE_TOLERANCE)


def _count_fixed(
    prof: Profiles,
    chunks: Any,
    active: np.ndarray,
    tol: float,
    full: bool,
    m: int,
    pair_idx: np.ndarray | None,
    n_pairs: int,
    check_gaps: bool,
    n_samples: int,
) -> Tally:
    """Counts for fixed scores: the distinct profiles, ranked draw by draw (see the module docstring)."""
    n = int(prof.sizes.sum())
    shifted, k = binade_shift(prof.values)
    xt = np.ascontiguousarray(shifted.T)
    tally = Tally(prof.sizes, n if full else 1, m, n_pairs)
    pair_prof = None if pair_idx is None else prof.of[pair_idx]
    every = bool(active.all())
    if full:
        counter = RankCounter(prof, xt, k, tol, tally, pair_prof, check_gaps, n_samples)
        complete = False
        try:
            for w in chunks:
                counter.add(w, w if every else np.ascontiguousarray(w[:, active]))
            complete = True
        finally:
            counter.close(complete)
    else:
        u_buf = np.empty((max(1, SORT_BLOCK_ELEMENTS // prof.n), prof.n))
        for w in chunks:
            first_counts(
                w if every else np.ascontiguousarray(w[:, active]),
                w,
                xt,
                prof.sizes,
                tol,
                tally,
                pair_prof,
                u_buf,
                check_gaps,
            )
    return tally


def _confidence_fixed(prof: Profiles, central: np.ndarray, active: np.ndarray, tol: float) -> np.ndarray:
    """``p_i^c`` with fixed scores: 1/G if ``i`` is in the first tie group (of G) under ``w_i^c``, else 0."""
    out = np.full(len(central), np.nan)
    has = np.flatnonzero(~np.isnan(central[:, 0]))
    if len(has):
        member, size = top_group(prof.values @ central[has][:, active].T, prof.sizes, tol, axis=0)
        out[has] = member[prof.of[has], np.arange(len(has))] / size
    return out


def _confidence_sampled(
    score_sampler: ScoreSampler | None,
    col_order: list[int] | None,
    central: np.ndarray,
    n_samples: int,
    chunk_size: int,
    rng: np.random.Generator,
    tol: float,
    progress: bool | str,
) -> np.ndarray:
    """``p_i^c`` with sampled scores: the share of ``N`` fresh score draws in which ``i`` is first under
    ``w_i^c`` (1/G when tied with G - 1 others), from integer counts per tie size."""
    n = len(central)
    out = np.full(n, np.nan)
    has = np.flatnonzero(~np.isnan(central[:, 0]))
    if len(has) == 0 or score_sampler is None:
        return out
    k = len(has)
    wc = central[has]
    ones = np.ones(n, dtype=np.int64)
    counts: dict[int, np.ndarray] = {}
    step = max(1, min(chunk_size, TIE_BLOCK_ELEMENTS // max(1, n * max(k, wc.shape[1]))))
    starts = range(0, n_samples, step)
    for s in progress_iter(starts, total=len(starts), progress=progress, desc="confidence"):
        xs = score_sampler.sample(min(step, n_samples - s), rng)[:, :, col_order]
        member, size = top_group(xs @ wc.T, ones, tol, axis=1)  # draw x candidate x central vector
        mine = member[:, has, np.arange(k)]  # is candidate has[j] first under its own w^c_j?
        for g in np.unique(size[mine]):
            counts[int(g)] = counts.get(int(g), 0) + (mine & (size == g)).sum(axis=0)
    L = math.lcm(*counts) if counts else 1
    num = sum((L // g) * c for g, c in counts.items()) if counts else np.zeros(k, dtype=np.int64)
    out[has] = exact_ratio(np.asarray(num, dtype=np.int64), L * n_samples)
    return out
