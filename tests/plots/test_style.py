import hashlib

import matplotlib.pyplot as plt
import pytest

from smmrubric.errors import SmmrubricError
from smmrubric.plots import save_figure, show_figure, use_style


def _figure():
    use_style()
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [1, 3, 2], label="line")
    ax.set_title("title")
    ax.legend()
    return fig


def test_saved_bytes_are_identical_across_saves(tmp_path):
    digests = []
    for folder in ("a", "b"):
        files = save_figure(_figure(), "00-test-figure", formats=("png", "svg", "pdf"), directory=tmp_path / folder)
        digests.append([hashlib.sha256(f.read_bytes()).hexdigest() for f in files])
        plt.close("all")
    assert digests[0] == digests[1]
    assert [f.name for f in files] == ["00-test-figure.png", "00-test-figure.svg", "00-test-figure.pdf"]


def test_no_dates_or_versions_in_the_files(tmp_path):
    svg, pdf = save_figure(_figure(), "00-x", formats=("svg", "pdf"), directory=tmp_path)
    assert b"<dc:date>" not in svg.read_bytes()
    assert b"CreationDate" not in pdf.read_bytes()


def test_default_directory_is_figures_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SMMRUBRIC_FIGURES", str(tmp_path / "figs"))
    (path,) = save_figure(_figure(), "01-default-place")
    assert path == tmp_path / "figs" / "01-default-place.png"


@pytest.mark.parametrize("name", ["figure", "1-x", "01_x", "01-X", "01-x-", "../01-x"])
def test_bad_names_are_refused(name, tmp_path):
    with pytest.raises(SmmrubricError, match="field 'name'"):
        save_figure(_figure(), name, directory=tmp_path)


def test_bad_inputs(tmp_path):
    with pytest.raises(SmmrubricError, match="matplotlib Figure"):
        save_figure("not a figure", "01-x", directory=tmp_path)
    with pytest.raises(SmmrubricError, match="formats"):
        save_figure(_figure(), "01-x", formats=("jpg",), directory=tmp_path)


def test_show_figure_shows_the_saved_file_at_screen_size(tmp_path):
    from PIL import Image

    fig = _figure()
    shown = show_figure(fig, "00-shown", formats=("svg",), directory=tmp_path)
    assert [p.name for p in shown.paths] == ["00-shown.png", "00-shown.svg"]  # PNG always, first
    png, meta = shown._repr_png_()
    assert png == (tmp_path / "00-shown.png").read_bytes()  # the very file, not a second rendering
    with Image.open(tmp_path / "00-shown.png") as image:
        width, height = image.size  # an independent reader of the PNG's size
    # savefig.dpi 150 and figure.dpi 100 in the style: shown at two thirds of its pixels
    assert (meta["width"], meta["height"]) == (round(width * 100 / 150), round(height * 100 / 150))
    assert repr(shown) == "<figure 00-shown: 00-shown.png, 00-shown.svg>"  # no folder: the same on any machine
    with pytest.raises(SmmrubricError, match="field 'name'"):
        show_figure(fig, "shown", directory=tmp_path)
