"""The whole context of an analysis as one graph, as of a review; its filters and focus.

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
                  evidence, observed_on, harmful, impact_weight (:func:`dnh_graph.scoring.weight`)
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

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from dnh_graph import asof, scoring, vocab
from dnh_graph.model import Analysis
from dnh_graph.nogc import without_gc
from dnh_graph.privacy import pseudonymise as make_pseudonymous

# What a person can switch on and off in the view: the two factor kinds are told apart.
NODE_KINDS = ("actor", "divider", "connector", "detail")
# Relationships that carry cooperation, information or resources: the paths along which an actor can
# broker, and the ties that hold a community together. Conflict and broken ties are not such paths.
WORKING_TIES = frozenset(vocab.keys("relationship_type")) - {"conflict", "broken"}
# Exact betweenness is O(actors × ties): about 2 s for 1,000 actors and 3,000 relationships in networkx.


# ------------------------------------------------------------------------------------------ as of
def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


# ------------------------------------------------------------------------------------------ build
@without_gc  # some 100,000 new objects, no cycle among them: dnh_graph.nogc
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
            "impact_weight": scoring.weight(impact.magnitude, priority[impact.factor]),
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
