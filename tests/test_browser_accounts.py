"""Issue 13 in a real browser: with accounts, the app opens on a login screen that shows nothing of any
analysis; a login survives a reload (an HttpOnly cookie), "Log out" ends it, and a viewer sees no
edit control (Chromium via Playwright)."""

from __future__ import annotations

import pytest

from dnh_graph import accounts
from dnh_graph.store import Store
from tests.browser_support import browser_page, expect, start_server, wait_idle  # noqa: F401  (fixture)
from tests.factories import rich_analysis

NAME = rich_analysis().info.name  # "Bay fisheries 🐟": must not appear before a login


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server whose database holds one analysis and two accounts (an admin and a viewer)."""
    for running in start_server(tmp_path_factory.mktemp("accounts")):
        store = Store.open(running["url"])
        store.import_analysis(rich_analysis())
        accounts.add_account(store, "ana", "admin-pw", "admin")
        accounts.add_account(store, "vic", "viewer-pw", "viewer")
        yield running


def log_in(page, name: str, password: str) -> None:
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    wait_idle(page)


def login_screen(page) -> None:
    expect(page.get_by_role("heading", name="Log in", level=1)).to_be_visible(timeout=30_000)
    wait_idle(page)
    text = page.locator("body").inner_text()
    assert NAME not in text and "bay" not in text.lower().split()
    assert page.get_by_test_id("stSelectbox").count() == 0  # no analysis picker, no language picker
    assert page.get_by_test_id("stTopNavLink").count() == 0  # no screens


def test_log_in_reload_log_out_and_a_viewer_sees_no_edit_control(server, browser_page):
    page, base = browser_page, server["base"]
    page.goto(base + "/")
    login_screen(page)

    log_in(page, "ana", "not-her-password")
    expect(page.get_by_text("do not match an account")).to_be_visible(timeout=30_000)
    login_screen(page)

    log_in(page, "ana", "admin-pw")
    expect(page.get_by_role("heading", name=NAME)).to_be_visible(timeout=30_000)
    [cookie] = [c for c in page.context.cookies() if c["name"] == accounts.COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find(accounts.COOKIE) == -1  # no script can read it

    page.reload()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Logged in as")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    login_screen(page)
    page.reload()
    login_screen(page)

    log_in(page, "vic", "viewer-pw")
    page.goto(base + "/context_actors?analysis=bay")
    wait_idle(page)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=30_000)
    wait_idle(page)
    assert page.get_by_role("button", name="Save").count() == 0
    assert page.get_by_test_id("stSidebar").get_by_text("Hide sensitive names").count() == 0  # always hidden
    expect(page.get_by_text("needs the editor role").first).to_be_attached()  # the table's import is closed
    assert page.get_by_text("Manage analyses").count() == 0
    expect(page.get_by_text("viewer")).to_be_visible()
    page.screenshot(path=str(server["folder"] / "viewer.png"))
