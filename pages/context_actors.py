"""DNH step 1, the context of conflict: the analysis' context, the actors and their relationships."""

from __future__ import annotations

import dataclasses

import streamlit as st

from app import ui
from dnh_graph.model import InvalidInput
from dnh_graph.store import NotFoundError, StaleEditError

t = ui.t
a = ui.require_editable()  # every part of this screen writes records: the form and the grids
st.title(t("page.context_actors"), anchor=False)
st.caption(t("context.intro"))

ui.show_flash("ctx")
header = st.expander(t("context.header"), expanded=not (a.info.context or a.info.conflict), icon=":material/public:")
with header, st.form(f"ctx_form_{a.key}", border=False):
    left, right = st.columns(2)
    location = left.text_input(t("col.location"), value=a.info.location, max_chars=500)
    start = right.date_input(t("col.start_date"), value=a.info.start_date, format="YYYY-MM-DD")
    conflict = st.text_area(t("col.conflict"), value=a.info.conflict, help=t("colhelp.conflict"), height=90)
    context = st.text_area(t("col.context"), value=a.info.context, help=t("colhelp.context"), height=160)
    if st.form_submit_button(t("grid.save"), type="primary", icon=":material/save:", key="ctx__save",
                             disabled=not ui.may("edit")):
        info = dataclasses.replace(a.info, location=location.strip(), start_date=start, conflict=conflict,
                                   context=context)
        try:
            ui.store().update_info(info, key=a.key)
        except InvalidInput as error:
            ui.show_problems(error.problems, "analysis")
        except (StaleEditError, NotFoundError) as error:
            st.error(ui.md(str(error)), icon=":material/sync_problem:")
        else:
            ui.clear_caches()
            ui.flash("ctx", "context.saved")
            st.rerun()

st.subheader(t("context.actors"), anchor=False)
st.caption(t("context.actors_help"))
ui.edit_table("actors", a, "actors", key_prefix="A")
ui.table_io("actors", a, "actors")

st.subheader(t("context.relationships"), anchor=False)
if len(a.actors) < 2:
    st.info(t("context.relationships_need_actors"), icon=":material/info:")
else:
    st.caption(t("context.relationships_help"))
    ui.edit_table("relationships", a, "relationships")
    ui.table_io("relationships", a, "relationships")
