"""The history of an analysis (issue 13): who changed what and when, the analysis as of a moment, undo.

Everything here reads the audit log (:meth:`dnh_graph.store.Store.changes`) and the analysis as it is
now; nothing writes. The store applies what these functions decide, in one transaction, through its
ordinary writing path (versions, references, unique keys and the option status rules all apply).

Why it works: every entry names the changed row by its id (stable across renames) with its values
before and after, references by key as they were at that moment, and a deletion logs the rows the
database deleted with it (action ``cascade``) just before it. So the analysis as of entry ``n`` is the
analysis now with every later entry taken back, newest first; a row renamed meanwhile takes its old key
back, and so do the references to it (the database holds them by id).

Examples
--------
>>> from dataclasses import replace
>>> from dnh_graph.model import Actor, AnalysisInfo
>>> from dnh_graph.store import Store
>>> store = Store.open("sqlite://")
>>> _ = store.import_analysis(Analysis(AnalysisInfo("h", "H"), actors=[Actor("A1", "Council")]))
>>> a = store.load("h")
>>> store.save_rows("h", "actors", [replace(a.actors[0], name="Commune council")])
>>> first = store.changes("h")[-1].id
>>> store.undo("h", first)
>>> store.load("h").actors[0].name
'Council'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from dnh_graph import privacy
from dnh_graph.i18n import translate
from dnh_graph.model import CHILD_TABLES, TABLES, Actor, Analysis, AnalysisInfo
from dnh_graph.text import clip

__all__ = ["Change", "HistoryRefusal", "UndoPlan", "DATA_ENTITIES", "ACTIONS", "filter_changes", "upto_at",
           "state_as_of", "undo_plan", "copy_name", "changed_columns", "restorable_from", "mask_sensitive", "describe",
           "moments"]

# the entities whose rows make up an analysis; the rest of the log (workshop, notes, comments) is shown only
DATA_ENTITIES = ("analysis", *CHILD_TABLES)
# create, update, delete, and "cascade": deleted by the database with the row it referred to
ACTIONS = ("create", "update", "delete", "cascade")


@dataclass(frozen=True)
class Change:
    """One audit log entry."""

    id: int
    at: dt.datetime  # UTC
    who: str
    entity: str  # a sheet name, "analysis", or workshop, workshop_note, comment
    entity_key: str
    action: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    row_id: int | None = None  # empty in entries written before migration 0004
    version: int | None = None  # the row's version after the change
    txn: str | None = None
    undo_of: int | None = None

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Change:
        at = entry["at"]
        if isinstance(at, dt.datetime) and at.tzinfo is None:  # SQLite hands back naive UTC
            at = at.replace(tzinfo=dt.UTC)
        return cls(entry["id"], at, entry["who"], entry["entity"], entry["entity_key"], entry["action"],
                   entry["before"], entry["after"], entry.get("row_id"), entry.get("version"), entry.get("txn"),
                   entry.get("undo_of"))

    @property
    def complete(self) -> bool:
        """Whether the entry says enough to take it back (entries older than migration 0004 do not)."""
        return self.entity not in DATA_ENTITIES or self.row_id is not None


class HistoryRefusal(Exception):
    """An undo or a restore that cannot be done; nothing changed. ``render(lang)`` is the sentence."""

    def __init__(self, msgid: str, **params: Any):
        self.msgid, self.params = msgid, params
        super().__init__(translate(msgid, **params))

    def render(self, lang: str = "en") -> str:
        return translate(self.msgid, lang, **self.params)


def _when(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S UTC")


def filter_changes(changes: Iterable[Change], people: Iterable[str] = (), entities: Iterable[str] = (),
                   start: dt.date | None = None, end: dt.date | None = None) -> list[Change]:
    """The changes by one of ``people``, to one of ``entities``, on a UTC day from ``start`` to ``end``
    (an empty choice keeps everything)."""
    people, entities = set(people), set(entities)
    return [c for c in changes
            if (not people or c.who in people) and (not entities or c.entity in entities)
            and (start is None or c.at.date() >= start) and (end is None or c.at.date() <= end)]


def changed_columns(change: Change) -> list[str]:
    """The columns an update changed (every column of a created or deleted row)."""
    before, after = change.before or {}, change.after or {}
    names = list(after or before) + [n for n in before if n not in after]
    if change.action != "update":
        return names
    return [n for n in names if before.get(n) != after.get(n)]


def upto_at(changes: Sequence[Change], at: dt.datetime) -> int | None:
    """The last entry written at or before ``at`` (None: the analysis had no history yet)."""
    found = [c.id for c in changes if c.at <= at]
    return max(found) if found else None


def restorable_from(changes: Sequence[Change]) -> int | None:
    """The earliest entry the analysis can be restored as of: after the newest incomplete data entry
    (written before migration 0004) and not before the analysis was created. None: none can."""
    start = None
    for change in changes:
        if change.entity in DATA_ENTITIES and not change.complete:
            start = None
        elif start is None and change.entity == "analysis" and change.action == "create":
            start = change.id
    if start is None:
        return None
    newest_incomplete = max((c.id for c in changes if c.entity in DATA_ENTITIES and not c.complete), default=0)
    return start if start > newest_incomplete else None


# ------------------------------------------------------------------------------------------- as of
def _row(record: Any, sheet: str) -> dict[str, Any]:
    out = {}
    for col in TABLES[sheet].columns:
        value = getattr(record, col.name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[col.name] = value
    return out


def _record(sheet: str, row: Mapping[str, Any], **meta: Any) -> Any:
    """A record from a row as the audit log keeps it (dates as ISO text, tags as a list)."""
    values = {}
    for col in TABLES[sheet].columns:
        value = row.get(col.name)
        if col.kind == "date" and isinstance(value, str):
            value = dt.date.fromisoformat(value) if value else None
        elif col.kind == "tags":
            value = tuple(value or ())
        elif col.kind == "ref" and value is None:
            value = ""
        values[col.name] = value
    return TABLES[sheet].record(**values, **meta)


def _rename(rows: dict[str, dict[int, dict]], sheet: str, old: str, new: str) -> None:
    """References to row ``old`` of ``sheet`` now read ``new`` (the database refers by id)."""
    for other in CHILD_TABLES:
        cols = [c.name for c in TABLES[other].columns if c.kind == "ref" and c.ref == sheet]
        for row in rows[other].values() if cols else ():
            for name in cols:
                if row.get(name) == old:
                    row[name] = new


def state_as_of(current: Analysis, changes: Sequence[Change], upto: int) -> Analysis:
    """The analysis as it was right after entry ``upto``: ``current`` with every later change taken back.

    Rows keep the order they had then (by row id). Refused (:class:`HistoryRefusal`) when a later entry
    is too old to take back, or when the analysis did not exist yet.
    """
    later = sorted((c for c in changes if c.id > upto and c.entity in DATA_ENTITIES), key=lambda c: -c.id)
    if any(not c.complete for c in later):
        raise HistoryRefusal("history.refused_incomplete")
    if any(c.entity == "analysis" and c.action == "create" for c in later) or not any(
            c.id <= upto for c in changes):
        raise HistoryRefusal("history.refused_before_start")
    header = _row(current.info, "analysis")
    rows = {sheet: {r.id: _row(r, sheet) for r in current.rows(sheet)} for sheet in CHILD_TABLES}
    for change in later:
        if change.entity == "analysis":
            if change.action == "update":
                header = dict(change.before)
            continue
        table = rows[change.entity]
        if change.action == "create":
            table.pop(change.row_id, None)
            continue
        table[change.row_id] = dict(change.before)
        if change.action == "update" and TABLES[change.entity].keyed and change.before["key"] != change.after["key"]:
            _rename(rows, change.entity, change.after["key"], change.before["key"])
    return Analysis(info=_record("analysis", header),
                    **{sheet: [_record(sheet, rows[sheet][i]) for i in sorted(rows[sheet])] for sheet in CHILD_TABLES})


def copy_name(name: str, at: dt.datetime, lang: str = "en") -> str:
    """The name of a restored copy: the analysis' name "as of" the moment."""
    return translate("history.copy_name", lang, name=name, when=at.strftime("%Y-%m-%d %H:%M UTC"))


