"""Import guards (README.md#privacy): upload size, zip bombs, XML entity tricks, row cap."""

import io
import time
import zipfile

import openpyxl
import pytest

from dnh_graph.io import backup_from_dict, backup_to_dict, read_backup, read_csv_folder, read_workbook
from dnh_graph.io import workbook as workbook_module
from dnh_graph.model import Actor, Analysis, AnalysisInfo, InvalidInput
from tests.io_helpers import (
    make_workbook,
    minimal_sheets,
    rezip,
    sheet_part,
    small_analysis,
    workbook_bytes,
    write_csvs,
    zip_parts,
)

MB = 1024 * 1024


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(InvalidInput) as refused:
        call(*args, **kwargs)
    assert len(refused.value.problems) == 1
    return str(refused.value.problems[0])


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail if openpyxl is asked to parse anything: the guard must refuse first."""
    def forbidden(*args, **kwargs):
        raise AssertionError("openpyxl parsed a file the guards should have refused")

    monkeypatch.setattr(workbook_module.openpyxl, "load_workbook", forbidden)


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


# ------------------------------------------------------------------------------------------ size
def test_a_file_over_the_upload_limit_is_refused_before_reading(tmp_path, monkeypatch, no_parsing):
    monkeypatch.setenv("DNH_MAX_UPLOAD_MB", "1")
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"\0" * (MB + 1))
    message = refusal(read_workbook, path)
    assert message.startswith("big.xlsx: is 1.0 MB, which is larger than the import limit of 1 MB")
    assert "DNH_MAX_UPLOAD_MB" in message
    assert "larger than the import limit" in refusal(read_workbook, path.read_bytes())
    with path.open("rb") as f:
        assert "larger than the import limit" in refusal(read_workbook, f)


def test_the_size_limit_applies_to_csv_and_json(tmp_path, monkeypatch):
    monkeypatch.setenv("DNH_MAX_UPLOAD_MB", "1")
    write_csvs(tmp_path, minimal_sheets())
    (tmp_path / "details.csv").write_bytes(b"key,question\n" + b"x" * MB)
    assert refusal(read_csv_folder, tmp_path).startswith("details.csv: ")
    (tmp_path / "big.json").write_bytes(b" " * (MB + 1))
    assert refusal(read_backup, tmp_path / "big.json").startswith("big.json: ")


# ------------------------------------------------------------------------------------- zip bombs
def with_extra_part(name: str, content: bytes) -> bytes:
    parts = zip_parts(workbook_bytes(small_analysis()))
    parts[name] = content
    return rezip(parts)


def test_a_workbook_that_unpacks_too_large_is_refused(monkeypatch, no_parsing):
    monkeypatch.setenv("DNH_MAX_UNPACKED_MB", "1")
    import random

    noise = random.Random(1).randbytes(MB + 1)  # incompressible: only the unpacked size is wrong
    message = refusal(read_workbook, with_extra_part("xl/media/image1.png", noise), name="big.xlsx")
    assert message.startswith("big.xlsx: unpacks to 1.0 MB, more than the limit of 1 MB")


def test_a_real_zip_bomb_is_refused_quickly(no_parsing):
    bomb = with_extra_part("xl/worksheets/sheet99.xml", b"\0" * 110 * MB)
    assert len(bomb) < 1 * MB
    started = time.monotonic()
    assert "possible zip bomb" in refusal(read_workbook, bomb)
    assert time.monotonic() - started < 5


def test_an_absurd_compression_ratio_is_refused(no_parsing):
    message = refusal(read_workbook, with_extra_part("xl/worksheets/sheet99.xml", b"<x/>" * MB))
    assert "packed more than 100 to 1" in message


def test_lying_about_the_unpacked_size_does_not_help():
    """zipfile never inflates past the declared size, so the sum of declared sizes is a true bound."""
    data = with_extra_part("xl/media/a.bin", b"\0" * 10_000)
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("xl/media/a.bin")
    info.file_size = 10  # what a forged header would declare
    with pytest.raises(zipfile.BadZipFile), archive.open(info) as f:
        f.read()


# ------------------------------------------------------------------------------- XML entity tricks
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE worksheet ['
    '<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)


def with_entities(part: str, doctype: str, cell: str) -> bytes:
    data = workbook_bytes(Analysis(AnalysisInfo("demo", "Demo"), actors=[Actor("A1", "PLACEHOLDER")]))
    parts = zip_parts(data)
    name = sheet_part(data, "actors") if part == "sheet" else part
    xml = parts[name].decode()
    xml = xml.replace("<?xml version='1.0' encoding='UTF-8'?>", "").replace('<?xml version="1.0"?>', "")
    parts[name] = (doctype + xml.replace("PLACEHOLDER", cell)).encode()
    return rezip(parts)


@pytest.mark.timeout(30)
def test_billion_laughs_in_a_sheet_is_refused_not_expanded():
    bomb = with_entities("sheet", BILLION_LAUGHS, "&lol9;")
    started = time.monotonic()
    message = refusal(read_workbook, bomb, name="laughs.xlsx")
    assert message.startswith("laughs.xlsx: contains XML entity or DTD declarations")
    assert time.monotonic() - started < 5


@pytest.mark.timeout(30)
def test_an_entity_in_the_workbook_part_is_refused():
    data = workbook_bytes(small_analysis())
    parts = zip_parts(data)
    xml = parts["xl/workbook.xml"].decode()
    parts["xl/workbook.xml"] = ('<!DOCTYPE workbook [<!ENTITY x "y">]>' + xml).encode()
    assert "XML entity" in refusal(read_workbook, rezip(parts))


@pytest.mark.timeout(30)
def test_an_external_entity_is_not_read():
    doctype = '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
    message = refusal(read_workbook, with_entities("sheet", doctype, "&secret;"))
    assert "XML entity" in message


# -------------------------------------------------------------------------------------- row cap
def test_rows_up_to_the_cap_are_accepted(monkeypatch):
    monkeypatch.setenv("DNH_MAX_ROWS", "3")
    sheets = minimal_sheets()
    sheets["actors"] = [["key", "name"]] + [[f"A{i}", "x"] for i in range(3)] + [[None, None]] * 5
    assert len(read_workbook(make_workbook(sheets)).actors) == 3


def test_a_sheet_over_the_row_cap_is_refused(monkeypatch):
    monkeypatch.setenv("DNH_MAX_ROWS", "3")
    sheets = minimal_sheets()
    sheets["actors"] = [["key", "name"]] + [[f"A{i}", "x"] for i in range(4)]
    message = refusal(read_workbook, make_workbook(sheets))
    assert message.startswith("actors: this sheet has more than 3 rows, the import limit")
    assert "(setting DNH_MAX_ROWS)" in message


def test_a_csv_file_over_the_row_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("DNH_MAX_ROWS", "3")
    sheets = minimal_sheets()
    sheets["factors"] = [["key", "kind", "name", "category"]] + [[f"D{i}", "divider", "x", "experiences"]
                                                                  for i in range(4)]
    message = refusal(read_csv_folder, write_csvs(tmp_path, sheets))
    assert message.startswith("factors.csv: this file has more than 3 rows")


def test_a_backup_list_over_the_row_cap_is_refused(monkeypatch):
    monkeypatch.setenv("DNH_MAX_ROWS", "3")
    analysis = Analysis(AnalysisInfo("demo", "Demo"), actors=[Actor(f"A{i}", "x") for i in range(4)])
    backup = backup_to_dict([analysis])
    assert refusal(backup_from_dict, backup).startswith("actors: this list has more than 3 rows")


def test_the_row_cap_stops_reading(monkeypatch):
    """Once over the cap the reader stops: a big sheet is refused much faster than it is read."""
    sheets = minimal_sheets()
    sheets["actors"] = [["key", "name"]] + [[f"A{i}", "x"] for i in range(20_000)]
    data = make_workbook(sheets)
    started = time.monotonic()
    assert len(read_workbook(data).actors) == 20_000
    full = time.monotonic() - started
    monkeypatch.setenv("DNH_MAX_ROWS", "10")
    started = time.monotonic()
    refusal(read_workbook, data)
    assert time.monotonic() - started < full / 4
