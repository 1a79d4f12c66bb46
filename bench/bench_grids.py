"""Ten people editing one analysis at once through the grids (issue 10): nothing lost, nothing refused
without a reason.

Each person is an AppTest session of the Context & actors screen in its own process (AppTest is not
thread-safe: its runtime is a process-wide singleton), all on one SQLite database file. So the people
share the database and its locks, not the server's caches: a stricter test of the store's version
checks, a looser one of the shared caches (those are keyed by revision and cleared by every save).
For ``--seconds``, person ``p`` edits the description of the actors whose position is ``p`` modulo
10, one row per save, and presses Save, as fast as the machine allows. Every save must end in "Saved:
0 added, 1 changed"; any other outcome is an unexplained refusal (nobody else edits that row). At
the end, every actor must hold the last value its person saved: anything else is a lost edit. The
rerun time of one cell edit (the grid is outside a form, so every committed cell reruns the screen)
on the 1,000-actor generated analysis is measured too, with ``--rerun``.

    .venv/bin/python bench/bench_grids.py --people 10 --seconds 60 --rerun

Results go in bench/README.md under "Grids".
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dnh_graph.model import Actor, Analysis, AnalysisInfo  # noqa: E402
from dnh_graph.store import Store  # noqa: E402
from dnh_graph.synthetic import generate_analysis  # noqa: E402
from tests.apptest_support import app, page_path  # noqa: E402  (the navigation shim of the AppTests)

KEY = "crowd"


def open_screen(key: str):
    at = app(timeout=120)
    at.session_state["dnh_analysis"] = key
    at.switch_page(page_path("context_actors"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def person(n: int, people: int, actors: int, seconds: float, results, start, url: str) -> None:
    os.environ["DNH_DATABASE_URL"] = url
    at = open_screen(KEY)
    mine = list(range(n, actors, people))
    saved: dict[int, str] = {}
    outcomes: list[str] = []
    times: list[float] = []
    start.wait()
    deadline = time.monotonic() + seconds
    edit = 0
    while time.monotonic() < deadline:
        row = mine[edit % len(mine)]
        value = f"person {n} edit {edit}"
        at.session_state["actors__editor"] = {"edited_rows": {row: {"description": value}}, "added_rows": [],
                                              "deleted_rows": []}
        began = time.perf_counter()
        at.button(key="actors__save").click().run()
        times.append(time.perf_counter() - began)
        said = [s.value for s in at.success] + [w.value for w in at.warning] + [e.value for e in at.error]
        if at.exception:
            said.append("exception: " + at.exception[0].message)
        if said == ["Saved: 0 added, 1 changed, 0 deleted."]:
            saved[row] = value
            outcomes.append("saved")
        else:
            outcomes.append(" | ".join(said) or "no message")
            at = open_screen(KEY)  # start over as a person would (reload)
        edit += 1
    results[n] = {"saved": saved, "outcomes": outcomes, "times": times}


def crowd(people: int, actors: int, seconds: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-grids-"))
    url = f"sqlite:///{folder / 'crowd.sqlite'}"
    os.environ["DNH_DATABASE_URL"] = url
    store = Store.open(url)
    store.import_analysis(Analysis(AnalysisInfo(KEY, "Ten people, one analysis"),
                                   actors=[Actor(f"A{i + 1}", f"Actor {i + 1}") for i in range(actors)]))
    manager = multiprocessing.Manager()
    results = manager.dict()
    start = manager.Barrier(people)
    threads = [multiprocessing.Process(target=person, args=(n, people, actors, seconds, results, start, url))
               for n in range(people)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    results = dict(results)
    final = store.load(KEY).actors
    lost = sum(1 for r in results.values() for row, value in r["saved"].items() if final[row].description != value)
    refused = [o for r in results.values() for o in r["outcomes"] if o != "saved"]
    saves = sum(len(r["outcomes"]) for r in results.values())
    times = [t for r in results.values() for t in r["times"]]
    print(f"{people} people, {actors} actors, {seconds:.0f} s (wall {elapsed:.0f} s): {saves} saves, "
          f"{sum(len(r['saved']) for r in results.values())} rows saved by their person, lost edits {lost}, "
          f"unexplained refusals {len(refused)}")
    print(f"save round trip (Save pressed -> screen redrawn): median {statistics.median(times) * 1000:.0f} ms, "
          f"p90 {sorted(times)[int(len(times) * 0.9)] * 1000:.0f} ms")
    print("audit entries:", len(store.audit_entries(KEY, limit=100_000)))
    for outcome in sorted(set(refused))[:10]:
        print("  refused:", outcome[:300])


def rerun(runs: int) -> None:
    """One committed cell edit on the 1,000-actor analysis: the screen's rerun, edit captured in the draft."""
    folder = Path(tempfile.mkdtemp(prefix="bench-grids-rerun-"))
    url = f"sqlite:///{folder / 'big.sqlite'}"
    os.environ["DNH_DATABASE_URL"] = url
    store = Store.open(url)
    big = generate_analysis()
    big.info = AnalysisInfo("big", "Generated, 1,000 actors")
    store.import_analysis(big, key="big")
    at = open_screen("big")
    times, edited = [], {}
    for n in range(runs):
        edited[n] = {"description": f"typed {n}"}  # the browser's edit state grows with every cell
        at.session_state["actors__editor"] = {"edited_rows": dict(edited), "added_rows": [], "deleted_rows": []}
        began = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - began)
    assert at.session_state["dnh_drafts"]["big|actors"]["rows"][runs - 1]["description"] == f"typed {runs - 1}"
    print(f"cell edit rerun, Context & actors, 1,000 actors + 3,000 relationships: median "
          f"{statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms ({runs} runs)")
    began = time.perf_counter()
    at.button(key="actors__save").click().run()
    print(f"save of {runs} edited rows: {(time.perf_counter() - began) * 1000:.0f} ms;",
          [s.value for s in at.success])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--actors", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rerun", action="store_true", help="also time a cell edit on the 1,000-actor analysis")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    crowd(args.people, args.actors, args.seconds)
    if args.rerun:
        rerun(args.runs)


if __name__ == "__main__":
    main()
