"""Every export format of DESIGN §7 behind one call, for the CLI and the report page alike.

``pseudonymise`` is applied here, once, before any writer sees the analysis, so no format can forget
it (DESIGN §9).
"""

from __future__ import annotations

from pathlib import Path

from dnh_graph.model import Analysis
from dnh_graph.privacy import pseudonymise as make_pseudonymous

__all__ = ["FORMATS", "export"]

FORMATS = ("xlsx", "csv", "json")


def export(analysis: Analysis, fmt: str, out: Path, *, review: str | None = None, pseudonymise: bool = False,
           summary: bool = False) -> Path:
    """Write ``analysis`` as ``fmt`` to ``out`` (a folder for csv); returns the path written."""
    from dnh_graph import io

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if pseudonymise:
        analysis = make_pseudonymous(analysis)
    out = Path(out)
    if fmt == "xlsx":
        io.write_workbook(analysis, out)
    elif fmt == "csv":
        io.write_csv_folder(analysis, out)
    elif fmt == "json":
        io.write_backup([analysis], out)
    return out
