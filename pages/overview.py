"""Overview: where the selected analysis stands; on an empty database, a welcome."""

from __future__ import annotations

import streamlit as st

from app import messages, pickers, scores, selection, session, steps_ui, words
from dnh_graph import keys, steps
from dnh_graph.demo import load_demo
from dnh_graph.model import AnalysisInfo, InvalidInput
from dnh_graph.store import StaleEditError

t = words.t


def welcome() -> None:
    st.title(t("welcome.title"))
    st.markdown(t("welcome.intro"))
    demo, new = st.columns(2, border=True)
    with demo:
        st.subheader(t("welcome.demo_title"), anchor=False)
        st.markdown(t("welcome.demo_text"))
        if st.button(t("welcome.demo_button"), type="primary", icon=":material/download:", key="ov_demo",
                     disabled=not session.may("edit", "")):
            added = load_demo(session.store())
            session.clear_caches()
            st.session_state["dnh_next_analysis"] = added[0] if added else ""
            st.rerun()
    with new, st.form("ov_new", border=False):
        st.subheader(t("welcome.new_title"), anchor=False)
        name = st.text_input(t("sidebar.new_name"), max_chars=200)
        key = st.text_input(t("sidebar.new_key"), max_chars=100, help=t("sidebar.key_help"))
        if st.form_submit_button(t("sidebar.create"), icon=":material/add:", disabled=not session.may("edit", "")):
            info = AnalysisInfo(key.strip() or keys.slug(name, [x.key for x in session.summaries()]), name.strip())
            try:
                session.store().create_analysis(info)
            except InvalidInput as error:
                messages.show_problems(error.problems, "analysis")
            except StaleEditError as error:  # a busy database or a create racing another
                st.error(words.md(words.said(error)), icon=":material/sync_problem:")
            else:
                session.clear_caches()
                st.session_state["dnh_next_analysis"] = info.key
                st.rerun()


if not session.summaries():
    welcome()
    st.stop()

a = selection.require_analysis()
st.title(words.md(a.info.name), anchor=False)
where = " · ".join(words.md(x) for x in (a.info.location, a.info.start_date and a.info.start_date.isoformat()) if x)
if where:
    st.caption(where)
if a.info.conflict:
    st.markdown(f"**{t('overview.conflict')}** {words.md(a.info.conflict, 600)}")

scores.score_metrics(scores.detail_scores(a)[1])

st.subheader(t("overview.steps"), anchor=False)
# Tiles of a fixed width that wrap onto a second row on a narrow screen: seven equal columns at 1024 px
# cut "Connectors" mid-word (issue 14).
tiles = st.container(horizontal=True, wrap=True, gap="small")
for step in steps.progress(a):
    with tiles.container(border=True, width=118):
        icon = ":material/check_circle:" if step.done else ":material/radio_button_unchecked:"
        st.markdown(f"{icon} **{step.count}**")
        st.caption(t("sidebar.step_short", n=step.number, name=t(step.msgid)))

left, right = st.columns(2)
with left:
    st.subheader(t("overview.pathways"), anchor=False)
    heaviest = scores.pathways(a)[:3]
    if not heaviest:
        st.info(t("overview.no_pathways"), icon=":material/info:")
    details, factors, actors = a.by_key("details"), a.by_key("factors"), a.by_key("actors")
    for p in heaviest:
        with st.container(border=True):
            st.markdown(t("overview.pathway", detail=words.md(pickers.record_label("details", details[p.detail], 60)),
                          effect=words.label("effect", p.effect).lower(),
                          kind=words.label("factor_kind", p.factor_kind).lower(),
                          factor=words.md(pickers.record_label("factors", factors[p.factor], 60))))
            how = [t("overview.pathway_weight", weight=p.weight), words.label("mechanism", p.mechanism)]
            if p.pattern:
                how.append(words.label("pattern", p.pattern))
            linked = ", ".join(words.md(pickers.record_label("actors", actors[k], 30)) for k in p.actors)
            if linked:
                how.append(f"{t('overview.actors')}: {linked}")
            st.caption(" · ".join(how))
with right:
    st.subheader(t("overview.latest_review"), anchor=False)
    if a.reviews:
        review = max(a.reviews, key=lambda r: (r.date, r.key))
        with st.container(border=True):
            st.markdown(f"**{review.date.isoformat()} · {words.md(review.title or review.key)}**")
            st.markdown(words.md(review.events, 800) or t("overview.no_events"))
    else:
        st.info(t("overview.no_review"), icon=":material/info:")
    st.subheader(t("overview.missing"), anchor=False)
    gaps = steps.missing(a)
    if not gaps:
        st.success(t("overview.nothing_missing"), icon=":material/check_circle:")
    steps_ui.show_missing(a, gaps)
