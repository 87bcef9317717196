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
from ..validation import check_choice

__all__ = [
    "ONET_READINGS",
    "ONET_SPLIT",
    "cohen_kappa",
    "label_agreement",
    "label_disagreements",
    "label_kappa_bootstrap",
    "onet_agreement",
    "onet_category",
    "onet_readings",
]

#: O*NET content-model prefixes and the side of the skill / trait split they fall on. Skills are the
#: Worker Requirements "Basic Skills" (2.A) and "Cross-Functional Skills" (2.B); work styles (Worker
#: Characteristics, 1.C) are "personal characteristics that can affect how well someone performs a job",
#: i.e. traits. Any other element (knowledge 2.C, abilities 1.A, work activities 4.A, ...) is on neither
#: side and is left out of the comparison.
ONET_SPLIT = {"2.A": "skill", "2.B": "skill", "1.C": "trait"}

_AGREEMENT_COLUMNS = [
    "n",
    "n_agree",
    "p_observed",
    "p_expected",
    "kappa",
    "kappa_se",
    "kappa_low",
    "kappa_high",
    "kappa_se0",
    "kappa_p",
    "pabak",
    "prevalence_index",
    "bias_index",
]


def cohen_kappa(
    a: pd.Series | np.ndarray | list,
    b: pd.Series | np.ndarray | list,
    *,
    categories: list | None = None,
    confidence: float = 0.95,
) -> pd.Series:
    """Cohen's kappa between two nominal classifications of the same items, with its uncertainty.

    With :math:`n` items, :math:`p_{ij}` the share classified :math:`i` by ``a`` and :math:`j` by ``b``,
    row and column margins :math:`p_{i\\cdot}`, :math:`p_{\\cdot j}`:

    .. math::

        \\kappa = \\frac{p_o - p_e}{1 - p_e}, \\qquad p_o = \\sum_i p_{ii}, \\qquad
        p_e = \\sum_i p_{i\\cdot}\\, p_{\\cdot i}

    (Cohen 1960, eq. 1), computed from the integer counts with one final division. The standard error is
    the large-sample one of Fleiss, Cohen & Everitt (1969, eq. 13), which replaces Cohen's (1960)
    approximation :math:`\\sqrt{p_o(1-p_o)/n}/(1-p_e)`:

    .. math::

        \\widehat{\\mathrm{Var}}(\\kappa) = \\frac{\\sum_i p_{ii}\\,[1 - (p_{i\\cdot} + p_{\\cdot i})(1 - \\kappa)]^2
        + (1-\\kappa)^2 \\sum_{i \\ne j} p_{ij}\\,(p_{\\cdot i} + p_{j\\cdot})^2
        - [\\kappa - p_e(1-\\kappa)]^2}{n\\,(1 - p_e)^2}

    ``kappa_low``/``kappa_high`` is the Wald interval :math:`\\kappa \\pm z_{(1+c)/2}\\,\\mathrm{SE}`
    clipped to [-1, 1]; it assumes many independent items and says nothing about items clustered in
    lists. Under :math:`\\kappa = 0` (independent classifications) the variance is
    :math:`[p_e + p_e^2 - \\sum_i p_{i\\cdot}p_{\\cdot i}(p_{i\\cdot} + p_{\\cdot i})] / [n(1-p_e)^2]`
    (Fleiss et al. 1969, eq. 14): ``kappa_se0`` and the two-sided ``kappa_p`` of :math:`z = \\kappa /
    \\mathrm{SE}_0`. These reproduce SAS PROC FREQ's "ASE", confidence limits and "ASE under H0".

    Beside kappa, the prevalence- and bias-adjusted kappa :math:`\\mathrm{PABAK} = (k p_o - 1)/(k - 1)`
    with :math:`k` categories (:math:`2p_o - 1` for two; Byrt, Bishop & Carlin 1993; Brennan & Prediger
    1981 for :math:`k > 2`), and, for two categories with counts :math:`a = n_{11}`, :math:`b = n_{12}`,
    :math:`c = n_{21}`, :math:`d = n_{22}` (category 1 = the first of ``categories``; ``a``'s label
    first), the prevalence index :math:`\\mathrm{PI} = (a - d)/n` and the bias index
    :math:`\\mathrm{BI} = (b - c)/n` (Byrt et al. 1993), for which
    :math:`\\kappa = (\\mathrm{PABAK} - \\mathrm{PI}^2 + \\mathrm{BI}^2)/(1 - \\mathrm{PI}^2 + \\mathrm{BI}^2)`.

    Undefined values: with no items everything but ``n`` is NaN; kappa is 0/0 only when chance
    agreement is exactly 1 (both classifications put every item in one and the same category), checked
    on the integer counts without a tolerance, and is then NaN with its SEs (``p_observed`` = 1 and
    PABAK are still given). PI and BI are NaN unless there are exactly two categories.

    Parameters
    ----------
    a, b
        The two classifications, same length, no missing values (labels of any hashable type).
    categories
        The categories in order (default: every label seen, sorted as text); :math:`k` for PABAK is
        their number and the first one is category 1 of PI and BI.
    confidence
        Level of the Wald interval, in (0, 1).

    Returns
    -------
    pandas.Series
        ``n``, ``n_agree``, ``p_observed``, ``p_expected``, ``kappa``, ``kappa_se``, ``kappa_low``,
        ``kappa_high``, ``kappa_se0``, ``kappa_p``, ``pabak``, ``prevalence_index``, ``bias_index``.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and Psychological
    Measurement*, 20(1), 37-46.
    Fleiss, J. L., Cohen, J., & Everitt, B. S. (1969). Large sample standard errors of kappa and weighted
    kappa. *Psychological Bulletin*, 72(5), 323-327.
    Byrt, T., Bishop, J., & Carlin, J. B. (1993). Bias, prevalence and kappa. *Journal of Clinical
    Epidemiology*, 46(5), 423-429.
    Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: some uses, misuses, and alternatives.
    *Educational and Psychological Measurement*, 41(3), 687-699.

    Examples
    --------
    >>> a = ["yes"] * 25 + ["no"] * 25
    >>> b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    >>> cohen_kappa(a, b)[["kappa", "pabak"]].round(3).tolist()
    [0.4, 0.4]
    """
    from scipy.stats import norm

    from ..validation import check_number

    left, right = _labels(a, "a"), _labels(b, "b")
    if len(left) != len(right):
        raise SmmrubricError(f"the two classifications differ in length ({len(left)} vs {len(right)})", field="b")
    for name, labels in (("a", left), ("b", right)):
        missing = labels.isna()
        if missing.any():
            raise SmmrubricError(f"missing label at position {int(np.flatnonzero(missing)[0])}", field=name)
    level = check_number(confidence, "confidence", low=0.0, high=1.0, low_open=True, high_open=True)
    cats = _categories(left, right, categories)
    n = len(left)
    if n == 0:
        return pd.Series({"n": 0, "n_agree": 0} | dict.fromkeys(_AGREEMENT_COLUMNS[2:], np.nan))
    code = {c: i for i, c in enumerate(cats)}
    k = len(cats)
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (left.map(code).to_numpy(dtype=np.int64), right.map(code).to_numpy(dtype=np.int64)), 1)
    agree = int(np.trace(counts))
    rows, cols = counts.sum(axis=1), counts.sum(axis=0)
    chance = int(rows @ cols)  # n^2 p_e, exact
    out = {"n": n, "n_agree": agree, "p_observed": agree / n, "p_expected": chance / (n * n)}
    out["pabak"] = (k * agree - n) / (n * (k - 1)) if k > 1 else np.nan
    out["prevalence_index"] = (counts[0, 0] - counts[1, 1]) / n if k == 2 else np.nan
    out["bias_index"] = (counts[0, 1] - counts[1, 0]) / n if k == 2 else np.nan
    if chance == n * n:  # chance agreement exactly 1: kappa is 0/0
        out |= dict.fromkeys(["kappa", "kappa_se", "kappa_low", "kappa_high", "kappa_se0", "kappa_p"], np.nan)
        return pd.Series(out)[_AGREEMENT_COLUMNS]
    kappa = (n * agree - chance) / (n * n - chance)
    p, pr, pc, p_e = counts / n, rows / n, cols / n, chance / (n * n)
    diagonal = np.diag(p) @ (1.0 - (pr + pc) * (1.0 - kappa)) ** 2
    off = p * (pc[:, None] + pr[None, :]) ** 2
    np.fill_diagonal(off, 0.0)
    variance = (diagonal + (1.0 - kappa) ** 2 * off.sum() - (kappa - p_e * (1.0 - kappa)) ** 2) / (n * (1 - p_e) ** 2)
    variance0 = (p_e + p_e**2 - (pr * pc) @ (pr + pc)) / (n * (1 - p_e) ** 2)
    se, se0 = float(np.sqrt(max(variance, 0.0))), float(np.sqrt(max(variance0, 0.0)))
    z = float(norm.ppf(0.5 + level / 2))
    out |= {
        "kappa": kappa,
        "kappa_se": se,
        "kappa_low": max(-1.0, kappa - z * se),
        "kappa_high": min(1.0, kappa + z * se),
        "kappa_se0": se0,
        "kappa_p": float(2 * norm.sf(abs(kappa) / se0)) if se0 > 0 else np.nan,
    }
    return pd.Series(out)[_AGREEMENT_COLUMNS]


