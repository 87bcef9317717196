"""What-if pools: how much of the truly best shortlist do interviews of a given reliability find?

:func:`shortlist_recovery` simulates pools of candidates (:func:`smmrubric.simulate.candidates`), scores their
true standings with a rubric to find the true top ``k``, has each pool rated by a panel at several single-rating
reliabilities (:func:`smmrubric.simulate.ratings`) and measures the share of the true top ``k`` that the
observed top ``k`` keeps (:func:`~.agreement.top_k_overlaps`: ties at a cut are split, in expectation). The
pools are shared by the reliabilities compared (common random numbers), so their differences are not pool
luck. With the parameters of a G study (:func:`smmrubric.reliability.simulation_parameters`) the simulated
ratings have the variance components the researcher's own raters showed.

References
----------
Huffcutt, A. I., Culbertson, S. S., & Weyhrauch, W. S. (2013). Employment interview reliability: new
meta-analytic estimates by structure and format. *International Journal of Selection and Assessment*, 21(3),
264-276 (single-rater reliability .44 for separate interviews, .74 for panel interviews).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import simulate
from ..errors import SmmrubricError
from ..rank_agreement import top_k_overlaps
from ..rubric import check_rubric
from ..validation import as_rng, check_int, check_probability

if TYPE_CHECKING:
    from ..rubric import Rubric

__all__ = ["ShortlistRecovery", "shortlist_recovery"]


@dataclass(frozen=True)
class ShortlistRecovery:
    """Result of :func:`shortlist_recovery`.

    Attributes
    ----------
    overlaps : pandas.DataFrame
        Pools (index ``pool``) x reliabilities (columns, by label): the share of the pool's true top ``k`` in its
        observed top ``k``.
    reliabilities : pandas.Series
        The single-rating reliability of each column, by label.
    k, n, raters : int
        Shortlist size, candidates per pool, raters per candidate.
    """

    overlaps: pd.DataFrame
    reliabilities: pd.Series
    k: int
    n: int
    raters: int

    def summary(self) -> pd.DataFrame:
        """Per reliability: ``reliability``, ``mean`` (the expected share of the true top k shortlisted, summed
        exactly with :func:`math.fsum`), ``low`` and ``high`` (the 5th and 95th percentiles over pools, of the
        inverse empirical distribution), ``all_found`` (share of pools in which the whole true top k was
        shortlisted)."""
        n_pools = len(self.overlaps)
        rows = {}
        for label in self.overlaps.columns:
            values = np.sort(self.overlaps[label].to_numpy())
            rows[label] = {
                "reliability": float(self.reliabilities[label]),
                "mean": math.fsum(values) / n_pools,
                "low": float(values[max(0, math.ceil(0.05 * n_pools) - 1)]),
                "high": float(values[max(0, math.ceil(0.95 * n_pools) - 1)]),
                "all_found": int((values >= 1.0 - 1e-9).sum()) / n_pools,
            }
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "ratings"
        return table


def _reliabilities(reliabilities: Any) -> pd.Series:
    if isinstance(reliabilities, Mapping):
        items = list(reliabilities.items())
    elif isinstance(reliabilities, Sequence) and not isinstance(reliabilities, str):
        items = [(f"reliability {float(r):.2f}", r) for r in reliabilities]
    else:
        raise SmmrubricError(
            f"must be a list of reliabilities or a mapping label -> reliability, got {reliabilities!r}",
            field="reliabilities",
        )
    if not items:
        raise SmmrubricError("must name at least one reliability", field="reliabilities")
    labels = [str(label) for label, _ in items]
    if len(set(labels)) != len(labels):
        raise SmmrubricError("labels must differ", field="reliabilities")
    values = [check_probability(r, "reliabilities", open_ends=True) for _, r in items]
    return pd.Series(values, index=pd.Index(labels, name="ratings"), name="reliability")


def _mean_scores(long: pd.DataFrame, true: pd.DataFrame, raters: int, competencies: list[str]) -> np.ndarray:
    """Candidates x competencies mean ratings from :func:`smmrubric.simulate.ratings`' table, whose rows are
    candidates in pool order, then each candidate's raters, then the competencies in rubric order."""
    n, m = len(true), len(competencies)
    cands = long["candidate_id"].to_numpy()
    if (
        len(long) != n * raters * m
        or list(long["competency_id"].iloc[:m]) != competencies
        or not np.array_equal(cands[:: raters * m], true.index.to_numpy())
    ):
        raise SmmrubricError(
            "the simulated ratings are not laid out as smmrubric.simulate.ratings documents", field="ratings"
        )  # pragma: no cover - a contract of simulate.ratings
    return long["score"].to_numpy(dtype=float).reshape(n, raters, m).mean(axis=1)


