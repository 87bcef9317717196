"""The README's worked example shows what the command really prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from smmrubric.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_readme_rank_example_matches_the_command(capsys, monkeypatch):
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```console\n\$ \.venv/bin/smmrubric (rank [^\n]+)\n(.*?)```", text, flags=re.S)
    assert block, "the README lost its worked `smmrubric rank` example"
    monkeypatch.chdir(ROOT)
    assert main(shlex.split(block.group(1))) == 0
    assert capsys.readouterr().out == block.group(2)


def test_readme_links_only_files_that_exist():
    text = (ROOT / "README.md").read_text()
    targets = set(re.findall(r"\]\(((?:figures|docs|data)/[^)#]+|LICENSE|CITATION\.cff|CHANGELOG\.md)\)", text))
    shown = {t for t in targets if t.startswith("figures/")}
    assert len(shown) >= 6, "the README shows the main figures"
    missing = sorted(t for t in targets if not (ROOT / t).is_file())
    assert not missing, missing
    assert {"LICENSE", "CITATION.cff", "CHANGELOG.md", "docs/playground.png"} <= targets
    assert "## How to cite" in text


def test_license_and_citation_agree_with_pyproject():
    import tomllib

    import yaml

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == {"text": "MIT"}
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    # the keys CFF 1.2.0 requires, and what must match the package
    assert cff["cff-version"] == "1.2.0" and cff["message"] and cff["title"].startswith("smmrubric")
    assert cff["authors"] == [{"name": author["name"]} for author in project["authors"]]
    assert (cff["version"], cff["license"], cff["type"]) == (project["version"], "MIT", "software")
    assert f"## [{project['version']}]" in (ROOT / "CHANGELOG.md").read_text()