# -------------------------------------------------------------------------------------------- undo
@dataclass(frozen=True)
class UndoPlan:
    """What undoing one change writes: the header back (``info``) or rows (``steps``, as save_changes takes)."""

    change: Change
    info: AnalysisInfo | None = None
    steps: tuple[tuple[str, tuple, tuple], ...] = ()


def _describe(change: Change) -> dict[str, str]:
    return {"who": change.who, "when": _when(change.at), "what": f"{TABLES[change.entity].singular} "
            f"'{change.entity_key}'" if change.entity in TABLES else change.entity_key}


def _later_on_row(changes: Sequence[Change], change: Change) -> Change | None:
    return next((c for c in changes if c.id > change.id and c.entity == change.entity
                 and c.row_id == change.row_id and c.txn != change.txn), None)


def _refuse_later(changes: Sequence[Change], change: Change) -> HistoryRefusal:
    later = _later_on_row(changes, change)
    if later is None:  # no entry says it, yet the row moved (a write this log could not see)
        return HistoryRefusal("history.refused_moved", **_describe(change))
    return HistoryRefusal("history.refused_later", **_describe(later))


def _missing_refs(sheet: str, row: Mapping[str, Any], keys: Mapping[str, set[str]]) -> str | None:
    for col in TABLES[sheet].columns:
        value = row.get(col.name)
        if col.kind == "ref" and value and value not in keys[col.ref]:
            return f"{TABLES[col.ref].singular} '{value}'"
    return None


