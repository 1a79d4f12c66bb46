"""Time the Trends/Monitoring domain functions, the figure builders and the Trends page itself.

    .venv/bin/python bench/bench_trends.py [--runs 7] [--page-only]

Prints one row per step (median and best of ``--runs`` runs, in milliseconds) and the "page rerun"
total: what the Trends page recomputes on every rerun, each figure serialised to JSON as
``st.plotly_chart`` does. Then the real thing: the generated analysis is imported into a temporary
SQLite file and the Trends page (entry point, sidebar and page, as ``streamlit run`` executes them) is
rerun through ``AppTest``. The budget (issue: Reviews, trends and monitoring) is 1 s for that rerun.
Results are recorded in bench/README.md under "Trends".
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dnh_graph import timeline  # noqa: E402
from dnh_graph.render import trends as render  # noqa: E402
from dnh_graph.synthetic import generate_analysis  # noqa: E402

BUDGET_S = 1.0


def steps(analysis):
    """(name, callable, part of the Trends page rerun?) for every function measured."""
    first, last = analysis.reviews[0].key, analysis.reviews[-1].key
    previous = timeline.reviews_in_order(analysis)[-2].key

    def figure(build, **kwargs):
        return lambda: build(analysis, **kwargs).to_json()

    return [
        ("timeline.reviews_in_order", lambda: timeline.reviews_in_order(analysis), False),
        ("timeline.strength_at (last review)", lambda: timeline.strength_at(analysis, last), False),
        ("timeline.trends", lambda: timeline.trends(analysis), True),
        ("timeline.trends_json", lambda: timeline.trends_json(analysis), False),
        ("timeline.factor_series", lambda: timeline.factor_series(analysis), False),
        ("timeline.readings_grid", lambda: timeline.readings_grid(analysis), False),
        ("timeline.actor_series", lambda: timeline.actor_series(analysis), False),
        ("timeline.prefill_readings", lambda: timeline.prefill_readings(analysis, "NEW"), False),
        ("timeline.impact_timeline", lambda: timeline.impact_timeline(analysis), False),
        ("timeline.what_changed (last two)", lambda: timeline.what_changed(analysis, previous, last), True),
        ("timeline.what_changed (first, last)", lambda: timeline.what_changed(analysis, first, last), False),
        ("timeline.stale_factors", lambda: timeline.stale_factors(analysis), True),
        ("timeline.monitoring_matrix", lambda: timeline.monitoring_matrix(analysis), False),
        ("timeline.unrated_criteria", lambda: timeline.unrated_criteria(analysis, last), False),
        ("factor_strength_figure, all 200 + JSON", figure(render.factor_strength_figure), True),
        ("factor_strength_figure, dividers P5 + JSON",
         figure(render.factor_strength_figure, kinds=["divider"], priorities=[5]), False),
        ("pressure_capacity_figure + JSON", figure(render.pressure_capacity_figure), True),
        ("impact_timeline_figure + JSON", figure(render.impact_timeline_figure), True),
        ("actor_influence_figure, top 15 + JSON", figure(render.actor_influence_figure), True),
        ("actor_influence_figure, all + JSON", figure(render.actor_influence_figure, top=None), False),
        ("monitoring_heatmap + JSON", figure(render.monitoring_heatmap), False),
    ]


def measure(fn, runs: int) -> list[float]:
    fn()  # warm-up: imports, plotly validators
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def page_rerun(analysis, runs: int) -> list[float]:
    """Seconds per rerun of the Trends page via AppTest, on ``analysis`` stored in a temporary SQLite file.

    The first run (store opened, analysis loaded into the cache) is not counted: a person changing a
    filter or a review reruns a warm page.
    """
    from dnh_graph.store import Store

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        os.environ["DNH_DATABASE_URL"] = url
        os.environ["DNH_DATA_DIR"] = folder
        Store.open(url).import_analysis(analysis)
        # the AppTest set-up of the page tests (st.navigation with a pages/ folder)
        from tests.apptest_support import app, page_path

        at = app(timeout=120)
        at.session_state["dnh_analysis"] = analysis.key
        at.switch_page(page_path("trends"))
        at.run()
        if at.exception:
            raise RuntimeError(f"the Trends page failed: {at.exception}")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(f"the Trends page failed: {at.exception}")
        return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--page-only", action="store_true", help="only the AppTest rerun of the Trends page")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    analysis = generate_analysis(actors=1000, factors=200, reviews=12, seed=0)
    made = time.perf_counter() - start
    counts = analysis.counts()
    print(f"generated analysis: {counts['factors']} factors × {counts['reviews']} reviews, "
          f"{counts['factor_readings']} factor readings, {counts['actors']} actors "
          f"({counts['actor_readings']} actor readings), {counts['impacts']} impacts, "
          f"{counts['monitoring']} ratings; generated in {made * 1000:.0f} ms")
    print(f"python {platform.python_version()}, {platform.machine()}, median of {args.runs} runs\n")
    if not args.page_only:
        builders(analysis, args.runs)
    times = page_rerun(analysis, args.runs)
    median = statistics.median(times)
    verdict = "within" if median <= BUDGET_S else "OVER"
    print(f"\nTrends PAGE rerun via AppTest (entry point + sidebar + page): median {median * 1000:.0f} ms, "
          f"best {min(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms — {verdict} the {BUDGET_S:.0f} s budget")
    return 0 if median <= BUDGET_S else 1


def builders(analysis, runs: int) -> None:
    """The timeline functions and figure builders one by one, and the page's share of them together."""
    measured = steps(analysis)
    width = max(len(name) for name, _, _ in measured) + 2
    print(f"{'step':<{width}}{'median ms':>10}{'best ms':>10}  page")
    page = []
    for name, fn, on_page in measured:
        times = measure(fn, runs)
        print(f"{name:<{width}}{statistics.median(times) * 1000:>10.1f}{min(times) * 1000:>10.1f}  "
              f"{'yes' if on_page else ''}")
        if on_page:
            page.append(fn)

    def rerun():
        for fn in page:
            fn()

    total = statistics.median(measure(rerun, runs))
    print(f"\nThe page's figures and tables alone (the 'yes' rows together): median {total * 1000:.0f} ms")


if __name__ == "__main__":
    raise SystemExit(main())
