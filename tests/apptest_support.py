"""Helpers for the AppTest suites of the screens (tests/test_app_*.py).

AppTest runs the Streamlit script ``app/entry.py`` itself (``streamlit_app.py`` only serves it); page
paths are relative to that script's folder.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent
ENTRY = str(REPO / "app" / "entry.py")
WORKSHOP_PAGES = ("overview", "context_actors", "factors", "intervention", "impacts")


def app(timeout: float = 60) -> AppTest:
    """The entry point, ready to ``run()`` (the database comes from DNH_DATABASE_URL / DNH_DATA_DIR)."""
    return AppTest.from_file(ENTRY, default_timeout=timeout)


def page_path(page_id: str) -> str:
    return f"../pages/{page_id}.py"


def texts(at: AppTest) -> str:
    """Every text a person reads on the run's page (markdown, titles, captions, messages), joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    return "\n".join(parts)
