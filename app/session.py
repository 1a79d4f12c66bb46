"""The session keys, the store handle, the loaders and caches, and the memo of one script run.

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
"""

from __future__ import annotations

import dataclasses
import threading

import streamlit as st

from dnh_graph import privacy, roles, settings
from dnh_graph.i18n import available_languages
from dnh_graph.model import CHILD_TABLES, Analysis
from dnh_graph.store import Store

__all__ = ["ANALYSIS", "LANG", "HIDE", "SHOWN_REVISION", "names_hidden", "run", "begin_run", "memo", "database_url",
           "store", "shared_store", "access", "may", "RevisionMoved", "load", "load_shown", "private_copy",
           "grid_frame", "figure_cache", "summaries", "refresh_summaries", "clear_caches"]

ANALYSIS = "dnh_analysis"  # session key: the selected analysis' key
LANG = "dnh_lang"  # session key: the chosen language
HIDE = "dnh_hide_names"  # session key: the "Hide sensitive names" switch (absent = on)
SHOWN_REVISION = "dnh_shown_revision"  # session key: {analysis key: revision last shown}

run = threading.local()  # this script run's memo (see the module docstring); emptied by begin_run()


def begin_run() -> None:
    """Called first by the entry point on every run: forget the previous run's memo, read the language."""
    run.memo = {}
    run.shown = {}
    chosen = st.session_state.get(LANG, "en")
    run.lang = chosen if chosen in available_languages() else "en"


def memo(name: str, key: str, revision: int, compute):
    """``compute()`` once per run for (name, database, analysis key, revision)."""
    found = getattr(run, "memo", None)
    if found is None:
        found = run.memo = {}
    at = (name, database_url(), key, revision)
    if at not in found:
        found[at] = compute()
    return found[at]


def names_hidden() -> bool:
    """Whether "Hide sensitive names" is on: it is, unless this session turned it off in the sidebar.

    Never read from the URL: a link someone forwards must not reveal names by default. Always on for
    a person whose role does not reveal names (issue 13).
    """
    return st.session_state.get(HIDE, True) is not False or not access().reveal


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
    key = st.session_state.get(ANALYSIS) if key is None else key
    return memo("access", key or "", 0, lambda: store().access(key or None))


def may(right: str, key: str | None = None) -> bool:
    """Whether the person holds ``right`` (``edit``, ``manage``) in the analysis: screens hide what not."""
    return access(key).may(right)


class RevisionMoved(Exception):
    """The database is no longer at the revision asked for: what was read must not be cached under it."""


@st.cache_resource(ttl=3600, max_entries=16, show_spinner=False)
def load(_store: Store, url: str, key: str, revision: int, masked: bool = False) -> Analysis:
    """The analysis at ``revision``, shared read-only by every session (copy it: :func:`private_copy`)."""
    loaded = _store.load(key)
    if _store.revision(key) != revision:  # a pinned older revision, or a save landed meanwhile (issue 10)
        raise RevisionMoved(key)
    return loaded


@st.cache_resource(ttl=3600, max_entries=16, show_spinner=False)
def load_shown(_store: Store, url: str, key: str, revision: int, masked: bool = False) -> Analysis:
    """The pseudonymised analysis of a revision, made once (about 0.1 s on 1,000 actors) and shared
    read-only like :func:`load`'s. ``masked``: the store itself pseudonymised it for this person
    (a cache key part, so no one is served another role's copy)."""
    return privacy.pseudonymise(load(_store, url, key, revision, masked))


def private_copy(shared: Analysis) -> Analysis:
    """This run's own analysis: new lists around the shared, frozen records."""
    return dataclasses.replace(shared, **{table: list(shared.rows(table)) for table in CHILD_TABLES})


@st.cache_data(ttl=10, max_entries=8, show_spinner=False)
def _summaries(_store: Store, url: str, person: str | None = None, hide: bool = False) -> list:
    return _store.list_analyses(hide_names=hide)


@st.cache_data(ttl=3600, max_entries=128, show_spinner=False)
def grid_frame(url: str, key: str, revision: int, lang: str, grid: str, _build):
    """A DataFrame built once per (database, analysis, revision, language, name)."""
    return _build()


@st.cache_resource(ttl=3600, max_entries=64, show_spinner=False)
def figure_cache(url: str, key: str, revision: int, lang: str, name: str, _build):
    """A plotly figure built once per (database, analysis, revision, language, name), shared read-only."""
    return _build()


def summaries() -> list:
    """The analyses of the workspace (key, name, counts), cached for 10 s and cleared by our writes."""
    hide = names_hidden()  # an analysis' name may hold a sensitive actor's ("Sok Dara's market")
    return memo("summaries", "", int(hide), lambda: _summaries(store(), database_url(), store().person, hide))


def refresh_summaries() -> None:
    """Forget the cached list of analyses (every session's: one list query each), not the analyses."""
    _summaries.clear()
    for hide in (0, 1):
        getattr(run, "memo", {}).pop(("summaries", database_url(), "", hide), None)


def clear_caches() -> None:
    """After a write: every loader forgets, so the next run reads the database."""
    load.clear()
    load_shown.clear()
    figure_cache.clear()
    _summaries.clear()
    grid_frame.clear()
    run.memo = {}
