"""AppTest of the Trends screen: the four charts, what changed between two reviews, stale indicators."""

import datetime as dt

import pytest

from dnh_graph import timeline
from dnh_graph.demo import load_demo
from dnh_graph.model import AnalysisInfo, FactorReading, Review
from tests.over_time_support import DEMOS, app_database, figures, infos, ok, open_page, single_review

STRENGTH = "Strength of dividers and connectors over the reviews"
PRESSURE = "Context pressure and capacity for peace"


@pytest.fixture
def db(tmp_path, monkeypatch):
    return app_database(tmp_path, monkeypatch)


def three_reviews():
    """The single-review analysis with two more reviews; D1 stays at 3 throughout (stale)."""
    analysis = single_review("three")
    analysis.reviews += [Review("R2", dt.date(2024, 4, 15), "Q2", "Market reopened"),
                         Review("R3", dt.date(2024, 7, 15), "Q3")]
    analysis.factor_readings += [FactorReading("R2", "C1", 4, "busy market"), FactorReading("R3", "D2", 2),
                                 FactorReading("R3", "C1", 1)]
    return analysis


def test_runs_on_an_empty_database(db):
    at = open_page("trends")
    assert not at.exception
    assert "No analysis" in infos(at)


def test_an_empty_analysis_explains_every_missing_chart(db):
    db.create_analysis(AnalysisInfo("empty", "Empty"))
    at = open_page("trends", "empty")
    ok(at)
    assert "No review yet" in infos(at)
    assert "No impacts" in infos(at)
    assert not figures(at)


def test_a_single_review_shows_messages_not_empty_charts(db):
    db.import_analysis(single_review())
    at = open_page("trends", "single")
    ok(at)
    text = infos(at)
    assert text.count("Add a second review to see a trend") == 3  # pressure, strength, actors
    assert "add a second review" in text  # what changed
    assert not figures(at)
    assert [m.value for m in at.metric] == ["12", "4"]  # pressure 3×4, capacity 2×2 at R1


@pytest.mark.parametrize("demo", DEMOS)
def test_every_demo_draws_its_charts_and_what_changed(db, demo):
    load_demo(db)
    at = open_page("trends", demo)
    ok(at)
    assert {PRESSURE, STRENGTH} <= set(figures(at))
    analysis = db.load(demo)
    points = timeline.trends(analysis)
    assert figures(at)[PRESSURE]["data"][0]["y"] == [p["pressure"] for p in points]
    assert at.metric[0].value == str(points[-1]["pressure"])


def test_what_changed_defaults_to_the_last_two_reviews_and_follows_the_choice(db):
    db.import_analysis(three_reviews())
    at = open_page("trends", "three")
    ok(at)
    assert (at.selectbox(key="tr_from").value, at.selectbox(key="tr_to").value) == ("R2", "R3")
    table = at.dataframe[0].value
    assert table[["change_type", "factor", "before", "after"]].values.tolist() == [
        ["Worse", "C1", 4, 1], ["Appeared", "D2", 0, 2]]  # a connector weakening is worse; D2 first read at R3
    at.selectbox(key="tr_from").select("R1").run()
    changed = timeline.what_changed(db.load("three"), "R1", "R3")
    table = at.dataframe[0].value
    assert set(table["factor"]) == {r["factor"] for g in ("better", "worse", "appeared", "disappeared")
                                    for r in changed[g]}


def test_the_same_review_twice_asks_for_two(db):
    db.import_analysis(three_reviews())
    at = open_page("trends", "three")
    at.selectbox(key="tr_from").select("R3").run()
    assert "two different reviews" in infos(at)


def test_a_factor_that_does_not_move_is_flagged(db):
    db.import_analysis(three_reviews())
    at = open_page("trends", "three")
    assert "this indicator may not be telling you anything" in at.warning[0].value
    stale = next(d.value for d in at.dataframe if "reviews" in d.value.columns)
    assert stale[["factor", "strength", "reviews"]].values.tolist() == [["D1", 3, 3]]


def test_filters_narrow_the_strength_chart(db):
    db.import_analysis(three_reviews())
    at = open_page("trends", "three")
    drawn = [t["name"] for t in figures(at)[STRENGTH]["data"] if t.get("hoverinfo") != "skip"]
    assert [n.split()[0] for n in drawn] == ["D1", "D2", "C1"]
    at.session_state["tr_kinds"] = ["connector"]
    at.run()
    drawn = [t["name"] for t in figures(at)[STRENGTH]["data"] if t.get("hoverinfo") != "skip"]
    assert [n.split()[0] for n in drawn] == ["C1"]
    at.session_state["tr_priorities"] = [5]
    at.run()
    assert "No divider or connector with a reading matches these filters" in infos(at)
