"""Who is using the app (issue 13): the login gate, the login screen and the account box.

Without accounts in the database nobody is asked anything: the one-person laptop app. With one,
every run of the entry script starts with :func:`gate`, before anything of an analysis is drawn: it
finds the person from, in this order, the trusted proxy header (only when
``DNH_TRUSTED_USER_HEADER`` names one), the identity provider (``DNH_AUTH=oidc``, ``st.user``), or
the signed login cookie set by :mod:`app.login_asgi` (checked on every run, so a removed account, a
password change or a logout elsewhere ends the session at its next rerun). Nobody found: the login
screen, then ``st.stop()``. The person's name goes into the session; :func:`app.session.store` hands every
screen a store that carries it, and the store checks their role on every read and write.
"""

from __future__ import annotations

import html
import urllib.parse

import streamlit as st
from streamlit import config

from app import session, words
from app.login_asgi import LOGIN, LOGOUT
from dnh_graph import accounts, roles, settings
from dnh_graph.store import NotFoundError

__all__ = ["PERSON", "gate", "account_box", "person", "members_panel"]

PERSON = "dnh_person"  # session key: the account name of the person logged in (absent: no accounts)
_HOW = "dnh_login_how"  # session key: password, header or oidc


def person() -> str | None:
    return st.session_state.get(PERSON)


def _cookie() -> str | None:
    """The login cookie the browser sent when this session's connection opened."""
    return st.context.cookies.get(accounts.COOKIE)


def _header(name: str) -> str | None:
    return st.context.headers.get(name)


def _identify(engine) -> tuple[str | None, str]:
    """(account name or None, how): see the module docstring for the order."""
    header = settings.get("DNH_TRUSTED_USER_HEADER")
    if header:
        value = _header(header)
        if value:
            return accounts.account_for_header(engine, value), "header"
    if settings.get("DNH_AUTH") == "oidc" and st.user.get("is_logged_in"):
        return accounts.account_for_email(engine, st.user.get("email")), "oidc"
    return accounts.person_for_token(engine, _cookie()), "password"


def gate() -> None:
    """Let the run go on only for a person with an account (or when there are no accounts)."""
    engine = session.shared_store().engine
    if not accounts.any_accounts(engine):
        st.session_state.pop(PERSON, None)
        return
    name, how = _identify(engine)
    if name:
        st.session_state[PERSON], st.session_state[_HOW] = name, how
        return
    st.session_state.pop(PERSON, None)
    _login_screen(how)
    st.stop()


def _root() -> str:
    """The server root path (``/`` or ``/<server.baseUrlPath>/``), where :mod:`app.login_asgi` listens."""
    parts = [p for p in config.get_option("server.baseUrlPath").split("/") if p]
    return "/" + "".join(p + "/" for p in parts)


def _form(action: str, fields: str, button: str, kind: str = "primary") -> str:
    """A plain HTML form posting to :mod:`app.login_asgi` (every text escaped; no script).

    Its fields are not called ``name`` (nor any other property of a form): Streamlit's sanitiser
    (DOMPurify) drops such attributes against DOM clobbering, and the field would arrive empty.
    """
    return (f'<form method="post" action="{html.escape(_root() + action)}" class="dnh-auth">{fields}'
            f'<button type="submit" class="{kind}">{html.escape(button)}</button></form>')


_STYLE = ("<style>.dnh-auth{display:flex;flex-direction:column;gap:.6rem;max-width:22rem}"
          ".dnh-auth label{display:flex;flex-direction:column;gap:.2rem;font-size:.9rem}"
          ".dnh-auth input{padding:.45rem .6rem;border:1px solid #bbb;border-radius:.4rem;font:inherit}"
          ".dnh-auth button{padding:.45rem .9rem;border-radius:.4rem;border:1px solid #ff4b4b;background:#ff4b4b;"
          "color:#fff;font:inherit;cursor:pointer;align-self:flex-start}"
          ".dnh-auth button.secondary{background:transparent;color:inherit;border-color:rgba(49,51,63,.3)}</style>")


def _login_screen(how: str) -> None:
    st.title(words.t("login.title"))
    header = settings.get("DNH_TRUSTED_USER_HEADER")
    if how == "header" and header and _header(header):
        st.error(words.t("login.header_unknown", name=words.md(_header(header))), icon=":material/block:")
    if how == "oidc":
        st.error(words.t("login.oidc_unknown", email=words.md(st.user.get("email") or "")), icon=":material/block:")
    reason = st.query_params.get("login")
    if reason == "wrong":
        st.error(words.t("login.wrong"), icon=":material/error:")
    elif reason == "wait":
        st.error(words.t("login.wait", seconds=st.query_params.get("wait", "?")), icon=":material/hourglass_top:")
    if settings.get("DNH_AUTH") == "oidc":
        if st.button(words.t("login.provider"), type="primary", icon=":material/login:"):
            st.login()
        st.caption(words.t("login.or_password"))
    st.caption(words.t("login.explain"))
    page = st.context.url or ""
    back = "/" + page.split("://", 1)[-1].split("/", 1)[1] if page.count("/") >= 3 else _root()
    query = urllib.parse.urlencode({k: v for k, v in st.query_params.items() if k not in ("login", "wait")})
    back += ("?" + query) if query else ""
    fields = (f'<label>{html.escape(words.t("login.name"))}<input name="account" autocomplete="username" required '
              'maxlength="100"></label>'
              f'<label>{html.escape(words.t("login.password"))}<input name="password" type="password" '
              'autocomplete="current-password" required></label>'
              f'<input type="hidden" name="next" value="{html.escape(back)}">')
    st.html(_STYLE + _form(LOGIN, fields, words.t("login.submit")))


def members_panel(key: str) -> None:
    """Who may open this analysis, and a facilitator's invitation (up to their own role)."""
    if person() is None:
        st.caption(words.t("members.no_accounts"))
        return
    store = session.store()
    st.markdown("\n".join(f"- {words.md(name)} · {words.t('role.' + role)}"
                           for name, role in accounts.members(store, key)))
    own = session.access(key).role or "viewer"
    choices = [r for r in roles.ROLES[:-1] if roles.rank(r) <= roles.rank(own)]
    with st.form(f"side_invite_{key}", border=False, clear_on_submit=True):
        name = st.text_input(words.t("members.name"), max_chars=100)
        role = st.selectbox(words.t("members.role"), choices, format_func=lambda r: words.t("role." + r))
        reveal = st.checkbox(words.t("members.reveal"), help=words.t("members.reveal_help"))
        if st.form_submit_button(words.t("members.invite"), icon=":material/person_add:"):
            try:
                accounts.grant(store, name.strip(), role, analysis=key, reveal=reveal)
            except (roles.AccessError, roles.AccountError, NotFoundError) as error:
                st.error(words.md(words.said(error)), icon=":material/block:")
                return
            st.success(words.t("members.invited", name=words.md(name.strip()), role=words.t("role." + role)))


def account_box() -> None:
    """In the sidebar: who is logged in, their role in this analysis, and "Log out" (nothing without accounts)."""
    name = person()
    if name is None:
        return
    role = session.access().role  # None: no role here (no analysis open, or a link to one not theirs)
    st.caption(words.t("login.as", name=words.md(name), role=words.t(f"role.{role}")) if role
               else words.t("login.as_no_role", name=words.md(name)))
    how = st.session_state.get(_HOW)
    if how == "oidc":
        if st.button(words.t("login.logout"), icon=":material/logout:", key="side_logout"):
            st.logout()
    elif how == "password":
        st.html(_STYLE + _form(LOGOUT, "", words.t("login.logout"), "secondary"))
