"""Options benchmark (issue 4): the compare view and robustness for 40 options × 10 impacts each.

On ``generate_analysis()`` (1,000 actors, 200 factors, 300 details, 3,000 impacts, 40 options with 10
option impacts each, 12 reviews) it times the functions of ``dnh_graph/options.py`` and the figures of
``dnh_graph/render/options.py`` (serialised with ``to_json()``, as ``st.plotly_chart`` does), then the
Options page itself with AppTest on a SQLite file: the first run of each tab (cold robustness cache) and
reruns (target: a rerun ≤ 1 s). Prints Markdown tables for bench/README.md ("Options").

    .venv/bin/python bench/bench_options.py [--runs 7]
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dnh_graph import options, scoring  # noqa: E402
from dnh_graph.render import options as pictures  # noqa: E402
from dnh_graph.synthetic import generate_analysis  # noqa: E402

TABS = {"generate": "Generate", "compare": "Compare", "test": "Test and redesign", "whatif": "What if"}


def timed(fn, runs: int):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def domain(analysis, runs: int) -> list[tuple[str, float, float]]:
    busiest = max({o.detail for o in analysis.options if o.detail},
                  key=lambda d: sum(o.detail == d for o in analysis.options))
    frame = options.comparison(analysis)
    steps = [
        ("options.comparison (all 40)", lambda: options.comparison(analysis)),
        (f"options.comparison (detail {busiest})", lambda: options.comparison(analysis, busiest)),
        ("scoring.robustness (400 option impacts, 20,000 sampled ways)", lambda: scoring.robustness(analysis)),
        (f"options.ranking_robustness (detail {busiest})", lambda: options.ranking_robustness(analysis, busiest)),
        ("net_delta_figure + JSON", lambda: pictures.net_delta_figure(frame).to_json()),
        ("tradeoff_figure + JSON", lambda: pictures.tradeoff_figure(frame).to_json()),
        ("options.harmful_details", lambda: options.harmful_details(analysis)),
        ("options.predicted_vs_observed (each of 40 options)",
         lambda: [options.predicted_vs_observed(analysis, o.key) for o in analysis.options]),
        ("options.what_if", lambda: options.what_if(analysis)),
    ]
    return [(name, *timed(fn, runs)) for name, fn in steps]


def page(analysis, runs: int) -> list[tuple[str, float, float, float]]:
    """(tab, first run, median rerun, best rerun) in seconds, each tab in a fresh AppTest session."""
    from dnh_graph.store import Store
    from tests.apptest_support import app, page_path

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        os.environ["DNH_DATABASE_URL"] = url
        Store.open(url).import_analysis(analysis)
        for tab, label in TABS.items():
            at = app(timeout=120)
            at.session_state["dnh_analysis"] = analysis.key
            at.session_state["opt_tab"] = label
            at.switch_page(page_path("options"))
            start = time.perf_counter()
            at.run()
            first = time.perf_counter() - start
            assert not at.exception, at.exception
            reruns = []
            for _ in range(runs):
                start = time.perf_counter()
                at.run()
                reruns.append(time.perf_counter() - start)
                assert not at.exception, at.exception
            rows.append((tab, first, statistics.median(reruns), min(reruns)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    analysis = generate_analysis()
    print(f"Python {platform.python_version()}, {platform.machine()}; {len(analysis.options)} options, "
          f"{len(analysis.option_impacts)} option impacts, {len(analysis.details)} details, "
          f"{len(analysis.impacts)} impacts\n")
    print("| step | median ms | best ms |\n|---|---:|---:|")
    for name, median, best in domain(analysis, args.runs):
        print(f"| {name} | {median * 1000:.1f} | {best * 1000:.1f} |")
    print("\n| Options page tab (AppTest) | first run s | rerun median s | rerun best s | rerun ≤ 1 s |")
    print("|---|---:|---:|---:|:---:|")
    for tab, first, median, best in page(analysis, args.runs):
        print(f"| {TABS[tab]} | {first:.2f} | {median:.2f} | {best:.2f} | {'✔' if median <= 1 else '✘'} |")


if __name__ == "__main__":
    main()
