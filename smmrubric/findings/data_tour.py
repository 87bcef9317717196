"""Findings of notebook 00 (a tour of the data), written from the data they describe."""

from __future__ import annotations

import pandas as pd

from . import Finding

__all__ = ["corpus", "labels"]


def corpus(lists: pd.DataFrame, competencies: pd.DataFrame) -> Finding:
    """Size of the data set: lists, articles, items, competencies, and how many lists are numbered or ranked."""
    n_lists, n_docs = lists["list_id"].nunique(), lists["source_doc"].nunique() if "source_doc" in lists else None
    per_list = lists.groupby("list_id", sort=False).size()
    skills = int((competencies["category"] == "skill").sum())
    text = (
        f"**{n_lists} lists" + (f" from {n_docs} web articles" if n_docs else "") + f", {len(lists)} items**, "
        f"from {per_list.min()} to {per_list.max()} items a list, mapped onto {len(competencies)} competencies "
        f"({skills} skills, {len(competencies) - skills} traits)."
    )
    if {"numbered", "ranked"} <= set(lists.columns):
        level = lists.groupby("list_id", sort=False)[["numbered", "ranked"]].first()
        n_ranked = int(level["ranked"].sum())
        says = "no author says" if n_ranked == 0 else f"{n_ranked} author{'s say' if n_ranked > 1 else ' says'}"
        text += f" {int(level['numbered'].sum())} lists number their items; {says} the order is importance."
    return Finding(text)


def labels(summary: pd.DataFrame) -> Finding:
    """How many lists label their items skill or trait, and how their share compares with ours.

    ``summary`` is :func:`smmrubric.data.list_summary`.
    """
    labelled = summary[(summary["author_skill"] + summary["author_trait"]) > 0]
    if labelled.empty:
        return Finding("No author labels an item skill or trait.")
    return Finding(
        f"Only {len(labelled)} of {len(summary)} lists label their items skill or trait "
        f"({', '.join(labelled['list_name'])}); the others speak of qualities or give unlabelled points. "
        "Where both exist, the bars compare the author's skill share with ours."
    )
