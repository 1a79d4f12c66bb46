"""What the AppTest suites of the "Over time" screens share (tests/test_app_reviews.py, _trends, _monitoring)."""

from __future__ import annotations

import datetime as dt
import json

from dnh_graph.model import Actor, ActorReading, Analysis, AnalysisInfo, Factor, FactorReading, Review
from dnh_graph.store import Store
from tests.apptest_support import app, page_path

DEMOS = ("child_protection_network", "child_rights_ngo", "hiv_support")


def app_database(tmp_path, monkeypatch) -> Store:
    """An empty SQLite file that the app opens through DNH_DATABASE_URL (each suite's ``db`` fixture)."""
    url = f"sqlite:///{tmp_path / 'over_time.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    return Store.open(url)


def open_page(page: str, key: str | None = None):
    at = app()
    if key:
        at.session_state["dnh_analysis"] = key
    at.switch_page(page_path(page))
    at.run()
    return at


def ok(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def infos(at) -> str:
    return "\n".join(str(i.value) for i in at.info)


def figures(at) -> dict[str, dict]:
    """The plotly figures of the page by their title."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def single_review(key: str = "single") -> Analysis:
    """Two dividers, a connector, two actors and one review with some readings."""
    return Analysis(
        AnalysisInfo(key, "One review"),
        actors=[Actor("A1", "Commune council", "local_authority", influence=4),
                Actor("A2", "Fishers' association", "community_group")],
        factors=[Factor("D1", "divider", "Land disputes", "experiences", 4),
                 Factor("D2", "divider", "Patrol fees", "systems_institutions", 3),
                 Factor("C1", "connector", "Shared market", "systems_institutions", 2)],
        reviews=[Review("R1", dt.date(2024, 1, 15), "Baseline", "Floods in the north")],
        factor_readings=[FactorReading("R1", "D1", 3, "tense"), FactorReading("R1", "C1", 2)],
        actor_readings=[ActorReading("R1", "A1", 4, "neutral")],
    )


def edit_grid(at, grid: str, edits: dict[int, dict]) -> None:
    """Type into a grid (row position -> {column: value}) and press its Save button."""
    at.session_state[grid + "__editor"] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.button(key=grid + "__save").click()
    at.run()
