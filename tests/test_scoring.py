"""Scoring and ranking: totals and subscores by hand, decision rules, ties, missing ratings, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smmrubric.errors import SmmrubricError
from smmrubric.ratings import aggregate_ratings
from smmrubric.rubric import Rubric
from smmrubric.scoring import rank_scores, score, weighted_sum

# two skills and a trait; copywriting is a must-have at level 3
RUBRIC = Rubric(
    [
        {"id": "copywriting", "weight": 2, "must_have": 3},
        {"id": "analytics", "weight": 1},
        {"id": "curiosity", "weight": 1},
    ],
    name="Three",
)
IDS = RUBRIC.competency_ids


def matrix(rows: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=IDS).rename_axis("candidate_id")


def long(wide: pd.DataFrame) -> pd.DataFrame:
    out = wide.stack().rename("score").reset_index()
    out.columns = ["candidate_id", "competency_id", "score"]
    out.insert(1, "rater_id", "r1")
    return out


# -- weighted_sum and rank_scores ------------------------------------------------------------------


def test_weighted_sum_by_hand():
    x = [[1, 5, 3], [4, 4, 4]]
    assert weighted_sum(x, [0.5, 0.25, 0.25]).tolist() == pytest.approx([2.5, 4.0])
    both = weighted_sum(x, [[0.5, 0.25, 0.25], [0, 0, 1]])
    assert both.shape == (2, 2) and both == pytest.approx(np.array([[2.5, 3.0], [4.0, 4.0]]))


@pytest.mark.parametrize(
    "x, w, field",
    [
        ([1, 2], [1, 1], "matrix"),
        ([[1, 2]], [1, 1, 1], "weights"),
        ([[1, np.nan]], [1, 1], "matrix"),
        ([[1, 2]], [1, np.inf], "weights"),
        ([["a", 2]], [1, 1], "matrix"),
        ([[True, False]], [1, 1], "matrix"),  # review of issue 3: no silent 0/1 or real part
        ([[1, 2]], [1 + 1j, 1], "weights"),
    ],
)
def test_weighted_sum_errors(x, w, field):
    with pytest.raises(SmmrubricError, match=f"field '{field}'"):
        weighted_sum(x, w)


def test_rank_scores_competition_ranking():
    ranks = rank_scores(pd.Series([3.0, 5.0, 3.0, 1.0, np.nan, 5.0], index=list("abcdef")))
    assert ranks.dtype == "Int64" and ranks.name == "rank" and list(ranks.index) == list("abcdef")
    assert ranks.tolist() == [3, 1, 3, 5, pd.NA, 1]
    assert rank_scores([2.0, 2.0 + 1e-13, 1.0]).tolist() == [1, 1, 3]  # float noise is a tie
    assert rank_scores([2.0, 2.0 + 1e-6, 1.0]).tolist() == [2, 1, 3]
    assert rank_scores([]).tolist() == []
    with pytest.raises(SmmrubricError, match="field 'scores'"):
        rank_scores(pd.Series(["x", 1]))
    with pytest.raises(SmmrubricError, match="field 'scores'"):
        rank_scores([1.0, np.inf])
    with pytest.raises(SmmrubricError, match="field 'scores'"):
        rank_scores([[1.0]])
    for odd in (pd.Series([True, False]), np.array([1 + 1j, 2.0])):
        with pytest.raises(SmmrubricError, match="real numbers"):
            rank_scores(odd)


# -- score by hand ------------------------------------------------------------------------------------


def test_score_totals_and_subscores_by_hand():
    wide = matrix({"ann": [4, 3, 5], "bob": [2, 5, 3], "cat": [5, 1, 1]})
    result = score(RUBRIC, wide)
    assert list(result.columns) == ["total", "skills", "traits", "must_haves_met", "rank"]
    # weights .5, .25, .25: ann 2 + .75 + 1.25 = 4; bob 1 + 1.25 + .75 = 3; cat 2.5 + .25 + .25 = 3
    assert result["total"].to_dict() == pytest.approx({"ann": 4.0, "bob": 3.0, "cat": 3.0})
    # skills = (2 x copywriting + analytics) / 3; traits = curiosity
    assert result.at["ann", "skills"] == pytest.approx(11 / 3) and result.at["ann", "traits"] == pytest.approx(5.0)
    assert result.at["cat", "skills"] == pytest.approx(11 / 3) and result.at["cat", "traits"] == pytest.approx(1.0)
    # total = s * skills + (1 - s) * traits with s = .75
    assert np.allclose(result["total"], 0.75 * result["skills"] + 0.25 * result["traits"])
    assert result["must_haves_met"].to_dict() == {"ann": True, "bob": False, "cat": True}


def test_rules_with_a_must_have():
    wide = matrix({"ann": [4, 3, 5], "bob": [2, 5, 5], "cat": [5, 1, 1], "dan": [3, 1, 1]})
    # totals: ann 4, bob 3.5, cat 3, dan 2; bob misses the copywriting must-have (2 < 3)
    ignore = score(RUBRIC, wide, rule="compensatory_ignore_must_haves")
    assert ignore["rank"].to_dict() == {"ann": 1, "bob": 2, "cat": 3, "dan": 4}
    knockout = score(RUBRIC, wide)  # compensatory: knockouts rank last
    assert knockout["rank"].to_dict() == {"ann": 1, "cat": 2, "dan": 3, "bob": 4}
    assert list(knockout.index) == ["ann", "cat", "dan", "bob"]
    hurdle = score(RUBRIC, wide, rule="hurdle")
    assert hurdle["rank"].tolist() == [1, 2, 3, pd.NA] and list(hurdle.index) == ["ann", "cat", "dan", "bob"]
    assert hurdle.at["bob", "total"] == pytest.approx(3.5)


def test_without_must_haves_the_rules_agree(rng):
    rubric = RUBRIC.with_weights([1, 2, 3])
    plain = Rubric([{"id": c, "weight": w} for c, w in zip(IDS, [1, 2, 3])])
    wide = pd.DataFrame(rng.integers(1, 6, size=(30, 3)), columns=IDS, index=[f"c{i}" for i in range(30)])
    ranks = [
        score(plain, wide, rule=rule)["rank"].sort_index()
        for rule in ("compensatory", "hurdle", "compensatory_ignore_must_haves")
    ]
    assert ranks[0].equals(ranks[1]) and ranks[0].equals(ranks[2])
    assert score(rubric, wide, rule="compensatory_ignore_must_haves")["rank"].sort_index().equals(ranks[0])


def test_ties_share_the_better_rank_and_keep_input_order():
    wide = matrix({"zed": [3, 3, 3], "amy": [4, 4, 4], "bea": [3, 3, 3], "cy": [2, 4, 4]})
    result = score(RUBRIC, wide)
    assert list(result.index) == ["amy", "zed", "bea", "cy"]  # zed before bea: input order, not name
    assert result["rank"].tolist() == [1, 2, 2, 4]


def test_long_wide_and_aggregated_inputs_agree():
    wide = matrix({"ann": [4, 3, 5], "bob": [3, 5, 3]})
    table = long(wide)
    a = score(RUBRIC, wide)
    b = score(RUBRIC, table)
    c = score(RUBRIC, aggregate_ratings(table, RUBRIC))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_mean_over_raters():
    table = pd.DataFrame(
        {
            "candidate_id": ["ann"] * 6,
            "rater_id": ["r1"] * 3 + ["r2"] * 3,
            "competency_id": IDS * 2,
            "score": [4, 3, 5, 5, 2, 4],
        }
    )
    result = score(RUBRIC, table)
    # means 4.5, 2.5, 4.5 -> .5 * 4.5 + .25 * 2.5 + .25 * 4.5 = 4.0
    assert result.at["ann", "total"] == pytest.approx(4.0)


# -- missing ratings -------------------------------------------------------------------------------


def test_missing_rating_is_an_error_naming_candidate_and_competency():
    wide = matrix({"ann": [4, 3, 5], "bob": [3, np.nan, 3]})
    with pytest.raises(SmmrubricError, match="no rating of candidate 'bob'") as info:
        score(RUBRIC, wide)
    assert info.value.row == "candidate bob" and info.value.field == "analytics"
    with pytest.raises(SmmrubricError, match="no rating of candidate 'bob'"):
        score(RUBRIC, long(wide).dropna())


def test_missing_renormalize_by_hand():
    wide = matrix({"ann": [4, 3, 5], "bob": [3, np.nan, 3]})
    result = score(RUBRIC, wide, missing="renormalize")
    assert result["renormalized"].to_dict() == {"ann": False, "bob": True}
    # bob: (.5 * 3 + .25 * 3) / (.5 + .25) = 3; skills over copywriting only = 3
    assert result.at["bob", "total"] == pytest.approx(3.0)
    assert result.at["bob", "skills"] == pytest.approx(3.0)
    assert result.at["ann", "total"] == pytest.approx(4.0)


def test_unrated_must_have_is_not_met_under_renormalize():
    wide = matrix({"ann": [np.nan, 3, 5], "bob": [3, 3, 3]})
    result = score(RUBRIC, wide, missing="renormalize")
    assert not result.at["ann", "must_haves_met"] and result.at["bob", "must_haves_met"]


def test_hurdle_needs_only_must_have_ratings_of_screened_out_candidates():
    wide = matrix({"ann": [4, 3, 5], "bob": [2, np.nan, np.nan]})  # bob failed screening, not rated further
    result = score(RUBRIC, wide, rule="hurdle")
    assert result.at["ann", "rank"] == 1 and pd.isna(result.at["bob", "rank"])
    assert result.at["bob", "total"] == pytest.approx(2.0)
    with pytest.raises(SmmrubricError, match="candidate 'bob'"):
        score(RUBRIC, wide)  # compensatory ranks everyone
    with pytest.raises(SmmrubricError, match="candidate 'ann'") as info:
        score(RUBRIC, matrix({"ann": [np.nan, 3, 5]}), rule="hurdle")  # the must-have itself is required
    assert info.value.field == "copywriting"


def test_nothing_weighted_rated_is_an_error():
    rubric = RUBRIC.with_weights([0, 1, 1])
    with pytest.raises(SmmrubricError, match="nothing to score") as info:
        score(rubric, matrix({"ann": [4, np.nan, np.nan]}), missing="renormalize")
    assert info.value.row == "candidate ann"


def test_category_without_weight_gives_nan_subscore():
    skills_only = RUBRIC.with_category_share(1.0)
    result = score(skills_only, matrix({"ann": [4, 2, 5]}))
    assert np.isnan(result.at["ann", "traits"]) and result.at["ann", "total"] == pytest.approx(
        result.at["ann", "skills"]
    )


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wide, field, fragment",
    [
        (pd.DataFrame({"copywriting": [4], "tiktok": [3]}, index=["ann"]), "tiktok", "unknown competency"),
        (
            pd.DataFrame({"copywriting": [6], "analytics": [3], "curiosity": [3]}, index=["ann"]),
            "copywriting",
            "outside the scale",
        ),
        (
            pd.DataFrame({"copywriting": ["good"], "analytics": [3], "curiosity": [3]}, index=["ann"]),
            "copywriting",
            "not a number",
        ),
        (
            pd.DataFrame({"copywriting": [4, 4], "analytics": [3, 3], "curiosity": [3, 3]}, index=["ann", "ann"]),
            "candidate_id",
            "twice",
        ),
        (pd.DataFrame(columns=IDS), "ratings", "no candidates"),
        # review of issue 3: ids that only collide once written as text, and two-level labels
        (
            pd.DataFrame({"copywriting": [4, 4], "analytics": [3, 3], "curiosity": [3, 3]}, index=[1, "1"]),
            "candidate_id",
            "same id once written as text",
        ),
        (
            pd.DataFrame(
                {"copywriting": [4], "analytics": [3], "curiosity": [3]},
                index=pd.MultiIndex.from_tuples([("ann", "round 1")]),
            ),
            "candidate_id",
            "MultiIndex",
        ),
        (
            pd.DataFrame([[4, 3, 3]], index=["ann"], columns=pd.MultiIndex.from_tuples([(c, "x") for c in IDS])),
            "competency_id",
            "MultiIndex",
        ),
    ],
)
def test_bad_score_matrix(wide, field, fragment):
    with pytest.raises(SmmrubricError, match=fragment) as info:
        score(RUBRIC, wide)
    assert info.value.field == field


def test_bad_arguments():
    wide = matrix({"ann": [4, 3, 5]})
    with pytest.raises(SmmrubricError, match="field 'rule'"):
        score(RUBRIC, wide, rule="lexicographic")
    with pytest.raises(SmmrubricError, match="field 'missing'"):
        score(RUBRIC, wide, missing="zero")
    with pytest.raises(SmmrubricError, match="field 'rubric'"):
        score({"copywriting": 1}, wide)
    with pytest.raises(SmmrubricError, match="field 'ratings'"):
        score(RUBRIC, [[4, 3, 5]])
    with pytest.raises(SmmrubricError, match="field 'stage'"):
        score(RUBRIC, wide, stage="screen")
    other = aggregate_ratings(long(wide), RUBRIC.with_weights([1, 1, 1]))
    assert score(RUBRIC, other)["total"].iloc[0] == pytest.approx(4.0)
    with pytest.raises(SmmrubricError, match="another rubric"):
        score(Rubric.equal(["copywriting", "analytics"]), other)


# -- properties (hypothesis) -------------------------------------------------------------------------

RULES = ("compensatory", "hurdle", "compensatory_ignore_must_haves")
K = 4
PROPERTY_IDS = ["copywriting", "analytics", "curiosity", "passion"]


@st.composite
def pools(draw, min_size=2):
    n = draw(st.integers(min_size, 12))
    ratings = draw(arrays(np.float64, (n, K), elements=st.integers(1, 5).map(float)))
    weights = draw(arrays(np.float64, K, elements=st.floats(0, 10)).filter(lambda w: w.sum() > 0.01))
    must = draw(st.sampled_from([None, 2.0, 3.0]))
    items = [{"id": c, "weight": float(w)} for c, w in zip(PROPERTY_IDS, weights)]
    if must is not None:
        items[0]["must_have"] = must
    rubric = Rubric(items, name="P")
    wide = pd.DataFrame(ratings, columns=PROPERTY_IDS, index=[f"c{i:02d}" for i in range(n)])
    return rubric, wide, draw(st.sampled_from(RULES))


def _order_key(result: pd.DataFrame) -> pd.Series:
    """Rank with unranked (hurdle failures) as worst."""
    return result["rank"].astype("Float64").fillna(1e9).astype(float)


def _same_pairwise_order(a: pd.Series, b: pd.Series) -> bool:
    common = a.index.intersection(b.index)
    x, y = a[common].to_numpy(), b[common].to_numpy()
    return bool(np.all(np.sign(x[:, None] - x[None, :]) == np.sign(y[:, None] - y[None, :])))


@settings(max_examples=40, deadline=None)
@given(data=pools(min_size=3), drop=st.integers(0, 100))
def test_no_rank_reversal_when_a_candidate_is_removed_or_added(data, drop):
    rubric, wide, rule = data
    full = _order_key(score(rubric, wide, rule=rule))
    removed = wide.drop(wide.index[drop % len(wide)])
    smaller = _order_key(score(rubric, removed, rule=rule))
    assert _same_pairwise_order(full, smaller)  # removing one keeps the others' order, and so does adding it


@settings(max_examples=40, deadline=None)
@given(data=pools(), factor=st.floats(1e-3, 1e3))
def test_scaling_all_weights_leaves_the_ranking_unchanged(data, factor):
    rubric, wide, rule = data
    before = score(rubric, wide, rule=rule)["rank"].sort_index()
    after = score(rubric.with_weights(rubric.raw_weights * factor), wide, rule=rule)["rank"].sort_index()
    assert before.equals(after)


@settings(max_examples=40, deadline=None)
@given(data=pools(), who=st.integers(0, 100), what=st.integers(0, K - 1), up=st.integers(1, 4))
def test_raising_a_rating_never_lowers_the_rank(data, who, what, up):
    rubric, wide, rule = data
    assume(rubric.raw_weights.iloc[what] > 0)
    cid = wide.index[who % len(wide)]
    assume(wide.at[cid, PROPERTY_IDS[what]] < 5)
    before = _order_key(score(rubric, wide, rule=rule))[cid]
    raised = wide.copy()
    raised.at[cid, PROPERTY_IDS[what]] = min(5.0, raised.at[cid, PROPERTY_IDS[what]] + up)
    after = _order_key(score(rubric, raised, rule=rule))[cid]
    assert after <= before


@settings(max_examples=40, deadline=None)
@given(
    data=pools(),
    a=st.integers(0, 100),
    b=st.integers(0, 100),
    boost=arrays(np.float64, K, elements=st.integers(0, 4).map(float)),
)
def test_a_dominating_candidate_never_ranks_below_the_dominated(data, a, b, boost):
    rubric, wide, rule = data
    ia, ib = a % len(wide), b % len(wide)
    assume(ia != ib)
    wide = wide.copy()
    wide.iloc[ia] = np.minimum(5.0, wide.iloc[ib].to_numpy() + boost)  # a >= b on every competency
    key = _order_key(score(rubric, wide, rule=rule))
    assert key[wide.index[ia]] <= key[wide.index[ib]]


# -- issue 15: booleans and complex numbers in a score matrix --------------------------------------------


@pytest.mark.parametrize("value", [True, np.True_, 3 + 0j, np.complex128(4)])
def test_score_matrix_refuses_booleans_and_complex_numbers(value):
    wide = matrix({"ann": [4, 3, 5], "bob": [2, 2, 2]}).astype(object)
    wide.loc["bob", "analytics"] = value
    with pytest.raises(SmmrubricError, match="must be a real number") as info:
        score(RUBRIC, wide)
    assert (info.value.row, info.value.field) == ("candidate bob", "analytics")
    typed = matrix({"ann": [4, 3, 5]}).astype(complex if isinstance(value, complex) else float)
    if isinstance(value, complex):
        with pytest.raises(SmmrubricError, match="must be a real number"):
            score(RUBRIC, typed)
    with pytest.raises(SmmrubricError, match="must be a real number"):
        score(RUBRIC, pd.DataFrame({c: [True] for c in IDS}, index=["ann"]))
