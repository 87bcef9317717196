"""What-if pools: one pool recomputed by hand through the simulator's public functions, the summary by numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmrubric import simulate
from smmrubric.errors import SmmrubricError
from smmrubric.inputs import load_rubric
from smmrubric.sensitivity import shortlist_recovery


@pytest.fixture(scope="module")
def rubric():
    return load_rubric()


def test_a_pool_recomputed_by_hand(rubric):
    result = shortlist_recovery(
        rubric,
        [0.5, 0.9],
        n=30,
        k=4,
        n_pools=3,
        seed=5,
        raters=2,
        leniency_share=0.2,
        halo_share=0.3,
        mean_intercorrelation=0.4,
    )
    w = rubric.weights
    for pool, rng in enumerate(np.random.default_rng(5).spawn(3)):
        true = simulate.candidates(rubric, 30, seed=rng, mean_intercorrelation=0.4)
        best = set(pd.Series(true[w.index].to_numpy() @ w.to_numpy(), index=true.index).nlargest(4).index)
        for column, rho in zip(result.overlaps.columns, (0.5, 0.9), strict=True):
            long = simulate.ratings(
                true, rubric, seed=rng, raters=2, reliability=rho, leniency_share=0.2, halo_share=0.3
            )
            means = long.pivot_table(index="candidate_id", columns="competency_id", values="score")[list(w.index)]
            totals = pd.Series(means.to_numpy() @ w.to_numpy(), index=means.index)
            cut = totals.sort_values(ascending=False).iloc[3]
            above, tied = set(totals.index[totals > cut + 1e-9]), set(totals.index[abs(totals - cut) <= 1e-9])
            # ties at the cut share the places left, in expectation
            expected = (len(best & above) + len(best & tied) * (4 - len(above)) / len(tied)) / 4
            assert result.overlaps.loc[pool, column] == pytest.approx(expected)
    assert list(result.overlaps.columns) == ["reliability 0.50", "reliability 0.90"]
    assert (result.k, result.n, result.raters) == (4, 30, 2)


def test_summary_is_the_mean_and_percentiles_over_pools(rubric):
    result = shortlist_recovery(rubric, {"low": 0.3, "high": 0.95}, n=25, k=3, n_pools=40, seed=1)
    summary = result.summary()
    for label in ("low", "high"):
        values = result.overlaps[label].to_numpy()
        assert summary.loc[label, "mean"] == pytest.approx(values.mean())
        assert summary.loc[label, "low"] == np.quantile(values, 0.05, method="inverted_cdf")
        assert summary.loc[label, "high"] == np.quantile(values, 0.95, method="inverted_cdf")
        assert summary.loc[label, "all_found"] == pytest.approx((values >= 1 - 1e-9).mean())
    assert summary["reliability"].tolist() == pytest.approx([0.3, 0.95])
    # more reliable ratings find more of the true top k, in these same pools
    assert summary.loc["high", "mean"] > summary.loc["low", "mean"]


def test_pools_do_not_depend_on_how_many_are_run(rubric):
    few = shortlist_recovery(rubric, [0.6], n=20, k=3, n_pools=2, seed=8)
    more = shortlist_recovery(rubric, [0.6], n=20, k=3, n_pools=5, seed=8)
    assert more.overlaps.iloc[:2].equals(few.overlaps)


def test_bad_arguments_are_refused(rubric):
    with pytest.raises(SmmrubricError, match="n"):
        shortlist_recovery(rubric, [0.5], n=5, k=5, n_pools=1, seed=0)
    with pytest.raises(SmmrubricError, match="reliabilities"):
        shortlist_recovery(rubric, [1.5], n=10, k=2, n_pools=1, seed=0)
    with pytest.raises(SmmrubricError, match="reliabilities"):
        shortlist_recovery(rubric, "0.5", n=10, k=2, n_pools=1, seed=0)
    with pytest.raises(SmmrubricError, match="differ"):
        shortlist_recovery(rubric, {"a": 0.5, 1: 0.4, "1": 0.3}, n=10, k=2, n_pools=1, seed=0)