def _categories(left: pd.Series, right: pd.Series, categories: Any) -> list:
    """The categories in order: given, or every label seen sorted as text; every label must be one."""
    seen = list(dict.fromkeys([*left, *right]))
    if categories is None:
        return sorted(seen, key=str)
    if isinstance(categories, (str, bytes)) or not isinstance(categories, (list, tuple, pd.Index)):
        raise SmmrubricError(f"must be a list of categories, got {categories!r}", field="categories")
    cats = list(categories)
    if len(set(cats)) != len(cats):
        raise SmmrubricError("has a category twice", field="categories")
    unknown = [x for x in seen if x not in cats]
    if unknown:
        raise SmmrubricError(f"label {unknown[0]!r} is not among the categories {cats}", field="categories")
    return cats


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
            raise SmmrubricError(
                f"label at position {i} is a {type(label).__name__}, not a category", field=field
            ) from None
    return labels


def _check_columns(frame: pd.DataFrame, columns: set[str], field: str, source: str) -> None:
    if not isinstance(frame, pd.DataFrame) or not columns <= set(frame.columns):
        have = sorted(frame.columns) if isinstance(frame, pd.DataFrame) else type(frame).__name__
        raise SmmrubricError(
            f"must be a DataFrame from {source} with columns {sorted(columns)}; got {have}", field=field
        )


