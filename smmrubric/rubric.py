"""Weighted skill/trait rubrics: the model a researcher writes by hand or builds from the experts' lists.

A :class:`Rubric` has a name, a rating :class:`Scale` and an ordered set of competencies. Each
competency has an id, a display name, a category (``skill`` or ``trait``), a non-negative weight,
optional behavioural anchors (a description per scale level, as in behaviourally anchored rating
scales, Smith & Kendall, 1963) and an optional must-have minimum level (a knockout). Rubrics are
immutable: every change (:meth:`Rubric.with_weights`, :meth:`Rubric.with_category_share`) returns a new
one.

The file format is YAML, meant to be edited by hand::

    name: Consensus of the experts' lists
    description: Optional free text (where the weights come from).
    scale:
      min: 1
      max: 5
      labels: {1: Poor, 2: Weak, 3: Adequate, 4: Strong, 5: Excellent}
    competencies:
      - id: copywriting            # an id from data/competencies.csv takes its name and category there
        weight: 4                  # any non-negative number; weights are normalised to sum to 1
        must_have: 3               # optional minimum level (a knockout), on the scale
        anchors:                   # optional behavioural anchors, one text per scale level
          1: Posts full of errors; no hook.
          5: Every post has a hook, a story and a call to action.
      - id: video_editing          # a competency of your own: give its name and category
        name: Video editing
        category: skill
        weight: 1

Unknown keys are refused (a misspelt ``wieght`` must not be silently ignored). An id found in the
competency vocabulary (``data/competencies.csv`` by default) takes its category from there; a rubric
that gives a different category for it is refused (define a new id instead). ``name`` may override the
vocabulary's display name. :meth:`Rubric.to_yaml` writes every competency with its name and category,
so the file reads on its own and :meth:`Rubric.from_yaml` gives back an equal rubric.

References
----------
Smith, P. C., & Kendall, L. M. (1963). Retranslation of expectations: An approach to the construction of
unambiguous anchors for rating scales. *Journal of Applied Psychology*, 47(2), 149-155.
Barron, F. H., & Barrett, B. E. (1996). Decision quality using ranked attribute weights. *Management
Science*, 42(11), 1515-1523. (Rank-order-centroid weights.)
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from numbers import Integral, Real
from pathlib import Path
from typing import Any, TypeAlias, cast

import numpy as np
import pandas as pd

from .data import CATEGORIES, load_competencies
from .errors import SmmrubricError, shown
from .io import atomic_write, readable_file
from .validation import (
    check_choice,
    check_int,
    check_probability,
    check_text,
    check_weights,
)
from .yamlio import dump_yaml, load_yaml

__all__ = ["DEFAULT_LABELS", "Competency", "Rubric", "Scale", "check_rubric", "roc_weights"]

#: Where competency ids resolve: a frame from load_competencies, a path to a competencies CSV, or None
#: for the bundled data/competencies.csv.
VocabularyLike: TypeAlias = pd.DataFrame | str | os.PathLike[str] | None

#: Labels of the default 1-5 scale.
DEFAULT_LABELS = {1: "Poor", 2: "Weak", 3: "Adequate", 4: "Strong", 5: "Excellent"}

_TOP_KEYS = ("name", "description", "scale", "competencies")
_SCALE_KEYS = ("min", "max", "labels")
_COMPETENCY_KEYS = ("id", "name", "category", "weight", "must_have", "anchors")


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _level(key: Any, *, file: Any, row: Any, field: str) -> int:
    """A scale level given as a YAML key: an integer, or text holding one ("3")."""
    if isinstance(key, str) and key.strip().lstrip("-").isdigit():
        key = int(key)
    if isinstance(key, bool) or not isinstance(key, Integral):
        raise SmmrubricError(f"levels must be whole numbers, got {shown(key)}", file=file, row=row, field=field)
    return int(key)


def _finite(value: Any, *, file: Any, row: Any, field: str) -> float:
    """A YAML number as a finite float (an integer too large for a float is refused, not a traceback)."""
    if not _is_number(value):
        raise SmmrubricError(f"must be a number, got {shown(value)}", file=file, row=row, field=field)
    try:
        x = float(value)
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        raise SmmrubricError(f"must be finite, got {shown(value, limit=40)}", file=file, row=row, field=field)
    return x


def _text(value: Any, *, file: Any, row: Any, field: str) -> str:
    return check_text(value, field, file=file, row=row)


def _level_texts(
    mapping: Mapping[Any, Any], lo: int, hi: int, what: str, *, file: Any, row: Any, field: str
) -> dict[int, str]:
    """``{level: text}`` of scale labels or anchors: levels on the scale, once each (3 and "3" are one level)."""
    checked: dict[int, str] = {}
    for key, text in mapping.items():
        level = _level(key, file=file, row=row, field=field)
        if not lo <= level <= hi:
            raise SmmrubricError(
                f"{what} for level {level}, outside the scale {lo}-{hi}", file=file, row=row, field=field
            )
        if level in checked:
            raise SmmrubricError(f"two {what}s for level {level}", file=file, row=row, field=field)
        checked[level] = _text(text, file=file, row=row, field=f"{field}.{level}")
    return checked


# -- scale -----------------------------------------------------------------------------------------


class Scale:
    """A rating scale of whole-number levels ``min..max``, with optional labels.

    Parameters
    ----------
    min, max
        The lowest and highest levels (integers, ``min < max``).
    labels
        ``{level: label}`` for some or all levels (e.g. ``{1: "Poor", 5: "Excellent"}``); each level
        must lie on the scale.

    Attributes
    ----------
    min, max : int
    labels : dict[int, str]
        A copy: the scale cannot be changed in place.
    levels : list[int]
        ``[min, min + 1, ..., max]``.
    """

    __slots__ = ("_labels", "_max", "_min")

    def __init__(
        self, min: int = 1, max: int = 5, labels: Mapping[Any, str] | None = None, *, file: Any = None
    ) -> None:
        lo, hi = _scale_int(min, "min", file), _scale_int(max, "max", file)
        if hi <= lo:
            raise SmmrubricError(f"max ({hi}) must be greater than min ({lo})", file=file, row="scale", field="max")
        if labels is None:
            labels = {}
        if not isinstance(labels, Mapping):
            raise SmmrubricError(
                f"must be a mapping {{level: label}}, got {shown(labels)}", file=file, row="scale", field="labels"
            )
        checked = _level_texts(labels, lo, hi, "label", file=file, row="scale", field="labels")
        self._min, self._max = lo, hi
        self._labels = tuple(sorted(checked.items()))

    @property
    def min(self) -> int:
        return self._min

    @property
    def max(self) -> int:
        return self._max

    @property
    def labels(self) -> dict[int, str]:
        return dict(self._labels)

    @property
    def levels(self) -> list[int]:
        return list(range(self._min, self._max + 1))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scale):
            return NotImplemented
        return (self._min, self._max, self._labels) == (other._min, other._max, other._labels)

    def __hash__(self) -> int:
        return hash((self._min, self._max, self._labels))

    def __repr__(self) -> str:
        return f"Scale(min={self._min}, max={self._max}, labels={self.labels!r})"

    def to_dict(self) -> dict[str, Any]:
        """The scale as plain data, as written to YAML."""
        out: dict[str, Any] = {"min": self._min, "max": self._max}
        if self._labels:
            out["labels"] = self.labels
        return out


def _scale_int(value: Any, field: str, file: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise SmmrubricError(f"must be a whole number, got {shown(value)}", file=file, row="scale", field=field)
    return int(value)


def default_scale() -> Scale:
    """The 1-5 scale with the labels Poor, Weak, Adequate, Strong, Excellent."""
    return Scale(1, 5, DEFAULT_LABELS)


# -- competency ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Competency:
    """One rubric line, checked and resolved (name and category filled in).

    ``weight`` is the raw (unnormalised) weight; ``must_have`` is NaN when there is no minimum;
    ``anchors`` is a tuple of ``(level, text)`` pairs sorted by level.
    """

    id: str
    name: str
    category: str
    weight: float
    must_have: float = math.nan
    anchors: tuple[tuple[int, str], ...] = field(default=())

    def __eq__(self, other: object) -> bool:  # NaN must_have compares equal to NaN
        if not isinstance(other, Competency):
            return NotImplemented
        same_must = (self.must_have == other.must_have) or (math.isnan(self.must_have) and math.isnan(other.must_have))
        return (self.id, self.name, self.category, self.weight, self.anchors) == (
            other.id,
            other.name,
            other.category,
            other.weight,
            other.anchors,
        ) and same_must

    def __hash__(self) -> int:
        return hash((self.id, self.name, self.category, self.weight, self.anchors))

    def to_dict(self) -> dict[str, Any]:
        """The competency as plain data, as written to YAML (whole numbers written as integers)."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "weight": _plain(self.weight),
        }
        if not math.isnan(self.must_have):
            out["must_have"] = _plain(self.must_have)
        if self.anchors:
            out["anchors"] = dict(self.anchors)
        return out


