"""What a ratings table holds: who rated whom on what, how the raters and competencies use the scale, the design.

Every function reads the long table ``candidate_id, rater_id, competency_id, score`` (a
:class:`~smmrubric.ratings.RatingsTable`, the frame :func:`smmrubric.read_ratings` returns, or
:func:`smmrubric.simulate.ratings`' output; checked by :func:`smmrubric.ratings.validate_ratings`) and returns
pandas objects labelled by ids (sorted as text). Nothing here estimates anything: these are counts, means and
standard deviations of the ratings as given, the description that comes before any reliability analysis
(:mod:`smmrubric.reliability`).

Designs (:func:`rating_design`)
-------------------------------
- ``"crossed"``: every candidate was rated by the same raters (a panel), at least two of them;
- ``"nested"``: every candidate has the same number of raters (at least two) but not the same raters
  (separate interviews, raters drawn from a pool);
- ``"unbalanced"``: candidates have different numbers of raters, at least one of them two or more;
- ``"single rater"``: every candidate was rated by one rater only (nothing to compare raters with).

``complete`` says whether every rater of a candidate rated that candidate on every competency of the table; the
ANOVA-based analyses of :mod:`smmrubric.reliability` need a complete design that is crossed or nested.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .ratings import validate_ratings

__all__ = ["DESIGN_KINDS", "RatingDesign", "competency_summary", "rater_coverage", "rater_summary", "rating_design"]

#: The design labels of :func:`rating_design`.
DESIGN_KINDS = ("crossed", "nested", "unbalanced", "single rater")
#: Ids listed in full in :func:`rater_summary`'s ``candidates`` column before "and N more".
SHOWN_IDS = 6


def _long(ratings: Any) -> pd.DataFrame:
    """The checked table with plain-text ids (the reader stores categoricals) and float scores."""
    frame = validate_ratings(ratings)
    ids = ["candidate_id", "rater_id", "competency_id"]
    return frame.assign(**{c: frame[c].astype(str).astype(object) for c in ids})


def _sorted_ids(values: pd.Series) -> list[str]:
    return sorted(pd.unique(values))


@dataclass(frozen=True)
class RatingDesign:
    """The shape of a ratings table (see :func:`rating_design`).

    Attributes
    ----------
    kind : str
        One of :data:`DESIGN_KINDS`.
    complete : bool
        Every (candidate, rater) pair rated every competency of the table.
    n_candidates, n_raters, n_competencies, n_ratings : int
        Distinct candidates, raters (in all) and competencies; rows.
    raters_per_candidate : pandas.Series
        Distinct raters of each candidate, indexed by ``candidate_id``.
    candidates_per_rater : pandas.Series
        Distinct candidates each rater rated, indexed by ``rater_id``.
    missing_pairs : int
        (candidate, rater) pairs that lack at least one competency.
    """

    kind: str
    complete: bool
    n_candidates: int
    n_raters: int
    n_competencies: int
    n_ratings: int
    raters_per_candidate: pd.Series
    candidates_per_rater: pd.Series
    missing_pairs: int

    @property
    def balanced(self) -> bool:
        """Crossed or nested, and complete: what the ANOVA estimators of :mod:`smmrubric.reliability` need."""
        return self.complete and self.kind in ("crossed", "nested")


def rating_design(ratings: Any) -> RatingDesign:
    """Classify a ratings table's design: crossed, nested, unbalanced or single rater (see the module notes).

    Parameters
    ----------
    ratings
        Long ratings table.

    Returns
    -------
    RatingDesign

    Raises
    ------
    SmmrubricError
        A bad ratings table (:func:`smmrubric.ratings.validate_ratings`).
    """
    frame = _long(ratings)
    pairs = frame.groupby(["candidate_id", "rater_id"], sort=True)["competency_id"].nunique()
    n_competencies = frame["competency_id"].nunique()
    sets = pairs.reset_index().groupby("candidate_id", sort=True)["rater_id"].agg(lambda r: tuple(sorted(r)))
    per_candidate = sets.map(len).rename("n_raters")
    per_rater = pairs.reset_index().groupby("rater_id", sort=True)["candidate_id"].nunique().rename("n_candidates")
    if per_candidate.max() < 2:
        kind = "single rater"
    elif per_candidate.nunique() > 1:
        kind = "unbalanced"
    else:
        kind = "crossed" if sets.nunique() == 1 else "nested"
    missing = int((pairs < n_competencies).sum())
    return RatingDesign(
        kind=kind,
        complete=missing == 0,
        n_candidates=len(sets),
        n_raters=len(per_rater),
        n_competencies=n_competencies,
        n_ratings=len(frame),
        raters_per_candidate=per_candidate,
        candidates_per_rater=per_rater,
        missing_pairs=missing,
    )


def _summary(frame: pd.DataFrame, by: str, levels: Any) -> pd.DataFrame:
    """Count, mean, SD and the distribution of the scores (share of each level) per value of ``by``."""
    order = _levels_frame(frame, levels)
    grouped = frame.groupby(by, sort=True)["score"]
    table = pd.DataFrame({"n_ratings": grouped.size(), "mean": grouped.mean(), "sd": grouped.std(ddof=1)})
    counts = pd.crosstab(frame[by], frame["score"]).reindex(columns=order, fill_value=0)
    shares = counts.div(counts.sum(axis=1), axis=0)
    shares.columns = pd.Index([_level_label(v) for v in order], name="score")
    return table.join(shares)


def _levels_frame(frame: pd.DataFrame, levels: Any) -> list[float]:
    return sorted(set(frame["score"].tolist()) | {float(v) for v in (levels or [])})


def _level_label(value: float) -> str:
    """A score level as a column label: ``"3"`` for 3.0, ``"3.5"`` for 3.5."""
    return f"{value:g}"


def rater_summary(ratings: Any, levels: Any = None) -> pd.DataFrame:
    """Per rater: how many candidates and ratings, which candidates, the mean and SD of their scores, and the
    share of their ratings at each score level.

    ``mean`` and ``sd`` (sample SD, ``ddof=1``) are over all the rater's ratings; raters who saw different
    candidates are not comparable on them (:func:`smmrubric.reliability.rater_severity` compares raters on the
    candidates they share).

    Parameters
    ----------
    ratings
        Long ratings table.
    levels
        The scale's levels (e.g. ``rubric.scale.levels``), so that unused levels show as 0; the values that
        occur are always shown.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``rater_id`` (sorted): ``n_candidates``, ``candidates`` (text: ``"all"`` when the rater saw
        every candidate, else the ids, the first few then "and N more"), ``n_ratings``, ``mean``, ``sd``, then one
        column per score level (``"1"``, ``"2"``, ...) holding the share of the rater's ratings at that level.
    """
    frame = _long(ratings)
    everyone = _sorted_ids(frame["candidate_id"])
    seen = frame.groupby("rater_id", sort=True)["candidate_id"].agg(_sorted_ids)
    table = _summary(frame, "rater_id", levels)
    table.insert(0, "candidates", seen.map(lambda ids: _id_list(ids, len(everyone))))
    table.insert(0, "n_candidates", seen.map(len))
    return table


def _id_list(ids: list[str], total: int) -> str:
    if len(ids) == total:
        return "all"
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")


def competency_summary(ratings: Any, levels: Any = None) -> pd.DataFrame:
    """Per competency: how many ratings, their mean and SD, and the share at each score level.

    Parameters
    ----------
    ratings
        Long ratings table.
    levels
        The scale's levels, as in :func:`rater_summary`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``competency_id`` (sorted): ``n_candidates``, ``n_ratings``, ``mean``, ``sd``, then one column
        per score level with the share of the competency's ratings at that level.
    """
    frame = _long(ratings)
    table = _summary(frame, "competency_id", levels)
    table.insert(0, "n_candidates", frame.groupby("competency_id", sort=True)["candidate_id"].nunique())
    return table


def rater_coverage(ratings: Any) -> pd.DataFrame:
    """Which candidates each rater rated: raters x candidates, the number of competencies rated (0 = not seen).

    Returns
    -------
    pandas.DataFrame
        Integers, index ``rater_id`` and columns ``candidate_id``, both sorted.
    """
    frame = _long(ratings)
    counts = frame.groupby(["rater_id", "candidate_id"], sort=True).size().unstack(fill_value=0)
    return counts.astype(np.int64)
