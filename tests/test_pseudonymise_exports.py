"""A pseudonymised export of every format (exports.FORMATS, read at run time) names no sensitive actor.

Sensitive actors are named in Latin and in Khmer script, and their names (and a long key) are also
written inside other fields' free text. Every file an export writes is searched, in every way a
writer could encode the text: as is, HTML/XML-escaped, as XML character references, and as ASCII JSON
escapes (``\\u179f``), ignoring case.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import zipfile
from pathlib import Path

import pytest

from dnh_graph import exports
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

LATIN = "Sok Dara"
KHMER = "សុខ ដារា"
LATIN_KEY = "sok_dara"  # a key that names the person is replaced too
SECRET_LATIN = "Collects the informal fees at the landing site"
SECRET_KHMER = "ប្រមូលប្រាក់ពីអ្នកនេសាទ"
SECRET_TAGS = ("tagsecretfees", "ស្លាកសម្ងាត់")
NAMES = (LATIN, KHMER, LATIN_KEY)
DESCRIPTIONS = (SECRET_LATIN, SECRET_KHMER)


def analysis_with_secrets() -> Analysis:
    mention = f"Met {LATIN} and {KHMER} (see {LATIN_KEY})"
    return Analysis(
        info=AnalysisInfo("bay", "Bay fisheries", location="Kampot", context=f"{mention} at the landing.",
                          conflict=f"{LATIN.upper()} and {KHMER} control access.", start_date=dt.date(2024, 1, 15)),
        actors=[
            Actor(LATIN_KEY, LATIN, "local_authority", "opposes", 5, SECRET_LATIN, True, SECRET_TAGS[:1]),
            Actor("K1", KHMER, "security_forces", "opposes", 4, SECRET_KHMER, True, SECRET_TAGS[1:]),
            Actor("A1", "Fishing families", "community_group", "supports", 2, f"Afraid of {LATIN}."),
            Actor("A2", "Commune council", "local_authority", "neutral", 3, f"Reports to {KHMER}."),
        ],
        relationships=[
            Relationship(LATIN_KEY, "A1", "conflict", 3, True, f"{LATIN} takes a share of the catch"),
            Relationship("K1", "A2", "influence", 2, False, f"{KHMER} sits on the council"),
            Relationship("A1", "A2", "cooperation", 2, False, "monthly meeting"),
        ],
        factors=[
            Factor("D1", "divider", f"Fees paid to {LATIN}", "systems_institutions", 5, f"{KHMER} backs the fees"),
            Factor("C1", "connector", "Shared market", "experiences", 3, "Everyone sells at the landing"),
        ],
        factor_actors=[FactorActor("D1", LATIN_KEY, "drives"), FactorActor("D1", "K1", "embodies"),
                       FactorActor("C1", "A1", "bridges")],
        details=[Detail("X1", "with_whom", f"Working with {LATIN}", f"Permits signed by {KHMER}", True)],
        impacts=[Impact("X1", "D1", "strengthens", 3, "implicit_ethical_message", "legitimization", "high",
                        f"{LATIN} shows the permit to others", dt.date(2024, 5, 1)),
                 Impact("X1", "C1", "weakens", 1, "resource_transfer", "distribution", "medium", f"via {KHMER}")],
        options=[Option("O1", f"Stop going through {LATIN}", "X1", f"Ask {KHMER} to step back", 3, 2, "idea",
                        f"{LATIN} may retaliate"),
                 Option("O2", "Permits at the commune", "X1", "", 4, 3, "idea", "")],
        option_impacts=[OptionImpact("O1", "D1", "weakens", 2, "organisational_action", "", "medium",
                                     f"less power for {KHMER}"),
                        OptionImpact("O2", "D1", "weakens", 1, "organisational_action")],
        reviews=[Review("R1", dt.date(2024, 6, 1), f"After {LATIN} left", f"{KHMER} replaced {LATIN}")],
        factor_readings=[FactorReading("R1", "D1", 3, f"{LATIN} gone, fees stay")],
        actor_readings=[ActorReading("R1", LATIN_KEY, 2, "neutral"), ActorReading("R1", "K1", 4, "opposes")],
        monitoring=[Monitoring("R1", "conflict_sensitive", "medium", f"{KHMER} still signs", f"Avoid {LATIN}")],
    )


def encodings(text: str) -> set[str]:
    """Every form a writer could put ``text`` in, lowercased."""
    forms = {
        text,
        html.escape(text),
        json.dumps(text)[1:-1],  # ASCII JSON: \\u179f...
        json.dumps(text, ensure_ascii=False)[1:-1],
        "".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in text),
        "".join(f"&#x{ord(c):x};" if ord(c) > 127 else c for c in text),
        text.replace(" ", "&#32;"),
        text.replace(" ", "\\u0020"),
    }
    return {f.lower() for f in forms}


def written_text(path: Path) -> str:
    """All the text an export wrote: every file of a folder, every member of a zip (xlsx), decoded."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    parts = []
    for f in files:
        data = f.read_bytes()
        if zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as z:
                parts.extend(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        else:
            parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts).lower()


