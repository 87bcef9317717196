"""The published findings of notebook 05, recomputed through the package on the bundled example ratings
(``data/examples/ratings_example.csv``, what the notebook analyses with ``ratings_file = "simulate"``) with the
notebook's default parameters, against the numbers the published notebook states.

Skipped unless the bundled data are the published data set (``data/published.sha256``: the consensus rubric's
weights come from it). The findings are also checked to fall back to a neutral note where an analysis does not
apply: one rater per candidate, separate interviews (nested), one competency.
"""

from __future__ import annotations

import pandas as pd
import pytest

from smmrubric import ratings_study, simulate
from smmrubric import sensitivity as sens
from smmrubric.data import published_data
from smmrubric.findings import ratings as findings
from smmrubric.inputs import DEFAULT_SEED, load_rubric, study
from smmrubric.rating_design import rater_summary, rating_design

published = pytest.mark.skipif(not published_data(), reason="data/ is not the published data set")

# the notebook's parameters cell
SEED, K, N_DRAWS, CONCENTRATION, N_POOLS, CONFIDENCE, TARGET, POOL_SIZE = (
    DEFAULT_SEED,
    10,
    10_000,
    100,
    200,
    0.95,
    0.80,
    200,
)


@pytest.fixture(scope="module")
def s():
    return study(ratings_file=ratings_study.ratings_source("simulate"), seed=SEED)


@pytest.fixture(scope="module")
def rel(s):
    return ratings_study.reliability_study(s.pool.ratings, target=TARGET, confidence=CONFIDENCE)


def test_the_example_is_said_to_be_the_example(s):
    text = findings.source("simulate", ratings_study.display_path(s.pool.source), s.pool.notes).text
    assert text.startswith("**These are the bundled example ratings** (`data/examples/ratings_example.csv`)")
    assert "smmrubric reproduce --ratings FILE" in text
    own = findings.source("/data/mine.csv", "/data/mine.csv", ("decoded as Windows-1252.",)).text
    assert own == "**Ratings from `/data/mine.csv`.** The reader noted: decoded as Windows-1252."


@published
def test_a_complete_panel_of_three(s):
    ratings = s.pool.ratings
    text = findings.design(rating_design(ratings), rater_summary(ratings, s.rubric.scale.levels)).text
    assert text.startswith(
        "**12 candidates, 3 raters, 30 competencies: 1,080 ratings.** Crossed design: every "
        "candidate was rated by the same 3 raters"
    )
    means = ratings.groupby("rater_id", observed=True)["score"].mean()  # plain pandas
    assert means["R02"] == pytest.approx(2.46, abs=5e-3) and means["R01"] == pytest.approx(3.31, abs=5e-3)
    assert "run from 2.46 (R02) to 3.31 (R01) on the same candidates" in text


@published
def test_one_rater_agrees_moderately_the_panel_well(rel):
    text = findings.icc(rel).text
    assert text.startswith("**ICC(2,1) = .59 [.14, .86]**")
    assert "ICC(2,k) = .81 [.32, .95]" in text and "ICC(3,1) = .77" in text
    assert "median .55, from -.04 (integrity) to .74 (leadership)" in text


@published
def test_candidates_are_a_third_of_the_variance_raters_leniency_a_sixth(rel):
    text = findings.g_study(rel).text
    assert "the candidates' general level is 36% of the variance of a single rating" in text
    assert "rater leniency (r) 15%" in text and "halo (pr) 10%" in text
    assert "Negative estimate (s2(i) = -0.008) set to 0" in text
    assert list(rel.components.index[rel.components["negative"]]) == ["i"]


@published
def test_two_raters_rank_three_decide_a_level(rel):
    text = findings.d_study(rel).text
    assert "E rho^2 = .91 for ranking candidates and Phi = .81" in text
    assert "**Raters needed for .80: 2 raters to rank candidates, 3 raters for absolute decisions**" in text
    assert "(random), 2 raters and 4 raters" in text


@published
def test_one_lenient_rater(rel):
    text = findings.severity(rel).text
    assert text.startswith(
        "**R01 rates higher than the other raters of the same candidates, by 0.76 points "
        "[0.47, 1.05]**, and differs significantly (Holm-adjusted) from 2 of the 2 raters"
    )
    assert rel.severity["flagged"].tolist() == [True, False, False]


@published
def test_alpha_below_krippendorffs_tentative_level(s, rel):
    import krippendorff

    text = findings.agreement(rel).text
    assert "over all 360 (candidate, competency) units: **interval .50, ordinal .48**, below .667" in text
    assert "from -.27 (integrity) to .73 (leadership)" in text
    # the package's own route, from the raters x units matrix
    matrix = s.pool.ratings.pivot_table(
        index="rater_id", columns=["candidate_id", "competency_id"], values="score", observed=True
    )
    assert krippendorff.alpha(reliability_data=matrix.to_numpy(), level_of_measurement="interval") == pytest.approx(
        0.50, abs=5e-3
    )


