"""AppTest of the Options screen (DNH steps 6–7): it runs on every kind of analysis, and what it shows
is what the engine computes (``dnh score --json``)."""

import dataclasses
import datetime as dt

import pytest

from dnh_graph import options, scoring
from dnh_graph.demo import load_demo
from dnh_graph.model import Analysis, AnalysisInfo, Detail, Factor, Impact, Option, Review
from dnh_graph.store import Store
from tests.apptest_support import app, page_path, texts

TABS = {"generate": "Generate", "compare": "Compare", "test": "Test and redesign", "whatif": "What if"}
DEMOS = ("child_protection_network", "child_rights_ngo", "hiv_support")


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'options.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    return Store.open(url)


def open_page(key: str | None, tab: str = "generate"):
    at = app()
    if key:
        at.session_state["dnh_analysis"] = key
    at.switch_page(page_path("options"))
    at.run()
    if tab != "generate":
        at.session_state["opt_tab"] = TABS[tab]
        at.run()
    return at


def ok(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


# Read-only tables carry no key in AppTest: each is found by a column only it has.
TABLE_COLUMN = {"compare": "Below the one above by", "observed": "Difference", "whatif": "Net with the option"}


def dataframe(at, table: str):
    return next(d.value for d in at.dataframe if TABLE_COLUMN[table] in d.value.columns)


def workshop(db: Store) -> Analysis:
    """A small analysis with one harmful detail, a baseline review and a later one."""
    return db.import_analysis(Analysis(
        AnalysisInfo("w", "Workshop"),
        factors=[Factor("D1", "divider", "Land", "experiences", 4),
                 Factor("C1", "connector", "Market", "experiences", 3)],
        details=[Detail("X1", "with_whom", "nets", "Nets for members only")],
        impacts=[Impact("X1", "D1", "strengthens", 2, "resource_transfer", "distribution")],
        reviews=[Review("R1", dt.date(2024, 1, 10), "Baseline"), Review("R2", dt.date(2024, 7, 10), "Mid-term")]))


def add_rows(at, grid: str, rows: list[dict]) -> None:
    at.session_state[grid + "__editor"] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}
    at.button(key=grid + "__save").click()
    at.run()


# ------------------------------------------------------------------------------------ smoke
def test_runs_on_an_empty_database(db):
    at = open_page(None)
    assert not at.exception
    assert "No analysis" in texts(at)


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_runs_on_an_empty_analysis(db, tab):
    db.create_analysis(AnalysisInfo("empty", "Empty"))
    at = open_page("empty", tab)
    ok(at)
    if tab == "whatif":
        assert [m.value for m in at.metric] == ["0", "0", "+0"]
    else:
        assert at.info  # each tab says how to start


@pytest.mark.parametrize("demo", DEMOS)
@pytest.mark.parametrize("tab", TABS)
def test_every_tab_runs_on_each_demo(db, demo, tab):
    load_demo(db)
    ok(open_page(demo, tab))


# ------------------------------------------------------------------------------------ figures
@pytest.mark.parametrize("demo", DEMOS)
def test_compare_shows_the_engine_s_ranking_deltas_and_robustness(db, demo):
    load_demo(db)
    analysis = db.load(demo)
    expected = scoring.scores_json(analysis)
    at = open_page(demo, "compare")
    ok(at)
    table = dataframe(at, "compare")
    assert table["Rank"].tolist() == [o["rank"] for o in expected["options"]]
    assert [label.split(" · ")[0] for label in table["Option"]] == [o["key"] for o in expected["options"]]
    assert table["Delta"].tolist() == [o["delta"] for o in expected["options"]]
    assert table["Net"].tolist() == [o["net"] for o in expected["options"]]
    percent = options.robustness_percent(expected["robustness"])
    assert [m.value for m in at.metric] == [f"{percent}%"]
    assert options.robustness_sentence(expected["robustness"], sampled=options.robustness_is_sampled(analysis)) \
        in texts(at)


def test_compare_for_one_detail(db):
    load_demo(db)
    at = open_page("child_rights_ngo", "compare")
    at.selectbox(key="opt_scope").set_value("X3").run()
    ok(at)
    table = dataframe(at, "compare")
    assert [label.split(" · ")[0] for label in table["Option"]] == ["O1", "O5"]
    analysis = db.load("child_rights_ngo")
    value = options.ranking_robustness(analysis, "X3")
    assert [m.value for m in at.metric] == [f"{options.robustness_percent(value)}%"]


