import pandas as pd
import pytest
from matplotlib.figure import Figure

import smmrubric
from smmrubric import plots
from smmrubric.errors import SmmrubricError


@pytest.fixture(scope="module")
def data():
    competencies = smmrubric.load_competencies()
    return smmrubric.load_expert_lists(competencies=competencies), competencies


def test_list_sizes_has_one_stacked_bar_per_list(data):
    lists, _ = data
    fig = plots.plot_list_sizes(lists)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    n_lists = lists["list_id"].nunique()
    assert len(ax.patches) == 2 * n_lists
    widths = [p.get_width() for p in ax.patches]
    assert sum(widths) == len(lists)


def test_category_shares_bars_match_the_summary(data):
    lists, _ = data
    fig = plots.plot_category_shares(lists)
    ax = fig.axes[0]
    summary = smmrubric.data.list_summary(lists)
    ours = sorted(p.get_width() for p in ax.patches[len(summary) :])
    assert ours == pytest.approx(sorted(summary["our_skill_share"]))
    assert len(ax.get_yticklabels()) == len(summary)


def test_competency_counts_shows_every_competency(data):
    lists, competencies = data
    fig = plots.plot_competency_counts(lists, competencies)
    ax = fig.axes[0]
    assert len(ax.patches) == len(competencies)
    assert max(p.get_width() for p in ax.patches) == smmrubric.data.competency_counts(lists)["n_lists"].max()


def test_plots_refuse_a_frame_that_is_not_expert_lists():
    import pandas as pd

    with pytest.raises(SmmrubricError, match="load_expert_lists"):
        plots.plot_list_sizes(pd.DataFrame({"x": [1]}))


@pytest.mark.parametrize("plot", [plots.plot_list_sizes, plots.plot_category_shares])
def test_plots_refuse_an_empty_frame(data, plot):
    lists, _ = data
    with pytest.raises(SmmrubricError, match="no rows"):
        plot(lists.iloc[:0])


@pytest.mark.parametrize("bad", [None, pd.DataFrame({"category": ["skill"]})])
def test_competency_counts_needs_the_vocabulary(data, bad):
    lists, _ = data
    with pytest.raises(SmmrubricError) as err:
        plots.plot_competency_counts(lists, bad)
    assert err.value.field == "competencies"
