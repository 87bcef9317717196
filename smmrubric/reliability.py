"""How far raters agree: intraclass correlations, generalizability (G and D) studies, rater severity and
Krippendorff's alpha, from the long ratings table.

Every function reads the long table ``candidate_id, rater_id, competency_id, score`` that
:func:`smmrubric.load_ratings` and :func:`smmrubric.simulate.ratings` return (checked with
:func:`smmrubric.ratings.validate_ratings`; a table holding several ``stage`` values is refused: pick one stage
first), and returns pandas objects labelled by ids.

Designs
-------
Two rating designs are recognised from the table itself:

- **crossed** (``p x r x i``): every candidate (``p``) is rated by the *same* raters (``r``) on every competency
  (``i``), as a hiring panel does;
- **nested** (``(r:p) x i``): every candidate has the same *number* of raters but not the same raters (separate
  interviews, or raters drawn from a pool), each rater of a candidate rating every competency.

A candidate whose raters did not all rate every competency, or who has a different number of raters from the
others, makes the table *unbalanced*. The ANOVA estimators below need balance, so ``incomplete="error"`` (the
default) refuses such a table with an error naming the first gap and how many there are, and
``incomplete="drop"`` analyses the balanced part instead, with a ``UserWarning`` naming what was left out:
(candidate, rater) pairs missing a competency are dropped, then only the candidates with the most common number of
raters (ties: the larger number) are kept.

Sources
-------
- Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater reliability.
  *Psychological Bulletin* 86(2), 420-428.
- McGraw, K. O. & Wong, S. P. (1996). Forming inferences about some intraclass correlation coefficients.
  *Psychological Methods* 1(1), 30-46 (correction: 1(4), 390).
- Brennan, R. L. (2001). *Generalizability Theory*. New York: Springer. Ch. 3 (G studies: ANOVA estimators of
  the random-effects variance components from the expected mean squares; Synthetic Data Sets No. 3, Table 3.1,
  and No. 4, Table 3.2), ch. 4 (D studies: error variances, E rho^2 and Phi, fixed facets, D-study designs that
  differ from the G-study design).
- Cronbach, L. J., Gleser, G. C., Nanda, H. & Rajaratnam, N. (1972). *The Dependability of Behavioral
  Measurements*. New York: Wiley (negative variance estimates set to zero, the zero also used in the other
  estimates; here, as in Brennan 2001, the other estimates are left as solved).
- Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal of Statistics*
  6(2), 65-70.
- Krippendorff, K. (2011). *Computing Krippendorff's alpha-reliability*. Annenberg School for Communication,
  University of Pennsylvania; Hayes, A. F. & Krippendorff, K. (2007). Answering the call for a standard
  reliability measure for coding data. *Communication Methods and Measures* 1(1), 77-89.
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .errors import SmmrubricError
from .ratings import source_file, validate_ratings
from .validation import check_choice, check_int, check_probability

__all__ = [
    "CROSSED_COMPONENTS",
    "DESIGNS",
    "ICC_FORMS",
    "NESTED_COMPONENTS",
    "OVERALL",
    "GStudy",
    "d_study",
    "g_study",
    "icc",
    "krippendorff_alpha",
    "rater_pairs",
    "rater_severity",
    "raters_needed",
    "reliability_data",
    "simulation_parameters",
]

#: Label of the row computed over all competencies together (a string no competency id of the bundled data uses).
OVERALL = "(overall)"
#: The six intraclass correlations of Shrout & Fleiss (1979), in their order.
ICC_FORMS = ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")
#: Variance components of the random p x r x i design (Brennan 2001, ch. 3).
CROSSED_COMPONENTS = ("p", "r", "i", "pr", "pi", "ri", "pri,e")
#: Variance components of the random (r:p) x i design (Brennan 2001, ch. 3).
NESTED_COMPONENTS = ("p", "r:p", "i", "pi", "ri:p,e")
DESIGNS = ("crossed", "nested")
INCOMPLETE_POLICIES = ("error", "drop")
#: Largest number of distinct score values Krippendorff's alpha accepts (the package builds V x V tables).
MAX_ALPHA_VALUES = 1000


# --------------------------------------------------------------------------------------------
# the long table as a balanced array


def _table(ratings: Any) -> pd.DataFrame:
    """The checked long table (ids as text, score as float); several stages are refused."""
    frame = validate_ratings(ratings)
    if "stage" in frame.columns and frame["stage"].nunique() > 1:
        stages = ", ".join(map(repr, pd.unique(frame["stage"])[:5]))
        raise SmmrubricError(
            f"holds ratings from several stages ({stages}); reliability is computed for one "
            "stage at a time: select one, e.g. ratings[ratings['stage'] == 'interview']",
            file=source_file(ratings),
            field="stage",
        )
    # the reader stores ids as categoricals (memory); here they are plain text, compared and sorted as such
    ids = ["candidate_id", "rater_id", "competency_id"]
    return frame.assign(**{c: frame[c].astype(str).astype(object) for c in ids})


@dataclass(frozen=True)
class _Layout:
    """A balanced ratings table as an array ``scores[candidate, rater slot, competency]``."""

    scores: np.ndarray
    candidates: pd.Index
    raters: np.ndarray  # (n_p, n_r) rater ids of each candidate's slots, sorted by id
    competencies: pd.Index
    design: str  # "crossed" (the same raters for every candidate) or "nested"


def _modal_count(counts: pd.Series) -> int:
    """The most common number of raters per candidate (ties: the larger number)."""
    freq = counts.value_counts()
    return int(max(freq.index[freq == freq.max()]))


def _layout(frame: pd.DataFrame, incomplete: str, what: str, file: Any) -> _Layout:
    """Arrange a checked long table as a balanced candidates x raters x competencies array (see module notes)."""
    competencies = pd.Index(pd.unique(frame["competency_id"]), name="competency_id")
    wide = frame.pivot(index=["candidate_id", "rater_id"], columns="competency_id", values="score")
    wide = wide.reindex(columns=competencies)
    notes = []
    partial = wide.isna().any(axis=1).to_numpy()
    if partial.any():
        cand, rater = wide.index[partial][0]
        missing = list(competencies[wide.iloc[int(np.argmax(partial))].isna().to_numpy()])
        if incomplete == "error":
            shown = ", ".join(map(repr, missing[:5])) + (" ..." if len(missing) > 5 else "")
            raise SmmrubricError(
                f"{what}: rater {rater!r} rated candidate {cand!r} on {len(competencies) - len(missing)} of "
                f"{len(competencies)} competencies (not on {shown}); {int(partial.sum())} (candidate, rater) "
                "pair(s) are incomplete. Every rater of a candidate must rate every competency: complete the "
                "ratings, or pass incomplete='drop' to leave the incomplete pairs out",
                file=file,
                row=f"candidate {cand}",
                field="competency_id",
            )
        notes.append(
            f"{int(partial.sum())} (candidate, rater) pair(s) missing a competency, e.g. rater "
            f"{rater!r} on candidate {cand!r}"
        )
        wide = wide[~partial]
    pairs = wide.index.to_frame(index=False)
    sets = pairs.groupby("candidate_id", sort=False)["rater_id"].agg(lambda r: tuple(sorted(r)))
    order = [c for c in pd.unique(frame["candidate_id"]) if c in sets.index]
    sets = sets.reindex(order)
    counts = sets.map(len)
    if counts.nunique() > 1:
        k = _modal_count(counts)
        odd = counts.index[counts != k]
        if incomplete == "error":
            common = sets[counts == k].value_counts().index[0]
            have = sets[odd[0]]
            lacking = sorted(set(common) - set(have))
            detail = (
                f"not rated by {', '.join(lacking)}"
                if lacking and set(have) <= set(common)
                else f"rated by {', '.join(have)}"
            )
            raise SmmrubricError(
                f"{what}: candidate {odd[0]!r} has {len(have)} rater(s) ({detail}) where most candidates have {k}; "
                f"{len(odd)} candidate(s) differ. The analysis needs every candidate rated by the same number of "
                f"raters (the same raters, for the crossed design): complete the ratings, or pass "
                f"incomplete='drop' to keep only the {int((counts == k).sum())} candidate(s) with {k} raters",
                file=file,
                row=f"candidate {odd[0]}",
                field="rater_id",
            )
        notes.append(
            f"{len(odd)} candidate(s) without {k} raters: {', '.join(map(repr, list(odd)[:5]))}"
            + (" ..." if len(odd) > 5 else "")
        )
        sets = sets[counts == k]
    if len(sets) < 2:
        raise SmmrubricError(
            f"{what}: needs at least 2 candidates rated by the same number of raters, got {len(sets)}",
            file=file,
            field="candidate_id",
        )
    n_r = len(sets.iloc[0])
    if n_r < 2:
        raise SmmrubricError(f"{what}: each candidate needs at least 2 raters, got {n_r}", file=file, field="rater_id")
    if notes:
        warnings.warn(
            f"{what}: left out {'; '.join(notes)} (incomplete='drop'); analysed {len(sets)} candidates "
            f"x {n_r} raters x {len(competencies)} competencies",
            UserWarning,
            stacklevel=3,
        )
    index = pd.MultiIndex.from_tuples([(c, r) for c, raters in sets.items() for r in raters])
    scores = wide.reindex(index).to_numpy(dtype=float).reshape(len(sets), n_r, len(competencies))
    design = "crossed" if sets.nunique() == 1 else "nested"
    return _Layout(
        scores, pd.Index(sets.index, name="candidate_id"), np.array(list(sets), dtype=object), competencies, design
    )


def _check_competency(competency: Any, ids: pd.Index) -> None:
    if competency is None or competency == OVERALL:
        return
    if not isinstance(competency, str) or competency not in ids:
        close = difflib.get_close_matches(str(competency), list(ids), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f"; the ratings hold {', '.join(map(repr, ids[:8]))}"
        raise SmmrubricError(f"no ratings of competency {competency!r}{hint}", field="competency")


def _selected(ids: pd.Index, competency: Any) -> tuple[bool, list[str]]:
    """Whether the overall row is wanted, and which competencies' rows."""
    if competency is None:
        return True, list(ids)
    return competency == OVERALL, [] if competency == OVERALL else [competency]


