"""Make the example ratings files: one small set of ratings in every layout and format smmrubric reads.

The ratings are derived data, never edited by hand: 12 synthetic candidates (``C0001``..``C0012``), each
rated by the same panel of 3 raters (``R01``..``R03``) on every competency of the bundled consensus
rubric (``data/rubrics/consensus.yaml``, scale 1-5), drawn by :func:`smmrubric.inputs.candidate_pool`
with ``ratings_file="simulate"`` - the simulation the notebooks use (factor model of true standings,
rater leniency, halo and error with single-rating reliability .44) - with seed 20260404. No real person
is described.

Every file holds THE SAME ratings (``smmrubric rank`` ranks them identically; ``tests/test_examples.py``
checks it), written the way a spreadsheet program would:

=================================  =========================================================================
``ratings_example.csv``            long layout, UTF-8, comma (the reference)
``ratings_example_wide.csv``       wide layout (one row per candidate and rater, a column per competency)
``ratings_example_excel_bom.csv``  long, Excel's "CSV UTF-8": a byte-order mark and CRLF line ends
``ratings_example_fr.csv``         long, French Excel: semicolons, decimal commas (``4,0``), CRLF
``ratings_example_cp1252.csv``     long, Windows-1252 (Excel's "CSV" on Windows), with a ``rater_name``
                                   column holding accented names (``Zoé``, ``Maël Dubœuf``)
``ratings_example_long.xlsx``      long layout in a workbook (sheet ``ratings``)
``ratings_example_wide.xlsx``      wide layout in a workbook (sheet ``ratings``)
=================================  =========================================================================

The workbooks are byte-reproducible (fixed timestamps: :func:`smmrubric.sheets.xlsx_bytes`).

::

    .venv/bin/python data/examples/make_ratings_example.py           # rewrite the files
    .venv/bin/python data/examples/make_ratings_example.py --check   # exit 1 if one is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from smmrubric.inputs import candidate_pool, load_rubric
from smmrubric.io import atomic_write
from smmrubric.sheets import xlsx_bytes

SEED = 20260404
N_CANDIDATES = 12
N_RATERS = 3
FOLDER = Path(__file__).resolve().parent
OUTPUT = FOLDER / "ratings_example.csv"
COLUMNS = ["candidate_id", "rater_id", "competency_id", "score"]
RATER_NAMES = {"R01": "Zoé Lefèvre", "R02": "Maël Dubœuf", "R03": "Inès Müller"}


def example_ratings() -> pd.DataFrame:
    """The example ratings, long: ``candidate_id, rater_id, competency_id, score`` (integer scores)."""
    pool = candidate_pool(load_rubric(), seed=SEED, n=N_CANDIDATES, raters=N_RATERS)
    long = pool.ratings[COLUMNS].copy()
    long["score"] = long["score"].astype(int)
    return long.reset_index(drop=True)


def example_ratings_csv() -> str:
    """The text of ``ratings_example.csv``."""
    return example_ratings().to_csv(index=False, lineterminator="\n")


def _wide(long: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate and rater (file order), one column per competency (rubric order)."""
    wide = long.pivot(index=["candidate_id", "rater_id"], columns="competency_id", values="score")
    pairs = long[["candidate_id", "rater_id"]].drop_duplicates()
    wide = wide.loc[list(pairs.itertuples(index=False, name=None)), list(dict.fromkeys(long["competency_id"]))]
    wide.columns.name = None
    return wide.reset_index()


def example_files() -> dict[str, bytes]:
    """Every example file's name and bytes."""
    long = example_ratings()
    wide = _wide(long)
    french = long.assign(score=long["score"].map(lambda s: f"{s},0"))
    named = long.assign(rater_name=long["rater_id"].map(RATER_NAMES))
    return {
        "ratings_example.csv": example_ratings_csv().encode("utf-8"),
        "ratings_example_wide.csv": wide.to_csv(index=False, lineterminator="\n").encode("utf-8"),
        "ratings_example_excel_bom.csv": long.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig"),
        "ratings_example_fr.csv": french.to_csv(index=False, sep=";", lineterminator="\r\n").encode("utf-8"),
        "ratings_example_cp1252.csv": named.to_csv(index=False, lineterminator="\r\n").encode("cp1252"),
        "ratings_example_long.xlsx": xlsx_bytes(long, sheet="ratings"),
        "ratings_example_wide.xlsx": xlsx_bytes(wide, sheet="ratings"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed file is out of date")
    args = parser.parse_args(argv)
    stale = []
    for name, data in example_files().items():
        path = FOLDER / name
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(name)
            continue
        atomic_write(path, data)
        print(f"wrote {path}")
    if stale:
        print(f"out of date: {', '.join(stale)}: run {Path(__file__).name} again", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
