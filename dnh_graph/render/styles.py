"""One set of symbols: the colours, shapes and line styles of every drawing of the network.

The Network screen (vis-network), its legend, the network HTML export, the GEXF ``viz`` attributes and
the report's actor map all read these tables, so a conflict looks the same on the projector and on
paper. Colours are sRGB hex; dash patterns are lengths in the drawing's own units (vis-network canvas
pixels, SVG user units).

Shapes are vis-network shape names; :func:`shape_svg` draws the same shapes in SVG (legend, report).
"""

from __future__ import annotations

import base64
import math
import re
from functools import cache
from importlib import resources
from typing import NamedTuple

__all__ = ["ActorStyle", "LineStyle", "ACTOR", "STANCE_COLOUR", "COMMUNITY_COLOURS", "NO_COMMUNITY",
           "FACTOR_COLOUR", "LINK_COLOUR", "QUESTION_COLOUR", "HARM", "HELP", "NET", "RELATIONSHIP",
           "LINK_ARROW", "DETAIL_BORDER", "relationship_width", "faint", "darker", "shape_svg",
           "dasharray", "GEXF_SHAPE", "rgb", "gexf_viz", "KHMER_FAMILY", "FONT_STACK", "LINE_HEIGHT",
           "font_faces_css", "font_preload_html",
           "UNKNOWN_FACTOR", "UNKNOWN_QUESTION", "UNKNOWN_LINK", "DIVIDER_COLOURS",
           "CONNECTOR_COLOURS", "ACTOR_COLOURS", "INK", "AXIS", "MUTED", "NEUTRAL", "FAINT", "PAPER", "MIDPOINT",
           "RATING_COLOUR", "RATING_BACKGROUND", "HARM_PALE", "HELP_PALE", "STATUS_COLOUR"]


# Type. Noto Sans Khmer (OFL, static/fonts/OFL.txt) travels with the app: most laptops and every headless
# browser have no Khmer font and draw Khmer as empty boxes. It has no Latin letters, so a Latin font comes
# first and the browser takes each Khmer letter from the next font that has it. Khmer stacks subscript
# consonants and vowels above and below the line: below 1.6 line height they are clipped.
KHMER_FAMILY = "Noto Sans Khmer"
FONT_STACK = (f'"Source Sans", "Source Sans Pro", "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, "{KHMER_FAMILY}", '
              "sans-serif")
LINE_HEIGHT = 1.6
_FONT_FILES = {400: "noto-sans-khmer-khmer-400-normal.woff2", 700: "noto-sans-khmer-khmer-700-normal.woff2"}
_KHMER_LETTERS = ((0x1780, 0x17FF), (0x19E0, 0x19FF))  # the Khmer blocks; the font also covers joiners
_KHMER_RANGE = ",".join(f"U+{lo:04X}-{hi:04X}" for lo, hi in _KHMER_LETTERS) + ",U+200B-200D,U+25CC"
_KHMER_TEXT = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _KHMER_LETTERS) + "]")


def needs_khmer_font(text: str) -> bool:
    """Whether ``text`` has a Khmer letter: the only text the shipped font draws (its unicode-range)."""
    return _KHMER_TEXT.search(text) is not None


@cache
def _font_urls() -> dict[int, str]:
    fonts = resources.files("dnh_graph.render") / "static" / "fonts"
    return {weight: "data:font/woff2;base64," + base64.b64encode((fonts / name).read_bytes()).decode("ascii")
            for weight, name in _FONT_FILES.items()}


@cache
def font_faces_css() -> str:
    """``@font-face`` rules of the shipped Khmer font, the files inlined (``data:`` URLs): the network
    HTML, the report and the app read offline and print with Khmer glyphs, nothing fetched."""
    return "".join(f'@font-face{{font-family:"{KHMER_FAMILY}";font-style:normal;font-weight:{weight};'
                   f'font-display:block;src:url({url}) format("woff2");'
                   f"unicode-range:{_KHMER_RANGE}}}"
                   for weight, url in _font_urls().items())


@cache
def font_preload_html() -> str:
    """``<link rel=preload>`` of the same fonts, for the ``<head>`` of a static page, before its styles.

    Without it, on a machine with no Khmer font of its own, Chromium lays out the first Khmer elements of
    a static page (the report's h1 and first headings) while the face is still loading and keeps drawing
    them as boxes after it has loaded (measured under a DejaVu-only fontconfig: ``document.fonts`` says
    loaded, the node's platform font stays DejaVu until its font size changes). Loading the faces before
    the body is parsed avoids the race. It repeats the inlined files (about 64 kB in all), no script
    needed (the report's policy forbids scripts)."""
    return "".join(f'<link rel="preload" as="font" type="font/woff2" crossorigin href="{url}">'
                   for url in _font_urls().values())


