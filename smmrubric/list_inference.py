"""How sure can we be of what the experts' lists say? Permutation nulls and bootstraps over the lists.

The thirteen lists are a convenience sample of web articles, not a random sample of experts; the numbers here
do not make them one. They answer narrower questions: would lists drawn at random (of the same sizes, from the
same vocabulary) overlap as much? Would the consensus move if other lists of the same kind had been found?

* :func:`similarity_null` -- pairwise Jaccard similarity against random lists of the same sizes: drawn
  uniformly from the vocabulary (``null="uniform"``; per-pair expectations and p-values exact, from the
  hypergeometric distribution) or with probability proportional to how many lists name each competency
  (``null="weighted"``, Efraimidis & Spirakis 2006 weighted sampling without replacement): observed / expected
  per pair (a size-adjusted Jaccard), per list, and for the mean and the largest pairwise similarity;
* :func:`mention_null` -- how many lists name the most named competency, against the uniform null;
* :func:`category_mentions` -- do lists name skills more often than traits? (a label permutation), and are the
  competencies named once mostly traits? (hypergeometric);
* :func:`rra_null` -- RRA's score against random lists of the data's own sizes and tie groups, p-values
  corrected over the competencies (Benjamini & Hochberg 1995);
* :func:`bootstrap_consensus` -- Borda consensus ranks with percentile intervals over lists resampled with
  replacement, and each competency's chance of being in the top k;
* :func:`consensus_stability` -- how many lists it takes before the consensus top k stops moving: the expected
  top-k overlap between the consensus of m lists drawn without replacement and the consensus of all.

Every function takes ``seed`` (an int or a numpy Generator, :func:`smmrubric.validation.as_rng`); Monte Carlo
p-values are ``(1 + count) / (1 + n_draws)`` from integer counts (Davison & Hinkley 1997, eq. 4.11).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .aggregate import _bh, _parse
from .errors import SmmrubricError
from .ranking import argsort_ties, sort_frame, tie_groups
from .validation import as_rng, check_choice, check_int, check_number

__all__ = [
    "NULLS",
    "SimilarityNull",
    "bootstrap_consensus",
    "category_mentions",
    "consensus_stability",
    "largest_similarity_p",
    "mention_null",
    "rra_null",
    "similarity_null",
]

#: The two null models of :func:`similarity_null`.
NULLS = ("uniform", "weighted")


def _membership(rankings: Mapping[str, Sequence[Any]], vocabulary: Sequence[Any]) -> tuple[list[str], np.ndarray]:
    """List ids and the lists x vocabulary membership (bool); every named item must be in the vocabulary."""
    profile = _parse(rankings, field="rankings")
    vocab = _vocabulary(vocabulary)
    unknown = [i for i in profile.items if i not in vocab]
    if unknown:
        raise SmmrubricError(f"item {unknown[0]!r} is not in the vocabulary", field="vocabulary")
    column = {item: j for j, item in enumerate(vocab)}
    m = np.zeros((len(profile.list_ids), len(vocab)), dtype=bool)
    named = ~np.isnan(profile.position)
    for i, item in enumerate(profile.items):
        m[named[:, i], column[item]] = True
    return profile.list_ids, m


def _vocabulary(vocabulary: Any) -> list:
    if isinstance(vocabulary, (str, bytes)) or not isinstance(vocabulary, (Sequence, pd.Index, np.ndarray)):
        raise SmmrubricError(f"must be the list of competency ids, got {vocabulary!r}", field="vocabulary")
    vocab = list(vocabulary)
    if len(set(vocab)) != len(vocab) or not vocab:
        raise SmmrubricError("must be a non-empty list of distinct competency ids", field="vocabulary")
    return vocab


#: Draws generated at once (memory stays small; the draws are the same whatever the total).
_CHUNK = 1000


def _null_jaccard(
    sizes: np.ndarray, n_items: int, n_draws: int, rng: np.random.Generator, weights: np.ndarray | None = None
) -> np.ndarray:
    """(draws, pairs) Jaccard similarities of random lists of the given sizes, generated in chunks."""
    parts = []
    for start in range(0, n_draws, _CHUNK):
        parts.append(_jaccard(_random_sets(sizes, n_items, min(_CHUNK, n_draws - start), rng, weights))[1])
    return np.concatenate(parts)


def largest_similarity_p(
    rankings: Mapping[str, Sequence[Any]], vocabulary: Sequence[Any], *, seed: int, n_draws: int = 2000
) -> tuple[str, str, float, float]:
    """The most alike pair of lists (Jaccard; ties by ids) and its p-value, as :func:`similarity_null` gives.

    The same numbers as ``similarity_null(..., null="uniform")``'s first pair and ``summary["p_max"]`` for
    an integer ``seed``, with the null distribution of the largest similarity cached by list sizes, so that
    rerunning it on codings that keep the sizes costs nothing.

    Returns
    -------
    tuple
        ``(list_a, list_b, jaccard, p_max)``.
    """
    ids, m = _membership(rankings, vocabulary)
    if len(ids) < 2:
        raise SmmrubricError("needs at least two lists", field="rankings")
    seed = check_int(seed, "seed", low=0)
    _, observed = _jaccard(m)
    i, j = np.triu_indices(len(ids), k=1)
    best = argsort_ties(observed, [f"{ids[x]}\t{ids[y]}" for x, y in zip(i, j)])[0]
    null_max = _null_max(tuple(int(v) for v in m.sum(axis=1)), m.shape[1], seed, check_int(n_draws, "n_draws", low=1))
    return ids[i[best]], ids[j[best]], float(observed[best]), float(_mc_p(null_max, observed.max(), len(null_max)))


@functools.lru_cache(maxsize=64)
def _null_max(sizes: tuple[int, ...], n_items: int, seed: int, n_draws: int) -> np.ndarray:
    return _null_jaccard(np.asarray(sizes), n_items, n_draws, as_rng(seed)).max(axis=1)


def _random_sets(
    sizes: np.ndarray, n_items: int, n_draws: int, rng: np.random.Generator, weights: np.ndarray | None = None
) -> np.ndarray:
    """(draws, lists, items) bool: each list a random set of its size, uniform or weighted without replacement.

    Weighted: the ``size`` items with the largest keys ``log(u) / w`` (Efraimidis & Spirakis 2006), so item
    ``i`` is drawn with probability proportional to ``w_i`` among those not yet drawn; weight 0 never drawn.
    """
    u = rng.random((n_draws, len(sizes), n_items))
    if weights is None:
        key = u  # the smallest keys are drawn
    else:
        with np.errstate(divide="ignore"):
            key = np.where(weights > 0, -np.log(u) / np.where(weights > 0, weights, 1.0), np.inf)
    out = np.zeros(key.shape, dtype=bool)
    for size in np.unique(sizes):  # continuous random keys: no ties, so the smallest `size` are well defined
        rows = np.flatnonzero(sizes == size)
        if size == 0:
            continue
        part = key[:, rows, :]
        kth = np.partition(part, int(size) - 1, axis=-1)[..., int(size) - 1 : int(size)]
        out[:, rows, :] = part <= kth
    return out


def _jaccard(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise intersections and Jaccard of membership arrays (..., lists, items), for the pairs i < j."""
    counts = m.astype(np.float64)  # 0/1: the products and their sums are exact integers in any BLAS kernel
    inter = np.rint(counts @ np.swapaxes(counts, -1, -2)).astype(np.int64)
    size = m.sum(axis=-1)
    union = size[..., :, None] + size[..., None, :] - inter
    i, j = np.triu_indices(m.shape[-2], k=1)
    return inter[..., i, j], inter[..., i, j] / union[..., i, j]


