"""Skills versus traits: how the experts split them, and what the split does to who gets hired.

The seeds separate *skills* (tangible, measurable, learnable) from *traits* (personal qualities, part of
someone's core personality) and weigh them differently. This subpackage holds the analyses of the third
research question (issue 7), called by ``notebooks/03-skills-vs-traits.ipynb``:

* how each expert list splits skills and traits, by the author's own label and by our category, where the
  two disagree and how well they agree (Cohen's kappa), and how our category agrees with O*NET's split of
  skills (content model 2.A basic / 2.B cross-functional skills) from work styles (1.C);
* the *split sweep*: the rubric total of every candidate as the skill share ``s`` of the weights moves
  from 0 to 1, with the exact break points where the top choice (or the top-k set) changes;
* *hire now, grow later*: the expected true performance of the people hired under each skill share, at
  hire and after months of skill growth;
* the expected quality of hire of a split in selection-science terms (mean criterion z of the hired and
  the Taylor-Russell success ratio).
"""

from .assumptions import ASSUMPTIONS, AssumptionStudy, assumption_study, assumption_table
from .growth import (
    DEFAULT_GAIN_CV,
    DEFAULT_LEARNING_TRAIT_CORRELATION,
    DEFAULT_MONTHS,
    GrowthStudy,
    growth_grid,
    hire_and_grow,
)
from .labels import (
    ONET_READINGS,
    ONET_SPLIT,
    cohen_kappa,
    label_agreement,
    label_disagreements,
    label_kappa_bootstrap,
    onet_agreement,
    onet_category,
    onet_readings,
)
from .pools import Assumptions
from .quality import quality_of_hire, quality_scenarios
from .sweep import SplitSweep, category_subscores, split_break_points, split_sweep

__all__ = [
    "DEFAULT_GAIN_CV",
    "DEFAULT_LEARNING_TRAIT_CORRELATION",
    "DEFAULT_MONTHS",
    "ASSUMPTIONS",
    "AssumptionStudy",
    "Assumptions",
    "GrowthStudy",
    "ONET_READINGS",
    "ONET_SPLIT",
    "SplitSweep",
    "assumption_study",
    "assumption_table",
    "category_subscores",
    "cohen_kappa",
    "growth_grid",
    "hire_and_grow",
    "label_agreement",
    "label_disagreements",
    "label_kappa_bootstrap",
    "onet_agreement",
    "onet_category",
    "onet_readings",
    "quality_of_hire",
    "quality_scenarios",
    "split_break_points",
    "split_sweep",
]
