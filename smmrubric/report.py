"""Executed notebooks as HTML pages to read and share: what ``smmrubric report`` writes.

Each executed notebook becomes one self-contained HTML page (figures embedded) rendered by nbconvert's
``lab`` template, code hidden unless asked for, and ``index.html`` links them. The notebooks come from a
``smmrubric reproduce --out DIR`` folder (its ``notebooks/``) or, by default, the checkout's executed
``notebooks/``. Nothing is executed here: a notebook without outputs is refused, naming it.

Pages are reproducible: the random element ids nbconvert gives widget outputs are replaced by ids
numbered in order, so the same notebook gives the same bytes.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import SmmrubricError
from .io import atomic_write

__all__ = ["INDEX", "find_notebooks", "render_report"]

#: The page linking the others.
INDEX = "index.html"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def find_notebooks(sources: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """The notebooks to render, in order.

    Parameters
    ----------
    sources
        Notebook files and folders: a folder holding ``notebooks/`` (what ``smmrubric reproduce --out``
        writes) gives those notebooks, another folder its own ``*.ipynb``. None given: the checkout's
        ``notebooks/NN-*.ipynb``.
    """
    found: list[Path] = []
    given = [Path(s) for s in sources]
    if not given:
        from .reproduce import default_notebooks

        return default_notebooks()
    for source in given:
        if source.is_dir():
            folder = source / "notebooks" if (source / "notebooks").is_dir() else source
            notebooks = sorted(folder.glob("*.ipynb"))
            if not notebooks:
                raise SmmrubricError("holds no notebooks (*.ipynb)", file=folder)
            found += notebooks
        elif source.suffix == ".ipynb" and source.is_file():
            found.append(source)
        else:
            raise SmmrubricError("no such notebook or folder", file=source)
    return found


def _targets(notebooks: Sequence[Path], out: Path) -> list[Path]:
    names = [nb.stem + ".html" for nb in notebooks]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SmmrubricError(f"two notebooks would both be written to {', '.join(repeated)}", field="--out")
    return [out / name for name in names]


def _check_out(out: Path, targets: Sequence[Path], overwrite: bool) -> None:
    """Refuse, before any rendering, an output that is a file, would replace pages, or cannot be written."""
    if out.exists() and not out.is_dir():
        raise SmmrubricError("is a file; give a folder for the pages", file=out, field="--out")
    existing = [t.name for t in [*targets, out / INDEX] if t.exists()]
    if existing and not overwrite:
        raise SmmrubricError(
            f"would replace {', '.join(existing)}; choose another folder, or --force to replace",
            file=out,
            field="--out",
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise SmmrubricError(f"cannot write in this folder ({exc.strerror or exc})", file=out, field="--out") from None


def _read_executed(path: Path):  # -> nbformat.NotebookNode
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError, nbformat.reader.NotJSONError) as exc:
        raise SmmrubricError(f"not a readable notebook ({exc})", file=path) from None
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code and not any(c.get("outputs") or c.get("execution_count") for c in code):
        raise SmmrubricError(
            "has not been executed (no outputs): run smmrubric reproduce --out DIR first and report DIR", file=path
        )
    return nb


def _title(nb, fallback: str) -> str:  # nb: nbformat.NotebookNode
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    return fallback


def _stable_ids(page: str) -> str:
    """Replace the random uuids nbconvert puts in element ids with ones numbered in order of appearance."""
    numbers: dict[str, str] = {}
    return _UUID.sub(lambda m: numbers.setdefault(m.group(0), f"smmrubric-output-{len(numbers) + 1}"), page)


def render_report(
    notebooks: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    show_code: bool = False,
    overwrite: bool = False,
) -> list[Path]:
    """Render executed notebooks to HTML pages in ``out``, with an ``index.html`` linking them.

    Parameters
    ----------
    notebooks
        Executed notebooks (see :func:`find_notebooks`).
    out
        The folder (created if missing).
    show_code
        Show the code cells (hidden by default: the pages are for reading results).
    overwrite
        Replace pages already in ``out`` (refused by default, before anything is rendered).

    Returns
    -------
    list of pathlib.Path
        The pages written, ``index.html`` last.
    """
    from nbconvert import HTMLExporter

    paths = [Path(nb) for nb in notebooks]
    if not paths:
        raise SmmrubricError("no notebooks to render", field="notebooks")
    out = Path(out)
    targets = _targets(paths, out)
    _check_out(out, targets, overwrite)
    read = [_read_executed(path) for path in paths]  # every notebook checked before the first page
    exporter = HTMLExporter(
        template_name="lab", exclude_input=not show_code, exclude_input_prompt=not show_code, exclude_output_prompt=True
    )
    titles = []
    for path, nb, target in zip(paths, read, targets, strict=True):
        title = _title(nb, path.stem)
        page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        atomic_write(target, _stable_ids(page), overwrite=overwrite)
        titles.append(title)
    links = "\n".join(
        f'<li><a href="{html.escape(t.name)}">{html.escape(title)}</a> <small>({html.escape(p.name)})</small></li>'
        for p, t, title in zip(paths, targets, titles, strict=True)
    )
    index = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"/><title>smmrubric report</title>'
        "</head>\n<body>\n<h1>smmrubric report</h1>\n<ul>\n" + links + "\n</ul>\n</body>\n</html>\n"
    )
    written = [*targets, atomic_write(out / INDEX, index, overwrite=overwrite)]
    return written
