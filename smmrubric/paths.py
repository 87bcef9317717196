"""Where the bundled data set and the figures live: resolved here and nowhere else.

The data set (``data/`` at the repository root) is found, in this order, at

1. the folder named by the environment variable ``SMMRUBRIC_DATA``;
2. ``smmrubric/_data`` inside an installed wheel (the build copies ``data/`` there);
3. ``data/`` beside the package, in a source checkout or an editable install.

If none holds ``competencies.csv``, :func:`data_dir` raises :class:`~smmrubric.errors.SmmrubricError`
saying where it looked, instead of failing later with a missing-file error.

A researcher's own files named in a notebook's parameters (``ratings_file``, ``rubric_file``) go through
:func:`resolve_user_path`, so that a path written from the project root works in a kernel that runs in
``notebooks/`` as it does in ``smmrubric reproduce``.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import SmmrubricError

__all__ = ["data_dir", "data_file", "figures_dir", "project_root", "resolve_user_path"]

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


def resolve_user_path(path: str | os.PathLike[str], *, field: str | None = None) -> Path:
    """Find a file the user named: absolute as given; relative, under the working folder or the project root.

    A notebook's kernel runs in ``notebooks/``, while the user writes paths from the project root (as in
    ``smmrubric reproduce --ratings data/examples/ratings_example.csv``): a relative path is looked up in
    the current working folder and in the checkout's root (:func:`project_root`; only the working folder
    for an installed package). One match is returned, absolute.

    Raises
    ------
    SmmrubricError
        The file is in neither place (the message says where it looked), or in both and they differ
        (give an absolute path then: nothing is chosen silently).
    """
    given = Path(path).expanduser()
    if given.is_absolute():
        return given
    places = [Path.cwd()]
    root = project_root()
    if root is not None and root.resolve() != Path.cwd().resolve():
        places.append(root)
    found = [place / given for place in places if (place / given).exists()]
    if len(found) == 2 and found[0].resolve() != found[1].resolve():
        raise SmmrubricError(
            f"both {found[0]} and {found[1]} exist; give the full path of the one you mean", file=given, field=field
        )
    if not found:
        looked = " and ".join(str(place) for place in places)
        raise SmmrubricError(f"no such file (looked in {looked})", file=given, field=field)
    return found[0].resolve()
