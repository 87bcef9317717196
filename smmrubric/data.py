"""Loading and checking the bundled data set: the competency vocabulary and the experts' lists.

Both loaders read the files in ``data/`` by default (see :mod:`smmrubric.paths`) and accept an explicit
``path`` so that a researcher can point them at an edited copy. Each check that fails raises
:class:`~smmrubric.errors.SmmrubricError` naming the file, the row (header = line 1) and the column.
The columns are documented in ``data/README.md``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from .errors import SmmrubricError, shown
from .io import read_csv
from .paths import data_dir, data_file

__all__ = [
    "AUTHOR_LABELS",
    "CATEGORIES",
    "RELATIONS",
    "COMPETENCY_COLUMNS",
    "EXPERT_LIST_COLUMNS",
    "competency_counts",
    "expert_list_ids",
    "list_summary",
    "load_competencies",
    "load_expert_lists",
    "load_onet_crosswalk",
    "published_data",
    "write_published_fingerprint",
]

#: The two competency categories, as the seeds define them: skills are tangible, measurable and
#: learnable; traits are personal qualities, part of someone's core personality.
CATEGORIES = ("skill", "trait")
#: What an author called an item.
AUTHOR_LABELS = ("skill", "trait", "unlabeled")

COMPETENCY_COLUMNS = (
    "competency_id",
    "name",
    "definition",
    "category",
    "category_basis",
    "onet_id",
    "onet_name",
    "onet_release",
)
_COMPETENCY_REQUIRED = ("competency_id", "name", "definition", "category", "category_basis")
_ONET = ("onet_id", "onet_name", "onet_release")

EXPERT_LIST_COLUMNS = (
    "list_id",
    "list_name",
    "source_doc",
    "source_title",
    "publisher",
    "page_credit",
    "expert",
    "relation",
    "derived_from",
    "original_url",
    "original_author",
    "year",
    "year_by",
    "numbered",
    "ranked",
    "rank_evidence",
    "position",
    "section",
    "term_fr",
    "term_en",
    "author_label",
    "competency_id",
    "secondary_competency_id",
    "mapping_note",
)
_LIST_REQUIRED = (
    "list_id",
    "list_name",
    "source_doc",
    "source_title",
    "publisher",
    "expert",
    "relation",
    "numbered",
    "ranked",
    "position",
    "term_fr",
    "term_en",
    "author_label",
    "competency_id",
)
#: Columns that describe a whole list and so must be the same on each of its rows.
_LIST_LEVEL = (
    "list_name",
    "source_doc",
    "source_title",
    "publisher",
    "page_credit",
    "expert",
    "relation",
    "derived_from",
    "original_url",
    "original_author",
    "year",
    "year_by",
    "numbered",
    "ranked",
    "rank_evidence",
)
#: How a list relates to the article it was read from: the article author's own list, a list the article
#: quotes from another named source, or an expert's answer the article's author collected.
RELATIONS = ("own", "quoted", "interview")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: O*NET Content Model element ids (e.g. 2.A.1.c, 1.C.4.c, 1.C.6) and release numbers (e.g. 29.0).
_ONET_ID = re.compile(r"^[1-6](\.[A-Z](\.\d+(\.[a-z](\.\d+)?)?)?)?$")
_ONET_RELEASE = re.compile(r"^\d{1,2}\.\d$")
_BOOL = {"true": True, "false": False}


def _read(path: str | os.PathLike[str] | None, default: str, columns: tuple[str, ...]) -> tuple[Path, pd.DataFrame]:
    """Read one of the data CSVs: a cell that is empty or only spaces counts as missing; no rows is an error."""
    if path is None:
        path = data_file(default)
    elif not isinstance(path, (str, os.PathLike)):
        raise SmmrubricError(f"must be a path to a CSV file or None, got {shown(path)}", field="path")
    path = Path(path)
    frame = read_csv(path, columns)
    frame = frame.mask(frame.eq(""))
    if frame.empty:
        raise SmmrubricError("has a header but no data rows", file=path)
    return path, frame


def _require_values(frame: pd.DataFrame, columns: tuple[str, ...], path: Path) -> None:
    for column in columns:
        empty = frame[column].isna()
        if empty.any():
            raise SmmrubricError(
                "required value is empty", file=path, row=int(frame.index[empty.to_numpy()][0]), field=column
            )


def _check_ids(values: pd.Series, path: Path, field: str) -> None:
    for row, value in values.dropna().items():
        if not _ID.match(value):
            raise SmmrubricError(
                f"{shown(value)} is not a valid id (lowercase letters, digits and underscores, starting with a letter)",
                file=path,
                row=int(row),
                field=field,
            )


def load_competencies(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load the shared competency vocabulary (``data/competencies.csv``).

    Parameters
    ----------
    path
        A competencies CSV; the bundled one by default.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``competency_id``; columns ``name``, ``definition``, ``category`` (``skill`` or
        ``trait``), ``category_basis``, ``onet_id``, ``onet_name``, ``onet_release`` (the last three
        empty where no O*NET element fits).

    Raises
    ------
    SmmrubricError
        A missing column or required value, an id that repeats or is malformed, a category other than
        skill or trait, or O*NET fields only partly filled in; the message names the file, row and column.
    """
    path, frame = _read(path, "competencies.csv", COMPETENCY_COLUMNS)
    _require_values(frame, _COMPETENCY_REQUIRED, path)
    _check_ids(frame["competency_id"], path, "competency_id")
    duplicated = frame["competency_id"].duplicated()
    if duplicated.any():
        row = int(frame.index[duplicated.to_numpy()][0])
        raise SmmrubricError(
            f"duplicate competency id {shown(frame.at[row, 'competency_id'])}",
            file=path,
            row=row,
            field="competency_id",
        )
    bad = ~frame["category"].isin(CATEGORIES)
    if bad.any():
        row = int(frame.index[bad.to_numpy()][0])
        raise SmmrubricError(
            f"category must be 'skill' or 'trait', got {shown(frame.at[row, 'category'])}",
            file=path,
            row=row,
            field="category",
        )
    onet_filled = frame[list(_ONET)].notna()
    partial = onet_filled.any(axis=1) & ~onet_filled.all(axis=1)
    if partial.any():
        row = int(frame.index[partial.to_numpy()][0])
        missing = [c for c in _ONET if pd.isna(frame.at[row, c])][0]
        raise SmmrubricError(
            "O*NET id, name and release go together: fill all three or none", file=path, row=row, field=missing
        )
    for field, pattern, example in (("onet_id", _ONET_ID, "2.A.1.c"), ("onet_release", _ONET_RELEASE, "29.0")):
        for row, value in frame[field].dropna().items():
            if not pattern.match(value):
                raise SmmrubricError(
                    f"{shown(value)} is not an O*NET {field[5:]} like {example!r}", file=path, row=int(row), field=field
                )
    return frame.set_index("competency_id")[list(COMPETENCY_COLUMNS[1:])]


