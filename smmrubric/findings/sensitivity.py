"""Findings of the weight-sensitivity study (notebook 02), written from the numbers they state.

Each function takes the results a notebook cell computed and returns a :class:`~smmrubric.findings.Finding`.
Statements about one pool name it ("the illustration pool", or the researcher's ratings); statements about the
simulation give the mean and the central interval over the replicated pools and say they are conditional on
the simulation's assumptions.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..inputs import CandidatePool
from ..ranking import sort_frame, sort_series, top_k
from ..rubric import Rubric
from ..sensitivity.replicated import SAMPLERS, ReplicatedStudy
from ..sensitivity.smaa import SMAAResult
from ..sensitivity.stability import Criticality
from . import Finding

__all__ = [
    "composite_correlations",
    "critical_weights",
    "expert_shortlists",
    "hiring_accuracy",
    "summary",
    "weight_uncertainty",
]


def pool_label(pool: CandidatePool) -> str:
    """How the findings name the single pool: the simulated illustration pool or the researcher's ratings."""
    return "the illustration pool (one simulated pool)" if pool.simulated else f"your ratings ({pool.source})"


def _interval(study: ReplicatedStudy, statistic: str, fmt: str = ".2f") -> str:
    row = study.summary.loc[statistic]
    return f"{row['mean']:{fmt}} (90% of pools: {row['low']:{fmt}}–{row['high']:{fmt}})"


def expert_shortlists(
    matrix: pd.DataFrame,
    correlations: pd.DataFrame,
    study: ReplicatedStudy,
    pool: CandidatePool,
    *,
    k: int,
    reference: str = "Consensus",
) -> Finding:
    """Section 1: how much of the consensus shortlist each expert's rubric keeps, in one pool and over pools."""
    if reference not in matrix.columns or len(matrix) < 2:
        return Finding("No expert rubric covers this rubric's competencies, so there is nothing to compare.")
    with_reference = sort_series(matrix[reference].drop(reference))
    others = matrix.drop(index=reference, columns=reference).to_numpy()
    pairs = others[np.triu_indices(len(others), 1)] if len(others) > 1 else np.array([np.nan])
    tau = correlations["kendall_tau"].mean()
    agree = "broadly" if tau >= 0.6 else "moderately" if tau >= 0.3 else "weakly"
    p = study.parameters["n_pools"]
    several = len(others) > 1
    span = (
        f"the experts' top {k}s share from {with_reference.iloc[0]:.0%} ({with_reference.index[0]}) to "
        f"{with_reference.iloc[-1]:.0%} ({with_reference.index[-1]}) of the consensus top {k}, and two experts' "
        f"top {k}s share {np.nanmean(pairs):.0%} on average"
        if several
        else f"the one expert rubric on these competencies ({with_reference.index[0]}) shares "
        f"{with_reference.iloc[0]:.0%} of the consensus top {k}"
    )
    pairs_over = (
        f", and two experts' rubrics share {_interval(study, 'expert_pair_overlap_mean', '.0%')} of their shortlists"
        if several
        else ""
    )
    return Finding(
        f"In {pool_label(pool)}, {span}, while the full rankings agree {agree} (Kendall's tau with the consensus "
        f"averages {tau:.2f}). **Over {p} simulated pools, an expert's rubric keeps "
        f"{_interval(study, 'expert_overlap_mean', '.0%')} of the consensus top {k}{pairs_over}.** The experts' "
        f"rubrics are the analyst's encoding of their lists (equal or rank-order weights), not rubrics the experts "
        f"proposed."
    )


