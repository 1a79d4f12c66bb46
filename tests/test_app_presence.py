"""AppTest of presence (issue 13): "Also here: …" in the sidebar, and "Changed by X just now" with a
button to see the new version, which keeps the person's unsaved draft.

AppTest cannot rerun a fragment alone (every ``run()`` is a full run, which shows the new version), so
the notice is tested on the fragment itself (``AppTest.from_function``), and the whole app in the
browser (tests/test_browser_presence.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from app import presence_ui
from dnh_graph.model import Actor, Analysis, AnalysisInfo
from dnh_graph.store import Store
from dnh_graph.store.presence import TTL_S, heartbeat, look
from tests.test_app_workshop import ok, open_page


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'presence.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    monkeypatch.setenv("DNH_USER", "Chanthy")
    store = Store.open(url)
    for key in ("ws", "other"):
        store.import_analysis(Analysis(AnalysisInfo(key, key.title()), actors=[
            Actor("A1", "Council"), Actor("A2", "Governor Sok", "government", sensitive=True)]))
    return store


def sidebar_text(at) -> str:
    return "\n".join(str(e.value) for e in [*at.sidebar.caption, *at.sidebar.info, *at.sidebar.warning])


def test_the_sidebar_names_the_other_people_here_and_this_session_is_seen_by_them(db):
    heartbeat(db, "ws", "s-sokha", "Sokha")
    heartbeat(db, "ws", "s-dara-1", "Dara")
    heartbeat(db, "ws", "s-dara-2", "Dara")
    heartbeat(db, "other", "s-vanna", "Vanna")  # on another analysis
    heartbeat(db, "ws", "s-gone", "Bopha", now=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=TTL_S + 5))
    at = open_page("overview")
    assert "Also here: Dara (×2), Sokha" in sidebar_text(at)
    assert "Vanna" not in sidebar_text(at) and "Bopha" not in sidebar_text(at)
    assert "Changed by" not in sidebar_text(at)
    assert look(db, "ws", "s-sokha").others == ("Chanthy", "Dara", "Dara")  # this session's heartbeat
    at.session_state["dnh_analysis"] = "other"
    at.run()
    ok(at)
    assert "Also here: Vanna" in sidebar_text(at)
    assert look(db, "ws", "s-sokha").others == ("Dara", "Dara")  # the session moved with its analysis


def test_a_full_run_shows_the_new_version_and_keeps_the_draft(db):
    at = open_page("context_actors")
    at.session_state["actors__editor"] = {"edited_rows": {0: {"description": "typed by Chanthy"}},
                                          "added_rows": [], "deleted_rows": []}
    at.run()
    ok(at)
    other = Store(db.engine, who="Dara")
    council = db.load("ws").actors[0]
    other.save_rows("ws", "actors", upserts=[Actor("A3", "Fishing families")])
    assert council.version == db.load("ws").actors[0].version
    at.run()
    ok(at)
    assert "Changed by" not in sidebar_text(at)  # the screen now shows what is saved
    assert at.session_state["dnh_presence_seen"] == ("ws", db.revision("ws"))
    rows = at.session_state["dnh_drafts"]["ws|actors|hidden"]["rows"]  # names are hidden by default
    assert rows[0]["description"] == "typed by Chanthy"
    assert any(c.value.startswith("Someone saved changes to this analysis after you started") for c in at.caption)


def _fragment_alone():
    """The presence fragment as the entry point calls it, with the revision this screen was drawn at
    preset (as a run before the other person's save left it)."""
    from app import presence_ui

    presence_ui.watch("ws")


def test_the_fragment_says_who_changed_it_and_never_what(db):
    seen = db.revision("ws")
    Store(db.engine, who="Dara").save_rows("ws", "actors", upserts=[
        Actor("A2", "Governor Sok Renamed", "government", sensitive=True,
              id=db.load("ws").actors[1].id, version=db.load("ws").actors[1].version)])
    at = AppTest.from_function(_fragment_alone, default_timeout=30)
    at.session_state["dnh_presence_seen"] = ("ws", seen)
    draft = {"ws|actors": {"rows": [{"id": 1, "name": "typed"}], "base": {1: {"id": 1, "name": "Council"}}}}
    at.session_state["dnh_drafts"] = draft
    at.run()
    ok(at)
    said = "\n".join(str(e.value) for e in [*at.info, *at.caption])
    assert "Changed by Dara just now." in said
    assert "Governor" not in said and "Sok" not in said and "A2" not in said
    assert at.button(key="presence_show_new").label == "Show the new version"
    at.button(key="presence_show_new").click().run()
    ok(at)
    assert at.session_state["dnh_drafts"] == draft


def test_the_fragment_is_quiet_while_nothing_changed_and_says_when_the_analysis_is_gone(db):
    at = AppTest.from_function(_fragment_alone, default_timeout=30)
    at.session_state["dnh_presence_seen"] = ("ws", db.revision("ws"))
    at.run()
    ok(at)
    assert not at.info and not at.warning and not at.button
    db.delete_analysis("ws")
    at.run()
    ok(at)
    assert [w.value for w in at.warning] == ["This analysis was renamed or deleted meanwhile."]


@pytest.mark.parametrize(("ago", "said"), [(5, "Changed by Dara just now."), (600, "Changed by Dara 10 min ago.")])
def test_the_notice_says_how_long_ago(ago, said):
    now = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
    change = presence_ui.presence.Change("Dara", now - dt.timedelta(seconds=ago))
    assert presence_ui.notice(change, now=now) == said


def test_names_are_escaped_and_counted():
    assert presence_ui.names(("*Sokha*", "Dara", "dara", "Dara")) == "\\*Sokha\\*, Dara (×2), dara"
