"""An interactive rubric playground: move a weight, watch the ranking change (JupyterLab or the standalone app).

:class:`RubricPlayground` is a thin ipywidgets layer over the package's pure functions: the weights are
a :class:`smmrubric.Rubric` (:meth:`~smmrubric.Rubric.with_weights`,
:meth:`~smmrubric.Rubric.with_category_share`), candidates are scored with :func:`smmrubric.score`,
agreement with the weighting compared with is :func:`smmrubric.sensitivity.ranking_agreement` (top-k
overlap, Kendall's tau, rank-biased overlap RBO^b), the live robustness column is
:func:`smmrubric.sensitivity.shortlist_chance` and the chart is
:class:`smmrubric.plots.playground.WeightChart`. Everything the panel shows is also an attribute
(``table``, ``rubric``, ``agreement``), so it is tested in plain pytest by setting values.

How the controls interact
-------------------------
The state is one vector of raw weights ``r_i >= 0`` in *points*, one slider and one number box per
competency (grouped under skills and traits). The rubric uses the normalised weights
``w_i = r_i / sum_j r_j`` (the bars of the chart), so moving one slider changes every normalised weight,
as it should, and no other slider.

* **Start from** (menu): sets the points to a preset's normalised weights times 100 (so they start as
  percentages; a competency the preset leaves out gets 0). **Reset** goes back to it.
* **Compare with** (menu): the weighting the table, the agreement line and the chart's ticks compare
  with; choosing it changes no weight (start from Buffer, compare with the consensus).
* **Weight slider** / **number box**: change only their own ``r_i``. The sliders span 0 to a round
  number above twice the largest weight loaded (so the handles spread over the track); a number typed
  past the end stretches every slider (up to :data:`MAX_POINTS`).
* **Skills, % of the weight**: rescales the weights within each category so that skills weigh ``s``
  and traits ``1 - s``, keeping the proportions inside each category (``r'_i = T s r_i / sum_{j skill}
  r_j`` for a skill, ``T (1 - s) r_i / sum_{j trait} r_j`` for a trait; ``T`` the current total of
  points). If a category that should get a positive share has no weight, the panel says so.
* **Upload** a ratings file (any format :func:`smmrubric.ratings.read_ratings` reads; its notes are shown) or a
  rubric YAML: the panel re-ranks the uploaded candidates, or rebuilds itself on the uploaded rubric (re-reading the
  uploaded ratings against it). A file that cannot be read leaves the panel as it was and its problem
  shows as one message.
* **Export** the ranked table (every candidate) as CSV or Excel: a download link (text cells a
  spreadsheet would run as formulas are neutralised, :func:`smmrubric.sheets.table_bytes`).
* **Save** the weights as a rubric YAML file (points rounded to :data:`SAVE_DIGITS` significant digits) in
  ``directory`` (by default ``results/``, which git ignores); an existing file is replaced only after a
  second click on "Overwrite".

If every weight is 0 there is nothing to score: the panel says so and keeps the last table.
"""

from __future__ import annotations

import base64
import html
import math
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import SmmrubricError
from .ranking import sort_frame
from .rubric import Rubric, check_rubric
from .scoring import RULES, score
from .sheets import table_bytes
from .validation import check_choice, check_int, check_number

if TYPE_CHECKING:
    from .plots.playground import WeightChart

__all__ = [
    "EQUAL",
    "MAX_POINTS",
    "SAVE_DIGITS",
    "RubricPlayground",
    "default_presets",
    "describe_presets",
    "results_dir",
]

#: Name of the equal-weights preset.
EQUAL = "Equal weights"
#: Points a preset's normalised weights are scaled to when loaded (so they start as percentages).
POINTS = 100.0
#: The largest number of points a competency can get (the number boxes' limit).
MAX_POINTS = 1000.0
#: Significant digits of the weights written by :meth:`RubricPlayground.save` (relative error < 0.05%).
SAVE_DIGITS = 3
#: Ends of the sliders: the first at least twice the largest weight loaded.
SLIDER_ENDS = (5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 300, 500, 1000)
_STEP = 0.1
_SHARE_STEP = 1.0
_CELL = "padding:2px 8px;text-align:right"
_ERROR = "<div style='color:#b00020;white-space:pre-wrap'>{}</div>"
_FORMATS = {
    "csv": ("CSV", "text/csv"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
RATINGS_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".ods")


def default_presets(rubric: Rubric, directory: str | os.PathLike[str] | None = None) -> dict[str, Rubric]:
    """The presets of the playground: equal weights, the rubric itself, and the bundled rubrics.

    Parameters
    ----------
    rubric
        The base rubric (its competencies are the sliders).
    directory
        A folder of rubric YAML files; ``data/rubrics/`` of the data set by default. Files whose
        competencies are not all in ``rubric`` are left out (their weights could not be shown on its
        sliders).

    Returns
    -------
    dict[str, Rubric]
        ``{label: rubric}`` in menu order: "Equal weights", the base rubric under its own name, then each
        file of ``directory`` (sorted by file name) under its rubric name, skipping one equal to the base
        rubric. Labels are unique (a repeated name gets the file name in brackets).
    """
    check_rubric(rubric)
    if directory is None:
        from .paths import data_dir

        directory = data_dir() / "rubrics"
    directory = _path(directory, "directory")
    if not directory.is_dir():
        raise SmmrubricError("no such folder of rubrics", file=directory)
    presets = {
        EQUAL: Rubric.equal(rubric.competency_ids, scale=rubric.scale, name=EQUAL, vocabulary=_vocabulary_of(rubric))
    }
    presets[rubric.name] = rubric
    ids = set(rubric.competency_ids)
    for path in sorted(directory.glob("*.yaml")):
        preset = Rubric.from_yaml(path)
        if not set(preset.competency_ids) <= ids or _same_weights(preset, rubric):
            continue
        label = preset.name if preset.name not in presets else f"{preset.name} [{path.name}]"
        presets[label] = preset
    return presets


def describe_presets(presets: Mapping[str, Rubric]) -> pd.DataFrame:
    """One row per preset: how many competencies it weighs and the skills' share of its weight.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``preset`` (menu order): ``competencies with weight`` (int) and ``skill share``
        (``sum_{i skill} w_i``).
    """
    rows = {
        label: (int((check_rubric(p, "presets", row=label).weights > 0).sum()), float(p.category_weights["skill"]))
        for label, p in presets.items()
    }
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["competencies with weight", "skill share"]
    ).rename_axis("preset")


