"""The HTML report: self-contained, every section present, every user string escaped, summary shorter."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dnh_graph import exports, io, scoring
from dnh_graph.demo import demo_dir
from dnh_graph.i18n import catalog
from dnh_graph.model import TABLES, Analysis, AnalysisInfo
from dnh_graph.render import report, styles
from dnh_graph.timeline import _example_analysis
from tests.factories import HOSTILE, KHMER, rich_analysis

REPO = Path(__file__).resolve().parent.parent
DEMOS = sorted(p for p in demo_dir().iterdir() if (p / "analysis.csv").is_file())
TEMPLATES = Path(report.__file__).parent / "render" / "templates"
# Every element the report may contain: no script, link, img, iframe, object, form, base, ...
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "section", "h1", "h2", "h3", "p", "dl",
    "dt", "dd", "div", "span", "strong", "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "ul", "li",
    "figure", "figcaption", "i", "br", "svg", "g", "defs", "marker", "path", "line", "rect", "circle", "polyline",
    "polygon", "text",
}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.extend(attrs)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _hostile_everywhere(analysis: Analysis) -> Analysis:
    """Every free-text cell of every table set to the hostile string (names included)."""
    def dirty(record, sheet):
        changes = {c.name: f"{HOSTILE} {c.name}" for c in TABLES[sheet].columns if c.kind == "text"}
        return dataclasses.replace(record, **changes)

    tables = {sheet: [dirty(r, sheet) for r in analysis.rows(sheet)] for sheet in TABLES if sheet != "analysis"}
    return Analysis(info=dirty(analysis.info, "analysis"), **tables)


def _assert_self_contained(html: str) -> None:
    # the shipped Khmer font is the one thing inlined as data (once in the styles, once preloaded)
    assert html.count(styles.font_faces_css()) == 1 and html.count(styles.font_preload_html()) == 1
    html = html.replace(styles.font_faces_css(), "").replace(styles.font_preload_html(), "")
    lowered = html.lower()
    assert "http://" not in lowered and "https://" not in lowered
    assert "<script" not in lowered and "@import" not in lowered and "@font-face" not in lowered
    parsed = _parse(html)
    assert parsed.tags <= ALLOWED_TAGS, parsed.tags - ALLOWED_TAGS
    for name, value in parsed.attributes:
        assert not name.startswith("on"), (name, value)
        assert name not in ("src", "href", "srcset", "action", "xlink:href", "background"), (name, value)
    for reference in re.findall(r"url\(([^)]*)\)", html):
        assert reference.startswith("#"), reference  # only SVG markers inside the file
    assert f'<meta http-equiv="Content-Security-Policy" content="{report.CSP}">' in html.replace("&#39;", "'")


@pytest.fixture(scope="module")
def demos() -> list[Analysis]:
    return [io.read_csv_folder(p) for p in DEMOS]


def test_three_demo_analyses_exist():
    assert len(DEMOS) == 3


@pytest.mark.parametrize("summary", [False, True])
def test_demo_reports_are_self_contained(demos, summary):
    for analysis in demos:
        _assert_self_contained(report.report_html(analysis, summary=summary))


def test_every_section_is_present_with_its_title(demos):
    for analysis in demos:
        html = report.report_html(analysis)
        for section in report.SECTIONS:
            assert f'<section id="{section}"' in html
            assert f"<h2>{report.section_title(section)}</h2>" in html


def test_summary_sections_and_summary_is_shorter(demos):
    for analysis in demos:
        fonts = len(styles.font_faces_css()) + len(styles.font_preload_html())  # the same inlined font in both
        full = report.report_html(analysis)
        summary = report.report_html(analysis, summary=True)
        assert len(summary) - fonts < (len(full) - fonts) / 2
        for section in report.SUMMARY_SECTIONS:
            assert f'<section id="{section}"' in summary
        for section in ("context", "actors", "factors", "details", "impacts"):
            assert f'<section id="{section}"' not in summary


def test_header_has_name_date_and_version():
    a = _example_analysis()
    html = report.report_html(a, generated_on=dt.date(2025, 3, 4), revision=17,
                              updated_at=dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC))
    assert "<h1>Example</h1>" in html
    assert "2025-03-04" in html
    assert "revision 17" in html and "2025-03-03 09:30 UTC" in html
    assert "R3 · 2024-07-15" in html  # the review it speaks for: the latest by default


def test_header_shows_the_row_version_without_a_revision(store):
    stored = store.import_analysis(_example_analysis())
    html = report.report_html(store.load(stored.key))
    assert "version 1" in html


def test_sections_can_be_chosen_and_keep_their_order():
    html = report.report_html(_example_analysis(), sections=["monitoring", "context"])
    assert html.index('id="context"') < html.index('id="monitoring"')
    assert 'id="actors"' not in html and 'id="scores"' not in html


def test_unknown_section_and_unknown_review_are_refused():
    with pytest.raises(ValueError, match="Unknown report section"):
        report.report_html(_example_analysis(), sections=["context", "nope"])
    with pytest.raises(ValueError, match="Review 'R9' is not in analysis"):
        report.report_html(_example_analysis(), review="R9")


def test_review_limits_trends_and_monitoring():
    a = _example_analysis()
    at_r1 = report.report_html(a, review="R1", sections=["trends", "monitoring", "changes"])
    at_r3 = report.report_html(a, review="R3", sections=["trends", "monitoring", "changes"])
    assert ">R3<" not in at_r1 and ">R3<" in at_r3
    assert "Changes need two reviews" in at_r1
    assert "From review R2" in at_r3


@pytest.mark.parametrize("summary", [False, True])
def test_every_user_string_is_escaped(summary):
    a = _hostile_everywhere(rich_analysis())
    html = report.report_html(a, summary=summary)
    _assert_self_contained(html)
    assert "<img" not in html and "<script>alert" not in html and "onerror=alert(1)>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(" in html
    # a typed web address stays readable text, written so it is never a reference
    assert "http&#58;//x" in html


def test_hostile_text_in_the_full_report_reaches_every_section():
    html = report.report_html(_hostile_everywhere(rich_analysis()))
    for column in ("name", "context", "conflict", "description", "note", "activity", "evidence", "title",
                   "side_effects", "events", "recommendation"):
        assert f"&lt;/script&gt; &#34;quoted&#34; &#39;single&#39; =HYPERLINK(&#34;http&#58;//x&#34;) {column}" in html


def test_khmer_and_emoji_survive():
    html = report.report_html(rich_analysis())
    assert KHMER in html and "🐟" in html
    assert '<meta charset="utf-8">' in html


def test_figures_are_the_scores_of_dnh_score():
    a = io.read_csv_folder(DEMOS[0])
    totals = scoring.score(a, with_robustness=False).totals
    html = report.report_html(a, sections=["scores"])
    assert f'<div class="value harm">{totals.harm}</div>' in html
    assert f'<div class="value help">{totals.help}</div>' in html


def test_pathways_are_heaviest_first_and_summary_keeps_the_top_five(demos):
    for analysis in demos:
        every = scoring.harm_pathways(analysis)
        summary = report.report_html(analysis, summary=True, sections=["pathways"])
        assert summary.count('<td class="num harm"><strong>') == min(len(every), report.SUMMARY_PATHWAYS)
        full = report.report_html(analysis, sections=["pathways"])
        assert full.count('<td class="num harm"><strong>') == len(every)


def test_an_empty_analysis_renders_every_section():
    empty = Analysis(AnalysisInfo("empty", "Empty"))
    for summary in (False, True):
        html = report.report_html(empty, summary=summary)
        _assert_self_contained(html)
        assert "No review yet" in html


def test_a_map_is_drawn_for_actors_and_a_chart_for_details():
    html = report.report_html(rich_analysis(), sections=["actors", "scores", "trends", "options"])
    assert html.count("<svg viewBox") == 4  # the charts (legend symbols are small svgs too)
    assert 'marker-end="url(#arrow-influence)"' in html  # the directed relationship has an arrow


def test_wide_impact_matrices_are_split():
    a = rich_analysis()
    extra = [dataclasses.replace(a.factors[0], key=f"D{n}", name=f"Factor {n}") for n in range(10, 30)]
    a = dataclasses.replace(a, factors=a.factors + extra)
    html = report.report_html(a, sections=["impacts"])
    assert html.count('<table class="matrix">') == 2


def test_pseudonymised_notice_and_sensitive_warning():
    a = rich_analysis()
    assert "marked sensitive" in report.report_html(a, sections=["context"])
    assert "Pseudonymised:" in report.report_html(a, sections=["context"], pseudonymised=True)


def test_every_built_report_message_is_in_the_catalog():
    """Ids built from a key (literal ids, templates included, are checked by tests/test_catalog_ids.py)."""
    used = {f"report.section.{s}" for s in report.SECTIONS}
    used |= {f"report.change.{g}" for g in ("worse", "better", "appeared", "disappeared")}
    used |= {f"report.page.variant_{v}" for v in ("full", "summary")}
    assert sorted(u for u in used if u not in catalog("en")) == []


def test_export_html_writes_the_report(tmp_path):
    out = exports.export(rich_analysis(), "html", tmp_path / "r.html", summary=True)
    html = out.read_text(encoding="utf-8")
    assert "Do No Harm summary for managers" in html
    _assert_self_contained(html)


def test_export_bytes_gives_every_format(tmp_path):
    a = rich_analysis()
    for fmt in exports.FORMATS:
        data, name, mime = exports.export_bytes(a, fmt)
        assert data and name.startswith("bay") and mime
    data, name, _ = exports.export_bytes(a, "csv", pseudonymise=True)
    assert name == "bay-pseudonymised-csv.zip"
    path = tmp_path / name
    path.write_bytes(data)
    with zipfile.ZipFile(path) as z:
        assert "bay-pseudonymised/analysis.csv" in z.namelist()


def test_export_file_names_are_safe():
    a = Analysis(AnalysisInfo("../etc/pass wd", "X"))
    assert exports.file_name(a, "html", summary=True) == "etc_pass_wd-summary.html"


def test_cli_export_html_summary_pseudonymised(tmp_path, capsys):
    from dnh_graph import cli

    database = f"sqlite:///{tmp_path / 'dnh.sqlite'}"
    folder = demo_dir() / "hiv_support"
    assert cli.main(["--database", database, "import", str(folder)]) == 0
    out = tmp_path / "report.html"
    assert cli.main(["--database", database, "export", "hiv_support", "--format", "html", "--summary",
                     "--pseudonymise", "--review", "R3", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    _assert_self_contained(html)
    assert "Do No Harm summary for managers" in html and "Pseudonymised:" in html
    assert "As of review</dt><dd>R3" in html
    for actor in io.read_csv_folder(folder).actors:
        if actor.sensitive:
            assert actor.name not in html


def test_a_large_map_draws_the_most_related_actors_spread_out():
    from dnh_graph.synthetic import generate_analysis

    a = generate_analysis(actors=150, relationships=300, factors=8, details=5, impacts=10, options=2, reviews=2,
                          seed=4)
    chart = report.relationship_map(a)
    nodes = chart.items["nodes"]
    assert len(nodes) == report.MAP_ACTORS and chart.items["total"] == 150
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)  # no two actors on one spot
    assert all(0 <= n["x"] <= chart.width and 0 <= n["y"] <= chart.height for n in nodes)
    html = report.report_html(a, sections=["actors"])
    assert f"The map shows the {report.MAP_ACTORS} actors with the most relationships, of 150" in html


def test_map_labels_do_not_overlap_on_the_demo_maps(demos):
    for analysis in demos:
        nodes = report.relationship_map(analysis).items["nodes"]
        boxes = []
        for n in nodes:
            w = len(n["name"]) * report.LABEL_CHAR
            x0 = {"middle": n["label_x"] - w / 2, "start": n["label_x"], "end": n["label_x"] - w}[n["anchor"]]
            boxes.append((x0, n["label_y"] - 9, x0 + w, n["label_y"] + 2))
        overlaps = [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i][0] < boxes[j][2]
                    and boxes[j][0] < boxes[i][2] and boxes[i][1] < boxes[j][3] and boxes[j][1] < boxes[i][3]]
        assert overlaps == [], analysis.key
