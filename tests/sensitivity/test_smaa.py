"""SMAA-2: published reference values, tie policy, exact integer counts, CPU independence, properties, errors."""

from __future__ import annotations

import importlib
import json
import os
import platform
import subprocess
import sys
from fractions import Fraction

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
    assert r.confidence.tolist() == pytest.approx([1.0, 1.0])


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
    ranks = (-(w @ x.to_numpy().T)).argsort(axis=1).argsort(axis=1)
    expected = np.stack([(ranks == r).sum(axis=0) for r in range(12)], axis=1)
    assert one.count_denominator == 1 and not one.ties
    assert (one.rank_counts.to_numpy() == expected).all()
    many = smaa(x, s, 3000, seed=8, progress=False, chunk_size=7)
    assert (many.rank_counts.to_numpy() == expected).all()


def test_zero_noise_score_sampler_matches_deterministic():
    det = smaa(TWO, "uniform", 20_000, seed=5, progress=False)
    noisy = smaa(TWO, "uniform", 20_000, seed=5, progress=False, score_sampler=normal_score_noise(TWO, 0.0))
    assert (det.rank_counts.to_numpy() == noisy.rank_counts.to_numpy()).all()
    assert np.allclose(det.rank_acceptability, noisy.rank_acceptability)
    assert np.allclose(noisy.confidence, 1)


def test_score_noise_lowers_confidence():
    r = smaa(TWO, "uniform", 20_000, seed=5, progress=False, score_sampler=normal_score_noise(TWO, 0.3))
    assert r.score_uncertainty and (r.confidence < 0.99).all() and (r.confidence > 0.5).all()
    assert np.allclose(r.rank_acceptability.sum(axis=1), 1)


def test_rater_bootstrap_in_smaa():
    rows = [
        ("p", "r1", "u", 5),
        ("p", "r1", "v", 1),
        ("p", "r2", "u", 1),
        ("p", "r2", "v", 1),
        ("q", "r3", "u", 2),
        ("q", "r3", "v", 2),
    ]
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


def test_mixed_chunk_sizes_count_every_draw(rng):
    # big chunks are counted in a worker thread, a small last chunk in the main thread: nothing is lost
    x = pd.DataFrame(rng.random((40, 3)), columns=list("pqr"))
    r = smaa(x, "uniform", 700, seed=3, progress=False, chunk_size=300)  # chunks of 300, 300, 100
    assert np.allclose(r.rank_acceptability.sum(axis=0), 1) and np.allclose(r.rank_acceptability.sum(axis=1), 1)
    one = smaa(x, "uniform", 700, seed=3, progress=False, chunk_size=700)
    assert (r.rank_counts.to_numpy() == one.rank_counts.to_numpy()).all()


# --------------------------------------------------------------------------- exact geometry (three criteria)
# With three criteria a weight vector is a point (w1, w2) of the triangle {w1, w2 >= 0, w1 + w2 <= 1}
# (w3 = 1 - w1 - w2). Candidate i is first on the convex polygon cut from the weight region by the
# half-planes u_i >= u_k, and last on the one cut by u_i <= u_k; with weights uniform on the region
# b_i^1 (b_i^n) is that polygon's share of the region's area and the central weight vector w_i^c is its
# centroid. The polygons are clipped exactly (Sutherland-Hodgman) and measured with the shoelace
# formula, independently of the Monte Carlo code.
GEO = pd.DataFrame(
    [[0.9, 0.1, 0.3], [0.1, 0.9, 0.4], [0.3, 0.3, 0.95], [0.55, 0.55, 0.5]], index=list("abcd"), columns=["p", "q", "r"]
)
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
    sampler, region = ("uniform", SIMPLEX) if kind == "uniform" else (ordinal_weights(["p", "q", "r"]), ORDERED)
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


# --------------------------------------------------------------------------- exact integer counts
# The reference below ranks each draw in exact rational arithmetic (a float weight or score is an exact
# rational), so it is independent of the implementation's floats, sorting and counting: G candidates whose
# utilities are within the tie tolerance (single linkage) split their G ranks, 1/G each.


