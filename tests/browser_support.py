"""What the browser tests share: a ``streamlit run`` server on a temporary SQLite database, Debian's
Chromium driven by Playwright (never a downloaded browser), and helpers to type into the grids.

Every request a page makes is recorded and any to a host other than 127.0.0.1/localhost fails the test
(and is blocked); any console error fails it; a script dialog fails it unless the test expects one.
Importing this module skips the test module when Chromium is absent, unless ``DNH_REQUIRE_BROWSER=1``
(CI), which makes that a failure.
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

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
HOSTILE = "<img src=x onerror=alert(1)>"
ROW_MARKER = 30  # px, the row-selection column of an editable grid
ROW = 35  # px, header and row height of a grid
# Column widths of the grids, in the order shown (app/grid.py WIDTHS and the screens' column orders).
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


def start_server(folder: Path):
    """``streamlit run`` on a fresh SQLite database in ``folder``; a generator: yields, then stops it."""
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from start_server(tmp_path_factory.mktemp("browser"))


def watch(page, requests: list, outside: list, console_errors: list, dialogs: list | None) -> None:
    """Record what a page asks for and says; block requests leaving the machine."""

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
    if dialogs is not None:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))


def check_traffic(requests, outside, console_errors, dialogs) -> None:
    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert outside == [], f"requests outside the machine: {outside}"
    assert hosts <= LOCAL_HOSTS, hosts
    assert console_errors == [], console_errors
    assert dialogs == [], f"a script ran: {dialogs}"


@pytest.fixture
def browser_page(server, tmp_path):
    requests, outside, console_errors, dialogs = [], [], [], []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        watch(page, requests, outside, console_errors, dialogs)
        yield page
        browser.close()
    check_traffic(requests, outside, console_errors, dialogs)


# ----------------------------------------------------------------------------------------- helpers
def wait_idle(page) -> None:
    """Until the app has finished its run (the status widget shows 'Running...' meanwhile)."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(300)


def click_nav(page, title: str) -> None:
    """Click a screen in the top bar: a link of its own, or an entry of a section's menu."""
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


def go(page, title: str) -> None:
    """Open a screen from the top bar and wait for its title."""
    click_nav(page, title)
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


def grid_button(editor, name: str):
    """A button of the grid (Save changes, Discard my edits): the first one after the grid."""
    return editor.locator(f"xpath=following::button[contains(., {name!r})][1]")


def save(page, editor, expected: str) -> None:
    grid_button(editor, "Save changes").click()
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




# Labels of widgets, buttons, page links and tabs that the page cuts ("Harm path…", "Fi…"): at 1024 px with
# the sidebar open, or with Khmer's longer words, a control in a narrow column is cut to a letter or two.
CUT_LABELS = r"""() => {
  const out = [];
  const sel = ['[data-testid="stWidgetLabel"] *', "button *", '[data-testid="stPageLink-NavLink"] *',
               '[data-testid="stTab"] *'].join(", ");
  for (const el of document.querySelectorAll(sel)) {
    if (el.children.length || el.closest('[data-testid="stSidebar"]')) continue;
    const text = (el.textContent || "").trim();
    const box = el.getBoundingClientRect();
    if (!text || box.width === 0 || box.height === 0) continue;
    for (let node = el, i = 0; i < 4 && node; i++, node = node.parentElement) {
      const style = getComputedStyle(node);
      const clips = style.overflow === "hidden" || style.overflowX === "hidden" || style.textOverflow === "ellipsis";
      if (clips && node.scrollWidth > node.clientWidth + 1) { out.push(text); break; }
    }
  }
  return out;
}"""


def cut_labels(page) -> list[str]:
    """The labels of the main area's controls that are cut short on screen (empty when all read whole)."""
    return page.evaluate(CUT_LABELS)
