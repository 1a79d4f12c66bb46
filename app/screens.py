"""The screens of the app, declared once (``app/entry.py`` turns this list into ``st.navigation``).

Adding a screen is one line here plus its script ``pages/<id>.py``; ``pages/`` holds the screens and
nothing else. A screen whose script does not exist yet is left out of the navigation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Screen", "SCREENS", "SECTIONS", "available", "screen", "PAGES_DIR"]

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"


@dataclass(frozen=True)
class Screen:
    id: str  # the script is pages/<id>.py, the URL path /<id>
    title: str  # message id of the title in the catalog
    icon: str
    section: str  # message id of the navigation section; "" = a link of its own in the top bar

    @property
    def path(self) -> Path:
        """The screen's script (absolute: the entry point is not beside ``pages/``)."""
        return PAGES_DIR / f"{self.id}.py"


# The top bar shows a section as one menu: the analysis screens follow the seven steps in order, so at
# 1024 px no step hides behind Streamlit's "N more" and no title wraps mid-word (issue 14).
SECTIONS = ("nav.analysis", "", "nav.over_time", "nav.share")

SCREENS: tuple[Screen, ...] = (
    Screen("overview", "page.overview", ":material/dashboard:", "nav.analysis"),
    Screen("context_actors", "page.context_actors", ":material/groups:", "nav.analysis"),
    Screen("factors", "page.factors", ":material/call_split:", "nav.analysis"),
    Screen("intervention", "page.intervention", ":material/checklist:", "nav.analysis"),
    Screen("impacts", "page.impacts", ":material/grid_on:", "nav.analysis"),
    Screen("options", "page.options", ":material/alt_route:", "nav.analysis"),
    Screen("workshop", "page.workshop", ":material/co_present:", ""),
    Screen("reviews", "page.reviews", ":material/event_note:", "nav.over_time"),
    Screen("trends", "page.trends", ":material/trending_up:", "nav.over_time"),
    Screen("monitoring", "page.monitoring", ":material/fact_check:", "nav.over_time"),
    Screen("history", "page.history", ":material/history:", "nav.over_time"),
    Screen("network", "page.network", ":material/hub:", "nav.share"),
    Screen("report", "page.report", ":material/description:", "nav.share"),
)


def available() -> list[Screen]:
    """The screens whose script exists, in declaration order (the first is the default page)."""
    return [s for s in SCREENS if s.path.is_file()]


def screen(screen_id: str) -> str:
    """The script of a screen, as ``st.page_link`` and ``st.switch_page`` take it."""
    return str(PAGES_DIR / f"{screen_id}.py")
