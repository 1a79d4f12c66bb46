"""Every screen that makes a key from a name uses the one rule of dnh_graph.keys (issues 10 and 15)."""

from __future__ import annotations

import json

import pytest

from dnh_graph import exports
from dnh_graph.model import Analysis, AnalysisInfo
from dnh_graph.store import Store
from tests.apptest_support import app, page_path
from tests.test_app_smoke import db, ok  # noqa: F401 (db is a fixture)


def keys_of(store: Store) -> list[str]:
    return sorted(s.key for s in store.list_analyses())


def create_in_sidebar(at, name: str) -> None:
    form = [w for w in at.sidebar.text_input if w.form_id == "side_new"]
    form[0].input(name)
    at.button(key="FormSubmitter:side_new-Create analysis").click().run()
    ok(at)


@pytest.mark.parametrize(("name", "key"), [("Kampot: fisheries (2025)", "kampot_fisheries_2025"),
                                           ("ភ្នំពេញ", "phnompenh")])
def test_the_welcome_form_and_the_sidebar_make_the_same_key(db, name, key):  # noqa: F811
    at = app().run()
    next(w for w in at.main.text_input if w.label == "Name").input(name)
    at.button(key="FormSubmitter:ov_new-Create analysis").click().run()
    ok(at)
    assert keys_of(db) == [key]
    assert at.sidebar.selectbox(key="dnh_analysis").value == key

    create_in_sidebar(at, name)  # the same name again: a free key, not "already exists"
    assert keys_of(db) == sorted([key, key + "_2"])
    assert at.sidebar.selectbox(key="dnh_analysis").value == key + "_2"


def test_copying_twice_offers_a_free_key_each_time(db):  # noqa: F811
    db.create_analysis(AnalysisInfo("ws", "Workshop"))
    at = app().run()
    at.button(key="FormSubmitter:side_copy_ws-Make a copy").click().run()
    ok(at)
    assert keys_of(db) == ["ws", "ws_copy"]
    at.sidebar.selectbox(key="dnh_analysis").set_value("ws").run()
    copy_key = [w for w in at.sidebar.text_input if w.form_id == "side_copy_ws"][1]
    assert copy_key.value == "ws_copy_2"
    at.button(key="FormSubmitter:side_copy_ws-Make a copy").click().run()
    ok(at)
    assert keys_of(db) == ["ws", "ws_copy", "ws_copy_2"]


def test_an_imported_actor_map_is_keyed_by_its_file_name_with_the_same_rule(db):  # noqa: F811
    db.create_analysis(AnalysisInfo("bay_actors", "Already here"))
    at = app().run()
    at.switch_page(page_path("report")).run()
    kumu = {"elements": [{"label": "Council", "type": "Government"}], "connections": []}
    at.get("file_uploader")[0].upload("Bay actors.json", json.dumps(kumu).encode(), "application/json")
    at.run()
    ok(at)
    save = at.button(key="rep_import_save")
    assert "'bay_actors_2'" in save.label
    save.click().run()
    ok(at)
    assert keys_of(db) == ["bay_actors", "bay_actors_2"]


def test_download_names_come_from_the_same_rule():
    a = Analysis(AnalysisInfo("ភ្នំពេញ 2025", "Phnom Penh"))
    assert exports.file_name(a, "xlsx") == "phnompenh_2025.xlsx"
    assert exports.file_name(a, "html", pseudonymise=True, summary=True) == "phnompenh_2025-pseudonymised-summary.html"
