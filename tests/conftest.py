"""Shared fixtures: a seeded generator, figure cleanup, and small valid data files to corrupt."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import os  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from xdist.scheduler import LoadScopeScheduling  # noqa: E402

# On CI, property tests draw the same examples every run (a red build is then reproducible);
# locally they explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


class _NotebooksWhole(LoadScopeScheduling):
    """pytest-xdist scheduling for one run of the tests and the notebooks together (``make test``): each notebook's
    cells go to one worker, in order (one kernel runs them), every other test is scheduled on its own. Notebooks
    (many cells) start first, then the tests in collection order (slow ones first, below), so that the two workers
    finish together. (pytest-xdist's own ``--dist loadgroup`` does not group under pytest 9.)"""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return path if path.endswith(".ipynb") else nodeid


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own schedulers
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> LoadScopeScheduling | None:
    """Notebooks whole and tests one by one when a run with several workers takes both (``--nbval`` and the
    default ``--dist load``); any other run is scheduled as pytest-xdist does."""
    if config.getoption("nbval", default=False) and config.getvalue("dist") == "load":
        return _NotebooksWhole(config, log)  # type: ignore[arg-type]
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow tests first (a stable sort: everything else, notebook cells included, keeps its order)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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
