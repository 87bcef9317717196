"""Shared fixtures: a seeded generator, figure cleanup, and small valid data files to corrupt."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import os  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# On CI, property tests draw the same examples every run (a red build is then reproducible);
# locally they explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened."""
    yield
    plt.close("all")


@pytest.fixture
def rng() -> np.random.Generator:
    """A generator with a fixed seed, so a failing test fails the same way every time."""
    return np.random.default_rng(sum(map(ord, "smmrubric")))


@pytest.fixture(autouse=True)
def figures_to_tmp(tmp_path_factory, monkeypatch):
    """Figures saved during tests go to a temporary folder, never to the repository's figures/."""
    monkeypatch.setenv("SMMRUBRIC_FIGURES", str(tmp_path_factory.mktemp("figures")))


# -- the bundled data, read once per session (tests must not modify what they get) ---------------------------


@pytest.fixture(scope="session")
def published():
    """The published run's inputs (:func:`smmrubric.inputs.study` with the default seed): the bundled lists,
    vocabulary, consensus rubric and expert rubrics, and the simulated pool (drawn on first use)."""
    from smmrubric.inputs import DEFAULT_SEED, study

    return study(seed=DEFAULT_SEED)


@pytest.fixture(scope="session")
def bundled_competencies(published):
    """The bundled competency vocabulary (``data/competencies.csv``)."""
    return published.competencies


@pytest.fixture(scope="session")
def bundled_lists(published):
    """The bundled expert lists (``data/expert_lists.csv``)."""
    return published.lists
