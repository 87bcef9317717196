"""The example ratings file (data/examples/) and `smmrubric reproduce` on it, end to end."""

from __future__ import annotations

import hashlib
import importlib.util

import nbformat
import pandas as pd
import pytest

from smmrubric import reproduce
from smmrubric.cli import main
from smmrubric.errors import SmmrubricError
from smmrubric.inputs import load_rubric
from smmrubric.paths import data_dir, project_root
from smmrubric.ratings import load_ratings

EXAMPLES = data_dir() / "examples"
EXAMPLE = EXAMPLES / "ratings_example.csv"


def _script():
    spec = importlib.util.spec_from_file_location("make_ratings_example", EXAMPLES / "make_ratings_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_files_are_what_the_script_makes():
    script = _script()
    assert EXAMPLE.read_text(encoding="utf-8") == script.example_ratings_csv()
    made = script.example_files()
    assert sorted(made) == sorted(p.name for p in EXAMPLES.glob("ratings_example*"))
    for name, data in made.items():
        assert (EXAMPLES / name).read_bytes() == data, name
    assert script.main(["--check"]) == 0


def test_every_example_file_ranks_identically(capsys):
    """The issue's "done when": long, BOM, French, cp1252, wide CSV and long and wide xlsx, one ranking."""
    consensus = data_dir() / "rubrics" / "consensus.yaml"
    shown = {}
    for path in sorted(EXAMPLES.glob("ratings_example*")):
        assert main(["rank", str(consensus), str(path)]) == 0, path.name
        shown[path.name] = capsys.readouterr().out
    assert len(shown) == 7 and len(set(shown.values())) == 1
    assert shown["ratings_example.csv"].splitlines()[2].split() == ["1", "C0001", "3.970", "4.026", "3.859", "True"]


@pytest.mark.parametrize("rubric", sorted((data_dir() / "rubrics").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_expert_rubric_ranks_the_example(rubric, capsys):
    assert main(["rank", str(rubric), str(EXAMPLE)]) == 0
    captured = capsys.readouterr()
    assert "12 candidates" in captured.out
    if rubric.stem != "consensus":  # an expert's list names fewer competencies than were rated: a note says so
        assert "smmrubric: note: ignored" in captured.err and "competencies not in the rubric" in captured.err


def test_example_is_valid_on_the_consensus_rubric():
    rubric = load_rubric()
    ratings = load_ratings(EXAMPLE, rubric)
    assert len(ratings) == 12 * 3 * len(rubric) == 1080
    assert ratings["candidate_id"].nunique() == 12
    assert ratings["rater_id"].nunique() == 3
    assert set(ratings["competency_id"]) == set(rubric.competency_ids)
    assert set(ratings["score"]) <= set(rubric.scale.levels)
    # every candidate rated once by every rater on every competency
    assert not ratings.duplicated(["candidate_id", "rater_id", "competency_id"]).any()


def test_reproduce_refuses_a_missing_file(tmp_path, capsys):
    assert main(["reproduce", "--ratings", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "nope.csv" in err and "--ratings" in err and "no such file" in err
    assert not (tmp_path / "out").exists()


def test_reproduce_checks_the_ratings_before_running_notebooks(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].rsplit(",", 1)[0] + ",9"  # row 5 (header = 1): a score off the 1-5 scale
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["reproduce", "--ratings", str(bad), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "bad.csv" in err and "row 5" in err and "score" in err
    assert not (tmp_path / "out").exists()
    assert main(["reproduce", "--seed", "-1", "--out", str(tmp_path / "out")]) == 1
    assert "--seed" in capsys.readouterr().err
    for option in ("--k", "--n-draws", "--n-pools"):  # the shared knobs: positive integers, named in the error
        assert main(["reproduce", option, "0", "--out", str(tmp_path / "out")]) == 1
        assert f"field '{option}': must be >= 1, got 0" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_reproduce_refuses_the_checkout_as_output_and_bad_files_upfront(tmp_path, capsys, monkeypatch):
    root = project_root()
    assert root is not None, "needs a source checkout"
    bundled = _snapshot(root / "figures")
    # --out at the checkout would put OUT/figures and OUT/notebooks on the bundled ones, even without parameters
    for out in (str(root), str(root) + "/", "."):
        monkeypatch.chdir(root if out == "." else tmp_path)
        assert main(["reproduce", "--out", out]) == 1
        err = capsys.readouterr().err
        assert "--out" in err and "bundled figures/" in err and "Traceback" not in err
    assert _snapshot(root / "figures") == bundled
    # a rubric, vocabulary or list file that cannot be read fails before any notebook runs: one line, no traceback
    not_yaml = tmp_path / "rubric.yaml"
    not_yaml.write_text("- just\n- a list\n", encoding="utf-8")
    for option, path in (("--rubric", not_yaml), ("--competencies", EXAMPLE), ("--expert-lists", EXAMPLE)):
        assert main(["reproduce", option, str(path), "--out", str(tmp_path / "out")]) == 1
        err = capsys.readouterr().err
        assert err.startswith("smmrubric: error: ") and str(path.name) in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out").exists()


def test_notebooks_00_and_01_never_read_the_ratings(tmp_path):
    """They describe the study without its candidates (``Study.describe(candidates=False)``) and use no pool: a
    ratings file that cannot be read goes unnoticed there, and is refused where the pool is used."""
    from smmrubric.inputs import study

    broken = tmp_path / "broken.csv"
    broken.write_text("not,a,ratings,file\n", encoding="utf-8")
    s = study(ratings_file=broken)
    assert "candidates" not in s.describe(candidates=False)
    with pytest.raises(SmmrubricError, match="broken.csv"):
        s.describe()
    root = project_root()
    assert root is not None, "needs a source checkout"
    for name in ("00", "01"):
        source = next((root / "notebooks").glob(f"{name}-*.ipynb")).read_text(encoding="utf-8")
        assert "s.pool" not in source and "s.split_pool" not in source and "s.ratings" not in source


def _snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize("example", [EXAMPLE, EXAMPLES / "ratings_example_wide.xlsx"], ids=lambda p: p.name)
def test_reproduce_runs_every_notebook_on_the_example(tmp_path, capsys, example):
    """Every notebook, through the command line, on the example CSV; on the wide xlsx (the format furthest from
    it) the notebooks that read the ratings, 02-05 (00 and 01 take ``ratings_file`` but never read it: the study's
    candidate pool is read on first use, test below). Fewer draws and pools (``--n-draws``, ``--n-pools``): the
    inputs, not the precision, are under test (the notebooks' own knobs run under nbval), to keep make test within
    its time."""
    root = project_root()
    assert root is not None, "needs a source checkout"
    bundled = _snapshot(root / "figures")
    out = tmp_path / "results"
    notebooks = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert [p.name[:2] for p in notebooks] == ["00", "01", "02", "03", "04", "05"]
    named = [] if example.suffix == ".csv" else [str(p) for p in notebooks if p.name[:2] not in ("00", "01")]
    knobs = ["--n-draws", "1000", "--n-pools", "20"]
    assert main(["reproduce", "--ratings", str(example), *knobs, "--out", str(out), *named]) == 0
    notebooks = [p for p in notebooks if not named or str(p) in named]
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == [p.name for p in notebooks]
    for path in (out / "notebooks").iterdir():
        nb = nbformat.read(path, as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1, path.name
        assert f"ratings_file = {str(example.resolve())!r}" in injected[0].source
        assert "n_draws = 1000" in injected[0].source and "n_pools = 20" in injected[0].source
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, path.name
    playground = nbformat.read(out / "notebooks" / "04-rubric-playground.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in playground.cells if c.cell_type == "code" for o in c.outputs)
    assert f"12 candidates (ratings from {example.resolve()})" in printed  # Study.describe()
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert "MANIFEST.csv" in figures and "04-rubric-weights.png" in figures
    assert {
        "05-g-and-d-study.png",
        "05-rank-intervals.png",
        "05-rater-severity.png",
        "05-rating-distribution.png",
        "05-shortlist-recovery.png",
    } <= set(figures)
    assert _snapshot(root / "figures") == bundled  # the bundled figures/ is untouched
    yours = nbformat.read(out / "notebooks" / "05-your-ratings.ipynb", as_version=4)
    text = "\n".join(
        o.get("text", "") + o.get("data", {}).get("text/markdown", "")
        for c in yours.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert f"**Ratings from `data/examples/{example.name}`.**" in text  # shown from the project root
    assert "**ICC(2,1) = .59 [.14, .86]**" in text and "2 raters to rank candidates" in text
    if example.suffix == ".xlsx":
        assert "The reader noted:" in text and "wide" in text


NOTEBOOK_05 = "05-your-ratings.ipynb"


def _run_notebook_05(tmp_path, **parameters):
    """Notebook 05 run as ``smmrubric reproduce`` runs it, with these parameters and fewer draws and pools (the
    sections, not the precision, are under test): the executed notebook's text outputs (markdown findings and
    printed text) and its figures."""
    root = project_root()
    assert root is not None, "needs a source checkout"
    out = tmp_path / "results"
    parameters = {"n_draws": 1000, "n_pools": 20, "pool_size": 50, **parameters}
    reproduce.reproduce(
        [root / "notebooks" / NOTEBOOK_05],
        figures_out=out / "figures",
        notebooks_out=out / "notebooks",
        parameters=parameters,
    )
    nb = nbformat.read(out / "notebooks" / NOTEBOOK_05, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") + o.get("data", {}).get("text/markdown", "") for o in outputs)
    figures = sorted(p.name for p in (out / "figures").iterdir() if p.suffix == ".png")
    return text, figures


ONE_COMPETENCY_RUBRIC = """name: Analytics only
scale:
  min: 1
  max: 5
competencies:
- id: analytics
  name: Analytics
  category: skill
  weight: 1
"""


@pytest.mark.slow
@pytest.mark.parametrize("case", ["two stages, separate interviews", "one rater per candidate", "one competency"])
def test_notebook_05_runs_to_the_end_where_sections_do_not_apply(tmp_path, case):
    from smmrubric import simulate

    rubric = load_rubric()
    true = simulate.candidates(rubric, 15, seed=4)
    designs = {  # raters per candidate, from a pool of (None: the same raters for every candidate)
        "two stages, separate interviews": (2, 30),
        "one rater per candidate": (1, 5),
        "one competency": (3, None),
    }
    raters, pool = designs[case]
    ratings = simulate.ratings(true, rubric, seed=4, raters=raters, rater_pool=pool)
    interviewers = ratings["rater_id"].nunique()
    options = {}
    if case == "one competency":
        ratings = ratings[ratings["competency_id"] == "analytics"]
        (tmp_path / "one.yaml").write_text(ONE_COMPETENCY_RUBRIC, encoding="utf-8")
        options = {"rubric_file": str(tmp_path / "one.yaml")}
    if case.startswith("two stages"):  # a screening by one rater, then interviews by two raters of 30 (nested)
        screening = simulate.ratings(true, rubric, seed=5, raters=1).assign(stage="screening")
        ratings = pd.concat([screening, ratings.assign(stage="interview")])
    ratings.to_csv(tmp_path / "ratings.csv", index=False)
    text, figures = _run_notebook_05(tmp_path, ratings_file=str(tmp_path / "ratings.csv"), **options)
    expected = {
        "two stages, separate interviews": [
            "2 assessment stages (screening, interview)",
            "analyses 'interview'",
            f"15 candidates, {interviewers} raters, 30 competencies: 900 ratings",
            "Nested design",
            "ICC(2,.) and ICC(3,.) are undefined",
            "**ICC(1,1) = ",
        ],
        "one rater per candidate": [
            "No intraclass correlation: each candidate needs at least 2 raters",
            "No G study",
            "No rater severity",
            "cannot change any score",
            "No G study of these ratings",
        ],
        "one competency": ["No G study: needs at least 2 competencies", "**ICC(2,1) = "],
    }[case]
    for sentence in expected:
        assert sentence in text, sentence
    assert len(figures) == 5
