"""Notebook 05's analyses: each run where the design allows it, else a stated reason; the example file's source."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from smmrubric import ratings_study, simulate
from smmrubric import reliability as rel
from smmrubric import sensitivity as sens
from smmrubric.errors import SmmrubricError
from smmrubric.inputs import load_rubric
from smmrubric.paths import data_file, project_root
from smmrubric.ratings import read_ratings


@pytest.fixture(scope="module")
def rubric():
    return load_rubric()


@pytest.fixture(scope="module")
def example(rubric):
    return read_ratings(data_file("examples/ratings_example.csv"), rubric).frame


def _simulated(rubric, *, n=15, raters=3, rater_pool=None, seed=3):
    true = simulate.candidates(rubric, n, seed=seed)
    return simulate.ratings(true, rubric, seed=seed, raters=raters, rater_pool=rater_pool)


def test_simulate_means_the_bundled_example():
    assert ratings_study.ratings_source("simulate") == data_file("examples/ratings_example.csv")
    assert ratings_study.ratings_source("mine.csv") == "mine.csv"


def test_one_stage_is_analysed(rubric, example):
    pool = SimpleNamespace(ratings=example, scores="pool scores", n_raters="pool counts")
    same = ratings_study.observed(pool, rubric)
    assert same.ratings is example and same.scores == "pool scores" and same.stage is None and same.note == ""
    screening = example[example["rater_id"] != "R03"].assign(stage="screening")
    both = pd.concat([screening, example.assign(stage="interview")], ignore_index=True)
    pool = SimpleNamespace(ratings=both, scores=None, n_raters=None)
    chosen = ratings_study.observed(pool, rubric)
    assert chosen.stage == "interview" and len(chosen.ratings) == 1080
    assert "2 assessment stages (screening, interview)" in chosen.note and "'interview'" in chosen.note
    expected = example.groupby(["candidate_id", "competency_id"], observed=True)["score"].mean().unstack()
    expected = expected.loc[chosen.scores.index, chosen.scores.columns]
    assert chosen.scores.to_numpy() == pytest.approx(expected.to_numpy())
    assert (chosen.n_raters.to_numpy() == 3).all()
    picked = ratings_study.observed(pool, rubric, stage="screening")
    assert picked.note == "" and (picked.n_raters.to_numpy() == 2).all()
    with pytest.raises(SmmrubricError, match="no ratings at stage 'final'"):
        ratings_study.observed(pool, rubric, stage="final")


def test_paths_are_shown_from_the_project_root():
    root = project_root()
    assert ratings_study.display_path(root / "data" / "examples" / "x.csv") == "data/examples/x.csv"
    assert ratings_study.display_path("/elsewhere/x.csv") == "/elsewhere/x.csv"
    assert ratings_study.display_path("relative/x.csv") == "relative/x.csv"


def test_a_panel_gets_every_analysis(example):
    study = ratings_study.reliability_study(example)
    assert study.notes == {} and study.design.kind == "crossed"
    pd.testing.assert_frame_equal(study.icc, rel.icc(example))
    assert study.g.components.equals(rel.g_study(example).components)
    assert study.components.equals(study.g.components)
    fixed = rel.d_study(study.g, raters=list(study.d.index), fixed_competencies=True)
    assert study.d[("fixed", "g")].to_numpy() == pytest.approx(fixed["g"].to_numpy())
    assert study.d[("random", "phi")].to_numpy() == pytest.approx(
        rel.d_study(study.g, raters=list(study.d.index))["phi"].to_numpy()
    )
    assert (
        study.needed.loc[("fixed", "g"), "raters"]
        == rel.raters_needed(study.g, fixed_competencies=True).loc["g", "raters"]
    )
    assert {1, 2, 3, 4, 5, 10} <= set(study.d.index)
    pd.testing.assert_frame_equal(study.severity, rel.rater_severity(example))
    pd.testing.assert_frame_equal(study.alpha, rel.krippendorff_alpha(example))
    assert list(study.overall_icc().index) == list(rel.ICC_FORMS)
    assert len(study.icc_by_competency()) == 30


def test_one_rater_per_candidate_gives_reasons_not_errors(rubric):
    single = _simulated(rubric, raters=1, rater_pool=5)
    study = ratings_study.reliability_study(single)
    assert study.design.kind == "single rater"
    assert study.icc.empty and study.g is None and study.d.empty and study.severity.empty
    assert "2 raters" in study.notes["icc"] and "2 raters" in study.notes["g"]
    assert "2 raters or more" in study.notes["severity"]
    assert study.overall_icc().empty and study.icc_by_competency().empty and study.components.empty


def test_separate_interviews_are_nested(rubric):
    nested = _simulated(rubric, raters=2, rater_pool=40)
    study = ratings_study.reliability_study(nested)
    assert study.design.kind == "nested" and study.g.design == "nested"
    assert study.overall_icc().loc["ICC(2,1)", "icc"] != study.overall_icc().loc["ICC(2,1)", "icc"]  # NaN
    assert list(study.icc_by_competency("ICC(2,1)").columns[:1]) == ["icc"]
    assert study.icc_by_competency("ICC(2,1)")["icc"].notna().all()  # the one-way form, the nested design's own
    assert ("fixed", "g") in study.d.columns


def test_one_competency_has_no_g_study(rubric):
    one = _simulated(rubric)
    one = one[one["competency_id"] == "analytics"]
    study = ratings_study.reliability_study(one)
    assert study.g is None and "at least 2 competencies" in study.notes["g"]
    assert not study.icc.empty and not study.alpha.empty


def test_unbalanced_ratings_use_the_balanced_part_with_a_note(example):
    drop = (example["candidate_id"] == "C0002") & (example["rater_id"] == "R03")
    study = ratings_study.reliability_study(example[~drop])
    assert study.design.kind == "unbalanced"
    assert study.g.sizes == {"p": 11, "r": 3, "i": 30}
    assert "left out" in study.notes["g"] and "C0002" in study.notes["g"] and "left out" in study.notes["icc"]


def test_rating_noise_from_the_g_study_or_a_bootstrap(rubric, example):
    scores = example.pivot_table(index="candidate_id", columns="competency_id", values="score", observed=True)
    scores = scores.iloc[::-1, ::-1]  # any order: the sampler follows the score table's
    study = ratings_study.reliability_study(example)
    noise, how = ratings_study.rating_noise(scores, example, study)
    assert noise.kind == "g_study_noise" and "s2(pr)" in how
    assert list(noise.candidate_ids) == list(scores.index)
    bare = ratings_study.ReliabilityStudy(
        study.design, study.icc, None, study.d, study.needed, study.severity, study.alpha, 0.8
    )
    draws, how = ratings_study.rating_noise(scores, example, bare)
    assert draws.kind == "panel_bootstrap" and "bootstrap over raters" in how
    sample = draws.sample(50, 1)
    assert sample.shape == (50, 12, 30)
    assert sample.mean(axis=0) == pytest.approx(scores.to_numpy(), abs=0.6)
    direct = sens.rater_resampler(example).sample(50, 1)
    rows = [sorted(scores.index).index(c) for c in scores.index]
    cols = [sorted(scores.columns).index(c) for c in scores.columns]
    assert np.array_equal(sample, direct[:, rows][:, :, cols])


def test_what_if_uses_the_estimated_parameters(rubric, example):
    study = ratings_study.reliability_study(example)
    recovery, note = ratings_study.what_if(rubric, study, k=3, n=20, n_pools=4, seed=2)
    params = rel.simulation_parameters(study.g)
    assert note == "" and list(recovery.reliabilities.index) == [
        "your raters",
        "separate interviews",
        "panel interviews",
    ]
    assert recovery.reliabilities.tolist() == pytest.approx([params["reliability"], 0.44, 0.74])
    expected = sens.shortlist_recovery(
        rubric,
        recovery.reliabilities.to_dict(),
        n=20,
        k=3,
        n_pools=4,
        seed=2,
        raters=3,
        leniency_share=params["leniency_share"],
        halo_share=params["halo_share"],
        mean_intercorrelation=params["mean_intercorrelation"],
    )
    assert recovery.overlaps.equals(expected.overlaps)


def test_what_if_without_a_g_study_or_with_a_large_shortlist(rubric, example):
    study = ratings_study.reliability_study(example)
    bare = ratings_study.ReliabilityStudy(
        study.design, study.icc, None, study.d, study.needed, study.severity, study.alpha, 0.8
    )
    recovery, note = ratings_study.what_if(rubric, bare, k=12, n=10, n_pools=2, seed=2)
    assert "No G study" in note and "pools of 24" in note
    assert recovery.n == 24 and list(recovery.reliabilities.index) == ["separate interviews", "panel interviews"]


def test_ranking_table_joins_intervals_and_smaa(rubric, example):
    intervals = sens.bootstrap_ranks(example, rubric, n_draws=100, seed=1)
    scores = example.pivot_table(index="candidate_id", columns="competency_id", values="score", observed=True)
    result = sens.smaa(
        scores[rubric.competency_ids], sens.local_weights(rubric.weights, 100), 200, seed=1, progress=False
    )
    table = ratings_study.ranking_table(intervals, result, 5)
    assert list(table.index) == list(intervals.table.index)
    assert table["top_5"].to_dict() == pytest.approx(result.top_k(5).to_dict())
    assert "top_12" not in ratings_study.ranking_table(intervals, result, 12).columns
