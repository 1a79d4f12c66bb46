"""Browser test of presence (issue 13): two people on one analysis; B saves, and A, without reloading,
sees "Changed by …" within a few seconds, with what A typed still in A's grid.

Two browser contexts are two people on two laptops; the server runs with ``DNH_USER=Dara`` (until
accounts exist, every session of a server writes the same name to the audit log).
"""

from __future__ import annotations

import time

import pytest

from app.presence_ui import POLL_S
from dnh_graph.model import Actor, Analysis, AnalysisInfo
from dnh_graph.store import Store
from tests.browser_support import (
    ACTORS,
    CHROMIUM,
    CHROMIUM_ARGS,
    check_traffic,
    expect,
    go,
    grid,
    grid_button,
    playwright_api,
    shows,
    start_server,
    type_cell,
    wait_idle,
    watch,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DNH_USER", "Dara")
        yield from start_server(tmp_path_factory.mktemp("presence"))


@pytest.fixture(scope="module")
def db(server) -> Store:
    store = Store.open(server["url"])
    store.import_analysis(Analysis(AnalysisInfo("here", "Presence test"), actors=[
        Actor("A1", "Commune council", "local_authority"), Actor("A2", "Fisheries patrol", "security_forces"),
        Actor("A3", "Fishing families")]))
    return store


def open_person(browser, base: str, logs: list):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    log = ([], [], [], [])
    watch(page, *log)
    logs.append(log)
    page.goto(f"{base}/?analysis=here")
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=30_000)
    wait_idle(page)
    go(page, "Context & actors")
    return page


def test_b_saves_and_a_sees_who_changed_it_without_reloading_and_keeps_the_draft(server, db):
    logs: list = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        a = open_person(browser, server["base"], logs)
        b = open_person(browser, server["base"], logs)
        sidebar_a = a.get_by_test_id("stSidebar")
        expect(sidebar_a.get_by_text("Also here: Dara")).to_be_visible(timeout=15_000)

        type_cell(a, grid(a, 0), ACTORS, 5, 1, "Meets on Mondays", "Meets on Mondays")  # A's draft
        expect(a.get_by_text("Unsaved edits in this table: 1 row(s)")).to_be_visible()
        a.evaluate("window.dnhNoReload = true")  # gone if the page were reloaded

        type_cell(b, grid(b, 0), ACTORS, 4, 2, "5", None)  # B: the patrol's influence
        grid_button(grid(b, 0), "Save changes").click()
        wait_idle(b)
        expect(b.get_by_text("Saved: 0 added, 1 changed").first).to_be_visible(timeout=30_000)
        saved = time.monotonic()

        notice = sidebar_a.get_by_text("Changed by Dara just now.")
        expect(notice).to_be_visible(timeout=15_000)
        waited = time.monotonic() - saved
        assert waited < 3 * POLL_S + 3, waited  # "within a few seconds" (a loaded machine included)
        assert a.evaluate("window.dnhNoReload") is True
        shows(grid(a, 0), "Meets on Mondays")
        expect(sidebar_a.get_by_text("Your unsaved edits stay in your draft")).to_be_visible()
        a.screenshot(path=str(server["folder"] / "presence-notice.png"))

        sidebar_a.get_by_role("button", name="Show the new version").click()
        wait_idle(a)
        expect(notice).to_have_count(0)
        assert a.evaluate("window.dnhNoReload") is True
        shows(grid(a, 0), "Meets on Mondays")
        expect(a.get_by_text("Unsaved edits in this table: 1 row(s)")).to_be_visible()
        grid_button(grid(a, 0), "Save changes").click()
        wait_idle(a)
        expect(a.get_by_text("Saved: 0 added, 1 changed").first).to_be_visible(timeout=30_000)
        browser.close()
    actors = {x.key: x for x in db.load("here").actors}
    assert (actors["A1"].description, actors["A2"].influence) == ("Meets on Mondays", 5)
    for log in logs:
        check_traffic(*log)
