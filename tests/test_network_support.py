"""Shared data for the network tests (no tests here): a small river-fisheries context with three reviews."""

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
    Relationship,
    Review,
)

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_HREF = '<a href="javascript:alert(1)">href</a>'


def river(**changes) -> Analysis:
    """Four actors, two dividers, two connectors, three details (one inactive), three reviews.

    As of R1 (2024-03-01): D1 strength 4, C1 2, D2 and C2 unread; only the undated impacts count.
    As of R2 (2024-09-01): D1 3, D2 5, C1 2 (from R1); the impact observed 2024-06-01 counts.
    As of R3 (2025-03-01) and now: D1 2, D2 5, C1 4; every impact of an active detail counts.
    """
    analysis = Analysis(
        info=AnalysisInfo("river", "River fisheries", start_date=dt.date(2024, 1, 15)),
        actors=[
            Actor("A1", "Commune council", "local_authority", "supports", 4, "Elected council", False,
                  ("council",)),
            Actor("A2", "Fisheries patrol", "security_forces", "opposes", 5, "Led by Col. Sok", True,
                  ("patrol",)),
            Actor("A3", "Fishing families", "community_group", "neutral", 2),
            Actor("A4", "Pagoda committee", "religious", "supports", 3),
        ],
        relationships=[
            Relationship("A1", "A2", "influence", 3, True, "The council signs patrol orders"),
            Relationship("A2", "A3", "conflict", 2, False, "Fisheries patrol seizes nets"),
            Relationship("A1", "A3", "cooperation", 2),
            Relationship("A3", "A4", "alliance", 3),
            Relationship("A1", "A4", "broken", 1),
            Relationship("A1", "A2", "funding", 1, True),
        ],
        factors=[
            Factor("D1", "divider", "Access to fishing grounds", "systems_institutions", 5),
            Factor("D2", "divider", "Informal fees", "attitudes_actions", 3),
            Factor("C1", "connector", "Shared market", "experiences", 4),
            Factor("C2", "connector", "Pagoda festival", "symbols_occasions", 2),
        ],
        factor_actors=[FactorActor("D1", "A2", "drives"), FactorActor("D1", "A3", "affected"),
                       FactorActor("C1", "A1", "bridges"), FactorActor("C2", "A4", "embodies")],
        details=[
            Detail("X1", "with_whom", "patrols", "Work with the patrol", True),
            Detail("X2", "what", "nets", "Distribute nets to members only", True),
            Detail("X3", "how", "cash", "Old cash scheme", False),
        ],
        impacts=[
            Impact("X1", "D1", "strengthens", 3, "implicit_ethical_message", "legitimization", "high",
                   "Patrol escorts seen"),
            Impact("X2", "D1", "strengthens", 1, "resource_transfer", "distribution", "medium", "",
                   dt.date(2024, 6, 1)),
            Impact("X2", "C1", "strengthens", 2, "resource_transfer", "market", "low", "",
                   dt.date(2024, 12, 1)),
            Impact("X3", "D2", "strengthens", 3, "resource_transfer", "theft_diversion"),
            Impact("X1", "C1", "weakens", 1, "staff_behaviour", ""),
        ],
        reviews=[
            Review("R1", dt.date(2024, 3, 1), "Baseline"),
            Review("R2", dt.date(2024, 9, 1), "Q3"),
            Review("R3", dt.date(2025, 3, 1), "Q1"),
        ],
        factor_readings=[
            FactorReading("R1", "D1", 4, "high"), FactorReading("R1", "C1", 2),
            FactorReading("R2", "D1", 3), FactorReading("R2", "D2", 5, "fees spreading"),
            FactorReading("R3", "D1", 2), FactorReading("R3", "C1", 4),
        ],
        actor_readings=[ActorReading("R1", "A2", 5, "opposes"), ActorReading("R2", "A2", 3, "neutral")],
    )
    for table, rows in changes.items():
        setattr(analysis, table, rows)
    return analysis


def node_of(graph, key: str) -> dict:
    """The attributes of the node whose key is ``key``."""
    found = [d for _, d in graph.nodes(data=True) if d["key"] == key]
    assert len(found) == 1, key
    return found[0]


def impacts_of(graph) -> set[tuple[str, str]]:
    return {(d["detail"], d["factor"]) for *_, d in graph.edges(data=True) if d["edge_type"] == "impact"}


def outputs_across_hash_seeds(code: str) -> set[str]:
    """What ``code`` prints in two fresh processes with different ``PYTHONHASHSEED``: one element when
    the result does not depend on set or dict ordering of strings (which a rerun in one process hides)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    return {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
