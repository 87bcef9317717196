"""Thin plotting wrappers: each takes package results (pandas) and returns a matplotlib Figure.

Save them with :func:`smmrubric.figures.save_figure`. One module per study; the functions are
re-exported here.
"""

from .data_tour import plot_category_shares, plot_competency_counts, plot_list_sizes

__all__ = ["plot_category_shares", "plot_competency_counts", "plot_list_sizes"]