def _mc_p(null: np.ndarray, observed: Any, n_draws: int) -> np.ndarray:
    """Monte Carlo p-value (1 + #null >= observed) / (1 + n_draws), along the first axis."""
    return (1 + (null >= observed).sum(axis=0)) / (1 + n_draws)


@dataclass(frozen=True)
class SimilarityNull:
    """Observed list similarity beside a null model (see :func:`similarity_null`).

    Attributes
    ----------
    pairs : pandas.DataFrame
        One row per pair, most alike first (ties by ids): ``list_a``, ``list_b``, ``shared``, ``jaccard``,
        ``expected`` (null mean), ``ratio`` (= jaccard / expected, the size-adjusted similarity) and
        ``p_value`` (P(null >= observed); uniform null: exact hypergeometric).
    lists : pandas.DataFrame
        Per list: ``n_items``, ``mean_jaccard`` (to the other lists), ``expected``, ``ratio``; most apart
        first by ratio.
    summary : pandas.Series
        ``mean_jaccard``, ``null_mean``, ``null_sd``, ``p_mean`` (mean pairwise Jaccard against the null);
        ``max_jaccard``, ``null_max_mean``, ``p_max`` (the largest pairwise Jaccard against the null
        distribution of the largest of all pairs: the most-alike pair's p-value corrected for the number of
        pairs); ``n_draws``.
    band : pandas.DataFrame
        For the figure: pairs sorted by similarity (``rank`` 1 = most alike) with the observed value and the
        2.5%, 50% and 97.5% quantiles of the null's k-th largest pairwise similarity.
    null : str
        ``"uniform"`` or ``"weighted"``.
    """

    pairs: pd.DataFrame
    lists: pd.DataFrame
    summary: pd.Series
    band: pd.DataFrame
    null: str


