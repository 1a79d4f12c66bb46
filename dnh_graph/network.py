"""The whole context of an analysis as one graph, as of a review; its filters, metrics, layout and files.

Pure functions over :mod:`dnh_graph.model` records. Drawing lives in :mod:`dnh_graph.render`.

The graph
---------
:func:`build_graph` returns an ``nx.MultiDiGraph``: *multi* because two actors can be linked by several
relationships (an alliance and a funding line) and a detail can have several impacts on one factor
(through different mechanisms); *directed* because influence, funding and impacts have a direction
(an undirected relationship keeps ``directed=False`` and is drawn without an arrow).

Node ids are generated, never names: ``a<n>`` for the n-th actor, ``f<n>`` for the n-th factor,
``d<n>`` for the n-th detail (1-based positions in the analysis lists, so an id does not change from
one review to the next). Edge keys are ``r<n>`` (relationship), ``l<n>`` (factor–actor link) and
``i<n>`` (impact); each edge also carries its key as ``id`` so GEXF and GraphML keep it.

Every attribute is a ``str``, ``int``, ``float`` or ``bool``, never None, a list or a date, so the
graph goes to GEXF and GraphML and comes back unchanged: dates are ISO strings (``""`` when empty),
tags are ``;``-separated as in the workbook (docs/file-formats.md).

================  =======================================================================================
node_type         attributes (README.md#data-model fields, then the values as of the review)
================  =======================================================================================
``actor``         key, name, label, type, stance, influence, description, sensitive, tags;
                  base_influence, base_stance (the actor's own values), reading_review (key of the
                  actor reading used, ``""`` for none)
``factor``        key, kind (divider/connector), name, label, category, priority, description, tags;
                  strength (0–5, 0 without a reading), has_reading, reading_review, reading_note,
                  contribution = strength × priority (its share of pressure or capacity, docs/method.md)
``detail``        key, question, activity, description, active, label (only active details are nodes)
================  =======================================================================================

================  =======================================================================================
edge_type         attributes
================  =======================================================================================
``relationship``  actor → actor: source_actor, target_actor, relationship_type, strength, directed, note
``factor_actor``  factor → actor: factor, actor, role
``impact``        detail → factor: detail, factor, effect, magnitude, mechanism, pattern, confidence,
                  evidence, observed_on, harmful, impact_weight (= magnitude × priority, docs/method.md)
================  =======================================================================================

A relationship's ``type`` is stored as ``relationship_type`` and its ends as ``source_actor`` /
``target_actor``: GEXF reserves an edge's ``type`` for its direction, and ``source``/``target`` clash
with networkx's node-link format.

"As of a review" R is :mod:`dnh_graph.asof`, the rule of every view: a factor without a reading then has
strength 0 (still a node, drawn faint); an actor without one keeps its own influence and stance. With
no review ("now") the latest readings overall are used and every impact counts.

Examples
--------
>>> from dnh_graph.synthetic import generate_analysis
>>> a = generate_analysis(actors=6, relationships=8, factors=4, details=3, impacts=6, options=0,
...                       reviews=2, seed=3)
>>> g = build_graph(a, "R1")
>>> sorted({d["node_type"] for _, d in g.nodes(data=True)})
['actor', 'detail', 'factor']
>>> focus(g, "a1", 1).has_node("a1")
True
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import random
import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from dnh_graph import asof, vocab
from dnh_graph.model import Analysis
from dnh_graph.privacy import pseudonymise as make_pseudonymous

__all__ = [
    "metrics_csv",
    "NODE_KINDS",
    "WORKING_TIES",
    "build_graph",
    "node_kind",
    "find_node",
    "filter_graph",
    "focus",
    "actor_network",
    "actor_metrics",
    "add_actor_metrics",
    "metrics_over_reviews",
    "compare_reviews",
    "compute_layout",
    "fit_box",
    "fit_view",
    "on_screen",
    "graph_fingerprint",
    "LayoutCache",
    "export_ready",
    "to_gexf",
    "to_graphml",
]

# What a person can switch on and off in the view: the two factor kinds are told apart.
NODE_KINDS = ("actor", "divider", "connector", "detail")
# Relationships that carry cooperation, information or resources: the paths along which an actor can
# broker, and the ties that hold a community together. Conflict and broken ties are not such paths.
WORKING_TIES = frozenset(vocab.keys("relationship_type")) - {"conflict", "broken"}
# Exact betweenness is O(actors × ties): about 2 s for 1,000 actors and 3,000 relationships in networkx.
# Above the limit it is estimated from a seeded sample of source actors (same seed, same estimate).
BETWEENNESS_EXACT_LIMIT = 1000
BETWEENNESS_SAMPLE = 300


# ------------------------------------------------------------------------------------------ as of
def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


# ------------------------------------------------------------------------------------------ build
def build_graph(analysis: Analysis, review: str | None = None, pseudonymise: bool = False) -> nx.MultiDiGraph:
    """The analysis as one graph, as of ``review`` (a review key) or now (None).

    Actors, factors (dividers and connectors) and active details are nodes; relationships, factor–actor
    links and impacts are edges. See the module docstring for ids and attributes. With
    ``pseudonymise``, the graph is built from :func:`dnh_graph.privacy.pseudonymise`: sensitive actors
    are ``Actor A1``, ``Actor A2``… (keys ``A1``, ``A2``…, as in every other pseudonymised export),
    their description and tags dropped, and their names replaced wherever free text mentions them.

    Raises ``ValueError`` when ``review`` is not a review of the analysis.
    """
    cutoff = asof.review_date(analysis, review)
    if pseudonymise:
        analysis = make_pseudonymous(analysis)  # one rule for every export (README.md#privacy)
    factor_readings = asof.factor_readings(analysis, review)
    actor_readings = asof.actor_readings(analysis, review)
    review_date = next((r.date for r in analysis.reviews if r.key == review), None)

    graph = nx.MultiDiGraph(analysis=analysis.key, analysis_name=analysis.info.name, review=review or "",
                            review_date=_iso(review_date), pseudonymised=bool(pseudonymise))

    actor_id, nodes = {}, []
    for n, actor in enumerate(analysis.actors, start=1):
        node = f"a{n}"
        actor_id[actor.key] = node
        reading = actor_readings.get(actor.key)
        nodes.append((node, {
            "node_type": "actor", "key": actor.key, "name": actor.name, "label": actor.name,
            "type": actor.type,
            "stance": reading.stance if reading else actor.stance,
            "influence": reading.influence if reading else actor.influence,
            "description": actor.description, "sensitive": actor.sensitive, "tags": ";".join(actor.tags),
            "base_influence": actor.influence, "base_stance": actor.stance,
            "reading_review": reading.review if reading else "",
        }))

    factor_id, priority = {}, {}
    for n, factor in enumerate(analysis.factors, start=1):
        node = f"f{n}"
        factor_id[factor.key] = node
        priority[factor.key] = factor.priority
        reading = factor_readings.get(factor.key)
        strength = reading.strength if reading else 0
        nodes.append((node, {
            "node_type": "factor", "key": factor.key, "kind": factor.kind, "name": factor.name,
            "label": factor.name, "category": factor.category, "priority": factor.priority,
            "description": factor.description, "tags": ";".join(factor.tags),
            "strength": strength, "has_reading": reading is not None,
            "reading_review": reading.review if reading else "",
            "reading_note": reading.note if reading else "",
            "contribution": strength * factor.priority,
        }))

    detail_id = {}
    for n, detail in enumerate(analysis.details, start=1):
        if not detail.active:
            continue
        node = f"d{n}"
        detail_id[detail.key] = node
        nodes.append((node, {
            "node_type": "detail", "key": detail.key, "question": detail.question,
            "activity": detail.activity,
            "description": detail.description, "active": True,
            "label": f"{detail.key} {_short(detail.activity or detail.description, 32)}".strip(),
        }))
    graph.add_nodes_from(nodes)

    edges = []
    for n, rel in enumerate(analysis.relationships, start=1):
        if rel.source not in actor_id or rel.target not in actor_id:
            continue  # an invalid row; validate_analysis refuses it before it gets here
        key = f"r{n}"
        edges.append((actor_id[rel.source], actor_id[rel.target], key, {
            "id": key, "edge_type": "relationship", "source_actor": rel.source, "target_actor": rel.target,
            "relationship_type": rel.type, "strength": rel.strength, "directed": rel.directed,
            "note": rel.note,
        }))
    for n, link in enumerate(analysis.factor_actors, start=1):
        if link.factor not in factor_id or link.actor not in actor_id:
            continue
        key = f"l{n}"
        edges.append((factor_id[link.factor], actor_id[link.actor], key, {
            "id": key, "edge_type": "factor_actor", "factor": link.factor, "actor": link.actor,
            "role": link.role,
        }))
    kinds = {f.key: f.kind for f in analysis.factors}
    for n, impact in enumerate(analysis.impacts, start=1):
        if impact.detail not in detail_id or impact.factor not in factor_id:
            continue  # inactive detail (or an invalid row)
        if not asof.impact_counts(impact.observed_on, cutoff):
            continue
        key = f"i{n}"
        edges.append((detail_id[impact.detail], factor_id[impact.factor], key, {
            "id": key, "edge_type": "impact", "detail": impact.detail, "factor": impact.factor,
            "effect": impact.effect, "magnitude": impact.magnitude, "mechanism": impact.mechanism,
            "pattern": impact.pattern, "confidence": impact.confidence, "evidence": impact.evidence,
            "observed_on": _iso(impact.observed_on),
            "harmful": vocab.is_harmful(kinds[impact.factor], impact.effect),
            "impact_weight": impact.magnitude * priority[impact.factor],
        }))
    graph.add_edges_from(edges)
    return graph


# ---------------------------------------------------------------------------------- filter, focus
def node_kind(data: Mapping[str, Any]) -> str:
    """``actor``, ``divider``, ``connector`` or ``detail``: the kinds a person filters on."""
    return data["kind"] if data.get("node_type") == "factor" else data.get("node_type", "")


def find_node(graph: nx.MultiDiGraph, key: str, node_type: str | None = None) -> str | None:
    """The id of the node whose ``key`` is ``key`` (of ``node_type`` if given), or None."""
    for node, data in graph.nodes(data=True):
        if data.get("key") == key and (node_type is None or data.get("node_type") == node_type):
            return node
    return None


def _subgraph(graph: nx.MultiDiGraph, keep_nodes: set, keep_edge=None, **info) -> nx.MultiDiGraph:
    """A new graph (its own attribute dicts) with the kept nodes and the kept edges between them."""
    out = nx.MultiDiGraph(**graph.graph, **info)
    out.add_nodes_from((n, dict(d)) for n, d in graph.nodes(data=True) if n in keep_nodes)
    out.add_edges_from((u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True)
                       if u in keep_nodes and v in keep_nodes and (keep_edge is None or keep_edge(d)))
    return out


def filter_graph(graph: nx.MultiDiGraph, *, kinds: Iterable[str] | None = None,
                 actor_types: Iterable[str] | None = None, factor_categories: Iterable[str] | None = None,
                 min_priority: int = 1, harm_pathways_only: bool = False) -> nx.MultiDiGraph:
    """A filtered copy of a graph from :func:`build_graph`.

    Parameters
    ----------
    kinds
        Node kinds to keep, from :data:`NODE_KINDS`; None keeps all.
    actor_types, factor_categories
        Actor types / factor categories to keep (stored keys); None keeps all.
    min_priority
        Factors of lower priority are dropped, with their impacts and links.
    harm_pathways_only
        Keep only harm pathways (docs/method.md): harmful impacts with their details and factors, and the
        actors linked to those factors. Relationships between actors are left out.
    """
    kinds = set(NODE_KINDS if kinds is None else kinds)
    unknown = kinds - set(NODE_KINDS)
    if unknown:
        raise ValueError(f"Unknown node kind(s) {sorted(unknown)}; use {', '.join(NODE_KINDS)}.")
    actor_types = None if actor_types is None else set(actor_types)
    factor_categories = None if factor_categories is None else set(factor_categories)

    keep = set()
    for node, data in graph.nodes(data=True):
        kind = node_kind(data)
        if kind not in kinds:
            continue
        if kind == "actor" and actor_types is not None and data["type"] not in actor_types:
            continue
        if data.get("node_type") == "factor":
            if data["priority"] < min_priority:
                continue
            if factor_categories is not None and data["category"] not in factor_categories:
                continue
        keep.add(node)

    keep_edge = None
    if harm_pathways_only:
        harmful = [(u, v) for u, v, d in graph.edges(data=True) if d["edge_type"] == "impact" and d["harmful"]
                   and u in keep and v in keep]
        harmed = {v for _, v in harmful}
        pathway = {u for u, _ in harmful} | harmed
        pathway |= {v for u, v, d in graph.edges(data=True)
                    if d["edge_type"] == "factor_actor" and u in harmed and v in keep}
        keep &= pathway

        def keep_edge(d):
            return (d["edge_type"] == "impact" and d["harmful"]) or d["edge_type"] == "factor_actor"

    return _subgraph(graph, keep, keep_edge)


def focus(graph: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The node and its neighbours up to ``depth`` steps away (edges followed either way), as a copy."""
    if node not in graph:
        raise ValueError(f"'{node}' is not in this graph (it may be filtered out). "
                         "Pick another actor or factor.")
    if not 0 <= depth <= 10:
        raise ValueError(f"Depth must be from 0 to 10 (got {depth}); 1 to 3 is usually enough.")
    reached = {node}
    frontier = {node}
    for _ in range(depth):
        step = set()
        for n in frontier:
            step.update(graph.successors(n))
            step.update(graph.predecessors(n))
        frontier = step - reached
        reached |= frontier
    return _subgraph(graph, reached, focus=node, focus_depth=depth)


