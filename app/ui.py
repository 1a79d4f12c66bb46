"""What every screen shares (a module, not a page): the store, the loaders, ``t()``, and the grid.

Caching (STYLE.md): the store is one ``st.cache_resource`` per database URL. The analysis is loaded by
a loader keyed by (URL, analysis key, revision) with the store itself unhashed, cleared after every
write. One deviation, measured (bench/README.md, "Pages"): that loader is an ``st.cache_resource``,
not an ``st.cache_data``, because unpickling the 1,000-actor analysis on every cache hit cost 20–30 ms,
the largest part of a rerun. Its records are frozen dataclasses and every run gets its own shallow
copy of the analysis (new lists, shared frozen records, ~0.2 ms), so no run can change what another
sees. Grid tables are ``st.cache_data`` (a DataFrame unpickles in a millisecond), plotly figures are
``st.cache_resource`` (building one validates every property; ``st.plotly_chart`` only reads it).
Within one run the analysis, its scores and its harm pathways are remembered in a thread-local memo
that the entry point empties first (:func:`begin_run`): a session's script runs in its own thread,
one run at a time, so nothing is shared between people. ``st.session_state`` holds only ids and UI
choices: the selected analysis, the language, the revision each analysis was last shown at.

The revision a screen shows is pinned while a grid is being saved (its Save or delete-confirmation
button was pressed): the grid is redrawn from the very rows the person edited, so their typing is never
thrown away by someone else's save, and the store refuses a stale row with a sentence instead.

User text never reaches ``unsafe_allow_html``; where it goes into markdown (titles, messages) it passes
through :func:`md` first, so ``<script>`` is shown as text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import streamlit as st

from dnh_graph import editing, keys, model, scoring, settings, tables, vocab
from dnh_graph.i18n import available_languages, translate
from dnh_graph.model import CHILD_TABLES, MAX_KEY, MAX_TEXT, TABLES, Analysis, InvalidInput, Problem
from dnh_graph.store import NotFoundError, StaleEditError, Store

__all__ = [
    "ANALYSIS", "LANG", "begin_run", "store", "summaries", "database_url", "clear_caches", "table", "figure",
    "lang", "t", "label", "labels", "md",
    "selected_key", "select", "analysis", "require_analysis", "revision", "scores", "detail_scores", "pathways",
    "score_metrics",
    "record_label", "column_config", "edit_table", "save_changes", "table_io", "show_problems", "flash",
    "show_flash", "WIDTHS", "pick",
]

ANALYSIS = "dnh_analysis"  # session key: the selected analysis' key
LANG = "dnh_lang"  # session key: the chosen language
_SHOWN = "dnh_shown_revision"  # session key: {analysis key: revision last shown}
SAVE, PENDING, CONFIRM, CANCEL, EDITOR, FLASH = "__save", "__pending", "__confirm", "__cancel", "__editor", "__flash"


# --------------------------------------------------------------------------------- store, caches
def database_url() -> str:
    return settings.default_database_url()


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store.open(url)


def store() -> Store:
    """The store of this server's database (one engine per URL, shared by every session)."""
    return _store(database_url())


@st.cache_resource(ttl=3600, max_entries=16, show_spinner=False)
def _load(_store: Store, url: str, key: str, revision: int) -> Analysis:
    return _store.load(key)


def _private_copy(shared: Analysis) -> Analysis:
    """This run's own analysis: new lists around the shared, frozen records."""
    return dataclasses.replace(shared, **{table: list(shared.rows(table)) for table in CHILD_TABLES})


@st.cache_data(ttl=10, max_entries=8, show_spinner=False)
def _summaries(_store: Store, url: str) -> list:
    return _store.list_analyses()


@st.cache_data(ttl=3600, max_entries=128, show_spinner=False)
def _grid_frame(url: str, key: str, revision: int, lang: str, grid: str, _build):
    return _build()


_run = threading.local()  # this script run's memo (see the module docstring); emptied by begin_run()


def begin_run() -> None:
    """Called first by the entry point on every run: forget the previous run's memo."""
    _run.memo = {}
    chosen = st.session_state.get(LANG, "en")
    _run.lang = chosen if chosen in available_languages() else "en"


