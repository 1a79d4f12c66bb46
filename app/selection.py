"""The analysis a screen works on: which one is selected, at which revision, and with names hidden or not.

The revision a screen shows is pinned while a grid is being saved (its Save or delete-confirmation
button was pressed): the grid is redrawn from the very rows the person edited, so their typing is never
thrown away by someone else's save, and the store refuses a stale row with a sentence instead.

Sensitive names (README.md#privacy): while "Hide sensitive names" is on (:data:`app.session.HIDE`, on by
default for every new session), :func:`analysis` and :func:`require_analysis` return the pseudonymised
analysis (:func:`dnh_graph.privacy.pseudonymise`, cached per revision like the analysis itself), so
every screen, chart, table and download made from them is safe by default, a new screen included. The
grids and forms that write records take :func:`require_editable` (the records as stored) and mask what
they show (:mod:`app.grid` does for every grid): :func:`app.session.names_hidden` says whether to,
:func:`masked_actors` gives each sensitive row as it is shown. :func:`table` and :func:`figure` key
their caches by which of the two analyses they were built from.
"""

from __future__ import annotations

import streamlit as st

from app import drafts, session
from app.words import lang, t
from dnh_graph import model, privacy
from dnh_graph.model import Analysis
from dnh_graph.store import NotFoundError

__all__ = ["selected_key", "select", "revision", "variant", "analysis", "editable_analysis",
           "require_analysis", "require_editable", "masked_actors", "hides_names", "shown_of", "table",
           "figure"]


def selected_key() -> str | None:
    return st.session_state.get(session.ANALYSIS)


def select(key: str | None) -> None:
    """Make ``key`` the selected analysis (before the picker is drawn, or followed by a rerun)."""
    st.session_state[session.ANALYSIS] = key


def revision(key: str) -> int:
    """The revision this run shows for ``key`` (the current one, unless a grid save pins the last shown)."""
    def read() -> int:
        shown = st.session_state.setdefault(session.SHOWN_REVISION, {})
        if key in shown and drafts.saving_now():
            return shown[key]
        shown[key] = session.store().revision(key)
        return shown[key]

    return session.memo("revision", key, 0, read)


def variant(a: Analysis) -> str:
    """Which analysis ``a`` is: ``shown`` (pseudonymised for the screen) or ``stored``; a cache key part."""
    return "shown" if id(a) in getattr(session.run, "shown", {}) else "stored"


def _selected(hidden: bool) -> Analysis | None:
    key = selected_key()
    if not key:
        return None
    loader = session.load_shown if hidden else session.load
    store, url = session.store(), session.database_url()
    try:
        rev = revision(key)
        name = "analysis:shown" if hidden else "analysis"
        try:
            masked = session.access(key).masked
            found = session.memo(name, key, rev, lambda: session.private_copy(loader(store, url, key, rev, masked)))
        except session.RevisionMoved:  # show what is saved now (read without the cache), under its revision
            loaded = store.load(key)
            rev = st.session_state.setdefault(session.SHOWN_REVISION, {})[key] = store.revision(key)
            session.run.memo[("revision", url, key, 0)] = rev
            shown = privacy.pseudonymise(loaded) if hidden else loaded
            found = session.memo(name, key, rev, lambda: session.private_copy(shown))
    except NotFoundError:
        return None
    if hidden:  # held until the next run, so its id cannot be reused by another analysis meanwhile
        if not hasattr(session.run, "shown"):
            session.run.shown = {}
        session.run.shown[id(found)] = found
    return found


def analysis() -> Analysis | None:
    """The selected analysis as a screen may show it: pseudonymised while names are hidden
    (:func:`app.session.names_hidden`). None when there is none (or it was deleted meanwhile)."""
    return _selected(session.names_hidden())


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
    return privacy.masked_actors(a) if session.names_hidden() else {}


def hides_names(a: Analysis) -> bool:
    """Whether what is shown of ``a`` (stored records) must be masked: names hidden, and some actor sensitive."""
    return session.names_hidden() and any(actor.sensitive for actor in a.actors)


def shown_of(a: Analysis) -> Analysis:
    """``a`` (stored records) as a screen may show it: the cached pseudonymised analysis when it is the
    selected one, else pseudonymised here; ``a`` itself while names are shown."""
    if not hides_names(a):
        return a
    found = analysis()
    return found if found is not None and found.key == a.key else privacy.pseudonymise(a)


def table(a: Analysis, name: str, build):
    """A read-only DataFrame of the analysis (pathways, per-detail scores), built once per (revision,
    language, names hidden or not) and cached like the grids."""
    return session.grid_frame(session.database_url(), a.key, revision(a.key), lang(), f"table:{variant(a)}:{name}",
                              build)


def figure(a: Analysis, name: str, build):
    """A plotly figure of the analysis, built once per (revision, language) and shared read-only.

    Building a figure validates every property (50–150 ms on the 1,000-actor analysis) and a figure
    unpickled from ``st.cache_data`` is validated again, so figures live in ``st.cache_resource``:
    ``st.plotly_chart`` only reads it (it serialises a copy).
    """
    return session.figure_cache(session.database_url(), a.key, revision(a.key), lang(), f"{variant(a)}:{name}",
                                build)
