"""DNH step 4: the details of the intervention, grouped by the seven questions, with red flags."""

from __future__ import annotations

import streamlit as st

from app import grid, selection, table_files, words
from dnh_graph import vocab

SHOWN = 25  # details listed per question; the table above holds them all

t = words.t
a = selection.require_editable()  # the grid writes the stored records
shown = selection.require_analysis()  # the lists below: pseudonymised while names are hidden
st.title(t("page.intervention"), anchor=False)
st.caption(t("intervention.intro"))

grid.edit_table("details", a, "details", key_prefix="X")
table_files.table_io("details", a, "details")

st.subheader(t("intervention.by_question"), anchor=False)
questions = vocab.keys("detail_question")
by_question = {q: [d for d in shown.details if d.question == q] for q in questions}
tabs = st.tabs([f"{words.label('detail_question', q)} ({len(by_question[q])})" for q in questions])
for tab, question in zip(tabs, questions):
    with tab:
        details_col, flags_col = st.columns([3, 2], gap="medium")
        with details_col:
            st.markdown(f"**{t('intervention.question.' + question)}**")
            if not by_question[question]:
                st.info(t("intervention.none_yet"), icon=":material/info:")
            for d in by_question[question][:SHOWN]:
                with st.container(border=True):
                    head = f"**{words.md(d.key)}** · {words.md(d.activity) or t('intervention.no_activity')}"
                    if not d.active:
                        head += f" · :gray-badge[{t('intervention.inactive')}]"
                    st.markdown(head)
                    if d.description:
                        st.markdown(words.md(d.description, 600))
            if len(by_question[question]) > SHOWN:
                st.caption(t("intervention.more", n=len(by_question[question]) - SHOWN))
        with flags_col, st.container(border=True):
            st.markdown(f":material/flag: **{t('intervention.red_flags')}**")
            st.markdown(t("intervention.flags." + question))
