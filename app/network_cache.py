"""The Network screen's cached computations: layouts, the graph as of a review, the drawing, the actor
metrics and the comparison of two reviews.

Caching (STYLE.md, DESIGN §9): the layouts live in one :class:`dnh_graph.network.LayoutCache` in
``st.cache_resource`` (keyed by graph structure; node ids are generated, so it holds no names); the
drawing, the pseudonymised analysis, the metrics and the comparison are ``st.cache_data`` keyed by
(database, analysis, revision, choices) with the analysis itself unhashed. The layout of a view is
computed once from the same view "now" (where every impact counts: the union of every review's nodes and
edges), and the page opens on it without a physics run and fitted to all of it, so moving the review
slider changes strengths, not the picture: a node keeps its place and the zoom holds.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dnh_graph import network, timeline
from dnh_graph.model import Analysis
from dnh_graph.privacy import pseudonymise as make_pseudonymous
from dnh_graph.render import network_html as render

__all__ = ["layouts", "metrics", "focus_choices", "drawing", "compare"]


@st.cache_resource(show_spinner=False)
def layouts() -> network.LayoutCache:
    """Positions per graph structure and seed, shared by every session (they hold no names)."""
    return network.LayoutCache(maxsize=64)


@st.cache_data(ttl=3600, max_entries=8, show_spinner=False)
def _pseudonymised(_analysis: Analysis, url: str, key: str, revision: int) -> Analysis:
    """:func:`dnh_graph.privacy.pseudonymise`, once per revision: on a 1,000-actor analysis it takes about
    half a second, and the drawing, the focus list, the metrics and the comparison all need it."""
    return make_pseudonymous(_analysis)


def _source(analysis: Analysis, url: str, revision: int, pseudonymise: bool) -> Analysis:
    return _pseudonymised(analysis, url, analysis.key, revision) if pseudonymise else analysis


def _graph(analysis: Analysis, url: str, revision: int, review: str | None, pseudonymise: bool):
    """``network.build_graph(analysis, review, pseudonymise)``, from the cached pseudonymised analysis."""
    graph = network.build_graph(_source(analysis, url, revision, pseudonymise), review)
    graph.graph["pseudonymised"] = pseudonymise  # what build_graph(..., pseudonymise=True) records
    return graph


@st.cache_data(ttl=3600, max_entries=8, show_spinner=False)
def _metrics_by_review(_analysis: Analysis, url: str, key: str, revision: int,
                       pseudonymise: bool) -> dict[str | None, list[dict[str, Any]]]:
    """Actor metrics at every review (and now, None), computed together: betweenness and communities
    do not depend on the review (relationships carry no date) and take seconds on 1,000 actors."""
    source = _source(_analysis, url, revision, pseudonymise)
    by_review: dict[str | None, list[dict[str, Any]]] = {}
    for row in network.metrics_over_reviews(source):
        review, _ = row.pop("review"), row.pop("date")
        by_review.setdefault(review, []).append(row)
    latest = timeline.reviews_in_order(source)
    # "now" takes the latest readings, which are those of the latest review
    by_review[None] = by_review[latest[-1].key] if latest else network.actor_metrics(source)
    return by_review


def metrics(analysis: Analysis, url: str, revision: int, review: str | None,
            pseudonymise: bool) -> list[dict[str, Any]]:
    return _metrics_by_review(analysis, url, analysis.key, revision, pseudonymise)[review]


@st.cache_data(ttl=3600, max_entries=16, show_spinner=False)
def focus_choices(_analysis: Analysis, url: str, key: str, revision: int, pseudonymise: bool) -> dict[str, str]:
    """Node id -> ``A1 · name`` for every actor and factor (pseudonymised names when asked)."""
    graph = _graph(_analysis, url, revision, None, pseudonymise)
    chosen = {}
    for kind in ("actor", "factor"):
        chosen.update({n: f"{d['key']} · {d['label']}" for n, d in graph.nodes(data=True) if d["node_type"] == kind})
    return chosen


@st.cache_data(ttl=3600, max_entries=12, show_spinner=False)
def drawing(_analysis: Analysis, url: str, key: str, revision: int, lang: str, review: str | None,
            kinds: tuple[str, ...], actor_types: tuple[str, ...] | None, categories: tuple[str, ...] | None,
            min_priority: int, harm_only: bool, focus_node: str, depth: int, color_by: str, size_by: str,
            physics: bool, pseudonymise: bool) -> dict[str, Any]:
    """The network page for these choices: ``{"html", "nodes", "edges", "focus_lost"}`` (html None: empty)."""

    def view(graph):
        shown = network.filter_graph(graph, kinds=kinds, actor_types=actor_types, factor_categories=categories,
                                     min_priority=min_priority, harm_pathways_only=harm_only)
        if focus_node and focus_node in shown:
            shown = network.focus(shown, focus_node, depth)
        return shown

    graph = view(_graph(_analysis, url, revision, review, pseudonymise))
    found = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
             "focus_lost": bool(focus_node) and graph.graph.get("focus") != focus_node, "html": None}
    if not found["nodes"]:
        return found
    # As of a review, a view has the nodes of the same view "now" or fewer: lay out the "now" view once,
    # so that the picture stays put while the review slider moves.
    positions = layouts().layout(view(network.build_graph(_analysis)) if review else graph)
    if color_by == "community" or size_by != "influence":
        graph = network.add_actor_metrics(graph, metrics(_analysis, url, revision, review, pseudonymise))
    settle = physics and found["nodes"] <= render.PHYSICS_LIMIT  # asked for, and quick enough
    found["html"] = render.network_html(graph, physics=settle, positions=positions, height="fill", lang=lang,
                                        color_by=color_by, size_by=size_by)
    return found


@st.cache_data(ttl=3600, max_entries=16, show_spinner=False)
def compare(_analysis: Analysis, url: str, key: str, revision: int, r1: str | None, r2: str | None,
            pseudonymise: bool) -> list[dict[str, Any]]:
    return network.compare_reviews(_source(_analysis, url, revision, pseudonymise), r1, r2)

