"""The network page in a real Chromium: offline, no console errors, hostile text shown as text.

Needs /usr/bin/chromium (never `playwright install`). Without it these tests are skipped, unless
DNH_REQUIRE_BROWSER=1, which makes a missing browser a failure (CI sets it).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnh_graph import network
from dnh_graph.render.network_html import network_html, tooltips, vis_data
from dnh_graph.synthetic import generate_analysis
from tests.test_network_support import XSS_HREF, XSS_IMG, XSS_SCRIPT, river

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
LOCAL = ("file:", "data:", "about:")


def _unavailable(reason: str):
    if os.environ.get("DNH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"DNH_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(f"{reason} (set DNH_REQUIRE_BROWSER=1 to make this a failure)")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"there is no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@dataclasses.dataclass
class Visit:
    page: object
    aborted: list
    errors: list
    dialogs: list


def visit(browser, html: str, tmp_path: Path, name: str = "network.html", viewport=(1100, 900)) -> Visit:
    """Open the page from a file with every request that is not local aborted, until it is drawn."""
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    found = Visit(page, [], [], [])

    def route(r):
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            found.aborted.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: found.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: found.errors.append(str(e)))

    def dialog(d):
        found.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.__dnhReady", timeout=60_000)
    return found


def hostile():
    a = river()
    a.info = dataclasses.replace(a.info, name="</title><script>alert('name')</script>")
    a.actors[0] = dataclasses.replace(a.actors[0], name=XSS_IMG, description=XSS_SCRIPT)
    a.actors[2] = dataclasses.replace(a.actors[2], name=XSS_SCRIPT)
    a.factors[0] = dataclasses.replace(a.factors[0], name=XSS_HREF)
    a.relationships[0] = dataclasses.replace(a.relationships[0], note=XSS_HREF)
    a.impacts[0] = dataclasses.replace(a.impacts[0], evidence=XSS_IMG)
    return a


INJECTED = """() => ({
  elements: document.querySelectorAll('img, iframe, object, embed, a, option, form, input').length,
  scripts: document.scripts.length,
})"""

TOOLTIP_AT = """(id) => {
  const net = window.__dnhNetwork;
  const dom = net.canvasToDOM(net.getPositions([id])[id]);
  const box = document.getElementById('dnh-network').getBoundingClientRect();
  return {x: box.left + dom.x, y: box.top + dom.y};
}"""

TOOLTIP = """() => {
  const tip = document.querySelector('div.vis-tooltip');
  if (!tip || tip.style.visibility === 'hidden') return null;
  // innerText turns each line break into a <br>: any other element would be markup from user text
  const other = Array.from(tip.querySelectorAll('*')).filter(e => e.tagName !== 'BR').length;
  return {text: tip.innerText, elements: other, lines: tip.querySelectorAll('br').length + 1};
}"""


def hover_tooltip(page, node_id: str) -> dict:
    page.mouse.move(5, 5)
    point = page.evaluate(TOOLTIP_AT, node_id)
    page.mouse.move(point["x"] - 2, point["y"] - 2)
    page.mouse.move(point["x"], point["y"], steps=3)
    page.wait_for_function(TOOLTIP, timeout=10_000)  # a function: a string expression would need eval
    return page.evaluate(TOOLTIP)


def test_small_network_renders_offline_and_hostile_text_stays_text(browser, tmp_path):
    v = visit(browser, network_html(network.build_graph(hostile())), tmp_path)
    try:
        assert v.page.evaluate("window.__dnhReady.mode") == "drawn"  # the computed positions, no physics run
        assert v.page.evaluate("window.__dnhReady.nodes") == 10
        assert v.aborted == []
        assert v.errors == []
        assert v.dialogs == []
        assert v.page.evaluate(INJECTED) == {"elements": 0, "scripts": 3}
        assert v.page.title() == "</title><script>alert('name')</script>"

        expected = tooltips(vis_data(network.build_graph(hostile())))["nodes"]
        actor = hover_tooltip(v.page, "a1")  # label <img ...>, description <script>...
        assert XSS_IMG in actor["text"] and XSS_SCRIPT in actor["text"]
        assert actor["text"] == expected["a1"]  # composed by the page from the item's values
        assert actor["elements"] == 0 and actor["lines"] >= 3
        factor = hover_tooltip(v.page, "f1")  # a title with href: pyvis would switch to innerHTML here
        assert XSS_HREF in factor["text"] and factor["elements"] == 0 and factor["text"] == expected["f1"]
        assert v.page.evaluate(INJECTED) == {"elements": 0, "scripts": 3}
        assert v.dialogs == [] and v.errors == []
    finally:
        v.page.close()


def test_physics_freezes_and_the_button_brings_it_back(browser, tmp_path):
    v = visit(browser, network_html(network.build_graph(river()), physics=True), tmp_path)
    try:
        assert v.page.evaluate("window.__dnhNetwork.physics.physicsEnabled") is False
        assert v.page.get_attribute("#dnh-physics", "aria-pressed") == "false"
        v.page.click("#dnh-physics")
        assert v.page.evaluate("window.__dnhNetwork.physics.physicsEnabled") is True
        assert v.page.get_attribute("#dnh-physics", "aria-pressed") == "true"
        v.page.click("#dnh-fit")
        assert v.errors == []
    finally:
        v.page.close()


def test_large_network_is_drawn_from_positions(browser, tmp_path):
    a = generate_analysis(actors=400, relationships=900, factors=100, details=100, impacts=600, options=0,
                          reviews=2, seed=1)
    a.actors[0] = dataclasses.replace(a.actors[0], name=XSS_IMG)
    g = network.build_graph(a, "R1")
    positions = network.compute_layout(g)
    v = visit(browser, network_html(g, positions=positions), tmp_path)
    try:
        ready = v.page.evaluate("window.__dnhReady")
        assert ready["mode"] == "drawn" and ready["nodes"] == g.number_of_nodes()
        assert ready["edges"] == g.number_of_edges()
        drawn = v.page.evaluate("window.__dnhNetwork.getPositions(['a1', 'f1'])")
        assert drawn["a1"]["x"] == pytest.approx(positions["a1"][0], abs=1)  # vis reports whole pixels
        assert drawn["f1"]["y"] == pytest.approx(positions["f1"][1], abs=1)
        assert v.aborted == [] and v.errors == [] and v.dialogs == []
        assert v.page.evaluate(INJECTED) == {"elements": 0, "scripts": 3}
    finally:
        v.page.close()


EDGE_AT = """(i) => {
  const net = window.__dnhNetwork, d = JSON.parse(document.getElementById('dnh-data').textContent);
  const e = d.edges.filter(e => !e.smooth && e.s[0] === 'r' && d.tips[e.s][0] === 'alliance')[i];
  const p = net.getPositions([e.from, e.to]);
  const mid = {x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2};
  net.moveTo({position: mid, scale: 3, animation: false});
  const dom = net.canvasToDOM(mid), box = document.getElementById('dnh-network').getBoundingClientRect();
  return {x: box.left + dom.x, y: box.top + dom.y, id: e.id};
}"""

EDGE_TOOLTIP = """() => {
  const tip = document.querySelector('div.dnh-edge-tooltip');
  if (!tip || tip.style.visibility !== 'visible') return null;
  return {text: tip.textContent, elements: tip.querySelectorAll('*').length};
}"""


def test_large_network_draws_its_own_edges_with_text_tooltips(browser, tmp_path):
    # above network_html.LARGE nodes the page strokes the edges itself (no vis-network edge objects)
    a = generate_analysis(actors=700, relationships=1200, factors=200, details=200, impacts=900, options=0,
                          reviews=1, seed=2)
    a.relationships = [dataclasses.replace(r, note=XSS_HREF + " " + XSS_IMG) for r in a.relationships]
    a.actors = [dataclasses.replace(x, name=f"{XSS_IMG} ភ្នំពេញ שלום {n}") for n, x in enumerate(a.actors)]
    g = network.build_graph(a)
    assert g.number_of_nodes() > 1000
    expected = tooltips(vis_data(g, all_arrows=False))["edges"]
    v = visit(browser, network_html(g), tmp_path)
    try:
        ready = v.page.evaluate("window.__dnhReady")
        assert ready["mode"] == "drawn" and ready["edges"] == g.number_of_edges()
        assert v.page.evaluate("window.__dnhNetwork.body.edgeIndices.length") == 0
        shown = None
        for i in range(12):  # the middle of an alliance, unless another edge or a node is nearer there
            v.page.mouse.move(5, 5)
            at = v.page.evaluate(EDGE_AT, i)
            v.page.mouse.move(at["x"] - 3, at["y"] - 3)
            v.page.mouse.move(at["x"], at["y"], steps=3)
            v.page.wait_for_timeout(100)
            shown = v.page.evaluate(EDGE_TOOLTIP)
            if shown and shown["text"] == expected[at["id"]]:
                break
        assert shown and XSS_HREF in shown["text"] and XSS_IMG in shown["text"] and "ភ្នំពេញ שלום" in shown["text"]
        assert shown["text"] in expected.values()  # composed on hover, the same text as in Python
        assert shown["elements"] == 0
        assert v.page.evaluate(INJECTED) == {"elements": 0, "scripts": 3}
        assert v.aborted == [] and v.errors == [] and v.dialogs == []
    finally:
        v.page.close()


NODE_AT = """(id) => {
  const net = window.__dnhNetwork, p = net.getPositions([id])[id];
  net.moveTo({position: p, scale: 2, animation: false});
  const dom = net.canvasToDOM(p), box = document.getElementById('dnh-network').getBoundingClientRect();
  return {x: box.left + dom.x, y: box.top + dom.y};
}"""


def test_large_network_draws_its_own_nodes_a_person_can_read_drag_and_hand_to_physics(browser, tmp_path):
    # above network_html.LARGE nodes the page draws the nodes too (no vis-network node objects at load)
    a = generate_analysis(actors=700, relationships=1200, factors=200, details=200, impacts=900, options=0,
                          reviews=1, seed=2)
    a.actors[0] = dataclasses.replace(a.actors[0], name=XSS_IMG)
    g = network.build_graph(a)
    assert g.number_of_nodes() > 1000
    v = visit(browser, network_html(g), tmp_path)
    try:
        net = "window.__dnhNetwork"
        assert v.page.evaluate(f"{net}.body.nodeIndices.length") == 0
        at = v.page.evaluate(NODE_AT, "a1")
        v.page.mouse.move(5, 5)
        v.page.mouse.move(at["x"] - 2, at["y"] - 2)
        v.page.mouse.move(at["x"], at["y"], steps=3)
        v.page.wait_for_timeout(150)
        shown = v.page.evaluate(EDGE_TOOLTIP)
        assert shown and shown["text"].startswith(XSS_IMG) and shown["elements"] == 0
        assert shown["text"] == tooltips(vis_data(g, all_arrows=False))["nodes"]["a1"]
        assert v.page.evaluate(f"{net}.getNodeAt({{x: {at['x']}, y: {at['y']}}})") is not None

        before = v.page.evaluate(f"{net}.getPositions(['a1']).a1")
        view = v.page.evaluate(f"{net}.getViewPosition()")
        v.page.mouse.down()
        v.page.mouse.move(at["x"] + 60, at["y"] + 40, steps=4)
        v.page.mouse.up()
        after = v.page.evaluate(f"{net}.getPositions(['a1']).a1")
        assert after["x"] - before["x"] == pytest.approx(30, abs=2)  # 60 screen px at scale 2
        assert after["y"] - before["y"] == pytest.approx(20, abs=2)
        assert v.page.evaluate(f"{net}.getViewPosition()") == view  # the node moved, not the view

        v.page.click("#dnh-physics")  # physics needs vis-network's nodes: they are handed over
        assert v.page.evaluate(f"{net}.body.nodeIndices.length") == g.number_of_nodes()
        assert v.page.evaluate("document.getElementById('dnh-physics').getAttribute('aria-pressed')") == "true"
        assert v.page.evaluate(INJECTED) == {"elements": 0, "scripts": 3}
        assert v.aborted == [] and v.errors == [] and v.dialogs == []
    finally:
        v.page.close()


def test_the_policy_blocks_any_connection_attempt(browser, tmp_path):
    v = visit(browser, network_html(network.build_graph(river())), tmp_path)
    try:
        outcome = v.page.evaluate(
            """() => fetch('https://example.org/').then(() => 'fetched', () => 'blocked')""")
        assert outcome == "blocked"
        v.page.evaluate("""() => { const i = new Image(); i.src = 'https://example.org/x.png';
                                   document.body.appendChild(i); }""")
        v.page.wait_for_timeout(300)
        assert v.aborted == []  # refused by the page's own policy before any request was made
        assert any("Content Security Policy" in e for e in v.errors)
    finally:
        v.page.close()


# ------------------------------------------------------------------------------------- tooltips
# The page composes every tooltip from the item's values and the catalog words it carries once
# (network.js, tooltip); network_html.tooltip is the same composition in Python. User text of any
# script, markup among it, must come out as the same text, never as markup.
PAYLOADS = (XSS_IMG, XSS_SCRIPT, XSS_HREF, "ភ្នំពេញ", "ស្រុក​ខ្មែរ", "שלום עולם", "مرحبا بالعالم", "\u202eevil",
            "{n} {tags}", "&amp; &lt;", "e\u0301", "👩‍👩‍👧")
PIECES = st.one_of(st.sampled_from(PAYLOADS),
                   st.text(alphabet=st.sampled_from("abc XYZ<>&\"'/=;{}·→–—…"
                                                    "កខគងចឆ្ាិីុូេែៃោៅំះ៉៊់"
                                                    "אבגדהשלוםابتثجحخدم\u0301\u200d\u200b\u00a0"), max_size=12))
TEXTS = st.lists(PIECES, min_size=1, max_size=4).map("".join)

ALL_TOOLTIPS = """() => {
  const d = JSON.parse(document.getElementById('dnh-data').textContent), out = {nodes: {}, edges: {}};
  for (const n of d.nodes) out.nodes[n.id] = window.__dnhTooltip(n.id, false);
  for (const e of d.edges) out.edges[e.id] = window.__dnhTooltip(e.id, true);
  return out;
}"""
VIS_TITLES = """() => {
  const b = window.__dnhNetwork.body, out = {nodes: {}, edges: {}};
  for (const id of b.nodeIndices) out.nodes[id] = b.nodes[id].options.title;
  for (const id of b.edgeIndices) out.edges[id] = b.edges[id].options.title;
  return out;
}"""


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXTS, other=TEXTS, note=TEXTS, lang=st.sampled_from(["en", "km"]), review=st.sampled_from([None, "R2"]))
def test_tooltips_show_the_same_text_whatever_the_names(browser, tmp_path, name, other, note, lang, review):
    a = river()
    a.actors[0] = dataclasses.replace(a.actors[0], name=name, description=note, tags=(other,))
    a.actors[1] = dataclasses.replace(a.actors[1], name=other * 3)  # longer than a label
    a.factors[0] = dataclasses.replace(a.factors[0], name=other, description=note * 40)  # clipped
    a.relationships[0] = dataclasses.replace(a.relationships[0], note=note)
    a.impacts[0] = dataclasses.replace(a.impacts[0], evidence=name + note)
    g = network.build_graph(a, review)
    expected = tooltips(vis_data(g, lang=lang))
    v = visit(browser, network_html(g, lang=lang), tmp_path)
    try:
        assert v.page.evaluate(ALL_TOOLTIPS) == expected
        # what vis-network shows on hover (as text): the same strings, given to it before setData
        assert v.page.evaluate(VIS_TITLES) == expected
        assert hover_tooltip(v.page, "a1")["text"] == expected["nodes"]["a1"]
        assert v.page.evaluate(INJECTED) == {"elements": 0, "scripts": 3}
        assert v.errors == [] and v.dialogs == [] and v.aborted == []
    finally:
        v.page.close()
