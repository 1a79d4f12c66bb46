"""The SQL tables, derived from the table specs of :mod:`dnh_graph.model`.

Deriving the columns from ``model.TABLES`` keeps one description of each entity; the Alembic
migrations under ``migrations/versions`` are the frozen history of this schema and a test checks
that they produce exactly these tables.

Entity references are integer foreign keys to the referenced row's id (``relationship.source_id``),
so a key can be renamed without touching the rows that refer to it. Every row carries
``created_at``, ``updated_at`` and ``version`` (optimistic concurrency).
"""

from __future__ import annotations

import sqlalchemy as sa

from dnh_graph.model import TABLES, Column

__all__ = ["metadata", "SQL_NAME", "sql_table", "workspace", "analysis", "audit_log", "ref_column", "account",
           "membership", "app_secret", "login_event"]

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# sheet name (docs/file-formats.md) -> SQL table name (README.md#data-model entity)
SQL_NAME = {
    "analysis": "analysis",
    "actors": "actor",
    "relationships": "relationship",
    "factors": "factor",
    "factor_actors": "factor_actor",
    "details": "detail",
    "impacts": "impact",
    "options": "option",
    "option_impacts": "option_impact",
    "reviews": "review",
    "factor_readings": "factor_reading",
    "actor_readings": "actor_reading",
    "monitoring": "monitoring",
}


def _bookkeeping() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    ]


def ref_column(col: Column) -> str:
    """SQL column holding a reference: ``source`` -> ``source_id``."""
    return f"{col.name}_id"


def _sql_type(col: Column):
    return {
        "key": sa.String(100),
        "text": sa.Text(),
        "enum": sa.String(40),
        "int": sa.Integer(),
        "bool": sa.Boolean(),
        "date": sa.Date(),
        "tags": sa.JSON(),
    }[col.kind]


workspace = sa.Table(
    "workspace",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(100), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    *_bookkeeping(),
)

analysis = sa.Table(
    "analysis",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("workspace_id", sa.Integer, sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False),
    *(sa.Column(c.name, _sql_type(c), nullable=c.kind == "date") for c in TABLES["analysis"].columns),
    # bumped by every write to anything in the analysis: a cheap "has anything changed?" for caches
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
    *_bookkeeping(),
    sa.UniqueConstraint("workspace_id", "key"),
)


def _child_table(sheet: str) -> sa.Table:
    spec = TABLES[sheet]
    columns: list = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("analysis_id", sa.Integer, sa.ForeignKey("analysis.id", ondelete="CASCADE"),
                  nullable=False, index=True),
    ]
    for col in spec.columns:
        if col.kind == "ref":
            target = SQL_NAME[col.ref]
            columns.append(sa.Column(ref_column(col), sa.Integer,
                                     sa.ForeignKey(f"{target}.id", ondelete="CASCADE"),
                                     nullable=not col.required, index=True))
        else:
            columns.append(sa.Column(col.name, _sql_type(col), nullable=col.kind == "date"))
    columns.extend(_bookkeeping())
    if spec.unique:
        names = ["analysis_id"] if spec.unique == ("key",) else []
        names += [ref_column(c) if c.kind == "ref" else c.name for c in spec.columns if c.name in spec.unique]
        columns.append(sa.UniqueConstraint(*names))
    return sa.Table(SQL_NAME[sheet], metadata, *columns)


_CHILDREN = {sheet: _child_table(sheet) for sheet in TABLES if sheet != "analysis"}

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("workspace", sa.String(100), nullable=False),
    # by key, not foreign key: the log outlives what it describes (append-only)
    sa.Column("analysis", sa.String(100), nullable=False, index=True),
    sa.Column("entity", sa.String(40), nullable=False),
    sa.Column("entity_key", sa.Text, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("before", sa.JSON, nullable=True),
    sa.Column("after", sa.JSON, nullable=True),
    # migration 0004 (history, issue 13): what rebuilding a past state and undoing one change need;
    # empty in entries written before it
    sa.Column("analysis_id", sa.Integer, nullable=True, index=True),  # follows the analysis through renames
    sa.Column("row_id", sa.Integer, nullable=True),  # the changed row, across renames of its key
    sa.Column("version", sa.Integer, nullable=True),  # the row's version after the change
    sa.Column("txn", sa.String(32), nullable=True),  # one value per transaction
    sa.Column("undo_of", sa.Integer, nullable=True),  # the entry this one undid
)


