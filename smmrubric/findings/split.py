"""Findings of the skills-versus-traits study (notebook 03), written from the numbers they state.

Sections 2-5 of the notebook are simulations: their findings are stated as conditional on the assumptions
(listed with letters by :func:`smmrubric.split.assumption_table`), never as facts about social media managers.
Section 1 (the authors' labels against our categories) is wired by the lists study.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..inputs import CandidatePool
from ..ranking import sort_frame, sort_series
from ..split import AssumptionStudy, GrowthStudy, SplitSweep
from . import Finding, bullets
from .sensitivity import pool_label

__all__ = ["assumptions", "growth", "growth_grid", "quality_at_hire", "split_sweep", "summary"]


def _letters(study: AssumptionStudy) -> str:
    """The varied assumptions' letters, as a range ("A–I") when they run without a gap."""
    letters = [study.letters[a] for a in study.ranges]
    run = "".join(letters)
    if len(letters) > 2 and run in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        return f"{letters[0]}–{letters[-1]}"
    return ", ".join(letters)


def _times(n: int) -> str:
    return "never" if n == 0 else "once" if n == 1 else f"{n} times"


def _span(low: float, high: float) -> str:
    return f"{low:.2f}" if round(low, 2) == round(high, 2) else f"from {low:.2f} to {high:.2f}"


def _share(values: pd.Series, fmt: str = ".0%") -> str:
    return f"{values['mean']:{fmt}} (90% of pools {values['low']:{fmt}}–{values['high']:{fmt}})"


def split_sweep(sweep: SplitSweep, study: GrowthStudy, pool: CandidatePool) -> Finding:
    """Section 2: who is hired as the split moves, in one pool (exact break points) and over pools."""
    breaks = sweep.top_choice_breaks
    k = sweep.k
    leader = breaks["top"].iloc[0]
    if len(breaks) == 1:
        top = f"the same candidate ({leader}) is the top choice at every skill share"
    else:
        points = ", ".join(f"{b:.4f}" for b in sweep.break_points)
        top = (
            f"{leader} is the top choice from s = 0 to {breaks['s_to'].iloc[0]:.4f}, and the top choice "
            f"changes {_times(len(breaks) - 1)} (at s = {points})"
        )
    turnover, reference = study.turnover, study.parameters["reference_share"]
    over = ""
    if not turnover.empty and {0.0, 1.0} <= set(turnover.index):
        over = (
            f" **Over {study.parameters['n_pools']} simulated pools, the top {k} hired on traits alone keep "
            f"{_share(turnover.loc[0.0])} of the top {k} at an even split, and those hired on skills alone "
            f"{_share(turnover.loc[1.0])}.**"
        )
    changes = len(sweep.top_k_breaks) - 1
    moves = "The shortlist moves more than the top choice." if changes > len(breaks) - 1 else ""
    return Finding(
        f"In {pool_label(pool)}, {top}; the top-{k} set changes {_times(changes)} as s goes from 0 to 1, and "
        f"Kendall's tau of the whole ranking against s = {reference:g} is {sweep.summary['kendall_tau'].iloc[0]:.2f} "
        f"at s = 0 and {sweep.summary['kendall_tau'].iloc[-1]:.2f} at s = 1.{over} {moves}".rstrip()
    )


