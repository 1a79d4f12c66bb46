"""The guided parts of the app (issue 14): "still missing" as links, the workshop mode's step screens."""

from __future__ import annotations

import pytest

from dnh_graph.model import Option
from dnh_graph.store import Store
from tests.apptest_support import app, page_path, texts
from tests.factories import rich_analysis


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'guided.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    return Store.open(url)


def open_page(page: str, key: str | None = None, **params):
    at = app()
    if key:
        at.session_state["dnh_analysis"] = key
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page_path(page))
    at.run()
    assert not at.exception, at.exception
    return at


def test_still_missing_links_to_the_screen_and_names_the_details(db):
    a = rich_analysis()
    a.factor_actors.clear()
    a.options[:] = [Option("O9", "Later", "X1", status="chosen")]
    a.option_impacts.clear()
    db.import_analysis(a)
    at = open_page("overview", a.info.key)
    links = {p.proto.label: p.proto.page for p in at.main.get("page_link")}
    options = next(label for label in links if label.startswith("1 detail(s) that do harm"))
    assert links[options] == "options"
    factors = next(label for label in links if "have no linked actor" in label)
    assert links[factors] == "factors"
    assert links["1 chosen option(s) are not tested yet: try them and record what happened (Options)."] == "options"
    captions = [c.value for c in at.main.caption if c.value.startswith("Concerned:")]
    assert captions == ["Concerned: D1 · Access to fishing grounds, D2 · Informal fees, C1 · Shared market",
                        "Concerned: X2 · Distribute nets to members only", "Concerned: O9 · Later"], captions
    assert "Still missing" in texts(at)
