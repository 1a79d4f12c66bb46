"""Browser test of workshop mode (issue 14): a facilitator runs a whole session on a new analysis at 1024×768.

Creates the analysis from the welcome form, opens Workshop, goes through the seven steps with next,
adds what the room says through quick capture (sorted into an actor, a divider, a connector and a
detail at steps 1–4; a note, a parked point and a coach comment at 5–7), sets a timer, reloads in the
middle and finds the same step and the same countdown. Uses the server/browser fixtures of
tests/test_browser_workshop.py (only local requests, no console error, no script dialog).
"""

from __future__ import annotations

import re

from dnh_graph.store import Store
from dnh_graph.store import workshop as rooms
from tests.browser_support import HOSTILE, browser_page, click_nav, expect, server, shoot, wait_idle  # noqa: F401

TITLES = ["Context & actors", "Dividers", "Connectors", "Details", "Impacts", "Options", "Options tested"]


def heading(page, n: int):
    return page.get_by_role("heading", name=f"Workshop · step {n} of 7: {TITLES[n - 1]}", level=1)


def at_step(page, n: int) -> None:
    expect(heading(page, n)).to_be_visible(timeout=30_000)
    wait_idle(page)


def capture(page, n: int, text: str, park: bool = False) -> None:
    form = page.get_by_test_id("stForm").filter(has_text="Add note")
    form.get_by_role("textbox", name="Note").fill(text)
    if park:
        form.get_by_text("Parking lot").click()
    form.get_by_role("button", name="Add note").click()
    wait_idle(page)


def sort_first(page) -> None:
    page.get_by_role("button", name="Add to the analysis").first.click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Added to the analysis as "))).to_be_visible(timeout=15_000)


def next_step(page, n: int) -> None:
    page.get_by_role("button", name="Next step").click()
    at_step(page, n)


def test_a_facilitator_runs_a_whole_session_at_1024(server, browser_page, tmp_path):
    page, shots = browser_page, []
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(server["base"] + "/")
    expect(page.get_by_role("heading", name="Welcome to dnh-graph")).to_be_visible(timeout=30_000)
    wait_idle(page)
    welcome = page.get_by_test_id("stForm").filter(has_text="Start a new analysis")
    welcome.get_by_role("textbox", name="Name", exact=True).fill("Guided room")
    welcome.get_by_role("textbox", name="Short key").fill("gr")
    welcome.get_by_role("button", name="Create analysis").click()
    expect(page.get_by_role("heading", name="Guided room", level=1)).to_be_visible(timeout=30_000)
    wait_idle(page)

    click_nav(page, "Workshop")
    at_step(page, 1)
    expect(page.get_by_text("Who are the groups, institutions and roles in this context?")).to_be_visible()
    # a timer the room can see
    page.get_by_role("spinbutton", name="Minutes").fill("7")
    page.get_by_role("button", name="Start").click()
    wait_idle(page)
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^[67]:\d\d$"), timeout=10_000)
    # step 1: an actor (its name holds markup, which stays text)
    capture(page, 1, f"Commune council {HOSTILE}")
    sort_first(page)
    shoot(page, tmp_path, "step1", shots)

    next_step(page, 2)
    capture(page, 2, "Access to fishing grounds")
    sort_first(page)
    next_step(page, 3)
    capture(page, 3, "Shared market day")
    sort_first(page)

    # the facilitator reloads in the middle: same step, same countdown
    page.reload()
    at_step(page, 3)
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^[567]:\d\d$"), timeout=10_000)

    next_step(page, 4)
    expect(page.get_by_text("Why are we here? The reasons and the mandate.")).to_be_visible()
    capture(page, 4, "Nets for association members only")
    sort_first(page)
    shoot(page, tmp_path, "step4", shots)

    next_step(page, 5)
    expect(page.get_by_text("Theft / diversion")).to_be_visible()
    capture(page, 5, "Nets strengthen the fishing-ground divider")
    expect(page.get_by_text("Nets strengthen the fishing-ground divider")).to_be_visible(timeout=15_000)
    page.get_by_test_id("stExpander").filter(has_text="Coach comments").locator("summary").click()
    page.get_by_role("textbox", name="Comment").fill("Who chose the members?")
    page.get_by_role("button", name="Add comment").click()
    wait_idle(page)
    expect(page.get_by_test_id("stExpander").filter(has_text="1 open comment(s) in this step.")).to_be_visible(
        timeout=15_000)

    next_step(page, 6)
    expect(page.get_by_text("Could this detail be dropped, or done less?")).to_be_visible()
    capture(page, 6, "Open the nets to all fishers")
    next_step(page, 7)
    capture(page, 7, "Ask the donor about the budget", park=True)
    expect(page.get_by_text("Parking lot (1)")).to_be_visible()
    shoot(page, tmp_path, "step7", shots)

    # projector view: only the step, no sidebar
    page.get_by_text("Projector view").click()
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    shoot(page, tmp_path, "projector", shots)

    store = Store.open(server["url"])
    a = store.load("gr")
    assert [x.name for x in a.actors] == [f"Commune council {HOSTILE}"]
    assert [(f.kind, f.name) for f in a.factors] == [("divider", "Access to fishing grounds"),
                                                      ("connector", "Shared market day")]
    assert [d.description for d in a.details] == ["Nets for association members only"]
    room = rooms.session(store, "gr")
    assert room.step == 7 and room.timer_minutes == 7 and room.timer_end is not None
    notes = rooms.notes(store, "gr")
    assert [n.step for n in notes] == [1, 2, 3, 4, 5, 6, 7]
    assert notes[-1].parked and [c.text for c in rooms.comments(store, "gr")] == ["Who chose the members?"]
    for path in shots:
        print(f"screenshot: {path}")


def test_a_comment_being_typed_survives_a_note_added_above_it(server, browser_page):
    """A coach types a comment while the room's note goes in through quick capture: the note list above
    grows, and the comment box (open, half typed) must stay as it was, not be redrawn closed and empty."""
    from dnh_graph.model import Actor, Analysis, AnalysisInfo

    Store.open(server["url"]).import_analysis(Analysis(AnalysisInfo("cm", "Comment room"),
                                                       actors=[Actor("A1", "Commune council")]))
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(server["base"] + "/workshop?analysis=cm")
    at_step(page, 1)
    page.get_by_test_id("stExpander").filter(has_text="Coach comments").locator("summary").click()
    comment = page.get_by_role("textbox", name="Comment")
    comment.fill("Who sits on the council?")
    capture(page, 1, "Fishers' association")
    expect(page.get_by_text("Fishers' association")).to_be_visible(timeout=15_000)
    expect(comment).to_have_value("Who sits on the council?")  # still open, still typed
    page.get_by_role("button", name="Add comment").click()
    wait_idle(page)
    expect(page.get_by_text("Who sits on the council?")).to_be_visible(timeout=15_000)
    assert [c.text for c in rooms.comments(Store.open(server["url"]), "cm")] == ["Who sits on the council?"]
