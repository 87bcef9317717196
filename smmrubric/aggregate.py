"""Rank aggregation: one consensus ranking from several experts' lists.

Every method takes the same input,

``rankings: Mapping[str, Sequence[item | tuple[item, ...]]]``
    ``{list_id: [first, second, ...]}``. An element is an item (a competency id, any hashable that is
    not a tuple) or a tuple (or set) of items the list ties at that place; a list may also be a numpy
    array or a pandas Series of items. An unordered list is ONE tie group:
    ``{"expert_b": [("a", "b", "c")]}``. :func:`rankings_from_expert_lists` builds this mapping from
    :func:`smmrubric.data.load_expert_lists`.
``weights: Mapping[str, float] | None``
    Optional non-negative weight of each list (for instance the number of voters who cast that
    ballot); every list counts once by default.

and returns a DataFrame indexed by ``item`` (every item named in at least one list), sorted by
``rank``, with at least the columns ``score`` and ``rank``. ``rank`` is a competition ranking
("1224"): 1 is the consensus' first place and tied items share the best rank of their group.

Conventions for partial lists and ties
--------------------------------------
Lists name different items and have different lengths. Let :math:`N` be the number of distinct items
over all lists and, in list :math:`l`, let :math:`\\pi_l(i)` be the position of item :math:`i`
(a tie group spanning positions :math:`s..s+g-1` gives each member :math:`s + (g-1)/2`).

* Borda: unranked items get no points from that list (see :func:`borda`).
* Pairwise methods (Kemeny, Schulze, MC4) use the weighted preference counts
  :math:`P_{ij} = \\sum_l w_l [i \\succ_l j]` where list :math:`l` prefers :math:`i` to :math:`j` when it
  places :math:`i` in an earlier tie group than :math:`j`, or names :math:`i` and not :math:`j` (a
  list is a top-k list: what the expert leaves out ranks below what they name). Two tied items, or
  two items a list leaves out, give no preference either way. See :func:`pairwise_preferences`.
* RRA normalises ranks by :math:`N` and gives an unranked item the normalised rank 1, as
  RobustRankAggreg does for partial lists (see :func:`rra`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .errors import SmmrubricError
from .ranking import TIE_TOLERANCE, argsort_ties, id_order, rank_scores, snap_ties, sort_series
from .validation import check_unique, check_weights

__all__ = [
    "METHODS",
    "borda",
    "consensus_table",
    "kemeny",
    "leave_one_out",
    "list_influence",
    "mc4",
    "method_agreement",
    "pairwise_preferences",
    "rankings_from_expert_lists",
    "rra",
    "schulze",
]


@dataclass(frozen=True)
class _Profile:
    """The rankings parsed once: lists x items arrays that every method works on."""

    list_ids: list[str]
    items: list[Hashable]
    position: np.ndarray  # (L, N) float, average position (1-based) of the item's tie group; NaN unranked
    group: np.ndarray  # (L, N) int, 0-based index of the item's tie group; -1 unranked
    length: np.ndarray  # (L,) int, number of items each list names
    weight: np.ndarray  # (L,) float


def _parse(rankings: Any, weights: Any = None, *, field: str = "rankings") -> _Profile:
    """Check and parse ``rankings`` (and ``weights``) into a :class:`_Profile`."""
    if not isinstance(rankings, Mapping) or len(rankings) == 0:
        raise SmmrubricError("must be a non-empty mapping {list_id: [item or tuple of tied items, ...]}", field=field)
    items: dict[Hashable, int] = {}
    parsed: list[list[tuple[Hashable, ...]]] = []
    for list_id, ranking in rankings.items():
        if isinstance(ranking, (np.ndarray, pd.Series, pd.Index)):
            ranking = ranking.tolist()
        if isinstance(ranking, (str, bytes)):
            raise SmmrubricError(
                f"must be a list of items, not a string (for one-letter items write list({ranking!r}))",
                row=str(list_id),
                field=field,
            )
        if not isinstance(ranking, Sequence) or len(ranking) == 0:
            raise SmmrubricError(
                f"must be a non-empty list of items or tuples of tied items, got {ranking!r}",
                row=str(list_id),
                field=field,
            )
        groups = []
        seen: set[Hashable] = set()
        for place, element in enumerate(ranking, start=1):
            if isinstance(element, (set, frozenset)):  # a set of tied items: fix an order, by text
                element = tuple(sorted(element, key=str))
            group = tuple(element) if isinstance(element, tuple) else (element,)
            if len(group) == 0:
                raise SmmrubricError(f"place {place} is an empty tie group", row=str(list_id), field=field)
            for item in group:
                if isinstance(item, tuple):
                    raise SmmrubricError(
                        f"place {place}: tie groups cannot be nested, got {element!r}", row=str(list_id), field=field
                    )
                try:
                    hash(item)
                except TypeError:
                    raise SmmrubricError(
                        f"place {place}: items must be hashable, got {item!r}", row=str(list_id), field=field
                    ) from None
                if item is None or item is pd.NA or (isinstance(item, float) and np.isnan(item)):
                    raise SmmrubricError(f"place {place}: missing item {item!r}", row=str(list_id), field=field)
                if item in seen:
                    raise SmmrubricError(f"item {item!r} appears twice", row=str(list_id), field=field)
                seen.add(item)
                items.setdefault(item, len(items))
            groups.append(group)
        parsed.append(groups)
    list_ids = [str(k) for k in rankings]
    check_unique(list_ids, f"{field} (list ids as text)")
    n_lists, n_items = len(parsed), len(items)
    position = np.full((n_lists, n_items), np.nan)
    group_index = np.full((n_lists, n_items), -1, dtype=int)
    length = np.zeros(n_lists, dtype=int)
    for row, groups in enumerate(parsed):
        start = 1
        for g, group in enumerate(groups):
            cols = [items[item] for item in group]
            position[row, cols] = start + (len(group) - 1) / 2
            group_index[row, cols] = g
            start += len(group)
        length[row] = start - 1
    weight = _list_weights(rankings, weights)
    return _Profile(list_ids, list(items), position, group_index, length, weight)


def _list_weights(rankings: Mapping, weights: Any) -> np.ndarray:
    if weights is None:
        return np.ones(len(rankings))
    if not isinstance(weights, Mapping):
        raise SmmrubricError("must be a mapping {list_id: weight} or None", field="weights")
    unknown = [k for k in weights if k not in rankings]
    if unknown:
        raise SmmrubricError(f"weight given for unknown list {unknown[0]!r}", row=str(unknown[0]), field="weights")
    missing = [k for k in rankings if k not in weights]
    if missing:
        raise SmmrubricError("no weight for this list", row=str(missing[0]), field="weights")
    series = pd.Series({str(k): weights[k] for k in rankings}, dtype=object)
    return np.asarray(check_weights(series, "weights"), dtype=float)


def _result(profile: _Profile, score: np.ndarray, rank: np.ndarray, **extra: Any) -> pd.DataFrame:
    """Assemble the common output: indexed by item, sorted by rank, then by item id (as text)."""
    out = pd.DataFrame({"score": score, "rank": rank.astype(int), **extra}, index=pd.Index(profile.items, name="item"))
    return out.iloc[np.lexsort((id_order(profile.items), rank))]


def _competition_rank(score: np.ndarray, *, higher_is_better: bool = True) -> np.ndarray:
    """Competition ("1224") ranks via :func:`smmrubric.ranking.rank_scores` (ties within a relative 1e-9)."""
    s = np.asarray(score, dtype=float)
    return rank_scores(s if higher_is_better else -s).to_numpy(dtype=int)


def borda(rankings: Mapping[str, Sequence[Any]], weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Borda count over (partial, tied) lists.

    Each list gives item :math:`i` the points :math:`N - \\pi_l(i)`, where :math:`N` is the number of
    distinct items over all lists and :math:`\\pi_l(i)` its position in list :math:`l`: a complete
    list gives :math:`N-1, N-2, \\dots, 0` points (Borda 1781; the textbook count, e.g. the Tennessee
    capital example gives Nashville 194, Chattanooga 173, Memphis 126, Knoxville 107). Items a list
    does not name get no points from it ("pessimistic" treatment of truncated ballots), so naming an
    item at any place is worth more than leaving it out. Tied items share the average of the points
    of the positions they span (an unordered list of :math:`m` items gives each
    :math:`N - (m+1)/2`).

    .. math:: B(i) = \\sum_l w_l \\, [i \\in l] \\, (N - \\pi_l(i))

    Parameters
    ----------
    rankings, weights
        See the module docstring.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item``: ``score`` (the Borda points :math:`B(i)`, higher is better), ``rank``
        (competition rank by descending score, 1 = consensus first), ``n_lists`` (summed weight of
        the lists naming the item).
    """
    profile = _parse(rankings, weights)
    score = _borda_points(profile)
    named = profile.weight @ ~np.isnan(profile.position)
    return _result(profile, score, _competition_rank(score), n_lists=named)


