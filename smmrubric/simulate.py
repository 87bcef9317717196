"""Simulated candidates, interview ratings and on-the-job growth, calibrated to selection research.

Researchers have no shareable candidate data, so the studies run on simulated pools whose assumptions
are visible parameters. Four steps, each a function:

1. :func:`candidates` draws every candidate's latent *true standing* on every competency from a
   factor model (a general factor, a skills factor, a traits factor and a unique part), in standard
   deviation units of the applicant population; :func:`implied_correlation` and
   :func:`factor_loadings` show the model the parameters imply.
2. :func:`performance` builds a job-performance criterion from the true standings, with a chosen
   correlation with the true rubric composite, or chosen correlations with the skills composite and
   the traits composite separately; :func:`performance_weights` shows the weights it uses.
3. :func:`ratings` simulates interviewers: true standing + rater leniency + halo + error, with the
   error set so a single rating has the chosen reliability, then cut into the rubric's rating scale.
   The output is the long table ``candidate_id, rater_id, competency_id, score`` that
   ``smmrubric.load_ratings`` reads, so simulated and real ratings flow through the same code;
   :func:`rating_variance` shows the variance components.
4. :func:`develop` moves true standings forward in time: skills grow, traits stay (by default) put.

:func:`correlation_summary` and :func:`rating_distribution` summarise a simulated pool for the data
tour: realised against implied correlations by category pair, and the share of ratings at each level.

Every function takes either a :class:`smmrubric.Rubric` or, for use without one, a plain
``pandas.Series`` indexed by ``competency_id`` with values ``'skill'`` or ``'trait'`` (weights then
equal, rating scale 1-5), or a competency table from :func:`smmrubric.load_competencies` (its
``category`` column is used the same way).

Sources of the defaults
-----------------------
- Operational validities (Sackett, Zhang, Berry & Lievens 2022, "Revisiting meta-analytic estimates
  of validity in personnel selection", *Journal of Applied Psychology* 107(11), 2040-2068, Table 1):
  structured interviews .42, job knowledge tests .40, work samples .33, conscientiousness .19.
- Interview reliability (Huffcutt, Culbertson & Weyhrauch 2013, "Employment interview reliability:
  new meta-analytic estimates by structure and format", *International Journal of Selection and
  Assessment* 21(3), 264-276): mean interrater reliability .44 for separate interviews by different
  interviewers and .74 for panel interviews.
- Rater bias (Hoyt & Kerns 1999, "Magnitude and moderators of bias in observer ratings: a
  meta-analysis", *Psychological Methods* 4(4), 403-424): on average 37% of the variance of observer
  ratings is rater bias, from raters' differing use of the scale (leniency) and their differing
  evaluations of the same target (rater-by-target variance, of which halo is the part shared across
  the attributes rated).
- Training effects (Arthur, Bennett, Edens & Bell 2003, "Effectiveness of training in organizations:
  a meta-analysis of design and evaluation features", *Journal of Applied Psychology* 88(2),
  234-245): d about .6 on learning and behaviour criteria.
- Personality change (Roberts, Luo, Briley, Chow, Su & Hill 2017, "A systematic review of personality
  trait change through intervention", *Psychological Bulletin* 143(2), 117-141): d = .37 over a
  median of about 24 weeks of intervention; without an intervention mean-level change in adulthood is
  a small fraction of an SD per decade (Roberts, Walton & Viechtbauer 2006, *Psychological Bulletin*
  132(1), 1-25), so the default trait gain is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr

from .errors import SmmrubricError
from .validation import as_rng, check_int, check_number, check_probability, check_unique

__all__ = [
    "DEFAULT_CATEGORY_GAP",
    "DEFAULT_HALO_SHARE",
    "DEFAULT_LENIENCY_SHARE",
    "DEFAULT_MEAN_INTERCORRELATION",
    "DEFAULT_RELIABILITY",
    "DEFAULT_SKILL_GAIN",
    "DEFAULT_SKILL_VALIDITY",
    "DEFAULT_TRAIT_GAIN",
    "DEFAULT_TRAIT_VALIDITY",
    "HOYT_KERNS_BIAS_SHARE",
    "MAX_RATER_POOL",
    "candidates",
    "correlation_summary",
    "default_thresholds",
    "develop",
    "factor_loadings",
    "implied_correlation",
    "performance",
    "performance_weights",
    "rating_distribution",
    "rating_variance",
    "ratings",
]

#: Mean correlation between the true standings on two different competencies (issue 4: "around .3").
DEFAULT_MEAN_INTERCORRELATION = 0.3
#: Within-category minus between-category correlation. An assumption, not a meta-analytic estimate:
#: abilities and learned skills overlap only modestly with personality (Ackerman & Heggestad 1997,
#: *Psychological Bulletin* 121(2); Stanek & Ones 2023, *PNAS* 120(23)), so skills are taken to
#: correlate more with skills, and traits with traits, than skills with traits.
DEFAULT_CATEGORY_GAP = 0.15
#: Correlation of performance with the standardised skills composite: job knowledge tests, .40
#: (Sackett et al. 2022).
DEFAULT_SKILL_VALIDITY = 0.40
#: Correlation of performance with the standardised traits composite: conscientiousness, .19
#: (Sackett et al. 2022).
DEFAULT_TRAIT_VALIDITY = 0.19
#: Reliability of one rating by one interviewer: separate interviews, .44 (Huffcutt et al. 2013).
DEFAULT_RELIABILITY = 0.44
#: Share of rating variance that is rater bias (leniency plus rater-by-candidate), Hoyt & Kerns (1999).
HOYT_KERNS_BIAS_SHARE = 0.37
#: Shares of a rating's non-true variance that are leniency and halo. At the default reliability .44
#: the non-true part is .56 of a rating's variance; Hoyt & Kerns' 37% bias is .37 / .56 = .661 of it,
#: split equally here between leniency and halo (the split is an assumption): .330 each, leaving
#: .56 - .37 = .19 of a rating's variance to random error.
DEFAULT_LENIENCY_SHARE = HOYT_KERNS_BIAS_SHARE / (1 - DEFAULT_RELIABILITY) / 2
DEFAULT_HALO_SHARE = DEFAULT_LENIENCY_SHARE
#: Skill growth in SD per year: one training programme's effect, d about .6 (Arthur et al. 2003).
DEFAULT_SKILL_GAIN = 0.6
#: Trait change in SD per year without an intervention: about 0 (Roberts et al. 2006). Under an
#: intervention Roberts et al. (2017) report d = .37 over about 24 weeks.
DEFAULT_TRAIT_GAIN = 0.0

#: Largest rater pool :func:`ratings` accepts: every pool member gets a leniency draw, so a pool of
#: billions would exhaust memory before any rating is made; a million raters is already "drawn at random".
MAX_RATER_POOL = 1_000_000

_CATEGORIES = ("skill", "trait")
_DEFAULT_LEVELS = (1, 2, 3, 4, 5)


# --------------------------------------------------------------------------------------------
# what the functions need from a rubric


@dataclass(frozen=True)
class _Spec:
    """The parts of a rubric the simulation uses, as numpy arrays in rubric order."""

    ids: list[str]
    is_skill: np.ndarray  # bool, per competency
    weights: np.ndarray  # sums to 1
    levels: np.ndarray  # rating scale levels, ascending

    @property
    def k(self) -> int:
        return len(self.ids)

    def category_weights(self, category: str) -> np.ndarray:
        """The rubric's weights inside one category, normalised to sum 1 (equal if they are all 0)."""
        mask = self.is_skill if category == "skill" else ~self.is_skill
        w = np.where(mask, self.weights, 0.0)
        if w.sum() <= 0:
            w = mask.astype(float)
        return w / w.sum()


