"""The findings of notebooks 02 and 03 say what their numbers support, on any data (not only the published)."""

from __future__ import annotations

import pandas as pd

from smmrubric.findings import sensitivity as found02
from smmrubric.findings import split as found03
from smmrubric.inputs import candidate_pool
from smmrubric.sensitivity import cut_gaps, replicated_study
from smmrubric.split import hire_and_grow, split_sweep

from ..sensitivity.test_replicated import EXPERTS, RUBRIC


def test_expert_finding_without_experts_is_a_neutral_note():
    study = replicated_study(RUBRIC, EXPERTS, seed=1, n_pools=4, n=20, k=3, draws=10)
    pool = candidate_pool(RUBRIC, seed=1, n=20)
    matrix = pd.DataFrame([[1.0]], index=["Consensus"], columns=["Consensus"])
    text = found02.expert_shortlists(matrix, pd.DataFrame({"kendall_tau": []}), study, pool, k=3).text
    assert text.startswith("No expert rubric")


def test_sweep_and_growth_wording_follows_the_numbers():
    pool = candidate_pool(RUBRIC, seed=2, n=30)
    sweep = split_sweep(pool.scores, RUBRIC, k=3)
    growth = hire_and_grow(RUBRIC, seed=2, n=30, k=3, n_pools=6, progress=False)
    text = found03.split_sweep(sweep, growth, pool).text
    changes = len(sweep.top_k_breaks) - 1
    assert ("once" in text) == (changes == 1 or len(sweep.top_choice_breaks) == 2)
    assert ("moves more than the top choice" in text) == (changes > len(sweep.top_choice_breaks) - 1)
    text = found03.growth(growth).text
    grown = growth.curves["mean_performance"].unstack("months")
    more = (grown[24.0] - grown[0.0]).iloc[0] > (grown[24.0] - grown[0.0]).iloc[-1]
    assert ("traits-only rubric gain more" in text) == more


def test_cut_reading_depends_on_how_many_are_within_rating_error():
    pool = candidate_pool(RUBRIC, seed=3, n=25)
    gaps = cut_gaps(pool.ratings, RUBRIC, 5, seed=3, n_boot=200)
    near = int(((gaps["z"].abs() < 2) & gaps["shortlisted"]).sum())
    from smmrubric.sensitivity import changes_to_first, critical_competencies, stability_intervals

    text = found02.critical_weights(
        stability_intervals(pool.scores, RUBRIC, scope="top_k", k=5),
        stability_intervals(pool.scores, RUBRIC, scope="top"),
        critical_competencies(pool.scores, RUBRIC),
        changes_to_first(pool.scores, RUBRIC, [2]),
        gaps,
        pool,
        k=5,
    ).text
    assert f"**{near} of the top 5" in text
    assert ("cannot tell apart" in text) == (2 * near >= 5)
