"""DNH steps 2 and 3: dividers and connectors side by side, and the actors linked to each."""

from __future__ import annotations

from collections import defaultdict

import streamlit as st

from app import grid, selection, session, table_files, words

t = words.t
a = selection.require_editable()  # the grids write the stored records
shown = selection.require_analysis()  # what the screen shows of them: pseudonymised while names are hidden
st.title(t("page.factors"), anchor=False)

with st.expander(t("factors.guidance_title"), expanded=not a.factors, icon=":material/lightbulb:"):
    st.markdown(t("factors.guidance"))

links, roles = defaultdict(list), words.labels("factor_actor_role")
for fa in shown.factor_actors:  # actor keys as shown (a key can be a name)
    links[fa.factor].append(f"{fa.actor} {roles.get(fa.role, fa.role).lower()}")

dividers_col, connectors_col = st.columns(2, gap="medium")
for column, kind, prefix in ((dividers_col, "divider", "D"), (connectors_col, "connector", "C")):
    with column:
        st.subheader(t(f"factors.{kind}s"), anchor=False)
        st.caption(t(f"factors.{kind}s_help"))
        records = [f for f in a.factors if f.kind == kind]
        # the grid's frame is cached by grid name: the "linked" column with names gets a grid of its own
        grid_key = f"{kind}s" if session.names_hidden() else f"{kind}s_named"
        grid.edit_table("factors", a, grid_key, records=records, fixed={"kind": kind}, key_prefix=prefix,
                        extra={"linked": ["; ".join(links[f.key]) for f in records]},
                        overrides={"linked": st.column_config.TextColumn(t("factors.linked"), width=200)},
                        # at 1280 px each list shows name, category and priority without scrolling
                        order=("name", "category", "priority", "linked", "key", "description", "tags"),
                        widths={"name": 170, "category": 150, "priority": 70})
table_files.table_io("factors", a, "dividers")

st.subheader(t("factors.links"), anchor=False)
if not (a.factors and a.actors):
    st.info(t("factors.links_need"), icon=":material/info:")
else:
    st.caption(t("factors.links_help"))
    grid.edit_table("factor_actors", a, "factor_actors")
    table_files.table_io("factor_actors", a, "factor_actors")
