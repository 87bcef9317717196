import os

import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.io import atomic_write, read_csv, read_text


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
    with pytest.raises(SmmrubricError, match=r"a\.txt: cannot write the file: disk full"):
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


# -- issue 15: one clear error per class of bad file, naming file, row and field -----------------------


def _no_read_permission(path, monkeypatch):
    """Make ``path`` unreadable: chmod 000, or (as root, who reads anyway) a refusing open()."""
    import smmrubric.io as module

    if os.geteuid() != 0:
        path.chmod(0)
        return
    real_open = open

    def refusing(file, *args, **kwargs):
        if os.fspath(file) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(module, "open", refusing, raising=False)


@pytest.mark.parametrize("reader", [lambda p: read_csv(p, ["a"]), read_text])
def test_paths_that_cannot_be_read_are_named(tmp_path, monkeypatch, reader):
    folder = tmp_path / "data.csv"
    folder.mkdir()
    locked = tmp_path / "locked.csv"
    locked.write_text("a\n1\n")
    _no_read_permission(locked, monkeypatch)
    for path, message in (
        (tmp_path / "none.csv", "no such file"),
        (folder, "is a folder, not a file"),
        (locked, "cannot read the file: permission denied"),
        ("/dev/null", "not a regular file"),
        (3, "must be a file path, got 3"),
    ):
        with pytest.raises(SmmrubricError, match=message) as info:
            reader(path)
        assert info.value.file == (str(path) if not isinstance(path, int) else None)


@pytest.mark.parametrize(
    ("content", "row", "field", "message"),
    [
        ('a,b\n1,x\n2,"never closed\n3,y\n', 3, "b", "quote .* opened on this row is never closed"),
        ('a,b\n1,"' + "x" * 140_000 + '"\n', 2, "b", "longer than 131,072 characters"),
        ("a,b\n" + "y" * 140_000 + ",1\n", 2, "a", "longer than 131,072 characters"),
        ('a,b\n1,"x"y\n', 2, "b", "not a readable CSV record"),
        ('"a,b\n1,2\n', 1, "column 1 of the header", "never closed"),
    ],
)
def test_csv_syntax_errors_name_row_and_field(tmp_path, content, row, field, message):
    path = tmp_path / "x.csv"
    path.write_text(content)
    with pytest.raises(SmmrubricError, match=message) as info:
        read_csv(path, ["a"])
    assert (info.value.file, info.value.row, info.value.field) == (str(path), row, field)
    assert len(str(info.value)) < 600


@pytest.mark.parametrize(
    ("content", "row", "field", "message"),
    [
        (
            "a,b\n1,caf\u00e9\n".encode("cp1252"),
            2,
            "b",
            r"not UTF-8 text: byte 0xE9 \('é' in Windows-1252\).*CSV UTF-8",
        ),
        ("a,b\n1,x\n".encode("utf-16"), None, None, "UTF-16"),
        (b"a;b\n1;2\n", None, None, r"separated by semicolons \(;\), not commas"),
        (b"a\tb\n1\t2\n", None, None, "separated by tabs, not commas"),
        (b"a,b\n1,x\x00y\n", 2, "b", "NUL character"),
    ],
)
def test_csv_encoding_and_layout_errors_name_the_real_cause(tmp_path, content, row, field, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(SmmrubricError, match=message) as info:
        read_csv(path, ["a", "b"])
    assert (info.value.file, info.value.row, info.value.field) == (str(path), row, field)


def test_a_utf8_byte_order_mark_is_read_right(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("\ufeffa,b\n1,é\n".encode())  # Excel's "CSV UTF-8"
    assert read_csv(path, ["a", "b"]).loc[2].tolist() == ["1", "é"]
    assert read_text(path) == "a,b\n1,é\n"


def test_atomic_write_errors_name_the_destination_and_leave_nothing(tmp_path, monkeypatch):
    import tempfile

    with pytest.raises(SmmrubricError, match="is a folder"):
        atomic_write(tmp_path, "x")
    with pytest.raises(SmmrubricError, match="field 'path': must be a file path, got 3"):
        atomic_write(3, "x")
    target = tmp_path / "out.csv"
    if os.geteuid() != 0:
        tmp_path.chmod(0o555)
    else:  # root writes anywhere: a read-only folder refuses the temporary file like this

        def refusing(*args, dir=None, prefix="", **kwargs):
            raise PermissionError(13, "Permission denied", os.path.join(dir, prefix + "abc.tmp"))

        monkeypatch.setattr(tempfile, "mkstemp", refusing)
    try:
        with pytest.raises(SmmrubricError) as info:
            atomic_write(target, "x")
    finally:
        tmp_path.chmod(0o755)
    assert str(info.value) == f"{target}: cannot write the file: permission denied"
    assert os.listdir(tmp_path) == []


def test_temporary_files_of_a_killed_writer_are_removed_by_the_next_write(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    target = tmp_path / "ranked.csv"
    script = (
        "import os, time, sys\nimport smmrubric.io as m\n"
        "os.replace = lambda a, b: time.sleep(60)\n"  # stuck just before the rename
        "m.atomic_write(sys.argv[1], 'x' * 1000)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(target)])
    try:
        for _ in range(600):
            left = [p for p in tmp_path.iterdir() if p.name.startswith(".ranked.csv.smmrubric-tmp-")]
            if left:
                break
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)  # kill -9: no clean-up runs
        child.wait()
    assert len(left) == 1 and left[0].exists()
    other = tmp_path / ".ranked.csv.tmp"  # not ours by name: never touched
    other.write_text("keep")
    live = tmp_path / f".ranked.csv.smmrubric-tmp-{os.getpid()}-abc.tmp"  # a writer that still runs
    live.write_text("keep")
    atomic_write(target, "done")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".ranked.csv.tmp", live.name, "ranked.csv"])
