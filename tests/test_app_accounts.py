"""AppTest of the login gate (issue 13): with an account in the database nothing of any analysis is
drawn before a login; the cookie, a trusted proxy's header (only when configured) and an identity
provider's email (``st.user``, a stub) each name the person; a viewer gets no edit control."""

from __future__ import annotations

import pytest
from streamlit.proto.Dataframe_pb2 import Dataframe as DataframeProto

from app import auth
from app.screens import available
from dnh_graph import accounts
from dnh_graph.store import Store
from tests.accounts_support import fast_hashes  # noqa: F401  (autouse fixture)
from tests.apptest_support import app, page_path, texts
from tests.factories import rich_analysis

NAME = rich_analysis().info.name
READ_ONLY = DataframeProto.EditingMode.READ_ONLY
SENSITIVE = next(a.name for a in rich_analysis().actors if a.sensitive)


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("DNH_DATABASE_URL", url)
    store = Store.open(url)
    store.import_analysis(rich_analysis())
    accounts.add_account(store, "ana", "pw", "admin", email="ana@example.org")
    accounts.add_account(store, "vic", "pw", "viewer")
    return store


def logged_in_as(monkeypatch, store: Store, name: str | None) -> None:
    """The browser sends the login cookie of ``name`` (None: no cookie)."""
    token = accounts.issue_token(store.engine, name) if name else None
    monkeypatch.setattr(auth, "_cookie", lambda: token)


def assert_login_screen(at) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert [t.value for t in at.title] == ["Log in"]
    shown = texts(at)
    assert NAME not in shown and "bay" not in shown and SENSITIVE not in shown
    assert len(at.selectbox) == 0 and len(at.sidebar) == 0 and len(at.toggle) == 0  # no picker, no switch
    assert "dnh-auth/login" in "".join(str(h.proto) for h in at.get("html"))


def test_with_an_account_nothing_shows_before_a_login(db, monkeypatch):
    logged_in_as(monkeypatch, db, None)
    assert_login_screen(app().run())


def test_a_deep_link_or_a_forged_session_key_shows_nothing_either(db, monkeypatch):
    logged_in_as(monkeypatch, db, None)
    at = app()
    at.session_state["dnh_person"] = "ana"  # state is the server's: still, the gate reads the cookie
    at.session_state["dnh_analysis"] = "bay"
    at.switch_page(page_path("context_actors"))
    assert_login_screen(at.run())


def test_a_tampered_or_foreign_cookie_shows_the_login_screen(db, monkeypatch):
    forged = accounts.sign(b"not the key" * 3, "ana", 1, 2**40)
    monkeypatch.setattr(auth, "_cookie", lambda: forged)
    assert_login_screen(app().run())


def test_a_wrong_password_and_a_slow_down_are_said(db, monkeypatch):
    logged_in_as(monkeypatch, db, None)
    at = app()
    at.query_params["login"] = "wrong"
    at.run()
    assert "do not match an account" in at.error[0].value
    at = app()
    at.query_params["login"], at.query_params["wait"] = "wait", "8"
    at.run()
    assert "wait 8 seconds" in at.error[0].value


def test_the_login_cookie_opens_the_app_and_the_sidebar_says_who(db, monkeypatch):
    logged_in_as(monkeypatch, db, "ana")
    at = app().run()
    assert not at.exception
    assert NAME in texts(at) and "Logged in as **ana** (administrator)" in [c.value for c in at.sidebar.caption]
    assert any(t.label == "Hide sensitive names" for t in at.sidebar.toggle)
    at.switch_page(page_path("context_actors")).run()
    assert at.dataframe and all(df.proto.editing_mode != READ_ONLY for df in at.dataframe)  # an admin edits


