"""Browser test of the workshop (issue 3): a team builds an analysis through the UI, reloads, finds it all.

Runs ``streamlit run`` on a temporary SQLite database and drives it with Playwright in Debian's
Chromium (``/usr/bin/chromium``; never a downloaded browser). Every request the page makes is recorded
and any to a host other than 127.0.0.1/localhost fails the test (and is blocked); any console error
fails it; a script dialog (``alert``) fails it. A screenshot of every screen at 1280×720 goes to a
pytest temporary folder (never the repository); their paths are printed.

Skipped when Chromium is absent, unless ``DNH_REQUIRE_BROWSER=1`` (CI), which makes that a failure.
"""

from __future__ import annotations

from dnh_graph.store import Store
from tests.browser_support import (
    ACTORS,
    DETAILS,
    FACTORS,
    HOSTILE,
    IMPACTS,
    add_row,
    browser_page,
    expect,
    go,
    grid,
    save,
    server,
    shoot,
    shows,
    wait_idle,
)

FIXTURES = (server, browser_page)  # pytest finds the shared fixtures by their names in this module


# -------------------------------------------------------------------------------------------- test
def test_a_workshop_builds_an_analysis_and_finds_it_after_a_reload(server, browser_page, tmp_path):
    page, shots = browser_page, []
    shots_dir = tmp_path / "screenshots"
    shots_dir.mkdir()
    page.goto(server["base"] + "/")
    expect(page.get_by_role("heading", name="Welcome to dnh-graph")).to_be_visible(timeout=30_000)
    wait_idle(page)
    shoot(page, shots_dir, "welcome", shots)

    # an analysis, from the welcome form
    welcome_form = page.get_by_test_id("stForm").filter(has_text="Start a new analysis")
    welcome_form.get_by_role("textbox", name="Name", exact=True).fill("Browser workshop")
    welcome_form.get_by_role("textbox", name="Short key").fill("bw")
    welcome_form.get_by_role("button", name="Create analysis").click()
    expect(page.get_by_role("heading", name="Browser workshop", level=1)).to_be_visible(timeout=30_000)
    wait_idle(page)

    # step 1: an actor (its name holds markup, which must stay text)
    go(page, "Context & actors")
    actors = grid(page, 0)
    add_row(page, actors, ACTORS, {1: (f"Commune council {HOSTILE}", "Commune council"),
                                   2: ("Local authority", "Local authority")})
    save(page, actors, "Saved: 1 added")
    shoot(page, shots_dir, "context_actors", shots)

    # steps 2-3: a divider and a connector, side by side
    go(page, "Dividers & connectors")
    dividers = grid(page, 0)
    add_row(page, dividers, FACTORS, {0: ("Access to fishing grounds", "Access to fishing grounds"),
                                      1: ("systems & institutions", "systems & institutions"), 2: ("5", "5")})
    save(page, dividers, "Saved: 1 added")
    connectors = grid(page, 1)
    add_row(page, connectors, FACTORS, {0: ("Shared market day", "Shared market day"),
                                        1: ("Symbols & occasions", "Symbols & occasions")})
    save(page, connectors, "Saved: 1 added")
    shoot(page, shots_dir, "factors", shots)

    # step 4: a detail
    go(page, "Intervention")
    details = grid(page, 0)
    add_row(page, details, DETAILS, {1: ("With whom", "With whom"), 2: ("nets", "nets"),
                                     3: ("Nets for association members only", "Nets for association")})
    save(page, details, "Saved: 1 added")
    shoot(page, shots_dir, "intervention", shots)

    # step 5: an impact of the detail on the divider
    go(page, "Impacts")
    impacts = grid(page, 0)
    add_row(page, impacts, IMPACTS, {0: ("X1", "X1"), 1: ("D1", "D1"), 2: ("Strengthens", "Strengthens"),
                                     3: ("2", None), 4: ("resource_transfer", "resource_transfer")})
    save(page, impacts, "Saved: 1 added")
    shoot(page, shots_dir, "impacts", shots)

    # the database holds exactly what was entered
    saved = Store.open(server["url"]).load("bw")
    assert [(a.key, a.name, a.type) for a in saved.actors] == [("A1", f"Commune council {HOSTILE}",
                                                                 "local_authority")]
    assert [(f.key, f.kind, f.priority, f.category) for f in saved.factors] == [
        ("D1", "divider", 5, "systems_institutions"), ("C1", "connector", 3, "symbols_occasions")]
    assert [(d.key, d.question, d.activity) for d in saved.details] == [("X1", "with_whom", "nets")]
    assert [(i.detail, i.factor, i.effect, i.magnitude, i.mechanism) for i in saved.impacts] == [
        ("X1", "D1", "strengthens", 2, "resource_transfer")]

    # a reload shows exactly what was saved
    page.goto(server["base"] + "/?analysis=bw")
    expect(page.get_by_role("heading", name="Browser workshop", level=1)).to_be_visible(timeout=30_000)
    wait_idle(page)
    expect(page.get_by_text("weight 10").first).to_be_visible()  # the harm pathway: magnitude 2 × priority 5
    shoot(page, shots_dir, "overview", shots)
    go(page, "Context & actors")
    shows(grid(page, 0), f"Commune council {HOSTILE}")
    go(page, "Dividers & connectors")
    shows(grid(page, 0), "Access to fishing grounds")
    shows(grid(page, 1), "Shared market day")
    go(page, "Intervention")
    shows(grid(page, 0), "Nets for association members only")
    expect(page.get_by_role("tab", name="With whom (1)")).to_be_visible()
    go(page, "Impacts")
    shows(grid(page, 0), "Strengthens")
    metrics = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert metrics[:3] == ["10", "0", "-10"]

    for path in shots:
        print(f"screenshot: {path}")
    assert all(p.stat().st_size > 10_000 for p in shots)
