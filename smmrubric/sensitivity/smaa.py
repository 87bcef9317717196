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

Ties
----
Integer rating scales make identical score profiles common, so ties follow one explicit rule:
**tied candidates share the ranks they jointly occupy equally**. If ``k`` candidates tie for ranks
``r .. r+k-1`` in a draw, each receives ``1/k`` of each of those ranks (so every candidate's and
every rank's acceptabilities still sum to 1); a tie for first place splits the win, the central
weights and the confidence factor the same way; a tied pair counts 1/2 in the pairwise winning index.
Two utilities are tied when they agree to within a relative tolerance of about ``2**(b - 51)``, where
``b = ceil(log2 n)`` bits (about 4.5e-13 for 1,000 candidates): the sort below packs each candidate's
index into the last ``b`` bits of its utility. Without score uncertainty, two candidates with
different score profiles tie only on a set of weights of probability zero, so exact ties come from
identical profiles (on the competencies that can get weight); :func:`smaa` detects those up front and
only then runs the slower tie-sharing path.

Speed
-----
Per chunk of weight draws ``W`` (``chunk x m``), utilities are one matmul ``U = W X'`` into a
preallocated buffer. First ranks need one ``argmax`` per row. Full ranks need one ``np.sort`` per row
and no ``argsort``: the utilities (made positive by a constant shift of the scores, which leaves every
ranking unchanged because the weights sum to 1) are reinterpreted as 64-bit integers, their lowest
``b`` bits replaced by the candidate index, and sorted *as floats* -- positive doubles order like
their bit patterns, so the sort keeps the utilities' order and afterwards the low bits say which
candidate holds each position. Tagging and sorting run on cache-sized blocks of rows; the candidates
are then counted rank by rank (one ``np.bincount`` per rank, whose ``n`` counters stay in cache), in a
worker thread that counts one chunk while the main thread multiplies and sorts the next (the counts
are integers, so the result does not depend on the threading).
Central weights are one ``np.bincount`` over (winner, competency). There is no Python loop over draws.
Everything is float64: with float32 utilities, distinct candidates closer than ~1e-7 relative would
be ordered arbitrarily, which happens in a sizeable share of draws for 1,000 candidates.

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

import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..progress import progress_iter
from ..validation import as_rng, check_choice, check_int
from .samplers import ScoreSampler, WeightSampler, _score_frame, uniform_weights

__all__ = ["SMAAResult", "centroid_meta_weights", "smaa"]

#: Target number of float64 utilities (or sampled scores) held per chunk (32 MB), which keeps peak
#: memory small whatever the number of draws.
CHUNK_ELEMENTS = 1 << 22
#: Chunks with at least this many draws count ranks column by column (cache-friendly); smaller ones
#: with one flat bincount.
COLUMN_COUNT_MIN_ROWS = 256
#: Utilities tagged and sorted at a time (512 kB: stays in the CPU cache between the passes).
SORT_BLOCK_ELEMENTS = 1 << 16
#: Utilities handled at a time by the tie-sharing path (8 MB per work array).
TIE_BLOCK_ELEMENTS = 1 << 20


def centroid_meta_weights(n: int) -> np.ndarray:
    """SMAA-2 centroid meta-weights ``alpha_r = sum_{k=r}^n (1/k) / sum_{k=1}^n (1/k)``, r = 1..n.

    The rank-order-centroid weights rescaled so that ``alpha_1 = 1`` (Lahdelma & Salminen 2001).
    """
    n = check_int(n, "n", low=1)
    tail = np.cumsum(1.0 / np.arange(n, 0, -1))[::-1]
    return tail / tail[0]


@dataclass(frozen=True)
class SMAAResult:
    """Output of :func:`smaa`; every table is labelled by ``candidate_id``.

    Attributes
    ----------
    rank_acceptability : DataFrame
        ``b_i^r``: candidate_id x rank (1 = best). Only rank 1 when ``ranks="first"``.
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
        Whether the tie-sharing path ran.
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

    @property
    def full(self) -> bool:
        """True when all ranks were computed (``ranks="all"``)."""
        return self.rank_acceptability.shape[1] == self.rank_acceptability.shape[0]

    def _need_full(self, what: str) -> None:
        if not self.full:
            raise SmmrubricError(f"{what} needs all ranks; rerun smaa with ranks='all'", field="ranks")

    @property
    def first_rank(self) -> pd.Series:
        """``b_i^1``, the first-rank acceptability (probability of being hired first)."""
        return self.rank_acceptability[1].rename("first_rank")

    @property
    def k_best(self) -> pd.DataFrame:
        """``a_i^k = sum_{r<=k} b_i^r``: candidate_id x k (probability of finishing in the top k)."""
        out = self.rank_acceptability.cumsum(axis=1)
        out.columns = pd.Index(self.rank_acceptability.columns, name="k")
        return out

    def top_k(self, k: int) -> pd.Series:
        """``a_i^k`` for one ``k``: the probability that each candidate is among the top ``k``."""
        k = check_int(k, "k", low=1, high=self.rank_acceptability.shape[1])
        return self.rank_acceptability.loc[:, :k].sum(axis=1).rename(f"top_{k}")

    @property
    def meta_weights(self) -> pd.Series:
        """Centroid meta-weights ``alpha_r`` (see :func:`centroid_meta_weights`)."""
        self._need_full("holistic acceptability")
        n = self.rank_acceptability.shape[1]
        return pd.Series(centroid_meta_weights(n), index=self.rank_acceptability.columns, name="alpha")

    @property
    def holistic(self) -> pd.Series:
        """Holistic acceptability ``a_i^h = sum_r alpha_r b_i^r`` with centroid meta-weights."""
        alpha = self.meta_weights.to_numpy()
        return pd.Series(self.rank_acceptability.to_numpy() @ alpha, index=self.rank_acceptability.index,
                         name="holistic")

    @property
    def rank_entropy(self) -> pd.Series:
        """``H_i = -sum_r b_i^r log2 b_i^r`` in bits: 0 if a candidate always takes the same rank,
        ``log2 n`` if every rank is equally likely."""
        self._need_full("rank entropy")
        b = self.rank_acceptability.to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(b > 0, -b * np.log2(np.where(b > 0, b, 1.0)), 0.0)
        return pd.Series(terms.sum(axis=1), index=self.rank_acceptability.index, name="rank_entropy")

    @property
    def expected_rank(self) -> pd.Series:
        """``E[rank] = sum_r r b_i^r``."""
        self._need_full("expected rank")
        r = self.rank_acceptability.columns.to_numpy(dtype=float)
        return pd.Series(self.rank_acceptability.to_numpy() @ r, index=self.rank_acceptability.index,
                         name="expected_rank")

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
        expected_rank, rank_entropy``.
        """
        b1 = self.first_rank
        out = pd.DataFrame({"first_rank": b1, "first_rank_se": np.sqrt(b1 * (1 - b1) / self.n_samples),
                            "confidence": self.confidence})
        if self.full:
            out["holistic"] = self.holistic
            out["expected_rank"] = self.expected_rank
            out["rank_entropy"] = self.rank_entropy
            out = out.sort_values(["holistic", "first_rank"], ascending=False, kind="stable")
        else:
            out = out.sort_values("first_rank", ascending=False, kind="stable")
        if top is not None:
            out = out.head(check_int(top, "top", low=1))
        return out


# --------------------------------------------------------------------------- kernels


def _index_bits(n: int) -> int:
    return max(1, int(np.ceil(np.log2(n)))) if n > 1 else 1


class _Accumulator:
    """Rank counts, first-rank counts and central-weight sums over chunks of utilities."""

    def __init__(self, n: int, m: int, full: bool, pair_idx: np.ndarray | None) -> None:
        self.n, self.m, self.full = n, m, full
        self.bits = _index_bits(n)
        self.mask = np.int64((1 << self.bits) - 1)
        self.rel_tol = 2.0 ** (self.bits - 51)
        self.counts = np.zeros(n * n, dtype=np.int64) if full else None  # rank-major: r * n + i
        self.shared = None  # tie path: difference array over ranks, (n, n + 1) flattened
        self.first = np.zeros(n)
        self.wsum = np.zeros((n, m))
        self.cand = np.arange(n, dtype=np.int64)
        self.comp = np.arange(m, dtype=np.int64)
        self._held: list[np.ndarray | None] = [None, None]
        self._which = 0
        self._threads = (os.cpu_count() or 1) > 1
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future | None = None
        self.rank_offset = (np.arange(n - 1, -1, -1, dtype=np.int64) * n)  # ascending position p -> rank n-1-p
        self.pair_idx = pair_idx
        self.pair = None if pair_idx is None else np.zeros((len(pair_idx), len(pair_idx)))

    # -- no ties possible ------------------------------------------------------------------
    def add_fast(self, u: np.ndarray, w: np.ndarray) -> None:
        if self.pair is not None:
            self._pairwise(u)
        if not self.full:
            win = u.argmax(axis=1)
            self.first += np.bincount(win, minlength=self.n)
            self._add_weights(win, w)
            return
        if len(u) < COLUMN_COUNT_MIN_ROWS:
            self.wait()  # the worker may still be adding a previous chunk to the same counts
            key = self._tag_sort(u)
            np.bitwise_and(key, self.mask, out=key)  # candidate at each ascending position
            self._add_weights(key[:, -1], w)
            key += self.rank_offset
            self.counts += np.bincount(key.ravel(), minlength=self.n * self.n)
            return
        # tag, sort and read back the candidate at each position block by block (cache-sized blocks),
        # as small ints; then count position by position: one rank's bincount touches only that
        # rank's n counters, which stay in cache
        held = self._held_buffer(len(u))
        block = max(1, SORT_BLOCK_ELEMENTS // self.n)
        for s in range(0, len(u), block):
            key = self._tag_sort(u[s:s + block])
            np.bitwise_and(key, self.mask, out=held[s:s + block], casting="unsafe")
        self._add_weights(held[:, -1].astype(np.intp), w)
        # count this chunk in a worker thread while the next chunk is multiplied and sorted (np.sort and
        # the matmul release the GIL); two alternating buffers, at most one count pending
        self.wait()
        if self._threads:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1)
            self._pending = self._executor.submit(self._count, held)
        else:
            self._count(held)

    def _count(self, held: np.ndarray) -> None:
        counts = self.counts.reshape(self.n, self.n)
        for p in range(self.n):
            counts[self.n - 1 - p] += np.bincount(held[:, p], minlength=self.n)

    def wait(self) -> None:
        """Wait for the pending count (re-raising its error, if any)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def close(self) -> None:
        """Finish pending work and stop the worker thread."""
        try:
            self.wait()
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None

    def _tag_sort(self, u: np.ndarray) -> np.ndarray:
        """Replace the low bits of each (positive) utility by its candidate index and sort each row.

        Positive IEEE doubles order like their bit patterns, so the tagged values keep the utilities'
        order (up to the dropped bits); returns the sorted rows viewed as int64.
        """
        key = u.view(np.int64)
        np.bitwise_and(key, ~self.mask, out=key)
        np.bitwise_or(key, self.cand, out=key)
        u.sort(axis=1)
        return key

    def _held_buffer(self, rows: int) -> np.ndarray:
        """One of two alternating buffers: the other may still be being counted."""
        i, self._which = self._which, self._which ^ 1
        buf = self._held[i]
        if buf is None or len(buf) < rows:
            buf = self._held[i] = np.empty((rows, self.n), dtype=np.int16 if self.n <= np.iinfo(np.int16).max
                                           else np.int32)
        return buf[:rows]

    def _add_weights(self, win: np.ndarray, w: np.ndarray) -> None:
        """Add each draw's weights to its winner's sum (one bincount over winner x competency)."""
        flat = (win[:, None] * self.m + self.comp).ravel()
        self.wsum += np.bincount(flat, weights=w.ravel(), minlength=self.n * self.m).reshape(self.n, self.m)

    # -- tie-sharing path --------------------------------------------------------------------
    def add_tied(self, u: np.ndarray, w: np.ndarray) -> None:
        if self.pair is not None:
            self._pairwise(u)
        n = self.n
        if not self.full:
            top = u.max(axis=1, keepdims=True)
            tied = u >= top - self.rel_tol * np.abs(top)
            share = tied / tied.sum(axis=1, keepdims=True)
            self.first += share.sum(axis=0)
            self.wsum += share.T @ w
            return
        # in blocks of rows: the tie bookkeeping holds about a dozen arrays the size of its input, so a
        # whole chunk at once would peak near 500 MB for 1,000 candidates
        block = max(1, TIE_BLOCK_ELEMENTS // n)
        for s in range(0, len(u), block):
            self._add_tied_block(u[s:s + block], w[s:s + block])

    def _add_tied_block(self, u: np.ndarray, w: np.ndarray) -> None:
        n = self.n
        key = self._tag_sort(u)
        hi = key >> self.bits
        cand = key & self.mask
        pos = np.broadcast_to(np.arange(n), key.shape)
        new = np.ones(key.shape, dtype=bool)
        new[:, 1:] = (hi[:, 1:] - hi[:, :-1]) > 1
        end_flag = np.ones(key.shape, dtype=bool)
        end_flag[:, :-1] = new[:, 1:]
        start = np.maximum.accumulate(np.where(new, pos, 0), axis=1)
        end = np.minimum.accumulate(np.where(end_flag, pos, n - 1)[:, ::-1], axis=1)[:, ::-1]
        share = 1.0 / (end - start + 1)
        r_lo, r_hi = n - 1 - end, n - 1 - start  # the ranks the group occupies (0 = best)
        if self.shared is None:
            self.shared = np.zeros(n * (n + 1))
        base = cand * (n + 1)
        flat = np.concatenate([(base + r_lo).ravel(), (base + r_hi + 1).ravel()])
        vals = np.concatenate([share.ravel(), -share.ravel()])
        self.shared += np.bincount(flat, weights=vals, minlength=n * (n + 1))
        top = np.where(end == n - 1, share, 0.0)  # members of the first-place group
        s = np.zeros(u.shape)
        np.put_along_axis(s, cand, top, axis=1)
        self.wsum += s.T @ w

    def _pairwise(self, u: np.ndarray) -> None:
        v = u[:, self.pair_idx]
        scale = np.abs(v).max(axis=1)[:, None, None] * self.rel_tol
        k = len(self.pair_idx)
        step = max(1, CHUNK_ELEMENTS // max(1, k * k))
        for s in range(0, len(v), step):
            d = v[s:s + step, :, None] - v[s:s + step, None, :]
            tol = scale[s:s + step]
            self.pair += (d > tol).sum(axis=0) + 0.5 * (np.abs(d) <= tol).sum(axis=0)

    def rank_matrix(self) -> np.ndarray:
        """(n, R) rank counts (fractional with ties)."""
        self.close()
        if not self.full:
            return self.first[:, None].copy()
        b = self.counts.reshape(self.n, self.n).T.astype(float)  # counts[r, i] -> b[i, r]
        if self.shared is not None:
            b += np.cumsum(self.shared.reshape(self.n, self.n + 1), axis=1)[:, :self.n]
        return b


def _duplicate_profiles(x: np.ndarray) -> bool:
    return len(np.unique(x, axis=0)) < len(x)


def _pair_index(pairwise: Any, ids: pd.Index) -> np.ndarray | None:
    if pairwise is None or pairwise is False:
        return None
    if pairwise is True:
        return np.arange(len(ids))
    if isinstance(pairwise, str) or not isinstance(pairwise, Sequence | pd.Index | np.ndarray):
        raise SmmrubricError(f"must be None, True or a list of candidate ids, got {pairwise!r}", field="pairwise")
    pos = ids.get_indexer(list(pairwise))
    if (pos < 0).any():
        raise SmmrubricError("unknown candidate", row=str(list(pairwise)[int(np.flatnonzero(pos < 0)[0])]),
                             field="pairwise")
    if len(set(pos.tolist())) != len(pos) or len(pos) < 2:
        raise SmmrubricError("needs at least two distinct candidates", field="pairwise")
    return pos


def _first_share(u: np.ndarray, rel_tol: float) -> np.ndarray:
    """Share of first place per column of ``u`` (rows = candidates, columns = scenarios), ties split."""
    top = u.max(axis=0, keepdims=True)
    tied = u >= top - rel_tol * np.abs(top)
    return tied / tied.sum(axis=0, keepdims=True)


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
    (``1/k`` if it ties with ``k - 1`` others). For the additive score a candidate's winning weights
    form a convex set (the simplex cut by the half-spaces ``u_i >= u_k``), so its centroid wins and
    ``p_i^c = 1`` for every candidate with ``b_i^1 > 0`` -- short of ties, or of a Monte Carlo
    centroid that lands just outside a sliver-thin winning set. Ties share ranks equally (module doc).

    Parameters
    ----------
    scores
        Candidates x competencies (index ``candidate_id``, columns ``competency_id``); with a
        ``score_sampler``, the point scores used to label the result (same candidates and competencies).
    weights
        A weight sampler (:func:`~.samplers.uniform_weights`, :func:`~.samplers.local_weights`,
        :func:`~.samplers.ordinal_weights`) over the same competencies, or ``"uniform"``.
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
    """
    x = _score_frame(scores)
    ranks = check_choice(ranks, "ranks", ("all", "first"))
    if isinstance(weights, str):
        check_choice(weights, "weights", ("uniform",))
        weights = uniform_weights(list(x.columns))
    if not isinstance(weights, WeightSampler):
        raise SmmrubricError(f"must be a weight sampler or 'uniform', got {type(weights).__name__}", field="weights")
    if sorted(weights.competency_ids) != sorted(x.columns):
        extra = sorted(set(weights.competency_ids) ^ set(x.columns))
        raise SmmrubricError(f"the sampler's competencies differ from the score columns (e.g. {extra[0]!r})",
                             field="weights")
    x = x[weights.competency_ids]
    n_samples = check_int(n_samples, "n_samples", low=1)
    n, m = x.shape
    if score_sampler is not None:
        if not isinstance(score_sampler, ScoreSampler):
            raise SmmrubricError(f"must be a ScoreSampler, got {type(score_sampler).__name__}",
                                 field="score_sampler")
        if (list(map(str, score_sampler.candidate_ids)) != list(map(str, x.index))
                or sorted(score_sampler.competency_ids) != sorted(x.columns)):
            raise SmmrubricError("must draw the same candidates (in the same order) and competencies as scores",
                                 field="score_sampler")
        col_order = [score_sampler.competency_ids.index(c) for c in x.columns]
    if chunk_size is None:
        per = n * (m if score_sampler is not None else 1)
        chunk_size = max(1, min(n_samples, CHUNK_ELEMENTS // max(1, per)))
    chunk_size = check_int(chunk_size, "chunk_size", low=1)
    pair_idx = _pair_index(pairwise, x.index)

    rng = as_rng(seed)
    w_rng, x_rng, c_rng = rng.spawn(3)
    full = ranks == "all"
    acc = _Accumulator(n, m, full, pair_idx)
    xv = x.to_numpy()
    shift = 1.0 - xv.min()  # utilities of shifted scores are >= 1: positive floats sort like their bits
    ties = score_sampler is not None or _duplicate_profiles(xv[:, weights.active])
    xt = np.ascontiguousarray((xv + shift).T)
    buf = np.empty((chunk_size, n))
    n_chunks = -(-n_samples // chunk_size)
    chunks = weights.chunks(n_samples, w_rng, chunk_size)
    try:
        for w in progress_iter(chunks, total=n_chunks, progress=progress, desc="SMAA"):
            u = buf[:len(w)]
            if score_sampler is None:
                np.matmul(w, xt, out=u)
            else:
                xs = score_sampler.sample(len(w), x_rng)[:, :, col_order]
                np.matmul(xs + shift_of(xs), w[:, :, None], out=u[:, :, None])
            if ties:
                acc.add_tied(u, w)
            else:
                acc.add_fast(u, w)
    finally:
        acc.close()

    b = acc.rank_matrix() / n_samples
    first = b[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = acc.wsum / (first[:, None] * n_samples)
    central[first <= 0] = np.nan
    confidence = _confidence(xv, central, score_sampler, col_order if score_sampler is not None else None,
                             n_samples, chunk_size, c_rng, acc.rel_tol, progress)
    cid = x.index.rename("candidate_id")
    rank_cols = pd.Index(np.arange(1, b.shape[1] + 1), name="rank")
    pair = None
    if pair_idx is not None:
        labels = cid[pair_idx]
        c = acc.pair / n_samples
        np.fill_diagonal(c, np.nan)  # c_ii is not defined
        pair = pd.DataFrame(c, index=labels, columns=labels.rename("versus"))
    return SMAAResult(
        rank_acceptability=pd.DataFrame(b, index=cid, columns=rank_cols),
        central_weights=pd.DataFrame(central, index=cid, columns=pd.Index(weights.competency_ids, name="competency_id")),
        confidence=pd.Series(confidence, index=cid, name="confidence"),
        pairwise=pair,
        n_samples=n_samples,
        sampler=repr(weights),
        score_uncertainty=score_sampler is not None,
        ties=bool(ties),
        meta={"chunk_size": chunk_size, "shift": shift},
    )


def shift_of(xs: np.ndarray) -> float:
    """Constant that makes every sampled score >= 1 (a common shift leaves rankings unchanged)."""
    return 1.0 - float(xs.min())


def _confidence(xv: np.ndarray, central: np.ndarray, score_sampler: ScoreSampler | None,
                col_order: list[int] | None, n_samples: int, chunk_size: int, rng: np.random.Generator,
                rel_tol: float, progress: bool | str) -> np.ndarray:
    out = np.full(len(xv), np.nan)
    has = np.flatnonzero(~np.isnan(central[:, 0]))
    if len(has) == 0:
        return out
    wc = central[has]  # (k, m)
    if score_sampler is None:
        share = _first_share((xv + (1.0 - xv.min())) @ wc.T, rel_tol)  # (n, k)
        out[has] = share[has, np.arange(len(has))]
        return out
    total = np.zeros(len(has))
    step = max(1, min(chunk_size, CHUNK_ELEMENTS // max(1, len(xv) * max(len(has), xv.shape[1]))))
    starts = range(0, n_samples, step)
    for s in progress_iter(starts, total=len(starts), progress=progress, desc="confidence"):
        xs = score_sampler.sample(min(step, n_samples - s), rng)[:, :, col_order]
        u = (xs + shift_of(xs)) @ wc.T  # (size, n, k)
        top = u.max(axis=1, keepdims=True)
        tied = u >= top - rel_tol * np.abs(top)
        share = tied / tied.sum(axis=1, keepdims=True)
        total += share[:, has, np.arange(len(has))].sum(axis=0)
    out[has] = total / n_samples
    return out
