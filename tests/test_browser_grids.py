"""Browser tests of issue 10: nothing a workshop types into a grid is lost (Chromium, Playwright).

Two browser contexts are two people on two laptops. One server for the module; each test works on its
own analysis, written straight into the server's database.
"""

from __future__ import annotations

import re

import pytest

from dnh_graph.model import Actor, Analysis, AnalysisInfo
from dnh_graph.store import Store
from tests.browser_support import (
    ACTORS,
    CHROMIUM,
    CHROMIUM_ARGS,
    check_traffic,
    click_nav,
    expect,
    go,
    grid,
    grid_button,
    playwright_api,
    server,
    shows,
    type_cell,
    wait_idle,
    watch,
)

FIXTURES = (server,)  # pytest finds the shared fixtures by their names in this module
RELATIONSHIPS = [210, 210, 150, 90, 90, 260]


@pytest.fixture(scope="module")
def db(server) -> Store:
    """One analysis per test, all written before any screen is drawn (the analysis list is cached 10 s)."""
    store = Store.open(server["url"])
    for key in ("two", "wrong", "words", "away", "paste"):
        store.import_analysis(Analysis(AnalysisInfo(key, f"Grid test {key}"), actors=[
            Actor("A1", "Commune council", "local_authority"), Actor("A2", "Fisheries patrol", "security_forces"),
            Actor("A3", "Fishing families"), Actor("A4", "Fish traders", "private_sector"),
            Actor("A5", "Pagoda committee", "religious")]))
    return store


class People:
    """One browser, a context (a person) per name; every page's traffic checked at the end."""

    def __init__(self, browser, base: str):
        self.browser, self.base, self.pages, self.logs = browser, base, {}, []

    def open(self, analysis: str, watch_dialogs: bool = True, **context_options):
        context = self.browser.new_context(viewport={"width": 1280, "height": 720}, **context_options)
        page = context.new_page()
        log = ([], [], [], [])
        watch(page, *log[:3], log[3] if watch_dialogs else None)
        self.logs.append(log)
        page.goto(f"{self.base}/?analysis={analysis}")  # a deep link first asks /<screen>/_stcore: 404s
        expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=30_000)
        wait_idle(page)
        expect(page.get_by_role("combobox", name="Analysis")).to_have_value(f"Grid test {analysis} ({analysis})")
        go(page, "Context & actors")
        return page


@pytest.fixture
def people(server):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        crowd = People(browser, server["base"])
        yield crowd
        browser.close()
    for log in crowd.logs:
        check_traffic(*log)


def actors_grid(page, n: int = 0):
    return grid(page, n)


def click_save(page, editor) -> None:
    grid_button(editor, "Save changes").click()
    wait_idle(page)


def paste_box(page, n: int):
    """The n-th "Paste rows" expander of the screen, opened; its text box."""
    expander = page.get_by_test_id("stExpander").filter(has_text="Paste rows from a spreadsheet").nth(n)
    expander.scroll_into_view_if_needed()
    box = expander.get_by_label("Rows copied from a spreadsheet (tab-separated)")
    if not box.is_visible():
        expander.locator("summary").click()
    expect(box).to_be_visible()
    return expander, box


def says(page, text: str) -> None:
    try:
        expect(page.get_by_text(text).first).to_be_visible(timeout=30_000)
    except AssertionError:
        page.screenshot(path="/tmp/browser-grids-failure.png", full_page=True)
        raise


