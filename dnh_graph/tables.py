"""One table in and out: the "Import / export this table" control of every screen (no streamlit here).

Export writes one sheet of the analysis as CSV (UTF-8 with a byte-order mark, so Excel shows Khmer
text) or as a one-sheet ``.xlsx``, with the columns of docs/file-formats.md and the formula-injection rule of
:mod:`dnh_graph.io.cells`. Import reads such a file back through the same guards as a whole-workbook
import (:mod:`dnh_graph.io.guards`: size cap, zip-bomb check, ``defusedxml``, row cap, CSV read as
text) and plans the save with :func:`plan_import`: each row is parsed with
:func:`dnh_graph.model.parse_row`; a row whose key (or, for link tables, whose identifying columns)
matches a saved row updates it, any other row is added, rows that are already saved unchanged are
skipped, and rows that are not in the file are kept. The store then saves everything in one
transaction, or nothing.

Examples
--------
>>> from dnh_graph.model import Actor, Analysis, AnalysisInfo
>>> a = Analysis(AnalysisInfo("x", "X"), actors=[Actor("A1", "=Council", id=1, version=1)])
>>> data = table_to_csv_bytes(a, "actors")
>>> rows = rows_from_upload("actors", "actors.csv", data)
>>> rows[0][0], rows[0][1]["name"]
(2, '=Council')
>>> plan = plan_import("actors", rows, a.actors)
>>> plan.upserts, plan.unchanged
([], 1)
"""

from __future__ import annotations

import csv
import dataclasses
import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dnh_graph.io import guards
from dnh_graph.io.cells import TEXT_KINDS, export_text, ooxml_escape, ooxml_unescape
from dnh_graph.io.csvfolder import parse_csv
from dnh_graph.io.sheets import Sheet, header_name
from dnh_graph.model import TABLES, Analysis, InvalidInput, Problem, Unique, check_columns, parse_row

__all__ = [
    "UPLOAD_TYPES",
    "ImportPlan",
    "table_to_csv_bytes",
    "table_to_xlsx_bytes",
    "rows_from_upload",
    "plan_import",
]

UPLOAD_TYPES = ("csv", "xlsx")
_ENCODING = "utf-8-sig"


# ------------------------------------------------------------------------------------------ export
def table_to_csv_bytes(analysis: Analysis, sheet: str) -> bytes:
    """One table as CSV bytes: header row first, cells as in the CSV folder format."""
    spec = TABLES[sheet]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(spec.column_names)
    for record in analysis.rows(sheet):
        writer.writerow([export_text(col, getattr(record, col.name)) for col in spec.columns])
    return buffer.getvalue().encode(_ENCODING)


def _xlsx_cell(ws, col, value: Any) -> WriteOnlyCell:
    if isinstance(value, int) and not isinstance(value, bool):
        return WriteOnlyCell(ws, value)
    text = export_text(col, value)  # dates as ISO text: the import reads them back exactly
    if col.kind in TEXT_KINDS:
        text = ooxml_escape(text)
    cell = WriteOnlyCell(ws, text or None)
    if text:
        cell.data_type = "s"  # never a formula, whatever the text
    return cell


