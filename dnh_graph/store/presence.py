"""Presence: who else has an analysis open, and whether it changed since a session last drew it.

A browser session writes a heartbeat row (its random id, the analysis, the person's name, when) every
:data:`HEARTBEAT_S` seconds; a row older than :data:`TTL_S` is someone who left (a closed tab sends
nothing), ignored by every read and deleted by the next heartbeat. The rows live in the database, not
in a process, so on a team server with several Streamlit processes every session sees every other.

Polling is cheap: :func:`look` is one indexed query returning the analysis' revision and the other
sessions present; :func:`heartbeat` is one short writing transaction (an upsert and a delete of expired
rows), a few times a minute per session; :func:`last_change` reads one audit row, only when the
revision moved. Presence is not a change to the analysis: it bumps no revision and is not audited.

Examples
--------
>>> import datetime as dt
>>> from dnh_graph.model import AnalysisInfo
>>> from dnh_graph.store import Store
>>> store = Store.open("sqlite://")
>>> _ = store.create_analysis(AnalysisInfo("w", "W"))
>>> t0 = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
>>> heartbeat(store, "w", "s1", "Sokha", now=t0); heartbeat(store, "w", "s2", "Dara", now=t0)
>>> look(store, "w", "s1", now=t0).others
('Dara',)
>>> look(store, "w", "s1", now=t0 + dt.timedelta(seconds=TTL_S + 1)).others
()
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from dnh_graph.store import NotFoundError, Store, _now
from dnh_graph.store.schema import analysis as analysis_table
from dnh_graph.store.schema import audit_log, presence
from dnh_graph.store.schema import workspace as workspace_table

__all__ = ["HEARTBEAT_S", "TTL_S", "Look", "Change", "heartbeat", "look", "last_change", "leave"]

HEARTBEAT_S = 15  # seconds between two heartbeats of one session
TTL_S = 45  # a session not heard from for this long has left (three heartbeats missed)


@dataclass(frozen=True)
class Look:
    revision: int | None  # None: the analysis is gone (deleted, or renamed away)
    others: tuple[str, ...]  # the person of each other live session, sorted; a name twice = two sessions


@dataclass(frozen=True)
class Change:
    who: str
    at: dt.datetime  # UTC


def _utc(moment: dt.datetime | None) -> dt.datetime:
    moment = moment or _now()
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _analysis_id(conn: sa.Connection, store: Store, key: str) -> int:
    found = conn.execute(
        sa.select(analysis_table.c.id)
        .join(workspace_table, workspace_table.c.id == analysis_table.c.workspace_id)
        .where(workspace_table.c.key == store.workspace, analysis_table.c.key == key)
    ).scalar()
    if found is None:
        raise NotFoundError("notfound.analysis", key=key)
    return found


def _upsert(dialect: str):
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(presence)


def heartbeat(store: Store, analysis_key: str, session: str, person: str, now: dt.datetime | None = None) -> None:
    """``session`` (of ``person``) has ``analysis_key`` open at ``now``: one transaction that writes its
    row (a session is in one analysis at a time) and deletes every expired row.

    Raises NotFoundError when the analysis is gone, BusyError when the database stays busy (the caller
    may skip a beat: the next one comes soon).
    """
    now = _utc(now)
    with store._writing() as conn:
        aid = _analysis_id(conn, store, analysis_key)
        insert = _upsert(conn.dialect.name).values(session=session, analysis_id=aid, person=person, seen_at=now)
        conn.execute(insert.on_conflict_do_update(
            index_elements=[presence.c.session],
            set_={"analysis_id": aid, "person": person, "seen_at": now}))
        conn.execute(presence.delete().where(presence.c.seen_at < now - dt.timedelta(seconds=TTL_S)))


def leave(store: Store, session: str) -> None:
    """The session has no analysis open any more (it may still come back with a heartbeat)."""
    with store._writing() as conn:
        conn.execute(presence.delete().where(presence.c.session == session))


def look(store: Store, analysis_key: str, session: str, now: dt.datetime | None = None) -> Look:
    """The analysis' revision and the people of the other sessions live on it, in one query."""
    cutoff = _utc(now) - dt.timedelta(seconds=TTL_S)
    live = sa.and_(presence.c.analysis_id == analysis_table.c.id, presence.c.seen_at >= cutoff,
                   presence.c.session != session)
    query = (
        sa.select(analysis_table.c.revision, presence.c.person)
        .select_from(analysis_table
                     .join(workspace_table, workspace_table.c.id == analysis_table.c.workspace_id)
                     .outerjoin(presence, live))
        .where(workspace_table.c.key == store.workspace, analysis_table.c.key == analysis_key)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        return Look(None, ())
    return Look(rows[0].revision, tuple(sorted(r.person for r in rows if r.person is not None)))


def last_change(store: Store, analysis_key: str) -> Change | None:
    """Who made the analysis' newest change and when (from the audit log), or None."""
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(audit_log.c.who, audit_log.c.at)
            .where(audit_log.c.workspace == store.workspace, audit_log.c.analysis == analysis_key)
            .order_by(audit_log.c.id.desc()).limit(1)
        ).first()
    return None if row is None else Change(row.who, _utc(row.at))
