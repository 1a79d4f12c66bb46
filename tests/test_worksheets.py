"""Paper and back (issue 14): printable worksheets per step, and typed-in worksheets import as they are."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnh_graph.io.workbook import read_workbook
from dnh_graph.model import TABLES, Analysis, AnalysisInfo
from dnh_graph.render import styles
from dnh_graph.store import Store
from dnh_graph.worksheets import BLANK_ROWS, SHEET_OF_STEP, workbook, worksheet_html
from tests.factories import rich_analysis

HOSTILE = "<img src=x onerror=alert(1)>"


def offline(page: str) -> str:
    """The page without the Khmer font it inlines (``data:`` URLs, once in its styles, once preloaded)."""
    assert page.count(styles.font_faces_css()) == 1 and page.count(styles.font_preload_html()) == 1
    return page.replace(styles.font_faces_css(), "").replace(styles.font_preload_html(), "")


def header(page: str) -> list[str]:
    return re.findall(r"<th>([a-z_]+)<small>", page)


@pytest.mark.parametrize("number", range(1, 8))
def test_each_step_prints_the_columns_of_its_import_sheet(number):
    a = rich_analysis()
    sheet, _ = SHEET_OF_STEP[number]
    for filled in (False, True):
        page = worksheet_html(a, number, filled)
        assert header(page) == [c.name for c in TABLES[sheet].columns]
        # printable offline: nothing loaded from anywhere, nothing run
        assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|<[a-z]+[^>]*\s(src|href)=", offline(page))
    blank = worksheet_html(a, number, False)
    assert blank.count("<tr>") == BLANK_ROWS + 1


def test_a_filled_worksheet_holds_the_rows_escaped():
    a = rich_analysis()
    a.factors[0] = a.factors[0].__class__(**{**a.factors[0].__dict__, "name": HOSTILE})
    page = offline(worksheet_html(a, 2, True))
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "C1" not in page  # a connector is not on the dividers' sheet
    assert "C1" in worksheet_html(a, 3, True)
    assert "Why are we here? The reasons and the mandate." in worksheet_html(a, 4, False)


def typed_in(blank: bytes, rows: dict[str, list[dict]]) -> bytes:
    """What a person does: open the blank workbook, type lines under the headers, save."""
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    for sheet, lines in rows.items():
        ws = wb[sheet]
        names = [c.value for c in ws[1]]
        for line in lines:
            ws.append([line.get(n) for n in names])
            for cell in ws[ws.max_row]:  # text typed as text: "=0" in a spreadsheet would be a formula
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_paper_typed_back_in_imports_with_the_usual_importer(store: Store):
    blank = workbook(Analysis(AnalysisInfo("paper", "From paper")), filled=False)
    data = typed_in(blank, {
        "actors": [{"key": "A1", "name": "Commune council", "type": "local_authority"}],
        "factors": [{"key": "D1", "kind": "divider", "name": "Land", "category": "experiences", "priority": 4},
                    {"key": "C1", "kind": "connector", "name": "Market", "category": "systems_institutions"}],
        "details": [{"key": "X1", "question": "what", "description": "Nets for members"}],
        "impacts": [{"detail": "X1", "factor": "D1", "effect": "strengthens", "magnitude": 2,
                     "mechanism": "resource_transfer"}],
        "options": [{"key": "O1", "detail": "X1", "title": "Nets for all", "status": "testing"}],
    })
    analysis = read_workbook(data, name="paper.xlsx")
    stored = store.import_analysis(analysis)
    assert [(f.key, f.kind, f.priority) for f in stored.factors] == [("D1", "divider", 4), ("C1", "connector", 3)]
    assert [(i.detail, i.factor, i.magnitude) for i in stored.impacts] == [("X1", "D1", 2)]
    assert stored.options[0].status == "testing"


def test_the_filled_workbook_gives_the_analysis_back():
    a = rich_analysis()
    back = read_workbook(workbook(a, filled=True))
    for sheet in ("actors", "factors", "details", "impacts", "options"):
        assert [r.__dict__ for r in back.rows(sheet)] == [r.__dict__ for r in a.rows(sheet)], sheet


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(names=st.lists(st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s and "\x00" not in s
                                                                 and not any(ord(c) < 32 for c in s)),
                      min_size=1, max_size=5))
def test_any_name_written_on_paper_comes_back_as_typed(names):
    blank = workbook(Analysis(AnalysisInfo("p", "P")), filled=False)
    lines = [{"key": f"D{n}", "kind": "divider", "name": name, "category": "experiences"}
             for n, name in enumerate(names, start=1)]
    back = read_workbook(typed_in(blank, {"factors": lines, "actors": [{"key": "A1", "name": "x"}]}))
    assert [f.name for f in back.factors] == names
    page = offline(worksheet_html(back, 2, True))
    assert page.count("<tr>") >= len(names) + 1


def test_a_blank_sheet_lists_the_values_the_importer_reads():
    page = worksheet_html(rich_analysis(), 4, False)
    assert "question: why, what, where, when, with_whom, by_whom, how" in page
    assert re.search(r"magnitude: \d–\d", worksheet_html(rich_analysis(), 5, False))
