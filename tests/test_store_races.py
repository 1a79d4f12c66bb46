"""Two writers at once: one wins, the other gets a sentence; SQL text never reaches a person.

Real concurrency: two ``dnh import`` processes racing for one analysis key, and two threads with an
engine each saving the same new actor key through ``Store.save_rows``, on a SQLite file and on
PostgreSQL. The database's own refusal (a unique constraint, a lock held too long) is also forced
deterministically, to check that it is translated and not merely avoided.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading

import pytest
import sqlalchemy as sa

from dnh_graph import io
from dnh_graph.cli import main
from dnh_graph.model import Actor, Analysis, AnalysisInfo, FactorActor, InvalidInput
from dnh_graph.store import BUSY, BusyError, StaleEditError, Store, make_engine, upgrade
from tests.conftest import REPO
from tests.factories import rich_analysis

SQL_WORDS = ("INSERT", "SELECT", "UPDATE", "IntegrityError", "OperationalError", "[SQL", "UNIQUE constraint",
             "duplicate key value", "database is locked", "Traceback")


def _url(kind: str, tmp_path, request) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'race.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A migrated database (a SQLite file, or a PostgreSQL schema) that several engines can open."""
    url = _url(request.param, tmp_path, request)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def _no_sql(text: str) -> None:
    for word in SQL_WORDS:
        assert word not in text, f"{word!r} reached a person: {text}"


def test_two_imports_racing_for_one_key_one_wins_the_other_exits_2(db_url, tmp_path):
    """Two real `dnh import` processes, started together, both importing the key 'bay'."""
    backup = tmp_path / "bay.json"
    io.write_backup([rich_analysis()], backup)
    env = {**os.environ, "DNH_DATABASE_URL": db_url, "PYTHONPATH": str(REPO)}
    env.pop("DNH_DEBUG", None)
    command = [sys.executable, "-m", "dnh_graph", "import", str(backup)]
    for _ in range(2):  # two rounds: the interleaving differs from run to run
        store = Store(make_engine(db_url))
        if store.exists("bay"):
            store.delete_analysis("bay")
        store.engine.dispose()
        procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 2], results
        loser = next(err for code, _, err in results if code == 2)
        assert "an analysis with key 'bay' already exists" in loser
        _no_sql(loser)
        store = Store(make_engine(db_url))
        assert [s.key for s in store.list_analyses()] == ["bay"]
        assert store.load("bay") == rich_analysis()
        store.engine.dispose()


def _seed(url: str) -> None:
    store = Store.open(url)
    store.import_analysis(Analysis(AnalysisInfo("r", "Race"), actors=[Actor("A1", "Council")]))
    store.engine.dispose()


def test_two_grid_saves_of_one_new_key_one_wins_the_other_gets_a_sentence(db_url):
    """Two people add actor A5 at the same moment, each on an engine of their own (two app processes)."""
    _seed(db_url)
    barrier = threading.Barrier(2)
    outcomes: list = []

    def save(name: str) -> None:
        store = Store(make_engine(db_url), who=name)
        barrier.wait()
        try:
            store.save_rows("r", "actors", [Actor("A5", f"added by {name}")])
            outcomes.append(("saved", name))
        except Exception as error:  # noqa: BLE001 - the test looks at whatever comes out
            outcomes.append((type(error).__name__, str(error)))
        finally:
            store.engine.dispose()

    for _ in range(3):
        outcomes.clear()
        threads = [threading.Thread(target=save, args=(name,)) for name in ("sokha", "dara")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        kinds = sorted(kind for kind, _ in outcomes)
        assert kinds == ["InvalidInput", "saved"], outcomes
        message = next(text for kind, text in outcomes if kind == "InvalidInput")
        assert message.startswith("actors, row 1, key:") and "'A5'" in message
        _no_sql(message)
        store = Store(make_engine(db_url))
        a5 = [a for a in store.load("r").actors if a.key == "A5"]
        assert len(a5) == 1
        store.save_rows("r", "actors", deletes=a5)
        store.engine.dispose()


def test_a_unique_constraint_the_database_enforces_becomes_a_sentence(any_store, monkeypatch):
    """The check before the insert is bypassed, as when another writer inserts between check and insert."""
    any_store.import_analysis(Analysis(AnalysisInfo("r", "Race"), actors=[Actor("A1", "Council")],
                                       factors=[]))
    monkeypatch.setattr(Store, "_check_unique", staticmethod(lambda *args: None))
    with pytest.raises(InvalidInput) as refused:
        any_store.save_rows("r", "actors", [Actor("A2", "New"), Actor("A1", "Again")])
    assert [str(p) for p in refused.value.problems] == [
        "actors, row 2, key: key 'A1' already exists: someone else added it meanwhile; choose another key."]
    assert [a.key for a in any_store.load("r").actors] == ["A1"]  # nothing saved, A2 neither


def test_a_link_row_taken_meanwhile_is_named_too(any_store, monkeypatch):
    analysis = rich_analysis()
    any_store.import_analysis(analysis)
    link = analysis.factor_actors[0]
    monkeypatch.setattr(Store, "_check_unique", staticmethod(lambda *args: None))
    with pytest.raises(InvalidInput) as refused:
        any_store.save_rows("bay", "factor_actors", [FactorActor(link.factor, link.actor, link.role)])
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row) == ("factor_actors", 1)
    assert "already exists: someone else added it meanwhile" in problem.message


