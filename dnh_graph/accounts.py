"""Accounts (issue 13): who may log in, their passwords, login cookies, the slow-down, members.

With no account in the database the app stays the one-person laptop app; the first ``dnh user add``
turns on the login screen. Passwords are hashed with argon2id (argon2-cffi: salted, memory-hard,
the OWASP recommendation) and never stored or printed. A login cookie is ``name.epoch.expiry`` signed
with HMAC-SHA256 by a key made once per database (``app_secret``: never in the repository, and the
same for every server process on that database); a password change bumps the account's epoch, so
the cookies issued before stop working. Wrong passwords in a row slow the account down
(:func:`wait_after`), stored in the database so a restart or a second server does not reset it.
Every login, failed or not, goes to ``login_event``.

Examples
--------
>>> token = sign(b"k" * 32, "ana", 1, expires=2_000_000_000)
>>> read_token(b"k" * 32, token, now=1_900_000_000)
('ana', 1)
>>> read_token(b"k" * 32, token, now=2_000_000_001) is None  # expired
True
>>> read_token(b"x" * 32, token, now=1_900_000_000) is None  # another key
True
>>> [wait_after(n) for n in (1, 3, 4, 5, 6, 20)]
[0, 0, 2, 4, 8, 900]
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import time
import weakref
from dataclasses import dataclass

import argon2
import sqlalchemy as sa

from dnh_graph import settings
from dnh_graph.roles import AccessError, AccountError, check_role, rank
from dnh_graph.store import Store
from dnh_graph.store.schema import account, app_secret, login_event, membership

__all__ = [
    "Account", "LoginResult", "AccountError", "COOKIE", "hash_password", "verify_password", "sign", "read_token",
    "wait_after", "any_accounts", "add_account", "remove_account", "set_password", "list_accounts", "grant",
    "members", "log_in", "log_out", "person_for_token", "issue_token", "signing_key", "account_for_email",
    "account_for_header", "login_events", "check_name",
]

COOKIE = "dnh_login"  # the login cookie's name
FREE_TRIES = 3  # wrong passwords in a row before the account slows down
MAX_WAIT_S = 15 * 60  # the longest wait between two tries
_HASHER = argon2.PasswordHasher()  # argon2id with the library's current defaults (RFC 9106 low-memory)
# checked when the name is unknown, so an unknown name takes as long to refuse as a wrong password
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))
# engine -> its database's cookie key: the key never changes once made, and every rerun checks a cookie
_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Account:
    name: str
    email: str
    admin: bool
    roles: tuple[tuple[str, str, str, bool], ...]  # (workspace, analysis or "", role, reveal)
    failed_logins: int
    created_at: dt.datetime | None

    @property
    def role(self) -> str:
        """The strongest role held anywhere (what ``dnh user list`` shows first)."""
        if self.admin:
            return "admin"
        return max((r[2] for r in self.roles), key=rank, default="")


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    name: str
    wait_s: int = 0  # > 0: refused without checking the password; try again after this many seconds
    token: str = ""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


# ------------------------------------------------------------------------- passwords and tokens
def hash_password(password: str) -> str:
    if not password:
        raise AccountError("account.empty_password")
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(key: bytes, name: str, epoch: int, expires: int) -> str:
    """A login token: the account's name, its epoch and the expiry (Unix seconds), signed with ``key``."""
    payload = f"{_b64(name.encode())}.{epoch}.{expires}"
    return payload + "." + _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def read_token(key: bytes, token: str, now: float | None = None) -> tuple[str, int] | None:
    """``(name, epoch)`` of a token signed with ``key`` and not expired; None for anything else."""
    try:
        name, epoch, expires, mac = token.split(".")
        payload = f"{name}.{epoch}.{expires}"
        good = _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(good, mac):
            return None
        if int(expires) <= (time.time() if now is None else now):
            return None
        return _unb64(name).decode(), int(epoch)
    except (ValueError, UnicodeDecodeError):
        return None


