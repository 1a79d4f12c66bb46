"""Clicks in a real Chromium (issue 10): the option status buttons (scenario 6) and the analysis picker
take effect on what the person sees, even after someone else renamed it.

Reuses the server and browser fixtures of :mod:`tests.test_browser_workshop` (same offline, console-error
and dialog checks; skipped without Chromium unless ``DNH_REQUIRE_BROWSER=1``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from dnh_graph.model import Analysis, AnalysisInfo, Detail, Factor, Impact, Option, Review
from dnh_graph.store import Store
from tests.browser_support import browser_page, expect, server, wait_idle  # noqa: F401 (fixtures)

SUMMARIES_TTL_MS = 10_500  # app/session.py caches the list of analyses for 10 s


def _analysis() -> Analysis:
    return Analysis(
        AnalysisInfo("opt", "Options in the browser"),
        factors=[Factor("D1", "divider", "Land", "experiences", 4)],
        details=[Detail("X1", "with_whom", "nets", "Nets for members only")],
        impacts=[Impact("X1", "D1", "strengthens", 2, "resource_transfer", "distribution")],
        options=[Option("O1", "Open the list", "X1"), Option("O2", "Market day", "X1"),
                 Option("O3", "Complaint line", "")])


def open_test_tab(page, base: str, key: str, name: str) -> None:
    page.goto(base + f"/?analysis={key}")
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible(timeout=30_000)
    wait_idle(page)
    # at 1280 px the top bar folds Options into "more": the sidebar's step 6 leads there
    page.get_by_test_id("stSidebar").get_by_role("link", name=re.compile(r"^6\. Options")).click()
    expect(page.get_by_role("heading", name="Options", level=1)).to_be_visible(timeout=30_000)
    wait_idle(page)
    page.get_by_role("tab", name="Test and redesign").click()
    wait_idle(page)


def choose(page, label: str, option: str) -> None:
    """Open a selectbox and pick an option; again if a rerun closed the list before it showed."""
    for _ in range(3):
        page.get_by_role("combobox", name=label, exact=True).click()
        choice = page.get_by_role("option", name=option).first
        try:
            expect(choice).to_be_visible(timeout=5_000)
        except AssertionError:
            page.keyboard.press("Escape")
            wait_idle(page)
            continue
        choice.click()
        expect(page.get_by_role("combobox", name=label, exact=True)).to_have_value(option)
        return
    raise AssertionError(f"could not choose {option!r} in {label!r}")


def _status_line(page, key: str):
    return page.get_by_test_id("stMarkdown").filter(has_text=f"Option {key} is")


def test_status_clicks_take_effect_on_the_option_picked(server, browser_page, tmp_path):  # noqa: F811
    page = browser_page
    store = Store.open(server["url"])
    store.import_analysis(_analysis())
    open_test_tab(page, server["base"], "opt", "Options in the browser")

    picker = page.get_by_test_id("stSelectbox").filter(has_text="Option").first
    picker.click()
    page.get_by_role("option", name="O2", exact=False).first.click()
    wait_idle(page)
    expect(_status_line(page, "O2")).to_contain_text("Idea")

    page.get_by_role("button", name="Mark as Chosen").click()
    wait_idle(page)
    expect(page.get_by_text("Option O2 is now Chosen.")).to_be_visible(timeout=15_000)
    expect(_status_line(page, "O2")).to_contain_text("Chosen")
    assert store.load("opt").by_key("options")["O2"].status == "chosen"

    page.get_by_role("button", name="Mark as Testing").click()
    wait_idle(page)
    expect(page.get_by_text("Option O2 is now Testing.")).to_be_visible(timeout=15_000)
    expect(_status_line(page, "O2")).to_contain_text("Testing")
    page.screenshot(path=str(tmp_path / "options-testing.png"))
    print(f"screenshot: {tmp_path / 'options-testing.png'}")
    statuses = {o.key: o.status for o in store.load("opt").options}
    assert statuses == {"O1": "idea", "O2": "testing", "O3": "idea"}

    # someone else renames O2 meanwhile: the picker's label changes under the person, who stays on O2
    o2 = store.load("opt").by_key("options")["O2"]
    store.save_rows("opt", "options", upserts=[dataclasses.replace(o2, title="Market day on Sundays")])
    page.get_by_role("button", name="Mark as Adopted").click()
    wait_idle(page)
    expect(page.get_by_text("Option O2 is now Adopted.")).to_be_visible(timeout=15_000)
    assert store.load("opt").by_key("options")["O2"].status == "adopted"
    expect(page.get_by_role("combobox", name="Option", exact=True)).to_have_value("O2 · Market day on Sundays")


def test_the_analysis_picker_stays_put_when_someone_renames_the_analysis(server, browser_page):  # noqa: F811
    page = browser_page
    store = Store.open(server["url"])
    store.create_analysis(AnalysisInfo("a_first", "A first analysis"))
    second = store.create_analysis(AnalysisInfo("b_second", "Second analysis"))
    page.wait_for_timeout(SUMMARIES_TTL_MS)  # written outside the server: its list of analyses must expire
    page.goto(server["base"] + "/?analysis=b_second")
    expect(page.get_by_role("heading", name="Second analysis", level=1)).to_be_visible(timeout=30_000)
    wait_idle(page)
    # another laptop renames it: the label this browser holds for it no longer exists
    store.update_info(dataclasses.replace(second, name="Second analysis, renamed"), key="b_second")
    page.wait_for_timeout(SUMMARIES_TTL_MS)
    # two moves between screens: the browser keeps showing the old label, and sends it back on the second
    for step, title in (("1", "Context & actors"), ("2", "Dividers & connectors")):
        page.get_by_test_id("stSidebar").get_by_role("link", name=re.compile(f"^{step}\\. ")).click()
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=30_000)
        wait_idle(page)
    expect(page.get_by_role("combobox", name="Analysis", exact=True)).to_have_value(
        "Second analysis, renamed (b_second)")


def test_an_observation_on_a_factor_renamed_meanwhile_is_refused_not_moved(server, browser_page, tmp_path):  # noqa: F811
    page = browser_page
    store = Store.open(server["url"])
    store.import_analysis(dataclasses.replace(
        _analysis(), info=AnalysisInfo("obs", "Observations in the browser"),
        factors=[Factor("D1", "divider", "Land", "experiences", 4), Factor("C1", "connector", "Market", "experiences")],
        reviews=[Review("R1", dt.date(2024, 1, 10), "Baseline")]))
    page.wait_for_timeout(SUMMARIES_TTL_MS)
    open_test_tab(page, server["base"], "obs", "Observations in the browser")
    choose(page, "Divider or connector", "C1 · Market")
    page.get_by_role("textbox", name="What was seen").fill("Traders stayed away")
    c1 = store.load("obs").by_key("factors")["C1"]
    store.save_rows("obs", "factors", upserts=[dataclasses.replace(c1, name="Market day")])  # another laptop
    page.get_by_role("button", name="Mark as Chosen").click()  # any other click first: new labels drawn
    wait_idle(page)
    page.get_by_role("button", name="Record the observation").click()
    wait_idle(page)
    expect(page.get_by_text("Nothing recorded: someone renamed")).to_be_visible(timeout=15_000)
    page.screenshot(path=str(tmp_path / "observation-refused.png"))
    print(f"screenshot: {tmp_path / 'observation-refused.png'}")
    assert [i for i in store.load("obs").impacts if i.observed_on] == []
    expect(page.get_by_role("textbox", name="What was seen")).to_have_value("Traders stayed away")