def results_dir() -> Path:
    """Where the playground saves: ``results/`` of the source checkout (git ignores it), else ``./results``."""
    from .paths import project_root

    root = project_root()
    return (root if root is not None else Path.cwd()) / "results"


def _path(value: Any, field: str) -> Path:
    """``value`` as a Path, or a SmmrubricError naming ``field`` (a number or None is not a path)."""
    if not isinstance(value, (str, os.PathLike)):
        raise SmmrubricError(f"must be a file or folder path, got {type(value).__name__}", field=field)
    return Path(value)


def _vocabulary_of(rubric: Rubric) -> pd.DataFrame:
    """A vocabulary holding exactly the rubric's competencies (names and categories as in the rubric)."""
    return pd.DataFrame({"name": rubric.names, "category": rubric.categories})


def _same_weights(a: Rubric, b: Rubric) -> bool:
    wa = a.weights.reindex(b.competency_ids, fill_value=0.0).to_numpy()
    return set(a.competency_ids) <= set(b.competency_ids) and bool(np.allclose(wa, b.weights.to_numpy()))


def _slider_end(points: float) -> float:
    """The first of :data:`SLIDER_ENDS` at least ``points`` (the largest if none)."""
    return float(next((end for end in SLIDER_ENDS if end >= points - 1e-9), SLIDER_ENDS[-1]))


def _significant(x: float, digits: int = SAVE_DIGITS) -> float:
    """``x`` rounded to ``digits`` significant digits (0 stays 0)."""
    return 0.0 if x == 0 else round(x, digits - 1 - math.floor(math.log10(abs(x))))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "rubric"


