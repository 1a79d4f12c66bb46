"""AppTest of the grids' promise (issue 10): drafts per person, Discard, conflicts, races, the paste box."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy.exc

from dnh_graph.model import Actor, Analysis, AnalysisInfo, FactorReading
from dnh_graph.store import Store
from tests.apptest_support import page_path
from tests.test_app_workshop import errors, ok, open_page, save_grid, successes


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'grids.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    store = Store.open(url)
    for key in ("ws", "other"):
        store.import_analysis(Analysis(AnalysisInfo(key, key.title()), actors=[
            Actor("A1", "Council"), Actor("A2", "Patrol")]))
    return store


def type_into(at, grid: str, edited=None, added=None, deleted=None):
    at.session_state[grid + "__editor"] = {"edited_rows": edited or {}, "added_rows": added or [],
                                           "deleted_rows": deleted or []}
    at.run()
    ok(at)


def test_unsaved_edits_survive_another_screen_and_another_analysis(db):
    at = open_page("context_actors")
    type_into(at, "actors", edited={1: {"name": "Patrol typed, not saved"}})
    assert any("Unsaved edits in this table: 1 row(s)" in c.value for c in at.caption)
    at.switch_page(page_path("intervention")).run()
    ok(at)
    at.session_state["dnh_analysis"] = "other"
    at.switch_page(page_path("context_actors")).run()
    ok(at)
    assert not any("Patrol typed" in str(df.value) for df in at.dataframe)  # the other analysis' own grid
    at.session_state["dnh_analysis"] = "ws"
    at.run()
    ok(at)
    assert any("Patrol typed, not saved" in str(df.value) for df in at.dataframe)
    assert at.session_state["dnh_drafts"]["ws|actors"]["rows"][1]["name"] == "Patrol typed, not saved"
    key = next(k for k, owner in at.session_state["dnh_draft_owner"].items() if owner[0] == "ws|actors")
    at.button(key="actors__save").click().run()
    ok(at)
    assert successes(at) == ["Saved: 0 added, 1 changed, 0 deleted."], key
    assert db.load("ws").actors[1].name == "Patrol typed, not saved"
    assert db.load("other").actors[1].name == "Patrol"


def test_discard_forgets_the_draft_and_says_so(db):
    at = open_page("context_actors")
    type_into(at, "actors", edited={0: {"name": "Nobody wants this"}})
    at.button(key="actors__discard").click().run()
    ok(at)
    assert successes(at) == ["Your unsaved edits of this table were discarded."]
    assert not any("Nobody wants this" in str(df.value) for df in at.dataframe)
    at.button(key="actors__save").click().run()
    assert [i.value for i in at.info][-1].startswith("Nothing to save")


def test_keep_theirs_puts_their_row_in_the_grid_and_keeps_my_other_edits(db):
    at = open_page("context_actors")
    theirs = dataclasses.replace(db.load("ws").actors[0], name="Their council")
    db.save_rows("ws", "actors", upserts=[theirs])
    save_grid(at, "actors", edited={0: {"name": "My council"}},
              added=[{"name": "Fishers", "type": "Community group"}])
    assert "Row 1 (A1) was changed by" in at.warning[0].value
    at.button(key="actors__theirs").click().run()
    ok(at)
    assert successes(at) == ["Their version is in the table now; your other edits are kept."]
    at.button(key="actors__save").click().run()
    ok(at)
    assert [(a.key, a.name, a.type) for a in db.load("ws").actors] == [
        ("A1", "Their council", "other"), ("A2", "Patrol", "other"), ("A3", "Fishers", "community_group")]


def test_a_row_deleted_by_someone_else_comes_back_as_new_when_i_keep_mine(db):
    at = open_page("context_actors")
    db.save_rows("ws", "actors", deletes=[db.load("ws").actors[1]])
    save_grid(at, "actors", edited={1: {"name": "Patrol, renamed by me"}})
    assert "Row 2 (A2) was deleted by" in at.warning[0].value
    at.button(key="actors__mine").click().run()
    ok(at)
    assert [(a.key, a.name) for a in db.load("ws").actors] == [("A1", "Council"), ("A2", "Patrol, renamed by me")]


def test_two_saves_racing_for_one_key_get_a_sentence_not_sql(db, monkeypatch):
    at = open_page("context_actors")

    def race(self, *args, **kwargs):
        raise sqlalchemy.exc.IntegrityError("INSERT INTO actor ... secret values", {}, Exception("UNIQUE"))

    monkeypatch.setattr(Store, "save_rows", race)
    save_grid(at, "actors", added=[{"name": "Fishers"}])
    assert errors(at) == ["Someone else saved a row with the same key at the same moment, so nothing was saved. "
                          "Your edits are still in the table: press Save again to see which row."]
    assert at.session_state["dnh_drafts"]["ws|actors"]["rows"][-1]["name"] == "Fishers"


def test_the_paste_box_previews_and_warns_before_adding(db):
    at = open_page("context_actors")
    at.text_area(key="actors__paste").input("Name\tInfluence\nMonks\t9\n").run()
    ok(at)
    assert "Header row found: Name → Name, Influence → Influence." in [c.value for c in at.caption]
    assert any("Pasted row 1, Influence: must be a whole number from 1 to 5 (got 9)." in c.value.replace("\\", "")
               for c in at.caption)
    at.button(key="actors__paste_add").click().run()
    ok(at)
    save_grid(at, "actors")
    assert "Row 3, Influence: must be a whole number from 1 to 5 (got 9)." in " ".join(errors(at)).replace("\\", "")
    assert len(db.load("ws").actors) == 2


def test_add_rows_with_an_empty_box_says_why_nothing_happened(db):
    at = open_page("context_actors")
    at.button(key="actors__paste_add").click().run()
    assert [i.value for i in at.info] == ["Nothing to add: paste rows into the box first."]


def test_a_review_reading_someone_else_changed_is_refused(db):
    import datetime as dt

    from dnh_graph.model import Factor, Review

    db.import_analysis(Analysis(AnalysisInfo("rv", "Rv"), factors=[Factor("D1", "divider", "Land", "experiences")],
                                reviews=[Review("R1", dt.date(2025, 1, 1))],
                                factor_readings=[FactorReading("R1", "D1", 2)]), key="rv")
    at = open_page("reviews", key="rv")
    reading = db.load("rv").factor_readings[0]
    db.save_rows("rv", "factor_readings", upserts=[dataclasses.replace(reading, strength=4)])
    at.session_state["rev_factors_R1__editor"] = {"edited_rows": {0: {"strength": "9"}}, "added_rows": [],
                                                  "deleted_rows": []}
    at.button(key="rev_factors_R1__save").click().run()
    shown = " ".join(errors(at)).replace("\\", "")
    assert "Row 1, Strength (0–5): must be a whole number from 0 to 5 (got 9)." in shown
    at.session_state["rev_factors_R1__editor"] = {"edited_rows": {0: {"strength": "1"}}, "added_rows": [],
                                                  "deleted_rows": []}
    at.button(key="rev_factors_R1__save").click().run()
    assert any("changed by someone else" in e for e in errors(at))
    assert db.load("rv").factor_readings[0].strength == 4


def test_keep_mine_puts_only_what_i_changed_on_top_of_their_version(db):
    at = open_page("context_actors")
    theirs = dataclasses.replace(db.load("ws").actors[0], name="Their council", influence=5)
    db.save_rows("ws", "actors", upserts=[theirs])
    save_grid(at, "actors", edited={0: {"name": "My council", "description": "mine"}})
    compared = at.dataframe[0].value
    assert compared.values.tolist() == [["Name", "My council", "Their council"], ["Description", "mine", ""]]
    at.button(key="actors__mine").click().run()
    ok(at)
    assert successes(at) == ["Saved: 0 added, 1 changed, 0 deleted."]
    saved = db.load("ws").actors[0]
    assert (saved.name, saved.influence, saved.description) == ("My council", 5, "mine")
