"""Tests of smmrubric.split: the experts' skill / trait split, the split sweep, growth and quality of hire."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.split import (
    cohen_kappa,
    label_agreement,
    label_disagreements,
    onet_agreement,
    onet_category,
)

# -- the experts' split ------------------------------------------------------------------------------


def _lists() -> pd.DataFrame:
    """Three small lists in the shape load_expert_lists returns.

    a: 4 labelled items, author (S, S, T, T) vs ours (S, T, T, S)  -> one disagreement each way;
    b: unlabeled by its author;
    c: 3 items all skills by both (kappa undefined: chance agreement is certain).
    """
    rows = [
        ("a", 1, "Rédaction", "Writing", "skill", "writing", "skill", None),
        ("a", 2, "Curiosité", "Curiosity", "skill", "curiosity", "trait", "author calls it a skill; a disposition"),
        ("a", 3, "Créativité", "Creativity", "trait", "creativity", "trait", None),
        ("a", 4, "Organisation", "Organisation", "trait", "time_management", "skill", "a learnable method"),
        ("b", 1, "Empathie", "Empathy", "unlabeled", "empathy", "trait", None),
        ("b", 2, "Analyse", "Analytics", "unlabeled", "analytics", "skill", None),
        ("c", 1, "Rédaction", "Writing", "skill", "writing", "skill", None),
        ("c", 2, "Analyse", "Analytics", "skill", "analytics", "skill", None),
        ("c", 3, "Vidéo", "Video", "skill", "video", "skill", None),
    ]
    frame = pd.DataFrame(rows, columns=["list_id", "position", "term_fr", "term_en", "author_label",
                                        "competency_id", "category", "mapping_note"])
    frame["list_name"] = frame["list_id"].str.upper()
    frame["expert"] = "someone"
    frame["year"] = pd.array([2020] * len(frame), dtype="Int64")
    frame["ordered"] = False
    frame["position"] = frame["position"].astype("Int64")
    return frame


def _competencies() -> pd.DataFrame:
    table = {
        "writing": ("skill", "2.A.1.c"),
        "curiosity": ("trait", "1.C.7.b"),
        "creativity": ("trait", "1.C.7.a"),      # hypothetical: our trait, a work style
        "time_management": ("skill", "2.B.5.a"),
        "empathy": ("trait", "1.C.4.b"),
        "analytics": ("skill", "1.C.7.c"),       # deliberately off: our skill, an O*NET work style
        "video": ("skill", None),
        "marketing": ("skill", "2.C.1.c"),       # knowledge: on neither side of the split
    }
    return pd.DataFrame([(k, c, o) for k, (c, o) in table.items()],
                        columns=["competency_id", "category", "onet_id"]).set_index("competency_id")


def test_cohen_kappa_reference_two_by_two():
    # 2x2 table yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = .70, p_e = .50, kappa = .40 (the
    # standard textbook illustration of Cohen 1960's formula).
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    result = cohen_kappa(a, b)
    assert result["p_observed"] == pytest.approx(0.70)
    assert result["p_expected"] == pytest.approx(0.50)
    assert result["kappa"] == pytest.approx(0.40)
    # Cohen (1960) eq. 9: sqrt(p_o (1 - p_o) / (n (1 - p_e)^2)) = sqrt(.21 / 12.5)
    assert result["kappa_se"] == pytest.approx(np.sqrt(0.21 / 12.5))


def test_cohen_kappa_three_categories():
    # Cohen's (1960) worked example: p_o = .70, p_c = .41, kappa = .29 / .59 = .492. The cells are a
    # 200-item three-category table with those values: diagonal 88 + 40 + 12 = 140, marginals
    # (.60, .30, .10) and (.50, .30, .20).
    counts = {("1", "1"): 88, ("1", "2"): 14, ("1", "3"): 18, ("2", "1"): 10, ("2", "2"): 40,
              ("2", "3"): 10, ("3", "1"): 2, ("3", "2"): 6, ("3", "3"): 12}
    a = [i for (i, _), c in counts.items() for _ in range(c)]
    b = [j for (_, j), c in counts.items() for _ in range(c)]
    result = cohen_kappa(a, b)
    assert result["n"] == 200
    assert result["p_observed"] == pytest.approx(0.70)
    assert result["p_expected"] == pytest.approx(0.41)
    assert result["kappa"] == pytest.approx(0.29 / 0.59)
    # Cohen's large-sample SE for the same example: sqrt(.70 * .30 / (200 * .59^2)) = .0549
    assert result["kappa_se"] == pytest.approx(np.sqrt(0.21 / (200 * 0.59**2)))
    assert round(result["kappa_se"], 3) == 0.055


def test_cohen_kappa_perfect_and_chance_and_degenerate():
    assert cohen_kappa(["s", "t", "s"], ["s", "t", "s"])["kappa"] == pytest.approx(1.0)
    # complete disagreement with balanced marginals: p_o = 0, p_e = .5 -> kappa = -1
    assert cohen_kappa(["s", "t"], ["t", "s"])["kappa"] == pytest.approx(-1.0)
    constant = cohen_kappa(["s"] * 4, ["s"] * 4)
    assert constant["p_observed"] == 1.0 and constant["p_expected"] == 1.0
    assert np.isnan(constant["kappa"]) and np.isnan(constant["kappa_se"])
    empty = cohen_kappa([], [])
    assert empty["n"] == 0 and np.isnan(empty["kappa"])


def test_cohen_kappa_bad_input():
    with pytest.raises(SmmrubricError, match="length"):
        cohen_kappa(["s"], ["s", "t"])
    with pytest.raises(SmmrubricError, match="missing label at position 1"):
        cohen_kappa(["s", None], ["s", "t"])
    for bad in ("st", None, 3, np.array([["s", "t"]])):
        with pytest.raises(SmmrubricError, match="1-D sequence of labels") as info:
            cohen_kappa(bad, ["s", "t"])
        assert info.value.field == "a"
    with pytest.raises(SmmrubricError, match="position 1 is a list") as info:
        cohen_kappa(["s", "t"], ["s", ["t"]])
    assert info.value.field == "b"


def test_label_agreement_per_list():
    table = label_agreement(_lists())
    assert list(table.index) == ["a", "b", "c", "all"]
    a = table.loc["a"]
    assert (a["n"], a["n_agree"], a["skill_to_trait"], a["trait_to_skill"]) == (4, 2, 1, 1)
    assert a["author_skill_share"] == 0.5 and a["our_skill_share"] == 0.5
    assert a["kappa"] == pytest.approx(0.0)        # p_o = .5, p_e = .5
    b = table.loc["b"]
    assert b["n"] == 0 and np.isnan(b["kappa"]) and np.isnan(b["author_skill_share"])
    assert b["our_skill_share"] == 0.5
    c = table.loc["c"]
    assert c["p_observed"] == 1.0 and np.isnan(c["kappa"])
    pooled = table.loc["all"]
    # pooled labelled items: author S S T T S S S vs ours S T T S S S S
    assert pooled["n"] == 7 and pooled["n_agree"] == 5 and pooled["n_items"] == 9
    p_e = (5 / 7) * (5 / 7) + (2 / 7) * (2 / 7)
    assert pooled["kappa"] == pytest.approx((5 / 7 - p_e) / (1 - p_e))
    assert pooled["our_skill_share_labelled"] == pytest.approx(5 / 7)


def test_label_disagreements_names_items_and_why():
    out = label_disagreements(_lists())
    assert list(out["competency_id"]) == ["curiosity", "time_management"]
    assert list(out["direction"]) == ["author skill, our trait", "author trait, our skill"]
    assert out.loc[0, "mapping_note"] == "author calls it a skill; a disposition"


def test_label_functions_refuse_other_frames():
    with pytest.raises(SmmrubricError, match="load_expert_lists"):
        label_agreement(pd.DataFrame({"x": [1]}))
    with pytest.raises(SmmrubricError, match="expert_lists"):
        label_disagreements("not a frame")


def test_onet_category_prefixes():
    ids = pd.Series(["2.A.1.c", "2.B.5.a", "1.C.4.b", "2.C.1.c", None, "1.A.1.a"])
    assert list(onet_category(ids).fillna("none")) == ["skill", "skill", "trait", "other", "none", "other"]
    with pytest.raises(SmmrubricError, match="Series"):
        onet_category(["2.A.1.c"])


def test_onet_agreement_items_and_vocabulary():
    table = onet_agreement(_lists(), _competencies())
    assert list(table.index) == ["a", "b", "c", "all", "vocabulary"]
    # vocabulary: in the split writing S/S, curiosity T/T, creativity T/T, time_management S/S,
    # empathy T/T, analytics S/T -> 5 of 6 agree; video has no id, marketing is knowledge (other)
    voc = table.loc["vocabulary"]
    assert (voc["n_onet"], voc["n"], voc["n_agree"]) == (7, 6, 5)
    p_e = (3 / 6) * (2 / 6) + (3 / 6) * (4 / 6)
    assert voc["kappa"] == pytest.approx((5 / 6 - p_e) / (1 - p_e))
    c = table.loc["c"]      # writing agrees, analytics disagrees, video has no O*NET id
    assert (c["n_onet"], c["n"], c["n_agree"]) == (2, 2, 1)
    assert table.loc["all", "n"] == 8


def test_reserved_list_ids():
    lists = _lists()
    lists.loc[lists["list_id"] == "b", "list_id"] = "all"
    with pytest.raises(SmmrubricError, match="reserved"):
        label_agreement(lists)
    with pytest.raises(SmmrubricError, match="reserved"):
        onet_agreement(lists, _competencies())


def test_onet_agreement_unknown_competency():
    lists = _lists()
    lists.loc[3, "competency_id"] = "nope"
    with pytest.raises(SmmrubricError, match="list a, position 4.*'nope'"):
        onet_agreement(lists, _competencies())


# -- the split sweep -----------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from smmrubric import Rubric, rank_scores, score  # noqa: E402
from smmrubric.split import category_subscores, split_break_points, split_sweep  # noqa: E402


def _brute_top(skills: np.ndarray, traits: np.ndarray, at: np.ndarray, k: int) -> list[frozenset]:
    totals = at[:, None] * skills[None, :] + (1 - at[:, None]) * traits[None, :]
    order = np.argsort(-totals, axis=1, kind="stable")[:, :k]
    return [frozenset(row) for row in order]


_subscores = st.integers(2, 9).flatmap(lambda m: st.tuples(
    st.lists(st.integers(0, 12), min_size=m, max_size=m),
    st.lists(st.integers(0, 12), min_size=m, max_size=m),
    st.integers(1, 3)))


@settings(max_examples=60, deadline=None)
@given(_subscores)
def test_break_points_match_brute_force_grid(case):
    """Small cases on a coarse lattice (many ties and coincident crossings): the exact intervals agree
    with the top-k set found by brute force on a fine grid, and the two sides of each break tie."""
    s_raw, t_raw, k = case
    skills, traits = np.array(s_raw) / 4.0, np.array(t_raw) / 4.0
    ids = [f"c{i}" for i in range(skills.size)]
    table = split_break_points(pd.DataFrame({"skills": skills, "traits": traits}, index=ids), k)
    assert table["s_from"].iloc[0] == 0.0 and table["s_to"].iloc[-1] == 1.0
    assert np.allclose(table["s_from"].to_numpy()[1:], table["s_to"].to_numpy()[:-1])
    grid = np.linspace(0, 1, 2401)[1:-1]
    brute = _brute_top(skills, traits, grid, k)
    bounds = table["s_from"].to_numpy()
    exact = [frozenset(ids.index(c) for c in top.split(",")) for top in table["top"]]
    interval = np.searchsorted(bounds, grid, side="right") - 1
    away = np.min(np.abs(bounds[None, :] - grid[:, None]), axis=1) > 1e-9
    assert all(exact[i] == b for i, b, ok in zip(interval, brute, away) if ok)
    # every grid change of the brute-force top set lies in a grid cell holding an exact break point
    for left in np.flatnonzero([a != b for a, b in zip(brute[:-1], brute[1:])]):
        assert ((bounds > grid[left] - 1e-12) & (bounds < grid[left + 1] + 1e-12)).any()
    # at each break point the entering and leaving candidates tie
    for _, row in table.iloc[1:].iterrows():
        s = row["s_from"]
        totals = s * skills + (1 - s) * traits
        for a, b in zip(row["entering"].split(","), row["leaving"].split(",")):
            assert totals[ids.index(a)] == pytest.approx(totals[ids.index(b)], abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(_subscores)
def test_break_points_equal_an_exact_rational_brute_force(case):
    """Every pairwise crossing in exact fractions, the top-k set (ties by input order) on each open interval
    between them, consecutive equal sets merged: the same break points (to 1e-12) and the same sets."""
    from fractions import Fraction
    from itertools import combinations

    s_raw, t_raw, k = case
    skills, traits = [Fraction(x, 4) for x in s_raw], [Fraction(x, 4) for x in t_raw]
    m = len(skills)
    cuts = {Fraction(0), Fraction(1)}
    for i, j in combinations(range(m), 2):
        slope = (skills[i] - traits[i]) - (skills[j] - traits[j])
        if slope != 0 and 0 < (cross := (traits[j] - traits[i]) / slope) < 1:
            cuts.add(cross)
    cuts = sorted(cuts)

    def top(s):
        total = [s * skills[i] + (1 - s) * traits[i] for i in range(m)]
        return frozenset(sorted(range(m), key=lambda i: (-total[i], i))[:k])

    expected = [(cuts[0], top((cuts[0] + cuts[1]) / 2))]
    for left, right in zip(cuts[1:-1], cuts[2:]):
        if (current := top((left + right) / 2)) != expected[-1][1]:
            expected.append((left, current))
    table = split_break_points(pd.DataFrame({"skills": np.array(s_raw) / 4.0, "traits": np.array(t_raw) / 4.0},
                                            index=[f"c{i}" for i in range(m)]), k)
    assert table["s_from"].to_numpy() == pytest.approx([float(c) for c, _ in expected], abs=1e-12)
    assert [frozenset(int(c[1:]) for c in t.split(",")) for t in table["top"]] == [st for _, st in expected]


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_break_points_continuous_random(m, k, seed):
    rng = np.random.default_rng(seed)
    skills, traits = rng.normal(size=m), rng.normal(size=m)
    table = split_break_points(pd.DataFrame({"skills": skills, "traits": traits}), k)
    edges = np.r_[table["s_from"].to_numpy(), 1.0]
    middles = (edges[:-1] + edges[1:]) / 2
    brute = _brute_top(skills, traits, middles, k)
    got = [frozenset(int(c) for c in top.split(",")) for top in table["top"]]
    assert got == brute
    assert all(a != b for a, b in zip(brute[:-1], brute[1:]))   # consecutive intervals really differ


def test_break_points_hand_case():
    # A: S=1, T=0; B: S=0, T=1; C: S=T=0.6 -> C wins on (0.4, 0.6), B below, A above
    sub = pd.DataFrame({"skills": [1.0, 0.0, 0.6], "traits": [0.0, 1.0, 0.6]}, index=["A", "B", "C"])
    table = split_break_points(sub)
    assert table["top"].tolist() == ["B", "C", "A"]
    assert table["s_from"].tolist() == pytest.approx([0.0, 0.4, 0.6])
    assert table.loc[1, "entering"] == "C" and table.loc[1, "leaving"] == "B"
    # identical candidates tie everywhere: the earlier stays ahead, no break
    same = pd.DataFrame({"skills": [0.5, 0.5], "traits": [0.2, 0.2]}, index=["x", "y"])
    assert split_break_points(same)["top"].tolist() == ["x"]
    # k larger than the pool: everyone, one interval
    assert len(split_break_points(sub, k=5)) == 1


def test_break_points_large_pool_prefilter(rng):
    """The O(m log k) pre-filter keeps every candidate that can reach the top k."""
    m, k = 3000, 5
    sub = pd.DataFrame({"skills": rng.normal(size=m), "traits": rng.normal(size=m)})
    table = split_break_points(sub, k)
    edges = np.r_[table["s_from"].to_numpy(), 1.0]
    brute = _brute_top(sub["skills"].to_numpy(), sub["traits"].to_numpy(), (edges[:-1] + edges[1:]) / 2, k)
    assert [frozenset(int(c) for c in t.split(",")) for t in table["top"]] == brute


def test_break_points_bad_input():
    with pytest.raises(SmmrubricError, match="subscores"):
        split_break_points(pd.DataFrame({"skills": [1.0]}))
    with pytest.raises(SmmrubricError, match="finite"):
        split_break_points(pd.DataFrame({"skills": [1.0, np.nan], "traits": [0.0, 1.0]}, index=["a", "b"]))
    with pytest.raises(SmmrubricError, match="appears twice"):
        split_break_points(pd.DataFrame({"skills": [1.0, 2.0], "traits": [0.0, 1.0]}, index=["a", "a"]))
    with pytest.raises(SmmrubricError, match="k"):
        split_break_points(pd.DataFrame({"skills": [1.0], "traits": [0.0]}), k=0)


_EMPTY_VOCABULARY = pd.DataFrame({"name": [], "category": []}, index=pd.Index([], name="competency_id"))


def _small_rubric() -> Rubric:
    lines = [("s1", "skill", 3), ("s2", "skill", 1), ("s3", "skill", 2), ("t1", "trait", 1), ("t2", "trait", 2)]
    return Rubric([{"id": i, "name": i.upper(), "category": c, "weight": w} for i, c, w in lines], name="small",
                  vocabulary=_EMPTY_VOCABULARY)


def _pool(rng, rubric, n=40):
    return pd.DataFrame(rng.integers(1, 6, size=(n, len(rubric))).astype(float),
                        index=pd.Index([f"c{i:02d}" for i in range(n)], name="candidate_id"),
                        columns=rubric.competency_ids)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 25))
def test_sweep_ends_are_trait_only_and_skill_only_rankings(seed, n):
    rubric = _small_rubric()
    scores = _pool(np.random.default_rng(seed), rubric, n=n)
    sweep = split_sweep(scores, rubric, shares=[0.0, 0.3, 1.0], k=2)
    cats = rubric.categories
    for share, category in ((0.0, "trait"), (1.0, "skill")):
        only = Rubric([{"id": c, "name": c, "category": category, "weight": float(rubric.raw_weights[c])}
                       for c in rubric.competency_ids if cats[c] == category], name=category,
                      vocabulary=_EMPTY_VOCABULARY)
        expected = score(only, scores[only.competency_ids])["rank"].reindex(scores.index)
        got = rank_scores(sweep.totals[share])
        assert got.tolist() == expected.tolist()
    # linear in s: the total at every share is s * S + (1 - s) * T
    s = sweep.totals.columns.to_numpy()
    sub = sweep.subscores.to_numpy()
    assert np.allclose(sweep.totals.to_numpy(), np.outer(sub[:, 0], s) + np.outer(sub[:, 1], 1 - s))


def test_sweep_summary_and_breaks_consistent(rng):
    rubric = _small_rubric()
    scores = _pool(rng, rubric, n=60)
    sweep = split_sweep(scores, rubric, shares=np.linspace(0, 1, 101), k=5)
    assert sweep.membership.sum(axis=1).to_numpy() == pytest.approx(5.0)
    # against itself the overlap is 1 unless candidates tie at the cut (then the expected share, sum p_i^2 / k)
    own = sweep.membership.loc[0.5]
    assert sweep.summary.loc[0.5, "top_k_overlap"] == pytest.approx((own ** 2).sum() / 5)
    assert sweep.summary.loc[0.5, "kendall_tau"] == 1.0
    breaks = sweep.top_choice_breaks
    bounds = breaks["s_from"].to_numpy()
    checked = 0
    for share, top in sweep.summary["top_choice"].items():
        # away from a break and the ends (where candidates may tie), the grid agrees with the exact top
        if np.min(np.abs(np.r_[bounds, 1.0] - share)) > 1e-9:
            checked += 1
            assert top == breaks["top"].iloc[np.searchsorted(bounds, share, side="right") - 1]
    assert checked > 90


def test_sweep_bad_input(rng):
    rubric = _small_rubric()
    scores = _pool(rng, rubric)
    skills_only = rubric.with_weights({"s1": 1, "s2": 1, "s3": 1, "t1": 0, "t2": 0})
    with pytest.raises(SmmrubricError, match="no trait"):
        split_sweep(scores, skills_only)
    with pytest.raises(SmmrubricError, match="shares"):
        split_sweep(scores, rubric, shares=[0.2, 1.5])
    with pytest.raises(SmmrubricError, match="k"):
        split_sweep(scores, rubric, k=0)
    with pytest.raises(SmmrubricError, match="rubric"):
        category_subscores(scores, "rubric.yaml")
    with pytest.raises(SmmrubricError, match="no candidates") as info:
        split_sweep(scores.iloc[:0], rubric)
    assert info.value.field == "scores"
    for bad, field in (("0.5", "shares"), ([0.2, "0.5"], "shares[1]"), ([[0.2]], "shares[0]"), ([], "shares")):
        with pytest.raises(SmmrubricError) as info:
            split_sweep(scores, rubric, shares=bad)
        assert info.value.field == field


# -- quality of hire and hire now, grow later ----------------------------------------------------------

from smmrubric import simulate  # noqa: E402
from smmrubric.selection import taylor_russell  # noqa: E402
from smmrubric.split import growth_grid, hire_and_grow, quality_of_hire  # noqa: E402


def test_quality_of_hire_ends_are_the_category_validities():
    rubric = _small_rubric()
    table = quality_of_hire(rubric, [0.0, 0.5, 1.0], selection_ratio=0.1, skill_validity=0.4, trait_validity=0.25)
    # by construction of the criterion, the traits-only composite correlates trait_validity with it, the
    # skills-only composite skill_validity
    assert table.loc[0.0, "validity"] == pytest.approx(0.25)
    assert table.loc[1.0, "validity"] == pytest.approx(0.40)
    # Naylor-Shine: mean z of the top 10% is 1.755 (Naylor & Shine 1965 table), times the validity
    assert table["mean_z_hired"].to_numpy() == pytest.approx(table["validity"].to_numpy() * 1.7550, abs=2e-4)
    # the success ratio is Taylor-Russell's at the composite's validity
    assert table.loc[1.0, "success_ratio"] == pytest.approx(taylor_russell(0.5, 0.1, 0.4))
    # Taylor & Russell (1939) table, base rate .50, validity .50: selection ratio .10 -> .84, .30 -> .74
    for ratio, published in ((0.10, 0.84), (0.30, 0.74)):
        skills_only = quality_of_hire(rubric, [1.0], selection_ratio=ratio, skill_validity=0.5, trait_validity=0.25)
        assert skills_only.loc[1.0, "validity"] == pytest.approx(0.5)
        assert round(skills_only.loc[1.0, "success_ratio"], 2) == published
    # attenuation: sqrt(reliability)
    half = quality_of_hire(rubric, [0.5], skill_validity=0.4, trait_validity=0.25, reliability=0.49)
    assert half.loc[0.5, "validity"] == pytest.approx(0.7 * table.loc[0.5, "validity"])


def test_quality_of_hire_validity_is_the_composite_of_the_two_subscores():
    """Independent path: the total s S + (1 - s) T is a two-part composite of the skill-only composite S
    (validity .40) and the trait-only composite T (validity .25), so its validity is
    (s sd_S r_S + (1 - s) sd_T r_T) / sd(s S + (1 - s) T) (Ghiselli, Campbell & Zedeck 1981)."""
    rubric = _small_rubric()
    shares = np.array([0.0, 0.2, 0.5, 0.8, 1.0])
    table = quality_of_hire(rubric, shares, skill_validity=0.4, trait_validity=0.25)
    corr = simulate.implied_correlation(rubric).to_numpy()
    w_s = rubric.with_category_share(1.0).weights.to_numpy()
    w_t = rubric.with_category_share(0.0).weights.to_numpy()
    var_s, var_t, cov = w_s @ corr @ w_s, w_t @ corr @ w_t, w_s @ corr @ w_t
    sd_total = np.sqrt(shares**2 * var_s + (1 - shares) ** 2 * var_t + 2 * shares * (1 - shares) * cov)
    expected = (shares * np.sqrt(var_s) * 0.4 + (1 - shares) * np.sqrt(var_t) * 0.25) / sd_total
    assert table["validity"].to_numpy() == pytest.approx(expected, abs=1e-12)


def test_quality_of_hire_matches_simulated_hires():
    """The analytic mean z of the hired agrees with the simulated one when hiring on true standings."""
    rubric = _small_rubric()
    analytic = quality_of_hire(rubric, [0.0, 0.5, 1.0], selection_ratio=0.1)
    study = hire_and_grow(rubric, seed=7, shares=[0.0, 0.5, 1.0], months=[0], k=100, n=1000, n_pools=30,
                          reliability=None, progress=False)
    simulated = study.curves.loc[0.0]
    # top 100 of 1000 is a selection ratio of .1; the finite-pool mean of the top k is a little below
    # the infinite-pool value (order statistics), well inside the tolerance
    bound = 4 * simulated["se"].to_numpy() + 0.01
    assert np.all(np.abs(simulated["mean_performance"].to_numpy() - analytic["mean_z_hired"].to_numpy()) < bound)


def test_zero_skill_growth_keeps_the_best_share():
    rubric = _small_rubric()
    study = hire_and_grow(rubric, seed=3, shares=np.linspace(0, 1, 11), k=5, n=60, n_pools=20, skill_gain=0.0,
                          trait_validity=0.3, progress=False)
    assert study.best.loc[24.0, "best_share"] == study.best.loc[0.0, "best_share"]
    for months in (6.0, 12.0, 24.0):
        assert np.allclose(study.curves.loc[months].to_numpy(), study.curves.loc[0.0].to_numpy())


def test_uniform_growth_shifts_every_share_alike():
    """With no spread in gains every hire gains t * skill_gain * sum of the skills' criterion weights."""
    rubric = _small_rubric()
    study = hire_and_grow(rubric, seed=3, shares=np.linspace(0, 1, 11), k=5, n=60, n_pools=10, skill_gain=0.6,
                          gain_cv=0.0, progress=False)
    beta = simulate.performance_weights(rubric, simulate.implied_correlation(rubric)).drop("residual")
    shift = 2.0 * 0.6 * beta[rubric.categories == "skill"].sum()
    curves = study.curves["mean_performance"]
    assert np.allclose(curves.loc[24.0].to_numpy() - curves.loc[0.0].to_numpy(), shift)
    assert study.best.loc[24.0, "best_share"] == study.best.loc[0.0, "best_share"]


