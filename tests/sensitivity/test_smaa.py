"""SMAA-2: published reference values, tie policy, properties, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smmrubric.errors import SmmrubricError
from smmrubric.sensitivity import (
    centroid_meta_weights,
    local_weights,
    normal_score_noise,
    rater_bootstrap,
    smaa,
    uniform_weights,
)

TWO = pd.DataFrame([[0.8, 0.2], [0.3, 0.6]], index=["a", "b"], columns=["c1", "c2"])
N = 200_000


def _close(estimate, exact, n=N):
    se = np.sqrt(exact * (1 - exact) / n)
    return abs(estimate - exact) < 4.5 * max(se, 1e-12)


@pytest.mark.parametrize("ranks", ["all", "first"])
def test_two_candidate_reference(ranks):
    # a wins when 0.9 w1 > 0.4, i.e. w1 > 4/9 with w1 ~ U(0, 1): b^1 = (5/9, 4/9);
    # central weights are the midpoints of (4/9, 1) and (0, 4/9): (13/18, 5/18) and (2/9, 7/9)
    r = smaa(TWO, "uniform", N, seed=11, progress=False, ranks=ranks)
    assert _close(r.first_rank["a"], 5 / 9) and _close(r.first_rank["b"], 4 / 9)
    cw = r.central_weights
    se = np.sqrt((5 / 9) ** 2 / 12 / (N * 5 / 9))  # sd of U(4/9, 1) over sqrt(count)
    assert abs(cw.loc["a", "c1"] - 13 / 18) < 5 * se and abs(cw.loc["a", "c2"] - 5 / 18) < 5 * se
    assert abs(cw.loc["b", "c1"] - 2 / 9) < 5 * se and abs(cw.loc["b", "c2"] - 7 / 9) < 5 * se
    assert r.confidence.tolist() == [1.0, 1.0]


def test_two_candidate_holistic_and_pairwise():
    r = smaa(TWO, "uniform", N, seed=12, progress=False, pairwise=True)
    alpha2 = 1 / 3  # centroid meta-weights for n = 2: (1, (1/2) / (1 + 1/2))
    b = r.rank_acceptability
    assert np.isclose(r.holistic["a"], b.loc["a", 1] + alpha2 * b.loc["a", 2])
    assert _close(r.pairwise.loc["a", "b"], 5 / 9)
    assert np.isclose(r.pairwise.loc["a", "b"] + r.pairwise.loc["b", "a"], 1)
    assert np.isnan(r.pairwise.loc["a", "a"])
    assert r.pairwise_winning is r.pairwise and r.confidence_factors is r.confidence
    assert np.allclose(r.holistic_acceptability, r.holistic) and np.allclose(r.ranking_entropy, r.rank_entropy)
    assert np.allclose(r.k_best_acceptability, r.k_best) and np.allclose(r.k_best[2], 1)


@pytest.mark.parametrize("n", [3, 5])
def test_identity_matrix_every_rank_equally_likely(n):
    eye = pd.DataFrame(np.eye(n), index=[f"k{i}" for i in range(n)], columns=[f"c{i}" for i in range(n)])
    r = smaa(eye, "uniform", 100_000, seed=n, progress=False)
    b = r.rank_acceptability.to_numpy()
    assert np.all(np.abs(b - 1 / n) < 4.5 * np.sqrt((1 / n) * (1 - 1 / n) / 100_000))
    assert np.allclose(r.rank_entropy, np.log2(n), atol=1e-3)
    assert np.allclose(r.standard_error, np.sqrt(b * (1 - b) / 100_000))


def test_meta_weights():
    # alpha_r = sum_{k>=r} 1/k / sum_k 1/k; n = 3: (11/6, 5/6, 1/3) / (11/6)
    assert np.allclose(centroid_meta_weights(3), [1, 5 / 11, 2 / 11])


def test_ties_share_ranks_equally():
    # a and b are the same profile: each takes half of the ranks they jointly hold
    d = pd.DataFrame([[1, 2], [1, 2], [2, 1], [0, 0]], index=list("abcd"), columns=["p", "q"])
    r = smaa(d, "uniform", 50_000, seed=2, progress=False, pairwise=True)
    b = r.rank_acceptability
    assert r.ties
    assert np.allclose(b.loc["a"], b.loc["b"])
    assert np.allclose(b.loc["a", 2], 0.5)  # whoever wins, a and b hold ranks {1,2} or {2,3}
    assert np.allclose(b.loc["d"], [0, 0, 0, 1])
    assert np.allclose(b.sum(axis=0), 1) and np.allclose(b.sum(axis=1), 1)
    assert np.allclose(r.confidence[["a", "b"]], 0.5) and r.confidence["c"] == 1
    assert np.isnan(r.confidence["d"]) and r.central_weights.loc["d"].isna().all()
    assert np.allclose(r.pairwise.loc["a", "b"], 0.5)
    first = smaa(d, "uniform", 50_000, seed=2, progress=False, ranks="first")
    assert np.allclose(first.first_rank, r.first_rank)
    assert np.allclose(first.central_weights.dropna(), r.central_weights.dropna())


def test_three_identical_candidates_split_every_rank():
    d = pd.DataFrame([[3, 3]] * 3, index=["x", "y", "z"], columns=["p", "q"])
    r = smaa(d, "uniform", 1000, seed=1, progress=False)
    assert np.allclose(r.rank_acceptability, 1 / 3)


def test_first_and_all_agree_without_ties(rng):
    x = pd.DataFrame(rng.random((30, 5)), index=[f"k{i}" for i in range(30)], columns=list("vwxyz"))
    a = smaa(x, "uniform", 20_000, seed=4, progress=False)
    f = smaa(x, "uniform", 20_000, seed=4, progress=False, ranks="first")
    assert not a.ties
    assert np.allclose(a.first_rank, f.first_rank)
    assert np.allclose(a.central_weights.fillna(-1), f.central_weights.fillna(-1))
    assert np.allclose(a.confidence.dropna(), 1)


def test_chunking_does_not_change_the_counts(rng):
    x = pd.DataFrame(rng.random((12, 4)), columns=list("wxyz"))
    s = uniform_weights(list("wxyz"))
    one = smaa(x, s, 3000, seed=8, progress=False, chunk_size=3000)
    # the same draws in chunks: sample() per chunk from one generator is the same stream for Dirichlet(1)
    w = s.sample(3000, np.random.default_rng(8).spawn(3)[0])
    u = w @ (x.to_numpy() + one.meta["shift"]).T
    ranks = (-u).argsort(axis=1).argsort(axis=1)
    expected = np.stack([(ranks == r).mean(axis=0) for r in range(12)], axis=1)
    assert np.allclose(one.rank_acceptability.to_numpy(), expected)
    many = smaa(x, s, 3000, seed=8, progress=False, chunk_size=7)
    assert many.rank_acceptability.shape == (12, 12)
    assert np.allclose(many.rank_acceptability.sum(axis=1), 1)


def test_zero_noise_score_sampler_matches_deterministic():
    det = smaa(TWO, "uniform", 20_000, seed=5, progress=False)
    noisy = smaa(TWO, "uniform", 20_000, seed=5, progress=False, score_sampler=normal_score_noise(TWO, 0.0))
    assert np.allclose(det.rank_acceptability, noisy.rank_acceptability)
    assert np.allclose(noisy.confidence, 1)


def test_score_noise_lowers_confidence():
    r = smaa(TWO, "uniform", 20_000, seed=5, progress=False, score_sampler=normal_score_noise(TWO, 0.3))
    assert r.score_uncertainty and (r.confidence < 0.99).all() and (r.confidence > 0.5).all()
    assert np.allclose(r.rank_acceptability.sum(axis=1), 1)


def test_rater_bootstrap_in_smaa():
    rows = [("p", "r1", "u", 5), ("p", "r1", "v", 1), ("p", "r2", "u", 1), ("p", "r2", "v", 1),
            ("q", "r3", "u", 2), ("q", "r3", "v", 2)]
    ratings = pd.DataFrame(rows, columns=["candidate_id", "rater_id", "competency_id", "score"])
    boot = rater_bootstrap(ratings)
    r = smaa(boot.mean_scores, "uniform", 20_000, seed=1, progress=False, score_sampler=boot)
    assert np.allclose(r.rank_acceptability.sum(axis=0), 1)
    # q (2, 2) beats p's resample (1, 1) always; p resamples (5,1),(3,1),(1,1) w.p. 1/4, 1/2, 1/4
    # p wins: with (5,1) when 4 w_u > 1 (3/4), with (3,1) when 2 w_u > 1 (1/2): 1/4*3/4 + 1/2*1/2 = 7/16
    assert abs(r.first_rank["p"] - 7 / 16) < 4.5 * np.sqrt(7 / 16 * 9 / 16 / 20_000)


def test_local_sampler_tightens_ranks(rng):
    x = pd.DataFrame(rng.random((20, 4)), columns=list("wxyz"))
    base = pd.Series(0.25, index=list("wxyz"))
    loose = smaa(x, uniform_weights(list("wxyz")), 5000, seed=2, progress=False)
    tight = smaa(x, local_weights(base, 5000), 5000, seed=2, progress=False)
    assert tight.rank_entropy.mean() < loose.rank_entropy.mean()


score_matrices = arrays(np.int64, st.tuples(st.integers(2, 7), st.integers(1, 4)), elements=st.integers(1, 5))


@settings(max_examples=40, deadline=None)
@given(score_matrices, st.sampled_from(["all", "first"]))
def test_acceptabilities_sum_to_one(x, ranks):
    frame = pd.DataFrame(x.astype(float), columns=[f"c{j}" for j in range(x.shape[1])])
    r = smaa(frame, "uniform", 500, seed=1, progress=False, ranks=ranks)
    b = r.rank_acceptability.to_numpy()
    assert np.allclose(b.sum(axis=0), 1)  # per rank (first rank: one column)
    if ranks == "all":
        assert np.allclose(b.sum(axis=1), 1)  # per candidate
    assert (b >= -1e-12).all()


@settings(max_examples=40, deadline=None)
@given(score_matrices, st.data())
def test_dominated_candidate_never_first(x, data):
    i = data.draw(st.integers(0, x.shape[0] - 1))
    j = data.draw(st.integers(0, x.shape[1] - 1))
    dominated = x[i].astype(float).copy()
    dominated[j] -= data.draw(st.floats(0.01, 3))
    frame = pd.DataFrame(np.vstack([x, dominated]).astype(float), columns=[f"c{k}" for k in range(x.shape[1])])
    r = smaa(frame, "uniform", 500, seed=3, progress=False)
    assert r.first_rank.iloc[-1] == 0
    assert r.central_weights.iloc[-1].isna().all()


def test_errors_name_the_field():
    with pytest.raises(SmmrubricError, match="DataFrame"):
        smaa(TWO.to_numpy(), "uniform", 10, seed=1)
    with pytest.raises(SmmrubricError, match="field 'c2'"):
        smaa(TWO.assign(c2=[0.1, np.nan]), "uniform", 10, seed=1)
    with pytest.raises(SmmrubricError, match="differ"):
        smaa(TWO, uniform_weights(["c1", "zz"]), 10, seed=1)
    with pytest.raises(SmmrubricError, match="ranks"):
        smaa(TWO, "uniform", 10, seed=1, ranks="some")
    with pytest.raises(SmmrubricError, match="unknown candidate"):
        smaa(TWO, "uniform", 10, seed=1, pairwise=["a", "nobody"])
    with pytest.raises(SmmrubricError, match="n_samples"):
        smaa(TWO, "uniform", 0, seed=1)
    r = smaa(TWO, "uniform", 10, seed=1, ranks="first", progress=False)
    with pytest.raises(SmmrubricError, match="all ranks"):
        _ = r.holistic


def _reference_shared_ranks(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Draw-by-draw tie sharing written out plainly: k tied candidates split their k ranks equally."""
    n = len(x)
    b = np.zeros((n, n))
    u_all = w @ (x + 1 - x.min()).T
    for u in u_all:
        order = np.argsort(-u, kind="stable")
        pos = 0
        while pos < n:
            group = [order[pos]]
            while pos + len(group) < n and abs(u[order[pos + len(group)]] - u[group[0]]) <= 1e-9:
                group.append(order[pos + len(group)])
            for c in group:
                b[c, pos:pos + len(group)] += 1 / len(group)
            pos += len(group)
    return b / len(u_all)


