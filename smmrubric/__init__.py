"""smmrubric: weighted skill/trait rubrics for hiring social media managers.

The experts' lists as data (:mod:`smmrubric.data`), rubrics, ratings and scoring, simulated candidates
and raters (:mod:`smmrubric.simulate`), list comparison (:mod:`smmrubric.compare`), weight sensitivity
(:mod:`smmrubric.sensitivity`) and the skills-versus-traits study (:mod:`smmrubric.split`).
"""

from .data import expert_list_ids, load_competencies, load_expert_lists
from .errors import SmmrubricError
from .figures import save_figure, use_style
from . import simulate  # smmrubric.simulate.candidates, .ratings, .performance, .develop

# -- rubric, ratings, scoring (issue 3) --
from .rubric import Rubric, Scale
# -- end --

__version__ = "0.1.0"

__all__ = [
    "Rubric",
    "Scale",
    "SmmrubricError",
    "expert_list_ids",
    "load_competencies",
    "load_expert_lists",
    "save_figure",
    "simulate",
    "use_style",
]
