"""Hand-computed examples for dnh_graph.timeline (docs/method.md "Context over time")."""

import datetime as dt
import json

import pandas as pd
import pytest

from dnh_graph import timeline
from dnh_graph.model import (
    Actor,
    ActorReading,
    Analysis,
    AnalysisInfo,
    Detail,
    Factor,
    FactorReading,
    Impact,
    Review,
)

D = dt.date


def make(factors=(), reviews=(), readings=(), **tables) -> Analysis:
    return Analysis(info=tables.pop("info", AnalysisInfo("t", "Test")), factors=list(factors),
                    reviews=list(reviews), factor_readings=list(readings), **tables)


def divider(key, priority=3):
    return Factor(key, "divider", f"Divider {key}", "experiences", priority=priority)


def connector(key, priority=3):
    return Factor(key, "connector", f"Connector {key}", "values_interests", priority=priority)


def points(analysis):
    return [(t["review"], t["pressure"], t["capacity"]) for t in timeline.trends(analysis)]


# ------------------------------------------------------------------------------ reviews_in_order
def test_reviews_in_order_by_date_then_key():
    a = make(reviews=[Review("B", D(2024, 5, 1)), Review("Z", D(2024, 1, 1)), Review("A", D(2024, 5, 1))])
    assert [r.key for r in timeline.reviews_in_order(a)] == ["Z", "A", "B"]


# ------------------------------------------------------------------------------- trends / §5
def test_reading_after_a_review_does_not_count():
    a = make([divider("D1", 2)], [Review("R1", D(2024, 1, 1)), Review("R2", D(2024, 6, 1))],
             [FactorReading("R2", "D1", 4)])
    assert points(a) == [("R1", 0, 0), ("R2", 8, 0)]


def test_factor_with_no_reading_counts_zero():
    a = make([divider("D1", 2), divider("D2", 5), connector("C1", 4)], [Review("R1", D(2024, 1, 1))],
             [FactorReading("R1", "D1", 3)])
    assert timeline.strength_at(a, "R1") == {"D1": 3, "D2": 0, "C1": 0}
    assert points(a) == [("R1", 6, 0)]


def test_latest_reading_is_carried_forward():
    a = make([divider("D1", 2), connector("C1", 3)],
             [Review("R1", D(2024, 1, 1)), Review("R2", D(2024, 4, 1)), Review("R3", D(2024, 7, 1))],
             [FactorReading("R1", "D1", 5), FactorReading("R1", "C1", 1), FactorReading("R2", "C1", 4)])
    assert points(a) == [("R1", 10, 3), ("R2", 10, 12), ("R3", 10, 12)]


def test_priority_weights_each_factor():
    a = make([divider("D1", 1), divider("D2", 5), connector("C1", 2), connector("C2", 4)],
             [Review("R1", D(2024, 1, 1))],
             [FactorReading("R1", "D1", 3), FactorReading("R1", "D2", 3), FactorReading("R1", "C1", 2),
              FactorReading("R1", "C2", 1)])
    # pressure = 3×1 + 3×5 = 18; capacity = 2×2 + 1×4 = 8
    assert points(a) == [("R1", 18, 8)]


def test_a_review_sees_its_own_readings_not_those_of_a_later_review_on_the_same_date():
    # docs/method.md: reviews by date then key; as of r, the last reading at or before r in that order
    a = make([divider("D1", 2), divider("D2", 1)],
             [Review("R2", D(2024, 3, 1)), Review("R1", D(2024, 3, 1)), Review("R0", D(2024, 1, 1))],
             [FactorReading("R0", "D1", 1), FactorReading("R1", "D1", 3), FactorReading("R2", "D1", 4),
              FactorReading("R1", "D2", 5)])
    assert points(a) == [("R0", 2, 0), ("R1", 11, 0), ("R2", 13, 0)]
    assert timeline.strength_at(a, "R1") == {"D1": 3, "D2": 5}
    assert timeline.readings_at(a, "R1")["D1"].review == "R1"
    assert timeline.readings_at(a, "R2")["D1"].review == "R2"


def test_readings_of_unknown_factors_or_reviews_are_ignored():
    a = make([divider("D1", 2)], [Review("R1", D(2024, 1, 1))],
             [FactorReading("R1", "D1", 1), FactorReading("R1", "GONE", 5), FactorReading("R9", "D1", 5)])
    assert points(a) == [("R1", 2, 0)]