def _no_reserved_ids(expert_lists: pd.DataFrame) -> None:
    reserved = sorted({"all", "vocabulary"} & set(expert_lists["list_id"]))
    if reserved:
        raise SmmrubricError(
            f"list id {reserved[0]!r} is reserved for the pooled rows of the result; rename the list",
            row=f"list {reserved[0]}",
            field="list_id",
        )


def _agreement_by_list(items: pd.DataFrame, left: str, right: str) -> pd.DataFrame:
    """Cohen's kappa of two label columns within each list and over all items (row ``"all"``)."""
    rows = {
        list_id: cohen_kappa(group[left], group[right], categories=list(CATEGORIES))
        for list_id, group in items.groupby("list_id", sort=False)
    }
    rows["all"] = cohen_kappa(items[left], items[right], categories=list(CATEGORIES))
    return pd.DataFrame(rows).T[_AGREEMENT_COLUMNS].astype({"n": int, "n_agree": int})


def label_agreement(expert_lists: pd.DataFrame) -> pd.DataFrame:
    """Per expert list: skills versus traits by the author's label and by our category, and their agreement.

    Only items the author labelled (``author_label`` skill or trait, not ``unlabeled``) enter the
    comparison; the shares over all items come from :func:`smmrubric.data.list_summary`.

    Parameters
    ----------
    expert_lists
        From :func:`smmrubric.load_expert_lists` (needs ``list_id``, ``list_name``, ``expert``, ``year``,
        ``author_label`` and ``category``).

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
    _check_columns(
        expert_lists,
        {"list_id", "list_name", "expert", "year", "author_label", "category"},
        "expert_lists",
        "load_expert_lists",
    )
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


def label_kappa_bootstrap(
    expert_lists: pd.DataFrame, *, seed: Any, n_draws: int = 2000, confidence: float = 0.95
) -> pd.Series:
    """Kappa of the authors' labels against our categories, with a cluster bootstrap over the lists.

    The labelled items are not independent: they come in lists (one author labels a whole list, often by
    its title). This resamples the labelled lists with replacement, ``n_draws`` times, pools their items
    and recomputes Cohen's kappa from the pooled 2 x 2 counts; the percentile interval of those kappas is
    a cluster-bootstrap interval (Davison & Hinkley 1997, section 3.8). Draws in which kappa is undefined
    (every resampled item in one category on both sides) are counted and left out of the interval.

    Parameters
    ----------
    expert_lists
        From :func:`smmrubric.load_expert_lists` (``list_id``, ``author_label``, ``category``).
    n_draws
        Bootstrap draws.
    seed
        Seed or numpy Generator (:func:`smmrubric.validation.as_rng`).
    confidence
        Level of the percentile interval.

    Returns
    -------
    pandas.Series
        ``kappa`` (all labelled items), ``low``, ``high`` (percentile interval), ``n_lists`` (labelled
        lists resampled), ``n_draws``, ``n_undefined`` (draws with kappa undefined).
    """
    from ..validation import as_rng, check_int, check_number

    _check_columns(expert_lists, {"list_id", "author_label", "category"}, "expert_lists", "load_expert_lists")
    n_draws = check_int(n_draws, "n_draws", low=1)
    level = check_number(confidence, "confidence", low=0.0, high=1.0, low_open=True, high_open=True)
    labelled = expert_lists[expert_lists["author_label"].isin(CATEGORIES)]
    lists = list(dict.fromkeys(labelled["list_id"]))
    if not lists:
        return pd.Series(
            {"kappa": np.nan, "low": np.nan, "high": np.nan, "n_lists": 0, "n_draws": n_draws, "n_undefined": n_draws}
        )
    # per list: counts of (author, ours) in the order ss, st, ts, tt
    cells = [("skill", "skill"), ("skill", "trait"), ("trait", "skill"), ("trait", "trait")]
    pairs = list(zip(labelled["author_label"], labelled["category"]))
    ids = labelled["list_id"].to_numpy()
    counts = np.array([[sum(1 for i, p in zip(ids, pairs) if i == lst and p == c) for c in cells] for lst in lists])
    draws = as_rng(seed).multinomial(len(lists), np.full(len(lists), 1 / len(lists)), size=n_draws)
    tables = draws @ counts  # (draws, 4), integers
    kappas = _kappa_2x2(tables)
    defined = kappas[~np.isnan(kappas)]
    tail = (1 - level) / 2
    low, high = np.quantile(defined, [tail, 1 - tail]) if defined.size else (np.nan, np.nan)
    return pd.Series(
        {
            "kappa": float(_kappa_2x2(counts.sum(axis=0)[None, :])[0]),
            "low": float(low),
            "high": float(high),
            "n_lists": len(lists),
            "n_draws": n_draws,
            "n_undefined": int(np.isnan(kappas).sum()),
        }
    )


def _kappa_2x2(tables: np.ndarray) -> np.ndarray:
    """Cohen's kappa of 2 x 2 count tables given as rows (a, b, c, d), from integers; NaN when p_e = 1."""
    a, b, c, d = (tables[:, i].astype(np.int64) for i in range(4))
    n = a + b + c + d
    chance = (a + b) * (a + c) + (c + d) * (b + d)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(chance == n * n, np.nan, (n * (a + d) - chance) / (n * n - chance))


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
    columns = ["list_id", "position", "term_fr", "term_en", "author_label", "competency_id", "category", "mapping_note"]
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
        raise SmmrubricError(f"must be a pandas Series of O*NET ids, got {type(onet_id).__name__}", field="onet_id")
    ids = onet_id.astype("string")
    prefix = ids.str.extract(r"^(\d+\.[A-Z])(?:\.|$)", expand=False)
    out = prefix.map(ONET_SPLIT).astype(object)
    out[ids.notna() & pd.Series(out, index=ids.index).isna()] = "other"
    out[ids.isna()] = np.nan
    return out.rename("onet_category")


