"""The rubric playground as a web page of its own, for hiring teams who never open a notebook.

``smmrubric playground [--ratings F] [--rubric R] [--port N]`` (:func:`serve`) writes a one-cell notebook
that shows :func:`panel` into a temporary folder and serves it with Voilà on the loopback interface
(127.0.0.1, a random access token): the page shows the panel alone, without code and without JupyterLab,
and each browser tab gets its own kernel. Stop it with Ctrl-C.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path

import nbformat

from .errors import SmmrubricError

__all__ = ["HOST", "app_notebook", "panel", "serve"]

#: The interface the app listens on: this computer only.
HOST = "127.0.0.1"
_INTRO = """\
## smmrubric · rubric playground

Move a weight and watch the ranking change. Upload your team's ratings (CSV, or a spreadsheet in the layout
`smmrubric scorecard --template` writes) and your rubric (YAML) with the buttons below; export the ranked table
for the hiring meeting. Nothing leaves this computer: the page talks only to the `smmrubric playground` command.
"""


def panel(
    ratings_file: str | None = None,
    rubric_file: str | None = None,
    *,
    directory: str | None = None,
    seed: int | None = None,
):  # noqa: ANN201 - returns a RubricPlayground (ipywidgets is imported lazily)
    """The playground on a rubric file (default: the bundled consensus) and a ratings file (default: simulated).

    Parameters
    ----------
    ratings_file
        Ratings (any format :func:`smmrubric.ratings.load_ratings` reads); None for a simulated pool of
        200 candidates (seed ``seed``).
    rubric_file
        A rubric YAML; None for ``data/rubrics/consensus.yaml``.
    directory
        Where the save button writes (default :func:`smmrubric.widgets.results_dir`).
    seed
        Seed of the simulated pool and of the robustness column (default: the notebooks' seed).

    Returns
    -------
    smmrubric.widgets.RubricPlayground
    """
    from .inputs import DEFAULT_SEED, SIMULATE, candidate_pool, load_rubric
    from .widgets import RubricPlayground

    seed = DEFAULT_SEED if seed is None else seed
    rubric = load_rubric(rubric_file)
    pool = candidate_pool(rubric, ratings_file=ratings_file if ratings_file is not None else SIMULATE, seed=seed)
    return RubricPlayground(rubric, pool, directory=directory, seed=seed)


def app_notebook(
    ratings_file: str | None = None, rubric_file: str | None = None, *, directory: str | None = None
) -> nbformat.NotebookNode:
    """The notebook the app serves: a short introduction and one cell showing :func:`panel` of the files."""
    arguments = ", ".join(
        f"{name}={value!r}"
        for name, value in (("ratings_file", ratings_file), ("rubric_file", rubric_file), ("directory", directory))
        if value is not None
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(_INTRO),
        nbformat.v4.new_code_cell(f"from smmrubric.app import panel\n\npanel({arguments})"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return nb


def _absolute(path: str | None, option: str) -> str | None:
    """An input file as an absolute path (the kernel runs in another folder), checked to exist."""
    if path is None:
        return None
    resolved = Path(path).expanduser().resolve()
    if not resolved.is_file():
        raise SmmrubricError("no such file", file=path, field=option)
    return str(resolved)


def serve(
    ratings_file: str | None = None,
    rubric_file: str | None = None,
    *,
    port: int | None = None,
    open_browser: bool = True,
    directory: str | os.PathLike[str] | None = None,
) -> int:
    """Serve the playground with Voilà on 127.0.0.1 until interrupted; return 0.

    The files are read and checked first (a bad file stops here, naming file, row and field, before
    any server starts). ``port`` None picks a free one. The address, with its access token, is printed
    and (with ``open_browser``) opened in the default browser.
    """
    from .inputs import load_rubric
    from .ratings import load_ratings
    from .widgets import results_dir

    ratings_file = _absolute(ratings_file, "--ratings")
    rubric_file = _absolute(rubric_file, "--rubric")
    rubric = load_rubric(rubric_file)
    if ratings_file is not None:
        load_ratings(ratings_file, rubric)
    if port is not None and not 1 <= port <= 65535:
        raise SmmrubricError(f"must be a port number from 1 to 65535, got {port}", field="--port")
    folder = Path(directory) if directory is not None else results_dir()
    token = secrets.token_urlsafe(24)
    port = port if port is not None else _free_port()
    with tempfile.TemporaryDirectory(prefix="smmrubric-app-") as work:
        notebook = Path(work) / "playground.ipynb"
        nbformat.write(app_notebook(ratings_file, rubric_file, directory=str(folder.resolve())), notebook)
        argv = [
            str(notebook),
            f"--Voila.ip={HOST}",
            f"--Voila.token={token}",
            "--Voila.port_retries=0",
            "--strip_sources=True",
            "--show_tracebacks=False",
            "--theme=light",
            f"--Voila.port={port}",
        ]
        if not open_browser:
            argv.append("--no-browser")
        print(
            f"smmrubric playground: rubric {rubric.name}; "
            f"{'ratings ' + ratings_file if ratings_file else 'a simulated pool of candidates'}; saved rubrics "
            f"go to {folder}.\nOpen http://{HOST}:{port}/?token={token} (this computer only). Press Ctrl-C to "
            "stop.",
            file=sys.stderr,
            flush=True,
        )
        from voila.app import Voila

        Voila.launch_instance(argv=argv)
        Voila.clear_instance()
    return 0


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])
