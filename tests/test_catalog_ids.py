"""Every id the code names is in every catalog; no English literal reaches a display call (AST, no file list)."""

from __future__ import annotations

import ast

import pytest

from dnh_graph.i18n import available_languages, catalog
from tests.catalog_ids import _english, missing_and_unused, scan

FOUND = scan(catalog("en"))


def test_the_scan_finds_the_ids_of_the_code_and_the_templates():
    assert len(FOUND.literal) > 500
    assert "trends.key" in FOUND.literal and "trends.no_review" in FOUND.literal
    assert "report.meta.start_date" in FOUND.literal  # a template's t("meta.start_date")


@pytest.mark.parametrize("lang", sorted(available_languages()))
def test_every_literal_id_is_in_the_catalog(lang):
    missing, _ = missing_and_unused(catalog(lang), FOUND)
    assert [f"{i} ({FOUND.literal[i][0]})" for i in missing] == []


def test_no_english_literal_is_passed_to_a_display_call():
    assert FOUND.english == []


@pytest.mark.parametrize(("source", "shown"), [
    ('st.title("Hello there")', "Hello there"),
    ('st.button(f"Save {key} now")', "Save  now"),
    ('st.title("page.overview")', None),
    ('st.markdown(f":material/info: **{x}**")', None),
    ('st.caption("—")', None),
])
def test_english_is_told_from_ids_and_symbols(source, shown):
    call = ast.parse(source).body[0].value
    assert _english(call.args[0], catalog("en")) == shown


def test_an_id_missing_from_a_catalog_is_reported():
    missing, unused = missing_and_unused({"trends.key": "Key"}, FOUND)
    assert "trends.no_review" in missing and "trends.key" not in missing and unused == []
