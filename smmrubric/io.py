"""Reading and writing files safely: atomic writes, checked CSV reads, tables exported for spreadsheets."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import SmmrubricError

__all__ = ["FORMULA_PREFIXES", "atomic_write", "defuse_formula", "protect_text_cells", "read_csv", "table_bytes"]

#: First characters that make a spreadsheet read a text cell as a formula (OWASP, "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def atomic_write(path: str | os.PathLike[str], data: str | bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``path`` all at once: to a temporary file beside it, then renamed.

    A crash or an error half-way leaves the old file (or no file) in place, never a half-written one.

    Parameters
    ----------
    path
        Destination file; its folder must exist.
    data
        Text (written as UTF-8 with ``\\n`` line endings) or bytes.
    overwrite
        If False and ``path`` exists, raise instead of replacing it.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise SmmrubricError("the folder does not exist", file=path.parent)
    if not overwrite and path.exists():
        raise SmmrubricError("refusing to overwrite an existing file", file=path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, _file_mode(path))
        if not overwrite:
            # link fails if the destination appeared meanwhile: no silent overwrite
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise SmmrubricError("refusing to overwrite an existing file", file=path) from None
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _file_mode(path: Path) -> int:
    """The mode a replaced file keeps, or the one a new file gets under the process umask."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def read_csv(
    path: str | os.PathLike[str],
    required: Sequence[str],
) -> pd.DataFrame:
    """Read a CSV as strings and check its header.

    Every cell is read as text, stripped of surrounding spaces (empty cells become ``<NA>``), so that
    the caller converts and checks each column itself and can name the row of a bad value. The returned
    frame is indexed by each record's line number in the file (header = line 1, as a spreadsheet or a
    text editor shows it); blank lines are skipped without shifting the numbers. Extra columns are kept.

    Raises
    ------
    SmmrubricError
        If the file is missing, not UTF-8 text, not CSV, empty, has a repeated or empty column name, a
        record with more or fewer fields than the header (naming its row), or lacks a required column.
    """
    path = Path(path)
    if not path.is_file():
        raise SmmrubricError("no such file", file=path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            records = _records(csv.reader(handle, strict=True), path)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SmmrubricError(f"not a readable CSV file ({exc})", file=path) from None
    if not records:
        raise SmmrubricError("the file is empty (no header row)", file=path)
    (_, header), body = records[0], records[1:]
    header = [name.strip() for name in header]
    for position, name in enumerate(header, start=1):
        if not name:
            raise SmmrubricError(f"column {position} of the header has no name", file=path, row=1)
        if header.index(name) != position - 1:
            raise SmmrubricError(f"column name {name!r} appears twice in the header", file=path, row=1)
    missing = [c for c in required if c not in header]
    if missing:
        raise SmmrubricError(f"missing required column(s) {', '.join(missing)}", file=path)
    for line, values in body:
        if len(values) != len(header):
            raise SmmrubricError(f"has {len(values)} fields, the header has {len(header)}", file=path, row=line)
    frame = pd.DataFrame([values for _, values in body], columns=header, dtype="string")
    for column in header:
        stripped = frame[column].str.strip()
        frame[column] = stripped.mask(stripped == "")
    frame.index = pd.Index([line for line, _ in body], name="row")
    return frame


def _records(reader: Any, path: Path) -> list[tuple[int, list[str]]]:
    """The non-blank records of a CSV reader, each with the line it starts on."""
    records, end = [], 0
    for values in reader:
        start, end = end + 1, reader.line_num
        if any(v.strip() for v in values):
            records.append((start, values))
    return records


def defuse_formula(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula, else unchanged."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def table_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """A table as the bytes of a ``"csv"`` (UTF-8, RFC 4180) or ``"xlsx"`` file, safe to open in a spreadsheet.

    The index is the first column when it has a name. Text cells starting with one of
    :data:`FORMULA_PREFIXES` (a candidate id such as ``=HYPERLINK(...)`` in an uploaded file) are never
    run: in CSV they get a leading apostrophe (:func:`defuse_formula`); in xlsx every text cell is stored
    as text, and those with Excel's quote prefix, so they show as typed. Numbers stay numbers; missing
    values are empty cells.
    """
    if fmt not in ("csv", "xlsx"):
        raise SmmrubricError(f"must be 'csv' or 'xlsx', got {fmt!r}", field="format")
    table = frame.reset_index() if frame.index.name is not None else frame
    if fmt == "csv":
        # CRLF line ends (RFC 4180): then a cell holding a line break of either kind is quoted
        text = table.map(defuse_formula).rename(columns=defuse_formula).to_csv(index=False, lineterminator="\r\n")
        return text.encode("utf-8")
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([str(c) for c in table.columns])
    for values in table.itertuples(index=False, name=None):
        sheet.append([None if pd.isna(v) else v.item() if hasattr(v, "item") else v for v in values])
    protect_text_cells(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def protect_text_cells(sheet: Any) -> None:
    """Store every text cell of an openpyxl worksheet as text (never a formula), with Excel's quote prefix
    on those starting with one of :data:`FORMULA_PREFIXES`, so they show as typed."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.quotePrefix = cell.value.startswith(FORMULA_PREFIXES)
