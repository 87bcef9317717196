"""Rater reliability, checked against published examples and a second route.

References used (values typed from the sources, never from our own output):

- Shrout & Fleiss (1979), 6 targets x 4 judges: ICC .17, .29, .71, .44, .62, .91; F tests and 95% intervals
  as printed by the R package psych (``ICC(ratings)``) and DescTools for the same data.
- pingouin's ``intraclass_corr`` example (wine data, 8 wines x 4 judges; pingouin/datasets/icc.csv, from
  real-statistics.com), its docstring table rounded to 3 decimals.
- Brennan (2001), Synthetic Data Set No. 3 (Table 3.1, p x i x o, 10 x 4 x 2) with its variance components,
  mean squares and D-study coefficients (E rho^2 = .64, Phi = .55 at n_i = 4, n_o = 2), and Synthetic Data Set
  No. 4 (Table 3.2, p x (r:t), 10 persons, 3 tasks, 4 raters per task) with its components; the data as
  transcribed in the test fixtures of the GeneralizIT package, validated here by matching Brennan's mean squares.
- Krippendorff (2011), "Computing Krippendorff's alpha-reliability", 4 observers x 12 units example:
  interval .849, ordinal .815.

Second routes: statsmodels' REML mixed model (equal to the ANOVA estimates for balanced data when no estimate is
negative), statsmodels' Holm correction, the krippendorff package on the raters x units matrix.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from smmrubric import reliability as rel
from smmrubric import simulate as sim
from smmrubric.errors import SmmrubricError

COLUMNS = ["candidate_id", "rater_id", "competency_id", "score"]


def long_table(x: np.ndarray, raters: list[str] | None = None) -> pd.DataFrame:
    """A candidates x raters x competencies array (or candidates x raters) as a long ratings table."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 2:
        x = x[:, :, None]
    n_p, n_r, n_i = x.shape
    p, r, i = np.meshgrid(np.arange(n_p), np.arange(n_r), np.arange(n_i), indexing="ij")
    names = np.array(raters if raters is not None else [f"R{j}" for j in range(n_r)])
    return pd.DataFrame(
        {
            "candidate_id": [f"C{a:02d}" for a in p.ravel()],
            "rater_id": names[r.ravel()],
            "competency_id": [f"k{c}" for c in i.ravel()],
            "score": x.ravel(),
        }
    )


# Shrout & Fleiss (1979), worked example: 6 targets (rows) x 4 judges (columns)
SHROUT_FLEISS = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])

# pingouin/datasets/icc.csv: 8 wines (rows) x judges A-D (columns)
WINE = np.array(
    [[1, 2, 0, 1], [1, 3, 3, 2], [3, 8, 1, 4], [6, 4, 3, 3], [6, 5, 5, 6], [7, 5, 6, 2], [8, 7, 7, 9], [9, 9, 9, 8]]
)

# Brennan (2001) Synthetic Data Set No. 3: persons x occasions (o1, o2) x items (i1-i4)
BRENNAN_3 = np.array(
    [
        [[2, 6, 7, 5], [2, 5, 5, 5]],
        [[4, 5, 6, 7], [6, 7, 5, 7]],
        [[5, 5, 4, 6], [5, 4, 5, 5]],
        [[5, 9, 8, 6], [5, 7, 7, 6]],
        [[4, 3, 5, 6], [4, 5, 6, 4]],
        [[4, 4, 4, 7], [6, 4, 7, 8]],
        [[2, 6, 6, 5], [2, 7, 7, 5]],
        [[3, 4, 4, 5], [6, 6, 6, 4]],
        [[0, 5, 4, 5], [5, 5, 5, 3]],
        [[6, 8, 7, 6], [6, 8, 8, 6]],
    ]
)

# Brennan (2001) Synthetic Data Set No. 4: columns t1_r1..t1_r4, t2_r5..t2_r8, t3_r9..t3_r12; rows persons 1-10
BRENNAN_4 = np.array(
    [
        [5, 6, 5, 5, 5, 3, 4, 5, 6, 7, 3, 3],
        [9, 3, 7, 7, 7, 5, 5, 5, 7, 7, 5, 2],
        [3, 4, 3, 3, 5, 3, 3, 5, 6, 5, 1, 6],
        [7, 5, 5, 3, 3, 1, 4, 3, 5, 3, 3, 5],
        [9, 2, 9, 7, 7, 7, 3, 7, 2, 7, 5, 3],
        [3, 4, 3, 5, 3, 3, 6, 3, 4, 5, 1, 2],
        [7, 3, 7, 7, 7, 5, 5, 7, 5, 5, 5, 4],
        [5, 8, 5, 7, 7, 5, 5, 4, 3, 2, 1, 1],
        [9, 9, 8, 8, 6, 6, 6, 5, 5, 8, 1, 1],
        [4, 4, 4, 3, 3, 5, 6, 5, 5, 7, 1, 1],
    ]
)