def test_generate_lists_harmful_details_with_prompts(db):
    load_demo(db)
    at = open_page("hiv_support")
    ok(at)
    shown = texts(at)
    first = options.harmful_details(db.load("hiv_support"))[0]
    assert at.selectbox(key="opt_gen_detail").value == first.key
    for topic in first.topics:
        assert options.prompts(topic)[0] in shown


def test_what_if_shows_the_totals_of_options_what_if(db):
    load_demo(db)
    at = open_page("hiv_support", "whatif")
    ok(at)
    result = options.what_if(db.load("hiv_support"))
    assert [m.value for m in at.metric] == [str(result.after.harm), str(result.after.help), f"{result.after.net:+d}"]
    assert len(dataframe(at, "whatif")) == len(result.applied)


# ------------------------------------------------------------------------------------ behaviour
def test_create_choose_test_and_observe_an_option(db):
    workshop(db)
    at = open_page("w")
    ok(at)
    add_rows(at, "opt_grid", [
        {"key": "O1", "detail": "X1", "title": "Nets for every household", "feasibility": 4, "cost": 3,
         "side_effects": "More staff time at distributions"},
        {"key": "O2", "detail": "", "title": "Market day", "feasibility": 3, "cost": 1},
    ])
    ok(at)
    saved = db.load("w")
    assert [(o.key, o.detail, o.status) for o in saved.options] == [("O1", "X1", "idea"), ("O2", "", "idea")]

    add_rows(at, "opt_impacts", [
        {"option": "O1", "factor": "D1", "effect": "weakens", "magnitude": 2, "mechanism": "resource_transfer",
         "pattern": "distribution"},
        {"option": "O1", "factor": "C1", "effect": "strengthens", "magnitude": 1, "mechanism": "organisational_action"},
        {"option": "O2", "factor": "C1", "effect": "strengthens", "magnitude": 2, "mechanism": "resource_transfer"},
    ])
    ok(at)
    assert len(db.load("w").option_impacts) == 3

    # the workflow: only the allowed next steps are offered
    at.session_state["opt_tab"] = TABS["test"]
    at.session_state["opt_option"] = "O1"
    at.run()
    ok(at)
    assert {b.key for b in at.button if b.key and b.key.startswith("opt_to_")} == {"opt_to_chosen", "opt_to_rejected"}
    at.button(key="opt_to_chosen").click().run()
    ok(at)
    at.button(key="opt_to_testing").click().run()
    ok(at)
    assert db.load("w").by_key("options")["O1"].status == "testing"
    assert {b.key for b in at.button if b.key and b.key.startswith("opt_to_")} == {"opt_to_adopted", "opt_to_rejected"}

    # record what was seen at the mid-term review: staff burden nobody predicted
    at.selectbox(key="opt_obs_review").set_value("R2")
    at.selectbox(key="opt_obs_factor").set_value("C1")
    at.selectbox(key="opt_obs_effect").set_value("weakens")
    at.number_input(key="opt_obs_magnitude").set_value(2)
    at.selectbox(key="opt_obs_mechanism").set_value("staff_behaviour")
    at.text_area(key="opt_obs_evidence").input("Staff missed the market committee twice")
    next(b for b in at.button if b.label == "Record the observation").click().run()
    ok(at)
    observed = [i for i in db.load("w").impacts if i.observed_on is not None]
    assert observed == [Impact("X1", "C1", "weakens", 2, "staff_behaviour", "", "medium",
                               "Staff missed the market committee twice", dt.date(2024, 7, 10))]

    # predicted against observed: C1 predicted to strengthen, seen weakened
    table = dataframe(at, "observed")
    by_factor = dict(zip(table["Divider or connector"], table["Difference"]))
    assert by_factor["C1 · Market"] == "⚠ direction differs"
    assert by_factor["D1 · Land"] == "⚠ predicted, not seen"

    # the comparison the page shows is the engine's for the analysis as it now is
    analysis = db.load("w")
    at.session_state["opt_tab"] = TABS["compare"]
    at.run()
    ok(at)
    table = dataframe(at, "compare")
    engine = scoring.option_scores(analysis)
    assert table["Delta"].tolist() == [s.delta for s in engine]
    assert table["Net"].tolist() == [s.net for s in engine]
    assert table["Rank"].tolist() == [s.rank for s in engine]
    assert [m.value for m in at.metric] == [f"{options.robustness_percent(scoring.robustness(analysis))}%"]

    # what if: O1 (testing) replaces X1
    at.session_state["opt_tab"] = TABS["whatif"]
    at.run()
    ok(at)
    result = options.what_if(analysis)
    assert result.applied == (("O1", "X1"),)
    assert at.metric[2].value == f"{result.after.net:+d}"


