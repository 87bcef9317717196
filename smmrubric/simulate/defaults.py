"""The simulation's default assumptions and the plausible ranges the studies vary them over, with sources.

Every default below is an *assumption* of the simulation, not a fact about social media managers. The studies
that depend on one (notebooks 02 and 03) show results over the range beside it, not at the default alone.

Validities: operational versus true-score
-----------------------------------------
Sackett, Zhang, Berry & Lievens (2022, *Journal of Applied Psychology* 107(11), 2040-2068) report
*operational* validities: correlations of a fallible predictor measure with job performance, corrected for
criterion unreliability and range restriction but **not** for the predictor's own unreliability (structured
interviews .42, job knowledge tests .40, work samples .33, conscientiousness .19, the highest of the Big
Five). The simulation's validities are correlations of performance with the *true* (error-free) skills and
traits composites; ratings then add interview error on top. A true-score validity is the operational one
divided by the square root of the measure's reliability, so it is at least as large: using an operational
value as a true-score value, then attenuating it again by interview noise, counts measurement error twice
(validity review, MINOR 7). The ranges below therefore reach above the operational values.

Construct match
---------------
The bundled traits (curiosity, continuous learning, creativity, adaptability, boldness, passion, ...) are mostly
openness-like, with no conscientiousness-like competency (no dependability, discipline or attention to
detail); openness relates little to job proficiency (Barrick & Mount 1991, *Personnel Psychology* 44(1),
1-26, though it predicts training proficiency). Conscientiousness's .19 is therefore not the validity of this
trait set: :data:`DEFAULT_TRAIT_VALIDITY` keeps it only as a central placeholder, and the studies report
results over :data:`TRAIT_VALIDITY_RANGE`. Likewise .40 is the validity of job-knowledge *tests*, assigned
to a skills composite that includes public speaking and community management: a placeholder inside
:data:`SKILL_VALIDITY_RANGE`. No per-competency calibration is attempted: no meta-analysis reports the
validity of these competencies one by one.
"""

from __future__ import annotations

__all__ = [
    "CATEGORY_GAP_RANGE",
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
    "MEAN_INTERCORRELATION_RANGE",
    "SKILL_VALIDITY_RANGE",
    "TRAIT_VALIDITY_RANGE",
]

#: Mean correlation between the true standings on two different competencies (issue 4: "around .3").
DEFAULT_MEAN_INTERCORRELATION = 0.3
#: Range of the mean intercorrelation the studies vary (an assumption around issue 4's .3).
MEAN_INTERCORRELATION_RANGE = (0.15, 0.45)
#: Within-category minus between-category correlation. An assumption, not a meta-analytic estimate:
#: abilities and learned skills overlap only modestly with personality (Ackerman & Heggestad 1997,
#: *Psychological Bulletin* 121(2); Stanek & Ones 2023, *PNAS* 120(23)), so skills are taken to
#: correlate more with skills, and traits with traits, than skills with traits. With the bundled 18 skills
#: and 12 traits and the default mean .3, the skills and traits composites correlate about .5.
DEFAULT_CATEGORY_GAP = 0.15
#: Range of the category gap the studies vary (0: no category structure; .25: composites correlating about .25).
CATEGORY_GAP_RANGE = (0.0, 0.25)
#: Correlation of performance with the true skills composite. A placeholder: job knowledge tests' operational
#: validity, .40 (Sackett et al. 2022); see the module docstring and :data:`SKILL_VALIDITY_RANGE`.
DEFAULT_SKILL_VALIDITY = 0.40
#: True-score skill validities the studies vary over: from below work samples' operational .33 to job
#: knowledge's .40 disattenuated for a test reliability near .65 (.40 / sqrt(.65) = .50).
SKILL_VALIDITY_RANGE = (0.25, 0.50)
#: Correlation of performance with the true traits composite. A placeholder borrowed from conscientiousness
#: (.19, Sackett et al. 2022), which the bundled traits do not include; see the module docstring and
#: :data:`TRAIT_VALIDITY_RANGE`.
DEFAULT_TRAIT_VALIDITY = 0.19
#: True-score trait validities the studies vary over: from openness-like near-zero validities (Barrick & Mount
#: 1991) to above conscientiousness's .19, allowing for a composite of several traits and for disattenuation.
TRAIT_VALIDITY_RANGE = (0.05, 0.35)
#: Reliability of one rating by one interviewer: separate interviews, .44 (Huffcutt et al. 2013). Huffcutt et
#: al.'s figure is an interview-level interrater reliability; the simulation uses it per rating (an assumption).
DEFAULT_RELIABILITY = 0.44
#: Share of rating variance that is rater bias (leniency plus rater-by-candidate), Hoyt & Kerns (1999).
HOYT_KERNS_BIAS_SHARE = 0.37
#: Shares of a rating's non-true variance that are leniency and halo. At the default reliability .44
#: the non-true part is .56 of a rating's variance; Hoyt & Kerns' 37% bias is .37 / .56 = .661 of it,
#: split equally here between leniency and halo (the split is an assumption): .330 each, leaving
#: .56 - .37 = .19 of a rating's variance to random error.
DEFAULT_LENIENCY_SHARE = HOYT_KERNS_BIAS_SHARE / (1 - DEFAULT_RELIABILITY) / 2
DEFAULT_HALO_SHARE = DEFAULT_LENIENCY_SHARE
#: Skill growth in SD per year. An assumption: Arthur et al. (2003) report d about .6 for *one training
#: programme*, in trainee-sample SD units; reading it as a yearly rate in applicant-population SD units is the
#: simulation's choice, not their finding (validity review, MINOR 5).
DEFAULT_SKILL_GAIN = 0.6
#: Trait change in SD per year without an intervention: about 0 (Roberts et al. 2006). Under an
#: intervention Roberts et al. (2017) report d = .37 over about 24 weeks.
DEFAULT_TRAIT_GAIN = 0.0

#: Largest rater pool :func:`smmrubric.simulate.ratings` accepts: every pool member gets a leniency draw, so a
#: pool of billions would exhaust memory before any rating is made; a million raters is already "drawn at random".
MAX_RATER_POOL = 1_000_000
