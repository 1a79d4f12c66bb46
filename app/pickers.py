"""Pickers: a selectbox that stays on what the person was looking at, and how a record is named in one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from app import selection
from dnh_graph import editing

__all__ = ["SHOWN", "pick", "record_label"]

SHOWN = "__shown"  # suffix of the session key that remembers what a picker showed last


def pick(label: str, choices: Sequence[Any], key: str, format_func, fallback: Any = None, gone=None,
         **selectbox) -> Any:
    """A selectbox that stays on what the person was looking at (issue 10), and says so when that is gone.

    The browser answers with the label it last showed. When a write changed that label (a record
    renamed, here or on another laptop), Streamlit would fall back to the first choice and the screen
    would switch to another option, review or analysis without a word; leaving the screen and coming back
    would do the same. The choice shown last wins instead. When it no longer exists, ``gone(choice)``
    (if given) is said and ``fallback`` (or the first choice) is shown. ``selectbox``: more arguments of
    ``st.selectbox`` (``help``).
    """
    state = st.session_state
    if state.get(key, SHOWN) not in choices:  # None can be a choice: "not there" is SHOWN
        analysis, shown = state.get(key + SHOWN, (None, SHOWN))
        if analysis != selection.selected_key():  # another analysis: its own default, not a namesake of the old choice
            shown = SHOWN
        if shown in choices:
            state[key] = shown
        else:
            if gone is not None and shown not in (SHOWN, None):
                st.info(gone(shown), icon=":material/info:")
            state[key] = fallback if fallback in choices else choices[0]
    value = st.selectbox(label, choices, key=key, format_func=format_func, **selectbox)
    state[key + SHOWN] = (selection.selected_key(), value)
    return value



def record_label(sheet: str, record: Any, limit: int = 40) -> str:
    """How a row is named in a dropdown: ``A1 · Commune council`` (plain text, never markdown)."""
    return editing.record_label(sheet, record, limit)
