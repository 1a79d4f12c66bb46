"""Limits every import goes through before any parser sees the data (README.md#privacy).

- :func:`read_limited`: a file larger than ``DNH_MAX_UPLOAD_MB`` is refused before it is read.
- :func:`check_workbook_zip`: an ``.xlsx`` is a zip; its declared unpacked sizes are summed (``zipfile``
  never inflates a member beyond its declared size) and compared with ``DNH_MAX_UNPACKED_MB``, and a
  member packed more tightly than :data:`MAX_RATIO` to 1 is refused (zip bomb), all before openpyxl
  parses anything.
- :func:`max_rows`: the most non-empty data rows accepted in one sheet, CSV file or backup list
  (``DNH_MAX_ROWS``); readers stop reading as soon as a sheet goes over it.

Settings are read when a check runs, so tests and the CLI can change them. Each refusal is an
:class:`~dnh_graph.model.InvalidInput` with a sentence that says what to do.

The size and row limits guard the app against what a browser sends it. They do not apply to a file a
person names on the command line on their own computer (``dnh import backup.json``, inside
:func:`own_file`): the app's own JSON backup of a 15,000-actor analysis is about 30 MB and may hold more
than 50,000 rows in one table, and it must restore with the default settings. The zip-bomb checks of
workbooks apply everywhere.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from dnh_graph import settings
from dnh_graph.model import InvalidInput, Problem

__all__ = [
    "MAX_RATIO",
    "MAX_MEMBERS",
    "source_name",
    "read_limited",
    "check_workbook_zip",
    "max_rows",
    "too_many_rows",
    "refuse",
    "own_file",
]

MB = 1024 * 1024
# deflate reaches ~1000:1 on a bomb; real workbooks are 5–30:1. Only members above 1 MB are judged,
# so a tiny, very regular part (styles, an empty sheet) never trips it.
MAX_RATIO = 100
_RATIO_FLOOR = MB
MAX_MEMBERS = 10_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx


_OWN_FILE: ContextVar[bool] = ContextVar("dnh_own_file", default=False)


@contextmanager
def own_file() -> Iterator[None]:
    """Read, within this block, a file the person named on the command line: no upload or row limit."""
    token = _OWN_FILE.set(True)
    try:
        yield
    finally:
        _OWN_FILE.reset(token)


def refuse(where: str, msgid: str, **params: Any) -> InvalidInput:
    """An InvalidInput with one problem about a whole file (no row, no column): a catalog id and its values."""
    return InvalidInput([Problem.of(where, None, None, msgid, **params)])


def source_name(source: Any, default: str) -> str:
    """The file name to show in messages: a path's name, an upload's ``.name``, else ``default``."""
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name or str(source)
    name = getattr(source, "name", None)
    if isinstance(name, str) and name:
        return Path(name).name
    return default


def _mb(nbytes: int) -> str:
    return f"{nbytes / MB:.1f} MB"


def read_limited(source: Any, name: str) -> bytes:
    """The bytes of ``source`` (path, bytes or binary file), refusing more than ``DNH_MAX_UPLOAD_MB``.

    A path's size is checked before it is opened; a file object is read at most one byte past the limit.
    Inside :func:`own_file` there is no limit.
    """
    limit_mb = settings.get("DNH_MAX_UPLOAD_MB")
    limit = sys.maxsize - 1 if _OWN_FILE.get() else limit_mb * MB
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            raise refuse(name, "refusal.no_such_path")
        if not path.is_file():
            raise refuse(name, "refusal.not_a_file")
        try:
            if path.stat().st_size > limit:
                raise refuse(name, "refusal.too_big_sized", size=_mb(path.stat().st_size), limit=limit_mb)
            with path.open("rb") as f:
                data = f.read() if _OWN_FILE.get() else f.read(limit + 1)
        except OSError as error:
            raise refuse(name, "refusal.unreadable", error=error.strerror or error) from None
    elif hasattr(source, "read"):
        data = source.read() if _OWN_FILE.get() else source.read(limit + 1)
        if isinstance(data, str):
            raise TypeError("open the file in binary mode ('rb')")
    else:
        raise TypeError(f"cannot read {type(source).__name__}: give a path, bytes or a binary file")
    if len(data) > limit:
        raise refuse(name, "refusal.too_big", limit=limit_mb)
    return data


def check_workbook_zip(data: bytes, name: str) -> None:
    """Refuse anything that is not a sane ``.xlsx`` zip, before a parser touches it."""
    if not data:
        raise refuse(name, "refusal.xlsx_empty")
    if data.startswith(_OLE_MAGIC):
        raise refuse(name, "refusal.xls_or_password")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise refuse(name, "refusal.not_xlsx") from None
    if len(infos) > MAX_MEMBERS:
        raise refuse(name, "refusal.zip_parts", parts=len(infos))
    limit_mb = settings.get("DNH_MAX_UNPACKED_MB")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limit_mb * MB:
        raise refuse(name, "refusal.zip_unpacked", size=_mb(unpacked), limit=limit_mb)
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refuse(name, "refusal.zip_ratio", ratio=MAX_RATIO, part=info.filename)
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise refuse(name, "refusal.not_xlsx")


def max_rows() -> int:
    return sys.maxsize if _OWN_FILE.get() else settings.get("DNH_MAX_ROWS")


def too_many_rows(sheet: str, what: str = "sheet") -> Problem:
    """``what``: "sheet", "file", "list" (a backup's table) or "map", the thing that holds too many rows."""
    return Problem.of(sheet, None, None, _TOO_MANY_ROWS[what], cap=max_rows())


_TOO_MANY_ROWS = {"sheet": "refusal.too_many_rows_sheet", "file": "refusal.too_many_rows_file",
                  "list": "refusal.too_many_rows_list", "map": "refusal.too_many_rows_map"}
