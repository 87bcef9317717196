"""Comparing experts' lists: set similarity, all-pairs tables, who names what and who is alike.

A list is a sequence whose elements are items (competency ids) or tuples of items tied at that place,
the same format as :mod:`smmrubric.aggregate` (an unordered list is ONE tie group,
``[("copywriting", "analytics", ...)]``; :func:`smmrubric.aggregate.rankings_from_expert_lists`
builds it from the data set).

How unordered lists are treated
-------------------------------
* Set measures (:func:`jaccard`, :func:`overlap_coefficient`, :func:`dice`) ignore order altogether.
* The rank-agreement measures (rank-biased overlap, top-k Kendall distance, footrule) live in
  :mod:`smmrubric.rank_agreement`; :func:`similarity_matrix` calls :func:`smmrubric.rank_agreement.rbo`
  (never forcing a tie group into an order).
* Every ordering of a computed similarity (:func:`similarity_pairs`, :func:`typicality`) goes through
  :mod:`smmrubric.ranking`: values equal within its tolerance are ties, broken by id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .aggregate import _parse
from .errors import SmmrubricError
from .rank_agreement import _membership, _pair, rbo
from .ranking import argsort_ties, sort_series
from .validation import check_choice, check_number

__all__ = [
    "RBO_PERSISTENCES",
    "SET_MEASURES",
    "dice",
    "exclusive_intersections",
    "jaccard",
    "membership",
    "overlap_coefficient",
    "rbo_pairs",
    "similarity_linkage",
    "similarity_matrix",
    "similarity_pairs",
    "typicality",
]


# ---- set measures ----------------------------------------------------------------------------------------


#: Set similarity measures by name: f(intersection, size_a, size_b, union) on arrays.
SET_MEASURES = {
    "jaccard": lambda inter, na, nb, union: inter / union,
    "overlap": lambda inter, na, nb, union: inter / np.minimum(na, nb),
    "dice": lambda inter, na, nb, union: 2 * inter / (na + nb),
}

_SET_PARAMETERS = """
    Parameters
    ----------
    a, b
        Lists of items (or tuples of tied items); order and ties do not matter here.

    Returns
    -------
    float
        In [0, 1].
    """


def _set_similarity(method: str, a: Sequence[Any], b: Sequence[Any]) -> float:
    m = _membership(_pair(a, b)).astype(float)
    inter = float(m[0] @ m[1])
    na, nb = float(m[0].sum()), float(m[1].sum())
    return float(SET_MEASURES[method](inter, na, nb, na + nb - inter))


def jaccard(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Jaccard similarity of the sets of items two lists name (Jaccard 1912).

    .. math:: J(A, B) = \\frac{|A \\cap B|}{|A \\cup B|}

    Order and ties are ignored. 1 for the same set, 0 for disjoint sets.
    """
    return _set_similarity("jaccard", a, b)


