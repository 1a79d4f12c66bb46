"""Paper and back: printable worksheets for the seven steps, blank or filled, and the workbook to type them in.

Groups without laptops work on paper. Each step's worksheet is one self-contained HTML page (no
script, no font or style from anywhere else: print it from the browser) with the step's purpose, the
questions to ask, and a table whose columns are exactly those of the import sheet the step fills
(docs/file-formats.md: ``actors``, ``factors``, ``details``, ``impacts``, ``options``), in the same order and
under the same names. What a group wrote is typed back into the workbook of :func:`workbook` (the
app's own xlsx format: a blank analysis, or the filled one) and imported with the usual importer, so
paper never needs a format of its own.

Examples
--------
>>> from dnh_graph.model import Analysis, AnalysisInfo
>>> page = worksheet_html(Analysis(AnalysisInfo("k", "Kampot <fisheries>")), 2, filled=False)
>>> page.count("<th>"), "<th>kind<small>" in page, "Kampot &lt;fisheries&gt;" in page
(7, True, True)
"""

from __future__ import annotations

import io
from dataclasses import replace

from dnh_graph import vocab, workshop
from dnh_graph.i18n import translate
from dnh_graph.io.workbook import write_workbook
from dnh_graph.model import TABLES, Analysis, record_to_row
from dnh_graph.render import styles
from dnh_graph.render.report import _environment

__all__ = ["SHEET_OF_STEP", "BLANK_ROWS", "worksheet_html", "workbook", "blank_analysis"]

BLANK_ROWS = 12  # lines to write on, per printed sheet
# The import sheet each step fills, and the cells its blank lines carry already (a divider sheet says
# "divider" on every line, so what is typed back lands in the right place).
SHEET_OF_STEP: dict[int, tuple[str, dict[str, str]]] = {
    1: ("actors", {}),
    2: ("factors", {"kind": "divider"}),
    3: ("factors", {"kind": "connector"}),
    4: ("details", {}),
    5: ("impacts", {}),
    6: ("options", {}),
    7: ("options", {}),
}


def _rows(analysis: Analysis, number: int) -> list[list[str]]:
    sheet, fixed = SHEET_OF_STEP[number]
    columns = [c.name for c in TABLES[sheet].columns]
    records = analysis.rows(sheet)
    if "kind" in fixed:
        records = [r for r in records if r.kind == fixed["kind"]]
    out = []
    for record in records:
        row = record_to_row(record, sheet)
        out.append(["; ".join(v) if isinstance(v, (list, tuple)) else "" if v is None else str(v)
                    for v in (row[c] for c in columns)])
    return out


def worksheet_html(analysis: Analysis, number: int, filled: bool, lang: str = "en") -> str:
    """The printable worksheet of step ``number``: blank lines, or the rows the analysis holds."""
    step = workshop.step(number)
    sheet, fixed = SHEET_OF_STEP[step.number]
    columns = [c.name for c in TABLES[sheet].columns]
    t = lambda msgid, **params: translate(msgid, lang, **params)  # noqa: E731 - the template's one way to words
    rows = _rows(analysis, step.number) if filled else []
    blank = [[fixed.get(c, "") for c in columns] for _ in range(max(BLANK_ROWS - len(rows), 3 if filled else 0))]
    # what may be written in a column of fixed values: the stored keys, as the importer reads them
    allowed = [(c.name, ", ".join(vocab.keys(c.vocabulary))) for c in TABLES[sheet].columns
               if c.kind == "enum" and c.vocabulary]
    allowed += [(c.name, f"{c.lo}–{c.hi}") for c in TABLES[sheet].columns if c.kind == "int" and c.lo is not None]
    return _environment().get_template("worksheet.html.j2").render(
        allowed=allowed, fonts=styles.font_faces_css(), preload=styles.font_preload_html(),
        font=styles.FONT_STACK, line_height=styles.LINE_HEIGHT,
        lang=lang, t=t, analysis=analysis.info, step=step, sheet=sheet, columns=columns,
        labels=[translate(f"col.{sheet}.{c}", lang, default=translate(f"col.{c}", lang, default=c)) for c in columns],
        rows=rows, blank=blank, filled=filled,
        questions=[t(q) for q in step.questions],
        groups=[(t(heading), [t(i) for i in items]) for heading, items in step.groups],
    )


def blank_analysis(analysis: Analysis) -> Analysis:
    """The analysis' header with no rows: the workbook a group types its paper sheets into."""
    return Analysis(info=replace(analysis.info, id=None, version=None))


def workbook(analysis: Analysis, filled: bool) -> bytes:
    """The xlsx to type worksheets back in: the app's import format, blank or with the analysis' rows."""
    buffer = io.BytesIO()
    write_workbook(analysis if filled else blank_analysis(analysis), buffer)
    return buffer.getvalue()
