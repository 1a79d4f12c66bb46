"""The editable grid of one table: its columns, the per-person draft it shows, Save, Discard, paste rows.

How a save is checked and what a refused row shows is :mod:`app.grid_save`; the draft itself is
:mod:`app.drafts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from app import drafts, grid_save, selection, session
from app.messages import flash, show_flash
from app.selection import revision
from app.words import column_label, labels, lang, md, t
from dnh_graph import editing, model, privacy
from dnh_graph.i18n import translate
from dnh_graph.model import TABLES, Analysis

__all__ = ["WIDTHS", "column_config", "edit_table"]

# Column widths in pixels: the columns a workshop fills first stay in view at 1280 px.
# Pixels of a grid row, set rather than left to Streamlit's default: the tallest Khmer clusters of the 14 px
# grid font (ញ្ញ៉ុំ, ក្ស្ត្រ៊ី) have 16 px of ink above the baseline and 8 below (canvas measureText with the
# shipped Noto Sans Khmer), which a 35 px row holds; the browser tests click cells at this pitch.
ROW_HEIGHT = 35

WIDTHS = {
    "key": 70, "name": 230, "title": 230, "type": 150, "stance": 110, "influence": 90, "description": 320,
    "sensitive": 90, "tags": 150, "source": 210, "target": 210, "strength": 90, "directed": 90, "note": 260,
    "kind": 110, "category": 180, "priority": 80, "factor": 230, "actor": 230, "role": 120, "question": 120,
    "activity": 170, "active": 80, "detail": 230, "effect": 120, "magnitude": 100, "mechanism": 200,
    "pattern": 220, "confidence": 110, "evidence": 280, "observed_on": 130, "option": 200, "feasibility": 100,
    "cost": 80, "status": 110, "side_effects": 280, "review": 200, "date": 130, "events": 320,
    "criterion": 280, "rating": 100, "recommendation": 280,
}


def column_config(sheet: str, a: Analysis, overrides: Mapping[str, Any] | None = None,
                  widths: Mapping[str, int] | None = None) -> dict[str, Any]:
    """``st.data_editor`` columns from the table spec: text cells for everything but checkboxes.

    Issue 10: a dropdown drops a pasted label it does not know, a number column clamps 9 to 5 and refuses
    "abc", a required column makes the browser drop a new row. So every cell is text the server parses
    (:func:`dnh_graph.model.parse_row`: a choice by key or label, a reference by key or name) and each
    column's help says what it takes. The config depends on nothing but the language, so the grid keeps
    its identity while other people save (``st.data_editor`` resets on any change of it).
    """
    config: dict[str, Any] = {}
    cc = st.column_config
    for col in TABLES[sheet].columns:
        title = column_label(sheet, col.name)
        help_text = translate(f"colhelp.{sheet}.{col.name}", lang(), default="") or \
            translate(f"colhelp.{col.name}", lang(), default="")
        if col.kind == "enum":
            shown = ", ".join(v for v in labels(col.vocabulary).values() if v and v != labels(col.vocabulary).get(""))
            help_text = " ".join(x for x in (help_text, t("grid.choices_help", choices=shown)) if x)
        elif col.kind == "ref":
            help_text = " ".join(x for x in (help_text, t("grid.ref_help", what=t("sheet." + col.ref))) if x)
        elif col.kind == "int":
            help_text = help_text or t("grid.number_help", lo=col.lo, hi=col.hi)
        elif col.kind == "date":
            help_text = " ".join(x for x in (help_text, t("grid.date_help")) if x)
        width = (widths or {}).get(col.name) or WIDTHS.get(col.name, "medium")
        if col.kind == "bool":
            default = editing._defaults(sheet).get(col.name)
            config[col.name] = cc.CheckboxColumn(title, default=default, help=help_text or None, width=width)
        else:
            config[col.name] = cc.TextColumn(title, help=help_text or None, width=width)
    config.update({"id": None, "version": None})
    config.update(overrides or {})
    return config


def _grid_columns(sheet: str, fixed: Mapping[str, Any]) -> list[str]:
    return [c.name for c in TABLES[sheet].columns if c.name not in fixed]


def edit_table(sheet: str, a: Analysis, grid: str, *, records: Sequence[Any] | None = None,
               fixed: Mapping[str, Any] | None = None, key_prefix: str | None = None,
               extra: Mapping[str, Sequence[Any]] | None = None, overrides: Mapping[str, Any] | None = None,
               height: int | None = None, order: Sequence[str] | None = None,
               widths: Mapping[str, int] | None = None, locked: Sequence[str] = (), rows: str = "dynamic",
               paste: bool = True) -> None:
    """An editable grid of one table with Save, Discard and a "paste rows" box.

    What the person types lives in their draft (see above) until Save, which goes through
    :func:`dnh_graph.editing.diff` (every row parsed as an import parses it) and one
    :meth:`Store.save_rows` transaction, each changed row checked against the version it was read at.
    A row someone else changed meanwhile is refused with who and when, the person's values stay in
    the grid beside the saved ones, and one click saves theirs on the new version. Rejected rows are
    listed one ``st.error`` each and stay in the grid; deleting a row that others refer to first says
    what goes with it and asks for confirmation.

    While names are hidden (:func:`app.selection.hides_names`) the grid shows its records as the
    pseudonymised analysis does (a sensitive actor's row by its pseudonym, references to it by
    pseudonym, free text masked) from a draft of its own, so nothing typed while names were shown is
    drawn; the save puts every masked cell left alone back to its stored value and refuses one that
    was changed (:func:`dnh_graph.privacy.unmask_rows`). ``locked``: columns shown but not editable;
    ``rows``: ``st.data_editor``'s ``num_rows``; ``paste``: whether to offer the paste box.
    """
    records = list(a.rows(sheet) if records is None else records)
    fixed = dict(fixed or {})
    drop = tuple(fixed)
    columns = _grid_columns(sheet, fixed)
    extra_names = list(extra or ())
    rev = revision(a.key)

    hide = selection.hides_names(a)
    shown = selection.shown_of(a)
    draft_id = drafts.draft_id(a.key, grid, hide)

    def current_rows() -> list[dict]:
        seen = privacy.shown_records(a, sheet, records) if hide else records
        return editing.display_rows(sheet, seen, lang(), editing.ref_labels(shown, sheet), drop=drop, extra=extra)

    if not session.may("edit", a.key):  # a viewer reads the grid (masked as above); the store refuses a save
        st.dataframe(editing.display_frame(sheet, current_rows(), drop=drop, extra=extra_names), hide_index=True,
                     column_config=column_config(sheet, a, overrides, widths), width="stretch", column_order=order)
        return
    held, owners = drafts.session_drafts(), st.session_state.setdefault(drafts.OWNERS, {})
    draft = held.get(draft_id)
    if draft is None:
        draft = held[draft_id] = drafts.fresh_draft(sheet, records, current_rows(), rev, columns, 0)
    key = drafts.editor_key(grid, draft["epoch"])
    alive = owners.get(key) == (draft_id, draft["epoch"]) and key in st.session_state
    if alive:  # AppTest sets the state without on_change; a browser's on_change already did this
        draft["rows"] = editing.apply_edits(draft["shown"], st.session_state[key], columns)
    elif owners.get(key) not in (None, (draft_id, draft["epoch"])):  # this key last drew another draft
        drafts.rebuild(draft, draft["rows"])
    dirty = drafts.dirty_rows(draft)
    if draft["revision"] != rev:
        if not dirty:
            st.session_state.pop(key, None)
            epoch = draft["epoch"]
            draft = held[draft_id] = drafts.fresh_draft(sheet, records, current_rows(), rev, columns, epoch)
        elif not alive or draft.pop("rebase", False):
            drafts.rebase(draft, records, current_rows(), keep=[c.id for c, _ in draft["conflicts"]])
            draft["revision"] = rev
    if not alive and draft["rows"] != draft["shown"]:  # back from another screen: show the draft
        drafts.rebuild(draft, draft["rows"])
    key = drafts.editor_key(grid, draft["epoch"])
    owners[key] = (draft_id, draft["epoch"])

    show_flash(grid)
    grid_save.show_conflicts(a, sheet, grid, draft, records, fixed, key_prefix, current_rows)
    if dirty and draft["revision"] != rev:
        st.caption(t("grid.moved_on"))
    config = column_config(sheet, a, overrides, widths)
    frame = drafts.draft_frame(draft["token"], lambda: editing.display_frame(sheet, draft["shown"], drop=drop,
                                                                      extra=extra_names))
    st.data_editor(frame, key=key, num_rows=rows, row_height=ROW_HEIGHT, hide_index=True, column_config=config,
                   disabled=[*extra_names, *locked], width="stretch", height=height or "auto", column_order=order,
                   on_change=drafts.capture, args=(draft_id, key))
    # one row that wraps (not columns): in a half-width column at 1024 px the labels stay whole
    bar = st.container(horizontal=True, vertical_alignment="center")
    submitted = bar.button(t("grid.save"), key=grid + drafts.SAVE, type="primary", icon=":material/save:",
                           help=t("grid.hint"))
    dirty = drafts.dirty_rows(draft)
    if bar.button(t("grid.discard"), key=grid + drafts.DISCARD, icon=":material/undo:", disabled=not dirty):
        drafts.drop_draft(a.key, grid, hide)
        st.session_state.pop(grid + drafts.PENDING, None)
        flash(grid, "grid.discarded")
        st.rerun()
    if dirty:
        bar.caption(t("grid.pending", n=dirty))
    if paste:
        _paste_box(sheet, a, grid, draft, columns, order, fixed)
    pending = st.session_state.get(grid + drafts.PENDING)
    if submitted or pending:
        grid_save.save_draft(a, sheet, grid, draft, records, fixed, key_prefix, submitted, pending)



def _paste_box(sheet: str, a: Analysis, grid: str, draft: dict[str, Any], columns: list[str],
               order: Sequence[str] | None, fixed: Mapping[str, Any]) -> None:
    """Rows copied from a spreadsheet, mapped by header or position, previewed, then added to the grid."""
    shown_order = [c for c in (order or columns) if c in columns] + [c for c in columns if c not in (order or ())]
    titles = {c: column_label(sheet, c) for c in shown_order}
    if st.session_state.pop(grid + drafts.PASTE_CLEAR, False):
        st.session_state.pop(grid + drafts.PASTE, None)
    with st.expander(t("grid.paste_title"), icon=":material/content_paste:",
                     expanded=bool(st.session_state.get(grid + drafts.PASTE))):
        st.caption(t("grid.paste_help", columns=md(", ".join(titles.values()))))
        text = st.text_area(t("grid.paste_box"), key=grid + drafts.PASTE, height=120)
        pasted = editing.paste_rows(text or "", shown_order, titles)
        if pasted.rows:
            mapping = ", ".join(f"{md(raw)} → {md(titles[col]) if col else t('grid.paste_ignored')}"
                                for raw, col in pasted.mapping)
            st.caption(t("grid.paste_header" if pasted.header else "grid.paste_positional", mapping=mapping))
            st.caption(t("grid.paste_preview", n=len(pasted.rows)))
            st.dataframe({titles[c]: [r.get(c, "") for r in pasted.rows] for c in shown_order},
                         hide_index=True, width="stretch", height=min(300, 40 + 35 * len(pasted.rows)))
            refs = model.reference_names(a)
            # while names are hidden a pseudonym pasted as a reference is the actor behind it (as on save)
            aliases = privacy.actor_aliases(a) if selection.hides_names(a) else {}
            actor_refs = [c.name for c in TABLES[sheet].columns if c.kind == "ref" and c.ref == "actors"]
            problems = []
            for n, row in enumerate(pasted.rows, start=1):
                raw = {**row, **{c: aliases.get(str(row[c]).strip(), row[c]) for c in actor_refs if c in row}, **fixed}
                if TABLES[sheet].keyed and not str(raw.get("key") or "").strip():
                    raw["key"] = "new"  # numbered on save
                problems.extend(model.parse_row(sheet, raw, n, lang=lang(), refs=refs)[1])
            if problems:
                st.warning(t("grid.paste_problems"), icon=":material/warning:")
                for p in problems:
                    column = column_label(sheet, p.column)
                    st.caption(t("grid.paste_row", row=p.row, text=f"{md(column)}: {md(p.message)}"))
        if st.button(t("grid.paste_add"), key=grid + drafts.PASTE_ADD, icon=":material/playlist_add:"):
            if not pasted.rows:
                st.info(t("grid.paste_empty"), icon=":material/info:")
                return
            blank = {c: (draft["bools"].get(c, "")) for c in columns}
            extra = [k for k in (draft["shown"][0] if draft["shown"] else {}) if k not in columns and k != "id"]
            added = [{**blank, **{k: "" for k in extra}, **row, "id": None} for row in pasted.rows]
            drafts.rebuild(draft, [*draft["rows"], *added])
            st.session_state[grid + drafts.PASTE_CLEAR] = True
            flash(grid, "grid.pasted", n=len(added))
            st.rerun()