def _spec(rubric: Any, field: str = "rubric") -> _Spec:
    """Read ids, categories, weights and scale from a Rubric, a category Series or a competency table."""
    if isinstance(rubric, pd.DataFrame):
        if "category" not in rubric.columns:
            raise SmmrubricError("a competency table needs a 'category' column", field=field)
        rubric = rubric["category"]
    if isinstance(rubric, pd.Series):
        categories, weights, levels = rubric, None, np.array(_DEFAULT_LEVELS)
    elif all(hasattr(rubric, a) for a in ("categories", "weights", "scale", "competency_ids")):
        ids = list(rubric.competency_ids)
        categories = rubric.categories.reindex(ids)
        weights = rubric.weights.reindex(ids).to_numpy(dtype=float)
        levels = np.asarray(rubric.scale.levels, dtype=int)
    else:
        raise SmmrubricError(
            "must be a smmrubric.Rubric, a Series of categories indexed by competency_id, or a "
            f"competency table with a 'category' column; got {type(rubric).__name__}", field=field)
    if len(categories) == 0:
        raise SmmrubricError("has no competencies", field=field)
    check_unique(categories.index, f"{field} competency_id")
    for cid, cat in categories.items():
        if not isinstance(cid, str):
            raise SmmrubricError(f"competency ids must be strings, got {cid!r}", row=str(cid), field=field)
        if cat not in _CATEGORIES:
            raise SmmrubricError(f"category must be 'skill' or 'trait', got {cat!r}", row=cid, field=field)
    k = len(categories)
    if weights is None:
        weights = np.full(k, 1.0 / k)
    if levels.ndim != 1 or levels.size == 0 or np.any(np.diff(levels) <= 0):
        raise SmmrubricError(f"the rating scale levels must be increasing, got {list(levels)}", field=field)
    return _Spec(list(categories.index), categories.to_numpy() == "skill", weights, levels)


def _true_matrix(true_scores: Any, spec: _Spec, field: str = "true_scores") -> np.ndarray:
    """The rubric's columns of a candidates x competencies frame as a float array, checked."""
    if not isinstance(true_scores, pd.DataFrame):
        raise SmmrubricError(
            f"must be a DataFrame (candidates x competencies), got {type(true_scores).__name__}", field=field)
    if len(true_scores) == 0:
        raise SmmrubricError("has no candidates", field=field)
    if not true_scores.index.is_unique:
        check_unique(true_scores.index, f"{field} candidate_id")
    index = true_scores.index
    # ids are written as text in the ratings table: none missing or empty, and 1 and "1" not both
    text_ids = index if pd.api.types.is_string_dtype(index) else index.astype(str)
    if index.hasnans or "" in text_ids:
        raise SmmrubricError("a candidate id (the index) is missing or empty", field=f"{field} candidate_id")
    if text_ids is not index and not text_ids.is_unique:
        check_unique(text_ids, f"{field} candidate_id (as text)")
    missing = [c for c in spec.ids if c not in true_scores.columns]
    if missing:
        raise SmmrubricError(f"has no column for competency {missing[0]!r} of the rubric", field=field)
    repeated = [] if true_scores.columns.is_unique else [
        c for c in spec.ids if int((true_scores.columns == c).sum()) > 1]
    if repeated:
        raise SmmrubricError(f"has two columns for competency {repeated[0]!r}", field=field)
    block = true_scores[spec.ids]
    try:
        values = block.to_numpy(dtype=float)
    except (TypeError, ValueError):
        values = block.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise SmmrubricError(f"must be a finite number, got {block.iat[i, j]!r}",
                             row=str(true_scores.index[i]), field=spec.ids[j])
    return values


