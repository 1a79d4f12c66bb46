"""AppTest of the Reviews screen: dated reviews, and at each the readings of factors and actors."""

import datetime as dt

import pytest

from dnh_graph import timeline
from dnh_graph.demo import load_demo
from dnh_graph.model import AnalysisInfo
from tests.apptest_support import texts
from tests.over_time_support import DEMOS, app_database, edit_grid, infos, ok, open_page, single_review


@pytest.fixture
def db(tmp_path, monkeypatch):
    return app_database(tmp_path, monkeypatch)


def test_runs_on_an_empty_database(db):
    at = open_page("reviews")
    assert not at.exception
    assert "No analysis" in infos(at)


def test_an_empty_analysis_says_how_to_start(db):
    db.create_analysis(AnalysisInfo("empty", "Empty"))
    at = open_page("reviews", "empty")
    ok(at)
    assert "No review yet" in infos(at)
    assert not [c for c in at.checkbox if c.key == "rev_new_prefill"]  # nothing to copy readings from


def test_a_single_review_shows_its_readings(db):
    db.import_analysis(single_review())
    at = open_page("reviews", "single")
    ok(at)
    assert at.selectbox(key="rev_review").value == "R1"
    factors = at.dataframe  # the read-only factors × reviews table
    assert any(list(d.value.columns)[-1:] == ["R1"] for d in factors)
    assert "Floods in the north" in texts(at)


@pytest.mark.parametrize("demo", DEMOS)
def test_every_demo_runs_and_selects_the_latest_review(db, demo):
    load_demo(db)
    at = open_page("reviews", demo)
    ok(at)
    analysis = db.load(demo)
    assert at.selectbox(key="rev_review").value == timeline.reviews_in_order(analysis)[-1].key


def test_quick_entry_adds_a_review_with_readings_copied_from_the_latest(db):
    db.import_analysis(single_review())
    at = open_page("reviews", "single")
    at.date_input(key="rev_new_date").set_value(dt.date(2024, 4, 15))
    at.text_input(key="rev_new_title").input("Q2")
    at.text_area(key="rev_new_events").input("Market reopened")
    at.button(key="rev_new_add").click()
    at.run()
    ok(at)
    analysis = db.load("single")
    review = analysis.by_key("reviews")["R2"]
    assert (review.date, review.title, review.events) == (dt.date(2024, 4, 15), "Q2", "Market reopened")
    copied = {(r.factor, r.strength, r.note) for r in analysis.factor_readings if r.review == "R2"}
    assert copied == {("D1", 3, ""), ("C1", 2, "")}  # notes are not copied; D2 was never read
    actors = {(r.actor, r.influence, r.stance) for r in analysis.actor_readings if r.review == "R2"}
    assert actors == {("A1", 4, "neutral"), ("A2", 3, "unknown")}
    assert at.selectbox(key="rev_review").value == "R2"  # straight to the new review's readings
    assert "Review R2 added" in "\n".join(s.value for s in at.success)
    assert at.text_input(key="rev_new_title").value == ""  # the form starts blank again


def test_quick_entry_refuses_a_key_already_taken_and_keeps_the_typing(db):
    db.import_analysis(single_review())
    at = open_page("reviews", "single")
    at.text_input(key="rev_new_key").input("R1")
    at.text_input(key="rev_new_title").input("Again")
    at.button(key="rev_new_add").click()
    at.run()
    assert not at.exception
    assert "not added" in at.error[0].value and "duplicate key" in at.error[1].value
    assert at.text_input(key="rev_new_title").value == "Again"
    assert [r.key for r in db.load("single").reviews] == ["R1"]


def test_typing_strengths_and_notes_saves_the_readings_of_the_review(db):
    db.import_analysis(single_review())
    at = open_page("reviews", "single")
    # rows: D1 (read 3), D2 (not read), C1 (read 2)
    edit_grid(at, "rev_factors_R1", {0: {"strength": 4, "note": "worse after floods"}, 1: {"strength": 1},
                                     2: {"strength": None}})
    ok(at)
    readings = {(r.factor, r.strength, r.note) for r in db.load("single").factor_readings}
    assert readings == {("D1", 4, "worse after floods"), ("D2", 1, "")}  # C1 emptied: reading removed
    assert "Saved: 1 added, 1 changed, 1 deleted." in "\n".join(s.value for s in at.success)


@pytest.mark.parametrize("edit", [{"note": "no strength typed"}, {"strength": 7}])
def test_a_reading_without_a_valid_strength_is_refused_and_nothing_saved(db, edit):
    db.import_analysis(single_review())
    at = open_page("reviews", "single")
    edit_grid(at, "rev_factors_R1", {0: {"strength": 5}, 1: edit})
    assert not at.exception
    assert "Nothing was saved" in at.error[0].value
    assert "Row 2" in at.error[1].value
    assert {(r.factor, r.strength) for r in db.load("single").factor_readings} == {("D1", 3), ("C1", 2)}


def test_actor_readings_save_influence_and_stance(db):
    db.import_analysis(single_review())
    at = open_page("reviews", "single")
    edit_grid(at, "rev_actors_R1", {1: {"influence": 2, "stance": "supports"}})
    ok(at)
    assert {(r.actor, r.influence, r.stance) for r in db.load("single").actor_readings} == {
        ("A1", 4, "neutral"), ("A2", 2, "supports")}


def test_a_stance_without_influence_is_refused(db):
    db.import_analysis(single_review())
    at = open_page("reviews", "single")
    edit_grid(at, "rev_actors_R1", {1: {"stance": "opposes"}})
    assert "influence" in at.error[1].value.lower()
    assert len(db.load("single").actor_readings) == 1


def test_reviews_grid_adds_a_review(db):
    db.create_analysis(AnalysisInfo("empty", "Empty"))
    at = open_page("reviews", "empty")
    at.session_state["rev_reviews__editor"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"date": "2025-01-31", "title": "Baseline", "events": "Elections announced"}]}
    at.button(key="rev_reviews__save").click()
    at.run()
    ok(at)
    assert [(r.key, r.date, r.title) for r in db.load("empty").reviews] == [("R1", dt.date(2025, 1, 31), "Baseline")]
