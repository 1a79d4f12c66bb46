"""Presence in the sidebar: who else has this analysis open, and "changed by X just now" when it
changes under someone (issue 13), without a reload.

A fragment reruns on its own every :data:`POLL_S` seconds: one query (the analysis' revision and the
other live sessions, :func:`dnh_graph.store.presence.look`), a heartbeat now and then, and the audit
log's newest row only when the revision moved. It never reruns the screen: the person sees the new
version when they press "Show the new version" (or do anything else). Their unsaved grid drafts live in
``st.session_state`` and so survive both (``app.drafts``).

Only people's names are shown (who is here, who changed it), never what they changed: an actor's name
must not appear while "Hide sensitive names" is on, and the notice would otherwise have to redo the
pseudonymisation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import uuid
from collections import Counter

import streamlit as st

from app import drafts, selection, session, words
from dnh_graph.store import NotFoundError, StaleEditError, presence

__all__ = ["POLL_S", "person", "sidebar", "watch", "names", "notice"]

POLL_S = 3  # seconds between two looks: "within a few seconds" of a save elsewhere
SESSION = "dnh_presence_session"  # session key: this browser session's random id
SEEN = "dnh_presence_seen"  # session key: (analysis key, revision) the screen was last drawn at
BEAT = "dnh_presence_beat"  # session key: (analysis key, time.monotonic()) of the last heartbeat
JUST_NOW_S = 90


def person() -> str:
    """The name the other people see for this session: the name the audit log writes.

    ACCOUNTS PLUG IN HERE: with accounts, the signed-in person's name.
    """
    return session.store().who


def _session() -> str:
    return st.session_state.setdefault(SESSION, uuid.uuid4().hex)


def _beat(key: str | None) -> None:
    """A heartbeat when one is due (first look at an analysis, or every HEARTBEAT_S); a busy database
    skips it, the next one comes soon. No analysis: the session leaves the one it had."""
    last = st.session_state.get(BEAT)
    if key is None:
        if last is not None:
            st.session_state.pop(BEAT)
            with contextlib.suppress(StaleEditError):
                presence.leave(session.store(), _session())
        return
    now = time.monotonic()
    if last is not None and last[0] == key and now - last[1] < presence.HEARTBEAT_S:
        return
    try:
        presence.heartbeat(session.store(), key, _session(), person())
    except (StaleEditError, NotFoundError):  # busy (BusyError is a StaleEditError), or gone
        return
    st.session_state[BEAT] = (key, now)


def sidebar() -> None:
    """Called by the entry point in the sidebar on every full run: remembers the revision this run
    shows (the screens read the same one) and draws the presence fragment."""
    key = selection.selected_key()
    if key is None:
        _beat(None)
        return
    try:
        st.session_state[SEEN] = (key, selection.revision(key))
    except NotFoundError:
        st.session_state[SEEN] = (key, None)
    watch(key)


def names(others: tuple[str, ...]) -> str:
    """"Sokha, Dara (×2)": each person once, in order, with their number of sessions when more than one."""
    counted = Counter(others)
    return ", ".join(words.md(name) if n == 1 else words.t("presence.sessions", name=words.md(name), n=n)
                     for name, n in sorted(counted.items(), key=lambda item: item[0].casefold()))


def notice(change: presence.Change | None, now: dt.datetime | None = None) -> str:
    """The sentence for an analysis that changed under the person: who, and how long ago."""
    if change is None:
        return words.t("presence.changed_unknown")
    now = now or dt.datetime.now(dt.UTC)
    seconds = (now - change.at).total_seconds()
    if seconds < JUST_NOW_S:
        return words.t("presence.changed_now", who=words.md(change.who))
    return words.t("presence.changed_ago", who=words.md(change.who), minutes=max(1, round(seconds / 60)))


@st.fragment(run_every=POLL_S)
def watch(key: str) -> None:
    """Who else is here, and whether the analysis moved since this screen was drawn."""
    _beat(key)
    found = presence.look(session.store(), key, _session())
    if found.others:
        st.caption(words.t("presence.here", names=names(found.others)), help=words.t("presence.here_help"))
    seen_key, seen = st.session_state.get(SEEN, (None, None))
    if seen_key != key or seen is None or found.revision == seen:
        return
    if found.revision is None:
        st.warning(words.t("presence.gone"), icon=":material/sync_problem:")
    else:
        st.info(notice(presence.last_change(session.store(), key)), icon=":material/sync:")
    if drafts.pending_edits():
        st.caption(words.t("presence.draft_kept"))
    if st.button(words.t("presence.show_new"), key="presence_show_new", icon=":material/refresh:"):
        st.rerun()  # the whole app: every screen reads the revision afresh
