"""Issue 10 in dnh_graph: grid cells as text, parsed on the server; conflicts; rebase; the paste box."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from dnh_graph import editing, vocab
from dnh_graph.model import (
    TABLES,
    Actor,
    Analysis,
    AnalysisInfo,
    Relationship,
    parse_row,
    reference_names,
)

ANALYSIS = Analysis(AnalysisInfo("g", "G"), actors=[
    Actor("A1", "Commune council", id=1, version=1), Actor("A2", "Fisheries patrol", id=2, version=4),
    Actor("A3", "Traders", id=3, version=1), Actor("A4", "traders", id=4, version=1)])
REFS = reference_names(ANALYSIS)


def test_a_choice_is_its_key_english_label_or_label_of_the_language_in_any_case(monkeypatch):
    from dnh_graph import i18n

    khmer = {"vocab.actor_type.community_group": "ក្រុមសហគមន៍"}
    english = i18n.catalog("en")
    monkeypatch.setattr(i18n, "catalog", lambda lang: khmer if lang == "km" else english)
    for typed in ("community_group", "Community group", "COMMUNITY GROUP", "community group", "ក្រុមសហគមន៍"):
        record, problems = parse_row("actors", {"key": "A9", "name": "x", "type": typed}, 2, lang="km")
        assert problems == [] and record.type == "community_group", typed
    record, problems = parse_row("actors", {"key": "A9", "name": "x", "type": "Youth"}, 2, lang="en")
    assert record is None and "'Youth' is not one of: Government, Local authority" in problems[0].message


def test_a_reference_is_a_key_a_name_or_what_the_grid_shows():
    for typed, key in (("A2", "A2"), ("a2", "A2"), ("fisheries PATROL", "A2"), ("A2 · Fisheries patrol", "A2"),
                       ("A1 · Commune coun…", "A1")):
        record, problems = parse_row("relationships", {"source": typed, "target": "A3", "type": "conflict"}, 3,
                                     refs=REFS)
        assert problems == [] and record.source == key, typed


def test_an_unknown_or_shared_name_is_refused_with_a_sentence():
    _, problems = parse_row("relationships", {"source": "Monks", "target": "Traders", "type": "conflict"}, 3,
                            refs=REFS)
    assert [(p.column, p.message) for p in problems] == [
        ("source", "'Monks' is not the key or the name of any actor."),
        ("target", "more than one actor is called 'Traders': type the key instead.")]


def test_numbers_are_never_clamped_and_text_is_not_a_number():
    rows = editing.display_rows("actors", ANALYSIS.actors)
    rows[0]["influence"], rows[1]["influence"] = "9", "abc"
    problems = editing.diff("actors", rows, ANALYSIS.actors, refs=REFS).problems
    assert [str(p) for p in problems] == [
        "actors, row 1, influence: must be a whole number from 1 to 5 (got 9).",
        "actors, row 2, influence: must be a whole number from 1 to 5 (got abc)."]


def test_untouched_display_rows_change_nothing_and_versions_come_from_the_rows_read():
    rows = editing.display_rows("actors", ANALYSIS.actors, refs=editing.ref_labels(ANALYSIS, "actors"))
    assert editing.diff("actors", rows, ANALYSIS.actors, lang="en", refs=REFS).empty
    rows[1]["name"] = "Patrol"
    changes = editing.diff("actors", rows, ANALYSIS.actors, lang="en", refs=REFS)
    assert [(r.key, r.version) for r in changes.upserts] == [("A2", 4)]


def test_a_row_someone_else_changed_is_a_conflict_with_yours_and_theirs():
    rows = editing.display_rows("actors", ANALYSIS.actors)
    rows[1]["name"] = "Mine"
    rows.pop(2)  # A3 deleted by me
    changes = editing.diff("actors", rows, ANALYSIS.actors, refs=REFS)
    now = [ANALYSIS.actors[0], dataclasses.replace(ANALYSIS.actors[1], name="Theirs", version=5),
           ANALYSIS.actors[3]]  # A3 deleted by them too
    conflicts = editing.find_conflicts(changes, now)
    assert [(c.row, c.name, c.differences) for c in conflicts] == [
        (2, "A2", [("name", "Mine", "Theirs")]),
        (0, "A3", [(c, None, None) for c in TABLES["actors"].column_names])]
    same = [ANALYSIS.actors[0], dataclasses.replace(ANALYSIS.actors[1], name="Mine", version=5)]
    assert [c.name for c in editing.find_conflicts(changes, same)] == ["A3"]  # same edit: no conflict


def test_who_changed_a_row_comes_from_the_newest_audit_entry():
    entries = [{"entity": "actors", "entity_key": "A2", "who": "sokha", "at": "t2"},
               {"entity": "actors", "entity_key": "A2", "who": "dara", "at": "t1"}]
    assert editing.last_change(entries, "actors", {"A2"}) == ("sokha", "t2")
    assert editing.last_change(entries, "relationships", {"A2"}) is None


def test_apply_edits_handles_edits_of_added_rows():
    state = {"edited_rows": {2: {"name": "typed later"}}, "added_rows": [{"name": "new"}, {}], "deleted_rows": []}
    rows = editing.apply_edits([{"name": "a", "id": 1}, {"name": "b", "id": 2}], state, ["name"])
    assert rows == [{"name": "a", "id": 1}, {"name": "b", "id": 2}, {"name": "typed later", "id": None}]


def test_a_new_row_with_only_a_relationship_type_is_refused_not_dropped():
    rows = [{"type": "Conflict", "id": None}]
    problems = editing.diff("relationships", rows, [], refs=REFS).problems
    assert [(p.row, p.column) for p in problems] == [(1, "source"), (1, "target")]


CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(str.strip).filter(
    lambda s: s and '"' not in s)


@given(st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=8), st.booleans())
def test_pasted_rows_come_back_cell_for_cell(rows, with_header):
    header = ["Name", "Type", "Tags"] if with_header else []
    text = "\n".join("\t".join(r) for r in ([header] if header else []) + [list(r) for r in rows])
    columns = ["name", "type", "tags"] if with_header else ["key", "name", "type"]
    pasted = editing.paste_rows(text, ["key", "name", "type", "tags"])
    if pasted.header != with_header:  # a first data row that happens to name two columns reads as a header
        assert not with_header and all(editing._norm(c) in {"key", "name", "type", "tags"} for c in rows[0][:2])
        return
    assert pasted.rows == [dict(zip(columns, r)) for r in rows]


def test_paste_maps_titles_ignores_unknown_columns_and_keeps_quoted_line_breaks():
    text = 'Actor name\tColour\tDescription\nCouncil\tred\t"two\nlines"\n\n'
    pasted = editing.paste_rows(text, ["key", "name", "description"], {"name": "Actor name"})
    assert pasted.header and pasted.mapping == [("Actor name", "name"), ("Colour", None),
                                                ("Description", "description")]
    assert pasted.rows == [{"name": "Council", "description": "two\nlines"}]


def test_rebase_moves_untouched_rows_and_keeps_mine():
    base = {1: {"name": "a", "id": 1}, 2: {"name": "b", "id": 2}, 3: {"name": "c", "id": 3}}
    mine = [{"name": "a", "id": 1}, {"name": "B", "id": 2}]  # 3 deleted by me
    now = [{"name": "a2", "id": 1}, {"name": "c2", "id": 3}]  # 2 deleted by them
    assert editing.rebase(mine, base, now) == [{"name": "a2", "id": 1}, {"name": "B", "id": 2}]


def test_every_vocabulary_label_reads_back_as_its_key():
    for spec in TABLES.values():
        for col in spec.columns:
            if col.kind != "enum":
                continue
            for key, shown in vocab.labels(col.vocabulary).items():
                if key:
                    row = {c.name: "x" for c in spec.columns if c.required}
                    row.update({col.name: shown.upper()})
                    from dnh_graph.model import _parse_cell

                    assert _parse_cell(col, shown.upper(), "en")[0] == key


def test_a_relationship_between_names_and_back():
    rows = [{"source": "commune council", "target": "A2", "type": "Alliance", "strength": "3", "id": None}]
    changes = editing.diff("relationships", rows, [], lang="en", refs=REFS)
    assert changes.upserts == [Relationship("A1", "A2", "alliance", 3)]


def test_a_review_row_is_checked_against_the_version_it_was_read_at():
    import datetime as dt

    from dnh_graph.model import Factor, FactorReading, Review
    from dnh_graph.reviewing import review_changes

    a = Analysis(AnalysisInfo("r", "R"), factors=[Factor("D1", "divider", "Land", "experiences")],
                 reviews=[Review("R1", dt.date(2025, 1, 1))],
                 factor_readings=[FactorReading("R1", "D1", 4, id=5, version=3)])
    read_at_two = [{"factor": "D1", "strength": "2", "note": "", "id": 5, "version": 2}]
    assert [(r.strength, r.version) for r in review_changes("factor_readings", a, "R1", read_at_two).upserts] == [
        (2, 2)]  # the store refuses version 2: someone saved version 3 meanwhile
    read_blank = [{"factor": "D1", "strength": "2", "note": "", "id": None, "version": None}]
    problems = review_changes("factor_readings", a, "R1", read_blank).problems
    assert [p.message.split(":")[0] for p in problems] == ["was recorded by someone else after you opened this review"]