@settings(max_examples=25, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(2, 6), st.integers(1, 3)), elements=st.integers(1, 3)))
def test_tie_path_matches_plain_reference(x):
    frame = pd.DataFrame(x.astype(float), columns=[f"c{j}" for j in range(x.shape[1])])
    s = uniform_weights(list(frame.columns))
    r = smaa(frame, s, 300, seed=5, progress=False, chunk_size=64)
    w = s.sample(300, np.random.default_rng(5).spawn(3)[0])
    ref = _reference_shared_ranks(x.astype(float), w)
    assert np.allclose(r.rank_acceptability.to_numpy(), ref, atol=1e-9)
    first = smaa(frame, s, 300, seed=5, progress=False, ranks="first", chunk_size=64)
    assert np.allclose(first.first_rank.to_numpy(), ref[:, 0], atol=1e-9)


def test_mixed_chunk_sizes_count_every_draw(rng):
    # big chunks are counted in a worker thread, a small last chunk in the main thread: nothing is lost
    x = pd.DataFrame(rng.random((40, 3)), columns=list("pqr"))
    r = smaa(x, "uniform", 700, seed=3, progress=False, chunk_size=300)  # chunks of 300, 300, 100
    assert np.allclose(r.rank_acceptability.sum(axis=0), 1) and np.allclose(r.rank_acceptability.sum(axis=1), 1)
    one = smaa(x, "uniform", 700, seed=3, progress=False, chunk_size=700)
    assert np.allclose(r.rank_acceptability, one.rank_acceptability)


