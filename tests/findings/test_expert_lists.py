"""The published findings of notebooks 00 and 01, recomputed through the package with the notebooks' default
parameters and checked against the numbers the published notebooks state (formerly the notebooks' asserts).

Skipped unless the bundled data are the published data set (``data/published.sha256``): on a researcher's edited
data the findings legitimately change. The notebooks' findings functions are also checked to say what these
numbers say, and to fall back to a neutral note where a finding does not apply.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmrubric import aggregate, codings, compare, list_inference
from smmrubric.data import competency_counts, list_summary, published_data
from smmrubric.findings import data_tour, expert_lists
from smmrubric.inputs import DEFAULT_SEED

published = pytest.mark.skipif(not published_data(), reason="data/ is not the published data set")

# the notebooks' parameters cell
SEED, N_DRAWS, K = DEFAULT_SEED, 10_000, 10


@pytest.fixture(scope="module")
def s(published):
    return published  # the session's published run (tests/conftest.py)


@pytest.fixture(scope="module")
def rankings(s):
    return aggregate.rankings_from_expert_lists(s.lists)


@pytest.fixture(scope="module")
def vocabulary(s):
    return list(s.competencies.index)


@published
def test_corpus_thirteen_web_lists_none_ranked(s):
    summary = list_summary(s.lists).join(s.lists.groupby("list_id")[["source_doc"]].first())
    assert len(summary) == 13 and summary["source_doc"].nunique() == 5 and len(s.lists) == 81
    assert summary["relation"].value_counts().to_dict() == {"own": 5, "quoted": 3, "interview": 5}
    assert summary["derived_from"].dropna().to_dict() == {"seed002_skills": "buffer_2017"}
    assert int(summary["numbered"].sum()) == 3 and int(summary["ranked"].sum()) == 0
    text = expert_lists.corpus(summary).text
    assert "12 lists are independent at most" in text and "no author says the order is importance" in text
    assert "13 lists from 5 web articles, 81 items" in data_tour.corpus(s.lists, s.competencies).text
    assert data_tour.labels(list_summary(s.lists)).text.startswith("Only 4 of 13 lists label")


@published
def test_only_analytics_by_a_majority_beyond_chance(s, rankings, vocabulary):
    counts = competency_counts(s.lists)
    majority = list(counts.index[counts["n_lists"] > 13 / 2])
    assert majority == ["analytics"] and counts.loc["analytics", "n_lists"] == 8
    assert counts["n_lists"].iloc[1:5].eq(5).all() and counts["n_lists"].iloc[5] < 5
    assert set(counts.index[1:5]) == {"adaptability", "continuous_learning", "copywriting", "project_management"}
    mention = list_inference.mention_null(rankings, vocabulary, seed=SEED, n_draws=N_DRAWS)
    assert mention["observed_max"] == 8 and mention["p_value"] == pytest.approx(0.023, abs=0.0015)
    by_category = list_inference.category_mentions(
        counts["n_lists"].reindex(vocabulary, fill_value=0), s.competencies["category"], seed=SEED, n_draws=N_DRAWS
    )
    # skills are named more often, but no more than a random split of the vocabulary gives
    assert by_category["mean_skill"] == pytest.approx(2.89, abs=0.005)
    assert by_category["mean_trait"] == pytest.approx(2.17, abs=0.005)
    assert by_category["p_skills_more"] == pytest.approx(0.169, abs=0.0015)
    # 12 named once, 7 of them traits: hypergeometric P(X >= 7) = .098
    assert (by_category["n_singletons"], by_category["singleton_traits"]) == (12, 7)
    assert by_category["p_singletons_traits"] == pytest.approx(0.098, abs=0.0005)
    text = expert_lists.mentions(counts, mention, by_category, 13, s.competencies["name"].to_dict()).text
    assert "Only Analytics is named by a majority" in text and "not evidence" in text


@published
def test_similarity_near_chance_most_alike_pair_derived(s, rankings, vocabulary):
    uniform = list_inference.similarity_null(rankings, vocabulary, seed=SEED, n_draws=N_DRAWS)
    weighted = list_inference.similarity_null(rankings, vocabulary, seed=SEED, n_draws=N_DRAWS, null="weighted")
    assert uniform.summary["mean_jaccard"] == pytest.approx(0.130, abs=0.0005)
    assert uniform.summary["null_mean"] == pytest.approx(0.104, abs=0.0015)
    assert uniform.summary["p_mean"] == pytest.approx(0.009, abs=0.002)
    assert weighted.summary["p_mean"] > 0.5  # no more than popularity explains
    pair = uniform.pairs.iloc[0]
    assert (pair["list_a"], pair["list_b"]) == ("buffer_2017", "seed002_skills")
    assert pair["jaccard"] == pytest.approx(0.55, abs=5e-3) and pair["shared"] == 6
    assert uniform.summary["p_max"] == pytest.approx(0.056, abs=0.005)  # corrected for 78 pairs: not < .05
    # size-adjusted: the dream team stands apart, Serna's one item is the most typical
    assert uniform.lists.index[0] == "hubspot_sprout_dream_team" and uniform.lists["ratio"].iloc[0] == pytest.approx(
        0.48, abs=5e-3
    )
    assert uniform.lists.index[-1] == "serna" and uniform.lists["ratio"].iloc[-1] == pytest.approx(2.27, abs=5e-3)
    text = expert_lists.similarity(uniform, weighted, s.lists).text
    assert "derivation, not agreement" in text


@published
def test_rbo_only_under_the_numbered_as_ranked_reading(s):
    n_ranked = int(s.lists.groupby("list_id")["ranked"].first().sum())
    assert n_ranked == 0
    coded, _ = codings.apply_coding(
        codings.load_codings(s.lists, s.competencies)["numbered_as_ranked"], s.lists, s.competencies
    )
    table = compare.rbo_pairs(aggregate.rankings_from_expert_lists(coded))
    assert set(zip(table["list_a"], table["list_b"])) == {
        ("buffer_2017", "lucyrk78_qualities"),
        ("buffer_2017", "seed004_author"),
        ("lucyrk78_qualities", "seed004_author"),
    }
    assert table.loc[np.isclose(table["p"], 0.95), "res"].max() == pytest.approx(0.70, abs=0.005)
    assert "does not apply" in expert_lists.rbo_by_persistence(table.iloc[:0], 0).text


@published
def test_consensus_methods_agree_at_the_top(s, rankings, vocabulary):
    table = aggregate.consensus_table(rankings, options={"mc4": {"partial": "topk"}})
    tau = aggregate.method_agreement(table)
    assert (table[list(aggregate.METHODS)].loc["analytics"] == 1).all()
    four = ["borda", "kemeny", "schulze", "mc4"]
    taus = [tau.loc[a, b] for i, a in enumerate(four) for b in four[i + 1 :]]
    assert min(taus) == pytest.approx(0.69, abs=5e-3) and max(taus) == pytest.approx(0.97, abs=5e-3)
    shared = set.intersection(*(set(table.index[table[m] <= K]) for m in four))
    assert len(shared) == 8
    kemeny = aggregate.kemeny(rankings)
    assert kemeny.attrs["n_optimal"] == pytest.approx(1.2e15, rel=0.05)
    rra = list_inference.rra_null(rankings, vocabulary, seed=SEED, n_draws=N_DRAWS)
    assert list(rra.index[rra["q_value"] < 0.05]) == ["analytics"]
    text = expert_lists.consensus(table, tau, kemeny, rra, k=K).text
    assert "put **analytics first**" in text


@published
def test_consensus_uncertainty(rankings):
    bootstrap = list_inference.bootstrap_consensus(rankings, seed=SEED, k=K, n_draws=N_DRAWS)
    stability = list_inference.consensus_stability(rankings, seed=SEED, k=K, n_draws=N_DRAWS)
    assert bootstrap.index[0] == "analytics" and bootstrap.loc["analytics", "p_top_k"] > 0.99
    rest = bootstrap.iloc[1:K]
    assert rest["p_top_k"].min() == pytest.approx(0.45, abs=0.02)
    assert stability.attrs["lists_needed"] == 9
    influence = aggregate.list_influence(aggregate.leave_one_out(rankings, "borda"))
    assert influence.index[0] == "eyer" and influence.iloc[0] == pytest.approx(1.97, abs=5e-3)


@published
def test_two_dated_lists(s):
    summary = list_summary(s.lists)
    dated = summary[summary["year"].notna()]
    assert list(dated["year"]) == [2017, 2014] and dated["our_skill_share"].tolist() == pytest.approx(
        [0.8, 1.0], abs=5e-3
    )
    assert "cannot show a trend" in expert_lists.dated_lists(summary).text


@published
def test_coding_choices_move_the_headline_numbers(s):
    table = codings.coding_sensitivity(
        s.lists, s.competencies, codings.load_codings(s.lists, s.competencies), seed=SEED, k=K, n_draws=N_DRAWS
    )
    published = table.loc["published"]
    assert published["majority"] == "analytics"
    assert published["kappa"] == pytest.approx(0.61, abs=5e-3) and published["consensus_skill_share"] == pytest.approx(
        0.667, abs=5e-4
    )
    ranges = table.attrs["ranges"]
    assert (round(ranges["kappa"][0], 2), round(ranges["kappa"][1], 2)) == pytest.approx((0.51, 1.0))
    assert (
        round(ranges["consensus_skill_share"][0], 2),
        round(ranges["consensus_skill_share"][1], 2),
    ) == pytest.approx((0.60, 0.73))
    assert (round(ranges["skill_share_items"][0], 2), round(ranges["skill_share_items"][1], 2)) == pytest.approx(
        (0.59, 0.74)
    )
    # only merging curiosity into continuous learning adds a majority competency (methods review, scenario A)
    changed = table.index[table["majority"] != "analytics"]
    assert list(changed) == ["learning_merged"]
    assert table.loc["learning_merged", "majority"] == "analytics, continuous_learning"
    # without the derived list, the most alike pair is no longer Buffer / seed 002
    assert table.loc["without_derived", "most_alike"] == "kaminski / serna"
    text = expert_lists.coding_sensitivity(table).text
    assert "the coder's as much as the lists'" in text


def test_findings_fall_back_to_neutral_notes():
    empty = pd.DataFrame(columns=["list_name", "year"])
    assert expert_lists.dated_lists(empty.assign(year=pd.Series(dtype="Int64"))).text == "No list states its year."
    assert "Only the published coding" in expert_lists.coding_sensitivity(pd.DataFrame(index=["published"])).text
    assert "does not apply" in expert_lists.rbo_by_persistence(pd.DataFrame(), 0).text


def test_findings_word_what_their_numbers_show():
    # a similarity no different from chance is not called agreement; a most named competency within chance is
    # not said to stand out
    from types import SimpleNamespace

    pairs = pd.DataFrame({"list_a": ["a"], "list_b": ["b"], "shared": [1], "jaccard": [0.2], "ratio": [1.1]})
    per_list = pd.DataFrame({"ratio": [0.9, 1.1]}, index=["a", "b"])
    summary = pd.Series({"mean_jaccard": 0.2, "null_mean": 0.19, "p_mean": 0.4, "p_max": 0.5})
    null = SimpleNamespace(summary=summary, pairs=pairs, lists=per_list)
    assert "no more than random lists" in expert_lists.similarity(null, null).text
    counts = pd.DataFrame({"n_lists": [3, 1], "category": ["skill", "trait"]}, index=["x", "y"])
    mention = pd.Series({"observed_max": 3, "null_max_mean": 2.9, "p_value": 0.4})
    categories = pd.Series(
        {
            "mean_skill": 3.0,
            "mean_trait": 1.0,
            "p_skills_more": 0.3,
            "n_singletons": 1,
            "singleton_traits": 1,
            "vocabulary_traits": 1,
            "n_vocabulary": 2,
            "p_singletons_traits": 0.5,
        }
    )
    text = expert_lists.mentions(counts, mention, categories, 6).text
    assert "does not stand out from chance" in text and "No competency is named by a majority" in text
