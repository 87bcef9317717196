"""Make ``ratings_example.csv``: a small, valid ratings file for trying smmrubric on "your own" data.

The file is derived data, never edited by hand: 12 synthetic candidates (``C0001``..``C0012``), each
rated by the same panel of 3 raters (``R01``..``R03``) on every competency of the bundled consensus
rubric (``data/rubrics/consensus.yaml``, scale 1-5), drawn by :func:`smmrubric.inputs.candidate_pool`
with ``ratings_file="simulate"`` - the simulation the notebooks use (factor model of true standings,
rater leniency, halo and error with single-rating reliability .44) - with seed 20260404. No real person
is described.

::

    .venv/bin/python data/examples/make_ratings_example.py           # rewrite the file
    .venv/bin/python data/examples/make_ratings_example.py --check   # exit 1 if it is out of date

``tests/test_examples.py`` checks that the committed file equals what this script makes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smmrubric.inputs import candidate_pool, load_rubric
from smmrubric.io import atomic_write

SEED = 20260404
N_CANDIDATES = 12
N_RATERS = 3
OUTPUT = Path(__file__).resolve().parent / "ratings_example.csv"


def example_ratings_csv() -> str:
    """The text of ``ratings_example.csv``: ``candidate_id, rater_id, competency_id, score``."""
    pool = candidate_pool(load_rubric(), seed=SEED, n=N_CANDIDATES, raters=N_RATERS)
    columns = ["candidate_id", "rater_id", "competency_id", "score"]
    return pool.ratings[columns].to_csv(index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is out of date")
    args = parser.parse_args(argv)
    text = example_ratings_csv()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else None
        if current != text:
            print(f"{OUTPUT} is out of date: run {Path(__file__).name} again", file=sys.stderr)
            return 1
        return 0
    atomic_write(OUTPUT, text)
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
