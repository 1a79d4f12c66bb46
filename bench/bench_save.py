"""How long one grid save holds the analysis locked (issue 13): ``Store.save_rows`` of one changed actor,
now (the saved table and the keys it refers to) against the save that loaded the whole analysis inside
the lock (kept as the oracle of tests/test_store_save_part.py). Also a deletion, which reads the rows it
takes with it. A benchmark, not a timed test.

    .venv/bin/python bench/bench_save.py                  # SQLite
    DNH_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_save.py

On PostgreSQL the run gets a schema of its own (dropped afterwards). Results: bench/README.md, "Team server".
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402

from dnh_graph.store import Store, make_engine, upgrade  # noqa: E402
from dnh_graph.synthetic import generate_analysis  # noqa: E402
from tests.test_store_save_part import WholeAnalysisStore  # noqa: E402  (the save as it was)

SIZES = {
    "training room (120 actors, 300 relationships, 200 impacts)": dict(
        actors=120, relationships=300, factors=40, details=30, impacts=200, options=10, reviews=4),
    "big synthetic (1,000 actors, 3,000 relationships, 3,000 impacts)": {},
}
RUNS = 15


def timed(store: Store, key: str, runs: int) -> tuple[float, float]:
    """Median and best seconds of ``runs`` saves of one actor's description."""
    took = []
    for n in range(runs):
        actor = store.load(key).actors[n % 50]
        began = time.perf_counter()
        store.save_rows(key, "actors", [replace(actor, description=f"turn {n}")])
        took.append(time.perf_counter() - began)
    return statistics.median(took), min(took)


def timed_delete(store: Store, key: str) -> float:
    """Seconds to delete one actor and the rows referring to it (median of 5)."""
    took = []
    for n in range(5):
        actor = store.load(key).actors[n]
        began = time.perf_counter()
        store.save_rows(key, "actors", deletes=[actor])
        took.append(time.perf_counter() - began)
    return statistics.median(took)


def bench(engine: sa.Engine, label: str) -> None:
    upgrade(engine)
    print(f"{label}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for n, (name, size) in enumerate(SIZES.items()):
        analysis = generate_analysis(**size, sensitive_share=0)
        row = []
        for kind, store in (("now", Store(engine, who="bench")), ("whole", WholeAnalysisStore(engine, who="bench"))):
            key = f"s{n}{kind}"
            store.import_analysis(analysis, key=key)
            median, best = timed(store, key, RUNS)
            row.append(f"{kind}: save {median * 1000:.0f} ms (best {best * 1000:.0f}), "
                       f"delete {timed_delete(store, key) * 1000:.0f} ms")
        print(f"  {name}: " + "; ".join(row))


def main() -> None:
    url = os.environ.get("DNH_TEST_POSTGRES_URL") or os.environ.get("DNH_BENCH_POSTGRES_URL")
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        bench(engine, "SQLite (file)")
        engine.dispose()
    if not url:
        print("PostgreSQL skipped: set DNH_TEST_POSTGRES_URL=postgresql://...")
        return
    schema = f"dnh_bench_save_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        engine = make_engine(sa.engine.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
                             .render_as_string(hide_password=False))
        bench(engine, "PostgreSQL")
        engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
