"""Orderings that do not depend on the CPU: ties within a tolerance, broken by id.

Every ordering smmrubric shows or uses (a ranked table, a top-k cut, the bars of a tornado chart, consensus
ranks, "the narrowest intervals", who is hired in a simulated pool) goes through this module, the bottom of the
package (it imports nothing of smmrubric but the error type and the argument checks).

Why: two numbers that are equal in exact arithmetic (two candidates whose weighted sums are the same, two
stability intervals of the same width) usually differ in their last bits once computed in floating point, and
*which* last bits depends on the machine: numpy dispatches different SIMD code paths per CPU and OpenBLAS picks
a different matrix kernel per CPU. An ordering by the raw floats, or an unstable sort, then lets noise of about
1e-16 decide who is ranked first or hired. The rule here is:

* values within :data:`TIE_TOLERANCE` x max(1, max |value|) of each other are **ties** (grouped by single
  linkage over the sorted values: a chain of neighbours each within the tolerance is one tie group);
* tie groups are ordered by value; **within a group, by the explicit secondary key** (the candidate or
  competency id, compared as text), never by position in memory or by the sort algorithm.

The tolerance (1e-9, relative) is far above floating-point noise (about 1e-16 relative per operation, so
1e-13 after a thousand) and far below any difference that means something on a rating scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import SmmrubricError
from .validation import check_real

__all__ = [
    "TIE_TOLERANCE",
    "argsort_ties",
    "competition_ranks",
    "id_order",
    "rank_scores",
    "snap_ties",
    "sort_frame",
    "sort_series",
    "tie_groups",
    "tie_scale",
    "top_k",
]

#: Relative tolerance under which two values are tied: ``|a - b| <= TIE_TOLERANCE * max(1, max |v|)``.
TIE_TOLERANCE = 1e-9


def tie_scale(values: np.ndarray, axis: int | None = None) -> np.ndarray | float:
    """The absolute tie tolerance of ``values``: ``TIE_TOLERANCE * max(1, max |finite value|)``.

    With ``axis``, one tolerance per slice along that axis (kept as a broadcastable dimension).
    """
    v = np.abs(np.where(np.isfinite(values), values, 0.0))
    if axis is None:
        return TIE_TOLERANCE * max(1.0, float(v.max(initial=0.0)))
    return TIE_TOLERANCE * np.maximum(1.0, v.max(axis=axis, keepdims=True, initial=0.0))


def tie_groups(values: Any, *, descending: bool = False, axis: int = -1) -> np.ndarray:
    """Dense tie-group numbers of ``values`` along ``axis``: 0 for the first group in the order asked.

    Values within the tie tolerance of their sorted neighbour share a group (single linkage), so the result
    depends only on the set of values up to noise far below :data:`TIE_TOLERANCE`, not on their order or on
    the CPU. NaN values get the last group(s) (after every finite value, NaNs tied together).

    Parameters
    ----------
    values
        Numbers, any shape.
    descending
        Group 0 holds the largest values when True.
    axis
        The axis along which to group (each slice separately).

    Returns
    -------
    numpy.ndarray
        Integers of the same shape as ``values``.

    Examples
    --------
    >>> tie_groups([0.3, 0.1 + 0.2, 0.2]).tolist()  # 0.1 + 0.2 = 0.30000000000000004
    [1, 1, 0]
    """
    x = _as_float(values, "values")
    if x.ndim == 0:
        raise SmmrubricError("must be an array of numbers, got a single number", field="values")
    x = np.moveaxis(x, axis, -1)
    key = -x if descending else x
    nan = np.isnan(key)
    key = np.where(nan, np.inf, key)
    order = np.argsort(key, axis=-1, kind="stable")
    ordered = np.take_along_axis(key, order, axis=-1)
    tol = tie_scale(x, axis=-1)
    new = np.ones(ordered.shape, dtype=bool)
    if ordered.shape[-1] > 1:
        with np.errstate(invalid="ignore"):
            gap = ordered[..., 1:] - ordered[..., :-1]
        ordered_nan = np.take_along_axis(nan, order, axis=-1)
        same_nan = ordered_nan[..., 1:] & ordered_nan[..., :-1]
        new[..., 1:] = ~same_nan & ~(gap <= tol)
    groups_sorted = np.cumsum(new, axis=-1) - 1
    groups = np.empty_like(groups_sorted)
    np.put_along_axis(groups, order, groups_sorted, axis=-1)
    return np.moveaxis(groups, -1, axis)


def snap_ties(values: Any, *, axis: int = -1) -> np.ndarray:
    """``values`` with every tie group (see :func:`tie_groups`) set to one value, its smallest member.

    After snapping, values equal up to floating-point noise are equal as floats, so exact comparisons,
    rank correlations with ties (Kendall's tau-b) and crossing points computed from them no longer depend
    on the noise. NaN stays NaN.

    Examples
    --------
    >>> snap_ties([0.1 + 0.2, 0.3, 1.0]).tolist()
    [0.3, 0.3, 1.0]
    """
    x = _as_float(values, "values")
    if x.ndim == 0:
        raise SmmrubricError("must be an array of numbers, got a single number", field="values")
    moved = np.moveaxis(x, axis, -1)
    groups = np.moveaxis(tie_groups(x, axis=axis), axis, -1)
    flat_groups = (
        groups + np.arange(int(np.prod(groups.shape[:-1]))).reshape(groups.shape[:-1] + (1,)) * groups.shape[-1]
    ).ravel()
    lowest = np.full(flat_groups.max(initial=-1) + 1, np.inf)
    np.minimum.at(lowest, flat_groups, np.where(np.isnan(moved), np.inf, moved).ravel())
    out = np.where(np.isnan(moved), np.nan, lowest[flat_groups].reshape(moved.shape))
    return np.moveaxis(out, -1, axis)


def _as_float(values: Any, field: str) -> np.ndarray:
    """``values`` as a float array; booleans and complex numbers refused (numpy would make them 0/1)."""
    check_real(values, field)
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise SmmrubricError("must be numbers", field=field) from None


def id_order(ids: Any) -> np.ndarray:
    """Each id's rank (0 = first) when the ids are compared as text: the explicit tie-break key."""
    return _secondary(list(ids), len(ids))


def _secondary(ids: Any, n: int) -> np.ndarray:
    """Integer ranks of the ids compared as text (the explicit tie-break key)."""
    if ids is None:
        return np.arange(n)
    text = np.asarray([str(i) for i in ids], dtype=object)
    if len(text) != n:
        raise SmmrubricError(f"needs one id per value ({n}), got {len(text)}", field="ids")
    order = sorted(range(n), key=text.__getitem__)
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n)
    return ranks


