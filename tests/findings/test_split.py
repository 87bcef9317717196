"""The published findings of notebook 03, recomputed through the package (skipped unless the data are the
published set). The numbers are those the notebook prints with its default parameters."""

from __future__ import annotations

import numpy as np
import pytest

from smmrubric import split
from smmrubric.data import published_data
from smmrubric.findings import split as found
from smmrubric.inputs import DEFAULT_SEED

pytestmark = pytest.mark.skipif(not published_data(), reason="the data differ from the published set")
SEED, K = DEFAULT_SEED, 10
ASSUMED = {"skill_validity": 0.40, "trait_validity": 0.19, "mean_intercorrelation": 0.3, "category_gap": 0.15}


@pytest.fixture(scope="module")
def s(published):
    return published  # the session's published run (tests/conftest.py)


@pytest.fixture(scope="module")
def growth(s):
    return split.hire_and_grow(
        s.rubric,
        seed=SEED,
        k=K,
        n=200,
        n_pools=200,
        skill_gain=0.6,
        gain_cv=0.5,
        learning_trait_correlation=0.3,
        ceiling=None,
        **ASSUMED,
    )


def test_section1_labels(s):
    """Kappa .61 with Fleiss, Cohen & Everitt's (1969) SE .20 and interval .22 to 1.00; PABAK .82."""
    agreement = split.label_agreement(s.lists)
    pooled = agreement.loc["all"]
    assert int((agreement.drop(index="all")["n"] > 0).sum()) == 4
    assert (pooled["n"], pooled["n_items"], pooled["n_agree"]) == (33, 81, 30)
    assert pooled["author_skill_share"] == pytest.approx(0.88, abs=5e-3) and pooled[
        "our_skill_share_labelled"
    ] == pytest.approx(0.85, abs=5e-3)
    assert pooled["our_skill_share"] == pytest.approx(0.65, abs=5e-3)
    assert [pooled["kappa"], pooled["kappa_se"], pooled["kappa_low"], pooled["kappa_high"], pooled["pabak"]] == (
        pytest.approx([0.61, 0.20, 0.22, 1.00, 0.82], abs=0.005)
    )
    assert np.isnan(agreement.loc["seed003_six_skills", "kappa"])
    assert agreement.loc["bullas_cv_skills", "kappa"] == pytest.approx(0, abs=5e-13)
    assert agreement.loc["bullas_cv_skills", "p_observed"] == pytest.approx(0.8)
    disagreements = split.label_disagreements(s.lists)
    assert disagreements["competency_id"].tolist() == ["business_acumen", "creativity", "continuous_learning"]
    assert (disagreements["direction"] == "author skill, our trait").sum() == 2
    vocabulary = split.onet_agreement(s.lists, s.competencies).loc["vocabulary"]
    assert (vocabulary["n_onet"], vocabulary["n"], vocabulary["n_agree"]) == (15, 13, 13) and vocabulary["kappa"] == 1


def test_section2_split_sweep(s, growth):
    sweep = split.split_sweep(s.pool.scores, s.rubric, k=K)
    assert sweep.top_choice_breaks["top"].tolist() == ["C0182", "C0046", "C0149"]
    assert np.round(sweep.break_points, 4).tolist() == pytest.approx([0.8917, 0.9057])
    assert float(s.rubric.category_weights["skill"]) == pytest.approx(0.667, abs=5e-4)
    assert len(sweep.top_k_breaks) - 1 == 17
    assert sweep.summary.loc[0.0, "top_k_overlap"] == pytest.approx(0.5) and sweep.summary.loc[
        1.0, "top_k_overlap"
    ] == pytest.approx(0.6)
    assert sweep.summary.loc[0.0, "kendall_tau"] == pytest.approx(0.69, abs=5e-3)
    assert sweep.summary.loc[1.0, "kendall_tau"] == pytest.approx(0.71, abs=5e-3)
    turnover = growth.turnover.round(2)
    assert turnover.loc[0.0].tolist() == pytest.approx([0.63, 0.4, 0.8]) and turnover.loc[
        1.0
    ].tolist() == pytest.approx([0.62, 0.4, 0.8])


