"""Check that the figures a run wrote are byte-identical to the committed ones.

    python scripts/compare_figures.py DIR [LABEL]

DIR holds the figures a notebook run saved (``make test`` points ``SMMRUBRIC_FIGURES`` at it). Every figure
listed in ``figures/MANIFEST.csv`` must be in DIR with the sha256 the manifest records, and DIR must hold no
figure the manifest lacks. Prints one line per difference and exits 1 if there is any, 0 otherwise.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def differences(folder: Path) -> list[str]:
    """What differs between ``folder`` and the committed manifest, one sentence each."""
    with (ROOT / "figures" / "MANIFEST.csv").open(newline="", encoding="utf-8") as handle:
        expected = {row["figure"]: row["sha256"] for row in csv.DictReader(handle)}
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}
    problems = [f"{name}: not made by this run" for name in sorted(set(expected) - set(found))]
    problems += [
        f"{name}: made by this run but not in figures/MANIFEST.csv" for name in sorted(set(found) - set(expected))
    ]
    problems += [
        f"{name}: differs from the committed figure (sha256 {found[name][:12]} != {expected[name][:12]})"
        for name in sorted(set(found) & set(expected))
        if found[name] != expected[name]
    ]
    return problems


def main(argv: list[str]) -> int:
    if not argv or not Path(argv[0]).is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    label = argv[1] if len(argv) > 1 else argv[0]
    problems = differences(Path(argv[0]))
    for problem in problems:
        print(f"figures ({label}): {problem}", file=sys.stderr)
    if not problems:
        print(f"figures ({label}): all byte-identical to figures/MANIFEST.csv")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
