"""Actor metrics: degree, brokers (betweenness), communities and factor load, as of a review."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from dnh_graph import asof
from dnh_graph.model import Analysis
from dnh_graph.network.graph import WORKING_TIES, build_graph

# Exact betweenness is O(actors × ties): about 2 s for 1,000 actors and 3,000 relationships in networkx.
# Above the limit it is estimated from a seeded sample of source actors (same seed, same estimate).
BETWEENNESS_EXACT_LIMIT = 1000
BETWEENNESS_SAMPLE = 300


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
