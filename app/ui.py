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

Sensitive names (DESIGN §1, §7): while "Hide sensitive names" is on (:data:`HIDE`, on by default for
every new session), :func:`analysis` and :func:`require_analysis` return the pseudonymised analysis
(:func:`dnh_graph.privacy.pseudonymise`, cached per revision like the analysis itself), so every
screen, chart, table and download made from them is safe by default, a new screen included. The grids
and forms that write records take :func:`require_editable` (the records as stored) and must mask what
they show themselves: :func:`names_hidden` says whether to, :func:`masked_actors` gives each sensitive
row as it is shown. :func:`table` and :func:`figure` key their caches by which of the two analyses
they were built from.

User text never reaches ``unsafe_allow_html``; where it goes into markdown (titles, messages) it passes
through :func:`md` first, so ``<script>`` is shown as text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import streamlit as st
from sqlalchemy.exc import IntegrityError

from dnh_graph import editing, keys, model, privacy, roles, scoring, settings, tables, vocab
from dnh_graph.i18n import available_languages, translate
from dnh_graph.model import CHILD_TABLES, TABLES, Analysis, InvalidInput, Problem
from dnh_graph.store import NotFoundError, StaleEditError, Store, entity_key

__all__ = [
    "ANALYSIS", "LANG", "begin_run", "store", "summaries", "database_url", "clear_caches", "table", "figure",
    "lang", "t", "label", "labels", "md", "shared_store", "access", "may",
    "selected_key", "select", "analysis", "require_analysis", "revision", "HIDE", "names_hidden",
    "editable_analysis", "require_editable", "masked_actors", "scores", "detail_scores", "pathways",
    "score_metrics",
    "record_label", "column_config", "edit_table", "save_changes", "table_io", "show_problems", "flash",
    "show_flash", "WIDTHS", "pick",
]

ANALYSIS = "dnh_analysis"  # session key: the selected analysis' key
LANG = "dnh_lang"  # session key: the chosen language
HIDE = "dnh_hide_names"  # session key: the "Hide sensitive names" switch (absent = on)
_SHOWN = "dnh_shown_revision"  # session key: {analysis key: revision last shown}
SAVE, PENDING, CONFIRM, CANCEL, EDITOR, FLASH = "__save", "__pending", "__confirm", "__cancel", "__editor", "__flash"


# --------------------------------------------------------------------------------- store, caches
def database_url() -> str:
    return settings.default_database_url()


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store.open(url)


def shared_store() -> Store:
    """The store of this server's database as the operator sees it (one engine per URL, shared by
    every session): for the login gate only; screens use :func:`store`."""
    return _store(database_url())


def store() -> Store:
    """The store as the person logged in uses it (their role checked on every read and write; the
    operator's, with every right, when there are no accounts)."""
    return shared_store().as_person(st.session_state.get("dnh_person"))  # app.auth.PERSON


def access(key: str | None = None) -> roles.Access:
    """What the person may do in analysis ``key`` (default: the selected one), once per run."""
    key = selected_key() if key is None else key
    return _memo("access", key or "", 0, lambda: store().access(key or None))


def may(right: str, key: str | None = None) -> bool:
    """Whether the person holds ``right`` (``edit``, ``manage``) in the analysis: screens hide what not."""
    return access(key).may(right)


class _RevisionMoved(Exception):
    """The database is no longer at the revision asked for: what was read must not be cached under it."""


@st.cache_resource(ttl=3600, max_entries=16, show_spinner=False)
def _load(_store: Store, url: str, key: str, revision: int, masked: bool = False) -> Analysis:
    loaded = _store.load(key)
    if _store.revision(key) != revision:  # a pinned older revision, or a save landed meanwhile (issue 10)
        raise _RevisionMoved(key)
    return loaded


@st.cache_resource(ttl=3600, max_entries=16, show_spinner=False)
def _load_shown(_store: Store, url: str, key: str, revision: int, masked: bool = False) -> Analysis:
    """The pseudonymised analysis of a revision, made once (about 0.1 s on 1,000 actors) and shared
    read-only like :func:`_load`'s. ``masked``: the store itself pseudonymised it for this person
    (a cache key part, so no one is served another role's copy)."""
    return privacy.pseudonymise(_load(_store, url, key, revision, masked))