def undo_plan(current: Analysis, changes: Sequence[Change], change_id: int) -> UndoPlan:
    """What undoing entry ``change_id`` writes, or a :class:`HistoryRefusal` saying why it cannot be undone.

    Refused when a later change depends on it: a later change to the same row, a row that refers to a
    row it created, a reference or key it would need that is gone or taken now; and when it was
    undone already, or is not a change to the analysis' data.
    """
    change = next((c for c in changes if c.id == change_id), None)
    if change is None:
        raise HistoryRefusal("history.refused_unknown")
    if change.entity not in DATA_ENTITIES or (change.entity == "analysis" and change.action != "update"):
        raise HistoryRefusal("history.refused_kind")
    if not change.complete:
        raise HistoryRefusal("history.refused_incomplete")
    done = next((c for c in changes if c.undo_of == change.id), None)
    if done is not None:
        raise HistoryRefusal("history.refused_done", who=done.who, when=_when(done.at))
    if change.entity == "analysis":
        if current.info.version != change.version or _later_on_row(changes, change) is not None:
            raise _refuse_later(changes, change)
        return UndoPlan(change, info=_record("analysis", change.before, version=current.info.version))
    sheet = change.entity
    row = next((r for r in current.rows(sheet) if r.id == change.row_id), None)
    # any later entry on the row refuses (its id may even belong to a newer row: SQLite reuses ids)
    if change.action in ("create", "update") and (
            row is None or row.version != change.version or _later_on_row(changes, change) is not None):
        raise _refuse_later(changes, change)
    if change.action == "update":
        keys = {s: {r.key for r in current.rows(s)} for s in CHILD_TABLES if TABLES[s].keyed}
        missing = _missing_refs(sheet, change.before, keys)
        if missing:
            raise HistoryRefusal("history.refused_missing", missing=missing, **_describe(change))
        return UndoPlan(change, steps=((sheet, (_record(sheet, change.before, id=row.id, version=row.version),), ()),))
    if change.action == "create":
        from dnh_graph.store import cascade_rows  # the store's one rule of what a deletion takes with it

        referrers = cascade_rows(current, sheet, [row.id])
        if referrers:
            other, record = referrers[-1]
            from dnh_graph.store import entity_key

            raise HistoryRefusal("history.refused_referred", count=len(referrers),
                                 referrer=f"{TABLES[other].singular} '{entity_key(other, record)}'",
                                 **_describe(change))
        return UndoPlan(change, steps=((sheet, (), (row,)),))
    return _recreate(current, changes, change)


