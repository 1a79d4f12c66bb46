"""Small hand-built analyses for tests: seed data as code (STYLE.md)."""

from __future__ import annotations

import datetime as dt

from dnh_graph.model import (
    Actor,
    ActorReading,
    Analysis,
    AnalysisInfo,
    Detail,
    Factor,
    FactorActor,
    FactorReading,
    Impact,
    Monitoring,
    Option,
    OptionImpact,
    Relationship,
    Review,
)

KHMER = "ក្រុមប្រឹក្សាឃុំ"  # "commune council"
HOSTILE = "<img src=x onerror=alert(1)> <script>alert('x')</script> \"quoted\" 'single' =HYPERLINK(\"http://x\")"


def rich_analysis(key: str = "bay") -> Analysis:
    """Every table filled, with Khmer, emoji, HTML, formula-like and long text."""
    return Analysis(
        info=AnalysisInfo(key, "Bay fisheries 🐟", location=f"Kampot {KHMER}", context=HOSTILE,
                          conflict="x" * 5000, start_date=dt.date(2024, 1, 15)),
        actors=[
            Actor("A1", KHMER, "local_authority", "supports", 4, "Commune council", False, ("council", "ឃុំ")),
            Actor("A2", "Fisheries patrol", "security_forces", "opposes", 5, HOSTILE, True, ()),
            Actor("A3", "Fishing families", "community_group", "neutral", 2),
        ],
        relationships=[
            Relationship("A1", "A2", "influence", 3, True, "pays"),
            Relationship("A2", "A3", "conflict", 2, False, "-2 seizures"),
        ],
        factors=[
            Factor("D1", "divider", "Access to fishing grounds", "systems_institutions", 5, "who may fish"),
            Factor("D2", "divider", "Informal fees", "attitudes_actions", 3),
            Factor("C1", "connector", "Shared market", "experiences", 4, tags=("market",)),
        ],
        factor_actors=[FactorActor("D1", "A2", "drives"), FactorActor("D1", "A3", "affected"),
                       FactorActor("C1", "A1", "bridges")],
        details=[
            Detail("X1", "with_whom", "patrols", "Work with the patrol", True),
            Detail("X2", "what", "nets", "Distribute nets to members only", True),
            Detail("X3", "how", "old", "Old cash scheme", False),
        ],
        impacts=[
            Impact("X1", "D1", "strengthens", 3, "implicit_ethical_message", "legitimization", "high", "seen"),
            Impact("X2", "D1", "strengthens", 1, "resource_transfer", "distribution", "medium", "",
                   dt.date(2024, 6, 1)),
            Impact("X2", "C1", "strengthens", 2, "resource_transfer", "market"),
            Impact("X3", "D2", "strengthens", 3, "resource_transfer", "theft_diversion"),
            Impact("X1", "C1", "weakens", 1, "staff_behaviour", ""),
        ],
        options=[
            Option("O1", "Patrol with community", "X1", "joint patrols", 3, 2, "chosen", "more staff time"),
            Option("O2", "Open nets to all", "X2", "", 4, 3, "idea"),
            Option("O3", "Market day", "", "an addition", 2, 1, "idea"),
        ],
        option_impacts=[
            OptionImpact("O1", "D1", "strengthens", 1, "implicit_ethical_message", "legitimization"),
            OptionImpact("O1", "C1", "strengthens", 2, "organisational_action"),
            OptionImpact("O2", "C1", "strengthens", 2, "resource_transfer", "distribution"),
            OptionImpact("O3", "C1", "strengthens", 1, "resource_transfer", "market"),
        ],
        reviews=[
            Review("R1", dt.date(2024, 3, 1), "Baseline", "Workshop in Kampot"),
            Review("R2", dt.date(2024, 9, 1), "Q3", "New patrol chief"),
        ],
        factor_readings=[
            FactorReading("R1", "D1", 4, "high"), FactorReading("R1", "C1", 2),
            FactorReading("R2", "D1", 3), FactorReading("R2", "D2", 5, "fees spreading"),
        ],
        actor_readings=[ActorReading("R1", "A2", 5, "opposes"), ActorReading("R2", "A2", 4, "neutral")],
        monitoring=[Monitoring("R1", "conflict_sensitive", "medium", "ok", "keep"),
                    Monitoring("R2", "aware_distribution", "low", "", "review lists")],
    )