def _vocabulary(competencies: object, columns: set[str]) -> pd.DataFrame:
    """The vocabulary a loader checks ids against: a frame (with ``columns``), a path, or None (bundled)."""
    if isinstance(competencies, pd.DataFrame):
        _check_competencies_frame(competencies, columns)
        return competencies
    if competencies is None or isinstance(competencies, (str, os.PathLike)):
        return load_competencies(competencies)
    raise SmmrubricError(
        f"must be a frame from load_competencies, a path or None, got {shown(competencies)}", field="competencies"
    )


def load_expert_lists(
    path: str | os.PathLike[str] | None = None,
    *,
    competencies: pd.DataFrame | str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Load the experts' lists (``data/expert_lists.csv``), one row per item of every list.

    Parameters
    ----------
    path
        An expert-lists CSV; the bundled one by default.
    competencies
        The vocabulary the ids must resolve in: a frame from :func:`load_competencies`, a path to a
        competencies CSV, or None for the bundled one.

    Returns
    -------
    pandas.DataFrame
        One row per item in file order, with the columns of ``data/README.md``; ``year``, ``year_by`` and
        ``position`` as nullable integers, ``numbered`` and ``ranked`` as bool, and a ``category`` column added from the
        vocabulary (our category for the item's primary competency).

    Raises
    ------
    SmmrubricError
        A missing column or required value; a competency id not in the vocabulary; a secondary id
        equal to the primary; an author label other than skill, trait or unlabeled; a position that is
        not a whole number, repeats within a list or leaves a gap; a year that is not a plausible year;
        ``numbered`` or ``ranked`` other than true/false; a list read as ranked without ``rank_evidence``; a
        relation other than own, quoted or interview; a ``derived_from`` that is not another list of the file;
        an ``original_url`` that is not a web address; or a list-level column (source, expert, year, ...) that
        differs between rows of one list. The message names the file, row and column.
    """
    vocabulary = _vocabulary(competencies, {"category"})
    path, frame = _read(path, "expert_lists.csv", EXPERT_LIST_COLUMNS)
    _require_values(frame, _LIST_REQUIRED, path)
    _check_ids(frame["list_id"], path, "list_id")
    known = set(vocabulary.index)
    for field in ("competency_id", "secondary_competency_id"):
        for row, value in frame[field].dropna().items():
            if value not in known:
                raise SmmrubricError(
                    f"unknown competency id {shown(value)} (not in competencies.csv)",
                    file=path,
                    row=int(row),
                    field=field,
                )
    same = frame["secondary_competency_id"] == frame["competency_id"]
    if same.fillna(False).any():
        row = int(frame.index[same.fillna(False).to_numpy()][0])
        raise SmmrubricError(
            "secondary competency repeats the primary one", file=path, row=row, field="secondary_competency_id"
        )
    for row, value in frame["author_label"].items():
        if value not in AUTHOR_LABELS:
            raise SmmrubricError(
                f"author_label must be one of skill, trait, unlabeled; got {shown(value)}",
                file=path,
                row=int(row),
                field="author_label",
            )
    for field in ("numbered", "ranked"):
        for row, value in frame[field].items():
            if value.lower() not in _BOOL:
                raise SmmrubricError(
                    f"{field} must be true or false, got {shown(value)}", file=path, row=int(row), field=field
                )
    for row, value in frame["relation"].items():
        if value not in RELATIONS:
            raise SmmrubricError(
                f"relation must be one of {', '.join(RELATIONS)}; got {shown(value)}",
                file=path,
                row=int(row),
                field="relation",
            )
    ranked = frame["ranked"].str.lower().eq("true")
    unsupported = ranked & frame["rank_evidence"].isna()
    if unsupported.any():
        raise SmmrubricError(
            "a list read as ranked by importance needs rank_evidence (the author's words saying "
            "the order is importance)",
            file=path,
            row=int(frame.index[unsupported.to_numpy()][0]),
            field="rank_evidence",
        )
    for row, value in frame["original_url"].dropna().items():
        if not re.match(r"^https?://\S+$", value):
            raise SmmrubricError(
                f"must be a web address starting with http:// or https://, got {shown(value)}",
                file=path,
                row=int(row),
                field="original_url",
            )
    for field, low, high in (("position", 1, 10_000), ("year", 1990, 2100), ("year_by", 1990, 2100)):
        for row, value in frame[field].dropna().items():
            if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
                raise SmmrubricError(
                    f"must be a whole number from {low} to {high}, got {shown(value)}",
                    file=path,
                    row=int(row),
                    field=field,
                )
    out = frame.copy()
    for field in ("numbered", "ranked"):
        out[field] = out[field].str.lower().map(_BOOL).astype(bool)
    out["position"] = out["position"].astype("Int64")
    for field in ("year", "year_by"):
        out[field] = pd.to_numeric(out[field]).astype("Int64")
    late = out["year"].notna() & out["year_by"].notna() & (out["year"] > out["year_by"])
    if late.any():
        raise SmmrubricError(
            "year_by (the year by which the list existed) is before the list's year",
            file=path,
            row=int(frame.index[late.to_numpy()][0]),
            field="year_by",
        )
    for list_id, items in out.groupby("list_id", sort=False):
        for field in _LIST_LEVEL:
            values = frame.loc[items.index, field].fillna("")
            differs = values.ne(values.iloc[0])
            if differs.any():
                row = int(values.index[differs.to_numpy()][0])
                raise SmmrubricError(
                    f"differs from the first row of list {shown(list_id)}; a list's {field} "
                    "must be the same on every row",
                    file=path,
                    row=row,
                    field=field,
                )
        positions = items["position"]
        repeated = positions.duplicated()
        if repeated.any():
            row = int(positions.index[repeated.to_numpy()][0])
            raise SmmrubricError(
                f"position {positions[row]} repeats within list {shown(list_id)}", file=path, row=row, field="position"
            )
        expected = set(range(1, len(items) + 1))
        if set(positions) != expected:
            gap = min(expected - set(positions))
            row = int(positions.index[-1])
            raise SmmrubricError(
                f"positions of list {shown(list_id)} must run 1..{len(items)} without gaps; {gap} is missing",
                file=path,
                row=row,
                field="position",
            )
    lists = set(out["list_id"])
    for row, value in frame["derived_from"].dropna().items():
        if value not in lists or value == frame.at[row, "list_id"]:
            raise SmmrubricError(
                f"derived_from must name another list of the file, got {shown(value)}",
                file=path,
                row=int(row),
                field="derived_from",
            )
    out["category"] = out["competency_id"].map(vocabulary["category"])
    return out.reset_index(drop=True)


ONET_CROSSWALK_COLUMNS = ("competency_id", "onet_id", "onet_name", "onet_release", "recorded", "note")


def load_onet_crosswalk(
    path: str | os.PathLike[str] | None = None,
    *,
    competencies: pd.DataFrame | str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Load every candidate O*NET element of each competency (``data/onet_crosswalk.csv``).

    One row per (competency, element) that could describe the competency: the element recorded in
    ``competencies.csv`` (``recorded`` true) and every other candidate, including those on the other side
    of our skill / trait category (work styles for a skill, skills for a trait), so that an agreement
    check can be read with or without them (:func:`smmrubric.split.onet_agreement`).

    Parameters
    ----------
    path
        A crosswalk CSV; the bundled one by default.
    competencies
        The vocabulary (frame, path or None for the bundled one): every ``competency_id`` must be in it,
        and its recorded rows must be exactly its ``onet_id``, ``onet_name`` and ``onet_release``.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`ONET_CROSSWALK_COLUMNS` in file order, ``recorded`` as bool.

    Raises
    ------
    SmmrubricError
        A missing column or value, an unknown competency, a malformed O*NET id or release, ``recorded``
        other than true/false, a (competency, element) pair given twice, or recorded rows that disagree
        with ``competencies.csv``; the message names the file, row and column.
    """
    vocabulary = _vocabulary(competencies, {"onet_id", "onet_name", "onet_release"})
    path, frame = _read(path, "onet_crosswalk.csv", ONET_CROSSWALK_COLUMNS)
    _require_values(frame, ONET_CROSSWALK_COLUMNS[:5], path)
    for row, value in frame["competency_id"].items():
        if value not in vocabulary.index:
            raise SmmrubricError(
                f"unknown competency id {shown(value)} (not in competencies.csv)",
                file=path,
                row=int(row),
                field="competency_id",
            )
    for field, pattern, example in (("onet_id", _ONET_ID, "2.A.1.c"), ("onet_release", _ONET_RELEASE, "29.0")):
        for row, value in frame[field].items():
            if not pattern.match(value):
                raise SmmrubricError(
                    f"{shown(value)} is not an O*NET {field[5:]} like {example!r}", file=path, row=int(row), field=field
                )
    for row, value in frame["recorded"].items():
        if value.lower() not in _BOOL:
            raise SmmrubricError(
                f"recorded must be true or false, got {shown(value)}", file=path, row=int(row), field="recorded"
            )
    twice = frame.duplicated(["competency_id", "onet_id"])
    if twice.any():
        raise SmmrubricError(
            "this competency and O*NET element are listed twice",
            file=path,
            row=int(frame.index[twice.to_numpy()][0]),
            field="onet_id",
        )
    out = frame.copy()
    out["recorded"] = out["recorded"].str.lower().map(_BOOL).astype(bool)
    recorded = out[out["recorded"]]
    for row, item in recorded.iterrows():
        expected = vocabulary.loc[item["competency_id"], ["onet_id", "onet_name", "onet_release"]]
        for field in ("onet_id", "onet_name", "onet_release"):
            if expected[field] != item[field]:
                raise SmmrubricError(
                    f"a recorded element must be the one in competencies.csv ({expected[field]!r})",
                    file=path,
                    row=int(row),
                    field=field,
                )
    have = set(recorded["competency_id"])
    missing = [c for c in vocabulary.index[vocabulary["onet_id"].notna()] if c not in have]
    if missing:
        raise SmmrubricError(
            f"competencies.csv records an O*NET element for {shown(missing[0])} but no row here is recorded for it",
            file=path,
            field="recorded",
        )
    return out.reset_index(drop=True)


def expert_list_ids(expert_lists: pd.DataFrame) -> dict[str, list[str]]:
    """Return ``{list_id: [competency_id, ...]}`` in each list's own order (position), primaries only.

    A competency named twice in one list (two items mapping to it) appears once, at its first position.
    """
    required = {"list_id", "position", "competency_id"}
    if not isinstance(expert_lists, pd.DataFrame) or not required <= set(expert_lists.columns):
        raise SmmrubricError(f"must be a DataFrame with columns {sorted(required)}", field="expert_lists")
    ordered = expert_lists.sort_values(["list_id", "position"], kind="stable")
    groups = {
        list_id: list(dict.fromkeys(items))
        for list_id, items in ordered.groupby("list_id", sort=False)["competency_id"]
    }
    return {list_id: groups[list_id] for list_id in dict.fromkeys(expert_lists["list_id"])}


def _check_lists_frame(expert_lists: pd.DataFrame, columns: set[str]) -> None:
    if not isinstance(expert_lists, pd.DataFrame) or not columns <= set(expert_lists.columns):
        raise SmmrubricError(
            f"must be a DataFrame from load_expert_lists with columns {sorted(columns)}", field="expert_lists"
        )
    if expert_lists.empty:
        raise SmmrubricError("has no rows (no lists)", field="expert_lists")


def _check_competencies_frame(competencies: object, columns: set[str]) -> None:
    """Raise unless ``competencies`` is a frame like :func:`load_competencies` returns, with ``columns``."""
    if not isinstance(competencies, pd.DataFrame) or not columns <= set(competencies.columns):
        raise SmmrubricError(
            f"must be the frame from load_competencies (indexed by competency_id) with columns {sorted(columns)}",
            field="competencies",
        )


def list_summary(expert_lists: pd.DataFrame) -> pd.DataFrame:
    """Summarise each list: size, and skills versus traits by the author's label and by our category.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``list_id`` (file order): ``list_name``, ``expert``, ``year``, and ``numbered``,
        ``ranked``, ``relation``, ``derived_from`` where the frame has them; ``n_items``; ``author_skill``,
        ``author_trait``, ``author_unlabeled`` (item counts by the
        author's label); ``our_skill``, ``our_trait`` (item counts by our category of the primary
        competency); ``author_skill_share`` = author_skill / (author_skill + author_trait), NaN when
        the author labelled nothing; ``our_skill_share`` = our_skill / n_items.
    """
    _check_lists_frame(expert_lists, {"list_id", "list_name", "expert", "year", "author_label", "category"})
    groups = expert_lists.groupby("list_id", sort=False)
    level = [
        c
        for c in ("list_name", "expert", "year", "numbered", "ranked", "relation", "derived_from")
        if c in expert_lists.columns
    ]
    out = groups[level].first()
    out["n_items"] = groups.size()
    author = pd.crosstab(expert_lists["list_id"], expert_lists["author_label"])
    ours = pd.crosstab(expert_lists["list_id"], expert_lists["category"])
    for label in AUTHOR_LABELS:
        out[f"author_{label}"] = author.get(label, pd.Series(dtype=int)).reindex(out.index, fill_value=0)
    for label in CATEGORIES:
        out[f"our_{label}"] = ours.get(label, pd.Series(dtype=int)).reindex(out.index, fill_value=0)
    labelled = out["author_skill"] + out["author_trait"]
    out["author_skill_share"] = (out["author_skill"] / labelled.where(labelled > 0)).astype(float)
    out["our_skill_share"] = out["our_skill"] / out["n_items"]
    return out


def competency_counts(
    expert_lists: pd.DataFrame,
    *,
    include_secondary: bool = False,
    competencies: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Count how many lists name each competency.

    A list counts once per competency however many of its items map to it. With
    ``include_secondary``, an item's secondary competency counts as named too (its category is then
    read from ``competencies``, the bundled vocabulary by default).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``competency_id``, sorted by ``n_lists`` (descending) then id: ``n_lists``,
        ``share`` (n_lists / number of lists), ``category``, ``lists`` (the list ids, comma-separated).
    """
    _check_lists_frame(expert_lists, {"list_id", "competency_id", "category"})
    pairs = expert_lists[["list_id", "competency_id"]]
    if include_secondary:
        if "secondary_competency_id" not in expert_lists.columns:
            raise SmmrubricError("needs the column secondary_competency_id", field="expert_lists")
        extra = expert_lists[["list_id", "secondary_competency_id"]].dropna()
        pairs = pd.concat([pairs, extra.set_axis(["list_id", "competency_id"], axis=1)])
    pairs = pairs.drop_duplicates()
    n_lists = expert_lists["list_id"].nunique()
    if include_secondary:
        categories = (competencies if competencies is not None else load_competencies())["category"]
    else:
        categories = expert_lists.drop_duplicates("competency_id").set_index("competency_id")["category"]
    out = pairs.groupby("competency_id").agg(n_lists=("list_id", "size"), lists=("list_id", lambda s: ",".join(s)))
    out["share"] = out["n_lists"] / n_lists
    out["category"] = out.index.map(categories)
    out = out.reset_index().sort_values(["n_lists", "competency_id"], ascending=[False, True])
    return out.set_index("competency_id")[["n_lists", "share", "category", "lists"]]


#: The fingerprint of the published data set: sha256 of each file the notebooks' prose describes.
PUBLISHED_FINGERPRINT = "published.sha256"


def _fingerprinted_files(folder: Path) -> list[Path]:
    return [
        folder / "competencies.csv",
        folder / "expert_lists.csv",
        folder / "onet_crosswalk.csv",
        *sorted((folder / "codings").glob("*.csv")),
        *sorted((folder / "rubrics").glob("*.yaml")),
    ]


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def published_data(folder: str | os.PathLike[str] | None = None) -> bool:
    """Are the bundled data files exactly the published ones the notebooks' prose describes?

    The notebooks check their stated findings with ``assert`` on the published data only; after a
    researcher edits ``data/`` (adds a list, changes a mapping) they skip those checks and print a note,
    instead of failing on numbers that have legitimately changed.

    Returns True when ``data/published.sha256`` lists exactly the data files (the three CSVs, every
    coding in ``codings/`` and every rubric YAML) with their current sha256, False otherwise.
    """
    folder = Path(folder) if folder is not None else data_dir()
    manifest = folder / PUBLISHED_FINGERPRINT
    if not manifest.is_file():
        return False
    recorded = dict(line.split("  ", 1)[::-1] for line in manifest.read_text().splitlines() if line)
    current = {str(p.relative_to(folder)): _digest(p) for p in _fingerprinted_files(folder) if p.is_file()}
    return recorded == current


def write_published_fingerprint(folder: str | os.PathLike[str] | None = None) -> Path:
    """Record the current data files as the published ones (``data/published.sha256``, sha256sum format).

    Run it (``make fingerprint``) only after re-reading the notebooks' prose against the new numbers.
    """
    from .io import atomic_write

    folder = Path(folder) if folder is not None else data_dir()
    lines = [f"{_digest(p)}  {p.relative_to(folder)}" for p in _fingerprinted_files(folder) if p.is_file()]
    return atomic_write(folder / PUBLISHED_FINGERPRINT, "\n".join(lines) + "\n")
