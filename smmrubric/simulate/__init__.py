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
4. :func:`develop` moves true standings forward in time: skills grow (linearly or towards a ceiling),
   traits stay (by default) put.

:func:`correlation_summary` and :func:`rating_distribution` summarise a simulated pool for the data
tour: realised against implied correlations by category pair, and the share of ratings at each level.

Every function takes either a :class:`smmrubric.Rubric` or, for use without one, a plain
``pandas.Series`` indexed by ``competency_id`` with values ``'skill'`` or ``'trait'`` (weights then
equal, rating scale 1-5), or a competency table from :func:`smmrubric.load_competencies` (its
``category`` column is used the same way).

Layout: the public functions (pandas in, pandas out, every argument checked once) live in
:mod:`.factors`, :mod:`.criterion`, :mod:`.raters` and :mod:`.growth`; they run on the array kernels of
:mod:`.kernels`, which the many-pool studies call directly. The defaults, their sources and the plausible
ranges the studies vary them over are in :mod:`.defaults`.

Sources of the defaults
-----------------------
- Operational validities (Sackett, Zhang, Berry & Lievens 2022, "Revisiting meta-analytic estimates
  of validity in personnel selection", *Journal of Applied Psychology* 107(11), 2040-2068, Table 1):
  structured interviews .42, job knowledge tests .40, work samples .33, conscientiousness .19. The
  simulation uses .40 and .19 as *true-score* placeholders for the skills and traits composites; they
  are not these competencies' validities (see :mod:`.defaults`).
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
  234-245): d about .6 on learning and behaviour criteria, for one programme; the simulation's
  .6 SD *per year* is an assumption built on it.
- Personality change (Roberts, Luo, Briley, Chow, Su & Hill 2017, "A systematic review of personality
  trait change through intervention", *Psychological Bulletin* 143(2), 117-141): d = .37 over a
  median of about 24 weeks of intervention; without an intervention mean-level change in adulthood is
  a small fraction of an SD per decade (Roberts, Walton & Viechtbauer 2006, *Psychological Bulletin*
  132(1), 1-25), so the default trait gain is 0.
"""

from __future__ import annotations

from .criterion import performance, performance_weights
from .defaults import *  # noqa: F403 (the defaults and ranges, listed in defaults.__all__)
from .defaults import __all__ as _defaults
from .factors import candidates, correlation_summary, factor_loadings, implied_correlation
from .growth import develop
from .raters import default_thresholds, rating_distribution, rating_variance, ratings

__all__ = [
    *_defaults,
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