def _private_copy(shared: Analysis) -> Analysis:
    """This run's own analysis: new lists around the shared, frozen records."""
    return dataclasses.replace(shared, **{table: list(shared.rows(table)) for table in CHILD_TABLES})


@st.cache_data(ttl=10, max_entries=8, show_spinner=False)
def _summaries(_store: Store, url: str, person: str | None = None) -> list:
    return _store.list_analyses()


@st.cache_data(ttl=3600, max_entries=128, show_spinner=False)
def _grid_frame(url: str, key: str, revision: int, lang: str, grid: str, _build):
    return _build()


_run = threading.local()  # this script run's memo (see the module docstring); emptied by begin_run()


def begin_run() -> None:
    """Called first by the entry point on every run: forget the previous run's memo, and tell the
    browser whether a grid holds unsaved edits (it then asks before a reload or close)."""
    _run.memo = {}
    _run.shown = {}
    chosen = st.session_state.get(LANG, "en")
    _run.lang = chosen if chosen in available_languages() else "en"
    _unload_guard()


# Issue 10: a reload or a closed tab ends the session and its drafts, so while any grid holds unsaved
# edits the browser asks first. Two constant scripts (nothing user-written, DESIGN §9), run in the app's
# page by st.html: one listener installed once reads a flag, which each run sets. Reruns redraw the
# element only when its text changes, so the text differs by state.
_GUARD = ("<script>(function(){var w=window;if(!w.dnhGuard){w.dnhGuard=true;w.addEventListener('beforeunload',"
          "function(e){if(w.dnhPending){e.preventDefault();e.returnValue='';}});}w.dnhPending=%s;})();</script>")
GUARD_ON, GUARD_OFF = _GUARD % "true", _GUARD % "false"


