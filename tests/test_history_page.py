"""One page of the history, filtered and paged by the database (issue 13): page after page, it holds
exactly what filtering the whole history in Python held, in the same order, masked exactly as the whole
history masked at once, whoever made the changes and whatever the rows went through (renamed, made
sensitive, deleted, their id given to a new row)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnh_graph import history
from dnh_graph.model import Actor, Analysis, AnalysisInfo, Factor, FactorActor, InvalidInput, Relationship
from dnh_graph.store import Store, history_page
from dnh_graph.store import workshop as room
from tests.accounts_support import fast_hashes  # noqa: F401  (autouse fixture)
from tests.test_history import _edit

COUNTER = itertools.count()


@functools.cache
def _shared_store() -> Store:
    return Store.open("sqlite://", who="tester")


def _start(store: Store, key: str) -> None:
    store.import_analysis(Analysis(
        AnalysisInfo(key, "History"), actors=[Actor("A1", "Council"), Actor("A2", "Sok Dara", sensitive=True),
                                              Actor("A3sok", "Sok clan", sensitive=True)],
        relationships=[Relationship("A1", "A2", "influence", note="Sok Dara pays")],
        factors=[Factor("D1", "divider", "Land", "systems_institutions")],
        factor_actors=[FactorActor("D1", "A2", "drives")]))


def pages(store: Store, key: str, filters: history_page.Filters, size: int, hide: bool) -> list:
    """Every page, newest first, following "older" to the end."""
    found, before = [], None
    for _ in range(1000):
        got = history_page.page(store, key, filters, before, size=size, hide=hide)
        assert len(got.changes) <= size and (got.older is None or len(got.changes) == size)
        found.append(got)
        if got.older is None:
            return found
        before = got.older
    raise AssertionError("the pages never end")


def expected(store: Store, key: str, filters: history_page.Filters, hide: bool) -> list[history.Change]:
    """The oracle: the whole history, masked at once, filtered in Python, newest first."""
    changes = store.changes(key)
    if hide:
        changes = history.mask_sensitive(changes, store.load(key))
    return history.filter_changes(changes, filters.people, filters.entities, filters.start, filters.end)[::-1]


def check(store: Store, key: str, data) -> None:
    everyone, entities = history_page.choices(store, key)
    assert everyone == sorted({c.who for c in store.changes(key)})
    assert entities == sorted({c.entity for c in store.changes(key)})
    today = store.changes(key)[-1].at.date()
    filters = history_page.Filters(
        tuple(data.draw(st.lists(st.sampled_from(everyone), unique=True, max_size=2))),
        tuple(data.draw(st.lists(st.sampled_from(entities), unique=True, max_size=2))),
        *data.draw(st.sampled_from([(None, None), (today, today), (today + dt.timedelta(days=1), None),
                                    (None, today - dt.timedelta(days=1))])))
    hide, size = data.draw(st.booleans()), data.draw(st.integers(1, 9))
    got = pages(store, key, filters, size, hide)
    want = expected(store, key, filters, hide)
    assert [c for p in got for c in p.changes] == want
    assert {p.total for p in got} == {len(want)}


def _history(store: Store, key: str, data) -> None:
    _start(store, key)
    for _ in range(data.draw(st.integers(1, 12))):
        who = data.draw(st.sampled_from(["tester", "dara", "vy"]))
        with contextlib.suppress(InvalidInput):  # a drawn edit the rules refuse: nothing was written
            _edit(Store(store.engine, who=who), key, data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_pages_hold_the_filtered_history_masked_as_a_whole(data):
    store = _shared_store()  # one migrated database; each example its own analysis
    key = f"p{next(COUNTER)}"
    _history(store, key, data)
    check(store, key, data)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_pages_hold_the_filtered_history_on_both_databases(any_store, data):
    key = f"q{next(COUNTER)}"
    _history(any_store, key, data)
    check(any_store, key, data)


@pytest.fixture
def bay(any_store) -> Store:
    any_store.import_analysis(Analysis(AnalysisInfo("bay", "Bay"), actors=[Actor("A1", "Council")]))
    any_store.save_rows("bay", "actors", [Actor("sok_dara", "Sok Dara", "armed_group", description="Colonel north",
                                                sensitive=True)])
    any_store.save_rows("bay", "relationships", [Relationship("sok_dara", "A1", "influence", note="Sok Dara pays")])
    sok = any_store.load("bay").by_key("actors")["sok_dara"]
    room.add_comment(any_store, "bay", "actors", sok.id, "Ask Sok Dara")
    any_store.save_rows("bay", "actors", [replace(sok, key="dara_s", name="Dara Sok")])
    any_store.save_rows("bay", "actors", deletes=[any_store.load("bay").by_key("actors")["dara_s"]])
    any_store.save_rows("bay", "actors", [Actor("A3", "Monks")])
    return any_store


def test_a_deleted_sensitive_actor_stays_masked_page_by_page(bay):
    """Deleted, it is no actor of the analysis any more: only the log says it was sensitive."""
    secrets = ("sok dara", "dara sok", "sok_dara", "dara_s", "colonel")
    for size in (1, 2, 100):
        shown = [c for p in pages(bay, "bay", history_page.Filters(), size, hide=True) for c in p.changes]
        text = " ".join(f"{c.entity_key} {c.before} {c.after}" for c in shown).lower()
        assert not [s for s in secrets if s in text], size
        assert "actor a3" not in text and "monks" in text  # its pseudonym is never a key in use
    shown = [c for p in pages(bay, "bay", history_page.Filters(), 3, hide=False) for c in p.changes]
    assert "sok dara" in " ".join(f"{c.before} {c.after}" for c in shown).lower()


def test_a_viewer_gets_the_page_masked_whatever_they_ask(bay):
    from dnh_graph import accounts

    accounts.add_account(bay, "vic", "pw", "viewer")
    shown = history_page.page(bay.as_person("vic"), "bay", hide=False, size=100).changes
    assert "sok dara" not in " ".join(f"{c.entity_key} {c.before} {c.after}" for c in shown).lower()
    assert shown == history_page.page(bay, "bay", hide=True, size=100).changes


def test_the_moments_of_one_page_are_those_of_the_whole_history(bay):
    whole = history_page.page(bay, "bay", size=1000)
    assert [m.id for m in whole.moments] == [m.id for m in history.moments(bay.changes("bay"))]
    assert whole.sizes == {t: sum(1 for c in bay.changes("bay") if c.txn == t) for t in whole.sizes}
    first, second = (history_page.page(bay, "bay", size=3), history_page.page(bay, "bay", size=3,
                                                                                before=history_page.page(
                                                                                    bay, "bay", size=3).older))
    assert {m.id for m in first.moments} <= {c.id for c in first.changes}
    assert {m.id for m in second.moments} <= {c.id for c in second.changes}


def test_a_new_pseudonym_is_never_a_key_an_actor_once_held(any_store):
    """The pseudonym of a deleted sensitive actor skips every key the log ever saw, even one no actor holds
    now and no entry of the page names: the page reads as the whole history masked at once."""
    any_store.import_analysis(Analysis(AnalysisInfo("bay", "Bay"), actors=[
        Actor("A1", "Council"), Actor("A2", "Fishers"), Actor("A3", "Monks")]))
    any_store.save_rows("bay", "actors", deletes=[any_store.load("bay").by_key("actors")["A2"]])
    any_store.save_rows("bay", "actors", [Actor("sok_dara", "Sok Dara", sensitive=True)])
    any_store.save_rows("bay", "actors", deletes=[any_store.load("bay").by_key("actors")["sok_dara"]])
    shown = history_page.page(any_store, "bay", size=2, hide=True).changes
    assert shown == expected(any_store, "bay", history_page.Filters(), hide=True)[:2]
    assert shown[0].before["name"] == "Actor A4"  # not A2: the fishers held that key once
