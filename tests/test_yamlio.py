"""The YAML reader and writer: YAML 1.2 core schema, refused documents, bombs, and a lossless round trip."""

from __future__ import annotations

import datetime
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmrubric.errors import SmmrubricError
from smmrubric.yamlio import (
    EXPANSION_FLOOR,
    MAX_DEPTH,
    dump_yaml,
    load_yaml,
    parse_yaml,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # YAML 1.1 (PyYAML) reads the first ones as 8, 90, False, True, 1000, 5, a date: YAML 1.2 does not
        ("010", 10),
        ("1:30", "1:30"),
        ("No", "No"),
        ("Yes", "Yes"),
        ("off", "off"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("2024-01-31", "2024-01-31"),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("null", None),
        ("~", None),
        ("", None),
        ("2.5e3", 2500.0),
        ("1e-3", 0.001),
        (".5", 0.5),
        ("5.", 5.0),
        ("+5", 5),
        ("-0", 0),
        ("0o17", 15),
        ("0x1F", 31),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("'010'", "010"),
        ("!!int 12", 12),
        ("!!float 3", 3.0),
        ("!!bool false", False),
        ("!!str 1", "1"),
        ("!!timestamp 2024-01-31", datetime.date(2024, 1, 31)),
    ],
)
def test_scalars_are_read_as_yaml_1_2_core_schema(text, value):
    assert parse_yaml(f"a: {text}\n") == {"a": value}
    assert math.isnan(parse_yaml("a: .nan")["a"])


def _bomb(levels: int, width: int = 9) -> str:
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "the key 'a' appears twice"),
        ("{1: x, 1.0: y}", 1, "appears twice"),
        ("a: !!int abc", 1, r"'abc' cannot be read as an integer \(tagged !!int\)"),
        ("a: !!float 1:30", 1, "cannot be read as a number"),
        ("a: !!bool yes", 1, "cannot be read as a boolean"),
        ("a: !!null x", 1, "cannot be read as null"),
        ("a: !!timestamp 2024-02-30", 1, "date or time that exists"),
        ("a: !!timestamp soon", 1, "cannot be read as a date"),
        ("a: !!int " + "9" * 5000, 1, "5,000 digits is too long"),
        ("a: !!binary aGk=", 1, "tag '!!binary' is not supported"),
        ("a: !!python/object/apply:os.system [ls]", 1, "is not supported"),
        ("a:\n  ? !!merge <<\n  : {b: 1}\n", 2, "tag '!!merge' is not supported"),
        ("a: &x [1, *x]", 1, "recursive structure"),
        ("a: " + "[" * 1000 + "]" * 1000, 1, f"nested more than {MAX_DEPTH} levels"),
        ("a: " + "{b: " * 1000 + "1" + "}" * 1000, 1, f"nested more than {MAX_DEPTH} levels"),
        (_bomb(9), 6, "aliases .* would expand the document"),  # a5 = 9**5 copies of "lol": beyond 100,000
        ("a: 1\n\x00", 2, "#x0000 is not allowed"),
        ("a: [1\nb: 2", 2, "malformed YAML"),
        ("a: *nowhere", 1, "undefined alias"),
    ],
)
def test_refused_documents_name_the_line(tmp_path, text, line, fragment):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SmmrubricError, match=fragment) as info:
        load_yaml(path)
    assert (info.value.file, info.value.row) == (str(path), f"line {line}")
    assert len(str(info.value)) < 500


def test_aliases_in_proportion_are_fine_and_a_bomb_is_refused_before_it_expands():
    shared = "anchors: &std {1: low, 5: high}\n" + "".join(f"c{i}: *std\n" for i in range(200))
    assert parse_yaml(shared)["c199"] == {1: "low", 5: "high"}
    assert parse_yaml(_bomb(3))["a3"][0][0][0] == ["lol"]  # 9**3 = 729 items: in proportion
    for levels in (9, 30):  # 9**30 items: refused as fast as 9**9, nothing is expanded
        with pytest.raises(SmmrubricError, match=f"more than {EXPANSION_FLOOR:,} nodes"):
            parse_yaml(_bomb(levels))


_TRICKY = [
    "010",
    "No",
    "yes",
    "1:30",
    "0o7",
    "0x1F",
    "1e5",
    "2.5E-3",
    ".5",
    "5.",
    "+5",
    "-",
    "~",
    "null",
    "NULL",
    "true",
    "False",
    "",
    " ",
    "1_000",
    ".inf",
    ".NaN",
    "2024-01-31",
    "#",
    "a: b",
    "- x",
    "'",
    '"',
    "\\",
    "\x00",
    "\t",
    "\x85",
    "\u2028",
    "\u2029",
    "\r",
    "é",
    "\ufeff",
    "&a",
    "*a",
    "!!int 3",
    "<<",
    "?",
    "{",
    "[",
    "@",
    "`",
    "%",
]


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.lists(st.sampled_from(_TRICKY), max_size=3).map("".join)
        | st.text(max_size=6)
        | st.integers(-(10**30), 10**30)
        | st.floats(allow_nan=False)
        | st.booleans()
        | st.none(),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.lists(st.sampled_from(_TRICKY), max_size=2).map("".join) | st.integers(), inner, max_size=4
            )
        ),
        max_leaves=20,
    )
)
def test_the_writer_and_the_reader_agree(value):
    assert parse_yaml(dump_yaml({"v": value})) == {"v": value}


_YAML_SNIPPETS = [
    "&a ",
    "*a",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!timestamp ",
    "!!binary ",
    "[",
    "]",
    "{",
    "}",
    ": ",
    ", ",
    "- ",
    "\n",
    "\n  ",
    "? ",
    "'",
    '"',
    "#",
    "|",
    ">",
    "---\n",
    "...",
    "%YAML 1.2\n",
    "\x00",
    "\t",
    "010",
    "1:30",
    "No",
    "2.5e3",
    ".inf",
    "9" * 400,
    "<<: ",
    "\\",
    "\ufeff",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_YAML_SNIPPETS) | st.text(max_size=5), max_size=40).map("".join))
def test_fuzz_the_reader_gives_data_or_one_project_error(text):
    try:
        parse_yaml(text, file="fuzz.yaml")
    except SmmrubricError as exc:
        assert exc.file == "fuzz.yaml" and len(str(exc)) < 1_000
