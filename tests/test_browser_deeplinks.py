"""Deep links on a fresh server (issue 15): ``/SCREEN?analysis=K`` opens K on that screen, from the very
first request the server gets, a reload keeps both, and the console shows no error (no 404 probe of
``/SCREEN/_stcore/*``). The server fixture is a fresh process per module, which is the case that broke.
"""

from __future__ import annotations

import re

from dnh_graph.demo import load_demo
from dnh_graph.store import Store
from tests.test_browser_workshop import browser_page, expect, server, wait_idle  # noqa: F401  (fixtures)

FIRST, OTHER = "hiv_support", "child_rights_ngo"  # neither is the first analysis in the picker


def shows(page, screen_title: str, key: str) -> None:
    wait_idle(page)
    expect(page.locator("h1").first).to_have_text(screen_title, timeout=30_000)
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Analysis")
    expect(picker).to_have_value(re.compile(rf"\({key}\)$"))
    expect(page).to_have_url(re.compile(rf"[?&]analysis={key}(&|$)"))


def test_the_first_request_of_a_server_opens_the_linked_screen_and_analysis(server, browser_page):
    keys = load_demo(Store.open(server["url"]))
    assert sorted(keys)[0] not in (FIRST, OTHER)
    page = browser_page
    page.goto(f"{server['base']}/impacts?analysis={FIRST}")
    shows(page, "Impacts", FIRST)
    page.reload()
    shows(page, "Impacts", FIRST)
    page.goto(f"{server['base']}/network?analysis={OTHER}")
    shows(page, "Network", OTHER)
    page.reload()
    shows(page, "Network", OTHER)
    page.get_by_role("link", name="Impacts").first.click()
    shows(page, "Impacts", OTHER)
    page.reload()
    shows(page, "Impacts", OTHER)
