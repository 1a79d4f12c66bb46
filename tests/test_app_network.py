"""AppTest of the Network screen (issue 5): the drawing as of a review, filters, focus, pseudonymisation,
metrics, the comparison of two reviews, and that no user text becomes markup in the iframe."""

from __future__ import annotations

import dataclasses
import html
import json
import re

import pytest

from dnh_graph import network
from dnh_graph.demo import load_demo
from dnh_graph.model import Actor, AnalysisInfo
from dnh_graph.network.compare import compare_reviews
from dnh_graph.network.metrics import actor_metrics
from dnh_graph.render.network_html import tooltips, vis_data
from tests.apptest_support import texts
from tests.over_time_support import DEMOS, app_database, infos, ok, open_page
from tests.test_network_support import XSS_IMG, river

DATA_BLOCK = re.compile(r'<script type="application/json" id="dnh-data">(.*?)</script>', re.S)


@pytest.fixture
def db(tmp_path, monkeypatch):
    return app_database(tmp_path, monkeypatch)


def srcdoc(at) -> str:
    frames = at.get("iframe")
    assert len(frames) == 1
    return frames[0].proto.srcdoc


def drawn(at) -> dict:
    """The vis-network data of the drawing: {"nodes", "edges", ...}."""
    return json.loads(DATA_BLOCK.search(srcdoc(at)).group(1))


def open_tab(at, label: str):
    """Open one of the lazy tabs under the drawing (only the open one runs)."""
    at.session_state["net_tab"] = label
    return at.run()


def node_ids(at) -> set[str]:
    return {n["id"] for n in drawn(at)["nodes"]}


def forms(text: str) -> set[str]:
    """The ways a writer could put ``text`` in a page, lowercased."""
    return {f.lower() for f in (text, html.escape(text), json.dumps(text)[1:-1],
                                json.dumps(text, ensure_ascii=False)[1:-1])}


def mentions(page: str, text: str) -> bool:
    page = page.lower()
    return any(form in page for form in forms(text))


# ------------------------------------------------------------------------------------- empty states
def test_runs_on_an_empty_database(db):
    at = open_page("network")
    assert not at.exception
    assert "No analysis" in infos(at)


def test_an_empty_analysis_says_what_to_add(db):
    db.create_analysis(AnalysisInfo("empty", "Empty"))
    at = open_page("network", "empty")
    ok(at)
    assert "Nothing to draw yet" in infos(at)
    assert not at.get("iframe")


def test_an_analysis_without_reviews_shows_now(db):
    a = river()
    db.import_analysis(dataclasses.replace(a, info=AnalysisInfo("noreview", "No review"), reviews=[],
                                           factor_readings=[], actor_readings=[]))
    at = open_page("network", "noreview")
    ok(at)
    assert "No review yet" in texts(at)
    assert "Add a review to compare" in infos(at)
    assert len(drawn(at)["nodes"]) == 10


# ------------------------------------------------------------------------------------------- demos
@pytest.mark.parametrize("demo", DEMOS)
def test_every_demo_is_drawn_offline_with_its_labels_and_no_sensitive_name(db, demo):
    load_demo(db)
    at = open_page("network", demo)
    ok(at)
    page = srcdoc(at)
    assert "http://" not in page and "https://" not in page
    csp = html.unescape(re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))
    assert csp.startswith("default-src 'none'; script-src 'sha256-") and "connect-src 'none'" in csp
    analysis = db.load(demo)
    expected = vis_data(network.build_graph(analysis, pseudonymise=True))
    assert [(n["id"], n["label"]) for n in drawn(at)["nodes"]] == [(n["id"], n["label"]) for n in expected["nodes"]]
    # an analysis with sensitive actors opens pseudonymised: no name on the drawing, the lists or the tables
    sensitive = [x for x in analysis.actors if x.sensitive]
    assert sensitive and at.toggle(key="dnh_hide_names").value is True  # the app-wide switch, on by default
    assert "Actor A" in page
    compare = at.dataframe[0].value.to_csv()
    metrics = open_tab(at, "Actor metrics").dataframe[0].value
    ok(at)
    assert len(metrics) == len(analysis.actors)
    shown = page + texts(at) + compare + metrics.to_csv() + " ".join(at.selectbox(key="net_focus").options)
    assert [x.name for x in sensitive if mentions(shown, x.name)] == []