def similarity_null(
    rankings: Mapping[str, Sequence[Any]],
    vocabulary: Sequence[Any],
    *,
    seed: Any,
    null: str = "uniform",
    n_draws: int = 2000,
) -> SimilarityNull:
    """Pairwise Jaccard similarity of the lists against random lists of the same sizes.

    Null models: each list is replaced by a random set of as many competencies as it names, drawn

    * ``"uniform"``: uniformly from the vocabulary. For one pair of sizes :math:`a, b` among :math:`N`
      competencies the number shared is hypergeometric, :math:`X \\sim H(N, a, b)`, so the expected Jaccard
      :math:`E[X / (a + b - X)]` and the p-value :math:`P(X \\ge x)` are exact;
    * ``"weighted"``: with probability proportional to the number of lists naming each competency (without
      replacement; Efraimidis & Spirakis 2006): popular competencies are expected to be shared, so only
      agreement beyond popularity counts. The weights come from the same lists, which makes this null
      conservative.

    The mean and the largest pairwise similarity, and the per-list means, are compared with ``n_draws``
    Monte Carlo draws under the same null. Jaccard mixes similarity with list length (a 1-item list can reach
    at most 1/10 against a 10-item list); ``ratio`` = observed / expected removes that (review MINOR 2).

    Parameters
    ----------
    rankings
        ``{list_id: [item or tuple of tied items, ...]}`` (order is ignored).
    vocabulary
        Every competency a list could have named (e.g. ``competencies.index``).
    seed
        Seed or numpy Generator.
    null
        ``"uniform"`` or ``"weighted"``.
    n_draws
        Monte Carlo draws.

    Returns
    -------
    SimilarityNull
    """
    from scipy.stats import hypergeom

    null = check_choice(null, "null", NULLS)
    n_draws = check_int(n_draws, "n_draws", low=1)
    ids, m = _membership(rankings, vocabulary)
    if len(ids) < 2:
        raise SmmrubricError("needs at least two lists", field="rankings")
    rng = as_rng(seed)
    sizes = m.sum(axis=1)
    n_items = m.shape[1]
    weights = m.sum(axis=0).astype(float) if null == "weighted" else None
    shared, observed = _jaccard(m)
    null_j = _null_jaccard(sizes, n_items, n_draws, rng, weights)  # (draws, pairs)
    i, j = np.triu_indices(len(ids), k=1)
    if null == "uniform":
        a, b = sizes[i], sizes[j]
        expected = np.array([_expected_jaccard(int(n_items), int(x), int(y)) for x, y in zip(a, b)])
        p_pair = hypergeom.sf(shared - 1, n_items, a, b)
    else:
        expected = null_j.mean(axis=0)
        p_pair = _mc_p(null_j, observed, n_draws)
    pairs = pd.DataFrame(
        {
            "list_a": np.asarray(ids)[i],
            "list_b": np.asarray(ids)[j],
            "shared": shared,
            "jaccard": observed,
            "expected": expected,
            "ratio": observed / expected,
            "p_value": p_pair,
        }
    )
    labels = [f"{x}\t{y}" for x, y in zip(pairs["list_a"], pairs["list_b"])]
    pairs = pairs.iloc[argsort_ties(observed, labels)].reset_index(drop=True)
    per_list = _per_list(ids, sizes, observed, expected, i, j)
    null_sorted = -np.sort(-null_j, axis=1)
    band = pd.DataFrame(
        {
            "rank": np.arange(1, len(observed) + 1),
            "observed": pairs["jaccard"].to_numpy(),
            "null_low": np.quantile(null_sorted, 0.025, axis=0),
            "null_median": np.quantile(null_sorted, 0.5, axis=0),
            "null_high": np.quantile(null_sorted, 0.975, axis=0),
        }
    )
    null_mean, null_max = null_j.mean(axis=1), null_j.max(axis=1)
    summary = pd.Series(
        {
            "mean_jaccard": observed.mean(),
            "null_mean": null_mean.mean(),
            "null_sd": null_mean.std(ddof=1) if n_draws > 1 else np.nan,
            "p_mean": float(_mc_p(null_mean, observed.mean(), n_draws)),
            "max_jaccard": observed.max(),
            "null_max_mean": null_max.mean(),
            "p_max": float(_mc_p(null_max, observed.max(), n_draws)),
            "n_draws": n_draws,
        }
    )
    return SimilarityNull(pairs=pairs, lists=per_list, summary=summary, band=band, null=null)


