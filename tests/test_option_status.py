"""The option status workflow holds on every path that edits a saved option (issue 15), and only there.

Edits of a saved option (the status buttons, the options grid, the options table import) all reach
``Store.save_rows``, which refuses a move the workflow does not allow, naming the option, both statuses
and the moves allowed. A new option, or a whole analysis imported or restored, keeps the status it
records.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dnh_graph import editing, option_status, options, tables, vocab
from dnh_graph.model import Analysis, AnalysisInfo, Detail, InvalidInput, Option
from dnh_graph.store import StaleEditError, Store

STATUSES = vocab.keys("option_status")


def _saved(store: Store, status: str = "idea") -> Option:
    store.import_analysis(Analysis(AnalysisInfo("w", "Workshop"), details=[Detail("X1", "with_whom")],
                                   options=[Option("O1", "Open the list", "X1", status=status),
                                            Option("O2", "Market day", "X1")]))
    return store.load("w").by_key("options")["O1"]


def _refusal(error: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in error.value.problems]


def test_the_pages_and_the_store_share_one_rule():
    assert options.STATUS_FLOW is option_status.STATUS_FLOW
    assert options.allowed_transitions is option_status.allowed_transitions
    assert options.status_problems is option_status.status_problems


def test_a_skipped_step_is_refused_with_a_sentence_and_nothing_changes(any_store):
    o1 = _saved(any_store)
    before = any_store.revision("w")
    with pytest.raises(InvalidInput) as error:
        any_store.save_rows("w", "options", upserts=[dataclasses.replace(o1, status="adopted")])
    assert _refusal(error) == ["options, row 1, status: option O1 cannot go from Idea to Adopted; from Idea it can "
                               "go to: Chosen, Rejected."]
    assert any_store.load("w").by_key("options")["O1"].status == "idea"
    assert any_store.revision("w") == before


@settings(max_examples=40, deadline=None)
@given(start=st.sampled_from(STATUSES), wanted=st.sampled_from(STATUSES))
def test_a_move_lands_exactly_when_the_workflow_allows_it(start, wanted):
    store = Store.open("sqlite://", who="tester")
    o1 = _saved(store, start)
    allowed = wanted == start or wanted in option_status.STATUS_FLOW[start]
    try:
        store.save_rows("w", "options", upserts=[dataclasses.replace(o1, status=wanted, title="Renamed")])
    except InvalidInput as error:
        assert not allowed
        [problem] = error.problems
        assert (problem.row, problem.column) == (1, "status")
        assert f"option O1 cannot go from {vocab.label('option_status', start)} to " \
               f"{vocab.label('option_status', wanted)}" in problem.message
        assert store.load("w").by_key("options")["O1"] == o1  # nothing else of the row landed either
    else:
        assert allowed
        assert store.load("w").by_key("options")["O1"].status == wanted


def test_the_grid_path_is_refused_at_the_row_the_person_edited(store):
    o1 = _saved(store)
    originals = store.load("w").options
    rows = editing.grid_frame("options", originals).to_dict("records")
    rows[0]["status"] = "testing"
    changes = editing.diff("options", rows, originals)
    assert not changes.problems
    with pytest.raises(InvalidInput) as error:
        store.save_rows("w", "options", upserts=changes.upserts)
    [problem] = changes.locate(error.value.problems)
    assert problem.row == 1 and "option O1 cannot go from Idea to Testing" in problem.message
    assert store.load("w").by_key("options")["O1"] == o1


def test_the_table_import_no_longer_bypasses_the_workflow(store):
    _saved(store)
    csv = b"key,detail,title,status\nO1,X1,Open the list,adopted\nO2,X1,Market day,chosen\nO3,,Complaint line,testing\n"
    rows = tables.rows_from_upload("options", "options.csv", csv)
    plan = tables.plan_import("options", rows, store.load("w").options)
    assert not plan.problems
    with pytest.raises(InvalidInput) as error:
        store.save_rows("w", "options", upserts=plan.upserts)
    assert [str(p) for p in plan.locate(error.value.problems)] == [
        "options, row 2, status: option O1 cannot go from Idea to Adopted; from Idea it can go to: Chosen, "
        "Rejected."]  # row 2 of the file: its first row is the header
    assert {o.key: o.status for o in store.load("w").options} == {"O1": "idea", "O2": "idea"}


def test_new_options_and_whole_analyses_keep_the_status_they_record(store):
    _saved(store, "adopted")
    store.save_rows("w", "options", upserts=[Option("O3", "Complaint line", status="testing")])
    assert {o.key: o.status for o in store.load("w").options} == {"O1": "adopted", "O2": "idea", "O3": "testing"}
    copy = store.duplicate_analysis("w", "w2")
    assert {o.key: o.status for o in copy.options} == {"O1": "adopted", "O2": "idea", "O3": "testing"}


def test_a_stale_status_edit_is_refused_as_stale_not_as_a_workflow_problem(store):
    o1 = _saved(store)
    store.save_rows("w", "options", upserts=[dataclasses.replace(o1, status="chosen")])
    with pytest.raises(StaleEditError, match="changed by someone else"):
        store.save_rows("w", "options", upserts=[dataclasses.replace(o1, status="adopted")])