def _memo(name: str, key: str, revision: int, compute):
    memo = getattr(_run, "memo", None)
    if memo is None:
        memo = _run.memo = {}
    found = (name, database_url(), key, revision)
    if found not in memo:
        memo[found] = compute()
    return memo[found]


@st.cache_resource(ttl=3600, max_entries=64, show_spinner=False)
def _figure(url: str, key: str, revision: int, lang: str, name: str, _build):
    return _build()


def table(a: Analysis, name: str, build):
    """A read-only DataFrame of the analysis (pathways, per-detail scores), built once per (revision,
    language) and cached like the grids."""
    return _grid_frame(database_url(), a.key, revision(a.key), lang(), "table:" + name, build)


def figure(a: Analysis, name: str, build):
    """A plotly figure of the analysis, built once per (revision, language) and shared read-only.

    Building a figure validates every property (50–150 ms on the 1,000-actor analysis) and a figure
    unpickled from ``st.cache_data`` is validated again, so figures live in ``st.cache_resource``:
    ``st.plotly_chart`` only reads them (it serialises a copy).
    """
    return _figure(database_url(), a.key, revision(a.key), lang(), name, build)


def summaries() -> list:
    """The analyses of the workspace (key, name, counts), cached for 10 s and cleared by our writes."""
    memo = getattr(_run, "memo", None)
    if memo is None:
        memo = _run.memo = {}
    found = ("summaries", database_url())
    if found not in memo:
        memo[found] = _summaries(store(), database_url())
    return memo[found]


def clear_caches() -> None:
    """After a write: every loader forgets, so the next run reads the database."""
    _load.clear()
    _figure.clear()
    _summaries.clear()
    _grid_frame.clear()
    _run.memo = {}


# ------------------------------------------------------------------------------------------ words
def lang() -> str:
    """The chosen language, read once per run by :func:`begin_run` (checked against the catalogs)."""
    chosen = getattr(_run, "lang", None)
    return chosen if chosen is not None else st.session_state.get(LANG, "en")


def t(msgid: str, **params) -> str:
    """A message of the catalog in the chosen language."""
    return translate(msgid, lang(), **params)


def label(vocabulary: str, key: str) -> str:
    return vocab.label(vocabulary, key, lang())


def labels(vocabulary: str) -> dict[str, str]:
    """Every key of a vocabulary with its label in the chosen language (for long tables: one lookup)."""
    return vocab.labels(vocabulary, lang())


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")