def _labelled(parts: dict[str, pd.DataFrame], competency: Any) -> pd.DataFrame:
    """One competency's rows as they are, or every part stacked under a ``competency_id`` level."""
    if competency is not None:
        return parts[competency]
    return pd.concat(parts, names=["competency_id"])


def _tolerance(scores: Any) -> float:
    """Below this a mean or SD of scores (or a deviation) is rounding error: 1e-9 of the largest absolute score."""
    return 1e-9 * float(np.max(np.abs(scores))) if len(scores) else 0.0


def _snap(values: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Mean squares (or variance components) that are rounding error set to 0.

    A sum of squares that is 0 in exact arithmetic comes out of floating point as about ``(eps * max|x|)^2``;
    anything within ``(1e-9 * max|x|)^2`` of 0 is taken as 0, so that a constant shift of the scores or another
    row order cannot turn an undefined coefficient (0 / 0) into an arbitrary number.
    """
    threshold = _tolerance(scores) ** 2
    return np.where(np.abs(values) <= threshold, 0.0, values)


# --------------------------------------------------------------------------------------------
# intraclass correlations


def _div(num: Any, den: Any, scale: float) -> Any:
    """``num / den`` with both taken as 0 within ``1e-10 * scale`` (rounding error): NaN for 0 / 0 and x / 0."""
    tiny = 1e-10 * scale
    num, den = np.where(np.abs(num) <= tiny, 0.0, num), np.where(np.abs(den) <= tiny, 0.0, den)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den == 0, np.nan, num / np.where(den == 0, 1.0, den))


def _f_ratio(num: float, den: float, scale: float) -> float:
    """An F ratio: +inf when only the denominator is 0 (no error variance), NaN when both are."""
    if num > 1e-10 * scale and den <= 1e-10 * scale:
        return math.inf
    return float(_div(num, den, scale))


def _from_f(f: float, k: int) -> float:
    """``(F - 1) / (F + k - 1)``: the ICC of ``k`` raters (1 for a single rater) an F bound implies; 1 at F = inf."""
    return 1.0 if f == math.inf else float(_div(f - 1.0, f + k - 1.0, 1.0))


def _two_way(x: np.ndarray) -> tuple[float, float, float, float]:
    """Mean squares of an n x k matrix: between rows BMS, within rows WMS, between columns JMS, residual EMS."""
    n, k = x.shape
    grand, rows, cols = x.mean(), x.mean(axis=1), x.mean(axis=0)
    bms = k * ((rows - grand) ** 2).sum() / (n - 1)
    wms = ((x - rows[:, None]) ** 2).sum() / (n * (k - 1))
    jms = n * ((cols - grand) ** 2).sum() / (k - 1)
    ems = ((x - rows[:, None] - cols[None, :] + grand) ** 2).sum() / ((n - 1) * (k - 1))
    return tuple(_snap(np.array([bms, wms, jms, ems]), x))


def _icc_table(x: np.ndarray, design: str, confidence: float) -> pd.DataFrame:
    """The six ICCs of an n targets x k judges matrix, with F tests and intervals (formulas in :func:`icc`)."""
    n, k = x.shape
    bms, wms, jms, ems = _two_way(x)
    scale = bms + wms + jms + ems
    q, fd = 1.0 - (1.0 - confidence) / 2.0, stats.f
    df_w, df_e = n * (k - 1), (n - 1) * (k - 1)
    icc2 = _div(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n, scale)
    estimates = [
        _div(bms - wms, bms + (k - 1) * wms, scale),
        icc2,
        _div(bms - ems, bms + (k - 1) * ems, scale),
        _div(bms - wms, bms, scale),
        _div(bms - ems, bms + (jms - ems) / n, scale),
        _div(bms - ems, bms, scale),
    ]
    f1, f3 = _f_ratio(bms, wms, scale), _f_ratio(bms, ems, scale)
    # one-way (case 1) and consistency (case 3): exact F intervals on F_L = F / F_q(df1, df2), F_U = F F_q(df2, df1)
    bounds = {}
    for case, f, df2 in (("1", f1, df_w), ("3", f3, df_e)):
        ends = (f / fd.ppf(q, n - 1, df2), f * fd.ppf(q, df2, n - 1))
        bounds[case] = [_from_f(e, k) for e in ends], [_from_f(e, 1) for e in ends]
    # absolute agreement, random raters (case 2A): Satterthwaite's approximate df v
    with np.errstate(divide="ignore", invalid="ignore"):
        a, b = k * icc2 / (n * (1.0 - icc2)), 1.0 + k * icc2 * (n - 1) / (n * (1.0 - icc2))
        v = (a * jms + b * ems) ** 2 / ((a * jms) ** 2 / (k - 1) + (b * ems) ** 2 / df_e)
    f_star, f_star2 = fd.ppf(q, n - 1, v), fd.ppf(q, v, n - 1)
    size = scale * (n * k + f_star + f_star2)
    case2 = (
        [
            _div(n * (bms - f_star * ems), f_star * (k * jms + (k * n - k - n) * ems) + n * bms, size),
            _div(n * (f_star2 * bms - ems), k * jms + (k * n - k - n) * ems + n * f_star2 * bms, size),
        ],
        [
            _div(n * (bms - f_star * ems), f_star * (jms - ems) + n * bms, size),
            _div(n * (f_star2 * bms - ems), jms - ems + n * f_star2 * bms, size),
        ],
    )
    (one, one_k), (three, three_k) = bounds["1"], bounds["3"]
    intervals = [one, case2[0], three, one_k, case2[1], three_k]
    table = pd.DataFrame(
        {
            "icc": np.array(estimates, dtype=float),
            "F": np.array([f1, f3, f3, f1, f3, f3], dtype=float),
            "df1": [n - 1] * 6,
            "df2": np.array([df_w, df_e, df_e, df_w, df_e, df_e], dtype=float),
            "lower": [float(lo) for lo, _ in intervals],
            "upper": [float(hi) for _, hi in intervals],
        },
        index=pd.Index(ICC_FORMS, name="form"),
    )
    table.insert(4, "p", fd.sf(table["F"].to_numpy(), n - 1, table["df2"].to_numpy()))
    if design == "nested":  # raters differ between candidates: rater effects are not separable
        table.loc[["ICC(2,1)", "ICC(3,1)", "ICC(2,k)", "ICC(3,k)"], ["icc", "F", "p", "df2", "lower", "upper"]] = np.nan
    table["n_candidates"], table["n_raters"], table["design"] = n, k, design
    return table


def icc(
    ratings: pd.DataFrame, competency: str | None = None, *, incomplete: str = "error", confidence: float = 0.95
) -> pd.DataFrame:
    """The six intraclass correlations of Shrout & Fleiss (1979), with F tests and confidence intervals.

    For one ``n`` candidates (targets) x ``k`` raters (judges) matrix, with the mean squares of the two-way
    ANOVA: between candidates ``BMS``, within candidates ``WMS`` (one-way), between raters ``JMS`` and residual
    ``EMS`` (Shrout & Fleiss 1979):

    - ``ICC(1,1) = (BMS - WMS) / (BMS + (k-1) WMS)``: each candidate rated by different raters (one-way random);
    - ``ICC(2,1) = (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n)``: random raters, absolute agreement;
    - ``ICC(3,1) = (BMS - EMS) / (BMS + (k-1) EMS)``: these raters (fixed), consistency;
    - ``ICC(1,k) = (BMS - WMS) / BMS``, ``ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n)``,
      ``ICC(3,k) = (BMS - EMS) / BMS``: the same for the mean of the ``k`` raters.

    F tests of ``ICC = 0`` (McGraw & Wong 1996): ``F = BMS / WMS`` on ``(n-1, n(k-1))`` df for
    ``ICC(1,.)``, ``F = BMS / EMS`` on ``(n-1, (n-1)(k-1))`` df for ``ICC(2,.)`` and ``ICC(3,.)``.

    Intervals (McGraw & Wong 1996; Shrout & Fleiss 1979), with ``F_q(d1, d2)`` the
    ``q = 1 - (1 - confidence) / 2`` quantile of the F distribution:

    - ``ICC(1,.)`` and ``ICC(3,.)``: ``F_L = F / F_q(df1, df2)``, ``F_U = F * F_q(df2, df1)``; single rater
      ``[(F_L - 1) / (F_L + k - 1), (F_U - 1) / (F_U + k - 1)]``, mean of k ``[1 - 1/F_L, 1 - 1/F_U]``;
    - ``ICC(2,.)``: with ``r = ICC(2,1)``, ``a = k r / (n (1 - r))``, ``b = 1 + k r (n - 1) / (n (1 - r))`` and
      Satterthwaite's ``v = (a JMS + b EMS)^2 / ((a JMS)^2 / (k-1) + (b EMS)^2 / ((n-1)(k-1)))``,
      ``F* = F_q(n-1, v)``, ``F_* = F_q(v, n-1)``:
      ``ICC(2,1)`` in ``[n (BMS - F* EMS) / (F* (k JMS + (kn - k - n) EMS) + n BMS),
      n (F_* BMS - EMS) / (k JMS + (kn - k - n) EMS + n F_* BMS)]`` and
      ``ICC(2,k)`` in ``[n (BMS - F* EMS) / (F* (JMS - EMS) + n BMS), n (F_* BMS - EMS) / (JMS - EMS + n F_* BMS)]``.

    **Per competency** the matrix is the candidates' scores on that competency by each rater. **Overall**
    (``OVERALL``, ``"(overall)"``) it is each rater's *mean over all competencies* for each candidate (the
    unweighted composite a rater gives): its ``ICC(3,k)`` and ``ICC(2,k)`` equal the G-theory coefficients
    ``E rho^2`` and ``Phi`` of the crossed design with the competencies fixed (:func:`d_study` with
    ``fixed_competencies=True``, at the observed numbers of raters), and its ``ICC(1,k)`` that of the nested design.

    **Nested ratings** (raters differ between candidates, e.g. separate interviews): rater and candidate effects
    cannot be separated, so only ``ICC(1,1)`` and ``ICC(1,k)`` are defined; the ``ICC(2,.)`` and ``ICC(3,.)``
    rows are NaN and the ``design`` column says ``"nested"``. The rater "columns" are then each candidate's raters
    in id order.

    **A rater who skipped a candidate** (or a competency) makes the table unbalanced: ``incomplete="error"``
    refuses it, naming the first gap; ``incomplete="drop"`` keeps the balanced part, with a warning (see the
    module notes). Undefined values (e.g. no variance at all) are NaN.

    Parameters
    ----------
    ratings
        Long ratings table.
    competency
        A competency id, or ``OVERALL``, for that matrix only; None (default) for the overall matrix and every
        competency.
    incomplete
        ``"error"`` (default) or ``"drop"``, for unbalanced ratings.
    confidence
        Level of the intervals, in (0, 1); default .95.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``form`` (the labels of :data:`ICC_FORMS`; with ``competency=None`` by ``competency_id``
        (``OVERALL`` first, then the competencies in order of first appearance) and ``form``): ``icc``, ``F``,
        ``df1``, ``df2``, ``p``, ``lower``, ``upper``, ``n_candidates``, ``n_raters`` (per candidate),
        ``design``.

    Raises
    ------
    SmmrubricError
        A bad ratings table, several stages, an unknown competency, unbalanced ratings with
        ``incomplete="error"``, fewer than 2 candidates or 2 raters per candidate, a bad option.
    """
    check_choice(incomplete, "incomplete", INCOMPLETE_POLICIES)
    level = check_probability(confidence, "confidence", open_ends=True)
    frame = _table(ratings)
    file = source_file(ratings)
    ids = pd.Index(pd.unique(frame["competency_id"]))
    _check_competency(competency, ids)
    overall, chosen = _selected(ids, competency)
    parts = {}
    if overall:
        layout = _layout(frame, incomplete, "overall", file)
        parts[OVERALL] = _icc_table(layout.scores.mean(axis=2), layout.design, level)
    for cid in chosen:
        layout = _layout(frame[frame["competency_id"] == cid], incomplete, f"competency {cid!r}", file)
        parts[cid] = _icc_table(layout.scores[:, :, 0], layout.design, level)
    return _labelled(parts, competency)


# --------------------------------------------------------------------------------------------
# G study


@dataclass(frozen=True)
class GStudy:
    """Variance components of a G study, from :func:`g_study`.

    Attributes
    ----------
    design : str
        ``"crossed"`` (p x r x i) or ``"nested"`` ((r:p) x i).
    components : pandas.DataFrame
        Indexed by ``component`` (:data:`CROSSED_COMPONENTS` or :data:`NESTED_COMPONENTS`): ``variance`` (the
        estimate, negative ones set to 0), ``estimate`` (the ANOVA solution, possibly negative), ``negative``
        (bool: the estimate was below 0 and was set to 0) and ``share`` (of the sum of the variances).
    mean_squares : pandas.DataFrame
        Indexed by ``effect`` (the same labels): ``df``, ``ss``, ``ms``.
    sizes : dict
        ``{"p": candidates, "r": raters (per candidate, in the nested design), "i": competencies}``.
    candidates, competencies : pandas.Index
        The ids analysed.
    raters : numpy.ndarray
        Rater ids of each candidate's raters, shape ``(n_p, n_r)`` (every row the same in the crossed design).
    """

    design: str
    components: pd.DataFrame
    mean_squares: pd.DataFrame
    sizes: dict[str, int]
    candidates: pd.Index
    competencies: pd.Index
    raters: np.ndarray

    @property
    def variance(self) -> pd.Series:
        """The variance components (negative estimates set to 0), a Series indexed by ``component``."""
        return self.components["variance"]


def _crossed_anova(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(df, ss, estimates) of the random p x r x i design, in :data:`CROSSED_COMPONENTS` order."""
    n_p, n_r, n_i = x.shape
    m = x.mean()
    mp, mr, mi = x.mean(axis=(1, 2)), x.mean(axis=(0, 2)), x.mean(axis=(0, 1))
    mpr, mpi, mri = x.mean(axis=2), x.mean(axis=1), x.mean(axis=0)
    pr = mpr - mp[:, None] - mr[None, :] + m
    pi = mpi - mp[:, None] - mi[None, :] + m
    ri = mri - mr[:, None] - mi[None, :] + m
    pri = x - mpr[:, :, None] - mpi[:, None, :] - mri[None] + mp[:, None, None] + mr[None, :, None] + mi - m
    ss = np.array(
        [
            n_r * n_i * ((mp - m) ** 2).sum(),
            n_p * n_i * ((mr - m) ** 2).sum(),
            n_p * n_r * ((mi - m) ** 2).sum(),
            n_i * (pr**2).sum(),
            n_r * (pi**2).sum(),
            n_p * (ri**2).sum(),
            (pri**2).sum(),
        ]
    )
    a, b, c = n_p - 1, n_r - 1, n_i - 1
    df = np.array([a, b, c, a * b, a * c, b * c, a * b * c], dtype=float)
    ss = _snap(ss / df, x) * df
    ms_p, ms_r, ms_i, ms_pr, ms_pi, ms_ri, ms_e = ss / df
    est = np.array(
        [
            (ms_p - ms_pr - ms_pi + ms_e) / (n_r * n_i),
            (ms_r - ms_pr - ms_ri + ms_e) / (n_p * n_i),
            (ms_i - ms_pi - ms_ri + ms_e) / (n_p * n_r),
            (ms_pr - ms_e) / n_i,
            (ms_pi - ms_e) / n_r,
            (ms_ri - ms_e) / n_p,
            ms_e,
        ]
    )
    return df, ss, est


