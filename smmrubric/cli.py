"""The ``smmrubric`` command line.

::

    smmrubric rank RUBRIC.yaml RATINGS [--layout auto|long|wide] [--sheet NAME]
                   [--rule compensatory|hurdle|compensatory_ignore_must_haves]
                   [--missing error|renormalize] [--stage STAGE] [--top N] [--out ranked.csv|.xlsx [--force]]
    smmrubric reproduce --out DIR [--ratings RATINGS] [--rubric RUBRIC.yaml] [--seed N] [--force] [NOTEBOOK ...]
    smmrubric report [SOURCE ...] --out DIR [--show-code] [--force]
    smmrubric playground [--ratings RATINGS] [--rubric RUBRIC.yaml] [--port N] [--no-browser]
    smmrubric scorecard RUBRIC.yaml [--out card.html|card.md] [--template ratings.xlsx|ratings.csv]
                        [--layout wide|long] [--candidates ID ...] [--raters ID ...] [--interviewers N] [--force]

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
from typing import TYPE_CHECKING

from .errors import SmmrubricError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SUBCOMMANDS", "build_parser", "main"]

#: The decision rules of :func:`smmrubric.score` (:data:`smmrubric.scoring.RULES`; a test keeps the two equal).
#: Spelled out here so that building the parser (``smmrubric --help``) imports neither numpy nor pandas.
RULES = ("compensatory", "hurdle", "compensatory_ignore_must_haves")


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
    parser = subparsers.add_parser(
        "rank",
        help="score and rank candidates on a rubric",
        description="Score every candidate in RATINGS (CSV, .xlsx or .ods; long or wide) on the rubric and print the "
        "ranked table (rank, candidate, total, skills and traits subscores, must-haves met). What the "
        "reader decides on its own (an encoding, a decimal comma, competencies the rubric lacks) is "
        "printed as a note on stderr.",
    )
    parser.add_argument("rubric", metavar="RUBRIC.yaml", help="the rubric (YAML)")
    parser.add_argument(
        "ratings",
        metavar="RATINGS",
        help="ratings file (CSV, .xlsx or .ods): long (candidate_id, rater_id, competency_id, "
        "score[, stage]) or wide (candidate_id, rater_id[, stage], one column per competency)",
    )
    parser.add_argument(
        "--layout",
        choices=("auto", "long", "wide"),
        default="auto",
        help="layout of the ratings file (default: told from the header)",
    )
    parser.add_argument("--sheet", metavar="NAME", help="sheet of an .xlsx/.ods file (default: the first)")
    parser.add_argument(
        "--rule",
        choices=RULES,
        default="compensatory",
        help="decision rule (default: compensatory, must-haves as knockouts ranked last; "
        "hurdle: only candidates meeting every must-have are ranked)",
    )
    parser.add_argument(
        "--missing",
        choices=("error", "renormalize"),
        default="error",
        help="missing ratings: an error (default) or renormalise the weights over what was rated",
    )
    parser.add_argument("--stage", help="use only the ratings of this stage")
    parser.add_argument(
        "--top", type=_positive_int, metavar="N", help="show only candidates ranked N or better (ties at N included)"
    )
    parser.add_argument(
        "--out",
        metavar="ranked.csv|ranked.xlsx",
        help="also write the full table to this file (format from the suffix; text cells a "
        "spreadsheet would run as a formula are neutralised)",
    )
    parser.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    parser.set_defaults(handler=_run_rank)


def _run_rank(args: argparse.Namespace) -> int:
    from .ratings import read_ratings
    from .rubric import Rubric
    from .scoring import score
    from .sheets import check_output_file, write_table

    if args.out is not None:  # before any work: a bad --out must not cost a scoring run
        check_output_file(args.out, inputs=(args.rubric, args.ratings), overwrite=args.force)
    rubric = Rubric.from_yaml(args.rubric)
    ratings = read_ratings(args.ratings, rubric, layout=args.layout, sheet=args.sheet)
    _print_notes(ratings.notes)
    table = score(rubric, ratings, rule=args.rule, missing=args.missing, stage=args.stage)
    if args.out is not None:
        write_table(table, args.out, overwrite=args.force)
    shown = table if args.top is None else table[table["rank"].fillna(args.top + 1) <= args.top]
    print(f"{rubric.name}: {len(table)} candidates, rule {args.rule}")
    print(_format(shown))
    return 0


def _print_notes(notes: Sequence[str]) -> None:
    """What the ratings reader decided without being told, on stderr (stdout keeps the table alone)."""
    for note in notes:
        print(f"smmrubric: note: {note}", file=sys.stderr)


def _format(table: pd.DataFrame) -> str:
    """The ranked table as text: rank first, scores to 3 decimals, unranked shown as '-'."""
    import pandas as pd

    shown = table.reset_index()
    columns = ["rank", "candidate_id", "total", "skills", "traits", "must_haves_met"]
    columns += [c for c in shown.columns if c not in columns]
    shown = shown[columns].astype({"rank": object})
    shown["rank"] = shown["rank"].map(lambda r: "-" if pd.isna(r) else str(r))
    for column in ("total", "skills", "traits"):
        shown[column] = shown[column].map(lambda x: "" if pd.isna(x) else f"{x:.3f}")
    return shown.to_string(index=False)


# -- reproduce ------------------------------------------------------------------------------------


def _add_reproduce(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "reproduce",
        help="run every notebook on your own files into a folder of your own",
        description="Execute the notebooks (all of notebooks/NN-*.ipynb, or those named) with their parameters "
        "set to your files, writing the executed notebooks to OUT/notebooks/ and their figures "
        "(with MANIFEST.csv) to OUT/figures/. The bundled figures/ is never touched.",
    )
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="notebooks to run (default: all)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    parser.add_argument(
        "--ratings",
        metavar="RATINGS",
        help="ratings file (CSV, .xlsx or .ods; long or wide, as for rank) (default: a simulated pool)",
    )
    parser.add_argument("--rubric", metavar="RUBRIC.yaml", help="the rubric (default: data/rubrics/consensus.yaml)")
    parser.add_argument("--expert-lists", metavar="LISTS.csv", help="expert lists (default: the bundled ones)")
    parser.add_argument(
        "--competencies", metavar="COMPETENCIES.csv", help="competency vocabulary (default: the bundled one)"
    )
    parser.add_argument("--seed", type=int, help="random seed of the simulations (default: each notebook's own)")
    for option, what in _SHARED_KNOBS.values():
        parser.add_argument(option, type=int, metavar="N", help=f"{what} in every notebook (default: its own)")
    parser.add_argument(
        "--force", action="store_true", help="replace the results of an earlier run in OUT (refused by default)"
    )
    parser.set_defaults(handler=_run_reproduce)


#: The parameters every notebook's parameters cell has, set from ``smmrubric reproduce`` (name: option, meaning).
_SHARED_KNOBS = {
    "k": ("--k", "shortlist size"),
    "n_draws": ("--n-draws", "Monte Carlo draws (weights, bootstraps, permutations)"),
    "n_pools": ("--n-pools", "simulated pools of the replicated studies"),
}


def _run_reproduce(args: argparse.Namespace) -> int:
    from .data import load_competencies, load_expert_lists
    from .inputs import load_rubric
    from .io import readable_file
    from .paths import project_root
    from .ratings import read_ratings
    from .reproduce import check_outputs, default_notebooks, reproduce
    from .validation import check_int

    out = Path(args.out)
    root = project_root()
    for sub in ("figures", "notebooks"):  # OUT/figures, OUT/notebooks must not be the checkout's own
        if root is not None and (out / sub).resolve() == (root / sub).resolve():
            raise SmmrubricError(
                f"{out / sub} is the bundled {sub}/ folder, which a run never touches; choose another output folder",
                field="--out",
            )
    parameters: dict[str, object] = {}
    for name, option, value in (
        ("expert_lists_file", "--expert-lists", args.expert_lists),
        ("competencies_file", "--competencies", args.competencies),
        ("rubric_file", "--rubric", args.rubric),
        ("ratings_file", "--ratings", args.ratings),
    ):
        if value is not None:
            readable_file(value, field=option)  # a missing file, a folder: named with its option
            parameters[name] = str(Path(value).resolve())  # the notebooks run in notebooks/: absolute paths
    if args.seed is not None:
        if args.seed < 0:
            raise SmmrubricError(f"must be a non-negative integer, got {args.seed}", field="--seed")
        parameters["seed"] = args.seed
    for name, (option, _) in _SHARED_KNOBS.items():
        value = getattr(args, name)
        if value is not None:
            parameters[name] = check_int(value, option, low=1)
    # check the outputs, then the files, before minutes of notebooks: errors name file, row and field
    check_outputs(
        args.notebooks or default_notebooks(),
        figures_out=out / "figures",
        notebooks_out=out / "notebooks",
        parameters=parameters,
        force=args.force,
        option="--out",
    )
    files = {name: value for name, value in parameters.items() if isinstance(value, str)}
    if {"expert_lists_file", "competencies_file"} & set(files):
        competencies = load_competencies(files.get("competencies_file"))
        load_expert_lists(files.get("expert_lists_file"), competencies=competencies)
    rubric = load_rubric(files.get("rubric_file"))
    if args.ratings is not None:  # any format the reader takes; its notes are printed now, before the notebooks
        _print_notes(read_ratings(files["ratings_file"], rubric).notes)
    manifest = reproduce(
        args.notebooks or None,
        figures_out=out / "figures",
        notebooks_out=out / "notebooks",
        parameters=parameters or None,
        force=args.force,
    )
    print(f"executed notebooks in {out / 'notebooks'}, figures in {manifest.parent}")
    return 0


# -- report ---------------------------------------------------------------------------------------


def _add_report(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="render executed notebooks to HTML pages to read and share",
        description="Render executed notebooks to HTML (one page each, figures embedded, code hidden) with an "
        "index.html linking them. SOURCE is a folder written by 'smmrubric reproduce --out', a "
        "folder of notebooks or notebook files (default: the checkout's executed notebooks/). "
        "Nothing is executed.",
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="reproduce output folder or notebooks")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the pages (created if missing)")
    parser.add_argument("--show-code", action="store_true", help="show the code cells too")
    parser.add_argument("--force", action="store_true", help="replace pages already in DIR")
    parser.set_defaults(handler=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from .report import find_notebooks, render_report

    pages = render_report(find_notebooks(args.sources), args.out, show_code=args.show_code, overwrite=args.force)
    print(f"wrote {len(pages) - 1} page(s) and {pages[-1]}")
    return 0


# -- playground -----------------------------------------------------------------------------------


def _add_playground(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "playground",
        help="the rubric playground in your browser, without JupyterLab",
        description="Serve the rubric playground (move the weights, watch the ranking change, upload ratings and "
        "a rubric, export the ranked table) as a web page on this computer only (127.0.0.1, with an "
        "access token), and open it in the browser. Stop with Ctrl-C.",
    )
    parser.add_argument(
        "--ratings",
        metavar="RATINGS",
        help="ratings to rank, any format 'rank' reads (default: a simulated pool of 200 candidates)",
    )
    parser.add_argument("--rubric", metavar="RUBRIC.yaml", help="the rubric (default: data/rubrics/consensus.yaml)")
    parser.add_argument("--port", type=_positive_int, metavar="N", help="port to listen on (default: a free one)")
    parser.add_argument("--no-browser", action="store_true", help="print the address without opening a browser")
    parser.set_defaults(handler=_run_playground)


def _run_playground(args: argparse.Namespace) -> int:
    from .app import serve

    return serve(args.ratings, args.rubric, port=args.port, open_browser=not args.no_browser)


# -- scorecard ------------------------------------------------------------------------------------


def _add_scorecard(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scorecard",
        help="the interview scorecard of a rubric, and the blank ratings sheet to fill",
        description="Write the interview scorecard of RUBRIC.yaml (competencies grouped as skills and traits, "
        "their weights and must-have levels, the behavioural anchor of every level, a rating line and "
        "space for evidence per interviewer) as HTML or Markdown (--out), and/or the matching blank "
        "ratings sheet (--template), which ranks with 'smmrubric rank RUBRIC.yaml SHEET' once filled. "
        "Existing files are kept unless --force.",
    )
    parser.add_argument("rubric", metavar="RUBRIC.yaml", help="the rubric (YAML)")
    parser.add_argument("--out", metavar="card.html|card.md", help="the scorecard (format from the suffix)")
    parser.add_argument("--template", metavar="ratings.xlsx|ratings.csv", help="the blank ratings sheet")
    parser.add_argument(
        "--layout",
        choices=("wide", "long"),
        default="wide",
        help="of the sheet: wide (a row per candidate and rater, a column per competency; default) "
        "or long (a row per candidate, rater and competency; needs --candidates and --raters)",
    )
    parser.add_argument("--candidates", nargs="+", default=[], metavar="ID", help="candidate ids to fill in")
    parser.add_argument(
        "--raters",
        nargs="+",
        default=[],
        metavar="ID",
        help="interviewer ids: rows of the sheet, and the rating lines of the scorecard",
    )
    parser.add_argument(
        "--interviewers",
        type=_positive_int,
        default=3,
        metavar="N",
        help="rating lines per competency when no --raters are given (default: 3)",
    )
    parser.add_argument("--force", action="store_true", help="replace output files that exist")
    parser.set_defaults(handler=_run_scorecard)


def _run_scorecard(args: argparse.Namespace) -> int:
    from .rubric import Rubric
    from .scorecard import ratings_template, write_ratings_template, write_scorecard
    from .sheets import check_output_file

    outputs = [
        (option, Path(value))
        for option, value in (("--out", args.out), ("--template", args.template))
        if value is not None
    ]
    if not outputs:
        raise SmmrubricError("give --out card.html (or .md), --template ratings.xlsx (or .csv), or both", field="--out")
    for option, path in outputs:  # before any work: never a half-done run
        check_output_file(path, inputs=(args.rubric,), overwrite=args.force, field=option, table=False)
    if args.out is not None and args.template is not None and Path(args.out).resolve() == Path(args.template).resolve():
        raise SmmrubricError("--out and --template name the same file", file=args.out, field="--template")
    rubric = Rubric.from_yaml(args.rubric)
    if args.template is not None:  # checks the ids before anything is written
        ratings_template(rubric, layout=args.layout, candidates=args.candidates, raters=args.raters)
    if args.out is not None:
        card = write_scorecard(rubric, args.out, interviewers=args.raters or args.interviewers, overwrite=args.force)
        print(f"scorecard: {card}")
    if args.template is not None:
        sheet = write_ratings_template(
            rubric,
            args.template,
            layout=args.layout,
            candidates=args.candidates,
            raters=args.raters,
            overwrite=args.force,
        )
        print(f"ratings sheet ({args.layout}): {sheet}; once filled: smmrubric rank {args.rubric} {sheet}")
    return 0


#: The subcommands: each function adds one to the parser (see the module docstring).
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_rank,
    _add_reproduce,
    _add_report,
    _add_playground,
    _add_scorecard,
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :data:`SUBCOMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="smmrubric", description="Weighted skill/trait rubrics for hiring social media managers."
    )
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

    Returns
    -------
    int
        0 on success, 1 when the input is bad (one line ``smmrubric: error: <file>, row <n>, field
        '<name>': <what>`` on stderr, no traceback); argparse exits with 2 on a usage error.
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
