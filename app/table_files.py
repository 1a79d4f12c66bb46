"""Import / export one table: CSV and XLSX downloads, and a CSV or XLSX file in (all or nothing)."""

from __future__ import annotations

import functools

import streamlit as st

from app import session
from app.messages import flash, show_problems
from app.selection import hides_names
from app.words import md, said, t
from dnh_graph import keys, privacy, tables
from dnh_graph.model import Analysis, InvalidInput
from dnh_graph.store import StaleEditError

__all__ = ["table_io", "table_bytes"]


def _file_stem(a: Analysis, sheet: str) -> str:
    return f"{keys.slug(a.key)}-{sheet}"


def table_bytes(write, a: Analysis, sheet: str, hide: bool) -> bytes:
    """A table's download, made when the button is pressed: pseudonymised while names are hidden."""
    return write(privacy.shown(a, hide), sheet)


def table_io(sheet: str, a: Analysis, grid: str) -> None:
    """The "Import / export this table" control: CSV and XLSX out, a CSV or XLSX file in (all or nothing).

    ``a`` is the analysis as stored (an import is matched against the stored rows); the downloads are
    pseudonymised while names are hidden, and the import is then closed: a pseudonymised file brought
    back would write ``Actor A1`` over a sensitive actor's stored name and description.
    """
    hide = hides_names(a)
    with st.expander(t("io.title", table=t("sheet." + sheet)), icon=":material/import_export:"):
        st.caption(t("io.explain"))
        left, right = st.columns(2)
        left.download_button(t("io.csv"), data=functools.partial(table_bytes, tables.table_to_csv_bytes, a, sheet,
                                                                 hide),
                             file_name=_file_stem(a, sheet) + ".csv", mime="text/csv", on_click="ignore",
                             key=grid + "__csv", icon=":material/download:")
        right.download_button(
            t("io.xlsx"), data=functools.partial(table_bytes, tables.table_to_xlsx_bytes, a, sheet, hide),
            file_name=_file_stem(a, sheet) + ".xlsx", on_click="ignore", key=grid + "__xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")
        if not session.may("edit", a.key):  # a viewer's downloads, no import (the store would refuse it)
            st.caption(t("io.import_viewer"))
            return
        if hide:  # the switch's sentence only to those who have the switch
            st.caption(t("io.import_hidden" if session.access(a.key).reveal else "io.import_hidden_locked"))
            return
        upload = st.file_uploader(t("io.upload"), type=list(tables.UPLOAD_TYPES), key=grid + "__upload")
        if st.button(t("io.import"), key=grid + "__import", disabled=upload is None, icon=":material/upload:"):
            _import(sheet, a, upload, grid)


def _import(sheet: str, a: Analysis, upload, grid: str) -> None:
    try:
        rows = tables.rows_from_upload(sheet, upload.name, upload.getvalue())
    except InvalidInput as error:
        st.error(t("io.nothing_imported"), icon=":material/error:")
        show_problems(error.problems, sheet)
        return
    plan = tables.plan_import(sheet, rows, a.rows(sheet))
    try:
        if plan.problems:
            raise InvalidInput(plan.problems)
        session.store().save_rows(a.key, sheet, upserts=plan.upserts)
    except InvalidInput as error:
        st.error(t("io.nothing_imported"), icon=":material/error:")
        show_problems(error.problems if plan.problems else plan.locate(error.problems), sheet)
        return
    except StaleEditError as error:
        st.error(md(said(error)), icon=":material/sync_problem:")
        return
    session.clear_caches()
    flash(grid, "io.imported", added=plan.added, changed=plan.updated, unchanged=plan.unchanged)
    st.rerun()
