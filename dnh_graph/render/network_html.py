"""The network as one self-contained, offline, script-safe HTML page (vis-network inline).

We do not use pyvis's ``Network`` class or template (DESIGN §9: its template loads Bootstrap from a CDN,
switches tooltips to ``innerHTML`` when a title contains ``href``, inserts ``heading`` raw, and
``from_nx`` is quadratic). Instead the vis-network items are built here in bulk and passed through a
Jinja2 template with autoescape and ``|tojson`` into a ``<script type="application/json">`` block, which
our own static script (``templates/network.js``) parses. Every user string reaches the page either
escaped by Jinja or as a JSON string that vis-network draws on a canvas (labels) or shows with
``innerText`` (tooltips).

The page carries a Content-Security-Policy: scripts and styles only by their sha256 hashes, no
connections, images only from ``data:`` (vis's own icons). Streamlit shows it in a same-origin iframe,
so a script injected here would be a script on the whole app.

vis-network 9.1.2 (dual-licensed Apache-2.0 / MIT, © Almende B.V. and the visjs contributors; its
licence header is kept in the page) is read from the installed pyvis package: no network, no copy.

Drawing conventions (the same as :func:`legend`, shown under the network and in exports):

- actors: shape by type, colour by type (or stance, or community), size by influence as of the review
  (or degree / betweenness after :func:`dnh_graph.network.add_actor_metrics`);
- dividers red, connectors green: diamonds sized by strength × priority at the review, faint when
  absent (strength 0); details: boxes coloured by DNH question (the layout also pulls them together);
- relationships as trainers draw them by hand: alliance a heavy line, cooperation solid, coordination
  thin solid, weak/informal dotted, conflict dashed red with a round marker, broken grey and crossed
  (a bar across), influence and funding arrows; parallel relationships curve apart;
- impacts: arrows from detail to factor, red when harmful, green when helpful, width by
  magnitude × priority, tooltip with mechanism, pattern, confidence, date and evidence.

Examples
--------
>>> from dnh_graph.generate import generate_analysis
>>> from dnh_graph.network import build_graph
>>> page = network_html(build_graph(generate_analysis(actors=5, relationships=6, factors=3, details=2,
...                                                   impacts=4, options=0, reviews=1)))
>>> "Content-Security-Policy" in page, "http://" in page, "https://" in page
(True, False, False)
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
import networkx as nx

from dnh_graph import vocab
from dnh_graph.i18n import translate
from dnh_graph.network import compute_layout

__all__ = ["PHYSICS_LIMIT", "ACTOR_STYLE", "RELATIONSHIP_STYLE", "legend", "vis_data", "network_html"]

PHYSICS_LIMIT = 250  # nodes; above it the browser draws precomputed positions with physics off
# nodes; above it edges hide while dragging/zooming, hover highlighting is off, impacts and
# factor–actor links are drawn without arrowheads (see vis_data), and the page strokes the edges
# itself, one path per style, with its own text tooltips (network.js: no vis-network edge objects)
LARGE = 1000
TOOLTIP_CHARS = 600  # a 20,000-character note would fill the screen
LABEL_CHARS = 40

# actor type -> (vis shape, colour). Shapes group the types into families (state, armed, civic,
# faith and media, money and outsiders); colours tell the members of a family apart.
ACTOR_STYLE = {
    "government": ("square", "#1f4e79"),
    "local_authority": ("square", "#6a9bd1"),
    "security_forces": ("triangle", "#4b2c6f"),
    "armed_group": ("triangleDown", "#8e44ad"),
    "civil_society": ("dot", "#0e7c86"),
    "community_group": ("dot", "#74add1"),
    "religious": ("star", "#a6761d"),
    "media": ("star", "#6b6b6b"),
    "private_sector": ("hexagon", "#8c510a"),
    "donor": ("hexagon", "#d4a017"),
    "international": ("hexagon", "#f0c75e"),
    "individual": ("dot", "#9e9e9e"),
    "other": ("dot", "#c7c7c7"),
}
STANCE_COLOUR = {"supports": "#4575b4", "neutral": "#bdbdbd", "opposes": "#762a83", "unknown": "#e8e8e8"}
COMMUNITY_COLOURS = ("#4e79a7", "#f28e2b", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
                     "#59a14f", "#e15759", "#bab0ac", "#86bcb6", "#d37295")
NO_COMMUNITY = "#c7c7c7"
FACTOR_COLOUR = {"divider": "#d7301f", "connector": "#1a9850"}
LINK_COLOUR = {"divider": "#f4a582", "connector": "#a6dba0"}
QUESTION_COLOUR = {"why": "#fde0dd", "what": "#deebf7", "where": "#e5f5e0", "when": "#fff7bc",
                   "with_whom": "#efedf5", "by_whom": "#fee6ce", "how": "#f0f0f0"}
HARMFUL, HELPFUL = "#d7301f", "#1a9850"
# relationship type -> (width at strength 2, colour, dashes, always an arrow, marker mid-line)
RELATIONSHIP_STYLE = {
    "alliance": (5.0, "#252525", None, False, None),
    "cooperation": (2.5, "#525252", None, False, None),
    "coordination": (1.5, "#5b7a99", None, False, None),
    "weak": (1.5, "#737373", [2, 5], False, None),
    "conflict": (2.5, "#cb181d", [10, 6], False, "circle"),
    "broken": (2.0, "#a3a3a3", [6, 6], False, "bar"),
    "influence": (2.0, "#2c5d8a", None, True, None),
    "funding": (2.0, "#b8860b", None, True, None),
}
# a factor–actor link points from the actor that drives a factor to it, and from a factor to who is affected
LINK_ARROW = {"drives": "from", "affected": "to"}

_HEIGHT = re.compile(r"^\d{1,5}(\.\d+)?(px|vh|%|em|rem)$")


# ------------------------------------------------------------------------------------------- words
def _messages(lang: str) -> Callable[..., str]:
    """A translator for ``network.*`` messages: each looked up once, then only formatted."""
    found: dict[str, str] = {}

    def message(msgid: str, default: str, **params) -> str:
        text = found.get(msgid)
        if text is None:
            text = found[msgid] = translate(f"network.{msgid}", lang, default=default)
        return text.format(**params) if params else text

    return message


def _labels(lang: str) -> Callable[[str, str], str]:
    """``vocab.label`` for many calls: each vocabulary translated once."""
    tables = {name: vocab.labels(name, lang) for name in vocab.VOCABULARIES}
    return lambda vocabulary, key: tables[vocabulary].get(key, key)


def _clip(text: str, limit: int = TOOLTIP_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _faint(hex_colour: str, alpha: float = 0.25) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _darker(hex_colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(int(hex_colour[i:i + 2], 16) * factor) for i in (1, 3, 5))
    return f"#{r:02x}{g:02x}{b:02x}"


def _node_colour(background: str, border: str | None = None) -> dict:
    border = border or _darker(background)
    return {"background": background, "border": border,
            "highlight": {"background": background, "border": "#000000"},
            "hover": {"background": background, "border": "#000000"}}


# ------------------------------------------------------------------------------------------ legend
def _node_item(label: str, shape: str, colour: str) -> dict:
    return {"label": label, "symbol": {"shape": shape, "color": colour}}


def _line_item(label: str, colour: str, width: float, dashes=None, arrow=False, marker=None) -> dict:
    return {"label": label, "symbol": {"line": True, "color": colour, "width": width, "dashes": dashes,
                                       "arrow": arrow, "marker": marker}}


def _note(label: str) -> dict:
    return {"label": label, "symbol": None}


def legend(lang: str = "en", color_by: str = "type", size_by: str = "influence",
           all_arrows: bool = True) -> list[dict[str, Any]]:
    """The drawing conventions as data: sections ``{"title", "items"}``, items ``{"label", "symbol"}``.

    A symbol is ``{"shape", "color"}`` for a node, ``{"line", "color", "width", "dashes", "arrow",
    "marker"}`` for an edge, or None for a note. The page template draws them as small SVGs; a
    Streamlit page can list the labels.

    >>> [section["title"] for section in legend()][:2]
    ['Actors', 'Dividers and connectors']
    """
    m, lab = _messages(lang), _labels(lang)
    actors = []
    for key, (shape, colour) in ACTOR_STYLE.items():
        actors.append(_node_item(lab("actor_type", key), shape, colour if color_by == "type" else "#9e9e9e"))
    if color_by == "stance":
        actors += [_node_item(lab("stance", key), "dot", colour) for key, colour in STANCE_COLOUR.items()]
    elif color_by == "community":
        actors.append(_node_item(m("community_colours", "Colour: community (grey: none)"), "dot",
                                 COMMUNITY_COLOURS[0]))
    actors.append(_note({
        "degree": m("size_degree", "Size: number of related actors (degree)"),
        "betweenness": m("size_betweenness", "Size: betweenness (brokers are larger)"),
    }.get(size_by) or m("size_influence", "Size: influence (1–5) as of the review")))

    factors = [
        _node_item(lab("factor_kind", "divider"), "diamond", FACTOR_COLOUR["divider"]),
        _node_item(lab("factor_kind", "connector"), "diamond", FACTOR_COLOUR["connector"]),
        _node_item(m("factor_absent", "Faint: absent at this review (strength 0)"), "diamond",
                   _faint(FACTOR_COLOUR["divider"], 0.3)),
        _note(m("factor_size", "Size: strength × priority at the review")),
    ]
    details = [_node_item(lab("detail_question", q), "box", c) for q, c in QUESTION_COLOUR.items()]
    relationships = [_line_item(lab("relationship_type", key), colour, width, dashes, arrow, marker)
                     for key, (width, colour, dashes, arrow, marker) in RELATIONSHIP_STYLE.items()]
    relationships.append(_line_item(m("link_factor_actor", "Actor linked to a divider / connector"),
                                    LINK_COLOUR["divider"], 1))
    impacts = [
        _line_item(m("impact_harmful", "Harmful impact (strengthens a divider or weakens a connector)"),
                   HARMFUL, 4, arrow=True),
        _line_item(m("impact_helpful", "Helpful impact"), HELPFUL, 4, arrow=True),
        _note(m("impact_width", "Width: magnitude × priority")),
    ]
    if not all_arrows:
        impacts.append(_note(m("no_arrows", "Large network: impacts (always from a detail to a factor) and "
                                            "actor links are drawn without arrowheads")))
    return [
        {"title": m("legend_actors", "Actors"), "items": actors},
        {"title": m("legend_factors", "Dividers and connectors"), "items": factors},
        {"title": m("legend_details", "Details of the intervention (by question)"), "items": details},
        {"title": m("legend_relationships", "Relationships"), "items": relationships},
        {"title": m("legend_impacts", "Impacts"), "items": impacts},
    ]


_legend = legend  # network_html has a parameter of the same name


# ---------------------------------------------------------------------------------------- vis data
class _Items:
    """Builds vis items; shared styles are kept once and referred to by name (``s``)."""

    def __init__(self, graph: nx.MultiDiGraph, lang: str, color_by: str, size_by: str, all_arrows: bool):
        self.graph, self.color_by, self.size_by, self.all_arrows = graph, color_by, size_by, all_arrows
        self.m, self.lab = _messages(lang), _labels(lang)
        review = graph.graph.get("review", "")
        self.review = review
        self.as_of = f" ({review})" if review else ""
        self.node_styles: dict[str, dict] = {}
        self.edge_styles: dict[str, dict] = {}
        actors = (d for _, d in graph.nodes(data=True) if d.get("node_type") == "actor")
        self.top = max((d.get(size_by, 0) for d in actors), default=0)
        self.labels = {n: d.get("label", "") for n, d in graph.nodes(data=True)}

    # nodes ---------------------------------------------------------------------------------------
    def actor(self, d: Mapping) -> tuple[str, float, list[str]]:
        m, lab = self.m, self.lab
        shape, colour = ACTOR_STYLE.get(d["type"], ACTOR_STYLE["other"])
        if self.color_by == "stance":
            colour = STANCE_COLOUR.get(d["stance"], STANCE_COLOUR["unknown"])
        elif self.color_by == "community":
            c = d.get("community", 0)
            colour = COMMUNITY_COLOURS[(c - 1) % len(COMMUNITY_COLOURS)] if c else NO_COMMUNITY
        style = f"a:{shape}:{colour}"
        self.node_styles.setdefault(style, {"shape": shape, "color": _node_colour(colour)})
        if self.size_by == "influence":
            size = 8 + 5 * d["influence"]
        else:
            value = d.get(self.size_by, 0)
            size = round(10 + 30 * math.sqrt(value / self.top), 1) if self.top > 0 else 10
        lines = [d["name"], f"{lab('actor_type', d['type'])} · {lab('stance', d['stance'])}",
                 m("influence_line", "Influence {n}/5", n=d["influence"]) + self.as_of]
        if d.get("description"):
            lines.append(d["description"])
        if d.get("tags"):
            lines.append(m("tags_line", "Tags: {tags}", tags=d["tags"].replace(";", ", ")))
        if "degree" in d:
            lines.append(m("metrics_line", "Degree {degree} · betweenness {betweenness} · community {c}",
                           degree=d["degree"], betweenness=d.get("betweenness", 0), c=d.get("community", 0)))
        return style, size, lines

    def factor(self, d: Mapping) -> tuple[str, float, list[str]]:
        m, lab = self.m, self.lab
        colour = FACTOR_COLOUR.get(d["kind"], "#777777")
        unread_now = not self.review and not d["has_reading"]  # "now" with no reading at all yet
        faint = d["contribution"] == 0 and not unread_now
        style = f"f:{d['kind']}:{int(faint)}"
        if faint:
            self.node_styles.setdefault(style, {"shape": "diamond", "font": {"color": "#9a9a9a"},
                                                "color": _node_colour(_faint(colour), _faint(colour, 0.5))})
        else:
            self.node_styles.setdefault(style, {"shape": "diamond", "color": _node_colour(colour)})
        size = round(10 + 1.4 * (3 * d["priority"] if unread_now else d["contribution"]), 1)
        if d["has_reading"]:
            reading = m("strength_line", "Strength {s}/5 × priority {p} = {c}", s=d["strength"],
                        p=d["priority"], c=d["contribution"])
        else:
            reading = m("no_reading", "No reading yet (priority {p})", p=d["priority"])
        lines = [f"{lab('factor_kind', d['kind'])}: {d['name']} [{d['key']}]",
                 lab("factor_category", d["category"]), reading + self.as_of]
        lines += [text for text in (d.get("reading_note"), d.get("description")) if text]
        return style, size, lines

    def detail(self, d: Mapping) -> tuple[str, str, list[str]]:
        question = d.get("question", "")
        style = f"d:{question}"
        self.node_styles.setdefault(style, {
            "shape": "box", "font": {"color": "#222222"}, "margin": 6,
            "color": _node_colour(QUESTION_COLOUR.get(question, "#eeeeee"), "#525252")})
        q_label = self.lab("detail_question", question)
        lines = [self.m("detail_line", "Detail {key} · {question}", key=d.get("key", ""), question=q_label)]
        lines += [text for text in (d.get("activity"), d.get("description")) if text]
        return style, _clip(f"{q_label}: {d.get('label', '')}", LABEL_CHARS + 8), lines

    # edges ---------------------------------------------------------------------------------------
    def relationship(self, u: str, v: str, d: Mapping) -> tuple[str, float, list[str]]:
        rel = d["relationship_type"]
        width, colour, dashes, arrow, marker = RELATIONSHIP_STYLE.get(rel, RELATIONSHIP_STYLE["weak"])
        directed = arrow or bool(d.get("directed"))
        style = f"r:{rel}:{int(directed)}"
        if style not in self.edge_styles:
            entry: dict[str, Any] = {"color": colour}
            if dashes:
                entry["dashes"] = dashes
            if marker:
                entry["arrows"] = {"to": {"enabled": directed}, "middle": {"enabled": True, "type": marker}}
            elif directed:
                entry["arrows"] = "to"
            self.edge_styles[style] = entry
        lines = [f"{self.lab('relationship_type', rel)}: {self.labels[u]} {'→' if directed else '–'} "
                 f"{self.labels[v]}", self.m("rel_strength", "Strength {s}/3", s=d.get("strength", ""))]
        if d.get("note"):
            lines.append(d["note"])
        return style, round(width * (0.6 + 0.2 * d.get("strength", 2)), 2), lines

    def link(self, u: str, v: str, d: Mapping) -> tuple[str, None, list[str]]:
        factor_kind = self.graph.nodes[u].get("kind", "divider")
        role = d["role"]
        style = f"l:{factor_kind}:{role}"
        if style not in self.edge_styles:
            self.edge_styles[style] = {"color": LINK_COLOUR.get(factor_kind, "#cccccc")}
            if role in LINK_ARROW and self.all_arrows:
                self.edge_styles[style]["arrows"] = LINK_ARROW[role]
        return style, None, [f"{self.labels[v]} — {self.lab('factor_actor_role', role)} — {self.labels[u]}"]

    def impact(self, u: str, v: str, d: Mapping) -> tuple[str, float, list[str]]:
        m, lab = self.m, self.lab
        harmful = bool(d.get("harmful"))
        style = f"i:{int(harmful)}"
        if style not in self.edge_styles:
            self.edge_styles[style] = {"color": HARMFUL if harmful else HELPFUL}
            if self.all_arrows:
                self.edge_styles[style]["arrows"] = "to"
        weight = d.get("impact_weight", 1)
        factor = self.graph.nodes[v]
        head = m("harmful_impact", "Harmful impact") if harmful else m("helpful_impact", "Helpful impact")
        lines = [f"{head}: {self.labels[u]} → {lab('effect', d['effect']).lower()} "
                 f"{lab('factor_kind', factor.get('kind', '')).lower()} {self.labels[v]}",
                 m("impact_weight", "Magnitude {m} × priority {p} = {w}", m=d["magnitude"],
                   p=factor.get("priority", ""), w=weight),
                 m("mechanism_line", "Mechanism: {m}", m=lab("mechanism", d["mechanism"]))]
        if d.get("pattern"):
            lines.append(m("pattern_line", "Pattern: {p}", p=lab("pattern", d["pattern"])))
        lines.append(m("confidence_line", "Confidence: {c}", c=lab("confidence", d.get("confidence", ""))))
        if d.get("observed_on"):
            lines.append(m("observed_line", "Observed on {date}", date=d["observed_on"]))
        if d.get("evidence"):
            lines.append(m("evidence_line", "Evidence: {e}", e=d["evidence"]))
        return style, round(1 + 0.5 * weight, 2), lines


def vis_data(graph: nx.MultiDiGraph, positions: Mapping | None = None, *, lang: str = "en",
             color_by: str = "type", size_by: str = "influence", all_arrows: bool = True) -> dict[str, Any]:
    """vis-network items for ``graph``: ``{"nodes", "edges", "nodeStyles", "edgeStyles"}``.

    Items name a shared style in ``s`` (the page merges it in), which keeps a 5,000-node page small.
    Every text is plain: labels are drawn on a canvas and titles shown as text. Without
    ``all_arrows``, impacts and factor–actor links have no arrowhead (influence and funding keep
    theirs): for a large graph, placing thousands of arrowheads is a third of the drawing time, and an
    impact always runs from a detail (box) to a factor (diamond) anyway.
    """
    if color_by not in ("type", "stance", "community"):
        raise ValueError(f"color_by must be type, stance or community (got {color_by!r}).")
    if size_by not in ("influence", "degree", "betweenness"):
        raise ValueError(f"size_by must be influence, degree or betweenness (got {size_by!r}).")
    if size_by != "influence" and not any(size_by in d for _, d in graph.nodes(data=True)):
        raise ValueError(f"The graph has no {size_by} yet: add it with network.add_actor_metrics first.")
    if color_by == "community" and not any("community" in d for _, d in graph.nodes(data=True)):
        raise ValueError("The graph has no communities yet: add them with network.add_actor_metrics first.")
    items = _Items(graph, lang, color_by, size_by, all_arrows)
    positions = positions or {}

    nodes = []
    for node, d in graph.nodes(data=True):
        kind = d.get("node_type")
        item: dict[str, Any] = {"id": node, "label": _clip(d.get("label", ""), LABEL_CHARS)}
        if kind == "actor":
            item["s"], item["size"], lines = items.actor(d)
        elif kind == "factor":
            item["s"], item["size"], lines = items.factor(d)
        else:
            item["s"], item["label"], lines = items.detail(d)
        item["title"] = _clip("\n".join(lines))
        if node in positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)

    edges = []
    seen_pairs: dict[frozenset, int] = defaultdict(int)
    for u, v, key, d in graph.edges(keys=True, data=True):
        kind = d.get("edge_type")
        build = items.relationship if kind == "relationship" else items.link if kind == "factor_actor" \
            else items.impact
        style, width, lines = build(u, v, d)
        item = {"id": str(key), "from": u, "to": v, "s": style, "title": _clip("\n".join(lines))}
        if width is not None:
            item["width"] = width
        # parallel edges between the same two nodes curve apart instead of lying on top of each other
        nth = seen_pairs[frozenset((u, v))]
        seen_pairs[frozenset((u, v))] += 1
        if nth:
            item["smooth"] = {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW",
                              "roundness": round(0.2 * ((nth + 1) // 2), 2)}
        edges.append(item)
    return {"nodes": nodes, "edges": edges, "nodeStyles": items.node_styles, "edgeStyles": items.edge_styles}


# ------------------------------------------------------------------------------------------- page
@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet (static package files, read once per process).

    ``http://`` in the library's strings and licence comment is written ``http:\\/\\/`` (the same
    string in JavaScript), so the page holds no URL that a scanner could take for a resource; the
    source-map comment is dropped.
    """
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    script = script.replace("http://", "http:\\/\\/").replace("https://", "https:\\/\\/")
    script = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", script)  # devtools would go looking for it
    if "</script" in script.lower() or "<!--" in script:  # would end the inline script early
        raise RuntimeError("vis-network.min.js cannot be inlined as it is; check the pyvis version.")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return script, css


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("dnh_graph.render", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    # compact, in insertion order: sorting the keys of 20,000 items costs time and helps nobody
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "separators": (",", ":"), "ensure_ascii": False}
    return env