def _borda_points(profile: _Profile) -> np.ndarray:
    n_items = len(profile.items)
    points = np.where(np.isnan(profile.position), 0.0, n_items - profile.position)
    return profile.weight @ points


def pairwise_preferences(
    rankings: Mapping[str, Sequence[Any]], weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Weighted pairwise preference counts :math:`P_{ij}` (row item preferred to column item).

    .. math:: P_{ij} = \\sum_l w_l \\, [g_l(i) < g_l(j)]

    with :math:`g_l(i)` the index of item :math:`i`'s tie group in list :math:`l` and
    :math:`g_l(i) = \\infty` when the list does not name it: a list prefers what it names to what it
    leaves out, and says nothing about two tied items or two items it leaves out.

    Parameters
    ----------
    rankings, weights
        See the module docstring.

    Returns
    -------
    pandas.DataFrame
        Square, rows and columns the items in order of first appearance; zero diagonal.
    """
    profile = _parse(rankings, weights)
    return pd.DataFrame(
        _preferences(profile), index=pd.Index(profile.items, name="item"), columns=pd.Index(profile.items, name="item")
    )


def _preferences(profile: _Profile) -> np.ndarray:
    g = np.where(profile.group < 0, np.iinfo(np.int64).max, profile.group).astype(np.int64)
    prefers = g[:, :, None] < g[:, None, :]  # (L, N, N)
    return np.einsum("l,lij->ij", profile.weight, prefers.astype(float))


def rankings_from_expert_lists(expert_lists: pd.DataFrame) -> dict[str, list[Any]]:
    """Turn :func:`smmrubric.data.load_expert_lists` output into the aggregation input.

    Order is used only where it is importance: a list whose ``ranked`` flag is true (the author says the
    order is importance) becomes its competency ids in order (:func:`smmrubric.data.expert_list_ids`; a
    competency named twice counts at its first position); every other list, numbered or not, becomes a
    single tie group ``[(id1, id2, ...)]``.

    Returns
    -------
    dict
        ``{list_id: [competency_id, ...]}`` or ``{list_id: [(competency_id, ...)]}``.
    """
    from .data import expert_list_ids

    ids = expert_list_ids(expert_lists)
    if "ranked" not in expert_lists.columns:
        raise SmmrubricError("needs the column 'ranked' from load_expert_lists", field="expert_lists")
    ranked = expert_lists.groupby("list_id", sort=False)["ranked"].first()
    return {list_id: (list(items) if bool(ranked[list_id]) else [tuple(items)]) for list_id, items in ids.items()}


def kemeny(rankings: Mapping[str, Sequence[Any]], weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Kemeny-Young consensus, exact, with a stated rule among tied optima and their number.

    The Kemeny ranking is the order :math:`\\sigma` of all :math:`N` items that agrees with the most
    weighted pairwise preferences (Kemeny 1959; Young & Levenglick 1978):

    .. math:: \\max_\\sigma \\sum_{i \\succ_\\sigma j} P_{ij}

    with :math:`P_{ij}` from :func:`pairwise_preferences` (a list prefers what it places earlier,
    and what it names to what it leaves out; ties and two unnamed items say nothing). Maximising
    agreements is the same as minimising the Kemeny distance :math:`\\sum_{i \\succ_\\sigma j} P_{ji}`
    to the lists, since :math:`P_{ij} + P_{ji}` does not depend on :math:`\\sigma`.

    How it is solved. With the margins :math:`M_{ij} = P_{ij} - P_{ji}` (equal within the tie
    tolerance of :mod:`smmrubric.ranking` counts as 0), the items split into the finest sequence of
    blocks :math:`B_1, B_2, \\dots` such that every item of an earlier block beats every item of a
    later block (:math:`M_{ij} > 0`): the strongly connected components of the relation "does not
    beat". Every Kemeny ranking puts the blocks in that order (the extended Condorcet property of
    Kemeny's rule, Truchon 1998: otherwise swapping an adjacent out-of-order pair gains), so the
    optimum is the concatenation of each block's optimal orders and the number of optimal rankings
    is the product of the blocks' numbers. Within a block:

    * all margins 0: every order is optimal (:math:`|B|!` of them);
    * up to 16 items: exact dynamic programming over subsets, :math:`h(S) = \\max_{i \\in S}
      \\big(\\sum_{j \\in S \\setminus i} P_{ij} + h(S \\setminus i)\\big)`, which also counts the
      optimal orders;
    * larger: the binary integer program of Conitzer, Davenport & Kalagnanam (2006), one
      :math:`x_{ij}` per pair with the transitivity constraints, solved by HiGHS
      (``scipy.optimize.milp``) with a zero gap; the number of optima is then not counted.

    Which optimal ranking is returned (a documented rule, so that the result does not rest on a
    solver's choice): the reference order is Borda's (:func:`borda`, ties within the tolerance broken
    by item id as text); the returned ranking is the **lexicographically first optimal ranking** in
    that reference: its first item is the earliest reference item that starts some optimal ranking,
    its second the earliest that can follow, and so on. (For a block solved by the integer program, the
    optimal ranking with the fewest pairwise disagreements with the reference order is returned
    instead.)

    Parameters
    ----------
    rankings, weights
        See the module docstring.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item``: ``rank`` (position in the Kemeny order, 1 = first; all ranks distinct) and
        ``score`` = :math:`\\sum_{j \\text{ after } i} P_{ij}`, the agreements the item's place earns;
        the scores sum to the Kemeny score, also in ``attrs["kemeny_score"]`` (Tennessee: 393).
        Rank follows the order, not the score. ``margin_next`` = :math:`P_{ij} - P_{ji}` with
        :math:`j` the next item (NaN for the last): never negative at the optimum, and 0 where
        swapping the two gives another Kemeny ranking. ``attrs["n_optimal"]``: how many rankings tie
        for the optimum (an int; None when a block was too large to count), and
        ``attrs["block_sizes"]``: the sizes of the blocks above, in order.
    """
    profile = _parse(rankings, weights)
    pref = _preferences(profile)
    n = len(profile.items)
    tol = TIE_TOLERANCE * max(1.0, float(profile.weight.sum()) * max(n, 1))
    margin = pref - pref.T
    beats = margin > tol
    reference = np.empty(n, dtype=np.int64)  # position of each item in the reference order
    reference[argsort_ties(_borda_points(profile), [str(i) for i in profile.items])] = np.arange(n)
    order: list[int] = []
    n_optimal: int | None = 1
    blocks = _kemeny_blocks(beats)
    for block in blocks:
        sub = pref[np.ix_(block, block)]
        local, count = _kemeny_block(sub, reference[block], tol)
        order.extend(int(block[i]) for i in local)
        n_optimal = None if (count is None or n_optimal is None) else n_optimal * count
    order_arr = np.asarray(order, dtype=int)
    place = np.empty(n, dtype=int)
    place[order_arr] = np.arange(1, n + 1)
    after = place[None, :] > place[:, None]
    score = (pref * after).sum(axis=1)
    following = np.full(n, -1)
    following[order_arr[:-1]] = order_arr[1:]
    has_next = following >= 0
    margin_next = np.full(n, np.nan)
    margin_next[has_next] = snap_ties(margin[has_next, following[has_next]])
    out = _result(profile, score, place, margin_next=margin_next)
    out.attrs["kemeny_score"] = float(score.sum())
    out.attrs["n_optimal"] = n_optimal
    out.attrs["block_sizes"] = [len(b) for b in blocks]
    return out


#: Largest block solved (and counted) by the subset dynamic program in :func:`kemeny`.
_KEMENY_DP_MAX = 16


def _kemeny_blocks(beats: np.ndarray) -> list[np.ndarray]:
    """Blocks of items in Kemeny order: every item of a block beats every item of each later block."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    n = beats.shape[0]
    not_beat = ~beats & ~np.eye(n, dtype=bool)  # i -> j: i does not beat j, so i is not in an earlier block
    n_blocks, label = connected_components(csr_matrix(not_beat), directed=True, connection="strong")
    members = [np.flatnonzero(label == b) for b in range(n_blocks)]
    # an earlier block beats every later item: order blocks by how many items their first member beats
    wins = np.array([beats[m[0]].sum() for m in members])
    return [members[b] for b in np.argsort(-wins, kind="stable")]


def _kemeny_block(pref: np.ndarray, reference: np.ndarray, tol: float) -> tuple[list[int], int | None]:
    """Optimal order of one block (lexicographically first in ``reference``) and the number of optima."""
    n = pref.shape[0]
    by_reference = list(np.argsort(reference, kind="stable"))
    if n == 1 or np.all(np.abs(pref - pref.T) <= tol):
        return by_reference, math.factorial(n)
    if n > _KEMENY_DP_MAX:
        return _kemeny_milp(pref, reference), None
    size = 1 << n
    gain = np.zeros((n, size))  # gain[i, S] = sum_{j in S} P[i, j]
    for b in range(n):
        gain[:, 1 << b : 1 << (b + 1)] = gain[:, : 1 << b] + pref[:, b][:, None]
    best = np.full(size, -np.inf)
    count = np.zeros(size, dtype=np.int64)
    best[0], count[0] = 0.0, 1
    subsets = np.arange(size)
    popcount = np.zeros(size, dtype=np.int64)
    for b in range(n):
        popcount += (subsets >> b) & 1
    for k in range(1, n + 1):
        layer = subsets[popcount == k]
        candidates = np.full((n, layer.size), -np.inf)
        for i in range(n):
            has = (layer >> i) & 1 == 1
            rest = layer[has] ^ (1 << i)
            candidates[i, has] = gain[i, rest] + best[rest]
        top = candidates.max(axis=0)
        best[layer] = top
        for i in range(n):
            hit = candidates[i] >= top - tol
            count[layer[hit]] += count[layer[hit] ^ (1 << i)]
    order, left = [], size - 1
    while left:
        for i in by_reference:
            if (left >> i) & 1 and gain[i, left ^ (1 << i)] + best[left ^ (1 << i)] >= best[left] - tol:
                order.append(int(i))
                left ^= 1 << i
                break
    return order, int(count[size - 1])


def _kemeny_milp(pref: np.ndarray, reference: np.ndarray) -> list[int]:
    """Kemeny order of a large block by integer programming (Conitzer, Davenport & Kalagnanam 2006)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n = pref.shape[0]
    iu, ju = np.triu_indices(n, k=1)
    var = np.full((n, n), -1)
    var[iu, ju] = np.arange(iu.size)
    cost = -(pref[iu, ju] - pref[ju, iu])
    i, j, k = (a.ravel() for a in np.meshgrid(*(np.arange(n),) * 3, indexing="ij"))
    keep = (i < j) & (j < k)
    i, j, k = i[keep], j[keep], k[keep]
    rows = np.repeat(np.arange(i.size), 3)
    cols = np.column_stack([var[i, j], var[j, k], var[i, k]]).ravel()
    vals = np.tile([1.0, 1.0, -1.0], i.size)
    constraints = [LinearConstraint(coo_matrix((vals, (rows, cols)), shape=(i.size, iu.size)).tocsr(), 0, 1)]
    solve = {"integrality": np.ones(iu.size), "bounds": Bounds(0, 1), "options": {"mip_rel_gap": 0.0}}
    res = milp(cost, constraints=constraints, **solve)
    if not res.success:  # pragma: no cover - HiGHS always solves this feasible bounded program
        raise SmmrubricError(f"the Kemeny integer program failed: {res.message}", field="rankings")
    # second stage: among the optimal rankings, the one closest to the reference order
    best = float(cost @ np.round(res.x))
    tol = TIE_TOLERANCE * max(1.0, float(np.abs(cost).sum()))
    tie_break = -np.sign(reference[ju] - reference[iu]).astype(float)
    res2 = milp(tie_break, constraints=[*constraints, LinearConstraint(cost[None, :], -np.inf, best + tol)], **solve)
    if res2.success:
        res = res2
    x = np.zeros((n, n))
    x[iu, ju] = np.round(res.x)
    x[ju, iu] = 1 - x[iu, ju]
    # a transitive tournament: the number of items each one precedes fixes its place
    return [int(v) for v in np.argsort(-x.sum(axis=1), kind="stable")]


def schulze(rankings: Mapping[str, Sequence[Any]], weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Schulze method (beatpath, winning votes; Schulze 2011, Social Choice and Welfare 36:267-303).

    From the pairwise counts :math:`d = P` (:func:`pairwise_preferences`), a link :math:`i \\to j`
    has strength :math:`d_{ij}` when :math:`d_{ij} > d_{ji}` (winning votes, section 4.1) and 0
    otherwise. The strength :math:`p_{ij}` of the strongest path from :math:`i` to :math:`j` is the
    largest, over all paths, of the weakest link on the path (widest path, Floyd-Warshall):

    .. math:: p_{jk} \\leftarrow \\max\\big(p_{jk}, \\min(p_{ji}, p_{ik})\\big) \\quad (i = 1..N)

    and :math:`i` beats :math:`j` when :math:`p_{ij} > p_{ji}`. This relation is a strict partial order
    (transitive, Schulze 2011, section 4.1). Schulze's winners are the items no other item beats; the
    ranking peels them off repeatedly: rank 1 is exactly the set of winners, rank :math:`r` the items
    beaten only by items already ranked, as a competition rank (1 + the number of items ranked
    before). Counts equal within the tie tolerance of :mod:`smmrubric.ranking` are equal.

    Parameters
    ----------
    rankings, weights
        See the module docstring.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item``: ``rank`` (above) and ``score`` (the number of items the item beats; it
        does not decide the rank).
    """
    profile = _parse(rankings, weights)
    d = _preferences(profile)
    d = snap_ties(d.ravel()).reshape(d.shape)  # equal counts are exactly equal, so > and == are safe
    p = np.where(d > d.T, d, 0.0)
    n = p.shape[0]
    diagonal = np.eye(n, dtype=bool)
    for i in range(n):
        p = np.maximum(p, np.minimum(p[:, i][:, None], p[i, :][None, :]))
        p[diagonal] = 0.0
    beats = p > p.T
    rank = np.zeros(n, dtype=int)
    left = np.ones(n, dtype=bool)
    while left.any():
        winners = left & ~(beats & left[:, None]).any(axis=0)
        rank[winners] = n - left.sum() + 1
        left &= ~winners
    return _result(profile, beats.sum(axis=1).astype(float), rank)


def rra(
    rankings: Mapping[str, Sequence[Any]], weights: Mapping[str, float] | None = None, *, n_total: int | None = None
) -> pd.DataFrame:
    """Robust rank aggregation (Kolde, Laur, Adler & Vilo 2012, Bioinformatics 28:573-580).

    Follows RobustRankAggreg 1.2.1 (``aggregateRanks(glist, method = "RRA")`` with its defaults
    ``full = FALSE``, ``exact = FALSE``, no ``topCutoff``):

    1. normalised ranks :math:`r_{il} = \\pi_l(i) / N` with :math:`N` = ``n_total`` (default: the
       number of distinct items), and :math:`r_{il} = 1` when list :math:`l` does not name :math:`i`
       (``rankMatrix``);
    2. the sorted ranks :math:`r_{(1)} \\le \\dots \\le r_{(n)}` of an item over the :math:`n` lists
       give :math:`\\beta_k = P(\\mathrm{Beta}(k, n-k+1) \\le r_{(k)})`, the probability that the
       :math:`k`-th smallest of :math:`n` uniform ranks is at most :math:`r_{(k)}` (``betaScores``);
    3. :math:`\\rho = \\min(1, n \\cdot \\min_k \\beta_k)` (Bonferroni, ``correctBetaPvalues``).

    Lower :math:`\\rho` is better. Ties in a list give each member its average position (the R
    package takes untied vectors). RRA has no list weights: it treats the lists as independent
    samples, so ``weights`` must be None.

    What :math:`\\rho` is. It is a p-value only under RRA's null hypothesis, that each list ranks the
    item uniformly at random among :math:`N`, and then only for one item (it is corrected for the
    :math:`n` lists, not for the :math:`N` items tested). Partial lists (an unnamed item gets rank 1)
    and tie groups do not meet that null, so here it is a **score**, reported as such. ``q_value`` is
    the Benjamini-Hochberg (1995) false-discovery-rate adjustment of :math:`\\rho` over the
    :math:`N` items (``scipy.stats.false_discovery_control``, items not named counting with
    :math:`\\rho = 1`), still under RRA's null; :func:`smmrubric.list_inference.rra_null` gives p-values
    against random lists of the data's own sizes and ties.

    Parameters
    ----------
    rankings, weights
        See the module docstring.
    n_total
        The number of rankable items :math:`N` (RobustRankAggreg's ``N``); default: the distinct items named.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item``: ``score`` (:math:`\\rho`, lower is better), ``rank`` (competition rank
        by ascending score) and ``q_value`` (Benjamini-Hochberg adjustment of :math:`\\rho` over the
        :math:`N` items).
    """
    from scipy.stats import beta

    if weights is not None:
        raise SmmrubricError(
            "RRA treats each list as one independent sample; weights are not supported", field="weights"
        )
    profile = _parse(rankings)
    n_items = len(profile.items)
    if n_total is None:
        n_total = n_items
    else:
        from .validation import check_int

        n_total = check_int(n_total, "n_total", low=n_items)
    r = np.where(np.isnan(profile.position), 1.0, profile.position / n_total)  # (L, N)
    r = np.sort(r, axis=0)
    n = r.shape[0]
    k = np.arange(1, n + 1)[:, None]
    beta_scores = beta.cdf(r, k, n - k + 1)
    rho = np.minimum(beta_scores.min(axis=0) * n, 1.0)
    return _result(profile, rho, _competition_rank(rho, higher_is_better=False), q_value=_bh(rho, n_total))


def _bh(p: np.ndarray, m: int) -> np.ndarray:
    """Benjamini-Hochberg (1995) adjusted p-values of ``p`` among ``m >= len(p)`` tests (the rest p = 1)."""
    from scipy.stats import false_discovery_control

    padded = np.concatenate([np.asarray(p, dtype=float), np.ones(m - len(p))])
    return false_discovery_control(padded, method="bh")[: len(p)]


def mc4(
    rankings: Mapping[str, Sequence[Any]],
    weights: Mapping[str, float] | None = None,
    *,
    jump: float = 1 / 7,
    partial: str = "both",
) -> pd.DataFrame:
    """Markov chain MC4 (Dwork, Kumar, Naor & Sivakumar 2001, "Rank aggregation methods for the Web").

    From item :math:`i`, pick :math:`j` uniformly among all :math:`N` items; move to :math:`j` if a
    (weighted, strict) majority of the lists that name both :math:`i` and :math:`j` place :math:`j`
    before :math:`i`, otherwise stay. So :math:`M_{ij} = 1/N` when
    :math:`P_{ji} > \\tfrac12 \\sum_l w_l [i, j \\in l]`, and :math:`M_{ii} = 1 - \\sum_{j\\ne i} M_{ij}`.
    Lists that tie :math:`i` and :math:`j` count among those naming both but vote for neither.

    ``partial`` says which lists vote on a pair. ``"both"`` (default) is the paper's rule above: only
    lists naming both items. With sparse lists many pairs are then named together by one list or
    none (the walk stays put), so an item that few lists name, and that beats its few neighbours,
    can collect much of the stationary mass. ``"topk"`` uses the same convention as
    :func:`pairwise_preferences`: every list votes, preferring what it names to what it leaves out
    (it abstains on two items it leaves out or ties); move when
    :math:`P_{ji} > \\tfrac12 \\sum_l w_l [l \\text{ orders } i, j]`.

    Teleportation: this chain need not be ergodic (a Condorcet winner is absorbing), so, as
    DeConde et al. (2006) do following PageRank, with probability ``jump`` (:math:`\\delta`, default
    1/7) the walk jumps to a uniformly chosen item:
    :math:`T = (1-\\delta) M + \\delta \\mathbf{1}\\mathbf{1}^\\top / N`. Items are ranked by the
    stationary distribution :math:`x = xT`, solved exactly as a linear system.

    Parameters
    ----------
    rankings, weights
        See the module docstring.
    jump
        Teleportation probability :math:`\\delta` in (0, 1).
    partial
        ``"both"`` or ``"topk"``: which lists vote on a pair (above).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item``: ``score`` (stationary probability, higher is better; sums to 1) and
        ``rank`` (competition rank by descending score).
    """
    from .validation import check_probability

    delta = check_probability(jump, "jump")
    if delta == 0.0 or delta == 1.0:
        raise SmmrubricError(f"must be strictly between 0 and 1, got {jump!r}", field="jump")
    from .validation import check_choice

    check_choice(partial, "partial", ["both", "topk"])
    profile = _parse(rankings, weights)
    n = len(profile.items)
    named = (~np.isnan(profile.position)).astype(float)
    if partial == "both":
        voters = np.einsum("l,li,lj->ij", profile.weight, named, named)
        pref = _preferences_within(profile)
    else:
        # every list that names at least one of the two votes (ties inside it abstain below)
        either = 1.0 - np.einsum("li,lj->lij", 1.0 - named, 1.0 - named)
        voters = np.einsum("l,lij->ij", profile.weight, either)
        pref = _preferences(profile)
    move = (pref.T > voters / 2) & (voters > 0)  # move[i, j]: a majority of the voters put j first
    np.fill_diagonal(move, False)
    m = move / n
    m[np.diag_indices(n)] = 1.0 - m.sum(axis=1)
    t = (1 - delta) * m + delta / n
    # stationary distribution: x (T - I) = 0 with sum(x) = 1
    a = np.vstack([(t - np.eye(n)).T, np.ones(n)])
    b = np.zeros(n + 1)
    b[-1] = 1.0
    x = np.linalg.lstsq(a, b, rcond=None)[0]
    return _result(profile, x, _competition_rank(x))


def _preferences_within(profile: _Profile) -> np.ndarray:
    """Weighted counts of lists naming both items that place the row item first."""
    g = profile.group
    named = g >= 0
    prefers = (g[:, :, None] < g[:, None, :]) & named[:, :, None] & named[:, None, :]
    return np.einsum("l,lij->ij", profile.weight, prefers.astype(float))


#: The aggregation methods, by name.
METHODS = {"borda": borda, "kemeny": kemeny, "schulze": schulze, "rra": rra, "mc4": mc4}


def _method(method: str):
    from .validation import check_choice

    return METHODS[check_choice(method, "method", list(METHODS))]


def _check_options(method: str, options: Any) -> dict[str, Any]:
    """Check that ``options`` are keyword options the aggregation ``method`` accepts."""
    import inspect

    if not isinstance(options, Mapping):
        raise SmmrubricError(f"must be a mapping of keyword arguments, got {options!r}", row=method, field="options")
    allowed = [
        name
        for name, par in inspect.signature(METHODS[method]).parameters.items()
        if par.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    unknown = [k for k in options if k not in allowed]
    if unknown:
        raise SmmrubricError(
            f"{method} has no option {unknown[0]!r} (its options: {allowed or 'none'})", row=method, field="options"
        )
    return dict(options)


def _check_rank_columns(table: pd.DataFrame, columns: Sequence[str], field: str) -> None:
    """Raise unless every given column holds whole-number ranks >= 1 (missing allowed with ``<NA>``)."""
    for column in columns:
        values = pd.to_numeric(table[column], errors="coerce").astype(float)
        given = table[column].notna()
        bad = given & (values.isna() | (values < 1) | (values % 1 != 0))
        if bad.any():
            where = bad.to_numpy().nonzero()[0][0]
            raise SmmrubricError(
                f"ranks must be whole numbers >= 1, got {table[column].iloc[where]!r}",
                row=str(table.index[where]),
                field=f"{field}[{column!r}]",
            )


def consensus_table(
    rankings: Mapping[str, Sequence[Any]],
    weights: Mapping[str, float] | None = None,
    *,
    methods: Sequence[str] = tuple(METHODS),
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """Run several aggregation methods side by side.

    Parameters
    ----------
    rankings, weights
        See the module docstring (``weights`` is refused by :func:`rra`; leave ``"rra"`` out of
        ``methods`` to weight the lists).
    methods
        Names from :data:`METHODS`.
    options
        Keyword arguments per method, e.g. ``{"mc4": {"partial": "topk"}}``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item``: one column of consensus ranks per method (1 = first), then ``rank_min``,
        ``rank_max`` and ``rank_spread`` (= max - min, 0 when every method agrees); sorted by the
        first method's rank, then by item id (as text).
    """
    if isinstance(methods, str) or not isinstance(methods, Sequence) or len(methods) == 0:
        raise SmmrubricError(f"must be a non-empty list of method names, got {methods!r}", field="methods")
    options = {} if options is None else options
    if not isinstance(options, Mapping) or any(k not in methods for k in options):
        raise SmmrubricError(
            f"must map names among {list(methods)} to keyword arguments, got {options!r}", field="options"
        )
    ranks = {}
    for name in methods:
        aggregate = _method(name)
        ranks[name] = aggregate(rankings, weights, **_check_options(name, options.get(name, {})))["rank"]
    out = pd.DataFrame(ranks)
    profile_order = _parse(rankings, weights).items
    out = out.reindex(pd.Index(profile_order, name="item"))
    out = out.iloc[np.lexsort((id_order(out.index), out[methods[0]].to_numpy()))]
    out["rank_min"] = out[list(methods)].min(axis=1)
    out["rank_max"] = out[list(methods)].max(axis=1)
    out["rank_spread"] = out["rank_max"] - out["rank_min"]
    return out


def leave_one_out(
    rankings: Mapping[str, Sequence[Any]],
    method: str = "borda",
    weights: Mapping[str, float] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Consensus ranks with each list left out in turn: how much one expert moves the consensus.

    For each list :math:`l`, the consensus of the other lists gives item :math:`i` the rank
    :math:`R_{-l}(i)` (missing when :math:`l` was the only list naming :math:`i`). The range
    :math:`\\max_l R_{-l}(i) - \\min_l R_{-l}(i)` measures how much the item's consensus place rests on
    single experts.

    Parameters
    ----------
    rankings, weights
        See the module docstring.
    method
        A name from :data:`METHODS`.
    **options
        Passed to the method (e.g. ``partial="topk"`` for MC4).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item`` (sorted by the all-lists rank): ``rank`` (all lists), one column
        ``without_<list_id>`` per list (Int64, <NA> when the item drops out), ``loo_min``,
        ``loo_max``, ``loo_range`` (over the leave-one-out ranks) and ``n_dropped`` (how many
        leave-one-out consensuses lose the item).
    """
    aggregate = _method(method)
    options = _check_options(method, options)
    _parse(rankings, weights)
    if len(rankings) < 2:
        raise SmmrubricError("needs at least two lists to leave one out", field="rankings")
    full = aggregate(rankings, weights, **options)[["rank"]]
    columns = {}
    for list_id in rankings:
        rest = {k: v for k, v in rankings.items() if k != list_id}
        rest_w = None if weights is None else {k: weights[k] for k in rest}
        try:
            columns[f"without_{list_id}"] = aggregate(rest, rest_w, **options)["rank"]
        except SmmrubricError as exc:  # e.g. the remaining weights are all zero
            raise SmmrubricError(
                f"leaving out list {list_id!r}: {exc.message}", row=str(list_id), field=exc.field
            ) from None
    loo = pd.DataFrame(columns).reindex(full.index).astype("Int64")
    out = full.join(loo)
    out["loo_min"] = loo.min(axis=1).astype("Int64")
    out["loo_max"] = loo.max(axis=1).astype("Int64")
    out["loo_range"] = out["loo_max"] - out["loo_min"]
    out["n_dropped"] = loo.isna().sum(axis=1)
    return out


def method_agreement(table: pd.DataFrame, methods: Sequence[str] | None = None) -> pd.DataFrame:
    """Kendall's tau-b between the consensus rankings of every two methods.

    .. math:: \\tau_b = \\frac{n_c - n_d}{\\sqrt{(n_0 - n_1)(n_0 - n_2)}}

    (Kendall 1945; ``scipy.stats.kendalltau``), which corrects for the ties a method leaves (RRA
    ties every item whose :math:`\\rho` is capped at 1). 1 = the same order, 0 = unrelated.

    Parameters
    ----------
    table
        Output of :func:`consensus_table`.
    methods
        Its method columns (default: those among :data:`METHODS`).

    Returns
    -------
    pandas.DataFrame
        Square, index and columns the methods; NaN where a method ranks every item equal.
    """
    from scipy.stats import kendalltau

    if not isinstance(table, pd.DataFrame):
        raise SmmrubricError("must be the DataFrame from consensus_table", field="table")
    methods = [m for m in table.columns if m in METHODS] if methods is None else list(methods)
    missing = [m for m in methods if m not in table.columns]
    if missing or len(methods) < 2:
        raise SmmrubricError(f"needs at least two method columns of the table; missing {missing}", field="methods")
    _check_rank_columns(table, methods, "table")
    if table[methods].isna().any().any():
        raise SmmrubricError("has missing ranks; every method must rank every item", field="table")
    out = pd.DataFrame(
        np.eye(len(methods)), index=pd.Index(methods, name="method"), columns=pd.Index(methods, name="other_method")
    )
    for a, b in itertools.combinations(methods, 2):
        x, y = table[a].to_numpy(dtype=float), table[b].to_numpy(dtype=float)
        tau = kendalltau(x, y).statistic if (np.ptp(x) > 0 and np.ptp(y) > 0) else np.nan
        out.loc[a, b] = out.loc[b, a] = tau
    return out


def list_influence(loo: pd.DataFrame) -> pd.Series:
    """How far leaving each list out moves the consensus: mean absolute rank shift.

    .. math:: I_l = \\frac{1}{|D_l|} \\sum_{i \\in D_l} |R_{-l}(i) - R(i)|

    over the items :math:`D_l` still ranked without list :math:`l`.

    Parameters
    ----------
    loo
        Output of :func:`leave_one_out`.

    Returns
    -------
    pandas.Series
        Indexed by ``list_id``, name ``mean_rank_shift``, sorted descending (most influential first;
        equal shifts within the tie tolerance by list id, :func:`smmrubric.ranking.sort_series`).
    """
    if not isinstance(loo, pd.DataFrame) or "rank" not in loo.columns:
        raise SmmrubricError("must be the DataFrame from leave_one_out", field="loo")
    columns = [c for c in loo.columns if isinstance(c, str) and c.startswith("without_")]
    if not columns:
        raise SmmrubricError("has no without_<list_id> column", field="loo")
    _check_rank_columns(loo, ["rank", *columns], "loo")
    shift = loo[columns].astype("Float64").sub(loo["rank"].astype("Float64"), axis=0).abs()
    out = shift.mean(axis=0, skipna=True).astype(float)
    out.index = pd.Index([c.removeprefix("without_") for c in columns], name="list_id")
    out.name = "mean_rank_shift"
    return sort_series(out, ascending=False)