def overlap_coefficient(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Overlap (Szymkiewicz-Simpson) coefficient of the sets of items two lists name.

    .. math:: O(A, B) = \\frac{|A \\cap B|}{\\min(|A|, |B|)}

    1 when one list's items are all in the other (a short list inside a long one).
    """
    return _set_similarity("overlap", a, b)


def dice(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Sørensen-Dice coefficient of the sets of items two lists name (Dice 1945; Sørensen 1948).

    .. math:: D(A, B) = \\frac{2 |A \\cap B|}{|A| + |B|}
    """
    return _set_similarity("dice", a, b)


for _f in (jaccard, overlap_coefficient, dice):
    _f.__doc__ = (_f.__doc__ or "") + _SET_PARAMETERS


# ---- all pairs -------------------------------------------------------------------------------------------


def similarity_matrix(
    lists: Mapping[str, Sequence[Any]], method: str = "jaccard", *, p: float = 0.9, ties: str = "a"
) -> pd.DataFrame:
    """Pairwise similarity of every two lists: a labelled, symmetric square table.

    Parameters
    ----------
    lists
        ``{list_id: [item or tuple of tied items, ...]}``.
    method
        ``"jaccard"``, ``"overlap"``, ``"dice"`` (sets of items; vectorised over all pairs) or
        ``"rbo"`` (:func:`smmrubric.rank_agreement.rbo` extrapolated value with persistence ``p``;
        tie-aware for unordered lists).
    p
        RBO persistence (only with ``method="rbo"``).
    ties
        RBO tie variant, ``"a"`` or ``"b"`` (see :func:`smmrubric.rank_agreement.rbo`; only with
        ``method="rbo"``).

    Returns
    -------
    pandas.DataFrame
        Index and columns ``list_id`` in the given order; diagonal 1 (for ``"rbo"`` with
        ``ties="a"`` the diagonal is set to 1 although :math:`RBO^a` of a list with ties and itself is
        below 1; ``ties="b"`` gives 1 there by construction).
    """
    method = check_choice(method, "method", [*SET_MEASURES, "rbo"])
    profile = _parse(lists, field="lists")
    ids = pd.Index(profile.list_ids, name="list_id")
    if method == "rbo":
        check_number(p, "p", low=0, high=1, low_open=True, high_open=True)
        ties = check_choice(ties, "ties", ["a", "b"])
        values = list(lists.values())
        n = len(values)
        out = np.eye(n)
        for i in range(n):
            for j in range(i + 1, n):
                out[i, j] = out[j, i] = rbo(values[i], values[j], p, ties=ties).ext
    else:
        m = _membership(profile).astype(float)
        inter = m @ m.T
        size = m.sum(axis=1)
        union = size[:, None] + size[None, :] - inter
        out = SET_MEASURES[method](inter, size[:, None], size[None, :], union)
    return pd.DataFrame(out, index=ids, columns=ids.rename("other_list_id"))


#: Persistence values at which :func:`rbo_pairs` reports RBO by default. With persistence ``p`` the expected
#: depth a reader looks to is ``1 / (1 - p)``: 2, 3.3, 5, 6.7, 10 and 20 places; the lists here have 1 to 10.
RBO_PERSISTENCES = (0.5, 0.7, 0.8, 0.85, 0.9, 0.95)


def rbo_pairs(
    lists: Mapping[str, Sequence[Any]], ps: Sequence[float] = RBO_PERSISTENCES, *, ties: str = "a"
) -> pd.DataFrame:
    """RBO of every two ranked lists for a range of persistence values, with its bounds and residual.

    RBO compares orders, so it is computed only for lists with an order: a list given as one tie group
    (unordered, or numbered but not ranked by importance) is left out. Each pair is reported at every
    persistence ``p`` in ``ps`` with ``ext``, ``min``, ``max`` and ``res`` = max - min (Webber, Moffat &
    Zobel 2010, :func:`smmrubric.rank_agreement.rbo`): a large residual means the value is mostly
    extrapolation below the lists' ends.

    Returns
    -------
    pandas.DataFrame
        Columns ``list_a``, ``list_b``, ``p``, ``ext``, ``min``, ``max``, ``res``; pairs in the order of the
        lists, each at every ``p``. Empty (with these columns) when fewer than two lists are ranked.
    """
    check_choice(ties, "ties", ["a", "b"])
    if isinstance(ps, (str, bytes)) or not isinstance(ps, Sequence) or not ps:
        raise SmmrubricError(f"must be a list of persistence values in (0, 1), got {ps!r}", field="ps")
    ps = [check_number(p, "ps", low=0, high=1, low_open=True, high_open=True) for p in ps]
    _parse(lists, field="lists")
    ranked = {k: v for k, v in lists.items() if len(v) > 1}
    names = list(ranked)
    rows = [
        (a, b, p, *rbo(ranked[a], ranked[b], p, ties=ties))
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        for p in ps
    ]
    return pd.DataFrame(rows, columns=["list_a", "list_b", "p", "ext", "min", "max", "res"])


# ---- who names what, and who is alike -------------------------------------------------------------------


def membership(lists: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """Which list names which item: a boolean table, items (first appearance) x lists.

    Returns
    -------
    pandas.DataFrame
        Index ``item``, columns ``list_id``; True where the list names the item.
    """
    profile = _parse(lists, field="lists")
    return pd.DataFrame(
        _membership(profile).T,
        index=pd.Index(profile.items, name="item"),
        columns=pd.Index(profile.list_ids, name="list_id"),
    )


def exclusive_intersections(lists: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """Group items by exactly which lists name them (the exclusive intersections of an UpSet plot).

    Each item belongs to exactly one group: the set of lists that name it and no other list.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty group, sorted by ``n_items`` (descending), then ``degree``
        (descending), then first appearance: ``lists`` (tuple of list ids, in input order),
        ``degree`` (how many lists), ``n_items`` and ``items`` (tuple, first appearance).
    """
    m = membership(lists)
    keys = [tuple(m.columns[row]) for row in m.to_numpy()]
    groups: dict[tuple, list] = {}
    for item, key in zip(m.index, keys):
        groups.setdefault(key, []).append(item)
    out = pd.DataFrame(
        {
            "lists": list(groups),
            "degree": [len(k) for k in groups],
            "n_items": [len(v) for v in groups.values()],
            "items": [tuple(v) for v in groups.values()],
        }
    )
    order = np.lexsort((np.arange(len(out)), -out["degree"].to_numpy(), -out["n_items"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def _check_similarity(similarity: Any) -> np.ndarray:
    if (
        not isinstance(similarity, pd.DataFrame)
        or similarity.shape[0] != similarity.shape[1]
        or list(similarity.index) != list(similarity.columns)
        or similarity.shape[0] < 2
    ):
        raise SmmrubricError(
            "must be a square DataFrame with the same labels on rows and columns "
            "(from similarity_matrix), at least 2 x 2",
            field="similarity",
        )
    try:
        values = similarity.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise SmmrubricError("must hold numbers (from similarity_matrix)", field="similarity") from None
    if (
        not np.all(np.isfinite(values))
        or not np.allclose(values, values.T)
        or values.min() < -1e-12
        or values.max() > 1 + 1e-12
    ):
        raise SmmrubricError("must be symmetric with finite values in [0, 1]", field="similarity")
    return values


def similarity_pairs(similarity: pd.DataFrame) -> pd.DataFrame:
    """Every pair of lists with its similarity, most alike first.

    Returns
    -------
    pandas.DataFrame
        Columns ``list_a``, ``list_b`` (in the table's order), ``similarity``; sorted by descending
        similarity, similarities equal within the tie tolerance of :mod:`smmrubric.ranking` by the pair's
        ids (``list_a``, then ``list_b``, as text).
    """
    values = _check_similarity(similarity)
    i, j = np.triu_indices(values.shape[0], k=1)
    out = pd.DataFrame({"list_a": similarity.index[i], "list_b": similarity.index[j], "similarity": values[i, j]})
    labels = [f"{a}\t{b}" for a, b in zip(out["list_a"], out["list_b"])]
    return out.iloc[argsort_ties(out["similarity"].to_numpy(), labels)].reset_index(drop=True)


def typicality(similarity: pd.DataFrame) -> pd.Series:
    """Mean similarity of each list to every other list (low = the list stands apart).

    .. math:: t_a = \\frac{1}{n-1} \\sum_{b \\ne a} s_{ab}

    Returns
    -------
    pandas.Series
        Indexed by list, name ``mean_similarity``, sorted ascending (most apart first; ties within the
        tolerance of :mod:`smmrubric.ranking` by list id).
    """
    values = _check_similarity(similarity)
    n = values.shape[0]
    mean = (values.sum(axis=1) - np.diag(values)) / (n - 1)
    return sort_series(pd.Series(mean, index=similarity.index, name="mean_similarity"))


def similarity_linkage(similarity: pd.DataFrame, method: str = "average") -> np.ndarray:
    """Hierarchical clustering of the lists from their distance matrix :math:`1 - s`.

    The condensed distance vector (``scipy.spatial.distance.squareform``) goes to
    ``scipy.cluster.hierarchy.linkage``, so the clustering uses the pairwise distances themselves,
    not the rows of the similarity table as feature vectors.

    Parameters
    ----------
    method
        ``"average"`` (UPGMA, default), ``"complete"``, ``"single"`` or ``"weighted"`` (methods
        valid for an arbitrary dissimilarity; centroid/median/ward need Euclidean distances).

    Returns
    -------
    numpy.ndarray
        The linkage matrix.
    """
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    method = check_choice(method, "method", ["average", "complete", "single", "weighted"])
    values = _check_similarity(similarity)
    distance = 1.0 - (values + values.T) / 2
    np.fill_diagonal(distance, 0.0)
    return linkage(squareform(np.clip(distance, 0.0, None), checks=False), method=method)
