"""Progress bars for long computations (tqdm), off in batch runs so notebook outputs stay reproducible."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TypeVar

from .errors import SmmrubricError

T = TypeVar("T")

__all__ = ["progress_enabled", "progress_iter"]


def progress_enabled(progress: bool | str = "auto") -> bool:
    """Resolve a ``progress`` argument: ``"auto"`` shows a bar unless ``SMMRUBRIC_NO_PROGRESS`` is set.

    ``make figures`` and ``make test`` set ``SMMRUBRIC_NO_PROGRESS=1`` so that executed notebooks hold no
    timing text (nbval compares outputs); an interactive JupyterLab session shows the bar.
    """
    if isinstance(progress, str) and progress == "auto":
        return not os.environ.get("SMMRUBRIC_NO_PROGRESS")
    if not isinstance(progress, bool):
        raise SmmrubricError(f"must be True, False or 'auto', got {progress!r}", field="progress")
    return progress


def progress_iter(
    iterable: Iterable[T], *, total: int | None = None, progress: bool | str = "auto", desc: str | None = None
) -> Iterator[T]:
    """Iterate over ``iterable``, with a tqdm bar (notebook-aware) when :func:`progress_enabled`."""
    if not progress_enabled(progress):
        yield from iterable
        return
    from tqdm.auto import tqdm

    yield from tqdm(iterable, total=total, desc=desc, leave=False)