def test_trait_linked_learning_favours_trait_hires_later():
    rubric = _small_rubric()
    study = hire_and_grow(rubric, seed=5, shares=[0.0, 1.0], months=[0, 24], k=10, n=100, n_pools=40,
                          skill_gain=1.0, gain_cv=1.0, learning_trait_correlation=0.9, progress=False)
    curves = study.curves["mean_performance"]
    growth = curves.loc[24.0] - curves.loc[0.0]
    assert growth.loc[0.0] > growth.loc[1.0] + 0.2   # trait-only hires grow much more
    same = hire_and_grow(rubric, seed=5, shares=[0.0, 1.0], months=[0, 24], k=10, n=100, n_pools=40,
                         skill_gain=1.0, gain_cv=1.0, learning_trait_correlation=0.9, progress=False)
    pd.testing.assert_frame_equal(same.curves, study.curves)


def test_growth_grid_shape_and_zero_growth_row():
    rubric = _small_rubric()
    grid = growth_grid(rubric, seed=2, skill_gains=[0.0, 1.0], trait_validities=[0.1, 0.4], k=5, n=60, n_pools=10,
                       shares=np.linspace(0, 1, 11), progress=False)
    assert len(grid) == 4
    zero = grid[grid["skill_gain"] == 0.0]
    assert (zero["best_share"] == zero["best_share_at_hire"]).all()
    # a higher trait validity never pushes the best share at hire towards skills
    at_hire = grid.drop_duplicates("trait_validity").set_index("trait_validity")["best_share_at_hire"]
    assert at_hire.loc[0.4] <= at_hire.loc[0.1]


