"""Agreement between two rankings: one module for the rank-agreement measures (issue 14, one name per idea).

A ranking is a sequence whose elements are items (competency or candidate ids) or tuples of items tied at that
place, the format of :mod:`smmrubric.aggregate`; an unordered list is ONE tie group. The measures:

* :func:`rbo` -- rank-biased overlap (Webber, Moffat & Zobel 2010), tie-aware (Corsi & Urbano 2024), with its
  bounds and residual (:class:`RBO`);
* :func:`topk_kendall` -- Kendall distance with penalty ``p`` between top-k lists (Fagin, Kumar & Sivakumar
  2003; partial rankings, Fagin et al. 2006);
* :func:`topk_footrule` -- Spearman footrule between top-k lists (Fagin et al. 2003);
* :func:`ranking_agreement` -- two score vectors of the same candidates (higher is better): Kendall's tau-b
  (Kendall 1945), Spearman's rho (Spearman 1904), the top-k overlap and RBO; :func:`rank_correlations` for many
  columns against one;
* :func:`top_k_membership`, :func:`top_k_overlaps` -- the top-k shortlist of each column of a score table and its
  overlap with a reference, from integer counts.

Ties at the top-k cut (integer rating scales make them common) are broken at random, in expectation: a candidate
tied with others for the last ``q`` places of the shortlist is in it with probability ``q / (size of the tie)``,
and the expected overlap of two shortlists is ``sum_i P(i in A) P(i in B) / k`` (the two tie-breaks independent).
Scores are compared within :data:`smmrubric.ranking.TIE_TOLERANCE` (ties broken by id where an order is needed).
Set similarities of lists (Jaccard, overlap, Dice) are in :mod:`smmrubric.compare`; the measures applied to
rubrics and weightings are in :mod:`smmrubric.sensitivity.agreement`.

References
----------
Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika*, 33(3), 239-251.
Spearman, C. (1904). The proof and measurement of association between two things. *American Journal
of Psychology*, 15(1), 72-101.
Webber, W., Moffat, A., & Zobel, J. (2010). A similarity measure for indefinite rankings. *ACM
Transactions on Information Systems*, 28(4), 20.
Corsi, M., & Urbano, J. (2024). How do ties affect evaluation measures? (RBO with ties). *SIGIR 2024*.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from .aggregate import _parse, _Profile
from .errors import SmmrubricError
from .ranking import argsort_ties, snap_ties, tie_groups
from .validation import check_choice, check_int, check_probability, check_score_matrix

__all__ = [
    "RBO",
    "rank_correlations",
    "ranking_agreement",
    "rbo",
    "top_k_membership",
    "top_k_overlaps",
    "topk_footrule",
    "topk_kendall",
]


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


# -- agreement of two score vectors (rankings with ties) -------------------------------------------


def _totals_frame(totals: Any, field: str) -> pd.DataFrame:
    if isinstance(totals, pd.Series):
        totals = totals.to_frame()
    if not isinstance(totals, pd.DataFrame):
        raise SmmrubricError(f"must be a DataFrame or Series of totals, got {type(totals).__name__}", field=field)
    names = totals.columns
    out = check_score_matrix(totals, field)
    out.columns = names
    return out


def top_k_membership(totals: pd.DataFrame | pd.Series, k: int) -> pd.DataFrame:
    """Probability that each candidate is in the top ``k`` of each column, ties at the cut split.

    Parameters
    ----------
    totals
        Candidates x rankings (one column per rubric or per weight draw; higher is better), or one
        Series.
    k
        Shortlist size, 1 <= k <= number of candidates.

    Returns
    -------
    DataFrame
        Same shape: 1 above the cut, ``q / t`` for the ``t`` candidates tied for the last ``q``
        places, 0 below. Each column sums to ``k``.
    """
    frame = _totals_frame(totals, "totals")
    k = check_int(k, "k", low=1, high=len(frame))
    above, at, slots, tied = _cut(frame.to_numpy(), k)
    prob = above + at * (slots / tied)
    return pd.DataFrame(prob, index=frame.index, columns=frame.columns)


def _cut(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The top-k cut of each column of ``x`` (candidates x rankings), ties within the tie tolerance.

    Returns ``above`` (bool, in the top k whatever the tie order), ``at`` (bool, in the tie group that
    straddles the cut), and per column the integer ``slots`` left for that group and its size ``tied``:
    each member of the group is in the top k with probability ``slots / tied``.
    """
    groups = tie_groups(x, descending=True, axis=0)
    order = np.argsort(groups, axis=0, kind="stable")
    kth_group = np.take_along_axis(groups, order[k - 1 : k], axis=0)  # the group holding place k
    above = groups < kth_group
    at = groups == kth_group
    slots = k - above.sum(axis=0)
    return above, at, slots, at.sum(axis=0)


