"""Deep links on a fresh server (issue 15): ``/SCREEN?analysis=K`` opens K on that screen, from the very
first request the server gets, a reload keeps both, and the console shows no error (no 404 probe of
``/SCREEN/_stcore/*``). The server fixture is a fresh process per module, which is the case that broke.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from dnh_graph import accounts
from dnh_graph.demo import load_demo
from dnh_graph.store import Store
from tests.browser_support import (  # noqa: F401  (fixtures)
    ACTORS,
    browser_page,
    expect,
    grid,
    save,
    server,
    start_server,
    type_cell,
    wait_idle,
)
from tests.browser_support import shows as shows_in
from tests.factories import rich_analysis

FIRST, OTHER = "hiv_support", "child_rights_ngo"  # neither is the first analysis in the picker


def shows(page, screen_title: str, key: str) -> None:
    wait_idle(page)
    expect(page.locator("h1").first).to_have_text(screen_title, timeout=30_000)
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Analysis")
    expect(picker).to_have_value(re.compile(rf"\({key}\)$"), timeout=30_000)
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


# ------------------------------------------------------------------ an analysis made seconds ago (issue 13)
ORIGINAL = rich_analysis("aaa_first")  # first in the picker: where a link used to land when its key was missing
LINKED = {"context_actors": "Context & actors", "impacts": "Impacts", "network": "Network", "history": "History",
          "": None}  # "" is Overview (the default page), whose title is the analysis' name


def influences(store: Store, key: str) -> dict[str, int]:
    return {a.key: a.influence for a in store.load(key).actors}


def picker_of(page):
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="Analysis")


def test_an_analysis_made_seconds_ago_opens_from_a_link_on_every_screen_and_takes_the_save(server, browser_page):
    store, page, base = Store.open(server["url"]), browser_page, server["base"]
    if not store.exists(ORIGINAL.info.key):
        store.import_analysis(ORIGINAL)
    for screen, title in LINKED.items():
        page.goto(f"{base}/?analysis={ORIGINAL.info.key}")  # the server now holds the list, for 10 s
        shows(page, ORIGINAL.info.name, ORIGINAL.info.key)
        key = f"fresh_{screen or 'overview'}"
        fresh = rich_analysis(key)
        store.import_analysis(dataclasses.replace(fresh, info=dataclasses.replace(fresh.info, name=f"Fresh {key}")))
        page.goto(f"{base}/{screen}?analysis={key}")
        shows(page, title or f"Fresh {key}", key)
        expect(picker_of(page)).to_have_value(f"Fresh {key} ({key})")
        page.reload()
        shows(page, title or f"Fresh {key}", key)
    # the save reaches the analysis of the link, not the first one
    page.goto(f"{base}/?analysis={ORIGINAL.info.key}")
    shows(page, ORIGINAL.info.name, ORIGINAL.info.key)
    key = "fresh_save"
    store.import_analysis(rich_analysis(key))
    before = influences(store, key)
    page.goto(f"{base}/context_actors?analysis={key}")
    shows(page, "Context & actors", key)
    actors = grid(page, 0)  # the actors that are not sensitive
    shows_in(actors, "Fishing families")
    type_cell(page, actors, ACTORS, 4, 1, "1", None)  # the first row's influence
    save(page, actors, "Saved: 0 added, 1 changed, 0 deleted.")
    after = influences(store, key)
    assert [k for k in before if before[k] != after[k]] and set(after.values()) >= {1}, (before, after)
    assert influences(store, ORIGINAL.info.key) == {a.key: a.influence for a in ORIGINAL.actors}


# ------------------------------------------ a link to an analysis that is not there, or not open to the person
def no_analysis_shown(page, key: str, screen: str) -> None:
    wait_idle(page)
    expect(page.get_by_text(f"The link asks for the analysis “{key}”, which is not here")).to_be_visible(
        timeout=30_000)
    expect(page.get_by_text("No analysis selected.")).to_be_visible()  # the screen draws nothing of one
    expect(picker_of(page)).to_have_value("")
    expect(picker_of(page)).to_have_attribute("placeholder", "Choose an analysis")
    assert page.get_by_test_id("stDataFrame").count() == 0  # no grid to type into, nothing to save
    expect(page).to_have_url(re.compile(rf"/{screen}\?(.*&)?analysis={key}(&|$)"))  # a reload says the same


def test_a_link_to_no_analysis_shows_none_until_one_is_chosen_also_after_a_reload(server, browser_page):
    store, page, base = Store.open(server["url"]), browser_page, server["base"]
    if not store.exists(ORIGINAL.info.key):
        store.import_analysis(ORIGINAL)
    for screen in ("context_actors", "impacts", "network", "history"):
        page.goto(f"{base}/{screen}?analysis=no_such_key")
        no_analysis_shown(page, "no_such_key", screen)
        page.reload()
        no_analysis_shown(page, "no_such_key", screen)
    store.import_analysis(rich_analysis("gone_soon"))
    page.goto(f"{base}/context_actors?analysis=gone_soon")
    shows(page, "Context & actors", "gone_soon")
    store.delete_analysis("gone_soon")  # deleted by someone else; the list is still cached
    page.reload()
    no_analysis_shown(page, "gone_soon", "context_actors")
    picker_of(page).click()
    page.get_by_role("option", name=f"{ORIGINAL.info.name} ({ORIGINAL.info.key})").click()
    shows(page, "Context & actors", ORIGINAL.info.key)
    expect(page.get_by_text("The link asks for the analysis")).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=30_000)


@pytest.fixture(scope="module")
def team_server(tmp_path_factory):
    """A server with accounts: ivy is an editor of "bay" only; "river" exists but is not open to her."""
    for running in start_server(tmp_path_factory.mktemp("team")):
        store = Store.open(running["url"])
        store.import_analysis(rich_analysis("bay"))
        store.import_analysis(rich_analysis("river"))
        accounts.add_account(store, "ivy", "ivy-pw", "viewer")
        with store.engine.begin() as conn:
            conn.exec_driver_sql("delete from membership where account_id = (select id from account where name='ivy')")
        accounts.grant(store, "ivy", "editor", analysis="bay")
        yield running


def test_a_link_to_an_analysis_not_open_to_the_person_reads_as_a_missing_one(team_server, browser_page):
    page, base = browser_page, team_server["base"]
    page.goto(base + "/")
    page.get_by_label("Account name").fill("ivy")
    page.get_by_label("Password").fill("ivy-pw")
    page.get_by_role("button", name="Log in").click()
    wait_idle(page)
    shows(page, "Bay fisheries 🐟", "bay")
    seen = {}
    for key in ("river", "no_such_key"):
        page.goto(f"{base}/context_actors?analysis={key}")
        no_analysis_shown(page, key, "context_actors")
        page.reload()
        no_analysis_shown(page, key, "context_actors")
        seen[key] = page.locator("[data-testid='stMain'], [data-testid='stSidebar']").all_inner_texts()
    assert [t.replace("river", "no_such_key") for t in seen["river"]] == seen["no_such_key"]
