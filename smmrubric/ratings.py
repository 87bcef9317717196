"""Candidate ratings on a rubric: reading them from a researcher's file, checking them, averaging across raters.

A ratings table is long, one row per rating (what :func:`smmrubric.simulate.ratings` produces):

========================  ====================================================================
``candidate_id``          who was rated (text, non-empty)
``rater_id``              who rated (text, non-empty)
``competency_id``         what was rated: an id of the rubric
``score``                 the rating, a number on the rubric's scale (``scale.min``..``scale.max``)
``stage`` (optional)      the assessment stage (e.g. ``screening``, ``interview``), non-empty
========================  ====================================================================

A rater rates a candidate on a competency at most once (per stage). Other columns (notes, dates) are
kept and ignored. In a long table a missing rating is a missing row, never an empty ``score`` cell.

Files (:func:`read_ratings`)
    CSV (UTF-8 with or without a byte-order mark, UTF-16, Windows-1252 or Latin-1; comma, semicolon or
    tab), ``.xlsx`` or ``.ods`` (see :mod:`smmrubric.sheets`), in the long layout above or the **wide**
    layout a spreadsheet is usually typed in: one row per candidate and rater, columns
    ``candidate_id, rater_id[, stage]`` and one column per competency holding the scores (an empty cell
    is a rating not given). The layout is told from the header (``competency_id`` and ``score`` make it
    long; ``candidate_id`` and ``rater_id`` without them, wide). A decimal comma (``3,5``) is read as
    a decimal point.

Checks (:func:`validate_ratings`, and :func:`read_ratings` for a file)
    Every problem is reported at once (:class:`~smmrubric.errors.InputProblems`, up to 20 listed, then
    "and N more"), each naming the file, the row as the user sees it (CSV line, header = 1; sheet row)
    and the column: an empty id, stage or score; a score that is not a real number (text, a boolean, a
    complex number), not finite or off the rubric's scale; a duplicated rating (naming the earlier row);
    a NUL character in a text cell; **ids that differ only by case, surrounding spaces, a zero-width
    character, Unicode normalisation (NFC/NFD) or type** (``1`` and ``'1'``), naming both spellings:
    ``r2`` and ``R2`` are one rater typed twice, never two raters. Ids are stored stripped and
    NFC-normalised, as categoricals of text.

Rubric and ratings covering different competencies
    :func:`read_ratings` ignores the ratings of competencies the rubric lacks, with a note naming them
    (so one file can be ranked on every expert rubric), unless the id looks like a misspelling of a rubric
    competency (a close match, by :func:`difflib.get_close_matches`, that is not an id of the bundled
    vocabulary): that is a problem, with "did you mean". :func:`validate_ratings`, given a table,
    refuses every unknown competency. Rubric competencies that nobody rated follow the ``missing`` policy
    of :func:`aggregate_ratings` and :func:`smmrubric.scoring.score`.

Notes
    What was decided without the user saying so (an encoding, a separator, a decimal comma, the wide
    layout, empty cells read as "not rated", competencies ignored, a rarely seen rater id close to a
    frequent one) is a sentence in :attr:`RatingsTable.notes`; ``smmrubric rank`` and the notebooks
    print them. Nothing is read differently from the file without a note.

:func:`aggregate_ratings` averages over raters: the mean score of each candidate on each competency,
with the number of ratings behind it, and applies the missing-ratings policy.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import Problems, SmmrubricError, shown
from .ids import as_text, check_ids, did_you_mean, distinct, first_positions
from .rubric import check_rubric
from .sheets import read_table
from .validation import check_choice

if TYPE_CHECKING:
    from .rubric import Rubric

__all__ = [
    "LAYOUTS",
    "RATING_COLUMNS",
    "AggregatedRatings",
    "RatingsTable",
    "aggregate_ratings",
    "load_ratings",
    "read_ratings",
    "validate_ratings",
]

#: The required columns of a ratings table, in order (``stage`` is optional).
RATING_COLUMNS = ("candidate_id", "rater_id", "competency_id", "score")
#: The layouts :func:`read_ratings` reads (``auto`` tells them apart from the header).
LAYOUTS = ("auto", "long", "wide")
_ID_COLUMNS = ("candidate_id", "rater_id", "competency_id")
_WIDE_IDS = ("candidate_id", "rater_id", "stage")
MISSING_POLICIES = ("error", "renormalize")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+", re.ASCII)
_INFINITY = re.compile(r"[+-]?(?:inf|infinity)", re.ASCII | re.IGNORECASE)
# problems with a score cell
_OK, _EMPTY, _NOT_NUMBER, _NOT_REAL, _NOT_FINITE = range(5)


@dataclass(frozen=True)
class RatingsTable:
    """Checked ratings read from a file by :func:`read_ratings`, with how they were read.

    Attributes
    ----------
    frame : pandas.DataFrame
        The long table (``candidate_id, rater_id, competency_id, score[, stage]`` and any other columns of
        a long file), ids as categoricals of text, ``score`` float; indexed by ``row``, the row the user
        sees (CSV line with the header as line 1; sheet row). In the wide layout each rating keeps the
        row of its candidate and rater.
    file : str
        The file read.
    layout : str
        ``"long"`` or ``"wide"``.
    format : str
        ``"csv"``, ``"xlsx"`` or ``"ods"``.
    encoding, delimiter : str or None
        For CSV: the encoding used and the separator.
    decimal : str
        ``","`` if some scores were written with a decimal comma, else ``"."``.
    sheet : str or None
        For a workbook: the sheet read.
    notes : tuple of str
        Every decision taken without the user saying so, one sentence each (a tuple: the table is
        immutable).
    """

    frame: pd.DataFrame
    file: str
    layout: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str = "."
    sheet: str | None = None
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.frame)


def source_file(ratings: Any) -> str | None:
    """The file ratings were read from: a :class:`RatingsTable`'s, or a frame's ``attrs['file']``; else None."""
    if isinstance(ratings, RatingsTable):
        return ratings.file
    return ratings.attrs.get("file") if isinstance(ratings, pd.DataFrame) else None


def _frame(ratings: Any) -> Any:
    return ratings.frame if isinstance(ratings, RatingsTable) else ratings


# -- reading ----------------------------------------------------------------------------------------


def read_ratings(
    path: str | os.PathLike[str], rubric: Rubric | None = None, *, layout: str = "auto", sheet: str | None = None
) -> RatingsTable:
    """Read a ratings file (CSV, ``.xlsx`` or ``.ods``; long or wide layout) and check it.

    Parameters
    ----------
    path
        The file (see the module docstring for what is accepted).
    rubric
        The :class:`smmrubric.Rubric` the ratings are scored on: competencies it lacks are ignored
        with a note (a likely misspelling of one of its ids is a problem), scores must be on its scale.
        None checks the file's own structure only.
    layout
        ``"auto"`` (from the header), ``"long"`` or ``"wide"``.
    sheet
        A workbook's sheet name (default: the first).

    Returns
    -------
    RatingsTable
        The checked long table and how it was read (``notes``).

    Raises
    ------
    SmmrubricError
        A file that cannot be read or whose header does not fit the layout (one error, with "did you
        mean" for a misspelt column); otherwise :class:`~smmrubric.errors.InputProblems` with every
        problem of the rows (see :func:`validate_ratings`), each naming the file, the row and the column.
    """
    check_choice(layout, "layout", LAYOUTS)
    if rubric is not None:
        check_rubric(rubric)
    problems = Problems(file=str(path))
    table = read_table(path, sheet=sheet, problems=problems)
    file = table.file
    chosen = _layout(list(table.cells.columns), layout, file, table.header_row)
    notes = list(table.notes)
    if chosen == "wide":
        raw, wide_notes = _melt(table.cells, table.header_row, problems)
        notes += wide_notes
    else:
        raw = table.cells
    frame, check_notes = _check(
        raw, rubric, problems, strict=False, wide=chosen == "wide", header_row=table.header_row, strip_extras=True
    )
    frame.attrs["file"] = file  # scoring names the file in errors found later (a missing rating)
    decimal = "," if any(note.startswith("decimal comma") for note in check_notes) else "."
    return RatingsTable(
        frame=frame,
        file=file,
        layout=chosen,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        decimal=decimal,
        sheet=table.sheet,
        notes=tuple(notes + check_notes),
    )


def load_ratings(path: str | os.PathLike[str], rubric: Rubric | None = None) -> pd.DataFrame:
    """Read a ratings file and check it: :func:`read_ratings` (automatic layout), returning the table only.

    Returns
    -------
    pandas.DataFrame
        :attr:`RatingsTable.frame`: indexed by ``row`` (CSV line, header = 1), the path in
        ``attrs["file"]`` so that errors found later (a missing rating in :func:`aggregate_ratings` or
        :func:`smmrubric.score`) name the file too. The notes are dropped: use :func:`read_ratings` to
        see them.
    """
    return read_ratings(path, rubric).frame


def _layout(header: list[str], layout: str, file: str, header_row: int) -> str:
    """The layout of a file with this header, or an error saying what the header lacks."""
    present = set(header)
    if layout == "auto":
        if {"competency_id", "score"} & present or not {"candidate_id", "rater_id"} <= present:
            layout = "long"
        else:
            layout = "wide"
    required = RATING_COLUMNS if layout == "long" else ("candidate_id", "rater_id")
    missing = [c for c in required if c not in present]
    if missing:
        hints = "".join(did_you_mean(c, [h for h in header if h not in required], cutoff=0.6, label=c) for c in missing)
        other = (
            "a wide file has candidate_id, rater_id and one column per competency"
            if layout == "long"
            else "a long file has candidate_id, rater_id, competency_id, score"
        )
        raise SmmrubricError(
            f"missing required column(s) {', '.join(missing)}{hints} (for the {layout} layout; {other})",
            file=file,
            row=header_row,
        )
    if layout == "wide":
        clash = [c for c in ("competency_id", "score") if c in present]
        if clash:
            raise SmmrubricError(
                f"a wide file has no {' or '.join(clash)} column (one column per competency "
                "instead); this looks like the long layout",
                file=file,
                row=header_row,
            )
        if not [c for c in header if c not in _WIDE_IDS]:
            raise SmmrubricError(
                "no competency columns: a wide file has one column per competency after candidate_id and rater_id",
                file=file,
                row=header_row,
            )
    return layout


def _melt(cells: pd.DataFrame, header_row: int, problems: Problems) -> tuple[pd.DataFrame, list[str]]:
    """A wide table (one row per candidate and rater, a column per competency) as long raw ratings.

    The competency names come from the header (checked like ids, problems at the header row); each
    rating keeps its row. Empty score cells are ratings not given (counted in a note).
    """
    names = [c for c in cells.columns if c not in _WIDE_IDS]
    kept, to_category = check_ids(
        np.arange(len(names)),
        np.array(names, dtype=object),
        None,
        [header_row] * len(names),
        "competency_id",
        problems,
        fields=names,
    )
    n, k = len(cells), len(names)
    scores = pd.api.types.union_categoricals([cells[name].array for name in names], sort_categories=True)
    score_codes = scores.codes.reshape(k, n).T.ravel()  # row-major: each row's competencies in column order
    blank = np.array([not str(v).strip() for v in scores.categories] + [True])[score_codes]
    take = np.flatnonzero(~blank)
    out = {
        column: pd.Categorical.from_codes(cells[column].cat.codes.to_numpy()[take // k], dtype=cells[column].dtype)
        for column in cells.columns
        if column in _WIDE_IDS
    }
    out["competency_id"] = pd.Categorical.from_codes(to_category[take % k], categories=kept)
    out["score"] = pd.Categorical.from_codes(score_codes[take], dtype=scores.dtype)
    raw = pd.DataFrame(out, index=pd.Index(cells.index.to_numpy()[take // k], name="row"), copy=False)
    notes = [f"wide layout: one row per candidate and rater, {k} competency column(s)"]
    if blank.any():
        notes.append(f"{int(blank.sum())} empty competency cell(s) read as 'not rated'")
    return raw, notes


# -- checking ---------------------------------------------------------------------------------------


def validate_ratings(
    ratings: pd.DataFrame, rubric: Rubric | None = None, *, file: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Check a long ratings table (and, given a rubric, its competencies and scale).

    Parameters
    ----------
    ratings
        Columns ``candidate_id, rater_id, competency_id, score`` and optionally ``stage``; a
        :class:`RatingsTable` is checked through its frame.
    rubric
        A :class:`smmrubric.Rubric`; with it, competencies must be the rubric's (an unknown one is a
        problem, with "did you mean") and scores on its scale. Without it only the table's own
        structure is checked.
    file
        The file the table came from, named in error messages (default: ``attrs['file']``).

    Returns
    -------
    pandas.DataFrame
        A copy with the id columns (and ``stage``) as categoricals of text (stripped, NFC), ``score``
        as float, same index and row order; the other columns kept after them.

    Raises
    ------
    SmmrubricError
        Not a DataFrame, a missing column, no rows, or repeated index labels (one error; allowed for an
        index named ``row``, the rows of a file, where a wide layout puts several ratings); otherwise
        :class:`~smmrubric.errors.InputProblems` listing every problem (see the module docstring), each
        naming the file (if any), the row (the frame's index label: for a file, the line number with the
        header as line 1) and the column.
    """
    if file is None:
        file = source_file(ratings)
    ratings = _frame(ratings)
    if not isinstance(ratings, pd.DataFrame):
        raise SmmrubricError(f"must be a DataFrame, got {type(ratings).__name__}", file=file, field="ratings")
    missing = [c for c in RATING_COLUMNS if c not in ratings.columns]
    if missing:
        others = [str(c) for c in ratings.columns if c not in RATING_COLUMNS]
        hints = "".join(did_you_mean(c, others, cutoff=0.6, label=c) for c in missing)
        raise SmmrubricError(f"missing required column(s) {', '.join(missing)}{hints}", file=file, field="ratings")
    if len(ratings) == 0:
        raise SmmrubricError("there are no ratings", file=file, field="ratings")
    if ratings.index.name != "row" and not ratings.index.is_unique:  # a wide file's row holds several ratings
        raise SmmrubricError("the table's index labels repeat, so rows cannot be named", file=file, field="ratings")
    if rubric is not None:
        check_rubric(rubric)
    checked, _ = _check(ratings, rubric, Problems(file=file), strict=True)
    return checked


def _check(
    raw: pd.DataFrame,
    rubric: Rubric | None,
    problems: Problems,
    *,
    strict: bool,
    wide: bool = False,
    header_row: int = 1,
    strip_extras: bool = False,
) -> tuple[pd.DataFrame, list[str]]:
    """Check raw long ratings; return the checked table and the notes, or raise every problem at once."""
    if len(raw) == 0:
        raise SmmrubricError("there are no ratings", file=problems.file, field="ratings")
    label = _labeller(raw.index)
    ids = _id_columns(raw, problems, label, wide=wide)
    notes: list[str] = []
    keep = np.ones(len(raw), dtype=bool)
    if rubric is not None:
        keep, notes = _rubric_competencies(
            ids["competency_id"], rubric, problems, label, strict=strict, wide=wide, header_row=header_row
        )
    comp_codes, comp_names = ids["competency_id"]
    score, score_notes = _check_scores(
        raw["score"],
        keep,
        rubric,
        problems,
        label,
        field=(lambda p: comp_names[comp_codes[p]]) if wide else (lambda p: "score"),
    )
    _duplicates(ids, keep, problems, label)
    extras = [c for c in raw.columns if c not in ids and c != "score"]
    for column in extras:
        _no_nul(raw[column], keep, problems, label, column)
    problems.raise_if_any()
    every = keep.all()
    out: dict[str, Any] = {}
    for column, (codes, categories) in ids.items():
        out[column] = pd.Categorical.from_codes(
            codes if every else codes[keep], categories=pd.Index(categories, dtype=object)
        )
        if not every:
            out[column] = out[column].remove_unused_categories()
    out["score"] = score if every else score[keep]
    for column in extras:
        values = raw[column] if every else raw[column][keep]
        out[column] = _stripped(values) if strip_extras else values.to_numpy()
    order = list(RATING_COLUMNS) + list(ids)[3:] + extras
    frame = pd.DataFrame({c: out[c] for c in order}, index=raw.index if every else raw.index[keep], copy=False)
    return frame, score_notes + notes + _rare_raters(*ids["rater_id"], keep)


def _id_columns(
    raw: pd.DataFrame, problems: Problems, label: Callable[[int], int | str], *, wide: bool
) -> dict[str, tuple[np.ndarray, list[str]]]:
    """Each id column (and ``stage``) as codes into its stored ids, checked by :func:`smmrubric.ids.check_ids`."""
    ids: dict[str, tuple[np.ndarray, list[str]]] = {}
    for column in list(_ID_COLUMNS) + (["stage"] if "stage" in raw.columns else []):
        if wide and column == "competency_id":  # the header's names, checked by _melt
            ids[column] = (raw[column].cat.codes.to_numpy(np.int32), list(raw[column].cat.categories))
            continue
        codes, values, odd = distinct(raw[column])
        if odd is not None:
            problems.add_mask(odd, column, _not_text(raw[column]), label)
        categories, to_category = check_ids(codes, values, odd, label, column, problems)
        ids[column] = (np.append(to_category, -1).astype(np.int32)[codes], categories)
    return ids


def _not_text(cells: pd.Series) -> Callable[[int], str]:
    """The message for a cell of an id column that is not text (a list, a number in an object column...)."""
    return lambda p: f"must be text, got {shown(cells.iloc[p])}"


def _row(label: Any) -> int | str:
    """A frame's index label as the row named in errors (CSV line numbers are ints)."""
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        return int(label)
    return str(label)


def _labeller(index: pd.Index) -> Callable[[int], int | str]:
    return lambda position: _row(index[position])


@functools.lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """The competency ids of the bundled vocabulary (empty if it cannot be read)."""
    from .data import load_competencies

    try:
        return frozenset(load_competencies().index)
    except SmmrubricError:
        return frozenset()


def _rubric_competencies(
    comp: tuple[np.ndarray, list[str]],
    rubric: Rubric,
    problems: Problems,
    label: Any,
    *,
    strict: bool,
    wide: bool,
    header_row: int,
) -> tuple[np.ndarray, list[str]]:
    """Which rows to keep (competencies of the rubric) and the notes; unknown ids are problems or ignored."""
    codes, names = comp
    known = set(rubric.competency_ids)
    first = first_positions(codes, len(names))
    counts = np.bincount(codes[codes >= 0], minlength=len(names))
    ignored = []
    for i, name in enumerate(names):
        if name in known or counts[i] == 0:
            continue
        hint = did_you_mean(name, rubric.competency_ids)
        if strict or (hint and name not in _vocabulary()):
            where = header_row if wide else label(int(first[i]))
            tip = (
                ""
                if hint or not strict
                else (
                    "; to ignore the competencies a rubric lacks, read the file with "
                    "smmrubric.read_ratings(path, rubric)"
                )
            )
            also = f" ({counts[i]} ratings)" if counts[i] > 1 and not wide else ""
            problems.add(
                f"unknown competency {name!r} (not in the rubric {rubric.name!r}){hint}{tip}{also}",
                row=where,
                field=name if wide else "competency_id",
            )
        else:
            ignored.append(i)
    keep = ~np.isin(codes, ignored) if ignored else np.ones(len(codes), dtype=bool)
    notes = []
    if ignored:
        listed = ", ".join(names[i] for i in ignored[:12]) + (
            f" and {len(ignored) - 12} more" if len(ignored) > 12 else ""
        )
        notes.append(
            f"ignored {int(counts[ignored].sum())} rating(s) of {len(ignored)} competenc"
            f"{'y' if len(ignored) == 1 else 'ies'} not in the rubric {rubric.name!r}: {listed}"
        )
    rated = {names[i] for i in range(len(names)) if counts[i]}
    unrated = [c for c in rubric.competency_ids if c not in rated]
    if unrated and keep.any():
        notes.append(
            f"no ratings in the file for {len(unrated)} competenc{'y' if len(unrated) == 1 else 'ies'} of "
            f"the rubric: {', '.join(unrated[:12])}{' ...' if len(unrated) > 12 else ''} (the missing "
            "policy applies: an error by default, or missing='renormalize')"
        )
    return keep, notes


def _score_of(value: Any) -> tuple[float, int, bool]:
    """One distinct score cell: (value, problem code, read with a decimal comma)."""
    if isinstance(value, (bool, np.bool_)):
        return np.nan, _NOT_NUMBER, False
    if isinstance(value, (complex, np.complexfloating)):
        return np.nan, _NOT_REAL, False
    if isinstance(value, Real):
        x = float(value)
        return x, _EMPTY if np.isnan(x) else (_OK if np.isfinite(x) else _NOT_FINITE), False
    if not isinstance(value, str):
        return np.nan, _NOT_NUMBER, False
    text = value.strip()
    if not text:
        return np.nan, _EMPTY, False
    if _NUMBER.fullmatch(text):
        return float(text), _OK, False
    if _DECIMAL_COMMA.fullmatch(text):
        return float(text.replace(",", ".")), _OK, True
    if _INFINITY.fullmatch(text):
        return np.nan, _NOT_FINITE, False
    return np.nan, _NOT_NUMBER, False


def _scores(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, Callable[[int], Any]]:
    """Scores as floats, a problem code per cell, a decimal-comma mask, and the raw cell of a position."""
    dtype = raw.dtype
    n = len(raw)

    def cell(p: int) -> Any:
        value = raw.iloc[p]
        return value.item() if isinstance(value, np.generic) else value

    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_complex_dtype(dtype):
        code = _NOT_NUMBER if pd.api.types.is_bool_dtype(dtype) else _NOT_REAL
        return np.full(n, np.nan), np.full(n, code, dtype=np.int8), np.zeros(n, dtype=bool), cell
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        x = raw.to_numpy(dtype=float, na_value=np.nan)
        problem = np.where(np.isnan(x), _EMPTY, np.where(np.isinf(x), _NOT_FINITE, _OK)).astype(np.int8)
        return x, problem, np.zeros(n, dtype=bool), cell
    codes, values, odd = distinct(raw)
    parsed = [_score_of(v) for v in values] + [(np.nan, _EMPTY, False)]
    x = np.array([p[0] for p in parsed])[codes]
    problem = np.array([p[1] for p in parsed], dtype=np.int8)[codes]
    comma = np.array([p[2] for p in parsed], dtype=bool)[codes]
    # True == 1 and 3+0j == 3 share a distinct value: look at each cell's type
    if pd.api.types.is_object_dtype(dtype):
        kinds = np.fromiter(
            (
                2 if isinstance(v, (bool, np.bool_)) else 1 if isinstance(v, (complex, np.complexfloating)) else 0
                for v in raw.to_numpy()
            ),
            dtype=np.int8,
            count=n,
        )
        problem = np.where(kinds == 2, _NOT_NUMBER, np.where(kinds == 1, _NOT_REAL, problem)).astype(np.int8)
    if odd is not None:
        problem[odd] = _NOT_NUMBER
    return x, problem, comma, cell


def _check_scores(
    raw: pd.Series,
    keep: np.ndarray,
    rubric: Rubric | None,
    problems: Problems,
    label: Any,
    field: Callable[[int], str],
) -> tuple[np.ndarray, list[str]]:
    """Parse and check the scores of the rows kept; return them (float) and the decimal-comma note."""
    x, problem, comma, cell = _scores(raw)
    problem = np.where(keep, problem, np.int8(_OK))
    messages = {
        _EMPTY: lambda p: "empty score (leave out the row of a rating that was not given)",
        _NOT_NUMBER: lambda p: f"not a number: {cell(p)!r}",
        _NOT_REAL: lambda p: f"not a real number: {cell(p)!r}",
        _NOT_FINITE: lambda p: f"must be finite, got {cell(p)!r}",
    }
    for code, message in messages.items():
        problems.add_mask(problem == code, field, message, label)
    if rubric is not None:
        lo, hi = rubric.scale.min, rubric.scale.max
        with np.errstate(invalid="ignore"):
            outside = keep & (problem == _OK) & ((x < lo) | (x > hi))
        problems.add_mask(outside, field, lambda p: f"score {x[p]:g} is outside the scale {lo}-{hi}", label)
    notes = []
    comma &= keep
    if comma.any():
        p = int(np.argmax(comma))
        notes.append(
            f"decimal comma read as a decimal point in {int(comma.sum())} score(s) (first at row "
            f"{label(p)}: {cell(p).strip()!r} = {x[p]:g})"
        )
    return x, notes


def _duplicates(ids: dict[str, tuple[np.ndarray, list[str]]], keep: np.ndarray, problems: Problems, label: Any) -> None:
    """A rating given twice (same candidate, rater, competency and stage): a problem naming the earlier row.

    The ids' codes are combined into one integer key per row; a stable sort puts each repeat right after
    the first row with its key (a hash table over a million rows would take several times the memory).
    """
    key = np.zeros(len(keep), dtype=np.int64)
    valid = keep.copy()
    for codes, names in ids.values():
        if (len(names) + 1) * (int(key.max(initial=0)) + 1) >= 2**62:  # cannot overflow: pandas does it
            key = pd.DataFrame({"a": key, "b": codes}).groupby(["a", "b"], sort=False).ngroup().to_numpy()
        else:
            key = key * (len(names) + 1) + codes
        valid &= codes >= 0
    key = np.where(valid, key, -1)
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    repeat = (ordered[1:] == ordered[:-1]) & (ordered[1:] >= 0)
    if not repeat.any():
        return
    mask = np.zeros(len(keep), dtype=bool)
    mask[order[1:][repeat]] = True

    def message(p: int) -> str:
        earlier = order[np.searchsorted(ordered, key[p], side="left")]
        what = ", ".join(f"{column}={names[codes[p]]!r}" for column, (codes, names) in ids.items())
        return f"duplicate rating ({what}) already given at row {label(int(earlier))}"

    problems.add_mask(mask, "rater_id", message, label)


def _no_nul(column: pd.Series, keep: np.ndarray, problems: Problems, label: Any, field: str) -> None:
    """A NUL character in a text cell of another column is a problem too (it truncates text in C tools)."""
    codes, values, _ = distinct(column)
    bad = np.array([isinstance(v, str) and "\x00" in v for v in values] + [False])[codes] & keep
    problems.add_mask(bad, field, lambda p: f"contains a NUL character (\\x00): {values[codes[p]][:60]!r}", label)


def _stripped(values: pd.Series) -> np.ndarray:
    """Text cells of another column stripped of surrounding spaces (missing stays NaN)."""
    codes, found, _ = distinct(values)
    cleaned = np.array([as_text(v).strip() for v in found] + [np.nan], dtype=object)
    return cleaned[codes]


def _rare_raters(codes: np.ndarray, names: list[str], keep: np.ndarray) -> list[str]:
    """A note for each rater id seen ten times less than is typical and one edit from a frequent id (a typo?)."""
    if len(names) < 2:
        return []
    counts = np.bincount(codes[keep & (codes >= 0)], minlength=len(names))
    typical = float(np.median(counts[counts > 0])) if (counts > 0).any() else 0.0
    frequent = [i for i in np.flatnonzero(counts >= max(10, typical / 2))]
    notes = []
    for i in np.flatnonzero((counts > 0) & (counts * 10 <= typical))[:20]:
        close = [f"{names[j]!r} ({counts[j]})" for j in frequent if _one_edit(names[i], names[j])][:3]
        if close:
            notes.append(
                f"rater {names[i]!r} gave {counts[i]} rating(s), far fewer than the others, and is one "
                f"letter away from {', '.join(close)}: a misspelling?"
            )
    return notes


def _one_edit(a: str, b: str) -> bool:
    """True if ``b`` is ``a`` with one letter changed, added, removed or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    ra, rb = a[start + 1 :], b[start + 1 :]
    return (
        ra == rb
        or a[start + 1 :] == b[start:]
        or a[start:] == b[start + 1 :]
        or (
            len(a) == len(b) and a[start : start + 2] == b[start : start + 2][::-1] and a[start + 2 :] == b[start + 2 :]
        )
    )


# -- averaging ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AggregatedRatings:
    """Ratings averaged over raters, from :func:`aggregate_ratings`.

    Attributes
    ----------
    mean : pandas.DataFrame
        Candidates x competencies (index ``candidate_id`` in order of first appearance, columns the
        rubric's ``competency_id`` in rubric order): the mean score, NaN where nobody rated.
    n_raters : pandas.DataFrame
        Same shape: the number of ratings averaged (the number of raters, unless a rater rated the
        same competency at several stages); 0 where nobody rated.
    complete : pandas.Series
        Per candidate (bool, named "complete"): every required competency was rated.
    required : pandas.Series
        Per competency (bool, named "required"): a rating is required when the weight is positive
        or the competency has a must-have level.
    """

    mean: pd.DataFrame
    n_raters: pd.DataFrame
    complete: pd.Series
    required: pd.Series

    @property
    def missing(self) -> pd.DataFrame:
        """Candidates x competencies, True where a required competency has no rating."""
        return self.mean.isna() & self.required.to_numpy()[None, :]


def required_competencies(rubric: Rubric) -> np.ndarray:
    """Bool mask in rubric order: a rating is required where the weight is positive or a must-have is set."""
    return (rubric.raw_weights.to_numpy() > 0) | rubric.must_have.notna().to_numpy()


def raise_missing(missing: pd.DataFrame, *, file: Any = None) -> None:
    """Raise for the first (candidate, competency) cell of ``missing`` that is True."""
    cells = np.argwhere(missing.to_numpy())
    if cells.size:
        i, j = cells[0]
        n_cand = int(missing.any(axis=1).sum())
        raise SmmrubricError(
            f"no rating of candidate {missing.index[i]!r} on this competency ({n_cand} candidate(s) have "
            "missing ratings); rate it, or score with missing='renormalize' to renormalise the weights over "
            "what was rated",
            file=file,
            row=f"candidate {missing.index[i]}",
            field=str(missing.columns[j]),
        )


def aggregate_ratings(
    ratings: pd.DataFrame | RatingsTable, rubric: Rubric, missing: str = "error", *, stage: str | None = None
) -> AggregatedRatings:
    """Average ratings over raters: the mean score per candidate and competency, and the rater count.

    ``mean_ij = (1 / n_ij) * sum_r x_ijr`` over the ``n_ij`` ratings of candidate ``i`` on competency
    ``j`` (all raters weigh the same).

    Parameters
    ----------
    ratings
        Long ratings (checked with :func:`validate_ratings` against ``rubric``), or a
        :class:`RatingsTable`.
    rubric
        The :class:`smmrubric.Rubric`.
    missing
        ``"error"`` (default): every candidate must be rated on every required competency (positive
        weight or a must-have); the first gap raises, naming candidate and competency.
        ``"renormalize"``: gaps are allowed; :func:`smmrubric.scoring.score` then renormalises the
        weights over what was rated, and ``complete`` flags the candidates concerned.
    stage
        If given, only the ratings of that stage are used (the table must have a ``stage`` column).

    Returns
    -------
    AggregatedRatings
        ``mean`` and ``n_raters`` (candidates x competencies) and ``complete`` (per candidate).
    """
    check_rubric(rubric)
    check_choice(missing, "missing", MISSING_POLICIES)
    file = source_file(ratings)
    checked = validate_ratings(_frame(ratings), rubric, file=file)
    if stage is not None:
        if "stage" not in checked.columns:
            raise SmmrubricError("the ratings have no stage column", file=file, field="stage")
        checked = checked[checked["stage"] == stage]
        if checked.empty:
            raise SmmrubricError(f"no ratings at stage {stage!r}", file=file, field="stage")
    candidates = checked["candidate_id"].cat
    order = pd.unique(candidates.codes.to_numpy())  # candidates in order of first appearance
    position = np.empty(len(candidates.categories), dtype=np.int64)
    position[order] = np.arange(order.size)
    columns = pd.Index(rubric.competency_ids, name="competency_id")
    competency = columns.get_indexer(checked["competency_id"].cat.categories)[checked["competency_id"].cat.codes]
    cell = position[candidates.codes.to_numpy()] * len(columns) + competency
    size = order.size * len(columns)
    counts = np.bincount(cell, minlength=size).reshape(order.size, len(columns))
    sums = np.bincount(cell, weights=checked["score"].to_numpy(dtype=float), minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums.reshape(counts.shape) / counts
    index = pd.Index(candidates.categories.to_numpy(dtype=object)[order], name="candidate_id")
    mean = pd.DataFrame(np.where(counts > 0, means, np.nan), index=index, columns=columns)
    result = AggregatedRatings(
        mean=mean,
        n_raters=pd.DataFrame(counts, index=index, columns=columns),
        complete=pd.Series(dtype=bool),
        required=pd.Series(required_competencies(rubric), index=columns, name="required"),
    )
    gaps = result.missing
    if missing == "error":
        raise_missing(gaps, file=file)
    return replace(result, complete=(~gaps.any(axis=1)).rename("complete"))
