"""Speed and memory of SMAA-2 (``smmrubric.sensitivity.smaa``) against its floors and a naive loop.

Run: ``.venv/bin/python benchmarks/sensitivity.py`` (or ``make benchmark``). Prints, for 1,000
candidates x 20 competencies x 10,000 uniform weight draws:

* (a) first-rank acceptability + central weights + confidence (``smaa(..., ranks="first")``);
* (b) full rank acceptability (``smaa(..., ranks="all")``, which also gives (a));
* the floors: one matmul of all draws into a preallocated buffer, and that matmul plus one
  ``np.sort`` of all the utilities (row by row, returning a sorted copy, as the issue words it), and
  a stricter variant sorting the buffer in place;
* a naive loop over draws in plain Python (utilities, ``sorted`` and the counts, draw by draw),
  timed on ``--naive-samples`` draws and scaled linearly to the full count -- the reference for the
  50x target -- and, for information, a Python loop over draws with numpy inside each draw (one
  matvec, one argsort, one scatter), timed on a subset and scaled the same way;
* the ratios against the targets: (a) <= 3x the matmul floor, (b) <= 2x the matmul+sort floor,
  both >= 50x faster than the naive loop;
* for information, (b) on the same pool with 10 duplicated score profiles, which takes the slower
  tie-sharing path (tied candidates share their ranks; see ``smmrubric.sensitivity.smaa``);
* the peak memory (tracemalloc: numpy buffers are traced) of a 1,000,000-draw run.

Each time is the best of ``--repeat`` runs, as wall clock (``time.perf_counter``) and as process CPU
time (``time.process_time``, which includes smaa's counting thread). The targets are checked on CPU
time, which other programs' load disturbs much less than wall clock; on an idle machine the two agree
for the single-threaded floors, and smaa's wall time is lower than its CPU time (its counting thread
overlaps the next chunk's sort).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc

os.environ.setdefault("SMMRUBRIC_NO_PROGRESS", "1")
# One BLAS thread: np.sort is single-threaded, so floors and smaa compare like with like, and process
# CPU time (reported beside wall time) is then the work done, unaffected by other programs' load.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from smmrubric.sensitivity import smaa, uniform_weights  # noqa: E402


def best(fn, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best process-CPU time of ``repeat`` calls, in seconds."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu)


def naive_python(x: np.ndarray, n_samples: int, seed: int) -> tuple[list, list]:
    """The naive loop: one draw at a time, in plain Python (utilities, sort, counts)."""
    rng = np.random.default_rng(seed)
    n, m = x.shape
    rows = x.tolist()
    counts = [[0] * n for _ in range(n)]
    wsum = [[0.0] * m for _ in range(n)]
    for _ in range(n_samples):
        e = [rng.standard_exponential() for _ in range(m)]
        total = sum(e)
        w = [v / total for v in e]
        u = [sum(wj * xj for wj, xj in zip(w, row)) for row in rows]
        order = sorted(range(n), key=u.__getitem__, reverse=True)
        for r, c in enumerate(order):
            counts[c][r] += 1
        top = wsum[order[0]]
        for j in range(m):
            top[j] += w[j]
    return counts, wsum


def naive_numpy(x: np.ndarray, n_samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A Python loop over draws with numpy inside each draw (matvec, argsort, scatter)."""
    rng = np.random.default_rng(seed)
    n, m = x.shape
    counts = np.zeros((n, n))
    wsum = np.zeros((n, m))
    ranks = np.arange(n)
    for _ in range(n_samples):
        w = rng.dirichlet(np.ones(m))
        u = x @ w
        order = np.argsort(-u)
        counts[order, ranks] += 1
        wsum[order[0]] += w
    return counts, wsum


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--competencies", type=int, default=20)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--naive-samples", type=int, default=200,
                        help="draws actually run by the plain-Python loop (scaled up to --samples)")
    parser.add_argument("--loop-samples", type=int, default=2000,
                        help="draws actually run by the numpy-per-draw loop (scaled up to --samples)")
    parser.add_argument("--memory-samples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    n, m, big_n = args.candidates, args.competencies, args.samples
    rng = np.random.default_rng(20261121)
    ids = [f"c{j:02d}" for j in range(m)]
    scores = pd.DataFrame(rng.integers(1, 6, (n, m)) + rng.random((n, m)),
                          index=pd.Index([f"k{i:04d}" for i in range(n)], name="candidate_id"), columns=ids)
    sampler = uniform_weights(ids)
    x = scores.to_numpy()
    w = sampler.sample(big_n, seed=1)
    buf = np.empty((big_n, n))

    def floor_matmul() -> None:
        np.matmul(w, x.T, out=buf)

    def floor_sort() -> None:  # as the issue words it: the matmul into the buffer, then np.sort of all scores
        np.matmul(w, x.T, out=buf)
        np.sort(buf, axis=1)

    def floor_sort_inplace() -> None:  # a stricter floor: sort in place, no new array
        np.matmul(w, x.T, out=buf)
        buf.sort(axis=1)

    t_mm = best(floor_matmul, args.repeat)
    t_sort = best(floor_sort, args.repeat)
    t_inplace = best(floor_sort_inplace, args.repeat)
    del buf
    t_a = best(lambda: smaa(scores, sampler, big_n, seed=2, ranks="first", progress=False), args.repeat)
    t_b = best(lambda: smaa(scores, sampler, big_n, seed=2, ranks="all", progress=False), args.repeat)
    # the tie-sharing path (taken when two candidates have the same score profile, as integer rating
    # scales make common): the same pool with its last 10 candidates copies of the first 10
    tied = scores.copy()
    tied.iloc[-10:] = tied.iloc[:10].to_numpy()
    t_tied = best(lambda: smaa(tied, sampler, big_n, seed=2, ranks="all", progress=False), 1)
    k = min(args.naive_samples, big_n)
    t_naive = tuple(t * big_n / k for t in best(lambda: naive_python(x, k, 3), 1))
    k2 = min(args.loop_samples, big_n)
    t_loop = tuple(t * big_n / k2 for t in best(lambda: naive_numpy(x, k2, 3), 1))

    tracemalloc.start()
    smaa(scores, sampler, args.memory_samples, seed=4, ranks="all", progress=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # the tie-sharing path's peak: its buffers are per chunk (and per block within a chunk), so the
    # peak does not grow with the number of draws; measured on --samples draws
    tracemalloc.start()
    smaa(tied, sampler, big_n, seed=4, ranks="all", progress=False)
    _, peak_tied = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MB on Linux

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"SMAA-2 benchmark: {n} candidates x {m} competencies x {big_n:,} uniform weight draws")
    print(f"numpy {np.__version__}, {os.cpu_count()} cores, OPENBLAS_NUM_THREADS="
          f"{os.environ['OPENBLAS_NUM_THREADS']}, load average {load:.1f}; best of {args.repeat}")
    print(f"{'':58s}{'wall ms':>9s}{'CPU ms':>9s}   ratio (CPU; wall)")

    def row(label: str, t: tuple[float, float], ratio: str = "") -> None:
        print(f"  {label:56s}{t[0] * 1e3:9.1f}{t[1] * 1e3:9.1f}   {ratio}")

    def ratio(a: tuple[float, float], b: tuple[float, float]) -> str:
        return f"{a[1] / b[1]:.2f}x; {a[0] / b[0]:.2f}x"

    row("floor: one matmul into a preallocated buffer", t_mm)
    row("floor: that matmul + np.sort of all utilities", t_sort)
    row("  (stricter: that matmul + in-place ndarray.sort)", t_inplace)
    row("(a) first rank + central weights + confidence", t_a, f"{ratio(t_a, t_mm)} the matmul floor (target <= 3)")
    row("(b) full rank acceptability (+ all of (a))", t_b, f"{ratio(t_b, t_sort)} the matmul+sort floor (target <= 2)")
    print(f"{'':76s}{ratio(t_b, t_inplace)} the stricter in-place floor")
    row("(b) with 10 duplicated profiles (tie-sharing path)", t_tied,
        f"{ratio(t_tied, t_sort)} the matmul+sort floor (information; no target)")
    row(f"naive loop, plain Python ({k:,} draws run, x{big_n / k:g})", t_naive,
        f"(a) {t_naive[1] / t_a[1]:.0f}x, (b) {t_naive[1] / t_b[1]:.0f}x slower than smaa (target >= 50)")
    row(f"loop over draws, numpy per draw ({k2:,} run, x{big_n / k2:g})", t_loop,
        f"(a) {t_loop[1] / t_a[1]:.1f}x, (b) {t_loop[1] / t_b[1]:.1f}x slower than smaa (information)")
    print(f"{'':76s}(the 50x target is read against the plain-Python loop; against this loop it is "
          f"{'met' if t_loop[1] >= 50 * max(t_a[1], t_b[1]) else 'not met'}:")
    print(f"{'':76s} its per-draw argsort is already the sort floor's work)")
    print(f"  peak traced memory of a {args.memory_samples:,}-draw run (all ranks): {peak / 2**20:.1f} MB "
          f"(target < 500); process max RSS {rss:.0f} MB")
    print(f"  peak traced memory of the tie-sharing path ({big_n:,} draws; per-chunk buffers): "
          f"{peak_tied / 2**20:.1f} MB")
    cpu_ok = {
        "(a) <= 3x matmul": t_a[1] <= 3 * t_mm[1],
        "(b) <= 2x matmul+sort": t_b[1] <= 2 * t_sort[1],
        ">= 50x naive": t_naive[1] >= 50 * max(t_a[1], t_b[1]),
        "memory < 500 MB": max(peak, peak_tied) < 500 * 2**20,
    }
    print("  targets (CPU time): " + ", ".join(f"{k} {'met' if v else 'NOT MET'}" for k, v in cpu_ok.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
