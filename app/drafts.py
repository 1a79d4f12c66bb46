"""A person's unsaved grid (issue 10): the draft kept per (analysis, grid), its widget keys, and the
browser's warning before a reload while a draft holds edits.

A draft holds the rows as read (with their versions), what is shown in the grid, and the rows as the
person has them now. Kept in st.session_state per (analysis, grid), so edits survive a visit to another
screen and a switch of analysis, and so the frame given to st.data_editor stays the same object while
the person edits: with num_rows="dynamic" Streamlit 1.67 derives the widget's identity from the whole
data and config, so a frame rebuilt from another person's save would reset the grid and throw away what
was typed (data_editor.py, compute_and_register_element_id).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from app.words import lang
from dnh_graph import editing
from dnh_graph.model import TABLES

__all__ = ["SAVE", "PENDING", "CONFIRM", "CANCEL", "EDITOR", "DRAFTS", "OWNERS", "PASTE", "PASTE_ADD", "PASTE_CLEAR",
           "DISCARD", "MINE", "THEIRS", "GUARD_ON", "GUARD_OFF", "session_drafts", "draft_id", "drop_draft",
           "editor_key", "new_epoch", "dirty_rows", "pending_edits", "saving_now", "capture", "fresh_draft",
           "rebuild", "draft_frame", "rebase", "unload_guard"]

# suffixes of a grid's widget keys
SAVE, PENDING, CONFIRM, CANCEL, EDITOR = "__save", "__pending", "__confirm", "__cancel", "__editor"
DRAFTS = "dnh_drafts"  # session key: {"analysis|grid": draft}
OWNERS = "dnh_draft_owner"  # session key: {editor key: (draft id, epoch) it was drawn for}
PASTE, PASTE_ADD, PASTE_CLEAR, DISCARD, MINE, THEIRS = (
    "__paste", "__paste_add", "__paste_clear", "__discard", "__mine", "__theirs")


def session_drafts() -> dict[str, dict[str, Any]]:
    return st.session_state.setdefault(DRAFTS, {})


def draft_id(analysis_key: str, grid: str, hidden: bool = False) -> str:
    """A draft per analysis and grid, and one more while sensitive names are hidden (``hidden``,
    :func:`app.selection.hides_names`): a draft typed while names were shown holds them, and is never
    drawn while they are hidden (nor a masked one once they show)."""
    return f"{analysis_key}|{grid}" + ("|hidden" if hidden else "")


def drop_draft(analysis_key: str, grid: str, hidden: bool = False) -> None:
    draft = session_drafts().pop(draft_id(analysis_key, grid, hidden), None)
    if draft is not None:
        st.session_state.pop(editor_key(grid, draft["epoch"]), None)


def editor_key(grid: str, epoch: int) -> str:
    return grid + EDITOR if not epoch else f"{grid}{EDITOR}_{epoch}"


def new_epoch() -> int:
    n = st.session_state.get("dnh_draft_epoch", 0) + 1
    st.session_state["dnh_draft_epoch"] = n
    return n


def _columns(draft: Mapping[str, Any]) -> list[str]:
    return draft["columns"]


def dirty_rows(draft: Mapping[str, Any]) -> int:
    """How many rows differ from what was read (new non-blank rows, edits, deletions)."""
    if "read" in draft:  # a grid of one review: a fixed row per item, compared by position
        return sum(1 for row, read in zip(draft["rows"], draft["read"]) if row != read)
    base = draft["base"]
    rows = draft["rows"]
    seen = {r["id"] for r in rows if r.get("id") is not None}
    changed = sum(1 for r in rows if r.get("id") is not None and base.get(r["id"]) != r)
    added = sum(1 for r in rows if r.get("id") is None and not _blank_row(r, draft))
    return changed + added + sum(1 for i in base if i not in seen)


def _blank_row(row: Mapping[str, Any], draft: Mapping[str, Any]) -> bool:
    bools = draft["bools"]
    for name in _columns(draft):
        value = row.get(name)
        if name in bools:
            if value is not None and bool(value) != bools[name]:
                return False
        elif value is not None and str(value).strip() != "" and not (isinstance(value, float) and value != value):
            return False
    return True


def pending_edits() -> bool:
    """Some grid of this session holds edits not yet saved (the browser then warns before a reload)."""
    return any(dirty_rows(d) for d in session_drafts().values())


def capture(draft_id: str, key: str) -> None:
    """on_change of a grid: keep what the person has in the grid in their draft (before the script runs)."""
    draft = session_drafts().get(draft_id)
    state = st.session_state.get(key)
    if draft is not None and state is not None:
        draft["rows"] = editing.apply_edits(draft["shown"], state, _columns(draft))


def fresh_draft(sheet: str, records: Sequence[Any], rows: list[dict], rev: int, columns: list[str],
                epoch: int) -> dict[str, Any]:
    bools = {c.name: bool(editing._defaults(sheet).get(c.name)) for c in TABLES[sheet].columns if c.kind == "bool"}
    return {"revision": rev, "lang": lang(), "originals": {r.id: r for r in records},
            "base": {r["id"]: r for r in rows}, "shown": rows, "rows": [dict(r) for r in rows],
            "columns": columns, "bools": bools, "epoch": epoch, "conflicts": [], "token": uuid.uuid4().hex}


def rebuild(draft: dict[str, Any], rows: list[dict]) -> None:
    """Show ``rows`` in a new grid (a new widget key: the old widget's edits are in ``rows`` already)."""
    draft["shown"] = [dict(r) for r in rows]
    draft["rows"] = [dict(r) for r in rows]
    draft["epoch"] = new_epoch()
    draft["token"] = uuid.uuid4().hex


@st.cache_resource(ttl=3600, max_entries=64, show_spinner=False)
def draft_frame(token: str, _build) -> Any:
    """The frame of one build of a draft's rows, made once (``st.data_editor`` copies what it is given):
    ``token`` is new at every build, unique to the session. Evicted, it is built again, identical."""
    return _build()


def rebase(draft: dict[str, Any], records: Sequence[Any], current_rows: list[dict], keep=()) -> None:
    """Rows the person did not touch take the values saved now (their originals move on too)."""
    by_id = {r.id: r for r in records}
    shown_now = {r["id"]: r for r in current_rows}
    rows = editing.rebase(draft["rows"], draft["base"], current_rows, keep)
    touched = {r["id"] for r in rows if r.get("id") is not None and draft["base"].get(r["id"]) != r} | set(keep)
    touched |= {i for i in draft["base"] if i not in {r.get("id") for r in draft["rows"]}}  # my deletions
    for i in list(by_id):
        if i not in touched:
            draft["originals"][i] = by_id[i]
            draft["base"][i] = shown_now[i]
    for i in list(draft["originals"]):
        if i not in by_id and i not in touched:
            draft["originals"].pop(i)
            draft["base"].pop(i, None)
    rebuild(draft, rows)


def saving_now() -> bool:
    """A grid's Save or delete confirmation is being handled in this run (the revision shown is pinned)."""
    state = st.session_state
    return any(isinstance(k, str) and ((k.endswith(SAVE) or k.endswith(CONFIRM)) and state.get(k) is True
                                       or k.endswith(PENDING) and bool(state.get(k)))
               for k in list(state.keys()))


# Issue 10: a reload or a closed tab ends the session and its drafts, so while any grid holds unsaved
# edits the browser asks first. Two constant scripts (nothing user-written, DESIGN §9), run in the app's
# page by st.html: one listener installed once reads a flag, which each run sets. Reruns redraw the
# element only when its text changes, so the text differs by state.
_GUARD = ("<script>(function(){var w=window;if(!w.dnhGuard){w.dnhGuard=true;w.addEventListener('beforeunload',"
          "function(e){if(w.dnhPending){e.preventDefault();e.returnValue='';}});}w.dnhPending=%s;})();</script>")
GUARD_ON, GUARD_OFF = _GUARD % "true", _GUARD % "false"


def unload_guard() -> None:
    """Called by the entry point on every run, after :func:`app.session.begin_run`."""
    if not st.session_state.get(DRAFTS):  # no grid shown yet: nothing drawn before the navigation exists
        return
    with st.sidebar:
        st.html(GUARD_ON if pending_edits() else GUARD_OFF, unsafe_allow_javascript=True, width="content")

