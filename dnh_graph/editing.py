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

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dnh_graph.model import TABLES, Problem, parse_row
from dnh_graph.text import clip

__all__ = ["META_COLUMNS", "GridChanges", "grid_rows", "grid_frame", "clean_cell", "next_keys", "diff",
           "record_label"]

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


_NAMED_BY = {"actors": "name", "factors": "name", "details": "description", "options": "title", "reviews": "title"}


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


def _ident_text(ident: tuple) -> str:
    return "/".join(v.isoformat() if isinstance(v, dt.date) else str(v) for v in ident)


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
         taken_keys: Iterable[str] = ()) -> GridChanges:
    """Compare an edited grid with the records it was built from.

    ``grid``: the grid's rows in the order shown (``DataFrame.to_dict("records")``), with the hidden
    ``id``/``version`` columns. ``originals``: the records the grid was built from. ``fixed``: values
    every row takes whatever the grid says (the ``kind`` of a dividers grid). ``key_prefix``: a new row
    left without a key gets the next free ``<prefix><n>`` (``taken_keys``: keys of the same table that
    are not in this grid), so a workshop can type names and let the app number them.
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
    first_row: dict[tuple, int] = {}
    for number, grid_row in enumerate(grid, start=1):
        raw = {name: clean_cell(grid_row.get(name)) for name in names}
        row_id = _as_int(grid_row.get("id"))
        version = _as_int(grid_row.get("version"))
        if row_id is None and _blank(raw, names, defaults):
            continue
        if fresh is not None and row_id is None and _blank(raw, ["key"]):
            raw["key"] = next(fresh)
        raw.update(fixed)
        record, row_problems = parse_row(sheet, raw, number)
        if row_id is not None:
            seen_ids.add(row_id)
        if row_problems:
            problems.extend(row_problems)
            continue
        if spec.unique:
            ident = tuple(getattr(record, c) for c in spec.unique)
            if ident in first_row:
                what = "key" if spec.unique == ("key",) else "combination of " + ", ".join(spec.unique)
                problems.append(Problem(sheet, number, spec.unique[-1],
                                        f"duplicate {what} '{_ident_text(ident)}' (also on row {first_row[ident]})."))
                continue
            first_row[ident] = number
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
