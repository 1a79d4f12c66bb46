"""dnh_graph.editing: an edited grid turned into the rows to save."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dnh_graph.editing import GridChanges, clean_cell, diff, grid_frame, grid_rows, next_keys
from dnh_graph.model import Actor, Detail, Factor, Impact, Problem, Relationship

SAVED_ACTORS = [
    Actor("A1", "Commune council", "local_authority", "supports", 4, "", False, ("council",), id=1, version=3),
    Actor("A2", "Fisheries patrol", "security_forces", "opposes", 5, "armed", True, (), id=2, version=1),
]


def as_grid(sheet, records, drop=()):
    """What st.data_editor hands back when nothing was edited."""
    return grid_frame(sheet, records, drop=drop).to_dict("records")


def test_untouched_grid_changes_nothing():
    changes = diff("actors", as_grid("actors", SAVED_ACTORS), SAVED_ACTORS)
    assert changes.empty
    assert changes.upserts == changes.deletes == changes.problems == []


def test_edited_cell_is_an_update_that_keeps_id_and_version():
    grid = as_grid("actors", SAVED_ACTORS)
    grid[1]["name"] = "Provincial fisheries patrol"
    changes = diff("actors", grid, SAVED_ACTORS)
    assert [(r.key, r.name, r.id, r.version) for r in changes.upserts] == [
        ("A2", "Provincial fisheries patrol", 2, 1)]
    assert changes.updated == changes.upserts and changes.inserted == []
    assert changes.rows == [2]
    assert changes.deletes == []


def test_removed_row_is_a_delete_with_its_version():
    grid = as_grid("actors", SAVED_ACTORS)[1:]
    changes = diff("actors", grid, SAVED_ACTORS)
    assert [(r.key, r.id, r.version) for r in changes.deletes] == [("A1", 1, 3)]
    assert changes.upserts == []


def test_new_row_is_an_insert_with_defaults():
    grid = as_grid("actors", SAVED_ACTORS) + [{"key": "A3", "name": "Fishing families", "id": None}]
    changes = diff("actors", grid, SAVED_ACTORS)
    assert changes.inserted == [Actor("A3", "Fishing families")]
    assert changes.inserted[0].id is None
    assert changes.rows == [3]


def test_blank_new_rows_are_ignored():
    grid = as_grid("actors", SAVED_ACTORS) + [
        {"key": None, "name": None, "type": "", "stance": None, "influence": "", "sensitive": False,
         "tags": "", "description": None, "id": float("nan"), "version": float("nan")},
        {},
    ]
    assert diff("actors", grid, SAVED_ACTORS).empty


def test_a_new_row_holding_only_a_default_value_is_refused_not_dropped():
    """Issue 10: a person who typed "Other" in a new row is told the row needs a name."""
    grid = as_grid("actors", SAVED_ACTORS) + [{"type": "other", "influence": 3}]
    problems = diff("actors", grid, SAVED_ACTORS).problems
    assert [(p.row, p.column) for p in problems] == [(3, "key"), (3, "name")]


def test_problems_name_the_grid_row_and_nothing_is_planned_for_that_row():
    grid = as_grid("actors", SAVED_ACTORS) + [
        {"key": "A3", "name": "", "influence": 9},
        {"key": "A4", "name": "Youth group", "type": "youth"},
    ]
    changes = diff("actors", grid, SAVED_ACTORS)
    assert [(p.row, p.column) for p in changes.problems] == [(3, "name"), (3, "influence"), (4, "type")]
    assert all(isinstance(p, Problem) and p.sheet == "actors" for p in changes.problems)
    assert changes.upserts == []


def test_duplicate_keys_inside_the_grid_name_both_rows():
    grid = as_grid("actors", SAVED_ACTORS) + [{"key": "A1", "name": "Another council"}]
    changes = diff("actors", grid, SAVED_ACTORS)
    assert len(changes.problems) == 1
    problem = changes.problems[0]
    assert (problem.row, problem.column) == (3, "key")
    assert "also on row 1" in problem.message


def test_duplicate_link_rows_are_refused():
    grid = [{"source": "A1", "target": "A2", "type": "conflict"}, {"source": "A2", "target": "A1", "type": "weak"}]
    assert diff("relationships", grid, []).problems == []  # relationships have no uniqueness rule
    links = [{"factor": "D1", "actor": "A1", "role": "drives"}, {"factor": "D1", "actor": "A1", "role": "drives"}]
    changes = diff("factor_actors", links, [])
    assert [(p.row, p.column) for p in changes.problems] == [(2, "role")]


def test_a_relationship_with_itself_is_refused():
    changes = diff("relationships", [{"source": "A1", "target": "A1", "type": "conflict"}], [])
    assert [(p.row, p.column) for p in changes.problems] == [(1, "target")]


def test_keys_are_numbered_for_new_rows_left_without_one():
    grid = as_grid("actors", SAVED_ACTORS) + [{"name": "Fishers"}, {"key": " ", "name": "Monks"},
                                              {"key": "A9", "name": "Traders"}]
    changes = diff("actors", grid, SAVED_ACTORS, key_prefix="A", taken_keys=["A7"])
    assert [r.key for r in changes.inserted] == ["A10", "A11", "A9"]


def test_numbering_never_touches_saved_rows():
    grid = as_grid("actors", SAVED_ACTORS)
    grid[0]["key"] = ""
    changes = diff("actors", grid, SAVED_ACTORS, key_prefix="A")
    assert [(p.row, p.column) for p in changes.problems] == [(1, "key")]


def test_fixed_columns_override_the_grid():
    saved = [Factor("D1", "divider", "Land", "experiences", 4, id=5, version=1)]
    grid = as_grid("factors", saved, drop=("kind",)) + [{"name": "Market day", "category": "symbols_occasions"}]
    assert "kind" not in grid[0]
    changes = diff("factors", grid, saved, fixed={"kind": "divider"}, key_prefix="D")
    assert changes.inserted == [Factor("D2", "divider", "Market day", "symbols_occasions")]


def test_editor_values_are_cleaned():
    saved = [Detail("X1", "what", "nets", "Nets for members", True, id=3, version=2)]
    grid = as_grid("details", saved)
    grid[0]["active"] = np.bool_(False)
    grid[0]["id"] = np.int64(3)
    grid[0]["version"] = 2.0  # a column with a NaN elsewhere turns into floats
    changes = diff("details", grid, saved)
    assert [(r.active, r.id, r.version) for r in changes.upserts] == [(False, 3, 2)]


def test_dates_and_numbers_from_the_editor():
    saved = [Impact("X1", "D1", "strengthens", 2, "resource_transfer", id=9, version=1)]
    grid = as_grid("impacts", saved)
    grid[0]["observed_on"] = pd.Timestamp("2025-03-04")
    grid[0]["magnitude"] = np.float64(3.0)
    grid.append({"detail": "X1", "factor": "C1", "effect": "weakens", "magnitude": 1.0,
                 "mechanism": "staff_behaviour", "observed_on": "2025-01-31"})
    changes = diff("impacts", grid, saved)
    assert [(r.observed_on, r.magnitude) for r in changes.upserts] == [
        (dt.date(2025, 3, 4), 3), (dt.date(2025, 1, 31), 1)]


def test_tags_round_trip_through_the_grid():
    rows = grid_rows("actors", SAVED_ACTORS)
    assert rows[0]["tags"] == "council"
    changes = diff("actors", [{**rows[0], "tags": "council; ឃុំ ;; river"}], SAVED_ACTORS[:1])
    assert changes.upserts[0].tags == ("council", "ឃុំ", "river")


def test_hostile_text_is_kept_exactly():
    text = "<img src=x onerror=alert(1)> =HYPERLINK(\"x\") <script>"
    grid = as_grid("actors", SAVED_ACTORS)
    grid[0]["description"] = text
    assert diff("actors", grid, SAVED_ACTORS).upserts[0].description == text


def test_locate_turns_store_positions_into_grid_rows():
    grid = as_grid("relationships", []) + [
        {"source": "A1", "target": "A2", "type": "conflict"},
        {},
        {"source": "A1", "target": "A9", "type": "weak"},
    ]
    changes = diff("relationships", grid, [])
    assert changes.rows == [1, 3]
    store_problem = Problem("relationships", 2, "target", "'A9' is not in the actors table.")
    located = changes.locate([store_problem, Problem("relationships", None, None, "whole table")])
    assert [p.row for p in located] == [3, None]


def test_grid_frame_is_typed_even_when_empty():
    frame = grid_frame("actors", [])
    assert list(frame.columns) == ["key", "name", "type", "stance", "influence", "description", "sensitive",
                                   "tags", "id", "version"]
    assert str(frame["influence"].dtype) == "Int64"
    assert str(frame["sensitive"].dtype) == "boolean"
    assert str(frame["id"].dtype) == "Int64"


def test_grid_frame_extra_columns_are_ignored_by_diff():
    saved = [Factor("C1", "connector", "Market", "experiences", id=1, version=1)]
    frame = grid_frame("factors", saved, drop=("kind",), extra={"linked": ["A1 bridges"]})
    assert frame.loc[0, "linked"] == "A1 bridges"
    assert diff("factors", frame.to_dict("records"), saved, fixed={"kind": "connector"}).empty


def test_relationship_rows_keep_their_references():
    saved = [Relationship("A1", "A2", "conflict", 2, False, "", id=4, version=1)]
    grid = as_grid("relationships", saved)
    grid[0]["strength"] = 3
    changes = diff("relationships", grid, saved)
    assert changes.upserts[0] == Relationship("A1", "A2", "conflict", 3)


@pytest.mark.parametrize("value, expected", [
    (None, None), (float("nan"), None), (pd.NA, None), (pd.NaT, None), (np.int64(4), 4),
    (np.float64(2.5), 2.5), (np.bool_(True), True), (pd.Timestamp("2024-01-02"), dt.date(2024, 1, 2)),
    ("text", "text"), (dt.date(2024, 1, 2), dt.date(2024, 1, 2)),
])
def test_clean_cell(value, expected):
    cleaned = clean_cell(value)
    assert cleaned == expected and type(cleaned) is type(expected)


def test_next_keys():
    keys = next_keys("D", ["D1", "D10", "C3", "Dx", None])
    assert [next(keys) for _ in range(2)] == ["D11", "D12"]
    assert next(next_keys("X", [])) == "X1"


def test_grid_changes_default_is_empty():
    assert GridChanges("actors").empty
    assert GridChanges("actors").locate([Problem("actors", 1, "key", "x")])[0].row == 1
