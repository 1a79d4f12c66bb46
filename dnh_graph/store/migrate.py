"""Schema migrations with Alembic, run programmatically (no alembic.ini to keep next to the app)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from dnh_graph.store.engine import WRITE

__all__ = ["alembic_config", "upgrade", "current_revision", "head_revision"]

MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_LOCK = 0x646E68  # "dnh": any fixed number, the same in every process


def alembic_config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> str:
    """Bring the database to ``revision``; returns the revision it is at afterwards.

    Two processes opening a fresh database at once (two ``dnh import`` runs) must not both create
    the tables: on SQLite the migration is a writing transaction (``BEGIN IMMEDIATE``, the second
    waits), on PostgreSQL it holds a transaction-scoped advisory lock. A database already at head is
    only read, so opening it never waits for a long import.
    """
    if revision == "head" and current_revision(engine) == head_revision():
        return head_revision()  # the usual case: a plain read, no write lock (an import may hold it)
    with engine.execution_options(**WRITE).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK})
        command.upgrade(alembic_config(conn), revision)
    return current_revision(engine)
