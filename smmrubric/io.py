"""Reading and writing files safely: one place for atomic writes and checked CSV reads."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .errors import SmmrubricError

__all__ = ["atomic_write", "read_csv"]


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

    Every cell is read as text (empty cells as ``<NA>``), so that the caller converts and checks each
    column itself and can name the row (header = line 1) of a bad value. Extra columns are kept.
    The returned frame is indexed by that row number.

    Raises
    ------
    SmmrubricError
        If the file is missing, unreadable, not CSV, or lacks a required column.
    """
    path = Path(path)
    if not path.is_file():
        raise SmmrubricError("no such file", file=path)
    try:
        frame = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""],
                            skipinitialspace=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error, pd.errors.EmptyDataError) as exc:
        raise SmmrubricError(f"not a readable CSV file ({exc})", file=path) from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SmmrubricError(f"missing required column(s) {', '.join(missing)}", file=path)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame
