"""Saving figures so that their bytes are reproducible.

Every figure of the project goes through :func:`save_figure`, which applies fixed metadata (no
software version, no creation date, a fixed SVG hash salt) so that running ``make figures`` twice gives
byte-identical files, and :func:`use_style`, which applies the one style file
(``smmrubric/plots/smmrubric.mplstyle``). Colours for the two categories come from :data:`CATEGORY_COLORS`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ..errors import SmmrubricError
from ..io import atomic_write
from ..paths import figures_dir

__all__ = ["CATEGORY_COLORS", "STYLE_FILE", "save_figure", "use_style"]

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
