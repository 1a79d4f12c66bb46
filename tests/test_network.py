"""dnh_graph.network: the graph as of a review, filters, focus."""

from __future__ import annotations

import dataclasses
import re

import pytest

from dnh_graph import network
from dnh_graph.model import FactorReading
from dnh_graph.network.graph import find_node, node_kind
from tests.test_network_support import impacts_of, node_of, river


# ------------------------------------------------------------------------------------- as of review
def test_nodes_are_actors_factors_and_active_details():
    g = network.build_graph(river())
    kinds = sorted(node_kind(d) for _, d in g.nodes(data=True))
    assert kinds == ["actor"] * 4 + ["connector"] * 2 + ["detail"] * 2 + ["divider"] * 2
    assert {d["key"] for _, d in g.nodes(data=True) if d["node_type"] == "detail"} == {"X1", "X2"}


def test_edges_are_relationships_links_and_impacts():
    g = network.build_graph(river())
    types = [d["edge_type"] for *_, d in g.edges(data=True)]
    assert types.count("relationship") == 6
    assert types.count("factor_actor") == 4
    assert types.count("impact") == 4  # the fifth belongs to the inactive detail X3


def test_a_reading_after_the_review_does_not_count():
    g = network.build_graph(river(), "R1")
    d1 = node_of(g, "D1")
    assert (d1["strength"], d1["reading_review"], d1["reading_note"]) == (4, "R1", "high")
    assert d1["contribution"] == 4 * 5
    g2 = network.build_graph(river(), "R2")
    assert node_of(g2, "D1")["strength"] == 3
    assert node_of(g2, "C1")["strength"] == 2  # no reading at R2: the latest before it


def test_a_factor_without_reading_yet_is_still_a_node_with_strength_zero():
    g = network.build_graph(river(), "R1")
    d2 = node_of(g, "D2")
    assert (d2["strength"], d2["has_reading"], d2["reading_review"], d2["contribution"]) == (0, False, "", 0)
    assert node_of(network.build_graph(river(), "R2"), "D2")["strength"] == 5


def test_now_takes_the_latest_readings():
    g = network.build_graph(river())
    assert node_of(g, "D1")["strength"] == 2
    assert node_of(g, "C1")["strength"] == 4
    assert node_of(g, "C2")["has_reading"] is False
    assert g.graph["review"] == "" and g.graph["review_date"] == ""


def test_readings_order_in_the_list_does_not_matter():
    a = river()
    b = river(factor_readings=list(reversed(a.factor_readings)),
              actor_readings=list(reversed(a.actor_readings)))
    for review in (None, "R1", "R2", "R3"):
        ga, gb = network.build_graph(a, review), network.build_graph(b, review)
        assert dict(ga.nodes(data=True)) == dict(gb.nodes(data=True))


def test_latest_review_by_date_not_by_entry_order():
    a = river()
    a.reviews = [a.reviews[2], a.reviews[0], a.reviews[1]]  # R3 entered first
    assert node_of(network.build_graph(a), "D1")["strength"] == 2
    assert node_of(network.build_graph(a, "R2"), "D1")["strength"] == 3


def test_an_impact_observed_after_the_review_does_not_count():
    assert impacts_of(network.build_graph(river(), "R1")) == {("X1", "D1"), ("X1", "C1")}
    assert impacts_of(network.build_graph(river(), "R2")) == {("X1", "D1"), ("X1", "C1"), ("X2", "D1")}
    assert impacts_of(network.build_graph(river(), "R3")) == {("X1", "D1"), ("X1", "C1"), ("X2", "D1"),
                                                             ("X2", "C1")}


def test_an_impact_observed_on_the_review_day_counts():
    a = river()
    a.impacts[2] = dataclasses.replace(a.impacts[2], observed_on=a.reviews[1].date)
    assert ("X2", "C1") in impacts_of(network.build_graph(a, "R2"))


def test_a_detail_made_inactive_disappears_with_its_impacts():
    a = river()
    a.details[0] = dataclasses.replace(a.details[0], active=False)
    g = network.build_graph(a)
    assert "X1" not in {d["key"] for _, d in g.nodes(data=True)}
    assert impacts_of(g) == {("X2", "D1"), ("X2", "C1")}
    a.details[2] = dataclasses.replace(a.details[2], active=True)
    assert ("X3", "D2") in impacts_of(network.build_graph(a))


