"""Storage: analyses in SQLite or PostgreSQL, every write one transaction, every change audited.

The :class:`Store` is the only thing that talks SQL. It speaks in records of :mod:`dnh_graph.model`
(references by key) and turns keys into row ids inside the transaction, so a key can be renamed
without breaking anything that refers to it.

Rules it keeps:

* all or nothing: an import or a grid save either lands whole in one transaction or changes nothing
  and raises :class:`~dnh_graph.model.InvalidInput` with every problem;
* stale edits are refused, never merged: an update or delete names the ``version`` it was read at,
  and a row changed since raises :class:`StaleEditError`;
* every change goes to the append-only ``audit_log`` (who, when, entity, key, before, after);
* no SQL text ever reaches a person: writers queue (SQLite ``BEGIN IMMEDIATE``, see
  :mod:`dnh_graph.store.engine`); a row someone else added at the same moment (a unique constraint
  the database enforces) becomes :class:`~dnh_graph.model.InvalidInput` naming the table, the row and
  the key; a database too busy to answer becomes :class:`BusyError`, any other conflict
  :class:`StaleEditError`, each a sentence;
* text holding a NUL character is refused (PostgreSQL cannot store it; SQLite could, so the two
  databases would disagree), whether it comes through an import or a grid;
* the person's role is checked on every read and write (issue 13, :mod:`dnh_graph.roles`): a store
  made :meth:`Store.as_person` reads only what that person may read, refuses their writes beyond
  their role with :class:`~dnh_graph.roles.AccessError` (a sentence; nothing changes) and hands a
  reader who may neither see sensitive names nor write (a viewer) the pseudonymised analysis. A
  store opened without a person is the operator's (the CLI, the one-person laptop app without
  accounts): every right, as before.

Examples
--------
>>> from dnh_graph.model import Analysis, AnalysisInfo, Actor
>>> store = Store.open("sqlite://")
>>> _ = store.import_analysis(Analysis(AnalysisInfo("demo", "Demo"), actors=[Actor("A1", "Council")]))
>>> [s.key for s in store.list_analyses()], store.load("demo").actors[0].name
(['demo'], 'Council')
"""

from __future__ import annotations

import datetime as dt
import getpass
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from dnh_graph import history, keys, option_status, privacy, settings
from dnh_graph.model import (
    TABLES,
    Actor,
    Analysis,
    AnalysisInfo,
    InvalidInput,
    Problem,
    Said,
    Unique,
    dependents,
    nul_problem,
    record_to_row,
)
from dnh_graph.roles import FULL, Access, AccessError, Grant, refusal
from dnh_graph.store.engine import WRITE, make_engine, sqlite_path
from dnh_graph.store.migrate import current_revision, head_revision, upgrade
from dnh_graph.store.schema import account, audit_log, membership, ref_column, sql_table
from dnh_graph.store.schema import analysis as analysis_table
from dnh_graph.store.schema import workspace as workspace_table

__all__ = [
    "Store",
    "StaleEditError",
    "BusyError",
    "NotFoundError",
    "AccessError",
    "AnalysisSummary",
    "make_engine",
    "upgrade",
    "current_revision",
    "head_revision",
    "sqlite_path",
]

CHILD_SHEETS = tuple(name for name in TABLES if name != "analysis")


class StaleEditError(Said, RuntimeError):
    """Someone else changed (or deleted) the row since it was read; nothing was saved."""


class BusyError(StaleEditError):
    """The database stayed busy with another writer too long; nothing was saved, trying again will do."""


BUSY, CONFLICT = "stale.busy", "stale.conflict"  # message ids
# SQLSTATEs of PostgreSQL meaning "another transaction was in the way": serialization failure,
# deadlock, lock not available.
_BUSY_STATES = {"40001", "40P01", "55P03"}


def _busy(error: sa.exc.DBAPIError) -> bool:
    if getattr(error.orig, "sqlstate", None) in _BUSY_STATES:
        return True
    text = str(error.orig).lower()
    return "database is locked" in text or "database table is locked" in text or "database is busy" in text


class NotFoundError(Said, LookupError):
    """The analysis (or row) does not exist."""


@dataclass(frozen=True)
class AnalysisSummary:
    key: str
    name: str
    location: str
    counts: dict[str, int]
    revision: int
    version: int
    updated_at: dt.datetime | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in row.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def entity_key(sheet: str, record: Any) -> str:
    """How the audit log names a row: its key, or its references for a link row (``A1>A2 conflict``)."""
    spec = TABLES[sheet]
    if spec.keyed:
        return record.key
    refs = [str(getattr(record, c.name)) for c in spec.columns if c.kind == "ref"]
    extra = [str(getattr(record, c)) for c in spec.unique if c not in {c.name for c in spec.columns if c.kind == "ref"}]
    if sheet == "relationships":
        extra = [record.type]
    return ">".join(refs) + (" " + " ".join(extra) if extra else "")