def _unload_guard() -> None:
    if not st.session_state.get(DRAFTS):  # no grid shown yet: nothing drawn before the navigation exists
        return
    with st.sidebar:
        st.html(GUARD_ON if pending_edits() else GUARD_OFF, unsafe_allow_javascript=True, width="content")


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
    language, names hidden or not) and cached like the grids."""
    return _grid_frame(database_url(), a.key, revision(a.key), lang(), f"table:{_variant(a)}:{name}", build)


def figure(a: Analysis, name: str, build):
    """A plotly figure of the analysis, built once per (revision, language) and shared read-only.

    Building a figure validates every property (50–150 ms on the 1,000-actor analysis) and a figure
    unpickled from ``st.cache_data`` is validated again, so figures live in ``st.cache_resource``:
    ``st.plotly_chart`` only reads them (it serialises a copy).
    """
    return _figure(database_url(), a.key, revision(a.key), lang(), f"{_variant(a)}:{name}", build)


def summaries() -> list:
    """The analyses of the workspace (key, name, counts), cached for 10 s and cleared by our writes."""
    memo = getattr(_run, "memo", None)
    if memo is None:
        memo = _run.memo = {}
    found = ("summaries", database_url())
    if found not in memo:
        memo[found] = _summaries(store(), database_url(), store().person)
    return memo[found]


def clear_caches() -> None:
    """After a write: every loader forgets, so the next run reads the database."""
    _load.clear()
    _load_shown.clear()
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


def names_hidden() -> bool:
    """Whether "Hide sensitive names" is on: it is, unless this session turned it off in the sidebar.

    Never read from the URL: a link someone forwards must not reveal names by default. Always on for
    a person whose role does not reveal names (issue 13).
    """
    return st.session_state.get(HIDE, True) is not False or not access().reveal


def _variant(a: Analysis) -> str:
    """Which analysis ``a`` is: ``shown`` (pseudonymised for the screen) or ``stored``; a cache key part."""
    return "shown" if id(a) in getattr(_run, "shown", {}) else "stored"


def _selected(hidden: bool) -> Analysis | None:
    key = selected_key()
    if not key:
        return None
    loader = _load_shown if hidden else _load
    try:
        rev = revision(key)
        name = "analysis:shown" if hidden else "analysis"
        try:
            masked = access(key).masked
            found = _memo(name, key, rev, lambda: _private_copy(loader(store(), database_url(), key, rev, masked)))
        except _RevisionMoved:  # show what is saved now (read without the cache), under its revision
            loaded = store().load(key)
            rev = st.session_state.setdefault(_SHOWN, {})[key] = store().revision(key)
            _run.memo[("revision", database_url(), key, 0)] = rev
            shown = privacy.pseudonymise(loaded) if hidden else loaded
            found = _memo(name, key, rev, lambda: _private_copy(shown))
    except NotFoundError:
        return None
    if hidden:  # held until the next run, so its id cannot be reused by another analysis meanwhile
        if not hasattr(_run, "shown"):
            _run.shown = {}
        _run.shown[id(found)] = found
    return found


def analysis() -> Analysis | None:
    """The selected analysis as a screen may show it: pseudonymised while names are hidden
    (:func:`names_hidden`). None when there is none (or it was deleted meanwhile)."""
    return _selected(names_hidden())


def editable_analysis() -> Analysis | None:
    """The selected analysis as stored, real names included: for grids and forms that write records
    (their writes carry the stored versions), never for what a screen shows as it is."""
    return _selected(False)


def _require(found: Analysis | None) -> Analysis:
    if found is None:
        st.info(t("common.no_analysis"), icon=":material/info:")
        st.stop()
    return found


def require_analysis() -> Analysis:
    """The selected analysis as a screen may show it (:func:`analysis`); without one, say how to start
    and stop the page."""
    return _require(analysis())


def require_editable() -> Analysis:
    """The selected analysis as stored (:func:`editable_analysis`); without one, stop the page."""
    return _require(editable_analysis())


def masked_actors(a: Analysis) -> dict[str, model.Actor]:
    """Stored actor key -> the record a grid shows in its row while names are hidden (pseudonymous key
    and name, no description or tags, a broad type when its own would single it out); empty when
    names are shown. A grid of stored records shows these rows with the name cell locked."""
    return privacy.masked_actors(a) if names_hidden() else {}


def scores(a: Analysis) -> scoring.Scores:
    """Every score of DESIGN §5 but robustness (details, totals, ranked options), once per run."""
    return _memo("scores:" + _variant(a), a.key, revision(a.key), lambda: scoring.score(a, with_robustness=False))


def detail_scores(a: Analysis) -> tuple[list[scoring.DetailScore], scoring.Totals]:
    """Harm, help and net per detail, and the analysis' totals over active details, once per run."""
    def compute():
        details = scoring.detail_scores(a)
        return details, scoring.totals(details)

    return _memo("detail_scores:" + _variant(a), a.key, revision(a.key), compute)


def pathways(a: Analysis) -> list[scoring.HarmPathway]:
    """The harm pathways of the active details, heaviest first, once per run."""
    return _memo("pathways:" + _variant(a), a.key, revision(a.key), lambda: scoring.harm_pathways(a))


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
    """The message :func:`flash` left, in a slot that is there on every run: the elements after it keep
    their place, so an open expander below (the paste box) stays open when the message goes."""
    slot = st.empty()
    found = st.session_state.pop(grid + FLASH, None)
    if found:
        msgid, params = found
        slot.success(t(msgid, **params), icon=":material/check_circle:")


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
        title = _column_label(sheet, col.name)
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


def _dependents(a: Analysis, sheet: str, deletes: Sequence[Any]) -> list[tuple[Any, dict[str, int]]]:
    """The rows each deletion takes with it, from the analysis on screen (no database round trip)."""
    if not TABLES[sheet].keyed:
        return []
    found = [(record, model.dependents(a, sheet, record.key)) for record in deletes]
    return [(record, counts) for record, counts in found if counts]


