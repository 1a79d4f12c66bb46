"""dnh_graph.network.metrics and .compare: actor metrics per review, metrics over reviews, comparing two reviews."""

from __future__ import annotations

import json

import pytest

from dnh_graph import network
from dnh_graph.network.compare import compare_reviews
from dnh_graph.network.metrics import actor_metrics, add_actor_metrics, metrics_over_reviews
from dnh_graph.network.readwrite import metrics_csv
from tests.test_network_support import outputs_across_hash_seeds, river


def by_actor(rows):
    return {row["actor"]: row for row in rows}


def test_degree_counts_distinct_related_actors_of_any_kind():
    m = by_actor(actor_metrics(river()))
    assert m["A1"]["degree"] == 3 and m["A1"]["relationships"] == 4  # A2 twice: influence and funding
    assert m["A1"]["tie_strength"] == 3 + 2 + 1 + 1
    assert m["A2"]["degree"] == 2 and m["A2"]["conflict_ties"] == 1
    assert m["A4"]["degree"] == 2


def test_betweenness_over_working_ties_finds_the_brokers():
    # working ties (no conflict, no broken): A2 - A1 - A3 - A4, a path
    m = by_actor(actor_metrics(river()))
    assert m["A1"]["betweenness"] == pytest.approx(2 / 3, abs=1e-6)
    assert m["A3"]["betweenness"] == pytest.approx(2 / 3, abs=1e-6)
    assert m["A2"]["betweenness"] == 0 and m["A4"]["betweenness"] == 0
    assert m["A1"]["working_ties"] == 2 and m["A2"]["working_ties"] == 1


def test_communities_are_numbered_and_isolated_actors_have_none():
    a = river()
    a.relationships = a.relationships[:4]  # A1-A2 influence, A2-A3 conflict, A1-A3, A3-A4
    a.actors.append(type(a.actors[0])("A5", "Lone trader", "private_sector"))
    m = by_actor(actor_metrics(a))
    assert m["A5"]["community"] == 0
    assert all(m[k]["community"] >= 1 for k in ("A1", "A2", "A3", "A4"))


def test_communities_and_betweenness_are_the_same_whatever_the_hash_seed():
    # Louvain and sampled betweenness walk sets of actor keys: a result that followed string hashing
    # would differ from one server process to the next
    make = "generate_analysis(actors=1100, relationships=2500, factors=10, details=5, impacts=10, reviews=2)"
    code = ("import json; from dnh_graph.synthetic import generate_analysis; "
            "from dnh_graph.network.metrics import actor_metrics; "
            f"print(json.dumps(actor_metrics({make}), sort_keys=True))")
    runs = outputs_across_hash_seeds(code)
    assert len(runs) == 1
    rows = json.loads(runs.pop())
    assert max(r["community"] for r in rows) > 1 and any(0 < r["betweenness"] < 1 for r in rows)


def test_metrics_as_of_a_review_follow_readings():
    a = river()
    r1, r2 = by_actor(actor_metrics(a, "R1")), by_actor(actor_metrics(a, "R2"))
    assert (r1["A2"]["influence"], r1["A2"]["stance"]) == (5, "opposes")
    assert (r2["A2"]["influence"], r2["A2"]["stance"]) == (3, "neutral")
    # D1 (priority 5) is linked to A2 and A3: its strength 4 at R1, 3 at R2
    assert r1["A2"]["divider_pressure"] == 20 and r2["A2"]["divider_pressure"] == 15
    assert r1["A3"]["dividers"] == 1
    assert r1["A1"]["connector_capacity"] == 2 * 4
    assert by_actor(actor_metrics(a))["A1"]["connectors"] == 1


def test_metrics_rows_carry_the_graph_node_id():
    rows = actor_metrics(river())
    assert [r["node"] for r in rows] == ["a1", "a2", "a3", "a4"]


