"""privacy.pseudonymise: what it replaces, what it keeps, tags and names with other spacing included."""

from __future__ import annotations

from dnh_graph.model import Actor, Analysis, AnalysisInfo, Factor, FactorActor, Relationship
from dnh_graph.privacy import pseudonymise, pseudonyms


def small() -> Analysis:
    return Analysis(
        AnalysisInfo("x", "X", context="Sok Dara met សុខ ដារា; sok dara again."),
        actors=[Actor("sok_dara", "Sok Dara", sensitive=True, description="chief", tags=("t",)),
                Actor("A1", "Council", description="Reports to SOK DARA"),
                Actor("K", "សុខ ដារា", sensitive=True)],
        relationships=[Relationship("sok_dara", "A1", "influence", note="sok_dara pays")],
        factors=[Factor("D1", "divider", "Land", "experiences", description="held by សុខ ដារា")],
        factor_actors=[FactorActor("D1", "K", "drives")],
    )


def test_sensitive_actors_get_labels_skipping_keys_in_use():
    assert pseudonyms(small()) == {"sok_dara": "A2", "K": "A3"}


def test_names_keys_and_free_text_are_replaced_in_any_case():
    p = pseudonymise(small())
    assert [(a.key, a.name, a.description, a.tags) for a in p.actors] == [
        ("A2", "Actor A2", "", ()), ("A1", "Council", "Reports to Actor A2", ()), ("A3", "Actor A3", "", ())]
    assert p.info.context == "Actor A2 met Actor A3; Actor A2 again."
    assert p.relationships[0].source == "A2" and p.relationships[0].note == "Actor A2 pays"
    assert p.factors[0].description == "held by Actor A3"
    assert p.factor_actors[0].actor == "A3"


def test_without_sensitive_actors_nothing_changes():
    a = Analysis(AnalysisInfo("x", "X"), actors=[Actor("A1", "Council")])
    assert pseudonymise(a) is a


def test_a_name_in_another_rows_tags_is_replaced():
    a = small()
    a.actors[1] = Actor("A1", "Council", tags=("Sok Dara",))
    p = pseudonymise(a)
    assert "Sok Dara" not in p.actors[1].tags


def test_a_name_written_with_other_spacing_is_replaced():
    a = small()
    a = Analysis(AnalysisInfo("x", "X", context="Sok  Dara and Sok\nDara"), actors=a.actors)
    assert "Dara" not in pseudonymise(a).info.context
