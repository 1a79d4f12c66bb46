"""The CSV folder: round trip, strict text reading, encodings, and bad input located by file."""

import datetime as dt

import pytest

from dnh_graph.io import read_csv_folder, write_csv_folder
from dnh_graph.model import TABLES, Actor, Analysis, AnalysisInfo, InvalidInput, Review
from tests.io_helpers import minimal_sheets, rich_analysis, small_analysis, write_csvs


def problems_of(folder):
    with pytest.raises(InvalidInput) as refused:
        read_csv_folder(folder)
    return refused.value.problems


def located(problems):
    return {(p.sheet, p.row, p.column) for p in problems}


def test_rich_analysis_round_trips_exactly(tmp_path):
    analysis = rich_analysis()
    write_csv_folder(analysis, tmp_path / "out")
    assert read_csv_folder(tmp_path / "out") == analysis


def test_one_file_per_table_with_header_and_bom(tmp_path):
    write_csv_folder(small_analysis(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    raw = (tmp_path / "impacts.csv").read_bytes()
    assert raw == b"\xef\xbb\xbf" + ",".join(TABLES["impacts"].column_names).encode() + b"\r\n"


def test_formula_like_text_is_neutralised_in_the_file(tmp_path):
    analysis = Analysis(AnalysisInfo("demo", "=HYPERLINK(\"http://evil\")", location="'quoted"),
                        actors=[Actor("-A1", "+1", tags=("@x", "y"))])
    write_csv_folder(analysis, tmp_path)
    text = (tmp_path / "analysis.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "''quoted" in text
    actors = (tmp_path / "actors.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert actors.startswith("'-A1,'+1,") and actors.endswith(",'@x;y")
    assert read_csv_folder(tmp_path) == analysis


def test_cells_are_read_as_text(tmp_path):
    sheets = minimal_sheets()
    sheets["actors"] = [["key", "name"], ["007", "1e5"]]
    assert read_csv_folder(write_csvs(tmp_path, sheets)).actors == [Actor("007", "1e5")]


def test_a_utf8_bom_is_accepted(tmp_path):
    write_csvs(tmp_path, minimal_sheets())
    path = tmp_path / "actors.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert [a.key for a in read_csv_folder(tmp_path).actors] == ["A1", "A2"]


def test_semicolon_separated_files_from_excel_are_read(tmp_path):
    write_csvs(tmp_path, minimal_sheets())
    (tmp_path / "actors.csv").write_text("key;name;tags\r\nA1;Council;\"a;b\"\r\n", encoding="utf-8")
    assert read_csv_folder(tmp_path).actors == [Actor("A1", "Council", tags=("a", "b"))]


def test_file_names_ignore_case_and_other_files_are_ignored(tmp_path):
    write_csvs(tmp_path, minimal_sheets())
    (tmp_path / "actors.csv").rename(tmp_path / "Actors.CSV")
    (tmp_path / "notes.txt").write_text("anything")
    (tmp_path / "extra.csv").write_bytes(b"\xff\xfe not even utf-8")
    assert len(read_csv_folder(tmp_path).actors) == 2


def test_rows_count_records_not_lines(tmp_path):
    sheets = minimal_sheets()
    sheets["reviews"] = [["key", "date", "events"], ["R1", "2024-01-01", "line 1\nline 2\r\nline 3"], [],
                         ["R2", "01/02/2024", ""]]
    problems = problems_of(write_csvs(tmp_path, sheets))
    assert located(problems) == {("reviews.csv", 4, "date")}


def test_every_error_is_located_by_file_row_and_column(tmp_path):
    sheets = minimal_sheets()
    sheets["actors"] = [["key", "name", "type", "influence", "sensitive"],
                        ["A1", "Council", "government", "3", "yes"],
                        ["A1", "Again", "other", "3", "no"],
                        ["A3", "Army", "soldiers", "6", "maybe"]]
    sheets["reviews"] = [["key", "date"], ["R1", "2024-02-30"]]
    sheets["factor_readings"] = [["review", "factor", "strength"], ["R1", "D9", "2"], ["R1", "D1", "-1"]]
    problems = problems_of(write_csvs(tmp_path, sheets))
    assert located(problems) == {
        ("actors.csv", 3, "key"),
        ("actors.csv", 4, "type"),
        ("actors.csv", 4, "influence"),
        ("actors.csv", 4, "sensitive"),
        ("reviews.csv", 2, "date"),
        ("factor_readings.csv", 2, "factor"),
        ("factor_readings.csv", 3, "strength"),
    }


def test_missing_required_column(tmp_path):
    sheets = minimal_sheets()
    sheets["factors"] = [["key", "kind", "name"], ["D1", "divider", "Land"]]
    problems = problems_of(write_csvs(tmp_path, sheets))
    assert located(problems) == {("factors.csv", 1, "category")}


def test_missing_required_file(tmp_path):
    sheets = minimal_sheets()
    del sheets["actors"]
    problems = problems_of(write_csvs(tmp_path, sheets))
    assert located(problems) == {("actors.csv", None, None)}
    assert problems[0].message == "this file is required but missing from the folder."


def test_empty_file_is_named(tmp_path):
    write_csvs(tmp_path, minimal_sheets())
    (tmp_path / "reviews.csv").write_bytes(b"")
    problems = problems_of(tmp_path)
    assert located(problems) == {("reviews.csv", None, None)}
    assert "is empty" in problems[0].message and "key,date,title,events" in problems[0].message


def test_non_utf8_file_is_refused_with_advice(tmp_path):
    write_csvs(tmp_path, minimal_sheets())
    (tmp_path / "actors.csv").write_bytes("key,name\nA1,Conseil général\n".encode("cp1252"))
    problems = problems_of(tmp_path)
    assert located(problems) == {("actors.csv", None, None)}
    assert str(problems[0]) == "actors.csv: is not UTF-8 text: in Excel use 'Save As' and choose 'CSV UTF-8'."


def test_utf16_from_excel_unicode_text_is_refused(tmp_path):
    write_csvs(tmp_path, minimal_sheets())
    (tmp_path / "factors.csv").write_bytes("key\tkind\n".encode("utf-16"))
    assert located(problems_of(tmp_path)) == {("factors.csv", None, None)}


def test_not_a_folder(tmp_path):
    (tmp_path / "actors.csv").write_text("key,name\n")
    problems = problems_of(tmp_path / "actors.csv")
    assert "is not a folder" in problems[0].message


def test_dates_and_booleans_as_written(tmp_path):
    analysis = Analysis(AnalysisInfo("demo", "Demo", start_date=dt.date(1, 1, 1)),
                        actors=[Actor("A1", "x", sensitive=True)],
                        reviews=[Review("R1", dt.date(9999, 12, 31))])
    write_csv_folder(analysis, tmp_path)
    assert "0001-01-01" in (tmp_path / "analysis.csv").read_text(encoding="utf-8-sig")
    assert ",true," in (tmp_path / "actors.csv").read_text(encoding="utf-8-sig")
    assert read_csv_folder(tmp_path) == analysis
