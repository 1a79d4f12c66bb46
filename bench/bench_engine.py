"""Engine benchmark (issue: the DNH engine): import, score, robustness and export times.

On the generated analysis of 1,000 actors, 3,000 relationships, 200 factors, 300 details, 3,000 impacts,
40 options (10 option impacts each) and 12 reviews. Targets: import <= 5 s, score <= 0.2 s,
robustness <= 2 s. Prints a Markdown table; run with `.venv/bin/python bench/bench_engine.py`.
Set DNH_BENCH_POSTGRES_URL to time the store on PostgreSQL too.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from dnh_graph import io, scoring
from dnh_graph.store import Store, make_engine
from dnh_graph.synthetic import generate_analysis


@contextmanager
def scratch_schema(url: str):
    """A throw-away PostgreSQL schema, so the benchmark leaves nothing behind in the database."""
    schema = f"dnh_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield sa.engine.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def timed(fn, runs=5):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


@contextmanager
def _nothing():
    yield None


def _store_rows(label, url, workbook, tmp):
    rows = []
    counter = iter(range(1000))

    def import_once():
        n = next(counter)
        store = Store.open(url or f"sqlite:///{tmp / f'db{n}.sqlite'}")
        store.import_analysis(io.read_workbook(workbook), key=f"big{n}")
        return store

    median, best, store = timed(import_once, 3)
    rows.append((f"import xlsx -> {label} (read, validate, one transaction)", median, best))
    rows.append((f"load from {label}", *timed(lambda: store.load("big2"), 5)[:2]))
    store.engine.dispose()
    return rows


def main() -> None:
    analysis = generate_analysis()
    print("rows:", analysis.counts())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        workbook = tmp / "big.xlsx"
        rows.append(("export xlsx (write_workbook)", *timed(lambda: io.write_workbook(analysis, workbook), 3)[:2]))
        rows.append(("export json backup", *timed(lambda: io.write_backup([analysis], tmp / "b.json"), 3)[:2]))
        rows.append(("export csv folder", *timed(lambda: io.write_csv_folder(analysis, tmp / "csv"), 3)[:2]))

        targets = [("sqlite file", None)]
        if os.environ.get("DNH_BENCH_POSTGRES_URL"):
            targets.append(("postgresql", os.environ["DNH_BENCH_POSTGRES_URL"]))
        for label, base_url in targets:
            with scratch_schema(base_url) if base_url else _nothing() as url:
                rows.extend(_store_rows(label, url, workbook, tmp))

        loaded = analysis
        rows.append(("score (details, totals, options; no robustness)",
                     *timed(lambda: scoring.score(loaded, with_robustness=False), 9)[:2]))
        rows.append(("robustness (400 option impacts, 20,000 sampled ways)",
                     *timed(lambda: scoring.robustness(loaded), 5)[:2]))
        rows.append(("dnh score --json equivalent (scores_json)", *timed(lambda: scoring.scores_json(loaded), 5)[:2]))

    print("\n| step | median s | best s |\n|---|---:|---:|")
    for name, median, best in rows:
        print(f"| {name} | {median:.3f} | {best:.3f} |")


if __name__ == "__main__":
    main()