def cascade_rows(analysis: Analysis, sheet: str, row_ids: Iterable[int]) -> list[tuple[str, Any]]:
    """The rows that deleting rows ``row_ids`` of ``sheet`` takes with it (ON DELETE CASCADE, transitively),
    referrers of referrers first: an order in which they could be deleted one by one."""
    doomed: dict[str, set[str]] = {}
    found: list[tuple[str, Any]] = []
    ids = set(row_ids)
    if TABLES[sheet].keyed:
        doomed[sheet] = {r.key for r in analysis.rows(sheet) if r.id in ids}
    for other in CHILD_SHEETS:  # dependency order: a table only refers to earlier ones
        refs = [c for c in TABLES[other].columns if c.kind == "ref" and c.ref in doomed]
        if not refs or other == sheet:
            continue
        hit = [r for r in analysis.rows(other) if any(getattr(r, c.name) in doomed[c.ref] for c in refs)]
        found.extend((other, r) for r in hit)
        if hit and TABLES[other].keyed:
            doomed[other] = {r.key for r in hit}
    return found[::-1]


def _records(conn: sa.Connection, aid: int, sheet: str, keys_by_id: dict[str, dict[int, str]],
             where: Any = None) -> list:
    """The records of one table of analysis ``aid`` (those matching ``where``), by row id; a reference is
    turned into its key through ``keys_by_id`` (row id -> key of each table referred to)."""
    spec, table = TABLES[sheet], sql_table(sheet)
    query = sa.select(table).where(table.c.analysis_id == aid)
    if where is not None:
        query = query.where(where)
    records = []
    for row in conn.execute(query.order_by(table.c.id)).mappings():
        values = {}
        for col in spec.columns:
            if col.kind == "ref":
                ref_id = row[ref_column(col)]
                values[col.name] = keys_by_id[col.ref][ref_id] if ref_id is not None else ""
            elif col.kind == "tags":
                values[col.name] = tuple(row[col.name] or ())
            else:
                values[col.name] = row[col.name]
        records.append(spec.record(**values, id=row["id"], version=row["version"]))
    return records


class _Part:
    """What one save of one table reads of its analysis, inside the writing transaction: that table's
    rows, the keys of the tables it refers to, and, for a deletion, the rows it takes with it; never
    the whole analysis (the analysis stays locked while a save runs, so every read here is a turn
    everyone else waits for)."""

    def __init__(self, conn: sa.Connection, aid: int):
        self.conn, self.aid = conn, aid
        self._keys: dict[str, dict[int, str]] = {}

    def keys(self, sheet: str) -> dict[int, str]:
        """Row id -> key of a keyed table (as first read in this save: a deleted id stays, unused)."""
        if sheet not in self._keys:
            table = sql_table(sheet)
            self._keys[sheet] = dict(self.conn.execute(
                sa.select(table.c.id, table.c.key).where(table.c.analysis_id == self.aid)).all())
        return self._keys[sheet]

    def records(self, sheet: str, where: Any = None) -> list:
        refs = {c.ref for c in TABLES[sheet].columns if c.kind == "ref"}
        return _records(self.conn, self.aid, sheet, {ref: self.keys(ref) for ref in refs}, where)

    def key_ids(self, sheet: str) -> dict[str, dict[str, int]]:
        """Key -> row id of every table ``sheet`` refers to: how a saved reference is checked and stored."""
        return {c.ref: {key: i for i, key in self.keys(c.ref).items()}
                for c in TABLES[sheet].columns if c.kind == "ref"}

    def cascade(self, sheet: str, row_ids: Iterable[int]) -> list[tuple[str, Any]]:
        """:func:`cascade_rows` read from the database as it is now: only the rows that refer to the
        doomed ones, table by table, in the same order."""
        doomed: dict[str, set[int]] = {sheet: set(row_ids)} if TABLES[sheet].keyed else {}
        found: list[tuple[str, Any]] = []
        for other in CHILD_SHEETS:  # dependency order: a table only refers to earlier ones
            refs = [c for c in TABLES[other].columns if c.kind == "ref" and c.ref in doomed]
            if not refs or other == sheet:
                continue
            table = sql_table(other)
            hit = self.records(other, sa.or_(*(table.c[ref_column(c)].in_(sorted(doomed[c.ref])) for c in refs)))
            found.extend((other, r) for r in hit)
            if hit and TABLES[other].keyed:
                doomed[other] = {r.id for r in hit}
        return found[::-1]


def _label(sheet: str) -> str:
    return TABLES[sheet].singular


