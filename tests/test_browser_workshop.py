"""Browser test of the workshop (issue 3): a team builds an analysis through the UI, reloads, finds it all.

Runs ``streamlit run`` on a temporary SQLite database and drives it with Playwright in Debian's
Chromium (``/usr/bin/chromium``; never a downloaded browser). Every request the page makes is recorded
and any to a host other than 127.0.0.1/localhost fails the test (and is blocked); any console error
fails it; a script dialog (``alert``) fails it. A screenshot of every screen at 1280×720 goes to a
pytest temporary folder (never the repository); their paths are printed.

Skipped when Chromium is absent, unless ``DNH_REQUIRE_BROWSER=1`` (CI), which makes that a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dnh_graph.store import Store

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
HOSTILE = "<img src=x onerror=alert(1)>"
ROW_MARKER = 30  # px, the row-selection column of an editable grid
ROW = 35  # px, header and row height of a grid
# Column widths of the grids, in the order shown (app/ui.py WIDTHS and the screens' column orders).
ACTORS = [70, 230, 150, 110, 90, 320, 90, 150]
FACTORS = [170, 150, 70, 200, 70, 320, 150]
DETAILS = [70, 120, 170, 320, 80]
IMPACTS = [230, 230, 120, 100, 200, 220, 110, 280, 130]

if not Path(CHROMIUM).exists():
    if os.environ.get("DNH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"DNH_REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install chromium",
                    pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (set DNH_REQUIRE_BROWSER=1 to make this a failure)",
                allow_module_level=True)

try:
    import playwright.sync_api as playwright_api
except ImportError:  # pragma: no cover - the dev requirements install it
    if os.environ.get("DNH_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("playwright is not installed (pip install -r requirements-dev.txt)", allow_module_level=True)
expect = playwright_api.expect


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'db.sqlite'}"
    port = free_port()
    env = {**os.environ, "DNH_DATABASE_URL": url, "DNH_DATA_DIR": str(folder)}
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         # other work in the repository must not reload modules under a running test (see the report)
         "--server.fileWatcherType", "none"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.terminate()
        pytest.fail("streamlit did not start: " + (folder / "server.log").read_text())
    yield {"base": base, "url": url, "folder": folder}
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def browser_page(server, tmp_path):
    requests, outside, console_errors, dialogs = [], [], [], []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})

        def only_local(route):
            if urlparse(route.request.url).hostname in LOCAL_HOSTS:
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_local)
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console_errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        yield page
        browser.close()
    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert outside == [], f"requests outside the machine: {outside}"
    assert hosts <= LOCAL_HOSTS, hosts
    assert console_errors == [], console_errors
    assert dialogs == [], f"a script ran: {dialogs}"


# ----------------------------------------------------------------------------------------- helpers
def wait_idle(page) -> None:
    """Until the app has finished its run (the status widget shows 'Running...' meanwhile)."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(300)


def go(page, title: str) -> None:
    """Open a screen from the top bar: a link of its own, or an entry of a section's menu."""
    link = page.get_by_test_id("stTopNavLink").filter(has_text=title)
    if link.count():
        link.first.click()
    else:
        for section in page.get_by_test_id("stTopNavSection").all():
            section.click()
            entry = page.get_by_test_id("stTopNavDropdownLink").filter(has_text=title)
            if entry.count():
                entry.first.click()
                break
            page.keyboard.press("Escape")
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=30_000)
    wait_idle(page)


def grid(page, n: int):
    editor = page.get_by_test_id("stDataFrame").nth(n)
    editor.evaluate("el => el.scrollIntoView({block: 'center'})")  # clear of the sticky header
    expect(editor.locator("canvas").first).to_be_visible()
    return editor


def cell(widths, col: int, row: int) -> dict:
    return {"x": ROW_MARKER + sum(widths[:col]) + widths[col] / 2, "y": row * ROW + ROW / 2}