# ------------------------------------------------------------------------------------ scenario 1
def test_two_people_edit_different_rows_then_the_same_row(server, db, people):
    a, b = people.open("two"), people.open("two")
    grid_b = actors_grid(b)
    type_cell(b, grid_b, ACTORS, 5, 4, "Buy the catch at the landing", "Buy the catch")  # A4, unsaved
    grid_a = actors_grid(a)
    type_cell(a, grid_a, ACTORS, 4, 2, "4", None)  # A2 influence
    click_save(a, grid_a)
    says(a, "Saved: 0 added, 1 changed")
    click_save(b, grid_b)
    says(b, "Saved: 0 added, 1 changed")
    saved = {x.key: x for x in db.load("two").actors}
    assert saved["A2"].influence == 4 and saved["A4"].description == "Buy the catch at the landing"

    # both change A1: B's save is refused with who and when, B's value stays, one click saves it on top
    type_cell(b, actors_grid(b), ACTORS, 1, 1, "Council as B says", "Council as B says")
    grid_a = actors_grid(a)  # A's grid still shows the table before B's save: typing in it loses nothing
    type_cell(a, grid_a, ACTORS, 1, 1, "Council as A says", "Council as A says")
    click_save(a, grid_a)
    says(a, "Saved: 0 added, 1 changed")
    click_save(b, actors_grid(b))
    warning = b.get_by_text(re.compile(r"Row 1 \(A1\) was changed by .+ at \d{4}-\d\d-\d\d \d\d:\d\d UTC"))
    expect(warning.first).to_be_visible(timeout=30_000)
    says(b, "nothing was saved")
    assert db.load("two").actors[0].name == "Council as A says"
    comparison = b.get_by_test_id("stDataFrame").nth(0)
    expect(comparison.locator("table[role='grid']")).to_contain_text("Council as A says")
    shows(actors_grid(b, 1), "Council as B says")  # the person's own value is still in the grid
    b.screenshot(path=str(server["folder"] / "conflict.png"))
    b.get_by_role("button", name="Save mine on the new version").click()
    wait_idle(b)
    says(b, "Saved: 0 added, 1 changed")
    assert db.load("two").actors[0].name == "Council as B says"


# ------------------------------------------------------------------------------- scenarios 2 and 3
def test_wrong_values_and_incomplete_rows_come_back_with_a_sentence_and_stay(server, db, people):
    page = people.open("wrong")
    editor = actors_grid(page)
    type_cell(page, editor, ACTORS, 4, 1, "9", "9")
    type_cell(page, editor, ACTORS, 4, 2, "abc", "abc")
    editor.hover()
    editor.get_by_test_id("stElementToolbar").get_by_label("Add row").dispatch_event("click")
    page.wait_for_timeout(300)
    type_cell(page, editor, ACTORS, 5, 6, "Only a description", "Only a description")
    page.keyboard.press("Escape")
    click_save(page, editor)
    says(page, "Nothing was saved")
    says(page, "Row 1, Influence: must be a whole number from 1 to 5 (got 9).")
    says(page, "Row 2, Influence: must be a whole number from 1 to 5 (got abc).")
    says(page, "Row 6, Name: is empty; this column is required.")
    editor = actors_grid(page)
    for typed in ("9", "abc", "Only a description"):
        shows(editor, typed)
    assert [x.influence for x in db.load("wrong").actors] == [3] * 5 and len(db.load("wrong").actors) == 5


# ------------------------------------------------------------------------------------ scenario 4
def test_labels_in_any_case_and_references_by_name_are_understood(server, db, people):
    page = people.open("words")
    editor = actors_grid(page)
    type_cell(page, editor, ACTORS, 2, 3, "community GROUP", "community GROUP")  # over an existing row
    type_cell(page, editor, ACTORS, 3, 3, "supports", "supports")
    click_save(page, editor)
    says(page, "Saved: 0 added, 1 changed")
    assert (db.load("words").actors[2].type, db.load("words").actors[2].stance) == ("community_group", "supports")

    relationships = grid(page, 1)
    relationships.hover()
    relationships.get_by_test_id("stElementToolbar").get_by_label("Add row").dispatch_event("click")
    page.wait_for_timeout(300)
    type_cell(page, relationships, RELATIONSHIPS, 0, 1, "fisheries patrol", "fisheries patrol")
    type_cell(page, relationships, RELATIONSHIPS, 1, 1, "Fishing families", "Fishing families")
    type_cell(page, relationships, RELATIONSHIPS, 2, 1, "Conflict", "Conflict")
    page.keyboard.press("Escape")
    click_save(page, relationships)
    says(page, "Saved: 1 added")
    found = db.load("words").relationships
    assert [(r.source, r.target, r.type) for r in found] == [("A2", "A3", "conflict")]

    relationships = grid(page, 1)
    type_cell(page, relationships, RELATIONSHIPS, 2, 1, "Friendship", "Friendship")
    click_save(page, relationships)
    says(page, "Row 1, Relationship: 'Friendship' is not one of: Alliance, Cooperation, Weak / informal")
    assert db.load("words").relationships[0].type == "conflict"


