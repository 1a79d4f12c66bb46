"""Workshops in the database: where the room stands, its quick notes, and coach comments.

These rows are not part of an analysis' data (no sheet, no export, no score): they help a facilitator
lead a room through the seven steps and come back to where it was. Like every other write, each
change here is one transaction with its audit log entry (the row's id, values and version, so the
History screen can undo it and restore it as of a moment: :mod:`dnh_graph.history`), and a change to a
row someone else changed meanwhile is refused (:class:`~dnh_graph.store.StaleEditError`), never merged.

Sensitive names: a person who may not see them (a viewer not granted it) reads every note and comment
masked (:func:`shown_notes`, :func:`shown_comments`), as they read the analysis pseudonymised; the
screen masks them the same way for everyone while "Hide sensitive names" is on.

Examples
--------
>>> from dnh_graph.model import AnalysisInfo
>>> from dnh_graph.store import Store
>>> store = Store.open("sqlite://")
>>> _ = store.create_analysis(AnalysisInfo("w", "W"))
>>> session(store, "w").step
1
>>> note = add_note(store, "w", "Land dispute", "divider", 2)
>>> done = sort_note(store, "w", note, "factors", {"name": "Land dispute", "category": "systems_institutions"})
>>> store.load("w").factors[0].name, notes(store, "w")[0].sorted_to
('Land dispute', 'land_dispute')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from dnh_graph import history, privacy
from dnh_graph.keys import slug
from dnh_graph.model import Analysis, InvalidInput, Problem, nul_problem, parse_row, record_to_row
from dnh_graph.store import CONFLICT, StaleEditError, Store, _jsonable, _now, entity_key
from dnh_graph.store.schema import comment as comment_table
from dnh_graph.store.schema import workshop_note, workshop_session

__all__ = ["Session", "Note", "Comment", "NOTE_KINDS", "NOTE_SHEET", "COMMENT_SHEETS", "STEPS", "MAX_NOTE",
           "session", "save_session", "notes", "add_note", "update_note", "delete_note", "sort_note",
           "comments", "add_comment", "resolve_comment", "new_key", "shown_notes", "shown_comments", "rows"]

STEPS = 7
MAX_NOTE = 500  # characters: a note is what someone said in a sentence or two
DEFAULT_MINUTES = 10
MAX_TIMER = 240  # minutes
MAX_COMMENT = 2000  # characters
NOTE_KINDS = ("unsorted", "actor", "divider", "connector", "detail")
# where a note of each kind becomes a row, and the fixed values of that row
NOTE_SHEET = {"actor": ("actors", {}), "divider": ("factors", {"kind": "divider"}),
              "connector": ("factors", {"kind": "connector"}), "detail": ("details", {})}
COMMENT_SHEETS = ("actors", "factors", "details", "impacts", "options")


@dataclass(frozen=True)
class Session:
    step: int = 1
    timer_end: dt.datetime | None = None  # UTC; None = no countdown running
    timer_minutes: int = DEFAULT_MINUTES
    version: int | None = None  # None = never saved


@dataclass(frozen=True)
class Note:
    id: int
    text: str
    kind: str
    step: int
    parked: bool
    sorted_to: str
    version: int


@dataclass(frozen=True)
class Comment:
    id: int
    sheet: str
    row_id: int
    text: str
    author: str
    resolved: bool
    resolved_by: str
    created_at: dt.datetime
    version: int


def new_key(name: str, taken: Iterable[str]) -> str:
    """The key of a row made from a note: the project's one key rule, :func:`dnh_graph.keys.slug`."""
    return slug(name, taken=list(taken))


