"""Tests of smmrubric.split.labels: the experts' skill / trait split against our categories and O*NET."""

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
