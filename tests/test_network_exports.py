"""`dnh export KEY --format gexf|graphml|network [--review R] [--pseudonymise]` (issue 5, docs/file-formats.md)."""

from __future__ import annotations

import html
import json
import re

import networkx as nx
import pytest

from dnh_graph import exports, network
from dnh_graph.cli import main
from dnh_graph.network.readwrite import export_ready
from dnh_graph.store import Store

DEMO = "hiv_support"
DATA_BLOCK = re.compile(r'<script type="application/json" id="dnh-data">(.*?)</script>', re.S)


@pytest.fixture
def db(tmp_path, monkeypatch, capsys) -> Store:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    assert main(["demo"]) == 0
    capsys.readouterr()
    return Store.open(url)


def export(capsys, tmp_path, fmt, *options, key=DEMO):
    out = tmp_path / ("export" + exports.SUFFIXES[fmt])
    code = main(["export", key, "--format", fmt, "-o", str(out), *options])
    _, err = capsys.readouterr()
    assert code == 0, err
    return out


def read(fmt, path) -> nx.MultiDiGraph:
    graph = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    for _, data in graph.nodes(data=True):
        data.pop("viz", None)  # the GEXF carries the layout for Gephi
    return graph


def assert_same_graph(found, expected):
    """Same nodes, edges and attributes. networkx reads a file without parallel edges as a DiGraph;
    each edge still carries its key as ``id``."""
    assert found.is_directed()
    assert (found.number_of_nodes(), found.number_of_edges()) == (expected.number_of_nodes(),
                                                                  expected.number_of_edges())
    for node, data in expected.nodes(data=True):
        assert found.nodes[node] == data, node
    for u, v, key, data in expected.edges(keys=True, data=True):
        assert (found.edges[u, v, key] if found.is_multigraph() else found.edges[u, v]) == data, key


def test_the_network_formats_are_export_formats():
    assert {"gexf", "graphml", "network"} <= set(exports.FORMATS)
    assert {"html", "xlsx", "csv", "json"} <= set(exports.FORMATS)  # --format html is still the report


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
@pytest.mark.parametrize("review", [None, "R1"])
def test_gexf_and_graphml_load_back_as_the_same_graph(db, capsys, tmp_path, fmt, review):
    out = export(capsys, tmp_path, fmt, *(["--review", review] if review else []))
    expected = export_ready(network.build_graph(db.load(DEMO), review))
    assert_same_graph(read(fmt, out), expected)


def test_gexf_carries_positions_for_gephi(db, capsys, tmp_path):
    graph = nx.read_gexf(export(capsys, tmp_path, "gexf"))
    positions = {n: d["viz"]["position"] for n, d in graph.nodes(data=True)}
    assert len(positions) == graph.number_of_nodes()
    assert len({(p["x"], p["y"]) for p in positions.values()}) == len(positions)


def strengths(graph) -> dict[str, int]:
    return {d["key"]: d["strength"] for _, d in graph.nodes(data=True) if d["node_type"] == "factor"}


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_review_changes_the_strengths(db, capsys, tmp_path, fmt):
    analysis = db.load(DEMO)
    first = min(analysis.reviews, key=lambda r: r.date).key
    now = strengths(read(fmt, export(capsys, tmp_path, fmt)))
    then = strengths(read(fmt, export(capsys, tmp_path, fmt, "--review", first)))
    assert then != now
    assert then == strengths(network.build_graph(analysis, first))
    assert now == strengths(network.build_graph(analysis))


def test_the_network_page_is_one_offline_file(db, capsys, tmp_path):
    page = export(capsys, tmp_path, "network", "--review", "R1").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page
    assert "Content-Security-Policy" in page and "As of review R1" in page
    data = json.loads(DATA_BLOCK.search(page).group(1))
    graph = network.build_graph(db.load(DEMO), "R1")
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)
    assert len(data["edges"]) == graph.number_of_edges()


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "network"])
def test_pseudonymise_leaves_no_sensitive_name(db, capsys, tmp_path, fmt):
    sensitive = [a for a in db.load(DEMO).actors if a.sensitive]
    plain = export(capsys, tmp_path, fmt).read_text(encoding="utf-8")
    assert any(a.name in plain or html.escape(a.name) in plain for a in sensitive)  # the check can see names
    text = export(capsys, tmp_path, fmt, "--pseudonymise", "--review", "R2").read_text(encoding="utf-8")
    for actor in sensitive:
        for form in (actor.name, html.escape(actor.name), json.dumps(actor.name)[1:-1],
                     json.dumps(actor.name, ensure_ascii=False)[1:-1]):
            assert form not in text, actor.key
    assert "Actor A" in text
    if fmt == "network":
        assert "sensitive actors pseudonymised" in text  # the caption says so


def test_an_unknown_review_exits_2_with_a_sentence(db, capsys, tmp_path):
    for fmt in ("gexf", "graphml", "network", "html"):
        out = tmp_path / f"x-{fmt}"
        code = main(["export", DEMO, "--format", fmt, "--review", "R99", "-o", str(out)])
        _, err = capsys.readouterr()
        assert code == 2, fmt
        assert "has no review 'R99'" in err and "Pick one of its reviews: R1" in err
        assert "Traceback" not in err and not out.exists()


def test_a_review_of_an_analysis_without_reviews(capsys, tmp_path, monkeypatch):
    from dnh_graph.model import Actor, Analysis, AnalysisInfo

    url = f"sqlite:///{tmp_path / 'none.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    Store.open(url).import_analysis(Analysis(AnalysisInfo("bare", "Bare"), actors=[Actor("A1", "Council")]))
    code = main(["export", "bare", "--format", "gexf", "--review", "R1", "-o", str(tmp_path / "b.gexf")])
    assert code == 2 and "has no review yet" in capsys.readouterr().err
    graph = nx.read_gexf(export(capsys, tmp_path, "gexf", key="bare"))
    assert list(graph.nodes) == ["a1"]


def test_export_bytes_names_the_network_files(db):
    analysis = db.load(DEMO)
    data, name, mime = exports.export_bytes(analysis, "network", pseudonymise=True)
    assert name == f"{DEMO}-pseudonymised-network.html" and mime == "text/html"
    assert data.startswith(b"<!DOCTYPE html>")
    for fmt in ("gexf", "graphml"):
        data, name, mime = exports.export_bytes(analysis, fmt, review="R1")
        assert name == DEMO + exports.SUFFIXES[fmt] and mime == "application/xml"
        assert data.startswith(b"<?xml")


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_parallel_relationships_come_back_as_a_multigraph(db, capsys, tmp_path, fmt):
    from tests.test_network_support import river

    db.import_analysis(river())  # A1 influences and funds A2: two edges between the same actors
    found = read(fmt, export(capsys, tmp_path, fmt, "--review", "R2", key="river"))
    assert isinstance(found, nx.MultiDiGraph)
    assert_same_graph(found, export_ready(network.build_graph(river(), "R2")))
