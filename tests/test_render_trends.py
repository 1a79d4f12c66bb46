"""Plotly figures of the Trends and Monitoring screens (dnh_graph.render.trends)."""

import datetime as dt
import json

import plotly.graph_objects as go
import pytest

from dnh_graph.model import (
    Actor,
    ActorReading,
    Analysis,
    AnalysisInfo,
    Detail,
    Factor,
    FactorReading,
    Impact,
    Monitoring,
    Review,
)
from dnh_graph.render import trends as render
from dnh_graph.render.trends import ChartMessage

D = dt.date
EVIL = "<img src=x onerror=alert(1)>"
REVIEW_BUILDERS = [render.factor_strength_figure, render.pressure_capacity_figure,
                   render.actor_influence_figure, render.monitoring_heatmap]
ALL_BUILDERS = [*REVIEW_BUILDERS, render.impact_timeline_figure]


def analysis(n_reviews=3, text="", **overrides) -> Analysis:
    """Two dividers, two connectors, actors, impacts and ratings; ``text`` goes into every free-text field."""
    reviews = [Review(f"R{i}", D(2024, 3 * i, 1), f"Quarter {i} {text}", f"Events {i} {text}")
               for i in range(1, n_reviews + 1)]
    factors = [Factor("D1", "divider", f"Land {text}", "experiences", priority=4),
               Factor("D2", "divider", "Fees", "systems_institutions", priority=2),
               Factor("C1", "connector", "Market", "systems_institutions", priority=3),
               Factor("C2", "connector", "Pagoda", "symbols_occasions", priority=1)]
    readings = [FactorReading(r.key, f.key, (i + j) % 6, f"note {text}")
                for i, r in enumerate(reviews) for j, f in enumerate(factors) if (i, j) != (1, 0)]
    tables = dict(
        info=AnalysisInfo("t", "Test"), factors=factors, reviews=reviews, factor_readings=readings,
        actors=[Actor("A1", f"Council {text}"), Actor("A2", "Militia")],
        actor_readings=[ActorReading(r.key, "A1", 1 + i % 5, "neutral") for i, r in enumerate(reviews)],
        details=[Detail("X1", "what")],
        impacts=[Impact("X1", "D1", "strengthens", 2, "resource_transfer", evidence=f"seen {text}"),
                 Impact("X1", "C1", "strengthens", 1, "resource_transfer", evidence=text,
                        observed_on=D(2024, 5, 1))],
        monitoring=[Monitoring(r.key, "conflict_sensitive", "medium", f"evidence {text}", f"do {text}")
                    for r in reviews],
    )
    tables.update(overrides)
    return Analysis(**tables)


def drawn(fig: go.Figure) -> list:
    """The traces that draw data (not the legend-only keys)."""
    return [trace for trace in fig.data if trace.hoverinfo != "skip"]


def strings(fig: go.Figure) -> list[str]:
    """Every string in a figure's JSON (what plotly.js receives)."""
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(fig.to_json()))
    return found


# ------------------------------------------------------------------------- messages, not charts
@pytest.mark.parametrize("build", REVIEW_BUILDERS)
def test_no_review_gives_a_message(build):
    result = build(analysis(n_reviews=0))
    assert isinstance(result, ChartMessage)
    assert "review" in str(result).lower()


@pytest.mark.parametrize("build", REVIEW_BUILDERS)
def test_one_review_gives_a_message(build):
    result = build(analysis(n_reviews=1))
    assert isinstance(result, ChartMessage)
    assert "second review" in str(result)


def test_one_review_message_is_the_helpful_sentence():
    assert str(render.pressure_capacity_figure(analysis(n_reviews=1))) == (
        "Add a second review to see a trend: one review is a single point.")


def test_empty_analysis_never_breaks_any_builder():
    empty = Analysis(AnalysisInfo("e", "Empty"))
    for build in ALL_BUILDERS:
        assert isinstance(build(empty), ChartMessage)


def test_reviews_without_readings_give_messages():
    a = analysis(factor_readings=[], actor_readings=[], monitoring=[])
    for build in REVIEW_BUILDERS:
        result = build(a)
        assert isinstance(result, ChartMessage) or build is render.pressure_capacity_figure
    assert "No readings yet" in str(render.factor_strength_figure(a))


