"""The project's one exception type, and the bounded echo of user values in its messages.

Every check on user input (a data file, a rubric, a ratings table, a function argument) raises
:class:`SmmrubricError`, whose message names where the problem is: the file, the row and the field.

Row numbers follow what a researcher sees in a text editor or spreadsheet: the header is line 1, so the
first data row of a CSV file is row 2.

A message quotes the bad value with :func:`shown`, never with a bare ``{value!r}``: ``shown`` prints at most
about :data:`VALUE_LIMIT` characters however large the value (a megabyte of text, a list of a billion items,
an integer of ten thousand digits), without formatting the whole of it first. :class:`SmmrubricError` itself
bounds the row and field it names to the same length and the message to :data:`MESSAGE_LIMIT` characters, as
a backstop for messages built elsewhere.
"""

from __future__ import annotations

import reprlib
from os import PathLike
from typing import Any

__all__ = ["MESSAGE_LIMIT", "VALUE_LIMIT", "SmmrubricError", "shown"]

#: Characters of a user value (or of a row or field name) that an error message prints, about.
VALUE_LIMIT = 200
#: Characters of a whole error message, at most (its start and end are kept).
MESSAGE_LIMIT = 2_000


class _BoundedRepr(reprlib.Repr):
    """``reprlib`` with short containers, a shallow depth and no formatting of huge integers."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxtuple = self.maxlist = self.maxarray = self.maxset = self.maxfrozenset = self.maxdeque = 10
        self.maxdict = 6
        self.maxstring = self.maxother = self.maxlong = limit

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 3 * self.maxlong:  # formatting it would be slow, or refused beyond 4,300 digits
            return f"an integer of about {int(x.bit_length() * 0.30103) + 1:,} digits"
        return super().repr_int(x, level)

    def repr_str(self, x: str, level: int) -> str:
        if len(x) <= self.maxstring:
            return repr(x)
        return f"{x[:self.maxstring]!r}... ({len(x):,} characters)"


def cut(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else its start and end around a note of the cut."""
    if len(text) <= limit:
        return text
    note = f" [... {len(text) - limit:,} characters cut ...] "
    head = max((limit - len(note)) * 2 // 3, 1)
    tail = max(limit - len(note) - head, 1)
    return text[:head] + note + text[-tail:]


def shown(value: Any, limit: int = VALUE_LIMIT) -> str:
    """A value as an error message quotes it: its ``repr``, bounded to about ``limit`` characters.

    Containers show their first items only and nested containers three levels deep, so the cost does not
    grow with the value's size; text longer than ``limit`` is shown by its start and its length.

    Examples
    --------
    >>> shown("abc")
    "'abc'"
    >>> shown("x" * 10_000, limit=5)
    "'xxxxx'... (10,000 characters)"
    >>> shown(list(range(10**6)))
    '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...]'
    """
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
        value = value.item()  # np.True_ -> True, np.float64(2.5) -> 2.5: as the user wrote it
    try:
        text = _BoundedRepr(limit).repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the real error
        text = f"<{type(value).__name__}>"
    return cut(text, limit + 40)


class SmmrubricError(ValueError):
    """Bad input to smmrubric, with its location.

    Parameters
    ----------
    message
        What is wrong and, where it helps, what was expected (values quoted with :func:`shown`).
    file
        The file the bad value came from, if any.
    row
        The row (CSV line number, header = 1) or the item (for instance a competency id in a rubric).
    field
        The column, key or argument name.

    Examples
    --------
    >>> str(SmmrubricError("weight must be >= 0, got -1", file="r.yaml", row="copywriting", field="weight"))
    "r.yaml, copywriting, field 'weight': weight must be >= 0, got -1"
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | PathLike[str] | None = None,
        row: int | str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = cut(str(message), MESSAGE_LIMIT)
        self.file = None if file is None else str(file)
        self.row = cut(row, VALUE_LIMIT) if isinstance(row, str) else row
        self.field = None if field is None else cut(str(field), VALUE_LIMIT)
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}" if isinstance(self.row, int) else str(self.row))
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        location = ", ".join(parts)
        super().__init__(f"{location}: {self.message}" if location else self.message)