def argsort_ties(values: Any, ids: Any = None, *, descending: bool = True, axis: int = -1) -> np.ndarray:
    """Indices that order ``values`` by tie group, then by ``ids`` (as text) within a group.

    ``ids`` is one id per position along ``axis`` (the same for every slice); None uses the positions (for
    arrays whose positions are themselves ordered ids, e.g. candidates sorted by id). Works on any number
    of dimensions, e.g. pools x shares x candidates to find who is hired in every simulated pool at once.

    Examples
    --------
    >>> argsort_ties([2.0, 3.0, 2.0 + 1e-15], ids=["b", "c", "a"]).tolist()
    [1, 2, 0]
    """
    x = _as_float(values, "values")
    if x.ndim == 0:
        raise SmmrubricError("must be an array of numbers, got a single number", field="values")
    groups = np.moveaxis(tie_groups(x, descending=descending, axis=axis), axis, -1)
    n = groups.shape[-1]
    key = groups.astype(np.int64) * max(n, 1) + _secondary(ids, n)
    return np.moveaxis(np.argsort(key, axis=-1, kind="stable"), -1, axis)


def top_k(values: pd.Series, k: int, *, descending: bool = True) -> pd.Index:
    """The labels of the first ``k`` values of a Series in the tie-aware order (ties at the cut by label).

    NaN values come last.
    """
    if not isinstance(values, pd.Series):
        raise SmmrubricError(f"must be a Series labelled by id, got {type(values).__name__}", field="values")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise SmmrubricError(f"must be a non-negative integer, got {k!r}", field="k")
    order = argsort_ties(values.to_numpy(dtype=float), values.index, descending=descending)
    return values.index[order[:k]]


def sort_series(values: pd.Series, *, ascending: bool = True) -> pd.Series:
    """``values`` sorted in the tie-aware order, ties by index label (as text); NaN last."""
    if not isinstance(values, pd.Series):
        raise SmmrubricError(f"must be a Series, got {type(values).__name__}", field="values")
    return values.iloc[argsort_ties(values.to_numpy(dtype=float), values.index, descending=not ascending)]


def sort_frame(
    frame: pd.DataFrame, by: str | Sequence[str], *, ascending: bool | Sequence[bool] = True, ids: str | None = None
) -> pd.DataFrame:
    """Sort a table by one or more columns, numeric columns compared within the tie tolerance.

    Rows are ordered by the first column's tie groups, then the next column's, ..., and finally by the
    id (the index label, or the column ``ids``), compared as text. Non-numeric columns sort as text. NaN
    sorts last.

    Parameters
    ----------
    frame
        The table.
    by
        Column name(s).
    ascending
        One flag, or one per column.
    ids
        Column holding the tie-break id; default the index.
    """
    if not isinstance(frame, pd.DataFrame):
        raise SmmrubricError(f"must be a DataFrame, got {type(frame).__name__}", field="frame")
    columns = [by] if isinstance(by, str) else list(by)
    flags = [ascending] * len(columns) if isinstance(ascending, bool) else list(ascending)
    if len(flags) != len(columns):
        raise SmmrubricError("needs one ascending flag per column", field="ascending")
    missing = [c for c in columns + ([ids] if ids is not None else []) if c not in frame.columns]
    if missing:
        raise SmmrubricError(f"no column {missing[0]!r}", field="by")
    n = len(frame)
    label = frame.index if ids is None else frame[ids]
    keys = [_secondary(label, n)]
    for column, up in zip(reversed(columns), reversed(flags)):
        keys.append(_column_key(frame[column], ascending=up))
    return frame.iloc[np.lexsort(keys)]