def save_changes(a: Analysis, grid: str, changes: editing.GridChanges) -> bool:
    """Save a grid's changes in one transaction; on success clear the loaders, flash and rerun.

    Rejected rows are listed (``changes.locate`` turns the store's positions into grid rows); a stale
    row or a deleted analysis is a sentence. Nothing is saved in those cases and the grid keeps its edits;
    the answer is False after a stale row (the caller may explain it better).
    """
    try:
        store().save_rows(a.key, changes.sheet, upserts=changes.upserts, deletes=changes.deletes)
    except InvalidInput as error:
        st.error(t("grid.nothing_saved"), icon=":material/error:")
        show_problems(changes.locate(error.problems), changes.sheet)
        return True
    except StaleEditError as error:
        st.error(md(str(error)), icon=":material/sync_problem:")
        return False
    except NotFoundError:
        st.error(t("common.analysis_gone"), icon=":material/error:")
        return True
    except IntegrityError:  # two saves inserting the same new key at once (SQLite): no SQL text on screen
        st.error(t("grid.save_race"), icon=":material/sync_problem:")
        return True
    st.session_state.pop(grid + PENDING, None)
    _drop_draft(a.key, grid)
    clear_caches()
    flash(grid, "grid.saved", added=len(changes.inserted), changed=len(changes.updated),
          deleted=len(changes.deletes))
    st.rerun()


_save = save_changes  # the name the first "Over time" screens used


# ------------------------------------------------------------------------------- drafts (issue 10)
# A person's unsaved grid: the rows as read (with their versions), what is shown in the grid, and the
# rows as the person has them now. Kept in st.session_state per (analysis, grid), so edits survive a
# visit to another screen and a switch of analysis, and so the frame given to st.data_editor stays the
# same object while the person edits: with num_rows="dynamic" Streamlit 1.67 derives the widget's
# identity from the whole data and config, so a frame rebuilt from another person's save would reset
# the grid and throw away what was typed (data_editor.py, compute_and_register_element_id).
DRAFTS = "dnh_drafts"  # session key: {"analysis|grid": draft}
OWNERS = "dnh_draft_owner"  # session key: {editor key: (draft id, epoch) it was drawn for}
PASTE, PASTE_ADD, PASTE_CLEAR, DISCARD, MINE, THEIRS = (
    "__paste", "__paste_add", "__paste_clear", "__discard", "__mine", "__theirs")


def _drafts() -> dict[str, dict[str, Any]]:
    return st.session_state.setdefault(DRAFTS, {})


def _draft_id(analysis_key: str, grid: str) -> str:
    return f"{analysis_key}|{grid}"


def _drop_draft(analysis_key: str, grid: str) -> None:
    draft = _drafts().pop(_draft_id(analysis_key, grid), None)
    if draft is not None:
        st.session_state.pop(_editor_key(grid, draft["epoch"]), None)


def _editor_key(grid: str, epoch: int) -> str:
    return grid + EDITOR if not epoch else f"{grid}{EDITOR}_{epoch}"


def _new_epoch() -> int:
    n = st.session_state.get("dnh_draft_epoch", 0) + 1
    st.session_state["dnh_draft_epoch"] = n
    return n


def _columns(draft: Mapping[str, Any]) -> list[str]:
    return draft["columns"]


def _dirty_rows(draft: Mapping[str, Any]) -> int:
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
    return any(_dirty_rows(d) for d in _drafts().values())


def _capture(draft_id: str, key: str) -> None:
    """on_change of a grid: keep what the person has in the grid in their draft (before the script runs)."""
    draft = _drafts().get(draft_id)
    state = st.session_state.get(key)
    if draft is not None and state is not None:
        draft["rows"] = editing.apply_edits(draft["shown"], state, _columns(draft))


def _fresh_draft(sheet: str, records: Sequence[Any], rows: list[dict], rev: int, columns: list[str],
                 epoch: int) -> dict[str, Any]:
    bools = {c.name: bool(editing._defaults(sheet).get(c.name)) for c in TABLES[sheet].columns if c.kind == "bool"}
    return {"revision": rev, "lang": lang(), "originals": {r.id: r for r in records},
            "base": {r["id"]: r for r in rows}, "shown": rows, "rows": [dict(r) for r in rows],
            "columns": columns, "bools": bools, "epoch": epoch, "conflicts": [], "token": uuid.uuid4().hex}