# --------------------------------------------------------------------------- exact geometry (three criteria)
# With three criteria a weight vector is a point (w1, w2) of the triangle {w1, w2 >= 0, w1 + w2 <= 1}
# (w3 = 1 - w1 - w2). Candidate i is first on the convex polygon cut from the weight region by the
# half-planes u_i >= u_k, and last on the one cut by u_i <= u_k; with weights uniform on the region
# b_i^1 (b_i^n) is that polygon's share of the region's area and the central weight vector w_i^c is its
# centroid. The polygons are clipped exactly (Sutherland-Hodgman) and measured with the shoelace
# formula, independently of the Monte Carlo code.
GEO = pd.DataFrame([[0.9, 0.1, 0.3], [0.1, 0.9, 0.4], [0.3, 0.3, 0.95], [0.55, 0.55, 0.5]],
                   index=list("abcd"), columns=["p", "q", "r"])
SIMPLEX = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]
ORDERED = [(1.0, 0.0), (0.5, 0.5), (1 / 3, 1 / 3)]  # vertices of {w1 >= w2 >= w3} (ROC region)


def _clip(poly, a, b, c):
    """The part of a convex polygon where a w1 + b w2 + c >= 0."""
    out = []
    for p, q in zip(poly, poly[1:] + poly[:1]):
        fp, fq = a * p[0] + b * p[1] + c, a * q[0] + b * q[1] + c
        if fp >= 0:
            out.append(p)
        if fp * fq < 0:
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def _area_centroid(poly):
    if len(poly) < 3:
        return 0.0, np.full(3, np.nan)
    x, y = np.array(poly).T
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    area = cross.sum() / 2
    if abs(area) < 1e-15:
        return 0.0, np.full(3, np.nan)
    cx, cy = (x + x1) @ cross / (6 * area), (y + y1) @ cross / (6 * area)
    return abs(area), np.array([cx, cy, 1 - cx - cy])


