"""Network: the whole context as one graph, as of any review (issue 5).

A thin page over :mod:`dnh_graph.network` (the graph, filters, focus, metrics, comparison, layout) and
:mod:`dnh_graph.render.network_html` (the drawing). Everything under the title is one ``st.fragment``:
a filter, the review slider or a toggle reruns the panel, not the page.

Caching (STYLE.md, DESIGN §9): the layouts live in one :class:`dnh_graph.network.cache.LayoutCache` in
``st.cache_resource`` (keyed by graph structure; node ids are generated, so it holds no names); the
drawing, the pseudonymised analysis, the metrics and the comparison are ``st.cache_data`` keyed by
(database, analysis, revision, choices) with the analysis itself unhashed. The layout of a view is
computed once from the same view "now" (where every impact counts: the union of every review's nodes and
edges), and the page opens on it without a physics run and fitted to all of it, so moving the review
slider changes strengths, not the picture: a node keeps its place and the zoom holds. The tabs under the
drawing are lazy (only the open one runs): the actor metrics take seconds on 1,000 actors, and are then
computed for every review at once.

The drawing is a self-contained page with a Content-Security-Policy, shown with ``st.iframe`` (never
``components.v1.html``); user text reaches it only as JSON data drawn on a canvas or shown as text.
When "pseudonymise" is on (the default for an analysis with sensitive actors), every name on this page
comes from the pseudonymised analysis: the drawing, the focus list, the tables and the downloads.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

import pandas as pd
import streamlit as st

from app import ui
from app.screens import screen
from dnh_graph import exports, network, timeline
from dnh_graph.model import Analysis
from dnh_graph.network.cache import LayoutCache
from dnh_graph.network.compare import compare_reviews
from dnh_graph.network.graph import NODE_KINDS
from dnh_graph.network.metrics import actor_metrics, add_actor_metrics, metrics_over_reviews
from dnh_graph.network.readwrite import metrics_csv
from dnh_graph.privacy import pseudonymise as make_pseudonymous
from dnh_graph.render import network_html as render

t = ui.t
cc = st.column_config
P = "net_"  # session-state keys of this page
NOW = ""  # the "now" position of the review slider (a review key is never empty)
COLOR_BY = ("type", "stance", "community")
SIZE_BY = ("influence", "degree", "betweenness")
DEPTHS = (1, 2, 3)


# ------------------------------------------------------------------------------------------ caches
@st.cache_resource(show_spinner=False)
def _layouts() -> LayoutCache:
    """Positions per graph structure and seed, shared by every session (they hold no names)."""
    return LayoutCache(maxsize=64)


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
    for row in metrics_over_reviews(source):
        review, _ = row.pop("review"), row.pop("date")
        by_review.setdefault(review, []).append(row)
    latest = timeline.reviews_in_order(source)
    # "now" takes the latest readings, which are those of the latest review
    by_review[None] = by_review[latest[-1].key] if latest else actor_metrics(source)
    return by_review


def _metrics(analysis: Analysis, url: str, revision: int, review: str | None,
             pseudonymise: bool) -> list[dict[str, Any]]:
    return _metrics_by_review(analysis, url, analysis.key, revision, pseudonymise)[review]


@st.cache_data(ttl=3600, max_entries=16, show_spinner=False)
def _focus_choices(_analysis: Analysis, url: str, key: str, revision: int, pseudonymise: bool) -> dict[str, str]:
    """Node id -> ``A1 · name`` for every actor and factor (pseudonymised names when asked)."""
    graph = _graph(_analysis, url, revision, None, pseudonymise)
    chosen = {}
    for kind in ("actor", "factor"):
        chosen.update({n: f"{d['key']} · {d['label']}" for n, d in graph.nodes(data=True) if d["node_type"] == kind})
    return chosen


@st.cache_data(ttl=3600, max_entries=12, show_spinner=False)
def _drawing(_analysis: Analysis, url: str, key: str, revision: int, lang: str, review: str | None,
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
    positions = _layouts().layout(view(network.build_graph(_analysis)) if review else graph)
    if color_by == "community" or size_by != "influence":
        graph = add_actor_metrics(graph, _metrics(_analysis, url, revision, review, pseudonymise))
    settle = physics and found["nodes"] <= render.PHYSICS_LIMIT  # asked for, and quick enough
    found["html"] = render.network_html(graph, physics=settle, positions=positions, height="fill", lang=lang,
                                        color_by=color_by, size_by=size_by)
    return found


@st.cache_data(ttl=3600, max_entries=16, show_spinner=False)
def _compare(_analysis: Analysis, url: str, key: str, revision: int, r1: str | None, r2: str | None,
             pseudonymise: bool) -> list[dict[str, Any]]:
    return compare_reviews(_source(_analysis, url, revision, pseudonymise), r1, r2)


# ------------------------------------------------------------------------------------------ widgets
def _review_label(by_key: dict, key: str) -> str:
    if key == NOW:
        return t("network.page.now")
    return f"{key} · {by_key[key].date.isoformat()}"


def _pick_review(a: Analysis) -> str | None:
    """The review slider (reviews in date order, then "now"); None is now."""
    reviews = timeline.reviews_in_order(a)
    if not reviews:
        st.caption(t("network.page.no_reviews"))
        return None
    by_key = {r.key: r for r in reviews}
    options = [*by_key, NOW]
    if st.session_state.get(P + "review") not in options:
        st.session_state[P + "review"] = NOW
    chosen = st.select_slider(t("network.page.review"), options, key=P + "review",
                              format_func=functools.partial(_review_label, by_key), help=t("network.page.review_help"))
    return chosen or None


def _filters(a: Analysis) -> dict[str, Any]:
    """The Filters popover: node kinds, actor types, factor categories, minimum priority."""
    kind_labels = {"actor": t("network.page.kind_actor"), "divider": t("network.page.kind_divider"),
                   "connector": t("network.page.kind_connector"), "detail": t("network.page.kind_detail")}
    types = sorted({x.type for x in a.actors}, key=lambda k: ui.label("actor_type", k))
    categories = sorted({f.category for f in a.factors}, key=lambda k: ui.label("factor_category", k))
    state = st.session_state
    active = sum([len(state.get(P + "kinds", NODE_KINDS)) < len(NODE_KINDS),
                  bool(state.get(P + "types")), bool(state.get(P + "categories")),
                  state.get(P + "priority", 1) > 1])
    label = t("network.page.filters_n", n=active) if active else t("network.page.filters")
    with st.popover(label, icon=":material/filter_alt:", width="stretch"):
        kinds = st.pills(t("network.page.kinds"), list(NODE_KINDS), selection_mode="multi",
                         default=list(NODE_KINDS), format_func=kind_labels.get, key=P + "kinds")
        chosen_types = st.multiselect(t("network.page.actor_types"), types, key=P + "types",
                                      format_func=functools.partial(ui.label, "actor_type"),
                                      placeholder=t("network.page.all_types"))
        chosen_categories = st.multiselect(t("network.page.categories"), categories, key=P + "categories",
                                           format_func=functools.partial(ui.label, "factor_category"),
                                           placeholder=t("network.page.all_categories"))
        priority = st.slider(t("network.page.min_priority"), 1, 5, 1, key=P + "priority",
                             help=t("network.page.min_priority_help"))
    return {"kinds": tuple(kinds), "actor_types": tuple(chosen_types) or None,
            "categories": tuple(chosen_categories) or None, "min_priority": int(priority)}


def _display() -> tuple[str, str, bool]:
    """The Display popover: colour by, size by, physics."""
    with st.popover(t("network.page.display"), icon=":material/palette:", width="stretch"):
        color_by = st.segmented_control(t("network.page.color_by"), list(COLOR_BY), default="type", required=True,
                                        format_func=lambda k: t(f"network.page.color_{k}"), key=P + "color")
        size_by = st.segmented_control(t("network.page.size_by"), list(SIZE_BY), default="influence", required=True,
                                       format_func=lambda k: t(f"network.page.size_{k}"), key=P + "size")
        physics = st.toggle(t("network.page.physics"), value=False, key=P + "physics",
                            help=t("network.page.physics_help", n=render.PHYSICS_LIMIT))
    return color_by or "type", size_by or "influence", physics


def _focus(choices: dict[str, str]) -> str:
    """The actor or factor to focus on ("" for the whole network)."""
    options = ["", *choices]
    if st.session_state.get(P + "focus") not in options:
        st.session_state[P + "focus"] = ""
    node = st.selectbox(t("network.page.focus"), options, key=P + "focus",
                        format_func=lambda n: choices.get(n, t("network.page.focus_none")),
                        help=t("network.page.focus_help"))
    return node


# ------------------------------------------------------------------------------------------ tables
def _metrics_tab(a: Analysis, review: str | None, pseudonymise: bool, url: str, revision: int) -> None:
    rows = _metrics(a, url, revision, review, pseudonymise)
    if not rows:
        st.info(t("network.page.no_actors"), icon=":material/info:")
        return
    st.caption(t("network.page.metrics_help"))
    frame = pd.DataFrame(rows).drop(columns=["node"])
    frame["type"] = frame["type"].map(functools.partial(ui.label, "actor_type"))
    frame["stance"] = frame["stance"].map(functools.partial(ui.label, "stance"))
    number = functools.partial(cc.NumberColumn, width="small")
    st.dataframe(frame, hide_index=True, width="stretch", height="auto" if len(frame) <= 12 else 420,
                 column_config={
                     "actor": cc.TextColumn(t("col.key"), width="small"), "name": cc.TextColumn(t("col.name")),
                     "type": cc.TextColumn(t("col.type")), "influence": number(t("col.influence")),
                     "stance": cc.TextColumn(t("col.stance"), width="small"),
                     "degree": number(t("network.page.m_degree"), help=t("network.page.m_degree_help")),
                     "relationships": number(t("network.page.m_relationships")),
                     "tie_strength": number(t("network.page.m_tie_strength")),
                     "working_ties": number(t("network.page.m_working_ties"),
                                            help=t("network.page.m_working_ties_help")),
                     "conflict_ties": number(t("network.page.m_conflict_ties")),
                     "betweenness": cc.ProgressColumn(t("network.page.m_betweenness"), format="%.3f", min_value=0,
                                                      max_value=max(1e-9, float(frame["betweenness"].max())),
                                                      help=t("network.page.m_betweenness_help"), width="small"),
                     "community": number(t("network.page.m_community"), help=t("network.page.m_community_help")),
                     "dividers": number(t("network.page.m_dividers")),
                     "connectors": number(t("network.page.m_connectors")),
                     "divider_pressure": number(t("network.page.m_divider_pressure")),
                     "connector_capacity": number(t("network.page.m_connector_capacity")),
                 })
    stem = exports.file_name(a, "csv", pseudonymise=pseudonymise).removesuffix("-csv.zip")
    st.download_button(t("network.page.metrics_csv"), functools.partial(metrics_csv, rows, review),
                       file_name=f"{stem}-actor-metrics-{review or 'now'}.csv", mime="text/csv",
                       on_click="ignore", key=P + "metrics_csv", icon=":material/download:")


def _compare_value(field: str, value: Any) -> str:
    if value == "" or value is None:
        return ""
    return ui.label("stance", value) if field == "stance" else str(value)


def _compare_tab(a: Analysis, pseudonymise: bool, url: str, revision: int) -> None:
    reviews = timeline.reviews_in_order(a)
    if not reviews:
        st.info(t("network.page.compare_need_review"), icon=":material/info:")
        return
    by_key = {r.key: r for r in reviews}
    options = [*by_key, NOW]
    defaults = (options[-3], options[-2]) if len(reviews) >= 2 else (options[0], NOW)
    for suffix, default in zip(("from", "to"), defaults):
        if st.session_state.get(P + "cmp_" + suffix) not in options:
            st.session_state[P + "cmp_" + suffix] = default
    label = functools.partial(_review_label, by_key)
    left, right = st.columns(2)
    r1 = left.selectbox(t("network.page.compare_from"), options, key=P + "cmp_from", format_func=label)
    r2 = right.selectbox(t("network.page.compare_to"), options, key=P + "cmp_to", format_func=label)
    if r1 == r2:
        st.info(t("network.page.compare_same"), icon=":material/info:")
        return
    changes = _compare(a, url, a.key, revision, r1 or None, r2 or None, pseudonymise)
    if not changes:
        st.success(t("network.page.compare_nothing", old=label(r1), new=label(r2)), icon=":material/check_circle:")
        return
    counts = Counter(c["change"] for c in changes)
    st.caption(" · ".join(f"{t('network.page.change_' + k)}: {counts[k]}" for k in
                          ("appeared", "disappeared", "strengthened", "weakened", "changed") if counts[k]))
    frame = pd.DataFrame([{
        "element": t("network.page.element_" + c["element"]), "key": str(c["key"]), "label": c["label"],
        "change": t("network.page.change_" + c["change"]),
        "field": t("network.page.field_" + c["field"]) if c["field"] else "",
        "before": _compare_value(c["field"], c["before"]), "after": _compare_value(c["field"], c["after"]),
    } for c in changes])
    st.dataframe(frame, hide_index=True, width="stretch", height="auto" if len(frame) <= 12 else 420,
                 column_config={"element": t("network.page.element"), "key": t("col.key"),
                                "label": t("col.name"), "change": t("network.page.change"),
                                "field": t("network.page.field"), "before": label(r1), "after": label(r2)})
    st.caption(t("network.page.compare_rule"))


def _downloads_tab(a: Analysis, review: str | None, pseudonymise: bool) -> None:
    st.caption(t("network.page.downloads_help"))
    if pseudonymise:
        st.caption(t("network.page.downloads_pseudonymised"))
    lang = ui.lang()
    columns = st.columns(len(exports.NETWORK_FORMATS))
    for column, fmt in zip(columns, exports.NETWORK_FORMATS):
        make = functools.partial(_file, a, fmt, review, pseudonymise, lang)
        column.download_button(t("network.page.download_" + fmt), make, width="stretch",
                               file_name=exports.file_name(a, fmt, pseudonymise=pseudonymise),
                               mime=exports.MIME_TYPES[fmt], on_click="ignore", key=P + "dl_" + fmt,
                               icon=":material/download:")


def _file(a: Analysis, fmt: str, review: str | None, pseudonymise: bool, lang: str) -> bytes:
    """Made when the button is pressed (a 5,000-node page is a few MB), by the one export code path."""
    return exports.export_bytes(a, fmt, review=review, pseudonymise=pseudonymise,
                                report_options={"lang": lang})[0]


# ------------------------------------------------------------------------------------------ panel
@st.fragment
def panel(a: Analysis) -> None:
    """Everything under the title: one widget reruns this panel only."""
    url, revision, lang = ui.database_url(), ui.revision(a.key), ui.lang()
    sensitive = sum(1 for x in a.actors if x.sensitive)
    top_left, top_right = st.columns([3, 1], vertical_alignment="center")
    with top_left:
        review = _pick_review(a)
    with top_right:
        # the app-wide "Hide sensitive names" switch (sidebar); ``a`` is then already pseudonymised
        pseudonymise = ui.names_hidden() and sensitive > 0
        if pseudonymise:
            st.caption(t("network.page.pseudonymise_help", n=sensitive))
    choices = _focus_choices(a, url, a.key, revision, pseudonymise)
    focus_col, depth_col, harm_col, filter_col, display_col = st.columns([2, 1, 1.6, 1, 1],
                                                                         vertical_alignment="bottom")
    with focus_col:
        node = _focus(choices)
    with depth_col:
        depth = st.segmented_control(t("network.page.depth"), list(DEPTHS), default=1, required=True,
                                     key=P + "depth", disabled=not node, help=t("network.page.depth_help"))
    with harm_col:
        harm_only = st.toggle(t("network.page.harm_only"), key=P + "harm", help=t("network.page.harm_only_help"))
    with filter_col:
        filters = _filters(a)
    with display_col:
        color_by, size_by, physics = _display()

    if not filters["kinds"]:
        st.info(t("network.page.no_kinds"), icon=":material/info:")
        return
    with st.spinner(t("network.page.drawing")):
        drawing = _drawing(a, url, a.key, revision, lang, review, filters["kinds"], filters["actor_types"],
                           filters["categories"], filters["min_priority"], harm_only, node or "", int(depth or 1),
                           color_by, size_by, physics, pseudonymise)
    if drawing["focus_lost"]:
        st.warning(t("network.page.focus_lost", node=ui.md(choices.get(node, node))), icon=":material/warning:")
    if drawing["html"] is None:
        st.info(t("network.page.nothing_matches"), icon=":material/info:")
    else:
        st.iframe(drawing["html"], height=render.FRAME_HEIGHT, alt=t("network.page.alt"))
        st.caption(t("network.page.conventions"))

    # Lazy tabs: only the open one runs. The metrics (betweenness, communities) take seconds on 1,000
    # actors and are computed only when a person opens them (or sizes or colours actors by them).
    compare, metrics, downloads = st.tabs([t("network.page.tab_compare"), t("network.page.tab_metrics"),
                                           t("network.page.tab_downloads")], key=P + "tab", on_change="rerun")
    if compare.open:
        with compare:
            _compare_tab(a, pseudonymise, url, revision)
    if metrics.open:
        with metrics:
            _metrics_tab(a, review, pseudonymise, url, revision)
    if downloads.open:
        with downloads:
            _downloads_tab(a, review, pseudonymise)


a = ui.require_analysis()
st.title(t("page.network"), anchor=False)
st.caption(t("network.page.intro"))
if not a.actors and not a.factors:
    st.info(t("network.page.empty"), icon=":material/info:")
    st.page_link(screen("context_actors"), label=t("page.context_actors"), icon=":material/groups:")
    st.page_link(screen("factors"), label=t("page.factors"), icon=":material/call_split:")
    st.stop()
panel(a)
