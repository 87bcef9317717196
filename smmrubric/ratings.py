"""Candidate ratings on a rubric: reading, checking and averaging across raters.

Ratings are a long table, one row per rating, in a CSV file or a DataFrame (what
:func:`smmrubric.simulate.ratings` produces):

========================  ====================================================================
``candidate_id``          who was rated (text, non-empty)
``rater_id``              who rated (text, non-empty)
``competency_id``         what was rated: an id of the rubric
``score``                 the rating, a number on the rubric's scale (``scale.min``..``scale.max``)
``stage`` (optional)      the assessment stage (e.g. ``screening``, ``interview``), non-empty
========================  ====================================================================

A rater rates a candidate on a competency at most once (per stage). Other columns (notes, dates) are
kept and ignored. A missing rating is a missing row, never an empty ``score`` cell.

:func:`aggregate_ratings` averages over raters: the mean score of each candidate on each competency,
with the number of ratings behind it, and applies the missing-ratings policy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import SmmrubricError
from .io import read_csv
from .validation import check_choice
from .rubric import check_rubric

__all__ = ["RATING_COLUMNS", "AggregatedRatings", "aggregate_ratings", "load_ratings", "validate_ratings"]

#: The required columns of a ratings table, in order (``stage`` is optional).
RATING_COLUMNS = ("candidate_id", "rater_id", "competency_id", "score")
_ID_COLUMNS = ("candidate_id", "rater_id", "competency_id")
MISSING_POLICIES = ("error", "renormalize")


def _row(label: Any) -> int | str:
    """A frame's index label as the row named in errors (CSV line numbers are ints)."""
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        return int(label)
    return str(label)


def _first(mask: pd.Series) -> Any:
    return mask.index[mask.to_numpy()][0]


