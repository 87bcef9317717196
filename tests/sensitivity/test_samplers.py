"""Weight and score samplers: distributions, bounds, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from smmrubric.errors import SmmrubricError
from smmrubric.rubric import roc_weights
from smmrubric.sensitivity import (
    local_weights,
    normal_score_noise,
    ordinal_weights,
    rater_bootstrap,
    uniform_weights,
)

IDS = ["a", "b", "c", "d"]


def test_uniform_is_dirichlet_one():
    w = uniform_weights(IDS).sample(20_000, seed=3)
    assert w.shape == (20_000, 4)
    assert np.allclose(w.sum(axis=1), 1) and (w >= 0).all()
    # each marginal of Dirichlet(1,...,1) in m = 4 dimensions is Beta(1, 3)
    for j in range(4):
        assert stats.kstest(w[:, j], stats.beta(1, 3).cdf).pvalue > 1e-3


def test_normalised_uniforms_fail_the_same_check():
    # the check above can fail: u / sum(u) is not uniform on the simplex
    u = np.random.default_rng(3).random((20_000, 4))
    w = u / u.sum(axis=1, keepdims=True)
    assert stats.kstest(w[:, 0], stats.beta(1, 3).cdf).pvalue < 1e-6


def test_same_seed_same_draws_and_chunks_cover_n():
    s = uniform_weights(IDS)
    assert np.array_equal(s.sample(50, seed=1), s.sample(50, seed=1))
    parts = list(s.chunks(105, seed=1, chunk_size=20))
    assert [len(p) for p in parts] == [20, 20, 20, 20, 20, 5]
    assert list(s.draw(3, seed=1).columns) == IDS


def test_local_mean_and_variance():
    base = pd.Series([0.4, 0.3, 0.2, 0.1], index=IDS)
    c = 50.0
    w = local_weights(base, c).sample(40_000, seed=5)
    se = np.sqrt(base * (1 - base) / (c + 1) / 40_000)
    assert np.all(np.abs(w.mean(axis=0) - base.to_numpy()) < 4.5 * se.to_numpy())
    var = base.to_numpy() * (1 - base.to_numpy()) / (c + 1)
    assert np.allclose(w.var(axis=0), var, rtol=0.05)


def test_local_zero_base_weight_stays_zero():
    base = pd.Series([0.5, 0.5, 0.0, 0.0], index=IDS)
    s = local_weights(base, 10)
    w = s.sample(100, seed=1)
    assert (w[:, 2:] == 0).all() and np.allclose(w.sum(axis=1), 1)
    assert s.active.tolist() == [True, True, False, False]


def test_ordinal_is_ordered_with_roc_mean():
    order = ["c", "a", "d", "b"]
    s = ordinal_weights(order)
    w = s.sample(40_000, seed=9)
    assert (np.diff(w, axis=1) <= 0).all()
    roc = s.mean.to_numpy()  # the rank-order-centroid weights (tests/test_rubric.py checks them)
    assert roc == pytest.approx(roc_weights(4)) and s.mean.index.tolist() == order
    se = w.std(axis=0) / np.sqrt(len(w))
    assert np.all(np.abs(w.mean(axis=0) - roc) < 4.5 * se)
    assert s.competency_ids == order


def test_bounds_hold_and_lower_bounds_are_exact_for_uniform():
    s = uniform_weights(IDS, bounds={"a": (0.2, 1.0), "b": (0.1, 1.0)})
    w = s.sample(30_000, seed=2)
    assert (w[:, 0] >= 0.2).all() and (w[:, 1] >= 0.1).all()
    # uniform on {w >= l} is l + (1 - sum l) Dirichlet(1): mean l + (1 - sum l) / m
    assert np.allclose(w.mean(axis=0), s.mean.to_numpy(), atol=0.005)
    s2 = uniform_weights(IDS, bounds={"a": (0.0, 0.1)})
    w2 = s2.sample(1000, seed=2)
    assert (w2[:, 0] <= 0.1).all() and np.allclose(w2.sum(axis=1), 1)
    s3 = ordinal_weights(IDS, bounds={"a": (0.0, 0.6)})
    assert (s3.sample(500, seed=1)[:, 0] <= 0.6).all()


def test_bad_bounds_and_inputs_raise():
    with pytest.raises(SmmrubricError, match="sum to"):
        uniform_weights(IDS, bounds={"a": (0.6, 1), "b": (0.6, 1)})
    with pytest.raises(SmmrubricError, match="unknown competency"):
        uniform_weights(IDS, bounds={"zz": (0, 1)})
    with pytest.raises(SmmrubricError, match="above high"):
        uniform_weights(IDS, bounds={"a": (0.5, 0.2)})
    with pytest.raises(SmmrubricError, match="widen"):
        local_weights(pd.Series(0.25, index=IDS), 1000, bounds={"a": (0.9, 1.0)}).sample(10, seed=1)
    with pytest.raises(SmmrubricError, match="duplicate"):
        uniform_weights(["a", "a"])
    with pytest.raises(SmmrubricError, match="concentration"):
        local_weights(pd.Series(0.25, index=IDS), 0)
    with pytest.raises(SmmrubricError, match="weight must be >= 0"):
        local_weights(pd.Series([1, -1, 1, 1.0], index=IDS), 5)
    with pytest.raises(SmmrubricError, match="seed"):
        uniform_weights(IDS).sample(5, seed=None)
    # a zero base weight stays 0, so the other competencies' upper bounds must still reach a sum of 1
    with pytest.raises(SmmrubricError, match="positive base weight sum to 0.9 < 1"):
        local_weights(pd.Series([0, 1, 1, 1.0], index=IDS), 50, bounds={"b": (0, 0.3), "c": (0, 0.3), "d": (0, 0.3)})
    with pytest.raises(SmmrubricError, match="field 'order'"):
        ordinal_weights(["a", "a"])
    for bad in (0, -1, np.nan, np.inf):
        with pytest.raises(SmmrubricError, match="concentration"):
            local_weights(pd.Series(0.25, index=IDS), bad)


def test_normal_noise():
    x = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=["p", "q"], columns=["u", "v"])
    d = normal_score_noise(x, 0.5).sample(20_000, seed=1)
    assert d.shape == (20_000, 2, 2)
    assert np.allclose(d.mean(axis=0), x.to_numpy(), atol=0.02)
    assert np.allclose(d.std(axis=0), 0.5, atol=0.02)
    with pytest.raises(SmmrubricError, match="finite"):
        normal_score_noise(x.assign(u=[1, np.nan]), 1)


def _ratings():
    rows = []
    for cand, per_rater in {"p": [(1, 3), (5, 3)], "q": [(2, 2)]}.items():
        for r, (s1, s2) in enumerate(per_rater):
            rows += [(cand, f"r{r}", "u", s1), (cand, f"r{r}", "v", s2)]
    return pd.DataFrame(rows, columns=["candidate_id", "rater_id", "competency_id", "score"])


def test_rater_bootstrap_resamples_raters():
    s = rater_bootstrap(_ratings())
    d = s.sample(4000, seed=3)
    assert d.shape == (4000, 2, 2)
    # candidate p has raters scoring u = 1 and 5: a resample of 2 raters gives mean 1, 3 or 5
    assert np.unique(d[:, 0, 0]).tolist() == pytest.approx([1.0, 3.0, 5.0])
    assert np.isclose((d[:, 0, 0] == 3).mean(), 0.5, atol=0.03)
    assert (d[:, 1] == 2).all()  # one rater: nothing to resample
    assert s.mean_scores.loc["p", "u"] == 3


def test_rater_bootstrap_blocks_give_the_same_draws(monkeypatch):
    # draws are built a few at a time (memory); the generator's stream, and so every draw, is unchanged
    import importlib

    samplers = importlib.import_module("smmrubric.sensitivity.samplers")
    s = rater_bootstrap(_ratings())
    whole = s.sample(500, seed=9)
    monkeypatch.setattr(samplers, "BOOTSTRAP_BLOCK_ELEMENTS", 16)  # 16 // (2 * 2 * 2) = 2 draws per block
    assert np.array_equal(s.sample(500, seed=9), whole)


def test_rater_bootstrap_errors_name_the_row():
    r = _ratings()
    with pytest.raises(SmmrubricError, match="duplicate"):
        rater_bootstrap(pd.concat([r, r.iloc[[0]]], ignore_index=True))
    bad = r.astype({"score": object})
    bad.loc[2, "score"] = "x"
    with pytest.raises(SmmrubricError, match="row 2"):
        rater_bootstrap(bad)
    with pytest.raises(SmmrubricError, match="missing column"):
        rater_bootstrap(r.drop(columns="rater_id"))


# -- issue 15: the shared score-matrix check (smaa, agreement, stability) refuses non-real scores -------


@pytest.mark.parametrize(
    "column, fragment",
    [
        ([True, False], "real number"),
        (pd.array([True, None], dtype="boolean"), "real number"),
        ([1 + 1j, 2], "real number"),
        ([1.0, True], "real number"),
        (["3", "x"], "not a number"),
    ],
)
def test_score_matrix_refuses_booleans_complex_numbers_and_text(column, fragment):
    x = pd.DataFrame({"u": [1.0, 2.0], "v": column}, index=["p", "q"])
    with pytest.raises(SmmrubricError, match=fragment) as info:
        normal_score_noise(x, 1)
    assert info.value.field == "v" and info.value.row in ("p", "q")
    with pytest.raises(SmmrubricError, match="same id once written as text"):
        normal_score_noise(x.set_axis([1, "1"], axis=1).assign(**{"1": [1.0, 2.0]}), 1)


def test_uniform_weights_fix_the_skill_share_near_sixty_percent():
    """Dirichlet aggregation: the total of 18 of 30 Dirichlet(1) weights is Beta(18, 12) (mean .6, SD .088)."""
    from scipy import stats

    ids = [f"s{i}" for i in range(18)] + [f"t{i}" for i in range(12)]
    share = uniform_weights(ids).sample(20_000, seed=3)[:, :18].sum(axis=1)
    assert stats.kstest(share, stats.beta(18, 12).cdf).pvalue > 0.001
    assert share.mean() == pytest.approx(0.6, abs=0.003) and share.std() == pytest.approx(0.088, abs=0.002)


def test_balanced_weights_uniform_share_and_uniform_within_categories():
    from scipy import stats

    from smmrubric.sensitivity import balanced_weights

    categories = pd.Series(["skill"] * 5 + ["trait"] * 3, index=[f"c{i}" for i in range(8)])
    sampler = balanced_weights(categories)
    w = sampler.sample(20_000, seed=4)
    assert np.allclose(w.sum(axis=1), 1.0) and (w >= 0).all()
    share = w[:, :5].sum(axis=1)
    assert stats.kstest(share, stats.uniform.cdf).pvalue > 0.001  # S ~ U(0, 1)
    within = w[:, 0] / share  # one of 5 Dirichlet(1) parts
    assert stats.kstest(within, stats.beta(1, 4).cdf).pvalue > 0.001  # ~ Beta(1, 4)
    trait = w[:, 5] / (1 - share)
    assert stats.kstest(trait, stats.beta(1, 2).cdf).pvalue > 0.001
    assert stats.pearsonr(share, within).statistic == pytest.approx(0.0, abs=0.03)  # independent of the split
    assert sampler.mean.round(4).tolist() == [0.1] * 5 + [0.1667] * 3
    assert np.allclose(w.mean(axis=0), sampler.mean.to_numpy(), atol=0.005)


def test_balanced_weights_errors_and_bounds():
    from smmrubric.sensitivity import balanced_weights

    with pytest.raises(SmmrubricError) as info:
        balanced_weights(pd.Series(["skill", "talent"], index=["a", "b"]))
    assert info.value.row == "b"
    with pytest.raises(SmmrubricError):
        balanced_weights(["skill", "trait"])
    bounded = balanced_weights(pd.Series(["skill", "trait", "trait"], index=list("abc")), bounds={"a": (0.2, 0.6)})
    w = bounded.sample(500, seed=1)
    assert ((w[:, 0] >= 0.2) & (w[:, 0] <= 0.6)).all()


def test_balanced_weights_of_one_category_are_uniform_within_it():
    from scipy import stats

    from smmrubric.sensitivity import balanced_weights

    only_skills = pd.Series(["skill"] * 4, index=list("abcd"))
    sampler = balanced_weights(only_skills)
    assert sampler.mean.tolist() == pytest.approx([0.25] * 4)
    draws = sampler.sample(4000, seed=3)
    assert np.asarray(draws).sum(axis=1) == pytest.approx(1.0)
    # Dirichlet(1, 1, 1, 1): each weight is Beta(1, 3)
    assert stats.kstest(np.asarray(draws)[:, 0], stats.beta(1, 3).cdf).pvalue > 0.001