def _plain(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


# -- vocabulary ------------------------------------------------------------------------------------

_VOCABULARY_CACHE: dict[tuple[str, int], pd.DataFrame] = {}


def _vocabulary(vocabulary: VocabularyLike) -> pd.DataFrame:
    """The competency vocabulary: a frame from load_competencies, a path, or None for the bundled one."""
    if isinstance(vocabulary, pd.DataFrame):
        if not {"name", "category"} <= set(vocabulary.columns):
            raise SmmrubricError("must be a frame from load_competencies (columns name, category)", field="vocabulary")
        return vocabulary
    if vocabulary is None:
        from .paths import data_file

        path = data_file("competencies.csv")
    else:
        path = readable_file(vocabulary, field="vocabulary")
    try:
        key = (str(path.resolve()), path.stat().st_mtime_ns)
    except OSError:  # load_competencies words the error
        key = (str(path), -1)
    if key not in _VOCABULARY_CACHE:
        _VOCABULARY_CACHE[key] = load_competencies(path)
    return _VOCABULARY_CACHE[key]


# -- rubric ----------------------------------------------------------------------------------------


class Rubric:
    """A weighted skill/trait rubric (immutable).

    Parameters
    ----------
    competencies
        The rubric lines in order: mappings with the YAML keys (``id``, ``weight``, and optionally
        ``name``, ``category``, ``must_have``, ``anchors``) or :class:`Competency` objects.
    name
        The rubric's name.
    scale
        The rating scale; the 1-5 scale with labels Poor..Excellent by default.
    description
        Optional free text (for instance where the weights come from).
    vocabulary
        The competency vocabulary that ids resolve in: a frame from
        :func:`smmrubric.data.load_competencies`, a path to a competencies CSV, or None (bundled).
    file
        The file the rubric was read from, named in error messages (set by :meth:`from_yaml`).

    Attributes
    ----------
    name, description : str
    scale : Scale
    competencies : tuple[Competency, ...]
    competency_ids : list[str]
        In rubric order.
    weights : pandas.Series
        Normalised weights ``w_i / sum_j w_j`` (sum 1), indexed by ``competency_id``, named "weight".
    raw_weights : pandas.Series
        The weights as given, named "raw_weight".
    names, categories : pandas.Series
        Display names and categories (``skill`` | ``trait``) by ``competency_id``.
    category_weights : pandas.Series
        Index ``['skill', 'trait']``: the summed normalised weight of each category (sums to 1; a
        category with no competency has 0).
    must_have : pandas.Series
        Minimum level per competency (float), NaN where there is none.
    anchors : dict[str, dict[int, str]]
        Behavioural anchors of the competencies that have any.

    Raises
    ------
    SmmrubricError
        Naming the file (if any), the competency and the field: a missing or non-text id, a duplicate
        competency, an unknown id without a category (or without a name), a category other than skill
        or trait or contradicting the vocabulary, a weight that is missing, not a number, negative, NaN
        or infinite, all weights zero, an anchor for a level outside the scale or with empty text, a
        must-have level outside the scale, an unknown key.
    """

    __slots__ = ("_competencies", "_description", "_name", "_scale")

    def __init__(
        self,
        competencies: Iterable[Mapping[str, Any] | Competency],
        *,
        name: str = "Rubric",
        scale: Scale | None = None,
        description: str | None = None,
        vocabulary: VocabularyLike = None,
        file: str | os.PathLike[str] | None = None,
    ) -> None:
        self._name = _text(name, file=file, row=None, field="name")
        if description is not None:
            description = _text(description, file=file, row=None, field="description")
        self._description = description
        if scale is None:
            scale = default_scale()
        if not isinstance(scale, Scale):
            raise SmmrubricError(f"must be a Scale, got {shown(scale)}", file=file, field="scale")
        self._scale = scale
        if isinstance(competencies, (str, bytes, Mapping)) or not isinstance(competencies, Iterable):
            raise SmmrubricError("must be a list of competencies", file=file, field="competencies")
        items = list(competencies)
        if not items:
            raise SmmrubricError("the rubric has no competency", file=file, field="competencies")
        vocab = _vocabulary(vocabulary)
        resolved = [_resolve(item, i, scale, vocab, file) for i, item in enumerate(items)]
        ids = [c.id for c in resolved]
        seen: set[str] = set()
        for cid in ids:
            if cid in seen:
                raise SmmrubricError("duplicate competency: each id may appear once", file=file, row=cid, field="id")
            seen.add(cid)
        _check_total(check_weights(pd.Series([c.weight for c in resolved], index=ids), "weight", file=file), file)
        self._competencies = tuple(resolved)

    @classmethod
    def _from_checked(
        cls, competencies: Sequence[Competency], *, name: str, scale: Scale, description: str | None
    ) -> Rubric:
        """Build from already resolved competencies (weights checked by the caller)."""
        _check_total(np.array([c.weight for c in competencies]), None)
        obj = cls.__new__(cls)
        obj._competencies = tuple(competencies)
        obj._name, obj._scale, obj._description = name, scale, description
        return obj

    # -- attributes --------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def description(self) -> str | None:
        return self._description

    @property
    def scale(self) -> Scale:
        return self._scale

    @property
    def competencies(self) -> tuple[Competency, ...]:
        return self._competencies

    @property
    def competency_ids(self) -> list[str]:
        return [c.id for c in self._competencies]

    def _series(self, values: Iterable[Any], name: str, dtype: Any = None) -> pd.Series:
        return pd.Series(
            list(values), index=pd.Index(self.competency_ids, name="competency_id"), name=name, dtype=dtype
        )

    @property
    def raw_weights(self) -> pd.Series:
        return self._series((c.weight for c in self._competencies), "raw_weight", float)

    @property
    def weights(self) -> pd.Series:
        raw = self.raw_weights
        return (raw / raw.sum()).rename("weight")

    @property
    def names(self) -> pd.Series:
        return self._series((c.name for c in self._competencies), "name", object)

    @property
    def categories(self) -> pd.Series:
        return self._series((c.category for c in self._competencies), "category", object)

    @property
    def category_weights(self) -> pd.Series:
        sums = self.weights.groupby(self.categories).sum()
        return sums.reindex(pd.Index(list(CATEGORIES), name="category"), fill_value=0.0).rename("weight")

    @property
    def must_have(self) -> pd.Series:
        return self._series((c.must_have for c in self._competencies), "must_have", float)

    @property
    def anchors(self) -> dict[str, dict[int, str]]:
        return {c.id: dict(c.anchors) for c in self._competencies if c.anchors}

    def to_frame(self) -> pd.DataFrame:
        """One row per competency: ``name, category, raw_weight, weight, must_have``.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``competency_id``, in rubric order.
        """
        return pd.concat([self.names, self.categories, self.raw_weights, self.weights, self.must_have], axis=1)

    def __len__(self) -> int:
        return len(self._competencies)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rubric):
            return NotImplemented
        return (self._name, self._description, self._scale, self._competencies) == (
            other._name,
            other._description,
            other._scale,
            other._competencies,
        )

    def __hash__(self) -> int:
        return hash((self._name, self._description, self._scale, self._competencies))

    def __repr__(self) -> str:
        share = self.category_weights
        return (
            f"Rubric({self._name!r}, {len(self)} competencies, scale {self._scale.min}-{self._scale.max}, "
            f"skills {share['skill']:.3f} / traits {share['trait']:.3f})"
        )

    # -- changes -------------------------------------------------------------------------------------
    def with_weights(self, weights: Mapping[str, float] | pd.Series | Sequence[float] | np.ndarray) -> Rubric:
        """Return the rubric with new raw weights (everything else unchanged).

        Parameters
        ----------
        weights
            A Series or mapping ``{competency_id: weight}`` naming every competency of the rubric (in
            any order), or a sequence/array of weights in rubric order. Non-negative, finite, not all
            zero; True/False are refused (a weight is a number, not a flag).

        Returns
        -------
        Rubric
            A new rubric; its normalised weights are ``w_i / sum_j w_j`` of the new raw weights.

        Raises
        ------
        SmmrubricError
            Naming the competency (or position) and ``weights``: an unknown or missing competency, a
            wrong number of weights, a weight that is not a number, negative, NaN or infinite, all
            weights zero, weights whose sum overflows.
        """
        ids = self.competency_ids
        if isinstance(weights, (pd.Series, Mapping)):
            series = weights if isinstance(weights, pd.Series) else pd.Series(dict(weights), dtype=object)
            unknown = [k for k in series.index if k not in set(ids)]
            if unknown:
                raise SmmrubricError("not a competency of this rubric", row=str(unknown[0]), field="weights")
            missing = [k for k in ids if k not in set(series.index)]
            if missing:
                raise SmmrubricError("no weight given for this competency", row=missing[0], field="weights")
            checked = cast(pd.Series, check_weights(series, "weights"))  # a Series in, a Series out
            values = checked.reindex(ids).to_numpy(dtype=float)
        else:
            values = check_weights(weights, "weights")
            if values.size != len(ids):
                raise SmmrubricError(
                    f"has {values.size} weights; the rubric has {len(ids)} competencies", field="weights"
                )
        return self._from_checked(
            [replace(c, weight=float(w)) for c, w in zip(self._competencies, values)],
            name=self._name,
            scale=self._scale,
            description=self._description,
        )

    def with_category_share(self, skill_share: float) -> Rubric:
        """Return the rubric rescaled so that skills weigh ``skill_share`` and traits ``1 - skill_share``.

        Proportions within each category are kept:
        ``w'_i = s * w_i / sum_{j in skills} w_j`` for a skill and
        ``w'_i = (1 - s) * w_i / sum_{j in traits} w_j`` for a trait.

        Parameters
        ----------
        skill_share
            ``s``, the skills' share of the total weight, in [0, 1] (0 = traits only, 1 = skills only).

        Returns
        -------
        Rubric
            A new rubric whose :attr:`category_weights` are ``[s, 1 - s]``.

        Raises
        ------
        SmmrubricError
            If ``skill_share`` is not in [0, 1], or a category that should receive a positive share has
            no competency or only zero weights.
        """
        s = check_probability(skill_share, "skill_share")
        target = {"skill": s, "trait": 1.0 - s}
        raw = self.raw_weights
        cats = self.categories
        totals = raw.groupby(cats).sum().reindex(list(CATEGORIES), fill_value=0.0)
        for category, share in target.items():
            if share > 0 and totals[category] <= 0:
                raise SmmrubricError(
                    f"cannot give {category}s a share of {share:g}: the rubric has no {category} with a "
                    "positive weight",
                    field="skill_share",
                )
        new = raw / cats.map(totals).to_numpy() * cats.map(target).to_numpy()
        new = new.fillna(0.0)  # a category with share 0 and total 0
        return self.with_weights(new)

    # -- YAML --------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The rubric as plain data (what :meth:`to_yaml` writes)."""
        out: dict[str, Any] = {"name": self._name}
        if self._description is not None:
            out["description"] = self._description
        out["scale"] = self._scale.to_dict()
        out["competencies"] = [c.to_dict() for c in self._competencies]
        return out

    def to_yaml_string(self) -> str:
        """The YAML text of the rubric (see the module docstring for the format)."""
        return dump_yaml(self.to_dict())

    def to_yaml(self, path: str | os.PathLike[str], *, overwrite: bool = True) -> Path:
        """Write the rubric as YAML, atomically (never a half-written file).

        Parameters
        ----------
        path
            Destination; its folder must exist.
        overwrite
            If False, refuse to replace an existing file.

        Returns
        -------
        pathlib.Path
            The path written.

        Raises
        ------
        SmmrubricError
            ``path`` is not a path or is a folder, the folder does not exist or cannot be written, or the
            file exists and ``overwrite`` is False.
        """
        return atomic_write(path, self.to_yaml_string(), overwrite=overwrite)

    @classmethod
    def from_dict(
        cls, data: Any, *, vocabulary: VocabularyLike = None, file: str | os.PathLike[str] | None = None
    ) -> Rubric:
        """Build a rubric from plain data with the YAML layout (``name``, ``scale``, ``competencies``).

        Parameters
        ----------
        data
            A mapping as :meth:`to_dict` returns (what :func:`smmrubric.yamlio.load_yaml` gives for a rubric file).
        vocabulary
            As for :class:`Rubric`.
        file
            The file the data came from, named in error messages.

        Returns
        -------
        Rubric

        Raises
        ------
        SmmrubricError
            A structure error (not a mapping, an unknown key, no competencies, a bad scale) or any
            rubric error (see :class:`Rubric`), naming the file, the competency and the field.
        """
        if not isinstance(data, Mapping):
            raise SmmrubricError("a rubric must be a mapping with keys name, scale, competencies", file=file)
        _no_unknown_keys(data, _TOP_KEYS, file=file, row=None)
        if "competencies" not in data:
            raise SmmrubricError("missing", file=file, field="competencies")
        scale_data = data.get("scale")
        if scale_data is None:
            scale = default_scale()
        else:
            if not isinstance(scale_data, Mapping):
                raise SmmrubricError("must be a mapping with min, max and optional labels", file=file, field="scale")
            _no_unknown_keys(scale_data, _SCALE_KEYS, file=file, row="scale")
            for key in ("min", "max"):
                if key not in scale_data:
                    raise SmmrubricError("missing", file=file, row="scale", field=key)
            scale = Scale(scale_data["min"], scale_data["max"], scale_data.get("labels"), file=file)
        competencies = data["competencies"]
        if not isinstance(competencies, list):
            raise SmmrubricError(
                "must be a list of competencies (lines starting with '- id:')", file=file, field="competencies"
            )
        return cls(
            competencies,
            name=data.get("name", "Rubric"),
            scale=scale,
            description=data.get("description"),
            vocabulary=vocabulary,
            file=file,
        )

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str], *, vocabulary: VocabularyLike = None) -> Rubric:
        """Read a rubric from a YAML file (format in the module docstring).

        The YAML is read by :func:`smmrubric.yamlio.load_yaml`: YAML 1.2's core schema (``010`` is 10,
        ``No`` is text, ``2.5e3`` a number), a key repeated in one mapping is an error naming its line, and
        documents whose aliases would expand out of all proportion to their size are refused.

        Parameters
        ----------
        path
            The file (UTF-8).
        vocabulary
            As for :class:`Rubric`.

        Returns
        -------
        Rubric

        Raises
        ------
        SmmrubricError
            A missing, unreadable or malformed file (with the line of the YAML error), or any rubric error
            (naming the file, the competency and the field).
        """
        path, data = load_yaml(path)
        return cls.from_dict(data, vocabulary=vocabulary, file=path)

    # -- builders ----------------------------------------------------------------------------------
    @classmethod
    def equal(
        cls,
        competency_ids: Iterable[str],
        *,
        name: str = "Equal weights",
        scale: Scale | None = None,
        description: str | None = None,
        vocabulary: VocabularyLike = None,
    ) -> Rubric:
        """A rubric giving every listed competency the same weight (``w_i = 1 / n``).

        The ids must be in the vocabulary (their names and categories come from there).

        Parameters
        ----------
        competency_ids
            The ids, in rubric order (at least one, no repeats).
        name, scale, description, vocabulary
            As for :class:`Rubric`.

        Returns
        -------
        Rubric
        """
        ids = _id_list(competency_ids, "competency_ids")
        return cls(
            [{"id": cid, "weight": 1} for cid in ids],
            name=name,
            scale=scale,
            description=description,
            vocabulary=vocabulary,
        )

    @classmethod
    def from_list(
        cls,
        expert_list: pd.DataFrame | Sequence[str],
        weighting: str = "equal",
        *,
        list_id: str | None = None,
        name: str | None = None,
        scale: Scale | None = None,
        vocabulary: VocabularyLike = None,
    ) -> Rubric:
        """A rubric from one expert's list.

        Parameters
        ----------
        expert_list
            Either rows of :func:`smmrubric.data.load_expert_lists` (one list, or several with
            ``list_id`` choosing one), or a sequence of competency ids in the expert's order.
        weighting
            ``"equal"``: ``w_i = 1 / n``. ``"roc"``: rank-order-centroid weights (Barron & Barrett,
            1996), ``w_i = (1/n) sum_{k=i}^{n} 1/k`` for the item at position ``i`` of ``n``, which
            only make sense for a list the expert ranked by importance: for a list whose ``ranked``
            flag is false (numbered or not: a numbering is not a ranking), ``"roc"`` is an **error**
            (not a silent fall-back). A plain sequence of ids is taken to be in the expert's order of
            importance.
        list_id
            Which list of ``expert_list`` to use, when it holds several.
        name, scale, vocabulary
            As for :class:`Rubric`; the name defaults to the list's ``list_name``.

        Notes
        -----
        A competency that several items of the list map to appears once, at its first position
        (:func:`smmrubric.data.expert_list_ids`), so ``n`` counts distinct competencies.

        Returns
        -------
        Rubric
            The list's competencies in the expert's order; the description records the weighting.
        """
        check_choice(weighting, "weighting", ("equal", "roc"))
        description = None
        if isinstance(expert_list, pd.DataFrame):
            frame = _one_list(expert_list, list_id)
            from .data import expert_list_ids

            chosen = frame["list_id"].iloc[0]
            ids = expert_list_ids(frame)[chosen]
            ranked = bool(frame["ranked"].iloc[0]) if "ranked" in frame.columns else True
            if weighting == "roc" and not ranked:
                raise SmmrubricError(
                    f"list {shown(chosen)} is not ranked by importance, so rank-order-centroid "
                    "weights do not apply; use weighting='equal'",
                    row=str(chosen),
                    field="weighting",
                )
            if name is None:
                name = str(frame["list_name"].iloc[0]) if "list_name" in frame.columns else str(chosen)
            order = "ranked by importance" if ranked else "not ranked by importance"
            description = f"Built from the expert list {chosen!r} ({order}) with " + (
                "rank-order-centroid weights, w_i = (1/n) sum_{k=i..n} 1/k (Barron & Barrett, 1996)."
                if weighting == "roc"
                else "equal weights."
            )
        else:
            ids = _id_list(expert_list, "expert_list")
            if name is None:
                name = "Expert list"
        weights = roc_weights(len(ids)) if weighting == "roc" else np.ones(len(ids))
        return cls(
            [{"id": cid, "weight": float(w)} for cid, w in zip(ids, weights)],
            name=name,
            scale=scale,
            description=description,
            vocabulary=vocabulary,
        )

    @classmethod
    def consensus(
        cls,
        expert_lists: pd.DataFrame | Mapping[str, Sequence[Any]],
        method: str = "frequency",
        min_experts: int = 1,
        *,
        name: str | None = None,
        scale: Scale | None = None,
        vocabulary: VocabularyLike = None,
    ) -> Rubric:
        """A rubric from several experts' lists.

        Parameters
        ----------
        expert_lists
            The output of :func:`smmrubric.data.load_expert_lists`, or rankings in the format of
            :mod:`smmrubric.aggregate` (``{list_id: [id | tuple of tied ids, ...]}``; an unordered list
            is one tie group).
        method
            ``"frequency"``: the raw weight of a competency is the number of lists naming it,
            ``n_i = sum_l [i in l]``. ``"borda"``: its Borda points over the lists,
            ``B(i) = sum_l [i in l] (N - pi_l(i))`` with ``N`` the number of distinct competencies and
            tied items sharing the mean position (:func:`smmrubric.aggregate.borda`).
        min_experts
            Keep only competencies named by at least this many lists (1 to the number of lists).
        name, scale, vocabulary
            As for :class:`Rubric`.

        Returns
        -------
        Rubric
            Competencies ordered by weight (descending), ties by id.
        """
        from .aggregate import borda, rankings_from_expert_lists

        check_choice(method, "method", ("frequency", "borda"))
        if isinstance(expert_lists, pd.DataFrame):
            rankings = rankings_from_expert_lists(expert_lists)
        elif isinstance(expert_lists, Mapping):
            rankings = {str(k): list(v) for k, v in expert_lists.items()}
        else:
            raise SmmrubricError(
                "must be the frame of load_expert_lists or a mapping {list_id: [ids]}", field="expert_lists"
            )
        n = check_int(min_experts, "min_experts", low=1, high=max(len(rankings), 1))
        table = borda(rankings)
        kept = table[table["n_lists"] >= n]
        weight = kept["n_lists"] if method == "frequency" else kept["score"]
        order = pd.DataFrame({"w": weight.to_numpy(), "id": [str(i) for i in kept.index]})
        order = order.sort_values(["w", "id"], ascending=[False, True], kind="stable")
        if name is None:
            name = "Consensus of the experts' lists"
        description = (
            f"{method.capitalize()} consensus of {len(rankings)} expert lists; competencies named by "
            f"at least {n} list{'s' if n > 1 else ''}. Raw weight = "
            + (
                "the number of lists naming the competency."
                if method == "frequency"
                else "Borda points (N - position, summed over the lists naming it)."
            )
        )
        return cls(
            [{"id": cid, "weight": float(w)} for cid, w in zip(order["id"], order["w"])],
            name=name,
            scale=scale,
            description=description,
            vocabulary=vocabulary,
        )