def signing_key(engine: sa.Engine) -> bytes:
    """The database's cookie key, made on first use (32 random bytes); every server on it shares it."""
    if engine in _KEYS:
        return _KEYS[engine]
    with engine.connect() as conn:
        found = conn.execute(sa.select(app_secret.c.value).where(app_secret.c.name == "cookie")).scalar()
    if found is None:
        try:
            with engine.begin() as conn:
                conn.execute(app_secret.insert().values(name="cookie", value=secrets.token_hex(32), created_at=_now()))
        except sa.exc.IntegrityError:  # another process made it at the same moment: use theirs
            pass
        return signing_key(engine)
    _KEYS[engine] = bytes.fromhex(found)
    return _KEYS[engine]


def wait_after(failures: int) -> int:
    """Seconds an account waits after ``failures`` wrong passwords in a row: none for the first
    :data:`FREE_TRIES`, then 2, 4, 8, ... up to :data:`MAX_WAIT_S`."""
    if failures <= FREE_TRIES:
        return 0
    return min(2 ** (failures - FREE_TRIES), MAX_WAIT_S)


def session_seconds() -> int:
    return int(settings.get("DNH_SESSION_HOURS")) * 3600


# ------------------------------------------------------------------------------------ accounts
def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100 or any(c in name for c in "\x00\r\n\t"):
        raise AccountError("account.bad_name")
    return name


def any_accounts(engine: sa.Engine) -> bool:
    """Whether the database holds an account, i.e. whether the app asks who is there."""
    with engine.connect() as conn:
        return conn.execute(sa.select(account.c.id).limit(1)).first() is not None


def _account_row(conn, name: str):
    row = conn.execute(sa.select(account).where(account.c.name == name)).mappings().first()
    if row is None:
        raise AccountError("account.no_such", name=name)
    return row


def add_account(store: Store, name: str, password: str, role: str, email: str = "",
                workspace: str | None = None, analysis: str = "") -> Account:
    """A new account with ``role`` in ``workspace`` (default: the store's); ``admin`` holds every right.

    With ``analysis``, the role holds in that analysis only (an invitation) and the account sees no other:
    what a team gives someone from outside, a coach or a partner, who must not read the rest.
    """
    name, role = check_name(name), check_role(role)
    store_allow_accounts(store)
    if analysis:
        if role == "admin":
            raise AccountError("account.admin_everywhere")
        with store.engine.connect() as conn:
            store._analysis_row(conn, analysis, right="")  # it exists (NotFoundError names the key)
    hashed = hash_password(password)
    now = _now()
    try:
        with store.engine.begin() as conn:
            aid = conn.execute(account.insert().values(
                name=name, email=(email or "").strip(), password_hash=hashed, admin=role == "admin", epoch=1,
                failed_logins=0, next_try_at=None, created_at=now, updated_at=now, version=1)).inserted_primary_key[0]
            if role != "admin":
                conn.execute(membership.insert().values(
                    account_id=aid, workspace=workspace or store.workspace, analysis=analysis, role=role,
                    reveal=False,
                    created_at=now, updated_at=now, version=1))
    except sa.exc.IntegrityError as error:
        raise AccountError("account.exists", name=name) from error
    return next(a for a in list_accounts(store) if a.name == name)


def store_allow_accounts(store: Store) -> None:
    """Only the operator (a store without a person: the ``dnh`` command) or an admin manages accounts."""
    with store.engine.connect() as conn:
        store._allow(conn, None, "accounts")


def remove_account(store: Store, name: str) -> None:
    store_allow_accounts(store)
    with store.engine.begin() as conn:
        _account_row(conn, name)
        conn.execute(account.delete().where(account.c.name == name))


def set_password(store: Store, name: str, password: str) -> None:
    """A new password; the login cookies issued before stop working, and the slow-down ends."""
    store_allow_accounts(store)
    hashed = hash_password(password)
    with store.engine.begin() as conn:
        _account_row(conn, name)
        conn.execute(account.update().where(account.c.name == name).values(
            password_hash=hashed, epoch=account.c.epoch + 1, failed_logins=0, next_try_at=None,
            updated_at=_now(), version=account.c.version + 1))


