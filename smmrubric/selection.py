"""Selection science: what a ranking of candidates is worth.

Classical personnel-selection results under the bivariate normal model, where a predictor ``X`` (the
rubric score) and a criterion ``Y`` (later job performance) are standard normal with correlation
``r`` (the validity), and the top ``selection_ratio`` of applicants on ``X`` are hired:

* :func:`top_overlap` -- the expected share of the top-p on one measure that is also in the top-p on
  another (how much two rankings agree about who gets hired);
* :func:`taylor_russell` -- the success ratio (Taylor & Russell, 1939);
* :func:`mean_z_selected` -- the mean standard score of those selected (Naylor & Shine, 1965);
* :func:`bcg_utility` -- the Brogden-Cronbach-Gleser utility of a selection procedure;
* :func:`composite_validity` -- the validity of a weighted composite of predictors;
* :func:`adverse_impact_ratio` -- the four-fifths rule of the Uniform Guidelines with Fisher's exact test.

All tail probabilities come from one helper, :func:`bivariate_normal_upper`, which evaluates the
bivariate normal orthant probability in closed form with Owen's T function (Owen, 1956) instead of the
randomised quasi-Monte-Carlo integration of ``scipy.stats.multivariate_normal.cdf``, so results are
deterministic. The accuracy is absolute (an error of about 1e-16 on the probability), not relative: a tail
probability far below 1e-16 comes out with few or no correct digits, which no selection ratio or base rate
used here comes near.

References
----------
Owen, D. B. (1956). Tables for computing bivariate normal probabilities. *Annals of Mathematical
Statistics*, 27(4), 1075-1090.
Taylor, H. C., & Russell, J. T. (1939). The relationship of validity coefficients to the practical
effectiveness of tests in selection. *Journal of Applied Psychology*, 23(5), 565-578.
Naylor, J. C., & Shine, L. C. (1965). A table for determining the increase in mean criterion score
obtained by using a selection device. *Journal of Industrial Psychology*, 3, 33-42.
Brogden, H. E. (1949). When testing pays off. *Personnel Psychology*, 2, 171-183.
Cronbach, L. J., & Gleser, G. C. (1965). *Psychological tests and personnel decisions* (2nd ed.).
University of Illinois Press.
Ghiselli, E. E., Campbell, J. P., & Zedeck, S. (1981). *Measurement theory for the behavioral
sciences*. Freeman. (Validity of a linear composite.)
Equal Employment Opportunity Commission et al. (1978). Uniform Guidelines on Employee Selection
Procedures, 29 C.F.R. section 1607.4(D) (the four-fifths rule).
Fisher, R. A. (1935). The logic of inductive inference. *Journal of the Royal Statistical Society*,
98(1), 39-82.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import ndtr, ndtri, owens_t

from .errors import SmmrubricError
from .validation import check_choice, check_int, check_number

__all__ = [
    "AdverseImpact",
    "adverse_impact_ratio",
    "bcg_utility",
    "bivariate_normal_upper",
    "composite_validity",
    "mean_z_selected",
    "taylor_russell",
    "top_overlap",
]

_SQRT_2PI = math.sqrt(2.0 * math.pi)


def _as_array(
    value: Any, field: str, *, low: float, high: float, low_open: bool = False, high_open: bool = False
) -> tuple[np.ndarray, Any]:
    """Check a scalar, array-like or Series of numbers in a range; return (array, template).

    ``template`` is None for a scalar, the Series for a Series (its index labels the result) and
    ``"array"`` otherwise. Errors name the field and, for arrays, the first bad position or label.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_)):
        return np.asarray(check_number(value, field, low=low, high=high, low_open=low_open, high_open=high_open)), None
    labels = list(value.index) if isinstance(value, pd.Series) else None
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise SmmrubricError(f"must be a number or an array of numbers, got {value!r}", field=field) from None
    if array.ndim == 0 or array.size == 0:
        raise SmmrubricError(f"must be a number or a non-empty array of numbers, got {value!r}", field=field)
    flat = array.ravel()
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(flat) | (flat < low) | (flat > high)
        bad |= (flat == low) if low_open else False
        bad |= (flat == high) if high_open else False
    if bad.any():  # let check_number word the message for the first bad entry
        i = int(np.flatnonzero(bad)[0])
        where = f"{field}[{labels[i]!r}]" if labels is not None else f"{field}[{i}]"
        check_number(float(flat[i]), where, low=low, high=high, low_open=low_open, high_open=high_open)
    return array, (value if labels is not None else "array")


