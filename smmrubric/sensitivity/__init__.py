"""Weight sensitivity: how much do candidate rankings depend on the rubric weights?

* :mod:`.samplers` -- random weights (uniform, balanced across skills and traits, local, ordinal; optional
  bounds) and random scores;
* :mod:`.smaa` -- SMAA-2 rank acceptability, central weights, confidence factors (Lahdelma & Salminen 2001);
* :mod:`.stability` -- weight stability intervals (Mareschal 1988), critical competencies (Triantaphyllou &
  Sanchez 1997), the smallest weight change that makes a candidate first (a linear program);
* :mod:`.agreement` -- the rank-agreement measures (:mod:`smmrubric.rank_agreement`, re-exported here) between
  the rankings of two weightings or many rubrics;
* :mod:`.composites` -- composite correlation (Wilks 1938) and the weights-versus-rater-noise comparison;
* :mod:`.optimality` -- which candidates some weights make first (potential optimality, exactly, by LP);
* :mod:`.gaps` -- each candidate's gap to the shortlist's cut against its bootstrap standard error;
* :mod:`.replicated` -- the weight-sensitivity questions over many simulated pools, hiring accuracy against
  the simulated performance criterion;
* :mod:`.shortlist` -- each candidate's chance to stay in the top k when the weights vary a little (SMAA-2);
* :mod:`.rating_uncertainty` -- rank intervals from a bootstrap over raters, rating noise from a G study;
* :mod:`.shortlist_recovery` -- what-if pools: how much of the true top k ratings of a given reliability find.
"""

from ..rank_agreement import rank_correlations, ranking_agreement, top_k_membership, top_k_overlaps
from .agreement import agreement_matrix, rubric_totals, weighting_agreement
from .composites import (
    composite_correlation,
    composite_correlation_curve,
    composite_curves,
    equicorrelation,
    rater_noise_totals,
    simulated_composite_correlations,
    weight_draw_totals,
)
from .gaps import cut_gaps
from .optimality import potentially_optimal
from .rating_uncertainty import (
    RankIntervals,
    bootstrap_ranks,
    competition_rank_rows,
    g_study_noise,
    rater_resampler,
)
from .replicated import ReplicatedStudy, replicated_study
from .samplers import (
    ScoreSampler,
    WeightSampler,
    balanced_weights,
    local_weights,
    normal_score_noise,
    ordinal_weights,
    rater_bootstrap,
    uniform_weights,
)
from .shortlist import shortlist_chance
from .shortlist_recovery import ShortlistRecovery, shortlist_recovery
from .smaa import SMAAResult, centroid_meta_weights, smaa
from .stability import (
    Criticality,
    WeightChange,
    changes_to_first,
    critical_competencies,
    min_change_to_first,
    stability_intervals,
)

__all__ = [
    "Criticality",
    "RankIntervals",
    "ReplicatedStudy",
    "SMAAResult",
    "ScoreSampler",
    "ShortlistRecovery",
    "WeightChange",
    "WeightSampler",
    "agreement_matrix",
    "balanced_weights",
    "bootstrap_ranks",
    "centroid_meta_weights",
    "changes_to_first",
    "competition_rank_rows",
    "composite_correlation",
    "composite_correlation_curve",
    "composite_curves",
    "critical_competencies",
    "cut_gaps",
    "equicorrelation",
    "g_study_noise",
    "local_weights",
    "min_change_to_first",
    "normal_score_noise",
    "ordinal_weights",
    "potentially_optimal",
    "rank_correlations",
    "ranking_agreement",
    "rater_bootstrap",
    "rater_noise_totals",
    "rater_resampler",
    "replicated_study",
    "rubric_totals",
    "shortlist_chance",
    "shortlist_recovery",
    "simulated_composite_correlations",
    "smaa",
    "stability_intervals",
    "top_k_membership",
    "top_k_overlaps",
    "uniform_weights",
    "weight_draw_totals",
    "weighting_agreement",
]
