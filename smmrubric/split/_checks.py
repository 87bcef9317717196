"""Argument checks shared by the skills-versus-traits analyses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from numbers import Real
from typing import Any

import numpy as np

from ..data import CATEGORIES
from ..errors import SmmrubricError
from ..rubric import Rubric, check_rubric
from ..validation import check_number

__all__ = ["check_split_rubric", "months_list", "number_list", "shares_grid"]


def check_split_rubric(rubric: Rubric) -> Rubric:
    check_rubric(rubric)
    weights = rubric.raw_weights.groupby(rubric.categories).sum().reindex(list(CATEGORIES), fill_value=0.0)
    for category in CATEGORIES:
        if weights[category] <= 0:
            raise SmmrubricError(
                f"the rubric {rubric.name!r} has no {category} with a positive weight, so there "
                "is no skill / trait split to vary",
                field="rubric",
            )
    return rubric


def shares_grid(shares: Any, field: str = "shares") -> np.ndarray:
    values = number_list(shares, field, low=0.0, high=1.0)
    # rounded so that grid labels are the decimals a reader types (linspace gives 0.8500000000000001)
    values = np.round(values, 12)
    if np.unique(values).size != values.size:
        raise SmmrubricError("shares must not repeat", field=field)
    return np.sort(values)


def number_list(values: Any, field: str, **bounds: Any) -> np.ndarray:
    """A number or a non-empty 1-D sequence of numbers (each checked by ``check_number`` with ``bounds``).

    Text, mappings, nested sequences and booleans are refused with the position of the first bad value.
    """
    if isinstance(values, np.ndarray) and values.ndim == 0:
        values = values.item()
    if isinstance(values, Real) and not isinstance(values, bool):
        values = [values]
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise SmmrubricError(f"must be a number or a list of numbers, got {values!r}", field=field)
    numbers = [check_number(v, f"{field}[{i}]", **bounds) for i, v in enumerate(values)]
    if not numbers:
        raise SmmrubricError("must not be empty", field=field)
    return np.array(numbers, dtype=float)


def months_list(months: Any) -> np.ndarray:
    values = number_list(months, "months", low=0.0)
    if values[0] != 0:
        raise SmmrubricError("the first horizon must be 0 (at hire), the reference of the others", field="months")
    if np.unique(values).size != values.size:
        raise SmmrubricError("horizons must not repeat", field="months")
    return values
