"""The notebook runner: parameter injection, staged figures, manifest, and refusal to touch figures/."""

from __future__ import annotations

import csv
import hashlib

import nbformat
import pytest

from smmrubric import reproduce as rep
from smmrubric.errors import SmmrubricError


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
        rep.reproduce([nb], figures_out=rep._checkout("test") / "figures", parameters={"seed": 2},
                      notebooks_out=tmp_path)


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
    body = ("import ipywidgets as w\nfrom IPython.display import display\n"
            "box = w.VBox([w.FloatSlider(description=str(i)) for i in range(3)])\ndisplay(box)")
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
    body = "import sys, time\nprint('a', flush=True)\ntime.sleep(0.2)\nprint('b', flush=True)\nprint('e', file=sys.stderr)"
    out = rep.execute_notebook(_notebook(tmp_path / "98-s.ipynb", body), tmp_path / "out.ipynb")
    outputs = nbformat.read(out, as_version=4).cells[-1].outputs
    assert [(o["name"], o["text"]) for o in outputs] == [("stdout", "a\nb\n"), ("stderr", "e\n")]
