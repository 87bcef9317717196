"""Ids as typed: the key two spellings of one id share, how they differ, and "did you mean"."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from smmrubric.errors import Problems
from smmrubric.ids import check_ids, did_you_mean, id_key, spelling_difference

NFC, NFD = unicodedata.normalize("NFC", "Zoé"), unicodedata.normalize("NFD", "Zoé")


@pytest.mark.parametrize(
    "a, b, how",
    [
        ("r2", "R2", "case"),
        ("r2", "r2 ", "surrounding spaces"),
        ("r2", "r\u200b2", "a zero-width character"),
        (NFC, NFD, "Unicode normalisation (NFC/NFD)"),
        (" R2", "r2", "surrounding spaces and case"),
        (1, "1", "type (the number 1 and the text '1')"),
    ],
)
def test_spellings_of_one_id(a, b, how):
    assert id_key(str(a)) == id_key(str(b))
    assert spelling_difference(a, b) == how


def test_different_ids_have_different_keys():
    assert len({id_key(x) for x in ["r1", "r2", "rl", "Zoe", NFC, "r 1"]}) == 6


def test_check_ids_stores_nfc_and_reports_both_spellings():
    values = np.array(["R1", "r1", NFD, "  ", "a\x00b"], dtype=object)
    codes = np.array([0, 1, 2, 3, 4, 0])
    problems = Problems(file="f.csv")
    categories, to_category = check_ids(codes, values, None, lambda p: p + 2, "rater_id", problems)
    assert categories == ["R1", NFC, "a\x00b", "r1"]
    assert to_category.tolist() == [0, 3, 1, -1, 2]
    found = {(p.row, p.message.split(":")[0]) for p in problems._found}
    assert found == {
        (5, "empty value"),
        (6, "contains a NUL character (\\x00)"),
        (3, "'r1' and 'R1' (row 2) differ only by case"),
    }


def test_did_you_mean():
    choices = ["copywriting", "analytics", "curiosity"]
    assert did_you_mean("copywritng", choices) == "; did you mean 'copywriting'?"
    assert did_you_mean("Analytics", choices) == "; did you mean 'analytics'?"
    assert did_you_mean("tiktok", choices) == ""
