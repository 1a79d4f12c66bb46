"""Files in and out (docs/file-formats.md): the Excel workbook, the CSV folder and the JSON backup.

Everything works on the in-memory :class:`~dnh_graph.model.Analysis`; the store decides what to do
with it. Every reader validates through :func:`dnh_graph.model.validate_analysis` and raises
:class:`~dnh_graph.model.InvalidInput` listing every problem at once, so an import is all or nothing.
Imports pass the guards of :mod:`dnh_graph.io.guards` (size, zip bombs, XML entities, row cap), and
exports neutralise formula-like text (:mod:`dnh_graph.io.cells`).

Examples
--------
>>> import io
>>> from dnh_graph.model import Actor, Analysis, AnalysisInfo
>>> analysis = Analysis(AnalysisInfo("demo", "Demo"), actors=[Actor("A1", "+ Fishers' group")])
>>> buffer = io.BytesIO()
>>> write_workbook(analysis, buffer)
>>> read_workbook(buffer.getvalue()) == analysis == backup_from_dict(backup_to_dict([analysis]))[0]
True
"""

from dnh_graph.io.backup import (
    FORMAT_VERSION,
    backup_from_dict,
    backup_from_json,
    backup_to_dict,
    backup_to_json,
    read_backup,
    write_backup,
)
from dnh_graph.io.cells import neutralise, unneutralise
from dnh_graph.io.csvfolder import read_csv_folder, write_csv_folder
from dnh_graph.io.dispatch import read_any
from dnh_graph.io.workbook import read_workbook, write_workbook

__all__ = [
    "read_workbook",
    "write_workbook",
    "read_csv_folder",
    "write_csv_folder",
    "backup_to_dict",
    "backup_from_dict",
    "backup_to_json",
    "backup_from_json",
    "write_backup",
    "read_backup",
    "read_any",
    "FORMAT_VERSION",
    "neutralise",
    "unneutralise",
]
