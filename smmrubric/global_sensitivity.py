"""Global sensitivity analysis of a simulation's conclusions to its assumptions.

Three steps, each a function, for any model whose inputs are numbers in ranges:

* :func:`latin_hypercube` -- a design of ``n`` points over the ranges: a Latin hypercube sample (McKay,
  Beckman & Conover 1979; :class:`scipy.stats.qmc.LatinHypercube`), each input's range cut into ``n`` equal
  strata with exactly one point in each, so every input is spread evenly whatever the others do.
* :func:`prcc` -- partial rank correlation coefficients (Blower & Dowlatabadi 1994; Marino, Hogue, Ray &
  Kirschner 2008): for input ``j`` and outcome ``y``, the correlation of the residuals of ``rank(x_j)`` and of
  ``rank(y)`` after a linear regression (with intercept) on the ranks of all the other inputs. It measures how
  monotonically ``y`` moves with ``x_j`` once the other inputs are held fixed, in [-1, 1]; significance by
  ``t = r sqrt((N - 2 - p) / (1 - r^2))`` with ``N - 2 - p`` degrees of freedom, ``p`` the number of other
  inputs (Marino et al. 2008, eq. 12).
* :func:`monte_carlo_filtering` -- regional sensitivity analysis (Hornberger & Spear 1981; Saltelli et al.
  2008, ch. 5): the design points are split by whether a conclusion holds (for example "skill-leaning
  hiring does better"), and for each input the two-sample Kolmogorov-Smirnov distance between its values
  where the conclusion holds and where it fails: an input whose distributions differ is one that *flips* the
  conclusion. With the share of points where the conclusion holds in the lower and upper third of the input's
  range.

References
----------
Blower, S. M., & Dowlatabadi, H. (1994). Sensitivity and uncertainty analysis of complex models of disease
transmission: an HIV model, as an example. *International Statistical Review*, 62(2), 229-243.
Hornberger, G. M., & Spear, R. C. (1981). An approach to the preliminary analysis of environmental systems.
*Journal of Environmental Management*, 12(1), 7-18.
Marino, S., Hogue, I. B., Ray, C. J., & Kirschner, D. E. (2008). A methodology for performing global
uncertainty and sensitivity analysis in systems biology. *Journal of Theoretical Biology*, 254(1), 178-196.
McKay, M. D., Beckman, R. J., & Conover, W. J. (1979). A comparison of three methods for selecting values of
input variables in the analysis of output from a computer code. *Technometrics*, 21(2), 239-245.
Saltelli, A., Ratto, M., Andres, T., Campolongo, F., Cariboni, J., Gatelli, D., Saisana, M., & Tarantola, S.
(2008). *Global Sensitivity Analysis: The Primer*. Wiley.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .errors import SmmrubricError
from .validation import as_rng, check_int, check_number

__all__ = ["check_ranges", "latin_hypercube", "monte_carlo_filtering", "prcc"]


def check_ranges(ranges: Any) -> dict[str, tuple[float, float]]:
    """``{input: (low, high)}`` with finite ``low < high``, at least one input."""
    if not isinstance(ranges, Mapping) or not ranges:
        raise SmmrubricError("must map each input's name to a (low, high) pair", field="ranges")
    out = {}
    for name, pair in ranges.items():
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise SmmrubricError(f"must be a (low, high) pair, got {pair!r}", row=str(name), field="ranges")
        low = check_number(pair[0], f"ranges[{name}]")
        high = check_number(pair[1], f"ranges[{name}]")
        if not low < high:
            raise SmmrubricError(f"low {low} must be below high {high}", row=str(name), field="ranges")
        out[str(name)] = (low, high)
    return out


def latin_hypercube(
    ranges: Mapping[str, tuple[float, float]], n: int, *, seed: int | np.random.Generator
) -> pd.DataFrame:
    """``n`` design points over ``ranges`` by Latin hypercube sampling (McKay et al. 1979).

    Each input's range ``[low, high]`` is cut into ``n`` equal strata and each stratum holds exactly one point,
    placed uniformly at random inside it (scipy's scrambled :class:`~scipy.stats.qmc.LatinHypercube`); the
    strata of different inputs are paired by independent random permutations.

    Returns
    -------
    pandas.DataFrame
        ``n`` rows (index ``point``), one column per input, in the order of ``ranges``.
    """
    ranges = check_ranges(ranges)
    n = check_int(n, "n", low=2)
    unit = stats.qmc.LatinHypercube(d=len(ranges), seed=as_rng(seed)).random(n)
    low = np.array([r[0] for r in ranges.values()])
    high = np.array([r[1] for r in ranges.values()])
    return pd.DataFrame(low + unit * (high - low), columns=list(ranges), index=pd.RangeIndex(n, name="point"))


def _numeric(frame: Any, field: str) -> pd.DataFrame:
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        raise SmmrubricError(f"must be a non-empty DataFrame, got {type(frame).__name__}", field=field)
    values = frame.apply(pd.to_numeric, errors="coerce")
    if values.isna().to_numpy().any():
        column = values.columns[values.isna().any().to_numpy()][0]
        raise SmmrubricError("must hold numbers only (no NaN)", field=f"{field}[{column}]")
    return values.astype(float)


def _residuals(y: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Residuals of an OLS fit of ``y`` on ``others`` with an intercept."""
    design = np.column_stack([np.ones(len(y)), others])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return y - design @ coef


def prcc(design: pd.DataFrame, outcomes: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """Partial rank correlation of every outcome with every input (Marino et al. 2008).

    Ranks are average ranks (ties share the mean rank). For input ``j`` and outcome ``y``:
    ``PRCC = corr(e_x, e_y)`` with ``e_x`` the residuals of ``rank(x_j)`` and ``e_y`` those of ``rank(y)`` on the
    ranks of the other inputs (OLS with intercept); ``t = PRCC sqrt((N - 2 - p) / (1 - PRCC^2))`` with
    ``N - 2 - p`` degrees of freedom (``p`` other inputs) gives a two-sided p-value. An outcome that does not
    vary gives NaN.

    Parameters
    ----------
    design
        Points x inputs (e.g. :func:`latin_hypercube`).
    outcomes
        Points x outcomes, same index as ``design``.

    Returns
    -------
    pandas.DataFrame
        One row per (``outcome``, ``input``), in the given orders: ``prcc``, ``t``, ``p_value``.
    """
    x = _numeric(design, "design")
    y = _numeric(outcomes, "outcomes")
    if not x.index.equals(y.index):
        raise SmmrubricError("must have the same points (index) as the design", field="outcomes")
    n, p = x.shape
    if n < p + 3:
        raise SmmrubricError(f"needs at least {p + 3} points for {p} inputs, got {n}", field="design")
    rx = np.column_stack([stats.rankdata(x[c]) for c in x.columns])
    rows = []
    for outcome in y.columns:
        ry = stats.rankdata(y[outcome])
        for j, name in enumerate(x.columns):
            others = np.delete(rx, j, axis=1)
            ex, ey = _residuals(rx[:, j], others), _residuals(ry, others)
            denominator = np.sqrt((ex @ ex) * (ey @ ey))
            r = float(ex @ ey / denominator) if denominator > 1e-12 * n else np.nan
            df = n - 2 - (p - 1)
            with np.errstate(divide="ignore", invalid="ignore"):
                t = r * np.sqrt(df / (1.0 - r * r)) if abs(r) < 1 else np.sign(r) * np.inf
            rows.append(
                {
                    "outcome": outcome,
                    "input": name,
                    "prcc": r,
                    "t": t,
                    "p_value": float(2 * stats.t.sf(abs(t), df)) if np.isfinite(r) else np.nan,
                }
            )
    return pd.DataFrame(rows).set_index(["outcome", "input"])


def monte_carlo_filtering(
    design: pd.DataFrame, holds: pd.Series, *, ranges: Mapping[str, tuple[float, float]] | None = None
) -> pd.DataFrame:
    """Which inputs decide whether a conclusion holds (regional sensitivity; Hornberger & Spear 1981).

    Parameters
    ----------
    design
        Points x inputs.
    holds
        Booleans, one per point: whether the conclusion holds there.
    ranges
        The inputs' ranges, for the thirds (default: each input's observed minimum and maximum).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``input``: ``ks`` (two-sample Kolmogorov-Smirnov distance between the input's values where
        the conclusion holds and where it fails; NaN if it always or never holds), ``p_value`` (exact or
        asymptotic, scipy's ``ks_2samp``), ``holds_low`` and ``holds_high`` (share of points where it holds in
        the lower and the upper third of the range).
    """
    x = _numeric(design, "design")
    if not isinstance(holds, pd.Series) or not holds.index.equals(x.index):
        raise SmmrubricError("must be a Series with one value per design point", field="holds")
    if not pd.api.types.is_bool_dtype(holds):
        raise SmmrubricError("must hold True/False", field="holds")
    flag = holds.to_numpy(dtype=bool)
    bounds = check_ranges(ranges) if ranges is not None else {c: (x[c].min(), x[c].max()) for c in x.columns}
    rows = {}
    for name in x.columns:
        v = x[name].to_numpy()
        low, high = bounds[name]
        third = (high - low) / 3
        lower, upper = v <= low + third, v >= high - third
        ks, p = np.nan, np.nan
        if flag.any() and (~flag).any():
            test = stats.ks_2samp(v[flag], v[~flag])
            ks, p = float(test.statistic), float(test.pvalue)
        rows[name] = {
            "ks": ks,
            "p_value": p,
            "holds_low": flag[lower].sum() / max(1, lower.sum()),
            "holds_high": flag[upper].sum() / max(1, upper.sum()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "input"
    return out
