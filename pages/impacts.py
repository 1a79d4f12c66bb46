"""DNH step 5: how each detail strengthens or weakens each divider and connector."""

from __future__ import annotations

import streamlit as st

from app import grid, scores, selection, table_files, words
from dnh_graph.render import impacts as pictures

PATHWAYS_SHOWN = 200  # the heaviest first; nobody reads more on a screen, the export has them all

t = words.t
a = selection.require_analysis()  # what the screen shows: pseudonymised while names are hidden
st.title(t("page.impacts"), anchor=False)
st.caption(t("impacts.intro"))

details_scored, totals = scores.detail_scores(a)
scores.score_metrics(totals)

st.subheader(t("impacts.matrix"), anchor=False)
if not (a.details and a.factors):
    st.info(t("impacts.need_details_factors"), icon=":material/info:")
    st.stop()
matrix = selection.figure(a, "impact_matrix", lambda: pictures.impact_matrix(a))
if not matrix.cells:
    st.info(t("impacts.no_impacts"), icon=":material/info:")
else:
    st.caption(t("impacts.matrix_legend"))
    if matrix.cut:
        st.caption(t("impacts.matrix_cut", rows=len(matrix.details), details=matrix.total_details,
                     columns=len(matrix.factors), factors=matrix.total_factors))
    heatmap = selection.figure(a, "impact_matrix_figure",
                               lambda: pictures.impact_matrix_figure(a, words.lang(), matrix))
    st.plotly_chart(heatmap, width="stretch", config={"displaylogo": False}, key="imp_matrix")

st.subheader(t("impacts.edit"), anchor=False)
st.caption(t("impacts.edit_help"))
stored = selection.require_editable()  # the grid writes the stored records
grid.edit_table("impacts", stored, "impacts")
table_files.table_io("impacts", stored, "impacts")

st.subheader(t("impacts.pathways"), anchor=False)
st.caption(t("impacts.pathways_help"))
paths = scores.pathways(a)
if not paths:
    st.info(t("overview.no_pathways"), icon=":material/info:")
else:
    shown = paths[:PATHWAYS_SHOWN]
    table = selection.table(a, "pathways", lambda: pictures.pathways_table(a, shown, words.lang()))
    st.dataframe(table, hide_index=True, width="stretch", height=min(400, 40 + 35 * len(shown)))
    if len(paths) > len(shown):
        st.caption(t("impacts.pathways_cut", shown=len(shown), total=len(paths)))

st.subheader(t("impacts.per_detail"), anchor=False)
scored = [d for d in details_scored if d.harm or d.help]
if not scored:
    st.info(t("impacts.no_impacts"), icon=":material/info:")
else:
    chart, right = st.columns(2, gap="medium")
    bars = selection.figure(a, "detail_scores_figure",
                            lambda: pictures.detail_scores_figure(a, words.lang(), details_scored))
    chart.plotly_chart(bars, width="stretch", config={"displaylogo": False}, key="imp_bars")

    per_detail = selection.table(a, "per_detail", lambda: pictures.detail_scores_table(a, details_scored, words.lang()))
    right.dataframe(per_detail, hide_index=True, width="stretch",
                    column_config={t("col.detail"): st.column_config.TextColumn(width=200)})
    st.caption(t("impacts.inactive_note"))