def list_accounts(store: Store) -> list[Account]:
    store_allow_accounts(store)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(account).order_by(account.c.name)).mappings().all()
        grants = conn.execute(sa.select(membership).order_by(membership.c.workspace, membership.c.analysis)
                              ).mappings().all()
    held: dict[int, list] = {}
    for g in grants:
        held.setdefault(g["account_id"], []).append((g["workspace"], g["analysis"], g["role"], bool(g["reveal"])))
    return [Account(r["name"], r["email"], bool(r["admin"]), tuple(held.get(r["id"], ())), r["failed_logins"],
                    r["created_at"]) for r in rows]


def grant(store: Store, name: str, role: str, analysis: str = "", reveal: bool = False) -> None:
    """Give ``name`` a role in the store's workspace or, with ``analysis``, in that analysis (an invite).

    A facilitator may invite people to the analyses they facilitate, as viewer, editor or facilitator;
    the workspace as a whole and the admin role are for administrators (and the operator).
    """
    role = check_role(role)
    with store.engine.connect() as conn:
        holder = store._allow(conn, analysis or None, "manage" if analysis else "accounts")
        if analysis:
            store._analysis_row(conn, analysis, right="manage")  # it exists
        if rank(role) > rank(holder.role) or role == "admin":
            raise AccessError("access.hand_out", holder=holder.role, role=role)
    now = _now()
    with store.engine.begin() as conn:
        aid = _account_row(conn, name)["id"]
        where = sa.and_(membership.c.account_id == aid, membership.c.workspace == store.workspace,
                        membership.c.analysis == analysis)
        if conn.execute(sa.select(membership.c.id).where(where)).first() is None:
            conn.execute(membership.insert().values(account_id=aid, workspace=store.workspace, analysis=analysis,
                                                    role=role, reveal=reveal, created_at=now, updated_at=now,
                                                    version=1))
        else:
            conn.execute(membership.update().where(where).values(role=role, reveal=reveal, updated_at=now,
                                                                 version=membership.c.version + 1))


def members(store: Store, analysis: str) -> list[tuple[str, str]]:
    """(name, role) of everyone who may open ``analysis``, by name (administrators included)."""
    with store.engine.connect() as conn:
        store._analysis_row(conn, analysis)
        names = conn.execute(sa.select(account.c.name).order_by(account.c.name)).scalars().all()
    out = []
    for name in names:
        found = store.as_person(name).access(analysis)
        if found.role:
            out.append((name, found.role))
    return out


# ------------------------------------------------------------------------------------ logging in
def _event(conn, name: str, outcome: str, source: str, at: dt.datetime | None = None) -> None:
    conn.execute(login_event.insert().values(at=at or _now(), name=name[:200], outcome=outcome,
                                             source=source[:200]))


