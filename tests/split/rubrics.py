"""Small rubrics shared by the split tests."""

from __future__ import annotations

import pandas as pd

from smmrubric import Rubric

#: A vocabulary with no competency: every rubric id is the test's own.
EMPTY_VOCABULARY = pd.DataFrame({"name": [], "category": []}, index=pd.Index([], name="competency_id"))


def small_rubric() -> Rubric:
    """Three skills and two traits with weights 3, 1, 2 and 1, 2."""
    lines = [("s1", "skill", 3), ("s2", "skill", 1), ("s3", "skill", 2), ("t1", "trait", 1), ("t2", "trait", 2)]
    return Rubric(
        [{"id": i, "name": i.upper(), "category": c, "weight": w} for i, c, w in lines],
        name="small",
        vocabulary=EMPTY_VOCABULARY,
    )
