"""The Excel workbook: round trip, formula neutralising, and every kind of bad input, located."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from dnh_graph.io import read_workbook, write_workbook
from dnh_graph.model import TABLES, Actor, Analysis, AnalysisInfo, InvalidInput, Problem
from tests.io_helpers import (
    FORMULA_LIKE,
    make_workbook,
    minimal_sheets,
    rich_analysis,
    sheet_part,
    small_analysis,
    workbook_bytes,
    zip_parts,
)


def problems_of(data, **kwargs) -> list[Problem]:
    with pytest.raises(InvalidInput) as refused:
        read_workbook(data, **kwargs)
    return refused.value.problems


def located(problems):
    return {(p.sheet, p.row, p.column) for p in problems}


# ------------------------------------------------------------------------------------- round trips
def test_rich_analysis_round_trips_exactly():
    analysis = rich_analysis()
    assert read_workbook(workbook_bytes(analysis)) == analysis


def test_round_trip_through_a_path(tmp_path):
    analysis = rich_analysis()
    path = tmp_path / "tonle.xlsx"
    write_workbook(analysis, path)
    assert read_workbook(path) == analysis
    with path.open("rb") as f:
        assert read_workbook(f) == analysis


def test_every_sheet_is_written_in_table_order_with_its_header():
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(small_analysis())))
    assert wb.sheetnames == list(TABLES)
    for table, spec in TABLES.items():
        rows = list(wb[table].iter_rows(values_only=True))
        assert list(rows[0]) == list(spec.column_names)
    assert len(list(wb["impacts"].iter_rows())) == 1  # an empty table is just its header


def test_no_cell_is_ever_a_formula():
    data = workbook_bytes(rich_analysis())
    for name, content in zip_parts(data).items():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in content and b"<f " not in content, name
            assert b't="e"' not in content  # "#N/A" stays text, not an error cell


def test_formula_like_text_is_shown_with_a_leading_apostrophe():
    analysis = Analysis(AnalysisInfo("demo", "=HYPERLINK(\"http://evil\")"))
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(analysis)))
    assert wb["analysis"]["B2"].value == "'=HYPERLINK(\"http://evil\")"
    assert wb["analysis"]["B2"].data_type == "s"


def test_values_are_typed_cells():
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(rich_analysis())))
    actors = wb["actors"]
    assert actors["E2"].value == 4  # influence: a number
    assert actors["G2"].value == "false"  # sensitive
    assert actors["H2"].value == "ឃុំ;officials"  # tags
    assert wb["analysis"]["F2"].value == dt.datetime(2024, 2, 29)  # a real date
    assert wb["analysis"]["F2"].number_format == "yyyy-mm-dd"
    assert wb["reviews"]["B2"].value == "1899-12-31"  # before Excel's calendar: ISO text


def test_control_characters_are_escaped_and_come_back():
    for text in FORMULA_LIKE:
        analysis = Analysis(AnalysisInfo("k", text), actors=[Actor("A1", "x", description=text)])
        assert read_workbook(workbook_bytes(analysis)) == analysis


def test_text_too_long_for_an_excel_cell_once_escaped_is_refused():
    analysis = Analysis(AnalysisInfo("k", "x", context="\x01" * 5000))
    with pytest.raises(InvalidInput) as refused:
        workbook_bytes(analysis)
    assert located(refused.value.problems) == {("analysis", 2, "context")}
    assert "CSV or JSON" in str(refused.value)


# ------------------------------------------------------------------------------ reading by hand
def test_a_hand_made_minimal_workbook_reads():
    analysis = read_workbook(make_workbook(minimal_sheets()))
    assert analysis.key == "demo"
    assert [a.key for a in analysis.actors] == ["A1", "A2"]
    assert analysis.details == [] and analysis.reviews == []


def test_unknown_sheets_and_columns_are_ignored():
    sheets = minimal_sheets()
    sheets["notes"] = [["anything"], ["=1"]]
    sheets["actors"] = [["key", "name", "comment"], ["A1", "Council", "ignored"]]
    analysis = read_workbook(make_workbook(sheets))
    assert analysis.actors == [Actor("A1", "Council")]


def test_sheet_and_column_names_ignore_case_and_spaces():
    sheets = minimal_sheets()
    sheets["Reviews"] = [["Key", " Date ", "TITLE"], ["R1", "2024-01-02", "First"]]
    sheets["Analysis"] = [["KEY", "Name", "Start date"], ["demo", "Demo", "2024-01-01"]]
    del sheets["analysis"]
    analysis = read_workbook(make_workbook(sheets))
    assert analysis.reviews[0].date == dt.date(2024, 1, 2)
    assert analysis.info.start_date == dt.date(2024, 1, 1)


def test_fully_empty_rows_are_skipped_and_row_numbers_stay_as_shown():
    sheets = minimal_sheets()
    sheets["actors"] = [["key", "name", "type"], ["A1", "Council", "other"], [None, None, None], [],
                        ["A2", "Fishers", "pirate"]]
    problems = problems_of(make_workbook(sheets))
    assert located(problems) == {("actors", 5, "type")}


def test_excel_values_are_accepted():
    sheets = minimal_sheets()
    sheets["actors"] = [["key", "name", "influence", "sensitive", "tags"], [12, 3.0, 4.0, True, "a; b ;"]]
    sheets["reviews"] = [["key", "date"], ["R1", dt.datetime(2024, 3, 1)]]
    analysis = read_workbook(make_workbook(sheets))
    assert analysis.actors == [Actor("12", "3", influence=4, sensitive=True, tags=("a", "b"))]
    assert analysis.reviews[0].date == dt.date(2024, 3, 1)


def test_one_leading_apostrophe_is_removed_from_text_only():
    sheets = minimal_sheets()
    sheets["actors"] = [["key", "name", "type"], ["'A1", "''Council", "other"]]
    analysis = read_workbook(make_workbook(sheets))
    assert analysis.actors == [Actor("A1", "'Council")]


# ------------------------------------------------------------------------------- bad input, located
def test_every_problem_is_reported_at_once_with_its_location():
    sheets = minimal_sheets()
    sheets["actors"] = [["key", "name", "type", "influence"],
                        ["A1", "Council", "government", 3],
                        ["A1", "Again", "government", 3],        # row 3: duplicate key
                        ["A3", "Army", "soldiers", 1],           # row 4: bad enum
                        ["A4", "Police", "security_forces", 9]]  # row 5: out of range
    sheets["reviews"] = [["key", "date"], ["R1", "31/01/2024"]]  # row 2: bad date
    sheets["relationships"] = [["source", "target", "type"], ["A1", "A9", "conflict"]]  # unknown key
    problems = problems_of(make_workbook(sheets))
    assert located(problems) == {
        ("actors", 3, "key"),
        ("actors", 5, "influence"),
        ("actors", 4, "type"),
        ("relationships", 2, "target"),
        ("reviews", 2, "date"),
    }
    by_place = {(p.sheet, p.row, p.column): p.message for p in problems}
    assert "from 1 to 5" in by_place[("actors", 5, "influence")]
    assert "duplicate key 'A1' (also on row 2)" in by_place[("actors", 3, "key")]
    assert "YYYY-MM-DD" in by_place[("reviews", 2, "date")]
    assert "'A9' is not in the actors sheet" in by_place[("relationships", 2, "target")]


def test_missing_required_column_is_one_problem_on_the_header_row():
    sheets = minimal_sheets()
    sheets["actors"] = [["key", "type"], ["A1", "other"], ["A2", "other"]]
    problems = problems_of(make_workbook(sheets))
    assert located(problems) == {("actors", 1, "name")}
    assert "missing from the header row" in problems[0].message


def test_missing_key_column_does_not_blame_the_rows_that_refer_to_it():
    sheets = minimal_sheets()
    sheets["actors"] = [["name"], ["Council"]]
    sheets["relationships"] = [["source", "target", "type"], ["A1", "A2", "conflict"]]
    assert located(problems_of(make_workbook(sheets))) == {("actors", 1, "key")}


def test_missing_required_sheet():
    sheets = minimal_sheets()
    del sheets["factors"]
    problems = problems_of(make_workbook(sheets))
    assert located(problems) == {("factors", None, None)}
    assert "required" in problems[0].message


def test_empty_required_sheet_names_its_columns():
    sheets = minimal_sheets()
    sheets["factors"] = []
    problems = problems_of(make_workbook(sheets))
    assert located(problems) == {("factors", 1, None)}
    assert "key, kind, name, category" in problems[0].message


def test_analysis_sheet_needs_exactly_one_row():
    sheets = minimal_sheets()
    sheets["analysis"].append(["other", "Other"])
    assert located(problems_of(make_workbook(sheets))) == {("analysis", None, None)}


def test_two_sheets_for_one_table_are_refused():
    sheets = minimal_sheets()
    sheets[" Actors"] = sheets["actors"]
    problems = problems_of(make_workbook(sheets))
    assert located(problems) == {("actors", None, None)}


def test_empty_file_is_refused():
    problems = problems_of(b"", name="empty.xlsx")
    assert located(problems) == {("empty.xlsx", None, None)}
    assert "empty" in problems[0].message


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("key,name\nA1,Council\n")
    problems = problems_of(path)
    assert located(problems) == {("notes.xlsx", None, None)}
    assert problems[0].message == "is not an Excel workbook (.xlsx): save it from Excel as 'Excel Workbook'."


def test_an_old_xls_file_is_refused_with_advice():
    problems = problems_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, name="old.xls")
    assert "(.xlsx)" in problems[0].message


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "not an Excel workbook" in problems_of(buffer.getvalue())[0].message


def test_a_damaged_workbook_is_refused_cleanly():
    data = workbook_bytes(small_analysis())
    parts = zip_parts(data)
    parts[sheet_part(data, "actors")] = b"<worksheet><sheetData><row"  # truncated XML
    from tests.io_helpers import rezip

    problems = problems_of(rezip(parts), name="broken.xlsx")
    assert located(problems) == {("broken.xlsx", None, None)}
    assert "not a valid Excel workbook" in problems[0].message
