"""The DNH vocabularies (docs/method.md#vocabulary): stored keys and their display labels.

This is the one place where the method's keys live. Stored values are the lowercase keys and never
change with the language; every label a person reads goes through :func:`label`, which reads the
catalog id ``vocab.<vocabulary>.<key>`` (``_none`` for the empty key).

Examples
--------
>>> label("factor_kind", "divider")
'Divider'
>>> is_harmful("divider", "strengthens"), is_harmful("connector", "strengthens")
(True, False)
"""

from __future__ import annotations

from dnh_graph.i18n import translate

__all__ = [
    "VOCABULARIES",
    "RESOURCE_TRANSFER_PATTERNS",
    "IMPLICIT_ETHICAL_MESSAGE_PATTERNS",
    "PATTERN_FAMILY",
    "keys",
    "label",
    "labels",
    "is_harmful",
]

RESOURCE_TRANSFER_PATTERNS = (
    "theft_diversion",
    "market",
    "distribution",
    "substitution",
    "legitimization",
)
IMPLICIT_ETHICAL_MESSAGE_PATTERNS = (
    "arms_power",
    "disrespect_mistrust_competition",
    "impunity",
    "different_value_of_lives",
    "powerlessness",
    "belligerence_tension_suspicion",
    "publicity",
)
# Each vocabulary: its stored keys, in the order shown to people (labels: catalog ``vocab.<vocabulary>.<key>``).
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "actor_type": (
        "government",
        "local_authority",
        "civil_society",
        "community_group",
        "religious",
        "private_sector",
        "donor",
        "international",
        "security_forces",
        "armed_group",
        "media",
        "individual",
        "other",
    ),
    "stance": (
        "supports",
        "neutral",
        "opposes",
        "unknown",
    ),
    "relationship_type": (
        "alliance",
        "cooperation",
        "weak",
        "conflict",
        "broken",
        "influence",
        "funding",
        "coordination",
    ),
    "factor_kind": (
        "divider",
        "connector",
    ),
    "factor_category": (
        "systems_institutions",
        "attitudes_actions",
        "values_interests",
        "experiences",
        "symbols_occasions",
    ),
    "factor_actor_role": (
        "drives",
        "embodies",
        "affected",
        "bridges",
    ),
    "detail_question": (
        "why",
        "what",
        "where",
        "when",
        "with_whom",
        "by_whom",
        "how",
    ),
    "effect": (
        "strengthens",
        "weakens",
    ),
    "mechanism": (
        "resource_transfer",
        "implicit_ethical_message",
        "staff_behaviour",
        "organisational_action",
    ),
    "pattern": ("", *RESOURCE_TRANSFER_PATTERNS, *IMPLICIT_ETHICAL_MESSAGE_PATTERNS),
    "option_status": (
        "idea",
        "chosen",
        "testing",
        "adopted",
        "rejected",
    ),
    "criterion": (
        "conflict_sensitive",
        "aware_theft_diversion",
        "aware_market",
        "aware_distribution",
        "aware_substitution",
        "aware_legitimization",
        "me_captures_unintended",
    ),
    "rating": (
        "high",
        "medium",
        "low",
    ),
    "confidence": (
        "low",
        "medium",
        "high",
    ),
}

# Which of the two DNH families a pattern belongs to (the method groups them this way).
PATTERN_FAMILY: dict[str, str] = {
    **{p: "resource_transfer" for p in RESOURCE_TRANSFER_PATTERNS},
    **{p: "implicit_ethical_message" for p in IMPLICIT_ETHICAL_MESSAGE_PATTERNS},
}


def keys(vocabulary: str) -> tuple[str, ...]:
    """The stored keys of a vocabulary, in display order."""
    return tuple(VOCABULARIES[vocabulary])


def label(vocabulary: str, key: str, lang: str = "en") -> str:
    """The display label of a stored key in the chosen language.

    An unknown key is shown as itself, so a label never hides data a person entered.
    """
    if key not in VOCABULARIES.get(vocabulary, ()):
        return key
    return translate(f"vocab.{vocabulary}.{key or '_none'}", lang)


def labels(vocabulary: str, lang: str = "en") -> dict[str, str]:
    """All keys of a vocabulary mapped to their labels (for dropdowns)."""
    return {k: label(vocabulary, k, lang) for k in VOCABULARIES[vocabulary]}


def is_harmful(kind: str, effect: str) -> bool:
    """docs/method.md: an impact is harmful when it strengthens a divider or weakens a connector."""
    return (kind == "divider") == (effect == "strengthens")
