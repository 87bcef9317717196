"""What the notebooks analyse: a rubric and a pool of candidates, simulated or a researcher's own.

Every notebook takes its inputs from its ``parameters`` cell (``rubric_file``, ``ratings_file``,
``seed``) and calls :func:`load_rubric` and :func:`candidate_pool`, so that a researcher's own ratings
file flows through the same cells as the bundled simulation (``smmrubric reproduce --ratings``). A
relative path in a parameter is found from the project root too (:func:`smmrubric.paths.resolve_user_path`),
so ``ratings_file = "data/examples/ratings_example.csv"`` works in a kernel running in ``notebooks/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from . import simulate
from .paths import data_file, resolve_user_path
from .ratings import aggregate_ratings, read_ratings
from .rubric import Rubric, check_rubric
from .validation import as_rng, check_int

__all__ = ["DEFAULT_SEED", "SIMULATE", "CandidatePool", "Study", "candidate_pool", "load_rubric", "study"]

#: The ``ratings_file`` value that asks for a simulated pool.
SIMULATE = "simulate"


def _validities(rubric: Rubric) -> dict[str, float]:
    """The criterion's validities: per category by default; for a one-category rubric, that category's
    default validity as the composite validity (a skills-only rubric has no traits composite)."""
    present = set(rubric.categories)
    if present == {"skill", "trait"}:
        return {}
    default = simulate.DEFAULT_SKILL_VALIDITY if present == {"skill"} else simulate.DEFAULT_TRAIT_VALIDITY
    return {"validity": default}


def load_rubric(rubric_file: str | os.PathLike[str] | None = None) -> Rubric:
    """Read ``rubric_file`` (a relative path also from the project root), or for None the bundled consensus
    rubric (``data/rubrics/consensus.yaml``)."""
    if rubric_file is None:
        return Rubric.from_yaml(data_file("rubrics/consensus.yaml"))
    return Rubric.from_yaml(resolve_user_path(rubric_file, field="rubric_file"))


@dataclass(frozen=True)
class CandidatePool:
    """Candidates to score: observed mean ratings, and the truth behind them when simulated.

    Attributes
    ----------
    scores : pandas.DataFrame
        Candidates x competencies (rubric order): the mean rating over raters, on the rubric's scale.
    ratings : pandas.DataFrame
        The long ratings table (``candidate_id, rater_id, competency_id, score``).
    n_raters : pandas.DataFrame
        Candidates x competencies: how many ratings each mean averages.
    true_scores : pandas.DataFrame or None
        Simulation only: latent true standings (SD units) on the same competencies.
    performance : pandas.Series or None
        Simulation only: the job-performance criterion (SD units).
    source : str
        ``"simulate"`` or the ratings file's path (absolute).
    notes : tuple of str
        What the ratings reader decided without being told (:attr:`smmrubric.ratings.RatingsTable.notes`),
        empty for a simulated pool.
    """

    scores: pd.DataFrame
    ratings: pd.DataFrame
    n_raters: pd.DataFrame
    true_scores: pd.DataFrame | None
    performance: pd.Series | None
    source: str
    notes: tuple[str, ...] = ()

    @property
    def simulated(self) -> bool:
        """True when the pool was simulated (true scores and performance are known)."""
        return self.true_scores is not None


def candidate_pool(
    rubric: Rubric,
    *,
    ratings_file: str | os.PathLike[str] = SIMULATE,
    seed: int | np.random.Generator,
    n: int = 200,
    raters: int = 3,
    reliability: float = simulate.DEFAULT_RELIABILITY,
    missing: str = "error",
) -> CandidatePool:
    """Return the candidates a notebook analyses.

    With ``ratings_file="simulate"``: ``n`` candidates drawn by :func:`smmrubric.simulate.candidates`
    (default factor model), their performance criterion (:func:`smmrubric.simulate.performance`,
    default validities; for a rubric of one category only, that category's default validity is the
    validity of the true rubric composite), and ``raters`` interview ratings each (:func:`smmrubric.simulate.ratings`,
    single-rating reliability ``reliability``), all from one generator seeded with ``seed``.
    Otherwise the ratings file (CSV, .xlsx or .ods, long or wide; a relative path is also looked up from
    the project root) is read and checked against ``rubric`` by :func:`smmrubric.ratings.read_ratings`:
    competencies the rubric lacks are ignored; the reader's notes (that, an encoding other than UTF-8, a
    decimal comma...) are kept in ``notes`` (:meth:`Study.describe` prints them). ``n``,
    ``raters`` and ``reliability`` are then unused. Either way the ratings are averaged over raters
    (:func:`smmrubric.ratings.aggregate_ratings`, with the ``missing`` policy).
    """
    check_rubric(rubric)
    notes: tuple[str, ...]
    if isinstance(ratings_file, str) and ratings_file == SIMULATE:
        rng = as_rng(seed)
        true = simulate.candidates(rubric, check_int(n, "n", low=2), seed=rng)
        performance = simulate.performance(true, rubric, seed=rng, **_validities(rubric))
        long = simulate.ratings(true, rubric, seed=rng, raters=raters, reliability=reliability)
        source, notes = SIMULATE, ()
    else:
        table = read_ratings(resolve_user_path(ratings_file, field="ratings_file"), rubric)
        long, true, performance, source, notes = table.frame, None, None, table.file, table.notes
    aggregated = aggregate_ratings(long, rubric, missing=missing)
    return CandidatePool(
        scores=aggregated.mean,
        ratings=long,
        n_raters=aggregated.n_raters,
        true_scores=true,
        performance=performance,
        source=source,
        notes=notes,
    )


#: The default seed of the published run (every notebook's parameters cell).
DEFAULT_SEED = 20261121


@dataclass(frozen=True)
class Study:
    """Everything a notebook's setup needs, from its parameters (see :func:`study`).

    Attributes
    ----------
    competencies : pandas.DataFrame
        The vocabulary (:func:`smmrubric.load_competencies`).
    lists : pandas.DataFrame
        The experts' lists (:func:`smmrubric.load_expert_lists`).
    rubric : Rubric
        The rubric the candidates are scored on.
    experts : dict of str to Rubric
        The experts' own rubrics (``data/rubrics/*.yaml`` but the consensus) whose competencies the rubric
        covers, by rubric name.
    published : bool
        The data set is the published one (``data/published.sha256``).
    ratings_file, seed
        The parameters, as given.
    """

    competencies: pd.DataFrame
    lists: pd.DataFrame
    rubric: Rubric
    experts: dict[str, Rubric]
    published: bool
    ratings_file: str | os.PathLike[str]
    seed: int

    @cached_property
    def pool(self) -> CandidatePool:
        """The candidates (:func:`candidate_pool`), drawn or read on first use."""
        return candidate_pool(self.rubric, ratings_file=self.ratings_file, seed=self.seed)

    @property
    def has_split(self) -> bool:
        """The rubric weighs both skills and traits, so its skill / trait split can be varied."""
        return bool((self.rubric.category_weights > 0).all())

    @cached_property
    def split_rubric(self) -> Rubric:
        """The rubric whose skill / trait split the skills-versus-traits study varies: the rubric itself, or, when
        it weighs one category only, the bundled consensus rubric (see :attr:`notes`)."""
        return self.rubric if self.has_split else load_rubric(None)

    @cached_property
    def split_pool(self) -> CandidatePool:
        """The candidates scored on :attr:`split_rubric`: :attr:`pool`, or a simulated pool on the consensus."""
        if self.has_split:
            return self.pool
        return candidate_pool(self.split_rubric, ratings_file=SIMULATE, seed=self.seed)

    @property
    def notes(self) -> list[str]:
        """What a reader must know about these inputs (printed by :meth:`describe`)."""
        notes = []
        if not self.published:
            notes.append(
                "Note: data/ differs from the published data set (data/published.sha256); the findings "
                "below are computed from these data, and tests/findings/ does not check them."
            )
        if not self.has_split:
            only = self.rubric.category_weights.idxmax()
            notes.append(
                f"Note: the rubric {self.rubric.name!r} weighs only {only}s, so it has no skill / trait "
                "split to vary: the skills-versus-traits study (notebook 03, sections 2-5) varies the "
                "split of the bundled consensus rubric, on a simulated pool, instead."
            )
        return notes

    def describe(self, *, candidates: bool = True) -> str:
        """The setup in a few lines: lists, vocabulary, rubric and (if asked) the candidates."""
        skills = int((self.competencies["category"] == "skill").sum())
        lines = [
            *self.notes,
            f"{self.lists['list_id'].nunique()} expert lists, {len(self.lists)} items; {len(self.competencies)} "
            f"competencies ({skills} skills, {len(self.competencies) - skills} traits)",
            f"rubric: {self.rubric.name} ({len(self.rubric)} competencies, skill share "
            f"{self.rubric.category_weights['skill']:.3f}); {len(self.experts)} expert rubrics on its competencies",
        ]
        if candidates:
            pool = self.pool
            source = f"simulated, seed {self.seed}" if pool.simulated else f"ratings from {pool.source}"
            lines.append(f"{len(pool.scores)} candidates ({source})")
            lines += [f"note: {note}" for note in pool.notes]
        return "\n".join(lines)


def study(
    *,
    expert_lists_file: str | os.PathLike[str] | None = None,
    competencies_file: str | os.PathLike[str] | None = None,
    rubric_file: str | os.PathLike[str] | None = None,
    ratings_file: str | os.PathLike[str] = SIMULATE,
    seed: int = DEFAULT_SEED,
) -> Study:
    """Read a notebook's inputs from its parameters: one call for every notebook's setup cell.

    Parameters
    ----------
    expert_lists_file, competencies_file, rubric_file
        None for the bundled files, or paths.
    ratings_file
        ``"simulate"`` or a ratings file (see :func:`candidate_pool`).
    seed
        Seed of every simulation.

    Returns
    -------
    Study
        The loaded, checked inputs; the candidate pool is drawn (or read) when first used.
    """
    from .data import load_competencies, load_expert_lists, published_data

    check_int(seed, "seed", low=0)
    competencies = load_competencies(competencies_file)
    lists = load_expert_lists(expert_lists_file, competencies=competencies)
    rubric = load_rubric(rubric_file)
    experts = {}
    for path in sorted((data_file("rubrics/consensus.yaml").parent).glob("*.yaml")):
        expert = Rubric.from_yaml(path)
        if path.stem != "consensus" and set(expert.competency_ids) <= set(rubric.competency_ids):
            experts[expert.name] = expert
    published = published_data() and expert_lists_file is None and competencies_file is None
    return Study(
        competencies=competencies,
        lists=lists,
        rubric=rubric,
        experts=experts,
        published=published,
        ratings_file=ratings_file,
        seed=seed,
    )