def _stripped_text(values: pd.Series) -> pd.Series:
    """Values as stripped text (object dtype; missing stays NaN), converting each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = np.array([str(u).strip() for u in uniques] + [np.nan], dtype=object)
    return pd.Series(cleaned[codes], index=values.index, name=values.name, dtype=object)


def _text_column(values: pd.Series, *, file: Any, what: str) -> pd.Series:
    """:func:`_stripped_text` of a column, or an error naming the first cell holding a list, dict or set."""
    try:
        return _stripped_text(values)
    except TypeError:  # an unhashable cell (a list or dict put in a DataFrame)
        bad = ~values.map(pd.api.types.is_scalar)
        row = _first(bad)
        raise SmmrubricError(f"{what}, got {values[row]!r}", file=file, row=_row(row),
                             field=str(values.name)) from None


def source_file(ratings: Any) -> str | None:
    """The file a ratings table was read from (set by :func:`load_ratings` in ``attrs['file']``), or None."""
    return ratings.attrs.get("file") if isinstance(ratings, pd.DataFrame) else None


def validate_ratings(ratings: pd.DataFrame, rubric: Any = None, *,
                     file: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Check a long ratings table (and, given a rubric, its competencies and scale).

    Parameters
    ----------
    ratings
        Columns ``candidate_id, rater_id, competency_id, score`` and optionally ``stage``.
    rubric
        A :class:`smmrubric.Rubric`; with it, competencies must be the rubric's and scores on its
        scale. Without it only the table's own structure is checked.
    file
        The file the table came from, named in error messages.

    Returns
    -------
    pandas.DataFrame
        A copy with the id columns (and ``stage``) as text and ``score`` as float, same index and
        row order, extra columns kept.

    Raises
    ------
    SmmrubricError
        Naming the file (if any), the row and the column: a missing column, no rows, an empty id,
        stage or score, a score that is not a number or not finite, a score outside the scale, a
        competency not in the rubric, a duplicate (candidate, rater, competency[, stage]) row
        (the message gives the earlier row). Rows are the frame's index labels: for a file read by
        :func:`load_ratings` the line number with the header as line 1.
    """
    if not isinstance(ratings, pd.DataFrame):
        raise SmmrubricError(f"must be a DataFrame, got {type(ratings).__name__}", file=file, field="ratings")
    if file is None:
        file = source_file(ratings)
    missing = [c for c in RATING_COLUMNS if c not in ratings.columns]
    if missing:
        raise SmmrubricError(f"missing required column(s) {', '.join(missing)}", file=file, field="ratings")
    if len(ratings) == 0:
        raise SmmrubricError("there are no ratings", file=file, field="ratings")
    if not ratings.index.is_unique:
        raise SmmrubricError("the table's index labels repeat, so rows cannot be named", file=file,
                             field="ratings")
    if rubric is not None:
        check_rubric(rubric)
    out = ratings.copy()
    text_columns = list(_ID_COLUMNS) + (["stage"] if "stage" in out.columns else [])
    for column in text_columns:
        text = _text_column(out[column], file=file, what="must be text")
        empty = text.isna() | text.eq("")
        if empty.any():
            raise SmmrubricError("empty value", file=file, row=_row(_first(empty)), field=column)
        out[column] = text
    raw = out["score"]
    empty = raw.isna()
    if not pd.api.types.is_numeric_dtype(raw):
        empty |= _text_column(raw, file=file, what="not a number").eq("")
    if empty.any():
        raise SmmrubricError("empty score (leave out the row of a rating that was not given)", file=file,
                             row=_row(_first(empty)), field="score")
    if pd.api.types.is_bool_dtype(raw):
        raise SmmrubricError(f"not a number: {raw.iloc[0]!r}", file=file, row=_row(raw.index[0]), field="score")
    score = pd.to_numeric(raw, errors="coerce") if not pd.api.types.is_numeric_dtype(raw) else raw
    if pd.api.types.is_complex_dtype(score):
        imaginary = pd.Series(np.imag(score.to_numpy()) != 0, index=score.index)
        row = _first(imaginary) if imaginary.any() else score.index[0]
        raise SmmrubricError(f"not a real number: {raw[row]!r}", file=file, row=_row(row), field="score")
    score = score.astype(float)
    bad = score.isna()
    if bad.any():
        row = _first(bad)
        raise SmmrubricError(f"not a number: {raw[row]!r}", file=file, row=_row(row), field="score")
    infinite = ~np.isfinite(score)
    if infinite.any():
        row = _first(infinite)
        raise SmmrubricError(f"must be finite, got {raw[row]!r}", file=file, row=_row(row), field="score")
    out["score"] = score
    if rubric is not None:
        unknown = ~out["competency_id"].isin(rubric.competency_ids)
        if unknown.any():
            row = _first(unknown)
            raise SmmrubricError(f"unknown competency {out.at[row, 'competency_id']!r} (not in the rubric "
                                 f"{rubric.name!r})", file=file, row=_row(row), field="competency_id")
        lo, hi = rubric.scale.min, rubric.scale.max
        outside = (score < lo) | (score > hi)
        if outside.any():
            row = _first(outside)
            raise SmmrubricError(f"score {score[row]:g} is outside the scale {lo}-{hi}", file=file,
                                 row=_row(row), field="score")
    keys = list(_ID_COLUMNS) + (["stage"] if "stage" in out.columns else [])
    repeated = out.duplicated(keys, keep="first")
    if repeated.any():
        row = _first(repeated)
        same = (out[keys] == out.loc[row, keys]).all(axis=1)
        earlier = _first(same)
        what = ", ".join(f"{k}={out.at[row, k]!r}" for k in keys)
        raise SmmrubricError(f"duplicate rating ({what}) already given at row {_row(earlier)}", file=file,
                             row=_row(row), field="rater_id")
    return out


def load_ratings(path: str | os.PathLike[str], rubric: Any = None) -> pd.DataFrame:
    """Read a long ratings CSV and check it (see :func:`validate_ratings`).

    Parameters
    ----------
    path
        A UTF-8 CSV with the header ``candidate_id,rater_id,competency_id,score`` (and optionally
        ``stage``); other columns are kept.
    rubric
        The rubric the ratings must fit (competencies and scale); None checks the structure only.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``row``, the CSV line number (header = 1), so that later errors can name it; the
        path is kept in ``attrs["file"]``, so that errors found later (a missing rating in
        :func:`aggregate_ratings` or :func:`smmrubric.score`) name the file too.

    Raises
    ------
    SmmrubricError
        A missing or unreadable file, or any error of :func:`validate_ratings`, naming the file, the
        row and the column.
    """
    path = Path(path)
    frame = read_csv(path, RATING_COLUMNS)
    checked = validate_ratings(frame, rubric, file=path)
    checked.attrs["file"] = str(path)
    return checked


