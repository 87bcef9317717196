"""Notebook 05's analyses of a researcher's ratings, each run where the design allows it, else a stated reason.

Real ratings come in every shape: a panel or separate interviews, a rater who skipped a candidate, one rater per
candidate, a rubric of one competency. Each analysis of :mod:`smmrubric.reliability` needs a particular design
(the intraclass correlations two raters or more per candidate, the G study two competencies or more and a
balanced design, rater severity candidates rated by two raters or more). :func:`reliability_study` runs them
all and keeps, for every one that does not apply, the reason in words (the error message the analysis gives),
so that a notebook shows a neutral note there and runs to the end. Unbalanced ratings are analysed on their
balanced part (``incomplete="drop"``), with a note saying what was left out.

:func:`ratings_source` says which file the notebook reads (the bundled example for ``"simulate"``),
:func:`observed` which assessment stage it analyses (reliability is a property of one stage),
:func:`rating_noise` how rating uncertainty enters SMAA, :func:`what_if` simulates pools at the estimated
reliability.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from . import reliability as rel
from . import simulate
from .errors import SmmrubricError
from .inputs import SIMULATE
from .paths import data_file, project_root
from .rating_design import RatingDesign, rating_design
from .ratings import aggregate_ratings
from .sensitivity.rating_uncertainty import RankIntervals, g_study_noise, rater_resampler
from .sensitivity.samplers import ScoreSampler
from .sensitivity.shortlist_recovery import ShortlistRecovery, shortlist_recovery
from .sensitivity.smaa import SMAAResult
from .validation import check_int, check_probability

if TYPE_CHECKING:
    from .rubric import Rubric

__all__ = [
    "D_STUDY_RATERS",
    "EXAMPLE_RATINGS",
    "REFERENCE_RELIABILITIES",
    "YOUR_RATERS",
    "Observed",
    "ReliabilityStudy",
    "display_path",
    "observed",
    "ranking_table",
    "rating_noise",
    "ratings_source",
    "reliability_study",
    "what_if",
]

#: The bundled example a notebook analyses when ``ratings_file = "simulate"`` (relative to ``data/``).
EXAMPLE_RATINGS = "examples/ratings_example.csv"
#: Numbers of raters the D study tabulates (with the G study's own and the number needed for the target).
D_STUDY_RATERS = (1, 2, 3, 4, 5, 6, 8, 10)
#: Single-rating reliabilities of interviews (Huffcutt, Culbertson & Weyhrauch 2013), the what-if's references.
REFERENCE_RELIABILITIES = {"separate interviews": 0.44, "panel interviews": 0.74}
#: The what-if's label of the reliability estimated from the ratings.
YOUR_RATERS = "your raters"
#: Raters in the simulated rater pool of a nested what-if (each candidate meets raters nobody else meets).
NESTED_RATER_POOL = 100_000

T = TypeVar("T")


def ratings_source(ratings_file: str | os.PathLike[str]) -> str | os.PathLike[str]:
    """The ratings a notebook on real ratings reads: the bundled example for ``"simulate"``, else the file given.

    The example (``data/examples/ratings_example.csv``) holds 12 synthetic candidates rated by a panel of 3 on the
    30 competencies of the consensus rubric; ``smmrubric reproduce --ratings FILE`` gives a researcher's own.
    """
    if isinstance(ratings_file, str) and ratings_file == SIMULATE:
        return data_file(EXAMPLE_RATINGS)
    return ratings_file


@dataclass(frozen=True)
class Observed:
    """The ratings of one assessment stage and the mean scores the analyses rank (see :func:`observed`).

    Attributes
    ----------
    ratings : pandas.DataFrame
        The long ratings of the stage analysed.
    scores : pandas.DataFrame
        Candidates x rubric competencies, the mean rating over raters (:func:`smmrubric.aggregate_ratings`).
    n_raters : pandas.DataFrame
        Candidates x competencies, the number of ratings behind each mean.
    stage : str or None
        The stage analysed (None when the ratings have no stages, or one).
    note : str
        What was chosen without being asked ("" if nothing).
    """

    ratings: pd.DataFrame
    scores: pd.DataFrame
    n_raters: pd.DataFrame
    stage: str | None
    note: str = ""


def observed(pool: Any, rubric: Rubric, *, stage: str | None = None) -> Observed:
    """The ratings a notebook on real ratings analyses: one assessment stage, as reliability is estimated per stage.

    Without a ``stage`` column, or with one stage, the pool's ratings and mean scores as they are. With several
    stages, ``stage`` picks one; None picks the stage with the most ratings (ties: the first in the file), with a
    note; the mean scores are then recomputed from that stage's ratings (every rubric competency must be rated at
    that stage).

    Parameters
    ----------
    pool
        A :class:`smmrubric.inputs.CandidatePool` (``ratings``, ``scores``, ``n_raters``).
    rubric
        The rubric of the pool.
    stage
        The stage to analyse, or None.

    Raises
    ------
    SmmrubricError
        ``stage`` given but not in the ratings; a stage that leaves rubric competencies unrated.
    """
    ratings = pool.ratings
    stages = list(pd.unique(ratings["stage"].astype(str))) if "stage" in ratings.columns else []
    if stage is not None and stage not in stages:
        raise SmmrubricError(
            f"no ratings at stage {stage!r}; the ratings' stages are {stages or 'none'}", field="stage"
        )
    if len(stages) <= 1 and stage is None:
        return Observed(ratings, pool.scores, pool.n_raters, stages[0] if stages else None)
    note = ""
    if stage is None:
        counts = ratings["stage"].astype(str).value_counts()
        stage = next(s for s in stages if counts[s] == counts.max())
        note = (
            f"The ratings hold {len(stages)} assessment stages ({', '.join(stages)}); reliability is a property "
            f"of one stage, so this notebook analyses {stage!r}, the one with the most ratings (set `stage` to "
            "choose another)."
        )
    chosen = ratings[ratings["stage"].astype(str) == stage]
    aggregated = aggregate_ratings(chosen, rubric)
    return Observed(chosen, aggregated.mean, aggregated.n_raters, stage, note)


def display_path(path: str | os.PathLike[str]) -> str:
    """A file's path as a notebook prints it: relative to the project root when inside it, else as given."""
    given = Path(path)
    root = project_root()
    if root is not None and given.is_absolute():
        try:
            return given.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


