"""xlsx export → import gives the same ``dnh score --json`` and the same JSON backup (ids aside)."""

from __future__ import annotations

import io as stdio
import json

import pytest

from dnh_graph import cli, io, scoring
from dnh_graph.demo import demo_dir
from tests.factories import rich_analysis

DEMOS = sorted(p for p in demo_dir().iterdir() if (p / "analysis.csv").is_file())


def _without_key(backup: dict) -> dict:
    """A backup with the analysis key left out (the copy is stored under another key) and no generator."""
    out = json.loads(json.dumps(backup))
    for analysis in out["analyses"]:
        analysis["analysis"].pop("key")
    out.pop("generator_version", None)
    return out


@pytest.mark.parametrize("folder", DEMOS, ids=lambda p: p.name)
def test_workbook_round_trip_keeps_scores_and_backup_in_memory(folder):
    original = io.read_csv_folder(folder)
    buffer = stdio.BytesIO()
    io.write_workbook(original, buffer)
    back = io.read_workbook(buffer.getvalue())
    assert scoring.scores_json(back) == scoring.scores_json(original)
    assert io.backup_to_dict([back]) == io.backup_to_dict([original])


def test_workbook_round_trip_of_hostile_text():
    original = rich_analysis()
    buffer = stdio.BytesIO()
    io.write_workbook(original, buffer)
    back = io.read_workbook(buffer.getvalue())
    assert scoring.scores_json(back) == scoring.scores_json(original)
    assert io.backup_to_dict([back]) == io.backup_to_dict([original])


def _dnh(capsys, database: str, *args: str) -> str:
    capsys.readouterr()
    assert cli.main(["--database", database, *args]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("folder", DEMOS, ids=lambda p: p.name)
def test_cli_export_xlsx_then_import_gives_the_same_score_and_backup(folder, tmp_path, capsys):
    database = f"sqlite:///{tmp_path / 'dnh.sqlite'}"
    key = folder.name
    _dnh(capsys, database, "import", str(folder))
    workbook = tmp_path / "export.xlsx"
    _dnh(capsys, database, "export", key, "--format", "xlsx", "-o", str(workbook))
    _dnh(capsys, database, "import", str(workbook), "--as", "copy")

    original = json.loads(_dnh(capsys, database, "score", key, "--json"))
    copy = json.loads(_dnh(capsys, database, "score", "copy", "--json"))
    assert copy.pop("analysis") == "copy" and original.pop("analysis") == key
    assert copy == original

    _dnh(capsys, database, "export", key, "--format", "json", "-o", str(tmp_path / "a.json"))
    _dnh(capsys, database, "export", "copy", "--format", "json", "-o", str(tmp_path / "b.json"))
    a = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert "id" not in a["analyses"][0]["actors"][0] and "version" not in a["analyses"][0]["actors"][0]
    assert _without_key(a) == _without_key(b)
