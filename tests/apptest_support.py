"""Helpers for the AppTest suites of the screens (tests/test_app_*.py).

Why the shim: the screens live in ``pages/`` (DESIGN §6). A folder of that name makes Streamlit assume
the old "pages directory" multipage mode until the first ``st.navigation`` call of the process turns
it off for good. ``streamlit run`` calls it on its first run, but ``AppTest`` resets the flag before
every run, so from the second run on it would run a page script *without* the entry point (no
sidebar, no selected analysis). The shim makes every AppTest run behave like the server after its
first run: ``st.navigation`` rules.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as _app_test

REPO = Path(__file__).resolve().parent.parent
ENTRY = str(REPO / "streamlit_app.py")
WORKSHOP_PAGES = ("overview", "context_actors", "factors", "intervention", "impacts")


class _NavigationPagesManager(PagesManager):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


_app_test.PagesManager = _NavigationPagesManager


def app(timeout: float = 60) -> AppTest:
    """The entry point, ready to ``run()`` (the database comes from DNH_DATABASE_URL / DNH_DATA_DIR)."""
    return AppTest.from_file(ENTRY, default_timeout=timeout)


def page_path(page_id: str) -> str:
    return f"pages/{page_id}.py"


def texts(at: AppTest) -> str:
    """Every text a person reads on the run's page (markdown, titles, captions, messages), joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    return "\n".join(parts)
