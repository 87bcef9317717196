"""The command line: smmrubric rank, its output, and errors on stderr without a traceback."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from smmrubric.cli import SUBCOMMANDS, build_parser, main

RUBRIC = """\
name: Demo
scale: {min: 1, max: 5}
competencies:
  - {id: copywriting, weight: 2, must_have: 3}
  - {id: analytics, weight: 1}
  - {id: curiosity, weight: 1}
"""
RATINGS = """\
candidate_id,rater_id,competency_id,score
ann,r1,copywriting,4
ann,r1,analytics,3
ann,r1,curiosity,5
bob,r1,copywriting,2
bob,r1,analytics,5
bob,r1,curiosity,5
cat,r1,copywriting,5
cat,r1,analytics,1
cat,r1,curiosity,1
dan,r1,copywriting,5
dan,r1,analytics,1
dan,r1,curiosity,1
"""


@pytest.fixture
def files(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC)
    ratings = tmp_path / "ratings.csv"
    ratings.write_text(RATINGS)
    return rubric, ratings


def rows(text: str) -> list[list[str]]:
    return [line.split() for line in text.strip().splitlines()[2:]]


def test_rank_prints_the_ranked_table(files, capsys):
    assert main(["rank", str(files[0]), str(files[1])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Demo: 4 candidates, rule compensatory")
    # totals: ann 4, bob 3.5 (misses the copywriting must-have), cat 3, dan 3
    assert rows(out) == [
        ["1", "ann", "4.000", "3.667", "5.000", "True"],
        ["2", "cat", "3.000", "3.667", "1.000", "True"],
        ["2", "dan", "3.000", "3.667", "1.000", "True"],
        ["4", "bob", "3.500", "3.000", "5.000", "False"],
    ]


def test_rank_rules_top_and_out(files, capsys, tmp_path):
    out_csv = tmp_path / "ranked.csv"
    assert main(["rank", str(files[0]), str(files[1]), "--rule", "hurdle", "--top", "2", "--out", str(out_csv)]) == 0
    shown = rows(capsys.readouterr().out)
    assert [r[:2] for r in shown] == [["1", "ann"], ["2", "cat"], ["2", "dan"]]  # ties at N are shown
    written = pd.read_csv(out_csv, index_col="candidate_id")
    assert list(written.index) == ["ann", "cat", "dan", "bob"]
    assert written["total"].tolist() == pytest.approx([4.0, 3.0, 3.0, 3.5])
    assert pd.isna(written.at["bob", "rank"])
    assert main(["rank", str(files[0]), str(files[1]), "--rule", "compensatory_ignore_must_haves"]) == 0
    assert [r[:2] for r in rows(capsys.readouterr().out)] == [["1", "ann"], ["2", "bob"], ["3", "cat"], ["3", "dan"]]


def test_rank_missing_policy(files, capsys, tmp_path):
    partial = tmp_path / "partial.csv"
    partial.write_text(RATINGS.replace("bob,r1,analytics,5\n", ""))
    assert main(["rank", str(files[0]), str(partial)]) == 1
    err = capsys.readouterr().err
    assert "no rating of candidate 'bob'" in err and "analytics" in err
    assert main(["rank", str(files[0]), str(partial), "--missing", "renormalize"]) == 0
    assert "renormalized" in capsys.readouterr().out


@pytest.mark.parametrize(
    "mutate, fragment",
    [
        (lambda r, x: (r.unlink(), x), "no such file"),
        (lambda r, x: (x.write_text(RATINGS + "eve,r1,copywriting,9\n"), x), "row 14, field 'score'"),
        (lambda r, x: (r.write_text(RUBRIC.replace("weight: 1}", "weight: -1}", 1)), x), "analytics, field 'weight'"),
        (lambda r, x: (r.write_text("name: [unclosed\n"), x), "malformed YAML"),
    ],
)
def test_rank_errors_go_to_stderr_without_traceback(files, capsys, mutate, fragment):
    mutate(*files)
    assert main(["rank", str(files[0]), str(files[1])]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("smmrubric: error:") and fragment in captured.err
    assert "Traceback" not in captured.err


def test_usage_errors_exit_2(files, capsys):
    for argv in (
        ["rank", str(files[0])],
        ["rank", str(files[0]), str(files[1]), "--top", "0"],
        ["rank", str(files[0]), str(files[1]), "--rule", "lottery"],
        [],
    ):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_out_into_a_missing_folder(files, capsys, tmp_path):
    assert main(["rank", str(files[0]), str(files[1]), "--out", str(tmp_path / "no" / "x.csv")]) == 1
    assert "the folder does not exist" in capsys.readouterr().err


def test_a_real_process_prints_no_traceback(files):
    files[1].write_text(RATINGS + "eve,r1,copywriting,x\n")
    done = subprocess.run(
        [sys.executable, "-m", "smmrubric.cli", "rank", str(files[0]), str(files[1])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "not a number: 'x'" in done.stderr


def test_subcommands_are_pluggable():
    assert [f.__name__ for f in SUBCOMMANDS] == [
        "_add_rank",
        "_add_reproduce",
        "_add_report",
        "_add_playground",
        "_add_scorecard",
    ]
    parser = build_parser()
    args = parser.parse_args(["rank", "r.yaml", "x.csv"])
    assert args.command == "rank" and args.rule == "compensatory" and callable(args.handler)


# -- review of issue 3: more bad input through the command line -----------------------------------


@pytest.mark.parametrize(
    "mutate, fragment",
    [
        (
            lambda r, x: r.write_text(RUBRIC.replace("weight: 1}", "weight: 1" + "0" * 400 + "}", 1)),
            "analytics, field 'weight': must be finite",
        ),
        (lambda r, x: r.write_text(RUBRIC + "  - {id: curiosity, weight: 3}\n"), "curiosity, field 'id': duplicate"),
        (lambda r, x: r.write_text(RUBRIC.replace("name: Demo", "name: Demo\nname: Again")), "line 2"),
        (lambda r, x: r.write_text(RUBRIC.replace("must_have: 3", "must_have: 7")), "field 'must_have'"),
        (
            lambda r, x: r.write_text(RUBRIC.replace("{id: analytics, weight: 1}", "{id: tiktok, weight: 1}")),
            "tiktok, field 'category'",
        ),
        (lambda r, x: x.write_text(RATINGS + "ann,r1,copywriting,5\n"), "row 14, field 'rater_id': duplicate rating"),
        (lambda r, x: x.write_text(RATINGS + "eve,r1,copywritng,5\n"), "row 14, field 'competency_id'"),
        (lambda r, x: x.write_text(RATINGS + ",r1,copywriting,5\n"), "row 14, field 'candidate_id': empty"),
        (lambda r, x: x.write_text(RATINGS + "eve,r1,copywriting,nan\n"), "row 14, field 'score': not a number"),
        (lambda r, x: x.write_text(RATINGS.replace("bob,r1,analytics,5\n", "")), "ratings.csv, candidate bob"),
    ],
)
def test_rank_names_file_row_and_field(files, capsys, mutate, fragment):
    mutate(*files)
    assert main(["rank", str(files[0]), str(files[1])]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.startswith("smmrubric: error:") and fragment in captured.err
    assert captured.err.count("\n") == 1  # one line


def test_out_must_be_a_new_file_not_a_folder_or_an_input(files, capsys, tmp_path):
    before = files[1].read_text()
    for out, fragment in (
        (tmp_path, "is a folder"),
        (files[1], "one of the input files"),
        (files[0], "one of the input files"),
    ):
        assert main(["rank", str(files[0]), str(files[1]), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert fragment in err and "field '--out'" in err
    assert files[1].read_text() == before and files[0].read_text() == RUBRIC
    # a failing run leaves no output file and no temporary file behind
    files[1].write_text(RATINGS + "eve,r1,copywriting,9\n")
    assert main(["rank", str(files[0]), str(files[1]), "--out", str(tmp_path / "ranked.csv")]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ratings.csv", "rubric.yaml"]


def test_cli_rules_are_the_scoring_rules():
    # the CLI spells the rules out so that --help imports no pandas; they must stay the same
    from smmrubric import cli, scoring

    assert cli.RULES == scoring.RULES


# -- playground --------------------------------------------------------------------------------------


def test_playground_checks_the_files_before_serving(files, capsys, monkeypatch):
    import voila.app

    monkeypatch.setattr(voila.app.Voila, "launch_instance", lambda **kwargs: pytest.fail("must not serve"))
    files[1].write_text(RATINGS + "eve,r1,copywriting,9\n")
    for argv, fragment in (
        (["--ratings", "nope.csv"], "nope.csv, field '--ratings': no such file"),
        (["--rubric", str(files[0]), "--ratings", str(files[1])], "row 14, field 'score'"),
        (["--port", "70000"], "field '--port': must be a port number"),
    ):
        assert main(["playground", "--no-browser", *argv]) == 1
        err = capsys.readouterr().err
        assert err.startswith("smmrubric: error:") and fragment in err and "Traceback" not in err


def test_playground_serves_on_loopback_with_a_token(files, capsys, monkeypatch, tmp_path):
    import nbformat
    import voila.app

    seen = {}

    def launch(argv):
        seen["argv"] = argv
        seen["notebook"] = nbformat.read(argv[0], as_version=4)

    monkeypatch.setattr(voila.app.Voila, "launch_instance", launch)
    files[1].write_text(RATINGS)
    assert (
        main(["playground", "--rubric", str(files[0]), "--ratings", str(files[1]), "--port", "8765", "--no-browser"])
        == 0
    )
    argv = seen["argv"]
    assert "--Voila.ip=127.0.0.1" in argv and "--Voila.port=8765" in argv and "--no-browser" in argv
    token = next(a for a in argv if a.startswith("--Voila.token=")).split("=", 1)[1]
    assert len(token) >= 32
    assert f"Open http://127.0.0.1:8765/?token={token}" in capsys.readouterr().err
    code = seen["notebook"].cells[-1].source
    assert repr(str(files[1].resolve())) in code and repr(str(files[0].resolve())) in code
    assert "from smmrubric.app import panel" in code


def test_app_panel_is_the_playground_on_the_files(files):
    from smmrubric.app import panel

    files[1].write_text(RATINGS)
    pg = panel(str(files[1]), str(files[0]), directory=str(files[0].parent / "results"))
    assert pg.rubric.name == "Demo" and len(pg.table) == 4
    assert pg.table.index[0] == "ann" and pg.directory == files[0].parent / "results"


# -- issue 15: reproduce --out checks its folder first, keeps the user's files, replaces only with --force --


def test_reproduce_out_refuses_earlier_results_without_force_and_keeps_user_files(tmp_path, monkeypatch, capsys):
    import nbformat

    from smmrubric import reproduce as rep

    ran = []

    def fake_execute(source, destination, *, parameters=None, timeout=1800):
        import os
        from pathlib import Path

        ran.append(source)
        (Path(os.environ["SMMRUBRIC_FIGURES"]) / "98-line.png").write_bytes(b"figure %d" % len(ran))
        Path(destination).write_text("executed")
        return Path(destination)

    monkeypatch.setattr(rep, "execute_notebook", fake_execute)
    nb = tmp_path / "98-a.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), nb)
    out = tmp_path / "results"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "98-notes.png").write_bytes(b"the user's own")  # named like a figure, not ours
    assert main(["reproduce", str(nb), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["reproduce", str(nb), "--out", str(out)]) == 1  # earlier results: refused before running
    err = capsys.readouterr().err
    assert "field '--out'" in err and "earlier run" in err and "--force" in err and len(ran) == 1
    assert main(["reproduce", str(nb), "--out", str(out), "--force"]) == 0
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert figures == ["98-line.png", "98-notes.png", "MANIFEST.csv"] and len(ran) == 2
    assert (out / "figures" / "98-line.png").read_bytes() == b"figure 2"
    assert (out / "figures" / "98-notes.png").read_bytes() == b"the user's own"
    assert "98-notes" not in (out / "figures" / "MANIFEST.csv").read_text()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert main(["reproduce", str(nb), "--out", str(a_file / "sub")]) == 1  # checked before the inputs are read
    assert "cannot write there" in capsys.readouterr().err and len(ran) == 2


# -- issue 12/15: any ratings file in, results out safely --------------------------------------------


def test_rank_out_xlsx_and_csv_neutralise_formulas(files, capsys, tmp_path):
    import openpyxl

    evil = '=HYPERLINK("http://x","ann")'
    files[1].write_text(RATINGS.replace("ann,", f'"{evil.replace(chr(34), chr(34) * 2)}",'))
    assert main(["rank", str(files[0]), str(files[1]), "--out", str(tmp_path / "ranked.csv")]) == 0
    written = pd.read_csv(tmp_path / "ranked.csv", dtype=str)
    assert written["candidate_id"].tolist()[0] == "'" + evil
    assert main(["rank", str(files[0]), str(files[1]), "--out", str(tmp_path / "ranked.xlsx")]) == 0
    ws = openpyxl.load_workbook(tmp_path / "ranked.xlsx").active
    assert [c.value for c in ws[1]][:3] == ["candidate_id", "total", "skills"]
    assert ws["A2"].value == evil and ws["A2"].data_type == "s" and ws["A2"].quotePrefix
    assert ws["B2"].value == pytest.approx(4.0)


def test_rank_out_refuses_to_replace_unless_forced(files, capsys, tmp_path):
    out = tmp_path / "ranked.csv"
    out.write_text("my own notes\n")
    assert main(["rank", str(files[0]), str(files[1]), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "exists" in captured.err and "--force" in captured.err and captured.out == ""  # refused before any work
    assert out.read_text() == "my own notes\n"
    assert main(["rank", str(files[0]), str(files[1]), "--out", str(out), "--force"]) == 0
    assert out.read_text().startswith("candidate_id,total")
    assert main(["rank", str(files[0]), str(files[1]), "--out", str(tmp_path / "ranked.ods")]) == 1
    assert ".csv or .xlsx" in capsys.readouterr().err


def test_rank_reads_any_layout_and_prints_notes_on_stderr(files, capsys, tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(
        "candidate_id;rater_id;copywriting;analytics;curiosity\nann;r1;4;3;5\nbob;r1;2;5;5\n"
        "cat;r1;5;1;1\ndan;r1;5;1;1\n",
        encoding="cp1252",
    )
    assert main(["rank", str(files[0]), str(wide)]) == 0
    captured = capsys.readouterr()
    assert rows(captured.out)[0] == ["1", "ann", "4.000", "3.667", "5.000", "True"]
    assert "smmrubric: note: columns separated by semicolons" in captured.err
    assert "smmrubric: note: wide layout" in captured.err
    assert main(["rank", str(files[0]), str(wide), "--layout", "long"]) == 1
    assert "missing required column(s) competency_id, score" in capsys.readouterr().err
    assert main(["rank", str(files[0]), str(wide), "--sheet", "x"]) == 1
    assert "a CSV file has no sheets" in capsys.readouterr().err


def test_rank_reports_every_problem_at_once(files, capsys):
    files[1].write_text(RATINGS + "eve,r1,copywriting,9\neve,R1,analytics,x\neve,r1,copywritng,3\n")
    assert main(["rank", str(files[0]), str(files[1])]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"smmrubric: error: {files[1]}: 4 problems:"
    assert [line.split(":")[0].strip() for line in err[1:]] == [
        "row 14, field 'score'",
        "row 15, field 'rater_id'",
        "row 15, field 'score'",
        "row 16, field 'competency_id'",
    ]


def test_rank_checks_a_read_only_out_folder_before_work(files, capsys, tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.TemporaryFile", read_only)  # root writes anywhere: simulate a read-only folder
    assert main(["rank", str(files[0]), str(files[1]), "--out", str(tmp_path / "ranked.csv")]) == 1
    captured = capsys.readouterr()
    assert "cannot write in this folder (Permission denied)" in captured.err and captured.out == ""
    assert ".tmp" not in captured.err  # names the folder, not a hidden temporary file
