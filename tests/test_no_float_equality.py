"""The tests themselves: no float compared with == or != (issue: results must not depend on the CPU's rounding).

A float is compared with a tolerance (``pytest.approx(x, abs=...)`` or ``math.isclose``), never with ``==``:
the last bits of a sum differ between CPUs, and a value rounded for printing sits on a rounding boundary more
often than one thinks. This test reads every test file and refuses ``==``/``!=`` where one side is a float
literal (or a list/tuple/set/dict holding one) or a call to ``round``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def _has_float(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, float)
    if isinstance(node, ast.UnaryOp):
        return _has_float(node.operand)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return any(_has_float(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return any(_has_float(v) for v in node.values if v is not None)
    return False


def _is_round(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round"


def _violations(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, sides, sides[1:]):  # noqa: B905 (one op per pair of sides)
            if isinstance(op, (ast.Eq, ast.NotEq)) and any(_has_float(s) or _is_round(s) for s in (left, right)):
                found.append(f"{path.relative_to(TESTS.parent)}:{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def test_no_test_compares_floats_with_equality():
    violations = [v for path in sorted(TESTS.rglob("test_*.py")) for v in _violations(path)]
    if violations:
        pytest.fail("compare floats with pytest.approx or an explicit tolerance:\n" + "\n".join(violations))
