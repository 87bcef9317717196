"""Comparing experts' lists: set similarity, rank-biased overlap and distances between top-k lists.

A list is a sequence whose elements are items (competency ids) or tuples of items tied at that place,
the same format as :mod:`smmrubric.aggregate` (an unordered list is ONE tie group,
``[("copywriting", "analytics", ...)]``; :func:`smmrubric.aggregate.rankings_from_expert_lists`
builds it from the data set).

How unordered lists are treated
-------------------------------
* Set measures (:func:`jaccard`, :func:`overlap_coefficient`, :func:`dice`) ignore order altogether.
* :func:`rbo` never forces a tie group into an order: with ties it computes the tie-aware
  :math:`RBO^a` of Corsi & Urbano (2024), the RBO averaged over every way of breaking the ties (an
  item in a tie group spanning places :math:`t..b` is in the top :math:`d` with probability
  :math:`(d - t + 1)/(b - t + 1)`); without ties it is exactly Webber, Moffat & Zobel's RBO.
* :func:`topk_kendall` treats each list as a partial ranking (Fagin, Kumar, Mahdian, Sivakumar & Vee
  2006): tied items form one bucket and the items a list leaves out form a bucket below the list.
  For untied top-k lists this is the :math:`K^{(p)}` of Fagin, Kumar & Sivakumar (2003).
* :func:`topk_footrule` gives tied items the average of the places their group spans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .aggregate import _parse, _Profile
from .errors import SmmrubricError
from .validation import check_choice, check_number, check_probability

__all__ = [
    "RBO",
    "SET_MEASURES",
    "dice",
    "exclusive_intersections",
    "jaccard",
    "membership",
    "overlap_coefficient",
    "rbo",
    "similarity_linkage",
    "similarity_matrix",
    "similarity_pairs",
    "topk_footrule",
    "topk_kendall",
    "typicality",
]


def _pair(a: Any, b: Any) -> _Profile:
    """Check two lists (items or tuples of tied items) and parse them together."""
    return _parse({"a": a, "b": b}, field="lists")


def _membership(profile: _Profile) -> np.ndarray:
    return ~np.isnan(profile.position)


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
    _f.__doc__ += _SET_PARAMETERS


# ---- rank-biased overlap ---------------------------------------------------------------------------------


class RBO(NamedTuple):
    """Rank-biased overlap of two finite prefixes of (conceptually indefinite) rankings.

    Attributes
    ----------
    ext
        Extrapolated :math:`RBO_{ext}`: the agreement seen is assumed to continue below the lists.
    min
        Lower bound :math:`RBO_{min}`: nothing below the lists ever matches.
    max
        Upper bound :math:`RBO_{max}`: everything below the lists matches as well as it can.
    res
        Residual :math:`RBO_{res} = RBO_{max} - RBO_{min}`, the uncertainty left by truncation.
    """

    ext: float
    min: float
    max: float
    res: float


def _contributions(profile: _Profile, row: int, depth: int) -> np.ndarray:
    """(items, depth) probability that each item is among the list's top d, d = 1..depth.

    An untied item at place t counts from depth t on; an item in a tie group spanning t..b counts
    (d - t + 1)/(b - t + 1) for t <= d < b (Corsi & Urbano 2024, the a-variant).
    """
    g = profile.group[row]
    pos = profile.position[row]
    named = g >= 0
    size = np.zeros_like(pos)
    if named.any():
        counts = np.bincount(g[named])
        size[named] = counts[g[named]]
    top = np.where(named, pos - (size - 1) / 2, np.inf)
    d = np.arange(1, depth + 1)[None, :]
    return np.clip((d - top[:, None] + 1) / np.where(named, size, 1.0)[:, None], 0.0, 1.0)


def rbo(a: Sequence[Any], b: Sequence[Any], p: float = 0.9, *, ties: str = "a") -> RBO:
    """Rank-biased overlap (Webber, Moffat & Zobel 2010, ACM TOIS 28(4):20), with uneven lengths.

    With :math:`X_d` the overlap of the two top-:math:`d` prefixes and :math:`A_d = X_d / d`,
    :math:`RBO = (1-p) \\sum_{d \\ge 1} p^{d-1} A_d`. For a shorter list :math:`S` of length :math:`s`
    and a longer :math:`L` of length :math:`l` (:math:`X_d` counts only seen items):

    * extrapolated value, the paper's equation (32):

      .. math:: RBO_{ext} = \\frac{1-p}{p}\\Big(\\sum_{d=1}^{l} \\frac{X_d}{d} p^d
                + \\sum_{d=s+1}^{l} \\frac{X_s (d-s)}{s\\, d} p^d\\Big)
                + \\Big(\\frac{X_l - X_s}{l} + \\frac{X_s}{s}\\Big) p^l

    * lower bound (no further overlap; equation (11) for even lengths):

      .. math:: RBO_{min} = \\frac{1-p}{p}\\Big(\\sum_{d=1}^{l} \\frac{X_d}{d} p^d
                + X_l \\big(\\ln\\tfrac{1}{1-p} - \\sum_{d=1}^{l} \\tfrac{p^d}{d}\\big)\\Big)

    * upper bound: below :math:`s` the shorter list's unseen places hold, at best, the longer list's
      unmatched items (:math:`X_d + \\min(d-s, |L_{:d} \\setminus S|)` for :math:`s < d \\le l`), below
      :math:`l` each list's leftovers fill the other, :math:`X_d = X_l + 2d - s - l` up to
      :math:`f = l + s - X_l`, and full agreement after that; :math:`RBO_{res} = RBO_{max} - RBO_{min}`,
      the paper's residual (the tests check both bounds against the worst and the best continuation
      built explicitly).

    Reference values (tests): :math:`RBO_{ext}(abcde, bacde, 0.9) = 0.9`,
    :math:`RBO_{ext}(12345, 23415, 0.9) = 0.828`, :math:`RBO_{ext}(abcdefgh, abcdxyz, 0.9) = 0.739435`.
    Note that the PyPI ``rbo`` package returns average overlap by default, not this value.

    Ties (unordered lists): the tie-aware :math:`RBO^a` of Corsi & Urbano (2024, SIGIR), i.e.
    :math:`X_d` is the expected overlap over every order of the tied items; in the extrapolated part
    the longer list's unseen items count with their mean contribution, as in their reference code.
    It equals the formulas above when nothing is tied, and reproduces the published example of
    Corsi & Urbano's reference implementation (ext 0.6922853, min 0.3310519, max 0.8930692 at
    :math:`p = 0.95`) and rows of its test table. Because it averages over tie breakings,
    :math:`RBO^a(X, X) < 1` when :math:`X` has ties (an unordered list of 10 items scores 0.65 with
    itself at :math:`p = 0.9`). ``ties="b"`` gives their :math:`RBO^b`, which corrects for the
    information the ties hide so that :math:`RBO^b(X, X) = 1`: the agreement at depth :math:`d` is
    the cosine :math:`A_d = X_d / (\\lVert c_{S,d} \\rVert \\, \\lVert c_{L,d} \\rVert)` of the two
    lists' item contributions instead of :math:`X_d / d` (beyond :math:`s`, the shorter list's norm
    is :math:`\\sqrt d`); without ties both variants equal RBO.

    Parameters
    ----------
    a, b
        Lists of items (or tuples of tied items), best first.
    p
        Persistence in (0, 1): the weight of depth :math:`d` is :math:`(1-p)p^{d-1}`; with
        :math:`p = 0.9` the top 10 places carry about 86% of the weight.
    ties
        ``"a"`` (default, :math:`RBO^a`: the expected RBO over random tie breakings) or ``"b"``
        (:math:`RBO^b`, 1 for identical lists with ties); the same for lists without ties.

    Returns
    -------
    RBO
        ``(ext, min, max, res)``; all in [0, 1] and ``min <= ext <= max``.
    """
    p = check_probability(p, "p", open_ends=True)
    ties = check_choice(ties, "ties", ["a", "b"])
    profile = _pair(a, b)
    lengths = profile.length
    short, long_ = (1, 0) if lengths[1] < lengths[0] else (0, 1)
    s, l = int(lengths[short]), int(lengths[long_])
    c_s = _contributions(profile, short, l)
    c_l = _contributions(profile, long_, l)
    x = (c_s * c_l).sum(axis=0)  # X_d, d = 1..l (seen items only)
    d = np.arange(1, l + 1)
    pd_ = p ** d
    if ties == "a":
        norm = d.astype(float)
    else:  # RBO^b: cosine normalisation of the contributions (the shorter list counts d items beyond s)
        norm = np.sqrt(np.where(d <= s, (c_s ** 2).sum(axis=0), d) * (c_l ** 2).sum(axis=0))
    a_s = x[s - 1] / norm[s - 1]
    x_l = x[l - 1]
    factor = (1 - p) / p

    # extrapolation for s < d <= l: the shorter list's unseen places agree at rate A_s, applied to
    # the mean contribution of the longer list's items absent from the shorter one (1 without ties)
    in_short = _membership(profile)[short]
    unseen = c_l[~in_short & _membership(profile)[long_]]
    extra_ext = np.zeros(l)
    if l > s:
        section = unseen[:, s:]
        with np.errstate(invalid="ignore"):
            mean_c = np.where((section > 0).any(axis=0),
                              section.sum(axis=0) / np.maximum((section > 0).sum(axis=0), 1), 0.0)
        extra_ext[s:] = (d[s:] - s) * a_s * mean_c
    ext = factor * np.sum((x + extra_ext) / norm * pd_) \
        + factor * (x_l + (l - s) * a_s) / l * p ** (l + 1) / (1 - p)

    tail_log = np.log(1 / (1 - p)) - np.sum(pd_ / d)
    low = factor * (np.sum(x / norm * pd_) + x_l * tail_log)

    # upper bound: the first (d - s) unmatched items of the longer list could be the shorter's
    extra_max = np.zeros(l)
    if l > s:
        order = np.argsort(profile.position[long_][~in_short & _membership(profile)[long_]], kind="stable")
        ranked_unseen = unseen[order][:, s:]  # rows: unmatched items of L in L's order
        k = np.arange(ranked_unseen.shape[0])[:, None]
        allowed = k <= np.arange(l - s)[None, :]  # at depth s+1+c, at most c+1 of them
        extra_max[s:] = (ranked_unseen * allowed).sum(axis=0)
    f = int(np.ceil(l + s - x_l))
    dd = np.arange(l + 1, f + 1)
    high = factor * (np.sum((x + extra_max) / norm * pd_)
                     + np.sum((2 * dd - l - s + x_l) / dd * p ** dd) + p ** (f + 1) / (1 - p))
    ext, low, high = (float(min(max(v, 0.0), 1.0)) for v in (ext, low, high))
    return RBO(ext=ext, min=low, max=high, res=high - low)


# ---- top-k distances -------------------------------------------------------------------------------------


def _buckets(profile: _Profile) -> np.ndarray:
    """Bucket index per list and item, the items a list leaves out in one bucket below it."""
    return np.where(profile.group < 0, np.iinfo(np.int64).max, profile.group).astype(np.int64)


def topk_kendall(a: Sequence[Any], b: Sequence[Any], p: float = 0.5) -> float:
    """Kendall distance with penalty parameter :math:`p` between top-k lists, :math:`K^{(p)}`.

    Fagin, Kumar & Sivakumar (2003, SIAM J. Discrete Math. 17:134-160). Over the union :math:`D` of
    the two lists, each unordered pair :math:`\\{i, j\\}` costs

    * 1 if both lists order the pair and disagree (an item a list names is ahead of one it leaves
      out; so two items each named by one list only always cost 1);
    * :math:`p` if one list orders the pair and the other does not (both left out of it, or, with
      ties, tied in it);
    * 0 otherwise.

    .. math:: K^{(p)}(\\tau_1, \\tau_2) = \\sum_{\\{i,j\\} \\subseteq D} \\bar K^{(p)}_{i,j}(\\tau_1, \\tau_2)

    :math:`p = 0` is the optimistic, :math:`p = 1/2` the neutral choice. Reference:
    ``topk_kendall([a, b, c], [d, e, a])`` is 6, 7, 8 for :math:`p = 0, 0.5, 1`. With tie groups this
    is the :math:`K^{(p)}` of partial rankings (Fagin et al. 2006), the left-out items a bottom bucket.

    Parameters
    ----------
    a, b
        Lists of items (or tuples of tied items), best first.
    p
        Penalty in [0, 1] for a pair one list orders and the other does not.

    Returns
    -------
    float
        0 for identical lists; at most :math:`|D|(|D|-1)/2`.
    """
    p = check_probability(p, "p")
    g = _buckets(_pair(a, b))
    s1 = np.sign(g[0][:, None] - g[0][None, :])
    s2 = np.sign(g[1][:, None] - g[1][None, :])
    cost = (s1 * s2 < 0) + p * ((s1 == 0) != (s2 == 0))
    return float(np.triu(cost, k=1).sum())


def topk_footrule(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Spearman footrule between top-k lists with a missing item placed at rank k+1.

    Fagin, Kumar & Sivakumar (2003), :math:`F^{(\\ell)}` with :math:`\\ell = k + 1`: over the union
    :math:`D`, :math:`F = \\sum_{i \\in D} |\\tau_1(i) - \\tau_2(i)|`, where an item a list of length
    :math:`k` leaves out gets rank :math:`k + 1` (each list its own :math:`k` when lengths differ)
    and tied items the average of the places their group spans.

    Parameters
    ----------
    a, b
        Lists of items (or tuples of tied items), best first.

    Returns
    -------
    float
        0 for identical lists.
    """
    profile = _pair(a, b)
    ranks = np.where(np.isnan(profile.position), (profile.length + 1)[:, None], profile.position)
    return float(np.abs(ranks[0] - ranks[1]).sum())


