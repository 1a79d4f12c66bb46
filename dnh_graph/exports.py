"""Every export format of docs/file-formats.md behind one call, for the CLI and the report and network pages alike.

``pseudonymise`` is applied here, once, before any writer sees the analysis, so no format can forget
it (README.md#privacy). The network formats (GEXF, GraphML, the standalone network page) are built by
:func:`dnh_graph.network.build_graph` from the analysis as stored, with ``pseudonymise`` passed on: it
applies the very same :func:`dnh_graph.privacy.pseudonymise`, and the graph then knows it is
pseudonymised (the network page says so in its caption).

A ``review`` that the analysis does not have is refused up front, whatever the format, with a sentence
that names the reviews it does have (the CLI turns it into exit 2).

Every export is written whole or not at all (:mod:`dnh_graph.io.atomic`): to a temporary file beside
the target, renamed over it only when complete, mode 0600. A failure (a full disk, a writer that
raises) leaves the file that was there before, often the team's only backup, untouched, and no
temporary file behind; a file system error is raised as :class:`ExportError` with a sentence.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dnh_graph import keys
from dnh_graph.io.atomic import replaced_file
from dnh_graph.model import Analysis
from dnh_graph.privacy import pseudonymise as make_pseudonymous
from dnh_graph.store import NotFoundError

__all__ = ["FORMATS", "NETWORK_FORMATS", "SUFFIXES", "MIME_TYPES", "ExportError", "export", "export_bytes",
           "file_name"]

NETWORK_FORMATS = ("gexf", "graphml", "network")
FORMATS = ("xlsx", "csv", "json", "html", *NETWORK_FORMATS)
# What a downloaded file is called and announced as (csv downloads as a zip of the folder).
SUFFIXES = {"xlsx": ".xlsx", "csv": "-csv.zip", "json": ".json", "html": ".html", "gexf": ".gexf",
            "graphml": ".graphml", "network": "-network.html"}
MIME_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "csv": "application/zip", "json": "application/json", "html": "text/html",
              "gexf": "application/xml", "graphml": "application/xml", "network": "text/html"}


class ExportError(OSError):
    """The file system refused the export (full disk, no such folder, no permission); nothing was replaced."""


def export(analysis: Analysis, fmt: str, out: Path, *, review: str | None = None, pseudonymise: bool = False,
           summary: bool = False, report_options: Mapping[str, Any] | None = None) -> Path:
    """Write ``analysis`` as ``fmt`` to ``out`` (a folder for csv); returns the path written.

    ``review``: the review the html report and the network formats speak for (None: the latest
    readings); an unknown review raises :class:`dnh_graph.store.NotFoundError`.
    ``report_options``: more keyword arguments of :func:`dnh_graph.render.report.report_html` for ``html``
    (``sections``, ``lang``, ``revision``, ``updated_at``); ``network`` takes its ``lang``; the other
    formats ignore them.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    _check_review(analysis, review)
    out = Path(out)
    try:
        if fmt == "csv":  # a folder: the writer replaces its files together (dnh_graph.io.csvfolder)
            _write(analysis, fmt, out, review=review, pseudonymise=pseudonymise, summary=summary,
                   report_options=report_options)
        else:
            with replaced_file(out) as tmp:
                _write(analysis, fmt, tmp, review=review, pseudonymise=pseudonymise, summary=summary,
                       report_options=report_options)
    except ExportError:
        raise
    except OSError as error:
        reason = error.strerror or str(error)
        raise ExportError(f"Could not write {out}: {reason}. Nothing was written; a file that was there "
                          "before is unchanged.") from error
    return out


def _write(analysis: Analysis, fmt: str, out: Path, *, review: str | None, pseudonymise: bool, summary: bool,
           report_options: Mapping[str, Any] | None) -> None:
    from dnh_graph import io

    if fmt in NETWORK_FORMATS:
        _write_network(analysis, fmt, out, review=review, pseudonymise=pseudonymise,
                       lang=dict(report_options or {}).get("lang", "en"))
        return
    if pseudonymise:
        analysis = make_pseudonymous(analysis)
    if fmt == "xlsx":
        io.write_workbook(analysis, out)
    elif fmt == "csv":
        io.write_csv_folder(analysis, out)
    elif fmt == "json":
        io.write_backup([analysis], out)
    elif fmt == "html":
        from dnh_graph.render.report import report_html

        html = report_html(analysis, summary=summary, review=review, pseudonymised=pseudonymise,
                           **dict(report_options or {}))
        out.write_text(html, encoding="utf-8")


def _check_review(analysis: Analysis, review: str | None) -> None:
    if review is None or any(r.key == review for r in analysis.reviews):
        return
    if not analysis.reviews:
        raise NotFoundError("notfound.review_none_yet", key=analysis.key, review=review)
    keys = ", ".join(r.key for r in sorted(analysis.reviews, key=lambda r: (r.date, r.key)))
    raise NotFoundError("notfound.review", key=analysis.key, review=review, reviews=keys)


def _write_network(analysis: Analysis, fmt: str, out: Path, *, review: str | None, pseudonymise: bool,
                   lang: str) -> Path:
    """The network as of ``review``: GEXF (with the layout as node positions), GraphML, or the page."""
    from dnh_graph import network
    from dnh_graph.network.readwrite import to_gexf, to_graphml

    # the analysis as stored: build_graph pseudonymises it with the same function, and marks the graph
    graph = network.build_graph(analysis, review, pseudonymise=pseudonymise)
    if fmt == "graphml":
        to_graphml(graph, out)
        return out
    # the layout of "now" (every review's nodes), as on the Network screen: files of two reviews agree
    now = graph if review is None else network.build_graph(analysis, None, pseudonymise=pseudonymise)
    positions = network.compute_layout(now)
    if fmt == "gexf":
        to_gexf(graph, out, positions=positions)
    else:
        from dnh_graph.render.network_html import network_html

        out.write_text(network_html(graph, lang=lang, height="85vh", positions=positions), encoding="utf-8")
    return out


def file_name(analysis: Analysis, fmt: str, *, pseudonymise: bool = False, summary: bool = False) -> str:
    """A safe download name such as ``hiv_support-pseudonymised-summary.html``."""
    stem = keys.slug(analysis.key)
    if pseudonymise:
        stem += "-pseudonymised"
    if summary and fmt == "html":
        stem += "-summary"
    return stem + SUFFIXES.get(fmt, "." + fmt)


def export_bytes(analysis: Analysis, fmt: str, *, review: str | None = None, pseudonymise: bool = False,
                 summary: bool = False, report_options: Mapping[str, Any] | None = None) -> tuple[bytes, str, str]:
    """:func:`export` for a download button: ``(data, file name, MIME type)``; csv comes as a zip.

    The file is written in a private temporary folder that is removed before returning.
    """
    with tempfile.TemporaryDirectory(prefix="dnh-export-") as tmp:
        out = Path(tmp) / ("csv" if fmt == "csv" else "export" + SUFFIXES.get(fmt, "." + fmt))
        export(analysis, fmt, out, review=review, pseudonymise=pseudonymise, summary=summary,
               report_options=report_options)
        if fmt == "csv":
            archive = Path(tmp) / "csv.zip"
            folder = file_name(analysis, fmt, pseudonymise=pseudonymise).removesuffix("-csv.zip")
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
                for path in sorted(out.iterdir()):
                    z.write(path, f"{folder}/{path.name}")
            out = archive
        data = out.read_bytes()
    return data, file_name(analysis, fmt, pseudonymise=pseudonymise, summary=summary), \
        MIME_TYPES.get(fmt, "application/octet-stream")
