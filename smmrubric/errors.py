"""The project's one exception type.

Every check on user input (a data file, a rubric, a ratings table, a function argument) raises
:class:`SmmrubricError`, whose message names where the problem is: the file, the row and the field.

Row numbers follow what a researcher sees in a text editor or spreadsheet: the header is line 1, so the
first data row of a CSV file is row 2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from os import PathLike
from typing import Any

import numpy as np

__all__ = ["InputProblems", "Problems", "SmmrubricError"]


class SmmrubricError(ValueError):
    """Bad input to smmrubric, with its location.

    Parameters
    ----------
    message
        What is wrong and, where it helps, what was expected.
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
        self.message = message
        self.file = None if file is None else str(file)
        self.row = row
        self.field = field
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if row is not None:
            parts.append(f"row {row}" if isinstance(row, int) else str(row))
        if field is not None:
            parts.append(f"field '{field}'")
        location = ", ".join(parts)
        super().__init__(f"{location}: {message}" if location else message)


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

    def add_rows(self, rows: Sequence[Any], field: str | None, message: Callable[[Any], str],
                 count: int | None = None) -> None:
        """Add a problem for each of ``rows`` (``message(row)`` words it); ``count`` of them in all if more."""
        for row in list(rows[: InputProblems.LIMIT]):
            self.add(message(row), row=row, field=field)
        self.count_more((len(rows) if count is None else count) - min(len(rows), InputProblems.LIMIT))

    def add_mask(self, mask: Any, field: str | None | Callable[[int], str],
                 message: Callable[[int], str], row: Callable[[int], int | str]) -> None:
        """Add a problem for each True position ``p`` of a boolean array (only the first ones are listed).

        ``message(p)``, ``row(p)`` and (if a function) ``field(p)`` word each problem.
        """
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