@published
def test_rank_intervals_leave_two_at_the_cut(s):
    intervals = sens.bootstrap_ranks(s.pool.ratings, s.rubric, n_draws=N_DRAWS, seed=SEED, confidence=CONFIDENCE)
    text = findings.rank_intervals(intervals, K, rating_design(s.pool.ratings)).text
    assert text.startswith(
        "Resampling the panel as a whole (10 distinct resampled panels) 10,000 times: 95% rank "
        "intervals are up to 7 places wide (C0004: ranks 3 to 9)."
    )
    assert (
        "**9 candidates are in the top 10 across the whole interval, 1 outside it; 2 straddle the cut** "
        "(C0006, C0009)." in text
    )


@published
def test_smaa_leaves_two_at_the_cut(s, rel):
    noise, how = ratings_study.rating_noise(s.pool.scores, s.pool.ratings, rel, n_raters=s.pool.n_raters)
    result = sens.smaa(
        s.pool.scores,
        sens.local_weights(s.rubric.weights, CONCENTRATION),
        N_DRAWS,
        seed=SEED,
        score_sampler=noise,
        progress=False,
    )
    text = findings.shortlist(result, K, how, CONCENTRATION).text
    assert "C0001 ranks first in 74% of draws" in text
    assert "**9 candidates are in the top 10 in at least 95% of draws, 1 in at most 5%, and 2 in between**" in text


@published
def test_what_if_these_raters_find_less_than_a_panel(s, rel):
    recovery, note = ratings_study.what_if(s.rubric, rel, k=K, n=POOL_SIZE, n_pools=N_POOLS, seed=SEED)
    text = findings.what_if(recovery, note).text
    assert note == ""
    assert (
        "a top-10 shortlist made from ratings as reliable as yours (.54 for one rating) holds on average **73% "
        "of the true top 10**, against 69% at .44 (separate interviews) and 82% at .74 (panel interviews)."
    ) in text


# -- neutral notes where an analysis does not apply ----------------------------------------------------------


@pytest.fixture(scope="module")
def rubric():
    return load_rubric()


def _simulated(rubric, raters, rater_pool):
    true = simulate.candidates(rubric, 12, seed=1)
    return simulate.ratings(true, rubric, seed=1, raters=raters, rater_pool=rater_pool)


def test_one_rater_per_candidate_says_so(rubric):
    single = _simulated(rubric, 1, 6)
    rel = ratings_study.reliability_study(single)
    assert "One rater per candidate" in findings.design(rel.design, rater_summary(single)).text
    assert findings.icc(rel).text == "No intraclass correlation: each candidate needs at least 2 raters, got 1."
    assert findings.g_study(rel).text.startswith("No G study: ")
    assert findings.d_study(rel).text.startswith("No D study (it needs the G study): ")
    assert findings.severity(rel).text.startswith("No rater severity: ")
    assert findings.agreement(rel).text.startswith("Krippendorff's alpha is undefined here")
    intervals = sens.bootstrap_ranks(single, rubric, n_draws=20, seed=1)
    assert "cannot change any score" in findings.rank_intervals(intervals, 5, rel.design).text
    noise, how = ratings_study.rating_noise(pd.DataFrame(), single, rel)
    assert noise is None and how.startswith("no rating error")
    recovery, note = ratings_study.what_if(rubric, rel, k=3, n=20, n_pools=2, seed=1)
    text = findings.what_if(recovery, note).text
    assert text.startswith("No G study of these ratings") and "your raters" not in text
    assert "of the true top 3 at .44 (separate interviews), against" in text


def test_separate_interviews_get_the_one_way_forms(rubric):
    nested = _simulated(rubric, 2, 40)
    rel = ratings_study.reliability_study(nested)
    assert "Nested design" in findings.design(rel.design, rater_summary(nested)).text
    text = findings.icc(rel).text
    assert text.startswith("**ICC(1,1) = ") and "ICC(2,.) and ICC(3,.) are undefined" in text
    assert findings.g_study(rel).text.startswith("**Nested design, 12 candidates x 2 raters x 30 competencies")


def test_one_competency_has_no_g_study_but_an_icc(rubric):
    one = _simulated(rubric, 3, None)
    one = one[one["competency_id"] == "analytics"]
    rel = ratings_study.reliability_study(one)
    assert "1 competency: 36 ratings" in findings.design(rel.design).text
    assert findings.icc(rel).text.startswith("**ICC(2,1) = ") and "Per competency" not in findings.icc(rel).text
    assert findings.g_study(rel).text == (
        "No G study: needs at least 2 competencies, got 1; for one competency use icc()."
    )


def test_a_shortlist_as_large_as_the_pool(rubric):
    panel = _simulated(rubric, 3, None)
    intervals = sens.bootstrap_ranks(panel, rubric, n_draws=50, seed=1)
    assert "holds all 12 candidates, so no cut is at stake" in findings.rank_intervals(intervals, 12).text
    scores = panel.pivot_table(index="candidate_id", columns="competency_id", values="score")[rubric.competency_ids]
    result = sens.smaa(scores, sens.local_weights(rubric.weights, 100), 50, seed=1, progress=False)
    assert findings.shortlist(result, 20, "nothing", 100).text.endswith(
        "The shortlist (k = 20) holds all 12 candidates."
    )
