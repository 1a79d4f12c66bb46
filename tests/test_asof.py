"""Every view reads "as of a review" the same way (dnh_graph.asof): trends, network, report, exports."""

from __future__ import annotations

import datetime as dt

import networkx as nx
from hypothesis import given, settings

from dnh_graph import asof, network, timeline
from dnh_graph.model import Actor, ActorReading, Analysis, AnalysisInfo, Factor, FactorReading, Review
from dnh_graph.render.report import _actor_influence
from tests.test_timeline_properties import analyses

DAY = dt.date(2024, 3, 1)


def same_day() -> Analysis:
    """Two reviews on one date, each reading D1 and A1 (the case where trends and network disagreed)."""
    return Analysis(AnalysisInfo("s", "Same day"), actors=[Actor("A1", "Council", influence=2)],
                    factors=[Factor("D1", "divider", "Land", "values_interests", priority=1)],
                    reviews=[Review("R2", DAY), Review("R1", DAY)],
                    factor_readings=[FactorReading("R1", "D1", 4), FactorReading("R2", "D1", 1)],
                    actor_readings=[ActorReading("R1", "A1", 5), ActorReading("R2", "A1", 1)])


def strengths_in_graph(a: Analysis, review: str | None) -> dict[str, int]:
    graph = network.build_graph(a, review)
    return {d["key"]: d["strength"] for _, d in graph.nodes(data=True) if d["node_type"] == "factor"}


def test_a_review_sees_its_own_reading_in_every_view():
    a = same_day()
    for review, strength, influence in (("R1", 4, 5), ("R2", 1, 1)):
        assert timeline.strength_at(a, review) == {"D1": strength}
        assert strengths_in_graph(a, review) == {"D1": strength}
        assert next(t["pressure"] for t in timeline.trends(a) if t["review"] == review) == strength
        assert _actor_influence(a, review) == {"A1": influence}
        graph = network.build_graph(a, review)
        assert next(d["influence"] for _, d in graph.nodes(data=True) if d.get("key") == "A1") == influence
    assert strengths_in_graph(a, None) == {"D1": 1}  # now: after the last review (R2 by key)


@settings(max_examples=150, deadline=None)
@given(analyses())
def test_network_and_trends_agree_at_every_review(a):
    for review in asof.reviews_in_order(a):
        assert strengths_in_graph(a, review.key) == timeline.strength_at(a, review.key)


def test_network_files_of_two_reviews_put_shared_nodes_in_one_place(tmp_path):
    from dnh_graph import exports
    from dnh_graph.demo import demo_dir
    from dnh_graph.io import read_csv_folder

    a = read_csv_folder(demo_dir() / "hiv_support")
    first, last = asof.reviews_in_order(a)[0].key, asof.reviews_in_order(a)[-1].key
    positions = []
    for review in (first, last):
        out = exports.export(a, "gexf", tmp_path / f"{review}.gexf", review=review)
        graph = nx.read_gexf(out)
        positions.append({n: (d["viz"]["position"]["x"], d["viz"]["position"]["y"])
                          for n, d in graph.nodes(data=True)})
    shared = positions[0].keys() & positions[1].keys()
    assert shared and all(positions[0][n] == positions[1][n] for n in shared)
