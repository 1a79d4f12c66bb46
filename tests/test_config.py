"""The privacy defaults of README.md#privacy stay in .streamlit/config.toml."""

import tomllib
from pathlib import Path

CONFIG = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())


def test_no_usage_statistics():
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_listens_on_this_machine_only():
    assert CONFIG["server"]["address"] == "127.0.0.1"


def test_toolbar_hidden_and_uploads_capped():
    assert CONFIG["client"]["toolbarMode"] == "viewer"
    assert 1 <= CONFIG["server"]["maxUploadSize"] <= 20
