"""What `dnh import` (and the actor-map import of the Report screen) does with files it should refuse,
and with the large backups it must not refuse.

Every refusal is exit 2 with a sentence and changes nothing; no traceback, no SQL, no RecursionError.
"""

from __future__ import annotations

import io as stdio
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnh_graph import interop, io
from dnh_graph.cli import main
from dnh_graph.io.guards import MB
from dnh_graph.model import InvalidInput
from dnh_graph.store import Store
from dnh_graph.synthetic import generate_analysis
from tests.factories import rich_analysis

DEEP = 200_000


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    monkeypatch.delenv("DNH_DEBUG", raising=False)
    return url


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stored_keys(url: str) -> list[str]:
    store = Store.open(url)
    keys = [s.key for s in store.list_analyses()]
    store.engine.dispose()
    return keys


def refused(capsys, path: Path, *expected: str) -> str:
    code, _, err = run(capsys, "import", str(path))
    assert code == 2, err
    assert err.startswith("Nothing was changed."), err
    for text in expected:
        assert text in err, err
    assert "Traceback" not in err and "Error" not in err
    return err


# ------------------------------------------------------------------------------------ large backups
def test_a_backup_larger_than_the_upload_limit_restores_with_dnh_import(db, tmp_path, capsys, monkeypatch):
    """The browser's limits (1 MB, 100 rows here; 10 MB and 50,000 by default) do not apply to the CLI."""
    monkeypatch.setenv("DNH_MAX_UPLOAD_MB", "1")
    monkeypatch.setenv("DNH_MAX_ROWS", "100")
    analysis = generate_analysis(actors=2000, relationships=3000, factors=40, details=30, impacts=200, options=5,
                                 option_impacts_per_option=3, reviews=3, seed=3, key="big")
    path = tmp_path / "big.json"
    io.write_backup([analysis], path)
    assert path.stat().st_size > MB
    code, out, err = run(capsys, "import", str(path))
    assert code == 0, err
    assert out.startswith("Imported 'big'")
    store = Store.open(db)
    assert store.load("big") == analysis
    # the same file through the app's upload path is still held to the browser's limit
    with pytest.raises(InvalidInput, match="larger than the import limit of 1 MB"):
        io.read_backup(path.read_bytes(), name="big.json")


def test_the_workbook_and_csv_folder_of_a_large_analysis_import_too(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DNH_MAX_ROWS", "100")
    analysis = generate_analysis(actors=300, relationships=400, factors=20, details=10, impacts=50, options=2,
                                 option_impacts_per_option=2, reviews=2, seed=4, key="wide")
    io.write_workbook(analysis, tmp_path / "wide.xlsx")
    io.write_csv_folder(replace_key(analysis, "wide_csv"), tmp_path / "wide_csv")
    assert run(capsys, "import", str(tmp_path / "wide.xlsx"))[0] == 0
    assert run(capsys, "import", str(tmp_path / "wide_csv"))[0] == 0
    assert stored_keys(db) == ["wide", "wide_csv"]


def replace_key(analysis, key):
    from dataclasses import replace

    return replace(analysis, info=replace(analysis.info, key=key))


# ------------------------------------------------------------------------------------ shapes refused
def test_an_empty_backup_says_so(db, tmp_path, capsys):
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"format_version": 1, "generator": "dnh-graph", "analyses": []}))
    refused(capsys, path, "empty.json: holds no analysis (its list of 'analyses' is empty): there is nothing to "
                          "restore.")
    assert stored_keys(db) == []


def deeply_nested(levels: int) -> bytes:
    return b'{"elements": ' + b"[" * levels + b"]" * levels + b"}"


def test_a_deeply_nested_kumu_map_is_refused_with_a_sentence():
    with pytest.raises(InvalidInput) as error:
        interop.import_actor_map(deeply_nested(DEEP), "kumu", key="deep")
    assert [str(p) for p in error.value.problems] == [
        "actor map: is nested too deeply to be a Kumu map (a map is a few levels deep): it is refused."]