def _rebuild(draft: dict[str, Any], rows: list[dict]) -> None:
    """Show ``rows`` in a new grid (a new widget key: the old widget's edits are in ``rows`` already)."""
    draft["shown"] = [dict(r) for r in rows]
    draft["rows"] = [dict(r) for r in rows]
    draft["epoch"] = _new_epoch()
    draft["token"] = uuid.uuid4().hex


@st.cache_resource(ttl=3600, max_entries=64, show_spinner=False)
def _draft_frame(token: str, _build) -> Any:
    """The frame of one build of a draft's rows, made once (``st.data_editor`` copies what it is given):
    ``token`` is new at every build, unique to the session. Evicted, it is built again, identical."""
    return _build()


def _rebase(draft: dict[str, Any], records: Sequence[Any], current_rows: list[dict], keep=()) -> None:
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
    _rebuild(draft, rows)


def _grid_columns(sheet: str, fixed: Mapping[str, Any]) -> list[str]:
    return [c.name for c in TABLES[sheet].columns if c.name not in fixed]


def edit_table(sheet: str, a: Analysis, grid: str, *, records: Sequence[Any] | None = None,
               fixed: Mapping[str, Any] | None = None, key_prefix: str | None = None,
               extra: Mapping[str, Sequence[Any]] | None = None, overrides: Mapping[str, Any] | None = None,
               height: int | None = None, order: Sequence[str] | None = None,
               widths: Mapping[str, int] | None = None) -> None:
    """An editable grid of one table with Save, Discard and a "paste rows" box.

    What the person types lives in their draft (see above) until Save, which goes through
    :func:`dnh_graph.editing.diff` (every row parsed as an import parses it) and one
    :meth:`Store.save_rows` transaction, each changed row checked against the version it was read at.
    A row someone else changed meanwhile is refused with who and when, the person's values stay in
    the grid beside the saved ones, and one click saves theirs on the new version. Rejected rows are
    listed one ``st.error`` each and stay in the grid; deleting a row that others refer to first says
    what goes with it and asks for confirmation.
    """
    records = list(a.rows(sheet) if records is None else records)
    fixed = dict(fixed or {})
    drop = tuple(fixed)
    columns = _grid_columns(sheet, fixed)
    extra_names = list(extra or ())
    if not may("edit", a.key):  # a viewer reads the grid; the store would refuse a save anyway
        rows = editing.display_rows(sheet, records, lang(), editing.ref_labels(a, sheet), drop=drop, extra=extra)
        st.dataframe(editing.display_frame(sheet, rows, drop=drop, extra=extra_names), hide_index=True,
                     column_config=column_config(sheet, a, overrides, widths), width="stretch",
                     column_order=order)
        return
    draft_id = _draft_id(a.key, grid)
    rev = revision(a.key)

    def current_rows() -> list[dict]:
        return editing.display_rows(sheet, records, lang(), editing.ref_labels(a, sheet), drop=drop, extra=extra)

    drafts, owners = _drafts(), st.session_state.setdefault(OWNERS, {})
    draft = drafts.get(draft_id)
    if draft is None:
        draft = drafts[draft_id] = _fresh_draft(sheet, records, current_rows(), rev, columns, 0)
    key = _editor_key(grid, draft["epoch"])
    alive = owners.get(key) == (draft_id, draft["epoch"]) and key in st.session_state
    if alive:  # AppTest sets the state without on_change; a browser's on_change already did this
        draft["rows"] = editing.apply_edits(draft["shown"], st.session_state[key], columns)
    elif owners.get(key) not in (None, (draft_id, draft["epoch"])):  # this key last drew another draft
        _rebuild(draft, draft["rows"])
    dirty = _dirty_rows(draft)
    if draft["revision"] != rev:
        if not dirty:
            st.session_state.pop(key, None)
            epoch = draft["epoch"]
            draft = drafts[draft_id] = _fresh_draft(sheet, records, current_rows(), rev, columns, epoch)
        elif not alive or draft.pop("rebase", False):
            _rebase(draft, records, current_rows(), keep=[c.id for c, _ in draft["conflicts"]])
            draft["revision"] = rev
    if not alive and draft["rows"] != draft["shown"]:  # back from another screen: show the draft
        _rebuild(draft, draft["rows"])
    key = _editor_key(grid, draft["epoch"])
    owners[key] = (draft_id, draft["epoch"])

    show_flash(grid)
    _show_conflicts(a, sheet, grid, draft, records, fixed, key_prefix, current_rows)
    if dirty and draft["revision"] != rev:
        st.caption(t("grid.moved_on"))
    config = column_config(sheet, a, overrides, widths)
    frame = _draft_frame(draft["token"], lambda: editing.display_frame(sheet, draft["shown"], drop=drop,
                                                                      extra=extra_names))
    st.data_editor(frame, key=key, num_rows="dynamic", hide_index=True, column_config=config,
                   disabled=extra_names, width="stretch", height=height or "auto", column_order=order,
                   on_change=_capture, args=(draft_id, key))
    # one row that wraps (not columns): in a half-width column at 1024 px the labels stay whole
    bar = st.container(horizontal=True, vertical_alignment="center")
    submitted = bar.button(t("grid.save"), key=grid + SAVE, type="primary", icon=":material/save:",
                           help=t("grid.hint"))
    dirty = _dirty_rows(draft)
    if bar.button(t("grid.discard"), key=grid + DISCARD, icon=":material/undo:", disabled=not dirty):
        _drop_draft(a.key, grid)
        st.session_state.pop(grid + PENDING, None)
        flash(grid, "grid.discarded")
        st.rerun()
    if dirty:
        bar.caption(t("grid.pending", n=dirty))
    _paste_box(sheet, a, grid, draft, columns, order, fixed)
    pending = st.session_state.get(grid + PENDING)
    if submitted or pending:
        _save_draft(a, sheet, grid, draft, records, fixed, key_prefix, submitted, pending)