def test_section3_best_share_at_hire(s):
    scenarios = split.quality_scenarios(
        s.rubric,
        mean_intercorrelations=(0.15, 0.3, 0.45),
        category_gaps=(0.0, 0.15, 0.25),
        skill_validities=(0.40,),
        trait_validities=(0.05, 0.19, 0.35),
    )
    corner = scenarios["best_share"] >= 1.0
    assert len(scenarios) == 27 and int(corner.sum()) == 15
    assert (corner == (scenarios["trait_weight"] <= 0)).all()  # all skills best iff traits add nothing
    assert scenarios["best_share"].min() == pytest.approx(0.55, abs=5e-3)
    central = scenarios[
        (np.isclose(scenarios["mean_intercorrelation"], 0.3))
        & (np.isclose(scenarios["category_gap"], 0.15))
        & (np.isclose(scenarios["trait_validity"], 0.19))
    ].iloc[0]
    assert central["composite_r"] == pytest.approx(0.51, abs=5e-3) and central["trait_weight"] == pytest.approx(
        -0.020, abs=5e-4
    )
    # the ends are the inputs (they are not findings): traits only .19, skills only .40
    quality = split.quality_of_hire(s.rubric)
    assert quality.loc[[0.0, 1.0], "validity"].tolist() == pytest.approx([0.19, 0.40], abs=5e-3)


def test_section4_growth(s, growth):
    best = growth.best
    assert best.loc[0.0, "best_share"] == pytest.approx(1.0) and best.loc[24.0, "best_share"] == pytest.approx(0.9)
    assert best.loc[0.0, "mean_performance"] == pytest.approx(0.70, abs=5e-3) and best.loc[0.0, "se"] == pytest.approx(
        0.006, abs=5e-4
    )
    assert (best.loc[24.0, "near_best_from"], best.loc[24.0, "near_best_to"]) == pytest.approx((0.9, 1.0))
    curves = growth.curves["mean_performance"].unstack("months")
    grown = curves[24.0] - curves[0.0]
    assert grown.loc[0.0] == pytest.approx(0.95, abs=5e-3) and grown.loc[1.0] == pytest.approx(0.87, abs=5e-3)
    grid = split.growth_grid(
        s.rubric,
        seed=SEED,
        k=K,
        n=200,
        n_pools=200,
        gain_cv=0.5,
        learning_trait_correlation=0.3,
        skill_validity=0.40,
        mean_intercorrelation=0.3,
        category_gap=0.15,
    )
    table = grid.pivot(index="skill_gain", columns="trait_validity", values="best_share")
    assert np.allclose(table[0.05], 1.0) and (table[0.35].min(), table[0.35].max()) == pytest.approx((0.4, 0.65))
    still = grid[np.isclose(grid["skill_gain"], 0.0)]
    assert (still["best_share"] == still["best_share_at_hire"]).all()  # no growth: the at-hire best


def test_section5_assumptions(s):
    gsa = split.assumption_study(s.rubric, seed=SEED, n_points=64, n_pools=50, n=200, k=K)
    assert (gsa.outcomes["advantage_at_hire"] > 0).mean() == pytest.approx(0.98, abs=5e-3)
    assert (gsa.outcomes["advantage_later"] > 0).mean() == pytest.approx(0.80, abs=5e-3)
    decisive = gsa.flips[gsa.flips["p_value"] < 0.05]
    assert set(decisive.index) == {"trait_validity", "mean_intercorrelation", "skill_validity", "gain_cv"}
    assert decisive["ks"].idxmax() == "trait_validity"
    assert gsa.importance.loc["trait_validity", "best_share_later"] == pytest.approx(-0.81, abs=5e-3)
    assert gsa.importance.loc["skill_validity", "advantage_later"] == pytest.approx(0.90, abs=5e-3)
    text = found.summary(split.quality_scenarios(s.rubric), gsa).text
    assert "A–I" in text and "D (trait validity) and C (skill validity)" in text