def brennan_4_nested() -> pd.DataFrame:
    """No. 4 with the roles renamed to (r:p) x i: tasks as candidates, their raters nested, persons as competencies.

    Brennan's p x (r:t) and our (r:p) x i have the same ANOVA with the facets renamed (t -> p, r:t -> r:p,
    p -> i, pt -> pi, pr:t -> ri:p,e).
    """
    rows = [
        (f"t{j // 4 + 1}", f"r{j + 1}", f"person{p + 1:02d}", BRENNAN_4[p, j]) for p in range(10) for j in range(12)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


# Krippendorff (2011), p. 8 (section C): observers A-D x units 1-12, missing as NaN
KRIPPENDORFF = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
        [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
    ]
)


def random_effects(rng: np.random.Generator, shape: tuple[int, int, int], sd: dict[str, float]) -> np.ndarray:
    """A crossed p x r x i sample with the given component SDs (keys p, r, i, pr, pi, ri, e)."""
    n_p, n_r, n_i = shape
    draws = {
        "p": (n_p, 1, 1),
        "r": (1, n_r, 1),
        "i": (1, 1, n_i),
        "pr": (n_p, n_r, 1),
        "pi": (n_p, 1, n_i),
        "ri": (1, n_r, n_i),
        "e": (n_p, n_r, n_i),
    }
    return sum(sd.get(k, 0.0) * rng.standard_normal(s) for k, s in draws.items()) + np.zeros(shape)


