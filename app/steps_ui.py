"""The "still missing" list with a link to the screen that fills each gap (Overview and workshop steps).

The gaps come from :func:`dnh_graph.steps.missing`; this only draws them: the sentence as a link to
the screen, and under it the rows concerned (key and name, escaped), so a team knows where to go and
what to look at.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from app import pickers, words
from app.screens import available, screen
from dnh_graph.model import Analysis
from dnh_graph.steps import Gap

__all__ = ["show_missing", "concerned"]

SHOWN = 8  # rows named per gap; the screen it links to lists them all


def concerned(a: Analysis, gap: Gap) -> str:
    """The rows a gap is about, as safe markdown: ``X2 · Nets for fishers, X5 · …`` (empty if none)."""
    if not gap.keys:
        return ""
    records = a.by_key(gap.sheet)
    named = [words.md(pickers.record_label(gap.sheet, records[k], 40)) if k in records else words.md(k)
             for k in gap.keys[:SHOWN]]
    more = len(gap.keys) - SHOWN
    text = ", ".join(named) + (f", {words.t('missing.and_more', n=more)}" if more > 0 else "")
    return words.t("missing.concerned", which=text)


def show_missing(a: Analysis, gaps: Iterable[Gap]) -> None:
    """Each gap as a link to its screen (plain text when the screen is not there), rows named below."""
    there = {s.id for s in available()}
    for gap in gaps:
        text = words.t(gap.msgid, **gap.params)
        if gap.page in there:
            st.page_link(screen(gap.page), label=text, icon=":material/arrow_forward:")
        else:
            st.markdown(f"- {text}")
        which = concerned(a, gap)
        if which:
            st.caption(which)
