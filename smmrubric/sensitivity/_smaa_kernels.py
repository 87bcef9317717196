"""Integer tallies and array kernels behind :func:`smmrubric.sensitivity.smaa` (see its module docstring).

Everything here counts: how many draws put a score profile (a group of identical candidates) at each rank,
how many draws found a tie group of each size, how many draws one candidate beat another. Counts are
integers, so they do not depend on the CPU, the threading or the order in which chunks are added; the
statistics are formed from them once, at the end, with one exact division (:func:`exact_ratio`).

Ties (see the tie rules in :mod:`smmrubric.sensitivity.smaa`): identical score profiles are merged up
front (:class:`Profiles`); where utilities of different profiles or candidates can be equal, they are tied
when they differ by at most the tie tolerance ``tol`` (single linkage: a run of values each within ``tol``
of the next is one tie group, :func:`tie_groups`, :func:`top_group`), so values equal up to rounding noise
are tied on every CPU.
"""

from __future__ import annotations

import math
import os
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

#: Utilities multiplied, tagged and sorted at a time (1 MB: stays in the CPU cache between the passes).
SORT_BLOCK_ELEMENTS = 1 << 17
#: Profile numbers held for one round of counting (16 MB): many draws per ``np.bincount`` call.
COUNT_ELEMENTS = 1 << 23
#: Sparse tie records held before they are merged.
SPARSE_MERGE = 1 << 20
#: Utilities handled at a time by the exact tie-grouping path (8 MB per work array).
TIE_BLOCK_ELEMENTS = 1 << 20
_TWO_53 = 1 << 53


# --------------------------------------------------------------------------- profiles


def snap_columns(x: np.ndarray, tol: float) -> np.ndarray:
    """``x`` with the values of each column that agree within ``tol`` (single linkage) set to their group's
    smallest value, so that score profiles equal up to rounding noise compare equal."""
    if len(x) < 2:
        return x + 0.0
    order = np.argsort(x, axis=0, kind="stable")
    v = np.take_along_axis(x, order, axis=0)
    new = np.ones(v.shape, dtype=bool)
    new[1:] = (v[1:] - v[:-1]) > tol
    start = np.maximum.accumulate(np.where(new, np.arange(len(x))[:, None], 0), axis=0)
    out = np.empty_like(x)
    np.put_along_axis(out, order, np.take_along_axis(v, start, axis=0), axis=0)
    return out + 0.0  # -0.0 -> 0.0


@dataclass(frozen=True)
class Profiles:
    """The distinct score profiles (on the competencies that can get weight) and who holds each.

    Profiles are numbered in lexicographic order of their scores, so the numbering (which breaks the order of
    two different profiles whose utilities agree to about 1e-10 of the score range, see :class:`RankCounter`)
    does not depend on the order of the candidates; ``of`` maps each candidate to its profile; ``sizes``
    counts the candidates per profile.
    """

    values: np.ndarray
    of: np.ndarray
    sizes: np.ndarray

    @classmethod
    def build(cls, x: np.ndarray, tol: float) -> Profiles:
        values, of, sizes = np.unique(snap_columns(x, tol), axis=0, return_inverse=True, return_counts=True)
        return cls(values, np.asarray(of).ravel().astype(np.intp), sizes.astype(np.int64))

    @property
    def n(self) -> int:
        """Number of distinct profiles."""
        return len(self.values)


