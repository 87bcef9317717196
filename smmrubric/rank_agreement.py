"""Agreement between two rankings: one module for the rank-agreement measures (issue 14, one name per idea).

A ranking is a sequence whose elements are items (competency or candidate ids) or tuples of items tied at that
place, the format of :mod:`smmrubric.aggregate`; an unordered list is ONE tie group. The measures:

* :func:`rbo` -- rank-biased overlap (Webber, Moffat & Zobel 2010), tie-aware (Corsi & Urbano 2024), with its
  bounds and residual (:class:`RBO`);
* :func:`topk_kendall` -- Kendall distance with penalty ``p`` between top-k lists (Fagin, Kumar & Sivakumar
  2003; partial rankings, Fagin et al. 2006);
* :func:`topk_footrule` -- Spearman footrule between top-k lists (Fagin et al. 2003).

The agreement of two score vectors of the same candidates (Kendall's tau-b, Spearman's rho, the top-k overlap
with ties at the cut split) is :func:`smmrubric.sensitivity.ranking_agreement`, which calls :func:`rbo` from
here; set similarities of lists (Jaccard, overlap, Dice) are in :mod:`smmrubric.compare`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from .aggregate import _parse, _Profile
from .validation import check_choice, check_probability

__all__ = ["RBO", "rbo", "topk_footrule", "topk_kendall"]


def _pair(a: Any, b: Any) -> _Profile:
    """Check two lists (items or tuples of tied items) and parse them together."""
    return _parse({"a": a, "b": b}, field="lists")


def _membership(profile: _Profile) -> np.ndarray:
    return ~np.isnan(profile.position)


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
    :math:`p = 0.95`) and rows of its test table. What the three values average over, with ties:

    * ``min`` is linear in the :math:`X_d`, so it is exactly the average of :math:`RBO_{min}` over every
      way of breaking the ties;
    * ``ext`` and ``max`` are the averages of :math:`RBO_{ext}` and :math:`RBO_{max}` over the tie
      breakings only when the longer list has no ties. When it has, they are computed from the mean
      contribution of its unseen items at each depth (the reference code's rule), which is not such an
      average (in the tests they differ from it by up to 0.06), and ``max`` is then not a proven upper
      bound on the RBO of every breaking's continuations.

    Because it averages over tie breakings, :math:`RBO^a(X, X) < 1` when :math:`X` has ties (an unordered
    list of 10 items scores 0.65 with itself at :math:`p = 0.9`). ``ties="b"`` gives their :math:`RBO^b`, which
    corrects for the information the ties hide so that :math:`RBO^b(X, X) = 1`: the agreement at depth :math:`d` is
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
    s, l = int(lengths[short]), int(lengths[long_])  # noqa: E741 (Webber et al.'s names for the two depths)
    c_s = _contributions(profile, short, l)
    c_l = _contributions(profile, long_, l)
    x = (c_s * c_l).sum(axis=0)  # X_d, d = 1..l (seen items only)
    d = np.arange(1, l + 1)
    pd_ = p**d
    if ties == "a":
        norm = d.astype(float)
    else:  # RBO^b: cosine normalisation of the contributions (the shorter list counts d items beyond s)
        norm = np.sqrt(np.where(d <= s, (c_s**2).sum(axis=0), d) * (c_l**2).sum(axis=0))
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
            mean_c = np.where(
                (section > 0).any(axis=0), section.sum(axis=0) / np.maximum((section > 0).sum(axis=0), 1), 0.0
            )
        extra_ext[s:] = (d[s:] - s) * a_s * mean_c
    ext = factor * np.sum((x + extra_ext) / norm * pd_) + factor * (x_l + (l - s) * a_s) / l * p ** (l + 1) / (1 - p)

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
    high = factor * (
        np.sum((x + extra_max) / norm * pd_) + np.sum((2 * dd - l - s + x_l) / dd * p**dd) + p ** (f + 1) / (1 - p)
    )
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