def _save_draft(a: Analysis, sheet: str, grid: str, draft: dict[str, Any], records: Sequence[Any],
                fixed: Mapping[str, Any], key_prefix: str | None, submitted: bool, pending: Any) -> None:
    now = store().load(a.key)  # the rows saved now: names to resolve, keys taken, versions to compare
    in_grid = {r.id for r in records} | set(draft["originals"])
    taken = [r.key for r in now.rows(sheet) if r.id not in in_grid] if TABLES[sheet].keyed else []
    changes = editing.diff(sheet, draft["rows"], draft["originals"].values(), fixed, key_prefix, taken,
                           lang=lang(), refs=model.reference_names(now))
    if changes.problems:
        st.session_state.pop(grid + PENDING, None)
        st.error(t("grid.nothing_saved"), icon=":material/error:")
        show_problems(changes.problems, sheet)
        return
    if submitted and changes.empty:
        st.info(t("grid.nothing_to_save"), icon=":material/info:")
        return
    conflicts = editing.find_conflicts(changes, now.rows(sheet), lang(), editing.ref_labels(now, sheet))
    if conflicts:
        st.session_state.pop(grid + PENDING, None)
        _refuse_conflicts(a, sheet, grid, draft, conflicts)
        return
    doomed = sorted(r.id for r in changes.deletes)
    if submitted:
        if not _dependents(now, sheet, changes.deletes):
            if not save_changes(a, grid, changes):
                _after_stale(a, sheet, grid, draft, fixed, key_prefix)
            return
        st.session_state[grid + PENDING] = doomed
    elif pending != doomed:  # the grid changed under the question: ask again
        st.session_state.pop(grid + PENDING, None)
        return
    _confirm_deletes(now, a, grid, changes, draft, fixed, key_prefix)


def _after_stale(a, sheet, grid, draft, fixed, key_prefix) -> None:
    """The store found a stale row our check did not (a save landed in between): explain it as a conflict."""
    now = store().load(a.key)
    changes = editing.diff(sheet, draft["rows"], draft["originals"].values(), fixed, key_prefix,
                           lang=lang(), refs=model.reference_names(now))
    conflicts = editing.find_conflicts(changes, now.rows(sheet), lang(), editing.ref_labels(now, sheet))
    if conflicts:
        _refuse_conflicts(a, sheet, grid, draft, conflicts)


