"""DNH step 1, the context of conflict: the analysis' context, the actors and their relationships."""

from __future__ import annotations

import dataclasses

import streamlit as st

from app import grid, messages, selection, session, table_files, words
from dnh_graph.model import InvalidInput
from dnh_graph.store import NotFoundError, StaleEditError

t = words.t
a = selection.require_editable()  # every part of this screen writes records: the form and the grids
st.title(t("page.context_actors"), anchor=False)
st.caption(t("context.intro"))

messages.show_flash("ctx")
header = st.expander(t("context.header"), expanded=not (a.info.context or a.info.conflict), icon=":material/public:")
# while names are hidden a field that names a sensitive actor shows it masked, locked, and saves as stored
shown = selection.shown_of(a).info
masked = {f for f in ("location", "conflict", "context") if getattr(shown, f) != getattr(a.info, f)}
with header, st.form(f"ctx_form_{a.key}", border=False):
    if masked:
        # the switch's sentence only to those who have the switch (a facilitator, or a grant to see names)
        st.caption(t("context.hidden_fields" if session.access(a.key).reveal else "context.hidden_fields_locked"))
    left, right = st.columns(2)
    location = left.text_input(t("col.location"), value=shown.location, max_chars=500, disabled="location" in masked)
    start = right.date_input(t("col.start_date"), value=a.info.start_date, format="YYYY-MM-DD")
    conflict = st.text_area(t("col.conflict"), value=shown.conflict, help=t("colhelp.conflict"), height=90,
                            disabled="conflict" in masked)
    context = st.text_area(t("col.context"), value=shown.context, help=t("colhelp.context"), height=160,
                           disabled="context" in masked)
    if st.form_submit_button(t("grid.save"), type="primary", icon=":material/save:", key="ctx__save",
                             disabled=not session.may("edit")):
        typed = {"location": location.strip(), "conflict": conflict, "context": context}
        info = dataclasses.replace(a.info, start_date=start,
                                   **{f: getattr(a.info, f) if f in masked else v for f, v in typed.items()})
        try:
            session.store().update_info(info, key=a.key)
        except InvalidInput as error:
            messages.show_problems(error.problems, "analysis")
        except (StaleEditError, NotFoundError) as error:
            st.error(words.md(words.said(error)), icon=":material/sync_problem:")
        else:
            session.clear_caches()
            messages.flash("ctx", "context.saved")
            st.rerun()

st.subheader(t("context.actors"), anchor=False)
st.caption(t("context.actors_help"))
if selection.hides_names(a):  # a grid cannot lock one row's cells: the sensitive rows get a grid of their own
    grid.edit_table("actors", a, "actors", key_prefix="A", records=[x for x in a.actors if not x.sensitive])
    st.caption(t("context.sensitive_rows" if session.access(a.key).reveal else "context.sensitive_rows_locked"))
    grid.edit_table("actors", a, "actors_sensitive", records=[x for x in a.actors if x.sensitive], rows="delete",
                    locked=("key", "name", "type", "description", "tags"), paste=False)
else:
    messages.show_flash("actors_sensitive")  # that grid's message, when it deleted the last sensitive actor
    grid.edit_table("actors", a, "actors", key_prefix="A")
table_files.table_io("actors", a, "actors")

st.subheader(t("context.relationships"), anchor=False)
if len(a.actors) < 2:
    st.info(t("context.relationships_need_actors"), icon=":material/info:")
else:
    st.caption(t("context.relationships_help"))
    grid.edit_table("relationships", a, "relationships")
    table_files.table_io("relationships", a, "relationships")
