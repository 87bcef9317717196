import pandas as pd
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.inputs import candidate_pool, load_rubric
from smmrubric.rubric import Rubric


@pytest.fixture
def rubric():
    return Rubric.equal(["copywriting", "analytics", "curiosity", "adaptability"])


def test_simulated_pool_is_labelled_and_reproducible(rubric):
    a = candidate_pool(rubric, seed=4, n=30, raters=2)
    b = candidate_pool(rubric, seed=4, n=30, raters=2)
    assert a.simulated and a.source == "simulate"
    assert a.scores.shape == (30, 4) and list(a.scores.columns) == rubric.competency_ids
    assert a.true_scores.shape == (30, 4) and len(a.performance) == 30
    assert (a.n_raters == 2).all().all()
    pd.testing.assert_frame_equal(a.scores, b.scores)
    assert not a.scores.equals(candidate_pool(rubric, seed=5, n=30, raters=2).scores)
    lo, hi = rubric.scale.min, rubric.scale.max
    assert a.scores.to_numpy().min() >= lo and a.scores.to_numpy().max() <= hi


def test_scores_are_the_mean_over_raters(rubric):
    pool = candidate_pool(rubric, seed=1, n=10, raters=3)
    expected = pool.ratings.groupby(["candidate_id", "competency_id"])["score"].mean().unstack()
    pd.testing.assert_frame_equal(pool.scores, expected.loc[pool.scores.index, pool.scores.columns], check_names=False)


def test_a_ratings_file_flows_through_the_same_path(rubric, tmp_path):
    simulated = candidate_pool(rubric, seed=2, n=8)
    path = tmp_path / "mine.csv"
    simulated.ratings.to_csv(path, index=False)
    mine = candidate_pool(rubric, ratings_file=path, seed=0)
    assert not mine.simulated and mine.true_scores is None and mine.performance is None
    assert mine.source == str(path)
    pd.testing.assert_frame_equal(mine.scores, simulated.scores, check_dtype=False)


def test_bad_inputs(rubric, tmp_path):
    with pytest.raises(SmmrubricError, match="smmrubric.Rubric"):
        candidate_pool("consensus.yaml", seed=1)
    with pytest.raises(SmmrubricError, match="no such file|does not exist"):
        candidate_pool(rubric, ratings_file=tmp_path / "none.csv", seed=1)
    with pytest.raises(SmmrubricError, match="field 'n'"):
        candidate_pool(rubric, seed=1, n=1)
    with pytest.raises(SmmrubricError, match="seed"):
        candidate_pool(rubric, seed=None)


def test_load_rubric_defaults_to_the_consensus(tmp_path):
    rubric = load_rubric()
    assert isinstance(rubric, Rubric) and len(rubric.competency_ids) >= 20
    with pytest.raises(SmmrubricError, match="none.yaml"):
        load_rubric(tmp_path / "none.yaml")


@pytest.mark.parametrize("ids", [["copywriting", "analytics"], ["curiosity", "passion"]])
def test_a_one_category_rubric_can_be_simulated(ids):
    pool = candidate_pool(Rubric.equal(ids), seed=3, n=400)
    composite = pool.true_scores.mean(axis=1)
    r = composite.corr(pool.performance)
    assert 0.2 < r < 0.6 if ids[0] == "copywriting" else 0.0 < r < 0.4


def test_study_loads_every_input_and_draws_the_pool_once():
    from smmrubric.inputs import DEFAULT_SEED, study

    s = study()
    assert s.seed == DEFAULT_SEED and s.published
    assert len(s.lists) == 81 and len(s.competencies) == 30 and len(s.experts) == 13
    assert s.pool is s.pool  # drawn on first use, then kept
    assert "200 candidates (simulated, seed 20261121)" in s.describe()
    assert "candidates" not in s.describe(candidates=False)
    fr = study(rubric_file="data/rubrics/buffer_2017.yaml", ratings_file="data/examples/ratings_example_fr.csv")
    assert "note: " in fr.describe() and "decimal comma" in fr.describe()


def test_study_refuses_a_bad_seed():
    from smmrubric.inputs import study

    with pytest.raises(SmmrubricError, match="seed"):
        study(seed=-1)


def test_notebook_parameters_resolve_from_the_project_root(monkeypatch):
    """A kernel runs in notebooks/; paths written from the project root still work (issue 12)."""
    from smmrubric.paths import project_root

    root = project_root()
    monkeypatch.chdir(root / "notebooks")
    rubric = load_rubric("data/rubrics/buffer_2017.yaml")
    pool = candidate_pool(rubric, ratings_file="data/examples/ratings_example_fr.csv", seed=0)
    assert pool.source == str((root / "data/examples/ratings_example_fr.csv").resolve())
    assert pool.scores.shape == (12, len(rubric)) and list(pool.scores.columns) == rubric.competency_ids
    assert len(pool.notes) == 3  # kept, not printed: Study.describe shows them
    assert "decimal comma" in pool.notes[1] and "not in the rubric 'Buffer (2017)'" in pool.notes[2]
