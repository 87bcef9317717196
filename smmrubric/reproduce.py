"""Execute the notebooks headless and collect the figures they save, reproducibly.

``make figures`` runs ``python -m smmrubric.reproduce --in-place``: every notebook in ``notebooks/`` is
executed with :mod:`nbclient` (outputs kept, so ``make test`` can compare them with nbval), the figures
they save land in ``figures/``, and ``figures/MANIFEST.csv`` lists each figure with the notebook that made
it and its sha256. Executed notebooks and figures are first written to hidden work folders and moved into
place, with the new manifest, only when every notebook has run, all together or not at all: a failing
notebook, a failing move or a killed run never leaves ``figures/`` half-updated (see :func:`reproduce`).

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
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SmmrubricError
from .io import PRIVATE_MARK, atomic_write, make_private_dir, read_csv, stale_private
from .paths import project_root
from .validation import check_int

if TYPE_CHECKING:  # nbformat and nbclient load when a notebook is read (their jsonschema takes about 2 s)
    from nbformat import NotebookNode

__all__ = ["check_outputs", "execute_notebook", "notebook_parameters", "reproduce", "write_manifest"]

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
_FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
MANIFEST = "MANIFEST.csv"


def _checkout(what: str) -> Path:
    root = project_root()
    if root is None:
        raise SmmrubricError(
            f"{what} needs a source checkout of smmrubric (git clone); none found beside the installed package"
        )
    return root


def default_notebooks() -> list[Path]:
    """Every ``notebooks/NN-*.ipynb`` of the checkout, in number order."""
    return sorted((_checkout("running the notebooks") / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _parameters_cell(nb: NotebookNode, path: Path) -> int:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            return index
    raise SmmrubricError(f"no code cell tagged '{PARAMETERS_TAG}'", file=path)


def notebook_parameters(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the names and default values assigned in a notebook's ``parameters`` cell."""
    import nbformat

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


def _inject(nb: NotebookNode, path: Path, parameters: Mapping[str, Any]) -> None:
    nb.cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    index = _parameters_cell(nb, path)
    known = _assignments(nb.cells[index].source)
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        raise SmmrubricError(
            f"unknown parameter(s) {', '.join(unknown)}; the notebook's parameters are {', '.join(sorted(known))}",
            file=path,
            field="parameters",
        )
    import nbformat

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
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    source = Path(source)
    if not source.is_file():
        raise SmmrubricError("no such notebook", file=source)
    destination = Path(destination) if destination is not None else source
    nb = nbformat.read(source, as_version=4)
    if parameters:
        _inject(nb, source, parameters)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(source.parent.resolve())}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        raise SmmrubricError(f"a cell failed:\n{exc}", file=source) from None
    _coalesce_streams(nb)
    atomic_write(destination, _canonical_widget_ids(nbformat.writes(nb)) + "\n")
    return destination


def _coalesce_streams(nb: NotebookNode) -> None:
    """Merge consecutive stdout (or stderr) outputs of a cell into one.

    How a cell's printed text is split into outputs depends on when the kernel flushed, which varies
    from run to run; merging makes the saved notebook the same every time (nbval merges them too).
    """
    for cell in nb.cells:
        merged: list[Any] = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                output.get("output_type") == "stream"
                and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")
            ):
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
    for model in sorted(
        set(state) - set(order),
        key=lambda m: (state[m].get("model_name", ""), _MODEL_ID.sub("", json.dumps(state[m], sort_keys=True))),
    ):
        visit(model)
    import nbformat

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