class RubricPlayground:
    """A panel of weight sliders, two preset menus, uploads and live outputs (ranked table, robustness, chart).

    Parameters
    ----------
    rubric
        The base rubric: one slider per competency, its scale and must-haves used for scoring.
    scores
        Candidates x competencies mean scores (index ``candidate_id``, columns at least the rubric's
        competencies, complete), or a :class:`smmrubric.inputs.CandidatePool` (its ``scores``).
    presets
        ``{label: Rubric}``; :func:`default_presets` of ``rubric`` by default. Each preset's
        competencies must be among the rubric's.
    start, compare
        The presets the sliders start from and the table compares with; the rubric's own entry (its
        name) if there is one, else the first preset.
    k
        Shortlist size (top-k overlap, robustness column), 1 to the number of candidates; 10 (or every
        candidate, if fewer) by default.
    show
        How many of the best candidates the table shows.
    rule
        Decision rule passed to :func:`smmrubric.score`.
    directory
        Folder the save button writes into (:func:`results_dir` by default; created when first used).
    chart
        Draw the weight chart.
    robustness
        Compute the live robustness column (the chance to stay in the top k).
    concentration, n_draws, seed
        Of the robustness column: the Dirichlet concentration of the weights around the current ones,
        the Monte Carlo draws and their seed (the same weights always give the same chances).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The panel (the object itself also displays as the panel).
    rubric : Rubric
        The base rubric with the current weights.
    compare_rubric : Rubric
        The base rubric with the weights compared with.
    table : pandas.DataFrame
        Every candidate under the current weights, by rank (ties by id): the columns of
        :func:`smmrubric.score` plus ``compare_rank`` and ``rank_change`` (``compare_rank - rank``,
        Int64), ``moved`` (bool) and, with ``robustness``, ``top_k_chance`` (see :attr:`robustness`).
    agreement : pandas.Series
        ``kendall_tau``, ``spearman_rho``, ``top_k_overlap``, ``rbo`` of the two rankings
        (:func:`smmrubric.sensitivity.ranking_agreement` with ``ties="b"``, compared by rank so that
        knockouts count): RBO^b is 1 when no candidate moved, ties included.
    robustness : pandas.Series
        Each candidate's chance to be in the top ``k`` under local weight uncertainty around the current
        weights (:func:`smmrubric.sensitivity.shortlist_chance`).
    weight_sliders, weight_boxes : dict[str, ipywidgets widget]
    share_slider : ipywidgets.FloatSlider
    start_menu, compare_menu : ipywidgets.Dropdown
    """

    def __init__(
        self,
        rubric: Rubric,
        scores: Any,
        *,
        presets: Mapping[str, Rubric] | None = None,
        start: str | None = None,
        compare: str | None = None,
        k: int | None = None,
        show: int = 10,
        rule: str = "compensatory",
        directory: str | os.PathLike[str] | None = None,
        chart: bool = True,
        robustness: bool = True,
        concentration: float = 100.0,
        n_draws: int = 2000,
        seed: int = 20261121,
    ) -> None:
        import ipywidgets as w

        check_rubric(rubric)
        self._rule = check_choice(rule, "rule", RULES)
        self.show = check_int(show, "show", low=1)
        self._k_asked = None if k is None else check_int(k, "k", low=1)
        self.directory = _path(directory, "directory") if directory is not None else results_dir()
        for name, flag in (("chart", chart), ("robustness", robustness)):
            if not isinstance(flag, bool):
                raise SmmrubricError(f"must be True or False, got {flag!r}", field=name)
        self.concentration = check_number(concentration, "concentration", low=0.0, low_open=True)
        self.n_draws = check_int(n_draws, "n_draws", low=1)
        self.seed = check_int(seed, "seed", low=0)
        self._robust = robustness
        if presets is not None and not isinstance(presets, Mapping):
            raise SmmrubricError(f"must be a mapping {{label: Rubric}}, got {type(presets).__name__}", field="presets")
        self.source = (
            _source_text(scores.source) if isinstance(getattr(scores, "source", None), str) else "the candidates given"
        )
        scores = self._checked_scores(rubric, scores)
        self._upload_dir = tempfile.mkdtemp(prefix="smmrubric-upload-")
        weakref.finalize(self, shutil.rmtree, self._upload_dir, True)
        self._ratings_file: tuple[Path, str] | None = None  # the last uploaded ratings file and its name

        self._syncing = False
        self.rubric = rubric
        self.compare_rubric = rubric
        self.table = pd.DataFrame()
        self.agreement = pd.Series(dtype=float)
        self.robustness = pd.Series(dtype=float)
        self.weight_sliders: dict[str, Any] = {}
        self.weight_boxes: dict[str, Any] = {}
        self._chart: WeightChart | None = None
        self._draw_chart = chart

        wide = {"description_width": "150px"}
        self.title = w.HTML()
        self.start_menu = w.Dropdown(description="Start from", style=wide, layout=w.Layout(width="480px"))
        self.start_menu.add_class("smmrubric-start")
        self.start_menu.observe(self._on_start, names="value")
        self.compare_menu = w.Dropdown(description="Compare with", style=wide, layout=w.Layout(width="480px"))
        self.compare_menu.add_class("smmrubric-compare")
        self.compare_menu.observe(self._on_compare, names="value")
        self.share_slider = w.FloatSlider(
            value=50.0,
            min=0.0,
            max=100.0,
            step=_SHARE_STEP,
            description="Skills, % of weight",
            readout_format=".0f",
            continuous_update=False,
            style=wide,
            layout=w.Layout(width="480px"),
        )
        self.share_slider.add_class("smmrubric-skill-share")
        self.share_slider.observe(self._on_share, names="value")
        self.reset_button = w.Button(description="Reset to start", icon="undo")
        self.reset_button.on_click(lambda _: self.select_start(self.start_menu.value))
        self.ratings_upload = w.FileUpload(
            accept=",".join(RATINGS_SUFFIXES),
            multiple=False,
            description="Ratings file",
            layout=w.Layout(width="160px"),
        )
        self.ratings_upload.add_class("smmrubric-upload-ratings")
        self.ratings_upload.observe(self._on_ratings_upload, names="value")
        self.rubric_upload = w.FileUpload(
            accept=".yaml,.yml", multiple=False, description="Rubric YAML", layout=w.Layout(width="160px")
        )
        self.rubric_upload.add_class("smmrubric-upload-rubric")
        self.rubric_upload.observe(self._on_rubric_upload, names="value")
        self.sliders_box = w.VBox(layout=w.Layout(min_width="560px", overflow="visible"))
        self.ranking = w.HTML()
        self.ranking.add_class("smmrubric-ranking")
        self.agreement_text = w.HTML(layout=w.Layout(max_width="720px"))
        self.agreement_text.add_class("smmrubric-agreement")
        self.chart = w.Image(format="png", layout=w.Layout(align_self="flex-start"))  # at its own size
        self.chart.add_class("smmrubric-chart")
        self.export_buttons = []
        for fmt, (label, _) in _FORMATS.items():
            button = w.Button(description=f"Export {label}", icon="download")
            button.add_class(f"smmrubric-export-{fmt}")
            button.on_click(lambda _, fmt=fmt: self._export_clicked(fmt))
            self.export_buttons.append(button)
        self.download = w.HTML()
        self.download.add_class("smmrubric-download")
        self.filename = w.Text(
            value="my-rubric.yaml",
            description="Save as",
            style={"description_width": "60px"},
            layout=w.Layout(width="300px"),
        )
        self.filename.observe(lambda _: self._hide_overwrite(), names="value")
        self.save_button = w.Button(description="Save rubric YAML", icon="save")
        self.save_button.add_class("smmrubric-save")
        self.save_button.on_click(lambda _: self._save_clicked(overwrite=False))
        self.overwrite_button = w.Button(
            description="Overwrite",
            icon="exclamation-triangle",
            button_style="warning",
            layout=w.Layout(display="none"),
        )
        self.overwrite_button.add_class("smmrubric-overwrite")
        self.overwrite_button.on_click(lambda _: self._save_clicked(overwrite=True))
        self.status = w.HTML()
        self.status.add_class("smmrubric-status")

        controls = w.VBox(
            [self.start_menu, self.compare_menu, self.share_slider, w.HBox([self.reset_button]), self.sliders_box],
            layout=w.Layout(min_width="560px", overflow="visible"),
        )
        outputs = w.VBox(
            [
                self.ranking,
                self.agreement_text,
                w.HBox([*self.export_buttons, self.download], layout=w.Layout(align_items="center")),
                *([self.chart] if chart else []),
            ],
            layout=w.Layout(margin="0 0 0 16px"),
        )
        self.widget = w.VBox(
            [
                self.title,
                w.HBox(
                    [w.HTML("<b>Your data:</b>"), self.ratings_upload, self.rubric_upload],
                    layout=w.Layout(align_items="center"),
                ),
                self.status,
                w.HBox([controls, outputs]),
                w.HBox([self.filename, self.save_button, self.overwrite_button]),
            ]
        )
        self.widget.add_class("smmrubric-playground")
        self._install(rubric, scores, presets, start, compare)

    # -- the rubric, its candidates and presets ---------------------------------------------------------
    @staticmethod
    def _checked_scores(rubric: Rubric, scores: Any) -> pd.DataFrame:
        if hasattr(scores, "scores") and isinstance(scores.scores, pd.DataFrame):
            scores = scores.scores
        if not isinstance(scores, pd.DataFrame):
            raise SmmrubricError(
                f"must be a candidates x competencies DataFrame, got {type(scores).__name__}", field="scores"
            )
        missing = [c for c in rubric.competency_ids if c not in scores.columns]
        if missing:
            raise SmmrubricError(
                "the candidates have no scores for this competency of the rubric; upload ratings on this rubric",
                row=missing[0],
                field="scores",
            )
        return scores

    def _checked_candidates(
        self, rubric: Rubric, scores: pd.DataFrame, *, cap: bool = False
    ) -> tuple[pd.DataFrame, int]:
        """The rubric's columns of ``scores``, checked by scoring them once, and the shortlist size.

        The shortlist is ``k`` (10 by default), or every candidate if there are fewer: silently for the
        default and for uploaded candidates (``cap``), an error for a ``k`` given with the candidates.
        """
        x = scores[rubric.competency_ids]
        if self._k_asked is not None and self._k_asked > len(x) and not cap:
            raise SmmrubricError(f"must be at most the number of candidates ({len(x)}), got {self._k_asked}", field="k")
        score(rubric, x, rule=self._rule)  # every problem named by candidate and competency
        return x, min(10 if self._k_asked is None else self._k_asked, len(x))

    def _install(
        self,
        rubric: Rubric,
        scores: pd.DataFrame,
        presets: Mapping[str, Rubric] | None,
        start: str | None,
        compare: str | None,
        *,
        cap: bool = False,
    ) -> None:
        """Check a rubric, its candidates and presets first, then rebuild the panel on them."""
        x, k = self._checked_candidates(rubric, scores, cap=cap)
        presets = dict(default_presets(rubric) if presets is None else presets)
        if not presets:
            raise SmmrubricError("no preset to start from", field="presets")
        weights = {label: self._preset_weights(rubric, label, p) for label, p in presets.items()}
        default = rubric.name if rubric.name in weights else next(iter(weights))
        start = default if start is None else check_choice(start, "start", list(weights))
        compare = default if compare is None else check_choice(compare, "compare", list(weights))

        self._base, self._ids, self._presets, self._preset_rubrics = rubric, rubric.competency_ids, weights, presets
        self._scores, self._all_scores, self.k = x, scores, k
        self._points = np.zeros(len(self._ids))
        self._chart = None
        self._build_sliders()
        self._syncing = True
        try:
            self.start_menu.options = list(weights)
            self.compare_menu.options = list(weights)
            self.start_menu.value = start
            self.compare_menu.value = compare
        finally:
            self._syncing = False
        self.title.value = f"<h3>Rubric playground: {html.escape(rubric.name)}</h3>"
        self._set_compare(compare)
        self.select_start(start, message=self._loaded(start))

    def _set_candidates(self, scores: pd.DataFrame, source: str) -> None:
        """New candidates on the same rubric: weights, presets and menus stay as they are."""
        self._scores, self.k = self._checked_candidates(self._base, scores, cap=True)
        self._all_scores, self.source = scores, source
        self._set_compare(str(self.compare_menu.value))
        self._refresh(self._loaded(str(self.start_menu.value), weights="current weights"))

    def _loaded(self, start: str, weights: str = "") -> str:
        weights = weights or f"the weights of <b>{html.escape(start)}</b>"
        notes = "".join(f"<br>Note: {html.escape(note)}" for note in getattr(self, "_notes", ()))
        return (
            f"Rubric <b>{html.escape(self._base.name)}</b>, {len(self._scores)} candidates from "
            f"<b>{html.escape(self.source)}</b>; {weights}.{notes}"
        )

    @staticmethod
    def _preset_weights(rubric: Rubric, label: str, preset: Any) -> pd.Series:
        check_rubric(preset, "presets", row=str(label))
        unknown = [c for c in preset.competency_ids if c not in set(rubric.competency_ids)]
        if unknown:
            raise SmmrubricError(
                f"preset {label!r} has a competency the base rubric lacks", row=unknown[0], field="presets"
            )
        return preset.weights.reindex(rubric.competency_ids, fill_value=0.0)

    def _build_sliders(self) -> None:
        import ipywidgets as w

        self.weight_sliders, self.weight_boxes = {}, {}
        self._slider_max = POINTS
        rows: dict[str, list[Any]] = {"skill": [], "trait": []}
        for cid, name, category in zip(self._ids, self._base.names, self._base.categories, strict=True):
            label = w.HTML(
                f"<div class='smmrubric-name' title='{html.escape(cid)}'>{html.escape(name)}</div>",
                layout=w.Layout(width="250px"),
            )
            slider = w.FloatSlider(
                value=0.0,
                min=0.0,
                max=POINTS,
                step=_STEP,
                readout=False,
                continuous_update=False,
                layout=w.Layout(width="210px"),
            )
            slider.add_class("smmrubric-weight")
            slider.add_class(f"smmrubric-weight-{cid}")
            slider.observe(lambda change, cid=cid: self._on_weight(cid, change), names="value")
            box = w.BoundedFloatText(value=0.0, min=0.0, max=MAX_POINTS, step=_STEP, layout=w.Layout(width="80px"))
            box.add_class("smmrubric-points")
            box.observe(lambda change, cid=cid: self._on_weight(cid, change), names="value")
            self.weight_sliders[cid], self.weight_boxes[cid] = slider, box
            rows[category].append(w.HBox([label, slider, box], layout=w.Layout(align_items="center")))
        groups = [w.HTML("<b>Weights</b> (points: each competency counts for its share of the total)")]
        for category, members in rows.items():
            if members:
                groups.append(w.VBox([w.HTML(f"<b>{category.capitalize()}s</b>"), *members]))
        self.sliders_box.children = groups

    @property
    def presets(self) -> list[str]:
        """The preset labels, in menu order."""
        return list(self._presets)

    def select_start(self, label: str, *, message: str | None = None) -> None:
        """Load a preset's weights (times 100 points) into the sliders; the comparison stays as it is."""
        check_choice(label, "start", list(self._presets))
        points = self._presets[label].to_numpy() * POINTS
        self._quietly(self.start_menu, label)
        self._set_points(points, refit=True)
        self._refresh(message if message is not None else f"Weights of <b>{html.escape(label)}</b> loaded.", refit=True)

    def select_compare(self, label: str) -> None:
        """Compare the table, the agreement and the chart with a preset's weights (no weight changes)."""
        check_choice(label, "compare", list(self._presets))
        self._quietly(self.compare_menu, label)
        self._set_compare(label)
        self._refresh(f"Comparing with <b>{html.escape(label)}</b>.", refit=True)

    def _set_compare(self, label: str) -> None:
        self.compare_rubric = self._base.with_weights(self._presets[label])
        self._compare_table = score(self.compare_rubric, self._scores, rule=self._rule)

    def _on_start(self, change: Mapping[str, Any]) -> None:
        if not self._syncing:
            self.select_start(change["new"])

    def _on_compare(self, change: Mapping[str, Any]) -> None:
        if not self._syncing:
            self.select_compare(change["new"])

    # -- weights ------------------------------------------------------------------------------------------
    def points(self) -> pd.Series:
        """The current raw weights (points) by ``competency_id``, in rubric order."""
        return pd.Series(self._points.copy(), index=pd.Index(self._ids, name="competency_id"), name="points")

    def set_weights(self, weights: Mapping[str, float] | pd.Series) -> None:
        """Set some weights at once (points, ``{competency_id: value}``), then update the outputs once."""
        if not isinstance(weights, (Mapping, pd.Series)):
            raise SmmrubricError("must be a mapping {competency_id: points}", field="weights")
        points = self._points.copy()
        position = {cid: i for i, cid in enumerate(self._ids)}
        for cid, value in weights.items():
            if cid not in position:
                raise SmmrubricError("not a competency of the rubric", row=str(cid), field="weights")
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float, np.number))
                or not (0 <= float(value) <= MAX_POINTS)
            ):
                raise SmmrubricError(
                    f"must be a number from 0 to {MAX_POINTS:g}, got {value!r}", row=str(cid), field="weights"
                )
            points[position[cid]] = float(value)
        self._set_points(points)
        self._refresh()

    def set_skill_share(self, share: float) -> None:
        """Give skills ``share`` (0-1) of the weight and traits the rest, keeping proportions within each."""
        share = check_number(share, "share", low=0.0, high=1.0)
        rescaled = self._base.with_weights(self._points).with_category_share(share).weights.to_numpy()
        total = min(float(self._points.sum()), MAX_POINTS / float(rescaled.max()))
        self._set_points(rescaled * total)
        self._refresh()

    def _set_points(self, points: np.ndarray, *, refit: bool = False) -> None:
        """Make ``points`` the state and show them on the sliders and boxes (no output update).

        The sliders end at the first of :data:`SLIDER_ENDS` at least twice the largest weight when
        ``refit`` (a preset loaded), and stretch when a weight passes their end.
        """
        self._points = np.asarray(points, dtype=float).copy()
        largest = float(self._points.max())
        end = _slider_end(2 * largest) if refit else max(self._slider_max, _slider_end(largest))
        self._slider_max = end
        self._syncing = True
        try:
            for cid, value in zip(self._ids, self._points, strict=True):
                slider, box = self.weight_sliders[cid], self.weight_boxes[cid]
                shown = round(float(value), 1)
                if end > slider.max:  # stretch before the value moves past the old end
                    slider.max = end
                if slider.value != shown:
                    slider.value = min(shown, end)
                if end < slider.max:  # shrink once the value fits
                    slider.max = end
                if box.value != shown:
                    box.value = shown
        finally:
            self._syncing = False

    def _on_weight(self, cid: str, change: Mapping[str, Any]) -> None:
        if self._syncing:
            return
        self.set_weights({cid: float(change["new"])})

    def _on_share(self, change: Mapping[str, Any]) -> None:
        if self._syncing:
            return
        share = float(change["new"]) / 100
        if abs(share - self.rubric.category_weights["skill"]) < _SHARE_STEP / 200:
            return  # the slider only snapped the displayed share to its step
        try:
            self.set_skill_share(share)
        except SmmrubricError as exc:
            self._show_share()
            self._error(f"Skill share not changed: {exc.message}")

    def _show_share(self) -> None:
        self._quietly(self.share_slider, round(100 * float(self.rubric.category_weights["skill"])))

    def _quietly(self, widget: Any, value: Any) -> None:
        """Set a widget's value without handling it as the user's change."""
        self._syncing = True
        try:
            if widget.value != value:
                widget.value = value
        finally:
            self._syncing = False

    # -- outputs ------------------------------------------------------------------------------------------
    def _refresh(self, message: str = "", *, refit: bool = False) -> None:
        if not (self._points > 0).any():
            self._error("Every weight is 0: move one up to score the candidates (the table shows the last weights).")
            return
        # compute everything first, then update the widgets together, so the browser shows one state
        rubric = self._base.with_weights(self._points)
        table = score(rubric, self._scores, rule=self._rule)
        compare_rank = self._compare_table["rank"].reindex(table.index)
        table["compare_rank"] = compare_rank
        table["rank_change"] = (compare_rank - table["rank"]).astype("Int64")
        table["moved"] = (table["rank_change"] != 0).fillna(table["rank"].isna() != compare_rank.isna())
        if self._robust:
            self.robustness = self._robustness(rubric, table)
            table["top_k_chance"] = self.robustness.reindex(table.index)
        table = sort_frame(table, "rank")
        self.rubric, self.table = rubric, table
        self.agreement = self._agreement(table["rank"], compare_rank.reindex(table.index))
        png = self._chart_png(refit) if self._draw_chart else None
        self._show_share()
        self.ranking.value = self._table_html()
        self.agreement_text.value = self._agreement_html()
        if png is not None:
            self.chart.value = png
        self.download.value = ""  # a link made for other weights would export another table
        self.status.value = message

    def _robustness(self, rubric: Rubric, table: pd.DataFrame) -> pd.Series:
        from .sensitivity.shortlist import shortlist_chance

        met = table["must_haves_met"].reindex(self._scores.index)
        return shortlist_chance(
            self._scores,
            rubric.weights,
            self.k,
            concentration=self.concentration,
            n_draws=self.n_draws,
            seed=self.seed,
            met=met,
            rule=self._rule,
        )

    def _agreement(self, rank: pd.Series, compare_rank: pd.Series) -> pd.Series:
        """:func:`smmrubric.sensitivity.ranking_agreement` of the two rankings, compared by rank, RBO^b.

        Ranks, not totals, so that must-have knockouts count; a candidate a hurdle leaves unranked is
        placed after everyone ranked (all such candidates tied).
        """
        from .rank_agreement import ranking_agreement

        unranked = len(rank) + 1
        current = -rank.astype("Float64").fillna(unranked).astype(float)
        other = -compare_rank.astype("Float64").fillna(unranked).astype(float)
        if len(current) < 2:
            return pd.Series(
                {"kendall_tau": np.nan, "spearman_rho": np.nan, "top_k_overlap": 1.0, "rbo": 1.0}, name="agreement"
            )
        return ranking_agreement(current, other, k=self.k, ties="b")  # all tied: tau and rho NaN

    def _agreement_html(self) -> str:
        a = self.agreement
        label = html.escape(str(self.compare_menu.value))
        text = (
            f"Against <b>{label}</b>: top-{self.k} overlap <b>{_num(a['top_k_overlap'], 2)}</b> (share of "
            f"the top {self.k} also in its top {self.k}, ties at the cut split); Kendall's tau "
            f"{_num(a['kendall_tau'], 2, 'n/a')}; rank-biased overlap {_num(a['rbo'], 2)} (RBO<sup>b</sup>, "
            "p = 0.9: 1 when no candidate moved)."
        )
        if self._robust:
            text += (
                f"<br><i>Stays in top {self.k}</i>: the share of {self.n_draws:,} weightings drawn around the "
                f"current weights (Dirichlet, concentration {self.concentration:g}; SMAA-2) in which the "
                f"candidate is in the top {self.k}."
            )
        return text

    def _table_html(self) -> str:
        shown = self.table.head(self.show)
        must = bool(self._base.must_have.notna().any())
        header = [
            "rank",
            "candidate",
            "total",
            "skills",
            "traits",
            *(["must-haves met"] if must else []),
            f"rank in {html.escape(str(self.compare_menu.value))}",
            "change",
            *([f"stays in top {self.k}"] if self._robust else []),
        ]
        rows = []
        for cid, row in shown.iterrows():
            cells = [
                _rank_text(row["rank"]),
                html.escape(str(cid)),
                _num(row["total"], 3),
                _num(row["skills"], 3),
                _num(row["traits"], 3),
                *(["yes" if row["must_haves_met"] else "no"] if must else []),
                _rank_text(row["compare_rank"]),
                _change(row),
                *([f"{row['top_k_chance']:.0%}"] if self._robust else []),
            ]
            attrs = " class='smmrubric-moved' style='background:#fff3c4'" if row["moved"] else ""
            rows.append(f"<tr{attrs}>" + "".join(f"<td style='{_CELL}'>{c}</td>" for c in cells) + "</tr>")
        head = "".join(f"<th style='{_CELL}'>{h}</th>" for h in header)
        n_moved = int(self.table["moved"].sum())
        return (
            f"<b>Ranked candidates</b> (top {len(shown)} of {len(self.table)}; {n_moved} rank differently in "
            f"the weighting compared with, highlighted)<table style='border-collapse:collapse'><thead><tr>"
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def _chart_png(self, refit: bool) -> bytes:
        from .plots.playground import WeightChart

        if self._chart is None:
            self._chart = WeightChart()
        return self._chart.png(self.rubric, self.compare_rubric.weights, refit=refit)

    def _error(self, text: str) -> None:
        self.status.value = _ERROR.format(html.escape(text))

    # -- your data ----------------------------------------------------------------------------------------
    def load_ratings_file(self, path: str | os.PathLike[str], *, name: str | None = None) -> None:
        """Rank the candidates of a ratings file (read by :func:`smmrubric.ratings.read_ratings`; its notes show).

        The ratings are averaged over raters (:func:`smmrubric.ratings.aggregate_ratings`); every
        competency the rubric needs must be rated for every candidate. The weights and menus stay as
        they are. ``name`` is how messages call the file (an upload's own name). On any error the panel
        is left as it was.
        """
        path = _path(path, "path")
        scores, notes = _mean_scores(path, self._base)
        self._notes = notes
        self._set_candidates(scores, name if name is not None else str(path))
        self._ratings_file = (path, name if name is not None else str(path))

    def load_rubric_file(self, path: str | os.PathLike[str], *, name: str | None = None) -> None:
        """Rebuild the panel on a rubric YAML file, re-reading the last uploaded ratings against it.

        Without uploaded ratings, the candidates given keep their scores (they must cover the rubric's
        competencies). The presets are equal weights, the rubric, and the bundled rubrics on its
        competencies. On any error the panel is left as it was.
        """
        rubric = Rubric.from_yaml(_path(path, "path"))
        scores = self._all_scores
        if self._ratings_file is not None:
            scores, self._notes = _mean_scores(self._ratings_file[0], rubric)
        self._install(rubric, self._checked_scores(rubric, scores), None, None, None, cap=True)

    def _on_ratings_upload(self, change: Mapping[str, Any]) -> None:
        self._uploaded(self.ratings_upload, change, self.load_ratings_file, "ratings")

    def _on_rubric_upload(self, change: Mapping[str, Any]) -> None:
        self._uploaded(self.rubric_upload, change, self.load_rubric_file, "rubric")

    def _uploaded(self, widget: Any, change: Mapping[str, Any], load: Any, what: str) -> None:
        if self._syncing or not change["new"]:
            return
        upload = change["new"][0]
        name = Path(str(upload["name"])).name or f"uploaded-{what}"
        folder = Path(tempfile.mkdtemp(dir=self._upload_dir))
        target = folder / name
        target.write_bytes(bytes(upload["content"]))
        try:
            load(target, name=name)
        except SmmrubricError as exc:  # files named by the upload's own name, not the temporary copy
            self._error(f"{name} was not loaded; the panel is unchanged.\n{self._uploaded_names(str(exc))}")
        except Exception as exc:  # a bug in a reader must still not show a traceback in the panel
            self._error(
                f"{name} was not loaded ({type(exc).__name__}: {self._uploaded_names(str(exc))}); the "
                "panel is unchanged."
            )
        finally:
            self._quietly(widget, ())

    def _uploaded_names(self, text: str) -> str:
        """``text`` with each uploaded file's temporary path replaced by its own name."""
        return re.sub(re.escape(self._upload_dir) + r"/[^/]+/", "", text)

    # -- export and save ----------------------------------------------------------------------------------
    def export_table(self) -> pd.DataFrame:
        """The ranked table as exported: every candidate, by rank, scores rounded to 4 decimals."""
        first = ["rank", "total", "skills", "traits", "must_haves_met", "compare_rank", "rank_change"]
        columns = first + [c for c in self.table.columns if c not in first and c != "moved"]
        out = self.table[columns].rename(
            columns={
                "compare_rank": f"rank_in_{_slug(str(self.compare_menu.value))}".replace("-", "_"),
                "top_k_chance": f"chance_top_{self.k}",
            }
        )
        return out.round(4)

    def export_bytes(self, fmt: str) -> bytes:
        """The exported table (:meth:`export_table`) as ``"csv"`` or ``"xlsx"`` file bytes."""
        check_choice(fmt, "format", list(_FORMATS))
        return table_bytes(self.export_table(), fmt)

    def export(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the exported table to a ``.csv`` or ``.xlsx`` file (format from the suffix)."""
        from .io import atomic_write

        path = _path(path, "path")
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in _FORMATS:
            raise SmmrubricError("end the file name with .csv or .xlsx", file=path, field="path")
        return atomic_write(path, self.export_bytes(fmt), overwrite=overwrite)

    def _export_clicked(self, fmt: str) -> None:
        label, mime = _FORMATS[fmt]
        name = f"ranked-{_slug(self._base.name)}.{fmt}"
        data = base64.b64encode(self.export_bytes(fmt)).decode("ascii")
        self.download.value = (
            f"<a download='{name}' href='data:{mime};base64,{data}' class='smmrubric-link'>"
            f"Download {html.escape(name)}</a> ({label}, {len(self.table)} candidates)"
        )

    def save(self, path: str | os.PathLike[str], *, name: str | None = None, overwrite: bool = False) -> Path:
        """Write the current weights as a rubric YAML file.

        The weights are the points rounded to :data:`SAVE_DIGITS` significant digits (the rubric
        normalises them); everything else is the base rubric's.

        Parameters
        ----------
        path
            The file; relative paths are taken in ``directory`` (created if it does not exist).
        name
            The rubric's name; the file name without ``.yaml`` by default.
        overwrite
            Replace an existing file (the panel asks first).

        Raises
        ------
        SmmrubricError
            If the file exists and ``overwrite`` is False (it is left untouched), or every weight is 0.
        """
        path = _path(path, "path")
        if path.suffix not in (".yaml", ".yml"):
            raise SmmrubricError("a rubric file must end in .yaml", file=path, field="path")
        if not path.is_absolute():
            self.directory.mkdir(exist_ok=True)
            path = self.directory / path
        points = [_significant(p) for p in self._points]
        rubric = self._base.with_weights(points)
        saved = Rubric(
            rubric.competencies,
            name=name if name is not None else path.stem,
            scale=rubric.scale,
            description=(
                f"Weights set in the smmrubric playground (points, {SAVE_DIGITS} significant "
                f"digits), starting from '{self.start_menu.value}'."
            ),
            vocabulary=_vocabulary_of(rubric),
        )
        return saved.to_yaml(path, overwrite=overwrite)

    def _save_clicked(self, *, overwrite: bool) -> None:
        self._hide_overwrite()
        try:
            name = self.filename.value.strip()
            target = _path(name, "path")
            if not overwrite and (self.directory / target if not target.is_absolute() else target).exists():
                self.overwrite_button.layout.display = None
                self._error(
                    f"{name} already exists in {self.directory}: click Overwrite to replace it, or choose another name."
                )
                return
            path = self.save(name, overwrite=overwrite)
        except SmmrubricError as exc:
            self._error(f"Not saved: {exc}")
            return
        self.status.value = f"Saved the rubric to <code>{html.escape(str(path))}</code>."

    def _hide_overwrite(self) -> None:
        self.overwrite_button.layout.display = "none"

    # -- display ------------------------------------------------------------------------------------------
    def __repr__(self) -> str:
        return (
            f"RubricPlayground({self._base.name!r}: {len(self._ids)} weight sliders, {len(self._scores)} "
            f"candidates, {len(self._presets)} presets)"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)  # stable text (no widget reprs) for nbval
        return bundle


def _mean_scores(path: Path, rubric: Rubric) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Candidates x competencies mean ratings of a ratings file, read and checked against ``rubric``, and the
    reader's notes (an encoding, a decimal comma, competencies the rubric lacks...)."""
    from .ratings import aggregate_ratings, read_ratings

    table = read_ratings(path, rubric)
    return aggregate_ratings(table, rubric).mean, table.notes


def _source_text(source: str) -> str:
    return "a simulated pool" if source == "simulate" else Path(source).name


def _change(row: pd.Series) -> str:
    change = row["rank_change"]
    if pd.isna(change):
        arrow, color = ("new" if pd.isna(row["compare_rank"]) else "out"), "#555555"
    elif change > 0:
        arrow, color = f"▲{int(change)}", "#1b7f3b"
    elif change < 0:
        arrow, color = f"▼{-int(change)}", "#b00020"
    else:
        arrow, color = "=", "#555555"
    return f"<span style='color:{color}'>{arrow}</span>"


def _rank_text(rank: Any) -> str:
    return "-" if pd.isna(rank) else str(int(rank))


def _num(x: Any, digits: int, missing: str = "") -> str:
    return missing if pd.isna(x) else f"{x:.{digits}f}"