def _exact(x, region, last=False):
    """(b_i, centroid_i) for each candidate: first place, or last place with ``last=True``."""
    total, _ = _area_centroid(region)
    share, centre = [], []
    for i in range(len(x)):
        poly = list(region)
        for k in range(len(x)):
            if k != i:
                d = (x[k] - x[i]) if last else (x[i] - x[k])
                poly = _clip(poly, d[0] - d[2], d[1] - d[2], d[2])
        area, c = _area_centroid(poly)
        share.append(area / total)
        centre.append(c)
    return np.array(share), np.array(centre)


@pytest.mark.parametrize("kind", ["uniform", "ordinal"])
def test_three_criteria_exact_geometry(kind):
    from smmrubric.sensitivity import ordinal_weights

    n_draws = 100_000
    sampler, region = (("uniform", SIMPLEX) if kind == "uniform"
                       else (ordinal_weights(["p", "q", "r"]), ORDERED))
    r = smaa(GEO, sampler, n_draws, seed=21, progress=False)
    x = GEO.to_numpy()
    first, centre = _exact(x, region)
    last, _ = _exact(x, region, last=True)
    b = r.rank_acceptability
    se1 = np.sqrt(first * (1 - first) / n_draws)
    sel = np.sqrt(last * (1 - last) / n_draws)
    assert np.all(np.abs(b[1].to_numpy() - first) <= 4.5 * se1 + 1e-12)
    assert np.all(np.abs(b[4].to_numpy() - last) <= 4.5 * sel + 1e-12)
    # who never wins has no central weights; the others' central weights are their polygons' centroids
    # (a weight varies by at most 1, so its mean over N b draws has standard error <= 0.5 / sqrt(N b))
    wins = first > 0
    assert (r.central_weights[~wins].isna().all(axis=1)).all()
    cw = r.central_weights[wins].to_numpy()
    tol = 4.5 * 0.5 / np.sqrt(n_draws * first[wins])[:, None]
    assert np.all(np.abs(cw - centre[wins]) <= tol)
    assert np.allclose(r.confidence[wins], 1)  # the centroid of a convex winning set wins
    # sanity of the oracle itself: the first-place polygons tile the region (ties have measure zero)
    assert np.isclose(first.sum(), 1) and np.isclose(last.sum(), 1)


def test_tie_path_blocks_do_not_change_the_counts(monkeypatch):
    # the tie-sharing path works through a chunk in blocks of rows (memory); blocks of 1-2 rows must
    # give exactly the counts of one block per chunk
    import importlib

    smaa_module = importlib.import_module("smmrubric.sensitivity.smaa")  # the package exports the function

    d = pd.DataFrame([[1, 2, 3], [1, 2, 3], [3, 2, 1], [2, 2, 2], [2, 2, 2], [0, 4, 1]],
                     index=list("abcdef"), columns=["p", "q", "r"])
    whole = smaa(d, "uniform", 999, seed=7, progress=False, chunk_size=500)
    monkeypatch.setattr(smaa_module, "TIE_BLOCK_ELEMENTS", 8)  # 8 // 6 = 1 row per block
    blocks = smaa(d, "uniform", 999, seed=7, progress=False, chunk_size=500)
    assert whole.ties and blocks.ties
    assert np.allclose(whole.rank_acceptability, blocks.rank_acceptability, atol=1e-12)
    assert np.allclose(whole.central_weights.fillna(-1), blocks.central_weights.fillna(-1), atol=1e-12)
