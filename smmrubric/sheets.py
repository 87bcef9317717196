"""The tables researchers keep in spreadsheets: read as text from CSV, ``.xlsx`` or ``.ods``; written to CSV or xlsx.

Reading (:func:`read_table`)
    The format is told by the file's first bytes, not its name: a zip holding ``xl/workbook.xml`` is an
    Excel workbook (read with openpyxl, cached formula values), one holding the OpenDocument mimetype is a
    LibreOffice sheet (read with pandas' odf engine), anything else is CSV text. CSV text is decoded as
    UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's "Unicode text"),
    else Windows-1252 (cp1252) or, failing that, Latin-1; the separator is whichever of comma, semicolon
    or tab splits the header line most. A decoding other than UTF-8 and a separator other than a comma
    are kept as notes (:attr:`Table.notes`): never applied silently.

    Every cell comes back as text (numbers in a workbook as their shortest exact decimal, whole numbers
    without ``.0``), untouched otherwise: spaces are kept, so that callers can see ids that differ only
    by them. Empty cells are missing. Rows are numbered as the user sees them: the CSV line a record
    starts on, header = line 1; the sheet's row number in a workbook. Blank rows are skipped without
    shifting the numbers; columns with no name in the header are dropped if they hold nothing.

Writing (:func:`write_table`)
    ``.csv`` (UTF-8) or ``.xlsx``, format from the suffix, through :func:`smmrubric.io.atomic_write`.
    Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return; OWASP, "CSV injection") are neutralised: in CSV they get a leading
    apostrophe (``'=HYPERLINK(...)``); in xlsx they stay unchanged but are stored as text with Excel's
    quote prefix, so they show as typed and are never evaluated, even after an edit. Numbers are
    written as numbers. xlsx files are byte-reproducible (fixed timestamps in the zip and the document
    properties).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import tempfile
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputProblems, Problems, SmmrubricError, shown
from .io import atomic_write

__all__ = [
    "FORMULA_PREFIXES",
    "Table",
    "check_output_file",
    "defuse_formula",
    "protect_text_cells",
    "read_table",
    "table_bytes",
    "workbook_bytes",
    "write_table",
    "xlsx_bytes",
]

#: Text cells starting with one of these are neutralised in written spreadsheets (see the module docstring).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
_CHUNK_ROWS = 250_000
_SAMPLE_BYTES = 1 << 16
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_STAMP = "2000-01-01T00:00:00Z"


@dataclass(frozen=True)
class Table:
    """A table read by :func:`read_table`.

    Attributes
    ----------
    cells : pandas.DataFrame
        One column per named header column (names stripped of surrounding spaces), each a categorical
        of text (missing = empty cell); index ``row``, the row numbers the user sees.
    file : str
        The file read.
    format : str
        ``"csv"``, ``"xlsx"`` or ``"ods"``.
    encoding, delimiter : str or None
        For CSV: the text encoding used and the separator.
    sheet : str or None
        For a workbook: the sheet read.
    header_row : int
        The row of the header (1 unless blank rows come first).
    notes : tuple of str
        Every decision taken in reading that the user did not state (an encoding other than UTF-8, a
        separator other than a comma, a sheet chosen among several), one sentence each.
    """

    cells: pd.DataFrame
    file: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    notes: tuple[str, ...] = ()


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None, problems: Problems | None = None) -> Table:
    """Read a CSV, ``.xlsx`` or ``.ods`` table as text cells with user-facing row numbers.

    Parameters
    ----------
    path
        The file.
    sheet
        For a workbook, the sheet's name (default: the first sheet, with a note if there are others).
    problems
        Where to add the problems of single records (too many fields), so that a caller checking the
        cells next reports everything at once; by default they are raised here.

    Returns
    -------
    Table

    Raises
    ------
    SmmrubricError
        The file is missing, a folder, unreadable (permission), an old ``.xls`` or other binary file,
        empty, or has a header with a repeated name or an unnamed column holding values; an unknown
        sheet (with the sheet names). Records with more fields than the header and an unclosed quote
        are reported together (:class:`~smmrubric.errors.InputProblems`), each naming its row.
    """
    path = Path(path)
    head = _head(path)
    kind = _kind(path, head)
    if kind in ("xlsx", "ods"):
        return _read_workbook(path, kind, sheet)
    if sheet is not None:
        raise SmmrubricError(f"a CSV file has no sheets (asked for sheet {sheet!r})", file=path, field="sheet")
    found = Problems(file=path) if problems is None else problems
    table = _read_csv(path, head, found)
    if problems is None:
        found.raise_if_any()
    return table


# -- files and formats ------------------------------------------------------------------------------


def _head(path: Path) -> bytes:
    """The file's first bytes; a SmmrubricError for a missing, folder or unreadable path."""
    if path.is_dir():
        raise SmmrubricError("is a folder, not a file", file=path)
    try:
        with path.open("rb") as handle:
            return handle.read(_SAMPLE_BYTES)
    except FileNotFoundError:
        raise SmmrubricError("no such file", file=path) from None
    except PermissionError:
        raise SmmrubricError("cannot read the file: permission denied", file=path) from None
    except OSError as exc:
        raise SmmrubricError(f"cannot read the file: {exc.strerror or exc}", file=path) from None


