"""smmrubric: weighted skill/trait rubrics for hiring social media managers.

The experts' lists as data (:mod:`smmrubric.data`), rubrics, ratings and scoring, simulated candidates
and raters (:mod:`smmrubric.simulate`), list comparison (:mod:`smmrubric.compare`), weight sensitivity
(:mod:`smmrubric.sensitivity`) and the skills-versus-traits study (:mod:`smmrubric.split`).
"""

from .data import expert_list_ids, load_competencies, load_expert_lists
from .errors import SmmrubricError
from .figures import save_figure, use_style
from . import simulate  # smmrubric.simulate.candidates, .ratings, .performance, .develop
from . import sensitivity  # smmrubric.sensitivity.smaa, .stability_intervals, .uniform_weights, ...

# -- rubric, ratings, scoring (issue 3) --
from . import selection  # smmrubric.selection.top_overlap, .taylor_russell, .bcg_utility, ...
from .ratings import AggregatedRatings, aggregate_ratings, load_ratings, validate_ratings
from .rubric import Rubric, Scale
from .scoring import rank_scores, score, weighted_sum
# -- end --
from . import split  # smmrubric.split.split_sweep, .split_break_points, .hire_and_grow, ... (issue 7)

__version__ = "0.1.0"

__all__ = [
    "AggregatedRatings",
    "Rubric",
    "Scale",
    "SmmrubricError",
    "aggregate_ratings",
    "expert_list_ids",
    "load_competencies",
    "load_expert_lists",
    "load_ratings",
    "rank_scores",
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
