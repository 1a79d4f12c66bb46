"""Trends: how the context and the intervention's effects shift over the reviews (DESIGN §5), what
changed between two reviews, and the indicators that no longer move."""

from __future__ import annotations

import streamlit as st

from app import over_time, selection, session, words
from app.screens import screen
from dnh_graph import reviewing, timeline, vocab
from dnh_graph.render import trends as render

t = words.t
cc = st.column_config
a = selection.require_analysis()  # pseudonymised while names are hidden: charts, legends, tables, filters
lang = words.lang()
st.title(t("page.trends"), anchor=False)
st.caption(t("trends.intro"))


def show(chart, key: str, height: int | str = "content") -> None:
    """A figure, or the sentence that says why there is none yet."""
    if isinstance(chart, render.ChartMessage):
        st.info(str(chart), icon=":material/info:")
    else:
        st.plotly_chart(chart, width="stretch", height=height, config={"displaylogo": False}, key=key)


def table_height(frame) -> int | str:
    """Small tables in full; long ones scroll."""
    return "auto" if len(frame) <= 10 else 400


def headline() -> None:
    points = timeline.trends(a)
    if not points:
        return
    last, before = points[-1], (points[-2] if len(points) > 1 else None)
    left, right = st.columns(2, border=True)
    for column, measure, colour in ((left, "pressure", "inverse"), (right, "capacity", "normal")):
        delta = last[measure] - before[measure] if before else None
        column.metric(t(f"trends.{measure}_at", review=last["review"]), last[measure], delta=delta,
                      delta_color=colour, help=t(f"trends.{measure}_help"))


def what_changed() -> None:
    st.subheader(t("trends.changed"), anchor=False)
    if len(a.reviews) < 2:
        st.info(t("trends.changed_need_two"), icon=":material/info:")
        return
    left, right = st.columns(2)
    with left:
        old = over_time.pick_review(a, "tr_from", t("trends.from"), default=-2)
    with right:
        new = over_time.pick_review(a, "tr_to", t("trends.to"), default=-1)
    if old.key == new.key:
        st.info(t("trends.same_review"), icon=":material/info:")
        return
    changed = timeline.what_changed(a, old.key, new.key)
    counts = {group: len(changed[group]) for group in ("worse", "better", "appeared", "disappeared", "unchanged",
                                                       "unread")}
    st.caption(t("trends.changed_counts", **counts))
    frame = reviewing.changes_frame(changed, lang)
    if frame.empty:
        st.success(t("trends.nothing_moved", old=old.key, new=new.key), icon=":material/check_circle:")
    else:
        st.dataframe(frame, hide_index=True, width="stretch", height=table_height(frame), column_config={
            "change_type": cc.TextColumn(t("trends.change_type"), width="small"),
            "factor": cc.TextColumn(t("col.factor"), width="small"), "name": cc.TextColumn(t("col.name")),
            "kind": cc.TextColumn(t("col.kind"), width="small"), "category": None,
            "priority": cc.NumberColumn(t("col.priority"), width="small"),
            "before": cc.NumberColumn(old.key, format="%d", width="small"),
            "after": cc.NumberColumn(new.key, format="%d", width="small"),
            "change": cc.NumberColumn(t("trends.change"), format="%+d", width="small"),
            "note": cc.TextColumn(t("col.note"), width="large")})
        st.caption(t("trends.changed_rule"))
    actors = reviewing.actor_changes_frame(changed, lang)
    if not actors.empty:
        st.markdown(f"**{t('trends.actors_changed')}**")
        st.dataframe(actors, hide_index=True, width="stretch", column_config={
            "actor": t("col.actor"), "name": t("col.name"), "influence": t("col.influence"),
            "stance": t("col.stance")})


def stale() -> None:
    frame = reviewing.stale_frame(a, lang)
    if frame.empty:
        return
    msgid = "trends.stale_warning_one" if len(frame) == 1 else "trends.stale_warning"
    st.warning(t(msgid, n=len(frame), message=t("trends.stale_message")),
               icon=":material/hourglass_empty:")
    st.dataframe(frame, hide_index=True, width="stretch", height=table_height(frame), column_config={
        "factor": t("col.factor"), "name": t("col.name"), "kind": t("col.kind"),
        "strength": t("col.strength"), "reviews": t("trends.stale_reviews"), "since": t("trends.stale_since"),
        "message": None})


@st.fragment
def strength_panel() -> None:
    """The strength chart with its filters: a filter reruns this panel only."""
    st.subheader(t("trends.strength_section"), anchor=False)
    if len(a.reviews) < 2:  # nothing to filter yet: just the sentence that says what is missing
        show(render.factor_strength_figure(a, lang=lang), "tr_strength")
        return
    kinds, categories = vocab.labels("factor_kind", lang), vocab.labels("factor_category", lang)
    left, right = st.columns(2)
    chosen_kinds = left.pills(t("col.kind"), list(kinds), selection_mode="multi", default=list(kinds),
                              format_func=kinds.get, key="tr_kinds", wrap=True)
    chosen_priorities = right.pills(t("col.priority"), [5, 4, 3, 2, 1], selection_mode="multi", wrap=True,
                                    default=[5, 4, 3, 2, 1], format_func=lambda p: t("trends.priority_short", p=p),
                                    key="tr_priorities")
    chosen_categories = st.pills(t("col.category"), list(categories), selection_mode="multi", wrap=True,
                                 default=list(categories), format_func=categories.get, key="tr_categories")
    names = {f.key: f"{f.key} · {f.name}" for f in a.factors}
    only = st.multiselect(t("trends.only_factors"), list(names), format_func=names.get, key="tr_factors",
                          placeholder=t("trends.all_factors"))
    chart = render.factor_strength_figure(a, kinds=chosen_kinds, categories=chosen_categories,
                                          priorities=chosen_priorities, factors=only or None, lang=lang)
    show(chart, "tr_strength", height=560)


@st.fragment
def actor_panel() -> None:
    st.subheader(t("trends.actors"), anchor=False)
    if len(a.reviews) < 2:
        show(render.actor_influence_figure(a, lang=lang), "tr_actors_chart")
        return
    names = {x.key: f"{x.key} · {x.name}" for x in a.actors}
    # keys differ with names hidden (pseudonyms) and shown: one filter each, neither sees the other's keys
    only = st.multiselect(t("trends.only_actors"), list(names), format_func=names.get,
                          key="tr_actors" if session.names_hidden() else "tr_actors_named",
                          placeholder=t("trends.top_actors"))
    show(render.actor_influence_figure(a, actors=only or None, lang=lang), "tr_actors_chart")


def impacts() -> None:
    st.caption(t("trends.impacts_help"))
    show(render.impact_timeline_figure(a, lang=lang), "tr_impacts")


if not a.reviews:  # harm and help over time need no review: they come from the impacts' dates
    show(render.pressure_capacity_figure(a, lang=lang), "tr_pressure")
    st.page_link(screen("reviews"), label=t("trends.go_reviews"), icon=":material/event_note:")
    st.divider()
    impacts()
    st.stop()
headline()
pressure = render.pressure_capacity_figure(a, lang=lang)
if not isinstance(pressure, render.ChartMessage):
    st.caption(t("trends.pressure_capacity_help"))  # the chart carries its own title
show(pressure, "tr_pressure")
what_changed()
stale()
strength_panel()
st.divider()
impacts()
actor_panel()
