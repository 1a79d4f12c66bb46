"""The JSON backup: exact restore, format_version, and refusals located by table and position."""

import json

import pytest

from dnh_graph.io import (
    FORMAT_VERSION,
    backup_from_dict,
    backup_from_json,
    backup_to_dict,
    backup_to_json,
    read_backup,
    write_backup,
)
from dnh_graph.model import CHILD_TABLES, Actor, InvalidInput
from tests.io_helpers import rich_analysis, small_analysis


def problems_of(d):
    with pytest.raises(InvalidInput) as refused:
        backup_from_dict(d)
    return refused.value.problems


def located(problems):
    return {(p.sheet, p.row, p.column) for p in problems}


def test_restore_of_backup_is_exact():
    analyses = [rich_analysis("one"), rich_analysis("two"), small_analysis("three")]
    assert backup_from_dict(backup_to_dict(analyses)) == analyses


def test_restore_through_json_text_and_a_file(tmp_path):
    analyses = [rich_analysis()]
    assert backup_from_json(backup_to_json(analyses)) == analyses
    path = tmp_path / "backup.json"
    write_backup(analyses, path)
    assert read_backup(path) == analyses
    assert read_backup(path.read_bytes()) == analyses


def test_the_format():
    backup = backup_to_dict([rich_analysis()])
    assert backup["format_version"] == FORMAT_VERSION == 1
    assert backup["generator"] == "dnh-graph"
    entry = backup["analyses"][0]
    assert set(entry) == {"analysis", *CHILD_TABLES}
    assert entry["analysis"]["start_date"] == "2024-02-29"
    assert entry["actors"][1]["tags"] == ["fishers", "=tag", "'quoted"]
    assert entry["actors"][1]["sensitive"] is True
    assert entry["impacts"][1]["observed_on"] is None
    assert "id" not in entry["actors"][0] and "version" not in entry["actors"][0]


def test_json_keeps_text_readable(tmp_path):
    text = backup_to_json([rich_analysis()])
    assert "ក្រុមប្រឹក្សាឃុំ" in text and "🐟" in text
    json.loads(text)


def test_an_empty_backup_says_it_holds_nothing():
    problems = problems_of(backup_to_dict([]))
    assert len(problems) == 1 and problems[0].row is None
    assert "holds no analysis" in problems[0].message and "nothing to restore" in problems[0].message


def test_a_newer_format_version_is_refused():
    backup = backup_to_dict([small_analysis()])
    backup["format_version"] = 2
    problems = problems_of(backup)
    assert len(problems) == 1
    assert "newer dnh-graph (format_version 2)" in problems[0].message
    assert "upgrade" in problems[0].message


@pytest.mark.parametrize("version", [None, "1", 0, True, 1.5])
def test_a_missing_or_odd_format_version_is_refused(version):
    backup = backup_to_dict([small_analysis()])
    backup["format_version"] = version
    assert len(problems_of(backup)) == 1


@pytest.mark.parametrize("d", [[], "backup", {"something": 1}, {"format_version": 1, "analyses": {}}])
def test_not_a_backup(d):
    assert located(problems_of(d)) == {("backup", None, None)}


def test_rows_are_located_by_table_and_position():
    backup = backup_to_dict([small_analysis()])
    entry = backup["analyses"][0]
    entry["actors"][1]["type"] = "pirate"
    entry["factors"][0]["priority"] = 0
    entry["relationships"] = [{"source": "A1", "target": "A9", "type": "conflict"}]
    entry["analysis"]["start_date"] = "2024-13-01"
    assert located(problems_of(backup)) == {
        ("analysis", 1, "start_date"),
        ("actors", 2, "type"),
        ("factors", 1, "priority"),
        ("relationships", 1, "target"),
    }


def test_with_several_analyses_the_key_says_which():
    backup = backup_to_dict([small_analysis("one"), small_analysis("two")])
    backup["analyses"][1]["actors"][0]["key"] = ""
    assert located(problems_of(backup)) == {("two/actors", 1, "key")}


def test_duplicate_analysis_keys_are_refused():
    backup = backup_to_dict([small_analysis("same"), small_analysis("same")])
    problems = problems_of(backup)
    assert located(problems) == {("same/analysis", 1, "key")}
    assert "duplicate analysis key 'same'" in problems[0].message


def test_duplicate_keys_within_a_table():
    backup = backup_to_dict([small_analysis()])
    backup["analyses"][0]["actors"][1]["key"] = "A1"
    assert located(problems_of(backup)) == {("actors", 2, "key")}


def test_json_shapes_are_checked():
    backup = backup_to_dict([small_analysis()])
    entry = backup["analyses"][0]
    entry["actors"][0]["name"] = {"nested": "object"}
    entry["actors"][1]["tags"] = ["ok", 5]
    entry["factors"].append("not an object")
    entry["details"] = {"W1": {}}
    assert located(problems_of(backup)) == {
        ("actors", 1, "name"), ("actors", 2, "tags"), ("factors", 3, None), ("details", None, None),
    }


def test_an_entry_without_its_analysis_object():
    backup = backup_to_dict([small_analysis()])
    del backup["analyses"][0]["analysis"]
    assert located(problems_of(backup)) == {("analysis", 1, None)}


def test_absent_tables_mean_none_and_unknown_fields_are_ignored():
    backup = backup_to_dict([small_analysis()])
    entry = backup["analyses"][0]
    for table in ("details", "reviews", "monitoring"):
        del entry[table]
    entry["actors"][0]["id"] = 99
    entry["actors"][0]["colour"] = "red"
    entry["audit"] = []
    restored = backup_from_dict(backup)[0]
    assert restored == small_analysis()
    assert restored.actors[0].id is None


def test_lone_surrogates_are_refused():
    text = backup_to_json([small_analysis()]).replace('"Council"', '"Coun\\ud800cil"')
    with pytest.raises(InvalidInput) as refused:
        backup_from_json(text)
    assert located(refused.value.problems) == {("actors", 1, "name")}


def test_invalid_json_says_where(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format_version": 1,\n "analyses": [}')
    with pytest.raises(InvalidInput) as refused:
        read_backup(path)
    assert str(refused.value).startswith("broken.json: is not valid JSON (line 2, column")


def test_empty_and_non_utf8_files_are_refused(tmp_path):
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "latin.json").write_bytes('{"é": 1}'.encode("latin-1"))
    for name in ("empty.json", "latin.json"):
        with pytest.raises(InvalidInput) as refused:
            read_backup(tmp_path / name)
        assert refused.value.problems[0].sheet == name


def test_deeply_nested_json_is_refused_cleanly():
    with pytest.raises(InvalidInput):
        backup_from_json("[" * 100_000 + "]" * 100_000)


def test_restored_records_are_records():
    restored = backup_from_dict(backup_to_dict([rich_analysis()]))[0]
    assert isinstance(restored.actors[0], Actor)
    assert restored.actors[0].tags == ("ឃុំ", "officials")
