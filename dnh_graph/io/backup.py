"""The JSON backup (docs/file-formats.md): every table of one or more analyses, restorable exactly.

Format (``format_version`` 1)::

    {"format_version": 1, "generator": "dnh-graph", "generator_version": "0.1.0",
     "analyses": [{"analysis": {"key": "demo", "name": "...", "start_date": "2024-01-31", ...},
                   "actors": [{"key": "A1", ..., "sensitive": false, "tags": ["youth", "fishers"]}],
                   "relationships": [...], ... every table of TABLES, possibly empty ...}]}

Each row holds the columns of docs/file-formats.md (numbers and booleans as JSON numbers and booleans, dates as
ISO ``YYYY-MM-DD`` strings or null, tags as a list of strings); database ids and versions are not
written. ``restore(backup(x)) == x``: :func:`backup_from_dict` runs every row through
:func:`~dnh_graph.model.validate_analysis`, like any other import.

Problem locations: ``sheet`` is the table name (``actors``), prefixed with the analysis key when the
backup holds several analyses (``demo/actors``, or ``#2/actors`` if the key itself is unreadable);
``row`` is the 1-based position in that list (the ``analysis`` object is row 1); ``column`` is the
field. Problems with the file as a whole use the file name (or ``backup``) as ``sheet``.

A newer ``format_version`` is refused with a sentence asking to upgrade, never half-read; a backup
without any analysis (``"analyses": []``) is refused as holding nothing to restore; JSON nested too
deeply for the parser is refused with a sentence.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any, BinaryIO

from dnh_graph import __version__
from dnh_graph.io import guards
from dnh_graph.model import CHILD_TABLES, TABLES, Analysis, InvalidInput, Problem, validate_analysis

__all__ = [
    "FORMAT_VERSION",
    "backup_to_dict",
    "backup_from_dict",
    "backup_to_json",
    "backup_from_json",
    "write_backup",
    "read_backup",
]

FORMAT_VERSION = 1
GENERATOR = "dnh-graph"
_SURROGATE = re.compile("[\ud800-\udfff]")


# ----------------------------------------------------------------------------------------- writing
def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _row(record: Any, table: str) -> dict[str, Any]:
    return {c.name: _json_value(getattr(record, c.name)) for c in TABLES[table].columns}


def backup_to_dict(analyses: list[Analysis]) -> dict[str, Any]:
    """The backup of ``analyses`` as plain JSON-ready data.

    Examples
    --------
    >>> from dnh_graph.model import Analysis, AnalysisInfo
    >>> backup = backup_to_dict([Analysis(AnalysisInfo("demo", "Demo"))])
    >>> backup["format_version"], backup["analyses"][0]["analysis"]["name"]
    (1, 'Demo')
    >>> backup_from_dict(backup) == [Analysis(AnalysisInfo("demo", "Demo"))]
    True
    """
    return {
        "format_version": FORMAT_VERSION,
        "generator": GENERATOR,
        "generator_version": __version__,
        "analyses": [
            {"analysis": _row(a.info, "analysis"),
             **{table: [_row(r, table) for r in a.rows(table)] for table in CHILD_TABLES}}
            for a in analyses
        ],
    }


def backup_to_json(analyses: list[Analysis]) -> str:
    """The backup as JSON text (UTF-8 characters kept readable, two-space indent)."""
    return json.dumps(backup_to_dict(analyses), ensure_ascii=False, indent=2) + "\n"


def write_backup(analyses: list[Analysis], path: str | Path | BinaryIO) -> None:
    """Write the backup of ``analyses`` as a UTF-8 JSON file (a path or a binary file object)."""
    data = backup_to_json(analyses).encode("utf-8")
    if hasattr(path, "write"):
        path.write(data)
    else:
        Path(path).write_bytes(data)


# ----------------------------------------------------------------------------------------- reading
def _check_version(d: Any, name: str) -> None:
    if not isinstance(d, dict) or ("analyses" not in d and "format_version" not in d):
        raise guards.refuse(name, "refusal.backup_not_object")
    version = d.get("format_version")
    if version is None:
        raise guards.refuse(name, "refusal.backup_no_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise guards.refuse(name, "refusal.backup_version_not_int", version=repr(version))
    if version > FORMAT_VERSION:
        raise guards.refuse(name, "refusal.backup_newer", version=version, reads=FORMAT_VERSION)
    if version < 1:
        raise guards.refuse(name, "refusal.backup_unknown_version", version=version)
    if not isinstance(d.get("analyses"), list):
        raise guards.refuse(name, "refusal.backup_no_analyses")
    if not d["analyses"]:
        raise guards.refuse(name, "refusal.backup_empty_list")


def _value_problem(column: str, value: Any, kind: str) -> str | None:
    if isinstance(value, dict) or (isinstance(value, list) and kind != "tags"):
        return "must be a single value, not a JSON object or list."
    values = value if isinstance(value, list) else [value]
    if any(isinstance(v, str) and _SURROGATE.search(v) for v in values):
        return "holds an invalid character (an unpaired UTF-16 surrogate)."
    if kind == "tags" and isinstance(value, list) and not all(isinstance(v, str) for v in value):
        return "must be a list of strings."
    return None


def _raw_rows(label: str, table: str, rows: Any, problems: list[Problem]):
    """The rows of one table as (position, {column: value}), checking their JSON shapes."""
    sheet = label + table
    if not isinstance(rows, list):
        problems.append(Problem(sheet, None, None, "problem.backup_not_list"))
        return []
    if len(rows) > guards.max_rows():
        problems.append(guards.too_many_rows(sheet, "list"))
        return []
    spec = TABLES[table]
    raw_rows = []
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(Problem(sheet, position, None, "problem.backup_row_not_object"))
            continue
        raw = {}
        for col in spec.columns:  # only known columns: an "id" or "version" in the file is ignored
            if col.name in row:
                message = _value_problem(col.name, row[col.name], col.kind)
                if message:
                    problems.append(Problem(sheet, position, col.name, message))
                else:
                    raw[col.name] = row[col.name]
        raw_rows.append((position, raw))
    return raw_rows


def backup_from_dict(d: Any, *, name: str = "backup") -> list[Analysis]:
    """Restore the analyses of a backup made by :func:`backup_to_dict` (or read from JSON).

    Raises :class:`~dnh_graph.model.InvalidInput` listing every problem (locations: see the module doc).
    """
    _check_version(d, name)
    entries = d["analyses"]
    several = len(entries) > 1
    problems: list[Problem] = []
    restored: list[Analysis] = []
    first_position: dict[str, int] = {}
    for n, entry in enumerate(entries, start=1):
        header = entry.get("analysis") if isinstance(entry, dict) else None
        key = header.get("key") if isinstance(header, dict) else None
        label = ""
        if several:
            label = f"{key.strip()}/" if isinstance(key, str) and key.strip() else f"#{n}/"
        if not isinstance(header, dict):
            problems.append(Problem(f"{label}analysis", n, None, "problem.backup_entry_needs_analysis"))
            continue
        entry_problems: list[Problem] = []
        raw = {"analysis": _raw_rows(label, "analysis", [header], entry_problems)}
        for table in CHILD_TABLES:
            raw[table] = _raw_rows(label, table, entry.get(table, []), entry_problems)
        if entry_problems:
            problems.extend(entry_problems)
            continue
        analysis, row_problems = validate_analysis(raw)
        if row_problems:
            problems.extend(dataclasses.replace(p, sheet=label + p.sheet) for p in row_problems)
            continue
        if analysis.key in first_position:
            problems.append(Problem.of(f"{label}analysis", 1, "key", "problem.backup_duplicate_key",
                                       key=analysis.key, first=first_position[analysis.key]))
            continue
        first_position[analysis.key] = n
        restored.append(analysis)
    if problems:
        raise InvalidInput(problems)
    return restored


def backup_from_json(text: str, *, name: str = "backup") -> list[Analysis]:
    """Restore the analyses of a backup given as JSON text."""
    try:
        d = json.loads(text)
    except json.JSONDecodeError as error:
        raise guards.refuse(name, "refusal.json_at", line=error.lineno, col=error.colno,
                            error=error.msg) from None
    except RecursionError:
        raise guards.refuse(name, "refusal.backup_too_deep") from None
    except ValueError:
        raise guards.refuse(name, "refusal.json") from None
    return backup_from_dict(d, name=name)


def read_backup(path: str | Path | bytes | BinaryIO, *, name: str | None = None) -> list[Analysis]:
    """Read a JSON backup file (a path, its bytes or a binary file object) under the upload size limit."""
    name = name or guards.source_name(path, "backup")
    data = guards.read_limited(path, name)
    if not data.strip():
        raise guards.refuse(name, "refusal.backup_empty_file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise guards.refuse(name, "refusal.backup_not_utf8") from None
    return backup_from_json(text, name=name)