def _check_total(weights: Any, file: Any) -> None:
    """Refuse weights whose sum overflows (they could not be normalised)."""
    if not math.isfinite(sum(np.asarray(weights, dtype=float).tolist())):
        raise SmmrubricError("the weights are too large: their sum is not a finite number", file=file, field="weight")


def roc_weights(n: int) -> np.ndarray:
    """Rank-order-centroid weights of ``n`` ranked items (Barron & Barrett, 1996).

    ``w_i = (1/n) * sum_{k=i}^{n} 1/k``, ``i = 1..n``; they sum to 1 and decrease with the rank.

    Parameters
    ----------
    n
        Number of ranked items, an integer >= 1.

    Returns
    -------
    numpy.ndarray
        ``n`` weights, most important first.

    Examples
    --------
    >>> roc_weights(3).round(4).tolist()
    [0.6111, 0.2778, 0.1111]
    """
    n = check_int(n, "n", low=1)
    inverse = 1.0 / np.arange(1, n + 1)
    return np.cumsum(inverse[::-1])[::-1] / n


def _id_list(values: Any, field: str) -> list[str]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise SmmrubricError(f"must be a list of competency ids, got {shown(values)}", field=field)
    ids = list(values)
    if not ids:
        raise SmmrubricError("must name at least one competency", field=field)
    return ids