def quality_at_hire(scenarios: pd.DataFrame, *, default: dict[str, float]) -> Finding:
    """Section 3: where validity at hire peaks under each factor structure and validity (analytic)."""
    if scenarios.empty:
        return Finding("No combination of the assumptions given is possible, so there is nothing to report.")
    corner = scenarios["best_share"] >= 1.0
    negative = scenarios["trait_weight"] <= 0
    here = scenarios
    for key, value in default.items():
        here = here[np.isclose(here[key], value)]
    central = ""
    if len(here):
        row = here.iloc[0]
        central = (
            f" At the central values (mean intercorrelation {row['mean_intercorrelation']:.2f}, gap "
            f"{row['category_gap']:.2f}, validities {row['skill_validity']:.2f} and "
            f"{row['trait_validity']:.2f}) the skills and traits composites correlate "
            f"{row['composite_r']:.2f}, the traits' own weight is {row['trait_weight']:+.3f}, and the best "
            f"share is {row['best_share']:.2f}."
        )
    interior = scenarios[~corner]
    lowest = f"; elsewhere it falls as low as {interior['best_share'].min():.2f}" if len(interior) else ""
    return Finding(
        f"At the two ends the validities are the inputs (traits only: the trait validity; skills only: the skill "
        f"validity), so they are not a finding. **What the model decides is the shape in between: over the "
        f"{len(scenarios)} combinations tabulated, all skills is best at hire in {int(corner.sum())}, exactly "
        f"those where the traits' own criterion weight is {'not positive' if (corner == negative).all() else 'small'}"
        f" ({int(negative.sum())} of them), i.e. where traits add nothing beyond their overlap with skills{lowest}.**"
        f"{central} Whether traits add validity beyond skills is an assumption about the factor structure and the "
        f"trait validity, not something the expert lists tell us."
    )


def growth(study: GrowthStudy) -> Finding:
    """Section 4: hire now, grow later, under the central assumptions."""
    best, p = study.best, study.parameters
    horizons = best.index.to_numpy()
    later = horizons[-1]
    ceiling = "no ceiling" if p["ceiling"] is None else f"a ceiling at {p['ceiling']:g} SD"
    rating = (
        "hiring on the true standings"
        if p["reliability"] is None
        else f"single-rating reliability {p['reliability']:.2f}"
    )
    curves = study.curves["mean_performance"].unstack("months")
    grown = curves[later] - curves[0.0]
    return Finding(
        f"Under the central assumptions (mean intercorrelation {p['mean_intercorrelation']:.2f}, category gap "
        f"{p['category_gap']:.2f}, validities {p['skill_validity']:.2f} and {p['trait_validity']:.2f}, "
        f"{rating}, skills growing {p['skill_gain']:.1f} SD a year with spread {p['gain_cv']:.1f} x "
        f"the gain and learning correlating {p['learning_trait_correlation']:.1f} with traits, {ceiling}), over "
        f"{p['n_pools']} simulated pools: **the best skill share is {best['best_share'].iloc[0]:.2f} at hire "
        f"(hires' performance {best['mean_performance'].iloc[0]:.2f} SD, Monte Carlo SE "
        f"{best['se'].iloc[0]:.3f}) and {best['best_share'].iloc[-1]:.2f} after {later:g} months** (shares within "
        f"two Monte Carlo SEs of the best: {best['near_best_from'].iloc[-1]:.2f}–{best['near_best_to'].iloc[-1]:.2f};"
        f" the gain over the at-hire best: {best['gain_over_hire_best'].iloc[-1]:+.3f} SD, "
        f"SE {best['gain_se'].iloc[-1]:.3f}). The hires of a traits-only rubric gain "
        f"{'more' if grown.iloc[0] > grown.iloc[-1] else 'less'} ({grown.iloc[0]:+.2f} SD in {later:g} months "
        f"against {grown.iloc[-1]:+.2f} for skills-only hires) and start "
        f"{'behind' if curves[0.0].iloc[0] < curves[0.0].iloc[-1] else 'ahead'}. These are consequences of the "
        f"assumptions, which section 5 varies."
    )


def growth_grid(grid: pd.DataFrame) -> Finding:
    """Section 4b: the best share after growth over skill growth x trait validity."""
    table = grid.pivot(index="skill_gain", columns="trait_validity", values="best_share")
    at_hire = grid.drop_duplicates("trait_validity").set_index("trait_validity")["best_share_at_hire"]
    low_v, high_v = table.columns.min(), table.columns.max()
    months = grid["months"].iloc[0]
    return Finding(
        f"With the other assumptions at their central values, the best share after {months:g} months is "
        f"{_span(table[low_v].min(), table[low_v].max())} over the skill growths at a trait validity of "
        f"{low_v:.2f}, and {_span(table[high_v].min(), table[high_v].max())} at {high_v:.2f}; at hire it is "
        f"{at_hire.loc[low_v]:.2f} and {at_hire.loc[high_v]:.2f}. Both axes matter, but only two of the "
        f"assumptions are on this grid: section 5 varies all of them at once."
    )


