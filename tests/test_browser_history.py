"""Browser test of the History screen (issue 13): a person undoes someone's change and restores the
analysis as it was into a new copy, in Debian's Chromium. A screenshot goes to a pytest temporary folder."""

from __future__ import annotations

import re
from dataclasses import replace

from dnh_graph.model import Actor, Analysis, AnalysisInfo, Factor
from dnh_graph.store import Store
from tests.browser_support import browser_page, expect, go, server, wait_idle

FIXTURES = (server, browser_page)  # pytest finds the shared fixtures by their names in this module


def choose(page, label: str, starts: str) -> None:
    """Open a selectbox and pick the option that starts with ``starts``; again if a rerun closed the list."""
    for _ in range(3):
        page.get_by_role("combobox", name=label, exact=True).click()
        choice = page.get_by_role("option").filter(has_text=re.compile("^" + re.escape(starts))).first
        try:
            expect(choice).to_be_visible(timeout=5_000)
        except AssertionError:
            page.keyboard.press("Escape")
            wait_idle(page)
            continue
        choice.click()
        wait_idle(page)
        return
    raise AssertionError(f"could not choose {starts!r} in {label!r}")


def test_undo_a_change_then_restore_a_copy_as_it_was(server, browser_page, tmp_path):  # noqa: F811
    page = browser_page
    store = Store.open(server["url"], who="dara")
    store.import_analysis(Analysis(AnalysisInfo("hb", "History in the browser"),
                                   actors=[Actor("A1", "Council"), Actor("A2", "Fishers")],
                                   factors=[Factor("D1", "divider", "Land", "systems_institutions")]))
    imported = store.changes("hb")[-1]
    store.save_rows("hb", "actors", [replace(store.load("hb").actors[0], name="Commune council")])

    page.goto(server["base"] + "/?analysis=hb")
    expect(page.get_by_role("heading", name="History in the browser", level=1)).to_be_visible(timeout=30_000)
    wait_idle(page)
    go(page, "History")
    table = page.get_by_test_id("stDataFrame").first
    expect(table.locator("table[role='grid']")).to_contain_text("Name: Council", timeout=15_000)

    # undo dara's rename: the newest change, offered first
    page.get_by_role("button", name="Undo this change").click()
    wait_idle(page)
    expect(page.get_by_text(f"Change #{imported.id + 1} was undone")).to_be_visible(timeout=15_000)
    assert store.load("hb").actors[0].name == "Council"

    # the same change again: refused with a sentence, nothing changes
    choose(page, "Change to undo", f"#{imported.id + 1} ")
    page.get_by_role("button", name="Undo this change").click()
    wait_idle(page)
    expect(page.get_by_text("This change was already undone")).to_be_visible(timeout=15_000)

    # restore as it was right after the import, into a new copy
    choose(page, "As it was right after", f"#{imported.id} ")
    page.get_by_role("button", name="Restore into a new copy").click()
    wait_idle(page)
    expect(page.get_by_text("Restored into a new analysis")).to_be_visible(timeout=15_000)
    copies = [s for s in store.list_analyses() if s.key != "hb"]
    assert len(copies) == 1 and "(as of " in copies[0].name
    assert [a.name for a in store.load(copies[0].key).actors] == ["Council", "Fishers"]
    page.screenshot(path=str(tmp_path / "history.png"), full_page=True)
    print(f"screenshot: {tmp_path / 'history.png'}")