def test_growth_bad_input():
    rubric = _small_rubric()
    with pytest.raises(SmmrubricError, match="months"):
        hire_and_grow(rubric, seed=1, months=[6, 12], n_pools=2, n=10, k=2, progress=False)
    with pytest.raises(SmmrubricError, match="repeat"):
        hire_and_grow(rubric, seed=1, months=[0, 6, 6], n_pools=2, n=10, k=2, progress=False)
    with pytest.raises(SmmrubricError, match="k"):
        hire_and_grow(rubric, seed=1, k=50, n=10, progress=False)
    with pytest.raises(SmmrubricError, match="gain_cv"):
        hire_and_grow(rubric, seed=1, gain_cv=-1, progress=False)
    with pytest.raises(SmmrubricError, match="seed"):
        hire_and_grow(rubric, seed=None, n_pools=2, n=10, k=2, progress=False)
    with pytest.raises(SmmrubricError, match="trait_validities"):
        growth_grid(rubric, seed=1, trait_validities=[2.0], progress=False)
    with pytest.raises(SmmrubricError, match="reliability"):
        quality_of_hire(rubric, reliability=0)
    small = {"n_pools": 2, "n": 10, "k": 2, "progress": False}
    for kwargs, field in (({"months": "06"}, "months"), ({"months": [0, "6"]}, "months[1]"),
                          ({"progress": "yes"}, "progress")):
        with pytest.raises(SmmrubricError) as info:
            hire_and_grow(rubric, seed=1, **{**small, **kwargs})
        assert info.value.field == field
    for kwargs, field in (({"skill_gains": "x"}, "skill_gains"), ({"skill_gains": []}, "skill_gains"),
                          ({"trait_validities": [[0.1, 0.2]]}, "trait_validities[0]"),
                          ({"progress": 1}, "progress")):
        with pytest.raises(SmmrubricError) as info:
            growth_grid(rubric, seed=1, **{**small, **kwargs})
        assert info.value.field == field


def test_near_best_range_contains_the_best_and_flags_noise():
    from smmrubric.split import _near_best

    grid = np.array([0.0, 0.5, 1.0])
    rng = np.random.default_rng(0)
    clear = np.column_stack([np.zeros(50), np.ones(50), 2 * np.ones(50)]) + rng.normal(0, 0.01, (50, 3))
    assert _near_best(clear, grid) == (2, 1.0, 1.0)
    flat = np.ones((50, 3)) + rng.normal(0, 1.0, (50, 3))
    best, low, high = _near_best(flat, grid)
    assert low <= grid[best] <= high and (low, high) == (0.0, 1.0)
