"""Ids built from keys are in the catalog (literal ids of the whole code: tests/test_catalog_ids.py)."""

from __future__ import annotations

from pathlib import Path

from app.screens import SCREENS
from dnh_graph import vocab
from dnh_graph.i18n import catalog

REPO = Path(__file__).resolve().parent.parent
DYNAMIC = [
    *(f"factors.{k}s" for k in ("divider", "connector")), *(f"factors.{k}s_help" for k in ("divider", "connector")),
    *(f"intervention.question.{q}" for q in vocab.keys("detail_question")),
    *(f"intervention.flags.{q}" for q in vocab.keys("detail_question")),
    *(f"sheet.{s}" for s in ("actors", "relationships", "factors", "factor_actors", "details", "impacts",
                              "options", "option_impacts", "reviews", "factor_readings", "actor_readings",
                              "monitoring")),
    *(s.title for s in SCREENS), *(s.section for s in SCREENS if s.section),
]


def test_every_built_message_is_in_the_catalog():
    english = catalog("en")
    assert [m for m in DYNAMIC if m not in english] == []


def test_step_messages_are_in_the_catalog():
    from dnh_graph.model import Analysis, AnalysisInfo
    from dnh_graph.steps import progress

    assert all(s.msgid in catalog("en") for s in progress(Analysis(AnalysisInfo("e", "E"))))


def test_column_labels_cover_every_column():
    from dnh_graph.model import TABLES

    english = catalog("en")
    for spec in TABLES.values():
        for col in spec.columns:
            assert f"col.{spec.name}.{col.name}" in english or f"col.{col.name}" in english, col.name


def test_every_vocabulary_key_has_its_label_in_the_catalog():
    english = catalog("en")
    for name, entries in vocab.VOCABULARIES.items():
        for key in entries:
            assert english.get(f"vocab.{name}.{key or '_none'}"), (name, key)


def test_the_catalog_names_its_language():
    assert catalog("en")["_language"] == "English"