def _kind(path: Path, head: bytes) -> str:
    if head.startswith(_OLE2):
        raise SmmrubricError("an old-format Excel (.xls) or other OLE2 file: save it as .xlsx or CSV", file=path)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
                    return "ods"
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
            pass
        raise SmmrubricError("a zip archive that is neither an .xlsx nor an .ods spreadsheet", file=path)
    return "csv"


# -- CSV --------------------------------------------------------------------------------------------


def _encoding(path: Path, head: bytes) -> tuple[str, str | None]:
    """The text encoding of a CSV file and the note saying so (None for plain UTF-8)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "decoded as UTF-16 (a byte-order mark says so: Excel's 'Unicode text')"
    if _decodes(path, "utf-8"):
        return "utf-8", None
    if b"\x00" in head:
        raise SmmrubricError(
            "not a text file (it holds binary data): save the table as CSV (UTF-8) or .xlsx", file=path
        )
    if _decodes(path, "cp1252"):
        return "cp1252", "not UTF-8: decoded as Windows-1252 (cp1252); check that accented text reads right"
    return "latin-1", "not UTF-8 nor Windows-1252: decoded as Latin-1; check that accented text reads right"


def _decodes(path: Path, encoding: str) -> bool:
    """True if the whole file decodes in ``encoding`` (read in 1 MB blocks: no copy of the file in memory)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _separator(line: str) -> str:
    """The separator splitting the header line most (outside quotes); a comma when none does."""
    unquoted = re.sub(r'"[^"]*"', "", line)
    counts = {sep: unquoted.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])  # ties: the first in _SEPARATORS
    return best if counts[best] else ","


