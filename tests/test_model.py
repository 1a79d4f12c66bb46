"""One validation path: each kind of bad cell gets a located sentence."""

import datetime as dt

from dnh_graph import vocab
from dnh_graph.model import TABLES, Actor, parse_row, validate_analysis


def _base(**extra):
    tables = {
        "analysis": [(2, {"key": "k", "name": "K"})],
        "actors": [(2, {"key": "A1", "name": "Council"}), (3, {"key": "A2", "name": "Patrol"})],
        "factors": [(2, {"key": "D1", "kind": "divider", "name": "Land", "category": "experiences"})],
    }
    tables.update(extra)
    return tables


def _problems(**extra):
    analysis, problems = validate_analysis(_base(**extra))
    assert analysis is None
    return [str(p) for p in problems]


def test_valid_minimal_analysis_with_defaults():
    analysis, problems = validate_analysis(_base())
    assert problems == []
    assert analysis.actors[0] == Actor("A1", "Council", "other", "unknown", 3, "", False, ())


def test_labels_and_case_are_accepted_for_enums():
    record, problems = parse_row("factors", {"key": "C1", "kind": "Connector", "name": "n",
                                             "category": "Systems & institutions"})
    assert problems == [] and (record.kind, record.category) == ("connector", "systems_institutions")


def test_every_kind_of_cell_problem_is_located():
    bad = {"key": "A1", "name": "x", "influence": "9", "type": "army", "sensitive": "maybe"}
    assert _problems(actors=[(2, bad)]) == [
        "actors, row 2, type: 'army' is not one of: government, local_authority, civil_society, community_group, "
        "religious, private_sector, donor, international, security_forces, armed_group, media, individual, other.",
        "actors, row 2, influence: must be a whole number from 1 to 5 (got 9).",
        "actors, row 2, sensitive: must be true/false, yes/no or 1/0 (got 'maybe').",
    ]
    assert _problems(reviews=[(4, {"key": "R1", "date": "12/03/2024"})]) == [
        "reviews, row 4, date: must be a date written YYYY-MM-DD (got '12/03/2024')."]


def test_unknown_reference_and_duplicate_key():
    problems = _problems(
        relationships=[(2, {"source": "A1", "target": "A9", "type": "conflict"})],
        details=[(2, {"key": "X1", "question": "what"}), (3, {"key": "X1", "question": "how"})],
    )
    assert problems == ["relationships, row 2, target: 'A9' is not in the actors sheet.",
                        "details, row 3, key: duplicate key 'X1' (also on row 2)."]


def test_required_sheets_and_empty_required_cells():
    analysis, problems = validate_analysis({"analysis": [(2, {"key": "k", "name": ""})]})
    assert [str(p) for p in problems] == [
        "actors: this sheet is required but missing.",
        "factors: this sheet is required but missing.",
        "analysis, row 2, name: is empty; this column is required.",
    ]


def test_spreadsheet_values_are_accepted():
    record, problems = parse_row("impacts", {"detail": "X1", "factor": 7.0, "effect": "weakens", "magnitude": 2.0,
                                             "mechanism": "resource_transfer",
                                             "observed_on": dt.datetime(2024, 5, 1)})
    assert problems == [] and record.factor == "7" and record.magnitude == 2
    assert record.observed_on == dt.date(2024, 5, 1)


def test_every_enum_column_names_a_vocabulary():
    for spec in TABLES.values():
        for col in spec.columns:
            if col.kind == "enum":
                assert col.vocabulary in vocab.VOCABULARIES


def test_harm_rule():
    assert vocab.is_harmful("divider", "strengthens") and vocab.is_harmful("connector", "weakens")
    assert not vocab.is_harmful("divider", "weakens") and not vocab.is_harmful("connector", "strengthens")


def test_dependents_follow_references_transitively():
    from dnh_graph.model import dependents
    from tests.factories import rich_analysis

    a = rich_analysis()
    assert dependents(a, "details", "X1") == {"impacts": 2, "options": 1, "option_impacts": 2}
    assert dependents(a, "reviews", "R1") == {"factor_readings": 2, "actor_readings": 1, "monitoring": 1}
    assert dependents(a, "factors", "D2") == {"impacts": 1, "factor_readings": 1}
    assert dependents(a, "actors", "A3") == {"relationships": 1, "factor_actors": 1}
