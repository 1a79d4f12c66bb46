"""Every click takes effect or says why not (issue 10): the buttons and forms of the Options screen, the
sidebar and the Report import, driven with AppTest. (The grids' own Save buttons are tested with them.)"""

from __future__ import annotations

import datetime as dt
import json

from dnh_graph.model import AnalysisInfo, Option, Review
from dnh_graph.options import addition_detail
from dnh_graph.store import StaleEditError, Store
from tests.apptest_support import app, page_path, texts
from tests.over_time_support import single_review
from tests.test_app_options import open_page, workshop
from tests.test_app_smoke import db, ok  # noqa: F401 (db is a fixture)


def test_a_refused_observation_keeps_what_was_typed(db, monkeypatch):  # noqa: F811
    workshop(db)
    db.save_rows("w", "options", upserts=[Option("O1", "Open the list", "X1", status="testing")])
    at = open_page("w", "test")
    ok(at)
    at.selectbox(key="opt_obs_review").set_value("R2")
    at.text_area(key="opt_obs_evidence").input("Staff missed the market committee twice")
    save_rows = Store.save_rows

    def refuse(self, *args, **kwargs):
        raise StaleEditError("The impact was changed by someone else since you opened it; nothing was saved.")

    monkeypatch.setattr(Store, "save_rows", refuse)
    next(b for b in at.button if b.label == "Record the observation").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The impact was changed by someone else since you opened it; nothing was saved\\."]
    assert at.text_area(key="opt_obs_evidence").value == "Staff missed the market committee twice"

    monkeypatch.setattr(Store, "save_rows", save_rows)
    next(b for b in at.button if b.label == "Record the observation").click().run()
    ok(at)
    assert [i.evidence for i in db.load("w").impacts if i.observed_on] == ["Staff missed the market committee twice"]
    assert at.text_area(key="opt_obs_evidence").value == ""  # saved: the form is ready for the next one


def test_an_addition_whose_detail_someone_else_added_says_so(db):  # noqa: F811
    workshop(db)
    db.save_rows("w", "options", upserts=[Option("O7", "Complaint line")])
    at = open_page("w", "test")
    assert "is an addition" in texts(at)
    db.save_rows("w", "details", upserts=[addition_detail(db.load("w").by_key("options")["O7"], "how")])
    next(b for b in at.button if b.label == "Add the detail").click().run()
    ok(at)
    assert "Nothing added: the detail O7 already exists (someone added it meanwhile)." in texts(at)
    assert [d.key for d in db.load("w").details] == ["X1", "O7"]


def sidebar_form(at, form: str) -> list:
    return [w for w in at.sidebar.text_input if w.form_id == form]


def test_a_refused_new_analysis_keeps_what_was_typed_and_a_created_one_empties_the_form(db):  # noqa: F811
    db.create_analysis(AnalysisInfo("ws", "Workshop"))
    at = app().run()
    name, key = sidebar_form(at, "side_new")
    name.input("Second workshop")
    key.input("ws")
    at.button(key="FormSubmitter:side_new-Create analysis").click().run()
    assert not at.exception
    assert "already exists" in at.error[0].value
    assert [w.value for w in sidebar_form(at, "side_new")] == ["Second workshop", "ws"]

    sidebar_form(at, "side_new")[1].input("ws2")
    at.button(key="FormSubmitter:side_new-Create analysis").click().run()
    ok(at)
    assert sorted(s.key for s in db.list_analyses()) == ["ws", "ws2"]
    assert [w.value for w in sidebar_form(at, "side_new")] == ["", ""]


def test_the_delete_button_says_why_it_is_disabled(db):  # noqa: F811
    db.create_analysis(AnalysisInfo("ws", "Workshop"))
    at = app().run()
    delete = at.button(key="side_delete_ws")
    assert delete.disabled and delete.help == "Tick the box above first: deleting cannot be undone."
    at.checkbox(key="side_delete_sure_ws").check().run()
    assert not at.button(key="side_delete_ws").disabled


def test_an_imported_actor_map_is_not_offered_again_after_it_is_saved(db):  # noqa: F811
    at = app().run()
    at.switch_page(page_path("report")).run()
    kumu = {"elements": [{"label": "Council", "type": "Government"}, {"label": "Fishers"}],
            "connections": [{"from": "Council", "to": "Fishers", "type": "conflict"}]}
    at.get("file_uploader")[0].upload("Bay.json", json.dumps(kumu).encode(), "application/json")
    at.run()
    at.button(key="rep_import_save").click().run()
    ok(at)
    assert [s.key for s in db.list_analyses()] == ["bay"]
    assert "Saved as the new analysis 'bay' (2 actors, 1 relationships), now selected." in texts(at)
    assert at.sidebar.selectbox(key="dnh_analysis").value == "bay"
    assert not [b for b in at.button if b.key == "rep_import_save"]  # the uploader is empty again


def test_the_review_picked_stays_when_the_person_comes_back_to_the_screen(db):  # noqa: F811
    db.import_analysis(single_review())
    db.save_rows("single", "reviews", upserts=[Review("R2", dt.date(2030, 1, 1), "Later")])
    db.create_analysis(AnalysisInfo("other", "Other"))
    db.save_rows("other", "reviews", upserts=[Review("R1", dt.date(2020, 1, 1)), Review("R2", dt.date(2021, 1, 1))])
    at = app()
    at.session_state["dnh_analysis"] = "single"
    at.switch_page(page_path("reviews")).run()
    assert at.selectbox(key="rev_review").value == "R2"  # the latest by default
    at.selectbox(key="rev_review").set_value("R1").run()
    for page in ("report", "reviews"):  # Report has its own review picker; then back
        at.switch_page(page_path(page)).run()
        ok(at)
    assert at.selectbox(key="rev_review").value == "R1"
    at.switch_page(page_path("report")).run()
    at.sidebar.selectbox(key="dnh_analysis").set_value("other").run()
    at.switch_page(page_path("reviews")).run()
    ok(at)
    assert at.selectbox(key="rev_review").value == "R2"  # another analysis starts at its latest review