#: The two readings of the O*NET check (:func:`onet_agreement`).
ONET_READINGS = ("recorded", "contradicting")


def onet_agreement(
    expert_lists: pd.DataFrame,
    competencies: pd.DataFrame,
    crosswalk: pd.DataFrame | None = None,
    *,
    reading: str = "recorded",
) -> pd.DataFrame:
    """Agreement between our skill / trait category and O*NET's skills (2.A, 2.B) vs work styles (1.C).

    Two readings of O*NET's side for a competency:

    * ``"recorded"``: the one element recorded in ``competencies.csv`` (``onet_id``). It was chosen by the
      analyst who also chose the category, so agreement here is partly circular.
    * ``"contradicting"``: every candidate element of ``crosswalk`` (:func:`smmrubric.data.load_onet_crosswalk`),
      read against us: a competency counts as on the other side of O*NET's split as soon as one of its
      candidate elements is (Active Learning, a skill, for continuous_learning; the work style Analytical
      Thinking for analytics), and on our side only when every candidate on the split is. The most
      unfavourable reading of the same crosswalk.

    Only competencies with at least one element on O*NET's split enter (knowledge 2.C and the like are on
    neither side).

    Parameters
    ----------
    expert_lists
        From :func:`smmrubric.load_expert_lists` (``list_id``, ``competency_id``, ``category``).
    competencies
        From :func:`smmrubric.load_competencies` (``category``, ``onet_id``).
    crosswalk
        From :func:`smmrubric.data.load_onet_crosswalk`; needed for ``reading="contradicting"``.
    reading
        ``"recorded"`` or ``"contradicting"``.

    Returns
    -------
    pandas.DataFrame
        Rows: each ``list_id`` (its items), ``"all"`` (every item of every list) and ``"vocabulary"``
        (each competency once). Columns ``n_onet`` (items, or competencies, with at least one O*NET
        element), then the :func:`cohen_kappa` columns over those on O*NET's skill / work-style split.
    """
    _check_columns(expert_lists, {"list_id", "competency_id", "category"}, "expert_lists", "load_expert_lists")
    _check_columns(competencies, {"category", "onet_id"}, "competencies", "load_competencies")
    _no_reserved_ids(expert_lists)
    onet, has_element = _onet_side(competencies, crosswalk, check_choice(reading, "reading", ONET_READINGS))
    unknown = ~expert_lists["competency_id"].isin(competencies.index)
    if unknown.any():
        item = expert_lists.loc[unknown].iloc[0]
        where = f"list {item['list_id']}" + (f", position {item['position']}" if "position" in item.index else "")
        raise SmmrubricError(
            f"competency {item['competency_id']!r} is not in the competencies frame", row=where, field="competency_id"
        )
    items = expert_lists[["list_id", "competency_id", "category"]].assign(
        onet=expert_lists["competency_id"].map(onet), has=expert_lists["competency_id"].map(has_element)
    )
    in_split = items[items["onet"].isin(CATEGORIES)]
    table = _agreement_by_list(in_split, "category", "onet")
    vocabulary = onet.isin(CATEGORIES)
    table.loc["vocabulary"] = cohen_kappa(
        competencies.loc[vocabulary, "category"], onet[vocabulary], categories=list(CATEGORIES)
    )
    order = list(dict.fromkeys(expert_lists["list_id"])) + ["all", "vocabulary"]
    n_onet = items[items["has"]].groupby("list_id").size()
    n_onet["all"] = int(items["has"].sum())
    n_onet["vocabulary"] = int(has_element.sum())
    table = table.reindex(order)
    table.insert(0, "n_onet", n_onet.reindex(order, fill_value=0).astype(int))
    table["n"] = table["n"].fillna(0).astype(int)
    table["n_agree"] = table["n_agree"].fillna(0).astype(int)
    return table


