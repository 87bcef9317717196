"""Tests of smmrubric.findings: findings shown as their own text (nbval compares it)."""

import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.findings import Finding, bullets


def test_finding_shows_its_text_as_markdown_and_as_plain_text():
    f = Finding("**Analytics** is named by 8 of 13 lists.")
    assert repr(f) == str(f) == f._repr_markdown_() == "**Analytics** is named by 8 of 13 lists."
    assert bullets(["a", f]).text == "* a\n* **Analytics** is named by 8 of 13 lists."
    assert Finding("x") == Finding("x") and Finding("x") != Finding("y")


def test_finding_refuses_other_types():
    with pytest.raises(SmmrubricError, match="text"):
        Finding(3)