def _one_list(frame: pd.DataFrame, list_id: str | None) -> pd.DataFrame:
    required = {"list_id", "position", "competency_id"}
    if not required <= set(frame.columns):
        raise SmmrubricError(f"must be rows of load_expert_lists with columns {sorted(required)}", field="expert_list")
    present = list(dict.fromkeys(frame["list_id"]))
    if list_id is None:
        if len(present) != 1:
            raise SmmrubricError(f"holds {len(present)} lists; choose one with list_id", field="list_id")
        return frame
    if list_id not in present:
        raise SmmrubricError(
            f"no list {shown(list_id)} (lists: {shown(', '.join(map(str, present)))})", field="list_id"
        )
    return frame[frame["list_id"] == list_id]


def _no_unknown_keys(data: Mapping, allowed: Sequence[str], *, file: Any, row: Any) -> None:
    for key in data:
        if key not in allowed:
            raise SmmrubricError(
                f"unknown key {shown(key)}; allowed keys: {', '.join(allowed)}", file=file, row=row, field=str(key)
            )


def _resolve(item: Any, index: int, scale: Scale, vocab: pd.DataFrame, file: Any) -> Competency:
    """Check one rubric line and fill in its name and category."""
    if isinstance(item, Competency):
        item = item.to_dict()
    where = f"competency {index + 1}"
    if not isinstance(item, Mapping):
        raise SmmrubricError(f"must be a mapping with id and weight, got {shown(item)}", file=file, row=where)
    if "id" not in item:
        raise SmmrubricError("missing", file=file, row=where, field="id")
    cid = item["id"]
    if not isinstance(cid, str) or not cid.strip():
        raise SmmrubricError(f"must be non-empty text, got {shown(cid)}", file=file, row=where, field="id")
    cid = cid.strip()
    _no_unknown_keys(item, _COMPETENCY_KEYS, file=file, row=cid)
    known = cid in vocab.index
    category = item.get("category")
    if category is not None and category not in CATEGORIES:
        raise SmmrubricError(f"must be 'skill' or 'trait', got {shown(category)}", file=file, row=cid, field="category")
    if known:
        vocab_category = vocab.at[cid, "category"]
        if category is not None and category != vocab_category:
            raise SmmrubricError(
                f"is {vocab_category!r} in the competency vocabulary, the rubric says "
                f"{shown(category)}; give your own item a new id",
                file=file,
                row=cid,
                field="category",
            )
        category = vocab_category
        name = item.get("name", vocab.at[cid, "name"])
    else:
        if category is None:
            raise SmmrubricError(
                "unknown competency (not in competencies.csv) without a category: give it a "
                "category (skill or trait) and a name",
                file=file,
                row=cid,
                field="category",
            )
        if "name" not in item:
            raise SmmrubricError(
                "unknown competency (not in competencies.csv) without a name", file=file, row=cid, field="name"
            )
        name = item["name"]
    name = _text(name, file=file, row=cid, field="name")
    if "weight" not in item:
        raise SmmrubricError("missing", file=file, row=cid, field="weight")
    weight = _finite(item["weight"], file=file, row=cid, field="weight")
    if weight < 0:
        raise SmmrubricError(f"must be >= 0, got {_plain(weight)}", file=file, row=cid, field="weight")
    must = item.get("must_have")
    if must is None:
        must = math.nan
    else:
        must = _finite(must, file=file, row=cid, field="must_have")
        if not scale.min <= must <= scale.max:
            raise SmmrubricError(
                f"level {_plain(must)} is outside the scale {scale.min}-{scale.max}",
                file=file,
                row=cid,
                field="must_have",
            )
    anchors = item.get("anchors")
    if anchors is None:  # "anchors:" with nothing after it
        anchors = {}
    if not isinstance(anchors, Mapping):
        raise SmmrubricError(
            f"must be a mapping {{level: text}}, got {shown(anchors)}", file=file, row=cid, field="anchors"
        )
    checked = _level_texts(anchors, scale.min, scale.max, "anchor", file=file, row=cid, field="anchors")
    return Competency(cid, name, category, weight, must, tuple(sorted(checked.items())))


def check_rubric(value: Any, field: str = "rubric", *, row: Any = None) -> Rubric:
    """Return ``value`` if it is a :class:`Rubric`; otherwise raise naming ``field`` (and ``row``)."""
    if not isinstance(value, Rubric):
        raise SmmrubricError(f"must be a smmrubric.Rubric, got {type(value).__name__}", row=row, field=field)
    return value