def test_actor_values_as_of_the_review():
    a = river()
    r1 = node_of(network.build_graph(a, "R1"), "A2")
    assert (r1["influence"], r1["stance"]) == (5, "opposes")
    r3 = node_of(network.build_graph(a, "R3"), "A2")
    assert (r3["influence"], r3["stance"], r3["reading_review"]) == (3, "neutral", "R2")
    assert (r3["base_influence"], r3["base_stance"]) == (5, "opposes")
    a1 = node_of(network.build_graph(a, "R3"), "A1")
    assert (a1["influence"], a1["stance"], a1["reading_review"]) == (4, "supports", "")


def test_unknown_review_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="Review 'R9' is not in analysis 'river'"):
        network.build_graph(river(), "R9")


def test_impact_attributes_harm_and_weight():
    g = network.build_graph(river())
    impacts = {(d["detail"], d["factor"]): d for *_, d in g.edges(data=True) if d["edge_type"] == "impact"}
    assert impacts["X1", "D1"]["harmful"] is True and impacts["X1", "D1"]["impact_weight"] == 15
    assert impacts["X1", "C1"]["harmful"] is True  # weakens a connector
    assert impacts["X2", "C1"]["harmful"] is False and impacts["X2", "C1"]["impact_weight"] == 8
    assert impacts["X2", "D1"]["observed_on"] == "2024-06-01"
    assert impacts["X1", "D1"]["observed_on"] == ""
    assert impacts["X1", "D1"]["evidence"] == "Patrol escorts seen"


def test_every_design_field_is_kept():
    g = network.build_graph(river())
    a2 = node_of(g, "A2")
    fields = ("name", "type", "stance", "influence", "description", "sensitive", "tags")
    assert {k: a2[k] for k in fields} == {
        "name": "Fisheries patrol", "type": "security_forces", "stance": "neutral", "influence": 3,
        "description": "Led by Col. Sok", "sensitive": True, "tags": "patrol"}
    rel = next(d for *_, d in g.edges(data=True) if d["edge_type"] == "relationship")
    assert rel == {"id": "r1", "edge_type": "relationship", "source_actor": "A1", "target_actor": "A2",
                   "relationship_type": "influence", "strength": 3, "directed": True,
                   "note": "The council signs patrol orders"}
    x1 = node_of(g, "X1")
    assert (x1["question"], x1["activity"], x1["description"], x1["active"]) == (
        "with_whom", "patrols", "Work with the patrol", True)


def test_ids_are_generated_never_names():
    g = network.build_graph(river())
    assert all(re.fullmatch(r"[afd]\d+", n) for n in g.nodes)
    assert all(re.fullmatch(r"[rli]\d+", k) and d["id"] == k for *_, k, d in g.edges(keys=True, data=True))
    assert node_of(g, "A1") is g.nodes["a1"] and node_of(g, "X2") is g.nodes["d2"]


def test_ids_do_not_change_between_reviews():
    ids = {review: {d["key"]: n for n, d in network.build_graph(river(), review).nodes(data=True)}
           for review in ("R1", "R2", None)}
    assert ids["R1"] == ids["R2"] == ids[None]


def test_attributes_are_plain_values_only():
    g = network.build_graph(river())
    values = [v for _, d in g.nodes(data=True) for v in d.values()]
    values += [v for *_, d in g.edges(data=True) for v in d.values()]
    values += list(g.graph.values())
    assert all(type(v) in (str, int, float, bool) for v in values)


# ------------------------------------------------------------------------------------ pseudonymise
def test_pseudonymised_sensitive_actor():
    g = network.build_graph(river(), pseudonymise=True)
    a2 = g.nodes["a2"]
    assert (a2["name"], a2["label"], a2["key"], a2["description"], a2["tags"]) == (
        "Actor A2", "Actor A2", "A2", "", "")
    assert g.graph["pseudonymised"] is True
    assert node_of(g, "A1")["name"] == "Commune council"