# ------------------------------------------------------------------------------------ scenario 5
def test_unsaved_edits_survive_other_screens_and_the_browser_asks_before_a_reload(server, db, people):
    page = people.open("away", watch_dialogs=False)
    type_cell(page, actors_grid(page), ACTORS, 1, 2, "Patrol, typed before leaving", "typed before leaving")
    says(page, "Unsaved edits in this table: 1 row(s)")
    assert page.evaluate("window.dnhPending") is True
    click_nav(page, "Intervention")
    expect(page.get_by_role("heading", name="Intervention", level=1)).to_be_visible(timeout=30_000)
    wait_idle(page)
    click_nav(page, "Context & actors")
    wait_idle(page)
    shows(actors_grid(page), "Patrol, typed before leaving")
    says(page, "Unsaved edits in this table: 1 row(s)")

    asked = []
    page.on("dialog", lambda d: (asked.append(d.type), d.dismiss()))
    page.evaluate("location.reload()")  # a person pressing F5: the browser asks, the person stays
    page.wait_for_timeout(1500)
    assert asked == ["beforeunload"]
    shows(actors_grid(page), "Patrol, typed before leaving")
    click_save(page, actors_grid(page))
    says(page, "Saved: 0 added, 1 changed")
    assert db.load("away").actors[1].name == "Patrol, typed before leaving"
    assert page.evaluate("window.dnhPending") is False


# ------------------------------------------------------------------------------------ scenario 7
def test_rows_pasted_from_a_spreadsheet_are_previewed_and_added(server, db, people):
    page = people.open("paste", permissions=["clipboard-read", "clipboard-write"])
    copied = "Name\tType\tInfluence\nVillage chief\tLocal authority\t4\nMonks\tReligious\t2\n"
    page.evaluate("text => navigator.clipboard.writeText(text)", copied)
    expander, box = paste_box(page, 0)
    box.click()
    page.keyboard.press("Control+V")
    page.keyboard.press("Control+Enter")
    wait_idle(page)
    says(page, "Header row found: Name → Name, Type → Type, Influence → Influence.")
    says(page, "2 row(s) to add:")
    expander.get_by_role("button", name="Add these rows to the table").click()
    wait_idle(page)
    says(page, "2 row(s) added to the table below")
    editor = actors_grid(page)
    shows(editor, "Village chief")
    click_save(page, editor)
    says(page, "Saved: 2 added")
    added = db.load("paste").actors[5:]
    assert [(x.key, x.name, x.type, x.influence) for x in added] == [
        ("A6", "Village chief", "local_authority", 4), ("A7", "Monks", "religious", 2)]

    # typed without a header, by position, relationships named by actor name
    expander, box = paste_box(page, 1)
    box.fill("Monks\tvillage chief\tcooperation\t3\n")
    page.keyboard.press("Control+Enter")
    wait_idle(page)
    says(page, "No header row")
    expander.get_by_role("button", name="Add these rows to the table").click()
    wait_idle(page)
    click_save(page, grid(page, 1))
    says(page, "Saved: 1 added")
    assert [(r.source, r.target, r.type, r.strength) for r in db.load("paste").relationships] == [
        ("A7", "A6", "cooperation", 3)]