def _ids(prefix: str, n: int, width: int) -> list[str]:
    width = max(width, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


# --------------------------------------------------------------------------------------------
# candidates: the factor model


def _pair_counts(is_skill: np.ndarray) -> tuple[int, int]:
    """(within-category pairs, between-category pairs) of distinct competencies."""
    n_s = int(is_skill.sum())
    n_t = is_skill.size - n_s
    return n_s * (n_s - 1) // 2 + n_t * (n_t - 1) // 2, n_s * n_t


def _loadings(spec: _Spec, mean_intercorrelation: Any, category_gap: Any) -> tuple[float, float]:
    """Squared general and group loadings (r_between, gap) for the requested mean and gap."""
    rbar = check_number(mean_intercorrelation, "mean_intercorrelation", low=0.0, high=1.0)
    gap = check_number(category_gap, "category_gap", low=0.0, high=1.0)
    within, between = _pair_counts(spec.is_skill)
    if between == 0:
        # one category only: the group factor cannot be told from the general one
        return rbar, 0.0
    r_between = rbar - gap * within / (within + between)
    if r_between < 0:
        raise SmmrubricError(
            f"category_gap {gap} is too large for mean_intercorrelation {rbar} with {within} within-category "
            f"and {between} between-category pairs: skills-with-traits correlation would be {r_between:.4f} < 0",
            field="category_gap")
    if r_between + gap > 1:
        raise SmmrubricError(
            f"within-category correlation would be {r_between + gap:.4f} > 1; lower mean_intercorrelation "
            "or category_gap", field="category_gap")
    return r_between, gap


def factor_loadings(
    rubric_or_competencies: Any,
    *,
    mean_intercorrelation: float = DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = DEFAULT_CATEGORY_GAP,
) -> pd.DataFrame:
    """Loadings of the factor model behind :func:`candidates`.

    The true standing of a candidate on competency ``j`` of category ``c(j)`` is

    ``z_j = a * G + b * F_c(j) + u * E_j``,   ``G, F_skill, F_trait, E_j`` independent N(0, 1),

    with ``a = sqrt(r_b)``, ``b = sqrt(gap)``, ``u = sqrt(1 - r_b - gap)``, so every ``z_j`` has
    variance 1, two competencies of the same category correlate ``r_w = r_b + gap`` and a skill and
    a trait correlate ``r_b``. With ``P_w`` within-category and ``P_b`` between-category pairs, the
    mean intercorrelation over all ``P = P_w + P_b`` pairs is ``r_bar = r_b + gap * P_w / P``, so

    ``r_b = r_bar - gap * P_w / P``.

    The parameters are valid when ``r_b >= 0`` and ``r_w <= 1``. If the rubric has only one
    category the gap is not identified: ``r_b = r_bar`` and the group loading is 0.

    Parameters
    ----------
    rubric_or_competencies
        A Rubric, a Series of categories indexed by competency_id, or a competency table.
    mean_intercorrelation
        ``r_bar`` in [0, 1]; default .3 (issue 4).
    category_gap
        ``gap = r_w - r_b`` in [0, 1]; default .15, an assumption (see
        :data:`DEFAULT_CATEGORY_GAP`).

    Returns
    -------
    pandas.DataFrame
        Indexed by competency_id: ``category``, ``general`` (a), ``group`` (b), ``unique`` (u).

    Raises
    ------
    SmmrubricError
        A parameter outside its range, or a combination giving a negative between-category or a
        within-category correlation above 1.
    """
    spec = _spec(rubric_or_competencies, "rubric_or_competencies")
    r_between, gap = _loadings(spec, mean_intercorrelation, category_gap)
    out = pd.DataFrame({
        "category": np.where(spec.is_skill, "skill", "trait"),
        "general": np.sqrt(r_between),
        "group": np.sqrt(gap),
        "unique": np.sqrt(max(0.0, 1.0 - r_between - gap)),
    }, index=pd.Index(spec.ids, name="competency_id"))
    return out


def _correlation(spec: _Spec, r_between: float, gap: float) -> np.ndarray:
    same = spec.is_skill[:, None] == spec.is_skill[None, :]
    corr = r_between + gap * same
    np.fill_diagonal(corr, 1.0)
    return corr


def implied_correlation(
    rubric_or_competencies: Any,
    *,
    mean_intercorrelation: float = DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = DEFAULT_CATEGORY_GAP,
) -> pd.DataFrame:
    """Population correlation matrix of the true standings drawn by :func:`candidates`.

    ``R_jk = 1`` if ``j = k``; ``r_b + gap`` if ``j`` and ``k`` share a category; ``r_b``
    otherwise (``r_b`` as in :func:`factor_loadings`). The matrix is checked to be positive
    semi-definite with a unit diagonal.

    Returns
    -------
    pandas.DataFrame
        Competencies x competencies, labelled by competency_id, in rubric order.

    Raises
    ------
    SmmrubricError
        Parameters out of range or giving an invalid matrix (see :func:`factor_loadings`).
    """
    spec = _spec(rubric_or_competencies, "rubric_or_competencies")
    corr = _correlation(spec, *_loadings(spec, mean_intercorrelation, category_gap))
    smallest = float(np.linalg.eigvalsh(corr)[0]) if spec.k > 1 else 1.0
    if smallest < -1e-10 or not np.allclose(np.diag(corr), 1.0):
        raise SmmrubricError(f"is not a correlation matrix (smallest eigenvalue {smallest:.3g})",
                             field="mean_intercorrelation")
    index = pd.Index(spec.ids, name="competency_id")
    return pd.DataFrame(corr, index=index, columns=index.rename(None))


def candidates(
    rubric_or_competencies: Any,
    n: int,
    *,
    seed: int | np.random.Generator,
    mean_intercorrelation: float = DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = DEFAULT_CATEGORY_GAP,
) -> pd.DataFrame:
    """Draw ``n`` candidates' true standings on every competency.

    ``z_ij = a * G_i + b * F_i,c(j) + u * E_ij`` (see :func:`factor_loadings`): standard normal
    standings in SD units of the applicant population, with correlation matrix
    :func:`implied_correlation` - by default a mean intercorrelation of .3, skills correlating .15
    more with skills (and traits with traits) than skills with traits.

    Parameters
    ----------
    rubric_or_competencies
        A Rubric, a Series of categories indexed by competency_id, or a competency table (to draw
        standings on the whole vocabulary and rate them later on several rubrics).
    n
        Number of candidates, >= 1.
    seed
        An int or a numpy Generator.
    mean_intercorrelation, category_gap
        The factor model's parameters; defaults .3 (issue 4) and .15 (an assumption, see
        :data:`DEFAULT_CATEGORY_GAP`).

    Returns
    -------
    pandas.DataFrame
        Index ``candidate_id`` (``C0001``, ``C0002``, ...), one float column per competency.

    Raises
    ------
    SmmrubricError
        ``n`` not a positive integer, a bad seed, parameters out of range (see
        :func:`factor_loadings`).
    """
    spec = _spec(rubric_or_competencies, "rubric_or_competencies")
    n = check_int(n, "n", low=1)
    r_between, gap = _loadings(spec, mean_intercorrelation, category_gap)
    rng = as_rng(seed)
    draws = rng.standard_normal((n, spec.k + 3))
    general, factors, unique = draws[:, 0], draws[:, 1:3], draws[:, 3:]
    group = factors[:, np.where(spec.is_skill, 0, 1)]
    z = (np.sqrt(r_between) * general[:, None] + np.sqrt(gap) * group
         + np.sqrt(max(0.0, 1.0 - r_between - gap)) * unique)
    return pd.DataFrame(z, index=pd.Index(_ids("C", n, 4), name="candidate_id"),
                        columns=pd.Index(spec.ids, name="competency_id"))


# --------------------------------------------------------------------------------------------
# the performance criterion


def _covariance(true: np.ndarray, spec: _Spec, covariance: Any) -> np.ndarray:
    if covariance is None:
        if true.shape[0] < 3:
            raise SmmrubricError("needs at least 3 candidates to estimate the covariance of the true "
                                 "standings; pass covariance=implied_correlation(...)", field="true_scores")
        return np.cov(true, rowvar=False).reshape(spec.k, spec.k)
    return _covariance_frame(covariance, spec)


def _covariance_frame(covariance: Any, spec: _Spec) -> np.ndarray:
    if not isinstance(covariance, pd.DataFrame):
        raise SmmrubricError(f"must be a DataFrame labelled by competency_id, got {type(covariance).__name__}",
                             field="covariance")
    for cid in spec.ids:
        if cid not in covariance.index or cid not in covariance.columns:
            raise SmmrubricError(f"has no row and column for competency {cid!r}", field="covariance")
    cov = covariance.loc[spec.ids, spec.ids].to_numpy(dtype=float)
    if not np.all(np.isfinite(cov)) or not np.allclose(cov, cov.T):
        raise SmmrubricError("must be finite and symmetric", field="covariance")
    if np.linalg.eigvalsh(cov)[0] < -1e-10:
        raise SmmrubricError("must be positive semi-definite", field="covariance")
    return cov


def _criterion(spec: _Spec, cov: np.ndarray, validity: Any, skill_validity: Any,
               trait_validity: Any) -> tuple[np.ndarray, float]:
    """Per-competency weights beta and residual weight s with Var(beta'z + s e) = 1 under ``cov``."""
    if validity is not None:
        if skill_validity is not None or trait_validity is not None:
            raise SmmrubricError("give either validity (composite form) or skill_validity and "
                                 "trait_validity (per-category form), not both", field="validity")
        targets = [check_number(validity, "validity", low=-1.0, high=1.0)]
        composites = [spec.weights]
    else:
        targets, composites = [], []
        for category, value, default in (("skill", skill_validity, DEFAULT_SKILL_VALIDITY),
                                         ("trait", trait_validity, DEFAULT_TRAIT_VALIDITY)):
            field = f"{category}_validity"
            v = check_number(default if value is None else value, field, low=-1.0, high=1.0)
            present = (spec.is_skill if category == "skill" else ~spec.is_skill).any()
            if not present:
                if v != 0:
                    raise SmmrubricError(f"the rubric has no {category}s, so {field} must be 0, got {v}",
                                         field=field)
                continue
            targets.append(v)
            composites.append(spec.category_weights(category))
    a = np.column_stack(composites)  # k x m composite weights
    v = np.array(targets)
    ccov = a.T @ cov @ a
    sd = np.sqrt(np.diag(ccov))
    if np.any(sd <= 1e-12):
        raise SmmrubricError("a composite of the true standings has zero variance", field="true_scores")
    r = ccov / np.outer(sd, sd)
    if v.size == 2 and 1.0 - r[0, 1] ** 2 < 1e-10:
        raise SmmrubricError("the skills and traits composites are perfectly correlated, so their validities "
                             "cannot be set separately", field="skill_validity")
    b = np.linalg.solve(r, v)
    explained = float(v @ b)
    if explained > 1.0 + 1e-12:
        raise SmmrubricError(
            f"skill_validity {v[0]} and trait_validity {v[-1]} are impossible together when the two "
            f"composites correlate {r[0, 1]:.4f}: they would explain {explained:.4f} > 1 of the variance",
            field="trait_validity")
    beta = a @ (b / sd)
    return beta, float(np.sqrt(max(0.0, 1.0 - explained)))


def performance_weights(
    rubric_or_competencies: Any,
    covariance: pd.DataFrame,
    *,
    validity: float | None = None,
    skill_validity: float | None = None,
    trait_validity: float | None = None,
) -> pd.Series:
    """Weights of the job-performance criterion built by :func:`performance`.

    Composite form (``validity`` given): with the true rubric composite ``T = w'z`` (rubric
    weights ``w``) and ``sigma_T^2 = w' S w`` under the covariance ``S`` of the true standings,

    ``Y = rho * T / sigma_T + sqrt(1 - rho^2) * e``,   ``corr(Y, T) = rho``.

    Per-category form (default): with the skills composite ``S = w_s'z / sigma_s`` and the traits
    composite ``K = w_t'z / sigma_t`` (rubric weights inside each category, normalised; equal if a
    category's weights are all 0), correlating ``r = w_s' S w_t / (sigma_s sigma_t)``,

    ``Y = b_s S + b_t K + sigma_e e``,  ``b = R^-1 v``,  ``R = [[1, r], [r, 1]]``,  ``v = (v_s, v_t)``,

    i.e. ``b_s = (v_s - r v_t) / (1 - r^2)``, ``b_t = (v_t - r v_s) / (1 - r^2)``, which gives
    ``Cov(Y, S) = b_s + r b_t = v_s`` and ``Cov(Y, K) = v_t``; the residual variance
    ``sigma_e^2 = 1 - v'R^-1 v = 1 - (v_s^2 + v_t^2 - 2 r v_s v_t) / (1 - r^2)`` makes
    ``Var(Y) = 1``, so the correlations equal ``v_s`` and ``v_t``. It must be >= 0: the two
    validities must be jointly possible.

    The validities are zero-order correlations, so a category's own (incremental) weight can be
    small or negative: with the bundled 30 competencies (18 skills, 12 traits) and the default
    factor model, ``r`` is about .54, so ``v_t = .19 < r v_s = .215`` and the traits' weight
    ``b_t`` is slightly negative - traits then predict performance only through their overlap with
    skills. Raise ``trait_validity`` (or the factor model's ``category_gap``) to give traits
    incremental validity.

    Parameters
    ----------
    rubric_or_competencies
        A Rubric, a Series of categories or a competency table. To keep the criterion fixed while a
        study varies a selection rubric's weights, pass a fixed rubric (or ``rubric.categories`` for
        equal weights within each category).
    covariance
        Covariance (or correlation) matrix of the true standings, labelled by competency_id, e.g.
        :func:`implied_correlation` or ``true_scores.cov()``.
    validity
        Correlation with the true rubric composite, in [-1, 1]; for a structured interview's
        operational validity use .42 (Sackett et al. 2022). If given, the per-category
        validities must not be.
    skill_validity, trait_validity
        Correlations with the standardised skills and traits composites, in [-1, 1]; defaults .40
        (job knowledge tests) and .19 (conscientiousness), Sackett et al. (2022), Table 1. A
        rubric with no traits needs ``trait_validity=0`` (and likewise for skills).

    Returns
    -------
    pandas.Series
        Named ``weight``: one weight per competency_id (``beta_j``, so ``Y = sum beta_j z_j + ...``)
        and a last entry ``residual`` (``sigma_e``, the weight on a standard normal residual).
    """
    spec = _spec(rubric_or_competencies, "rubric_or_competencies")
    cov = _covariance_frame(covariance, spec)
    beta, residual = _criterion(spec, cov, validity, skill_validity, trait_validity)
    return pd.Series(np.append(beta, residual), index=pd.Index([*spec.ids, "residual"], name="competency_id"),
                     name="weight")


def performance(
    true_scores: pd.DataFrame,
    rubric_or_competencies: Any,
    *,
    seed: int | np.random.Generator,
    validity: float | None = None,
    skill_validity: float | None = None,
    trait_validity: float | None = None,
    covariance: pd.DataFrame | None = None,
) -> pd.Series:
    """Simulate a job-performance criterion from the true standings.

    ``Y_i = sum_j beta_j z_ij + sigma_e e_i``, ``e_i`` ~ N(0, 1), with the weights of
    :func:`performance_weights`: either ``corr(Y, true rubric composite) = validity`` (composite
    form) or ``corr(Y, skills composite) = skill_validity`` and ``corr(Y, traits composite) =
    trait_validity`` (per-category form, the default: .40 and .19 from Sackett et al. 2022), with
    ``Var(Y) = 1``.

    These are true-score validities. The validity of *observed* rubric scores is lower by the square
    root of their reliability (``corr(Y, observed) = corr(Y, true) * sqrt(rel)``).

    Parameters
    ----------
    true_scores
        Candidates x competencies (from :func:`candidates` or :func:`develop`); columns not in the
        rubric are ignored.
    rubric_or_competencies
        The rubric defining the composites (see :func:`performance_weights`).
    seed
        An int or a numpy Generator.
    validity, skill_validity, trait_validity
        See :func:`performance_weights`.
    covariance
        The covariance of the true standings the weights are computed under. ``None`` (default):
        the pool's own sample covariance, so the requested validities hold in this pool whatever
        produced it (a :func:`develop`-ed pool too). Pass :func:`implied_correlation` for weights
        fixed by the model (the requested values are then population correlations).

    Returns
    -------
    pandas.Series
        Named ``performance``, indexed by candidate_id.

    Raises
    ------
    SmmrubricError
        Bad true scores, validities out of range or jointly impossible, both forms given, a bad
        covariance or seed.
    """
    spec = _spec(rubric_or_competencies, "rubric_or_competencies")
    true = _true_matrix(true_scores, spec)
    cov = _covariance(true, spec, covariance)
    beta, residual = _criterion(spec, cov, validity, skill_validity, trait_validity)
    rng = as_rng(seed)
    y = true @ beta + residual * rng.standard_normal(true.shape[0])
    return pd.Series(y, index=true_scores.index.rename("candidate_id"), name="performance")


# --------------------------------------------------------------------------------------------
# raters


def _components(reliability: Any, leniency_share: Any, halo_share: Any, leniency_sd: Any = None,
                halo: Any = None) -> tuple[float, float, float, float]:
    """(rho, s_L^2, s_H^2, s_E^2) from the reliability and either the shares or the SDs of leniency and halo."""
    rho = check_number(reliability, "reliability", low=0.0, high=1.0, low_open=True)
    noise = (1.0 - rho) / rho
    variances, shares = {}, {}
    for share_name, share, sd_name, sd, default in (
            ("leniency_share", leniency_share, "leniency_sd", leniency_sd, DEFAULT_LENIENCY_SHARE),
            ("halo_share", halo_share, "halo", halo, DEFAULT_HALO_SHARE)):
        if sd is not None:
            if share is not None:
                raise SmmrubricError(f"give {share_name} or {sd_name}, not both", field=sd_name)
            variances[sd_name] = check_number(sd, sd_name, low=0.0) ** 2
        else:
            shares[sd_name] = check_probability(default if share is None else share, share_name)
            variances[sd_name] = shares[sd_name] * noise
    var_l, var_h = variances["leniency_sd"], variances["halo"]
    if var_l + var_h > noise * (1.0 + 1e-12) + 1e-300:
        if leniency_sd is None and halo is None:
            raise SmmrubricError(f"leniency_share + halo_share must be <= 1, got {var_l / noise:g} + "
                                 f"{var_h / noise:g}", field="halo_share")
        raise SmmrubricError(
            f"leniency and halo variances {var_l:.4g} + {var_h:.4g} exceed the non-true variance "
            f"(1 - rho) / rho = {noise:.4g} of a rating with reliability {rho:g}; lower them or the reliability",
            field="halo" if halo is not None else "leniency_sd")
    if len(shares) == 2:  # both as shares: the error's share is the rest (as computed before the SD form)
        return rho, var_l, var_h, max(0.0, 1.0 - shares["leniency_sd"] - shares["halo"]) * noise
    return rho, var_l, var_h, max(0.0, noise - var_l - var_h)


def rating_variance(
    reliability: float = DEFAULT_RELIABILITY,
    *,
    leniency_share: float | None = None,
    halo_share: float | None = None,
    raters: int = 3,
    leniency_sd: float | None = None,
    halo: float | None = None,
) -> pd.Series:
    """Variance components of one simulated rating, and the reliabilities they imply.

    A continuous rating is ``X = z + L + H + E`` (true standing, rater leniency, halo, error),
    independent, with ``Var(z) = 1`` in the reference population. The reliability of a single
    rating is defined as the true share of its variance when the rater is drawn at random:

    ``rho = 1 / (1 + s_L^2 + s_H^2 + s_E^2)``,  so  ``s_L^2 + s_H^2 + s_E^2 = (1 - rho) / rho``,

    split as ``s_L^2 = leniency_share * (1 - rho) / rho``, ``s_H^2 = halo_share * (1 - rho) / rho``
    and ``s_E^2`` the rest. Equivalently ``rho`` is the correlation between two ratings of the same
    candidate and competency by two different randomly drawn raters, and ``corr(X, z) = sqrt(rho)``.

    When the same raters rate every candidate (a panel; ``rater_pool=None`` in :func:`ratings`),
    each rater's leniency is a constant and drops out of comparisons between candidates, so the
    reliability across candidates of one rater is higher:

    ``rho_within = 1 / (1 + s_H^2 + s_E^2)``.

    The mean of ``m`` raters has reliability ``m rho / (1 + (m - 1) rho)`` with raters drawn at
    random (Spearman-Brown) and ``1 / (1 + (s_H^2 + s_E^2) / m)`` with a fixed panel.

    Parameters
    ----------
    reliability
        ``rho`` in (0, 1]; default .44, separate interviews (Huffcutt et al. 2013).
    leniency_share, halo_share
        Shares of the non-true variance ``(1 - rho) / rho`` that are leniency and halo, each in
        [0, 1], summing to <= 1; defaults .330 each, so that at reliability .44 rater bias is
        37% of a rating's variance (Hoyt & Kerns 1999; see :data:`DEFAULT_LENIENCY_SHARE`).
        ``None`` means the default.
    raters
        ``m``, for the reliabilities of a mean rating.
    leniency_sd, halo
        Alternatively the SDs ``s_L`` and ``s_H`` themselves, in true-standing SD units (the names
        of issue 4): ``s_L^2 + s_H^2`` must not exceed ``(1 - rho) / rho``, and the error takes the
        rest. Give a share or an SD for each, not both. At the defaults ``s_L = s_H = .648``.

    Returns
    -------
    pandas.Series
        ``true``, ``leniency``, ``halo``, ``error``, ``total`` (variances), ``total_sd``,
        ``reliability``, ``reliability_within_rater``, ``reliability_mean_random_raters``,
        ``reliability_mean_panel``.

    Raises
    ------
    SmmrubricError
        ``reliability`` outside (0, 1], a share outside [0, 1], shares summing to more than 1,
        ``raters < 1``.
    """
    rho, var_l, var_h, var_e = _components(reliability, leniency_share, halo_share, leniency_sd, halo)
    m = check_int(raters, "raters", low=1)
    return pd.Series({
        "true": 1.0, "leniency": var_l, "halo": var_h, "error": var_e, "total": 1.0 / rho,
        "total_sd": float(np.sqrt(1.0 / rho)), "reliability": rho,
        "reliability_within_rater": 1.0 / (1.0 + var_h + var_e),
        "reliability_mean_random_raters": m * rho / (1.0 + (m - 1) * rho),
        "reliability_mean_panel": 1.0 / (1.0 + (var_h + var_e) / m),
    }, name="value")


def _distinct_draws(rng: np.random.Generator, n: int, m: int, pool: int) -> np.ndarray:
    """``n`` rows of ``m`` distinct integers drawn uniformly from ``0 .. pool - 1``, each row sorted.

    Sequential sampling without replacement: the ``r``-th draw is uniform on the ``pool - r``
    values not yet chosen, found by stepping a uniform draw on ``0 .. pool - r - 1`` past the
    already chosen values in ascending order. O(n m^2), independent of the pool size.
    """
    chosen = np.empty((n, 0), dtype=np.int64)
    for r in range(m):
        x = rng.integers(0, pool - r, size=n)
        for column in chosen.T:  # chosen is kept sorted row-wise, so columns ascend
            x = x + (x >= column)
        chosen = np.sort(np.column_stack([chosen, x]), axis=1)
    return chosen


def default_thresholds(levels: int) -> np.ndarray:
    """Default cut points for a rating scale of ``levels`` levels, in SD units of a rating.

    Equally spaced, centred on 0, ``d = min(1, 6 / levels)`` apart:
    ``t_l = (l - levels / 2) * d`` for ``l = 1 .. levels - 1``. For a 1-5 scale that is -1.5, -0.5,
    0.5, 1.5, so a standard normal rating falls in the five levels with probabilities .0668, .2417,
    .3829, .2417, .0668; for longer scales the spacing shrinks so the outer cut points stay within
    3 SD.

    Parameters
    ----------
    levels
        Number of levels of the scale, >= 1.

    Returns
    -------
    numpy.ndarray
        ``levels - 1`` increasing cut points.

    Raises
    ------
    SmmrubricError
        ``levels`` not an integer >= 1.
    """
    levels = check_int(levels, "levels", low=1)
    d = min(1.0, 6.0 / levels)
    return (np.arange(1, levels) - levels / 2) * d


def _thresholds(thresholds: Any, n_levels: int) -> np.ndarray:
    if thresholds is None:
        return default_thresholds(n_levels)
    try:
        t = np.asarray(thresholds, dtype=float)
    except (TypeError, ValueError):
        raise SmmrubricError(f"must be numbers, got {thresholds!r}", field="thresholds") from None
    if t.ndim != 1 or t.size != n_levels - 1:
        raise SmmrubricError(f"needs {n_levels - 1} cut points for a scale of {n_levels} levels, got "
                             f"{t.size if t.ndim == 1 else t.shape}", field="thresholds")
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise SmmrubricError(f"must be finite and strictly increasing, got {t.tolist()}", field="thresholds")
    return t


def ratings(
    true_scores: pd.DataFrame,
    rubric_or_competencies: Any,
    *,
    seed: int | np.random.Generator,
    raters: int = 3,
    reliability: float = DEFAULT_RELIABILITY,
    leniency_share: float | None = None,
    halo_share: float | None = None,
    rater_pool: int | None = None,
    thresholds: Any = None,
    continuous: bool = False,
    leniency_sd: float | None = None,
    halo: float | None = None,
) -> pd.DataFrame:
    """Simulate interviewers rating every candidate on every competency of the rubric.

    The continuous rating of candidate ``i`` on competency ``j`` by rater ``r`` is

    ``X_ijr = z_ij + L_r + H_ir + E_ijr``

    with leniency ``L_r`` ~ N(0, s_L^2) per rater, halo ``H_ir`` ~ N(0, s_H^2) per rater and
    candidate (shared across the competencies), and error ``E_ijr`` ~ N(0, s_E^2), the variances set
    by :func:`rating_variance` so that one rating by a randomly drawn rater has reliability
    ``reliability`` (``Var(X) = 1 / rho`` when ``Var(z) = 1``).

    It is discretised on the rubric's scale by cutting the standardised rating ``X * sqrt(rho)`` -
    ``X`` divided by its population SD ``sqrt(1 / rho)`` in the reference population of true
    standings (mean 0, SD 1), *not* the SD of the pool at hand, so that a pool that has grown
    (:func:`develop`) is rated higher on the same anchors - at ``thresholds``: below the first cut
    point gives the lowest level, above the last the highest.

    Parameters
    ----------
    true_scores
        Candidates x competencies (from :func:`candidates` or :func:`develop`), in SD units of the
        reference population; columns not in the rubric are ignored.
    rubric_or_competencies
        A Rubric (its competencies and rating scale) or a Series/table of categories (scale 1-5).
    seed
        An int or a numpy Generator.
    raters
        Raters per candidate, >= 1; default 3 (a three-person panel).
    reliability, leniency_share, halo_share
        See :func:`rating_variance`; defaults .44 (Huffcutt et al. 2013) and .330 / .330 (Hoyt &
        Kerns 1999); ``None`` means the default.
    rater_pool
        ``None`` (default): the same ``raters`` raters (``R01``, ``R02``, ...) rate every candidate, as
        a hiring panel does, so leniency shifts every candidate alike. An integer ``>= raters``: each
        candidate gets ``raters`` different raters drawn at random from a pool of that size (at most
        :data:`MAX_RATER_POOL`), so leniency differs between candidates (the design in which
        ``reliability`` is the realised reliability).
    thresholds
        ``levels - 1`` increasing cut points in SD units of the rating; default
        :func:`default_thresholds` (-1.5, -0.5, 0.5, 1.5 for a 1-5 scale).
    continuous
        Return the continuous rating ``X`` (float, true-standing units) instead of the scale level.
    leniency_sd, halo
        The SDs of leniency and halo instead of their shares (see :func:`rating_variance`).

    Returns
    -------
    pandas.DataFrame
        Long table ``candidate_id, rater_id, competency_id, score``, one row per candidate, rater
        and competency (candidates in pool order, raters by id, competencies in rubric order);
        ``score`` an integer scale level (or a float if ``continuous``).

    Raises
    ------
    SmmrubricError
        Bad true scores, parameters out of range, a rater pool smaller than ``raters``, cut points
        of the wrong number or not increasing, a bad seed.
    """
    spec = _spec(rubric_or_competencies, "rubric_or_competencies")
    true = _true_matrix(true_scores, spec)
    m = check_int(raters, "raters", low=1)
    rho, var_l, var_h, var_e = _components(reliability, leniency_share, halo_share, leniency_sd, halo)
    pool = m if rater_pool is None else check_int(rater_pool, "rater_pool", low=m, high=MAX_RATER_POOL)
    if not isinstance(continuous, bool):
        raise SmmrubricError(f"must be True or False, got {continuous!r}", field="continuous")
    cuts = None if continuous else _thresholds(thresholds, spec.levels.size)
    rng = as_rng(seed)
    n, k = true.shape
    if rater_pool is None:
        assigned = np.broadcast_to(np.arange(m), (n, m))
    else:
        assigned = _distinct_draws(rng, n, m, pool)
    leniency = np.sqrt(var_l) * rng.standard_normal(pool)
    halo = np.sqrt(var_h) * rng.standard_normal((n, m))
    error = np.sqrt(var_e) * rng.standard_normal((n, m, k))
    x = true[:, None, :] + (leniency[assigned] + halo)[:, :, None] + error
    if continuous:
        score: np.ndarray = x.ravel()
    else:
        score = spec.levels[np.searchsorted(cuts, (x * np.sqrt(rho)).ravel(), side="right")]
    # Index.take builds the repeated id columns without a per-row Python string round trip
    candidate_ids = pd.Index(true_scores.index.astype(str))
    return pd.DataFrame({
        "candidate_id": candidate_ids.take(np.repeat(np.arange(n), m * k)),
        "rater_id": pd.Index(_ids("R", pool, 2)).take(np.repeat(assigned.ravel(), k)),
        "competency_id": pd.Index(spec.ids).take(np.tile(np.arange(k), n * m)),
        "score": score,
    }, copy=False)


# --------------------------------------------------------------------------------------------
# growth


def develop(
    true_scores: pd.DataFrame,
    rubric_or_competencies: Any,
    months: float,
    *,
    seed: int | np.random.Generator,
    skill_gain: float = DEFAULT_SKILL_GAIN,
    trait_gain: float = DEFAULT_TRAIT_GAIN,
    gain_sd: float = 0.0,
    learning_trait_correlation: float = 0.0,
) -> pd.DataFrame:
    """Move true standings ``months`` forward: skills grow with training, traits stay put.

    Linear growth, no ceiling:

    ``z_ij(t) = z_ij + t * g_ij``,  ``t = months / 12`` (years),

    ``g_ij = skill_gain + gain_sd * l_i`` for a skill and ``g_ij = trait_gain`` for a trait, where
    ``l_i`` ~ N(0, 1) is candidate ``i``'s learning rate, shared by all their skills. With
    ``learning_trait_correlation = c``, ``l_i = c * K_i + sqrt(1 - c^2) * n_i``: ``K_i`` the pool's
    standardised traits composite (the rubric's trait weights; equal if they are all 0), ``n_i``
    independent N(0, 1) - people with stronger traits learn faster (e.g. conscientiousness and
    motivation to learn, Colquitt, LePine & Noe 2000, *Journal of Applied Psychology* 85(5)).

    Parameters
    ----------
    true_scores
        Candidates x competencies; every column must be a competency of ``rubric_or_competencies``
        (pass the competency table to develop a pool drawn on the whole vocabulary).
    rubric_or_competencies
        A Rubric, a Series of categories or a competency table.
    months
        Time on the job, >= 0; 0 returns the standings unchanged.
    seed
        An int or a numpy Generator.
    skill_gain
        Mean skill growth in SD per year; default .6, one training programme's effect (Arthur et al.
        2003, d about .6). Negative values model decay.
    trait_gain
        Mean trait change in SD per year; default 0, no intervention (Roberts et al. 2006). Under an
        intervention Roberts et al. (2017) report d = .37 over about 24 weeks (.8 per year if it
        continued linearly).
    gain_sd
        SD across candidates of the yearly skill gain, >= 0. Default 0: everyone gains the same, so
        growth lifts levels and leaves rankings within skills unchanged (no meta-analytic estimate
        of this spread is assumed).
    learning_trait_correlation
        ``c`` in [-1, 1]; default 0. Needs ``gain_sd > 0`` to matter, and traits in the rubric if not 0.

    Returns
    -------
    pandas.DataFrame
        Same index and columns as ``true_scores``.

    Raises
    ------
    SmmrubricError
        Bad true scores or a column without a category, ``months < 0``, a gain not finite,
        ``gain_sd < 0``, ``c`` outside [-1, 1] or not 0 without traits, a bad seed.
    """
    spec = _spec(rubric_or_competencies, "rubric_or_competencies")
    if isinstance(true_scores, pd.DataFrame):
        extra = [c for c in true_scores.columns if c not in spec.ids]
        if extra:
            raise SmmrubricError(f"column {extra[0]!r} has no category in rubric_or_competencies; pass a "
                                 "rubric or competency table covering every column", field="true_scores")
    true = _true_matrix(true_scores, spec)
    years = check_number(months, "months", low=0.0) / 12.0
    skill = check_number(skill_gain, "skill_gain")
    trait = check_number(trait_gain, "trait_gain")
    spread = check_number(gain_sd, "gain_sd", low=0.0)
    c = check_number(learning_trait_correlation, "learning_trait_correlation", low=-1.0, high=1.0)
    rng = as_rng(seed)
    n = true.shape[0]
    learning = rng.standard_normal(n)
    if c != 0.0:
        if spec.is_skill.all():
            raise SmmrubricError("the rubric has no traits, so learning_trait_correlation must be 0",
                                 field="learning_trait_correlation")
        composite = true @ spec.category_weights("trait")
        sd = composite.std(ddof=1) if n > 1 else 0.0
        if not sd > 0:
            raise SmmrubricError("the traits composite does not vary in this pool, so learning cannot "
                                 "correlate with it", field="learning_trait_correlation")
        learning = c * (composite - composite.mean()) / sd + np.sqrt(1.0 - c * c) * learning
    rate = np.where(spec.is_skill, skill + spread * learning[:, None], trait)
    columns = list(true_scores.columns)
    grown = pd.DataFrame(true + years * rate, index=true_scores.index, columns=pd.Index(spec.ids, name="competency_id"))
    return grown[columns]


# --------------------------------------------------------------------------------------------
# summaries for the data tour


def correlation_summary(
    true_scores: pd.DataFrame,
    rubric_or_competencies: Any,
    *,
    mean_intercorrelation: float = DEFAULT_MEAN_INTERCORRELATION,
    category_gap: float = DEFAULT_CATEGORY_GAP,
) -> pd.DataFrame:
    """Realised against implied correlations of a pool's true standings, by category pair.

    Parameters
    ----------
    true_scores
        Candidates x competencies, e.g. from :func:`candidates`; columns not in the rubric are ignored.
    rubric_or_competencies
        A Rubric, a Series of categories or a competency table.
    mean_intercorrelation, category_gap
        The factor model's parameters the pool was drawn with (for the ``implied`` column).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``pair`` (``skill-skill``, ``skill-trait``, ``trait-trait``, ``all``; pairs that
        do not occur are left out): ``n_pairs``, ``implied`` (mean of :func:`implied_correlation`
        with the given parameters over those pairs) and ``realised`` (mean of the pool's Pearson
        correlations over the same pairs).

    Raises
    ------
    SmmrubricError
        Bad true scores, fewer than 3 candidates or 2 competencies, bad factor-model parameters.
    """
    spec = _spec(rubric_or_competencies, "rubric_or_competencies")
    true = _true_matrix(true_scores, spec)
    if true.shape[0] < 3 or spec.k < 2:
        raise SmmrubricError("needs at least 3 candidates and 2 competencies", field="true_scores")
    implied = implied_correlation(rubric_or_competencies, mean_intercorrelation=mean_intercorrelation,
                                  category_gap=category_gap).to_numpy()
    realised = np.corrcoef(true, rowvar=False)
    upper = np.triu(np.ones((spec.k, spec.k), dtype=bool), 1)
    s = spec.is_skill
    masks = {"skill-skill": np.outer(s, s), "skill-trait": np.outer(s, ~s) | np.outer(~s, s),
             "trait-trait": np.outer(~s, ~s), "all": np.ones_like(upper)}
    rows = {}
    for pair, mask in masks.items():
        mask = mask & upper
        if mask.any():
            rows[pair] = {"n_pairs": int(mask.sum()), "implied": float(implied[mask].mean()),
                          "realised": float(realised[mask].mean())}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "pair"
    return out


def rating_distribution(
    ratings_table: pd.DataFrame,
    rubric_or_competencies: Any,
    *,
    thresholds: Any = None,
) -> pd.DataFrame:
    """Share of ratings at each level of the scale, against the share the model expects.

    Under the model the standardised rating ``X * sqrt(rho)`` is N(0, 1) when the true standings
    are (a pool from :func:`candidates`), whatever the reliability, so the expected share of level
    ``l`` is ``Phi(t_l) - Phi(t_{l-1})`` (``t_0 = -inf``, ``t_L = inf``). With a fixed panel
    (``rater_pool=None``) the few raters' leniencies shift the realised shares away from it.

    Parameters
    ----------
    ratings_table
        A long ratings table (from :func:`ratings` or ``load_ratings``) with a ``score`` column.
    rubric_or_competencies
        Gives the scale's levels (1-5 for a Series or a competency table).
    thresholds
        The cut points the ratings were made with; default :func:`default_thresholds`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``level``: ``count``, ``share``, ``expected``.

    Raises
    ------
    SmmrubricError
        No ``score`` column, a score that is not a level of the scale, bad thresholds.
    """
    spec = _spec(rubric_or_competencies, "rubric_or_competencies")
    cuts = _thresholds(thresholds, spec.levels.size)
    if not isinstance(ratings_table, pd.DataFrame) or "score" not in ratings_table.columns:
        raise SmmrubricError("must be a long ratings table with a 'score' column", field="ratings")
    scores = pd.to_numeric(ratings_table["score"], errors="coerce")
    off_scale = ~scores.isin(spec.levels)
    if off_scale.any():
        pos = off_scale.to_numpy().nonzero()[0][0]
        label = ratings_table.index[pos]
        raise SmmrubricError(f"score {ratings_table['score'].iloc[pos]!r} is not a level of the scale "
                             f"{spec.levels.tolist()}", row=label if isinstance(label, int) else str(label),
                             field="score")
    counts = scores.value_counts().reindex(spec.levels, fill_value=0).to_numpy()
    expected = np.diff(ndtr(np.concatenate([[-np.inf], cuts, [np.inf]])))
    return pd.DataFrame({"count": counts, "share": counts / max(1, counts.sum()), "expected": expected},
                        index=pd.Index(spec.levels, name="level"))