def _ordered_groups(total: pd.Series) -> list[Any]:
    """Candidates best first, tied ones as tuples by id (the form :func:`rbo` takes)."""
    values = total.to_numpy()
    group = tie_groups(values, descending=True)
    order = argsort_ties(values, total.index)
    groups: list[list[Any]] = [[] for _ in range(int(group.max()) + 1)]
    for i in order:
        groups[group[i]].append(total.index[i])
    return [g[0] if len(g) == 1 else tuple(g) for g in groups]


def ranking_agreement(a: pd.Series, b: pd.Series, *, k: int = 10, p: float = 0.9, ties: str = "a") -> pd.Series:
    """Agreement of two rankings of the same candidates (scores, higher is better).

    Parameters
    ----------
    a, b
        Totals indexed by ``candidate_id``; the same candidates (order may differ).
    k
        Shortlist size for the top-k overlap.
    p
        RBO persistence (the top ``1 / (1 - p)`` places carry most of the weight).
    ties
        RBO of rankings with ties (:func:`rbo`): ``"a"``, the expected RBO over
        random tie breakings (below 1 for a ranking with ties compared with itself), or ``"b"``, Corsi
        & Urbano's RBO^b, which is 1 for identical rankings; the same without ties.

    Returns
    -------
    Series
        ``kendall_tau`` (tau-b), ``spearman_rho``, ``top_k_overlap`` (expected share of A's top k
        also in B's, ties at the cut split) and ``rbo`` (extrapolated RBO). Tau and rho are NaN
        when every candidate ties in ``a`` or in ``b`` (a correlation with a constant is undefined).

    Examples
    --------
    >>> a = pd.Series([4.0, 3, 2, 1], index=list("wxyz"))
    >>> ranking_agreement(a, a, k=2).round(12).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    for name, s in (("a", a), ("b", b)):
        if not isinstance(s, pd.Series):
            raise SmmrubricError(
                f"must be a Series of totals indexed by candidate_id, got {type(s).__name__}", field=name
            )
    if set(a.index) != set(b.index) or len(a) != len(b):
        raise SmmrubricError("a and b must rank the same candidates", field="b")
    frame = _totals_frame(pd.DataFrame({"a": a, "b": b.reindex(a.index)}), "totals")
    if len(frame) < 2:
        raise SmmrubricError("needs at least two candidates", field="a")
    k = check_int(k, "k", low=1, high=len(frame))
    p = check_probability(p, "p", open_ends=True)
    # totals equal up to floating-point noise are made equal, so that tau-b and rho count them as ties
    # on every CPU
    x, y = snap_ties(frame["a"].to_numpy()), snap_ties(frame["b"].to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        # all candidates tied in one ranking: tau and rho are undefined (NaN, as documented)
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        tau = stats.kendalltau(x, y).statistic
        rho = stats.spearmanr(x, y).statistic
    overlap = float(top_k_overlaps(frame["a"], frame[["b"]], k).iloc[0])
    r = rbo(_ordered_groups(frame["a"]), _ordered_groups(frame["b"]), p=p, ties=ties).ext
    return pd.Series(
        {"kendall_tau": float(tau), "spearman_rho": float(rho), "top_k_overlap": overlap, "rbo": float(r)},
        name="agreement",
    )


def top_k_overlaps(reference: pd.Series, totals: pd.DataFrame, k: int) -> pd.Series:
    """Expected top-k overlap of each column of ``totals`` with ``reference`` (same candidates).

    Used to compare many alternative rankings (weight draws, rater-noise replications) with one
    reference ranking: ``overlap_c = sum_i P(i in top_k(ref)) P(i in top_k(c)) / k``, with ties at a cut
    split (:func:`top_k_membership`). Computed from integer counts: with ``A`` candidates above both cuts,
    ``B`` above the reference's cut and in column c's cut group (``q_c`` slots for ``t_c`` members), ``C``
    the converse and ``D`` in both cut groups,
    ``overlap_c = (A + B q_c / t_c + C q_r / t_r + D q_r q_c / (t_r t_c)) / k``, so the result does not
    depend on the order of a floating-point sum.
    """
    if not isinstance(reference, pd.Series):
        raise SmmrubricError(f"must be a Series, got {type(reference).__name__}", field="reference")
    frame = _totals_frame(totals, "totals")
    if set(reference.index) != set(frame.index) or len(reference) != len(frame):
        raise SmmrubricError("must rank the same candidates as the reference", field="totals")
    k = check_int(k, "k", low=1, high=len(frame))
    overlap = _overlaps(_cut(reference.reindex(frame.index).to_numpy()[:, None], k), _cut(frame.to_numpy(), k), k)
    return pd.Series(overlap[0], index=frame.columns, name="top_k_overlap")


def _overlaps(left: tuple, right: tuple, k: int) -> np.ndarray:
    """Top-k overlaps of every column of one :func:`_cut` with every column of another, from integer counts.

    ``(A + B q_c / t_c + C q_r / t_r + D q_r q_c / (t_r t_c)) / k`` (see :func:`top_k_overlaps`): the four counts
    are integer matrix products (exact, no BLAS), and the formula is the same element by element on every CPU.
    """
    r_above, r_at, r_slots, r_tied = left
    c_above, c_at, c_slots, c_tied = right
    ints = [x.astype(np.int64) for x in (r_above, r_at, c_above, c_at)]
    a, b, c, d = (
        x.astype(float) for x in (ints[0].T @ ints[2], ints[0].T @ ints[3], ints[1].T @ ints[2], ints[1].T @ ints[3])
    )
    q_r, t_r = r_slots[:, None].astype(float), r_tied[:, None].astype(float)
    q_c, t_c = c_slots[None, :].astype(float), c_tied[None, :].astype(float)
    return (a + b * q_c / t_c + c * q_r / t_r + d * (q_r * q_c) / (t_r * t_c)) / k


def rank_correlations(totals: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Kendall's tau-b and Spearman's rho of every column of ``totals`` with the ``reference`` column.

    The two measures of :func:`ranking_agreement` (totals snapped to their tie groups first, so ties within the
    tie tolerance count as ties on every CPU), without the top-k overlap and RBO, for one reference only.

    Returns
    -------
    DataFrame
        Indexed by the other columns: ``kendall_tau``, ``spearman_rho`` (NaN when a column is constant).
    """
    frame = _totals_frame(totals, "totals")
    if reference not in frame.columns:
        raise SmmrubricError(f"no column {reference!r}", field="reference")
    if len(frame) < 2:
        raise SmmrubricError("needs at least two candidates", field="totals")
    x = snap_ties(frame[reference].to_numpy())
    rows = {}
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        for column in frame.columns.drop(reference):
            y = snap_ties(frame[column].to_numpy())
            rows[column] = {
                "kendall_tau": float(stats.kendalltau(x, y).statistic),
                "spearman_rho": float(stats.spearmanr(x, y).statistic),
            }
    return pd.DataFrame.from_dict(rows, orient="index")