def _recreate(current: Analysis, changes: Sequence[Change], change: Change) -> UndoPlan:
    """Undo a deletion: the row again, with the rows deleted with it whose references exist again."""
    keys = {s: {r.key for r in current.rows(s)} for s in CHILD_TABLES if TABLES[s].keyed}
    if TABLES[change.entity].keyed and change.before["key"] in keys[change.entity]:
        raise HistoryRefusal("history.refused_key_taken", key=change.before["key"], **_describe(change))
    missing = _missing_refs(change.entity, change.before, keys)
    if missing:
        raise HistoryRefusal("history.refused_missing", missing=missing, **_describe(change))
    companions = []
    if change.action == "delete":  # the cascade entries logged just before it, in its transaction
        same = [c for c in changes if c.txn == change.txn and c.id < change.id]
        for c in reversed(same):
            if c.action != "cascade":
                break
            companions.append(c)
    chosen = [change]
    if TABLES[change.entity].keyed:
        keys[change.entity].add(change.before["key"])
    for c in sorted(companions, key=lambda c: CHILD_TABLES.index(c.entity)):
        if _missing_refs(c.entity, c.before, keys) is None and not (
                TABLES[c.entity].keyed and c.before["key"] in keys[c.entity]):
            chosen.append(c)
            if TABLES[c.entity].keyed:
                keys[c.entity].add(c.before["key"])
    steps = []
    for sheet in CHILD_TABLES:
        records = tuple(_record(sheet, c.before) for c in sorted(chosen, key=lambda c: c.row_id)
                        if c.entity == sheet)
        if records:
            steps.append((sheet, records, ()))
    return UndoPlan(change, steps=tuple(steps))


# --------------------------------------------------------------------------------- what is shown
def moments(changes: Sequence[Change]) -> list[Change]:
    """The last entry of each transaction from which a copy can be restored, newest first: the moments
    a person can pick (a transaction is never cut in two)."""
    start = restorable_from(changes)
    if start is None:
        return []
    last: dict[str | None, Change] = {}
    for change in changes:
        if change.id >= start:
            last[change.txn or str(change.id)] = change
    return sorted(last.values(), key=lambda c: -c.id)


