"""Execute the notebooks headless and collect the figures they save, reproducibly.

``make figures`` runs ``python -m smmrubric.reproduce --in-place``: every notebook in ``notebooks/`` is
executed with :mod:`nbclient` (outputs kept, so ``make test`` can compare them with nbval), the figures
they save land in ``figures/``, and ``figures/MANIFEST.csv`` lists each figure with the notebook that made
it and its sha256. Figures are first written to a staging folder and moved into place only when every
notebook has run, so a failing notebook never leaves ``figures/`` half-updated.

A researcher's own inputs go through :func:`reproduce` with ``parameters`` (injected after the cell tagged
``parameters``, as papermill does) and an output folder of their own; the bundled ``figures/`` is never
touched then.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from .errors import SmmrubricError
from .io import atomic_write
from .paths import project_root

__all__ = ["execute_notebook", "notebook_parameters", "reproduce", "write_manifest"]

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
_FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def _checkout(what: str) -> Path:
    root = project_root()
    if root is None:
        raise SmmrubricError(f"{what} needs a source checkout of smmrubric (git clone); none found beside "
                             "the installed package")
    return root


def default_notebooks() -> list[Path]:
    """Every ``notebooks/NN-*.ipynb`` of the checkout, in number order."""
    return sorted((_checkout("running the notebooks") / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _parameters_cell(nb: nbformat.NotebookNode, path: Path) -> int:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            return index
    raise SmmrubricError(f"no code cell tagged '{PARAMETERS_TAG}'", file=path)


def notebook_parameters(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the names and default values assigned in a notebook's ``parameters`` cell."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    return _assignments(nb.cells[_parameters_cell(nb, path)].source)


def _assignments(source: str) -> dict[str, Any]:
    """``name = literal`` assignments at the top level of a parameters cell."""
    values: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def _inject(nb: nbformat.NotebookNode, path: Path, parameters: Mapping[str, Any]) -> None:
    nb.cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    index = _parameters_cell(nb, path)
    known = _assignments(nb.cells[index].source)
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        raise SmmrubricError(f"unknown parameter(s) {', '.join(unknown)}; the notebook's parameters are "
                             f"{', '.join(sorted(known))}", file=path, field="parameters")
    lines = ["# Parameters injected by smmrubric.reproduce"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    cell.id = "injected-parameters"
    nb.cells.insert(index + 1, cell)


def execute_notebook(
    source: str | os.PathLike[str],
    destination: str | os.PathLike[str] | None = None,
    *,
    parameters: Mapping[str, Any] | None = None,
    timeout: int = 1800,
) -> Path:
    """Execute one notebook top to bottom and write it, with its outputs, to ``destination``.

    Parameters
    ----------
    source
        The notebook to run; its folder is the working directory of the kernel.
    destination
        Where to write the executed notebook (atomically); defaults to ``source`` (in place).
    parameters
        Values overriding the ``parameters`` cell, injected as a new cell tagged
        ``injected-parameters`` right after it. Names must exist in the parameters cell.
    timeout
        Seconds allowed per cell.

    Raises
    ------
    SmmrubricError
        If the notebook is missing, has no parameters cell when parameters are given, or a cell fails
        (the message names the notebook and quotes the error).
    """
    source = Path(source)
    if not source.is_file():
        raise SmmrubricError("no such notebook", file=source)
    destination = Path(destination) if destination is not None else source
    nb = nbformat.read(source, as_version=4)
    if parameters:
        _inject(nb, source, parameters)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(source.parent.resolve())}})
    try:
        client.execute()
    except CellExecutionError as exc:
        raise SmmrubricError(f"a cell failed:\n{exc}", file=source) from None
    _coalesce_streams(nb)
    atomic_write(destination, _canonical_widget_ids(nbformat.writes(nb)) + "\n")
    return destination


def _coalesce_streams(nb: nbformat.NotebookNode) -> None:
    """Merge consecutive stdout (or stderr) outputs of a cell into one.

    How a cell's printed text is split into outputs depends on when the kernel flushed, which varies
    from run to run; merging makes the saved notebook the same every time (nbval merges them too).
    """
    for cell in nb.cells:
        merged: list[Any] = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (output.get("output_type") == "stream" and previous is not None
                    and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
                previous["text"] += output["text"]
            else:
                merged.append(output)
        if cell.cell_type == "code":
            cell.outputs = merged


_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def _canonical_widget_ids(text: str) -> str:
    """Replace the random ipywidgets model ids of an executed notebook by ids numbered in a fixed order.

    The kernel gives every widget a random UUID, so an executed notebook with widgets would differ on
    every run. Models are numbered depth first from the outputs that display them, following their
    ``IPY_MODEL_`` references, then any others by name and content, and the saved widget state is
    listed in id order; the notebook is otherwise unchanged.
    """
    data = json.loads(text)
    state = data.get("metadata", {}).get("widgets", {}).get(_WIDGET_STATE, {}).get("state", {})
    if not state:
        return text
    order: list[str] = []

    def visit(model: str) -> None:
        if model in state and model not in order:
            order.append(model)
            for ref in re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[model], sort_keys=True)):
                visit(ref)

    for cell in data.get("cells", []):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(_WIDGET_VIEW)
            if view:
                visit(view.get("model_id", ""))
    for model in sorted(set(state) - set(order), key=lambda m: (
            state[m].get("model_name", ""), _MODEL_ID.sub("", json.dumps(state[m], sort_keys=True)))):
        visit(model)
    mapping = {old: f"{i + 1:032x}" for i, old in enumerate(order)}
    renamed = nbformat.reads(_MODEL_ID.sub(lambda m: mapping.get(m.group(0), m.group(0)), text), as_version=4)
    widgets = renamed.metadata.widgets[_WIDGET_STATE]
    widgets["state"] = dict(sorted(widgets["state"].items()))
    return nbformat.writes(renamed)


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(figures: Path, notebooks: Sequence[Path]) -> Path:
    """Write ``MANIFEST.csv`` in ``figures``: figure, notebook (by the figure's NN- prefix), sha256, bytes."""
    by_number = {nb.name[:2]: nb.name for nb in notebooks}
    rows = []
    for fig in sorted(p for p in figures.iterdir() if p.suffix in _FIGURE_SUFFIXES):
        notebook = by_number.get(fig.name[:2])
        if notebook is None:
            raise SmmrubricError(f"figure {fig.name} does not start with the number of a notebook "
                                 f"({', '.join(sorted(by_number))})", file=fig)
        rows.append((fig.name, f"notebooks/{notebook}", _sha256(fig), fig.stat().st_size))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["figure", "notebook", "sha256", "bytes"])
    writer.writerows(rows)
    return atomic_write(figures / "MANIFEST.csv", buffer.getvalue())


