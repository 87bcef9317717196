"""Speed of the rubric playground: one slider change, against the 0.2 s budget of issue 14.

Run: ``.venv/bin/python benchmarks/playground.py``. On the notebooks' setting (the consensus rubric, 30
competencies, a simulated pool of 200 candidates, k = 10, robustness from 2,000 weight draws) it times

* one slider change as the panel handles it (``RubricPlayground.set_weights``: scores, ranks, the
  comparison, the agreement line, the robustness column, the table and the chart's PNG), with and
  without the chart and the robustness column;
* its parts: scoring (``smmrubric.score``), the agreement (``ranking_agreement`` with RBO^b), the
  robustness column (``shortlist_chance``: SMAA-2 over 2,000 local weight draws), a chart frame
  (``WeightChart.png``: bars over a cached background) and, for comparison, the chart drawn whole
  (``plot_rubric_weights`` and ``savefig``), which is what the panel did before;
* a change of the weighting compared with, and of the preset started from (every slider moves).

Each time is the median of ``--repeat`` runs after one warm-up (wall clock, ``time.perf_counter``); the
ratio column divides by the 0.2 s budget. The widgets run without a browser: the time to send their new
values to a page is not included (a few kB of JSON and one PNG of about 60 kB per change).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("SMMRUBRIC_NO_PROGRESS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

BUDGET_S = 0.2


def median_time(fn: Callable[[int], object], repeat: int) -> float:
    """Median wall-clock seconds of ``fn(i)`` over ``repeat`` calls, after one warm-up call."""
    fn(-1)
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per row (median shown)")
    args = parser.parse_args(argv)

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from smmrubric import score
    from smmrubric.inputs import candidate_pool, load_rubric
    from smmrubric.plots.playground import WeightChart, plot_rubric_weights
    from smmrubric.sensitivity import ranking_agreement, shortlist_chance
    from smmrubric.widgets import EQUAL, RubricPlayground

    rubric = load_rubric()
    pool = candidate_pool(rubric, seed=20261121)
    ids = rubric.competency_ids
    full = RubricPlayground(rubric, pool)
    bare = RubricPlayground(rubric, pool, chart=False, robustness=False)

    def move(panel: RubricPlayground) -> Callable[[int], object]:
        # alternate one weight between two values, as a user dragging one slider back and forth would
        return lambda i: panel.set_weights({ids[0]: 12.0 + (i % 2)})

    current = full.rubric
    totals = -full.table["rank"].astype(float)
    chart = WeightChart()
    chart.png(current, full.compare_rubric.weights)

    def redraw(_: int) -> bytes:
        fig = plot_rubric_weights(current, full.compare_rubric, reference_label="consensus")
        FigureCanvasAgg(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=96)
        return buffer.getvalue()

    rows = [
        ("slider change, whole panel (set_weights)", median_time(move(full), args.repeat)),
        ("slider change without chart and robustness", median_time(move(bare), args.repeat)),
        ("  part: score + rank (smmrubric.score)", median_time(lambda i: score(current, pool.scores), args.repeat)),
        (
            "  part: agreement (ranking_agreement, RBO^b)",
            median_time(lambda i: ranking_agreement(totals, totals, k=10, ties="b"), args.repeat),
        ),
        (
            "  part: robustness (shortlist_chance, 2,000 draws)",
            median_time(
                lambda i: shortlist_chance(pool.scores, current.weights, 10, n_draws=2000, seed=1), args.repeat
            ),
        ),
        (
            "  part: chart frame (WeightChart.png, bars only)",
            median_time(lambda i: chart.png(current, full.compare_rubric.weights), args.repeat),
        ),
        ("  before: chart drawn whole (plot + savefig)", median_time(redraw, max(3, args.repeat // 3))),
        (
            "compare-with change (select_compare)",
            median_time(lambda i: full.select_compare(EQUAL if i % 2 else rubric.name), args.repeat),
        ),
        (
            "start-from change, every slider moves (select_start)",
            median_time(lambda i: full.select_start(EQUAL if i % 2 else rubric.name), args.repeat),
        ),
    ]
    print(
        f"rubric playground: {len(ids)} competencies, {len(pool.scores)} candidates, k = 10, robustness "
        f"{full.n_draws:,} draws; median of {args.repeat} runs, wall clock; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"{'':56}{'ms':>9}{'/ 0.2 s':>10}")
    for label, seconds in rows:
        print(f"{label:56}{seconds * 1000:9.1f}{seconds / BUDGET_S:10.2f}")
    frame, whole = rows[5][1], rows[6][1]
    print(
        f"chart: a frame takes {frame / whole:.2f}x the time of drawing the chart whole ({whole / frame:.1f}x faster)"
    )
    verdict = "met" if rows[0][1] <= BUDGET_S else "NOT met"
    print(f"budget (slider change <= 0.2 s in the kernel): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
