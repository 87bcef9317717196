"""A stand-in for a notebook kernel, for the tests of the notebook runner's file handling (tests/test_reproduce.py).

A module of its own, importing nothing heavy, so that the subprocesses killed mid-run start quickly.
"""

from __future__ import annotations

import os
from pathlib import Path


def fake_execute(source, destination, *, parameters=None, timeout=1800):
    """Stands in for a kernel: saves one figure per notebook (as save_figure would) and the 'executed' notebook."""
    folder = Path(os.environ["SMMRUBRIC_FIGURES"])
    (folder / f"{Path(source).name[:2]}-line.png").write_bytes(b"new figure")
    Path(destination).write_text("new notebook")
    return Path(destination)