def assumptions(study: AssumptionStudy, table: pd.DataFrame) -> Finding:
    """Section 5: the global sensitivity analysis, stated as conditional on assumptions A-I."""
    letters = study.letters
    names = ", ".join(f"{letters[a]} ({a.replace('_', ' ')} {lo:g}–{hi:g})" for a, (lo, hi) in study.ranges.items())
    outcomes = study.outcomes
    months = study.parameters["months"]
    at_hire = (outcomes["advantage_at_hire"] > 0).mean()
    later = (outcomes["advantage_later"] > 0).mean()
    flips = study.flips.dropna(subset=["ks"])
    decisive = flips[flips["p_value"] < 0.05]
    decisive = sort_frame(decisive, "ks", ascending=False)
    if len(decisive):
        who = ", ".join(
            f"{letters[a]} ({a.replace('_', ' ')}: skill-leaning better in {row['holds_low']:.0%} of "
            f"the sets in the lower third of its range, {row['holds_high']:.0%} in the upper)"
            for a, row in decisive.iterrows()
        )
        flip = f"The sign flips with {who}."
    else:
        flip = "No single assumption separates the sets where the sign flips (Kolmogorov-Smirnov p >= .05)."
    moves = study.importance["best_share_later"].dropna()
    strongest = sort_series(moves.abs(), ascending=False).index[:3]
    strong = ", ".join(f"{letters[a]} ({moves[a]:+.2f})" for a in strongest)
    return Finding(
        f"**Under assumptions {_letters(study)} varied together over the ranges "
        f"listed** ({names}; {len(outcomes)} sets of assumptions, each on the same "
        f"{study.parameters['n_pools']} simulated pools): a skill-leaning rubric (s = .75) hires better performers "
        f"than a trait-leaning one (s = .25) in {at_hire:.0%} of the sets at hire and {later:.0%} after "
        f"{months:g} months. {flip} The best share after {months:g} months moves most with {strong} (partial "
        f"rank correlations). Outside these ranges, or with a different growth model, the answer can differ; "
        f"the ranges themselves are assumptions (table above)."
    )


def summary(scenarios: pd.DataFrame, gsa: AssumptionStudy) -> Finding:
    """The notebook's findings in three bullets, every one conditional on its assumptions."""
    later = (gsa.outcomes["advantage_later"] > 0).mean()
    at_hire = (gsa.outcomes["advantage_at_hire"] > 0).mean()
    corner = scenarios["best_share"] >= 1.0
    negative = scenarios["trait_weight"] <= 0
    hire = (
        "all skills is best exactly where traits add nothing beyond their overlap with skills"
        if (corner == negative).all()
        else f"all skills is best in {int(corner.sum())} of the {len(scenarios)} combinations tabulated"
    )
    moves = gsa.importance["advantage_later"].dropna()
    top = sort_series(moves.abs(), ascending=False).index[:2]
    drivers = " and ".join(f"{gsa.letters[a]} ({a.replace('_', ' ')})" for a in top)
    return bullets(
        [
            f"Which split is best at hire follows from the assumed factor structure and trait validity: {hire} "
            "(section 3).",
            f"Under assumptions {_letters(gsa)} (section 5), leaning the rubric towards skills beats leaning it "
            f"towards traits in {at_hire:.0%} of the assumption sets at hire and {later:.0%} after "
            f"{gsa.parameters['months']:g} months; the advantage after {gsa.parameters['months']:g} months moves most "
            f"with {drivers}.",
            "Every number in sections 2-5 describes simulated pools under stated assumptions, not social media "
            "managers; a researcher with a view on the assumptions sets them in the parameters cell and reruns.",
        ]
    )
