"""Figures of the rubric playground (notebook 04): a rubric's weights against a reference weighting.

:func:`plot_rubric_weights` draws the figure; :class:`WeightChart` keeps one such figure for a live panel
and turns each new set of weights into a PNG by redrawing only the bars over a cached background (the
axes, labels, legend and reference ticks are drawn once), which is what keeps a slider change fast.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..data import CATEGORIES
from ..errors import SmmrubricError
from ..rubric import Rubric, check_rubric
from .style import CATEGORY_COLORS, use_style

__all__ = ["WeightChart", "plot_rubric_weights", "update_rubric_weights"]

#: Font size (points) of the competency names and the legend: at the live chart's 96 dpi, 13 px.
LABEL_SIZE = 10
#: Height of one bar row, in inches (a 10-point label needs about 0.2).
ROW_HEIGHT = 0.26


def plot_rubric_weights(
    rubric: Rubric,
    reference: Rubric | pd.Series | None = None,
    *,
    reference_label: str = "preset",
    title: str | None = None,
    xmax: float | None = None,
) -> Figure:
    """Horizontal bars of a rubric's normalised weights, skills then traits, with a reference as ticks.

    Each bar is the weight ``w_i = r_i / sum_j r_j`` of competency ``i`` (``rubric.weights``), coloured
    by category (:data:`smmrubric.plots.CATEGORY_COLORS`); within a category the competencies keep the
    rubric's order. The legend gives each category's share ``sum_{i in c} w_i``
    (``rubric.category_weights``). With ``reference`` (another rubric on the same competencies, or a
    Series of normalised weights by ``competency_id``; missing competencies count as 0), a black tick
    marks each reference weight so that moves away from it show.

    Parameters
    ----------
    rubric
        A :class:`smmrubric.Rubric`.
    reference
        Optional reference weights (a Rubric or a Series indexed by ``competency_id``).
    reference_label
        Legend label of the reference ticks.
    title
        Figure title; the rubric's name by default.
    xmax
        Right end of the weight axis; 1.08 x the largest weight shown by default.

    Returns
    -------
    matplotlib.figure.Figure
    """
    weights, ref = _checked(rubric, reference)
    if not isinstance(reference_label, str):
        raise SmmrubricError(f"must be text, got {reference_label!r}", field="reference_label")
    if title is not None and not isinstance(title, str):
        raise SmmrubricError(f"must be text or None, got {title!r}", field="title")
    if xmax is not None and (isinstance(xmax, bool) or not isinstance(xmax, (int, float)) or not 0 < xmax <= 1):
        raise SmmrubricError(f"must be a number in (0, 1], got {xmax!r}", field="xmax")
    categories = rubric.categories
    order = np.argsort(pd.Categorical(categories, categories=list(CATEGORIES)).codes, kind="stable")
    ids = weights.index[order]
    y = np.arange(len(ids))[::-1]
    use_style()
    fig = Figure(figsize=(6.4, ROW_HEIGHT * len(ids) + 1.5))
    ax = fig.subplots()
    ax.barh(
        y, weights[ids].to_numpy(), color=categories[ids].map(CATEGORY_COLORS).to_numpy(), height=0.72, gid="weights"
    )
    if ref is not None:
        ax.scatter(ref[ids].to_numpy(), y, marker="|", s=140, color="black", linewidths=1.8, zorder=3, gid="reference")
    ax.set_yticks(y, rubric.names[ids].to_numpy(), fontsize=LABEL_SIZE)
    ax.set_ylim(-0.6, len(ids) - 0.4)
    ax.set_xlim(0, xmax if xmax is not None else _default_xmax(weights, ref))
    ax.set_xlabel("normalised weight (sums to 1)")
    # the title and the legend start at the figure's left edge, so that a long title is never cut off
    fig.suptitle(
        title if title is not None else rubric.name, x=0.01, ha="left", fontsize=LABEL_SIZE + 1, fontweight="bold"
    )
    share = rubric.category_weights
    handles: list[Artist] = [Patch(color=CATEGORY_COLORS[c], label=f"{c}s {share[c]:.0%}") for c in CATEGORIES]
    if ref is not None:
        handles.append(
            Line2D(
                [],
                [],
                marker="|",
                linestyle="none",
                color="black",
                markersize=12,
                markeredgewidth=1.8,
                label=reference_label,
            )
        )
    # above the bars, never over them (the live chart draws the bars over a fixed background)
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=len(handles),
        fontsize=LABEL_SIZE,
        borderaxespad=0.3,
        handletextpad=0.4,
        columnspacing=1.2,
    )
    fig.tight_layout()  # room for the names, the title and the legend inside the figure
    fig.smmrubric_order = list(ids)  # type: ignore[attr-defined]  # the bar order, for update_rubric_weights
    return fig


def _default_xmax(weights: pd.Series, ref: pd.Series | None) -> float:
    return max(float(weights.max()), float(ref.max()) if ref is not None else 0.0) * 1.08


def update_rubric_weights(
    fig: Figure,
    rubric: Rubric,
    reference: Rubric | pd.Series | None = None,
    *,
    reference_label: str | None = None,
    rescale: bool = True,
) -> Figure:
    """Set the bars (and reference ticks) of a :func:`plot_rubric_weights` figure to new weights.

    Much faster than a new figure (no new axes, ticks or labels). ``rubric`` must have the competencies
    the figure was made with, and ``reference`` is given if and only if the figure has reference ticks;
    ``reference_label``, if given, renames them in the legend. With ``rescale`` the weight axis is fitted
    to the new weights as :func:`plot_rubric_weights` fits it; without, it is left as it is.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig``, updated in place.
    """
    if not isinstance(fig, Figure) or not hasattr(fig, "smmrubric_order"):
        raise SmmrubricError("must be a figure made by plot_rubric_weights", field="fig")
    weights, ref = _checked(rubric, reference)
    ids = _order(fig)
    if sorted(ids) != sorted(weights.index):
        raise SmmrubricError("the rubric's competencies differ from the figure's", field="rubric")
    ax = fig.axes[0]
    for patch, value in zip(_bars(fig), weights[ids].to_numpy(), strict=True):
        patch.set_width(value)
    ticks = [c for c in ax.collections if c.get_gid() == "reference"]
    if (ref is None) != (not ticks):
        raise SmmrubricError("give a reference if and only if the figure was made with one", field="reference")
    if ticks and ref is not None:
        offsets = np.asarray(ticks[0].get_offsets())
        offsets[:, 0] = ref[ids].to_numpy()
        ticks[0].set_offsets(offsets)
    if rescale:
        ax.set_xlim(0, _default_xmax(weights, ref))
    share = rubric.category_weights
    texts = _legend(ax).get_texts()
    for text, category in zip(texts, CATEGORIES, strict=False):  # then the reference's entry
        text.set_text(f"{category}s {share[category]:.0%}")
    if reference_label is not None and ticks:
        texts[len(CATEGORIES)].set_text(reference_label)
    return fig


def _bars(fig: Figure) -> list[Rectangle]:
    return [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_gid() == "weights"]


def _order(fig: Figure) -> list[str]:
    """The competency of each bar, top to bottom, as :func:`plot_rubric_weights` recorded it."""
    return list(fig.smmrubric_order)  # type: ignore[attr-defined]


def _legend(ax: Axes) -> Legend:
    legend = ax.get_legend()
    if legend is None:
        raise SmmrubricError("the figure has lost its legend", field="fig")
    return legend


class WeightChart:
    """A live weight chart: PNG frames of :func:`plot_rubric_weights`, redrawing only the bars and ticks.

    The first frame (and one after :meth:`png` is asked to ``refit`` the axis, or when a weight passes
    its right end) draws the whole figure without its bars and reference ticks and keeps that image as
    the background; every other frame restores the background and draws the bars and ticks over it.
    The legend names the categories and "compared with" (the shares and the weighting compared with
    change from frame to frame and are shown beside the chart).

    Parameters
    ----------
    dpi
        Pixels per inch of the frames (96: a 10-point label is 13 px high).
    title
        Chart title.
    """

    def __init__(self, *, dpi: int = 96, title: str = "Weights now (bars) and compared with (ticks)") -> None:
        self.dpi = dpi
        self.title = title
        self._fig = Figure()
        self._canvas = FigureCanvasAgg(self._fig)
        self._background = None
        self._names: tuple[str, ...] | None = None
        self._xmax = 0.0
        self.full_draws = 0  # how many frames drew the whole figure (the rest drew only the bars and ticks)

    def png(self, rubric: Rubric, reference: Rubric | pd.Series, *, refit: bool = False) -> bytes:
        """The chart of ``rubric``'s weights against ``reference`` as PNG bytes.

        With ``refit`` the weight axis ends at a round number above 1.25 x the largest weight shown (as it
        does anyway when a weight passes its end).
        """
        weights, ref = _checked(rubric, reference)
        if ref is None:
            raise SmmrubricError("give the weights compared with", field="reference")
        names = tuple(rubric.names.items())
        top = max(float(weights.max()), float(ref.max()))
        xmax = _nice_ceiling(1.25 * top) if refit or top > self._xmax else self._xmax
        if names != self._names or xmax != self._xmax:
            self._draw_background(rubric, xmax)
            self._names = names
        fig, canvas = self._fig, self._canvas
        ids = _order(fig)
        bars = _bars(fig)
        for patch, value in zip(bars, weights[ids].to_numpy(), strict=True):
            patch.set_width(value)
        ticks = fig.axes[0].collections[0]
        offsets = np.asarray(ticks.get_offsets())
        offsets[:, 0] = ref[ids].to_numpy()
        ticks.set_offsets(offsets)
        canvas.restore_region(self._background)
        ax = fig.axes[0]
        for artist in [*bars, ticks]:  # the order of a full draw (by zorder); the legend is outside the axes
            ax.draw_artist(artist)
        return _png(np.asarray(canvas.get_renderer().buffer_rgba()))

    def _draw_background(self, rubric: Rubric, xmax: float) -> None:
        fig = plot_rubric_weights(rubric, rubric, reference_label="compared with", title=self.title, xmax=xmax)
        for text, category in zip(_legend(fig.axes[0]).get_texts(), CATEGORIES, strict=False):
            text.set_text(f"{category}s")
        fig.set_dpi(self.dpi)
        canvas = FigureCanvasAgg(fig)
        hidden = [*_bars(fig), *fig.axes[0].collections]
        for artist in hidden:
            artist.set_visible(False)
        canvas.draw()
        self._background = canvas.copy_from_bbox(fig.bbox)
        for artist in hidden:
            artist.set_visible(True)
        self._fig, self._canvas, self._xmax = fig, canvas, xmax
        self.full_draws += 1


def _nice_ceiling(x: float) -> float:
    """The smallest of 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1 that is at least ``x``."""
    for step in (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0):
        if x <= step + 1e-12:
            return step
    return 1.0


def _png(rgba: np.ndarray) -> bytes:
    """RGBA pixels as an RGB PNG, written directly: no row filter and zlib level 1 (about 4x faster than
    PIL's adaptive filters; a frame per slider move, not a file to keep). Format: PNG specification
    (ISO/IEC 15948:2004), colour type 2, bit depth 8, filter type 0 on every row."""
    height, width = rgba.shape[:2]
    rows = np.empty((height, 3 * width + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type "None"
    rows[:, 1:] = rgba[..., :3].reshape(height, -1)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


def _checked(rubric: Rubric, reference: Rubric | pd.Series | None) -> tuple[pd.Series, pd.Series | None]:
    """The rubric's normalised weights and the reference weights on its competencies (0 where absent)."""
    check_rubric(rubric)
    weights = rubric.weights
    if reference is None:
        return weights, None
    if isinstance(reference, Rubric):
        reference = reference.weights
    if not isinstance(reference, pd.Series):
        raise SmmrubricError("must be a Rubric or a Series of weights by competency_id", field="reference")
    unknown = [c for c in reference.index if c not in set(weights.index)]
    if unknown:
        raise SmmrubricError("not a competency of the rubric", row=str(unknown[0]), field="reference")
    ref = pd.to_numeric(reference, errors="coerce").reindex(weights.index, fill_value=0.0)
    if ref.isna().any() or (ref < 0).any():
        raise SmmrubricError("reference weights must be non-negative numbers", field="reference")
    return weights, ref
