"""Issue 13, "Safeguarding on every screen": with "Hide sensitive names" on (every new session), no
screen shows a sensitive actor's name, description, tags or person-naming key, in any element, chart
or table; turned off, the screens that list actors show the names again."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from app.screens import available
from dnh_graph.store import Store
from tests.apptest_support import app, page_path
from tests.over_time_support import app_database
from tests.privacy_support import NEEDLES, SHOWN_WHEN_OFF, found_in, screen_texts, sensitive_analysis
from tests.strategies import analyses

PAGES = [s.id for s in available()]
LISTS_ACTORS = ("overview", "impacts", "network", "trends", "reviews")  # where names show once turned off


@pytest.fixture
def db(tmp_path, monkeypatch):
    store = app_database(tmp_path, monkeypatch)
    store.import_analysis(sensitive_analysis())
    return store


def run_page(page: str, hidden: bool | None = None):
    at = app()
    at.session_state["dnh_analysis"] = "priv"
    if hidden is not None:
        at.session_state["dnh_hide_names"] = hidden
    at.switch_page(page_path(page))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_every_tab(at, page: str):
    """The lazy tabs (Network, Options) run only the open one: open each in turn."""
    yield at
    key, labels = {"network": ("net_tab", ("Actor metrics", "Downloads")),
                   "options": ("opt_tab", ("Compare", "Test and redesign", "What if"))}.get(page, ("", ()))
    for label in labels:
        at.session_state[key] = label
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        yield at


@pytest.mark.parametrize("page", PAGES)
def test_no_sensitive_name_on_any_screen_while_hidden(db, page):
    at = run_page(page)
    assert at.toggle(key="dnh_hide_names").value is True  # on without anyone touching it
    for state in open_every_tab(at, page):
        texts, _ = screen_texts(state)
        assert len(texts) > 10, page
        assert found_in(texts, NEEDLES) == [], page
        assert state.title[0].value and not found_in([t.value for t in state.title], NEEDLES)


@pytest.mark.parametrize("page", LISTS_ACTORS)
def test_names_show_once_the_switch_is_off(db, page):
    at = run_page(page, hidden=False)
    texts, _ = screen_texts(at)
    assert found_in(texts, SHOWN_WHEN_OFF), page
    # and turning it back on hides them again in the same session
    at.toggle(key="dnh_hide_names").set_value(True).run()
    assert found_in(screen_texts(at)[0], NEEDLES) == [], page


def test_the_switch_is_kept_for_the_session_across_screens(db):
    at = run_page("overview")
    at.toggle(key="dnh_hide_names").set_value(False).run()
    at.switch_page(page_path("trends")).run()
    assert at.toggle(key="dnh_hide_names").value is False
    assert found_in(screen_texts(at)[0], SHOWN_WHEN_OFF)


def test_the_actor_readings_grid_shows_pseudonyms(db):
    """The per-review actor grid (stored records): a sensitive row carries its pseudonym and shown type
    while hidden, its real name and key once shown. (AppTest cannot type into a grid: the save through
    ``stored_keys`` is not exercised here.)"""
    at = run_page("reviews")
    at.session_state["rev_review"] = "R3"
    at.run()
    grid = next(e for e in at.data_editor if e.key and e.key.startswith("rev_actors"))
    frame = grid.value
    assert found_in([frame.to_csv()], NEEDLES) == []
    assert {"A1", "A2", "A3"} <= set(frame["actor"]) and "Actor A1" in set(frame["name"])
    assert frame.loc[frame["actor"] == "A3", "type"].item() == "Other"  # the only sensitive armed group
    at.toggle(key="dnh_hide_names").set_value(False).run()
    frame = next(e for e in at.data_editor if e.key and e.key.startswith("rev_actors")).value
    assert "governor_sok" in set(frame["actor"]) and found_in([frame.to_csv()], SHOWN_WHEN_OFF)


def test_a_table_import_is_closed_while_names_are_hidden(db):
    """A pseudonymised download brought back would write 'Actor A1' over a stored name: while names are
    hidden (and the analysis has sensitive actors) the import says so instead of offering the upload."""
    at = run_page("context_actors")
    assert [u.key for u in at.file_uploader if u.key == "actors__upload"] == []
    assert any("Turn off 'Hide sensitive names'" in c.value for c in at.caption)
    at.toggle(key="dnh_hide_names").set_value(False).run()
    assert [u.key for u in at.file_uploader if u.key == "actors__upload"] == ["actors__upload"]


def test_a_reading_saved_from_a_pseudonymised_row_goes_to_the_stored_actor(db):
    """What the actor readings grid saves while names are hidden: the row of ``Actor A1`` changes the
    reading of the stored actor behind it, and nothing else."""
    from app.over_time import stored_rows
    from dnh_graph import privacy, reviewing

    a = db.load("priv")
    mapping = {masked.key: key for key, masked in privacy.masked_actors(a).items()}
    frame = reviewing.actor_readings_frame(privacy.pseudonymise(a), "R3")
    rows = frame.to_dict("records")
    row = next(r for r in rows if r["name"] == "Actor A1")
    row["influence"] = 5 if row["influence"] != 5 else 4
    changes = reviewing.review_changes("actor_readings", a, "R3", stored_rows("actor_readings", rows, mapping))
    assert [(r.actor, r.influence) for r in changes.upserts] == [("governor_sok", row["influence"])]
    assert changes.deletes == [] and changes.problems == []


# ------------------------------------------------------------------------------- generated analyses
KHMERISH = st.sampled_from("កខគឃងចឆជ្ុំាិ<>*_#")  # no English word, label or header holds these


def _visible_secrets(a) -> list[str]:
    """The sensitive names the screens must not show: long enough to mean something, and not also a
    key (keys of other rows are shown as they are) or another actor's own name."""
    keys = {r.key for sheet in ("actors", "factors", "details", "options", "reviews") for r in a.rows(sheet)}
    others = " ".join(x.name for x in a.actors if not x.sensitive)
    return [x.name.strip() for x in a.actors if x.sensitive and len(x.name.strip()) >= 3
            and not any(x.name.strip() in k for k in keys | {a.info.key}) and x.name.strip() not in others]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(analyses(max_rows=4, characters=KHMERISH, key="gen"))
def test_generated_analyses_show_no_sensitive_name_while_hidden(a):
    secrets = _visible_secrets(a)
    assume(secrets)
    folder = tempfile.mkdtemp()
    before = os.environ.get("DNH_DATABASE_URL")
    os.environ["DNH_DATABASE_URL"] = f"sqlite:///{folder}/gen.sqlite"
    try:
        Store.open(os.environ["DNH_DATABASE_URL"]).import_analysis(a)
        for page in ("overview", "impacts", "trends"):
            at = app()
            at.session_state["dnh_analysis"] = "gen"
            at.switch_page(page_path(page))
            at.run()
            assert not at.exception, [e.message for e in at.exception]
            assert found_in(screen_texts(at)[0], secrets) == [], page
    finally:
        if before is None:
            os.environ.pop("DNH_DATABASE_URL", None)
        else:
            os.environ["DNH_DATABASE_URL"] = before
        shutil.rmtree(folder, ignore_errors=True)
