"""Findings of notebook 01 (do the experts' lists agree?), written from the results they state.

Each function takes the package's results and returns a :class:`~smmrubric.findings.Finding`; on data where the
finding does not apply (one list, no ranked list, no dated list) it returns a neutral note. The sentences say
what the numbers support: the lists are a convenience sample of web articles, agreement is stated beside its
chance level, and a p-value is given for every claim that something is more than chance.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import Finding, bullets

__all__ = [
    "coding_sensitivity",
    "consensus",
    "consensus_uncertainty",
    "corpus",
    "dated_lists",
    "mentions",
    "rbo_by_persistence",
    "similarity",
    "what_the_numbers_support",
]


def _p(p: float) -> str:
    """A p-value as text: ``p = .012``, or ``p < .001``."""
    return "p < .001" if p < 0.001 else f"p = {p:.3f}".replace("0.", ".", 1)


def _num(x: float, digits: int = 2) -> str:
    """A number in [-1, 1] without its leading zero (.55, -.07), as APA style writes correlations and shares."""
    text = f"{x:.{digits}f}"
    return text.replace("0.", ".", 1) if abs(x) < 1 else text


def _count(n: int) -> str:
    """A count as text: 1,234, or about 1.2 × 10^15 when it is large."""
    if n < 1_000_000:
        return f"{n:,}"
    exponent = len(str(n)) - 1
    return f"about {n / 10**exponent:.1f} × 10^{exponent}"


def _names(ids: Any, names: dict[str, str] | None) -> list[str]:
    names = names or {}
    return [names.get(i, str(i).replace("_", " ")) for i in ids]


def corpus(summary: pd.DataFrame) -> Finding:
    """What the lists are: how many, from how many articles, how related, how many are ranked.

    ``summary`` is :func:`smmrubric.data.list_summary` of the lists (with ``relation``, ``derived_from``,
    ``numbered``, ``ranked`` and ``source_doc`` joined from the lists when present).
    """
    n = len(summary)
    if n == 0:
        return Finding("No list to describe.")
    parts = [f"**{n} lists**"]
    if "source_doc" in summary.columns:
        parts.append(f"from **{summary['source_doc'].nunique()} web articles**")
    text = " ".join(parts) + ", a convenience sample of what the web says, not a sample of experts."
    if "relation" in summary.columns:
        kinds = summary["relation"].value_counts()
        words = {
            "own": "the articles' own lists",
            "quoted": "quoted by an article from another source",
            "interview": "answers of experts an author interviewed",
        }
        text += (
            " "
            + "; ".join(
                f"{kinds[k]} {'is' if kinds[k] == 1 else 'are'} {words[k]}" for k in words if k in kinds
            ).capitalize()
            + "."
        )
    if "derived_from" in summary.columns and summary["derived_from"].notna().any():
        derived = summary[summary["derived_from"].notna()]
        text += (
            f" {len(derived)} list{'s' if len(derived) > 1 else ''} follow{'s' if len(derived) == 1 else ''} "
            "another point by point ("
            + ", ".join(f"{d} from {s}" for d, s in derived["derived_from"].items())
            + "): their agreement is derivation, so "
            + f"{n - len(derived)} lists are independent at most."
        )
    if "ranked" in summary.columns:
        n_ranked, n_numbered = int(summary["ranked"].sum()), int(summary.get("numbered", summary["ranked"]).sum())
        says = "no author says" if n_ranked == 0 else f"{n_ranked} author{'s say' if n_ranked > 1 else ' says'}"
        text += f" {n_numbered} number their items, but {says} the order is importance, so " + (
            "the consensus below uses no order: every list is one tie group."
            if n_ranked == 0
            else f"order is used for those {n_ranked} lists only."
        )
    return Finding(text)


def mentions(
    counts: pd.DataFrame, mention: pd.Series, categories: pd.Series, n_lists: int, names: dict[str, str] | None = None
) -> Finding:
    """Which competencies most lists name, against chance; skills against traits.

    Parameters
    ----------
    counts
        :func:`smmrubric.data.competency_counts`.
    mention
        :func:`smmrubric.list_inference.mention_null`.
    categories
        :func:`smmrubric.list_inference.category_mentions`.
    n_lists
        Number of lists.
    """
    majority = list(counts.index[counts["n_lists"] > n_lists / 2])
    top = int(counts["n_lists"].max())
    if majority:
        head = (
            f"**Only {' and '.join(_names(majority, names))} {'is' if len(majority) == 1 else 'are'} named by "
            f"a majority of the lists** ({top} of {n_lists})"
            if len(majority) <= 2
            else f"**{len(majority)} competencies are named by a majority of the lists**"
        )
    else:
        head = f"**No competency is named by a majority of the lists** (at most {top} of {n_lists})"
    text = (
        f"{head}. Lists of the same sizes drawn at random from the vocabulary name some competency "
        f"{int(mention['observed_max'])} times or more with {_p(mention['p_value'])} (their most named one reaches "
        f"{mention['null_max_mean']:.1f} lists on average), so the most named competency "
        + ("stands out from chance." if mention["p_value"] < 0.05 else "does not stand out from chance.")
    )
    text += (
        f" Skills are named by {categories['mean_skill']:.2f} lists on average and traits by "
        f"{categories['mean_trait']:.2f}, a difference a random split of the vocabulary gives as often as "
        f"{_p(categories['p_skills_more'])}: "
        + (
            "not evidence that the lists agree more on skills."
            if categories["p_skills_more"] >= 0.05
            else "more than a random split gives."
        )
        + f" {int(categories['n_singletons'])} of {int(categories['n_vocabulary'])} competencies are named "
        f"once, {int(categories['singleton_traits'])} of them traits ({int(categories['vocabulary_traits'])} of "
        f"the {int(categories['n_vocabulary'])} are traits; hypergeometric "
        f"{_p(categories['p_singletons_traits'])}): "
        + (
            "no more traits than a random draw of that many competencies gives."
            if categories["p_singletons_traits"] >= 0.05
            else "more traits than a random draw gives."
        )
    )
    return Finding(text)


def similarity(
    uniform: Any, weighted: Any, lists: pd.DataFrame | None = None, names: dict[str, str] | None = None
) -> Finding:
    """How alike the lists are, against random lists of the same sizes (uniform and popularity-weighted nulls).

    ``uniform`` and ``weighted`` are :func:`smmrubric.list_inference.similarity_null` results; ``lists`` the
    loaded lists (for ``derived_from``), optional.
    """
    s, w = uniform.summary, weighted.summary
    pair = uniform.pairs.iloc[0]
    a, b = _names([pair["list_a"], pair["list_b"]], names)
    if s["p_mean"] >= 0.05:
        verdict = "the lists overlap no more than random lists of the same sizes."
    elif w["p_mean"] >= 0.05:
        verdict = (
            "the lists overlap a little more than chance, no more than the popularity of a few competencies explains."
        )
    else:
        verdict = "the lists overlap more than chance, and more than the popularity of a few competencies explains."
    text = (
        f"The mean pairwise Jaccard similarity is {_num(s['mean_jaccard'])}, against {_num(s['null_mean'])} "
        f"for lists of the same sizes drawn at random ({_p(s['p_mean'])}), and {_num(w['null_mean'])} when the "
        f"draws favour the competencies the lists name most ({_p(w['p_mean'])}): **{verdict}**"
    )
    text += (
        f" The most alike pair, {a} and {b} (Jaccard {_num(pair['jaccard'])}, {int(pair['shared'])} competencies "
        f"shared, {pair['ratio']:.1f} times the chance expectation), is at {_p(s['p_max'])} against the most "
        f"alike of the {len(uniform.pairs)} pairs of random lists"
    )
    derived = {}
    if lists is not None and "derived_from" in lists.columns:
        derived = lists.dropna(subset=["derived_from"]).groupby("list_id")["derived_from"].first().to_dict()
    if derived.get(pair["list_b"]) == pair["list_a"] or derived.get(pair["list_a"]) == pair["list_b"]:
        text += ", and one follows the other point by point: derivation, not agreement"
    apart = uniform.lists.iloc[0]
    typical = uniform.lists.iloc[-1]
    text += (
        f". Against the chance expectation for its size, {_names([apart.name], names)[0]} stands most apart "
        f"({apart['ratio']:.2f} times chance) and {_names([typical.name], names)[0]} is the most typical "
        f"({typical['ratio']:.2f} times), which raw Jaccard, bounded by the shorter list's length, hides."
    )
    return Finding(text)


def rbo_by_persistence(table: pd.DataFrame, n_ranked: int, scenario: str | None = None) -> Finding:
    """Rank-biased overlap, only between lists ranked by importance, at several persistence values.

    ``table`` is :func:`smmrubric.compare.rbo_pairs` (of the data, or of a coding that reads lists as ranked,
    named by ``scenario``); ``n_ranked`` the number of lists the data themselves rank.
    """
    if n_ranked < 2 and scenario is None:
        return Finding(
            "No two lists are ranked by importance, so rank-biased overlap, which compares orders, "
            "does not apply; the similarities above ignore order."
        )
    if table.empty:
        return Finding("Fewer than two lists are ranked under this reading: no rank-biased overlap to report.")
    head = (
        f"No list is ranked by importance in the data; **if the numbered lists are read as ranked** ({scenario}), "
        if n_ranked < 2
        else "Between the ranked lists, "
    )
    low, high = table["p"].min(), table["p"].max()
    at_low, at_high = table[table["p"] == low], table[table["p"] == high]
    return Finding(
        head
        + (
            f"RBO ranges from {_num(at_low['ext'].min())} to {_num(at_low['ext'].max())} at "
            f"persistence {low:g} and from {_num(at_high['ext'].min())} to "
            f"{_num(at_high['ext'].max())} at {high:g}, "
            f"with residuals (max - min) up to {_num(at_high['res'].max())} at {high:g}: "
            "**the deeper RBO looks, the more of it is extrapolation below the lists' ends.**"
        )
    )


def consensus(
    table: pd.DataFrame,
    agreement: pd.DataFrame,
    kemeny: pd.DataFrame,
    rra_null: pd.DataFrame,
    *,
    k: int = 5,
    names: dict[str, str] | None = None,
) -> Finding:
    """Does the consensus depend on the aggregation method? Top places, Kendall's tau, Kemeny's ties, RRA.

    ``table``: :func:`smmrubric.aggregate.consensus_table`; ``agreement``: its
    :func:`~smmrubric.aggregate.method_agreement`; ``kemeny``: :func:`smmrubric.aggregate.kemeny`;
    ``rra_null``: :func:`smmrubric.list_inference.rra_null`.
    """
    methods = [m for m in agreement.index]
    firsts = {m: set(table.index[table[m] == 1]) for m in methods}
    common_first = set.intersection(*firsts.values())
    four = [m for m in methods if m != "rra"]
    tops = {m: set(table.index[table[m] <= k]) for m in four}
    shared = set.intersection(*tops.values()) if tops else set()
    taus = [agreement.loc[a, b] for i, a in enumerate(four) for b in four[i + 1 :]]
    lines = []
    if len(common_first) == 1:
        lines.append(f"All {len(methods)} methods put **{_names(common_first, names)[0]} first**.")
    else:
        lines.append("The methods do not agree on the first place.")
    lines.append(
        f"The top {k} of {', '.join(four)} share {len(shared)} competencies"
        + (f" ({', '.join(_names(sorted(shared), names))})" if shared else "")
        + f"; Kendall's tau between these methods ranges from {_num(min(taus))} to {_num(max(taus))}."
    )
    n_optimal = kemeny.attrs.get("n_optimal")
    if n_optimal is not None and n_optimal > 1:
        count = _count(n_optimal)
        lines.append(
            f"{count[0].upper()}{count[1:]} rankings tie for Kemeny's optimum (competencies named by the "
            "same number of lists can swap); the one shown is the first in Borda's order (ties by id), so "
            "its agreement with Borda is partly by construction."
        )
    significant = list(rra_null.index[rra_null["q_value"] < 0.05])
    lines.append(
        "Against random lists of the same sizes and ties, with the false-discovery rate controlled over the "
        f"{len(rra_null)} competencies (Benjamini-Hochberg), RRA's score singles out "
        + (
            ", ".join(
                f"{n} (q = {_num(rra_null.loc[i, 'q_value'], 3)})"
                for i, n in zip(significant, _names(significant, names))
            )
            if significant
            else "no competency"
        )
        + "; RRA's own ρ is a score, not a p-value, for these partial, tied lists."
    )
    return bullets(lines)


def consensus_uncertainty(
    bootstrap: pd.DataFrame,
    stability: pd.DataFrame,
    influence: pd.Series,
    *,
    k: int = 5,
    names: dict[str, str] | None = None,
    lists: dict[str, str] | None = None,
) -> Finding:
    """How sure is the consensus: bootstrap intervals, the stability curve, the most influential list."""
    first = bootstrap.index[0]
    wide = bootstrap.iloc[1:k]
    text = (
        f"Resampling the lists, **{_names([first], names)[0]} is in the top {k} in "
        f"{bootstrap.loc[first, 'p_top_k']:.0%} of the resamples**; the next {len(wide)} places of the consensus "
        f"are in it in {wide['p_top_k'].min():.0%} to {wide['p_top_k'].max():.0%}, their rank intervals spanning "
        f"up to {int((wide['rank_high'] - wide['rank_low']).max())} places. "
    )
    needed = stability.attrs.get("lists_needed")
    threshold = stability.attrs.get("threshold", 0.8)
    n = int(stability.index.max())
    text += (
        f"Consensuses of fewer lists share on average {stability['mean_overlap'].iloc[n // 2 - 1]:.0%} of the "
        f"top {k} with the consensus of all {n} at {n // 2} lists, and "
        + (
            f"reach {threshold:.0%} only from {needed} lists on"
            if needed is not None
            else f"never reach {threshold:.0%} before all {n}"
        )
        + (
            ": **beyond the first place, the order rests on which lists happened to be found.**"
            if bootstrap.loc[first, "p_top_k"] >= 0.9 and wide["p_top_k"].min() < 0.9
            else "."
        )
    )
    if len(influence):
        top = influence.index[0]
        text += (
            f" Leaving out {(lists or {}).get(top, top)} moves the Borda consensus most "
            f"({influence.iloc[0]:.2f} ranks on average)."
        )
    return Finding(text)


def dated_lists(summary: pd.DataFrame) -> Finding:
    """What the dated lists can say (nothing about a trend with two)."""
    dated = summary[summary["year"].notna()]
    if len(dated) == 0:
        return Finding("No list states its year.")
    years = ", ".join(f"{int(y)} ({n})" for n, y in zip(dated["list_name"], dated["year"]))
    if len(dated) < 3:
        return Finding(
            f"Only {len(dated)} list{'s' if len(dated) > 1 else ''} state{'s' if len(dated) == 1 else ''} "
            f"a year: {years}. **{len(dated)} dated lists cannot show a trend.**"
        )
    return Finding(
        f"{len(dated)} lists state a year: {years}. Their skill shares are shown by year; a trend "
        "would need many more dated lists than a handful."
    )


def coding_sensitivity(table: pd.DataFrame) -> Finding:
    """How much the coding choices move the headline numbers (:func:`smmrubric.codings.coding_sensitivity`)."""
    if len(table) < 2:
        return Finding("Only the published coding: nothing to compare.")
    ranges = table.attrs.get("ranges", {})
    published = table.loc["published"]
    other_majority = table.index[table["majority"] != published["majority"]]

    def members(text: str) -> frozenset:
        return frozenset(text.split(", "))

    other_top = table.index[table["top_k"].map(members) != members(published["top_k"])]
    other_pair = table.index[table["most_alike"] != published["most_alike"]]
    lines = [
        f"Over {len(table) - 1} alternative codings, Cohen's kappa of the authors' labels against our categories "
        f"spans {_num(ranges['kappa'][0])} to {_num(ranges['kappa'][1])}, the skills' share of the items "
        f"{_num(ranges['skill_share_items'][0])} to {_num(ranges['skill_share_items'][1])} and of the consensus "
        f"weights {_num(ranges['consensus_skill_share'][0])} to {_num(ranges['consensus_skill_share'][1])}: "
        "**these numbers are the coder's as much as the lists'.**"
    ]
    if len(other_majority):
        lines.append(
            f"The majority competencies change under {len(other_majority)} coding"
            f"{'s' if len(other_majority) > 1 else ''} ({', '.join(other_majority)})."
        )
    else:
        lines.append("The competencies named by a majority stay the same under every coding.")
    lines.append(
        f"The competencies in the Borda top (ties at the cut included) change under {len(other_top)} of them, "
        f"and the most alike pair under "
        f"{len(other_pair)}" + (f" ({', '.join(other_pair)})" if len(other_pair) else "") + "."
    )
    return bullets(lines)


def what_the_numbers_support(
    counts: pd.DataFrame,
    n_lists: int,
    mention: pd.Series,
    uniform: Any,
    weighted: Any,
    bootstrap: pd.DataFrame,
    table: pd.DataFrame,
    *,
    k: int,
    names: dict[str, str] | None = None,
) -> Finding:
    """The notebook's conclusions in four sentences, from its results (each worded by what the numbers show)."""
    top = counts.index[0]
    first = bootstrap.index[0]
    beyond = "more than chance gives" if mention["p_value"] < 0.05 else "no more than chance gives"
    overlap = (
        "close to what random lists of the same sizes share"
        if uniform.summary["p_mean"] >= 0.05 or weighted.summary["p_mean"] >= 0.05
        else "beyond what random lists share"
    )
    firm = bootstrap.loc[first, "p_top_k"] >= 0.9
    lines = [
        f"What {n_lists} web lists name most often is {_names([top], names)[0]} "
        f"({int(counts.loc[top, 'n_lists'])} lists), {beyond}; the rest of their overlap is {overlap}.",
        (
            f"A consensus built from them is firm at the first place ({_names([first], names)[0]}, in the top {k} of "
            f"{bootstrap.loc[first, 'p_top_k']:.0%} of resamples) and uncertain below it: its order rests on which "
            "lists were found and how they were coded."
            if firm
            else "A consensus built from them is uncertain from the first place on: its order rests on which lists "
            "were found and how they were coded."
        ),
        "Agreement statistics are stated beside their chance level (mean Jaccard "
        f"{_num(uniform.summary['mean_jaccard'])} against {_num(uniform.summary['null_mean'])}), and every "
        f"headline number is recomputed under {len(table) - 1} alternative codings.",
        "The lists are not a sample of experts: treat the consensus as a description of these articles, a "
        "starting point for a rubric, not as evidence of what the profession requires.",
    ]
    return bullets(lines)
