import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.progress import progress_enabled, progress_iter


def test_auto_follows_the_environment(monkeypatch):
    monkeypatch.setenv("SMMRUBRIC_NO_PROGRESS", "1")
    assert progress_enabled("auto") is False
    monkeypatch.delenv("SMMRUBRIC_NO_PROGRESS")
    assert progress_enabled("auto") is True
    assert progress_enabled(False) is False and progress_enabled(True) is True


@pytest.mark.parametrize("bad", ["x", 1, None])
def test_bad_values_are_refused(bad):
    with pytest.raises(SmmrubricError, match="field 'progress'"):
        progress_enabled(bad)


def test_iteration_yields_everything_with_or_without_a_bar():
    assert list(progress_iter(range(5), progress=False)) == list(range(5))
    assert list(progress_iter(range(5), total=5, progress=True)) == list(range(5))