def test_pseudonymise_off_shows_the_names(db):
    load_demo(db)
    at = open_page("network", "hiv_support")
    name = next(x.name for x in db.load("hiv_support").actors if x.sensitive)
    assert not mentions(srcdoc(at), name)
    at.toggle(key="dnh_hide_names").set_value(False).run()
    ok(at)
    assert mentions(srcdoc(at), name)
    assert name in set(open_tab(at, "Actor metrics").dataframe[0].value["name"])


# ---------------------------------------------------------------------------------- filters, focus
def test_harm_pathways_only_draws_fewer_nodes(db):
    load_demo(db)
    at = open_page("network", "hiv_support")
    everything = node_ids(at)
    at.toggle(key="net_harm").set_value(True).run()
    ok(at)
    pathways = node_ids(at)
    assert pathways and pathways < everything
    expected = network.filter_graph(network.build_graph(db.load("hiv_support")), harm_pathways_only=True)
    assert pathways == set(expected.nodes)
    data = drawn(at)
    impacts = [e for e in data["edges"] if e["s"].startswith("i")]
    assert impacts and all(data["tips"][e["s"]] == [1] for e in impacts)  # harmful only: no helpful impact left


def test_node_kinds_and_priority_filters(db):
    db.import_analysis(river())
    at = open_page("network", "river")
    at.session_state["net_kinds"] = ["actor"]
    at.run()
    ok(at)
    assert node_ids(at) == {"a1", "a2", "a3", "a4"}
    at.session_state["net_kinds"] = ["divider", "connector"]
    at.session_state["net_priority"] = 4
    at.run()
    assert node_ids(at) == {"f1", "f3"}  # D1 (priority 5) and C1 (4)
    at.session_state["net_kinds"] = []
    at.run()
    ok(at)
    assert "at least one kind" in infos(at) and not at.get("iframe")


def test_a_filter_that_hides_everything_says_so(db):
    db.import_analysis(river())
    at = open_page("network", "river")
    at.session_state["net_kinds"] = ["actor"]  # harm pathways need details and factors
    at.session_state["net_harm"] = True
    at.run()
    ok(at)
    assert "No node matches these filters" in infos(at)
    assert not at.get("iframe")


def test_focus_on_an_actor_with_its_neighbours_to_a_depth(db):
    db.import_analysis(river())
    at = open_page("network", "river")
    focus = at.selectbox(key="net_focus")
    assert focus.options[0] == "The whole network" and "A3 · Fishing families" in focus.options
    focus.set_value("a3").run()
    ok(at)
    graph = network.build_graph(db.load("river"))
    assert node_ids(at) == set(network.focus(graph, "a3", 1).nodes)
    at.session_state["net_depth"] = 2
    at.run()
    assert node_ids(at) == set(network.focus(graph, "a3", 2).nodes)
    assert len(network.focus(graph, "a3", 2)) > len(network.focus(graph, "a3", 1))


def test_focus_on_a_node_the_filters_hide_warns_and_draws_the_rest(db):
    db.import_analysis(river())
    at = open_page("network", "river")
    at.selectbox(key="net_focus").set_value("f1").run()
    at.session_state["net_kinds"] = ["actor"]
    at.run()
    assert not at.exception
    assert "hidden by the filters" in at.warning[0].value
    assert node_ids(at) == {"a1", "a2", "a3", "a4"}


def test_colour_and_size_by_metrics(db):
    db.import_analysis(river())
    at = open_page("network", "river")
    at.session_state["net_color"] = "community"
    at.session_state["net_size"] = "betweenness"
    at.run()
    ok(at)
    actors = [n for n in drawn(at)["nodes"] if n["id"].startswith("a")]
    assert len({n["size"] for n in actors}) > 1
    assert "Degree" in tooltips(drawn(at))["nodes"][actors[0]["id"]]  # the metrics reached the tooltip
    assert drawn(at)["physics"] is False  # the computed layout, the same at every review
    at.session_state["net_physics"] = True
    at.run()
    assert drawn(at)["physics"] is True  # asked for: it settles, then freezes