def test_pseudonymised_graph_holds_no_trace_of_the_name():
    g = network.build_graph(river(), pseudonymise=True)
    text = repr(list(g.nodes(data=True))) + repr(list(g.edges(data=True)))
    assert "Fisheries patrol" not in text and "Col. Sok" not in text
    notes = [d["note"] for *_, d in g.edges(data=True) if d["edge_type"] == "relationship"]
    assert "Actor A2 seizes nets" in notes


def test_pseudonyms_are_stable():
    a = river()
    assert network.build_graph(a, pseudonymise=True).nodes["a2"]["name"] == "Actor A2"
    a.actors[0] = dataclasses.replace(a.actors[0], sensitive=True)
    g = network.build_graph(a, pseudonymise=True)
    assert [g.nodes[n]["name"] for n in ("a1", "a2")] == ["Actor A1", "Actor A2"]


# ----------------------------------------------------------------------------------------- filters
def keys(graph) -> set[str]:
    return {d["key"] for _, d in graph.nodes(data=True)}


def test_filter_by_node_kind():
    g = network.build_graph(river())
    only_actors = network.filter_graph(g, kinds=["actor"])
    assert keys(only_actors) == {"A1", "A2", "A3", "A4"}
    assert {d["edge_type"] for *_, d in only_actors.edges(data=True)} == {"relationship"}
    assert keys(network.filter_graph(g, kinds=["divider", "detail"])) == {"D1", "D2", "X1", "X2"}


def test_filter_by_actor_type_factor_category_and_priority():
    g = network.build_graph(river())
    assert keys(network.filter_graph(g, actor_types=["community_group"])) == {"A3", "D1", "D2", "C1", "C2",
                                                                             "X1", "X2"}
    factors = ["divider", "connector"]
    assert keys(network.filter_graph(g, kinds=factors, factor_categories=["experiences"])) == {"C1"}
    assert keys(network.filter_graph(g, kinds=["divider", "connector"], min_priority=4)) == {"D1", "C1"}


def test_filter_returns_a_copy():
    g = network.build_graph(river())
    f = network.filter_graph(g)
    f.nodes["a1"]["name"] = "changed"
    assert g.nodes["a1"]["name"] == "Commune council"
    assert f.number_of_edges() == g.number_of_edges()


def test_harm_pathways_only():
    g = network.filter_graph(network.build_graph(river()), harm_pathways_only=True)
    assert keys(g) == {"X1", "X2", "D1", "C1", "A1", "A2", "A3"}
    assert impacts_of(g) == {("X1", "D1"), ("X2", "D1"), ("X1", "C1")}
    assert {d["edge_type"] for *_, d in g.edges(data=True)} == {"impact", "factor_actor"}


def test_harm_pathways_as_of_a_review():
    g = network.filter_graph(network.build_graph(river(), "R1"), harm_pathways_only=True)
    assert impacts_of(g) == {("X1", "D1"), ("X1", "C1")}


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown node kind"):
        network.filter_graph(network.build_graph(river()), kinds=["actors"])


# ------------------------------------------------------------------------------------------- focus
def test_focus_depth_one_and_two():
    g = network.build_graph(river())
    a4 = find_node(g, "A4", "actor")
    assert keys(network.focus(g, a4, 1)) == {"A4", "A3", "A1", "C2"}
    assert keys(network.focus(g, a4, 2)) == {"A4", "A3", "A1", "C2", "A2", "D1", "C1"}
    assert keys(network.focus(g, a4, 3)) == keys(g) - {"D2"}  # D2's only link is from the inactive X3
    assert network.focus(g, a4, 1).graph["focus"] == a4


def test_focus_on_a_factor():
    g = network.build_graph(river())
    assert keys(network.focus(g, find_node(g, "C2"), 1)) == {"C2", "A4"}


def test_focus_on_a_missing_node_is_refused():
    g = network.build_graph(river())
    with pytest.raises(ValueError, match="not in this graph"):
        network.focus(g, "a99", 1)
    assert find_node(g, "nothing") is None


def test_a_factor_reading_of_zero_makes_it_absent():
    a = river()
    a.factor_readings.append(FactorReading("R3", "D2", 0))
    d2 = node_of(network.build_graph(a, "R3"), "D2")
    assert (d2["strength"], d2["has_reading"], d2["contribution"]) == (0, True, 0)
