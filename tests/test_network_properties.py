"""Properties of the network over many generated analyses (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnh_graph import network
from dnh_graph.network.graph import find_node
from dnh_graph.synthetic import generate_analysis

analyses = st.builds(
    generate_analysis,
    actors=st.integers(0, 25), relationships=st.integers(0, 40), factors=st.integers(0, 10),
    details=st.integers(0, 8), impacts=st.integers(0, 30), options=st.just(0),
    option_impacts_per_option=st.just(0),
    reviews=st.integers(0, 4), seed=st.integers(0, 10_000),
    inactive_share=st.sampled_from([0.0, 0.3, 1.0]), sensitive_share=st.sampled_from([0.0, 0.5]),
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def review_of(analysis, pick: int) -> str | None:
    keys = [None] + [r.key for r in analysis.reviews]
    return keys[pick % len(keys)]


@SETTINGS
@given(analyses, st.integers(0, 10))
def test_counts_match_the_analysis_as_of_the_review(analysis, pick):
    review = review_of(analysis, pick)
    g = network.build_graph(analysis, review)
    active = {d.key for d in analysis.details if d.active}
    assert g.number_of_nodes() == len(analysis.actors) + len(analysis.factors) + len(active)
    cutoff = next((r.date for r in analysis.reviews if r.key == review), None)
    counted = [i for i in analysis.impacts if i.detail in active
               and (cutoff is None or i.observed_on is None or i.observed_on <= cutoff)]
    assert g.number_of_edges() == len(analysis.relationships) + len(analysis.factor_actors) + len(counted)


@SETTINGS
@given(analyses, st.integers(0, 10))
def test_strength_is_the_latest_reading_on_or_before_the_review(analysis, pick):
    review = review_of(analysis, pick)
    g = network.build_graph(analysis, review)
    dates = {r.key: r.date for r in analysis.reviews}
    cutoff = dates.get(review)
    for factor in analysis.factors:
        readings = [(dates[r.review], r.strength) for r in analysis.factor_readings
                    if r.factor == factor.key and (cutoff is None or dates[r.review] <= cutoff)]
        node = g.nodes[find_node(g, factor.key, "factor")]
        assert node["strength"] == (max(readings)[1] if readings else 0)
        assert node["contribution"] == node["strength"] * factor.priority


@SETTINGS
@given(analyses, st.integers(0, 10), st.booleans())
def test_filters_and_focus_give_subgraphs(analysis, pick, harm_only):
    g = network.build_graph(analysis, review_of(analysis, pick))
    f = network.filter_graph(g, min_priority=2, harm_pathways_only=harm_only)
    assert set(f.nodes) <= set(g.nodes)
    assert set(f.edges(keys=True)) <= set(g.edges(keys=True))
    if harm_only:
        assert all(d["harmful"] for *_, d in f.edges(data=True) if d["edge_type"] == "impact")
        assert not any(d["edge_type"] == "relationship" for *_, d in f.edges(data=True))
    for node in list(g.nodes)[:3]:
        one, two = network.focus(g, node, 1), network.focus(g, node, 2)
        assert set(one.nodes) <= set(two.nodes) <= set(g.nodes)


@SETTINGS
@given(analyses)
def test_pseudonymised_graph_holds_no_sensitive_name(analysis):
    g = network.build_graph(analysis, pseudonymise=True)
    hidden = {a.name for a in analysis.actors if a.sensitive}
    shown = {d["name"] for _, d in g.nodes(data=True) if d["node_type"] == "actor"}
    assert not hidden & shown


@SETTINGS
@given(analyses)
def test_layout_places_every_node(analysis):
    g = network.build_graph(analysis)
    assert set(network.compute_layout(g)) == set(g.nodes)
