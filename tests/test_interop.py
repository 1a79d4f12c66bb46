"""Actor maps from other tools: GEXF, GraphML and Kumu JSON become actors and relationships."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from dnh_graph import interop
from dnh_graph.model import InvalidInput


def gexf_bytes(graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer)
    return buffer.getvalue()


def graphml_bytes(graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    return buffer.getvalue()


WRITERS = {"gexf": gexf_bytes, "graphml": graphml_bytes}


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_les_miserables_keeps_every_actor_and_relationship(fmt, tmp_path):
    graph = nx.les_miserables_graph()
    path = tmp_path / f"lesmis.{fmt}"
    path.write_bytes(WRITERS[fmt](graph))
    analysis, report = interop.import_actor_map(path, key="lesmis")
    assert len(analysis.actors) == graph.number_of_nodes() == 77
    assert len(analysis.relationships) == graph.number_of_edges() == 254
    assert {a.key for a in analysis.actors} == set(graph.nodes)  # short safe ids become the keys
    assert {a.name for a in analysis.actors} == set(graph.nodes)
    assert {frozenset((r.source, r.target)) for r in analysis.relationships} == {frozenset(e) for e in graph.edges}
    assert not any(r.directed for r in analysis.relationships)
    assert {r.type for r in analysis.relationships} == {interop.DEFAULT_RELATIONSHIP_TYPE}
    assert {a.type for a in analysis.actors} == {"other"}
    assert {r.strength for r in analysis.relationships} == {1, 2, 3}  # weights 1–31 by thirds
    assert report.strength == "weights" and report.weight_range == (1, 31)
    assert report.source_format == ("GEXF" if fmt == "gexf" else "GraphML")
    assert analysis.info.name == "lesmis" and analysis.key == "lesmis"
    assert analysis.factors == []


def test_weights_map_to_strength_by_thirds():
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=1)
    graph.add_edge("b", "c", weight=5)
    graph.add_edge("c", "d", weight=9)
    analysis, _ = interop.import_actor_map(gexf_bytes(graph), "gexf")
    assert [r.strength for r in analysis.relationships] == [1, 2, 3]


def test_the_analysis_can_be_stored(store):
    analysis, _ = interop.import_actor_map(gexf_bytes(nx.les_miserables_graph()), key="lesmis", name="Les Mis")
    stored = store.import_analysis(analysis)
    assert store.load(stored.key).counts()["relationships"] == 254


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_types_are_mapped_and_reported(fmt):
    graph = nx.DiGraph()
    graph.add_node(1, label="Commune council", type="Local authority")
    graph.add_node(2, label="Fishers", type="fishing group")
    graph.add_node(3, label="NGO", type="ngo")
    graph.add_node(4, label="Nobody said")
    graph.add_edge(1, 2, relationship_type="funding")
    graph.add_edge(2, 3, type="tension")
    graph.add_edge(3, 4, type="friendship")
    graph.add_edge(4, 1)
    analysis, report = interop.import_actor_map(WRITERS[fmt](graph), fmt)
    assert [(a.key, a.name, a.type) for a in analysis.actors] == [
        ("A1", "Commune council", "local_authority"), ("A2", "Fishers", "other"),
        ("A3", "NGO", "civil_society"), ("A4", "Nobody said", "other")]
    assert [(r.source, r.target, r.type, r.directed) for r in analysis.relationships] == [
        ("A1", "A2", "funding", True), ("A2", "A3", "conflict", True), ("A3", "A4", "weak", True),
        ("A4", "A1", "weak", True)]
    assert not report.keys_from_ids  # numeric ids are not used as keys
    assert report.unknown_actor_types == ["fishing group"]
    assert report.unknown_relationship_types == ["friendship"]
    text = "\n".join(report.lines())
    assert "'fishing group' became 'Other'" in text
    assert "'friendship' became 'Weak / informal'" in text
    assert "1 relationship(s) without a type became 'Weak / informal'" in text
    assert "'ngo' read as 'Civil society'" in text


def test_multi_edges_and_self_loops():
    graph = nx.MultiGraph()
    graph.add_edge("a", "b", type="alliance")
    graph.add_edge("a", "b", type="funding")
    graph.add_edge("b", "b", type="alliance")
    analysis, report = interop.import_actor_map(gexf_bytes(graph), "gexf")
    assert sorted(r.type for r in analysis.relationships) == ["alliance", "funding"]
    assert any("with itself" in line for line in report.lines())


def test_actor_fields_are_kept_when_the_file_has_them():
    graph = nx.Graph()
    graph.add_node("sok", label="Sok Dara", type="individual", stance="opposes", influence=5,
                   description="District chief", sensitive=True, tags="fees;landing", colour="red")
    graph.add_node("A1", label="Council")
    graph.add_edge("sok", "A1", type="influence", strength=3, note="pays")
    analysis, report = interop.import_actor_map(graphml_bytes(graph), "graphml")
    sok = analysis.by_key("actors")["sok"]
    assert (sok.name, sok.type, sok.stance, sok.influence, sok.description, sok.sensitive, sok.tags) == (
        "Sok Dara", "individual", "opposes", 5, "District chief", True, ("fees", "landing"))
    assert analysis.relationships[0].strength == 3 and analysis.relationships[0].note == "pays"
    assert report.strength == "kept" and report.ignored_attributes == ["colour"]


def test_a_dnh_graph_network_export_comes_back_with_its_actors_only(tmp_path):
    from dnh_graph.network import build_graph
    from dnh_graph.network.readwrite import to_gexf
    from tests.factories import rich_analysis

    original = rich_analysis()
    path = tmp_path / "net.gexf"
    to_gexf(build_graph(original), path)
    analysis, report = interop.import_actor_map(path)
    assert [(a.key, a.name, a.type, a.stance, a.sensitive) for a in analysis.actors] == [
        (a.key, a.name, a.type, a.stance, a.sensitive) for a in original.actors]
    assert [(r.source, r.target, r.type, r.strength, r.directed, r.note) for r in analysis.relationships] == [
        (r.source, r.target, r.type, r.strength, r.directed, r.note) for r in original.relationships]
    assert report.keys_from_ids


def test_kumu_json_with_elements_and_connections():
    doc = {
        "elements": [
            {"label": "Commune council", "type": "Local authority", "description": "Elected", "tags": ["a", "b"]},
            {"label": "Fishers", "type": "Community"},
            {"_id": "x9", "attributes": {"label": "Patrol", "element type": "Police"}},
        ],
        "connections": [
            {"from": "Commune council", "to": "fishers", "type": "partnership", "direction": "mutual"},
            {"from": "x9", "to": "Fishers", "attributes": {"connection type": "Conflict"}, "direction": "directed"},
        ],
    }
    analysis, report = interop.import_actor_map(json.dumps(doc).encode(), key="kumu", name="From Kumu")
    assert [(a.key, a.name, a.type) for a in analysis.actors] == [
        ("A1", "Commune council", "local_authority"), ("A2", "Fishers", "community_group"),
        ("A3", "Patrol", "security_forces")]
    assert analysis.actors[0].tags == ("a", "b") and analysis.actors[0].description == "Elected"
    assert [(r.source, r.target, r.type, r.directed) for r in analysis.relationships] == [
        ("A1", "A2", "cooperation", False), ("A3", "A2", "conflict", True)]
    assert report.source_format == "Kumu JSON"
    assert analysis.info.name == "From Kumu"


def test_kumu_connection_to_nowhere_is_refused_with_every_problem():
    doc = {"elements": [{"label": "A"}],
           "connections": [{"from": "A", "to": "B"}, {"from": "", "to": "A"}]}
    with pytest.raises(InvalidInput) as error:
        interop.import_actor_map(json.dumps(doc).encode(), "kumu")
    messages = [str(p) for p in error.value.problems]
    assert messages == ["connections, row 1, to: 'B' is not the label or id of any element.",
                        "connections, row 2, from: is empty; every connection needs \"from\" and \"to\"."]


def test_not_a_kumu_map():
    with pytest.raises(InvalidInput, match="elements"):
        interop.import_actor_map(b'{"nodes": []}', "kumu")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        interop.import_actor_map(b"{nope", "kumu")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2"><graph><nodes><node id="a" label="&lol2;"/></nodes>
</graph></gexf>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="undirected">
<node id="n0"><data key="d0">&x;</data></node></graph></graphml>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL, BILLION_LAUGHS.decode().encode("utf-16")])
def test_entity_declarations_are_refused_before_parsing(data):
    with pytest.raises(InvalidInput, match="DOCTYPE or an ENTITY"):
        interop.import_actor_map(data, "gexf" if b"gexf" in data or len(data) > 600 else "graphml")


def test_large_files_are_refused_before_reading(monkeypatch, tmp_path):
    monkeypatch.setenv("DNH_MAX_UPLOAD_MB", "1")
    path = tmp_path / "big.gexf"
    path.write_bytes(b"<gexf>" + b" " * (2 * 1024 * 1024) + b"</gexf>")
    with pytest.raises(InvalidInput, match="larger than the import limit"):
        interop.import_actor_map(path)


def test_too_many_nodes_are_refused(monkeypatch):
    monkeypatch.setenv("DNH_MAX_ROWS", "10")
    with pytest.raises(InvalidInput, match="more than 10 rows"):
        interop.import_actor_map(gexf_bytes(nx.les_miserables_graph()), "gexf")


def test_broken_and_unknown_files():
    with pytest.raises(InvalidInput, match="not well-formed XML"):
        interop.import_actor_map(b"<gexf><graph>", "gexf")
    with pytest.raises(InvalidInput, match="not a GEXF, GraphML or Kumu JSON"):
        interop.import_actor_map(b"hello", None)


def test_format_is_detected_from_name_or_content(tmp_path):
    data = gexf_bytes(nx.path_graph(["a", "b", "c"]))
    assert interop.detect_format(data) == "gexf"
    assert interop.detect_format(graphml_bytes(nx.path_graph(["a", "b"]))) == "graphml"
    assert interop.detect_format(b'  {"elements": []}') == "kumu"
    assert interop.detect_format(b"", "map.GRAPHML") == "graphml"
    path = tmp_path / "map.xml"
    path.write_bytes(data)
    analysis, _ = interop.import_actor_map(path)
    assert len(analysis.relationships) == 2


def test_hostile_labels_stay_text():
    graph = nx.Graph()
    graph.add_node("a", label="<img src=x onerror=alert(1)>")
    graph.add_node("b", label="ក្រុមប្រឹក្សាឃុំ")
    graph.add_edge("a", "b")
    analysis, _ = interop.import_actor_map(gexf_bytes(graph), "gexf")
    assert [a.name for a in analysis.actors] == ["<img src=x onerror=alert(1)>", "ក្រុមប្រឹក្សាឃុំ"]


def test_long_or_unsafe_ids_get_numbered_keys():
    graph = nx.Graph()
    graph.add_edge("Sok Dara (chief)", "x" * 40)
    analysis, report = interop.import_actor_map(gexf_bytes(graph), "gexf")
    assert [a.key for a in analysis.actors] == ["A1", "A2"]
    assert [a.name for a in analysis.actors] == ["Sok Dara (chief)", "x" * 40]
    assert "numbered A1, A2" in " ".join(report.lines())