def test_strength_at_unknown_review_says_so():
    with pytest.raises(LookupError, match="Review 'R9' is not in analysis 't'"):
        timeline.strength_at(make(), "R9")


def test_no_reviews_no_trend():
    assert timeline.trends(make([divider("D1")])) == []
    assert timeline.trends_json(make()) == []


def test_trends_json_is_plain_json_in_date_order():
    a = make([divider("D1", 2), connector("C1", 3)],
             [Review("late", D(2025, 2, 1)), Review("early", D(2024, 12, 31))],
             [FactorReading("early", "D1", 2), FactorReading("late", "C1", 1)])
    result = timeline.trends_json(a)
    assert result == [{"review": "early", "date": "2024-12-31", "pressure": 4, "capacity": 0},
                      {"review": "late", "date": "2025-02-01", "pressure": 4, "capacity": 3}]
    assert json.loads(json.dumps(result)) == result
    assert all(type(r["pressure"]) is int and type(r["capacity"]) is int for r in result)


# ---------------------------------------------------------------------------- factor_series
def test_factor_series_marks_readings_carried_values_and_none():
    a = make([divider("D1", 2), connector("C1", 3)],
             [Review("R1", D(2024, 1, 1)), Review("R2", D(2024, 4, 1))],
             [FactorReading("R1", "D1", 4, "tense"), FactorReading("R2", "C1", 2, "market day")])
    df = timeline.factor_series(a)
    rows = {(r.review, r.factor): r for r in df.itertuples(index=False)}
    r1, r2 = rows["R1", "D1"], rows["R2", "D1"]
    assert (r1.strength, r1.source, r1.read_at) == (4, "reading", "R1")
    assert (r2.strength, r2.source, r2.read_at) == (4, "carried", "R1")
    assert rows["R2", "D1"].note == "tense"
    assert str(rows["R2", "D1"].reading) == "<NA>"
    assert (rows["R1", "C1"].strength, rows["R1", "C1"].source) == (0, "none")
    assert pd.isna(rows["R1", "C1"].read_at)
    assert rows["R2", "C1"].reading == 2
    assert list(df.columns) == timeline.FACTOR_SERIES_COLUMNS
    assert len(df) == 4


def test_factor_series_sums_to_pressure_and_capacity():
    a = make([divider("D1", 2), divider("D2", 4), connector("C1", 3)],
             [Review("R1", D(2024, 1, 1)), Review("R2", D(2024, 4, 1))],
             [FactorReading("R1", "D1", 4), FactorReading("R2", "D2", 1), FactorReading("R2", "C1", 5)])
    df = timeline.factor_series(a)
    df["weighted"] = df["strength"] * df["priority"]
    sums = df.groupby(["review", "kind"])["weighted"].sum()
    for point in timeline.trends(a):
        assert sums[point["review"], "divider"] == point["pressure"]
        assert sums[point["review"], "connector"] == point["capacity"]


def test_factor_series_empty_analysis_has_the_columns():
    df = timeline.factor_series(make())
    assert df.empty and list(df.columns) == timeline.FACTOR_SERIES_COLUMNS


def test_readings_grid_shows_only_readings_taken():
    a = make([divider("D1"), connector("C1")], [Review("R2", D(2024, 4, 1)), Review("R1", D(2024, 1, 1))],
             [FactorReading("R1", "D1", 4, "tense"), FactorReading("R2", "C1", 0)])
    grid = timeline.readings_grid(a)
    assert list(grid.columns) == ["R1", "R2"] and list(grid.index) == ["D1", "C1"]
    assert grid.loc["D1"].tolist()[0] == 4 and str(grid.loc["D1", "R2"]) == "<NA>"
    assert grid.loc["C1", "R2"] == 0
    notes = timeline.readings_grid(a, "note")
    assert notes.loc["D1", "R1"] == "tense" and notes.loc["D1", "R2"] == ""
    with pytest.raises(ValueError):
        timeline.readings_grid(a, "priority")


# ----------------------------------------------------------------------------- actors
def test_actor_series_carries_forward_and_leaves_unread_actors_empty():
    a = make(reviews=[Review("R1", D(2024, 1, 1)), Review("R2", D(2024, 4, 1))],
             actors=[Actor("A1", "Council"), Actor("A2", "Militia", influence=5)],
             actor_readings=[ActorReading("R1", "A1", 2, "opposes")])
    df = timeline.actor_series(a)
    rows = {(r.review, r.actor): r for r in df.itertuples(index=False)}
    assert (rows["R2", "A1"].influence, rows["R2", "A1"].stance, rows["R2", "A1"].source) == (2, "opposes",
                                                                                              "carried")
    assert rows["R1", "A2"].source == "none" and pd.isna(rows["R1", "A2"].stance)
    assert str(rows["R1", "A2"].influence) == "<NA>"


