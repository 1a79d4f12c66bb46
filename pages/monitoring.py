"""Monitoring: at each review, the seven DNH criteria (DESIGN §3) rated high, medium or low with the
evidence and a recommendation; the ratings over the reviews as a heat-map."""

from __future__ import annotations

import streamlit as st

from app import over_time, selection, words
from app.screens import screen
from dnh_graph import reviewing, timeline, vocab
from dnh_graph.render import trends as render

t = words.t
cc = st.column_config
a = selection.require_editable()  # the grid writes the stored ratings
shown = selection.require_analysis()  # the heat-map: evidence pseudonymised while names are hidden
lang = words.lang()
st.title(t("page.monitoring"), anchor=False)
st.caption(t("monitoring.intro"))

if not a.reviews:
    st.info(t("monitoring.no_review"), icon=":material/info:")
    st.page_link(screen("reviews"), label=t("monitoring.go_reviews"), icon=":material/event_note:")
    st.stop()

st.subheader(t("monitoring.rate"), anchor=False)
review = over_time.pick_review(a, "mon_review", t("monitoring.pick"))
ratings = vocab.labels("rating", lang)
st.caption(t("monitoring.grid_help"))
over_time.review_grid(
    "monitoring", a, review, reviewing.monitoring_frame(a, review.key, lang), "mon_ratings",
    editable=["rating", "evidence", "recommendation"], config={
        "criterion": None,
        "label": cc.TextColumn(t("col.criterion"), width="large"),
        "rating": cc.SelectboxColumn(t("col.rating"), options=list(ratings), format_func=ratings.get, width="small",
                                     help=t("monitoring.rating_help")),
        "evidence": cc.TextColumn(t("col.evidence"), width="medium", max_chars=20_000,
                                  help=t("monitoring.evidence_help")),
        "recommendation": cc.TextColumn(t("col.recommendation"), width="medium", max_chars=20_000,
                                        help=t("monitoring.recommendation_help"))})

unrated = timeline.unrated_criteria(a, review.key)
if unrated:
    items = "\n".join(f"- {vocab.label('criterion', c, lang)}" for c in unrated)
    msgid = "monitoring.unrated_one" if len(unrated) == 1 else "monitoring.unrated"
    st.warning(t(msgid, n=len(unrated), review=words.md(review.key)) + "\n\n" + items,
               icon=":material/pending_actions:")
else:
    st.success(t("monitoring.all_rated", review=words.md(review.key)), icon=":material/check_circle:")

st.subheader(t("monitoring.over_time"), anchor=False)
chart = render.monitoring_heatmap(shown, lang=lang)
if isinstance(chart, render.ChartMessage):
    st.info(str(chart), icon=":material/info:")
else:
    st.caption(t("monitoring.heatmap_help"))
    st.plotly_chart(chart, width="stretch", config={"displaylogo": False}, key="mon_heatmap")
