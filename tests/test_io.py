import os

import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.io import atomic_write, read_csv


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a.txt"
    atomic_write(target, "one\n")
    atomic_write(target, b"two\n")
    assert target.read_bytes() == b"two\n"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_atomic_write_refuses_to_overwrite(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("keep")
    with pytest.raises(SmmrubricError, match="refusing to overwrite"):
        atomic_write(target, "new", overwrite=False)
    assert target.read_text() == "keep"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_atomic_write_without_overwrite_creates(tmp_path):
    atomic_write(tmp_path / "new.txt", "x", overwrite=False)
    assert (tmp_path / "new.txt").read_text() == "x"


def test_atomic_write_missing_folder(tmp_path):
    with pytest.raises(SmmrubricError, match="folder does not exist"):
        atomic_write(tmp_path / "no" / "a.txt", "x")


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    target.write_text("old")

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_read_csv_rows_are_numbered_like_a_spreadsheet(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n 1 ,x\n2,\n")
    frame = read_csv(path, ["a", "b"])
    assert list(frame.index) == [2, 3]
    assert frame.loc[2, "a"] == "1"
    assert frame["b"].isna().tolist() == [False, True]


def test_read_csv_missing_column(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    with pytest.raises(SmmrubricError, match=r"x\.csv: missing required column\(s\) b"):
        read_csv(path, ["a", "b"])


@pytest.mark.parametrize("content", [b"", b'a,b\n"1,2\n', b"a,b\n\xff\xfe\n"])
def test_read_csv_unreadable(tmp_path, content):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(SmmrubricError, match="x.csv"):
        read_csv(path, ["a", "b"])


def test_read_csv_missing_file(tmp_path):
    with pytest.raises(SmmrubricError, match="no such file"):
        read_csv(tmp_path / "none.csv", ["a"])


def test_atomic_write_gives_new_files_the_usual_mode_and_keeps_an_existing_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        new = atomic_write(tmp_path / "new.txt", "x")
        assert new.stat().st_mode & 0o777 == 0o644
        script = tmp_path / "run.sh"
        script.write_text("old")
        script.chmod(0o755)
        atomic_write(script, "new")
        assert script.stat().st_mode & 0o777 == 0o755
    finally:
        os.umask(umask)


def test_read_csv_row_numbers_survive_blank_lines_and_multiline_cells(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,x\n\n2,"two\nlines"\n3,y\n')
    frame = read_csv(path, ["a", "b"])
    assert list(frame.index) == [2, 4, 6]
    assert frame.loc[4, "b"] == "two\nlines"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,a\n1,2\n", "'a' appears twice"),
        ("a,\n1,2\n", "column 2 of the header has no name"),
        ("a,b\n1,2\n3\n", "row 3: has 1 fields, the header has 2"),
        ("\n\n", "empty"),
    ],
)
def test_read_csv_refuses_malformed_headers_and_records(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_text(content)
    with pytest.raises(SmmrubricError, match=message):
        read_csv(path, ["a"])


def test_table_bytes_neutralises_formulas_in_csv_and_xlsx():
    import csv
    import io

    import openpyxl
    import pandas as pd

    from smmrubric.io import FORMULA_PREFIXES, table_bytes

    ids = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"]
    frame = pd.DataFrame({"total": [-1.5, 2.0, None, 4.0, 5.0, 6.0, 7.0, 8.0], "note": ids},
                         index=pd.Index(ids, name="candidate_id"))
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
    assert rows[1][1] == -1.5 and rows[3][1] is None
    for value, row in zip(ids, sheet.iter_rows(min_row=2, max_col=1), strict=True):
        assert row[0].data_type == "s" and row[0].quotePrefix == value.startswith(FORMULA_PREFIXES)
    with pytest.raises(SmmrubricError) as info:
        table_bytes(frame, "ods")
    assert info.value.field == "format"