def _manifest_text(figures: Mapping[str, tuple[Path, str]]) -> str:
    """MANIFEST.csv for ``{figure name: (file, notebook path)}``: figure, notebook, sha256, bytes; by name."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["figure", "notebook", "sha256", "bytes"])
    for name, (path, notebook) in sorted(figures.items()):
        writer.writerow([name, notebook, _sha256(path), path.stat().st_size])
    return buffer.getvalue()


def _notebook_of(name: str, by_number: Mapping[str, str], path: Path) -> str:
    notebook = by_number.get(name[:2])
    if notebook is None:
        raise SmmrubricError(
            f"figure {name} does not start with the number of a notebook ({', '.join(sorted(by_number))})", file=path
        )
    return f"notebooks/{notebook}"


def write_manifest(figures: Path, notebooks: Sequence[Path]) -> Path:
    """Write ``MANIFEST.csv`` in ``figures``: figure, notebook (by the figure's NN- prefix), sha256, bytes."""
    by_number = {nb.name[:2]: nb.name for nb in notebooks}
    entries = {
        fig.name: (fig, _notebook_of(fig.name, by_number, fig))
        for fig in figures.iterdir()
        if fig.suffix in _FIGURE_SUFFIXES
    }
    return atomic_write(figures / MANIFEST, _manifest_text(entries))


# -- outputs: checked before any notebook runs -------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def check_outputs(
    notebooks: Sequence[str | os.PathLike[str]],
    *,
    figures_out: str | os.PathLike[str] | None,
    notebooks_out: str | os.PathLike[str] | None,
    parameters: Mapping[str, Any] | None = None,
    force: bool = False,
    option: str | None = None,
) -> None:
    """Check where :func:`reproduce` would write, before it runs anything (nothing is created here).

    Refused: an output that is a file, not a folder; a folder that cannot be created or written; with
    ``parameters``, an output inside the checkout's ``figures/``, ``notebooks/`` or ``data/``; two
    notebooks of one name; and, unless ``force``, earlier results in an output folder of your own: a
    ``MANIFEST.csv`` in ``figures_out`` or an executed notebook of the same name in ``notebooks_out``.
    (Writing the checkout's own ``figures/`` and notebooks in place is what ``make figures`` is for.)

    Parameters
    ----------
    option
        The command-line option the folders came from (``--out``), named in errors instead of the
        argument names.
    """
    root = project_root()
    names = [Path(p).name for p in notebooks]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated and notebooks_out is not None:
        raise SmmrubricError(
            f"two notebooks are named {repeated[0]}; their results would overwrite each other",
            field=option or "notebooks",
        )
    for folder, argument in ((figures_out, "figures_out"), (notebooks_out, "notebooks_out")):
        if folder is None:
            continue
        folder, field = Path(folder), option or argument
        if folder.exists() and not folder.is_dir():
            raise SmmrubricError("is a file, not a folder", file=folder, field=field)
        existing = next(p for p in (folder, *folder.absolute().parents) if p.exists())
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            raise SmmrubricError("cannot write there (permission denied or not a folder)", file=existing, field=field)
        if parameters and root is not None:
            for own in ("figures", "notebooks", "data"):
                if _inside(folder, root / own):
                    raise SmmrubricError(
                        f"is inside the checkout's {own}/, which a run with your own parameters "
                        "never writes: choose a folder of your own",
                        file=folder,
                        field=field,
                    )
    if force:
        return
    how = "--force" if option else "force=True"
    bundled = None if root is None else (root / "figures").resolve()
    if figures_out is not None and Path(figures_out).resolve() != bundled and (Path(figures_out) / MANIFEST).exists():
        raise SmmrubricError(
            f"holds the figures of an earlier run (MANIFEST.csv): give {how} to replace them, or choose another folder",
            file=figures_out,
            field=option or "figures_out",
        )
    if notebooks_out is not None:
        earlier = [Path(notebooks_out) / n for n in names if (Path(notebooks_out) / n).exists()]
        if earlier:
            raise SmmrubricError(
                f"holds an executed notebook of an earlier run: give {how} to replace it, or choose another folder",
                file=earlier[0],
                field=option or "notebooks_out",
            )


def _owned_figures(figures: Path, bundled: bool) -> dict[str, str]:
    """``{figure name: notebook}`` of the figures an earlier run wrote in ``figures`` (listed in its manifest).

    Only those are ever replaced or removed; any other file is the user's own. In the checkout's own
    ``figures/`` every figure file counts as ours.
    """
    owned: dict[str, str] = {}
    if bundled:
        owned = {p.name: "" for p in figures.iterdir() if p.suffix in _FIGURE_SUFFIXES}
    manifest = figures / MANIFEST
    if manifest.is_file():
        rows = read_csv(manifest, ["figure", "notebook"])
        for name, notebook in zip(rows["figure"], rows["notebook"]):
            if isinstance(name, str) and "/" not in name and not name.startswith("."):
                owned[name] = notebook if isinstance(notebook, str) else ""
    return owned


# -- moving the results into place: all or nothing -------------------------------------------------------

_SWAP = "swap"
_JOURNAL = "journal.json"