def _header(path: Path, head: bytes, encoding: str) -> tuple[list[str], str, int]:
    """The header record, the separator and the number of lines up to the end of the header."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise SmmrubricError("the file is empty (no header row)", file=path)
    delimiter = _separator(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            if any(value.strip() for value in record):
                return [name.strip() for name in record], delimiter, reader.line_num
    except csv.Error as exc:
        raise SmmrubricError(f"the header cannot be read as CSV ({exc})", file=path, row=1) from None
    raise SmmrubricError("the file is empty (no header row)", file=path)


def _read_csv(path: Path, head: bytes, problems: Problems) -> Table:
    encoding, note = _encoding(path, head)
    header, delimiter, header_lines = _header(path, head, encoding)
    notes = [note] if note else []
    if delimiter != ",":
        notes.append(f"columns separated by {_SEPARATORS[delimiter]}s")
    names = [f"c{i}" for i in range(len(header))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            chunks = list(_csv_chunks(path, encoding, delimiter, header_lines, names))
        except pd.errors.ParserError as exc:
            raise _parser_error(path, exc) from None
        except (UnicodeError, ValueError, OverflowError, csv.Error) as exc:
            raise SmmrubricError(f"not a readable CSV file ({exc})", file=path) from None
    skipped = _skipped_records(caught, problems)
    columns = {name: _union([chunk[name].array for chunk in chunks]) for name in names}
    n = len(columns[names[0]]) if names else 0
    first = header_lines + 1  # pandas numbers records from the first line of the file
    records = np.arange(first, first + n + len(skipped))
    records = records[~np.isin(records, list(skipped))]
    newlines = sum((_count(col, "\n") for col in columns.values()), np.zeros(n, dtype=np.int64))
    rows = records + np.concatenate(([0], np.cumsum(newlines)[:-1])) if n else records
    cells = pd.DataFrame(columns, copy=False)
    cells.index = pd.Index(rows.astype(np.int64), name="row")
    return Table(
        cells=_named_columns(cells, header, path, header_row=header_lines),
        file=str(path),
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_lines,
        notes=tuple(notes),
    )


def _csv_chunks(path: Path, encoding: str, delimiter: str, skip: int, names: list[str]) -> Iterator[pd.DataFrame]:
    """The records after the header, in chunks, every cell as text (categorical) or missing when empty."""
    reader = pd.read_csv(
        path,
        sep=delimiter,
        encoding=encoding,
        header=None,
        skiprows=skip,
        names=names,
        index_col=False,
        dtype=object,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
        on_bad_lines="warn",
        quotechar='"',
        doublequote=True,
        engine="c",
        chunksize=_CHUNK_ROWS,
    )
    with reader:
        for chunk in reader:
            yield pd.DataFrame({name: _categorical(chunk[name].to_numpy(dtype=object)) for name in names}, copy=False)


def _categorical(values: np.ndarray) -> pd.Categorical:
    """Text cells as a categorical of text (categories as found: no sorting, no type inference)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object), validate=False)


def _union(parts: Sequence[pd.Categorical]) -> pd.Categorical:
    if not parts:
        return pd.Categorical([], categories=pd.Index([], dtype=object))
    return pd.api.types.union_categoricals(list(parts), sort_categories=True) if len(parts) > 1 else parts[0]


def _count(column: pd.Categorical, text: str) -> np.ndarray:
    """How many times ``text`` occurs in each cell (0 for missing), counted once per distinct value."""
    per_value = np.array([str(v).count(text) for v in column.categories] + [0], dtype=np.int64)
    return per_value[column.codes]


_SKIPPED = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")


def _skipped_records(caught: Iterable[warnings.WarningMessage], problems: Problems) -> set[int]:
    """Records pandas skipped for having too many fields: each is a problem naming its row."""
    found = [match for warning in caught for match in _SKIPPED.findall(str(warning.message))]
    for line, expected, saw in found[: InputProblems.LIMIT]:
        problems.add(f"has {saw} fields, the header has {expected}", row=int(line))
    problems.count_more(len(found) - InputProblems.LIMIT)
    return {int(line) for line, _, _ in found}


def _parser_error(path: Path, exc: Exception) -> SmmrubricError:
    text = str(exc)
    match = re.search(r"EOF inside string starting at row (\d+)", text)
    if match:
        return SmmrubricError("a quote opened here is never closed", file=path, row=int(match.group(1)) + 1)
    return SmmrubricError(f"not a readable CSV file ({text.replace('C error: ', '')})", file=path)


# -- workbooks --------------------------------------------------------------------------------------