def md(text: Any, limit: int | None = None) -> str:
    """User text made safe for markdown: every markup character escaped, so it shows as typed.

    >>> md("<img src=x onerror=alert(1)> *bold*")
    '\\\\<img src\\\\=x onerror\\\\=alert\\\\(1\\\\)\\\\> \\\\*bold\\\\*'
    """
    text = "" if text is None else str(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r\n", "\n").replace("\n", "  \n")


# ------------------------------------------------------------------------------- the analysis
def selected_key() -> str | None:
    return st.session_state.get(ANALYSIS)


def select(key: str | None) -> None:
    """Make ``key`` the selected analysis (before the picker is drawn, or followed by a rerun)."""
    st.session_state[ANALYSIS] = key


def _editing_now() -> bool:
    """A grid's Save or delete confirmation is being handled in this run."""
    state = st.session_state
    return any(isinstance(k, str) and ((k.endswith(SAVE) or k.endswith(CONFIRM)) and state.get(k) is True
                                       or k.endswith(PENDING) and bool(state.get(k)))
               for k in list(state.keys()))


def revision(key: str) -> int:
    """The revision this run shows for ``key`` (the current one, unless a grid save pins the last shown)."""
    def read() -> int:
        shown = st.session_state.setdefault(_SHOWN, {})
        if key in shown and _editing_now():
            return shown[key]
        shown[key] = store().revision(key)
        return shown[key]

    return _memo("revision", key, 0, read)


def analysis() -> Analysis | None:
    """The selected analysis, or None when there is none (or it was deleted meanwhile)."""
    key = selected_key()
    if not key:
        return None
    try:
        rev = revision(key)
        return _memo("analysis", key, rev, lambda: _private_copy(_load(store(), database_url(), key, rev)))
    except NotFoundError:
        return None


def require_analysis() -> Analysis:
    """The selected analysis; without one, say how to start and stop the page."""
    found = analysis()
    if found is None:
        st.info(t("common.no_analysis"), icon=":material/info:")
        st.stop()
    return found


def scores(a: Analysis) -> scoring.Scores:
    """Every score of DESIGN §5 but robustness (details, totals, ranked options), once per run."""
    return _memo("scores", a.key, revision(a.key), lambda: scoring.score(a, with_robustness=False))


def detail_scores(a: Analysis) -> tuple[list[scoring.DetailScore], scoring.Totals]:
    """Harm, help and net per detail, and the analysis' totals over active details, once per run."""
    def compute():
        details = scoring.detail_scores(a)
        return details, scoring.totals(details)

    return _memo("detail_scores", a.key, revision(a.key), compute)


def pathways(a: Analysis) -> list[scoring.HarmPathway]:
    """The harm pathways of the active details, heaviest first, once per run."""
    return _memo("pathways", a.key, revision(a.key), lambda: scoring.harm_pathways(a))


def score_metrics(totals: scoring.Totals) -> None:
    """Harm, help and net of the analysis (DESIGN §5) as three metrics side by side."""
    harm, help_, net = st.columns(3, border=True)
    harm.metric(t("impacts.harm"), totals.harm, help=t("overview.harm_help"))
    help_.metric(t("impacts.help"), totals.help, help=t("overview.help_help"))
    net.metric(t("impacts.net"), f"{totals.net:+d}" if totals.net else "0", help=t("overview.net_help"))


# --------------------------------------------------------------------------------------- messages
def flash(grid: str, msgid: str, **params) -> None:
    """A success message shown once, on the next run, where the grid is."""
    st.session_state[grid + FLASH] = (msgid, params)


def show_flash(grid: str) -> None:
    found = st.session_state.pop(grid + FLASH, None)
    if found:
        msgid, params = found
        st.success(t(msgid, **params), icon=":material/check_circle:")


def _column_label(sheet: str, column: str | None) -> str:
    if not column:
        return ""
    return translate(f"col.{sheet}.{column}", lang(), default=translate(f"col.{column}", lang(), default=column))


def show_problems(problems: Iterable[Problem], sheet: str | None = None) -> None:
    """One ``st.error`` per rejected row: "Row N, column: what is wrong", every column of it."""
    by_row: dict[Any, list[Problem]] = {}
    for p in problems:
        by_row.setdefault(p.row, []).append(p)
    for row, found in by_row.items():
        parts = []
        for p in found:
            column = _column_label(sheet or p.sheet, p.column)
            message = p.render(lang())
            parts.append(f"{md(column)}: {md(message)}" if column else md(message))
        text = "; ".join(parts)
        st.error(t("grid.problem_row", row=row, text=text) if row is not None else text,
                 icon=":material/error:")


# ------------------------------------------------------------------------------------ pickers
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
        if analysis != selected_key():  # another analysis: its own default, not a namesake of the old choice
            shown = SHOWN
        if shown in choices:
            state[key] = shown
        else:
            if gone is not None and shown not in (SHOWN, None):
                st.info(gone(shown), icon=":material/info:")
            state[key] = fallback if fallback in choices else choices[0]
    value = st.selectbox(label, choices, key=key, format_func=format_func, **selectbox)
    state[key + SHOWN] = (selected_key(), value)
    return value


# -------------------------------------------------------------------------------------- grid
def record_label(sheet: str, record: Any, limit: int = 40) -> str:
    """How a row is named in a dropdown: ``A1 · Commune council`` (plain text, never markdown)."""
    return editing.record_label(sheet, record, limit)


def _ref_options(sheet: str, a: Analysis, required: bool) -> tuple[list[str], dict[str, str]]:
    records = a.rows(sheet)
    names = {r.key: record_label(sheet, r) for r in records}
    options = [r.key for r in records]
    if not required:
        options.insert(0, "")
        names[""] = t("common.none")
    return options, names


# Column widths in pixels: the columns a workshop fills first stay in view at 1280 px.
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
    """``st.data_editor`` columns from the table spec: dropdowns of the vocabulary (keys stored, labels
    shown), numbers with their range, checkboxes, dates, and the hidden ``id``/``version``."""
    config: dict[str, Any] = {}
    cc = st.column_config
    for col in TABLES[sheet].columns:
        title = _column_label(sheet, col.name)
        help_text = translate(f"colhelp.{sheet}.{col.name}", lang(), default="") or \
            translate(f"colhelp.{col.name}", lang(), default="") or None
        default = editing._defaults(sheet).get(col.name)
        width = (widths or {}).get(col.name) or WIDTHS.get(col.name, "medium")
        if col.kind == "enum":
            labels = vocab.labels(col.vocabulary, lang())
            config[col.name] = cc.SelectboxColumn(
                title, options=list(labels), format_func=labels.get, required=col.required, help=help_text,
                default=default if default in labels else None, width=width)
        elif col.kind == "ref":
            options, names = _ref_options(col.ref, a, col.required)
            config[col.name] = cc.SelectboxColumn(title, options=options, format_func=names.get,
                                                  required=col.required, help=help_text, width=width)
        elif col.kind == "int":
            config[col.name] = cc.NumberColumn(title, min_value=col.lo, max_value=col.hi, step=1, format="%d",
                                               default=default, required=col.required, help=help_text,
                                               width=width)
        elif col.kind == "bool":
            config[col.name] = cc.CheckboxColumn(title, default=default, help=help_text, width=width)
        elif col.kind == "date":
            config[col.name] = cc.DateColumn(title, format="YYYY-MM-DD", help=help_text, width=width,
                                             min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
        else:
            limit = MAX_KEY if col.kind == "key" else MAX_TEXT
            config[col.name] = cc.TextColumn(title, max_chars=limit, required=col.required and col.kind != "key",
                                             help=help_text, width=width)
    config.update({"id": None, "version": None})
    config.update(overrides or {})
    return config


def _dependents(a: Analysis, sheet: str, deletes: Sequence[Any]) -> list[tuple[Any, dict[str, int]]]:
    """The rows each deletion takes with it, from the analysis on screen (no database round trip)."""
    if not TABLES[sheet].keyed:
        return []
    found = [(record, model.dependents(a, sheet, record.key)) for record in deletes]
    return [(record, counts) for record, counts in found if counts]


def save_changes(a: Analysis, grid: str, changes: editing.GridChanges) -> None:
    """Save a grid's changes in one transaction; on success clear the loaders, flash and rerun.

    Rejected rows are listed (``changes.locate`` turns the store's positions into grid rows); a stale
    row or a deleted analysis is a sentence. Nothing is saved in those cases and the grid keeps its edits.
    """
    try:
        store().save_rows(a.key, changes.sheet, upserts=changes.upserts, deletes=changes.deletes)
    except InvalidInput as error:
        st.error(t("grid.nothing_saved"), icon=":material/error:")
        show_problems(changes.locate(error.problems), changes.sheet)
        return
    except StaleEditError as error:
        st.error(md(str(error)), icon=":material/sync_problem:")
        return
    except NotFoundError:
        st.error(t("common.analysis_gone"), icon=":material/error:")
        return
    st.session_state.pop(grid + PENDING, None)
    clear_caches()
    flash(grid, "grid.saved", added=len(changes.inserted), changed=len(changes.updated),
          deleted=len(changes.deletes))
    st.rerun()


_save = save_changes  # the name the first "Over time" screens used


def edit_table(sheet: str, a: Analysis, grid: str, *, records: Sequence[Any] | None = None,
               fixed: Mapping[str, Any] | None = None, key_prefix: str | None = None,
               extra: Mapping[str, Sequence[Any]] | None = None, overrides: Mapping[str, Any] | None = None,
               height: int | None = None, order: Sequence[str] | None = None,
               widths: Mapping[str, int] | None = None) -> None:
    """An editable grid of one table with a Save button: add, edit, delete and paste rows.

    The save goes through :func:`dnh_graph.editing.diff` and one :meth:`Store.save_rows` transaction.
    Rejected rows are listed one ``st.error`` each and stay in the grid; deleting a row that others refer
    to first says what goes with it and asks for confirmation.
    """
    records = list(a.rows(sheet) if records is None else records)
    fixed = dict(fixed or {})
    frame = _grid_frame(database_url(), a.key, revision(a.key), lang(), grid,
                        lambda: editing.grid_frame(sheet, records, drop=tuple(fixed), extra=extra))
    config = column_config(sheet, a, overrides, widths)
    show_flash(grid)
    with st.form(grid + "__form", border=False, enter_to_submit=False):
        edited = st.data_editor(
            frame, key=grid + EDITOR, num_rows="dynamic", hide_index=True, column_config=config,
            disabled=list(extra or ()), width="stretch", height=height or "auto", column_order=order,
        )
        submitted = st.form_submit_button(t("grid.save"), key=grid + SAVE, type="primary", icon=":material/save:",
                                          help=t("grid.hint"))
    pending = st.session_state.get(grid + PENDING)
    if not (submitted or pending):
        return
    in_grid = {r.id for r in records}
    taken = [r.key for r in a.rows(sheet) if r.id not in in_grid] if TABLES[sheet].keyed else []
    changes = editing.diff(sheet, edited.to_dict("records"), records, fixed, key_prefix, taken)
    if changes.problems:
        st.session_state.pop(grid + PENDING, None)
        st.error(t("grid.nothing_saved"), icon=":material/error:")
        show_problems(changes.problems, sheet)
        return
    if submitted and changes.empty:
        st.info(t("grid.nothing_to_save"), icon=":material/info:")
        return
    doomed = sorted(r.id for r in changes.deletes)
    if submitted:
        affected = _dependents(a, sheet, changes.deletes)
        if not affected:
            save_changes(a, grid, changes)
            return
        st.session_state[grid + PENDING] = doomed
    elif pending != doomed:  # the grid changed under the question: ask again
        st.session_state.pop(grid + PENDING, None)
        return
    _confirm_deletes(a, grid, changes)


def _confirm_deletes(a: Analysis, grid: str, changes: editing.GridChanges) -> None:
    sheet = changes.sheet
    lines = []
    for record, counts in _dependents(a, sheet, changes.deletes):
        what = ", ".join(f"{n} {t('sheet.' + other)}" for other, n in counts.items())
        lines.append("- " + t("grid.delete_takes", row=md(record_label(sheet, record)), what=what))
    box = st.warning(t("grid.delete_question") + "\n\n" + "\n".join(lines), icon=":material/warning:")
    left, right = st.columns(2)
    if left.button(t("grid.delete_confirm"), key=grid + CONFIRM, type="primary", icon=":material/delete:"):
        save_changes(a, grid, changes)
        return
    if right.button(t("grid.delete_cancel"), key=grid + CANCEL):
        st.session_state.pop(grid + PENDING, None)
        box.empty()
        st.info(t("grid.delete_cancelled"), icon=":material/info:")


# --------------------------------------------------------------------------- import / export
def _file_stem(a: Analysis, sheet: str) -> str:
    return f"{keys.slug(a.key)}-{sheet}"


def table_io(sheet: str, a: Analysis, grid: str) -> None:
    """The "Import / export this table" control: CSV and XLSX out, a CSV or XLSX file in (all or nothing)."""
    with st.expander(t("io.title", table=t("sheet." + sheet)), icon=":material/import_export:"):
        st.caption(t("io.explain"))
        left, right = st.columns(2)
        left.download_button(t("io.csv"), data=functools.partial(tables.table_to_csv_bytes, a, sheet),
                             file_name=_file_stem(a, sheet) + ".csv", mime="text/csv", on_click="ignore",
                             key=grid + "__csv", icon=":material/download:")
        right.download_button(
            t("io.xlsx"), data=functools.partial(tables.table_to_xlsx_bytes, a, sheet),
            file_name=_file_stem(a, sheet) + ".xlsx", on_click="ignore", key=grid + "__xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")
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
        store().save_rows(a.key, sheet, upserts=plan.upserts)
    except InvalidInput as error:
        st.error(t("io.nothing_imported"), icon=":material/error:")
        show_problems(error.problems if plan.problems else plan.locate(error.problems), sheet)
        return
    except StaleEditError as error:
        st.error(md(str(error)), icon=":material/sync_problem:")
        return
    clear_caches()
    flash(grid, "io.imported", added=plan.added, changed=plan.updated, unchanged=plan.unchanged)
    st.rerun()