# ----------------------------------------------------------------------------------------- metrics
def actor_network(analysis: Analysis, working_only: bool = False) -> nx.Graph:
    """Actors (by key) and who is related to whom, as a simple undirected graph.

    Parallel relationships are merged: ``relationships`` counts them, ``strength`` sums them, ``types``
    lists them (``;``-separated). With ``working_only``, only :data:`WORKING_TIES` count.
    """
    g = nx.Graph()
    g.add_nodes_from(a.key for a in analysis.actors)
    for rel in analysis.relationships:
        if rel.source == rel.target or rel.source not in g or rel.target not in g:
            continue
        if working_only and rel.type not in WORKING_TIES:
            continue
        if g.has_edge(rel.source, rel.target):
            data = g.edges[rel.source, rel.target]
            data["relationships"] += 1
            data["strength"] += rel.strength
            data["types"] += ";" + rel.type
        else:
            g.add_edge(rel.source, rel.target, relationships=1, strength=rel.strength, types=rel.type)
    return g


def _structure(analysis: Analysis, seed: int = 0) -> dict[str, dict[str, Any]]:
    """The review-independent metrics of each actor (relationships carry no date)."""
    everything = actor_network(analysis)
    working = actor_network(analysis, working_only=True)
    if working.number_of_nodes() > BETWEENNESS_EXACT_LIMIT:
        betweenness = nx.betweenness_centrality(working, k=BETWEENNESS_SAMPLE, seed=seed)
    else:
        betweenness = nx.betweenness_centrality(working)
    position = {a.key: i for i, a in enumerate(analysis.actors)}
    found = nx.community.louvain_communities(working, weight="strength", seed=seed)
    groups = [c for c in found if len(c) > 1]
    groups.sort(key=lambda c: (-len(c), min(position[k] for k in c)))
    community = {key: n for n, group in enumerate(groups, start=1) for key in group}
    conflicts = defaultdict(int)
    for rel in analysis.relationships:
        if rel.type == "conflict":
            conflicts[rel.source] += 1
            conflicts[rel.target] += 1
    return {
        a.key: {
            "degree": everything.degree(a.key),
            "relationships": sum(d["relationships"] for _, _, d in everything.edges(a.key, data=True)),
            "tie_strength": everything.degree(a.key, weight="strength"),
            "working_ties": working.degree(a.key),
            "conflict_ties": conflicts[a.key],
            "betweenness": round(betweenness[a.key], 6),
            "community": community.get(a.key, 0),
        }
        for a in analysis.actors
    }


