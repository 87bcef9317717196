"""Saving figures so that their bytes are reproducible.

Every figure of the project goes through :func:`save_figure`, which applies fixed metadata (no
software version, no creation date, a fixed SVG hash salt) so that running ``make figures`` twice gives
byte-identical files, and :func:`use_style`, which applies the one style file
(``smmrubric/plots/smmrubric.mplstyle``). Notebooks call :func:`show_figure`, which saves the figure and shows
the saved PNG itself. Colours for the two categories come from :data:`CATEGORY_COLORS`.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ..errors import SmmrubricError
from ..io import atomic_write
from ..paths import figures_dir

__all__ = ["CATEGORY_COLORS", "STYLE_FILE", "SavedFigure", "save_figure", "show_figure", "use_style"]

STYLE_FILE = Path(__file__).resolve().parent / "smmrubric.mplstyle"
#: Colours of the two competency categories, used by every plot that splits skills from traits.
CATEGORY_COLORS = {"skill": "#0072B2", "trait": "#E69F00"}

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}
_NAME = re.compile(r"^[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")


def use_style() -> None:
    """Apply the project's matplotlib style (idempotent)."""
    plt.style.use(STYLE_FILE)
    matplotlib.rcParams["svg.hashsalt"] = "smmrubric"


def save_figure(
    fig: Figure,
    name: str,
    *,
    formats: Sequence[str] = ("png",),
    directory: str | Path | None = None,
) -> list[Path]:
    """Save ``fig`` as ``<directory>/<name>.<format>`` with byte-stable metadata.

    Parameters
    ----------
    fig
        The figure.
    name
        ``NN-what-it-shows``: the two-digit number of the notebook that makes it, then lowercase words
        joined by hyphens (``01-expert-similarity-heatmap``). The number ties the figure to its notebook
        in ``figures/MANIFEST.csv``.
    formats
        Any of ``png``, ``svg``, ``pdf``.
    directory
        Defaults to :func:`smmrubric.paths.figures_dir`; created if missing.

    Returns
    -------
    list of Path
        The files written, each written atomically.
    """
    if not isinstance(fig, Figure):
        raise SmmrubricError(f"must be a matplotlib Figure, got {type(fig).__name__}", field="fig")
    if not isinstance(name, str) or not _NAME.match(name):
        raise SmmrubricError(
            f"must look like '01-what-it-shows' (notebook number, lowercase words and hyphens), got {name!r}",
            field="name",
        )
    unknown = [f for f in formats if f not in _METADATA]
    if unknown or not formats:
        raise SmmrubricError(f"formats must be among png, svg, pdf; got {list(formats)!r}", field="formats")
    folder = Path(directory) if directory is not None else figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context({"svg.hashsalt": "smmrubric"}):
        for fmt in formats:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt])
            written.append(atomic_write(folder / f"{name}.{fmt}", buffer.getvalue()))
    return written


@dataclass(frozen=True)
class SavedFigure:
    """A figure saved by :func:`show_figure`, shown in a notebook from the saved PNG's bytes.

    What the reader sees is the file in ``figures/``, drawn once: the figure is not rendered a second time for
    the notebook (matplotlib's inline display draws a figure twice more, to find its tight bounding box and
    then to paint it). The PNG is shown at the size of the style's screen resolution (``figure.dpi``), so its
    extra pixels (``savefig.dpi``) make it sharp on high-density screens.

    Attributes
    ----------
    name
        The figure's name (``NN-what-it-shows``).
    paths
        The files written.
    png
        The PNG file's bytes.
    size
        Width and height to show, in CSS pixels.
    """

    name: str
    paths: tuple[Path, ...]
    png: bytes
    size: tuple[int, int]

    def _repr_png_(self) -> tuple[bytes, dict[str, int]]:
        width, height = self.size
        return self.png, {"width": width, "height": height}

    def __repr__(self) -> str:  # file names only: the notebook's text output is the same on every machine
        return f"<figure {self.name}: {', '.join(path.name for path in self.paths)}>"


def show_figure(
    fig: Figure,
    name: str,
    *,
    formats: Sequence[str] = ("png",),
    directory: str | Path | None = None,
) -> SavedFigure:
    """Save ``fig`` with :func:`save_figure` and return the saved PNG for the notebook to show.

    A notebook cell ends with ``smmrubric.show_figure(fig, "NN-what-it-shows")``: the figure is saved (PNG,
    plus any other ``formats``) and shown from the PNG file's bytes, so it is drawn once, not again for display.

    Parameters
    ----------
    fig, name, formats, directory
        As for :func:`save_figure`; ``png`` is always among the formats written.

    Returns
    -------
    SavedFigure
        Shown by Jupyter as the saved PNG, at the style's screen resolution.
    """
    formats = ("png", *(f for f in formats if f != "png"))
    paths = save_figure(fig, name, formats=formats, directory=directory)
    png = paths[0].read_bytes()
    width, height = struct.unpack(">II", png[16:24])  # the PNG header (IHDR): width, height in pixels
    scale = matplotlib.rcParams["figure.dpi"] / matplotlib.rcParams["savefig.dpi"]
    size = (round(width * scale), round(height * scale))
    return SavedFigure(name=name, paths=tuple(paths), png=png, size=size)
