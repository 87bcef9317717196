"""Weight sensitivity over many simulated pools: what holds beyond the one pool a notebook shows.

One simulated pool is one draw; its winner, its shortlist and its sensitivity to the weights change from pool to
pool (validity review, MAJOR 6). :func:`replicated_study` repeats the weight-sensitivity questions of notebook 02
on ``n_pools`` pools (:mod:`smmrubric.replicate`: one spawned generator per pool, any joblib backend, same
result) and reports, per pool, then over pools (:func:`smmrubric.replicate.summarise`):

* **experts' rubrics**: the share of the consensus top ``k`` each expert's rubric also shortlists;
* **weight uncertainty**: for ``draws`` random weight vectors per pool from three samplers (uniform,
  Dirichlet(1); balanced across skills and traits, :func:`~smmrubric.sensitivity.balanced_weights`; local,
  Dirichlet around the rubric with ``concentration``), the first-rank acceptability of the most frequent winner
  (SMAA-2's ``b^1``, Lahdelma & Salminen 2001, estimated from the draws) and the share of the consensus top ``k``
  that a random weighting keeps;
* **hiring accuracy against the criterion**: the mean expected performance (criterion ``z``,
  :func:`smmrubric.simulate.performance_weights`) of the top ``k`` hired under each of several choices, all
  scored on the *rated* scores of the same panel (rating error present in every arm) except the arms that
  change the rating: the consensus weights; the same with a more reliable panel (``improved_reliability``) or
  without rating error; random weights of each sampler; the experts' rubrics; weights matched to the criterion
  (the positive part of its weights ``beta``); and the best possible shortlist (the true top ``k`` by expected
  performance). Differences from the consensus at ``reliability`` are paired within pools.

Hires are the top ``k`` by total, ties broken by candidate id (:func:`smmrubric.ranking.top_k_indices`); with
continuous random weights ties have probability zero. Every number is conditional on the simulation's
assumptions (factor structure, validities, reliabilities: parameters below).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import simulate
from ..errors import SmmrubricError
from ..ranking import top_k_indices
from ..replicate import DEFAULT_LEVEL, replicate, summarise
from ..rubric import Rubric, check_rubric
from ..simulate import kernels
from ..simulate._spec import Spec, spec_of
from ..simulate.criterion import criterion_weights
from ..simulate.factors import loadings
from ..simulate.raters import components, default_thresholds
from ..validation import check_int, check_number
from .samplers import WeightSampler, balanced_weights, local_weights, uniform_weights

__all__ = ["ARMS", "SAMPLERS", "ReplicatedStudy", "replicated_study"]

#: The hiring choices compared against the criterion, in display order (label, description).
ARMS = (
    ("consensus", "consensus weights"),
    ("consensus_improved", "consensus weights, more reliable panel"),
    ("consensus_true", "consensus weights, no rating error"),
    ("local", "local random weights"),
    ("uniform", "uniform random weights"),
    ("balanced", "balanced random weights"),
    ("experts", "experts' rubrics (mean)"),
    ("criterion", "weights matched to the criterion"),
    ("oracle", "best possible shortlist"),
)
#: The weight samplers of the study, in display order.
SAMPLERS = ("uniform", "balanced", "local")


@dataclass(frozen=True)
class _Setup:
    """What every pool needs, checked once."""

    spec: Spec
    r_between: float
    gap: float
    beta: np.ndarray
    panels: tuple[tuple[float, float, float, float], ...]  # (rho, sd_l, sd_h, sd_e) per panel
    cuts: np.ndarray
    consensus: np.ndarray
    experts: np.ndarray  # (E, m)
    criterion: np.ndarray  # positive part of beta, normalised
    samplers: dict[str, WeightSampler]
    n: int
    raters: int
    k: int
    draws: int


def _observed(g: np.random.Generator, true: np.ndarray, setup: _Setup, panel: int) -> np.ndarray:
    """A fixed panel's mean ratings, drawn as :func:`smmrubric.simulate.ratings` draws them."""
    rho, sd_l, sd_h, sd_e = setup.panels[panel]
    n, m, r = setup.n, setup.spec.k, setup.raters
    leniency = sd_l * g.standard_normal(r)
    halo = sd_h * g.standard_normal((n, r))
    error = sd_e * g.standard_normal((n, r, m))
    x = kernels.continuous_ratings(true, np.broadcast_to(leniency, (n, r)), halo, error)
    return kernels.discretise(x, rho, setup.cuts, setup.spec.levels).mean(axis=1)


def _overlap(hired: np.ndarray, reference: np.ndarray, n: int) -> np.ndarray:
    """Share of ``reference`` (k positions) in each row of ``hired`` (rows x k)."""
    member = np.zeros(n, dtype=bool)
    member[reference] = True
    return member[hired].sum(axis=-1) / hired.shape[-1]


