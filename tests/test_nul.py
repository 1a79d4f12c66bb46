"""Text with a NUL character gets the same answer on SQLite and PostgreSQL: refused with a sentence.

PostgreSQL cannot store NUL in text (SQLite can), so before this rule an import that worked on a laptop
failed on the shared server with a DataError. Now every entry path refuses it the same way: the model's
validation (imports, grids) and the store itself (records built in code).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from dnh_graph import io
from dnh_graph.cli import main
from dnh_graph.i18n import translate
from dnh_graph.model import NUL_MESSAGE, TABLES, Actor, InvalidInput, Problem, parse_row
from dnh_graph.store import Store, make_engine, upgrade
from tests.factories import rich_analysis

NUL_TEXT = "Fishers\x00 group"


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_of_every_table_refuses_nul(table):
    for col in TABLES[table].columns:
        record, problems = parse_row(table, {col.name: NUL_TEXT}, 4)
        assert record is None
        assert Problem(table, 4, col.name, NUL_MESSAGE) in problems, (table, col.name)


def test_the_sentence_names_sheet_row_and_column():
    _, problems = parse_row("actors", {"key": "A1", "name": NUL_TEXT}, 7)
    assert [str(p) for p in problems] == [f"actors, row 7, name: {translate(NUL_MESSAGE)}"]
    assert Problem("actors", 1, "name", NUL_MESSAGE).message.startswith("contains a NUL character")


@pytest.mark.parametrize("field, value", [("name", NUL_TEXT), ("description", NUL_TEXT), ("key", "A\x009"),
                                          ("tags", ("youth", "fish\x00ers"))])
def test_store_save_rows_refuses_nul_on_both_databases(any_store, field, value):
    any_store.import_analysis(rich_analysis())
    before = any_store.load("bay")
    new = replace(Actor("A99", "New actor"), **{field: value})
    with pytest.raises(InvalidInput) as refused:
        any_store.save_rows("bay", "actors", [Actor("A98", "Fine"), new])
    assert [str(p) for p in refused.value.problems] == [f"actors, row 2, {field}: {translate(NUL_MESSAGE)}"]
    assert any_store.load("bay") == before


def test_store_refuses_nul_in_an_update_and_in_the_header(any_store):
    stored = any_store.import_analysis(rich_analysis())
    actor = stored.actors[0]
    with pytest.raises(InvalidInput, match="actors, row 1, name: contains a NUL character"):
        any_store.save_rows("bay", "actors", [replace(actor, name=NUL_TEXT)])
    with pytest.raises(InvalidInput, match="analysis, context: contains a NUL character"):
        any_store.update_info(replace(stored.info, context=NUL_TEXT))
    with pytest.raises(InvalidInput, match="analysis, name: contains a NUL character"):
        any_store.import_analysis(rich_analysis(), key="other", name=NUL_TEXT)
    with pytest.raises(InvalidInput, match="actors, row 1, name: contains a NUL character"):
        analysis = rich_analysis()
        any_store.import_analysis(replace(analysis, actors=[replace(analysis.actors[0], name=NUL_TEXT),
                                                            *analysis.actors[1:]]), key="third")
    assert any_store.load("bay") == rich_analysis()
    assert [s.key for s in any_store.list_analyses()] == ["bay"]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'nul.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_dnh_import_refuses_nul_with_exit_2_on_both_databases(db_url, tmp_path, capsys, fmt):
    analysis = rich_analysis()
    actors = list(analysis.actors)
    actors[1] = replace(actors[1], description=NUL_TEXT)
    bad = replace(analysis, actors=actors)
    path = tmp_path / {"json": "bad.json", "csv": "bad", "xlsx": "bad.xlsx"}[fmt]
    {"json": lambda: io.write_backup([bad], path), "csv": lambda: io.write_csv_folder(bad, path),
     "xlsx": lambda: io.write_workbook(bad, path)}[fmt]()
    code = main(["--database", db_url, "import", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    sheet = {"json": "actors", "csv": "actors.csv", "xlsx": "actors"}[fmt]
    row = 2 if fmt == "json" else 3  # backup rows count from 1, sheets have a header row
    assert f"{sheet}, row {row}, description: contains a NUL character" in err
    assert "DataError" not in err and "Traceback" not in err
    engine = make_engine(db_url)
    assert Store(engine).list_analyses() == []
    engine.dispose()