# ---- all pairs -------------------------------------------------------------------------------------------


def similarity_matrix(lists: Mapping[str, Sequence[Any]], method: str = "jaccard", *,
                      p: float = 0.9, ties: str = "a") -> pd.DataFrame:
    """Pairwise similarity of every two lists: a labelled, symmetric square table.

    Parameters
    ----------
    lists
        ``{list_id: [item or tuple of tied items, ...]}``.
    method
        ``"jaccard"``, ``"overlap"``, ``"dice"`` (sets of items; vectorised over all pairs) or
        ``"rbo"`` (:func:`rbo` extrapolated value with persistence ``p``; tie-aware for unordered
        lists).
    p
        RBO persistence (only with ``method="rbo"``).
    ties
        RBO tie variant, ``"a"`` or ``"b"`` (see :func:`rbo`; only with ``method="rbo"``).

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


# ---- who names what, and who is alike -------------------------------------------------------------------


def membership(lists: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """Which list names which item: a boolean table, items (first appearance) x lists.

    Returns
    -------
    pandas.DataFrame
        Index ``item``, columns ``list_id``; True where the list names the item.
    """
    profile = _parse(lists, field="lists")
    return pd.DataFrame(_membership(profile).T, index=pd.Index(profile.items, name="item"),
                        columns=pd.Index(profile.list_ids, name="list_id"))


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
    out = pd.DataFrame({"lists": list(groups), "degree": [len(k) for k in groups],
                        "n_items": [len(v) for v in groups.values()],
                        "items": [tuple(v) for v in groups.values()]})
    order = np.lexsort((np.arange(len(out)), -out["degree"].to_numpy(), -out["n_items"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def _check_similarity(similarity: Any) -> np.ndarray:
    if not isinstance(similarity, pd.DataFrame) or similarity.shape[0] != similarity.shape[1] \
            or list(similarity.index) != list(similarity.columns) or similarity.shape[0] < 2:
        raise SmmrubricError("must be a square DataFrame with the same labels on rows and columns "
                             "(from similarity_matrix), at least 2 x 2", field="similarity")
    try:
        values = similarity.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise SmmrubricError("must hold numbers (from similarity_matrix)", field="similarity") from None
    if not np.all(np.isfinite(values)) or not np.allclose(values, values.T) \
            or values.min() < -1e-12 or values.max() > 1 + 1e-12:
        raise SmmrubricError("must be symmetric with finite values in [0, 1]", field="similarity")
    return values


def similarity_pairs(similarity: pd.DataFrame) -> pd.DataFrame:
    """Every pair of lists with its similarity, most alike first.

    Returns
    -------
    pandas.DataFrame
        Columns ``list_a``, ``list_b`` (in the table's order), ``similarity``; sorted by descending
        similarity, then by the pair's position in the table.
    """
    values = _check_similarity(similarity)
    i, j = np.triu_indices(values.shape[0], k=1)
    out = pd.DataFrame({"list_a": similarity.index[i], "list_b": similarity.index[j],
                        "similarity": values[i, j]})
    return out.iloc[np.lexsort((np.arange(len(out)), -out["similarity"].to_numpy()))].reset_index(drop=True)


def typicality(similarity: pd.DataFrame) -> pd.Series:
    """Mean similarity of each list to every other list (low = the list stands apart).

    .. math:: t_a = \\frac{1}{n-1} \\sum_{b \\ne a} s_{ab}

    Returns
    -------
    pandas.Series
        Indexed by list, name ``mean_similarity``, sorted ascending (most apart first).
    """
    values = _check_similarity(similarity)
    n = values.shape[0]
    mean = (values.sum(axis=1) - np.diag(values)) / (n - 1)
    out = pd.Series(mean, index=similarity.index, name="mean_similarity")
    return out.iloc[np.lexsort((np.arange(n), mean))]


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
