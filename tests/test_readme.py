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
