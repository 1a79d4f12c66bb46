"""The CSV folder format (docs/file-formats.md): one ``<table>.csv`` per table, the same columns as the workbook.

Writing: all 13 files, UTF-8 with a byte-order mark (so that Excel opens Khmer text correctly),
comma-separated, ``\\r\\n`` line ends, fields quoted when needed; values as in the workbook (booleans
``true``/``false``, dates ``YYYY-MM-DD``, tags ``;``-joined) and the formula-injection rule of
:mod:`dnh_graph.io.cells` on text columns. Other files in the folder are left alone.

Reading: every cell is read as text by the :mod:`csv` module (``007`` stays ``007``). Files are matched
by name ignoring case; ``analysis.csv``, ``actors.csv`` and ``factors.csv`` are required, an absent
file means "none", other files are ignored; two files for one table (``actors.csv`` and ``ACTORS.csv``)
are refused before anything is read. A UTF-8 byte-order mark is accepted; text in another
encoding, an empty file or a file over the size or row limits is refused with a sentence naming the
file. A file whose header row has no comma but semicolons (or tabs) is read with that separator, as
Excel writes CSV in many locales. Problems are located as ``actors.csv, row 3, type``, counting rows
as a spreadsheet shows them (header = row 1, a line break inside a quoted cell does not start a row).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

from dnh_graph.io import guards
from dnh_graph.io.atomic import replaced_files
from dnh_graph.io.cells import export_text
from dnh_graph.io.sheets import Sheet, assemble
from dnh_graph.model import TABLES, Analysis, InvalidInput, Problem

__all__ = ["read_csv_folder", "write_csv_folder"]

_ENCODING = "utf-8-sig"  # writes a BOM; reads with or without one


def write_csv_folder(analysis: Analysis, path: str | Path) -> None:
    """Write ``analysis`` as one ``<table>.csv`` per table into the folder ``path`` (created if needed).

    All files are written to temporary files in the folder first and renamed over the old ones only
    once every one is complete (:mod:`dnh_graph.io.atomic`): a failure leaves the previous export as it
    was. New folders are private (0700), files 0600.
    """
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with replaced_files([folder / f"{table}.csv" for table in TABLES]) as temps:
        for (table, spec), tmp in zip(TABLES.items(), temps):
            with tmp.open("w", encoding=_ENCODING, newline="") as f:
                writer = csv.writer(f)
                writer.writerow(spec.column_names)
                for record in analysis.rows(table):
                    writer.writerow([export_text(col, getattr(record, col.name)) for col in spec.columns])


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    if "," not in first_line:
        for candidate in (";", "\t"):
            if candidate in first_line:
                return candidate
    return ","


def _read_file(table: str, path: Path) -> tuple[Sheet | None, list[Problem]]:
    return parse_csv(table, path.name, guards.read_limited(path, path.name))


def parse_csv(table: str, filename: str, data: bytes) -> tuple[Sheet | None, list[Problem]]:
    """One CSV file's bytes as a :class:`Sheet` of table ``table``, or the problems that stop it.

    Shared by the CSV folder reader and the one-table import of the screens.
    """
    try:
        text = data.decode(_ENCODING)
    except UnicodeDecodeError:
        return None, [Problem(table, None, None, "problem.csv_not_utf8")]
    if not text.strip():
        columns = ",".join(TABLES[table].column_names)
        return None, [Problem.of(table, None, None, "problem.csv_empty", columns=columns)]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    sheet = None
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if sheet is None:
                sheet = Sheet(table, cells)
            elif not sheet.add(number, cells):
                return None, [guards.too_many_rows(table, "file")]
    except csv.Error as error:
        return None, [Problem.of(table, number + 1, None, "problem.csv_invalid", error=str(error))]
    return sheet, []


def _relabel(problem: Problem) -> Problem:
    if problem.row is None and problem.msgid == "problem.sheet_missing":
        problem = dataclasses.replace(problem, msgid="problem.file_missing")
    return dataclasses.replace(problem, sheet=f"{problem.sheet}.csv" if problem.sheet in TABLES else problem.sheet)


def read_csv_folder(path: str | Path) -> Analysis:
    """Read one analysis from a folder of ``<table>.csv`` files.

    Raises :class:`~dnh_graph.model.InvalidInput` listing every problem, located as
    ``Problem("actors.csv", row, column, message)``.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise guards.refuse(folder.name or str(folder), "refusal.not_a_folder")
    try:
        found = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError as error:
        raise guards.refuse(folder.name or str(folder), "refusal.unreadable", error=error.strerror or error) from None
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for file in found:
        lower = file.name.lower()
        if lower in files and lower.removesuffix(".csv") in TABLES:
            # two spellings of one table (actors.csv, ACTORS.csv): reading either would be a guess
            problems.append(Problem.of(lower, None, None, "problem.csv_two_files", first=files[lower].name,
                                       second=file.name))
        files.setdefault(lower, file)
    if problems:
        raise InvalidInput(problems)
    sheets: dict[str, Sheet] = {}
    for table in TABLES:
        file = files.get(f"{table}.csv")
        if file is None:
            continue
        try:
            sheet, file_problems = _read_file(table, file)
        except InvalidInput as refused:  # too large
            file_problems, sheet = refused.problems, None
        problems.extend(file_problems)
        if sheet is not None:
            sheets[table] = sheet
    try:
        if problems:
            raise InvalidInput(problems)
        return assemble(sheets)
    except InvalidInput as invalid:
        raise InvalidInput([_relabel(p) for p in invalid.problems]) from None