def _read_workbook(path: Path, kind: str, sheet: str | None) -> Table:
    try:
        names, chosen, rows = (_xlsx_rows if kind == "xlsx" else _ods_rows)(path, sheet)
    except SmmrubricError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl and odfpy raise many types (zip, XML, KeyError) on a bad file
        raise SmmrubricError(f"not a readable .{kind} file ({type(exc).__name__}: {exc})", file=path) from None
    notes = []
    if sheet is None and len(names) > 1:
        notes.append(
            f"read the first sheet, {chosen!r}, of {len(names)} ({', '.join(map(repr, names))}); "
            "choose another with sheet="
        )
    width = max((len(values) for _, values in rows), default=0)
    texts = [(number, [_cell_text(v) for v in values] + [None] * (width - len(values))) for number, values in rows]
    texts = [(number, values) for number, values in texts if any(v is not None and v.strip() for v in values)]
    if not texts:
        raise SmmrubricError("the sheet is empty (no header row)", file=path, field=f"sheet {chosen}")
    (header_row, names_given), body = texts[0], texts[1:]
    header = [(name or "").strip() for name in names_given]
    columns = {f"c{i}": pd.Categorical([values[i] for _, values in body], categories=None) for i in range(width)}
    cells = pd.DataFrame(columns, copy=False)
    cells.index = pd.Index([number for number, _ in body], dtype=np.int64, name="row")
    return Table(
        cells=_named_columns(cells, header, path, header_row=header_row),
        file=str(path),
        format=kind,
        sheet=chosen,
        header_row=header_row,
        notes=tuple(notes),
    )


def _pick_sheet(path: Path, names: list[str], sheet: str | None) -> str:
    if not names:
        raise SmmrubricError("the workbook has no sheets", file=path)
    if sheet is None:
        return names[0]
    if sheet not in names:
        raise SmmrubricError(
            f"no sheet {sheet!r}; the sheets are {', '.join(map(repr, names))}", file=path, field="sheet"
        )
    return sheet


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[str], str, list[tuple[int, tuple[Any, ...]]]]:
    import openpyxl

    with path.open("rb") as handle:  # a handle: openpyxl would refuse a workbook named .csv
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            names = list(book.sheetnames)
            chosen = _pick_sheet(path, names, sheet)
            rows = [
                (number, tuple(values))
                for number, values in enumerate(book[chosen].iter_rows(min_row=1, values_only=True), start=1)
            ]
        finally:
            book.close()
    return names, chosen, rows


def _ods_rows(path: Path, sheet: str | None) -> tuple[list[str], str, list[tuple[int, tuple[Any, ...]]]]:
    with pd.ExcelFile(path, engine="odf") as book:
        names = [str(name) for name in book.sheet_names]
        chosen = _pick_sheet(path, names, sheet)
        frame = pd.read_excel(book, sheet_name=chosen, header=None, dtype=object)
    values = frame.astype(object).where(frame.notna(), None).to_numpy()
    return names, chosen, [(i + 1, tuple(row)) for i, row in enumerate(values)]


