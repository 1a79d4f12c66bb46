"""dnh_graph.store.workshop: the room's step and timer, quick notes, coach comments (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnh_graph.model import AnalysisInfo, InvalidInput
from dnh_graph.store import StaleEditError, Store
from dnh_graph.store import workshop as ws
from tests.factories import rich_analysis


@pytest.fixture
def team(any_store) -> Store:
    any_store.create_analysis(AnalysisInfo("w", "Workshop"))
    return any_store


def test_a_room_comes_back_to_its_step_and_timer(team):
    assert ws.session(team, "w") == ws.Session()
    end = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    saved = ws.save_session(team, "w", ws.Session(step=4, timer_end=end, timer_minutes=15))
    assert saved.version == 1
    again = ws.session(team, "w")
    assert (again.step, again.timer_end, again.timer_minutes, again.version) == (4, end, 15, 1)
    moved = ws.save_session(team, "w", dataclasses.replace(again, step=5, timer_end=None))
    assert ws.session(team, "w") == moved and moved.version == 2
    entries = [(e["entity"], e["action"]) for e in team.audit_entries("w")][:2]
    assert entries == [("workshop", "update"), ("workshop", "create")]


def test_a_stale_step_change_is_refused(team):
    first = ws.save_session(team, "w", ws.Session(step=2))
    ws.save_session(team, "w", dataclasses.replace(first, step=3))
    with pytest.raises(StaleEditError):
        ws.save_session(team, "w", dataclasses.replace(first, step=6))
    with pytest.raises(StaleEditError):  # a second "first save" from another laptop
        ws.save_session(team, "w", ws.Session(step=1))
    assert ws.session(team, "w").step == 3


@pytest.mark.parametrize("step", [0, 8])
def test_a_step_outside_the_method_is_refused(team, step):
    with pytest.raises(InvalidInput):
        ws.save_session(team, "w", ws.Session(step=step))


def test_notes_are_kept_parked_and_sorted_into_rows(team):
    actor = ws.add_note(team, "w", "  Commune council ", "actor", 1)
    divider = ws.add_note(team, "w", "Land dispute", "divider", 2)
    parked = ws.add_note(team, "w", "Ask the donor about the budget", "unsorted", 2, parked=True)
    assert [n.text for n in ws.notes(team, "w")] == ["Commune council", "Land dispute", parked.text]
    assert ws.notes(team, "w")[2].parked
    ws.sort_note(team, "w", actor, "actors", {"name": actor.text, "type": "local_authority"})
    ws.sort_note(team, "w", divider, "factors", {"name": divider.text, "category": "systems_institutions"})
    a = team.load("w")
    assert [(x.key, x.name, x.type) for x in a.actors] == [("commune_council", "Commune council", "local_authority")]
    assert [(f.key, f.kind) for f in a.factors] == [("land_dispute", "divider")]
    assert [n.sorted_to for n in ws.notes(team, "w")] == ["commune_council", "land_dispute", ""]
    entities = {e["entity"] for e in team.audit_entries("w")}
    assert {"actors", "factors", "workshop_note"} <= entities


def test_a_bad_row_leaves_the_note_a_note(team):
    note = ws.add_note(team, "w", "Nets", "detail", 4)
    revision = team.revision("w")
    with pytest.raises(InvalidInput) as caught:
        ws.sort_note(team, "w", note, "details", {"description": "Nets", "question": "not_a_question"})
    assert caught.value.problems[0].column == "question"
    assert ws.notes(team, "w")[0].sorted_to == "" and team.load("w").details == []
    assert team.revision("w") == revision


def test_a_note_sorted_twice_makes_one_row(team):
    note = ws.add_note(team, "w", "Shared market", "connector", 3)
    ws.sort_note(team, "w", note, "factors", {"name": "Shared market", "category": "systems_institutions"})
    with pytest.raises(StaleEditError):
        ws.sort_note(team, "w", note, "factors", {"name": "Shared market", "kind": "connector",
                                                    "category": "systems_institutions"})
    assert len(team.load("w").factors) == 1


def test_sorting_gives_a_free_key(team):
    for _ in range(3):
        note = ws.add_note(team, "w", "Teachers", "actor", 1)
        ws.sort_note(team, "w", note, "actors", {"name": "Teachers"})
    assert [x.key for x in team.load("w").actors] == ["teachers", "teachers_2", "teachers_3"]


@pytest.mark.parametrize("text", ["", "   ", "x" * (ws.MAX_NOTE + 1), "a\x00b"])
def test_an_empty_or_overlong_note_is_refused_with_one_sentence(team, text):
    with pytest.raises(InvalidInput) as caught:
        ws.add_note(team, "w", text, "unsorted", 1)
    assert len(caught.value.problems) == 1
    assert ws.notes(team, "w") == []


def test_a_note_edited_meanwhile_is_not_overwritten(team):
    note = ws.add_note(team, "w", "Rice price", "unsorted", 2)
    ws.update_note(team, "w", dataclasses.replace(note, kind="divider"))
    with pytest.raises(StaleEditError):
        ws.update_note(team, "w", dataclasses.replace(note, parked=True))
    with pytest.raises(StaleEditError):
        ws.delete_note(team, "w", note)
    assert ws.notes(team, "w")[0].kind == "divider"


def test_comments_on_rows_are_resolved_and_survive_a_key_rename(any_store):
    any_store.import_analysis(rich_analysis())
    key = rich_analysis().info.key
    a = any_store.load(key)
    detail = a.details[0]
    c = ws.add_comment(any_store, key, "details", detail.id, "Who chose the members?")
    ws.add_comment(any_store, key, "impacts", a.impacts[0].id, "Evidence?")
    any_store.save_rows(key, "details", [dataclasses.replace(detail, key="X1b")])
    mine = ws.comments(any_store, key, "details", detail.id)
    assert [(x.text, x.author, x.resolved) for x in mine] == [("Who chose the members?", "tester", False)]
    done = ws.resolve_comment(any_store, key, mine[0])
    assert ws.comments(any_store, key, "details", detail.id)[0].resolved and done.resolved_by == "tester"
    with pytest.raises(StaleEditError):
        ws.resolve_comment(any_store, key, c, resolved=False)
    assert len(ws.comments(any_store, key)) == 2


def test_a_comment_on_a_deleted_row_or_another_table_is_refused(team):
    with pytest.raises(StaleEditError):
        ws.add_comment(team, "w", "actors", 12345, "Hello")
    with pytest.raises(InvalidInput):
        ws.add_comment(team, "w", "reviews", 1, "Hello")


def test_deleting_the_analysis_takes_its_workshop_along(team):
    ws.save_session(team, "w", ws.Session(step=3))
    ws.add_note(team, "w", "x", "unsorted", 3)
    team.delete_analysis("w")
    team.create_analysis(AnalysisInfo("w", "Again"))
    assert ws.session(team, "w") == ws.Session() and ws.notes(team, "w") == []


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=st.text(min_size=1, max_size=80).filter(lambda s: s.strip() and "\x00" not in s))
def test_any_typed_name_becomes_an_actor_or_one_sentence(store, text):
    if not store.exists("h"):
        store.create_analysis(AnalysisInfo("h", "H"))
    note = ws.add_note(store, "h", text, "actor", 1)
    row = ws.sort_note(store, "h", note, "actors", {"name": note.text})
    stored = store.load("h").by_key("actors")[row.sorted_to]
    assert stored.name == note.text and row.sorted_to
