"""History (issue 13): the analysis as of any moment, undoing one change, refusals that change nothing.

A random sequence of edits goes through the store (adds, edits with renames, deletions that cascade,
header changes, workshop notes sorted into rows, coach comments, the room's step and timer, undos of
random earlier changes); the analysis and its workshop are snapshotted after each. Then the analysis
and workshop rebuilt as of each moment must equal the snapshot taken then, a restored copy must too,
and undoing the last change must give the state before it back.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnh_graph import history
from dnh_graph.model import (
    Actor,
    ActorReading,
    Analysis,
    AnalysisInfo,
    Factor,
    FactorActor,
    InvalidInput,
    Option,
    Relationship,
    Review,
)
from dnh_graph.store import StaleEditError, Store, entity_key
from dnh_graph.store import workshop as ws

ACTOR_KEYS = ["A1", "A2", "A3", "sok_dara"]
FACTOR_KEYS = ["D1", "D2", "C1"]
NAMES = st.sampled_from(["Council", "Sok Dara", "Fishers' association", "Monks", "ក្រុមប្រឹក្សា"])


def _tables(a: Analysis) -> dict[str, list]:
    """The rows of each table, order aside (an undone deletion puts its row back at the end)."""
    return {sheet: sorted(map(repr, a.rows(sheet))) for sheet in a.counts()} | {"info": [repr(a.info)]}


def _same(a: Analysis, b: Analysis) -> bool:
    return a == b and [r.key for r in a.actors] == [r.key for r in b.actors]


def _room_view(rows: history.Workshop, a: Analysis) -> dict[str, list]:
    """The workshop rows by row id (ids aside), each comment naming the row it is on by key (a comment on
    a row that no longer exists is not shown, and not copied)."""
    where = {(sheet, r.id): entity_key(sheet, r) for sheet in a.counts() for r in a.rows(sheet)}
    out = {e: [dict(v) for _, v in rows.values(e)] for e in ("workshop", "workshop_note")}
    out["comment"] = [{**v, "row_id": where[(v["sheet"], v["row_id"])]} for _, v in rows.values("comment")
                      if (v["sheet"], v["row_id"]) in where]
    return out


def _room(store: Store, key: str) -> dict[str, list]:
    return _room_view(ws.rows(store, key), store.load(key))


def _unordered(room: dict[str, list]) -> dict[str, list]:
    return {e: sorted(map(repr, rows)) for e, rows in room.items()}


def _edit(store: Store, key: str, data) -> bool:
    """One random edit through the store; False when the drawn edit does not apply (nothing written)."""
    a = store.load(key)
    kind = data.draw(st.sampled_from(["actor+", "actor~", "actor-", "rel+", "rel~", "rel-", "factor+", "factor~",
                                      "factor-", "link+", "review+", "reading+", "option~", "header", "actors--",
                                      "note+", "note~", "note-", "sort", "comment+", "resolve", "step"]))
    actors, factors = a.actors, a.factors
    free_actor = [k for k in ACTOR_KEYS if k not in {x.key for x in actors}]
    if kind == "actor+" and free_actor:
        store.save_rows(key, "actors", [Actor(data.draw(st.sampled_from(free_actor)), data.draw(NAMES),
                                              sensitive=data.draw(st.booleans()))])
    elif kind == "actor~" and actors:
        actor = data.draw(st.sampled_from(actors))
        new_key = data.draw(st.sampled_from([actor.key, *free_actor]))
        store.save_rows(key, "actors", [replace(actor, key=new_key, name=data.draw(NAMES),
                                                influence=data.draw(st.integers(1, 5)))])
    elif kind == "actor-" and actors:
        store.save_rows(key, "actors", deletes=[data.draw(st.sampled_from(actors))])
    elif kind == "actors--" and len(actors) >= 2:  # one save deleting two rows that share dependents
        store.save_rows(key, "actors", deletes=data.draw(st.permutations(actors))[:2])
    elif kind == "rel+" and len(actors) >= 2:
        source, target = data.draw(st.permutations(actors))[:2]
        store.save_rows(key, "relationships", [Relationship(source.key, target.key, "conflict",
                                                            data.draw(st.integers(1, 3)))])
    elif kind == "rel~" and a.relationships:
        rel = data.draw(st.sampled_from(a.relationships))
        store.save_rows(key, "relationships", [replace(rel, strength=data.draw(st.integers(1, 3)), note="moved")])
    elif kind == "rel-" and a.relationships:
        store.save_rows(key, "relationships", deletes=[data.draw(st.sampled_from(a.relationships))])
    elif kind == "factor+" and len(factors) < len(FACTOR_KEYS):
        fkey = data.draw(st.sampled_from([k for k in FACTOR_KEYS if k not in {f.key for f in factors}]))
        store.save_rows(key, "factors", [Factor(fkey, "divider" if fkey[0] == "D" else "connector", "Land",
                                                "systems_institutions")])
    elif kind == "factor~" and factors:
        factor = data.draw(st.sampled_from(factors))
        store.save_rows(key, "factors", [replace(factor, priority=data.draw(st.integers(1, 5)), tags=("land",))])
    elif kind == "factor-" and factors:
        store.save_rows(key, "factors", deletes=[data.draw(st.sampled_from(factors))])
    elif kind == "link+" and factors and actors:
        link = FactorActor(data.draw(st.sampled_from(factors)).key, data.draw(st.sampled_from(actors)).key, "drives")
        if link in a.factor_actors:
            return False
        store.save_rows(key, "factor_actors", [link])
    elif kind == "review+" and not a.reviews:
        store.save_rows(key, "reviews", [Review("R1", dt.date(2026, 3, 1), "First")])
    elif kind == "reading+" and a.reviews and actors:
        actor = data.draw(st.sampled_from(actors))
        if any(r.actor == actor.key for r in a.actor_readings):
            return False
        store.save_rows(key, "actor_readings", [ActorReading("R1", actor.key, 4, "opposes")])
    elif kind == "option~":
        if a.options:
            store.save_rows(key, "options", [replace(a.options[0], status=data.draw(st.sampled_from(
                ["idea", "chosen", "rejected"])))])
        else:
            store.save_rows(key, "options", [Option("O1", "Hire locally")])
    elif kind == "header":
        context = data.draw(st.sampled_from(["", "Dry season"]))
        store.update_info(replace(a.info, name=data.draw(NAMES), context=context))
    else:
        return _edit_workshop(store, key, kind, a, data)
    return True


def _edit_workshop(store: Store, key: str, kind: str, a: Analysis, data) -> bool:
    notes, comments = ws.notes(store, key), ws.comments(store, key)
    waiting = [n for n in notes if not n.sorted_to]
    if kind == "note+":
        ws.add_note(store, key, data.draw(NAMES), data.draw(st.sampled_from(ws.NOTE_KINDS)),
                    data.draw(st.integers(1, 7)), parked=data.draw(st.booleans()))
    elif kind == "note~" and notes:
        note = data.draw(st.sampled_from(notes))
        ws.update_note(store, key, replace(note, text=data.draw(NAMES), parked=data.draw(st.booleans())))
    elif kind == "note-" and notes:
        ws.delete_note(store, key, data.draw(st.sampled_from(notes)))
    elif kind == "sort" and waiting:  # a note becomes a divider: one transaction with the row it makes
        ws.sort_note(store, key, data.draw(st.sampled_from(waiting)), "factors",
                     {"kind": "divider", "category": "systems_institutions"})
    elif kind == "comment+" and (a.actors or a.factors):
        sheet, row = data.draw(st.sampled_from([("actors", r) for r in a.actors] + [("factors", r) for r in a.factors]))
        ws.add_comment(store, key, sheet, row.id, data.draw(NAMES))
    elif kind == "resolve" and comments:
        comment = data.draw(st.sampled_from(comments))
        ws.resolve_comment(store, key, comment, not comment.resolved)
    elif kind == "step":
        end = data.draw(st.sampled_from([None, dt.datetime(2026, 12, 3, 10, 30, tzinfo=dt.UTC)]))
        ws.save_session(store, key, replace(ws.session(store, key), step=data.draw(st.integers(1, 7)), timer_end=end,
                                            timer_minutes=data.draw(st.integers(1, 240))))
    else:
        return False
    return True


def _refused_changes_nothing(store: Store, key: str, change_id: int) -> bool:
    """Undo ``change_id``; when refused, check that nothing changed. True when it was undone."""
    before, room, log = store.load(key), _room(store, key), len(store.changes(key))
    try:
        store.undo(key, change_id)
    except (history.HistoryRefusal, InvalidInput, StaleEditError):
        assert store.load(key) == before and _room(store, key) == room and len(store.changes(key)) == log
        return False
    return True


_EXAMPLES: list[None] = []


@functools.cache
def _shared_store() -> Store:
    return Store.open("sqlite://")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_as_of_each_moment_equals_the_snapshot_taken_then(data):
    store = _shared_store()  # one migrated database; each example its own analysis
    _EXAMPLES.append(None)
    key = f"h{len(_EXAMPLES)}"
    store.import_analysis(Analysis(  # a start with rows that refer to each other, so deletions cascade
        AnalysisInfo(key, "History"), actors=[Actor("A1", "Council"), Actor("A2", "Sok Dara", sensitive=True)],
        relationships=[Relationship("A1", "A2", "influence")], factors=[Factor("D1", "divider", "Land",
                                                                                "systems_institutions")],
        factor_actors=[FactorActor("D1", "A2", "drives")]))
    def snapshot() -> tuple[int, Analysis, dict]:
        return store.changes(key)[-1].id, store.load(key), _room(store, key)

    snapshots = [snapshot()]
    for _ in range(data.draw(st.integers(1, 16))):
        before, room = store.load(key), _room(store, key)
        try:
            edited = _edit(store, key, data)
        except InvalidInput:  # a drawn edit the rules refuse (an option status move): nothing was written
            assert store.load(key) == before and _room(store, key) == room
            continue
        if not edited:
            continue
        snapshots.append(snapshot())
        if data.draw(st.booleans()):  # undo the last save, change by change, newest first: the state before it
            log = store.changes(key)
            last = [c for c in log if c.txn == log[-1].txn and c.action != "cascade"][::-1]
            for change in last:  # a save deleting two rows is two changes; a cascade comes back with its row
                if not _refused_changes_nothing(store, key, change.id):
                    # the one rule an undo may meet: the option status workflow (rejected never goes
                    # straight back to chosen), which applies to an undo as to any edit
                    assert change.entity == "options"
                    break
                snapshots.append(snapshot())
            else:
                assert _tables(store.load(key)) == _tables(before)
                assert _unordered(_room(store, key)) == _unordered(room)
        if data.draw(st.booleans()):  # undo any earlier change: done, or refused and nothing changes
            change = data.draw(st.sampled_from(store.changes(key)))
            if _refused_changes_nothing(store, key, change.id):
                snapshots.append(snapshot())
    current, changes, rows = store.load(key), store.changes(key), ws.rows(store, key)
    for upto, then, room in snapshots:
        past = history.state_as_of(current, changes, upto)
        assert _same(past, then)
        assert _room_view(history.workshop_as_of(rows, changes, upto), past) == room
    upto, then, room = data.draw(st.sampled_from(snapshots))
    at = next(c.at for c in changes if c.id == upto)
    copy = store.restore_as_of(key, at, history.copy_name(then.info.name, at))
    assert copy.info.key != key and "as of" in copy.info.name
    assert _same(replace(copy, info=replace(copy.info, key=key, name=then.info.name)), then)
    assert _room(store, copy.info.key) == room
    assert store.load(key) == current and ws.rows(store, key) == rows  # never overwritten


@pytest.fixture
def bay(any_store) -> Store:
    any_store.import_analysis(Analysis(
        AnalysisInfo("bay", "Bay"), actors=[Actor("A1", "Council"), Actor("A2", "Fishers")],
        factors=[Factor("D1", "divider", "Land", "systems_institutions")]))
    return any_store


def test_undo_refused_when_a_later_change_to_the_same_row_depends_on_it(bay):
    council = bay.load("bay").actors[0]
    bay.save_rows("bay", "actors", [replace(council, name="Commune council")])
    first = bay.changes("bay")[-1]
    bay.save_rows("bay", "actors", [replace(bay.load("bay").actors[0], influence=5)])
    with pytest.raises(history.HistoryRefusal) as refused:
        bay.undo("bay", first.id)
    assert "later" in str(refused.value) and bay.who in str(refused.value)
    assert bay.load("bay").actors[0].name == "Commune council"


def test_undo_of_a_creation_refused_while_a_later_row_refers_to_it(bay):
    bay.save_rows("bay", "actors", [Actor("A3", "Monks")])
    created = bay.changes("bay")[-1]
    bay.save_rows("bay", "relationships", [Relationship("A3", "A1", "cooperation")])
    with pytest.raises(history.HistoryRefusal) as refused:
        bay.undo("bay", created.id)
    assert "relationship 'A3>A1 cooperation'" in str(refused.value)
    assert [a.key for a in bay.load("bay").actors] == ["A1", "A2", "A3"]


def test_undo_of_a_deletion_brings_back_the_rows_it_took_with_it(bay):
    bay.save_rows("bay", "relationships", [Relationship("A1", "A2", "conflict")])
    bay.save_rows("bay", "factor_actors", [FactorActor("D1", "A2", "drives")])
    before = bay.load("bay")
    bay.save_rows("bay", "actors", deletes=[before.actors[1]])
    log = bay.changes("bay")
    assert [c.action for c in log[-3:]] == ["cascade", "cascade", "delete"]
    bay.undo("bay", log[-1].id)
    assert _tables(bay.load("bay")) == _tables(before)
    with pytest.raises(history.HistoryRefusal, match="already undone"):
        bay.undo("bay", log[-1].id)


def test_undo_of_a_rename_follows_the_references(bay):
    bay.save_rows("bay", "relationships", [Relationship("A1", "A2", "conflict")])
    bay.save_rows("bay", "actors", [replace(bay.load("bay").actors[0], key="council")])
    bay.undo("bay", bay.changes("bay")[-1].id)
    assert bay.load("bay").relationships[0].source == "A1"
    assert bay.changes("bay")[-1].undo_of is not None


def test_undo_refused_when_the_row_moved_since_the_screen_read_it(bay):
    """Stale-safe: the plan is made inside the transaction, against the row as it is then."""
    council = bay.load("bay").actors[0]
    bay.save_rows("bay", "actors", [replace(council, name="Commune council")])
    shown = bay.changes("bay")[-1]  # what a History screen shows
    other = Store(bay.engine, who="someone else")
    other.save_rows("bay", "actors", [replace(other.load("bay").actors[0], name="Council of elders")])
    with pytest.raises(history.HistoryRefusal, match="someone else"):
        bay.undo("bay", shown.id)


def test_header_undo_and_restore_before_the_analysis_existed(bay):
    bay.update_info(replace(bay.load("bay").info, name="Bay of Kampot"))
    bay.undo("bay", bay.changes("bay")[-1].id)
    assert bay.load("bay").info.name == "Bay"
    with pytest.raises(history.HistoryRefusal, match="did not exist"):
        bay.restore_as_of("bay", dt.datetime(2000, 1, 1, tzinfo=dt.UTC), "old")


def test_history_follows_a_renamed_analysis(bay):
    bay.update_info(replace(bay.load("bay").info, key="kampot"), key="bay")
    assert bay.changes("kampot")[0].action == "create"
    assert history.state_as_of(bay.load("kampot"), bay.changes("kampot"), bay.changes("kampot")[0].id).info.key == "bay"


def test_workshop_changes_are_undone_like_rows(bay):
    """A note's edit, deletion and creation, a comment resolved, the room's step: each undone, each
    undo a change of its own."""
    note = ws.add_note(bay, "bay", "Land dispute", "divider", 2)
    ws.update_note(bay, "bay", replace(note, text="Land and water", parked=True))
    bay.undo("bay", bay.changes("bay")[-1].id)
    back = ws.notes(bay, "bay")[0]
    assert (back.text, back.parked, back.version) == ("Land dispute", False, 3)
    assert bay.changes("bay")[-1].entity == "workshop_note" and bay.changes("bay")[-1].undo_of is not None
    ws.delete_note(bay, "bay", back)
    bay.undo("bay", bay.changes("bay")[-1].id)
    again = ws.notes(bay, "bay")
    assert [(n.text, n.kind, n.step) for n in again] == [("Land dispute", "divider", 2)]
    created = [c for c in bay.changes("bay") if c.action == "create" and c.entity == "workshop_note"][-1]
    assert created.undo_of is not None and created.row_id == again[0].id  # the undone deletion made it
    bay.undo("bay", created.id)
    assert ws.notes(bay, "bay") == []
    comment = ws.add_comment(bay, "bay", "actors", bay.load("bay").actors[0].id, "Which council?")
    ws.resolve_comment(bay, "bay", comment)
    bay.undo("bay", bay.changes("bay")[-1].id)
    assert [(c.text, c.resolved, c.resolved_by) for c in ws.comments(bay, "bay")] == [("Which council?", False, "")]
    room = ws.save_session(bay, "bay", ws.Session(step=3))
    ws.save_session(bay, "bay", replace(room, step=5, timer_end=dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)))
    bay.undo("bay", bay.changes("bay")[-1].id)
    assert (ws.session(bay, "bay").step, ws.session(bay, "bay").timer_end) == (3, None)
    with pytest.raises(history.HistoryRefusal, match="already undone"):
        bay.undo("bay", bay.changes("bay")[-2].id)


def test_undo_of_a_workshop_change_refused_when_a_later_change_touched_it(bay):
    """The same sentence as for a row: who changed it later, and when; nothing changes. It names the
    note by number, never by its text (which may name a sensitive actor)."""
    note = ws.add_note(bay, "bay", "Sok Dara's boats", "actor", 1)
    edited = bay.changes("bay")[-1]
    other = Store(bay.engine, who="someone else")
    ws.update_note(other, "bay", replace(ws.notes(other, "bay")[0], parked=True))
    before, log = ws.notes(bay, "bay"), len(bay.changes("bay"))
    with pytest.raises(history.HistoryRefusal) as refused:
        bay.undo("bay", edited.id)
    assert str(refused.value) == history.HistoryRefusal(
        "history.refused_later", who="someone else", what=f"note #{note.id}",
        when=bay.changes("bay")[-1].at.strftime("%Y-%m-%d %H:%M:%S UTC")).render()
    assert "A later change depends on this one" in str(refused.value) and "Sok Dara" not in str(refused.value)
    assert ws.notes(bay, "bay") == before and len(bay.changes("bay")) == log
    comment = ws.add_comment(bay, "bay", "factors", bay.load("bay").factors[0].id, "Whose land?")
    added = bay.changes("bay")[-1]
    ws.resolve_comment(other, "bay", comment)
    with pytest.raises(history.HistoryRefusal, match="someone else changed the comment"):
        bay.undo("bay", added.id)
    assert ws.comments(bay, "bay")[0].resolved


def test_a_restored_copy_holds_the_workshop_as_it_was(bay):
    ws.save_session(bay, "bay", ws.Session(step=2))
    ws.add_note(bay, "bay", "Land dispute", "divider", 2)
    ws.add_comment(bay, "bay", "actors", bay.load("bay").actors[1].id, "Ask the fishers")
    at = bay.changes("bay")[-1].at
    ws.add_note(bay, "bay", "Later note", "actor", 1)
    ws.resolve_comment(bay, "bay", ws.comments(bay, "bay")[0])
    copy = bay.restore_as_of("bay", at, "copy")
    assert [n.text for n in ws.notes(bay, copy.info.key)] == ["Land dispute"]
    [comment] = ws.comments(bay, copy.info.key)
    assert (comment.text, comment.resolved, comment.row_id) == ("Ask the fishers", False, copy.actors[1].id)
    assert ws.session(bay, copy.info.key).step == 2
    entries = {(c.entity, c.action) for c in bay.changes(copy.info.key)}  # the copy's own history is complete
    assert {("workshop", "create"), ("workshop_note", "create"), ("comment", "create")} <= entries
    assert all(c.complete for c in bay.changes(copy.info.key))


def test_workshop_entries_from_before_undo_are_neither_undone_nor_restored_past():
    """Logged without their row id (before this change): read, but not taken back."""
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    log = [history.Change(1, at, "x", "analysis", "h", "create", None, {"key": "h", "name": "H"}, row_id=1, txn="a"),
           history.Change(2, at, "x", "workshop_note", "4", "create", None,
                          {"text": "n", "kind": "actor", "step": 1, "parked": False, "sorted_to": ""}, txn="b")]
    current = Analysis(AnalysisInfo("h", "H"))
    with pytest.raises(history.HistoryRefusal, match="recorded before"):
        history.undo_plan(current, log, 2, history.Workshop({"workshop_note": {4: log[1].after}}))
    with pytest.raises(history.HistoryRefusal, match="recorded before"):
        history.workshop_as_of(history.Workshop({}), log, 1)
    assert history.restorable_from(log) is None


def test_filters_by_person_table_and_day(bay):
    Store(bay.engine, who="dara").save_rows("bay", "actors", [Actor("A3", "Monks")])
    changes = bay.changes("bay")
    assert {c.who for c in history.filter_changes(changes, people=["dara"])} == {"dara"}
    assert {c.entity for c in history.filter_changes(changes, entities=["factors"])} == {"factors"}
    today = changes[-1].at.date()
    assert history.filter_changes(changes, start=today + dt.timedelta(days=1)) == []
    assert len(history.filter_changes(changes, start=today, end=today)) == len(changes)


def test_hidden_names_never_show_in_the_history_of_a_sensitive_actor(bay):
    """Renamed, described, mentioned in notes, commented on, then deleted: no name, key or description."""
    from dnh_graph.store import workshop

    bay.save_rows("bay", "actors", [Actor("sok_dara", "Sok Dara", "armed_group", description="Colonel, north bank",
                                          sensitive=True, tags=("Sok clan",))])
    bay.save_rows("bay", "relationships", [Relationship("sok_dara", "A1", "influence", note="Sok Dara pays them")])
    sok = bay.load("bay").by_key("actors")["sok_dara"]
    workshop.add_comment(bay, "bay", "actors", sok.id, "Check with Sok Dara's family")
    bay.save_rows("bay", "actors", [replace(sok, key="dara_s", name="Dara Sok")])
    bay.update_info(replace(bay.load("bay").info, context="Dara Sok controls the landing"))
    bay.save_rows("bay", "actors", deletes=[bay.load("bay").by_key("actors")["dara_s"]])
    bay.save_rows("bay", "actors", [Actor("A3", "Monks")])
    changes = bay.changes("bay")
    secrets = ["sok dara", "dara sok", "sok_dara", "dara_s", "colonel", "sok clan"]
    plain = " ".join(f"{c.entity_key} {history.describe(c)}" for c in changes).lower()
    assert all(s in plain for s in ("sok dara", "dara_s", "colonel"))  # the oracle sees them unmasked
    shown = history.mask_sensitive(changes, bay.load("bay"))
    text = " ".join(f"{c.entity_key} {history.describe(c)} {c.before} {c.after}" for c in shown).lower()
    assert not [s for s in secrets if s in text]
    assert "actor a3" not in text  # the deleted actor's pseudonym is never a key in use (A3 is the monks)
    assert "council" in text and "monks" in text  # others stay readable


def test_undo_never_touches_a_newer_row_that_got_the_same_id(bay):
    """SQLite gives a deleted row's id to the next new row: undoing the old row's creation must not
    delete the new one."""
    bay.save_rows("bay", "actors", [Actor("A3", "Monks")])
    created = bay.changes("bay")[-1]
    bay.save_rows("bay", "actors", deletes=[bay.load("bay").by_key("actors")["A3"]])
    bay.save_rows("bay", "actors", [Actor("A4", "Traders")])
    with pytest.raises(history.HistoryRefusal):
        bay.undo("bay", created.id)
    assert [a.key for a in bay.load("bay").actors] == ["A1", "A2", "A4"]


def test_entries_older_than_migration_0004_are_listed_but_neither_undone_nor_restored_past():
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    old = [history.Change(1, at, "x", "analysis", "h", "create", None, {"key": "h", "name": "H"}),
           history.Change(2, at, "x", "actors", "A1", "create", None, {"key": "A1", "name": "Council"})]
    new = history.Change(3, at, "y", "actors", "A1", "update", {"key": "A1", "name": "Council"},
                         {"key": "A1", "name": "Commune council"}, row_id=1, version=2, txn="t")
    current = Analysis(AnalysisInfo("h", "H"), actors=[Actor("A1", "Commune council", id=1, version=2)])
    assert history.moments([*old, new]) == [] and history.restorable_from([*old, new]) is None
    with pytest.raises(history.HistoryRefusal, match="recorded before"):
        history.state_as_of(current, [*old, new], 1)
    with pytest.raises(history.HistoryRefusal, match="recorded before"):
        history.undo_plan(current, [*old, new], 2)
    assert history.undo_plan(current, [*old, new], 3).steps[0][1][0].name == "Council"  # a complete one can
