"""Findings of notebook 05 (your ratings: how far the raters agree, how sure the ranking is), written from the
results they state.

Each function takes the package's results (:mod:`smmrubric.ratings_study`, :mod:`smmrubric.rating_design`,
:mod:`smmrubric.sensitivity`) and returns a :class:`~smmrubric.findings.Finding`. Where an analysis does not apply
to the ratings at hand (one rater per candidate, a nested design, a single competency, a shortlist as large as
the pool) the finding is a neutral note saying why, never a claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..ranking import sort_series
from . import Finding
from .expert_lists import _num

__all__ = [
    "agreement",
    "d_study",
    "design",
    "g_study",
    "icc",
    "rank_intervals",
    "severity",
    "shortlist",
    "source",
    "what_if",
]

#: Krippendorff's (2004, p. 241) thresholds of alpha: .800 to rely on the data, .667 for tentative conclusions.
ALPHA_RELY, ALPHA_TENTATIVE = 0.800, 0.667
#: SMAA shares counted as "sure in" / "sure out" of the shortlist.
SURE = 0.95
_COMPONENT_WORDS = {
    "p": "candidates' general level (p)",
    "pi": "candidates' profiles across competencies (pi)",
    "r": "rater leniency (r)",
    "ri": "raters' leniency on particular competencies (ri)",
    "pr": "raters' overall impression of a candidate, halo (pr)",
    "pri,e": "residual (pri,e)",
    "i": "competencies' difficulty (i)",
    "r:p": "each candidate's raters: leniency and halo together (r:p)",
    "ri:p,e": "residual, with raters' leniency on particular competencies (ri:p,e)",
}


def _c(x: float) -> str:
    """A coefficient (correlation, reliability) as APA writes it (.59, -.04), or "undefined" for NaN."""
    return _num(float(x)) if np.isfinite(x) else "undefined"


def _score(x: float) -> str:
    """A score or a difference of scores on the rating scale, two decimals."""
    return f"{x:.2f}"


def _n(count: int, noun: str) -> str:
    """``1 competency``, ``30 competencies``, ``1,080 ratings``."""
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count:,} {noun if count == 1 else plural}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _interval(lo: float, hi: float) -> str:
    return f"[{_c(lo)}, {_c(hi)}]" if np.isfinite(lo) and np.isfinite(hi) else "[interval undefined]"


def _ids(ids: Sequence[Any], limit: int = 5) -> str:
    ids = [str(i) for i in ids]
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def source(ratings_file: Any, path: str, notes: Sequence[str] = (), stage_note: str = "") -> Finding:
    """Which ratings the notebook analyses: the bundled example (``ratings_file == "simulate"``) or a file, with
    the reader's ``notes`` and the stage chosen (:attr:`smmrubric.ratings_study.Observed.note`)."""
    if isinstance(ratings_file, str) and ratings_file == "simulate":
        text = (
            f"**These are the bundled example ratings** (`{path}`): synthetic candidates rated by a simulated "
            "panel, not real people. To analyse your own ratings, run `smmrubric reproduce --ratings FILE` "
            "(or set `ratings_file` above)."
        )
    else:
        text = f"**Ratings from `{path}`.**"
    if notes:
        text += " The reader noted: " + " ".join(f"{n.rstrip('.')}." for n in notes)
    if stage_note:
        text += " " + stage_note
    return Finding(text)


