"""smmrubric: weighted skill/trait rubrics for hiring social media managers.

- the experts' lists as data: :func:`load_expert_lists`, :func:`load_competencies` (:mod:`smmrubric.data`);
- rubrics, ratings and scoring: :class:`Rubric`, :func:`read_ratings` (any layout and format),
  :func:`load_ratings`, :func:`aggregate_ratings`,
  :func:`score`; selection science (:mod:`smmrubric.selection`);
- simulated candidates, raters and growth (:mod:`smmrubric.simulate`) and the notebooks' inputs
  (:mod:`smmrubric.inputs`);
- comparing the experts' lists (:mod:`smmrubric.compare`) and aggregating them (:mod:`smmrubric.aggregate`);
- weight sensitivity (:mod:`smmrubric.sensitivity`) and the skills-versus-traits study (:mod:`smmrubric.split`);
- figures (:mod:`smmrubric.plots`, :func:`save_figure`) and the notebook runner (:mod:`smmrubric.reproduce`).
"""

from . import aggregate, compare, selection, sensitivity, simulate, split
from .data import expert_list_ids, load_competencies, load_expert_lists
from .errors import SmmrubricError
from .figures import save_figure, use_style
from .ratings import (
    AggregatedRatings,
    RatingsTable,
    aggregate_ratings,
    load_ratings,
    read_ratings,
    validate_ratings,
)
from .rubric import Rubric, Scale
from .scoring import rank_scores, score, weighted_sum

__version__ = "0.1.0"

__all__ = [
    "AggregatedRatings",
    "RatingsTable",
    "Rubric",
    "Scale",
    "SmmrubricError",
    "aggregate",
    "aggregate_ratings",
    "compare",
    "expert_list_ids",
    "load_competencies",
    "load_expert_lists",
    "load_ratings",
    "rank_scores",
    "read_ratings",
    "save_figure",
    "score",
    "selection",
    "sensitivity",
    "simulate",
    "split",
    "use_style",
    "validate_ratings",
    "weighted_sum",
]
