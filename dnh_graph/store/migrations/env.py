"""Alembic environment: runs on the connection handed over by :func:`dnh_graph.store.upgrade`."""

from alembic import context

from dnh_graph.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - we always hand a connection over
    raise RuntimeError("Run migrations through `dnh db upgrade` (dnh_graph.store.upgrade).")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things in place
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
