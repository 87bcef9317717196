"""How the experts split skills from traits: author labels against our categories and against O*NET.

Cohen's kappa between two nominal classifications, the agreement of the authors' own labels with our
vocabulary's categories per list, the items on which they disagree (with the data set's note on why), and
the agreement of our categories with O*NET's split of skills (content model 2.A basic / 2.B cross-functional
skills) from work styles (1.C).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data import CATEGORIES, list_summary
from ..errors import SmmrubricError

__all__ = ["ONET_SPLIT", "cohen_kappa", "label_agreement", "label_disagreements", "onet_agreement", "onet_category"]

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



