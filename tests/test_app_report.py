"""The Report page (AppTest): empty database, empty analysis, the demo analyses; choices and privacy."""

from __future__ import annotations

import pytest

from dnh_graph import demo, exports
from dnh_graph.model import AnalysisInfo
from dnh_graph.render import report
from dnh_graph.store import Store
from tests.apptest_support import app, page_path, texts

PAGE = page_path("report")
DEMO_KEYS = ("child_protection_network", "child_rights_ngo", "hiv_support")


@pytest.fixture
def database(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    return Store.open(url)


def open_report(analysis_key: str | None = None):
    at = app()
    if analysis_key:
        at.session_state["dnh_next_analysis"] = analysis_key
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def preview(at) -> str:
    frames = at.get("iframe")
    assert len(frames) == 1
    return frames[0].proto.srcdoc


def test_empty_database_shows_the_import_and_no_report(database):
    at = open_report()
    assert "No analysis selected" in texts(at)
    assert len(at.get("download_button")) == 0
    assert len(at.get("file_uploader")) == 1


def test_empty_analysis(database):
    database.create_analysis(AnalysisInfo("empty", "Nothing yet"))
    at = open_report("empty")
    assert len(at.get("download_button")) == len(exports.FORMATS)
    html = preview(at)
    assert "<h1>Nothing yet</h1>" in html and "No review yet" in html
    assert "Content-Security-Policy" in html
    assert at.toggle(key="rep_pseudo_empty").value is False  # nothing sensitive: not pseudonymised


@pytest.mark.parametrize("key", DEMO_KEYS)
def test_demo_analyses(database, key):
    demo.load_demo(database)
    at = open_report(key)
    # sorted: the buttons sit in four columns, and AppTest lists a column's elements before the next one's
    assert sorted(b.proto.label for b in at.get("download_button")) == sorted(
        report_label for report_label in (
            {"xlsx": "Excel workbook", "csv": "CSV folder (zip)", "json": "JSON backup", "html": "HTML report",
             "gexf": "GEXF (Gephi)", "graphml": "GraphML", "network": "Network (HTML)"}.get(f, f.upper())
            for f in exports.FORMATS))
    html = preview(at)
    analysis = database.load(key)
    assert analysis.info.name.split(":")[0] in html
    for section in report.SECTIONS:
        assert f'<section id="{section}"' in html
    assert "<script" not in html.lower() and "http://" not in html and "https://" not in html


def test_sensitive_analysis_starts_pseudonymised_and_can_be_switched(database):
    demo.load_demo(database)
    analysis = database.load("hiv_support")
    sensitive = [a for a in analysis.actors if a.sensitive]
    assert sensitive
    at = open_report("hiv_support")
    toggle = at.toggle(key="rep_pseudo_hiv_support")
    assert toggle.value is True and toggle.disabled  # names hidden (the sidebar switch): locked on
    html = preview(at)
    assert "Pseudonymised:" in html
    for actor in sensitive:
        assert actor.name not in html
    at.toggle(key="dnh_hide_names").set_value(False).run()
    assert at.toggle(key="rep_pseudo_hiv_support").value is True  # it starts from the switch
    at.toggle(key="rep_pseudo_hiv_support").set_value(False).run()
    assert not at.exception
    html = preview(at)
    assert all(actor.name in html for actor in sensitive)
    assert "marked sensitive" in html


def test_summary_sections_and_review(database):
    demo.load_demo(database)
    at = open_report("hiv_support")
    full = preview(at)
    at.button_group(key="rep_variant").set_value("summary").run()
    assert not at.exception
    summary = preview(at)
    assert len(summary) < len(full)
    assert "Do No Harm summary for managers" in summary
    at.multiselect(key="rep_sections_summary").set_value(["scores", "trends"]).run()
    html = preview(at)
    assert 'id="scores"' in html and 'id="trends"' in html and 'id="pathways"' not in html
    at.selectbox(key="rep_review").set_value("R1").run()
    assert not at.exception
    assert "As of review</dt><dd>R1" in preview(at)


def test_no_section_chosen(database):
    demo.load_demo(database)
    at = open_report("hiv_support")
    at.multiselect(key="rep_sections_full").set_value([]).run()
    assert not at.exception
    assert "Choose at least one section" in texts(at)
    assert len(at.get("iframe")) == 0
