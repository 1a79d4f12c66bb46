"""Any shape reads (issue 11): the page's first view of a layout, for graph shapes nobody chose.

Positions go through :func:`dnh_graph.network.layout.on_screen`, the fit network.js applies (the browser test
in test_network_view.py checks the page agrees). At 1280×800: the median gap between a node and its
nearest neighbour is at least 12 px, no node is off the canvas, and the nodes spread over at least a
quarter of the canvas (the box around them covers a quarter of its area).
"""

from __future__ import annotations

import math
import statistics

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnh_graph import network
from dnh_graph.network.layout import FIT_MARGIN, FIT_MAX_SCALE, fit_box, fit_view, on_screen
from dnh_graph.synthetic import generate_analysis

W, H = 1280, 800
MIN_GAP = 12.0
MIN_SPREAD = 0.25


def view_problems(positions: dict, width: float = W, height: float = H) -> list[str]:
    """What a person would see wrong in the first view of a layout ([] when the picture reads)."""
    return screen_problems(list(on_screen(positions, width, height).values()), width, height)


def screen_problems(screen: list, width: float, height: float) -> list[str]:
    """What a person would see wrong with nodes at these screen points of a ``width`` × ``height`` canvas."""
    problems = [f"node off the canvas at {x:.0f},{y:.0f}" for x, y in screen
                if not (0 <= x <= width and 0 <= y <= height)][:3]
    if len(screen) >= 2:
        gaps = _nearest_gaps(screen)
        if statistics.median(gaps) < MIN_GAP:
            problems.append(f"median gap to the nearest node {statistics.median(gaps):.1f} px")
        xs, ys = [p[0] for p in screen], [p[1] for p in screen]
        spread = (max(xs) - min(xs)) * (max(ys) - min(ys)) / (width * height)
        if spread < MIN_SPREAD:
            problems.append(f"nodes cover {spread:.0%} of the canvas")
    return problems


def _nearest_gaps(points):
    import numpy as np

    xy = np.array(points)
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d2, np.inf)
    return list(np.sqrt(d2.min(axis=1)))


# ------------------------------------------------------------------------------------------ shapes
def _add(g: nx.MultiDiGraph, edges, n: int, kind: str = "actor") -> None:
    """Add a part of ``n`` new nodes with ``edges`` between their local indexes 0..n-1."""
    start = g.number_of_nodes()
    for i in range(n):
        g.add_node(f"n{start + i}", node_type=kind, question=["why", "how", "what"][i % 3])
    g.add_edges_from((f"n{start + u}", f"n{start + v}") for u, v in edges)


def chain(n):
    return [(i, i + 1) for i in range(n - 1)], n


def star(n):
    return [(0, i) for i in range(1, n)], n


def clique(n):
    return [(i, j) for i in range(n) for j in range(i + 1, n)], n


def core_with_tail(core, tail):
    edges, _ = clique(core)
    return edges + [(core - 1 + i, core + i) for i in range(tail)], core + tail


PARTS = st.one_of(
    st.integers(1, 40).map(chain),
    st.integers(2, 25).map(star),
    st.just(chain(2)),  # a pair
    st.just(([], 1)),  # an isolated node
    st.tuples(st.integers(3, 12), st.integers(1, 25)).map(lambda t: core_with_tail(*t)),
    st.tuples(st.integers(4, 40), st.integers(0, 2**16)).map(
        lambda t: ([e for e in nx.gnm_random_graph(t[0], 2 * t[0], seed=t[1]).edges()], t[0])),
)


@st.composite
def shapes(draw):
    g = nx.MultiDiGraph()
    for edges, n in draw(st.lists(PARTS, min_size=1, max_size=8)):
        _add(g, edges, n, draw(st.sampled_from(["actor", "actor", "factor", "detail"])))
    return g


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shapes(), st.integers(0, 3))
def test_any_shape_reads_in_the_first_view(graph, seed):
    positions = network.compute_layout(graph, seed)
    assert set(positions) == set(graph.nodes)
    assert view_problems(positions) == []


def named(name):
    g = nx.MultiDiGraph()
    if name == "one":
        _add(g, [], 1)
    elif name == "two":
        _add(g, *chain(2))
    elif name == "two apart":
        _add(g, [], 1)
        _add(g, [], 1)
    elif name == "chain":
        _add(g, *chain(30))
    elif name == "star":
        _add(g, *star(12))
    elif name == "pairs":
        for _ in range(7):
            _add(g, *chain(2))
    elif name == "isolated":
        _add(g, [], 1)
        for _ in range(11):
            _add(g, [], 1)
    elif name == "core and tail":
        _add(g, *core_with_tail(10, 14))
    return g


def test_the_named_shapes_of_the_issue():
    for name in ("one", "two", "two apart", "chain", "star", "pairs", "isolated", "core and tail"):
        positions = network.compute_layout(named(name))
        assert view_problems(positions) == [], name
    one = on_screen(network.compute_layout(named("one")), W, H)
    assert one == {"n0": (W / 2, H / 2)}  # alone, in the middle


def test_five_thousand_nodes_read():
    a = generate_analysis(actors=3000, relationships=9000, factors=1000, details=1000, impacts=5000, options=0,
                          reviews=1, seed=1)
    g = network.build_graph(a)
    assert g.number_of_nodes() > 4800
    assert view_problems(network.compute_layout(g)) == []


def test_a_straight_component_no_longer_sends_a_node_away():
    # the shape of the bug: a big part and a detail touching one factor nobody else touches
    g = nx.MultiDiGraph()
    _add(g, *clique(8))
    _add(g, *chain(3))
    positions = network.compute_layout(g)
    box = fit_box(positions)
    assert max(box[2] - box[0], box[3] - box[1]) < 5000
    assert view_problems(positions) == []


def test_fit_view_is_the_page_formula():
    scale, cx, cy = fit_view((-100.0, -50.0, 300.0, 150.0), 1000, 600)
    assert (cx, cy) == (100.0, 50.0)
    assert scale == min((1000 - 2 * FIT_MARGIN) / 400, (600 - 2 * FIT_MARGIN) / 200,
                        FIT_MAX_SCALE)
    assert fit_view((0, 0, 0, 0), 800, 600)[0] == FIT_MAX_SCALE
    assert math.isclose(fit_view((0, 0, 1e5, 1e5), 800, 600)[0], (600 - 2 * FIT_MARGIN) / 1e5)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(300, 1500), st.floats(1.0, 4.0), st.integers(0, 2**16), st.integers(0, 60))
def test_big_random_graphs_read_too(n, density, seed, loose):
    # large enough to crowd a screen, where the layout evens the picture out
    g = nx.MultiDiGraph()
    _add(g, list(nx.gnm_random_graph(n, int(density * n), seed=seed).edges()), n)
    for _ in range(loose):  # and some pairs and isolated nodes around it
        _add(g, *chain(2 if seed % 2 else 1))
    assert view_problems(network.compute_layout(g)) == []
