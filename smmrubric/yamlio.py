"""Reading and writing YAML the same way everywhere: YAML 1.2's core schema, strict and bounded.

PyYAML reads YAML 1.1, which turns text a researcher wrote into something else: ``weight: 010`` is 8
(octal), ``1:30`` is 90 (base 60), the labels ``No``/``Yes``/``on``/``off`` are booleans, and a key given
twice silently keeps its last value. Every YAML file smmrubric reads goes through :func:`load_yaml` (or
:func:`parse_yaml`) instead, which reads plain scalars as YAML 1.2's core schema does:

* ``true``/``false`` (also ``True``, ``TRUE``, ``False``, ``FALSE``) are booleans; ``yes``, ``no``, ``on``,
  ``off``, ``y``, ``n`` are text;
* ``null``, ``Null``, ``NULL``, ``~`` and nothing at all are null;
* integers are decimal (``010`` is 10, ``+5`` is 5), ``0o17`` octal or ``0x1F`` hexadecimal;
* floats are ``2.5``, ``.5``, ``5.``, ``2.5e3``, ``1e-3``, ``.inf``, ``-.inf``, ``.nan``;
* everything else is text: ``1:30``, ``1_000``, ``0b101``, ``2024-01-31`` (dates only with ``!!timestamp``).

and is stricter than PyYAML about what it accepts:

* a key repeated in one mapping is an error naming the key and its line;
* an explicit tag ``!!int``, ``!!float``, ``!!bool``, ``!!null`` or ``!!timestamp`` on a value it cannot
  convert is an error naming the line; tags outside the core schema (``!!binary``, ``!!set``, ``!!omap``,
  ``!!python/...``, merge keys ``<<`` tagged ``!!merge``) are refused (an untagged ``<<`` is an ordinary key);
* aliases (``*name``) are counted while the document is composed, before anything expands them: a
  document whose aliases would expand it to more than :data:`EXPANSION_RATIO` times its own length (or
  :data:`EXPANSION_FLOOR` nodes and characters for a short file) is refused, as is an alias inside the node
  it names (a recursive structure);
* nesting deeper than :data:`MAX_DEPTH` levels is refused (never a ``RecursionError``).

:func:`dump_yaml` writes what :func:`load_yaml` reads back unchanged: text that YAML 1.1 or 1.2 would read
as a number, a boolean or null (``'010'``, ``'No'``, ``'1e5'``, ``'0o7'``) is quoted.
"""

from __future__ import annotations

import datetime
import math
import re
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.constructor import SafeConstructor

from .errors import SmmrubricError, cut, shown
from .io import read_text

__all__ = ["EXPANSION_FLOOR", "EXPANSION_RATIO", "MAX_DEPTH", "dump_yaml", "load_yaml", "parse_yaml"]

#: Deepest nesting of lists and mappings accepted (a rubric file needs 4).
MAX_DEPTH = 64
#: A document may expand (every alias replaced by a copy of its node) to at most this many times its length...
EXPANSION_RATIO = 20
#: ... or this many nodes and characters, whichever is larger.
EXPANSION_FLOOR = 100_000