@dataclass(frozen=True)
class AggregatedRatings:
    """Ratings averaged over raters, from :func:`aggregate_ratings`.

    Attributes
    ----------
    mean : pandas.DataFrame
        Candidates x competencies (index ``candidate_id`` in order of first appearance, columns the
        rubric's ``competency_id`` in rubric order): the mean score, NaN where nobody rated.
    n_raters : pandas.DataFrame
        Same shape: the number of ratings averaged (the number of raters, unless a rater rated the
        same competency at several stages); 0 where nobody rated.
    complete : pandas.Series
        Per candidate (bool, named "complete"): every required competency was rated.
    required : pandas.Series
        Per competency (bool, named "required"): a rating is required when the weight is positive
        or the competency has a must-have level.
    """

    mean: pd.DataFrame
    n_raters: pd.DataFrame
    complete: pd.Series
    required: pd.Series

    @property
    def missing(self) -> pd.DataFrame:
        """Candidates x competencies, True where a required competency has no rating."""
        return self.mean.isna() & self.required.to_numpy()[None, :]


def required_competencies(rubric: Any) -> np.ndarray:
    """Bool mask in rubric order: a rating is required where the weight is positive or a must-have is set."""
    return (rubric.raw_weights.to_numpy() > 0) | rubric.must_have.notna().to_numpy()


def raise_missing(missing: pd.DataFrame, *, file: Any = None) -> None:
    """Raise for the first (candidate, competency) cell of ``missing`` that is True."""
    cells = np.argwhere(missing.to_numpy())
    if cells.size:
        i, j = cells[0]
        n_cand = int(missing.any(axis=1).sum())
        raise SmmrubricError(
            f"no rating of candidate {missing.index[i]!r} on this competency ({n_cand} candidate(s) have "
            "missing ratings); rate it, or score with missing='renormalize' to renormalise the weights over "
            "what was rated", file=file, row=f"candidate {missing.index[i]}", field=str(missing.columns[j]))


def aggregate_ratings(ratings: pd.DataFrame, rubric: Any, missing: str = "error", *,
                      stage: str | None = None) -> AggregatedRatings:
    """Average ratings over raters: the mean score per candidate and competency, and the rater count.

    ``mean_ij = (1 / n_ij) * sum_r x_ijr`` over the ``n_ij`` ratings of candidate ``i`` on competency
    ``j`` (all raters weigh the same).

    Parameters
    ----------
    ratings
        Long ratings (checked with :func:`validate_ratings` against ``rubric``).
    rubric
        The :class:`smmrubric.Rubric`.
    missing
        ``"error"`` (default): every candidate must be rated on every required competency (positive
        weight or a must-have); the first gap raises, naming candidate and competency.
        ``"renormalize"``: gaps are allowed; :func:`smmrubric.scoring.score` then renormalises the
        weights over what was rated, and ``complete`` flags the candidates concerned.
    stage
        If given, only the ratings of that stage are used (the table must have a ``stage`` column).

    Returns
    -------
    AggregatedRatings
        ``mean`` and ``n_raters`` (candidates x competencies) and ``complete`` (per candidate).
    """
    check_rubric(rubric)
    check_choice(missing, "missing", MISSING_POLICIES)
    checked = validate_ratings(ratings, rubric)
    file = source_file(ratings)
    if stage is not None:
        if "stage" not in checked.columns:
            raise SmmrubricError("the ratings have no stage column", file=file, field="stage")
        checked = checked[checked["stage"] == stage]
        if checked.empty:
            raise SmmrubricError(f"no ratings at stage {stage!r}", file=file, field="stage")
    candidates = pd.Index(pd.unique(checked["candidate_id"]), name="candidate_id")
    columns = pd.Index(rubric.competency_ids, name="competency_id")
    stats = checked.groupby(["candidate_id", "competency_id"], sort=False)["score"].agg(["mean", "count"])
    mean = stats["mean"].unstack().reindex(index=candidates, columns=columns)
    counts = stats["count"].unstack().reindex(index=candidates, columns=columns).fillna(0).astype(int)
    required = pd.Series(required_competencies(rubric), index=columns, name="required")
    result = AggregatedRatings(mean=mean, n_raters=counts, complete=pd.Series(dtype=bool), required=required)
    gaps = result.missing
    if missing == "error":
        raise_missing(gaps, file=file)
    return replace(result, complete=(~gaps.any(axis=1)).rename("complete"))