def weight_uncertainty(
    results: Mapping[str, SMAAResult],
    optimal: pd.DataFrame,
    study: ReplicatedStudy,
    pool: CandidatePool,
    *,
    k: int,
    consensus_totals: pd.Series,
    rubric: Rubric,
) -> Finding:
    """Section 2: SMAA in one pool, potential optimality exactly, and the same questions over pools."""
    first = next(iter(results.values()))
    leader = top_k(first.first_rank, 1)[0]
    shares = ", ".join(f"{r.first_rank[leader]:.0%} of {label} draws" for label, r in results.items())
    se = max(float(r.standard_error[1].max()) for r in results.values())
    top = top_k(consensus_totals, k)
    kept = ", ".join(f"{r.top_k(k)[top].mean():.0%} ({label})" for label, r in results.items())
    n_alone, n_shared = int(optimal["can_be_first"].sum()), int(optimal["can_share_first"].sum())
    won = int((first.first_rank > 0).sum())
    m, m_s = len(rubric), int((rubric.categories == "skill").sum())
    spread = np.sqrt(m_s * (m - m_s) / (m * m * (m + 1)))  # SD of Beta(m_s, m - m_s)
    corners = (
        f"; the other {n_alone - won} win only in corners of the weight space too narrow for the draws to hit"
        if n_alone > won
        else ""
    )
    p = study.parameters["n_pools"]
    over = "; ".join(f"{name} {_interval(study, f'{name}_leader_first')}" for name in SAMPLERS)
    kept_over = "; ".join(f"{name} {_interval(study, f'{name}_top_k_kept', '.0%')}" for name in SAMPLERS)
    label = next(iter(results))
    return Finding(
        f"In {pool_label(pool)}, {leader} ranks first in {shares} (Monte Carlo SE at most {se:.3f}); a random "
        f"weighting keeps on average {kept} of the consensus top {k}. **Exactly {n_alone} candidates can be "
        f"hired first under some weights** ({n_shared} if sharing first place counts); {won} of them won in the "
        f"{first.n_samples:,} {label} draws{corners}. **Over {p} simulated pools the most frequent winner's "
        f"first-rank acceptability is: {over}**; a random weighting keeps {kept_over} of the consensus top {k}. "
        f"Uniform weights are not neutral about the split: with {m_s} skills among {m} competencies they make the "
        f"skill share Beta({m_s}, {m - m_s}), mean {m_s / m:.2f} and SD {spread:.2f}; the balanced weights make "
        f"every split equally likely."
    )


def critical_weights(
    intervals: pd.DataFrame,
    winner: pd.DataFrame,
    criticality: Criticality,
    changes: pd.DataFrame,
    gaps: pd.DataFrame,
    pool: CandidatePool,
    *,
    k: int,
) -> Finding:
    """Section 3: stability intervals, critical competencies, smallest winning changes, and the cut's gaps."""
    narrow = sort_frame(intervals.dropna(subset=["width"]), "width")
    win = sort_frame(winner.dropna(subset=["width"]), "width")
    inside = gaps[gaps["shortlisted"]]
    near_in = int((inside["z"].abs() < 2).sum())
    near_out = int(((gaps["z"].abs() < 2) & ~gaps["shortlisted"]).sum())
    n = len(gaps)
    if narrow.empty or win.empty:  # one competency carries all the weight: no weight can move
        return Finding(
            f"In {pool_label(pool)}, one competency carries all the weight, so no weight can move: "
            "stability intervals, critical weights and the smallest winning changes do not apply. "
            f"**{near_in} of the top {k} and {near_out} of the other {n - k} candidates are less than two "
            "bootstrap standard errors from the other side of the cut.**"
        )
    first = narrow.index[0]
    table = criticality.table
    moved = "; ".join(
        f"{row['moved']:.1%} of the total weight makes the candidate at place {place} first"
        for place, row in changes.iterrows()
        if row["feasible"]
    )
    pt, pa = criticality.percent_top, criticality.percent_any
    top_text = (
        f"changing who is first takes a {table.loc[pt, 'top_pct']:.0f}% change of {pt}'s weight"
        if pt
        else "no single weight change alters who is first"
    )
    any_text = f"a {table.loc[pa, 'any_pct']:.1f}% change of {pa}'s weight reverses some pair" if pa else ""
    steadier = "steadier" if win["width"].iloc[0] > narrow["width"].iloc[0] else "no steadier"
    reading = (
        "so the swaps these intervals describe are mostly between candidates the raters cannot tell apart"
        if 2 * near_in >= k
        else "so most of the shortlist is clear of rating error"
    )
    return Finding(
        f"In {pool_label(pool)}, the narrowest interval keeping the same top {k} is {first}'s "
        f"([{narrow.loc[first, 'lower']:.3f}, {narrow.loc[first, 'upper']:.3f}] around "
        f"{narrow.loc[first, 'weight']:.3f}); the winner is {steadier} (narrowest: {win.index[0]}, "
        f"[{win['lower'].iloc[0]:.3f}, {win['upper'].iloc[0]:.3f}]). **{near_in} of the top {k} and {near_out} of "
        f"the other {n - k} candidates are less than two bootstrap standard errors from the other side of the "
        f"cut**, {reading}. Triantaphyllou & Sanchez's criticality: {top_text}; "
        f"{any_text} (with {n * (n - 1) // 2:,} pairs of candidates some pair is nearly always that close). "
        f"Moving {moved}."
    )


