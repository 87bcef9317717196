"""Describing a ratings table: designs told apart, counts, means, SDs and level shares against plain Python."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.paths import data_file
from smmrubric.rating_design import competency_summary, rater_coverage, rater_summary, rating_design
from smmrubric.ratings import read_ratings


def _long(rows):
    return pd.DataFrame(rows, columns=["candidate_id", "rater_id", "competency_id", "score"])


def _full(candidates, raters_of, competencies=("a", "b"), score=lambda c, r, i: 3):
    return _long([(c, r, i, score(c, r, i)) for c in candidates for r in raters_of(c) for i in competencies])


CROSSED = _full(["p1", "p2", "p3"], lambda c: ["r1", "r2"], score=lambda c, r, i: 1 + (len(c + r + i) + ord(c[-1])) % 5)
NESTED = _full(["p1", "p2", "p3"], lambda c: {"p1": ["r1", "r2"], "p2": ["r3", "r4"], "p3": ["r1", "r3"]}[c])
UNBALANCED = _full(["p1", "p2"], lambda c: ["r1", "r2", "r3"] if c == "p1" else ["r1", "r2"])
SINGLE = _full(["p1", "p2", "p3"], lambda c: {"p1": ["r1"], "p2": ["r2"], "p3": ["r1"]}[c])


@pytest.mark.parametrize(
    ("table", "kind"), [(CROSSED, "crossed"), (NESTED, "nested"), (UNBALANCED, "unbalanced"), (SINGLE, "single rater")]
)
def test_designs_are_told_apart(table, kind):
    d = rating_design(table)
    assert d.kind == kind and d.complete and d.missing_pairs == 0
    assert d.balanced == (kind in ("crossed", "nested"))
    assert d.n_ratings == len(table) and d.n_competencies == 2
    assert d.n_candidates == table["candidate_id"].nunique() and d.n_raters == table["rater_id"].nunique()


def test_counts_per_candidate_and_rater_and_missing_pairs():
    gap = (NESTED["candidate_id"] == "p2") & (NESTED["rater_id"] == "r3") & (NESTED["competency_id"] == "b")
    table = NESTED[~gap]
    d = rating_design(table)
    assert d.kind == "nested" and not d.complete and d.missing_pairs == 1 and not d.balanced
    assert d.raters_per_candidate.to_dict() == {"p1": 2, "p2": 2, "p3": 2}
    assert d.candidates_per_rater.to_dict() == {"r1": 2, "r2": 1, "r3": 2, "r4": 1}


def test_the_example_is_a_complete_panel():
    d = rating_design(read_ratings(data_file("examples/ratings_example.csv")))
    assert (d.kind, d.complete, d.n_candidates, d.n_raters, d.n_competencies, d.n_ratings) == (
        "crossed",
        True,
        12,
        3,
        30,
        1080,
    )


def test_rater_summary_matches_plain_python():
    table = CROSSED
    summary = rater_summary(table, levels=[1, 2, 3, 4, 5])
    assert list(summary.index) == ["r1", "r2"]
    for rater, row in summary.iterrows():
        scores = [float(s) for s, r in zip(table["score"], table["rater_id"], strict=True) if r == rater]
        assert row["n_ratings"] == len(scores) and row["n_candidates"] == 3 and row["candidates"] == "all"
        assert row["mean"] == pytest.approx(statistics.mean(scores))
        assert row["sd"] == pytest.approx(statistics.stdev(scores))
        for level in range(1, 6):
            assert row[str(level)] == pytest.approx(scores.count(level) / len(scores))
    assert list(summary.columns[-5:]) == ["1", "2", "3", "4", "5"]


def test_rater_summary_lists_the_candidates_a_rater_saw():
    summary = rater_summary(NESTED)
    assert summary.loc["r2", "candidates"] == "p1" and summary.loc["r1", "candidates"] == "p1, p3"
    many = _full([f"p{i:02d}" for i in range(10)], lambda c: ["r1"] if c != "p09" else ["r2"])
    assert rater_summary(many).loc["r1", "candidates"] == "p00, p01, p02, p03, p04, p05 and 3 more"


def test_unused_levels_show_as_zero_and_half_points_get_a_column():
    table = _long([("p1", "r1", "a", 2.5), ("p2", "r1", "a", 4.0)])
    summary = competency_summary(table, levels=[1, 2, 3, 4, 5])
    assert list(summary.columns) == ["n_candidates", "n_ratings", "mean", "sd", "1", "2", "2.5", "3", "4", "5"]
    assert summary.loc["a", ["1", "2.5", "4"]].tolist() == pytest.approx([0.0, 0.5, 0.5])
    assert summary.loc["a", "mean"] == pytest.approx(3.25) and summary.loc["a", "n_candidates"] == 2


def test_coverage_counts_competencies_per_rater_and_candidate():
    coverage = rater_coverage(NESTED)
    assert coverage.loc["r2"].tolist() == [2, 0, 0] and coverage.loc["r1"].tolist() == [2, 0, 2]
    assert list(coverage.columns) == ["p1", "p2", "p3"] and coverage.to_numpy().sum() == len(NESTED)


def test_a_bad_table_is_refused():
    with pytest.raises(SmmrubricError, match="score"):
        rating_design(CROSSED.drop(columns="score"))
