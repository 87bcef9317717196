"""Spreadsheet files as text tables: formats, encodings, separators, user row numbers; safe, reproducible writing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from smmrubric.errors import InputProblems, SmmrubricError
from smmrubric.sheets import check_output_file, read_table, write_table, xlsx_bytes

ROWS = [["ann", "r1", "copywriting", "4"], ["bob", "r2", "analytics", "3"]]
HEADER = ["candidate_id", "rater_id", "competency_id", "score"]


def cells(table) -> list[list[str]]:
    return table.cells.astype(object).where(table.cells.notna(), None).to_numpy().tolist()


@pytest.mark.parametrize(
    "encoding, separator, newline, note",
    [
        ("utf-8", ",", "\n", None),
        ("utf-8-sig", ",", "\r\n", None),  # Excel "CSV UTF-8"
        ("utf-8", ";", "\r\n", "semicolons"),  # French Excel
        ("utf-8", "\t", "\n", "tabs"),
        ("utf-16", "\t", "\r\n", "UTF-16"),  # Excel "Unicode text"
    ],
)
def test_csv_dialects_read_the_same(tmp_path, encoding, separator, newline, note):
    path = tmp_path / "t.csv"
    path.write_bytes(newline.join(separator.join(r) for r in [HEADER, *ROWS]).encode(encoding) + b"")
    table = read_table(path)
    assert list(table.cells.columns) == HEADER and cells(table) == ROWS
    assert table.cells.index.tolist() == [2, 3] and table.delimiter == separator
    assert (note is None and table.notes == ()) or any(note in n for n in table.notes)


def test_cp1252_and_latin1_are_decoded_with_a_note(tmp_path):
    text = "candidate_id,note\nann,Maël Dubœuf\n"
    (tmp_path / "a.csv").write_bytes(text.encode("cp1252"))
    table = read_table(tmp_path / "a.csv")
    assert table.encoding == "cp1252" and cells(table) == [["ann", "Maël Dubœuf"]]
    assert "Windows-1252" in table.notes[0]
    (tmp_path / "b.csv").write_bytes(b"candidate_id,note\nann,caf\xe9 \x81\n")  # 0x81: not cp1252
    table = read_table(tmp_path / "b.csv")
    assert table.encoding == "latin-1" and "Latin-1" in table.notes[0] and cells(table)[0][1] == "café \x81"


def test_row_numbers_are_the_lines_a_user_sees(tmp_path):
    """Blank lines are skipped without shifting the numbers; a quoted line break moves the next rows down."""
    path = tmp_path / "t.csv"
    path.write_text('\n\na,b\nx,1\n\n"two\nlines",2\ny,3\n , \nz,4\n')
    table = read_table(path)
    assert table.header_row == 3
    assert table.cells.index.tolist() == [4, 6, 8, 10]
    assert cells(table) == [["x", "1"], ["two\nlines", "2"], ["y", "3"], ["z", "4"]]


def test_spaces_are_kept_and_empty_cells_are_missing(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n r1 ,,NA\n")
    assert cells(read_table(path)) == [[" r1 ", None, "NA"]]  # 'NA' is text, not a missing value


def test_unnamed_empty_columns_are_dropped_others_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,,\n1,2,,\n3,4,,\n")  # Excel's trailing separators
    assert list(read_table(path).cells.columns) == ["a", "b"]
    path.write_text("a,b,\n1,2,\n3,4,x\n")
    with pytest.raises(SmmrubricError, match="column 3 of the header has no name, but holds values .first at row 3"):
        read_table(path)
    path.write_text("a,b,a\n1,2,3\n")
    with pytest.raises(SmmrubricError, match="'a' appears twice") as info:
        read_table(path)
    assert info.value.row == 1


def test_records_with_too_many_fields_are_all_reported(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n1,2,3\n4,5\n6,7,8,9\n")
    with pytest.raises(InputProblems) as info:
        read_table(path)
    assert [(p.row, p.message) for p in info.value.problems] == [
        (3, "has 3 fields, the header has 2"),
        (5, "has 4 fields, the header has 2"),
    ]


def test_an_unclosed_quote_names_its_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,2\n"3,4\n5,6\n')
    with pytest.raises(SmmrubricError, match="never closed") as info:
        read_table(path)
    assert info.value.row == 3


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "empty"),
        (b"\n  \n", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old-format Excel"),
        (b"PK\x03\x04garbage", "zip archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not a text file"),
    ],
)
def test_files_that_are_not_tables(tmp_path, content, fragment):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(SmmrubricError, match=fragment):
        read_table(path)


def test_missing_folder_and_unreadable_files(tmp_path, monkeypatch):
    with pytest.raises(SmmrubricError, match="no such file"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(SmmrubricError, match="is a folder"):
        read_table(tmp_path)
    path = tmp_path / "t.csv"
    path.write_text("a\n1\n")

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)  # root reads any file: simulate a file without read permission
    with pytest.raises(SmmrubricError, match="permission denied") as info:
        read_table(path)
    assert info.value.file == str(path)


def _workbook(tmp_path, sheets: dict[str, list[list]], name="t.xlsx") -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(tmp_path / name)
    return tmp_path / name


def test_xlsx_cells_as_text_with_sheet_rows(tmp_path):
    path = _workbook(
        tmp_path,
        {
            "ratings": [
                [None],
                HEADER,
                ["ann", "r1", "copywriting", 4],
                [None, None, None, None],
                [7, "r2", "analytics", 3.5],
            ],
            "other": [["x"]],
        },
    )
    table = read_table(path)
    assert table.format == "xlsx" and table.sheet == "ratings" and table.header_row == 2
    assert table.cells.index.tolist() == [3, 5]
    assert cells(table) == [["ann", "r1", "copywriting", "4"], ["7", "r2", "analytics", "3.5"]]
    assert "first sheet, 'ratings', of 2" in table.notes[0]
    assert cells(read_table(path, sheet="other")) == []
    with pytest.raises(SmmrubricError, match="no sheet 'Ratings'; the sheets are 'ratings', 'other'"):
        read_table(path, sheet="Ratings")


def test_ods_is_read_like_xlsx(tmp_path):
    frame = pd.DataFrame([HEADER, *ROWS])
    frame.to_excel(tmp_path / "t.ods", engine="odf", index=False, header=False, startrow=1)
    table = read_table(tmp_path / "t.ods")
    assert table.format == "ods" and table.header_row == 2 and table.cells.index.tolist() == [3, 4]
    assert cells(table) == ROWS


def test_format_is_told_by_content_not_name(tmp_path):
    path = _workbook(tmp_path, {"s": [HEADER, ROWS[0]]}, name="looks_like.csv")
    assert read_table(path).format == "xlsx"
    with pytest.raises(SmmrubricError, match="no sheets"):
        read_table(tmp_path / "plain.csv" if (tmp_path / "plain.csv").write_text("a\n1\n") else None, sheet="x")


# -- writing ----------------------------------------------------------------------------------------

DANGEROUS = ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "plain", "a=b"]


def test_csv_output_neutralises_formulas(tmp_path):
    frame = pd.DataFrame(
        {"total": [-1.5, 2.0] + [1.0] * 5, "note": DANGEROUS}, index=pd.Index(DANGEROUS, name="candidate_id")
    )
    path = write_table(frame, tmp_path / "o.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = ["'" + v for v in DANGEROUS[:5]] + DANGEROUS[5:]
    assert back["candidate_id"].tolist() == expected and back["note"].tolist() == expected
    assert back["total"].tolist()[:2] == ["-1.5", "2.0"]  # numbers stay numbers


def test_xlsx_output_stores_formulas_as_quoted_text(tmp_path):
    frame = pd.DataFrame({"total": [-1.5] * 7}, index=pd.Index(DANGEROUS, name="candidate_id"))
    path = write_table(frame, tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(path).active
    column = [c for c in ws["A"][1:]]
    assert [c.value for c in column] == DANGEROUS  # the text as given, never a formula
    assert all(c.data_type == "s" for c in column)
    assert [c.quotePrefix for c in column] == [True] * 5 + [False] * 2
    assert ws["B2"].value == pytest.approx(-1.5) and ws["B2"].data_type == "n"


def test_xlsx_bytes_are_reproducible():
    frame = pd.DataFrame({"a": ["x", "y"], "b": [1, 2.5]})
    first = xlsx_bytes(frame)
    assert xlsx_bytes(frame) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in archive.read("docProps/core.xml")


def test_output_checks_before_work(tmp_path, monkeypatch):
    ratings = tmp_path / "r.csv"
    ratings.write_text("a\n1\n")
    assert check_output_file(tmp_path / "new.xlsx", inputs=[ratings]) == tmp_path / "new.xlsx"
    for path, fragment in (
        (tmp_path, "is a folder"),
        (ratings, "one of the input files"),
        (tmp_path / "x.ods", "end the name with .csv or .xlsx"),
        (tmp_path / "no" / "x.csv", "folder does not exist"),
    ):
        with pytest.raises(SmmrubricError, match=fragment):
            check_output_file(path, inputs=[ratings])
    (tmp_path / "old.csv").write_text("keep")
    with pytest.raises(SmmrubricError, match="exists.*--force"):
        check_output_file(tmp_path / "old.csv")
    assert check_output_file(tmp_path / "old.csv", overwrite=True)
    with pytest.raises(SmmrubricError, match="refusing to overwrite"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "old.csv")
    assert (tmp_path / "old.csv").read_text() == "keep"

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.TemporaryFile", read_only)  # root writes anywhere: simulate a read-only folder
    with pytest.raises(SmmrubricError, match="cannot write in this folder .Permission denied") as info:
        check_output_file(tmp_path / "new.csv")
    assert info.value.field == "--out"


def test_table_bytes_neutralises_formulas_in_csv_and_xlsx():
    import csv
    import io

    import openpyxl
    import pandas as pd

    from smmrubric.sheets import FORMULA_PREFIXES, table_bytes

    ids = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"]
    frame = pd.DataFrame(
        {"total": [-1.5, 2.0, None, 4.0, 5.0, 6.0, 7.0, 8.0], "note": ids}, index=pd.Index(ids, name="candidate_id")
    )
    text = table_bytes(frame, "csv").decode("utf-8")
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    assert header == ["candidate_id", "total", "note"]
    defused = ["'" + v if v.startswith(FORMULA_PREFIXES) else v for v in ids]
    assert [r[0] for r in rows] == defused and [r[2] for r in rows] == defused
    assert [r[1] for r in rows[:3]] == ["-1.5", "2.0", ""]  # numbers stay numbers, negative ones too
    sheet = openpyxl.load_workbook(io.BytesIO(table_bytes(frame, "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    # (XML stores a carriage return as a line feed)
    assert [r[0] for r in rows[1:]] == [v.replace("\r", "\n") for v in ids]
    assert rows[1][1] == pytest.approx(-1.5) and rows[3][1] is None
    for value, row in zip(ids, sheet.iter_rows(min_row=2, max_col=1), strict=True):
        assert row[0].data_type == "s" and row[0].quotePrefix == value.startswith(FORMULA_PREFIXES)
    with pytest.raises(SmmrubricError) as info:
        table_bytes(frame, "ods")
    assert info.value.field == "format"
