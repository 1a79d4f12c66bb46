"""A training room on one team server (issue 13): 30 people at once on one PostgreSQL database, each
moving between screens and saving rows. Reports the p95 rerun time, lost updates (must be 0) and
errors (must be 0), and the machine's load meanwhile. A benchmark, not a timed test.

Each person is an AppTest session of the whole app (``app/entry.py``, the sidebar's presence fragment
included) in a process of its own, as in bench_grids.py (AppTest's runtime is one per process); all of
them share the database, its locks and the presence rows, not the Streamlit caches. Every person
writes under a name of their own (``DNH_USER=P7``). On a training-room analysis (120 actors, 300
relationships, 40 factors, 30 details, 200 impacts), person ``p`` owns the actors whose position is
``p`` modulo the number of people. For ``--seconds``, each person in turn opens another screen
(Overview, Dividers & connectors, Intervention, Impacts), comes back to Context & actors, and saves
one of their own actors' description: every save must say "Saved: 0 added, 1 changed, 0 deleted.",
and at the end every actor must hold the last value its person saved (anything else is a lost
update). Errors: an exception in a run, a save saying anything else, a process that died. At the end
everyone reruns once more and reads the sidebar's "Also here: …": each must see the other 29.

    DNH_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_team.py

The run gets a schema of its own in that database (dropped afterwards). Results go in bench/README.md
under "Team server".
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402

from dnh_graph.store import Store, make_engine, upgrade  # noqa: E402
from dnh_graph.synthetic import generate_analysis  # noqa: E402
from tests.apptest_support import app, page_path  # noqa: E402  (the navigation shim of the AppTests)

KEY = "room"
SCREENS = ("overview", "factors", "intervention", "impacts")
SAVED = "Saved: 0 added, 1 changed, 0 deleted."


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def problems(at) -> list[str]:
    found = ["exception: " + e.message for e in at.exception]
    return found + ["error: " + str(e.value) for e in at.error]


def person(n: int, people: int, actors: int, seconds: float, results, ready, go, url: str) -> None:
    os.environ["DNH_DATABASE_URL"] = url
    os.environ["DNH_USER"] = f"P{n}"
    record = {"reruns": [], "saves": [], "saved": {}, "errors": [], "here": None}
    try:
        at = app(timeout=600)
        at.session_state["dnh_analysis"] = KEY
        at.switch_page(page_path("context_actors")).run()  # cold: imports, caches; not measured
        record["errors"] += problems(at)
        mine = list(range(n, actors, people))
        ready.wait(timeout=1800)
        go.wait(timeout=1800)
        deadline = time.monotonic() + seconds
        turn = 0
        while time.monotonic() < deadline:
            for screen in (SCREENS[turn % len(SCREENS)], "context_actors"):
                began = time.perf_counter()
                at.switch_page(page_path(screen)).run()
                record["reruns"].append(time.perf_counter() - began)
                record["errors"] += problems(at)
            row = mine[turn % len(mine)]
            value = f"P{n} turn {turn}"
            at.session_state["actors__editor"] = {"edited_rows": {row: {"description": value}},
                                                  "added_rows": [], "deleted_rows": []}
            began = time.perf_counter()
            at.button(key="actors__save").click().run()
            record["saves"].append(time.perf_counter() - began)
            said = [s.value for s in at.success] + [w.value for w in at.warning] + problems(at)
            if said == [SAVED]:
                record["saved"][row] = value
            else:
                record["errors"].append("save: " + " | ".join(map(str, said)))
                at = app(timeout=600)  # start over as a person would (reload)
                at.session_state["dnh_analysis"] = KEY
                at.switch_page(page_path("context_actors")).run()
            turn += 1
        go.wait(timeout=1800)  # everyone has stopped: one last look at who is here
        at.run()
        here = [str(c.value) for c in at.sidebar.caption if str(c.value).startswith("Also here: ")]
        record["here"] = len(here[0].removeprefix("Also here: ").split(", ")) if here else 0
    except Exception as error:  # noqa: BLE001 - any failure of a person is an error to count, not a crash
        record["errors"].append(f"{type(error).__name__}: {error}"[:300])
        go.abort()  # nobody waits for a person who is gone
    results[n] = record


def load_sampler(samples: list, stop: threading.Event) -> None:
    while not stop.wait(5):
        samples.append(os.getloadavg()[0])


def room(people: int, seconds: float, base_url: str) -> None:
    schema = f"dnh_bench_team_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.engine.make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    url = url.render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        upgrade(engine)
        store = Store(engine, who="bench")
        analysis = generate_analysis(actors=120, relationships=300, factors=40, details=30, impacts=200,
                                     options=10, reviews=4, sensitive_share=0, key=KEY)
        store.import_analysis(analysis, key=KEY, name="Training room")
        actors = len(store.load(KEY).actors)
        run(store, people, actors, seconds, url)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(store: Store, people: int, actors: int, seconds: float, url: str) -> None:
    manager = multiprocessing.Manager()
    results = manager.dict()
    ready, go = manager.Barrier(people + 1), manager.Barrier(people)
    processes = [multiprocessing.Process(target=person, args=(n, people, actors, seconds, results, ready, go, url))
                 for n in range(people)]
    load_before = os.getloadavg()
    began = time.perf_counter()
    for process in processes:
        process.start()
    ready.wait(timeout=1800)  # every person has the screen open
    opened = time.perf_counter() - began
    samples: list[float] = []
    stop = threading.Event()
    sampler = threading.Thread(target=load_sampler, args=(samples, stop), daemon=True)
    sampler.start()
    for process in processes:
        process.join()
    stop.set()
    results = dict(results)
    died = [n for n, p in enumerate(processes) if p.exitcode != 0 or n not in results]
    final = store.load(KEY).actors
    lost = sum(1 for r in results.values() for row, value in r["saved"].items() if final[row].description != value)
    errors = [e for r in results.values() for e in r["errors"]] + [f"person {n} died" for n in died]
    reruns = [t for r in results.values() for t in r["reruns"]]
    saves = [t for r in results.values() for t in r["saves"]]
    here = [r["here"] for r in results.values()]
    print(f"{people} people, {actors} actors, {seconds:.0f} s of work ({opened:.0f} s to open every screen), "
          f"{os.cpu_count()} cores")
    print(f"screen reruns: {len(reruns)}, median {statistics.median(reruns) * 1000:.0f} ms, "
          f"p95 {percentile(reruns, 0.95) * 1000:.0f} ms, max {max(reruns) * 1000:.0f} ms")
    print(f"saves (Save pressed -> screen redrawn): {len(saves)}, median {statistics.median(saves) * 1000:.0f} ms, "
          f"p95 {percentile(saves, 0.95) * 1000:.0f} ms")
    print(f"rows saved by their person: {sum(len(r['saved']) for r in results.values())}, lost updates: {lost}, "
          f"errors: {len(errors)}")
    print(f"'Also here' at the end: each person saw {min(here, default=0)}–{max(here, default=0)} others "
          f"(expected {people - 1})")
    print(f"load average (1 min): before {load_before[0]:.1f}, during median {statistics.median(samples or [0]):.1f} "
          f"max {max(samples or [0]):.1f}, after {os.getloadavg()[0]:.1f}")
    print("audit entries:", len(store.audit_entries(KEY, limit=100_000)))
    for error in sorted(set(errors))[:10]:
        print("  error:", error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    url = os.environ.get("DNH_TEST_POSTGRES_URL") or os.environ.get("DNH_BENCH_POSTGRES_URL")
    if not url:  # skipped, not failed: `make bench` runs every benchmark, and not every machine has PostgreSQL
        print("bench_team.py skipped: it needs DNH_TEST_POSTGRES_URL=postgresql://... (a database it may add a "
              "schema to)")
        return
    room(args.people, args.seconds, url)


if __name__ == "__main__":
    main()
