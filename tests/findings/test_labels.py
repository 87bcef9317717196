"""The published label-agreement and O*NET findings (notebook 03, section 1), recomputed through the package.

Skipped unless the bundled data are the published data set. Reference values: the methods review reproduced
kappa .61, PABAK .82 and the cluster-bootstrap interval [0, 1] by its own scripts; the kappa standard error is
Fleiss, Cohen & Everitt's (1969), checked against SAS in tests/split/test_labels.py.
"""

from __future__ import annotations

import pytest

from smmrubric import split
from smmrubric.data import load_onet_crosswalk, published_data
from smmrubric.findings import labels
from smmrubric.inputs import DEFAULT_SEED

pytestmark = pytest.mark.skipif(not published_data(), reason="data/ is not the published data set")


@pytest.fixture(scope="module")
def s(published):
    return published  # the session's published run (tests/conftest.py)


def test_label_agreement_finding(s):
    agreement = split.label_agreement(s.lists)
    pooled = agreement.loc["all"]
    assert (pooled["n"], pooled["n_agree"]) == (33, 30)
    assert pooled["kappa"] == pytest.approx(0.61, abs=5e-3) and pooled["kappa_se"] == pytest.approx(0.20, abs=5e-3)
    assert pooled["kappa_low"] == pytest.approx(0.22, abs=5e-3) and pooled["kappa_high"] == pytest.approx(1.0)
    assert pooled["pabak"] == pytest.approx(0.82, abs=5e-3) and pooled["prevalence_index"] == pytest.approx(
        0.73, abs=5e-3
    )
    bootstrap = split.label_kappa_bootstrap(s.lists, seed=DEFAULT_SEED, n_draws=10_000)
    assert bootstrap["n_lists"] == 4 and (round(bootstrap["low"], 2), round(bootstrap["high"], 2)) == pytest.approx(
        (0.0, 1.0)
    )
    disagreements = split.label_disagreements(s.lists)
    assert len(disagreements) == 3
    text = labels.label_agreement(agreement, bootstrap, disagreements).text
    assert "**30 of 33**" in text and "not a validation" in text and "PABAK is .82" in text


def test_onet_finding_both_readings(s):
    readings = split.onet_readings(s.lists, s.competencies, load_onet_crosswalk(competencies=s.competencies))
    recorded, contra = readings.loc[("recorded", "vocabulary")], readings.loc[("contradicting", "vocabulary")]
    assert (recorded["n"], recorded["n_agree"], recorded["kappa"]) == pytest.approx((13, 13, 1.0))
    assert (contra["n"], contra["n_agree"]) == (19, 12) and contra["kappa"] == pytest.approx(0.30, abs=5e-3)
    assert set(contra["disagree"].split(", ")) == {
        "analytics",
        "continuous_learning",
        "copywriting",
        "customer_service",
        "improvisation",
        "leadership",
        "project_management",
    }
    text = labels.onet_agreement(readings).text
    assert "13 of 13" in text and "**12 of 19 agree (kappa .30)**" in text
