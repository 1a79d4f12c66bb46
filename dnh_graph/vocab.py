"""The DNH vocabularies (DESIGN §3): stored keys and their display labels.

This is the one place where the method's words live. Stored values are the lowercase keys and never
change with the language; every label a person reads goes through :func:`label`, which asks the
translation catalog (:mod:`dnh_graph.i18n`) first and falls back to the English label here.

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

# Each vocabulary: stored key -> English display label. Order is the order shown to people.
VOCABULARIES: dict[str, dict[str, str]] = {
    "actor_type": {
        "government": "Government",
        "local_authority": "Local authority",
        "civil_society": "Civil society",
        "community_group": "Community group",
        "religious": "Religious",
        "private_sector": "Private sector",
        "donor": "Donor",
        "international": "International",
        "security_forces": "Security forces",
        "armed_group": "Armed group",
        "media": "Media",
        "individual": "Individual",
        "other": "Other",
    },
    "stance": {
        "supports": "Supports",
        "neutral": "Neutral",
        "opposes": "Opposes",
        "unknown": "Unknown",
    },
    "relationship_type": {
        "alliance": "Alliance",
        "cooperation": "Cooperation",
        "weak": "Weak / informal",
        "conflict": "Conflict",
        "broken": "Broken",
        "influence": "Influence",
        "funding": "Funding",
        "coordination": "Coordination",
    },
    "factor_kind": {
        "divider": "Divider",
        "connector": "Connector",
    },
    "factor_category": {
        "systems_institutions": "Systems & institutions",
        "attitudes_actions": "Attitudes & actions",
        "values_interests": "Values & interests",
        "experiences": "Experiences",
        "symbols_occasions": "Symbols & occasions",
    },
    "factor_actor_role": {
        "drives": "Drives",
        "embodies": "Embodies",
        "affected": "Affected",
        "bridges": "Bridges",
    },
    "detail_question": {
        "why": "Why",
        "what": "What",
        "where": "Where",
        "when": "When",
        "with_whom": "With whom",
        "by_whom": "By whom",
        "how": "How",
    },
    "effect": {
        "strengthens": "Strengthens",
        "weakens": "Weakens",
    },
    "mechanism": {
        "resource_transfer": "Resource transfer",
        "implicit_ethical_message": "Implicit ethical message",
        "staff_behaviour": "Staff behaviour",
        "organisational_action": "Organisational action",
    },
    "pattern": {
        "": "(none)",
        "theft_diversion": "Theft / diversion",
        "market": "Market effects",
        "distribution": "Distributional effects",
        "substitution": "Substitution",
        "legitimization": "Legitimization",
        "arms_power": "Arms and power",
        "disrespect_mistrust_competition": "Disrespect, mistrust, competition",
        "impunity": "Impunity",
        "different_value_of_lives": "Different value of lives",
        "powerlessness": "Powerlessness",
        "belligerence_tension_suspicion": "Belligerence, tension, suspicion",
        "publicity": "Publicity",
    },
    "option_status": {
        "idea": "Idea",
        "chosen": "Chosen",
        "testing": "Testing",
        "adopted": "Adopted",
        "rejected": "Rejected",
    },
    "criterion": {
        "conflict_sensitive": "The programme is conflict sensitive",
        "aware_theft_diversion": "Aware of theft / diversion",
        "aware_market": "Aware of market effects",
        "aware_distribution": "Aware of distributional effects",
        "aware_substitution": "Aware of substitution",
        "aware_legitimization": "Aware of legitimization",
        "me_captures_unintended": "M&E captures unintended effects",
    },
    "rating": {
        "high": "High",
        "medium": "Medium",
        "low": "Low",
    },
    "confidence": {
        "low": "Low",
        "medium": "Medium",
        "high": "High",
    },
}

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
    english = VOCABULARIES.get(vocabulary, {}).get(key)
    if english is None:
        return key
    return translate(f"vocab.{vocabulary}.{key or '_none'}", lang, default=english)


def labels(vocabulary: str, lang: str = "en") -> dict[str, str]:
    """All keys of a vocabulary mapped to their labels (for dropdowns)."""
    return {k: label(vocabulary, k, lang) for k in VOCABULARIES[vocabulary]}


def is_harmful(kind: str, effect: str) -> bool:
    """DESIGN §5: an impact is harmful when it strengthens a divider or weakens a connector."""
    return (kind == "divider") == (effect == "strengthens")