def reproduce(
    notebooks: Sequence[str | os.PathLike[str]] | None = None,
    *,
    figures_out: str | os.PathLike[str] | None = None,
    notebooks_out: str | os.PathLike[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> Path:
    """Execute notebooks and collect their figures into ``figures_out`` with a manifest.

    Parameters
    ----------
    notebooks
        Notebooks to run; all of ``notebooks/NN-*.ipynb`` by default.
    figures_out
        Folder for the figures; the checkout's ``figures/`` by default. Only the figures of the notebooks
        that ran are replaced there (matched by their ``NN-`` prefix); the manifest covers all figures.
    notebooks_out
        Folder for the executed notebooks; None executes them in place.
    parameters
        Parameter overrides for every notebook (see :func:`execute_notebook`). With parameters, an explicit
        ``figures_out`` outside the bundled ``figures/`` is required, so a researcher's run never
        overwrites the published figures.

    Returns
    -------
    Path
        The manifest file.
    """
    paths = [Path(p) for p in notebooks] if notebooks else default_notebooks()
    if not paths:
        raise SmmrubricError("no notebooks to run")
    for path in paths:
        if not path.is_file():
            raise SmmrubricError("no such notebook", file=path)
        if not path.name[:2].isdigit() or path.name[2] != "-":
            raise SmmrubricError("notebook names must start with a two-digit number and a hyphen", file=path)
    root = project_root()
    bundled = (root / "figures").resolve() if root is not None else None
    if figures_out is None:
        if parameters:
            raise SmmrubricError("with parameters, give an output folder: the bundled figures/ stay as "
                                 "published", field="figures_out")
        figures = _checkout("writing the bundled figures") / "figures"
    else:
        figures = Path(figures_out)
        if parameters and bundled is not None and figures.resolve() == bundled:
            raise SmmrubricError("refusing to write a run with custom parameters into the bundled figures/",
                                 field="figures_out")
    figures.mkdir(parents=True, exist_ok=True)
    out_dir = Path(notebooks_out) if notebooks_out is not None else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=figures))
    try:
        with _environment(SMMRUBRIC_FIGURES=str(staging.resolve()), SMMRUBRIC_NO_PROGRESS="1"):
            for path in paths:
                target = out_dir / path.name if out_dir is not None else path
                print(f"executing {path} -> {target}", flush=True)
                execute_notebook(path, target, parameters=parameters)
        numbers = {p.name[:2] for p in paths}
        stray = [f.name for f in staging.iterdir() if f.name[:2] not in numbers]
        if stray:
            raise SmmrubricError(f"figures named for a notebook that did not run: {', '.join(sorted(stray))}")
        for old in figures.iterdir():
            if old.suffix in _FIGURE_SUFFIXES and old.name[:2] in numbers:
                old.unlink()
        for new in sorted(staging.iterdir()):
            os.replace(new, figures / new.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    all_notebooks = default_notebooks() if root is not None else paths
    manifest = write_manifest(figures, sorted({*all_notebooks, *paths}, key=lambda p: p.name))
    print(f"{sum(1 for _ in csv.reader(manifest.open())) - 1} figures in {figures} (manifest: {manifest})")
    return manifest


def _parse_parameter(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise SmmrubricError(f"expected NAME=VALUE, got {text!r}", field="--param")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m smmrubric.reproduce [--in-place] [NOTEBOOK ...]``."""
    parser = argparse.ArgumentParser(prog="python -m smmrubric.reproduce", description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: all in notebooks/)")
    parser.add_argument("--in-place", action="store_true",
                        help="write executed notebooks back in place and figures to the bundled figures/")
    parser.add_argument("--figures", help="figures folder (default: the checkout's figures/)")
    parser.add_argument("--notebooks-out", help="folder for executed notebooks (default: in place)")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="override a notebook parameter (JSON value or plain string); repeatable")
    args = parser.parse_args(argv)
    try:
        if not args.in_place and args.notebooks_out is None:
            raise SmmrubricError("say --in-place or give --notebooks-out", field="arguments")
        reproduce(args.notebooks or None, figures_out=args.figures, notebooks_out=args.notebooks_out,
                  parameters=dict(map(_parse_parameter, args.param)) or None)
    except SmmrubricError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