def _refuse_conflicts(a: Analysis, sheet: str, grid: str, draft: dict[str, Any],
                      conflicts: list[editing.Conflict]) -> None:
    """Remember who changed what (the audit log), move untouched rows on, and show it all on the next run."""
    entries = store().audit_entries(a.key)
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
    clear_caches()
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


def _show_conflicts(a: Analysis, sheet: str, grid: str, draft: dict[str, Any], records: Sequence[Any],
                    fixed: Mapping[str, Any], key_prefix: str | None, current_rows) -> None:
    """The rows refused because someone else changed them: who, when, yours and theirs, and two buttons."""
    if not draft["conflicts"]:
        return
    by_row = {r.get("id"): n for n, r in enumerate(draft["rows"], start=1)}
    mine = {r.get("id"): r for r in draft["rows"]}
    for conflict, who_when in draft["conflicts"]:
        who, at = who_when if who_when else (t("grid.someone"), None)
        row = by_row.get(conflict.id, conflict.row)
        msgid = "grid.conflict_deleted" if conflict.current is None else "grid.conflict"
        st.warning(t(msgid, row=row, name=md(conflict.name), who=md(who or t("grid.someone")), when=_when(at)),
                   icon=":material/sync_problem:")
        changed = _changed_columns(draft, mine.get(conflict.id), conflict.id)
        differences = [d for d in conflict.differences if changed is None or d[0] in changed]
        if differences:  # the columns this person changed: theirs, and what is saved now
            st.dataframe({t("grid.column"): [_column_label(sheet, c) for c, _, _ in differences],
                          t("grid.yours"): [t("grid.deleted_now") if y is None else str(y) for _, y, _ in differences],
                          t("grid.now"): [t("grid.deleted_now") if n is None else str(n) for _, _, n in differences]},
                         hide_index=True, width="stretch")
    bar = st.container(horizontal=True, vertical_alignment="center")
    if bar.button(t("grid.keep_mine"), key=grid + MINE, type="primary", icon=":material/published_with_changes:"):
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
        _rebuild(draft, rows)
        _save_draft(a, sheet, grid, draft, records, fixed, key_prefix, True, None)
        st.rerun()
    if bar.button(t("grid.keep_theirs"), key=grid + THEIRS, icon=":material/undo:"):
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
        _rebuild(draft, rows)
        flash(grid, "grid.kept_theirs")
        st.rerun()


def _paste_box(sheet: str, a: Analysis, grid: str, draft: dict[str, Any], columns: list[str],
               order: Sequence[str] | None, fixed: Mapping[str, Any]) -> None:
    """Rows copied from a spreadsheet, mapped by header or position, previewed, then added to the grid."""
    shown_order = [c for c in (order or columns) if c in columns] + [c for c in columns if c not in (order or ())]
    titles = {c: _column_label(sheet, c) for c in shown_order}
    if st.session_state.pop(grid + PASTE_CLEAR, False):
        st.session_state.pop(grid + PASTE, None)
    with st.expander(t("grid.paste_title"), icon=":material/content_paste:",
                     expanded=bool(st.session_state.get(grid + PASTE))):
        st.caption(t("grid.paste_help", columns=md(", ".join(titles.values()))))
        text = st.text_area(t("grid.paste_box"), key=grid + PASTE, height=120)
        pasted = editing.paste_rows(text or "", shown_order, titles)
        if pasted.rows:
            mapping = ", ".join(f"{md(raw)} → {md(titles[col]) if col else t('grid.paste_ignored')}"
                                for raw, col in pasted.mapping)
            st.caption(t("grid.paste_header" if pasted.header else "grid.paste_positional", mapping=mapping))
            st.caption(t("grid.paste_preview", n=len(pasted.rows)))
            st.dataframe({titles[c]: [r.get(c, "") for r in pasted.rows] for c in shown_order},
                         hide_index=True, width="stretch", height=min(300, 40 + 35 * len(pasted.rows)))
            refs = model.reference_names(a)
            problems = []
            for n, row in enumerate(pasted.rows, start=1):
                raw = {**row, **fixed}
                if TABLES[sheet].keyed and not str(raw.get("key") or "").strip():
                    raw["key"] = "new"  # numbered on save
                problems.extend(model.parse_row(sheet, raw, n, lang=lang(), refs=refs)[1])
            if problems:
                st.warning(t("grid.paste_problems"), icon=":material/warning:")
                for p in problems:
                    column = _column_label(sheet, p.column)
                    st.caption(t("grid.paste_row", row=p.row, text=f"{md(column)}: {md(p.message)}"))
        if st.button(t("grid.paste_add"), key=grid + PASTE_ADD, icon=":material/playlist_add:"):
            if not pasted.rows:
                st.info(t("grid.paste_empty"), icon=":material/info:")
                return
            blank = {c: (draft["bools"].get(c, "")) for c in columns}
            extra = [k for k in (draft["shown"][0] if draft["shown"] else {}) if k not in columns and k != "id"]
            added = [{**blank, **{k: "" for k in extra}, **row, "id": None} for row in pasted.rows]
            _rebuild(draft, [*draft["rows"], *added])
            st.session_state[grid + PASTE_CLEAR] = True
            flash(grid, "grid.pasted", n=len(added))
            st.rerun()