def _result(values: np.ndarray, template: Any) -> Any:
    """Shape a computed array like the input: float, ndarray or Series."""
    if template is None:
        return float(values)
    if isinstance(template, pd.Series):
        return pd.Series(
            np.asarray(values, dtype=float).reshape(len(template)), index=template.index, name=template.name
        )
    return np.asarray(values, dtype=float)


def _upper_tail(h: np.ndarray, k: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """P(X > h, Y > k) for a standard bivariate normal with correlation rho (arrays, broadcast).

    Owen (1956, eq. 2.1): with Phi the normal CDF and T Owen's T function, the lower orthant is
    ``Phi2(a, b; rho) = Phi(a)/2 + Phi(b)/2 - T(a, (b - rho a) / (a s)) - T(b, (a - rho b) / (b s)) - beta``
    with ``s = sqrt(1 - rho^2)`` and ``beta = 1/2`` if ``ab < 0`` or (``ab = 0`` and ``a + b < 0``),
    else 0. By symmetry ``P(X > h, Y > k) = Phi2(-h, -k; rho)``. Special cases: ``a = 0`` takes the
    limit ``T(0, +-inf) = +-1/4``; ``a = b = 0`` gives ``1/4 + arcsin(rho) / (2 pi)`` (Sheppard, 1899);
    ``rho = 1`` gives ``1 - Phi(max(h, k))``; ``rho = -1`` gives ``max(0, Phi(-k) - Phi(h))``; an
    infinite bound reduces to the univariate tail.
    """
    h, k, rho = np.broadcast_arrays(np.asarray(h, float), np.asarray(k, float), np.asarray(rho, float))
    a, b = -h, -k
    out = np.empty(h.shape, dtype=float)
    s = np.sqrt(np.clip(1.0 - rho * rho, 0.0, None))
    inner = (np.abs(rho) < 1.0) & np.isfinite(a) & np.isfinite(b)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # T(h, +-inf) is finite
        # (b/a - rho)/s rather than (b - rho a)/(a s): rho * a underflows to 0 for subnormal a
        a_h = (b / a - rho) / s
        a_k = (a / b - rho) / s
        t_a = np.where(a == 0.0, np.sign(b) / 4.0, owens_t(a, np.where(a == 0.0, 0.0, a_h)))
        t_b = np.where(b == 0.0, np.sign(a) / 4.0, owens_t(b, np.where(b == 0.0, 0.0, a_k)))
        sign_ab = np.sign(a) * np.sign(b)  # not a * b, which underflows to 0 for tiny thresholds
        beta = np.where((sign_ab < 0.0) | ((sign_ab == 0.0) & (a + b < 0.0)), 0.5, 0.0)
    general = 0.5 * ndtr(a) + 0.5 * ndtr(b) - t_a - t_b - beta
    both_zero = (a == 0.0) & (b == 0.0)
    general = np.where(both_zero, 0.25 + np.arcsin(np.clip(rho, -1, 1)) / (2.0 * np.pi), general)
    out[inner] = general[inner]
    # degenerate correlations and infinite bounds
    plus = (rho >= 1.0) & ~inner
    minus = (rho <= -1.0) & ~inner
    out[plus] = ndtr(-np.maximum(h[plus], k[plus]))
    out[minus] = np.maximum(0.0, ndtr(-k[minus]) - ndtr(h[minus]))
    rest = ~inner & ~plus & ~minus  # |rho| < 1 with an infinite bound
    hr, kr = h[rest], k[rest]
    out[rest] = np.where((hr == np.inf) | (kr == np.inf), 0.0, np.where(hr == -np.inf, ndtr(-kr), ndtr(-hr)))
    return np.clip(out, 0.0, 1.0)


def bivariate_normal_upper(h: Any, k: Any, correlation: Any) -> Any:
    """Upper orthant probability P(X > h, Y > k) of a standard bivariate normal.

    Parameters
    ----------
    h, k
        Thresholds (finite numbers, arrays or Series, broadcast together).
    correlation
        Correlation of X and Y, in [-1, 1].

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Shaped like the broadcast input (a Series if ``correlation`` is one).

    Notes
    -----
    Computed with Owen's (1956) T-function formula, deterministic, with an absolute (not relative) error of
    about 1e-16: the formula subtracts terms of order 1/2, so a probability far below 1e-16 has few or no
    correct digits (relative accuracy would need a tail-specific evaluation):
    ``P(X > h, Y > k) = Phi2(-h, -k; rho)`` with
    ``Phi2(a, b; rho) = Phi(a)/2 + Phi(b)/2 - T(a, (b - rho a)/(a sqrt(1 - rho^2)))
    - T(b, (a - rho b)/(b sqrt(1 - rho^2))) - beta`` (``beta`` = 1/2 when ``ab < 0`` or ``ab = 0`` and
    ``a + b < 0``, else 0). scipy's ``owens_t`` implements Patefield & Tandy (2000).

    Examples
    --------
    >>> round(bivariate_normal_upper(0.0, 0.0, 0.5), 6)   # 1/4 + arcsin(.5)/(2 pi) = 1/3
    0.333333
    """
    h_arr, h_t = _as_array(h, "h", low=-np.inf, high=np.inf)
    k_arr, k_t = _as_array(k, "k", low=-np.inf, high=np.inf)
    r_arr, r_t = _as_array(correlation, "correlation", low=-1.0, high=1.0)
    try:
        values = _upper_tail(h_arr, k_arr, r_arr)
    except ValueError:
        raise SmmrubricError(
            "h, k and correlation must have shapes that broadcast together", field="correlation"
        ) from None
    template = next((t for t in (r_t, h_t, k_t) if isinstance(t, pd.Series)), None)
    if template is None and values.ndim > 0:
        template = "array"
    return _result(values, template)


def _cut(selection_ratio: np.ndarray) -> np.ndarray:
    """The standard-normal cut score above which a share ``selection_ratio`` lies: Phi^-1(1 - p)."""
    return -ndtri(selection_ratio)


def top_overlap(correlation: Any, selection_ratio: Any) -> Any:
    """Expected share of the top-p on one measure that is also in the top-p on the other.

    If two scores of the same candidates (two rubrics, two raters, a score and later performance) are
    standard bivariate normal with correlation ``r``, and the top ``p`` of candidates on each are
    chosen, the expected share of the first top group that is also in the second is

    ``overlap = P(X > z_p, Y > z_p) / p``,  ``z_p = Phi^-1(1 - p)``.

    It is the Taylor-Russell success ratio with the base rate equal to the selection ratio.

    Parameters
    ----------
    correlation
        Correlation between the two measures, in [-1, 1] (a number, array or Series).
    selection_ratio
        The share selected on each measure, in (0, 1].

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The expected overlap share in [0, 1], shaped like the input.

    Examples
    --------
    >>> round(top_overlap(0.95, 0.10), 3)
    0.779
    >>> round(top_overlap(0.44 ** 0.5, 0.10), 3)
    0.438
    """
    r, r_t = _as_array(correlation, "correlation", low=-1.0, high=1.0)
    p, p_t = _as_array(selection_ratio, "selection_ratio", low=0.0, high=1.0, low_open=True)
    z = _cut(p)
    try:
        values = _upper_tail(z, z, r) / p
    except ValueError:
        raise SmmrubricError(
            "correlation and selection_ratio must have shapes that broadcast together", field="selection_ratio"
        ) from None
    return _result(values, _template(values, r_t, p_t))


def _template(values: np.ndarray, *templates: Any) -> Any:
    series = next((t for t in templates if isinstance(t, pd.Series)), None)
    if series is not None and len(series) == values.size:
        return series
    return None if values.ndim == 0 else "array"


def taylor_russell(base_rate: Any, selection_ratio: Any, validity: Any) -> Any:
    """Success ratio: the share of those selected who succeed (Taylor & Russell, 1939).

    With predictor ``X`` and criterion ``Y`` standard bivariate normal with correlation ``r`` (the
    validity), a base rate ``b`` (the share of all applicants who would succeed: ``Y > Phi^-1(1 - b)``)
    and a selection ratio ``p`` (hire those with ``X > Phi^-1(1 - p)``):

    ``success ratio = P(X > Phi^-1(1 - p), Y > Phi^-1(1 - b)) / p``.

    Parameters
    ----------
    base_rate
        Share of applicants who would be successful, in (0, 1).
    selection_ratio
        Share of applicants hired, in (0, 1] (1 = no selection: the success ratio is the base rate).
    validity
        Correlation between predictor and criterion, in [-1, 1].
        Each argument may be a number, an array or a Series; they broadcast together.

    Returns
    -------
    float, numpy.ndarray or pandas.Series

    Examples
    --------
    Taylor & Russell (1939) tables: base rate .50, selection ratio .10, validity .50 -> .84.

    >>> round(taylor_russell(0.50, 0.10, 0.50), 3)
    0.838
    """
    b, b_t = _as_array(base_rate, "base_rate", low=0.0, high=1.0, low_open=True, high_open=True)
    p, p_t = _as_array(selection_ratio, "selection_ratio", low=0.0, high=1.0, low_open=True)
    r, r_t = _as_array(validity, "validity", low=-1.0, high=1.0)
    try:
        values = _upper_tail(_cut(p), _cut(b), r) / p
    except ValueError:
        raise SmmrubricError(
            "base_rate, selection_ratio and validity must have shapes that broadcast together", field="validity"
        ) from None
    return _result(values, _template(values, b_t, p_t, r_t))


def mean_z_selected(selection_ratio: Any) -> Any:
    """Mean standard score of the top ``selection_ratio`` of a normal distribution (Naylor & Shine, 1965).

    ``mean z = phi(z_p) / p``, with ``z_p = Phi^-1(1 - p)`` and ``phi`` the normal density (the mean
    of a standard normal truncated below at ``z_p``). Multiplied by the validity it gives the mean
    criterion standard score of those hired (the Naylor-Shine index).

    Parameters
    ----------
    selection_ratio
        Share selected, in (0, 1] (a number, array or Series).

    Returns
    -------
    float, numpy.ndarray or pandas.Series

    Examples
    --------
    >>> round(mean_z_selected(0.10), 3), round(mean_z_selected(0.50), 3)
    (1.755, 0.798)
    """
    p, p_t = _as_array(selection_ratio, "selection_ratio", low=0.0, high=1.0, low_open=True)
    z = _cut(p)
    values = np.exp(-0.5 * z * z) / _SQRT_2PI / p
    return _result(values, _template(values, p_t))


def bcg_utility(
    validity: float,
    selection_ratio: float,
    sd_y: float,
    n_selected: int,
    tenure: float = 1.0,
    cost: float = 0.0,
    *,
    cost_per_applicant: float | None = None,
) -> float:
    """Net utility of a selection procedure (Brogden, 1949; Cronbach & Gleser, 1965).

    ``Delta U = N_s * T * r * SD_y * phi(z_p) / p - C``

    where ``N_s`` is the number hired, ``T`` their average tenure (years), ``r`` the validity,
    ``SD_y`` the standard deviation of job performance in money per year, ``phi(z_p) / p`` the mean
    predictor z-score of those hired (:func:`mean_z_selected`) and ``C`` the **total** cost of the
    procedure. If the cost is known per applicant (``c``), the total is ``C = c * N_s / p`` (the number
    of applicants assessed): pass ``cost_per_applicant`` instead of ``cost``.

    Parameters
    ----------
    validity
        Correlation between the procedure and performance, in [-1, 1].
    selection_ratio
        Share of applicants hired, in (0, 1].
    sd_y
        Standard deviation of yearly performance in money (> 0).
    n_selected
        Number of people hired (integer >= 1).
    tenure
        Average years the hires stay (> 0), default 1.
    cost
        Total cost of assessing all applicants (>= 0), default 0.
    cost_per_applicant
        Alternatively, the cost per applicant assessed (>= 0); the total is then
        ``cost_per_applicant * n_selected / selection_ratio``. Give ``cost`` or this, not both.

    Returns
    -------
    float
        Net utility ``Delta U`` in the money unit of ``sd_y`` and ``cost``.

    Examples
    --------
    r .35, SR .20, SD_y 50,000, 100 hired, 3 years, total cost 75,000:

    >>> round(bcg_utility(0.35, 0.20, 50_000, 100, tenure=3, cost=75_000), -3)
    7274000.0
    """
    r = check_number(validity, "validity", low=-1.0, high=1.0)
    p = check_number(selection_ratio, "selection_ratio", low=0.0, high=1.0, low_open=True)
    sd = check_number(sd_y, "sd_y", low=0.0, low_open=True)
    n = check_int(n_selected, "n_selected", low=1)
    t = check_number(tenure, "tenure", low=0.0, low_open=True)
    c = check_number(cost, "cost", low=0.0)
    if cost_per_applicant is not None:
        if c != 0.0:
            raise SmmrubricError("give either cost (total) or cost_per_applicant, not both", field="cost_per_applicant")
        c = check_number(cost_per_applicant, "cost_per_applicant", low=0.0) * n / p
    return float(n * t * r * sd * mean_z_selected(p) - c)


def composite_validity(weights: Any, validities: Any, intercorrelations: Any) -> float:
    """Validity of a weighted sum of predictors (Ghiselli, Campbell & Zedeck, 1981).

    For standardised predictors with weights ``w``, criterion validities ``v`` and intercorrelation
    matrix ``R`` (unit diagonal), the composite ``sum_i w_i X_i`` correlates with the criterion

    ``R_c = w' v / sqrt(w' R w)``.

    Parameters
    ----------
    weights
        Predictor weights (finite, not all zero; negative weights are allowed, as in regression). A
        Series is aligned by label with ``validities`` and ``intercorrelations``.
    validities
        Each predictor's correlation with the criterion, in [-1, 1].
    intercorrelations
        The predictors' correlation matrix (DataFrame or square array, symmetric, unit diagonal,
        positive semi-definite), or one number used for every pair.

    Returns
    -------
    float

    Examples
    --------
    Unit weights, validities .42 and .31, intercorrelation .31:

    >>> round(composite_validity([1, 1], [0.42, 0.31], 0.31), 3)
    0.451
    """
    w_series = isinstance(weights, pd.Series)
    labels = list(weights.index) if w_series else []
    w = _vector(weights, "weights")
    if not np.any(w != 0):
        raise SmmrubricError("weights are all zero; at least one must be non-zero", field="weights")
    if w_series and isinstance(validities, pd.Series):
        if set(validities.index) != set(labels) or len(validities) != len(labels):
            raise SmmrubricError(
                f"labels {sorted(map(str, validities.index))} do not match the weights' {sorted(map(str, labels))}",
                field="validities",
            )
        validities = validities.reindex(labels)
    v = _vector(validities, "validities", low=-1.0, high=1.0)
    if v.size != w.size:
        raise SmmrubricError(f"has {v.size} values but there are {w.size} weights", field="validities")
    if isinstance(intercorrelations, (int, float, np.number)) and not isinstance(intercorrelations, bool):
        rho = check_number(intercorrelations, "intercorrelations", low=-1.0, high=1.0)
        matrix = np.full((w.size, w.size), rho)
        np.fill_diagonal(matrix, 1.0)
    else:
        if isinstance(intercorrelations, pd.DataFrame) and w_series:
            missing = set(labels) - set(intercorrelations.index) | set(labels) - set(intercorrelations.columns)
            if missing:
                raise SmmrubricError(f"no row/column for {sorted(map(str, missing))}", field="intercorrelations")
            intercorrelations = intercorrelations.loc[labels, labels]
        try:
            matrix = np.asarray(intercorrelations, dtype=float)
        except (TypeError, ValueError):
            raise SmmrubricError("must be a number or a square matrix of numbers", field="intercorrelations") from None
    if matrix.shape != (w.size, w.size):
        raise SmmrubricError(f"must be {w.size} x {w.size}, got shape {matrix.shape}", field="intercorrelations")
    if not np.all(np.isfinite(matrix)) or np.any(np.abs(matrix) > 1.0):
        raise SmmrubricError("entries must be finite correlations in [-1, 1]", field="intercorrelations")
    if not np.allclose(matrix, matrix.T, atol=1e-12) or not np.allclose(np.diag(matrix), 1.0):
        raise SmmrubricError("must be symmetric with ones on the diagonal", field="intercorrelations")
    if np.linalg.eigvalsh(matrix).min() < -1e-10:
        raise SmmrubricError(
            "is not a valid correlation matrix (not positive semi-definite)", field="intercorrelations"
        )
    variance = float(w @ matrix @ w)
    if variance <= 1e-15:
        raise SmmrubricError("the weighted composite has zero variance", field="weights")
    return float(w @ v / math.sqrt(variance))


def _vector(values: Any, field: str, *, low: float = -np.inf, high: float = np.inf) -> np.ndarray:
    array, _ = _as_array(values, field, low=low, high=high)
    if array.ndim != 1:
        raise SmmrubricError(f"must be a 1-D vector, got shape {array.shape}", field=field)
    return array


@dataclass(frozen=True)
class AdverseImpact:
    """Result of :func:`adverse_impact_ratio`.

    Attributes
    ----------
    rate_a, rate_b
        Selection rates ``selected / applicants`` of groups a and b.
    impact_ratio
        The lower rate divided by the higher one (NaN if both rates are 0).
    lower_group
        ``"a"`` or ``"b"``, the group with the lower rate (``None`` if the rates are equal).
    flagged
        True when ``impact_ratio < 0.8`` (strictly), the four-fifths rule.
    odds_ratio
        Sample odds ratio of the 2 x 2 table (selected/rejected by group), as returned by scipy.
    fisher_p
        Fisher's exact test p-value for the 2 x 2 table.
    """

    rate_a: float
    rate_b: float
    impact_ratio: float
    lower_group: str | None
    flagged: bool
    odds_ratio: float
    fisher_p: float

    @property
    def ratio(self) -> float:
        """Alias of :attr:`impact_ratio`."""
        return self.impact_ratio

    @property
    def p_value(self) -> float:
        """Alias of :attr:`fisher_p`."""
        return self.fisher_p


def adverse_impact_ratio(
    selected_a: int,
    applicants_a: int,
    selected_b: int,
    applicants_b: int,
    *,
    alternative: str = "two-sided",
) -> AdverseImpact:
    """Four-fifths rule (Uniform Guidelines, 29 CFR 1607.4(D)) with Fisher's exact test.

    Selection rates ``rate_g = selected_g / applicants_g``; the impact ratio compares the lower rate
    with the higher (the rate "for the group with the highest rate"):

    ``impact ratio = min(rate_a, rate_b) / max(rate_a, rate_b)``, flagged when strictly below 0.8.
    The comparison is done in exact rational arithmetic, so a ratio of exactly 4/5 (12/50 against
    15/50) is never flagged through floating-point rounding.

    Fisher's exact test (Fisher, 1935; ``scipy.stats.fisher_exact``) is run on the table
    ``[[selected_a, applicants_a - selected_a], [selected_b, applicants_b - selected_b]]``, since the
    four-fifths rule alone ignores sample size.

    Parameters
    ----------
    selected_a, applicants_a, selected_b, applicants_b
        Counts (integers, ``0 <= selected <= applicants``, ``applicants >= 1``).
    alternative
        Fisher test alternative: ``"two-sided"`` (default), ``"less"`` or ``"greater"`` (as in scipy:
        about the odds ratio of group a relative to group b).

    Returns
    -------
    AdverseImpact

    Examples
    --------
    >>> ai = adverse_impact_ratio(48, 80, 12, 40)
    >>> ai.impact_ratio, ai.flagged, ai.lower_group
    (0.5, True, 'b')
    """
    n_a = check_int(applicants_a, "applicants_a", low=1)
    n_b = check_int(applicants_b, "applicants_b", low=1)
    s_a = check_int(selected_a, "selected_a", low=0, high=n_a)
    s_b = check_int(selected_b, "selected_b", low=0, high=n_b)
    check_choice(alternative, "alternative", ("two-sided", "less", "greater"))
    rate_a, rate_b = Fraction(s_a, n_a), Fraction(s_b, n_b)
    high, low = max(rate_a, rate_b), min(rate_a, rate_b)
    # exact rational arithmetic: in floats 12/50 over 15/50 is 0.7999999999999999 and would be flagged
    ratio = low / high if high > 0 else None
    lower = None if rate_a == rate_b else ("a" if rate_a < rate_b else "b")
    test = stats.fisher_exact([[s_a, n_a - s_a], [s_b, n_b - s_b]], alternative=alternative)
    return AdverseImpact(
        rate_a=float(rate_a),
        rate_b=float(rate_b),
        impact_ratio=float(ratio) if ratio is not None else float("nan"),
        lower_group=lower,
        flagged=ratio is not None and ratio < Fraction(4, 5),
        odds_ratio=float(test.statistic),
        fisher_p=float(test.pvalue),
    )
