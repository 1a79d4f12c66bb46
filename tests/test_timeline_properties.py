"""Property: trends() equals an independent, naive reading of docs/method.md on random analyses."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from dnh_graph import timeline
from dnh_graph.model import Analysis, AnalysisInfo, Factor, FactorReading, Review


@st.composite
def analyses(draw):
    n_factors = draw(st.integers(0, 6))
    factors = [Factor(f"F{i}", draw(st.sampled_from(["divider", "connector"])), f"Factor {i}", "experiences",
                      priority=draw(st.integers(1, 5))) for i in range(n_factors)]
    n_reviews = draw(st.integers(0, 6))
    # few distinct days, so that reviews often share a date
    reviews = [Review(f"R{i}", dt.date(2024, 1, 1) + dt.timedelta(days=draw(st.integers(0, 4))))
               for i in range(n_reviews)]
    readings = []
    for review in reviews:
        for factor in factors:
            if draw(st.booleans()):
                readings.append(FactorReading(review.key, factor.key, draw(st.integers(0, 5))))
    order = draw(st.permutations(range(len(reviews)))) if reviews else []
    shuffled = draw(st.permutations(readings)) if readings else []
    return Analysis(AnalysisInfo("p", "Property"), factors=factors, reviews=[reviews[i] for i in order],
                    factor_readings=list(shuffled))


def naive_trends(analysis):
    """docs/method.md read literally, written independently of dnh_graph.timeline."""
    review_of = {r.key: r for r in analysis.reviews}
    result = []
    for r in sorted(analysis.reviews, key=lambda r: (r.date, r.key)):
        pressure = capacity = 0
        for f in analysis.factors:
            at = (r.date, r.key)  # "the last review at or before r in that order"
            candidates = [x for x in analysis.factor_readings
                          if x.factor == f.key and (review_of[x.review].date, x.review) <= at]
            strength = 0
            if candidates:
                latest = max(candidates, key=lambda x: (review_of[x.review].date, x.review))
                strength = latest.strength
            if f.kind == "divider":
                pressure += strength * f.priority
            else:
                capacity += strength * f.priority
        result.append({"review": r.key, "date": r.date.isoformat(), "pressure": pressure,
                       "capacity": capacity})
    return result


@settings(max_examples=300, deadline=None)
@given(analyses())
def test_trends_match_a_naive_reading_of_design(analysis):
    assert timeline.trends_json(analysis) == naive_trends(analysis)


@settings(max_examples=100, deadline=None)
@given(analyses())
def test_factor_series_strengths_add_up_to_the_trends(analysis):
    df = timeline.factor_series(analysis)
    expected = {(t["review"]): (t["pressure"], t["capacity"]) for t in timeline.trends(analysis)}
    for review, (pressure, capacity) in expected.items():
        rows = df[df["review"] == review]
        weighted = rows["strength"] * rows["priority"]
        assert int(weighted[rows["kind"] == "divider"].sum()) == pressure
        assert int(weighted[rows["kind"] == "connector"].sum()) == capacity


@settings(max_examples=100, deadline=None)
@given(analyses())
def test_what_changed_sorts_every_factor_into_one_group(analysis):
    keys = [r.key for r in analysis.reviews]
    if not keys:
        return
    changed = timeline.what_changed(analysis, keys[0], keys[-1])
    grouped = [row["factor"] for group, rows in changed.items() if group != "actors" for row in rows]
    assert sorted(grouped) == sorted(f.key for f in analysis.factors)