def test_prefill_readings_copies_the_latest_values_without_notes():
    a = make([divider("D1"), connector("C1"), divider("D2")],
             [Review("R1", D(2024, 1, 1)), Review("R2", D(2024, 4, 1))],
             [FactorReading("R1", "D1", 4, "old"), FactorReading("R2", "D1", 2, "new"),
              FactorReading("R1", "C1", 1)],
             actors=[Actor("A1", "Council", influence=5, stance="supports"), Actor("A2", "Militia")],
             actor_readings=[ActorReading("R1", "A2", 4, "opposes")])
    factors, actors = timeline.prefill_readings(a, "R3")
    assert factors == [FactorReading("R3", "D1", 2), FactorReading("R3", "C1", 1)]
    assert actors == [ActorReading("R3", "A1", 5, "supports"), ActorReading("R3", "A2", 4, "opposes")]
    # prefilling an existing review ignores its own readings
    factors, _ = timeline.prefill_readings(a, "R2")
    assert factors == [FactorReading("R2", "D1", 4), FactorReading("R2", "C1", 1)]


# ---------------------------------------------------------------------------- impacts
def impact_analysis(start=D(2024, 1, 1)):
    return make([divider("D1", 3), connector("C1", 2)], [Review("R1", D(2024, 2, 1))],
                info=AnalysisInfo("t", "Test", start_date=start),
                details=[Detail("X1", "what"), Detail("X2", "how", active=False)],
                impacts=[Impact("X1", "D1", "strengthens", 2, "resource_transfer"),  # harm 6, undated
                         Impact("X1", "C1", "weakens", 1, "staff_behaviour",
                                observed_on=D(2024, 3, 1)),  # harm 2
                         Impact("X1", "C1", "strengthens", 3, "resource_transfer",
                                observed_on=D(2024, 5, 1)),  # help 6
                         Impact("X1", "D1", "weakens", 1, "staff_behaviour",
                                observed_on=D(2024, 5, 1)),  # help 3
                         Impact("X2", "D1", "strengthens", 3, "resource_transfer",
                                observed_on=D(2024, 4, 1))])  # inactive: no row


def test_impact_timeline_hand_computed():
    df = timeline.impact_timeline(impact_analysis())
    assert list(df["date"]) == [D(2024, 1, 1), D(2024, 3, 1), D(2024, 5, 1)]
    assert list(df["undated"]) == [True, False, False]
    assert list(df["harm"]) == [6, 2, 0] and list(df["help"]) == [0, 0, 9]
    assert list(df["cum_harm"]) == [6, 8, 8] and list(df["cum_help"]) == [0, 0, 9]
    assert list(df["cum_net"]) == [-6, -8, 1]
    assert list(df["impacts"]) == [1, 1, 2]
    assert df["items"][0] == (("X1", "D1", "strengthens", 2, True, ""),)


def test_undated_impacts_start_at_the_earliest_known_date():
    df = timeline.impact_timeline(impact_analysis(start=None))
    assert df["date"][0] == D(2024, 2, 1)  # the first review; no start date
    late_start = timeline.impact_timeline(impact_analysis(start=D(2024, 12, 1)))
    assert late_start["date"][0] == D(2024, 2, 1)  # never after dated impacts or reviews
    assert list(late_start["date"]) == sorted(late_start["date"])


def test_undated_impacts_without_any_date():
    a = make([divider("D1", 2)], details=[Detail("X1", "what")],
             impacts=[Impact("X1", "D1", "strengthens", 1, "resource_transfer")])
    df = timeline.impact_timeline(a)
    assert len(df) == 1 and df["date"][0] is None and df["cum_harm"][0] == 2


def test_impact_timeline_ends_at_the_analysis_totals():
    scoring = pytest.importorskip("dnh_graph.scoring")
    a = impact_analysis()
    last = timeline.impact_timeline(a).iloc[-1]
    totals = scoring.score(a, with_robustness=False).totals
    assert (last["cum_harm"], last["cum_help"], last["cum_net"]) == (totals.harm, totals.help, totals.net)


def test_impact_timeline_empty():
    df = timeline.impact_timeline(make())
    assert df.empty and list(df.columns) == timeline.IMPACT_TIMELINE_COLUMNS
