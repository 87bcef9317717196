"""HTML pages from executed notebooks: code hidden by default, nothing replaced without asking."""

from __future__ import annotations

import nbformat
import pytest

from smmrubric.cli import main
from smmrubric.errors import SmmrubricError
from smmrubric.report import find_notebooks, render_report


def _notebook(path, executed=True):
    cell = nbformat.v4.new_code_cell("secret_code = 6 * 7\nsecret_code")
    if executed:
        cell.execution_count = 1
        cell.outputs = [
            nbformat.v4.new_output("execute_result", {"text/plain": "42"}, execution_count=1),
            nbformat.v4.new_output("display_data", {"text/html": "<div id='x'>widget</div>"}),
        ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 · The answer\n\nProse."), cell])
    nbformat.write(nb, path)
    return path


@pytest.fixture
def results(tmp_path):
    """A folder as `smmrubric reproduce --out` writes it."""
    (tmp_path / "results" / "notebooks").mkdir(parents=True)
    for name in ("01-answer.ipynb", "02-again.ipynb"):
        _notebook(tmp_path / "results" / "notebooks" / name)
    return tmp_path / "results"


def test_pages_hide_the_code_and_link_from_an_index(results, tmp_path):
    notebooks = find_notebooks([results])
    assert [p.name for p in notebooks] == ["01-answer.ipynb", "02-again.ipynb"]
    pages = render_report(notebooks, tmp_path / "site")
    assert [p.name for p in pages] == ["01-answer.html", "02-again.html", "index.html"]
    page = pages[0].read_text(encoding="utf-8")
    assert "42" in page and "widget" in page and "secret_code" not in page
    assert "<title>01 · The answer</title>" in page
    index = pages[-1].read_text(encoding="utf-8")
    assert 'href="01-answer.html"' in index and "01 · The answer" in index
    shown = render_report(notebooks[:1], tmp_path / "with-code", show_code=True)[0].read_text(encoding="utf-8")
    assert "secret_code" in shown
    again = render_report(notebooks[:1], tmp_path / "again")[0]
    assert again.read_bytes() == pages[0].read_bytes()  # no random ids: same notebook, same page


def test_nothing_is_replaced_without_force(results, tmp_path, capsys):
    site = tmp_path / "site"
    assert main(["report", str(results), "--out", str(site)]) == 0
    before = (site / "01-answer.html").read_bytes()
    _notebook(results / "notebooks" / "01-answer.ipynb").write_text(
        (results / "notebooks" / "01-answer.ipynb").read_text().replace("42", "43")
    )
    assert main(["report", str(results), "--out", str(site)]) == 1
    err = capsys.readouterr().err
    assert "would replace 01-answer.html, 02-again.html, index.html" in err and "--force" in err
    assert (site / "01-answer.html").read_bytes() == before
    assert main(["report", str(results), "--out", str(site), "--force"]) == 0
    assert (site / "01-answer.html").read_bytes() != before


def test_bad_sources_are_refused_before_any_page(tmp_path):
    _notebook(tmp_path / "01-done.ipynb")
    _notebook(tmp_path / "02-not-run.ipynb", executed=False)
    with pytest.raises(SmmrubricError, match="has not been executed") as info:
        render_report(find_notebooks([tmp_path]), tmp_path / "site")
    assert info.value.file.endswith("02-not-run.ipynb")
    assert not list((tmp_path / "site").glob("*.html"))
    with pytest.raises(SmmrubricError, match="no such notebook or folder"):
        find_notebooks([tmp_path / "missing.ipynb"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(SmmrubricError, match="holds no notebooks"):
        find_notebooks([tmp_path / "empty"])
    (tmp_path / "file").write_text("x")
    with pytest.raises(SmmrubricError, match="is a file"):
        render_report([tmp_path / "01-done.ipynb"], tmp_path / "file")
