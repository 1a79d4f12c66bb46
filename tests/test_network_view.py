"""What a person sees of the network page in a real Chromium (issue 11): any shape reads, labels read
on a projector, the legend is never cut off, the picture stays put across reviews.

Positions are read from the page itself (vis-network's getPositions + canvasToDOM) and compared with
:func:`dnh_graph.network.layout.on_screen`, the fit the property tests of test_network_shapes.py check on
thousands of generated shapes. Needs /usr/bin/chromium (see test_network_browser.py).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from dnh_graph import io, network
from dnh_graph.model import Actor, Analysis, AnalysisInfo, Relationship
from dnh_graph.network.layout import on_screen
from dnh_graph.render.network_html import FRAME_HEIGHT, LABEL_SIZES, PROJECTOR, network_html
from dnh_graph.synthetic import generate_analysis
from tests.test_network_browser import browser, visit  # noqa: F401 - the fixture
from tests.test_network_shapes import MIN_GAP, screen_problems

REPO = Path(__file__).resolve().parent.parent
DEMOS = sorted(p for p in (REPO / "data").iterdir() if p.is_dir())
ON_SCREEN = """() => {
  const net = window.__dnhNetwork, ids = net.body.nodeIndices, at = net.getPositions(ids), screen = {};
  for (const id of ids) { const d = net.canvasToDOM(at[id]); screen[id] = [d.x, d.y]; }
  const c = document.getElementById('dnh-network');
  return {screen: screen, width: c.clientWidth, height: c.clientHeight, scale: net.getScale()};
}"""
KHMER = ["ក្រុមប្រឹក្សាឃុំ", "ព្រះសង្ឃ", "អ្នកនេសាទ", "មន្ទីរកសិកម្ម", "សហគមន៍", "អង្គការ", "ប៉ូលីស", "គ្រូបង្រៀន"]


def actors_only(name: str, edges: list[tuple[int, int]], n: int, names=None) -> Analysis:
    """An analysis of ``n`` actors linked by ``edges`` (shapes nobody chose: chains, pairs, stars)."""
    names = names or [f"Actor {i}" for i in range(n)]
    types = ["government", "civil_society", "religious", "community_group", "donor", "armed_group"]
    return Analysis(
        info=AnalysisInfo(name, name),
        actors=[Actor(f"A{i}", names[i % len(names)] + (f" {i}" if i >= len(names) else ""), types[i % len(types)],
                      "neutral", 1 + i % 5) for i in range(n)],
        relationships=[Relationship(f"A{u}", f"A{v}", ["cooperation", "conflict", "alliance"][k % 3])
                       for k, (u, v) in enumerate(edges)])


SHAPES = {
    "chain": actors_only("chain", [(i, i + 1) for i in range(24)], 25),
    "pair": actors_only("pair", [(0, 1)], 2),
    "star with Khmer names": actors_only("star", [(0, i) for i in range(1, 12)], 12, KHMER),
    "core and tail": actors_only("core", [(i, j) for i in range(8) for j in range(i + 1, 8)]
                                 + [(7 + i, 8 + i) for i in range(12)], 20),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_shapes_read_on_screen_and_the_page_fits_as_python_says(browser, tmp_path, shape):  # noqa: F811
    graph = network.build_graph(SHAPES[shape])
    positions = network.compute_layout(graph)
    v = visit(browser, network_html(graph, positions=positions, legend=False, height="fill"), tmp_path,
              viewport=(1280, 800))
    try:
        seen = v.page.evaluate(ON_SCREEN)
        width, height = seen["width"], seen["height"]
        expected = on_screen(positions, width, height)
        for node, (x, y) in seen["screen"].items():
            assert math.dist((x, y), expected[node]) < 1.5, node  # one definition of the fit
        assert screen_problems(list(seen["screen"].values()), width, height) == []
        assert v.errors == [] and v.aborted == []
    finally:
        v.page.close()


def test_labels_read_on_a_projector(browser, tmp_path):  # noqa: F811
    for folder in DEMOS:
        graph = network.build_graph(io.read_csv_folder(folder))
        v = visit(browser, network_html(graph, height="fill"), tmp_path, viewport=(1280, 720))
        try:
            labels = v.page.evaluate("window.__dnhLabels")
            data = v.page.evaluate("JSON.parse(document.getElementById('dnh-data').textContent)")
            top = [n["id"] for n in sorted(data["nodes"], key=lambda n: -n["imp"])[:5]]
            drawn = {label["id"]: label for label in labels}
            assert all(node in drawn for node in top), folder.name  # the most important are labelled
            assert all(label["px"] >= 12 for label in labels)
            boxes = [(b["x"], b["y"], b["x"] + b["w"], b["y"] + b["h"]) for b in labels]
            assert not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                           for i, a in enumerate(boxes) for b in boxes[:i]), folder.name  # none overlap

            v.page.click("#dnh-projector")
            projected = v.page.evaluate("window.__dnhLabels")
            assert {b["px"] for b in projected} == {LABEL_SIZES["projector"]}
            assert len(projected) <= PROJECTOR["labels"] and len(projected) <= len(labels)
            widths = v.page.evaluate("window.__dnhNetwork.body.data.edges.get().map(e => e.width)")
            assert widths == [w * PROJECTOR["edge_factor"] for w in (e.get("width", 1) for e in data["edges"])]
            v.page.click("#dnh-larger")
            assert {b["px"] for b in v.page.evaluate("window.__dnhLabels")} == {LABEL_SIZES["projector"] + 2}
            assert v.page.text_content("#dnh-label-size") == f"{LABEL_SIZES['projector'] + 2} px"
            assert v.errors == []
        finally:
            v.page.close()


LEGEND_CLIPPED = """() => {
  const bottom = window.innerHeight, right = window.innerWidth;
  const items = Array.from(document.querySelectorAll('#dnh-legend li, #dnh-legend h2'));
  return {count: items.length, clipped: items.filter(e => { const r = e.getBoundingClientRect();
            return r.bottom > bottom + 0.5 || r.right > right + 0.5 || r.height === 0; }).map(e => e.textContent),
          scrolls: document.documentElement.scrollHeight > bottom + 1,
          drawing: document.getElementById('dnh-network').clientHeight};
}"""


@pytest.mark.parametrize("color_by", ["type", "stance"])
def test_the_legend_is_never_cut_off(browser, tmp_path, color_by):  # noqa: F811
    # every actor type, stance, relationship type and question of the method, in the frame the page uses
    a = generate_analysis(actors=120, relationships=300, factors=30, details=30, impacts=90, options=0, reviews=1,
                          seed=5)
    graph = network.build_graph(a)
    html = network_html(graph, height="fill", color_by=color_by)
    for width in (660, 916, 1280):  # the frame in a 1024 and a 1280 window (sidebar open), and wide
        v = visit(browser, html, tmp_path, viewport=(width, FRAME_HEIGHT))
        try:
            found = v.page.evaluate(LEGEND_CLIPPED)
            assert found["count"] >= 40 and found["clipped"] == [] and not found["scrolls"], (width, found)
            assert found["drawing"] >= 400  # and the drawing keeps most of the frame
        finally:
            v.page.close()


def test_the_picture_stays_put_across_reviews(browser, tmp_path):  # noqa: F811
    analysis = io.read_csv_folder(DEMOS[0])
    now = network.build_graph(analysis)
    positions = network.compute_layout(now)  # the union of every review's nodes, laid out once
    seen = {}
    for review in [None, *(r.key for r in analysis.reviews)]:
        graph = network.build_graph(analysis, review)
        v = visit(browser, network_html(graph, positions=positions, height="fill"), tmp_path,
                  viewport=(1280, 720))
        try:
            seen[review] = v.page.evaluate(ON_SCREEN)
        finally:
            v.page.close()
    for review, view in seen.items():
        assert view["scale"] == pytest.approx(seen[None]["scale"], rel=1e-6), review  # the zoom holds
        common = view["screen"].keys() & seen[None]["screen"].keys()
        moved = max(math.dist(view["screen"][n], seen[None]["screen"][n]) for n in common)
        assert moved <= 5, (review, moved)


def test_the_gap_criterion_is_what_a_person_sees(browser, tmp_path):  # noqa: F811
    # 500 nodes, the bench's mid size: nodes do not sit on top of each other in the first view
    a = generate_analysis(actors=300, relationships=700, factors=100, details=100, impacts=300, options=0,
                          reviews=1, seed=3)
    graph = network.build_graph(a)
    v = visit(browser, network_html(graph, legend=False, height="fill"), tmp_path, viewport=(1280, 800))
    try:
        seen = v.page.evaluate(ON_SCREEN)
        points = list(seen["screen"].values())
        gaps = sorted(min(math.dist(p, q) for j, q in enumerate(points) if j != i) for i, p in enumerate(points))
        assert gaps[len(gaps) // 2] >= MIN_GAP
    finally:
        v.page.close()


def test_a_persons_zoom_is_kept_when_the_review_changes(browser, tmp_path):  # noqa: F811
    analysis = io.read_csv_folder(DEMOS[0])
    positions = network.compute_layout(network.build_graph(analysis))
    now = network_html(network.build_graph(analysis), positions=positions, height="fill")
    r1 = network_html(network.build_graph(analysis, analysis.reviews[0].key), positions=positions, height="fill")
    (tmp_path / "r1.html").write_text(r1, encoding="utf-8")
    v = visit(browser, now, tmp_path, viewport=(1280, 720))
    try:
        fitted = v.page.evaluate("window.__dnhNetwork.getScale()")
        box = v.page.locator("#dnh-network").bounding_box()
        v.page.mouse.move(box["x"] + box["width"] / 3, box["y"] + box["height"] / 3)
        for _ in range(4):  # zoom in on the upper left
            v.page.mouse.wheel(0, -300)
            v.page.wait_for_timeout(50)
        v.page.wait_for_timeout(300)
        zoomed = v.page.evaluate("window.__dnhNetwork.getScale()")
        assert zoomed > 1.2 * fitted
        v.page.goto((tmp_path / "r1.html").as_uri())  # the slider redraws the page: same tab, same layout
        v.page.wait_for_function("() => window.__dnhReady", timeout=60_000)
        assert v.page.evaluate("window.__dnhNetwork.getScale()") == pytest.approx(zoomed)
        v.page.click("#dnh-fit")
        assert v.page.evaluate("window.__dnhNetwork.getScale()") == pytest.approx(fitted)
        assert v.errors == []
    finally:
        v.page.close()