def table_to_xlsx_bytes(analysis: Analysis, sheet: str) -> bytes:
    """One table as a one-sheet ``.xlsx`` workbook (the sheet is named after the table)."""
    spec = TABLES[sheet]
    wb = openpyxl.Workbook(write_only=True)
    wb.properties.creator = "dnh-graph"
    ws = wb.create_sheet(sheet)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in spec.column_names:
        cell = WriteOnlyCell(ws, name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for record in analysis.rows(sheet):
        ws.append([_xlsx_cell(ws, col, getattr(record, col.name)) for col in spec.columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------ import
def _csv_sheet(sheet: str, name: str, data: bytes) -> Sheet:
    found, problems = parse_csv(sheet, name, data)
    if problems:
        raise InvalidInput([dataclasses.replace(p, sheet=name) for p in problems])
    return found


def _xlsx_sheet(sheet: str, name: str, data: bytes) -> Sheet:
    guards.check_workbook_zip(data, name)
    unreadable = guards.refuse(name, "refusal.xlsx_unreadable")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except Exception:  # a damaged file fails in many ways inside openpyxl (defusedxml refusals too)
            raise unreadable from None
        try:
            titles = {header_name(t): t for t in wb.sheetnames}
            title = titles.get(sheet) or (wb.sheetnames[0] if len(wb.sheetnames) == 1 else None)
            if title is None:
                raise guards.refuse(name, "refusal.no_such_sheet", table=sheet)
            ws = wb[title]
            if not hasattr(ws, "iter_rows"):
                raise InvalidInput([Problem(name, None, title, "problem.sheet_is_chart")])
            ws.reset_dimensions()
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None or all(h is None or str(h).strip() == "" for h in header):
                columns = ", ".join(TABLES[sheet].column_names)
                raise guards.refuse(name, "problem.sheet_empty", columns=columns)
            found = Sheet(sheet, header)
            for number, cells in enumerate(
                    ws.iter_rows(min_row=2, max_col=max(found.width, 1), values_only=True), start=2):
                if not found.add(number, cells, decode=ooxml_unescape):
                    raise InvalidInput([guards.too_many_rows(name)])
        except InvalidInput:
            raise
        except Exception:
            raise unreadable from None
        finally:
            wb.close()
    return found


def rows_from_upload(sheet: str, filename: str, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The rows of an uploaded ``.csv`` or ``.xlsx`` holding one table, with their spreadsheet row numbers.

    Refuses (with :class:`~dnh_graph.model.InvalidInput`) a file over the upload limit, a CSV that is
    not UTF-8, a file that is not a workbook, more rows than the row cap, and a header row without the
    table's required columns. Fully empty rows are skipped; unknown columns are ignored.
    """
    name = Path(filename or "").name or "the file"
    data = guards.read_limited(data, name)
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix == "csv":
        found = _csv_sheet(sheet, name, data)
    elif suffix == "xlsx":
        found = _xlsx_sheet(sheet, name, data)
    else:
        raise guards.refuse(name, "refusal.not_csv_or_xlsx")
    problems = check_columns(sheet, [h for h in found.header if h in found.kinds])
    if problems:
        raise InvalidInput([dataclasses.replace(p, sheet=name) for p in problems])
    return found.rows


@dataclass(frozen=True)
class ImportPlan:
    """What importing a table file will do: records to add or update, and every problem found."""

    sheet: str
    upserts: list[Any] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the spreadsheet row of each upsert
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0

    @property
    def added(self) -> int:
        return sum(1 for r in self.upserts if r.id is None)

    @property
    def updated(self) -> int:
        return sum(1 for r in self.upserts if r.id is not None)

    def locate(self, problems: Iterable[Problem]) -> list[Problem]:
        """Store problems (row = position in ``upserts``) as spreadsheet rows."""
        located = []
        for p in problems:
            row = self.rows[p.row - 1] if p.row is not None and 1 <= p.row <= len(self.rows) else p.row
            located.append(dataclasses.replace(p, row=row))
        return located


def _identity(sheet: str) -> tuple[str, ...]:
    """The columns that say "this is the same row": the key, or a link table's unique columns."""
    return TABLES[sheet].unique


def plan_import(sheet: str, rows: Sequence[tuple[int, dict[str, Any]]], current: Iterable[Any]) -> ImportPlan:
    """Parse every row; match saved rows by key (or unique columns) to update them; add the others."""
    identity = _identity(sheet)
    saved = {tuple(getattr(r, c) for c in identity): r for r in current} if identity else {}
    upserts, numbers, problems = [], [], []
    unique = Unique(sheet)
    unchanged = 0
    for number, raw in rows:
        record, row_problems = parse_row(sheet, raw, number)
        if row_problems:
            problems.extend(row_problems)
            continue
        if identity:
            if (duplicate := unique.check(record, number)) is not None:
                problems.append(duplicate)
                continue
            ident = unique.ident(record)
            match = saved.get(ident)
            if match is not None:
                if match == record:
                    unchanged += 1
                    continue
                record = dataclasses.replace(record, id=match.id, version=match.version)
        upserts.append(record)
        numbers.append(number)
    return ImportPlan(sheet, upserts, numbers, problems, unchanged)