def type_cell(page, editor, widths, col: int, row: int, text: str, shown: str | None) -> None:
    """Select the row's first cell, walk right with the arrow keys (the grid scrolls a hidden column into
    view), open the cell editor with Enter, type, and commit with Enter; check the grid took it."""
    overlay = page.get_by_test_id("portal").locator(".gdg-clip-region")
    for _ in range(3):
        editor.click(position=cell(widths, 0, row), force=True)
        page.wait_for_timeout(150)
        for _ in range(col):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        try:
            expect(overlay).to_be_visible(timeout=3_000)
        except AssertionError:
            page.keyboard.press("Escape")
            continue
        overlay.locator("input, textarea").first.fill(text)
        page.keyboard.press("Enter")
        page.wait_for_timeout(250)
        if shown is None:
            return
        try:
            expect(editor.locator("table[role='grid']")).to_contain_text(shown, timeout=3_000)
            return
        except AssertionError:
            page.keyboard.press("Escape")
    raise AssertionError(f"could not type {text!r} into column {col} of row {row}")


def add_row(page, editor, widths, values: dict[int, tuple[str, str | None]]) -> None:
    """A new row at the bottom of the grid, its cells typed (a dropdown takes the label typed + Enter);
    each value is (what to type, what the grid then holds)."""
    rows_before = editor.locator("table[role='grid'] tbody tr").count()
    editor.hover()
    editor.get_by_test_id("stElementToolbar").get_by_label("Add row").dispatch_event("click")
    page.wait_for_timeout(300)
    for col, (text, shown) in values.items():
        type_cell(page, editor, widths, col, rows_before + 1, text, shown)
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)


def save(page, editor, expected: str) -> None:
    form = editor.locator("xpath=ancestor::div[@data-testid='stForm']")
    form.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    try:
        expect(page.get_by_text(expected).first).to_be_visible(timeout=30_000)
    except AssertionError:
        page.screenshot(path="/tmp/browser-failure.png")
        raise


def shows(editor, text: str) -> None:
    """The grid holds ``text`` (read from the grid's accessible table: the cells are drawn on a canvas)."""
    expect(editor.locator("table[role='grid']")).to_contain_text(text, timeout=15_000)


def shoot(page, folder: Path, name: str, shots: list) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    shots.append(path)


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
                                   2: ("Local authority", "local_authority")})
    save(page, actors, "Saved: 1 added")
    shoot(page, shots_dir, "context_actors", shots)

    # steps 2-3: a divider and a connector, side by side
    go(page, "Dividers & connectors")
    dividers = grid(page, 0)
    add_row(page, dividers, FACTORS, {0: ("Access to fishing grounds", "Access to fishing grounds"),
                                      1: ("Systems & institutions", "systems_institutions"), 2: ("5", "5")})
    save(page, dividers, "Saved: 1 added")
    connectors = grid(page, 1)
    add_row(page, connectors, FACTORS, {0: ("Shared market day", "Shared market day"),
                                        1: ("Symbols & occasions", "symbols_occasions")})
    save(page, connectors, "Saved: 1 added")
    shoot(page, shots_dir, "factors", shots)

    # step 4: a detail
    go(page, "Intervention")
    details = grid(page, 0)
    add_row(page, details, DETAILS, {1: ("With whom", "with_whom"), 2: ("nets", "nets"),
                                     3: ("Nets for association members only", "Nets for association")})
    save(page, details, "Saved: 1 added")
    shoot(page, shots_dir, "intervention", shots)

    # step 5: an impact of the detail on the divider
    go(page, "Impacts")
    impacts = grid(page, 0)
    add_row(page, impacts, IMPACTS, {0: ("X1", "X1"), 1: ("D1", "D1"), 2: ("Strengthens", "strengthens"),
                                     3: ("2", None), 4: ("Resource transfer", "resource_transfer")})
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
    shows(grid(page, 0), "strengthens")
    metrics = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert metrics[:3] == ["10", "0", "-10"]

    for path in shots:
        print(f"screenshot: {path}")
    assert all(p.stat().st_size > 10_000 for p in shots)
