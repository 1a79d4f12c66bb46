"""Messages under a grid or form: the success message shown once after a rerun, and refused rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from app.words import column_label, lang, md, t
from dnh_graph.model import Problem

__all__ = ["FLASH", "flash", "show_flash", "show_problems"]

FLASH = "__flash"  # suffix of the session key holding a grid's or form's next message


def flash(grid: str, msgid: str, **params) -> None:
    """A success message shown once, on the next run, where the grid is."""
    st.session_state[grid + FLASH] = (msgid, params)


def show_flash(grid: str) -> None:
    """The message :func:`flash` left, in a slot that is there on every run: the elements after it keep
    their place, so an open expander below (the paste box) stays open when the message goes."""
    slot = st.empty()
    found = st.session_state.pop(grid + FLASH, None)
    if found:
        msgid, params = found
        slot.success(t(msgid, **params), icon=":material/check_circle:")


def show_problems(problems: Iterable[Problem], sheet: str | None = None,
                  mask: Callable[[str], str] | None = None) -> None:
    """One ``st.error`` per rejected row: "Row N, column: what is wrong", every column of it.

    ``mask``: applied to each message (a problem may quote a value that names a sensitive actor)."""
    by_row: dict[Any, list[Problem]] = {}
    for p in problems:
        by_row.setdefault(p.row, []).append(p)
    for row, found in by_row.items():
        parts = []
        for p in found:
            column = column_label(sheet or p.sheet, p.column)
            message = p.render(lang()) if mask is None else mask(p.render(lang()))
            parts.append(f"{md(column)}: {md(message)}" if column else md(message))
        text = "; ".join(parts)
        st.error(t("grid.problem_row", row=row, text=text) if row is not None else text,
                 icon=":material/error:")
