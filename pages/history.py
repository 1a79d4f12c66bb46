"""History: who changed what in this analysis and when, before and after; undo one change; restore a copy
of the analysis as of a moment (issue 13). The rules are in :mod:`dnh_graph.history` and the store."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from app import messages, pickers, selection, session, words
from dnh_graph import history
from dnh_graph.model import TABLES, InvalidInput
from dnh_graph.store import NotFoundError, StaleEditError, history_page

t = words.t
UNDO, RESTORE = "hist_undo", "hist_restore"  # flash keys: each message shows beside its button
CURSOR = "hist_cursor"  # (filters, page older than entry #, its first's place); new filters start over
a = selection.require_editable()  # the stored analysis: the store masks the history against its stored rows
st.title(t("page.history"), anchor=False)
st.caption(t("history.intro"))


def refused(error: Exception, icon: str) -> None:
    """A refusal or error names a row by its key ("actor 'sok_dara'"): masked as the entries are (the whole
    history is read for it, only when something was refused)."""
    mask = history.sentence_masker(session.store().changes(a.key), a) if session.names_hidden() else None
    st.error(words.md(words.said(error, mask)), icon=icon)


def entity_label(entity: str) -> str:
    return t(f"sheet.{entity}") if entity in TABLES else t(f"history.entity.{entity}")


def action_label(change: history.Change) -> str:
    label = t(f"history.action.{change.action}")
    return t("history.undo_of", action=label, id=change.undo_of) if change.undo_of else label


def when(change: history.Change) -> str:
    return change.at.strftime("%Y-%m-%d %H:%M:%S")


def change_label(change: history.Change) -> str:
    """``#12 · 2026-12-03 11:58:02 · dara · updated · actors A3`` (plain text for a selectbox)."""
    return " · ".join((f"#{change.id}", when(change), change.who, action_label(change),
                       f"{entity_label(change.entity)} {change.entity_key}"))


everyone, changed = history_page.choices(session.store(), a.key)
people_col, tables_col, days_col = st.columns(3)
people = people_col.multiselect(t("history.filter_people"), everyone, key="hist_people",
                                placeholder=t("history.everyone"))
entities = tables_col.multiselect(t("history.filter_tables"), sorted(changed, key=lambda e: (
    e not in history.DATA_ENTITIES, history.DATA_ENTITIES.index(e) if e in history.DATA_ENTITIES else 0, e)),
    format_func=entity_label, key="hist_tables", placeholder=t("history.all_tables"))
days = days_col.date_input(t("history.filter_days"), value=(), format="YYYY-MM-DD", key="hist_days",
                           help=t("history.filter_days_help"))
start = days[0] if len(days) > 0 else None
filters = history_page.Filters(tuple(people), tuple(entities), start, days[1] if len(days) > 1 else start)
if st.session_state.get(CURSOR, (filters,))[0] != filters:
    st.session_state[CURSOR] = (filters, None, 1)
_, before, first = st.session_state.get(CURSOR, (filters, None, 1))
found = history_page.page(session.store(), a.key, filters, before, size=history_page.PAGE_SIZE,
                         hide=session.names_hidden())

if not found.changes:
    st.info(t("history.none"), icon=":material/info:")
else:
    st.caption(t("history.page_range", first=first, last=first + len(found.changes) - 1, total=found.total))
    rows = []
    for change in found.changes:
        before_text, after_text = history.describe(change, words.lang())
        rows.append({"id": change.id, "at": when(change), "who": change.who,
                     "row": f"{entity_label(change.entity)} · {change.entity_key}", "action": action_label(change),
                     "before": before_text, "after": after_text})
    cc = st.column_config
    # widths in pixels: at 1280 px beside the sidebar, before and after fit without scrolling sideways
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="hist_table", column_config={
        "id": cc.NumberColumn("#", width=45), "at": cc.TextColumn(t("history.col.at"), width=145),
        "who": cc.TextColumn(t("history.col.who"), width=80), "row": cc.TextColumn(t("history.col.row"), width=150),
        "action": cc.TextColumn(t("history.col.action"), width=110),
        "before": cc.TextColumn(t("history.col.before"), width=190),
        "after": cc.TextColumn(t("history.col.after"), width=190)})
    newest_col, older_col = st.columns(2)
    if before is not None and newest_col.button(t("history.newest"), icon=":material/first_page:",
                                                key="hist_newest"):
        st.session_state[CURSOR] = (filters, None, 1)
        st.rerun()
    if found.older is not None and older_col.button(t("history.older"), icon=":material/navigate_next:",
                                                    key="hist_older"):
        st.session_state[CURSOR] = (filters, found.older, first + len(found.changes))
        st.rerun()

undo_col, restore_col = st.columns(2)
with undo_col.container(border=True):
    st.subheader(t("history.undo_title"), anchor=False)
    st.caption(t("history.undo_help"))
    messages.show_flash(UNDO)
    by_id = {c.id: c for c in found.changes if c.entity in history.UNDOABLE}
    if by_id:
        chosen = pickers.pick(t("history.pick_change"), list(by_id), "hist_undo_pick",
                         lambda i: change_label(by_id[i]))
        if st.button(t("history.undo"), icon=":material/undo:", key="hist_undo"):
            try:
                session.store().undo(a.key, chosen)
            except history.HistoryRefusal as refusal:
                refused(refusal, ":material/block:")
            except InvalidInput as error:
                st.error(t("history.undo_refused_rules"), icon=":material/block:")
                messages.show_problems([dataclasses.replace(p, row=None) for p in error.problems])
            except (StaleEditError, NotFoundError) as error:
                refused(error, ":material/sync_problem:")
            else:
                session.clear_caches()
                messages.flash(UNDO, "history.undone", id=chosen)
                st.rerun()
    else:
        st.caption(t("history.nothing_to_undo"))

with restore_col.container(border=True):
    st.subheader(t("history.restore_title"), anchor=False)
    st.caption(t("history.restore_help") + (" " + t("history.moments_on_page") if found.older is not None else ""))
    messages.show_flash(RESTORE)
    moments = {c.id: c for c in found.moments}  # one per save listed above: an import is one moment of many rows

    def moment_label(i: int) -> str:
        more = found.sizes.get(moments[i].txn, 1) - 1 if moments[i].txn else 0
        return change_label(moments[i]) + (t("history.and_more", n=more) if more else "")

    if moments:
        moment = pickers.pick(t("history.pick_moment"), list(moments), "hist_moment", moment_label)
        if st.button(t("history.restore"), icon=":material/restore:", key="hist_restore"):
            at = moments[moment].at
            try:
                copy = session.store().restore_as_of(a.key, at, history.copy_name(a.info.name, at, words.lang()))
            except history.HistoryRefusal as refusal:
                refused(refusal, ":material/block:")
            except (InvalidInput, StaleEditError, NotFoundError) as error:
                refused(error, ":material/sync_problem:")
            else:
                session.clear_caches()
                messages.flash(RESTORE, "history.restored", name=words.md(copy.info.name), key=copy.info.key)
                st.rerun()
    else:
        st.caption(t("history.nothing_to_restore"))
