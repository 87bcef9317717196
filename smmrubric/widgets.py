"""An interactive rubric playground for JupyterLab: move a weight, watch the ranking change.

:class:`RubricPlayground` is a thin ipywidgets layer over the package's pure functions: the weights are
a :class:`smmrubric.Rubric` (:meth:`~smmrubric.Rubric.with_weights`,
:meth:`~smmrubric.Rubric.with_category_share`), candidates are scored with :func:`smmrubric.score`,
agreement with the preset is :func:`smmrubric.sensitivity.ranking_agreement` (top-k overlap, Kendall's
tau, rank-biased overlap) and the chart is
:func:`smmrubric.plots.playground.plot_rubric_weights`. Everything the panel shows is also an
attribute (``table``, ``rubric``, ``overlap``), so it is tested in plain pytest by setting slider values.

How the controls interact
-------------------------
The state is one vector of raw weights ``r_i >= 0``, one slider per competency (grouped under skills
and traits). The rubric uses the normalised weights ``w_i = r_i / sum_j r_j`` (shown in the bar chart),
so a slider is an *importance in points*: moving one changes every normalised weight, as it should.

* **Preset** (dropdown): sets the sliders to the preset's normalised weights times 100 (points that sum
  to 100; a competency the preset leaves out gets 0) and makes that preset the reference the table and
  the overlap compare with. "Equal weights" gives every competency ``100 / n`` points.
* **Weight slider**: changes only its own ``r_i``; the skill-share slider then *follows* and shows the
  new share ``s = sum_{i skill} w_i``. Nothing else moves.
* **Skill share** slider: rescales the weights within each category so that skills weigh ``s`` and
  traits ``1 - s``, keeping the proportions inside each category
  (``r'_i = T s r_i / sum_{j skill} r_j`` for a skill, ``T (1 - s) r_i / sum_{j trait} r_j`` for a
  trait, :meth:`~smmrubric.Rubric.with_category_share`), with ``T`` the current total of points
  (lowered if a slider would pass its maximum). If a category that should get a positive share has no
  weight at all, the share cannot be set: the panel says so and the share slider goes back.
* **Reset**: back to the preset's weights.
* **Save**: writes the current weights (raw points) as a rubric YAML file with
  :meth:`~smmrubric.Rubric.to_yaml` and ``overwrite=False``: an existing file is never replaced.

If every weight is 0 there is nothing to score: the panel says so and keeps the last table.

The ranked table lists, for the best ``show`` candidates, the rank under the current weights, the rank
under the preset and the change (``preset_rank - rank``: positive = moved up); moved rows are
highlighted. The competency set, scale and must-have levels are the base rubric's throughout; a preset
only supplies weights.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd

from .errors import SmmrubricError
from .rubric import Rubric, check_rubric
from .scoring import RULES, score
from .sensitivity.agreement import ranking_agreement
from .validation import check_choice, check_int

__all__ = ["EQUAL", "RubricPlayground", "default_presets"]

#: Name of the equal-weights preset.
EQUAL = "Equal weights"
#: Points a preset's normalised weights are scaled to on the sliders.
POINTS = 100.0
_SLIDER_STEP = 0.5
_SHARE_STEP = 0.01
_CELL = "padding:1px 8px;text-align:right"


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
    presets = {EQUAL: Rubric.equal(rubric.competency_ids, scale=rubric.scale, name=EQUAL,
                                   vocabulary=_vocabulary_of(rubric))}
    presets[rubric.name] = rubric
    ids = set(rubric.competency_ids)
    for path in sorted(directory.glob("*.yaml")):
        preset = Rubric.from_yaml(path)
        if not set(preset.competency_ids) <= ids or _same_weights(preset, rubric):
            continue
        label = preset.name if preset.name not in presets else f"{preset.name} [{path.name}]"
        presets[label] = preset
    return presets


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


class RubricPlayground:
    """A panel of weight sliders, a preset menu and live outputs (ranked table, weight chart, top-k overlap).

    Parameters
    ----------
    rubric
        The base rubric: one slider per competency, its scale and must-haves used for scoring.
    scores
        Candidates x competencies mean scores (index ``candidate_id``, columns at least the rubric's
        competencies), or a :class:`smmrubric.inputs.CandidatePool` (its ``scores``).
    presets
        ``{label: Rubric}``; :func:`default_presets` of ``rubric`` by default. Each preset's
        competencies must be among the rubric's.
    preset
        The preset selected at the start; the first one by default.
    k
        Size of the top group compared with the preset (top-k overlap), 1 to the number of candidates;
        10 (or every candidate, if fewer) by default.
    show
        How many of the best candidates the table shows.
    rule
        Decision rule passed to :func:`smmrubric.score`.
    directory
        Folder the save button writes into (the working directory by default).
    chart
        Draw the weight chart (about 0.1-0.3 s per change); False leaves it out, for speed.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The panel (the object itself also displays as the panel).
    rubric : Rubric
        The base rubric with the current slider weights.
    preset_rubric : Rubric
        The base rubric with the selected preset's weights.
    table : pandas.DataFrame
        Every candidate under the current weights, by rank: the columns of :func:`smmrubric.score`
        plus ``preset_rank`` and ``rank_change`` (``preset_rank - rank``, Int64) and ``moved`` (bool).
    overlap : float
        Top-k overlap with the preset, ``sum_i P(i in A) P(i in B) / k`` for the top-k sets ``A`` (now)
        and ``B`` (preset), candidates tied at the cut being in with probability ``q / t``
        (:func:`smmrubric.sensitivity.top_k_membership`); ``|A ∩ B| / k`` without ties.
    agreement : pandas.Series
        ``kendall_tau``, ``spearman_rho``, ``top_k_overlap``, ``rbo`` of the two rankings
        (:func:`smmrubric.sensitivity.ranking_agreement`, compared by rank so that knockouts count).
    weight_sliders : dict[str, ipywidgets.FloatSlider]
    share_slider : ipywidgets.FloatSlider
    preset_menu : ipywidgets.Dropdown
    """

    def __init__(self, rubric: Rubric, scores: Any, *, presets: Mapping[str, Rubric] | None = None,
                 preset: str | None = None, k: int | None = None, show: int = 10, rule: str = "compensatory",
                 directory: str | os.PathLike[str] | None = None, chart: bool = True) -> None:
        import ipywidgets as w

        check_rubric(rubric)
        if hasattr(scores, "scores") and isinstance(scores.scores, pd.DataFrame):
            scores = scores.scores
        if not isinstance(scores, pd.DataFrame):
            raise SmmrubricError(f"must be a candidates x competencies DataFrame, got {type(scores).__name__}",
                                 field="scores")
        missing = [c for c in rubric.competency_ids if c not in scores.columns]
        if missing:
            raise SmmrubricError("the scores have no column for this competency of the rubric", row=missing[0],
                                 field="scores")
        self._scores = scores[rubric.competency_ids]
        self._rule = check_choice(rule, "rule", RULES)
        self.k = min(10, len(self._scores)) if k is None else check_int(k, "k", low=1, high=len(self._scores))
        self.show = check_int(show, "show", low=1)
        self.directory = _path(directory, "directory") if directory is not None else Path.cwd()
        if not isinstance(chart, bool):
            raise SmmrubricError(f"must be True or False, got {chart!r}", field="chart")
        self._base = rubric
        self._ids = rubric.competency_ids
        if presets is not None and not isinstance(presets, Mapping):
            raise SmmrubricError(f"must be a mapping {{label: Rubric}}, got {type(presets).__name__}",
                                 field="presets")
        presets = dict(default_presets(rubric) if presets is None else presets)
        if not presets:
            raise SmmrubricError("no preset to start from", field="presets")
        self._presets = {label: self._preset_weights(label, p) for label, p in presets.items()}
        if preset is None:
            preset = next(iter(self._presets))
        check_choice(preset, "preset", list(self._presets))
        score(rubric, self._scores, rule=self._rule)  # validate the scores once, with row/field messages

        self._syncing = False
        self.rubric = rubric
        self.preset_rubric = rubric
        self.table = pd.DataFrame()
        self.overlap = float("nan")
        self.agreement = pd.Series(dtype=float)
        self._figure = None

        style = {"description_width": "210px"}
        layout = w.Layout(width="470px")
        self.weight_sliders = {}
        for cid, name in rubric.names.items():
            slider = w.FloatSlider(value=0.0, min=0.0, max=POINTS, step=_SLIDER_STEP, description=name,
                                   readout_format=".1f", continuous_update=False, style=style, layout=layout)
            slider.add_class("smmrubric-weight")
            slider.add_class(f"smmrubric-weight-{cid}")
            slider.observe(self._on_weight, names="value")
            self.weight_sliders[cid] = slider
        self.share_slider = w.FloatSlider(value=0.5, min=0.0, max=1.0, step=_SHARE_STEP, description="skill share",
                                          readout_format=".2f", continuous_update=False, style=style, layout=layout)
        self.share_slider.add_class("smmrubric-skill-share")
        self.share_slider.observe(self._on_share, names="value")
        self.preset_menu = w.Dropdown(options=list(self._presets), value=preset, description="preset",
                                      style=style, layout=layout)
        self.preset_menu.add_class("smmrubric-preset")
        self.preset_menu.observe(self._on_preset, names="value")
        self.reset_button = w.Button(description="Reset to preset", icon="undo")
        self.reset_button.on_click(lambda _: self.select_preset(self.preset_menu.value))
        self.filename = w.Text(value="my-rubric.yaml", description="save as", style=style, layout=layout)
        self.save_button = w.Button(description="Save rubric YAML", icon="save")
        self.save_button.add_class("smmrubric-save")
        self.save_button.on_click(lambda _: self._save_clicked())
        self.status = w.HTML()
        self.status.add_class("smmrubric-status")
        self.ranking = w.HTML()
        self.ranking.add_class("smmrubric-ranking")
        self.overlap_text = w.HTML()
        self.overlap_text.add_class("smmrubric-overlap")
        self.chart = w.Image(format="png", layout=w.Layout(width="560px"))
        self.chart.add_class("smmrubric-chart")
        self._draw_chart = bool(chart)

        categories = rubric.categories
        groups = []
        for category in ("skill", "trait"):
            members = [self.weight_sliders[c] for c in self._ids if categories[c] == category]
            if members:
                groups.append(w.VBox([w.HTML(f"<b>{category.capitalize()}s</b>"), *members]))
        controls = w.VBox([self.preset_menu, self.share_slider, w.HBox([self.reset_button]), *groups],
                          layout=w.Layout(min_width="530px", overflow="visible"))
        outputs = w.VBox([self.ranking, self.overlap_text, *([self.chart] if chart else [])])
        self.widget = w.VBox([
            w.HTML(f"<h3>Rubric playground: {html.escape(rubric.name)}</h3>"),
            w.HBox([controls, outputs]),
            w.HBox([self.filename, self.save_button]),
            self.status,
        ])
        self.widget.add_class("smmrubric-playground")
        self.select_preset(preset)

    # -- presets -------------------------------------------------------------------------------------
    def _preset_weights(self, label: str, preset: Any) -> pd.Series:
        check_rubric(preset, "presets", row=str(label))
        unknown = [c for c in preset.competency_ids if c not in set(self._ids)]
        if unknown:
            raise SmmrubricError(f"preset {label!r} has a competency the base rubric lacks", row=unknown[0],
                                 field="presets")
        return preset.weights.reindex(self._ids, fill_value=0.0)

    @property
    def presets(self) -> list[str]:
        """The preset labels, in menu order."""
        return list(self._presets)

    def select_preset(self, label: str) -> None:
        """Load a preset's weights into the sliders and compare with it from now on."""
        check_choice(label, "preset", list(self._presets))
        weights = self._presets[label]
        self.preset_rubric = self._base.with_weights(weights)
        self._preset_table = score(self.preset_rubric, self._scores, rule=self._rule)
        self._syncing = True
        try:
            if self.preset_menu.value != label:
                self.preset_menu.value = label
            for cid, value in (weights * POINTS).items():
                self.weight_sliders[cid].value = float(value)
        finally:
            self._syncing = False
        self._refresh(f"Preset <b>{html.escape(label)}</b> loaded.")

    def _on_preset(self, change: Mapping[str, Any]) -> None:
        if not self._syncing:
            self.select_preset(change["new"])

    # -- changes -------------------------------------------------------------------------------------
    def set_weights(self, weights: Mapping[str, float] | pd.Series) -> None:
        """Set some sliders at once (points, ``{competency_id: value}``), then update the outputs once."""
        if not isinstance(weights, (Mapping, pd.Series)):
            raise SmmrubricError("must be a mapping {competency_id: points}", field="weights")
        items = dict(weights.items())
        for cid, value in items.items():
            if cid not in self.weight_sliders:
                raise SmmrubricError("not a competency of the rubric", row=str(cid), field="weights")
            slider = self.weight_sliders[cid]
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not (
                    slider.min <= float(value) <= slider.max):
                raise SmmrubricError(f"must be a number from {slider.min:g} to {slider.max:g}, got {value!r}",
                                     row=str(cid), field="weights")
        self._syncing = True
        try:
            for cid, value in items.items():
                self.weight_sliders[cid].value = float(value)
        finally:
            self._syncing = False
        self._refresh()

    def points(self) -> pd.Series:
        """The sliders' raw weights (points) by ``competency_id``, in rubric order."""
        return pd.Series([self.weight_sliders[c].value for c in self._ids], index=pd.Index(self._ids,
                         name="competency_id"), name="points", dtype=float)

    def _on_weight(self, change: Mapping[str, Any]) -> None:
        if not self._syncing:
            self._refresh()

    def _on_share(self, change: Mapping[str, Any]) -> None:
        if self._syncing:
            return
        share = float(change["new"])
        if abs(share - self.rubric.category_weights["skill"]) < _SHARE_STEP / 2:
            return  # the slider only snapped the displayed share to its step
        try:
            rescaled = self.rubric.with_category_share(share).weights
        except SmmrubricError as exc:
            self._set_share(float(change["old"]))
            self.status.value = f"<span style='color:#b00020'>Skill share not changed: {html.escape(exc.message)}</span>"
            return
        top = float(rescaled.max())
        total = min(float(self.points().sum()), self.weight_sliders[self._ids[0]].max / top)
        self._syncing = True
        try:
            for cid, value in (rescaled * total).items():
                self.weight_sliders[cid].value = float(value)
        finally:
            self._syncing = False
        self._refresh()

    def _set_share(self, value: float) -> None:
        self._syncing = True
        try:
            self.share_slider.value = value
        finally:
            self._syncing = False

    # -- outputs -------------------------------------------------------------------------------------
    def _refresh(self, message: str = "") -> None:
        points = self.points()
        if not (points > 0).any():
            self.status.value = ("<span style='color:#b00020'>Every weight is 0: move one up to score the "
                                 "candidates (the table shows the last weights).</span>")
            return
        # compute everything first, then update the widgets together, so the browser shows one state
        rubric = self._base.with_weights(points)
        table = score(rubric, self._scores, rule=self._rule)
        preset_rank = self._preset_table["rank"].reindex(table.index)
        table["preset_rank"] = preset_rank
        table["rank_change"] = (preset_rank - table["rank"]).astype("Int64")
        table["moved"] = (table["rank_change"] != 0).fillna(table["rank"].isna() != preset_rank.isna())
        self.rubric, self.table = rubric, table
        self.agreement = self._agreement(table["rank"], preset_rank)
        self.overlap = float(self.agreement["top_k_overlap"])
        png = self._chart_png() if self._draw_chart else None
        self._set_share(float(rubric.category_weights["skill"]))
        self.ranking.value = self._table_html()
        self.overlap_text.value = (
            f"Top-{self.k} overlap with the preset: <b>{self.overlap:.2f}</b> (expected share of the top "
            f"{self.k} also in the preset's top {self.k}, ties at the cut split); Kendall's tau "
            f"{_num(self.agreement['kendall_tau'], 2, 'n/a')}, RBO {_num(self.agreement['rbo'], 2, 'n/a')}.")
        if png is not None:
            self.chart.value = png
        self.status.value = message

    def _agreement(self, rank: pd.Series, preset_rank: pd.Series) -> pd.Series:
        """:func:`smmrubric.sensitivity.ranking_agreement` of the two rankings, compared by rank.

        Ranks, not totals, so that must-have knockouts count; a candidate a hurdle leaves unranked is
        placed after everyone ranked (all such candidates tied).
        """
        unranked = len(rank) + 1
        current = -rank.astype("Float64").fillna(unranked).astype(float)
        preset = -preset_rank.astype("Float64").fillna(unranked).astype(float)
        return ranking_agreement(current, preset, k=self.k)  # all tied: tau and rho NaN, no warning

    def _table_html(self) -> str:
        shown = self.table.head(self.show)
        rows = []
        for cid, row in shown.iterrows():
            change = row["rank_change"]
            if pd.isna(change):
                arrow, color = "new" if pd.isna(row["preset_rank"]) else "out", "#555555"
            elif change > 0:
                arrow, color = f"▲{int(change)}", "#1b7f3b"
            elif change < 0:
                arrow, color = f"▼{-int(change)}", "#b00020"
            else:
                arrow, color = "=", "#555555"
            attrs = " class='smmrubric-moved' style='background:#fff3c4'" if row["moved"] else ""
            cells = [_rank_text(row["rank"]), html.escape(str(cid)), _num(row["total"]),
                     _num(row["skills"]), _num(row["traits"]), _rank_text(row["preset_rank"]),
                     f"<span style='color:{color}'>{arrow}</span>"]
            rows.append(f"<tr{attrs}>" + "".join(f"<td style='{_CELL}'>{c}</td>" for c in cells) + "</tr>")
        header = "".join(f"<th style='{_CELL}'>{h}</th>" for h in ("rank", "candidate", "total", "skills", "traits",
                                                   "preset rank", "change"))
        n_moved = int(self.table["moved"].sum())
        return (f"<b>Ranked candidates</b> (top {len(shown)} of {len(self.table)}; {n_moved} change rank "
                f"against the preset, highlighted)<table style='border-collapse:collapse'><thead><tr>{header}"
                f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def _chart_png(self) -> bytes:
        from .plots.playground import plot_rubric_weights, update_rubric_weights

        label = f"preset: {self.preset_menu.value}"
        if self._figure is None:
            self._figure = plot_rubric_weights(self.rubric, self.preset_rubric, reference_label=label,
                                               title="Weights now (bars) and the preset (ticks)")
            self._figure.tight_layout()  # once: later frames keep this layout (one draw per frame)
        else:
            update_rubric_weights(self._figure, self.rubric, self.preset_rubric, reference_label=label)
        buffer = io.BytesIO()
        with matplotlib.rc_context({"savefig.bbox": "standard"}):  # one draw per frame, layout fixed above
            self._figure.savefig(buffer, format="png", dpi=90)
        return buffer.getvalue()

    # -- saving --------------------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str], *, name: str | None = None) -> Path:
        """Write the current weights as a rubric YAML file (raw points as weights), never overwriting.

        Parameters
        ----------
        path
            The file; relative paths are taken in ``directory``.
        name
            The rubric's name; the file name without ``.yaml`` by default.

        Raises
        ------
        SmmrubricError
            If the file exists (it is left untouched), its folder does not exist, or every weight is 0.
        """
        path = _path(path, "path")
        if not path.is_absolute():
            path = self.directory / path
        if path.suffix not in (".yaml", ".yml"):
            raise SmmrubricError("a rubric file must end in .yaml", file=path, field="path")
        points = self.points()
        rubric = self._base.with_weights(points)
        saved = Rubric(rubric.competencies, name=name if name is not None else path.stem, scale=rubric.scale,
                       description=(f"Weights set in the smmrubric playground (points out of {points.sum():g}), "
                                    f"starting from the preset '{self.preset_menu.value}'."),
                       vocabulary=_vocabulary_of(rubric))
        return saved.to_yaml(path, overwrite=False)

    def _save_clicked(self) -> None:
        try:
            path = self.save(self.filename.value.strip())
        except SmmrubricError as exc:
            self.status.value = f"<span style='color:#b00020'>Not saved: {html.escape(str(exc))}</span>"
            return
        self.status.value = f"Saved the rubric to <code>{html.escape(str(path))}</code>."

    # -- display -------------------------------------------------------------------------------------
    def __repr__(self) -> str:
        return (f"RubricPlayground({self._base.name!r}: {len(self._ids)} weight sliders, {len(self._scores)} "
                f"candidates, {len(self._presets)} presets)")

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)  # stable text (no widget reprs) for nbval
        return bundle


def _rank_text(rank: Any) -> str:
    return "-" if pd.isna(rank) else str(int(rank))


def _num(x: Any, digits: int = 3, missing: str = "") -> str:
    return missing if pd.isna(x) else f"{x:.{digits}f}"