@dataclass(frozen=True)
class ReliabilityStudy:
    """Everything :func:`reliability_study` computed; an analysis that does not apply is an empty table (``g``:
    None), with the reason in ``notes``.

    Attributes
    ----------
    design : RatingDesign
        The design (:func:`smmrubric.rating_design.rating_design`).
    icc : pandas.DataFrame
        :func:`smmrubric.reliability.icc`, overall and per competency.
    g : GStudy or None
        :func:`smmrubric.reliability.g_study`.
    d : pandas.DataFrame
        :func:`smmrubric.reliability.d_study` at the G study's competencies, columns ``(competencies, coefficient)``
        with ``competencies`` ``"fixed"`` (this rubric's competencies are the universe) and ``"random"`` (a
        sample of competencies) and ``coefficient`` ``g`` (E rho^2) and ``phi``; rows by number of raters.
    needed : pandas.DataFrame
        :func:`smmrubric.reliability.raters_needed` for ``target``, rows ``(competencies, coefficient)``.
    severity : pandas.DataFrame
        :func:`smmrubric.reliability.rater_severity`.
    alpha : pandas.DataFrame
        :func:`smmrubric.reliability.krippendorff_alpha`.
    target : float
        The reliability the D study asks raters for.
    notes : dict of str to str
        By analysis (``"icc"``, ``"g"``, ``"severity"``, ``"alpha"``): why it was not computed, or what was left
        out of it.
    """

    design: RatingDesign
    icc: pd.DataFrame
    g: rel.GStudy | None
    d: pd.DataFrame
    needed: pd.DataFrame
    severity: pd.DataFrame
    alpha: pd.DataFrame
    target: float
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def components(self) -> pd.DataFrame:
        """The G study's variance components (:attr:`smmrubric.reliability.GStudy.components`); empty without."""
        return (
            self.g.components
            if self.g is not None
            else pd.DataFrame(
                columns=["variance", "estimate", "negative", "share"], index=pd.Index([], name="component")
            )
        )

    def overall_icc(self) -> pd.DataFrame:
        """The ICC table of the overall matrix (each rater's mean over the competencies); empty without ICCs."""
        return self.icc.loc[rel.OVERALL] if not self.icc.empty else self.icc

    def icc_by_competency(self, form: str = "ICC(2,1)") -> pd.DataFrame:
        """One ICC form per competency (``icc``, ``lower``, ``upper``, ``n_candidates``, ``n_raters``); the
        design's single-rater form by default (``ICC(1,1)`` when nested); empty without ICCs."""
        columns = ["icc", "lower", "upper", "n_candidates", "n_raters"]
        if self.icc.empty:
            return pd.DataFrame(columns=columns, index=pd.Index([], name="competency_id"))
        if self.icc["design"].iloc[0] == "nested" and form != "ICC(1,1)" and form.startswith(("ICC(2", "ICC(3")):
            form = "ICC(1,1)"
        table = self.icc.xs(form, level="form").drop(index=rel.OVERALL, errors="ignore")
        return table[columns]


