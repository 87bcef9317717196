"""Skills versus traits: how the experts split them, and what the split does to who gets hired.

The seeds separate *skills* (tangible, measurable, learnable) from *traits* (personal qualities, part of
someone's core personality) and weigh them differently. This module holds the analyses of the third
research question (issue 7), called by ``notebooks/03-skills-vs-traits.ipynb``:

* how each expert list splits skills and traits, by the author's own label and by our category, where the
  two disagree and how well they agree (Cohen's kappa), and how our category agrees with O*NET's split of
  skills (content model 2.A basic / 2.B cross-functional skills) from work styles (1.C);
* the *split sweep*: the rubric total of every candidate as the skill share ``s`` of the weights moves
  from 0 to 1, with the exact break points where the top choice (or the top-k set) changes;
* *hire now, grow later*: the expected true performance of the people hired under each skill share, at
  hire and after months of skill growth;
* the expected quality of hire of a split in selection-science terms (mean criterion z of the hired and
  the Taylor-Russell success ratio).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from . import simulate
from .data import CATEGORIES, list_summary
from .errors import SmmrubricError
from .rubric import Rubric
from .scoring import TIE_TOLERANCE, score, weighted_sum
from .selection import composite_validity, mean_z_selected, taylor_russell
from .sensitivity import ranking_agreement, rubric_totals, top_k_membership, top_k_overlaps
from .progress import progress_enabled, progress_iter
from .validation import as_rng, check_int, check_number, check_probability, check_rubric

__all__ = [
    "DEFAULT_GAIN_CV",
    "DEFAULT_LEARNING_TRAIT_CORRELATION",
    "DEFAULT_MONTHS",
    "GrowthStudy",
    "ONET_SPLIT",
    "SplitSweep",
    "category_subscores",
    "growth_grid",
    "hire_and_grow",
    "cohen_kappa",
    "label_agreement",
    "label_disagreements",
    "onet_agreement",
    "onet_category",
    "quality_of_hire",
    "split_break_points",
    "split_sweep",
]

#: O*NET content-model prefixes and the side of the skill / trait split they fall on. Skills are the
#: Worker Requirements "Basic Skills" (2.A) and "Cross-Functional Skills" (2.B); work styles (Worker
#: Characteristics, 1.C) are "personal characteristics that can affect how well someone performs a job",
#: i.e. traits. Any other element (knowledge 2.C, abilities 1.A, work activities 4.A, ...) is on neither
#: side and is left out of the comparison.
ONET_SPLIT = {"2.A": "skill", "2.B": "skill", "1.C": "trait"}

_AGREEMENT_COLUMNS = ["n", "n_agree", "p_observed", "p_expected", "kappa", "kappa_se"]


def cohen_kappa(a: pd.Series | np.ndarray | list, b: pd.Series | np.ndarray | list) -> pd.Series:
    """Cohen's kappa between two nominal classifications of the same items.

    .. math::

        \\kappa = \\frac{p_o - p_e}{1 - p_e}, \\qquad
        p_e = \\sum_c p_{a,c}\\, p_{b,c}, \\qquad
        \\mathrm{SE}(\\kappa) = \\sqrt{\\frac{p_o (1 - p_o)}{n (1 - p_e)^2}}

    with :math:`p_o` the share of items on which the two agree and :math:`p_{a,c}`, :math:`p_{b,c}`
    the shares of items each puts in category :math:`c` (Cohen 1960, eqs. 1 and 9: the standard error
    is Cohen's large-sample approximation).

    Degenerate cases: with no items every value is NaN; when chance agreement is certain
    (:math:`p_e = 1`, both classifications put every item in one and the same category) kappa is 0/0
    and is returned as NaN (the observed agreement, 1, is still reported).

    Parameters
    ----------
    a, b
        The two classifications, same length, no missing values (labels of any hashable type).

    Returns
    -------
    pandas.Series
        ``n``, ``n_agree``, ``p_observed``, ``p_expected``, ``kappa``, ``kappa_se``.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and Psychological
    Measurement*, 20(1), 37-46.

    Examples
    --------
    >>> a = ["yes"] * 25 + ["no"] * 25
    >>> b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    >>> cohen_kappa(a, b)["kappa"].round(3)
    np.float64(0.4)
    """
    left, right = _labels(a, "a"), _labels(b, "b")
    if len(left) != len(right):
        raise SmmrubricError(f"the two classifications differ in length ({len(left)} vs {len(right)})",
                             field="b")
    for name, labels in (("a", left), ("b", right)):
        missing = labels.isna()
        if missing.any():
            raise SmmrubricError(f"missing label at position {int(np.flatnonzero(missing)[0])}", field=name)
    n = len(left)
    if n == 0:
        return pd.Series({"n": 0, "n_agree": 0} | dict.fromkeys(_AGREEMENT_COLUMNS[2:], np.nan))
    agree = int((left.to_numpy() == right.to_numpy()).sum())
    p_o = agree / n
    shares = pd.concat([left.value_counts(), right.value_counts()], axis=1).fillna(0).to_numpy() / n
    p_e = float(shares[:, 0] @ shares[:, 1])
    if np.isclose(p_e, 1.0):
        kappa = se = np.nan
    else:
        kappa = (p_o - p_e) / (1.0 - p_e)
        se = np.sqrt(p_o * (1.0 - p_o) / (n * (1.0 - p_e) ** 2))
    return pd.Series({"n": n, "n_agree": agree, "p_observed": p_o, "p_expected": p_e, "kappa": kappa,
                      "kappa_se": se})


def _labels(values: Any, field: str) -> pd.Series:
    """A 1-D classification as an object Series (positions 0..n-1), or a SmmrubricError naming ``field``."""
    if isinstance(values, (pd.Series, pd.Index, list, tuple)) or (isinstance(values, np.ndarray) and values.ndim == 1):
        labels = pd.Series(list(values), dtype=object)
    else:
        shape = f" of shape {values.shape}" if isinstance(values, np.ndarray) else ""
        raise SmmrubricError(f"must be a 1-D sequence of labels, got {type(values).__name__}{shape}", field=field)
    for i, label in enumerate(labels):
        try:
            hash(label)
        except TypeError:
            raise SmmrubricError(f"label at position {i} is a {type(label).__name__}, not a category",
                                 field=field) from None
    return labels


def _check_columns(frame: pd.DataFrame, columns: set[str], field: str, source: str) -> None:
    if not isinstance(frame, pd.DataFrame) or not columns <= set(frame.columns):
        have = sorted(frame.columns) if isinstance(frame, pd.DataFrame) else type(frame).__name__
        raise SmmrubricError(f"must be a DataFrame from {source} with columns {sorted(columns)}; got {have}",
                             field=field)


def _no_reserved_ids(expert_lists: pd.DataFrame) -> None:
    reserved = sorted({"all", "vocabulary"} & set(expert_lists["list_id"]))
    if reserved:
        raise SmmrubricError(f"list id {reserved[0]!r} is reserved for the pooled rows of the result; rename the list",
                             row=f"list {reserved[0]}", field="list_id")


def _agreement_by_list(items: pd.DataFrame, left: str, right: str) -> pd.DataFrame:
    """Cohen's kappa of two label columns within each list and over all items (row ``"all"``)."""
    rows = {list_id: cohen_kappa(group[left], group[right])
            for list_id, group in items.groupby("list_id", sort=False)}
    rows["all"] = cohen_kappa(items[left], items[right])
    return pd.DataFrame(rows).T[_AGREEMENT_COLUMNS].astype({"n": int, "n_agree": int})


def label_agreement(expert_lists: pd.DataFrame) -> pd.DataFrame:
    """Per expert list: skills versus traits by the author's label and by our category, and their agreement.

    Only items the author labelled (``author_label`` skill or trait, not ``unlabeled``) enter the
    comparison; the shares over all items come from :func:`smmrubric.data.list_summary`.

    Parameters
    ----------
    expert_lists
        From :func:`smmrubric.load_expert_lists` (needs ``list_id``, ``list_name``, ``expert``, ``year``,
        ``ordered``, ``author_label`` and ``category``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``list_id`` (file order) plus a last row ``"all"`` pooling every item of every list:
        ``list_name``, ``n_items``, ``author_skill_share`` (author_skill / labelled items),
        ``our_skill_share`` (our skills / all items), ``n`` (labelled items), ``our_skill_share_labelled``
        (our skills among the labelled items, the like-for-like comparison), ``skill_to_trait`` (author
        says skill, we say trait), ``trait_to_skill``, and the :func:`cohen_kappa` columns
        ``n_agree, p_observed, p_expected, kappa, kappa_se`` (NaN when the list has no labelled item or
        kappa is undefined).
    """
    _check_columns(expert_lists, {"list_id", "list_name", "expert", "year", "ordered", "author_label",
                                  "category"}, "expert_lists", "load_expert_lists")
    _no_reserved_ids(expert_lists)
    summary = list_summary(expert_lists)
    pooled = expert_lists.assign(list_id="all", list_name="all lists")
    summary.loc["all"] = list_summary(pooled).loc["all"]
    labelled = expert_lists[expert_lists["author_label"].isin(CATEGORIES)]
    agreement = _agreement_by_list(labelled, "author_label", "category").reindex(summary.index)
    agreement["n"] = agreement["n"].fillna(0).astype(int)
    agreement["n_agree"] = agreement["n_agree"].fillna(0).astype(int)
    both = pd.concat([labelled, labelled.assign(list_id="all")])
    flows = pd.crosstab(both["list_id"], [both["author_label"], both["category"]])
    out = summary[["list_name", "n_items", "author_skill_share", "our_skill_share"]].copy()
    out["n"] = agreement["n"]
    our_skill = both[both["category"] == "skill"].groupby("list_id").size()
    out["our_skill_share_labelled"] = our_skill.reindex(out.index, fill_value=0) / out["n"].where(out["n"] > 0)
    for name, pair in (("skill_to_trait", ("skill", "trait")), ("trait_to_skill", ("trait", "skill"))):
        counts = flows[pair] if pair in flows.columns else pd.Series(0, index=flows.index)
        out[name] = counts.reindex(out.index, fill_value=0).astype(int)
    return pd.concat([out, agreement.drop(columns="n")], axis=1)


def label_disagreements(expert_lists: pd.DataFrame) -> pd.DataFrame:
    """The items an author labels one way and our vocabulary classifies the other way, with the why.

    Parameters
    ----------
    expert_lists
        From :func:`smmrubric.load_expert_lists`.

    Returns
    -------
    pandas.DataFrame
        One row per disagreeing item, in file order: ``list_id``, ``position``, ``term_fr``,
        ``term_en``, ``author_label``, ``competency_id``, ``category`` (ours), ``direction``
        (``"author skill, our trait"`` or ``"author trait, our skill"``) and ``mapping_note`` (the
        data set's note on the mapping: why the item maps where it does). Unlabeled items are never
        disagreements.
    """
    columns = ["list_id", "position", "term_fr", "term_en", "author_label", "competency_id", "category",
               "mapping_note"]
    _check_columns(expert_lists, set(columns), "expert_lists", "load_expert_lists")
    labelled = expert_lists["author_label"].isin(CATEGORIES)
    differ = labelled & expert_lists["author_label"].ne(expert_lists["category"])
    out = expert_lists.loc[differ, columns].reset_index(drop=True)
    direction = "author " + out["author_label"] + ", our " + out["category"]
    out.insert(len(columns) - 1, "direction", direction.astype(object))
    return out


def onet_category(onet_id: pd.Series) -> pd.Series:
    """O*NET's side of the skill / trait split for each O*NET element id (see :data:`ONET_SPLIT`).

    Returns ``"skill"`` for ids under 2.A or 2.B, ``"trait"`` (a work style) for ids under 1.C,
    ``"other"`` for any other element and NaN where no id is recorded.
    """
    if not isinstance(onet_id, pd.Series):
        raise SmmrubricError(f"must be a pandas Series of O*NET ids, got {type(onet_id).__name__}",
                             field="onet_id")
    ids = onet_id.astype("string")
    prefix = ids.str.extract(r"^(\d+\.[A-Z])(?:\.|$)", expand=False)
    out = prefix.map(ONET_SPLIT).astype(object)
    out[ids.notna() & pd.Series(out, index=ids.index).isna()] = "other"
    out[ids.isna()] = np.nan
    return out.rename("onet_category")


def onet_agreement(expert_lists: pd.DataFrame, competencies: pd.DataFrame) -> pd.DataFrame:
    """Agreement between our skill / trait category and O*NET's skills (2.A, 2.B) vs work styles (1.C).

    Only competencies whose O*NET element falls on one side of O*NET's split enter (elements recorded
    elsewhere in the content model, e.g. knowledge 2.C, and competencies with no O*NET id are left out).

    Parameters
    ----------
    expert_lists
        From :func:`smmrubric.load_expert_lists` (``list_id``, ``competency_id``, ``category``).
    competencies
        From :func:`smmrubric.load_competencies` (``category``, ``onet_id``).

    Returns
    -------
    pandas.DataFrame
        Rows: each ``list_id`` (its items), ``"all"`` (every item of every list) and ``"vocabulary"``
        (each competency once). Columns ``n_onet`` (items, or competencies, with an O*NET id),
        then the :func:`cohen_kappa` columns over those on O*NET's skill / work-style split
        (``n``, ``n_agree``, ``p_observed``, ``p_expected``, ``kappa``, ``kappa_se``).
    """
    _check_columns(expert_lists, {"list_id", "competency_id", "category"}, "expert_lists", "load_expert_lists")
    _check_columns(competencies, {"category", "onet_id"}, "competencies", "load_competencies")
    _no_reserved_ids(expert_lists)
    onet = onet_category(competencies["onet_id"])
    unknown = ~expert_lists["competency_id"].isin(competencies.index)
    if unknown.any():
        item = expert_lists.loc[unknown].iloc[0]
        where = f"list {item['list_id']}" + (f", position {item['position']}" if "position" in item.index else "")
        raise SmmrubricError(f"competency {item['competency_id']!r} is not in the competencies frame",
                             row=where, field="competency_id")
    items = expert_lists[["list_id", "competency_id", "category"]].assign(
        onet=expert_lists["competency_id"].map(onet))
    in_split = items[items["onet"].isin(CATEGORIES)]
    table = _agreement_by_list(in_split, "category", "onet")
    vocabulary = onet.isin(CATEGORIES)
    table.loc["vocabulary"] = cohen_kappa(competencies.loc[vocabulary, "category"], onet[vocabulary])
    order = list(dict.fromkeys(expert_lists["list_id"])) + ["all", "vocabulary"]
    n_onet = items.dropna(subset=["onet"]).groupby("list_id").size()
    n_onet["all"] = int(items["onet"].notna().sum())
    n_onet["vocabulary"] = int(onet.notna().sum())
    table = table.reindex(order)
    table.insert(0, "n_onet", n_onet.reindex(order, fill_value=0).astype(int))
    table["n"] = table["n"].fillna(0).astype(int)
    table["n_agree"] = table["n_agree"].fillna(0).astype(int)
    return table


# -- the split sweep: exact break points ---------------------------------------------------------------

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
            raise SmmrubricError(f"must be a finite number, got {subscores[column].iloc[np.flatnonzero(bad)[0]]!r}",
                                 row=str(label), field=column)
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


def _contenders(skills: np.ndarray, traits: np.ndarray, k: int) -> np.ndarray:
    """Positions of the candidates that can be in the top k for some s in (0, 1).

    Candidate j beats candidate i at every s in (0, 1) when its line is nowhere below: S_j >= S_i and
    T_j >= T_i with one strict, or both equal and j earlier (the stable tie order). A candidate beaten
    everywhere by k others is never in the top k.
    """
    survivors = _not_strictly_dominated(skills, traits, k)
    if survivors.size < skills.size:
        return survivors[_contenders(skills[survivors], traits[survivors], k)]
    m = skills.size
    beaten = np.zeros(m, dtype=np.int64)
    order = np.arange(m)
    for start in range(0, m, _CHUNK):
        stop = min(start + _CHUNK, m)
        s_i, t_i = skills[start:stop, None], traits[start:stop, None]
        ge = (skills[None, :] >= s_i) & (traits[None, :] >= t_i)
        strict = (skills[None, :] > s_i) | (traits[None, :] > t_i)
        earlier = order[None, :] < order[start:stop, None]
        beaten[start:stop] = (ge & (strict | earlier)).sum(axis=1)
    return np.flatnonzero(beaten < k)


def _top_sets(skills: np.ndarray, traits: np.ndarray, positions: np.ndarray, at: np.ndarray, k: int) -> np.ndarray:
    """The top-k positions (rank order, ties by input order) at each share in ``at``: (len(at), k)."""
    out = np.empty((at.size, min(k, positions.size)), dtype=np.int64)
    step = max(1, _CHUNK * 64 // max(positions.size, 1))
    for start in range(0, at.size, step):
        s = at[start:start + step, None]
        totals = s * skills[positions][None, :] + (1.0 - s) * traits[positions][None, :]
        # stable sort of -total: equal totals keep the input order
        ranked = np.argsort(-totals, axis=1, kind="stable")[:, :out.shape[1]]
        out[start:start + step] = positions[ranked]
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

    Ties: on each open interval candidates are ordered by total, then by input order (the stable order
    of :func:`smmrubric.scoring.rank_scores`); two candidates with identical subscores tie at every
    share and the earlier one stays ahead. At a break point itself the candidates entering and leaving
    are tied.

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
    ids = subscores.index.astype(str).to_numpy()
    contenders = _contenders(skills, traits, k)
    slope = skills[contenders] - traits[contenders]
    intercept = traits[contenders]
    crossings = []
    for start in range(0, contenders.size, _CHUNK):
        d_i, t_i = slope[start:start + _CHUNK, None], intercept[start:start + _CHUNK, None]
        denominator = d_i - slope[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            s_star = (intercept[None, :] - t_i) / denominator
        keep = (denominator != 0) & (s_star > 0) & (s_star < 1)
        crossings.append(s_star[keep])
    cuts = np.unique(np.concatenate(crossings)) if crossings else np.empty(0)
    if cuts.size:
        cuts = cuts[np.concatenate([[True], np.diff(cuts) > tol])]
    edges = np.concatenate([[0.0], cuts, [1.0]])
    tops = _top_sets(skills, traits, contenders, (edges[:-1] + edges[1:]) / 2, k)
    as_sets = np.sort(tops, axis=1)
    changed = np.concatenate([[True], (as_sets[1:] != as_sets[:-1]).any(axis=1)])
    starts = np.flatnonzero(changed)
    rows = []
    for n, first in enumerate(starts):
        last = starts[n + 1] - 1 if n + 1 < starts.size else tops.shape[0] - 1
        current = set(tops[first])
        previous = set(tops[starts[n - 1]]) if n else current
        rows.append({
            "s_from": float(edges[first]), "s_to": float(edges[last + 1]),
            "top": ",".join(ids[tops[first]]),
            "entering": ",".join(ids[sorted(current - previous)]),
            "leaving": ",".join(ids[sorted(previous - current)]),
        })
    return pd.DataFrame(rows, columns=["s_from", "s_to", "top", "entering", "leaving"])


def _check_rubric(rubric: Any) -> Rubric:
    check_rubric(rubric)
    weights = rubric.raw_weights.groupby(rubric.categories).sum().reindex(list(CATEGORIES), fill_value=0.0)
    for category in CATEGORIES:
        if weights[category] <= 0:
            raise SmmrubricError(f"the rubric {rubric.name!r} has no {category} with a positive weight, so there "
                                 "is no skill / trait split to vary", field="rubric")
    return rubric


def _shares(shares: Any, field: str = "shares") -> np.ndarray:
    values = _number_list(shares, field, low=0.0, high=1.0)
    # rounded so that grid labels are the decimals a reader types (linspace gives 0.8500000000000001)
    values = np.round(values, 12)
    if np.unique(values).size != values.size:
        raise SmmrubricError("shares must not repeat", field=field)
    return np.sort(values)


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
    rubric = _check_rubric(rubric)
    if not isinstance(scores, pd.DataFrame):
        raise SmmrubricError(f"must be a candidates x competencies DataFrame, got {type(scores).__name__}",
                             field="scores")
    scored = score(rubric, scores, rule="compensatory_ignore_must_haves")
    return scored.loc[scores.index.astype(str), ["skills", "traits"]]


def _top_choices(totals: np.ndarray) -> np.ndarray:
    """Position of the best candidate in each column of a candidates x shares array.

    Totals within :data:`smmrubric.scoring.TIE_TOLERANCE` of the column's best tie (the same totals
    reached along different floating-point paths), and the first tied candidate in input order wins.
    """
    tol = TIE_TOLERANCE * max(1.0, float(np.abs(totals).max()))
    return np.argmax(totals >= totals.max(axis=0) - tol, axis=0)


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
    rubric = _check_rubric(rubric)
    grid = _shares(np.linspace(0.0, 1.0, 21) if shares is None else shares)
    reference = check_probability(reference_share, "reference_share")
    grid = np.union1d(grid, [reference])
    if not isinstance(scores, pd.DataFrame):
        raise SmmrubricError(f"must be a candidates x competencies DataFrame, got {type(scores).__name__}",
                             field="scores")
    if len(scores) == 0:
        raise SmmrubricError("has no candidates", field="scores")
    k = check_int(k, "k", low=1, high=len(scores))
    subscores = category_subscores(scores, rubric)
    totals = rubric_totals(scores, {float(s): rubric.with_category_share(float(s)) for s in grid})
    totals.columns = pd.Index(grid, name="skill_share")
    membership = top_k_membership(totals, k).T
    overlap = top_k_overlaps(totals[reference], totals, k)
    tau = [ranking_agreement(totals[s], totals[reference], k=k)["kendall_tau"] if len(totals) > 1 else 1.0
           for s in grid]
    summary = pd.DataFrame({
        "top_choice": totals.index[_top_choices(totals.to_numpy())],
        "top_k_overlap": overlap.to_numpy(),
        "kendall_tau": tau,
    }, index=pd.Index(grid, name="skill_share"))
    return SplitSweep(summary=summary, membership=membership, totals=totals, subscores=subscores,
                      top_choice_breaks=split_break_points(subscores, 1),
                      top_k_breaks=split_break_points(subscores, k), k=k, reference_share=reference)


# -- quality of hire and hire now, grow later --------------------------------------------------------

#: Spread of the yearly skill gain across people, as a multiple of the mean gain (``gain_sd =
#: gain_cv * skill_gain``, so no growth means no spread). An assumption: no meta-analytic estimate of
#: individual differences in training gains is used.
DEFAULT_GAIN_CV = 0.5
#: Correlation of a person's learning rate with their traits composite. An assumption, in the
#: direction of Colquitt, LePine & Noe (2000), who find conscientiousness and motivation to learn
#: predict skill acquisition in training; the value .3 is not a meta-analytic estimate.
DEFAULT_LEARNING_TRAIT_CORRELATION = 0.3
#: The horizons of the study, in months after hire (issue 7).
DEFAULT_MONTHS = (0, 6, 12, 24)


def _criterion_weights(rubric: Rubric, skill_validity: Any, trait_validity: Any) -> tuple[np.ndarray, pd.DataFrame]:
    """The criterion's competency weights beta (model correlation matrix) and that matrix."""
    corr = simulate.implied_correlation(rubric)
    beta = simulate.performance_weights(rubric, corr, skill_validity=skill_validity, trait_validity=trait_validity)
    return beta.drop("residual").to_numpy(dtype=float), corr


def quality_of_hire(
    rubric: Rubric,
    shares: Any = None,
    *,
    selection_ratio: float = 0.1,
    base_rate: float = 0.5,
    skill_validity: float | None = None,
    trait_validity: float | None = None,
    reliability: float = 1.0,
) -> pd.DataFrame:
    """Expected quality of hire for each skill share, in selection-science terms.

    The criterion is the simulation's (:func:`smmrubric.simulate.performance_weights`,
    ``Y = beta'z + e``, Var(Y) = 1) under the model correlation matrix ``R`` of the true standings
    (:func:`smmrubric.simulate.implied_correlation`). Each competency's validity is
    ``v = R beta`` and the rubric total at skill share ``s`` (weights ``w(s)`` from
    :meth:`smmrubric.Rubric.with_category_share`) has validity

    ``r(s) = sqrt(rel) * w(s)'v / sqrt(w(s)'R w(s))``

    (:func:`smmrubric.selection.composite_validity`, Ghiselli, Campbell & Zedeck 1981, attenuated by the
    square root of the total's reliability ``rel``, Spearman 1904). Hiring the top ``selection_ratio``
    then gives

    * mean criterion z of the hired ``= r(s) * phi(z_p) / p`` (Naylor & Shine 1965,
      :func:`smmrubric.selection.mean_z_selected`);
    * success ratio ``= P(X > z_p, Y > z_b) / p`` (Taylor & Russell 1939,
      :func:`smmrubric.selection.taylor_russell`), the share of hires who would be successful when a
      share ``base_rate`` of applicants would be.

    Parameters
    ----------
    rubric
        The rubric whose split is varied.
    shares
        Skill shares in [0, 1]; default 0, 0.05, ..., 1.
    selection_ratio
        Share of applicants hired, in (0, 1].
    base_rate
        Share of applicants who would succeed, in (0, 1).
    skill_validity, trait_validity
        Correlations of the criterion with the skills and traits composites (defaults .40 and .19,
        Sackett et al. 2022; see :func:`smmrubric.simulate.performance_weights`).
    reliability
        Reliability of the rubric total, in (0, 1]; 1 = the true standings themselves.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``skill_share``: ``validity``, ``mean_z_hired``, ``success_ratio``.
    """
    rubric = _check_rubric(rubric)
    grid = _shares(np.linspace(0.0, 1.0, 21) if shares is None else shares)
    rel = check_number(reliability, "reliability", low=0.0, high=1.0, low_open=True)
    beta, corr = _criterion_weights(rubric, skill_validity, trait_validity)
    item_validity = pd.Series(corr.to_numpy() @ beta, index=corr.index)
    validity = np.array([composite_validity(rubric.with_category_share(float(s)).weights, item_validity, corr)
                         for s in grid]) * np.sqrt(rel)
    return pd.DataFrame({
        "validity": validity,
        "mean_z_hired": validity * mean_z_selected(selection_ratio),
        "success_ratio": taylor_russell(base_rate, selection_ratio, validity),
    }, index=pd.Index(grid, name="skill_share"))


@dataclass(frozen=True)
class _Pools:
    """Simulated applicant pools: true standings and the observed skill / trait subscores."""

    true: list[pd.DataFrame]
    skills: np.ndarray       # (pools, n)
    traits: np.ndarray       # (pools, n)
    develop_seeds: np.ndarray


def _simulate_pools(rubric: Rubric, n: int, n_pools: int, raters: int, reliability: float | None,
                    seed: Any, progress: bool | str) -> _Pools:
    rng = as_rng(seed)
    m = len(rubric)
    skill_w = rubric.with_category_share(1.0).weights.to_numpy()
    trait_w = rubric.with_category_share(0.0).weights.to_numpy()
    true, skills, traits, seeds = [], np.empty((n_pools, n)), np.empty((n_pools, n)), np.empty(n_pools, dtype=np.int64)
    for r in progress_iter(range(n_pools), total=n_pools, progress=progress, desc="pools"):
        z = simulate.candidates(rubric, n, seed=rng)
        if reliability is None:
            x = z.to_numpy()
        else:
            long = simulate.ratings(z, rubric, seed=rng, raters=raters, reliability=reliability)
            # simulate.ratings returns candidates in pool order, then raters, then competencies in
            # rubric order, so the mean over raters is a reshape (the layout is checked, not assumed).
            if (list(long["competency_id"].iloc[:m]) != rubric.competency_ids
                    or long["candidate_id"].iloc[::raters * m].tolist() != z.index.astype(str).tolist()):
                raise SmmrubricError("simulate.ratings no longer returns candidates x raters x competencies "
                                     "in order; the mean over raters cannot be a reshape", field="ratings")
            x = long["score"].to_numpy(dtype=float).reshape(n, raters, m).mean(axis=1)
        true.append(z)
        skills[r], traits[r] = weighted_sum(x, skill_w), weighted_sum(x, trait_w)
        seeds[r] = rng.integers(2**62)
    return _Pools(true=true, skills=skills, traits=traits, develop_seeds=seeds)


def _hired(pools: _Pools, grid: np.ndarray, k: int) -> np.ndarray:
    """Positions of the top k in each pool at each share: (pools, shares, k); ties by candidate order."""
    totals = grid[None, :, None] * pools.skills[:, None, :] + (1.0 - grid[None, :, None]) * pools.traits[:, None, :]
    return np.argsort(-totals, axis=2, kind="stable")[:, :, :k]


def _performance_of_hired(pools: _Pools, hired: np.ndarray, rubric: Rubric, months: float, betas: np.ndarray,
                          skill_gain: float, gain_cv: float, learning_trait_correlation: float) -> np.ndarray:
    """Mean expected criterion of the hired: (pools, criteria, shares) for criterion weights ``betas`` (c, m)."""
    out = np.empty((len(pools.true), betas.shape[0], hired.shape[1]))
    for r, z in enumerate(pools.true):
        grown = simulate.develop(z, rubric, months, seed=int(pools.develop_seeds[r]), skill_gain=skill_gain,
                                 gain_sd=gain_cv * abs(skill_gain),
                                 learning_trait_correlation=learning_trait_correlation).to_numpy()
        expected = grown @ betas.T                       # (n, criteria)
        out[r] = expected[hired[r]].mean(axis=1).T       # (criteria, shares)
    return out


def _check_study(rubric: Rubric, shares: Any, k: int, n: int, n_pools: int, raters: int, reliability: Any,
                 gain_cv: Any, learning_trait_correlation: Any, progress: Any) -> tuple:
    rubric = _check_rubric(rubric)
    grid = _shares(np.linspace(0.0, 1.0, 21) if shares is None else shares)
    n = check_int(n, "n", low=2)
    k = check_int(k, "k", low=1, high=n)
    n_pools = check_int(n_pools, "n_pools", low=2)
    raters = check_int(raters, "raters", low=1)
    if reliability is not None:
        reliability = check_number(reliability, "reliability", low=0.0, high=1.0, low_open=True)
    cv = check_number(gain_cv, "gain_cv", low=0.0)
    c = check_number(learning_trait_correlation, "learning_trait_correlation", low=-1.0, high=1.0)
    progress_enabled(progress)  # refuses anything but True, False, 'auto' before the long run
    return rubric, grid, k, n, n_pools, raters, reliability, cv, c


def _summarise(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo mean and standard error over pools (axis 0)."""
    return values.mean(axis=0), values.std(axis=0, ddof=1) / np.sqrt(values.shape[0])


def _near_best(values: np.ndarray, grid: np.ndarray) -> tuple[int, float, float]:
    """The best share of a (pools, shares) array and the range of shares not distinguishable from it.

    A share is indistinguishable from the best when its mean is within two Monte Carlo standard errors
    of the paired difference (same pools) of the best one's.
    """
    mean = values.mean(axis=0)
    best = int(mean.argmax())
    diff = values[:, [best]] - values
    se = diff.std(axis=0, ddof=1) / np.sqrt(values.shape[0])
    close = grid[diff.mean(axis=0) <= 2 * se]
    return best, float(close.min()), float(close.max())


@dataclass(frozen=True)
class GrowthStudy:
    """Hire now, grow later (see :func:`hire_and_grow`).

    Attributes
    ----------
    curves : pandas.DataFrame
        Indexed by (``months``, ``skill_share``): ``mean_performance`` (expected criterion z of the
        hired, averaged over pools) and ``se`` (its Monte Carlo standard error over pools).
    best : pandas.DataFrame
        Indexed by ``months``: ``best_share`` (the share with the highest mean), ``near_best_from``
        and ``near_best_to`` (the range of shares whose mean is within two Monte Carlo standard errors of
        the paired difference from the best's), its ``mean_performance`` and ``se``, and ``gain_over_hire_best`` with ``gain_se``: how much better
        the horizon's best share does than the share that is best at hire, at that horizon (paired over
        pools, so its standard error is that of the difference).
    parameters : dict
        The assumptions used.
    """

    curves: pd.DataFrame
    best: pd.DataFrame
    parameters: dict


def hire_and_grow(
    rubric: Rubric,
    *,
    seed: int | np.random.Generator,
    shares: Any = None,
    months: Any = DEFAULT_MONTHS,
    k: int = 10,
    n: int = 200,
    n_pools: int = 200,
    raters: int = 3,
    reliability: float | None = simulate.DEFAULT_RELIABILITY,
    skill_gain: float = simulate.DEFAULT_SKILL_GAIN,
    gain_cv: float = DEFAULT_GAIN_CV,
    learning_trait_correlation: float = DEFAULT_LEARNING_TRAIT_CORRELATION,
    skill_validity: float | None = None,
    trait_validity: float | None = None,
    progress: bool | str = "auto",
) -> GrowthStudy:
    """Hire now, grow later: expected true performance of the hired under each skill share, over time.

    For each of ``n_pools`` simulated pools of ``n`` applicants (:func:`smmrubric.simulate.candidates`,
    rated by ``raters`` interviewers with single-rating reliability ``reliability``,
    :func:`smmrubric.simulate.ratings`), the top ``k`` on the rubric total at skill share ``s``,
    ``s S_i + (1 - s) T_i`` (see :func:`category_subscores`), are hired. Their performance is

    ``P_i(t) = beta' z_i(t)``,

    the criterion of :func:`smmrubric.simulate.performance_weights` (model correlation matrix, skill
    and trait validities) *recomputed from the developed standings* ``z_i(t)`` of
    :func:`smmrubric.simulate.develop` after ``t`` months, with the *same* weights ``beta``: what the
    job rewards does not change, the people do. ``P_i`` is the expected criterion given the standings
    (the criterion's residual has mean 0 and is independent of who is hired), in SD units of the
    applicants' performance at hire. Skills grow by ``skill_gain`` SD a year on average, with a spread
    ``gain_cv * skill_gain`` across people whose learning rate correlates
    ``learning_trait_correlation`` with their traits; traits do not change.

    Why the spread matters: if everyone's skills grew alike (``gain_cv = 0``), every hire would gain
    the same ``t * skill_gain * sum_{j skill} beta_j`` and the best share could not move with the
    horizon. Hiring on traits pays off later only if people with stronger traits learn faster.

    The mean over pools and its Monte Carlo standard error (SD over pools / sqrt(n_pools)) are
    reported; the same pools serve every share and horizon (common random numbers), and each pool's
    learning rates are the same at every horizon.

    Parameters
    ----------
    rubric
        The rubric whose split is varied (it defines the competencies and the criterion composites).
    seed
        An int or a numpy Generator.
    shares
        Skill shares in [0, 1]; default 0, 0.05, ..., 1.
    months
        Horizons in months after hire, >= 0; default 0, 6, 12, 24.
    k, n, n_pools
        Hires per pool, applicants per pool, pools.
    raters, reliability
        Interview panel size and single-rating reliability (default .44, Huffcutt et al. 2013);
        ``reliability=None`` hires on the true standings (a perfectly measured rubric).
    skill_gain
        Mean skill growth in SD per year (default .6, Arthur et al. 2003).
    gain_cv
        Spread of the yearly gain across people as a multiple of ``|skill_gain|`` (default .5, an
        assumption, :data:`DEFAULT_GAIN_CV`).
    learning_trait_correlation
        Correlation of the learning rate with the traits composite (default .3, an assumption,
        :data:`DEFAULT_LEARNING_TRAIT_CORRELATION`).
    skill_validity, trait_validity
        The criterion's correlations with the skills and traits composites (defaults .40 and .19,
        Sackett et al. 2022).
    progress
        Progress bar over pools (``"auto"``: off under ``make``).

    Returns
    -------
    GrowthStudy
    """
    rubric, grid, k, n, n_pools, raters, reliability, cv, c = _check_study(
        rubric, shares, k, n, n_pools, raters, reliability, gain_cv, learning_trait_correlation, progress)
    horizons = _months(months)
    gain = check_number(skill_gain, "skill_gain")
    beta, _ = _criterion_weights(rubric, skill_validity, trait_validity)
    pools = _simulate_pools(rubric, n, n_pools, raters, reliability, seed, progress)
    hired = _hired(pools, grid, k)
    values = np.stack([_performance_of_hired(pools, hired, rubric, h, beta[None, :], gain, cv, c)[:, 0]
                       for h in horizons], axis=1)          # (pools, horizons, shares)
    mean, se = _summarise(values)
    index = pd.MultiIndex.from_product([horizons, grid], names=["months", "skill_share"])
    curves = pd.DataFrame({"mean_performance": mean.ravel(), "se": se.ravel()}, index=index)
    near = [_near_best(values[:, h], grid) for h in range(len(horizons))]
    best_at = np.array([b for b, _, _ in near])
    diff = values[:, np.arange(len(horizons)), best_at] - values[:, :, best_at[0]]
    best = pd.DataFrame({
        "best_share": grid[best_at],
        "near_best_from": [lo for _, lo, _ in near],
        "near_best_to": [hi for _, _, hi in near],
        "mean_performance": mean[np.arange(len(horizons)), best_at],
        "se": se[np.arange(len(horizons)), best_at],
        "gain_over_hire_best": diff.mean(axis=0),
        "gain_se": diff.std(axis=0, ddof=1) / np.sqrt(n_pools),
    }, index=pd.Index(horizons, name="months"))
    parameters = {"k": k, "n": n, "n_pools": n_pools, "raters": raters, "reliability": reliability,
                  "skill_gain": gain, "gain_cv": cv, "learning_trait_correlation": c,
                  "skill_validity": simulate.DEFAULT_SKILL_VALIDITY if skill_validity is None else skill_validity,
                  "trait_validity": simulate.DEFAULT_TRAIT_VALIDITY if trait_validity is None else trait_validity}
    return GrowthStudy(curves=curves, best=best, parameters=parameters)


def _number_list(values: Any, field: str, **bounds: Any) -> np.ndarray:
    """A number or a non-empty 1-D sequence of numbers (each checked by ``check_number`` with ``bounds``).

    Text, mappings, nested sequences and booleans are refused with the position of the first bad value.
    """
    if isinstance(values, np.ndarray) and values.ndim == 0:
        values = values.item()
    if isinstance(values, Real) and not isinstance(values, bool):
        values = [values]
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise SmmrubricError(f"must be a number or a list of numbers, got {values!r}", field=field)
    numbers = [check_number(v, f"{field}[{i}]", **bounds) for i, v in enumerate(values)]
    if not numbers:
        raise SmmrubricError("must not be empty", field=field)
    return np.array(numbers, dtype=float)


def _months(months: Any) -> np.ndarray:
    values = _number_list(months, "months", low=0.0)
    if values[0] != 0:
        raise SmmrubricError("the first horizon must be 0 (at hire), the reference of the others", field="months")
    if np.unique(values).size != values.size:
        raise SmmrubricError("horizons must not repeat", field="months")
    return values


def growth_grid(
    rubric: Rubric,
    *,
    seed: int | np.random.Generator,
    skill_gains: Any = (0.0, 0.3, 0.6, 0.9, 1.2),
    trait_validities: Any = (0.1, 0.19, 0.3, 0.4, 0.5),
    months: float = 24,
    shares: Any = None,
    k: int = 10,
    n: int = 200,
    n_pools: int = 200,
    raters: int = 3,
    reliability: float | None = simulate.DEFAULT_RELIABILITY,
    gain_cv: float = DEFAULT_GAIN_CV,
    learning_trait_correlation: float = DEFAULT_LEARNING_TRAIT_CORRELATION,
    skill_validity: float | None = None,
    progress: bool | str = "auto",
) -> pd.DataFrame:
    """The best skill share at a horizon for each combination of skill growth and trait validity.

    The study of :func:`hire_and_grow` at one horizon, repeated over a grid of assumptions; the same
    simulated pools (and learning rates) serve every cell, so cells differ only by the assumptions.

    Parameters
    ----------
    rubric, seed, shares, k, n, n_pools, raters, reliability, gain_cv, learning_trait_correlation, skill_validity
        As in :func:`hire_and_grow`.
    skill_gains
        Mean yearly skill growth values (SD per year); the spread across people is
        ``gain_cv * |skill_gain|``.
    trait_validities
        Correlations of the criterion with the traits composite (each must be jointly possible with
        ``skill_validity``, see :func:`smmrubric.simulate.performance_weights`).
    months
        The horizon, > 0.

    Returns
    -------
    pandas.DataFrame
        One row per (``skill_gain``, ``trait_validity``): ``months``, ``best_share_at_hire``,
        ``best_share`` (at ``months``), ``near_best_from`` and ``near_best_to`` (the range of shares
        whose mean is within two Monte Carlo standard errors of the paired difference from the best:
        the best share is only known to lie in it), ``mean_performance`` and ``se`` of the best share at
        ``months``.
    """
    rubric, grid, k, n, n_pools, raters, reliability, cv, c = _check_study(
        rubric, shares, k, n, n_pools, raters, reliability, gain_cv, learning_trait_correlation, progress)
    horizon = check_number(months, "months", low=0.0, low_open=True)
    gains = _number_list(skill_gains, "skill_gains")
    validities = _number_list(trait_validities, "trait_validities", low=-1.0, high=1.0)
    betas = np.stack([_criterion_weights(rubric, skill_validity, v)[0] for v in validities])
    pools = _simulate_pools(rubric, n, n_pools, raters, reliability, seed, progress)
    hired = _hired(pools, grid, k)
    at_hire = _performance_of_hired(pools, hired, rubric, 0.0, betas, 0.0, 0.0, 0.0).mean(axis=0)
    rows = []
    for gain in gains:
        later = _performance_of_hired(pools, hired, rubric, horizon, betas, gain, cv, c)
        mean, se = _summarise(later)
        for j, validity in enumerate(validities):
            best, low, high = _near_best(later[:, j], grid)
            rows.append({"skill_gain": gain, "trait_validity": validity, "months": horizon,
                         "best_share_at_hire": grid[int(at_hire[j].argmax())], "best_share": grid[best],
                         "near_best_from": low, "near_best_to": high,
                         "mean_performance": mean[j, best], "se": se[j, best]})
    return pd.DataFrame(rows)
