"""dnh_graph.network.layout, .cache, .readwrite: layout (seeded, packed, pinned, cached) and GEXF / GraphML files."""

from __future__ import annotations

import math
import threading

import networkx as nx
import pytest

from dnh_graph import network
from dnh_graph.network.cache import LayoutCache, graph_fingerprint
from dnh_graph.network.layout import EDGE_LENGTH, NEAREST, SCREEN
from dnh_graph.network.readwrite import export_ready, to_gexf, to_graphml
from dnh_graph.synthetic import generate_analysis
from tests.test_network_support import XSS_HREF, XSS_IMG, river


@pytest.fixture(scope="module")
def medium():
    a = generate_analysis(actors=240, relationships=600, factors=60, details=60, impacts=400, options=0,
                          reviews=3, seed=2)
    return network.build_graph(a)


def test_layout_places_every_node_the_same_way_for_the_same_seed(medium):
    first = network.compute_layout(medium, seed=7)
    assert set(first) == set(medium.nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first.values())
    assert network.compute_layout(medium, seed=7) == first
    assert network.compute_layout(medium, seed=8) != first


def test_layout_is_the_same_across_threads(medium):
    results = []
    threads = [threading.Thread(target=lambda: results.append(network.compute_layout(medium, seed=3)))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == results[0] for r in results)


def test_isolated_nodes_stay_close_to_the_rest(medium):
    g = medium.copy()
    g.add_nodes_from([("lonely1", {"node_type": "actor"}), ("lonely2", {"node_type": "actor"})])
    positions = network.compute_layout(g)
    xs = sorted(p[0] for p in positions.values())
    ys = sorted(p[1] for p in positions.values())
    width, height = xs[-1] - xs[0], ys[-1] - ys[0]
    # packed, not flung out: the whole picture is not much larger than the room its nodes need
    assert width * height < 40 * len(positions) * NEAREST ** 2
    assert 0.2 < width / height < 5


def test_tiny_graphs():
    assert network.compute_layout(nx.MultiDiGraph()) == {}
    one = nx.MultiDiGraph()
    one.add_node("a1")
    assert network.compute_layout(one) == {"a1": (0.0, 0.0)}
    two = nx.MultiDiGraph()
    two.add_edge("a1", "a2")
    positions = network.compute_layout(two)
    # a pair alone is spread across the screen (along its diagonal), not left as a dot and a line
    (x1, y1), (x2, y2) = positions["a1"], positions["a2"]
    assert abs(x2 - x1) > SCREEN[0] / 2 and abs(y2 - y1) > SCREEN[1] / 2


def test_pins_win():
    g = network.build_graph(river())
    positions = network.compute_layout(g, pinned={"a1": (1000, -50), "nowhere": (1, 1)})
    assert positions["a1"] == (1000.0, -50.0)
    assert "nowhere" not in positions


def test_base_positions_stay_put_and_new_nodes_go_next_to_their_neighbours():
    now = network.build_graph(river())
    base = network.compute_layout(now)
    base.pop("d2")  # as if X2 were new
    base.pop("f2")  # D2, which has no link at all
    positions = network.compute_layout(now, base=base)
    assert all(positions[n] == base[n] for n in now.nodes if n in base)
    near = [positions[m] for m in nx.all_neighbors(now, "d2")]
    cx, cy = sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near)
    assert math.dist(positions["d2"], (cx, cy)) == pytest.approx(EDGE_LENGTH / 2, abs=0.2)
    assert positions["f2"][1] > max(y for _, y in base.values())  # below the picture


def test_cache_computes_once_per_structure_and_keeps_pins_apart():
    cache = LayoutCache(maxsize=2)
    g = network.build_graph(river())
    first = cache.layout(g)
    pinned = cache.layout(g, pinned={"a1": (5, 5)})
    assert (cache.misses, cache.hits) == (1, 1)
    assert pinned["a1"] == (5.0, 5.0) and cache.layout(g)["a1"] == first["a1"]
    # another review with the same structure shares the layout; a different structure does not
    cache.layout(network.build_graph(river(), "R3"))
    assert cache.hits == 3
    cache.layout(network.build_graph(river(), "R1"))
    assert cache.misses == 2


def test_cache_is_bounded():
    cache = LayoutCache(maxsize=1)
    cache.layout(network.build_graph(river(), "R1"))
    cache.layout(network.build_graph(river(), "R2"))
    cache.layout(network.build_graph(river(), "R1"))
    assert cache.misses == 3


