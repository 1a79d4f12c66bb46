"""From an edited grid on a screen to the rows the store must save (no streamlit here).

A screen shows a table as a grid (``st.data_editor``): one row per record, the record's cells as
:func:`grid_frame` lays them out, plus the hidden ``id`` and ``version`` columns the store filled in.
When a person presses *Save*, :func:`diff` compares the grid with the records it was built from:

* a row without ``id`` is **new** (an empty new row is ignored: a person clicked "+" and typed nothing);
* a row with ``id`` whose values differ from its record is **changed** (it keeps the ``version`` it was
  read at, so the store refuses it if someone else changed the row meanwhile);
* a record whose ``id`` is no longer in the grid was **deleted**.

Every row is parsed with :func:`dnh_graph.model.parse_row`, so the grid refuses exactly what an import
refuses, and every problem names the row number a person sees in the grid (1 = first row). Duplicate
keys inside the grid are found here too, with both row numbers. Problems the store finds later
(a reference to a key that does not exist) carry the position in ``upserts``; :meth:`GridChanges.locate`
turns them back into grid rows.

Examples
--------
>>> from dnh_graph.model import Actor
>>> saved = [Actor("A1", "Council", id=7, version=1), Actor("A2", "Patrol", id=8, version=1)]
>>> grid = [{"key": "A1", "name": "Commune council", "id": 7, "version": 1},
...         {"key": "A3", "name": "Fishers", "influence": 9}]
>>> changes = diff("actors", grid, saved)
>>> [(r.key, r.id) for r in changes.upserts], [r.key for r in changes.deletes]
([('A1', 7)], ['A2'])
>>> [str(p) for p in changes.problems]
['actors, row 2, influence: must be a whole number from 1 to 5 (got 9).']
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dnh_graph import vocab
from dnh_graph.model import NAMED_BY, TABLES, Problem, Unique, parse_row
from dnh_graph.text import clip

__all__ = ["META_COLUMNS", "GridChanges", "grid_rows", "grid_frame", "clean_cell", "next_keys", "diff",
           "record_label", "display_rows", "display_frame", "ref_labels", "apply_edits", "Conflict",
           "find_conflicts", "rebase", "PastedRows", "paste_rows", "last_change"]

META_COLUMNS = ("id", "version")

# pandas dtypes that keep an empty grid typed (a NumberColumn needs numbers even with no row yet).
_DTYPES = {"int": "Int64", "bool": "boolean", "date": "object", "tags": "object"}


def clean_cell(value: Any) -> Any:
    """A grid cell as a plain Python value: NaN/NA/NaT become None, numpy scalars Python ones."""
    if value is None:
        return None
    if value is pd.NaT:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # lists and other non-scalars
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy int64 -> int, numpy bool_ -> bool
    return value


_NAMED_BY = NAMED_BY


def record_label(sheet: str, record: Any, limit: int = 40) -> str:
    """How a row is named in a dropdown or a table: its key and what it is called, cut to ``limit``.

    >>> from dnh_graph.model import Detail
    >>> record_label("details", Detail("X1", "what", "nets", "Nets for members of the association"), 24)
    'X1 · Nets for members o…'
    """
    text = getattr(record, _NAMED_BY[sheet], "") if sheet in _NAMED_BY else ""
    if sheet == "details" and not text:
        text = record.activity
    if sheet == "reviews" and not text:
        text = record.date.isoformat()
    text = f"{record.key} · {text}" if text else record.key
    return clip(text, limit)


def _as_int(value: Any) -> int | None:
    value = clean_cell(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _grid_value(kind: str, value: Any) -> Any:
    if kind == "tags":
        return "; ".join(value)
    if kind == "text":
        return value or ""
    return value


def grid_rows(sheet: str, records: Iterable[Any]) -> list[dict[str, Any]]:
    """Records as grid rows: one dict per record, tags joined with ``; ``, plus ``id`` and ``version``."""
    columns = TABLES[sheet].columns
    rows = []
    for record in records:
        row = {c.name: _grid_value(c.kind, getattr(record, c.name)) for c in columns}
        row["id"] = record.id
        row["version"] = record.version
        rows.append(row)
    return rows


def grid_frame(sheet: str, records: Iterable[Any], drop: Sequence[str] = (),
               extra: Mapping[str, Sequence[Any]] | None = None) -> pd.DataFrame:
    """The DataFrame a grid edits: typed columns even when empty, ``id``/``version`` last.

    ``drop``: columns the screen fixes itself (the ``kind`` of a dividers grid). ``extra``: read-only
    columns shown beside the data (one value per record), ignored by :func:`diff`.
    """
    spec = TABLES[sheet]
    rows = grid_rows(sheet, records)
    names = [c.name for c in spec.columns if c.name not in drop]
    frame = pd.DataFrame(rows, columns=[*spec.column_names, *META_COLUMNS])
    frame = frame[[*names, *META_COLUMNS]]
    for col in spec.columns:
        if col.name in drop:
            continue
        dtype = _DTYPES.get(col.kind, "str")
        frame[col.name] = frame[col.name].astype(dtype)
    for meta in META_COLUMNS:
        frame[meta] = frame[meta].astype("Int64")
    for name, values in (extra or {}).items():
        frame.insert(len(names), name, pd.Series(list(values), dtype="str"))
        names.append(name)
    return frame


@dataclass(frozen=True)
class GridChanges:
    """What a save must do: records to insert or update, records to delete, and every problem found."""

    sheet: str
    upserts: list[Any] = field(default_factory=list)
    deletes: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the grid row of each upsert

    @property
    def empty(self) -> bool:
        """True when there is nothing to save (and nothing wrong)."""
        return not (self.upserts or self.deletes or self.problems)

    @property
    def inserted(self) -> list[Any]:
        return [r for r in self.upserts if r.id is None]

    @property
    def updated(self) -> list[Any]:
        return [r for r in self.upserts if r.id is not None]

    def locate(self, problems: Iterable[Problem]) -> list[Problem]:
        """Problems whose ``row`` is a position in ``upserts`` (as the store reports them), in grid rows."""
        located = []
        for p in problems:
            row = p.row
            if row is not None and 1 <= row <= len(self.rows):
                row = self.rows[row - 1]
            located.append(dataclasses.replace(p, row=row))
        return located


def _defaults(sheet: str) -> dict[str, Any]:
    """The values a new grid row starts with (the record's defaults): a row holding only these is blank."""
    fields = TABLES[sheet].record.__dataclass_fields__
    return {name: f.default for name, f in fields.items() if f.default is not dataclasses.MISSING}


def _blank(raw: Mapping[str, Any], names: Iterable[str], defaults: Mapping[str, Any] | None = None) -> bool:
    defaults = defaults or {}
    for name in names:
        value = raw.get(name)
        if value is None or value is False:  # an untouched checkbox of a new row is False
            continue
        if name in defaults and value == defaults[name]:
            continue
        if isinstance(value, str) and not value.strip():
            continue
        if isinstance(value, float) and math.isnan(value):
            continue
        return False
    return True


def next_keys(prefix: str, taken: Iterable[str]):
    """Fresh keys ``A4``, ``A5``, ... after the highest ``A<n>`` already taken.

    >>> gen = next_keys("A", ["A1", "A3", "B9", "Axe"])
    >>> next(gen), next(gen)
    ('A4', 'A5')
    """
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    numbers = [int(m.group(1)) for k in taken if k and (m := pattern.match(str(k)))]
    n = max(numbers, default=0)
    while True:
        n += 1
        yield f"{prefix}{n}"


def diff(sheet: str, grid: Iterable[Mapping[str, Any]], originals: Iterable[Any],
         fixed: Mapping[str, Any] | None = None, key_prefix: str | None = None,
         taken_keys: Iterable[str] = (), *, lang: str | None = None,
         refs: Mapping[str, Mapping[str, str | None]] | None = None) -> GridChanges:
    """Compare an edited grid with the records it was built from.

    ``grid``: the grid's rows in the order shown (``DataFrame.to_dict("records")``), with the hidden
    ``id``/``version`` columns. ``originals``: the records the grid was built from. ``fixed``: values
    every row takes whatever the grid says (the ``kind`` of a dividers grid). ``key_prefix``: a new row
    left without a key gets the next free ``<prefix><n>`` (``taken_keys``: keys of the same table that
    are not in this grid), so a workshop can type names and let the app number them. ``lang`` and
    ``refs``: as :func:`dnh_graph.model.parse_row` (labels of the interface language, references typed
    by key or name); a row without ``version`` is checked against the version of its original.
    """
    spec = TABLES[sheet]
    fixed = dict(fixed or {})
    names = [c.name for c in spec.columns if c.name not in fixed]
    originals = list(originals)
    grid = [dict(row) for row in grid]
    by_id = {r.id: r for r in originals}
    defaults = _defaults(sheet)
    fresh = None
    if key_prefix and spec.keyed:
        taken = {*taken_keys, *(r.key for r in originals), *(clean_cell(row.get("key")) for row in grid)}
        fresh = next_keys(key_prefix, [k for k in taken if k])
    seen_ids: set[int] = set()
    upserts: list[Any] = []
    rows: list[int] = []
    problems: list[Problem] = []
    unique = Unique(sheet)
    for number, grid_row in enumerate(grid, start=1):
        raw = {name: clean_cell(grid_row.get(name)) for name in names}
        row_id = _as_int(grid_row.get("id"))
        version = _as_int(grid_row.get("version"))
        if row_id is None and _blank(raw, names, _bool_defaults(sheet, defaults)):
            continue
        if fresh is not None and row_id is None and _blank(raw, ["key"]):
            raw["key"] = next(fresh)
        raw.update(fixed)
        record, row_problems = parse_row(sheet, raw, number, lang=lang, refs=refs)
        if row_id is not None:
            seen_ids.add(row_id)
        if row_problems:
            problems.extend(row_problems)
            continue
        if (duplicate := unique.check(record, number)) is not None:
            problems.append(duplicate)
            continue
        if row_id is not None:
            original = by_id.get(row_id)
            if version is None and original is not None:
                version = original.version
            record = dataclasses.replace(record, id=row_id, version=version)
            if original is not None and original == record:
                continue
        upserts.append(record)
        rows.append(number)
    deletes = [r for r in by_id.values() if r.id not in seen_ids]
    return GridChanges(sheet, upserts, deletes, problems, rows)


def _bool_defaults(sheet: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Only a checkbox left at its default marks a new row as untouched: any typed cell counts (issue 10:
    a row holding only ``type = Other`` is refused with a sentence, never dropped)."""
    kinds = {c.name: c.kind for c in TABLES[sheet].columns}
    return {name: value for name, value in defaults.items() if kinds.get(name) == "bool"}


# ------------------------------------------------------------------------- the grid as a person sees it
# Issue 10: the browser must not clamp, coerce or drop what a person types, so every grid cell but a
# checkbox is text: numbers, dates, choices (shown as their label) and references (shown as
# "A1 · Commune council"). The server parses it all with parse_row, which accepts the key, the English
# label or the label of the interface language, and a reference by key or by name.
def ref_labels(analysis: Any, sheet: str) -> dict[str, dict[str, str]]:
    """For each table the grid of ``sheet`` refers to: key -> how a cell shows it."""
    found = {}
    for col in TABLES[sheet].columns:
        if col.kind == "ref" and col.ref not in found:
            found[col.ref] = {r.key: record_label(col.ref, r, 60) for r in analysis.rows(col.ref)}
    return found


def _display(col: Any, value: Any, lang: str, refs: Mapping[str, Mapping[str, str]]) -> Any:
    if col.kind == "bool":
        return bool(value)
    if value is None or value == "" or value == ():
        return ""
    if col.kind == "enum":
        return vocab.label(col.vocabulary, value, lang)
    if col.kind == "ref":
        return refs.get(col.ref, {}).get(value, value)
    if col.kind == "tags":
        return "; ".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def display_rows(sheet: str, records: Iterable[Any], lang: str = "en",
                 refs: Mapping[str, Mapping[str, str]] | None = None, drop: Sequence[str] = (),
                 extra: Mapping[str, Sequence[Any]] | None = None) -> list[dict[str, Any]]:
    """Records as the cells of a grid: text everywhere but checkboxes, plus ``id``.

    >>> from dnh_graph.model import Actor
    >>> display_rows("actors", [Actor("A1", "Council", "community_group", influence=4, id=3)])[0]
    {'key': 'A1', 'name': 'Council', 'type': 'Community group', 'stance': 'Unknown', 'influence': '4', \
'description': '', 'sensitive': False, 'tags': '', 'id': 3}
    """
    refs = refs or {}
    columns = [c for c in TABLES[sheet].columns if c.name not in drop]
    rows = []
    for n, record in enumerate(records):
        row = {c.name: _display(c, getattr(record, c.name), lang, refs) for c in columns}
        for name, values in (extra or {}).items():
            row[name] = str(values[n])
        row["id"] = record.id
        rows.append(row)
    return rows


def display_frame(sheet: str, rows: Sequence[Mapping[str, Any]], drop: Sequence[str] = (),
                  extra: Sequence[str] = ()) -> pd.DataFrame:
    """The DataFrame a grid edits: text columns (object dtype), checkboxes, the hidden ``id`` last."""
    names = [c.name for c in TABLES[sheet].columns if c.name not in drop]
    kinds = {c.name: c.kind for c in TABLES[sheet].columns}
    data = {}
    for name in [*names, *extra]:  # column by column: three times faster than rows then astype
        values = [row.get(name) for row in rows]
        data[name] = pd.array(values, dtype="boolean") if kinds.get(name) == "bool" else \
            pd.Series(values, dtype="object")
    data["id"] = pd.array([row.get("id") for row in rows], dtype="Int64")
    return pd.DataFrame(data, columns=[*names, *extra, "id"])


def apply_edits(shown: Sequence[Mapping[str, Any]], state: Mapping[str, Any] | None,
                columns: Iterable[str]) -> list[dict[str, Any]]:
    """The rows a person sees: the rows given to ``st.data_editor`` with its edit state applied.

    ``state``: ``{"edited_rows": {position: {column: value}}, "added_rows": [...], "deleted_rows": [...]}``.
    Positions are those of ``shown``; added rows come last, without ``id``.

    >>> apply_edits([{"name": "a", "id": 1}, {"name": "b", "id": 2}],
    ...             {"edited_rows": {"1": {"name": "B"}}, "added_rows": [{"name": "c"}], "deleted_rows": [0]},
    ...             ["name"])
    [{'name': 'B', 'id': 2}, {'name': 'c', 'id': None}]
    """
    columns = set(columns)
    rows = [dict(r) for r in shown]
    state = state or {}
    added = [{**{k: v for k, v in dict(r).items() if k in columns}, "id": None}
             for r in state.get("added_rows") or []]
    for position, cells in (state.get("edited_rows") or {}).items():
        position = int(position)
        target = rows[position] if position < len(rows) else (
            added[position - len(rows)] if position - len(rows) < len(added) else None)
        if target is not None:
            target.update({k: v for k, v in cells.items() if k in columns})
    deleted = {int(p) for p in state.get("deleted_rows") or []}
    kept = [r for n, r in enumerate(rows) if n not in deleted]
    return kept + [r for r in added if {k: v for k, v in r.items() if k != "id"}]


@dataclass(frozen=True)
class Conflict:
    """A row this person changed (or deleted) that someone else changed or deleted since it was read."""

    row: int  # the grid row, 1 = first
    id: int
    name: str  # how the row is named ("A4", "A1>A2 conflict")
    current: Any  # the row as saved now, or None when it was deleted
    differences: list[tuple[str, Any, Any]]  # (column, yours, now) as the grid shows them


def find_conflicts(changes: GridChanges, current: Iterable[Any], lang: str = "en",
                   refs: Mapping[str, Mapping[str, str]] | None = None) -> list[Conflict]:
    """Updates and deletions whose row moved on since it was read (its version differs or it is gone).

    An update that already equals the saved row is no conflict (two people made the same change).
    """
    sheet = changes.sheet
    now = {r.id: r for r in current}
    columns = TABLES[sheet].columns
    found = []
    positions = dict(zip((id(r) for r in changes.upserts), changes.rows))
    for record in [*changes.updated, *changes.deletes]:
        saved = now.get(record.id)
        if saved is not None and saved.version == record.version:
            continue
        is_delete = any(record is d for d in changes.deletes)
        if saved is not None and not is_delete and saved == record:
            continue
        mine = None if is_delete else display_rows(sheet, [record], lang, refs)[0]
        theirs = display_rows(sheet, [saved], lang, refs)[0] if saved is not None else None
        differences = [(c.name, None if mine is None else mine[c.name], None if theirs is None else theirs[c.name])
                       for c in columns if mine is None or theirs is None or mine[c.name] != theirs[c.name]]
        found.append(Conflict(positions.get(id(record), 0), record.id, _name(sheet, record), saved, differences))
    return found


def _name(sheet: str, record: Any) -> str:
    spec = TABLES[sheet]
    if spec.keyed:
        return record.key
    refs = [str(getattr(record, c.name)) for c in spec.columns if c.kind == "ref"]
    return " → ".join(refs)


def last_change(entries: Iterable[Mapping[str, Any]], sheet: str, names: Iterable[str]) -> tuple[str, Any] | None:
    """(who, when) of the newest audit entry of a row (``entries``: the audit log, newest first)."""
    names = set(names)
    for entry in entries:
        if entry.get("entity") == sheet and entry.get("entity_key") in names:
            return entry.get("who") or "", entry.get("at")
    return None


def rebase(rows: Sequence[Mapping[str, Any]], base: Mapping[int, Mapping[str, Any]],
           current_rows: Sequence[Mapping[str, Any]], keep: Iterable[int] = ()) -> list[dict[str, Any]]:
    """A person's rows moved onto the rows saved now: rows they did not touch take the saved values.

    ``rows``: what the person sees (``id`` None for new rows); ``base``: each row as it was read, by id;
    ``current_rows``: the rows saved now, shown the same way. A row the person changed, deleted or that is
    listed in ``keep`` stays as the person has it (the save then checks it against its version); rows
    others added appear in their place; new rows stay last.

    >>> base = {1: {"name": "a", "id": 1}, 2: {"name": "b", "id": 2}}
    >>> mine = [{"name": "a", "id": 1}, {"name": "B", "id": 2}, {"name": "new", "id": None}]
    >>> now = [{"name": "a2", "id": 1}, {"name": "b", "id": 2}, {"name": "theirs", "id": 5}]
    >>> [r["name"] for r in rebase(mine, base, now)]
    ['a2', 'B', 'theirs', 'new']
    """
    keep = set(keep)
    by_id = {r["id"]: dict(r) for r in rows if r.get("id") is not None}
    touched = {i for i, r in by_id.items() if i in keep or base.get(i) != r}
    deleted = {i for i in base if i not in by_id}
    out = []
    placed = set()
    for saved in current_rows:
        i = saved["id"]
        if i in deleted:
            continue
        out.append(by_id[i] if i in touched else dict(saved))
        placed.add(i)
    out.extend(r for i, r in by_id.items() if i not in placed and i in touched)  # deleted by others, edited by me
    out.extend(dict(r) for r in rows if r.get("id") is None)
    return out


# ------------------------------------------------------------------------------------- the paste box
@dataclass(frozen=True)
class PastedRows:
    """Rows read from text copied out of a spreadsheet: the cells by column, and how they were mapped."""

    rows: list[dict[str, Any]]
    mapping: list[tuple[str, str | None]]  # (the pasted header or "column N", our column or None = ignored)
    header: bool


def _norm(text: Any) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text or "")).strip().lower()


def paste_rows(text: str, columns: Sequence[str], labels: Mapping[str, str] | None = None) -> PastedRows:
    """Tab-separated rows (a spreadsheet's clipboard), with or without a header row.

    ``columns``: the grid's editable columns in the order shown (used when there is no header row);
    ``labels``: each column's title as the grid shows it. A first row whose cells name columns (by
    name or title, in any case) is a header; other header cells are ignored and listed. Cells a
    spreadsheet quoted (holding tabs or line breaks) are read whole; empty lines are skipped.

    >>> pasted = paste_rows("Name\\tType\\nCouncil\\tCommunity group\\n", ["key", "name", "type"])
    >>> pasted.header, pasted.rows
    (True, [{'name': 'Council', 'type': 'Community group'}])
    >>> paste_rows("A9\\tPatrol", ["key", "name", "type"]).rows
    [{'key': 'A9', 'name': 'Patrol'}]
    """
    names = {}
    for column in columns:
        names[_norm(column)] = column
        if labels and labels.get(column):
            names.setdefault(_norm(labels[column]), column)
    lines = [cells for cells in csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")),
                                           delimiter="\t")
             if any(c.strip() for c in cells)]
    if not lines:
        return PastedRows([], [], False)
    first = [_norm(c) for c in lines[0]]
    matched = [c for c in first if c in names]
    header = bool(matched) and len(matched) * 2 >= len([c for c in first if c])
    if header:
        mapping = [(raw, names.get(_norm(raw))) for raw in lines[0]]
        body = lines[1:]
    else:
        width = max(len(cells) for cells in lines)
        mapping = [(f"{n + 1}", columns[n] if n < len(columns) else None) for n in range(width)]
        body = lines
    rows = []
    for cells in body:
        row = {}
        for (_, column), cell in zip(mapping, cells):
            if column is not None and cell.strip() != "":
                row[column] = cell
        if row:
            rows.append(row)
    return PastedRows(rows, mapping, header)
