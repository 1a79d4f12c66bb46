"""Every setting of dnh-graph, declared once as (name, default, help).

Settings are environment variables, read when asked for (not at import), so tests and the CLI can
change them. ``tests/test_docs.py`` checks that the README documents each one.

Examples
--------
>>> get("DNH_MAX_ROWS", {"DNH_MAX_ROWS": "10"})
10
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

__all__ = ["Setting", "SETTINGS", "get", "default_database_url", "data_dir"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("DNH_DATABASE_URL", "",
                "SQLAlchemy URL of the database (PostgreSQL for a shared server). Empty: a SQLite file "
                "`dnh-graph.sqlite` in the user's data directory, created on first use, readable by "
                "the owner only."),
        Setting("DNH_DATA_DIR", "",
                "Folder for the default SQLite database. Empty: the platform's user data directory "
                "(e.g. ~/.local/share/dnh-graph)."),
        Setting("DNH_USER", "",
                "Name written to the audit log for changes when there are no accounts (the `dnh` command "
                "always). Empty: the operating-system user. With accounts the app writes the person "
                "logged in."),
        Setting("DNH_MAX_UPLOAD_MB", 10,
                "Largest file accepted for import through the app (an upload), in megabytes. `dnh import` "
                "of a file on the person's own computer has no size limit."),
        Setting("DNH_MAX_UNPACKED_MB", 100,
                "Largest total unpacked size of a workbook (.xlsx is a zip), in megabytes; a larger "
                "one is refused before parsing (zip bombs)."),
        Setting("DNH_SESSION_HOURS", 10,
                "How long a login lasts (a working day) once there are accounts (`dnh user add`); a reload "
                "or a restart of the browser within it stays logged in."),
        Setting("DNH_TRUSTED_USER_HEADER", "",
                "Behind an organisation's reverse proxy that logs people in: the request header naming the "
                "account (e.g. `X-Remote-User`). Empty: no header is trusted. Set it only when the proxy "
                "is the only way to reach the app and removes that header from what browsers send."),
        Setting("DNH_AUTH", "local",
                "`local`: accounts log in with their password (works offline). `oidc`: they log in "
                "through the organisation's identity provider (`st.login`, configured in "
                "`.streamlit/secrets.toml`); the provider's email must be an account's email or name."),
        Setting("DNH_MAX_ROWS", 50_000,
                "Most rows accepted in one sheet or CSV file of an upload; `dnh import` has no row limit."),
    ]
}


def get(name: str, environ: Mapping[str, str] | None = None):
    """The value of a setting, converted to the type of its default."""
    setting = SETTINGS[name]
    env = os.environ if environ is None else environ
    raw = env.get(name, "")
    if raw == "":
        return setting.default
    if isinstance(setting.default, int):
        return int(raw)
    return raw


def data_dir() -> Path:
    configured = get("DNH_DATA_DIR")
    return Path(configured) if configured else Path(platformdirs.user_data_dir("dnh-graph", appauthor=False))


def default_database_url() -> str:
    """``DNH_DATABASE_URL`` or the SQLite file in the user's data directory."""
    url = get("DNH_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'dnh-graph.sqlite'}"
