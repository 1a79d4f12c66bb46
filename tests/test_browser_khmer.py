"""Khmer on a machine with no Khmer font (issue 12): the app, the network page and the report bring theirs.

This machine has Khmer fonts (fonts-noto-core), so Chromium is started with a fontconfig that knows only
DejaVu (Latin, no Khmer): the machine of most workshop laptops. A Khmer letter drawn as a box has the
width of an unassigned code point (U+17DE, the ``.notdef`` box); drawn with a Khmer font, it does not.
The first test shows the check can fail (no shipped font: boxes); the others that with the shipped
font there are none. The report printed to PDF embeds Noto Sans Khmer (``pdffonts``).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dnh_graph import network, report
from dnh_graph.demo import demo_dir
from dnh_graph.io import read_csv_folder
from dnh_graph.render import styles
from dnh_graph.render.network_html import network_html
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, REPO, playwright_api, server, wait_idle  # noqa: F401
from tests.factories import KHMER

LATIN_ONLY = "/usr/share/fonts/truetype/dejavu"
UNASSIGNED = "\u17de"
KHMER_LETTER = re.compile("[\u1780-\u17ff]")
# measureText of a Khmer letter and of an unassigned code point, in the font an element is drawn with
BOXES = """(el) => {
  const font = getComputedStyle(el).font || ("16px " + getComputedStyle(el).fontFamily);
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = font;
  return {font: ctx.font, letter: ctx.measureText("\\u1780").width,
          cluster: ctx.measureText("\\u1797\\u17d2\\u1793\\u17c6").width, box: ctx.measureText("\\u17de").width};
}"""


@pytest.fixture(scope="module")
def no_khmer_font(tmp_path_factory):
    if not Path(LATIN_ONLY).is_dir():
        pytest.skip(f"{LATIN_ONLY} (fonts-dejavu-core) is missing: nothing to emulate a machine without Khmer")
    folder = tmp_path_factory.mktemp("fontconfig")
    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{LATIN_ONLY}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>
""")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                    env={**os.environ, "FONTCONFIG_FILE": str(conf)})
        yield browser
        browser.close()


def _boxes(page, selector: str = "body") -> dict:
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.locator(selector).first.evaluate(BOXES)


def _drawn_as_boxes(m: dict) -> bool:
    return abs(m["letter"] - m["box"]) < 0.01 and m["cluster"] >= 3 * m["box"] - 0.01


def test_without_the_shipped_font_khmer_is_boxes(no_khmer_font):
    """The check can fail: the machine emulated has no Khmer font of its own."""
    page = no_khmer_font.new_page()
    page.set_content(f'<p style="font:16px {styles.FONT_STACK}">{KHMER}</p>')
    assert _drawn_as_boxes(_boxes(page, "p"))


def test_the_network_page_draws_khmer_labels(no_khmer_font, tmp_path):
    analysis = read_csv_folder(demo_dir() / "child_protection_network")
    first = analysis.actors[0]
    analysis = dataclasses.replace(analysis, actors=[dataclasses.replace(first, name="ភ្នំពេញ " + KHMER),
                                                     *analysis.actors[1:]])
    path = tmp_path / "network.html"
    path.write_text(network_html(network.build_graph(analysis), physics=False), encoding="utf-8")
    page = no_khmer_font.new_page(viewport={"width": 1280, "height": 720})
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-dnh-ready]", timeout=30_000)
    m = page.evaluate("""() => {
      const data = JSON.parse(document.getElementById("dnh-data").textContent);
      const ctx = document.createElement("canvas").getContext("2d");
      ctx.font = "16px " + data.view.font;
      return {font: ctx.font, letter: ctx.measureText("\\u1780").width,
              cluster: ctx.measureText("\\u1797\\u17d2\\u1793\\u17c6").width, box: ctx.measureText("\\u17de").width,
              labels: (window.__dnhLabels || []).length};
    }""")
    assert not _drawn_as_boxes(m), m
    assert m["labels"] > 0
    assert not _drawn_as_boxes(_boxes(page, "body"))
    page.screenshot(path=str(tmp_path / "network.png"))
    print("screenshot:", tmp_path / "network.png")


def _platform_fonts(page, selector: str) -> list[tuple[str, set[str]]]:
    """(text, fonts) of each element ``selector`` finds: the fonts Chromium really drew its text with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    found = []
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]:
        text = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
        fonts = {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                 if f["glyphCount"]}
        found.append((text, fonts))
    cdp.detach()
    return found


def _pdf_fonts(pdf: Path) -> str:
    """The fonts a PDF embeds: ``pdffonts`` when installed, else the BaseFont names of its font dictionaries
    (Chromium writes them uncompressed) next to the count of embedded font files."""
    if shutil.which("pdffonts"):
        return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    raw = pdf.read_bytes()
    names = sorted({m.decode() for m in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+-]+)", raw)})
    return f"{names} embedded files: {raw.count(b'/FontFile')}"


def test_the_report_prints_khmer_with_the_font_embedded(no_khmer_font, tmp_path):
    analysis = read_csv_folder(demo_dir() / "child_protection_network")
    analysis = dataclasses.replace(analysis, info=dataclasses.replace(analysis.info, name="ភ្នំពេញ " + KHMER))
    path = tmp_path / "report.html"
    path.write_text(report.report_html(analysis, lang="km"), encoding="utf-8")
    page = no_khmer_font.new_page()
    page.goto(path.as_uri(), wait_until="load")
    assert not _drawn_as_boxes(_boxes(page, "body"))
    # The first Khmer headings of a static page were drawn with DejaVu's boxes although document.fonts said
    # the faces were loaded (the canvas check above cannot see it): the report preloads the faces now.
    headings = _platform_fonts(page, "h1, h2, h3")
    assert len(headings) > 5
    boxes = [text for text, fonts in headings if KHMER_LETTER.search(text) and styles.KHMER_FAMILY not in fonts]
    page.screenshot(path=str(tmp_path / "report.png"))
    assert boxes == [], f"Khmer drawn as boxes (screenshot {tmp_path / 'report.png'})"
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    print("pdf:", pdf)
    fonts = _pdf_fonts(pdf)
    assert "NotoSansKhmer" in fonts.replace(" ", ""), fonts
    assert "embedded files: 0" not in fonts, fonts


def test_the_app_draws_khmer_and_keeps_the_language_in_the_url(server, no_khmer_font, tmp_path):  # noqa: F811
    env = {**os.environ, "DNH_DATABASE_URL": server["url"], "DNH_DATA_DIR": str(server["folder"])}
    dnh = Path(os.sys.executable).parent / "dnh"
    subprocess.run([str(dnh), "demo", "--if-empty"], env=env, cwd=REPO, check=True, capture_output=True)
    page = no_khmer_font.new_page(viewport={"width": 1280, "height": 720})
    page.goto(server["base"] + "/?analysis=child_protection_network&lang=en")
    wait_idle(page)
    place = page.get_by_text("ភ្នំពេញ").first
    place.wait_for(timeout=30_000)
    m = place.evaluate(BOXES)
    page.screenshot(path=str(tmp_path / "overview.png"))
    print("screenshot:", tmp_path / "overview.png")
    assert not _drawn_as_boxes(m), m
    ratio = place.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize)")
    assert ratio >= styles.LINE_HEIGHT - 0.01, ratio