def _exact_reference(x: np.ndarray, w: np.ndarray, tol: float) -> tuple[list, list, list]:
    """(rank counts n x n, first-place weight sums n x m, pairwise wins n x n) as Fractions / ints.

    ``x`` is one score matrix (candidates x competencies) or one per draw (draws x candidates x competencies).
    """
    n, m = x.shape[-2:]
    per_draw = [[[Fraction(v) for v in row] for row in xd] for xd in (x if x.ndim == 3 else [x])]
    tau = Fraction(tol)
    counts = [[Fraction(0)] * n for _ in range(n)]
    wsum = [[Fraction(0)] * m for _ in range(n)]
    wins = [[0] * n for _ in range(n)]
    for d, row in enumerate(w):
        wf = [Fraction(v) for v in row]
        u = [sum(a * b for a, b in zip(wf, cand)) for cand in per_draw[d if x.ndim == 3 else 0]]
        order = sorted(range(n), key=lambda i: u[i], reverse=True)
        pos = 0
        while pos < n:
            end = pos + 1
            while end < n and u[order[end - 1]] - u[order[end]] <= tau:
                end += 1
            for c in order[pos:end]:
                for r in range(pos, end):
                    counts[c][r] += Fraction(1, end - pos)
                if pos == 0:
                    for j in range(m):
                        wsum[c][j] += wf[j] / (end - pos)
            pos = end
        for i in range(n):
            for k in range(n):
                wins[i][k] += int(u[i] - u[k] > tau)
    return counts, wsum, wins


def _weight_draws(sampler, n_samples: int, seed: int) -> np.ndarray:
    """The weight draws smaa makes with ``seed`` in one chunk (its first spawned stream)."""
    return sampler.sample(n_samples, np.random.default_rng(seed).spawn(3)[0])


@settings(max_examples=25, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(2, 6), st.integers(1, 3)), elements=st.integers(1, 3)))
def test_counts_equal_exact_rational_brute_force(x):
    # integer scores on a 1-3 scale: identical profiles (and so ties) in most examples
    frame = pd.DataFrame(
        x.astype(float), index=[f"k{i}" for i in range(len(x))], columns=[f"c{j}" for j in range(x.shape[1])]
    )
    s = uniform_weights(list(frame.columns))
    r = smaa(frame, s, 300, seed=5, progress=False, chunk_size=300, pairwise=True)
    counts, wsum, wins = _exact_reference(x.astype(float), _weight_draws(s, 300, 5), r.meta["tie_tolerance"])
    L, n = r.count_denominator, len(x)
    got = r.rank_counts.to_numpy()
    assert got.dtype == np.int64
    assert all(Fraction(int(got[i, k]), L) == counts[i][k] for i in range(n) for k in range(n))
    assert (r.pairwise_counts.to_numpy() == np.array(wins)).all()
    first = np.array([float(counts[i][0]) for i in range(n)])
    wins_first = first > 0
    central = np.array([[float(v) for v in row] for row in wsum])[wins_first] / first[wins_first, None]
    assert np.allclose(r.central_weights.to_numpy()[wins_first], central, rtol=1e-12, atol=1e-15)
    f = smaa(frame, s, 300, seed=5, progress=False, chunk_size=64, ranks="first")
    assert all(Fraction(int(f.rank_counts.iat[i, 0]), f.count_denominator) == counts[i][0] for i in range(n))


def _matches_reference(r, counts: list, wins: list | None = None) -> bool:
    n, L = len(counts), r.count_denominator
    got = r.rank_counts.to_numpy()
    ok = all(Fraction(int(got[i, k]), L) == counts[i][k] for i in range(n) for k in range(got.shape[1]))
    return ok and (wins is None or (r.pairwise_counts.to_numpy() == np.array(wins)).all())


@settings(max_examples=15, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(2, 6), st.just(3)), elements=st.integers(0, 4)))
def test_fixed_weights_tie_different_profiles_exactly(x):
    # lower bounds summing to 1 fix w = (1/2, 1/4, 1/4): different profiles with the same utility tie (in groups
    # of every size), which the draw-by-draw tie test must split exactly as the rational reference does
    s = uniform_weights(["p", "q", "r"], bounds={"p": (0.5, 1.0), "q": (0.25, 1.0), "r": (0.25, 1.0)})
    frame = pd.DataFrame(x.astype(float), index=[f"k{i}" for i in range(len(x))], columns=["p", "q", "r"])
    r = smaa(frame, s, 40, seed=1, progress=False, pairwise=True)
    counts, _, wins = _exact_reference(x.astype(float), _weight_draws(s, 40, 1), r.meta["tie_tolerance"])
    assert _matches_reference(r, counts, wins)
    first = smaa(frame, s, 40, seed=1, progress=False, ranks="first")
    assert _matches_reference(first, [row[:1] for row in counts])