def _rows_as_of(analysis: Analysis, review: str | None, structure: Mapping, pseudonymise: bool) -> list[dict]:
    graph = build_graph(analysis, review, pseudonymise=pseudonymise)
    by_key = {a.key: f"a{n}" for n, a in enumerate(analysis.actors, start=1)}
    load = defaultdict(lambda: {"dividers": 0, "connectors": 0, "divider_pressure": 0,
                                "connector_capacity": 0})
    for factor, actor, data in graph.edges(data=True):
        if data["edge_type"] != "factor_actor":
            continue
        f = graph.nodes[factor]
        entry = load[actor]
        if f["kind"] == "divider":
            entry["dividers"] += 1
            entry["divider_pressure"] += f["contribution"]
        else:
            entry["connectors"] += 1
            entry["connector_capacity"] += f["contribution"]
    rows = []
    for actor in analysis.actors:
        node = by_key[actor.key]
        data = graph.nodes[node]
        rows.append({"node": node, "actor": data["key"], "name": data["name"], "type": actor.type,
                     "influence": data["influence"], "stance": data["stance"], **structure[actor.key],
                     **load[node]})
    return rows


def actor_metrics(analysis: Analysis, review: str | None = None, pseudonymise: bool = False,
                  seed: int = 0) -> list[dict[str, Any]]:
    """One row per actor (entry order) describing its place in the actor network as of ``review``.

    Columns: ``node`` (graph id), ``actor`` (key), ``name``, ``type``, ``influence`` and ``stance`` as of
    the review; ``degree`` (distinct actors it has any relationship with), ``relationships`` (count),
    ``tie_strength`` (sum of strengths), ``working_ties`` (degree over :data:`WORKING_TIES`),
    ``conflict_ties``; ``betweenness`` (normalised, over working ties: the brokers; estimated from a
    seeded sample above 1,000 actors); ``community`` (Louvain over working ties weighted by strength,
    seeded, numbered 1… by size; 0 = no working tie); and, from the factors linked to the actor as of
    the review: ``dividers``, ``connectors``, ``divider_pressure``, ``connector_capacity`` (sums of
    strength × priority).
    """
    asof.review_date(analysis, review)  # an unknown review is refused before any work
    return _rows_as_of(analysis, review, _structure(analysis, seed), pseudonymise)


