"""The ``smmrubric`` command line.

::

    smmrubric rank RUBRIC.yaml RATINGS.csv [--rule compensatory|hurdle|compensatory_ignore_must_haves]
                   [--missing error|renormalize] [--stage STAGE] [--top N] [--out ranked.csv]

Each subcommand is two functions: ``_add_<name>(subparsers)`` declares its arguments and sets
``handler=_run_<name>``, and ``_run_<name>(args) -> int`` does the work. To add a subcommand, write
the two functions and append ``_add_<name>`` to :data:`SUBCOMMANDS`.

Errors in the user's input (:class:`~smmrubric.errors.SmmrubricError`, unreadable files) are printed
to stderr as one line starting with ``smmrubric: error:``, with exit status 1 and no traceback;
argparse's usage errors exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from .errors import SmmrubricError

__all__ = ["SUBCOMMANDS", "build_parser", "main"]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


# -- rank ------------------------------------------------------------------------------------------

def _add_rank(subparsers: argparse._SubParsersAction) -> None:
    from .scoring import RULES

    parser = subparsers.add_parser(
        "rank", help="score and rank candidates on a rubric",
        description="Score every candidate in RATINGS.csv on the rubric and print the ranked table "
                    "(rank, candidate, total, skills and traits subscores, must-haves met).")
    parser.add_argument("rubric", metavar="RUBRIC.yaml", help="the rubric (YAML)")
    parser.add_argument("ratings", metavar="RATINGS.csv",
                        help="long ratings: candidate_id, rater_id, competency_id, score[, stage]")
    parser.add_argument("--rule", choices=RULES, default="compensatory",
                        help="decision rule (default: compensatory, must-haves as knockouts ranked last; "
                             "hurdle: only candidates meeting every must-have are ranked)")
    parser.add_argument("--missing", choices=("error", "renormalize"), default="error",
                        help="missing ratings: an error (default) or renormalise the weights over what was rated")
    parser.add_argument("--stage", help="use only the ratings of this stage")
    parser.add_argument("--top", type=_positive_int, metavar="N",
                        help="show only candidates ranked N or better (ties at N included)")
    parser.add_argument("--out", metavar="ranked.csv", help="also write the full table to this CSV file")
    parser.set_defaults(handler=_run_rank)


def _run_rank(args: argparse.Namespace) -> int:
    from .io import atomic_write
    from .ratings import load_ratings
    from .rubric import Rubric
    from .scoring import score

    rubric = Rubric.from_yaml(args.rubric)
    ratings = load_ratings(args.ratings, rubric)
    table = score(rubric, ratings, rule=args.rule, missing=args.missing, stage=args.stage)
    if args.out is not None:
        atomic_write(Path(args.out), table.to_csv(lineterminator="\n"))
    shown = table if args.top is None else table[table["rank"].fillna(args.top + 1) <= args.top]
    print(f"{rubric.name}: {len(table)} candidates, rule {args.rule}")
    print(_format(shown))
    return 0


def _format(table: pd.DataFrame) -> str:
    """The ranked table as text: rank first, scores to 3 decimals, unranked shown as '-'."""
    shown = table.reset_index()
    columns = ["rank", "candidate_id", "total", "skills", "traits", "must_haves_met"]
    columns += [c for c in shown.columns if c not in columns]
    shown = shown[columns].astype({"rank": object})
    shown["rank"] = shown["rank"].map(lambda r: "-" if pd.isna(r) else str(r))
    for column in ("total", "skills", "traits"):
        shown[column] = shown[column].map(lambda x: "" if pd.isna(x) else f"{x:.3f}")
    return shown.to_string(index=False)


#: The subcommands: each function adds one to the parser (see the module docstring).
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [_add_rank]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :data:`SUBCOMMANDS`."""
    parser = argparse.ArgumentParser(prog="smmrubric",
                                     description="Weighted skill/trait rubrics for hiring social media managers.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in SUBCOMMANDS:
        add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 bad input, 2 usage error).

    Parameters
    ----------
    argv
        The arguments (without the program name); ``sys.argv[1:]`` by default.
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except SmmrubricError as exc:
        print(f"smmrubric: error: {exc}", file=sys.stderr)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"smmrubric: error: {where}{exc.strerror or exc}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