def test_sampled_scores_match_rational_brute_force():
    # bootstrap means of integer ratings (halves): candidates tie in many draws, in groups of 2 to 4
    rows = [
        (c, f"{c}{k}", comp, v)
        for c, ratings in {
            "a": [(1, 3), (3, 1)],
            "b": [(2, 2), (2, 2)],
            "c": [(1, 1), (3, 3)],
            "d": [(2, 2), (1, 3)],
        }.items()
        for k, pair in enumerate(ratings)
        for comp, v in zip(("p", "q"), pair)
    ]
    boot = rater_bootstrap(pd.DataFrame(rows, columns=["candidate_id", "rater_id", "competency_id", "score"]))
    s = uniform_weights(["p", "q"])
    r = smaa(boot.mean_scores, s, 300, seed=6, progress=False, score_sampler=boot, pairwise=True, chunk_size=300)
    streams = np.random.default_rng(6).spawn(3)
    w = s.sample(300, streams[0])
    xs = boot.sample(300, streams[1])[:, :, [boot.competency_ids.index(c) for c in ("p", "q")]]
    counts, _, wins = _exact_reference(xs, w, r.meta["tie_tolerance"])
    assert r.ties and r.count_denominator > 1 and _matches_reference(r, counts, wins)


def test_statistics_are_integer_counts_over_one_denominator(rng):
    x = pd.DataFrame(
        rng.integers(1, 6, (25, 4)).astype(float), index=[f"k{i:02d}" for i in range(25)], columns=list("pqrs")
    )
    x.iloc[20:] = x.iloc[:5].to_numpy()  # five pairs of identical candidates
    n_draws = 2000
    r = smaa(x, "uniform", n_draws, seed=3, progress=False)
    c = r.rank_counts.to_numpy()
    den = r.count_denominator * n_draws
    assert r.ties and r.count_denominator % 2 == 0 and c.dtype == np.int64
    assert (c.sum(axis=1) == den).all() and (c.sum(axis=0) == den).all()
    assert np.allclose(r.rank_acceptability.to_numpy(), c / den, rtol=1e-15, atol=0)
    # each statistic is its integer numerator over L N, correctly rounded (rel_tol: one rounding)
    ranks = np.arange(1, 26)
    for i in range(25):
        assert np.isclose(r.expected_rank.iat[i], float(Fraction(int(c[i] @ ranks), den)), rtol=1e-15, atol=0)
        assert np.isclose(r.top_k(5).iat[i], float(Fraction(int(c[i, :5].sum()), den)), rtol=1e-15, atol=0)
    assert np.allclose(r.k_best.to_numpy(), np.cumsum(c, axis=1) / den, rtol=1e-15, atol=0)
    alpha = centroid_meta_weights(25)
    assert np.allclose(r.holistic, r.rank_acceptability.to_numpy() @ alpha, rtol=1e-13)
    b = r.rank_acceptability.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy = -np.where(b > 0, b * np.log2(np.where(b > 0, b, 1)), 0).sum(axis=1)
    assert np.allclose(r.rank_entropy, entropy, rtol=1e-12, atol=1e-15)
    # identical candidates get identical integer counts
    assert (c[20:] == c[:5]).all()


def test_identical_profiles_share_exactly():
    # a and b always tie; c wins when w_p > 1/2. The pair always holds rank 2: b_a(2) = 1/2 exactly.
    d = pd.DataFrame([[1, 2], [1, 2], [2, 1]], index=list("abc"), columns=["p", "q"])
    r = smaa(d, "uniform", 4000, seed=9, progress=False)
    assert r.count_denominator == 2 and r.meta["profiles"] == 2
    assert int(r.rank_counts.loc["a", 2]) == 4000 and int(r.rank_counts.loc["b", 2]) == 4000
    assert (r.rank_counts.loc["a"] == r.rank_counts.loc["b"]).all()
    # every draw gives the pair rank 1 or rank 3 besides rank 2: a holds half of it, i.e. one count of 1/2
    assert int(r.rank_counts.loc["a", 1]) + int(r.rank_counts.loc["a", 3]) == 4000
    assert abs(r.rank_acceptability.loc["a", 1] - 0.25) < 4.5 * np.sqrt(0.25 * 0.75 / 4000)


