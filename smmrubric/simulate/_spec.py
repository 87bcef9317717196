"""What the simulation needs from a rubric, read once: ids, categories, weights and scale as arrays.

:func:`spec_of` checks a Rubric, a category Series or a competency table and returns a :class:`Spec`; for a
Rubric (immutable and hashable) the result is cached, so studies that simulate hundreds of pools on one rubric
read it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..rubric import Rubric
from ..validation import check_unique

__all__ = ["Spec", "numbered_ids", "spec_of", "true_matrix"]

CATEGORIES = ("skill", "trait")
DEFAULT_LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Spec:
    """The parts of a rubric the simulation uses, as numpy arrays in rubric order (read-only)."""

    ids: tuple[str, ...]
    is_skill: np.ndarray  # bool, per competency
    weights: np.ndarray  # sums to 1
    levels: np.ndarray  # rating scale levels, ascending

    @property
    def k(self) -> int:
        return len(self.ids)

    def category_weights(self, category: str) -> np.ndarray:
        """The rubric's weights inside one category, normalised to sum 1 (equal if they are all 0)."""
        mask = self.is_skill if category == "skill" else ~self.is_skill
        w = np.where(mask, self.weights, 0.0)
        if w.sum() <= 0:
            w = mask.astype(float)
        return w / w.sum()


def _frozen(*arrays: np.ndarray) -> None:
    for a in arrays:
        a.setflags(write=False)


@lru_cache(maxsize=64)
def _rubric_spec(rubric: Rubric) -> Spec:
    return _duck_spec(rubric, "rubric")


def _duck_spec(rubric: Any, field: str) -> Spec:
    ids = list(rubric.competency_ids)
    return _build(
        rubric.categories.reindex(ids),
        rubric.weights.reindex(ids).to_numpy(dtype=float),
        np.asarray(rubric.scale.levels, dtype=int),
        field,
    )


def _build(categories: pd.Series, weights: np.ndarray | None, levels: np.ndarray, field: str) -> Spec:
    if len(categories) == 0:
        raise SmmrubricError("has no competencies", field=field)
    check_unique(categories.index, f"{field} competency_id")
    for cid, cat in categories.items():
        if not isinstance(cid, str):
            raise SmmrubricError(f"competency ids must be strings, got {cid!r}", row=str(cid), field=field)
        if cat not in CATEGORIES:
            raise SmmrubricError(f"category must be 'skill' or 'trait', got {cat!r}", row=cid, field=field)
    k = len(categories)
    if weights is None:
        weights = np.full(k, 1.0 / k)
    if levels.ndim != 1 or levels.size == 0 or np.any(np.diff(levels) <= 0):
        raise SmmrubricError(f"the rating scale levels must be increasing, got {list(levels)}", field=field)
    spec = Spec(
        tuple(categories.index), categories.to_numpy() == "skill", np.array(weights, dtype=float), np.array(levels)
    )
    _frozen(spec.is_skill, spec.weights, spec.levels)
    return spec


def spec_of(rubric: Any, field: str = "rubric") -> Spec:
    """Read ids, categories, weights and scale from a Rubric, a category Series or a competency table."""
    if isinstance(rubric, Rubric):
        return _rubric_spec(rubric)
    if all(hasattr(rubric, a) for a in ("categories", "weights", "scale", "competency_ids")):
        return _duck_spec(rubric, field)
    if isinstance(rubric, pd.DataFrame):
        if "category" not in rubric.columns:
            raise SmmrubricError("a competency table needs a 'category' column", field=field)
        rubric = rubric["category"]
    if not isinstance(rubric, pd.Series):
        raise SmmrubricError(
            "must be a smmrubric.Rubric, a Series of categories indexed by competency_id, or a "
            f"competency table with a 'category' column; got {type(rubric).__name__}",
            field=field,
        )
    return _build(rubric, None, np.array(DEFAULT_LEVELS), field)


def true_matrix(true_scores: Any, spec: Spec, field: str = "true_scores") -> np.ndarray:
    """The rubric's columns of a candidates x competencies frame as a float array, checked."""
    if not isinstance(true_scores, pd.DataFrame):
        raise SmmrubricError(
            f"must be a DataFrame (candidates x competencies), got {type(true_scores).__name__}", field=field
        )
    if len(true_scores) == 0:
        raise SmmrubricError("has no candidates", field=field)
    if not true_scores.index.is_unique:
        check_unique(true_scores.index, f"{field} candidate_id")
    index = true_scores.index
    # ids are written as text in the ratings table: none missing or empty, and 1 and "1" not both
    text_ids = index if pd.api.types.is_string_dtype(index) else index.astype(str)
    if index.hasnans or "" in text_ids:
        raise SmmrubricError("a candidate id (the index) is missing or empty", field=f"{field} candidate_id")
    if text_ids is not index and not text_ids.is_unique:
        check_unique(text_ids, f"{field} candidate_id (as text)")
    ids = list(spec.ids)
    missing = [c for c in ids if c not in true_scores.columns]
    if missing:
        raise SmmrubricError(f"has no column for competency {missing[0]!r} of the rubric", field=field)
    repeated = [] if true_scores.columns.is_unique else [c for c in ids if int((true_scores.columns == c).sum()) > 1]
    if repeated:
        raise SmmrubricError(f"has two columns for competency {repeated[0]!r}", field=field)
    block = true_scores[ids]
    try:
        values = block.to_numpy(dtype=float)
    except (TypeError, ValueError):
        values = block.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise SmmrubricError(
            f"must be a finite number, got {block.iat[i, j]!r}", row=str(true_scores.index[i]), field=ids[j]
        )
    return values


def numbered_ids(prefix: str, n: int, width: int) -> list[str]:
    """``prefix`` followed by 1..n, zero-padded to ``width`` digits (more if n needs them)."""
    width = max(width, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]