def export_to(tmp_path: Path, analysis: Analysis, fmt: str, **options) -> Path:
    out = tmp_path / (fmt if fmt == "csv" else "export" + exports.SUFFIXES.get(fmt, "." + fmt))
    return exports.export(analysis, fmt, out, **options)


def leaks(text: str, secrets) -> list[str]:
    return [s for s in secrets if any(form in text for form in encodings(s))]


def test_every_format_is_covered():
    assert {"xlsx", "csv", "json", "html"} <= set(exports.FORMATS)


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_without_pseudonymise_the_names_are_there(tmp_path, fmt):
    """The search below finds names when they are written: a clean pseudonymised file means something."""
    text = written_text(export_to(tmp_path, analysis_with_secrets(), fmt))
    assert leaks(text, (LATIN, KHMER)) == [LATIN, KHMER]


@pytest.mark.parametrize("fmt", exports.FORMATS)
@pytest.mark.parametrize("summary", [False, True])
def test_pseudonymised_export_names_no_sensitive_actor(tmp_path, fmt, summary):
    if summary and fmt != "html":
        pytest.skip("--summary only changes the HTML report")
    text = written_text(export_to(tmp_path, analysis_with_secrets(), fmt, pseudonymise=True, summary=summary))
    assert leaks(text, NAMES) == []
    assert leaks(text, DESCRIPTIONS) == []
    assert leaks(text, SECRET_TAGS) == []  # their tags are dropped too


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_pseudonymised_export_as_of_a_review(tmp_path, fmt):
    text = written_text(export_to(tmp_path, analysis_with_secrets(), fmt, pseudonymise=True, review="R1"))
    assert leaks(text, NAMES + DESCRIPTIONS) == []


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_labels_are_consistent_across_the_file(tmp_path, fmt):
    text = written_text(export_to(tmp_path, analysis_with_secrets(), fmt, pseudonymise=True))
    assert "actor a" in text  # 'Actor A3'-style labels stand where the names were


def test_the_same_label_everywhere_in_the_workbook_rows():
    from dnh_graph.privacy import pseudonymise

    p = pseudonymise(analysis_with_secrets())
    labels = {a.name for a in p.actors if a.sensitive}
    assert len(labels) == 2
    for label in labels:
        assert label in p.info.context and label in p.info.conflict
    assert {a.key for a in p.actors if a.sensitive} <= {r.source for r in p.relationships}


def test_the_original_analysis_is_not_changed(tmp_path):
    a = analysis_with_secrets()
    before = dataclasses.replace(a)
    export_to(tmp_path, a, "html", pseudonymise=True)
    assert a == before and a.actors[0].name == LATIN
