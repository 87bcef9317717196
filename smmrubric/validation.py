"""Argument checks shared by every public function.

Each check raises :class:`~smmrubric.errors.SmmrubricError` naming the argument, so that a bad value
never surfaces as a numpy traceback or a bare ``KeyError`` deep inside a computation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from .errors import SmmrubricError, shown

__all__ = [
    "as_rng",
    "check_choice",
    "check_int",
    "check_number",
    "check_probability",
    "check_score_matrix",
    "check_real",
    "check_text",
    "check_unique",
    "check_weights",
    "real_matrix",
    "text_ids",
]


def as_rng(seed: int | np.random.Generator | None, *, field: str = "seed") -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from a seed or a generator.

    ``None`` is refused: every random function in smmrubric is reproducible, so the caller must
    choose a seed.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise SmmrubricError(f"must be a non-negative integer or a numpy Generator, got {shown(seed)}", field=field)
    return np.random.default_rng(int(seed))


def check_number(
    value: Any,
    field: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite float within ``[low, high]`` (ends open if asked)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise SmmrubricError(f"must be a number, got {shown(value)}", field=field)
    x = float(value)
    if not math.isfinite(x):
        raise SmmrubricError(f"must be finite, got {shown(value)}", field=field)
    if low is not None and (x < low or (low_open and x == low)):
        raise SmmrubricError(f"must be {'>' if low_open else '>='} {low}, got {shown(value)}", field=field)
    if high is not None and (x > high or (high_open and x == high)):
        raise SmmrubricError(f"must be {'<' if high_open else '<='} {high}, got {shown(value)}", field=field)
    return x


def check_real(values: Any, field: str) -> None:
    """Refuse booleans and complex numbers, which numpy would silently turn into 0/1 or real parts."""
    try:
        kind = np.asarray(values).dtype.kind
    except (TypeError, ValueError):  # ragged: the caller's float conversion words the error
        return
    if kind in "bc":
        raise SmmrubricError(
            f"must be real numbers, got {'True/False' if kind == 'b' else 'complex numbers'}", field=field
        )


def check_probability(value: Any, field: str, *, open_ends: bool = False) -> float:
    """Return ``value`` as a float in [0, 1] (or (0, 1) when ``open_ends``)."""
    return check_number(value, field, low=0.0, high=1.0, low_open=open_ends, high_open=open_ends)


def check_int(value: Any, field: str, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an int within ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise SmmrubricError(f"must be an integer, got {shown(value)}", field=field)
    v = int(value)
    if low is not None and v < low:
        raise SmmrubricError(f"must be >= {low}, got {v}", field=field)
    if high is not None and v > high:
        raise SmmrubricError(f"must be <= {high}, got {v}", field=field)
    return v


def check_choice(value: Any, field: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``."""
    if value not in choices:
        raise SmmrubricError(f"must be one of {', '.join(map(repr, choices))}, got {shown(value)}", field=field)
    return value


def check_unique(values: Iterable[Any], field: str, *, file: Any = None) -> None:
    """Raise if any value repeats, naming the first repeated one."""
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            raise SmmrubricError(f"duplicate value {shown(v)}", file=file, field=field)
        seen.add(v)


def check_text(value: Any, field: str, *, file: Any = None, row: Any = None) -> str:
    """Return ``value`` stripped of surrounding spaces if it is non-empty text without a NUL character.

    A NUL (``\\x00``) is never meant in a name, an id or a label: it comes from a binary or UTF-16 file
    read as text, and it cuts the text short in many programs that later read our outputs.
    """
    if not isinstance(value, str) or not value.strip():
        raise SmmrubricError(f"must be non-empty text, got {shown(value)}", file=file, row=row, field=field)
    if "\x00" in value:
        raise SmmrubricError(f"contains a NUL character (\\x00), got {shown(value)}", file=file, row=row, field=field)
    return value.strip()


def _not_real(value: Any) -> bool:
    """Whether a scalar is a boolean or a complex number (numpy would read them as 0/1 or drop the imaginary part)."""
    return isinstance(value, (bool, np.bool_, complex, np.complexfloating))


def _first_not_real(values: Any) -> int | None:
    """Position of the first boolean or complex element of a 1-D Series or array, or None."""
    dtype = getattr(values, "dtype", None)
    if dtype is not None and dtype.kind != "O":  # a typed column: only its dtype can be boolean or complex
        if dtype.kind not in "bc":
            return None
        hits = np.flatnonzero(~pd.isna(pd.Series(values)).to_numpy())
        return int(hits[0]) if hits.size else None
    for i, v in enumerate(np.asarray(values, dtype=object).ravel()):
        if _not_real(v):
            return i
    return None


def real_matrix(frame: pd.DataFrame, field: str, *, rows: Sequence[str] | None = None, file: Any = None) -> np.ndarray:
    """The values of a labelled table as a float array; missing cells (NaN, None, ``<NA>``) become NaN.

    Booleans, complex numbers and anything that is not a number are refused naming the row (``rows[i]``,
    the index label by default) and the column; text holding a number (``"3.5"``) is read as that number.
    """
    labels = [str(r) for r in frame.index] if rows is None else list(rows)
    for j in range(frame.shape[1]):
        i = _first_not_real(frame.iloc[:, j])
        if i is not None:
            raise SmmrubricError(
                f"must be a real number, got {shown(frame.iat[i, j])} (True/False and complex numbers are refused)",
                file=file,
                row=labels[i],
                field=str(frame.columns[j]),
            )
    try:
        return frame.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        coerced = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        i, j = np.argwhere(np.isnan(coerced) & frame.notna().to_numpy())[0]
        raise SmmrubricError(
            f"not a number: {shown(frame.iat[i, j])}", file=file, row=labels[i], field=str(frame.columns[j])
        ) from None


