"""The screens of the app, declared once (``streamlit_app.py`` turns this list into ``st.navigation``).

Adding a screen is one line here plus its script ``pages/<id>.py``. A screen whose script does not
exist yet is left out of the navigation, so the list can name every screen of DESIGN §2 while they
are being written. ``ui.py`` is a shared module, not a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Screen", "SCREENS", "SECTIONS", "available", "PAGES_DIR"]

PAGES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Screen:
    id: str  # the script is pages/<id>.py, the URL path /<id>
    title: str  # message id of the title in the catalog
    icon: str
    section: str  # message id of the navigation section; "" = a link of its own in the top bar

    @property
    def path(self) -> str:
        return f"pages/{self.id}.py"


SECTIONS = ("", "nav.over_time", "nav.share")

SCREENS: tuple[Screen, ...] = (
    Screen("overview", "page.overview", ":material/dashboard:", ""),
    Screen("context_actors", "page.context_actors", ":material/groups:", ""),
    Screen("factors", "page.factors", ":material/call_split:", ""),
    Screen("intervention", "page.intervention", ":material/checklist:", ""),
    Screen("impacts", "page.impacts", ":material/grid_on:", ""),
    Screen("options", "page.options", ":material/alt_route:", ""),
    Screen("network", "page.network", ":material/hub:", "nav.share"),
    Screen("reviews", "page.reviews", ":material/event_note:", "nav.over_time"),
    Screen("trends", "page.trends", ":material/trending_up:", "nav.over_time"),
    Screen("monitoring", "page.monitoring", ":material/fact_check:", "nav.over_time"),
    Screen("report", "page.report", ":material/description:", "nav.share"),
)


def available() -> list[Screen]:
    """The screens whose script exists, in declaration order (the first is the default page)."""
    return [s for s in SCREENS if (PAGES_DIR / f"{s.id}.py").is_file()]
