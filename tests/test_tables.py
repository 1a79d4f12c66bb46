"""dnh_graph.tables: one table out as CSV/XLSX and back in, through the import guards."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from dnh_graph.model import Actor, Analysis, AnalysisInfo, Impact, InvalidInput
from dnh_graph.tables import plan_import, rows_from_upload, table_to_csv_bytes, table_to_xlsx_bytes
from tests.factories import HOSTILE, KHMER, rich_analysis


def stored(analysis: Analysis) -> Analysis:
    """Give every record an id and version, as the store does."""
    for table in analysis.counts():
        rows = analysis.rows(table)
        for n, record in enumerate(rows, start=1):
            object.__setattr__(record, "id", n)
            object.__setattr__(record, "version", 1)
    return analysis


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("sheet", ["actors", "relationships", "factors", "factor_actors", "details", "impacts",
                                   "options", "reviews"])
def test_export_then_import_changes_nothing(fmt, sheet):
    analysis = stored(rich_analysis())
    data = table_to_csv_bytes(analysis, sheet) if fmt == "csv" else table_to_xlsx_bytes(analysis, sheet)
    rows = rows_from_upload(sheet, f"{sheet}.{fmt}", data)
    assert [n for n, _ in rows] == list(range(2, 2 + len(analysis.rows(sheet))))
    plan = plan_import(sheet, rows, analysis.rows(sheet))
    assert plan.problems == []
    if sheet in ("relationships", "impacts"):  # no identity: every row is new again
        assert plan.added == len(analysis.rows(sheet))
    else:
        assert plan.upserts == [] and plan.unchanged == len(analysis.rows(sheet))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hostile_and_khmer_text_survive_exactly(fmt):
    analysis = stored(rich_analysis())
    data = table_to_csv_bytes(analysis, "actors") if fmt == "csv" else table_to_xlsx_bytes(analysis, "actors")
    rows = dict(rows_from_upload("actors", f"a.{fmt}", data))
    assert rows[2]["name"] == KHMER
    assert rows[3]["description"] == HOSTILE


def test_csv_export_neutralises_formulas_and_has_a_bom():
    analysis = Analysis(AnalysisInfo("x", "X"), actors=[Actor("A1", "=HYPERLINK(\"http://x\")", tags=("-a", "b"))])
    data = table_to_csv_bytes(analysis, "actors")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "key,name,type,stance,influence,description,sensitive,tags"
    assert "'=HYPERLINK" in text and "'-a;b" in text


def test_xlsx_export_is_one_sheet_of_text_cells():
    analysis = Analysis(AnalysisInfo("x", "X"), actors=[Actor("A1", "=1+1", influence=4)])
    wb = openpyxl.load_workbook(io.BytesIO(table_to_xlsx_bytes(analysis, "actors")))
    assert wb.sheetnames == ["actors"]
    ws = wb["actors"]
    assert ws["B2"].value == "'=1+1" and ws["B2"].data_type == "s"
    assert ws["E2"].value == 4


def test_import_updates_by_key_adds_new_rows_and_keeps_missing_ones():
    current = [Actor("A1", "Council", id=1, version=2), Actor("A2", "Patrol", id=2, version=1)]
    data = b"key,name,influence\nA1,Commune council,5\nA3,Fishers,\n"
    plan = plan_import("actors", rows_from_upload("actors", "actors.csv", data), current)
    assert [(r.key, r.id, r.version) for r in plan.upserts] == [("A1", 1, 2), ("A3", None, None)]
    assert (plan.added, plan.updated, plan.unchanged) == (1, 1, 0)
    assert plan.rows == [2, 3]


def test_import_matches_link_rows_by_their_unique_columns():
    from dnh_graph.model import FactorActor

    current = [FactorActor("D1", "A1", "drives", id=7, version=1)]
    data = b"factor,actor,role\nD1,A1,drives\nD1,A2,affected\n"
    plan = plan_import("factor_actors", rows_from_upload("factor_actors", "links.csv", data), current)
    assert plan.unchanged == 1 and plan.added == 1


def test_import_problems_carry_spreadsheet_rows():
    data = b"key,name,influence\nA1,,9\nA2,Patrol,2\nA2,Again,3\n"
    plan = plan_import("actors", rows_from_upload("actors", "actors.csv", data), [])
    assert [(p.row, p.column) for p in plan.problems] == [(2, "name"), (2, "influence"), (4, "key")]
    assert "row 3" in plan.problems[-1].message


def test_locate_maps_store_positions_to_file_rows():
    data = b"detail,factor,effect,magnitude,mechanism\n\nX1,D1,strengthens,2,resource_transfer\n" \
           b"X1,D9,weakens,1,staff_behaviour\n"
    rows = rows_from_upload("impacts", "impacts.csv", data)
    assert [n for n, _ in rows] == [3, 4]  # the blank line 2 is skipped, numbering is kept
    plan = plan_import("impacts", rows, [])
    assert plan.upserts[1] == Impact("X1", "D9", "weakens", 1, "staff_behaviour")
    from dnh_graph.model import Problem

    assert plan.locate([Problem("impacts", 2, "factor", "not there")])[0].row == 4


def test_semicolon_separated_csv_is_read():
    rows = rows_from_upload("actors", "actors.csv", "key;name\nA1;Council\n".encode("utf-8-sig"))
    assert rows == [(2, {"key": "A1", "name": "Council"})]


def test_xlsx_sheet_is_found_by_table_name_or_alone():
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    ws = wb.create_sheet("Actors")
    ws.append(["key", "name"])
    ws.append(["A1", "Council"])
    buffer = io.BytesIO()
    wb.save(buffer)
    assert rows_from_upload("actors", "book.xlsx", buffer.getvalue()) == [(2, {"key": "A1", "name": "Council"})]
    with pytest.raises(InvalidInput, match="no sheet named 'factors'"):
        rows_from_upload("factors", "book.xlsx", buffer.getvalue())


def refused(sheet, name, data) -> str:
    with pytest.raises(InvalidInput) as caught:
        rows_from_upload(sheet, name, data)
    return str(caught.value)


def test_refuses_missing_required_columns():
    assert "required column is missing" in refused("actors", "a.csv", b"key,type\nA1,donor\n")


def test_refuses_non_utf8_csv():
    assert "not UTF-8" in refused("actors", "a.csv", "key,name\nA1,Café\n".encode("latin-1"))


def test_refuses_empty_csv():
    assert "is empty" in refused("actors", "a.csv", b"  \n")


def test_refuses_what_is_not_a_workbook():
    assert "not an Excel workbook" in refused("actors", "a.xlsx", b"key,name\nA1,x\n")


def test_refuses_other_file_types():
    assert "neither a CSV file" in refused("actors", "a.json", b"{}")


def test_refuses_oversize_files(monkeypatch):
    monkeypatch.setenv("DNH_MAX_UPLOAD_MB", "1")
    assert "larger than the import limit" in refused("actors", "a.csv", b"key,name\n" + b"A1,x\n" * 300_000)


def test_refuses_too_many_rows(monkeypatch):
    monkeypatch.setenv("DNH_MAX_ROWS", "3")
    data = b"key,name\n" + b"".join(f"A{n},x\n".encode() for n in range(5))
    assert "more than 3 rows" in refused("actors", "a.csv", data)


def test_refuses_zip_bombs(monkeypatch):
    monkeypatch.setenv("DNH_MAX_UNPACKED_MB", "1")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * 3_000_000)
    assert "possible zip bomb" in refused("actors", "bomb.xlsx", buffer.getvalue())


def test_refuses_broken_csv_quotes():
    assert "not valid CSV" in refused("actors", "a.csv", b'key,name\nA1,"unclosed\n')