@lru_cache(maxsize=1)
def _page_script() -> str:
    return (resources.files("dnh_graph.render") / "templates" / "network.js").read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _options(n: int, physics: bool, seed: int) -> dict[str, Any]:
    """vis-network options: tuned physics for small graphs, none (positions as given) for large."""
    arrows = {"to": {"enabled": False, "scaleFactor": 0.6}, "from": {"enabled": False, "scaleFactor": 0.5},
              "middle": {"enabled": False, "scaleFactor": 0.8}}
    return {
        "autoResize": True, "width": "100%", "height": "100%",
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "physics": {
            "enabled": True, "solver": "barnesHut",
            # long springs and strong repulsion: a workshop graph of 30-80 nodes needs room for its labels
            "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 0.2, "springLength": 160,
                          "springConstant": 0.03, "damping": 0.5, "avoidOverlap": 0.5},
            # the positions are already a layout: a short settling run is enough, then it freezes
            "stabilization": {"enabled": True, "iterations": 250 if n <= 150 else 100, "updateInterval": 50,
                              "fit": True},
            "minVelocity": 1.0, "maxVelocity": 40, "timestep": 0.5, "adaptiveTimestep": True,
        } if physics else {"enabled": False},
        "interaction": {"hover": n <= LARGE, "tooltipDelay": 150, "hideEdgesOnDrag": n > LARGE,
                        "hideEdgesOnZoom": n > LARGE, "navigationButtons": False, "keyboard": False},
        "nodes": {"font": {"size": 16 if physics else 13, "face": "system-ui, sans-serif", "color": "#222222"},
                  "borderWidth": 1.5},
        "edges": {"smooth": False, "selectionWidth": 1.5, "arrowStrikethrough": False, "width": 1,
                  "color": {"inherit": False}, "arrows": arrows},
    }