def design(d: Any, raters: pd.DataFrame | None = None) -> Finding:
    """Who rated whom: the counts and the design (``d`` a :class:`smmrubric.rating_design.RatingDesign`;
    ``raters`` :func:`smmrubric.rating_design.rater_summary`)."""
    per = d.raters_per_candidate
    text = (
        f"**{_n(d.n_candidates, 'candidate')}, {_n(d.n_raters, 'rater')}, {_n(d.n_competencies, 'competency')}: "
        f"{_n(d.n_ratings, 'rating')}.** "
    )
    if d.kind == "crossed":
        text += f"Crossed design: every candidate was rated by the same {int(per.iloc[0])} raters"
    elif d.kind == "nested":
        text += (
            f"Nested design: every candidate was rated by {int(per.iloc[0])} raters, but not by the same ones "
            f"(each rater saw {d.candidates_per_rater.min()} to {d.candidates_per_rater.max()} candidates)"
        )
    elif d.kind == "unbalanced":
        text += (
            f"Unbalanced design: candidates have {int(per.min())} to {int(per.max())} raters; the ANOVA "
            "analyses below use the balanced part (the candidates with the most common number of raters)"
        )
    else:
        text += (
            "One rater per candidate: there is nothing to compare raters with, so these ratings cannot say how "
            "reliable they are; the sections below say so where it matters"
        )
    if d.missing_pairs:
        text += f"; {d.missing_pairs} (candidate, rater) pair(s) lack some competency"
    elif d.kind != "single rater":
        text += ", each rater rating every competency of the candidates they saw"
    text += "."
    if d.kind == "nested":
        text += (
            " Rater and candidate effects cannot be separated, so only the one-way ICCs and the nested G study apply."
        )
    if raters is not None and len(raters) >= 2 and d.kind != "single rater":
        means = sort_series(raters["mean"])
        text += (
            f" Raters' mean scores run from {_score(means.iloc[0])} ({means.index[0]}) to "
            f"{_score(means.iloc[-1])} ({means.index[-1]})"
            + (
                " on the same candidates."
                if d.kind == "crossed"
                else ", on different candidates (section 2 compares raters on the candidates they share)."
            )
        )
    return Finding(text)


def icc(study: Any) -> Finding:
    """The overall intraclass correlations and their spread over competencies (``study`` a
    :class:`smmrubric.ratings_study.ReliabilityStudy`)."""
    table = study.overall_icc()
    if table.empty:
        return Finding(f"No intraclass correlation: {study.notes.get('icc', 'not computed')}.")
    design = table["design"].iloc[0]
    k = int(table["n_raters"].iloc[0])
    row = table.loc
    single, mean = ("ICC(2,1)", "ICC(2,k)") if design == "crossed" else ("ICC(1,1)", "ICC(1,k)")
    text = (
        f"**{single} = {_c(row[single, 'icc'])} {_interval(row[single, 'lower'], row[single, 'upper'])}** "
        f"for one rater's mean over the competencies"
    )
    if design == "crossed":
        text += (
            f" (absolute agreement, raters as a sample of raters); the mean of the {k} raters reaches "
            f"{mean} = {_c(row[mean, 'icc'])} {_interval(row[mean, 'lower'], row[mean, 'upper'])}. "
            f"Consistency alone, these raters' leniency set aside, is ICC(3,1) = {_c(row['ICC(3,1)', 'icc'])}."
        )
    else:
        text += (
            f" (one-way: each candidate with their own raters); the mean of {k} raters reaches {mean} = "
            f"{_c(row[mean, 'icc'])} {_interval(row[mean, 'lower'], row[mean, 'upper'])}. ICC(2,.) and "
            "ICC(3,.) are undefined when raters differ between candidates."
        )
    values = study.icc_by_competency(single)["icc"].dropna()
    if len(values) >= 2:
        ordered = sort_series(values)
        text += (
            f" Per competency, one rater's {single} has median {_c(float(np.median(values)))}, from "
            f"{_c(ordered.iloc[0])} ({ordered.index[0]}) to {_c(ordered.iloc[-1])} ({ordered.index[-1]})."
        )
    note = study.notes.get("icc")
    if note:
        text += f" Note: {note}."
    return Finding(text)


def g_study(study: Any) -> Finding:
    """The variance components as shares of the rating variance, with the negative estimates set to 0."""
    g = study.g
    if g is None:
        return Finding(f"No G study: {study.notes.get('g', 'not computed')}.")
    comps = g.components
    ordered = sort_series(comps["share"], ascending=False)
    parts = [f"{_COMPONENT_WORDS.get(c, c)} {_pct(s)}" for c, s in ordered.items()]
    text = (
        f"**{g.design.capitalize()} design, {g.sizes['p']} candidates x {g.sizes['r']} raters x {g.sizes['i']} "
        f"competencies: the candidates' general level is {_pct(comps.loc['p', 'share'])} of the variance of a "
        f"single rating.** In decreasing order: {'; '.join(parts)}."
    )
    negative = comps.index[comps["negative"]]
    if len(negative):
        listed = ", ".join(f"s2({c}) = {comps.loc[c, 'estimate']:.3f}" for c in negative)
        text += (
            f" Negative estimate{'s' if len(negative) > 1 else ''} ({listed}) set to 0: sampling error "
            "around a small component."
        )
    note = study.notes.get("g")
    if note:
        text += f" Note: {note}."
    return Finding(text)