def test_a_viewer_gets_no_edit_control_and_no_reveal_switch(db, monkeypatch):
    logged_in_as(monkeypatch, db, "vic")
    at = app()
    at.session_state["dnh_analysis"] = "bay"
    at.switch_page(page_path("context_actors"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.toggle and not [b for b in at.button if b.label == "Save"]
    assert at.dataframe and all(df.proto.editing_mode == READ_ONLY for df in at.dataframe)  # read-only grids
    assert SENSITIVE not in texts(at)
    assert not [e for e in at.sidebar.expander if e.label == "Manage analyses"]


def test_no_accounts_no_login(tmp_path, monkeypatch):
    monkeypatch.setenv("DNH_DATABASE_URL", f"sqlite:///{tmp_path / 'solo.sqlite'}")
    Store.open().import_analysis(rich_analysis())
    at = app().run()
    assert not at.exception and NAME in texts(at) and "Log in" not in [t.value for t in at.title]


def test_a_trusted_header_is_honoured_only_when_configured(db, monkeypatch):
    logged_in_as(monkeypatch, db, None)
    monkeypatch.setattr(auth, "_header", lambda name: {"X-Remote-User": "vic"}.get(name))
    assert_login_screen(app().run())  # not configured: a header anyone could send means nothing
    monkeypatch.setenv("DNH_TRUSTED_USER_HEADER", "X-Remote-User")
    at = app().run()
    assert not at.exception and "Logged in as **vic** (viewer)" in [c.value for c in at.sidebar.caption]
    monkeypatch.setattr(auth, "_header", lambda name: "mallory")
    at = app().run()
    assert [t.value for t in at.title] == ["Log in"] and "mallory" in at.error[0].value


def test_an_identity_providers_email_logs_in_its_account(db, monkeypatch):
    """``st.login`` (OIDC): AppTest's ``user`` stands in for the provider's answer."""
    logged_in_as(monkeypatch, db, None)
    monkeypatch.setenv("DNH_AUTH", "oidc")
    at = app()
    at.user = {"is_logged_in": True, "email": "ANA@example.org"}
    at.run()
    assert not at.exception and "Logged in as **ana** (administrator)" in [c.value for c in at.sidebar.caption]
    at = app()
    at.user = {"is_logged_in": True, "email": "stranger@example.org"}
    at.run()
    assert [t.value for t in at.title] == ["Log in"] and "stranger@example\\.org" in at.error[0].value
    assert [b.label for b in at.button] == ["Log in with your organisation"]


@pytest.mark.parametrize("page", [s.id for s in available()])
def test_a_viewer_opens_every_screen_without_an_error_or_an_enabled_save(db, monkeypatch, page):
    logged_in_as(monkeypatch, db, "vic")
    at = app()
    at.session_state["dnh_analysis"] = "bay"
    at.switch_page(page_path(page))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not [b for b in at.button if b.label in ("Save", "Create", "Save changes") and not b.disabled]
    assert SENSITIVE not in texts(at)


def test_a_facilitator_invites_someone_to_the_analysis(db, monkeypatch):
    accounts.add_account(db, "fay", "pw", "facilitator")
    accounts.add_account(db, "sam", "pw", "viewer")
    with db.engine.begin() as conn:  # sam holds no role anywhere yet
        conn.exec_driver_sql("delete from membership where account_id = (select id from account where name='sam')")
    logged_in_as(monkeypatch, db, "fay")
    at = app()
    at.session_state["dnh_analysis"] = "bay"
    at.run()
    [name] = [w for w in at.sidebar.text_input if w.label == "Account to invite"]
    name.input("sam")
    [role] = [w for w in at.sidebar.selectbox if w.label == "Role in this analysis"]
    assert len(role.options) == 3  # viewer, editor, facilitator: never admin
    role.set_value("editor")
    [invite] = [b for b in at.sidebar.button if b.label == "Invite"]
    invite.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "sam is now a member of this analysis as editor." in [s.value for s in at.sidebar.success]
    assert db.as_person("sam").access("bay").role == "editor"


def test_an_editor_invited_to_one_analysis_is_told_why_they_cannot_create_another(db, monkeypatch):
    accounts.add_account(db, "ivy", "pw", "editor", analysis="bay")  # invited to this one analysis only
    logged_in_as(monkeypatch, db, "ivy")
    at = app()
    at.session_state["dnh_analysis"] = "bay"
    at.run()
    [name] = [w for w in at.sidebar.text_input if w.label == "Name" and not w.value]
    name.input("Another one")
    [create] = [b for b in at.sidebar.button if b.label == "Create analysis"]
    create.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("ivy has no role in this workspace and may not change it" in e.value for e in at.sidebar.error)
    assert [s.key for s in db.list_analyses()] == ["bay"]


def test_someone_without_a_role_in_the_analysis_linked_reads_who_they_are_without_a_role(db, monkeypatch):
    """An account invited to one analysis, on a link to another: the sidebar said "Logged in as ivy (-)"."""
    db.import_analysis(rich_analysis(), key="other")
    accounts.add_account(db, "ivy", "pw", "editor", analysis="bay")  # invited to this one analysis only
    logged_in_as(monkeypatch, db, "ivy")
    at = app()
    at.query_params["analysis"] = "other"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    captions = [c.value for c in at.sidebar.caption]
    assert "Logged in as **ivy**" in captions and not [c for c in captions if "(-)" in c]
    at = app()
    at.session_state["dnh_analysis"] = "bay"
    at.run()
    assert "Logged in as **ivy** (editor)" in [c.value for c in at.sidebar.caption]


def test_a_viewer_gets_no_timer_control_on_the_workshop(db, monkeypatch):
    """The timer is the room's (stored with the analysis): a viewer's Start did nothing at all, silently;
    the viewer sees the timer, not its controls. An editor keeps them."""
    for name, controls in (("vic", False), ("ana", True)):
        logged_in_as(monkeypatch, db, name)
        at = app()
        at.session_state["dnh_analysis"] = "bay"
        at.switch_page(page_path("workshop"))
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        labels = {b.label for b in at.button}
        assert ({"Start", "Stop"} <= labels) is controls, (name, labels)
        assert bool([n for n in at.number_input if n.label == "Minutes"]) is controls


def test_no_one_without_the_switch_is_told_to_turn_it_off(db, monkeypatch):
    """A viewer (or an editor who may not see names) has no 'Hide sensitive names' switch: the captions
    of Context & actors and of a table's import said to turn it off; they now say who can change it."""
    for name, told in (("vic", False), ("ana", True)):
        logged_in_as(monkeypatch, db, name)
        at = app()
        at.session_state["dnh_analysis"] = "bay"
        at.switch_page(page_path("context_actors"))
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        shown = texts(at)
        assert ("Turn off 'Hide sensitive names'" in shown) is told, name
        assert ("Only someone who may see the names" in shown) is not told, name