def add_actor_metrics(graph: nx.MultiDiGraph, metrics: Iterable[Mapping[str, Any]]) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose actor nodes carry degree, betweenness and community (for size/colour)."""
    out = graph.copy()
    for row in metrics:
        if row["node"] in out:
            out.nodes[row["node"]].update(degree=row["degree"], betweenness=row["betweenness"],
                                          community=row["community"])
    return out


def metrics_over_reviews(analysis: Analysis, pseudonymise: bool = False,
                         seed: int = 0) -> list[dict[str, Any]]:
    """:func:`actor_metrics` at every review in date order, each row with ``review`` and ``date``."""
    structure = _structure(analysis, seed)
    rows = []
    for review in sorted(analysis.reviews, key=lambda r: r.date):
        for row in _rows_as_of(analysis, review.key, structure, pseudonymise):
            rows.append({"review": review.key, "date": review.date.isoformat(), **row})
    return rows


# --------------------------------------------------------------------------------------- compare
_CHANGE_ORDER = {"factor": 0, "actor": 1, "impact": 2, "detail": 3, "relationship": 4, "factor_actor": 5}


def _trend(before: float, after: float) -> str | None:
    if before == after:
        return None
    if before == 0:
        return "appeared"
    if after == 0:
        return "disappeared"
    return "strengthened" if after > before else "weakened"


def compare_reviews(analysis: Analysis, r1: str | None, r2: str | None,
                    pseudonymise: bool = False) -> list[dict[str, Any]]:
    """What changed in the context from review ``r1`` to review ``r2`` (None = now).

    Each change is a dict: ``element`` (factor, actor, impact, or any other node/edge type), ``id``
    (graph id), ``key``, ``label``, ``change`` (appeared, disappeared, strengthened, weakened, changed),
    ``field``, ``before``, ``after``. A factor *appears* when its strength goes from 0 to more and
    *disappears* when it falls to 0; otherwise its contribution (strength × priority) rises or falls.
    An actor's influence rises or falls; a new stance is ``changed``. An impact appears or disappears
    with its ``observed_on`` date. Sorted by element, then the size of the change (largest first).
    """
    before = build_graph(analysis, r1, pseudonymise)
    after = build_graph(analysis, r2, pseudonymise)
    changes = []

    def add(element, ident, data, change, field, old, new):
        changes.append({"element": element, "id": ident, "key": data.get("key", ident),
                        "label": data.get("label", ""), "change": change, "field": field,
                        "before": old, "after": new})

    for node in before.nodes.keys() | after.nodes.keys():
        old, new = before.nodes.get(node), after.nodes.get(node)
        data = new or old
        element = data["node_type"]
        if old is None or new is None:
            add(element, node, data, "appeared" if old is None else "disappeared", "", "", "")
        elif element == "factor":
            change = (_trend(old["strength"], new["strength"])
                      or _trend(old["contribution"], new["contribution"]))
            if change:
                add(element, node, data, change, "contribution", old["contribution"], new["contribution"])
        elif element == "actor":
            change = _trend(old["influence"], new["influence"])
            if change:
                add(element, node, data, change, "influence", old["influence"], new["influence"])
            if old["stance"] != new["stance"]:
                add(element, node, data, "changed", "stance", old["stance"], new["stance"])

    old_edges = {k: d for _, _, k, d in before.edges(keys=True, data=True)}
    new_edges = {k: d for _, _, k, d in after.edges(keys=True, data=True)}
    for key in old_edges.keys() ^ new_edges.keys():
        data = new_edges.get(key) or old_edges[key]
        label = f"{data['detail']} → {data['factor']}" if data["edge_type"] == "impact" else ""
        weight = data.get("impact_weight", "")
        appeared = key in new_edges
        changes.append({"element": data["edge_type"], "id": key, "key": label or key, "label": label,
                        "change": "appeared" if appeared else "disappeared",
                        "field": "impact_weight" if weight != "" else "",
                        "before": "" if appeared else weight, "after": weight if appeared else ""})

    def size(c):
        numbers = [v for v in (c["before"], c["after"]) if isinstance(v, (int, float))]
        return -(abs(numbers[-1] - numbers[0]) if len(numbers) == 2 else max(numbers, default=0))

    changes.sort(key=lambda c: (_CHANGE_ORDER.get(c["element"], 9), size(c), str(c["key"]), c["field"]))
    return changes


# ------------------------------------------------------------------------------------------ layout
_IGRAPH_LOCK = threading.Lock()  # igraph's random generator is process-wide
EDGE_LENGTH = 110.0  # median edge length of a computed layout, in vis-network pixels
NEAREST = 70.0  # median distance from a node to its nearest neighbour in a part, at least (pixels)
# The screen a layout is made for (a projector at 1280×800): a small picture is spread to fill it, a
# large one is packed to its proportions. FIT_* is the view the page opens with (fit_view, network.js).
SCREEN = (1280.0, 800.0)
FIT_MARGIN = 40.0  # screen pixels kept free around the picture (node sizes, labels)
FIT_MAX_SCALE = 1.0  # the page never opens zoomed in: node sizes stay as drawn
CROWDED = 16.0  # screen pixels: a first view whose nodes are closer than this is evened out
STRETCH = 8.0  # at most this much taller (or wider) to fill the screen
_NN_SAMPLE = 400  # nodes whose nearest neighbour is measured (all of a smaller part)


def graph_fingerprint(graph: nx.Graph) -> str:
    """A hash of the node ids and edge ends: graphs with the same structure share a layout."""
    h = hashlib.blake2b(digest_size=16)
    h.update("\x1f".join(map(str, graph.nodes)).encode())
    h.update(b"\x1e")
    h.update("\x1f".join(f"{u}\x1d{v}" for u, v in graph.edges()).encode())
    return h.hexdigest()


def _median_nearest(xy) -> float:
    """Median distance from a node (a seeded-stride sample of them) to its nearest other node."""
    import numpy as np

    n = len(xy)
    if n < 2:
        return 0.0
    sample = xy[:: max(1, n // _NN_SAMPLE)]
    # |a - b|² = |a|² + |b|² - 2 a·b: one matrix product instead of a (sample × n × 2) array
    d2 = (sample**2).sum(axis=1)[:, None] + (xy**2).sum(axis=1)[None, :] - 2.0 * sample @ xy.T
    scale = max(float(np.abs(xy).max()), 1.0) ** 2
    d2[d2 <= 1e-9 * scale] = np.inf  # the node itself (and any node on the very same spot, which FR never gives)
    nearest = np.sqrt(d2.min(axis=1))
    nearest = nearest[np.isfinite(nearest)]
    return float(np.median(nearest)) if len(nearest) else 0.0


def _upright(xy):
    """Turned so that its longest direction is horizontal (a part packs better, reads left to right)."""
    import numpy as np

    centred = xy - xy.mean(axis=0)
    if len(xy) < 2 or not centred.any():
        return centred
    _, vectors = np.linalg.eigh(centred.T @ centred)
    main = vectors[:, -1]
    angle = math.atan2(main[1], main[0])
    c, s = math.cos(-angle), math.sin(-angle)
    return centred @ np.array([[c, s], [-s, c]])


def _part_layout(g, part: list[int], real: int, grid: bool):
    """One connected part laid out by Fruchterman–Reingold and scaled to its edges and its crowding.

    The scale takes the larger of "median edge EDGE_LENGTH" and "median nearest neighbour NEAREST";
    both are medians of lengths, never areas: a part laid out on a line has no area, and dividing by it
    sent a node millions of pixels away (issue 11).
    """
    import numpy as np

    sub = g.induced_subgraph(part)
    xy = np.array(sub.layout_fruchterman_reingold(niter=500, grid="grid" if grid else "nogrid").coords, float)
    ends = np.array(sub.get_edgelist(), dtype=int).reshape(-1, 2)
    lengths = np.sort(np.hypot(*(xy[ends[:, 0]] - xy[ends[:, 1]]).T)) if len(ends) else None
    by_edges = EDGE_LENGTH / max(float(lengths[len(lengths) // 2]), 1e-9) if lengths is not None else 1.0
    mine = np.array([i < real for i in part])  # the question hubs are invisible: not counted
    nearest = _median_nearest(xy[mine])
    by_crowding = NEAREST / nearest if nearest > 0 else by_edges
    return _upright(xy * max(by_edges, by_crowding))


def _igraph_layout(graph: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    import igraph as ig  # imported here: only the layout needs it
    import numpy as np

    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    pairs = set()
    for u, v in graph.edges():
        a, b = index[u], index[v]
        if a != b:
            pairs.add((a, b) if a < b else (b, a))
    # Details are "grouped by question": an invisible hub per question pulls its details together.
    hubs: dict[str, int] = {}
    for node, data in graph.nodes(data=True):
        if data.get("node_type") == "detail":
            hub = hubs.setdefault(data.get("question", ""), len(nodes) + len(hubs))
            pairs.add((index[node], hub))
    g = ig.Graph(n=len(nodes) + len(hubs), edges=sorted(pairs))
    # Force layouts have no gravity: lay out each connected part on its own and pack the parts,
    # largest first, else isolated actors fly to the edges and the context shrinks to a dot.
    parts = sorted((list(c) for c in g.connected_components(mode="weak")), key=lambda c: (-len(c), c[0]))
    blocks = []  # (members, coordinates in pixels)
    singles = [c[0] for c in parts if len(c) == 1]
    with _IGRAPH_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            for part in parts:
                if len(part) == 1:
                    continue
                if len(part) == 2:
                    blocks.append((part, np.array([(0.0, 0.0), (EDGE_LENGTH, 0.0)])))
                    continue
                # the grid makes big parts near-linear
                blocks.append((part, _part_layout(g, part, len(nodes), grid=len(part) > 300)))
        finally:
            ig.set_random_number_generator(random)  # igraph's default generator
    if singles:  # isolated nodes side by side in a block of the screen's proportions
        step = 0.6 * EDGE_LENGTH
        width = max(1, math.ceil(math.sqrt(len(singles) * SCREEN[0] / SCREEN[1])))
        blocks.append((singles, np.array([((i % width) * step, (i // width) * step)
                                          for i in range(len(singles))])))
    placed = _pack(blocks, gap=0.8 * EDGE_LENGTH)
    xy = np.array([placed[i] for i in range(len(nodes))], float)
    if _crowded(xy):
        even = _even_out(xy)
        # as little evening out as the crowding needs: more of the force layout's shape is kept
        lo, hi, even_lo, even_hi = xy.min(axis=0), xy.max(axis=0), even.min(axis=0), even.max(axis=0)
        forced = (xy - lo) / np.maximum(hi - lo, 1e-9) * (even_hi - even_lo) + even_lo
        for share in (0.4, 0.7, 1.0):
            mixed = share * even + (1 - share) * forced
            if share == 1.0 or not _crowded(mixed):
                xy = mixed
                break
    xy = _fill_screen(xy)
    return {n: (round(float(xy[i, 0]), 1), round(float(xy[i, 1]), 1)) for n, i in index.items()}


def _crowded(xy) -> bool:
    """Whether nodes would sit closer than :data:`CROWDED` screen pixels in the first view."""
    if len(xy) < 3:
        return False
    w, h = xy.max(axis=0) - xy.min(axis=0)
    scale = min((SCREEN[0] - 2 * FIT_MARGIN) / max(w, 1e-9), (SCREEN[1] - 2 * FIT_MARGIN) / max(h, 1e-9), 1.0)
    return _median_nearest(xy) * scale < CROWDED


def _even_out(xy):
    """The same order of nodes, spread evenly: columns of equal counts, evenly spaced within a column.

    A force layout of thousands of nodes is dense in places and empty in others; fitted to a screen,
    half its nodes sit on top of a neighbour. Nodes are cut into columns by x (as many as the screen's
    proportions ask), each column ordered by y, and placed on an offset grid of spacing NEAREST: who is
    left of, above, and next to whom is kept, the crowding is gone. A node keeps a little of its own x
    inside its column so the picture does not look like a table.
    """
    import numpy as np

    n = len(xy)
    columns = max(1, round(math.sqrt(n * SCREEN[0] / SCREEN[1])))
    by_x = np.lexsort((xy[:, 1], xy[:, 0]))
    out = np.empty_like(xy)
    for c, chunk in enumerate(np.array_split(by_x, columns)):
        if not len(chunk):
            continue
        xs = xy[chunk, 0]
        spread = xs.max() - xs.min()
        inner = (xs - xs.min()) / spread - 0.5 if spread > 0 else np.zeros(len(chunk))
        order = chunk[np.lexsort((xy[chunk, 0], xy[chunk, 1]))]
        rows = np.arange(len(chunk)) + (0.5 if c % 2 else 0.0)  # odd columns half a step down
        out[order, 1] = rows * NEAREST
        out[chunk, 0] = (c + 0.25 * inner) * NEAREST
    return out


def _fill_screen(xy):
    """The whole picture centred on (0, 0), spread to fill :data:`SCREEN` when it is smaller.

    A picture with no height (a pair, a chain drawn straight) is turned along the screen's diagonal,
    so that it reaches across the screen both ways instead of lying on one line; a long thin one is
    stretched across (at most :data:`STRETCH` times).
    """
    import numpy as np

    if len(xy) == 0:
        return xy
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    xy = xy - (lo + hi) / 2
    w, h = hi - lo
    if w > 0 and h < 0.02 * w:
        angle = math.atan2(SCREEN[1], SCREEN[0])
        c, s = math.cos(angle), math.sin(angle)
        xy = np.column_stack([xy[:, 0] * c - xy[:, 1] * s, xy[:, 0] * s + xy[:, 1] * c])
        w, h = xy.max(axis=0) - xy.min(axis=0)
    elif w > 0 and h > 0:  # a long thin picture (a core with a tail) is stretched towards the screen's shape
        aspect = SCREEN[0] / SCREEN[1]
        xy = xy * np.array([min(max(h * aspect / w, 1.0), STRETCH), min(max(w / aspect / h, 1.0), STRETCH)])
        w, h = xy.max(axis=0) - xy.min(axis=0)
    room_w, room_h = SCREEN[0] - 2 * FIT_MARGIN, SCREEN[1] - 2 * FIT_MARGIN
    grow = min(room_w / w if w > 0 else math.inf, room_h / h if h > 0 else math.inf)
    if math.isfinite(grow) and grow > 1:
        xy = xy * grow
    return xy


def _pack(blocks: list, gap: float) -> dict[int, tuple[float, float]]:
    """Shelf packing: blocks in rows (biggest first), rows as wide as the screen's proportions ask."""
    boxes = []
    for members, coords in blocks:
        xs, ys = [c[0] for c in coords], [c[1] for c in coords]
        boxes.append((members, coords, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    area = sum((w + gap) * (h + gap) for *_, w, h in boxes)
    row_width = max([boxes[0][4] if boxes else 0.0, math.sqrt(area * SCREEN[0] / SCREEN[1])])
    placed: dict[int, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for members, coords, left, top, w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for member, (cx, cy) in zip(members, coords):
            placed[member] = (x + cx - left, y + cy - top)
        x += w + gap
        row_height = max(row_height, h)
    return placed


def fit_box(positions: Mapping[str, tuple[float, float]]) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of a layout: what the page's first view shows."""
    if not positions:
        return (0.0, 0.0, 0.0, 0.0)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    return (min(xs), min(ys), max(xs), max(ys))


def fit_view(box: tuple[float, float, float, float], width: float, height: float) -> tuple[float, float, float]:
    """(scale, centre x, centre y) of the page's first view of ``box`` on a ``width`` × ``height`` canvas.

    The one definition of the fit: network.js applies the same formula to the same box (sent with the
    data), so a test of the positions here is a test of what the page shows. A node at canvas (x, y)
    appears at ((x - cx) × scale + width / 2, (y - cy) × scale + height / 2).
    """
    w, h = box[2] - box[0], box[3] - box[1]
    scale = min((width - 2 * FIT_MARGIN) / w if w > 0 else math.inf,
                (height - 2 * FIT_MARGIN) / h if h > 0 else math.inf, FIT_MAX_SCALE)
    return max(scale, 1e-4), (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def on_screen(positions: Mapping[str, tuple[float, float]], width: float, height: float,
              box: tuple[float, float, float, float] | None = None) -> dict[str, tuple[float, float]]:
    """Where each node appears (screen pixels from the canvas's top-left) in the page's first view."""
    scale, cx, cy = fit_view(box or fit_box(positions), width, height)
    return {n: ((x - cx) * scale + width / 2, (y - cy) * scale + height / 2) for n, (x, y) in positions.items()}


def _place_new(graph: nx.Graph, placed: dict, missing: list) -> None:
    """Put nodes without a position next to their placed neighbours; the rest in a row below."""
    left = list(missing)
    while left:
        progress = []
        for node in left:
            near = [placed[m] for m in nx.all_neighbors(graph, node) if m in placed]
            if near:
                # a direction of its own, so that new nodes next to the same neighbour do not coincide
                digest = hashlib.blake2b(str(node).encode(), digest_size=2).digest()
                angle = int.from_bytes(digest, "big") / 65536 * math.tau
                x = sum(p[0] for p in near) / len(near) + 0.5 * EDGE_LENGTH * math.cos(angle)
                y = sum(p[1] for p in near) / len(near) + 0.5 * EDGE_LENGTH * math.sin(angle)
                progress.append((node, (round(x, 1), round(y, 1))))
        if not progress:
            break
        placed.update(progress)
        done = {n for n, _ in progress}
        left = [n for n in left if n not in done]
    if left:
        bottom = max((p[1] for p in placed.values()), default=0.0) + EDGE_LENGTH
        width = max(1, int(math.sqrt(len(left))))
        for i, node in enumerate(left):
            placed[node] = ((i % width) * EDGE_LENGTH * 0.6, bottom + (i // width) * EDGE_LENGTH * 0.6)


def compute_layout(graph: nx.Graph, seed: int = 0, *, pinned: Mapping[str, tuple[float, float]] | None = None,
                   base: Mapping[str, tuple[float, float]] | None = None) -> dict[str, tuple[float, float]]:
    """Node id -> (x, y) in vis-network pixels, the same for the same graph and seed.

    Fruchterman–Reingold from igraph (C, with its grid approximation above 1,000 nodes): 5,000 nodes
    and 15,000 edges in well under a second, where networkx's spring_layout takes about a minute.

    ``base``: positions to keep (e.g. the layout of the "now" graph, so the picture stays put from one
    review to the next); nodes it lacks are placed next to their neighbours, and no layout is run.
    ``pinned``: positions a person set; they win over everything.
    """
    nodes = list(graph.nodes)
    if base:
        positions = {n: tuple(base[n]) for n in nodes if n in base}
        _place_new(graph, positions, [n for n in nodes if n not in positions])
    elif len(nodes) <= 1:
        positions = {n: (0.0, 0.0) for n in nodes}
    else:
        positions = _igraph_layout(graph, seed)
    for node, xy in (pinned or {}).items():
        if node in positions:
            positions[node] = (float(xy[0]), float(xy[1]))
    return positions


class LayoutCache:
    """Layouts by graph structure and seed, least recently used first out; safe across threads.

    Keep one in ``st.cache_resource``. Positions hold no names (node ids are generated), so sharing the
    cache between users of one server shares nothing about their analyses beyond a graph's shape.
    """

    def __init__(self, maxsize: int = 32):
        self.maxsize = maxsize
        self._items: OrderedDict[tuple[str, int], dict] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def layout(self, graph: nx.Graph, seed: int = 0, *,
               pinned: Mapping[str, tuple[float, float]] | None = None) -> dict[str, tuple[float, float]]:
        """:func:`compute_layout`, once per structure; ``pinned`` is applied on top of the cached one."""
        key = (graph_fingerprint(graph), seed)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
        if found is None:
            found = compute_layout(graph, seed)
            with self._lock:
                self.misses += 1
                self._items[key] = found
                while len(self._items) > self.maxsize:
                    self._items.popitem(last=False)
        positions = dict(found)
        for node, xy in (pinned or {}).items():
            if node in positions:
                positions[node] = (float(xy[0]), float(xy[1]))
        return positions

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# ------------------------------------------------------------------------------------------ files
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain(value: Any) -> str | int | float | bool:
    """A value GEXF and GraphML can hold: None -> '', lists -> ';'-joined, dates -> ISO text."""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return "" if math.isnan(value) else value
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ";".join(str(v) for v in value)
    return _XML_UNSAFE.sub("", str(value))


def export_ready(graph: nx.Graph) -> nx.Graph:
    """A copy whose every attribute GEXF and GraphML can hold (the graph from build_graph already is,
    but for characters XML 1.0 forbids, which are dropped)."""
    out = graph.__class__()
    out.graph.update({k: _plain(v) for k, v in graph.graph.items()})
    out.add_nodes_from((n, {k: _plain(v) for k, v in d.items()}) for n, d in graph.nodes(data=True))
    if graph.is_multigraph():
        out.add_edges_from((u, v, k, {**{a: _plain(b) for a, b in d.items()}, "id": d.get("id", str(k))})
                           for u, v, k, d in graph.edges(keys=True, data=True))
    else:
        out.add_edges_from((u, v, {a: _plain(b) for a, b in d.items()}) for u, v, d in graph.edges(data=True))
    return out


def to_gexf(graph: nx.Graph, path: str | Path, *,
            positions: Mapping[str, tuple[float, float]] | None = None) -> Path:
    """Write GEXF 1.2 for Gephi. With ``positions``, nodes also carry a ``viz`` position, and the colour,
    size and shape the Network screen gives them (:func:`dnh_graph.render.styles.gexf_viz`).

    Graph-level attributes (analysis, review) are not part of GEXF and are left out.
    """
    from networkx.readwrite.gexf import GEXFWriter

    from dnh_graph.render.styles import gexf_viz  # the Network screen's symbols, for Gephi

    out = export_ready(graph)
    if positions:
        for node, (x, y) in positions.items():
            if node in out:
                out.nodes[node]["viz"] = {"position": {"x": float(x), "y": float(-y), "z": 0.0},
                                          **gexf_viz(out.nodes[node])}
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(out)
    # networkx writes a node attribute called "key" as "networkx_key" (its name for a multigraph
    # edge key) and reads it back under that name; our nodes' key is the DNH key, so name it so.
    for attributes in writer.xml.iter("attributes"):
        if attributes.get("class") == "node":
            for attribute in attributes:
                if attribute.get("title") == "networkx_key":
                    attribute.set("title", "key")
    with open(path, "wb") as fh:
        writer.write(fh)
    return Path(path)


def to_graphml(graph: nx.Graph, path: str | Path) -> Path:
    """Write GraphML with every node, edge and graph attribute, typed (string, int, double, boolean)."""
    nx.write_graphml(export_ready(graph), path)
    return Path(path)


def metrics_csv(rows: list[dict[str, Any]], review: str | None) -> bytes:
    """Actor metrics as CSV for a spreadsheet: UTF-8 with BOM (Excel), formula-like text neutralised
    (README.md#privacy), one ``review`` column first ("now" when none).
    """
    from dnh_graph.io.cells import neutralise

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    columns = [c for c in rows[0] if c != "node"] if rows else []
    writer.writerow(["review", *columns])
    for row in rows:
        cells = [review or "now", *(row[c] for c in columns)]
        writer.writerow([neutralise(c) if isinstance(c, str) else c for c in cells])
    return buffer.getvalue().encode("utf-8-sig")