def network_html(graph: nx.MultiDiGraph, *, physics: bool | str = "auto", positions: Mapping | None = None,
                 legend: bool = True, height: str = "700px", lang: str = "en", color_by: str = "type",
                 size_by: str = "influence", freeze: bool = True, seed: int = 0,
                 title: str | None = None) -> str:
    """The network as one HTML page that needs nothing from the network and runs no user text.

    Parameters
    ----------
    graph
        From :func:`dnh_graph.network.build_graph` (possibly filtered, focused, with metrics).
    physics
        ``"auto"``: up to :data:`PHYSICS_LIMIT` nodes a short, tuned physics run from the computed
        positions, then frozen; above it the positions as given with physics off. ``True`` / ``False``
        force it.
    positions
        Node id -> (x, y), e.g. from a :class:`dnh_graph.network.LayoutCache`; computed (seeded) when
        None. Nodes it lacks are placed next to their neighbours.
    legend
        Show the drawing conventions under the network.
    height
        CSS height of the drawing, e.g. ``"700px"`` or ``"80vh"``.
    lang
        Language of labels, tooltips and legend.
    color_by, size_by
        Actor colour (type, stance, community) and size (influence, degree, betweenness; the last two
        and community need :func:`dnh_graph.network.add_actor_metrics`).
    freeze
        Switch physics off once the layout is stable (nodes can still be dragged; the Physics button
        switches it back on).
    seed
        Layout seed, when positions are computed here.
    title
        Page title; default the analysis name.

    The page sets ``window.__dnhReady = {ms, mode, nodes, edges}`` once the picture is stable and
    drawn (``ms`` since navigation started), for tests and benchmarks.
    """
    if not _HEIGHT.match(height):
        raise ValueError(f"height must be a CSS length such as '700px' or '80vh' (got {height!r}).")
    n = graph.number_of_nodes()
    if positions is None:
        positions = compute_layout(graph, seed)
    elif any(node not in positions for node in graph.nodes):
        positions = compute_layout(graph, seed, base=positions)
    use_physics = (n <= PHYSICS_LIMIT if physics == "auto" else bool(physics)) and n > 0
    data = vis_data(graph, positions, lang=lang, color_by=color_by, size_by=size_by, all_arrows=n <= LARGE)
    # above LARGE the page strokes the edges itself, a style at a time, and shows their tooltips (network.js)
    data.update(options=_options(n, use_physics, seed), physics=use_physics, freeze=bool(freeze),
                ownEdges=n > LARGE)

    m = _messages(lang)
    vis_js, vis_css = _vis_assets()
    page_js = _page_script()
    env = _environment()
    page_css = env.get_template("network.css.j2").render(height=height)
    review = graph.graph.get("review", "")
    if review:
        caption = m("as_of", "As of review {review} ({date})", review=review,
                    date=graph.graph.get("review_date", ""))
    else:
        caption = m("as_of_now", "Now (latest readings)")
    if graph.graph.get("pseudonymised"):
        caption += " · " + m("pseudonymised", "sensitive actors pseudonymised")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_sha256(vis_js)} {_sha256(page_js)}",
        f"style-src {_sha256(vis_css)} {_sha256(page_css)}",
        "img-src data:",
        "connect-src 'none'", "font-src 'none'", "object-src 'none'", "media-src 'none'", "frame-src 'none'",
        "worker-src 'none'", "manifest-src 'none'", "base-uri 'none'", "form-action 'none'",
    ])
    return env.get_template("network.html.j2").render(
        lang=lang, csp=csp, title=title or graph.graph.get("analysis_name") or m("title", "Network"),
        caption=caption, counts=m("counts", "{n} nodes · {m} edges", n=n, m=graph.number_of_edges()),
        vis_css=vis_css, page_css=page_css, vis_js=vis_js, page_js=page_js, data=data,
        legend=_legend(lang, color_by, size_by, all_arrows=n <= LARGE) if legend else [],
        labels={"physics": m("physics", "Physics"), "fit": m("fit", "Fit to view"),
                "legend": m("legend", "Legend"),
                "noscript": m("noscript", "The network needs JavaScript to be drawn.")},
        physics_on=use_physics and not freeze)