@functools.lru_cache(maxsize=4096)
def _expected_jaccard(n: int, a: int, b: int) -> float:
    """E[X / (a + b - X)] for X ~ hypergeometric(N = n, a successes, b draws); 0/0 (both empty) counts 0."""
    from scipy.stats import hypergeom

    x = np.arange(max(0, a + b - n), min(a, b) + 1)
    union = a + b - x
    return float(hypergeom.pmf(x, n, a, b) @ np.where(union > 0, x / np.maximum(union, 1), 0.0))


def _per_list(
    ids: list[str], sizes: np.ndarray, observed: np.ndarray, expected: np.ndarray, i: np.ndarray, j: np.ndarray
) -> pd.DataFrame:
    n = len(ids)
    obs, exp = np.zeros((n, n)), np.zeros((n, n))
    obs[i, j] = obs[j, i] = observed
    exp[i, j] = exp[j, i] = expected
    out = pd.DataFrame(
        {"n_items": sizes, "mean_jaccard": obs.sum(axis=1) / (n - 1), "expected": exp.sum(axis=1) / (n - 1)},
        index=pd.Index(ids, name="list_id"),
    )
    out["ratio"] = out["mean_jaccard"] / out["expected"]
    return sort_frame(out, "ratio")


def mention_null(
    rankings: Mapping[str, Sequence[Any]], vocabulary: Sequence[Any], *, seed: Any, n_draws: int = 2000
) -> pd.Series:
    """How many lists name the most named competency, against lists of the same sizes drawn uniformly.

    Returns
    -------
    pandas.Series
        ``top``: the most named competency (ties by id), ``observed_max`` (the number of lists naming it),
        ``null_max_mean`` (mean of the null's largest count) and ``p_value`` = P(null's largest count >=
        observed), which is corrected for having looked at every competency; ``n_draws``.
    """
    n_draws = check_int(n_draws, "n_draws", low=1)
    ids, m = _membership(rankings, vocabulary)
    counts = m.sum(axis=0)
    rng = as_rng(seed)
    null_max = np.concatenate(
        [
            _random_sets(m.sum(axis=1), m.shape[1], min(_CHUNK, n_draws - start), rng).sum(axis=1).max(axis=1)
            for start in range(0, n_draws, _CHUNK)
        ]
    )
    vocab = _vocabulary(vocabulary)
    top = vocab[int(argsort_ties(counts.astype(float), [str(v) for v in vocab])[0])]
    return pd.Series(
        {
            "top": top,
            "observed_max": int(counts.max()),
            "null_max_mean": float(null_max.mean()),
            "p_value": float(_mc_p(null_max, counts.max(), n_draws)),
            "n_draws": n_draws,
        }
    )


