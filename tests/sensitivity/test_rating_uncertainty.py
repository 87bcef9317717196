"""Rank intervals from a bootstrap over raters and rating noise from a G study, against brute-force definitions."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from smmrubric import reliability as rel
from smmrubric import score
from smmrubric.errors import SmmrubricError
from smmrubric.inputs import load_rubric
from smmrubric.paths import data_file
from smmrubric.ranking import TIE_TOLERANCE
from smmrubric.ratings import read_ratings
from smmrubric.sensitivity import bootstrap_ranks, competition_rank_rows, g_study_noise, rater_resampler
from smmrubric.sensitivity.rating_uncertainty import _fraction, _quantile_ranks
from smmrubric.sensitivity.samplers import rater_bootstrap


def _long(rows):
    return pd.DataFrame(rows, columns=["candidate_id", "rater_id", "competency_id", "score"])


def _panel(rng, n=6, raters=("r1", "r2", "r3"), comps=("a", "b", "c")):
    return _long([(f"p{p}", r, i, float(rng.integers(1, 6))) for p in range(n) for r in raters for i in comps])


def _brute_ranks(values):
    """1 + the number of values clearly greater (beyond the tie tolerance), row by row, in plain Python."""
    out = []
    for row in values:
        tol = TIE_TOLERANCE * max(1.0, max(abs(v) for v in row))
        out.append([1 + sum(other > v + tol for other in row) for v in row])
    return np.array(out)


def test_competition_ranks_of_rows_match_brute_force(rng):
    values = rng.integers(0, 4, size=(50, 7)).astype(float) / 3  # many ties, values with rounding noise
    values[:, 0] = values[:, 1] + 1e-15  # ties within the tolerance
    assert np.array_equal(competition_rank_rows(values), _brute_ranks(values))
    assert competition_rank_rows(np.array([[3.0, 5.0, 3.0, 1.0]])).tolist() == [[2, 1, 2, 4]]


def test_panel_resampling_uses_the_same_raters_for_every_candidate(rng):
    table = _panel(rng)
    sampler = rater_resampler(table)
    assert sampler.kind == "panel_bootstrap" and sampler.distinct_resamples == 10
    draws = sampler.sample(40, 7)
    picks = np.random.default_rng(7).integers(0, 3, size=(40, 3))  # the draws the sampler makes
    cube = table.pivot_table(index=["candidate_id", "rater_id"], columns="competency_id", values="score")
    for s in range(40):
        chosen = [f"r{j + 1}" for j in picks[s]]
        for p, cand in enumerate(sampler.candidate_ids):
            expected = np.mean([cube.loc[(cand, r)].to_numpy() for r in chosen], axis=0)
            assert draws[s, p] == pytest.approx(expected)
    distinct = {tuple(np.round(d.ravel(), 9)) for d in sampler.sample(2000, 1)}
    assert len(distinct) == math.comb(5, 3)  # every multiset of 3 raters, and no more


def test_panel_resampling_skips_a_missing_rating_and_falls_back_to_the_mean():
    table = _long(
        [
            ("p1", "r1", "a", 1.0),
            ("p1", "r2", "a", 3.0),
            ("p2", "r1", "a", 2.0),
            ("p2", "r2", "a", 4.0),
            ("p1", "r1", "b", 5.0),
            ("p2", "r1", "b", 2.0),
            ("p2", "r2", "b", 2.0),
        ]
    )  # r2 skipped p1 on b
    sampler = rater_resampler(table, design="panel")
    draws = sampler.sample(200, 3)
    assert np.unique(draws[:, 0, 1]).tolist() == pytest.approx([5.0])  # p1 on b: r1's rating whichever raters are drawn
    assert np.isin(np.round(np.unique(draws[:, 0, 0]), 9), [1, 2, 3]).all()


def test_separate_interviews_resample_each_candidates_raters(rng):
    table = _long(
        [(f"p{p}", f"r{p}{j}", i, float(rng.integers(1, 6))) for p in range(4) for j in range(3) for i in "ab"]
    )
    sampler = rater_resampler(table)
    assert sampler.kind == "rater_bootstrap"
    reference = rater_bootstrap(table.sort_values(["candidate_id", "rater_id", "competency_id"]))
    assert np.array_equal(sampler.sample(30, 5), reference.sample(30, 5))


def test_bootstrap_rank_intervals_are_the_quantiles_of_the_resampled_ranks(rng):
    table = _panel(rng, n=7)
    weights = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
    result = bootstrap_ranks(table, weights, n_draws=999, seed=11, confidence=0.9)
    # brute force: the same resamples (one chunk, one generator), totals, ranks and quantiles by numpy
    draws = rater_resampler(table).sample(999, np.random.default_rng(11))
    sampler = rater_resampler(table)
    totals = draws @ weights[sampler.competency_ids].to_numpy()
    ranks = _brute_ranks(totals)
    for p, cand in enumerate(sampler.candidate_ids):
        row = result.table.loc[cand]
        assert row["lower"] == np.quantile(ranks[:, p], 0.05, method="inverted_cdf")
        assert row["upper"] == np.quantile(ranks[:, p], 0.95, method="inverted_cdf")
        assert row["median"] == np.quantile(ranks[:, p], 0.5, method="inverted_cdf")
        assert row["mean_rank"] == pytest.approx(ranks[:, p].mean())
        assert result.rank_counts.loc[cand].tolist() == np.bincount(ranks[:, p], minlength=8)[1:].tolist()
        assert result.top_k(3)[cand] == pytest.approx((ranks[:, p] <= 3).mean())
    assert (result.rank_counts.sum(axis=1) == 999).all() and result.resampling == "panel"


def test_quantiles_at_an_exact_boundary_use_the_decimal_level():
    # 1 draw of 40 at rank 1: the 2.5% quantile is rank 1 (C_1 = 1 >= 0.025 * 40). In floating point
    # (1 - 0.95) / 2 * 40 = 1.0000000000000009, which would wrongly give rank 2.
    assert (1 - 0.95) / 2 * 40 > 1
    low = (1 - _fraction(0.95)) / 2
    assert low == Fraction(1, 40)
    assert _quantile_ranks(np.array([[1, 40], [0, 40]]), 40, low).tolist() == [1, 2]
    assert _quantile_ranks(np.array([[20, 40]]), 40, Fraction(1, 2)).tolist() == [1]


def test_example_point_ranks_are_smmrubric_rank(tmp_path):
    rubric = load_rubric()
    table = read_ratings(data_file("examples/ratings_example.csv"), rubric)
    result = bootstrap_ranks(table, rubric, n_draws=200, seed=1)
    ranked = score(rubric, table.frame)
    assert result.table["rank"].to_dict() == ranked["rank"].astype(int).to_dict()
    assert result.table["total"].to_numpy() == pytest.approx(ranked.loc[result.table.index, "total"].to_numpy())
    assert list(result.table.index[:3]) == ["C0001", "C0003", "C0011"]  # ties by id, as smmrubric rank shows them
    assert result.distinct_resamples == 10 and (result.table["lower"] <= result.table["upper"]).all()


def test_one_rater_per_candidate_gives_single_ranks():
    table = _long([(f"p{p}", f"r{p}", "a", float(p + 1)) for p in range(4)])
    result = bootstrap_ranks(table, pd.Series({"a": 1.0}), n_draws=50, seed=0)
    assert (result.table["lower"] == result.table["upper"]).all()
    assert result.table["rank"].tolist() == [1, 2, 3, 4] and result.resampling == "candidate"


def test_bootstrap_refuses_bad_inputs(rng):
    table = _panel(rng)
    with pytest.raises(SmmrubricError, match="weight for a competency the scores do not have"):
        bootstrap_ranks(table, pd.Series({"a": 1.0, "zzz": 1.0}), n_draws=10, seed=0)
    with pytest.raises(SmmrubricError, match="design"):
        bootstrap_ranks(table, pd.Series({"a": 1.0}), n_draws=10, seed=0, design="both")
    with pytest.raises(SmmrubricError, match="confidence"):
        bootstrap_ranks(table, pd.Series({"a": 1.0}), n_draws=10, seed=0, confidence=1.0)
    with pytest.raises(SmmrubricError, match="no rating of the weighted"):
        bootstrap_ranks(table, pd.Series({"zzz": 1.0}), n_draws=10, seed=0)


def _g(design, components, sizes=(10, 3, 4)):
    labels = rel.CROSSED_COMPONENTS if design == "crossed" else rel.NESTED_COMPONENTS
    v = np.array([components.get(c, 0.0) for c in labels])
    frame = pd.DataFrame(
        {"variance": v, "estimate": v, "negative": False, "share": v / v.sum()},
        index=pd.Index(labels, name="component"),
    )
    return rel.GStudy(
        design, frame, frame, dict(zip("pri", sizes, strict=True)), pd.Index([]), pd.Index([]), np.empty((0, 0))
    )


@pytest.mark.parametrize(("design", "shared", "own"), [("crossed", "pr", "pri,e"), ("nested", "r:p", "ri:p,e")])
def test_g_study_noise_has_the_relative_error_covariance(design, shared, own):
    g = _g(
        design,
        {"p": 0.5, shared: 0.3, own: 0.6, "r": 0.2, "ri": 0.1, "r:p": 0.3}
        if design == "crossed"
        else {"p": 0.5, shared: 0.3, own: 0.6},
    )
    scores = pd.DataFrame([[3.0, 2.0, 4.0], [1.0, 5.0, 2.0]], index=["x", "y"], columns=["a", "b", "c"])
    counts = pd.DataFrame([[3, 3, 2], [2, 2, 2]], index=["x", "y"], columns=["a", "b", "c"])
    draws = g_study_noise(scores, g, raters=counts).sample(200_000, 4)
    errors = draws - scores.to_numpy()
    cov_x = np.cov(errors[:, 0, :].T)
    # Brennan (2001): shared part s2(pr) / n_p (n_p = 3 raters), own part s2(pri,e) / n_pi
    expected = 0.3 / 3 + np.diag(0.6 / np.array([3, 3, 2]))
    assert cov_x == pytest.approx(expected, abs=0.01)
    assert np.cov(errors[:, 1, :].T) == pytest.approx(0.3 / 2 + np.diag([0.3, 0.3, 0.3]), abs=0.01)
    assert abs(np.corrcoef(errors[:, 0, 0], errors[:, 1, 0])[0, 1]) < 0.01  # candidates independent
    assert errors.mean(axis=0) == pytest.approx(0, abs=0.01)


def test_g_study_noise_composite_error_is_the_d_study_relative_error():
    table = read_ratings(data_file("examples/ratings_example.csv")).frame
    g = rel.g_study(table)
    mean = table.pivot_table(index="candidate_id", columns="competency_id", values="score", observed=True)
    draws = g_study_noise(mean, g).sample(100_000, 9)
    composite = (draws - mean.to_numpy()).mean(axis=2)
    expected = rel.d_study(g, raters=[3], fixed_competencies=True)["relative_error"].iloc[0]
    assert composite.var(axis=0) == pytest.approx(np.full(12, expected), rel=0.03)


def test_g_study_noise_refuses_bad_inputs():
    scores = pd.DataFrame([[3.0]], index=["x"], columns=["a"])
    with pytest.raises(SmmrubricError, match="GStudy"):
        g_study_noise(scores, "not a g study")
    g = _g("crossed", {"p": 1.0, "pr": 1.0, "pri,e": 1.0})
    with pytest.raises(SmmrubricError, match="raters"):
        g_study_noise(scores, g, raters=0)
    with pytest.raises(SmmrubricError, match="every candidate and competency"):
        g_study_noise(scores, g, raters=pd.DataFrame([[2]], index=["other"], columns=["a"]))