def _empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def _attempt(notes: dict[str, str], key: str, compute: Callable[[], T]) -> T | None:
    """``compute()``, or None with the reason in ``notes[key]``; a warning (what ``incomplete="drop"`` left
    out) becomes the note."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = compute()
        except SmmrubricError as exc:
            notes[key] = exc.message.removeprefix("overall: ").removeprefix("g_study: ")
            return None
    left_out = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    if left_out:
        notes[key] = " ".join(left_out)
    return value


def _d_tables(g: rel.GStudy, target: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    needed = pd.concat(
        {
            label: rel.raters_needed(g, target, fixed_competencies=fixed)
            for label, fixed in (("fixed", True), ("random", False))
        },
        names=["competencies"],
    )
    extra = [int(n) for n in needed["raters"].dropna()]
    raters = sorted({*D_STUDY_RATERS, g.sizes["r"], *extra})
    tables = {
        label: rel.d_study(g, raters=raters, fixed_competencies=fixed)[["g", "phi"]]
        for label, fixed in (("fixed", True), ("random", False))
    }
    d = pd.concat(tables, axis=1, names=["competencies", "coefficient"]).droplevel("competencies", axis=0)
    return d, needed


def reliability_study(ratings: Any, *, target: float = 0.80, confidence: float = 0.95) -> ReliabilityStudy:
    """ICC, G and D study, rater severity and Krippendorff's alpha of a ratings table, each where it applies.

    Parameters
    ----------
    ratings
        Long ratings table (one stage).
    target
        Reliability the D study finds the number of raters for; default .80.
    confidence
        Level of the ICC and severity intervals; default .95.

    Returns
    -------
    ReliabilityStudy
        Analyses that do not apply are None, with the reason in ``notes``.

    Raises
    ------
    SmmrubricError
        A bad ratings table (the checks of :func:`smmrubric.ratings.validate_ratings`), bad options.
    """
    goal = check_probability(target, "target", open_ends=True)
    level = check_probability(confidence, "confidence", open_ends=True)
    design = rating_design(ratings)
    notes: dict[str, str] = {}
    icc = _attempt(notes, "icc", lambda: rel.icc(ratings, incomplete="drop", confidence=level))
    g = _attempt(notes, "g", lambda: rel.g_study(ratings, incomplete="drop"))
    d, needed = _d_tables(g, goal) if g is not None else (_empty("g", "phi"), _empty("raters", "limit"))
    severity = _attempt(notes, "severity", lambda: rel.rater_severity(ratings, confidence=level))
    alpha = _attempt(notes, "alpha", lambda: rel.krippendorff_alpha(ratings))
    return ReliabilityStudy(
        design=design,
        icc=icc if icc is not None else _empty("icc", "lower", "upper", "design"),
        g=g,
        d=d,
        needed=needed,
        severity=severity if severity is not None else _empty("deviation", "lower", "upper", "flagged"),
        alpha=alpha if alpha is not None else _empty("interval", "ordinal", "n_units", "n_pairable"),
        target=goal,
        notes=notes,
    )


def rating_noise(
    scores: pd.DataFrame, ratings: Any, study: ReliabilityStudy, *, n_raters: pd.DataFrame | None = None
) -> tuple[ScoreSampler | None, str]:
    """How rating uncertainty enters SMAA: the G study's error variances where there is a G study
    (:func:`smmrubric.sensitivity.g_study_noise`), else a bootstrap over raters
    (:func:`smmrubric.sensitivity.rater_resampler`); none with one rater per candidate (nothing to resample).

    Parameters
    ----------
    scores
        Candidates x competencies mean scores (the pool's).
    ratings
        The long ratings they average.
    study
        The :class:`ReliabilityStudy` of the same ratings.
    n_raters
        Candidates x competencies numbers of raters behind each mean (the pool's ``n_raters``); default the G
        study's raters per candidate.

    Returns
    -------
    (ScoreSampler or None, str)
        The sampler (its candidates and competencies in the order of ``scores``; None for one rater per
        candidate: SMAA then varies the weights only) and one phrase saying what it draws.
    """
    if study.design.kind == "single rater":
        return None, (
            "no rating error (with one rater per candidate the ratings cannot say how far other raters would move them)"
        )
    if study.g is not None:
        sampler = g_study_noise(scores, study.g, raters=n_raters)
        parts = "s2(pr) and s2(pri,e)" if study.g.design == "crossed" else "s2(r:p) and s2(ri:p,e)"
        return sampler, (
            f"normal rating error with the G study's relative error variances ({parts}, divided by "
            "the number of raters behind each mean)"
        )
    sampler = rater_resampler(ratings, competencies=list(scores.columns))
    draws = _ReorderedSampler(sampler, scores)
    how = "the panel as a whole" if sampler.kind == "panel_bootstrap" else "each candidate's raters"
    return draws, f"a bootstrap over raters (resampling {how}), as no G study could be estimated"


class _ReorderedSampler(ScoreSampler):
    """A score sampler's draws with candidates and competencies in the order of a score table."""

    def __init__(self, inner: ScoreSampler, scores: pd.DataFrame) -> None:
        super().__init__(scores.index, scores.columns)
        self.kind = inner.kind
        self._inner = inner
        self._rows = pd.Index([str(c) for c in inner.candidate_ids]).get_indexer([str(c) for c in scores.index])
        self._cols = pd.Index(inner.competency_ids).get_indexer([str(c) for c in scores.columns])
        if (self._rows < 0).any() or (self._cols < 0).any():
            raise SmmrubricError("the ratings do not cover the candidates and competencies of scores", field="ratings")

    def sample(self, size: int, seed: Any) -> Any:
        return self._inner.sample(size, seed)[:, self._rows][:, :, self._cols]


def _category_gap(rubric: Rubric, mean_intercorrelation: float) -> tuple[float, str]:
    """The simulator's skills/traits gap (:data:`smmrubric.simulate.DEFAULT_CATEGORY_GAP`, an assumption the G
    study says nothing about), lowered where the estimated mean intercorrelation leaves no room for it: with ``W``
    within-category and ``B`` between-category pairs of competencies, the between-category correlation
    ``rbar - gap W / (W + B)`` must be >= 0 and the within-category one ``rbar + gap B / (W + B)`` <= 1."""
    categories = rubric.categories.to_numpy()
    n_s = int((categories == "skill").sum())
    n_t = len(categories) - n_s
    within, between = n_s * (n_s - 1) // 2 + n_t * (n_t - 1) // 2, n_s * n_t
    gap = simulate.DEFAULT_CATEGORY_GAP
    if between == 0 or within == 0:
        return gap, ""
    room = min(
        mean_intercorrelation * (within + between) / within,
        (1.0 - mean_intercorrelation) * (within + between) / between,
    )
    if room >= gap:
        return gap, ""
    return max(room, 0.0), (
        f"The simulator's skills/traits gap ({gap:.2f}) is lowered to {max(room, 0.0):.2f} so "
        f"that the estimated mean intercorrelation ({mean_intercorrelation:.2f}) can be "
        "simulated."
    )


def what_if(
    rubric: Rubric, study: ReliabilityStudy, *, k: int, n: int = 200, n_pools: int = 200, seed: Any
) -> tuple[ShortlistRecovery, str]:
    """Pools simulated at the reliability the G study estimated, beside the interview references .44 and .74.

    The simulator's parameters come from :func:`smmrubric.reliability.simulation_parameters` (reliability,
    leniency and halo shares, the competencies' mean intercorrelation, the raters per candidate); a crossed G
    study simulates a panel, a nested one separate interviews (a large rater pool). The reference reliabilities
    (:data:`REFERENCE_RELIABILITIES`) use the same shares and pools. Without a usable G study only the references
    are simulated, with the simulator's default shares and three raters.

    Returns
    -------
    (ShortlistRecovery, str)
        :func:`smmrubric.sensitivity.shortlist_recovery`'s result and a note ("" when the G study was used and
        ``k < n``; with ``k >= n`` pools of ``2 k`` candidates are simulated instead, and the note says so).
    """
    k = check_int(k, "k", low=1)
    n = check_int(n, "n", low=2)
    note = ""
    if k >= n:
        note = f"The shortlist (k = {k}) is as large as the pools asked for ({n}): pools of {2 * k} are simulated."
        n = 2 * k
    levels = dict(REFERENCE_RELIABILITIES)
    kwargs: dict[str, Any] = {}
    g = study.g
    params = _attempt({}, "what_if", lambda: rel.simulation_parameters(g)) if g is not None else None
    if g is not None and params is not None:
        levels = {YOUR_RATERS: params["reliability"], **levels}
        gap, gap_note = _category_gap(rubric, params["mean_intercorrelation"])
        note = " ".join([note, gap_note]).strip()
        kwargs = {
            "raters": int(params["raters"]),
            "leniency_share": params["leniency_share"],
            "halo_share": params["halo_share"],
            "mean_intercorrelation": params["mean_intercorrelation"],
            "category_gap": gap,
            "rater_pool": None if g.design == "crossed" else NESTED_RATER_POOL,
        }
    else:
        note = " ".join(
            [
                note,
                "No G study of these ratings, so no reliability was estimated: only the reference "
                "reliabilities are simulated, with the simulator's default rater effects and three "
                "raters.",
            ]
        ).strip()
        kwargs = {"mean_intercorrelation": simulate.DEFAULT_MEAN_INTERCORRELATION}
    recovery = shortlist_recovery(rubric, levels, n=n, k=k, n_pools=n_pools, seed=seed, **kwargs)
    return recovery, note


def ranking_table(
    intervals: RankIntervals, smaa_result: SMAAResult | None = None, k: int | None = None
) -> pd.DataFrame:
    """The ranking with its uncertainty, one row per candidate in the order of the point ranking: the rank
    intervals of :func:`smmrubric.sensitivity.bootstrap_ranks` and, with an SMAA result, each candidate's
    first-rank acceptability (``first``) and, for ``k`` below the number of candidates, the probability of being in
    the top ``k`` (``top_<k>``)."""
    table = intervals.table[["total", "rank", "lower", "median", "upper"]].copy()
    if smaa_result is not None:
        table["first"] = smaa_result.first_rank.reindex(table.index)
        if k is not None and check_int(k, "k", low=1) < len(table):
            table[f"top_{k}"] = smaa_result.top_k(k).reindex(table.index)
    return table
