"""Khmer on a machine with no Khmer font (issue 12): the app, the network page and the report bring theirs.

This machine has Khmer fonts (fonts-noto-core), so Chromium is started with a fontconfig that knows only
DejaVu (Latin, no Khmer): the machine of most workshop laptops. A Khmer letter drawn as a box has the
width of an unassigned code point (U+17DE, the ``.notdef`` box); drawn with a Khmer font, it does not.
The first test shows the check can fail (no shipped font: boxes); the others that with the shipped
font there are none. The report printed to PDF embeds Noto Sans Khmer (``pdffonts``). The last one
switches the app to ខ្មែរ and opens every screen: the interface speaks Khmer and draws it (Chromium's
own record of the fonts each element was drawn with, which also sees what a canvas measure cannot).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dnh_graph import network
from dnh_graph.demo import demo_dir
from dnh_graph.io import read_csv_folder
from dnh_graph.render import report, styles
from dnh_graph.render.network_html import network_html
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, REPO, cut_labels, playwright_api, server, wait_idle  # noqa: F401
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


# Marks the drawn elements that ``selector`` finds (page and same-origin frames) and hold text of their own.
MARK = """(selector) => {
  const mark = (doc) => {
    for (const el of doc.querySelectorAll(selector)) {
      const own = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join("").trim();
      const r = el.getBoundingClientRect();
      if (own && r.width && r.height && el.checkVisibility()) el.setAttribute("data-font-check", own.slice(0, 80));
    }
    for (const f of doc.querySelectorAll("iframe")) {
      try { if (f.contentDocument && f.contentDocument.body) mark(f.contentDocument); } catch (e) {}
    }
  };
  mark(document);
}"""


def _platform_fonts(page, selector: str) -> list[tuple[str, set[str]]]:
    """(own text, fonts) of each drawn element ``selector`` finds: the fonts Chromium really drew it with."""
    page.evaluate(MARK, selector)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    stack, found = [cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]], []
    while stack:
        node = stack.pop()
        attributes = node.get("attributes", [])
        if "data-font-check" in attributes[::2]:
            text = attributes[attributes.index("data-font-check") + 1]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
            found.append((text, {f["familyName"] for f in fonts if f["glyphCount"]}))
        stack.extend(node.get("children", []))
        if "contentDocument" in node:
            stack.append(node["contentDocument"])
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


# ------------------------------------------------------------------------------------- every screen
# The visible text of a screen, main page and same-origin frames (the network drawing, the report
# preview): text nodes whose element is drawn, not icon ligatures (Material Symbols), not code spans
# (file-format field names such as `elements` stay as they are).
VISIBLE_TEXT = """() => {
  const out = [];
  const walk = (doc) => {
    const w = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const el = n.parentElement, text = n.textContent.trim();
      if (!text || !el || ["SCRIPT", "STYLE", "NOSCRIPT", "CODE"].includes(el.tagName) || el.closest("code")) continue;
      if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || /Material/.test(getComputedStyle(el).fontFamily)) continue;
      out.push(text);
    }
    for (const f of doc.querySelectorAll("iframe")) {
      try { if (f.contentDocument && f.contentDocument.body) walk(f.contentDocument); } catch (e) {}
    }
  };
  walk(document);
  return out;
}"""
# Words that are not the interface's to translate: Streamlit's own (its accessibility link and file
# uploader, which it writes in English only), units, and product and format names, kept in Latin letters
# by the glossary (docs/glossary-km.md).
STREAMLIT_OWN = {"Skip to main content", "Upload", "Drag and drop file here", "Browse files"}
NOT_WORDS = {"GEXF", "GRAPHML", "Gephi", "GraphML", "CSV", "DNH", "HTML", "JSON", "XML", "xlsx", "Excel", "zip",
             "yEd", "Cytoscape", "networkx", "Kumu", "PDF", "dnh", "graph", "LibreOffice", "Google", "Sheets",
             "JavaScript", "YYYY", "MM", "DD", "UTF", "UTC", "KB", "MB", "px", "per", "file", "Limit"}
SEPARATORS = re.compile(r"\s*(?:[·,;:()៖\[\]|→↔=×]|…)\s*")
KHMER_WORD = re.compile(r"[\u1780-\u17ff]+")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
KEY = re.compile(r"\b[A-Z]{1,3}\d+\b")  # the keys of rows (A1, X5, R3): data
PSEUDONYM = re.compile(r"Actor [A-Z]+\d+")  # 'Actor A1': the labels of hidden names, the same in every language
FILE_NAME = re.compile(r"\S+\.(?:xlsx|gexf|zip|graphml|json|html)\b")


def user_data(analysis) -> list[str]:
    """Every text the analysis holds (names, descriptions, notes, evidence...), longest first."""
    from dnh_graph.model import TABLES, record_to_row

    found = {analysis.info.name, analysis.info.key, analysis.info.location or "", analysis.info.context or "",
             analysis.info.conflict or ""}
    for sheet in TABLES:
        if sheet == "analysis":
            continue
        for record in analysis.rows(sheet):
            for value in record_to_row(record, sheet).values():
                found.update([value] if isinstance(value, str) else map(str, value)
                             if isinstance(value, list | tuple) else [])
    return sorted((v.strip() for v in found if len(v.strip()) >= 3), key=len, reverse=True)


def interface_words(texts: list[str], data: list[str]) -> tuple[int, int, list[str]]:
    """(Khmer words, English words, the texts holding English) of the interface's own text.

    The measure: user data is taken out first (each whole value of the analysis, then any piece between
    separators that is part of a value: names clipped with "…"), with pseudonyms ('Actor A1'), file names
    and the words of ``NOT_WORDS``. Then an English word is a run of two or more Latin letters, and a Khmer
    word a run of Khmer characters. Khmer puts no spaces between words, so one run often holds several
    words: the Khmer share is counted low, never high.
    """
    khmer = english = 0
    where = []
    for text in texts:
        if text in STREAMLIT_OWN:
            continue
        pieces = []
        for piece in SEPARATORS.split(FILE_NAME.sub(" ", PSEUDONYM.sub(" ", text))):
            piece = KEY.sub(" ", piece).strip()
            if len(piece) >= 3 and any(piece in v for v in data):
                continue  # a value, or part of one (a name clipped with "…")
            for value in (v for v in data if v in piece):
                piece = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", piece)
            pieces.append(piece)
        words = [w for p in pieces for w in LATIN_WORD.findall(p) if w not in NOT_WORDS]
        khmer += sum(len(KHMER_WORD.findall(p)) for p in pieces)
        english += len(words)
        if words:
            where.append(" ".join(pieces))
    return khmer, english, where


def _settled_text(page) -> list[str]:
    """The visible text once it stops growing: charts, the network frame and the report preview draw
    after the script run ends."""
    texts = page.evaluate(VISIBLE_TEXT)
    for _ in range(20):
        page.wait_for_timeout(1500)
        again = page.evaluate(VISIBLE_TEXT)
        if len(again) == len(texts):
            return again
        texts = again
    return texts


def test_the_measure_counts_english_and_leaves_user_data_out():
    data = ["Ministry of Interior", "Pay per diems to participants"]
    khmer, english, where = interface_words(["Ministry of Interior", "តួអង្គ · Pay per diems to…", "Save changes",
                                             "ទាញយក CSV", "Actor A1", "X5 Ministry of Interior · ទម្ងន់ 9"], data)
    assert (khmer, english) == (3, 2) and where == ["Save changes"]


SCREENS = ("overview", "context_actors", "factors", "intervention", "impacts", "options", "workshop", "reviews",
           "trends", "monitoring", "network", "report", "history")


def test_every_screen_speaks_khmer_and_draws_it(server, no_khmer_font, tmp_path):  # noqa: F811
    """Switch to ខ្មែរ as a person does, then open every screen at 1024×768: at least 80 % of the interface's
    own words are Khmer (see :func:`interface_words`), no element with Khmer text is drawn without the
    Khmer font, and no control's label is cut short."""
    from dnh_graph.i18n import translate

    env = {**os.environ, "DNH_DATABASE_URL": server["url"], "DNH_DATA_DIR": str(server["folder"])}
    dnh = Path(os.sys.executable).parent / "dnh"
    subprocess.run([str(dnh), "demo", "--if-empty"], env=env, cwd=REPO, check=True, capture_output=True)
    key = "child_protection_network"
    data = user_data(read_csv_folder(demo_dir() / key))
    page = no_khmer_font.new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{server['base']}/?analysis={key}")
    wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="ខ្មែរ").click()
    wait_idle(page)
    page.wait_for_url(re.compile(r"[?&]lang=km(&|$)"), timeout=30_000)
    sidebar.get_by_text(translate("sidebar.language", "km")).first.wait_for(timeout=30_000)
    failures = []
    for screen in SCREENS:
        page.goto(f"{server['base']}/{'' if screen == 'overview' else screen}?analysis={key}&lang=km")
        wait_idle(page)
        khmer, english, where = interface_words(_settled_text(page), data)
        share = khmer / max(1, khmer + english)
        page.screenshot(path=str(tmp_path / f"{screen}.png"), full_page=True)
        print(f"{screen}: {khmer} Khmer, {english} English words ({share:.0%}); screenshot {tmp_path / screen}.png")
        if share < 0.8 or khmer < 20:
            failures.append(f"{screen}: {share:.0%} Khmer; English in {where[:8]}")
        boxes = [text for text, fonts in _platform_fonts(page, "body *")
                 if KHMER_LETTER.search(text) and styles.KHMER_FAMILY not in fonts]
        if boxes:
            failures.append(f"{screen}: Khmer drawn as boxes in {boxes[:3]}")
        cut = cut_labels(page)  # Khmer labels are longer than English ones: the stricter case at 1024 px
        if cut:
            failures.append(f"{screen}: labels cut short at 1024 px: {cut[:4]}")
    assert failures == []

