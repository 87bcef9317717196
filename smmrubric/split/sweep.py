"""The split sweep: who is hired as the skills' share of the weight moves from 0 to 1, with exact break points.

Each candidate's rubric total is linear in the skill share ``s``, ``total_i(s) = s S_i + (1 - s) T_i``, so
the top choice and the top-k set change only where two lines cross; :func:`split_break_points` finds those
crossings exactly and :func:`split_sweep` tabulates the rankings on a grid of shares for display.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..ranking import argsort_ties, id_order, snap_ties
from ..rubric import Rubric
from ..scoring import score
from ..sensitivity import ranking_agreement, rubric_totals, top_k_membership, top_k_overlaps
from ..validation import check_int, check_number, check_probability
from ._checks import check_split_rubric, shares_grid
from .labels import _check_columns

__all__ = ["SplitSweep", "category_subscores", "split_break_points", "split_sweep"]

_CHUNK = 4096  # rows per block in the O(m^2) and O(breaks x m) computations (bounded memory)


def _subscore_arrays(subscores: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    _check_columns(subscores, {"skills", "traits"}, "subscores", "category_subscores")
    if subscores.index.has_duplicates:
        dup = subscores.index[subscores.index.duplicated()][0]
        raise SmmrubricError(f"candidate {dup!r} appears twice", row=str(dup), field="candidate_id")
    values = {}
    for column in ("skills", "traits"):
        array = pd.to_numeric(subscores[column], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(array)
        if bad.any():
            label = subscores.index[np.flatnonzero(bad)[0]]
            raise SmmrubricError(
                f"must be a finite number, got {subscores[column].iloc[np.flatnonzero(bad)[0]]!r}",
                row=str(label),
                field=column,
            )
        values[column] = array
    if len(subscores) == 0:
        raise SmmrubricError("has no candidates", field="subscores")
    return values["skills"], values["traits"]


def _not_strictly_dominated(skills: np.ndarray, traits: np.ndarray, k: int) -> np.ndarray:
    """Positions of the candidates strictly above on both subscores by fewer than k others.

    A cheap O(m log k) pre-filter for :func:`_contenders` (which is O(m^2)): going down the skill
    subscore one level at a time, a heap keeps the k largest trait subscores seen so far at strictly
    higher skill levels; a candidate whose trait subscore is below the smallest of them is beaten on
    both by k others and can never reach the top k.
    """
    order = np.argsort(-skills, kind="stable")
    levels = np.flatnonzero(np.r_[True, np.diff(skills[order]) != 0, True])
    heap: list[float] = []
    keep = np.ones(skills.size, dtype=bool)
    for start, stop in zip(levels[:-1], levels[1:]):
        group = order[start:stop]
        if len(heap) == k:
            keep[group] = traits[group] >= heap[0]
        for value in np.sort(traits[group])[::-1][:k]:
            if len(heap) < k:
                heapq.heappush(heap, float(value))
            elif value > heap[0]:
                heapq.heapreplace(heap, float(value))
    return np.flatnonzero(keep)


def _contenders(skills: np.ndarray, traits: np.ndarray, k: int, order: np.ndarray) -> np.ndarray:
    """Positions of the candidates that can be in the top k for some s in (0, 1).

    Candidate j beats candidate i at every s in (0, 1) when its line is nowhere below: S_j >= S_i and
    T_j >= T_i with one strict, or both equal and j's id first (``order``: each position's rank by id, the
    tie order of :func:`smmrubric.ranking.argsort_ties`). A candidate beaten everywhere by k others is
    never in the top k. The subscores are snapped (:func:`smmrubric.ranking.snap_ties`).
    """
    survivors = _not_strictly_dominated(skills, traits, k)
    if survivors.size < skills.size:
        return survivors[_contenders(skills[survivors], traits[survivors], k, order[survivors])]
    m = skills.size
    beaten = np.zeros(m, dtype=np.int64)
    for start in range(0, m, _CHUNK):
        stop = min(start + _CHUNK, m)
        s_i, t_i = skills[start:stop, None], traits[start:stop, None]
        ge = (skills[None, :] >= s_i) & (traits[None, :] >= t_i)
        strict = (skills[None, :] > s_i) | (traits[None, :] > t_i)
        earlier = order[None, :] < order[start:stop, None]
        beaten[start:stop] = (ge & (strict | earlier)).sum(axis=1)
    return np.flatnonzero(beaten < k)


def _top_sets(
    skills: np.ndarray, traits: np.ndarray, positions: np.ndarray, at: np.ndarray, k: int, ids: np.ndarray
) -> np.ndarray:
    """The top-k positions (rank order, ties by id) at each share in ``at``: (len(at), k)."""
    out = np.empty((at.size, min(k, positions.size)), dtype=np.int64)
    step = max(1, _CHUNK * 64 // max(positions.size, 1))
    for start in range(0, at.size, step):
        s = at[start : start + step, None]
        totals = s * skills[positions][None, :] + (1.0 - s) * traits[positions][None, :]
        ranked = argsort_ties(totals, ids[positions], axis=1)[:, : out.shape[1]]
        out[start : start + step] = positions[ranked]
    return out


def split_break_points(subscores: pd.DataFrame, k: int = 1, *, tol: float = 1e-12) -> pd.DataFrame:
    """The exact skill shares at which the top choice (or the top-k set) changes.

    With a rubric's weights split into a skill share :math:`s` and a trait share :math:`1 - s`
    (proportions within each category kept, :meth:`smmrubric.Rubric.with_category_share`), candidate
    :math:`i`'s total is linear in :math:`s`:

    .. math::

        \\mathrm{total}_i(s) = s\\, S_i + (1 - s)\\, T_i = T_i + s\\,(S_i - T_i),

    with :math:`S_i`, :math:`T_i` the within-category weighted means (the skill-only and trait-only
    totals). The top choice as a function of :math:`s` is the upper envelope of these lines, and the
    top-k set is bounded by their k-level; both can change only where two lines cross,
    :math:`s^*_{ij} = (T_j - T_i) / ((S_i - T_i) - (S_j - T_j))`. The crossings are computed in closed
    form among the candidates that can reach the top k (those not beaten on both subscores by k
    others), and the top-k set is evaluated once between consecutive crossings, so the break points are
    exact (to floating point), not read off a grid.

    Ties: on each open interval candidates are ordered by total, then by id (the tie-aware order of
    :func:`smmrubric.ranking.argsort_ties`, subscores equal within its tolerance being equal); two
    candidates with identical subscores tie at every share and the first id stays ahead. At a break point itself
    the candidates entering and leaving are tied.

    Parameters
    ----------
    subscores
        Indexed by ``candidate_id``, with columns ``skills`` (:math:`S_i`) and ``traits``
        (:math:`T_i`), e.g. from :func:`category_subscores`.
    k
        Size of the top set (1 = the top choice).
    tol
        Crossings closer than this are merged (several lines through one point).

    Returns
    -------
    pandas.DataFrame
        One row per interval of constant top-k set, in order of ``s``: ``s_from``, ``s_to`` (the
        first interval starts at 0, the last ends at 1; each interior ``s_from`` is a break point),
        ``top`` (the top-k ids, comma-joined, in rank order just after ``s_from``), ``entering`` and
        ``leaving`` (ids that join / drop out of the top-k set at ``s_from``; empty on the first row).
    """
    k = check_int(k, "k", low=1)
    tol = check_number(tol, "tol", low=0.0, high=1e-3)
    skills, traits = _subscore_arrays(subscores)
    # subscores equal up to floating-point noise become equal floats, so that the exact comparisons and
    # crossings below do not depend on the CPU's rounding
    skills, traits = snap_ties(skills), snap_ties(traits)
    ids = subscores.index.astype(str).to_numpy()
    contenders = _contenders(skills, traits, k, id_order(ids))
    slope = skills[contenders] - traits[contenders]
    intercept = traits[contenders]
    crossings = []
    for start in range(0, contenders.size, _CHUNK):
        d_i, t_i = slope[start : start + _CHUNK, None], intercept[start : start + _CHUNK, None]
        denominator = d_i - slope[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            s_star = (intercept[None, :] - t_i) / denominator
        keep = (denominator != 0) & (s_star > 0) & (s_star < 1)
        crossings.append(s_star[keep])
    cuts = np.unique(np.concatenate(crossings)) if crossings else np.empty(0)
    if cuts.size:
        cuts = cuts[np.concatenate([[True], np.diff(cuts) > tol])]
    edges = np.concatenate([[0.0], cuts, [1.0]])
    tops = _top_sets(skills, traits, contenders, (edges[:-1] + edges[1:]) / 2, k, ids)
    as_sets = np.sort(tops, axis=1)
    changed = np.concatenate([[True], (as_sets[1:] != as_sets[:-1]).any(axis=1)])
    starts = np.flatnonzero(changed)
    rows = []
    for n, first in enumerate(starts):
        last = starts[n + 1] - 1 if n + 1 < starts.size else tops.shape[0] - 1
        current = set(tops[first])
        previous = set(tops[starts[n - 1]]) if n else current
        rows.append(
            {
                "s_from": float(edges[first]),
                "s_to": float(edges[last + 1]),
                "top": ",".join(ids[tops[first]]),
                "entering": ",".join(ids[sorted(current - previous)]),
                "leaving": ",".join(ids[sorted(previous - current)]),
            }
        )
    return pd.DataFrame(rows, columns=["s_from", "s_to", "top", "entering", "leaving"])


def category_subscores(scores: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Each candidate's skill-only and trait-only totals, :math:`S_i` and :math:`T_i`.

    .. math::

        S_i = \\frac{\\sum_{j \\in \\mathrm{skills}} w_j x_{ij}}{\\sum_{j \\in \\mathrm{skills}} w_j},
        \\qquad
        T_i = \\frac{\\sum_{j \\in \\mathrm{traits}} w_j x_{ij}}{\\sum_{j \\in \\mathrm{traits}} w_j},

    the ``skills`` and ``traits`` columns of :func:`smmrubric.score`, so that the total under the
    rubric rescaled to a skill share :math:`s` is :math:`s S_i + (1 - s) T_i`.

    Parameters
    ----------
    scores
        Candidates x competencies (mean) scores on the rubric's scale, indexed by ``candidate_id``.
    rubric
        A :class:`smmrubric.Rubric` with at least one skill and one trait of positive weight.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``candidate_id`` in the input order: ``skills``, ``traits``.
    """
    rubric = check_split_rubric(rubric)
    if not isinstance(scores, pd.DataFrame):
        raise SmmrubricError(
            f"must be a candidates x competencies DataFrame, got {type(scores).__name__}", field="scores"
        )
    scored = score(rubric, scores, rule="compensatory_ignore_must_haves")
    return scored.loc[scores.index.astype(str), ["skills", "traits"]]


