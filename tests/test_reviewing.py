"""dnh_graph.reviewing: the per-review grids' diff, the quick entry, and the Trends tables."""

import datetime as dt

import pytest

from dnh_graph import reviewing, timeline
from dnh_graph.model import ActorReading, AnalysisInfo, FactorReading, InvalidInput, Monitoring, Review
from tests.over_time_support import single_review


def rows(frame, **edits):
    """The frame's rows with {row index: {column: value}} applied."""
    records = frame.to_dict("records")
    for index, values in edits.items():
        records[int(index)].update(values)
    return records


def test_factor_frame_has_one_row_per_factor_with_the_earlier_reading():
    analysis = timeline._example_analysis()
    frame = reviewing.factor_readings_frame(analysis, "R3")
    assert list(frame["factor"]) == ["D1", "D2", "C1"]
    assert list(frame["previous"]) == [2, 3, 1]  # D1 and C1 from R1, D2 from R2
    assert list(frame["strength"]) == [3, 3, 3]
    assert frame["id"].isna().all()  # not from a store


def test_unchanged_rows_save_nothing():
    analysis = timeline._example_analysis()
    frame = reviewing.factor_readings_frame(analysis, "R1")
    assert reviewing.review_changes("factor_readings", analysis, "R1", frame.to_dict("records")).empty


def test_new_changed_and_emptied_rows(store):
    store.import_analysis(single_review())
    analysis = store.load("single")
    frame = reviewing.factor_readings_frame(analysis, "R1")
    changes = reviewing.review_changes("factor_readings", analysis, "R1",
                                       rows(frame, **{"0": {"note": "calmer"}, "1": {"strength": 0},
                                                      "2": {"strength": None, "note": ""}}))
    assert [(r.factor, r.strength, r.note, r.id is not None) for r in changes.upserts] == [
        ("D1", 3, "calmer", True), ("D2", 0, "", False)]
    assert [r.factor for r in changes.deletes] == ["C1"]
    assert changes.rows == [1, 2]
    store.save_rows("single", "factor_readings", changes.upserts, changes.deletes)
    assert {(r.factor, r.strength) for r in store.load("single").factor_readings} == {("D1", 3), ("D2", 0)}


def test_actor_reading_needs_an_influence():
    analysis = single_review()
    frame = reviewing.actor_readings_frame(analysis, "R1")
    changes = reviewing.review_changes("actor_readings", analysis, "R1", rows(frame, **{"1": {"stance": "opposes"}}))
    assert [(p.row, p.column) for p in changes.problems] == [(2, "influence")]
    assert not changes.upserts


def test_monitoring_rows_cover_every_criterion_and_evidence_needs_a_rating():
    analysis = single_review()
    analysis.monitoring.append(Monitoring("R1", "aware_market", "low", "prices doubled"))
    frame = reviewing.monitoring_frame(analysis, "R1")
    assert len(frame) == 7 and frame.loc[2, "rating"] == "low"
    changes = reviewing.review_changes("monitoring", analysis, "R1",
                                       rows(frame, **{"0": {"rating": "high"}, "1": {"evidence": "seen"}}))
    assert [(p.row, p.column) for p in changes.problems] == [(2, "rating")]
    assert [(r.criterion, r.rating) for r in changes.upserts] == [("conflict_sensitive", "high")]


def test_next_review_key_and_previous_review():
    analysis = single_review()
    assert reviewing.next_review_key(analysis) == "R2"
    assert reviewing.previous_review(analysis, "R1") is None
    with pytest.raises(LookupError):
        reviewing.previous_review(analysis, "R9")


def test_create_review_copies_the_latest_readings(store):
    store.import_analysis(single_review())
    made = reviewing.create_review(store, store.load("single"), Review("R2", dt.date(2024, 5, 1), "Q2"))
    assert made == (2, 2)
    analysis = store.load("single")
    assert timeline.strength_at(analysis, "R2") == timeline.strength_at(analysis, "R1")


def test_create_review_without_prefill_adds_the_review_alone(store):
    store.create_analysis(AnalysisInfo("empty", "Empty"))
    assert reviewing.create_review(store, store.load("empty"), Review("R1", dt.date(2024, 5, 1)), False) == (0, 0)
    assert [r.key for r in store.load("empty").reviews] == ["R1"]


@pytest.mark.parametrize("sheet", ["factor_readings", "actor_readings"])
def test_a_refused_reading_leaves_no_orphan_review(store, sheet, monkeypatch):
    """The review and its readings are one transaction: a refused reading takes the review back too."""
    store.import_analysis(single_review())
    before = store.load("single")
    factor_readings, actor_readings = timeline.prefill_readings(before, "R2")
    if sheet == "factor_readings":
        factor_readings = [*factor_readings, FactorReading("R2", "NO_SUCH_FACTOR", 3)]
    else:
        actor_readings = [*actor_readings, ActorReading("R2", "NO_SUCH_ACTOR", 3)]
    monkeypatch.setattr(timeline, "prefill_readings", lambda a, key: (factor_readings, actor_readings))
    with pytest.raises(InvalidInput, match="NO_SUCH"):
        reviewing.create_review(store, before, Review("R2", dt.date(2024, 5, 1)))
    after = store.load("single")
    assert [r.key for r in after.reviews] == ["R1"]
    assert after.factor_readings == before.factor_readings and after.actor_readings == before.actor_readings


def test_changes_frame_lists_worse_first_with_words():
    analysis = timeline._example_analysis()
    frame = reviewing.changes_frame(timeline.what_changed(analysis, "R1", "R3"))
    assert frame[["change_type", "factor", "before", "after"]].values.tolist() == [
        ["Worse", "D1", 2, 3], ["Better", "C1", 1, 3], ["Appeared", "D2", 0, 3]]
    actors = reviewing.actor_changes_frame(timeline.what_changed(analysis, "R1", "R3"))
    assert actors.values.tolist() == [["A1", "Fishers' association", "4 → 2", "Neutral → Supports"]]


def test_stale_frame_carries_the_message():
    analysis = timeline._example_analysis()
    assert reviewing.stale_frame(analysis).empty
    frame = reviewing.stale_frame(analysis, min_reviews=2)
    assert frame[["factor", "strength", "reviews", "since"]].values.tolist() == [["D2", 3, 2, "R2 · 2024-04-15"]]
    assert frame.loc[0, "message"] == timeline.STALE_MESSAGE
