"""What the "Over time" screens share (a module, not a page): the review picker and the per-review grid.

The Reviews and Monitoring screens edit the rows of one review in a grid with one row per divider and
connector, actor or DNH criterion; a blank row means "not recorded at this review". The diff is
:func:`dnh_graph.reviewing.review_changes`; the save is the shared grid save of :mod:`app.grid_save`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from app import drafts, grid_save, messages, pickers, selection, session, words
from app.grid import ROW_HEIGHT
from dnh_graph import editing, privacy, reviewing, timeline, vocab
from dnh_graph.editing import clean_cell
from dnh_graph.model import TABLES, Analysis, Problem, Review
from dnh_graph.text import clip

__all__ = ["review_label", "pick_review", "review_grid", "stored_rows"]

NEXT = "__next"  # session key suffix: the review to pick on the next run (after a quick entry)


def review_label(review: Review) -> str:
    """``R4 · 2026-01-20 · Half-year check`` (plain text for a selectbox)."""
    title = clip(review.title, 40)
    return " · ".join(x for x in (review.key, review.date.isoformat(), title) if x)


def pick_review(a: Analysis, key: str, label: str, default: int = -1) -> Review:
    """A selectbox of the reviews in date order (default: the latest); the chosen review."""
    reviews = timeline.reviews_in_order(a)
    by_key = {r.key: r for r in reviews}
    wanted = st.session_state.pop(key + NEXT, None)
    if wanted in by_key:
        st.session_state[key] = wanted
    chosen = pickers.pick(label, list(by_key), key, lambda k: review_label(by_key[k]), fallback=reviews[default].key)
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


def _shown_cell(sheet: str, column: str, value: Any, lang: str) -> Any:
    """A per-review cell as text (issue 10: the browser neither clamps a number nor drops a label)."""
    value = clean_cell(value)
    if value is None:
        return ""
    spec = {c.name: c for c in TABLES[sheet].columns}.get(column)
    if spec is not None and spec.kind == "enum":
        return vocab.label(spec.vocabulary, value, lang)
    return str(value)


def _help(sheet: str, column: str, config: dict[str, Any], lang: str) -> str | None:
    """A text cell's help: the screen's, plus the choices a person may type."""
    spec = {c.name: c for c in TABLES[sheet].columns}.get(column)
    if spec is None or spec.kind != "enum":
        return config.get("help")
    choices = ", ".join(v for k, v in vocab.labels(spec.vocabulary, lang).items() if k)
    return " ".join(x for x in (config.get("help"), words.t("grid.choices_help", choices=choices)) if x)


def _masked(sheet: str, a: Analysis, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as shown: while names are hidden, every text naming a sensitive actor masked (the item
    key column, a pseudonym already where it must be, is left as it is)."""
    if not selection.hides_names(a):
        return rows
    redact, item = privacy.redactor(a), reviewing.PER_REVIEW[sheet][0]
    return [{c: redact(v) if isinstance(v, str) and c != item else v for c, v in row.items()} for row in rows]


def _unmasked(rows: list[dict[str, Any]], shown: list[dict[str, Any]], stored: list[dict[str, Any]],
              editable: list[str]) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """:func:`dnh_graph.privacy.unmask_rows` for a grid of one review (rows matched by position)."""
    def cells(found):
        return {n: {c: r.get(c) for c in editable} for n, r in enumerate(found)}

    plain, refused = privacy.unmask_rows([{**{c: r.get(c) for c in editable}, "id": n} for n, r in enumerate(rows)],
                                         cells(shown), cells(stored))
    return [{**row, **{c: p[c] for c in editable}} for row, p in zip(rows, plain)], refused