def _unknown_tries(conn, name: str, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """Tries of a name no account has, and the last one's time: counted like an account's wrong passwords,
    which only a success (impossible here) sets back."""
    times = conn.execute(sa.select(login_event.c.at).where(
        login_event.c.name == name[:200], login_event.c.outcome == "unknown",
        login_event.c.at <= now).order_by(login_event.c.at)).scalars().all()
    return len(times), (_utc(times[-1]) if times else None)


def issue_token(engine: sa.Engine, name: str, now: float | None = None) -> str:
    with engine.connect() as conn:
        epoch = _account_row(conn, name)["epoch"]
    return sign(signing_key(engine), name, epoch, int((time.time() if now is None else now) + session_seconds()))


def log_in(engine: sa.Engine, name: str, password: str, source: str = "password",
           now: dt.datetime | None = None) -> LoginResult:
    """Check a name and password; audit the attempt; slow the account down after wrong passwords.

    While an account must wait, the password is not even checked (a guesser learns nothing).
    """
    now = now or _now()
    name = (name or "").strip()[:100]
    with engine.connect() as conn:
        row = conn.execute(sa.select(account).where(account.c.name == name)).mappings().first()
    if row is None:  # slowed down exactly as an account is, so the answers do not tell which names exist
        with engine.connect() as conn:
            tries, last = _unknown_tries(conn, name, now)
        next_try = last + dt.timedelta(seconds=wait_after(tries)) if last is not None else None
        if next_try is not None and next_try > now:
            with engine.begin() as conn:
                _event(conn, name, "throttled", source, now)
            return LoginResult(False, name, wait_s=max(1, int((next_try - now).total_seconds() + 0.999)))
        verify_password(_DUMMY_HASH, password or "")
        with engine.begin() as conn:
            _event(conn, name, "unknown", source, now)
        return LoginResult(False, name, wait_s=wait_after(tries + 1))
    next_try = _utc(row["next_try_at"])
    if next_try is not None and next_try > now:
        with engine.begin() as conn:
            _event(conn, name, "throttled", source, now)
        return LoginResult(False, name, wait_s=max(1, int((next_try - now).total_seconds() + 0.999)))
    good = verify_password(row["password_hash"], password or "")
    with engine.begin() as conn:
        if good:
            conn.execute(account.update().where(account.c.id == row["id"]).values(failed_logins=0, next_try_at=None))
            _event(conn, name, "ok", source, now)
        else:
            failures = row["failed_logins"] + 1
            wait = wait_after(failures)
            conn.execute(account.update().where(account.c.id == row["id"]).values(
                failed_logins=account.c.failed_logins + 1,
                next_try_at=now + dt.timedelta(seconds=wait) if wait else None))
            _event(conn, name, "wrong", source, now)
            return LoginResult(False, name, wait_s=wait)
    return LoginResult(True, name, token=issue_token(engine, name, now.timestamp()))


def log_out(engine: sa.Engine, name: str, source: str = "password") -> None:
    """End the account's logins everywhere: its epoch moves on, so every cookie issued before (another
    tab, another computer, a copied cookie) stops working at the next rerun."""
    with engine.begin() as conn:
        conn.execute(account.update().where(account.c.name == name).values(epoch=account.c.epoch + 1))
        _event(conn, name, "logout", source)


def person_for_token(engine: sa.Engine, token: str | None, now: float | None = None) -> str | None:
    """The account a login cookie names, when its signature, expiry and epoch all hold; else None."""
    if not token:
        return None
    found = read_token(signing_key(engine), token, now)
    if found is None:
        return None
    name, epoch = found
    with engine.connect() as conn:
        current = conn.execute(sa.select(account.c.epoch).where(account.c.name == name)).scalar()
    return name if current == epoch else None


def account_for_email(engine: sa.Engine, email: str | None) -> str | None:
    """The account of an identity provider's user (``st.user.email``): its email, or its name, matches
    (case-insensitively); None when no account does."""
    email = (email or "").strip().lower()
    if not email:
        return None
    with engine.connect() as conn:
        rows = conn.execute(sa.select(account.c.name, account.c.email)).all()
    for name, stored in rows:
        if (stored or "").strip().lower() == email:
            return name
    for name, _ in rows:
        if name.lower() == email:
            return name
    return None


def account_for_header(engine: sa.Engine, value: str | None) -> str | None:
    """The account a trusted reverse proxy names in its user header; None when no account has that name."""
    value = (value or "").strip()
    if not value:
        return None
    with engine.connect() as conn:
        found = conn.execute(sa.select(account.c.name).where(account.c.name == value)).scalar()
    return found or account_for_email(engine, value)


def login_events(engine: sa.Engine, limit: int = 100) -> list[dict]:
    """The newest logins (and failed attempts, and logouts), newest first."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            sa.select(login_event).order_by(login_event.c.id.desc()).limit(limit)).mappings()]

