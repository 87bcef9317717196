"""smmrubric: weighted skill/trait rubrics for hiring social media managers.

- the experts' lists as data: :func:`load_expert_lists`, :func:`load_competencies` (:mod:`smmrubric.data`);
- rubrics, ratings and scoring: :class:`Rubric`, :func:`load_ratings`, :func:`aggregate_ratings`,
  :func:`score`, tie-aware orderings (:mod:`smmrubric.ranking`); selection science (:mod:`smmrubric.selection`);
- simulated candidates, raters and growth (:mod:`smmrubric.simulate`) and the notebooks' inputs
  (:mod:`smmrubric.inputs`);
- comparing the experts' lists (:mod:`smmrubric.compare`, rank agreement in :mod:`smmrubric.rank_agreement`),
  aggregating them (:mod:`smmrubric.aggregate`), their chance levels and bootstraps (:mod:`smmrubric.list_inference`)
  and alternative codings of them (:mod:`smmrubric.codings`);
- weight sensitivity (:mod:`smmrubric.sensitivity`) and the skills-versus-traits study (:mod:`smmrubric.split`);
- a researcher's own ratings: their design and description (:mod:`smmrubric.rating_design`), rater reliability
  (:mod:`smmrubric.reliability`) and notebook 05's analyses (:mod:`smmrubric.ratings_study`);
- figures (:mod:`smmrubric.plots`, :func:`save_figure`) and the notebook runner (:mod:`smmrubric.reproduce`).

Submodules and the names below load on first use (PEP 562), as in scipy and scikit-learn: ``import smmrubric``
reads no numpy, pandas, scipy or matplotlib, so the command line starts at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import SmmrubricError

__version__ = "0.2.0"

#: Submodules reachable as attributes (``smmrubric.sensitivity``), imported on first access.
_SUBMODULES = (
    "aggregate",
    "app",
    "cli",
    "codings",
    "compare",
    "data",
    "errors",
    "findings",
    "ids",
    "inputs",
    "io",
    "list_inference",
    "paths",
    "plots",
    "progress",
    "rank_agreement",
    "ranking",
    "rating_design",
    "ratings",
    "ratings_study",
    "reliability",
    "report",
    "reproduce",
    "rubric",
    "scorecard",
    "scoring",
    "selection",
    "sensitivity",
    "sheets",
    "simulate",
    "split",
    "validation",
    "widgets",
    "yamlio",
)
#: Top-level names and the submodule that defines each.
_NAMES = {
    "AggregatedRatings": "ratings",
    "RatingsTable": "ratings",
    "Rubric": "rubric",
    "Scale": "rubric",
    "aggregate_ratings": "ratings",
    "expert_list_ids": "data",
    "load_competencies": "data",
    "load_expert_lists": "data",
    "load_ratings": "ratings",
    "rank_scores": "ranking",
    "read_ratings": "ratings",
    "save_figure": "plots",
    "score": "scoring",
    "show_figure": "plots",
    "use_style": "plots",
    "validate_ratings": "ratings",
    "weighted_sum": "scoring",
}

__all__ = ["SmmrubricError", *_NAMES, *(m for m in _SUBMODULES if m not in ("cli", "errors"))]
__all__ = sorted(set(__all__))

if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from . import aggregate, compare, data, sensitivity, simulate, split  # noqa: F401
    from .data import expert_list_ids, load_competencies, load_expert_lists  # noqa: F401
    from .plots import save_figure, show_figure, use_style  # noqa: F401
    from .ranking import rank_scores  # noqa: F401
    from .ratings import (  # noqa: F401
        AggregatedRatings,
        RatingsTable,
        aggregate_ratings,
        load_ratings,
        read_ratings,
        validate_ratings,
    )
    from .rubric import Rubric, Scale  # noqa: F401
    from .scoring import score, weighted_sum  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _NAMES:
        value = getattr(importlib.import_module(f"{__name__}.{_NAMES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
