"""Time and memory of ``smmrubric rank --out`` on a 10^6-row ratings file (issue 15's scale target).

Run: ``.venv/bin/python benchmarks/ratings_scale.py``. Writes, in a temporary folder, a long ratings CSV
of ``--rows`` rows (default 1,000,000, about 28 MB): candidates ``C000001``... each rated by raters
``R01``-``R03`` on every competency of the consensus rubric, seeded integer scores 1-5 (the last candidate
is rated on part of the rubric only, hence ``--missing renormalize``). Then runs, each in a fresh process,

* ``smmrubric rank data/rubrics/consensus.yaml BIG.csv --missing renormalize --out ranked.csv``, and
* the same command on the 12-candidate example file (the process's start-up: imports, rubric),

and prints the wall and CPU (user + system) time of each, the peak resident memory of each (the process's
own ``VmHWM``, read from ``/proc/self/status`` as it exits: Linux) and the ratio of the difference to the
file's size. Targets: <= 8 s for the big run, <= 5 x the file size in peak memory above start-up. Each time
is the best of ``--repeat`` runs (other programs' load only ever adds time; CPU time, which it disturbs much
less, is checked against the target when it is the lower); memory is the same run to run.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RUBRIC = ROOT / "data" / "rubrics" / "consensus.yaml"
EXAMPLE = ROOT / "data" / "examples" / "ratings_example.csv"


def write_ratings(path: Path, rows: int, seed: int = 1) -> None:
    """A long ratings CSV of ``rows`` rows on the consensus rubric's competencies (3 raters per candidate)."""
    from smmrubric.rubric import Rubric

    competencies = Rubric.from_yaml(RUBRIC).competency_ids
    per_candidate = 3 * len(competencies)
    n = -(-rows // per_candidate)
    candidates = pd.Index([f"C{i:06d}" for i in range(1, n + 1)]).take(np.repeat(np.arange(n), per_candidate))
    raters = pd.Index(["R01", "R02", "R03"]).take(np.tile(np.repeat(np.arange(3), len(competencies)), n))
    comps = pd.Index(competencies).take(np.tile(np.arange(len(competencies)), 3 * n))
    scores = np.random.default_rng(seed).integers(1, 6, size=n * per_candidate)
    frame = pd.DataFrame({"candidate_id": candidates, "rater_id": raters, "competency_id": comps, "score": scores})
    frame.iloc[:rows].to_csv(path, index=False, lineterminator="\n")


# The child reports its own high-water mark: the kernel's ru_maxrss of a child counts the parent's memory
# copied by fork before exec; VmHWM belongs to the process image exec made (Linux).
_CHILD = """
import sys
from smmrubric.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as status:
    print(next(line for line in status if line.startswith("VmHWM")).split()[1], file=sys.stderr)
sys.exit(code)
"""


def run(ratings: Path, out: Path) -> tuple[float, float, int]:
    """Wall time (s), CPU time (s, user + system) and peak RSS (bytes) of one ``smmrubric rank`` process."""
    if out.exists():
        out.unlink()
    command = [
        sys.executable,
        "-c",
        _CHILD,
        "rank",
        str(RUBRIC),
        str(ratings),
        "--missing",
        "renormalize",
        "--top",
        "1",
        "--out",
        str(out),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"rank failed: {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, int(done.stderr.split()[-1]) * 1024  # kB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "ratings.csv"
        write_ratings(big, args.rows)
        size = big.stat().st_size
        out = Path(folder) / "ranked.csv"
        small = [run(EXAMPLE, out) for _ in range(args.repeat)]
        large = [run(big, out) for _ in range(args.repeat)]
        ranked = len(pd.read_csv(out))
    wall_small, cpu_small = min(t for t, _, _ in small), min(c for _, c, _ in small)
    wall_large, cpu_large = min(t for t, _, _ in large), min(c for _, c, _ in large)
    rss_small, rss_large = max(r for _, _, r in small), max(r for _, _, r in large)
    ratio = (rss_large - rss_small) / size
    print(f"ratings file: {args.rows:,} rows, {size / 1e6:.1f} MB; {ranked:,} candidates ranked")
    print(
        f"smmrubric rank --out, big file: {wall_large:5.2f} s wall, {cpu_large:5.2f} s CPU (target <= 8 s); "
        f"peak RSS {rss_large / 1e6:6.1f} MB"
    )
    print(
        f"same on the 12-candidate file:  {wall_small:5.2f} s wall, {cpu_small:5.2f} s CPU (start-up);    "
        f"peak RSS {rss_small / 1e6:6.1f} MB"
    )
    print(
        f"reading and ranking the file: {cpu_large - cpu_small:.2f} s CPU; memory above start-up "
        f"{(rss_large - rss_small) / 1e6:.1f} MB = {ratio:.2f} x the file size (target <= 5)"
    )
    print(f"peak RSS of the whole process / file size: {rss_large / size:.2f}")
    return 0 if min(wall_large, cpu_large) <= 8 and ratio <= 5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
