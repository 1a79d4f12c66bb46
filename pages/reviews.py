"""Reviews: dated reviews of the context, and at each the strength of every divider and connector and
the influence and stance of every actor (README.md#data-model, docs/method.md "context over time")."""

from __future__ import annotations

import dataclasses
import datetime as dt

import streamlit as st

from app import grid, messages, over_time, selection, session, table_files, words
from dnh_graph import reviewing, timeline
from dnh_graph.model import InvalidInput, Review
from dnh_graph.store import NotFoundError, StaleEditError

t = words.t
cc = st.column_config
QUICK = "rev_quick"  # flash key of the quick entry
a = selection.require_editable()  # the quick entry and the grids write the stored records
shown = selection.require_analysis()  # what the screen shows of them: pseudonymised while names are hidden
st.title(t("page.reviews"), anchor=False)
st.caption(t("reviews.intro"))


def quick_entry() -> None:
    """A new review, its readings copied from the latest ones: the team then corrects what moved."""
    if st.session_state.pop("rev_new_clear", False):  # added: start the next one blank
        for name in ("date", "key", "title", "events", "prefill"):
            st.session_state.pop(f"rev_new_{name}", None)
    with st.form("rev_new", border=False):
        left, middle, right = st.columns([1, 1, 2])
        day = left.date_input(t("col.date"), value=dt.date.today(), format="YYYY-MM-DD",
                              min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31), key="rev_new_date")
        key = middle.text_input(t("col.key"), placeholder=reviewing.next_review_key(a), max_chars=100,
                                help=t("reviews.key_help"), key="rev_new_key")
        title = right.text_input(t("col.title"), max_chars=200, placeholder=t("reviews.title_placeholder"),
                                 key="rev_new_title")
        events = st.text_area(t("col.events"), height=90, placeholder=t("reviews.events_placeholder"),
                              key="rev_new_events")
        prefill = bool(a.reviews) and st.checkbox(t("reviews.prefill"), value=True, help=t("reviews.prefill_help"),
                                                  key="rev_new_prefill")
        if not st.form_submit_button(t("reviews.create"), type="primary", icon=":material/add:", key="rev_new_add",
                                     disabled=not session.may("edit")):
            return
    review = Review(key.strip() or reviewing.next_review_key(a), day, title.strip(), events.strip())
    try:
        factors, actors = reviewing.create_review(session.store(), a, review, prefill)
    except InvalidInput as error:
        st.error(t("reviews.not_created"), icon=":material/error:")
        messages.show_problems([dataclasses.replace(p, row=None) for p in error.problems])  # a form has no rows
        return
    except (StaleEditError, NotFoundError) as error:
        st.error(words.md(words.said(error)), icon=":material/sync_problem:")
        return
    session.clear_caches()
    st.session_state["rev_new_clear"] = True
    st.session_state["rev_review" + over_time.NEXT] = review.key
    messages.flash(QUICK, "reviews.created", review=review.key, factors=factors, actors=actors)
    st.rerun()


def _masked_readings(frame):
    """The actor readings grid as shown: while names are hidden a sensitive actor's row carries its
    pseudonym, pseudonymous key and shown type; and the map from shown keys back to stored ones."""
    masked = selection.masked_actors(a)
    if not masked:
        return frame, None
    frame = frame.copy()
    types = words.labels("actor_type")
    for row, key in enumerate(frame["actor"]):
        if key in masked:
            actor = masked[key]
            frame.loc[row, ["actor", "name", "type"]] = [actor.key, actor.name, types.get(actor.type, actor.type)]
    return frame, {actor.key: key for key, actor in masked.items()}


messages.show_flash(QUICK)
with st.expander(t("reviews.new"), icon=":material/add_circle:", expanded=not a.reviews):
    quick_entry()

if not a.reviews:
    st.info(t("reviews.none_yet"), icon=":material/info:")
else:
    st.subheader(t("reviews.readings"), anchor=False)
    review = over_time.pick_review(a, "rev_review", t("reviews.pick"))
    before = reviewing.previous_review(a, review.key)
    events = shown.by_key("reviews")[review.key].events
    if events:
        st.markdown(f"**{t('col.events')}:** {words.md(events, 800)}")
    factors_tab, actors_tab = st.tabs([t("reviews.tab_factors"), t("reviews.tab_actors")])
    previous = t("reviews.previous_help", review=before.key) if before else t("reviews.previous_none")
    with factors_tab:
        if not a.factors:
            st.info(t("reviews.need_factors"), icon=":material/info:")
        else:
            st.caption(t("reviews.factors_help"))
            over_time.review_grid(
                "factor_readings", a, review, reviewing.factor_readings_frame(a, review.key, words.lang()),
                "rev_factors", editable=["strength", "note"], config={
                    "factor": cc.TextColumn(t("col.factor"), width="small"),
                    "name": cc.TextColumn(t("col.name"), width="medium"),
                    "kind": cc.TextColumn(t("col.kind"), width="small"),
                    "priority": cc.NumberColumn(t("col.priority"), width="small", format="%d"),
                    "previous": cc.NumberColumn(t("reviews.previous"), width="small", format="%d", help=previous),
                    "strength": cc.NumberColumn(t("col.factor_readings.strength"), min_value=0, max_value=5,
                                                step=1, format="%d", width="medium", help=t("reviews.strength_help")),
                    "note": cc.TextColumn(t("col.note"), width="large", max_chars=20_000)})
    with actors_tab:
        if not a.actors:
            st.info(t("reviews.need_actors"), icon=":material/info:")
        else:
            st.caption(t("reviews.actors_help"))
            stances = {k: words.label("stance", k) for k in ("supports", "neutral", "opposes", "unknown")}
            frame, stored_keys = _masked_readings(reviewing.actor_readings_frame(a, review.key, words.lang()))
            over_time.review_grid(
                "actor_readings", a, review, frame, "rev_actors", stored_keys=stored_keys,
                editable=["influence", "stance"], config={
                    "actor": cc.TextColumn(t("col.actor"), width="small"),
                    "name": cc.TextColumn(t("col.name"), width="medium"),
                    "type": cc.TextColumn(t("col.type"), width="medium"),
                    "previous": cc.TextColumn(t("reviews.previous"), width="small", help=previous),
                    "influence": cc.NumberColumn(t("col.influence"), min_value=1, max_value=5, step=1, format="%d",
                                                 width="small", help=t("colhelp.influence")),
                    "stance": cc.SelectboxColumn(t("col.stance"), options=list(stances), format_func=stances.get,
                                                 width="medium")})

st.subheader(t("reviews.all"), anchor=False)
st.caption(t("reviews.all_help"))
grid.edit_table("reviews", a, "rev_reviews", records=timeline.reviews_in_order(a), key_prefix="R")
table_files.table_io("reviews", a, "rev_reviews")

if a.reviews and a.factors:
    st.subheader(t("reviews.grid"), anchor=False)
    st.caption(t("reviews.grid_help"))
    readings = timeline.readings_grid(a)
    readings.insert(0, "_factor_name", [f.name for f in shown.factors])
    dates = {r.key: r.date.isoformat() for r in a.reviews}
    st.dataframe(readings, width="stretch", height=min(600, 40 + 35 * len(readings)), placeholder="–",
                 column_config={"_factor_name": cc.TextColumn(t("col.name"), width="medium"),
                                **{c: cc.NumberColumn(f"{c} · {dates[c]}", format="%d", width="small")
                                   for c in readings.columns[1:]}})
