"""The demo analyses shipped with the app (``data/``, built from public Cambodian DNH cases).

In a checkout they are the top-level ``data/`` folder; an installed package carries the same folder as
``dnh_graph/demo_data`` (``pyproject.toml`` maps it), so ``pip install .`` then ``dnh demo`` works.
"""

from __future__ import annotations

from pathlib import Path

from dnh_graph.store import Store

__all__ = ["demo_dir", "load_demo"]

_HERE = Path(__file__).resolve().parent


def demo_dir() -> Path:
    """The folder of demo analyses: the installed copy, else the checkout's ``data/``."""
    installed = _HERE / "demo_data"
    return installed if installed.is_dir() else _HERE.parent / "data"


def load_demo(store: Store) -> list[str]:
    """Load every demo analysis that is not in the database yet (one transaction); returns the keys added."""
    from dnh_graph import io

    have = {s.key for s in store.list_analyses()}
    folders = sorted(p for p in demo_dir().iterdir() if p.is_dir() and (p / "analysis.csv").is_file())
    new = [analysis for analysis in map(io.read_csv_folder, folders) if analysis.key not in have]
    store.import_analyses(new)
    return [a.key for a in new]