class Store:
    """The analyses of one workspace in one database, as one person sees them (``person`` None: the
    operator, with every right)."""

    def __init__(self, engine: sa.Engine, workspace: str = "default", who: str | None = None,
                 person: str | None = None):
        self.engine = engine
        self.workspace = workspace
        self.person = person
        self.who = person or who or settings.get("DNH_USER") or _os_user()
        self._writer = engine.execution_options(**WRITE)

    def as_person(self, person: str | None) -> Store:
        """This store as an account holder uses it: their roles checked, their name in the audit log."""
        return Store(self.engine, self.workspace, who=self.who, person=person) if person else self

    # ------------------------------------------------------------------------------------ access
    def _access(self, conn: sa.Connection, analysis_key: str | None) -> Access:
        if self.person is None:
            return FULL
        rows = conn.execute(
            sa.select(account.c.admin, membership.c.role, membership.c.analysis, membership.c.reveal)
            .select_from(account.outerjoin(membership, sa.and_(membership.c.account_id == account.c.id,
                                                               membership.c.workspace == self.workspace)))
            .where(account.c.name == self.person)).all()
        if not rows:  # the account was removed: nothing at all
            return Access(None, False)
        grants = [Grant(r.role, r.analysis, bool(r.reveal)) for r in rows if r.role is not None]
        return Access.of(bool(rows[0].admin), grants, analysis_key)

    def access(self, analysis_key: str | None = None) -> Access:
        """What this store's person may do in ``analysis_key`` (None: in the workspace as a whole)."""
        if self.person is None:  # the operator: no query (the laptop app asks on every run)
            return FULL
        with self.engine.connect() as conn:
            return self._access(conn, analysis_key)

    def _allow(self, conn: sa.Connection, analysis_key: str | None, right: str) -> Access:
        found = self._access(conn, analysis_key)
        if not found.may(right):
            raise refusal(self.person or self.who, found, right, analysis_key)
        return found

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        """One writing transaction; a database busy beyond the timeout becomes :class:`BusyError`.

        Other database refusals (:class:`sqlalchemy.exc.IntegrityError`) are left to the caller,
        which knows what it was writing and so can name the row.
        """
        try:
            with self._writer.begin() as conn:
                yield conn
        except (sa.exc.OperationalError, sa.exc.InternalError) as error:
            if _busy(error):
                raise BusyError(BUSY) from error
            raise

    @classmethod
    def open(cls, url: str | None = None, **kwargs) -> Store:
        """An engine for ``url`` with migrations applied: the app's and the CLI's way in."""
        engine = make_engine(url)
        upgrade(engine)
        return cls(engine, **kwargs)

    # ------------------------------------------------------------------------------------ reading
    def _workspace_id(self, conn: sa.Connection, create: bool = False) -> int | None:
        found = conn.execute(sa.select(workspace_table.c.id).where(workspace_table.c.key == self.workspace)).scalar()
        if found is None and create:
            now = _now()
            found = conn.execute(workspace_table.insert().values(
                key=self.workspace, name=self.workspace, created_at=now, updated_at=now)).inserted_primary_key[0]
        return found

    def _analysis_row(self, conn: sa.Connection, key: str, lock: bool = False, right: str | None = None):
        """The analysis' header row, after checking the person's ``right`` (default: ``edit`` when
        locking it for a write, ``read`` otherwise): every method, in this module or beside it, that
        reads or writes an analysis passes here."""
        if right != "":  # "": whether a key is taken, which anyone creating an analysis may learn
            self._allow(conn, key, right or ("edit" if lock else "read"))
        query = (
            sa.select(analysis_table)
            .join(workspace_table, workspace_table.c.id == analysis_table.c.workspace_id)
            .where(workspace_table.c.key == self.workspace, analysis_table.c.key == key)
        )
        if lock and conn.dialect.name == "postgresql":
            query = query.with_for_update(of=analysis_table)
        row = conn.execute(query).mappings().first()
        if row is None:
            raise NotFoundError("notfound.analysis", key=key)
        return row

    def exists(self, key: str) -> bool:
        with self.engine.connect() as conn:
            try:
                self._analysis_row(conn, key, right="")
            except NotFoundError:
                return False
            return True

    def list_analyses(self, hide_names: bool = False) -> list[AnalysisSummary]:
        """Every analysis of the workspace with its row counts, by key. Its name and location mask the
        sensitive actors' names (as :func:`dnh_graph.privacy.pseudonymise` does) with ``hide_names`` and
        for a person who may not see them: the list of analyses is on every screen."""
        with self.engine.connect() as conn:
            ws = self._workspace_id(conn)
            if ws is None:
                return []
            rows = conn.execute(
                sa.select(analysis_table).where(analysis_table.c.workspace_id == ws).order_by(analysis_table.c.key)
            ).mappings().all()
            if self.person is not None:
                rows = [r for r in rows if self._access(conn, r["key"]).may("read")]
            hidden = [r for r in rows
                      if hide_names or (self.person is not None and self._access(conn, r["key"]).masked)]
            redact = _summary_redactors(conn, hidden)
            counts: dict[int, dict[str, int]] = defaultdict(dict)
            for sheet in CHILD_SHEETS:
                table = sql_table(sheet)
                for aid, n in conn.execute(
                    sa.select(table.c.analysis_id, sa.func.count()).group_by(table.c.analysis_id)
                ):
                    counts[aid][sheet] = n
        return [
            AnalysisSummary(r["key"], redact.get(r["id"], str)(r["name"]), redact.get(r["id"], str)(r["location"]),
                            {s: counts[r["id"]].get(s, 0) for s in CHILD_SHEETS},
                            r["revision"], r["version"], r["updated_at"])
            for r in rows
        ]

    def revision(self, key: str) -> int:
        """A number that changes whenever anything in the analysis changes (for cache keys)."""
        with self.engine.connect() as conn:
            return self._analysis_row(conn, key)["revision"]

    def load(self, key: str) -> Analysis:
        """The whole analysis, every record carrying its row ``id`` and ``version``."""
        with self.engine.connect() as conn:
            loaded = self._load(conn, self._analysis_row(conn, key))
            return privacy.pseudonymise(loaded) if self._access(conn, key).masked else loaded

    def _load(self, conn: sa.Connection, header) -> Analysis:
        aid = header["id"]
        info = AnalysisInfo(**{c.name: header[c.name] for c in TABLES["analysis"].columns},
                            id=aid, version=header["version"])
        keys_by_id: dict[str, dict[int, str]] = {}
        tables: dict[str, list] = {}
        for sheet in CHILD_SHEETS:
            tables[sheet] = _records(conn, aid, sheet, keys_by_id)
            if TABLES[sheet].keyed:
                keys_by_id[sheet] = {r.id: r.key for r in tables[sheet]}
        return Analysis(info=info, **tables)

    def dependents(self, analysis_key: str, sheet: str, key: str) -> dict[str, int]:
        """What a deletion would take with it (:func:`dnh_graph.model.dependents` on the stored analysis)."""
        return dependents(self.load(analysis_key), sheet, key)

    def audit_entries(self, analysis_key: str, limit: int = 500) -> list[dict[str, Any]]:
        """The newest audit entries of an analysis, newest first (sensitive names pseudonymised for a
        person who may not see them)."""
        with self.engine.connect() as conn:
            masked = self._allow(conn, analysis_key, "read").masked  # the log outlives the analysis
            rows = conn.execute(
                sa.select(audit_log).where(audit_log.c.workspace == self.workspace,
                                           audit_log.c.analysis == analysis_key)
                .order_by(audit_log.c.id.desc()).limit(limit)
            ).mappings().all()
            if masked:
                try:
                    current = self._load(conn, self._analysis_row(conn, analysis_key))
                except NotFoundError:  # deleted: who pseudonymised what is no longer known, so no values
                    return [dict(r, before=None, after=None) for r in rows]
                return _redacted([dict(r) for r in rows], current)
        return [dict(r) for r in rows]

    def _changes(self, conn: sa.Connection, header) -> list[history.Change]:
        # by the analysis' id (it follows renames); entries older than migration 0004 by its key
        rows = conn.execute(
            sa.select(audit_log).where(sa.or_(
                audit_log.c.analysis_id == header["id"],
                sa.and_(audit_log.c.analysis_id.is_(None), audit_log.c.workspace == self.workspace,
                        audit_log.c.analysis == header["key"])))
            .order_by(audit_log.c.id)).mappings().all()
        return [history.Change.from_entry(r) for r in rows]

    def changes(self, analysis_key: str) -> list[history.Change]:
        """The history of an analysis (:mod:`dnh_graph.history`), oldest first; for a person who may not
        see sensitive names (a viewer not granted them), masked by the store itself
        (:func:`dnh_graph.history.mask_sensitive`), whatever the screen asks."""
        with self.engine.connect() as conn:
            header = self._analysis_row(conn, analysis_key)
            found = self._changes(conn, header)
            if self._access(conn, analysis_key).masked:
                return history.mask_sensitive(found, self._load(conn, header))
            return found

    def undo(self, analysis_key: str, change_id: int) -> None:
        """Take back one change, in one transaction, as a new change of its own (the log keeps both).

        Refused with :class:`dnh_graph.history.HistoryRefusal` when a later change depends on it (see
        :func:`dnh_graph.history.undo_plan`); what it writes passes the same checks as any edit.
        """
        from dnh_graph.store import workshop  # beside this module, which it imports

        try:
            with self._writing() as conn:
                header = self._analysis_row(conn, analysis_key, lock=True)
                plan = history.undo_plan(self._load(conn, header), self._changes(conn, header), change_id,
                                         workshop._rows(conn, header["id"]))
                if plan.info is not None:
                    self._write_info(conn, plan.info, analysis_key, undo_of=change_id)
                    return
                audit: list = []
                for sheet, upserts, deletes in plan.steps:
                    self._save(conn, header, sheet, list(upserts), list(deletes), audit)
                workshop._undo(self, conn, header, plan, audit)
                self._bump(conn, header["id"])
                self._audit(conn, analysis_key, [(*e[:5], {**(e[5] if len(e) > 5 else {}), "undo_of": change_id})
                                                 for e in audit], analysis_id=header["id"])
        except sa.exc.IntegrityError as error:
            raise StaleEditError(CONFLICT) from error

    def restore_as_of(self, analysis_key: str, at: dt.datetime, name: str, key: str | None = None) -> Analysis:
        """A new analysis holding ``analysis_key`` as it was at ``at``; the analysis itself is not touched.

        ``name`` is the copy's name (:func:`dnh_graph.history.copy_name`); its key is made from it unless
        given. The copy holds the workshop (step, notes, comments) as it was then too. One transaction;
        refused with :class:`dnh_graph.history.HistoryRefusal` before the analysis existed or beyond what
        its history can take back.
        """
        from dnh_graph.store import workshop  # beside this module, which it imports

        with self._writing() as conn:
            header = self._analysis_row(conn, analysis_key, lock=True)
            changes = self._changes(conn, header)
            upto = history.upto_at(changes, at)
            if upto is None:
                raise history.HistoryRefusal("history.refused_before_start")
            past = history.state_as_of(self._load(conn, header), changes, upto)
            rooms = history.workshop_as_of(workshop._rows(conn, header["id"]), changes, upto)
            taken = conn.execute(sa.select(analysis_table.c.key).where(
                analysis_table.c.workspace_id == header["workspace_id"])).scalars().all()
            info = replace(past.info, key=key or keys.slug(name, taken=taken), name=name)
            self._check_header(info)
            self._refuse_taken(conn, [info.key])
            copy = self._insert_analysis(conn, header["workspace_id"], replace(past, info=info))
            workshop._copy(self, conn, past, copy, rooms)
            return copy

    # ------------------------------------------------------------------------------------ writing
    def _audit(self, conn, analysis_key: str, entries: list[tuple], analysis_id: int | None = None) -> None:
        """Append ``entries`` (entity, key, action, before, after[, extras]) to the log, as one transaction.

        ``extras`` may give the changed row's ``row_id`` and its ``version`` after the change, and
        ``undo_of``: what :mod:`dnh_graph.history` needs to rebuild a past state and to undo.
        """
        if not entries:
            return
        at, txn = _now(), uuid.uuid4().hex
        if analysis_id is None:
            analysis_id = conn.execute(
                sa.select(analysis_table.c.id)
                .join(workspace_table, workspace_table.c.id == analysis_table.c.workspace_id)
                .where(workspace_table.c.key == self.workspace, analysis_table.c.key == analysis_key)).scalar()
        rows = []
        for entity, ekey, action, before, after, *extras in entries:
            extra = extras[0] if extras else {}
            rows.append({"at": at, "who": self.who, "workspace": self.workspace, "analysis": analysis_key,
                         "entity": entity, "entity_key": ekey, "action": action, "before": before, "after": after,
                         "analysis_id": analysis_id, "txn": txn, "row_id": extra.get("row_id"),
                         "version": extra.get("version"), "undo_of": extra.get("undo_of")})
        conn.execute(audit_log.insert(), rows)

    def _bump(self, conn, aid: int) -> None:
        conn.execute(analysis_table.update().where(analysis_table.c.id == aid).values(
            revision=analysis_table.c.revision + 1, updated_at=_now()))

    def create_analysis(self, info: AnalysisInfo) -> AnalysisInfo:
        """A new, empty analysis."""
        return self.import_analysis(Analysis(info=info)).info

    def import_analysis(self, analysis: Analysis, key: str | None = None, name: str | None = None) -> Analysis:
        """Store a whole analysis as a new one, in one transaction (``key``/``name`` override its own)."""
        info = replace(analysis.info, key=key or analysis.info.key, name=name or analysis.info.name)
        return self.import_analyses([replace(analysis, info=info)])[0]

    def import_analyses(self, analyses: Sequence[Analysis]) -> list[Analysis]:
        """Store several new analyses in one transaction: all of them land, or none."""
        with self.engine.connect() as conn:
            self._allow(conn, None, "edit")  # a new analysis: an editor of the whole workspace
        for analysis in analyses:
            self._check_header(analysis.info)
        keys = [a.info.key for a in analyses]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise InvalidInput([Problem.of("analysis", None, "key", "problem.key_repeated_in_file", key=k)
                                for k in repeated])
        for attempt in (1, 2):
            try:
                with self._writing() as conn:
                    ws = self._workspace_id(conn, create=True)
                    self._refuse_taken(conn, keys)
                    return [self._insert_analysis(conn, ws, analysis) for analysis in analyses]
            except sa.exc.IntegrityError as error:
                # Another import took a key (or created the workspace) between our check and our insert:
                # PostgreSQL lets both check. A taken key is said as such; anything else is tried once more.
                with self.engine.connect() as conn:
                    self._refuse_taken(conn, keys)
                if attempt == 2:
                    raise StaleEditError(CONFLICT) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def _refuse_taken(self, conn: sa.Connection, keys: Sequence[str]) -> None:
        ws = self._workspace_id(conn)
        taken = set() if ws is None else set(conn.execute(sa.select(analysis_table.c.key).where(
            analysis_table.c.workspace_id == ws, analysis_table.c.key.in_(keys))).scalars())
        if taken:
            raise InvalidInput([Problem.of("analysis", None, "key", "problem.key_taken_import", key=k)
                                for k in sorted(taken)])

    def _insert_analysis(self, conn: sa.Connection, ws: int, analysis: Analysis) -> Analysis:
        info = analysis.info
        now = _now()
        aid = conn.execute(analysis_table.insert().values(
            workspace_id=ws, created_at=now, updated_at=now, **record_to_row(info, "analysis"))
        ).inserted_primary_key[0]
        audit = [("analysis", info.key, "create", None, _jsonable(record_to_row(info, "analysis")),
                  {"row_id": aid, "version": 1})]
        ids: dict[str, dict[str, int]] = {}
        for sheet in CHILD_SHEETS:
            records = analysis.rows(sheet)
            if not records:
                continue
            spec, table = TABLES[sheet], sql_table(sheet)
            rows = []
            for n, record in enumerate(records, start=1):
                row = self._sql_values(sheet, record, ids, n)
                row.update(analysis_id=aid, created_at=now, updated_at=now, version=1)
                rows.append(row)
            conn.execute(table.insert(), rows)
            # the table was empty: its rows got ascending ids in the order they were given
            row_ids = conn.execute(sa.select(table.c.id).where(table.c.analysis_id == aid)
                                   .order_by(table.c.id)).scalars().all()
            audit.extend((sheet, entity_key(sheet, record), "create", None, _jsonable(record_to_row(record, sheet)),
                          {"row_id": row_id, "version": 1}) for record, row_id in zip(records, row_ids, strict=True))
            if spec.keyed:
                ids[sheet] = dict(conn.execute(
                    sa.select(table.c.key, table.c.id).where(table.c.analysis_id == aid)).all())
        self._audit(conn, info.key, audit, analysis_id=aid)
        return self._load(conn, self._analysis_row(conn, info.key))

    @staticmethod
    def _check_header(info: AnalysisInfo) -> None:
        problems = []
        if not info.key or info.key != info.key.strip():
            problems.append(Problem("analysis", None, "key", "problem.analysis_key_empty"))
        if not (info.name or "").strip():
            problems.append(Problem("analysis", None, "name", "problem.analysis_name_empty"))
        for column in TABLES["analysis"].columns:
            found = nul_problem("analysis", None, column.name, getattr(info, column.name))
            if found:
                problems.append(found)
        if problems:
            raise InvalidInput(problems)

    @staticmethod
    def _sql_values(sheet: str, record, ids: dict[str, dict[str, int]], n: int | None) -> dict[str, Any]:
        """A record's SQL row; a reference to a key that does not exist raises InvalidInput."""
        values: dict[str, Any] = {}
        problems = []
        for col in TABLES[sheet].columns:
            value = getattr(record, col.name)
            found = nul_problem(sheet, n, col.name, value)
            if found:
                problems.append(found)
                continue
            if col.kind == "ref":
                if not value:
                    values[ref_column(col)] = None
                    continue
                found = ids.get(col.ref, {}).get(value)
                if found is None:
                    problems.append(Problem.of(sheet, n, col.name, "problem.not_in_table", value=value, table=col.ref))
                values[ref_column(col)] = found
            elif col.kind == "tags":
                values[col.name] = list(value)
            else:
                values[col.name] = value
        if problems:
            raise InvalidInput(problems)
        return values

    def update_info(self, info: AnalysisInfo, key: str | None = None) -> AnalysisInfo:
        """Change the analysis header (name, context, ...); ``info.version`` must be current.

        ``key`` is the analysis' current key when ``info`` renames it.
        """
        self._check_header(info)
        current_key = key or info.key
        try:
            return self._update_info(info, current_key)
        except sa.exc.IntegrityError as error:  # the new key was taken at the same moment
            with self.engine.connect() as conn:
                if info.key != current_key:
                    self._refuse_taken(conn, [info.key])
            raise StaleEditError(CONFLICT) from error

    def _update_info(self, info: AnalysisInfo, current_key: str) -> AnalysisInfo:
        with self._writing() as conn:
            return self._write_info(conn, info, current_key)

    def _write_info(self, conn: sa.Connection, info: AnalysisInfo, current_key: str,
                    undo_of: int | None = None) -> AnalysisInfo:
        """The header update inside a writing transaction (an edit, or the undo of one)."""
        header = self._analysis_row(conn, current_key, lock=True)
        if info.key != current_key and conn.execute(sa.select(analysis_table.c.id).where(
                analysis_table.c.workspace_id == header["workspace_id"],
                analysis_table.c.key == info.key)).scalar() is not None:
            raise InvalidInput([Problem.of("analysis", None, "key", "problem.key_taken", key=info.key)])
        before = {c.name: header[c.name] for c in TABLES["analysis"].columns}
        result = conn.execute(
            analysis_table.update()
            .where(analysis_table.c.id == header["id"], analysis_table.c.version == info.version)
            .values(**record_to_row(info, "analysis"), version=analysis_table.c.version + 1,
                    revision=analysis_table.c.revision + 1, updated_at=_now())
        )
        if result.rowcount != 1:
            raise StaleEditError("stale.analysis_changed", key=current_key, now=header["version"],
                                 had=info.version)
        self._audit(conn, info.key, [("analysis", info.key, "update", _jsonable(before),
                                      _jsonable(record_to_row(info, "analysis")),
                                      {"row_id": header["id"], "version": header["version"] + 1,
                                       "undo_of": undo_of})], analysis_id=header["id"])
        if info.key != current_key:  # the people invited to it follow it to its new key
            conn.execute(membership.update().where(membership.c.workspace == self.workspace,
                                                   membership.c.analysis == current_key)
                         .values(analysis=info.key, updated_at=_now()))
        return replace(info, id=header["id"], version=header["version"] + 1)

    def delete_analysis(self, key: str, version: int | None = None) -> None:
        """Delete an analysis and everything in it (refused if ``version`` is given and stale)."""
        with self._writing() as conn:
            header = self._analysis_row(conn, key, lock=True, right="manage")
            if version is not None and header["version"] != version:
                raise StaleEditError("stale.analysis_changed_delete", key=key)
            conn.execute(analysis_table.delete().where(analysis_table.c.id == header["id"]))
            conn.execute(membership.delete().where(membership.c.workspace == self.workspace,
                                                   membership.c.analysis == key))
            self._audit(conn, key, [("analysis", key, "delete",
                                     _jsonable({c.name: header[c.name] for c in TABLES["analysis"].columns}), None,
                                     {"row_id": header["id"]})], analysis_id=header["id"])

    def duplicate_analysis(self, key: str, new_key: str, new_name: str | None = None) -> Analysis:
        """A copy of an analysis under a new key: the way to try a bold redesign without losing the original."""
        original = self.load(key)
        return self.import_analysis(original, key=new_key, name=new_name or f"{original.info.name} (copy)")

    def save_rows(self, analysis_key: str, sheet: str, upserts: Sequence = (), deletes: Iterable = ()) -> None:
        """Insert, update and delete rows of one table in one transaction.

        ``upserts``: records; those with an ``id`` are updates and must carry the ``version`` they were
        read at. ``deletes``: records with ``id`` and ``version``. Problems (unknown references,
        duplicate keys) raise InvalidInput with ``row`` = position in ``upserts`` (1-based); a stale
        version raises StaleEditError. Either way nothing is saved.
        """
        self.save_changes(analysis_key, [(sheet, upserts, deletes)])

    def save_changes(self, analysis_key: str, changes: Sequence[tuple[str, Sequence, Iterable]]) -> None:
        """Several :meth:`save_rows` in one transaction, in the order given: all land or none.

        A later step may refer to keys an earlier step inserted (a new review, then its readings).
        A row someone else inserted at the same moment under the same key raises InvalidInput
        ("key 'A5' already exists: someone else added it meanwhile"), never a database error.
        """
        changes = [(sheet, list(upserts), list(deletes)) for sheet, upserts, deletes in changes]
        for sheet, _, _ in changes:
            if sheet not in CHILD_SHEETS:
                raise ValueError(f"save_rows takes a child table, not {sheet!r}; use update_info for the header")
        try:
            with self._writing() as conn:
                header = self._analysis_row(conn, analysis_key, lock=True)
                audit: list = []
                for sheet, upserts, deletes in changes:
                    self._save(conn, header, sheet, upserts, deletes, audit)
                if audit:
                    self._bump(conn, header["id"])
                    self._audit(conn, analysis_key, audit)
        except sa.exc.IntegrityError as error:
            problems = self._taken_meanwhile(analysis_key, changes)
            if problems:
                raise InvalidInput(problems) from error
            raise StaleEditError(CONFLICT) from error

    def _taken_meanwhile(self, analysis_key: str, changes: list[tuple[str, list, list]]) -> list[Problem]:
        """After a unique constraint refused a save: which rows now collide with rows stored meanwhile."""
        problems = []
        with self.engine.connect() as conn:
            try:
                part = _Part(conn, self._analysis_row(conn, analysis_key)["id"])
            except NotFoundError:
                return []
            current = {sheet: part.records(sheet) for sheet, _, _ in changes if TABLES[sheet].unique}
        for sheet, upserts, deletes in changes:
            spec = TABLES[sheet]
            if not spec.unique:
                continue
            deleted = {r.id for r in deletes}
            stored = {tuple(getattr(r, c) for c in spec.unique): r.id
                      for r in current[sheet] if r.id not in deleted}
            for n, record in enumerate(upserts, start=1):
                ident = tuple(getattr(record, c) for c in spec.unique)
                if ident in stored and stored[ident] != record.id:
                    what = "key" if spec.unique == ("key",) else ", ".join(spec.unique)
                    problems.append(Problem(sheet, n, spec.unique[-1],
                                            f"{what} '{'/'.join(map(str, ident))}' already exists: someone "
                                            "else added it meanwhile; choose another key."
                                            if spec.keyed else
                                            f"{what} '{'/'.join(map(str, ident))}' already exists: someone "
                                            "else added it meanwhile; reload to see it."))
        return problems

    def _save(self, conn, header, sheet: str, upserts: list, deletes: list, audit: list) -> None:
        table = sql_table(sheet)
        aid = header["id"]
        part = _Part(conn, aid)  # this table and what it refers to, not the whole analysis (see _Part)
        current = {r.id: r for r in part.records(sheet)}
        ids = part.key_ids(sheet)
        gone: set[tuple[str, int]] = set()
        for record in deletes:
            # the rows the database deletes with it (ON DELETE CASCADE), logged first so that the log,
            # read forwards, never holds a row whose reference is gone
            cascade = [(s, r) for s, r in part.cascade(sheet, [record.id]) if (s, r.id) not in gone]
            result = conn.execute(table.delete().where(
                table.c.id == record.id, table.c.version == record.version, table.c.analysis_id == aid))
            if result.rowcount != 1:
                raise self._stale(sheet, record, current.get(record.id))
            for other, row in cascade:
                gone.add((other, row.id))
                audit.append((other, entity_key(other, row), "cascade", _jsonable(record_to_row(row, other)), None,
                              {"row_id": row.id}))
            audit.append((sheet, entity_key(sheet, record), "delete",
                          _jsonable(record_to_row(current[record.id], sheet)), None, {"row_id": record.id}))
        deleted = {r.id for r in deletes}
        self._check_unique(sheet, upserts, [r for i, r in current.items() if i not in deleted])
        if sheet == "options":  # the status workflow, on every path that edits a saved option (issue 15)
            refused = option_status.status_problems(current.values(), upserts)
            if refused:
                raise InvalidInput(refused)
        now = _now()
        problems: list[Problem] = []
        prepared = []
        for n, record in enumerate(upserts, start=1):
            try:
                prepared.append((record, self._sql_values(sheet, record, ids, n)))
            except InvalidInput as error:
                problems.extend(error.problems)
        if problems:
            raise InvalidInput(problems)
        for record, values in prepared:
            after = _jsonable(record_to_row(record, sheet))
            if record.id is None:
                row_id = conn.execute(table.insert().values(analysis_id=aid, created_at=now, updated_at=now,
                                                            version=1, **values)).inserted_primary_key[0]
                audit.append((sheet, entity_key(sheet, record), "create", None, after,
                              {"row_id": row_id, "version": 1}))
                continue
            result = conn.execute(
                table.update()
                .where(table.c.id == record.id, table.c.version == record.version, table.c.analysis_id == aid)
                .values(**values, version=table.c.version + 1, updated_at=now)
            )
            if result.rowcount != 1:
                raise self._stale(sheet, record, current.get(record.id))
            audit.append((sheet, entity_key(sheet, record), "update",
                          _jsonable(record_to_row(current[record.id], sheet)), after,
                          {"row_id": record.id, "version": record.version + 1}))

    @staticmethod
    def _check_unique(sheet: str, upserts: Sequence, kept: list) -> None:
        updated = {r.id for r in upserts if r.id is not None}
        unique = Unique(sheet, saved=[r for r in kept if r.id not in updated])
        problems = [p for n, record in enumerate(upserts, start=1) if (p := unique.check(record, n)) is not None]
        if problems:
            raise InvalidInput(problems)

    @staticmethod
    def _stale(sheet: str, record, current) -> StaleEditError:
        what, key = _label(sheet), entity_key(sheet, record)
        if current is None:
            return StaleEditError("stale.row_deleted", what=what, key=key)
        return StaleEditError("stale.row_changed", what=what, key=key, now=current.version, had=record.version)