def _one_pool(g: np.random.Generator, setup: _Setup) -> dict[str, float]:
    spec, n, k = setup.spec, setup.n, setup.k
    true = kernels.standings(g.standard_normal((n, spec.k + 3)), spec.is_skill, setup.r_between, setup.gap)
    x = _observed(g, true, setup, 0)
    x_improved = _observed(g, true, setup, 1)
    perf = (true * setup.beta).sum(axis=-1)
    draws = {name: sampler.sample(setup.draws, g) for name, sampler in setup.samplers.items()}

    def hired(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:  # weights (c, m) -> (c, k)
        # einsum, not BLAS: a multithreaded BLAS costs more in thread start-up than these small products take;
        # rounding noise in the totals cannot decide who is hired (ties within the tolerance go by id)
        return top_k_indices(np.einsum("nm,cm->cn", scores, weights), k)

    consensus = hired(x, setup.consensus[None])[0]
    out: dict[str, float] = {}
    expert_hires = hired(x, setup.experts)
    overlaps = _overlap(expert_hires, consensus, n)
    member = np.zeros((len(expert_hires), n), dtype=bool)
    np.put_along_axis(member, expert_hires, True, axis=1)
    shared = (member[:, None, :] & member[None, :, :]).sum(axis=-1) / k
    pairs = np.triu_indices(len(expert_hires), 1)
    out.update(
        expert_overlap_mean=overlaps.mean(),
        expert_overlap_min=overlaps.min(),
        expert_overlap_max=overlaps.max(),
        expert_pair_overlap_mean=shared[pairs].mean(),
    )
    means = {
        "consensus": perf[consensus].mean(),
        "consensus_improved": perf[hired(x_improved, setup.consensus[None])[0]].mean(),
        "consensus_true": perf[hired(true, setup.consensus[None])[0]].mean(),
        "experts": perf[expert_hires].mean(axis=1).mean(),
        "criterion": perf[hired(x, setup.criterion[None])[0]].mean(),
        "oracle": perf[top_k_indices(perf, k)].mean(),
    }
    for name, w in draws.items():
        shortlists = hired(x, w)
        winners = shortlists[:, 0]
        counts = np.bincount(winners, minlength=n)
        out[f"{name}_leader_first"] = counts.max() / len(winners)
        out[f"{name}_top_k_kept"] = _overlap(shortlists, consensus, n).mean()
        means[name] = perf[shortlists].mean(axis=1).mean()
    out.update({f"performance_{arm}": means[arm] for arm, _ in ARMS})
    return out


@dataclass(frozen=True)
class ReplicatedStudy:
    """Result of :func:`replicated_study`.

    Attributes
    ----------
    per_pool : pandas.DataFrame
        One row per pool (index ``pool``), one column per statistic (see the module docstring).
    summary : pandas.DataFrame
        :func:`smmrubric.replicate.summarise` of ``per_pool``: ``mean``, ``se``, ``low``, ``high``, ``n``.
    hiring : pandas.DataFrame
        Indexed by arm (:data:`ARMS`): ``label``, the mean performance of the hired (``mean``, ``low``, ``high``
        over pools) and its paired difference from the consensus weights at the panel's reliability
        (``difference``, ``difference_low``, ``difference_high``).
    parameters : dict
        The settings and assumptions used.
    """

    per_pool: pd.DataFrame
    summary: pd.DataFrame
    hiring: pd.DataFrame
    parameters: dict

    def table(self, section: str) -> pd.DataFrame:
        """The summary rows of one section: ``"experts"`` or ``"weights"`` (``mean``, ``low``, ``high``)."""
        prefixes = {"experts": ("expert_",), "weights": tuple(f"{s}_" for s in SAMPLERS)}
        if section not in prefixes:
            raise SmmrubricError(f"must be one of {', '.join(prefixes)}, got {section!r}", field="section")
        rows = [name for name in self.summary.index if name.startswith(prefixes[section])]
        return self.summary.loc[rows, ["mean", "low", "high"]]


def _expert_matrix(rubric: Rubric, experts: Mapping[str, Rubric]) -> np.ndarray:
    ids = rubric.competency_ids
    rows = []
    for name, expert in experts.items():
        check_rubric(expert, f"experts[{name}]")
        w = expert.weights.reindex(ids, fill_value=0.0).to_numpy(dtype=float)
        rows.append(w / w.sum())
    return np.array(rows).reshape(len(rows), len(ids))


def replicated_study(
    rubric: Rubric,
    experts: Mapping[str, Rubric],
    *,
    seed: int | np.random.Generator,
    n_pools: int = 200,
    n: int = 200,
    k: int = 10,
    raters: int = 3,
    draws: int = 100,
    concentration: float = 100.0,
    reliability: float = simulate.DEFAULT_RELIABILITY,
    improved_reliability: float = 0.74,
    skill_validity: float | None = None,
    trait_validity: float | None = None,
    mean_intercorrelation: float = simulate.DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = simulate.DEFAULT_CATEGORY_GAP,
    level: float = DEFAULT_LEVEL,
    n_jobs: int | None = None,
) -> ReplicatedStudy:
    """Notebook 02's weight-sensitivity questions over ``n_pools`` simulated pools.

    Each pool: ``n`` candidates from the factor model (:func:`smmrubric.simulate.candidates`), rated by a fixed
    panel of ``raters`` at single-rating ``reliability`` and, separately, by a panel at
    ``improved_reliability`` (:func:`smmrubric.simulate.ratings`; defaults .44 and .74, separate and panel
    interviews in Huffcutt et al. 2013), with expected performance ``beta' z`` (criterion validities
    ``skill_validity``, ``trait_validity``). See the module docstring for the statistics.

    Parameters
    ----------
    rubric
        The consensus rubric (its competencies define the pools).
    experts
        The experts' rubrics by name; competencies outside ``rubric`` are not allowed, those missing get 0.
    seed
        An int or a numpy Generator; pool ``i`` uses the ``i``-th spawned generator.
    n_pools, n, k, raters
        Pools, candidates per pool, shortlist size, raters per panel.
    draws
        Random weight vectors per pool and sampler (the per-pool ``b^1`` has a Monte Carlo SE of at most
        ``.5 / sqrt(draws)``, small beside the spread between pools).
    concentration
        Of the local sampler (:func:`~smmrubric.sensitivity.local_weights`).
    reliability, improved_reliability
        Single-rating reliabilities of the two panels.
    skill_validity, trait_validity, mean_intercorrelation, category_gap
        The criterion and the factor model (see :mod:`smmrubric.simulate.defaults`).
    level
        Central share of the pools the intervals cover (default .90).
    n_jobs
        Workers for :func:`smmrubric.replicate.replicate`.

    Returns
    -------
    ReplicatedStudy
    """
    check_rubric(rubric)
    spec = spec_of(rubric)
    n, k = check_int(n, "n", low=2), check_int(k, "k", low=1)
    k = check_int(k, "k", low=1, high=n - 1)
    r_between, gap = loadings(spec, mean_intercorrelation, category_gap)
    beta, _ = criterion_weights(
        spec, kernels.correlation(spec.is_skill, r_between, gap), None, skill_validity, trait_validity
    )
    panels = []
    for value in (reliability, improved_reliability):
        rho, var_l, var_h, var_e = components(value, None, None)
        panels.append((rho, float(np.sqrt(var_l)), float(np.sqrt(var_h)), float(np.sqrt(var_e))))
    positive = np.clip(beta, 0.0, None)
    setup = _Setup(
        spec=spec,
        r_between=r_between,
        gap=gap,
        beta=beta,
        panels=tuple(panels),
        cuts=default_thresholds(spec.levels.size),
        consensus=spec.weights,
        experts=_expert_matrix(rubric, experts),
        criterion=positive / positive.sum(),
        samplers={
            "uniform": uniform_weights(rubric.competency_ids),
            "balanced": balanced_weights(rubric),
            "local": local_weights(
                rubric.weights, check_number(concentration, "concentration", low=0.0, low_open=True)
            ),
        },
        n=n,
        raters=check_int(raters, "raters", low=1),
        k=k,
        draws=check_int(draws, "draws", low=1),
    )
    rows = replicate(_one_pool, check_int(n_pools, "n_pools", low=2), seed=seed, args=(setup,), n_jobs=n_jobs)
    per_pool = pd.DataFrame(rows, index=pd.RangeIndex(len(rows), name="pool"))
    perf = per_pool[[f"performance_{arm}" for arm, _ in ARMS]]
    perf.columns = pd.Index([arm for arm, _ in ARMS], name="arm")
    level_of = summarise(perf, level=level)
    paired = summarise(perf.sub(perf["consensus"], axis=0), level=level)
    hiring = pd.DataFrame(
        {
            "label": [label for _, label in ARMS],
            "mean": level_of["mean"],
            "low": level_of["low"],
            "high": level_of["high"],
            "difference": paired["mean"],
            "difference_low": paired["low"],
            "difference_high": paired["high"],
        },
        index=perf.columns,
    )
    parameters = {
        "n_pools": len(rows),
        "n": n,
        "k": k,
        "raters": raters,
        "draws": draws,
        "concentration": concentration,
        "reliability": reliability,
        "improved_reliability": improved_reliability,
        "skill_validity": simulate.DEFAULT_SKILL_VALIDITY if skill_validity is None else skill_validity,
        "trait_validity": simulate.DEFAULT_TRAIT_VALIDITY if trait_validity is None else trait_validity,
        "mean_intercorrelation": mean_intercorrelation,
        "category_gap": category_gap,
        "level": level,
        "experts": len(experts),
    }
    return ReplicatedStudy(
        per_pool=per_pool, summary=summarise(per_pool, level=level), hiring=hiring, parameters=parameters
    )
