"""The notebooks run to the end with other values of their parameters (issue 14).

A researcher who sets ``k = 5`` or 2,000 Monte Carlo draws, brings a rubric that weighs one category only, or adds a
list to the data, gets a full run with findings computed from that run's numbers, never an AssertionError or a
traceback.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from smmrubric import paths
from smmrubric.data import load_expert_lists
from smmrubric.inputs import load_rubric
from smmrubric.reproduce import execute_notebook

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
OTHER_KNOBS = {"k": 5, "n_draws": 2000, "seed": 7}


def _run(name: str, parameters: dict, tmp_path, monkeypatch) -> tuple[str, str]:
    """Execute a notebook with ``parameters``; return the text it printed and the findings (Markdown) it showed."""
    monkeypatch.setenv("SMMRUBRIC_FIGURES", str(tmp_path / "figures"))
    out = execute_notebook(NOTEBOOKS / f"{name}.ipynb", tmp_path / f"{name}.ipynb", parameters=parameters)
    outputs = [o for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    findings = "".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    return "".join(o.get("text", "") for o in outputs) + findings, findings


def _skills_only(tmp_path) -> str:
    """The consensus rubric with the traits' weight at 0: a researcher's all-skills rubric."""
    return str(load_rubric(None).with_category_share(1.0).to_yaml(tmp_path / "skills.yaml"))


def _add_a_list(tmp_path, monkeypatch) -> None:
    """The README's recipe: a copy of data/ with a list appended to expert_lists.csv, used through SMMRUBRIC_DATA."""
    folder = tmp_path / "data"
    shutil.copytree(paths.data_dir(), folder)
    head = "my_list,My list,none,My own list,me,,me,own,,,,,,false,false,"
    extra = f"{head},1,,Rédaction,Copywriting,skill,copywriting,,\n{head},2,,Curiosité,Curiosity,trait,curiosity,,\n"
    with (folder / "expert_lists.csv").open("a", encoding="utf-8") as handle:
        handle.write(extra)
    monkeypatch.setenv("SMMRUBRIC_DATA", str(folder))
    assert len(load_expert_lists()) == len(load_expert_lists(NOTEBOOKS.parent / "data" / "expert_lists.csv")) + 2


SERNA = str(NOTEBOOKS.parent / "data" / "rubrics" / "serna.yaml")  # the extreme: a one-item list


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "rubric"),
    [
        ("01-expert-lists", "an added list"),
        ("02-weight-sensitivity", "skills only"),
        ("03-skills-vs-traits", "skills only"),
        ("04-rubric-playground", "skills only"),
        ("02-weight-sensitivity", "one competency"),
        ("04-rubric-playground", "one competency"),
    ],
)  # notebook 03 takes the same path, the consensus's split, for any rubric of one category
def test_notebooks_run_with_other_knobs_and_a_rubric_of_one_category(name, rubric, tmp_path, monkeypatch):
    parameters = dict(OTHER_KNOBS)
    if rubric == "an added list":  # notebook 01 studies the lists: the README's recipe of adding one, in the same run
        _add_a_list(tmp_path, monkeypatch)
    elif rubric is not None:
        parameters["rubric_file"] = _skills_only(tmp_path) if rubric == "skills only" else SERNA
    text, findings = _run(name, parameters, tmp_path, monkeypatch)
    assert not re.search(r"\bnan\b", findings, flags=re.IGNORECASE)  # no finding states an undefined number
    if rubric == "an added list":
        assert "differs from the published data set" in text and "14 expert lists" in text
    elif rubric is not None:
        assert (load_rubric(None).name if rubric == "skills only" else "Serna (Cargill)") in text
    if name in ("02-weight-sensitivity", "03-skills-vs-traits") and rubric == "skills only":
        assert "top 5" in findings and not re.search(r"top 10(?!%)", findings)  # this run's shortlist, k = 5