def sql_table(sheet: str) -> sa.Table:
    """The SQL table of a sheet name (``actors`` -> table ``actor``)."""
    return analysis if sheet == "analysis" else _CHILDREN[sheet]


# ------------------------------------------------------------------ workshops (migration 0002)
# Not part of an analysis' data (no sheet, no export): where a facilitator's room stands, the notes it
# typed in, and a coach's comments. Each hangs on its analysis and goes with it when it is deleted.

workshop_session = sa.Table(
    "workshop_session",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("analysis_id", sa.Integer, sa.ForeignKey("analysis.id", ondelete="CASCADE"), nullable=False,
              unique=True),
    sa.Column("step", sa.Integer, nullable=False),  # 1..7
    # when the facilitator's countdown ends (UTC); empty = no timer running
    sa.Column("timer_end", sa.DateTime(timezone=True), nullable=True),
    sa.Column("timer_minutes", sa.Integer, nullable=False),
    *_bookkeeping(),
)

workshop_note = sa.Table(
    "workshop_note",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("analysis_id", sa.Integer, sa.ForeignKey("analysis.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),  # actor, divider, connector, detail, unsorted
    sa.Column("step", sa.Integer, nullable=False),  # the step the room was at when it was said
    sa.Column("parked", sa.Boolean, nullable=False),  # in the parking lot: to come back to later
    # the key of the row it became once sorted; empty = still a note
    sa.Column("sorted_to", sa.String(100), nullable=False),
    *_bookkeeping(),
)

comment = sa.Table(
    "comment",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("analysis_id", sa.Integer, sa.ForeignKey("analysis.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("sheet", sa.String(40), nullable=False),  # actors, factors, details, impacts, options
    # by row id, so renaming a key keeps the comment on its row (a deleted row's comments are not shown)
    sa.Column("row_id", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("resolved", sa.Boolean, nullable=False),
    sa.Column("resolved_by", sa.Text, nullable=False),
    *_bookkeeping(),
)


# ------------------------------------------------------------------ presence (migration 0005)
# Who has an analysis open right now: one row per browser session, rewritten by its heartbeat and
# ignored once older than ``dnh_graph.store.presence.TTL_S``. In the database, not in memory, so every
# Streamlit process of a team server sees every session. Not part of an analysis' data, not audited.

presence = sa.Table(
    "presence",
    metadata,
    sa.Column("session", sa.String(64), primary_key=True),  # a random id per browser session
    sa.Column("analysis_id", sa.Integer, sa.ForeignKey("analysis.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("person", sa.Text, nullable=False),  # the name the audit log would write for this session
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
)


# ------------------------------------------------------------------ accounts (migration 0003)
# Issue 13. Not part of any analysis: who may log in, the role each holds where, the key that signs
# login cookies, and the log of logins. With no row in ``account`` the app is the one-person laptop app.

account = sa.Table(
    "account",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("email", sa.Text, nullable=False),  # for an identity provider's login (st.login); may be empty
    sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, salted; never the password
    sa.Column("admin", sa.Boolean, nullable=False),
    # bumped by a password change: the login cookies issued before stop working
    sa.Column("epoch", sa.Integer, nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False),  # wrong passwords in a row
    sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=True),  # no login before this (slow-down)
    *_bookkeeping(),
)

membership = sa.Table(
    "membership",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("workspace", sa.String(100), nullable=False),
    sa.Column("analysis", sa.String(100), nullable=False),  # an analysis key; empty = the whole workspace
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("reveal", sa.Boolean, nullable=False),  # sensitive names granted to a viewer or editor
    *_bookkeeping(),
    sa.UniqueConstraint("account_id", "workspace", "analysis"),
)

app_secret = sa.Table(
    "app_secret",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

login_event = sa.Table(
    "login_event",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("name", sa.Text, nullable=False),  # as typed: an unknown name is logged too
    sa.Column("outcome", sa.String(20), nullable=False),  # ok, wrong, unknown, throttled, logout
    sa.Column("source", sa.Text, nullable=False),  # how (password, header, oidc) and from where
)
