"""The HTML report in a real Chromium: nothing fetched, no console error, prints to PDF.

Every request that is not the report file itself is aborted and counted. Skipped when Debian's
``/usr/bin/chromium`` is absent, unless ``DNH_REQUIRE_BROWSER=1`` (then that is a failure).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dnh_graph import exports, io
from dnh_graph.demo import demo_dir
from tests.factories import rich_analysis

CHROMIUM = Path("/usr/bin/chromium")
DEMOS = sorted(p for p in demo_dir().iterdir() if (p / "analysis.csv").is_file())


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("DNH_REQUIRE_BROWSER") == "1":
            pytest.fail("DNH_REQUIRE_BROWSER=1 but /usr/bin/chromium is not installed")
        pytest.skip("/usr/bin/chromium is not installed (set DNH_REQUIRE_BROWSER=1 to make this a failure)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def open_offline(browser, path: Path):
    """The report opened with every non-file request aborted; returns (page, external requests, errors)."""
    page = browser.new_page()
    external, errors = [], []

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: external.append(r.url) if not r.url.startswith("file:") else None)
    page.goto(path.as_uri(), wait_until="load")
    return page, external, errors


@pytest.mark.parametrize("summary", [False, True], ids=["full", "summary"])
@pytest.mark.parametrize("folder", DEMOS, ids=lambda p: p.name)
def test_demo_report_renders_offline_and_prints(browser, tmp_path, folder, summary):
    analysis = io.read_csv_folder(folder)
    path = exports.export(analysis, "html", tmp_path / "report.html", summary=summary)
    page, external, errors = open_offline(browser, path)
    try:
        assert external == []
        assert errors == []
        assert page.locator("h1").inner_text() == analysis.info.name
        assert page.locator("svg").count() >= (1 if summary else 4)
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
        if summary:
            assert 1 <= pages <= 2, f"the summary prints on {pages} pages"
        else:
            assert pages >= 5
    finally:
        page.close()


def test_hostile_text_runs_no_script(browser, tmp_path):
    path = exports.export(rich_analysis(), "html", tmp_path / "report.html", pseudonymise=False)
    page, external, errors = open_offline(browser, path)
    try:
        page.wait_for_timeout(200)
        assert external == [] and errors == []
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.images.length") == 0
        assert "<img src=x onerror=alert(1)>" in page.locator("#context").inner_text()
    finally:
        page.close()


def test_tables_fit_the_printed_page(browser, tmp_path):
    """No table is wider than the A4 text width when printed (nothing cut off at the right margin)."""
    analysis = io.read_csv_folder(DEMOS[0])
    path = exports.export(analysis, "html", tmp_path / "report.html")
    page, _, _ = open_offline(browser, path)
    try:
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 718, "height": 1000})  # 190 mm of text width at 96 dpi
        overflow = page.evaluate("""() => [...document.querySelectorAll('table, svg, figure')]
            .filter(e => e.getBoundingClientRect().right > document.body.getBoundingClientRect().right + 1)
            .map(e => e.outerHTML.slice(0, 80))""")
        assert overflow == []
    finally:
        page.close()
