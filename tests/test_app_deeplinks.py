"""AppTest of the deep link ``?analysis=KEY`` (issue 13): an analysis made seconds ago opens although the
sidebar's list of analyses is cached; a link to an analysis that is not there (mistyped, deleted, or not
open to the person) shows no analysis in its place and says so, in the same words whichever it is (a
link must not tell whether an analysis exists), on every screen and after a reload; a choice in the
picker ends it."""

from __future__ import annotations

import dataclasses

import pytest

from app.screens import available
from dnh_graph import accounts
from dnh_graph.i18n import translate
from dnh_graph.model import AnalysisInfo
from dnh_graph.store import Store
from tests.accounts_support import fast_hashes  # noqa: F401  (autouse fixture)
from tests.apptest_support import app, page_path, texts
from tests.factories import rich_analysis

FIRST, OTHER = "bay", "river"  # FIRST comes first in the picker
NOT_HERE = "not_here"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'links.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    store = Store.open(url)
    a = rich_analysis(FIRST)
    store.import_analysis(a)
    store.import_analysis(dataclasses.replace(rich_analysis(OTHER), info=dataclasses.replace(
        rich_analysis(OTHER).info, name="River fisheries")))
    return store


def linked(key: str, page: str = "overview", lang: str | None = None):
    """A new session (a link opened, or a reload) on ``page`` with ``?analysis=key``."""
    at = app()
    at.query_params["analysis"] = key
    if lang:
        at.query_params["lang"] = lang
    at.switch_page(page_path(page))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def picker(at):
    return at.sidebar.selectbox(key="dnh_analysis")


def sentence(key: str, lang: str = "en") -> str:
    return translate("common.link_missing", lang, key=key.replace("_", "\\_"))


def no_analysis_shown(at, key: str, lang: str = "en") -> None:
    assert picker(at).value is None
    assert [w.value for w in at.main.warning][:1] == [sentence(key, lang)]
    shown = texts(at)
    assert "Bay fisheries" not in shown and "River fisheries" not in shown
    assert len(at.main.dataframe) == 0  # no grid to type into, so nothing to save
    assert at.query_params["analysis"] in (key, [key])  # a reload says the same


@pytest.mark.parametrize("page", [s.id for s in available()])
def test_an_analysis_made_seconds_ago_opens_from_a_link_though_the_list_is_cached(db, page):
    assert picker(linked(FIRST)).value == FIRST  # the list of analyses is cached now
    db.create_analysis(AnalysisInfo("fresh", "Made seconds ago"))
    for _ in ("link", "reload"):
        at = linked("fresh", page)
        assert picker(at).value == "fresh"
        assert sentence("fresh") not in [w.value for w in at.main.warning]
        assert at.query_params["analysis"] in ("fresh", ["fresh"])


@pytest.mark.parametrize("page", [s.id for s in available()])
def test_a_link_to_no_analysis_shows_none_and_says_so_on_every_screen(db, page):
    no_analysis_shown(linked(NOT_HERE, page), NOT_HERE)


def test_a_link_to_a_deleted_analysis_says_so_after_a_reload_too_and_in_khmer(db):
    assert picker(linked(OTHER)).value == OTHER
    db.delete_analysis(OTHER)
    no_analysis_shown(linked(OTHER, "context_actors"), OTHER)
    no_analysis_shown(linked(OTHER, "context_actors"), OTHER)  # the reload
    no_analysis_shown(linked(OTHER, "impacts", lang="km"), OTHER, "km")


def test_a_choice_in_the_picker_ends_it_and_the_url_follows(db):
    at = linked(NOT_HERE, "context_actors")
    picker(at).set_value(OTHER).run()
    assert not at.exception
    assert picker(at).value == OTHER
    assert sentence(NOT_HERE) not in [w.value for w in at.main.warning]
    assert at.query_params["analysis"] in (OTHER, [OTHER])
    assert len(at.main.dataframe) > 0
    at.run()  # a later run of the same session stays on the choice
    assert picker(at).value == OTHER


def test_the_key_in_the_sentence_is_shown_as_typed_never_as_markup(db):
    at = linked("**x**<img src=x onerror=alert(1)>")
    assert picker(at).value is None
    [warning] = at.main.warning
    assert "\\*\\*x\\*\\*\\<img" in warning.value


def test_a_person_without_access_gets_the_sentence_of_a_missing_analysis(db, monkeypatch):
    from app import auth

    accounts.add_account(db, "ivy", "pw", "viewer")
    with db.engine.begin() as conn:  # ivy holds no role in the workspace, only in FIRST
        conn.exec_driver_sql("delete from membership where account_id = (select id from account where name='ivy')")
    accounts.grant(db, "ivy", "editor", analysis=FIRST)
    token = accounts.issue_token(db.engine, "ivy")
    monkeypatch.setattr(auth, "_cookie", lambda: token)
    refused, missing = linked(OTHER, "context_actors"), linked(NOT_HERE, "context_actors")
    no_analysis_shown(refused, OTHER)
    no_analysis_shown(missing, NOT_HERE)
    assert texts(refused).replace(OTHER, NOT_HERE.replace("_", "\\_")) == texts(missing)  # nothing tells the two apart
    assert picker(refused).options == [f"Bay fisheries 🐟 ({FIRST})"]
    assert picker(linked(FIRST, "context_actors")).value == FIRST
