"""dnh_graph.render.network_html: a self-contained page, strict CSP, no user text as markup."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest

from dnh_graph import network
from dnh_graph.network.metrics import actor_metrics, add_actor_metrics
from dnh_graph.render import styles
from dnh_graph.render.network_html import PHYSICS_LIMIT, legend, network_html, tooltips, used_styles, vis_data
from dnh_graph.synthetic import generate_analysis
from tests.test_network_support import XSS_HREF, XSS_IMG, XSS_SCRIPT, outputs_across_hash_seeds, river


class Page(HTMLParser):
    """Every element with its attributes, and the text of scripts and styles."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self._open: tuple[str, dict] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs))

    def handle_data(self, data):
        if self._open:
            tag, attrs = self._open
            if tag == "script":
                self.scripts.append((attrs, data))
            else:
                self.styles.append(data)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._open = None

    def csp(self) -> dict[str, list[str]]:
        content = next(a["content"] for t, a in self.elements
                       if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
        return {part.split()[0]: part.split()[1:] for part in content.split("; ")}

    def data(self) -> dict:
        return json.loads(next(text for attrs, text in self.scripts
                               if attrs.get("type") == "application/json"))


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def hostile():
    a = river()
    a.info = dataclasses.replace(a.info, name="</title><script>alert('name')</script>")
    a.actors[0] = dataclasses.replace(a.actors[0], name=XSS_IMG, description=XSS_SCRIPT)
    a.actors[2] = dataclasses.replace(a.actors[2], name=XSS_SCRIPT)
    a.relationships[0] = dataclasses.replace(a.relationships[0], note=XSS_HREF)
    a.factors[0] = dataclasses.replace(a.factors[0], name=XSS_HREF, description="see href=x")
    a.impacts[0] = dataclasses.replace(a.impacts[0], evidence=XSS_IMG)
    return a


@pytest.fixture(scope="module")
def page_html():
    return network_html(network.build_graph(hostile()))


def test_no_resource_from_the_network(page_html):
    assert "http://" not in page_html and "https://" not in page_html
    assert "sourceMappingURL" not in page_html
    assert "bootstrap" not in page_html.lower()
    for tag, attrs in Page(page_html).elements:
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if name in attrs:
                assert attrs[name].startswith("data:"), (tag, name, attrs[name])


def test_csp_allows_only_its_own_scripts_and_styles(page_html):
    page = Page(page_html)
    csp = page.csp()
    assert csp["default-src"] == ["'none'"]
    assert csp["connect-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'none'"]
    assert csp["img-src"] == ["data:"]
    code = [text for attrs, text in page.scripts if attrs.get("type") != "application/json"]
    assert len(code) == 2
    assert sorted(csp["script-src"]) == sorted(sha256(text) for text in code)
    assert sorted(csp["style-src"]) == sorted(sha256(text) for text in page.styles)
    assert "'unsafe-inline'" not in page_html and "'unsafe-eval'" not in page_html


def test_user_text_never_becomes_markup(page_html):
    page = Page(page_html)
    assert [t for t, _ in page.elements].count("script") == 3  # data, vis-network, ours
    allowed = {"html", "head", "meta", "link", "title", "style", "body", "div", "button", "span", "noscript",
               "details", "summary", "section", "h2", "ul", "li", "svg", "circle", "rect", "polygon", "line",
               "script", "output"}
    assert {t for t, _ in page.elements} <= allowed
    assert "<img" not in page_html and "<a " not in page_html and "<option" not in page_html
    assert all(not name.startswith("on") for _, attrs in page.elements for name in attrs)
    titles = [text for tag, _ in page.elements if tag == "title" for text in [page_html.split("<title>")[1]]]
    assert titles and titles[0].startswith("&lt;/title&gt;&lt;script&gt;")


def test_user_text_arrives_intact_as_data(page_html):
    data = Page(page_html).data()
    labels = {n["label"] for n in data["nodes"]}
    assert XSS_IMG in labels and XSS_SCRIPT in labels
    texts = tooltips(data)
    titles = " ".join([*texts["nodes"].values(), *texts["edges"].values()])
    assert XSS_HREF in titles and XSS_IMG in titles and "see href=x" in titles
    raw = re.search(r'<script type="application/json" id="dnh-data">(.*?)</script>', page_html, re.S).group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw


def test_page_script_never_uses_html_sinks():
    from importlib import resources

    script = (resources.files("dnh_graph.render") / "templates" / "network.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in script


def test_node_ids_are_not_user_text(page_html):
    data = Page(page_html).data()
    assert all(re.fullmatch(r"[afd]\d+", n["id"]) for n in data["nodes"])
    assert all(re.fullmatch(r"[rli]\d+", e["id"]) for e in data["edges"])


def test_same_input_same_page_whatever_the_hash_seed():
    code = ("import hashlib; from dnh_graph.network import build_graph; "
            "from dnh_graph.render.network_html import network_html; from tests.test_network_support import river; "
            "print(hashlib.sha256(network_html(build_graph(river())).encode()).hexdigest())")
    here = hashlib.sha256(network_html(network.build_graph(river())).encode()).hexdigest()
    assert outputs_across_hash_seeds(code) == {here + "\n"}


def test_height_must_be_a_css_length():
    g = network.build_graph(river())
    assert "height:80vh" in network_html(g, height="80vh")
    for bad in ("700px;}body{display:none", "1e3px", "", "700"):
        with pytest.raises(ValueError, match="height"):
            network_html(g, height=bad)


def test_the_page_opens_on_the_positions_and_physics_only_when_asked():
    # a physics run at load would move every node from one review to the next (issue 11)
    small = Page(network_html(network.build_graph(river()))).data()
    assert small["physics"] is False and small["options"]["physics"] == {"enabled": False}
    asked = Page(network_html(network.build_graph(river()), physics=True)).data()
    assert asked["physics"] is True and asked["options"]["physics"]["enabled"] is True
    assert asked["freeze"] is True
    big_analysis = generate_analysis(actors=PHYSICS_LIMIT, relationships=400, factors=20, details=20,
                                     impacts=100, options=0, reviews=1)
    big = Page(network_html(network.build_graph(big_analysis))).data()
    assert big["physics"] is False and big["options"]["physics"] == {"enabled": False}
    assert all("x" in n and "y" in n for n in big["nodes"])
    forced = Page(network_html(network.build_graph(river()), physics=False)).data()
    assert forced["physics"] is False


def test_positions_given_are_used():
    g = network.build_graph(river())
    positions = network.compute_layout(g, seed=5)
    nodes = {n["id"]: n for n in vis_data(g, positions)["nodes"]}
    assert (nodes["a1"]["x"], nodes["a1"]["y"]) == positions["a1"]
    partial = dict(positions)
    partial.pop("d1")
    data = Page(network_html(g, positions=partial)).data()
    assert all("x" in n for n in data["nodes"])


def test_legend_on_the_page_and_as_data(page_html):
    for label in ("Alliance", "Cooperation", "Conflict", "Broken", "Influence", "Funding",
                  "Divider", "Connector", "Harmful impact", "With whom"):
        assert label in page_html
    assert "Weak / informal" not in page_html  # the page lists what it draws; the river has no weak tie
    assert 'id="dnh-legend"' not in network_html(network.build_graph(river()), legend=False)
    sections = legend()
    assert [len(s["items"]) for s in sections][2] == 7  # one per DNH question
    assert all(item["label"] for s in sections for item in s["items"])
    used = legend(used=used_styles(network.build_graph(river())))
    details = next(s for s in used if s["title"] == "Details of the intervention (by question)")
    assert [item["label"] for item in details["items"]] == ["What", "With whom"]
    only_actors = network.filter_graph(network.build_graph(river()), kinds=["actor"])
    assert [s["title"] for s in legend(used=used_styles(only_actors))] == ["Actors", "Relationships"]


def test_caption_says_which_review_and_pseudonymisation():
    html = network_html(network.build_graph(river(), "R2", pseudonymise=True))
    assert "As of review R2 (2024-09-01)" in html and "pseudonymised" in html
    assert "Fisheries patrol" not in html and "Col. Sok" not in html
    assert "Now (latest readings)" in network_html(network.build_graph(river()))


# ------------------------------------------------------------------------------------------ vis data
def items(graph, **kwargs):
    data = vis_data(graph, **kwargs)
    texts = tooltips(data)  # what the page shows on hover (network.js composes the same text)
    nodes = {n["id"]: {**data["nodeStyles"][n["s"]], **n, "title": texts["nodes"][n["id"]]} for n in data["nodes"]}
    edges = {e["id"]: {**data["edgeStyles"][e["s"]], **e, "title": texts["edges"][e["id"]]} for e in data["edges"]}
    return nodes, edges


def test_node_conventions():
    nodes, _ = items(network.build_graph(river(), "R1"))
    assert nodes["a2"]["shape"] == "triangle" and nodes["a2"]["size"] == 8 + 5 * 5  # influence 5 at R1
    assert nodes["f1"]["shape"] == "diamond" and nodes["f1"]["color"]["background"] == styles.HARM
    assert nodes["f3"]["color"]["background"] == styles.HELP
    assert nodes["f1"]["size"] > nodes["f3"]["size"]  # 4 × 5 against 2 × 4
    assert nodes["f2"]["color"]["background"].startswith("rgba(")  # absent at R1: faint
    assert nodes["d1"]["shape"] == "square" and nodes["d1"]["label"].startswith("With whom: ")
    assert nodes["a2"]["imp"] > nodes["d1"]["imp"]  # labels are placed biggest first


def test_unread_factors_are_not_faint_now():
    a = river(factor_readings=[], actor_readings=[])
    nodes, _ = items(network.build_graph(a))
    assert nodes["f1"]["color"]["background"] == styles.HARM
    assert nodes["f1"]["size"] > nodes["f4"]["size"]  # by priority alone: 5 against 2
    faint, _ = items(network.build_graph(a, "R1"))
    assert faint["f1"]["color"]["background"].startswith("rgba(")


def test_edge_conventions():
    _, edges = items(network.build_graph(river()))
    influence, conflict, cooperation, alliance, broken, funding = (edges[f"r{n}"] for n in range(1, 7))
    assert influence["arrows"] == "to" and funding["arrows"] == "to"
    assert conflict["color"] == styles.RELATIONSHIP["conflict"].colour
    assert conflict["dashes"] and conflict["arrows"]["middle"]["enabled"]
    assert broken["arrows"]["middle"]["type"] == "bar" and broken["dashes"]
    assert "dashes" not in cooperation and alliance["width"] > cooperation["width"]
    assert "smooth" not in influence and funding["smooth"]["enabled"]  # parallel to the influence
    harmful, helpful = edges["i1"], edges["i3"]
    assert harmful["color"] == styles.HARM and helpful["color"] == styles.HELP
    assert harmful["width"] > edges["i5"]["width"]  # 3 × 5 against 1 × 4
    assert "Mechanism: Implicit ethical message" in harmful["title"]
    assert "Pattern: Legitimization" in harmful["title"] and "Patrol escorts seen" in harmful["title"]
    assert edges["l1"]["arrows"] == "from" and edges["l2"]["arrows"] == "to"  # drives / affected


def test_long_text_is_clipped_in_tooltips():
    a = river()
    a.actors[0] = dataclasses.replace(a.actors[0], description="x" * 20_000, name="y" * 300)
    a.relationships[0] = dataclasses.replace(a.relationships[0], note="z" * 20_000)
    nodes, edges = items(network.build_graph(a))
    assert len(nodes["a1"]["title"]) <= 600 and len(nodes["a1"]["label"]) <= 40
    assert nodes["a1"]["title"].startswith("y" * 300 + "\n") and nodes["a1"]["title"].endswith("x…")
    assert len(edges["r1"]["title"]) == 600 and edges["r1"]["title"].endswith("z…")
    # the page carries at most what a tooltip can show of a long text, not all of it
    page = network_html(network.build_graph(a))
    assert "x" * 601 in page and "x" * 602 not in page and "z" * 602 not in page


def test_size_and_colour_by_metrics():
    a = river()
    g = network.build_graph(a)
    with pytest.raises(ValueError, match="add_actor_metrics"):
        vis_data(g, size_by="betweenness")
    with pytest.raises(ValueError, match="add_actor_metrics"):
        vis_data(g, color_by="community")
    g = add_actor_metrics(g, actor_metrics(a))
    nodes, _ = items(g, size_by="betweenness", color_by="community")
    assert nodes["a1"]["size"] > nodes["a2"]["size"]  # the broker is larger
    assert "betweenness" in nodes["a1"]["title"]
    html = network_html(g, size_by="degree", color_by="stance")
    assert "Size: number of related actors (degree)" in html


def test_unknown_options_are_refused():
    g = network.build_graph(river())
    with pytest.raises(ValueError, match="color_by"):
        vis_data(g, color_by="mood")
    with pytest.raises(ValueError, match="size_by"):
        vis_data(g, size_by="mood")


def test_an_empty_graph_still_makes_a_page():
    html = network_html(network.build_graph(river(actors=[], relationships=[], factors=[], factor_actors=[],
                                                  details=[], impacts=[])))
    data = Page(html).data()
    assert data["nodes"] == [] and data["physics"] is False


def test_large_graphs_keep_only_relationship_arrows():
    _, edges = items(network.build_graph(river()), all_arrows=False)
    assert "arrows" not in edges["i1"] and "arrows" not in edges["l1"]
    assert edges["r1"]["arrows"] == "to" and edges["r2"]["arrows"]["middle"]["enabled"]
    assert any("without arrowheads" in item["label"] for s in legend(all_arrows=False) for item in s["items"])
    assert not any("without arrowheads" in item["label"] for s in legend() for item in s["items"])


# ------------------------------------------------------------------------------------------ catalog
def test_every_network_message_is_in_the_catalog_and_nowhere_else():
    """Translators see only the catalog: each ``m("id")`` of the page is ``network.id`` in en.json, and the
    code passes no English of its own (read from the source, so a new message cannot slip through)."""
    import ast
    from pathlib import Path

    from dnh_graph.i18n import catalog
    from dnh_graph.render import network_html as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and (
        getattr(node.func, "id", None) == "m" or getattr(node.func, "attr", None) == "m")]
    ids = {call.args[0].value for call in calls}
    # tooltips: the page gets the messages of _TIP_MESSAGES once and fills them in (m["id"] in tooltip)
    looked_up = {node.slice.value for node in ast.walk(tree) if isinstance(node, ast.Subscript)
                 and getattr(node.value, "id", None) == "m" and isinstance(node.slice, ast.Constant)}
    assert looked_up and looked_up <= set(module._TIP_MESSAGES)
    ids |= set(module._TIP_MESSAGES)
    assert len(ids) >= 40
    assert sorted(i for i in ids if f"network.{i}" not in catalog("en")) == []
    assert [ast.unparse(call) for call in calls if len(call.args) != 1] == []
    page = network_html(network.build_graph(river(), "R2", pseudonymise=True))
    assert not re.search(r"\bnetwork\.[a-z_]+\b", page.split('id="dnh-data"')[0])  # no id shown as text


def test_the_report_map_and_the_screen_draw_from_one_set_of_symbols():
    from dnh_graph.render import report

    a = river()
    _, edges = items(network.build_graph(a))
    chart = report.relationship_map(a)
    for n, rel in enumerate(a.relationships, start=1):
        screen, paper = edges[f"r{n}"], chart.items["edges"][n - 1]
        assert screen["color"] == paper["colour"] == styles.RELATIONSHIP[rel.type].colour, rel.type
        assert bool(screen.get("dashes")) == bool(paper["dash"]), rel.type
        arrows = screen.get("arrows")
        marker = arrows["middle"]["type"] if isinstance(arrows, dict) else None
        assert marker == (paper["marker"] or {}).get("type"), rel.type  # conflict dot, broken bar
        directed = arrows == "to" or (isinstance(arrows, dict) and arrows["to"]["enabled"])
        assert directed == bool(paper["arrow"]), rel.type
    nodes, _ = items(network.build_graph(a))
    for node, actor in zip(chart.items["nodes"], a.actors):
        tag = styles.shape_svg(styles.ACTOR[actor.type].shape, 0, 0, 1)[0]
        assert node["fill"] == styles.ACTOR[actor.type].colour and node["shape"][0] == tag
    assert {nodes[f"a{i}"]["shape"] for i in range(1, 5)} == {styles.ACTOR[x.type].shape for x in a.actors}
    html = report.report_html(a, sections=["actors"])
    page = network_html(network.build_graph(a))
    for st in ("conflict", "broken"):  # the same legend symbol (symbols.html.j2) on paper and on screen
        dash = " ".join(map(str, styles.RELATIONSHIP[st].dashes))
        assert f'stroke-dasharray="{dash}"' in html and f'stroke-dasharray="{dash}"' in page


# ------------------------------------------------------------------------------------------- fonts
def _has_font(page: str) -> bool:
    faces, preload = styles.font_faces_css() in page, styles.font_preload_html() in page
    assert faces == preload  # both or neither
    return faces


@pytest.mark.parametrize("where", ["none", "label", "description", "note", "evidence", "analysis", "km"])
def test_the_khmer_font_comes_only_with_text_that_needs_it(where):
    """The inlined font (0.2 MB with its preload) only when a letter of the page needs it: a label, any
    tooltip text (user text, or the catalog words of a Khmer page), the legend, the title."""
    a = river()
    khmer = "ភ្នំពេញ"
    if where == "label":
        a.actors[1] = dataclasses.replace(a.actors[1], name=khmer)
    elif where == "description":  # only in a tooltip, composed by the page on hover
        a.actors[1] = dataclasses.replace(a.actors[1], description=khmer)
    elif where == "note":
        a.relationships[1] = dataclasses.replace(a.relationships[1], note=khmer)
    elif where == "evidence":
        a.impacts[1] = dataclasses.replace(a.impacts[1], evidence=khmer)
    elif where == "analysis":
        a.info = dataclasses.replace(a.info, name=khmer)
    page = network_html(network.build_graph(a), lang="km" if where == "km" else "en")
    assert _has_font(page) is (where != "none")
    assert ('"khmer":true' in page) is (where in ("label", "km"))  # the page waits for it for labels only


def test_building_pauses_the_collector_and_always_restores_it():
    import gc

    from dnh_graph.nogc import no_gc

    seen = []
    g = network.build_graph(river())
    real = styles.needs_khmer_font
    try:  # the collector is paused while the page is built (see dnh_graph.nogc) ...
        styles.needs_khmer_font = lambda text: seen.append(gc.isenabled()) or real(text)
        network_html(g)
    finally:
        styles.needs_khmer_font = real
    assert seen and not any(seen)
    assert gc.isenabled()  # ... and running again after it
    with pytest.raises(ValueError):
        network_html(g, height="tall")
    assert gc.isenabled()  # after a refusal too
    gc.disable()
    try:  # a caller that paused it keeps it paused
        with no_gc():
            pass
        network_html(g)
        assert not gc.isenabled()
    finally:
        gc.enable()