# --------------------------------------------------------------------------------------- over time
def test_the_review_slider_changes_strengths(db):
    db.import_analysis(river())
    at = open_page("network", "river")
    slider = at.select_slider(key="net_review")
    assert slider.options == ["R1 · 2024-03-01", "R2 · 2024-09-01", "R3 · 2025-03-01", "Now"]
    assert slider.value == ""  # now

    def size_of_d1():
        return next(n["size"] for n in drawn(at)["nodes"] if n["id"] == "f1")

    now = size_of_d1()  # D1: strength 2 × priority 5
    before = drawn(at)
    slider.set_value("R1").run()
    ok(at)
    assert "As of review R1 (2024-03-01)" in srcdoc(at)
    assert size_of_d1() > now  # strength 4 at R1
    # the picture stays put: the same positions, the same view (fitted to every review's nodes), no physics
    after = drawn(at)
    assert after["fit"] == before["fit"] and after["physics"] is False
    at_now = {n["id"]: (n["x"], n["y"]) for n in before["nodes"]}
    assert all((n["x"], n["y"]) == at_now[n["id"]] for n in after["nodes"])
    impacts = [e for e in drawn(at)["edges"] if e["id"].startswith("i")]
    assert {e["id"] for e in impacts} == {"i1", "i5"}  # impacts observed later do not count yet


def test_compare_two_reviews(db):
    db.import_analysis(river())
    at = open_page("network", "river")
    assert (at.selectbox(key="net_cmp_from").value, at.selectbox(key="net_cmp_to").value) == ("R2", "R3")
    at.selectbox(key="net_cmp_from").set_value("R1").run()
    ok(at)
    table = next(d.value for d in at.dataframe if "change" in d.value.columns)
    expected = compare_reviews(db.load("river"), "R1", "R3")
    assert len(table) == len(expected)
    assert {"Appeared", "Weakened"} <= set(table["change"])
    at.selectbox(key="net_cmp_to").set_value("R1").run()
    assert "two different moments" in infos(at)


def test_metrics_table_and_downloads(db):
    db.import_analysis(river())
    at = open_page("network", "river")
    assert not [e for e in at.main if type(e).__name__ == "Dataframe" and "betweenness" in e.value.columns]
    metrics = open_tab(at, "Actor metrics").dataframe[0].value  # computed only once the tab is opened
    assert list(metrics["actor"]) == ["A1", "A2", "A3", "A4"]
    assert {"degree", "betweenness", "community"} <= set(metrics.columns)
    analysis = db.load("river")
    for review in (None, "R1"):  # the table follows the review slider, and "now" is the latest readings
        at.select_slider(key="net_review").set_value(review or "").run()
        expected = actor_metrics(analysis, review, pseudonymise=True)
        shown = at.dataframe[0].value
        assert list(shown["influence"]) == [r["influence"] for r in expected]
        assert list(shown["name"]) == [r["name"] for r in expected]
        assert list(shown["divider_pressure"]) == [r["divider_pressure"] for r in expected]
    assert "Actor A" in " ".join(shown["name"])  # A2, the patrol, is sensitive
    assert "net_metrics_csv" in {b.key for b in at.get("download_button")}
    keys = {b.key for b in open_tab(at, "Download").get("download_button")}
    assert keys == {"net_dl_gexf", "net_dl_graphml", "net_dl_network"}


# ---------------------------------------------------------------------------------------- safety
def test_a_hostile_actor_name_is_only_data(db):
    a = river()
    a.actors[0] = Actor("A1", XSS_IMG, "local_authority", "supports", 4)
    db.import_analysis(a)
    at = open_page("network", "river")
    ok(at)
    page = srcdoc(at)
    data = DATA_BLOCK.search(page)
    outside = page[:data.start()] + page[data.end():]
    assert XSS_IMG not in page and "<img" not in outside.lower() and "onerror=alert" not in outside
    assert "<img" not in data.group(1)  # inside the data block, "<" is a JSON escape
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in data.group(1)
    assert next(n["label"] for n in drawn(at)["nodes"] if n["id"] == "a1") == XSS_IMG


def test_every_message_of_the_page_is_in_the_catalog():
    from dnh_graph.i18n import catalog
    from tests.apptest_support import REPO

    source = "".join((REPO / path).read_text(encoding="utf-8")
                     for path in ("pages/network.py", "app/network_ui.py", "app/network_cache.py"))
    used = {m for m in re.findall(r"""\bt\(\s*["']([a-z_][a-z0-9_.]*)["']""", source) if not m.endswith("_")}
    built = {f"network.page.{p}_{k}" for p, keys in {
        "color": ("type", "stance", "community"), "size": ("influence", "degree", "betweenness"),
        "change": ("appeared", "disappeared", "strengthened", "weakened", "changed"),
        "element": ("factor", "actor", "impact", "detail", "relationship", "factor_actor"),
        "field": ("influence", "stance", "contribution", "impact_weight"),
        "download": ("gexf", "graphml", "network")}.items() for k in keys}
    english = catalog("en")
    assert len(used) > 50
    assert sorted(m for m in used | built if m not in english) == []
