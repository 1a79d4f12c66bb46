"""Accounts (issue 13): password hashes, signed login tokens (expiry, tampering), the stored slow-down
after wrong passwords, the login log, and the identity provider's and the proxy's mapping to accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnh_graph import accounts
from dnh_graph.roles import AccessError, AccountError
from dnh_graph.store import Store
from tests.accounts_support import fast_hashes  # noqa: F401  (autouse fixture)

KEY = b"k" * 32
names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@pytest.fixture
def store():
    s = Store.open("sqlite://", who="operator")
    accounts.add_account(s, "ana", "correct horse", "admin", email="Ana@Example.org")
    accounts.add_account(s, "vic", "viewer pw", "viewer")
    return s


def test_a_password_is_stored_as_a_salted_argon2_hash(store):
    with store.engine.connect() as conn:
        stored = dict(conn.exec_driver_sql("select name, password_hash from account").all())
    assert stored["ana"].startswith("$argon2id$") and "correct horse" not in stored["ana"]
    assert accounts.argon2.PasswordHasher().hash("x").startswith("$argon2id$")  # the app's own is argon2id too
    assert accounts.hash_password("same") != accounts.hash_password("same")  # salted
    assert accounts.verify_password(stored["ana"], "correct horse")
    assert not accounts.verify_password(stored["ana"], "correct horsE")
    assert not accounts.verify_password("not a hash", "x")


def test_an_empty_password_is_refused_and_nothing_changes(store):
    with pytest.raises(AccountError, match="empty"):
        accounts.add_account(store, "new", "", "editor")
    assert [a.name for a in accounts.list_accounts(store)] == ["ana", "vic"]


@given(name=names, epoch=st.integers(0, 10**6), expires=st.integers(1, 2**40))
def test_a_token_reads_back_until_it_expires(name, epoch, expires):
    token = accounts.sign(KEY, name, epoch, expires)
    assert accounts.read_token(KEY, token, now=expires - 1) == (name, epoch)
    assert accounts.read_token(KEY, token, now=expires) is None


@given(name=names, at=st.integers(0, 200), char=st.characters(min_codepoint=33, max_codepoint=126))
def test_a_tampered_token_is_refused(name, at, char):
    token = accounts.sign(KEY, name, 1, 2**40)
    at %= len(token)
    tampered = token[:at] + char + token[at + 1:]
    if tampered != token:
        found = accounts.read_token(KEY, tampered, now=0)
        # base64 padding bits can change without changing the bytes they carry; never another name
        assert found is None or found == (name, 1)
    assert accounts.read_token(b"other key" * 4, token, now=0) is None


def test_a_forged_name_or_longer_expiry_needs_the_key():
    token = accounts.sign(KEY, "vic", 1, 100)
    name, epoch, expires, mac = token.split(".")
    assert accounts.read_token(KEY, ".".join((name, epoch, "9999999999", mac)), now=0) is None
    other = accounts.sign(KEY, "ana", 1, 100).split(".")[0]
    assert accounts.read_token(KEY, ".".join((other, epoch, expires, mac)), now=0) is None
    assert accounts.read_token(KEY, "garbage", now=0) is None and accounts.read_token(KEY, "", now=0) is None


def test_a_login_cookie_lasts_a_working_day_and_stops_after_a_password_change(store):
    result = accounts.log_in(store.engine, "ana", "correct horse")
    assert result.ok
    now = dt.datetime.now(dt.UTC).timestamp()
    assert accounts.person_for_token(store.engine, result.token, now=now + 9.9 * 3600) == "ana"
    assert accounts.person_for_token(store.engine, result.token, now=now + 10.1 * 3600) is None
    accounts.set_password(store, "ana", "new pw")
    assert accounts.person_for_token(store.engine, result.token) is None


def test_logging_out_ends_every_login_of_the_account(store):
    first = accounts.log_in(store.engine, "vic", "viewer pw").token
    second = accounts.log_in(store.engine, "vic", "viewer pw").token
    accounts.log_out(store.engine, "vic")
    assert accounts.person_for_token(store.engine, first) is None
    assert accounts.person_for_token(store.engine, second) is None


def test_the_signing_key_is_made_once_per_database_and_is_not_in_the_code(store):
    key = accounts.signing_key(store.engine)
    assert len(key) == 32 and accounts.signing_key(store.engine) == key
    other = Store.open("sqlite://")
    assert accounts.signing_key(other.engine) != key


def test_a_removed_account_cannot_use_its_cookie(store):
    token = accounts.log_in(store.engine, "vic", "viewer pw").token
    accounts.remove_account(store, "vic")
    assert accounts.person_for_token(store.engine, token) is None
    assert not accounts.log_in(store.engine, "vic", "viewer pw").ok


def test_wrong_passwords_slow_the_account_down_and_it_is_stored(store):
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    waits = [accounts.log_in(store.engine, "vic", "wrong", now=start).wait_s for _ in range(4)]
    assert waits == [0, 0, 0, 2]
    # within the wait even the right password is not checked: a guesser learns nothing
    refused = accounts.log_in(store.engine, "vic", "viewer pw", now=start + dt.timedelta(seconds=1))
    assert not refused.ok and refused.wait_s == 1
    # another server process reads the same stored state
    again = Store(store.engine).engine
    assert accounts.log_in(again, "vic", "viewer pw", now=start + dt.timedelta(seconds=1)).wait_s == 1
    assert accounts.log_in(again, "vic", "viewer pw", now=start + dt.timedelta(seconds=3)).ok
    # a success ends the slow-down
    assert accounts.log_in(again, "vic", "wrong", now=start + dt.timedelta(seconds=4)).wait_s == 0
    # the other account was never slowed
    assert accounts.log_in(store.engine, "ana", "correct horse", now=start).ok


def test_a_name_no_account_has_is_slowed_down_the_same_so_names_cannot_be_told(store):
    """A guesser trying names learns nothing from the answers: a name no account has gets the waits, and
    the refusal while waiting, that an account gets (the log still tells them apart for an admin)."""
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def answers(name: str) -> list[tuple[bool, int]]:
        tries = [accounts.log_in(store.engine, name, "wrong", now=start) for _ in range(5)]
        for later in (dt.timedelta(seconds=1), dt.timedelta(days=2)):
            tries.append(accounts.log_in(store.engine, name, "wrong", now=start + later))
        return [(r.ok, r.wait_s) for r in tries]

    assert answers("vic") == answers("ghost") == [(False, 0)] * 3 + [(False, 2), (False, 2), (False, 1), (False, 4)]
    outcomes = [e["outcome"] for e in accounts.login_events(store.engine) if e["name"] == "ghost"]
    assert sorted(set(outcomes)) == ["throttled", "unknown"]


@given(st.integers(0, 60))
def test_the_wait_grows_and_is_capped(failures):
    assert accounts.wait_after(failures) <= accounts.wait_after(failures + 1) <= accounts.MAX_WAIT_S


def test_every_login_is_logged_success_and_failure(store):
    accounts.log_in(store.engine, "ana", "correct horse", source="password from 10.0.0.7")
    accounts.log_in(store.engine, "ana", "nope")
    accounts.log_in(store.engine, "nobody", "x")
    accounts.log_out(store.engine, "ana")
    events = [(e["name"], e["outcome"]) for e in reversed(accounts.login_events(store.engine))]
    assert events == [("ana", "ok"), ("ana", "wrong"), ("nobody", "unknown"), ("ana", "logout")]
    assert accounts.login_events(store.engine)[-1]["source"] == "password from 10.0.0.7"


def test_an_identity_providers_email_maps_to_an_account(store):
    """``st.login`` (OIDC): ``st.user.email`` is matched to an account's email, else its name."""
    assert accounts.account_for_email(store.engine, "ana@example.org") == "ana"
    assert accounts.account_for_email(store.engine, "VIC") == "vic"
    assert accounts.account_for_email(store.engine, "mallory@example.org") is None
    assert accounts.account_for_email(store.engine, None) is None


def test_a_trusted_proxy_header_maps_to_an_account(store):
    assert accounts.account_for_header(store.engine, "vic") == "vic"
    assert accounts.account_for_header(store.engine, "ana@example.org") == "ana"
    assert accounts.account_for_header(store.engine, "eve") is None
    assert accounts.account_for_header(store.engine, "") is None


def test_only_an_admin_or_the_operator_manages_accounts(store):
    with pytest.raises(AccessError, match="vic holds the viewer role in this workspace and may not manage"):
        accounts.add_account(store.as_person("vic"), "eve", "pw", "admin")
    accounts.add_account(store.as_person("ana"), "ed", "pw", "editor")
    assert [a.name for a in accounts.list_accounts(store)] == ["ana", "ed", "vic"]
    with pytest.raises(AccountError, match="already exists"):
        accounts.add_account(store, "ed", "pw", "viewer")
    with pytest.raises(AccountError, match="not a role"):
        accounts.add_account(store, "zed", "pw", "owner")
