"""Shared fixtures: a fresh store on SQLite (always) and on PostgreSQL (when DNH_TEST_POSTGRES_URL is set).

PostgreSQL tests each get a schema of their own (``search_path``), so parallel workers and reruns never
see each other's rows. With ``DNH_TEST_POSTGRES_URL`` set, an unreachable server is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings as hypothesis_settings

from dnh_graph.store import Store, make_engine, upgrade

REPO = Path(__file__).resolve().parent.parent

# No timing in unit tests (performance lives in bench/): a loaded CI machine must not fail an example
# for being slow.
hypothesis_settings.register_profile("dnh", deadline=None)
hypothesis_settings.load_profile("dnh")
PG_URL = os.environ.get("DNH_TEST_POSTGRES_URL", "")


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path, monkeypatch):
    """No test may touch the user's real database or settings."""
    monkeypatch.setenv("DNH_DATA_DIR", str(tmp_path / "data-dir"))
    for name in ("DNH_DATABASE_URL", "DNH_USER", "DNH_MAX_UPLOAD_MB", "DNH_MAX_UNPACKED_MB", "DNH_MAX_ROWS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def store() -> Store:
    """A migrated in-memory SQLite store."""
    return Store.open("sqlite://", who="tester")


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need DNH_TEST_POSTGRES_URL (CI sets it)")
    schema = f"dnh_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.engine.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request) -> Store:
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield Store.open("sqlite://", who="tester")
        return
    url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    upgrade(engine)
    yield Store(engine, who="tester")
    engine.dispose()