def _summary_redactors(conn: sa.Connection, rows: Sequence[Any]) -> dict[int, Any]:
    """Analysis id -> :func:`dnh_graph.privacy.redactor` of its actors, for the analyses ``rows`` that
    have a sensitive actor (one query for them all)."""
    table = sql_table("actors")
    ids = [r["id"] for r in rows]
    if not ids:
        return {}
    found: dict[int, list[Actor]] = defaultdict(list)
    for aid, key, name, sensitive in conn.execute(
            sa.select(table.c.analysis_id, table.c.key, table.c.name, table.c.sensitive)
            .where(table.c.analysis_id.in_(ids)).order_by(table.c.id)):
        found[aid].append(Actor(key, name, sensitive=bool(sensitive)))
    return {r["id"]: privacy.redactor(Analysis(AnalysisInfo(r["key"], r["name"]), actors=found[r["id"]]))
            for r in rows if any(a.sensitive for a in found[r["id"]])}


def _redacted(entries: list[dict[str, Any]], current: Analysis) -> list[dict[str, Any]]:
    """Audit entries as a person who may not see sensitive names reads them: a sensitive actor's key
    becomes its pseudonym and its name, in any text, ``Actor A1`` (:mod:`dnh_graph.privacy`).

    Only the actors sensitive now are known; an actor deleted while sensitive is named by the log as
    it was (the log is append-only).
    """
    mapping = privacy.pseudonyms(current)
    if not mapping:
        return entries
    redact = privacy.redactor(current)  # any case, any spacing, as every screen masks
    types = privacy.shown_types(current)  # a type only one sensitive actor has would name it

    def text(value: str) -> str:
        return mapping[value] if value in mapping else redact(value)

    def walk(value, actor: str | None = None):
        if isinstance(value, str):
            return text(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            sensitive = value.get("sensitive") is True or actor in mapping
            return {k: ("" if sensitive and k == "description" else [] if sensitive and k == "tags"
                        else types[actor] if actor in types and k == "type" else walk(v))
                    for k, v in value.items()}
        return value

    out = []
    for entry in entries:
        entry = dict(entry)
        actor = entry["entity_key"] if entry["entity"] == "actors" else None
        entry["entity_key"] = " ".join(">".join(text(p) for p in part.split(">"))
                                       for part in entry["entity_key"].split(" "))
        entry["before"], entry["after"] = walk(entry["before"], actor), walk(entry["after"], actor)
        out.append(entry)
    return out


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on some containers; the log still needs a who
        return "unknown"
