"""What changed between reviews, stale indicators and DNH criteria ratings (dnh_graph.timeline)."""

import datetime as dt

import pytest

from dnh_graph import timeline, vocab
from dnh_graph.model import (
    Actor,
    ActorReading,
    Analysis,
    AnalysisInfo,
    Factor,
    FactorReading,
    Monitoring,
    Review,
)

D = dt.date


def reviews(n):
    return [Review(f"R{i}", D(2024, i, 1), f"Quarter {i}") for i in range(1, n + 1)]


def make(factors=(), n_reviews=2, readings=(), **tables) -> Analysis:
    return Analysis(info=AnalysisInfo("t", "Test"), factors=list(factors), reviews=reviews(n_reviews),
                    factor_readings=[FactorReading(r, f, s) for r, f, s in readings], **tables)


def F(key, kind, priority=3):
    return Factor(key, kind, f"{kind} {key}", "experiences", priority=priority)


def groups_of(changed):
    return {group: [row["factor"] for row in rows] for group, rows in changed.items() if group != "actors"}


# ----------------------------------------------------------------------------- what_changed
def test_divider_weaker_is_better_and_stronger_is_worse():
    a = make([F("D1", "divider"), F("D2", "divider")],
             readings=[("R1", "D1", 4), ("R2", "D1", 2), ("R1", "D2", 1), ("R2", "D2", 3)])
    changed = timeline.what_changed(a, "R1", "R2")
    assert groups_of(changed)["better"] == ["D1"] and groups_of(changed)["worse"] == ["D2"]
    row = changed["better"][0]
    assert (row["before"], row["after"], row["change"], row["kind"]) == (4, 2, -2, "divider")


def test_connector_stronger_is_better_and_weaker_is_worse():
    a = make([F("C1", "connector"), F("C2", "connector")],
             readings=[("R1", "C1", 2), ("R2", "C1", 5), ("R1", "C2", 3), ("R2", "C2", 1)])
    groups = groups_of(timeline.what_changed(a, "R1", "R2"))
    assert groups["better"] == ["C1"] and groups["worse"] == ["C2"]


def test_appeared_disappeared_unchanged_and_unread():
    a = make([F("D1", "divider"), F("C1", "connector"), F("D2", "divider"), F("C2", "connector"),
              F("D3", "divider")],
             readings=[("R2", "D1", 3),                      # no reading before: appeared
                       ("R1", "C1", 0), ("R2", "C1", 2),     # absent (0) then present: appeared
                       ("R1", "D2", 4), ("R2", "D2", 0),     # disappeared
                       ("R1", "C2", 3)])                     # carried forward: unchanged
    groups = groups_of(timeline.what_changed(a, "R1", "R2"))
    assert groups == {"better": [], "worse": [], "appeared": ["D1", "C1"], "disappeared": ["D2"],
                      "unchanged": ["C2"], "unread": ["D3"]}


def test_changes_are_sorted_by_weighted_size_then_key():
    a = make([F("D1", "divider", 1), F("D2", "divider", 5), F("D3", "divider", 5)],
             readings=[("R1", "D1", 1), ("R2", "D1", 5), ("R1", "D2", 1), ("R2", "D2", 2),
                       ("R1", "D3", 1), ("R2", "D3", 2)])
    assert groups_of(timeline.what_changed(a, "R1", "R2"))["worse"] == ["D2", "D3", "D1"]  # 5, 5, 4


def test_what_changed_note_is_the_later_reading():
    a = Analysis(AnalysisInfo("t", "T"), factors=[F("D1", "divider")], reviews=reviews(2),
                 factor_readings=[FactorReading("R1", "D1", 1, "calm"),
                                  FactorReading("R2", "D1", 4, "riots")])
    assert timeline.what_changed(a, "R1", "R2")["worse"][0]["note"] == "riots"


def test_actors_whose_influence_or_stance_changed():
    a = make(n_reviews=2,
             actors=[Actor("A1", "Council"), Actor("A2", "Militia"), Actor("A3", "Pagoda"),
                     Actor("A4", "New")],
             actor_readings=[ActorReading("R1", "A1", 2, "neutral"), ActorReading("R2", "A1", 4, "neutral"),
                             ActorReading("R1", "A2", 3, "neutral"), ActorReading("R2", "A2", 3, "opposes"),
                             ActorReading("R1", "A3", 3, "supports"),   # carried: no change
                             ActorReading("R2", "A4", 5, "supports")])  # nothing to compare with
    actors = timeline.what_changed(a, "R1", "R2")["actors"]
    assert [(r["actor"], r["influence_before"], r["influence_after"], r["stance_before"], r["stance_after"])
            for r in actors] == [("A1", 2, 4, "neutral", "neutral"), ("A2", 3, 3, "neutral", "opposes")]


