"""Reading and writing files safely: one place for atomic writes, checked reads and our own temporaries.

Tables exported for spreadsheets (:func:`table_bytes`) never carry a cell a spreadsheet would run as a
formula (:func:`defuse_formula`, :func:`protect_text_cells`).

Reads (:func:`readable_file`, :func:`read_text`, :func:`read_csv`) turn every operating-system and encoding
failure into one :class:`~smmrubric.errors.SmmrubricError` naming the file (and the row and field where a
file has them): a missing file, a folder given as a file, a file without read permission, a file that is
not UTF-8 (a Windows-1252 or UTF-16 export is named as such), a NUL character, a quote never closed.

Writes (:func:`atomic_write`) go to a temporary file beside the destination, renamed over it at the end,
so a crash leaves the old file or the new one, never half of one. Our temporary files and folders carry
``.smmrubric-`` and the writing process's id in their names; one left by a process that no longer runs
(killed with ``kill -9``) is removed by the next write to the same place (:func:`remove_stale`).
"""

from __future__ import annotations

import csv
import glob
import os
import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import SmmrubricError, shown

__all__ = [
    "atomic_write",
    "make_private_dir",
    "read_csv",
    "read_text",
    "readable_file",
    "remove_stale",
    "stale_private",
]

#: Marks the temporary files and folders smmrubric creates (followed by a kind, the process id and a
#: random part), so that only ours are ever cleaned up.
PRIVATE_MARK = ".smmrubric-"
#: Where process ids cannot be checked (Windows), a temporary older than this many seconds is stale.
STALE_AFTER = 24 * 3600
#: First characters that make a spreadsheet read a text cell as a formula (OWASP, "CSV injection").
_DELIMITERS = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}


# -- reading ---------------------------------------------------------------------------------------


