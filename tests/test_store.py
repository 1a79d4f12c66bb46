"""Storage on SQLite and PostgreSQL: round trips, transactions, stale edits, audit, cascades."""

import os
import stat
from dataclasses import replace

import pytest
import sqlalchemy as sa

from dnh_graph.model import Actor, AnalysisInfo, Impact, InvalidInput, Relationship
from dnh_graph.store import NotFoundError, StaleEditError, Store, current_revision, head_revision
from tests.factories import rich_analysis


def test_import_then_load_gives_back_every_row(any_store):
    original = rich_analysis()
    any_store.import_analysis(original)
    assert any_store.load("bay") == original


def test_text_of_any_kind_comes_back_unchanged(any_store):
    text = "ស្វាគមន៍ 🐟🇰🇭 \"q\" 'q' <b>x</b>\n\ttab " + "ក" * 5000
    a = rich_analysis()
    a = replace(a, actors=[replace(a.actors[0], description=text), *a.actors[1:]])
    any_store.import_analysis(a)
    assert any_store.load("bay").actors[0].description == text


def test_list_analyses_counts(any_store):
    any_store.import_analysis(rich_analysis())
    [summary] = any_store.list_analyses()
    assert (summary.key, summary.counts["actors"], summary.counts["impacts"]) == ("bay", 3, 5)


def test_duplicate_key_refused_and_nothing_changes(any_store):
    any_store.import_analysis(rich_analysis())
    with pytest.raises(InvalidInput, match="already exists"):
        any_store.import_analysis(rich_analysis())
    assert len(any_store.list_analyses()) == 1


def test_import_is_one_transaction(any_store):
    a = rich_analysis()
    broken = replace(a, impacts=[*a.impacts, Impact("X1", "NOPE", "weakens", 1, "resource_transfer")])
    with pytest.raises(InvalidInput, match="NOPE"):
        any_store.import_analysis(broken)
    assert any_store.list_analyses() == []
    with any_store.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from actor")).scalar() == 0


def test_update_with_stale_version_is_refused(any_store):
    any_store.import_analysis(rich_analysis())
    mine = any_store.load("bay").actors[0]
    theirs = any_store.load("bay").actors[0]
    any_store.save_rows("bay", "actors", upserts=[replace(theirs, name="Their name")])
    with pytest.raises(StaleEditError, match="changed by someone else"):
        any_store.save_rows("bay", "actors", upserts=[replace(mine, name="My name")])
    assert any_store.load("bay").actors[0].name == "Their name"


def test_delete_of_a_row_deleted_by_someone_else_is_refused(any_store):
    any_store.import_analysis(rich_analysis())
    rel = any_store.load("bay").relationships[0]
    any_store.save_rows("bay", "relationships", deletes=[rel])
    with pytest.raises(StaleEditError, match="deleted by someone else"):
        any_store.save_rows("bay", "relationships", deletes=[rel])


def test_stale_header_edit_is_refused(any_store):
    info = any_store.create_analysis(AnalysisInfo("k", "Name"))
    any_store.update_info(replace(info, name="First"))
    with pytest.raises(StaleEditError):
        any_store.update_info(replace(info, name="Second"))
    assert any_store.load("k").info.name == "First"


def test_save_rows_inserts_updates_deletes_and_bumps_revision(any_store):
    any_store.import_analysis(rich_analysis())
    before = any_store.revision("bay")
    a = any_store.load("bay")
    any_store.save_rows("bay", "actors", upserts=[Actor("A4", "Monks", "religious"), replace(a.actors[2], influence=1)])
    after = any_store.load("bay")
    assert [x.key for x in after.actors] == ["A1", "A2", "A3", "A4"]
    assert after.actors[2].influence == 1 and after.actors[2].version == 2
    assert any_store.revision("bay") > before


def test_save_rows_reports_every_problem_and_saves_nothing(any_store):
    any_store.import_analysis(rich_analysis())
    with pytest.raises(InvalidInput) as error:
        any_store.save_rows("bay", "relationships", upserts=[
            Relationship("A1", "A3", "alliance"), Relationship("A9", "A1", "conflict"),
            Relationship("A1", "Z", "weak")])
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "source"), (3, "target")]
    assert len(any_store.load("bay").relationships) == 2


def test_duplicate_key_in_grid_save(any_store):
    any_store.import_analysis(rich_analysis())
    with pytest.raises(InvalidInput, match="duplicate key 'A1'"):
        any_store.save_rows("bay", "actors", upserts=[Actor("A1", "again")])


