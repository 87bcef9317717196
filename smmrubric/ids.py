"""Ids as researchers type them: one spelling per id, found and named when two spellings collide.

Spreadsheets make ``r2`` and ``R2``, ``Zoé`` typed in NFC and in NFD, ``C07`` with a trailing space or a
zero-width character pasted from a web page, and the number ``1`` next to the text ``'1'``. To a reader
each pair is one id; to a program, two. :func:`check_ids` finds such pairs among the distinct values of
an id column (their :func:`id_key` is equal) and reports each, naming both spellings and their rows,
so a rater typed twice is never counted as two raters. Stored ids are stripped of surrounding spaces
and NFC-normalised (Unicode Standard Annex #15).

Checks run once per distinct value (:func:`distinct`), not once per row: a million ratings of a few
thousand candidates cost a few thousand string operations.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputProblems, Problems

__all__ = ["as_text", "check_ids", "did_you_mean", "distinct", "first_positions", "id_key", "spelling_difference"]

#: Characters that do not show: ids differing only by them are one id typed twice.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_WHAT = {"candidate_id": "candidate", "rater_id": "rater", "competency_id": "competency", "stage": "stage"}


def distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Codes (-1 = missing), distinct values, and a mask of cells that are not scalars (lists, dicts) or None.

    Each distinct value is then checked once, whatever the number of rows.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories.to_numpy(dtype=object), None
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        return codes.astype(np.int32), np.asarray(uniques, dtype=object), None
    except TypeError:  # an unhashable cell (a list or dict put in a DataFrame)
        odd = ~values.map(pd.api.types.is_scalar).to_numpy(dtype=bool)
        codes, uniques = pd.factorize(values.where(~odd, None), use_na_sentinel=True)
        return codes.astype(np.int32), np.asarray(uniques, dtype=object), odd


def as_text(value: Any) -> str:
    """A cell as text (numbers as Python writes them)."""
    return value if isinstance(value, str) else str(value)


_NFC = "Unicode normalisation (NFC/NFD)"
_STEPS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("a zero-width character", lambda t: t.translate(ZERO_WIDTH)),
    ("surrounding spaces", str.strip),
    (_NFC, lambda t: unicodedata.normalize("NFC", t)),
    ("case", str.casefold),
)


def id_key(text: str, skip: str | None = None) -> str:
    """What two spellings of one id share: no zero-width characters, stripped, NFC, case-folded.

    ``skip`` leaves one of these steps out (to tell which of them two spellings need to match).
    """
    for name, step in _STEPS:
        if name != skip:
            text = step(text)
    return text if skip == _NFC else unicodedata.normalize("NFC", text)  # casefold can undo NFC


def spelling_difference(a: Any, b: Any) -> str:
    """How two spellings of one id (same :func:`id_key`) differ: each step without which they would not match."""
    ta, tb = as_text(a), as_text(b)
    if ta == tb:
        number, text = (a, b) if isinstance(b, str) else (b, a)
        return f"type (the number {number!r} and the text {text!r})"
    return " and ".join(name for name, _ in _STEPS if id_key(ta, name) != id_key(tb, name)) or "spelling"


def check_ids(
    codes: np.ndarray,
    values: np.ndarray,
    odd: np.ndarray | None,
    label: Any,
    field: str,
    problems: Problems,
    fields: Sequence[str] | None = None,
) -> tuple[list[str], np.ndarray]:
    """Check the distinct ids of a column; return the stored ids (sorted) and each distinct value's position.

    Problems: an empty id, a NUL character, two spellings of one id (:func:`id_key`). ``label`` names the
    row of a position (a function, or a list for header names, whose ``fields`` are then the columns).
    """
    name_row = label if callable(label) else (lambda p: label[p])
    field_of = (lambda p: field) if fields is None else (lambda p: fields[p])
    texts = [as_text(v) for v in values]
    # ASCII text has no zero-width character, is its own NFC and case-folds to lower(): the quick path
    stored = [t.strip() if t.isascii() else unicodedata.normalize("NFC", t.strip()) for t in texts]
    first = first_positions(codes, len(values))
    seen = first < len(codes)  # a categorical may list values no row holds
    empty = np.array([s == "" for s in stored] + [True])[codes]
    if odd is not None:
        empty &= ~odd
    problems.add_mask(empty, field_of, lambda p: "empty value", name_row)
    nul = np.flatnonzero(np.array(["\x00" in t for t in texts], dtype=bool) & seen).tolist()
    for i in nul[: InputProblems.LIMIT]:
        problems.add(
            f"contains a NUL character (\\x00): {texts[i][:60]!r}", row=name_row(first[i]), field=field_of(first[i])
        )
    problems.count_more(len(nul) - InputProblems.LIMIT)
    groups: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        if stored[i] and seen[i]:
            groups.setdefault(text.strip().lower() if text.isascii() else id_key(text), []).append(i)
    what = _WHAT.get(field, "id")
    pairs = [
        (a, b)
        for members in groups.values()
        if len(members) > 1
        for a, *others in [sorted(members, key=lambda i: first[i])]
        for b in others
    ]
    for a, b in sorted(pairs, key=lambda pair: first[pair[1]])[: InputProblems.LIMIT]:
        problems.add(
            f"{values[b]!r} and {values[a]!r} (row {name_row(first[a])}) differ only by "
            f"{spelling_difference(values[a], values[b])}: one {what} typed two ways? Spell them the same",
            row=name_row(first[b]),
            field=field_of(first[b]),
        )
    problems.count_more(len(pairs) - InputProblems.LIMIT)
    categories = sorted({s for s, shown in zip(stored, seen, strict=True) if s and shown})
    index = {s: i for i, s in enumerate(categories)}
    return categories, np.array([index.get(s, -1) for s in stored], dtype=np.int64)


def first_positions(codes: np.ndarray, n_values: int) -> np.ndarray:
    """The first position of each distinct value's code in ``codes`` (-1 = missing is skipped)."""
    first = np.full(n_values + 1, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))  # code -1 lands in the spare last slot
    return first[:n_values]


def did_you_mean(word: str, choices: Sequence[str], *, cutoff: float = 0.8, label: str | None = None) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices`` (difflib ratio >= cutoff, or same letters)."""
    folded = {c.casefold(): c for c in choices}
    match = folded.get(word.casefold()) or next(
        iter(difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)), None
    )
    if match is None:
        return ""
    return f" ({label}: did you mean {match!r}?)" if label else f"; did you mean {match!r}?"
