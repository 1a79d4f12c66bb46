"""Every id the code names is in every catalog; no English literal reaches a display call (AST, no file list)."""

from __future__ import annotations

import ast
import json
import re

import pytest

from dnh_graph.catalog_ids import WORD, Found, _english, check, format_report, missing_and_unused, scan, scan_source
from dnh_graph.i18n import available_languages, catalog
from dnh_graph.model import TABLES

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


def test_every_problem_refusal_and_store_error_is_a_catalog_id():
    assert FOUND.problems == []


@pytest.mark.parametrize(("source", "english"), [
    ('Problem("actors", 2, "key", "is empty.")', True),
    ('Problem.of("actors", 2, "key", f"got {x}")', True),
    ('guards.refuse(name, "is not a file.")', True),
    ('refuse(name, f"cannot be read ({error}).")', True),
    ('raise StaleEditError("Someone else changed it.")', True),
    ('raise NotFoundError(f"No analysis {key}.")', True),
    ('Problem.of("actors", 2, "key", "problem.required_empty")', False),
    ('guards.refuse(name, "refusal.not_a_file")', False),
    ('raise StaleEditError("stale.conflict")', False),
    ('Problem.of("actors", 2, "key", MESSAGES[what])', False),  # a table of ids: each id is a literal there
])
def test_english_in_a_problem_refusal_or_error_is_found(source, english):
    found = Found()
    scan_source("dnh_graph/x.py", source, catalog("en"), found)
    assert bool(found.problems) is english
    assert (found.literal != {}) is (not english and "MESSAGES" not in source)


def test_an_id_named_in_a_table_of_ids_counts_as_used():
    found = Found()
    scan_source("dnh_graph/x.py", 'ROWS = {"sheet": "refusal.too_many_rows_sheet"}', catalog("en"), found)
    _, unused = missing_and_unused({"refusal.too_many_rows_sheet": "…", "nowhere.used": "…"}, found)
    assert unused == ["nowhere.used"]


def test_an_id_built_by_an_f_string_anywhere_counts_as_used():
    """``workshop.ask.<n>.<i>`` is built by a function and translated by its caller: still used."""
    found = Found()
    source = 'def ask(n, count):\n    return tuple(f"workshop.ask.{n}.{i}" for i in range(count))\nx = f"{a}.html"'
    scan_source("dnh_graph/x.py", source, catalog("en"), found)
    _, unused = missing_and_unused({"workshop.ask.1.2": "…", "workshop.ask": "…", "b.html": "…"}, found)
    assert unused == ["b.html", "workshop.ask"]


def test_the_english_catalog_holds_no_unused_id():
    """Every English sentence is one the code can show: an unused one is a sentence a translator would
    translate for nothing (`dnh i18n check` lists them)."""
    _, unused = missing_and_unused(catalog("en"), FOUND)
    assert unused == []


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


KHMER = re.compile(r"[\u1780-\u17FF]")
NAMES = {"GEXF", "Gephi", "GraphML", "CSV", "DNH", "HTML"}  # product and format names stay in Latin letters


def _english_words(text: str) -> set[str]:
    return set(WORD.findall(re.sub(r"\{[^}]*\}", "", text))) - NAMES


def test_the_khmer_catalog_has_every_id_with_the_same_placeholders():
    english = catalog("en")
    report = check("km", FOUND, english, catalog("km"))
    assert (report.missing, report.mismatched, report.unused) == ([], [], [])
    assert catalog("km")["_language"] == "ខ្មែរ"


def test_every_khmer_text_is_khmer_where_the_english_has_words():
    """A text copied from English (or left in it) is a missing translation too ("the {kind}" may lose its word)."""
    english, khmer = catalog("en"), catalog("km")
    untranslated = [i for i, text in english.items() if not i.startswith("_") and _english_words(text)
                    and not KHMER.search(khmer.get(i, "")) and (_english_words(khmer.get(i, "")) or i not in khmer)]
    assert untranslated == []


def test_the_check_lists_a_missing_id_with_its_english_and_a_changed_placeholder():
    english = catalog("en")
    texts = {**catalog("km")}
    del texts["trends.no_review"]
    texts["grid.saved"] = texts["grid.saved"].replace("{deleted}", "{removed}")
    texts["old.gone"] = "x"
    report = check("km", FOUND, english, texts)
    assert report.missing == ["trends.no_review"] and report.mismatched == ["grid.saved"]
    assert report.unused == ["old.gone"] and report.failed
    text = format_report(report, FOUND, english, texts)
    assert json.dumps(english["trends.no_review"]) in text and "{deleted}" in text and "{removed}" in text


def test_dnh_i18n_check_exits_1_when_an_id_lacks_a_translation(monkeypatch, capsys):
    from dnh_graph import catalog_ids, cli

    assert cli.main(["i18n", "check", "--lang", "km"]) == 0
    monkeypatch.setattr(catalog_ids, "check", lambda lang, found, english, texts: catalog_ids.Report(
        lang, ["trends.no_review"], [], []))
    assert cli.main(["i18n", "check", "--lang", "km"]) == 1
    assert '"trends.no_review": "No review yet' in capsys.readouterr().out
    assert cli.main(["i18n", "check", "--lang", "xx"]) == 2


# ------------------------------------------------------------------- words inside sentences (Term)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize("sheet", list(TABLES))
def test_a_row_named_in_a_khmer_sentence_is_named_in_khmer(sheet):
    """The store's stale-edit refusal, a reference problem and a History refusal name the row's table with
    a catalog word (:class:`dnh_graph.i18n.Term`): English for the command line, Khmer on a Khmer screen,
    even after the error was pickled (Streamlit keeps errors in the session). Before, the table word stayed
    English inside the Khmer sentence ("actor 'A1' ត្រូវបាន...")."""
    import pickle

    from dnh_graph.history import _row_named
    from dnh_graph.model import Problem
    from dnh_graph.store import StaleEditError

    what = TABLES[sheet].singular
    said = [StaleEditError("stale.row_changed", what=what, key="k9", now=2, had=1),
            Problem.of(sheet, 3, "x", "problem.ref_unknown", what=what, value="v9"),
            StaleEditError("history.refused_later", who="u9", when="w9", what=_row_named(sheet, "k9"))]
    for error in said:
        assert what in str(error) if isinstance(error, Exception) else what in error.render("en")
        khmer = pickle.loads(pickle.dumps(error)).render("km")
        assert LATIN_WORD.findall(khmer.replace("k9", "").replace("v9", "").replace("u9", "").replace("w9", "")) == []
