"""Tests of smmrubric.replicate: per-replication seeds, results independent of workers and backend."""

from __future__ import annotations

import joblib
import numpy as np
import pandas as pd
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.replicate import chunks, parallel_map, replicate, spawn, summarise


def _draw(generator: np.random.Generator, size: int) -> np.ndarray:
    return generator.standard_normal(size)


def test_spawned_generators_are_the_seed_sequence_children():
    children = np.random.SeedSequence(42).spawn(3)
    for got, child in zip(spawn(42, 3), children, strict=True):
        assert got.random() == np.random.Generator(np.random.PCG64(child)).random()


def test_replications_do_not_depend_on_chunking_or_workers():
    reference = replicate(_draw, 23, seed=9, args=(4,), chunk_size=23)
    for chunk_size, n_jobs in ((1, None), (5, None), (5, 2), (7, 2)):
        got = replicate(_draw, 23, seed=9, args=(4,), chunk_size=chunk_size, n_jobs=n_jobs)
        assert all(np.array_equal(a, b) for a, b in zip(got, reference, strict=True)) and len(got) == 23
    with joblib.parallel_config(backend="threading", n_jobs=3):
        got = replicate(_draw, 23, seed=9, args=(4,), chunk_size=4)
    assert all(np.array_equal(a, b) for a, b in zip(got, reference, strict=True))


def test_dask_distributed_backend_gives_the_same_results():
    """The same code runs on a dask.distributed cluster through joblib's dask backend."""
    distributed = pytest.importorskip("distributed")
    reference = replicate(_draw, 30, seed=5, args=(3,), chunk_size=4)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster), joblib.parallel_config(backend="dask"):
            got = replicate(_draw, 30, seed=5, args=(3,), chunk_size=4)
    assert all(np.array_equal(a, b) for a, b in zip(got, reference, strict=True))


def test_a_growth_study_on_a_dask_cluster_equals_the_default_run():
    distributed = pytest.importorskip("distributed")
    from smmrubric.split import hire_and_grow

    from .split.rubrics import small_rubric

    common = {
        "seed": 3,
        "shares": [0.0, 0.5, 1.0],
        "months": [0, 12],
        "k": 4,
        "n": 30,
        "n_pools": 60,
        "progress": False,
    }
    reference = hire_and_grow(small_rubric(), **common)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster), joblib.parallel_config(backend="dask"):
            got = hire_and_grow(small_rubric(), **common)
    pd.testing.assert_frame_equal(got.curves, reference.curves)
    np.testing.assert_array_equal(got.values, reference.values)


def test_parallel_map_keeps_order_and_checks_n_jobs():
    assert parallel_map(abs, [-3, 1, -2], n_jobs=2) == [3, 1, 2]
    assert parallel_map(abs, []) == []
    for bad in (0, -2, 1.5, True, "2"):
        with pytest.raises(SmmrubricError) as info:
            parallel_map(abs, [1], n_jobs=bad)
        assert info.value.field == "n_jobs"


def test_chunks_cover_every_item_once():
    assert [list(c) for c in chunks(7, 3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert chunks(0) == []


def test_summarise_mean_se_and_interval():
    values = pd.DataFrame({"x": np.arange(1.0, 21.0), "y": [np.nan] + [2.0] * 19})
    table = summarise(values, level=0.9)
    x = np.arange(1.0, 21.0)
    assert table.loc["x", "mean"] == pytest.approx(10.5)
    assert table.loc["x", "se"] == pytest.approx(x.std(ddof=1) / np.sqrt(20))
    # linear interpolation between order statistics (Hyndman & Fan type 7): 5% of 19 steps = 0.95 -> 1.95
    assert table.loc["x", "low"] == pytest.approx(1.95) and table.loc["x", "high"] == pytest.approx(19.05)
    assert table.loc["y", "n"] == 19 and table.loc["y", "mean"] == pytest.approx(2.0)
    with pytest.raises(SmmrubricError):
        summarise([1, 2, 3])  # type: ignore[arg-type]