def test_what_changed_unknown_review():
    with pytest.raises(LookupError):
        timeline.what_changed(make(), "R1", "R7")


# ---------------------------------------------------------------------------- stale_factors
def test_factor_read_the_same_over_three_reviews_is_stale():
    a = make([F("D1", "divider"), F("C1", "connector")], n_reviews=4,
             readings=[("R1", "D1", 2), ("R2", "D1", 3), ("R3", "D1", 3), ("R4", "D1", 3),
                       ("R1", "C1", 1), ("R2", "C1", 1), ("R3", "C1", 1), ("R4", "C1", 2)])
    stale = timeline.stale_factors(a)
    assert [(s["factor"], s["strength"], s["reviews"], s["since_review"], s["readings"]) for s in stale] == [
        ("D1", 3, 3, "R2", 3)]
    assert stale[0]["message"] == "this indicator may not be telling you anything"
    assert stale[0]["since_date"] == D(2024, 2, 1)


def test_an_indicator_nobody_updates_is_stale_too():
    a = make([F("D1", "divider", 2), F("D2", "divider", 4)], n_reviews=5,
             readings=[("R1", "D1", 4), ("R1", "D2", 1), ("R2", "D2", 1), ("R3", "D2", 1)])
    stale = timeline.stale_factors(a)
    # same run length: the higher priority (D2, 4) first
    assert [(s["factor"], s["reviews"], s["readings"]) for s in stale] == [("D2", 5, 3), ("D1", 5, 1)]


def test_not_stale_when_it_moved_recently_or_too_few_reviews():
    moved = make([F("D1", "divider")], n_reviews=3,
                 readings=[("R1", "D1", 2), ("R2", "D1", 2), ("R3", "D1", 1)])
    assert timeline.stale_factors(moved) == []
    short = make([F("D1", "divider")], n_reviews=2, readings=[("R1", "D1", 2), ("R2", "D1", 2)])
    assert timeline.stale_factors(short) == []
    assert [s["factor"] for s in timeline.stale_factors(short, min_reviews=2)] == ["D1"]


def test_never_read_factor_is_not_stale():
    a = make([F("D1", "divider")], n_reviews=4)
    assert timeline.stale_factors(a) == []


def test_stale_needs_a_positive_window():
    with pytest.raises(ValueError):
        timeline.stale_factors(make(), min_reviews=0)


# ------------------------------------------------------------------------------- monitoring
def monitored():
    return make(n_reviews=3, monitoring=[
        Monitoring("R3", "aware_market", "low", "prices up", "buy locally"),
        Monitoring("R1", "conflict_sensitive", "medium"),
        Monitoring("R3", "conflict_sensitive", "high"),
    ])


def test_monitoring_matrix_criteria_by_reviews():
    matrix = timeline.monitoring_matrix(monitored())
    assert list(matrix.index) == list(vocab.keys("criterion"))
    assert list(matrix.columns) == ["R1", "R2", "R3"]
    assert matrix.loc["conflict_sensitive"].tolist() == ["medium", None, "high"]
    assert matrix.loc["aware_market", "R3"] == "low"
    assert matrix.loc["me_captures_unintended"].tolist() == [None, None, None]


def test_monitoring_matrix_without_reviews_keeps_the_criteria():
    matrix = timeline.monitoring_matrix(make(n_reviews=0))
    assert list(matrix.index) == list(vocab.keys("criterion")) and matrix.shape[1] == 0


def test_monitoring_series_in_review_then_criterion_order():
    df = timeline.monitoring_series(monitored())
    assert list(zip(df["review"], df["criterion"], strict=True)) == [
        ("R1", "conflict_sensitive"), ("R3", "conflict_sensitive"), ("R3", "aware_market")]
    assert df["evidence"].tolist()[-1] == "prices up" and df["recommendation"].tolist()[-1] == "buy locally"


def test_unrated_criteria():
    a = monitored()
    assert timeline.unrated_criteria(a, "R2") == list(vocab.keys("criterion"))
    assert "conflict_sensitive" not in timeline.unrated_criteria(a, "R1")
    assert len(timeline.unrated_criteria(a, "R3")) == len(vocab.keys("criterion")) - 2
    with pytest.raises(LookupError):
        timeline.unrated_criteria(a, "R9")
