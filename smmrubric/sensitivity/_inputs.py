"""Input checks shared by the deterministic sensitivity analyses."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

from ..errors import SmmrubricError
from ..validation import check_score_matrix, check_weights, text_ids

__all__ = ["score_and_weights"]


def score_and_weights(scores: Any, weights: Any, *, field: str = "weights") -> tuple[pd.DataFrame, np.ndarray]:
    """Check ``scores`` (candidates x competencies) and ``weights`` and align them.

    ``weights`` is a Series indexed by ``competency_id`` or a Rubric (its ``weights``); it must
    cover exactly the score columns. Returns the checked score frame and the weights as a float
    array in the score columns' order, normalised to sum 1.
    """
    frame = check_score_matrix(scores)
    if hasattr(weights, "weights") and isinstance(weights.weights, pd.Series):
        weights = weights.weights
    if not isinstance(weights, pd.Series):
        raise SmmrubricError(
            f"must be a Series indexed by competency_id or a Rubric, got {type(weights).__name__}", field=field
        )
    w = cast(pd.Series, check_weights(weights, field))  # a Series in, a Series out
    w.index = pd.Index(text_ids(w.index, f"{field} index (competency_id)"))  # 1 and "1" are one competency
    missing = [c for c in frame.columns if c not in w.index]
    if missing:
        raise SmmrubricError("no weight for this competency", row=missing[0], field=field)
    extra = [c for c in w.index if c not in frame.columns]
    if extra:
        raise SmmrubricError("weight for a competency the scores do not have", row=extra[0], field=field)
    values = w[list(frame.columns)].to_numpy(dtype=float)
    return frame, values / values.sum()
