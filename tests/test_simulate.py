"""Simulated candidates, performance, raters and growth, checked against analytic values.

Each calibration test compares a large simulated sample with the value the model implies (or a
published number) within a few Monte Carlo standard errors; the sample sizes keep the file fast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from smmrubric import simulate as sim
from smmrubric.errors import SmmrubricError

SKILLS = [f"s{i:02d}" for i in range(13)]
TRAITS = [f"t{i:02d}" for i in range(12)]
CATS = pd.Series(["skill"] * 13 + ["trait"] * 12, index=SKILLS + TRAITS, name="category")


def cats(n_skills: int, n_traits: int) -> pd.Series:
    return pd.Series(
        ["skill"] * n_skills + ["trait"] * n_traits,
        index=[f"s{i}" for i in range(n_skills)] + [f"t{i}" for i in range(n_traits)],
    )


def offdiag_mean(corr: np.ndarray, mask: np.ndarray) -> float:
    upper = np.triu(np.ones_like(corr, dtype=bool), 1)
    return float(corr[mask & upper].mean())


# ---------------------------------------------------------------- factor model


def test_implied_correlation_by_hand():
    # 3 skills, 2 traits: P_w = 3 + 1 = 4 within pairs, P_b = 6 between; r_b = .3 - .15 * 4/10 = .24
    c = cats(3, 2)
    corr = sim.implied_correlation(c, mean_intercorrelation=0.3, category_gap=0.15)
    assert list(corr.index) == list(c.index) and list(corr.columns) == list(c.index)
    assert corr.loc["s0", "s1"] == pytest.approx(0.39)
    assert corr.loc["t0", "t1"] == pytest.approx(0.39)
    assert corr.loc["s0", "t1"] == pytest.approx(0.24)
    assert np.allclose(np.diag(corr), 1.0)
    values = corr.to_numpy()
    assert values[np.triu_indices(5, 1)].mean() == pytest.approx(0.3)
    loadings = sim.factor_loadings(c, mean_intercorrelation=0.3, category_gap=0.15)
    assert loadings["general"].iloc[0] == pytest.approx(np.sqrt(0.24))
    assert loadings["group"].iloc[0] == pytest.approx(np.sqrt(0.15))
    assert (loadings[["general", "group", "unique"]] ** 2).sum(axis=1).to_numpy() == pytest.approx(1.0)


def test_one_category_has_no_gap():
    corr = sim.implied_correlation(cats(4, 0), mean_intercorrelation=0.3, category_gap=0.15).to_numpy()
    assert corr[np.triu_indices(4, 1)] == pytest.approx(0.3)


@settings(max_examples=60, deadline=None)
@given(n_s=st.integers(0, 12), n_t=st.integers(0, 12), rbar=st.floats(0, 1), gap=st.floats(0, 1))
def test_implied_correlation_valid_or_refused(n_s, n_t, rbar, gap):
    if n_s + n_t == 0:
        return
    c = cats(n_s, n_t)
    try:
        corr = sim.implied_correlation(c, mean_intercorrelation=rbar, category_gap=gap).to_numpy()
    except SmmrubricError as exc:
        assert exc.field == "category_gap"
        within, between = n_s * (n_s - 1) / 2 + n_t * (n_t - 1) / 2, n_s * n_t
        r_b = rbar - gap * within / (within + between)
        assert r_b < 0 or r_b + gap > 1
        return
    assert np.allclose(np.diag(corr), 1.0)
    assert np.linalg.eigvalsh(corr)[0] > -1e-9
    if n_s + n_t > 1:
        assert corr[np.triu_indices(n_s + n_t, 1)].mean() == pytest.approx(rbar, abs=1e-12)
    if n_s > 1 and n_t > 0:
        assert corr[0, 1] - corr[0, n_s] == pytest.approx(gap, abs=1e-12)


def test_candidates_realise_the_implied_structure():
    n = 40_000
    z = sim.candidates(CATS, n, seed=11)
    assert z.shape == (n, 25)
    assert z.index.name == "candidate_id" and z.index[0] == "C00001" and z.index[-1] == "C40000"
    assert list(z.columns) == list(CATS.index)
    # standard normal margins: SE of a mean 1/sqrt(n) = .005, of an SD about .0035
    assert np.abs(z.mean()).max() < 0.025
    assert np.abs(z.std() - 1).max() < 0.02
    realised = np.corrcoef(z.to_numpy(), rowvar=False)
    skill = CATS.to_numpy() == "skill"
    # 13 skills, 12 traits: P_w = 78 + 66 = 144, P_b = 156; r_b = .3 - .15 * 144/300 = .228
    assert offdiag_mean(realised, np.ones_like(realised, dtype=bool)) == pytest.approx(0.3, abs=0.01)
    assert offdiag_mean(realised, np.outer(skill, skill)) == pytest.approx(0.378, abs=0.01)
    assert offdiag_mean(realised, np.outer(~skill, ~skill)) == pytest.approx(0.378, abs=0.01)
    assert offdiag_mean(realised, np.outer(skill, ~skill)) == pytest.approx(0.228, abs=0.01)
    summary = sim.correlation_summary(z, CATS)
    assert list(summary.index) == ["skill-skill", "skill-trait", "trait-trait", "all"]
    assert summary["n_pairs"].tolist() == [78, 156, 66, 300]
    assert summary["implied"].to_numpy() == pytest.approx([0.378, 0.228, 0.378, 0.3])
    assert summary["realised"].to_numpy() == pytest.approx(summary["implied"].to_numpy(), abs=0.01)


def test_candidates_custom_parameters():
    z = sim.candidates(CATS, 30_000, seed=5, mean_intercorrelation=0.5, category_gap=0.3)
    summary = sim.correlation_summary(z, CATS, mean_intercorrelation=0.5, category_gap=0.3)
    # r_b = .5 - .3 * .48 = .356, r_w = .656
    assert summary.loc["skill-trait", "implied"] == pytest.approx(0.356)
    assert summary.loc["skill-skill", "implied"] == pytest.approx(0.656)
    assert summary["realised"].to_numpy() == pytest.approx(summary["implied"].to_numpy(), abs=0.012)


def test_candidates_accept_the_competency_table():
    from smmrubric import load_competencies

    table = load_competencies()
    z = sim.candidates(table, 10, seed=1)
    assert list(z.columns) == list(table.index)


# ---------------------------------------------------------------- reproducibility


def test_same_seed_same_output_different_seed_different_output():
    z1, z2, z3 = (sim.candidates(CATS, 50, seed=s) for s in (1, 1, 2))
    pd.testing.assert_frame_equal(z1, z2)
    assert not np.allclose(z1, z3)
    r1, r2, r3 = (sim.ratings(z1, CATS, seed=s, rater_pool=6) for s in (4, 4, 5))
    pd.testing.assert_frame_equal(r1, r2)
    assert not r1.equals(r3)
    y1, y2, y3 = (sim.performance(z1, CATS, seed=s) for s in (7, 7, 8))
    pd.testing.assert_series_equal(y1, y2)
    assert not np.allclose(y1, y3)
    d1, d2, d3 = (sim.develop(z1, CATS, 12, seed=s, gain_sd=0.3) for s in (9, 9, 10))
    pd.testing.assert_frame_equal(d1, d2)
    assert not np.allclose(d1, d3)
    rng = np.random.default_rng(3)
    assert sim.candidates(CATS, 5, seed=rng).shape == (5, 25)


# ---------------------------------------------------------------- performance criterion


def test_performance_weights_by_hand():
    # one skill, one trait correlating .3: b_s = (.40 - .3 * .19) / .91, b_t = (.19 - .3 * .40) / .91
    c = cats(1, 1)
    cov = pd.DataFrame([[1.0, 0.3], [0.3, 1.0]], index=c.index, columns=c.index)
    w = sim.performance_weights(c, cov)
    assert w["s0"] == pytest.approx(0.343 / 0.91)
    assert w["t0"] == pytest.approx(0.07 / 0.91)
    r2 = (0.40**2 + 0.19**2 - 2 * 0.3 * 0.40 * 0.19) / 0.91
    assert w["residual"] == pytest.approx(np.sqrt(1 - r2))
    composite = sim.performance_weights(c, cov, validity=0.42)
    # T = (z_s + z_t) / 2 has variance (1 + .3) / 2 = .65
    assert composite["s0"] == pytest.approx(0.42 * 0.5 / np.sqrt(0.65))
    assert composite["residual"] == pytest.approx(np.sqrt(1 - 0.42**2))


@settings(max_examples=60, deadline=None)
@given(
    n_s=st.integers(1, 6),
    n_t=st.integers(1, 6),
    v_s=st.floats(-0.9, 0.9),
    v_t=st.floats(-0.9, 0.9),
    rbar=st.floats(0, 0.6),
    gap=st.floats(0, 0.3),
)
def test_performance_weights_give_the_requested_population_correlations(n_s, n_t, v_s, v_t, rbar, gap):
    c = cats(n_s, n_t)
    try:
        cov = sim.implied_correlation(c, mean_intercorrelation=rbar, category_gap=gap)
    except SmmrubricError:
        return
    try:
        w = sim.performance_weights(c, cov, skill_validity=v_s, trait_validity=v_t)
    except SmmrubricError as exc:
        assert exc.field in {"trait_validity", "skill_validity"}
        return
    s = cov.to_numpy()
    beta, resid = w.iloc[:-1].to_numpy(), w["residual"]
    assert beta @ s @ beta + resid**2 == pytest.approx(1.0)
    skill = np.r_[np.ones(n_s) / n_s, np.zeros(n_t)]
    trait = np.r_[np.zeros(n_s), np.ones(n_t) / n_t]
    for a, v in ((skill, v_s), (trait, v_t)):
        assert (beta @ s @ a) / np.sqrt(a @ s @ a) == pytest.approx(v, abs=1e-9)


def test_performance_realises_per_category_validities():
    z = sim.candidates(CATS, 60_000, seed=21)
    y = sim.performance(z, CATS, seed=22, covariance=sim.implied_correlation(CATS))
    skills, traits = z[SKILLS].mean(axis=1), z[TRAITS].mean(axis=1)
    # defaults .40 and .19 (Sackett et al. 2022); SE of r about (1 - r^2) / sqrt(n) < .004
    assert np.corrcoef(y, skills)[0, 1] == pytest.approx(0.40, abs=0.015)
    assert np.corrcoef(y, traits)[0, 1] == pytest.approx(0.19, abs=0.015)
    assert y.var() == pytest.approx(1.0, abs=0.03)
    assert y.name == "performance" and y.index.equals(z.index)
    y2 = sim.performance(z, CATS, seed=23, skill_validity=0.1, trait_validity=0.35)
    assert np.corrcoef(y2, skills)[0, 1] == pytest.approx(0.10, abs=0.015)
    assert np.corrcoef(y2, traits)[0, 1] == pytest.approx(0.35, abs=0.015)


def test_performance_composite_validity():
    z = sim.candidates(CATS, 60_000, seed=31)
    y = sim.performance(z, CATS, seed=32, validity=0.42)
    assert np.corrcoef(y, z.mean(axis=1))[0, 1] == pytest.approx(0.42, abs=0.012)


def test_performance_errors():
    z = sim.candidates(CATS, 20, seed=1)
    with pytest.raises(SmmrubricError, match="not both"):
        sim.performance(z, CATS, seed=1, validity=0.4, skill_validity=0.3)
    with pytest.raises(SmmrubricError) as exc:
        sim.performance(z, CATS, seed=1, validity=1.5)
    assert exc.value.field == "validity"
    with pytest.raises(SmmrubricError, match="impossible together"):
        sim.performance(
            z, CATS, seed=1, skill_validity=0.9, trait_validity=-0.9, covariance=sim.implied_correlation(CATS)
        )
    only_skills = cats(3, 0)
    z_s = sim.candidates(only_skills, 20, seed=1)
    # no traits composite: trait_validity has nothing to apply to; the criterion is the skills composite's
    a = sim.performance(z_s, only_skills, seed=1)
    assert a.shape == (20,) and a.to_numpy() == pytest.approx(
        sim.performance(z_s, only_skills, seed=1, trait_validity=0.3).to_numpy()
    )
    r = sim.implied_correlation(only_skills)
    beta = sim.performance_weights(only_skills, r).drop("residual").to_numpy()
    w = np.full(3, 1 / 3)
    validity = (w @ r.to_numpy() @ beta) / np.sqrt(w @ r.to_numpy() @ w)  # corr(w'z, beta'z + s e), Var(Y) = 1
    assert validity == pytest.approx(sim.DEFAULT_SKILL_VALIDITY, abs=1e-12)
    with pytest.raises(SmmrubricError, match="at least 3"):
        sim.performance(z.iloc[:2], CATS, seed=1)
    with pytest.raises(SmmrubricError, match="no row and column"):
        sim.performance(z, CATS, seed=1, covariance=sim.implied_correlation(cats(2, 2)))


# ---------------------------------------------------------------- raters


def test_rating_variance_components():
    v = sim.rating_variance(0.44, leniency_share=0.25, halo_share=0.25, raters=3)
    noise = 0.56 / 0.44
    assert v["leniency"] == pytest.approx(0.25 * noise)
    assert v["halo"] == pytest.approx(0.25 * noise)
    assert v["error"] == pytest.approx(0.5 * noise)
    assert v["total"] == pytest.approx(1 / 0.44)
    assert 1 / v[["true", "leniency", "halo", "error"]].sum() == pytest.approx(0.44)
    assert v["reliability_mean_random_raters"] == pytest.approx(3 * 0.44 / (1 + 2 * 0.44))
    assert v["reliability_within_rater"] == pytest.approx(1 / (1 + 0.75 * noise))


def test_default_rater_bias_is_hoyt_kerns_share():
    v = sim.rating_variance()
    # Huffcutt et al. (2013): .44; Hoyt & Kerns (1999): 37% of rating variance is rater bias
    assert v["reliability"] == pytest.approx(0.44)
    assert (v["leniency"] + v["halo"]) / v["total"] == pytest.approx(0.37)
    assert v["leniency"] == pytest.approx(v["halo"])


def test_single_rating_reliability_with_raters_drawn_at_random():
    z = sim.candidates(CATS.iloc[:8], 25_000, seed=41)
    r = sim.ratings(z, CATS.iloc[:8], seed=42, raters=2, rater_pool=4_000, continuous=True)
    x = r["score"].to_numpy().reshape(25_000, 2, 8)
    true = z.to_numpy()
    # two ratings of the same candidate and competency by different random raters correlate rho
    assert np.corrcoef(x[:, 0].ravel(), x[:, 1].ravel())[0, 1] == pytest.approx(0.44, abs=0.012)
    assert np.corrcoef(x[:, 0].ravel(), true.ravel())[0, 1] == pytest.approx(np.sqrt(0.44), abs=0.012)
    assert x.var() == pytest.approx(1 / 0.44, rel=0.03)


def test_panel_reliability_excludes_leniency():
    z = sim.candidates(CATS.iloc[:8], 25_000, seed=43)
    r = sim.ratings(z, CATS.iloc[:8], seed=44, raters=2, reliability=0.52, continuous=True)
    x = r["score"].to_numpy().reshape(25_000, 2, 8)
    expected = sim.rating_variance(0.52)["reliability_within_rater"]
    assert expected > 0.52
    assert np.corrcoef(x[:, 0].ravel(), x[:, 1].ravel())[0, 1] == pytest.approx(expected, abs=0.012)


def test_default_discretisation_shares():
    # with no leniency the standardised rating X * sqrt(rho) is exactly N(0, 1)
    expected = [0.0668, 0.2417, 0.3829, 0.2417, 0.0668]
    z = sim.candidates(CATS.iloc[:10], 40_000, seed=51)
    r = sim.ratings(z, CATS.iloc[:10], seed=52, raters=2, leniency_share=0.0)
    dist = sim.rating_distribution(r, CATS)
    assert dist.index.tolist() == [1, 2, 3, 4, 5]
    assert dist["expected"].to_numpy() == pytest.approx(expected, abs=5e-5)
    assert dist["count"].sum() == len(r)
    # 800,000 ratings, clustered by candidate: allow about 4 SE of a candidate-level share
    assert dist["share"].to_numpy() == pytest.approx(expected, abs=0.006)


def test_default_thresholds():
    assert sim.default_thresholds(5) == pytest.approx([-1.5, -0.5, 0.5, 1.5])
    assert sim.default_thresholds(2) == pytest.approx([0.0])
    assert sim.default_thresholds(10) == pytest.approx((np.arange(1, 10) - 5) * 0.6)
    probs = np.diff(norm.cdf(np.r_[-np.inf, sim.default_thresholds(5), np.inf]))
    assert probs == pytest.approx([0.0668, 0.2417, 0.3829, 0.2417, 0.0668], abs=5e-5)


def test_discretisation_is_the_threshold_cut_without_noise():
    c = cats(1, 0)
    z = pd.DataFrame(
        {"s0": [-3.5, -2.7, -1.0, -0.2, 0.7, 1.49, 1.51, 3.0]},
        index=pd.Index([f"C{i}" for i in range(8)], name="candidate_id"),
    )
    r = sim.ratings(z, c, seed=1, raters=1, reliability=1.0)
    assert r["score"].tolist() == [1, 1, 2, 3, 4, 4, 5, 5]
    custom = sim.ratings(z, c, seed=1, raters=1, reliability=1.0, thresholds=[-3, -2.5, 0, 2.5])
    assert custom["score"].tolist() == [1, 2, 3, 3, 4, 4, 4, 5]


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.floats(-4, 4), min_size=2, max_size=30))
def test_noiseless_ratings_are_monotone_in_true_standing(values):
    z = pd.DataFrame({"s0": values}, index=[f"C{i}" for i in range(len(values))])
    scores = sim.ratings(z, cats(1, 0), seed=0, raters=1, reliability=1.0)["score"].to_numpy()
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(scores[order]) >= 0)
    assert set(scores) <= {1, 2, 3, 4, 5}


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32), who=st.integers(0, 19), lift=st.floats(0, 3))
def test_raising_true_standing_never_lowers_a_rating(seed, who, lift):
    # same seed, same noise: a candidate whose true standings rise gets ratings at least as high
    z = sim.candidates(CATS, 20, seed=seed)
    higher = z.copy()
    higher.iloc[who] += lift
    before = sim.ratings(z, CATS, seed=seed, rater_pool=7)["score"].to_numpy()
    after = sim.ratings(higher, CATS, seed=seed, rater_pool=7)["score"].to_numpy()
    assert np.all(after >= before)
    rows = slice(who * 75, (who + 1) * 75)  # 3 raters x 25 competencies per candidate
    assert np.array_equal(np.delete(after, np.r_[rows]), np.delete(before, np.r_[rows]))


def test_top_ten_percent_overlap_at_reliability_44():
    from smmrubric.selection import top_overlap

    # analytic bivariate-normal value for r = sqrt(.44) = .663 and the top 10%: .438 (issue 4)
    assert top_overlap(np.sqrt(0.44), 0.10) == pytest.approx(0.438, abs=5e-4)
    n = 200_000
    z = sim.candidates(cats(1, 0), n, seed=61)
    r = sim.ratings(z, cats(1, 0), seed=62, raters=1, rater_pool=5_000, continuous=True)
    observed, true = r["score"].to_numpy(), z["s0"].to_numpy()
    top = n // 10
    top_obs = np.argsort(-observed)[:top]
    top_true = np.argsort(-true)[:top]
    share = np.isin(top_obs, top_true).mean()
    # binomial SE sqrt(.438 * .562 / 20,000) = .0035
    assert share == pytest.approx(0.438, abs=0.012)


def test_ratings_long_format():
    z = sim.candidates(CATS, 7, seed=1)
    r = sim.ratings(z, CATS, seed=2, raters=3)
    assert list(r.columns) == ["candidate_id", "rater_id", "competency_id", "score"]
    assert len(r) == 7 * 3 * 25
    assert not r.duplicated(["candidate_id", "rater_id", "competency_id"]).any()
    assert r["rater_id"].unique().tolist() == ["R01", "R02", "R03"]
    assert r["competency_id"].iloc[:25].tolist() == list(CATS.index)
    assert r["candidate_id"].iloc[0] == "C0001"
    assert r["score"].dtype.kind == "i"
    assert set(r["score"]) <= {1, 2, 3, 4, 5}
    nested = sim.ratings(z, CATS, seed=2, raters=2, rater_pool=12)
    per_candidate = nested.groupby("candidate_id")["rater_id"].nunique()
    assert (per_candidate == 2).all()
    assert nested["rater_id"].str.match(r"^R\d\d$").all()


def test_raters_drawn_uniformly_without_replacement():
    # each candidate's raters are distinct and every pool member is equally likely: 3 of 5, P = .6
    z = sim.candidates(cats(1, 0), 30_000, seed=1)
    r = sim.ratings(z, cats(1, 0), seed=2, raters=3, rater_pool=5)
    panels = pd.DataFrame(r["rater_id"].to_numpy().reshape(30_000, 3))  # one row per candidate
    ids = np.sort(panels.to_numpy(dtype=str), axis=1)
    assert (ids[:, 1:] != ids[:, :-1]).all()  # three different raters for every candidate
    share = r["rater_id"].value_counts(normalize=True).sort_index()
    assert share.index.tolist() == ["R01", "R02", "R03", "R04", "R05"]
    # SE of a rater's share of the 90,000 slots: sqrt(.6 * .4 / 30,000) / 3 = .0009
    assert share.to_numpy() == pytest.approx(0.2, abs=0.004)
    counts = panels.value_counts(normalize=True)
    assert len(counts) == 10  # C(5, 3) panels, each with probability .1 (SE .0017)
    assert counts.to_numpy() == pytest.approx(0.1, abs=0.008)


def test_ratings_ignore_columns_outside_the_rubric():
    z = sim.candidates(CATS, 5, seed=1)
    r = sim.ratings(z, CATS.iloc[:3], seed=2, raters=1)
    assert r["competency_id"].unique().tolist() == list(CATS.index[:3])


def test_ratings_errors():
    z = sim.candidates(CATS, 5, seed=1)
    cases = [
        (dict(reliability=0), "reliability"),
        (dict(reliability=1.2), "reliability"),
        (dict(leniency_share=-0.1), "leniency_share"),
        (dict(halo_share=0.7, leniency_share=0.5), "halo_share"),
        (dict(raters=0), "raters"),
        (dict(raters=3, rater_pool=2), "rater_pool"),
        (dict(rater_pool=sim.MAX_RATER_POOL + 1), "rater_pool"),
        (dict(rater_pool=10**12), "rater_pool"),
        (dict(thresholds=[0, 1]), "thresholds"),
        (dict(thresholds=[1, 0, 2, 3]), "thresholds"),
        (dict(thresholds=[0, 1, 2, float("nan")]), "thresholds"),
        (dict(continuous="yes"), "continuous"),
        (dict(seed=-1), "seed"),
        (dict(seed=None), "seed"),
    ]
    for kwargs, field in cases:
        kwargs = {"seed": 1, **kwargs}
        with pytest.raises(SmmrubricError) as exc:
            sim.ratings(z, CATS, **kwargs)
        assert exc.value.field == field, kwargs
    bad = z.copy()
    bad.iloc[2, 4] = np.nan
    with pytest.raises(SmmrubricError) as exc:
        sim.ratings(bad, CATS, seed=1)
    assert exc.value.row == "C0003" and exc.value.field == CATS.index[4]
    with pytest.raises(SmmrubricError, match="no column"):
        sim.ratings(z.drop(columns="t03"), CATS, seed=1)
    with pytest.raises(SmmrubricError, match="duplicate"):
        sim.ratings(pd.concat([z, z.iloc[:1]]), CATS, seed=1)
    with pytest.raises(SmmrubricError, match="DataFrame"):
        sim.ratings(z.to_numpy(), CATS, seed=1)


# ---------------------------------------------------------------- growth


def test_develop_months_zero_is_identity():
    z = sim.candidates(CATS, 50, seed=1)
    pd.testing.assert_frame_equal(sim.develop(z, CATS, 0, seed=2, gain_sd=0.5), z)


def test_develop_linear_skill_growth_traits_stable():
    z = sim.candidates(CATS, 50, seed=1)
    year = sim.develop(z, CATS, 12, seed=2)
    half = sim.develop(z, CATS, 6, seed=2)
    assert np.allclose(year[SKILLS] - z[SKILLS], 0.6)  # Arthur et al. (2003): d about .6
    assert np.allclose(half[SKILLS] - z[SKILLS], 0.3)
    assert np.allclose(year[TRAITS], z[TRAITS])  # default trait gain 0
    intervention = sim.develop(z, CATS, 24, seed=2, trait_gain=0.37 / (24 * 7 / 365.25))
    assert np.allclose(intervention[TRAITS] - z[TRAITS], 2 * 0.37 / (24 * 7 / 365.25))
    assert year.index.equals(z.index) and list(year.columns) == list(z.columns)


@settings(max_examples=30, deadline=None)
@given(a=st.floats(0, 60), b=st.floats(0, 60), skill=st.floats(-1, 1), trait=st.floats(-1, 1))
def test_develop_without_spread_is_additive_in_time(a, b, skill, trait):
    z = sim.candidates(CATS, 5, seed=1)
    kwargs = dict(seed=2, skill_gain=skill, trait_gain=trait)
    once = sim.develop(z, CATS, a + b, **kwargs)
    twice = sim.develop(sim.develop(z, CATS, a, **kwargs), CATS, b, **kwargs)
    assert np.allclose(once, twice, atol=1e-12)
    assert np.allclose(once[TRAITS] - z[TRAITS], trait * (a + b) / 12)


def test_develop_individual_gains():
    n = 40_000
    z = sim.candidates(CATS, n, seed=1)
    grown = sim.develop(z, CATS, 24, seed=3, gain_sd=0.25, learning_trait_correlation=0.5)
    change = (grown[SKILLS] - z[SKILLS]).to_numpy()
    # the learning rate is shared by a candidate's skills: the same change on every skill
    assert np.allclose(change, change[:, :1])
    rate = change[:, 0] / 2
    assert rate.mean() == pytest.approx(0.6, abs=0.01)
    assert rate.std() == pytest.approx(0.25, abs=0.005)
    assert np.corrcoef(rate, z[TRAITS].mean(axis=1))[0, 1] == pytest.approx(0.5, abs=0.015)


def test_develop_errors():
    z = sim.candidates(CATS, 5, seed=1)
    for kwargs, field in [
        (dict(months=-1), "months"),
        (dict(gain_sd=-0.1), "gain_sd"),
        (dict(skill_gain=float("inf")), "skill_gain"),
        (dict(learning_trait_correlation=1.5), "learning_trait_correlation"),
    ]:
        kwargs = {"months": 12, "seed": 1, **kwargs}
        with pytest.raises(SmmrubricError) as exc:
            sim.develop(z, CATS, **kwargs)
        assert exc.value.field == field
    with pytest.raises(SmmrubricError, match="no category"):
        sim.develop(z, CATS.iloc[:10], 12, seed=1)
    with pytest.raises(SmmrubricError, match="no traits"):
        sim.develop(z[SKILLS], CATS[SKILLS], 12, seed=1, gain_sd=0.2, learning_trait_correlation=0.3)


# ---------------------------------------------------------------- input checks


def test_candidates_errors():
    for kwargs, field in [
        (dict(n=0), "n"),
        (dict(n=2.5), "n"),
        (dict(seed="x"), "seed"),
        (dict(mean_intercorrelation=-0.1), "mean_intercorrelation"),
        (dict(mean_intercorrelation=1.1), "mean_intercorrelation"),
        (dict(category_gap=-0.1), "category_gap"),
        (dict(mean_intercorrelation=0.05, category_gap=0.3), "category_gap"),
        (dict(mean_intercorrelation=0.9, category_gap=0.3), "category_gap"),
    ]:
        kwargs = {"n": 10, "seed": 1, **kwargs}
        with pytest.raises(SmmrubricError) as exc:
            sim.candidates(CATS, **kwargs)
        assert exc.value.field == field, kwargs
    with pytest.raises(SmmrubricError, match="'skill' or 'trait'") as exc:
        sim.candidates(pd.Series(["skill", "talent"], index=["a", "b"]), 5, seed=1)
    assert exc.value.row == "b"
    with pytest.raises(SmmrubricError, match="duplicate"):
        sim.candidates(pd.Series(["skill", "trait"], index=["a", "a"]), 5, seed=1)
    with pytest.raises(SmmrubricError, match="no competencies"):
        sim.candidates(pd.Series([], dtype=object), 5, seed=1)
    with pytest.raises(SmmrubricError, match="Rubric"):
        sim.candidates(["a", "b"], 5, seed=1)


def test_rating_distribution_errors():
    r = pd.DataFrame({"score": [1, 2, 7]})
    with pytest.raises(SmmrubricError, match="not a level") as exc:
        sim.rating_distribution(r, CATS)
    assert exc.value.row == 2
    with pytest.raises(SmmrubricError, match="'score'"):
        sim.rating_distribution(pd.DataFrame({"x": [1]}), CATS)


# ---------------------------------------------------------------- with a Rubric


@pytest.fixture
def rubric():
    from smmrubric import load_competencies
    from smmrubric.rubric import Rubric, Scale

    table = load_competencies()
    skills = table.index[table["category"] == "skill"][:4].tolist()
    traits = table.index[table["category"] == "trait"][:3].tolist()
    lines = [{"id": cid, "weight": w} for cid, w in zip(skills + traits, [4, 3, 2, 1, 3, 2, 1])]
    return Rubric(lines, name="test", scale=Scale(0, 3))


def test_rubric_drives_ids_weights_and_scale(rubric):
    z = sim.candidates(rubric, 40_000, seed=71)
    assert list(z.columns) == rubric.competency_ids
    r = sim.ratings(z.iloc[:50], rubric, seed=72, raters=2)
    assert set(r["score"]) <= {0, 1, 2, 3}
    assert r["competency_id"].iloc[:7].tolist() == rubric.competency_ids
    # 4 levels: default cut points -1, 0, 1
    dist = sim.rating_distribution(r, rubric)
    assert dist.index.tolist() == [0, 1, 2, 3]
    assert dist["expected"].to_numpy() == pytest.approx(np.diff(norm.cdf([-np.inf, -1, 0, 1, np.inf])))
    # the composite form uses the rubric's weights
    y = sim.performance(z, rubric, seed=73, validity=0.42)
    composite = z.to_numpy() @ rubric.weights.to_numpy()
    assert np.corrcoef(y, composite)[0, 1] == pytest.approx(0.42, abs=0.012)
    # the per-category form uses the rubric's weights within each category
    skills = rubric.categories.index[rubric.categories == "skill"]
    traits = rubric.categories.index[rubric.categories == "trait"]
    y2 = sim.performance(z, rubric, seed=74, skill_validity=0.33, trait_validity=0.19)
    s = z[skills].to_numpy() @ rubric.weights[skills].to_numpy()
    t = z[traits].to_numpy() @ rubric.weights[traits].to_numpy()
    assert np.corrcoef(y2, s)[0, 1] == pytest.approx(0.33, abs=0.012)
    assert np.corrcoef(y2, t)[0, 1] == pytest.approx(0.19, abs=0.012)


def test_zero_weight_category_gets_equal_weights_in_the_criterion(rubric):
    skills_only = rubric.with_category_share(1.0)
    cov = sim.implied_correlation(rubric)
    w = sim.performance_weights(skills_only, cov)
    equal = sim.performance_weights(
        skills_only.with_weights(rubric.raw_weights.where(rubric.categories == "skill", 1.0)), cov
    )
    pd.testing.assert_series_equal(w, equal)


def test_simulated_ratings_pass_the_ratings_validator(rubric, tmp_path):
    from smmrubric.ratings import load_ratings, validate_ratings

    z = sim.candidates(rubric, 30, seed=81)
    r = sim.ratings(z, rubric, seed=82, rater_pool=5)
    checked = validate_ratings(r, rubric)
    assert len(checked) == 30 * 3 * 7
    assert checked["score"].to_numpy() == pytest.approx(r["score"].to_numpy())
    path = tmp_path / "ratings.csv"
    r.to_csv(path, index=False)
    loaded = load_ratings(path, rubric)
    assert loaded["candidate_id"].tolist() == r["candidate_id"].tolist()
    assert loaded["score"].to_numpy() == pytest.approx(r["score"].to_numpy())


# ---------------------------------------------------------------- review of issue 4: more bad inputs


@pytest.mark.parametrize(
    "index, fragment",
    [
        (["", "C2", "C3"], "missing or empty"),
        ([None, "C2", "C3"], "missing or empty"),
        ([1, "1", "C3"], "duplicate value '1'"),
    ],
)
def test_candidate_ids_must_survive_being_written_as_text(index, fragment):
    z = sim.candidates(CATS, 3, seed=1).set_axis(pd.Index(index, dtype=object))
    for call in (lambda: sim.ratings(z, CATS, seed=1), lambda: sim.develop(z, CATS, 12, seed=1)):
        with pytest.raises(SmmrubricError, match=fragment) as exc:
            call()
        assert exc.value.field.startswith("true_scores candidate_id")
    # integer ids are fine: they become the text "0", "1", ...
    assert sim.ratings(z.set_axis(range(3)), CATS, seed=1)["candidate_id"].iloc[0] == "0"


def test_a_competency_column_given_twice_is_an_error():
    z = sim.candidates(CATS, 4, seed=1)
    doubled = pd.concat([z, z[["s03"]]], axis=1)
    with pytest.raises(SmmrubricError, match="two columns for competency 's03'") as exc:
        sim.ratings(doubled, CATS, seed=1)
    assert exc.value.field == "true_scores"
    # a repeated column outside the rubric is ignored, as any other extra column
    assert len(sim.ratings(pd.concat([z, z[["s03"]]], axis=1), CATS.drop("s03"), seed=1)) == 4 * 3 * 24


def test_bad_thresholds_are_shown_as_plain_numbers():
    z = sim.candidates(CATS, 4, seed=1)
    with pytest.raises(SmmrubricError, match=r"got \[1\.0, 0\.0, 2\.0, 3\.0\]$"):
        sim.ratings(z, CATS, seed=1, thresholds=[1, 0, 2, 3])


def test_leniency_and_halo_as_standard_deviations():
    # issue 4 names them leniency_sd and halo: the same model given by SDs instead of shares
    by_share = sim.rating_variance(0.44, leniency_share=0.25, halo_share=0.125)
    noise = 0.56 / 0.44
    by_sd = sim.rating_variance(0.44, leniency_sd=np.sqrt(0.25 * noise), halo=np.sqrt(0.125 * noise))
    pd.testing.assert_series_equal(by_sd, by_share)
    default = sim.rating_variance()
    assert np.sqrt(default["leniency"]) == pytest.approx(0.648, abs=5e-4)
    z = sim.candidates(CATS, 30, seed=1)
    pd.testing.assert_frame_equal(
        sim.ratings(z, CATS, seed=2, leniency_sd=np.sqrt(default["leniency"]), halo=np.sqrt(default["halo"])),
        sim.ratings(z, CATS, seed=2),
    )
    cases = [
        (dict(leniency_sd=0.5, leniency_share=0.2), "leniency_sd"),
        (dict(halo=-0.1), "halo"),
        (dict(leniency_sd=1.0, halo=1.0), "halo"),
        (dict(leniency_sd=2.0), "leniency_sd"),
        (dict(reliability=1.0, halo=0.1), "halo"),
        (dict(leniency_sd=float("nan")), "leniency_sd"),
    ]
    for kwargs, field in cases:
        with pytest.raises(SmmrubricError) as exc:
            sim.ratings(z, CATS, seed=1, **kwargs)
        assert exc.value.field == field, kwargs
    # reliability 1 leaves no room for rater effects, but SDs of 0 are fine
    assert sim.rating_variance(1.0, leniency_sd=0.0, halo=0.0)["error"] == pytest.approx(0.0)


def test_develop_towards_a_ceiling():
    """z(t) = c - (c - z) exp(-g t / c) below the ceiling; unchanged at or above it; linear as c grows."""
    c = cats(2, 1)
    z = pd.DataFrame([[0.0, 1.0, 0.5], [2.5, 3.5, 0.0]], index=["a", "b"], columns=c.index)
    grown = sim.develop(z, c, 12, seed=1, skill_gain=0.6, ceiling=3.0)
    assert grown.loc["a", "s0"] == pytest.approx(3.0 - 3.0 * np.exp(-0.6 / 3.0))
    assert grown.loc["a", "s1"] == pytest.approx(3.0 - 2.0 * np.exp(-0.6 / 3.0))
    assert grown.loc["b", "s1"] == pytest.approx(3.5) and grown.loc["a", "t0"] == pytest.approx(
        0.5
    )  # above the ceiling; a trait
    # the higher the start, the smaller the gain (the rate depends on the initial level)
    assert grown.loc["b", "s0"] - 2.5 < grown.loc["a", "s1"] - 1.0 < grown.loc["a", "s0"] - 0.0
    far = sim.develop(z, c, 12, seed=1, skill_gain=0.6, ceiling=1e6)
    linear = sim.develop(z, c, 12, seed=1, skill_gain=0.6)
    np.testing.assert_allclose(far.to_numpy(), linear.to_numpy(), atol=1e-5)  # differs by g t z / c
    with pytest.raises(SmmrubricError) as info:
        sim.develop(z, c, 12, seed=1, ceiling=0)
    assert info.value.field == "ceiling"
