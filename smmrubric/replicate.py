"""Replications over simulated pools, in parallel through joblib, with results that do not depend on how.

Every simulated claim of the studies is reported over many pools, not one. This module is the one place that
runs replications:

* :func:`spawn` gives each replication its own generator, spawned from the one :class:`numpy.random.SeedSequence`
  behind ``seed`` (O'Neill 2014; NumPy's ``SeedSequence.spawn``): replication ``i`` draws the same numbers
  whatever runs it, on whichever worker, in whichever order.
* :func:`parallel_map` runs a function over items through :class:`joblib.Parallel` and returns the results in
  item order. Work is cut into chunks of a size fixed by the number of items, never by the number of workers,
  so results are identical with 1 or 8 workers, with the loky, threading or sequential backends, and on a
  dask.distributed cluster (``with joblib.parallel_config(backend="dask"): ...`` after creating a
  ``distributed.Client``; joblib's dask backend, Rocklin 2015). Without a ``joblib.parallel_config`` and with
  ``n_jobs=None`` the work runs in this process (no start-up cost): the studies are written to be cheap
  enough for that, and a researcher with more pools or more cores raises ``n_jobs`` or picks a backend.
* :func:`replicate` combines the two: ``function(generator, *args)`` for every replication, results in seed
  order.
* :func:`summarise` reports a statistic over replications: its mean, the Monte Carlo standard error of the
  mean and a central interval of the replications (by default 90%: the 5th and 95th percentiles, i.e. where
  the statistic of one new pool is expected to fall 90% of the time).

References
----------
O'Neill, M. E. (2014). PCG: A family of simple fast space-efficient statistically good algorithms for random
number generation. Harvey Mudd College, HMC-CS-2014-0905.
Rocklin, M. (2015). Dask: parallel computation with blocked algorithms and task scheduling. *Proceedings of the
14th Python in Science Conference*, 130-136.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import SmmrubricError
from .validation import as_rng, check_int, check_probability

__all__ = ["DEFAULT_LEVEL", "chunks", "parallel_map", "replicate", "spawn", "summarise"]

#: Central share of the replications an interval covers.
DEFAULT_LEVEL = 0.9
#: Items per task: large enough that one task costs far more than joblib's scheduling, small enough to spread.
CHUNK_SIZE = 25


def spawn(seed: int | np.random.Generator, n: int) -> list[np.random.Generator]:
    """``n`` independent generators spawned from ``seed``'s :class:`~numpy.random.SeedSequence`, in order."""
    n = check_int(n, "n", low=1)
    return as_rng(seed).spawn(n)


def chunks(n: int, size: int = CHUNK_SIZE) -> list[range]:
    """Consecutive ranges covering ``0 .. n - 1``, ``size`` items each (the last may be shorter)."""
    n = check_int(n, "n", low=0)
    size = check_int(size, "size", low=1)
    return [range(start, min(start + size, n)) for start in range(0, n, size)]


def _check_jobs(n_jobs: Any) -> int | None:
    if n_jobs is None:
        return None
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0 or n_jobs < -1:
        raise SmmrubricError(f"must be None, -1 (all cores) or a positive integer, got {n_jobs!r}", field="n_jobs")
    return int(n_jobs)


def parallel_map(function: Callable[[Any], Any], items: Sequence[Any], *, n_jobs: int | None = None) -> list[Any]:
    """``[function(item) for item in items]``, run through :class:`joblib.Parallel`, in item order.

    Parameters
    ----------
    function
        A picklable function (a module-level function or a :func:`functools.partial` of one) when the backend
        runs in other processes.
    items
        The inputs, one task each (group them with :func:`chunks` to keep tasks coarse).
    n_jobs
        Workers; ``None`` uses the active ``joblib.parallel_config`` (by default: in this process), -1 every
        core.

    Returns
    -------
    list
        One result per item, in the order of ``items``.
    """
    from joblib import Parallel, delayed

    n_jobs = _check_jobs(n_jobs)
    items = list(items)
    if not items:
        return []
    return list(Parallel(n_jobs=n_jobs)(delayed(function)(item) for item in items))


