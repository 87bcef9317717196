"""The package as a whole: a light import, a fast command line, no import loops."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "smmrubric"
HEAVY = ("matplotlib", "scipy", "seaborn", "ipywidgets", "nbclient", "pandas", "numpy")


def _modules_loaded(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {m.split(".")[0] for m in out}


@pytest.mark.parametrize("code", ["import smmrubric", "from smmrubric.cli import build_parser; build_parser()"])
def test_import_and_help_load_no_heavy_library(code):
    assert not _modules_loaded(code) & set(HEAVY)


def test_names_load_on_first_use():
    loaded = _modules_loaded("import smmrubric; smmrubric.Rubric; smmrubric.sensitivity")
    assert {"pandas", "numpy"} <= loaded
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        import smmrubric

        smmrubric.nothing  # noqa: B018


def _imports(path: Path, module: str) -> set[str]:
    """The smmrubric modules ``module`` imports (anywhere in the file, function bodies included)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            found |= {f"{target}.{a.name}" for a in node.names} | {target}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("smmrubric"):
            found.add(node.module)
    return found


def test_no_import_loops():
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph = {name: {t for t in _imports(path, name) if t in modules and t != name} for name, path in modules.items()}
    # a package's __init__ only re-exports its own submodules; loops through it are not import loops
    graph = {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in graph.items()}
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                pytest.fail("import loop: " + " -> ".join(stack[stack.index(nxt) :] + [nxt]))
            if not state.get(nxt):
                visit(nxt, stack + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if not state.get(name):
            visit(name, [name])
