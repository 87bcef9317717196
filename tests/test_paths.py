import pytest

from smmrubric import paths
from smmrubric.errors import SmmrubricError


def test_bundled_data_is_found_in_the_checkout():
    assert (paths.data_dir() / "competencies.csv").is_file()


def test_env_var_wins(tmp_path, monkeypatch):
    (tmp_path / "competencies.csv").write_text("competency_id\n")
    monkeypatch.setenv("SMMRUBRIC_DATA", str(tmp_path))
    assert paths.data_dir() == tmp_path


def test_clear_error_when_nothing_is_found(tmp_path, monkeypatch):
    monkeypatch.setenv("SMMRUBRIC_DATA", str(tmp_path / "nowhere"))
    monkeypatch.setattr(paths, "_PACKAGE", tmp_path / "site-packages" / "smmrubric")
    with pytest.raises(SmmrubricError, match="cannot find the smmrubric data set.*SMMRUBRIC_DATA"):
        paths.data_dir()


def test_missing_data_file_names_it(tmp_path, monkeypatch):
    (tmp_path / "competencies.csv").write_text("competency_id\n")
    monkeypatch.setenv("SMMRUBRIC_DATA", str(tmp_path))
    with pytest.raises(SmmrubricError, match="no file 'expert_lists.csv'"):
        paths.data_file("expert_lists.csv")


def test_figures_dir_follows_env(tmp_path, monkeypatch):
    monkeypatch.setenv("SMMRUBRIC_FIGURES", str(tmp_path))
    assert paths.figures_dir() == tmp_path


def test_figures_dir_outside_a_checkout_is_cwd(tmp_path, monkeypatch):
    monkeypatch.delenv("SMMRUBRIC_FIGURES", raising=False)
    monkeypatch.setattr(paths, "_PACKAGE", tmp_path / "site-packages" / "smmrubric")
    monkeypatch.chdir(tmp_path)
    assert paths.project_root() is None
    assert paths.figures_dir() == tmp_path / "figures"


def test_an_installed_wheel_uses_its_bundled_copy(tmp_path, monkeypatch):
    """A non-editable install has no data/ beside the package: the wheel's smmrubric/_data is used."""
    package = tmp_path / "site-packages" / "smmrubric"
    (package / "_data").mkdir(parents=True)
    (package / "_data" / "competencies.csv").write_text("competency_id\n")
    monkeypatch.delenv("SMMRUBRIC_DATA", raising=False)
    monkeypatch.setattr(paths, "_PACKAGE", package)
    assert paths.data_dir() == package / "_data"


def test_the_wheel_is_built_with_the_data():
    import tomllib

    config = tomllib.loads((paths.project_root() / "pyproject.toml").read_text())
    assert config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]["data"] == "smmrubric/_data"


# -- user paths in notebook parameters ------------------------------------------------------------


def test_a_relative_path_is_found_from_the_project_root(tmp_path, monkeypatch):
    root = paths.project_root()
    monkeypatch.chdir(root / "notebooks")  # where a JupyterLab kernel runs
    found = paths.resolve_user_path("data/examples/ratings_example.csv")
    assert found == (root / "data" / "examples" / "ratings_example.csv").resolve()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.csv").write_text("x\n")
    assert paths.resolve_user_path("mine.csv") == tmp_path / "mine.csv"  # the working folder first
    assert paths.resolve_user_path(tmp_path / "anything") == tmp_path / "anything"  # absolute: as given


def test_a_missing_or_ambiguous_relative_path_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SmmrubricError, match="no such file .looked in .* and ") as info:
        paths.resolve_user_path("nope.csv", field="ratings_file")
    assert info.value.field == "ratings_file"
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "competencies.csv").write_text("competency_id\n")  # same name as the checkout's
    with pytest.raises(SmmrubricError, match="both .* exist; give the full path"):
        paths.resolve_user_path("data/competencies.csv")