def test_impact_timeline_needs_two_dates_not_two_reviews():
    started = AnalysisInfo("t", "Test", start_date=D(2024, 1, 1))
    assert isinstance(render.impact_timeline_figure(analysis(n_reviews=0, info=started)), go.Figure)
    # no start date and no review: the undated impacts join the only dated one, a single point
    assert isinstance(render.impact_timeline_figure(analysis(n_reviews=0)), ChartMessage)
    undated_only = analysis(impacts=[Impact("X1", "D1", "strengthens", 2, "resource_transfer")])
    assert "two dates" in str(render.impact_timeline_figure(undated_only))
    assert "No impacts" in str(render.impact_timeline_figure(analysis(impacts=[])))


def test_filters_that_match_nothing_give_a_message():
    no_match = render.factor_strength_figure(analysis(), categories=["values_interests"])
    assert isinstance(no_match, ChartMessage)
    assert isinstance(render.actor_influence_figure(analysis(), actors=["A2"]), ChartMessage)


# ---------------------------------------------------------------------------------- figures
@pytest.mark.parametrize("build", ALL_BUILDERS)
def test_two_reviews_give_a_figure_that_serialises(build):
    fig = build(analysis(n_reviews=2))
    assert isinstance(fig, go.Figure)
    assert json.loads(fig.to_json())["data"]


def test_pressure_capacity_values_are_design_section_5():
    fig = render.pressure_capacity_figure(analysis())
    # R1: D1 0×4 + D2 1×2 = 2; C1 2×3 + C2 3×1 = 9. R2: D1 carried 0, D2 2×2 = 4; C1 3×3 + C2 4×1 = 13
    # R3: D1 2×4 + D2 3×2 = 14; C1 4×3 + C2 5×1 = 17
    assert list(fig.data[0].y) == [2, 4, 14] and list(fig.data[1].y) == [9, 13, 17]


def test_dividers_red_connectors_green():
    fig = render.factor_strength_figure(analysis())
    colours = {trace.name.split()[0]: trace.line.color for trace in drawn(fig)}
    assert colours["D1"] in render.DIVIDER_COLOURS and colours["D2"] in render.DIVIDER_COLOURS
    assert colours["C1"] in render.CONNECTOR_COLOURS and colours["C2"] in render.CONNECTOR_COLOURS
    pc = render.pressure_capacity_figure(analysis())
    assert pc.data[0].line.color in render.DIVIDER_COLOURS
    assert pc.data[1].line.color in render.CONNECTOR_COLOURS


def test_filters_keep_only_the_chosen_factors():
    fig = render.factor_strength_figure(analysis(), kinds=["divider"], priorities=[4])
    assert [trace.name for trace in drawn(fig)] == ["D1 Land"]


def test_carried_forward_values_use_open_markers_and_say_so():
    fig = render.factor_strength_figure(analysis(), factors=["D1"])
    trace = fig.data[0]
    assert list(trace.marker.symbol) == ["circle", "circle-open", "circle"]
    assert "carried forward from R1" in trace.hovertext[1]


def test_hover_shows_the_notes_and_review_events_are_annotations():
    a = analysis(text="flooding")
    fig = render.factor_strength_figure(a)
    assert "Note: note flooding" in fig.data[0].hovertext[0]
    hovers = [ann.hovertext for ann in fig.layout.annotations]
    assert any("Events 2 flooding" in h for h in hovers)
    assert [ann.text for ann in fig.layout.annotations] == [f"Quarter {i} flooding" for i in (1, 2, 3)]
    assert len(fig.layout.shapes) == 3


def test_long_event_text_is_truncated():
    a = analysis(text="x" * 5000)
    fig = render.pressure_capacity_figure(a)
    for ann in fig.layout.annotations:
        assert len(ann.text) <= render.LABEL_LIMIT and ann.text.endswith("…")
        assert len(ann.hovertext) < 3 * render.NOTE_LIMIT
    assert all(len(h) < 4 * render.NOTE_LIMIT for h in fig.data[0].hovertext)


def test_reviews_on_the_same_date_share_one_annotation():
    a = analysis(reviews=[Review("R1", D(2024, 1, 1), "A"), Review("R2", D(2024, 1, 1), "B"),
                          Review("R3", D(2024, 6, 1), "C")])
    fig = render.pressure_capacity_figure(a)
    assert [ann.text for ann in fig.layout.annotations] == ["A / B", "C"]


