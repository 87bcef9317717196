"""The published findings of notebook 02, recomputed through the package (skipped unless the data are the
published set). The numbers are those the notebook prints with its default parameters."""

from __future__ import annotations

import numpy as np
import pytest

from smmrubric import sensitivity as sens
from smmrubric.data import published_data
from smmrubric.findings import sensitivity as found
from smmrubric.inputs import DEFAULT_SEED
from smmrubric.ranking import sort_frame, sort_series, top_k
from smmrubric.selection import top_overlap

pytestmark = pytest.mark.skipif(not published_data(), reason="the data differ from the published set")
SEED, K = DEFAULT_SEED, 10


@pytest.fixture(scope="module")
def s(published):
    return published  # the session's published run (tests/conftest.py)


@pytest.fixture(scope="module")
def replicated(s):
    return sens.replicated_study(s.rubric, s.experts, seed=SEED, n_pools=200, k=K, draws=100, concentration=100)


@pytest.fixture(scope="module")
def totals(s):
    return sens.rubric_totals(s.pool.scores, {"Consensus": s.rubric, **s.experts})


def test_section1_experts_shortlists(s, replicated, totals):
    matrix = sens.agreement_matrix(totals, k=K)
    with_consensus = sort_series(matrix["Consensus"].drop("Consensus"))
    assert with_consensus.iloc[[0, -1]].tolist() == pytest.approx([0.18, 1.0], abs=0.005)
    assert with_consensus.index[0] == "Serna (Cargill)" and with_consensus.index[-1] == "Buffer (2017)"
    pairs = matrix.drop(index="Consensus", columns="Consensus").to_numpy()[np.triu_indices(len(s.experts), 1)]
    assert [pairs.mean(), pairs.min(), pairs.max()] == pytest.approx([0.40, 0.05, 0.80], abs=0.005)
    assert sens.rank_correlations(totals, "Consensus")["kendall_tau"].mean() == pytest.approx(0.70, abs=0.005)
    table = replicated.table("experts")
    assert table.loc["expert_overlap_mean"].tolist() == pytest.approx([0.60, 0.51, 0.69], abs=0.005)
    assert table.loc["expert_pair_overlap_mean"].tolist() == pytest.approx([0.44, 0.35, 0.55], abs=0.005)


def test_section2_weight_uncertainty(s, replicated, totals):
    uniform = sens.smaa(s.pool.scores, sens.uniform_weights(s.rubric.competency_ids), 10_000, seed=SEED)
    balanced = sens.smaa(s.pool.scores, sens.balanced_weights(s.rubric), 10_000, seed=SEED)
    local = sens.smaa(s.pool.scores, sens.local_weights(s.rubric.weights, 100), 10_000, seed=SEED)
    leader = uniform.summary().index[0]
    assert leader == "C0182"
    assert [round(r.first_rank[leader], 2) for r in (uniform, balanced, local)] == pytest.approx([0.81, 0.70, 0.99])
    top = top_k(totals["Consensus"], K)
    assert [round(r.top_k(K)[top].mean(), 2) for r in (uniform, balanced, local)] == pytest.approx([0.68, 0.59, 0.86])
    assert int((uniform.first_rank > 0).sum()) == 15
    assert (uniform.summary().iloc[3:10]["rank_entropy"] > 3).all()
    assert uniform.confidence.dropna().eq(1).all() and uniform.standard_error.to_numpy().max() <= 0.005
    optimal = sens.potentially_optimal(s.pool.scores)
    assert int(optimal["can_be_first"].sum()) == 88 and int(optimal["can_share_first"].sum()) == 90
    text = found.weight_uncertainty(
        {"uniform": uniform, "balanced": balanced, "local": local},
        optimal,
        replicated,
        s.pool,
        k=K,
        consensus_totals=totals["Consensus"],
        rubric=s.rubric,
    ).text
    assert "**Exactly 88 candidates can be hired first under some weights**" in text
    assert "skill share Beta(18, 12), mean 0.60 and SD 0.09" in text  # Dirichlet aggregation, 18 of 30
    table = replicated.table("weights").round(2)
    assert table.loc["uniform_leader_first"].tolist() == pytest.approx([0.66, 0.34, 1.0])
    assert table.loc["balanced_leader_first"].tolist() == pytest.approx([0.56, 0.27, 0.91])
    assert table.loc["local_leader_first"].tolist() == pytest.approx([0.81, 0.46, 1.0])
    assert table.loc["uniform_top_k_kept"].tolist() == pytest.approx([0.76, 0.65, 0.86])


