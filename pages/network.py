"""Network: the whole context as one graph, as of any review (issue 5).

A thin page over :mod:`dnh_graph.network` (the graph, filters, focus, metrics, comparison, layout) and
:mod:`dnh_graph.render.network_html` (the drawing), with its cached computations in
:mod:`app.network_cache` and its controls and tabs in :mod:`app.network_ui`. Everything under the title
is one ``st.fragment``: a filter, the review slider or a toggle reruns the panel, not the page. The tabs
under the drawing are lazy (only the open one runs): the actor metrics take seconds on 1,000 actors, and
are then computed for every review at once.

The drawing is a self-contained page with a Content-Security-Policy, shown with ``st.iframe`` (never
``components.v1.html``); user text reaches it only as JSON data drawn on a canvas or shown as text.
While "Hide sensitive names" is on (and the analysis has sensitive actors), every name on this page
comes from the pseudonymised analysis: the drawing, the focus list, the tables and the downloads.
"""

from __future__ import annotations

import streamlit as st

from app import network_cache, network_ui, selection, session, words
from app.screens import screen
from dnh_graph.model import Analysis
from dnh_graph.render import network_html as render

t = words.t
P = network_ui.P  # session-state keys of this page
DEPTHS = (1, 2, 3)


@st.fragment
def panel(a: Analysis) -> None:
    """Everything under the title: one widget reruns this panel only."""
    url, revision, lang = session.database_url(), selection.revision(a.key), words.lang()
    sensitive = sum(1 for x in a.actors if x.sensitive)
    top_left, top_right = st.columns([3, 1], vertical_alignment="center")
    with top_left:
        review = network_ui.pick_review(a)
    with top_right:
        # the app-wide "Hide sensitive names" switch (sidebar); ``a`` is then already pseudonymised
        pseudonymise = session.names_hidden() and sensitive > 0
        if pseudonymise:
            st.caption(t("network.page.pseudonymise_help", n=sensitive))
    choices = network_cache.focus_choices(a, url, a.key, revision, pseudonymise)
    # Two rows that wrap rather than five columns that truncate: at 1024 px with the sidebar open, or with
    # longer Khmer labels, columns cut "Harm pathways only", "Filters" and "Display" to a letter or two.
    with st.container(horizontal=True, wrap=True, vertical_alignment="bottom", gap="medium"):
        node = network_ui.focus(choices)
        depth = st.segmented_control(t("network.page.depth"), list(DEPTHS), default=1, required=True,
                                     key=P + "depth", disabled=not node, help=t("network.page.depth_help"))
    with st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="medium"):
        harm_only = st.toggle(t("network.page.harm_only"), key=P + "harm", help=t("network.page.harm_only_help"))
        filters = network_ui.filters(a)
        color_by, size_by, physics = network_ui.display()

    if not filters["kinds"]:
        st.info(t("network.page.no_kinds"), icon=":material/info:")
        return
    with st.spinner(t("network.page.drawing")):
        drawing = network_cache.drawing(a, url, a.key, revision, lang, review, filters["kinds"],
                                        filters["actor_types"], filters["categories"], filters["min_priority"],
                                        harm_only, node or "", int(depth or 1), color_by, size_by, physics,
                                        pseudonymise)
    if drawing["focus_lost"]:
        st.warning(t("network.page.focus_lost", node=words.md(choices.get(node, node))), icon=":material/warning:")
    if drawing["html"] is None:
        st.info(t("network.page.nothing_matches"), icon=":material/info:")
    else:
        st.iframe(drawing["html"], height=render.FRAME_HEIGHT, alt=t("network.page.alt"))
        st.caption(t("network.page.conventions"))

    # Lazy tabs: only the open one runs. The metrics (betweenness, communities) take seconds on 1,000
    # actors and are computed only when a person opens them (or sizes or colours actors by them).
    compare, metrics, downloads = st.tabs([t("network.page.tab_compare"), t("network.page.tab_metrics"),
                                           t("network.page.tab_downloads")], key=P + "tab", on_change="rerun")
    if compare.open:
        with compare:
            network_ui.compare_tab(a, pseudonymise, url, revision)
    if metrics.open:
        with metrics:
            network_ui.metrics_tab(a, review, pseudonymise, url, revision)
    if downloads.open:
        with downloads:
            network_ui.downloads_tab(a, review, pseudonymise)


a = selection.require_analysis()
st.title(t("page.network"), anchor=False)
st.caption(t("network.page.intro"))
if not a.actors and not a.factors:
    st.info(t("network.page.empty"), icon=":material/info:")
    st.page_link(screen("context_actors"), label=t("page.context_actors"), icon=":material/groups:")
    st.page_link(screen("factors"), label=t("page.factors"), icon=":material/call_split:")
    st.stop()
panel(a)