def category_mentions(counts: pd.Series, categories: pd.Series, *, seed: Any, n_draws: int = 2000) -> pd.Series:
    """Are skills named by more lists than traits, and are the competencies named once mostly traits?

    * Difference of the mean number of lists naming a skill and a trait, against the permutation
      distribution of the category labels over the competencies (Good 2005): one-sided ``p_skills_more``
      = P(permuted difference >= observed).
    * Among the competencies named by exactly one list, the number of traits against the hypergeometric
      distribution (a random draw of that many competencies from the vocabulary): ``p_singletons_traits`` =
      P(X >= traits among them).

    Parameters
    ----------
    counts
        Number of lists naming each competency, indexed by competency id (0 for one never named).
    categories
        ``skill`` / ``trait`` per competency id (the same ids).

    Returns
    -------
    pandas.Series
        ``mean_skill``, ``mean_trait``, ``difference``, ``p_skills_more``, ``n_singletons``,
        ``singleton_traits``, ``vocabulary_traits``, ``n_vocabulary``, ``p_singletons_traits``, ``n_draws``.
    """
    from scipy.stats import hypergeom

    n_draws = check_int(n_draws, "n_draws", low=1)
    if (
        not isinstance(counts, pd.Series)
        or not isinstance(categories, pd.Series)
        or set(counts.index) != set(categories.index)
    ):
        raise SmmrubricError("counts and categories must be Series over the same competency ids", field="counts")
    cats = categories.reindex(counts.index)
    if not cats.isin(["skill", "trait"]).all():
        raise SmmrubricError("categories must be 'skill' or 'trait'", field="categories")
    x = counts.to_numpy(dtype=np.int64)
    skill = cats.eq("skill").to_numpy()
    n_skill = int(skill.sum())
    n = len(x)

    def difference(is_skill: np.ndarray) -> np.ndarray:
        s = (x * is_skill).sum(axis=-1)
        # means from integer sums: s / n_skill - (total - s) / n_trait, on a common denominator
        return (s * (n - n_skill) - (x.sum() - s) * n_skill) / (n_skill * (n - n_skill))

    rng = as_rng(seed)
    permuted = np.argsort(rng.random((n_draws, n)), axis=1) < n_skill
    observed = float(difference(skill))
    singles = x == 1
    traits_once = int((singles & ~skill).sum())
    return pd.Series(
        {
            "mean_skill": x[skill].mean(),
            "mean_trait": x[~skill].mean(),
            "difference": observed,
            "p_skills_more": float(_mc_p(difference(permuted), observed, n_draws)),
            "n_singletons": int(singles.sum()),
            "singleton_traits": traits_once,
            "vocabulary_traits": n - n_skill,
            "n_vocabulary": n,
            "p_singletons_traits": float(hypergeom.sf(traits_once - 1, n, n - n_skill, int(singles.sum()))),
            "n_draws": n_draws,
        }
    )


def rra_null(
    rankings: Mapping[str, Sequence[Any]], vocabulary: Sequence[Any], *, seed: Any, n_draws: int = 2000
) -> pd.DataFrame:
    """RRA's score of every competency against random lists of the data's own sizes and tie groups.

    :func:`smmrubric.aggregate.rra` gives each item :math:`\\rho` (lower = ranked higher than chance), a
    p-value only under its own null of untied complete rankings. Here each list keeps its length and its tie
    groups (an unordered list stays one tie group) and is filled with competencies drawn uniformly from the
    vocabulary; RRA is rerun on every draw with :math:`N` = the vocabulary's size. Under this null the
    competencies are exchangeable, so each one's p-value pools the null scores of all of them:
    :math:`p_i = (1 + \\#\\{\\rho^*_{bj} \\le \\rho_i\\}) / (1 + BN)`; ``q_value`` adjusts it for the
    :math:`N` competencies tested (Benjamini & Hochberg 1995) and ``p_family`` is the family-wise p-value
    :math:`P(\\min_j \\rho^*_j \\le \\rho_i)`.

    Returns
    -------
    pandas.DataFrame
        Indexed by competency (the vocabulary, best score first, ties by id): ``score`` (:math:`\\rho`),
        ``p_value``, ``q_value``, ``p_family``.
    """
    from scipy.stats import beta

    n_draws = check_int(n_draws, "n_draws", low=1)
    vocab = _vocabulary(vocabulary)
    profile = _parse(rankings, field="rankings")
    unknown = [i for i in profile.items if i not in vocab]
    if unknown:
        raise SmmrubricError(f"item {unknown[0]!r} is not in the vocabulary", field="vocabulary")
    n_items, n_lists = len(vocab), len(profile.list_ids)
    column = {item: j for j, item in enumerate(vocab)}
    observed = np.ones((n_lists, n_items))
    for i, item in enumerate(profile.items):
        named = ~np.isnan(profile.position[:, i])
        observed[named, column[item]] = profile.position[named, i] / n_items
    # each list's normalised ranks, by place: the random draw assigns them to random competencies
    places = [np.sort(profile.position[row][~np.isnan(profile.position[row])]) / n_items for row in range(n_lists)]
    rng = as_rng(seed)
    null = np.ones((n_draws, n_lists, n_items))
    for row, ranks in enumerate(places):
        chosen = np.argsort(rng.random((n_draws, n_items)), axis=1)[:, : len(ranks)]
        np.put_along_axis(null[:, row, :], chosen, np.broadcast_to(ranks, chosen.shape), axis=1)

    # every normalised rank is one of a few values: evaluate the Beta CDFs once per (k, value)
    values = np.unique(np.concatenate([*places, [1.0]]))
    k = np.arange(1, n_lists + 1)[:, None]
    table = beta.cdf(values[None, :], k, n_lists - k + 1)  # (lists, values)

    def score(r: np.ndarray) -> np.ndarray:
        index = np.searchsorted(values, np.sort(r, axis=-2))  # exact: r holds only these values
        cdf = table[np.arange(n_lists)[:, None], index]
        return np.minimum(cdf.min(axis=-2) * n_lists, 1.0)

    rho, null_rho = score(observed), score(null)
    flat = np.sort(null_rho.ravel())
    p = (1 + np.searchsorted(flat, rho, side="right")) / (1 + flat.size)
    family = (1 + (null_rho.min(axis=1)[:, None] <= rho[None, :]).sum(axis=0)) / (1 + n_draws)
    out = pd.DataFrame(
        {"score": rho, "p_value": p, "q_value": _bh(p, n_items), "p_family": family},
        index=pd.Index(vocab, name="competency_id"),
    )
    return out.iloc[argsort_ties(rho, [str(v) for v in vocab], descending=False)]