def test_a_status_the_workflow_does_not_allow_is_not_offered(db):
    workshop(db)
    at = open_page("w")
    add_rows(at, "opt_grid", [{"key": "O1", "detail": "X1", "title": "Open the list"}])
    at.session_state["opt_tab"] = TABS["test"]
    at.run()
    at.button(key="opt_to_rejected").click().run()
    ok(at)
    assert db.load("w").by_key("options")["O1"].status == "rejected"
    assert [b.key for b in at.button if b.key and b.key.startswith("opt_to_")] == ["opt_to_idea"]


def test_an_addition_gets_its_detail_before_observations(db):
    workshop(db)
    at = open_page("w")
    add_rows(at, "opt_grid", [{"key": "O7", "detail": "", "title": "Complaint line"}])
    at.session_state["opt_tab"] = TABS["test"]
    at.session_state["opt_option"] = "O7"
    at.run()
    ok(at)
    assert "is an addition" in texts(at)
    at.selectbox(key="opt_addition_question").set_value("how")
    next(b for b in at.button if b.label == "Add the detail").click().run()
    ok(at)
    detail = db.load("w").by_key("details")["O7"]
    assert (detail.question, detail.description) == ("how", "Complaint line")
    assert at.selectbox(key="opt_obs_detail_O7_O7").value == "O7"


# ------------------------------------------------------------------ status buttons (issue 10, scenario 6)
def three_options(db: Store) -> None:
    workshop(db)
    db.save_rows("w", "options", upserts=[
        Option("O1", "Open the list", "X1"), Option("O2", "Market day", "X1"),
        Option("O3", "Complaint line", "")])


def test_status_clicks_stay_on_the_option_picked(db):
    three_options(db)
    at = open_page("w", "test")
    at.selectbox(key="opt_option").set_value("O2").run()
    ok(at)
    at.button(key="opt_to_chosen").click().run()
    ok(at)
    assert at.selectbox(key="opt_option").value == "O2"
    assert "Option O2 is now Chosen." in texts(at)
    at.button(key="opt_to_testing").click().run()
    ok(at)
    assert at.selectbox(key="opt_option").value == "O2"
    assert "Option O2 is now Testing." in texts(at)
    assert {o.key: o.status for o in db.load("w").options} == {"O1": "idea", "O2": "testing", "O3": "idea"}


@pytest.mark.parametrize(("tab", "picker", "choice"), [("test", "opt_option", "O3"),
                                                       ("generate", "opt_impacts_of", "O2")])
def test_a_picker_stays_on_its_choice_after_a_visit_to_another_tab(db, tab, picker, choice):
    three_options(db)
    at = open_page("w", tab)
    at.selectbox(key=picker).set_value(choice).run()
    at.session_state["opt_tab"] = TABS["compare"]
    at.run()
    at.session_state["opt_tab"] = TABS[tab]
    at.run()
    ok(at)
    assert at.selectbox(key=picker).value == choice


def o2_changed_elsewhere(db, **change):
    """O2 on screen, then another laptop changes it."""
    three_options(db)
    at = open_page("w", "test")
    at.selectbox(key="opt_option").set_value("O2").run()
    db.save_rows("w", "options", upserts=[dataclasses.replace(db.load("w").by_key("options")["O2"], **change)])
    return at


def test_a_click_on_a_status_someone_else_changed_meanwhile_says_so(db):
    at = o2_changed_elsewhere(db, status="rejected")
    at.button(key="opt_to_chosen").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        'Nothing changed: option O2 was Idea when you clicked "Mark as Chosen", but someone else has changed it '
        "since (now: Rejected). Look at it again, then choose."]
    assert db.load("w").by_key("options")["O2"].status == "rejected"
    assert at.selectbox(key="opt_option").value == "O2"


def test_a_title_edited_meanwhile_does_not_undo_a_status_click(db):
    at = o2_changed_elsewhere(db, title="Market day on Sundays")
    at.button(key="opt_to_rejected").click().run()
    ok(at)
    assert "Option O2 is now Rejected." in texts(at)
    assert db.load("w").by_key("options")["O2"].status == "rejected"