def test_section3_critical_weights_and_the_cut(s):
    top_set = sens.stability_intervals(s.pool.scores, s.rubric, scope="top_k", k=K)
    winner = sens.stability_intervals(s.pool.scores, s.rubric, scope="top")
    narrow = sort_frame(top_set, "width").head(7)
    assert (narrow["upper"] - narrow["weight"] < 0.013).all() and (narrow["upper"] <= 0.0254).all()
    assert (narrow["lower"] == 0).all() and (np.isclose(narrow["weight"], 0.013, rtol=0, atol=5e-4)).all()
    assert narrow.index[0] == "patience" and narrow["upper"].iloc[0] == pytest.approx(0.016, abs=5e-4)
    assert winner["width"].idxmin() == "creativity" and winner.loc["creativity", "upper"] == pytest.approx(
        0.111, abs=5e-4
    )
    crit = sens.critical_competencies(s.pool.scores, s.rubric)
    assert crit.percent_top == "visual_content" and crit.table.loc["visual_content", "top_pct"] == pytest.approx(
        307, abs=5e-1
    )
    assert crit.percent_any == "analytics" and crit.table.loc["analytics", "any_pct"] == pytest.approx(1.8, abs=5e-2)
    changes = sens.changes_to_first(s.pool.scores, s.rubric, places=[2, K + 1])
    assert changes["moved"].tolist() == pytest.approx([0.058, 0.209], abs=5e-4)
    gaps = sens.cut_gaps(s.pool.ratings, s.rubric, K, seed=SEED)
    assert int((gaps["z"].abs() < 2)[gaps["shortlisted"]].sum()) == 10
    assert int(((gaps["z"].abs() < 2) & ~gaps["shortlisted"]).sum()) == 57


def test_section4_composite_correlations(s):
    curves = sens.composite_curves(s.rubric, s.experts, np.round(np.linspace(0, 1, 21), 2))
    assert curves.loc[0.3, "equal weights"] == pytest.approx(0.98, abs=5e-3) and curves.loc[
        0.3, "Serna (Cargill)"
    ] == pytest.approx(0.60, abs=5e-3)
    assert curves.loc[0.3].drop(["equal weights", "skills only vs traits only"]).idxmin() == "Serna (Cargill)"
    assert curves.loc[0.85, "Serna (Cargill)"] < 0.95 <= curves.loc[0.9, "Serna (Cargill)"]
    assert curves.loc[0.0, "skills only vs traits only"] == 0
    assert curves.loc[0.3, "skills only vs traits only"] == pytest.approx(0.81, abs=5e-3)
    simulated = sens.simulated_composite_correlations(
        s.rubric,
        s.rubric.with_category_share(1.0),
        s.rubric.with_category_share(0.0),
        [0.1, 0.3, 0.5, 0.7],
        n=200,
        replications=20,
        seed=SEED,
    )
    at3 = simulated[np.isclose(simulated["target"], 0.3)][["observed", "analytic"]].mean()
    assert at3.tolist() == pytest.approx([0.51, 0.51], abs=5e-3)
    assert top_overlap(0.95, 0.05) == pytest.approx(0.74, abs=5e-3) and top_overlap(0.95, 0.10) == pytest.approx(
        0.78, abs=5e-3
    )


def test_section5_hiring_accuracy(replicated):
    h = replicated.hiring.round(3)
    assert h.loc["consensus", "mean"] == pytest.approx(0.632) and h.loc["oracle", "mean"] == pytest.approx(0.817)
    assert h.loc["consensus_improved", ["difference", "difference_low", "difference_high"]].tolist() == pytest.approx(
        [
            0.081,
            -0.010,
            0.192,
        ]
    )
    assert h.loc["consensus_true", "difference"] == pytest.approx(0.124) and h.loc[
        "criterion", "difference"
    ] == pytest.approx(0.065)
    assert h.loc["experts", "difference"] == pytest.approx(-0.100, abs=0.0005)
    assert "about as much as" in found.hiring_accuracy(replicated).text
    assert "more than any change of weights" in found.summary(replicated).text
