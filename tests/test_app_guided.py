"""The guided parts of the app (issue 14): "still missing" as links, the workshop mode's step screens."""

from __future__ import annotations

import pytest

from dnh_graph.model import Option
from dnh_graph.store import Store
from tests.apptest_support import app, page_path, texts
from tests.factories import rich_analysis


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'guided.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    return Store.open(url)


def open_page(page: str, key: str | None = None, **params):
    at = app()
    if key:
        at.session_state["dnh_analysis"] = key
        at.query_params["analysis"] = key
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page_path(page))
    at.run()
    assert not at.exception, at.exception
    return at


def test_still_missing_links_to_the_screen_and_names_the_details(db):
    a = rich_analysis()
    a.factor_actors.clear()
    a.options[:] = [Option("O9", "Later", "X1", status="chosen")]
    a.option_impacts.clear()
    db.import_analysis(a)
    at = open_page("overview", a.info.key)
    links = {p.proto.label: p.proto.page for p in at.main.get("page_link")}
    options = next(label for label in links if label.startswith("1 detail(s) that do harm"))
    assert links[options] == "options"
    factors = next(label for label in links if "have no linked actor" in label)
    assert links[factors] == "factors"
    assert links["1 chosen option(s) are not tested yet: try them and record what happened (Options)."] == "options"
    captions = [c.value for c in at.main.caption if c.value.startswith("Concerned:")]
    assert captions == ["Concerned: D1 · Access to fishing grounds, D2 · Informal fees, C1 · Shared market",
                        "Concerned: X2 · Distribute nets to members only", "Concerned: O9 · Later"], captions
    assert "Still missing" in texts(at)


# ------------------------------------------------------------------------------------ workshop mode
def new_analysis(db, key="room"):
    from dnh_graph.model import AnalysisInfo

    db.create_analysis(AnalysisInfo(key, "Room"))
    return key


def test_the_workshop_leads_step_by_step_and_the_room_is_kept(db):
    from dnh_graph.store import workshop as rooms

    key = new_analysis(db)
    at = open_page("workshop", key)
    assert at.title[0].value == "Workshop · step 1 of 7: Context & actors"
    shown = texts(at)
    assert "What is the conflict about, in one sentence everyone here could agree with?" in shown
    assert "Describe the context and the conflict in a sentence" in " ".join(
        p.proto.label for p in at.main.get("page_link"))
    for expected in range(2, 8):
        at.button(key="ws_next").click().run()
        assert not at.exception, at.exception
        assert at.title[0].value.startswith(f"Workshop · step {expected} of 7")
        assert rooms.session(db, key).step == expected
        assert at.query_params["step"] == [str(expected)] or at.query_params["step"] == str(expected)
    assert at.button(key="ws_next").disabled
    at.button(key="ws_previous").click().run()
    assert rooms.session(db, key).step == 6
    again = open_page("workshop", key)  # another laptop, or the same after closing the browser
    assert again.title[0].value.startswith("Workshop · step 6 of 7: Options")


@pytest.mark.parametrize(("step", "asked"), [
    ("4", ["Why are we here? The reasons and the mandate.", "How: the way we decide, deliver and behave."]),
    ("5", ["Theft / diversion", "Market effects", "Distributional effects", "Substitution", "Legitimization",
           "Arms and power", "Impunity", "Publicity"]),
    ("6", ["Could this detail be dropped, or done less?",
           "Beyond what we give, what does the way we work tell people?"]),
    ("99", ["Which options will we try, where, and for how long?"]),
])
def test_each_step_asks_what_the_screens_ask(db, step, asked):
    at = open_page("workshop", new_analysis(db), step=step)
    shown = texts(at)
    assert [q for q in asked if q not in shown] == []


def test_the_timer_is_kept_with_the_room(db):
    from dnh_graph.store import workshop as rooms

    key = new_analysis(db)
    at = open_page("workshop", key, step="2")
    at.number_input(key=f"ws_minutes_{key}").set_value(15).run()
    at.button(key="ws_timer_start").click().run()
    assert not at.exception
    room = rooms.session(db, key)
    assert room.timer_minutes == 15 and room.timer_end is not None
    again = open_page("workshop", key)
    html = [h.proto.body for h in again.get("html")]
    assert any(f'data-end="{int(room.timer_end.timestamp() * 1000)}"' in h for h in html)
    again.button(key="ws_timer_stop").click().run()
    assert rooms.session(db, key).timer_end is None


def test_quick_capture_then_sort_into_the_analysis(db):
    from dnh_graph.store import workshop as rooms

    key = new_analysis(db)
    at = open_page("workshop", key, step="2")
    at.text_input(key="ws_note_text").input("Land <b>dispute</b>")
    at.button(key="FormSubmitter:ws_capture_2-Add note").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    [note] = rooms.notes(db, key)
    assert (note.text, note.kind, note.step) == ("Land <b>dispute</b>", "divider", 2)
    assert any("Land \\<b\\>dispute\\</b\\>" in m.value for m in at.markdown)
    at.button(key=f"ws_sort_{note.id}_go").click().run()
    assert not at.exception, at.exception
    [factor] = db.load(key).factors
    assert (factor.kind, factor.name) == ("divider", "Land <b>dispute</b>")
    assert rooms.notes(db, key)[0].sorted_to == factor.key


def test_an_empty_note_is_refused_and_a_note_can_be_parked(db):
    from dnh_graph.store import workshop as rooms

    key = new_analysis(db)
    at = open_page("workshop", key, step="1")
    at.button(key="FormSubmitter:ws_capture_1-Add note").click().run()
    assert [e.value for e in at.error] == ["is empty; type what was said\\."]
    at.text_input(key="ws_note_text").input("Ask the donor")
    at.checkbox(key="ws_note_park").check()
    at.button(key="FormSubmitter:ws_capture_1-Add note").click().run()
    assert rooms.notes(db, key)[0].parked
    assert "Parking lot (1)" in [e.label for e in at.expander]


def test_a_coach_comments_and_the_team_resolves(db):
    from dnh_graph.store import workshop as rooms

    a = rich_analysis()
    db.import_analysis(a)
    at = open_page("workshop", a.info.key, step="4")
    at.text_area[0].input("Who chose the members?")
    at.button(key="FormSubmitter:ws_comment_4-Add comment").click().run()
    assert not at.exception
    [c] = rooms.comments(db, a.info.key)
    assert c.sheet == "details" and c.text == "Who chose the members?"
    at.button(key=f"ws_resolve_{c.id}").click().run()
    assert rooms.comments(db, a.info.key)[0].resolved


def test_projector_view_hides_the_sidebar(db):
    key = new_analysis(db)
    at = open_page("workshop", key, projector="1")
    assert any("stSidebar" in h.proto.body and "display:none" in h.proto.body for h in at.get("html"))
    assert open_page("workshop", key).toggle(key="ws_projector").value is False


def test_each_step_offers_its_worksheets(db):
    a = rich_analysis()
    db.import_analysis(a)
    at = open_page("workshop", a.info.key, step="3")
    names = {b.proto.label for b in at.get("download_button")}
    assert names == {"Blank worksheet (print)", "Filled worksheet (print)", "Workbook to type it in (xlsx)"}
