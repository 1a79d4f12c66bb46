"""Server-side rerun time of each workshop screen on the 1,000-actor generated analysis (issue 3).

For each screen, the entry point plus the screen is run once with AppTest (loaders warm, as on a
server), then rerun ``--runs`` times, as when a person clicks a widget; the median and best rerun are
recorded. The same screen on an empty analysis, in the same run on the same machine, is the baseline
("empty page"): the target is a rerun at most 3 × the empty page's. A bare one-line Streamlit script
is timed too, for scale.

    .venv/bin/python bench/bench_pages.py --runs 7

Results go in bench/README.md under "Pages".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from streamlit.testing.v1 import AppTest  # noqa: E402

from dnh_graph.model import AnalysisInfo  # noqa: E402
from dnh_graph.store import Store  # noqa: E402
from dnh_graph.synthetic import generate_analysis  # noqa: E402
from tests.apptest_support import app, page_path  # noqa: E402

PAGES = ("overview", "context_actors", "factors", "intervention", "impacts")
TARGET = 3.0


def rerun_times(at: AppTest, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, [e.message for e in at.exception]
    return times


def time_page(page: str, key: str, runs: int) -> list[float]:
    at = app(timeout=600)
    at.session_state["dnh_analysis"] = key
    at.switch_page(page_path(page))
    at.run()  # first run: loads and caches the analysis, as the first visit does
    assert not at.exception, [e.message for e in at.exception]
    return rerun_times(at, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dnh-bench-pages-"))
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    os.environ["DNH_DATABASE_URL"] = url
    store = Store.open(url)
    big = generate_analysis()
    store.import_analysis(big, key="big")
    store.create_analysis(AnalysisInfo("empty", "Empty"))
    counts = ", ".join(f"{n:,} {t}" for t, n in big.counts().items() if n)
    print(f"generated analysis: {counts}")

    bare = AppTest.from_string("import streamlit as st\nst.write('hello')")
    bare.run()
    bare_times = rerun_times(bare, args.runs)
    print("\n| screen | empty analysis: median ms | 1,000-actor analysis: median ms (best) | ratio "
          f"| target ≤ {TARGET:g}× |")
    print("|---|---:|---:|---:|:---:|")
    print(f"| bare one-line script (scale) | {statistics.median(bare_times) * 1000:.0f} | | | |")
    worst = 0.0
    for page in PAGES:
        empty = statistics.median(time_page(page, "empty", args.runs))
        times = time_page(page, "big", args.runs)
        big_median = statistics.median(times)
        ratio = big_median / empty
        worst = max(worst, ratio)
        mark = "✔" if ratio <= TARGET else "✘"
        print(f"| {page} | {empty * 1000:.0f} | {big_median * 1000:.0f} ({min(times) * 1000:.0f}) "
              f"| {ratio:.1f}× | {mark} |")
    print(f"\nworst ratio {worst:.1f}× (target ≤ {TARGET:g}×)")


if __name__ == "__main__":
    main()