def composite_correlations(curves: pd.DataFrame, simulated: pd.DataFrame, top5: float, top10: float) -> Finding:
    """Section 4: when the weights stop mattering (analytic curves, simulated pools)."""
    at = curves.index[np.argmin(np.abs(curves.index.to_numpy() - 0.3))]
    experts = curves.drop(columns=["equal weights", "skills only vs traits only"], errors="ignore")
    lowest = experts.loc[at].idxmin() if not experts.empty else None
    parts = []
    if "equal weights" in curves:
        parts.append(
            f"the consensus and equal weights correlate {curves.loc[at, 'equal weights']:.2f} at a mean "
            f"intercorrelation of {at:.1f}"
        )
    if lowest is not None:
        above = curves.index[curves[lowest] >= 0.95]
        reach = f"and pass .95 only from {above.min():.2f}" if len(above) else "and never reach .95"
        parts.append(
            f"the consensus and the least similar expert rubric ({lowest}) only {curves.loc[at, lowest]:.2f}, {reach}"
        )
    if "skills only vs traits only" in curves:
        skills = curves["skills only vs traits only"]
        parts.append(
            f"a skills-only and a traits-only rubric {skills.iloc[0]:.2f} when competencies are "
            f"uncorrelated and {skills.loc[at]:.2f} at {at:.1f}"
        )
    sim = simulated.groupby("target")[["observed", "analytic"]].mean()
    near = sim.index[np.argmin(np.abs(sim.index.to_numpy() - 0.3))]
    return Finding(
        "**Weights stop mattering only when competencies correlate strongly or rubrics overlap:** "
        + "; ".join(parts)
        + f". Simulated pools match the analytic value under the simulation's correlation "
        f"matrix (mean observed {sim.loc[near, 'observed']:.2f} against {sim.loc[near, 'analytic']:.2f} at "
        f"{near:.1f}). Even a correlation of .95 keeps only {top5:.0%} of a top 5% and {top10:.0%} of a top 10%, "
        f"which is why shortlists differ more than rank correlations suggest."
    )


def _compare(per_pool: pd.DataFrame, a: str, b: str) -> str:
    """'more than', 'less than' or 'about as much as': the paired difference's 90% interval over pools."""
    diff = per_pool[f"performance_{a}"] - per_pool[f"performance_{b}"]
    low, high = np.quantile(diff, [0.05, 0.95])
    if low > 0:
        return "more than"
    if high < 0:
        return "less than"
    return "about as much as"


def hiring_accuracy(study: ReplicatedStudy) -> Finding:
    """Section 5: weights against rater noise, judged by the simulated performance of those hired."""
    h, p = study.hiring, study.parameters

    def gain(arm: str) -> str:
        return (
            f"{h.loc[arm, 'difference']:+.3f} SD (90% of pools {h.loc[arm, 'difference_low']:+.3f} to "
            f"{h.loc[arm, 'difference_high']:+.3f})"
        )

    verdict = _compare(study.per_pool, "consensus_improved", "criterion")
    return Finding(
        f"Judged by the simulated performance criterion (validities {p['skill_validity']:.2f} with the skills "
        f"and {p['trait_validity']:.2f} with the traits composite), with rating error in every arm: the consensus "
        f"rubric's top {p['k']} average {h.loc['consensus', 'mean']:.2f} SD above the applicants' mean (the best "
        f"possible shortlist: {h.loc['oracle', 'mean']:.2f}). Against it, a panel of reliability "
        f"{p['improved_reliability']:.2f} instead of {p['reliability']:.2f} gains {gain('consensus_improved')}, "
        f"removing rating error altogether {gain('consensus_true')}; weights matched to the criterion gain "
        f"{gain('criterion')}; the experts' rubrics {gain('experts')}; local, uniform and balanced random weights "
        f"{h.loc['local', 'difference']:+.3f}, {h.loc['uniform', 'difference']:+.3f} and "
        f"{h.loc['balanced', 'difference']:+.3f}. **Under these assumptions, a more reliable panel buys "
        f"{verdict} the best reweighting a researcher could know of** (compared pool by pool)."
    )


def summary(study: ReplicatedStudy) -> Finding:
    """What the section findings add up to (computed from the replicated study)."""
    h = study.hiring
    noise = h.loc["consensus_true", "difference"]
    weights = max(abs(h.loc[a, "difference"]) for a in ("local", "uniform", "balanced", "experts", "criterion"))
    verdict = (
        "about as much as" if round(noise, 2) == round(weights, 2) else "more than" if noise > weights else "less than"
    )
    return Finding(
        f"Over {study.parameters['n_pools']} simulated pools the winner's robustness varies from pool to pool "
        f"(uniform weights: {_interval(study, 'uniform_leader_first')}), and the experts' shortlists keep "
        f"{study.summary.loc['expert_overlap_mean', 'mean']:.0%} of the consensus shortlist on average. Rating error "
        f"costs the hires {noise:.2f} SD of performance, {verdict} any change of weights tried here moves it (at "
        f"most {weights:.2f}). Every number here is conditional on the simulation's assumptions (factor structure, "
        f"validities, reliabilities); a researcher should look at the shortlist rather than the winner, and set "
        f"the weight question beside the reliability of the ratings."
    )
