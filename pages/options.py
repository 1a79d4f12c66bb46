"""DNH steps 6–7: generate options for the harmful details, compare them, test them and redesign.

A thin screen over :mod:`dnh_graph.options` (prompts, comparison, workflow, predicted vs observed, what
if) and :mod:`dnh_graph.render.options` (the charts), drawn by :mod:`app.options_ui` and
:mod:`app.option_testing`. The four tabs run lazily: only the open one is computed.
"""

from __future__ import annotations

import streamlit as st

from app import option_testing, options_ui, selection, words

t = words.t
a = selection.require_analysis()  # pseudonymised while names are hidden; writes take the stored records
st.title(t("page.options"), anchor=False)
st.caption(t("options.intro"))
tab_labels = [t("options.tab.generate"), t("options.tab.compare"), t("options.tab.test"), t("options.tab.whatif")]
tabs = st.tabs(tab_labels, key=options_ui.PREFIX + "tab", on_change="rerun")
for tab, draw in zip(tabs, (options_ui.generate, options_ui.compare, option_testing.testing_panel,
                            options_ui.what_if)):
    if tab.open:
        with tab:
            draw(a)