def test_degenerate_weights_tie_different_profiles():
    # lower bounds summing to 1 fix the weights at (1/2, 1/2): three different profiles with the same utility
    # tie in every draw (utilities equal up to rounding), d is last
    s = uniform_weights(["p", "q"], bounds={"p": (0.5, 1.0), "q": (0.5, 1.0)})
    d = pd.DataFrame([[1.0, 3.0], [3.0, 1.0], [2.0, 2.0], [0.0, 0.5]], index=list("abcd"), columns=["p", "q"])
    r = smaa(d, s, 500, seed=1, progress=False, pairwise=True)
    assert r.ties and r.count_denominator == 3 and r.meta["exact_draws"] == 500
    assert (r.rank_counts.loc[list("abc"), [1, 2, 3]].to_numpy() == 500).all()
    assert int(r.rank_counts.loc["d", 4]) == 3 * 500
    assert (r.pairwise_counts.loc[list("abc"), list("abc")].to_numpy() == 0).all()
    first = smaa(d, s, 500, seed=1, progress=False, ranks="first")
    assert first.count_denominator == 3 and (first.rank_counts.loc[list("abc"), 1] == 500).all()
    assert np.allclose(first.confidence[list("abc")], 1 / 3)


def test_tie_tolerance_is_relative_to_the_scores():
    # within 1e-9 x max |score| two scores are equal (tied candidates); 1e-6 apart they are not
    base = [[3.0, 1.0], [1.0, 3.0]]
    for scale in (1.0, 1000.0):
        x = pd.DataFrame(
            np.array(base + [[3.0 + 1e-12, 1.0], [3.0 + 1e-6, 1.0]]) * scale,
            index=["a", "b", "a_noise", "a_plus"],
            columns=["p", "q"],
        )
        r = smaa(x, "uniform", 1000, seed=2, progress=False)
        assert np.isclose(r.meta["tie_tolerance"], 1e-9 * 3 * scale)
        assert (r.rank_counts.loc["a"] == r.rank_counts.loc["a_noise"]).all()
        assert int(r.rank_counts.loc["a_plus", 1]) > int(r.rank_counts.loc["a", 1])


def test_score_column_order_does_not_matter(rng):
    x = pd.DataFrame(
        rng.integers(1, 6, (30, 6)).astype(float),
        index=[f"k{i:02d}" for i in range(30)],
        columns=[f"c{j}" for j in range(6)],
    )
    x.iloc[25:] = x.iloc[:5].to_numpy()
    shuffled = x[["c4", "c0", "c5", "c2", "c1", "c3"]]
    for weights in ("uniform", local_weights(pd.Series(1.0, index=x.columns), 20)):
        a = smaa(x, weights, 3000, seed=4, progress=False, pairwise=list(x.index[:6]))
        b = smaa(shuffled, weights, 3000, seed=4, progress=False, pairwise=list(x.index[:6]))
        assert a.count_denominator == b.count_denominator
        assert (a.rank_counts.to_numpy() == b.rank_counts.to_numpy()).all()
        assert (a.pairwise_counts.to_numpy() == b.pairwise_counts.to_numpy()).all()
        assert np.allclose(a.central_weights.fillna(-1), b.central_weights[x.columns].fillna(-1), rtol=1e-15)


def test_candidate_order_does_not_matter(rng):
    x = pd.DataFrame(
        rng.integers(1, 6, (30, 5)).astype(float), index=[f"k{i:02d}" for i in range(30)], columns=list("pqrst")
    )
    x.iloc[24:] = x.iloc[:6].to_numpy()
    shuffled = x.iloc[rng.permutation(30)]
    a = smaa(x, "uniform", 3000, seed=6, progress=False)
    b = smaa(shuffled, "uniform", 3000, seed=6, progress=False)
    assert (a.rank_counts.to_numpy() == b.rank_counts.loc[x.index].to_numpy()).all()
    assert list(a.summary().index) == list(b.summary().index)
    assert np.allclose(a.central_weights.fillna(-1), b.central_weights.loc[x.index].fillna(-1), rtol=1e-15)