def test_fonts_are_readable_on_a_projector():
    for build in ALL_BUILDERS:
        fig = build(analysis())
        assert fig.layout.font.size >= 14
        assert fig.layout.hoverlabel.font.size >= 14
        assert all(ann.font.size >= 14 for ann in fig.layout.annotations)


def test_impact_timeline_figure_lines():
    fig = render.impact_timeline_figure(analysis())
    # undated D1 strengthens ×2, priority 4: harm 8 from the start; C1 strengthens ×1 (priority 3): help 3
    assert [(t.name, list(t.y)) for t in fig.data] == [
        ("Harm (cumulative)", [8, 8]), ("Help (cumulative)", [0, 3]), ("Net = help − harm", [-8, -5])]
    assert "without a date" in fig.data[0].hovertext[0]


def test_marker_shapes_are_explained_in_the_legend():
    strength = render.factor_strength_figure(analysis())
    assert any("carried forward" in trace.name for trace in strength.data if trace.hoverinfo == "skip")
    actors = render.actor_influence_figure(analysis())
    keys = [trace.name for trace in actors.data if trace.legendgroup == "stance"]
    assert keys == ["Supports", "Neutral", "Opposes", "Unknown"]
    assert actors.layout.showlegend is True  # even with a single actor


def test_actor_influence_shows_the_most_influential_unless_actors_are_chosen():
    actors = [Actor(f"A{i}", f"Actor {i}") for i in range(1, 6)]
    readings = [ActorReading(r, f"A{i}", i, "neutral") for r in ("R1", "R3") for i in range(1, 6)]
    a = analysis(actors=actors, actor_readings=readings)
    fig = render.actor_influence_figure(a, top=2)
    assert [t.name for t in drawn(fig)] == ["A4 Actor 4", "A5 Actor 5"]
    assert "the 2 most influential of 5" in fig.layout.title.text
    assert len(drawn(render.actor_influence_figure(a, top=None))) == 5
    assert [t.name for t in drawn(render.actor_influence_figure(a, actors=["A1"], top=2))] == ["A1 Actor 1"]


def test_actor_influence_markers_show_stance():
    a = analysis(actor_readings=[ActorReading("R1", "A1", 2, "supports"),
                                 ActorReading("R3", "A1", 5, "opposes")])
    fig = render.actor_influence_figure(a)
    assert list(fig.data[0].y) == [2, 2, 5]
    assert list(fig.data[0].marker.symbol) == ["circle", "circle", "x"]


def test_monitoring_heatmap_cells():
    a = analysis(monitoring=[Monitoring("R1", "aware_market", "low"),
                             Monitoring("R3", "aware_market", "high")])
    fig = render.monitoring_heatmap(a)
    heat = fig.data[0]
    row = list(heat.y).index("Aware of market effects")
    assert list(heat.z[row]) == [1, None, 3]
    assert list(heat.text[row]) == ["Low", "", "High"]
    assert "Not rated" in heat.hovertext[row][1]


# --------------------------------------------------------------------------------- escaping
@pytest.mark.parametrize("build", ALL_BUILDERS)
def test_user_text_is_escaped_everywhere(build):
    fig = build(analysis(text=EVIL))
    texts = strings(fig)
    assert not [s for s in texts if "<img" in s]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in texts)


def test_no_hovertemplate_so_percent_braces_stay_text():
    fig = render.factor_strength_figure(analysis(text="%{x}"))
    assert all(trace.hovertemplate is None and trace.hoverinfo == "text" for trace in drawn(fig))
    assert "%{x}" in fig.data[0].hovertext[0]


def test_hostile_keys_are_escaped_too():
    a = analysis(reviews=[Review("<b>R1", D(2024, 1, 1)), Review("R2", D(2024, 2, 1))], factor_readings=[
        FactorReading("<b>R1", "D1", 2), FactorReading("R2", "D1", 3)],
        monitoring=[Monitoring("<b>R1", "aware_market", "low")],
        actor_readings=[ActorReading("<b>R1", "A1", 2, "neutral")])
    for build in REVIEW_BUILDERS:
        fig = build(a)
        assert not [s for s in strings(fig) if "<b>R1" in s]
