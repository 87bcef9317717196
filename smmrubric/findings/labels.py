"""Findings of the skill / trait labels (notebook 03, section 1): the authors' labels against our categories, and
our categories against O*NET, written from the results they state.

For the lead to wire into notebook 03 (whose other sections another module covers)::

    agreement = split.label_agreement(s.lists)
    bootstrap = split.label_kappa_bootstrap(s.lists, seed=seed, n_draws=n_draws)
    Finding = findings.labels.label_agreement(agreement, bootstrap, split.label_disagreements(s.lists))
    readings = split.onet_readings(s.lists, s.competencies, data.load_onet_crosswalk(competencies=s.competencies))
    findings.labels.onet_agreement(readings)

Kappa is stated with its interval, its chance level and the prevalence-adjusted PABAK, and never as a validation:
the analyst chose the categories knowing the authors' labels, so the agreement measures how often the analyst
overrode the authors.
"""

from __future__ import annotations

import pandas as pd

from . import Finding, bullets
from .expert_lists import _num

__all__ = ["label_agreement", "onet_agreement"]


def label_agreement(agreement: pd.DataFrame, bootstrap: pd.Series, disagreements: pd.DataFrame) -> Finding:
    """The authors' skill / trait labels against our categories.

    Parameters
    ----------
    agreement
        :func:`smmrubric.split.label_agreement` (its ``"all"`` row is used).
    bootstrap
        :func:`smmrubric.split.label_kappa_bootstrap`.
    disagreements
        :func:`smmrubric.split.label_disagreements`.
    """
    pooled = agreement.loc["all"]
    n = int(pooled["n"])
    if n == 0:
        return Finding("No author labels an item skill or trait: nothing to compare.")
    n_lists = int((agreement.drop(index="all")["n"] > 0).sum())
    lines = [
        f"{n_lists} list{'s' if n_lists != 1 else ''} label {n} items; the authors' label and our category "
        f"agree on **{int(pooled['n_agree'])} of {n}** ({pooled['p_observed']:.0%}), against "
        f"{pooled['p_expected']:.0%} expected by chance from the two sets of shares."
    ]
    if pd.notna(pooled["kappa"]):
        lines.append(
            f"Cohen's kappa is {_num(pooled['kappa'])} (95% interval {_num(pooled['kappa_low'])} to "
            f"{_num(pooled['kappa_high'])}, Fleiss-Cohen-Everitt standard error; resampling the "
            f"{int(bootstrap['n_lists'])} labelled lists, {_num(bootstrap['low'])} to "
            f"{_num(bootstrap['high'])}): "
            "**too few, too clustered items to say more than that agreement is high but not perfect.** "
            "With most items skills on both sides (prevalence index "
            f"{_num(pooled['prevalence_index'])}), kappa is pulled down by prevalence; "
            f"the prevalence- and bias-adjusted PABAK is {_num(pooled['pabak'])}."
        )
    if len(disagreements):
        cases = "; ".join(
            f"{row['term_en']} ({row['list_id']}: {row['direction']})" for _, row in disagreements.iterrows()
        )
        lines.append(
            f"The {len(disagreements)} disagreements are deliberate calls of the analyst: {cases}. The "
            "category was decided with the labels in view, so this agreement is not a validation of the "
            "categories."
        )
    return bullets(lines)


def onet_agreement(readings: pd.DataFrame) -> Finding:
    """Our categories against O*NET's skills and work styles, under both readings of the crosswalk.

    ``readings`` is :func:`smmrubric.split.onet_readings`.
    """
    recorded = readings.loc[("recorded", "vocabulary")]
    contra = readings.loc[("contradicting", "vocabulary")]
    lines = [
        f"With the one O*NET element recorded per competency, {int(recorded['n_agree'])} of "
        f"{int(recorded['n'])} competencies on O*NET's skill / work-style split agree with our category "
        f"(kappa {_num(recorded['kappa'])}); the analyst who chose the categories also chose these elements, so "
        "the check is partly circular."
    ]
    disagree = contra["disagree"]
    lines.append(
        f"Counting every candidate element, and reading a competency as on the other side as soon as one "
        f"candidate is, **{int(contra['n_agree'])} of {int(contra['n'])} agree "
        f"(kappa {_num(contra['kappa'])})**"
        + (f"; the contradicting elements concern {disagree.replace('_', ' ')}" if disagree else "")
        + ". O*NET does not settle where these competencies belong; an independent, blind crosswalk would."
    )
    return bullets(lines)