def _top_choices(totals: pd.DataFrame) -> np.ndarray:
    """Position of the best candidate in each column of a candidates x shares table.

    In the tie-aware order of :func:`smmrubric.ranking.argsort_ties`: totals within the tie tolerance (the
    same totals reached along different floating-point paths) are ties, and the first candidate id wins.
    """
    return argsort_ties(totals.to_numpy(), totals.index, axis=0)[0]


@dataclass(frozen=True)
class SplitSweep:
    """The split sweep of one pool (see :func:`split_sweep`).

    Attributes
    ----------
    summary : pandas.DataFrame
        Indexed by ``skill_share``: ``top_choice`` (the best candidate), ``top_k_overlap`` (share of the
        top k also in the top k at the reference share; candidates tied at the cut count fractionally, so
        the reference share itself scores below 1 when there are such ties) and ``kendall_tau``
        (tau-b of the full ranking against the reference share's).
    membership : pandas.DataFrame
        Skill shares x candidates: 1 if in the top k, a fraction when tied at the cut, else 0.
    totals : pandas.DataFrame
        Candidates x skill shares: the rubric total at each share.
    subscores : pandas.DataFrame
        :func:`category_subscores`.
    top_choice_breaks, top_k_breaks : pandas.DataFrame
        :func:`split_break_points` with k = 1 and with the sweep's k: the exact intervals of s.
    k : int
    reference_share : float
    """

    summary: pd.DataFrame
    membership: pd.DataFrame
    totals: pd.DataFrame
    subscores: pd.DataFrame
    top_choice_breaks: pd.DataFrame
    top_k_breaks: pd.DataFrame
    k: int
    reference_share: float

    @property
    def break_points(self) -> np.ndarray:
        """The skill shares in (0, 1) where the top choice changes."""
        return self.top_choice_breaks["s_from"].to_numpy()[1:]