_TAG = "tag:yaml.org,2002:"
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULL = ("~", "null", "Null", "NULL", "")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))$"
)
#: YAML 1.2 core schema: (tag, pattern, first characters), tried in this order.
_CORE_RESOLVERS = (
    (_TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    (_TAG + "int", _INT, list("-+0123456789")),
    (_TAG + "float", _FLOAT, list("-+0123456789.")),
    (_TAG + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
)


class _Refused(yaml.MarkedYAMLError):
    """A document PyYAML would read but we refuse (its message is not 'malformed YAML')."""


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader reading the YAML 1.2 core schema, with the checks of the module docstring."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {}
    yaml_constructors: ClassVar[dict[Any, Any]] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._limit = max(EXPANSION_FLOOR, EXPANSION_RATIO * len(stream))
        self._measured: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, expanded depth)
        self._open: set[str] = set()  # anchors of the nodes being composed
        self._depth = 0

    # -- composition: depth, recursion and alias expansion, before anything is built --------------
    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise _Refused(
                    None,
                    None,
                    f"the alias *{event.anchor} is inside the node it names (a recursive "
                    "structure, which a rubric never needs)",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise _Refused(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        if event.anchor is not None:
            self._open.add(event.anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open.discard(event.anchor)
        self._measure(node)
        return node

    def _measure(self, node: yaml.Node) -> None:
        """Record how large and deep ``node`` would be with every alias expanded; refuse a bomb."""
        if isinstance(node, yaml.ScalarNode):
            self._measured[id(node)] = (1 + len(node.value), 1)
            return
        children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
        sizes = [self._measured[id(child)] for child in children]
        size = 1 + sum(s for s, _ in sizes)
        depth = 1 + max((d for _, d in sizes), default=0)
        self._measured[id(node)] = (size, depth)
        if size > self._limit:
            raise _Refused(
                None,
                None,
                f"its aliases (*name) would expand the document to more than {self._limit:,} "
                "nodes and characters, out of all proportion to its length: write the values out, or "
                "use fewer nested aliases",
                node.start_mark,
            )
        if depth > MAX_DEPTH:
            raise _Refused(
                None, None, f"its aliases (*name) nest it more than {MAX_DEPTH} levels deep", node.start_mark
            )

    # -- construction: duplicate keys (a key tagged !!merge is an unsupported tag) ---------------------
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    repeated = key in seen
                except TypeError:  # an unhashable key: PyYAML's own error follows
                    continue
                if repeated:
                    raise _Refused(
                        "while reading a mapping",
                        node.start_mark,
                        f"the key {shown(key)} appears twice in the same mapping",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_undefined(self, node: yaml.Node) -> Any:
        tag = "!!" + node.tag[len(_TAG) :] if node.tag.startswith(_TAG) else node.tag
        raise _Refused(
            None,
            None,
            f"the tag {shown(tag)} is not supported: YAML 1.2's core schema has text, "
            "numbers, booleans, null, lists and mappings (and !!timestamp for dates)",
            node.start_mark,
        )

    # -- scalars of the core schema, strictly -------------------------------------------------------
    def _scalar(self, node: yaml.Node) -> str:
        return str(self.construct_scalar(node))

    def _cannot(self, node: yaml.Node, value: str, what: str, tag: str) -> _Refused:
        return _Refused(None, None, f"{shown(value)} cannot be read as {what} (tagged !!{tag})", node.start_mark)

    def construct_core_bool(self, node: yaml.Node) -> bool:
        value = self._scalar(node)
        if value not in _BOOL:
            raise self._cannot(node, value, "a boolean (true or false)", "bool")
        return _BOOL[value]

    def construct_core_null(self, node: yaml.Node) -> None:
        value = self._scalar(node)
        if value not in _NULL:
            raise self._cannot(node, value, "null", "null")

    def construct_core_int(self, node: yaml.Node) -> int:
        value = self._scalar(node)
        if not _INT.match(value):
            raise self._cannot(node, value, "an integer", "int")
        base = {"0o": 8, "0x": 16}.get(value[:2], 10)
        try:
            return int(value[2:] if base != 10 else value, base)
        except ValueError:  # more digits than Python converts (4,300)
            raise _Refused(
                None, None, f"an integer of {len(value):,} digits is too long to read", node.start_mark
            ) from None

    def construct_core_float(self, node: yaml.Node) -> float:
        value = self._scalar(node)
        if _INT.match(value):
            return float(value) if not value.startswith(("0o", "0x")) else float(self.construct_core_int(node))
        if not _FLOAT.match(value):
            raise self._cannot(node, value, "a number", "float")
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        return float(value)

    def construct_core_timestamp(self, node: yaml.Node) -> datetime.date:
        value = self._scalar(node)
        if not SafeConstructor.timestamp_regexp.match(value):
            raise self._cannot(node, value, "a date or time (YYYY-MM-DD[ HH:MM:SS])", "timestamp")
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node)
        except (ValueError, OverflowError):
            raise self._cannot(node, value, "a date or time that exists", "timestamp") from None


for _tag, _pattern, _first in _CORE_RESOLVERS:
    _Loader.add_implicit_resolver(_tag, _pattern, _first)
for _name in ("str", "seq", "map"):
    _Loader.add_constructor(_TAG + _name, SafeConstructor.yaml_constructors[_TAG + _name])
for _name in ("bool", "null", "int", "float", "timestamp"):
    _Loader.add_constructor(_TAG + _name, getattr(_Loader, f"construct_core_{_name}"))
_Loader.add_constructor(None, _Loader.construct_undefined)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe writer, quoting text that YAML 1.1 *or* the 1.2 core schema would read as another type."""

    def choose_scalar_style(self) -> str:
        # PyYAML folds the line breaks NEL, LS and PS of single-quoted text into spaces when it reads them
        # back: write such text double-quoted, where they are escaped (\N, \L, \P)
        if isinstance(self.event, yaml.ScalarEvent) and any(c in self.event.value for c in "\x85\u2028\u2029"):
            return '"'
        return super().choose_scalar_style()


for _tag, _pattern, _first in _CORE_RESOLVERS:
    _Dumper.add_implicit_resolver(_tag, _pattern, _first)


def parse_yaml(text: str, *, file: Any = None) -> Any:
    """Read one YAML document from text with the rules of the module docstring.

    Parameters
    ----------
    text
        The document.
    file
        The file it came from, named in error messages.

    Raises
    ------
    SmmrubricError
        Malformed YAML, or a document refused by the rules above; the message names the line.
    """
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = str(exc.problem or exc.context or exc)
        if exc.context and exc.context.startswith("found"):  # "found duplicate anchor 'a'; first occurrence"
            problem = exc.context.split(";")[0]
        problem = cut(problem, 300)
        raise SmmrubricError(
            problem if isinstance(exc, _Refused) else f"malformed YAML: {problem}", file=file, row=where
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise SmmrubricError(
            f"the character #x{exc.character:04x} is not allowed in YAML (a NUL or control "
            "character: is this a text file?)",
            file=file,
            row=f"line {line}",
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error above is marked
        raise SmmrubricError(f"malformed YAML: {cut(str(exc), 300)}", file=file) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting long before
        raise SmmrubricError(f"nested more than {MAX_DEPTH} levels deep", file=file) from None


def load_yaml(path: Any) -> tuple[Path, Any]:
    """Read a UTF-8 YAML file (see :func:`parse_yaml`); return the path and the document.

    Raises
    ------
    SmmrubricError
        A missing file, a folder, an unreadable or non-UTF-8 file (see :func:`smmrubric.io.read_text`), or
        any error of :func:`parse_yaml`.
    """
    text = read_text(path)
    return Path(path), parse_yaml(text, file=path)


def dump_yaml(data: Any) -> str:
    """YAML text of plain data (mappings in their own order, block style, UTF-8), read back unchanged by
    :func:`parse_yaml`."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
