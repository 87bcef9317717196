"""The analyst's coding as a variable: alternative codings of the lists, and what they do to the headline numbers.

Every number about the experts' lists rests on one analyst's coding: which competency each item names, which
category each competency falls in, which lists count and whether a numbering is an order of importance. A
*coding* is a small override file (``data/codings/<name>.csv``, documented in ``data/codings/README.md``) that
changes some of those choices; :func:`apply_coding` returns the lists and the vocabulary as that coding reads
them, and :func:`coding_sensitivity` reruns the headline statistics of notebooks 01 and 03 under each coding and
tabulates them beside the published coding.

Override rows (columns ``target, list_id, position, competency_id, field, value, rationale``):

=============  ===========================  ===============================================================
``target``     key                          ``field``: ``value``
=============  ===========================  ===============================================================
``coding``     (none)                       ``description``: one line saying what the coding changes (required)
``item``       ``list_id`` + ``position``   ``competency_id``: an id; ``secondary_competency_id``: an id or
                                            empty; ``exclude``: ``true``
``competency`` ``competency_id``            ``category``: ``skill``/``trait``; ``merge_into``: another id;
                                            ``exclude``: ``true`` (its items are left out)
``list``       ``list_id``                  ``exclude``: ``true``; ``ranked``: ``true``/``false``
``all``        (none)                       ``secondaries_named``: ``true`` (each secondary code becomes an
                                            extra, unlabelled item of its list)
=============  ===========================  ===============================================================

Order of application: items, then lists, then competencies (merges, exclusions, categories), then
``secondaries_named``; positions are renumbered 1.. within each list, in their original order.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .data import CATEGORIES, _read, competency_counts
from .errors import SmmrubricError

__all__ = [
    "CODING_COLUMNS",
    "HEADLINES",
    "Coding",
    "apply_coding",
    "coding_sensitivity",
    "headline_statistics",
    "load_coding",
    "load_codings",
]

CODING_COLUMNS = ("target", "list_id", "position", "competency_id", "field", "value", "rationale")
_FIELDS = {
    "coding": ("description",),
    "item": ("competency_id", "secondary_competency_id", "exclude"),
    "competency": ("category", "merge_into", "exclude"),
    "list": ("exclude", "ranked"),
    "all": ("secondaries_named",),
}
_KEYS = {
    "coding": (),
    "item": ("list_id", "position"),
    "competency": ("competency_id",),
    "list": ("list_id",),
    "all": (),
}


@dataclass(frozen=True)
class Coding:
    """One alternative coding: its name (the file's stem), what it changes, and its override rows."""

    name: str
    description: str
    overrides: pd.DataFrame = field(repr=False)


def load_coding(path: str | os.PathLike[str], lists: pd.DataFrame, competencies: pd.DataFrame) -> Coding:
    """Read and check one coding file against the lists and the vocabulary it overrides.

    Raises
    ------
    SmmrubricError
        Naming the file, the row (header = 1) and the column: an unknown target or field, a key that does
        not resolve (a list, an item position or a competency not in the data), a value of the wrong kind
        (an unknown competency id, a category other than skill/trait, a flag other than true/false), the
        same override given twice, or no description.
    """
    path, frame = _read(path, "", CODING_COLUMNS)
    known_lists = set(lists["list_id"])
    items = set(zip(lists["list_id"], lists["position"].astype(int)))
    vocabulary = set(competencies.index)
    seen: set[tuple] = set()
    description = None
    for row, rec in frame.iterrows():
        target = rec["target"]
        if target not in _FIELDS:
            raise SmmrubricError(
                f"target must be one of {', '.join(_FIELDS)}, got {target!r}", file=path, row=int(row), field="target"
            )
        if rec["field"] not in _FIELDS[target]:
            raise SmmrubricError(
                f"a {target} override changes one of {', '.join(_FIELDS[target])}, got {rec['field']!r}",
                file=path,
                row=int(row),
                field="field",
            )
        for name in ("list_id", "position", "competency_id"):
            wanted = name in _KEYS[target]
            if wanted and pd.isna(rec[name]):
                raise SmmrubricError(f"a {target} override needs {name}", file=path, row=int(row), field=name)
            if not wanted and not pd.isna(rec[name]):
                raise SmmrubricError(f"a {target} override takes no {name}", file=path, row=int(row), field=name)
        if target in ("item", "list") and rec["list_id"] not in known_lists:
            raise SmmrubricError(
                f"no list {rec['list_id']!r} in the expert lists", file=path, row=int(row), field="list_id"
            )
        if target == "item":
            position = rec["position"]
            if not (position.isascii() and position.isdigit()) or (rec["list_id"], int(position)) not in items:
                raise SmmrubricError(
                    f"list {rec['list_id']!r} has no item at position {position!r}",
                    file=path,
                    row=int(row),
                    field="position",
                )
        if target == "competency" and rec["competency_id"] not in vocabulary:
            raise SmmrubricError(
                f"unknown competency id {rec['competency_id']!r}", file=path, row=int(row), field="competency_id"
            )
        _check_value(rec, vocabulary, path, int(row))
        key = (target, rec["list_id"], rec["position"], rec["competency_id"], rec["field"])
        if key in seen:
            raise SmmrubricError("this override is given twice", file=path, row=int(row), field="field")
        seen.add(key)
        if target == "coding":
            description = rec["value"]
    if description is None:
        raise SmmrubricError("needs a row 'coding,,,,description,<what the coding changes>'", file=path, field="target")
    overrides = frame[frame["target"] != "coding"].copy()
    overrides["line"] = overrides.index
    return Coding(name=path.stem, description=description, overrides=overrides.reset_index(drop=True))


def _check_value(rec: pd.Series, vocabulary: set, path: Path, row: int) -> None:
    value, name = rec["value"], rec["field"]
    if name in ("exclude", "ranked", "secondaries_named"):
        ok = isinstance(value, str) and value.lower() in ("true", "false")
        if not ok or (name != "ranked" and value.lower() != "true"):
            allowed = "true or false" if name == "ranked" else "true"
            raise SmmrubricError(f"{name} takes {allowed}, got {value!r}", file=path, row=row, field="value")
    elif name == "category":
        if value not in CATEGORIES:
            raise SmmrubricError(f"category must be skill or trait, got {value!r}", file=path, row=row, field="value")
    elif name in ("competency_id", "merge_into") or (name == "secondary_competency_id" and not pd.isna(value)):
        if value not in vocabulary:
            raise SmmrubricError(f"unknown competency id {value!r}", file=path, row=row, field="value")
        if name == "merge_into" and value == rec["competency_id"]:
            raise SmmrubricError("a competency cannot merge into itself", file=path, row=row, field="value")
    elif name == "description" and pd.isna(value):
        raise SmmrubricError("the description is empty", file=path, row=row, field="value")


def load_codings(
    lists: pd.DataFrame, competencies: pd.DataFrame, folder: str | os.PathLike[str] | None = None
) -> dict[str, Coding]:
    """Every coding of a folder (``data/codings/`` by default), by name, in name order."""
    from .paths import data_dir

    folder = Path(folder) if folder is not None else data_dir() / "codings"
    if not folder.is_dir():
        raise SmmrubricError("no such folder of codings", file=folder)
    return {p.stem: load_coding(p, lists, competencies) for p in sorted(folder.glob("*.csv"))}


def apply_coding(
    coding: Coding | None, lists: pd.DataFrame, competencies: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lists and the vocabulary as a coding reads them (``None``: unchanged copies).

    Parameters
    ----------
    coding
        From :func:`load_coding` (checked against these lists and this vocabulary).
    lists, competencies
        From :func:`smmrubric.load_expert_lists` and :func:`smmrubric.load_competencies`.

    Returns
    -------
    (lists, competencies)
        New frames; the lists' ``category`` column is recomputed from the new vocabulary.
    """
    lists, vocabulary = lists.copy(), competencies.copy()
    if coding is None:
        return lists, vocabulary
    o = coding.overrides
    keep = pd.Series(True, index=lists.index)
    for _, rec in o[o["target"] == "item"].iterrows():
        at = (lists["list_id"] == rec["list_id"]) & (lists["position"] == int(rec["position"]))
        if rec["field"] == "exclude":
            keep &= ~at
        else:
            lists.loc[at, rec["field"]] = rec["value"] if not pd.isna(rec["value"]) else np.nan
    for _, rec in o[o["target"] == "list"].iterrows():
        at = lists["list_id"] == rec["list_id"]
        if rec["field"] == "exclude":
            keep &= ~at
        else:
            lists.loc[at, "ranked"] = rec["value"].lower() == "true"
    lists = lists[keep]
    comp = o[o["target"] == "competency"]
    for _, rec in comp[comp["field"] == "merge_into"].iterrows():
        for column in ("competency_id", "secondary_competency_id"):
            lists.loc[lists[column] == rec["competency_id"], column] = rec["value"]
        vocabulary = vocabulary.drop(index=rec["competency_id"])
    for _, rec in comp[comp["field"] == "exclude"].iterrows():
        lists = lists[lists["competency_id"] != rec["competency_id"]]
        lists.loc[lists["secondary_competency_id"] == rec["competency_id"], "secondary_competency_id"] = np.nan
        vocabulary = vocabulary.drop(index=rec["competency_id"])
    for _, rec in comp[comp["field"] == "category"].iterrows():
        vocabulary.loc[rec["competency_id"], "category"] = rec["value"]
    same = lists["secondary_competency_id"] == lists["competency_id"]
    lists.loc[same.fillna(False), "secondary_competency_id"] = np.nan
    if (o["field"] == "secondaries_named").any():
        lists = _secondaries_as_items(lists)
    lists["position"] = (lists.groupby("list_id", sort=False).cumcount() + 1).astype("Int64")
    lists["category"] = lists["competency_id"].map(vocabulary["category"])
    return lists.reset_index(drop=True), vocabulary


def _secondaries_as_items(lists: pd.DataFrame) -> pd.DataFrame:
    """Each secondary code as an extra, unlabelled item appended to its list (and no longer a secondary)."""
    extra = lists[lists["secondary_competency_id"].notna()].copy()
    extra["competency_id"] = extra["secondary_competency_id"]
    extra["secondary_competency_id"] = np.nan
    extra["author_label"] = "unlabeled"
    extra["mapping_note"] = "secondary code counted as named (coding secondaries_named)"
    extra["position"] = extra["position"] + 10_000  # after the list's own items
    out = pd.concat([lists.assign(secondary_competency_id=np.nan), extra])
    order = out.reset_index(drop=True)
    first = {lst: i for i, lst in enumerate(dict.fromkeys(lists["list_id"]))}
    order = order.assign(_list=order["list_id"].map(first))
    return order.sort_values(["_list", "position"], kind="stable").drop(columns="_list")


# ---- the headline statistics under each coding -------------------------------------------------------------

#: Columns of :func:`coding_sensitivity` (after ``description``).
HEADLINES = (
    "n_lists",
    "n_items",
    "n_competencies",
    "majority",
    "top_k",
    "kappa",
    "kappa_low",
    "kappa_high",
    "skill_share_items",
    "consensus_skill_share",
    "most_alike",
    "most_alike_jaccard",
    "p_most_alike",
)


def headline_statistics(
    lists: pd.DataFrame, competencies: pd.DataFrame, *, seed: Any, k: int = 5, n_draws: int = 2000
) -> pd.Series:
    """The headline statistics of notebooks 01 and 03 for one reading of the lists.

    ``majority``: the competencies named by more than half of the lists (by id); ``top_k``: Borda's top
    ``k`` (:func:`smmrubric.aggregate.borda`, competition rank <= k, so ties at the cut are all listed);
    ``kappa`` with its Wald 95% interval (:func:`smmrubric.split.cohen_kappa`, authors' labels against our
    categories); ``skill_share_items``: the share of items whose competency is a skill; ``consensus_skill_share``:
    the skills' share of the frequency consensus weights (:meth:`smmrubric.Rubric.consensus`, the number of
    lists naming each competency); ``most_alike``: the pair of lists with the largest Jaccard similarity (ties
    by ids) and ``p_most_alike``, its p-value against the largest pairwise similarity of random lists of the
    same sizes (:func:`smmrubric.list_inference.similarity_null`, uniform null, ``n_draws`` draws).
    """
    from .aggregate import borda, rankings_from_expert_lists
    from .list_inference import largest_similarity_p
    from .split.labels import cohen_kappa

    rankings = rankings_from_expert_lists(lists)
    counts = competency_counts(lists)
    n_lists = len(rankings)
    ranks = borda(rankings)["rank"]
    top = sorted(ranks.index[ranks <= k], key=lambda i: (int(ranks[i]), str(i)))
    labelled = lists[lists["author_label"].isin(CATEGORIES)]
    pooled = cohen_kappa(labelled["author_label"], labelled["category"], categories=list(CATEGORIES))
    by_category = counts.groupby("category")["n_lists"].sum()
    list_a, list_b, jaccard, p_max = largest_similarity_p(
        rankings, list(competencies.index), seed=seed, n_draws=n_draws
    )
    return pd.Series(
        {
            "n_lists": n_lists,
            "n_items": len(lists),
            "n_competencies": lists["competency_id"].nunique(),
            "majority": ", ".join(sorted(counts.index[counts["n_lists"] > n_lists / 2])),
            "top_k": ", ".join(top),
            "kappa": pooled["kappa"],
            "kappa_low": pooled["kappa_low"],
            "kappa_high": pooled["kappa_high"],
            "skill_share_items": float((lists["category"] == "skill").mean()),
            "consensus_skill_share": float(by_category.get("skill", 0) / by_category.sum()),
            "most_alike": f"{list_a} / {list_b}",
            "most_alike_jaccard": jaccard,
            "p_most_alike": p_max,
        }
    )


def coding_sensitivity(
    lists: pd.DataFrame,
    competencies: pd.DataFrame,
    codings: Mapping[str, Coding],
    *,
    seed: Any,
    k: int = 5,
    n_draws: int = 2000,
) -> pd.DataFrame:
    """The headline statistics under the published coding and under each alternative coding.

    Every coding is applied alone to the published data (:func:`apply_coding`) and
    :func:`headline_statistics` is recomputed; the permutation null of every row uses the same ``seed``.

    Returns
    -------
    pandas.DataFrame
        Indexed by coding (``published`` first, then the codings in the order given): ``description`` and
        the columns of :data:`HEADLINES`. ``attrs["ranges"]``: for each numeric headline its minimum and
        maximum over the codings, and for each set-valued one the number of distinct values.
    """
    if not isinstance(codings, Mapping) or not all(isinstance(c, Coding) for c in codings.values()):
        raise SmmrubricError("must be a mapping {name: Coding} from load_codings", field="codings")
    rows = {
        "published": pd.Series({"description": "The published coding (data/expert_lists.csv as it is)"}).combine_first(
            headline_statistics(lists, competencies, seed=seed, k=k, n_draws=n_draws)
        )
    }
    for name, coding in codings.items():
        coded_lists, coded_vocabulary = apply_coding(coding, lists, competencies)
        stats = headline_statistics(coded_lists, coded_vocabulary, seed=seed, k=k, n_draws=n_draws)
        rows[name] = pd.concat([pd.Series({"description": coding.description}), stats])
    out = pd.DataFrame(rows).T[["description", *HEADLINES]]
    out.index.name = "coding"
    numeric = [
        "kappa",
        "kappa_low",
        "kappa_high",
        "skill_share_items",
        "consensus_skill_share",
        "most_alike_jaccard",
        "p_most_alike",
    ]
    for column in [*numeric, "n_lists", "n_items", "n_competencies"]:
        out[column] = pd.to_numeric(out[column])
    ranges: dict[str, Any] = {c: (float(out[c].min()), float(out[c].max())) for c in numeric}
    ranges |= {c: int(out[c].nunique()) for c in ("majority", "top_k", "most_alike")}
    out.attrs["ranges"] = ranges
    return out
