"""The `dnh` command: exit codes, all-or-nothing imports, exact round trips (docs/file-formats.md)."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from dnh_graph import io, scoring
from dnh_graph.cli import build_parser, main
from dnh_graph.store import head_revision
from tests.factories import rich_analysis


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    return url


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def backup_text(capsys, tmp_path, key):
    out = tmp_path / f"snapshot-{key}.json"
    assert run(capsys, "export", key, "--format", "json", "-o", str(out))[0] == 0
    return out.read_bytes()


def test_demo_is_idempotent_and_listed(db, capsys):
    code, out, _ = run(capsys, "demo")
    assert code == 0 and "Loaded 3 demo analyses" in out
    assert run(capsys, "demo")[1].startswith("The demo analyses are already loaded")
    listing = run(capsys, "list")[1]
    for key in ("child_rights_ngo", "hiv_support", "child_protection_network"):
        assert key in listing


def test_demo_if_empty_leaves_a_used_database_alone(db, capsys, tmp_path):
    io.write_backup([rich_analysis()], tmp_path / "b.json")
    run(capsys, "import", str(tmp_path / "b.json"))
    assert "not loaded" in run(capsys, "demo", "--if-empty")[1]
    assert "child_rights_ngo" not in run(capsys, "list")[1]


def test_score_json_equals_the_engine(db, capsys, tmp_path):
    io.write_workbook(rich_analysis(), tmp_path / "w.xlsx")
    assert run(capsys, "import", str(tmp_path / "w.xlsx"))[0] == 0
    code, out, _ = run(capsys, "score", "bay", "--json")
    assert code == 0
    assert json.loads(out) == scoring.scores_json(rich_analysis())


def test_json_backup_restores_the_same_analysis(db, capsys, tmp_path):
    io.write_workbook(rich_analysis(), tmp_path / "w.xlsx")
    run(capsys, "import", str(tmp_path / "w.xlsx"))
    run(capsys, "export", "bay", "--format", "json", "-o", str(tmp_path / "backup.json"))
    assert run(capsys, "import", str(tmp_path / "backup.json"), "--as", "copy")[0] == 0
    run(capsys, "export", "copy", "--format", "json", "-o", str(tmp_path / "copy.json"))
    original = json.loads((tmp_path / "backup.json").read_text())["analyses"][0]
    copy = json.loads((tmp_path / "copy.json").read_text())["analyses"][0]
    assert copy.pop("analysis")["key"] == "copy"
    original.pop("analysis")
    assert copy == original


def _bad_workbook(path: Path):
    io.write_workbook(rich_analysis(), path)
    wb = openpyxl.load_workbook(path)
    wb["actors"]["E2"] = 9  # influence out of range
    wb["factors"]["B3"] = "bridge"  # kind not in the vocabulary
    wb["impacts"]["B2"] = "D9"  # unknown factor
    wb["reviews"]["B2"] = "31/12/2024"  # not ISO
    wb["details"]["A3"] = "X1"  # duplicate key
    wb.save(path)


def test_bad_workbook_exits_2_lists_every_problem_and_changes_nothing(db, capsys, tmp_path):
    run(capsys, "demo")
    before = backup_text(capsys, tmp_path, "hiv_support")
    listing = run(capsys, "list")[1]
    _bad_workbook(tmp_path / "bad.xlsx")
    code, out, err = run(capsys, "import", str(tmp_path / "bad.xlsx"), "--as", "new")
    assert code == 2 and "Traceback" not in err
    for where in ("actors, row 2, influence", "factors, row 3, kind", "impacts, row 2, factor",
                  "reviews, row 2, date", "details, row 3, key"):
        assert where in err, where
    assert run(capsys, "list")[1] == listing
    assert backup_text(capsys, tmp_path, "hiv_support") == before


@pytest.mark.parametrize("content", [b"", b"not a workbook at all", b"PK\x03\x04broken"])
def test_files_that_are_not_workbooks_exit_2(db, capsys, tmp_path, content):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    code, _, err = run(capsys, "import", str(path))
    assert code == 2 and "x.xlsx" in err and "Traceback" not in err


def test_unknown_analysis_exits_2(db, capsys):
    code, _, err = run(capsys, "score", "nope")
    assert code == 2 and "no analysis with key 'nope'" in err


def test_unexpected_error_exits_1_without_traceback(db, capsys, monkeypatch):
    monkeypatch.setattr(scoring, "scores_json", lambda a: 1 / 0)
    run(capsys, "demo")
    code, _, err = run(capsys, "score", "hiv_support")
    assert code == 1 and "unexpected error" in err and "Traceback" not in err


def test_every_command_has_help(capsys):
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        with pytest.raises(SystemExit) as done:
            main([name, "--help"] if name != "db" else ["db", "upgrade", "--help"])
        assert done.value.code == 0
        assert "usage: dnh" in capsys.readouterr().out


def test_trends_json(db, capsys):
    run(capsys, "demo")
    code, out, _ = run(capsys, "trends", "hiv_support", "--json")
    rows = json.loads(out)
    assert code == 0 and [set(r) for r in rows] == [{"review", "date", "pressure", "capacity"}] * len(rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_db_upgrade(db, capsys):
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and head_revision() in out  # the newest migration, whatever its number


def test_console_script_and_module_entry(db, tmp_path):
    done = subprocess.run([sys.executable, "-m", "dnh_graph", "list"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "No analyses yet" in done.stdout
