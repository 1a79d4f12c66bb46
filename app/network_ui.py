"""The Network screen's controls and tabs: the review slider, the Filters and Display popovers, the focus,
and the metrics, comparison and downloads tabs (the panel that places them is ``pages/network.py``)."""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

import pandas as pd
import streamlit as st

from app import network_cache, words
from dnh_graph import exports, timeline
from dnh_graph.model import Analysis
from dnh_graph.network.graph import NODE_KINDS
from dnh_graph.network.readwrite import metrics_csv
from dnh_graph.render import network_html as render

__all__ = ["P", "NOW", "COLOR_BY", "SIZE_BY", "pick_review", "filters", "display", "focus", "metrics_tab",
           "compare_tab", "downloads_tab"]

t = words.t
cc = st.column_config
P = "net_"  # session-state keys of this page
NOW = ""  # the "now" position of the review slider (a review key is never empty)
COLOR_BY = ("type", "stance", "community")
SIZE_BY = ("influence", "degree", "betweenness")


def _review_label(by_key: dict, key: str) -> str:
    if key == NOW:
        return t("network.page.now")
    return f"{key} · {by_key[key].date.isoformat()}"


def pick_review(a: Analysis) -> str | None:
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


def filters(a: Analysis) -> dict[str, Any]:
    """The Filters popover: node kinds, actor types, factor categories, minimum priority."""
    kind_labels = {"actor": t("network.page.kind_actor"), "divider": t("network.page.kind_divider"),
                   "connector": t("network.page.kind_connector"), "detail": t("network.page.kind_detail")}
    types = sorted({x.type for x in a.actors}, key=lambda k: words.label("actor_type", k))
    categories = sorted({f.category for f in a.factors}, key=lambda k: words.label("factor_category", k))
    state = st.session_state
    active = sum([len(state.get(P + "kinds", NODE_KINDS)) < len(NODE_KINDS),
                  bool(state.get(P + "types")), bool(state.get(P + "categories")),
                  state.get(P + "priority", 1) > 1])
    label = t("network.page.filters_n", n=active) if active else t("network.page.filters")
    with st.popover(label, icon=":material/filter_alt:", width="content"):
        kinds = st.pills(t("network.page.kinds"), list(NODE_KINDS), selection_mode="multi",
                         default=list(NODE_KINDS), format_func=kind_labels.get, key=P + "kinds")
        chosen_types = st.multiselect(t("network.page.actor_types"), types, key=P + "types",
                                      format_func=functools.partial(words.label, "actor_type"),
                                      placeholder=t("network.page.all_types"))
        chosen_categories = st.multiselect(t("network.page.categories"), categories, key=P + "categories",
                                           format_func=functools.partial(words.label, "factor_category"),
                                           placeholder=t("network.page.all_categories"))
        priority = st.slider(t("network.page.min_priority"), 1, 5, 1, key=P + "priority",
                             help=t("network.page.min_priority_help"))
    return {"kinds": tuple(kinds), "actor_types": tuple(chosen_types) or None,
            "categories": tuple(chosen_categories) or None, "min_priority": int(priority)}


def display() -> tuple[str, str, bool]:
    """The Display popover: colour by, size by, physics."""
    with st.popover(t("network.page.display"), icon=":material/palette:", width="content"):
        color_by = st.segmented_control(t("network.page.color_by"), list(COLOR_BY), default="type", required=True,
                                        format_func=lambda k: t(f"network.page.color_{k}"), key=P + "color")
        size_by = st.segmented_control(t("network.page.size_by"), list(SIZE_BY), default="influence", required=True,
                                       format_func=lambda k: t(f"network.page.size_{k}"), key=P + "size")
        physics = st.toggle(t("network.page.physics"), value=False, key=P + "physics",
                            help=t("network.page.physics_help", n=render.PHYSICS_LIMIT))
    return color_by or "type", size_by or "influence", physics


def focus(choices: dict[str, str]) -> str:
    """The actor or factor to focus on ("" for the whole network)."""
    options = ["", *choices]
    if st.session_state.get(P + "focus") not in options:
        st.session_state[P + "focus"] = ""
    node = st.selectbox(t("network.page.focus"), options, key=P + "focus",
                        format_func=lambda n: choices.get(n, t("network.page.focus_none")),
                        help=t("network.page.focus_help"))
    return node


# ------------------------------------------------------------------------------------------ tables
def metrics_tab(a: Analysis, review: str | None, pseudonymise: bool, url: str, revision: int) -> None:
    rows = network_cache.metrics(a, url, revision, review, pseudonymise)
    if not rows:
        st.info(t("network.page.no_actors"), icon=":material/info:")
        return
    st.caption(t("network.page.metrics_help"))
    frame = pd.DataFrame(rows).drop(columns=["node"])
    frame["type"] = frame["type"].map(functools.partial(words.label, "actor_type"))
    frame["stance"] = frame["stance"].map(functools.partial(words.label, "stance"))
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
    return words.label("stance", value) if field == "stance" else str(value)


def compare_tab(a: Analysis, pseudonymise: bool, url: str, revision: int) -> None:
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
    changes = network_cache.compare(a, url, a.key, revision, r1 or None, r2 or None, pseudonymise)
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


def downloads_tab(a: Analysis, review: str | None, pseudonymise: bool) -> None:
    st.caption(t("network.page.downloads_help"))
    if pseudonymise:
        st.caption(t("network.page.downloads_pseudonymised"))
    lang = words.lang()
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