def _confirm_deletes(now: Analysis, a: Analysis, grid: str, changes: editing.GridChanges,
                     draft: dict[str, Any], fixed, key_prefix) -> None:
    sheet = changes.sheet
    lines = []
    for record, counts in _dependents(now, sheet, changes.deletes):
        what = ", ".join(f"{n} {t('sheet.' + other)}" for other, n in counts.items())
        lines.append("- " + t("grid.delete_takes", row=md(record_label(sheet, record)), what=what))
    box = st.warning(t("grid.delete_question") + "\n\n" + "\n".join(lines), icon=":material/warning:")
    left, right = st.columns(2)
    if left.button(t("grid.delete_confirm"), key=grid + CONFIRM, type="primary", icon=":material/delete:"):
        if not save_changes(a, grid, changes):
            _after_stale(a, sheet, grid, draft, fixed, key_prefix)
        return
    if right.button(t("grid.delete_cancel"), key=grid + CANCEL):
        st.session_state.pop(grid + PENDING, None)
        box.empty()
        st.info(t("grid.delete_cancelled"), icon=":material/info:")


# --------------------------------------------------------------------------- import / export
def _file_stem(a: Analysis, sheet: str) -> str:
    return f"{keys.slug(a.key)}-{sheet}"


def _table_bytes(write, a: Analysis, sheet: str, hide: bool) -> bytes:
    """A table's download, made when the button is pressed: pseudonymised while names are hidden."""
    return write(privacy.shown(a, hide), sheet)


def table_io(sheet: str, a: Analysis, grid: str) -> None:
    """The "Import / export this table" control: CSV and XLSX out, a CSV or XLSX file in (all or nothing).

    ``a`` is the analysis as stored (an import is matched against the stored rows); the downloads are
    pseudonymised while names are hidden, and the import is then closed: a pseudonymised file brought
    back would write ``Actor A1`` over a sensitive actor's stored name and description.
    """
    hide = names_hidden() and any(actor.sensitive for actor in a.actors)
    with st.expander(t("io.title", table=t("sheet." + sheet)), icon=":material/import_export:"):
        st.caption(t("io.explain"))
        left, right = st.columns(2)
        left.download_button(t("io.csv"), data=functools.partial(_table_bytes, tables.table_to_csv_bytes, a, sheet,
                                                                 hide),
                             file_name=_file_stem(a, sheet) + ".csv", mime="text/csv", on_click="ignore",
                             key=grid + "__csv", icon=":material/download:")
        right.download_button(
            t("io.xlsx"), data=functools.partial(_table_bytes, tables.table_to_xlsx_bytes, a, sheet, hide),
            file_name=_file_stem(a, sheet) + ".xlsx", on_click="ignore", key=grid + "__xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")
        if not may("edit", a.key):  # a viewer's downloads, no import (the store would refuse it)
            st.caption(t("io.import_viewer"))
            return
        if hide:
            st.caption(t("io.import_hidden"))
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
