"""Log in and log out as plain HTML form posts (issue 13): the one place that sets the login cookie.

A Streamlit script cannot set a cookie (it talks over a WebSocket), and a cookie written by the page's
JavaScript could not be ``HttpOnly``. So the login screen is an ordinary ``<form method="post">`` to
``<root>dnh-auth/login``, answered here, before Streamlit: the name and password are checked
(:func:`dnh_graph.accounts.log_in`: slow-down, audit), and the answer is a redirect back to the app
that sets a signed cookie, ``HttpOnly`` (no script can read it), ``SameSite=Lax`` (no other site's
form can use it) and ``Secure`` over HTTPS. Each rerun of the script checks that cookie
(:mod:`app.auth`). ``dnh-auth/logout`` clears it and ends the account's other logins.

A post whose ``Origin`` is another site is refused (a forged login form).
"""

from __future__ import annotations

import urllib.parse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse

from dnh_graph import accounts, settings
from dnh_graph.store import Store

__all__ = ["LoginRoutes", "LOGIN", "LOGOUT"]

LOGIN, LOGOUT = "dnh-auth/login", "dnh-auth/logout"  # under the server root (``server.baseUrlPath``)
_STORES: dict[str, Store] = {}  # database URL -> its store (an engine); the script's st.cache_resource is not here


def _store() -> Store:
    url = settings.default_database_url()
    if url not in _STORES:
        _STORES[url] = Store.open(url)
    return _STORES[url]


def _safe_next(raw: str, root: str) -> str:
    """Where to go after logging in: a path of this app, never another site (``//evil``, ``https:``)."""
    if raw.startswith(root) and not raw.startswith("//") and "\\" not in raw and ":" not in raw.split("?")[0]:
        return raw
    return root


def _with_query(path: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(path)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.pop("login", None)
    query.pop("wait", None)
    query.update(params)
    return urllib.parse.urlunsplit(("", "", parts.path, urllib.parse.urlencode(query), ""))


class LoginRoutes:
    """ASGI middleware answering ``POST <root>dnh-auth/login`` and ``POST <root>dnh-auth/logout``."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        for action, handler in ((LOGIN, self._login), (LOGOUT, self._logout)):
            if path.endswith("/" + action):
                request = Request(scope, receive)
                if request.method != "POST":
                    response = PlainTextResponse("Use the app's form.", status_code=405)
                elif not _same_site(request):
                    response = PlainTextResponse("Refused: the form came from another site.", status_code=403)
                else:
                    response = await handler(request, path[: -len(action)])
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    async def _login(request: Request, root: str):
        form = await request.form()
        name, password = str(form.get("account", "")), str(form.get("password", ""))
        back = _safe_next(str(form.get("next", "")), root)
        host = request.client.host if request.client else "?"
        store = await run_in_threadpool(_store)
        result = await run_in_threadpool(accounts.log_in, store.engine, name, password, f"password from {host}")
        if not result.ok:
            params = {"login": "wait", "wait": str(result.wait_s)} if result.wait_s else {"login": "wrong"}
            return RedirectResponse(_with_query(back, **params), status_code=303)
        response = RedirectResponse(_with_query(back), status_code=303)
        response.set_cookie(accounts.COOKIE, result.token, max_age=accounts.session_seconds(), path="/",
                            httponly=True, samesite="lax", secure=_https(request))
        return response

    @staticmethod
    async def _logout(request: Request, root: str):
        store = await run_in_threadpool(_store)
        name = await run_in_threadpool(accounts.person_for_token, store.engine, request.cookies.get(accounts.COOKIE))
        if name:
            host = request.client.host if request.client else "?"
            await run_in_threadpool(accounts.log_out, store.engine, name, f"password from {host}")
        response = RedirectResponse(root or "/", status_code=303)
        response.delete_cookie(accounts.COOKIE, path="/", httponly=True, samesite="lax", secure=_https(request))
        return response


def _https(request: Request) -> bool:
    """Over HTTPS, directly or behind a proxy that says so: then the cookie is ``Secure``."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def _same_site(request: Request) -> bool:
    """The form was posted by a page of this app: a browser names the page's origin in ``Origin``."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
    hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")} - {""}
    return urllib.parse.urlsplit(origin).netloc in hosts
