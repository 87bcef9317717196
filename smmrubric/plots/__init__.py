"""Thin plotting wrappers: each takes package results (pandas) and returns a matplotlib Figure.

Save them with :func:`save_figure` (byte-stable files), or in a notebook save and show them with
:func:`show_figure`, after :func:`use_style` (the one style), all in :mod:`.style`. One module per study;
the functions are re-exported here.
"""

from .data_tour import plot_category_shares, plot_competency_counts, plot_list_sizes
from .expert_lists import (
    plot_coding_sensitivity,
    plot_consensus_ranks,
    plot_consensus_uncertainty,
    plot_emphasis_by_year,
    plot_expert_upset,
    plot_similarity_heatmap,
    plot_similarity_null,
)
from .playground import plot_rubric_weights, update_rubric_weights
from .ratings import (
    plot_rank_intervals,
    plot_rater_severity,
    plot_rating_distribution,
    plot_reliability,
    plot_shortlist_recovery,
)
from .sensitivity import (
    plot_agreement_matrix,
    plot_composite_correlation,
    plot_composite_curves,
    plot_hiring_accuracy,
    plot_pool_distributions,
    plot_rank_acceptability,
    plot_tornado,
    plot_weight_uncertainty,
    plot_weights_vs_noise,
)
from .split import (
    plot_assumption_importance,
    plot_decision_map,
    plot_growth_curves,
    plot_growth_heatmap,
    plot_split_turnover,
)
from .style import CATEGORY_COLORS, SavedFigure, save_figure, show_figure, use_style

__all__ = [
    "CATEGORY_COLORS",
    "plot_agreement_matrix",
    "plot_assumption_importance",
    "plot_category_shares",
    "plot_coding_sensitivity",
    "plot_competency_counts",
    "plot_composite_correlation",
    "plot_composite_curves",
    "plot_consensus_ranks",
    "plot_consensus_uncertainty",
    "plot_decision_map",
    "plot_emphasis_by_year",
    "plot_expert_upset",
    "plot_growth_curves",
    "plot_growth_heatmap",
    "plot_hiring_accuracy",
    "plot_list_sizes",
    "plot_pool_distributions",
    "plot_rank_acceptability",
    "plot_rank_intervals",
    "plot_rater_severity",
    "plot_rating_distribution",
    "plot_reliability",
    "plot_rubric_weights",
    "plot_shortlist_recovery",
    "plot_similarity_heatmap",
    "plot_similarity_null",
    "plot_split_turnover",
    "plot_tornado",
    "plot_weight_uncertainty",
    "plot_weights_vs_noise",
    "SavedFigure",
    "save_figure",
    "show_figure",
    "update_rubric_weights",
    "use_style",
]