def binade_shift(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Shift scores so that every utility ``w . x`` (weights summing to 1) lies in one binade ``[2^k, 2^(k+1))``.

    With ``R`` the range of the scores and ``2^k >= 4R``, ``x - min + 1.25 * 2^k`` gives utilities in
    ``[1.25, 1.5] * 2^k``: positive doubles with one exponent, whose bit patterns (as int64) order like the
    values and differ by exactly the gap in units of ``2^(k - 52)``. A common shift leaves every ranking
    unchanged. Returns the shifted scores and ``k``.
    """
    low, spread = float(values.min()), float(values.max() - values.min())
    k = math.ceil(math.log2(spread)) + 2 if spread > 0 else 0
    return (values - low) + math.ldexp(1.25, k), k


# --------------------------------------------------------------------------- exact tie groups


def tie_groups(u: np.ndarray, sizes: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Tie groups of each row of ``u`` (draws x profiles): the group's size and first rank, per entry.

    Sorted values whose gap is ``<= tol`` are in one group (single linkage). A group's size ``G`` counts
    candidates (``sizes`` per profile), its start ``s`` is the number of candidates ranked above it (0 = the
    group holds rank 1). Returns ``(G, s)``, both shaped like ``u``.
    """
    rows, k = u.shape
    order = np.argsort(u, axis=1, kind="stable")
    v = np.take_along_axis(u, order, axis=1)
    sz = sizes[order]
    pos = np.broadcast_to(np.arange(k), (rows, k))
    new = np.ones((rows, k), dtype=bool)
    new[:, 1:] = (v[:, 1:] - v[:, :-1]) > tol
    last = np.ones((rows, k), dtype=bool)
    last[:, :-1] = new[:, 1:]
    first_pos = np.maximum.accumulate(np.where(new, pos, 0), axis=1)
    last_pos = np.minimum.accumulate(np.where(last, pos, k - 1)[:, ::-1], axis=1)[:, ::-1]
    cum = np.cumsum(sz, axis=1)
    upto = np.take_along_axis(cum, last_pos, axis=1)
    size = upto - np.take_along_axis(cum, first_pos, axis=1) + np.take_along_axis(sz, first_pos, axis=1)
    start = cum[:, -1:] - upto
    g_out, s_out = np.empty((rows, k), dtype=np.int64), np.empty((rows, k), dtype=np.int64)
    np.put_along_axis(g_out, order, size, axis=1)
    np.put_along_axis(s_out, order, start, axis=1)
    return g_out, s_out


def top_group(u: np.ndarray, sizes: np.ndarray, tol: float, axis: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The tie group holding rank 1 along ``axis`` of ``u`` (the profiles' axis): a membership mask shaped like
    ``u`` and the group's size (``u``'s shape without ``axis``).

    The same single-linkage rule as :func:`tie_groups` (a value joins when the gap to the group's lowest
    member is ``<= tol``), without sorting.
    """
    member = (u.max(axis=axis, keepdims=True) - u) <= tol
    if (member.sum(axis=axis) > 1).any():  # a tie at the top somewhere: let the groups grow down the chain
        while True:
            low = np.where(member, u, np.inf).min(axis=axis, keepdims=True)
            grown = (low - u) <= tol
            if not (grown & ~member).any():
                break
            member |= grown
    shape = [1] * u.ndim
    shape[axis] = -1
    return member, (member * sizes.reshape(shape)).sum(axis=axis)


# --------------------------------------------------------------------------- integer tallies


class Tally:
    """Integer counts per score profile, rank and tie-group size, and the weight sums behind central weights.

    * ``own[r, P]``: draws in which profile ``P``'s candidates formed a tie group on their own and one of
      them held rank ``r`` (a group of ``g`` identical candidates occupies ``g`` ranks, so each member's
      share of rank ``r`` is ``own[r, P] / g``);
    * sparse records ``(G, P, s)``: draws in which ``P`` was part of a larger tie group of ``G`` candidates
      starting at rank ``s`` (each member holds ``1/G`` of ranks ``s .. s+G-1``);
    * ``ws_own[P]`` and ``ws[G][P]``: sums of the weight vectors of the draws in which ``P`` was first (alone,
      or in a tie group of ``G``);
    * ``wins[i, k]``: draws in which candidate ``i``'s utility exceeded ``k``'s by more than the tolerance.
    """

    def __init__(self, sizes: np.ndarray, n_ranks: int, m: int, n_pairs: int) -> None:
        self.sizes = sizes
        self.n_prof = len(sizes)
        self.n_ranks = n_ranks
        self.own = np.zeros((n_ranks, self.n_prof), dtype=np.int64)
        self.ws_own = np.zeros((self.n_prof, m))
        self.ws: dict[int, np.ndarray] = {}
        self.wins = np.zeros((n_pairs, n_pairs), dtype=np.int64) if n_pairs else None
        self._keys: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        self._counts = np.zeros(0, dtype=np.int64)
        self._pending = 0
        self.exact_rows = 0

    # -- adding ------------------------------------------------------------------------------------
    def add_winners(self, prof: np.ndarray, w: np.ndarray) -> None:
        """Weight sums of draws won by one profile alone (``prof == n_prof`` marks a draw to skip)."""
        m = w.shape[1]
        flat = (prof[:, None] * m + np.arange(m)).ravel()
        sums = np.bincount(flat, weights=w.ravel(), minlength=(self.n_prof + 1) * m)
        self.ws_own += sums[: self.n_prof * m].reshape(self.n_prof, m)

    def add_groups(self, size: np.ndarray, start: np.ndarray, w: np.ndarray) -> None:
        """Add exact tie groups: ``size`` and ``start`` (draws x profiles) from :func:`tie_groups` or, with
        ``start`` 0/-1 for first-place members only, from :func:`top_group`."""
        self.exact_rows += len(w)
        rows, cols = np.nonzero(start < self.n_ranks)
        g, s = size[rows, cols], start[rows, cols]
        alone = g == self.sizes[cols]
        # alone: the profile's own candidates occupy ranks s .. s+g-1
        if alone.any():
            ga, sa, pa = g[alone], s[alone], cols[alone]
            span = int(ga.max())
            r = sa[:, None] + np.arange(span)
            ok = np.arange(span) < ga[:, None]
            ok &= r < self.n_ranks
            p = np.broadcast_to(pa[:, None], r.shape)
            np.add.at(self.own.reshape(-1), (r * self.n_prof + p)[ok], 1)
            won = sa == 0
            self.add_winners(pa[won], w[rows[alone][won]])
        mixed = ~alone
        if mixed.any():
            gm, sm, pm = g[mixed], s[mixed], cols[mixed]
            self._add_sparse(((gm - 1) * self.n_prof + pm) * self.n_ranks + sm)
            won = sm == 0
            for size_g in np.unique(gm[won]):
                pick = won & (gm == size_g)
                m = w.shape[1]
                flat = (pm[pick][:, None] * m + np.arange(m)).ravel()
                sums = np.bincount(flat, weights=w[rows[mixed][pick]].ravel(), minlength=self.n_prof * m)
                key = int(size_g)
                self.ws[key] = self.ws.get(key, 0.0) + sums.reshape(self.n_prof, m)

    def _add_sparse(self, keys: np.ndarray) -> None:
        self._keys.append(keys)
        self._pending += len(keys)
        if self._pending > SPARSE_MERGE:
            self._merge()

    def _merge(self) -> None:
        keys = np.concatenate(self._keys)
        counts = np.concatenate([self._counts, np.ones(len(keys) - len(self._counts), dtype=np.int64)])
        uniq, inverse = np.unique(keys, return_inverse=True)
        self._counts = np.bincount(inverse.ravel(), weights=counts, minlength=len(uniq)).astype(np.int64)
        self._keys = [uniq]
        self._pending = 0

    def add_pairs(self, v: np.ndarray, tol: float) -> None:
        """Pairwise wins over the columns of ``v`` (draws x the requested candidates)."""
        k = v.shape[1]
        step = max(1, TIE_BLOCK_ELEMENTS // max(1, k * k))
        for s in range(0, len(v), step):
            d = v[s : s + step, :, None] - v[s : s + step, None, :]
            self.wins += np.count_nonzero(d > tol, axis=0)

    # -- reading -----------------------------------------------------------------------------------
    def sparse(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The merged sparse records as ``(G, P, s, count)``."""
        self._merge()
        keys = self._keys[0]
        s = keys % self.n_ranks
        p = (keys // self.n_ranks) % self.n_prof
        g = keys // (self.n_ranks * self.n_prof) + 1
        return g, p, s, self._counts

    @property
    def ties(self) -> bool:
        """Whether any draw had tied candidates."""
        return bool((self.sizes > 1).any() or len(self.sparse()[0]))

    def denominator(self) -> int:
        """``L``: the least common multiple of every tie-group size met (1 without ties)."""
        return math.lcm(*{int(g) for g in self.sizes}, *{int(g) for g in np.unique(self.sparse()[0])})

    def numerators(self, n_samples: int) -> tuple[np.ndarray, int]:
        """Rank counts per profile in units of ``1/L`` draw: ``(n_ranks, n_prof)`` integers and ``L``.

        ``num[r, P] / (L N)`` is the rank-``r`` acceptability of each candidate of profile ``P``. Python
        integers (object arrays) are used if ``n_ranks * L * N`` could overflow int64. Reuses the tally's own
        counts as its output: call it once, at the end.
        """
        L = self.denominator()
        dtype = object if self.n_ranks * L * n_samples >= 1 << 62 else np.int64
        g, p, s, c = self.sparse()
        if L == 1 and not len(g) and dtype is np.int64:
            return self.own, L
        num = self.own if dtype is np.int64 else self.own.astype(dtype)  # the tally is read once, at the end
        if L > 1:
            num *= (L // self.sizes).astype(dtype)
        if len(g):
            rows, where = np.unique(p, return_inverse=True)
            diff = np.zeros((len(rows), self.n_ranks + 1), dtype=dtype)
            share = c.astype(dtype) * np.array([L // int(v) for v in g], dtype=dtype)
            np.add.at(diff, (where, s), share)
            np.add.at(diff, (where, np.minimum(s + g, self.n_ranks)), -share)
            num[:, rows] += np.cumsum(diff, axis=1)[:, : self.n_ranks].T
        return num, L

    def weight_sums(self) -> np.ndarray:
        """``sum over first places of w * share``, per profile and per member (share ``1/G``)."""
        out = self.ws_own / self.sizes[:, None]
        for g in sorted(self.ws):
            out = out + self.ws[g] / g
        return out


def exact_ratio(num: np.ndarray, den: int, bound: int | None = None) -> np.ndarray:
    """``num / den`` correctly rounded, for integer ``num`` (int64 or Python ints) and a positive int ``den``.

    ``bound``, if given, is a known upper bound of ``|num|`` (saves a pass over ``num``).
    """
    if bound is None:
        bound = int(np.abs(num).max()) if num.size else 0
    if num.dtype != object and den < _TWO_53 and bound < _TWO_53:
        return num / den  # both exact as doubles: one IEEE division
    return np.frompyfunc(lambda a: int(a) / den, 1, 1)(num).astype(float)


# --------------------------------------------------------------------------- the fast paths


class RankCounter:
    """All ranks, deterministic scores: one chunk of weight draws at a time.

    Per cache-sized block of draws: utilities of the distinct profiles ``U = W X'`` (one matmul, each in the
    binade of :func:`binade_shift`), each copied once per candidate of the profile, their lowest 16 bits
    replaced by the profile number, one in-place ``sort`` per row. Afterwards the low bits say which profile
    holds each rank; identical candidates get bit-identical keys, adjacent; two different profiles whose
    utilities agree in all but the 16 replaced bits (about 1e-10 of the score range) are ordered by number,
    a deterministic tie-break. The profile numbers are copied,
    transposed, into a (ranks x draws) buffer and counted rank by rank with ``np.bincount`` (in a worker
    thread while the next draws are sorted; counts are integers, so the threading cannot change them).

    With ``check_gaps`` (weights that can make different profiles tie, see :func:`smaa`), a row whose sorted
    keys of two *different* profiles are within the tolerance (plus the 16 dropped bits) is set aside and
    grouped exactly (:func:`tie_groups` on recomputed utilities).
    """

    def __init__(
        self,
        profiles: Profiles,
        xt: np.ndarray,
        k: int,
        tol: float,
        tally: Tally,
        pair_prof: np.ndarray | None,
        check_gaps: bool,
        n_samples: int,
    ) -> None:
        self.prof, self.xt, self.tol, self.tally, self.pair_prof = profiles, xt, tol, tally, pair_prof
        self.n = int(profiles.sizes.sum())
        self.n_prof = profiles.n
        self.bits = 32 if self.n_prof >= 1 << 16 else 16
        self.tag_dtype = np.uint32 if self.bits == 32 else np.uint16
        self._low = 0 if sys.byteorder == "little" else (64 // self.bits) - 1
        # columns: one per profile, then one more copy of a profile per extra identical candidate
        self.extra = np.repeat(np.arange(self.n_prof), profiles.sizes - 1)
        self.tags = np.concatenate([np.arange(self.n_prof), self.extra]).astype(self.tag_dtype)
        # two different profiles are flagged when their sorted keys differ by <= this many units
        flag_below = min(1 << 62, math.ceil(tol / math.ldexp(1.0, k - 52)) + (1 << self.bits))
        self.flag_at = np.uint64((1 << 64) - flag_below) if check_gaps and self.n > 1 else None
        self.block = max(1, SORT_BLOCK_ELEMENTS // self.n)
        self.u = np.empty((self.block, self.n))
        self.gap = np.empty((self.block, self.n - 1), dtype=np.int64) if self.flag_at is not None else None
        self.by_rank = np.zeros((self.n, self.n_prof + 1), dtype=np.int64)  # the last bin: rows set aside
        self._held: list[np.ndarray | None] = [None, None]
        self._which, self._filled = 0, 0
        self._capacity = min(n_samples, max(1, COUNT_ELEMENTS // self.n))
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future | None = None
        self._threads = (os.cpu_count() or 1) > 1

    def add(self, w: np.ndarray, wa: np.ndarray) -> None:
        """Add one chunk: ``w`` the full weight rows (central weights), ``wa`` their active columns."""
        rows = len(w)
        held = self._reserve(rows)
        idx = np.concatenate(
            [
                self._sort_block(wa[s : s + self.block], held[:, s : s + self.block]) + s
                for s in range(0, rows, self.block)
            ]
        )
        if len(idx):
            held[:, idx] = self.n_prof  # counted in the spare bin, then dropped
            self.tally.add_groups(*tie_groups(wa[idx] @ self.xt, self.prof.sizes, self.tol), w[idx])
        self.tally.add_winners(held[-1].astype(np.intp), w)

    def _sort_block(self, wb: np.ndarray, held: np.ndarray) -> np.ndarray:
        rows = len(wb)
        u = self.u[:rows]
        np.matmul(wb, self.xt, out=u[:, : self.n_prof])
        if self.pair_prof is not None:
            self.tally.add_pairs(u[:, self.pair_prof], self.tol)
        if len(self.extra):
            u[:, self.n_prof :] = u[:, self.extra]
        key = u.view(np.int64)
        low = key.view(self.tag_dtype)[:, self._low :: 64 // self.bits]  # the lowest 16 (32) bits of each key
        low[:] = self.tags
        u.sort(axis=1)
        flagged = np.zeros(0, dtype=np.intp)
        if self.flag_at is not None and self.gap is not None:
            # gap of each sorted pair as -(gap) mod 2^64: same-profile neighbours give 0, a gap of 1..F units
            # gives 2^64 - F .. 2^64 - 1, larger gaps give less
            gap = self.gap[:rows]
            np.subtract(key[:, :-1], key[:, 1:], out=gap)
            gu = gap.view(np.uint64)
            if gu.max() >= self.flag_at:
                flagged = np.flatnonzero((gu >= self.flag_at).any(axis=1))
        held[:] = low.T
        return flagged

    def _reserve(self, rows: int) -> np.ndarray:
        """Room for ``rows`` draws in the current (ranks x draws) buffer; a full buffer goes to be counted.

        Buffers hold about ``COUNT_ELEMENTS`` profile numbers (many draws per ``bincount``), two of them
        alternating: one is filled while the other may still be being counted.
        """
        buf = self._held[self._which]
        if buf is not None and self._filled + rows > buf.shape[1]:
            self._flush()
            buf = self._held[self._which]
        if buf is None or buf.shape[1] < rows:
            buf = self._held[self._which] = np.empty((self.n, max(rows, self._capacity)), dtype=self.tag_dtype)
        start, self._filled = self._filled, self._filled + rows
        return buf[:, start : self._filled]

    def _flush(self) -> None:
        """Count the filled part of the current buffer (in the worker thread) and switch buffers."""
        buf = self._held[self._which]
        if buf is None:
            return
        held = buf[:, : self._filled]
        self.wait()
        if self._threads:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1)
            self._pending = self._executor.submit(self._count, held)
        else:
            self._count(held)
        self._which, self._filled = self._which ^ 1, 0

    def _count(self, held: np.ndarray) -> None:
        bins, n = self.n_prof + 1, self.n
        for p in range(n):  # ascending position p holds rank n - 1 - p
            self.by_rank[n - 1 - p] += np.bincount(held[p], minlength=bins)

    def wait(self) -> None:
        """Wait for the pending count (re-raising its error, if any)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def close(self, complete: bool = True) -> None:
        """Count what is left, stop the worker thread and add the counts to the tally (``complete``)."""
        try:
            if complete and self._filled:
                self._flush()
            self.wait()
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None
        if complete:
            self.tally.own += self.by_rank[:, : self.n_prof]


def first_counts(
    wa: np.ndarray,
    w: np.ndarray,
    xt: np.ndarray,
    sizes: np.ndarray,
    tol: float,
    tally: Tally,
    pair_prof: np.ndarray | None,
    u_buf: np.ndarray,
    check_ties: bool,
) -> None:
    """First rank only, deterministic scores: per cache-sized block, the matmul and one ``argmax`` per row.

    With ``check_ties`` (see :class:`RankCounter`), also the runner-up: a draw whose best and second-best
    profiles are within the tolerance is grouped exactly (:func:`top_group`).
    """
    block = len(u_buf)
    wins = np.empty(len(wa), dtype=np.intp)
    close = np.zeros(len(wa), dtype=bool)
    for s in range(0, len(wa), block):
        e = min(len(wa), s + block)
        u = u_buf[: e - s]
        np.matmul(wa[s:e], xt, out=u)
        if pair_prof is not None:
            tally.add_pairs(u[:, pair_prof], tol)
        win = wins[s:e]
        u.argmax(axis=1, out=win)
        if check_ties and u.shape[1] > 1:
            r = np.arange(e - s)
            top = u[r, win]
            u[r, win] = -np.inf
            close[s:e] = (top - u.max(axis=1)) <= tol
            u[r, win] = top
            tied = np.flatnonzero(close[s:e])
            if len(tied):
                member, size = top_group(u[tied], sizes, tol)
                tally.add_groups(np.where(member, size[:, None], 0), np.where(member, 0, tally.n_ranks), w[s:e][tied])
    alone = np.flatnonzero(~close) if check_ties else slice(None)
    tally.own[0] += np.bincount(wins[alone], minlength=tally.n_prof)
    tally.add_winners(wins[alone], w[alone])


def sampled_counts(u: np.ndarray, w: np.ndarray, tol: float, tally: Tally, full: bool) -> None:
    """Sampled scores: every draw's utilities (draws x candidates) grouped exactly, block by block."""
    ones = tally.sizes
    block = max(1, TIE_BLOCK_ELEMENTS // u.shape[1])
    for s in range(0, len(u), block):
        ub, wb = u[s : s + block], w[s : s + block]
        if full:
            tally.add_groups(*tie_groups(ub, ones, tol), wb)
        else:
            member, size = top_group(ub, ones, tol)
            tally.add_groups(np.where(member, size[:, None], 0), np.where(member, 0, tally.n_ranks), wb)
