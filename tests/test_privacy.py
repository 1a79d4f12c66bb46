"""privacy.pseudonymise: what it replaces, what it keeps, tags and names with other spacing included."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnh_graph.model import Actor, Analysis, AnalysisInfo, Factor, FactorActor, Relationship
from dnh_graph.privacy import masked_actors, pseudonym_of, pseudonymise, pseudonyms, shown, shown_types
from tests.strategies import analyses


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


# ------------------------------------------------------------------- types, idempotence, generated analyses
def test_a_type_only_one_sensitive_actor_has_is_shown_as_other():
    a = Analysis(AnalysisInfo("x", "X"), actors=[
        Actor("g1", "Governor", "government", sensitive=True), Actor("g2", "Deputy", "government", sensitive=True),
        Actor("m", "Militia", "armed_group", sensitive=True), Actor("n", "Other militia", "armed_group")])
    assert shown_types(a) == {"g1": "government", "g2": "government", "m": "other"}
    p = pseudonymise(a)
    assert [x.type for x in p.actors] == ["government", "government", "other", "armed_group"]
    assert masked_actors(a)["m"].type == "other" and masked_actors(a)["m"].name == "Actor A3"


def test_pseudonym_of_and_shown():
    a = small()
    assert pseudonym_of(a, "sok_dara") == "Actor A2" and pseudonym_of(a, "A1") is None
    assert shown(a, hide=False) is a
    assert shown(a, hide=True) == pseudonymise(a)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analyses(max_rows=4))
def test_pseudonymising_twice_changes_nothing_more(a):
    once = pseudonymise(a)
    assert pseudonymise(once) == once


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analyses(max_rows=4, characters=st.sampled_from("abcdefgh ក្រុម<>*")))
def test_no_sensitive_name_description_or_type_alone_remains(a):
    p = pseudonymise(a)
    sensitive = [x for x in a.actors if x.sensitive]
    texts = repr([x for x in p.actors if x.sensitive]) + repr(p.info) + repr(p.relationships) + repr(p.factors)
    for actor in sensitive:
        masked = p.by_key("actors")[pseudonyms(a)[actor.key]]
        assert (masked.name, masked.description, masked.tags) == (f"Actor {masked.key}", "", ())
        # a name of 3+ characters that no kept (non-sensitive) text holds anyway is gone everywhere
        kept = " ".join(y.key + " " + y.name + " " + y.description for y in p.actors if not y.sensitive).lower()
        # other tables' keys are identifiers the person chose and stay as typed (only names are masked)
        kept += " " + " ".join(str(getattr(y, "key", "")) for y in [*p.factors, *p.relationships]).lower()
        if len(actor.name.strip()) >= 3 and actor.name.strip().lower() not in kept:
            assert actor.name.strip().lower() not in " ".join(texts.lower().split()) or \
                actor.name.strip().lower() in "actor a1234567890"
    types = [x.type for x in p.actors if x.sensitive]
    assert all(types.count(kind) > 1 or kind == "other" for kind in types)


def test_a_name_written_without_its_space_or_with_a_zero_width_space_is_replaced():
    """Khmer writes words with no space between them (or a zero-width space): "ចាន់សុខា" is the name
    "ចាន់ សុខា" as people type it in notes; "SokDara" likewise."""
    a = Analysis(AnalysisInfo("x", "X", context="ចាន់សុខា's men; ចាន់\u200bសុខា; SokDara; sok \u200bdara"),
                 actors=[Actor("k1", "ចាន់ សុខា", sensitive=True), Actor("k2", "Sok Dara", sensitive=True),
                         Actor("n", "Vendors", description="met ចាន់សុខា")])
    p = pseudonymise(a)
    assert p.info.context == "Actor A1's men; Actor A1; Actor A2; Actor A2"
    assert p.actors[2].description == "met Actor A1"
