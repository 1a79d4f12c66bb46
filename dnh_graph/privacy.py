"""Pseudonymised copies of an analysis (docs/file-formats.md, README.md#privacy): what a person may forward safely.

Actors marked ``sensitive`` become ``Actor A1``-style labels, consistently across the file; their
description and tags are dropped; their key is replaced too (a key such as ``governor_sok`` can name
a person); and every other free-text field that mentions their name (or such a key) has it replaced
by the same label. A sensitive actor whose type no other sensitive actor shares is shown as ``other``:
in a room, "the one armed group" names it as surely as its name would. The original analysis is not
changed.

The app shows this pseudonymised analysis on every screen while "Hide sensitive names" is on
(``app.selection.analysis``); the grids, which edit the stored records, show each sensitive row as
:func:`masked_actors` gives it and lock its name cell. Pseudonymising twice changes nothing more
(:func:`pseudonymise` is idempotent), so a screen may pass the shown analysis to code that
pseudonymises again (exports, the network drawing).

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
>>> pseudonym_of(a, "sok"), pseudonym_of(a, "A1")
('Actor A2', None)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from dnh_graph.model import CHILD_TABLES, TABLES, Actor, Analysis

__all__ = ["pseudonyms", "pseudonymise", "pseudonym_of", "masked_actors", "shown_types", "shown", "BROAD_TYPE",
           "redactor", "shown_records", "actor_aliases", "unmask_rows"]

BROAD_TYPE = "other"  # what a sensitive actor's type becomes when it alone has that type (docs/method.md#vocabulary)


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


def shown_types(analysis: Analysis) -> dict[str, str]:
    """Sensitive actor key -> the type shown for it once pseudonymised.

    A type held by only one sensitive actor would point at it ("the armed group"), so that actor is
    shown as :data:`BROAD_TYPE`; a type shared by two sensitive actors or more stays (neither can be
    told from the other by it).
    """
    counts: dict[str, int] = {}
    for actor in analysis.actors:
        if actor.sensitive:
            counts[actor.type] = counts.get(actor.type, 0) + 1
    return {a.key: a.type if counts[a.type] > 1 else BROAD_TYPE for a in analysis.actors if a.sensitive}


def masked_actors(analysis: Analysis) -> dict[str, Actor]:
    """Sensitive actor key -> the record a screen shows instead (pseudonymous key and name, no
    description or tags, the type of :func:`shown_types`); ids and versions are the stored ones.

    What a grid editing the stored actors shows in a sensitive row while names are hidden.
    """
    mapping, types = pseudonyms(analysis), shown_types(analysis)
    return {actor.key: replace(actor, key=mapping[actor.key], name=f"Actor {mapping[actor.key]}",
                               description="", tags=(), type=types[actor.key])
            for actor in analysis.actors if actor.key in mapping}


def pseudonym_of(analysis: Analysis, actor_key: str) -> str | None:
    """The label shown for an actor (``Actor A2``) when it is sensitive; None when it is not."""
    found = pseudonyms(analysis).get(actor_key)
    return None if found is None else f"Actor {found}"


def shown(analysis: Analysis, hide: bool) -> Analysis:
    """What a screen may show: the pseudonymised analysis when names are hidden, else the analysis."""
    return pseudonymise(analysis) if hide else analysis


# Khmer separates words with zero-width spaces or nothing at all, not with spaces
_GAP = "\\s\u200b\u200c\u200d\u2060\ufeff"


def _term_pattern(term: str) -> str:
    """A name as a pattern: its words with any gap between them, none included ("Sok  Dara", "Sok\nDara",
    "SokDara", "ចាន់សុខា" for "ចាន់ សុខា", a zero-width space), as people write one name in free text."""
    return f"[{_GAP}]*".join(re.escape(part) for part in re.split(f"[{_GAP}]+", term) if part)


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


def redactor(analysis: Analysis, mapping: Mapping[str, str] | None = None) -> Callable[[str], str]:
    """A function masking every mention of a sensitive actor's name (or long key) in a text, as
    :func:`pseudonymise` masks free text; the identity when no actor is sensitive.

    ``mapping`` (actor key -> pseudonymous key) names the actors to mask and their labels when they are
    not simply the sensitive actors of ``analysis`` (:func:`pseudonyms`): the history masks every name
    a row ever had, deleted rows included.

    >>> from dnh_graph.model import AnalysisInfo
    >>> a = Analysis(AnalysisInfo("x", "X"), actors=[Actor("sok", "Sok Dara", sensitive=True)])
    >>> redactor(a)("Ask sok DARA first"), redactor(a, {})("Ask Sok Dara")
    ('Ask Actor A1 first', 'Ask Sok Dara')
    """
    return _redactor(analysis, dict(pseudonyms(analysis) if mapping is None else mapping))


def _cleaner(analysis: Analysis, mapping: dict[str, str]):
    """A function giving a record as shown: references to sensitive actors by pseudonym, text masked
    (a sensitive actor itself is :func:`masked_actors`' record)."""
    redact = _redactor(analysis, mapping)
    masked = masked_actors(analysis)

    def clean(record, sheet):
        if sheet == "actors" and record.key in masked:
            return masked[record.key]
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

    return clean


def shown_records(analysis: Analysis, sheet: str, records: Iterable[Any]) -> list[Any]:
    """Records of ``sheet`` as :func:`pseudonymise` shows them (ids and versions kept): what a grid of
    stored records shows while names are hidden."""
    mapping = pseudonyms(analysis)
    if not mapping:
        return list(records)
    clean = _cleaner(analysis, mapping)
    return [clean(r, sheet) for r in records]


def actor_aliases(analysis: Analysis) -> dict[str, str]:
    """What a person may type for a sensitive actor while names are hidden (its pseudonymous key, its
    pseudonym, the label a grid shows) -> its stored key."""
    found = {}
    for key, actor in masked_actors(analysis).items():
        for alias in (actor.key, actor.name, f"{actor.key} · {actor.name}"):
            found[alias] = key
    return found


def unmask_rows(rows: Sequence[Mapping[str, Any]], shown: Mapping[Any, Mapping[str, Any]],
                stored: Mapping[Any, Mapping[str, Any]], ref_columns: Iterable[str] = (),
                aliases: Mapping[str, str] | None = None) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """A grid's rows as typed while names were hidden, made ready to save against the stored records.

    ``shown`` and ``stored``: each row (by id) as the grid showed it and as it is stored. A cell shown
    masked and left alone takes its stored value back, so a save never writes a pseudonym over a name;
    one the person changed is refused (``(row number, column)``: it cannot be edited without seeing
    what it hides). In ``ref_columns`` (references to actors) a pseudonym typed is the actor behind it.

    >>> rows = [{"id": 1, "name": "Actor A1", "influence": "5"}, {"id": 2, "name": "Actor A2"}]
    >>> shown = {1: {"name": "Actor A1", "influence": "3"}, 2: {"name": "Actor A2"}}
    >>> stored = {1: {"name": "Sok Dara", "influence": "3"}, 2: {"name": "Mok Rith"}}
    >>> unmask_rows(rows, shown, stored)
    ([{'id': 1, 'name': 'Sok Dara', 'influence': '5'}, {'id': 2, 'name': 'Mok Rith'}], [])
    >>> unmask_rows([{"id": 1, "name": "Someone"}], shown, stored)[1]
    [(1, 'name')]
    """
    aliases = aliases or {}
    refs = set(ref_columns)
    out, refused = [], []
    for n, row in enumerate(rows, start=1):
        row = dict(row)
        was, real = shown.get(row.get("id")), stored.get(row.get("id"))
        for column, value in list(row.items()):
            masked = was is not None and real is not None and column in was and column in real \
                and was[column] != real[column]
            if masked and value == was[column]:
                row[column] = real[column]
            elif column in refs and isinstance(value, str) and value.strip() in aliases:
                row[column] = aliases[value.strip()]
            elif masked:
                refused.append((n, column))
        out.append(row)
    return out, refused


def pseudonymise(analysis: Analysis) -> Analysis:
    """A copy safe to show or forward (module docstring); the analysis itself when nothing is sensitive."""
    mapping = pseudonyms(analysis)
    if not mapping:
        return analysis
    clean = _cleaner(analysis, mapping)
    tables = {sheet: [clean(r, sheet) for r in analysis.rows(sheet)] for sheet in CHILD_TABLES}
    assert {f.name for f in fields(Analysis)} == {"info", *CHILD_TABLES}
    return Analysis(info=clean(analysis.info, "analysis"), **tables)
