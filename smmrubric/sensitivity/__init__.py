"""Weight sensitivity: how much do candidate rankings depend on the rubric weights?

* :mod:`.samplers` -- random weights (uniform, local, ordinal; optional bounds) and random scores;
* :mod:`.smaa` -- SMAA-2 rank acceptability, central weights, confidence factors (Lahdelma & Salminen 2001);
* :mod:`.stability` -- weight stability intervals (Mareschal 1988), critical competencies (Triantaphyllou &
  Sanchez 1997), the smallest weight change that makes a candidate first (a linear program);
* :mod:`.agreement` -- Kendall tau, Spearman rho, top-k overlap and RBO between two weightings' rankings;
* :mod:`.composites` -- composite correlation (Wilks 1938) and the weights-versus-rater-noise comparison;
* :mod:`.shortlist` -- each candidate's chance to stay in the top k when the weights vary a little (SMAA-2).
"""

from .agreement import (
    agreement_matrix,
    ranking_agreement,
    rubric_totals,
    top_k_membership,
    top_k_overlaps,
    weighting_agreement,
)
from .composites import (
    composite_correlation,
    composite_correlation_curve,
    equicorrelation,
    rater_noise_totals,
    simulated_composite_correlations,
    weight_draw_totals,
)
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
from .shortlist import shortlist_chance
from .smaa import SMAAResult, centroid_meta_weights, smaa
from .stability import Criticality, WeightChange, critical_competencies, min_change_to_first, stability_intervals

__all__ = [
    "Criticality",
    "SMAAResult",
    "ScoreSampler",
    "WeightChange",
    "WeightSampler",
    "agreement_matrix",
    "centroid_meta_weights",
    "composite_correlation",
    "composite_correlation_curve",
    "critical_competencies",
    "equicorrelation",
    "local_weights",
    "min_change_to_first",
    "normal_score_noise",
    "ordinal_weights",
    "ranking_agreement",
    "rater_bootstrap",
    "rater_noise_totals",
    "roc_weights",
    "rubric_totals",
    "shortlist_chance",
    "simulated_composite_correlations",
    "smaa",
    "stability_intervals",
    "top_k_membership",
    "top_k_overlaps",
    "uniform_weights",
    "weight_draw_totals",
    "weighting_agreement",
]
