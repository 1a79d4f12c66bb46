"""History (issue 13): the analysis as of any moment, undoing one change, refusals that change nothing.

A random sequence of edits goes through the store (adds, edits with renames, deletions that cascade,
header changes, undos of random earlier changes); the analysis is snapshotted after each. Then the
analysis rebuilt as of each moment must equal the snapshot taken then, a restored copy must too, and
undoing the last change must give the state before it back.
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
from dnh_graph.store import StaleEditError, Store

ACTOR_KEYS = ["A1", "A2", "A3", "sok_dara"]
FACTOR_KEYS = ["D1", "D2", "C1"]
NAMES = st.sampled_from(["Council", "Sok Dara", "Fishers' association", "Monks", "ក្រុមប្រឹក្សា"])


def _tables(a: Analysis) -> dict[str, list]:
    """The rows of each table, order aside (an undone deletion puts its row back at the end)."""
    return {sheet: sorted(map(repr, a.rows(sheet))) for sheet in a.counts()} | {"info": [repr(a.info)]}


def _same(a: Analysis, b: Analysis) -> bool:
    return a == b and [r.key for r in a.actors] == [r.key for r in b.actors]


def _edit(store: Store, key: str, data) -> bool:
    """One random edit through the store; False when the drawn edit does not apply (nothing written)."""
    a = store.load(key)
    kind = data.draw(st.sampled_from(["actor+", "actor~", "actor-", "rel+", "rel~", "rel-", "factor+", "factor~",
                                      "factor-", "link+", "review+", "reading+", "option~", "header", "actors--"]))
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
        return False
    return True


def _refused_changes_nothing(store: Store, key: str, change_id: int) -> bool:
    """Undo ``change_id``; when refused, check that nothing changed. True when it was undone."""
    before, log = store.load(key), len(store.changes(key))
    try:
        store.undo(key, change_id)
    except (history.HistoryRefusal, InvalidInput, StaleEditError):
        assert store.load(key) == before and len(store.changes(key)) == log
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
    snapshots = [(store.changes(key)[-1].id, store.load(key))]
    for _ in range(data.draw(st.integers(1, 16))):
        before = store.load(key)
        try:
            edited = _edit(store, key, data)
        except InvalidInput:  # a drawn edit the rules refuse (an option status move): nothing was written
            assert store.load(key) == before
            continue
        if not edited:
            continue
        snapshots.append((store.changes(key)[-1].id, store.load(key)))
        if data.draw(st.booleans()):  # undo the last save, change by change, newest first: the state before it
            log = store.changes(key)
            last = [c for c in log if c.txn == log[-1].txn and c.action != "cascade"][::-1]
            for change in last:  # a save deleting two rows is two changes; a cascade comes back with its row
                if not _refused_changes_nothing(store, key, change.id):
                    # the one rule an undo may meet: the option status workflow (rejected never goes
                    # straight back to chosen), which applies to an undo as to any edit
                    assert change.entity == "options"
                    break
                snapshots.append((store.changes(key)[-1].id, store.load(key)))
            else:
                assert _tables(store.load(key)) == _tables(before)
        if data.draw(st.booleans()):  # undo any earlier change: done, or refused and nothing changes
            change = data.draw(st.sampled_from(store.changes(key)))
            if _refused_changes_nothing(store, key, change.id):
                snapshots.append((store.changes(key)[-1].id, store.load(key)))
    current, changes = store.load(key), store.changes(key)
    for upto, snapshot in snapshots:
        assert _same(history.state_as_of(current, changes, upto), snapshot)
    upto, snapshot = data.draw(st.sampled_from(snapshots))
    at = next(c.at for c in changes if c.id == upto)
    copy = store.restore_as_of(key, at, history.copy_name(snapshot.info.name, at))
    assert copy.info.key != key and "as of" in copy.info.name
    assert _same(replace(copy, info=replace(copy.info, key=key, name=snapshot.info.name)), snapshot)
    assert store.load(key) == current  # never overwritten


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


def test_workshop_and_comment_entries_are_listed_but_not_undone(bay):
    from dnh_graph.store import workshop

    workshop.add_note(bay, "bay", "Land dispute", "divider", 2)
    note = bay.changes("bay")[-1]
    assert note.entity == "workshop_note"
    with pytest.raises(history.HistoryRefusal, match="cannot be undone"):
        bay.undo("bay", note.id)


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
