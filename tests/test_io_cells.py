"""The formula-injection rule and the OOXML escape of dnh_graph.io.cells."""

import datetime as dt

import pytest

from dnh_graph.io.cells import export_text, neutralise, ooxml_escape, ooxml_unescape, unneutralise
from dnh_graph.model import TABLES


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["'", "'tis", "''"])
def test_text_starting_with_an_apostrophe_gets_one_more(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["", "plain", "a=1", " =1", "\n=1", "ក្រុម", "#N/A"])
def test_other_text_is_unchanged(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("text", ["", "=1", "'", "''x", "plain", "\r=", "-"])
def test_unneutralise_undoes_neutralise(text):
    assert unneutralise(neutralise(text)) == text


def test_unneutralise_strips_only_one_apostrophe():
    assert unneutralise("''x") == "'x"
    assert unneutralise("x'") == "x'"


@pytest.mark.parametrize("text", ["\r", "a\r\nb", "\x00\x01\x08\x0b\x0c\x0e\x1f", "\ufffe\uffff", "_x0041_",
                                  "_x005F_", "__x0041_", "_x000D_\r", "_x00", "x005F_", "tab\tand\nline"])
def test_ooxml_escape_round_trips(text):
    assert ooxml_unescape(ooxml_escape(text)) == text


def test_ooxml_escape_leaves_no_character_xml_cannot_hold():
    escaped = ooxml_escape("".join(chr(i) for i in range(32)) + "\ufffe\uffff")
    assert all(ch in "\t\n" or ord(ch) >= 32 for ch in escaped)
    assert "\r" not in escaped and "\ufffe" not in escaped


def test_ooxml_unescape_reads_excels_escapes():
    assert ooxml_unescape("line_x000D_\nnext") == "line\r\nnext"
    assert ooxml_unescape("_x005F_x0041_") == "_x0041_"


def test_export_text_formats_each_kind():
    actors = {c.name: c for c in TABLES["actors"].columns}
    assert export_text(actors["sensitive"], True) == "true"
    assert export_text(actors["sensitive"], False) == "false"
    assert export_text(actors["tags"], ("a", "=b")) == "a;=b"
    assert export_text(actors["tags"], ("=a", "b")) == "'=a;b"
    assert export_text(actors["influence"], 3) == "3"
    assert export_text(actors["description"], None) == ""
    assert export_text(actors["name"], "-x") == "'-x"
    reviews = {c.name: c for c in TABLES["reviews"].columns}
    assert export_text(reviews["date"], dt.date(2024, 2, 29)) == "2024-02-29"
