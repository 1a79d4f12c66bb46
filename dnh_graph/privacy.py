"""Pseudonymised copies of an analysis (DESIGN §7, §9): what a person may forward safely.

Actors marked ``sensitive`` become ``Actor A1``-style labels, consistently across the file; their
description and tags are dropped; their key is replaced too (a key such as ``governor_sok`` can name
a person); and every other free-text field that mentions their name (or such a key) has it replaced
by the same label. The original analysis is not changed.

Examples
--------
>>> from dnh_graph.model import Analysis, AnalysisInfo, Actor, Relationship
>>> a = Analysis(AnalysisInfo("x", "X", context="Met Mr Sok Dara twice."),
...              actors=[Actor("sok", "Sok Dara", sensitive=True, description="District chief"),
...                      Actor("A1", "Commune council")],
...              relationships=[Relationship("sok", "A1", "influence")])
>>> p = pseudonymise(a)
>>> p.actors[0].name, p.actors[0].key, p.actors[0].description, p.relationships[0].source, p.info.context
('Actor A2', 'A2', '', 'A2', 'Met Mr Actor A2 twice.')
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

from dnh_graph.model import CHILD_TABLES, TABLES, Analysis

__all__ = ["pseudonyms", "pseudonymise"]


def pseudonyms(analysis: Analysis) -> dict[str, str]:
    """Sensitive actor key -> its pseudonymous key (``A1``, ``A2``, ... skipping keys already in use)."""
    taken = {a.key for a in analysis.actors if not a.sensitive}
    out = {}
    n = 0
    for actor in analysis.actors:
        if not actor.sensitive:
            continue
        n += 1
        while f"A{n}" in taken:
            n += 1
        out[actor.key] = f"A{n}"
        taken.add(f"A{n}")
    return out


def _term_pattern(term: str) -> str:
    """A name as a pattern: any run of white space between its words ("Sok  Dara", "Sok\nDara")."""
    return r"\s+".join(re.escape(part) for part in term.split())


def _redactor(analysis: Analysis, mapping: dict[str, str]):
    """A function replacing every mention of a sensitive actor's name (or long key) in a text."""
    terms: list[tuple[str, str]] = []
    for actor in analysis.actors:
        if actor.key in mapping:
            label = f"Actor {mapping[actor.key]}"
            if actor.name.strip():
                terms.append((actor.name.strip(), label))
            if len(actor.key) >= 4:
                terms.append((actor.key, label))
    if not terms:
        return lambda text: text
    # longest first, so "Sok Dara" is replaced before a shorter name inside it; one group per term
    terms.sort(key=lambda t: len(t[0]), reverse=True)
    pattern = re.compile("|".join(f"({_term_pattern(term)})" for term, _ in terms), re.IGNORECASE)
    labels = [label for _, label in terms]
    return lambda text: pattern.sub(lambda m: labels[m.lastindex - 1], text) if text else text


def pseudonymise(analysis: Analysis) -> Analysis:
    mapping = pseudonyms(analysis)
    if not mapping:
        return analysis
    redact = _redactor(analysis, mapping)

    def clean(record, sheet):
        changes = {}
        for col in TABLES[sheet].columns:
            value = getattr(record, col.name)
            if col.kind == "ref" and col.ref == "actors" and value in mapping:
                changes[col.name] = mapping[value]
            elif col.kind == "text":
                changes[col.name] = redact(value)
            elif col.kind == "tags":
                changes[col.name] = tuple(redact(tag) for tag in value)
        return replace(record, **changes)

    actors = []
    for actor in analysis.actors:
        if actor.key in mapping:
            actors.append(replace(actor, key=mapping[actor.key], name=f"Actor {mapping[actor.key]}",
                                  description="", tags=()))
        else:
            actors.append(clean(actor, "actors"))
    tables = {sheet: [clean(r, sheet) for r in analysis.rows(sheet)] for sheet in CHILD_TABLES if sheet != "actors"}
    assert {f.name for f in fields(Analysis)} == {"info", *CHILD_TABLES}
    return Analysis(info=clean(analysis.info, "analysis"), actors=actors, **tables)
