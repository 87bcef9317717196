"""The project's one exception type.

Every check on user input (a data file, a rubric, a ratings table, a function argument) raises
:class:`SmmrubricError`, whose message names where the problem is: the file, the row and the field.

Row numbers follow what a researcher sees in a text editor or spreadsheet: the header is line 1, so the
first data row of a CSV file is row 2.
"""

from __future__ import annotations

from os import PathLike

__all__ = ["SmmrubricError"]


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
