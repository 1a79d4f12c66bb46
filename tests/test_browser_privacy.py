"""Issue 13 in a real browser: with "Hide sensitive names" on (a fresh session), the whole text and HTML
of the screens that list actors (Overview, Trends, Network), the network drawing's iframe and the page
title hold no sensitive name; off, they do. On Context & actors the sensitive rows have a grid of their
own with the name locked, and a change to another cell keeps the stored name (Chromium via Playwright,
fixtures of tests/test_browser_workshop.py)."""

from __future__ import annotations

import dataclasses
import os

from dnh_graph.store import Store
from tests.browser_support import (  # noqa: F401  (fixtures)
    ACTORS,
    browser_page,
    cell,
    click_nav,
    expect,
    grid,
    save,
    server,
    shows,
    type_cell,
    wait_idle,
)
from tests.privacy_support import KHMER, NEEDLES, SHOWN_WHEN_OFF, found_in, sensitive_analysis

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


def test_the_actors_grid_locks_a_sensitive_row_s_name_and_keeps_it_on_save(server, browser_page):
    store = Store.open(server["url"])
    a = sensitive_analysis(key="privg")
    store.import_analysis(dataclasses.replace(a, actors=[dataclasses.replace(x, influence=2) if x.key == "governor_sok"
                                                         else x for x in a.actors]))
    page = browser_page
    page.goto(f"{server['base']}/context_actors?analysis=privg")
    wait_idle(page)
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    settle(page)
    sensitive = grid(page, 1)  # the others' actors, the sensitive ones, the relationships
    shows(sensitive, "Actor A1")
    settle(page)
    assert found_in(everything(page), NEEDLES) == []
    page.screenshot(path=str(server["folder"] / "privacy-actors.png"), full_page=True)
    if os.environ.get("DNH_SHOTS"):
        page.screenshot(path=f"{os.environ['DNH_SHOTS']}/privacy-actors.png", full_page=True)
    # the name cell of a sensitive row is locked: at most a read-only view of the pseudonym opens
    sensitive.click(position=cell(ACTORS, 1, 1), force=True)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    fields = page.get_by_test_id("portal").locator(".gdg-clip-region").locator("input, textarea")
    assert all(not fields.nth(n).is_editable() for n in range(fields.count()))
    page.keyboard.press("Escape")
    type_cell(page, sensitive, ACTORS, 4, 1, "5", "5")  # Actor A1's influence
    save(page, sensitive, "Saved: 0 added, 1 changed, 0 deleted.")
    sok = next(x for x in store.load("privg").actors if x.key == "governor_sok")
    assert (sok.name, sok.influence) == (KHMER, 5) and sok.description.startswith("ព័ត៌មានសម្ងាត់")
    assert found_in(everything(page), NEEDLES) == []