def _needed(needed: pd.DataFrame, label: str, coefficient: str) -> str:
    row = needed.loc[(label, coefficient)]
    if pd.isna(row["raters"]):
        return f"none reaches it (at most {_c(row['limit'])})"
    n = int(row["raters"])
    return f"{n} rater{'s' if n > 1 else ''}"


def d_study(study: Any) -> Finding:
    """The reliability of the panel's mean and the number of raters needed for the target (D study)."""
    if study.d.empty:
        return Finding(f"No D study (it needs the G study): {study.notes.get('g', 'not computed')}.")
    g = study.g
    n_r, n_i, d = g.sizes["r"], g.sizes["i"], study.d
    target = _c(study.target)
    return Finding(
        f"With the rubric's {n_i} competencies as the universe (fixed), the mean of the {n_r} raters has "
        f"E rho^2 = {_c(d.loc[n_r, ('fixed', 'g')])} for ranking candidates and Phi = "
        f"{_c(d.loc[n_r, ('fixed', 'phi')])} for absolute decisions (a must-have level). **Raters needed for "
        f"{target}: {_needed(study.needed, 'fixed', 'g')} to rank candidates, "
        f"{_needed(study.needed, 'fixed', 'phi')} for absolute decisions**; if the competencies are a sample of "
        f"those one could rate (random), {_needed(study.needed, 'random', 'g')} and "
        f"{_needed(study.needed, 'random', 'phi')}."
    )


def severity(study: Any) -> Finding:
    """Which raters rate far from the others of the same candidates."""
    table = study.severity
    if table.empty:
        return Finding(f"No rater severity: {study.notes.get('severity', 'not computed')}.")
    flagged = table[table["flagged"]]
    if flagged.empty:
        spread = sort_series(table["deviation"].dropna())
        if spread.empty:
            return Finding("No rater shares enough candidates with another to be compared.")
        return Finding(
            f"No rater stands out: deviations from the co-raters of the same candidates run from "
            f"{_score(spread.iloc[0])} ({spread.index[0]}) to {_score(spread.iloc[-1])} "
            f"({spread.index[-1]}) points, and no rater differs significantly from more than half of "
            "the raters compared with."
        )
    sentences = []
    for rater, row in flagged.iterrows():
        way = "higher" if row["deviation"] > 0 else "lower"
        sentences.append(
            f"**{rater} rates {way} than the other raters of the same candidates, by "
            f"{_score(abs(row['deviation']))} points {_interval_score(row['lower'], row['upper'])}**, "
            f"and differs significantly (Holm-adjusted) from {row['n_differs']} of the "
            f"{row['n_compared']} raters compared with"
        )
    return Finding(
        "; ".join(sentences) + ". A flagged rater's leniency or severity shifts every candidate they "
        "rate: in a panel all alike, in separate interviews only theirs."
    )


def _interval_score(lo: float, hi: float) -> str:
    return f"[{_score(lo)}, {_score(hi)}]" if np.isfinite(lo) and np.isfinite(hi) else "[interval undefined]"


def agreement(study: Any) -> Finding:
    """Krippendorff's alpha, overall and its spread over competencies, against Krippendorff's thresholds."""
    table = study.alpha
    if table.empty:
        return Finding(f"No Krippendorff's alpha: {study.notes.get('alpha', 'not computed')}.")
    overall = table.iloc[0]
    if not np.isfinite(overall["interval"]):
        return Finding(
            "Krippendorff's alpha is undefined here: no (candidate, competency) was rated twice, or all "
            "scores are equal."
        )
    level = overall["interval"]
    verdict = (
        "at or above .800, the level Krippendorff (2004) asks to rely on data"
        if level >= ALPHA_RELY
        else "between .667 and .800: tentative conclusions only (Krippendorff 2004)"
        if level >= ALPHA_TENTATIVE
        else "below .667, the lowest level Krippendorff (2004) accepts even for tentative conclusions"
    )
    text = (
        f"Krippendorff's alpha over all {int(overall['n_units']):,} (candidate, competency) units: **interval "
        f"{_c(level)}, ordinal {_c(overall['ordinal'])}**, {verdict}."
    )
    per = table.iloc[1:]["interval"].dropna()
    if len(per) >= 2:
        ordered = sort_series(per)
        text += (
            f" Per competency, interval alpha runs from {_c(ordered.iloc[0])} ({ordered.index[0]}) to "
            f"{_c(ordered.iloc[-1])} ({ordered.index[-1]})."
        )
    return Finding(text)