def shortlist_recovery(
    rubric: Rubric,
    reliabilities: Any,
    *,
    n: int = 200,
    k: int = 10,
    n_pools: int = 200,
    seed: int | np.random.Generator,
    raters: int = 3,
    leniency_share: float | None = None,
    halo_share: float | None = None,
    mean_intercorrelation: float = simulate.DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = simulate.DEFAULT_CATEGORY_GAP,
    rater_pool: int | None = None,
) -> ShortlistRecovery:
    """The share of the true top ``k`` that a rated shortlist keeps, at several rating reliabilities.

    For each of ``n_pools`` pools: ``n`` candidates' true standings ``z`` (:func:`smmrubric.simulate.candidates`,
    ``mean_intercorrelation``); the true totals ``T = z w`` with the rubric's weights and the true top ``k``; then
    for each reliability ``rho`` a panel of ``raters`` rates every candidate
    (:func:`smmrubric.simulate.ratings` with ``rho``, ``leniency_share``, ``halo_share``, ``rater_pool``), the
    candidates are scored on the mean ratings with the same weights, and the overlap of the two top ``k`` is
    recorded (:func:`~.agreement.top_k_overlaps`; ties at a cut split in expectation). The pools and their
    true top ``k`` are the same for every reliability.

    Parameters
    ----------
    rubric
        The rubric (weights, scale).
    reliabilities
        Single-rating reliabilities in (0, 1]: a list, or a mapping ``label -> reliability``.
    n
        Candidates per pool, > ``k``.
    k
        Shortlist size, >= 1.
    n_pools
        Pools simulated, >= 1.
    seed
        Integer or numpy Generator; pool ``i`` draws from the ``i``-th generator spawned from it
        (:meth:`numpy.random.Generator.spawn`), its candidates first, then the ratings at each reliability in
        order.
    raters, leniency_share, halo_share, rater_pool
        As in :func:`smmrubric.simulate.ratings` (``rater_pool=None``: a panel rates every candidate).
    mean_intercorrelation, category_gap
        As in :func:`smmrubric.simulate.candidates`.

    Returns
    -------
    ShortlistRecovery

    Raises
    ------
    SmmrubricError
        A bad rubric, reliabilities, sizes or simulation parameters.
    """
    check_rubric(rubric)
    levels = _reliabilities(reliabilities)
    k = check_int(k, "k", low=1)
    n = check_int(n, "n", low=k + 1)
    n_pools = check_int(n_pools, "n_pools", low=1)
    raters = check_int(raters, "raters", low=1)
    generators = as_rng(seed).spawn(n_pools)  # pool i draws the same numbers however the pools are run
    w = rubric.weights
    ids = list(w.index)
    overlaps = np.empty((n_pools, len(levels)))
    for pool, rng in enumerate(generators):
        true = simulate.candidates(
            rubric, n, seed=rng, mean_intercorrelation=mean_intercorrelation, category_gap=category_gap
        )
        reference = pd.Series(true[ids].to_numpy() @ w.to_numpy(), index=true.index)
        totals = {}
        for label, rho in levels.items():
            long = simulate.ratings(
                true,
                rubric,
                seed=rng,
                raters=raters,
                reliability=rho,
                leniency_share=leniency_share,
                halo_share=halo_share,
                rater_pool=rater_pool,
            )
            totals[label] = _mean_scores(long, true, raters, ids) @ w.to_numpy()
        overlaps[pool] = top_k_overlaps(reference, pd.DataFrame(totals, index=true.index), k).to_numpy()
    frame = pd.DataFrame(overlaps, index=pd.RangeIndex(n_pools, name="pool"), columns=levels.index)
    return ShortlistRecovery(overlaps=frame, reliabilities=levels, k=k, n=n, raters=raters)
