"""The README documents every setting and every CLI command (datasette's habit): docs that cannot drift."""

from pathlib import Path

from dnh_graph.cli import build_parser
from dnh_graph.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    for name in SETTINGS:
        assert f"`{name}`" in README, name


def test_every_command_is_in_the_readme():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert f"`dnh {name}" in README, name


def test_quick_start_commands():
    assert "make run" in README and "make test" in README
    assert "pip install -r requirements.txt" in README and "streamlit run streamlit_app.py" in README
