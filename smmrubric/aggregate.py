"""Rank aggregation: one consensus ranking from several experts' lists.

Every method takes the same input,

``rankings: Mapping[str, Sequence[item | tuple[item, ...]]]``
    ``{list_id: [first, second, ...]}``. An element is an item (a competency id, any hashable that is
    not a tuple) or a tuple of items the list ties at that place. An unordered list is ONE tie group:
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

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .errors import SmmrubricError
from .validation import check_weights

__all__ = [
    "borda",
    "pairwise_preferences",
    "rankings_from_expert_lists",
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
        raise SmmrubricError("must be a non-empty mapping {list_id: [item or tuple of tied items, ...]}",
                             field=field)
    items: dict[Hashable, int] = {}
    parsed: list[list[tuple[Hashable, ...]]] = []
    for list_id, ranking in rankings.items():
        if isinstance(ranking, (str, bytes)) or not isinstance(ranking, Sequence) or len(ranking) == 0:
            raise SmmrubricError(
                f"must be a non-empty list of items or tuples of tied items, got {ranking!r}",
                row=str(list_id), field=field)
        groups = []
        seen: set[Hashable] = set()
        for place, element in enumerate(ranking, start=1):
            group = tuple(element) if isinstance(element, tuple) else (element,)
            if len(group) == 0:
                raise SmmrubricError(f"place {place} is an empty tie group", row=str(list_id), field=field)
            for item in group:
                if isinstance(item, tuple):
                    raise SmmrubricError(f"place {place}: tie groups cannot be nested, got {element!r}",
                                         row=str(list_id), field=field)
                try:
                    hash(item)
                except TypeError:
                    raise SmmrubricError(f"place {place}: items must be hashable, got {item!r}",
                                         row=str(list_id), field=field) from None
                if item is None or (isinstance(item, float) and np.isnan(item)):
                    raise SmmrubricError(f"place {place}: missing item {item!r}", row=str(list_id),
                                         field=field)
                if item in seen:
                    raise SmmrubricError(f"item {item!r} appears twice", row=str(list_id), field=field)
                seen.add(item)
                items.setdefault(item, len(items))
            groups.append(group)
        parsed.append(groups)
    list_ids = [str(k) for k in rankings]
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
        raise SmmrubricError(f"weight given for unknown list {unknown[0]!r}", row=str(unknown[0]),
                             field="weights")
    missing = [k for k in rankings if k not in weights]
    if missing:
        raise SmmrubricError("no weight for this list", row=str(missing[0]), field="weights")
    series = pd.Series({str(k): weights[k] for k in rankings}, dtype=object)
    return np.asarray(check_weights(series, "weights"), dtype=float)


def _result(profile: _Profile, score: np.ndarray, rank: np.ndarray, **extra: Any) -> pd.DataFrame:
    """Assemble the common output: indexed by item, sorted by rank (then first appearance)."""
    out = pd.DataFrame({"score": score, "rank": rank.astype(int), **extra},
                       index=pd.Index(profile.items, name="item"))
    order = np.lexsort((np.arange(len(rank)), rank))
    return out.iloc[order]


def _competition_rank(score: np.ndarray, *, higher_is_better: bool = True) -> np.ndarray:
    """Competition ("1224") ranks: 1 + the number of items strictly better."""
    s = np.asarray(score, dtype=float)
    key = -s if higher_is_better else s
    return (key[None, :] < key[:, None]).sum(axis=1) + 1


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
    n_items = len(profile.items)
    points = np.where(np.isnan(profile.position), 0.0, n_items - profile.position)
    score = profile.weight @ points
    named = profile.weight @ ~np.isnan(profile.position)
    return _result(profile, score, _competition_rank(score), n_lists=named)


def pairwise_preferences(rankings: Mapping[str, Sequence[Any]],
                         weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Weighted pairwise preference counts :math:`P_{ij}` (row item preferred to column item).

    .. math:: P_{ij} = \\sum_l w_l \\, [g_l(i) < g_l(j)]

    with :math:`g_l(i)` the index of item :math:`i`'s tie group in list :math:`l` and
    :math:`g_l(i) = \\infty` when the list does not name it: a list prefers what it names to what it
    leaves out, and says nothing about two tied items or two items it leaves out.

    Returns
    -------
    pandas.DataFrame
        Square, rows and columns the items in order of first appearance; zero diagonal.
    """
    profile = _parse(rankings, weights)
    return pd.DataFrame(_preferences(profile), index=pd.Index(profile.items, name="item"),
                        columns=pd.Index(profile.items, name="item"))


def _preferences(profile: _Profile) -> np.ndarray:
    g = np.where(profile.group < 0, np.iinfo(np.int64).max, profile.group).astype(np.int64)
    prefers = g[:, :, None] < g[:, None, :]  # (L, N, N)
    return np.einsum("l,lij->ij", profile.weight, prefers.astype(float))


def rankings_from_expert_lists(expert_lists: pd.DataFrame) -> dict[str, list[Any]]:
    """Turn :func:`smmrubric.data.load_expert_lists` output into the aggregation input.

    Ordered lists become their competency ids in order (:func:`smmrubric.data.expert_list_ids`; a
    competency named twice counts at its first position); an unordered list becomes a single tie
    group ``[(id1, id2, ...)]``.

    Returns
    -------
    dict
        ``{list_id: [competency_id, ...]}`` or ``{list_id: [(competency_id, ...)]}``.
    """
    from .data import expert_list_ids

    ids = expert_list_ids(expert_lists)
    if "ordered" not in expert_lists.columns:
        raise SmmrubricError("needs the column 'ordered' from load_expert_lists", field="expert_lists")
    ordered = expert_lists.groupby("list_id", sort=False)["ordered"].first()
    return {list_id: (list(items) if bool(ordered[list_id]) else [tuple(items)])
            for list_id, items in ids.items()}