def test_summary_breaks_ties_by_id():
    # identical candidates have the same holistic acceptability (and first-rank count): listed by id, whatever
    # the input order. a wins when w_q < 1/2, the pair m, b when w_q > 1/2; z = (2, 2) is never first:
    # holistic acceptabilities (n = 4) a 0.56, m and b 0.48, z 0.40
    d = pd.DataFrame([[2, 2], [1, 3], [1, 3], [3, 1]], index=["z", "m", "b", "a"], columns=["p", "q"])
    for ranks in ("all", "first"):
        r = smaa(d, "uniform", 2000, seed=3, progress=False, ranks=ranks)
        assert list(r.summary().index) == ["a", "b", "m", "z"]
        assert list(smaa(d.iloc[::-1], "uniform", 2000, seed=3, progress=False, ranks=ranks).summary().index) == [
            "a",
            "b",
            "m",
            "z",
        ]


def test_central_weights_of_tied_winners():
    # a and b tie for first whenever they win; each gets half of the win and of its weight vector
    d = pd.DataFrame([[1, 3], [1, 3], [3, 1]], index=list("abc"), columns=["p", "q"])
    r = smaa(d, "uniform", 20_000, seed=5, progress=False)
    assert np.allclose(r.central_weights.loc["a"], r.central_weights.loc["b"], rtol=1e-15)
    se = np.sqrt(1 / 12 / 10_000)
    assert abs(r.central_weights.loc["a", "q"] - 0.75) < 5 * se  # E[w_q | w_q > 1/2] = 3/4
    assert abs(r.first_rank["a"] - 0.25) < 5 * np.sqrt(0.25 * 0.75 / 20_000)


def test_tie_grouping_blocks_do_not_change_the_counts(monkeypatch):
    # the exact tie path and the sort work through a chunk in blocks of rows; tiny blocks give the same counts
    kernels = importlib.import_module("smmrubric.sensitivity._smaa_kernels")
    d = pd.DataFrame(
        [[1, 2, 3], [1, 2, 3], [3, 2, 1], [2, 2, 2], [2, 2, 2], [0, 4, 1]],
        index=list("abcdef"),
        columns=["p", "q", "r"],
    )
    whole = smaa(d, "uniform", 999, seed=7, progress=False, chunk_size=500)
    ratings = pd.DataFrame(
        [
            (c, f"r{k}", comp, (k + ord(c) + j) % 3 + 1)
            for c in "abcd"
            for k in range(2)
            for j, comp in enumerate("pqr")
        ],
        columns=["candidate_id", "rater_id", "competency_id", "score"],
    )
    boot = rater_bootstrap(ratings)
    sampled = smaa(boot.mean_scores, "uniform", 600, seed=2, progress=False, score_sampler=boot)
    monkeypatch.setattr(kernels, "SORT_BLOCK_ELEMENTS", 8)  # 1 row per sort block
    monkeypatch.setattr(kernels, "TIE_BLOCK_ELEMENTS", 8)  # 1-2 rows per exact block
    monkeypatch.setattr(kernels, "COUNT_ELEMENTS", 20)  # 3-4 draws per round of counting
    monkeypatch.setattr(kernels, "SPARSE_MERGE", 5)  # merge the tie records often
    blocks = smaa(d, "uniform", 999, seed=7, progress=False, chunk_size=500)
    assert whole.ties and blocks.ties
    assert (whole.rank_counts.to_numpy() == blocks.rank_counts.to_numpy()).all()
    assert np.allclose(whole.central_weights.fillna(-1), blocks.central_weights.fillna(-1), rtol=1e-13)
    again = smaa(boot.mean_scores, "uniform", 600, seed=2, progress=False, score_sampler=boot)
    assert sampled.ties and sampled.count_denominator == again.count_denominator
    assert (sampled.rank_counts.to_numpy() == again.rank_counts.to_numpy()).all()


