"""Where the bundled data set and the figures live: resolved here and nowhere else.

The data set (``data/`` at the repository root) is found, in this order, at

1. the folder named by the environment variable ``SMMRUBRIC_DATA``;
2. ``smmrubric/_data`` inside an installed wheel (the build copies ``data/`` there);
3. ``data/`` beside the package, in a source checkout or an editable install.

If none holds ``competencies.csv``, :func:`data_dir` raises :class:`~smmrubric.errors.SmmrubricError`
saying where it looked, instead of failing later with a missing-file error.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import SmmrubricError

__all__ = ["data_dir", "data_file", "figures_dir", "project_root"]

_PACKAGE = Path(__file__).resolve().parent
_MARKER = "competencies.csv"


def _candidates() -> list[Path]:
    found = []
    env = os.environ.get("SMMRUBRIC_DATA")
    if env:
        found.append(Path(env))
    found += [_PACKAGE / "_data", _PACKAGE.parent / "data"]
    return found


def data_dir() -> Path:
    """Return the folder that holds the bundled data set.

    Raises
    ------
    SmmrubricError
        If no candidate folder holds ``competencies.csv``.
    """
    candidates = _candidates()
    for folder in candidates:
        if (folder / _MARKER).is_file():
            return folder
    looked = ", ".join(str(c) for c in candidates)
    raise SmmrubricError(
        f"cannot find the smmrubric data set (looked for {_MARKER} in: {looked}); "
        "set SMMRUBRIC_DATA to the repository's data/ folder or install smmrubric from a clone"
    )


def data_file(name: str) -> Path:
    """Return the path of one bundled data file, e.g. ``data_file("expert_lists.csv")``."""
    path = data_dir() / name
    if not path.exists():
        raise SmmrubricError(f"the data set has no file {name!r}", file=path)
    return path


def project_root() -> Path | None:
    """Return the source checkout's root, or None for an installed (non-editable) package."""
    root = _PACKAGE.parent
    return root if (root / "pyproject.toml").is_file() and (root / "data" / _MARKER).is_file() else None


def figures_dir() -> Path:
    """Return the folder figures are written to.

    ``SMMRUBRIC_FIGURES`` wins (``make figures`` and ``make test`` set it); otherwise the checkout's
    ``figures/``; otherwise ``./figures`` under the current working directory.
    """
    env = os.environ.get("SMMRUBRIC_FIGURES")
    if env:
        return Path(env)
    root = project_root()
    return (root / "figures") if root is not None else Path.cwd() / "figures"