class ActorStyle(NamedTuple):
    shape: str  # vis-network shape
    colour: str


class LineStyle(NamedTuple):
    width: float  # at strength 2 (of 1–3), see relationship_width
    colour: str
    dashes: tuple[int, ...] | None  # on/off lengths; None: solid
    arrow: bool  # always drawn with an arrowhead (influence, funding), whatever "directed" says
    marker: str | None  # mid-line marker: "circle" (conflict), "bar" (broken: a bar across the line)


# Shapes group actor types into families (state, armed, civic, faith and media, money and outsiders);
# colours tell the members of a family apart.
ACTOR = {
    "government": ActorStyle("square", "#1f4e79"),
    "local_authority": ActorStyle("square", "#6a9bd1"),
    "security_forces": ActorStyle("triangle", "#4b2c6f"),
    "armed_group": ActorStyle("triangleDown", "#8e44ad"),
    "civil_society": ActorStyle("dot", "#0e7c86"),
    "community_group": ActorStyle("dot", "#74add1"),
    "religious": ActorStyle("star", "#a6761d"),
    "media": ActorStyle("star", "#6b6b6b"),
    "private_sector": ActorStyle("hexagon", "#8c510a"),
    "donor": ActorStyle("hexagon", "#d4a017"),
    "international": ActorStyle("hexagon", "#f0c75e"),
    "individual": ActorStyle("dot", "#9e9e9e"),
    "other": ActorStyle("dot", "#c7c7c7"),
}
STANCE_COLOUR = {"supports": "#4575b4", "neutral": "#bdbdbd", "opposes": "#762a83", "unknown": "#e8e8e8"}
COMMUNITY_COLOURS = ("#4e79a7", "#f28e2b", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
                     "#59a14f", "#e15759", "#bab0ac", "#86bcb6", "#d37295")
NO_COMMUNITY = "#c7c7c7"

# Harm red and help green: impacts, dividers and connectors, scores (one value each everywhere).
HARM, HELP, NET = "#b2182b", "#1b7837", "#222222"
FACTOR_COLOUR = {"divider": HARM, "connector": HELP}
LINK_COLOUR = {"divider": "#f4a582", "connector": "#a6dba0"}  # actor linked to a divider / connector
QUESTION_COLOUR = {"why": "#fde0dd", "what": "#deebf7", "where": "#e5f5e0", "when": "#fff7bc",
                   "with_whom": "#efedf5", "by_whom": "#fee6ce", "how": "#f0f0f0"}
DETAIL_BORDER = "#525252"
# What a node or link of a kind no table knows is drawn in (a value from a newer version, say).
UNKNOWN_FACTOR, UNKNOWN_QUESTION, UNKNOWN_LINK = "#777777", "#eeeeee", "#cccccc"

# Charts and the report. A factor's series takes a shade of harm red or help green; actors take
# colours that are neither. Greys: INK for marks, AXIS for zero lines and notes on a chart, MUTED for
# what is there but not the point (review markers, an idea not yet chosen), NEUTRAL for a value that is
# neither harm nor help, FAINT for a muted label, PAPER and MIDPOINT for backgrounds.
DIVIDER_COLOURS = (HARM, "#e41a1c", "#7f0000", "#d6604d", "#a50f15", "#ef6548")
CONNECTOR_COLOURS = (HELP, "#4daf4a", "#00441b", "#5aae61", "#238b45", "#66a61e")
ACTOR_COLOURS = ("#2166ac", "#762a83", "#e08214", "#35978f", "#8c510a", "#4393c3", "#9970ab", "#542788")
INK, AXIS, MUTED, NEUTRAL, FAINT = "#212121", "#424242", "#757575", "#9e9e9e", "#9a9a9a"
PAPER, MIDPOINT = "#f5f5f5", "#f7f7f7"
RATING_COLOUR = {"low": "#d73027", "medium": "#fdae61", "high": "#1a9850"}  # monitoring ratings on a chart
HARM_PALE, HELP_PALE = "#f8d7da", "#d9efdc"  # a table cell's background behind harm / help
RATING_BACKGROUND = {"high": HELP_PALE, "medium": "#fdf0c8", "low": HARM_PALE}  # the same in a report table
STATUS_COLOUR = {"idea": MUTED, "chosen": ACTOR_COLOURS[0], "testing": ACTOR_COLOURS[2], "adopted": HELP,
                 "rejected": HARM}  # an option's status

