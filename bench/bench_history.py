"""The History screen on a long history (issue 13): rerun time at 15,000 audit entries. A benchmark, not a
timed test.

A training room's analysis (120 actors, 6 of them sensitive, 300 relationships, 200 impacts) gets a
history of ``--entries`` audit entries: its import, then saves by ten people of ten rows each (actors'
descriptions, factors' priorities, relationships' notes), the entries' times spread over 30 days. The
History screen (AppTest, the whole app) is opened once (not timed), then rerun ``--runs`` times: as
opened (sensitive names hidden, the default), with names shown, filtered by one person, by one table
and one day, and after "older" (the second page).

    .venv/bin/python bench/bench_history.py                 # SQLite file
    DNH_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_history.py

Results: bench/README.md, "Team server".
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from dnh_graph.store.schema import audit_log  # noqa: E402
from dnh_graph.synthetic import generate_analysis  # noqa: E402
from tests.apptest_support import app, page_path  # noqa: E402

KEY = "room"
PEOPLE = 10


def fill(url: str, entries: int) -> int:
    """The analysis and a history of about ``entries`` entries; the number written."""
    engine = make_engine(url)
    upgrade(engine)
    store = Store(engine, who="importer")
    store.import_analysis(generate_analysis(actors=120, relationships=300, factors=40, details=30, impacts=200,
                                            options=10, reviews=4, sensitive_share=0.05, key=KEY), key=KEY)
    turn = 0
    with engine.connect() as conn:
        written = conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar()
    while written < entries:
        person = Store(engine, who=f"P{turn % PEOPLE}")
        a = person.load(KEY)
        sheet, field = (("actors", "description"), ("factors", "priority"), ("relationships", "note"))[turn % 3]
        rows = a.rows(sheet)
        chosen = [rows[(turn * 10 + n) % len(rows)] for n in range(10)]
        new = [replace(r, **{field: 1 + r.priority % 5 if field == "priority" else f"turn {turn}"}) for r in chosen]
        person.save_rows(KEY, sheet, new)
        written += len(chosen)
        turn += 1
    with engine.begin() as conn:  # spread over 30 days, in order
        ids = conn.execute(sa.select(audit_log.c.id).order_by(audit_log.c.id)).scalars().all()
        start = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)
        step = dt.timedelta(days=30) / len(ids)
        conn.execute(audit_log.update().where(audit_log.c.id == sa.bindparam("b_id")).values(at=sa.bindparam("b_at")),
                     [{"b_id": i, "b_at": start + n * step} for n, i in enumerate(ids)])
    engine.dispose()
    return len(ids)


def reruns(at, runs: int) -> tuple[float, float]:
    took = []
    for _ in range(runs):
        began = time.perf_counter()
        at.run()
        took.append(time.perf_counter() - began)
        assert not at.exception, [e.message for e in at.exception]
    return statistics.median(took), max(took)


def screen(url: str, runs: int) -> list[tuple[str, float, float]]:
    os.environ["DNH_DATABASE_URL"] = url
    at = app(timeout=600)
    at.session_state["dnh_analysis"] = KEY
    at.switch_page(page_path("history"))
    began = time.perf_counter()
    at.run()
    first = time.perf_counter() - began
    assert not at.exception, [e.message for e in at.exception]
    out = [("first open (not a rerun)", first, first), ("rerun, names hidden", *reruns(at, runs))]
    at.toggle(key="dnh_hide_names").set_value(False).run()
    out.append(("rerun, names shown", *reruns(at, runs)))
    at.toggle(key="dnh_hide_names").set_value(True).run()
    at.multiselect(key="hist_people").set_value(["P3"]).run()
    out.append(("rerun, one person", *reruns(at, runs)))
    at.multiselect(key="hist_people").set_value([]).run()
    at.multiselect(key="hist_tables").set_value(["actors"]).run()
    at.date_input(key="hist_days").set_value((dt.date(2026, 11, 10), dt.date(2026, 11, 10))).run()
    out.append(("rerun, one table, one day", *reruns(at, runs)))
    at.multiselect(key="hist_tables").set_value([]).run()
    at.date_input(key="hist_days").set_value(()).run()
    older = [b for b in at.button if b.key == "hist_older"]
    if older:
        older[0].click().run()
        out.append(("rerun, second page (older)", *reruns(at, runs)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=15_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    pg = os.environ.get("DNH_TEST_POSTGRES_URL") or os.environ.get("DNH_BENCH_POSTGRES_URL")
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("SQLite", f"sqlite:///{tmp}/history.sqlite", None)]
        if pg:
            schema = f"dnh_bench_history_{uuid.uuid4().hex[:8]}"
            url = sa.engine.make_url(pg).update_query_dict({"options": f"-csearch_path={schema}"})
            targets.append(("PostgreSQL", url.render_as_string(hide_password=False), schema))
        for label, url, schema in targets:
            admin = make_engine(pg) if schema else None
            if admin:
                with admin.begin() as conn:
                    conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            try:
                began = time.perf_counter()
                n = fill(url, args.entries)
                print(f"{label}: {n} audit entries (written in {time.perf_counter() - began:.0f} s), "
                      f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
                for name, median, worst in screen(url, args.runs):
                    print(f"  {name}: median {median * 1000:.0f} ms, max {worst * 1000:.0f} ms")
            finally:
                if admin:
                    with admin.begin() as conn:
                        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                    admin.dispose()
    if not pg:
        print("PostgreSQL skipped: set DNH_TEST_POSTGRES_URL=postgresql://...")


if __name__ == "__main__":
    main()
