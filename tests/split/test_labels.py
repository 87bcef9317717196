"""Tests of smmrubric.split.labels: the experts' skill / trait split against our categories and O*NET."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.split import labels

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
    frame = pd.DataFrame(
        rows,
        columns=[
            "list_id",
            "position",
            "term_fr",
            "term_en",
            "author_label",
            "competency_id",
            "category",
            "mapping_note",
        ],
    )
    frame["list_name"] = frame["list_id"].str.upper()
    frame["expert"] = "someone"
    frame["year"] = pd.array([2020] * len(frame), dtype="Int64")
    frame["numbered"] = False
    frame["ranked"] = False
    frame["position"] = frame["position"].astype("Int64")
    return frame


def _competencies() -> pd.DataFrame:
    table = {
        "writing": ("skill", "2.A.1.c"),
        "curiosity": ("trait", "1.C.7.b"),
        "creativity": ("trait", "1.C.7.a"),  # hypothetical: our trait, a work style
        "time_management": ("skill", "2.B.5.a"),
        "empathy": ("trait", "1.C.4.b"),
        "analytics": ("skill", "1.C.7.c"),  # deliberately off: our skill, an O*NET work style
        "video": ("skill", None),
        "marketing": ("skill", "2.C.1.c"),  # knowledge: on neither side of the split
    }
    return pd.DataFrame(
        [(k, c, o) for k, (c, o) in table.items()], columns=["competency_id", "category", "onet_id"]
    ).set_index("competency_id")


def _from_table(table: list[list[int]]) -> tuple[list[str], list[str]]:
    """Two label vectors whose cross table (a in rows, b in columns) is ``table``; categories "0", "1", ..."""
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [str(i)] * count
            b += [str(j)] * count
    return a, b


def test_cohen_kappa_reference_two_by_two():
    # 2x2 table yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = .70, p_e = .50, kappa = .40 (the
    # standard textbook illustration of Cohen 1960's formula).
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    result = labels.cohen_kappa(a, b, categories=["yes", "no"])
    assert result["p_observed"] == pytest.approx(0.70)
    assert result["p_expected"] == pytest.approx(0.50)
    assert result["kappa"] == pytest.approx(0.40)
    # Byrt, Bishop & Carlin (1993): PABAK = 2 p_o - 1, PI = (a - d) / n, BI = (b - c) / n
    assert result["pabak"] == pytest.approx(0.40)
    assert result["prevalence_index"] == pytest.approx((20 - 15) / 50)
    assert result["bias_index"] == pytest.approx((5 - 10) / 50)


def test_cohen_kappa_sas_reference():
    # SAS PROC FREQ's printout for the 3 x 3 table [[0, 4, 1], [0, 8, 0], [0, 1, 5]] (as reproduced in
    # statsmodels' tests of cohens_kappa): kappa .4842, ASE .1380 (Fleiss, Cohen & Everitt 1969),
    # 95% limits .2137 and .7547; ASE under H0 .1484, Z 3.2626, two-sided p .0011.
    a, b = _from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]])
    result = labels.cohen_kappa(a, b, categories=["0", "1", "2"])
    for field, value in {
        "kappa": 0.4842,
        "kappa_se": 0.1380,
        "kappa_low": 0.2137,
        "kappa_high": 0.7547,
        "kappa_se0": 0.1484,
        "kappa_p": 0.0011,
    }.items():
        assert result[field] == pytest.approx(value, abs=5e-5), field
    assert result["kappa"] / result["kappa_se0"] == pytest.approx(3.2626, abs=5e-5)
    # three categories: PABAK by Brennan & Prediger's k-category form, no PI or BI
    assert result["pabak"] == pytest.approx((3 * 13 / 19 - 1) / 2)
    assert np.isnan(result["prevalence_index"]) and np.isnan(result["bias_index"])


def test_cohen_kappa_three_categories():
    # Cohen's (1960) worked example: p_o = .70, p_c = .41, kappa = .29 / .59 = .492. The cells are a
    # 200-item three-category table with those values: diagonal 88 + 40 + 12 = 140, marginals
    # (.60, .30, .10) and (.50, .30, .20).
    a, b = _from_table([[88, 14, 18], [10, 40, 10], [2, 6, 12]])
    result = labels.cohen_kappa(a, b)
    assert result["n"] == 200
    assert result["p_observed"] == pytest.approx(0.70)
    assert result["p_expected"] == pytest.approx(0.41)
    assert result["kappa"] == pytest.approx(0.29 / 0.59)


@pytest.mark.parametrize("table", [[[40, 9], [6, 45]], [[80, 10], [5, 5]], [[3, 0], [30, 0]], [[1, 2], [3, 4]]])
def test_cohen_kappa_byrt_identity(table):
    # Byrt, Bishop & Carlin (1993): kappa = (PABAK - PI^2 + BI^2) / (1 - PI^2 + BI^2)
    result = labels.cohen_kappa(*_from_table(table), categories=["0", "1"])
    pi, bi = result["prevalence_index"], result["bias_index"]
    assert result["kappa"] == pytest.approx((result["pabak"] - pi**2 + bi**2) / (1 - pi**2 + bi**2))


def test_cohen_kappa_se_against_simulation():
    # the Fleiss-Cohen-Everitt variance is the delta-method variance of kappa under multinomial sampling:
    # it matches the spread of kappa over many multinomial samples of the same table
    rng = np.random.default_rng(1969)
    table = np.array([[30, 6, 4], [5, 25, 5], [2, 3, 20]])
    n = table.sum()
    draws = rng.multinomial(n, (table / n).ravel(), size=4000).reshape(-1, 3, 3)
    po = np.trace(draws, axis1=1, axis2=2) / n
    pe = (draws.sum(axis=2) * draws.sum(axis=1)).sum(axis=1) / n**2
    kappas = (po - pe) / (1 - pe)
    se = labels.cohen_kappa(*_from_table(table.tolist()))["kappa_se"]
    assert se == pytest.approx(kappas.std(), rel=0.05)


def test_cohen_kappa_perfect_and_chance_and_degenerate():
    assert labels.cohen_kappa(["s", "t", "s"], ["s", "t", "s"])["kappa"] == pytest.approx(1.0)
    # complete disagreement with balanced marginals: p_o = 0, p_e = .5 -> kappa = -1
    assert labels.cohen_kappa(["s", "t"], ["t", "s"])["kappa"] == pytest.approx(-1.0)
    constant = labels.cohen_kappa(["s"] * 4, ["s"] * 4, categories=["s", "t"])
    assert constant["p_observed"] == pytest.approx(1.0) and constant["p_expected"] == pytest.approx(1.0)
    assert np.isnan(constant["kappa"]) and np.isnan(constant["kappa_se"]) and constant["pabak"] == pytest.approx(1.0)
    empty = labels.cohen_kappa([], [])
    assert empty["n"] == 0 and np.isnan(empty["kappa"])
    # chance agreement a hair below 1 is not undefined: one disagreement in 600 items
    a = ["s"] * 600
    b = ["s"] * 599 + ["t"]
    near = labels.cohen_kappa(a, b)
    assert near["p_expected"] < 1 and near["kappa"] == pytest.approx(0.0)


def test_cohen_kappa_bad_input():
    with pytest.raises(SmmrubricError, match="length"):
        labels.cohen_kappa(["s"], ["s", "t"])
    with pytest.raises(SmmrubricError, match="missing label at position 1"):
        labels.cohen_kappa(["s", None], ["s", "t"])
    for bad in ("st", None, 3, np.array([["s", "t"]])):
        with pytest.raises(SmmrubricError, match="1-D sequence of labels") as info:
            labels.cohen_kappa(bad, ["s", "t"])
        assert info.value.field == "a"
    with pytest.raises(SmmrubricError, match="position 1 is a list") as info:
        labels.cohen_kappa(["s", "t"], ["s", ["t"]])
    assert info.value.field == "b"


def test_label_agreement_per_list():
    table = labels.label_agreement(_lists())
    assert list(table.index) == ["a", "b", "c", "all"]
    a = table.loc["a"]
    assert (a["n"], a["n_agree"], a["skill_to_trait"], a["trait_to_skill"]) == (4, 2, 1, 1)
    assert a["author_skill_share"] == pytest.approx(0.5) and a["our_skill_share"] == pytest.approx(0.5)
    assert a["kappa"] == pytest.approx(0.0)  # p_o = .5, p_e = .5
    b = table.loc["b"]
    assert b["n"] == 0 and np.isnan(b["kappa"]) and np.isnan(b["author_skill_share"])
    assert b["our_skill_share"] == pytest.approx(0.5)
    c = table.loc["c"]
    assert c["p_observed"] == pytest.approx(1.0) and np.isnan(c["kappa"])
    pooled = table.loc["all"]
    # pooled labelled items: author S S T T S S S vs ours S T T S S S S
    assert pooled["n"] == 7 and pooled["n_agree"] == 5 and pooled["n_items"] == 9
    p_e = (5 / 7) * (5 / 7) + (2 / 7) * (2 / 7)
    assert pooled["kappa"] == pytest.approx((5 / 7 - p_e) / (1 - p_e))
    assert pooled["our_skill_share_labelled"] == pytest.approx(5 / 7)


def test_label_disagreements_names_items_and_why():
    out = labels.label_disagreements(_lists())
    assert list(out["competency_id"]) == ["curiosity", "time_management"]
    assert list(out["direction"]) == ["author skill, our trait", "author trait, our skill"]
    assert out.loc[0, "mapping_note"] == "author calls it a skill; a disposition"


def test_label_functions_refuse_other_frames():
    with pytest.raises(SmmrubricError, match="load_expert_lists"):
        labels.label_agreement(pd.DataFrame({"x": [1]}))
    with pytest.raises(SmmrubricError, match="expert_lists"):
        labels.label_disagreements("not a frame")


def test_onet_category_prefixes():
    ids = pd.Series(["2.A.1.c", "2.B.5.a", "1.C.4.b", "2.C.1.c", None, "1.A.1.a"])
    assert list(labels.onet_category(ids).fillna("none")) == ["skill", "skill", "trait", "other", "none", "other"]
    with pytest.raises(SmmrubricError, match="Series"):
        labels.onet_category(["2.A.1.c"])


def test_onet_agreement_items_and_vocabulary():
    table = labels.onet_agreement(_lists(), _competencies())
    assert list(table.index) == ["a", "b", "c", "all", "vocabulary"]
    # vocabulary: in the split writing S/S, curiosity T/T, creativity T/T, time_management S/S,
    # empathy T/T, analytics S/T -> 5 of 6 agree; video has no id, marketing is knowledge (other)
    voc = table.loc["vocabulary"]
    assert (voc["n_onet"], voc["n"], voc["n_agree"]) == (7, 6, 5)
    p_e = (3 / 6) * (2 / 6) + (3 / 6) * (4 / 6)
    assert voc["kappa"] == pytest.approx((5 / 6 - p_e) / (1 - p_e))
    c = table.loc["c"]  # writing agrees, analytics disagrees, video has no O*NET id
    assert (c["n_onet"], c["n"], c["n_agree"]) == (2, 2, 1)
    assert table.loc["all", "n"] == 8


def test_reserved_list_ids():
    lists = _lists()
    lists.loc[lists["list_id"] == "b", "list_id"] = "all"
    with pytest.raises(SmmrubricError, match="reserved"):
        labels.label_agreement(lists)
    with pytest.raises(SmmrubricError, match="reserved"):
        labels.onet_agreement(lists, _competencies())


def test_onet_agreement_unknown_competency():
    lists = _lists()
    lists.loc[3, "competency_id"] = "nope"
    with pytest.raises(SmmrubricError, match="list a, position 4.*'nope'"):
        labels.onet_agreement(lists, _competencies())


def test_onet_contradicting_reading():
    crosswalk = pd.DataFrame(
        {
            "competency_id": ["writing", "writing", "curiosity", "analytics", "analytics", "video", "marketing"],
            "onet_id": ["2.A.1.c", "2.C.7.a", "1.C.7.b", "1.C.7.b", "2.A.1.e", "2.A.2.b", "2.C.1.c"],
        }
    )
    recorded = labels.onet_agreement(_lists(), _competencies(), crosswalk, reading="recorded")
    contra = labels.onet_agreement(_lists(), _competencies(), crosswalk, reading="contradicting")
    # vocabulary under the contradicting reading: writing S (its knowledge element is on neither side),
    # curiosity T, analytics T (a work style among its candidates, against our skill), video S (Active
    # Learning, a skill, as ours), marketing on neither side; the others have no candidate element
    voc = contra.loc["vocabulary"]
    assert (voc["n_onet"], voc["n"], voc["n_agree"]) == (5, 4, 3)
    assert recorded.loc["vocabulary", "n"] == 6
    with pytest.raises(SmmrubricError):
        labels.onet_agreement(_lists(), _competencies(), reading="contradicting")  # needs the crosswalk
    with pytest.raises(SmmrubricError):
        labels.onet_agreement(_lists(), _competencies(), crosswalk, reading="most")
    both = labels.onet_readings(_lists(), _competencies(), crosswalk)
    assert both.loc[("contradicting", "vocabulary"), "disagree"] == "analytics"


def test_label_kappa_bootstrap_against_resampling_by_hand():
    lists = _lists()
    out = labels.label_kappa_bootstrap(lists, seed=12, n_draws=300)
    labelled = lists[lists["author_label"].isin(["skill", "trait"])]
    ids = list(dict.fromkeys(labelled["list_id"]))
    draws = np.random.default_rng(12).multinomial(len(ids), np.full(len(ids), 1 / len(ids)), size=300)
    kappas = []
    for counts in draws:
        items = pd.concat([labelled[labelled["list_id"] == i] for i, c in zip(ids, counts) for _ in range(c)])
        result = labels.cohen_kappa(items["author_label"], items["category"], categories=["skill", "trait"])
        kappas.append(result["kappa"])
    kappas = np.array(kappas, dtype=float)
    assert out["n_undefined"] == int(np.isnan(kappas).sum())
    defined = kappas[~np.isnan(kappas)]
    assert (out["low"], out["high"]) == pytest.approx(tuple(np.quantile(defined, [0.025, 0.975])))
    assert out["kappa"] == pytest.approx(labels.label_agreement(lists).loc["all", "kappa"])