def _points(rankings: Mapping[str, Sequence[Any]]) -> tuple[list, np.ndarray]:
    """Items and the lists x items Borda points (:func:`smmrubric.aggregate.borda`, one row per list)."""
    profile = _parse(rankings, field="rankings")
    n = len(profile.items)
    return profile.items, np.where(np.isnan(profile.position), 0.0, n - profile.position)


def _competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = best) of each row of ``scores``, ties within the tolerance of smmrubric.ranking."""
    groups = tie_groups(scores, descending=True, axis=1)
    return 1 + (groups[:, None, :] < groups[:, :, None]).sum(axis=2)


def _top_k_cut(scores: np.ndarray, k: int) -> tuple[np.ndarray, ...]:
    """The top-k cut of each column of ``scores`` (items x draws), ties within smmrubric.ranking's tolerance.

    :func:`smmrubric.rank_agreement._cut`: ``above`` (in the top k whatever the tie order), ``at`` (in
    the tie group straddling the cut), and per column the ``slots`` left for that group and its size ``tied``.
    """
    from .rank_agreement import _cut

    return _cut(scores, k)


def _expected_overlap(reference: tuple[np.ndarray, ...], columns: tuple[np.ndarray, ...], k: int) -> np.ndarray:
    """Expected top-k overlap of each column with the reference, ties at either cut split at random.

    The same quantity as :func:`smmrubric.sensitivity.top_k_overlaps`, from integer counts over the common
    denominator ``t_r t_c k``, divided once (no floating-point sum whose order could vary).
    """
    r_above, r_at, q_r, t_r = (np.asarray(v)[..., 0] for v in reference)
    above, at, q_c, t_c = columns
    a = r_above.astype(np.int64) @ above.astype(np.int64)
    b = r_above.astype(np.int64) @ at.astype(np.int64)
    c = r_at.astype(np.int64) @ above.astype(np.int64)
    d = r_at.astype(np.int64) @ at.astype(np.int64)
    numerator = a * t_r * t_c + b * q_c * t_r + c * q_r * t_c + d * q_r * q_c
    return numerator / (t_r * t_c * k)


def bootstrap_consensus(
    rankings: Mapping[str, Sequence[Any]], *, seed: Any, k: int = 5, n_draws: int = 2000, confidence: float = 0.90
) -> pd.DataFrame:
    """Borda consensus ranks with bootstrap intervals over the lists.

    The lists are resampled with replacement ``n_draws`` times (the nonparametric bootstrap, Efron &
    Tibshirani 1993, with the list as the unit); each resample's Borda scores (:func:`smmrubric.aggregate.borda`,
    a list drawn twice counting twice) give every competency a competition rank (ties within the tolerance of
    :mod:`smmrubric.ranking`; a competency no drawn list names ties for last).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item``, in the order of the consensus of all lists (ties by id): ``rank`` (all lists),
        ``rank_median``, ``rank_low``, ``rank_high`` (percentile interval at ``confidence``), ``p_top_k`` (the
        share of resamples in which the item is in the top ``k``, ties at the cut split as in
        :func:`smmrubric.sensitivity.top_k_membership`).
    """
    n_draws = check_int(n_draws, "n_draws", low=1)
    level = check_number(confidence, "confidence", low=0.0, high=1.0, low_open=True, high_open=True)
    items, points = _points(rankings)
    k = check_int(k, "k", low=1, high=len(items))
    n_lists = points.shape[0]
    weights = as_rng(seed).multinomial(n_lists, np.full(n_lists, 1.0 / n_lists), size=n_draws)
    scores = weights @ points  # (draws, items); half-integer points, exact sums
    ranks = _competition_ranks(scores)
    full = points.sum(axis=0)
    tail = (1 - level) / 2
    labels = [str(i) for i in items]
    above, at, slots, tied = _top_k_cut(scores.T, k)
    # share of resamples in the top k, ties at the cut split: sum over draws of (above + at * slots / tied),
    # as integer counts over the common denominator of the tie sizes, divided once
    common = int(np.lcm.reduce(np.unique(tied)))
    counts = above.sum(axis=1) * common + (at * (slots * (common // tied))[None, :]).sum(axis=1)
    out = pd.DataFrame(
        {
            "rank": _competition_ranks(full[None, :])[0],
            "rank_median": np.quantile(ranks, 0.5, axis=0),
            "rank_low": np.quantile(ranks, tail, axis=0, method="lower"),
            "rank_high": np.quantile(ranks, 1 - tail, axis=0, method="higher"),
            "p_top_k": counts / (common * n_draws),
        },
        index=pd.Index(items, name="item"),
    )
    return out.iloc[argsort_ties(full, labels)]


def consensus_stability(
    rankings: Mapping[str, Sequence[Any]], *, seed: Any, k: int = 5, n_draws: int = 2000, threshold: float = 0.8
) -> pd.DataFrame:
    """How many lists it takes before the Borda top ``k`` stops moving.

    For every number of lists :math:`m = 1..L`, ``n_draws`` subsets of :math:`m` lists are drawn without
    replacement; each subset's Borda consensus is compared with the consensus of all :math:`L` lists by the
    expected overlap of their top ``k`` (ties at either cut split, :func:`smmrubric.sensitivity.top_k_overlaps`).
    At :math:`m = L` the overlap is 1 by construction: the curve shows how fast the consensus converges to
    the one of these lists, not to a population's (Lin & Ding 2009 use the same subsampling to gauge rank
    aggregation's stability).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``n_lists`` (1..L): ``mean_overlap``, ``low`` and ``high`` (5% and 95% quantiles over the
        draws), ``p_same`` (share of draws with the same top k). ``attrs["lists_needed"]``: the smallest
        :math:`m` whose mean overlap is at least ``threshold`` and stays so for every larger :math:`m`.
    """
    n_draws = check_int(n_draws, "n_draws", low=1)
    threshold = check_number(threshold, "threshold", low=0.0, high=1.0)
    items, points = _points(rankings)
    k = check_int(k, "k", low=1, high=len(items))
    n_lists = points.shape[0]
    reference = _top_k_cut(points.sum(axis=0)[:, None], k)
    rng = as_rng(seed)
    rows = {}
    for m in range(1, n_lists + 1):
        chosen = np.argsort(rng.random((n_draws, n_lists)), axis=1) < m
        overlap = _expected_overlap(reference, _top_k_cut((chosen.astype(float) @ points).T, k), k)
        rows[m] = {
            "mean_overlap": overlap.mean(),
            "low": np.quantile(overlap, 0.05),
            "high": np.quantile(overlap, 0.95),
            "p_same": float((overlap >= 1 - 1e-12).mean()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "n_lists"
    above = out["mean_overlap"].to_numpy() >= threshold
    stays = np.flatnonzero(~above)
    out.attrs["lists_needed"] = int(stays[-1] + 2) if stays.size else 1
    if out.attrs["lists_needed"] > n_lists:
        out.attrs["lists_needed"] = None
    out.attrs["threshold"] = threshold
    return out
