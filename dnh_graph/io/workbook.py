"""The Excel workbook format (docs/file-formats.md): one sheet per table, header row first, references by key.

Writing: all 13 sheets in :data:`~dnh_graph.model.TABLES` order, each with its header row (an empty
table is just the header). Text cells are always written as text, never as formulas: text that starts
with ``= + - @``, a tab or a carriage return (or an apostrophe) gets a leading ``'`` (see
:mod:`dnh_graph.io.cells` for the rule and its inverse), and characters XML cannot hold are written
with the OOXML ``_xHHHH_`` escape. Numbers are numbers, booleans ``true``/``false``, tags
``;``-joined, dates real Excel dates shown ``yyyy-mm-dd`` (dates before 1900-03-01, which Excel cannot
show, are written as ISO text). Everything reads back identical.

Reading: the file passes the guards of :mod:`dnh_graph.io.guards` (size, unpacked size, zip bombs),
then openpyxl parses it in read-only mode through ``defusedxml`` (entity tricks such as "billion
laughs" or external entities are refused, checked when this module is imported). Sheets are matched
by name, ignoring case; only ``analysis``, ``actors`` and ``factors`` are required, an absent sheet
means "none", unknown sheets and columns are ignored, fully empty rows are skipped. Every problem is
reported at once as ``sheet, row, column: what is wrong``.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dnh_graph.io import guards
from dnh_graph.io.cells import TEXT_KINDS, export_text, ooxml_escape, ooxml_unescape
from dnh_graph.io.sheets import Sheet, assemble, header_name
from dnh_graph.model import TABLES, Analysis, InvalidInput, Problem

__all__ = ["read_workbook", "write_workbook"]

# openpyxl parses through defusedxml only when it is installed and not switched off with
# OPENPYXL_DEFUSEDXML=False. Without it a workbook could expand entities ("billion laughs"): refuse to run.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - depends on the environment
    raise ImportError("dnh_graph.io needs defusedxml (and OPENPYXL_DEFUSEDXML not set to False) so that "
                      "openpyxl refuses XML entity tricks in imported workbooks: pip install defusedxml")

EXCEL_CELL_LIMIT = 32_767  # characters in one cell; openpyxl would silently cut the rest
_FIRST_EXCEL_DATE = dt.date(1900, 3, 1)  # before it, Excel's 1900 calendar is off by a day or absent
_WIDTHS = {"key": 14, "ref": 14, "text": 40, "tags": 24, "enum": 20}


# ------------------------------------------------------------------------------------------ writing
def _cell_value(col, value: Any, table: str, row: int) -> tuple[Any, str | None]:
    """What a cell holds and its number format. Raises InvalidInput for text Excel cannot hold."""
    if isinstance(value, dt.date) and value >= _FIRST_EXCEL_DATE:
        return value, "yyyy-mm-dd"
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    text = export_text(col, value)
    if col.kind in TEXT_KINDS:
        text = ooxml_escape(text)
    if len(text) > EXCEL_CELL_LIMIT:
        raise InvalidInput([Problem.of(table, row, col.name, "problem.excel_cell_too_long", length=len(text),
                                       limit=EXCEL_CELL_LIMIT)])
    return text or None, None


def _cell(ws, value: Any, number_format: str | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, str):
        cell.data_type = "s"  # never a formula or an error code such as #N/A, whatever the text
    return cell


def write_workbook(analysis: Analysis, path: str | Path | BinaryIO) -> None:
    """Write ``analysis`` as an ``.xlsx`` workbook to ``path`` (a path or a binary file object).

    Raises :class:`~dnh_graph.model.InvalidInput`, before writing anything, for a text that does not
    fit in an Excel cell (32,767 characters once escaped).

    Examples
    --------
    >>> import io
    >>> from dnh_graph.model import Analysis, AnalysisInfo
    >>> buffer = io.BytesIO()
    >>> write_workbook(Analysis(AnalysisInfo("demo", "=Demo")), buffer)
    >>> read_workbook(buffer.getvalue()).info.name
    '=Demo'
    """
    # every value first: a refusal must not leave a half-written workbook behind
    tables = {
        table: [[_cell_value(col, getattr(record, col.name), table, row) for col in spec.columns]
                for row, record in enumerate(analysis.rows(table), start=2)]
        for table, spec in TABLES.items()
    }
    wb = openpyxl.Workbook(write_only=True)
    wb.properties.creator = "dnh-graph"
    bold = Font(bold=True)
    for table, spec in TABLES.items():
        ws = wb.create_sheet(table)
        ws.freeze_panes = "A2"
        header = []
        for i, col in enumerate(spec.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(col.kind, 12)
            cell = WriteOnlyCell(ws, col.name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for cells in tables[table]:
            ws.append([_cell(ws, value, number_format) for value, number_format in cells])
    wb.save(path)


# ------------------------------------------------------------------------------------------ reading
def _defused(error: BaseException) -> bool:
    """Whether defusedxml refused this (openpyxl wraps the original error)."""
    from defusedxml import DefusedXmlException

    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DefusedXmlException):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _unreadable(name: str, error: BaseException) -> InvalidInput:
    if _defused(error):
        return guards.refuse(name, "refusal.xlsx_entities")
    return guards.refuse(name, "refusal.xlsx_unreadable")


def _read_sheets(wb) -> dict[str, Sheet]:
    problems: list[Problem] = []
    found: dict[str, str] = {}  # table -> sheet title
    sheets: dict[str, Sheet] = {}
    for title in wb.sheetnames:
        table = header_name(title)
        if table not in TABLES:
            continue  # an unknown sheet (notes, a pivot table, ...) is none of our business
        if table in found:
            problems.append(Problem.of(table, None, None, "problem.two_sheets", first=found[table], second=title))
            continue
        found[table] = title
        ws = wb[title]
        if not hasattr(ws, "iter_rows"):
            problems.append(Problem(table, None, None, "problem.sheet_is_chart"))
            continue
        ws.reset_dimensions()  # do not trust the declared size of the sheet: read what is there
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(h is None or str(h).strip() == "" for h in header):
            columns = ", ".join(TABLES[table].column_names)
            problems.append(Problem.of(table, 1, None, "problem.sheet_empty", columns=columns))
            continue
        sheet = Sheet(table, header)
        width = sheet.width
        for number, cells in enumerate(ws.iter_rows(min_row=2, max_col=max(width, 1), values_only=True),
                                       start=2):
            if not sheet.add(number, cells, decode=ooxml_unescape):
                problems.append(guards.too_many_rows(table))
                break
        sheets[table] = sheet
    if problems:
        raise InvalidInput(problems)
    return sheets


def read_workbook(source: str | Path | bytes | BinaryIO, *, name: str | None = None) -> Analysis:
    """Read one analysis from an ``.xlsx`` workbook: a path, its bytes or a binary file object.

    ``name`` is the file name used in messages (default: the path's or the upload's name).
    Raises :class:`~dnh_graph.model.InvalidInput` listing every problem, each as
    ``Problem(sheet, row, column, message)`` with the row numbers Excel shows (header = row 1).
    """
    name = name or guards.source_name(source, "the workbook")
    data = guards.read_limited(source, name)
    guards.check_workbook_zip(data, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except Exception as error:  # a damaged file fails in many ways inside openpyxl: one message
            raise _unreadable(name, error) from None
        try:
            sheets = _read_sheets(wb)
        except InvalidInput:
            raise
        except Exception as error:
            raise _unreadable(name, error) from None
        finally:
            wb.close()
    return assemble(sheets)