def _nested_anova(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(df, ss, estimates) of the random (r:p) x i design, in :data:`NESTED_COMPONENTS` order."""
    n_p, n_r, n_i = x.shape
    m = x.mean()
    mp, mi = x.mean(axis=(1, 2)), x.mean(axis=(0, 1))
    mpr, mpi = x.mean(axis=2), x.mean(axis=1)
    pi = mpi - mp[:, None] - mi[None, :] + m
    rip = x - mpr[:, :, None] - mpi[:, None, :] + mp[:, None, None]
    ss = np.array(
        [
            n_r * n_i * ((mp - m) ** 2).sum(),
            n_i * ((mpr - mp[:, None]) ** 2).sum(),
            n_p * n_r * ((mi - m) ** 2).sum(),
            n_r * (pi**2).sum(),
            (rip**2).sum(),
        ]
    )
    df = np.array([n_p - 1, n_p * (n_r - 1), n_i - 1, (n_p - 1) * (n_i - 1), n_p * (n_r - 1) * (n_i - 1)], dtype=float)
    ss = _snap(ss / df, x) * df
    ms_p, ms_rp, ms_i, ms_pi, ms_e = ss / df
    est = np.array(
        [
            (ms_p - ms_rp - ms_pi + ms_e) / (n_r * n_i),
            (ms_rp - ms_e) / n_i,
            (ms_i - ms_pi) / (n_p * n_r),
            (ms_pi - ms_e) / n_r,
            ms_e,
        ]
    )
    return df, ss, est


def g_study(ratings: pd.DataFrame, design: str = "auto", *, incomplete: str = "error") -> GStudy:
    """Variance components of candidates, raters and competencies by ANOVA (Brennan 2001, ch. 3).

    **Crossed, random p x r x i** (every candidate rated by the same raters on every competency):
    ``X_pri = mu + p + r + i + pr + pi + ri + pri,e``, each effect random with variance ``s2(.)``. The mean squares
    have expectations (``n_p, n_r, n_i`` the numbers of candidates, raters, competencies)

    - ``EMS(p) = s2(pri,e) + n_i s2(pr) + n_r s2(pi) + n_r n_i s2(p)``,
    - ``EMS(r) = s2(pri,e) + n_i s2(pr) + n_p s2(ri) + n_p n_i s2(r)``,
    - ``EMS(i) = s2(pri,e) + n_r s2(pi) + n_p s2(ri) + n_p n_r s2(i)``,
    - ``EMS(pr) = s2(pri,e) + n_i s2(pr)``, ``EMS(pi) = s2(pri,e) + n_r s2(pi)``,
      ``EMS(ri) = s2(pri,e) + n_p s2(ri)``, ``EMS(pri,e) = s2(pri,e)``,

    solved for the components with the observed mean squares: e.g.
    ``s2(p) = (MS(p) - MS(pr) - MS(pi) + MS(pri,e)) / (n_r n_i)``.

    **Nested, random (r:p) x i** (each candidate rated by their own ``n_r`` raters, each rater rating every
    competency; the usual interview case): ``X_pri = mu + p + i + r:p + pi + ri:p,e`` with

    - ``EMS(p) = s2(ri:p,e) + n_i s2(r:p) + n_r s2(pi) + n_r n_i s2(p)``,
    - ``EMS(r:p) = s2(ri:p,e) + n_i s2(r:p)``, ``EMS(i) = s2(ri:p,e) + n_r s2(pi) + n_p n_r s2(i)``,
    - ``EMS(pi) = s2(ri:p,e) + n_r s2(pi)``, ``EMS(ri:p,e) = s2(ri:p,e)``.

    Here ``s2(r:p)`` confounds rater leniency with the rater-by-candidate effect (``s2(r) + s2(pr)``) and
    ``s2(ri:p,e)`` the rater-by-competency effect with the residual (``s2(ri) + s2(pri,e)``).

    A negative estimate (sampling error around a small component) is reported as 0 in ``variance`` and flagged
    in ``negative``; the other components keep their solutions from the observed mean squares (Brennan 2001,
    ch. 3; Cronbach et al. 1972 also carry the 0 into the other estimates).

    Parameters
    ----------
    ratings
        Long ratings table.
    design
        ``"auto"`` (default: crossed if every candidate has the same raters, else nested), ``"crossed"`` (refused
        when raters differ between candidates) or ``"nested"`` (always possible: crossed ratings can be analysed
        as nested, each candidate's raters taken as their own).
    incomplete
        ``"error"`` (default) or ``"drop"``, for unbalanced ratings (see the module notes).

    Returns
    -------
    GStudy
        The components, the mean squares, the design and the sample sizes.

    Raises
    ------
    SmmrubricError
        A bad ratings table, several stages, unbalanced ratings with ``incomplete="error"``, fewer than 2
        candidates, 2 raters per candidate or 2 competencies, ``design="crossed"`` on nested ratings.
    """
    check_choice(design, "design", ("auto",) + DESIGNS)
    check_choice(incomplete, "incomplete", INCOMPLETE_POLICIES)
    frame = _table(ratings)
    file = source_file(ratings)
    layout = _layout(frame, incomplete, "g_study", file)
    n_p, n_r, n_i = layout.scores.shape
    if n_i < 2:
        raise SmmrubricError(
            f"needs at least 2 competencies, got {n_i}; for one competency use icc()", file=file, field="competency_id"
        )
    if design == "crossed" and layout.design == "nested":
        raise SmmrubricError(
            "the raters differ between candidates, so raters are not crossed with candidates; "
            "use design='nested' (or 'auto')",
            file=file,
            field="design",
        )
    chosen = layout.design if design == "auto" else design
    labels = CROSSED_COMPONENTS if chosen == "crossed" else NESTED_COMPONENTS
    df, ss, est = (_crossed_anova if chosen == "crossed" else _nested_anova)(layout.scores)
    est = np.where(np.abs(est) <= 1e-10 * np.max(ss / df), 0.0, est)  # rounding error of a difference of MS
    index = pd.Index(labels, name="component")
    variance = np.maximum(est, 0.0)
    total = variance.sum()
    components = pd.DataFrame(
        {
            "variance": variance,
            "estimate": est,
            "negative": est < 0,
            "share": variance / total if total > 0 else np.nan,
        },
        index=index,
    )
    mean_squares = pd.DataFrame({"df": df, "ss": ss, "ms": ss / df}, index=index.rename("effect"))
    return GStudy(
        chosen,
        components,
        mean_squares,
        {"p": n_p, "r": n_r, "i": n_i},
        layout.candidates,
        layout.competencies,
        layout.raters,
    )


# --------------------------------------------------------------------------------------------
# D study


def _check_gstudy(g: Any) -> GStudy:
    if not isinstance(g, GStudy):
        raise SmmrubricError(f"must be a GStudy from g_study(), got {type(g).__name__}", field="g")
    return g


def _d_design(g: GStudy, design: Any) -> tuple[str, dict[str, float]]:
    """The D-study design and the components it uses: a crossed G study also serves a nested D study."""
    chosen = g.design if design is None else check_choice(design, "design", DESIGNS)
    v = g.variance.to_dict()
    if chosen == g.design:
        return chosen, v
    if g.design == "nested":
        raise SmmrubricError(
            "a nested G study cannot inform a crossed D study: s2(r) and s2(pr) are confounded in s2(r:p)",
            field="design",
        )
    # Brennan (2001), ch. 4: s2(r:p) = s2(r) + s2(pr), s2(ri:p,e) = s2(ri) + s2(pri,e)
    return chosen, {"p": v["p"], "r:p": v["r"] + v["pr"], "i": v["i"], "pi": v["pi"], "ri:p,e": v["ri"] + v["pri,e"]}


def _error_parts(v: dict[str, float], design: str, n_i: float, fixed: bool) -> tuple[float, tuple, tuple]:
    """Universe-score variance and the (A, B) of each error variance ``A + B / n_r`` for ``n_i`` competencies."""
    if design == "crossed":
        rater, rater_i, rater_abs, rater_i_abs = v["pr"], v["pri,e"], v["r"], v["ri"]
    else:
        rater, rater_i, rater_abs, rater_i_abs = v["r:p"], v["ri:p,e"], 0.0, 0.0
    b_rel = rater + rater_i / n_i
    b_abs = b_rel + rater_abs + rater_i_abs / n_i
    if fixed:  # the competencies are the universe: s2(pi) / n_i is universe-score variance, s2(i) is no error
        return v["p"] + v["pi"] / n_i, (0.0, b_rel), (0.0, b_abs)
    return v["p"], (v["pi"] / n_i, b_rel), ((v["pi"] + v["i"]) / n_i, b_abs)


def _coefficient(tau: float, a: float, b: float, n_r: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore"):
        return tau / (tau + a + b / n_r)


def _sizes(values: Any, default: Iterable[int], field: str) -> list[int]:
    if values is None:
        values = default
    if isinstance(values, (int, np.integer)) and not isinstance(values, bool):
        values = [values]
    try:
        items = list(values)
    except TypeError:
        raise SmmrubricError(f"must be a list of positive integers, got {values!r}", field=field) from None
    if not items:
        raise SmmrubricError("must not be empty", field=field)
    return sorted({check_int(v, field, low=1) for v in items})


def d_study(
    g: GStudy,
    raters: Any = None,
    competencies: Any = None,
    *,
    design: str | None = None,
    fixed_competencies: bool = False,
) -> pd.DataFrame:
    """Reliability of the mean of ``n_r`` raters over ``n_i`` competencies, from a G study (Brennan 2001, ch. 4).

    With the G-study components (negative ones as 0), for the crossed ``p x R x I`` design

    ``s2(delta) = s2(pr)/n_r + s2(pi)/n_i + s2(pri,e)/(n_r n_i)``,
    ``s2(Delta) = s2(delta) + s2(r)/n_r + s2(i)/n_i + s2(ri)/(n_r n_i)``,

    and for the nested ``(R:p) x I`` design (each candidate with their own ``n_r`` raters)

    ``s2(delta) = s2(pi)/n_i + s2(r:p)/n_r + s2(ri:p,e)/(n_r n_i)``, ``s2(Delta) = s2(delta) + s2(i)/n_i``;

    then ``g = E rho^2 = s2(p) / (s2(p) + s2(delta))`` (relative: ranking candidates) and
    ``phi = s2(p) / (s2(p) + s2(Delta))`` (absolute: a candidate's level, e.g. against a must-have).

    A crossed G study also gives the nested D study (``design="nested"``: ``s2(r:p) = s2(r) + s2(pr)``,
    ``s2(ri:p,e) = s2(ri) + s2(pri,e)``); a nested one cannot give the crossed D study.

    With ``fixed_competencies=True`` the rubric's competencies are the whole universe (Brennan 2001, ch. 4, fixed
    facets): the universe score is the candidate's mean over exactly these ``n_i`` competencies, with variance
    ``s2(p) + s2(pi)/n_i``; ``s2(pi)`` leaves the error and ``s2(i)`` the absolute error. At the observed numbers
    of raters and competencies this ``g`` and ``phi`` equal ``ICC(3,k)`` and ``ICC(2,k)`` of :func:`icc`'s
    overall matrix (crossed), and both equal its ``ICC(1,k)`` (nested).

    Parameters
    ----------
    g
        A :class:`GStudy`.
    raters
        Numbers of raters ``n_r`` to tabulate; default 1 to 5 and the G study's own.
    competencies
        Numbers of competencies ``n_i``; default the G study's own.
    design
        ``"crossed"`` or ``"nested"``; default the G study's design.
    fixed_competencies
        Treat the competencies as fixed (see above); default False (a random sample of competencies).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``raters`` and ``competencies``: ``g``, ``phi``, ``relative_error`` (``s2(delta)``),
        ``absolute_error`` (``s2(Delta)``).

    Raises
    ------
    SmmrubricError
        ``g`` not a GStudy, sizes not positive integers, a crossed D study from a nested G study.
    """
    g = _check_gstudy(g)
    chosen, v = _d_design(g, design)
    if not isinstance(fixed_competencies, bool):
        raise SmmrubricError(f"must be True or False, got {fixed_competencies!r}", field="fixed_competencies")
    n_rs = _sizes(raters, [1, 2, 3, 4, 5, g.sizes["r"]], "raters")
    n_is = _sizes(competencies, [g.sizes["i"]], "competencies")
    rows = []
    for n_i in n_is:
        tau, (a_rel, b_rel), (a_abs, b_abs) = _error_parts(v, chosen, n_i, fixed_competencies)
        for n_r in n_rs:
            rows.append(
                {
                    "raters": n_r,
                    "competencies": n_i,
                    "g": _coefficient(tau, a_rel, b_rel, n_r),
                    "phi": _coefficient(tau, a_abs, b_abs, n_r),
                    "relative_error": a_rel + b_rel / n_r,
                    "absolute_error": a_abs + b_abs / n_r,
                }
            )
    return pd.DataFrame(rows).set_index(["raters", "competencies"])


def _raters_for(tau: float, a: float, b: float, target: float) -> int | None:
    """Smallest n_r with tau / (tau + a + b / n_r) >= target, or None when no number of raters reaches it."""
    room = tau * (1.0 - target) / target - a  # the error that b / n_r may still add
    if not tau > 0 or room < 0 or (room == 0 and b > 0):
        return None
    n = 1 if b <= 0 else max(1, math.ceil(b / room))
    while n > 1 and _coefficient(tau, a, b, n - 1) >= target:  # guard the ceiling against rounding
        n -= 1
    while _coefficient(tau, a, b, n) < target:
        n += 1
    return n


def raters_needed(
    g: GStudy,
    target: float = 0.80,
    *,
    competencies: int | None = None,
    design: str | None = None,
    fixed_competencies: bool = False,
) -> pd.DataFrame:
    """The fewest raters whose mean reaches a reliability target, for a number of competencies.

    With the error variances of :func:`d_study` written ``A + B / n_r``, ``s2(tau) / (s2(tau) + A + B / n_r) >=
    target`` holds from ``n_r = ceil(B / (s2(tau) (1 - target) / target - A))``; no number of raters suffices when
    the limit ``s2(tau) / (s2(tau) + A)`` (infinitely many raters) is below the target.

    Parameters
    ----------
    g
        A :class:`GStudy`.
    target
        The reliability wanted, in (0, 1); default .80.
    competencies
        ``n_i``; default the G study's number of competencies.
    design, fixed_competencies
        As in :func:`d_study`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``coefficient`` (``g``, ``phi``): ``raters`` (Int64; NA when no number of raters reaches the
        target) and ``limit`` (the coefficient with infinitely many raters).

    Raises
    ------
    SmmrubricError
        ``g`` not a GStudy, ``target`` outside (0, 1), ``competencies`` not a positive integer.
    """
    g = _check_gstudy(g)
    goal = check_probability(target, "target", open_ends=True)
    chosen, v = _d_design(g, design)
    n_i = g.sizes["i"] if competencies is None else check_int(competencies, "competencies", low=1)
    if not isinstance(fixed_competencies, bool):
        raise SmmrubricError(f"must be True or False, got {fixed_competencies!r}", field="fixed_competencies")
    tau, rel, absolute = _error_parts(v, chosen, n_i, fixed_competencies)
    needed = [_raters_for(tau, a, b, goal) for a, b in (rel, absolute)]
    limits = [_coefficient(tau, a, 0.0, 1) for a, _ in (rel, absolute)]
    return pd.DataFrame(
        {"raters": pd.array(needed, dtype="Int64"), "limit": limits}, index=pd.Index(["g", "phi"], name="coefficient")
    )


# --------------------------------------------------------------------------------------------
# rater severity


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm's (1979) step-down adjusted p-values (NaN stays NaN and is not counted)."""
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if ok.size:
        order = ok[np.argsort(p[ok], kind="stable")]
        m = order.size
        adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
        out[order] = np.minimum(adjusted, 1.0)
    return out


def _t_summary(units: pd.Series, level: float, tol: float) -> pd.DataFrame:
    """Per group (all index levels but the last, the unit): mean, SE, t interval, two-sided p of mean = 0, n."""
    summary = units.groupby(level=list(range(units.index.nlevels - 1))).agg(["mean", "std", "count"])
    n = summary["count"].to_numpy(dtype=int)
    mean = summary["mean"].to_numpy(dtype=float)
    mean = np.where(np.abs(mean) <= tol, 0.0, mean)
    sd = summary["std"].to_numpy(dtype=float)
    df = np.maximum(n - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(n >= 2, np.where(sd <= tol, 0.0, sd) / np.sqrt(n), np.nan)
        half = stats.t.ppf(1.0 - (1.0 - level) / 2.0, df) * se
        t = np.where(se > 0, mean / se, np.where(mean == 0, 0.0, np.sign(mean) * np.inf))
    p = np.where(n >= 2, 2.0 * stats.t.sf(np.abs(t), df), np.nan)
    return pd.DataFrame(
        {"mean": mean, "se": se, "lower": mean - half, "upper": mean + half, "p": p, "n": n}, index=summary.index
    )


def _pairs(frame: pd.DataFrame, level: float) -> pd.DataFrame:
    """The table of :func:`rater_pairs` from a checked long table."""
    frame = frame[["candidate_id", "competency_id", "rater_id", "score"]]
    both = frame.merge(frame, on=["candidate_id", "competency_id"], suffixes=("", "_other"))
    both = both[both["rater_id"] < both["rater_id_other"]]
    diff = (
        (both["score"] - both["score_other"])
        .groupby([both["rater_id"], both["rater_id_other"].rename("other_rater_id"), both["candidate_id"]])
        .mean()
    )
    columns = ["difference", "se", "lower", "upper", "p", "p_holm", "n_candidates"]
    if diff.empty:
        return pd.DataFrame(
            columns=columns, index=pd.MultiIndex.from_arrays([[], []], names=["rater_id", "other_rater_id"])
        )
    table = _t_summary(diff, level, _tolerance(frame["score"].to_numpy()))
    table.insert(5, "p_holm", _holm(table["p"].to_numpy()))
    return table.rename(columns={"mean": "difference", "n": "n_candidates"})[columns]


def rater_pairs(ratings: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """How much each pair of raters differs on the candidates and competencies they both rated.

    For raters ``r`` and ``s`` who both rated candidate ``p``, ``v_prs = mean_i (x_pir - x_pis)`` over the
    competencies both rated; the pair's ``difference`` is the mean of ``v_prs`` over their ``n`` shared candidates,
    with the t interval ``difference +- t_{q, n-1} sd(v_prs) / sqrt(n)`` (``q = 1 - (1 - confidence) / 2``;
    candidates as independent units) and the two-sided p-value of ``difference = 0``; ``p_holm`` adjusts the
    p-values over all pairs tested (Holm 1979). Pairs sharing fewer than 2 candidates are listed untested (NaN).

    Parameters
    ----------
    ratings
        Long ratings table (crossed or nested; need not be balanced).
    confidence
        Level of the intervals, in (0, 1); default .95.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``rater_id`` and ``other_rater_id`` (each pair once, ``rater_id < other_rater_id``):
        ``difference`` (``rater_id`` minus ``other_rater_id``), ``se``, ``lower``, ``upper``, ``p``, ``p_holm``,
        ``n_candidates``. Empty when no two raters rated the same candidate on the same competency.

    Raises
    ------
    SmmrubricError
        A bad ratings table, several stages, ``confidence`` outside (0, 1).
    """
    level = check_probability(confidence, "confidence", open_ends=True)
    return _pairs(_table(ratings), level)


def rater_severity(ratings: pd.DataFrame, *, confidence: float = 0.95, alpha: float = 0.05) -> pd.DataFrame:
    """Each rater's mean deviation from the other raters of the same candidates, with an interval and a flag.

    Every rating ``x_pir`` (candidate ``p``, competency ``i``, rater ``r``) is compared with the mean of the
    *other* raters of the same candidate on the same competency, ``d_pir = x_pir - mean_{r' != r} x_pir'``, so a
    rater is judged only on the candidates they saw (ratings of a candidate and competency with a single rater
    are not used). A rater's deviations are averaged over competencies within each candidate,
    ``u_pr = mean_i d_pir``, and the rater's ``deviation`` is the mean of ``u_pr`` over their ``n`` candidates:
    positive = lenient (rates higher than the others), negative = severe. The interval treats candidates as
    independent units (halo makes a rater's deviations on one candidate move together):
    ``deviation +- t_{q, n-1} sd(u_pr) / sqrt(n)``, ``q = 1 - (1 - confidence) / 2``.

    **Flag rule.** One lenient rater shifts the others' deviations too (by ``-c / (k - 1)`` in a panel of ``k``),
    so the flag compares raters pairwise instead (:func:`rater_pairs`): a rater is ``flagged`` when their mean
    difference from another rater on shared candidates is significant (Holm-adjusted over all pairs tested,
    ``p_holm < alpha``) for *more than half* of the raters they were compared with (``n_differs`` out of
    ``n_compared``). So an outlying rater is flagged and the raters they pull along are not; with only two raters
    who differ, both are flagged (the data cannot say which one is off).

    Parameters
    ----------
    ratings
        Long ratings table (crossed or nested; need not be balanced).
    confidence
        Level of the intervals, in (0, 1); default .95.
    alpha
        Familywise error rate of the pairwise tests behind the flag, in (0, 1); default .05.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``rater_id`` (sorted): ``deviation``, ``se``, ``lower``, ``upper`` (NaN for raters with fewer
        than 2 usable candidates), ``n_candidates`` and ``n_ratings`` (used), ``n_compared``, ``n_differs``,
        ``flagged`` (bool).

    Raises
    ------
    SmmrubricError
        A bad ratings table, several stages, ``confidence`` or ``alpha`` outside (0, 1), or no candidate and
        competency rated by 2 raters or more.
    """
    level = check_probability(confidence, "confidence", open_ends=True)
    level_alpha = check_probability(alpha, "alpha", open_ends=True)
    frame = _table(ratings)
    cell = frame.groupby(["candidate_id", "competency_id"], sort=False)["score"]
    total, count = cell.transform("sum"), cell.transform("size")
    usable = (count >= 2).to_numpy()
    if not usable.any():
        raise SmmrubricError(
            "no candidate was rated on a competency by 2 raters or more, so raters cannot be compared",
            file=source_file(ratings),
            field="rater_id",
        )
    score = frame["score"]
    d = (score - (total - score) / (count - 1))[usable]
    used = frame[usable]
    per_candidate = d.groupby([used["rater_id"], used["candidate_id"]]).mean()
    raters = pd.Index(sorted(pd.unique(frame["rater_id"])), name="rater_id")
    table = _t_summary(per_candidate, level, _tolerance(score.to_numpy())).reindex(raters)
    pairs = _pairs(frame, level)
    tested = pairs[pairs["p_holm"].notna()]
    ends = pd.concat([tested.index.get_level_values(0).to_series(), tested.index.get_level_values(1).to_series()])
    differs = np.concatenate([tested["p_holm"].to_numpy() < level_alpha] * 2)
    n_compared = ends.value_counts().reindex(raters, fill_value=0)
    n_differs = pd.Series(differs, index=ends.to_numpy()).groupby(level=0).sum().reindex(raters, fill_value=0)
    n_ratings = pd.Series(usable, index=frame.index).groupby(frame["rater_id"]).sum().reindex(raters)
    return pd.DataFrame(
        {
            "deviation": table["mean"],
            "se": table["se"],
            "lower": table["lower"],
            "upper": table["upper"],
            "n_candidates": table["n"].fillna(0).astype(int),
            "n_ratings": n_ratings.astype(int),
            "n_compared": n_compared.astype(int),
            "n_differs": n_differs.astype(int),
            "flagged": (n_differs > n_compared / 2).to_numpy(),
        },
        index=raters,
    )


# --------------------------------------------------------------------------------------------
# Krippendorff's alpha


def reliability_data(ratings: pd.DataFrame, competency: str | None = None) -> pd.DataFrame:
    """Krippendorff's reliability-data matrix: raters x units, a unit being a (candidate, competency) pair.

    Parameters
    ----------
    ratings
        Long ratings table.
    competency
        A competency id for its units only; None (default) for every unit.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``rater_id`` (sorted), columns ``(candidate_id, competency_id)`` (sorted); the score, NaN
        where the rater did not rate the unit. ``krippendorff.alpha(reliability_data=matrix.to_numpy())``
        takes it as is.

    Raises
    ------
    SmmrubricError
        A bad ratings table, several stages, an unknown competency.
    """
    frame = _table(ratings)
    _check_competency(competency, pd.Index(pd.unique(frame["competency_id"])))
    if competency not in (None, OVERALL):
        frame = frame[frame["competency_id"] == competency]
    return frame.pivot(index="rater_id", columns=["candidate_id", "competency_id"], values="score")


def _alpha(frame: pd.DataFrame) -> dict[str, float]:
    """Interval and ordinal alpha of one table, from its units' value counts (what krippendorff builds itself)."""
    import krippendorff  # imported here: only this function needs it

    counts = frame.groupby(["candidate_id", "competency_id", "score"]).size().unstack(fill_value=0)
    if counts.shape[1] > MAX_ALPHA_VALUES:
        raise SmmrubricError(
            f"has {counts.shape[1]} distinct scores; Krippendorff's alpha is computed for rating "
            f"scales of at most {MAX_ALPHA_VALUES} values",
            field="score",
        )
    m = counts.to_numpy().sum(axis=1)
    out = {"n_units": float((m >= 2).sum()), "n_pairable": float(m[m >= 2].sum())}
    for level in ("interval", "ordinal"):
        if counts.shape[1] < 2 or not (m >= 2).any():
            out[level] = np.nan  # no variation, or no unit rated twice: alpha is undefined
        else:
            out[level] = float(
                krippendorff.alpha(
                    value_counts=counts.to_numpy(),
                    level_of_measurement=level,
                    value_domain=counts.columns.to_numpy(dtype=float),
                )
            )
    return out


def krippendorff_alpha(ratings: pd.DataFrame, competency: str | None = None) -> pd.DataFrame:
    """Krippendorff's alpha for interval and ordinal scores, per competency and overall.

    ``alpha = 1 - D_o / D_e``: the observed disagreement ``D_o`` between ratings of the same unit over the
    disagreement ``D_e`` expected between any two ratings, both from the coincidence matrix of the values, with the
    interval distance ``(c - k)^2`` or the ordinal distance ``(sum_{g=c..k} n_g - (n_c + n_k) / 2)^2`` (``n_g``
    the number of pairable ratings of value ``g``) (Krippendorff 2011; Hayes & Krippendorff 2007). Computed by the
    ``krippendorff`` package from the units' value counts, the same counts it builds from the raters x units
    reliability-data matrix of :func:`reliability_data`. Any missing pattern is allowed (crossed, nested,
    unbalanced); units rated once are not pairable and do not count.

    Units are (candidate, competency) pairs. Per competency the units are that competency's candidates;
    **overall** (``OVERALL``) they are all (candidate, competency) pairs together, so differences between
    competencies' means count as agreement-worthy variation between units.

    Parameters
    ----------
    ratings
        Long ratings table.
    competency
        A competency id, or ``OVERALL``, for that row only (a Series); None (default) for all rows.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        Indexed by ``competency_id`` (``OVERALL`` first, then the competencies in order of first appearance):
        ``interval``, ``ordinal`` (NaN when all scores are equal or no unit was rated twice), ``n_units``
        (pairable units) and ``n_pairable`` (ratings in them); a Series of these for one competency.

    Raises
    ------
    SmmrubricError
        A bad ratings table, several stages, an unknown competency, more than :data:`MAX_ALPHA_VALUES` distinct
        scores.
    """
    frame = _table(ratings)
    ids = pd.Index(pd.unique(frame["competency_id"]))
    _check_competency(competency, ids)
    overall, chosen = _selected(ids, competency)
    rows = {}
    if overall:
        rows[OVERALL] = _alpha(frame)
    for cid in chosen:
        rows[cid] = _alpha(frame[frame["competency_id"] == cid])
    table = pd.DataFrame.from_dict(rows, orient="index")[["interval", "ordinal", "n_units", "n_pairable"]]
    table[["n_units", "n_pairable"]] = table[["n_units", "n_pairable"]].astype(int)
    table.index.name = "competency_id"
    return table.iloc[0] if competency is not None else table


# --------------------------------------------------------------------------------------------
# from a G study to the simulator


def simulation_parameters(g: GStudy) -> dict[str, float]:
    """Parameters of :mod:`smmrubric.simulate` that reproduce the variance components of a G study.

    The simulator's rating is ``X_pir = z_pi + L_r + H_pr + E_pir`` (true standing, leniency, halo shared across
    competencies, error; :func:`smmrubric.simulate.ratings`), with ``reliability = Var(z) / Var(X)`` for one
    rating by a random rater. In G-study terms (crossed design):

    - true standing ``z_pi``: ``s2(p) + s2(pi)`` (the candidate's general level plus their profile);
    - leniency ``L_r``: ``s2(r) + s2(ri)`` (a rater's shift on a competency, the same for every candidate; the
      simulator has one shift per rater, so the rater-by-competency part is folded into it);
    - halo ``H_pr``: ``s2(pr)``; error: ``s2(pri,e)``;
    - ``s2(i)`` (competencies' difficulty, shifting every candidate alike) has no counterpart and is left out.

    So ``reliability = (s2(p) + s2(pi)) / (s2(p) + s2(pi) + N)`` with the non-true variance
    ``N = s2(r) + s2(ri) + s2(pr) + s2(pri,e)``, ``leniency_share = (s2(r) + s2(ri)) / N`` and
    ``halo_share = s2(pr) / N`` (the simulator's shares of ``(1 - rho) / rho``); ``mean_intercorrelation =
    s2(p) / (s2(p) + s2(pi))`` is the mean correlation between true standings on two competencies
    (:func:`smmrubric.simulate.candidates`); ``rater_bias_share = (leniency + halo) / Var(X)`` is the share of a
    rating's variance that is rater bias, comparable to Hoyt & Kerns' (1999) .37.

    In the **nested** design ``s2(r:p)`` confounds leniency and halo and ``s2(ri:p,e)`` the rater-by-competency
    effect and error: ``N = s2(r:p) + s2(ri:p,e)``, the rater share ``s2(r:p) / N`` is split equally between
    ``leniency_share`` and ``halo_share`` (the simulator's default split; the data cannot tell them apart). The
    split does not matter when simulating separate interviews (``rater_pool`` much larger than the pool of
    candidates, so each candidate meets their own raters) but does for a panel (``rater_pool=None``).

    Assumptions: the components are taken as they are (negative estimates as 0); they are estimated from scores
    on a discrete scale while the simulator's parameters describe the continuous rating before it is cut into
    levels, so ratings simulated with them and cut show a slightly lower reliability than estimated.

    Parameters
    ----------
    g
        A :class:`GStudy`.

    Returns
    -------
    dict
        ``reliability``, ``leniency_share``, ``halo_share`` (pass to :func:`smmrubric.simulate.ratings`),
        ``mean_intercorrelation`` (to :func:`smmrubric.simulate.candidates`), ``raters`` (per candidate in the G
        study) and ``rater_bias_share``.

    Raises
    ------
    SmmrubricError
        ``g`` not a GStudy, or no candidate variance (``s2(p) + s2(pi) = 0``), which the simulator cannot
        represent (its reliability must be > 0).
    """
    g = _check_gstudy(g)
    v = g.variance.to_dict()
    true = v["p"] + v["pi"]
    if not true > 1e-12 * sum(v.values()):
        raise SmmrubricError(
            "the G study finds no variance between candidates (s2(p) + s2(pi) = 0), so there is no "
            "reliability > 0 to simulate",
            field="g",
        )
    if g.design == "crossed":
        leniency, halo, error = v["r"] + v["ri"], v["pr"], v["pri,e"]
    else:
        leniency = halo = v["r:p"] / 2.0
        error = v["ri:p,e"]
    noise = leniency + halo + error
    share = (lambda part: part / noise) if noise > 0 else (lambda part: 0.0)
    return {
        "reliability": true / (true + noise),
        "leniency_share": share(leniency),
        "halo_share": share(halo),
        "mean_intercorrelation": v["p"] / true,
        "raters": g.sizes["r"],
        "rater_bias_share": (leniency + halo) / (true + noise),
    }
