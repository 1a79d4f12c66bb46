"""What the "Over time" screens share (a module, not a page): the review picker and the per-review grid.

The Reviews and Monitoring screens edit the rows of one review in a grid with one row per divider and
connector, actor or DNH criterion; a blank row means "not recorded at this review". The diff is
:func:`dnh_graph.reviewing.review_changes`; the save is the shared grid save of :mod:`app.ui`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from app import ui
from dnh_graph import reviewing, timeline
from dnh_graph.model import Analysis, Review

__all__ = ["review_label", "pick_review", "review_grid", "stored_rows"]

NEXT = "__next"  # session key suffix: the review to pick on the next run (after a quick entry)


def review_label(review: Review) -> str:
    """``R4 · 2026-01-20 · Half-year check`` (plain text for a selectbox)."""
    title = review.title if len(review.title) <= 40 else review.title[:39] + "…"
    return " · ".join(x for x in (review.key, review.date.isoformat(), title) if x)


def pick_review(a: Analysis, key: str, label: str, default: int = -1) -> Review:
    """A selectbox of the reviews in date order (default: the latest); the chosen review."""
    reviews = timeline.reviews_in_order(a)
    by_key = {r.key: r for r in reviews}
    wanted = st.session_state.pop(key + NEXT, None)
    if wanted in by_key:
        st.session_state[key] = wanted
    chosen = ui.pick(label, list(by_key), key, lambda k: review_label(by_key[k]), fallback=reviews[default].key)
    return by_key[chosen]


def stored_rows(sheet: str, rows: list[dict[str, Any]], stored_keys: Mapping[str, str] | None) -> list[dict]:
    """The grid's rows with each item key shown (a pseudonym) put back to its stored key.

    >>> stored_rows("actor_readings", [{"actor": "A1", "influence": 3}, {"actor": "B"}], {"A1": "governor_sok"})
    [{'actor': 'governor_sok', 'influence': 3}, {'actor': 'B'}]
    """
    if not stored_keys:
        return rows
    item = reviewing.PER_REVIEW[sheet][0]
    return [{**row, item: stored_keys.get(row.get(item), row.get(item))} for row in rows]


def review_grid(sheet: str, a: Analysis, review: Review, frame: pd.DataFrame, grid: str,
                config: dict[str, Any], editable: list[str], height: int | None = None,
                stored_keys: Mapping[str, str] | None = None) -> None:
    """An editable grid of one review's rows of ``sheet`` with a Save button (one transaction).

    ``stored_keys`` maps an item key shown in the grid (a sensitive actor's pseudonym while names are
    hidden) back to the stored key before the diff; ``a`` is the analysis as stored.
    """
    grid = f"{grid}_{review.key}"
    ui.show_flash(grid)
    disabled = [c for c in frame.columns if c not in editable]
    with st.form(grid + "__form", border=False, enter_to_submit=False):
        edited = st.data_editor(frame, key=grid + ui.EDITOR, hide_index=True, num_rows="fixed", width="stretch",
                                column_config={"id": None, "version": None, **config}, disabled=disabled,
                                height=height or "auto", placeholder="")
        submitted = st.form_submit_button(ui.t("grid.save"), key=grid + ui.SAVE, type="primary",
                                          icon=":material/save:")
    if not submitted:
        return
    changes = reviewing.review_changes(sheet, a, review.key, stored_rows(sheet, edited.to_dict("records"),
                                                                          stored_keys))
    if changes.problems:
        st.error(ui.t("grid.nothing_saved"), icon=":material/error:")
        ui.show_problems(changes.problems, sheet)
    elif changes.empty:
        st.info(ui.t("grid.nothing_to_save"), icon=":material/info:")
    else:
        ui._save(a, grid, changes)  # the shared save: errors shown, caches cleared, flash, rerun