def test_renaming_a_key_keeps_references(any_store):
    any_store.import_analysis(rich_analysis())
    a2 = any_store.load("bay").actors[1]
    any_store.save_rows("bay", "actors", upserts=[replace(a2, key="patrol")])
    a = any_store.load("bay")
    assert a.relationships[0].target == "patrol"
    assert a.factor_actors[0].actor == "patrol"


def test_deleting_an_actor_takes_its_links_and_says_so_first(any_store):
    any_store.import_analysis(rich_analysis())
    assert any_store.dependents("bay", "actors", "A2") == {"relationships": 2, "factor_actors": 1, "actor_readings": 2}
    any_store.save_rows("bay", "actors", deletes=[any_store.load("bay").actors[1]])
    a = any_store.load("bay")
    assert a.relationships == [] and len(a.factor_actors) == 2 and a.actor_readings == []


def test_deleting_a_detail_lists_options_and_their_impacts(any_store):
    any_store.import_analysis(rich_analysis())
    assert any_store.dependents("bay", "details", "X1") == {"impacts": 2, "options": 1, "option_impacts": 2}


def test_audit_log_records_who_what_before_after(any_store):
    any_store.import_analysis(rich_analysis())
    actor = any_store.load("bay").actors[0]
    any_store.save_rows("bay", "actors", upserts=[replace(actor, name="Council")])
    entry = any_store.audit_entries("bay")[0]
    assert (entry["who"], entry["entity"], entry["entity_key"], entry["action"]) == ("tester", "actors", "A1", "update")
    assert entry["after"]["name"] == "Council" and entry["before"]["name"] != "Council"


def test_audit_log_outlives_a_deleted_analysis(any_store):
    any_store.import_analysis(rich_analysis())
    any_store.delete_analysis("bay")
    assert any_store.audit_entries("bay")[0]["action"] == "delete"
    with pytest.raises(NotFoundError):
        any_store.load("bay")


def test_duplicate_analysis(any_store):
    any_store.import_analysis(rich_analysis())
    copy = any_store.duplicate_analysis("bay", "bay2")
    assert copy == replace(rich_analysis(), info=replace(rich_analysis().info, key="bay2",
                                                         name="Bay fisheries 🐟 (copy)"))


def test_foreign_keys_are_enforced(any_store):
    any_store.import_analysis(rich_analysis())
    with pytest.raises(sa.exc.IntegrityError), any_store.engine.begin() as conn:
        conn.execute(sa.text("insert into factor_actor (analysis_id, factor_id, actor_id, role) "
                             "values (1, 99999, 99999, 'drives')"))


def test_migrations_reach_head_and_match_the_schema(any_store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from dnh_graph.store.schema import metadata

    assert current_revision(any_store.engine) == head_revision()
    with any_store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_sqlite_file_and_its_journals_are_private(tmp_path):
    path = tmp_path / "sub" / "dnh.sqlite"
    store = Store.open(f"sqlite:///{path}")
    store.import_analysis(rich_analysis())
    files = [p for p in path.parent.iterdir() if p.name.startswith("dnh.sqlite")]
    assert path in files and len(files) >= 2  # the database and its -wal/-shm journal
    for p in files:
        assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p


def test_default_database_is_a_file_in_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DNH_DATA_DIR", str(tmp_path / "dd"))
    store = Store.open()
    assert store.engine.url.database == str(tmp_path / "dd" / "dnh-graph.sqlite")


def test_save_changes_spans_tables_in_one_transaction(any_store):
    import datetime as dt

    from dnh_graph.model import FactorReading, Review

    any_store.import_analysis(rich_analysis())
    any_store.save_changes("bay", [
        ("reviews", [Review("R3", dt.date(2025, 1, 1), "Q1")], []),
        ("factor_readings", [FactorReading("R3", "D1", 2), FactorReading("R3", "C1", 3)], []),
    ])
    assert [r.review for r in any_store.load("bay").factor_readings][-2:] == ["R3", "R3"]
    with pytest.raises(InvalidInput, match="'NOPE' is not in the factors table"):
        any_store.save_changes("bay", [
            ("reviews", [Review("R4", dt.date(2025, 6, 1))], []),
            ("factor_readings", [FactorReading("R4", "NOPE", 2)], []),
        ])
    assert [r.key for r in any_store.load("bay").reviews] == ["R1", "R2", "R3"]