def _onet_side(competencies: pd.DataFrame, crosswalk: pd.DataFrame | None, reading: str) -> tuple[pd.Series, pd.Series]:
    """O*NET's side (skill, trait, other or NaN) of each competency under a reading, and whether it has an element."""
    if reading == "recorded":
        side = onet_category(competencies["onet_id"])
        return side, competencies["onet_id"].notna()
    if crosswalk is None:
        raise SmmrubricError(
            "the 'contradicting' reading needs the crosswalk (smmrubric.data.load_onet_crosswalk)", field="crosswalk"
        )
    _check_columns(crosswalk, {"competency_id", "onet_id"}, "crosswalk", "load_onet_crosswalk")
    sides = crosswalk.assign(side=onet_category(crosswalk["onet_id"]).to_numpy())
    ours = competencies["category"]
    other = {"skill": "trait", "trait": "skill"}
    out = pd.Series(np.nan, index=competencies.index, dtype=object)
    for competency, group in sides.groupby("competency_id", sort=False):
        if competency not in ours.index:
            raise SmmrubricError(
                f"competency {competency!r} is not in the competencies frame", row=str(competency), field="crosswalk"
            )
        on_split = set(group["side"]) & set(CATEGORIES)
        mine = ours[competency]
        out[competency] = other[mine] if other[mine] in on_split else (mine if on_split else "other")
    return out.rename("onet_category"), competencies.index.to_series().isin(set(sides["competency_id"]))


def onet_readings(expert_lists: pd.DataFrame, competencies: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """The O*NET check under both readings, side by side: items of all lists and the vocabulary.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``reading``, ``level``) with ``level`` ``"all"`` (items) and ``"vocabulary"``
        (competencies): the columns of :func:`onet_agreement`, and ``disagree``, the competencies on which
        O*NET's side differs from ours (comma-separated, by id).
    """
    rows, disagree = {}, {}
    for reading in ONET_READINGS:
        table = onet_agreement(expert_lists, competencies, crosswalk, reading=reading)
        side, _ = _onet_side(competencies, crosswalk, reading)
        differ = side.isin(CATEGORIES) & side.ne(competencies["category"])
        for level in ("all", "vocabulary"):
            rows[(reading, level)] = table.loc[level]
            disagree[(reading, level)] = ", ".join(sorted(competencies.index[differ.to_numpy()]))
    out = pd.DataFrame(rows).T
    out.index.names = ["reading", "level"]
    out["disagree"] = pd.Series(disagree)
    return out.astype({"n_onet": int, "n": int, "n_agree": int})
