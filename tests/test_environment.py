"""environment.yml (conda, Binder) must list the same packages, with the same ranges, as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(requirement: str) -> tuple[str, str]:
    name, spec = _REQ.match(requirement).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return dict(map(_parse, requirements))


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    packages = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            if item.startswith("-e") or item in ("pip",):
                continue
            name, spec = _parse(item)
            if name != "python":
                packages[name] = spec
    return packages


def test_environment_yml_matches_pyproject():
    assert _environment() == _pyproject()


def test_environment_yml_installs_the_package_and_python():
    text = (ROOT / "environment.yml").read_text()
    assert "- -e ." in text
    assert re.search(r"python>=3\.11", text)


@pytest.mark.parametrize("name", sorted(_pyproject()))
def test_lock_pins_every_dependency(name):
    lock = (ROOT / "requirements.lock").read_text().lower()
    assert re.search(rf"^{re.escape(name)}==", lock, flags=re.M), f"{name} is not pinned in requirements.lock"