def test_a_deeply_nested_backup_is_refused_with_a_sentence(db, tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_bytes(b'{"format_version": 1, "analyses": ' + b"[" * DEEP + b"]" * DEEP + b"}")
    refused(capsys, path, "deep.json: is nested too deeply to be a dnh-graph backup")
    assert stored_keys(db) == []


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_a_deeply_nested_graph_file_is_refused_with_a_sentence(fmt):
    root = {"gexf": b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph>',
            "graphml": b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="undirected">'}[fmt]
    data = root + b"<x>" * DEEP + b"</x>" * DEEP + b"</graph></" + fmt.encode() + b">"
    try:
        analysis, _ = interop.import_actor_map(data, fmt, key="deep")
    except InvalidInput as error:
        assert error.problems and all(p.message for p in error.problems)
    else:
        assert analysis.actors == []


def test_a_backup_given_to_the_actor_map_import_points_to_dnh_import():
    data = io.backup_to_json([rich_analysis()]).encode()
    with pytest.raises(InvalidInput, match=r"is a dnh-graph backup, not an actor map .*`dnh import FILE`"):
        interop.import_actor_map(data, "kumu")


def test_a_csv_folder_with_two_spellings_of_one_table_is_refused(db, tmp_path, capsys):
    folder = tmp_path / "bay"
    io.write_csv_folder(rich_analysis(), folder)
    (folder / "ACTORS.csv").write_bytes((folder / "actors.csv").read_bytes().replace(b"Commune", b"Other"))
    names = sorted(p.name for p in folder.iterdir() if p.name.lower() == "actors.csv")
    if len(names) < 2:
        pytest.skip("this file system ignores case in file names")
    refused(capsys, folder, f"actors.csv: the folder holds both '{names[0]}' and '{names[1]}', two files for one "
                            "table: keep one of them and import again.")
    assert stored_keys(db) == []


# ------------------------------------------------------------------------------------ random garbage
GARBAGE = settings(max_examples=40, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
TABLE_NAMES = st.sampled_from(["analysis", "actors", "relationships", "factors", "impacts", "reviews", "other"])


@st.composite
def wrong_backups(draw):
    """JSON that looks more or less like a backup, with wrong shapes anywhere."""
    shape = draw(st.integers(0, 3))
    if shape == 0:
        return draw(JSON_VALUES)
    if shape == 1:
        return {"format_version": draw(st.one_of(st.just(1), JSON_VALUES)), "analyses": draw(JSON_VALUES)}
    entry = draw(st.dictionaries(TABLE_NAMES, JSON_VALUES, max_size=4))
    if shape == 3:
        entry["analysis"] = {"key": draw(JSON_VALUES), "name": draw(JSON_VALUES)}
        entry["factors"] = draw(st.lists(st.dictionaries(st.sampled_from(["key", "kind", "name", "category"]),
                                                         JSON_VALUES), min_size=1, max_size=2))
        # at least one factor: with none, {"analysis": {"key": "0", "name": "0"}} is a valid empty backup
    return {"format_version": 1, "analyses": [entry]}


def import_changes_nothing(capsys, db, path: Path) -> None:
    code, _, err = run(capsys, "import", str(path))
    assert code == 2, err
    assert err.startswith("Nothing was changed.") and err.count("\n") >= 2
    for word in ("Traceback", "Error:", "SQL", "sqlite", "psycopg"):
        assert word not in err, err
    assert stored_keys(db) == []


@GARBAGE
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".json", ".xlsx"]))
def test_random_bytes_are_refused(db, tmp_path, capsys, data, suffix):
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(data)
    import_changes_nothing(capsys, db, path)


@GARBAGE
@given(data=st.binary(max_size=200), table=TABLE_NAMES)
def test_random_bytes_in_a_csv_folder_are_refused(db, tmp_path, capsys, data, table):
    folder = tmp_path / "folder"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / f"{table}.csv").write_bytes(data)
    import_changes_nothing(capsys, db, folder)


WORKBOOK = stdio.BytesIO()
io.write_workbook(rich_analysis(), WORKBOOK)


@GARBAGE
@given(cut=st.integers(0, len(WORKBOOK.getvalue()) - 1), flips=st.lists(st.integers(0, 10_000), max_size=3))
def test_truncated_or_damaged_workbooks_are_refused(db, tmp_path, capsys, cut, flips):
    data = bytearray(WORKBOOK.getvalue()[:cut])
    for at in flips:
        if at < len(data):
            data[at] ^= 0xFF
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    import_changes_nothing(capsys, db, path)


@GARBAGE
@given(doc=wrong_backups())
def test_json_of_wrong_shapes_is_refused(db, tmp_path, capsys, doc):
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(doc))
    import_changes_nothing(capsys, db, path)


@GARBAGE
@given(doc=st.one_of(JSON_VALUES, st.fixed_dictionaries({"elements": JSON_VALUES, "connections": JSON_VALUES}),
                     st.fixed_dictionaries({"elements": st.lists(st.dictionaries(
                         st.sampled_from(["label", "type", "id", "attributes", "tags", "influence"]), JSON_VALUES),
                         max_size=3)})))
def test_the_actor_map_import_of_the_report_screen_answers_any_json_with_a_sentence(doc):
    """The app's one import of a whole file: any JSON gives an analysis or InvalidInput, never a crash."""
    try:
        analysis, report = interop.import_actor_map(json.dumps(doc).encode(), "kumu", key="map")
    except InvalidInput as error:
        assert error.problems and all(str(p) for p in error.problems)
    else:
        assert len(analysis.actors) == report.actors
