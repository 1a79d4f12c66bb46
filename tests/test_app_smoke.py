"""AppTest: the entry point and every screen run without exception on an empty database, an empty
analysis and each demo analysis (issue 3, acceptance)."""

from __future__ import annotations

import pytest

from app.screens import available
from dnh_graph.demo import load_demo
from dnh_graph.model import AnalysisInfo
from dnh_graph.store import Store
from tests.apptest_support import WORKSHOP_PAGES, app, page_path, texts

DEMOS = ("child_protection_network", "child_rights_ngo", "hiv_support")
ALL_PAGES = tuple(s.id for s in available())


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    return Store.open(url)


def ok(at) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def open_page(page: str, key: str | None = None):
    at = app()
    if key:
        at.session_state["dnh_analysis"] = key
    at.switch_page(page_path(page))
    return at.run()


def test_every_workshop_screen_is_declared():
    assert set(WORKSHOP_PAGES) <= set(ALL_PAGES)
    assert ALL_PAGES[0] == "overview"


def test_empty_database_welcomes_with_the_demo_and_a_new_analysis(db):
    at = app().run()
    ok(at)
    assert "Welcome" in at.title[0].value
    assert at.button(key="ov_demo").label == "Load the demo analyses"
    assert "No analysis yet" in " ".join(c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_runs_on_an_empty_database(db, page):
    ok(open_page(page))


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_runs_on_an_empty_analysis(db, page):
    db.create_analysis(AnalysisInfo("empty", "Empty"))
    at = open_page(page, "empty")
    ok(at)
    assert at.sidebar.selectbox(key="dnh_analysis").value == "empty"


@pytest.mark.parametrize("demo", DEMOS)
@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_runs_on_each_demo_analysis(db, demo, page):
    load_demo(db)
    at = open_page(page, demo)
    ok(at)


def test_the_welcome_button_loads_the_demo_and_selects_one(db):
    at = app().run()
    at.button(key="ov_demo").click().run()
    ok(at)
    assert sorted(s.key for s in db.list_analyses()) == sorted(DEMOS)
    assert at.sidebar.selectbox(key="dnh_analysis").value in DEMOS
    assert "Where the analysis stands" in texts(at)


def test_the_welcome_form_creates_an_analysis(db):
    at = app().run()
    name = next(w for w in at.main.text_input if w.label == "Name")
    name.input("Kampot fisheries 2025")
    at.button(key="FormSubmitter:ov_new-Create analysis").click().run()
    ok(at)
    assert [(s.key, s.name) for s in db.list_analyses()] == [("kampot_fisheries_2025", "Kampot fisheries 2025")]
    assert at.sidebar.selectbox(key="dnh_analysis").value == "kampot_fisheries_2025"


def test_overview_shows_totals_pathways_review_and_gaps(db):
    load_demo(db)
    at = open_page("overview", "child_rights_ngo")
    ok(at)
    analysis = db.load("child_rights_ngo")
    from dnh_graph import scoring

    totals = scoring.score(analysis, with_robustness=False).totals
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Harm"] == str(totals.harm) and metrics["Help"] == str(totals.help)
    assert "Heaviest harm pathways" in texts(at)
    assert len([c for c in at.main.caption if "weight" in c.value]) == 3
    assert "Latest review" in texts(at)


def test_a_selected_analysis_survives_a_reload_through_the_url(db):
    load_demo(db)
    at = app()
    at.query_params["analysis"] = "hiv_support"
    at.run()
    ok(at)
    assert at.sidebar.selectbox(key="dnh_analysis").value == "hiv_support"


def test_step_indicator_links_each_step(db):
    db.create_analysis(AnalysisInfo("empty", "Empty"))
    at = open_page("overview", "empty")
    labels = [p.proto.label for p in at.sidebar.get("page_link")]
    assert labels[:5] == ["1. Context & actors (0)", "2. Dividers (0)", "3. Connectors (0)", "4. Details (0)",
                          "5. Impacts (0)"]
    assert all(p.proto.icon == ":material/radio_button_unchecked:" for p in at.sidebar.get("page_link"))