def _cell(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return translate("history.yes" if value else "history.no", lang)
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return clip(str(value if value is not None else ""), 80)


def describe(change: Change, lang: str = "en") -> tuple[str, str]:
    """The before and after of a change as a person reads them: ``Name: Council`` per column, an update
    only with the columns it changed."""
    sheet = change.entity if change.entity in TABLES else ""

    def side(values: Mapping[str, Any] | None) -> str:
        if not values:
            return ""
        parts = []
        for name in changed_columns(change):
            if name not in values or (change.action != "update" and values[name] in ("", None, [], False)):
                continue
            label = translate(f"col.{sheet}.{name}", lang, default=translate(f"col.{name}", lang, default=name))
            parts.append(f"{label}: {_cell(values[name], lang)}")
        return " · ".join(parts)

    before, after = side(change.before), side(change.after)
    if change.action == "update" and not before and not after:  # what changed is hidden (mask_sensitive)
        before = after = translate("history.hidden", lang)
    return before, after


def mask_sensitive(changes: Sequence[Change], current: Analysis) -> list[Change]:
    """The history as a screen may show it while sensitive names are hidden (README.md#privacy, issue 13).

    An actor row that was marked sensitive at any moment is shown under its pseudonym (the one every
    other screen gives it while it exists; a new one, never a key in use, once it is deleted) in every
    entry, its name, description and tags dropped and its type broad; each name or long key such a row
    ever had is replaced in every other text, as :func:`dnh_graph.privacy.pseudonymise` does.
    """
    # which actor each entry is about: SQLite gives a deleted row's id to the next new row, so a create
    # starts a new life of that id (entries older than migration 0004 go by key)
    lives: dict[int, int] = {}
    life_of: dict[int, Any] = {}
    for change in changes:
        if change.entity != "actors":
            continue
        if change.row_id is None:
            life_of[change.id] = ("key", (change.before or change.after)["key"])
            continue
        if change.action == "create" or change.row_id not in lives:
            lives[change.row_id] = len(lives) + len(life_of) + 1
        life_of[change.id] = ("row", change.row_id, lives[change.row_id])
    now = {a.id: ("row", a.id, lives[a.id]) if a.id in lives else ("now", a.id) for a in current.actors}
    current_pseudonyms = privacy.pseudonyms(current)
    ident: dict[Any, str] = {now[a.id]: current_pseudonyms[a.key]
                             for a in current.actors if a.key in current_pseudonyms}
    ever: set[Any] = set(ident)
    for change in changes:
        if change.entity == "actors" and any(v and v.get("sensitive") for v in (change.before, change.after)):
            ever.add(life_of[change.id])
    if not ever:
        return list(changes)
    taken = {a.key for a in current.actors} | set(ident.values())
    for change in changes:
        if change.entity == "actors":
            taken.update(v["key"] for v in (change.before, change.after) if v)
    n = 0
    seen: dict[str, str] = {}  # key ever held by a sensitive row -> its pseudonym
    names: list[Actor] = []

    def pseudonym(life: Any) -> str:
        nonlocal n
        if life not in ident:
            n += 1
            while f"A{n}" in taken:
                n += 1
            ident[life] = f"A{n}"
            taken.add(f"A{n}")
        return ident[life]

    for actor in current.actors:
        if now[actor.id] in ever:
            seen[actor.key] = pseudonym(now[actor.id])
            names.append(Actor(actor.key, actor.name))
    for change in changes:
        if change.entity == "actors" and life_of[change.id] in ever:
            for values in (change.before, change.after):
                if values:
                    seen[values["key"]] = pseudonym(life_of[change.id])
                    names.append(Actor(values["key"], values["name"]))
    # privacy's own redactor, over every (key, name) a sensitive row ever had
    redact = privacy.redactor(Analysis(AnalysisInfo("", ""), actors=names), seen)
    token = re.compile(r"[^\s>:]+")

    def mask_key(text: str) -> str:
        return redact(token.sub(lambda m: seen.get(m.group(0), m.group(0)), text or ""))

    def mask_any(value: Any) -> Any:
        if isinstance(value, str):
            return redact(value)
        if isinstance(value, list):
            return [mask_any(v) for v in value]
        if isinstance(value, Mapping):
            return {k: mask_any(v) for k, v in value.items()}
        return value

    def mask_actor(values: Mapping[str, Any]) -> dict[str, Any]:
        label = seen[values["key"]]
        return {**values, "key": label, "name": f"Actor {label}", "description": "", "tags": [],
                "type": privacy.BROAD_TYPE}

    def mask_row(sheet: str, values: Mapping[str, Any] | None, row: Any) -> Any:
        if not values:
            return values
        if sheet == "actors" and row in ever:
            return mask_actor(values)
        if sheet not in TABLES:
            out = dict(mask_any(values))
            inner = values.get("row")  # a comment keeps the row it was made on
            if isinstance(inner, Mapping) and values.get("sheet") == "actors" and inner.get("key") in seen:
                out["row"] = mask_actor(inner)
            elif isinstance(inner, Mapping) and values.get("sheet") in TABLES:
                out["row"] = mask_row(values["sheet"], inner, None)
            return out
        out = {}
        for col in TABLES[sheet].columns:
            value = values.get(col.name)
            if col.kind == "ref" and col.ref == "actors":
                out[col.name] = seen.get(value, value)
            else:
                out[col.name] = mask_any(value)
        return out

    shown = []
    for change in changes:
        row = life_of.get(change.id)
        shown.append(replace(change, entity_key=mask_key(change.entity_key),
                             before=mask_row(change.entity, change.before, row),
                             after=mask_row(change.entity, change.after, row)))
    return shown
