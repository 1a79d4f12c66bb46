"""The History screen (issue 13): filters by person, table and day; undo one change (and its refusal);
restore a copy as of a moment; sensitive names hidden in every before and after."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from dnh_graph.model import Actor, Analysis, AnalysisInfo, Factor, Relationship
from dnh_graph.store import Store
from tests.over_time_support import app_database, ok, open_page


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    store = app_database(tmp_path, monkeypatch)
    store.import_analysis(Analysis(
        AnalysisInfo("bay", "Bay"), actors=[Actor("A1", "Council"), Actor("A2", "Fishers")],
        factors=[Factor("D1", "divider", "Land", "systems_institutions")]))
    dara = Store(store.engine, who="dara")
    dara.save_rows("bay", "actors", [replace(dara.load("bay").actors[0], name="Commune council")])
    store.save_rows("bay", "factors", [replace(store.load("bay").factors[0], priority=5)])
    return store


def table(at):
    return at.dataframe[0].value


def test_lists_who_changed_what_with_before_and_after(db):
    at = open_page("history", "bay")
    ok(at)
    frame = table(at)
    renamed = frame[frame["row"] == "actors · A1"].iloc[0]
    assert renamed["who"] == "dara" and renamed["before"] == "Name: Council"
    assert renamed["after"] == "Name: Commune council"
    assert frame.iloc[0]["row"] == "dividers and connectors · D1"  # newest first


def test_filters_by_person_table_and_day(db):
    at = open_page("history", "bay")
    at.multiselect(key="hist_people").set_value(["dara"]).run()
    assert set(table(at)["who"]) == {"dara"}
    at.multiselect(key="hist_people").set_value([]).run()
    at.multiselect(key="hist_tables").set_value(["factors"]).run()
    assert set(table(at)["row"]) == {"dividers and connectors · D1"} and len(table(at)) == 2  # added, changed
    at.date_input(key="hist_days").set_value((dt.date(2020, 1, 1), dt.date(2020, 1, 2))).run()
    ok(at)
    assert "No change matches" in at.info[0].value
    assert not at.dataframe


def test_undo_one_change_and_a_refusal_that_changes_nothing(db):
    changes = db.changes("bay")
    rename = next(c for c in changes if c.who == "dara")
    at = open_page("history", "bay")
    db.save_rows("bay", "actors", [replace(db.load("bay").actors[0], influence=5)])  # after the screen read
    at.selectbox(key="hist_undo_pick").set_value(rename.id).run()
    at.button(key="hist_undo").click().run()
    assert "A later change depends on this one" in at.error[0].value and db.who in at.error[0].value
    assert db.load("bay").actors[0].name == "Commune council"
    priority = changes[-1]
    at.selectbox(key="hist_undo_pick").set_value(priority.id).run()
    at.button(key="hist_undo").click().run()
    ok(at)
    assert f"#{priority.id} was undone" in at.success[0].value
    assert db.load("bay").factors[0].priority == 3
    assert f"undo of #{priority.id}" in table(at).iloc[0]["action"]


def test_restore_as_of_a_moment_into_a_new_copy(db):
    imported = db.changes("bay")[3]  # the import's last entry: before dara's rename
    at = open_page("history", "bay")
    moments = at.selectbox(key="hist_moment")
    assert [o.split(" · ")[0] for o in moments.options] == [f"#{c.id}" for c in db.changes("bay")[:3:-1]] + [
        f"#{imported.id}"]  # one moment per transaction, newest first
    moments.set_value(imported.id).run()
    at.button(key="hist_restore").click().run()
    ok(at)
    copies = [s for s in db.list_analyses() if s.key != "bay"]
    assert len(copies) == 1 and copies[0].name.startswith("Bay (as of ")
    assert copies[0].key in at.success[0].value
    copy = db.load(copies[0].key)
    assert [a.name for a in copy.actors] == ["Council", "Fishers"] and copy.factors[0].priority == 3
    assert db.load("bay").actors[0].name == "Commune council"  # the analysis itself is untouched


def _sensitive_history(db: Store) -> None:
    db.save_rows("bay", "actors", [Actor("sok_dara", "Sok Dara", "armed_group", description="Colonel north",
                                         sensitive=True)])
    db.save_rows("bay", "relationships", [Relationship("sok_dara", "A1", "influence", note="Sok Dara pays")])
    sok = db.load("bay").by_key("actors")["sok_dara"]
    db.save_rows("bay", "actors", [replace(sok, name="Dara Sok")])
    db.save_rows("bay", "actors", deletes=[db.load("bay").by_key("actors")["sok_dara"]])


def _everything(at) -> str:
    frame = table(at).to_csv()
    options = " ".join(" ".join(map(str, s.options)) for s in at.selectbox)
    return (frame + options + " ".join(str(e.value) for e in at.markdown)).lower()


def test_names_hidden_in_every_before_and_after(db):
    _sensitive_history(db)
    at = open_page("history", "bay")
    ok(at)
    shown = _everything(at)
    assert "actor a3" in shown or "actor a1" in shown
    assert not [s for s in ("sok dara", "dara sok", "sok_dara", "colonel") if s in shown]
    at.toggle(key="dnh_hide_names").set_value(False).run()
    assert all(s in _everything(at) for s in ("sok dara", "dara sok", "sok_dara", "colonel"))


def test_an_undo_refusal_names_a_sensitive_row_by_its_pseudonym(db):
    """The refusal names the row by its key ("actor 'sok_dara'"), which can name a person: masked while
    names are hidden, as the entries are; as typed once they are shown."""
    db.save_rows("bay", "actors", [Actor("sok_dara", "Sok Dara", "armed_group", sensitive=True)])
    made = db.changes("bay")[-1]
    db.save_rows("bay", "relationships", [Relationship("sok_dara", "A1", "influence", note="Sok Dara pays")])
    at = open_page("history", "bay")
    at.selectbox(key="hist_undo_pick").set_value(made.id).run()
    at.button(key="hist_undo").click().run()
    refusal = at.error[0].value
    assert "refer to the actor" in refusal
    assert not [s for s in ("sok\\_dara", "sok_dara", "Sok Dara") if s in refusal], refusal
    assert "actor 'A" in refusal  # its pseudonym, as in the table above
    at.toggle(key="dnh_hide_names").set_value(False).run()
    at.selectbox(key="hist_undo_pick").set_value(made.id).run()
    at.button(key="hist_undo").click().run()
    assert "actor 'sok\\_dara'" in at.error[0].value  # markdown-escaped
    assert db.load("bay").by_key("actors")["sok_dara"].name == "Sok Dara"


def test_a_workshop_change_is_offered_for_undo_and_undone(db):
    from dnh_graph.store import workshop as rooms

    note = rooms.add_note(db, "bay", "Land dispute", "divider", 2)
    rooms.update_note(db, "bay", replace(note, text="Land and water"))
    edit = db.changes("bay")[-1]
    at = open_page("history", "bay")
    ok(at)
    assert any(o.startswith(f"#{edit.id} · ") for o in at.selectbox(key="hist_undo_pick").options)
    at.selectbox(key="hist_undo_pick").set_value(edit.id).run()
    at.button(key="hist_undo").click().run()
    ok(at)
    assert f"#{edit.id} was undone" in at.success[0].value
    assert [n.text for n in rooms.notes(db, "bay")] == ["Land dispute"]


def test_pages_of_changes_with_older_and_newest(db, monkeypatch):
    from dnh_graph.store import history_page

    monkeypatch.setattr(history_page, "PAGE_SIZE", 2)
    ids = [c.id for c in db.changes("bay")][::-1]  # newest first: 6 entries
    at = open_page("history", "bay")
    ok(at)
    assert list(table(at)["id"]) == ids[:2] and f"Changes 1–2 of {len(ids)}" in at.caption[1].value
    at.button(key="hist_older").click().run()
    assert list(table(at)["id"]) == ids[2:4] and f"Changes 3–4 of {len(ids)}" in at.caption[1].value
    at.button(key="hist_older").click().run()
    assert list(table(at)["id"]) == ids[4:6]
    assert not [b for b in at.button if b.key == "hist_older"]  # the oldest page
    at.multiselect(key="hist_people").set_value(["dara"]).run()  # a new filter starts from the newest
    assert set(table(at)["who"]) == {"dara"}
    at.multiselect(key="hist_people").set_value([]).run()
    at.button(key="hist_older").click().run()
    at.button(key="hist_newest").click().run()
    assert list(table(at)["id"]) == ids[:2]