def _column_key(column: pd.Series, *, ascending: bool) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return tie_groups(column.to_numpy(dtype=float, na_value=np.nan), descending=not ascending)
    ranks = _secondary(column.astype(str), len(column))
    return ranks if ascending else -ranks


def competition_ranks(values: np.ndarray) -> np.ndarray:
    """Competition ranks ("1224", higher is better) of finite values, ties within the tolerance."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    groups = tie_groups(values, descending=True)
    sizes = np.bincount(groups)
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]]) + 1
    return start[groups].astype(np.int64)


def rank_scores(scores: Any) -> pd.Series:
    """Competition ranking ("1224") of scores, higher is better.

    Rank = 1 + the number of scores strictly greater. Tied scores share the better rank and the next
    rank is skipped; scores within the tie tolerance (:data:`TIE_TOLERANCE` x max(1, max |score|), see the
    module docstring) of each other are tied. NaN scores get no rank (``<NA>``).

    Parameters
    ----------
    scores
        A Series (its index is kept) or a 1-D array-like of numbers.

    Returns
    -------
    pandas.Series
        Nullable integers (``Int64``) named "rank", in the input order.

    Examples
    --------
    >>> rank_scores(pd.Series([3.0, 5.0, 3.0, 1.0], index=list("abcd"))).tolist()
    [2, 1, 2, 4]
    """
    if isinstance(scores, pd.Series):
        index = scores.index
        check_real(scores.to_numpy(), "scores")
        values = pd.to_numeric(scores, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if (scores.notna().to_numpy() & np.isnan(values)).any():
            raise SmmrubricError("scores must be numbers", field="scores")
    else:
        values = _as_float(scores, "scores")
        if values.ndim != 1:
            raise SmmrubricError(f"must be 1-D, got shape {values.shape}", field="scores")
        index = pd.RangeIndex(values.size)
    if np.isinf(values).any():
        raise SmmrubricError("scores must be finite or NaN", field="scores")
    ok = ~np.isnan(values)
    ranks = pd.array(np.zeros(values.size, dtype=np.int64), dtype="Int64")
    ranks[:] = pd.NA
    ranks[ok] = competition_ranks(values[ok])
    return pd.Series(ranks, index=index, name="rank")


def top_k_indices(values: Any, k: int, ids: Any = None, *, descending: bool = True) -> np.ndarray:
    """The first ``k`` indices of :func:`argsort_ties` along the last axis, without sorting everything.

    Equal to ``argsort_ties(values, ids, descending=descending)[..., :k]`` (ties within the tolerance, broken
    by id), found in ``O(n + L log L)`` per row: :func:`numpy.argpartition` picks the ``L = k + 16`` best
    positions, and the tie-aware order is computed among them. It is exact because ties are grouped by single
    linkage over the sorted values: a row whose tie group at place ``k`` reaches place ``L`` (a long run of
    ties at the cut) is ordered by :func:`argsort_ties` over the whole row instead. NaN values are refused.

    Parameters
    ----------
    values
        Numbers, at least 1-D; rows along the last axis.
    k
        How many indices per row, 1 <= k <= row length.
    ids
        One id per position along the last axis (the tie-break, as text); None uses the positions.
    descending
        Largest first (default).

    Returns
    -------
    numpy.ndarray
        Integers of shape ``values.shape[:-1] + (k,)``.
    """
    x = _as_float(values, "values")
    if x.ndim == 0:
        raise SmmrubricError("must be an array of numbers, got a single number", field="values")
    n = x.shape[-1]
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
        raise SmmrubricError(f"must be an integer from 1 to {n}, got {k!r}", field="k")
    if np.isnan(x).any():
        raise SmmrubricError("must not contain NaN", field="values")
    size = min(n, int(k) + 16)
    if size == n:
        return argsort_ties(x, ids, descending=descending)[..., :k]
    key = -x if descending else x
    rows = key.reshape(-1, n)
    secondary = _secondary(ids, n)
    best = np.argpartition(rows, size - 1, axis=-1)[:, :size]
    picked = np.take_along_axis(rows, best, axis=-1)
    order = np.argsort(picked, axis=-1, kind="stable")
    best, picked = np.take_along_axis(best, order, axis=-1), np.take_along_axis(picked, order, axis=-1)
    tol = tie_scale(rows, axis=-1)
    group = np.concatenate(
        [np.zeros((rows.shape[0], 1), dtype=np.int64), np.cumsum(~(np.diff(picked, axis=-1) <= tol), axis=-1)], axis=-1
    )
    # the tie group holding place k must end inside the L picked positions (the next value is in a later group)
    closed = group[:, k - 1] < group[:, -1]
    keyed = group * n + secondary[best]
    out = np.take_along_axis(best, np.argsort(keyed, axis=-1, kind="stable")[:, :k], axis=-1)
    if not closed.all():
        open_rows = np.flatnonzero(~closed)
        out[open_rows] = argsort_ties(x.reshape(-1, n)[open_rows], ids, descending=descending)[:, :k]
    return out.reshape(x.shape[:-1] + (k,))
