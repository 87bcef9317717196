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
