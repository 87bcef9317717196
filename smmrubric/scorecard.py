"""The interview scorecard raters fill, and the blank ratings sheet that goes back into ``smmrubric rank``.

A structured interview rates each competency of the rubric against behaviourally anchored levels
(behaviourally anchored rating scales, Smith & Kendall 1963), on evidence written down at the time
(Campion, Palmer & Campion 1997). From a :class:`smmrubric.Rubric`:

* :func:`scorecard_html` / :func:`scorecard_markdown` (written by :func:`write_scorecard`): the
  competencies grouped as skills and traits, each with its weight (its share of the total, in percent),
  its must-have level, its definition when the competency is in the vocabulary, the behavioural anchor
  of every level of the scale (the level's label where the rubric gives no anchor), and for each
  interviewer a rating line and space for the evidence;
* :func:`ratings_template` (written by :func:`write_ratings_template`, ``.xlsx`` or ``.csv``): the blank
  ratings sheet in the layout :func:`smmrubric.ratings.load_ratings` reads, **wide** (one row per
  candidate and interviewer, one column per competency id) or **long** (one row per candidate,
  interviewer and competency, ``score`` to fill). The workbook's first sheet is the ratings, with the
  scale enforced on the score cells and each competency's name and anchors in its column's comment;
  a second sheet lists the rubric. Filled in, it ranks with ``smmrubric rank RUBRIC.yaml ratings.xlsx``.

References
----------
Smith, P. C., & Kendall, L. M. (1963). Retranslation of expectations: An approach to the construction of
unambiguous anchors for rating scales. *Journal of Applied Psychology*, 47(2), 149-155.
Campion, M. A., Palmer, D. K., & Campion, J. E. (1997). A review of structure in the selection interview.
*Personnel Psychology*, 50(3), 655-702.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .data import CATEGORIES
from .errors import SmmrubricError
from .io import atomic_write
from .rubric import Rubric, check_rubric
from .sheets import protect_text_cells, table_bytes, workbook_bytes
from .validation import check_choice, check_int

__all__ = [
    "LAYOUTS",
    "ratings_template",
    "scorecard_html",
    "scorecard_markdown",
    "write_ratings_template",
    "write_scorecard",
]

#: Layouts of the blank ratings sheet.
LAYOUTS = ("wide", "long")
_CARD_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md"}
_SHEET_SUFFIXES = (".xlsx", ".csv")
#: Rows of a wide workbook template that get the scale check when no candidates are given.
BLANK_ROWS = 200
_CSS = """
body { font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.35; margin: 1.5em;
       color: #111; max-width: 60em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.4em; }
h3 { font-size: 1.05em; margin: 0 0 0.3em 0; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0 0.6em 0; }
th, td { border: 1px solid #999; padding: 0.25em 0.45em; text-align: left; vertical-align: top; }
th { background: #eee; } td.level { width: 3.5em; text-align: center; } td.label { width: 7em; }
td.rating { width: 14em; white-space: nowrap; } td.evidence { height: 3.2em; }
.competency { border: 1px solid #ccc; padding: 0.6em 0.8em; margin: 0.8em 0; break-inside: avoid;
              page-break-inside: avoid; }
.meta, .definition { color: #333; margin: 0.1em 0 0.4em 0; } .fields td { height: 1.6em; }
.fields th { width: 8em; }
@media print { body { margin: 0; } .competency { border-color: #999; } }
"""


def _interviewers(interviewers: int | Sequence[str]) -> list[str]:
    """Row labels for the rating lines: the ids given, or "Interviewer 1..n"."""
    if isinstance(interviewers, (str, bytes)) or not isinstance(interviewers, (int, Sequence)):
        raise SmmrubricError(
            f"must be a number of interviewers or a list of their ids, got {interviewers!r}", field="interviewers"
        )
    if isinstance(interviewers, int):
        return [f"Interviewer {i}" for i in range(1, check_int(interviewers, "interviewers", low=1, high=50) + 1)]
    names = [_id(x, "interviewers") for x in interviewers]
    if not names:
        raise SmmrubricError("give at least one interviewer", field="interviewers")
    return names


def _id(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SmmrubricError(f"must be non-empty text, got {value!r}", field=field)
    return value.strip()


def _definitions(rubric: Rubric) -> dict[str, str]:
    """The vocabulary's definition of each competency of the rubric that has one (bundled vocabulary)."""
    from .data import load_competencies

    vocabulary = load_competencies()
    return {cid: str(vocabulary.at[cid, "definition"]) for cid in rubric.competency_ids if cid in vocabulary.index}


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _lines(rubric: Rubric) -> list[dict[str, Any]]:
    """One entry per competency, skills then traits (rubric order within each), with what a card shows."""
    weights, must, anchors = rubric.weights, rubric.must_have, rubric.anchors
    labels = rubric.scale.labels
    definitions = _definitions(rubric)
    out = []
    for category in CATEGORIES:
        for cid in rubric.competency_ids:
            if rubric.categories[cid] != category:
                continue
            level_text = anchors.get(cid, {})
            out.append(
                {
                    "id": cid,
                    "name": rubric.names[cid],
                    "category": category,
                    "weight": 100 * float(weights[cid]),
                    "must_have": None if math.isnan(must[cid]) else float(must[cid]),
                    "definition": definitions.get(cid),
                    "levels": [
                        (level, labels.get(level, ""), level_text.get(level, "")) for level in rubric.scale.levels
                    ],
                }
            )
    return out


def _must_text(line: dict[str, Any], labels: dict[int, str], *, short: bool = False) -> str:
    """ "must have: at least 3 (Adequate)" ("at least 3 (Adequate)" if ``short``; "" or "no must-have level")."""
    if line["must_have"] is None:
        return "" if short else "no must-have level"
    level = line["must_have"]
    label = labels.get(int(level), "") if float(level).is_integer() else ""
    text = f"at least {_plain(level)}" + (f" ({label})" if label else "")
    return text if short else f"must have: {text}"


def scorecard_html(rubric: Rubric, *, interviewers: int | Sequence[str] = 3, title: str | None = None) -> str:
    """The interview scorecard as a self-contained HTML page (printable: one competency never splits).

    Parameters
    ----------
    rubric
        The rubric.
    interviewers
        The number of rating lines per competency (blank, "Interviewer 1..n"), or the interviewers' ids.
    title
        The page title; "Interview scorecard: <rubric name>" by default.

    Returns
    -------
    str
        HTML; every text from the rubric is escaped.
    """
    check_rubric(rubric)
    raters = _interviewers(interviewers)
    title = title if title is not None else f"Interview scorecard: {rubric.name}"
    lines = _lines(rubric)
    esc = html.escape
    labels = rubric.scale.labels
    scale = rubric.scale
    levels = " ".join(f"○ {level}" for level in scale.levels)
    parts = [
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{esc(title)}</title>"
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    if rubric.description:
        parts.append(f"<p class='meta'>{esc(rubric.description)}</p>")
    parts.append(
        "<table class='fields'><tr><th>Candidate</th><td></td><th>Date</th><td></td></tr>"
        "<tr><th>Interviewer(s)</th><td></td><th>Stage</th><td></td></tr></table>"
    )
    scale_text = ", ".join(f"{level} = {labels[level]}" if level in labels else str(level) for level in scale.levels)
    parts.append(
        f"<p class='meta'>Rate each competency on the scale {scale.min}-{scale.max} ({esc(scale_text)}): "
        "pick the level whose behavioural anchor best matches what the candidate said or did, and write "
        "that evidence down. A candidate below a must-have level is screened out whatever the other "
        "ratings.</p>"
    )
    parts.append(_summary_html(lines, labels))
    share = rubric.category_weights
    for category in CATEGORIES:
        members = [line for line in lines if line["category"] == category]
        if not members:
            continue
        parts.append(f"<h2>{category.capitalize()}s ({100 * share[category]:.0f}% of the weight)</h2>")
        for line in members:
            anchors = "".join(
                f"<tr><td class='level'>{level}</td><td class='label'>{esc(label)}</td>"
                f"<td>{esc(text) if text else '<i>no anchor</i>'}</td></tr>"
                for level, label, text in line["levels"]
            )
            ratings = "".join(
                f"<tr><td>{esc(rater)}</td><td class='rating'>{levels}</td><td class='evidence'></td></tr>"
                for rater in raters
            )
            definition = f"<p class='definition'>{esc(line['definition'])}</p>" if line["definition"] else ""
            parts.append(
                f"<section class='competency' id='{esc(line['id'])}'><h3>{esc(line['name'])}</h3>"
                f"<p class='meta'>{category} · <code>{esc(line['id'])}</code> · weight {line['weight']:.1f}% · "
                f"{esc(_must_text(line, labels))}</p>{definition}"
                f"<table><tr><th>Level</th><th>Label</th><th>Behavioural anchor</th></tr>{anchors}</table>"
                f"<table><tr><th>Interviewer</th><th>Rating</th><th>Evidence: what the candidate said or did</th>"
                f"</tr>{ratings}</table></section>"
            )
    parts.append(
        "<p class='meta'>Enter the ratings in the sheet from <code>smmrubric scorecard RUBRIC.yaml "
        "--template ratings.xlsx</code> and rank the candidates with <code>smmrubric rank RUBRIC.yaml "
        "ratings.xlsx</code>.</p></body></html>\n"
    )
    return "\n".join(parts)


def _summary_html(lines: list[dict[str, Any]], labels: dict[int, str]) -> str:
    rows = "".join(
        f"<tr><td><a href='#{html.escape(line['id'])}'>{html.escape(line['name'])}</a></td>"
        f"<td>{line['category']}</td><td>{line['weight']:.1f}%</td>"
        f"<td>{html.escape(_must_text(line, labels, short=True))}</td></tr>"
        for line in lines
    )
    return f"<table><tr><th>Competency</th><th>Category</th><th>Weight</th><th>Must-have</th></tr>{rows}</table>"


def _md(text: str) -> str:
    """Text for a Markdown table cell or line: pipes and backslashes escaped, on one line."""
    return " ".join(str(text).replace("\\", "\\\\").replace("|", "\\|").split())


def scorecard_markdown(rubric: Rubric, *, interviewers: int | Sequence[str] = 3, title: str | None = None) -> str:
    """The interview scorecard as Markdown (the same content as :func:`scorecard_html`)."""
    check_rubric(rubric)
    raters = _interviewers(interviewers)
    title = title if title is not None else f"Interview scorecard: {rubric.name}"
    lines = _lines(rubric)
    labels = rubric.scale.labels
    scale = rubric.scale
    scale_text = ", ".join(f"{level} = {labels[level]}" if level in labels else str(level) for level in scale.levels)
    levels = " ".join(f"○ {level}" for level in scale.levels)
    out = [f"# {_md(title)}", ""]
    if rubric.description:
        out += [_md(rubric.description), ""]
    out += [
        "| Candidate | | Date | |",
        "|---|---|---|---|",
        "| **Interviewer(s)** | | **Stage** | |",
        "",
        f"Rate each competency on the scale {scale.min}-{scale.max} ({_md(scale_text)}): pick the level whose "
        "behavioural anchor best matches what the candidate said or did, and write that evidence down. A "
        "candidate below a must-have level is screened out whatever the other ratings.",
        "",
        "| Competency | Category | Weight | Must-have |",
        "|---|---|---|---|",
    ]
    out += [
        f"| {_md(line['name'])} | {line['category']} | {line['weight']:.1f}% | "
        f"{_md(_must_text(line, labels, short=True))} |"
        for line in lines
    ]
    share = rubric.category_weights
    for category in CATEGORIES:
        members = [line for line in lines if line["category"] == category]
        if not members:
            continue
        out += ["", f"## {category.capitalize()}s ({100 * share[category]:.0f}% of the weight)"]
        for line in members:
            meta = f"{category} · `{_md(line['id'])}` · weight {line['weight']:.1f}% · {_md(_must_text(line, labels))}"
            out += ["", f"### {_md(line['name'])}", "", meta]
            if line["definition"]:
                out += ["", _md(line["definition"])]
            out += ["", "| Level | Label | Behavioural anchor |", "|---|---|---|"]
            out += [
                f"| {level} | {_md(label)} | {_md(text) if text else '*no anchor*'} |"
                for level, label, text in line["levels"]
            ]
            out += ["", "| Interviewer | Rating | Evidence: what the candidate said or did |", "|---|---|---|"]
            out += [f"| {_md(rater)} | {levels} | |" for rater in raters]
    out += [
        "",
        "Enter the ratings in the sheet from `smmrubric scorecard RUBRIC.yaml --template ratings.xlsx` and "
        "rank the candidates with `smmrubric rank RUBRIC.yaml ratings.xlsx`.",
        "",
    ]
    return "\n".join(out)


def write_scorecard(
    rubric: Rubric, path: str | os.PathLike[str], *, interviewers: int | Sequence[str] = 3, overwrite: bool = False
) -> Path:
    """Write the scorecard to ``path``: HTML for ``.html``/``.htm``, Markdown for ``.md``; never half-written.

    Raises
    ------
    SmmrubricError
        Another suffix, or the file exists and ``overwrite`` is False.
    """
    path = Path(path)
    kind = _CARD_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise SmmrubricError("end the file name with .html or .md", file=path, field="path")
    render = scorecard_html if kind == "html" else scorecard_markdown
    return atomic_write(path, render(rubric, interviewers=interviewers), overwrite=overwrite)


def ratings_template(
    rubric: Rubric, *, layout: str = "wide", candidates: Sequence[str] = (), raters: Sequence[str] = ()
) -> pd.DataFrame:
    """The blank ratings table for ``rubric``, in the layout :func:`smmrubric.ratings.load_ratings` reads.

    Parameters
    ----------
    rubric
        The rubric: its competency ids are the columns (wide) or the ``competency_id`` values (long).
    layout
        ``"wide"``: columns ``candidate_id, rater_id`` and one per competency id (rubric order), one row
        per candidate and rater (none if no candidates are given: the team adds them). ``"long"``: columns
        ``candidate_id, rater_id, competency_id, score``, one row per candidate, rater and competency
        (needs candidates and raters).
    candidates, raters
        Ids to fill in; every candidate is paired with every rater.

    Returns
    -------
    pandas.DataFrame
        The table, scores empty (NaN).
    """
    check_rubric(rubric)
    layout = check_choice(layout, "layout", LAYOUTS)
    candidates = [_id(c, "candidates") for c in candidates]
    raters = [_id(r, "raters") for r in raters]
    for field, ids in (("candidates", candidates), ("raters", raters)):
        if len(set(ids)) != len(ids):
            raise SmmrubricError("an id is given twice", field=field)
    if candidates and not raters:
        raise SmmrubricError("give the raters of the candidates too", field="raters")
    pairs = [(c, r) for c in candidates for r in raters]
    ids = rubric.competency_ids
    if layout == "long":
        if not pairs:
            raise SmmrubricError(
                "a long template needs candidates and raters (one row per candidate, rater and "
                "competency); or use the wide layout",
                field="candidates",
            )
        rows = [(c, r, cid) for c, r in pairs for cid in ids]
        frame = pd.DataFrame(rows, columns=["candidate_id", "rater_id", "competency_id"], dtype=object)
        frame["score"] = float("nan")
        return frame
    frame = pd.DataFrame(pairs, columns=["candidate_id", "rater_id"], dtype=object)
    for cid in ids:
        frame[cid] = float("nan")
    return frame


def write_ratings_template(
    rubric: Rubric,
    path: str | os.PathLike[str],
    *,
    layout: str = "wide",
    candidates: Sequence[str] = (),
    raters: Sequence[str] = (),
    overwrite: bool = False,
) -> Path:
    """Write :func:`ratings_template` to ``.xlsx`` (scale checked in the score cells, anchors in the header
    comments, a "rubric" sheet) or ``.csv`` (UTF-8); text a spreadsheet would run as a formula is neutralised.

    Raises
    ------
    SmmrubricError
        Another suffix, or the file exists and ``overwrite`` is False.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _SHEET_SUFFIXES:
        raise SmmrubricError("end the file name with .xlsx or .csv", file=path, field="path")
    table = ratings_template(rubric, layout=layout, candidates=candidates, raters=raters)
    if suffix == ".csv":
        data: str | bytes = table_bytes(table, "csv")
    else:
        data = _template_workbook(rubric, table, layout)
    return atomic_write(path, data, overwrite=overwrite)


def _template_workbook(rubric: Rubric, table: pd.DataFrame, layout: str) -> bytes:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ratings"
    sheet.append(list(table.columns))
    for values in table.itertuples(index=False, name=None):
        sheet.append([None if isinstance(v, float) and math.isnan(v) else v for v in values])
    scale = rubric.scale
    last = max(len(table) + 1, BLANK_ROWS + 1)
    score_columns = (
        [table.columns.get_loc(cid) + 1 for cid in rubric.competency_ids]
        if layout == "wide"
        else [table.columns.get_loc("score") + 1]
    )
    check = DataValidation(
        type="decimal",
        operator="between",
        formula1=str(scale.min),
        formula2=str(scale.max),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not on the scale",
        error=f"A rating is a number from {scale.min} to {scale.max}.",
    )
    for column in score_columns:
        letter = get_column_letter(column)
        check.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(check)
    lines = {line["id"]: line for line in _lines(rubric)}
    if layout == "wide":
        for cid in rubric.competency_ids:
            line = lines[cid]
            text = "\n".join(
                [
                    f"{line['name']} ({line['category']}, weight {line['weight']:.1f}%)",
                    *[
                        f"{level} {label}: {anchor}" if anchor else f"{level} {label}"
                        for level, label, anchor in line["levels"]
                    ],
                ]
            )
            cell = sheet.cell(row=1, column=table.columns.get_loc(cid) + 1)
            cell.comment = Comment(text, "smmrubric", width=360, height=160)
    sheet.freeze_panes = "C2" if layout == "wide" else "A2"
    for column in range(1, len(table.columns) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = max(12, len(str(table.columns[column - 1])) + 2)
    about = book.create_sheet("rubric")
    about.append(
        [
            "competency_id",
            "name",
            "category",
            "weight_percent",
            "must_have",
            *[f"level_{level}" for level in scale.levels],
        ]
    )
    for line in lines.values():
        about.append(
            [
                line["id"],
                line["name"],
                line["category"],
                round(line["weight"], 2),
                line["must_have"],
                *[f"{label}: {anchor}" if anchor else label for _, label, anchor in line["levels"]],
            ]
        )
    for worksheet in (sheet, about):
        protect_text_cells(worksheet)
    return workbook_bytes(book)
