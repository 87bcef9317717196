"""smmrubric.rank_agreement: what RBO^a's values average over when lists have ties (issue 13), the re-export."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from smmrubric import compare
from smmrubric.rank_agreement import rbo


def _breakings(ranking: list) -> list[list]:
    """Every strict order of a list with tie groups."""
    groups = [g if isinstance(g, tuple) else (g,) for g in ranking]
    return [[x for p in perms for x in p] for perms in itertools.product(*(itertools.permutations(g) for g in groups))]


# (a, b): the longer list untied, then the longer list tied
UNTIED_LONGER = [
    ([("a", "b", "c")], ["b", "d", "a", "e"]),
    ([("a", "b")], ["a", "c", "d", "e", "f"]),
    (["a", ("b", "c"), "d"], ["c", "x", "y", "a", "b"]),
]
TIED_LONGER = [([("a", "b", "c", "d")], [("b", "e")]), ([("a", "b", "c", "d", "e")], ["c"])]


@pytest.mark.parametrize(("a", "b"), UNTIED_LONGER + TIED_LONGER)
@pytest.mark.parametrize("p", [0.5, 0.9])
def test_rbo_a_min_is_the_average_over_tie_breakings(a, b, p):
    values = [rbo(x, y, p) for x in _breakings(a) for y in _breakings(b)]
    assert rbo(a, b, p).min == pytest.approx(np.mean([v.min for v in values]))


@pytest.mark.parametrize(("a", "b"), UNTIED_LONGER)
@pytest.mark.parametrize("p", [0.5, 0.9])
def test_rbo_a_ext_and_max_average_over_breakings_when_the_longer_list_is_untied(a, b, p):
    values = [rbo(x, y, p) for x in _breakings(a) for y in _breakings(b)]
    result = rbo(a, b, p)
    assert result.ext == pytest.approx(np.mean([v.ext for v in values]))
    assert result.max == pytest.approx(np.mean([v.max for v in values]))


@pytest.mark.parametrize(("a", "b"), TIED_LONGER)
def test_rbo_a_ext_and_max_are_not_averages_when_the_longer_list_is_tied(a, b):
    # as the docstring says: the reference code's mean-contribution rule, not an average (differences <= .06)
    values = [rbo(x, y, 0.9) for x in _breakings(a) for y in _breakings(b)]
    result = rbo(a, b, 0.9)
    gaps = [abs(result.ext - np.mean([v.ext for v in values])), abs(result.max - np.mean([v.max for v in values]))]
    assert max(gaps) > 1e-3 and max(gaps) <= 0.06


def test_compare_reexports_rbo_for_the_sensitivity_module():
    assert compare.rbo is rbo