def readable_file(path: Any, *, field: str | None = None) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path` if it names an existing regular file.

    ``field`` (an argument or option name) is named in the errors; a path of another type is named
    ``path`` by default.

    Raises
    ------
    SmmrubricError
        ``path`` is not a path, does not exist, is a folder, or is not a regular file (a device or a
        pipe, which could be read forever).
    """
    if not isinstance(path, (str, os.PathLike)):
        raise SmmrubricError(f"must be a file path, got {shown(path)}", field=field or "path")
    path = Path(path)
    try:
        if path.is_dir():
            raise SmmrubricError("is a folder, not a file", file=path, field=field)
        if not path.exists():
            raise SmmrubricError("no such file", file=path, field=field)
        if not path.is_file():
            raise SmmrubricError("is not a regular file (a device or a pipe?)", file=path, field=field)
    except OSError as exc:
        raise os_error(exc, path, "read") from None
    return path


def os_error(exc: OSError, path: Any, doing: str) -> SmmrubricError:
    """The project error for an operating-system failure on ``path`` (never the name of a temporary file)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if isinstance(exc, PermissionError):
        reason = f"permission denied ({reason})" if "ermission" not in reason else reason.lower()
    return SmmrubricError(f"cannot {doing} the file: {reason}", file=path)


def _not_utf8(data: bytes, start: int) -> str:
    """Why bytes are not UTF-8 text, in words: a UTF-16 file, or the byte at ``start`` as Windows-1252 shows it."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return (
            "is UTF-16 text (Excel's 'Unicode text'), not UTF-8: save it as 'CSV UTF-8' (or UTF-8 text) and try again"
        )
    byte = data[start : start + 1]
    try:
        as_cp1252 = f" ({byte.decode('cp1252')!r} in Windows-1252)"
    except UnicodeDecodeError:
        as_cp1252 = ""
    return (
        f"is not UTF-8 text: byte 0x{byte.hex().upper()}{as_cp1252} cannot be read; it looks like a "
        "Windows-1252 (Latin-1) file, as Excel writes 'CSV' on Windows: save it as 'CSV UTF-8' (or UTF-8 "
        "text) and try again"
    )


def read_text(path: Any, *, field: str | None = None) -> str:
    """Read a whole UTF-8 text file (a leading byte-order mark is skipped).

    Raises
    ------
    SmmrubricError
        As :func:`readable_file`; a file that cannot be opened (permission); bytes that are not UTF-8
        (naming the line and what the file probably is).
    """
    path = readable_file(path, field=field)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise os_error(exc, path, "read") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SmmrubricError(_not_utf8(data, exc.start), file=path, row=f"line {line}") from None


def read_csv(
    path: str | os.PathLike[str],
    required: Sequence[str],
) -> pd.DataFrame:
    """Read a CSV as strings and check its header.

    Every cell is read as text, stripped of surrounding spaces (empty cells become ``<NA>``), so that
    the caller converts and checks each column itself and can name the row of a bad value. The returned
    frame is indexed by each record's line number in the file (header = line 1, as a spreadsheet or a
    text editor shows it); blank lines are skipped without shifting the numbers. Extra columns are kept.
    A UTF-8 byte-order mark (as Excel's "CSV UTF-8" writes) is skipped.

    Raises
    ------
    SmmrubricError
        If the file is missing, a folder, unreadable (permission), not UTF-8 text (a Windows-1252 or UTF-16
        file is named as such, with the row and field of the first bad byte), not CSV (a quote never
        closed, a field over 131,072 characters: naming the row and field), empty, separated by
        semicolons or tabs instead of commas, has a repeated or empty column name, a record with more or
        fewer fields than the header (naming its row), a NUL character in a field, or lacks a required
        column.
    """
    path = readable_file(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            records = _records(csv.reader(handle, strict=True), path)
    except UnicodeDecodeError:
        raise _encoding_error(path) from None
    except OSError as exc:
        raise os_error(exc, path, "read") from None
    if not records:
        raise SmmrubricError("the file is empty (no header row)", file=path)
    (_, header), body = records[0], records[1:]
    header = [name.strip() for name in header]
    for position, name in enumerate(header, start=1):
        if not name:
            raise SmmrubricError(f"column {position} of the header has no name", file=path, row=1)
        if header.index(name) != position - 1:
            raise SmmrubricError(f"column name {shown(name)} appears twice in the header", file=path, row=1)
    missing = [c for c in required if c not in header]
    if missing:
        raise SmmrubricError(_missing_columns(header, missing), file=path)
    for line, values in body:
        if len(values) != len(header):
            raise SmmrubricError(f"has {len(values)} fields, the header has {len(header)}", file=path, row=line)
    frame = pd.DataFrame([values for _, values in body], columns=header, dtype="string")
    for column in header:
        stripped = frame[column].str.strip()
        nul = stripped.str.contains("\x00", regex=False).fillna(False).to_numpy()
        if nul.any():
            line = body[int(nul.argmax())][0]
            raise SmmrubricError(
                "contains a NUL character (\\x00): the file is binary, UTF-16 or damaged; save it again as CSV UTF-8",
                file=path,
                row=line,
                field=column,
            )
        frame[column] = stripped.mask(stripped == "")
    frame.index = pd.Index([line for line, _ in body], name="row")
    return frame


def _missing_columns(header: list[str], missing: list[str]) -> str:
    """The message for missing columns, naming the real cause when the columns are split by another character."""
    line = ",".join(header)
    for delimiter, words in _DELIMITERS.items():
        names = [name.strip() for name in line.split(delimiter)]
        if delimiter in line and all(column in names for column in missing):
            return (
                f"the columns are separated by {words}, not commas: save the file as comma-separated CSV (or CSV UTF-8)"
            )
    return f"missing required column(s) {', '.join(missing)}"


def _records(reader: Any, path: Path) -> list[tuple[int, list[str]]]:
    """The non-blank records of a CSV reader, each with the line it starts on; a CSV error names its row."""
    records: list[tuple[int, list[str]]] = []
    end = 0
    while True:
        start = end + 1
        try:
            values = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            raise _csv_error(exc, path, start, reader.line_num, records[0][1] if records else None) from None
        end = reader.line_num
        if any(v.strip() for v in values):
            records.append((start, values))


def _csv_error(exc: csv.Error, path: Path, line: int, now: int, header: list[str] | None) -> SmmrubricError:
    """A CSV syntax error, naming the row where the bad record starts (the error shows at line ``now``) and,
    if it can tell, the field."""
    text = str(exc)
    limit = csv.field_size_limit()
    if "field larger than field limit" in text:
        message = (
            f'a field is longer than {limit:,} characters: most often a quote (") opened here is never '
            "closed, so the rest of the file reads as one field"
        )
    elif "unexpected end of data" in text:
        message = 'a quote (") opened on this row is never closed'
    elif now > line:  # a quoted field ran over several lines into text that is not CSV
        message = (
            f'a quote (") opened on this row is never closed where its field should end (the text runs '
            f'on to line {now}); a quote inside a field must be doubled ("")'
        )
    else:
        message = f'not a readable CSV record ({text}); a quote inside a field must be doubled ("")'
    column = _open_field(_physical_line(path, line), limit)
    field = None
    if header is not None and column < len(header):
        field = header[column].strip()
    elif header is None:
        field = f"column {column + 1} of the header"
    return SmmrubricError(message, file=path, row=line, field=field)


def _physical_line(path: Path, number: int) -> str:
    """Line ``number`` (1-based) of a text file, read as the csv module counts lines."""
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        for index, line in enumerate(handle, start=1):
            if index == number:
                return line
    return ""


def _open_field(line: str, limit: int) -> int:
    """The position of the field that a CSV line leaves open (quote not closed) or that outgrows ``limit``."""
    index, quoted, length = 0, False, 0
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            index, length = index + 1, 0
            continue
        length += 1
        if length > limit:
            break
    return index


def _encoding_error(path: Path) -> SmmrubricError:
    """The error for a CSV that is not UTF-8: what it probably is, and the row and field of the first bad byte."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = _not_utf8(data, exc.start)
        line = data.count(b"\n", 0, exc.start) + 1
    else:  # pragma: no cover - the file changed while we read it
        return SmmrubricError("is not UTF-8 text", file=path)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return SmmrubricError(message, file=path)
    try:  # find the cell: undecodable bytes become surrogates \udc80-\udcff
        with open(path, newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
            reader = csv.reader(handle, strict=False)
            header = None
            for values in reader:
                for column, value in enumerate(values):
                    if re.search("[\udc80-\udcff]", value):
                        field = (
                            f"column {column + 1} of the header"
                            if header is None
                            else (header[column] if column < len(header) else f"column {column + 1}")
                        )
                        return SmmrubricError(message, file=path, row=reader.line_num, field=field)
                header = header if header is not None else [v.strip() for v in values]
    except csv.Error:
        pass
    return SmmrubricError(message, file=path, row=f"line {line}")


# -- our own temporary files and folders --------------------------------------------------------------


def _private_name(kind: str) -> str:
    return f"{PRIVATE_MARK}{kind}-{os.getpid()}-"


def _pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (True when it cannot be told)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is another user's, or this cannot be checked
        return True
    return True


def _stale(path: Path, pid: int) -> bool:
    if os.name == "nt":  # os.kill would terminate the process there: go by age instead
        try:
            return time.time() - path.stat().st_mtime > STALE_AFTER
        except OSError:
            return False
    return not _pid_alive(pid)


def stale_private(folder: Path, pattern: str) -> list[Path]:
    """Our temporaries in ``folder`` matching the glob ``pattern`` whose writing process no longer runs.

    ``pattern`` must contain :data:`PRIVATE_MARK`, so that only our own names can match; the process id is
    the number after ``.smmrubric-<kind>-`` in the name.
    """
    if PRIVATE_MARK not in pattern:
        raise ValueError("only smmrubric's own temporaries can be stale")
    found = []
    for path in sorted(folder.glob(pattern)):
        pid = re.search(r"\.smmrubric-[a-z]+-(\d+)-", path.name)
        if pid is not None and _stale(path, int(pid.group(1))):
            found.append(path)
    return found


def remove_stale(folder: Path, pattern: str) -> list[Path]:
    """Remove our stale temporaries in ``folder`` matching ``pattern`` (see :func:`stale_private`); return them."""
    removed = stale_private(folder, pattern)
    for path in removed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return removed


def make_private_dir(folder: Path, kind: str, *, clean: bool = True) -> Path:
    """Create a hidden working folder of ours in ``folder`` (``.smmrubric-<kind>-<pid>-<random>``).

    With ``clean``, stale ones of the same kind (their process no longer runs) are removed first. A folder
    that cannot be created (no permission, read-only disk) is an error naming ``folder``.
    """
    if clean:
        remove_stale(folder, f"{PRIVATE_MARK}{kind}-*")
    try:
        return Path(tempfile.mkdtemp(prefix=_private_name(kind), dir=folder))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SmmrubricError(f"cannot write in this folder: {reason.lower()}", file=folder) from None


# -- writing ---------------------------------------------------------------------------------------


def _destination(path: Any) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise SmmrubricError(f"must be a file path, got {shown(path)}", field="path")
    path = Path(path)
    if path.is_dir():
        raise SmmrubricError("is a folder; give a file name", file=path)
    if not path.parent.is_dir():
        raise SmmrubricError("the folder does not exist", file=path.parent)
    return path


def atomic_write(path: str | os.PathLike[str], data: str | bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``path`` all at once: to a temporary file beside it, then renamed.

    A crash or an error half-way leaves the old file (or no file) in place, never a half-written one.
    The temporary file is named ``.<name>.smmrubric-tmp-<pid>-<random>.tmp``; one left behind by a killed
    process is removed by the next write to the same ``path``.

    Parameters
    ----------
    path
        Destination file; its folder must exist.
    data
        Text (written as UTF-8 with ``\\n`` line endings) or bytes.
    overwrite
        If False and ``path`` exists, raise instead of replacing it.

    Raises
    ------
    SmmrubricError
        ``path`` is not a path or is a folder, its folder does not exist, it exists and ``overwrite`` is
        False, or the operating system refuses the write (no permission, disk full): the message names
        ``path``, never the temporary file, and nothing is left behind.
    """
    path = _destination(path)
    if not overwrite and path.exists():
        raise SmmrubricError("refusing to overwrite an existing file", file=path)
    prefix = f".{path.name[:100]}{_private_name('tmp')}"
    remove_stale(path.parent, f"{glob.escape(f'.{path.name[:100]}')}{PRIVATE_MARK}tmp-*.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    except OSError as exc:
        raise os_error(exc, path, "write") from None
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
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise os_error(exc, path, "write") from None
        raise
    return path


def _file_mode(path: Path) -> int:
    """The mode a replaced file keeps, or the one a new file gets under the process umask."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
