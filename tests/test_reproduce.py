"""The notebook runner: parameter injection, staged figures, manifest, and refusal to touch figures/."""

from __future__ import annotations

import csv
import hashlib

import nbformat
import pytest

from smmrubric import reproduce as rep
from smmrubric.errors import SmmrubricError

from .fake_kernel import fake_execute


def _notebook(path, body, *, parameters="seed = 1\nlabel = 'default'"):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# test"), cell, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


FIGURE = (
    "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nimport smmrubric\n"
    "fig, ax = plt.subplots()\nax.plot([0, seed])\n_ = smmrubric.save_figure(fig, '98-line')\nprint(label)"
)


def test_notebook_parameters_reads_the_tagged_cell(tmp_path):
    path = _notebook(tmp_path / "98-a.ipynb", "pass")
    assert rep.notebook_parameters(path) == {"seed": 1, "label": "default"}


def test_reproduce_injects_parameters_and_writes_manifest(tmp_path):
    nb = _notebook(tmp_path / "98-a.ipynb", FIGURE)
    figures, out = tmp_path / "figs", tmp_path / "out"
    manifest = rep.reproduce([nb], figures_out=figures, notebooks_out=out, parameters={"seed": 3, "label": "mine"})
    executed = nbformat.read(out / "98-a.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "seed = 3" in injected[0].source
    assert executed.cells[-1].outputs[0]["text"] == "mine\n"
    rows = list(csv.DictReader(manifest.open()))
    assert [r["figure"] for r in rows] == ["98-line.png"]
    assert rows[0]["sha256"] == hashlib.sha256((figures / "98-line.png").read_bytes()).hexdigest()
    assert sorted(p.name for p in figures.iterdir()) == ["98-line.png", "MANIFEST.csv"]
    # the source notebook is untouched
    assert not nbformat.read(nb, as_version=4).cells[-1].get("outputs")


def test_unknown_parameter_is_refused(tmp_path):
    nb = _notebook(tmp_path / "98-a.ipynb", "pass")
    with pytest.raises(SmmrubricError, match="unknown parameter.*nope"):
        rep.reproduce([nb], figures_out=tmp_path / "f", notebooks_out=tmp_path / "o", parameters={"nope": 1})


def test_failing_notebook_leaves_figures_untouched(tmp_path):
    figures = tmp_path / "figs"
    figures.mkdir()
    (figures / "98-line.png").write_bytes(b"old")
    nb = _notebook(tmp_path / "98-a.ipynb", FIGURE + "\nraise RuntimeError('boom')")
    with pytest.raises(SmmrubricError, match="a cell failed"):
        rep.reproduce([nb], figures_out=figures, notebooks_out=tmp_path / "out")
    assert (figures / "98-line.png").read_bytes() == b"old"
    assert sorted(p.name for p in figures.iterdir()) == ["98-line.png"]


def test_parameters_never_write_into_bundled_figures(tmp_path):
    nb = _notebook(tmp_path / "98-a.ipynb", "pass")
    with pytest.raises(SmmrubricError, match="give an output folder"):
        rep.reproduce([nb], parameters={"seed": 2}, notebooks_out=tmp_path)
    with pytest.raises(SmmrubricError, match="bundled figures"):
        rep.reproduce(
            [nb], figures_out=rep._checkout("test") / "figures", parameters={"seed": 2}, notebooks_out=tmp_path
        )


def test_bad_notebook_names_and_missing_files(tmp_path):
    with pytest.raises(SmmrubricError, match="two-digit number"):
        rep.reproduce([_notebook(tmp_path / "x.ipynb", "pass")], figures_out=tmp_path, notebooks_out=tmp_path)
    with pytest.raises(SmmrubricError, match="no such notebook"):
        rep.reproduce([tmp_path / "99-none.ipynb"], figures_out=tmp_path, notebooks_out=tmp_path)


def test_manifest_refuses_an_orphan_figure(tmp_path):
    (tmp_path / "77-orphan.png").write_bytes(b"x")
    with pytest.raises(SmmrubricError, match="77-orphan.png"):
        rep.write_manifest(tmp_path, [tmp_path / "01-a.ipynb"])


def test_cli_needs_a_destination(capsys):
    assert rep.main(["--param", "seed=2"]) == 2
    assert "in-place" in capsys.readouterr().err


def test_executed_widget_notebooks_are_byte_identical_across_runs(tmp_path):
    body = (
        "import ipywidgets as w\nfrom IPython.display import display\n"
        "box = w.VBox([w.FloatSlider(description=str(i)) for i in range(3)])\ndisplay(box)"
    )
    nb = _notebook(tmp_path / "98-w.ipynb", body)
    texts = []
    for run in ("a", "b"):
        out = rep.execute_notebook(nb, tmp_path / f"{run}.ipynb")
        texts.append(out.read_text())
    assert texts[0] == texts[1]
    executed = nbformat.reads(texts[0], as_version=4)
    view = executed.cells[-1].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    state = executed.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    assert view["model_id"] == f"{1:032x}" and view["model_id"] in state
    assert list(state) == sorted(state)


def test_printed_text_is_one_output_per_stream(tmp_path):
    body = (
        "import sys, time\nprint('a', flush=True)\ntime.sleep(0.2)\nprint('b', flush=True)\nprint('e', file=sys.stderr)"
    )
    out = rep.execute_notebook(_notebook(tmp_path / "98-s.ipynb", body), tmp_path / "out.ipynb")
    outputs = nbformat.read(out, as_version=4).cells[-1].outputs
    assert [(o["name"], o["text"]) for o in outputs] == [("stdout", "a\nb\n"), ("stderr", "e\n")]


# -- issue 15: outputs checked first, nothing lost or replaced without force, all-or-nothing moves ----


def _earlier_run(tmp_path):
    """An output folder after an earlier run of 98 and 99, plus a file of the user's named like a figure."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    nb = _notebook(tmp_path / "98-a.ipynb", "pass")
    figures, out = tmp_path / "figs", tmp_path / "out"
    figures.mkdir()
    out.mkdir()
    for name in ("98-line.png", "98-gone.png", "99-kept.png"):
        (figures / name).write_bytes(b"old " + name.encode())
    (figures / "98-mine.png").write_bytes(b"the user's own")
    rows = [
        (n, f"notebooks/{n[:2]}-a.ipynb", hashlib.sha256(b"old " + n.encode()).hexdigest(), 4 + len(n))
        for n in ("98-gone.png", "98-line.png", "99-kept.png")
    ]
    (figures / "MANIFEST.csv").write_text(
        "figure,notebook,sha256,bytes\n" + "".join(",".join(map(str, r)) + "\n" for r in rows)
    )
    (out / "98-a.ipynb").write_text("old notebook")
    return nb, figures, out


def _state(*folders):
    return {f"{folder.name}/{p.name}": p.read_bytes() for folder in folders for p in sorted(folder.iterdir())}


def _assert_consistent(figures):
    """The manifest lists exactly the figures an earlier run wrote that are there, with their sha256."""
    rows = list(csv.DictReader((figures / "MANIFEST.csv").open()))
    for row in rows:
        assert hashlib.sha256((figures / row["figure"]).read_bytes()).hexdigest() == row["sha256"], row
    ours = {p.name for p in figures.iterdir() if p.suffix == ".png"} - {"98-mine.png"}
    assert {r["figure"] for r in rows} == ours


def test_swap_is_all_or_nothing_under_injected_failures(tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(rep, "execute_notebook", fake_execute)
    nb, figures, out = _earlier_run(tmp_path / "ok")
    before = _state(figures, out)
    real_replace = os.replace
    calls = []
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append(b), real_replace(a, b)))
    rep.reproduce([nb], figures_out=figures, notebooks_out=out, force=True)
    after = _state(figures, out)
    assert after["figs/98-line.png"] == b"new figure" and "figs/98-gone.png" not in after
    assert after["figs/98-mine.png"] == b"the user's own" and after["figs/99-kept.png"] == before["figs/99-kept.png"]
    _assert_consistent(figures)
    for n in range(1, len(calls) + 1):  # fail the n-th rename once, then from the n-th on (a disk gone bad)
        for persistent in (False, True):
            nb, figures, out = _earlier_run(tmp_path / f"{n}-{persistent}")
            seen = []

            def flaky(a, b, n=n, persistent=persistent, seen=seen):
                seen.append(b)
                if len(seen) == n or (persistent and len(seen) > n):
                    raise OSError(28, "No space left on device")
                return real_replace(a, b)

            monkeypatch.setattr(os, "replace", flaky)
            with pytest.raises(SmmrubricError, match="No space left on device") as info:
                rep.reproduce([nb], figures_out=figures, notebooks_out=out, force=True)
            monkeypatch.setattr(os, "replace", real_replace)
            if persistent and "could not be undone" in str(info.value):
                rep._recover(figures)  # what the next run does first
                rep._recover(out)
            state = _state(figures, out)
            assert state in (before, after), (n, persistent)
            _assert_consistent(figures)


def test_user_files_are_kept_and_earlier_results_need_force(tmp_path, monkeypatch):
    monkeypatch.setattr(rep, "execute_notebook", fake_execute)
    nb, figures, out = _earlier_run(tmp_path)
    before = _state(figures, out)
    for folder in (figures, out):
        with pytest.raises(SmmrubricError, match="earlier run.*force"):
            rep.reproduce(
                [nb],
                figures_out=figures if folder is figures else tmp_path / "new",
                notebooks_out=out if folder is out else tmp_path / "new2",
            )
    assert _state(figures, out) == before and not (tmp_path / "new").exists()
    # a new figure named like a file of the user's (not in the manifest): refused, nothing moved
    (figures / "98-line.png").rename(figures / "98-other.png")
    (figures / "MANIFEST.csv").unlink()
    (figures / "98-line.png").write_bytes(b"the user's too")
    before = _state(figures, out)
    with pytest.raises(SmmrubricError, match="98-line.png: .*yours"):
        rep.reproduce([nb], figures_out=figures, notebooks_out=out, force=True)
    assert _state(figures, out) == before
    assert not [p for p in (*figures.iterdir(), *out.iterdir()) if p.name.startswith(".")]


def test_outputs_are_checked_before_any_notebook_runs(tmp_path, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("a notebook ran")

    monkeypatch.setattr(rep, "execute_notebook", must_not_run)
    nb = _notebook(tmp_path / "98-a.ipynb", "pass")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(SmmrubricError, match="file.txt, field 'figures_out': is a file, not a folder"):
        rep.reproduce([nb], figures_out=a_file, notebooks_out=tmp_path / "o")
    with pytest.raises(SmmrubricError, match="inside the checkout's notebooks/"):
        rep.reproduce(
            [nb],
            figures_out=tmp_path / "f",
            notebooks_out=rep._checkout("test") / "notebooks" / "x",
            parameters={"seed": 2},
        )
    with pytest.raises(SmmrubricError, match="two notebooks are named 98-a.ipynb"):
        rep.reproduce(
            [nb, _notebook(tmp_path / "98-a.ipynb", "pass")], figures_out=tmp_path / "f", notebooks_out=tmp_path / "o"
        )
    # a folder we cannot write in: named, before anything runs, nothing created
    monkeypatch.setattr(rep.os, "access", lambda path, mode: False)
    with pytest.raises(SmmrubricError, match="cannot write there"):
        rep.reproduce([nb], figures_out=tmp_path / "f", notebooks_out=tmp_path / "o")
    assert not (tmp_path / "f").exists() and not (tmp_path / "o").exists()


@pytest.mark.slow
def test_a_killed_run_leaves_nothing_behind_for_good(tmp_path, monkeypatch):
    """kill -9 at any point: mid-notebook (work folders) or mid-swap; the next run cleans up or rolls back."""
    import os
    import signal
    import subprocess
    import sys
    import textwrap

    nb, figures, out = _earlier_run(tmp_path)
    before = _state(figures, out)
    script = textwrap.dedent(f"""
        import os, sys
        import smmrubric.reproduce as rep
        sys.path.insert(0, {str(__import__("pathlib").Path(__file__).parent.parent)!r})
        from tests.fake_kernel import fake_execute  # (not test_reproduce: nbformat would load for nothing)
        rep.execute_notebook = fake_execute
        real, calls = os.replace, []
        def dying(a, b):
            calls.append(b)
            if len(calls) == int(sys.argv[1]):
                os.kill(os.getpid(), 9)   # kill -9 in the middle of the swap
            return real(a, b)
        os.replace = dying
        rep.reproduce([sys.argv[2]], figures_out=sys.argv[3], notebooks_out=sys.argv[4], force=True)
    """)
    for n in (2, 4, 6, 8):  # after the journals, mid-backups, mid-moves, at the end
        done = subprocess.run(
            [sys.executable, "-c", script, str(n), str(nb), str(figures), str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == -signal.SIGKILL, done.stderr
        assert any(p.name.startswith(".smmrubric-swap-") for p in figures.iterdir())
        rep._recover(figures)
        rep._recover(out)
        state = _state(figures, out)
        assert state == before or (
            state["figs/98-line.png"] == b"new figure"
            and "figs/98-gone.png" not in state
            and state["out/98-a.ipynb"] == b"new notebook"
        ), n
        assert not [p for p in (*figures.iterdir(), *out.iterdir()) if p.name.startswith(".")]
        _assert_consistent(figures)
        nb, figures, out = _earlier_run(tmp_path / str(n))
        before = _state(figures, out)
    # work folders of a run killed mid-notebook: removed by the next run into the same folders
    monkeypatch.setattr(rep, "execute_notebook", fake_execute)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    stale = figures / f".smmrubric-swap-{int(dead.stdout)}-abc123"
    (stale / "figures").mkdir(parents=True)
    live = figures / f".smmrubric-swap-{os.getppid()}-abc123"  # a running process: not ours to touch
    live.mkdir()
    rep.reproduce([nb], figures_out=figures, notebooks_out=out, force=True)
    assert not stale.exists() and live.exists()


def test_in_place_runs_replace_the_notebooks_through_the_same_swap(tmp_path, monkeypatch):
    monkeypatch.setattr(rep, "execute_notebook", fake_execute)
    nb = _notebook(tmp_path / "98-a.ipynb", "pass")
    figures = tmp_path / "figs"
    rep.reproduce([nb], figures_out=figures)  # notebooks_out=None: executed in place
    assert nb.read_text() == "new notebook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["98-a.ipynb", "figs"]
    assert sorted(p.name for p in figures.iterdir()) == ["98-line.png", "MANIFEST.csv"]


def test_notebooks_run_in_parallel_and_the_first_failure_is_raised_after_all_stop(tmp_path, monkeypatch):
    import threading
    from pathlib import Path

    from smmrubric import reproduce as rep
    from smmrubric.errors import SmmrubricError

    running, peak, finished = [0], [0], []
    lock = threading.Lock()
    both_started = threading.Barrier(2, timeout=10)

    def fake_execute(source, destination, *, parameters=None, timeout=1800):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        both_started.wait()  # deadlocks (times out) unless two notebooks run at once
        with lock:
            running[0] -= 1
            finished.append(Path(source).name)
        if Path(source).name.startswith("01"):
            raise SmmrubricError("a cell failed", file=source)
        return Path(destination)

    monkeypatch.setattr(rep, "execute_notebook", fake_execute)
    paths = [tmp_path / "01-a.ipynb", tmp_path / "02-b.ipynb"]
    with pytest.raises(SmmrubricError, match="01-a"):
        rep._execute_all(paths, {p: p for p in paths}, {p: p for p in paths}, None, jobs=2)
    assert peak[0] == 2 and sorted(finished) == ["01-a.ipynb", "02-b.ipynb"]
    monkeypatch.setenv("SMMRUBRIC_JOBS", "x")
    with pytest.raises(SmmrubricError, match="SMMRUBRIC_JOBS"):
        rep._jobs(None)
