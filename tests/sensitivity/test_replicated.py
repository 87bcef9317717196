"""Tests of smmrubric.sensitivity.replicated: the weight-sensitivity questions over many pools."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmrubric import Rubric, simulate
from smmrubric.replicate import spawn
from smmrubric.sensitivity import replicated_study, smaa, uniform_weights

VOCABULARY = pd.DataFrame({"name": [], "category": []}, index=pd.Index([], name="competency_id"))


def _rubric(weights, name="r"):
    cats = ["skill", "skill", "skill", "trait", "trait"]
    return Rubric(
        [
            {"id": f"c{i}", "name": f"C{i}", "category": c, "weight": w}
            for i, (c, w) in enumerate(zip(cats, weights, strict=True))
            if w > 0
        ],
        name=name,
        vocabulary=VOCABULARY,
    )


RUBRIC = _rubric([3, 2, 1, 1, 2], "consensus")
EXPERTS = {"one": _rubric([1, 0, 0, 1, 0], "one"), "two": _rubric([0, 1, 1, 0, 1], "two")}


@pytest.mark.slow
def test_statistics_are_shares_and_hiring_is_paired():
    study = replicated_study(RUBRIC, EXPERTS, seed=3, n_pools=12, n=40, k=5, draws=50)
    shares = [c for c in study.per_pool.columns if not c.startswith("performance_")]
    assert ((study.per_pool[shares] >= 0) & (study.per_pool[shares] <= 1)).all().all()
    assert study.hiring.loc["consensus", "difference"] == pytest.approx(0.0)
    # the best possible shortlist bounds every hiring choice, pool by pool
    perf = study.per_pool.filter(like="performance_")
    assert (perf.le(perf["performance_oracle"], axis=0)).all().all()
    assert list(study.table("experts").index) == [
        "expert_overlap_mean",
        "expert_overlap_min",
        "expert_overlap_max",
        "expert_pair_overlap_mean",
    ]
    again = replicated_study(RUBRIC, EXPERTS, seed=3, n_pools=12, n=40, k=5, draws=50, n_jobs=2)
    pd.testing.assert_frame_equal(again.per_pool, study.per_pool)


def test_pools_are_the_dataframe_simulation_and_leader_share_matches_smaa():
    """Pool 0 is simulate.candidates + simulate.ratings drawn from the study's first spawned generator; its
    winner's first-rank share from 4,000 uniform draws agrees with SMAA-2 on the same scores within Monte Carlo
    error (the study uses the generator's next draws, SMAA its own)."""
    study = replicated_study(RUBRIC, EXPERTS, seed=8, n_pools=2, n=30, k=3, draws=4000)
    (g,) = spawn(8, 1)
    z = simulate.candidates(RUBRIC, 30, seed=g)
    long = simulate.ratings(z, RUBRIC, seed=g, raters=3)
    scores = long.pivot_table(index="candidate_id", columns="competency_id", values="score")[RUBRIC.competency_ids]
    result = smaa(scores, uniform_weights(RUBRIC.competency_ids), 20_000, seed=1, progress=False)
    leader = result.first_rank.max()
    se = np.sqrt(leader * (1 - leader) / 4000) + np.sqrt(leader * (1 - leader) / 20_000)
    assert study.per_pool.loc[0, "uniform_leader_first"] == pytest.approx(leader, abs=4 * se)


def test_more_reliable_ratings_hire_better_on_average():
    study = replicated_study(RUBRIC, EXPERTS, seed=5, n_pools=60, n=60, k=6, draws=20)
    h = study.hiring
    assert h.loc["consensus_improved", "difference"] > 0 and h.loc["consensus_true", "difference"] > 0
    assert h.loc["oracle", "mean"] >= h["mean"].max() - 1e-12