def test_fingerprint_depends_on_structure_only():
    a = river()
    g1 = network.build_graph(a)
    a.actors[0] = type(a.actors[0])("A1", "Renamed council", "local_authority")
    assert graph_fingerprint(network.build_graph(a)) == graph_fingerprint(g1)
    assert graph_fingerprint(network.build_graph(a, "R1")) != graph_fingerprint(g1)


# ------------------------------------------------------------------------------------------- files
def hostile_river():
    a = river()
    a.actors[0] = type(a.actors[0])("A1", XSS_IMG, "local_authority", description="line one\nline two\ttab",
                                    tags=("x", "ឃុំ"))
    a.relationships[0] = type(a.relationships[0])("A1", "A2", "influence", 3, True, XSS_HREF + " \x07bell")
    return a


def assert_same_graph(read, graph):
    assert read.number_of_nodes() == graph.number_of_nodes()
    assert read.number_of_edges() == graph.number_of_edges()
    for node, data in graph.nodes(data=True):
        assert read.nodes[node] == data, node
    for u, v, key, data in graph.edges(keys=True, data=True):
        assert read.edges[u, v, key] == data, key


@pytest.mark.parametrize("review", [None, "R1"])
def test_graphml_round_trip(tmp_path, review):
    g = network.build_graph(river(), review)
    path = to_graphml(g, tmp_path / "river.graphml")
    read = nx.read_graphml(path)
    assert isinstance(read, nx.MultiDiGraph)
    assert_same_graph(read, g)
    assert {k: read.graph[k] for k in g.graph} == g.graph


@pytest.mark.parametrize("review", [None, "R2"])
def test_gexf_round_trip(tmp_path, review):
    g = network.build_graph(river(), review)
    read = nx.read_gexf(to_gexf(g, tmp_path / "river.gexf"))
    assert isinstance(read, nx.MultiDiGraph)
    assert_same_graph(read, g)


def test_round_trip_of_hostile_and_unicode_text(tmp_path):
    g = network.build_graph(hostile_river())
    expected = export_ready(g)
    assert expected.edges["a1", "a2", "r1"]["note"] == XSS_HREF + " bell"  # XML cannot hold a bell
    for read in (nx.read_graphml(to_graphml(g, tmp_path / "h.graphml")),
                 nx.read_gexf(to_gexf(g, tmp_path / "h.gexf"))):
        assert_same_graph(read, expected)
        assert read.nodes["a1"]["tags"] == "x;ឃុំ"
        assert read.nodes["a1"]["description"] == "line one\nline two\ttab"


def test_export_of_a_large_generated_graph(tmp_path, medium):
    assert_same_graph(nx.read_graphml(to_graphml(medium, tmp_path / "m.graphml")), medium)
    assert_same_graph(nx.read_gexf(to_gexf(medium, tmp_path / "m.gexf")), medium)


def test_gexf_with_positions_for_gephi(tmp_path):
    g = network.build_graph(river())
    positions = network.compute_layout(g)
    read = nx.read_gexf(to_gexf(g, tmp_path / "p.gexf", positions=positions))
    assert read.nodes["a1"]["viz"]["position"]["x"] == pytest.approx(positions["a1"][0])
    from dnh_graph.render import styles

    r, g_, b = styles.rgb(styles.ACTOR[g.nodes["a1"]["type"]].colour)  # the screen's colour, for Gephi
    assert {k: read.nodes["a1"]["viz"]["color"][k] for k in "rgb"} == {"r": r, "g": g_, "b": b}
    assert '<viz:shape value="diamond" />' in (tmp_path / "p.gexf").read_text()  # networkx reads no shape
    assert "viz" not in g.nodes["a1"]


def test_export_ready_turns_awkward_values_into_text():
    import datetime as dt

    g = nx.MultiDiGraph(when=dt.date(2024, 1, 2))
    g.add_node("n", tags=["a", "b"], none=None, nan=float("nan"), day=dt.date(2024, 5, 6), flag=True, n=3)
    g.add_edge("n", "n", key="e")
    out = export_ready(g)
    assert out.nodes["n"] == {"tags": "a;b", "none": "", "nan": "", "day": "2024-05-06", "flag": True, "n": 3}
    assert out.graph["when"] == "2024-01-02"
    assert out.edges["n", "n", "e"]["id"] == "e"


def test_pseudonymised_files_hold_no_name(tmp_path):
    g = network.build_graph(river(), pseudonymise=True)
    for path in (to_graphml(g, tmp_path / "p.graphml"), to_gexf(g, tmp_path / "p.gexf")):
        text = path.read_text(encoding="utf-8")
        assert "Fisheries patrol" not in text and "Col. Sok" not in text and "Actor A2" in text
