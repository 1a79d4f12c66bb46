"""AppTest of the Monitoring screen: the seven DNH criteria rated at a review, and the heat-map."""

import pytest

from dnh_graph.demo import load_demo
from dnh_graph.model import AnalysisInfo, Monitoring
from tests.over_time_support import DEMOS, app_database, edit_grid, figures, infos, ok, open_page, single_review

HEATMAP = "DNH criteria over the reviews"


@pytest.fixture
def db(tmp_path, monkeypatch):
    return app_database(tmp_path, monkeypatch)


def test_runs_on_an_empty_database(db):
    at = open_page("monitoring")
    assert not at.exception
    assert "No analysis" in infos(at)


def test_an_empty_analysis_asks_for_a_review_first(db):
    db.create_analysis(AnalysisInfo("empty", "Empty"))
    at = open_page("monitoring", "empty")
    ok(at)
    assert "add a review first" in infos(at)


def test_a_single_review_lists_all_seven_criteria_unrated(db):
    db.import_analysis(single_review())
    at = open_page("monitoring", "single")
    ok(at)
    assert "7 criteria still unrated at R1" in at.warning[0].value
    assert "No DNH criteria rated yet" in infos(at)  # instead of an empty heat-map
    assert not figures(at)


@pytest.mark.parametrize("demo", DEMOS)
def test_every_demo_draws_the_heatmap(db, demo):
    load_demo(db)
    at = open_page("monitoring", demo)
    ok(at)
    assert HEATMAP in figures(at)
    analysis = db.load(demo)
    latest = max(analysis.reviews, key=lambda r: (r.date, r.key)).key
    assert at.selectbox(key="mon_review").value == latest


def test_rating_a_criterion_saves_it_and_takes_it_off_the_unrated_list(db):
    db.import_analysis(single_review())
    at = open_page("monitoring", "single")
    edit_grid(at, "mon_ratings_R1", {0: {"rating": "medium", "evidence": "Flood response was rushed.",
                                         "recommendation": "Agree criteria for emergencies."}})
    ok(at)
    assert db.load("single").monitoring == [Monitoring("R1", "conflict_sensitive", "medium",
                                                       "Flood response was rushed.", "Agree criteria for emergencies.")]
    assert "6 criteria still unrated at R1" in at.warning[0].value
    assert "The programme is conflict sensitive" not in at.warning[0].value
    assert "Add a second review to see ratings over time" in infos(at)


def test_clearing_a_rating_removes_it_and_all_rated_says_so(db):
    analysis = single_review()
    analysis.monitoring = [Monitoring("R1", c, "high") for c in
                           ("conflict_sensitive", "aware_theft_diversion", "aware_market", "aware_distribution",
                            "aware_substitution", "aware_legitimization", "me_captures_unintended")]
    db.import_analysis(analysis)
    at = open_page("monitoring", "single")
    ok(at)
    assert "All seven DNH criteria are rated at R1" in at.success[0].value
    edit_grid(at, "mon_ratings_R1", {6: {"rating": None}})
    ok(at)
    assert len(db.load("single").monitoring) == 6
    assert "One criterion still unrated at R1" in at.warning[0].value


def test_evidence_without_a_rating_is_refused(db):
    db.import_analysis(single_review())
    at = open_page("monitoring", "single")
    edit_grid(at, "mon_ratings_R1", {2: {"evidence": "prices doubled"}})
    assert "Nothing was saved" in at.error[0].value
    assert "Row 3" in at.error[1].value
    assert db.load("single").monitoring == []
