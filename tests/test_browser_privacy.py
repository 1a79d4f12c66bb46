"""Issue 13 in a real browser: with "Hide sensitive names" on (a fresh session), the whole text and HTML
of the screens that list actors (Overview, Trends, Network), the network drawing's iframe and the page
title hold no sensitive name; off, they do (Chromium via Playwright, fixtures of
tests/test_browser_workshop.py)."""

from __future__ import annotations

import os

from dnh_graph.store import Store
from tests.browser_support import browser_page, click_nav, expect, server, wait_idle  # noqa: F401  (fixtures)
from tests.privacy_support import NEEDLES, SHOWN_WHEN_OFF, found_in, sensitive_analysis

# the screens without an editable grid: a grid edits the stored records and masks its own rows once the
# grid rework has integrated selection.masked_actors (see the README's Privacy section); their read-only tables,
# drawn on a canvas, are in the page's accessibility table, which this test reads too
SCREENS = ("overview", "trends", "network")


def everything(page) -> list[str]:
    """What the page holds: its title, the text and HTML of every frame (the network iframe included)."""
    out = [page.title()]
    for frame in page.frames:
        try:
            out.append(frame.content())
            out.append(frame.locator("body").inner_text(timeout=5_000))
        except Exception:  # noqa: BLE001  (a frame being replaced by the next run)
            continue
    return out


def settle(page, quiet_ms: int = 1_500, timeout_ms: int = 40_000) -> None:
    """Until the page's text stops changing (charts and fragments arrive after the first paint)."""
    last, still, waited = None, 0, 0
    while waited < timeout_ms and still < quiet_ms:
        page.wait_for_timeout(250)
        waited += 250
        now = page.locator("body").inner_text()
        skeletons = page.get_by_test_id("stSkeleton").count()
        still = still + 250 if (now == last and not skeletons) else 0
        last = now


def open_screen(page, base: str, screen: str) -> None:
    page.goto(f"{base}/{'' if screen == 'overview' else screen}?analysis=privb")  # Overview is the default page
    wait_idle(page)
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    settle(page)
    charts = page.get_by_test_id("stPlotlyChart")
    for n in range(charts.count()):  # a chart below the fold is drawn once scrolled to
        charts.nth(n).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
    settle(page)
    if screen == "network":
        expect(page.frame_locator("iframe").first.locator("canvas").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1_000)


def test_no_sensitive_name_in_the_browser_until_the_switch_is_turned_off(server, browser_page):
    Store.open(server["url"]).import_analysis(sensitive_analysis(key="privb"))
    page = browser_page
    for screen in SCREENS:
        open_screen(page, server["base"], screen)
        if os.environ.get("DNH_SHOTS"):  # a folder outside the repository, to look at what was read
            page.screenshot(path=f"{os.environ['DNH_SHOTS']}/privacy-{screen}.png", full_page=True)
        text = everything(page)
        assert "Actor A" in "\n".join(text), screen
        assert found_in(text, NEEDLES) == [], screen
    switch = page.get_by_test_id("stSidebar").get_by_text("Hide sensitive names")
    switch.click()
    wait_idle(page)
    settle(page)
    assert found_in(everything(page), SHOWN_WHEN_OFF), "network, switch off"
    # kept for the session across screens (st.navigation keeps the session on a link click)
    click_nav(page, "Overview")
    wait_idle(page)
    expect(page.get_by_text("Checkpoint fees").first).to_be_visible(timeout=30_000)  # the pathways are drawn
    settle(page)
    assert found_in(everything(page), SHOWN_WHEN_OFF), "overview, switch off"
