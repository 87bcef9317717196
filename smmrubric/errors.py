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
from collections.abc import Callable, Sequence
from os import PathLike
from typing import Any

__all__ = ["MESSAGE_LIMIT", "VALUE_LIMIT", "InputProblems", "Problems", "SmmrubricError", "shown"]

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
        return f"{x[: self.maxstring]!r}... ({len(x):,} characters)"


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


class InputProblems(SmmrubricError):
    """Every problem found in one input, reported at once (a ratings file with several bad rows).

    ``file``, ``row``, ``field`` and ``message`` are those of the first problem, so code that handles a
    :class:`SmmrubricError` keeps working; ``problems`` holds the problems listed (at most
    :data:`LIMIT`, in row order) and ``total`` how many there are in all. With one problem the text is
    that problem's one line; with several it is a header line and one indented line per problem, then
    ``and N more`` when some are not listed.

    Examples
    --------
    >>> print(InputProblems([SmmrubricError("not a number: 'x'", file="r.csv", row=3, field="score"),
    ...                      SmmrubricError("empty value", file="r.csv", row=5, field="rater_id")]))
    r.csv: 2 problems:
      row 3, field 'score': not a number: 'x'
      row 5, field 'rater_id': empty value
    """

    #: How many problems the text lists before "and N more".
    LIMIT = 20

    def __init__(self, problems: Sequence[SmmrubricError], *, total: int | None = None) -> None:
        if not problems:
            raise ValueError("InputProblems needs at least one problem")
        first = problems[0]
        super().__init__(first.message, file=first.file, row=first.row, field=first.field)
        self.problems = tuple(problems[: self.LIMIT])
        self.total = max(len(problems), total or 0)
        if self.total > 1:
            lines = [f"{first.file + ': ' if first.file else ''}{self.total} problems:"]
            lines += [f"  {_location(p.row, p.field)}{p.message}" for p in self.problems]
            if self.total > len(self.problems):
                lines.append(f"  and {self.total - len(self.problems)} more")
            self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return str(self.args[0])


def _location(row: int | str | None, field: str | None) -> str:
    parts = [] if row is None else [f"row {row}" if isinstance(row, int) else str(row)]
    parts += [] if field is None else [f"field '{field}'"]
    return ", ".join(parts) + ": " if parts else ""


class Problems:
    """Collects the problems of one input so that they are reported together (:class:`InputProblems`).

    Each check adds the rows it finds bad; only the first :data:`InputProblems.LIMIT` rows of each are
    kept (the report lists at most that many, in row order), but all are counted.

    Examples
    --------
    >>> problems = Problems(file="r.csv")
    >>> problems.add_rows([4, 9], "score", lambda row: f"bad score at {row}")
    >>> problems.add("empty value", row=2, field="rater_id")
    >>> try:
    ...     problems.raise_if_any()
    ... except InputProblems as error:
    ...     print(error)
    r.csv: 3 problems:
      row 2, field 'rater_id': empty value
      row 4, field 'score': bad score at 4
      row 9, field 'score': bad score at 9
    """

    def __init__(self, file: str | PathLike[str] | None = None) -> None:
        self.file = file
        self._found: list[SmmrubricError] = []
        self.total = 0

    def __bool__(self) -> bool:
        return self.total > 0

    def add(self, message: str, *, row: int | str | None = None, field: str | None = None) -> None:
        """Add one problem."""
        self._found.append(SmmrubricError(message, file=self.file, row=row, field=field))
        self.total += 1

    def add_rows(
        self, rows: Sequence[Any], field: str | None, message: Callable[[Any], str], count: int | None = None
    ) -> None:
        """Add a problem for each of ``rows`` (``message(row)`` words it); ``count`` of them in all if more."""
        for row in list(rows[: InputProblems.LIMIT]):
            self.add(message(row), row=row, field=field)
        self.count_more((len(rows) if count is None else count) - min(len(rows), InputProblems.LIMIT))

    def add_mask(
        self,
        mask: Any,
        field: str | None | Callable[[int], str],
        message: Callable[[int], str],
        row: Callable[[int], int | str],
    ) -> None:
        """Add a problem for each True position ``p`` of a boolean array (only the first ones are listed).

        ``message(p)``, ``row(p)`` and (if a function) ``field(p)`` word each problem.
        """
        import numpy as np  # here, not at the top: importing smmrubric must not load numpy

        positions = [int(p) for p in np.flatnonzero(mask)[: InputProblems.LIMIT]]
        for p in positions:
            self.add(message(p), row=row(p), field=field(p) if callable(field) else field)
        self.count_more(int(np.count_nonzero(mask)) - len(positions))

    def count_more(self, n: int) -> None:
        """Count ``n`` more problems of a kind already listed ``InputProblems.LIMIT`` times (not listed)."""
        self.total += max(0, n)

    def raise_if_any(self) -> None:
        """Raise :class:`InputProblems` with every problem added, in row order, if there is any."""
        if self.total:
            ordered = sorted(self._found, key=_row_order)
            raise InputProblems(ordered, total=self.total)


def _row_order(problem: SmmrubricError) -> tuple[int, float, str]:
    row = problem.row
    if row is None:
        return (0, 0.0, "")
    if isinstance(row, int):
        return (1, float(row), "")
    return (2, 0.0, str(row))
