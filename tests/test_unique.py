"""The uniqueness rule is written once (model.Unique): every path that takes rows words a duplicate alike."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnh_graph import editing, model, tables
from dnh_graph.model import Actor, FactorActor, InvalidInput, Problem, Unique
from tests.factories import rich_analysis

KEYS = st.text("ABC123", min_size=1, max_size=3)


@given(st.lists(KEYS, min_size=1, max_size=8))
def test_a_key_is_refused_from_its_second_row_on_naming_the_first(keys):
    unique = Unique("actors")
    problems = [unique.check(Actor(k, "name"), n) for n, k in enumerate(keys, start=2)]
    for n, (key, problem) in enumerate(zip(keys, problems), start=2):
        first = keys.index(key) + 2
        if first == n:
            assert problem is None
        else:
            assert (problem.row, problem.column, problem.msgid) == (n, "key", "problem.duplicate")
            assert problem.message == f"duplicate key '{key}' (also on row {first})."


def test_a_saved_row_and_a_link_table():
    unique = Unique("factor_actors", saved=[FactorActor("D1", "A1", "drives")])
    assert str(unique.check(FactorActor("D1", "A1", "drives"), 1)) == \
        "factor_actors, row 1, role: duplicate factor, actor, role 'D1/A1/drives' (already saved)."
    assert unique.check(FactorActor("D1", "A1", "affected"), 2) is None
    assert Unique("relationships").check(object(), 1) is None  # no uniqueness rule


def _sheet_read() -> Problem:
    raw = {"analysis": [(2, {"key": "k", "name": "K"})],
           "actors": [(2, {"key": "A1", "name": "one"}), (3, {"key": "A1", "name": "two"})]}
    return next(p for p in model.validate_analysis(raw)[1] if p.sheet == "actors")


def _grid_save() -> Problem:
    return editing.diff("actors", [{"key": "A1", "name": "one"}, {"key": "A1", "name": "two"}], []).problems[0]


def _table_import() -> Problem:
    return tables.plan_import("actors", [(2, {"key": "A1", "name": "one"}), (3, {"key": "A1", "name": "two"})],
                              []).problems[0]


def _store_save(store) -> Problem:
    store.import_analysis(rich_analysis())
    with pytest.raises(InvalidInput) as error:
        store.save_rows("bay", "actors", upserts=[Actor("A9", "one"), Actor("A9", "two")])
    return error.value.problems[0]


def test_every_path_words_a_duplicate_the_same(store):
    numbered = [_sheet_read(), _table_import()]  # rows 2 and 3 of a file
    assert {(p.msgid, p.params) for p in numbered} == {("problem.duplicate",
                                                        (("columns", "key"), ("value", "A1"), ("first", 2)))}
    counted = [_grid_save(), _store_save(store)]  # rows 1 and 2 of a grid
    assert [p.message for p in counted] == ["duplicate key 'A1' (also on row 1).",
                                            "duplicate key 'A9' (also on row 1)."]
