"""One seam for persistence: ``make_engine(url)`` for SQLite (memory or file) and PostgreSQL alike.

SQLite gets what a careful user of it needs: foreign keys enforced (off by default in SQLite),
WAL so a reader does not block the writer, a busy timeout, and a database file created readable by
the owner only (its -wal/-shm/-journal files take the same mode from SQLite).

Writers queue instead of colliding. Python's sqlite3 module starts a transaction only at the first
INSERT/UPDATE, so a save's reads (is this key taken?) ran outside it and two saves racing for one key
both passed the check: the second then failed inside SQLite with a raw IntegrityError. Here every
transaction is opened by an explicit ``BEGIN``, and a connection with the execution option
``dnh_write=True`` (:data:`WRITE`, what the store's writes use) opens ``BEGIN IMMEDIATE``: it takes
the write lock first, waiting up to :data:`BUSY_TIMEOUT_S` seconds for another writer to finish,
and only then reads, so it sees everything committed before it.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from dnh_graph import settings

__all__ = ["make_engine", "sqlite_path", "WRITE", "BUSY_TIMEOUT_S"]

# Execution options of a writing transaction (``engine.execution_options(**WRITE).begin()``).
WRITE = {"dnh_write": True}
# How long a SQLite writer waits for another one before "the database is busy": an import of a
# 15,000-actor analysis holds the lock for a few seconds; a grid save for milliseconds.
BUSY_TIMEOUT_S = 60


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None (memory, or not SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _prepare_sqlite_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def make_engine(url: str | None = None) -> sa.Engine:
    """An engine for ``url`` (default: ``DNH_DATABASE_URL`` or the SQLite file in the data directory).

    ``sqlite://`` is an in-memory database shared by every connection of the engine (tests).
    ``postgresql://`` URLs use psycopg 3.
    """
    url = url or settings.default_database_url()
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is None:
            engine = sa.create_engine("sqlite://", poolclass=StaticPool,
                                      connect_args={"check_same_thread": False})
        else:
            _prepare_sqlite_file(path)
            engine = sa.create_engine(parsed, connect_args={"check_same_thread": False,
                                                            "timeout": BUSY_TIMEOUT_S})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # no implicit BEGIN: _sqlite_begin emits it
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if path is not None:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("dnh_write") else "BEGIN")

        return engine
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return sa.create_engine(parsed, pool_pre_ping=True)
