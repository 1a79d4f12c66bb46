"""Presence in the store (issue 13): heartbeats, expiry, the revision and the last changer, on SQLite and
PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import functools
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnh_graph.model import Actor, Analysis, AnalysisInfo
from dnh_graph.store import NotFoundError, Store
from dnh_graph.store.presence import TTL_S, Look, heartbeat, last_change, leave, look
from dnh_graph.store.schema import presence

T0 = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def seconds(n: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=n)


@pytest.fixture
def two(any_store) -> Store:
    any_store.create_analysis(AnalysisInfo("bay", "Bay"))
    any_store.create_analysis(AnalysisInfo("hill", "Hill"))
    return any_store


def test_a_session_sees_the_others_not_itself_until_they_expire(two):
    heartbeat(two, "bay", "s1", "Sokha", now=T0)
    heartbeat(two, "bay", "s2", "Dara", now=seconds(10))
    heartbeat(two, "bay", "s3", "Dara", now=seconds(20))  # Dara in a second tab
    heartbeat(two, "hill", "s4", "Vanna", now=seconds(20))  # another analysis
    assert look(two, "bay", "s1", now=seconds(20)).others == ("Dara", "Dara")
    assert look(two, "bay", "s2", now=seconds(20)).others == ("Dara", "Sokha")
    assert look(two, "hill", "s4", now=seconds(20)).others == ()
    # Sokha's tab closed at 0 s: gone once TTL_S has passed; the boundary itself is still present
    assert look(two, "bay", "s2", now=seconds(TTL_S)).others == ("Dara", "Sokha")
    assert look(two, "bay", "s2", now=seconds(TTL_S + 1)).others == ("Dara",)
    assert look(two, "bay", "nobody", now=seconds(TTL_S + 21)).others == ()


def test_a_heartbeat_deletes_expired_rows_and_a_session_is_in_one_analysis_at_a_time(two):
    heartbeat(two, "bay", "old", "Sokha", now=T0)
    heartbeat(two, "bay", "s2", "Dara", now=seconds(TTL_S + 5))
    with two.engine.connect() as conn:
        assert [r.session for r in conn.execute(presence.select())] == ["s2"]
    heartbeat(two, "hill", "s2", "Dara", now=seconds(TTL_S + 6))  # Dara switched analysis
    assert look(two, "bay", "x", now=seconds(TTL_S + 6)).others == ()
    assert look(two, "hill", "x", now=seconds(TTL_S + 6)).others == ("Dara",)
    leave(two, "s2")
    assert look(two, "hill", "x", now=seconds(TTL_S + 6)).others == ()


def test_the_revision_moves_with_saves_and_not_with_heartbeats(two):
    before = look(two, "bay", "s1").revision
    heartbeat(two, "bay", "s1", "Sokha")
    assert look(two, "bay", "s1").revision == before == two.revision("bay")
    two.who = "Dara"
    two.save_rows("bay", "actors", upserts=[Actor("A1", "Council")])
    assert look(two, "bay", "s1").revision == before + 1
    change = last_change(two, "bay")
    assert change.who == "Dara" and abs((change.at - dt.datetime.now(dt.UTC)).total_seconds()) < 60
    assert last_change(two, "nothing") is None


def test_deleting_or_renaming_the_analysis(two):
    heartbeat(two, "bay", "s1", "Sokha", now=T0)
    info = two.load("bay").info
    two.update_info(AnalysisInfo("bay2", "Bay", version=info.version), key="bay")  # the row follows the rename
    assert look(two, "bay", "s2", now=T0) == Look(None, ())
    assert look(two, "bay2", "s2", now=T0).others == ("Sokha",)
    two.delete_analysis("bay2")  # its presence rows go with it
    with pytest.raises(NotFoundError):
        heartbeat(two, "bay2", "s1", "Sokha", now=T0)
    heartbeat(two, "hill", "s9", "Vanna", now=T0)
    assert look(two, "hill", "s2", now=T0).others == ("Vanna",)


def test_heartbeats_racing_for_one_session_never_fail(two, tmp_path):
    """Two runs of one session (two processes, a fragment and a full run) writing its row at once."""
    if two.engine.dialect.name == "sqlite":  # the in-memory database is one connection: use a file
        two = Store.open(f"sqlite:///{tmp_path / 'race.sqlite'}")
        two.import_analyses([Analysis(AnalysisInfo("bay", "Bay")), Analysis(AnalysisInfo("hill", "Hill"))])
    errors = []

    def beat(n: int) -> None:
        try:
            for i in range(10):
                heartbeat(two, "bay" if i % 2 else "hill", "same", f"P{n}")
        except Exception as error:  # noqa: BLE001 - any error is the failure under test
            errors.append(error)

    threads = [threading.Thread(target=beat, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(look(two, "bay", "x").others) + len(look(two, "hill", "x").others) == 1


@functools.cache
def _oracle_store() -> Store:
    store = Store.open("sqlite://")
    store.import_analyses([Analysis(AnalysisInfo("bay", "Bay")), Analysis(AnalysisInfo("hill", "Hill"))])
    return store


BEATS = st.lists(st.tuples(st.sampled_from(["s1", "s2", "s3", "s4"]), st.sampled_from(["bay", "hill"]),
                           st.integers(0, 200)), max_size=12)


@given(beats=BEATS, later=st.integers(0, 60))
def test_look_answers_as_the_last_heartbeat_of_each_session_says(beats, later):
    """Oracle: each session is where its latest heartbeat (by time) put it, if that is within TTL_S."""
    at = max((when for _, _, when in beats), default=0) + later  # now: after every heartbeat
    store = _oracle_store()
    with store.engine.begin() as conn:
        conn.execute(presence.delete())
    latest: dict[str, tuple[int, str]] = {}
    for session, key, when in sorted(beats, key=lambda b: b[2]):  # the clock only moves forward
        heartbeat(store, key, session, session.upper(), now=seconds(when))
        latest[session] = (when, key)
    for key in ("bay", "hill"):
        expected = sorted(s.upper() for s, (when, k) in latest.items()
                          if k == key and s != "s1" and when >= at - TTL_S)
        assert list(look(store, key, "s1", now=seconds(at)).others) == expected