# Relationships as trainers draw them by hand: alliance a heavy line, cooperation solid, coordination
# thin, weak/informal dotted, conflict dashed red with a round marker, broken grey and crossed,
# influence and funding arrows.
RELATIONSHIP = {
    "alliance": LineStyle(5.0, "#252525", None, False, None),
    "cooperation": LineStyle(2.5, "#525252", None, False, None),
    "coordination": LineStyle(1.5, "#5b7a99", None, False, None),
    "weak": LineStyle(1.5, "#737373", (2, 5), False, None),
    "conflict": LineStyle(2.5, "#cb181d", (10, 6), False, "circle"),
    "broken": LineStyle(2.0, "#a3a3a3", (6, 6), False, "bar"),
    "influence": LineStyle(2.0, "#2c5d8a", None, True, None),
    "funding": LineStyle(2.0, "#b8860b", None, True, None),
}
# a factor–actor link points from the actor that drives a factor to it, and from a factor to who is affected
LINK_ARROW = {"drives": "from", "affected": "to"}
# GEXF 1.2 viz shapes for the vis-network ones (GEXF knows disc, square, triangle, diamond)
GEXF_SHAPE = {"dot": "disc", "square": "square", "triangle": "triangle", "triangleDown": "triangle",
              "star": "diamond", "hexagon": "disc", "diamond": "diamond"}


def relationship_width(rel_type: str, strength: int | float) -> float:
    """Line width of a relationship of ``strength`` 1–3 (its style's width at strength 2)."""
    style = RELATIONSHIP.get(rel_type, RELATIONSHIP["weak"])
    return round(style.width * (0.6 + 0.2 * strength), 2)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def faint(hex_colour: str, alpha: float = 0.25) -> str:
    r, g, b = rgb(hex_colour)
    return f"rgba({r},{g},{b},{alpha})"


def darker(hex_colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(c * factor) for c in rgb(hex_colour))
    return f"#{r:02x}{g:02x}{b:02x}"


def dasharray(dashes, scale: float = 1.0) -> str:
    """SVG ``stroke-dasharray`` for a dash pattern (``""``: solid)."""
    return " ".join(f"{d * scale:g}" for d in dashes) if dashes else ""


def _polygon(points) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def shape_svg(shape: str, x: float, y: float, r: float) -> tuple[str, dict[str, str]]:
    """The SVG element (tag, attributes) of a vis-network ``shape`` of radius ``r`` centred on (x, y).

    vis-network draws a square of side 2r, triangles and stars inscribed in r and a diamond of
    half-diagonal r; the same proportions here, so a symbol in a legend or the report looks like the node.
    """
    if shape == "square":
        return "rect", {"x": f"{x - r:.1f}", "y": f"{y - r:.1f}", "width": f"{2 * r:.1f}",
                        "height": f"{2 * r:.1f}"}
    if shape in ("triangle", "triangleDown"):
        sign = 1 if shape == "triangle" else -1
        points = [(x + r * math.cos(a), y - sign * r * math.sin(a))
                  for a in (math.pi / 2, math.pi / 2 + 2 * math.pi / 3, math.pi / 2 + 4 * math.pi / 3)]
        return "polygon", {"points": _polygon(points)}
    if shape == "star":
        points = [(x + (r if i % 2 == 0 else 0.45 * r) * math.cos(math.pi / 2 + i * math.pi / 5),
                   y - (r if i % 2 == 0 else 0.45 * r) * math.sin(math.pi / 2 + i * math.pi / 5))
                  for i in range(10)]
        return "polygon", {"points": _polygon(points)}
    if shape == "hexagon":
        points = [(x + r * math.cos(math.pi / 2 + i * math.pi / 3), y - r * math.sin(math.pi / 2 + i * math.pi / 3))
                  for i in range(6)]
        return "polygon", {"points": _polygon(points)}
    if shape == "diamond":
        return "polygon", {"points": _polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)])}
    return "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": f"{r:.1f}"}


def gexf_viz(data) -> dict:
    """GEXF ``viz`` colour, size and shape of a node of :func:`dnh_graph.network.build_graph`, as the
    Network screen draws it (actors by type, dividers red, connectors green, details by question)."""
    kind = data.get("node_type")
    if kind == "actor":
        shape, colour = ACTOR.get(data.get("type"), ACTOR["other"])
        size = 8 + 5 * int(data.get("influence", 3) or 3)
    elif kind == "factor":
        shape, colour = "diamond", FACTOR_COLOUR.get(data.get("kind"), UNKNOWN_FACTOR)
        size = 10 + 1.4 * float(data.get("contribution", 0) or 0)
    else:
        shape, colour, size = "square", QUESTION_COLOUR.get(data.get("question"), UNKNOWN_QUESTION), 12
    r, g, b = rgb(colour)
    return {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": float(size), "shape": GEXF_SHAPE.get(shape, "disc")}
