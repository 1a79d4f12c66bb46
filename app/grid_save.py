"""Saving a grid: the checks before the one transaction, deletions that take rows with them, and the
rows someone else changed meanwhile (who, when, "keep mine" / "keep theirs")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st
from sqlalchemy.exc import IntegrityError

from app import drafts, selection, session
from app.messages import flash, show_problems
from app.pickers import record_label
from app.words import column_label, lang, md, said, t
from dnh_graph import editing, model, privacy
from dnh_graph.model import TABLES, Analysis, InvalidInput, Problem
from dnh_graph.store import NotFoundError, StaleEditError, entity_key

__all__ = ["save_changes", "save_draft", "show_conflicts"]


def _dependents(a: Analysis, sheet: str, deletes: Sequence[Any]) -> list[tuple[Any, dict[str, int]]]:
    """The rows each deletion takes with it, from the analysis on screen (no database round trip)."""
    if not TABLES[sheet].keyed:
        return []
    found = [(record, model.dependents(a, sheet, record.key)) for record in deletes]
    return [(record, counts) for record, counts in found if counts]


def save_changes(a: Analysis, grid: str, changes: editing.GridChanges) -> bool:
    """Save a grid's changes in one transaction; on success clear the loaders, flash and rerun.

    Rejected rows are listed (``changes.locate`` turns the session.store's positions into grid rows); a stale
    row or a deleted analysis is a sentence. Nothing is saved in those cases and the grid keeps its edits;
    the answer is False after a stale row (the caller may explain it better).
    """
    try:
        session.store().save_rows(a.key, changes.sheet, upserts=changes.upserts, deletes=changes.deletes)
    except InvalidInput as error:
        st.error(t("grid.nothing_saved"), icon=":material/error:")
        show_problems(changes.locate(error.problems), changes.sheet, _mask(a))
        return True
    except StaleEditError as error:
        st.error(md(said(error, _mask(a))), icon=":material/sync_problem:")
        return False
    except NotFoundError:
        st.error(t("common.analysis_gone"), icon=":material/error:")
        return True
    except IntegrityError:  # two saves inserting the same new key at once (SQLite): no SQL text on screen
        st.error(t("grid.save_race"), icon=":material/sync_problem:")
        return True
    st.session_state.pop(grid + drafts.PENDING, None)
    drafts.drop_draft(a.key, grid, selection.hides_names(a))
    session.clear_caches()
    flash(grid, "grid.saved", added=len(changes.inserted), changed=len(changes.updated),
          deleted=len(changes.deletes))
    st.rerun()


def _mask(a: Analysis) -> Callable[[str], str] | None:
    """What masks a sentence about ``a``'s rows while names are hidden (None: names are shown)."""
    return privacy.redactor(a) if selection.hides_names(a) else None


def _typed_rows(a: Analysis, sheet: str, draft: Mapping[str, Any], fixed: Mapping[str, Any]) -> list[dict] | None:
    """The draft's rows ready to save: while names are hidden, each masked cell left alone back to its
    stored value and a pseudonym typed as a reference to the actor behind it; None (said why) when a
    masked cell was changed."""
    if not selection.hides_names(a):
        return draft["rows"]
    stored = editing.display_rows(sheet, draft["originals"].values(), lang(), editing.ref_labels(a, sheet),
                                  drop=tuple(fixed))
    refs = [c.name for c in TABLES[sheet].columns if c.kind == "ref" and c.ref == "actors"]
    rows, refused = privacy.unmask_rows(draft["rows"], draft["base"], {r["id"]: r for r in stored}, refs,
                                        privacy.actor_aliases(a))
    if refused:
        st.error(t("grid.nothing_saved"), icon=":material/error:")
        show_problems([Problem.of(sheet, row, column, "grid.hidden_cell") for row, column in refused], sheet)
        return None
    return rows


def save_draft(a: Analysis, sheet: str, grid: str, draft: dict[str, Any], records: Sequence[Any],
               fixed: Mapping[str, Any], key_prefix: str | None, submitted: bool, pending: Any) -> None:
    typed = _typed_rows(a, sheet, draft, fixed)
    if typed is None:
        st.session_state.pop(grid + drafts.PENDING, None)
        return
    now = session.store().load(a.key)  # the rows saved now: names to resolve, keys taken, versions to compare
    in_grid = {r.id for r in records} | set(draft["originals"])
    taken = [r.key for r in now.rows(sheet) if r.id not in in_grid] if TABLES[sheet].keyed else []
    changes = editing.diff(sheet, typed, draft["originals"].values(), fixed, key_prefix, taken,
                           lang=lang(), refs=model.reference_names(now))
    if changes.problems:
        st.session_state.pop(grid + drafts.PENDING, None)
        st.error(t("grid.nothing_saved"), icon=":material/error:")
        show_problems(changes.problems, sheet, _mask(a))
        return
    if submitted and changes.empty:
        st.info(t("grid.nothing_to_save"), icon=":material/info:")
        return
    conflicts = editing.find_conflicts(changes, now.rows(sheet), lang(), editing.ref_labels(now, sheet))
    if conflicts:
        st.session_state.pop(grid + drafts.PENDING, None)
        _refuse_conflicts(a, sheet, grid, draft, conflicts)
        return
    doomed = sorted(r.id for r in changes.deletes)
    if submitted:
        if not _dependents(now, sheet, changes.deletes):
            if not save_changes(a, grid, changes):
                _after_stale(a, sheet, grid, draft, fixed, key_prefix)
            return
        st.session_state[grid + drafts.PENDING] = doomed
    elif pending != doomed:  # the grid changed under the question: ask again
        st.session_state.pop(grid + drafts.PENDING, None)
        return
    _confirm_deletes(now, a, grid, changes, draft, fixed, key_prefix)


def _after_stale(a, sheet, grid, draft, fixed, key_prefix) -> None:
    """The store found a stale row our check did not (a save landed in between): explain it as a conflict."""
    now = session.store().load(a.key)
    typed = _typed_rows(a, sheet, draft, fixed)
    if typed is None:
        return
    changes = editing.diff(sheet, typed, draft["originals"].values(), fixed, key_prefix,
                           lang=lang(), refs=model.reference_names(now))
    conflicts = editing.find_conflicts(changes, now.rows(sheet), lang(), editing.ref_labels(now, sheet))
    if conflicts:
        _refuse_conflicts(a, sheet, grid, draft, conflicts)


def _refuse_conflicts(a: Analysis, sheet: str, grid: str, draft: dict[str, Any],
                      conflicts: list[editing.Conflict]) -> None:
    """Remember who changed what (the audit log), move untouched rows on, and show it all on the next run."""
    entries = session.store().audit_entries(a.key)
    found = []
    for c in conflicts:
        names = {entity_key(sheet, c.current)} if c.current is not None else set()
        original = draft["originals"].get(c.id)
        if original is not None:
            names.add(entity_key(sheet, original))
        who_when = editing.last_change(entries, sheet, names)
        found.append((c, who_when))
    draft["conflicts"] = found
    draft["rebase"] = True  # the next run moves untouched rows onto the saved ones, keeping these as typed
    session.clear_caches()
    st.rerun()


def _when(at: Any) -> str:
    if isinstance(at, dt.datetime):
        return at.strftime("%Y-%m-%d %H:%M UTC")
    return str(at) if at else t("grid.sometime")


def _changed_columns(draft: Mapping[str, Any], row: Mapping[str, Any] | None, row_id: int) -> set[str] | None:
    """The columns a person changed in a row, against the row as they read it (None: deleted or unknown)."""
    read = draft["base"].get(row_id)
    if row is None or read is None:
        return None
    return {c for c in draft["columns"] if row.get(c) != read.get(c)}


def show_conflicts(a: Analysis, sheet: str, grid: str, draft: dict[str, Any], records: Sequence[Any],
                   fixed: Mapping[str, Any], key_prefix: str | None, current_rows) -> None:
    """The rows refused because someone else changed them: who, when, yours and theirs, and two buttons."""
    if not draft["conflicts"]:
        return
    mask = _mask(a) or str
    by_row = {r.get("id"): n for n, r in enumerate(draft["rows"], start=1)}
    mine = {r.get("id"): r for r in draft["rows"]}
    for conflict, who_when in draft["conflicts"]:
        who, at = who_when if who_when else (t("grid.someone"), None)
        row = by_row.get(conflict.id, conflict.row)
        msgid = "grid.conflict_deleted" if conflict.current is None else "grid.conflict"
        st.warning(t(msgid, row=row, name=md(mask(conflict.name)), who=md(who or t("grid.someone")), when=_when(at)),
                   icon=":material/sync_problem:")
        changed = _changed_columns(draft, mine.get(conflict.id), conflict.id)
        differences = [d for d in conflict.differences if changed is None or d[0] in changed]
        if differences:  # the columns this person changed: theirs, and what is saved now
            st.dataframe({t("grid.column"): [column_label(sheet, c) for c, _, _ in differences],
                          t("grid.yours"): [t("grid.deleted_now") if y is None else mask(str(y))
                                            for _, y, _ in differences],
                          t("grid.now"): [t("grid.deleted_now") if n is None else mask(str(n))
                                          for _, _, n in differences]},
                         hide_index=True, width="stretch")
    bar = st.container(horizontal=True, vertical_alignment="center")
    if bar.button(t("grid.keep_mine"), key=grid + drafts.MINE, type="primary",
                  icon=":material/published_with_changes:"):
        now_rows, saved = {r["id"]: r for r in current_rows()}, {r.id: r for r in records}
        ids = {c.id for c, _ in draft["conflicts"]}
        rows = []
        for row in draft["rows"]:
            i = row.get("id")
            if i not in ids:
                rows.append(row)
            elif i in saved and i in now_rows:  # the columns I changed, on top of the version saved now
                changed = _changed_columns(draft, row, i) or set()
                rows.append({**now_rows[i], **{c: row[c] for c in changed}})
                draft["base"][i], draft["originals"][i] = now_rows[i], saved[i]
            else:  # deleted meanwhile: my row comes back as a new one
                draft["base"].pop(i, None)
                draft["originals"].pop(i, None)
                rows.append({**row, "id": None})
        for i in ids - {r.get("id") for r in draft["rows"]}:  # my deletion, on the version saved now
            if i in saved and i in now_rows:
                draft["base"][i], draft["originals"][i] = now_rows[i], saved[i]
        draft["conflicts"] = []
        drafts.rebuild(draft, rows)
        save_draft(a, sheet, grid, draft, records, fixed, key_prefix, True, None)
        st.rerun()
    if bar.button(t("grid.keep_theirs"), key=grid + drafts.THEIRS, icon=":material/undo:"):
        ids = {c.id for c, _ in draft["conflicts"]}
        now = {r["id"]: r for r in current_rows()}
        rows = []
        for row in draft["rows"]:
            if row.get("id") in ids:
                if row["id"] in now:
                    rows.append(dict(now[row["id"]]))
                continue
            rows.append(row)
        present = {r.get("id") for r in rows}
        rows.extend(dict(now[i]) for i in ids if i in now and i not in present)  # rows I had deleted
        saved = {r.id: r for r in records}
        for i in ids:
            if i in now and i in saved:
                draft["base"][i] = now[i]
                draft["originals"][i] = saved[i]
            else:
                draft["base"].pop(i, None)
                draft["originals"].pop(i, None)
        draft["conflicts"] = []
        drafts.rebuild(draft, rows)
        flash(grid, "grid.kept_theirs")
        st.rerun()


def _confirm_deletes(now: Analysis, a: Analysis, grid: str, changes: editing.GridChanges,
                     draft: dict[str, Any], fixed, key_prefix) -> None:
    sheet = changes.sheet
    mask = _mask(a) or str
    lines = []
    for record, counts in _dependents(now, sheet, changes.deletes):
        what = ", ".join(f"{n} {t('sheet.' + other)}" for other, n in counts.items())
        lines.append("- " + t("grid.delete_takes", row=md(mask(record_label(sheet, record))), what=what))
    box = st.warning(t("grid.delete_question") + "\n\n" + "\n".join(lines), icon=":material/warning:")
    left, right = st.columns(2)
    if left.button(t("grid.delete_confirm"), key=grid + drafts.CONFIRM, type="primary", icon=":material/delete:"):
        if not save_changes(a, grid, changes):
            _after_stale(a, sheet, grid, draft, fixed, key_prefix)
        return
    if right.button(t("grid.delete_cancel"), key=grid + drafts.CANCEL):
        st.session_state.pop(grid + drafts.PENDING, None)
        box.empty()
        st.info(t("grid.delete_cancelled"), icon=":material/info:")
