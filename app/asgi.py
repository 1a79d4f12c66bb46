"""Put the server's root URL into the page Streamlit serves, so deep links make no failed requests.

Streamlit's page finds its server by trying the page's own path first: opening ``/impacts`` asks
``/impacts/_stcore/health`` and ``/impacts/_stcore/host-config`` (two 404s in the console, upstream
issue 7074) before ``/_stcore/health``. The page skips that guess when ``window.__streamlit`` names
``BACKEND_BASE_URL``, the setting Streamlit's frontend reads for hosts that embed it. This middleware
adds that one line to every HTML page the server sends (only Streamlit's own ``index.html`` is HTML).
"""

from __future__ import annotations

import gzip
import json

from streamlit import config

__all__ = ["ServerRootInPage", "root_script"]


def root_script(base_url_path: str) -> bytes:
    """The ``<script>`` that names the server root, for a server under ``server.baseUrlPath``.

    >>> root_script("")
    b'<script>window.__streamlit={BACKEND_BASE_URL:window.location.origin+"/"};</script>'
    >>> root_script("/dnh/")
    b'<script>window.__streamlit={BACKEND_BASE_URL:window.location.origin+"/dnh/"};</script>'
    """
    path = "/" + "/".join(part for part in base_url_path.split("/") if part)
    path = path if path.endswith("/") else path + "/"
    return b"<script>window.__streamlit={BACKEND_BASE_URL:window.location.origin+%s};</script>" % (
        json.dumps(path).encode())


class ServerRootInPage:
    """ASGI middleware: HTML responses get :func:`root_script` as the first element of ``<head>``."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: dict = {}

        async def send_with_root(message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    held["start"], held["body"] = message, b""
                    return
            if "start" in held and message["type"] == "http.response.body":
                held["body"] += message.get("body", b"")
                if message.get("more_body"):
                    return
                await self._send_page(held.pop("start"), held.pop("body"), send)
                return
            await send(message)

        await self.app(scope, receive, send_with_root)

    @staticmethod
    async def _send_page(start, body: bytes, send) -> None:
        headers = dict(start.get("headers") or [])
        if headers.get(b"content-encoding") == b"gzip":  # Streamlit's gzip runs inside this middleware
            body = gzip.decompress(body)
        if body:  # a HEAD request has none
            body = body.replace(b"<head>", b"<head>" + root_script(config.get_option("server.baseUrlPath")), 1)
        start = dict(start)
        start["headers"] = [(name, str(len(body)).encode() if name == b"content-length" else value)
                            for name, value in start.get("headers") or [] if name != b"content-encoding"]
        await send(start)
        await send({"type": "http.response.body", "body": body})