def _run(task: tuple[Callable[..., Any], list[np.random.Generator], tuple, dict]) -> list[Any]:
    function, generators, args, kwargs = task
    return [function(g, *args, **kwargs) for g in generators]


def replicate(
    function: Callable[..., Any],
    n: int,
    *,
    seed: int | np.random.Generator,
    args: tuple = (),
    kwargs: dict[str, Any] | None = None,
    n_jobs: int | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> list[Any]:
    """Run ``function(generator_i, *args, **kwargs)`` for ``i = 0 .. n - 1``; results in seed order.

    Generator ``i`` is the ``i``-th child of ``seed``'s SeedSequence (:func:`spawn`); replications are grouped
    into tasks of ``chunk_size`` (fixed, whatever ``n_jobs``) and run by :func:`parallel_map`. The results are
    therefore the same for any ``n_jobs`` and any joblib backend.

    Parameters
    ----------
    function
        Takes a :class:`numpy.random.Generator` first; picklable for process-based backends.
    n
        Number of replications, >= 1.
    seed
        An int or a numpy Generator.
    args, kwargs
        Passed to every call (sent once per task).
    n_jobs
        See :func:`parallel_map`.
    chunk_size
        Replications per task.

    Returns
    -------
    list
        ``n`` results, replication 0 first.

    Examples
    --------
    >>> first = replicate(lambda g: float(g.random()), 3, seed=1)
    >>> first == replicate(lambda g: float(g.random()), 3, seed=1, chunk_size=1)
    True
    """
    generators = spawn(seed, n)
    kwargs = {} if kwargs is None else dict(kwargs)
    tasks = [(function, [generators[i] for i in block], tuple(args), kwargs) for block in chunks(n, chunk_size)]
    return [result for block in parallel_map(_run, tasks, n_jobs=n_jobs) for result in block]


def summarise(values: pd.DataFrame | pd.Series, *, level: float = DEFAULT_LEVEL) -> pd.DataFrame:
    """Mean, Monte Carlo standard error and central interval of statistics over replications.

    For the ``R`` replications ``x_1 .. x_R`` of a statistic: ``mean = sum x_r / R``, ``se = sd(x) / sqrt(R)``
    (ddof 1; the standard error of the mean over replications), both from exactly rounded sums
    (:func:`math.fsum`), so they do not depend on the order of the replications or on the CPU's summation code
    paths (statistics that are shares of integer counts often sit exactly on a rounding boundary), and
    ``low``, ``high`` the ``(1 - level) / 2``
    and ``(1 + level) / 2`` quantiles of the ``x_r`` (linear interpolation, Hyndman & Fan 1996 definition 7):
    the range in which the statistic of one new replication falls with probability ``level``.

    Parameters
    ----------
    values
        Replications x statistics (a DataFrame), or one statistic (a Series).
    level
        Central share covered by ``low .. high``, in (0, 1); default .90.

    Returns
    -------
    pandas.DataFrame
        Indexed by statistic: ``mean``, ``se``, ``low``, ``high``, ``n`` (replications with a value; NaN
        values, where a statistic is undefined in a replication, are left out).
    """
    if isinstance(values, pd.Series):
        values = values.to_frame(values.name if values.name is not None else "value")
    if not isinstance(values, pd.DataFrame):
        raise SmmrubricError(
            f"must be a DataFrame (replications x statistics), got {type(values).__name__}", field="values"
        )
    level = check_probability(level, "level", open_ends=True)
    rows = {}
    for column in values.columns:
        x = pd.to_numeric(values[column], errors="coerce").to_numpy(dtype=float)
        x = x[~np.isnan(x)]
        if x.size == 0:
            rows[column] = {"mean": np.nan, "se": np.nan, "low": np.nan, "high": np.nan, "n": 0}
            continue
        low, high = np.quantile(x, [(1 - level) / 2, (1 + level) / 2])
        mean = math.fsum(x) / x.size
        se = math.sqrt(math.fsum((x - mean) ** 2) / (x.size - 1) / x.size) if x.size > 1 else np.nan
        rows[column] = {"mean": mean, "se": se, "low": low, "high": high, "n": x.size}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "statistic"
    return out