def test_an_import_whose_key_is_taken_between_check_and_insert_says_already_exists(any_store, monkeypatch):
    any_store.import_analysis(rich_analysis())
    monkeypatch.setattr(Store, "_refuse_taken", _refuse_after_the_fact(Store._refuse_taken))
    with pytest.raises(InvalidInput, match="an analysis with key 'bay' already exists"):
        any_store.import_analysis(rich_analysis())


def _refuse_after_the_fact(original):
    """_refuse_taken that lets the check inside the transaction pass (it runs again afterwards)."""
    calls = []

    def patched(self, conn, keys):
        calls.append(1)
        if len(calls) > 1:
            original(self, conn, keys)

    return patched


def test_other_conflicts_are_a_sentence_not_sql(any_store, monkeypatch):
    any_store.import_analysis(rich_analysis())

    def broken(*args, **kwargs):
        raise sa.exc.IntegrityError("INSERT INTO actor VALUES ('secret name')", {}, Exception("constraint"))

    monkeypatch.setattr(Store, "_bump", broken)
    with pytest.raises(StaleEditError) as refused:
        any_store.save_rows("bay", "actors", [Actor("Z9", "New")])
    assert "Someone else changed this analysis at the same moment" in str(refused.value)
    _no_sql(str(refused.value))


def test_a_busy_sqlite_database_is_a_sentence(tmp_path, monkeypatch):
    """A writer holding the lock longer than the busy timeout: the other one is told to try again."""
    url = f"sqlite:///{tmp_path / 'busy.sqlite'}"
    _seed(url)
    monkeypatch.setattr("dnh_graph.store.engine.BUSY_TIMEOUT_S", 0.2)
    holder = make_engine(url)
    waiting = Store(make_engine(url))
    # BEGIN IMMEDIATE: the holder takes the write lock and keeps it
    with holder.execution_options(dnh_write=True).begin(), pytest.raises(BusyError) as refused:
        waiting.save_rows("r", "actors", [Actor("A2", "New")])
    assert refused.value.msgid == BUSY and str(refused.value).startswith("The database is busy")
    assert isinstance(refused.value, StaleEditError)  # the grids already show those as a sentence
    waiting.save_rows("r", "actors", [Actor("A2", "New")])  # once the lock is gone, it works


def test_cli_database_errors_print_no_sql(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    monkeypatch.delenv("DNH_DEBUG", raising=False)
    backup = tmp_path / "bay.json"
    io.write_backup([rich_analysis()], backup)

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT INTO actor (name) VALUES (?)", ("Sokha Chan",),
                                      sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(Store, "_insert_analysis", broken)
    assert main(["import", str(backup)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dnh: the database could not carry out the command; nothing was changed.")
    _no_sql(err)
    assert "Sokha" not in err


def test_cli_unreachable_database_is_a_sentence(monkeypatch, capsys):
    monkeypatch.delenv("DNH_DEBUG", raising=False)
    code = main(["--database", "postgresql://someone:secret@127.0.0.1:1/none", "list"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("dnh: cannot open the database postgresql://someone:***@127.0.0.1:1/none")
    assert "secret" not in err and "Traceback" not in err