def test_sampled_scores_tie_draw_by_draw():
    # p and q are each rated by one rater with the same ratings: they tie in every draw; r resamples
    rows = [
        ("p", "r1", "u", 3),
        ("p", "r1", "v", 2),
        ("q", "r2", "u", 3),
        ("q", "r2", "v", 2),
        ("r", "r3", "u", 5),
        ("r", "r3", "v", 1),
        ("r", "r4", "u", 1),
        ("r", "r4", "v", 3),
    ]
    boot = rater_bootstrap(pd.DataFrame(rows, columns=["candidate_id", "rater_id", "competency_id", "score"]))
    res = smaa(boot.mean_scores, "uniform", 3000, seed=4, progress=False, score_sampler=boot, pairwise=True)
    c = res.rank_counts
    assert res.ties and res.count_denominator % 2 == 0
    assert (c.loc["p"] == c.loc["q"]).all()
    assert (c.sum(axis=1) == res.count_denominator * 3000).all()
    assert int(res.pairwise_counts.loc["p", "q"]) == 0 and np.isclose(res.pairwise.loc["p", "q"], 0.5)
    # r's resample (3, 2) ties with p and q as well (a three-way tie): p, q, r share ranks 1-3 then
    assert res.count_denominator % 3 == 0


# --------------------------------------------------------------------------- another CPU's code paths
# numpy dispatches SIMD code per CPU and OpenBLAS picks a kernel per CPU, so the last bits of the utilities
# differ between machines. NPY_DISABLE_CPU_FEATURES / OPENBLAS_CORETYPE put an older CPU's code paths on this
# one: the integer counts must not change.
EMULATED_CPU = {"NPY_DISABLE_CPU_FEATURES": "X86_V3", "OPENBLAS_CORETYPE": "Prescott"}
CPU_CASES = r"""
import json
import numpy as np
import pandas as pd
from smmrubric.sensitivity import local_weights, rater_bootstrap, smaa

def cpu_cases():
    rng = np.random.default_rng(2026)
    ids = [f"c{j:02d}" for j in range(12)]
    x = pd.DataFrame(rng.integers(1, 6, (90, 12)).astype(float), index=[f"k{i:03d}" for i in range(90)],
                     columns=ids)
    x.iloc[:, 3] += rng.integers(0, 3, 90) / 3  # means of three ratings
    x.iloc[60:75] = x.iloc[:15].to_numpy()  # identical profiles
    a = smaa(x, "uniform", 3000, seed=1, progress=False, pairwise=list(x.index[:10]))
    f = smaa(x, local_weights(pd.Series(1.0, index=ids), 30), 3000, seed=2, progress=False, ranks="first")
    rows = [(f"k{i:02d}", f"r{i}-{k}", c, int(rng.integers(1, 6)))
            for i in range(30) for k in range(2) for c in ids[:4]]
    boot = rater_bootstrap(pd.DataFrame(rows, columns=["candidate_id", "rater_id", "competency_id", "score"]))
    s = smaa(boot.mean_scores, "uniform", 400, seed=3, progress=False, score_sampler=boot)
    u = x.to_numpy() @ rng.dirichlet(np.ones(12), 500).T
    return {"all": a.rank_counts.to_numpy().tolist(), "all_L": a.count_denominator,
            "pairs": a.pairwise_counts.to_numpy().tolist(), "first": f.rank_counts.to_numpy().tolist(),
            "first_L": f.count_denominator, "sampled": s.rank_counts.to_numpy().tolist(),
            "sampled_L": s.count_denominator, "confidence": s.confidence.fillna(-1).tolist(),
            "expected_rank": a.expected_rank.tolist(), "holistic": a.holistic.tolist(),
            "matmul_bits": u.tobytes().hex()[:4000]}
"""


@pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"), reason="x86-64 CPU features")
def test_counts_identical_on_an_emulated_older_cpu():
    namespace: dict = {}
    exec(CPU_CASES, namespace)  # noqa: S102 - the same code in both processes
    native = namespace["cpu_cases"]()
    env = {**os.environ, **EMULATED_CPU, "SMMRUBRIC_NO_PROGRESS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", CPU_CASES + "\nprint(json.dumps(cpu_cases()))"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    emulated = json.loads(out.stdout.strip().splitlines()[-1])
    for key in ("all", "all_L", "pairs", "first", "first_L", "sampled", "sampled_L"):
        assert emulated[key] == native[key], key  # integers: equal on both code paths
    for key in ("confidence", "expected_rank", "holistic"):
        assert np.allclose(emulated[key], native[key], rtol=1e-14, atol=0), key
    # (whether this CPU's matmul bits differ under emulation is informative only: on an old CPU they do not)
    print("matmul bits differ under emulation:", emulated["matmul_bits"] != native["matmul_bits"])