def reml(frame: pd.DataFrame, effects: dict[str, list[str]]) -> dict[str, float]:
    """REML variance components of crossed random effects (statsmodels MixedLM, one group), residual as 'e'."""
    import statsmodels.formula.api as smf

    data = frame.copy()
    for name, columns in effects.items():
        data[name.replace(":", "_")] = data[columns].astype(str).agg("|".join, axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if len(effects) == 1:  # one random factor: the usual random-intercept model, grouped by it
            (name,) = effects
            fit = smf.mixedlm("score ~ 1", data, groups=name).fit(reml=True)
            return {name: float(fit.cov_re.iloc[0, 0]), "e": float(fit.scale)}
        data["one"] = 1
        vc = {name.replace(":", "_"): f"0 + C({name.replace(':', '_')})" for name in effects}
        model = smf.mixedlm("score ~ 1", data, groups="one", vc_formula=vc, re_formula="0")
        fit = model.fit(reml=True, method=["lbfgs"], maxiter=5000, gtol=1e-10)
    assert fit.converged
    out = {name.replace("_", ":"): float(v) for name, v in zip(model.exog_vc.names, fit.vcomp, strict=True)}
    out["e"] = float(fit.scale)
    return out


# ---------------------------------------------------------------- ICC: published values


def test_icc_shrout_fleiss():
    table = rel.icc(long_table(SHROUT_FLEISS), "k0")
    assert list(table.index) == list(rel.ICC_FORMS)
    assert table["icc"].to_numpy() == pytest.approx([0.17, 0.29, 0.71, 0.44, 0.62, 0.91], abs=0.005)
    # psych::ICC and DescTools::ICC on the same data
    assert table["F"].to_numpy() == pytest.approx([1.79, 11.03, 11.03, 1.79, 11.03, 11.03], abs=0.005)
    assert table["df1"].tolist() == [5] * 6
    assert table["df2"].tolist() == [18, 15, 15, 18, 15, 15]
    assert table["p"].to_numpy() == pytest.approx(
        [0.164769, 0.000135, 0.000135, 0.164769, 0.000135, 0.000135], abs=5e-7
    )
    assert table["lower"].to_numpy() == pytest.approx([-0.133, 0.019, 0.342, -0.884, 0.071, 0.676], abs=0.0005)
    assert table["upper"].to_numpy() == pytest.approx([0.72, 0.76, 0.95, 0.91, 0.93, 0.99], abs=0.005)
    assert set(table["design"]) == {"crossed"}
    assert table["n_candidates"].iloc[0] == 6 and table["n_raters"].iloc[0] == 4


def test_icc_pingouin_wine():
    table = rel.icc(long_table(WINE, raters=list("ABCD")), "k0")
    assert table["icc"].to_numpy() == pytest.approx([0.728, 0.728, 0.729, 0.914, 0.914, 0.915], abs=0.0005)
    assert table["F"].to_numpy() == pytest.approx([11.680, 11.787, 11.787, 11.680, 11.787, 11.787], abs=0.0005)
    assert table["df2"].tolist() == [24, 21, 21, 24, 21, 21]
    assert table["lower"].to_numpy() == pytest.approx([0.43, 0.43, 0.43, 0.75, 0.75, 0.75], abs=0.005)
    assert table["upper"].to_numpy() == pytest.approx([0.93, 0.93, 0.93, 0.98, 0.98, 0.98], abs=0.005)


def test_icc_equals_its_definition_from_reml_components(rng):
    """ICC(2,.), ICC(3,.) from the two-way and ICC(1,.) from the one-way random model's REML components."""
    x = random_effects(rng, (30, 4, 1), {"p": 1.0, "r": 0.6, "e": 0.7})[:, :, 0]
    frame = long_table(x)
    table = rel.icc(frame, "k0")["icc"]
    two = reml(frame, {"p": ["candidate_id"], "r": ["rater_id"]})
    one = reml(frame, {"p": ["candidate_id"]})
    k = 4
    expected = {
        "ICC(1,1)": one["p"] / (one["p"] + one["e"]),
        "ICC(1,k)": one["p"] / (one["p"] + one["e"] / k),
        "ICC(2,1)": two["p"] / (two["p"] + two["r"] + two["e"]),
        "ICC(2,k)": two["p"] / (two["p"] + (two["r"] + two["e"]) / k),
        "ICC(3,1)": two["p"] / (two["p"] + two["e"]),
        "ICC(3,k)": two["p"] / (two["p"] + two["e"] / k),
    }
    for form, value in expected.items():
        assert table[form] == pytest.approx(value, abs=1e-4), form


def test_icc_overall_and_per_competency_labels(rng):
    frame = long_table(random_effects(rng, (8, 3, 3), {"p": 1, "pi": 0.5, "e": 0.5}))
    table = rel.icc(frame)
    assert table.index.names == ["competency_id", "form"]
    assert list(table.index.get_level_values(0).unique()) == [rel.OVERALL, "k0", "k1", "k2"]
    means = frame.groupby(["candidate_id", "rater_id"], as_index=False)["score"].mean().assign(competency_id="m")
    assert table.loc[rel.OVERALL, "icc"].to_numpy() == pytest.approx(rel.icc(means, "m")["icc"].to_numpy())
    assert rel.icc(frame, rel.OVERALL)["icc"].to_numpy() == pytest.approx(table.loc[rel.OVERALL, "icc"].to_numpy())
    assert rel.icc(frame, "k1")["icc"].to_numpy() == pytest.approx(table.loc["k1", "icc"].to_numpy())


def test_icc_nested_gives_only_icc1(rng):
    true = sim.candidates(pd.Series(["skill", "trait"], index=["a", "b"]), 40, seed=rng)
    frame = sim.ratings(
        true, pd.Series(["skill", "trait"], index=["a", "b"]), seed=rng, raters=3, rater_pool=500, continuous=True
    )
    table = rel.icc(frame, "a")
    assert set(table["design"]) == {"nested"}
    assert table.loc[["ICC(2,1)", "ICC(3,1)", "ICC(2,k)", "ICC(3,k)"], "icc"].isna().all()
    # ICC(1,1) is the one-way random model's: compare with REML on the candidate's ratings
    one = reml(frame[frame["competency_id"] == "a"], {"p": ["candidate_id"]})
    assert table.loc["ICC(1,1)", "icc"] == pytest.approx(one["p"] / (one["p"] + one["e"]), abs=1e-4)


# ---------------------------------------------------------------- ICC: unbalanced ratings


def test_skipped_candidate_is_refused_or_dropped(rng):
    frame = long_table(random_effects(rng, (6, 3, 2), {"p": 1, "e": 0.5}))
    skipped = frame[~((frame["candidate_id"] == "C02") & (frame["rater_id"] == "R1"))]
    with pytest.raises(SmmrubricError, match="candidate 'C02' has 2 rater.*not rated by R1") as err:
        rel.icc(skipped)
    assert err.value.field == "rater_id" and err.value.row == "candidate C02"
    with pytest.warns(UserWarning, match="left out 1 candidate"):
        dropped = rel.icc(skipped, incomplete="drop")
    expected = rel.icc(frame[frame["candidate_id"] != "C02"])
    pd.testing.assert_frame_equal(dropped, expected)


def test_missing_competency_of_a_pair_is_refused_or_dropped(rng):
    frame = long_table(random_effects(rng, (6, 3, 3), {"p": 1, "e": 0.5}))
    gap = (frame["candidate_id"] == "C04") & (frame["rater_id"] == "R2") & (frame["competency_id"] == "k1")
    with pytest.raises(SmmrubricError, match="rater 'R2' rated candidate 'C04' on 2 of 3 competencies") as err:
        rel.icc(frame[~gap])
    assert err.value.field == "competency_id"
    with pytest.warns(UserWarning):
        table = rel.g_study(frame[~gap], incomplete="drop")
    assert table.sizes == {"p": 5, "r": 3, "i": 3}


def test_too_little_data_is_refused():
    one_rater = long_table(np.arange(6.0).reshape(6, 1))
    with pytest.raises(SmmrubricError, match="at least 2 raters"):
        rel.icc(one_rater)
    with pytest.raises(SmmrubricError, match="at least 2 candidates"):
        rel.icc(long_table(np.arange(3.0).reshape(1, 3)))
    with pytest.raises(SmmrubricError, match="at least 2 competencies"):
        rel.g_study(long_table(SHROUT_FLEISS))


def test_bad_input_names_the_field(rng):
    frame = long_table(SHROUT_FLEISS)
    with pytest.raises(SmmrubricError, match="did you mean 'copywriting'") as err:
        rel.icc(frame.assign(competency_id="copywriting"), "copywritng")
    assert err.value.field == "competency"
    with pytest.raises(SmmrubricError, match="missing required column"):
        rel.icc(frame.drop(columns="score"))
    with pytest.raises(SmmrubricError) as err:
        rel.icc(frame, incomplete="ignore")
    assert err.value.field == "incomplete"
    with pytest.raises(SmmrubricError) as err:
        rel.icc(frame, confidence=1.0)
    assert err.value.field == "confidence"
    staged = pd.concat([frame.assign(stage="screening"), frame.assign(stage="interview")], ignore_index=True)
    with pytest.raises(SmmrubricError, match="several stages") as err:
        rel.icc(staged)
    assert err.value.field == "stage"
    assert rel.icc(staged[staged["stage"] == "interview"], "k0")["icc"].iloc[0] == pytest.approx(0.1657, abs=1e-4)
    with pytest.raises(SmmrubricError):
        rel.icc("ratings.csv")


# ---------------------------------------------------------------- G study: published values


def test_g_study_brennan_synthetic_3_crossed():
    g = rel.g_study(long_table(BRENNAN_3))  # persons x occasions (as raters) x items (as competencies)
    assert g.design == "crossed" and g.sizes == {"p": 10, "r": 2, "i": 4}
    # Brennan's p, i, o, pi, po, io, pio,e as our p, i, r, pi, pr, ri, pri,e
    expected = {"p": 0.5528, "r": 0.0074, "i": 0.4417, "pr": 0.1009, "pi": 0.5750, "ri": 0.1565, "pri,e": 0.9352}
    assert list(g.components.index) == list(rel.CROSSED_COMPONENTS)
    for name, value in expected.items():
        assert g.variance[name] == pytest.approx(value, abs=5e-5), name
    assert not g.components["negative"].any()
    ss = {"p": 62.20, "r": 3.20, "i": 37.45, "pr": 12.05, "pi": 56.30, "ri": 7.50, "pri,e": 25.25}
    for name, value in ss.items():
        assert g.mean_squares.loc[name, "ss"] == pytest.approx(value, abs=0.005), name
    assert g.mean_squares["df"].tolist() == [9, 1, 3, 9, 27, 3, 27]
    assert g.mean_squares.loc["p", "ms"] == pytest.approx(6.9111, abs=5e-5)
    assert g.mean_squares.loc["i", "ms"] == pytest.approx(12.4833, abs=5e-5)
    d = rel.d_study(g, raters=[2], competencies=[4])
    assert d.loc[(2, 4), "g"] == pytest.approx(0.64, abs=0.005)
    assert d.loc[(2, 4), "phi"] == pytest.approx(0.55, abs=0.005)


def test_g_study_brennan_synthetic_4_nested():
    g = rel.g_study(brennan_4_nested())
    assert g.design == "nested" and g.sizes == {"p": 3, "r": 4, "i": 10}
    assert list(g.components.index) == list(rel.NESTED_COMPONENTS)
    # Brennan's t, r:t, p, pt, pr:t,e as our p, r:p, i, pi, ri:p,e
    expected = {"p": 0.3252, "r:p": 0.6475, "i": 0.4731, "pi": 0.5596, "ri:p,e": 2.3802}
    for name, value in expected.items():
        assert g.variance[name] == pytest.approx(value, abs=5e-5), name
    ms = {"p": 24.1000, "r:p": 8.8556, "i": 10.2963, "pi": 4.6185, "ri:p,e": 2.3802}
    for name, value in ms.items():
        assert g.mean_squares.loc[name, "ms"] == pytest.approx(value, abs=5e-5), name
    assert g.mean_squares["df"].tolist() == [2, 9, 9, 18, 81]
    with pytest.raises(SmmrubricError, match="design='nested'") as err:
        rel.g_study(brennan_4_nested(), design="crossed")
    assert err.value.field == "design"


# ---------------------------------------------------------------- G study: second route (REML)


@pytest.mark.parametrize("seed", [0, 4])
def test_g_study_crossed_equals_reml(seed):
    x = random_effects(
        np.random.default_rng(seed),
        (10, 4, 5),
        {"p": 1.0, "r": 0.8, "i": 0.8, "pr": 0.7, "pi": 0.7, "ri": 0.6, "e": 0.5},
    )
    frame = long_table(x)
    g = rel.g_study(frame)
    assert not g.components["negative"].any()  # REML equals ANOVA only then
    fit = reml(
        frame,
        {
            "p": ["candidate_id"],
            "r": ["rater_id"],
            "i": ["competency_id"],
            "pr": ["candidate_id", "rater_id"],
            "pi": ["candidate_id", "competency_id"],
            "ri": ["rater_id", "competency_id"],
        },
    )
    fit["pri,e"] = fit.pop("e")
    for name in rel.CROSSED_COMPONENTS:
        assert g.variance[name] == pytest.approx(fit[name], rel=2e-3, abs=2e-4), name


def test_g_study_nested_equals_reml(rng):
    x = random_effects(rng, (15, 3, 4), {"p": 1.0, "i": 0.7, "pr": 0.8, "pi": 0.6, "e": 0.5})
    raters = {f"C{a:02d}": [f"P{a}R{j}" for j in range(3)] for a in range(15)}  # each candidate's own raters
    frame = long_table(x)
    frame["rater_id"] = [raters[c][int(r[1:])] for c, r in zip(frame["candidate_id"], frame["rater_id"], strict=True)]
    g = rel.g_study(frame)
    assert g.design == "nested" and not g.components["negative"].any()
    fit = reml(
        frame,
        {"p": ["candidate_id"], "r:p": ["rater_id"], "i": ["competency_id"], "pi": ["candidate_id", "competency_id"]},
    )
    fit["ri:p,e"] = fit.pop("e")
    for name in rel.NESTED_COMPONENTS:
        assert g.variance[name] == pytest.approx(fit[name], rel=2e-3, abs=2e-4), name


def test_nested_analysis_of_crossed_ratings_pools_the_sums_of_squares(rng):
    """SS(r:p) = SS(r) + SS(pr) and SS(ri:p) = SS(ri) + SS(pri) (the nested model's effects split in two)."""
    frame = long_table(random_effects(rng, (7, 3, 4), {"p": 1, "r": 0.5, "pr": 0.5, "e": 1}))
    crossed, nested = rel.g_study(frame), rel.g_study(frame, design="nested")
    c, n = crossed.mean_squares, nested.mean_squares
    for whole, parts in {"p": ["p"], "i": ["i"], "pi": ["pi"], "r:p": ["r", "pr"], "ri:p,e": ["ri", "pri,e"]}.items():
        assert n.loc[whole, "ss"] == pytest.approx(c.loc[parts, "ss"].sum()), whole
        assert n.loc[whole, "df"] == c.loc[parts, "df"].sum(), whole


def test_negative_estimates_are_zeroed_and_flagged(rng):
    x = random_effects(rng, (8, 3, 3), {"p": 1, "pi": 0.5, "e": 0.8})
    x -= x.mean(axis=(0, 2), keepdims=True)  # every rater has the same mean: MS(r) = 0, s2(r) < 0
    g = rel.g_study(long_table(x))
    assert g.components.loc["r", "estimate"] < 0
    assert g.components.loc["r", "variance"] == 0 and g.components.loc["r", "negative"]
    assert g.components["share"].sum() == pytest.approx(1.0)
    assert (g.components["variance"] >= 0).all()


# ---------------------------------------------------------------- D study


def test_d_study_equals_icc_with_fixed_competencies():
    """Brennan's fixed-facet coefficients at the observed sizes are the overall ICCs (exact ANOVA identities)."""
    frame = long_table(BRENNAN_3)
    g = rel.g_study(frame)
    overall = rel.icc(frame, rel.OVERALL)["icc"]
    d = rel.d_study(g, raters=[2], fixed_competencies=True)
    assert d.loc[(2, 4), "g"] == pytest.approx(overall["ICC(3,k)"], rel=1e-12)
    assert d.loc[(2, 4), "phi"] == pytest.approx(overall["ICC(2,k)"], rel=1e-12)
    nested = brennan_4_nested()
    g4 = rel.g_study(nested)
    d4 = rel.d_study(g4, raters=[4], fixed_competencies=True)
    icc1k = rel.icc(nested, rel.OVERALL)["icc"]["ICC(1,k)"]
    assert d4.loc[(4, 10), "g"] == pytest.approx(icc1k, rel=1e-12)
    assert d4.loc[(4, 10), "phi"] == pytest.approx(icc1k, rel=1e-12)


def test_d_study_nested_from_crossed_g_study():
    g = rel.g_study(long_table(BRENNAN_3))
    v = g.variance
    d = rel.d_study(g, raters=[3], competencies=[5], design="nested")
    # Brennan (2001) ch. 4: the (R:p) x I D study with s2(r:p) = s2(r) + s2(pr), s2(ri:p,e) = s2(ri) + s2(pri,e)
    rel_err = v["pi"] / 5 + (v["r"] + v["pr"]) / 3 + (v["ri"] + v["pri,e"]) / 15
    assert d.loc[(3, 5), "g"] == pytest.approx(v["p"] / (v["p"] + rel_err))
    assert d.loc[(3, 5), "phi"] == pytest.approx(v["p"] / (v["p"] + rel_err + v["i"] / 5))
    g4 = rel.g_study(brennan_4_nested())
    with pytest.raises(SmmrubricError, match="confounded") as err:
        rel.d_study(g4, design="crossed")
    assert err.value.field == "design"


def test_d_study_table_shape_and_defaults():
    g = rel.g_study(long_table(BRENNAN_3))
    d = rel.d_study(g)
    assert d.index.names == ["raters", "competencies"]
    assert list(d.index.get_level_values("raters")) == [1, 2, 3, 4, 5]
    assert list(d.columns) == ["g", "phi", "relative_error", "absolute_error"]
    assert (d["phi"] <= d["g"]).all() and d["g"].is_monotonic_increasing
    for bad in ([0], ["two"], [], 2.5):
        with pytest.raises(SmmrubricError) as err:
            rel.d_study(g, raters=bad)
        assert err.value.field == "raters"
    with pytest.raises(SmmrubricError) as err:
        rel.d_study(g.components)
    assert err.value.field == "g"


@pytest.mark.parametrize("fixed", [False, True])
@pytest.mark.parametrize("n_i", [4, 12, 40])
def test_raters_needed_is_the_smallest_by_brute_force(fixed, n_i):
    g = rel.g_study(long_table(BRENNAN_3))
    needed = rel.raters_needed(g, 0.8, competencies=n_i, fixed_competencies=fixed)
    table = rel.d_study(g, raters=range(1, 501), competencies=[n_i], fixed_competencies=fixed)
    for coefficient in ("g", "phi"):
        reached = table.index.get_level_values("raters")[(table[coefficient] >= 0.8).to_numpy()]
        limit = rel.d_study(g, raters=[10**9], competencies=[n_i], fixed_competencies=fixed)[coefficient].iloc[0]
        assert needed.loc[coefficient, "limit"] == pytest.approx(limit, abs=1e-6)
        if len(reached):
            assert needed.loc[coefficient, "raters"] == reached.min()
        else:
            assert pd.isna(needed.loc[coefficient, "raters"]) and limit < 0.8
    with pytest.raises(SmmrubricError) as err:
        rel.raters_needed(g, 1.0)
    assert err.value.field == "target"


# ---------------------------------------------------------------- rater severity


def test_severity_shift_and_flag(rng):
    x = random_effects(rng, (40, 5, 4), {"p": 1.0, "pi": 0.5, "pr": 0.3, "e": 0.5})
    shift = np.array([0.0, 0.0, 1.5, 0.0, 0.0])
    base = rel.rater_severity(long_table(x))
    moved = rel.rater_severity(long_table(x + shift[None, :, None]))
    # the rater's deviation from the mean of the 4 others moves by c_r - mean of the others' c
    expected = shift - (shift.sum() - shift) / 4
    assert (moved["deviation"] - base["deviation"]).to_numpy() == pytest.approx(expected)
    # the others look severe next to R2 (their intervals exclude 0) but only R2 differs from most raters
    assert (moved.drop("R2")["upper"] < 0).all()
    assert moved["flagged"].tolist() == [False, False, True, False, False]
    assert moved.loc["R2", "n_differs"] == 4 and moved["n_compared"].tolist() == [4] * 5
    assert moved.loc["R2", "lower"] > 0 and moved.loc["R2", "n_candidates"] == 40
    assert moved.loc["R2", "n_ratings"] == 160
    assert not base["flagged"].any()


def test_rater_pairs_t_intervals_and_holm(rng):
    from scipy import stats
    from statsmodels.stats.multitest import multipletests

    x = random_effects(rng, (12, 4, 3), {"p": 1.0, "r": 0.4, "pr": 0.3, "e": 0.6})
    frame = long_table(x)
    pairs = rel.rater_pairs(frame)
    assert len(pairs) == 6 and pairs.index.names == ["rater_id", "other_rater_id"]
    assert pairs["p_holm"].to_numpy() == pytest.approx(multipletests(pairs["p"].to_numpy(), method="holm")[1])
    # R0 minus R3: a paired t test on the candidates' mean scores
    a, b = x[:, 0, :].mean(axis=1), x[:, 3, :].mean(axis=1)
    test = stats.ttest_rel(a, b)
    assert pairs.loc[("R0", "R3"), "p"] == pytest.approx(test.pvalue)
    low, high = test.confidence_interval(0.95)
    assert pairs.loc[("R0", "R3"), ["lower", "upper"]].to_numpy(dtype=float) == pytest.approx([low, high])
    # the severity interval: the one-sample t interval of the per-candidate deviations from the others' mean
    deviations = x[:, 0, :].mean(axis=1) - x[:, 1:, :].mean(axis=(1, 2))
    low, high = stats.t.interval(0.95, 11, loc=deviations.mean(), scale=stats.sem(deviations))
    severity = rel.rater_severity(frame)
    assert severity.loc["R0", ["lower", "upper"]].to_numpy(dtype=float) == pytest.approx([low, high])


def test_two_raters_who_differ_are_both_flagged(rng):
    x = random_effects(rng, (30, 2, 2), {"p": 1.0, "e": 0.3}) + np.array([0.0, 2.0])[None, :, None]
    assert rel.rater_severity(long_table(x))["flagged"].tolist() == [True, True]


def test_severity_needs_shared_candidates():
    frame = long_table(np.arange(12.0).reshape(4, 3, 1))
    single = frame.groupby("candidate_id").head(1)
    with pytest.raises(SmmrubricError, match="2 raters or more"):
        rel.rater_severity(single)


# ---------------------------------------------------------------- Krippendorff's alpha


def krippendorff_long() -> pd.DataFrame:
    observers, units = np.nonzero(~np.isnan(KRIPPENDORFF))
    return pd.DataFrame(
        {
            "candidate_id": [f"u{u + 1:02d}" for u in units],
            "rater_id": ["ABCD"[o] for o in observers],
            "competency_id": "c",
            "score": KRIPPENDORFF[observers, units],
        }
    )


def test_krippendorff_published_example():
    table = rel.krippendorff_alpha(krippendorff_long())
    assert list(table.index) == [rel.OVERALL, "c"]
    assert table.loc["c", "interval"] == pytest.approx(0.849, abs=0.0005)
    assert table.loc["c", "ordinal"] == pytest.approx(0.815, abs=0.0005)
    assert table.loc["c", "n_units"] == 11  # unit 12 has one rating: not pairable
    assert table.loc["c", "n_pairable"] == 40
    row = rel.krippendorff_alpha(krippendorff_long(), "c")
    assert row["interval"] == pytest.approx(table.loc["c", "interval"])


def test_krippendorff_matches_package_on_reliability_data(rng):
    import krippendorff

    true = sim.candidates(pd.Series(["skill", "skill", "trait"], index=["a", "b", "c"]), 30, seed=rng)
    frame = sim.ratings(
        true, pd.Series(["skill", "skill", "trait"], index=["a", "b", "c"]), seed=rng, raters=3, rater_pool=8
    )
    matrix = rel.reliability_data(frame)
    assert matrix.shape == (8, 90)
    table = rel.krippendorff_alpha(frame)
    for level in ("interval", "ordinal"):
        expected = krippendorff.alpha(reliability_data=matrix.to_numpy(), level_of_measurement=level)
        assert table.loc[rel.OVERALL, level] == pytest.approx(expected)
        one = rel.reliability_data(frame, "b").to_numpy()
        assert table.loc["b", level] == pytest.approx(
            krippendorff.alpha(reliability_data=one, level_of_measurement=level)
        )


def test_krippendorff_undefined_is_nan():
    frame = long_table(np.full((4, 3), 3.0))
    table = rel.krippendorff_alpha(frame)
    assert table[["interval", "ordinal"]].isna().all().all()


# ---------------------------------------------------------------- to the simulator


def test_simulation_parameters_recover_the_simulator_nested(rng):
    cats = pd.Series(["skill"] * 3 + ["trait"] * 3, index=list("abcdef"))
    true = sim.candidates(cats, 3000, seed=rng)
    frame = sim.ratings(true, cats, seed=rng, raters=3, rater_pool=1_000_000, continuous=True, reliability=0.44)
    params = rel.simulation_parameters(rel.g_study(frame))
    assert rel.g_study(frame).design == "nested"
    assert params["reliability"] == pytest.approx(0.44, abs=0.02)
    assert params["leniency_share"] + params["halo_share"] == pytest.approx(2 * sim.DEFAULT_LENIENCY_SHARE, abs=0.03)
    assert params["mean_intercorrelation"] == pytest.approx(sim.DEFAULT_MEAN_INTERCORRELATION, abs=0.03)
    assert params["rater_bias_share"] == pytest.approx(sim.HOYT_KERNS_BIAS_SHARE, abs=0.02)
    assert params["raters"] == 3


def test_simulation_parameters_recover_the_simulator_crossed(rng):
    cats = pd.Series(["skill"] * 2 + ["trait"] * 2, index=list("abcd"))
    true = sim.candidates(cats, 400, seed=rng)
    frame = sim.ratings(
        true, cats, seed=rng, raters=150, continuous=True, reliability=0.6, leniency_share=0.4, halo_share=0.2
    )
    params = rel.simulation_parameters(rel.g_study(frame))
    # the leniency variance is estimated from 150 raters' shifts: relative SE about sqrt(2 / 149) = .12
    assert params["reliability"] == pytest.approx(0.6, abs=0.04)
    assert params["leniency_share"] == pytest.approx(0.4, abs=0.06)
    assert params["halo_share"] == pytest.approx(0.2, abs=0.03)
    again = sim.rating_variance(
        params["reliability"], leniency_share=params["leniency_share"], halo_share=params["halo_share"]
    )
    assert again["reliability"] == pytest.approx(params["reliability"])


def test_simulation_parameters_refuses_no_candidate_variance(rng):
    x = np.zeros((5, 3, 2)) + np.array([1.0, 2.0, 4.0])[None, :, None]  # only rater differences
    with pytest.raises(SmmrubricError, match="no variance between candidates") as err:
        rel.simulation_parameters(rel.g_study(long_table(x)))
    assert err.value.field == "g"


# ---------------------------------------------------------------- properties


def balanced(min_p: int = 3, max_r: int = 4, max_i: int = 3):
    shape = st.tuples(st.integers(min_p, 6), st.integers(2, max_r), st.integers(1, max_i))
    return shape.flatmap(lambda s: hnp.arrays(float, s, elements=st.integers(1, 5).map(float)))


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    numeric = a.select_dtypes("number").columns
    np.testing.assert_allclose(
        a[numeric].to_numpy(dtype=float), b[numeric].to_numpy(dtype=float), rtol=1e-9, atol=1e-9, equal_nan=True
    )


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=balanced(), c=st.floats(-50, 50))
def test_adding_a_constant_changes_nothing(x, c):
    frame, shifted = long_table(x), long_table(x + c)
    same(rel.icc(frame), rel.icc(shifted))
    same(rel.rater_severity(frame), rel.rater_severity(shifted))
    if x.shape[2] >= 2:
        np.testing.assert_allclose(
            rel.g_study(frame).components["estimate"], rel.g_study(shifted).components["estimate"], rtol=1e-9, atol=1e-9
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=balanced(max_i=1), c=st.lists(st.floats(-5, 5), min_size=4, max_size=4))
def test_rater_constants_leave_icc3_and_lower_icc1_icc2(x, c):
    x = x[:, :, 0]
    x = x - x.mean(axis=0) + x.mean()  # equal rater means, so constants can only spread the raters
    shift = np.array(c[: x.shape[1]])
    before, after = rel.icc(long_table(x), "k0")["icc"], rel.icc(long_table(x + shift), "k0")["icc"]
    for form in ("ICC(3,1)", "ICC(3,k)"):
        assert after[form] == pytest.approx(before[form], abs=1e-9, nan_ok=True)
    if before["ICC(3,1)"] > 0:  # (BMS > EMS: the raters agree at all)
        for form in ("ICC(1,1)", "ICC(1,k)", "ICC(2,1)", "ICC(2,k)"):
            assert after[form] <= before[form] + 1e-9


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=balanced(), c=st.lists(st.floats(-5, 5), min_size=4, max_size=4))
def test_rater_constants_move_only_the_rater_component(x, c):
    if x.shape[2] < 2:
        return
    shift = np.array(c[: x.shape[1]])[None, :, None]
    before = rel.g_study(long_table(x)).components["estimate"]
    after = rel.g_study(long_table(x + shift)).components["estimate"]
    np.testing.assert_allclose(before.drop("r"), after.drop("r"), rtol=1e-9, atol=1e-9)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=balanced(), data=st.data())
def test_relabelling_ids_changes_nothing(x, data):
    frame = long_table(x)
    rename = {}
    for column in ("candidate_id", "rater_id", "competency_id"):
        ids = sorted(frame[column].unique())
        new = data.draw(st.permutations([f"z{j}" for j in range(len(ids))]), label=column)
        rename[column] = dict(zip(ids, new, strict=True))
    order = data.draw(st.permutations(range(len(frame))), label="row order")
    moved = frame.replace(rename).iloc[list(order)].reset_index(drop=True)
    icc_a, icc_b = rel.icc(frame), rel.icc(moved)
    relabelled = icc_a.rename(index=rename["competency_id"], level="competency_id")
    same(relabelled.sort_index(), icc_b.sort_index())
    sev_a = rel.rater_severity(frame).rename(index=rename["rater_id"]).sort_index()
    same(sev_a, rel.rater_severity(moved).sort_index())
    if x.shape[2] >= 2:
        np.testing.assert_allclose(rel.g_study(frame).variance, rel.g_study(moved).variance, rtol=1e-9, atol=1e-12)
    alpha_a = rel.krippendorff_alpha(frame).rename(index=rename["competency_id"]).sort_index()
    same(alpha_a, rel.krippendorff_alpha(moved).sort_index())