def test_pseudonymised_metrics():
    rows = by_actor(actor_metrics(river(), pseudonymise=True))
    assert rows["A2"]["name"] == "Actor A2"
    assert "Fisheries patrol" not in repr(rows)


def test_metrics_over_reviews_in_date_order():
    a = river()
    a.reviews = list(reversed(a.reviews))
    rows = metrics_over_reviews(a)
    assert len(rows) == 3 * 4
    assert [r["review"] for r in rows[::4]] == ["R1", "R2", "R3"]
    assert [r["date"] for r in rows[::4]] == ["2024-03-01", "2024-09-01", "2025-03-01"]
    assert [r["influence"] for r in rows if r["actor"] == "A2"] == [5, 3, 3]
    assert rows[4:8] == [{"review": "R2", "date": "2024-09-01", **r} for r in actor_metrics(a, "R2")]


def test_add_actor_metrics_puts_them_on_actor_nodes():
    a = river()
    g = add_actor_metrics(network.build_graph(a), actor_metrics(a))
    assert g.nodes["a1"]["betweenness"] == pytest.approx(2 / 3, abs=1e-6)
    assert g.nodes["a1"]["degree"] == 3
    assert "degree" not in g.nodes["f1"]


# ------------------------------------------------------------------------------------------ compare
def changes_by(changes):
    return {(c["key"], c["field"]): c for c in changes}


def test_compare_two_reviews_factors():
    c = changes_by(compare_reviews(river(), "R1", "R2"))
    assert c["D1", "contribution"]["change"] == "weakened"
    assert (c["D1", "contribution"]["before"], c["D1", "contribution"]["after"]) == (20, 15)
    assert c["D2", "contribution"]["change"] == "appeared"
    assert ("C1", "contribution") not in c  # 2 at R1, still 2 at R2


def test_compare_two_reviews_actors_and_impacts():
    c = changes_by(compare_reviews(river(), "R1", "R2"))
    assert c["A2", "influence"]["change"] == "weakened"
    assert (c["A2", "stance"]["change"], c["A2", "stance"]["before"], c["A2", "stance"]["after"]) == (
        "changed", "opposes", "neutral")
    assert c["X2 → D1", "impact_weight"]["change"] == "appeared"
    assert c["X2 → D1", "impact_weight"]["after"] == 5


def test_compare_later_review_to_now():
    c = changes_by(compare_reviews(river(), "R2", None))
    assert c["C1", "contribution"]["change"] == "strengthened"
    assert c["X2 → C1", "impact_weight"]["change"] == "appeared"


def test_compare_backwards_shows_disappearances():
    c = changes_by(compare_reviews(river(), "R2", "R1"))
    assert c["D2", "contribution"]["change"] == "disappeared"
    assert c["X2 → D1", "impact_weight"]["change"] == "disappeared"


def test_compare_a_review_with_itself_is_empty():
    assert compare_reviews(river(), "R2", "R2") == []


def test_compare_orders_factors_first_and_largest_changes_first():
    changes = compare_reviews(river(), "R1", "R3")
    elements = [c["element"] for c in changes]
    assert elements == sorted(elements, key=["factor", "actor", "impact"].index)
    factor_sizes = [abs(c["after"] - c["before"]) for c in changes if c["element"] == "factor"]
    assert factor_sizes == sorted(factor_sizes, reverse=True)


def test_metrics_csv_is_excel_friendly_and_neutralises_formulas():
    rows = [{"node": "a1", "key": "A1", "label": "=HYPERLINK(\"x\")", "degree": 2},
            {"node": "a2", "key": "A2", "label": "Council", "degree": 0}]
    text = metrics_csv(rows, "R1").decode("utf-8-sig")
    assert text.splitlines() == ["review,key,label,degree", "R1,A1,\"'=HYPERLINK(\"\"x\"\")\",2", "R1,A2,Council,0"]
    assert metrics_csv([], None).decode("utf-8-sig").strip() == "review"