# ------------------------------------------------------------------------------------ session
def session(store: Store, key: str) -> Session:
    """Where the room of this analysis stands (step 1, no timer, when no workshop was run yet)."""
    with store.engine.connect() as conn:
        aid = store._analysis_row(conn, key)["id"]
        row = conn.execute(sa.select(workshop_session).where(workshop_session.c.analysis_id == aid)).mappings().first()
    if row is None:
        return Session()
    return Session(row["step"], _utc(row["timer_end"]), row["timer_minutes"], row["version"])


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes: they were written in UTC (PostgreSQL's, in its time zone)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC) if value is not None else None


def _logged(entity: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """A workshop row's values as the audit log keeps them (times in UTC, as ISO text)."""
    values = {n: row[n] for n in history.WORKSHOP_COLUMNS[entity]}
    if entity == "workshop":
        values["timer_end"] = _utc(values["timer_end"])
    return _jsonable(values)


def save_session(store: Store, key: str, new: Session) -> Session:
    """Store the step and timer; ``new.version`` is the one read (None the first time)."""
    if not 1 <= new.step <= STEPS or not 1 <= new.timer_minutes <= MAX_TIMER:
        raise InvalidInput([Problem.of("workshop", None, "step", "problem.workshop_step", steps=STEPS,
                                       minutes=MAX_TIMER)])
    values = {"step": new.step, "timer_end": new.timer_end, "timer_minutes": new.timer_minutes}
    with store._writing() as conn:
        header = store._analysis_row(conn, key, lock=True)
        current = conn.execute(sa.select(workshop_session).where(
            workshop_session.c.analysis_id == header["id"])).mappings().first()
        now = _now()
        if current is None and new.version is None:
            row_id = conn.execute(workshop_session.insert().values(
                analysis_id=header["id"], created_at=now, updated_at=now, version=1, **values)).inserted_primary_key[0]
            version, before = 1, None
        elif current is not None and current["version"] == new.version:
            conn.execute(workshop_session.update().where(workshop_session.c.id == current["id"]).values(
                version=current["version"] + 1, updated_at=now, **values))
            row_id, version, before = current["id"], current["version"] + 1, _logged("workshop", current)
        else:
            raise StaleEditError("stale.workshop_moved")
        store._audit(conn, key, [("workshop", key, "create" if before is None else "update", before,
                                   _logged("workshop", values), {"row_id": row_id, "version": version})])
    return Session(new.step, new.timer_end, new.timer_minutes, version)


# -------------------------------------------------------------------------------------- notes
def _note(row) -> Note:
    return Note(row["id"], row["text"], row["kind"], row["step"], row["parked"], row["sorted_to"], row["version"])


def notes(store: Store, key: str) -> list[Note]:
    """Every note of the analysis' workshops, oldest first (masked for a person who may not see
    sensitive names: :func:`shown_notes`)."""
    with store.engine.connect() as conn:
        header = store._analysis_row(conn, key)
        rows = conn.execute(sa.select(workshop_note).where(workshop_note.c.analysis_id == header["id"])
                            .order_by(workshop_note.c.id)).mappings().all()
        found = [_note(r) for r in rows]
        return shown_notes(store._load(conn, header), found) if store._access(conn, key).masked else found


def shown_notes(analysis: Analysis, found: Iterable[Note]) -> list[Note]:
    """Notes as a screen may show them while sensitive names are hidden: every mention of a sensitive
    actor of ``analysis`` (the stored records) masked as on every other screen
    (:func:`dnh_graph.privacy.redactor`), a note sorted into a sensitive actor showing its pseudonymous
    key; ids and versions kept.

    >>> from dnh_graph.model import Actor, AnalysisInfo
    >>> a = Analysis(AnalysisInfo("x", "X"), actors=[Actor("sok", "Sok Dara", sensitive=True)])
    >>> shown = shown_notes(a, [Note(1, "Sok Dara owns the boats", "actor", 1, False, "sok", 2)])[0]
    >>> shown.text, shown.sorted_to, shown.version
    ('Actor A1 owns the boats', 'A1', 2)
    """
    found = list(found)
    mapping = privacy.pseudonyms(analysis)
    if not mapping:
        return found
    redact = privacy.redactor(analysis, mapping)
    return [replace(n, text=redact(n.text), sorted_to=mapping.get(n.sorted_to, n.sorted_to)) for n in found]


def shown_comments(analysis: Analysis, found: Iterable[Comment]) -> list[Comment]:
    """Comments as a screen may show them while sensitive names are hidden (text masked as
    :func:`shown_notes` does; the author and who resolved it are people of the team, not actors)."""
    found = list(found)
    redact = privacy.redactor(analysis)
    return [replace(c, text=redact(c.text)) for c in found]


def _check_note(text: str, kind: str) -> str:
    text = (text or "").strip()
    problems = []
    if not text:
        problems.append(Problem("notes", None, "text", "problem.note_empty"))
    elif len(text) > MAX_NOTE:
        problems.append(Problem.of("notes", None, "text", "problem.note_too_long", limit=MAX_NOTE, got=len(text)))
    found = nul_problem("notes", None, "text", text)
    if found:
        problems.append(found)
    if kind not in NOTE_KINDS:
        problems.append(Problem.of("notes", None, "kind", "problem.not_one_of", value=kind,
                                   allowed=", ".join(NOTE_KINDS)))
    if problems:
        raise InvalidInput(problems)
    return text


def _note_values(note: Note | Mapping[str, Any]) -> dict[str, Any]:
    get = note.get if isinstance(note, Mapping) else lambda n: getattr(note, n)
    return {n: get(n) for n in ("text", "kind", "step", "parked", "sorted_to")}


def add_note(store: Store, key: str, text: str, kind: str = "unsorted", step: int = 1, parked: bool = False) -> Note:
    """A contribution as the room said it (refused, with one sentence, when empty or too long)."""
    text = _check_note(text, kind)
    with store._writing() as conn:
        header = store._analysis_row(conn, key, lock=True)
        now = _now()
        values = {"text": text, "kind": kind, "step": step, "parked": parked, "sorted_to": ""}
        nid = conn.execute(workshop_note.insert().values(analysis_id=header["id"], created_at=now, updated_at=now,
                                                         version=1, **values)).inserted_primary_key[0]
        store._audit(conn, key, [("workshop_note", str(nid), "create", None, values, {"row_id": nid, "version": 1})])
    return Note(nid, text, kind, step, parked, "", 1)


def _current_note(conn, header, note: Note):
    row = conn.execute(sa.select(workshop_note).where(
        workshop_note.c.id == note.id, workshop_note.c.analysis_id == header["id"])).mappings().first()
    if row is None or row["version"] != note.version:
        raise StaleEditError("stale.note_changed")
    return row


def update_note(store: Store, key: str, note: Note) -> Note:
    """Change a note's text, kind or parking (``note.version`` is the one read)."""
    text = _check_note(note.text, note.kind)
    with store._writing() as conn:
        header = store._analysis_row(conn, key, lock=True)
        row = _current_note(conn, header, note)
        values = {**_note_values(note), "text": text}
        conn.execute(workshop_note.update().where(workshop_note.c.id == note.id).values(
            version=row["version"] + 1, updated_at=_now(), **values))
        store._audit(conn, key, [("workshop_note", str(note.id), "update", _note_values(row), values,
                                  {"row_id": note.id, "version": row["version"] + 1})])
    return Note(note.id, text, note.kind, note.step, note.parked, note.sorted_to, note.version + 1)


def delete_note(store: Store, key: str, note: Note) -> None:
    with store._writing() as conn:
        header = store._analysis_row(conn, key, lock=True)
        row = _current_note(conn, header, note)
        conn.execute(workshop_note.delete().where(workshop_note.c.id == note.id))
        store._audit(conn, key, [("workshop_note", str(note.id), "delete", _note_values(row), None,
                                  {"row_id": note.id})])


def sort_note(store: Store, key: str, note: Note, sheet: str, raw: Mapping[str, Any]) -> Note:
    """Turn a note into a row of ``sheet`` (actors, factors or details) and mark it sorted: one transaction.

    ``raw`` holds the row's cells as a grid or a sheet would (``name``, ``category``, ``question``...);
    they are checked like any imported row, and the key comes from the name (:func:`new_key`) unless
    ``raw`` gives one. A problem raises InvalidInput and nothing changes: the note stays a note.
    """
    if sheet not in {s for s, _ in NOTE_SHEET.values()}:
        raise ValueError(f"a note becomes an actor, a factor or a detail, not {sheet!r}")
    current = store.load(key)
    raw = dict(raw)
    home, fixed = NOTE_SHEET.get(note.kind, ("", {}))
    if home == sheet:  # a note taken as a divider becomes a divider unless told otherwise
        for name, value in fixed.items():
            raw.setdefault(name, value)
    label = raw.get("name") or raw.get("description") or note.text
    if not raw.get("key"):
        raw["key"] = new_key(str(label), (r.key for r in current.rows(sheet)))
    record, problems = parse_row(sheet, raw, 1)
    if problems:
        raise InvalidInput(problems)
    try:
        with store._writing() as conn:
            header = store._analysis_row(conn, key, lock=True)
            row = _current_note(conn, header, note)
            if row["sorted_to"]:
                raise StaleEditError("stale.note_sorted")
            audit: list = []
            store._save(conn, header, sheet, [record], [], audit)
            values = {**_note_values(row), "sorted_to": record.key, "parked": False}
            conn.execute(workshop_note.update().where(workshop_note.c.id == note.id).values(
                version=row["version"] + 1, updated_at=_now(), **values))
            audit.append(("workshop_note", str(note.id), "update", _note_values(row), values,
                          {"row_id": note.id, "version": row["version"] + 1}))
            store._bump(conn, header["id"])
            store._audit(conn, key, audit)
    except sa.exc.IntegrityError as error:
        problems = store._taken_meanwhile(key, [(sheet, [record], [])])
        if problems:
            raise InvalidInput(problems) from error
        raise StaleEditError(CONFLICT) from error
    return Note(note.id, note.text, note.kind, note.step, False, record.key, note.version + 1)


# ----------------------------------------------------------------------------------- comments
def comments(store: Store, key: str, sheet: str | None = None, row_id: int | None = None) -> list[Comment]:
    """The comments of an analysis (of one row when ``sheet``/``row_id`` are given), oldest first (masked
    for a person who may not see sensitive names: :func:`shown_comments`)."""
    with store.engine.connect() as conn:
        header = store._analysis_row(conn, key)
        query = sa.select(comment_table).where(comment_table.c.analysis_id == header["id"])
        if sheet is not None:
            query = query.where(comment_table.c.sheet == sheet)
        if row_id is not None:
            query = query.where(comment_table.c.row_id == row_id)
        rows = conn.execute(query.order_by(comment_table.c.id)).mappings().all()
        found = [Comment(r["id"], r["sheet"], r["row_id"], r["text"], r["author"], r["resolved"], r["resolved_by"],
                         _utc(r["created_at"]), r["version"]) for r in rows]
        if store._access(conn, key).masked:  # a person who may not see sensitive names
            return shown_comments(store._load(conn, header), found)
    return found


def add_comment(store: Store, key: str, sheet: str, row_id: int, text: str) -> Comment:
    """A coach's comment on one row (actor, factor, detail, impact or option) of the analysis."""
    text = (text or "").strip()
    problems = []
    if sheet not in COMMENT_SHEETS:
        problems.append(Problem.of("comments", None, "sheet", "problem.comment_sheet",
                                   sheets=", ".join(COMMENT_SHEETS)))
    if not text:
        problems.append(Problem("comments", None, "text", "problem.comment_empty"))
    elif len(text) > MAX_COMMENT:
        problems.append(Problem.of("comments", None, "text", "problem.comment_too_long", limit=MAX_COMMENT,
                                   got=len(text)))
    found = nul_problem("comments", None, "text", text)
    if found:
        problems.append(found)
    if problems:
        raise InvalidInput(problems)
    with store._writing() as conn:
        header = store._analysis_row(conn, key, lock=True)
        analysis = store._load(conn, header)
        target = next((r for r in analysis.rows(sheet) if r.id == row_id), None)
        if target is None:
            raise StaleEditError("stale.comment_row_gone")
        now = _now()
        values = {"sheet": sheet, "row_id": row_id, "text": text, "author": store.who, "resolved": False,
                  "resolved_by": ""}
        cid = conn.execute(comment_table.insert().values(analysis_id=header["id"], created_at=now, updated_at=now,
                                                         version=1, **values)).inserted_primary_key[0]
        store._audit(conn, key, [("comment", f"{sheet}:{entity_key(sheet, target)}", "create", None,
                                  _jsonable({**values, "row": _jsonable(record_to_row(target, sheet))}),
                                  {"row_id": cid, "version": 1})])
    return Comment(cid, sheet, row_id, text, store.who, False, "", now, 1)


def resolve_comment(store: Store, key: str, comment: Comment, resolved: bool = True) -> Comment:
    """Mark a comment dealt with (or open it again); refused when someone changed it meanwhile."""
    with store._writing() as conn:
        header = store._analysis_row(conn, key, lock=True)
        row = conn.execute(sa.select(comment_table).where(
            comment_table.c.id == comment.id, comment_table.c.analysis_id == header["id"])).mappings().first()
        if row is None or row["version"] != comment.version:
            raise StaleEditError("stale.comment_changed")
        by = store.who if resolved else ""
        conn.execute(comment_table.update().where(comment_table.c.id == comment.id).values(
            resolved=resolved, resolved_by=by, version=row["version"] + 1, updated_at=_now()))
        before = _logged("comment", row)
        store._audit(conn, key, [("comment", str(comment.id), "update", before,
                                  {**before, "resolved": resolved, "resolved_by": by},
                                  {"row_id": comment.id, "version": row["version"] + 1})])
    return Comment(comment.id, comment.sheet, comment.row_id, comment.text, comment.author, resolved, by,
                   comment.created_at, comment.version + 1)


# ------------------------------------------------------------------------ history: undo, as of
_TABLES = {"workshop": workshop_session, "workshop_note": workshop_note, "comment": comment_table}


def _rows(conn: sa.Connection, aid: int) -> history.Workshop:
    rows: dict[str, dict[int, dict[str, Any]]] = {}
    versions: dict[str, dict[int, int]] = {}
    for entity, table in _TABLES.items():
        found = conn.execute(sa.select(table).where(table.c.analysis_id == aid)).mappings().all()
        rows[entity] = {r["id"]: _logged(entity, r) for r in found}
        versions[entity] = {r["id"]: r["version"] for r in found}
    return history.Workshop(rows, versions)


def rows(store: Store, key: str) -> history.Workshop:
    """The workshop rows of an analysis as the audit log keeps them (what :func:`dnh_graph.history.workshop_as_of`
    takes back); as stored, so only for a person who may edit (a viewer reads :func:`notes`, :func:`comments`)."""
    with store.engine.connect() as conn:
        return _rows(conn, store._analysis_row(conn, key, right="edit")["id"])


def _sql(entity: str, values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if entity == "workshop" and isinstance(out.get("timer_end"), str):
        out["timer_end"] = dt.datetime.fromisoformat(out["timer_end"])
    return out


def _undo(store: Store, conn: sa.Connection, header, plan: history.UndoPlan, audit: list) -> None:
    """Write what :func:`dnh_graph.history.undo_plan` decided for a workshop row (``Store.undo``'s transaction)."""
    for entity, action, row_id, values, version in plan.workshop:
        table, now = _TABLES[entity], _now()
        if action == "create":
            row_id = conn.execute(table.insert().values(analysis_id=header["id"], created_at=now, updated_at=now,
                                                        version=1, **_sql(entity, values))).inserted_primary_key[0]
            audit.append((entity, str(row_id), "create", None, dict(values), {"row_id": row_id, "version": 1}))
            continue
        where = (table.c.id == row_id) & (table.c.version == version) & (table.c.analysis_id == header["id"])
        current = conn.execute(sa.select(table).where(where)).mappings().first()
        if current is None:
            raise StaleEditError(CONFLICT)
        before = _logged(entity, current)
        ekey = header["key"] if entity == "workshop" else str(row_id)
        if action == "delete":
            conn.execute(table.delete().where(where))
            audit.append((entity, ekey, "delete", before, None, {"row_id": row_id}))
        else:
            conn.execute(table.update().where(where).values(version=version + 1, updated_at=now,
                                                              **_sql(entity, values)))
            audit.append((entity, ekey, "update", before, dict(values), {"row_id": row_id, "version": version + 1}))


def _copy(store: Store, conn: sa.Connection, past: Analysis, copy: Analysis, rooms: history.Workshop) -> None:
    """Write the workshop rows of ``past`` (``rooms``, as of the same moment) into ``copy``, the analysis
    just restored from it (``Store.restore_as_of``'s transaction): a comment follows its row into the
    copy, one on a row that no longer existed then is left behind."""
    ids = {(sheet, old.id): new.id for sheet in past.counts() for old, new in zip(past.rows(sheet), copy.rows(sheet),
                                                                                   strict=True)}
    now, audit = _now(), []
    for entity, table in _TABLES.items():
        for _, values in rooms.values(entity):
            values = dict(values)
            if entity == "comment":
                if (values["sheet"], values["row_id"]) not in ids:
                    continue
                values["row_id"] = ids[(values["sheet"], values["row_id"])]
            row_id = conn.execute(table.insert().values(analysis_id=copy.info.id, created_at=now, updated_at=now,
                                                        version=1, **_sql(entity, values))).inserted_primary_key[0]
            audit.append((entity, copy.info.key if entity == "workshop" else str(row_id), "create", None, values,
                          {"row_id": row_id, "version": 1}))
    store._audit(conn, copy.info.key, audit, analysis_id=copy.info.id)
