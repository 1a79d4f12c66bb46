"""One page of an analysis' history, filtered and paged by the database (issue 13).

The History screen used to read the whole audit log on every rerun (seconds at 15,000 entries); it
now asks for one page: the entries by some people, of some tables, on some UTC days, newest first,
``size`` at a time, with the id to ask for the next older page. The filters' choices (everyone who
changed something, every table changed) are ``DISTINCT`` queries; what the page shows of sensitive
actors is :func:`dnh_graph.history.mask_sensitive`, fed with only what it needs: the entries of actor
rows that were ever sensitive, the keys every other actor row ever held (a new pseudonym must not be a
key once used) and the actors as they are now; the page reads exactly as that part of the whole history
masked at once. A person who may not see sensitive names (a viewer) gets it masked whatever they ask.

Examples
--------
>>> from dnh_graph.model import Actor, Analysis, AnalysisInfo
>>> from dnh_graph.store import Store
>>> store = Store.open("sqlite://", who="dara")
>>> actors = [Actor("A1", "Council"), Actor("sok", "Sok Dara", sensitive=True)]
>>> _ = store.import_analysis(Analysis(AnalysisInfo("h", "H"), actors=actors))
>>> found = page(store, "h", size=2, hide=True)
>>> [(c.entity_key, c.after["name"]) for c in found.changes], found.total, found.older is not None
([('A2', 'Actor A2'), ('A1', 'Council')], 3, True)
>>> [c.entity for c in page(store, "h", before=found.older).changes]
['analysis']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from dnh_graph import history
from dnh_graph.model import Analysis, AnalysisInfo
from dnh_graph.store import _records  # the store's one way of reading rows as records
from dnh_graph.store.schema import audit_log

__all__ = ["Filters", "HistoryPage", "page", "choices", "PAGE_SIZE"]

PAGE_SIZE = 100


@dataclass(frozen=True)
class Filters:
    """Which entries: by one of ``people``, of one of ``entities``, on a UTC day from ``start`` to ``end``
    (an empty choice keeps everything), as :func:`dnh_graph.history.filter_changes`."""

    people: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class HistoryPage:
    changes: list[history.Change]  # newest first, at most the page size
    older: int | None  # the ``before`` of the next, older page; None: nothing older matches
    total: int  # entries matching the filters, on every page
    moments: list[history.Change] = field(default_factory=list)  # restorable, one per save, newest first
    sizes: dict[str, int] = field(default_factory=dict)  # entries per transaction of this page


def _scope(header, workspace: str):
    """The analysis' entries: by its id (it follows renames); those older than migration 0004 by key."""
    return sa.or_(audit_log.c.analysis_id == header["id"],
                  sa.and_(audit_log.c.analysis_id.is_(None), audit_log.c.workspace == workspace,
                          audit_log.c.analysis == header["key"]))


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _filtered(scope, filters: Filters) -> list:
    where = [scope]
    if filters.people:
        where.append(audit_log.c.who.in_(sorted(filters.people)))
    if filters.entities:
        where.append(audit_log.c.entity.in_(sorted(filters.entities)))
    if filters.start is not None:
        where.append(audit_log.c.at >= _day(filters.start))
    if filters.end is not None:
        where.append(audit_log.c.at < _day(filters.end) + dt.timedelta(days=1))
    return where


