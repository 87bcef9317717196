"""Findings as text computed from the numbers they state, so the notebooks' prose fits any data.

A notebook's markdown cells say what a section computes and why; the sentences that state a result (the bold
findings) are made by code from the results themselves, in the functions of this subpackage (one module per
study), and shown with :class:`Finding`. On the published data they read as the published findings; on a
researcher's own ratings or edited lists they state that run's numbers, or a neutral note when a finding does
not apply, never a published claim over numbers that contradict it. Whether the published findings still hold
is tested in ``tests/findings/``, not asserted in the notebooks.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

__all__ = ["Finding", "bullets"]

#: The findings of each study, one module each, imported on first use (``findings.labels``).
_STUDIES = ("data_tour", "expert_lists", "labels", "ratings", "sensitivity", "split")


def __getattr__(name: str) -> Any:
    if name in _STUDIES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Finding:
    """Markdown text shown as rendered Markdown in a notebook and as the same text elsewhere.

    The plain-text representation is the text itself (not an object's address), so that nbval compares the
    finding's wording and numbers with the committed output.

    Parameters
    ----------
    text
        Markdown.
    """

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            from ..errors import SmmrubricError

            raise SmmrubricError(f"must be text, got {type(text).__name__}", field="text")
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Finding) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def bullets(items: Iterable[str | Finding]) -> Finding:
    """One Markdown bullet list from sentences (or findings), in order."""
    return Finding("\n".join(f"* {item}" for item in items))
