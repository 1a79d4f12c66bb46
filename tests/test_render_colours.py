"""Every colour of a drawing is written once, in dnh_graph/render/styles.py (read with the AST)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dnh_graph.render import styles

RENDER = Path(__file__).resolve().parent.parent / "dnh_graph" / "render"
COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}(?:[0-9a-fA-F]{2})?\b|\brgba?\(")


def colour_literals(source: str) -> list[str]:
    """The string constants (f-string parts included) of ``source`` that spell a colour."""
    return [f"{node.lineno}: {node.value!r}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and COLOUR.search(node.value)]


@pytest.mark.parametrize(("source", "found"), [
    ('HARM = "#b2182b"', True), ('x = {"color": "#fff"}', True), ('f"rgba({r}, {g}, {b}, 0.5)"', True),
    ('ID = "#details-1"', False), ('x = styles.HARM', False), ('"row #12"', False),
])
def test_the_scan_tells_a_colour_from_other_text(source, found):
    assert bool(colour_literals(source)) is found


def test_no_colour_literal_outside_styles():
    modules = [p for p in sorted(RENDER.rglob("*.py")) if p.name != "styles.py"]
    assert len(modules) >= 5
    found = {p.name: hits for p in modules if (hits := colour_literals(p.read_text(encoding="utf-8")))}
    assert found == {}


def test_the_report_templates_take_harm_and_help_from_styles():
    text = "".join(p.read_text(encoding="utf-8").lower() for p in (RENDER / "templates").glob("*.j2"))
    written = {c for c in (styles.HARM, styles.HELP, styles.HARM_PALE, styles.HELP_PALE) if c.lower() in text}
    assert written == set()