def _complete(journal: Mapping[str, Any]) -> bool:
    """Whether every staged file of a swap was moved into place (so the new set is there, whole)."""
    return not any(os.path.lexists(source) for source, _ in journal["moves"])


def _roll_back(journal: Mapping[str, Any]) -> None:
    """Undo whatever part of a swap happened, judging from the files (so it can run again after a crash).

    A staged file that is gone was moved into place: move it back. A backup that exists holds an old
    file: put it back.
    """
    for source, destination in reversed(journal["moves"]):
        if not os.path.lexists(source) and os.path.lexists(destination):
            os.replace(destination, source)
    for destination, backup in reversed(journal["backups"]):
        if os.path.lexists(backup):
            os.replace(backup, destination)


#: Work folders of the swaps under way in this process (any other of ours with our process id was left
#: behind by a swap whose undo failed).
_ACTIVE: set[Path] = set()


def _left_behind(folder: Path) -> list[Path]:
    """Our swap work folders in ``folder`` that no running swap owns."""
    ours = folder.glob(f"{PRIVATE_MARK}{_SWAP}-{os.getpid()}-*")
    return [*stale_private(folder, f"{PRIVATE_MARK}{_SWAP}-*"), *(p for p in ours if p.resolve() not in _ACTIVE)]


def _recover(folder: Path) -> None:
    """Finish what a killed run left in ``folder``: roll back its half-done swap, then remove its work folders.

    Only our own folders (``.smmrubric-swap-<pid>-...``) are touched, of processes that no longer run (or
    of this process, when no swap under way owns them).
    """
    for work in _left_behind(folder):
        journal_file = work / _JOURNAL
        if journal_file.is_file():
            try:
                journal = json.loads(journal_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise SmmrubricError(
                    "cannot read the record of an interrupted run; its earlier results are in "
                    "the 'old' folder beside it: put them back by hand",
                    file=journal_file,
                ) from None
            if not _complete(journal):  # killed before the last move: put the earlier results back
                _roll_back(journal)
            for other in journal["dirs"]:
                shutil.rmtree(other, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


class _Swap:
    """New files moved into place all together or not at all (a transaction made of renames).

    Every destination folder gets a work folder of ours inside it (same disk, so a rename is atomic):
    new files are staged there and old files moved aside there. :meth:`commit` first records the plan
    (``journal.json`` in every work folder), then moves the old files aside and the new ones in. If a
    move fails, the moves done so far are undone and the old files put back; if even that fails (or the
    process is killed), the next run finds the record and finishes the job (:func:`_recover`): with every
    new file in place it only removes the work folders, otherwise it puts the earlier files back. What
    happened is read from the files themselves (a staged file gone = moved in), so a crash during the
    recovery is recovered the same way.
    """

    def __init__(self) -> None:
        self._dirs: dict[Path, Path] = {}
        self._settled = True  # False while a commit has moved files and not finished or undone it

    def folder(self, destination: Path) -> Path:
        """The work folder in the folder ``destination`` (created on first use)."""
        key = destination.resolve()
        if key not in self._dirs:
            self._dirs[key] = make_private_dir(destination, _SWAP, clean=False)  # _recover ran
            _ACTIVE.add(self._dirs[key].resolve())
        return self._dirs[key]

    def _record(self, journal: Mapping[str, Any]) -> None:
        text = json.dumps(journal, indent=1)
        for work in self._dirs.values():
            atomic_write(work / _JOURNAL, text)

    def commit(self, moves: Sequence[tuple[Path, Path]], removals: Sequence[Path]) -> None:
        """Move each staged file onto its destination and remove ``removals``, all or nothing."""
        aside: list[tuple[str, str]] = []
        for replaced in [d for _, d in moves] + list(removals):
            if os.path.lexists(replaced):
                backup = self.folder(replaced.parent) / "old" / replaced.name
                backup.parent.mkdir(exist_ok=True)
                aside.append((str(replaced), str(backup)))
        renames = [(str(s), str(d)) for s, d in moves]
        dirs = [str(d) for d in self._dirs.values()]
        journal = {"dirs": dirs, "backups": aside, "moves": renames}
        self._settled = False
        try:
            self._record(journal)
            for old, moved_to in aside:
                os.replace(old, moved_to)
            for source, destination in renames:
                os.replace(source, destination)
            self._settled = True
        except BaseException as exc:
            try:
                _roll_back(journal)
            except OSError:  # the work folders stay: they hold the earlier results until the next run
                kept = ", ".join(dirs)
                _ACTIVE.difference_update(d.resolve() for d in self._dirs.values())
                raise SmmrubricError(
                    f"moving the new results into place failed ({_reason(exc)}) and could not be "
                    f"undone; the earlier results are kept in {kept} and the next run puts them "
                    "back"
                ) from None
            self._settled = True
            if not isinstance(exc, Exception):
                raise
            raise SmmrubricError(
                f"moving the new results into place failed ({_reason(exc)}); the earlier results are kept, unchanged"
            ) from None

    def discard(self) -> None:
        """Remove the work folders (after a commit, or to abandon the staged files); never mid-commit."""
        if not self._settled:
            return
        for work in self._dirs.values():
            shutil.rmtree(work, ignore_errors=True)
            _ACTIVE.discard(work.resolve())
        self._dirs.clear()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SmmrubricError):
        return exc.message
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _make_folder(folder: Path, field: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SmmrubricError(f"cannot create the folder: {_reason(exc)}", file=folder, field=field) from None


def reproduce(
    notebooks: Sequence[str | os.PathLike[str]] | None = None,
    *,
    figures_out: str | os.PathLike[str] | None = None,
    notebooks_out: str | os.PathLike[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    force: bool = False,
    jobs: int | None = None,
) -> Path:
    """Execute notebooks and collect their figures into ``figures_out`` with a manifest.

    Nothing on disk changes until every notebook has run: the executed notebooks and the figures are
    staged in hidden work folders, then moved into place together with the new ``MANIFEST.csv`` (see
    :class:`_Swap`). An error while moving them puts the earlier results back: the folders hold either
    the earlier complete set or the new one, each with a manifest that matches its files. A run killed
    half-way leaves work folders that the next run into the same folders cleans up (or rolls back).

    Parameters
    ----------
    notebooks
        Notebooks to run; all of ``notebooks/NN-*.ipynb`` by default.
    figures_out
        Folder for the figures; the checkout's ``figures/`` by default. Only the figures that an earlier
        run wrote there (listed in its ``MANIFEST.csv``) and that belong to the notebooks that ran are
        replaced or removed; any other file is left alone, and a new figure with the name of such a file
        is an error. The manifest covers the figures of every notebook.
    notebooks_out
        Folder for the executed notebooks; None executes them in place.
    parameters
        Parameter overrides for every notebook (see :func:`execute_notebook`). With parameters, an explicit
        ``figures_out`` outside the bundled ``figures/`` is required, so a researcher's run never
        overwrites the published figures.
    force
        Replace the results of an earlier run in ``figures_out`` / ``notebooks_out``; without it they
        are refused before anything runs (see :func:`check_outputs`).
    jobs
        Notebooks executed at the same time (each in its own kernel; they are independent). Default: the
        environment variable ``SMMRUBRIC_JOBS``, else 2. Results do not depend on it: every notebook seeds
        its own random streams.

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
            raise SmmrubricError(
                "with parameters, give an output folder: the bundled figures/ stay as published", field="figures_out"
            )
        figures = _checkout("writing the bundled figures") / "figures"
    else:
        figures = Path(figures_out)
        if parameters and bundled is not None and figures.resolve() == bundled:
            raise SmmrubricError(
                "refusing to write a run with custom parameters into the bundled figures/", field="figures_out"
            )
    check_outputs(paths, figures_out=figures, notebooks_out=notebooks_out, parameters=parameters, force=force)
    out_dir = Path(notebooks_out) if notebooks_out is not None else None
    _make_folder(figures, "figures_out")
    if out_dir is not None:
        _make_folder(out_dir, "notebooks_out")
    targets = {path: (out_dir / path.name if out_dir is not None else path) for path in paths}
    for folder in {figures.resolve(), *(t.parent.resolve() for t in targets.values())}:
        _recover(folder)
    owned = _owned_figures(figures, figures.resolve() == bundled)
    swap = _Swap()
    try:
        rendered = swap.folder(figures) / "figures"
        staged = {path: swap.folder(target.parent) / "notebooks" / target.name for path, target in targets.items()}
        for folder in {rendered, *(s.parent for s in staged.values())}:
            folder.mkdir(exist_ok=True)
        with _environment(SMMRUBRIC_FIGURES=str(rendered.resolve()), SMMRUBRIC_NO_PROGRESS="1"):
            _execute_all(paths, targets, staged, parameters, _jobs(jobs))
        moves, removals, listed = _plan(figures, rendered, owned, paths, root)
        manifest = swap.folder(figures) / MANIFEST
        atomic_write(manifest, _manifest_text(listed))
        swap.commit([*moves, *((staged[p], targets[p]) for p in paths), (manifest, figures / MANIFEST)], removals)
    finally:
        swap.discard()
    print(f"{len(listed)} figures in {figures} (manifest: {figures / MANIFEST})")
    return figures / MANIFEST


def _jobs(jobs: int | None) -> int:
    """The number of notebooks to run at once: ``jobs``, else ``SMMRUBRIC_JOBS``, else 2."""
    if jobs is None:
        text = os.environ.get("SMMRUBRIC_JOBS", "2")
        if not text.isdigit() or int(text) < 1:
            raise SmmrubricError(f"must be a whole number >= 1, got {text!r}", field="SMMRUBRIC_JOBS")
        return int(text)
    return check_int(jobs, "jobs", low=1)


def _execute_all(
    paths: Sequence[Path],
    targets: Mapping[Path, Path],
    staged: Mapping[Path, Path],
    parameters: Mapping[str, Any] | None,
    jobs: int,
) -> None:
    """Execute every notebook into its staged file, ``jobs`` at a time; the first failure (in notebook
    order) is raised once all have stopped, so no kernel is left running."""
    for path in paths:
        print(f"executing {path} -> {targets[path]}", flush=True)
    with ThreadPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        futures = [pool.submit(execute_notebook, path, staged[path], parameters=parameters) for path in paths]
        wait(futures)
    for future in futures:
        future.result()  # re-raises the first notebook's error, in notebook order


def _plan(
    figures: Path, rendered: Path, owned: Mapping[str, str], paths: Sequence[Path], root: Path | None
) -> tuple[list[tuple[Path, Path]], list[Path], dict[str, tuple[Path, str]]]:
    """What the swap does: figures to move in, earlier figures to remove, and what the new manifest lists."""
    numbers = {p.name[:2] for p in paths}
    new = sorted(f for f in rendered.iterdir() if not f.name.startswith("."))
    stray = [f.name for f in new if f.name[:2] not in numbers]
    if stray:
        raise SmmrubricError(f"figures named for a notebook that did not run: {', '.join(sorted(stray))}")
    theirs = [f.name for f in new if os.path.lexists(figures / f.name) and f.name not in owned]
    if theirs:
        raise SmmrubricError(
            "a new figure has the name of a file that no earlier run wrote (it is not in "
            "MANIFEST.csv), so it is yours and is left alone: move it away and run again",
            file=figures / theirs[0],
        )
    all_notebooks = default_notebooks() if root is not None else paths
    by_number = {nb.name[:2]: nb.name for nb in sorted({*all_notebooks, *paths}, key=lambda p: p.name)}
    removals = [
        figures / name
        for name in owned
        if name[:2] in numbers and not (rendered / name).exists() and os.path.lexists(figures / name)
    ]
    listed = {
        name: (
            figures / name,
            notebook if name[:2] not in by_number and notebook else _notebook_of(name, by_number, figures / name),
        )
        for name, notebook in owned.items()
        if name[:2] not in numbers and (figures / name).is_file() and Path(name).suffix in _FIGURE_SUFFIXES
    }
    for f in new:
        if f.suffix in _FIGURE_SUFFIXES:
            listed[f.name] = (f, _notebook_of(f.name, by_number, f))
    return [(f, figures / f.name) for f in new], removals, listed


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
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="write executed notebooks back in place and figures to the bundled figures/",
    )
    parser.add_argument("--figures", help="figures folder (default: the checkout's figures/)")
    parser.add_argument("--notebooks-out", help="folder for executed notebooks (default: in place)")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a notebook parameter (JSON value or plain string); repeatable",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace the results of an earlier run in --figures / --notebooks-out"
    )
    args = parser.parse_args(argv)
    try:
        if not args.in_place and args.notebooks_out is None:
            raise SmmrubricError("say --in-place or give --notebooks-out", field="arguments")
        reproduce(
            args.notebooks or None,
            figures_out=args.figures,
            notebooks_out=args.notebooks_out,
            parameters=dict(map(_parse_parameter, args.param)) or None,
            force=args.force,
        )
    except SmmrubricError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