def review_grid(sheet: str, a: Analysis, review: Review, frame: pd.DataFrame, grid: str,
                config: dict[str, Any], editable: list[str], height: int | None = None,
                stored_keys: Mapping[str, str] | None = None) -> None:
    """An editable grid of one review's rows of ``sheet`` with Save and Discard (one transaction).

    Like every grid (:func:`app.grid.edit_table`), what the person types lives in a per-person draft until
    Save: the rows as read (with their versions), so another person's save neither resets the grid nor
    slips under the person's edit, and the edits survive a visit to another screen. ``stored_keys`` maps
    an item key shown in the grid (a sensitive actor's pseudonym while names are hidden) back to the
    stored key before the diff; ``a`` is the analysis as stored. While names are hidden every text cell
    naming a sensitive actor is shown masked; left alone it saves as stored, changed it is refused.
    """
    grid = f"{grid}_{review.key}"
    lang = words.lang()
    held, owners = drafts.session_drafts(), st.session_state.setdefault(drafts.OWNERS, {})
    draft_id = drafts.draft_id(a.key, grid, selection.hides_names(a))
    draft = held.get(draft_id)
    stored_read = [{c: (_shown_cell(sheet, c, v, lang) if c in editable else clean_cell(v)) for c, v in row.items()}
                   for row in frame.to_dict("records")]
    read = _masked(sheet, a, stored_read)
    if draft is None or (not drafts.dirty_rows(draft) and draft["read"] != read):  # new, or saved meanwhile
        epoch = draft["epoch"] if draft else 0
        st.session_state.pop(drafts.editor_key(grid, epoch), None)
        draft = held[draft_id] = {"read": read, "stored": stored_read, "shown": read, "rows": [dict(r) for r in read],
                                  "columns": editable, "bools": {}, "epoch": epoch, "conflicts": []}
    key = drafts.editor_key(grid, draft["epoch"])
    alive = owners.get(key) == (draft_id, draft["epoch"]) and key in st.session_state
    if alive:
        draft["rows"] = editing.apply_edits(draft["shown"], st.session_state[key], editable)
    elif draft["rows"] != draft["shown"]:  # back from another screen: show the draft
        drafts.rebuild(draft, draft["rows"])
        key = drafts.editor_key(grid, draft["epoch"])
    owners[key] = (draft_id, draft["epoch"])
    messages.show_flash(grid)
    text_config = {c: st.column_config.TextColumn(config[c].get("label"), help=_help(sheet, c, config[c], lang),
                                                  width=config[c].get("width"))
                   for c in editable if c in config}
    shown = pd.DataFrame(draft["shown"], columns=list(frame.columns))
    for c in editable:
        shown[c] = shown[c].astype("object")
    read_only = not session.may("edit", a.key)  # a viewer reads the readings (issue 13)
    st.data_editor(shown, key=key, hide_index=True, num_rows="fixed", width="stretch",
                   column_config={**config, "id": None, "version": None, **text_config},
                   disabled=True if read_only else [c for c in frame.columns if c not in editable],
                   height=height or "auto", placeholder="", row_height=ROW_HEIGHT, on_change=drafts.capture,
                   args=(draft_id, key))
    if read_only:
        return
    # one row that wraps (not columns): in a half-width column at 1024 px the labels stay whole
    bar = st.container(horizontal=True, vertical_alignment="center")
    submitted = bar.button(words.t("grid.save"), key=grid + drafts.SAVE, type="primary", icon=":material/save:")
    dirty = drafts.dirty_rows(draft)
    if bar.button(words.t("grid.discard"), key=grid + drafts.DISCARD, icon=":material/undo:", disabled=not dirty):
        drafts.drop_draft(a.key, grid, selection.hides_names(a))
        messages.flash(grid, "grid.discarded")
        st.rerun()
    if dirty:
        bar.caption(words.t("grid.pending", n=dirty))
    if not submitted:
        return
    typed, refused = _unmasked(draft["rows"], draft["read"], draft.get("stored", stored_read), editable)
    if refused:
        st.error(words.t("grid.nothing_saved"), icon=":material/error:")
        messages.show_problems([Problem.of(sheet, row, column, "grid.hidden_cell") for row, column in refused], sheet)
        return
    changes = reviewing.review_changes(sheet, a, review.key, stored_rows(sheet, typed, stored_keys), lang=lang)
    if changes.problems:
        st.error(words.t("grid.nothing_saved"), icon=":material/error:")
        messages.show_problems(changes.problems, sheet)
    elif changes.empty:
        st.info(words.t("grid.nothing_to_save"), icon=":material/info:")
    else:
        grid_save.save_changes(a, grid, changes)  # the shared save: errors shown, caches cleared, flash, rerun
