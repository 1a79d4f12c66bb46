"""From the rows of sheets (workbook sheets or CSV files) to one validated Analysis.

Both the workbook and the CSV reader hand each table over as a :class:`Sheet`: the header row and the
data rows with the row numbers a spreadsheet shows (header = row 1). Here the cells under known
columns are picked out (unknown columns are ignored), fully empty rows are skipped, the apostrophe rule
of :mod:`dnh_graph.io.cells` is undone on text columns, and everything is validated at once by
:func:`dnh_graph.model.validate_analysis`, so every format refuses the same things with the same words.

When a required column is missing from a header, the one header problem is reported and the echoes it
would cause (an "is empty" on every row, and "'A1' is not in the actors sheet" when the missing column
is ``key``) are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from dnh_graph.io import guards
from dnh_graph.io.cells import TEXT_KINDS, unneutralise
from dnh_graph.model import TABLES, Analysis, InvalidInput, Problem, check_columns, validate_analysis

__all__ = ["Sheet", "header_name", "assemble"]

_TABLE_ORDER = {name: i for i, name in enumerate(TABLES)}


def header_name(value: Any) -> str:
    """A header cell as a column name: ``' Start date '`` → ``start_date``."""
    if value is None:
        return ""
    return str(value).strip().lower().replace(" ", "_")


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


class Sheet:
    """The header and non-empty data rows of one table, as read from a file.

    ``add`` returns False once the sheet holds more than ``DNH_MAX_ROWS`` rows: the reader must stop.
    """

    def __init__(self, table: str, header: Iterable[Any]):
        self.table = table
        self.header = [header_name(h) for h in header]
        spec = TABLES[table]
        self.kinds = {c.name: c.kind for c in spec.columns}
        self.positions: dict[str, int] = {}  # column name -> index of its first occurrence
        for i, name in enumerate(self.header):
            if name in self.kinds and name not in self.positions:
                self.positions[name] = i
        self.rows: list[tuple[int, dict[str, Any]]] = []
        self.cap = guards.max_rows()
        self.over_cap = False

    @property
    def width(self) -> int:
        """How many columns to read: up to the last named one."""
        return max(self.positions.values(), default=-1) + 1

    def add(self, number: int, cells: Sequence[Any], decode: Callable[[str], str] | None = None) -> bool:
        raw: dict[str, Any] = {}
        for name, i in self.positions.items():
            value = cells[i] if i < len(cells) else None
            if isinstance(value, str):
                if decode is not None:
                    value = decode(value)
                if self.kinds[name] in TEXT_KINDS:
                    value = unneutralise(value)
            raw[name] = value
        if all(_is_empty(v) for v in raw.values()):
            return True
        if len(self.rows) >= self.cap:
            self.over_cap = True
            return False
        self.rows.append((number, raw))
        return True


def _echoes(problems: list[Problem], missing: Mapping[str, set[str]]) -> list[Problem]:
    """Problems that only repeat a missing-column problem of a header row."""
    hidden = {(table, column) for table, columns in missing.items() for column in columns}
    for table, columns in missing.items():
        if "key" in columns:
            for spec in TABLES.values():
                hidden.update((spec.name, c.name) for c in spec.columns if c.ref == table)
    return [p for p in problems if (p.sheet, p.column) not in hidden]


def _order(problem: Problem) -> tuple[int, int]:
    return _TABLE_ORDER.get(problem.sheet, -1), problem.row or 0


def assemble(sheets: Mapping[str, Sheet]) -> Analysis:
    """Validate the sheets as one analysis; raise :class:`InvalidInput` listing every problem."""
    problems: list[Problem] = []
    missing: dict[str, set[str]] = {}
    for table, sheet in sheets.items():
        spec = TABLES[table]
        problems.extend(check_columns(table, [h for h in sheet.header if h in sheet.kinds]))
        missing[table] = {c.name for c in spec.columns if c.required and c.name not in sheet.positions}
    analysis, row_problems = validate_analysis({table: sheet.rows for table, sheet in sheets.items()})
    problems.extend(_echoes(row_problems, missing))
    if problems:
        raise InvalidInput(sorted(problems, key=_order))
    return analysis
