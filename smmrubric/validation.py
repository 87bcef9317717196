"""Argument checks shared by every public function.

Each check raises :class:`~smmrubric.errors.SmmrubricError` naming the argument, so that a bad value
never surfaces as a numpy traceback or a bare ``KeyError`` deep inside a computation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from .errors import SmmrubricError

__all__ = [
    "as_rng",
    "check_choice",
    "check_int",
    "check_number",
    "check_probability",
    "check_real",
    "check_unique",
    "check_weights",
]


def as_rng(seed: int | np.random.Generator | None, *, field: str = "seed") -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from a seed or a generator.

    ``None`` is refused: every random function in smmrubric is reproducible, so the caller must
    choose a seed.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise SmmrubricError(
            f"must be a non-negative integer or a numpy Generator, got {seed!r}", field=field
        )
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
        raise SmmrubricError(f"must be a number, got {value!r}", field=field)
    x = float(value)
    if not math.isfinite(x):
        raise SmmrubricError(f"must be finite, got {value!r}", field=field)
    if low is not None and (x < low or (low_open and x == low)):
        raise SmmrubricError(f"must be {'>' if low_open else '>='} {low}, got {value!r}", field=field)
    if high is not None and (x > high or (high_open and x == high)):
        raise SmmrubricError(f"must be {'<' if high_open else '<='} {high}, got {value!r}", field=field)
    return x


def check_real(values: Any, field: str) -> None:
    """Refuse booleans and complex numbers, which numpy would silently turn into 0/1 or real parts."""
    try:
        kind = np.asarray(values).dtype.kind
    except (TypeError, ValueError):  # ragged: the caller's float conversion words the error
        return
    if kind in "bc":
        raise SmmrubricError(f"must be real numbers, got {'True/False' if kind == 'b' else 'complex numbers'}",
                             field=field)


def check_probability(value: Any, field: str, *, open_ends: bool = False) -> float:
    """Return ``value`` as a float in [0, 1] (or (0, 1) when ``open_ends``)."""
    return check_number(value, field, low=0.0, high=1.0, low_open=open_ends, high_open=open_ends)


def check_int(value: Any, field: str, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an int within ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise SmmrubricError(f"must be an integer, got {value!r}", field=field)
    v = int(value)
    if low is not None and v < low:
        raise SmmrubricError(f"must be >= {low}, got {v}", field=field)
    if high is not None and v > high:
        raise SmmrubricError(f"must be <= {high}, got {v}", field=field)
    return v


def check_choice(value: Any, field: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``."""
    if value not in choices:
        raise SmmrubricError(
            f"must be one of {', '.join(map(repr, choices))}, got {value!r}", field=field
        )
    return value


def check_unique(values: Iterable[Any], field: str, *, file: Any = None) -> None:
    """Raise if any value repeats, naming the first repeated one."""
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            raise SmmrubricError(f"duplicate value {v!r}", file=file, field=field)
        seen.add(v)


def check_weights(
    weights: Any, field: str = "weights", *, file: Any = None, allow_all_zero: bool = False
) -> pd.Series | np.ndarray:
    """Check a weight vector: finite, non-negative, not all zero; labels unique if a Series.

    Returns the weights unchanged in type (a float Series stays a Series, anything else becomes a
    float ndarray). Errors name the offending label (Series) or position.
    """
    if isinstance(weights, pd.Series):
        check_unique(weights.index, f"{field} index", file=file)
        labels = list(weights.index)
        values = pd.to_numeric(weights, errors="coerce").to_numpy(dtype=float)
        bad_type = weights.notna() & pd.to_numeric(weights, errors="coerce").isna()
        if bad_type.any():
            label = weights.index[bad_type.to_numpy()][0]
            raise SmmrubricError(f"weight must be a number, got {weights[label]!r}", file=file,
                                 row=str(label), field=field)
    else:
        try:
            values = np.asarray(weights, dtype=float)
        except (TypeError, ValueError):
            raise SmmrubricError(f"must be numbers, got {weights!r}", file=file, field=field) from None
        labels = [f"position {i}" for i in range(values.size)]
    if values.ndim != 1 or values.size == 0:
        raise SmmrubricError(f"must be a non-empty 1-D vector, got shape {values.shape}", file=file,
                             field=field)
    for i, v in enumerate(values):
        if not math.isfinite(v):
            raise SmmrubricError(f"weight must be finite, got {v}", file=file, row=str(labels[i]),
                                 field=field)
        if v < 0:
            raise SmmrubricError(f"weight must be >= 0, got {v}", file=file, row=str(labels[i]),
                                 field=field)
    if not allow_all_zero and not values.any():
        raise SmmrubricError("weights are all zero; at least one must be positive", file=file,
                             field=field)
    if isinstance(weights, pd.Series):
        return pd.Series(values, index=weights.index, name=weights.name)
    return values
