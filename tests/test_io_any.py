"""read_any: the right reader for a workbook, a CSV folder or a backup; a clear refusal otherwise."""

import pytest

from dnh_graph.io import read_any, write_backup, write_csv_folder, write_workbook
from dnh_graph.model import InvalidInput
from tests.io_helpers import rich_analysis, small_analysis


def refusal(path) -> str:
    with pytest.raises(InvalidInput) as refused:
        read_any(path)
    return str(refused.value)


def test_a_workbook(tmp_path):
    write_workbook(rich_analysis(), tmp_path / "a.XLSX")
    assert read_any(tmp_path / "a.XLSX") == [rich_analysis()]


def test_a_csv_folder(tmp_path):
    write_csv_folder(rich_analysis(), tmp_path / "csv")
    assert read_any(str(tmp_path / "csv")) == [rich_analysis()]


def test_a_backup_with_several_analyses(tmp_path):
    analyses = [rich_analysis("one"), small_analysis("two")]
    write_backup(analyses, tmp_path / "b.json")
    assert read_any(tmp_path / "b.json") == analyses


def test_another_kind_of_file_is_refused_saying_what_is_accepted(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK")
    message = refusal(tmp_path / "notes.docx")
    assert message.startswith("notes.docx: cannot be imported: give an Excel workbook (.xlsx), a folder")
    assert "(.json)" in message


def test_a_single_csv_file_asks_for_its_folder(tmp_path):
    (tmp_path / "actors.csv").write_text("key,name\n")
    assert "give the folder that holds it" in refusal(tmp_path / "actors.csv")


def test_an_old_xls_file_asks_for_xlsx(tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "(.xlsx)" in refusal(tmp_path / "old.xls")


def test_a_missing_path(tmp_path):
    assert refusal(tmp_path / "nowhere.xlsx") == "nowhere.xlsx: does not exist: check the path."
