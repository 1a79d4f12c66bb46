"""Import whatever a person points at: a workbook, a CSV folder or a JSON backup (``dnh import PATH``)."""

from __future__ import annotations

from pathlib import Path

from dnh_graph.io import guards
from dnh_graph.io.backup import read_backup
from dnh_graph.io.csvfolder import read_csv_folder
from dnh_graph.io.workbook import read_workbook
from dnh_graph.model import Analysis

__all__ = ["read_any", "ACCEPTED"]

ACCEPTED = ("an Excel workbook (.xlsx), a folder of CSV files (analysis.csv, actors.csv, factors.csv, ...) "
            "or a dnh-graph backup (.json)")


def read_any(path: str | Path) -> list[Analysis]:
    """The analyses in ``path``, by its kind: ``.xlsx`` → one, a folder → one, ``.json`` → all it holds.

    Raises :class:`~dnh_graph.model.InvalidInput` for anything else, saying what is accepted.
    """
    path = Path(path)
    name = path.name or str(path)
    if path.is_dir():
        return [read_csv_folder(path)]
    if not path.exists():
        raise guards.refuse(name, "refusal.no_such_path")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return [read_workbook(path)]
    if suffix == ".json":
        return read_backup(path)
    if suffix == ".csv":
        raise guards.refuse(name, "refusal.single_csv")
    if suffix == ".xls":
        raise guards.refuse(name, "refusal.xls")
    raise guards.refuse(name, "refusal.not_importable", accepted=ACCEPTED)