def page(store, analysis_key: str, filters: Filters = Filters(), before: int | None = None,
         size: int = PAGE_SIZE, hide: bool = False) -> HistoryPage:
    """The newest ``size`` entries matching ``filters`` older than entry ``before`` (None: the newest),
    sensitive names masked when ``hide`` or when the store's person may not see them."""
    with store.engine.connect() as conn:
        header = store._analysis_row(conn, analysis_key)  # the person's right to read it, checked
        masked = hide or store._access(conn, analysis_key).masked
        scope = _scope(header, store.workspace)
        where = _filtered(scope, filters)
        newer = [*where, audit_log.c.id < before] if before is not None else where
        rows = conn.execute(sa.select(audit_log).where(*newer).order_by(audit_log.c.id.desc())
                            .limit(size + 1)).mappings().all()
        changes = [history.Change.from_entry(r) for r in rows[:size]]
        total = conn.execute(sa.select(sa.func.count()).select_from(audit_log).where(*where)).scalar()
        txns = sorted({c.txn for c in changes if c.txn})
        sizes = dict(conn.execute(sa.select(audit_log.c.txn, sa.func.count()).where(
            scope, audit_log.c.txn.in_(txns)).group_by(audit_log.c.txn)).all()) if txns else {}
        start = _restorable_from(conn, scope)
        if masked:
            changes = _masked(conn, header, scope, changes)
    moments, seen = [], set()
    for change in changes:  # newest first: the newest entry on this page of each save
        if start is not None and change.id >= start and (change.txn or change.id) not in seen:
            seen.add(change.txn or change.id)
            moments.append(change)
    return HistoryPage(changes, changes[-1].id if len(rows) > size else None, total, moments, sizes)


def choices(store, analysis_key: str) -> tuple[list[str], list[str]]:
    """Everyone who changed something in the analysis, and every entity changed: what the filters offer."""
    with store.engine.connect() as conn:
        scope = _scope(store._analysis_row(conn, analysis_key), store.workspace)
        return (sorted(conn.execute(sa.select(audit_log.c.who).where(scope).distinct()).scalars()),
                sorted(conn.execute(sa.select(audit_log.c.entity).where(scope).distinct()).scalars()))


def _restorable_from(conn: sa.Connection, scope) -> int | None:
    """:func:`dnh_graph.history.restorable_from` in SQL: the analysis' first creation after the newest
    entry too old to take back."""
    incomplete = conn.execute(sa.select(sa.func.max(audit_log.c.id)).where(
        scope, audit_log.c.entity.in_(history.DATA_ENTITIES), audit_log.c.row_id.is_(None))).scalar() or 0
    return conn.execute(sa.select(sa.func.min(audit_log.c.id)).where(
        scope, audit_log.c.entity == "analysis", audit_log.c.action == "create",
        audit_log.c.id > incomplete)).scalar()


def _masked(conn: sa.Connection, header, scope, changes: Sequence[history.Change]) -> list[history.Change]:
    """``changes`` as :func:`dnh_graph.history.mask_sensitive` masks them within the whole history."""
    actors = _records(conn, header["id"], "actors", {})
    actor_rows = [scope, audit_log.c.entity == "actors"]
    sensitive = sa.or_(audit_log.c.before["sensitive"].as_boolean().is_(True),
                       audit_log.c.after["sensitive"].as_boolean().is_(True))
    ever = set(conn.execute(sa.select(audit_log.c.row_id).where(*actor_rows, sensitive).distinct()).scalars())
    ever |= {a.id for a in actors if a.sensitive}
    if not ever:
        return list(changes)
    # every entry of a row ever sensitive (and of rows logged before row ids, by key)
    known = sa.or_(audit_log.c.row_id.in_(sorted(i for i in ever if i is not None)), audit_log.c.row_id.is_(None))
    context = {r["id"]: history.Change.from_entry(r) for r in conn.execute(
        sa.select(audit_log).where(*actor_rows, known)).mappings()}
    # every key any other actor row ever held: one stand-in entry each (a row of its own, never sensitive)
    keys = set()
    for side in (audit_log.c.before, audit_log.c.after):
        keys.update(conn.execute(sa.select(side["key"].as_string()).where(*actor_rows, sa.not_(known))
                                 .distinct()).scalars())
    stand_ins = [history.Change(-n, dt.datetime.min.replace(tzinfo=dt.UTC), "", "actors", key, "create", None,
                                {"key": key}, row_id=-n) for n, key in enumerate(sorted(k for k in keys if k), 1)]
    whole = stand_ins + sorted({**{c.id: c for c in changes}, **context}.values(), key=lambda c: c.id)
    shown = {c.id: c for c in history.mask_sensitive(whole, Analysis(AnalysisInfo(header["key"], ""), actors=actors))}
    return [shown[c.id] for c in changes]