def rank_intervals(intervals: Any, k: int, design: Any = None) -> Finding:
    """How wide the candidates' rank intervals are under resampled raters, and who is sure of the shortlist
    (``intervals`` a :class:`smmrubric.sensitivity.RankIntervals`)."""
    table = intervals.table
    n = len(table)
    level = f"{100 * intervals.confidence:.0f}%"
    if design is not None and design.kind == "single rater":
        return Finding(
            "With one rater per candidate, resampling raters cannot change any score: the intervals are "
            "single ranks and say nothing about rater uncertainty."
        )
    how = (
        f"the panel as a whole ({intervals.distinct_resamples} distinct resampled panels)"
        if intervals.resampling == "panel"
        else "each candidate's raters"
    )
    width = (table["upper"] - table["lower"]).astype(int)
    widest = sort_series(width, ascending=False).index[0]
    text = (
        f"Resampling {how} {intervals.n_draws:,} times: {level} rank intervals are up to "
        f"{int(width.max()) + 1} places wide ({widest}: ranks {table.loc[widest, 'lower']} to "
        f"{table.loc[widest, 'upper']})."
    )
    if k >= n:
        return Finding(text + f" The shortlist (k = {k}) holds all {n} candidates, so no cut is at stake.")
    sure_in = table.index[table["upper"] <= k]
    sure_out = table.index[table["lower"] > k]
    unsure = n - len(sure_in) - len(sure_out)
    text += (
        f" **{len(sure_in)} candidate{'s are' if len(sure_in) != 1 else ' is'} in the top {k} across the "
        f"whole interval, {len(sure_out)} outside it; {unsure} straddle{'s' if unsure == 1 else ''} the cut**"
    )
    text += f" ({_ids(list(table.index[(table['upper'] > k) & (table['lower'] <= k)]))})." if unsure else "."
    return Finding(text)


def shortlist(result: Any, k: int, how: str, concentration: float) -> Finding:
    """The SMAA k-best acceptabilities under rating error and local weight uncertainty (``result`` a
    :class:`smmrubric.sensitivity.SMAAResult`; ``how`` says what the score sampler draws)."""
    n = result.rank_acceptability.shape[0]
    first = sort_series(result.first_rank, ascending=False)
    text = (
        f"Drawing {how}, and weights around the rubric's (concentration {concentration:g}), "
        f"{result.n_samples:,} times: {first.index[0]} ranks first in {_pct(first.iloc[0])} of draws."
    )
    if k >= n:
        return Finding(text + f" The shortlist (k = {k}) holds all {n} candidates.")
    top = result.top_k(k)
    sure_in, sure_out = int((top >= SURE).sum()), int((top <= 1 - SURE).sum())
    text += (
        f" **{sure_in} candidate{'s are' if sure_in != 1 else ' is'} in the top {k} in at least "
        f"{_pct(SURE)} of draws, {sure_out} in at most {_pct(1 - SURE)}, and {n - sure_in - sure_out} in "
        "between**: the part of the shortlist these uncertainties leave open."
    )
    return Finding(text)


def what_if(recovery: Any, note: str = "") -> Finding:
    """How much of the true top k simulated shortlists keep at the estimated and the reference reliabilities
    (``recovery`` a :class:`smmrubric.sensitivity.ShortlistRecovery`; the row labelled ``"your raters"``, if any,
    is the reliability estimated from the ratings)."""
    summary = recovery.summary()
    k = recovery.k
    shares = [(_pct(row["mean"]), f"{_c(row['reliability'])} ({label})") for label, row in summary.iterrows()]
    text = (
        f"In {len(recovery.overlaps)} simulated pools of {recovery.n} candidates, each rated by "
        f"{recovery.raters} raters, "
    )
    if summary.index[0] == "your raters":
        text += (
            f"a top-{k} shortlist made from ratings as reliable as yours "
            f"({_c(summary['reliability'].iloc[0])} for one rating) holds on average **{shares[0][0]} of the "
            f"true top {k}**"
        )
    else:
        text += f"a top-{k} shortlist holds on average {shares[0][0]} of the true top {k} at {shares[0][1]}"
    rest = [f"{share} at {at}" for share, at in shares[1:]]
    text += f", against {' and '.join(rest)}." if rest else "."
    return Finding((note + " " if note else "") + text)