def _cell_text(value: Any) -> str | None:
    """A workbook cell as the text a CSV export would hold (None when empty)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        x = float(value)
        return str(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


# -- header -----------------------------------------------------------------------------------------


def _named_columns(cells: pd.DataFrame, header: list[str], path: Path, header_row: int = 1) -> pd.DataFrame:
    """Name the columns after the header: drop blank rows and unnamed empty columns, refuse the rest."""
    blank = np.ones(len(cells), dtype=bool)
    for column in cells.columns:
        blank &= _blank(cells[column].array)
    cells = cells[~blank] if blank.any() else cells
    keep = []
    for position, (column, name) in enumerate(zip(cells.columns, header, strict=True), start=1):
        if name:
            if name in header[: position - 1]:
                raise SmmrubricError(f"column name {name!r} appears twice in the header", file=path, row=header_row)
            keep.append(column)
            continue
        filled = ~_blank(cells[column].array)
        if filled.any():
            raise SmmrubricError(
                f"column {position} of the header has no name, but holds values (first at row "
                f"{cells.index[np.argmax(filled)]})",
                file=path,
                row=header_row,
            )
    out = cells[keep]
    out.columns = [name for name in header if name]
    return out


def _blank(column: pd.Categorical) -> np.ndarray:
    """Per cell: missing or only spaces."""
    per_value = np.array([not str(v).strip() for v in column.categories] + [True], dtype=bool)
    return per_value[column.codes]


# -- writing ----------------------------------------------------------------------------------------


def check_output_file(
    path: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    overwrite: bool = False,
    field: str = "--out",
    table: bool = True,
) -> Path:
    """Check, before any work, that an output file can be written to ``path`` (a table by :func:`write_table`
    unless ``table`` is False, e.g. a scorecard page).

    Raises
    ------
    SmmrubricError
        For a table, the suffix is not ``.csv`` or ``.xlsx``; the path is a folder or one of ``inputs``; the file
        exists and ``overwrite`` is False; the folder does not exist or cannot be written in.
    """
    path = Path(path)
    if path.is_dir():
        raise SmmrubricError("is a folder; give a file name such as ranked.csv", file=path, field=field)
    if any(path.resolve() == Path(given).resolve() for given in inputs):
        raise SmmrubricError("is one of the input files; write to another file", file=path, field=field)
    if table:
        _format_of(path, field)
    if path.exists() and not overwrite:
        raise SmmrubricError("the file exists; give another name, or --force to replace it", file=path, field=field)
    folder = path.parent
    if not folder.is_dir():
        raise SmmrubricError("the folder does not exist", file=folder, field=field)
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise SmmrubricError(f"cannot write in this folder ({exc.strerror or exc})", file=folder, field=field) from None
    return path


def _format_of(path: Path, field: str | None = None) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SmmrubricError(
            f"cannot tell the format from {suffix or 'no suffix'!r}: end the name with .csv or .xlsx",
            file=path,
            field=field,
        )
    return suffix[1:]


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write ``frame`` (with its index, if named) to a ``.csv`` or ``.xlsx`` file, formulas neutralised.

    See :func:`table_bytes`. ``overwrite=False`` refuses to replace a file.
    """
    path = Path(path)
    return atomic_write(path, table_bytes(frame, _format_of(path)), overwrite=overwrite)


def table_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """A table as the bytes of a ``"csv"`` (UTF-8) or ``"xlsx"`` file, safe to open in a spreadsheet.

    The index is the first column when it has a name. Text cells (and column names) starting with one of
    :data:`FORMULA_PREFIXES` (a candidate id such as ``=HYPERLINK(...)`` in an uploaded file) are never run: in
    CSV they get a leading apostrophe (:func:`defuse_formula`); in xlsx they are stored as text with Excel's
    quote prefix (:func:`protect_text_cells`), so they show as typed. Numbers stay numbers; missing values are
    empty cells; the same table gives the same bytes.
    """
    if fmt not in ("csv", "xlsx"):
        raise SmmrubricError(f"must be 'csv' or 'xlsx', got {shown(fmt)}", field="format")
    table = frame.reset_index() if frame.index.name is not None else frame
    if fmt == "xlsx":
        return xlsx_bytes(table)
    safe = table.apply(lambda column: column.map(defuse_formula) if _is_text(column) else column)
    # CRLF line ends (RFC 4180): then a cell holding a line break of either kind is quoted
    return safe.rename(columns=defuse_formula).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def _is_text(column: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column))


def defuse_formula(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula, else unchanged."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def protect_text_cells(worksheet: Any) -> None:
    """Store every text cell of an openpyxl worksheet as text (never a formula), with Excel's quote prefix on
    those starting with one of :data:`FORMULA_PREFIXES`, so they show as typed."""
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.quotePrefix = cell.value.startswith(FORMULA_PREFIXES)


def xlsx_bytes(table: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """``table`` (header row + values, no index) as a byte-reproducible .xlsx workbook, formulas neutralised."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([str(c) for c in table.columns])
    for values in table.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in values])
    protect_text_cells(ws)
    return workbook_bytes(book)


def workbook_bytes(book: Any) -> bytes:
    """An openpyxl workbook saved to bytes that are the same for the same content (fixed creator and times)."""
    book.properties.creator = "smmrubric"
    book.properties.created = datetime(2000, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible_zip(buffer.getvalue())


def _xlsx_value(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _reproducible_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times and document-property timestamps (same input, same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>" + _FIXED_STAMP.encode() + rb"\g<2>",
                    payload,
                )
            target.writestr(
                zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME), payload, compress_type=zipfile.ZIP_DEFLATED
            )
    return out.getvalue()