def split_sweep(
    scores: pd.DataFrame,
    rubric: Rubric,
    *,
    shares: Any = None,
    k: int = 10,
    reference_share: float = 0.5,
) -> SplitSweep:
    """Sweep the skills' share of a rubric's weight from 0 to 1 and follow who is hired.

    For each skill share :math:`s` the rubric is rescaled with :meth:`smmrubric.Rubric.with_category_share`
    (proportions within each category kept) and every candidate scored
    (:func:`smmrubric.sensitivity.rubric_totals`); the top k at each share is compared with the top k
    at ``reference_share`` (:func:`smmrubric.sensitivity.top_k_overlaps`) and the full ranking by
    Kendall's tau-b (:func:`smmrubric.sensitivity.ranking_agreement`). The grid of shares is for
    display only: the shares at which the top choice and the top-k set change are computed exactly by
    :func:`split_break_points`, since each total is linear in :math:`s`,
    :math:`\\mathrm{total}_i(s) = s S_i + (1 - s) T_i`. At :math:`s = 0` the ranking is the
    traits-only ranking, at :math:`s = 1` the skills-only ranking.

    Parameters
    ----------
    scores
        Candidates x competencies (mean) scores, indexed by ``candidate_id``.
    rubric
        The rubric whose split is varied (it needs a skill and a trait of positive weight).
    shares
        Skill shares to tabulate, in [0, 1]; default 0, 0.05, ..., 1. ``reference_share`` is added if
        missing.
    k
        Shortlist size, 1 <= k <= number of candidates.
    reference_share
        The share the others are compared with (default 0.5, an even split).

    Returns
    -------
    SplitSweep
    """
    rubric = check_split_rubric(rubric)
    grid = shares_grid(np.linspace(0.0, 1.0, 21) if shares is None else shares)
    reference = check_probability(reference_share, "reference_share")
    grid = np.union1d(grid, [reference])
    if not isinstance(scores, pd.DataFrame):
        raise SmmrubricError(
            f"must be a candidates x competencies DataFrame, got {type(scores).__name__}", field="scores"
        )
    if len(scores) == 0:
        raise SmmrubricError("has no candidates", field="scores")
    k = check_int(k, "k", low=1, high=len(scores))
    subscores = category_subscores(scores, rubric)
    totals = rubric_totals(scores, {str(s): rubric.with_category_share(float(s)) for s in grid})
    totals.columns = pd.Index(grid, name="skill_share")
    membership = top_k_membership(totals, k).T
    overlap = top_k_overlaps(totals[reference], totals, k)
    tau = [
        ranking_agreement(totals[s], totals[reference], k=k)["kendall_tau"] if len(totals) > 1 else 1.0 for s in grid
    ]
    summary = pd.DataFrame(
        {
            "top_choice": totals.index[_top_choices(totals)],
            "top_k_overlap": overlap.to_numpy(),
            "kendall_tau": tau,
        },
        index=pd.Index(grid, name="skill_share"),
    )
    return SplitSweep(
        summary=summary,
        membership=membership,
        totals=totals,
        subscores=subscores,
        top_choice_breaks=split_break_points(subscores, 1),
        top_k_breaks=split_break_points(subscores, k),
        k=k,
        reference_share=reference,
    )