def text_ids(labels: Iterable[Any], field: str, *, file: Any = None) -> list[str]:
    """The labels as text; two labels that become the same text (``1`` and ``"1"``) are an error naming both.

    Ids come back as text from every file we write, so labels that differ only by type would silently
    merge there (or be indistinguishable in a printed table).
    """
    seen: dict[str, Any] = {}
    out = []
    for label in labels:
        text = str(label)
        if text in seen:
            first = seen[text]
            what = (
                f"duplicate id {shown(text)}"
                if type(first) is type(label)
                else f"{shown(first)} and {shown(label)} are the same id once written as text"
            )
            raise SmmrubricError(what, file=file, row=text, field=field)
        seen[text] = label
        out.append(text)
    return out


def check_weights(
    weights: Any, field: str = "weights", *, file: Any = None, allow_all_zero: bool = False
) -> pd.Series | np.ndarray:
    """Check a weight vector: real, finite, non-negative, not all zero; labels unique if a Series.

    Returns the weights unchanged in type (a float Series stays a Series, anything else becomes a
    float ndarray). Errors name the offending label (Series) or position. True/False and complex
    numbers are refused (numpy would silently read them as 0/1 or drop the imaginary part).
    """
    if isinstance(weights, pd.Series):
        check_unique(weights.index, f"{field} index", file=file)
        labels = list(weights.index)
        position = _first_not_real(weights)
        if position is not None:
            raise SmmrubricError(
                f"weights must be numbers, got {shown(weights.iloc[position])} (True/False and "
                "complex numbers are refused)",
                file=file,
                row=str(labels[position]),
                field=field,
            )
        values = pd.to_numeric(weights, errors="coerce").to_numpy(dtype=float)
        bad_type = weights.notna() & pd.to_numeric(weights, errors="coerce").isna()
        if bad_type.any():
            label = weights.index[bad_type.to_numpy()][0]
            raise SmmrubricError(
                f"weight must be a number, got {shown(weights[label])}", file=file, row=str(label), field=field
            )
    else:
        flat = weights.values() if isinstance(weights, Mapping) else weights
        try:
            position = _first_not_real(flat if hasattr(flat, "dtype") else list(flat))
        except TypeError:  # not iterable: the conversion below words the error
            position = None
        if position is not None:
            raise SmmrubricError(
                "weights must be numbers, got True/False or a complex number (refused)",
                file=file,
                row=f"position {position}",
                field=field,
            )
        try:
            values = np.asarray(weights, dtype=float)
        except (TypeError, ValueError):
            raise SmmrubricError(f"must be numbers, got {shown(weights)}", file=file, field=field) from None
        labels = [f"position {i}" for i in range(values.size)]
    if values.ndim != 1 or values.size == 0:
        raise SmmrubricError(f"must be a non-empty 1-D vector, got shape {values.shape}", file=file, field=field)
    for i, v in enumerate(values):
        if not math.isfinite(v):
            raise SmmrubricError(f"weight must be finite, got {v}", file=file, row=str(labels[i]), field=field)
        if v < 0:
            raise SmmrubricError(f"weight must be >= 0, got {v}", file=file, row=str(labels[i]), field=field)
    if not allow_all_zero and not values.any():
        raise SmmrubricError("weights are all zero; at least one must be positive", file=file, field=field)
    if isinstance(weights, pd.Series):
        return pd.Series(values, index=weights.index, name=weights.name)
    return values


def check_score_matrix(scores: Any, field: str = "scores") -> pd.DataFrame:
    """Check a candidates x competencies score matrix: a DataFrame of finite real numbers (no booleans or
    complex numbers), unique ids that stay unique as text; returned as floats, axes named ``candidate_id`` and
    ``competency_id`` (ids as text)."""
    if not isinstance(scores, pd.DataFrame):
        raise SmmrubricError(
            f"must be a DataFrame (candidates x competencies), got {type(scores).__name__}", field=field
        )
    if scores.shape[0] < 1 or scores.shape[1] < 1:
        raise SmmrubricError(f"needs at least one candidate and one competency, got shape {scores.shape}", field=field)
    check_unique(scores.index, f"{field} index (candidate_id)")
    check_unique(scores.columns, f"{field} columns (competency_id)")
    text_ids(scores.index, f"{field} index (candidate_id)")  # 1 and "1" would print as one candidate
    columns = text_ids(scores.columns, f"{field} columns (competency_id)")
    array = real_matrix(scores, field)
    bad = ~np.isfinite(array)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise SmmrubricError(
            f"score must be a finite number, got {shown(scores.iat[i, j])}",
            row=str(scores.index[i]),
            field=str(scores.columns[j]),
        )
    out = pd.DataFrame(array, index=scores.index.copy(), columns=scores.columns)
    out.index.name = scores.index.name or "candidate_id"
    out.columns = pd.Index(columns, name="competency_id")
    return out
