"""Hostile text in every field is shown as text on every page: nothing user-written reaches HTML
unescaped (DESIGN §9; issue 3 acceptance)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.drafts import GUARD_OFF, GUARD_ON
from app.screens import available
from dnh_graph.model import (
    Actor,
    Analysis,
    AnalysisInfo,
    Detail,
    Factor,
    FactorActor,
    Impact,
    Option,
    OptionImpact,
    Relationship,
    Review,
)
from dnh_graph.store import Store
from tests.apptest_support import app, page_path

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert('x')</script>"
HOSTILE = f"{IMG} {SCRIPT} *not bold* [link](javascript:alert(1)) :red[red] $x$"


def hostile_analysis() -> Analysis:
    a1, x1 = "<script>A</script>", IMG
    return Analysis(
        AnalysisInfo("xss", HOSTILE, location=HOSTILE, context=HOSTILE, conflict=HOSTILE,
                     start_date=dt.date(2024, 1, 1)),
        actors=[Actor(a1, HOSTILE, description=HOSTILE, tags=(IMG, SCRIPT)), Actor("A2", SCRIPT)],
        relationships=[Relationship(a1, "A2", "conflict", note=HOSTILE)],
        factors=[Factor("D1", "divider", HOSTILE, "experiences", 5, HOSTILE, (SCRIPT,)),
                 Factor("C1", "connector", IMG, "experiences", 3, HOSTILE)],
        factor_actors=[FactorActor("D1", a1, "drives"), FactorActor("C1", "A2", "bridges")],
        details=[Detail(x1, "what", HOSTILE, HOSTILE), Detail("X2", "how", SCRIPT, "")],
        impacts=[Impact(x1, "D1", "strengthens", 3, "resource_transfer", "distribution", "high", HOSTILE),
                 Impact("X2", "C1", "weakens", 2, "staff_behaviour", evidence=HOSTILE)],
        options=[Option("O1", HOSTILE, x1, HOSTILE, side_effects=HOSTILE), Option("O2", SCRIPT, "", HOSTILE)],
        option_impacts=[OptionImpact("O1", "D1", "weakens", 2, "resource_transfer", evidence=HOSTILE)],
        reviews=[Review("R1", dt.date(2024, 6, 1), HOSTILE, HOSTILE)],
    )


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'xss.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    store = Store.open(url)
    store.import_analysis(hostile_analysis())
    return store


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def raw_markup(text: str) -> bool:
    return "<img" in text or "<script" in text or "onerror=" in text


@pytest.mark.parametrize("page", [s.id for s in available()])
def test_hostile_text_never_reaches_html(db, page):
    at = app()
    at.session_state["dnh_analysis"] = "xss"
    at.switch_page(page_path(page))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    checked = 0
    for node in [*walk(at.main), *walk(at.sidebar)]:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if getattr(node, "type", "") in ("markdown", "caption", "latex", "code") or hasattr(proto, "allow_html"):
            if getattr(proto, "allow_html", False):
                assert not raw_markup(proto.body), (page, proto.body[:200])
            body = getattr(proto, "body", "")
            checked += 1
            # user text in markdown is escaped: "<img" shows as "\<img", never as a tag
            assert "<img" not in body.replace("\\<img", ""), (page, body[:200])
            assert "<script" not in body.replace("\\<script", ""), (page, body[:200])
    assert checked > 3, page
    for element in at.html:
        if element.value in (GUARD_ON, GUARD_OFF):  # the constant unsaved-edits guard: no user text in it
            continue
        assert not raw_markup(element.value), (page, element.value[:200])
    for chart in at.get("plotly_chart"):
        spec = chart.proto.spec
        assert "<img" not in spec and "<script" not in spec, page
        if page == "impacts":
            assert "&lt;img" in spec


def test_hostile_text_is_shown_as_text_on_the_workshop_screens(db):
    at = app()
    at.session_state["dnh_analysis"] = "xss"
    at.run()
    bodies = " ".join(m.value for m in [*at.markdown, *at.title, *at.caption])
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in bodies  # escaped markdown: displayed literally
    at.switch_page(page_path("context_actors")).run()
    grid = at.data_editor(key="actors__editor").value
    assert grid.loc[0, "description"] == HOSTILE  # grid cells are plain text, unchanged
