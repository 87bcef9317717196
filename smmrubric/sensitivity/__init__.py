"""Weight sensitivity: how much do candidate rankings depend on the rubric weights?

* :mod:`.samplers` -- random weights (uniform, local, ordinal; optional bounds) and random scores;
* :mod:`.smaa` -- SMAA-2 rank acceptability, central weights, confidence factors (Lahdelma & Salminen 2001);
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

__all__ = [
    "SMAAResult",
    "ScoreSampler",
    "WeightSampler",
    "centroid_meta_weights",
    "local_weights",
    "normal_score_noise",
    "ordinal_weights",
    "rater_bootstrap",
    "roc_weights",
    "smaa",
    "uniform_weights",
]
