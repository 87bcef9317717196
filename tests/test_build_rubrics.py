"""The committed rubrics in data/rubrics/ are exactly what scripts/build_rubrics.py builds now."""

from __future__ import annotations

import importlib.util

import pytest

from smmrubric import Rubric, load_expert_lists
from smmrubric.data import competency_counts
from smmrubric.paths import data_dir, project_root
from smmrubric.rubric import roc_weights

ROOT = project_root()
pytestmark = pytest.mark.skipif(ROOT is None, reason="needs the source checkout (scripts/)")


def load_script():
    spec = importlib.util.spec_from_file_location("build_rubrics", ROOT / "scripts" / "build_rubrics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return load_script()


@pytest.fixture(scope="module")
def built(script):
    return script.build_rubrics()


def test_committed_files_equal_the_build(script, built):
    folder = data_dir() / "rubrics"
    assert sorted(p.name for p in folder.glob("*.yaml")) == sorted(built)  # no stale or missing file
    for name, rubric in built.items():
        assert (folder / name).read_text(encoding="utf-8") == script.rubric_text(rubric), (
            f"data/rubrics/{name} is out of date: run .venv/bin/python scripts/build_rubrics.py"
        )
        assert Rubric.from_yaml(folder / name) == rubric


def test_consensus_rubric_content(built):
    consensus = built["consensus.yaml"]
    lists = load_expert_lists()
    counts = competency_counts(lists)["n_lists"]
    assert consensus.raw_weights.to_dict() == {k: float(v) for k, v in counts.items()}
    assert consensus.scale.levels == [1, 2, 3, 4, 5]
    assert consensus.scale.labels == {1: "Poor", 2: "Weak", 3: "Adequate", 4: "Strong", 5: "Excellent"}
    assert len(consensus) == lists["competency_id"].nunique()


def test_one_rubric_per_list_roc_only_when_ranked(built):
    lists = load_expert_lists()
    ranked = lists.groupby("list_id")["ranked"].first()
    assert set(built) == {"consensus.yaml"} | {f"{k}.yaml" for k in ranked.index}
    for list_id, is_ranked in ranked.items():
        rubric = built[f"{list_id}.yaml"]
        n = len(rubric)
        expected = roc_weights(n) if is_ranked else [1 / n] * n
        assert rubric.weights.to_numpy() == pytest.approx(expected), list_id


def test_check_mode_detects_a_stale_file(script, tmp_path, capsys):
    assert script.main(["--out", str(tmp_path)]) == 0
    assert script.main(["--out", str(tmp_path), "--check"]) == 0
    (tmp_path / "consensus.yaml").write_text("name: edited by hand\n")
    assert script.main(["--out", str(tmp_path), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
