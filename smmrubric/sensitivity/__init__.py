"""Weight sensitivity: how much do candidate rankings depend on the rubric weights?

* :mod:`.samplers` -- random weights (uniform, local, ordinal; optional bounds) and random scores;
* :mod:`.smaa` -- SMAA-2 rank acceptability, central weights, confidence factors (Lahdelma & Salminen 2001);
* :mod:`.stability` -- weight stability intervals (Mareschal 1988), critical competencies (Triantaphyllou &
  Sanchez 1997), the smallest weight change that makes a candidate first (a linear program);
"""

from .samplers import (
    ScoreSampler,
    WeightSampler,
    local_weights,
    normal_score_noise,
    ordinal_weights,
    rater_bootstrap,
    roc_weights,
    uniform_weights,
)
from .smaa import SMAAResult, centroid_meta_weights, smaa
from .stability import Criticality, WeightChange, critical_competencies, min_change_to_first, stability_intervals

__all__ = [
    "Criticality",
    "SMAAResult",
    "ScoreSampler",
    "WeightChange",
    "WeightSampler",
    "centroid_meta_weights",
    "critical_competencies",
    "local_weights",
    "min_change_to_first",
    "normal_score_noise",
    "ordinal_weights",
    "rater_bootstrap",
    "roc_weights",
    "smaa",
    "stability_intervals",
    "uniform_weights",
]
